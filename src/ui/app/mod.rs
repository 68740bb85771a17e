//! The zonemap window: chrome around a [`Session`]. Each frame it polls the session, lays out
//! the panels and the map (`frame.rs`), which read the session and emit commands, then applies
//! them: session commands with [`Session::apply`], whose [`Effects`] it carries out, and the
//! window's own ([`WindowCommand`]: dialogs, clipboard, tools, closing) here.

mod frame;

use std::path::PathBuf;

use egui::{Pos2, Rect};
use geo::Coord;

use crate::core::project::Project;
use crate::core::view::world_from_lonlat;
use crate::session::command::{Effects, Request};
use crate::session::layer::FeatureRef;
use crate::session::state::{PanelSettings, SESSION_KEY, WindowState};
use crate::session::{Repaint, Session, is_project};

use super::analysis_panel::AnalysisPanel;
use super::command::{Command, Commands, PathFor, Queued, WindowCommand};
use super::edit_panel::EditPanel;
use super::export_dialog;
use super::i18n::Lang;
use super::selection_panel::SelectionPanel;
use super::tools::{Tool, ToolState};

/// Keeps the text of a saved session that cannot be read in a file of its own (beside the
/// recovery file, else in the temporary folder), and says so in one line.
fn keep_unreadable_session(
    text: &str,
    error: &crate::core::project::ProjectError,
    startup: &Startup,
) -> String {
    let dir = startup
        .recovery
        .as_ref()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let path = dir.join(format!("unreadable-session-{stamp}.zonemap"));
    let kept = std::fs::create_dir_all(&dir)
        .and_then(|()| crate::core::io::write_atomic(&path, text.as_bytes()));
    match kept {
        Ok(()) => format!(
            "the last session could not be read ({error}); it is kept in {} and this one starts afresh",
            path.display()
        ),
        Err(e) => format!(
            "the last session could not be read ({error}), nor kept in {} ({e}); this one starts afresh",
            path.display()
        ),
    }
}

/// Where the window's panels were drawn in the last frame, in points; `None` for a panel not
/// shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelRects {
    /// The left-hand column: the layers and the details.
    pub column: Option<Rect>,
    /// The details (proposals and selection) at the foot of the column.
    pub details: Option<Rect>,
    /// The coverage dock at the foot of the window.
    pub dock: Option<Rect>,
    /// The map's column: the toolbar, the notices and the map.
    pub map_column: Rect,
}

impl Default for PanelRects {
    fn default() -> Self {
        PanelRects {
            column: None,
            details: None,
            dock: None,
            map_column: Rect::NOTHING,
        }
    }
}

/// How the window starts.
#[derive(Clone, Debug)]
pub struct Startup {
    /// Files to open instead of the bundled data or the last session.
    pub files: Vec<PathBuf>,
    /// The interface language; the saved choice, else the system locale, when `None`.
    pub lang: Option<Lang>,
    /// Whether to restore the last session's layers, styles and view.
    pub restore: bool,
    /// Whether to open the bundled data when there are no files and no session to restore.
    pub bundled: bool,
    /// Where unsaved edits are autosaved, and looked for at start; none keeps no recovery
    /// file.
    pub recovery: Option<PathBuf>,
}

impl Startup {
    /// How `zonemap` starts the window (`ui::run`): the given files, else the last session,
    /// else the bundled data; the system's language the first time; unsaved edits autosaved
    /// to [`recovery_path`] and offered back after a crash.
    pub fn shipped(files: Vec<PathBuf>) -> Self {
        Startup {
            files,
            recovery: recovery_path(),
            ..Startup::default()
        }
    }
}

impl Default for Startup {
    fn default() -> Self {
        Startup {
            files: Vec::new(),
            lang: None,
            restore: true,
            bundled: true,
            recovery: None,
        }
    }
}

/// Where the window's recovery file goes: beside eframe's own storage.
pub fn recovery_path() -> Option<PathBuf> {
    eframe::storage_dir("zonemap").map(|d| d.join("recovery.zonemap"))
}

