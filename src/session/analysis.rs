//! Zone × unit analysis in the background, rerun whenever its layers change.
//!
//! The figures come from [`crate::core::analysis::analyse`] and [`Report::build`], the same
//! functions `zonemap report` calls, so the window and the CLI never disagree. A run starts when
//! the zones or units layer is swapped, restyled as another role, added, removed or edited (a
//! new `Arc<Layer>`); the last result stays on show, marked stale, until the new one is in.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::core::analysis::{
    Analysis, AnalysisOptions, CoverageClass, LayerPrep, Overlap, UnitCoverage, analyse_prepared,
};
use crate::core::report::Report;
use crate::core::{Feature, FeatureId, Layer, Role};

use super::Repaint;
use super::layer::{FeatureRef, LayerKey, MapLayer};
use super::shapes::ShapeCache;

/// Which layers an analysis runs on, and which version of their features.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnalysisInputs {
    pub zones: LayerKey,
    pub units: LayerKey,
    /// The features' identity (the `Arc<Layer>`'s address): it changes when a layer is edited.
    zones_data: usize,
    units_data: usize,
    pub options: AnalysisOptions,
}

/// The user's choice of zones and units layers (each falls back to the first layer, top
/// down, with that role when unset or no longer fitting), and how to overlay them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CoverageChoice {
    pub zones: Option<LayerKey>,
    pub units: Option<LayerKey>,
    pub options: AnalysisOptions,
}

impl CoverageChoice {
    /// The layer used for `role`: the chosen one while it still has that role, else the first
    /// with it.
    pub fn resolve(&self, layers: &[MapLayer], role: Role) -> Option<LayerKey> {
        let chosen = match role {
            Role::Zones => self.zones,
            Role::Units => self.units,
            Role::Context => None,
        };
        chosen
            .and_then(|key| layers.iter().find(|l| l.key == key && l.role == role))
            .or_else(|| layers.iter().find(|l| l.role == role))
            .map(|l| l.key)
    }

    /// The analysis these layers call for, if there is a zones layer and a units layer.
    pub fn inputs(&self, layers: &[MapLayer]) -> Option<AnalysisInputs> {
        let zones = self.resolve(layers, Role::Zones)?;
        let units = self.resolve(layers, Role::Units)?;
        let data = |key| {
            layers
                .iter()
                .find(|l| l.key == key)
                .map(|l| Arc::as_ptr(&l.layer) as usize)
        };
        Some(AnalysisInputs {
            zones,
            units,
            zones_data: data(zones)?,
            units_data: data(units)?,
            options: self.options,
        })
    }
}

/// A layer with the per-layer work made for it when it loaded.
pub type Prepped = (Arc<Layer>, Arc<LayerPrep>);

