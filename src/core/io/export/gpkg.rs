//! Writing a layer as a GeoPackage 1.2: one feature table with its srs, columns typed from the
//! properties, and standard GPB geometry blobs.

use super::*;

pub(super) fn write_geopackage(
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
pub(super) fn promoted(
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
pub(super) fn table_name(name: &str) -> String {
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
