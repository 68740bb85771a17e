//! Layers coming into the session: loaded in the background or at once, placed by role or by
//! their place in a project, split by a field, and given official areas.

use super::*;

impl Session {
    /// Opens the bundled data. It is small and compiled in: it loads at once.
    pub fn open_bundled(&mut self) {
        for (order, b) in BUNDLED.iter().enumerate() {
            let mut request = LoadRequest::bundled(b);
            request.order = Some(order);
            match load(request, &Progress::default()) {
                Ok(prepared) => {
                    self.add_prepared(prepared);
                }
                Err(e) => self.load_failed(e),
            }
        }
    }

    /// A load that failed: its line for the error bar, and for a file that does not say its
    /// coordinate system, a prompt to give it and try again.
    pub(super) fn load_failed(&mut self, failure: LoadFailure) {
        if let Some((request, suggested)) = failure.needs_crs {
            self.crs_prompts.push(CrsPrompt {
                text: suggested.unwrap_or_default(),
                request: *request,
                message: failure.message,
            });
        } else {
            self.errors.push(failure.message);
        }
    }

    /// Which layers of a project being loaded, by their place in it, are the coverage zones,
    /// units and the proposals' base; they are picked as they arrive.
    pub(super) fn set_pending(
        &mut self,
        zones: Option<usize>,
        units: Option<usize>,
        base: Option<usize>,
    ) {
        self.pending_choice = [zones, units];
        self.pending_base = base;
    }

    /// Bundled files and inline features load in place; files load in the background.
    pub(super) fn start_load(&mut self, request: LoadRequest) {
        match &request.source {
            LayerSource::File(_) => self.loads.push(LoadJob::spawn(request, &self.repaint)),
            LayerSource::Bundled(_) | LayerSource::Inline(_) => {
                match load(request, &Progress::default()) {
                    Ok(prepared) => {
                        self.add_prepared(prepared);
                    }
                    Err(e) => self.load_failed(e),
                }
            }
        }
    }

    /// Adds a loaded layer: zones above units above context, newest first within a role,
    /// unless it comes from a saved session, which keeps its saved place. A layer that
    /// arrives out of view (once the view is set) is zoomed to.
    pub fn add_prepared(&mut self, prepared: Prepared) -> LayerKey {
        let Prepared {
            request,
            layer,
            role,
            areas,
            prep,
            anchors,
            overview,
        } = prepared;
        // A layer read again keeps its key, so the selection's layer, the coverage choice and
        // the proposals' base still point at it.
        let replacing = request
            .replaces
            .and_then(|old| self.layers.iter().position(|l| l.key == old));
        let key = match replacing {
            Some(i) => self.layers[i].key,
            None => {
                self.next_key += 1;
                LayerKey(self.next_key - 1)
            }
        };
        let bundled = match &request.source {
            LayerSource::Bundled(p) => layer::bundled(p, request.filter.as_ref()),
            LayerSource::File(_) | LayerSource::Inline(_) => None,
        };
        let style = request.style.clone().unwrap_or_else(|| {
            let mut style = LayerStyle::for_role(role, self.layers.len());
            if let Some(b) = bundled {
                style.visible = b.visible;
            }
            if !layer
                .features
                .iter()
                .any(|f| f.properties.contains_key("name"))
            {
                style.label_field = None;
            }
            style
        });
        for w in &layer.warnings {
            eprintln!("zonemap: {w}");
        }
        let mut map_layer = MapLayer {
            key,
            editable: request.editable,
            fields: field_names(&layer),
            numeric_fields: numeric_field_names(&layer),
            filter: request.filter.clone(),
            approximate: layer.features.iter().any(is_approximate),
            layer: Arc::new(layer),
            source: request.source.clone(),
            role,
            style,
            areas: areas.into(),
            prep: Arc::new(prep),
            anchors: anchors.into(),
            thematic: Thematic::None,
            feature_fills: Vec::new(),
            shapes: ShapeCache::with_overview(overview),
            order: request.order,
            missing_glyphs: None,
            official_km2: request.official_km2.clone(),
            encoding_choice: request.encoding.clone(),
        };
        map_layer.refresh_thematic();
        if let Some(i) = replacing {
            // Features may differ (another encoding changes names, another system moves them).
            self.selection.retain(|f| f.layer != key);
            self.history.forget(key);
            self.layers[i] = map_layer;
            return key;
        }
        let position = match request.order {
            Some(order) => self
                .layers
                .iter()
                .position(|l| l.order.is_none_or(|o| o > order))
                .unwrap_or(self.layers.len()),
            None => self
                .layers
                .iter()
                .position(|l| l.role.rank() >= role.rank())
                .unwrap_or(self.layers.len()),
        };
        // A file the planner opened is what they want to see; a project's or the bundled layers
        // keep the view they come with, unless they lie outside it.
        let opened = matches!(request.source, LayerSource::File(_))
            && request.order.is_none()
            && request.filter.is_none()
            && !request.editable;
        let zoom_to_it = self.map.fitted && (opened || !self.is_in_view(&map_layer));
        let offer =
            opened
                .then(|| split_offer(&map_layer.layer))
                .flatten()
                .map(|(field, values)| SplitOffer {
                    layer: key,
                    name: map_layer.layer.name.clone(),
                    field,
                    values,
                });
        self.layers.insert(position, map_layer);
        if let Some(order) = request.order {
            if self.pending_choice[0] == Some(order) {
                self.coverage_choice.zones = Some(key);
            }
            if self.pending_choice[1] == Some(order) {
                self.coverage_choice.units = Some(key);
            }
            if self.pending_base == Some(order) {
                self.proposals_base = Some(key);
            }
        }
        if zoom_to_it {
            self.queued.push(Command::ZoomToLayer(key));
        }
        self.split_offers.extend(offer);
        key
    }

