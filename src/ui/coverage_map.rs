//! The coverage map: units coloured by how the zones cover them, zone-to-zone overlaps drawn
//! on top so that double counting shows, and a legend in the map's corner.

use egui::{Color32, Stroke};

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

/// How many units of each class, in [`crate::core::analysis::CoverageClass::ALL`] order.
pub fn class_counts(result: &AnalysisResult) -> [usize; 4] {
    let mut counts = [0; 4];
    for u in &result.analysis.units {
        counts[u.class() as usize] += 1;
    }
    counts
}

/// The outline stroke for zone overlaps: dashed, so that it reads apart from the zones'.
pub fn overlap_stroke() -> Stroke {
    Stroke::new(2.0, overlap_line())
}
