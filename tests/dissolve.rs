//! `zonemap dissolve` as it ships (the binary), against GEOS: `scripts/dissolve_reference.py`
//! dissolves the same features with shapely 2.2 (GEOS 3.14 `union_all`, on the coordinates as
//! drawn, after the same GCJ-02 → WGS-84 move as reference_areas.py) and measures each union
//! with GeographicLib. Its counts of parts, holes and vertices are mapshaper's too (0.7.70, on
//! the 2,875 Chinese counties by province: 34, 1,974, 29, 784,510, identical per group).

use serde_json::Value;

use crate::cli::{stderr, stdout, zonemap};
use crate::util::data;

/// (city, members, parts, holes, vertices, km²), from
/// `python scripts/dissolve_reference.py FILE city ...` ("groups").
type Expected = [(&'static str, usize, usize, usize, usize, f64); 3];

/// `data/realworld/jiangsu-south-cgcs2000.gpkg`, table `districts` (CGCS2000 taken as
/// WGS-84): `--layer districts`.
const GPKG_BY_CITY: Expected = [
    ("苏州市", 9, 1, 0, 2810, 8629.514277),
    ("无锡市", 7, 1, 0, 4026, 4682.261779),
    ("常州市", 6, 1, 0, 6912, 4368.647047),
];

/// `data/jiangsu-south-districts.geojson`, `--where level=district` (GCJ-02 moved to WGS-84).
const GEOJSON_BY_CITY: Expected = [
    ("苏州市", 9, 1, 0, 2810, 8629.514082),
    ("无锡市", 7, 1, 0, 4026, 4682.261743),
    ("常州市", 6, 1, 0, 6912, 4368.647036),
];

fn check(args: &[&str], expected: &Expected) -> Value {
    let mut all = args.to_vec();
    all.extend(["--by", "city", "--format", "json"]);
    let out = zonemap(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let groups = json["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), expected.len());
    for (g, &(city, members, parts, holes, vertices, km2)) in groups.iter().zip(expected) {
        assert_eq!(g["value"], city);
        assert_eq!(
            g["members"].as_array().map(Vec::len),
            Some(members),
            "{city}"
        );
        assert_eq!(g["parts"], parts, "{city}");
        assert_eq!(g["holes"], holes, "{city}");
        assert_eq!(g["vertices"], vertices, "{city}: vertex for vertex GEOS's");
        assert_eq!(g["method"], "shared_edges", "{city}");
        let got = g["area_m2"].as_f64().expect("area") / 1e6;
        // Within 1e-9 of GeographicLib's (a few m² on thousands of km²).
        assert!(
            (got - km2).abs() < 1e-9 * km2,
            "{city}: {got} km² against GEOS + GeographicLib's {km2}"
        );
    }
    assert_eq!(json["gaps"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["overlaps"].as_array().map(Vec::len), Some(0));
    json
}

#[test]
fn districts_dissolve_into_cities_as_geos_unites_them() {
    let gpkg = format!(
        "{}:districts",
        data("realworld/jiangsu-south-cgcs2000.gpkg").display()
    );
    check(&["dissolve", &gpkg], &GPKG_BY_CITY);
    let geojson = data("jiangsu-south-districts.geojson")
        .display()
        .to_string();
    check(
        &["dissolve", &geojson, "--where", "level=district"],
        &GEOJSON_BY_CITY,
    );
}

/// What it writes opens in GDAL, valid, with the members and the areas.
#[test]
fn a_dissolved_geopackage_opens_in_gdal() {
    let dir = crate::proposals::tempdir();
    let out = dir.join("cities.gpkg");
    let geojson = data("jiangsu-south-districts.geojson")
        .display()
        .to_string();
    let run = zonemap(&[
        "dissolve",
        &geojson,
        "--where",
        "level=district",
        "--by",
        "city",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let gdal = std::process::Command::new("ogrinfo")
        .args([
            "-q",
            "-dialect",
            "sqlite",
            "-sql",
            "SELECT city, member_count, ST_IsValid(geom) AS valid, area_km2 FROM cities",
            &out.display().to_string(),
        ])
        .output()
        .expect("ogrinfo runs (install gdal-bin; .ci/run does)");
    let text = String::from_utf8_lossy(&gdal.stdout);
    assert!(
        gdal.status.success(),
        "{}",
        String::from_utf8_lossy(&gdal.stderr)
    );
    assert_eq!(text.matches("valid (Integer) = 1").count(), 3, "{text}");
    assert!(text.contains("city (String) = 苏州市"), "{text}");
    assert!(text.contains("member_count (Integer64) = 9"), "{text}");
    assert!(text.contains("area_km2 (Real) = 8629.514"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad input: one line naming the file and what is wrong.
#[test]
fn a_field_no_feature_has_is_one_line_naming_the_fields() {
    let geojson = data("jiangsu-south-districts.geojson")
        .display()
        .to_string();
    let out = zonemap(&["dissolve", &geojson, "--by", "zone"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("jiangsu-south-districts.geojson: no feature has a field \"zone\"; the fields are: adcode, area_km2, city, level, name"),
        "{err}"
    );
}

/// Two towns from another source than the zones (`field/13`): 0.3 m offsets, a T-junction
/// vertex and a 1 cm gap (53 m²) along their shared edge. Dissolved by a zone field both carry,
/// they are one polygon of 105.530 km² (field/README.md's figure), the gap closed by snapping,
/// not two parts 1e-7° apart with a sliver listed between them.
#[test]
fn towns_a_centimetre_apart_dissolve_into_one_polygon() {
    let source = crate::topology::field("13-shared-edge-sliver-units.geojson");
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(source).expect("read")).expect("JSON");
    for f in json["features"].as_array_mut().expect("features") {
        f["properties"]["zone"] = "浒通功能片区".into();
    }
    let dir = crate::proposals::tempdir();
    let path = dir.join("towns.geojson");
    std::fs::write(&path, json.to_string()).expect("write");
    let out = zonemap(&[
        "dissolve",
        &path.display().to_string(),
        "--by",
        "zone",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let group = &got["groups"][0];
    assert_eq!(group["parts"], 1, "{got}");
    assert_eq!(group["holes"], 0, "{got}");
    let km2 = group["area_m2"].as_f64().expect("area") / 1e6;
    assert!((km2 - 105.530).abs() < 0.0005, "{km2}");
    assert_eq!(got["gaps"].as_array().map(Vec::len), Some(0), "{got}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A sloppy layer can have thousands of overlaps: the table lists fifty of each and counts the
/// rest (JSON lists them all); a value with a line break keeps to its line.
#[test]
fn the_table_lists_fifty_overlaps_and_counts_the_rest() {
    let dir = std::env::temp_dir().join(format!("zonemap-listed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    // 61 squares, each overlapping the next by half: 60 overlaps, in a group named "a\nb".
    let features: Vec<String> = (0..61)
        .map(|i| {
            let x = 120.0 + f64::from(i) * 0.005;
            format!(
                r#"{{"type":"Feature","id":"s{i}","properties":{{"g":"a\nb"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},31.0],[{},31.0],[{},31.01],[{x},31.01],[{x},31.0]]]}}}}"#,
                x + 0.01,
                x + 0.01
            )
        })
        .collect();
    let path = dir.join("overlapping.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .expect("written");
    let file = path.display().to_string();
    let out = zonemap(&["dissolve", &file, "--by", "g"]);
    let text = stdout(&out);
    assert!(text.contains("overlaps between members: 60"), "{text}");
    assert_eq!(text.matches("\n  in a\\nb: ").count(), 50, "{text}");
    assert!(
        text.contains("… and 10 more (--format json lists every one)"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&stdout(&zonemap(&[
        "dissolve", &file, "--by", "g", "--format", "json",
    ])))
    .expect("JSON");
    assert_eq!(json["overlaps"].as_array().map(Vec::len), Some(60));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A planner's test: 36 rectangles, each corner moved up to 1e-5° at random, so that
/// neighbours overlap or leave gaps and the dissolve snaps them (1 m) and unites them by an
/// overlay. The union written must be valid as GEOS sees it (shapely 2.2 `is_valid_reason`:
/// "Valid Geometry"), and valid again when zonemap reads it back: a union that kept the
/// spikes where snapping ran a ring back along itself was not (self-intersection at
/// 120.5833231°E, 31.3833200°N).
#[test]
fn snapped_overlapping_members_dissolve_into_a_valid_union() {
    let dir = crate::proposals::tempdir();
    let out_path = dir.join("union.geojson");
    let out = zonemap(&[
        "dissolve",
        &data("../tests/data/dissolve-jittered.geojson")
            .display()
            .to_string(),
        "--by",
        "grp",
        "--out",
        &out_path.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("overlay"), "{}", stdout(&out));
    let check = zonemap(&["check", &out_path.display().to_string()]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("no problems found"),
        "{}",
        stdout(&check)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
