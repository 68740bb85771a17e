//! How a layer is drawn: fill, outline, labels and colouring by category.
//!
//! Shared by the window and the exporter, so a saved style looks the same in both.

use std::collections::BTreeMap;

use crate::core::analysis::CoverageClass;
use crate::core::measure::Area;
use crate::core::model::{Feature, Layer, Role};

/// Noto Sans SC (a subset: all of GB2312 plus every character of the bundled data; SIL OFL 1.1,
/// licence in `assets/OFL.txt`): the font for Chinese labels in the window and in exports.
pub static CJK_FONT_OTF: &[u8] = include_bytes!("../../assets/NotoSansSC-Regular-subset.otf");

/// An sRGB colour with alpha, 0–255 per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba([r, g, b, 255])
    }
}

/// A layer's drawing style.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LayerStyle {
    /// Whether the layer is drawn.
    pub visible: bool,
    /// Fill colour, drawn at `fill_opacity`.
    pub fill: Rgba,
    /// Fill opacity, 0 (outline only) to 1.
    pub fill_opacity: f32,
    /// Outline colour.
    pub outline: Rgba,
    /// Outline width in screen points.
    pub outline_width: f32,
    /// Property whose text labels each feature; `None` draws no labels.
    pub label_field: Option<String>,
    /// Property whose values each get their own fill colour; `None` fills every feature alike.
    pub category_field: Option<String>,
    /// Fill by a numeric property in graduated classes; takes precedence over categories.
    pub graduated: Option<Graduated>,
    /// Give each feature a colour of its own, no two neighbours alike (zones, by default),
    /// when neither categories nor classes are asked for.
    pub distinct: bool,
}

impl Default for LayerStyle {
    fn default() -> Self {
        LayerStyle::for_role(Role::Context, 0)
    }
}

/// Eight strong fills for zones drawn translucent over towns (ColorBrewer Dark2, with Set1's
/// blue and red), one per zone, no two neighbours alike ([`Categories::distinct`]).
pub const ZONE_PALETTE: [Rgba; 8] = [
    Rgba::rgb(27, 158, 119),
    Rgba::rgb(217, 95, 2),
    Rgba::rgb(117, 112, 179),
    Rgba::rgb(231, 41, 138),
    Rgba::rgb(102, 166, 30),
    Rgba::rgb(230, 171, 2),
    Rgba::rgb(55, 126, 184),
    Rgba::rgb(228, 26, 28),
];

/// Up to this many features, [`Categories::distinct`] tests whether outlines really touch;
/// beyond it, bounding boxes stand in.
pub const DISTINCT_EXACT_MAX: usize = 500;

/// Twelve well-separated fills (ColorBrewer Set3, then Paired), for categories and new layers.
pub const PALETTE: [Rgba; 12] = [
    Rgba::rgb(141, 211, 199),
    Rgba::rgb(255, 237, 111),
    Rgba::rgb(190, 186, 218),
    Rgba::rgb(251, 128, 114),
    Rgba::rgb(128, 177, 211),
    Rgba::rgb(253, 180, 98),
    Rgba::rgb(179, 222, 105),
    Rgba::rgb(252, 205, 229),
    Rgba::rgb(188, 128, 189),
    Rgba::rgb(204, 235, 197),
    Rgba::rgb(166, 206, 227),
    Rgba::rgb(217, 217, 217),
];

/// Cool fills for unit layers, so that warm zone fills stay apart from them.
const UNIT_FILLS: [Rgba; 4] = [
    Rgba::rgb(166, 206, 227),
    Rgba::rgb(178, 223, 138),
    Rgba::rgb(141, 211, 199),
    Rgba::rgb(190, 186, 218),
];

impl LayerStyle {
    /// Whether the style gives features colours of their own (graduated classes, categories
    /// or a colour per feature, as [`Thematic::of`] decides), so that the layer's fill is not
    /// used.
    pub fn colours_each_feature(&self) -> bool {
        self.graduated.as_ref().is_some_and(|g| !g.field.is_empty())
            || self.category_field.is_some()
            || self.distinct
    }

