//! One way to change a layer of proposed zones: an [`Edit`] applied with [`apply`], by the
//! window's session and by `zonemap merge`, `move` and `split` alike.

use geo::{Coord, MultiPolygon};

use super::{
    EditError, VertexRef, delete_vertex, drawn, insert_vertex, merge_into, move_unit, next_id,
    renamed, reshaped, split, with_features, with_property,
};
use crate::core::{Feature, FeatureId, Layer};

/// A feature that goes into a merge.
#[derive(Clone, Debug)]
pub enum MergePart {
    /// A zone of the layer being edited: the merged zone replaces it.
    Zone(FeatureId),
    /// A feature from another layer, copied in. A unit (`unit: true`) is also taken out of the
    /// other zones that held it, as a move would.
    Other {
        /// The feature, in lon/lat (WGS-84).
        feature: Feature,
        /// Whether it is a unit (a town or street) rather than a zone.
        unit: bool,
    },
}

/// A change to a layer of proposed zones. Coordinates are lon/lat degrees (WGS-84); feature ids
/// are places in the layer being edited.
#[derive(Clone, Debug)]
pub enum Edit {
    /// One zone made of `parts`, named `name` (the parts' names joined by "+" when empty).
    /// Boundaries within `snap_m` metres of each other are taken as shared.
    Merge {
        /// What goes into the zone, at least one part with an area.
        parts: Vec<MergePart>,
        /// The new zone's name.
        name: String,
        /// The snapping tolerance, metres; 0 turns snapping off.
        snap_m: f64,
    },
    /// Puts a unit into a zone, taking it out of the zones that held it.
    MoveUnit {
        /// The unit (a town or street), from the units layer.
        unit: Feature,
        /// The zone it goes into.
        zone: FeatureId,
    },
    /// A new zone from a drawn outline.
    Draw {
        /// The outline, open (the first point is not repeated), at least 3 distinct points.
        points: Vec<Coord<f64>>,
        /// The new zone's name.
        name: String,
    },
    /// Cuts zones along a line: `target`, or every zone the line crosses.
    Split {
        /// The one zone to cut; `None` cuts every zone the line crosses from outside to outside.
        target: Option<FeatureId>,
        /// The cutting line, at least 2 points.
        line: Vec<Coord<f64>>,
    },
    /// Moves one vertex of a zone.
    MoveVertex {
        /// The zone.
        feature: FeatureId,
        /// Which vertex.
        vertex: VertexRef,
        /// Where it goes.
        to: Coord<f64>,
    },
    /// A new vertex after `after`, on the edge from it to the next.
    InsertVertex {
        /// The zone.
        feature: FeatureId,
        /// The vertex the new one follows.
        after: VertexRef,
        /// Where the new vertex is.
        at: Coord<f64>,
    },
    /// Removes one vertex of a zone (a ring keeps at least 3).
    DeleteVertex {
        /// The zone.
        feature: FeatureId,
        /// Which vertex.
        vertex: VertexRef,
    },
    /// Replaces a zone's shape outright.
    Reshape {
        /// The zone.
        feature: FeatureId,
        /// Its new shape.
        geometry: MultiPolygon<f64>,
    },
    /// Removes zones.
    Delete(Vec<FeatureId>),
    /// Renames a zone.
    Rename {
        /// The zone.
        feature: FeatureId,
        /// Its new name.
        name: String,
    },
    /// Sets a property; an empty value removes it.
    SetProperty {
        /// The zone.
        feature: FeatureId,
        /// The property's name.
        key: String,
        /// Its value as typed: a number if it reads as one, else text.
        value: String,
    },
}

/// What kind of edit a step was, for its label in the undo history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum EditKind {
    Merge,
    MoveUnit,
    Draw,
    Split,
    MoveVertex,
    InsertVertex,
    DeleteVertex,
    Reshape,
    Delete,
    Rename,
    SetProperty,
}

impl Edit {
    /// What kind of edit this is.
    pub fn kind(&self) -> EditKind {
        match self {
            Edit::Merge { .. } => EditKind::Merge,
            Edit::MoveUnit { .. } => EditKind::MoveUnit,
            Edit::Draw { .. } => EditKind::Draw,
            Edit::Split { .. } => EditKind::Split,
            Edit::MoveVertex { .. } => EditKind::MoveVertex,
            Edit::InsertVertex { .. } => EditKind::InsertVertex,
            Edit::DeleteVertex { .. } => EditKind::DeleteVertex,
            Edit::Reshape { .. } => EditKind::Reshape,
            Edit::Delete(_) => EditKind::Delete,
            Edit::Rename { .. } => EditKind::Rename,
            Edit::SetProperty { .. } => EditKind::SetProperty,
        }
    }
}

