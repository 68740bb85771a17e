//! Features as drawable shapes: projected to Web Mercator, simplified for a zoom level, and cut
//! into triangles (polygons with holes are filled correctly, unlike a convex fill).
//!
//! A [`FeatureShape`] is built once per feature and detail level and then reused by every frame;
//! drawing it only moves its vertices to the screen.

use geo::{Coord, LineString, Polygon, TriangulateEarcut};

use crate::core::view::world_from_lonlat;

/// Detail levels: level `n` drops detail finer than `BASE_TOLERANCE_M · 2ⁿ` Mercator metres.
pub const MAX_LEVEL: u8 = 24;
const BASE_TOLERANCE_M: f64 = 0.25;

/// The detail level for a zoom: detail finer than half a pixel to a pixel is dropped, which
/// the eye does not miss and which halves what a frame draws at whole-country zoom.
pub fn level_for(world_m_per_px: f64) -> u8 {
    let tolerance = world_m_per_px / BASE_TOLERANCE_M;
    if tolerance <= 1.0 {
        0
    } else {
        (tolerance.log2().floor() as i64).clamp(0, i64::from(MAX_LEVEL)) as u8
    }
}

/// The simplification tolerance of a level, in Mercator metres.
pub fn tolerance_m(level: u8) -> f64 {
    BASE_TOLERANCE_M * f64::from(1u32 << level.min(MAX_LEVEL))
}

/// One feature's polygons at one detail level, ready to draw.
///
/// Coordinates are f32 offsets in Mercator metres from `origin`, y up, so that a county keeps
/// centimetre precision without f64 vertices.
#[derive(Clone, Debug, Default)]
pub struct FeatureShape {
    /// Mercator metres that vertex (0, 0) stands for.
    pub origin: [f64; 2],
    /// The simplified vertices of every ring, as offsets in Mercator metres from `origin`, y up.
    pub vertices: Vec<[f32; 2]>,
    /// Triangles filling the polygons, three indices into `vertices` each.
    pub triangles: Vec<u32>,
    /// Closed rings (outer and holes) as ranges of `vertices`, the closing vertex not repeated.
    pub rings: Vec<std::ops::Range<u32>>,
    /// The vertices' bounding box, [min x, min y, max x, max y] as offsets from `origin` in
    /// Mercator metres (y up): where the shape is on screen at any view without projecting
    /// anything.
    pub extent: [f32; 4],
}

impl FeatureShape {
    /// Projects, simplifies and triangulates polygons given in lon/lat.
    pub fn build(polygons: &[&Polygon<f64>], level: u8) -> Self {
        Self::build_with(polygons, level, true)
    }

    /// Projects and simplifies polygons given in lon/lat, without triangles: for a renderer
    /// that fills paths itself.
    pub fn outlines(polygons: &[&Polygon<f64>], level: u8) -> Self {
        Self::build_with(polygons, level, false)
    }

    fn build_with(polygons: &[&Polygon<f64>], level: u8, triangulate: bool) -> Self {
        let tolerance = tolerance_m(level);
        let Some(origin) = polygons
            .first()
            .and_then(|p| p.exterior().0.first())
            .map(|c| world_from_lonlat(*c))
        else {
            return FeatureShape::default();
        };
        let mut shape = FeatureShape {
            origin,
            ..FeatureShape::default()
        };
        let mut scratch = Vec::new();
        for polygon in polygons {
            let exterior = simplified_ring(polygon.exterior(), tolerance, &mut scratch)
                .or_else(|| speck(&scratch));
            let Some(exterior) = exterior else {
                continue;
            };
            let interiors: Vec<LineString<f64>> = polygon
                .interiors()
                .iter()
                .filter_map(|ring| simplified_ring(ring, tolerance, &mut scratch))
                .collect();
            let projected = Polygon::new(exterior, interiors);
            shape.push_polygon(&projected, triangulate);
        }
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for v in &shape.vertices {
            lo = [lo[0].min(v[0]), lo[1].min(v[1])];
            hi = [hi[0].max(v[0]), hi[1].max(v[1])];
        }
        if !shape.vertices.is_empty() {
            shape.extent = [lo[0], lo[1], hi[0], hi[1]];
        }
        shape
    }

    /// The larger side of [`Self::extent`], in Mercator metres.
    pub fn size_m(&self) -> f32 {
        (self.extent[2] - self.extent[0]).max(self.extent[3] - self.extent[1])
    }

