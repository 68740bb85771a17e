//! Figures that hold on real-world geometry (issue 13): validation on load, repair by one rule,
//! snapping of boundaries from different sources, warnings that travel with the figures, and
//! readers that refuse what would crash them.
//!
//! The field files (`tests/data/field/`, copied from `shared/data/field` with their README)
//! carry the faults real boundary files have. Every expected figure comes from
//! `scripts/reference_areas.py`: GEOS through shapely 2.2 (overlays, `make_valid(method=
//! 'structure')`, validity) and GeographicLib 2.1 (areas); each test names the line it takes.
//! Areas are compared to 2 m² (2e-6 km²), the method's accuracy on towns.

use std::path::PathBuf;

use serde_json::Value;
use zonemap::core::Role;
use zonemap::core::analysis::{AnalysisOptions, analyse, analyse_with};
use zonemap::core::io::{LoadOptions, WarningKind, load_layer};
use zonemap::core::measure::geodesic_area_sum;
use zonemap::core::report::Report;
use zonemap::core::topology::validate;

use crate::cli::{stderr, stdout, zonemap};
use crate::proposals::tempdir;
use crate::util::{parse_ok, rect};

/// A file of `tests/data/field` (the field files: faults real files have).
pub fn field(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/field")
        .join(name)
}

fn field_pair(case: &str) -> [String; 2] {
    [
        field(&format!("{case}-zones.geojson"))
            .display()
            .to_string(),
        field(&format!("{case}-units.geojson"))
            .display()
            .to_string(),
    ]
}

fn report_json(args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = zonemap(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The warnings of a JSON report with this kind.
fn warnings_of<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == kind)
        .collect()
}

#[test]
fn field_04_a_bow_tie_zone_is_its_two_lobes_in_every_figure() {
    let [zones, units] = field_pair("04-bowtie");
    let r = report_json(&[&zones, &units]);
    // reference_areas.py "04 lobes": 7,035,176.526 + 28,140,795.493 m².
    let zone = r["zones"][0]["area_km2"].as_f64().expect("area");
    assert!(near(zone, 35.175_972, 2e-6), "{zone}");
    let overlap = &r["overlaps"][0];
    assert!(near(overlap["area_km2"].as_f64().expect("km²"), zone, 1e-9));
    assert_eq!(overlap["share_of_zone"], 1.0);
    assert_eq!(r["units"][0]["covered_km2"], r["zones"][0]["area_km2"]);
    let repaired = warnings_of(&r, "repaired");
    assert_eq!(repaired.len(), 1);
    assert_eq!(repaired[0]["feature"], 0);
    assert_eq!(repaired[0]["id"], "Z1");
    assert!(
        repaired[0]["file"]
            .as_str()
            .expect("file")
            .ends_with("04-bowtie-zones.geojson")
    );
    // Where GEOS's explain_validity puts the crossing: 120.333333333333 31.3266666666667.
    let message = repaired[0]["message"].as_str().expect("message");
    assert!(
        message.contains("self-intersection at 120.3333333, 31.3266667"),
        "{message}"
    );
    assert_eq!(r["zones"][0]["notes"], serde_json::json!(["repaired"]));
    let out = zonemap(&["check", &zones]);
    let text = stdout(&out);
    assert!(
        text.contains("1 features (MultiPolygon 1), 0 skipped, 1 repaired"),
        "{text}"
    );
    assert!(
        text.contains("repaired to 2 part(s), 35.175972 km²"),
        "{text}"
    );
}

#[test]
fn field_12_overlapping_parts_are_their_union_in_every_figure() {
    let [zones, units] = field_pair("12-multipolygon-overlapping-parts");
    let r = report_json(&[&zones, &units]);
    // reference_areas.py "12 union" 59,090,478.355 m²; "12 unit" share 0.333351094.
    let zone = r["zones"][0]["area_km2"].as_f64().expect("area");
    assert!(near(zone, 59.090_478, 2e-6), "{zone}");
    let o = &r["overlaps"][0];
    assert!(near(o["area_km2"].as_f64().expect("km²"), 59.090_478, 2e-6));
    assert!(near(
        o["share_of_unit"].as_f64().expect("share"),
        0.333_351,
        2e-6
    ));
    assert_eq!(o["share_of_zone"], 1.0);
    assert_eq!(warnings_of(&r, "repaired").len(), 1);
}

