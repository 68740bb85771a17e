//! Loading GeoJSON (RFC 7946) into a [`Layer`].
//!
//! Accepts a FeatureCollection, a single Feature or a bare geometry; every geometry type, holes,
//! MultiPolygons and GeometryCollections; `null` geometries (kept as features without geometry);
//! a third coordinate (ignored); unknown members (ignored); and either ring winding (polygons are
//! re-oriented to RFC 7946's counter-clockwise outer rings, which geodesic area needs).
//!
//! A file that cannot be read as a whole is a [`LoadError`] naming the file and, for JSON syntax,
//! the line and column. A feature whose geometry is unusable is skipped with a [`LoadWarning`]
//! naming its index and the reason, and the rest of the file still loads.

use std::path::Path;

use geo::{Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint};
use geo::{MultiPolygon, Point, Polygon};
use serde_json::{Map, Value};

use super::heights::{Heights, has_heights};
use super::json::{Member, RawObject, SyntaxError, parse_document, stream};
use super::{LoadError, LoadWarning, WarningKind};
use crate::core::crs::Crs;
use crate::core::model::{Feature, Layer, Role, scalar_id};

/// How to read a layer's features.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Property holding the display name; `name` when not given.
    pub name_field: Option<String>,
    /// Layer name; the file's stem when not given.
    pub layer_name: Option<String>,
    /// The coordinate system of the source, overriding what the file says. When not given:
    /// what the file says (a GeoJSON `crs` or `datum` member, a Shapefile's `.prj`, a
    /// GeoPackage's srs), else WGS-84 (RFC 7946); a file whose numbers are evidently projected
    /// metres and that names no system is refused with a diagnosis.
    pub crs: Option<Crs>,
    /// The coordinate system of a source that names none (the command line's `--crs`); what a
    /// source says wins over it.
    pub assumed_crs: Option<Crs>,
    /// The text encoding of a Shapefile's DBF (`GBK`, `UTF-8`, `936`, ...), overriding its
    /// `.cpg` and language-driver byte.
    pub encoding: Option<String>,
    /// The table of a GeoPackage to read (else its only feature table).
    pub table: Option<String>,
}

/// Reads and parses a GeoJSON file into a layer with the given role.
///
/// A regular file is read a window of 4 MiB at a time, so the whole text is
/// never in memory at once; anything else, and any file that reader leaves aside (a syntax
/// error, an unusual top level), is read whole and parsed by [`parse_layer`].
pub fn load_geojson(path: &Path, role: Role, options: &LoadOptions) -> Result<Layer, LoadError> {
    load_geojson_reporting(path, role, options, &|_| {})
}

/// As [`load_geojson`], calling `progress` with the fraction of the file read so far (0–1),
/// for a progress bar.
pub fn load_geojson_reporting(
    path: &Path,
    role: Role,
    options: &LoadOptions,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Layer, LoadError> {
    load_geojson_through(path, role, options, stream::WINDOW, progress)
}

/// [`load_geojson_reporting`] reading `window` bytes at a time.
pub(crate) fn load_geojson_through(
    path: &Path,
    role: Role,
    options: &LoadOptions,
    window: usize,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Layer, LoadError> {
    let file = path.display().to_string();
    let name_field = options.name_field.as_deref().unwrap_or("name");
    let heights = Heights::default();
    let build = |index: usize, member: Member<RawObject>| {
        build_feature(index, member, &file, name_field, &heights)
    };
    if let Some((root, built)) = stream::parse_file(path, &build, window, progress)? {
        let read = Read {
            path,
            build: &build,
            heights: &heights,
        };
        return finish_layer(root, built, read, role, options);
    }
    let bytes = super::read_bounded_reporting(path, progress)?;
    parse_layer(&bytes, path, role, options)
}

/// Parses GeoJSON bytes; `path` is only used to name the source in messages.
pub fn parse_layer(
    bytes: &[u8],
    path: &Path,
    role: Role,
    options: &LoadOptions,
) -> Result<Layer, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty {
            path: path.to_owned(),
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(LoadError::NotUtf8 {
            path: path.to_owned(),
            line: 1,
            hint: "it is UTF-16",
        });
    }
    let file = path.display().to_string();
    let name_field = options.name_field.as_deref().unwrap_or("name");
    let heights = Heights::default();
    let build = |index: usize, member: Member<RawObject>| {
        build_feature(index, member, &file, name_field, &heights)
    };
    let (root, built) = match parse_document(bytes, &build) {
        Ok(parsed) => parsed,
        Err(e) => return Err(syntax_error(bytes, path, e)),
    };
    let read = Read {
        path,
        build: &build,
        heights: &heights,
    };
    finish_layer(root, built, read, role, options)
}

/// The file being read: its path, how its features are built, and what building them noted.
struct Read<'r> {
    path: &'r Path,
    build: &'r dyn Fn(usize, Member<RawObject>) -> Built,
    heights: &'r Heights,
}

