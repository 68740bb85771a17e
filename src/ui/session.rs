//! What the window remembers between runs: language, layers with their roles and styles, and
//! the view. eframe keeps it in its app storage (a RON file in the user's data directory).

use crate::core::Role;
use crate::core::model::LayerFilter;
use crate::core::style::LayerStyle;

use super::analysis_panel::Tab;
use super::document::LayerSource;
use super::i18n::Lang;
use super::map_view::MapMemory;
use super::overlaps_view::DEFAULT_SLIVER_M2;

pub const SESSION_KEY: &str = "zonemap.session";

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SavedSession {
    pub lang: Option<Lang>,
    /// Top of the map first.
    pub layers: Vec<SavedLayer>,
    pub map: MapMemory,
    pub coverage_map: bool,
    pub show_analysis: bool,
    pub sliver_max_m2: f64,
    pub analysis_tab: Tab,
    /// The coverage analysis' zones and units layers, by their place in `layers`.
    pub coverage_zones: Option<usize>,
    pub coverage_units: Option<usize>,
}

impl Default for SavedSession {
    fn default() -> Self {
        SavedSession {
            lang: None,
            layers: Vec::new(),
            map: MapMemory::default(),
            coverage_map: false,
            show_analysis: true,
            sliver_max_m2: DEFAULT_SLIVER_M2,
            analysis_tab: Tab::default(),
            coverage_zones: None,
            coverage_units: None,
        }
    }
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SavedLayer {
    pub source: LayerSource,
    pub role: Role,
    pub style: LayerStyle,
    pub name: String,
    pub crs: String,
    #[serde(default)]
    pub filter: Option<LayerFilter>,
}