/// An edit carried out: the layer after it, and the ids of the features it made or changed
/// (to select them).
#[derive(Clone, Debug)]
pub struct Applied {
    /// What kind of edit it was.
    pub kind: EditKind,
    /// The edited layer: the same name, role, CRS and warnings, new features.
    pub layer: Layer,
    /// Ids of the features made or changed, in the layer's order; empty after a delete.
    pub changed: Vec<String>,
    /// For a split: the zones cut, each with how many parts it was cut into and how many
    /// times the line crossed its boundary.
    pub cuts: Vec<Cut>,
}

/// One zone a split cut.
#[derive(Clone, Debug, PartialEq)]
pub struct Cut {
    /// The zone's name.
    pub zone: String,
    /// How many parts it was cut into: 2 when the line crosses its boundary twice, more when
    /// it goes in and out again (or crosses a hole).
    pub parts: usize,
    /// How many times the line crosses the zone's boundary (every ring).
    pub crossings: usize,
}

/// How many times `line` crosses the boundary of `feature` (its outer rings and holes): points
/// where a segment of the line meets a segment of a ring, a touch at a shared end counted once.
fn crossings(feature: &Feature, line: &[Coord<f64>]) -> usize {
    use geo::{Line, line_intersection::line_intersection};
    let mut points: Vec<Coord<f64>> = Vec::new();
    for polygon in feature.polygons() {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for edge in ring.lines() {
                for w in line.windows(2) {
                    if let Some(hit) = line_intersection(edge, Line::new(w[0], w[1])) {
                        let at = match hit {
                            geo::LineIntersection::SinglePoint { intersection, .. } => intersection,
                            geo::LineIntersection::Collinear { intersection } => intersection.start,
                        };
                        if !points
                            .iter()
                            .any(|p| (p.x - at.x).abs() < 1e-12 && (p.y - at.y).abs() < 1e-12)
                        {
                            points.push(at);
                        }
                    }
                }
            }
        }
    }
    points.len()
}

