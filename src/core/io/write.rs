//! Writing features as GeoJSON: RFC 7946 (WGS-84 lon/lat) by default, outer rings
//! counter-clockwise and holes clockwise, coordinates at full `f64` precision (at least the 6
//! decimals QGIS and PostGIS keep), each polygon feature's geodesic area in `area_km2`. On
//! request the coordinates go into another system: GCJ-02 or BD-09 (said in a `datum` member,
//! which zonemap reads back), or an EPSG system (said in the legacy `crs` member that GDAL and
//! QGIS read).

use geo::{
    Coord, CoordsIter, Geometry, LineString, MultiPolygon, Orient, Polygon, orient::Direction,
};
use rayon::prelude::*;
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
    // Each feature's text on all cores, then joined in order.
    let texts: Vec<String> = features
        .par_iter()
        .map(|f| feature_text(f, &transform, measured))
        .collect::<Result<_, _>>()?;
    out.reserve(texts.iter().map(|t| t.len() + 2).sum());
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(text);
    }
    out.push_str("\n]}\n");
    Ok(out)
}

/// One feature as the text serde_json writes for [`feature_json`]'s value (its keys in
/// order), its geometry moved out of the working frame by `transform` (its area is measured
/// before, in the working frame). The coordinates are written straight from the geometry,
/// not through a tree of JSON values: a dissolved province holds 50,000 of them.
fn feature_text(
    feature: &Feature,
    transform: &Transform,
    measured: bool,
) -> Result<String, WriteError> {
    let properties = Value::Object(feature_properties(feature, measured));
    let mut out =
        Vec::with_capacity(64 + 40 * feature.geometry.as_ref().map_or(0, |g| g.coords_count()));
    out.extend_from_slice(b"{\"geometry\":");
    match &feature.geometry {
        Some(g) => {
            let mut g = rfc7946(g);
            transform.apply_geometry(&mut g)?;
            geometry_text(&g, &mut out);
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"id\":");
    json_text(&id_value(feature), &mut out);
    out.extend_from_slice(b",\"properties\":");
    json_text(&properties, &mut out);
    out.extend_from_slice(b",\"type\":\"Feature\"}");
    // Only serde_json's output and ASCII went in.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Appends what serde_json writes for `value`.
fn json_text<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    // Writing into a Vec<u8> cannot fail, and these values have string keys only.
    let _ = value.serialize(&mut serde_json::Serializer::new(out));
}

/// Appends a geometry as the geojson crate serializes it (`coordinates` or `geometries`, then
/// `type`), numbers as serde_json writes them.
fn geometry_text(g: &Geometry<f64>, out: &mut Vec<u8>) {
    fn position(c: Coord<f64>, out: &mut Vec<u8>) {
        out.push(b'[');
        json_text(&c.x, out);
        out.push(b',');
        json_text(&c.y, out);
        out.push(b']');
    }
    fn list<T>(items: &[T], out: &mut Vec<u8>, each: impl Fn(&T, &mut Vec<u8>)) {
        out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            each(item, out);
        }
        out.push(b']');
    }
    fn line(l: &LineString<f64>, out: &mut Vec<u8>) {
        list(&l.0, out, |c, out| position(*c, out));
    }
    fn polygon(p: &Polygon<f64>, out: &mut Vec<u8>) {
        out.push(b'[');
        line(p.exterior(), out);
        for hole in p.interiors() {
            out.push(b',');
            line(hole, out);
        }
        out.push(b']');
    }
    /// Appends a geometry's `coordinates` array.
    type Coordinates<'a> = &'a dyn Fn(&mut Vec<u8>);
    let (kind, coordinates): (&str, Coordinates) = match g {
        Geometry::Point(p) => ("Point", &|out| position(p.0, out)),
        Geometry::MultiPoint(m) => ("MultiPoint", &|out| {
            list(&m.0, out, |p, out| position(p.0, out))
        }),
        Geometry::LineString(l) => ("LineString", &|out| line(l, out)),
        Geometry::MultiLineString(m) => ("MultiLineString", &|out| list(&m.0, out, line)),
        Geometry::Polygon(p) => ("Polygon", &|out| polygon(p, out)),
        Geometry::MultiPolygon(m) => ("MultiPolygon", &|out| list(&m.0, out, polygon)),
        Geometry::GeometryCollection(gc) => {
            out.extend_from_slice(b"{\"geometries\":");
            list(&gc.0, out, geometry_text);
            out.extend_from_slice(b",\"type\":\"GeometryCollection\"}");
            return;
        }
        // A line, rectangle or triangle, as geojson turns it into a GeoJSON type.
        other => {
            let value = geojson::Geometry::new(geojson::GeometryValue::from(other));
            // Through a JSON value, whose keys come out in order.
            json_text(&serde_json::to_value(value).unwrap_or(Value::Null), out);
            return;
        }
    };
    out.extend_from_slice(b"{\"coordinates\":");
    coordinates(out);
    out.extend_from_slice(b",\"type\":");
    json_text(kind, out);
    out.push(b'}');
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
    let properties = feature_properties(feature, measured);
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
        "id": id_value(feature),
        "properties": properties,
        "geometry": geometry,
    })
}

