//! Applying edits to the proposals layer, and undo and redo: the one place the proposals
//! change. Each edit calls the core's proposal functions on the layer's features and puts the
//! result in a new `Arc<Layer>`; the old one goes on the undo stack.

use std::sync::Arc;

use crate::core::project::LayerSource;
use crate::core::proposal::{self, EditError, EditKind, MergePart};
use crate::core::style::{LayerStyle, Rgba, field_names, numeric_field_names};
use crate::core::{FeatureId, Layer, Role};

use super::Session;
use super::command::{Effects, Request};
use super::history::{Edit, Step};
use super::layer::{FeatureRef, LayerKey, Thematic, is_approximate};
use super::loader::{LoadRequest, Progress, derive, prepare};
use super::shapes::ShapeCache;
use crate::core::lang::Texts;

impl Session {
    /// The proposals layer, if there is one.
    pub fn proposals_key(&self) -> Option<LayerKey> {
        self.layers.iter().find(|l| l.editable).map(|l| l.key)
    }

    /// The proposals layer, made first if there is none: a copy of the zones layer (hidden
    /// then, since the copy lies over it), which becomes the coverage analysis' zones.
    pub fn ensure_proposals(&mut self) -> LayerKey {
        match self.proposals_key() {
            Some(key) => key,
            None => self.start_proposals(None),
        }
    }

    /// Makes the proposals layer as a copy of `from` (else of the zones layer).
    pub fn start_proposals(&mut self, from: Option<LayerKey>) -> LayerKey {
        let base = from.or_else(|| self.coverage_choice.resolve(&self.layers, Role::Zones));
        // The copies are in the working frame (WGS-84), as every loaded layer is.
        let features = base.and_then(|k| self.layer(k)).map_or(Vec::new(), |l| {
            l.layer.features.iter().map(proposal::measured).collect()
        });
        let name = self.lang.t().proposals_layer.to_owned();
        let layer = Layer::new(name.clone(), Role::Zones, features);
        let request = LoadRequest {
            role: Some(Role::Zones),
            style: Some(proposals_style()),
            name: Some(name),
            editable: true,
            ..LoadRequest::of(LayerSource::Inline(serde_json::Value::Null))
        };
        let prepared = prepare(request, layer, Role::Zones, &Progress::default());
        let key = self.add_prepared(prepared);
        if let Some(b) = base.and_then(|k| self.layers.iter_mut().find(|l| l.key == k)) {
            b.style.visible = false;
        }
        self.proposals_base = base;
        self.coverage_choice.zones = Some(key);
        key
    }

    /// Carries out an edit; a refused one leaves everything as it was and says why.
    pub(super) fn apply_edit(&mut self, edit: Edit) -> Effects {
        let key = self.ensure_proposals();
        let Some(before) = self.layer(key).map(|l| l.layer.clone()) else {
            return Effects::none();
        };
        let t = self.lang.t();
        let applied = self
            .resolve(&before, edit)
            .and_then(|edit| proposal::apply(&before, edit).map_err(|e| refusal(t, e)));
        match applied {
            Ok(applied) => {
                // A line that goes in and out of a zone cuts it into more than two parts: say
                // why, so that a planner who drew one cut is not left guessing.
                let mut said = Vec::new();
                for cut in applied.cuts.iter().filter(|c| c.parts > 2) {
                    let (parts, crossings) = (cut.parts.to_string(), cut.crossings.to_string());
                    said.push(crate::core::lang::fill(
                        t.split_why,
                        &[
                            ("zone", &cut.zone),
                            ("parts", &parts),
                            ("crossings", &crossings),
                        ],
                    ));
                }
                self.errors.extend(said.iter().cloned());
                let after = Arc::new(applied.layer);
                self.selection = applied
                    .changed
                    .iter()
                    .filter_map(|id| after.find(id))
                    .map(|feature| FeatureRef {
                        layer: key,
                        feature,
                    })
                    .collect();
                self.history.push(Step {
                    label: step_label(t, applied.kind).to_owned(),
                    layer: key,
                    before,
                    after: after.clone(),
                    added: false,
                    said,
                });
                self.generation += 1;
                self.active_layer = Some(key);
                self.set_layer_data(key, after)
            }
            Err(e) => {
                self.errors.push(format!("{}: {e}", t.edit_refused));
                Effects::none()
            }
        }
    }

