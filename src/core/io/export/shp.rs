//! Writing a layer as an Esri Shapefile: `.shp`, `.shx`, `.dbf` (UTF-8 or GBK, with its `.cpg`)
//! and `.prj`, one shape type per file.

use super::*;

pub(super) fn write_shapefile(
    layer: &Layer,
    path: &Path,
    options: &WriteOptions,
) -> Result<Vec<String>, ExportError> {
    use shapefile::dbase::{self, FieldValue};
    let encoding: &'static encoding_rs::Encoding = match options.encoding.as_deref() {
        None => encoding_rs::UTF_8,
        Some(label) => crate::core::io::shapefile::Encoding::named(label)
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
pub(super) enum ShapeKind {
    Polygon,
    Polyline,
    Point,
    Multipoint,
}

/// The one shape type a Shapefile of these geometries can be.
pub(super) fn shape_kind(geometries: &[Option<Geometry<f64>>]) -> Result<ShapeKind, String> {
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

pub(super) fn ring_points(ring: &LineString<f64>) -> Vec<shapefile::Point> {
    ring.0
        .iter()
        .map(|c| shapefile::Point::new(c.x, c.y))
        .collect()
}

pub(super) fn polygons_of(g: &Geometry<f64>) -> Vec<Polygon<f64>> {
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
pub(super) enum Typed {
    Polygon(shapefile::Polygon),
    Polyline(shapefile::Polyline),
    Point(shapefile::Point),
    Multipoint(shapefile::Multipoint),
    None,
}

pub(super) fn to_shape(g: Option<&Geometry<f64>>, kind: ShapeKind) -> Typed {
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
