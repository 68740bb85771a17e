//! Coverage: how much of each unit the zones cover, and which zones overlap each other.

use std::collections::HashMap;

use geo::{MultiPolygon, Rect};
use rayon::prelude::*;

use super::Prepared;
use super::Snapped;
use super::{COVERAGE_TOLERANCE, MIN_OVERLAP_M2, Overlap};
use crate::core::measure::Area;
use crate::core::model::{FeatureId, Layer};
use crate::core::topology::overlay::{Intersection, SnapNote, covered_by, intersect_known};

/// How much of a unit its zones cover (see [`COVERAGE_TOLERANCE`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageStatus {
    /// All of it, give or take the tolerance.
    Full,
    /// Some of it.
    Partial,
    /// None of it, give or take the tolerance.
    Uncovered,
}

impl CoverageStatus {
    /// The status as serialised and written in reports: `full`, `partial` or `uncovered`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Full => "full",
            CoverageStatus::Partial => "partial",
            CoverageStatus::Uncovered => "uncovered",
        }
    }
}

/// What the coverage map colours a unit by: its [`CoverageStatus`], except that a unit in
/// more than one zone is set apart, however much of it is covered, since it is counted twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoverageClass {
    /// Not covered (status [`CoverageStatus::Uncovered`]).
    Uncovered,
    /// Partly covered, and in at most one zone.
    Partial,
    /// Fully covered, by one zone.
    Full,
    /// Covered by more than one zone, whatever its status.
    SeveralZones,
}

impl CoverageClass {
    /// Every class, uncovered first: the order legends and tables list them in.
    pub const ALL: [CoverageClass; 4] = [
        CoverageClass::Uncovered,
        CoverageClass::Partial,
        CoverageClass::Full,
        CoverageClass::SeveralZones,
    ];
}

/// Coverage of one unit.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitCoverage {
    /// The unit, in the units layer.
    pub unit: FeatureId,
    /// The unit's geodesic area.
    pub area: Area,
    /// Area covered by any zone: the union, so a part covered twice counts once.
    pub covered: Area,
    /// Full, partial or uncovered, within [`COVERAGE_TOLERANCE`].
    pub status: CoverageStatus,
    /// Zones covering at least [`COVERAGE_TOLERANCE`] of the unit, largest overlap first.
    pub zones: Vec<FeatureId>,
}

impl UnitCoverage {
    /// The class the coverage map colours the unit by: [`CoverageClass::SeveralZones`] when more
    /// than one zone is listed in `zones`, else the one matching `status`.
    pub fn class(&self) -> CoverageClass {
        if self.zones.len() > 1 {
            return CoverageClass::SeveralZones;
        }
        match self.status {
            CoverageStatus::Full => CoverageClass::Full,
            CoverageStatus::Partial => CoverageClass::Partial,
            CoverageStatus::Uncovered => CoverageClass::Uncovered,
        }
    }

    /// The part of the unit no zone covers.
    pub fn uncovered(&self) -> Area {
        Area::from_m2((self.area.m2 - self.covered.m2).max(0.0))
    }

    /// Covered share of the unit, 0..1.
    pub fn covered_share(&self) -> f64 {
        if self.area.m2 > 0.0 {
            (self.covered.m2 / self.area.m2).min(1.0)
        } else {
            0.0
        }
    }
}

/// Two zones that overlap: the area counted in both.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneOverlap {
    /// The zone that comes first in the zones layer.
    pub zone_a: FeatureId,
    /// The zone that comes later in the zones layer.
    pub zone_b: FeatureId,
    /// Geodesic area of the overlap.
    pub area: Area,
    /// Units that both zones cover.
    pub units: Vec<FeatureId>,
    /// Where they overlap, lon/lat: drawn on the coverage map so double counting shows.
    pub geometry: MultiPolygon<f64>,
}

/// Totals over all units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CoverageTotals {
    /// Units counted (those with areal geometry).
    pub units: usize,
    /// Units fully covered.
    pub full: usize,
    /// Units partly covered.
    pub partial: usize,
    /// Units not covered.
    pub uncovered: usize,
    /// Units covered by more than one zone.
    pub multi_zone_units: usize,
    /// Summed area of the units.
    pub unit_area: Area,
    /// Summed covered area of the units (each unit's union of zones).
    pub covered: Area,
    /// `unit_area` less `covered`, never negative.
    pub uncovered_area: Area,
}

