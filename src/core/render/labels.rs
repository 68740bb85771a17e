//! Label anchors and collision-free placement, for the window and for sheets alike.

use geo::{Area as _, Coord, Polygon};

use crate::core::Feature;

/// A point inside a feature's largest polygon, where its label is centred: the middle of the
/// widest stretch inside the polygon along one of a few horizontal lines across it. Linear in
/// the polygon's vertices (geo's `InteriorPoint` sweeps every edge pair and is many times
/// slower on county outlines).
pub fn label_anchor(feature: &Feature) -> Option<Coord<f64>> {
    label_positions(feature).into_iter().next()
}

/// Places for a feature's label, best first: on each of five horizontal lines across its
/// largest polygon, the middle of the widest stretch inside it, widest first (the middle line
/// wins ties). A labeller tries them in turn when the best one is taken.
pub fn label_positions(feature: &Feature) -> Vec<Coord<f64>> {
    feature
        .polygons()
        .into_iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .map(widest_stretches)
        .unwrap_or_default()
}

fn widest_stretches(polygon: &Polygon<f64>) -> Vec<Coord<f64>> {
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for c in &polygon.exterior().0 {
        lo = lo.min(c.y);
        hi = hi.max(c.y);
    }
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return polygon.exterior().0.first().copied().into_iter().collect();
    }
    let mut found: Vec<(f64, Coord<f64>)> = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    for t in [0.5, 0.4, 0.6, 0.3, 0.7] {
        // Nudged off the exact fraction so that the line does not run through vertices.
        let y = lo + (hi - lo) * (t + 1e-7);
        xs.clear();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a.y > y) != (b.y > y) {
                    xs.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        // Even-odd: crossings pair up into stretches inside, holes excluded.
        let widest = xs
            .chunks_exact(2)
            .map(|p| {
                (
                    p[1] - p[0],
                    Coord {
                        x: (p[0] + p[1]) / 2.0,
                        y,
                    },
                )
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        found.extend(widest);
    }
    // Stable: among stretches within a hair of each other, the more central line stays first.
    found.sort_by(|a, b| {
        if (a.0 - b.0).abs() <= a.0.max(b.0) * 1e-4 {
            std::cmp::Ordering::Equal
        } else {
            b.0.total_cmp(&a.0)
        }
    });
    found.into_iter().map(|(_, c)| c).collect()
}

/// Every feature's label anchor, worked out in parallel.
pub fn label_anchors(features: &[Feature]) -> Vec<Option<Coord<f64>>> {
    use rayon::prelude::*;
    features.par_iter().map(label_anchor).collect()
}

/// A rectangle in pixels, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Left edge, in pixels.
    pub x: f32,
    /// Top edge, in pixels.
    pub y: f32,
    /// Width, in pixels.
    pub w: f32,
    /// Height, in pixels.
    pub h: f32,
}

impl Frame {
    /// A rectangle from its top-left corner and its size.
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Frame { x, y, w, h }
    }

    /// A rectangle of size `w` × `h` centred on a point.
    pub fn centred(cx: f32, cy: f32, w: f32, h: f32) -> Self {
        Frame::new(cx - w / 2.0, cy - h / 2.0, w, h)
    }

    /// The x of its right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// The y of its bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Its centre, `[x, y]`.
    pub fn centre(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }

    /// Grown by `by` on every side.
    pub fn expand(&self, by: f32) -> Frame {
        Frame::new(
            self.x - by,
            self.y - by,
            self.w + 2.0 * by,
            self.h + 2.0 * by,
        )
    }

    /// Whether the two share some area; rectangles that only touch along an edge do not.
    pub fn intersects(&self, other: &Frame) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `other` lies wholly inside this one, edges included.
    pub fn contains(&self, other: &Frame) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// The corners and the middles of the edges: where a label is tested against its polygon.
    pub fn probes(&self) -> [[f32; 2]; 8] {
        let (l, t, r, b) = (self.x, self.y, self.right(), self.bottom());
        let (cx, cy) = (self.x + self.w / 2.0, self.y + self.h / 2.0);
        [
            [l, t],
            [r, t],
            [l, b],
            [r, b],
            [cx, t],
            [cx, b],
            [l, cy],
            [r, cy],
        ]
    }
}

/// Places labels one by one, refusing any that would touch one already placed or an obstacle
/// (the legend, the scale bar).
#[derive(Debug, Default)]
pub struct Placer {
    /// The labels placed so far, in the order placed, without the gap around them.
    pub placed: Vec<Frame>,
    obstacles: Vec<Frame>,
    /// Space kept clear around each label.
    gap: f32,
}

impl Placer {
    /// A placer with nothing placed, keeping labels `gap` pixels off each other and off the
    /// `obstacles`.
    pub fn new(gap: f32, obstacles: Vec<Frame>) -> Self {
        Placer {
            placed: Vec::new(),
            obstacles,
            gap,
        }
    }

    /// Whether a label fits here without touching another; places it if so.
    pub fn try_place(&mut self, label: Frame) -> bool {
        let grown = label.expand(self.gap);
        if self
            .placed
            .iter()
            .chain(&self.obstacles)
            .any(|r| r.intersects(&grown))
        {
            return false;
        }
        self.placed.push(label);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, polygon};

    #[test]
    fn the_anchor_is_inside_and_avoids_holes() {
        // A square ring: a big hole in the middle, so the centre is outside.
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 8.0, y: 2.0), (x: 8.0, y: 8.0), (x: 2.0, y: 8.0)]],
        );
        let a = widest_stretches(&p)[0];
        assert!(p.contains(&geo::Point(a)), "{a:?}");
        // An L: the widest stretch is along the foot.
        let l = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 2.0), (x: 2.0, y: 2.0), (x: 2.0, y: 10.0), (x: 0.0, y: 10.0)];
        let a = widest_stretches(&l)[0];
        assert!(l.contains(&geo::Point(a)), "{a:?}");
    }

    #[test]
    fn labels_keep_their_distance() {
        let mut placer = Placer::new(2.0, vec![Frame::new(100.0, 0.0, 50.0, 50.0)]);
        assert!(placer.try_place(Frame::new(0.0, 0.0, 40.0, 10.0)));
        // Overlapping the first, then within its gap, then on the obstacle.
        assert!(!placer.try_place(Frame::new(30.0, 5.0, 40.0, 10.0)));
        assert!(!placer.try_place(Frame::new(41.0, 0.0, 40.0, 10.0)));
        assert!(!placer.try_place(Frame::new(90.0, 20.0, 20.0, 10.0)));
        assert!(placer.try_place(Frame::new(43.0, 0.0, 40.0, 10.0)));
        assert_eq!(placer.placed.len(), 2);
    }
}
