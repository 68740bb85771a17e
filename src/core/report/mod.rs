//! The coverage report: what `zonemap report` prints, as a table, JSON or CSV.
//!
//! [`Report::build`] turns an [`Analysis`] into rows with ids, names and rounded figures; the
//! JSON form is for programs and keeps exactly the keys documented in README.md.

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::core::analysis::{Analysis, CoverageStatus};
use crate::core::format::{fixed, round6, signed};
use crate::core::io::WarningKind;
use crate::core::model::{FeatureId, Layer};

mod write;

/// One zone with areal geometry, in the zones layer's order.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ZoneRow {
    /// The zone's id.
    pub id: String,
    /// The zone's name.
    pub name: String,
    /// Geodesic area, km², rounded to 6 decimals.
    pub area_km2: f64,
    /// The zone's official (published) area, from its `official_km2` property (or one typed
    /// in the window and kept in the project), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_km2: Option<f64>,
    /// `area_km2` less `official_km2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_diff_km2: Option<f64>,
    /// Its area in no unit (drawn past the units: into a lake, the next district), km²,
    /// rounded to 6 decimals; 0 for most zones. [`Report::outside`] lists the pieces.
    pub outside_km2: f64,
    /// That difference as a percentage of `official_km2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_diff_pct: Option<f64>,
    /// What the loader or the analysis had to say about it ("repaired", "duplicate id",
    /// "snapped"); the `warnings` say it in full.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One unit with areal geometry and its coverage, in the units layer's order.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UnitRow {
    /// The unit's id.
    pub id: String,
    /// The unit's name.
    pub name: String,
    /// Geodesic area, km², rounded to 6 decimals.
    pub area_km2: f64,
    /// Area covered by any zone (the union, so counted once), km², rounded to 6 decimals.
    pub covered_km2: f64,
    /// `full`, `partial` or `uncovered`.
    pub status: CoverageStatus,
    /// Names of the zones covering the unit, largest share first.
    pub zones: Vec<String>,
    /// As [`ZoneRow::notes`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Where a zone and a unit overlap; sorted by zone, then unit.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OverlapRow {
    /// The zone's id.
    pub zone: String,
    /// The zone's name.
    pub zone_name: String,
    /// The unit's id.
    pub unit: String,
    /// The unit's name.
    pub unit_name: String,
    /// Area of the overlap, km², rounded to 6 decimals.
    pub area_km2: f64,
    /// Overlap area over the unit's area, 0..1, rounded to 6 decimals.
    pub share_of_unit: f64,
    /// Overlap area over the zone's area, 0..1, rounded to 6 decimals.
    pub share_of_zone: f64,
}

/// Two zones that overlap, the first with the lower index in the zones layer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ZoneOverlapRow {
    /// The first zone's id.
    pub zone_a: String,
    /// The first zone's name.
    pub zone_a_name: String,
    /// The second zone's id.
    pub zone_b: String,
    /// The second zone's name.
    pub zone_b_name: String,
    /// Area counted in both, km², rounded to 6 decimals.
    pub area_km2: f64,
    /// Names of the units both zones cover.
    pub units: Vec<String>,
}

/// A unit in a pilot.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PilotUnitRow {
    /// The unit's id.
    pub id: String,
    /// The unit's name.
    pub name: String,
    /// The part of the unit in the pilot (all of it when added), km², rounded to 6 decimals.
    pub area_km2: f64,
    /// True when the pilot adds the unit by `pilot_adds` rather than by its zones' outline.
    pub added: bool,
}

/// One piece of a zone that lies in no unit.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OutsideRow {
    /// The zone's id.
    pub zone: String,
    /// The zone's name.
    pub zone_name: String,
    /// Geodesic area, km², rounded to 6 decimals.
    pub area_km2: f64,
    /// Where: `[west, south, east, north]`, degrees.
    pub extent: [f64; 4],
}

/// One pilot programme: the zones sharing a `pilot` value; sorted by that value.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PilotRow {
    /// The zones' `pilot` value.
    pub pilot: String,
    /// Names of its zones, in the zones layer's order.
    pub zones: Vec<String>,
    /// The units its zones cover (at least the coverage tolerance of each), then added ones.
    pub units: Vec<PilotUnitRow>,
    /// Area of its units (the parts its zones cover, whole added units), km², rounded to 6
    /// decimals.
    pub area_km2: f64,
    /// `area_km2` over the area of all units, 0..1, rounded to 6 decimals.
    pub share_of_units: f64,
}

