//! The session as a core [`Project`]: saving and opening project files, exporting the proposals
//! as GeoJSON, and the recovery file.

use std::path::{Path, PathBuf};

use crate::core::crs::Crs;
use crate::core::io::write::{feature_collection, feature_collection_text};
use crate::core::io::write_atomic;
use crate::core::project::{EXTENSION, LayerSource, Project, ProjectLayer};

use super::Session;
use super::analysis::{AnalysisJob, CoverageChoice};
use super::command::{Effects, Request};
use super::loader::LoadRequest;
use super::state::{MapMemory, PanelSettings, WindowState};

/// Whether a path names a project file rather than GeoJSON.
pub fn is_project(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == EXTENSION)
}

impl Session {
    /// The whole session as a project: layers (the proposals inline), roles, styles, filters,
    /// the coverage layers, the view and the window's settings.
    pub fn project(&self) -> Project {
        self.project_with(&self.panels)
    }

    /// [`Self::project`] with these panel settings instead of the ones last handed over.
    pub fn project_with(&self, panels: &PanelSettings) -> Project {
        let layers = self
            .layers
            .iter()
            .map(|l| ProjectLayer {
                source: if l.editable {
                    LayerSource::Inline(feature_collection(&l.layer.features))
                } else {
                    l.source.clone()
                },
                name: l.layer.name.clone(),
                role: l.role,
                // The proposals are kept in the working frame; other layers are read again
                // from their sources, in their own systems.
                crs: if l.editable {
                    Crs::Wgs84.code()
                } else {
                    l.layer.crs.code()
                },
                table: l.layer.table.clone(),
                encoding: l.encoding_choice.clone(),
                style: l.style.clone(),
                filter: l.filter.clone(),
                editable: l.editable,
                official_km2: l.official_km2.clone(),
            })
            .collect();
        let window = WindowState {
            lang: Some(self.lang),
            coverage_map: self.coverage_map,
            show_analysis: self.show_analysis,
            sliver_max_m2: panels.sliver_max_m2,
            analysis_tab: panels.analysis_tab,
            project_path: self.project_path.clone(),
            unsaved_edits: self.generation.saturating_sub(self.saved_generation),
            map_size: (self.map.size_px[0] > 0.0).then_some(self.map.size_px),
            export: Some(panels.export.clone()),
            layout: Some(panels.layout),
        };
        Project {
            layers,
            coverage_zones: self.index_of(self.coverage_choice.zones),
            coverage_units: self.index_of(self.coverage_choice.units),
            proposals_base: self.index_of(self.proposals_base),
            view: self.map.fitted.then_some(self.map.viewport),
            shown: Some(crate::core::project::Shown {
                lang: Some(self.lang),
                coverage_map: self.coverage_map,
                map_size: window.map_size,
            }),
            window: window.to_value(),
            analysis: Some(self.coverage_choice.options),
            ..Project::default()
        }
    }

    fn index_of(&self, key: Option<super::layer::LayerKey>) -> Option<usize> {
        self.layers.iter().position(|l| Some(l.key) == key)
    }

    /// Replaces what is open with a project's layers and settings. Files load in the
    /// background; the proposals and bundled layers at once.
    pub(super) fn load_project(&mut self, project: Project) -> Effects {
        let window = WindowState::from_value(&project.window);
        self.layers.clear();
        self.selection.clear();
        self.active_layer = None;
        self.history.clear();
        self.analysis = AnalysisJob::default();
        self.scenario = Default::default();
        self.coverage_choice = CoverageChoice {
            options: project.analysis.unwrap_or_default(),
            ..CoverageChoice::default()
        };
        self.proposals_base = None;
        self.map = MapMemory::default();
        if let Some(view) = project.view {
            self.map.viewport = view;
            self.map.fitted = true;
        }
        if let Some(lang) = window.lang {
            self.lang = lang;
        }
        self.coverage_map = window.coverage_map;
        self.show_analysis = window.show_analysis;
        self.panels = PanelSettings {
            analysis_tab: window.analysis_tab,
            sliver_max_m2: window.sliver_max_m2,
            export: window.export.unwrap_or_else(|| self.panels.export.clone()),
            layout: window.layout.unwrap_or_default(),
        };
        self.set_pending(
            project.coverage_zones,
            project.coverage_units,
            project.proposals_base,
        );
        for (order, layer) in project.layers.into_iter().enumerate() {
            let request = LoadRequest {
                source: layer.source,
                role: Some(layer.role),
                style: Some(layer.style),
                name: Some(layer.name),
                crs: Some(layer.crs),
                order: Some(order),
                filter: layer.filter,
                editable: layer.editable,
                official_km2: layer.official_km2,
                table: layer.table,
                encoding: layer.encoding,
                replaces: None,
            };
            self.start_load(request);
        }
        Effects::one(Request::Reset)
    }

