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

mod gpkg;
mod shp;

use gpkg::*;
use shp::*;

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
