//! Edits to the proposals layer, as values, and the undo history.
//!
//! Every change to the proposals' features is an [`Edit`] carried by
//! [`super::command::Command::Edit`]. An `Edit` names features by [`FeatureRef`] (any open
//! layer); [`super::Session`] resolves it into the core's
//! [`proposal::Edit`] and applies that with
//! [`proposal::apply`], as `zonemap merge`, `move` and `split` do.
//! The layer is held in an `Arc<Layer>`, so a history step is just the layer before and after:
//! undo puts the old `Arc` back, and the coverage analysis, which keys on that `Arc`, reruns by
//! itself.

use std::sync::Arc;

use geo::Coord;

use crate::core::Layer;
use crate::core::proposal;

use super::layer::{FeatureRef, LayerKey};

/// A change to the proposals.
#[derive(Clone, Debug)]
pub enum Edit {
    /// One zone made of the given features (from any layers); those that are proposals are
    /// replaced by it.
    Merge {
        parts: Vec<FeatureRef>,
        name: String,
    },
    /// Put a unit into a proposed zone, taking it out of the zones that held it.
    MoveUnit { unit: FeatureRef, zone: FeatureRef },
    /// A new zone from a drawn outline (lon/lat, open).
    Draw {
        points: Vec<Coord<f64>>,
        name: String,
    },
    /// Cut zones along a line: `target`, or every proposed zone the line crosses.
    Split {
        target: Option<FeatureRef>,
        line: Vec<Coord<f64>>,
    },
    /// An edit of the proposals' own features, named by their place in the proposals layer,
    /// as the core applies it (vertex moves, reshape, delete, rename, set a property).
    Proposals(proposal::Edit),
}

/// One undoable step: a layer's features before and after, or a layer added (a dissolve into
/// a new layer: undo takes it out, redo puts it back).
#[derive(Clone)]
pub struct Step {
    pub label: String,
    pub layer: LayerKey,
    pub before: Arc<Layer>,
    pub after: Arc<Layer>,
    /// The step added the layer: `before` and `after` are both what it added.
    pub added: bool,
    /// What the step said when it was done (a split into more parts than asked, say): taken
    /// down when it is undone.
    pub said: Vec<String>,
}

/// Undo and redo stacks.
#[derive(Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// How many steps are kept.
const MAX_STEPS: usize = 200;

impl History {
    /// Records a step done; whatever was undone can no longer be redone.
    pub fn push(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > MAX_STEPS {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The step to undo, moved to the redo stack.
    pub fn undo(&mut self) -> Option<Step> {
        let step = self.undo.pop()?;
        self.redo.push(step.clone());
        Some(step)
    }

    /// The step to redo, moved back to the undo stack.
    pub fn redo(&mut self) -> Option<Step> {
        let step = self.redo.pop()?;
        self.undo.push(step.clone());
        Some(step)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Forgets the steps of a layer that was closed.
    pub fn forget(&mut self, layer: LayerKey) {
        self.undo.retain(|s| s.layer != layer);
        self.redo.retain(|s| s.layer != layer);
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
