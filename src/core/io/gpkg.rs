//! Reading and writing GeoPackages (OGC GeoPackage 1.2–1.4, as GDAL and QGIS write them), through
//! the `geopackage` crate and its bundled SQLite.
//!
//! Every feature table can be read, each as a layer with its own coordinate system (from the
//! table's `gpkg_spatial_ref_sys` row: its EPSG code, else its WKT); the command line names one
//! as `FILE.gpkg:TABLE`, or takes all, and the window lets the user pick. Kept behind this
//! module, so that the crate (pre-1.0) could be swapped for rusqlite and `wkb` alone.

use std::path::Path;

use geopackage::{GeoPackage, ValueRef};
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::checks::{Read, finish};
use super::{LoadError, LoadOptions, LoadWarning};
use crate::core::crs::Crs;
use crate::core::model::{Feature, Layer, Role};

fn error(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::Format {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn open(path: &Path) -> Result<GeoPackage, LoadError> {
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    if meta.len() > super::MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            bytes: meta.len(),
        });
    }
    if meta.is_dir() {
        return Err(error(
            path,
            "it is a folder, not a GeoPackage file".to_owned(),
        ));
    }
    if meta.len() == 0 {
        return Err(LoadError::Empty {
            path: path.to_owned(),
        });
    }
    GeoPackage::open_read_only_lenient(path).map_err(|e| {
        // The crate's own message may already begin so.
        let e = e.to_string();
        let reason = e.strip_prefix("not a GeoPackage: ").unwrap_or(&e);
        error(path, format!("not a GeoPackage: {reason}"))
    })
}

/// The names of a GeoPackage's feature tables, in the order it lists them.
pub fn feature_tables(path: &Path) -> Result<Vec<String>, LoadError> {
    let gpkg = open(path)?;
    let layers = gpkg
        .layers()
        .map_err(|e| error(path, format!("its tables cannot be listed: {e}")))?;
    Ok(layers.iter().map(|l| l.table_name().to_owned()).collect())
}

/// Reads the feature tables of a GeoPackage: the one `options.table` names, else all of them.
pub(crate) fn load(
    path: &Path,
    role: Role,
    options: &LoadOptions,
) -> Result<Vec<Layer>, LoadError> {
    let gpkg = open(path)?;
    let tables = feature_tables(path)?;
    if tables.is_empty() {
        return Err(error(path, "it holds no feature table"));
    }
    let wanted: Vec<String> = match &options.table {
        Some(t) => {
            let found = tables
                .iter()
                .find(|n| n == &t)
                .or_else(|| tables.iter().find(|n| n.eq_ignore_ascii_case(t)));
            match found {
                Some(n) => vec![n.clone()],
                None => {
                    return Err(error(
                        path,
                        format!(
                            "no table \"{t}\" (its feature tables: {})",
                            tables.join(", ")
                        ),
                    ));
                }
            }
        }
        None => tables,
    };
    wanted
        .iter()
        .map(|t| load_table(&gpkg, path, t, role, options))
        .collect()
}

