//! Overlap, coverage, zone overlaps and pilots, on made-up rectangles with GeographicLib
//! reference areas, and on the bundled Suzhou data.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use zonemap::core::Role;
use zonemap::core::analysis::{AnalysisOptions, CoverageStatus, analyse, analyse_with};
use zonemap::core::report::Report;

use crate::util::{load, parse_ok, rect};

// GeographicLib 2.1 areas (m²) of lon/lat rectangles with geodesic edges
// (scripts/reference_areas.py, "// rectangles").
const DEG_01_AT_31: f64 = 105_830_589.202; // 0.1° × 0.1° at 31.0–31.1°N
const DEG_01_AT_312: f64 = 105_611_914.548; // 0.1° × 0.1° at 31.2–31.3°N
const HALF_AT_312: f64 = 52_805_955.301; // 0.05° × 0.1° at 31.2–31.3°N
const Z1_AREA: f64 = 158_745_894.155; // 0.15° × 0.1° at 31.0–31.1°N

// Overlaps and covered areas (scripts/reference_areas.py, "// scenario"): shapely (GEOS)
// intersects the outlines as drawn, straight lines in lon/lat, and GeographicLib measures the
// pieces. A lies in Z1 as drawn, so A∩Z1 is all of A. B is cut at 120.15°E: each half's edges
// along the parallels are geodesics from 120.1 to 120.15 and on to 120.2, which enclose 4 m²
// less than B's own 0.1° edges, so B, fully covered, counts 4 m² short of its area.
const A_IN_Z1: f64 = 105_830_589.202;
const B_IN_Z1: f64 = 52_915_292.530;
const B_COVERED: f64 = 105_830_585.061;
const C_COVERED: f64 = 52_915_292.530;
const D_COVERED: f64 = 105_611_910.603;
const D_IN_Z4: f64 = 52_805_955.301;
const Z3_Z4: f64 = 52_805_955.301;

fn feature(name: &str, ring: Vec<(f64, f64)>, extra: &str) -> String {
    let mut pts: Vec<String> = ring.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    pts.push(pts[0].clone());
    format!(
        r#"{{"type":"Feature","properties":{{"name":"{name}","code":"{name}"{extra}}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
        pts.join(",")
    )
}

fn collection(features: Vec<String>) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// Units A (in one zone), B (split across two), C (half covered), D (in two overlapping zones)
/// and F (uncovered); zone Z5 is a pilot that adds F.
fn scenario() -> (zonemap::core::Layer, zonemap::core::Layer) {
    let units = collection(vec![
        feature("A", rect(120.0, 31.0, 120.1, 31.1), ""),
        feature("B", rect(120.1, 31.0, 120.2, 31.1), ""),
        feature("C", rect(120.3, 31.0, 120.4, 31.1), ""),
        feature("D", rect(120.0, 31.2, 120.1, 31.3), ""),
        feature("F", rect(120.5, 31.0, 120.6, 31.1), ""),
    ]);
    let zones = collection(vec![
        feature("Z1", rect(120.0, 31.0, 120.15, 31.1), ""),
        feature("Z2", rect(120.15, 31.0, 120.2, 31.1), ""),
        feature("Z3", rect(120.0, 31.2, 120.1, 31.3), ""),
        feature("Z4", rect(120.05, 31.2, 120.1, 31.3), ""),
        feature(
            "Z5",
            rect(120.3, 31.0, 120.35, 31.1),
            r#","pilot":"P","pilot_adds":["F"]"#,
        ),
    ]);
    (parse_ok(&zones, Role::Zones), parse_ok(&units, Role::Units))
}