/// The window: the session, and what only the window keeps (panels, dialogs, tools, hover).
pub struct ZonemapApp {
    /// What is open and what has been done to it.
    pub session: Session,
    /// The feature under the pointer.
    pub hovered: Option<FeatureRef>,
    /// The coverage dock: its tab, and each view's sorting, filters and settings.
    pub analysis_panel: AnalysisPanel,
    /// Where the map was drawn last frame, in points.
    pub map_rect: Rect,
    /// The map's tool and what it is in the middle of.
    pub tools: ToolState,
    /// The map export dialog, with its settings.
    pub export: super::export_dialog::ExportDialog,
    /// A file of several layers being opened: which of them to open.
    pub table_picker: Option<super::layer_files::TablePicker>,
    /// File > Export layer.
    pub layer_export: super::layer_files::LayerExportDialog,
    /// Dissolve by field, and the list of what the last dissolve made.
    pub dissolve: super::dissolve_dialog::DissolveDialog,
    /// Where to save, being typed (Save project as, or a save that had no path).
    pub save_dialog: Option<super::save_dialog::SaveDialog>,
    /// Whether the window is asking what to do with unsaved edits before it closes.
    pub quit_prompt: bool,
    /// Set once the user chose to close: the next close request goes through.
    closing: bool,
    /// The map's labels as drawn last frame, for picking a zone by its label.
    labels_drawn: Vec<(Rect, FeatureRef)>,
    label_memory: super::labels::LabelMemory,
    /// The map's outlines, stroked once per scale.
    outlines: super::outlines::OutlineCache,
    /// The map's layers drawn as tiles, moved while the map pans.
    pub tiles: super::map_tiles::MapTiles,
    /// The panels' sizes and which are shown, kept with the session.
    pub layout: crate::session::state::PanelLayout,
    /// Bumped when the window's size changes, so that the panels start afresh from `layout`.
    panel_epoch: u64,
    /// Where the panels were drawn in the last frame, points.
    pub panels: PanelRects,
    /// The window's size last frame, points.
    last_window: egui::Vec2,
    /// The map's legend, made again when what it shows changes.
    legend: super::furniture::LegendCache,
    commands: Commands,
    open_path: String,
    cursor_lonlat: Option<Coord<f64>>,
    selection_panel: SelectionPanel,
    edit_panel: EditPanel,
    project_path_text: String,
    export_path_text: String,
    title: String,
}

impl ZonemapApp {
    /// Lays the panels out afresh at these sizes (as a restored session does).
    pub fn set_layout(&mut self, layout: crate::session::state::PanelLayout) {
        self.layout = layout;
        self.panel_epoch += 1;
    }

