//! The selected features: properties, geodesic area and perimeter, and for zones and units the
//! features on the other side of the coverage; for several features, their total and union area.

use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, RichText, Ui};

use crate::core::Role;
use crate::core::measure::{Area, geodesic_area_sum, geodesic_perimeter_m};
use crate::core::topology::overlay::union_all;

use super::i18n::Lang;
use crate::session::analysis::AnalysisResult;
use crate::session::layer::{FeatureRef, MapLayer, is_approximate};
use crate::ui::command::{Command, Commands};

/// Figures that cost too much to recompute every frame, kept for the current selection as its
/// features are now: each is keyed to the feature and to its layer's data (the address of the
/// layer's `Arc<Layer>`, which every edit, undo and redo replaces), so an edited feature's
/// figures are worked out afresh.
#[derive(Default)]
pub struct SelectionPanel {
    perimeter: Option<(FeatureState, f64)>,
    union: Option<UnionJob>,
    /// The official area being typed, for the feature it is typed for.
    official_text: Option<(FeatureRef, String)>,
}

/// A feature as it is now: which, and the address of its layer's data.
type FeatureState = (FeatureRef, usize);

/// The state of `f`, if its layer is open.
fn state_of(layers: &[MapLayer], f: FeatureRef) -> Option<FeatureState> {
    let layer = layers.iter().find(|l| l.key == f.layer)?;
    Some((f, std::sync::Arc::as_ptr(&layer.layer) as usize))
}

struct UnionJob {
    selection: Vec<FeatureState>,
    rx: Option<Receiver<Area>>,
    area: Option<Area>,
}

impl SelectionPanel {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        layers: &[MapLayer],
        selection: &[FeatureRef],
        analysis: Option<&AnalysisResult>,
        lang: Lang,
        commands: &mut Commands,
    ) {
        let t = lang.t();
        ui.heading(t.selection);
        match selection {
            [] => {
                ui.label(t.nothing_selected);
                ui.weak(t.help_select);
            }
            [one] => self.single_ui(ui, layers, *one, analysis, lang, commands),
            many => self.many_ui(ui, layers, many, lang, commands),
        }
    }

    /// The feature's official area: typed here (or its `official_km2` property), and how the
    /// computed area differs from it.
    fn official_ui(
        &mut self,
        ui: &mut Ui,
        selected: FeatureRef,
        feature: &crate::core::Feature,
        area: Area,
        lang: Lang,
        commands: &mut Commands,
    ) {
        use crate::core::format::{fixed, signed};
        use crate::core::report::OFFICIAL_KM2;
        let t = lang.t();
        let official = feature.property_number(OFFICIAL_KM2).filter(|v| *v > 0.0);
        if self
            .official_text
            .as_ref()
            .is_none_or(|(f, _)| *f != selected)
        {
            let text = official.map(|v| v.to_string()).unwrap_or_default();
            self.official_text = Some((selected, text));
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(t.official_area).on_hover_text(t.official_hint);
            let Some((_, text)) = self.official_text.as_mut() else {
                return;
            };
            let field = ui.add(egui::TextEdit::singleline(text).desired_width(72.0));
            ui.label(t.km2);
            let typed = text.trim().replace(',', "").parse::<f64>().ok();
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui
                .add_enabled(
                    typed.is_some_and(|v| v > 0.0),
                    egui::Button::new(t.set).small(),
                )
                .clicked()
                || entered)
                && let Some(v) = typed.filter(|v| v.is_finite() && *v > 0.0)
            {
                commands.push(Command::SetOfficialArea(selected, Some(v)));
            }
            if official.is_some() && ui.small_button(t.clear).clicked() {
                commands.push(Command::SetOfficialArea(selected, None));
                text.clear();
            }
        });
        if let Some(o) = official {
            let diff = area.km2() - o;
            ui.label(format!(
                "{}: {} {} ({}%) · {} {}",
                t.computed_vs_official,
                signed(diff, 2),
                t.km2,
                signed(diff / o * 100.0, 1),
                fixed(o, 2),
                t.km2,
            ));
        }
    }

    fn single_ui(
        &mut self,
        ui: &mut Ui,
        layers: &[MapLayer],
        selected: FeatureRef,
        analysis: Option<&AnalysisResult>,
        lang: Lang,
        commands: &mut Commands,
    ) {
        let t = lang.t();
        let Some(layer) = layers.iter().find(|l| l.key == selected.layer) else {
            return;
        };
        let Some(feature) = layer.feature(selected.feature) else {
            return;
        };
        ui.label(RichText::new(&feature.name).size(18.0).strong());
        ui.label(format!("{} · {}", lang.role(layer.role), layer.layer.name));
        if is_approximate(feature) {
            ui.colored_label(
                Color32::from_rgb(200, 90, 0),
                format!("≈ {}", t.approximate_feature),
            );
        }
        for (_, note) in &feature.notes {
            ui.colored_label(Color32::from_rgb(200, 60, 0), format!("△ {note}"));
        }
        if ui.button(t.zoom_selection).clicked() {
            commands.push(Command::ZoomToFeature(selected));
        }
        ui.separator();
        if feature.is_areal() {
            let area = layer.area(selected.feature);
            let now = state_of(layers, selected);
            let perimeter_m = match self.perimeter {
                Some((f, p)) if Some(f) == now => p,
                _ => {
                    let p = feature
                        .polygons()
                        .iter()
                        .map(|p| geodesic_perimeter_m(p))
                        .sum();
                    self.perimeter = now.map(|f| (f, p));
                    p
                }
            };
            egui::Grid::new("measures").num_columns(2).show(ui, |ui| {
                ui.label(t.area);
                ui.label(format!("{:.4} {}", area.km2(), t.km2));
                ui.end_row();
                ui.label("");
                ui.label(format!("{:.2} {}", area.hectares(), t.hectares));
                ui.end_row();
                ui.label("");
                ui.label(format!("{:.0} {}", area.mu(), t.mu));
                ui.end_row();
                ui.label(t.perimeter);
                ui.label(format!("{:.3} {}", perimeter_m / 1000.0, t.km));
                ui.end_row();
            });
            self.official_ui(ui, selected, feature, area, lang, commands);
        } else {
            ui.weak(t.no_geometry);
        }
        if let Some(analysis) = analysis {
            relations_ui(ui, layers, layer.role, selected, analysis, lang, commands);
        }
        ui.separator();
        ui.strong(t.properties);
        egui::Grid::new("properties")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for (key, value) in &feature.properties {
                    ui.label(key);
                    let text = match value {
                        serde_json::Value::String(s) => s.clone(),
                        v => v.to_string(),
                    };
                    ui.label(text);
                    ui.end_row();
                }
            });
        per_km2_ui(ui, layer, selected, lang);
    }
}