/// A feature's id as written: a number where the source gave one ([`Feature::id_is_number`],
/// which a repeated id is not), else text.
fn id_value(feature: &Feature) -> Value {
    // The text is serde_json's own for the number read (or an index): it parses back to it.
    match feature.id.parse::<serde_json::Number>() {
        Ok(n) if feature.id_is_number => Value::Number(n),
        _ => Value::String(feature.id.clone()),
    }
}

/// A feature's properties as written; with `measured`, `name` and a fresh `area_km2` (km²,
/// geodesic, to 1e-6) are put among them, else they are left as read.
fn feature_properties(feature: &Feature, measured: bool) -> Map<String, Value> {
    let mut properties: Map<String, Value> = feature.properties.clone();
    if measured {
        properties.insert("name".into(), Value::String(feature.name.clone()));
    }
    if measured && feature.is_areal() {
        let km2 = geodesic_area_sum(feature.polygons()).km2();
        properties.insert(AREA_KM2.into(), json!((km2 * 1e6).round() / 1e6));
    }
    properties
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Line, MultiLineString, MultiPoint, Point, Rect, Triangle, line_string, polygon};

    fn features() -> Vec<Feature> {
        let square = polygon![
            exterior: [(x: 120.0, y: 31.0), (x: 120.5, y: 31.0), (x: 120.5, y: 31.5), (x: 120.0, y: 31.5)],
            interiors: [[(x: 120.1, y: 31.1), (x: 120.1, y: 31.2), (x: 120.2, y: 31.2)]],
        ];
        let line = line_string![(x: 120.0, y: 31.0), (x: 120.333_333_333_333_3, y: -0.0)];
        let geometries: Vec<Option<Geometry<f64>>> = vec![
            Some(Point::new(120.1, 31.25).into()),
            Some(MultiPoint::from(vec![(1.0, 2.0), (1e-7, 1e21)]).into()),
            Some(line.clone().into()),
            Some(MultiLineString::new(vec![line.clone(), line]).into()),
            Some(square.clone().into()),
            Some(MultiPolygon::new(vec![square.clone(), square.clone()]).into()),
            Some(Geometry::GeometryCollection(
                vec![Geometry::Point(Point::new(0.5, 0.25)), square.into()].into(),
            )),
            Some(Line::new((0.0, 0.0), (1.0, 1.0)).into()),
            Some(Rect::new((0.0, 0.0), (1.0, 1.0)).into()),
            Some(Triangle::new((0.0, 0.0).into(), (1.0, 0.0).into(), (0.0, 1.0).into()).into()),
            None,
        ];
        geometries
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let mut properties = Map::new();
                properties.insert("名称".into(), json!("高新区 \"东渚\""));
                properties.insert("n".into(), json!(i));
                Feature::new(format!("f{i}"), format!("名{i}"), properties, g)
            })
            .collect()
    }

    #[test]
    fn written_text_is_what_serde_json_writes_for_the_feature() {
        // The straight writer against the tree of JSON values it replaced, for every kind of
        // geometry (lines, rectangles and triangles as the geojson crate turns them).
        let identity = Crs::Wgs84.from_wgs84().expect("identity");
        for f in features() {
            for measured in [true, false] {
                let text = feature_text(&f, &identity, measured).expect("written");
                assert_eq!(text, feature_value(&f, measured).to_string(), "{}", f.id);
            }
        }
    }

    #[test]
    fn written_text_moves_the_coordinates_into_the_system_asked_for() {
        let to_gcj = Crs::Gcj02.from_wgs84().expect("a transform");
        for f in features() {
            let text = feature_text(&f, &to_gcj, false).expect("written");
            let mut expected = feature_value(&f, false);
            if let Some(g) = &f.geometry {
                let mut g = rfc7946(g);
                to_gcj.apply_geometry(&mut g).expect("in range");
                let value = geojson::Geometry::new(geojson::GeometryValue::from(&g));
                expected["geometry"] = serde_json::to_value(value).expect("a value");
            }
            assert_eq!(text, expected.to_string(), "{}", f.id);
        }
    }
}
