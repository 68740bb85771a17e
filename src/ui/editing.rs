//! Applying edits to the proposals layer, and undo and redo: the one place the proposals
//! change. Each edit calls the core's proposal functions on the layer's features and puts the
//! result in a new `Arc<Layer>`; the old one goes on the undo stack.

use std::sync::Arc;

use crate::core::project::LayerSource;
use crate::core::proposal::{
    self, EditError, delete_vertex, insert_vertex, move_vertex, reshaped, with_features,
};
use crate::core::style::{LayerStyle, Rgba, field_names, numeric_field_names};
use crate::core::{Feature, FeatureId, Layer, Role};

use super::app::ZonemapApp;
use super::document::{FeatureRef, LayerKey, Thematic, is_approximate};
use super::edit::{Edit, Step};
use super::loader::{LoadRequest, Progress, derive, prepare};
use super::shapes::ShapeCache;

/// What an edit made: the step's label, the new features, and which of them to select.
struct Outcome {
    label: &'static str,
    features: Vec<Feature>,
    select: Vec<String>,
}

impl ZonemapApp {
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
            source: LayerSource::Inline(serde_json::Value::Null),
            role: Some(Role::Zones),
            style: Some(proposals_style()),
            name: Some(name),
            crs: None,
            order: None,
            filter: None,
            editable: true,
            official_km2: Default::default(),
            table: None,
            encoding: None,
            replaces: None,
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
    pub(super) fn apply_edit(&mut self, edit: Edit) {
        let key = self.ensure_proposals();
        let Some(before) = self.layer(key).map(|l| l.layer.clone()) else {
            return;
        };
        match self.edited(&before, edit) {
            Ok(outcome) => {
                let after = Arc::new(with_features(&before, outcome.features));
                self.selection = outcome
                    .select
                    .iter()
                    .filter_map(|id| after.find(id))
                    .map(|feature| FeatureRef {
                        layer: key,
                        feature,
                    })
                    .collect();
                let label = outcome.label.to_owned();
                self.history.push(Step {
                    label,
                    layer: key,
                    before,
                    after: after.clone(),
                });
                self.set_layer_data(key, after);
                self.generation += 1;
                self.active_layer = Some(key);
            }
            Err(e) => {
                let t = self.lang.t();
                self.errors.push(format!("{}: {e}", t.edit_refused));
            }
        }
    }

