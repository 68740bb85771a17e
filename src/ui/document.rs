//! What the window holds: its layers, each with its style and the figures and shapes computed
//! for it once, and references to features.

use std::path::PathBuf;
use std::sync::Arc;

use geo::Coord;

use crate::core::measure::Area;
use crate::core::model::GCJ02;
use crate::core::style::{Categories, LayerStyle, Rgba};
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

/// Where a layer came from, so that a later run can load it again.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LayerSource {
    /// A GeoJSON file.
    File(PathBuf),
    /// One of the files built into the program, by its path in the repository.
    Bundled(String),
}

impl LayerSource {
    /// How messages name it.
    pub fn label(&self) -> String {
        match self {
            LayerSource::File(p) => p.display().to_string(),
            LayerSource::Bundled(p) => p.clone(),
        }
    }
}

/// A data file compiled into the program, so that the first start needs nothing else.
pub struct BundledFile {
    pub path: &'static str,
    pub bytes: &'static [u8],
    pub name: &'static str,
    pub role: Role,
    pub visible: bool,
    pub crs: &'static str,
}

/// The bundled Suzhou high-tech district data, top layer first. Its towns and zones are
/// approximations (see `data/README.md`); the district outlines are real.
pub static BUNDLED: [BundledFile; 3] = [
    BundledFile {
        path: "data/suzhou-gaoxin/zones.geojson",
        bytes: include_bytes!("../../data/suzhou-gaoxin/zones.geojson"),
        name: "苏州高新区 功能片区",
        role: Role::Zones,
        visible: true,
        crs: GCJ02,
    },
    BundledFile {
        path: "data/suzhou-gaoxin/towns.geojson",
        bytes: include_bytes!("../../data/suzhou-gaoxin/towns.geojson"),
        name: "苏州高新区 镇(街道)",
        role: Role::Units,
        visible: true,
        crs: GCJ02,
    },
    BundledFile {
        path: "data/jiangsu-south-districts.geojson",
        bytes: include_bytes!("../../data/jiangsu-south-districts.geojson"),
        name: "苏南 市/区",
        role: Role::Context,
        visible: false,
        crs: GCJ02,
    },
];

pub fn bundled(path: &str) -> Option<&'static BundledFile> {
    BUNDLED.iter().find(|b| b.path == path)
}

/// Where a feature's label goes: a point inside its largest polygon.
#[derive(Clone, Copy, Debug)]
pub struct LabelAnchor {
    pub lonlat: Coord<f64>,
}

/// A layer as the window shows it.
pub struct MapLayer {
    pub key: LayerKey,
    pub layer: Arc<Layer>,
    pub source: LayerSource,
    /// Its role in the analysis; the user may change it.
    pub role: Role,
    pub style: LayerStyle,
    /// Geodesic area of each feature.
    pub areas: Arc<[Area]>,
    pub anchors: Arc<[Option<LabelAnchor>]>,
    /// The colours of `style.category_field`'s values, kept in step with the style.
    pub categories: Option<Categories>,
    /// Each feature's fill under `categories`; empty when not coloured by category.
    pub category_fills: Vec<Option<Rgba>>,
    pub shapes: ShapeCache,
    /// Whether its features say their boundaries are approximate (`"approximate": true`).
    pub approximate: bool,
    /// Property names over all features: the choices for labels and categories.
    pub fields: Vec<String>,
    /// Its place in the saved session it was restored from, if any.
    pub order: Option<usize>,
    /// For the label field last checked: how many labels have characters no loaded font has.
    pub missing_glyphs: Option<(Option<String>, usize)>,
}

impl MapLayer {
    pub fn feature(&self, id: FeatureId) -> Option<&Feature> {
        self.layer.features.get(id.index())
    }

    pub fn area(&self, id: FeatureId) -> Area {
        self.areas.get(id.index()).copied().unwrap_or_default()
    }

    /// Recomputes the category colours after the style changed: the legend, and each
    /// feature's fill, looked up once here rather than every frame.
    pub fn refresh_categories(&mut self) {
        let field = self.style.category_field.as_deref();
        if self.categories.as_ref().map(|c| c.field.as_str()) == field {
            return;
        }
        self.categories = field.map(|f| Categories::of(&self.layer, f));
        self.category_fills = match &self.categories {
            Some(c) => self
                .layer
                .features
                .iter()
                .map(|f| c.fill_for(f.property_text(&c.field).as_deref()))
                .collect(),
            None => Vec::new(),
        };
    }

    /// A feature's category fill, if the layer is coloured by category.
    pub fn category_fill(&self, id: FeatureId) -> Option<Rgba> {
        self.category_fills.get(id.index()).copied().flatten()
    }

    /// The text a feature is labelled with.
    pub fn label_text(&self, feature: &Feature) -> Option<String> {
        match self.style.label_field.as_deref()? {
            "name" => Some(feature.name.clone()),
            field => feature.property_text(field),
        }
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

/// Whether a feature says its boundary is approximate.
pub fn is_approximate(feature: &Feature) -> bool {
    feature
        .properties
        .get("approximate")
        .is_some_and(|v| v.as_bool() == Some(true))
}