/// Coverage totals over the units with areal geometry.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CoverageRow {
    /// Units counted.
    pub units: usize,
    /// Units fully covered.
    pub full: usize,
    /// Units partly covered.
    pub partial: usize,
    /// Units not covered.
    pub uncovered: usize,
    /// Units covered by more than one zone.
    pub multi_zone_units: usize,
    /// Summed area of the units, km², rounded to 6 decimals.
    pub unit_area_km2: f64,
    /// Summed covered area of the units, km², rounded to 6 decimals.
    pub covered_km2: f64,
    /// Summed uncovered area of the units, km², rounded to 6 decimals.
    pub uncovered_km2: f64,
}

/// One thing a figure's reader should know: a feature repaired, skipped or sharing its id, a
/// name no font can draw, an overlap that snapping changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WarningRow {
    /// The file (or layer) it is about.
    pub file: String,
    /// The feature's place in the file (0-based), when it is about one feature.
    pub feature: Option<usize>,
    /// The feature's id, when it is about one that has one.
    pub id: Option<String>,
    /// The feature's name, when it is about one that has one.
    pub name: Option<String>,
    /// `skipped`, `repaired`, `duplicate_id`, `not_a_feature`, `missing_glyphs`,
    /// `no_polygons`, `snapped`, `datum` (a layer in Beijing 1954 or Xi'an 1980) or
    /// `encoding` (text not valid in the encoding it was read with).
    pub kind: String,
    /// The whole warning in one line, as the table prints it.
    pub message: String,
}

/// CSV as a file for spreadsheets: with a UTF-8 byte-order mark, without which Excel on a
/// Chinese Windows reads the file as GBK and garbles every name. Every CSV zonemap writes to a
/// file goes through here (the window's matrix and `report --out`); CSV on standard output has
/// no mark, for pipes.
pub fn csv_for_spreadsheets(csv: &str) -> String {
    format!("{SPREADSHEET_BOM}{csv}")
}

/// The byte-order mark that tells Excel a CSV file is UTF-8 (U+FEFF), put first in every CSV
/// zonemap writes.
pub const SPREADSHEET_BOM: &str = "\u{feff}";

/// The property holding a zone's official (published) area in km².
pub const OFFICIAL_KM2: &str = "official_km2";

/// Everything `zonemap report` says about a zones layer over a units layer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// Each zone's area (and official area).
    pub zones: Vec<ZoneRow>,
    /// Each unit's coverage.
    pub units: Vec<UnitRow>,
    /// Every zone–unit overlap.
    pub overlaps: Vec<OverlapRow>,
    /// Zones that overlap each other.
    pub zone_overlaps: Vec<ZoneOverlapRow>,
    /// Pilot programmes, by the zones' `pilot` property.
    pub pilots: Vec<PilotRow>,
    /// The pieces of zones that lie in no unit, zone by zone, largest first within a zone.
    pub outside: Vec<OutsideRow>,
    /// Totals over all units.
    pub coverage: CoverageRow,
    /// What the loader and the analysis had to say, zones layer first.
    pub warnings: Vec<WarningRow>,
}

