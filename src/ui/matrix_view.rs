//! The zone × unit matrix: each overlap's area and its share of the unit and of the zone, as a
//! grid when it fits on screen and as a list otherwise; copied or saved as CSV.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::core::report::OverlapRow;

use super::i18n::Lang;
use crate::session::analysis::AnalysisResult;
use crate::ui::command::{Command, Commands, WindowCommand};

/// What a grid cell shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cell {
    #[default]
    Km2,
    ShareOfUnit,
    ShareOfZone,
}

/// The grid is drawn while it has at most this many unit columns; past that, the list.
const MAX_GRID_UNITS: usize = 40;

#[derive(Default)]
pub struct MatrixView {
    pub cell: Cell,
    /// Where "Save" writes, for systems without a file dialog.
    pub save_path: String,
}

impl MatrixView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        result: &AnalysisResult,
        lang: Lang,
        commands: &mut Commands,
    ) {
        let t = lang.t();
        let report = &result.report;
        ui.horizontal_wrapped(|ui| {
            ui.label(t.cell_shows);
            ui.selectable_value(&mut self.cell, Cell::Km2, t.km2);
            ui.selectable_value(&mut self.cell, Cell::ShareOfUnit, t.share_of_unit);
            ui.selectable_value(&mut self.cell, Cell::ShareOfZone, t.share_of_zone);
            ui.separator();
            if ui.button(t.copy_csv).clicked() {
                commands.push(WindowCommand::CopyText(report.matrix_csv()));
            }
            if ui.button(t.save_csv).clicked() {
                commands.push(WindowCommand::SaveTextAs {
                    file_name: "zonemap-matrix.csv".into(),
                    contents: csv_for_spreadsheets(&report.matrix_csv()),
                });
            }
            let label = ui.label(t.save_to);
            ui.add(
                egui::TextEdit::singleline(&mut self.save_path)
                    .hint_text("matrix.csv")
                    .desired_width(180.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(!self.save_path.trim().is_empty(), egui::Button::new(t.save))
                .clicked()
            {
                commands.push(Command::SaveText {
                    path: self.save_path.trim().into(),
                    contents: csv_for_spreadsheets(&report.matrix_csv()),
                });
            }
        });
        ui.weak(t.matrix_help);
        if report.units.len() <= MAX_GRID_UNITS {
            self.grid_ui(ui, result, lang);
        } else {
            ui.weak(format!(
                "{} {MAX_GRID_UNITS}: {}",
                t.matrix_too_wide, t.matrix_list
            ));
            list_ui(ui, &report.overlaps, lang);
        }
    }

    fn grid_ui(&self, ui: &mut Ui, result: &AnalysisResult, lang: Lang) {
        let report = &result.report;
        let overlaps = report.overlaps_by_pair();
        let height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        // The units' columns share the dock's width (never narrower than a figure), and their
        // names wrap onto as many lines as they need (at most three) rather than being cut.
        let font = egui::TextStyle::Body.resolve(ui.style());
        let text_width = |text: &str| {
            ui.fonts_mut(|f| {
                f.layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            })
        };
        let zone_width = report
            .zones
            .iter()
            .map(|z| text_width(&z.name))
            .fold(80.0_f32, f32::max)
            .min(170.0)
            + 12.0;
        let n = report.units.len().max(1) as f32;
        let spacing = ui.spacing().item_spacing.x;
        let unit_width =
            ((ui.available_width() - zone_width - spacing * (n + 1.0)) / n).clamp(50.0, 140.0);
        let lines = report
            .units
            .iter()
            .map(|u| (text_width(&u.name) / (unit_width - 4.0)).ceil())
            .fold(1.0_f32, f32::max)
            .min(3.0);
        let header_height = height.max(ui.text_style_height(&egui::TextStyle::Body) * lines + 6.0);
        egui::ScrollArea::horizontal().show(ui, |ui| {
            TableBuilder::new(ui)
                .min_scrolled_height(40.0)
                .id_salt("matrix")
                .striped(true)
                .auto_shrink([false, false])
                .column(Column::initial(zone_width).at_least(80.0).clip(true))
                .columns(
                    Column::initial(unit_width).at_least(50.0).clip(true),
                    report.units.len(),
                )
                .header(header_height, |mut header| {
                    header.col(|ui| {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!(
                                    "{} \\ {}",
                                    lang.t().role_zones,
                                    lang.t().role_units
                                ))
                                .strong(),
                            )
                            .wrap(),
                        );
                    });
                    for u in &report.units {
                        header.col(|ui| {
                            ui.add(egui::Label::new(RichText::new(&u.name).strong()).wrap())
                                .on_hover_text(&u.name);
                        });
                    }
                })
                .body(|body| {
                    body.rows(height, report.zones.len(), |mut row| {
                        let zone = &report.zones[row.index()];
                        row.col(|ui| {
                            ui.label(RichText::new(&zone.name).strong());
                        });
                        for u in &report.units {
                            row.col(
                                |ui| match overlaps.get(&(zone.id.as_str(), u.id.as_str())) {
                                    Some(o) => {
                                        let text = match self.cell {
                                            Cell::Km2 => format!("{:.4}", o.area_km2),
                                            Cell::ShareOfUnit => {
                                                format!("{:.1}%", o.share_of_unit * 100.0)
                                            }
                                            Cell::ShareOfZone => {
                                                format!("{:.1}%", o.share_of_zone * 100.0)
                                            }
                                        };
                                        let text = RichText::new(text);
                                        let text = if o.share_of_unit >= 0.5 {
                                            text.strong()
                                        } else {
                                            text
                                        };
                                        ui.label(text).on_hover_text(format!(
                                            "{} ∩ {}: {:.4} {} · {:.1}% {} · {:.1}% {}",
                                            o.zone_name,
                                            o.unit_name,
                                            o.area_km2,
                                            lang.t().km2,
                                            o.share_of_unit * 100.0,
                                            lang.t().share_of_unit,
                                            o.share_of_zone * 100.0,
                                            lang.t().share_of_zone,
                                        ));
                                    }
                                    None => {
                                        ui.weak("·");
                                    }
                                },
                            );
                        }
                    });
                });
        });
    }
}

/// Every overlap as a row: for layers too big for a grid.
fn list_ui(ui: &mut Ui, overlaps: &[OverlapRow], lang: Lang) {
    let t = lang.t();
    let height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    TableBuilder::new(ui)
        .min_scrolled_height(40.0)
        .id_salt("matrix_list")
        .striped(true)
        .auto_shrink([false, false])
        .column(Column::initial(180.0).clip(true))
        .column(Column::initial(180.0).clip(true))
        .column(Column::initial(100.0))
        .column(Column::initial(90.0))
        .column(Column::remainder())
        .header(height, |mut header| {
            for title in [
                t.role_zones,
                t.role_units,
                t.area_km2,
                t.share_of_unit,
                t.share_of_zone,
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(height, overlaps.len(), |mut row| {
                let o = &overlaps[row.index()];
                row.col(|ui| {
                    ui.label(&o.zone_name);
                });
                row.col(|ui| {
                    ui.label(&o.unit_name);
                });
                row.col(|ui| {
                    ui.label(format!("{:.4}", o.area_km2));
                });
                row.col(|ui| {
                    ui.label(format!("{:.1}%", o.share_of_unit * 100.0));
                });
                row.col(|ui| {
                    ui.label(format!("{:.1}%", o.share_of_zone * 100.0));
                });
            });
        });
}

pub use crate::core::report::csv_for_spreadsheets;