/// What [`build_feature`] gives: the feature and a remark, or why it was left out.
type Built = Result<(Feature, Option<LoadWarning>), Option<LoadWarning>>;

/// The layer from a parsed document: its top level and, for a FeatureCollection, its features.
fn finish_layer(
    root: Member<RawObject>,
    built: Option<Vec<Built>>,
    Read {
        path,
        build,
        heights,
    }: Read<'_>,
    role: Role,
    options: &LoadOptions,
) -> Result<Layer, LoadError> {
    let root = match root {
        Member::Object(root) => root,
        Member::Null => return Err(not_geojson(path, "the top level is null".into())),
        Member::Other(what) => {
            let reason = format!("the top level is {what}, not an object");
            return Err(not_geojson(path, reason));
        }
        Member::Missing => return Err(not_geojson(path, "no top-level value".into())),
    };
    let kind = match &root.kind {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            let reason = format!("`type` is {}, not a string", json_kind(other));
            return Err(not_geojson(path, reason));
        }
        None => {
            return Err(not_geojson(
                path,
                "the top-level object has no `type`".into(),
            ));
        }
    };
    // The coordinate system: as given, else the file's legacy `crs` member (as older GDAL
    // writes it), else its `datum` member (as zonemap writes it), else WGS-84 (RFC 7946).
    let declared = match &options.crs {
        Some(crs) => Some(crs.clone()),
        None => file_crs(&root, path)?,
    };
    let built = match kind.as_str() {
        "FeatureCollection" => match built {
            Some(built) => built,
            None => {
                let reason = "a FeatureCollection without a `features` array".into();
                return Err(not_geojson(path, reason));
            }
        },
        "Feature" => vec![build(0, Member::Object(root))],
        k if GEOMETRY_TYPES.contains(&k) => {
            let feature = RawObject {
                kind: Some(Value::String("Feature".into())),
                geometry: Member::Object(Box::new(root)),
                ..RawObject::default()
            };
            vec![build(0, Member::Object(feature))]
        }
        other => {
            let reason = format!("unknown top-level `type` \"{other}\"");
            return Err(not_geojson(path, reason));
        }
    };
    let mut features = Vec::with_capacity(built.len());
    let mut indices = Vec::with_capacity(built.len());
    let mut warnings = Vec::new();
    for (index, b) in built.into_iter().enumerate() {
        match b {
            Ok((feature, remark)) => {
                features.push(feature);
                indices.push(index);
                warnings.extend(remark);
            }
            Err(Some(warning)) => warnings.push(warning),
            Err(None) => {}
        }
    }
    warnings.extend(heights.warning(&path.display().to_string(), &features, &indices));
    let read = super::checks::Read {
        features,
        indices,
        warnings,
    };
    let layer_name = options.layer_name.clone().unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    });
    super::checks::finish(
        read,
        path,
        declared,
        options.assumed_crs.as_ref(),
        layer_name,
        role,
    )
}

/// The coordinate system a GeoJSON file declares in a legacy `crs` member
/// (`{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4528"}}`) or a `datum`
/// member (`"GCJ-02"`); the 2008 specification's `{"type": "EPSG", "properties": {"code":
/// 4528}}` too.
fn file_crs(root: &RawObject, path: &Path) -> Result<Option<Crs>, LoadError> {
    let named = match &root.crs {
        Some(Value::Object(crs)) => {
            let properties = crs.get("properties");
            properties
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| {
                    let code = properties?.get("code")?;
                    let code = code
                        .as_u64()
                        .map(|c| c.to_string())
                        .or_else(|| code.as_str().map(str::to_owned))?;
                    Some(format!("EPSG:{code}"))
                })
        }
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let datum = match &root.datum {
        Some(Value::String(d)) if !d.trim().is_empty() => Some(d.trim().to_owned()),
        _ => None,
    };
    match named.or(datum) {
        Some(text) => Crs::parse(&text).map(Some).map_err(|error| LoadError::Crs {
            path: path.to_owned(),
            error,
        }),
        None => Ok(None),
    }
}

fn not_geojson(path: &Path, reason: String) -> LoadError {
    LoadError::NotGeoJson {
        path: path.to_owned(),
        reason,
    }
}

