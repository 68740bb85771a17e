//! What panels and the map emit during a frame: a session [`Command`], or a
//! [`WindowCommand`] for what only the window does (its dialogs, the clipboard, the tools,
//! closing). [`super::app::ZonemapApp::apply`] carries them out once, after the frame's UI is
//! laid out.

pub use crate::session::command::{Command, MoveDirection};
use crate::session::layer::LayerKey;

/// What only the window does.
#[derive(Clone, Debug)]
pub enum WindowCommand {
    /// Ask for files with the system's file dialog, then open them.
    ShowOpenDialog,
    /// Put text on the clipboard.
    CopyText(String),
    /// Ask where to save text with the system's file dialog, then write it.
    SaveTextAs {
        /// The file name offered.
        file_name: String,
        /// What to write.
        contents: String,
    },
    /// Pick the map's tool.
    SetTool(Tool),
    /// Ask where to save the project, then save it there.
    SaveProjectAs,
    /// Open the map export dialog.
    ShowExportDialog,
    /// Write the map sheet as the export dialog's settings say.
    ExportMap,
    /// Open File > Export layer, with this layer chosen.
    ShowLayerExport(Option<LayerKey>),
    /// Write the layer as the export-layer dialog says.
    ExportLayer,
    /// Open Dissolve by field on a layer.
    ShowDissolve(LayerKey),
    /// Show or hide the layers panel.
    ShowLayersPanel(bool),
    /// Show or hide the details (proposals and selection) under the layers.
    ShowSidePanel(bool),
    /// Draw the map's layers into tiles on a worker thread and pan over them (on), or send
    /// every vertex to egui each frame (off).
    DrawMapAsTiles(bool),
    /// Close the window, asking first if there are unsaved edits.
    Quit,
    /// Close the window without asking.
    CloseNow,
    /// Close the window if nothing is left unsaved (after a save that may have failed).
    CloseIfSaved,
    /// Ask where to save the project, then save it and close.
    SaveThenClose,
}

/// One queued command.
#[derive(Clone, Debug)]
pub enum Queued {
    /// For the session.
    Session(Command),
    /// For the window.
    Window(WindowCommand),
}

impl From<Command> for Queued {
    fn from(c: Command) -> Self {
        Queued::Session(c)
    }
}

impl From<WindowCommand> for Queued {
    fn from(c: WindowCommand) -> Self {
        Queued::Window(c)
    }
}

/// The frame's commands, in the order they were emitted.
#[derive(Debug, Default)]
pub struct Commands(Vec<Queued>);

impl Commands {
    /// Queues a command of either kind.
    pub fn push(&mut self, command: impl Into<Queued>) {
        self.0.push(command.into());
    }

    /// Queues several.
    pub fn extend<C: Into<Queued>>(&mut self, commands: impl IntoIterator<Item = C>) {
        self.0.extend(commands.into_iter().map(Into::into));
    }

    /// Queues another queue's commands after these.
    pub fn append(&mut self, mut other: Commands) {
        self.0.append(&mut other.0);
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The commands, emptying the queue.
    pub fn take(&mut self) -> Vec<Queued> {
        std::mem::take(&mut self.0)
    }

    /// Whether any queued command matches.
    pub fn any(&self, f: impl Fn(&Queued) -> bool) -> bool {
        self.0.iter().any(f)
    }
}

/// A path the window asks for with a file dialog.
#[derive(Clone, Debug)]
pub enum PathFor {
    /// The project file.
    Project,
    /// The proposals as GeoJSON.
    Proposals,
}

impl PathFor {
    /// The file name and filter offered.
    pub fn offer(&self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            PathFor::Project => ("plan.zonemap", "zonemap", &["zonemap"]),
            PathFor::Proposals => ("proposals.geojson", "GeoJSON", &["geojson"]),
        }
    }
}

/// What a click on the map does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Select features (Shift adds, Alt picks the one underneath).
    #[default]
    Select,
    /// Click the corners of a new zone; double-click or Enter finishes, Escape cancels.
    Draw,
    /// Click along a line across zones; double-click or Enter cuts them.
    Split,
    /// Drag a selected proposal's vertices, pull midpoints out, right-click or Delete to remove.
    Vertices,
}