/// Each figure among the properties divided by the feature's geodesic area: output or
/// revenue density, say.
fn per_km2_ui(ui: &mut Ui, layer: &MapLayer, selected: FeatureRef, lang: Lang) {
    let t = lang.t();
    let Some(feature) = layer.feature(selected.feature) else {
        return;
    };
    let km2 = layer.area(selected.feature).km2();
    if km2 <= 0.0 {
        return;
    }
    let figures: Vec<(&String, f64)> = layer
        .numeric_fields
        .iter()
        .filter_map(|f| Some((f, feature.property_number(f)?)))
        .collect();
    if figures.is_empty() {
        return;
    }
    ui.separator();
    ui.strong(t.per_km2_heading);
    egui::Grid::new("per_km2")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (field, value) in figures {
                ui.label(format!("{field} / {}", t.km2));
                ui.label(super::layers_panel::figure(value / km2));
                ui.end_row();
            }
        });
}

impl SelectionPanel {
    fn many_ui(
        &mut self,
        ui: &mut Ui,
        layers: &[MapLayer],
        selection: &[FeatureRef],
        lang: Lang,
        commands: &mut Commands,
    ) {
        let t = lang.t();
        ui.label(format!("{} {}", selection.len(), t.selected_count));
        let total: f64 = selection
            .iter()
            .filter_map(|f| Some(layers.iter().find(|l| l.key == f.layer)?.area(f.feature).m2))
            .sum();
        let union = self.union_area(layers, selection, ui.ctx());
        egui::Grid::new("many").num_columns(2).show(ui, |ui| {
            ui.label(t.total_area);
            ui.label(format!("{:.4} {}", total / 1e6, t.km2));
            ui.end_row();
            ui.label(t.union_area);
            match union {
                Some(a) => ui.label(format!("{:.4} {}", a.km2(), t.km2)),
                None => ui.weak(t.computing),
            };
            ui.end_row();
        });
        if ui.button(t.zoom_selection).clicked() {
            commands.push(Command::ZoomToSelection);
        }
        ui.separator();
        egui::Grid::new("selected_list")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for f in selection {
                    let Some(layer) = layers.iter().find(|l| l.key == f.layer) else {
                        continue;
                    };
                    let Some(feature) = layer.feature(f.feature) else {
                        continue;
                    };
                    if ui.link(&feature.name).clicked() {
                        commands.push(Command::Select(vec![*f]));
                    }
                    ui.label(format!("{:.4} {}", layer.area(f.feature).km2(), t.km2));
                    ui.end_row();
                }
            });
    }

    /// The geodesic area of the union of the selection, computed in the background.
    fn union_area(
        &mut self,
        layers: &[MapLayer],
        selection: &[FeatureRef],
        ctx: &egui::Context,
    ) -> Option<Area> {
        let now: Vec<FeatureState> = selection
            .iter()
            .filter_map(|f| state_of(layers, *f))
            .collect();
        if self.union.as_ref().is_none_or(|j| j.selection != now) {
            let shapes: Vec<_> = selection
                .iter()
                .filter_map(|f| {
                    let layer = layers.iter().find(|l| l.key == f.layer)?;
                    Some(layer.feature(f.feature)?.multi_polygon())
                })
                .collect();
            let (tx, rx) = channel();
            let ctx = ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("union area".into())
                .spawn(move || {
                    let union = union_all(&shapes);
                    let _ = tx.send(geodesic_area_sum(&union.0));
                    ctx.request_repaint();
                });
            self.union = Some(UnionJob {
                selection: now,
                rx: spawned.ok().map(|_| rx),
                area: None,
            });
        }
        let job = self.union.as_mut()?;
        if let Some(area) = job.rx.as_ref().and_then(|rx| rx.try_recv().ok()) {
            job.area = Some(area);
            job.rx = None;
        }
        job.area
    }
}

