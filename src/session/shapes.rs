//! Per-feature drawable shapes, cached by detail level so that a frame only moves vertices.
//!
//! Every feature gets an overview level when its layer loads (in the loader's thread), so there
//! is always something to draw. Finer levels are built when a zoom needs them, within a time
//! budget per frame; until then the nearest cached level stands in, and the frame asks for a
//! repaint. Panning and zooming therefore never wait for simplification.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::tessellate::FeatureShape;
use crate::core::{Feature, FeatureId};

/// The level built for every feature at load time: detail under about 1 km is dropped, which
/// is less than a pixel when the whole of China is on screen.
pub const OVERVIEW_LEVEL: u8 = 12;

/// How many levels a feature keeps; the one farthest from the level in use goes first.
const LEVELS_KEPT: usize = 4;

/// A frame's allowance for building shapes.
pub struct BuildBudget {
    deadline: Instant,
    /// Set when a shape was wanted but the budget was spent: draw again soon.
    pub incomplete: bool,
}

impl BuildBudget {
    pub fn new(allowance: Duration) -> Self {
        BuildBudget {
            deadline: Instant::now() + allowance,
            incomplete: false,
        }
    }

    fn has_time(&self) -> bool {
        Instant::now() < self.deadline
    }
}

pub struct ShapeCache {
    slots: Vec<Vec<(u8, Arc<FeatureShape>)>>,
    /// Different for every cache made: a layer whose features change gets a new cache, and
    /// what was drawn from the old one (the map's tiles) knows it is stale.
    id: u64,
}

impl Default for ShapeCache {
    fn default() -> Self {
        ShapeCache {
            slots: Vec::new(),
            id: next_id(),
        }
    }
}

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl ShapeCache {
    /// Which cache this is: no two caches made in one run share it.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// A cache seeded with each feature's overview shape.
    pub fn with_overview(overview: Vec<Option<FeatureShape>>) -> Self {
        ShapeCache {
            id: next_id(),
            slots: overview
                .into_iter()
                .map(|s| {
                    s.map(|s| vec![(OVERVIEW_LEVEL, Arc::new(s))])
                        .unwrap_or_default()
                })
                .collect(),
        }
    }

    /// The shape cached for feature `id` at exactly `level`, if any; builds nothing.
    pub fn cached(&self, id: FeatureId, level: u8) -> Option<Arc<FeatureShape>> {
        self.slots
            .get(id.index())?
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, s)| s.clone())
    }

    /// The shape cached for feature `id` at the level nearest `level` (the overview at worst);
    /// builds nothing.
    pub fn nearest(&self, id: FeatureId, level: u8) -> Option<Arc<FeatureShape>> {
        self.slots
            .get(id.index())?
            .iter()
            .min_by_key(|(l, _)| l.abs_diff(level))
            .map(|(_, s)| s.clone())
    }

    /// The shape to draw `feature` with at `level`: the exact level if cached or if the budget
    /// allows building it, else the nearest cached level.
    pub fn get(
        &mut self,
        id: FeatureId,
        feature: &Feature,
        level: u8,
        budget: &mut BuildBudget,
    ) -> Option<Arc<FeatureShape>> {
        let index = id.index();
        if index >= self.slots.len() {
            self.slots.resize_with(index + 1, Vec::new);
        }
        let slot = &mut self.slots[index];
        if let Some((_, shape)) = slot.iter().find(|(l, _)| *l == level) {
            return Some(shape.clone());
        }
        if budget.has_time() {
            let shape = Arc::new(FeatureShape::build(&feature.polygons(), level));
            if slot.len() >= LEVELS_KEPT {
                // Keep the overview: it is the fallback for every zoom.
                if let Some(far) = slot
                    .iter()
                    .enumerate()
                    .filter(|(_, (l, _))| *l != OVERVIEW_LEVEL)
                    .max_by_key(|(_, (l, _))| l.abs_diff(level))
                    .map(|(i, _)| i)
                {
                    slot.swap_remove(far);
                }
            }
            slot.push((level, shape.clone()));
            return Some(shape);
        }
        budget.incomplete = true;
        slot.iter()
            .min_by_key(|(l, _)| l.abs_diff(level))
            .map(|(_, s)| s.clone())
    }
}

/// The overview shapes of a layer's features, built in parallel.
pub fn overview_shapes(
    features: &[Feature],
    progress: impl Fn(usize) + Sync,
) -> Vec<Option<FeatureShape>> {
    use rayon::prelude::*;
    let done = std::sync::atomic::AtomicUsize::new(0);
    features
        .par_iter()
        .map(|f| {
            let shape = f
                .is_areal()
                .then(|| FeatureShape::build(&f.polygons(), OVERVIEW_LEVEL));
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if n.is_multiple_of(64) {
                progress(n);
            }
            shape
        })
        .collect()
}