#[test]
fn field_13_towns_from_another_source_are_full_and_merge_into_one_polygon() {
    let [zones, units] = field_pair("13-shared-edge-sliver");
    let r = report_json(&[&zones, &units]);
    let units_rows = r["units"].as_array().expect("units");
    for u in units_rows {
        assert_eq!(u["status"], "full", "{u}");
        assert_eq!(u["zones"].as_array().expect("zones").len(), 1, "{u}");
    }
    // The slivers the offsets left are listed, never counted.
    assert!(!warnings_of(&r, "snapped").is_empty());
    assert_eq!(r["zone_overlaps"], serde_json::json!([]));

    let dir = tempdir();
    let out_path = dir.join("merged.geojson");
    let out = zonemap(&[
        "merge",
        &units,
        "--ids",
        "320505101,320505400",
        "--name",
        "通安浒关",
        "--out",
        &out_path.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let merged: Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).expect("written")).expect("json");
    let geometry = &merged["features"][0]["geometry"];
    let polygons = match geometry["type"].as_str() {
        Some("Polygon") => vec![geometry["coordinates"].clone()],
        _ => geometry["coordinates"].as_array().expect("parts").clone(),
    };
    assert_eq!(polygons.len(), 1, "one polygon: {geometry}");
    // reference_areas.py "13 merged by hand": 105,529,589.122 m².
    let km2 = merged["features"][0]["properties"]["area_km2"]
        .as_f64()
        .expect("area");
    assert!(near(km2, 105.529_589, 2e-6), "{km2}");
    // The inputs' vertices that needed no snapping come out bit for bit.
    let ring = polygons[0][0].as_array().expect("ring");
    let has = |x: f64, y: f64| {
        ring.iter()
            .any(|p| p[0].as_f64() == Some(x) && p[1].as_f64() == Some(y))
    };
    assert!(has(120.3, 31.3) && has(120.3, 31.35) && has(120.5, 31.3) && has(120.5, 31.35));
    // Without snapping, the 1 cm gap keeps them apart.
    let out = zonemap(&[
        "merge",
        &units,
        "--ids",
        "320505101,320505400",
        "--name",
        "apart",
        "--snap",
        "0",
        "--out",
        &out_path.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let apart: Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).expect("written")).expect("json");
    assert_eq!(apart["features"][0]["geometry"]["type"], "MultiPolygon");
}