#[test]
fn each_unit_gets_its_status_and_zones() {
    let (zones, units) = scenario();
    let a = analyse(&zones, &units);
    let names = |ids: &[zonemap::core::FeatureId]| -> Vec<String> {
        ids.iter().map(|&z| zones.feature(z).name.clone()).collect()
    };
    let row = |name: &str| {
        a.units
            .iter()
            .find(|u| units.feature(u.unit).name == name)
            .expect("unit")
    };
    // A: inside Z1.
    assert_eq!(row("A").status, CoverageStatus::Full);
    assert_eq!(names(&row("A").zones), ["Z1"]);
    assert_abs_diff_eq!(row("A").covered.m2, A_IN_Z1, epsilon = 2.0);
    // B: split across Z1 and Z2, half each.
    assert_eq!(row("B").status, CoverageStatus::Full);
    let mut b_zones = names(&row("B").zones);
    b_zones.sort();
    assert_eq!(b_zones, ["Z1", "Z2"]);
    assert_abs_diff_eq!(row("B").covered.m2, B_COVERED, epsilon = 2.0);
    // C: half covered.
    assert_eq!(row("C").status, CoverageStatus::Partial);
    assert_abs_diff_eq!(row("C").covered.m2, C_COVERED, epsilon = 2.0);
    assert_relative_eq!(row("C").covered_share(), 0.5, max_relative = 1e-4);
    // D: in Z3 and Z4, which overlap; covered once, not one and a half times.
    assert_eq!(row("D").status, CoverageStatus::Full);
    assert_eq!(names(&row("D").zones), ["Z3", "Z4"]);
    assert_abs_diff_eq!(row("D").covered.m2, D_COVERED, epsilon = 2.0);
    // F: nothing covers it.
    assert_eq!(row("F").status, CoverageStatus::Uncovered);
    assert!(row("F").zones.is_empty());
    assert_eq!(row("F").covered.m2, 0.0);
}

#[test]
fn overlaps_give_shares_both_ways() {
    let (zones, units) = scenario();
    let a = analyse(&zones, &units);
    let find = |z: &str, u: &str| {
        a.overlaps
            .iter()
            .find(|o| zones.feature(o.zone).name == z && units.feature(o.unit).name == u)
            .unwrap_or_else(|| panic!("{z} × {u}"))
    };
    assert_eq!(a.overlaps.len(), 6);
    let o = find("Z1", "A");
    assert_abs_diff_eq!(o.area.m2, A_IN_Z1, epsilon = 2.0);
    assert_relative_eq!(o.share_of_unit, A_IN_Z1 / DEG_01_AT_31, max_relative = 1e-7);
    assert_relative_eq!(o.share_of_zone, A_IN_Z1 / Z1_AREA, max_relative = 1e-7);
    let o = find("Z1", "B");
    assert_abs_diff_eq!(o.area.m2, B_IN_Z1, epsilon = 2.0);
    assert_relative_eq!(o.share_of_unit, B_IN_Z1 / DEG_01_AT_31, max_relative = 1e-7);
    let o = find("Z4", "D");
    assert_abs_diff_eq!(o.area.m2, D_IN_Z4, epsilon = 2.0);
    assert_relative_eq!(o.share_of_zone, D_IN_Z4 / HALF_AT_312, max_relative = 1e-7);
}

#[test]
fn totals_count_double_coverage_once() {
    let (zones, units) = scenario();
    let t = analyse(&zones, &units).totals;
    assert_eq!(
        (t.units, t.full, t.partial, t.uncovered, t.multi_zone_units),
        (5, 3, 1, 1, 2)
    );
    let unit_area = 4.0 * DEG_01_AT_31 + DEG_01_AT_312;
    let covered = A_IN_Z1 + B_COVERED + C_COVERED + D_COVERED;
    // Sums of five shapes' areas: 2 m² each.
    assert_abs_diff_eq!(t.unit_area.m2, unit_area, epsilon = 10.0);
    assert_abs_diff_eq!(t.covered.m2, covered, epsilon = 10.0);
    assert_abs_diff_eq!(t.uncovered_area.m2, unit_area - covered, epsilon = 20.0);
}

