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
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (vx, vy) = (v.x - a.x, v.y - a.y);
        let length = dx.hypot(dy);
        let t = (vx * dx + vy * dy) / (length * length);
        let off = (dx * vy - dy * vx).abs() / length;
        (t > 0.0 && t < 1.0 && off * M_PER_DEG <= within_m).then_some(Insert {
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

    /// At most how much area (m²) the shape whose rings (as [`rings`] lists them) these are
    /// gains or loses with the points inserted: for each edge, the triangles from its first
    /// point to each new edge, which cover the region between the edge and the path that
    /// replaces it (for one point, exactly that region).
    pub(super) fn sliver_bound_m2(&self, rings: &[&[Coord<f64>]]) -> f64 {
        self.paths(rings)
            .map(|(_, _, path)| {
                let p = path[0];
                let twice: f64 = path
                    .windows(2)
                    .map(|w| {
                        ((w[0].x - p.x) * (w[1].y - p.y) - (w[0].y - p.y) * (w[1].x - p.x)).abs()
                    })
                    .sum();
                0.5 * twice * M_PER_DEG * M_PER_DEG
            })
            .sum()
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
    fn paths<'a>(
        &'a self,
        rings: &'a [&[Coord<f64>]],
    ) -> impl Iterator<Item = (u32, u32, Vec<Coord<f64>>)> + 'a {
        self.0
            .chunk_by(|p, q| (p.ring, p.index) == (q.ring, q.index))
            .map(|edge| {
                let (r, i) = (edge[0].ring, edge[0].index);
                let ring = rings[r as usize];
                let mut path = vec![ring[i as usize]];
                path.extend(edge.iter().map(|p| p.at));
                path.push(ring[i as usize + 1]);
                (r, i, path)
            })
    }

    /// Whether the shape whose rings (as [`rings`] lists them) and runs these are stays valid
    /// with the points inserted: the new edges meet each other and every other edge only at
    /// their shared ends and at the replaced edges' ends, and no other vertex lies between an
    /// edge and the path that replaces it, nor on the edge (exact orientations and winding
    /// numbers).
    pub(super) fn keep_valid(&self, rings: &[&[Coord<f64>]], runs: &EdgeRuns) -> bool {
        let paths: Vec<(u32, u32, Vec<Coord<f64>>)> = self.paths(rings).collect();
        let edges = |path: &[Coord<f64>], r: u32, i: u32| -> Vec<Segment> {
            path.windows(2)
                .map(|w| Segment::new(w[0], w[1], r, i))
                .collect()
        };
        // Two edges meet well: not at all, or at an end of both that is an original vertex
        // (`ends`) or, for neighbours in one path, their shared point.
        let fine = |s: &Segment, t: &Segment, ends: &[Coord<f64>]| match meet(s, t) {
            None => true,
            Some(Meet::Touch(at)) => {
                (at == s.a || at == s.b) && (at == t.a || at == t.b) && ends.contains(&at)
            }
            Some(_) => false,
        };
        for (n, (r, i, path)) in paths.iter().enumerate() {
            let new = edges(path, *r, *i);
            let (first, last) = (path[0], path[path.len() - 1]);
            // The loop from the edge's first point along the path and back along the edge:
            // what lies in it (or on it) would change sides.
            let mut around = path.clone();
            around.push(first);
            let between = |c: Coord<f64>| c != first && c != last && winding(c, &around) != Some(0);
            for (k, s) in new.iter().enumerate() {
                for (l, t) in new.iter().enumerate().skip(k + 1) {
                    let ends: &[Coord<f64>] = if l == k + 1 { &[s.b] } else { &[] };
                    if !fine(s, t, ends) {
                        return false;
                    }
                }
            }
            let (mut min, mut max) = (first, first);
            for c in path {
                (min.x, min.y) = (min.x.min(c.x), min.y.min(c.y));
                (max.x, max.y) = (max.x.max(c.x), max.y.max(c.y));
            }
            let reach = Rect::new(min, max);
            // The other new paths, against each other once.
            for (r2, i2, other) in &paths[n + 1..] {
                if other.iter().any(|c| between(*c)) {
                    return false;
                }
                for t in edges(other, *r2, *i2) {
                    let ends = [first, last, other[0], other[other.len() - 1]];
                    if new.iter().any(|s| !fine(s, &t, &ends)) {
                        return false;
                    }
                }
            }
            // Every edge not replaced, near the path.
            for run in runs.runs.iter().filter(|run| run.meets(&reach)) {
                let ring = rings[run.ring as usize];
                for j in run.start..run.end {
                    if !self.on_edge(run.ring, j).is_empty() {
                        continue;
                    }
                    let t = Segment::new(ring[j as usize], ring[j as usize + 1], run.ring, j);
                    if t.max_x < min.x || t.min_x > max.x || t.max_y < min.y || t.min_y > max.y {
                        continue;
                    }
                    if between(t.a)
                        || between(t.b)
                        || new.iter().any(|s| !fine(s, &t, &[first, last]))
                    {
                        return false;
                    }
                }
            }
        }
        true
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
            Inserted::new(vec![insert]).keep_valid(&rings, &EdgeRuns::new(shape))
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
        let bound = one.sliver_bound_m2(&rings);
        assert!((bound - m2(0.5e-11)).abs() < m2(0.5e-11) * 1e-5, "{bound}");
        // A zigzag, 5e-10° north at 0.003 and 1e-9° south at 0.006, crossing the edge at
        // 0.004: lobes of 1e-12 and 3e-12 square degrees; the fan from the edge's first point
        // (triangles of 0, 3e-12 and 5e-12) covers them.
        let zigzag = Inserted::new(vec![
            at(120.003, 31.000_000_000_5),
            at(120.006, 30.999_999_999),
        ]);
        let bound = zigzag.sliver_bound_m2(&rings);
        assert!(bound > m2(4e-12), "{bound}");
        assert!((bound - m2(8e-12)).abs() < m2(8e-12) * 1e-4, "{bound}");
    }
}
