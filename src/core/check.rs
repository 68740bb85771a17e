//! What `zonemap check` says about a file: its contents and every problem found.

use std::collections::BTreeMap;

use geo::{Geometry, Rect, Validation};

use crate::core::model::Layer;

/// A summary of a loaded layer.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckSummary {
    pub features: usize,
    /// Geometry type name (or "null") → count, sorted by name.
    pub geometry_types: BTreeMap<&'static str, usize>,
    pub bbox: Option<Rect<f64>>,
    /// One line per problem: skipped features and invalid geometries.
    pub problems: Vec<String>,
}

/// Summarises a layer and validates every geometry (self-intersections, bad holes, ...).
pub fn check_layer(layer: &Layer) -> CheckSummary {
    let mut geometry_types = BTreeMap::new();
    let mut problems: Vec<String> = layer.warnings.iter().map(|w| w.to_string()).collect();
    for (index, f) in layer.features.iter().enumerate() {
        let name = f.geometry.as_ref().map_or("null", type_name);
        *geometry_types.entry(name).or_insert(0) += 1;
        if let Some(g) = &f.geometry
            && let Err(e) = g.check_validation()
        {
            problems.push(format!(
                "feature {index} (id {}, {}): invalid geometry: {e}; it loads, but its area and overlaps may be wrong",
                f.id, f.name
            ));
        }
    }
    CheckSummary {
        features: layer.features.len(),
        geometry_types,
        bbox: layer.bbox(),
        problems,
    }
}

fn type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) | Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}