impl CoverageTotals {
    /// Counts and adds up the per-unit coverage.
    pub fn sum(units: &[UnitCoverage]) -> Self {
        let mut t = CoverageTotals::default();
        for u in units {
            t.units += 1;
            match u.status {
                CoverageStatus::Full => t.full += 1,
                CoverageStatus::Partial => t.partial += 1,
                CoverageStatus::Uncovered => t.uncovered += 1,
            }
            if u.zones.len() > 1 {
                t.multi_zone_units += 1;
            }
            t.unit_area.m2 += u.area.m2;
            t.covered.m2 += u.covered.m2;
        }
        t.uncovered_area = Area::from_m2((t.unit_area.m2 - t.covered.m2).max(0.0));
        t
    }
}

/// The overlap area (m²) of every pair of zones whose boxes meet, however small: what lets
/// [`cover_units`] skip a unit's neighbours once one zone is known to hold all of it.
#[derive(Default)]
pub(super) struct ZonePairAreas(HashMap<(FeatureId, FeatureId), f64>);

impl ZonePairAreas {
    fn get(&self, a: FeatureId, b: FeatureId) -> f64 {
        self.0.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0)
    }
}

/// Zone pairs that overlap by more than [`MIN_OVERLAP_M2`], with the overlap's geometry, and
/// the overlap area of every pair measured.
pub(super) fn zone_overlaps(
    zones: &Layer,
    prepared: &Prepared,
    snap_m: f64,
) -> (Vec<ZoneOverlap>, ZonePairAreas, Vec<Snapped>) {
    let pairs: Vec<(FeatureId, FeatureId)> = zones
        .index
        .candidate_pairs(&zones.index)
        .into_iter()
        .filter(|(a, b)| a < b)
        .collect();
    let measured: Vec<(FeatureId, FeatureId, Intersection, Option<SnapNote>)> = pairs
        .into_par_iter()
        .map(|(a, b)| {
            let (pb, pa) = (prepared.refs(b), prepared.refs(a));
            let (i, note) = intersect_known(
                prepared.known(b, &pb, None),
                prepared.known(a, &pa, None),
                snap_m,
            );
            (a, b, i, note)
        })
        .collect();
    let snapped = measured
        .iter()
        .filter_map(|(a, b, _, note)| {
            note.map(|note| Snapped {
                zone: *b,
                unit: None,
                other_zone: Some(*a),
                note,
            })
        })
        .collect();
    let areas = ZonePairAreas(
        measured
            .iter()
            .map(|(a, b, i, _)| ((*a, *b), i.area.m2))
            .collect(),
    );
    let overlaps = measured
        .into_iter()
        .filter(|(_, _, i, _)| i.area.m2 > MIN_OVERLAP_M2)
        .map(|(a, b, i, _)| ZoneOverlap {
            zone_a: a,
            zone_b: b,
            area: i.area,
            units: Vec::new(),
            geometry: i.geometry,
        })
        .collect();
    (overlaps, areas, snapped)
}

/// Fills in which units each zone overlap touches, from the per-unit coverage.
pub(super) fn with_units(overlaps: Vec<ZoneOverlap>, units: &[UnitCoverage]) -> Vec<ZoneOverlap> {
    overlaps
        .into_iter()
        .map(|mut o| {
            o.units = units
                .iter()
                .filter(|u| u.zones.contains(&o.zone_a) && u.zones.contains(&o.zone_b))
                .map(|u| u.unit)
                .collect();
            o
        })
        .collect()
}

/// The zones whose boxes meet a unit's box, those most likely to hold all of it first: zones
/// whose box holds the unit's box, then by how much of the unit's box they cover.
fn likely_first(zones: &Layer, candidates: Vec<FeatureId>, unit: &Rect<f64>) -> Vec<FeatureId> {
    let score = |z: FeatureId| {
        let Some(b) = zones.feature(z).bbox else {
            return (false, 0.0);
        };
        let holds = b.min().x <= unit.min().x
            && b.min().y <= unit.min().y
            && b.max().x >= unit.max().x
            && b.max().y >= unit.max().y;
        let w = b.max().x.min(unit.max().x) - b.min().x.max(unit.min().x);
        let h = b.max().y.min(unit.max().y) - b.min().y.max(unit.min().y);
        (holds, w.max(0.0) * h.max(0.0))
    };
    let mut scored: Vec<(FeatureId, (bool, f64))> =
        candidates.into_iter().map(|z| (z, score(z))).collect();
    scored.sort_by(|a, b| {
        (b.1.0.cmp(&a.1.0))
            .then(b.1.1.total_cmp(&a.1.1))
            .then(a.0.cmp(&b.0))
    });
    scored.into_iter().map(|(z, _)| z).collect()
}