    /// Opens a `.zonemap` project, or loads a GeoJSON file as a layer.
    pub(super) fn open_path(&mut self, path: &Path) -> Effects {
        if is_project(path) {
            self.open_project_file(path)
        } else {
            self.open_layer_file(path)
        }
    }

    pub(super) fn open_project_file(&mut self, path: &Path) -> Effects {
        match Project::read(path) {
            Ok(project) => {
                let dir = path.parent().unwrap_or(Path::new(""));
                let effects = self.load_project(project.resolved(dir));
                self.project_path = Some(path.to_owned());
                self.generation = 0;
                self.saved_generation = 0;
                self.notice = Some(format!("{} {}", self.lang.t().opened, path.display()));
                effects
            }
            Err(e) => {
                self.errors.push(e.to_string());
                Effects::none()
            }
        }
    }

    /// Saves to `path` (`.zonemap` added if it has no such extension), else to the project's
    /// own file, else asks the window for a path.
    pub(super) fn save_project(&mut self, path: Option<PathBuf>) -> Effects {
        match path.or_else(|| self.project_path.clone()) {
            Some(path) => {
                self.write_project(&with_extension(path));
                Effects::none()
            }
            None => Effects::one(Request::SaveProjectPath),
        }
    }

    fn write_project(&mut self, path: &Path) {
        let previous = self.project_path.replace(path.to_owned());
        match self.project().write(path) {
            Ok(()) => {
                self.saved_generation = self.generation;
                if let Some(autosave) = &mut self.autosave {
                    autosave.clear(self.generation);
                }
                self.notice = Some(format!("{} {}", self.lang.t().saved_to, path.display()));
            }
            Err(e) => {
                self.project_path = previous;
                self.errors.push(e.to_string());
            }
        }
    }

    /// Writes the proposals as RFC 7946 GeoJSON: to `path`, else where the user picks.
    pub(super) fn export_proposals(&mut self, path: Option<PathBuf>) -> Effects {
        let t = self.lang.t();
        let Some(layer) = self.proposals_key().and_then(|k| self.layer(k)) else {
            self.errors.push(t.no_proposals_to_export.to_owned());
            return Effects::none();
        };
        let Some(path) = path else {
            return Effects::one(Request::SaveProposalsPath);
        };
        let text = match feature_collection_text(&layer.layer.features, &Crs::Wgs84) {
            Ok(text) => text,
            Err(e) => {
                self.errors.push(e.to_string());
                return Effects::none();
            }
        };
        match write_atomic(&path, text.as_bytes()) {
            Ok(()) => self.notice = Some(format!("{} {}", t.exported_to, path.display())),
            Err(e) => self.errors.push(format!("{}: {e}", path.display())),
        }
        Effects::none()
    }

    /// Writes unsaved edits to the recovery file when the autosave interval has passed.
    pub(super) fn autosave_if_due(&mut self) {
        let due = self
            .autosave
            .as_ref()
            .is_some_and(|a| a.due(self.generation, self.saved_generation));
        if due && self.recovery_offer.is_none() {
            self.autosave_now();
        } else if self.generation != self.saved_generation {
            // Come back for it even if nothing else asks for a frame.
            self.repaint.request_after(super::recovery::AUTOSAVE_EVERY);
        }
    }

    /// Writes unsaved edits to the recovery file now (on exit, say). Nothing is written while
    /// an earlier session's recovery file is still on offer.
    pub fn autosave_now(&mut self) {
        if self.recovery_offer.is_some() || self.generation == self.saved_generation {
            return;
        }
        let project = self.project();
        let generation = self.generation;
        if let Some(autosave) = &mut self.autosave
            && let Err(e) = autosave.write(&project, generation)
        {
            let message = format!("{}: {e}", autosave.path.display());
            if !self.errors.contains(&message) {
                self.errors.push(message);
            }
        }
    }

    pub(super) fn restore_recovery(&mut self) -> Effects {
        let Some(offer) = self.recovery_offer.take() else {
            return Effects::none();
        };
        let effects = self.load_project(offer.project);
        self.project_path = offer.window.project_path;
        // Still unsaved: the recovery file stays until the project is saved.
        self.saved_generation = 0;
        self.generation = offer.window.unsaved_edits.max(1);
        effects
    }

    pub(super) fn discard_recovery(&mut self) {
        if let Some(offer) = self.recovery_offer.take() {
            let _ = std::fs::remove_file(&offer.path);
        }
    }
}

fn with_extension(path: PathBuf) -> PathBuf {
    if is_project(&path) {
        path
    } else {
        let mut s = path.into_os_string();
        s.push(format!(".{EXTENSION}"));
        PathBuf::from(s)
    }
}
