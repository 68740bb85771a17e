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
    let built: Vec<Result<Feature, LoadWarning>> = paired
        .into_par_iter()
        .map(|(i, shape, record)| {
            let properties = properties(&fields, record);
            let id = ["id", "code", "adcode", "ID", "CODE", "ADCODE"]
                .iter()
                .find_map(|k| properties.get(*k).and_then(crate::core::model::scalar_text))
                .unwrap_or_else(|| i.to_string());
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
            Ok(Feature::new(id, name, properties, geometry(shape)))
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

impl Encoding {
    /// By a `.cpg`'s or the user's label: `UTF-8`, `GBK`, `GB2312`, `GB18030`, `936`, `CP936`,
    /// `950`, `1252`, ...
    pub(crate) fn named(label: &str) -> Option<Encoding> {
        let l = label.trim().to_ascii_uppercase();
        let numeric = l
            .strip_prefix("CP")
            .or_else(|| l.strip_prefix("ANSI "))
            .or_else(|| l.strip_prefix("WINDOWS-"))
            .unwrap_or(&l);
        let by_page = match numeric {
            "65001" => Some(encoding_rs::UTF_8),
            "936" | "54936" => Some(encoding_rs::GBK),
            "950" => Some(encoding_rs::BIG5),
            "949" => Some(encoding_rs::EUC_KR),
            "932" => Some(encoding_rs::SHIFT_JIS),
            "866" => Some(encoding_rs::IBM866),
            "874" => Some(encoding_rs::WINDOWS_874),
            p if p.len() == 4 && p.starts_with("125") => {
                encoding_rs::Encoding::for_label(format!("windows-{p}").as_bytes())
            }
            _ => None,
        };
        by_page
            .or_else(|| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
            .map(Encoding)
    }

    /// Its name as GDAL and QGIS print it: `UTF-8`, `GBK`, `GB18030`, `Big5`.
    pub(crate) fn name(self) -> &'static str {
        match self.0.name() {
            "gb18030" => "GB18030",
            other => other,
        }
    }

    pub(crate) fn get(self) -> &'static encoding_rs::Encoding {
        self.0
    }
}

/// The DBF's encoding and how it was found, as GDAL, QGIS and mapshaper look: the `.cpg`, the
/// language-driver byte, then the text itself.
fn detect_encoding(cpg: Option<&str>, dbf: &[u8]) -> (Encoding, String) {
    if let Some(label) = cpg.filter(|c| !c.is_empty())
        && let Some(e) = Encoding::named(label)
    {
        return (e, format!("{} (from the .cpg)", e.name()));
    }
    let ldid = dbf.get(29).copied().unwrap_or(0);
    let by_ldid = match ldid {
        0x4D | 0x7A => Some(encoding_rs::GBK),
        0x78 => Some(encoding_rs::BIG5),
        0x79 => Some(encoding_rs::EUC_KR),
        0x13 | 0x7B => Some(encoding_rs::SHIFT_JIS),
        0x03 => Some(encoding_rs::WINDOWS_1252),
        0x65 => Some(encoding_rs::IBM866),
        _ => None,
    };
    if let Some(e) = by_ldid {
        return (
            Encoding(e),
            format!("{} (from the DBF's language driver 0x{ldid:02X})", e.name()),
        );
    }
    let text = character_bytes(dbf);
    if text.iter().all(u8::is_ascii) {
        return (
            Encoding(encoding_rs::UTF_8),
            "UTF-8 (the text is ASCII)".to_owned(),
        );
    }
    if std::str::from_utf8(&text).is_ok() {
        return (
            Encoding(encoding_rs::UTF_8),
            "UTF-8 (guessed: the text is valid UTF-8)".to_owned(),
        );
    }
    (
        Encoding(encoding_rs::GB18030),
        "GB18030 (guessed: the text is not UTF-8; GB18030 reads GBK and GB2312 too)".to_owned(),
    )
}

/// The bytes of the character fields of a DBF's first thousand records, read from its layout
/// (a 32-byte header, 32-byte field descriptors, fixed-width records).
fn character_bytes(dbf: &[u8]) -> Vec<u8> {
    let le16 = |at: usize| -> usize {
        dbf.get(at..at + 2)
            .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (header_len, record_len) = (le16(8), le16(10));
    let mut fields = Vec::new();
    let mut at = 32;
    let mut offset = 1; // the deletion flag
    while at + 32 <= dbf.len() && at + 32 <= header_len && dbf[at] != 0x0D {
        let kind = dbf[at + 11];
        let len = usize::from(dbf[at + 16]);
        if kind == b'C' || kind == b'M' {
            fields.push((offset, len));
        }
        offset += len;
        at += 32;
    }
    let mut out = Vec::new();
    if record_len == 0 {
        return out;
    }
    for r in 0..1000 {
        let start = header_len + r * record_len;
        let Some(record) = dbf.get(start..start + record_len) else {
            break;
        };
        for &(o, len) in &fields {
            if let Some(b) = record.get(o..o + len) {
                out.extend_from_slice(b);
            }
        }
    }
    out
}

/// A DBF record's fields in their order.
struct OrderedRecord(Vec<(String, FieldValue)>);

impl dbase::ReadableRecord for OrderedRecord {
    fn read_using<Source, MemoSource>(
        fields: &mut dbase::FieldIterator<Source, MemoSource>,
    ) -> Result<Self, dbase::FieldError>
    where
        Source: std::io::Read + std::io::Seek,
        MemoSource: std::io::Read + std::io::Seek,
    {
        let mut out = Vec::new();
        loop {
            match fields.read_next_field() {
                Ok(field) => out.push((field.name.to_owned(), field.value)),
                Err(e) if matches!(e.kind(), dbase::ErrorKind::EndOfRecord) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(OrderedRecord(out))
    }
}

/// The DBF's field names and records. A record that cannot be read ends the table there (a
/// DBF whose header counts more records than it holds): the ones before it are kept, and the
/// place and reason come back to be said.
fn read_records(dbf: &[u8], encoding: Encoding, path: &Path) -> Result<DbfTable, LoadError> {
    let dbf_name = path.with_extension("dbf").display().to_string();
    let mut reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding.get()))
        .build(Cursor::new(dbf))
        .map_err(|e| error(path, format!("{dbf_name}: not a dBase table: {e}")))?;
    let fields: Vec<String> = reader
        .fields()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let declared = reader.header().num_records as usize;
    let mut records = Vec::with_capacity(declared.min(1 << 20));
    let mut problem = None;
    for (i, r) in reader.iter_records_as::<OrderedRecord>().enumerate() {
        match r {
            Ok(r) => records.push(r),
            Err(e) => {
                let reason = match &e.kind() {
                    dbase::ErrorKind::IoError(io)
                        if io.kind() == std::io::ErrorKind::UnexpectedEof =>
                    {
                        format!(
                            "{dbf_name} ends inside record {i}, though its header counts {declared} records (truncated?)"
                        )
                    }
                    _ => format!("{dbf_name}: record {i} cannot be read: {e}"),
                };
                problem = Some((i, reason));
                break;
            }
        }
    }
    Ok(DbfTable {
        fields,
        records,
        problem,
    })
}

struct DbfTable {
    fields: Vec<String>,
    records: Vec<OrderedRecord>,
    /// Where the table stopped early, and why.
    problem: Option<(usize, String)>,
}

/// A record as GeoJSON-like properties.
fn properties(_fields: &[String], record: OrderedRecord) -> Map<String, Value> {
    let mut out = Map::with_capacity(record.0.len());
    for (name, value) in record.0 {
        let v = match value {
            FieldValue::Character(s) => {
                s.map_or(Value::Null, |s| Value::String(s.trim().to_owned()))
            }
            FieldValue::Memo(s) => Value::String(s),
            FieldValue::Numeric(n) => n.map_or(Value::Null, number),
            FieldValue::Float(n) => n.map_or(Value::Null, |n| number(f64::from(n))),
            FieldValue::Double(n) | FieldValue::Currency(n) => number(n),
            FieldValue::Integer(n) => Value::Number(n.into()),
            FieldValue::Logical(b) => b.map_or(Value::Null, Value::Bool),
            FieldValue::Date(d) => d.map_or(Value::Null, |d| {
                Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            }),
            FieldValue::DateTime(dt) => {
                let d = dt.date();
                let t = dt.time();
                Value::String(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    d.year(),
                    d.month(),
                    d.day(),
                    t.hours(),
                    t.minutes(),
                    t.seconds()
                ))
            }
        };
        out.insert(name, v);
    }
    out
}

/// A number as JSON: whole numbers as integers (codes stay `320505`, not `320505.0`).
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Value::Number((n as i64).into())
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

fn coord<P: shapefile::record::traits::HasXY>(p: &P) -> Coord<f64> {
    Coord { x: p.x(), y: p.y() }
}

fn line<P: shapefile::record::traits::HasXY>(points: &[P]) -> LineString<f64> {
    LineString(points.iter().map(coord).collect())
}

/// A shape as a geometry (Z and M dropped); `None` for a null shape.
fn geometry(shape: Shape) -> Option<Geometry<f64>> {
    Some(match shape {
        Shape::NullShape => return None,
        Shape::Point(p) => Geometry::Point(Point(coord(&p))),
        Shape::PointM(p) => Geometry::Point(Point(coord(&p))),
        Shape::PointZ(p) => Geometry::Point(Point(coord(&p))),
        Shape::Multipoint(m) => multipoint(m.points()),
        Shape::MultipointM(m) => multipoint(m.points()),
        Shape::MultipointZ(m) => multipoint(m.points()),
        Shape::Polyline(l) => lines(l.parts()),
        Shape::PolylineM(l) => lines(l.parts()),
        Shape::PolylineZ(l) => lines(l.parts()),
        Shape::Polygon(p) => polygons(p.rings())?,
        Shape::PolygonM(p) => polygons(p.rings())?,
        Shape::PolygonZ(p) => polygons(p.rings())?,
        Shape::Multipatch(m) => multipatch(m.patches())?,
    })
}

/// Whether every x and y of a shape is a finite number (NaN is a Shapefile's "no data", but
/// not for x and y).
fn finite(shape: &Shape) -> bool {
    use shapefile::record::traits::HasXY;
    fn all<P: HasXY>(points: &[P]) -> bool {
        points
            .iter()
            .all(|p| p.x().is_finite() && p.y().is_finite())
    }
    match shape {
        Shape::NullShape => true,
        Shape::Point(p) => all(std::slice::from_ref(p)),
        Shape::PointM(p) => all(std::slice::from_ref(p)),
        Shape::PointZ(p) => all(std::slice::from_ref(p)),
        Shape::Multipoint(m) => all(m.points()),
        Shape::MultipointM(m) => all(m.points()),
        Shape::MultipointZ(m) => all(m.points()),
        Shape::Polyline(l) => l.parts().iter().all(|p| all(p)),
        Shape::PolylineM(l) => l.parts().iter().all(|p| all(p)),
        Shape::PolylineZ(l) => l.parts().iter().all(|p| all(p)),
        Shape::Polygon(p) => p.rings().iter().all(|r| all(r.points())),
        Shape::PolygonM(p) => p.rings().iter().all(|r| all(r.points())),
        Shape::PolygonZ(p) => p.rings().iter().all(|r| all(r.points())),
        Shape::Multipatch(m) => m.patches().iter().all(|p| all(p.points())),
    }
}

fn multipoint<P: shapefile::record::traits::HasXY>(points: &[P]) -> Geometry<f64> {
    Geometry::MultiPoint(MultiPoint(points.iter().map(|p| Point(coord(p))).collect()))
}

fn lines<P: shapefile::record::traits::HasXY>(parts: &[Vec<P>]) -> Geometry<f64> {
    match parts {
        [one] => Geometry::LineString(line(one)),
        many => Geometry::MultiLineString(MultiLineString(many.iter().map(|p| line(p)).collect())),
    }
}

/// Rings as polygons: each hole goes to the smallest shell that holds it, whatever the
/// order of the rings; a hole that no shell holds is taken as a shell (GDAL does the same).
fn polygons<P: shapefile::record::traits::HasXY>(
    rings: &[PolygonRing<P>],
) -> Option<Geometry<f64>> {
    let mut shells: Vec<LineString<f64>> = Vec::new();
    let mut holes: Vec<LineString<f64>> = Vec::new();
    for r in rings {
        let mut l = line(r.points());
        if l.0.len() < 4 {
            continue;
        }
        if l.0.first() != l.0.last()
            && let Some(&first) = l.0.first()
        {
            l.0.push(first);
        }
        match r {
            PolygonRing::Outer(_) => shells.push(l),
            PolygonRing::Inner(_) => holes.push(l),
        }
    }
    assemble(shells, holes)
}

/// Polygons of shells and holes, each hole in the smallest shell holding it.
fn assemble(
    mut shells: Vec<LineString<f64>>,
    holes: Vec<LineString<f64>>,
) -> Option<Geometry<f64>> {
    use geo::Area;
    let mut owned: Vec<Vec<LineString<f64>>> = vec![Vec::new(); shells.len()];
    for hole in holes {
        let inside = hole
            .0
            .iter()
            .take(4)
            .find_map(|&c| {
                let holders: Vec<usize> = (0..shells.len())
                    .filter(|&s| point_in_ring(c, &shells[s]) == Side::Inside)
                    .collect();
                let on =
                    (0..shells.len()).any(|s| point_in_ring(c, &shells[s]) == Side::OnBoundary);
                (!on).then_some(holders)
            })
            .unwrap_or_default();
        let smallest = inside.into_iter().min_by(|&a, &b| {
            Polygon::new(shells[a].clone(), vec![])
                .unsigned_area()
                .total_cmp(&Polygon::new(shells[b].clone(), vec![]).unsigned_area())
        });
        match smallest {
            Some(s) => owned[s].push(hole),
            None => {
                shells.push(hole);
                owned.push(Vec::new());
            }
        }
    }
    let mut polygons: Vec<Polygon<f64>> = shells
        .into_iter()
        .zip(owned)
        .map(|(shell, holes)| oriented(Polygon::new(shell, holes)))
        .collect();
    match polygons.len() {
        0 => None,
        1 => polygons.pop().map(Geometry::Polygon),
        _ => Some(Geometry::MultiPolygon(MultiPolygon(polygons))),
    }
}

/// Outer ring counter-clockwise and holes clockwise, as the rest of zonemap keeps them.
fn oriented(p: Polygon<f64>) -> Polygon<f64> {
    use geo::Orient;
    p.orient(geo::orient::Direction::Default)
}

/// A multipatch as polygons: its outer and first rings as shells, its inner rings as holes,
/// and each triangle of its strips and fans as a polygon.
fn multipatch(patches: &[shapefile::Patch]) -> Option<Geometry<f64>> {
    use shapefile::Patch;
    let mut shells = Vec::new();
    let mut holes = Vec::new();
    let closed = |points: &[shapefile::PointZ]| {
        let mut l = line(points);
        if l.0.first() != l.0.last()
            && let Some(&first) = l.0.first()
        {
            l.0.push(first);
        }
        l
    };
    for patch in patches {
        match patch {
            Patch::OuterRing(p) | Patch::FirstRing(p) | Patch::Ring(p) => shells.push(closed(p)),
            Patch::InnerRing(p) => holes.push(closed(p)),
            Patch::TriangleStrip(p) => {
                for w in p.windows(3) {
                    shells.push(closed(w));
                }
            }
            Patch::TriangleFan(p) => {
                for i in 1..p.len().saturating_sub(1) {
                    shells.push(closed(&[p[0], p[i], p[i + 1]]));
                }
            }
        }
    }
    shells.retain(|s| s.0.len() >= 4);
    assemble(shells, holes)
}

/// The text encoding a label names, for messages and the window's choices.
pub fn encoding_name(label: &str) -> Option<Cow<'static, str>> {
    Encoding::named(label).map(|e| Cow::Borrowed(e.name()))
}
