//! Feature labels: placed inside their polygon, larger features first, never overlapping.

use std::sync::Arc;

use egui::{Color32, FontId, Painter, Rect, vec2};

use crate::core::FeatureId;
use crate::core::tessellate::FeatureShape;

use crate::session::layer::{LayerKey, MapLayer};
use crate::ui::projector::ToScreen;

/// At most this many labels a frame: beyond that the map is a wall of text anyway.
const MAX_LABELS: usize = 600;

pub struct LabelCandidate {
    pub layer: LayerKey,
    pub feature: FeatureId,
    /// The shape drawn this frame, used to test that the label lies inside the polygon.
    pub shape: Arc<FeatureShape>,
    pub area_m2: f64,
    /// Lower goes first: zones, then units, then context.
    pub priority: u8,
}

/// Places and draws labels; returns how many were drawn.
pub fn place_labels(
    painter: &Painter,
    layers: &[MapLayer],
    mut candidates: Vec<LabelCandidate>,
    to_screen: &ToScreen,
    clip: Rect,
) -> usize {
    candidates.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.area_m2.total_cmp(&a.area_m2))
    });
    let mut placed: Vec<Rect> = Vec::new();
    for c in &candidates {
        if placed.len() >= MAX_LABELS {
            break;
        }
        let Some(layer) = layers.iter().find(|l| l.key == c.layer) else {
            continue;
        };
        let Some(feature) = layer.feature(c.feature) else {
            continue;
        };
        let (Some(bbox), Some(Some(anchor))) = (feature.bbox, layer.anchors.get(c.feature.index()))
        else {
            continue;
        };
        let a = to_screen.lonlat(bbox.min());
        let b = to_screen.lonlat(bbox.max());
        let (box_w, box_h) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if box_w < 24.0 || box_h < 12.0 {
            continue;
        }
        let Some(text) = layer.label_text(feature).filter(|t| !t.is_empty()) else {
            continue;
        };
        let size = if c.priority == 0 { 14.0 } else { 12.5 };
        let galley = painter.layout_no_wrap(text, FontId::proportional(size), Color32::BLACK);
        let text_size = galley.size();
        if text_size.x > box_w || text_size.y > box_h {
            continue;
        }
        let centre = to_screen.lonlat(anchor.lonlat);
        let label = Rect::from_center_size(centre, text_size);
        if !clip.contains_rect(label) || placed.iter().any(|r| r.intersects(label.expand(3.0))) {
            continue;
        }
        if !fits_inside(&c.shape, label, to_screen) {
            continue;
        }
        let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 220);
        for offset in [
            vec2(-1.0, 0.0),
            vec2(1.0, 0.0),
            vec2(0.0, -1.0),
            vec2(0.0, 1.0),
        ] {
            painter.galley_with_override_text_color(label.min + offset, galley.clone(), halo);
        }
        painter.galley(label.min, galley, Color32::BLACK);
        placed.push(label);
    }
    placed.len()
}

/// Whether the corners and edge midpoints of a screen rectangle all lie inside the shape.
fn fits_inside(shape: &FeatureShape, label: Rect, to_screen: &ToScreen) -> bool {
    let probes = [
        label.left_top(),
        label.right_top(),
        label.left_bottom(),
        label.right_bottom(),
        label.center_top(),
        label.center_bottom(),
        label.left_center(),
        label.right_center(),
    ];
    probes.iter().all(|p| {
        let world = to_screen.viewport.world_from_screen(
            [
                f64::from(p.x - to_screen.min.x),
                f64::from(p.y - to_screen.min.y),
            ],
            to_screen.size_px,
        );
        shape.contains(world)
    })
}