impl Report {
    /// Builds the report of `analysis`, which must have been run on `zones` over `units`:
    /// ids and names from the layers, areas in km² and shares rounded to 6 decimals.
    ///
    /// # Examples
    /// Two zones side by side over one town 0.1° square: each covers half of it, so the town
    /// is fully covered, by two zones.
    /// ```
    /// use zonemap::core::analysis::{CoverageStatus, analyse};
    /// use zonemap::core::report::Report;
    /// use zonemap::core::{Feature, Layer, Role};
    /// use geo::{MultiPolygon, Rect, coord};
    ///
    /// let square = |id: &str, x0: f64, x1: f64| {
    ///     let rect = Rect::new(coord! { x: x0, y: 31.0 }, coord! { x: x1, y: 31.1 });
    ///     let shape = Some(MultiPolygon(vec![rect.to_polygon()]).into());
    ///     Feature::new(id.into(), id.into(), Default::default(), shape)
    /// };
    /// let zones = Layer::new(
    ///     "zones",
    ///     Role::Zones,
    ///     vec![square("West", 120.0, 120.05), square("East", 120.05, 120.1)],
    /// );
    /// let towns = Layer::new("towns", Role::Units, vec![square("Town", 120.0, 120.1)]);
    /// let report = Report::build(&zones, &towns, &analyse(&zones, &towns));
    /// let town = &report.units[0];
    /// assert_eq!(town.status, CoverageStatus::Full);
    /// assert_eq!(town.zones.len(), 2);
    /// assert_eq!(report.coverage.multi_zone_units, 1);
    /// // GeographicLib: each half 52.915293 km², the town 105.830589 km² (within 1 m², and
    /// // the rounding to 6 decimals).
    /// assert!((report.zones[0].area_km2 - 52.915293).abs() < 2e-6);
    /// assert!((town.area_km2 - 105.830589).abs() < 2e-6);
    /// ```
    pub fn build(zones: &Layer, units: &Layer, analysis: &Analysis) -> Report {
        let zone_name = |id: FeatureId| zones.feature(id).name.clone();
        let unit_name = |id: FeatureId| units.feature(id).name.clone();
        let t = &analysis.totals;
        let warnings = warnings(zones, units, analysis);
        let notes = |layer: &Layer, id: FeatureId| -> Vec<String> {
            let f = layer.feature(id);
            let mut n: Vec<String> = f
                .notes
                .iter()
                .map(|(k, _)| kind_name(*k).replace('_', " "))
                .collect();
            n.dedup();
            n
        };
        let snapped_zones: std::collections::BTreeSet<FeatureId> =
            analysis.snapped.iter().map(|s| s.zone).collect();
        Report {
            zones: zones
                .ids()
                .filter(|&id| zones.feature(id).is_areal())
                .map(|id| {
                    let area_km2 = round6(analysis.zone_areas[id.index()].km2());
                    let official = zones
                        .feature(id)
                        .property_number(OFFICIAL_KM2)
                        .filter(|v| *v > 0.0);
                    let mut notes = notes(zones, id);
                    if snapped_zones.contains(&id) {
                        notes.push("snapped".to_owned());
                    }
                    ZoneRow {
                        id: zones.feature(id).id.clone(),
                        name: zone_name(id),
                        area_km2,
                        official_km2: official,
                        official_diff_km2: official.map(|o| round6(area_km2 - o)),
                        outside_km2: analysis
                            .outside
                            .iter()
                            .find(|o| o.zone == id)
                            .map_or(0.0, |o| round6(o.area.km2())),
                        official_diff_pct: official.map(|o| round6((area_km2 - o) / o * 100.0)),
                        notes,
                    }
                })
                .collect(),
            units: analysis
                .units
                .iter()
                .map(|u| UnitRow {
                    id: units.feature(u.unit).id.clone(),
                    name: unit_name(u.unit),
                    area_km2: round6(u.area.km2()),
                    covered_km2: round6(u.covered.km2()),
                    status: u.status,
                    zones: u.zones.iter().map(|&z| zone_name(z)).collect(),
                    notes: notes(units, u.unit),
                })
                .collect(),
            overlaps: analysis
                .overlaps
                .iter()
                .map(|o| OverlapRow {
                    zone: zones.feature(o.zone).id.clone(),
                    zone_name: zone_name(o.zone),
                    unit: units.feature(o.unit).id.clone(),
                    unit_name: unit_name(o.unit),
                    area_km2: round6(o.area.km2()),
                    share_of_unit: round6(o.share_of_unit),
                    share_of_zone: round6(o.share_of_zone),
                })
                .collect(),
            zone_overlaps: analysis
                .zone_overlaps
                .iter()
                .map(|o| ZoneOverlapRow {
                    zone_a: zones.feature(o.zone_a).id.clone(),
                    zone_a_name: zone_name(o.zone_a),
                    zone_b: zones.feature(o.zone_b).id.clone(),
                    zone_b_name: zone_name(o.zone_b),
                    area_km2: round6(o.area.km2()),
                    units: o.units.iter().map(|&u| unit_name(u)).collect(),
                })
                .collect(),
            pilots: analysis
                .pilots
                .iter()
                .map(|p| PilotRow {
                    pilot: p.name.clone(),
                    zones: p.zones.iter().map(|&z| zone_name(z)).collect(),
                    units: p
                        .units
                        .iter()
                        .map(|u| PilotUnitRow {
                            id: units.feature(u.unit).id.clone(),
                            name: unit_name(u.unit),
                            area_km2: round6(u.area.km2()),
                            added: u.added,
                        })
                        .collect(),
                    area_km2: round6(p.area.km2()),
                    share_of_units: round6(p.share_of_units),
                })
                .collect(),
            outside: analysis
                .outside
                .iter()
                .flat_map(|o| {
                    o.pieces.iter().map(move |p| OutsideRow {
                        zone: zones.feature(o.zone).id.clone(),
                        zone_name: zone_name(o.zone),
                        area_km2: round6(p.area.km2()),
                        extent: p.extent,
                    })
                })
                .collect(),
            coverage: CoverageRow {
                units: t.units,
                full: t.full,
                partial: t.partial,
                uncovered: t.uncovered,
                multi_zone_units: t.multi_zone_units,
                unit_area_km2: round6(t.unit_area.km2()),
                covered_km2: round6(t.covered.km2()),
                uncovered_km2: round6(t.uncovered_area.km2()),
            },
            warnings,
        }
    }
}

