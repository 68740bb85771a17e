//! Zone × unit analyses: overlap, coverage, zone-to-zone overlaps and pilots.
//!
//! [`analyse`] runs them all at once, because they share their expensive part (the
//! intersections). The window and `zonemap report` both call it.

pub mod coverage;
pub mod outside;
pub mod pilots;

use geo::Polygon;
use rayon::prelude::*;

use crate::core::measure::{Area, geodesic_area_sum};
use crate::core::model::{FeatureId, Layer};
use crate::core::topology::DEFAULT_SNAP_M;
use crate::core::topology::EdgeRuns;
use crate::core::topology::overlay::Known;

pub use coverage::{CoverageClass, CoverageStatus, CoverageTotals, UnitCoverage, ZoneOverlap};
pub use outside::{OutsidePiece, ZoneOutside};
pub use pilots::{Pilot, PilotUnit};

/// A unit counts as covered by a zone, and as fully covered or uncovered, within this share of
/// its area: a zone must cover at least 0.1% of a unit to count as covering it, a unit with less
/// than 0.1% covered is `uncovered`, and one with less than 0.1% left over is `full`. Slivers
/// from boundaries drawn from different sources stay below it; their overlaps are still listed.
pub const COVERAGE_TOLERANCE: f64 = 0.001;

/// Overlaps below this area (m²) are rounding noise on shared boundaries, not overlaps.
pub const MIN_OVERLAP_M2: f64 = 1.0;

/// Where a zone and a unit overlap.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// The zone, in the zones layer.
    pub zone: FeatureId,
    /// The unit, in the units layer.
    pub unit: FeatureId,
    /// Geodesic area of the overlap.
    pub area: Area,
    /// Overlap area over the unit's area, 0..1.
    pub share_of_unit: f64,
    /// Overlap area over the zone's area, 0..1.
    pub share_of_zone: f64,
}

/// Everything the coverage views and reports show, for one zones layer over one units layer.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Geodesic area of each zone, indexed by its [`FeatureId`].
    pub zone_areas: Vec<Area>,
    /// Geodesic area of each unit, indexed by its [`FeatureId`].
    pub unit_areas: Vec<Area>,
    /// Every zone–unit pair that overlaps, sorted by zone then unit.
    pub overlaps: Vec<Overlap>,
    /// Coverage of each unit that has areal geometry, in unit order.
    pub units: Vec<UnitCoverage>,
    /// Pairs of zones that overlap each other, sorted.
    pub zone_overlaps: Vec<ZoneOverlap>,
    /// One entry per value of the zones' `pilot` property, sorted by name.
    pub pilots: Vec<Pilot>,
    /// Coverage counts and areas summed over all units.
    pub totals: CoverageTotals,
    /// Overlaps that snapping changed, listed so that the slivers it closed can be seen.
    pub snapped: Vec<Snapped>,
    /// The zones with land in no unit (drawn past the units), in zone order.
    pub outside: Vec<ZoneOutside>,
    /// The options it was run with.
    pub options: AnalysisOptions,
}

impl Analysis {
    /// Each zone-to-zone overlap as a feature named "A ∩ B", for drawing on a coverage map.
    pub fn overlap_features(&self, zones: &Layer) -> Vec<crate::core::Feature> {
        self.zone_overlaps
            .iter()
            .map(|o| {
                let name = format!(
                    "{} ∩ {}",
                    zones.feature(o.zone_a).name,
                    zones.feature(o.zone_b).name
                );
                let geometry = geo::Geometry::MultiPolygon(o.geometry.clone());
                crate::core::Feature::new(
                    name.clone(),
                    name,
                    serde_json::Map::new(),
                    Some(geometry),
                )
            })
            .collect()
    }

    /// Each unit's coverage class by its [`FeatureId`]; `None` for units without polygons.
    pub fn unit_classes(&self, units: &Layer) -> Vec<Option<CoverageClass>> {
        let mut classes = vec![None; units.features.len()];
        for u in &self.units {
            if let Some(c) = classes.get_mut(u.unit.index()) {
                *c = Some(u.class());
            }
        }
        classes
    }
}

/// Geodesic area of every feature of a layer (zero for features without areal geometry).
pub fn layer_areas(layer: &Layer) -> Vec<Area> {
    layer
        .features
        .par_iter()
        .map(|f| geodesic_area_sum(f.polygons()))
        .collect()
}

/// What an analysis needs of one layer that depends on that layer alone: each feature's
/// geodesic area. The window makes it once when a layer loads, so that a rerun of the coverage
/// pays only for the pairs.
#[derive(Clone, Debug, Default)]
pub struct LayerPrep {
    /// Geodesic area of each feature, indexed by its [`FeatureId`] (zero for features
    /// without areal geometry).
    pub areas: Vec<Area>,
}