    /// A first style for a layer loaded with this role; `nth` varies the colour between layers.
    pub fn for_role(role: Role, nth: usize) -> Self {
        let (fill, fill_opacity, outline, outline_width) = match role {
            Role::Zones => (Rgba::rgb(230, 97, 1), 0.35, Rgba::rgb(90, 40, 10), 2.5),
            // Towns and streets under the zones: a light fill and a thin dark outline, so that
            // the zones' colours read over them.
            Role::Units => (
                UNIT_FILLS[nth % UNIT_FILLS.len()],
                0.3,
                Rgba::rgb(70, 70, 70),
                1.0,
            ),
            Role::Context => (Rgba::rgb(200, 200, 200), 0.0, Rgba::rgb(120, 120, 120), 1.0),
        };
        LayerStyle {
            visible: true,
            fill,
            fill_opacity,
            outline,
            outline_width,
            label_field: Some("name".to_owned()),
            category_field: None,
            graduated: None,
            distinct: role == Role::Zones,
        }
    }
}

impl LayerStyle {
    /// The text a feature is labelled with, if the style labels features.
    pub fn label_text(&self, feature: &Feature) -> Option<String> {
        match self.label_field.as_deref()? {
            "name" => Some(feature.name.clone()),
            field => feature.property_text(field),
        }
    }
}

/// Whether a feature says its boundary is approximate (`"approximate": true`), which every
/// view of it must say too.
pub fn is_approximate(feature: &Feature) -> bool {
    feature
        .properties
        .get("approximate")
        .is_some_and(|v| v.as_bool() == Some(true))
}

/// Fill of each coverage class on the coverage map: red for gaps, orange for partial, green
/// for full, purple for units counted in more than one zone.
pub fn coverage_fill(class: CoverageClass) -> Rgba {
    match class {
        CoverageClass::Uncovered => Rgba::rgb(215, 48, 39),
        CoverageClass::Partial => Rgba::rgb(253, 174, 97),
        CoverageClass::Full => Rgba::rgb(102, 189, 99),
        CoverageClass::SeveralZones => Rgba::rgb(118, 42, 131),
    }
}

/// Opacity of the coverage class fills.
pub const COVERAGE_OPACITY: f32 = 0.6;

/// Where two zones overlap: a translucent magenta fill (alpha included) under a dashed outline.
pub const OVERLAP_FILL: Rgba = Rgba([255, 0, 153, 150]);
/// The dashed outline of zone overlaps.
pub const OVERLAP_STROKE: Rgba = Rgba::rgb(200, 0, 120);

/// How a layer's features are coloured apart, with what its legend lists.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Thematic {
    /// One fill for every feature.
    #[default]
    None,
    /// A fill for each value of a property.
    Categories(Categories),
    /// Graduated classes of a numeric property.
    Classes(Classes),
}

impl Thematic {
    /// The colouring a style asks for over a layer; `areas` (each feature's geodesic area) are
    /// needed only for graduated values per km².
    pub fn of(layer: &Layer, style: &LayerStyle, areas: &[Area]) -> Self {
        match (&style.graduated, &style.category_field) {
            (Some(g), _) if !g.field.is_empty() => Thematic::Classes(Classes::of(layer, areas, g)),
            (_, Some(field)) => Thematic::Categories(Categories::of(layer, field)),
            _ if style.distinct => {
                let field = style.label_field.as_deref().unwrap_or("name");
                Thematic::Categories(Categories::distinct(layer, field))
            }
            _ => Thematic::None,
        }
    }