    pub(super) fn is_in_view(&self, layer: &MapLayer) -> bool {
        let Some(bbox) = layer.layer.bbox() else {
            return true;
        };
        let view = self.map.viewport.visible_lonlat(self.map.size_px);
        bbox.min().x <= view.max().x
            && bbox.max().x >= view.min().x
            && bbox.min().y <= view.max().y
            && bbox.max().y >= view.min().y
    }

    /// Sets or clears a feature's official area: an edit on the proposals, else a figure kept
    /// with the (read-only) layer in the session and the project.
    pub(super) fn set_official_area(&mut self, f: FeatureRef, km2: Option<f64>) -> Effects {
        use crate::core::report::OFFICIAL_KM2;
        let Some(layer) = self.layers.iter_mut().find(|l| l.key == f.layer) else {
            return Effects::none();
        };
        if layer.editable {
            let value = km2.map(|v| v.to_string()).unwrap_or_default();
            return self.apply_edit(history::Edit::Proposals(
                crate::core::proposal::Edit::SetProperty {
                    feature: f.feature,
                    key: OFFICIAL_KM2.to_owned(),
                    value,
                },
            ));
        }
        let Some(id) = layer.feature(f.feature).map(|x| x.id.clone()) else {
            return Effects::none();
        };
        let mut data = (*layer.layer).clone();
        match km2 {
            Some(v) => {
                layer.official_km2.insert(id.clone(), v);
                data.set_numbers(OFFICIAL_KM2, &[(id, v)].into_iter().collect());
            }
            None => {
                layer.official_km2.remove(&id);
                for x in data.features.iter_mut().filter(|x| x.id == id) {
                    x.properties.remove(OFFICIAL_KM2);
                }
            }
        }
        layer.layer = Arc::new(data);
        layer.fields = field_names(&layer.layer);
        layer.numeric_fields = numeric_field_names(&layer.layer);
        self.generation += 1;
        Effects::none()
    }

    /// One new layer per value of `field` (features without it are left out), each loaded from
    /// the same source through a filter, so that a saved session can load it again.
    pub(super) fn split_layer(&mut self, key: LayerKey, field: &str) {
        let Some(layer) = self.layer(key) else { return };
        let t = self.lang.t();
        if layer.filter.is_some() {
            self.errors
                .push(format!("{}: {}", layer.layer.name, t.split_filtered));
            return;
        }
        let categories = crate::core::style::Categories::of(&layer.layer, field);
        let values: Vec<String> = categories
            .entries
            .into_iter()
            .map(|c| c.value)
            .filter(|v| v != crate::core::style::NO_VALUE)
            .collect();
        if values.len() > MAX_SPLIT {
            self.errors.push(format!(
                "{}: {field}: {} {} > {MAX_SPLIT}",
                layer.layer.name,
                values.len(),
                t.split_too_many
            ));
            return;
        }
        // The first part takes the layer's place and key (the layer itself is all the parts:
        // kept, it would draw every feature and label twice); the others are added.
        let requests: Vec<LoadRequest> = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| LoadRequest {
                source: layer.source.clone(),
                role: Some(layer.role),
                style: None,
                name: Some(format!("{} · {value}", layer.layer.name)),
                crs: Some(layer.layer.crs.code()),
                order: None,
                filter: Some(LayerFilter::new(field, value)),
                editable: false,
                official_km2: layer.official_km2.clone(),
                table: layer.layer.table.clone(),
                encoding: layer.encoding_choice.clone(),
                replaces: (i == 0).then_some(key),
            })
            .collect();
        for request in requests {
            self.start_load(request);
        }
    }
}

/// Field names that usually sort a file's features into kinds that belong on layers of their
/// own (cities and districts, towns and streets), lower case.
const LEVEL_FIELDS: [&str; 12] = [
    "level",
    "admin_level",
    "adlevel",
    "type",
    "kind",
    "class",
    "layer",
    "级别",
    "层级",
    "类型",
    "类别",
    "等级",
];

/// The most values a field may hold for its features to be offered as layers of their own.
const MAX_OFFERED: usize = 8;

/// A field of `layer` that sorts its features into a few kinds (a `level` or similar with 2 to
/// 8 values, every feature having one), and its values in order: a file of cities and
/// districts, say, better shown as two layers.
pub(super) fn split_offer(layer: &crate::core::Layer) -> Option<(String, Vec<String>)> {
    let fields = crate::core::style::field_names(layer);
    fields.into_iter().find_map(|field| {
        if !LEVEL_FIELDS.contains(&field.to_lowercase().as_str()) {
            return None;
        }
        let categories = crate::core::style::Categories::of(layer, &field);
        let values: Vec<String> = categories.entries.into_iter().map(|c| c.value).collect();
        let all_have_one = !values.iter().any(|v| v == crate::core::style::NO_VALUE);
        ((2..=MAX_OFFERED).contains(&values.len()) && all_have_one).then_some((field, values))
    })
}
