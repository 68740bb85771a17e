//! The session: what is open and what the planner has done to it — layers, selection,
//! proposals and their undo history, the coverage layers and options, the view, the language
//! and the project file. It has no egui in it. The window (`ui`) is chrome around it: panels
//! read the session and emit [`Command`]s, and [`Session::apply`] carries each out and says
//! what the chrome must do next ([`Effects`]). Commands are tested directly, without a window.

pub mod analysis;
pub mod command;
pub mod dissolve;
mod editing;
mod files;
pub mod history;
pub mod layer;
pub mod loader;
mod loading;
mod project_io;
pub mod recovery;
pub mod scenario;
pub mod shapes;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::core::lang::Lang;
use crate::core::model::{LayerFilter, merge_rects};
use crate::core::style::{LayerStyle, field_names, numeric_field_names};
use crate::core::{Feature, Role};

use analysis::{AnalysisJob, AnalysisResult, CoverageChoice};
use command::{MoveDirection, Request};
use history::History;
use layer::{BUNDLED, FeatureRef, LayerKey, LayerSource, MapLayer, Thematic, is_approximate};
use loader::{LoadFailure, LoadJob, LoadRequest, Prepared, Progress, load};
use recovery::{Autosave, RecoveryOffer};
use scenario::ScenarioJobs;
use shapes::ShapeCache;
use state::{MapMemory, PanelSettings};

pub use command::{Command, Effects};
pub use editing::proposals_style;
pub use project_io::is_project;

/// Asks whoever shows the session to draw it again (the window's `request_repaint`), from any
/// thread: background loads and analyses call it when they end.
#[derive(Clone)]
pub struct Repaint(Arc<dyn Fn(Option<Duration>) + Send + Sync>);

impl Repaint {
    /// A repaint that calls `f` with `None` (now) or the delay after which to draw again.
    pub fn new(f: impl Fn(Option<Duration>) + Send + Sync + 'static) -> Self {
        Repaint(Arc::new(f))
    }

    /// Nobody to tell (the command line, tests without a window).
    pub fn none() -> Self {
        Repaint::new(|_| {})
    }

    /// Draw again now.
    pub fn request(&self) {
        (self.0)(None);
    }

    /// Draw again after `delay`.
    pub fn request_after(&self, delay: Duration) {
        (self.0)(Some(delay));
    }
}

impl Default for Repaint {
    fn default() -> Self {
        Repaint::none()
    }
}

impl std::fmt::Debug for Repaint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Repaint")
    }
}

/// A file that did not say its coordinate system, and the system being typed for it.
pub struct CrsPrompt {
    /// The load to try again.
    pub request: LoadRequest,
    /// Why it did not load (the reader's one line).
    pub message: String,
    /// The system typed so far (`EPSG:4528`, `GCJ-02`, …), first the likely one.
    pub text: String,
}

/// A file just opened whose features a field sorts into a few kinds: offered as one layer per
/// kind ([`Command::AcceptSplitOffer`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SplitOffer {
    /// The layer opened.
    pub layer: LayerKey,
    /// Its name.
    pub name: String,
    /// The field (`level`, `类型`, …).
    pub field: String,
    /// Its values, in order.
    pub values: Vec<String>,
}

/// What is open and what has been done to it. See the [module documentation](self).
pub struct Session {
    /// The interface language.
    pub lang: Lang,
    /// The layers, top of the map first.
    pub layers: Vec<MapLayer>,
    /// The map's view.
    pub map: MapMemory,
    /// The selected features, in the order they were picked.
    pub selection: Vec<FeatureRef>,
    /// The layer "zoom to layer" and new selections refer to.
    pub active_layer: Option<LayerKey>,
    /// The coverage analysis, run in the background whenever its layers change.
    pub analysis: AnalysisJob,
    /// Which layers the coverage analysis uses, as the user chose them, and its options.
    pub coverage_choice: CoverageChoice,
    /// Whether the map colours units by coverage and draws zone overlaps.
    pub coverage_map: bool,
    /// Whether the coverage dock is open.
    pub show_analysis: bool,
    /// Whether the scenario comparison is wanted (its tab is shown): it runs only then.
    pub scenario_wanted: bool,
    /// Load failures and other problems, shown above the map until dismissed.
    pub errors: Vec<String>,
    /// The last thing done that has no other sign ("Saved to …"), for the status bar.
    pub notice: Option<String>,
    /// Edits to the proposals, for undo and redo.
    pub history: History,
    /// Counts edits, undos and redos: the autosave and the title compare it with the
    /// generation last saved.
    pub generation: u64,
    saved_generation: u64,
    /// The layer the proposals were copied from: the "before" of the scenario.
    pub proposals_base: Option<LayerKey>,
    /// The project file this session was opened from or saved to.
    pub project_path: Option<PathBuf>,
    /// Edits found in the recovery file at start, until the user restores or discards them.
    pub recovery_offer: Option<RecoveryOffer>,
    /// The proposals against the layer they started from, while [`Self::scenario_wanted`].
    pub scenario: ScenarioJobs,
    /// Files that did not say their coordinate system, each waiting for the user to give it.
    pub crs_prompts: Vec<CrsPrompt>,
    /// The window's panel settings, kept with the session and its projects.
    pub panels: PanelSettings,
    /// Files just opened that could be split into layers by a field, until answered.
    pub split_offers: Vec<SplitOffer>,
    /// What the last dissolve made, until the planner closes its list.
    pub dissolve_report: Option<dissolve::DissolveReport>,
    loads: Vec<LoadJob>,
    next_key: u64,
    /// A project's coverage layers, by their place in it, until they have loaded.
    pending_choice: [Option<usize>; 2],
    /// The same for the layer the proposals were started from.
    pending_base: Option<usize>,
    autosave: Option<Autosave>,
    /// Commands the session gives itself (zoom to a layer that just arrived), applied with the
    /// next frame's.
    queued: Vec<Command>,
    repaint: Repaint,
}

