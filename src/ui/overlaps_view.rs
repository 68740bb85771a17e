//! Zone-to-zone overlaps (land counted twice) and slivers: pieces smaller than a size the user
//! sets, listed apart so that they are neither hidden nor mistaken for real coverage.

use egui::{RichText, Ui};

use super::i18n::Lang;
use crate::session::analysis::AnalysisResult;
use crate::ui::command::{Command, Commands};

pub use crate::session::state::DEFAULT_SLIVER_M2;

pub struct OverlapsView {
    /// Pieces below this area (m²) are slivers.
    pub sliver_max_m2: f64,
}

impl Default for OverlapsView {
    fn default() -> Self {
        OverlapsView {
            sliver_max_m2: DEFAULT_SLIVER_M2,
        }
    }
}

impl OverlapsView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        result: &AnalysisResult,
        lang: Lang,
        commands: &mut Commands,
    ) {
        let t = lang.t();
        let report = &result.report;
        let analysis = &result.analysis;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong(format!(
                    "{} ({})",
                    t.zone_overlaps,
                    analysis.zone_overlaps.len()
                ));
                if analysis.zone_overlaps.is_empty() {
                    ui.weak(t.no_zone_overlaps);
                }
                egui::Grid::new("zone_overlaps")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        if !analysis.zone_overlaps.is_empty() {
                            for title in [t.role_zones, t.role_zones, t.area_km2, t.units_in_both] {
                                ui.strong(title);
                            }
                            ui.end_row();
                        }
                        for (o, row) in analysis.zone_overlaps.iter().zip(&report.zone_overlaps) {
                            let (a, b) = (result.zone_ref(o.zone_a), result.zone_ref(o.zone_b));
                            if ui.link(&row.zone_a_name).clicked() {
                                commands.push(Command::Select(vec![a, b]));
                                commands.push(Command::ZoomToSelection);
                            }
                            if ui.link(&row.zone_b_name).clicked() {
                                commands.push(Command::Select(vec![a, b]));
                                commands.push(Command::ZoomToSelection);
                            }
                            ui.label(format!("{:.4}", row.area_km2));
                            ui.label(row.units.join("、"));
                            ui.end_row();
                        }
                    });
                ui.separator();
                // Zone land in no unit: zones drawn past the units (into a lake, the next
                // district), each piece with its place.
                ui.strong(format!("{} ({})", t.outside_title, report.outside.len()));
                if report.outside.is_empty() {
                    ui.weak(t.no_outside);
                }
                egui::Grid::new("outside")
                    .striped(true)
                    .num_columns(3)
                    .show(ui, |ui| {
                        // The report's rows are the analysis' pieces, zone by zone.
                        let zones = analysis
                            .outside
                            .iter()
                            .flat_map(|z| z.pieces.iter().map(|_| result.zone_ref(z.zone)));
                        for (o, zone) in report.outside.iter().zip(zones) {
                            if ui.link(&o.zone_name).clicked() {
                                commands.push(Command::Select(vec![zone]));
                            }
                            ui.label(format!("{:.4} km²", o.area_km2));
                            if ui
                                .small_button(format!(
                                    "{:.3}–{:.3}°E {:.3}–{:.3}°N",
                                    o.extent[0], o.extent[2], o.extent[1], o.extent[3]
                                ))
                                .clicked()
                            {
                                commands.push(Command::ZoomToExtent(o.extent));
                            }
                            ui.end_row();
                        }
                    });
                ui.separator();
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label(t.sliver_size);
                    ui.add(
                        egui::DragValue::new(&mut self.sliver_max_m2)
                            .range(0.0..=1e9)
                            .speed(100.0)
                            .suffix(" m²"),
                    )
                    .labelled_by(label.id);
                    ui.weak(format!(
                        "= {:.2} {}",
                        self.sliver_max_m2 / 10_000.0,
                        t.hectares
                    ));
                });
                let slivers = analysis.slivers(self.sliver_max_m2);
                ui.strong(format!("{} ({})", t.slivers, slivers.len()));
                if slivers.is_empty() {
                    ui.weak(t.no_slivers);
                }
                egui::Grid::new("slivers")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for &i in &slivers.overlaps {
                            let o = &analysis.overlaps[i];
                            let row = &report.overlaps[i];
                            ui.label(t.sliver_zone_unit);
                            if ui
                                .link(format!("{} ∩ {}", row.zone_name, row.unit_name))
                                .clicked()
                            {
                                let unit = result.unit_ref(o.unit);
                                commands.push(Command::Select(vec![result.zone_ref(o.zone), unit]));
                                commands.push(Command::ZoomToFeature(unit));
                            }
                            ui.label(format!("{:.1} m²", o.area.m2));
                            ui.label(format!(
                                "{:.3}% {}",
                                o.share_of_unit * 100.0,
                                t.share_of_unit
                            ));
                            ui.end_row();
                        }
                        for &i in &slivers.zone_overlaps {
                            let o = &analysis.zone_overlaps[i];
                            let row = &report.zone_overlaps[i];
                            ui.label(t.sliver_zone_zone);
                            if ui
                                .link(format!("{} ∩ {}", row.zone_a_name, row.zone_b_name))
                                .clicked()
                            {
                                let refs =
                                    vec![result.zone_ref(o.zone_a), result.zone_ref(o.zone_b)];
                                commands.push(Command::Select(refs));
                                commands.push(Command::ZoomToSelection);
                            }
                            ui.label(format!("{:.1} m²", o.area.m2));
                            ui.label("");
                            ui.end_row();
                        }
                        for &i in &slivers.gaps {
                            let u = &analysis.units[i];
                            ui.label(t.sliver_gap);
                            if ui.link(&report.units[i].name).clicked() {
                                let unit = result.unit_ref(u.unit);
                                commands.push(Command::Select(vec![unit]));
                                commands.push(Command::ZoomToFeature(unit));
                            }
                            ui.label(format!("{:.1} m²", u.uncovered().m2));
                            ui.label(
                                RichText::new(format!(
                                    "{} {}",
                                    t.uncovered_of,
                                    lang.class(u.class())
                                ))
                                .weak(),
                            );
                            ui.end_row();
                        }
                    });
            });
    }
}
