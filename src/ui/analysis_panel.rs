//! The coverage dock under the map: which layer is the zones and which the units, whether the
//! figures are current, and tabs for the coverage table, the matrix, overlaps and slivers, and
//! pilots.

use egui::{Color32, RichText, Ui};

use crate::core::Role;

use super::coverage_table::CoverageTable;
use super::i18n::Lang;
use super::matrix_view::MatrixView;
use super::overlaps_view::OverlapsView;
use super::pilots_view::pilots_ui;
use super::scenario_view::{ScenarioInput, scenario_ui};
use crate::session::analysis::{AnalysisResult, CoverageChoice};
use crate::session::layer::{FeatureRef, LayerKey, MapLayer};
use crate::ui::command::{Command, Commands};

pub use crate::session::state::Tab;

/// Docks shorter than this (points) fold their settings behind a button.
const COMPACT_BELOW: f32 = 170.0;

/// The dock's state between frames: its tab, and each view's sorting, filters and settings.
#[derive(Default)]
pub struct AnalysisPanel {
    pub tab: Tab,
    /// In a short dock, whether the folded settings are shown.
    pub settings_open: bool,
    pub table: CoverageTable,
    pub matrix: MatrixView,
    pub overlaps: OverlapsView,
}

/// What the dock shows this frame.
pub struct AnalysisPanelInput<'a> {
    pub layers: &'a [MapLayer],
    pub choice: &'a CoverageChoice,
    /// The latest result and whether it is out of date.
    pub latest: Option<(&'a AnalysisResult, bool)>,
    pub running: bool,
    pub coverage_map: bool,
    pub selection: &'a [FeatureRef],
    /// The before-and-after comparison of the proposals.
    pub scenario: ScenarioInput<'a>,
    pub lang: Lang,
}

