//! Snapping: boundaries drawn from different sources that should coincide are taken as one.
//!
//! Two towns digitised apart meet with offsets of centimetres to a metre; a zone traced over
//! them runs a little inside here and a little outside there. Overlaid as they are, they leave
//! slivers: a merge of two neighbours comes out as two parts 1e-7° apart, a town is "partly"
//! in the neighbouring zone. Snapping moves an input's vertices onto a reference shape wherever
//! they are within a tolerance of it (default [`DEFAULT_SNAP_M`], 1 m), as GEOS's
//! `GeometrySnapper` (PostGIS `ST_Snap`) does:
//!
//! 1. a vertex within the tolerance of a reference vertex moves onto it (the nearest);
//! 2. else a vertex within the tolerance of a reference edge moves onto the nearest point of it;
//! 3. a reference vertex within the tolerance of an input edge (but not of its ends) is put into
//!    that edge, so T-junctions close.
//!
//! Distances are metres on the WGS-84 ellipsoid, in a local frame about the reference (metres
//! per degree of longitude and latitude at its mean latitude): good to a fraction of a percent
//! over the few kilometres that matter here. Vertices that need no snapping come out bit for bit
//! as they went in; snapped ones take the reference's exact coordinates.

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Line};
use rstar::{AABB, RTree};

use crate::core::measure::{WGS84_A, WGS84_F};

/// The default snapping tolerance, metres: boundaries closer than this are taken as shared.
pub const DEFAULT_SNAP_M: f64 = 1.0;

/// What snapping did to a shape.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SnapStats {
    /// Vertices moved onto the reference.
    pub moved: usize,
    /// Reference vertices put into the shape's edges.
    pub inserted: usize,
    /// The longest move, metres.
    pub max_shift_m: f64,
}

impl SnapStats {
    /// Whether snapping changed anything.
    pub fn changed(&self) -> bool {
        self.moved > 0 || self.inserted > 0
    }
}

/// Metres per degree of longitude and latitude at a latitude (WGS-84).
fn metres_per_degree(lat_deg: f64) -> (f64, f64) {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let (s, c) = lat_deg.to_radians().sin_cos();
    let w = (1.0 - e2 * s * s).sqrt();
    let n = WGS84_A / w;
    let m = WGS84_A * (1.0 - e2) / (w * w * w);
    let rad = std::f64::consts::PI / 180.0;
    (n * c * rad, m * rad)
}

type Vertex = GeomWithData<[f64; 2], Coord<f64>>;
type Edge = GeomWithData<Line<[f64; 2]>, (Coord<f64>, Coord<f64>)>;

/// A reference shape prepared for snapping other shapes to it.
pub struct SnapTarget {
    tol_m: f64,
    origin: Coord<f64>,
    kx: f64,
    ky: f64,
    vertices: RTree<Vertex>,
    edges: RTree<Edge>,
}

impl SnapTarget {
    /// Prepares `polygons` (lon/lat) as the reference, with a tolerance in metres.
    pub fn new(polygons: &[&Polygon<f64>], tol_m: f64) -> Self {
        let rings: Vec<&LineString<f64>> = polygons
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .collect();
        Self::from_rings(&rings, tol_m)
    }

    /// Prepares rings (lon/lat, closed) as the reference.
    pub fn from_rings(rings: &[&LineString<f64>], tol_m: f64) -> Self {
        let bbox = rings
            .iter()
            .filter_map(|r| r.bounding_rect())
            .reduce(|a, b| crate::core::model::merge_rects(&a, &b));
        let origin = bbox.map_or(Coord { x: 0.0, y: 0.0 }, |b| b.center());
        let (kx, ky) = metres_per_degree(origin.y);
        let mut target = SnapTarget {
            tol_m,
            origin,
            kx,
            ky,
            vertices: RTree::new(),
            edges: RTree::new(),
        };
        let mut vertices = Vec::new();
        let mut edges = Vec::new();
        for r in rings {
            let pts = &r.0;
            let n = if pts.len() > 1 && pts.first() == pts.last() {
                pts.len() - 1
            } else {
                pts.len()
            };
            for &c in &pts[..n] {
                vertices.push(GeomWithData::new(target.local(c), c));
            }
            for w in pts.windows(2) {
                if w[0] != w[1] {
                    let line = Line::new(target.local(w[0]), target.local(w[1]));
                    edges.push(GeomWithData::new(line, (w[0], w[1])));
                }
            }
        }
        target.vertices = RTree::bulk_load(vertices);
        target.edges = RTree::bulk_load(edges);
        target
    }

