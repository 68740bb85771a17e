//! Snapping: a point being placed jumps to an existing vertex, else to an existing edge, within
//! a few pixels. Holding Shift turns it off.

use egui::Pos2;
use geo::{Coord, Rect};

use crate::core::FeatureId;

use crate::session::layer::{LayerKey, MapLayer};
use crate::ui::projector::ToScreen;

/// How near (points on screen) a vertex or an edge must be to be snapped to.
pub const SNAP_PX: f32 = 8.0;

/// What a point snapped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snapped {
    Vertex,
    Edge,
}

/// The nearest vertex within [`SNAP_PX`] of `pointer` on the visible layers, else the nearest
/// point of an edge; `skip` leaves one feature out (the one being edited).
pub fn snap(
    layers: &[MapLayer],
    to_screen: &ToScreen,
    pointer: Pos2,
    skip: Option<(LayerKey, FeatureId)>,
) -> Option<(Coord<f64>, Snapped)> {
    let r = egui::vec2(SNAP_PX, SNAP_PX);
    let (a, b) = (
        to_screen.lonlat_at(pointer - r),
        to_screen.lonlat_at(pointer + r),
    );
    let window = Rect::new(a, b);
    let max2 = SNAP_PX * SNAP_PX;
    let mut vertex: Option<(f32, Coord<f64>)> = None;
    let mut edge: Option<(f32, Coord<f64>)> = None;
    for layer in layers.iter().filter(|l| l.style.visible) {
        for id in layer.layer.index.in_envelope(window) {
            if skip == Some((layer.key, id)) {
                continue;
            }
            let feature = layer.layer.feature(id);
            for polygon in feature.polygons() {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    let mut prev: Option<(Coord<f64>, Pos2)> = None;
                    for &c in &ring.0 {
                        let p = to_screen.lonlat(c);
                        let d2 = p.distance_sq(pointer);
                        if d2 <= max2 && vertex.is_none_or(|(best, _)| d2 < best) {
                            vertex = Some((d2, c));
                        }
                        if let Some((pc, pp)) = prev
                            && let Some((d2, t)) = segment_distance_sq(pointer, pp, p)
                            && d2 <= max2
                            && edge.is_none_or(|(best, _)| d2 < best)
                        {
                            let at = Coord {
                                x: pc.x + (c.x - pc.x) * f64::from(t),
                                y: pc.y + (c.y - pc.y) * f64::from(t),
                            };
                            edge = Some((d2, at));
                        }
                        prev = Some((c, p));
                    }
                }
            }
        }
    }
    match (vertex, edge) {
        (Some((_, c)), _) => Some((c, Snapped::Vertex)),
        (None, Some((_, c))) => Some((c, Snapped::Edge)),
        _ => None,
    }
}

/// Squared distance from `p` to the segment `a`–`b`, and where along it (0–1) the nearest
/// point is; `None` for a segment of no length.
pub fn segment_distance_sq(p: Pos2, a: Pos2, b: Pos2) -> Option<(f32, f32)> {
    let ab = b - a;
    let len2 = ab.length_sq();
    if len2 == 0.0 {
        return None;
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    Some(((a + ab * t).distance_sq(p), t))
}
