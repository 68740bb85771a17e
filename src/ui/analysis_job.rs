//! Zone × unit analysis in the background, rerun when the zones or units layer changes.
//!
//! The figures come from [`crate::core::analysis::analyse`], the same function `zonemap report`
//! calls, so the window and the CLI never disagree.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::core::Role;
use crate::core::analysis::{Analysis, Overlap, UnitCoverage, analyse};

use super::document::{FeatureRef, LayerKey, MapLayer};

/// Which layers an analysis was run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnalysisInputs {
    pub zones: LayerKey,
    pub units: LayerKey,
}

pub struct AnalysisResult {
    pub inputs: AnalysisInputs,
    pub analysis: Analysis,
}

impl AnalysisResult {
    /// Everything a feature overlaps on the other side: a zone's units or a unit's zones,
    /// each with its overlap.
    pub fn related(&self, feature: FeatureRef) -> Vec<(FeatureRef, &Overlap)> {
        let AnalysisInputs { zones, units } = self.inputs;
        self.analysis
            .overlaps
            .iter()
            .filter_map(|o| {
                if feature.layer == zones && o.zone == feature.feature {
                    Some((
                        FeatureRef {
                            layer: units,
                            feature: o.unit,
                        },
                        o,
                    ))
                } else if feature.layer == units && o.unit == feature.feature {
                    Some((
                        FeatureRef {
                            layer: zones,
                            feature: o.zone,
                        },
                        o,
                    ))
                } else {
                    None
                }
            })
            .collect()
    }

    /// A unit's coverage, when `feature` is one of the units.
    pub fn coverage(&self, feature: FeatureRef) -> Option<&UnitCoverage> {
        if feature.layer != self.inputs.units {
            return None;
        }
        self.analysis
            .units
            .iter()
            .find(|u| u.unit == feature.feature)
    }
}

#[derive(Default)]
pub struct AnalysisJob {
    pub result: Option<Arc<AnalysisResult>>,
    pending: Option<(AnalysisInputs, Receiver<AnalysisResult>)>,
}

impl AnalysisJob {
    /// The first zones layer and the first units layer, top to bottom.
    pub fn wanted(layers: &[MapLayer]) -> Option<AnalysisInputs> {
        let zones = layers.iter().find(|l| l.role == Role::Zones)?;
        let units = layers.iter().find(|l| l.role == Role::Units)?;
        Some(AnalysisInputs {
            zones: zones.key,
            units: units.key,
        })
    }

    /// Collects a finished run and starts one if the layers changed. Never blocks.
    pub fn update(&mut self, layers: &[MapLayer], ctx: &egui::Context) {
        if let Some((_, rx)) = &self.pending {
            match rx.try_recv() {
                Ok(result) => {
                    self.result = Some(Arc::new(result));
                    self.pending = None;
                }
                Err(TryRecvError::Disconnected) => self.pending = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        let wanted = Self::wanted(layers);
        let current = self.result.as_ref().map(|r| r.inputs);
        let running = self.pending.as_ref().map(|(i, _)| *i);
        if wanted.is_none() {
            self.result = None;
            self.pending = None;
            return;
        }
        if wanted == current || wanted == running {
            return;
        }
        let Some(inputs) = wanted else { return };
        let find = |key| {
            layers
                .iter()
                .find(|l| l.key == key)
                .map(|l| l.layer.clone())
        };
        let (Some(zones), Some(units)) = (find(inputs.zones), find(inputs.units)) else {
            return;
        };
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("coverage analysis".into())
            .spawn(move || {
                let analysis = analyse(&zones, &units);
                let _ = tx.send(AnalysisResult { inputs, analysis });
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.pending = Some((inputs, rx));
        }
    }

    /// Whether figures are being refreshed.
    pub fn is_running(&self) -> bool {
        self.pending.is_some()
    }

    /// The latest result, if it is for the layers now in use.
    pub fn current(&self, layers: &[MapLayer]) -> Option<&Arc<AnalysisResult>> {
        let wanted = Self::wanted(layers)?;
        self.result.as_ref().filter(|r| r.inputs == wanted)
    }
}
