//! Writing a layer out as a file others read: GeoJSON, Esri Shapefile or GeoPackage, chosen by
//! the file's extension, in WGS-84 or another coordinate system.
//!
//! - **GeoJSON**: RFC 7946 in WGS-84; on request in GCJ-02 or BD-09 (a `datum` member says so)
//!   or an EPSG system (the legacy `crs` member GDAL and QGIS read).
//! - **Shapefile**: `.shp`, `.shx`, `.dbf`, `.prj` (the system's WKT1) and `.cpg`; text in
//!   UTF-8, or GBK for older ArcGIS, in which case every text GBK cannot hold is refused by
//!   feature and field rather than silently replaced. Field names are cut to the 10 bytes a
//!   DBF holds (and kept apart with a number where two would meet), texts to 254; both are said.
//!   Chinese field names are written in the file's encoding (the `dbase` crate would write them
//!   in UTF-8 whatever the encoding: they are put into the header afterwards).
//! - **GeoPackage**: one feature table named after the layer, with the system's WKT1 in its
//!   `gpkg_spatial_ref_sys` row, written beside the target and moved over it when complete.
//!
//! GCJ-02 and BD-09 have no EPSG code or WKT, so only GeoJSON can carry them.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::{Geometry, LineString, Polygon};
use serde_json::Value;

use super::write::{WriteError as GeoJsonError, layer_collection_text};
use super::write_atomic;
use crate::core::crs::Crs;
use crate::core::model::{Feature, Layer};

/// How to write a layer.
#[derive(Clone, Debug)]
pub struct WriteOptions {
    /// The coordinate system of the file (default WGS-84).
    pub crs: Crs,
    /// A Shapefile's text encoding: `UTF-8` (default) or `GBK` (also `GB18030`, `936`).
    pub encoding: Option<String>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            crs: Crs::Wgs84,
            encoding: None,
        }
    }
}

/// Why a layer could not be written. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The layer cannot be written as asked: an extension that names no format, a coordinate
    /// system the format cannot carry, an unknown encoding or text it cannot hold, or a feature
    /// that cannot be transformed or encoded.
    #[error("{}: {message}", path.display())]
    Refused {
        /// The file that was to be written.
        path: PathBuf,
        /// What is wrong, and what to do instead where there is something.
        message: String,
    },
    /// Writing the file failed.
    #[error("{}: cannot write it: {source}", path.display())]
    Io {
        /// The file being written (for a Shapefile, the part that failed).
        path: PathBuf,
        /// The error from the file system.
        source: std::io::Error,
    },
}

fn refused(path: &Path, message: impl Into<String>) -> ExportError {
    ExportError::Refused {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Writes `layer` (its features in the working frame) to `path`, in the format its extension
/// names; returns what had to be changed to fit the format (fields renamed or cut), each a
/// line.
pub fn write_layer(
    layer: &Layer,
    path: &Path,
    options: &WriteOptions,
) -> Result<Vec<String>, ExportError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "geojson" | "json" => {
            let text = layer_collection_text(&layer.features, &options.crs)
                .map_err(|e: GeoJsonError| refused(path, e.to_string()))?;
            write_atomic(path, text.as_bytes()).map_err(|source| ExportError::Io {
                path: path.to_owned(),
                source,
            })?;
            Ok(Vec::new())
        }
        "shp" => write_shapefile(layer, path, options),
        "gpkg" => write_geopackage(layer, path, options),
        _ => Err(refused(
            path,
            "the name must end in .geojson, .json, .shp or .gpkg, which say the format",
        )),
    }
}

/// The system's WKT1, as a `.prj` or a GeoPackage holds it.
fn wkt1(crs: &Crs, path: &Path) -> Result<String, ExportError> {
    match crs {
        Crs::Wgs84 => Ok(crs_definitions::EPSG_4326.wkt.to_owned()),
        Crs::Cgcs2000 => Ok(crs_definitions::EPSG_4490.wkt.to_owned()),
        Crs::Gcj02 | Crs::Bd09 => Err(refused(
            path,
            format!(
                "{} has no EPSG code or WKT, so a Shapefile or GeoPackage could not say it: write GeoJSON for it, or WGS-84",
                crs.name()
            ),
        )),
        Crs::Proj { epsg, name, .. } => epsg
            .and_then(crs_definitions::from_code)
            .map(|d| d.wkt.to_owned())
            .ok_or_else(|| {
                refused(
                    path,
                    format!("{name} has no EPSG code; give one (--crs EPSG:NNNN) to write it"),
                )
            }),
    }
}