    /// Whether this colouring is the one `style` asks for, so it need not be worked out again.
    pub fn matches(&self, style: &LayerStyle) -> bool {
        match (self, &style.graduated, &style.category_field) {
            (Thematic::Classes(c), Some(g), _) if !g.field.is_empty() => c.spec == *g,
            (_, Some(g), _) if !g.field.is_empty() => false,
            (Thematic::Categories(c), _, Some(field)) => !c.distinct && c.field == *field,
            (Thematic::Categories(c), _, None) if style.distinct => {
                c.distinct && c.field == style.label_field.as_deref().unwrap_or("name")
            }
            (Thematic::None, _, None) => !style.distinct,
            _ => false,
        }
    }

    /// Each feature's fill; empty when every feature has the layer's own fill.
    pub fn fills(&self, layer: &Layer) -> Vec<Option<Rgba>> {
        match self {
            Thematic::None => Vec::new(),
            Thematic::Categories(c) => layer
                .features
                .iter()
                .map(|f| c.fill_for(f.property_text(&c.field).as_deref()))
                .collect(),
            Thematic::Classes(c) => (0..layer.features.len())
                .map(|i| Some(c.fill_for(i)))
                .collect(),
        }
    }

    /// Whether a graduated colouring divides by the features' areas, which must then be known.
    pub fn needs_areas(style: &LayerStyle) -> bool {
        style
            .graduated
            .as_ref()
            .is_some_and(|g| g.per_km2 && !g.field.is_empty())
    }
}

/// The distinct values of a field, each with its colour: what a legend lists and what the
/// map fills with. Sorted by value; features without the field are "(none)".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Categories {
    /// The property the features are coloured by.
    pub field: String,
    /// Each distinct value with its fill.
    pub entries: Vec<Category>,
    /// Whether the fills were chosen so that no two neighbours are alike
    /// ([`Categories::distinct`]) rather than by value order.
    pub distinct: bool,
}

/// One value of a category field, with its fill.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// The value as text, or [`NO_VALUE`].
    pub value: String,
    /// Its fill, from [`PALETTE`] in value order.
    pub fill: Rgba,
    /// How many features have this value.
    pub count: usize,
}

/// Shown for features that lack the category field.
pub const NO_VALUE: &str = "(none)";

impl Categories {
    /// Collects the values of `field` over a layer's features.
    pub fn of(layer: &Layer, field: &str) -> Self {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for f in &layer.features {
            let value = f
                .property_text(field)
                .unwrap_or_else(|| NO_VALUE.to_owned());
            *counts.entry(value).or_default() += 1;
        }
        let entries = counts
            .into_iter()
            .enumerate()
            .map(|(i, (value, count))| Category {
                value,
                fill: PALETTE[i % PALETTE.len()],
                count,
            })
            .collect();
        Categories {
            field: field.to_owned(),
            entries,
            distinct: false,
        }
    }

