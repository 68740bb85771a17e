//! Everything the planner can change in a session, as values, and what applying one asks of
//! the window. Panels and the map emit commands during a frame; [`super::Session::apply`]
//! carries them out once, after the frame's UI is laid out.

use std::path::PathBuf;

use crate::core::Role;
use crate::core::style::LayerStyle;

use super::history::Edit;
use super::layer::{FeatureRef, LayerKey};
use crate::core::lang::Lang;

/// Where a dissolve's result goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DissolveInto {
    /// A layer of its own, above the others.
    NewLayer,
    /// The proposals (made first if there are none): their features become the result.
    Proposals,
}

/// A change to the session.
#[must_use = "a command does nothing until the session applies it"]
#[derive(Clone, Debug)]
pub enum Command {
    /// Load files as new layers, in the background.
    OpenFiles(Vec<PathBuf>),
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
    /// Write text to a file, atomically.
    SaveText {
        path: PathBuf,
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
    /// Zoom to an extent, `[west, south, east, north]` in degrees, with a margin around it.
    ZoomToExtent([f64; 4]),
    SetLang(Lang),
    /// Change the proposals (made from the zones layer first if there are none yet).
    Edit(Edit),
    Undo,
    Redo,
    /// Start proposals as a copy of this layer, else of the zones layer.
    NewProposals(Option<LayerKey>),
    /// Dissolve a layer's polygons by a field's value, into a new layer or the proposals
    /// (undoable); the gaps and overlaps between members are kept for the window to list.
    Dissolve {
        layer: LayerKey,
        field: String,
        into: DissolveInto,
    },
    /// Close the list of what the last dissolve made.
    DismissDissolveReport,
    /// Save the project: to this path, else to the file it came from, else ask where
    /// ([`Request::SaveProjectPath`]).
    SaveProject(Option<PathBuf>),
    /// Open a project (replacing what is open).
    OpenProject(PathBuf),
    /// Write the proposals as GeoJSON: to this path, else ask where
    /// ([`Request::SaveProposalsPath`]).
    ExportProposals(Option<PathBuf>),
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
    /// Split a just-opened file into one layer per value of the offered field
    /// ([`super::Session::split_offers`], by place), as [`Command::SplitLayer`] does.
    AcceptSplitOffer(usize),
    /// Keep the file as one layer.
    DismissSplitOffer(usize),
    /// Open these tables (a zip's Shapefiles) of a file, one layer each.
    OpenTables(PathBuf, Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveDirection {
    Up,
    Down,
}

/// What applying a command asks of the window: things only the chrome can do. An empty list
/// asks nothing.
#[must_use = "the window must carry out what a command asks of it"]
#[derive(Debug, Default, PartialEq)]
pub struct Effects {
    /// What to do, in order.
    pub requests: Vec<Request>,
}

impl Effects {
    /// Nothing to do.
    pub fn none() -> Self {
        Effects::default()
    }

    /// One thing to do.
    pub fn one(request: Request) -> Self {
        Effects {
            requests: vec![request],
        }
    }

    /// Adds what another command asked.
    pub fn extend(&mut self, other: Effects) {
        self.requests.extend(other.requests);
    }
}

/// One thing the window must do after a command.
#[derive(Debug, PartialEq)]
pub enum Request {
    /// Ask where to save the project (no path was given and it has none yet), then save it
    /// with [`Command::SaveProject`].
    SaveProjectPath,
    /// Ask where to write the proposals, then write them with [`Command::ExportProposals`].
    SaveProposalsPath,
    /// A file of several tables (a GeoPackage, a zip of Shapefiles) was opened: ask which to
    /// load, then load them with [`Command::OpenTables`].
    PickTables {
        /// The file.
        path: PathBuf,
        /// Its tables, in the file's order.
        tables: Vec<String>,
    },
    /// The layers were replaced (a project opened): drop whatever a tool was in the middle of,
    /// and take the panels' settings from [`super::Session::panels`].
    Reset,
    /// A layer's features were replaced (an edit, undo, redo, a layer read again): drop a
    /// vertex drag or hover that may point at a feature that is gone.
    LayerChanged(LayerKey),
}