/// The features' geometries moved out of the working frame into `crs`.
fn geometries_in(
    layer: &Layer,
    crs: &Crs,
    path: &Path,
) -> Result<Vec<Option<Geometry<f64>>>, ExportError> {
    let t = crs.from_wgs84().map_err(|e| refused(path, e.to_string()))?;
    layer
        .features
        .iter()
        .map(|f| {
            let Some(g) = &f.geometry else {
                return Ok(None);
            };
            let mut g = g.clone();
            if !t.is_identity() {
                t.apply_geometry(&mut g)
                    .map_err(|e| refused(path, format!("feature {} ({}): {e}", f.id, f.name)))?;
            }
            Ok(Some(g))
        })
        .collect()
}

/// What each property holds over all features: the kind of DBF or SQL column it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Integer,
    Real,
    Bool,
    Text,
}

/// The properties of a layer in the order they first appear, each with its kind; `name` is
/// first, as every feature has one.
fn columns(features: &[Feature]) -> Vec<(String, Kind)> {
    let mut out: Vec<(String, Kind)> = vec![("name".to_owned(), Kind::Text)];
    for f in features {
        for (k, v) in &f.properties {
            let kind = match v {
                Value::Null => continue,
                Value::Bool(_) => Kind::Bool,
                Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
                Value::Number(_) => Kind::Real,
                _ => Kind::Text,
            };
            match out.iter_mut().find(|(name, _)| name == k) {
                Some((_, existing)) => {
                    *existing = match (*existing, kind) {
                        (a, b) if a == b => a,
                        (Kind::Integer, Kind::Real) | (Kind::Real, Kind::Integer) => Kind::Real,
                        _ => Kind::Text,
                    }
                }
                None => out.push((k.clone(), kind)),
            }
        }
    }
    out
}

/// A property as text, for a text column: strings as they are, anything else as JSON.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn value_of<'a>(f: &'a Feature, key: &str) -> Option<std::borrow::Cow<'a, Value>> {
    if key == "name" && !f.properties.contains_key("name") {
        return Some(std::borrow::Cow::Owned(Value::String(f.name.clone())));
    }
    f.properties.get(key).map(std::borrow::Cow::Borrowed)
}

// ---- Shapefile ----

