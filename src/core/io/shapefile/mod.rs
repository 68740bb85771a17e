//! Reading Esri Shapefiles: the `.shp` with its `.shx`, `.dbf`, `.prj` and `.cpg`, from a
//! folder or from a `.zip` holding one or more.
//!
//! Shapes and records are read by the `shapefile` and `dbase` crates. What Chinese files need on
//! top is ours:
//! - **the DBF's text encoding**, as GDAL, QGIS and mapshaper find it: the `.cpg` (`UTF-8`,
//!   `GBK`, `GB2312`, `GB18030`, `936`, `CP936`, ...), else the DBF's language-driver byte
//!   (0x4D and 0x7A are GBK; 0x57, which GDAL writes whatever the text, and 0 say nothing),
//!   else a guess from the text itself (all ASCII; valid UTF-8; else GB18030, whose decoder
//!   reads GBK and GB2312 too), said with the layer; the user can read it again with another;
//! - **holes given to the shell that holds them**, whatever the order of the rings (the crate
//!   gives each inner ring to the last outer one, which the specification does not promise);
//! - every shape type, with Z and M dropped (the working frame is 2D), multipatches as their
//!   rings and triangles;
//! - errors that name the file and the place: a missing `.dbf` or `.shx`, a truncated `.shp`
//!   (the record where it ends), a DBF whose record count disagrees.

use crate::core::io::LoadWarning;
use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use rayon::prelude::*;
use serde_json::{Map, Number, Value};
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape};

use super::checks::{Read as ReadFeatures, finish};
use super::{LoadError, LoadOptions, WarningKind, read_bounded};
use crate::core::crs::Crs;
use crate::core::model::{Feature, Layer, Role};
use crate::core::topology::validate::{Side, point_in_ring};

mod dbf;
mod geometry;

pub use dbf::*;
use geometry::*;

/// The files of one Shapefile, in memory: what [`read`] takes (from a zip, a database blob,
/// or the files beside a `.shp`).
pub struct Parts {
    /// How the `.shp` is named in messages (its path, or `archive.zip:name.shp`).
    pub name: PathBuf,
    /// The `.shp`: the shapes.
    pub shp: Vec<u8>,
    /// The `.shx` index of the shapes, if there is one.
    pub shx: Option<Vec<u8>>,
    /// The `.dbf` table of attributes, if there is one.
    pub dbf: Option<Vec<u8>>,
    /// The `.prj` text (the coordinate system's WKT), if there is one.
    pub prj: Option<String>,
    /// The `.cpg` text (the DBF's encoding label, such as `GBK`), if there is one.
    pub cpg: Option<String>,
}

fn error(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::Format {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads the Shapefile whose `.shp` is at `path` (its siblings beside it, in any case of
/// extension).
pub(crate) fn load(path: &Path, role: Role, options: &LoadOptions) -> Result<Layer, LoadError> {
    let sibling = |ext: &str| -> Option<PathBuf> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let stem = path.file_stem()?.to_string_lossy().into_owned();
        let wanted = [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()];
        wanted
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.exists())
            .or_else(|| {
                std::fs::read_dir(dir)
                    .ok()?
                    .flatten()
                    .map(|e| e.path())
                    .find(|p| {
                        p.file_stem().is_some_and(|s| s.to_string_lossy() == stem)
                            && p.extension()
                                .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
                    })
            })
    };
    let read_text = |p: PathBuf| -> Result<String, LoadError> {
        let bytes = read_bounded(&p)?;
        Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
    };
    let parts = Parts {
        name: path.to_owned(),
        shp: read_bounded(path)?,
        shx: sibling("shx").map(|p| read_bounded(&p)).transpose()?,
        dbf: sibling("dbf").map(|p| read_bounded(&p)).transpose()?,
        prj: sibling("prj").map(read_text).transpose()?,
        cpg: sibling("cpg").map(read_text).transpose()?,
    };
    read(parts, role, options)
}

/// The Shapefiles in a `.zip`, by their names inside it without `.shp` (what
/// `FILE.zip:NAME` takes).
pub fn zip_shapefiles(path: &Path) -> Result<Vec<String>, LoadError> {
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| error(path, format!("not a zip archive: {e}")))?;
    Ok(archive
        .file_names()
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp") && !n.starts_with("__MACOSX"))
        .map(|n| n[..n.len() - 4].to_owned())
        .collect())
}