    fn push_polygon(&mut self, projected: &Polygon<f64>, triangulate: bool) {
        let base = self.vertices.len() as u32;
        let origin = self.origin;
        let offset = |c: &Coord<f64>| [(c.x - origin[0]) as f32, (c.y - origin[1]) as f32];
        if triangulate {
            let raw = projected.earcut_triangles_raw();
            self.vertices.extend(
                raw.vertices
                    .iter()
                    .map(|v| [(v[0] - origin[0]) as f32, (v[1] - origin[1]) as f32]),
            );
            self.triangles
                .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
        } else {
            // The same vertex order earcut's flattening gives: each ring without its closing
            // point, exterior first.
            for ring in std::iter::once(projected.exterior()).chain(projected.interiors()) {
                let open = &ring.0[..ring.0.len().saturating_sub(1)];
                self.vertices.extend(open.iter().map(offset));
            }
        }
        let mut start = base;
        for ring in std::iter::once(projected.exterior()).chain(projected.interiors()) {
            let len = ring.0.len().saturating_sub(1) as u32;
            self.rings.push(start..start + len);
            start += len;
        }
    }

    /// Whether anything is left to draw at this level.
    pub fn is_empty(&self) -> bool {
        self.rings.is_empty()
    }

    /// The vertices of each ring, exterior and holes alike.
    pub fn ring_vertices(&self) -> impl Iterator<Item = &[[f32; 2]]> {
        self.rings
            .iter()
            .map(|r| &self.vertices[r.start as usize..r.end as usize])
    }

    /// Whether a point (Mercator metres) lies inside, by the even-odd rule over all rings, so
    /// that holes count as outside.
    pub fn contains(&self, world: [f64; 2]) -> bool {
        let p = [world[0] - self.origin[0], world[1] - self.origin[1]];
        let mut inside = false;
        for pts in self.ring_vertices() {
            let Some(last) = pts.last() else { continue };
            let mut prev = [f64::from(last[0]), f64::from(last[1])];
            for v in pts {
                let cur = [f64::from(v[0]), f64::from(v[1])];
                if (cur[1] > p[1]) != (prev[1] > p[1])
                    && p[0] < (prev[0] - cur[0]) * (p[1] - cur[1]) / (prev[1] - cur[1]) + cur[0]
                {
                    inside = !inside;
                }
                prev = cur;
            }
        }
        inside
    }

    /// Where the horizontal line at Mercator `y` crosses the rings, as Mercator x offsets from
    /// `origin[0]`, sorted: a point on that line lies inside (as [`Self::contains`] decides)
    /// when an odd number of them are beyond it. One pass over the edges serves a whole row
    /// of points.
    pub fn crossings(&self, y: f64) -> Vec<f64> {
        let py = y - self.origin[1];
        let mut xs = Vec::new();
        for pts in self.ring_vertices() {
            let Some(last) = pts.last() else { continue };
            let mut prev = [f64::from(last[0]), f64::from(last[1])];
            for v in pts {
                let cur = [f64::from(v[0]), f64::from(v[1])];
                if (cur[1] > py) != (prev[1] > py) {
                    xs.push((prev[0] - cur[0]) * (py - cur[1]) / (prev[1] - cur[1]) + cur[0]);
                }
                prev = cur;
            }
        }
        xs.sort_unstable_by(f64::total_cmp);
        xs
    }
}

/// Whether Mercator `x` lies inside by `crossings` (from [`FeatureShape::crossings`] of
/// `shape`, on the line through the point).
pub fn inside_by_crossings(shape: &FeatureShape, crossings: &[f64], x: f64) -> bool {
    let px = x - shape.origin[0];
    let beyond = crossings.len() - crossings.partition_point(|&c| c <= px);
    beyond % 2 == 1
}

/// A ring projected to Mercator and simplified (Douglas–Peucker); `None` when it shrinks below a
/// triangle, which at this level means it is under a pixel across.
fn simplified_ring(
    ring: &LineString<f64>,
    tolerance: f64,
    scratch: &mut Vec<[f64; 2]>,
) -> Option<LineString<f64>> {
    scratch.clear();
    scratch.extend(ring.0.iter().map(|c| world_from_lonlat(*c)));
    if scratch.len() < 4 {
        return None;
    }
    let keep = douglas_peucker(scratch, tolerance);
    let kept: Vec<Coord<f64>> = scratch
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| Coord { x: p[0], y: p[1] })
        .collect();
    // A closed ring needs at least three distinct points and its closing point.
    (kept.len() >= 4).then_some(LineString(kept))
}