#[test]
fn overlapping_zones_are_reported_with_their_area_and_units() {
    let (zones, units) = scenario();
    let a = analyse(&zones, &units);
    assert_eq!(a.zone_overlaps.len(), 1, "touching zones do not overlap");
    let o = &a.zone_overlaps[0];
    assert_eq!(
        (
            zones.feature(o.zone_a).name.as_str(),
            zones.feature(o.zone_b).name.as_str()
        ),
        ("Z3", "Z4")
    );
    assert_abs_diff_eq!(o.area.m2, Z3_Z4, epsilon = 2.0);
    let in_both: Vec<&str> = o
        .units
        .iter()
        .map(|&u| units.feature(u).name.as_str())
        .collect();
    assert_eq!(in_both, ["D"]);
}

#[test]
fn a_pilot_counts_its_zones_units_and_the_unit_it_adds() {
    let (zones, units) = scenario();
    let a = analyse(&zones, &units);
    assert_eq!(a.pilots.len(), 1);
    let p = &a.pilots[0];
    assert_eq!(p.name, "P");
    let listed: Vec<(&str, bool)> = p
        .units
        .iter()
        .map(|u| (units.feature(u.unit).name.as_str(), u.added))
        .collect();
    assert_eq!(listed, [("C", false), ("F", true)]);
    assert_abs_diff_eq!(p.area.m2, C_COVERED + DEG_01_AT_31, epsilon = 4.0);
    let unit_area = 4.0 * DEG_01_AT_31 + DEG_01_AT_312;
    assert_relative_eq!(
        p.share_of_units,
        (C_COVERED + DEG_01_AT_31) / unit_area,
        max_relative = 1e-7
    );
}

#[test]
fn bundled_suzhou_coverage() {
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let a = analyse(&zones, &towns);
    let t = a.totals;
    // The sum of the eight towns in tests/areas.rs (GCJ-02 moved to WGS-84, GeographicLib).
    const TOWNS_KM2: f64 = 336.921_779_944;
    // The zones are unions of the town cells, and 太湖科学城 straddles two streets.
    assert_eq!((t.units, t.full, t.multi_zone_units), (8, 8, 2));
    // All 8 towns, GeographicLib (tests/areas.rs).
    // Eight towns, each within 2 m² of GeographicLib.
    assert_abs_diff_eq!(t.unit_area.m2, TOWNS_KM2 * 1e6, epsilon = 16.0);
    assert_abs_diff_eq!(t.covered.m2, t.unit_area.m2, epsilon = 1.0);

    // 太湖科学城 × towns: the outlines as drawn intersected by shapely and measured by
    // GeographicLib (scripts/reference_areas.py, "// overlaps of 太湖科学城").
    let report = Report::build(&zones, &towns, &a);
    let part = |unit: &str| {
        report
            .overlaps
            .iter()
            .find(|o| o.zone_name == "太湖科学城" && o.unit_name == unit)
            .map(|o| o.area_km2)
            .expect("overlap")
    };
    assert!((part("镇湖街道") - 2.686_560_513).abs() <= 2e-6);
    assert!((part("科技城（东渚街道）") - 7.344_759_863).abs() <= 2e-6);
    // It lies inside 科技生态功能片区, so all of it, 10.031320 km² (reference_areas.py,
    // "// zones": 10,031,320.391 m²), is counted in two zones.
    assert_eq!(report.zone_overlaps.len(), 1);
    assert!((report.zone_overlaps[0].area_km2 - 10.031_320_391).abs() <= 2e-6);
    // The pilot: the science-and-ecology area's two streets plus the town it adds, 通安镇.
    let pilot = &report.pilots[0];
    assert_eq!(pilot.pilot, "功能区+镇(街道)运行体制试点");
    let units: Vec<(&str, bool)> = pilot
        .units
        .iter()
        .map(|u| (u.name.as_str(), u.added))
        .collect();
    assert_eq!(
        units,
        [
            ("镇湖街道", false),
            ("科技城（东渚街道）", false),
            ("通安镇", true)
        ]
    );
    let expected_km2 = 145.458_280_354 + 41.064_556_706 + 36.808_898_121;
    assert!((pilot.area_km2 - expected_km2).abs() <= 6e-6);
    // Shares are printed to 6 decimals.
    assert!((pilot.share_of_units - expected_km2 / TOWNS_KM2).abs() <= 1e-6);
}

