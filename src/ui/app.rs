//! The zonemap window: layout, the frame loop, and the one place commands are applied.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, Pos2, Rect, RichText, Ui};
use geo::Coord;

use crate::core::model::{LayerFilter, merge_rects};
use crate::core::style::{LayerStyle, field_names, numeric_field_names};
use crate::core::view::world_from_lonlat;
use crate::core::{Feature, Role};

use super::analysis_job::{AnalysisJob, AnalysisResult, CoverageChoice};
use super::analysis_panel::{AnalysisPanel, AnalysisPanelInput};
use super::command::{Command, MoveDirection};
use super::coverage_map;
use super::document::{
    BUNDLED, FeatureRef, LayerKey, LayerSource, MapLayer, Thematic, is_approximate, visible_bbox,
};
use super::edit::History;
use super::edit_panel::{EditPanel, EditPanelInput};
use super::i18n::Lang;
use super::layers_panel::layers_ui;
use super::loader::{LoadFailure, LoadJob, LoadRequest, Prepared, Progress, load};
use super::map_view::{CoverageOverlay, MapMemory, MapView};
use super::menu::menu_bar_ui;
use super::recovery::{Autosave, RecoveryOffer};
use super::scenario_view::{ScenarioInput, ScenarioJobs};
use super::selection_panel::SelectionPanel;
use super::session::{SESSION_KEY, WindowState};
use super::shapes::ShapeCache;
use super::status_bar::StatusBar;
use super::tools::{Tool, ToolState};
use crate::core::project::Project;

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
    /// to [`super::recovery::default_path`] and offered back after a crash.
    pub fn shipped(files: Vec<PathBuf>) -> Self {
        Startup {
            files,
            recovery: super::recovery::default_path(),
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

pub struct ZonemapApp {
    pub lang: Lang,
    /// Top of the map first.
    pub layers: Vec<MapLayer>,
    pub map: MapMemory,
    pub selection: Vec<FeatureRef>,
    pub hovered: Option<FeatureRef>,
    pub active_layer: Option<LayerKey>,
    pub analysis: AnalysisJob,
    /// Which layers the coverage analysis uses, as the user chose them.
    pub coverage_choice: CoverageChoice,
    /// Whether the map colours units by coverage and draws zone overlaps.
    pub coverage_map: bool,
    /// Whether the coverage dock is open.
    pub show_analysis: bool,
    pub analysis_panel: AnalysisPanel,
    /// Load failures and other problems, shown above the map until dismissed.
    pub errors: Vec<String>,
    /// The last thing done that has no other sign ("Saved to …"), in the status bar.
    pub notice: Option<String>,
    /// Where the map was drawn last frame, in points.
    pub map_rect: Rect,
    loads: Vec<LoadJob>,
    commands: Vec<Command>,
    next_key: u64,
    open_path: String,
    cursor_lonlat: Option<Coord<f64>>,
    selection_panel: SelectionPanel,
    /// A restored session's coverage layers, by their place in it, until they have loaded.
    pending_choice: [Option<usize>; 2],
    /// The same for the layer the proposals were started from.
    pub(super) pending_base: Option<usize>,
    /// The map's tool and what it is in the middle of.
    pub tools: ToolState,
    pub history: History,
    /// Counts edits, undos and redos: the autosave and the title compare it with
    /// `saved_generation`.
    pub generation: u64,
    pub(super) saved_generation: u64,
    /// The layer the proposals were copied from: the "before" of the scenario.
    pub proposals_base: Option<LayerKey>,
    /// The project file this session was opened from or saved to.
    pub project_path: Option<PathBuf>,
    pub(super) autosave: Option<Autosave>,
    /// Edits found in the recovery file at start, until the user restores or discards them.
    pub recovery_offer: Option<RecoveryOffer>,
    pub(super) scenario: ScenarioJobs,
    edit_panel: EditPanel,
    pub(super) project_path_text: String,
    pub(super) export_path_text: String,
    pub(super) title: String,
    /// The map export dialog, with its settings.
    pub export: super::export_dialog::ExportDialog,
    /// Files that did not say their coordinate system, each waiting for the user to give it.
    pub crs_prompts: Vec<CrsPrompt>,
    /// A file of several layers being opened: which of them to open.
    pub table_picker: Option<super::layer_files::TablePicker>,
    /// File > Export layer.
    pub layer_export: super::layer_files::LayerExportDialog,
}

/// A file that did not say its coordinate system, and the system being typed for it.
pub struct CrsPrompt {
    pub request: LoadRequest,
    pub message: String,
    pub text: String,
}

impl ZonemapApp {
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
            app.errors.push(message);
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
        let mut app = ZonemapApp {
            lang,
            layers: Vec::new(),
            map: MapMemory::default(),
            selection: Vec::new(),
            hovered: None,
            active_layer: None,
            analysis: AnalysisJob::default(),
            coverage_choice: CoverageChoice::default(),
            coverage_map: false,
            show_analysis: true,
            analysis_panel: AnalysisPanel::default(),
            errors: Vec::new(),
            notice: None,
            map_rect: Rect::NOTHING,
            loads: Vec::new(),
            commands: Vec::new(),
            next_key: 1,
            open_path: String::new(),
            cursor_lonlat: None,
            selection_panel: SelectionPanel::default(),
            pending_choice: [None, None],
            pending_base: None,
            tools: ToolState::default(),
            history: History::default(),
            generation: 0,
            saved_generation: 0,
            proposals_base: None,
            project_path: None,
            autosave: startup.recovery.clone().map(Autosave::new),
            recovery_offer: None,
            scenario: ScenarioJobs::default(),
            edit_panel: EditPanel::default(),
            project_path_text: String::new(),
            export_path_text: String::new(),
            title: String::new(),
            export: super::export_dialog::ExportDialog::with_settings(
                window.export.clone().unwrap_or_default(),
            ),
            crs_prompts: Vec::new(),
            table_picker: None,
            layer_export: Default::default(),
        };
        if let Some(path) = &startup.recovery {
            match super::recovery::find(path) {
                Some(Ok(offer)) => {
                    eprintln!(
                        "zonemap: {} unsaved edit(s) found in {}: restore or discard them in the window",
                        offer.window.unsaved_edits,
                        path.display()
                    );
                    app.recovery_offer = Some(offer);
                }
                Some(Err(e)) => app
                    .errors
                    .push(format!("{}: {e}", app.lang.t().recovery_unreadable)),
                None => {}
            }
        }
        let projects: Vec<&PathBuf> = startup
            .files
            .iter()
            .filter(|p| super::project_io::is_project(p))
            .collect();
        match saved {
            _ if !projects.is_empty() => app.open_project_file(projects[0], ctx),
            _ if !startup.files.is_empty() => {
                for path in &startup.files {
                    app.open_layer_file(path, ctx);
                }
            }
            Some(saved) if !saved.layers.is_empty() => {
                // A recovery file holding just what the last session closed with has nothing
                // more to offer: the session comes back as it was, edits still unsaved.
                if app
                    .recovery_offer
                    .as_ref()
                    .is_some_and(|offer| offer.project.layers == saved.layers)
                {
                    app.recovery_offer = None;
                }
                app.load_project(saved, ctx);
                app.project_path = window.project_path;
                app.generation = window.unsaved_edits;
            }
            _ if startup.bundled => app.open_bundled(),
            _ => {}
        }
        app
    }

    /// A load that failed: its line above the map, and for a file that does not say its
    /// coordinate system, a field to give it and try again.
    pub(super) fn load_failed(&mut self, failure: LoadFailure) {
        if let Some((request, suggested)) = failure.needs_crs {
            self.crs_prompts.push(CrsPrompt {
                text: suggested.unwrap_or_default(),
                request: *request,
                message: failure.message,
            });
        } else {
            self.errors.push(failure.message);
        }
    }

    /// Bundled data is small and compiled in: it loads at once, so the first frame shows it.
    fn open_bundled(&mut self) {
        for (order, b) in BUNDLED.iter().enumerate() {
            let mut request = LoadRequest::bundled(b);
            request.order = Some(order);
            match load(request, &Progress::default()) {
                Ok(prepared) => {
                    self.add_prepared(prepared);
                }
                Err(e) => self.load_failed(e),
            }
        }
    }

    /// Which layers of a project being loaded, by their place in it, are the coverage zones,
    /// units and the proposals' base; they are picked as they arrive.
    pub(super) fn set_pending(
        &mut self,
        zones: Option<usize>,
        units: Option<usize>,
        base: Option<usize>,
    ) {
        self.pending_choice = [zones, units];
        self.pending_base = base;
    }

    /// Bundled files and inline features load in place; files load in the background.
    pub(super) fn start_load(&mut self, request: LoadRequest, ctx: &egui::Context) {
        match &request.source {
            LayerSource::File(_) => self.loads.push(LoadJob::spawn(request, ctx)),
            LayerSource::Bundled(_) | LayerSource::Inline(_) => {
                match load(request, &Progress::default()) {
                    Ok(prepared) => {
                        self.add_prepared(prepared);
                    }
                    Err(e) => self.load_failed(e),
                }
            }
        }
    }

    /// Adds a loaded layer: zones above units above context, newest first within a role,
    /// unless it comes from a saved session, which keeps its saved place.
    pub fn add_prepared(&mut self, prepared: Prepared) -> LayerKey {
        let Prepared {
            request,
            layer,
            role,
            areas,
            prep,
            anchors,
            overview,
        } = prepared;
        // A layer read again keeps its key, so the selection's layer, the coverage choice and
        // the proposals' base still point at it.
        let replacing = request
            .replaces
            .and_then(|old| self.layers.iter().position(|l| l.key == old));
        let key = match replacing {
            Some(i) => self.layers[i].key,
            None => {
                self.next_key += 1;
                LayerKey(self.next_key - 1)
            }
        };
        let bundled = match &request.source {
            LayerSource::Bundled(p) => super::document::bundled(p, request.filter.as_ref()),
            LayerSource::File(_) | LayerSource::Inline(_) => None,
        };
        let style = request.style.clone().unwrap_or_else(|| {
            let mut style = LayerStyle::for_role(role, self.layers.len());
            if let Some(b) = bundled {
                style.visible = b.visible;
            }
            if !layer
                .features
                .iter()
                .any(|f| f.properties.contains_key("name"))
            {
                style.label_field = None;
            }
            style
        });
        for w in &layer.warnings {
            log_warning(&w.to_string());
        }
        let mut map_layer = MapLayer {
            key,
            editable: request.editable,
            fields: field_names(&layer),
            numeric_fields: numeric_field_names(&layer),
            filter: request.filter.clone(),
            approximate: layer.features.iter().any(is_approximate),
            layer: Arc::new(layer),
            source: request.source.clone(),
            role,
            style,
            areas: areas.into(),
            prep: Arc::new(prep),
            anchors: anchors.into(),
            thematic: Thematic::None,
            feature_fills: Vec::new(),
            shapes: ShapeCache::with_overview(overview),
            order: request.order,
            missing_glyphs: None,
            official_km2: request.official_km2.clone(),
            encoding_choice: request.encoding.clone(),
        };
        map_layer.refresh_thematic();
        if let Some(i) = replacing {
            // Features may differ (another encoding changes names, another system moves them).
            self.selection.retain(|f| f.layer != key);
            self.history.forget(key);
            self.layers[i] = map_layer;
            return key;
        }
        let position = match request.order {
            Some(order) => self
                .layers
                .iter()
                .position(|l| l.order.is_none_or(|o| o > order))
                .unwrap_or(self.layers.len()),
            None => self
                .layers
                .iter()
                .position(|l| l.role.rank() >= role.rank())
                .unwrap_or(self.layers.len()),
        };
        let zoom_to_it = self.map.fitted && !self.is_in_view(&map_layer);
        self.layers.insert(position, map_layer);
        if let Some(order) = request.order {
            if self.pending_choice[0] == Some(order) {
                self.coverage_choice.zones = Some(key);
            }
            if self.pending_choice[1] == Some(order) {
                self.coverage_choice.units = Some(key);
            }
            if self.pending_base == Some(order) {
                self.proposals_base = Some(key);
            }
        }
        if zoom_to_it {
            self.commands.push(Command::ZoomToLayer(key));
        }
        key
    }

    fn is_in_view(&self, layer: &MapLayer) -> bool {
        let Some(bbox) = layer.layer.bbox() else {
            return true;
        };
        let view = self.map.viewport.visible_lonlat(self.map.size_px);
        bbox.min().x <= view.max().x
            && bbox.max().x >= view.min().x
            && bbox.min().y <= view.max().y
            && bbox.max().y >= view.min().y
    }

    pub fn layer(&self, key: LayerKey) -> Option<&MapLayer> {
        self.layers.iter().find(|l| l.key == key)
    }

    /// The first layer with this role, top down.
    pub fn layer_with_role(&self, role: Role) -> Option<&MapLayer> {
        self.layers.iter().find(|l| l.role == role)
    }

    pub fn feature(&self, f: FeatureRef) -> Option<&Feature> {
        self.layer(f.layer)?.feature(f.feature)
    }

    /// Whether a load or an analysis is still running.
    pub fn is_busy(&self) -> bool {
        !self.loads.is_empty() || self.analysis.is_running()
    }

    /// The analysis for the layers now in use, once it is ready.
    pub fn current_analysis(&self) -> Option<Arc<AnalysisResult>> {
        self.analysis
            .current(&self.layers, &self.coverage_choice)
            .cloned()
    }

    /// Where a lon/lat is on screen, as last drawn.
    pub fn screen_pos(&self, lonlat: Coord<f64>) -> Pos2 {
        let [x, y] = self
            .map
            .viewport
            .screen_from_world(world_from_lonlat(lonlat), self.map.size_px);
        self.map_rect.min + egui::vec2(x as f32, y as f32)
    }

    /// Queues a command as if a panel had emitted it.
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Collects finished loads and analyses; never blocks.
    pub fn poll(&mut self, ctx: &egui::Context) {
        let mut finished = Vec::new();
        self.loads.retain(|job| match job.poll() {
            Some(result) => {
                finished.push(result);
                false
            }
            None => true,
        });
        for result in finished {
            match result {
                Ok(prepared) => {
                    self.add_prepared(prepared);
                }
                Err(e) => self.load_failed(e),
            }
        }
        self.analysis
            .update(&self.layers, &self.coverage_choice, ctx);
        if self.show_analysis && self.analysis_panel.tab == super::analysis_panel::Tab::Scenario {
            let units = self.coverage_choice.resolve(&self.layers, Role::Units);
            let proposals = self.proposals_key();
            self.scenario.update(
                &self.layers,
                self.proposals_base,
                proposals,
                units,
                self.coverage_choice.options,
                ctx,
            );
        }
        self.autosave_if_due(ctx);
        self.poll_export(ctx);
        self.poll_layer_export(ctx);
        for layer in &mut self.layers {
            check_glyphs(layer, ctx);
        }
        if !self.loads.is_empty() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// How many layers are still loading.
    pub(super) fn loads_pending(&self) -> usize {
        self.loads.len()
    }

    /// The whole window for one frame.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx);
        let lang = self.lang;
        let mut commands = std::mem::take(&mut self.commands);
        self.take_dropped_files(&ctx, &mut commands);
        if self.tools.tool == Tool::Select
            && !ctx.egui_wants_keyboard_input()
            && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        {
            commands.push(Command::ClearSelection);
        }
        self.update_title(&ctx);

        // Panels share the window: in a small window (down to the 640 × 400 minimum) each
        // side panel takes at most a quarter of its width and the dock two fifths of its
        // height, so the map keeps the rest.
        let window = ui.max_rect();
        let side_max = (window.width() * 0.25).max(120.0);
        let dock_max = (window.height() * 0.4).max(80.0);
        egui::Panel::top("menu").show(ui, |ui| {
            menu_bar_ui(
                ui,
                super::menu::MenuInput {
                    lang,
                    undo: self.history.undo_label(),
                    redo: self.history.redo_label(),
                    has_proposals: self.proposals_key().is_some(),
                    has_layers: !self.layers.is_empty(),
                    selection: &self.selection,
                    proposals: self.proposals_key(),
                    tool: self.tools.tool,
                },
                super::menu::MenuText {
                    open_path: &mut self.open_path,
                    project_path: &mut self.project_path_text,
                    export_path: &mut self.export_path_text,
                },
                &mut commands,
            );
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            StatusBar {
                cursor_lonlat: self.cursor_lonlat,
                viewport: &self.map.viewport,
                layers: &self.layers,
                selected: self.selection.len(),
                loads: &self.loads,
                analysing: self.analysis.is_running(),
                notice: self.notice.as_deref(),
                lang,
            }
            .ui(ui);
        });
        if self.show_analysis {
            let latest = self.analysis.latest(&self.layers, &self.coverage_choice);
            let proposals = self.proposals_key();
            let layers = &self.layers;
            let name_of = |key: Option<LayerKey>| {
                key.and_then(|k| layers.iter().find(|l| l.key == k))
                    .map_or("", |l| l.layer.name.as_str())
            };
            let scenario = match (proposals, self.scenario.diff()) {
                (None, _) => ScenarioInput::NoProposals,
                (Some(_), None) => ScenarioInput::Running,
                (Some(p), Some(diff)) => ScenarioInput::Ready {
                    diff,
                    before: name_of(self.proposals_base),
                    after: name_of(Some(p)),
                },
            };
            egui::Panel::bottom("coverage")
                .resizable(true)
                .default_size(300.0_f32.min(dock_max))
                .size_range(120.0_f32.min(dock_max)..=dock_max)
                .show(ui, |ui| {
                    self.analysis_panel.ui(
                        ui,
                        AnalysisPanelInput {
                            layers: &self.layers,
                            choice: &self.coverage_choice,
                            latest: latest.map(|(r, stale)| (r.as_ref(), stale)),
                            running: self.analysis.is_running(),
                            coverage_map: self.coverage_map,
                            selection: &self.selection,
                            scenario,
                            lang,
                        },
                        &mut commands,
                    );
                });
        }
        egui::Panel::left("layers")
            .resizable(true)
            .default_size(290.0_f32.min(side_max))
            .max_size(side_max)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    layers_ui(
                        ui,
                        &self.layers,
                        self.active_layer,
                        &self.selection,
                        lang,
                        &mut commands,
                    );
                });
            });
        let analysis = self.current_analysis();
        egui::Panel::right("selection")
            .resizable(true)
            .default_size(330.0_f32.min(side_max * 1.1))
            .max_size(side_max * 1.1)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.edit_panel.ui(
                        ui,
                        EditPanelInput {
                            layers: &self.layers,
                            selection: &self.selection,
                            proposals: self.proposals_key(),
                            zones: self.coverage_choice.resolve(&self.layers, Role::Zones),
                            tool: self.tools.tool,
                            undo: self.history.undo_label(),
                            redo: self.history.redo_label(),
                            lang,
                        },
                        &mut commands,
                    );
                    self.selection_panel.ui(
                        ui,
                        &self.layers,
                        &self.selection,
                        analysis.as_deref(),
                        lang,
                        &mut commands,
                    );
                });
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.crs_prompts_ui(ui, &mut commands);
            self.errors_ui(ui, &mut commands);
            self.toolbar_ui(ui, &mut commands);
            self.map_rect = ui.available_rect_before_wrap();
            let proposals = self.proposals_key();
            let coverage = match (&analysis, self.coverage_map) {
                (Some(result), true) => Some(CoverageOverlay {
                    result: result.as_ref(),
                    shapes: &mut self.analysis.overlap_shapes,
                }),
                _ => None,
            };
            let target = self
                .selection
                .iter()
                .find(|f| Some(f.layer) == proposals)
                .copied();
            let out = MapView {
                layers: &mut self.layers,
                selection: &self.selection,
                analysis: analysis.as_deref(),
                coverage,
                tools: &mut self.tools,
                proposals,
                target,
                lang,
            }
            .ui(ui, &mut self.map);
            self.hovered = out.hovered;
            self.cursor_lonlat = out.cursor_lonlat;
            commands.extend(out.commands);
            if out.shapes_incomplete {
                ctx.request_repaint();
            }
            self.approximate_note(ui);
            if let Some(live) = &self.tools.live {
                live_measure_ui(ui, self.map_rect, live);
            }
            if self.coverage_map
                && let Some((result, stale)) =
                    self.analysis.latest(&self.layers, &self.coverage_choice)
            {
                coverage_map::legend_ui(ui, self.map_rect, result, stale, lang);
            }
            if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
                drop_overlay(ui, self.map_rect, lang);
            }
        });
        self.export_dialog_ui(&ctx, &mut commands);
        self.layer_export_ui(&ctx, &mut commands);
        self.table_picker_ui(&ctx, &mut commands);
        self.apply(commands, &ctx);
    }

    /// Names the visible layers whose boundaries are approximations, in the map's corner, so
    /// that no screenshot of them passes for survey data.
    fn approximate_note(&self, ui: &Ui) {
        let names: Vec<&str> = self
            .layers
            .iter()
            .filter(|l| l.style.visible && l.approximate)
            .map(|l| l.layer.name.as_str())
            .collect();
        if names.is_empty() {
            return;
        }
        let text = format!("≈ {}: {}", names.join("、"), self.lang.t().approximate);
        let painter = ui.painter_at(self.map_rect);
        let galley = painter.layout_no_wrap(
            text,
            egui::FontId::proportional(13.0),
            Color32::from_rgb(160, 70, 0),
        );
        let pos = self.map_rect.left_bottom() + egui::vec2(8.0, -8.0 - galley.size().y);
        let bg = Rect::from_min_size(pos, galley.size()).expand(4.0);
        painter.rect_filled(bg, 3.0, Color32::from_white_alpha(220));
        painter.galley(pos, galley, Color32::from_rgb(160, 70, 0));
    }

    fn toolbar_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let t = self.lang.t();
        // Wrapped: in a narrow window the buttons take two rows rather than widen the map.
        ui.horizontal_wrapped(|ui| {
            ui.add_space(6.0);
            if ui.button("＋").on_hover_text("+").clicked() {
                commands.push(Command::Zoom(1.5));
            }
            if ui.button("－").on_hover_text("-").clicked() {
                commands.push(Command::Zoom(1.0 / 1.5));
            }
            if ui.button(t.zoom_all).clicked() {
                commands.push(Command::ZoomToAll);
            }
            let active = self.active_layer.or(self.layers.first().map(|l| l.key));
            if ui
                .add_enabled(active.is_some(), egui::Button::new(t.zoom_layer))
                .clicked()
                && let Some(key) = active
            {
                commands.push(Command::ZoomToLayer(key));
            }
            if ui
                .add_enabled(
                    !self.selection.is_empty(),
                    egui::Button::new(t.zoom_selection),
                )
                .clicked()
            {
                commands.push(Command::ZoomToSelection);
            }
            ui.separator();
            if ui
                .selectable_label(self.show_analysis, t.coverage_table)
                .clicked()
            {
                commands.push(Command::ShowAnalysisPanel(!self.show_analysis));
            }
            if ui
                .selectable_label(self.coverage_map, t.coverage_map)
                .clicked()
            {
                commands.push(Command::SetCoverageMap(!self.coverage_map));
            }
        });
    }

    fn errors_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        if let Some(offer) = &self.recovery_offer {
            let t = self.lang.t();
            egui::Frame::new()
                .fill(Color32::from_rgb(255, 243, 205))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        let mut text = format!(
                            "{}: {} {}",
                            t.recovery_found, offer.window.unsaved_edits, t.edits
                        );
                        if let Some(age) = offer.age {
                            text.push_str(&format!(" · {} {}", age.as_secs() / 60, t.minutes_ago));
                        }
                        if let Some(p) = &offer.window.project_path {
                            text.push_str(&format!(" · {}", p.display()));
                        }
                        ui.label(RichText::new(text).strong());
                        if ui.button(t.restore).clicked() {
                            commands.push(Command::RestoreRecovery);
                        }
                        if ui.button(t.discard).clicked() {
                            commands.push(Command::DiscardRecovery);
                        }
                    });
                });
        }
        for (i, error) in self.errors.iter().enumerate() {
            egui::Frame::new()
                .fill(Color32::from_rgb(253, 226, 222))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(Color32::from_rgb(150, 20, 0), format!("△ {error}"));
                        if ui.small_button(self.lang.t().dismiss).clicked() {
                            commands.push(Command::DismissError(i));
                        }
                    });
                });
        }
    }

    fn take_dropped_files(&self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            commands.push(Command::OpenFiles(dropped));
        }
    }

    /// Carries out the frame's commands, in order.
    pub fn apply(&mut self, commands: Vec<Command>, ctx: &egui::Context) {
        for command in commands {
            self.apply_one(command, ctx);
        }
    }

    fn apply_one(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::OpenFiles(paths) => {
                for path in paths {
                    self.open_path(&path, ctx);
                }
            }
            Command::ShowOpenDialog => {
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
                for path in picked.unwrap_or_default() {
                    self.open_path(&path, ctx);
                }
            }
            Command::OpenBundled => self.open_bundled(),
            Command::RemoveLayer(key) => {
                self.layers.retain(|l| l.key != key);
                self.history.forget(key);
                self.selection.retain(|f| f.layer != key);
                if self.active_layer == Some(key) {
                    self.active_layer = None;
                }
            }
            Command::MoveLayer(key, direction) => {
                if let Some(i) = self.layers.iter().position(|l| l.key == key) {
                    let j = match direction {
                        MoveDirection::Up => i.checked_sub(1),
                        MoveDirection::Down => Some(i + 1).filter(|j| *j < self.layers.len()),
                    };
                    if let Some(j) = j {
                        self.layers.swap(i, j);
                    }
                }
            }
            Command::SetRole(key, role) => {
                if let Some(l) = self.layers.iter_mut().find(|l| l.key == key) {
                    l.role = role;
                    match role {
                        Role::Zones => self.coverage_choice.zones = Some(key),
                        Role::Units => self.coverage_choice.units = Some(key),
                        Role::Context => {}
                    }
                }
            }
            Command::SetCoverageLayer(role, key) => {
                if role != Role::Context
                    && let Some(l) = self.layers.iter_mut().find(|l| l.key == key)
                {
                    l.role = role;
                    l.style.visible = true;
                    match role {
                        Role::Zones => self.coverage_choice.zones = Some(key),
                        _ => self.coverage_choice.units = Some(key),
                    }
                }
            }
            Command::SetCoverageMap(on) => self.coverage_map = on,
            Command::ShowAnalysisPanel(on) => self.show_analysis = on,
            Command::SplitLayer(key, field) => self.split_layer(key, &field, ctx),
            Command::CopyText(text) => {
                let lines = text.lines().count();
                ctx.copy_text(text);
                self.notice = Some(format!(
                    "{} {lines} {}",
                    self.lang.t().copied,
                    self.lang.t().lines
                ));
            }
            Command::SaveText { path, contents } => {
                match crate::core::io::write_atomic(&path, contents.as_bytes()) {
                    Ok(()) => {
                        self.notice =
                            Some(format!("{} {}", self.lang.t().saved_to, path.display()));
                    }
                    Err(e) => self.errors.push(format!("{}: {e}", path.display())),
                }
            }
            Command::SaveTextAs {
                file_name,
                contents,
            } => {
                let picked = rfd::FileDialog::new()
                    .set_file_name(&file_name)
                    .add_filter("CSV", &["csv"])
                    .save_file();
                if let Some(path) = picked {
                    self.apply_one(Command::SaveText { path, contents }, ctx);
                }
            }
            Command::SetStyle(key, style) => {
                if let Some(l) = self.layers.iter_mut().find(|l| l.key == key) {
                    l.style = style;
                    l.refresh_thematic();
                }
            }
            Command::SetActiveLayer(key) => self.active_layer = Some(key),
            Command::Select(features) => {
                if let Some(f) = features.first() {
                    self.active_layer = Some(f.layer);
                }
                self.selection = features;
            }
            Command::ToggleSelected(f) => {
                if let Some(i) = self.selection.iter().position(|s| *s == f) {
                    self.selection.remove(i);
                } else {
                    self.selection.push(f);
                }
            }
            Command::ClearSelection => self.selection.clear(),
            Command::Zoom(factor) => {
                let size = self.map.size_px;
                self.map
                    .viewport
                    .zoom_about(factor, [size[0] / 2.0, size[1] / 2.0], size);
            }
            Command::ZoomToAll => self.fit(visible_bbox(&self.layers)),
            Command::ZoomToLayer(key) => {
                let bbox = self.layer(key).and_then(|l| l.layer.bbox());
                self.fit(bbox);
            }
            Command::ZoomToSelection => {
                let bbox = self
                    .selection
                    .iter()
                    .filter_map(|f| self.feature(*f)?.bbox)
                    .reduce(|a, b| merge_rects(&a, &b));
                self.fit(bbox);
            }
            Command::ZoomToFeature(f) => {
                let bbox = self.feature(f).and_then(|f| f.bbox);
                self.fit(bbox);
            }
            Command::SetLang(lang) => self.lang = lang,
            Command::Edit(edit) => self.apply_edit(edit),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::SetTool(tool) => self.tools.set(tool),
            Command::NewProposals(from) => {
                if self.proposals_key().is_none() {
                    self.start_proposals(from);
                }
            }
            Command::SaveProject(path) => self.save_project(path),
            Command::SaveProjectAs => self.save_project_as(),
            Command::OpenProject(path) => self.open_project_file(&path, ctx),
            Command::ExportProposals(path) => self.export_proposals(path),
            Command::ShowExportDialog => {
                self.export.open = true;
                self.export.status = None;
            }
            Command::ExportMap => self.start_export(ctx),
            Command::RestoreRecovery => self.restore_recovery(ctx),
            Command::DiscardRecovery => self.discard_recovery(),
            Command::DismissError(i) => {
                if i < self.errors.len() {
                    self.errors.remove(i);
                }
            }
            Command::SetOfficialArea(f, km2) => self.set_official_area(f, km2),
            Command::SetSnap(m) => {
                if m.is_finite() {
                    self.coverage_choice.options.snap_m = m.clamp(0.0, 1000.0);
                }
            }
            Command::RereadLayer { key, encoding, crs } => {
                self.reread_layer(key, encoding, crs, ctx);
            }
            Command::RetryWithCrs(i) => self.retry_with_crs(i, ctx),
            Command::DismissCrsPrompt(i) => {
                if i < self.crs_prompts.len() {
                    self.crs_prompts.remove(i);
                }
            }
            Command::OpenTables(path, tables) => self.open_tables(&path, tables, ctx),
            Command::ShowLayerExport(key) => {
                let d = &mut self.layer_export;
                d.open = true;
                d.status = None;
                if key.is_some() {
                    d.layer = key;
                }
            }
            Command::ExportLayer => self.export_layer(),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Sets or clears a feature's official area: an edit on the proposals, else a figure kept
    /// with the (read-only) layer in the session and the project.
    fn set_official_area(&mut self, f: FeatureRef, km2: Option<f64>) {
        use crate::core::report::OFFICIAL_KM2;
        let Some(layer) = self.layers.iter_mut().find(|l| l.key == f.layer) else {
            return;
        };
        if layer.editable {
            let value = km2.map(|v| v.to_string()).unwrap_or_default();
            self.apply_edit(super::edit::Edit::SetProperty {
                feature: f.feature,
                key: OFFICIAL_KM2.to_owned(),
                value,
            });
            return;
        }
        let Some(id) = layer.feature(f.feature).map(|x| x.id.clone()) else {
            return;
        };
        let mut data = (*layer.layer).clone();
        match km2 {
            Some(v) => {
                layer.official_km2.insert(id.clone(), v);
                data.set_numbers(OFFICIAL_KM2, &[(id, v)].into_iter().collect());
            }
            None => {
                layer.official_km2.remove(&id);
                for x in data.features.iter_mut().filter(|x| x.id == id) {
                    x.properties.remove(OFFICIAL_KM2);
                }
            }
        }
        layer.layer = Arc::new(data);
        layer.fields = field_names(&layer.layer);
        layer.numeric_fields = numeric_field_names(&layer.layer);
        self.generation += 1;
    }

    /// One new layer per value of `field` (features without it are left out), each loaded from
    /// the same source through a filter, so that a saved session can load it again.
    fn split_layer(&mut self, key: LayerKey, field: &str, ctx: &egui::Context) {
        let Some(layer) = self.layer(key) else { return };
        let t = self.lang.t();
        if layer.filter.is_some() {
            self.errors
                .push(format!("{}: {}", layer.layer.name, t.split_filtered));
            return;
        }
        let categories = crate::core::style::Categories::of(&layer.layer, field);
        let values: Vec<String> = categories
            .entries
            .into_iter()
            .map(|c| c.value)
            .filter(|v| v != crate::core::style::NO_VALUE)
            .collect();
        if values.len() > MAX_SPLIT {
            self.errors.push(format!(
                "{}: {field}: {} {} > {MAX_SPLIT}",
                layer.layer.name,
                values.len(),
                t.split_too_many
            ));
            return;
        }
        let requests: Vec<LoadRequest> = values
            .into_iter()
            .map(|value| LoadRequest {
                source: layer.source.clone(),
                role: Some(layer.role),
                style: None,
                name: Some(format!("{} · {value}", layer.layer.name)),
                crs: Some(layer.layer.crs.code()),
                order: None,
                filter: Some(LayerFilter::new(field, value)),
                editable: false,
                official_km2: layer.official_km2.clone(),
                table: layer.layer.table.clone(),
                encoding: layer.encoding_choice.clone(),
                replaces: None,
            })
            .collect();
        for request in requests {
            self.start_load(request, ctx);
        }
    }

    fn fit(&mut self, bbox: Option<geo::Rect<f64>>) {
        if let Some(bbox) = bbox {
            let size = self.map.size_px;
            if size[0] > 0.0 && size[1] > 0.0 {
                self.map.viewport.fit_lonlat(&bbox, size, 30.0);
                self.map.fitted = true;
            }
        }
    }
}