/// Reads every Shapefile in a `.zip` (one layer each); `only` picks one by its name.
pub(crate) fn load_zip(
    path: &Path,
    role: Role,
    options: &LoadOptions,
    only: Option<&str>,
) -> Result<Vec<Layer>, LoadError> {
    let bytes = read_bounded(path)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| error(path, format!("not a zip archive: {e}")))?;
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    let shps: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp") && !n.starts_with("__MACOSX"))
        .filter(|n| {
            only.is_none_or(|o| {
                let stem = Path::new(n.as_str())
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned());
                n.as_str() == o || &n[..n.len() - 4] == o || stem.as_deref() == Some(o)
            })
        })
        .collect();
    if shps.is_empty() {
        return Err(error(
            path,
            match only {
                Some(o) => format!("the archive holds no Shapefile named {o}"),
                None => "the archive holds no Shapefile (no .shp inside)".to_owned(),
            },
        ));
    }
    let mut member = |name: &str| -> Result<Option<Vec<u8>>, LoadError> {
        let Ok(mut file) = archive.by_name(name) else {
            return Ok(None);
        };
        if file.size() > super::MAX_FILE_BYTES {
            return Err(LoadError::TooLarge {
                path: path.join(name),
                bytes: file.size(),
            });
        }
        let mut out = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        file.read_to_end(&mut out)
            .map_err(|e| error(path, format!("{name}: cannot unpack it: {e}")))?;
        Ok(Some(out))
    };
    let mut layers = Vec::new();
    for shp in shps {
        let stem = &shp[..shp.len() - 4];
        let find = |ext: &str| {
            names
                .iter()
                .find(|n| {
                    n.len() == stem.len() + 4
                        && n.starts_with(stem)
                        && n[stem.len()..].eq_ignore_ascii_case(ext)
                })
                .cloned()
        };
        let text = |b: Option<Vec<u8>>| b.map(|b| String::from_utf8_lossy(&b).trim().to_owned());
        let parts = Parts {
            name: PathBuf::from(format!("{}:{shp}", path.display())),
            shp: member(shp)?.unwrap_or_default(),
            shx: find(".shx").map(|n| member(&n)).transpose()?.flatten(),
            dbf: find(".dbf").map(|n| member(&n)).transpose()?.flatten(),
            prj: text(find(".prj").map(|n| member(&n)).transpose()?.flatten()),
            cpg: text(find(".cpg").map(|n| member(&n)).transpose()?.flatten()),
        };
        let mut layer = read(parts, role, options)?;
        // The layer is the zip's member: `FILE.zip:NAME` names it again.
        layer.table = Some(stem.to_owned());
        if options.layer_name.is_none() {
            layer.name = Path::new(stem)
                .file_name()
                .map_or_else(|| stem.to_owned(), |n| n.to_string_lossy().into_owned());
        }
        layer.path = Some(path.to_owned());
        layers.push(layer);
    }
    Ok(layers)
}

