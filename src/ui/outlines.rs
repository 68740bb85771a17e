//! Outlines drawn once per zoom: egui strokes every outline into triangles each frame, which
//! at whole-country zoom (the counties' 120,000 outline vertices) costs more than the rest of
//! the map. Here each feature's outline is stroked once for the current scale, by egui's own
//! tessellator (the same triangles it would make), and while the map pans it is only moved.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use egui::epaint::{Mesh, PathShape, TessellationOptions, Tessellator, Vertex};
use egui::{Pos2, Shape, Stroke};

use crate::core::FeatureId;
use crate::core::tessellate::FeatureShape;
use crate::session::layer::LayerKey;

use super::projector::ToScreen;

/// Each drawn feature's outline stroked for the current scale, in screen points as they were
/// when it was stroked; cleared when the scale or the screen's pixel density changes.
#[derive(Default)]
pub struct OutlineCache {
    entries: HashMap<(LayerKey, FeatureId), Stroked>,
    /// The scale (Mercator metres per point) and pixels per point the entries were made at.
    scale: Option<(f64, f32)>,
    options: TessellationOptions,
}

struct Stroked {
    /// The shape stroked: a new shape (an edit, another detail level) strokes again.
    shape: Arc<FeatureShape>,
    stroke: Stroke,
    /// Where the shape's origin was on screen when stroked.
    anchor: Pos2,
    mesh: Mesh,
}

impl OutlineCache {
    /// Starts a frame at this scale: a new scale or pixel density empties the cache.
    pub fn begin(&mut self, m_per_px: f64, pixels_per_point: f32, options: TessellationOptions) {
        if self.scale != Some((m_per_px, pixels_per_point)) || self.options != options {
            self.entries.clear();
            self.scale = Some((m_per_px, pixels_per_point));
            self.options = options;
        }
    }

    /// Appends the outlines of a layer's drawn features, stroked with `stroke`, to `out`: each
    /// stroked afresh when its shape or the stroke changed since it was last drawn at this
    /// scale, else moved. Stroking stops at `deadline` (a new scale strokes 120,000 outline
    /// vertices of the counties, 30 ms and more): the features left are drawn without their
    /// outline this frame, and the return is `true`, to draw again soon. `out` grows once, to
    /// the size of them all.
    pub fn append_all<'f>(
        &mut self,
        out: &mut Mesh,
        layer: LayerKey,
        features: impl Iterator<Item = &'f (FeatureId, Arc<FeatureShape>)> + Clone,
        stroke: Stroke,
        (to_screen, deadline): (&ToScreen, std::time::Instant),
    ) -> bool {
        let mut incomplete = false;
        for (id, shape) in features.clone() {
            if !self.is_fresh((layer, *id), shape, stroke) {
                if std::time::Instant::now() >= deadline {
                    incomplete = true;
                    continue;
                }
                self.stroke((layer, *id), shape, stroke, to_screen);
            }
        }
        let moved: Vec<(&Stroked, egui::Vec2)> = features
            .filter_map(|(id, shape)| {
                let stroked = self
                    .entries
                    .get(&(layer, *id))
                    .filter(|s| Arc::ptr_eq(&s.shape, shape) && s.stroke == stroke)?;
                let anchor = to_screen.shape_vertex(shape.origin, [0.0, 0.0]);
                Some((stroked, anchor - stroked.anchor))
            })
            .collect();
        out.vertices
            .reserve(moved.iter().map(|(s, _)| s.mesh.vertices.len()).sum());
        out.indices
            .reserve(moved.iter().map(|(s, _)| s.mesh.indices.len()).sum());
        for (stroked, delta) in moved {
            let base = out.vertices.len() as u32;
            out.vertices
                .extend(stroked.mesh.vertices.iter().map(|v| Vertex {
                    pos: v.pos + delta,
                    ..*v
                }));
            out.indices
                .extend(stroked.mesh.indices.iter().map(|&i| base + i));
        }
        incomplete
    }

    /// Whether a feature is stroked already with this shape and stroke at this scale.
    fn is_fresh(
        &self,
        key: (LayerKey, FeatureId),
        shape: &Arc<FeatureShape>,
        stroke: Stroke,
    ) -> bool {
        self.entries
            .get(&key)
            .is_some_and(|s| Arc::ptr_eq(&s.shape, shape) && s.stroke == stroke)
    }

    /// Strokes a feature's outline at this scale, unless it is stroked already with this shape
    /// and stroke.
    fn stroke(
        &mut self,
        key: (LayerKey, FeatureId),
        shape: &Arc<FeatureShape>,
        stroke: Stroke,
        to_screen: &ToScreen,
    ) {
        if self.is_fresh(key, shape, stroke) {
            return;
        }
        let ppp = self.scale.map_or(1.0, |(_, p)| p);
        let mut tessellator = Tessellator::new(ppp, self.options, [1, 1], Vec::new());
        let mut shapes = Vec::new();
        push_outlines(&mut shapes, shape, stroke, to_screen);
        let mut mesh = Mesh::default();
        for s in shapes {
            if let Shape::Path(path) = s {
                tessellator.tessellate_path(&path, &mut mesh);
            }
        }
        self.entries.insert(
            key,
            Stroked {
                shape: shape.clone(),
                stroke,
                anchor: to_screen.shape_vertex(shape.origin, [0.0, 0.0]),
                mesh,
            },
        );
    }
}

