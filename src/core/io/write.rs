//! Writing features as GeoJSON: RFC 7946 (WGS-84 lon/lat) by default, outer rings
//! counter-clockwise and holes clockwise, coordinates at full `f64` precision (at least the 6
//! decimals QGIS and PostGIS keep), each polygon feature's geodesic area in `area_km2`. On
//! request the coordinates go into another system: GCJ-02 or BD-09 (said in a `datum` member,
//! which zonemap reads back), or an EPSG system (said in the legacy `crs` member that GDAL and
//! QGIS read).

use geo::{Geometry, MultiPolygon, Orient, Polygon, orient::Direction};
use serde_json::{Map, Value, json};

use crate::core::Feature;
use crate::core::crs::{Crs, CrsError, Transform};
use crate::core::measure::geodesic_area_sum;

/// The property holding a feature's geodesic area in km², written afresh on every save.
pub const AREA_KM2: &str = "area_km2";

/// Why features could not be written in a coordinate system.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// No transform from the working frame into the system can be set up.
    #[error(transparent)]
    Crs(#[from] CrsError),
    /// A coordinate could not be moved into the system.
    #[error(transparent)]
    Transform(#[from] crate::core::crs::TransformError),
    /// A system with no EPSG code for the `crs` member to name; holds the system's name.
    #[error(
        "{0} has no EPSG code, which GeoJSON readers would need to know it; write GeoJSON in WGS-84, GCJ-02, BD-09 or an EPSG system"
    )]
    NoCode(String),
}

/// The members that say a FeatureCollection's coordinate system, besides `type`.
fn crs_members(crs: &Crs) -> Result<Map<String, Value>, WriteError> {
    let mut m = Map::new();
    match crs {
        Crs::Wgs84 | Crs::Cgcs2000 => {
            m.insert("datum".into(), json!("WGS-84"));
        }
        Crs::Gcj02 | Crs::Bd09 => {
            m.insert("datum".into(), json!(crs.code()));
        }
        other => {
            let code = other
                .epsg()
                .ok_or_else(|| WriteError::NoCode(other.name()))?;
            m.insert(
                "crs".into(),
                json!({"type": "name", "properties": {"name": format!("urn:ogc:def:crs:EPSG::{code}")}}),
            );
        }
    }
    Ok(m)
}

/// A FeatureCollection of `features` (in the working frame) with coordinates in `crs`, one
/// feature per line.
pub fn feature_collection_text(features: &[Feature], crs: &Crs) -> Result<String, WriteError> {
    collection_text(features, crs, true)
}

/// A layer's features as a FeatureCollection with coordinates in `crs`, each with its
/// properties exactly as read (no `name` or `area_km2` added or changed): what `zonemap
/// convert` and File > Export layer write.
pub fn layer_collection_text(features: &[Feature], crs: &Crs) -> Result<String, WriteError> {
    collection_text(features, crs, false)
}

fn collection_text(features: &[Feature], crs: &Crs, measured: bool) -> Result<String, WriteError> {
    let members = crs_members(crs)?;
    let transform = crs.from_wgs84()?;
    let mut out = String::from("{\"type\":\"FeatureCollection\",");
    for (k, v) in &members {
        out.push_str(&format!("{}:{v},", json!(k)));
    }
    out.push_str("\"features\":[\n");
    for (i, f) in features.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&feature_json_in(f, &transform, measured)?.to_string());
    }
    out.push_str("\n]}\n");
    Ok(out)
}

/// The FeatureCollection as a JSON value, in WGS-84 (how a project keeps its proposals).
pub fn feature_collection(features: &[Feature]) -> Value {
    json!({
        "type": "FeatureCollection",
        "datum": "WGS-84",
        "features": features.iter().map(feature_json).collect::<Vec<_>>(),
    })
}

/// One feature in WGS-84: its id, its properties (with `name`, and `area_km2` for polygons),
/// and its geometry with RFC 7946 winding.
pub fn feature_json(feature: &Feature) -> Value {
    feature_value(feature, true)
}

/// One feature in WGS-84; with `measured`, `name` and a fresh `area_km2` are put among its
/// properties, else they are left as read.
fn feature_value(feature: &Feature, measured: bool) -> Value {
    let mut properties: Map<String, Value> = feature.properties.clone();
    if measured {
        properties.insert("name".into(), Value::String(feature.name.clone()));
    }
    if measured && feature.is_areal() {
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

/// One feature with its geometry moved out of the working frame by `transform` (its area is
/// measured before, in the working frame).
fn feature_json_in(
    feature: &Feature,
    transform: &Transform,
    measured: bool,
) -> Result<Value, WriteError> {
    let mut value = feature_value(feature, measured);
    if transform.is_identity() {
        return Ok(value);
    }
    if let Some(g) = &feature.geometry {
        let mut g = rfc7946(g);
        transform.apply_geometry(&mut g)?;
        let geometry = geojson::Geometry::new(geojson::GeometryValue::from(&g));
        value["geometry"] = serde_json::to_value(geometry).unwrap_or(Value::Null);
    }
    Ok(value)
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