/// In a tiling, a unit wholly inside one zone is not intersected with the neighbours; a zone
/// that does reach into it must still be found, however the candidates are ordered.
#[test]
fn neighbours_are_skipped_only_when_they_cannot_reach_the_unit() {
    let tiles = |east_start: f64| {
        collection(vec![
            feature("west", rect(120.0, 31.0, 120.2, 31.2), ""),
            feature("east", rect(east_start, 31.0, 120.4, 31.2), ""),
        ])
    };
    let units = parse_ok(
        &collection(vec![
            feature("u1", rect(120.05, 31.05, 120.2, 31.15), ""),
            feature("u2", rect(120.2, 31.05, 120.35, 31.15), ""),
        ]),
        Role::Units,
    );
    // East and west share an edge: each unit is in exactly one zone.
    let zones = parse_ok(&tiles(120.2), Role::Zones);
    let a = analyse(&zones, &units);
    let zones_of = |a: &zonemap::core::analysis::Analysis, u: usize| a.units[u].zones.len();
    assert_eq!((zones_of(&a, 0), zones_of(&a, 1)), (1, 1));
    assert_eq!(a.overlaps.len(), 2);
    // East reaching 0.01° into the west: u1's eastern strip is in both, and is listed, though
    // the west (the likelier zone) holds all of u1.
    let zones = parse_ok(&tiles(120.19), Role::Zones);
    let a = analyse(&zones, &units);
    assert_eq!(a.units[0].zones.len(), 2, "{:?}", a.overlaps);
    let strip = a
        .overlaps
        .iter()
        .find(|o| o.unit.index() == 0 && o.zone.index() == 1)
        .expect("u1 ∩ east");
    // 0.01° × 0.1° at 31.05–31.15°N: scripts/reference_areas.py, "u1∩east".
    assert!(
        (strip.area.m2 - 10_577_603.612).abs() < 2.0,
        "{}",
        strip.area.m2
    );
}

/// Analyses units and zones given as (name, lon/lat rectangle) lists, with the snapping
/// tolerance given.
fn rects_analysis(
    zones: &[(&str, [f64; 4])],
    units: &[(&str, [f64; 4])],
    snap_m: f64,
) -> (
    zonemap::core::Layer,
    zonemap::core::Layer,
    zonemap::core::analysis::Analysis,
) {
    let layer = |list: &[(&str, [f64; 4])], role| {
        parse_ok(
            &collection(
                list.iter()
                    .map(|(n, [x0, y0, x1, y1])| feature(n, rect(*x0, *y0, *x1, *y1), ""))
                    .collect(),
            ),
            role,
        )
    };
    let (zones, units) = (layer(zones, Role::Zones), layer(units, Role::Units));
    let analysis = analyse_with(&zones, &units, &AnalysisOptions { snap_m });
    (zones, units, analysis)
}

// scripts/reference_areas.py, "// coverage thresholds": T0..T3 are 0.1° units at 31°N
// (105,830,589.202 m² each) whose zones cover 0.09%, 0.11%, 99.89% and 99.91% of them.
const T_COVERED: [f64; 4] = [95_247.525, 116_413.642, 105_714_175.541, 105_735_341.661];

