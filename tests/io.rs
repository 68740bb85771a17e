//! Loading GeoJSON: what RFC 7946 allows, and a clear message for what it does not.

use zonemap::core::Role;
use zonemap::core::io::LoadError;
use zonemap::core::measure::geodesic_area;

use crate::util::{parse, parse_ok};

const SQUARE: &str = "[[120,31],[120.1,31],[120.1,31.1],[120,31.1],[120,31]]";

fn feature(geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{{"name":"f"}},"geometry":{geometry}}}"#)
}

fn collection_of(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

#[test]
fn loads_a_collection_a_feature_and_a_bare_geometry() {
    let poly = format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#);
    let c = parse_ok(&collection_of(&[feature(&poly)]), Role::Zones);
    let f = parse_ok(&feature(&poly), Role::Zones);
    let g = parse_ok(&poly, Role::Zones);
    for layer in [c, f, g] {
        assert_eq!(layer.features.len(), 1);
        assert!(layer.features[0].is_areal());
        assert!(layer.warnings.is_empty());
    }
}

#[test]
fn loads_every_geometry_type() {
    let geometries = [
        r#"{"type":"Point","coordinates":[120,31]}"#.to_string(),
        r#"{"type":"MultiPoint","coordinates":[[120,31],[121,32]]}"#.to_string(),
        r#"{"type":"LineString","coordinates":[[120,31],[121,32]]}"#.to_string(),
        r#"{"type":"MultiLineString","coordinates":[[[120,31],[121,32]],[[122,31],[121,30]]]}"#
            .to_string(),
        format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#),
        format!(r#"{{"type":"MultiPolygon","coordinates":[[{SQUARE}]]}}"#),
        format!(
            r#"{{"type":"GeometryCollection","geometries":[{{"type":"Point","coordinates":[1,2]}},{{"type":"Polygon","coordinates":[{SQUARE}]}}]}}"#
        ),
    ];
    let features: Vec<String> = geometries.iter().map(|g| feature(g)).collect();
    let layer = parse_ok(&collection_of(&features), Role::Context);
    assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
    assert_eq!(layer.features.len(), 7);
    let areal: Vec<bool> = layer.features.iter().map(|f| f.is_areal()).collect();
    assert_eq!(areal, [false, false, false, false, true, true, true]);
}

#[test]
fn null_geometry_is_kept_as_a_feature_without_geometry() {
    let layer = parse_ok(&collection_of(&[feature("null")]), Role::Units);
    assert_eq!(layer.features.len(), 1);
    assert!(layer.features[0].geometry.is_none());
    assert!(layer.warnings.is_empty());
}

#[test]
fn third_coordinate_and_unknown_members_are_ignored() {
    let text = r#"{"type":"FeatureCollection","crs":{"x":1},"bbox":[0,0,1,1],"features":[
      {"type":"Feature","foo":[1,{"a":2}],"properties":{"name":"z"},"geometry":
        {"type":"Polygon","extra":"yes","coordinates":[[[120,31,5],[120.1,31,5],[120.1,31.1,7],[120,31.1,1],[120,31,5]]]}}]}"#;
    let layer = parse_ok(text, Role::Units);
    assert_eq!(layer.features.len(), 1);
    let plain = parse_ok(
        &feature(&format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#)),
        Role::Units,
    );
    let a = geodesic_area(layer.features[0].polygons()[0]);
    let b = geodesic_area(plain.features[0].polygons()[0]);
    assert_eq!(a, b);
}

#[test]
fn either_winding_loads_counter_clockwise() {
    let cw = "[[120,31],[120,31.1],[120.1,31.1],[120.1,31],[120,31]]";
    let layer = parse_ok(
        &feature(&format!(r#"{{"type":"Polygon","coordinates":[{cw}]}}"#)),
        Role::Units,
    );
    use geo::Winding;
    assert!(layer.features[0].polygons()[0].exterior().is_ccw());
}

#[test]
fn ids_come_from_id_then_code_then_adcode_then_index() {
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":7,"properties":{"code":"c","name":"a"},"geometry":null},
      {"type":"Feature","properties":{"code":"c2","adcode":320505},"geometry":null},
      {"type":"Feature","properties":{"adcode":320505,"name":"虎丘区"},"geometry":null},
      {"type":"Feature","properties":{},"geometry":null}]}"#;
    let layer = parse_ok(text, Role::Units);
    let ids: Vec<&str> = layer.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["7", "c2", "320505", "3"]);
    let names: Vec<&str> = layer.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "c2", "虎丘区", "3"]);
}

/// Loads a collection whose feature 1 is bad, and returns the one warning.
fn bad_feature_warning(geometry: &str) -> String {
    let good = feature(&format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#));
    let text = collection_of(&[good.clone(), feature(geometry), good]);
    let layer = parse_ok(&text, Role::Units);
    assert_eq!(layer.features.len(), 2, "the good features still load");
    assert_eq!(layer.warnings.len(), 1);
    let w = &layer.warnings[0];
    assert_eq!(w.index, 1);
    w.to_string()
}

#[test]
fn unusable_geometries_are_skipped_with_their_index_and_reason() {
    let cases = [
        (
            r#"{"type":"Polygon","coordinates":[[[120,31],[121,31],[120,31]]]}"#,
            "ring 0 has 3 positions; a ring needs at least 4",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[120,31],[121,31],[121,32],[120,32]]]}"#,
            "ring 0 is not closed",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[120,31],[NaN,31],[121,32],[120,31]]]}"#,
            "NaN, infinite or null",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[120,31],[Infinity,31],[121,32],[120,31]]]}"#,
            "NaN, infinite or null",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[31,120],[31,121],[32,121],[31,120]]]}"#,
            "latitude 120 is outside ±90",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[120,"31"],[121,31],[121,32],[120,31]]]}"#,
            "a coordinate is a string",
        ),
        (
            r#"{"type":"LineString","coordinates":[[120,31]]}"#,
            "needs at least 2",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[120,31],[121,31]]}"#,
            "nested 3 deep",
        ),
        (
            r#"{"type":"Circle","coordinates":[120,31]}"#,
            "unknown geometry type",
        ),
        (r#""POLYGON((1 2))""#, "`geometry` is a string"),
    ];
    for (geometry, reason) in cases {
        let w = bad_feature_warning(geometry);
        assert!(w.starts_with("test.geojson: feature 1"), "{w}");
        assert!(w.contains(reason), "{w:?} should say {reason:?}");
        assert!(w.ends_with("skipped"), "{w}");
    }
}

