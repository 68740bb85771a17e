//! Zone land in no unit: the part of a zone drawn past the towns, into a lake or the next
//! district (an overhang), with the same tolerance rules as coverage.
//!
//! A zone whose overlaps with the units add up to its own area (to within rounding) has none,
//! and costs nothing more. For the others the zone less the union of the units that overlap it
//! is worked out on the coordinates as drawn; pieces under [`MIN_OVERLAP_M2`] are rounding, and
//! pieces narrower than the snapping tolerance (mean width, twice the area over the perimeter,
//! on the coordinates as drawn) are slivers along boundaries that snapping takes as shared, not
//! land. (Measured geodesically, a sliver a hair wide along a long edge can be wide: where a
//! town's corner lies on the zone's edge, the geodesic through it and the zone's own geodesic
//! part by up to metres, over the edge's length.)

use geo::{BoundingRect, MultiPolygon, Polygon};
use rayon::prelude::*;

use super::{MIN_OVERLAP_M2, Overlap};
use crate::core::measure::{Area, geodesic_area, plane_measures_m};
use crate::core::model::{FeatureId, Layer};
use crate::core::topology::overlay::{difference, union_all};

/// A zone's land in no unit.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneOutside {
    /// The zone.
    pub zone: FeatureId,
    /// Its area in no unit: the pieces' sum.
    pub area: Area,
    /// The pieces, largest first.
    pub pieces: Vec<OutsidePiece>,
}

/// One piece of a zone in no unit.
#[derive(Clone, Debug, PartialEq)]
pub struct OutsidePiece {
    /// Geodesic area.
    pub area: Area,
    /// Its extent, lon/lat: `[west, south, east, north]`.
    pub extent: [f64; 4],
}

/// The zones with land in no unit, in zone order. `overlaps` are the analysis' zone × unit
/// overlaps, sorted by zone; `zone_areas` is indexed by zone.
pub(super) fn zones_outside(
    zones: &Layer,
    units: &Layer,
    zone_areas: &[Area],
    overlaps: &[Overlap],
    snap_m: f64,
) -> Vec<ZoneOutside> {
    let mut by_zone: Vec<Vec<&Overlap>> = vec![Vec::new(); zones.features.len()];
    for o in overlaps {
        if let Some(v) = by_zone.get_mut(o.zone.index()) {
            v.push(o);
        }
    }
    zones
        .ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter(|id| zones.feature(*id).is_areal())
        .filter_map(|id| {
            let area = zone_areas.get(id.index())?.m2;
            let covered: f64 = by_zone[id.index()].iter().map(|o| o.area.m2).sum();
            // Overlaps that add up to the zone: nothing outside (rounding aside). Overlaps that
            // add up to more are units overlapping one another, which may hide land outside
            // (two towns drawn over one another, and the zone's island in neither): the union
            // says. They still hide it in a sum equal to the zone's area, when they overlap by as
            // much as lies outside to within the tolerance (a planner's test: a town inside a
            // town of a 200 m grid, and an island of the zone one cell large); telling that case
            // apart would cost the union for every zone of a clean tiling.
            if (area - covered).abs() <= (1e-7 * area).max(100.0 * MIN_OVERLAP_M2) {
                return None;
            }
            let zone = MultiPolygon(zones.feature(id).polygons().into_iter().cloned().collect());
            let cover: Vec<MultiPolygon<f64>> = by_zone[id.index()]
                .iter()
                .map(|o| {
                    MultiPolygon(
                        units
                            .feature(o.unit)
                            .polygons()
                            .into_iter()
                            .cloned()
                            .collect(),
                    )
                })
                .collect();
            // On the outlines as drawn, every vertex kept where it was (a vertex on a
            // straight run of the zone's edge still splits its geodesic).
            let rest = if cover.is_empty() {
                zone
            } else {
                difference(&zone, &union_all(&cover))
            };
            let mut pieces: Vec<OutsidePiece> = rest
                .0
                .iter()
                .filter_map(|p| {
                    let a = geodesic_area(p).m2;
                    let sliver = drawn_width_m(p) < snap_m;
                    (a >= MIN_OVERLAP_M2 && !sliver).then(|| OutsidePiece {
                        area: Area::from_m2(a),
                        extent: p
                            .bounding_rect()
                            .map_or([0.0; 4], |r| [r.min().x, r.min().y, r.max().x, r.max().y]),
                    })
                })
                .collect();
            if pieces.is_empty() {
                return None;
            }
            pieces.sort_by(|a, b| b.area.m2.total_cmp(&a.area.m2));
            Some(ZoneOutside {
                zone: id,
                area: Area::from_m2(pieces.iter().map(|p| p.area.m2).sum()),
                pieces,
            })
        })
        .collect()
}

/// A piece's mean width (twice its area over its perimeter), metres, on its coordinates as
/// drawn ([`plane_measures_m`]).
fn drawn_width_m(p: &Polygon<f64>) -> f64 {
    let (area, perimeter) = plane_measures_m(p);
    if perimeter > 0.0 {
        2.0 * area / perimeter
    } else {
        0.0
    }
}