#[test]
fn the_coverage_tolerance_of_one_in_a_thousand_holds_from_both_sides() {
    // Each unit alone with its zone (a tolerance anywhere outside 0.09%..0.11% fails here).
    let units = [
        ("T0", [120.0, 31.0, 120.1, 31.1]),
        ("T1", [120.2, 31.0, 120.3, 31.1]),
        ("T2", [120.4, 31.0, 120.5, 31.1]),
        ("T3", [120.6, 31.0, 120.7, 31.1]),
    ];
    let zones = [
        ("in 0.09%", [120.0, 31.0, 120.00009, 31.1]),
        ("in 0.11%", [120.2, 31.0, 120.20011, 31.1]),
        ("all but 0.11%", [120.40011, 31.0, 120.5, 31.1]),
        ("all but 0.09%", [120.60009, 31.0, 120.7, 31.1]),
    ];
    let (zl, ul, a) = rects_analysis(&zones, &units, 1.0);
    let row = |name: &str| {
        a.units
            .iter()
            .find(|u| ul.feature(u.unit).name == name)
            .expect("unit")
    };
    let zone_names = |name: &str| -> Vec<String> {
        row(name)
            .zones
            .iter()
            .map(|&z| zl.feature(z).name.clone())
            .collect()
    };
    for (k, name) in ["T0", "T1", "T2", "T3"].into_iter().enumerate() {
        let r = row(name);
        assert!(
            (r.area.m2 - DEG_01_AT_31).abs() < 2.0,
            "{name}: {}",
            r.area.m2
        );
        assert!(
            (r.covered.m2 - T_COVERED[k]).abs() < 2.0,
            "{name}: covered {} m², GEOS + GeographicLib {}",
            r.covered.m2,
            T_COVERED[k]
        );
    }
    // 0.09% covered: under the tolerance, so not covered and the zone does not count for it…
    assert_eq!(row("T0").status, CoverageStatus::Uncovered);
    assert!(zone_names("T0").is_empty());
    // … but the overlap is still listed, so the sliver is visible.
    let listed = |unit: &str| {
        a.overlaps
            .iter()
            .filter(|o| ul.feature(o.unit).name == unit)
            .count()
    };
    assert_eq!(listed("T0"), 1);
    // 0.11%: over it, so partly covered by that zone.
    assert_eq!(row("T1").status, CoverageStatus::Partial);
    assert_eq!(zone_names("T1"), ["in 0.11%"]);
    // 0.11% left uncovered: partial; 0.09% left: full.
    assert_eq!(row("T2").status, CoverageStatus::Partial);
    assert_eq!(row("T3").status, CoverageStatus::Full);
    assert_eq!(zone_names("T3"), ["all but 0.09%"]);
}

#[test]
fn overlaps_under_one_square_metre_are_dropped_and_over_it_kept() {
    // Zones overlapping a unit's south-west corner by 0.499963 m² and 1.999851 m²
    // (scripts/reference_areas.py, "N1", "N2"); snapping off, which would close both.
    let zones = [
        (
            "N1 zone",
            [
                121.0 - 0.01,
                31.0 - 0.01,
                121.000_010_470_772,
                31.000_004_509_456,
            ],
        ),
        (
            "N2 zone",
            [
                121.2 - 0.01,
                31.0 - 0.01,
                121.200_020_941_544,
                31.000_009_018_913,
            ],
        ),
    ];
    let units = [
        ("N1", [121.0, 31.0, 121.1, 31.1]),
        ("N2", [121.2, 31.0, 121.3, 31.1]),
    ];
    let (zl, ul, a) = rects_analysis(&zones, &units, 0.0);
    let overlaps: Vec<(String, String, f64)> = a
        .overlaps
        .iter()
        .map(|o| {
            (
                zl.feature(o.zone).name.clone(),
                ul.feature(o.unit).name.clone(),
                o.area.m2,
            )
        })
        .collect();
    assert_eq!(overlaps.len(), 1, "{overlaps:?}");
    assert_eq!(
        (overlaps[0].0.as_str(), overlaps[0].1.as_str()),
        ("N2 zone", "N2")
    );
    assert!((overlaps[0].2 - 1.999_851).abs() < 0.01, "{overlaps:?}");
    for u in &a.units {
        assert_eq!(u.status, CoverageStatus::Uncovered);
    }
}

