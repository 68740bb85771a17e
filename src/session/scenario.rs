//! The scenario's two analyses: the proposals against the zones they were started from, over
//! the same units, each analysed in the background by an [`AnalysisJob`] as the coverage is,
//! and compared by [`crate::core::scenario::compare`], as `zonemap diff` does.

use std::sync::Arc;

use crate::core::analysis::AnalysisOptions;
use crate::core::scenario::{ScenarioDiff, compare};

use super::Repaint;
use super::analysis::{AnalysisJob, CoverageChoice};
use super::layer::{LayerKey, MapLayer};

/// The two analyses behind the comparison, and the comparison once both are in.
#[derive(Default)]
pub struct ScenarioJobs {
    before: AnalysisJob,
    after: AnalysisJob,
    diff: Option<((u64, u64), Arc<ScenarioDiff>)>,
}

impl ScenarioJobs {
    /// Keeps both analyses current; call only while the tab is shown.
    pub fn update(
        &mut self,
        layers: &[MapLayer],
        base: Option<LayerKey>,
        proposals: Option<LayerKey>,
        units: Option<LayerKey>,
        options: AnalysisOptions,
        repaint: &Repaint,
    ) {
        let (Some(base), Some(proposals), Some(units)) = (base, proposals, units) else {
            *self = ScenarioJobs::default();
            return;
        };
        let choice = |zones| CoverageChoice {
            zones: Some(zones),
            units: Some(units),
            options,
        };
        self.before.update(layers, &choice(base), repaint);
        self.after.update(layers, &choice(proposals), repaint);
        let (Some(b), Some(a)) = (
            self.before.current(layers, &choice(base)),
            self.after.current(layers, &choice(proposals)),
        ) else {
            return;
        };
        let runs = (b.run, a.run);
        if self.diff.as_ref().is_none_or(|(r, _)| *r != runs) {
            self.diff = Some((runs, Arc::new(compare(&b.report, &a.report))));
        }
    }

    /// The comparison, if it is for the layers as they are now.
    pub fn diff(&self) -> Option<&ScenarioDiff> {
        let diff = self.diff.as_ref()?;
        (!self.before.is_running() && !self.after.is_running()).then_some(diff.1.as_ref())
    }
}
