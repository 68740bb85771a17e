//! The `zonemap` command line, run as a user runs it.

use std::process::{Command, Output};

use serde_json::Value;

use crate::util::{collection, data};

pub fn zonemap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .args(args)
        .output()
        .expect("runs")
}

fn bundled() -> [String; 2] {
    [
        data("suzhou-gaoxin/zones.geojson").display().to_string(),
        data("suzhou-gaoxin/towns.geojson").display().to_string(),
    ]
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

#[test]
fn report_json_has_exactly_the_documented_keys() {
    let [zones, towns] = bundled();
    let out = zonemap(&["report", &zones, &towns, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let mut keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "coverage",
            "outside",
            "overlaps",
            "pilots",
            "units",
            "warnings",
            "zone_overlaps",
            "zones"
        ]
    );
    let fields = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("row").keys().cloned().collect();
        k.sort_unstable();
        k
    };
    assert_eq!(
        fields(&json["zones"][0]),
        ["area_km2", "id", "name", "outside_km2"]
    );
    assert_eq!(
        fields(&json["units"][0]),
        ["area_km2", "covered_km2", "id", "name", "status", "zones"]
    );
    assert_eq!(
        fields(&json["overlaps"][0]),
        [
            "area_km2",
            "share_of_unit",
            "share_of_zone",
            "unit",
            "unit_name",
            "zone",
            "zone_name"
        ]
    );
    assert_eq!(
        fields(&json["coverage"]),
        [
            "covered_km2",
            "full",
            "multi_zone_units",
            "partial",
            "uncovered",
            "uncovered_km2",
            "unit_area_km2",
            "units"
        ]
    );
    assert_eq!(json["coverage"]["units"], 8);
    assert_eq!(json["units"][3]["name"], "镇湖街道");
    assert_eq!(json["units"][3]["status"], "full");
    assert_eq!(
        json["units"][3]["zones"],
        serde_json::json!(["科技生态功能片区", "太湖科学城"])
    );
    let share = json["overlaps"][0]["share_of_unit"]
        .as_f64()
        .expect("share");
    assert!((0.0..=1.0).contains(&share));
}

#[test]
fn report_table_is_for_people() {
    let [zones, towns] = bundled();
    let out = zonemap(&["report", &zones, &towns]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("Coverage: 8 of 8 units covered (8 full, 0 partial), 0 uncovered; 2 in more than one zone"), "{text}");
    assert!(text.contains("Unit area 336.92 km²"));
    // Columns line up by display width: both rows put "km²" figures at the same column.
    let col = |name: &str| {
        let line = text
            .lines()
            .find(|l| l.contains(name) && l.contains("100.0%"))
            .expect(name);
        let idx = line.find("100.0%").expect("share");
        unicode_width::UnicodeWidthStr::width(&line[..idx])
    };
    assert_eq!(col("横塘街道"), col("苏州高新区综合保税区"));
}