fn write_shapefile(
    layer: &Layer,
    path: &Path,
    options: &WriteOptions,
) -> Result<Vec<String>, ExportError> {
    use shapefile::dbase::{self, FieldValue};
    let encoding: &'static encoding_rs::Encoding = match options.encoding.as_deref() {
        None => encoding_rs::UTF_8,
        Some(label) => super::shapefile::Encoding::named(label)
            .map(|e| e.get())
            .ok_or_else(|| refused(path, format!("no text encoding is called \"{label}\"")))?,
    };
    let gbk = encoding == encoding_rs::GBK || encoding == encoding_rs::GB18030;
    let prj = wkt1(&options.crs, path)?;
    let geometries = geometries_in(layer, &options.crs, path)?;
    let shape_kind = shape_kind(&geometries).map_err(|m| refused(path, m))?;
    let mut notes = Vec::new();

    // Texts the encoding cannot hold are refused, all of them named at once.
    let cols = columns(&layer.features);
    let mut unmappable = Vec::new();
    let encodes = |s: &str| !encoding.encode(s).2;
    for (name, _) in &cols {
        if !encodes(name) {
            unmappable.push(format!("field name \"{name}\""));
        }
    }
    for f in &layer.features {
        for (name, kind) in &cols {
            if *kind != Kind::Text {
                continue;
            }
            if let Some(t) = value_of(f, name).and_then(|v| text_of(&v))
                && !encodes(&t)
            {
                let bad: String = t.chars().filter(|c| !encodes(&c.to_string())).collect();
                unmappable.push(format!("feature {} ({}), {name}: {bad}", f.id, f.name));
            }
        }
    }
    if !unmappable.is_empty() {
        let shown: Vec<&String> = unmappable.iter().take(12).collect();
        return Err(refused(
            path,
            format!(
                "{} cannot hold {} text(s): {}{}; write UTF-8 instead (the default)",
                encoding.name(),
                unmappable.len(),
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                if unmappable.len() > 12 { "; …" } else { "" }
            ),
        ));
    }

    // Field names: at most 10 bytes in the file's encoding, each distinct.
    let mut names: Vec<(String, Vec<u8>)> = Vec::with_capacity(cols.len());
    for (name, _) in &cols {
        let mut cut = String::new();
        for c in name.chars() {
            let mut next = cut.clone();
            next.push(c);
            if encoding.encode(&next).0.len() > 10 {
                break;
            }
            cut = next;
        }
        let mut n = 1;
        let mut unique = cut.clone();
        while names
            .iter()
            .any(|(_, b)| b == &encoding.encode(&unique).0.to_vec())
        {
            let suffix = format!("_{n}");
            let mut base = cut.clone();
            while encoding.encode(&format!("{base}{suffix}")).0.len() > 10 {
                base.pop();
            }
            unique = format!("{base}{suffix}");
            n += 1;
        }
        if &unique != name {
            notes.push(format!(
                "field {name} is written as {unique} (a DBF field name holds 10 bytes)"
            ));
        }
        let bytes = encoding.encode(&unique).0.to_vec();
        names.push((unique, bytes));
    }
    // The crate writes field names as UTF-8 whatever the encoding, so columns are written
    // under ASCII keys (`F00000`, …) and the real names, in the file's encoding, are put
    // into the header afterwards.
    let column_key = |i: usize| format!("F{i:05}");
    let mut builder =
        dbase::TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding));
    for (i, (_, kind)) in cols.iter().enumerate() {
        let field = dbase::FieldName::try_from(column_key(i).as_str())
            .map_err(|e| refused(path, e.to_string()))?;
        builder = match kind {
            Kind::Integer => builder.add_numeric_field(field, 18, 0),
            Kind::Real => builder.add_numeric_field(field, 24, 10),
            Kind::Bool => builder.add_logical_field(field),
            Kind::Text => builder.add_character_field(field, 254),
        };
    }
    let mut dbf = Cursor::new(Vec::new());
    let mut shp = Cursor::new(Vec::new());
    let mut shx = Cursor::new(Vec::new());
    {
        let mut table = builder.build_with_dest(&mut dbf);
        let mut shapes = shapefile::ShapeWriter::with_shx(&mut shp, &mut shx);
        for (f, g) in layer.features.iter().zip(&geometries) {
            let shape = to_shape(g.as_ref(), shape_kind);
            if matches!(shape, Typed::None) {
                notes.push(format!(
                    "feature {} ({}) has no geometry of the file's kind and is left out",
                    f.id, f.name
                ));
                continue;
            }
            let mut record = dbase::Record::default();
            for (i, (name, kind)) in cols.iter().enumerate() {
                let v = value_of(f, name);
                let value = match kind {
                    Kind::Integer | Kind::Real => {
                        FieldValue::Numeric(v.as_deref().and_then(Value::as_f64))
                    }
                    Kind::Bool => FieldValue::Logical(v.as_deref().and_then(Value::as_bool)),
                    Kind::Text => {
                        let t = v.as_deref().and_then(text_of).map(|mut t| {
                            if encoding.encode(&t).0.len() > 254 {
                                while encoding.encode(&t).0.len() > 254 {
                                    t.pop();
                                }
                                notes.push(format!(
                                    "feature {} ({}), {name}: cut to the 254 bytes a DBF text holds",
                                    f.id, f.name
                                ));
                            }
                            t
                        });
                        FieldValue::Character(t)
                    }
                };
                record.insert(column_key(i), value);
            }
            let written = match &shape {
                Typed::Polygon(p) => shapes.write_shape(p),
                Typed::Polyline(l) => shapes.write_shape(l),
                Typed::Point(p) => shapes.write_shape(p),
                Typed::Multipoint(m) => shapes.write_shape(m),
                Typed::None => Ok(()),
            };
            written.map_err(|e| refused(path, format!("feature {} ({}): {e}", f.id, f.name)))?;
            table
                .write_record(&record)
                .map_err(|e| refused(path, format!("feature {} ({}): {e}", f.id, f.name)))?;
        }
        shapes
            .finalize()
            .map_err(|e| refused(path, e.to_string()))?;
        table.finalize().map_err(|e| refused(path, e.to_string()))?;
    }
    let mut dbf = dbf.into_inner();
    for (i, (_, bytes)) in names.iter().enumerate() {
        let at = 32 + 32 * i;
        if let Some(slot) = dbf.get_mut(at..at + 11) {
            slot.fill(0);
            slot[..bytes.len().min(10)].copy_from_slice(&bytes[..bytes.len().min(10)]);
        }
    }
    let cpg = if gbk { "936" } else { "UTF-8" };
    let io = |p: PathBuf| move |source| ExportError::Io { path: p, source };
    for (ext, bytes) in [
        ("shp", shp.into_inner()),
        ("shx", shx.into_inner()),
        ("dbf", dbf),
        ("prj", prj.into_bytes()),
        ("cpg", cpg.as_bytes().to_vec()),
    ] {
        let p = path.with_extension(ext);
        write_atomic(&p, &bytes).map_err(io(p.clone()))?;
    }
    Ok(notes)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ShapeKind {
    Polygon,
    Polyline,
    Point,
    Multipoint,
}