    /// One colour per value of `field` (a zone's name, say), no two neighbouring features
    /// alike: greedy colouring over [`ZONE_PALETTE`] in value order, where features are
    /// neighbours when their outlines touch or overlap (for layers of more than
    /// [`DISTINCT_EXACT_MAX`] features, when their bounding boxes do, which keeps it fast and
    /// still never gives neighbours one colour).
    pub fn distinct(layer: &Layer, field: &str) -> Self {
        use geo::Intersects;
        let values: Vec<String> = layer
            .features
            .iter()
            .map(|f| {
                f.property_text(field)
                    .unwrap_or_else(|| NO_VALUE.to_owned())
            })
            .collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for v in &values {
            *counts.entry(v.clone()).or_default() += 1;
        }
        let order: Vec<&String> = counts.keys().collect();
        let slot = |v: &String| order.binary_search(&v).unwrap_or(0);
        let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
        let exact = layer.features.len() <= DISTINCT_EXACT_MAX;
        for (i, f) in layer.features.iter().enumerate() {
            let Some(bbox) = f.bbox else { continue };
            for j in layer.index.in_envelope(bbox) {
                let j = j.index();
                if j <= i || values[i] == values[j] {
                    continue;
                }
                let g = &layer.features[j];
                let touch = !exact
                    || match (&f.geometry, &g.geometry) {
                        (Some(a), Some(b)) => a.intersects(b),
                        _ => false,
                    };
                if touch {
                    let (a, b) = (slot(&values[i]), slot(&values[j]));
                    neighbours[a].push(b);
                    neighbours[b].push(a);
                }
            }
        }
        // Each value takes the colour used least so far among those its neighbours do not have:
        // with no more values than colours every value has its own; beyond that, colours
        // repeat only between values that never touch.
        let mut colour: Vec<Option<usize>> = vec![None; order.len()];
        let mut used = vec![0usize; ZONE_PALETTE.len()];
        for v in 0..order.len() {
            let taken: Vec<usize> = neighbours[v].iter().filter_map(|n| colour[*n]).collect();
            let free = (0..ZONE_PALETTE.len())
                .filter(|c| !taken.contains(c))
                .min_by_key(|&c| (used[c], c));
            let c = free.unwrap_or(v % ZONE_PALETTE.len());
            used[c] += 1;
            colour[v] = Some(c);
        }
        let entries = counts
            .into_iter()
            .zip(colour)
            .map(|((value, count), c)| Category {
                value,
                fill: ZONE_PALETTE[c.unwrap_or(0)],
                count,
            })
            .collect();
        Categories {
            field: field.to_owned(),
            entries,
            distinct: true,
        }
    }

    /// The fill for one feature's value of the field.
    pub fn fill_for(&self, value: Option<&str>) -> Option<Rgba> {
        let value = value.unwrap_or(NO_VALUE);
        self.entries
            .binary_search_by(|c| c.value.as_str().cmp(value))
            .ok()
            .map(|i| self.entries[i].fill)
    }
}

/// How graduated classes are cut.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ClassMethod {
    /// Each class holds about as many features as the next.
    #[default]
    Quantiles,
    /// Each class spans the same range of values.
    EqualIntervals,
}

/// Colouring by a numeric property (or that property per km² of the feature's geodesic
/// area, for densities such as output per km²), in classes along a yellow–red ramp.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Graduated {
    /// The numeric property; empty for no graduated colouring.
    pub field: String,
    /// How the classes are cut.
    pub method: ClassMethod,
    /// How many classes, 2 to [`MAX_CLASSES`].
    pub classes: usize,
    /// Divide the value by the feature's area in km².
    pub per_km2: bool,
}

impl Default for Graduated {
    fn default() -> Self {
        Graduated {
            field: String::new(),
            method: ClassMethod::Quantiles,
            classes: 5,
            per_km2: false,
        }
    }
}

/// The most graduated classes a legend shows.
pub const MAX_CLASSES: usize = 9;

/// ColorBrewer YlOrRd, 9 classes: light for low values, dark red for high ones.
const RAMP: [Rgba; 9] = [
    Rgba::rgb(255, 255, 204),
    Rgba::rgb(255, 237, 160),
    Rgba::rgb(254, 217, 118),
    Rgba::rgb(254, 178, 76),
    Rgba::rgb(253, 141, 60),
    Rgba::rgb(252, 78, 42),
    Rgba::rgb(227, 26, 28),
    Rgba::rgb(189, 0, 38),
    Rgba::rgb(128, 0, 38),
];

/// The fill of features with no value for a graduated field.
pub const NO_DATA_FILL: Rgba = Rgba::rgb(210, 210, 210);

/// Class `i` of `n` on the ramp, spread from its second colour (the first is nearly white) to
/// its last.
fn ramp(i: usize, n: usize) -> Rgba {
    if n <= 1 {
        return RAMP[4];
    }
    let t = i as f64 / (n - 1) as f64 * (RAMP.len() - 2) as f64 + 1.0;
    let (lo, frac) = (t.floor() as usize, t.fract());
    let hi = (lo + 1).min(RAMP.len() - 1);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * frac).round() as u8;
    let (a, b) = (RAMP[lo].0, RAMP[hi].0);
    Rgba([mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2]), 255])
}