    /// The app as eframe creates it: fonts installed, last session restored if asked.
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        Self::from_storage(&cc.egui_ctx, startup, cc.storage)
    }

    /// The app over eframe's storage (what `new` does with the storage eframe hands it): the
    /// last session is restored from it if asked. A session that cannot be read is not
    /// dropped: its text is kept in a file beside the recovery file (or in the temporary
    /// folder) and the window says where, in its error bar.
    pub fn from_storage(
        ctx: &egui::Context,
        startup: Startup,
        storage: Option<&dyn eframe::Storage>,
    ) -> Self {
        super::install_fonts(ctx);
        let text = if startup.restore {
            storage.and_then(|s| s.get_string(SESSION_KEY))
        } else {
            None
        };
        let mut problem = None;
        let saved = text.and_then(|text| {
            match Project::parse(text.as_bytes(), std::path::Path::new(SESSION_KEY)) {
                Ok(p) => Some(p),
                Err(e) => {
                    problem = Some(keep_unreadable_session(&text, &e, &startup));
                    None
                }
            }
        });
        let mut app = Self::with_session(ctx, startup, saved);
        if let Some(message) = problem {
            eprintln!("zonemap: {message}");
            app.session.errors.push(message);
        }
        app
    }

    /// The app over a given saved session (none for a first start).
    pub fn with_session(ctx: &egui::Context, startup: Startup, saved: Option<Project>) -> Self {
        let window = saved
            .as_ref()
            .map(|p| WindowState::from_value(&p.window))
            .unwrap_or_default();
        let lang = startup.lang.or(window.lang).unwrap_or_else(Lang::system);
        let repaint_ctx = ctx.clone();
        let repaint = Repaint::new(move |after| match after {
            None => repaint_ctx.request_repaint(),
            Some(delay) => repaint_ctx.request_repaint_after(delay),
        });
        let mut session = Session::new(lang, startup.recovery.clone(), repaint);
        session.panels.export = window.export.clone().unwrap_or_default();
        let mut app = ZonemapApp {
            session,
            hovered: None,
            analysis_panel: AnalysisPanel::default(),
            map_rect: Rect::NOTHING,
            tools: ToolState::default(),
            export: super::export_dialog::ExportDialog::with_settings(
                window.export.clone().unwrap_or_default(),
            ),
            table_picker: None,
            layer_export: Default::default(),
            dissolve: Default::default(),
            save_dialog: None,
            quit_prompt: false,
            closing: false,
            labels_drawn: Vec::new(),
            label_memory: Default::default(),
            outlines: Default::default(),
            tiles: Default::default(),
            layout: window.layout.unwrap_or_default(),
            legend: Default::default(),
            panel_epoch: 0,
            panels: PanelRects::default(),
            last_window: egui::Vec2::ZERO,
            commands: Commands::default(),
            open_path: String::new(),
            cursor_lonlat: None,
            selection_panel: SelectionPanel::default(),
            edit_panel: EditPanel::default(),
            project_path_text: String::new(),
            export_path_text: String::new(),
            title: String::new(),
        };
        app.session.find_recovery();
        let projects: Vec<&PathBuf> = startup.files.iter().filter(|p| is_project(p)).collect();
        let effects = match saved {
            _ if !projects.is_empty() => {
                app.session.apply(Command::OpenProject(projects[0].clone()))
            }
            _ if !startup.files.is_empty() => {
                app.session.apply(Command::OpenFiles(startup.files.clone()))
            }
            Some(saved) if !saved.layers.is_empty() => app.session.restore(saved),
            _ if startup.bundled => {
                app.session.open_bundled();
                Effects::none()
            }
            _ => Effects::none(),
        };
        app.carry_out(effects);
        app
    }

    /// Where a lon/lat is on screen, as last drawn.
    pub fn screen_pos(&self, lonlat: Coord<f64>) -> Pos2 {
        let map = &self.session.map;
        let [x, y] = map
            .viewport
            .screen_from_world(world_from_lonlat(lonlat), map.size_px);
        self.map_rect.min + egui::vec2(x as f32, y as f32)
    }

    /// The map as the window shows it, for the renderer (see [`export_dialog::sheet_map`]).
    pub fn sheet_map(&self) -> crate::core::render::SheetMap {
        export_dialog::sheet_map(&self.session)
    }

    /// The renderer's options for export settings `s` over `map`, with the window's view and
    /// selection (see [`export_dialog::sheet_options`]).
    pub fn sheet_options(
        &self,
        map: &crate::core::render::SheetMap,
        s: &crate::session::state::ExportSettings,
    ) -> crate::core::render::SheetOptions {
        export_dialog::sheet_options(&self.session, map, s)
    }

    /// What a click at `pos` (a point on screen) would pick, best first, as the map last drew
    /// it (see [`super::pick::pick`]).
    pub fn pick_at(&self, pos: Pos2) -> Vec<FeatureRef> {
        let to_screen = super::projector::ToScreen {
            viewport: self.session.map.viewport,
            size_px: self.session.map.size_px,
            min: self.map_rect.min,
        };
        super::pick::pick(&self.session.layers, &self.labels_drawn, pos, &to_screen)
    }

    /// Queues a command as if a panel had emitted it.
    pub fn push_command(&mut self, command: impl Into<Queued>) {
        self.commands.push(command);
    }

    /// The whole session as a project, with the window's panel settings.
    pub fn project(&self) -> Project {
        self.session.project_with(&self.panel_settings())
    }

    /// The panels' settings that are kept with projects.
    fn panel_settings(&self) -> PanelSettings {
        PanelSettings {
            analysis_tab: self.analysis_panel.tab,
            sliver_max_m2: self.analysis_panel.overlaps.sliver_max_m2,
            export: self.export.settings.clone(),
            layout: self.layout,
        }
    }

    /// Gives the session the panels' settings, which it keeps with projects.
    fn hand_over_panels(&mut self) {
        self.session.panels = self.panel_settings();
        self.session.scenario_wanted =
            self.analysis_panel.tab == super::analysis_panel::Tab::Scenario;
    }

    /// Collects finished loads, analyses and exports; never blocks.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.hand_over_panels();
        self.session.poll();
        for command in self.session.take_queued() {
            self.commands.push(command);
        }
        self.export.poll(&mut self.session, ctx);
        self.layer_export.poll(&mut self.session, ctx);
        for layer in &mut self.session.layers {
            frame::check_glyphs(layer, ctx);
        }
    }

    /// Carries out the frame's commands, in order.
    pub fn apply(&mut self, commands: Vec<Queued>, ctx: &egui::Context) {
        for command in commands {
            match command {
                Queued::Session(command) => {
                    let effects = self.session.apply(command);
                    self.carry_out(effects);
                }
                Queued::Window(command) => self.apply_window(command, ctx),
            }
        }
    }

    /// Does what a session command asked of the window.
    fn carry_out(&mut self, effects: Effects) {
        for request in effects.requests {
            match request {
                Request::SaveProjectPath => self.ask_path(PathFor::Project),
                Request::SaveProposalsPath => self.ask_path(PathFor::Proposals),
                Request::PickTables { path, tables } => {
                    self.table_picker = Some(super::layer_files::TablePicker {
                        path,
                        tables: tables.into_iter().map(|n| (n, true)).collect(),
                    });
                }
                Request::Reset => {
                    self.tools.set(Tool::Select);
                    self.hovered = None;
                    let panels = &self.session.panels;
                    self.analysis_panel.tab = panels.analysis_tab;
                    self.analysis_panel.overlaps.sliver_max_m2 = panels.sliver_max_m2;
                    self.export.settings = panels.export.clone();
                    self.set_layout(panels.layout);
                }
                Request::LayerChanged(key) => {
                    self.tools.drag = None;
                    if self
                        .hovered
                        .is_some_and(|h| h.layer == key && self.session.feature(h).is_none())
                    {
                        self.hovered = None;
                    }
                }
            }
        }
    }

    /// Asks where to save, in the window: a typed path (the project's own, else one in the
    /// home folder) beside the system's file dialog.
    fn ask_path(&mut self, what: PathFor) {
        let current = match what {
            PathFor::Project => self.session.project_path.clone(),
            PathFor::Proposals => None,
        };
        self.save_dialog = Some(super::save_dialog::SaveDialog::new(what, current, false));
    }

    /// Closes the window, asking first when there are unsaved edits.
    fn quit(&mut self, ctx: &egui::Context) {
        if self.session.is_dirty() {
            self.quit_prompt = true;
        } else {
            self.close_now(ctx);
        }
    }

    fn close_now(&mut self, ctx: &egui::Context) {
        self.closing = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn apply_window(&mut self, command: WindowCommand, ctx: &egui::Context) {
        match command {
            WindowCommand::ShowOpenDialog => {
                let picked = rfd::FileDialog::new()
                    .add_filter(
                        "GeoJSON, Shapefile, GeoPackage, zonemap",
                        &["geojson", "json", "shp", "zip", "gpkg", "zonemap"],
                    )
                    .add_filter("GeoJSON", &["geojson", "json"])
                    .add_filter("Shapefile", &["shp", "zip"])
                    .add_filter("GeoPackage", &["gpkg"])
                    .add_filter("zonemap", &["zonemap"])
                    .pick_files();
                if let Some(paths) = picked {
                    let effects = self.session.apply(Command::OpenFiles(paths));
                    self.carry_out(effects);
                }
            }
            WindowCommand::CopyText(text) => {
                let lines = text.lines().count();
                ctx.copy_text(text);
                let t = self.session.lang.t();
                self.session.notice = Some(format!("{} {lines} {}", t.copied, t.lines));
            }
            WindowCommand::SaveTextAs {
                file_name,
                contents,
            } => {
                let picked = rfd::FileDialog::new()
                    .set_file_name(&file_name)
                    .add_filter("CSV", &["csv"])
                    .save_file();
                if let Some(path) = picked {
                    let effects = self.session.apply(Command::SaveText { path, contents });
                    self.carry_out(effects);
                }
            }
            WindowCommand::SetTool(tool) => self.tools.set(tool),
            WindowCommand::SaveProjectAs => self.ask_path(PathFor::Project),
            WindowCommand::ShowExportDialog => {
                self.export.open = true;
                self.export.status = None;
            }
            WindowCommand::ExportMap => self.export.start(&self.session, ctx),
            WindowCommand::ShowLayerExport(key) => {
                let d = &mut self.layer_export;
                d.open = true;
                d.status = None;
                if key.is_some() {
                    d.layer = key;
                }
            }
            WindowCommand::ExportLayer => self.layer_export.start(&self.session),
            WindowCommand::ShowDissolve(key) => self.dissolve.open_on(&self.session, key),
            WindowCommand::Quit => self.quit(ctx),
            WindowCommand::ShowLayersPanel(on) => self.layout.show_layers = on,
            WindowCommand::ShowSidePanel(on) => self.layout.show_side = on,
            WindowCommand::DrawMapAsTiles(on) => self.tiles.enabled = on,
            WindowCommand::CloseNow => self.close_now(ctx),
            WindowCommand::CloseIfSaved => {
                if !self.session.is_dirty() {
                    self.close_now(ctx);
                }
            }
            WindowCommand::SaveThenClose => {
                let path = self.session.project_path.clone();
                self.save_dialog = Some(super::save_dialog::SaveDialog::new(
                    PathFor::Project,
                    path,
                    true,
                ));
            }
        }
    }
}

impl eframe::App for ZonemapApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.hand_over_panels();
        storage.set_string(SESSION_KEY, self.project().to_json());
        // Called on exit too: unsaved edits go to the recovery file whatever the timer says.
        self.session.autosave_now();
    }
}
