//! Everything the user can change, as values. Panels and the map emit commands during a frame;
//! [`super::app::ZonemapApp::apply`] carries them out once, after the frame's UI is laid out.

use std::path::PathBuf;

use crate::core::Role;
use crate::core::style::LayerStyle;

use super::document::{FeatureRef, LayerKey};
use super::edit::Edit;
use super::i18n::Lang;
use super::tools::Tool;

#[derive(Clone, Debug)]
pub enum Command {
    /// Load files as new layers, in the background.
    OpenFiles(Vec<PathBuf>),
    /// Ask for files with the system's file dialog.
    ShowOpenDialog,
    /// Add the bundled data again.
    OpenBundled,
    RemoveLayer(LayerKey),
    /// Move a layer up (towards the top, drawn last) or down the list.
    MoveLayer(LayerKey, MoveDirection),
    SetRole(LayerKey, Role),
    /// Use a layer as the zones (or units) of the coverage analysis: it takes that role and is
    /// shown.
    SetCoverageLayer(Role, LayerKey),
    /// Colour the units by coverage status and draw zone overlaps, or go back to the styles.
    SetCoverageMap(bool),
    /// Show or hide the coverage dock.
    ShowAnalysisPanel(bool),
    /// Add one layer per value of a property of a layer (say, cities and districts from one
    /// file), each read from the same source through a filter.
    SplitLayer(LayerKey, String),
    /// Put text on the clipboard.
    CopyText(String),
    /// Write text to a file, atomically.
    SaveText {
        path: PathBuf,
        contents: String,
    },
    /// Ask where to save text with the system's file dialog, then write it.
    SaveTextAs {
        file_name: String,
        contents: String,
    },
    SetStyle(LayerKey, LayerStyle),
    /// Make a layer the one "zoom to layer" and new selections refer to.
    SetActiveLayer(LayerKey),
    /// Replace the selection.
    Select(Vec<FeatureRef>),
    /// Add a feature to the selection, or take it out if it is in.
    ToggleSelected(FeatureRef),
    ClearSelection,
    /// Zoom about the map's centre; above 1 zooms in.
    Zoom(f64),
    ZoomToAll,
    ZoomToLayer(LayerKey),
    ZoomToSelection,
    ZoomToFeature(FeatureRef),
    SetLang(Lang),
    /// Change the proposals (made from the zones layer first if there are none yet).
    Edit(Edit),
    Undo,
    Redo,
    /// Pick the map's tool.
    SetTool(Tool),
    /// Start proposals as a copy of this layer, else of the zones layer.
    NewProposals(Option<LayerKey>),
    /// Save the project: to this path, else to the file it came from, else ask where.
    SaveProject(Option<PathBuf>),
    /// Ask where to save the project.
    SaveProjectAs,
    /// Open a project (replacing what is open).
    OpenProject(PathBuf),
    /// Write the proposals as GeoJSON: to this path, else ask where.
    ExportProposals(Option<PathBuf>),
    /// Open the map export dialog.
    ShowExportDialog,
    /// Write the map sheet as the export dialog's settings say.
    ExportMap,
    /// Restore the edits found in the recovery file at start, or throw them away.
    RestoreRecovery,
    DiscardRecovery,
    DismissError(usize),
    /// Set a feature's official (published) area in km², or clear it with `None`.
    SetOfficialArea(FeatureRef, Option<f64>),
    /// The snapping tolerance in metres, for the coverage analysis and merges.
    SetSnap(f64),
    /// Read a file layer again in place, with another text encoding or coordinate system
    /// (`None`: as it was read).
    RereadLayer {
        key: LayerKey,
        encoding: Option<String>,
        crs: Option<String>,
    },
    /// Load the file of a coordinate-system prompt with the system typed into it.
    RetryWithCrs(usize),
    DismissCrsPrompt(usize),
    /// Open these tables (a zip's Shapefiles) of a file, one layer each.
    OpenTables(PathBuf, Vec<String>),
    /// Open File > Export layer, with this layer chosen.
    ShowLayerExport(Option<LayerKey>),
    /// Write the layer as the export-layer dialog says.
    ExportLayer,
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveDirection {
    Up,
    Down,
}
