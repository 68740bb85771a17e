//! Geodesic areas against GeographicLib, computed independently by
//! `scripts/reference_areas.py` (GeographicLib 2.1 for Python, Karney's method, WGS-84).

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
        // The method's error on a town is well under 1 m² (edges over 500 m as geodesics).
        assert!(
            (areas[id.index()].m2 - m2).abs() < 2.0,
            "{name}: {} m², GeographicLib {m2} m²",
            areas[id.index()].m2
        );
    }
}

#[test]
fn bundled_towns_are_clockwise_on_disk_but_measure_right() {
    // The Amap-derived outer rings run clockwise in the file (the shoelace sum of the raw
    // coordinates is negative); measured naively they would give the rest of the globe. The
    // loader orients them, so every area is the small one (GeographicLib's, above).
    let raw: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::util::data("suzhou-gaoxin/towns.geojson")).expect("file"),
    )
    .expect("JSON");
    for f in raw["features"].as_array().expect("features") {
        let g = &f["geometry"];
        let first_ring = match g["type"].as_str() {
            Some("Polygon") => &g["coordinates"][0],
            _ => &g["coordinates"][0][0],
        };
        let pts: Vec<(f64, f64)> = first_ring
            .as_array()
            .expect("ring")
            .iter()
            .map(|p| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
            .collect();
        let twice_area: f64 = pts
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(
            twice_area < 0.0,
            "{} runs clockwise on disk",
            f["properties"]["name"]
        );
    }
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    for (a, (_, name, m2)) in layer_areas(&towns).iter().zip(TOWNS_M2) {
        assert!((a.m2 - m2).abs() < 2.0, "{name}");
    }
}

/// (adcode, area m²) of the bundled districts and cities, moved from GCJ-02 to WGS-84 with
/// prcoords iterated to 1e-12° and measured by GeographicLib (reference_areas.py, "// district
/// and city areas").
const DISTRICTS_M2: [(&str, f64); 25] = [
    ("320500", 8_629_514_082.415),
    ("320505", 407_974_959.950),
    ("320506", 2_404_270_966.082),
    ("320507", 485_616_935.871),
    ("320508", 83_373_202.407),
    ("320509", 1_226_929_827.879),
    ("320581", 1_262_995_063.590),
    ("320582", 1_007_846_300.910),
    ("320583", 929_594_461.172),
    ("320585", 820_912_364.553),
    ("320200", 4_682_261_742.646),
    ("320205", 397_355_049.337),
    ("320206", 320_839_265.646),
    ("320211", 627_923_988.973),
    ("320213", 74_500_761.648),
    ("320214", 233_187_478.070),
    ("320281", 993_312_251.960),
    ("320282", 2_035_142_947.013),
    ("320400", 4_368_647_036.253),
    ("320402", 154_344_390.597),
    ("320404", 133_944_253.468),
    ("320411", 506_972_999.945),
    ("320412", 1_062_058_001.303),
    ("320413", 976_214_342.444),
    ("320481", 1_535_113_048.496),
];

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
        // The method's error on a district or city is under 4e-9.
        let (_, m2) = DISTRICTS_M2
            .iter()
            .find(|(c, _)| *c == code)
            .expect("in the script's list");
        assert!(
            (a.m2 - m2).abs() < 1.0 + 4e-9 * m2,
            "{}: {} m², GeographicLib {m2} m²",
            f.name,
            a.m2
        );
        // data/realworld/reference-areas.json was made with prcoords' default inverse, which
        // stops at 1e-5° (about a metre along the outline, up to 195 m² on a city): the same
        // areas to 2e-7.
        let expected = reference[&code][1].as_f64().expect("a reference area");
        assert!((a.km2() - expected).abs() < 2e-7 * expected, "{}", f.name);
        // And the file's own area_km2 property says the same to its two decimals.
        let stated = f.properties["area_km2"].as_f64().expect("area_km2");
        assert!((a.km2() - stated).abs() <= 0.005 + 1e-9, "{}", f.name);
    }
}

#[test]
fn a_hole_is_subtracted() {
    // A 0.2° square with a 0.1° hole near Suzhou (reference_areas.py, "outer … hole"):
    // outer 422,228,078.692 m², hole 105,557,044.357 m².
    let outer = rect(120.4, 31.2, 120.6, 31.4);
    let mut hole = rect(120.45, 31.25, 120.55, 31.35);
    hole.reverse();
    let layer = parse_ok(&collection(&[("holed", &[&outer, &hole])]), Role::Units);
    let p = layer.features[0].polygons()[0].clone();
    assert_eq!(p.interiors().len(), 1);
    let expected = 422_228_078.692 - 105_557_044.357;
    assert!(
        (geodesic_area(&p).m2 - expected).abs() < 2.0,
        "{}",
        geodesic_area(&p).m2
    );
}

#[test]
fn perimeter_of_a_degree_square_matches_geographiclib() {
    // reference_areas.py, "1° square at 31–32°N: perimeter" (GeographicLib's Polygon).
    let ring = rect(120.0, 31.0, 121.0, 32.0);
    let layer = parse_ok(&collection(&[("sq", &[&ring])]), Role::Units);
    let p = layer.features[0].polygons()[0];
    assert!((geodesic_perimeter_m(p) - 411_752.967_343).abs() < 1e-3);
}