/// Reads one Shapefile from its parts in memory, as every Shapefile load does: shapes by the
/// `.shx` offsets, DBF text by the `.cpg`, the language driver or a guess (or
/// `options.encoding`), the system from the `.prj` (or `options.crs`), then into WGS-84 and
/// through the load checks. A missing `.shx` or `.dbf` is an error naming the file; records
/// that cannot be read are left out with one warning each run.
pub fn read(parts: Parts, role: Role, options: &LoadOptions) -> Result<Layer, LoadError> {
    let path = parts.name.clone();
    let ext = |e: &str| path.with_extension(e).display().to_string();
    let Some(shx) = parts.shx else {
        return Err(error(
            &path,
            format!("no {} beside it: a Shapefile needs its index", ext("shx")),
        ));
    };
    let Some(dbf) = parts.dbf else {
        return Err(error(
            &path,
            format!(
                "no {} beside it: a Shapefile keeps its attributes there",
                ext("dbf")
            ),
        ));
    };
    let shapes = read_shapes(&parts.shp, &shx, &path)?;
    let encoding = match &options.encoding {
        Some(label) => Encoding::named(label)
            .map(|e| (e, format!("{} (as asked)", e.name())))
            .ok_or_else(|| error(&path, format!("no text encoding is called \"{label}\"")))?,
        None => detect_encoding(parts.cpg.as_deref(), &dbf),
    };
    let table = read_records(&dbf, encoding.0, &path)?;
    let file = path.display().to_string();
    let mut warnings = shape_warnings(&file, &shapes);
    let (n, m) = (table.records.len(), shapes.len());
    match &table.problem {
        // A DBF that ends before its header's count but still holds a record for every shape
        // loses nothing.
        Some((i, reason)) if *i < m => warnings.push(LoadWarning {
            records: m - i,
            ..LoadWarning::skipped(
                &file,
                *i,
                None,
                format!(
                    "{reason}; the {} shape(s) from here on have no record and are left out",
                    m - i
                ),
            )
        }),
        _ if n != m => warnings.push(LoadWarning {
            records: n.abs_diff(m),
            ..LoadWarning::skipped(
                &file,
                n.min(m),
                None,
                format!(
                    "{} has {n} records but the .shp has {m} shapes; they pair one to one, so the {} unpaired from here on are left out",
                    ext("dbf"),
                    n.abs_diff(m)
                ),
            )
        }),
        _ => {}
    }
    let fields = table.fields;
    let paired: Vec<(usize, Shape, OrderedRecord)> = shapes
        .into_iter()
        .zip(table.records)
        .enumerate()
        .filter_map(|(i, (shape, record))| shape.ok().map(|s| (i, s, record)))
        .collect();
    let declared = match &options.crs {
        Some(crs) => Some(crs.clone()),
        None => match &parts.prj {
            // A `.prj` zonemap cannot read gives way to the system the user gave (`--crs`).
            Some(wkt) if !wkt.is_empty() => match Crs::from_wkt(wkt) {
                Ok(crs) => Some(crs),
                Err(_) if options.assumed_crs.is_some() => None,
                Err(e) => {
                    return Err(error(
                        &path,
                        format!("{}: {e}; give the system with --crs", ext("prj")),
                    ));
                }
            },
            _ => None,
        },
    };
    let name_field = options.name_field.as_deref().unwrap_or("name");
    let indices: Vec<usize> = paired.iter().map(|(i, _, _)| *i).collect();
    // Shapes with heights (Z): their heights are left out (the working frame is 2D), said once.
    let heights = super::heights::Heights::default();
    paired
        .iter()
        .filter(|(_, shape, _)| {
            matches!(
                shape,
                Shape::PointZ(_)
                    | Shape::MultipointZ(_)
                    | Shape::PolylineZ(_)
                    | Shape::PolygonZ(_)
                    | Shape::Multipatch(_)
            )
        })
        .for_each(|(i, _, _)| heights.note(*i));
    let built: Vec<Result<Feature, LoadWarning>> = paired
        .into_par_iter()
        .map(|(i, shape, record)| {
            let properties = properties(&fields, record);
            let (id, id_is_number) = crate::core::model::scalar_id(
                ["id", "code", "adcode", "ID", "CODE", "ADCODE"].map(|k| properties.get(k)),
            )
            .unwrap_or_else(|| (i.to_string(), true));
            let name = match properties.get(name_field) {
                Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => id.clone(),
            };
            if !finite(&shape) {
                return Err(LoadWarning::skipped(
                    &file,
                    i,
                    Some(id),
                    "a coordinate is not a finite number".to_owned(),
                ));
            }
            Ok(Feature::new(id, name, properties, geometry(shape)).with_numeric_id(id_is_number))
        })
        .collect();
    // Text the encoding could not decode comes out as U+FFFD: said once, at the first record
    // that has it, with how many do.
    let garbled: Vec<usize> = built
        .iter()
        .zip(&indices)
        .filter_map(|(b, &i)| {
            let f = b.as_ref().ok()?;
            f.properties
                .values()
                .any(|v| v.as_str().is_some_and(|s| s.contains('\u{FFFD}')))
                .then_some(i)
        })
        .collect();
    if let Some(&first) = garbled.first() {
        warnings.push(LoadWarning {
            kind: WarningKind::Encoding,
            reason: format!(
                "{} record(s) have text that is not valid {} (shown as �); the DBF is likely in another encoding, such as GBK",
                garbled.len(),
                encoding.0.name()
            ),
            ..LoadWarning::skipped(&file, first, None, String::new())
        });
    }
    let mut features = Vec::with_capacity(built.len());
    let mut kept = Vec::with_capacity(built.len());
    for (b, i) in built.into_iter().zip(indices) {
        match b {
            Ok(f) => {
                features.push(f);
                kept.push(i);
            }
            Err(w) => warnings.push(w),
        }
    }
    let indices = kept;
    warnings.extend(heights.warning(&file, &features, &indices));
    let layer_name = options.layer_name.clone().unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let read = ReadFeatures {
        features,
        indices,
        warnings,
    };
    let mut layer = finish(
        read,
        &path,
        declared,
        options.assumed_crs.as_ref(),
        layer_name,
        role,
    )?;
    layer.encoding = Some(encoding.1);
    Ok(layer)
}