impl LayerPrep {
    /// Measures every feature of `layer`, on all cores.
    pub fn new(layer: &Layer) -> Self {
        LayerPrep {
            areas: layer_areas(layer),
        }
    }

    /// Whether this was made for `layer` (same number of features).
    pub fn fits(&self, layer: &Layer) -> bool {
        self.areas.len() == layer.features.len()
    }
}

/// A layer as the overlays take it: its shapes, and for the zones (each intersected with
/// many units) their edges in runs.
pub(crate) struct Prepared<'a> {
    layer: &'a Layer,
    edges: Vec<EdgeRuns>,
}

impl<'a> Prepared<'a> {
    /// The layer's shapes, with each one's edges in runs if `runs` (on all cores).
    fn new(layer: &'a Layer, runs: bool) -> Self {
        let edges = if runs {
            layer
                .features
                .par_iter()
                .map(|f| EdgeRuns::new(&f.polygons()))
                .collect()
        } else {
            Vec::new()
        };
        Prepared { layer, edges }
    }

    pub(crate) fn refs(&self, id: FeatureId) -> Vec<&'a Polygon<f64>> {
        self.layer.feature(id).polygons()
    }

    /// A feature as an overlay operand: its polygons (from [`Prepared::refs`]), area, extent
    /// and edge runs.
    pub(crate) fn known<'p>(
        &'p self,
        id: FeatureId,
        polygons: &'p [&'p Polygon<f64>],
        area: Option<Area>,
    ) -> Known<'p> {
        Known {
            polygons,
            area,
            extent: self.layer.feature(id).bbox,
            edges: self.edges.get(id.index()),
        }
    }
}

/// Runs every analysis of `zones` over `units`, on all cores.
///
/// With the default [`AnalysisOptions`]: boundaries within [`DEFAULT_SNAP_M`] (1 m) of each
/// other are taken as shared.
///
/// # Examples
/// A zone over the west half of a town 0.1° square: the town is partly covered, by the zone's
/// whole area. (GeographicLib: the half is 52,915,292.530 m², the town 105,830,589.202 m²;
/// the halves add up to 4e-8 less than the whole, since the whole's long edges are geodesics
/// of their own. zonemap's areas are within 3e-9 of GeographicLib's: under 1 m² here.)
/// ```
/// use zonemap::core::analysis::{CoverageStatus, analyse};
/// use zonemap::core::{Feature, Layer, Role};
/// use geo::{MultiPolygon, Rect, coord};
///
/// let square = |id: &str, x0: f64, x1: f64| {
///     let rect = Rect::new(coord! { x: x0, y: 31.0 }, coord! { x: x1, y: 31.1 });
///     let shape = Some(MultiPolygon(vec![rect.to_polygon()]).into());
///     Feature::new(id.into(), id.into(), Default::default(), shape)
/// };
/// let zones = Layer::new("zones", Role::Zones, vec![square("West", 120.0, 120.05)]);
/// let towns = Layer::new("towns", Role::Units, vec![square("Town", 120.0, 120.1)]);
/// let analysis = analyse(&zones, &towns);
/// let town = &analysis.units[0];
/// assert_eq!(town.status, CoverageStatus::Partial);
/// assert!((town.covered.m2 - 52_915_292.530).abs() < 1.0);
/// assert!((town.area.m2 - 105_830_589.202).abs() < 1.0);
/// ```
pub fn analyse(zones: &Layer, units: &Layer) -> Analysis {
    analyse_with(zones, units, &AnalysisOptions::default())
}

/// How an analysis treats its inputs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnalysisOptions {
    /// Zone boundaries within this many metres of a unit's (or of another zone's) are snapped
    /// onto it before the overlay (see [`crate::core::topology::snap`]); 0 turns snapping off.
    pub snap_m: f64,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            snap_m: DEFAULT_SNAP_M,
        }
    }
}

/// As [`analyse`], with the given options.
pub fn analyse_with(zones: &Layer, units: &Layer, options: &AnalysisOptions) -> Analysis {
    let (zone_prep, unit_prep) = rayon::join(|| LayerPrep::new(zones), || LayerPrep::new(units));
    analyse_prepared(zones, &zone_prep, units, &unit_prep, options)
}

/// Where snapping changed an overlap: a zone with a unit, or (`unit` none) with another zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapped {
    /// The zone whose boundary was snapped.
    pub zone: FeatureId,
    /// The unit it was snapped onto, for a zone × unit overlap.
    pub unit: Option<FeatureId>,
    /// The other zone, for a zone × zone overlap.
    pub other_zone: Option<FeatureId>,
    /// What snapping moved, and the overlap's area without and with it.
    pub note: crate::core::topology::overlay::SnapNote,
}