/// One graduated class: values above `lower` (or equal to it, for the first class) up to and
/// including `upper`.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    /// The lower bound: the smallest value for the first class, else the upper bound of the
    /// class below (not included).
    pub lower: f64,
    /// The highest value the class holds.
    pub upper: f64,
    /// Its fill, from the yellow–red ramp.
    pub fill: Rgba,
    /// How many features fall in it.
    pub count: usize,
}

/// Graduated classes over a layer: what the legend lists and each feature's value and fill.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// The graduated style the classes were cut for.
    pub spec: Graduated,
    /// The classes, lowest values first; fewer than asked when values repeat.
    pub classes: Vec<Class>,
    /// Each feature's value (per km² if asked), `None` when it has none.
    pub values: Vec<Option<f64>>,
    /// Features without a value.
    pub no_data: usize,
}

impl Classes {
    /// Classifies `spec.field` over a layer; `areas` are the features' geodesic areas, needed
    /// for values per km².
    pub fn of(layer: &Layer, areas: &[Area], spec: &Graduated) -> Self {
        let values: Vec<Option<f64>> = layer
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let v = f.property_number(&spec.field)?;
                if spec.per_km2 {
                    let km2 = areas.get(i)?.km2();
                    (km2 > 0.0).then(|| v / km2)
                } else {
                    Some(v)
                }
            })
            .collect();
        let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
        sorted.sort_by(f64::total_cmp);
        let uppers = breaks(&sorted, spec.method, spec.classes.clamp(2, MAX_CLASSES));
        let n = uppers.len();
        let mut classes: Vec<Class> = uppers
            .iter()
            .enumerate()
            .map(|(i, &upper)| Class {
                lower: if i == 0 { sorted[0] } else { uppers[i - 1] },
                upper,
                fill: ramp(i, n),
                count: 0,
            })
            .collect();
        let mut no_data = 0;
        for v in &values {
            match v.and_then(|v| class_of(&uppers, v)) {
                Some(i) => classes[i].count += 1,
                None => no_data += 1,
            }
        }
        Classes {
            spec: spec.clone(),
            classes,
            values,
            no_data,
        }
    }

    /// The fill for feature `index`: its class's colour, or [`NO_DATA_FILL`].
    pub fn fill_for(&self, index: usize) -> Rgba {
        let uppers: Vec<f64> = self.classes.iter().map(|c| c.upper).collect();
        self.values
            .get(index)
            .copied()
            .flatten()
            .and_then(|v| class_of(&uppers, v))
            .map_or(NO_DATA_FILL, |i| self.classes[i].fill)
    }
}

/// The upper bound of each class, from sorted values; repeated bounds are merged, so a field
/// with few distinct values gets fewer classes.
pub fn breaks(sorted: &[f64], method: ClassMethod, classes: usize) -> Vec<f64> {
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let n = sorted.len();
    let mut uppers: Vec<f64> = (1..=classes)
        .map(|i| match method {
            _ if i == classes => max,
            // The value at the i/k quantile: class i holds the next n/k sorted values.
            ClassMethod::Quantiles => sorted[(i * n).div_ceil(classes).max(1) - 1],
            ClassMethod::EqualIntervals => min + (max - min) * i as f64 / classes as f64,
        })
        .collect();
    uppers.dedup();
    uppers
}

/// The class a value falls in: the first whose upper bound is at least the value.
fn class_of(uppers: &[f64], v: f64) -> Option<usize> {
    if !v.is_finite() {
        return None;
    }
    let i = uppers.partition_point(|&u| u < v);
    // The top bound is the maximum; a value above it (rounding) still belongs to the top class.
    Some(i.min(uppers.len().checked_sub(1)?))
}