/// A feature's rings as egui lines on screen.
pub fn push_outlines(
    out: &mut Vec<Shape>,
    shape: &FeatureShape,
    stroke: Stroke,
    to_screen: &ToScreen,
) {
    for ring in &shape.rings {
        let points = screen_ring(
            shape.vertices[ring.start as usize..ring.end as usize]
                .iter()
                .map(|&v| to_screen.shape_vertex(shape.origin, v)),
        );
        if points.len() >= 3 {
            out.push(Shape::Path(PathShape::line(
                open_at_sharpest(points),
                stroke,
            )));
        }
    }
}

/// A ring as an open polyline that starts and ends on its sharpest corner. egui mitres every
/// corner of a closed line without limit (epaint's `Path::add_line_loop`), so a near-hairpin
/// corner of a simplified boundary shoots a hairline spike hundreds of pixels across the map;
/// an open line bevels corners sharper than a right angle, and its two ends meet on the
/// sharpest one, where a join matters least.
fn open_at_sharpest(mut points: Vec<Pos2>) -> Vec<Pos2> {
    let n = points.len();
    if n < 3 {
        return points;
    }
    let turn = |k: usize| {
        let (a, b, c) = (points[(k + n - 1) % n], points[k], points[(k + 1) % n]);
        (b - a).normalized().dot((c - b).normalized())
    };
    let sharpest = (0..n)
        .min_by(|&i, &j| turn(i).total_cmp(&turn(j)))
        .unwrap_or(0);
    points.rotate_left(sharpest);
    points.push(points[0]);
    points
}