/// The one shape type a Shapefile of these geometries can be.
fn shape_kind(geometries: &[Option<Geometry<f64>>]) -> Result<ShapeKind, String> {
    let mut kind = None;
    for g in geometries.iter().flatten() {
        let k = match g {
            Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_) => ShapeKind::Polygon,
            Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => {
                ShapeKind::Polyline
            }
            Geometry::Point(_) => ShapeKind::Point,
            Geometry::MultiPoint(_) => ShapeKind::Multipoint,
            Geometry::GeometryCollection(_) => {
                if crate::core::model::Feature::new(
                    String::new(),
                    String::new(),
                    Default::default(),
                    Some(g.clone()),
                )
                .is_areal()
                {
                    ShapeKind::Polygon
                } else {
                    return Err(
                        "a GeometryCollection of points or lines cannot go into a Shapefile"
                            .to_owned(),
                    );
                }
            }
        };
        kind = match (kind, k) {
            (None, k) => Some(k),
            (Some(a), b) if a == b => Some(a),
            (Some(ShapeKind::Point), ShapeKind::Multipoint)
            | (Some(ShapeKind::Multipoint), ShapeKind::Point) => Some(ShapeKind::Multipoint),
            (Some(a), b) => {
                return Err(format!(
                    "the layer mixes {a:?} and {b:?} geometries; a Shapefile holds one kind (GeoJSON or GeoPackage hold any)"
                ));
            }
        };
    }
    Ok(kind.unwrap_or(ShapeKind::Polygon))
}

fn ring_points(ring: &LineString<f64>) -> Vec<shapefile::Point> {
    ring.0
        .iter()
        .map(|c| shapefile::Point::new(c.x, c.y))
        .collect()
}

fn polygons_of(g: &Geometry<f64>) -> Vec<Polygon<f64>> {
    match g {
        Geometry::Polygon(p) => vec![p.clone()],
        Geometry::MultiPolygon(mp) => mp.0.clone(),
        Geometry::Rect(r) => vec![r.to_polygon()],
        Geometry::Triangle(t) => vec![t.to_polygon()],
        Geometry::GeometryCollection(gc) => gc.0.iter().flat_map(polygons_of).collect(),
        _ => Vec::new(),
    }
}

/// A shape of the one kind the file holds.
enum Typed {
    Polygon(shapefile::Polygon),
    Polyline(shapefile::Polyline),
    Point(shapefile::Point),
    Multipoint(shapefile::Multipoint),
    None,
}