#[test]
fn the_sliver_list_takes_what_is_under_the_size_asked() {
    let units = [
        ("T1", [120.2, 31.0, 120.3, 31.1]),
        ("T2", [120.4, 31.0, 120.5, 31.1]),
    ];
    let zones = [
        ("in 0.11%", [120.2, 31.0, 120.20011, 31.1]),
        ("all but 0.11%", [120.40011, 31.0, 120.5, 31.1]),
    ];
    let (_, _, a) = rects_analysis(&zones, &units, 1.0);
    // T1's overlap is 116,413.642 m²; T2's gap 116,413.661 m² (its area less its covered part).
    let t1 = T_COVERED[1];
    let t2_gap = DEG_01_AT_31 - T_COVERED[2];
    let under = |m2: f64| {
        let s = a.slivers(m2);
        (s.overlaps.len(), s.gaps.len())
    };
    assert_eq!(under(t1 - 10.0), (0, 0));
    assert_eq!(under(t1 + 10.0), (1, 1));
    assert!(t2_gap > t1 && t2_gap < t1 + 10.0);
    assert_eq!(under(1e9).0, 2, "every overlap is under 1,000 km²");
}

#[test]
fn snapping_closes_a_gap_within_the_tolerance_and_not_beyond() {
    // The zone is the unit moved 0.9 m or 1.1 m east (scripts/reference_areas.py, "S0.9",
    // "S1.1"): within 1 m it is snapped onto the unit, which it then covers whole; beyond, it
    // covers it as drawn.
    let covered = |shift: f64, snap_m: f64| {
        let (_, _, a) = rects_analysis(
            &[("Z", [121.4 + shift, 31.0, 121.5 + shift, 31.1])],
            &[("U", [121.4, 31.0, 121.5, 31.1])],
            snap_m,
        );
        a.units[0].covered.m2
    };
    let (d09, d11) = (0.000_009_423_695, 0.000_011_517_849);
    // README: the tolerance is 1 m unless the dock or --snap says otherwise.
    let default = AnalysisOptions::default().snap_m;
    assert!(
        (covered(d09, default) - DEG_01_AT_31).abs() < 2.0,
        "0.9 m is within the default tolerance"
    );
    assert!(
        (covered(d11, default) - 105_818_399.793).abs() < 2.0,
        "1.1 m is beyond the default tolerance"
    );
    assert!((covered(d09, 1.0) - DEG_01_AT_31).abs() < 2.0);
    assert!((covered(d11, 1.0) - 105_818_399.793).abs() < 2.0);
    assert!((covered(d11, 1.2) - DEG_01_AT_31).abs() < 2.0);
    assert!((covered(d09, 0.0) - 105_820_616.049).abs() < 2.0);
}

/// Zone land in no unit (issue 18): the bundled zones over the towns without 通安镇. The zone
/// 浒通功能片区 then reaches past every town by 通安镇's place, in two pieces; no other zone
/// does, and over all eight towns none does. Reference: scripts/reference_areas.py ("// zone land
/// in no unit"): shapely (GEOS) takes the union of the other towns from the zone on the
/// coordinates as drawn, GeographicLib measures the pieces.
#[test]
fn a_zone_drawn_past_the_units_has_land_in_no_unit() {
    const OUTSIDE_KM2: f64 = 36.808_898; // 浒通功能片区, 2 pieces
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let all = analyse(&zones, &towns);
    assert!(all.outside.is_empty(), "{:?}", all.outside);
    let fewer: Vec<_> = towns
        .features
        .iter()
        .filter(|f| f.name != "通安镇")
        .cloned()
        .collect();
    let fewer = zonemap::core::Layer::new("towns", Role::Units, fewer);
    let a = analyse(&zones, &fewer);
    assert_eq!(a.outside.len(), 1, "{:?}", a.outside);
    let o = &a.outside[0];
    assert_eq!(zones.feature(o.zone).name, "浒通功能片区");
    assert_eq!(o.pieces.len(), 2);
    assert_abs_diff_eq!(o.area.km2(), OUTSIDE_KM2, epsilon = 1e-6);
    // The report gives it per zone (and each piece), in JSON, the table and CSV alike.
    let report = Report::build(&zones, &fewer, &a);
    let row = report
        .zones
        .iter()
        .find(|z| z.name == "浒通功能片区")
        .expect("the zone");
    assert_abs_diff_eq!(row.outside_km2, OUTSIDE_KM2, epsilon = 1e-6);
    assert_eq!(report.outside.len(), 2);
    assert!(report.to_table().contains("in no unit km²"));
    assert!(report.to_csv().contains("outside_km2"));
}