/// As [`analyse_with`], with each layer's [`LayerPrep`] made beforehand (it must fit its
/// layer).
pub fn analyse_prepared(
    zones: &Layer,
    zone_prep: &LayerPrep,
    units: &Layer,
    unit_prep: &LayerPrep,
    options: &AnalysisOptions,
) -> Analysis {
    debug_assert!(zone_prep.fits(zones) && unit_prep.fits(units));
    let zone_areas = zone_prep.areas.clone();
    let unit_areas = unit_prep.areas.clone();
    let zone_shapes = Prepared::new(zones, true);
    let unit_shapes = Prepared::new(units, false);
    let (zone_overlaps, pair_areas, mut snapped) =
        coverage::zone_overlaps(zones, &zone_shapes, options.snap_m);
    let per_unit = coverage::cover_units(
        zones,
        units,
        &zone_shapes,
        &unit_shapes,
        &zone_areas,
        &unit_areas,
        &zone_overlaps,
        &pair_areas,
        options.snap_m,
    );
    let mut overlaps: Vec<Overlap> = per_unit.iter().flat_map(|(_, o, _)| o.clone()).collect();
    snapped.extend(per_unit.iter().flat_map(|(_, _, s)| s.iter().cloned()));
    snapped.sort_by_key(|s| (s.zone, s.unit, s.other_zone));
    overlaps.sort_by_key(|o| (o.zone, o.unit));
    let units_coverage: Vec<UnitCoverage> = per_unit.into_iter().map(|(c, _, _)| c).collect();
    let zone_overlaps = coverage::with_units(zone_overlaps, &units_coverage);
    let totals = CoverageTotals::sum(&units_coverage);
    let pilots = pilots::pilots(zones, units, &overlaps, &unit_areas, totals.unit_area);
    let outside = outside::zones_outside(zones, units, &zone_areas, &overlaps, options.snap_m);
    Analysis {
        zone_areas,
        unit_areas,
        overlaps,
        units: units_coverage,
        zone_overlaps,
        pilots,
        totals,
        snapped,
        outside,
        options: *options,
    }
}

/// Pieces too small to be meant, below a size the user chooses: listed apart so that they are
/// neither counted silently nor hidden.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Slivers {
    /// Zone–unit overlaps smaller than the size, as indices into [`Analysis::overlaps`].
    pub overlaps: Vec<usize>,
    /// Zone–zone overlaps smaller than the size, as indices into [`Analysis::zone_overlaps`].
    pub zone_overlaps: Vec<usize>,
    /// Units with an uncovered remainder smaller than the size (but some of them covered),
    /// as indices into [`Analysis::units`].
    pub gaps: Vec<usize>,
}

impl Slivers {
    /// Number of slivers of all three kinds.
    pub fn len(&self) -> usize {
        self.overlaps.len() + self.zone_overlaps.len() + self.gaps.len()
    }

    /// Whether there are no slivers at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Analysis {
    /// The overlaps and gaps under `max_m2`, each kind sorted smallest first. Gaps under
    /// [`MIN_OVERLAP_M2`] are rounding on shared boundaries and are left out.
    pub fn slivers(&self, max_m2: f64) -> Slivers {
        let sort_by_area = |indices: &mut Vec<usize>, area: &dyn Fn(usize) -> f64| {
            indices.sort_by(|&a, &b| area(a).total_cmp(&area(b)));
        };
        let mut overlaps: Vec<usize> = (0..self.overlaps.len())
            .filter(|&i| self.overlaps[i].area.m2 < max_m2)
            .collect();
        sort_by_area(&mut overlaps, &|i| self.overlaps[i].area.m2);
        let mut zone_overlaps: Vec<usize> = (0..self.zone_overlaps.len())
            .filter(|&i| self.zone_overlaps[i].area.m2 < max_m2)
            .collect();
        sort_by_area(&mut zone_overlaps, &|i| self.zone_overlaps[i].area.m2);
        let mut gaps: Vec<usize> = (0..self.units.len())
            .filter(|&i| {
                let u = &self.units[i];
                let gap = u.uncovered().m2;
                u.status != CoverageStatus::Uncovered && gap > MIN_OVERLAP_M2 && gap < max_m2
            })
            .collect();
        sort_by_area(&mut gaps, &|i| self.units[i].uncovered().m2);
        Slivers {
            overlaps,
            zone_overlaps,
            gaps,
        }
    }
}
