//! Layers and features: the model every view and analysis reads.

use std::path::PathBuf;

use geo::{BoundingRect, Geometry, MultiPolygon, Polygon, Rect};
use serde_json::{Map, Value};

pub mod index;
pub mod warning;

use crate::core::crs::Crs;
use index::SpatialIndex;
pub use warning::{LoadWarning, WarningKind};

/// Property naming the pilot a zone belongs to (功能区+镇(街道) pilots; see
/// [`crate::core::analysis::pilots`]).
pub const PILOT_FIELD: &str = "pilot";
/// Property listing ids of units a pilot adds to the zone beyond its drawn outline (as Suzhou's
/// pilot added 通安镇).
pub const PILOT_ADDS_FIELD: &str = "pilot_adds";

/// What a layer is for in the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Functional zones (功能区), the areas that cover units.
    Zones,
    /// Towns (镇) and streets (街道), the units zones are made of.
    Units,
    /// Shown for orientation only; not analysed.
    Context,
}

impl Role {
    /// A first guess at a freshly opened layer's role, from its features: a `kind` of
    /// `functional_area` or a `pilot` property, or names such as 功能片区/园区, make zones; names
    /// ending in 镇/街道/乡, or a `kind` of `street`/`town`, make units; anything else is context.
    /// The user can change it.
    pub fn guess(features: &[Feature]) -> Role {
        let (mut zones, mut units) = (0usize, 0usize);
        for f in features {
            let kind = f.property_text("kind").unwrap_or_default();
            let name = f.name.as_str();
            if kind == "functional_area"
                || f.properties.contains_key(PILOT_FIELD)
                || ["功能区", "功能片区", "园区", "开发区", "科学城", "片区"]
                    .iter()
                    .any(|w| name.contains(w))
            {
                zones += 1;
            } else if kind == "street"
                || kind == "town"
                || ["街道", "镇", "乡"].iter().any(|w| name.ends_with(w))
            {
                units += 1;
            }
        }
        let half = features.len().div_ceil(2).max(1);
        if zones >= half {
            Role::Zones
        } else if units >= half {
            Role::Units
        } else {
            Role::Context
        }
    }

    /// Where layers of this role go, top first, wherever layers are stacked or labelled: zones
    /// over units over context, in the window's layer list and map, on the sheets, and in
    /// which labels are placed first. The one place this order is decided.
    pub fn rank(self) -> u8 {
        match self {
            Role::Zones => 0,
            Role::Units => 1,
            Role::Context => 2,
        }
    }

    /// The role's lowercase name, as serialised: `zones`, `units` or `context`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Zones => "zones",
            Role::Units => "units",
            Role::Context => "context",
        }
    }
}

/// Index of a feature within its layer. Stable for the life of the layer: features are
/// never reordered, and a skipped feature keeps no slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureId(pub u32);

impl FeatureId {
    /// The index as a `usize`, for indexing the layer's features and per-feature lists.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One feature of a layer.
#[derive(Clone, Debug)]
pub struct Feature {
    /// The feature's identifier: its GeoJSON `id`, else its `code` or `adcode` property,
    /// else its index in the file.
    pub id: String,
    /// Whether the source gave the id as a number (a GeoJSON numeric `id`, a numeric `code` or
    /// `adcode`, a Shapefile's record number, a GeoPackage's fid) that no other feature of the
    /// file repeats: GeoJSON written from the layer gives it back as a number, which GDAL
    /// takes for the feature's FID; any other id as text.
    pub id_is_number: bool,
    /// Its display name: the chosen name field, else `name`, else the id.
    pub name: String,
    /// Its GeoJSON properties.
    pub properties: Map<String, Value>,
    /// Lon/lat geometry; polygon rings oriented as RFC 7946 says (outer counter-clockwise).
    /// `None` for a feature whose geometry is `null`.
    pub geometry: Option<Geometry<f64>>,
    /// Bounding box of the geometry in lon/lat degrees.
    pub bbox: Option<Rect<f64>>,
    /// What the loader had to say about it (repaired, duplicate id, ...), for the selection
    /// panel; the layer's `warnings` hold the same with the file and index.
    pub notes: Vec<(WarningKind, String)>,
}

impl Feature {
    /// A feature with no notes; its bounding box is computed from `geometry`.
    pub fn new(
        id: String,
        name: String,
        properties: Map<String, Value>,
        geometry: Option<Geometry<f64>>,
    ) -> Self {
        let bbox = geometry.as_ref().and_then(|g| g.bounding_rect());
        Feature {
            id,
            id_is_number: false,
            name,
            properties,
            geometry,
            bbox,
            notes: Vec::new(),
        }
    }

