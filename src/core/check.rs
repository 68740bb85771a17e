//! What `zonemap check` says about a file: its contents and every problem found.
//!
//! Validity is decided when the layer loads (by the sweep of
//! [`crate::core::topology::validate()`]), so checking is listing what the loader found: skipped
//! and repaired features with their problems, duplicate ids, non-Features in `features`,
//! repeated points, and names that no font here can draw.

use std::collections::BTreeMap;

use geo::{Geometry, Rect};

use crate::core::io::WarningKind;
use crate::core::model::Layer;
use crate::core::report::missing_glyph_warnings;

/// A summary of a loaded layer.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckSummary {
    /// Features loaded (skipped ones not counted).
    pub features: usize,
    /// Geometry type name (or "null") → count, sorted by name.
    pub geometry_types: BTreeMap<&'static str, usize>,
    /// Bounding box of all features, lon/lat degrees; `None` when none has geometry.
    pub bbox: Option<Rect<f64>>,
    /// Features left out.
    pub skipped: usize,
    /// Features whose invalid geometry was repaired for analysis.
    pub repaired: usize,
    /// One line per problem, in file order: each names the file, the feature's index, id and
    /// name, what is wrong and what was done.
    pub problems: Vec<String>,
}

/// Summarises a loaded layer and lists everything the loader found wrong with it.
pub fn check_layer(layer: &Layer) -> CheckSummary {
    let mut geometry_types = BTreeMap::new();
    for f in &layer.features {
        let name = f.geometry.as_ref().map_or("null", type_name);
        *geometry_types.entry(name).or_insert(0) += 1;
    }
    let count = |kind| layer.warnings.iter().filter(|w| w.kind == kind).count();
    let mut problems: Vec<String> = layer.warnings.iter().map(|w| w.to_string()).collect();
    problems.extend(missing_glyph_warnings(layer).into_iter().map(|w| w.message));
    CheckSummary {
        features: layer.features.len(),
        geometry_types,
        bbox: layer.bbox(),
        skipped: layer
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::Skipped)
            .map(|w| w.records)
            .sum(),
        repaired: count(WarningKind::Repaired),
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