/// The warnings of a report: the layers' own (but repeated points, which change no figure),
/// features without polygons, names no font can draw, and overlaps that snapping changed.
fn warnings(zones: &Layer, units: &Layer, analysis: &Analysis) -> Vec<WarningRow> {
    let mut out: Vec<WarningRow> = Vec::new();
    let file_of = |layer: &Layer| {
        layer
            .path
            .as_ref()
            .map_or(layer.name.clone(), |p| p.display().to_string())
    };
    for (layer, role) in [(zones, "zones"), (units, "units")] {
        for w in layer
            .warnings
            .iter()
            .filter(|w| w.kind != WarningKind::RepeatedPoints)
        {
            out.push(WarningRow {
                file: w.file.clone(),
                feature: Some(w.index),
                id: w.id.clone(),
                name: w.name.clone(),
                kind: kind_name(w.kind).to_owned(),
                message: w.to_string(),
            });
        }
        out.extend(missing_glyph_warnings(layer));
        if let Some(warning) = layer.crs.warning() {
            out.push(WarningRow {
                file: file_of(layer),
                feature: None,
                id: None,
                name: None,
                kind: "datum".to_owned(),
                message: format!("{}: {warning}", file_of(layer)),
            });
        }
        let skipped = layer.features.iter().filter(|f| !f.is_areal()).count();
        if skipped > 0 {
            out.push(WarningRow {
                file: file_of(layer),
                feature: None,
                id: None,
                name: None,
                kind: "no_polygons".to_owned(),
                message: format!(
                    "{}: {skipped} feature(s) without polygons are left out of the {role}",
                    file_of(layer)
                ),
            });
        }
    }
    for s in &analysis.snapped {
        let zone = zones.feature(s.zone);
        let other = match (s.unit, s.other_zone) {
            (Some(u), _) => units.feature(u).name.clone(),
            (None, Some(z)) => zones.feature(z).name.clone(),
            (None, None) => String::new(),
        };
        let n = &s.note;
        out.push(WarningRow {
            file: file_of(zones),
            feature: None,
            id: Some(zone.id.clone()),
            name: Some(zone.name.clone()),
            kind: "snapped".to_owned(),
            message: format!(
                "{} × {other}: boundaries within the {} m snapping tolerance taken as shared ({} vertices moved, at most {} m; {} put in): overlap {} km² ({} km² as drawn); the {} m² between the two are slivers along their boundaries, not counted",
                zone.name,
                analysis.options.snap_m,
                n.stats.moved,
                fixed(n.stats.max_shift_m, 2),
                n.stats.inserted,
                fixed(n.snapped.km2(), 6),
                fixed(n.raw.km2(), 6),
                fixed((n.snapped.m2 - n.raw.m2).abs(), 0),
            ),
        });
    }
    out
}

/// Warnings for the features of `layer` whose names have characters no font here can draw.
pub fn missing_glyph_warnings(layer: &Layer) -> Vec<WarningRow> {
    let fonts = crate::core::fonts::Fonts::get();
    let file = layer
        .path
        .as_ref()
        .map_or(layer.name.clone(), |p| p.display().to_string());
    layer
        .features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let missing = fonts.missing(&f.name);
            (!missing.is_empty()).then(|| {
                let chars: String = missing.iter().collect();
                WarningRow {
                    file: file.clone(),
                    feature: Some(i),
                    id: Some(f.id.clone()),
                    name: Some(f.name.clone()),
                    kind: kind_name(WarningKind::MissingGlyphs).to_owned(),
                    message: format!(
                        "{file}: feature {i} (id {}, {}): its name has characters no font here can draw ({chars}); {}",
                        f.id,
                        f.name,
                        WarningKind::MissingGlyphs.action()
                    ),
                }
            })
        })
        .collect()
}

/// A warning kind's name in JSON and CSV.
pub fn kind_name(kind: WarningKind) -> &'static str {
    match kind {
        WarningKind::Skipped => "skipped",
        WarningKind::Repaired => "repaired",
        WarningKind::DuplicateId => "duplicate_id",
        WarningKind::NotAFeature => "not_a_feature",
        WarningKind::MissingGlyphs => "missing_glyphs",
        WarningKind::RepeatedPoints => "repeated_points",
        WarningKind::Encoding => "encoding",
        WarningKind::Heights => "heights",
    }
}