#[test]
fn a_syntax_error_names_the_file_line_and_column() {
    let text = "{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\" \"geometry\": null}\n]}";
    let e = parse(text, Role::Units).expect_err("syntax error");
    assert!(matches!(e, LoadError::Syntax { line: 3, .. }), "{e:?}");
    let message = e.to_string();
    assert!(
        message.starts_with("test.geojson: line 3, column 22:"),
        "{message}"
    );
}

#[test]
fn a_truncated_file_is_a_syntax_error() {
    let e = parse(
        r#"{"type":"FeatureCollection","features":[{"type":"Feat"#,
        Role::Units,
    )
    .expect_err("truncated");
    assert!(e.to_string().contains("EOF"), "{e}");
}

#[test]
fn files_that_are_not_geojson_get_one_readable_line() {
    let cases: [(&[u8], &str); 7] = [
        (b"", "the file is empty"),
        (b"  \n ", "the file is empty"),
        (b"name,code\n\xe6\xa8\xaa,1\n", "not JSON"),
        (b"[1, 2, 3]", "the top level is an array"),
        (br#"{"name": "x"}"#, "has no `type`"),
        (br#"{"type": "Topology", "objects": {}}"#, "unknown top-level `type` \"Topology\""),
        (
            b"{\"type\":\"Feature\",\"properties\":{\"name\":\"\xba\xe1\xcc\xc1\"},\"geometry\":null}",
            "not UTF-8",
        ),
    ];
    for (bytes, expected) in cases {
        let e = zonemap::core::io::parse_layer(
            bytes,
            std::path::Path::new("bad.geojson"),
            Role::Units,
            &Default::default(),
        )
        .expect_err("not loadable");
        let message = e.to_string();
        assert!(message.starts_with("bad.geojson: "), "{message}");
        assert!(
            message.contains(expected),
            "{message:?} should say {expected:?}"
        );
        assert!(!message.contains('\n'), "one line: {message}");
    }
}

#[test]
fn a_missing_file_names_the_file() {
    let e = zonemap::core::io::load_layer(
        std::path::Path::new("/nonexistent/zones.geojson"),
        Role::Zones,
        &Default::default(),
    )
    .expect_err("missing");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/zones.geojson: cannot read")
    );
}

#[test]
fn an_atomic_write_leaves_the_old_file_whole_when_it_fails_and_no_scrap_either_way() {
    use zonemap::core::io::write_atomic;
    let dir = crate::proposals::tempdir();
    let path = dir.join("plan.zonemap");
    write_atomic(&path, b"first").expect("written");
    write_atomic(&path, b"second").expect("replaced");
    assert_eq!(std::fs::read(&path).expect("read"), b"second");
    // A target that cannot be replaced (a folder in its place): the write fails, what was
    // there stays, and its temporary file is gone.
    let blocked = dir.join("blocked.zonemap");
    std::fs::create_dir_all(blocked.join("inside")).expect("folder");
    assert!(write_atomic(&blocked, b"new").is_err());
    assert!(blocked.join("inside").is_dir());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["blocked.zonemap", "plan.zonemap"],
        "no .tmp left: {names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_three_forms_give_the_same_coordinates() {
    let poly = format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#);
    let c = parse_ok(&collection_of(&[feature(&poly)]), Role::Zones);
    let f = parse_ok(&feature(&poly), Role::Zones);
    let g = parse_ok(&poly, Role::Zones);
    let expected = vec![
        geo::Coord { x: 120.0, y: 31.0 },
        geo::Coord { x: 120.1, y: 31.0 },
        geo::Coord { x: 120.1, y: 31.1 },
        geo::Coord { x: 120.0, y: 31.1 },
        geo::Coord { x: 120.0, y: 31.0 },
    ];
    for layer in [c, f, g] {
        assert_eq!(layer.features[0].polygons()[0].exterior().0, expected);
    }
}

#[test]
fn the_bundled_font_has_every_character_of_the_bundled_data() {
    // README: the font is GB2312 plus every character of the bundled data.
    let face = ttf_parser::Face::parse(zonemap::core::style::CJK_FONT_OTF, 0).expect("the font");
    let mut missing = std::collections::BTreeSet::new();
    for rel in [
        "suzhou-gaoxin/towns.geojson",
        "suzhou-gaoxin/zones.geojson",
        "jiangsu-south-districts.geojson",
        "township-names.csv",
    ] {
        let text = std::fs::read_to_string(crate::util::data(rel)).expect("bundled");
        // Names, cities, pilots: every CJK character in the file.
        for c in text.chars().filter(|c| {
            ('\u{3000}'..='\u{9fff}').contains(c) || ('\u{ff00}'..='\u{ffef}').contains(c)
        }) {
            if face.glyph_index(c).is_none() {
                missing.insert(c);
            }
        }
    }
    assert!(missing.is_empty(), "the font lacks {missing:?}");
}
