//! What the window remembers between runs, and what a project file holds for it: the core's
//! [`Project`](crate::core::project::Project) (layers, roles, styles, coverage layers, view,
//! proposals) plus [`WindowState`], kept in the project's `window` member. eframe keeps the last
//! session as a project in its app storage; File > Save project writes one to a file.

use std::path::PathBuf;

use crate::core::lang::Lang;

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
    pub export: Option<ExportSettings>,
    /// The panels' sizes and which are shown.
    pub layout: Option<PanelLayout>,
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
            layout: None,
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

/// What part of the map the sheet shows.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ExtentChoice {
    /// What the window shows now.
    #[default]
    View,
    /// Every visible layer.
    All,
    /// One layer, by its name.
    Layer(String),
    /// The selected features.
    Selection,
}

/// The dialog's settings, remembered with the session so that the next export is one click.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExportSettings {
    pub path: String,
    pub size_px: [u32; 2],
    pub dpi: f32,
    pub title: String,
    pub extent: ExtentChoice,
    pub legend: bool,
    pub scale_bar: bool,
    pub north_arrow: bool,
    pub labels: bool,
    pub source: bool,
    /// The source line's text; empty for the automatic one (sources, datum, date).
    pub source_text: String,
}

impl Default for ExportSettings {
    fn default() -> Self {
        let dir = std::env::home_dir().unwrap_or_default();
        ExportSettings {
            path: dir.join("zonemap-map.png").display().to_string(),
            size_px: [1600, 1200],
            dpi: 96.0,
            title: String::new(),
            extent: ExtentChoice::View,
            legend: true,
            scale_bar: true,
            north_arrow: true,
            labels: true,
            source: true,
            source_text: String::new(),
        }
    }
}

/// The coverage dock's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    /// One row per unit: its area, status and the zones over it.
    #[default]
    Coverage,
    /// Zones against units: the share of each unit in each zone.
    Matrix,
    /// Where zones overlap each other.
    Overlaps,
    /// Pilot zones and the units they add.
    Pilots,
    /// The proposals against the zones they started from.
    Scenario,
}

/// Zone overlaps smaller than this (m²) are listed as slivers, by default: one hectare.
pub const DEFAULT_SLIVER_M2: f64 = 10_000.0;

/// The window's map: the viewport, whether it has been fitted to the data yet, and its size.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct MapMemory {
    /// Where the map looks and at what scale.
    pub viewport: crate::core::view::Viewport,
    /// Whether the view has been fitted to the data (or restored) yet.
    pub fitted: bool,
    /// The map's size in points at the last frame, for zoom commands.
    #[serde(skip)]
    pub size_px: [f64; 2],
    /// The corner the map's legend was drawn in last frame, where it stays while that corner
    /// hides little more than the best.
    #[serde(skip)]
    pub legend_corner: Option<crate::core::render::furniture::Corner>,
}

/// The window's panel settings that are kept with the session and its projects: the window
/// hands them over before the session is saved, and takes them back after a project opens
/// ([`super::command::Request::Reset`]).
#[derive(Clone, Debug, PartialEq)]
pub struct PanelSettings {
    /// The coverage dock's tab.
    pub analysis_tab: Tab,
    /// Zone overlaps below this area (m²) are slivers.
    pub sliver_max_m2: f64,
    /// The map export dialog's settings.
    pub export: ExportSettings,
    /// The panels' sizes and which are shown.
    pub layout: PanelLayout,
}

/// The panels around the map: their sizes, as the user dragged them, and which are shown. The
/// map keeps the rest of the window.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PanelLayout {
    /// The left-hand column's width (the layers above, the details below), points.
    pub layers_width: f32,
    /// The details' (proposals and selection) height at the foot of the left-hand column,
    /// points, as the user dragged it; 0 until then (half the column).
    pub details_height: f32,
    /// The coverage dock's height, points, as the user dragged it; 0 until then (a quarter of
    /// the window, at most 240 points).
    pub dock_height: f32,
    /// Whether the layers are shown in the left-hand column.
    pub show_layers: bool,
    /// Whether the details (proposals and selection) are shown in the left-hand column.
    pub show_side: bool,
}

impl Default for PanelLayout {
    fn default() -> Self {
        PanelLayout {
            layers_width: 270.0,
            details_height: 0.0,
            dock_height: 0.0,
            show_layers: true,
            show_side: true,
        }
    }
}

impl Default for PanelSettings {
    fn default() -> Self {
        PanelSettings {
            analysis_tab: Tab::default(),
            sliver_max_m2: DEFAULT_SLIVER_M2,
            export: ExportSettings::default(),
            layout: PanelLayout::default(),
        }
    }
}