fn syntax_error(bytes: &[u8], path: &Path, e: SyntaxError) -> LoadError {
    let path = path.to_owned();
    if let Err(bad) = std::str::from_utf8(bytes) {
        return LoadError::NotUtf8 {
            line: line_column(bytes, bad.valid_up_to()).0,
            path,
            hint: "GBK or GB18030, perhaps",
        };
    }
    let (line, column) = line_column(bytes, e.offset);
    let message = if e.offset == first_non_space(bytes) && e.message == "expected value" {
        "not JSON: the file does not start with `{` or `[`".to_string()
    } else {
        e.message
    };
    LoadError::Syntax {
        path,
        line,
        column,
        message,
    }
}

fn first_non_space(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, column)
}

/// One feature, checked and built; `Err` with the warning if it must be skipped, and the
/// warning beside the feature when it was taken with a remark (a bare geometry in `features`).
fn build_feature(
    index: usize,
    raw: Member<RawObject>,
    file: &str,
    name_field: &str,
    heights: &Heights,
) -> Built {
    let warn =
        |id: Option<String>, reason: String| Some(LoadWarning::skipped(file, index, id, reason));
    let not_a_feature = |id: Option<String>, reason: String| {
        Some(LoadWarning {
            kind: WarningKind::NotAFeature,
            ..LoadWarning::skipped(file, index, id, reason)
        })
    };
    let mut raw = match raw {
        Member::Object(raw) => raw,
        Member::Null => return Err(warn(None, "the feature is null, not an object".into())),
        Member::Other(what) => {
            return Err(warn(None, format!("the feature is {what}, not an object")));
        }
        Member::Missing => return Err(None),
    };
    // A bare geometry where a Feature belongs is read as a feature without properties; any
    // other object that is not a Feature is left out. Both are said.
    let mut remark = None;
    match &raw.kind {
        Some(Value::String(k)) if k == "Feature" => {}
        Some(Value::String(k))
            if GEOMETRY_TYPES.contains(&k.as_str()) && matches!(raw.geometry, Member::Missing) =>
        {
            remark = not_a_feature(None, format!("a bare {k} geometry, not a Feature"));
            let geometry = RawObject {
                kind: raw.kind.take(),
                coordinates: raw.coordinates.take(),
                geometries: raw.geometries.take(),
                ..RawObject::default()
            };
            raw.geometry = Member::Object(Box::new(geometry));
        }
        Some(Value::String(k)) => {
            return Err(warn(
                None,
                format!("a {k} inside `features`, not a Feature"),
            ));
        }
        Some(other) => {
            return Err(warn(
                None,
                format!(
                    "the feature's `type` is {}, not \"Feature\"",
                    json_kind(other)
                ),
            ));
        }
        None => {
            remark = not_a_feature(
                None,
                "the feature has no `type` (\"Feature\" belongs there)".into(),
            );
        }
    }
    let properties = match raw.properties {
        Some(Value::Object(map)) => map,
        None | Some(Value::Null) => Map::new(),
        Some(other) => {
            let reason = format!("`properties` is {}, not an object", json_kind(&other));
            return Err(warn(None, reason));
        }
    };
    let (id, id_is_number) =
        feature_id(raw.id.as_ref(), &properties).unwrap_or_else(|| (index.to_string(), true));
    let name = match properties.get(name_field) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => id.clone(),
    };
    let geometry = match raw.geometry {
        Member::Missing | Member::Null => None,
        Member::Other(what) => {
            return Err(warn(
                Some(id),
                format!("`geometry` is {what}, not an object"),
            ));
        }
        Member::Object(g) => {
            let tall = has_heights(&g);
            match build_geometry(*g) {
                Ok(g) => {
                    if tall && g.is_some() {
                        heights.note(index);
                    }
                    g
                }
                Err(reason) => return Err(warn(Some(id), reason)),
            }
        }
    };
    if let Some(w) = &mut remark {
        w.id = Some(id.clone());
        w.name = Some(name.clone());
    }
    let feature = Feature::new(id, name, properties, geometry).with_numeric_id(id_is_number);
    Ok((feature, remark))
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A feature's id as text, and whether it was a number: its `id`, else its `code` or `adcode`
/// property.
fn feature_id(id: Option<&Value>, properties: &Map<String, Value>) -> Option<(String, bool)> {
    scalar_id([id, properties.get("code"), properties.get("adcode")])
}