    fn local(&self, c: Coord<f64>) -> [f64; 2] {
        [
            (c.x - self.origin.x) * self.kx,
            (c.y - self.origin.y) * self.ky,
        ]
    }

    /// The shape snapped to this reference, and what was done; the shape is returned as it was
    /// (bit for bit) when nothing is within the tolerance. Snapping can make a shape invalid
    /// (a narrow neck collapsed): callers validate and repair the result.
    pub fn snap(&self, shape: &[&Polygon<f64>]) -> (MultiPolygon<f64>, SnapStats) {
        let mut stats = SnapStats::default();
        let polygons = shape
            .iter()
            .map(|p| {
                let exterior = self.snap_ring(p.exterior(), &mut stats);
                let holes = p
                    .interiors()
                    .iter()
                    .map(|h| self.snap_ring(h, &mut stats))
                    .collect();
                Polygon::new(exterior, holes)
            })
            .collect();
        (MultiPolygon(polygons), stats)
    }

    fn snap_ring(&self, ring: &LineString<f64>, stats: &mut SnapStats) -> LineString<f64> {
        let tol2 = self.tol_m * self.tol_m;
        let pts = &ring.0;
        if pts.len() < 2 {
            return ring.clone();
        }
        let closed = pts.first() == pts.last();
        let n = if closed { pts.len() - 1 } else { pts.len() };
        // 1 and 2: each vertex onto the nearest reference vertex, else edge, within reach.
        let mut moved: Vec<Coord<f64>> = Vec::with_capacity(n + 1);
        for &c in &pts[..n] {
            let p = self.local(c);
            let mut to = None;
            if let Some(v) = self.vertices.nearest_neighbor(&p) {
                let d2 = dist2(*v.geom(), p);
                if d2 <= tol2 {
                    to = Some((v.data, d2));
                }
            }
            if to.is_none() {
                let mut best: Option<(Coord<f64>, f64)> = None;
                for e in self.edges.locate_within_distance(p, tol2) {
                    let (t, d2) = project(e.geom(), p);
                    if best.is_none_or(|(_, bd)| d2 < bd) {
                        let (a, b) = e.data;
                        let at = Coord {
                            x: a.x + t * (b.x - a.x),
                            y: a.y + t * (b.y - a.y),
                        };
                        best = Some((at, d2));
                    }
                }
                to = best;
            }
            match to {
                Some((at, d2)) if at != c => {
                    stats.moved += 1;
                    stats.max_shift_m = stats.max_shift_m.max(d2.sqrt());
                    moved.push(at);
                }
                _ => moved.push(c),
            }
        }
        // 3: reference vertices that lie on (within reach of) an edge go into it, in order.
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(moved.len() + 1);
        for i in 0..moved.len() {
            let a = moved[i];
            if out.last() != Some(&a) {
                out.push(a);
            }
            let Some(&b) = moved.get(i + 1).or(closed.then_some(&moved[0])) else {
                continue;
            };
            if a == b {
                continue;
            }
            let (pa, pb) = (self.local(a), self.local(b));
            let envelope = AABB::from_corners(
                [pa[0].min(pb[0]) - self.tol_m, pa[1].min(pb[1]) - self.tol_m],
                [pa[0].max(pb[0]) + self.tol_m, pa[1].max(pb[1]) + self.tol_m],
            );
            let line = Line::new(pa, pb);
            let mut inside: Vec<(f64, Coord<f64>)> = self
                .vertices
                .locate_in_envelope(&envelope)
                .filter(|v| v.data != a && v.data != b)
                .filter_map(|v| {
                    let q = *v.geom();
                    let (t, d2) = project(&line, q);
                    let end_reach = dist2(q, pa).min(dist2(q, pb));
                    (d2 <= tol2 && end_reach > tol2 && t > 0.0 && t < 1.0).then_some((t, v.data))
                })
                .collect();
            inside.sort_by(|x, y| x.0.total_cmp(&y.0));
            inside.dedup_by(|x, y| x.1 == y.1);
            for (_, c) in inside {
                if out.last() != Some(&c) {
                    stats.inserted += 1;
                    out.push(c);
                }
            }
        }
        if closed && let Some(&first) = out.first() {
            if out.len() > 1 && out.last() == Some(&first) {
                out.pop();
            }
            out.push(first);
        }
        LineString(out)
    }
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// Where `p` projects on a segment (0..1) and its squared distance to it.
fn project(line: &Line<[f64; 2]>, p: [f64; 2]) -> (f64, f64) {
    let (a, b) = (line.from, line.to);
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let q = [a[0] + t * d[0], a[1] + t * d[1]];
    (t, dist2(p, q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn metres_per_degree_match_geographiclib() {
        // GeographicLib 2.1 (Python), Geodesic.WGS84.Inverse over 1e-6° at 31.3°N: of
        // longitude 0.09520396844506 m, of latitude (northward) 0.11087463613768 m.
        let (kx, ky) = metres_per_degree(31.3);
        assert!((kx * 1e-6 - 0.095_203_968_445).abs() < 1e-9, "{kx}");
        assert!((ky * 1e-6 - 0.110_874_636_138).abs() < 2e-9, "{ky}");
    }

    #[test]
    fn vertices_within_reach_move_and_others_stay_bit_for_bit() {
        let town = polygon![(x: 120.3, y: 31.3), (x: 120.4, y: 31.3), (x: 120.4, y: 31.35), (x: 120.3, y: 31.35)];
        // The neighbour, 1e-7° (0.95 cm) east, with a T-junction vertex on its west edge.
        let next = polygon![(x: 120.4000001, y: 31.3), (x: 120.5, y: 31.3), (x: 120.5, y: 31.35), (x: 120.4000001, y: 31.35), (x: 120.4000001, y: 31.325)];
        let target = SnapTarget::new(&[&town], 1.0);
        let (snapped, stats) = target.snap(&[&next]);
        let ring = &snapped.0[0].exterior().0;
        assert_eq!(ring[0], Coord { x: 120.4, y: 31.3 });
        assert_eq!(ring[1], Coord { x: 120.5, y: 31.3 });
        assert_eq!(ring[3], Coord { x: 120.4, y: 31.35 });
        assert_eq!(ring[4].x, 120.4);
        assert!((ring[4].y - 31.325).abs() < 1e-12);
        assert_eq!(stats.moved, 3);
        assert!(stats.max_shift_m < 0.01);
        // Nothing within reach: nothing changes.
        let far = SnapTarget::new(&[&town], 0.005);
        let (same, stats) = far.snap(&[&next]);
        assert_eq!(same.0[0], next);
        assert!(!stats.changed());
    }

    #[test]
    fn reference_vertices_close_t_junctions() {
        let long = polygon![(x: 120.0, y: 31.0), (x: 120.2, y: 31.0), (x: 120.2, y: 31.1), (x: 120.0, y: 31.1)];
        // A town whose corner lies 0.3 m south of the long edge's middle.
        let town = polygon![(x: 120.1, y: 30.9999973), (x: 120.15, y: 31.0), (x: 120.15, y: 30.95), (x: 120.1, y: 30.95)];
        let target = SnapTarget::new(&[&town], 1.0);
        let (snapped, stats) = target.snap(&[&long]);
        assert!(stats.inserted >= 1);
        assert!(snapped.0[0].exterior().0.contains(&Coord {
            x: 120.1,
            y: 30.9999973
        }));
    }
}