/// Every shape of the `.shp`, in order, by the offsets of the `.shx`: each shape, or why it
/// cannot be read (a truncated file, a record that is not what its header says).
fn read_shapes(
    shp: &[u8],
    shx: &[u8],
    path: &Path,
) -> Result<Vec<Result<Shape, String>>, LoadError> {
    let reader = shapefile::ShapeReader::with_shx(Cursor::new(shp), Cursor::new(shx))
        .map_err(|e| error(path, format!("not a Shapefile: {e}")))?;
    let count = reader
        .shape_count()
        .map_err(|e| error(path, format!("its index cannot be read: {e}")))?;
    // Shapes are parsed in parallel, each thread with its own reader over the same bytes.
    let chunks: Vec<std::ops::Range<usize>> = (0..count)
        .step_by(256)
        .map(|s| s..(s + 256).min(count))
        .collect();
    let parsed: Vec<Result<Vec<Result<Shape, String>>, LoadError>> = chunks
        .into_par_iter()
        .map(|range| {
            let mut reader = shapefile::ShapeReader::with_shx(Cursor::new(shp), Cursor::new(shx))
                .map_err(|e| error(path, format!("not a Shapefile: {e}")))?;
            Ok(range
                .map(|i| {
                    // What the record's header claims must fit in its bytes before the crate
                    // allocates for it: memory stays bounded by the file.
                    record_fits(shp, shx, i)?;
                    match reader.read_nth_shape(i) {
                        Some(Ok(shape)) => Ok(shape),
                        Some(Err(e)) => Err(describe_shape_error(&e)),
                        None => Err("the .shp ends before it (truncated?)".to_owned()),
                    }
                })
                .collect())
        })
        .collect();
    let mut shapes = Vec::with_capacity(count);
    for p in parsed {
        shapes.extend(p?);
    }
    Ok(shapes)
}

/// Whether record `i` (by the `.shx`'s offset and length) lies within the `.shp` and holds the
/// parts and points its header counts; why not, if it does not.
fn record_fits(shp: &[u8], shx: &[u8], i: usize) -> Result<(), String> {
    let be = |b: &[u8], at: usize| -> Option<usize> {
        let v = i32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?);
        usize::try_from(v).ok()
    };
    let le = |at: usize| -> Option<i64> {
        Some(i64::from(i32::from_le_bytes(
            shp.get(at..at + 4)?.try_into().ok()?,
        )))
    };
    let entry = 100 + 8 * i;
    let (Some(offset), Some(words)) = (be(shx, entry), be(shx, entry + 4)) else {
        return Err("its .shx entry cannot be read".to_owned());
    };
    let start = offset.saturating_mul(2).saturating_add(8);
    let len = words.saturating_mul(2);
    if start.saturating_add(len) > shp.len() {
        return Err("the .shp ends before it (truncated?)".to_owned());
    }
    let Some(kind) = le(start) else {
        return Ok(());
    };
    let (parts, points) = match kind {
        3 | 5 | 13 | 15 | 23 | 25 | 31 => (le(start + 36), le(start + 40)),
        8 | 18 | 28 => (Some(0), le(start + 36)),
        _ => return Ok(()),
    };
    let (Some(parts), Some(points)) = (parts, points) else {
        return Err("its header is cut short".to_owned());
    };
    if parts < 0 || points < 0 {
        return Err(format!(
            "its header counts {parts} parts and {points} points"
        ));
    }
    // The least the record needs: its part indices (and a multipatch's part types) and its x, y
    // pairs; the Z and M arrays after them are 8 bytes a point more, which the reader checks.
    let need = match kind {
        8 | 18 | 28 => 40 + 16 * points,
        31 => 44 + 8 * parts + 16 * points,
        _ => 44 + 4 * parts + 16 * points,
    };
    if need > len as i64 {
        return Err(format!(
            "its header counts {points} points in {parts} parts, more than its {len} bytes hold"
        ));
    }
    // Each part starts at a point index, in order, within the points: the reader sizes each
    // part from them.
    if !matches!(kind, 8 | 18 | 28) {
        let mut previous = 0;
        for p in 0..parts {
            let at = start + 44 + 4 * usize::try_from(p).unwrap_or(usize::MAX / 8);
            let Some(first) = le(at) else {
                return Err("its header is cut short".to_owned());
            };
            if first < previous || first > points {
                return Err(format!(
                    "its part {p} starts at point {first}, outside its {points} points or out of order"
                ));
            }
            previous = first;
        }
    }
    Ok(())
}

/// Warnings for the shapes that could not be read: one per run of records with the same
/// reason (`records 120–2874: the .shp ends inside it (truncated?)`), at the run's first record.
fn shape_warnings(file: &str, shapes: &[Result<Shape, String>]) -> Vec<LoadWarning> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < shapes.len() {
        let Err(reason) = &shapes[i] else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < shapes.len() && shapes[j].as_ref().err() == Some(reason) {
            j += 1;
        }
        let reason = if j - i > 1 {
            format!(
                "{reason}; so are the {} records after it, to {}",
                j - i - 1,
                j - 1
            )
        } else {
            reason.clone()
        };
        out.push(LoadWarning {
            records: j - i,
            ..LoadWarning::skipped(file, i, None, reason)
        });
        i = j;
    }
    out
}

fn describe_shape_error(e: &shapefile::Error) -> String {
    match e {
        shapefile::Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file ends inside it (truncated?)".to_owned()
        }
        other => other.to_string(),
    }
}

/// A DBF text encoding.
#[derive(Clone, Copy)]
pub(crate) struct Encoding(&'static encoding_rs::Encoding);
