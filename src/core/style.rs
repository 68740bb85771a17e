//! How a layer is drawn: fill, outline, labels and colouring by category.
//!
//! Shared by the window and the exporter, so a saved style looks the same in both.

use std::collections::BTreeMap;

use crate::core::model::{Layer, Role};

/// Noto Sans SC (a subset: all of GB2312 plus every character of the bundled data; SIL OFL 1.1,
/// licence in `assets/OFL.txt`): the font for Chinese labels in the window and in exports.
pub static CJK_FONT_OTF: &[u8] = include_bytes!("../../assets/NotoSansSC-Regular-subset.otf");

/// An sRGB colour with alpha, 0–255 per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba([r, g, b, 255])
    }
}

/// A layer's drawing style.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LayerStyle {
    pub visible: bool,
    pub fill: Rgba,
    /// Fill opacity, 0 (outline only) to 1.
    pub fill_opacity: f32,
    pub outline: Rgba,
    /// Outline width in screen points.
    pub outline_width: f32,
    /// Property whose text labels each feature; `None` draws no labels.
    pub label_field: Option<String>,
    /// Property whose values each get their own fill colour; `None` fills every feature alike.
    pub category_field: Option<String>,
}

impl Default for LayerStyle {
    fn default() -> Self {
        LayerStyle::for_role(Role::Context, 0)
    }
}

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
    /// A first style for a layer loaded with this role; `nth` varies the colour between layers.
    pub fn for_role(role: Role, nth: usize) -> Self {
        let (fill, fill_opacity, outline, outline_width) = match role {
            Role::Zones => (Rgba::rgb(230, 97, 1), 0.25, Rgba::rgb(166, 54, 3), 2.5),
            Role::Units => (
                UNIT_FILLS[nth % UNIT_FILLS.len()],
                0.55,
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
        }
    }
}

/// The distinct values of a field, each with its colour: what a legend lists and what the
/// map fills with. Sorted by value; features without the field are "(none)".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Categories {
    pub field: String,
    pub entries: Vec<Category>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    pub value: String,
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
}