#[test]
fn field_08_a_duplicate_id_is_named_and_merge_refuses_it() {
    let [zones, units] = field_pair("08-duplicate-ids");
    let out = zonemap(&["check", &units]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "feature 1 (id 320505001, 狮山街道): id 320505001 is also feature 0's (横塘街道)"
        ),
        "{text}"
    );
    let r = report_json(&[&zones, &units]);
    let dup = warnings_of(&r, "duplicate_id");
    assert_eq!(dup.len(), 1);
    assert_eq!(r["units"][1]["notes"], serde_json::json!(["duplicate id"]));
    let dir = tempdir();
    let out = zonemap(&[
        "merge",
        &units,
        "--ids",
        "320505001",
        "--name",
        "x",
        "--out",
        &dir.join("m.geojson").display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(e.contains("id 320505001 is not unique"), "{e}");
    assert!(
        e.contains("feature 0 (横塘街道) and feature 1 (狮山街道)"),
        "{e}"
    );
    assert!(!dir.join("m.geojson").exists());
}

#[test]
fn field_15_rare_names_say_what_no_font_can_draw_and_an_empty_name_is_the_id() {
    let [zones, units] = field_pair("15-rare-cjk-names");
    let r = report_json(&[&zones, &units]);
    // The empty name falls back to the id.
    assert!(
        r["units"]
            .as_array()
            .expect("units")
            .iter()
            .any(|u| u["name"] == "320507104")
    );
    // No font here has 𡐓 (U+21413) or 𨚕 (U+28695): CI installs none that does.
    let fonts = zonemap::core::fonts::Fonts::get();
    if fonts.missing("𡐓𨚕").len() == 2 {
        let missing = warnings_of(&r, "missing_glyphs");
        assert_eq!(missing.len(), 2, "{missing:?}");
        let dir = tempdir();
        let png = dir.join("rare.png").display().to_string();
        let out = zonemap(&["export", &zones, &units, "--size", "900x700", "--out", &png]);
        assert!(out.status.success(), "{}", stderr(&out));
        let said = stdout(&out);
        assert!(said.contains("2 label(s) lost characters"), "{said}");
    }
    // 埭 and 蠡 are in the bundled font.
    assert!(fonts.missing("埭川街道 蠡口镇").is_empty());
}

#[test]
fn a_character_the_bundled_font_lacks_comes_from_a_system_font() {
    // Ŵ (U+0174) is outside GB2312; DejaVu Sans has it (CI installs fonts-dejavu-core).
    let fonts = zonemap::core::fonts::Fonts::get();
    let Some(zonemap::core::fonts::Face::System(fallback)) = fonts.face_for('Ŵ') else {
        panic!("no system font has Ŵ: install fonts-dejavu-core");
    };
    let layer = parse_ok(
        &crate::util::collection(&[("Ŵ镇", &[&rect(120.0, 31.0, 120.1, 31.1)])]),
        Role::Units,
    );
    let map = zonemap::core::render::SheetMap {
        layers: vec![zonemap::core::render::SheetLayer::styled(
            std::sync::Arc::new(layer),
            zonemap::core::style::LayerStyle::for_role(Role::Units, 0),
            &[],
        )],
        overlaps: Vec::new(),
    };
    let sheet = zonemap::core::render::compose(
        &map,
        &zonemap::core::render::SheetOptions {
            size_px: [600, 400],
            ..Default::default()
        },
    )
    .expect("composes");
    assert_eq!(sheet.layout.labels_missing_glyphs, 0);
    assert!(sheet.layout.labels.iter().any(|l| l.text == "Ŵ镇"));
    let svg = sheet.svg();
    assert!(
        svg.contains(&format!("'{}'", fallback.family)),
        "the SVG names the fallback font {}: {svg}",
        fallback.family
    );
}

/// A layer of one polygon given as GeoJSON coordinates text.
fn polygon_layer(coordinates: &str, kind: &str) -> zonemap::core::Layer {
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"z"}},"geometry":{{"type":"{kind}","coordinates":{coordinates}}}}}]}}"#
    );
    parse_ok(&text, Role::Zones)
}