/// An outer ring that simplifies to less than a triangle, kept as the triangle of its three
/// extreme points (its first, the farthest from that, and the farthest from the line between
/// them; `projected` as [`simplified_ring`] left it): an island under a pixel still shows as
/// a speck, as a GIS draws it, instead of vanishing from the map at country zoom. `None` for a
/// ring with no area.
fn speck(projected: &[[f64; 2]]) -> Option<LineString<f64>> {
    let first = *projected.first()?;
    let far = *projected
        .iter()
        .max_by(|a, b| dist2(**a, first).total_cmp(&dist2(**b, first)))?;
    let off_line = |p: [f64; 2]| {
        ((far[0] - first[0]) * (p[1] - first[1]) - (far[1] - first[1]) * (p[0] - first[0])).abs()
    };
    let third = *projected
        .iter()
        .max_by(|a, b| off_line(**a).total_cmp(&off_line(**b)))?;
    if off_line(third) <= 0.0 {
        return None;
    }
    let c = |p: [f64; 2]| Coord { x: p[0], y: p[1] };
    Some(LineString(vec![c(first), c(far), c(third), c(first)]))
}

/// Marks the points a Douglas–Peucker simplification keeps; the first and last always stay.
fn douglas_peucker(points: &[[f64; 2]], tolerance: f64) -> Vec<bool> {
    let n = points.len();
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    // A closed ring starts and ends on the same point: split it at its farthest point first so
    // that the first span is not a zero-length segment.
    let mut stack = Vec::with_capacity(64);
    let far = (1..n - 1)
        .max_by(|&a, &b| dist2(points[a], points[0]).total_cmp(&dist2(points[b], points[0])))
        .unwrap_or(0);
    if far > 0 {
        keep[far] = true;
        stack.push((0, far));
        stack.push((far, n - 1));
    } else {
        stack.push((0, n - 1));
    }
    let tol2 = tolerance * tolerance;
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut worst_d2) = (0, -1.0);
        for (i, p) in points.iter().enumerate().take(b).skip(a + 1) {
            let d2 = segment_dist2(*p, points[a], points[b]);
            if d2 > worst_d2 {
                worst = i;
                worst_d2 = d2;
            }
        }
        if worst_d2 > tol2 {
            keep[worst] = true;
            stack.push((a, worst));
            stack.push((worst, b));
        }
    }
    keep
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

