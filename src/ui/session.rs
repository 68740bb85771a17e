//! What the window remembers between runs: language, layers with their roles and styles, and
//! the view. eframe keeps it in its app storage (a RON file in the user's data directory).

use crate::core::Role;
use crate::core::style::LayerStyle;

use super::document::LayerSource;
use super::i18n::Lang;
use super::map_view::MapMemory;

pub const SESSION_KEY: &str = "zonemap.session";

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SavedSession {
    pub lang: Option<Lang>,
    /// Top of the map first.
    pub layers: Vec<SavedLayer>,
    pub map: MapMemory,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SavedLayer {
    pub source: LayerSource,
    pub role: Role,
    pub style: LayerStyle,
    pub name: String,
    pub crs: String,
}
