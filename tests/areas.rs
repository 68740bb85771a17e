//! Geodesic areas against GeographicLib, computed independently by
//! `scripts/reference_areas.py` (GeographicLib 2.1 for Python, Karney's method, WGS-84).

use approx::assert_relative_eq;
use zonemap::core::Role;
use zonemap::core::analysis::layer_areas;
use zonemap::core::measure::{geodesic_area, geodesic_perimeter_m};

use crate::util::{collection, load, parse_ok, rect};

/// (code, name, area m²) of the bundled Suzhou high-tech district towns, moved from GCJ-02 to
/// WGS-84 (prcoords) and measured by GeographicLib.
const TOWNS_M2: [(&str, &str, f64); 8] = [
    ("320505001", "横塘街道", 19_396_339.909),
    ("320505002", "狮山街道", 7_430_395.869),
    ("320505003", "枫桥街道", 34_720_959.847),
    ("320505004", "镇湖街道", 145_458_280.354),
    ("320505101", "通安镇", 36_808_898.121),
    ("320505400", "浒墅关经开区（镇）", 23_799_932.420),
    ("320505407", "科技城（东渚街道）", 41_064_556.706),
    ("320505408", "苏州高新区综合保税区", 28_242_416.718),
];

#[test]
fn bundled_towns_match_geographiclib() {
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let areas = layer_areas(&towns);
    assert_eq!(towns.features.len(), TOWNS_M2.len());
    for (code, name, m2) in TOWNS_M2 {
        let id = towns.find(code).expect("town by code");
        assert_eq!(towns.feature(id).name, name);
        assert_relative_eq!(areas[id.index()].m2, m2, max_relative = 1e-7);
    }
}

#[test]
fn bundled_towns_are_clockwise_on_disk_but_measure_right() {
    // The Amap-derived rings run clockwise; measured naively they would give the rest of the
    // globe. The loader orients them, so every area is the small one.
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    for a in layer_areas(&towns) {
        assert!(a.km2() > 1.0 && a.km2() < 200.0, "{a:?}");
    }
}

#[test]
fn district_outlines_moved_to_wgs84_match_the_reference_areas() {
    // data/realworld/reference-areas.json: the same outlines moved from GCJ-02 to WGS-84 with
    // prcoords and measured with pyproj's Geod (GeographicLib); see data/realworld/README.md.
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::util::data("realworld/reference-areas.json"))
            .expect("reference areas"),
    )
    .expect("JSON");
    let districts = load("jiangsu-south-districts.geojson", Role::Context);
    let areas = layer_areas(&districts);
    assert_eq!(districts.features.len(), 25);
    for (f, a) in districts.features.iter().zip(areas) {
        let code = f.property_text("adcode").expect("adcode");
        let expected = reference[&code][1].as_f64().expect("a reference area");
        assert_relative_eq!(a.km2(), expected, max_relative = 1e-6);
        // And the file's own area_km2 property says the same to its two decimals.
        let stated = f.properties["area_km2"].as_f64().expect("area_km2");
        assert!((a.km2() - stated).abs() <= 0.005 + 1e-9, "{}", f.name);
    }
}

#[test]
fn a_hole_is_subtracted() {
    // A 0.2° square with a 0.1° hole near Suzhou. GeographicLib 2.1 (Python,
    // Geodesic.WGS84.Polygon()): outer 422,228,078.692 m², hole 105,557,044.357 m².
    let outer = rect(120.4, 31.2, 120.6, 31.4);
    let mut hole = rect(120.45, 31.25, 120.55, 31.35);
    hole.reverse();
    let layer = parse_ok(&collection(&[("holed", &[&outer, &hole])]), Role::Units);
    let p = layer.features[0].polygons()[0].clone();
    assert_eq!(p.interiors().len(), 1);
    assert_relative_eq!(
        geodesic_area(&p).m2,
        422_228_078.692 - 105_557_044.357,
        max_relative = 1e-7
    );
}

#[test]
fn perimeter_of_a_degree_square_matches_geographiclib() {
    // GeographicLib: Geodesic.WGS84.Polygon() over (31,120),(31,121),(32,121),(32,120), perimeter.
    let ring = rect(120.0, 31.0, 121.0, 32.0);
    let layer = parse_ok(&collection(&[("sq", &[&ring])]), Role::Units);
    let p = layer.features[0].polygons()[0];
    assert_relative_eq!(geodesic_perimeter_m(p), 411_752.967, max_relative = 1e-8);
}