    /// The core's edit for a window's edit: features of other layers are copied in, features
    /// of the layer the proposals started from stand for their proposals.
    fn resolve(&self, layer: &Layer, edit: Edit) -> Result<proposal::Edit, String> {
        let t = self.lang.t();
        Ok(match edit {
            Edit::Merge { parts, name } => {
                let mut resolved = Vec::with_capacity(parts.len());
                for part in parts {
                    match self.in_proposals(part) {
                        Some(id) => resolved.push(MergePart::Zone(id)),
                        None => {
                            let Some(f) = self.feature(part) else {
                                continue;
                            };
                            let unit = self
                                .layer(part.layer)
                                .is_some_and(|l| l.role == Role::Units);
                            resolved.push(MergePart::Other {
                                feature: f.clone(),
                                unit,
                            });
                        }
                    }
                }
                proposal::Edit::Merge {
                    parts: resolved,
                    name,
                    snap_m: self.coverage_choice.options.snap_m,
                }
            }
            Edit::MoveUnit { unit, zone } => proposal::Edit::MoveUnit {
                zone: self.in_proposals(zone).ok_or_else(|| t.none.to_owned())?,
                unit: self.feature(unit).ok_or_else(|| t.none.to_owned())?.clone(),
            },
            Edit::Draw { points, name } => proposal::Edit::Draw {
                name: if name.is_empty() {
                    format!("{} {}", t.drawn_zone, proposal::next_id(&layer.features))
                } else {
                    name
                },
                points,
            },
            Edit::Split { target, line } => proposal::Edit::Split {
                target: target.and_then(|f| self.in_proposals(f)),
                line,
            },
            Edit::Proposals(edit) => edit,
        })
    }

    /// A feature as it is among the proposals: itself if it is one, else the proposal copied
    /// from it (same id) when it is in the layer the proposals started from.
    fn in_proposals(&self, f: FeatureRef) -> Option<FeatureId> {
        let key = self.proposals_key()?;
        let proposals = &self.layer(key)?.layer;
        if f.layer == key {
            return (f.feature.index() < proposals.features.len()).then_some(f.feature);
        }
        if Some(f.layer) != self.proposals_base {
            return None;
        }
        proposals.find(&self.feature(f)?.id)
    }

    pub(super) fn undo(&mut self) -> Effects {
        let Some(step) = self.history.undo() else {
            return Effects::none();
        };
        self.notice = Some(format!("{}: {}", self.lang.t().undone, step.label));
        self.generation += 1;
        // What the step said is about an edit no longer there.
        self.errors.retain(|e| !step.said.contains(e));
        // The list of what a dissolve made goes with the dissolve undone.
        if self
            .dissolve_report
            .as_ref()
            .is_some_and(|r| r.into == step.layer)
        {
            self.dissolve_report = None;
        }
        if step.added {
            return self.take_out_added(step.layer);
        }
        self.set_layer_data(step.layer, step.before)
    }

    pub(super) fn redo(&mut self) -> Effects {
        let Some(step) = self.history.redo() else {
            return Effects::none();
        };
        self.notice = Some(format!("{}: {}", self.lang.t().redone, step.label));
        self.generation += 1;
        if step.added {
            let role = step.after.role;
            self.add_dissolved(step.after, role, Some(step.layer));
            return Effects::one(Request::LayerChanged(step.layer));
        }
        self.set_layer_data(step.layer, step.after)
    }

    /// Puts new features into a layer, with everything worked out for them again, and drops
    /// references to features it no longer has.
    pub(super) fn set_layer_data(&mut self, key: LayerKey, layer: Arc<Layer>) -> Effects {
        let Some(l) = self.layers.iter_mut().find(|l| l.key == key) else {
            return Effects::none();
        };
        let derived = derive(&layer, &Progress::default());
        l.areas = derived.prep.areas.clone().into();
        l.prep = Arc::new(derived.prep);
        l.anchors = derived.anchors.into();
        l.shapes = ShapeCache::with_overview(derived.overview);
        l.fields = field_names(&layer);
        l.numeric_fields = numeric_field_names(&layer);
        l.approximate = layer.features.iter().any(is_approximate);
        l.missing_glyphs = None;
        l.layer = layer;
        l.thematic = Thematic::None;
        l.feature_fills.clear();
        l.refresh_thematic();
        let count = l.layer.features.len();
        let valid = |f: &FeatureRef| f.layer != key || f.feature.index() < count;
        self.selection.retain(valid);
        Effects::one(Request::LayerChanged(key))
    }
}

/// How the proposals look: a strong purple outline over a light fill, labelled by name.
pub fn proposals_style() -> LayerStyle {
    LayerStyle {
        fill: Rgba([186, 104, 200, 255]),
        fill_opacity: 0.3,
        outline: Rgba([106, 27, 154, 255]),
        outline_width: 2.5,
        label_field: Some("name".into()),
        ..LayerStyle::for_role(Role::Zones, 0)
    }
}

/// The line shown for a refused edit: the core's reason, in the window's words where it has
/// them.
fn refusal(t: &Texts, e: EditError) -> String {
    match e {
        EditError::CutNothing | EditError::NoCut(_) => t.cut_nothing.to_owned(),
        EditError::NoFeature(_) => t.none.to_owned(),
        e => e.to_string(),
    }
}

/// The undo history's name for a kind of edit.
fn step_label(t: &Texts, kind: EditKind) -> &'static str {
    match kind {
        EditKind::Merge => t.step_merge,
        EditKind::MoveUnit => t.step_move,
        EditKind::Draw => t.step_draw,
        EditKind::Split => t.step_split,
        EditKind::MoveVertex => t.step_vertex,
        EditKind::InsertVertex => t.step_insert,
        EditKind::DeleteVertex => t.step_delete_vertex,
        EditKind::Reshape => t.step_reshape,
        EditKind::Delete => t.step_delete,
        EditKind::Rename => t.step_rename,
        EditKind::SetProperty => t.step_property,
    }
}