#[test]
fn every_kind_of_invalid_polygon_is_repaired_as_geos_structure_repairs_it() {
    // reference_areas.py "// repairs": GEOS make_valid(method='structure'), GeographicLib areas.
    let cases: [(&str, &str, &str, f64); 9] = [
        (
            "spike",
            "Polygon",
            "[[[120.0,31.0],[120.1,31.0],[120.15,31.05],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]",
            105_830_589.202,
        ),
        (
            "hole outside",
            "Polygon",
            "[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]],[[120.2,31.2],[120.3,31.2],[120.3,31.3],[120.2,31.3],[120.2,31.2]]]",
            211_442_503.750,
        ),
        (
            "hole crossing",
            "Polygon",
            "[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]],[[120.05,31.05],[120.15,31.05],[120.15,31.15],[120.05,31.15],[120.05,31.05]]]",
            79_374_627.813,
        ),
        (
            "inverted hole",
            "Polygon",
            "[[[120.0,31.0],[120.05,31.0],[120.04,31.04],[120.06,31.04],[120.05,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]",
            101_602_025.665,
        ),
        (
            "loop the same way",
            "Polygon",
            "[[[120.0,31.0],[120.05,31.0],[120.06,31.04],[120.04,31.04],[120.05,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]",
            105_835_713.593,
        ),
        (
            "figure eight",
            "Polygon",
            "[[[120.0,31.0],[120.1,31.1],[120.1,31.0],[120.0,31.1],[120.0,31.0]]]",
            52_915_302.662,
        ),
        (
            "nested parts",
            "MultiPolygon",
            "[[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]],[[[120.02,31.02],[120.05,31.02],[120.05,31.05],[120.02,31.05],[120.02,31.02]]]]",
            105_830_589.202,
        ),
        (
            "shared edge",
            "MultiPolygon",
            "[[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]],[[[120.1,31.0],[120.2,31.0],[120.2,31.1],[120.1,31.1],[120.1,31.0]]]]",
            211_661_178.403,
        ),
        (
            "island in a lake (valid)",
            "MultiPolygon",
            "[[[[120.0,31.0],[120.2,31.0],[120.2,31.2],[120.0,31.2],[120.0,31.0]],[[120.05,31.05],[120.15,31.05],[120.15,31.15],[120.05,31.15],[120.05,31.05]]],[[[120.08,31.08],[120.12,31.08],[120.12,31.12],[120.08,31.12],[120.08,31.08]]]]",
            334_252_196.405,
        ),
    ];
    for (name, kind, coordinates, expected_m2) in cases {
        let layer = polygon_layer(coordinates, kind);
        let f = &layer.features[0];
        let repaired = layer
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::Repaired);
        assert_eq!(
            repaired,
            !name.contains("(valid)"),
            "{name}: {:?}",
            layer.warnings
        );
        let problems = validate(&f.polygons());
        assert!(
            problems.iter().all(|p| !p.fault.is_invalid()),
            "{name}: still invalid: {problems:?}"
        );
        let m2 = geodesic_area_sum(f.polygons()).m2;
        assert!(
            near(m2, expected_m2, 2.0),
            "{name}: {m2} m², GEOS {expected_m2}"
        );
        // Every figure agrees: the feature overlaps itself by its whole area.
        let a = analyse(&layer, &layer);
        assert!(a.overlaps.iter().all(|o| o.area.m2 <= m2 * (1.0 + 1e-12)));
    }
}

#[test]
fn a_zone_drawn_along_the_towns_outer_edges_covers_them_fully() {
    // Four towns of 0.1° in a row, whose shared corners lie on the zone's two 0.4° (38 km)
    // straight edges, which carry no vertex there: topology on the outlines as drawn.
    let [t0, t1, t2, t3] = [0.0, 0.1, 0.2, 0.3].map(|dx| rect(120.0 + dx, 31.0, 120.1 + dx, 31.1));
    let units = parse_ok(
        &crate::util::collection(&[
            ("t0", &[t0.as_slice()]),
            ("t1", &[t1.as_slice()]),
            ("t2", &[t2.as_slice()]),
            ("t3", &[t3.as_slice()]),
        ]),
        Role::Units,
    );
    let zone_ring = rect(120.0, 31.0, 120.4, 31.1);
    let zones = parse_ok(
        &crate::util::collection(&[("zone", &[zone_ring.as_slice()])]),
        Role::Zones,
    );
    let a = analyse(&zones, &units);
    assert_eq!((a.totals.full, a.totals.partial), (4, 0));
    assert_eq!(
        zonemap::core::format::round6(a.totals.uncovered_area.km2()),
        0.0
    );
    // reference_areas.py: each town 105,830,589.202 m², all of it in the zone.
    for o in &a.overlaps {
        assert!(near(o.area.m2, 105_830_589.202, 2.0), "{}", o.area.m2);
    }
    // The zone's own area follows its geodesic edges: 423,322,688.087 m², 331 m² more than
    // its towns, whose edges follow the same straight line in four pieces.
    assert!(near(a.zone_areas[0].m2, 423_322_688.087, 2.0));
}