impl AnalysisPanel {
    /// The dock's contents. They scroll as a whole when the dock is too short for them (a
    /// small window), so that they never spill over the panels beside the dock.
    pub fn ui(&mut self, ui: &mut Ui, input: AnalysisPanelInput<'_>, commands: &mut Commands) {
        egui::ScrollArea::vertical()
            .id_salt("dock_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| self.contents_ui(ui, input, commands));
    }

    /// The analysis' settings: the zones and units layers, swapping them, the coverage map,
    /// the snapping tolerance, warnings and whether the figures are current.
    fn settings_ui(&self, ui: &mut Ui, input: &AnalysisPanelInput<'_>, commands: &mut Commands) {
        let t = input.lang.t();
        let lang = input.lang;
        layer_picker(ui, input.layers, input.choice, Role::Zones, lang, commands);
        layer_picker(ui, input.layers, input.choice, Role::Units, lang, commands);
        let zones = input.choice.resolve(input.layers, Role::Zones);
        let units = input.choice.resolve(input.layers, Role::Units);
        if ui
            .add_enabled(
                zones.is_some() && units.is_some(),
                egui::Button::new("↑↓").small(),
            )
            .on_hover_text(t.swap_layers)
            .clicked()
            && let (Some(z), Some(u)) = (zones, units)
        {
            commands.push(Command::SetCoverageLayer(Role::Zones, u));
            commands.push(Command::SetCoverageLayer(Role::Units, z));
        }
        let mut map = input.coverage_map;
        if ui.checkbox(&mut map, t.coverage_map).changed() {
            commands.push(Command::SetCoverageMap(map));
        }
        let mut snap = input.choice.options.snap_m;
        ui.label(t.snap).on_hover_text(t.snap_hint);
        let drag = ui
            .add(
                egui::DragValue::new(&mut snap)
                    .range(0.0..=100.0)
                    .speed(0.05)
                    .max_decimals(2)
                    .suffix(" m"),
            )
            .on_hover_text(t.snap_hint);
        if drag.changed() {
            commands.push(Command::SetSnap(snap));
        }
        if let Some((result, _)) = input.latest
            && !result.report.warnings.is_empty()
        {
            ui.colored_label(
                Color32::from_rgb(200, 60, 0),
                format!("△ {} {}", result.report.warnings.len(), t.report_warnings),
            )
            .on_hover_ui(|ui| {
                for w in result.report.warnings.iter().take(30) {
                    ui.label(&w.message);
                }
                if result.report.warnings.len() > 30 {
                    ui.weak(format!("… +{}", result.report.warnings.len() - 30));
                }
            });
        }
        ui.separator();
        match input.latest {
            _ if input.running => {
                ui.spinner();
                ui.colored_label(Color32::from_rgb(160, 90, 0), t.refreshing);
            }
            Some((_, true)) => {
                ui.colored_label(Color32::from_rgb(160, 90, 0), t.refreshing);
            }
            Some((result, false)) => {
                ui.weak(format!(
                    "{} {:.2} s",
                    t.computed_in,
                    result.elapsed.as_secs_f64()
                ));
            }
            None => {}
        }
    }

    fn contents_ui(&mut self, ui: &mut Ui, input: AnalysisPanelInput<'_>, commands: &mut Commands) {
        let lang = input.lang;
        let t = lang.t();
        // A short dock (a small window) puts its tabs first and folds the layer pickers and
        // the snapping behind a button, so that the table's first rows show without scrolling.
        let compact = ui.available_height() < COMPACT_BELOW;
        if !compact {
            ui.horizontal_wrapped(|ui| {
                ui.heading(t.coverage);
                self.settings_ui(ui, &input, commands);
            });
        }
        let Some((result, stale)) = input.latest else {
            if compact {
                ui.horizontal_wrapped(|ui| self.settings_ui(ui, &input, commands));
            }
            ui.separator();
            if input.running {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(t.analysing);
                });
            } else {
                ui.label(t.pick_layers);
            }
            return;
        };
        ui.horizontal_wrapped(|ui| {
            for (tab, title) in [
                (Tab::Coverage, t.tab_coverage),
                (Tab::Matrix, t.tab_matrix),
                (Tab::Overlaps, t.tab_overlaps),
                (Tab::Pilots, t.tab_pilots),
                (Tab::Scenario, t.tab_scenario),
            ] {
                let title = match tab {
                    Tab::Overlaps => format!(
                        "{title} ({})",
                        result.analysis.zone_overlaps.len() + result.report.outside.len()
                    ),
                    Tab::Pilots => format!("{title} ({})", result.analysis.pilots.len()),
                    _ => title.to_owned(),
                };
                ui.selectable_value(&mut self.tab, tab, title);
            }
            if compact {
                ui.separator();
                ui.toggle_value(&mut self.settings_open, t.coverage_settings)
                    .on_hover_text(t.coverage_settings_hint);
            }
        });
        if compact && self.settings_open {
            ui.horizontal_wrapped(|ui| self.settings_ui(ui, &input, commands));
        }
        ui.separator();
        // A stale result stays readable, dimmed, until the new one is in.
        let ui = &mut *ui;
        if stale {
            ui.multiply_opacity(0.55);
        }
        match self.tab {
            Tab::Coverage => self.table.ui(ui, result, input.selection, lang, commands),
            Tab::Matrix => self.matrix.ui(ui, result, lang, commands),
            Tab::Overlaps => self.overlaps.ui(ui, result, lang, commands),
            Tab::Pilots => pilots_ui(ui, result, lang, commands),
            Tab::Scenario => scenario_ui(ui, &input.scenario, lang, commands),
        }
    }
}

/// A combo box choosing the layer for one side of the analysis, among the polygon layers.
fn layer_picker(
    ui: &mut Ui,
    layers: &[MapLayer],
    choice: &CoverageChoice,
    role: Role,
    lang: Lang,
    commands: &mut Commands,
) {
    let t = lang.t();
    let label = ui.label(match role {
        Role::Zones => t.zones_layer,
        _ => t.units_layer,
    });
    let current = choice.resolve(layers, role);
    let name = |key: Option<LayerKey>| {
        key.and_then(|k| layers.iter().find(|l| l.key == k))
            .map_or(t.none.to_owned(), |l| l.layer.name.clone())
    };
    let mut picked = current;
    egui::ComboBox::from_id_salt(("coverage_layer", role.as_str()))
        .selected_text(RichText::new(name(current)).strong())
        .width(190.0)
        .show_ui(ui, |ui| {
            for l in layers
                .iter()
                .filter(|l| l.layer.features.iter().any(|f| f.is_areal()))
            {
                ui.selectable_value(&mut picked, Some(l.key), &l.layer.name);
            }
        })
        .response
        .labelled_by(label.id);
    if picked != current
        && let Some(key) = picked
    {
        commands.push(Command::SetCoverageLayer(role, key));
    }
}