/// Applies `edit` to `layer`, a layer of proposed zones, and returns the layer after it. Nothing
/// is changed in place: the caller keeps `layer` for undo.
///
/// # Errors
/// An [`EditError`] saying why the edit was refused: a feature that is not in the layer, a
/// merge of features without area, a shape that would not be valid, a line that cuts nothing.
///
/// # Examples
/// ```
/// use zonemap::core::proposal::{Edit, apply};
/// use zonemap::core::{Feature, Layer, Role};
/// use geo::{Coord, MultiPolygon, polygon};
///
/// let square = polygon![(x: 120.0, y: 31.0), (x: 120.1, y: 31.0), (x: 120.1, y: 31.1), (x: 120.0, y: 31.1)];
/// let shape = Some(MultiPolygon(vec![square]).into());
/// let zone = Feature::new("z1".into(), "Zone".into(), Default::default(), shape);
/// let layer = Layer::new("proposals", Role::Zones, vec![zone]);
/// let line = vec![Coord { x: 120.05, y: 30.9 }, Coord { x: 120.05, y: 31.2 }];
/// let cut = apply(&layer, Edit::Split { target: None, line }).unwrap();
/// assert_eq!(cut.layer.features.len(), 2);
/// assert_eq!(cut.cuts[0].parts, 2);
/// ```
pub fn apply(layer: &Layer, edit: Edit) -> Result<Applied, EditError> {
    let kind = edit.kind();
    let features = &layer.features;
    let at = |id: FeatureId| {
        features
            .get(id.index())
            .ok_or_else(|| EditError::NoFeature(format!("at place {}", id.index())))
    };
    let replace = |id: FeatureId, new: Vec<Feature>| {
        let mut out = features.clone();
        out.splice(id.index()..=id.index(), new);
        out
    };
    let mut cuts = Vec::new();
    let (features, changed) = match edit {
        Edit::Merge {
            parts,
            name,
            snap_m,
        } => {
            let mut owned: Vec<Feature> = Vec::new();
            let mut consumed = Vec::new();
            let mut units: Vec<Feature> = Vec::new();
            for part in parts {
                match part {
                    MergePart::Zone(id) => {
                        owned.push(at(id)?.clone());
                        consumed.push(id.index());
                    }
                    MergePart::Other { feature, unit } => {
                        if unit {
                            units.push(feature.clone());
                        }
                        owned.push(feature);
                    }
                }
            }
            let refs: Vec<&Feature> = owned.iter().collect();
            let unit_refs: Vec<&Feature> = units.iter().collect();
            let id = next_id(features);
            let name = if name.is_empty() {
                owned
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            } else {
                name
            };
            let (out, _) = merge_into(
                features,
                &refs,
                &consumed,
                &unit_refs,
                id.clone(),
                &name,
                snap_m,
            )?;
            (out, vec![id])
        }
        Edit::MoveUnit { unit, zone } => {
            let zone_id = at(zone)?.id.clone();
            (move_unit(features, &unit, zone.index())?, vec![zone_id])
        }
        Edit::Draw { points, name } => {
            let id = next_id(features);
            let f = drawn(id.clone(), &name, &points)?;
            let mut out = features.clone();
            out.push(f);
            (out, vec![id])
        }
        Edit::Split { target, line } => {
            let targets: Vec<usize> = match target {
                Some(id) => vec![at(id).map(|_| id.index())?],
                None => (0..features.len()).collect(),
            };
            let mut out = Vec::with_capacity(features.len() + 2);
            let mut changed = Vec::new();
            for (i, f) in features.iter().enumerate() {
                match targets.contains(&i).then(|| split(f, &line)) {
                    Some(Ok(parts)) => {
                        cuts.push(Cut {
                            zone: f.name.clone(),
                            parts: parts.len(),
                            crossings: crossings(f, &line),
                        });
                        changed.extend(parts.iter().map(|p| p.id.clone()));
                        out.extend(parts);
                    }
                    // A zone the line misses stays as it is.
                    Some(Err(EditError::NoCut(_) | EditError::NotAreal(_))) | None => {
                        out.push(f.clone());
                    }
                    Some(Err(e)) => return Err(e),
                }
            }
            if changed.is_empty() {
                return Err(match target {
                    Some(id) => EditError::NoCut(at(id)?.name.clone()),
                    None => EditError::CutNothing,
                });
            }
            (out, changed)
        }
        Edit::MoveVertex {
            feature,
            vertex,
            to,
        } => {
            let f = at(feature)?;
            let shape = super::move_vertex(&f.multi_polygon(), vertex, to)?;
            (
                replace(feature, vec![reshaped(f, shape)?]),
                vec![f.id.clone()],
            )
        }
        Edit::InsertVertex {
            feature,
            after,
            at: point,
        } => {
            let f = at(feature)?;
            let shape = insert_vertex(&f.multi_polygon(), after, point)?;
            (
                replace(feature, vec![reshaped(f, shape)?]),
                vec![f.id.clone()],
            )
        }
        Edit::DeleteVertex { feature, vertex } => {
            let f = at(feature)?;
            let shape = delete_vertex(&f.multi_polygon(), vertex)?;
            (
                replace(feature, vec![reshaped(f, shape)?]),
                vec![f.id.clone()],
            )
        }
        Edit::Reshape { feature, geometry } => {
            let f = at(feature)?;
            (
                replace(feature, vec![reshaped(f, geometry)?]),
                vec![f.id.clone()],
            )
        }
        Edit::Delete(ids) => (
            features
                .iter()
                .enumerate()
                .filter(|(i, _)| !ids.iter().any(|id| id.index() == *i))
                .map(|(_, f)| f.clone())
                .collect(),
            Vec::new(),
        ),
        Edit::Rename { feature, name } => {
            let f = at(feature)?;
            (
                replace(feature, vec![renamed(f, &name)]),
                vec![f.id.clone()],
            )
        }
        Edit::SetProperty {
            feature,
            key,
            value,
        } => {
            let f = at(feature)?;
            (
                replace(feature, vec![with_property(f, &key, &value)]),
                vec![f.id.clone()],
            )
        }
    };
    Ok(Applied {
        kind,
        layer: with_features(layer, features),
        changed,
        cuts,
    })
}