#[test]
fn a_zone_merged_from_two_towns_covers_both_with_nothing_left_over() {
    let towns = crate::util::load("suzhou-gaoxin/towns.geojson", Role::Units);
    let parts: Vec<&zonemap::core::Feature> = towns
        .features
        .iter()
        .filter(|f| f.name == "狮山街道" || f.name == "枫桥街道")
        .collect();
    let merged = zonemap::core::proposal::merge(&parts, "P1".into(), "狮山枫桥").expect("merges");
    // reference_areas.py "狮山街道+枫桥街道": 42,151,355.716 m².
    let m2 = geodesic_area_sum(merged.polygons()).m2;
    assert!(near(m2, 42_151_355.716, 2.0), "{m2}");
    let zones = zonemap::core::Layer::new("zones", Role::Zones, vec![merged]);
    let a = analyse(&zones, &towns);
    for u in a.units.iter().filter(|u| !u.zones.is_empty()) {
        assert_eq!(u.covered, u.area);
    }
    assert_eq!(a.units.iter().filter(|u| !u.zones.is_empty()).count(), 2);
}

#[test]
fn snapping_takes_boundaries_within_the_tolerance_as_shared_and_no_further() {
    // Two 0.05° squares at 31°N, the east one 0.9 m or 1.1 m east of the west one's edge
    // (reference_areas.py "// snapping thresholds": 1 m is 9.4237e-6° of longitude there).
    let merge = |gap_deg: f64, snap_m: f64| {
        let west = rect(120.0, 31.0, 120.05, 31.05);
        let east = rect(120.05 + gap_deg, 31.0, 120.1 + gap_deg, 31.05);
        let layer = parse_ok(
            &crate::util::collection(&[("w", &[west.as_slice()]), ("e", &[east.as_slice()])]),
            Role::Units,
        );
        let parts: Vec<&zonemap::core::Feature> = layer.features.iter().collect();
        let m =
            zonemap::core::proposal::merge_with(&parts, "P1".into(), "m", snap_m).expect("merges");
        m.polygons().len()
    };
    assert_eq!(merge(0.000_009_423_695, 1.0), 1, "0.9 m: within 1 m");
    assert_eq!(merge(0.000_011_517_849, 1.0), 2, "1.1 m: beyond 1 m");
    assert_eq!(merge(0.000_011_517_849, 1.2), 1, "1.1 m: within 1.2 m");
    assert_eq!(merge(0.000_009_423_695, 0.0), 2, "snapping off");

    // In the coverage: a zone 0.5 m wider than its town on the east, over the town and its
    // eastern neighbour: the neighbour is not counted as in the zone, and the sliver is listed.
    let units = parse_ok(
        &crate::util::collection(&[
            ("a", &[rect(120.0, 31.0, 120.05, 31.05).as_slice()]),
            ("b", &[rect(120.05, 31.0, 120.1, 31.05).as_slice()]),
        ]),
        Role::Units,
    );
    let zone = rect(120.0, 31.0, 120.05 + 0.5 / 95_389.0, 31.05);
    let zones = parse_ok(
        &crate::util::collection(&[("z", &[zone.as_slice()])]),
        Role::Zones,
    );
    let snapped = analyse(&zones, &units);
    assert!(
        snapped.overlaps.iter().all(|o| o.unit.index() == 0),
        "{:?}",
        snapped.overlaps
    );
    assert_eq!(snapped.snapped.len(), 1);
    let plain = analyse_with(&zones, &units, &AnalysisOptions { snap_m: 0.0 });
    assert_eq!(
        plain.overlaps.len(),
        2,
        "without snapping the sliver is an overlap"
    );
    assert!(plain.snapped.is_empty());
}

