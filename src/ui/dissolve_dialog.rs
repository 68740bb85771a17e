//! Dissolve by field in the window: a dialog choosing the field and where the result goes, and
//! the list of what the last dissolve made (each group, and the gaps and overlaps between
//! members, each with a button to zoom to it).

use egui::{Color32, RichText};

use super::command::{Command, Commands};
use super::i18n::Lang;
use crate::core::topology::dissolve::{Method, Piece};
use crate::session::Session;
use crate::session::dissolve::DissolveInto;
use crate::session::layer::LayerKey;

/// The dialog's state.
pub struct DissolveDialog {
    /// Whether it is shown.
    pub open: bool,
    /// The layer to dissolve.
    pub layer: Option<LayerKey>,
    /// The field chosen.
    pub field: String,
    /// Where the result goes.
    pub into: DissolveInto,
}

impl Default for DissolveDialog {
    fn default() -> Self {
        DissolveDialog {
            open: false,
            layer: None,
            field: String::new(),
            into: DissolveInto::NewLayer,
        }
    }
}

impl DissolveDialog {
    /// Opens the dialog on a layer, with its first field that groups (fewer values than
    /// features, one value included) chosen.
    pub fn open_on(&mut self, session: &Session, key: LayerKey) {
        self.open = true;
        self.layer = Some(key);
        let Some(layer) = session.layer(key) else {
            return;
        };
        if !layer.fields.contains(&self.field) {
            let grouping = layer.fields.iter().find(|f| {
                let mut values = std::collections::HashSet::new();
                for feature in &layer.layer.features {
                    values.insert(feature.properties.get(f.as_str()).map(|v| v.to_string()));
                }
                values.len() < layer.layer.features.len()
            });
            self.field = grouping
                .or(layer.fields.first())
                .cloned()
                .unwrap_or_default();
        }
    }

    /// The dialog, while open, and the last dissolve's list.
    pub fn ui(&mut self, session: &Session, ctx: &egui::Context, commands: &mut Commands) {
        let lang = session.lang;
        let t = lang.t();
        if self.open {
            let mut open = true;
            let mut run = false;
            crate::ui::dialog(t.dissolve_title, &mut open, ctx).show(ctx, |ui| {
                let Some(layer) = self.layer.and_then(|k| session.layer(k)) else {
                    return;
                };
                ui.set_max_width(420.0);
                ui.label(RichText::new(&layer.layer.name).strong());
                ui.add(egui::Label::new(RichText::new(t.dissolve_hint).weak()).wrap());
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label(t.field);
                    egui::ComboBox::from_id_salt("dissolve_field")
                        .selected_text(&self.field)
                        .width(200.0)
                        .show_ui(ui, |ui| {
                            for f in &layer.fields {
                                ui.selectable_value(&mut self.field, f.clone(), f);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                ui.horizontal_wrapped(|ui| {
                    ui.radio_value(
                        &mut self.into,
                        DissolveInto::NewLayer,
                        t.dissolve_into_layer,
                    );
                    ui.radio_value(
                        &mut self.into,
                        DissolveInto::Proposals,
                        t.dissolve_into_proposals,
                    );
                });
                run = ui
                    .add_enabled(!self.field.is_empty(), egui::Button::new(t.dissolve_run))
                    .clicked();
            });
            if run && let Some(layer) = self.layer {
                commands.push(Command::Dissolve {
                    layer,
                    field: self.field.clone(),
                    into: self.into,
                });
                open = false;
            }
            self.open = open;
        }
        report_ui(session, lang, ctx, commands);
    }
}

/// What the last dissolve made: each group, then the gaps and overlaps between members.
fn report_ui(session: &Session, lang: Lang, ctx: &egui::Context, commands: &mut Commands) {
    let t = lang.t();
    let Some(report) = &session.dissolve_report else {
        return;
    };
    let mut open = true;
    let title = format!(
        "{}: {} ({})",
        t.dissolve_result, report.source, report.field
    );
    egui::Window::new(title)
        .open(&mut open)
        .default_pos(ctx.content_rect().center() - egui::vec2(230.0, 160.0))
        .collapsible(true)
        .resizable(true)
        .default_width(460.0)
        .default_height(320.0)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("dissolve_groups")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        ui.strong(&report.field);
                        ui.strong(t.dissolve_members);
                        ui.strong(t.area_km2);
                        ui.strong(t.dissolve_method);
                        ui.end_row();
                        for g in &report.groups {
                            ui.label(g.value.as_deref().unwrap_or("—"));
                            ui.label(g.members.len().to_string());
                            ui.label(format!("{:.4}", g.area_m2 / 1e6));
                            ui.weak(match g.method {
                                Method::SharedEdges => t.dissolve_method_shared,
                                Method::Snapped => t.dissolve_method_snapped,
                                Method::Overlay => t.dissolve_method_overlay,
                            });
                            ui.end_row();
                        }
                    });
                ui.separator();
                pieces_ui(ui, t.dissolve_gaps, &report.gaps, lang, commands);
                pieces_ui(ui, t.dissolve_overlaps, &report.overlaps, lang, commands);
            });
        });
    if !open {
        commands.push(Command::DismissDissolveReport);
    }
}

fn pieces_ui(
    ui: &mut egui::Ui,
    title: &str,
    pieces: &[Piece],
    lang: Lang,
    commands: &mut Commands,
) {
    let t = lang.t();
    ui.strong(format!("{title}: {}", pieces.len()));
    if pieces.is_empty() {
        ui.weak(t.dissolve_none);
    }
    for p in pieces {
        ui.horizontal_wrapped(|ui| {
            let mut text = format!(
                "{} · {:.6} km² · {:.3}–{:.3}°E {:.3}–{:.3}°N",
                p.value.as_deref().unwrap_or("—"),
                p.area_m2 / 1e6,
                p.extent[0],
                p.extent[2],
                p.extent[1],
                p.extent[3]
            );
            if !p.members.is_empty() {
                text.push_str(&format!(" · {}", p.members.join(" ∩ ")));
            }
            if p.sliver {
                ui.colored_label(
                    Color32::from_rgb(160, 90, 0),
                    format!("{text} ({})", t.dissolve_sliver),
                );
            } else {
                ui.label(text);
            }
            if ui.small_button(t.zoom_here).clicked() {
                commands.push(Command::ZoomToExtent(p.extent));
            }
        });
    }
}