    fn edited(&self, layer: &Layer, edit: Edit) -> Result<Outcome, String> {
        let t = self.lang.t();
        let features = &layer.features;
        let err = |e: EditError| e.to_string();
        let at = |id: FeatureId| {
            features
                .get(id.index())
                .ok_or_else(|| EditError::NoVertex.to_string())
        };
        let replace = |id: FeatureId, new: Vec<Feature>| {
            let mut out = features.clone();
            out.splice(id.index()..=id.index(), new);
            out
        };
        Ok(match edit {
            Edit::Merge { parts, name } => {
                let mut owned: Vec<Feature> = Vec::new();
                let mut consumed = Vec::new();
                let mut units: Vec<Feature> = Vec::new();
                for part in &parts {
                    match self.in_proposals(*part) {
                        Some(id) => {
                            consumed.push(id.index());
                            owned.push(features[id.index()].clone());
                        }
                        None => {
                            let Some(f) = self.feature(*part) else {
                                continue;
                            };
                            if self
                                .layer(part.layer)
                                .is_some_and(|l| l.role == Role::Units)
                            {
                                units.push(f.clone());
                            }
                            owned.push(f.clone());
                        }
                    }
                }
                let refs: Vec<&Feature> = owned.iter().collect();
                let unit_refs: Vec<&Feature> = units.iter().collect();
                let id = proposal::next_id(features);
                let name = if name.is_empty() {
                    owned
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join("+")
                } else {
                    name
                };
                let (features, _) = proposal::merge_into(
                    features,
                    &refs,
                    &consumed,
                    &unit_refs,
                    id.clone(),
                    &name,
                    self.coverage_choice.options.snap_m,
                )
                .map_err(err)?;
                Outcome {
                    label: t.step_merge,
                    features,
                    select: vec![id],
                }
            }
            Edit::MoveUnit { unit, zone } => {
                let target = self.in_proposals(zone).ok_or_else(|| t.none.to_owned())?;
                let unit = self.feature(unit).ok_or_else(|| t.none.to_owned())?;
                let zone_id = features[target.index()].id.clone();
                Outcome {
                    label: t.step_move,
                    features: proposal::move_unit(features, unit, target.index()).map_err(err)?,
                    select: vec![zone_id],
                }
            }
            Edit::Draw { points, name } => {
                let id = proposal::next_id(features);
                let name = if name.is_empty() {
                    format!("{} {id}", t.drawn_zone)
                } else {
                    name
                };
                let f = proposal::drawn(id.clone(), &name, &points).map_err(err)?;
                let mut out = features.clone();
                out.push(f);
                Outcome {
                    label: t.step_draw,
                    features: out,
                    select: vec![id],
                }
            }
            Edit::Split { target, line } => {
                let targets: Vec<usize> = match target.and_then(|f| self.in_proposals(f)) {
                    Some(id) => vec![id.index()],
                    None => (0..features.len()).collect(),
                };
                let mut out = Vec::with_capacity(features.len() + 2);
                let mut select = Vec::new();
                for (i, f) in features.iter().enumerate() {
                    match targets.contains(&i).then(|| proposal::split(f, &line)) {
                        Some(Ok(parts)) => {
                            select.extend(parts.iter().map(|p| p.id.clone()));
                            out.extend(parts);
                        }
                        // A zone the line misses stays as it is.
                        Some(Err(EditError::NoCut(_) | EditError::NotAreal(_))) | None => {
                            out.push(f.clone())
                        }
                        Some(Err(e)) => return Err(err(e)),
                    }
                }
                if select.is_empty() {
                    return Err(t.cut_nothing.to_owned());
                }
                Outcome {
                    label: t.step_split,
                    features: out,
                    select,
                }
            }
            Edit::MoveVertex {
                feature,
                vertex,
                to,
            } => {
                let f = at(feature)?;
                let shape = move_vertex(&f.multi_polygon(), vertex, to).map_err(err)?;
                Outcome {
                    label: t.step_vertex,
                    features: replace(feature, vec![reshaped(f, shape).map_err(err)?]),
                    select: vec![f.id.clone()],
                }
            }
            Edit::InsertVertex {
                feature,
                after,
                at: point,
            } => {
                let f = at(feature)?;
                let shape = insert_vertex(&f.multi_polygon(), after, point).map_err(err)?;
                Outcome {
                    label: t.step_insert,
                    features: replace(feature, vec![reshaped(f, shape).map_err(err)?]),
                    select: vec![f.id.clone()],
                }
            }
            Edit::DeleteVertex { feature, vertex } => {
                let f = at(feature)?;
                let shape = delete_vertex(&f.multi_polygon(), vertex).map_err(err)?;
                Outcome {
                    label: t.step_delete_vertex,
                    features: replace(feature, vec![reshaped(f, shape).map_err(err)?]),
                    select: vec![f.id.clone()],
                }
            }
            Edit::Reshape { feature, geometry } => {
                let f = at(feature)?;
                Outcome {
                    label: t.step_reshape,
                    features: replace(feature, vec![reshaped(f, geometry).map_err(err)?]),
                    select: vec![f.id.clone()],
                }
            }
            Edit::Delete(ids) => Outcome {
                label: t.step_delete,
                features: features
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !ids.iter().any(|id| id.index() == *i))
                    .map(|(_, f)| f.clone())
                    .collect(),
                select: Vec::new(),
            },
            Edit::Rename { feature, name } => {
                let f = at(feature)?;
                Outcome {
                    label: t.step_rename,
                    features: replace(feature, vec![proposal::renamed(f, &name)]),
                    select: vec![f.id.clone()],
                }
            }
            Edit::SetProperty {
                feature,
                key: field,
                value,
            } => {
                let f = at(feature)?;
                Outcome {
                    label: t.step_property,
                    features: replace(feature, vec![proposal::with_property(f, &field, &value)]),
                    select: vec![f.id.clone()],
                }
            }
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

    pub(super) fn undo(&mut self) {
        let Some(step) = self.history.undo() else {
            return;
        };
        self.notice = Some(format!("{}: {}", self.lang.t().undone, step.label));
        self.set_layer_data(step.layer, step.before);
        self.generation += 1;
    }

    pub(super) fn redo(&mut self) {
        let Some(step) = self.history.redo() else {
            return;
        };
        self.notice = Some(format!("{}: {}", self.lang.t().redone, step.label));
        self.set_layer_data(step.layer, step.after);
        self.generation += 1;
    }

    /// Puts new features into a layer, with everything worked out for them again, and drops
    /// references to features it no longer has.
    pub(super) fn set_layer_data(&mut self, key: LayerKey, layer: Arc<Layer>) {
        let Some(l) = self.layers.iter_mut().find(|l| l.key == key) else {
            return;
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
        if self.hovered.as_ref().is_some_and(|h| !valid(h)) {
            self.hovered = None;
        }
        self.tools.drag = None;
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
