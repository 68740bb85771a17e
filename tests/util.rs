use std::path::{Path, PathBuf};

use zonemap::core::io::{LoadError, LoadOptions, load_layer, parse_layer};
use zonemap::core::{Layer, Role};

/// A path under the bundled `data/` folder.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

pub fn load(rel: &str, role: Role) -> Layer {
    load_layer(&data(rel), role, &LoadOptions::default()).expect("bundled data loads")
}

/// Parses GeoJSON text as if it came from `test.geojson`.
pub fn parse(text: &str, role: Role) -> Result<Layer, LoadError> {
    parse_layer(
        text.as_bytes(),
        Path::new("test.geojson"),
        role,
        &LoadOptions::default(),
    )
}

pub fn parse_ok(text: &str, role: Role) -> Layer {
    parse(text, role).expect("parses")
}

/// A polygon's rings (outer first), each a list of lon/lat points without the closing one.
pub type Rings<'a> = &'a [&'a [(f64, f64)]];

/// A FeatureCollection of named lon/lat polygons.
pub fn collection(features: &[(&str, Rings)]) -> String {
    let features: Vec<String> = features
        .iter()
        .map(|(name, rings)| {
            let rings: Vec<String> = rings
                .iter()
                .map(|r| {
                    let mut pts: Vec<String> =
                        r.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
                    pts.push(format!("[{},{}]", r[0].0, r[0].1));
                    format!("[{}]", pts.join(","))
                })
                .collect();
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{name}","code":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
                rings.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// A lon/lat rectangle ring, counter-clockwise.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<(f64, f64)> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}
