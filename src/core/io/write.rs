//! Writing features as RFC 7946 GeoJSON: outer rings counter-clockwise and holes clockwise,
//! coordinates at full `f64` precision (at least the 6 decimals QGIS and PostGIS keep), each
//! polygon feature's geodesic area in `area_km2`.

use geo::{Geometry, MultiPolygon, Orient, Polygon, orient::Direction};
use serde_json::{Map, Value, json};

use crate::core::Feature;
use crate::core::measure::geodesic_area_sum;

/// The property holding a feature's geodesic area in km², written afresh on every save.
pub const AREA_KM2: &str = "area_km2";

/// A FeatureCollection of `features`, one feature per line. `datum` is recorded as a foreign
/// member, since lon/lat in GCJ-02 are not the WGS-84 that RFC 7946 assumes.
pub fn feature_collection_text(features: &[Feature], datum: &str) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",");
    out.push_str(&format!("\"datum\":{},\"features\":[\n", json!(datum)));
    for (i, f) in features.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&feature_json(f).to_string());
    }
    out.push_str("\n]}\n");
    out
}

/// The same FeatureCollection as a JSON value (how a project keeps its proposals).
pub fn feature_collection(features: &[Feature], datum: &str) -> Value {
    json!({
        "type": "FeatureCollection",
        "datum": datum,
        "features": features.iter().map(feature_json).collect::<Vec<_>>(),
    })
}

/// One feature: its id, its properties (with `name`, and `area_km2` for polygons), and its
/// geometry with RFC 7946 winding.
pub fn feature_json(feature: &Feature) -> Value {
    let mut properties: Map<String, Value> = feature.properties.clone();
    properties.insert("name".into(), Value::String(feature.name.clone()));
    if feature.is_areal() {
        let km2 = geodesic_area_sum(feature.polygons()).km2();
        properties.insert(AREA_KM2.into(), json!((km2 * 1e6).round() / 1e6));
    }
    let geometry = match &feature.geometry {
        Some(g) => {
            let g = rfc7946(g);
            let value = geojson::GeometryValue::from(&g);
            serde_json::to_value(geojson::Geometry::new(value)).unwrap_or(Value::Null)
        }
        None => Value::Null,
    };
    json!({
        "type": "Feature",
        "id": feature.id,
        "properties": properties,
        "geometry": geometry,
    })
}

/// The geometry with outer rings counter-clockwise and holes clockwise.
pub fn rfc7946(g: &Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Polygon(p) => Geometry::Polygon(orient(p)),
        Geometry::MultiPolygon(mp) => {
            Geometry::MultiPolygon(MultiPolygon(mp.0.iter().map(orient).collect()))
        }
        Geometry::GeometryCollection(gc) => {
            Geometry::GeometryCollection(gc.0.iter().map(rfc7946).collect::<Vec<_>>().into())
        }
        other => other.clone(),
    }
}

fn orient(p: &Polygon<f64>) -> Polygon<f64> {
    p.orient(Direction::Default)
}