/// The properties that hold a number on at least one feature: the choices for graduated
/// colours. Strings count when they read as a number with a decimal point or thousands
/// separator ("1,234.5"); plain digit strings are taken for codes (`320505001`), not figures.
pub fn numeric_field_names(layer: &Layer) -> Vec<String> {
    let figure = |v: &serde_json::Value| match v {
        serde_json::Value::Number(_) => true,
        serde_json::Value::String(s) => {
            (s.contains('.') || s.contains(',')) && s.trim().replace(',', "").parse::<f64>().is_ok()
        }
        _ => false,
    };
    let names: std::collections::BTreeSet<&String> = layer
        .features
        .iter()
        .flat_map(|f| {
            f.properties
                .iter()
                .filter(|(_, v)| figure(v))
                .map(|(k, _)| k)
        })
        .collect();
    names.into_iter().cloned().collect()
}

/// The property names found on a layer's features, sorted: the choices for label and category
/// fields.
pub fn field_names(layer: &Layer) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = layer
        .features
        .iter()
        .flat_map(|f| f.properties.keys())
        .collect();
    names.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Feature;
    use serde_json::json;

    fn feature(kind: Option<&str>) -> Feature {
        let mut props = serde_json::Map::new();
        if let Some(k) = kind {
            props.insert("kind".into(), json!(k));
        }
        Feature::new("x".into(), "x".into(), props, None)
    }

    #[test]
    fn categories_are_sorted_counted_and_coloured_apart() {
        let layer = Layer::new(
            "t",
            Role::Units,
            vec![
                feature(Some("街道")),
                feature(Some("镇")),
                feature(Some("街道")),
                feature(None),
            ],
        );
        let cats = Categories::of(&layer, "kind");
        let values: Vec<_> = cats
            .entries
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect();
        assert_eq!(values, [(NO_VALUE, 1), ("街道", 2), ("镇", 1)]);
        assert_ne!(cats.fill_for(Some("镇")), cats.fill_for(Some("街道")));
        assert_eq!(cats.fill_for(None), Some(cats.entries[0].fill));
        assert_eq!(cats.fill_for(Some("乡")), None);
    }

    fn valued(values: &[Option<f64>]) -> Layer {
        let features = values
            .iter()
            .map(|v| {
                let mut props = serde_json::Map::new();
                if let Some(v) = v {
                    props.insert("gdp".into(), json!(v));
                }
                props.insert("code".into(), json!("320505001"));
                Feature::new("x".into(), "x".into(), props, None)
            })
            .collect();
        Layer::new("t", Role::Zones, features)
    }

    #[test]
    fn quantile_breaks_split_the_sorted_values_evenly() {
        let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            breaks(&sorted, ClassMethod::Quantiles, 5),
            [2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(breaks(&sorted, ClassMethod::Quantiles, 3), [4.0, 7.0, 10.0]);
        // Repeated values give fewer classes rather than empty ones.
        assert_eq!(
            breaks(&[1.0, 1.0, 1.0, 1.0, 9.0], ClassMethod::Quantiles, 4),
            [1.0, 9.0]
        );
    }

    #[test]
    fn equal_interval_breaks_span_equal_ranges() {
        assert_eq!(
            breaks(&[0.0, 1.0, 100.0], ClassMethod::EqualIntervals, 4),
            [25.0, 50.0, 75.0, 100.0]
        );
    }

    #[test]
    fn classes_count_features_and_leave_missing_values_grey() {
        let layer = valued(&[Some(5.0), Some(1.0), None, Some(3.0), Some(10.0)]);
        let spec = Graduated {
            field: "gdp".into(),
            method: ClassMethod::EqualIntervals,
            classes: 3,
            per_km2: false,
        };
        let c = Classes::of(&layer, &[], &spec);
        let counts: Vec<_> = c
            .classes
            .iter()
            .map(|c| (c.lower, c.upper, c.count))
            .collect();
        assert_eq!(counts, [(1.0, 4.0, 2), (4.0, 7.0, 1), (7.0, 10.0, 1)]);
        assert_eq!(c.no_data, 1);
        assert_eq!(c.fill_for(2), NO_DATA_FILL);
        assert_eq!(c.fill_for(1), c.fill_for(3));
        assert_ne!(c.fill_for(0), c.fill_for(4));
    }

    #[test]
    fn per_km2_divides_by_the_geodesic_area() {
        let layer = valued(&[Some(100.0), Some(100.0)]);
        let areas = [Area::from_m2(4e6), Area::from_m2(0.0)];
        let spec = Graduated {
            field: "gdp".into(),
            per_km2: true,
            ..Graduated::default()
        };
        let c = Classes::of(&layer, &areas, &spec);
        assert_eq!(c.values, [Some(25.0), None]);
    }

    #[test]
    fn codes_are_not_offered_as_figures() {
        let layer = valued(&[Some(1.5)]);
        assert_eq!(numeric_field_names(&layer), ["gdp"]);
    }

    #[test]
    fn few_zones_each_get_a_colour_of_their_own_even_apart() {
        use geo::{MultiPolygon, Rect, coord};
        // Eight squares far apart (no neighbours at all): eight colours, none twice.
        let features: Vec<Feature> = (0..8)
            .map(|i| {
                let x = f64::from(i);
                let rect = Rect::new(coord! { x: x, y: 0.0 }, coord! { x: x + 0.1, y: 0.1 });
                let mut props = serde_json::Map::new();
                props.insert("name".into(), json!(format!("z{i}")));
                Feature::new(
                    format!("z{i}"),
                    format!("z{i}"),
                    props,
                    Some(MultiPolygon(vec![rect.to_polygon()]).into()),
                )
            })
            .collect();
        let layer = Layer::new("zones", Role::Zones, features);
        let style = LayerStyle::for_role(Role::Zones, 0);
        let fills: Vec<_> = Thematic::of(&layer, &style, &[]).fills(&layer);
        for i in 0..8 {
            for j in i + 1..8 {
                assert_ne!(fills[i], fills[j], "z{i} and z{j}");
            }
        }
    }

    #[test]
    fn distinct_colours_never_repeat_across_a_shared_edge_or_corner() {
        use geo::{MultiPolygon, Rect, coord};
        // A 4 × 4 grid of squares: each touches up to eight others (edges and corners).
        let mut features = Vec::new();
        for row in 0..4 {
            for col in 0..4 {
                let (x, y) = (f64::from(col) * 0.1, f64::from(row) * 0.1);
                let rect = Rect::new(coord! { x: x, y: y }, coord! { x: x + 0.1, y: y + 0.1 });
                let mut props = serde_json::Map::new();
                let name = format!("z{row}{col}");
                props.insert("name".into(), json!(name.clone()));
                features.push(Feature::new(
                    name.clone(),
                    name,
                    props,
                    Some(MultiPolygon(vec![rect.to_polygon()]).into()),
                ));
            }
        }
        let layer = Layer::new("zones", Role::Zones, features);
        let style = LayerStyle::for_role(Role::Zones, 0);
        let fills = Thematic::of(&layer, &style, &[]).fills(&layer);
        let at = |r: i32, c: i32| fills[(r * 4 + c) as usize].expect("a fill");
        for r in 0..4 {
            for c in 0..4 {
                for (dr, dc) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
                    let (r2, c2) = (r + dr, c + dc);
                    if (0..4).contains(&r2) && (0..4).contains(&c2) {
                        assert_ne!(at(r, c), at(r2, c2), "z{r}{c} and z{r2}{c2}");
                    }
                }
            }
        }
        // Sixteen squares over eight colours: the colours are spread (each twice), repeating
        // only between squares that share nothing.
        let used: std::collections::BTreeSet<[u8; 4]> =
            fills.iter().flatten().map(|f| f.0).collect();
        assert_eq!(used.len(), 8, "{used:?}");
    }
}
