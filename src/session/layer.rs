//! What the window holds: its layers, each with its style and the figures and shapes computed
//! for it once, and references to features.

use std::sync::Arc;

use geo::Coord;

use crate::core::analysis::LayerPrep;
use crate::core::measure::Area;
use crate::core::model::LayerFilter;
use crate::core::style::{LayerStyle, Rgba};
pub use crate::core::style::{Thematic, is_approximate};
use crate::core::{Feature, FeatureId, Layer, Role};

use super::shapes::ShapeCache;

/// Identifies a loaded layer for as long as the window runs; never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LayerKey(pub u64);

/// One feature of one layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    pub layer: LayerKey,
    pub feature: FeatureId,
}

pub use crate::core::bundled::{BUNDLED, BundledFile, bundled};
pub use crate::core::project::LayerSource;

/// Where a feature's label may go: points inside its largest polygon, best first (see
/// [`crate::core::render::label_positions`]); never empty.
#[derive(Clone, Debug)]
pub struct LabelAnchor {
    /// The places, lon/lat, best first.
    pub places: Vec<Coord<f64>>,
}

/// A layer as the window shows it.
pub struct MapLayer {
    pub key: LayerKey,
    /// Whether it is the proposals layer, which edits change.
    pub editable: bool,
    pub layer: Arc<Layer>,
    pub source: LayerSource,
    /// Its role in the analysis; the user may change it.
    pub role: Role,
    pub style: LayerStyle,
    /// Geodesic area of each feature.
    pub areas: Arc<[Area]>,
    /// The coverage analysis' per-layer work (each feature's geodesic area), made at load.
    pub prep: Arc<LayerPrep>,
    pub anchors: Arc<[Option<LabelAnchor>]>,
    /// The legend of the layer's category or graduated colouring, kept in step with the style.
    pub thematic: Thematic,
    /// Each feature's fill under `thematic`; empty when the layer has one fill.
    pub feature_fills: Vec<Option<Rgba>>,
    pub shapes: ShapeCache,
    /// Whether its features say their boundaries are approximate (`"approximate": true`).
    pub approximate: bool,
    /// Property names over all features: the choices for labels and categories.
    pub fields: Vec<String>,
    /// Properties holding figures: the choices for graduated colours.
    pub numeric_fields: Vec<String>,
    /// Which features to keep from the source, for a layer split out of a file.
    pub filter: Option<LayerFilter>,
    /// Its place in the saved session it was restored from, if any.
    pub order: Option<usize>,
    /// For the label field last checked: how many labels have characters no loaded font has.
    pub missing_glyphs: Option<(Option<String>, usize)>,
    /// Official areas typed in the window for this (read-only) layer's features, by id; kept
    /// in the project and put on the features as their `official_km2` property.
    pub official_km2: std::collections::BTreeMap<String, f64>,
    /// The text encoding the user chose to read its source with (a Shapefile's), if any.
    pub encoding_choice: Option<String>,
}

impl MapLayer {
    pub fn feature(&self, id: FeatureId) -> Option<&Feature> {
        self.layer.features.get(id.index())
    }

    pub fn area(&self, id: FeatureId) -> Area {
        self.areas.get(id.index()).copied().unwrap_or_default()
    }

    /// Recomputes the category or graduated colours after the style changed: the legend,
    /// and each feature's fill, worked out once here rather than every frame.
    pub fn refresh_thematic(&mut self) {
        if self.thematic.matches(&self.style) {
            return;
        }
        self.thematic = Thematic::of(&self.layer, &self.style, &self.areas);
        self.feature_fills = self.thematic.fills(&self.layer);
    }

    /// A feature's own fill, if the layer is coloured by category or by classes.
    pub fn feature_fill(&self, id: FeatureId) -> Option<Rgba> {
        self.feature_fills.get(id.index()).copied().flatten()
    }

    /// The text a feature is labelled with.
    pub fn label_text(&self, feature: &Feature) -> Option<String> {
        self.style.label_text(feature)
    }
}

/// The bounding box of the visible layers, in lon/lat.
pub fn visible_bbox(layers: &[MapLayer]) -> Option<geo::Rect<f64>> {
    layers
        .iter()
        .filter(|l| l.style.visible)
        .filter_map(|l| l.layer.bbox())
        .reduce(|a, b| crate::core::model::merge_rects(&a, &b))
}