#[test]
fn report_csv_has_one_header_per_section() {
    let [zones, towns] = bundled();
    let out = zonemap(&["report", &zones, &towns, "--format", "csv"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let headers: Vec<&str> = text
        .split("\n\n")
        .map(|s| s.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(
        headers[0],
        "zone_id,zone_name,area_km2,official_km2,official_diff_km2,official_diff_pct,notes,outside_km2"
    );
    assert_eq!(
        headers[1],
        "unit_id,unit_name,area_km2,covered_km2,status,zones,notes"
    );
    assert_eq!(headers[6], "file,feature,id,name,kind,message");
    assert_eq!(
        headers[7],
        "zone,zone_name,outside_km2,west,south,east,north"
    );
    assert_eq!(headers.len(), 8);
}

#[test]
fn check_prints_contents_and_problems() {
    let [zones, towns] = bundled();
    let out = zonemap(&["check", &zones, &towns]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("towns.geojson: 8 features (MultiPolygon 2, Polygon 6), 0 skipped"),
        "{text}"
    );
    assert!(text.contains("bbox (WGS-84): lon 120."), "{text}");
    assert!(text.contains("crs: GCJ-02 (GCJ-02 → WGS-84)"), "{text}");
}

#[test]
fn check_lists_each_features_geodesic_area() {
    // 狮山街道: 7,430,395.869 m² by GeographicLib (scripts/reference_areas.py, "// towns").
    let [_, towns] = bundled();
    let out = zonemap(&["check", "--areas", &towns]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.matches('\t').count() == 2)
        .collect();
    assert_eq!(rows.len(), 8, "{text}");
    assert!(rows.contains(&"  320505002\t狮山街道\t7.430396"), "{text}");
}

#[test]
fn check_fails_for_a_file_that_cannot_load_and_names_it() {
    let dir = std::env::temp_dir().join(format!("zonemap-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("broken.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\",\n\"features\": [}").expect("write");
    let partly = dir.join("partly.geojson");
    std::fs::write(
        &partly,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]}}]}"#,
    )
    .expect("write");
    let [zones, _] = bundled();
    let out = zonemap(&[
        "check",
        &zones,
        bad.to_str().expect("path"),
        partly.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("broken.geojson: line 2, column 14"), "{err}");
    let text = stdout(&out);
    assert!(
        text.contains("zones.geojson: 4 features"),
        "the good file is still checked"
    );
    assert!(
        text.contains("problem: ") && text.contains("feature 0"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(
        zonemap(&["report", "only-one.geojson"]).status.code(),
        Some(2)
    );
    assert_eq!(
        zonemap(&["report", "a", "b", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(zonemap(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_missing_file_is_one_line_naming_it() {
    let [zones, _] = bundled();
    let out = zonemap(&["report", &zones, "/nonexistent/towns.geojson"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1);
    assert!(
        err.starts_with("zonemap: /nonexistent/towns.geojson: cannot read"),
        "{err}"
    );
}

// scripts/reference_areas.py, "// towns" and "// zones": GeographicLib areas (m²) of the
// bundled outlines moved to WGS-84 with prcoords.
const ZONES_M2: [(&str, f64); 4] = [
    ("狮山横塘功能片区", 61_547_695.625),
    ("浒通功能片区", 88_851_247.258),
    ("科技生态功能片区", 186_522_837.060),
    ("太湖科学城", 10_031_320.391),
];
const TOWNS_M2: [(&str, f64); 8] = [
    ("横塘街道", 19_396_339.909),
    ("狮山街道", 7_430_395.869),
    ("枫桥街道", 34_720_959.847),
    ("镇湖街道", 145_458_280.354),
    ("通安镇", 36_808_898.121),
    ("浒墅关经开区（镇）", 23_799_932.420),
    ("科技城（东渚街道）", 41_064_556.706),
    ("苏州高新区综合保税区", 28_242_416.718),
];

/// km² as printed (to 1 m²) against m² from the script: the rounding (0.5 m²) plus the
/// method's error on towns (under 1.5 m²).
fn assert_km2(printed: f64, m2: f64, what: &str) {
    assert!(
        (printed * 1e6 - m2).abs() < 2.0,
        "{what}: printed {printed} km², GeographicLib {m2} m²"
    );
}

#[test]
fn report_figures_are_geographiclibs() {
    let [zones, towns] = bundled();
    let out = zonemap(&["report", &zones, &towns, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    for (row, (name, m2)) in json["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .zip(ZONES_M2)
    {
        assert_eq!(row["name"], name);
        assert_km2(row["area_km2"].as_f64().expect("area"), m2, name);
    }
    for (row, (name, m2)) in json["units"]
        .as_array()
        .expect("units")
        .iter()
        .zip(TOWNS_M2)
    {
        assert_eq!(row["name"], name);
        assert_km2(row["area_km2"].as_f64().expect("area"), m2, name);
        assert_km2(row["covered_km2"].as_f64().expect("covered"), m2, name);
    }
    // The first overlap: 横塘街道 lies whole in 狮山横塘功能片区.
    let o = &json["overlaps"][0];
    assert_eq!(
        (o["zone_name"].as_str(), o["unit_name"].as_str()),
        (Some("狮山横塘功能片区"), Some("横塘街道"))
    );
    assert!((o["share_of_unit"].as_f64().expect("share") - 1.0).abs() < 1e-6);
    let share = 19_396_339.909 / 61_547_695.625;
    assert!((o["share_of_zone"].as_f64().expect("share") - share).abs() < 1e-6);
    // The zone overlap is 太湖科学城, which lies inside 科技生态功能片区: its whole area.
    let zo = &json["zone_overlaps"][0];
    assert_km2(
        zo["area_km2"].as_f64().expect("area"),
        10_031_320.391,
        "zone overlap",
    );
    assert_eq!(json["zone_overlaps"].as_array().map(Vec::len), Some(1));
    // The pilot: 镇湖, 科技城 and 通安镇, whole.
    let pilot = &json["pilots"][0];
    assert_km2(
        pilot["area_km2"].as_f64().expect("area"),
        145_458_280.354 + 41_064_556.706 + 36_808_898.121,
        "pilot",
    );
}

#[test]
fn the_matrix_and_csv_carry_the_same_figures() {
    let [zones, towns] = bundled();
    let out = zonemap(&["report", &zones, &towns, "--format", "matrix"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    // A header, then a row per zone: id, name, area, then (km², share of unit, share of zone)
    // for each of the 8 towns.
    assert_eq!(rows.len(), 5, "{text}");
    assert_eq!(rows[0][..3], ["zone_id", "zone_name", "zone_area_km2"]);
    assert_eq!(rows[0].len(), 3 + 3 * 8);
    assert_eq!(rows[0][3], "横塘街道 km2");
    for (row, (name, m2)) in rows[1..].iter().zip(ZONES_M2) {
        assert_eq!(row[1], name);
        assert_km2(row[2].parse().expect("number"), m2, name);
        assert_eq!(row.len(), 3 + 3 * 8);
    }
    // 狮山横塘功能片区 × 横塘街道: the whole town, and its share of the zone.
    assert_km2(rows[1][3].parse().expect("km2"), 19_396_339.909, "横塘街道");
    assert_eq!(rows[1][4], "1");
    let share: f64 = rows[1][5].parse().expect("share");
    assert!((share - 19_396_339.909 / 61_547_695.625).abs() < 1e-6);
    // 狮山横塘功能片区 holds no part of 镇湖街道.
    assert_eq!(rows[1][3 + 3 * 3..3 + 3 * 4], ["0", "0", "0"]);

    // CSV: the unit rows carry the same areas; a name with a comma and a quote is quoted.
    let dir = crate::proposals::tempdir();
    let odd = dir.join("odd.geojson");
    std::fs::write(
        &odd,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"Z","name":"高新区, \"东\"片"},"geometry":{"type":"Polygon","coordinates":[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]}}]}"#,
    )
    .expect("written");
    let out = zonemap(&[
        "report",
        odd.to_str().expect("path"),
        &towns,
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("Z,\"高新区, \"\"东\"\"片\",")),
        "{text}"
    );
    let units: Vec<&str> = text.split("\n\n").nth(1).expect("units").lines().collect();
    for (line, (name, m2)) in units[1..].iter().zip(TOWNS_M2) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[1], name);
        assert_km2(cells[2].parse().expect("area"), m2, name);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_json_moves_tongan_by_exactly_its_area() {
    let dir = crate::proposals::tempdir();
    let plan = dir.join("plan.zonemap");
    crate::readme::write_plan(&plan);
    let out = zonemap(&["diff", plan.to_str().expect("path"), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let zone = |name: &str| {
        json["zones"]
            .as_array()
            .expect("zones")
            .iter()
            .find(|z| z["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    // 通安镇 shares its edges with both zones vertex for vertex, so one loses and the other
    // gains exactly its area (script figures).
    let tongan = 36_808_898.121;
    let from = zone("浒通功能片区");
    assert_km2(
        from["before_km2"].as_f64().expect("before"),
        88_851_247.258,
        "before",
    );
    assert_km2(
        from["after_km2"].as_f64().expect("after"),
        88_851_247.258 - tongan,
        "after",
    );
    let to = zone("科技生态功能片区");
    assert_km2(
        to["after_km2"].as_f64().expect("after"),
        186_522_837.060 + tongan,
        "after",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_names_a_bow_tie_and_where_it_crosses() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/field/04-bowtie-zones.geojson");
    let out = zonemap(&["check", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // GEOS (shapely) puts the self-intersection at 120.333333333333 31.3266666666667, and its
    // repair has two lobes, 35.175972 km² in all (scripts/reference_areas.py, "04").
    for part in [
        "1 repaired",
        "feature 0 (id Z1, 蝴蝶片区): invalid geometry: self-intersection at 120.3333333, 31.3266667",
        "repaired to 2 part(s), 35.175972 km²",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
}

#[test]
fn check_finds_holes_and_parts_that_meet_only_at_points_as_geos_does() {
    // A chain of two holes from the shell's west side to its east side (GEOS: "Interior is
    // disconnected"); an island in a hexagonal lake on three of its corners (valid); a kite
    // with two corners on a square's east side (GEOS: "Self-intersection", its repair the
    // union, 4,764,337.958 m²: scripts/reference_areas.py, "// parts crossing only where").
    let ring = |points: &[(f64, f64)]| {
        let mut p: Vec<String> = points.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
        p.push(p[0].clone());
        format!("[{}]", p.join(","))
    };
    let feature = |name: &str, polygons: &[Vec<&[(f64, f64)]>]| {
        let polygons: Vec<String> = polygons
            .iter()
            .map(|rings| {
                format!(
                    "[{}]",
                    rings.iter().map(|r| ring(r)).collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"MultiPolygon","coordinates":[{}]}}}}"#,
            polygons.join(",")
        )
    };
    let square: &[(f64, f64)] = &[
        (120.0, 31.0),
        (120.04, 31.0),
        (120.04, 31.04),
        (120.0, 31.04),
    ];
    let west: &[(f64, f64)] = &[(120.0, 31.02), (120.02, 31.015), (120.02, 31.025)];
    let east: &[(f64, f64)] = &[
        (120.02, 31.02),
        (120.03, 31.015),
        (120.04, 31.02),
        (120.03, 31.025),
    ];
    let lake: &[(f64, f64)] = &[
        (120.01, 31.02),
        (120.015, 31.01),
        (120.025, 31.01),
        (120.03, 31.02),
        (120.025, 31.03),
        (120.015, 31.03),
    ];
    let island: &[(f64, f64)] = &[(120.015, 31.01), (120.03, 31.02), (120.015, 31.03)];
    let small: &[(f64, f64)] = &[
        (120.0, 31.0),
        (120.02, 31.0),
        (120.02, 31.02),
        (120.0, 31.02),
    ];
    let kite: &[(f64, f64)] = &[
        (120.02, 31.005),
        (120.03, 31.01),
        (120.02, 31.015),
        (120.01, 31.01),
    ];
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
        feature("chain", &[vec![square, west, east]]),
        feature("lake", &[vec![square, lake], vec![island]]),
        feature("kite", &[vec![small], vec![kite]]),
    );
    let dir = crate::proposals::tempdir();
    let path = dir.join("touching.geojson");
    std::fs::write(&path, text).expect("written");
    let out = zonemap(&["check", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for part in [
        "2 repaired",
        "feature 0 (id 0, chain): invalid geometry: hole cuts the polygon in pieces",
        "feature 2 (id 2, kite): invalid geometry: parts overlap at 120.0200000, 31.0",
        "repaired to 1 part(s), 4.764338 km²",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
    assert!(!text.contains("lake"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_out_writes_csv_for_excel_with_a_byte_order_mark() {
    let [zones, towns] = bundled();
    let dir = crate::proposals::tempdir();
    for (format, name) in [("matrix", "m.csv"), ("csv", "r.csv"), ("json", "r.json")] {
        let path = dir.join(name);
        let out = zonemap(&[
            "report",
            &zones,
            &towns,
            "--format",
            format,
            "--out",
            path.to_str().expect("path"),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!("wrote {}: 4 zones × 8 units\n", path.display())
        );
        let bytes = std::fs::read(&path).expect("written");
        let piped = stdout(&zonemap(&["report", &zones, &towns, "--format", format]));
        if format == "json" {
            assert_eq!(bytes, piped.as_bytes(), "JSON as printed");
        } else {
            // The mark, then exactly what standard output gets (which has none).
            assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
            assert_eq!(&bytes[3..], piped.as_bytes());
            assert!(!piped.starts_with('\u{feff}'));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn move_and_split_change_areas_by_the_script_figures() {
    let [zones, towns] = bundled();
    let dir = crate::proposals::tempdir();
    // 通安镇 into zone 2, written to `name` in the temporary folder.
    let move_into_2 = |name: &str| {
        let moved = dir.join(name);
        let out = zonemap(&[
            "move",
            &zones,
            &towns,
            "--unit",
            "320505101",
            "--into",
            "2",
            "--out",
            moved.to_str().expect("path"),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        moved
    };
    let moved = move_into_2("moved.gpkg");
    // 通安镇 (36,808,898.121 m²) leaves 浒通 (88,851,247.258) for 科技生态 (186,522,837.060):
    // reference_areas.py "// towns", "// zones".
    let layer =
        zonemap::core::io::load_layer(&moved, zonemap::core::Role::Zones, &Default::default())
            .expect("a GeoPackage");
    let m2 = |name: &str| {
        let f = layer
            .features
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        zonemap::core::measure::geodesic_area_sum(f.polygons()).m2
    };
    assert!((m2("浒通功能片区") - (88_851_247.258 - 36_808_898.121)).abs() < 4.0);
    assert!((m2("科技生态功能片区") - (186_522_837.060 + 36_808_898.121)).abs() < 4.0);
    // Written as GeoJSON, the zones keep the ids they had, numbers (their places in the file),
    // the two reshaped by the move as much as the others.
    let moved = move_into_2("moved.geojson");
    let json: Value =
        serde_json::from_slice(&std::fs::read(&moved).expect("written")).expect("JSON");
    let ids: Vec<&Value> = json["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| &f["id"])
        .collect();
    assert_eq!(
        ids,
        [0, 1, 2, 3].map(Value::from).iter().collect::<Vec<_>>()
    );
    // A cut: the parts add up to the zone.
    let cut = dir.join("cut.geojson");
    let out = zonemap(&[
        "split",
        &zones,
        "--zone",
        "1",
        "--line",
        "120.3,31.37;120.6,31.37",
        "--out",
        cut.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&std::fs::read(&cut).expect("written")).expect("JSON");
    let parts: Vec<f64> = json["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["split_from"] == "1")
        .map(|f| f["properties"]["area_km2"].as_f64().expect("area"))
        .collect();
    assert_eq!(parts.len(), 2);
    assert!(
        (parts.iter().sum::<f64>() - 88.851_247_258).abs() < 4e-6,
        "{parts:?}"
    );
    // Errors: one line each, exit 1.
    for args in [
        vec![
            "split",
            &zones,
            "--zone",
            "1",
            "--line",
            "120.3,31.37;120.31,31.37",
            "--out",
            "x.geojson",
        ],
        vec![
            "move",
            &zones,
            &towns,
            "--unit",
            "999",
            "--into",
            "2",
            "--out",
            "x.geojson",
        ],
        vec![
            "move",
            &zones,
            &towns,
            "--unit",
            "320505101",
            "--into",
            "99",
            "--out",
            "x.geojson",
        ],
    ] {
        let out = zonemap(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Output cut short by a closed pipe (`zonemap report … | head -1`) ends the program quietly
/// with status 0, never in a panic.
#[test]
fn a_closed_pipe_ends_quietly() {
    let [zones, towns] = bundled();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .args(["report", &zones, &towns])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    // Read nothing: close our end before the program writes.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
}

#[test]
fn a_zone_drawn_across_a_towns_notch_holds_the_town_whole() {
    // An L-shaped town (0.02° a side, notch 0.01°) and a zone drawn by its corners, straight
    // across the notch from (120.02, 31.01) to (120.01, 31.02); a second zone is the notch.
    // GeographicLib (pyproj 3.7 `Geod(ellps="WGS84").polygon_area_perimeter`): the town
    // 3,176,238.746 m², the notch 529,371.298 m².
    let (town_m2, notch_m2) = (3_176_238.746, 529_371.298);
    let town: &[(f64, f64)] = &[
        (120.00, 31.00),
        (120.02, 31.00),
        (120.02, 31.01),
        (120.01, 31.01),
        (120.01, 31.02),
        (120.00, 31.02),
    ];
    let zone: &[(f64, f64)] = &[
        (120.00, 31.00),
        (120.02, 31.00),
        (120.02, 31.01),
        (120.01, 31.02),
        (120.00, 31.02),
    ];
    let notch: &[(f64, f64)] = &[(120.01, 31.01), (120.02, 31.01), (120.01, 31.02)];
    let dir = std::env::temp_dir().join(format!("zonemap-notch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (zones, units) = (dir.join("zones.geojson"), dir.join("units.geojson"));
    std::fs::write(
        &zones,
        collection(&[("corners", &[zone]), ("notch", &[notch])]),
    )
    .expect("write");
    std::fs::write(&units, collection(&[("town", &[town])])).expect("write");
    let out = zonemap(&[
        "report",
        zones.to_str().expect("path"),
        units.to_str().expect("path"),
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let unit = &json["units"][0];
    assert_eq!(unit["status"], "full");
    assert_eq!(unit["zones"], serde_json::json!(["corners"]));
    assert_km2(
        unit["covered_km2"].as_f64().expect("covered"),
        town_m2,
        "town",
    );
    assert_eq!(json["overlaps"].as_array().map(Vec::len), Some(1));
    // What the corners zone has beyond the town is the notch, which is all of the notch zone.
    for row in json["zones"].as_array().expect("zones") {
        assert_km2(
            row["outside_km2"].as_f64().expect("outside"),
            notch_m2,
            "notch",
        );
    }
}

#[test]
fn report_takes_town_corners_a_hair_off_their_zones_edge_as_on_it() {
    // Zone A, 0.01° a side at 31°N, and zone B south of it; two towns halve A, their shared
    // corners on A's south and north edges 1e-9° (0.1 mm) outside it, as where towns were cut
    // along a zone's outline. GEOS (shapely 2.2) on these coordinates, measured by pyproj's
    // Geod on WGS-84: each town 529,398.157 m², 529,398.104 m² of it in A as drawn, 0.026 m²
    // in B. The corners are put into A's edges (the slivers are far under 1 m²): each town is
    // wholly A's at its own area, B holds none of it, and no snapping note is made.
    let dir = crate::proposals::tempdir();
    let hair = 1e-9;
    let (a, b) = (
        crate::util::rect(120.0, 31.0, 120.01, 31.01),
        crate::util::rect(120.0, 30.99, 120.01, 31.0),
    );
    let zones = collection(&[("A", &[&a]), ("B", &[&b])]);
    let west = [
        (120.0, 31.0),
        (120.005, 31.0 - hair),
        (120.005, 31.01 + hair),
        (120.0, 31.01),
    ];
    let east = [
        (120.005, 31.0 - hair),
        (120.01, 31.0),
        (120.01, 31.01),
        (120.005, 31.01 + hair),
    ];
    let towns = collection(&[("west", &[&west]), ("east", &[&east])]);
    let (zones_path, towns_path) = (dir.join("zones.geojson"), dir.join("towns.geojson"));
    std::fs::write(&zones_path, zones).expect("write");
    std::fs::write(&towns_path, towns).expect("write");
    let out = zonemap(&[
        "report",
        zones_path.to_str().expect("path"),
        towns_path.to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    for unit in json["units"].as_array().expect("units") {
        assert_eq!(unit["status"], "full", "{unit}");
        assert_eq!(unit["zones"], serde_json::json!(["A"]), "{unit}");
        assert_km2(
            unit["area_km2"].as_f64().expect("area"),
            529_398.157,
            "area",
        );
        assert_eq!(unit["covered_km2"], unit["area_km2"], "{unit}");
    }
    assert!(
        json["overlaps"]
            .as_array()
            .expect("overlaps")
            .iter()
            .all(|o| o["zone_name"] == "A"),
        "{}",
        json["overlaps"]
    );
    assert!(
        json["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .all(|w| w["kind"] != "snapped"),
        "{}",
        json["warnings"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_finds_no_land_outside_towns_that_tile_their_zones_through_t_junctions() {
    // Two zones, 8 km cells at 31.3°N, and 17 towns (some beyond them) tiling them, their
    // corners on the zones' edges 1e-10° to either side (a planner's test, seeded). GEOS
    // (shapely 2.2) on the coordinates: the first zone less the union of the towns is a sliver
    // of 0.0076 m² as drawn, mean width under a micrometre, yet 24,448 m² measured geodesically
    // (pyproj's Geod), for the geodesic of the zone's long edge and those through the towns'
    // corners part by metres. That is no land in no unit; before, the report listed such
    // lenses (0.024 km² in the second zone).
    let out = zonemap(&[
        "report",
        data("../tests/data/t-junctions-zones.geojson")
            .to_str()
            .expect("path"),
        data("../tests/data/t-junctions-towns.geojson")
            .to_str()
            .expect("path"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(
        json["outside"],
        serde_json::json!([]),
        "{}",
        json["outside"]
    );
}

#[test]
fn report_overlays_a_town_zigzagging_across_its_zones_edge_at_thousands_of_corners() {
    // A planner's test: a town whose south edge runs 0.05° (4.75 km) along its zone's with
    // 30,000 corners 1e-9° (0.1 mm) south of it, north of it and on it in turn. i_overlay
    // 4.5 never finished this intersection and took memory until the process was killed
    // (3.5 GB within 6 s); 9.1 takes milliseconds. Figures: GEOS (shapely 2.2, GEOS 3.14) for
    // the intersection as drawn, measured by pyproj 3.7's Geod on WGS-84: 2,639,713.661 m²;
    // the town 2,639,713.793 m².
    let dir = crate::proposals::tempdir();
    let (x0, y0, w, h, n) = (120.5, 31.3, 0.05, 0.005, 30_000);
    let mut town = vec![(x0, y0)];
    town.extend((0..n).map(|i| {
        let dy = [-1e-9, 1e-9, 0.0][i % 3];
        (x0 + w * (i + 1) as f64 / (n + 1) as f64, y0 + dy)
    }));
    town.extend([(x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]);
    let zone = crate::util::rect(x0, y0, x0 + w, y0 + h);
    let (zones_path, towns_path) = (dir.join("zones.geojson"), dir.join("towns.geojson"));
    std::fs::write(&zones_path, collection(&[("zone", &[&zone])])).expect("write");
    std::fs::write(&towns_path, collection(&[("town", &[&town])])).expect("write");
    for snap in ["0", "1"] {
        let out = zonemap(&[
            "report",
            zones_path.to_str().expect("path"),
            towns_path.to_str().expect("path"),
            "--snap",
            snap,
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
        let unit = &json["units"][0];
        assert_eq!(unit["status"], "full", "snap {snap}: {unit}");
        assert_km2(
            unit["area_km2"].as_f64().expect("area"),
            2_639_713.793,
            "town",
        );
        assert_km2(
            unit["covered_km2"].as_f64().expect("covered"),
            2_639_713.661,
            "covered",
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