fn to_shape(g: Option<&Geometry<f64>>, kind: ShapeKind) -> Typed {
    use shapefile::PolygonRing;
    let Some(g) = g else {
        return Typed::None;
    };
    match kind {
        ShapeKind::Polygon => {
            let rings: Vec<PolygonRing<shapefile::Point>> = polygons_of(g)
                .iter()
                .flat_map(|p| {
                    std::iter::once(PolygonRing::Outer(ring_points(p.exterior()))).chain(
                        p.interiors()
                            .iter()
                            .map(|h| PolygonRing::Inner(ring_points(h))),
                    )
                })
                .collect();
            if rings.is_empty() {
                Typed::None
            } else {
                Typed::Polygon(shapefile::Polygon::with_rings(rings))
            }
        }
        ShapeKind::Polyline => {
            let parts: Vec<Vec<shapefile::Point>> = match g {
                Geometry::LineString(l) => vec![ring_points(l)],
                Geometry::MultiLineString(m) => m.0.iter().map(ring_points).collect(),
                Geometry::Line(l) => vec![vec![
                    shapefile::Point::new(l.start.x, l.start.y),
                    shapefile::Point::new(l.end.x, l.end.y),
                ]],
                _ => Vec::new(),
            };
            if parts.is_empty() {
                Typed::None
            } else {
                Typed::Polyline(shapefile::Polyline::with_parts(parts))
            }
        }
        ShapeKind::Point => match g {
            Geometry::Point(p) => Typed::Point(shapefile::Point::new(p.x(), p.y())),
            _ => Typed::None,
        },
        ShapeKind::Multipoint => {
            let points: Vec<shapefile::Point> = match g {
                Geometry::Point(p) => vec![shapefile::Point::new(p.x(), p.y())],
                Geometry::MultiPoint(m) => {
                    m.0.iter()
                        .map(|p| shapefile::Point::new(p.x(), p.y()))
                        .collect()
                }
                _ => Vec::new(),
            };
            if points.is_empty() {
                Typed::None
            } else {
                Typed::Multipoint(shapefile::Multipoint::new(points))
            }
        }
    }
}

// ---- GeoPackage ----