// scripts/reference_areas.py, "// shared boundaries decided without an overlay": GEOS
// intersects town A (0.1° at 31°N) with each zone on the coordinates, GeographicLib measures.
const A_AROUND: f64 = 105_830_589.202;
const A_STRIP: f64 = 105_830.548;
const A_DIAGONAL: f64 = 52_942_958.781;

#[test]
fn zones_sharing_crossing_or_cutting_a_town_give_the_overlays_figures() {
    // A zone that shares the town's west edge and holds it; a neighbour across its east edge;
    // a strip 11 m wide across it with no vertex inside it; a triangle whose long edge runs
    // from corner to corner. The first two are decided from the shared edges alone, the last
    // two must not be: their figures are the overlay's, as GEOS gives them.
    let cases = [
        (
            "around",
            vec![(120.0, 31.0), (120.3, 30.9), (120.3, 31.2), (120.0, 31.1)],
            A_AROUND,
        ),
        ("east", rect(120.1, 31.0, 120.2, 31.1), 0.0),
        ("strip", rect(119.9, 31.05, 120.2, 31.0501), A_STRIP),
        (
            "diagonal",
            vec![(120.0, 31.0), (120.1, 31.0), (120.1, 31.1)],
            A_DIAGONAL,
        ),
    ];
    let units = parse_ok(
        &collection(vec![feature("A", rect(120.0, 31.0, 120.1, 31.1), "")]),
        Role::Units,
    );
    for (name, ring, expected) in cases {
        let zones = parse_ok(&collection(vec![feature(name, ring, "")]), Role::Zones);
        let analysis = analyse(&zones, &units);
        let overlap: f64 = analysis.overlaps.iter().map(|o| o.area.m2).sum();
        assert!(
            (overlap - expected).abs() < 0.01 + expected * 1e-9,
            "A ∩ {name}: {overlap} m², GEOS and GeographicLib {expected}"
        );
    }
}

// scripts/reference_areas.py, "// parts whose every vertex the zone has too": GEOS intersects
// each town with its zone on the coordinates, GeographicLib measures.
const ISLAND_IN_ARCHIPELAGO: f64 = 116_403_082.293;
const CORNERS_IN_A: f64 = 52_942_958.781;

#[test]
fn towns_with_every_vertex_on_their_zone_give_the_overlays_figures() {
    // A town that is an island of its zone; the same town filling a hole of another zone; a
    // triangle on three corners of a square zone. None has a vertex of its own to locate: the
    // edges they share with the zone tell (`core::topology::relate`).
    let island = "[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.05,31.12],[120.0,31.1],[120.0,31.0]";
    let zone = |name: &str, geometry: String| {
        format!(r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{geometry}}}"#)
    };
    let layer = |features: &[String], role| {
        parse_ok(
            &format!(
                r#"{{"type":"FeatureCollection","features":[{}]}}"#,
                features.join(",")
            ),
            role,
        )
    };
    let archipelago = zone(
        "archipelago",
        format!(
            r#"{{"type":"MultiPolygon","coordinates":[[[[119.5,30.5],[119.9,30.5],[119.9,30.9],[119.5,30.9],[119.5,30.5]]],[[{island}]]]}}"#
        ),
    );
    let holed = zone(
        "holed",
        format!(
            r#"{{"type":"Polygon","coordinates":[[[119.9,30.9],[120.2,30.9],[120.2,31.2],[119.9,31.2],[119.9,30.9]],[{island}]]}}"#
        ),
    );
    let square = zone(
        "A",
        r#"{"type":"Polygon","coordinates":[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]}"#
            .to_owned(),
    );
    let town = zone(
        "island",
        format!(r#"{{"type":"Polygon","coordinates":[[{island}]]}}"#),
    );
    let corners = zone(
        "corners",
        r#"{"type":"Polygon","coordinates":[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.0]]]}"#
            .to_owned(),
    );
    let cases = [
        (
            archipelago,
            town.clone(),
            ISLAND_IN_ARCHIPELAGO,
            CoverageStatus::Full,
        ),
        (holed, town, 0.0, CoverageStatus::Uncovered),
        (square, corners, CORNERS_IN_A, CoverageStatus::Full),
    ];
    for (zone, town, expected, status) in cases {
        let (zones, units) = (layer(&[zone], Role::Zones), layer(&[town], Role::Units));
        let analysis = analyse(&zones, &units);
        let overlap: f64 = analysis.overlaps.iter().map(|o| o.area.m2).sum();
        let name = &zones.features[0].name;
        assert!(
            (overlap - expected).abs() < 0.01,
            "{name}: {overlap} m², GEOS and GeographicLib {expected}"
        );
        assert_eq!(analysis.units[0].status, status, "{name}");
    }
}