/// Intersects every unit with the zones near it, in parallel over units.
#[allow(clippy::too_many_arguments)]
pub(super) fn cover_units(
    zones: &Layer,
    units: &Layer,
    zone_shapes: &Prepared,
    unit_shapes: &Prepared,
    zone_areas: &[Area],
    unit_areas: &[Area],
    zone_overlaps: &[ZoneOverlap],
    pair_areas: &ZonePairAreas,
    snap_m: f64,
) -> Vec<(UnitCoverage, Vec<Overlap>, Vec<Snapped>)> {
    let overlapping = |a: FeatureId, b: FeatureId| {
        let (a, b) = (a.min(b), a.max(b));
        zone_overlaps.iter().any(|o| o.zone_a == a && o.zone_b == b)
    };
    units
        .features
        .par_iter()
        .enumerate()
        .filter(|(_, f)| f.is_areal())
        .map(|(i, unit)| {
            let unit_id = FeatureId(i as u32);
            let unit_area = unit_areas[i];
            let unit_polygons = unit_shapes.refs(unit_id);
            let mut pieces = Vec::new();
            let mut snapped = Vec::new();
            if let Some(bbox) = unit.bbox {
                let candidates = likely_first(zones, zones.index.in_envelope(bbox), &bbox);
                // A zone found to hold all of the unit, and the part of the unit it leaves.
                let mut home: Option<(FeatureId, f64)> = None;
                for zone in candidates {
                    // In a tiling (counties in cities, towns in zones), once one zone holds the
                    // whole unit, a neighbouring zone can only meet it where it overlaps that
                    // zone or in what is left: when those add up to no more than the smallest
                    // overlap counted, the pair need not be intersected.
                    if let Some((h, left_m2)) = home
                        && left_m2 + pair_areas.get(h, zone) <= MIN_OVERLAP_M2
                    {
                        continue;
                    }
                    let zone_polygons = zone_shapes.refs(zone);
                    if zone_polygons.is_empty() {
                        continue;
                    }
                    let (piece, note) = intersect_known(
                        zone_shapes.known(zone, &zone_polygons, Some(zone_areas[zone.index()])),
                        unit_shapes.known(unit_id, &unit_polygons, Some(unit_area)),
                        snap_m,
                    );
                    if let Some(note) = note {
                        snapped.push(Snapped {
                            zone,
                            unit: Some(unit_id),
                            other_zone: None,
                            note,
                        });
                    }
                    let left_m2 = unit_area.m2 - piece.area.m2;
                    if home.is_none() && left_m2 <= MIN_OVERLAP_M2 {
                        home = Some((zone, left_m2.max(0.0)));
                    }
                    if piece.area.m2 > MIN_OVERLAP_M2 {
                        pieces.push((zone, piece));
                    }
                }
            }
            // The union of the pieces, so that land in two zones counts once.
            let overlaps_within = pieces
                .iter()
                .enumerate()
                .any(|(k, (a, _))| pieces[k + 1..].iter().any(|(b, _)| overlapping(*a, *b)));
            let covered_m2 = if overlaps_within {
                let zones: Vec<Vec<_>> = pieces.iter().map(|(z, _)| zone_shapes.refs(*z)).collect();
                covered_by(&unit_polygons, &zones, snap_m).area.m2
            } else {
                pieces.iter().map(|(_, p)| p.area.m2).sum::<f64>()
            };
            let covered = Area::from_m2(covered_m2.min(unit_area.m2));
            let share = |m2: f64| {
                if unit_area.m2 > 0.0 {
                    m2 / unit_area.m2
                } else {
                    0.0
                }
            };
            let status = if share(unit_area.m2 - covered.m2) < COVERAGE_TOLERANCE {
                CoverageStatus::Full
            } else if share(covered.m2) < COVERAGE_TOLERANCE {
                CoverageStatus::Uncovered
            } else {
                CoverageStatus::Partial
            };
            let mut covering: Vec<(FeatureId, f64)> = pieces
                .iter()
                .filter(|(_, p)| share(p.area.m2) >= COVERAGE_TOLERANCE)
                .map(|(z, p)| (*z, p.area.m2))
                .collect();
            covering.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let overlaps = pieces
                .iter()
                .map(|(zone, p)| {
                    let zone_area = zone_areas[zone.index()].m2;
                    Overlap {
                        zone: *zone,
                        unit: unit_id,
                        area: p.area,
                        share_of_unit: share(p.area.m2).min(1.0),
                        share_of_zone: if zone_area > 0.0 {
                            (p.area.m2 / zone_area).min(1.0)
                        } else {
                            0.0
                        },
                    }
                })
                .collect();
            let coverage = UnitCoverage {
                unit: unit_id,
                area: unit_area,
                covered,
                status,
                zones: covering.into_iter().map(|(z, _)| z).collect(),
            };
            (coverage, overlaps, snapped)
        })
        .collect()
}
