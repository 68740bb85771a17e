//! A shape's edges in runs of consecutive edges, each with its box: what lets the shared-boundary
//! test ([`super::relate`]) and the window clip ([`super::clip`]) pass over the parts of a large
//! zone far from a small unit, and locate points in it, without visiting every edge.

use geo::{Coord, Polygon, Rect};

use super::chains::Segment;
use super::validate::{Meet, Side, meet, winding};

/// A shape's edges in runs of [`RUN`] consecutive edges of a ring, each with its box: what
/// lets [`super::relate::parts_within`] pass over the parts of a large zone far from a small
/// unit, and locate points in it, without visiting every edge. Rings are numbered as [`rings`]
/// lists them.
pub(crate) struct EdgeRuns {
    pub(super) runs: Vec<Run>,
    /// For each ring: whether it is an outer ring (else a hole), and its polygon's index.
    pub(super) rings: Vec<(bool, u32)>,
    /// For each ring, the index of its first run; then the number of runs.
    ring_starts: Vec<u32>,
}

/// Edges per run: run `k` of a ring goes from its point `k * RUN` to its point
/// `(k + 1) * RUN` (or the ring's last point), so each run starts where the one before ends.
pub(super) const RUN: usize = 32;

pub(super) struct Run {
    pub(super) ring: u32,
    /// The run's first point and last point, as indices into its ring (the last edge ends at
    /// `end`).
    pub(super) start: u32,
    pub(super) end: u32,
    /// Whether this is its ring's first run.
    pub(super) first: bool,
    /// The run's box: its points' least and greatest coordinates.
    pub(super) min: Coord<f64>,
    pub(super) max: Coord<f64>,
}

impl Run {
    pub(super) fn meets(&self, r: &Rect<f64>) -> bool {
        self.max.x >= r.min().x
            && self.min.x <= r.max().x
            && self.max.y >= r.min().y
            && self.min.y <= r.max().y
    }
}

impl EdgeRuns {
    /// The runs of every ring of `shape`.
    pub(crate) fn new(shape: &[&Polygon<f64>]) -> EdgeRuns {
        let mut runs = Vec::new();
        let mut ring_info = Vec::new();
        let mut ring_starts = Vec::new();
        for (n, p) in shape.iter().enumerate() {
            for (k, ring) in std::iter::once(p.exterior())
                .chain(p.interiors())
                .enumerate()
            {
                let r = ring_info.len() as u32;
                ring_info.push((k == 0, n as u32));
                ring_starts.push(runs.len() as u32);
                let points = &ring.0;
                let mut start = 0;
                while start + 1 < points.len() {
                    let end = (start + RUN).min(points.len() - 1);
                    let (mut min, mut max) = (points[start], points[start]);
                    for c in &points[start + 1..=end] {
                        min = Coord {
                            x: min.x.min(c.x),
                            y: min.y.min(c.y),
                        };
                        max = Coord {
                            x: max.x.max(c.x),
                            y: max.y.max(c.y),
                        };
                    }
                    runs.push(Run {
                        ring: r,
                        start: start as u32,
                        end: end as u32,
                        first: start == 0,
                        min,
                        max,
                    });
                    start = end;
                }
            }
        }
        ring_starts.push(runs.len() as u32);
        EdgeRuns {
            runs,
            rings: ring_info,
            ring_starts,
        }
    }

    /// How many rings these are the runs of.
    pub(super) fn ring_count(&self) -> usize {
        self.rings.len()
    }