fn write_geopackage(
    layer: &Layer,
    path: &Path,
    options: &WriteOptions,
) -> Result<Vec<String>, ExportError> {
    use geopackage::core::types::ColumnType;
    use geopackage::{ColumnSpec, GeoPackage, GeometrySpec, NewFeature, TableSchemaBuilder};
    let wkt = wkt1(&options.crs, path)?;
    let geometries = geometries_in(layer, &options.crs, path)?;
    let srs_id = i32::try_from(options.crs.epsg().unwrap_or(4326)).unwrap_or(4326);
    let cols = columns(&layer.features);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&tmp);
    let failed = |e: &dyn std::fmt::Display| refused(path, e.to_string());
    let result = (|| -> Result<(), ExportError> {
        let gpkg = GeoPackage::create(&tmp).map_err(|e| failed(&e))?;
        if srs_id != 4326 {
            let srs = geopackage::Srs {
                name: options.crs.name(),
                srs_id,
                organization: "EPSG".to_owned(),
                organization_coordsys_id: srs_id,
                definition: wkt.clone(),
                description: None,
                definition_wkt2: None,
                epoch: None,
            };
            gpkg.add_srs(&srs).map_err(|e| failed(&e))?;
        }
        let table = table_name(&layer.name);
        let mut schema = TableSchemaBuilder::new(&table);
        for (name, kind) in &cols {
            let ty = match kind {
                Kind::Integer => ColumnType::Integer,
                Kind::Real => ColumnType::Double,
                Kind::Bool => ColumnType::Boolean,
                Kind::Text => ColumnType::Text(None),
            };
            schema = schema.column(ColumnSpec::new(name, ty));
        }
        let (geometry_type, geometries) = promoted(geometries);
        schema = schema.geometry(GeometrySpec::new(geometry_type, srs_id));
        gpkg.create_layer(&schema).map_err(|e| failed(&e))?;
        let out = gpkg.layer(&table).map_err(|e| failed(&e))?;
        let rows = layer.features.iter().zip(geometries).map(|(f, g)| {
            let values = cols
                .iter()
                .map(|(name, kind)| {
                    let v = value_of(f, name);
                    match (kind, v.as_deref()) {
                        (_, None | Some(Value::Null)) => geopackage::Value::Null,
                        (Kind::Integer, Some(v)) => v
                            .as_i64()
                            .map_or(geopackage::Value::Null, geopackage::Value::Integer),
                        (Kind::Real, Some(v)) => v
                            .as_f64()
                            .map_or(geopackage::Value::Null, geopackage::Value::Float),
                        (Kind::Bool, Some(v)) => v
                            .as_bool()
                            .map_or(geopackage::Value::Null, geopackage::Value::Boolean),
                        (Kind::Text, Some(v)) => {
                            text_of(v).map_or(geopackage::Value::Null, geopackage::Value::Text)
                        }
                    }
                })
                .collect();
            NewFeature {
                fid: None,
                geometry: g,
                values,
            }
        });
        out.write_all(rows, 1000).map_err(|e| failed(&e))?;
        drop(out);
        drop(gpkg);
        // The crate stamps GeoPackage 1.4; what it writes is 1.2 as well (the same core
        // tables, no 1.3/1.4 extension), and GDAL before 3.7 warns on 1.4, so say 1.2, as
        // GDAL itself does by default.
        let conn = rusqlite::Connection::open(&tmp).map_err(|e| failed(&e))?;
        conn.pragma_update(None, "user_version", 10200)
            .map_err(|e| failed(&e))?;
        conn.close().map_err(|(_, e)| failed(&e))?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).map_err(|source| ExportError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(Vec::new())
}

/// The column's geometry type and the geometries fitted to it: polygons promoted to
/// multipolygons when both occur (as `ogr2ogr -nlt PROMOTE_TO_MULTI` does), and likewise lines
/// and points; a mix of kinds stays `GEOMETRY`.
fn promoted(
    geometries: Vec<Option<Geometry<f64>>>,
) -> (
    geopackage::core::types::GeometryType,
    Vec<Option<Geometry<f64>>>,
) {
    use geo::{MultiLineString, MultiPoint, MultiPolygon};
    use geopackage::core::types::GeometryType as T;
    let kind = |g: &Geometry<f64>| match g {
        Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => 1,
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => 2,
        Geometry::Point(_) | Geometry::MultiPoint(_) => 3,
        Geometry::GeometryCollection(_) => 4,
    };
    let mut kinds: Vec<u8> = geometries.iter().flatten().map(kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let single = |t: fn(&Geometry<f64>) -> bool| geometries.iter().flatten().all(t);
    match kinds.as_slice() {
        [1] if single(|g| matches!(g, Geometry::Polygon(_))) => (T::Polygon, geometries),
        [1] => (
            T::MultiPolygon,
            geometries
                .into_iter()
                .map(|g| {
                    g.map(|g| match g {
                        Geometry::Polygon(p) => Geometry::MultiPolygon(MultiPolygon(vec![p])),
                        Geometry::Rect(r) => {
                            Geometry::MultiPolygon(MultiPolygon(vec![r.to_polygon()]))
                        }
                        Geometry::Triangle(t) => {
                            Geometry::MultiPolygon(MultiPolygon(vec![t.to_polygon()]))
                        }
                        other => other,
                    })
                })
                .collect(),
        ),
        [2] if single(|g| matches!(g, Geometry::LineString(_))) => (T::LineString, geometries),
        [2] => (
            T::MultiLineString,
            geometries
                .into_iter()
                .map(|g| {
                    g.map(|g| match g {
                        Geometry::LineString(l) => {
                            Geometry::MultiLineString(MultiLineString(vec![l]))
                        }
                        Geometry::Line(l) => {
                            Geometry::MultiLineString(MultiLineString(vec![l.into()]))
                        }
                        other => other,
                    })
                })
                .collect(),
        ),
        [3] if single(|g| matches!(g, Geometry::Point(_))) => (T::Point, geometries),
        [3] => (
            T::MultiPoint,
            geometries
                .into_iter()
                .map(|g| {
                    g.map(|g| match g {
                        Geometry::Point(p) => Geometry::MultiPoint(MultiPoint(vec![p])),
                        other => other,
                    })
                })
                .collect(),
        ),
        _ => (T::Geometry, geometries),
    }
}

/// A table name SQLite and GDAL take: the layer's name, with what they would stumble on
/// replaced.
fn table_name(name: &str) -> String {
    let t: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() || t.starts_with(|c: char| c.is_ascii_digit()) {
        format!("layer_{t}")
    } else {
        t
    }
}