/// A ring's points on screen without the ones that fall on (within a third of a pixel of) the
/// point before: they draw nothing, and a run of them reads as a hairpin to the stroke.
fn screen_ring(points: impl Iterator<Item = Pos2>) -> Vec<Pos2> {
    const MIN_STEP_SQ: f32 = 0.1;
    let mut out: Vec<Pos2> = Vec::new();
    for p in points {
        if !p.x.is_finite() || !p.y.is_finite() {
            continue;
        }
        if out.last().is_none_or(|q| q.distance_sq(p) >= MIN_STEP_SQ) {
            out.push(p);
        }
    }
    while out.len() > 1
        && out
            .first()
            .zip(out.last())
            .is_some_and(|(a, b)| a.distance_sq(*b) < MIN_STEP_SQ)
    {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, Rect};
    use geo::polygon;

    /// The mesh egui makes of a shape, and how far it reaches beyond `bounds`.
    fn overreach(shape: Shape, bounds: Rect) -> f32 {
        let mut tessellator = egui::epaint::Tessellator::new(
            1.0,
            egui::epaint::TessellationOptions::default(),
            [1, 1],
            Vec::new(),
        );
        let mut mesh = Mesh::default();
        tessellator.tessellate_shape(shape, &mut mesh);
        let mut reach = Rect::NOTHING;
        for v in &mesh.vertices {
            reach.extend_with(v.pos);
        }
        [
            bounds.min.x - reach.min.x,
            reach.max.x - bounds.max.x,
            bounds.min.y - reach.min.y,
            reach.max.y - bounds.max.y,
        ]
        .into_iter()
        .fold(0.0, f32::max)
    }

    /// The outlines a cache gives after the map has panned are the ones stroked afresh at the
    /// new position; a new scale strokes again.
    #[test]
    fn a_panned_outline_is_the_one_stroked_afresh() {
        let polygon = polygon![(x: 120.5, y: 31.2), (x: 120.7, y: 31.25), (x: 120.6, y: 31.4), (x: 120.52, y: 31.33)];
        let shape = Arc::new(FeatureShape::build(&[&polygon], 8));
        let features = [(FeatureId(0), shape)];
        let stroke = Stroke::new(1.5, Color32::BLACK);
        let options = TessellationOptions::default();
        let at = |viewport| ToScreen {
            viewport,
            size_px: [800.0, 600.0],
            min: Pos2::new(10.0, 20.0),
        };
        let drawn = |cache: &mut OutlineCache, viewport: crate::core::view::Viewport| {
            cache.begin(viewport.world_m_per_px, 1.0, options);
            let mut mesh = Mesh::default();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            let incomplete = cache.append_all(
                &mut mesh,
                LayerKey(1),
                features.iter(),
                stroke,
                (&at(viewport), deadline),
            );
            assert!(!incomplete);
            mesh
        };
        let start = crate::core::view::Viewport::default();
        let mut panned = start;
        panned.pan([123.4, -56.7]);
        let mut cache = OutlineCache::default();
        drawn(&mut cache, start);
        let moved = drawn(&mut cache, panned);
        let fresh = drawn(&mut OutlineCache::default(), panned);
        assert!(!fresh.vertices.is_empty());
        assert_eq!(moved.indices, fresh.indices);
        assert_eq!(moved.vertices.len(), fresh.vertices.len());
        for (a, b) in moved.vertices.iter().zip(&fresh.vertices) {
            assert!(
                (a.pos - b.pos).length() < 1e-3,
                "{:?} against {:?}",
                a.pos,
                b.pos
            );
            assert_eq!(a.color, b.color);
        }
        // Out of time, a new scale strokes nothing this frame, and says so.
        let mut farther = panned;
        farther.world_m_per_px *= 2.0;
        cache.begin(farther.world_m_per_px, 1.0, options);
        let mut late = Mesh::default();
        let past = std::time::Instant::now() - std::time::Duration::from_millis(1);
        let incomplete = cache.append_all(
            &mut late,
            LayerKey(1),
            features.iter(),
            stroke,
            (&at(farther), past),
        );
        assert!(incomplete && late.vertices.is_empty());
        // Zoomed in: stroked again at the new scale, not the old outline moved.
        let mut closer = panned;
        closer.world_m_per_px /= 2.0;
        let zoomed = drawn(&mut cache, closer);
        let fresh = drawn(&mut OutlineCache::default(), closer);
        assert_eq!(zoomed.vertices.len(), fresh.vertices.len());
        for (a, b) in zoomed.vertices.iter().zip(&fresh.vertices) {
            assert!((a.pos - b.pos).length() < 1e-3);
        }
    }

    #[test]
    fn a_hairpin_corner_draws_no_spike() {
        // A ring with a corner turning back by 179.6° at (150, 150), as a simplified district
        // boundary has.
        let ring = vec![
            Pos2::new(100.0, 100.0),
            Pos2::new(300.0, 100.0),
            Pos2::new(300.0, 200.0),
            Pos2::new(150.0, 150.0),
            Pos2::new(300.0, 199.0),
            Pos2::new(100.0, 200.0),
        ];
        let bounds = Rect::from_min_max(Pos2::new(100.0, 100.0), Pos2::new(300.0, 200.0));
        let stroke = Stroke::new(1.0, Color32::BLACK);
        // As a closed line, egui's mitre at the hairpin reaches far outside the ring …
        assert!(overreach(Shape::closed_line(ring.clone(), stroke), bounds) > 50.0);
        // … as the map draws it, no further than the stroke's width.
        let drawn = Shape::line(open_at_sharpest(screen_ring(ring.into_iter())), stroke);
        assert!(overreach(drawn, bounds) < 3.0);
    }
}