#[test]
fn a_layer_is_validated_and_its_problems_listed_where_the_figures_go() {
    // A bow-tie and a spike in one file, beside a valid square: check names both by index.
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","id":"ok","properties":{"name":"方块"},"geometry":{"type":"Polygon","coordinates":[[[120,31],[120.1,31],[120.1,31.1],[120,31.1],[120,31]]]}},
        {"type":"Feature","id":"bow","properties":{"name":"蝴蝶"},"geometry":{"type":"Polygon","coordinates":[[[120,31],[120.1,31.1],[120.1,31],[120,31.1],[120,31]]]}},
        {"type":"Polygon","coordinates":[[[121,31],[121.1,31],[121.1,31.1],[121,31.1],[121,31]]]}
    ]}"#;
    let dir = tempdir();
    let path = dir.join("mixed.geojson");
    std::fs::write(&path, text).expect("written");
    let layer = load_layer(&path, Role::Zones, &LoadOptions::default()).expect("loads");
    assert_eq!(layer.features.len(), 3);
    let kinds: Vec<(usize, WarningKind)> =
        layer.warnings.iter().map(|w| (w.index, w.kind)).collect();
    assert_eq!(
        kinds,
        [(1, WarningKind::Repaired), (2, WarningKind::NotAFeature)]
    );
    let units = parse_ok(
        &crate::util::collection(&[("u", &[rect(120.0, 31.0, 121.2, 31.2).as_slice()])]),
        Role::Units,
    );
    let report = Report::build(&layer, &units, &analyse(&layer, &units));
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    assert!(report.to_table().contains("Warnings"));
    assert!(report.to_csv().contains("repaired"));
    assert!(!report.to_table().contains("-0.00"));
}

#[test]
fn deeply_nested_input_is_refused_in_one_line_not_a_crash() {
    let dir = tempdir();
    let deep = dir.join("deep.geojson");
    let nesting = 200_000;
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":{}{}}}}}]}}"#,
        "[".repeat(nesting),
        "]".repeat(nesting)
    );
    std::fs::write(&deep, text).expect("written");
    for args in [vec!["check"], vec!["report", "--format", "json"]] {
        let mut all = args.clone();
        let path = deep.display().to_string();
        all.push(&path);
        if args[0] == "report" {
            all.push(&path);
        }
        let out = zonemap(&all);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let e = stderr(&out);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.contains("deep.geojson") && e.contains("nested more than 128 deep"),
            "{e}"
        );
    }
    // A project nested as deep: serde_json's own limit, said in one line.
    let project = dir.join("deep.zonemap");
    std::fs::write(
        &project,
        format!(
            r#"{{"format":"zonemap-project","version":1,"layers":[],"window":{}{}}}"#,
            "[".repeat(nesting),
            "]".repeat(nesting)
        ),
    )
    .expect("written");
    let out = zonemap(&["report", "--project", &project.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("deep.zonemap"), "{e}");
}

#[test]
fn official_areas_sit_beside_the_computed_ones() {
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"科技生态功能片区","official_km2":101},"geometry":{"type":"Polygon","coordinates":[[[120,31],[120.1,31],[120.1,31.1],[120,31.1],[120,31]]]}}
    ]}"#;
    let dir = tempdir();
    let path = dir.join("zones.geojson");
    std::fs::write(&path, text).expect("written");
    let p = path.display().to_string();
    let r = report_json(&[&p, &p]);
    let z = &r["zones"][0];
    assert_eq!(z["official_km2"], 101.0);
    // 105.830589 km² (reference_areas.py DEG_01_AT_31) less 101: +4.830589 km², +4.782761 %.
    assert!(near(
        z["official_diff_km2"].as_f64().expect("diff"),
        4.830_589,
        2e-6
    ));
    assert!(near(
        z["official_diff_pct"].as_f64().expect("pct"),
        4.782_761,
        2e-6
    ));
    let table = stdout(&zonemap(&["report", &p, &p]));
    assert!(
        table.contains("official km²") && table.contains("+4.83") && table.contains("+4.8%"),
        "{table}"
    );
}
