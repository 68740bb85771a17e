//! Dissolve by field in the session: a layer's polygons grouped by a field's value, as a new
//! layer or as the proposals, undoable, with the gaps and overlaps between members kept for the
//! window to list.

use std::sync::Arc;

use crate::core::project::LayerSource;
use crate::core::topology::dissolve::{DissolveOptions, Group, Piece, dissolve};
use crate::core::{Layer, Role};

use super::Session;
pub use super::command::DissolveInto;
use super::command::{Effects, Request};
use super::history::Step;
use super::layer::LayerKey;
use super::loader::{LoadRequest, Progress, prepare};
use crate::core::io::write::feature_collection;

/// What the last dissolve made, for the window to say: the groups, and the gaps and overlaps
/// between members.
#[derive(Clone, Debug)]
pub struct DissolveReport {
    /// The layer dissolved, by name.
    pub source: String,
    /// The field.
    pub field: String,
    /// The features dissolved.
    pub features: usize,
    /// The groups, one per value.
    pub groups: Vec<Group>,
    /// Land between members (holes of a union that were no member's hole).
    pub gaps: Vec<Piece>,
    /// Where two members overlap.
    pub overlaps: Vec<Piece>,
    /// The layer the result went into.
    pub into: LayerKey,
}

impl Session {
    /// Dissolves a layer by a field into a new layer or the proposals; the step can be undone.
    /// A field no feature has, or a layer with no polygons, is said and changes nothing.
    pub(super) fn dissolve_layer(
        &mut self,
        key: LayerKey,
        field: &str,
        into: DissolveInto,
    ) -> Effects {
        let t = self.lang.t();
        let Some(source) = self.layer(key) else {
            return Effects::none();
        };
        let source_name = source.layer.name.clone();
        let source_role = source.role;
        let options = DissolveOptions {
            snap_m: self.coverage_choice.options.snap_m,
        };
        let dissolved = match dissolve(&source.layer, field, &options) {
            Ok(d) => d,
            Err(e) => {
                self.errors
                    .push(format!("{}: {source_name}: {e}", t.dissolve_refused));
                return Effects::none();
            }
        };
        let features = source.layer.features.len();
        let label = format!("{} ({field})", t.step_dissolve);
        let into_key = match into {
            DissolveInto::Proposals => {
                let proposals = self.ensure_proposals();
                let Some(before) = self.layer(proposals).map(|l| l.layer.clone()) else {
                    return Effects::none();
                };
                let mut layer = Layer::new(
                    before.name.clone(),
                    Role::Zones,
                    dissolved.layer.features.clone(),
                );
                layer.crs = before.crs.clone();
                let after = Arc::new(layer);
                self.history.push(Step {
                    label,
                    layer: proposals,
                    before,
                    after: after.clone(),
                    added: false,
                    said: Vec::new(),
                });
                let _ = self.set_layer_data(proposals, after);
                proposals
            }
            DissolveInto::NewLayer => {
                // Towns grouped into zones are zones; anything else keeps its role.
                let role = match source_role {
                    Role::Units => Role::Zones,
                    r => r,
                };
                let mut layer = dissolved.layer.clone();
                layer.role = role;
                let layer = Arc::new(layer);
                let added = self.add_dissolved(layer.clone(), role, None);
                self.history.push(Step {
                    label,
                    layer: added,
                    before: layer.clone(),
                    after: layer,
                    added: true,
                    said: Vec::new(),
                });
                added
            }
        };
        self.generation += 1;
        self.active_layer = Some(into_key);
        self.selection.clear();
        self.notice = Some(crate::core::lang::fill(
            t.dissolved,
            &[
                ("n", &features.to_string()),
                ("field", field),
                ("m", &dissolved.groups.len().to_string()),
                ("gaps", &dissolved.gaps.len().to_string()),
                ("overlaps", &dissolved.overlaps.len().to_string()),
            ],
        ));
        self.dissolve_report = Some(DissolveReport {
            source: source_name,
            field: field.to_owned(),
            features,
            groups: dissolved.groups,
            gaps: dissolved.gaps,
            overlaps: dissolved.overlaps,
            into: into_key,
        });
        Effects::one(Request::LayerChanged(into_key))
    }

    /// Adds a dissolved layer on top, kept in the project with its features; with `key`, under
    /// that key again (a redo).
    pub(super) fn add_dissolved(
        &mut self,
        layer: Arc<Layer>,
        role: Role,
        key: Option<LayerKey>,
    ) -> LayerKey {
        let request = LoadRequest {
            role: Some(role),
            name: Some(layer.name.clone()),
            ..LoadRequest::of(LayerSource::Inline(feature_collection(&layer.features)))
        };
        let prepared = prepare(request, (*layer).clone(), role, &Progress::default());
        let added = self.add_prepared(prepared);
        if let Some(key) = key
            && let Some(l) = self.layers.iter_mut().find(|l| l.key == added)
        {
            l.key = key;
            return key;
        }
        added
    }

    /// Takes out a layer a step added (its undo), keeping the history.
    pub(super) fn take_out_added(&mut self, key: LayerKey) -> Effects {
        self.layers.retain(|l| l.key != key);
        self.selection.retain(|f| f.layer != key);
        if self.active_layer == Some(key) {
            self.active_layer = None;
        }
        if self.dissolve_report.as_ref().is_some_and(|r| r.into == key) {
            self.dissolve_report = None;
        }
        Effects::one(Request::LayerChanged(key))
    }
}
