//! Feature labels on the map, placed by the core's one rule
//! ([`crate::core::render::place_labels`], as on the sheets) and drawn with a halo.

use std::sync::Arc;

use egui::{Color32, FontId, Painter, Rect, pos2, vec2};

use crate::core::FeatureId;
use crate::core::render::{Frame, LabelRequest, LabelRules, Placer, place_labels};
use crate::core::tessellate::FeatureShape;
use crate::session::layer::{FeatureRef, LayerKey, MapLayer};
use crate::ui::furniture::frame_of;
use crate::ui::projector::ToScreen;

/// At most this many labels a frame: beyond that the map is a wall of text anyway.
const MAX_LABELS: usize = 600;

/// A feature drawn this frame whose layer has labels.
pub struct LabelCandidate {
    /// Its layer.
    pub layer: LayerKey,
    /// The feature.
    pub feature: FeatureId,
    /// The shape drawn this frame, used to test that the label lies inside the polygon.
    pub shape: Arc<FeatureShape>,
    /// Lower goes first: zones, then units, then context.
    pub priority: u8,
}

/// Places and draws labels; returns where each went, for picking a feature by its label.
pub fn draw_labels(
    painter: &Painter,
    layers: &[MapLayer],
    candidates: Vec<LabelCandidate>,
    to_screen: &ToScreen,
    clip: Rect,
    obstacles: Vec<Frame>,
) -> Vec<(Rect, FeatureRef)> {
    let mut requests = Vec::with_capacity(candidates.len());
    let mut found = Vec::with_capacity(candidates.len());
    for c in &candidates {
        let Some(index) = layers.iter().position(|l| l.key == c.layer) else {
            continue;
        };
        // The drawn shape's box: no projection for each of 40,000 candidates.
        let box_on_screen = to_screen.shape_rect(&c.shape);
        requests.push(LabelRequest {
            layer: index,
            feature: c.feature,
            priority: c.priority,
            bbox: frame_of(box_on_screen),
        });
        found.push(((index, c.feature), c.shape.clone()));
    }
    let shapes: rustc_hash::FxHashMap<(usize, FeatureId), Arc<FeatureShape>> =
        found.into_iter().collect();
    let rules = LabelRules {
        frame: frame_of(clip),
        pt: 1.0,
        max: MAX_LABELS,
    };
    let mut placer = Placer::new(3.0, obstacles);
    let placed = place_labels(
        requests,
        rules,
        &mut placer,
        |r| {
            layers[r.layer]
                .anchors
                .get(r.feature.index())
                .and_then(Option::as_ref)
                .map_or(Vec::new(), |a| {
                    a.places
                        .iter()
                        .map(|&p| {
                            let s = to_screen.lonlat(p);
                            [s.x, s.y]
                        })
                        .collect()
                })
        },
        |r| {
            let layer = &layers[r.layer];
            let text = layer
                .feature(r.feature)
                .and_then(|f| layer.label_text(f))
                .filter(|t| !t.is_empty())?;
            let size = if r.priority == 0 { 14.0 } else { 12.5 };
            Some((text, size))
        },
        |line, size| {
            let galley =
                painter.layout_no_wrap(line.to_owned(), FontId::proportional(size), Color32::BLACK);
            [galley.size().x, galley.size().y]
        },
        |r, [x, y]| {
            let world = to_screen.viewport.world_from_screen(
                [
                    f64::from(x - to_screen.min.x),
                    f64::from(y - to_screen.min.y),
                ],
                to_screen.size_px,
            );
            shapes
                .get(&(r.layer, r.feature))
                .is_some_and(|s| s.contains(world))
        },
    );
    let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 220);
    let mut drawn = Vec::with_capacity(placed.len());
    for p in &placed {
        for (i, line) in p.lines.iter().enumerate() {
            // Each line centred in the label's box (egui caches the galleys measured above).
            let galley =
                painter.layout_no_wrap(line.clone(), FontId::proportional(p.size), Color32::BLACK);
            let at = pos2(
                p.frame.x + (p.frame.w - galley.size().x) / 2.0,
                p.frame.y + i as f32 * p.line_height,
            );
            for offset in [
                vec2(-1.0, 0.0),
                vec2(1.0, 0.0),
                vec2(0.0, -1.0),
                vec2(0.0, 1.0),
            ] {
                painter.galley_with_override_text_color(at + offset, galley.clone(), halo);
            }
            painter.galley(at, galley, Color32::BLACK);
        }
        let at = pos2(p.frame.x, p.frame.y);
        drawn.push((
            Rect::from_min_size(at, vec2(p.frame.w, p.frame.h)),
            FeatureRef {
                layer: layers[p.request.layer].key,
                feature: p.request.feature,
            },
        ));
    }
    drawn
}