    /// The runs of ring `r` (numbered as [`rings`] lists them), in order along it; none for a
    /// ring it does not have.
    pub(super) fn of_ring(&self, r: usize) -> &[Run] {
        match (self.ring_starts.get(r), self.ring_starts.get(r + 1)) {
            (Some(&a), Some(&b)) => &self.runs[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Where `p` lies in the shape whose rings (as [`rings`] lists them) these are, with the
    /// points `inserted` into its edges: winding numbers summed over the runs that reach east
    /// of `p` at its latitude.
    pub(super) fn side(&self, p: Coord<f64>, rings: &[&[Coord<f64>]], inserted: &Inserted) -> Side {
        let mut windings = vec![0i32; self.rings.len()];
        let mut path = Vec::new();
        for run in &self.runs {
            let ring = rings[run.ring as usize];
            let points = &ring[run.start as usize..=run.end as usize];
            let w = if inserted.in_run(run) {
                path.clear();
                for i in run.start..run.end {
                    path.push(ring[i as usize]);
                    path.extend(inserted.on_edge(run.ring, i).iter().map(|n| n.at));
                }
                path.push(ring[run.end as usize]);
                winding(p, &path)
            } else if run.min.y > p.y || run.max.y < p.y || run.max.x < p.x {
                continue;
            } else {
                winding(p, points)
            };
            match w {
                Some(w) => windings[run.ring as usize] += w,
                None => return Side::OnBoundary,
            }
        }
        // Inside a polygon: inside its outer ring and in none of its holes.
        let mut polygons: Vec<(bool, bool)> = Vec::new();
        for (&(outer, n), &w) in self.rings.iter().zip(&windings) {
            let n = n as usize;
            if polygons.len() <= n {
                polygons.resize(n + 1, (false, false));
            }
            if outer {
                polygons[n].0 = w != 0;
            } else if w != 0 {
                polygons[n].1 = true;
            }
        }
        if polygons.iter().any(|&(shell, hole)| shell && !hole) {
            Side::Inside
        } else {
            Side::Outside
        }
    }
}

/// Every ring of a shape, outer rings and holes, as coordinates.
pub(super) fn rings<'a>(shape: &[&'a Polygon<f64>]) -> Vec<&'a [Coord<f64>]> {
    shape
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| r.0.as_slice())
        .collect()
}

/// Metres to a degree, at most (a degree of latitude is at most 111.7 km; of longitude, at most
/// 111.32 km): what turns lon/lat lengths into bounds in metres.
const M_PER_DEG: f64 = 111_700.0;

/// A point inserted into a ring's edge.
#[derive(Clone, Copy, Debug)]
pub(super) struct Insert {
    /// The ring (as [`rings`] lists them) and the edge, by the index of its first point.
    pub(super) ring: u32,
    pub(super) index: u32,
    /// How far along the edge it lies, 0..1 (its projection, for the order on the edge).
    pub(super) t: f64,
    pub(super) at: Coord<f64>,
}

impl Insert {
    /// The point `v` inserted into `edge` (a segment of a ring, see [`Segment`]; lon/lat
    /// degrees), if it lies between the edge's ends within `within_m` metres of it.
    pub(super) fn along(v: Coord<f64>, edge: &Segment, within_m: f64) -> Option<Insert> {
        let (a, b) = (edge.a, edge.b);
        if v == a || v == b {
            return None;
        }
        let (t, off) = project(a, b, v);
        let off_m = off * (b.x - a.x).hypot(b.y - a.y) * M_PER_DEG;
        (t > 0.0 && t < 1.0 && off_m <= within_m).then_some(Insert {
            ring: edge.ring,
            index: edge.index,
            t,
            at: v,
        })
    }
}

/// Points inserted into a shape's edges, in order along each edge: a shape that follows the
/// rounding of another's vertices, so that their boundaries share those vertices.
#[derive(Default)]
pub(super) struct Inserted(Vec<Insert>);

impl Inserted {
    /// The points, each once, in order by ring, edge and along the edge.
    pub(super) fn new(mut points: Vec<Insert>) -> Inserted {
        points.sort_by(|p, q| {
            (p.ring, p.index)
                .cmp(&(q.ring, q.index))
                .then(p.t.total_cmp(&q.t))
        });
        points.dedup_by(|p, q| (p.ring, p.index, p.at) == (q.ring, q.index, q.at));
        Inserted(points)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the shape whose rings (as [`rings`] lists them) and runs these are may take the
    /// points: it gains or loses at most `max_m2` square metres with them
    /// ([`sliver_bound_m2`]) and stays valid ([`Inserted::keep_valid`]). The paths that
    /// replace its edges are built once for both.
    pub(super) fn fit(&self, rings: &[&[Coord<f64>]], runs: &EdgeRuns, max_m2: f64) -> bool {
        let paths = self.paths(rings);
        sliver_bound_m2(&paths) <= max_m2 && self.keep_valid(&paths, rings, runs)
    }

    /// Every point inserted.
    pub(super) fn points(&self) -> impl Iterator<Item = Coord<f64>> + '_ {
        self.0.iter().map(|p| p.at)
    }

