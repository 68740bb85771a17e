//! Moving coordinates between a system and WGS-84: [`Transform`], with proj4rs for the
//! projected and geographic systems and the public formulas for GCJ-02 and BD-09.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    ToWgs84,
    FromWgs84,
}

/// A transform between a system and the working frame, applied to coordinates in place.
pub struct Transform {
    kind: TransformKind,
    from: String,
}

pub(super) enum TransformKind {
    Identity,
    Gcj02ToWgs84,
    Wgs84ToGcj02,
    Bd09ToWgs84,
    Wgs84ToBd09,
    Proj {
        src: Box<Proj>,
        dst: Box<Proj>,
        src_degrees: bool,
        dst_degrees: bool,
    },
}

impl Transform {
    pub(super) fn new(crs: &Crs, direction: Direction) -> Result<Transform, CrsError> {
        let kind = match (crs, direction) {
            (Crs::Wgs84 | Crs::Cgcs2000, _) => TransformKind::Identity,
            (Crs::Gcj02, Direction::ToWgs84) => TransformKind::Gcj02ToWgs84,
            (Crs::Gcj02, Direction::FromWgs84) => TransformKind::Wgs84ToGcj02,
            (Crs::Bd09, Direction::ToWgs84) => TransformKind::Bd09ToWgs84,
            (Crs::Bd09, Direction::FromWgs84) => TransformKind::Wgs84ToBd09,
            (
                Crs::Proj {
                    definition, name, ..
                },
                _,
            ) => {
                let unusable = |e: proj4rs::errors::Error| CrsError::Unusable {
                    name: name.clone(),
                    reason: e.to_string(),
                };
                let this = Proj::from_proj_string(definition).map_err(unusable)?;
                let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
                    .map_err(unusable)?;
                let this_degrees = this.is_latlong();
                let (src, dst, src_degrees, dst_degrees) = match direction {
                    Direction::ToWgs84 => (this, wgs84, this_degrees, true),
                    Direction::FromWgs84 => (wgs84, this, true, this_degrees),
                };
                TransformKind::Proj {
                    src: Box::new(src),
                    dst: Box::new(dst),
                    src_degrees,
                    dst_degrees,
                }
            }
        };
        Ok(Transform {
            kind,
            from: match direction {
                Direction::ToWgs84 => crs.name(),
                Direction::FromWgs84 => "WGS-84".to_owned(),
            },
        })
    }

    /// Whether it leaves coordinates as they are.
    pub fn is_identity(&self) -> bool {
        matches!(self.kind, TransformKind::Identity)
    }

    /// Transforms one coordinate.
    pub fn apply(&self, c: Coord<f64>) -> Result<Coord<f64>, TransformError> {
        match &self.kind {
            TransformKind::Identity => Ok(c),
            TransformKind::Gcj02ToWgs84 => Ok(gcj02::gcj02_to_wgs84(c)),
            TransformKind::Wgs84ToGcj02 => Ok(gcj02::wgs84_to_gcj02(c)),
            TransformKind::Bd09ToWgs84 => Ok(gcj02::bd09_to_wgs84(c)),
            TransformKind::Wgs84ToBd09 => Ok(gcj02::wgs84_to_bd09(c)),
            TransformKind::Proj {
                src,
                dst,
                src_degrees,
                dst_degrees,
            } => {
                let (x, y) = if *src_degrees {
                    (c.x.to_radians(), c.y.to_radians())
                } else {
                    (c.x, c.y)
                };
                let mut p = (x, y, 0.0);
                proj4rs::transform::transform(src, dst, &mut p).map_err(|e| TransformError {
                    from: self.from.clone(),
                    x: c.x,
                    y: c.y,
                    reason: e.to_string(),
                })?;
                let out = if *dst_degrees {
                    Coord {
                        x: p.0.to_degrees(),
                        y: p.1.to_degrees(),
                    }
                } else {
                    Coord { x: p.0, y: p.1 }
                };
                if out.x.is_finite() && out.y.is_finite() {
                    Ok(out)
                } else {
                    Err(TransformError {
                        from: self.from.clone(),
                        x: c.x,
                        y: c.y,
                        reason: "the result is not a finite number".to_owned(),
                    })
                }
            }
        }
    }