fn relations_ui(
    ui: &mut Ui,
    layers: &[MapLayer],
    role: Role,
    selected: FeatureRef,
    analysis: &AnalysisResult,
    lang: Lang,
    commands: &mut Commands,
) {
    let t = lang.t();
    let is_zone = selected.layer == analysis.inputs.zones;
    let is_unit = selected.layer == analysis.inputs.units;
    if !(is_zone || is_unit) || role == Role::Context {
        return;
    }
    ui.separator();
    ui.strong(if is_zone {
        t.covers_units
    } else {
        t.covered_by
    });
    if let Some(cov) = analysis.coverage(selected) {
        ui.label(format!(
            "{}: {} · {:.4} {} ({:.1}%)",
            t.coverage,
            lang.status(cov.status),
            cov.covered.km2(),
            t.km2,
            cov.covered_share() * 100.0
        ));
    }
    let mut related = analysis.related(selected);
    related.sort_by(|a, b| b.1.area.m2.total_cmp(&a.1.area.m2));
    if related.is_empty() {
        ui.weak(if is_zone {
            t.covers_nothing
        } else {
            t.covered_by_nothing
        });
        return;
    }
    // One line per feature, wrapping in a narrow column: the name, then its km² and shares
    // (a four-column grid was cut at the column's edge).
    for (other, overlap) in related {
        let name = layers
            .iter()
            .find(|l| l.key == other.layer)
            .and_then(|l| l.feature(other.feature))
            .map_or_else(String::new, |f| f.name.clone());
        ui.horizontal_wrapped(|ui| {
            if ui.link(name).clicked() {
                commands.push(Command::Select(vec![other]));
            }
            ui.label(format!(
                "{:.4} {} · {:.1}% {} · {:.1}% {}",
                overlap.area.km2(),
                t.km2,
                overlap.share_of_unit * 100.0,
                t.share_of_unit,
                overlap.share_of_zone * 100.0,
                t.share_of_zone
            ));
        });
    }
}