    /// The points inserted into edge `index` of ring `ring`, in order along it.
    pub(super) fn on_edge(&self, ring: u32, index: u32) -> &[Insert] {
        if self.0.is_empty() {
            return &[];
        }
        let from = self
            .0
            .partition_point(|p| (p.ring, p.index) < (ring, index));
        let to = self
            .0
            .partition_point(|p| (p.ring, p.index) <= (ring, index));
        &self.0[from..to]
    }

    /// Whether any point is inserted into the run's edges.
    pub(super) fn in_run(&self, run: &Run) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let from = self
            .0
            .partition_point(|p| (p.ring, p.index) < (run.ring, run.start));
        self.0
            .get(from)
            .is_some_and(|p| p.ring == run.ring && p.index < run.end)
    }

    /// The edges points are inserted into, each as the path that replaces it: its first point,
    /// the points inserted, its last point.
    fn paths(&self, rings: &[&[Coord<f64>]]) -> Vec<Path> {
        self.0
            .chunk_by(|p, q| (p.ring, p.index) == (q.ring, q.index))
            .map(|edge| {
                let (r, i) = (edge[0].ring, edge[0].index);
                let ring = rings[r as usize];
                let mut points = vec![ring[i as usize]];
                points.extend(edge.iter().map(|p| p.at));
                points.push(ring[i as usize + 1]);
                let mut t = vec![0.0];
                t.extend(edge.iter().map(|p| p.t));
                t.push(1.0);
                let mut path = Path {
                    ring: r,
                    index: i,
                    points,
                    t,
                    farthest: 0.0,
                };
                path.farthest = (path.points.iter())
                    .map(|p| path.project(*p).1)
                    .fold(0.0, f64::max);
                path
            })
            .collect()
    }

    /// Whether the shape whose rings (as [`rings`] lists them) and runs these are stays valid
    /// with the points inserted: the new edges meet each other and every other edge only at
    /// their shared ends and at the replaced edges' ends, and no other vertex lies between an
    /// edge and the path that replaces it, nor on the edge (exact orientations and winding
    /// numbers). Only edges whose projections on the replaced edge come near each other are
    /// tested, so that many points on one edge cost little more than one.
    fn keep_valid(&self, paths: &[Path], rings: &[&[Coord<f64>]], runs: &EdgeRuns) -> bool {
        // Two edges meet well: not at all, or at an end of both that is among `ends`.
        let fine = |s: &Segment, t: &Segment, ends: &[Coord<f64>]| match meet(s, t) {
            None => true,
            Some(Meet::Touch(at)) => {
                (at == s.a || at == s.b) && (at == t.a || at == t.b) && ends.contains(&at)
            }
            Some(_) => false,
        };
        for (n, path) in paths.iter().enumerate() {
            let (first, last) = (path.points[0], path.points[path.points.len() - 1]);
            // Neighbours in the path meet at their shared point; others, whose projections
            // are apart, nowhere.
            for k in 0..path.edges() {
                let s = path.edge(k);
                let mut l = k + 1;
                while l < path.edges() && path.t[l] <= path.t[k + 1] + SLACK {
                    let ends: &[Coord<f64>] = if l == k + 1 { &[s.b] } else { &[] };
                    if !fine(&s, &path.edge(l), ends) {
                        return false;
                    }
                    l += 1;
                }
            }
            // The other new paths, against each other once.
            for other in &paths[n + 1..] {
                if other.points.iter().any(|c| path.encloses(*c)) {
                    return false;
                }
                let ends = [
                    first,
                    last,
                    other.points[0],
                    other.points[other.points.len() - 1],
                ];
                for k in 0..other.edges() {
                    let t = other.edge(k);
                    if path.near(&t).any(|s| !fine(&s, &t, &ends)) {
                        return false;
                    }
                }
            }
            // Every edge not replaced, near the path.
            let reach = path.extent();
            for run in runs.runs.iter().filter(|run| run.meets(&reach)) {
                let ring = rings[run.ring as usize];
                for j in run.start..run.end {
                    if !self.on_edge(run.ring, j).is_empty() {
                        continue;
                    }
                    let t = Segment::new(ring[j as usize], ring[j as usize + 1], run.ring, j);
                    if t.max_x < reach.min().x
                        || t.min_x > reach.max().x
                        || t.max_y < reach.min().y
                        || t.min_y > reach.max().y
                    {
                        continue;
                    }
                    if path.encloses(t.a)
                        || path.encloses(t.b)
                        || path.near(&t).any(|s| !fine(&s, &t, &[first, last]))
                    {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// At most how much area (m²) a shape gains or loses with its edges replaced by `paths`: for
/// each edge, the triangles from its first point to each new edge, which cover the region
/// between the edge and the path that replaces it (for one point, exactly that region).
fn sliver_bound_m2(paths: &[Path]) -> f64 {
    paths
        .iter()
        .map(|path| {
            let p = path.points[0];
            let twice: f64 = (path.points.windows(2))
                .map(|w| ((w[0].x - p.x) * (w[1].y - p.y) - (w[0].y - p.y) * (w[1].x - p.x)).abs())
                .sum();
            0.5 * twice * M_PER_DEG * M_PER_DEG
        })
        .sum()
}

/// The projection of `c` on the segment from `a` to `b` (a share of its length, 0 at `a`) and
/// its distance from the segment's line (a share of its length too).
fn project(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> (f64, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (cx, cy) = (c.x - a.x, c.y - a.y);
    let length2 = dx * dx + dy * dy;
    (
        (cx * dx + cy * dy) / length2,
        (dx * cy - dy * cx).abs() / length2,
    )
}

/// How far past its range (a share of the replaced edge's length) a projection computed in
/// floating point may lie: far above its rounding (about 1e-16).
const SLACK: f64 = 1e-9;

/// The path that replaces an edge points are inserted into: its first point, the points, its
/// last point, and each one's projection on the edge (0 at its first point, 1 at its last,
/// ascending).
struct Path {
    ring: u32,
    index: u32,
    points: Vec<Coord<f64>>,
    t: Vec<f64>,
    /// The farthest point's distance from the edge's line (a share of its length).
    farthest: f64,
}

impl Path {
    fn edges(&self) -> usize {
        self.points.len() - 1
    }

    fn edge(&self, k: usize) -> Segment {
        Segment::new(self.points[k], self.points[k + 1], self.ring, self.index)
    }

    fn extent(&self) -> Rect<f64> {
        let (mut min, mut max) = (self.points[0], self.points[0]);
        for c in &self.points {
            (min.x, min.y) = (min.x.min(c.x), min.y.min(c.y));
            (max.x, max.y) = (max.x.max(c.x), max.y.max(c.y));
        }
        Rect::new(min, max)
    }

    /// [`project`] on the replaced edge.
    fn project(&self, c: Coord<f64>) -> (f64, f64) {
        project(self.points[0], self.points[self.points.len() - 1], c)
    }

    /// The path's edges whose projections on the replaced edge meet that of `t`.
    fn near<'p>(&'p self, t: &Segment) -> impl Iterator<Item = Segment> + 'p {
        let (ta, tb) = (self.project(t.a).0, self.project(t.b).0);
        let (lo, hi) = (ta.min(tb) - SLACK, ta.max(tb) + SLACK);
        // Edge k spans t[k]..t[k + 1].
        let from = self.t.partition_point(|&x| x < lo).saturating_sub(1);
        let to = self.t.partition_point(|&x| x <= hi).min(self.edges());
        (from..to).map(|k| self.edge(k))
    }

    /// Whether `c`, not an end of the replaced edge, lies between the edge and the path, or on
    /// either (exact winding numbers, for points near enough to tell).
    fn encloses(&self, c: Coord<f64>) -> bool {
        let (first, last) = (self.points[0], self.points[self.points.len() - 1]);
        if c == first || c == last {
            return false;
        }
        let (t, off) = self.project(c);
        if !(-SLACK..=1.0 + SLACK).contains(&t) || off > self.farthest * (1.0 + 1e-6) + SLACK * 1e-3
        {
            return false;
        }
        let mut around = self.points.clone();
        around.push(first);
        winding(c, &around) != Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_point_put_in_may_not_take_an_edge_across_another_ring() {
        let shell = polygon![
            (x: 120.0, y: 31.0), (x: 120.01, y: 31.0), (x: 120.01, y: 31.01), (x: 120.0, y: 31.01),
        ];
        // 1e-9° (0.1 mm) south of the shell's south edge, halfway along it.
        let v = Coord {
            x: 120.005,
            y: 30.999_999_999,
        };
        let put_in = |shape: &[&Polygon<f64>]| {
            let rings = rings(shape);
            let edge = Segment::new(rings[0][0], rings[0][1], 0, 0);
            let insert = Insert::along(v, &edge, 1.0).expect("within a metre of the edge");
            Inserted::new(vec![insert]).fit(&rings, &EdgeRuns::new(shape), f64::INFINITY)
        };
        assert!(put_in(&[&shell]));
        // A second part between the edge and the point: the edge through the point would
        // take the shell across it.
        let part = polygon![
            (x: 120.0049, y: 30.999_999_999_9), (x: 120.0051, y: 30.999_999_999_9),
            (x: 120.005, y: 30.999_999_999_5),
        ];
        assert!(!put_in(&[&shell, &part]));
        // Nor may a point go in that is farther than the tolerance, or past the edge's ends.
        let edge = Segment::new(shell.exterior().0[0], shell.exterior().0[1], 0, 0);
        let far = Coord {
            x: 120.005,
            y: 30.999_98,
        };
        assert!(Insert::along(far, &edge, 1.0).is_none());
        assert!(Insert::along(far, &edge, 3.0).is_some());
        let past = Coord {
            x: 120.011,
            y: 31.0,
        };
        assert!(Insert::along(past, &edge, 1.0).is_none());
    }

    #[test]
    fn the_sliver_bound_covers_the_region_between_edge_and_path() {
        let square = polygon![
            (x: 120.0, y: 31.0), (x: 120.01, y: 31.0), (x: 120.01, y: 31.01), (x: 120.0, y: 31.01),
        ];
        let rings = rings(&[&square]);
        let edge = Segment::new(rings[0][0], rings[0][1], 0, 0);
        let at = |x: f64, y: f64| Insert::along(Coord { x, y }, &edge, 1.0).expect("on the edge");
        let m2 = |deg2: f64| deg2 * M_PER_DEG * M_PER_DEG;
        // One point 1e-9° off the 0.01° edge: the triangle, 0.5e-11 square degrees.
        let one = Inserted::new(vec![at(120.006, 30.999_999_999)]);
        let bound = sliver_bound_m2(&one.paths(&rings));
        assert!((bound - m2(0.5e-11)).abs() < m2(0.5e-11) * 1e-5, "{bound}");
        // A zigzag, 5e-10° north at 0.003 and 1e-9° south at 0.006, crossing the edge at
        // 0.004: lobes of 1e-12 and 3e-12 square degrees; the fan from the edge's first point
        // (triangles of 0, 3e-12 and 5e-12) covers them.
        let zigzag = Inserted::new(vec![
            at(120.003, 31.000_000_000_5),
            at(120.006, 30.999_999_999),
        ]);
        let bound = sliver_bound_m2(&zigzag.paths(&rings));
        assert!(bound > m2(4e-12), "{bound}");
        assert!((bound - m2(8e-12)).abs() < m2(8e-12) * 1e-4, "{bound}");
    }
}