fn segment_dist2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return dist2(p, a);
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    dist2(p, [a[0] + t * dx, a[1] + t * dy])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn triangles_area(shape: &FeatureShape) -> f64 {
        shape
            .triangles
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| shape.vertices[t[k] as usize]);
                let cross = (b[0] - a[0]) as f64 * (c[1] - a[1]) as f64
                    - (c[0] - a[0]) as f64 * (b[1] - a[1]) as f64;
                cross.abs() / 2.0
            })
            .sum()
    }

    /// A row's crossings decide every point of the row as `contains` does, holes included,
    /// on a 41 × 41 grid over a square with a hole and a notch (points on vertices' rows too).
    #[test]
    fn crossings_decide_points_as_contains_does() {
        let p = polygon!(
            exterior: [(x: 120.0, y: 31.0), (x: 120.1, y: 31.0), (x: 120.1, y: 31.1), (x: 120.05, y: 31.05), (x: 120.0, y: 31.1)],
            interiors: [[(x: 120.025, y: 31.01), (x: 120.075, y: 31.01), (x: 120.075, y: 31.03), (x: 120.025, y: 31.03)]],
        );
        let shape = FeatureShape::build(&[&p], 0);
        let [x0, y0] = world_from_lonlat(geo::coord! { x: 119.99, y: 30.99 });
        let [x1, y1] = world_from_lonlat(geo::coord! { x: 120.11, y: 31.11 });
        let (mut inside, mut outside) = (0, 0);
        for j in 0..=40 {
            let y = y0 + (y1 - y0) * f64::from(j) / 40.0;
            let xs = shape.crossings(y);
            for i in 0..=40 {
                let x = x0 + (x1 - x0) * f64::from(i) / 40.0;
                let by_row = inside_by_crossings(&shape, &xs, x);
                assert_eq!(by_row, shape.contains([x, y]), "at {x}, {y}");
                if by_row {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
        }
        assert!(inside > 100 && outside > 100);
    }

    /// An island 200 m across, at the level the whole country is drawn at (8 km), stays as a
    /// speck of three vertices with an area, and so do its neighbours' shapes; a hole that
    /// small goes.
    #[test]
    fn an_island_under_a_pixel_stays_a_speck() {
        let island = polygon![
            (x: 112.0, y: 16.0), (x: 112.002, y: 16.0), (x: 112.002, y: 16.001),
            (x: 112.001, y: 16.002), (x: 112.0, y: 16.001)
        ];
        let shape = FeatureShape::build(&[&island], 15);
        assert_eq!(shape.rings.len(), 1);
        assert_eq!(shape.vertices.len(), 3);
        assert!(triangles_area(&shape) > 0.0);
        let outline = FeatureShape::outlines(&[&island], 15);
        assert_eq!(outline.rings, shape.rings);
        let holed = polygon!(
            exterior: [(x: 111.0, y: 15.0), (x: 113.0, y: 15.0), (x: 113.0, y: 17.0), (x: 111.0, y: 17.0)],
            interiors: [[(x: 112.0, y: 16.0), (x: 112.002, y: 16.0), (x: 112.001, y: 16.002)]],
        );
        assert_eq!(FeatureShape::build(&[&holed], 15).rings.len(), 1);
    }

    #[test]
    fn hole_is_left_unfilled() {
        // A 0.1° square with a 0.05° hole: the triangles cover 3/4 of the square.
        let p = polygon!(
            exterior: [(x: 120.0, y: 31.0), (x: 120.1, y: 31.0), (x: 120.1, y: 31.1), (x: 120.0, y: 31.1)],
            interiors: [[(x: 120.025, y: 31.025), (x: 120.075, y: 31.025), (x: 120.075, y: 31.075), (x: 120.025, y: 31.075)]],
        );
        let shape = FeatureShape::build(&[&p], 0);
        assert_eq!(shape.rings.len(), 2);
        let outer = world_from_lonlat(Coord { x: 120.1, y: 31.1 });
        let inner = world_from_lonlat(Coord { x: 120.0, y: 31.0 });
        let square = (outer[0] - inner[0]) * (outer[1] - inner[1]);
        let filled = triangles_area(&shape);
        assert!(
            (filled / square - 0.75).abs() < 0.01,
            "{filled} of {square}"
        );
    }

    #[test]
    fn coarse_level_drops_detail_but_keeps_shape() {
        // A circle of 720 points, 10 km across.
        let ring: Vec<(f64, f64)> = (0..720)
            .map(|i| {
                let t = f64::from(i) / 720.0 * std::f64::consts::TAU;
                (120.0 + 0.05 * t.cos(), 31.0 + 0.05 * t.sin())
            })
            .collect();
        let p = Polygon::new(LineString::from(ring), vec![]);
        let fine = FeatureShape::build(&[&p], 0);
        let coarse = FeatureShape::build(&[&p], level_for(200.0));
        // Level 0 keeps everything over 25 cm off the chord; 200 m per pixel keeps far less.
        assert!(fine.vertices.len() > 400, "{}", fine.vertices.len());
        assert!(coarse.vertices.len() < 80, "{}", coarse.vertices.len());
        let ratio = triangles_area(&coarse) / triangles_area(&fine);
        assert!(ratio > 0.97 && ratio <= 1.0, "{ratio}");
        // The extent is the vertices' box, at either level nearly the same.
        for shape in [&fine, &coarse] {
            let e = shape.extent;
            assert!(
                shape
                    .vertices
                    .iter()
                    .all(|v| { v[0] >= e[0] && v[1] >= e[1] && v[0] <= e[2] && v[1] <= e[3] })
            );
            assert!((shape.size_m() - fine.size_m()).abs() < 0.01 * fine.size_m());
        }
    }

    #[test]
    fn a_hole_is_outside() {
        let shape = FeatureShape {
            origin: [100.0, 0.0],
            vertices: vec![
                [0.0, 0.0],
                [10.0, 0.0],
                [10.0, 10.0],
                [0.0, 10.0],
                [4.0, 4.0],
                [6.0, 4.0],
                [6.0, 6.0],
                [4.0, 6.0],
            ],
            triangles: vec![],
            rings: vec![0..4, 4..8],
            extent: [0.0, 0.0, 10.0, 10.0],
        };
        assert!(shape.contains([101.0, 1.0]));
        assert!(!shape.contains([105.0, 5.0]));
        assert!(!shape.contains([111.0, 5.0]));
    }

    #[test]
    fn outlines_have_the_same_rings_as_the_triangulated_shape() {
        let p = polygon!(
            exterior: [(x: 120.0, y: 31.0), (x: 120.1, y: 31.0), (x: 120.1, y: 31.1), (x: 120.0, y: 31.1)],
            interiors: [[(x: 120.025, y: 31.025), (x: 120.075, y: 31.025), (x: 120.075, y: 31.075), (x: 120.025, y: 31.075)]],
        );
        let (a, b) = (
            FeatureShape::build(&[&p], 0),
            FeatureShape::outlines(&[&p], 0),
        );
        assert_eq!(a.rings, b.rings);
        assert_eq!(a.vertices, b.vertices);
        assert!(b.triangles.is_empty());
    }

    #[test]
    fn level_tracks_zoom() {
        assert_eq!(level_for(0.1), 0);
        assert!(level_for(20.0) < level_for(5_000.0));
        assert!(tolerance_m(level_for(1000.0)) <= 1000.0);
        assert!(tolerance_m(level_for(1000.0)) > 500.0);
    }
}