impl Session {
    /// An empty session in `lang`, autosaving unsaved edits to `recovery` (none: no recovery
    /// file), telling `repaint` when background work ends.
    pub fn new(lang: Lang, recovery: Option<PathBuf>, repaint: Repaint) -> Self {
        Session {
            lang,
            layers: Vec::new(),
            map: MapMemory::default(),
            selection: Vec::new(),
            active_layer: None,
            analysis: AnalysisJob::default(),
            coverage_choice: CoverageChoice::default(),
            coverage_map: false,
            show_analysis: true,
            scenario_wanted: false,
            errors: Vec::new(),
            notice: None,
            history: History::default(),
            generation: 0,
            saved_generation: 0,
            proposals_base: None,
            project_path: None,
            recovery_offer: None,
            scenario: ScenarioJobs::default(),
            crs_prompts: Vec::new(),
            panels: PanelSettings::default(),
            split_offers: Vec::new(),
            dissolve_report: None,
            loads: Vec::new(),
            next_key: 1,
            pending_choice: [None, None],
            pending_base: None,
            autosave: recovery.map(Autosave::new),
            queued: Vec::new(),
            repaint,
        }
    }

    /// Carries out one command and says what it asks of the window.
    pub fn apply(&mut self, command: Command) -> Effects {
        match command {
            Command::OpenFiles(paths) => {
                let mut effects = Effects::none();
                for path in paths {
                    effects.extend(self.open_path(&path));
                }
                return effects;
            }
            Command::OpenBundled => self.open_bundled(),
            Command::RemoveLayer(key) => {
                self.layers.retain(|l| l.key != key);
                self.split_offers.retain(|o| o.layer != key);
                self.history.forget(key);
                self.selection.retain(|f| f.layer != key);
                if self.active_layer == Some(key) {
                    self.active_layer = None;
                }
                return Effects::one(Request::LayerChanged(key));
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
            Command::SplitLayer(key, field) => self.split_layer(key, &field),
            Command::SaveText { path, contents } => {
                match crate::core::io::write_atomic(&path, contents.as_bytes()) {
                    Ok(()) => {
                        self.notice =
                            Some(format!("{} {}", self.lang.t().saved_to, path.display()));
                    }
                    Err(e) => self.errors.push(format!("{}: {e}", path.display())),
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
            Command::ZoomToAll => self.fit(layer::visible_bbox(&self.layers)),
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
            Command::ZoomToExtent([west, south, east, north]) => {
                // A small piece: with a quarter of its size around it (at least about 50 m).
                let (dx, dy) = (
                    ((east - west) * 0.25).max(0.0005),
                    ((north - south) * 0.25).max(0.0005),
                );
                self.fit(Some(geo::Rect::new(
                    geo::coord! { x: west - dx, y: south - dy },
                    geo::coord! { x: east + dx, y: north + dy },
                )));
            }
            Command::SetLang(lang) => self.lang = lang,
            Command::Edit(edit) => return self.apply_edit(edit),
            Command::Undo => return self.undo(),
            Command::Redo => return self.redo(),
            Command::Dissolve { layer, field, into } => {
                return self.dissolve_layer(layer, &field, into);
            }
            Command::DismissDissolveReport => self.dissolve_report = None,
            Command::NewProposals(from) => {
                if self.proposals_key().is_none() {
                    self.start_proposals(from);
                }
            }
            Command::SaveProject(path) => return self.save_project(path),
            Command::OpenProject(path) => return self.open_project_file(&path),
            Command::ExportProposals(path) => return self.export_proposals(path),
            Command::RestoreRecovery => return self.restore_recovery(),
            Command::DiscardRecovery => self.discard_recovery(),
            Command::DismissError(i) => {
                if i < self.errors.len() {
                    self.errors.remove(i);
                }
            }
            Command::SetOfficialArea(f, km2) => return self.set_official_area(f, km2),
            Command::SetSnap(m) => {
                if m.is_finite() {
                    self.coverage_choice.options.snap_m = m.clamp(0.0, 1000.0);
                }
            }
            Command::RereadLayer { key, encoding, crs } => self.reread_layer(key, encoding, crs),
            Command::RetryWithCrs(i) => self.retry_with_crs(i),
            Command::DismissCrsPrompt(i) => {
                if i < self.crs_prompts.len() {
                    self.crs_prompts.remove(i);
                }
            }
            Command::OpenTables(path, tables) => self.open_tables(&path, tables),
            Command::AcceptSplitOffer(i) => {
                if i < self.split_offers.len() {
                    let offer = self.split_offers.remove(i);
                    self.split_layer(offer.layer, &offer.field);
                }
            }
            Command::DismissSplitOffer(i) => {
                if i < self.split_offers.len() {
                    self.split_offers.remove(i);
                }
            }
        }
        Effects::none()
    }

    /// Takes the commands the session gave itself since the last call (zoom to a layer that
    /// arrived out of view), to be applied with the next frame's.
    pub fn take_queued(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.queued)
    }

    /// Collects finished loads and analyses, starts the analyses their inputs call for, and
    /// autosaves when due; never blocks.
    pub fn poll(&mut self) {
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
            .update(&self.layers, &self.coverage_choice, &self.repaint);
        if self.show_analysis && self.scenario_wanted {
            let units = self.coverage_choice.resolve(&self.layers, Role::Units);
            let proposals = self.proposals_key();
            self.scenario.update(
                &self.layers,
                self.proposals_base,
                proposals,
                units,
                self.coverage_choice.options,
                &self.repaint,
            );
        }
        self.autosave_if_due();
        if !self.loads.is_empty() {
            self.repaint.request_after(Duration::from_millis(100));
        }
    }

    /// Waits (polling) until no load or analysis is running, or `timeout` has passed; whether
    /// all finished. For the command line and tests: the window never waits.
    pub fn settle(&mut self, timeout: Duration) -> bool {
        let start = std::time::Instant::now();
        loop {
            self.poll();
            let queued = self.take_queued();
            for command in queued {
                let _ = self.apply(command);
            }
            if !self.is_busy() {
                return true;
            }
            if start.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The loads under way.
    pub fn loads(&self) -> &[LoadJob] {
        &self.loads
    }

    /// Whether a load or an analysis is still running.
    pub fn is_busy(&self) -> bool {
        !self.loads.is_empty() || self.analysis.is_running()
    }

    /// The generation last saved to the project file (see [`Self::generation`]).
    pub fn saved_generation(&self) -> u64 {
        self.saved_generation
    }

    /// Whether there are edits the project file does not have.
    pub fn is_dirty(&self) -> bool {
        self.generation != self.saved_generation
    }

    /// The layer with this key.
    pub fn layer(&self, key: LayerKey) -> Option<&MapLayer> {
        self.layers.iter().find(|l| l.key == key)
    }

    /// The first layer with this role, top down.
    pub fn layer_with_role(&self, role: Role) -> Option<&MapLayer> {
        self.layers.iter().find(|l| l.role == role)
    }

    /// A feature of an open layer.
    pub fn feature(&self, f: FeatureRef) -> Option<&Feature> {
        self.layer(f.layer)?.feature(f.feature)
    }

    /// The analysis for the layers now in use, once it is ready.
    pub fn current_analysis(&self) -> Option<Arc<AnalysisResult>> {
        self.analysis
            .current(&self.layers, &self.coverage_choice)
            .cloned()
    }

    /// Opens a saved session (eframe's storage): its layers, then its project path and unsaved
    /// edit count. A recovery offer holding just the same layers is dropped: the session comes
    /// back as it was, edits still unsaved.
    pub fn restore(&mut self, saved: crate::core::project::Project) -> Effects {
        let window = state::WindowState::from_value(&saved.window);
        if self
            .recovery_offer
            .as_ref()
            .is_some_and(|offer| offer.project.layers == saved.layers)
        {
            self.recovery_offer = None;
        }
        let effects = self.load_project(saved);
        self.project_path = window.project_path;
        self.generation = window.unsaved_edits;
        effects
    }

    /// Looks for a recovery file at start, and offers its edits back.
    pub fn find_recovery(&mut self) {
        let Some(path) = self.autosave.as_ref().map(|a| a.path.clone()) else {
            return;
        };
        match recovery::find(&path) {
            Some(Ok(offer)) => {
                eprintln!(
                    "zonemap: {} unsaved edit(s) found in {}: restore or discard them in the window",
                    offer.window.unsaved_edits,
                    path.display()
                );
                self.recovery_offer = Some(offer);
            }
            Some(Err(e)) => self
                .errors
                .push(format!("{}: {e}", self.lang.t().recovery_unreadable)),
            None => {}
        }
    }

    /// Fits the view to `bbox` (lon/lat), with a 30-point margin, once the map has a size.
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

/// The most layers one split makes.
const MAX_SPLIT: usize = 24;
