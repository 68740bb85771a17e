//! The coverage map: units coloured by how the zones cover them, zone-to-zone overlaps drawn
//! on top so that double counting shows, and a legend in the map's corner.

use egui::{Color32, Rect, RichText, Stroke, Ui, vec2};

use crate::core::analysis::CoverageClass;

use super::i18n::Lang;
use crate::session::analysis::AnalysisResult;
use crate::ui::projector::color32;

pub use crate::core::style::{COVERAGE_OPACITY as CLASS_OPACITY, coverage_fill as class_fill};

/// Where two zones overlap: the sheet's colours.
pub fn overlap_fill() -> Color32 {
    color32(crate::core::style::OVERLAP_FILL, 1.0)
}

fn overlap_line() -> Color32 {
    color32(crate::core::style::OVERLAP_STROKE, 1.0)
}

/// How many units of each class, in [`CoverageClass::ALL`] order.
pub fn class_counts(result: &AnalysisResult) -> [usize; 4] {
    let mut counts = [0; 4];
    for u in &result.analysis.units {
        counts[u.class() as usize] += 1;
    }
    counts
}

/// The legend, drawn over the map's bottom-right corner.
pub fn legend_ui(ui: &mut Ui, map_rect: Rect, result: &AnalysisResult, stale: bool, lang: Lang) {
    let t = lang.t();
    let counts = class_counts(result);
    let overlaps = &result.analysis.zone_overlaps;
    let overlap_km2: f64 = overlaps.iter().map(|o| o.area.km2()).sum();
    egui::Area::new(egui::Id::unique("coverage_legend"))
        .pivot(egui::Align2::RIGHT_BOTTOM)
        .fixed_pos(map_rect.right_bottom() + vec2(-10.0, -34.0))
        .constrain_to(map_rect)
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.strong(t.coverage_legend);
                for (class, count) in CoverageClass::ALL.into_iter().zip(counts) {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("■").color(color32(class_fill(class), 0.9)));
                        ui.label(format!("{} ({count})", lang.class(class)));
                    });
                }
                ui.horizontal(|ui| {
                    ui.label(RichText::new("■").color(overlap_line()));
                    ui.label(format!(
                        "{} ({}, {:.3} {})",
                        t.zone_overlaps,
                        overlaps.len(),
                        overlap_km2,
                        t.km2
                    ));
                });
                if stale {
                    ui.colored_label(Color32::from_rgb(200, 120, 0), t.refreshing);
                }
            });
        });
}

/// The outline stroke for zone overlaps: dashed, so that it reads apart from the zones'.
pub fn overlap_stroke() -> Stroke {
    Stroke::new(2.0, overlap_line())
}
