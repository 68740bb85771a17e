//! The `zonemap` command line, run as a user runs it.

use std::process::{Command, Output};

use serde_json::Value;

use crate::util::data;

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
    assert_eq!(fields(&json["zones"][0]), ["area_km2", "id", "name"]);
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
        "zone_id,zone_name,area_km2,official_km2,official_diff_km2,official_diff_pct,notes"
    );
    assert_eq!(
        headers[1],
        "unit_id,unit_name,area_km2,covered_km2,status,zones,notes"
    );
    assert_eq!(headers[6], "file,feature,id,name,kind,message");
    assert_eq!(headers.len(), 7);
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