    /// The same feature, its id given by the source as a number or not (see
    /// [`Feature::id_is_number`]).
    pub fn with_numeric_id(mut self, is_number: bool) -> Self {
        self.id_is_number = is_number;
        self
    }

    /// The polygons of this feature (of a Polygon, MultiPolygon or GeometryCollection).
    pub fn polygons(&self) -> Vec<&Polygon<f64>> {
        let mut out = Vec::new();
        if let Some(g) = &self.geometry {
            collect_polygons(g, &mut out);
        }
        out
    }

    /// The polygons of this feature as one owned MultiPolygon.
    pub fn multi_polygon(&self) -> MultiPolygon<f64> {
        MultiPolygon(self.polygons().into_iter().cloned().collect())
    }

    /// Whether the feature has any areal geometry (without collecting its polygons).
    pub fn is_areal(&self) -> bool {
        self.geometry.as_ref().is_some_and(has_polygons)
    }

    /// A property as text (strings as they are, anything else but null printed as JSON).
    pub fn property_text(&self, key: &str) -> Option<String> {
        match self.properties.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            v => Some(v.to_string()),
        }
    }

    /// A property as a number: a JSON number, or a string that reads as one ("1,234.5" too).
    pub fn property_number(&self, key: &str) -> Option<f64> {
        let v = match self.properties.get(key)? {
            Value::Number(n) => n.as_f64()?,
            Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok()?,
            _ => return None,
        };
        v.is_finite().then_some(v)
    }
}

fn has_polygons(g: &Geometry<f64>) -> bool {
    match g {
        Geometry::Polygon(_) => true,
        Geometry::MultiPolygon(mp) => !mp.0.is_empty(),
        Geometry::GeometryCollection(gc) => gc.0.iter().any(has_polygons),
        _ => false,
    }
}

/// A JSON string (non-empty) or number as text: how ids and id lists are read.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `values` that names a feature ([`scalar_text`]), as text, and whether it was a
/// number ([`Feature::id_is_number`]): how every reader picks a feature's id among its
/// candidate members or fields.
pub(crate) fn scalar_id<'a>(
    values: impl IntoIterator<Item = Option<&'a Value>>,
) -> Option<(String, bool)> {
    values
        .into_iter()
        .flatten()
        .find_map(|v| scalar_text(v).map(|text| (text, v.is_number())))
}

fn collect_polygons<'a>(g: &'a Geometry<f64>, out: &mut Vec<&'a Polygon<f64>>) {
    match g {
        Geometry::Polygon(p) => out.push(p),
        Geometry::MultiPolygon(mp) => out.extend(mp.0.iter()),
        Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| collect_polygons(g, out)),
        _ => {}
    }
}

/// Keeps the features whose property `field` reads `value`: one level of a file that mixes
/// levels, such as the cities and the districts of `jiangsu-south-districts.geojson`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LayerFilter {
    /// The property to look at.
    pub field: String,
    /// The text it must read, exactly.
    pub value: String,
}

impl LayerFilter {
    /// Keeps features whose `field` reads `value`.
    pub fn new(field: impl Into<String>, value: impl Into<String>) -> Self {
        LayerFilter {
            field: field.into(),
            value: value.into(),
        }
    }