/// Counts the labels that would show missing-glyph boxes, once per label field.
fn check_glyphs(layer: &mut MapLayer, ctx: &egui::Context) {
    let field = layer.style.label_field.clone();
    if layer
        .missing_glyphs
        .as_ref()
        .is_some_and(|(f, _)| *f == field)
    {
        return;
    }
    let font = egui::FontId::proportional(13.0);
    let missing = layer
        .layer
        .features
        .iter()
        .filter_map(|f| layer.label_text(f))
        .filter(|text| !ctx.fonts_mut(|fonts| fonts.has_glyphs(&font, text)))
        .count();
    layer.missing_glyphs = Some((field, missing));
}

/// The most layers one split makes.
const MAX_SPLIT: usize = 24;

fn log_warning(message: &str) {
    eprintln!("zonemap: {message}");
}

/// The live area and perimeter of what is being drawn, at the top of the map.
fn live_measure_ui(ui: &Ui, map: Rect, text: &str) {
    let area = egui::Area::new(egui::Id::unique("live_measure"))
        .pivot(egui::Align2::CENTER_TOP)
        .fixed_pos(map.center_top() + egui::vec2(0.0, 10.0))
        .order(egui::Order::Foreground)
        .interactable(false);
    area.show(ui.ctx(), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(text).strong().size(15.0))
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
    });
}

fn drop_overlay(ui: &Ui, rect: Rect, lang: Lang) {
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(120));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        lang.t().drop_files,
        egui::FontId::proportional(22.0),
        Color32::WHITE,
    );
}

impl eframe::App for ZonemapApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(SESSION_KEY, self.project().to_json());
        // Called on exit too: unsaved edits go to the recovery file whatever the timer says.
        self.autosave_now();
    }
}