fn load_table(
    gpkg: &GeoPackage,
    path: &Path,
    table: &str,
    role: Role,
    options: &LoadOptions,
) -> Result<Layer, LoadError> {
    let place = |message: String| error(path, format!("table {table}: {message}"));
    let layer = gpkg.layer(table).map_err(|e| place(e.to_string()))?;
    let srs_id = layer.geometry_column().map(|g| g.srs_id);
    let declared = match &options.crs {
        Some(crs) => Some(crs.clone()),
        None => match srs_id {
            // A system zonemap cannot read gives way to the one the user gave (`--crs`).
            Some(id) => match table_crs(gpkg, id) {
                Ok(crs) => crs,
                Err(_) if options.assumed_crs.is_some() => None,
                Err(e) => return Err(place(format!("{e}; give the system with --crs"))),
            },
            None => None,
        },
    };
    let rows: Vec<geopackage::Feature> = layer
        .features()
        .map_err(|e| place(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| place(e.to_string()))?;
    let name_field = options.name_field.as_deref().unwrap_or("name");
    let file = path.display().to_string();
    // Geometries with heights (Z): their heights are left out (the working frame is 2D), said
    // once.
    let heights = super::heights::Heights::default();
    rows.iter()
        .enumerate()
        .filter(|(_, row)| {
            row.geometry()
                .ok()
                .flatten()
                .is_some_and(|g| super::heights::wkb_has_z(g.wkb_body()))
        })
        .for_each(|(i, _)| heights.note(i));
    let built: Vec<Result<Feature, LoadWarning>> = rows
        .par_iter()
        .enumerate()
        .map(|(i, row)| {
            let mut properties = Map::new();
            for (column, value) in row.iter() {
                properties.insert(column.to_owned(), json_value(value));
            }
            let (id, id_is_number) =
                crate::core::model::scalar_id(["id", "code", "adcode"].map(|k| properties.get(k)))
                    .unwrap_or_else(|| (row.fid().to_string(), true));
            let geometry = row
                .geometry()
                .map_err(|e| {
                    LoadWarning::skipped(
                        &file,
                        i,
                        Some(id.clone()),
                        format!(
                            "table {table}, fid {}: its geometry cannot be read: {e}",
                            row.fid()
                        ),
                    )
                })?
                .and_then(|g| g.to_geo())
                .map(oriented);
            let name = match properties.get(name_field) {
                Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => id.clone(),
            };
            Ok(Feature::new(id, name, properties, geometry).with_numeric_id(id_is_number))
        })
        .collect();
    let mut features = Vec::with_capacity(built.len());
    let mut indices = Vec::with_capacity(built.len());
    let mut warnings = Vec::new();
    for (i, b) in built.into_iter().enumerate() {
        match b {
            Ok(f) => {
                features.push(f);
                indices.push(i);
            }
            Err(w) => warnings.push(w),
        }
    }
    warnings.extend(heights.warning(&file, &features, &indices));
    let read = Read {
        features,
        indices,
        warnings,
    };
    let name = options
        .layer_name
        .clone()
        .unwrap_or_else(|| table.to_owned());
    let mut out = finish(
        read,
        path,
        declared,
        options.assumed_crs.as_ref(),
        name,
        role,
    )?;
    out.table = Some(table.to_owned());
    Ok(out)
}

/// The coordinate system of a table's srs id: by its EPSG code, else its WKT; `None` for the
/// GeoPackage's "undefined" systems (0 and -1).
fn table_crs(gpkg: &GeoPackage, srs_id: i32) -> Result<Option<Crs>, String> {
    let Some(srs) = gpkg.srs(srs_id).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if srs.organization.eq_ignore_ascii_case("EPSG")
        && let Ok(code) = u32::try_from(srs.organization_coordsys_id)
        && let Ok(crs) = Crs::from_epsg(code)
    {
        return Ok(Some(crs));
    }
    // GDAL writes an undefined system as srs 0 or -1 (1.x) or as 99999, "Undefined SRS", a
    // LOCAL_CS (3.x).
    let local = |d: &str| {
        let d = d.trim_start().to_ascii_uppercase();
        d.starts_with("LOCAL_CS") || d.starts_with("ENGCRS") || d.starts_with("ENGINEERINGCRS")
    };
    if srs_id <= 0
        || srs.organization.eq_ignore_ascii_case("NONE")
        || srs.name.eq_ignore_ascii_case("Undefined SRS")
        || local(&srs.definition)
    {
        return Ok(None);
    }
    let wkt = srs
        .definition_wkt2
        .as_deref()
        .filter(|d| !d.eq_ignore_ascii_case("undefined"))
        .unwrap_or(srs.definition.as_str());
    Crs::from_wkt(wkt)
        .map(Some)
        .map_err(|e| format!("its coordinate system ({}): {e}", srs.name))
}

/// RFC 7946 orientation, as the GeoJSON and Shapefile readers give it: outer rings
/// counter-clockwise, holes clockwise (a GeoPackage may hold either; Amap outlines written by
/// GDAL keep their clockwise rings).
fn oriented(g: geo::Geometry<f64>) -> geo::Geometry<f64> {
    use geo::Orient;
    use geo::orient::Direction;
    match g {
        geo::Geometry::Polygon(p) => geo::Geometry::Polygon(p.orient(Direction::Default)),
        geo::Geometry::MultiPolygon(m) => geo::Geometry::MultiPolygon(m.orient(Direction::Default)),
        other => other,
    }
}

fn json_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Boolean(b) => Value::Bool(b),
        ValueRef::Integer(i) => Value::Number(i.into()),
        ValueRef::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(t.to_owned()),
        ValueRef::Blob(b) => Value::String(format!("({} bytes)", b.len())),
        ValueRef::Date(d) => Value::String(d.to_string()),
        ValueRef::DateTime(d) => Value::String(d.to_string()),
        _ => Value::Null,
    }
}
