//! Pilots: for each value of the zones' `pilot` property, the zones in it, the units it takes
//! in (by its zones' outlines, or added by `pilot_adds`), its area and its share of the whole.

use egui::{RichText, Ui};

use crate::core::analysis::pilots::{PILOT_ADDS_FIELD, PILOT_FIELD};

use super::i18n::Lang;
use crate::session::analysis::AnalysisResult;
use crate::ui::command::{Command, Commands};

pub fn pilots_ui(ui: &mut Ui, result: &AnalysisResult, lang: Lang, commands: &mut Commands) {
    let t = lang.t();
    let analysis = &result.analysis;
    if analysis.pilots.is_empty() {
        ui.weak(format!(
            "{} (`{PILOT_FIELD}`, `{PILOT_ADDS_FIELD}`)",
            t.no_pilots
        ));
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (pilot, row) in analysis.pilots.iter().zip(&result.report.pilots) {
                ui.push_id(&row.pilot, |ui| {
                    ui.label(RichText::new(&row.pilot).size(16.0).strong());
                    ui.label(format!(
                        "{}: {:.4} {} · {:.1}% {}",
                        t.pilot_area,
                        row.area_km2,
                        t.km2,
                        row.share_of_units * 100.0,
                        t.of_all_units
                    ));
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{}:", t.role_zones));
                        for (&zone, name) in pilot.zones.iter().zip(&row.zones) {
                            if ui.link(name).clicked() {
                                let r = result.zone_ref(zone);
                                commands.push(Command::Select(vec![r]));
                                commands.push(Command::ZoomToFeature(r));
                            }
                        }
                    });
                    egui::Grid::new("pilot_units")
                        .striped(true)
                        .num_columns(3)
                        .show(ui, |ui| {
                            ui.strong(t.role_units);
                            ui.strong(t.in_pilot_km2);
                            ui.strong("");
                            ui.end_row();
                            for (u, unit_row) in pilot.units.iter().zip(&row.units) {
                                if ui.link(&unit_row.name).clicked() {
                                    let r = result.unit_ref(u.unit);
                                    commands.push(Command::Select(vec![r]));
                                    commands.push(Command::ZoomToFeature(r));
                                }
                                ui.label(format!("{:.4}", unit_row.area_km2));
                                if unit_row.added {
                                    ui.label(RichText::new(t.added_by_pilot).italics());
                                } else {
                                    ui.label("");
                                }
                                ui.end_row();
                            }
                        });
                    ui.separator();
                });
            }
        });
}