/// Turns a raw geometry into a checked, oriented `geo` geometry; `Ok(None)` for an empty one.
fn build_geometry(raw: RawObject) -> Result<Option<Geometry<f64>>, String> {
    let kind = match &raw.kind {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => return Err(format!("geometry `type` is {}", json_kind(other))),
        None => return Err("the geometry has no `type`".into()),
    };
    if kind == "GeometryCollection" {
        let Some(members) = raw.geometries else {
            return Err("a GeometryCollection without `geometries`".into());
        };
        let mut out = Vec::with_capacity(members.len());
        for (i, member) in members.into_iter().enumerate() {
            let member = match member {
                Member::Object(m) => m,
                Member::Null | Member::Missing => continue,
                Member::Other(what) => {
                    return Err(format!("member {i} of the GeometryCollection is {what}"));
                }
            };
            if let Some(g) = build_geometry(member)
                .map_err(|e| format!("member {i} of the GeometryCollection: {e}"))?
            {
                out.push(g);
            }
        }
        return Ok(Some(Geometry::GeometryCollection(GeometryCollection(out))));
    }
    let expected_height = match kind {
        "Point" => 0,
        "MultiPoint" | "LineString" => 1,
        "MultiLineString" | "Polygon" => 2,
        "MultiPolygon" => 3,
        other => return Err(format!("unknown geometry type \"{other}\"")),
    };
    let Some(c) = raw.coordinates else {
        return Err(format!("a {kind} without `coordinates`"));
    };
    if let Some(problem) = c.problem {
        return Err(problem);
    }
    let Some(height) = c.height else {
        return Ok(None); // An empty geometry: nothing to draw or measure.
    };
    if height != expected_height {
        return Err(format!(
            "a {kind} needs coordinates nested {} deep, found {}",
            expected_height + 1,
            height + 1
        ));
    }
    let ranges = |ends: &[u32], start_of: usize| {
        let mut start = start_of;
        ends.iter()
            .map(move |&end| {
                let r = start..end as usize;
                start = end as usize;
                r
            })
            .collect::<Vec<_>>()
    };
    let lines = ranges(&c.ends[0], 0);
    let line = |r: &std::ops::Range<usize>| LineString(c.xy[r.clone()].to_vec());
    let geometry = match kind {
        "Point" => Geometry::Point(Point(c.xy[0])),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint(c.xy.iter().map(|&p| Point(p)).collect())),
        "LineString" => {
            check_line(&c.xy, "the LineString")?;
            Geometry::LineString(LineString(c.xy))
        }
        "MultiLineString" => {
            for (i, r) in lines.iter().enumerate() {
                check_line(&c.xy[r.clone()], &format!("line {i}"))?;
            }
            Geometry::MultiLineString(MultiLineString(lines.iter().map(line).collect()))
        }
        "Polygon" => Geometry::Polygon(build_polygon(&c.xy, &lines, None)?),
        _ => {
            let polygons = ranges(&c.ends[1], 0)
                .into_iter()
                .enumerate()
                .map(|(i, rings)| build_polygon(&c.xy, &lines[rings], Some(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Geometry::MultiPolygon(MultiPolygon(polygons))
        }
    };
    Ok(Some(geometry))
}

fn check_line(points: &[Coord<f64>], what: &str) -> Result<(), String> {
    if points.len() < 2 {
        return Err(format!(
            "{what} has {} position(s); it needs at least 2",
            points.len()
        ));
    }
    Ok(())
}

fn build_polygon(
    xy: &[Coord<f64>],
    rings: &[std::ops::Range<usize>],
    polygon: Option<usize>,
) -> Result<Polygon<f64>, String> {
    let of = |i: usize| match polygon {
        Some(p) => format!("ring {i} of polygon {p}"),
        None => format!("ring {i}"),
    };
    if rings.is_empty() {
        return Err(match polygon {
            Some(p) => format!("polygon {p} has no rings"),
            None => "the Polygon has no rings".into(),
        });
    }
    for (i, r) in rings.iter().enumerate() {
        let ring = &xy[r.clone()];
        if ring.len() < 4 {
            return Err(format!(
                "{} has {} positions; a ring needs at least 4",
                of(i),
                ring.len()
            ));
        }
        if ring.first() != ring.last() {
            return Err(format!(
                "{} is not closed: its first and last positions differ",
                of(i)
            ));
        }
    }
    // RFC 7946 orientation: outer rings counter-clockwise, holes clockwise. Amap outlines run
    // the other way, and geodesic area needs to know which side is inside.
    let ring = |r: &std::ops::Range<usize>, ccw: bool| {
        let mut points = xy[r.clone()].to_vec();
        if (twice_signed_area(&points) > 0.0) != ccw {
            points.reverse();
        }
        LineString(points)
    };
    Ok(Polygon::new(
        ring(&rings[0], true),
        rings[1..].iter().map(|r| ring(r, false)).collect(),
    ))
}

/// Twice the signed planar area of a closed ring; positive when counter-clockwise.
fn twice_signed_area(points: &[Coord<f64>]) -> f64 {
    let Some(&o) = points.first() else {
        return 0.0;
    };
    points
        .windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum()
}