    /// Reads `FIELD=VALUE`, as the command line takes it.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            Some((field, value)) if !field.trim().is_empty() => {
                Ok(LayerFilter::new(field.trim(), value.trim()))
            }
            _ => Err(format!("`{text}` is not FIELD=VALUE")),
        }
    }

    /// Whether `feature`'s property, as text, is the value (a missing or null property never is).
    pub fn matches(&self, feature: &Feature) -> bool {
        feature.property_text(&self.field).as_deref() == Some(self.value.as_str())
    }
}

impl std::fmt::Display for LayerFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.field, self.value)
    }
}

/// A loaded GeoJSON file with its role, its features and a spatial index over them.
#[derive(Clone, Debug)]
pub struct Layer {
    /// Display name, by default the file's stem.
    pub name: String,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// What the layer is for in the analysis.
    pub role: Role,
    /// Its features, in the order of its source (skipped ones left out); a [`FeatureId`]
    /// indexes this.
    pub features: Vec<Feature>,
    /// R-tree over the features' bounding boxes.
    pub index: SpatialIndex,
    /// Features skipped or repaired while loading, with the reason.
    pub warnings: Vec<LoadWarning>,
    /// The coordinate system of its source. Its features are always in the working frame
    /// (WGS-84 lon/lat): a layer read from GCJ-02 (Amap outlines) or a Gauss-Krüger Shapefile
    /// was moved into it when it loaded, and says so with this.
    pub crs: Crs,
    /// How its text was decoded, for sources that say (a Shapefile's DBF): `GBK (from the
    /// .cpg)`.
    pub encoding: Option<String>,
    /// The table of its source it came from (a GeoPackage's).
    pub table: Option<String>,
}

impl Layer {
    /// Builds a layer (and its index) from features.
    pub fn new(name: impl Into<String>, role: Role, features: Vec<Feature>) -> Self {
        let index = SpatialIndex::build(&features);
        Layer {
            name: name.into(),
            path: None,
            role,
            features,
            index,
            warnings: Vec::new(),
            crs: Crs::Wgs84,
            encoding: None,
            table: None,
        }
    }

    /// The feature with this id; panics if the id is not of this layer.
    pub fn feature(&self, id: FeatureId) -> &Feature {
        &self.features[id.index()]
    }

    /// The id of every feature, in order.
    pub fn ids(&self) -> impl Iterator<Item = FeatureId> + '_ {
        (0..self.features.len() as u32).map(FeatureId)
    }

    /// Finds a feature by its identifier.
    pub fn find(&self, id: &str) -> Option<FeatureId> {
        self.features
            .iter()
            .position(|f| f.id == id)
            .map(|i| FeatureId(i as u32))
    }

    /// The layer with only the features `filter` keeps, re-indexed (their ids change).
    pub fn filtered(self, filter: &LayerFilter) -> Layer {
        let features: Vec<Feature> = self
            .features
            .into_iter()
            .filter(|f| filter.matches(f))
            .collect();
        Layer {
            index: SpatialIndex::build(&features),
            features,
            ..self
        }
    }

    /// Sets property `key` to the number given for each feature's id (features whose id is not
    /// in `values` keep what they had): how figures typed in the window, such as official
    /// areas, are put on a read-only layer's features and kept in the project.
    pub fn set_numbers(&mut self, key: &str, values: &std::collections::BTreeMap<String, f64>) {
        if values.is_empty() {
            return;
        }
        for f in &mut self.features {
            if let Some(v) = values.get(&f.id)
                && let Some(n) = serde_json::Number::from_f64(*v)
            {
                f.properties.insert(key.to_owned(), Value::Number(n));
            }
        }
    }

    /// Bounding box of every feature.
    pub fn bbox(&self) -> Option<Rect<f64>> {
        self.features
            .iter()
            .filter_map(|f| f.bbox)
            .reduce(|a, b| merge_rects(&a, &b))
    }
}

pub(crate) fn merge_rects(a: &Rect<f64>, b: &Rect<f64>) -> Rect<f64> {
    Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}