pub struct AnalysisResult {
    /// Which run this is, counting from 1 over the process: what views key their caches by
    /// (an address could be reused by a later result).
    pub run: u64,
    pub inputs: AnalysisInputs,
    pub analysis: Analysis,
    /// The analysis as `zonemap report` prints it: rows with ids, names and rounded figures,
    /// in the order of `analysis.units` and `analysis.overlaps`.
    pub report: Report,
    /// Each zone-to-zone overlap as a feature, for drawing on the coverage map.
    pub overlap_features: Vec<Feature>,
    /// Each unit's coverage class, by its [`FeatureId`]; `None` for units without polygons.
    pub unit_classes: Vec<Option<CoverageClass>>,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl AnalysisResult {
    /// Runs the analysis of `zones` over `units`: what the worker thread does. Each layer's
    /// preparation is reused when it fits the layer, and made afresh when not.
    pub fn compute(inputs: AnalysisInputs, zones: &Prepped, units: &Prepped) -> Self {
        let start = Instant::now();
        let fresh = |(layer, prep): &Prepped| {
            if prep.fits(layer) {
                None
            } else {
                Some(LayerPrep::new(layer))
            }
        };
        let (zone_fresh, unit_fresh) = (fresh(zones), fresh(units));
        let zone_prep = zone_fresh.as_ref().unwrap_or(&zones.1);
        let unit_prep = unit_fresh.as_ref().unwrap_or(&units.1);
        let (zones, units) = (zones.0.as_ref(), units.0.as_ref());
        let analysis = analyse_prepared(zones, zone_prep, units, unit_prep, &inputs.options);
        let report = Report::build(zones, units, &analysis);
        let overlap_features = analysis.overlap_features(zones);
        let unit_classes = analysis.unit_classes(units);
        static RUNS: AtomicU64 = AtomicU64::new(0);
        AnalysisResult {
            run: RUNS.fetch_add(1, Ordering::Relaxed) + 1,
            inputs,
            analysis,
            report,
            overlap_features,
            unit_classes,
            elapsed: start.elapsed(),
        }
    }

    pub fn zone_ref(&self, zone: FeatureId) -> FeatureRef {
        FeatureRef {
            layer: self.inputs.zones,
            feature: zone,
        }
    }

    pub fn unit_ref(&self, unit: FeatureId) -> FeatureRef {
        FeatureRef {
            layer: self.inputs.units,
            feature: unit,
        }
    }

    /// Everything a feature overlaps on the other side: a zone's units or a unit's zones,
    /// each with its overlap.
    pub fn related(&self, feature: FeatureRef) -> Vec<(FeatureRef, &Overlap)> {
        let AnalysisInputs { zones, units, .. } = self.inputs;
        self.analysis
            .overlaps
            .iter()
            .filter_map(|o| {
                if feature.layer == zones && o.zone == feature.feature {
                    Some((self.unit_ref(o.unit), o))
                } else if feature.layer == units && o.unit == feature.feature {
                    Some((self.zone_ref(o.zone), o))
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

/// The background analysis: the latest result, and the run under way, if any.
#[derive(Default)]
pub struct AnalysisJob {
    pub result: Option<Arc<AnalysisResult>>,
    /// The zone overlaps' drawable shapes, for `result`.
    pub overlap_shapes: ShapeCache,
    pending: Option<(AnalysisInputs, Receiver<AnalysisResult>)>,
}

impl AnalysisJob {
    /// Collects a finished run and starts one if the layers changed. Never blocks: a run that
    /// is no longer wanted is left to finish (its result is dropped), and the next one starts
    /// at once.
    pub fn update(&mut self, layers: &[MapLayer], choice: &CoverageChoice, repaint: &Repaint) {
        if let Some((_, rx)) = &self.pending {
            match rx.try_recv() {
                Ok(result) => {
                    self.overlap_shapes = ShapeCache::default();
                    self.result = Some(Arc::new(result));
                    self.pending = None;
                }
                Err(TryRecvError::Disconnected) => self.pending = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        let Some(wanted) = choice.inputs(layers) else {
            self.result = None;
            self.pending = None;
            return;
        };
        let current = self.result.as_ref().map(|r| r.inputs);
        let running = self.pending.as_ref().map(|(i, _)| *i);
        if Some(wanted) == current || Some(wanted) == running {
            return;
        }
        let find = |key| {
            layers
                .iter()
                .find(|l| l.key == key)
                .map(|l| (l.layer.clone(), l.prep.clone()))
        };
        let (Some(zones), Some(units)) = (find(wanted.zones), find(wanted.units)) else {
            return;
        };
        let (tx, rx) = channel();
        let repaint = repaint.clone();
        let spawned = std::thread::Builder::new()
            .name("coverage analysis".into())
            .spawn(move || {
                let result = AnalysisResult::compute(wanted, &zones, &units);
                let _ = tx.send(result);
                repaint.request();
            });
        if spawned.is_ok() {
            self.pending = Some((wanted, rx));
        }
    }

    /// Whether figures are being refreshed.
    pub fn is_running(&self) -> bool {
        self.pending.is_some()
    }

    /// The latest result, if it is for the layers now in use as they are now.
    pub fn current(
        &self,
        layers: &[MapLayer],
        choice: &CoverageChoice,
    ) -> Option<&Arc<AnalysisResult>> {
        let wanted = choice.inputs(layers)?;
        self.result.as_ref().filter(|r| r.inputs == wanted)
    }

    /// The latest result whose layers are still open, and whether it is out of date.
    pub fn latest(
        &self,
        layers: &[MapLayer],
        choice: &CoverageChoice,
    ) -> Option<(&Arc<AnalysisResult>, bool)> {
        let result = self.result.as_ref()?;
        let open = |key| layers.iter().any(|l| l.key == key);
        if !open(result.inputs.zones) || !open(result.inputs.units) {
            return None;
        }
        let stale = choice.inputs(layers) != Some(result.inputs);
        Some((result, stale))
    }
}
