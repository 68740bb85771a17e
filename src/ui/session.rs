//! What the window remembers between runs, and what a project file holds for it: the core's
//! [`Project`](crate::core::project::Project) (layers, roles, styles, coverage layers, view,
//! proposals) plus [`WindowState`], kept in the project's `window` member. eframe keeps the last
//! session as a project in its app storage; File > Save project writes one to a file.

use std::path::PathBuf;

use super::analysis_panel::Tab;
use super::i18n::Lang;
use super::overlaps_view::DEFAULT_SLIVER_M2;

/// The key of the last session in eframe's storage.
pub const SESSION_KEY: &str = "zonemap.project";

/// The window's own part of a project.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct WindowState {
    pub lang: Option<Lang>,
    pub coverage_map: bool,
    pub show_analysis: bool,
    pub sliver_max_m2: f64,
    pub analysis_tab: Tab,
    /// The project file this was last saved to or opened from.
    pub project_path: Option<PathBuf>,
    /// Edits made since that file was saved (in a recovery file: how many it recovers).
    pub unsaved_edits: u64,
    /// The map's size in points, so that `zonemap export` on the project shows what the
    /// window showed.
    pub map_size: Option<[f64; 2]>,
    /// The map export dialog's last settings.
    pub export: Option<super::export_dialog::ExportSettings>,
}

impl Default for WindowState {
    fn default() -> Self {
        WindowState {
            lang: None,
            coverage_map: false,
            show_analysis: true,
            sliver_max_m2: DEFAULT_SLIVER_M2,
            analysis_tab: Tab::default(),
            project_path: None,
            unsaved_edits: 0,
            map_size: None,
            export: None,
        }
    }
}

impl WindowState {
    /// Reads it from a project's `window` member; anything missing or unreadable is the
    /// default.
    pub fn from_value(value: &serde_json::Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