    /// Transforms a geometry's coordinates in place; stops at the first that cannot be.
    pub fn apply_geometry(&self, g: &mut geo::Geometry<f64>) -> Result<(), TransformError> {
        use geo::Geometry as G;
        if self.is_identity() {
            return Ok(());
        }
        let line = |l: &mut geo::LineString<f64>| self.apply_all(l.0.iter_mut());
        let polygon = |p: &mut geo::Polygon<f64>| {
            let mut result = Ok(());
            p.exterior_mut(|r| result = line(r));
            result?;
            let mut result = Ok(());
            p.interiors_mut(|holes| {
                result = holes.iter_mut().try_for_each(line);
            });
            result
        };
        match g {
            G::Point(p) => p.0 = self.apply(p.0)?,
            G::Line(l) => {
                l.start = self.apply(l.start)?;
                l.end = self.apply(l.end)?;
            }
            G::LineString(l) => line(l)?,
            G::Polygon(p) => polygon(p)?,
            G::MultiPoint(m) => {
                for p in &mut m.0 {
                    p.0 = self.apply(p.0)?;
                }
            }
            G::MultiLineString(m) => m.0.iter_mut().try_for_each(line)?,
            G::MultiPolygon(m) => m.0.iter_mut().try_for_each(polygon)?,
            G::GeometryCollection(gc) => {
                for member in &mut gc.0 {
                    self.apply_geometry(member)?;
                }
            }
            G::Rect(r) => {
                let (min, max) = (self.apply(r.min())?, self.apply(r.max())?);
                *r = geo::Rect::new(min, max);
            }
            G::Triangle(t) => {
                *t = geo::Triangle::new(
                    self.apply(t.v1())?,
                    self.apply(t.v2())?,
                    self.apply(t.v3())?,
                );
            }
        }
        Ok(())
    }

    /// Transforms coordinates in place; stops at the first that cannot be.
    pub fn apply_all<'a>(
        &self,
        coords: impl IntoIterator<Item = &'a mut Coord<f64>>,
    ) -> Result<(), TransformError> {
        match &self.kind {
            TransformKind::Identity => return Ok(()),
            TransformKind::Gcj02ToWgs84 => {
                gcj02::gcj02_to_wgs84_each(coords);
                return Ok(());
            }
            TransformKind::Proj {
                src,
                dst,
                src_degrees,
                dst_degrees,
            } => {
                // One call for the whole run of coordinates: proj4rs goes through its stages
                // once for all of them.
                let mut refs: Vec<&mut Coord<f64>> = coords.into_iter().collect();
                let mut points: Vec<(f64, f64, f64)> = refs
                    .iter()
                    .map(|c| {
                        if *src_degrees {
                            (c.x.to_radians(), c.y.to_radians(), 0.0)
                        } else {
                            (c.x, c.y, 0.0)
                        }
                    })
                    .collect();
                if proj4rs::transform::transform(src, dst, points.as_mut_slice()).is_ok() {
                    let all_finite = points.iter().all(|p| p.0.is_finite() && p.1.is_finite());
                    if all_finite {
                        for (c, p) in refs.iter_mut().zip(&points) {
                            **c = if *dst_degrees {
                                Coord {
                                    x: p.0.to_degrees(),
                                    y: p.1.to_degrees(),
                                }
                            } else {
                                Coord { x: p.0, y: p.1 }
                            };
                        }
                        return Ok(());
                    }
                }
                // Something failed: point by point, to name the first that cannot be moved.
                for c in refs {
                    *c = self.apply(*c)?;
                }
                return Ok(());
            }
            _ => {}
        }
        for c in coords {
            *c = self.apply(*c)?;
        }
        Ok(())
    }
}