// scripts/reference_areas.py, "// zone land in no unit with a vertex on a straight run": GEOS
// takes town A out of the zone on the coordinates, GeographicLib measures what is left.
const OUTSIDE_WITH_STRAIGHT_VERTEX: f64 = 105_944_562.524;

/// The zones' land in no unit, all pieces together (m²).
fn outside_m2(zones: &zonemap::core::Layer, units: &zonemap::core::Layer) -> f64 {
    analyse(zones, units)
        .outside
        .iter()
        .map(|o| o.area.m2)
        .sum()
}

// scripts/reference_areas.py, "// zone land in no unit hidden by units drawn over one another":
// GEOS takes towns A and B out of zone Z on the coordinates, GeographicLib measures the rest.
const OUTSIDE_UNDER_OVERLAPPING_TOWNS: f64 = 1_058_796.209;

#[test]
fn land_in_no_unit_is_found_where_towns_overlap_one_another() {
    // Town B lies over the south half of town A: the zone's overlaps with the towns add up to
    // more than the zone (its island included), which must not hide the island.
    let zones = parse_ok(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Z"},"geometry":{"type":"MultiPolygon","coordinates":[[[[120.0,31.0],[120.02,31.0],[120.02,31.02],[120.0,31.02],[120.0,31.0]]],[[[120.03,31.0],[120.04,31.0],[120.04,31.01],[120.03,31.01],[120.03,31.0]]]]}}]}"#,
        Role::Zones,
    );
    let units = parse_ok(
        &collection(vec![
            feature("A", rect(120.0, 31.0, 120.02, 31.02), ""),
            feature("B", rect(120.0, 31.0, 120.02, 31.01), ""),
        ]),
        Role::Units,
    );
    let outside = outside_m2(&zones, &units);
    assert!(
        (outside - OUTSIDE_UNDER_OVERLAPPING_TOWNS).abs() < 1.0,
        "{outside} m² outside, GEOS and GeographicLib {OUTSIDE_UNDER_OVERLAPPING_TOWNS}"
    );
}

#[test]
fn land_in_no_unit_keeps_a_vertex_on_a_straight_run_of_the_zones_edge() {
    // The zone's south edge has a vertex halfway along it: the edge is two geodesics, not
    // one, which moves the area by some 5,000 m². The land outside town A must keep it.
    let zone = vec![
        (120.0, 30.9),
        (120.05, 30.9),
        (120.1, 30.9),
        (120.1, 31.02),
        (120.0, 31.02),
    ];
    let zones = parse_ok(&collection(vec![feature("Z", zone, "")]), Role::Zones);
    let units = parse_ok(
        &collection(vec![feature("A", rect(120.0, 31.0, 120.1, 31.1), "")]),
        Role::Units,
    );
    let outside = outside_m2(&zones, &units);
    assert!(
        (outside - OUTSIDE_WITH_STRAIGHT_VERTEX).abs() < 1.0,
        "{outside} m² outside, GEOS and GeographicLib {OUTSIDE_WITH_STRAIGHT_VERTEX}"
    );
}
