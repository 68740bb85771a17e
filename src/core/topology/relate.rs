//! Whether each part of one shape lies wholly inside another shape or wholly outside it,
//! decided from the two boundaries alone, exactly, without a boolean overlay.
//!
//! A county on its city's edge shares part of its boundary with the city, vertex for vertex,
//! and the rest runs through the city's interior; a county of the next city shares the same
//! edges the other way round. Intersecting them is then only a matter of finding that out.
//! `parts_within` proves it or gives up, looking only where the two shapes' boxes meet:
//!
//! 1. the edges the two boundaries share (the same two vertices) are set aside;
//! 2. every other edge of the outer shape there is tested against the inner shape's edges
//!    near it (a sweep, exact orientation predicates): they may meet only at a vertex of
//!    both. Then the outer boundary, cut at the vertices it shares with the inner, falls into
//!    chains that each lie wholly inside the inner shape or wholly outside it;
//! 3. one vertex of each chain, not on the inner boundary, is located in the inner shape
//!    (exact winding number; a vertex on or past the inner shape's box is outside it). A chain
//!    with no such vertex, one edge between two inner vertices (a chord: where a town's edge has
//!    a vertex of its own just off its zone's edge, as where a cell was cut along a county
//!    boundary), lies as it leaves its first vertex: inside the inner ring's angle there or
//!    not (exact orientations). A chain inside means the outer boundary enters the inner
//!    shape: give up. So no part of the outer boundary lies in the inner shape's interior;
//! 4. each inner part's interior is then connected and never meets the outer boundary, so it
//!    lies wholly inside or wholly outside the outer shape: one of its vertices that is no
//!    vertex of the outer shape says which. A part with none (an island both shapes have, or
//!    a town that is its zone) is told by an edge both have: the part lies inside when, along
//!    that edge, its interior and the outer shape's lie on the same side (exact orientations
//!    of both rings).
//!
//! Whenever a step cannot decide (edges that cross, run along each other or touch away from
//! a shared vertex; a chord into the inner shape, such as one edge from corner to corner;
//! a part all of whose vertices are the outer's but no edge; rings touching at a vertex), it
//! answers `None` and the caller runs the overlay. Both shapes must be valid (as every loaded
//! layer is, after repair): each part's interior connected, rings not crossing.
//!
//! On the 370 Chinese cities over the 2,875 counties this decides every pair (296 of them,
//! counties with islands their city has too, only since shared edges tell such parts), and
//! `zonemap report`'s output is the overlay's byte for byte. Over the synthetic townships of
//! `scripts/make-townships.py` it decides 42,939 pairs of 58,695 (output again the overlay's):
//! most of the rest are cells along a county's outline, whose corners where they leave it lie
//! on the county's edges between its vertices, a hair to one side or the other, which only the
//! overlay settles.

use std::borrow::Cow;

use geo::{Coord, Polygon, Rect};
use rustc_hash::FxHashMap;

use super::chains::Segment;
use super::validate::{Meet, Side, meet, orient, point_in_ring, winding};
use super::west::west_order;

/// For each part of `inner` (in order), whether it lies inside `outer` (else wholly outside
/// it), or `None` when that cannot be proven without an overlay. `inner_box` and `outer_box`
/// are the shapes' extents; only what lies where they meet is looked at, but for the
/// point-in-polygon tests.
pub(crate) fn parts_within(
    inner: &[&Polygon<f64>],
    inner_box: &Rect<f64>,
    outer: &[&Polygon<f64>],
    outer_box: &Rect<f64>,
    outer_edges: Option<&EdgeRuns>,
) -> Option<Vec<bool>> {
    let made;
    let outer_edges = match outer_edges {
        Some(e) => e,
        None => {
            made = EdgeRuns::new(outer);
            &made
        }
    };
    let window = Rect::new(
        Coord {
            x: inner_box.min().x.max(outer_box.min().x),
            y: inner_box.min().y.max(outer_box.min().y),
        },
        Coord {
            x: inner_box.max().x.min(outer_box.max().x),
            y: inner_box.max().y.min(outer_box.max().y),
        },
    );
    let in_window = |c: Coord<f64>| {
        c.x >= window.min().x
            && c.x <= window.max().x
            && c.y >= window.min().y
            && c.y <= window.max().y
    };
    // Whether a segment's box meets the window: an outer edge that does not lies outside
    // the inner shape's box.
    let meets_window = |a: Coord<f64>, b: Coord<f64>| {
        a.x.max(b.x) >= window.min().x
            && a.x.min(b.x) <= window.max().x
            && a.y.max(b.y) >= window.min().y
            && a.y.min(b.y) <= window.max().y
    };
    // A vertex on the inner shape's box or outside it is outside the inner shape (once step 2
    // has shown it is not on its boundary).
    let off_inner_box = |c: Coord<f64>| {
        c.x <= inner_box.min().x
            || c.x >= inner_box.max().x
            || c.y <= inner_box.min().y
            || c.y >= inner_box.max().y
    };
    let inner_rings = open_rings(inner);
    let mut vertices: FxHashMap<[u64; 2], InnerVertex> = FxHashMap::with_capacity_and_hasher(
        inner_rings.iter().map(|(r, _)| r.len()).sum(),
        Default::default(),
    );
    for (r, (ring, _)) in inner_rings.iter().enumerate() {
        for (i, &c) in ring.iter().enumerate() {
            if !in_window(c) {
                continue;
            }
            vertices
                .entry(key(c))
                .and_modify(|v| v.several = true)
                .or_insert(InnerVertex {
                    ring: r as u32,
                    index: i as u32,
                    on_outer: false,
                    several: false,
                    shared_ring: NOT_SHARED,
                    shared_along: false,
                });
        }
    }
    // A vertex's neighbours along its ring.
    let neighbours = |v: &InnerVertex| {
        let ring = &inner_rings[v.ring as usize].0;
        let (i, last) = (v.index as usize, ring.len() - 1);
        (
            ring[if i == 0 { last } else { i - 1 }],
            ring[if i == last { 0 } else { i + 1 }],
        )
    };
    // Steps 1 and 3 in one pass over the outer edges near the inner shape: set aside the
    // shared edges, keep the others, and pick one vertex of each chain to locate later.
    let mut loose = Vec::new();
    let mut to_locate = Vec::new();
    let outer_rings = rings(outer);
    // Whether the current chain is known to be outside, or has its vertex to locate.
    let mut decided = false;
    for run in &outer_edges.runs {
        if run.first {
            decided = false;
        }
        if !run.meets(&window) {
            // Wholly outside the inner shape's box: the chain through it is outside.
            decided = true;
            continue;
        }
        let r = run.ring as usize;
        let ring = &outer_rings[r][run.start as usize..=run.end as usize];
        for (k, w) in ring.windows(2).enumerate() {
            let i = run.start as usize + k;
            let (a, b) = (w[0], w[1]);
            if a == b {
                continue;
            }
            if !meets_window(a, b) {
                decided = true;
                continue;
            }
            let (ka, kb) = (key(a), key(b));
            let mut shared = false;
            // For an edge from a vertex of the inner shape: that vertex's neighbours and the side
            // of its ring the interior lies on, to tell whether the edge starts into it.
            let mut corner = None;
            let a_own = match vertices.get_mut(&ka) {
                Some(v) if v.several => return None,
                Some(v) => {
                    v.on_outer = true;
                    let (prev, next) = neighbours(v);
                    let (along, against) = (key(next) == kb, key(prev) == kb);
                    shared = along || against;
                    if shared && v.shared_ring == NOT_SHARED {
                        (v.shared_ring, v.shared_along) = (r as u32, along);
                    }
                    corner = Some((prev, next, v.ring));
                    false
                }
                None => true,
            };
            let b_own = match vertices.get_mut(&kb) {
                Some(v) => {
                    v.on_outer = true;
                    false
                }
                None => true,
            };
            if shared {
                decided = false;
                continue;
            }
            loose.push(Segment::new(a, b, r as u32, i as u32));
            if !a_own {
                if !b_own {
                    // A chord between two inner vertices, with no vertex of its own to locate:
                    // it lies inside the inner shape or outside it as it starts at `a` (step 2
                    // makes sure it meets the inner boundary nowhere else). Inside, the outer
                    // boundary enters the inner shape: give up, as step 3 would.
                    let outside = corner.is_some_and(|(prev, next, ring)| {
                        let (points, outer) = &inner_rings[ring as usize];
                        interior_left(points, *outer)
                            .is_some_and(|left| !enters(a, b, prev, next, left))
                    });
                    if !outside {
                        return None;
                    }
                    decided = false;
                    continue;
                }
                decided = false;
            }
            if !decided {
                let own = if a_own { a } else { b };
                if !off_inner_box(own) {
                    to_locate.push(own);
                }
                decided = true;
            }
            if !b_own {
                decided = false;
            }
        }
    }
    // Step 2: the loose edges against the inner edges near them.
    if !loose.is_empty() {
        let reach = loose
            .iter()
            .fold([f64::MAX, f64::MIN, f64::MAX, f64::MIN], |r, s| {
                [
                    r[0].min(s.min_x),
                    r[1].max(s.max_x),
                    r[2].min(s.min_y),
                    r[3].max(s.max_y),
                ]
            });
        // The inner edges that reach them.
        let near = |a: Coord<f64>, b: Coord<f64>| {
            a.x.max(b.x) >= reach[0]
                && a.x.min(b.x) <= reach[1]
                && a.y.max(b.y) >= reach[2]
                && a.y.min(b.y) <= reach[3]
        };
        let mut inner_segments = Vec::new();
        for (r, (ring, _)) in inner_rings.iter().enumerate() {
            // Each edge, the closing one (last point to first) too.
            let closing = ring.last().zip(ring.first()).map(|(&a, &b)| [a, b]);
            let edges = ring.windows(2).map(|w| [w[0], w[1]]).chain(closing);
            for (i, [c, next]) in edges.enumerate() {
                if near(c, next) && meets_window(c, next) {
                    inner_segments.push(Segment::new(c, next, r as u32, i as u32));
                }
            }
        }
        if boundaries_meet_off_vertices(&mut inner_segments, &mut loose) {
            return None;
        }
    }
    // Step 3: no chain inside.
    if to_locate.iter().any(|c| side(*c, inner) != Side::Outside) {
        return None;
    }
    // Step 4.
    inner
        .iter()
        .map(|p| {
            let part = || std::iter::once(p.exterior()).chain(p.interiors());
            // A vertex of the part that is not the outer shape's: outside the window, it is
            // outside the outer shape's box.
            let own = part()
                .flat_map(|r| r.0.iter())
                .find(|c| !in_window(**c) || vertices.get(&key(**c)).is_some_and(|v| !v.on_outer));
            let Some(own) = own else {
                // Every vertex is the outer shape's (an island both have): an edge both
                // have says, by which side of it each has its interior on.
                let v = part()
                    .flat_map(|r| r.0.iter())
                    .filter_map(|c| vertices.get(&key(*c)))
                    .find(|v| v.shared_ring != NOT_SHARED)?;
                let (points, is_outer) = &inner_rings[v.ring as usize];
                let inner_left = interior_left(points, *is_outer)?;
                let (outer_ring, outer_is_outer) = (
                    outer_rings[v.shared_ring as usize],
                    outer_edges.rings[v.shared_ring as usize].0,
                );
                let outer_open = match outer_ring.split_last() {
                    Some((last, open)) if Some(last) == open.first() => open,
                    _ => outer_ring,
                };
                let outer_left = interior_left(outer_open, outer_is_outer)?;
                // Walked the same way, the interiors lie on one side when both lie left or
                // both right; walked against each other, when one lies left and one right.
                return Some((inner_left == outer_left) == v.shared_along);
            };
            if !in_window(*own) {
                return Some(false);
            }
            match outer_edges.side(*own, &outer_rings) {
                Side::Inside => Some(true),
                Side::Outside => Some(false),
                Side::OnBoundary => None,
            }
        })
        .collect()
}

/// A shape's edges in runs of [`RUN`] consecutive edges of a ring, each with its box: what
/// lets [`parts_within`] pass over the parts of a large zone far from a small unit, and
/// locate points in it, without visiting every edge. Rings are numbered as [`rings`] lists
/// them.
pub(crate) struct EdgeRuns {
    runs: Vec<Run>,
    /// For each ring: whether it is an outer ring (else a hole), and its polygon's index.
    rings: Vec<(bool, u32)>,
    /// For each ring, the index of its first run; then the number of runs.
    ring_starts: Vec<u32>,
}

/// Edges per run: run `k` of a ring goes from its point `k * RUN` to its point
/// `(k + 1) * RUN` (or the ring's last point), so each run starts where the one before ends.
pub(super) const RUN: usize = 32;

pub(super) struct Run {
    ring: u32,
    /// The run's first point and last point, as indices into its ring (the last edge ends at
    /// `end`).
    pub(super) start: u32,
    pub(super) end: u32,
    /// Whether this is its ring's first run.
    first: bool,
    /// The run's box: its points' least and greatest coordinates.
    pub(super) min: Coord<f64>,
    pub(super) max: Coord<f64>,
}

impl Run {
    fn meets(&self, r: &Rect<f64>) -> bool {
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

    /// Where `p` lies in the shape whose rings (as [`rings`] lists them) these are: winding
    /// numbers summed over the runs that reach east of `p` at its latitude.
    fn side(&self, p: Coord<f64>, rings: &[&[Coord<f64>]]) -> Side {
        let mut windings = vec![0i32; self.rings.len()];
        for run in &self.runs {
            if run.min.y > p.y || run.max.y < p.y || run.max.x < p.x {
                continue;
            }
            let path = &rings[run.ring as usize][run.start as usize..=run.end as usize];
            match winding(p, path) {
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

/// A vertex of the inner shape: its place (ring, as [`open_rings`] lists them, and index in
/// it), whether the outer shape has it too, and whether it comes more than once (rings
/// touching there). Small, as one is hashed for every inner vertex near the outer shape.
struct InnerVertex {
    ring: u32,
    index: u32,
    on_outer: bool,
    several: bool,
    /// An edge from this vertex that the outer shape has too, as the outer shape walks it: the
    /// outer ring's index (as [`rings`] lists them), or [`NOT_SHARED`]; and whether it runs
    /// along the inner ring (to the vertex's next) or against it (to its previous).
    shared_ring: u32,
    shared_along: bool,
}

/// [`InnerVertex::shared_ring`] of a vertex from which the outer shape has none of its edges.
const NOT_SHARED: u32 = u32::MAX;

/// A vertex's coordinates as bits, for hashing: equal keys are the very same point.
fn key(c: Coord<f64>) -> [u64; 2] {
    [c.x.to_bits(), c.y.to_bits()]
}

/// Every ring of a shape without its closing point or repeated points, and whether it is an
/// outer ring (else a hole). Borrowed where the ring has no repeated points, as nearly every
/// ring of a loaded layer has not.
fn open_rings<'a>(shape: &[&'a Polygon<f64>]) -> Vec<(Cow<'a, [Coord<f64>]>, bool)> {
    shape
        .iter()
        .flat_map(|p| {
            std::iter::once((p.exterior(), true)).chain(p.interiors().iter().map(|h| (h, false)))
        })
        .map(|(r, outer)| {
            let mut points = r.0.as_slice();
            if points.len() > 1 && points.first() == points.last() {
                points = &points[..points.len() - 1];
            }
            if points.first() != points.last() && points.windows(2).all(|w| w[0] != w[1]) {
                return (Cow::Borrowed(points), outer);
            }
            let mut open: Vec<Coord<f64>> = Vec::with_capacity(r.0.len());
            for &c in &r.0 {
                if open.last() != Some(&c) {
                    open.push(c);
                }
            }
            if open.len() > 1 && open.first() == open.last() {
                open.pop();
            }
            (Cow::Owned(open), outer)
        })
        .filter(|(r, _)| r.len() >= 3)
        .collect()
}

/// Whether the shape's interior lies left of an open ring, walked in its order: for an outer
/// ring, whether it runs counter-clockwise; for a hole, clockwise. The way round is the turn at
/// the ring's least vertex (least x, then least y), which for a simple ring is convex: an exact
/// orientation. `None` when that turn is straight (a ring with no area there).
fn interior_left(ring: &[Coord<f64>], outer: bool) -> Option<bool> {
    let n = ring.len();
    let (k, &v) = ring
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)))?;
    let turn = orient(ring[(k + n - 1) % n], v, ring[(k + 1) % n]);
    (turn != 0.0).then_some((turn > 0.0) == outer)
}

/// Whether the segment from `a`, a vertex of the inner shape, toward `b` starts into the inner
/// shape's interior, by exact orientation predicates: whether its direction lies strictly
/// inside the interior's angle at `a`, between the ring's edge out of `a` (to `next`) and the
/// edge in (from `prev`), with the interior on the left of the ring (`interior_left`) or on its
/// right. A segment along either edge is not inside (such edges run along each other, which
/// step 2 finds).
fn enters(
    a: Coord<f64>,
    b: Coord<f64>,
    prev: Coord<f64>,
    next: Coord<f64>,
    interior_left: bool,
) -> bool {
    // Walked the other way, a ring has its interior on the left.
    let (prev, next) = if interior_left {
        (prev, next)
    } else {
        (next, prev)
    };
    // Turned counter-clockwise from the edge out (less than half a turn), and clockwise from
    // the edge in, seen from `a`.
    let after_out = orient(a, next, b) > 0.0;
    let before_in = orient(a, b, prev) > 0.0;
    let corner = orient(a, next, prev);
    // The sign of each coordinate's difference from `a` (exact, as a comparison).
    let way = |p: Coord<f64>| (p.x.total_cmp(&a.x), p.y.total_cmp(&a.y));
    if corner > 0.0 {
        // A convex corner: the angle is under half a turn.
        after_out && before_in
    } else if corner < 0.0 {
        // A reflex corner: over half a turn.
        after_out || before_in
    } else if way(prev) != way(next) {
        // A straight one: the half-plane left of the edge out.
        after_out
    } else {
        // The ring turns back on itself (no valid ring does): the angle is none or all of a
        // turn, which the edges do not tell apart. Taken as inside, so that the caller gives up.
        true
    }
}

/// Every ring of a shape, outer rings and holes, as coordinates.
fn rings<'a>(shape: &[&'a Polygon<f64>]) -> Vec<&'a [Coord<f64>]> {
    shape
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| r.0.as_slice())
        .collect()
}

/// Where `p` lies in a shape (a set of polygons with holes).
fn side(p: Coord<f64>, shape: &[&Polygon<f64>]) -> Side {
    for polygon in shape {
        match point_in_ring(p, polygon.exterior()) {
            Side::OnBoundary => return Side::OnBoundary,
            Side::Outside => continue,
            Side::Inside => {}
        }
        let mut in_hole = false;
        for hole in polygon.interiors() {
            match point_in_ring(p, hole) {
                Side::OnBoundary => return Side::OnBoundary,
                Side::Inside => in_hole = true,
                Side::Outside => {}
            }
        }
        if !in_hole {
            return Side::Inside;
        }
    }
    Side::Outside
}

/// Sorts segments by their west ends ([`west_order`], then the segments gathered in that
/// order).
fn sort_by_west(segments: &mut [Segment]) {
    let sorted: Vec<Segment> = west_order(segments.iter().map(|s| s.min_x))
        .iter()
        .map(|&(_, i)| segments[i as usize])
        .collect();
    segments.copy_from_slice(&sorted);
}

/// Whether any edge of `a` meets any edge of `b` other than at a vertex of both: a sweep
/// over the edges' west ends, each tested against the other set's edges that reach it.
fn boundaries_meet_off_vertices(a: &mut [Segment], b: &mut [Segment]) -> bool {
    sort_by_west(a);
    sort_by_west(b);
    let (mut active_a, mut active_b): (Vec<Segment>, Vec<Segment>) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].min_x <= b[j].min_x);
        let (s, own, other) = if take_a {
            i += 1;
            (a[i - 1], &mut active_a, &mut active_b)
        } else {
            j += 1;
            (b[j - 1], &mut active_b, &mut active_a)
        };
        other.retain(|t| t.max_x >= s.min_x);
        for t in other.iter() {
            if t.max_y < s.min_y || t.min_y > s.max_y {
                continue;
            }
            let at_shared_vertex =
                |at: Coord<f64>| (at == s.a || at == s.b) && (at == t.a || at == t.b);
            match meet(&s, t) {
                None => {}
                Some(Meet::Touch(at)) if at_shared_vertex(at) => {}
                Some(_) => return true,
            }
        }
        own.push(s);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{BoundingRect, LineString, MultiPolygon, polygon};

    /// The town of most cases: the unit square.
    fn unit_square() -> Polygon<f64> {
        polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]
    }

    fn within(inner: &Polygon<f64>, outer: &Polygon<f64>) -> Option<Vec<bool>> {
        let (a, b) = (
            inner.bounding_rect().expect("a polygon with points"),
            outer.bounding_rect().expect("a polygon with points"),
        );
        parts_within(&[inner], &a, &[outer], &b, None)
    }

    #[test]
    fn a_town_on_its_zones_edge_is_within_it() {
        // The zone's west edge runs along the town's, vertex for vertex.
        let town = unit_square();
        let zone =
            polygon![(x: 0.0, y: 0.0), (x: 3.0, y: -1.0), (x: 3.0, y: 2.0), (x: 0.0, y: 1.0)];
        assert_eq!(within(&town, &zone), Some(vec![true]));
    }

    #[test]
    fn a_neighbour_across_a_shared_edge_is_apart() {
        let town = unit_square();
        let zone = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
        assert_eq!(within(&town, &zone), Some(vec![false]));
    }

    #[test]
    fn a_thin_zone_crossing_a_town_with_no_vertex_in_it_is_left_to_the_overlay() {
        let town = unit_square();
        let strip = polygon![(x: -1.0, y: 0.5), (x: 2.0, y: 0.5), (x: 2.0, y: 0.5001), (x: -1.0, y: 0.5001)];
        assert_eq!(within(&town, &strip), None);
    }

    #[test]
    fn a_zone_edge_from_corner_to_corner_of_a_town_is_left_to_the_overlay() {
        // The zone's boundary enters the town only through its vertices: a diagonal.
        let town = unit_square();
        let half = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        assert_eq!(within(&town, &half), None);
        // The same through a vertex of its own inside the town.
        let bent = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.6, y: 0.4)];
        assert_eq!(within(&town, &bent), None);
    }

    #[test]
    fn a_hole_in_the_zone_inside_the_town_is_left_to_the_overlay() {
        let town = unit_square();
        let zone = polygon!(
            exterior: [(x: -1.0, y: -1.0), (x: 2.0, y: -1.0), (x: 2.0, y: 2.0), (x: -1.0, y: 2.0)],
            interiors: [[(x: 0.4, y: 0.4), (x: 0.4, y: 0.6), (x: 0.6, y: 0.6), (x: 0.6, y: 0.4)]],
        );
        assert_eq!(within(&town, &zone), None);
    }

    #[test]
    fn a_zone_touching_a_town_at_one_corner_is_apart() {
        let town = unit_square();
        let zone = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)];
        assert_eq!(within(&town, &zone), Some(vec![false]));
    }

    #[test]
    fn a_zone_vertex_on_a_town_edge_is_left_to_the_overlay() {
        let town = unit_square();
        let zone = polygon![(x: 1.0, y: 0.5), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0)];
        assert_eq!(within(&town, &zone), None);
    }

    #[test]
    fn a_zone_edge_across_a_towns_notch_holds_it_and_leaves_the_notch_apart() {
        // An L-shaped town; the zone's boundary cuts across its notch from (2, 1) to (1, 2), an
        // edge between two of the town's vertices with none of its own, outside the town.
        let town = polygon![
            (x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0),
            (x: 1.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 2.0),
        ];
        let zone = polygon![
            (x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 2.0),
        ];
        assert_eq!(within(&town, &zone), Some(vec![true]));
        // The zone that fills the notch has that edge the other way: the town is outside it.
        let notch = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 1.0, y: 2.0)];
        assert_eq!(within(&town, &notch), Some(vec![false]));
    }

    /// A town whose south edge has a vertex of its own 1e-12° off the zone's edge under it,
    /// as where a Voronoi cell was cut along a county boundary: the town's ring as given, and
    /// walked the other way (clockwise).
    fn town_on_a_t_junction(off: f64) -> [Polygon<f64>; 2] {
        let ring = vec![
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 0.5, y: off },
            Coord { x: 1.0, y: 0.0 },
            Coord { x: 1.0, y: 1.0 },
            Coord { x: 0.0, y: 1.0 },
        ];
        let mut reversed = ring.clone();
        reversed.reverse();
        [ring, reversed].map(|r| Polygon::new(geo::LineString::from(r), vec![]))
    }

    #[test]
    fn a_town_bent_into_its_zone_at_a_t_junction_is_within_it_either_way_round() {
        // The zone's edge (0, 0)–(1, 0) runs just outside the town's two edges through
        // (0.5, 1e-12): an edge between two of the town's vertices, outside the town.
        let zone = polygon![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 2.0, y: 1.0), (x: 0.5, y: 3.0), (x: -1.0, y: 1.0),
        ];
        for town in town_on_a_t_junction(1e-12) {
            assert_eq!(within(&town, &zone), Some(vec![true]), "{town:?}");
        }
        // Bent out of it, the town reaches past the zone by a sliver: for the overlay.
        for town in town_on_a_t_junction(-1e-12) {
            assert_eq!(within(&town, &zone), None, "{town:?}");
        }
        // On the zone's edge exactly, the town's edges run along it: for the overlay too.
        for town in town_on_a_t_junction(0.0) {
            assert_eq!(within(&town, &zone), None, "{town:?}");
        }
    }

    #[test]
    fn a_segment_enters_the_angle_of_a_corner_as_the_corner_turns() {
        let a = Coord { x: 0.0, y: 0.0 };
        let (east, north, west) = (
            Coord { x: 1.0, y: 0.0 },
            Coord { x: 0.0, y: 1.0 },
            Coord { x: -1.0, y: 0.0 },
        );
        let (north_east, south_west) = (Coord { x: 1.0, y: 1.0 }, Coord { x: -1.0, y: -1.0 });
        // In from the north, out to the east, interior on the left: the north-east quarter.
        assert!(enters(a, north_east, north, east, true));
        assert!(!enters(a, south_west, north, east, true));
        // Interior on the right: the other three quarters.
        assert!(!enters(a, north_east, north, east, false));
        assert!(enters(a, south_west, north, east, false));
        // Along either edge: not inside.
        assert!(!enters(a, east, north, east, true));
        assert!(!enters(a, north, north, east, true));
        // A reflex corner (in from the east, out to the north): three quarters inside.
        assert!(enters(a, south_west, east, north, true));
        assert!(!enters(a, north_east, east, north, true));
        // A straight one (in from the west, out to the east): the half-plane north of it.
        assert!(enters(a, north_east, west, east, true));
        assert!(!enters(a, south_west, west, east, true));
    }

    #[test]
    fn a_zone_hole_edge_across_a_towns_hole_holds_the_town() {
        // The zone's hole is the south-east half of the town's: its edge from (1, 1) to (3, 3)
        // joins two vertices of the town's hole across the hole, outside the town.
        let town = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 1.0, y: 3.0), (x: 3.0, y: 3.0), (x: 3.0, y: 1.0)]],
        );
        let zone = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 3.0, y: 3.0), (x: 3.0, y: 1.0)]],
        );
        assert_eq!(within(&town, &zone), Some(vec![true]));
    }

    #[test]
    fn a_ring_turning_back_on_itself_is_taken_as_entered() {
        // In from the north and out to the north again: no angle the edges can tell.
        let a = Coord { x: 0.0, y: 0.0 };
        let (north, far_north) = (Coord { x: 0.0, y: 1.0 }, Coord { x: 0.0, y: 2.0 });
        for b in [Coord { x: 1.0, y: -1.0 }, Coord { x: -1.0, y: 1.0 }] {
            assert!(enters(a, b, north, far_north, true));
            assert!(enters(a, b, far_north, north, false));
        }
    }

    #[test]
    fn the_interior_side_of_a_ring_is_told_by_its_least_vertex() {
        let ccw = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map(|(x, y)| Coord { x, y });
        let mut cw = ccw;
        cw.reverse();
        assert_eq!(interior_left(&ccw, true), Some(true));
        assert_eq!(interior_left(&cw, true), Some(false));
        // A hole walked clockwise has the polygon on its left.
        assert_eq!(interior_left(&cw, false), Some(true));
        assert_eq!(interior_left(&ccw, false), Some(false));
        // A sliver a hair wide, longer than wide by 1e15, clockwise (east along its north
        // side, back along its south side) and the other way round.
        let thin =
            [(0.0, 0.0), (1.0, 1e-15), (2.0, 0.0), (1.0, 1e-15 / 2.0)].map(|(x, y)| Coord { x, y });
        assert_eq!(interior_left(&thin, true), Some(false));
        let mut thin_ccw = thin;
        thin_ccw.reverse();
        assert_eq!(interior_left(&thin_ccw, true), Some(true));
        // No turn at the least vertex: no way round to tell.
        let flat = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)].map(|(x, y)| Coord { x, y });
        assert_eq!(interior_left(&flat, true), None);
    }

    /// `parts_within` of shapes of several parts.
    fn parts_within_shapes(inner: &[&Polygon<f64>], outer: &[&Polygon<f64>]) -> Option<Vec<bool>> {
        let extent = |shape: &[&Polygon<f64>]| {
            MultiPolygon(shape.iter().map(|p| (*p).clone()).collect())
                .bounding_rect()
                .expect("a shape with points")
        };
        parts_within(inner, &extent(inner), outer, &extent(outer), None)
    }

    /// An island with a vertex halfway along its north side.
    fn island() -> Polygon<f64> {
        polygon![(x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 1.0), (x: 2.5, y: 1.2), (x: 2.0, y: 1.0)]
    }

    #[test]
    fn an_island_both_shapes_have_is_within_by_its_shared_edges() {
        // Every vertex of the town is the zone's: no vertex of its own to locate.
        let (mainland, island) = (unit_square(), island());
        assert_eq!(
            parts_within_shapes(&[&island], &[&mainland, &island]),
            Some(vec![true])
        );
        // The zone walking its ring the other way round, and from another vertex.
        let mut turned = island.clone();
        turned.exterior_mut(|r| {
            r.0.reverse();
            r.0.pop();
            r.0.rotate_left(2);
            r.close();
        });
        assert_eq!(
            parts_within_shapes(&[&island], &[&mainland, &turned]),
            Some(vec![true])
        );
        // A town of both: the island and a part of its own off the zone.
        let far = polygon![(x: 5.0, y: 5.0), (x: 6.0, y: 5.0), (x: 6.0, y: 6.0)];
        assert_eq!(
            parts_within_shapes(&[&far, &island], &[&mainland, &island]),
            Some(vec![false, true])
        );
        // The same town as its zone.
        assert_eq!(
            parts_within_shapes(&[&mainland, &island], &[&mainland, &island]),
            Some(vec![true, true])
        );
    }

    #[test]
    fn a_town_filling_a_hole_of_its_zone_is_apart_by_its_shared_edges() {
        let island = island();
        let holed = Polygon::new(
            LineString::from(vec![(1.0, -1.0), (4.0, -1.0), (4.0, 2.0), (1.0, 2.0)]),
            vec![island.exterior().clone()],
        );
        assert_eq!(
            parts_within_shapes(&[&island], &[&holed]),
            Some(vec![false])
        );
        // The hole walked the other way: the zone's interior is still on the other side.
        let mut turned = holed.clone();
        turned.interiors_mut(|holes| holes[0].0.reverse());
        assert_eq!(
            parts_within_shapes(&[&island], &[&turned]),
            Some(vec![false])
        );
    }

    /// A ring around the grid cells `x0..x1` × `y0..y1` through every grid point on its
    /// way, counter-clockwise, so that blocks of cells side by side share vertices.
    fn block(x0: i32, y0: i32, x1: i32, y1: i32) -> LineString<f64> {
        let mut points = Vec::new();
        points.extend((x0..x1).map(|x| (x, y0)));
        points.extend((y0..y1).map(|y| (x1, y)));
        points.extend((x0 + 1..=x1).rev().map(|x| (x, y1)));
        points.extend((y0 + 1..=y1).rev().map(|y| (x0, y)));
        LineString::from(
            points
                .into_iter()
                .map(|(x, y)| (f64::from(x), f64::from(y)))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn blocks_of_grid_cells_are_placed_as_their_cells_say_or_left_to_the_overlay() {
        // Zones of one to three blocks of cells, some with a hole; towns of one or two blocks;
        // all drawn through every grid point on their edges, as neighbours are. What
        // `parts_within` decides must be what the cells say: a town part whose cells are all
        // the zone's is within it, one with none of them apart; a part with some is never
        // decided.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u32| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % u64::from(n)) as i32
        };
        type Cells = std::collections::HashSet<(i32, i32)>;
        let cells = |(x0, y0, x1, y1): (i32, i32, i32, i32)| -> Cells {
            (x0..x1)
                .flat_map(|x| (y0..y1).map(move |y| (x, y)))
                .collect()
        };
        // Blocks apart: no cell shared and no side touching (corners may).
        let apart = |a: &Cells, b: &Cells| {
            a.iter().all(|&(x, y)| {
                [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]
                    .iter()
                    .all(|(dx, dy)| !b.contains(&(x + dx, y + dy)))
            })
        };
        let (mut decided, mut no_own_vertex) = (0, 0);
        for _ in 0..4000 {
            let random_block = |next: &mut dyn FnMut(u32) -> i32, size: u32| {
                let (x0, y0) = (next(7) - 1, next(7) - 1);
                let (x1, y1) = (x0 + 1 + next(size), y0 + 1 + next(size));
                (x0, y0, x1, y1)
            };
            let mut zone_parts: Vec<(Polygon<f64>, Cells)> = Vec::new();
            // The zone's blocks and holes, for a town to take one of.
            let mut drawn = Vec::new();
            for _ in 0..1 + next(3) {
                let b = random_block(&mut next, 5);
                let mut c = cells(b);
                if !zone_parts.iter().all(|(_, other)| apart(&c, other)) {
                    continue;
                }
                drawn.push(b);
                let mut holes = Vec::new();
                if b.2 - b.0 >= 3 && b.3 - b.1 >= 3 && next(3) == 0 {
                    let h = (b.0 + 1, b.1 + 1, b.2 - 1, b.3 - 1);
                    drawn.push(h);
                    let mut ring = block(h.0, h.1, h.2, h.3);
                    ring.0.reverse();
                    holes.push(ring);
                    for cell in cells(h) {
                        c.remove(&cell);
                    }
                }
                zone_parts.push((Polygon::new(block(b.0, b.1, b.2, b.3), holes), c));
            }
            let mut town_parts: Vec<(Polygon<f64>, Cells)> = Vec::new();
            for k in 0..1 + next(2) {
                // A third of the towns have the outline of one of the zone's blocks or holes.
                let b = if k == 0 && next(3) == 0 {
                    drawn[next(drawn.len() as u32) as usize]
                } else {
                    random_block(&mut next, 3)
                };
                let c = cells(b);
                if town_parts.iter().all(|(_, other)| apart(&c, other)) {
                    town_parts.push((Polygon::new(block(b.0, b.1, b.2, b.3), vec![]), c));
                }
            }
            let zone_cells: Cells = zone_parts.iter().flat_map(|(_, c)| c.clone()).collect();
            let zone_vertices: std::collections::HashSet<[u64; 2]> = zone_parts
                .iter()
                .flat_map(|(p, _)| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter().map(|c| key(*c)))
                .collect();
            let zone: Vec<&Polygon<f64>> = zone_parts.iter().map(|(p, _)| p).collect();
            let town: Vec<&Polygon<f64>> = town_parts.iter().map(|(p, _)| p).collect();
            let Some(found) = parts_within_shapes(&town, &zone) else {
                continue;
            };
            decided += 1;
            for ((part, c), inside) in town_parts.iter().zip(found) {
                let held = c.iter().filter(|cell| zone_cells.contains(cell)).count();
                let expected = if held == c.len() {
                    true
                } else {
                    assert_eq!(
                        held, 0,
                        "a part partly in its zone decided: {town:?} in {zone:?}"
                    );
                    false
                };
                assert_eq!(inside, expected, "{town:?} in {zone:?}");
                // Decided with no vertex of its own to locate.
                no_own_vertex += usize::from(
                    part.exterior()
                        .0
                        .iter()
                        .all(|c| zone_vertices.contains(&key(*c))),
                );
            }
        }
        assert!(
            decided > 1000 && no_own_vertex > 200,
            "{decided} {no_own_vertex}"
        );
    }

    #[test]
    fn a_town_on_three_corners_of_its_zone_is_within_it_by_its_shared_edges() {
        // Two of its edges are the zone's; the third cuts the zone corner to corner.
        let half = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        assert_eq!(within(&half, &unit_square()), Some(vec![true]));
        // A town of the zone's corners with no edge of the zone's is left to the overlay.
        let zone = polygon![
            (x: 2.0, y: 0.0), (x: 1.0, y: 2.0), (x: -1.0, y: 2.0),
            (x: -2.0, y: 0.0), (x: -1.0, y: -2.0), (x: 1.0, y: -2.0),
        ];
        let chords = polygon![(x: 2.0, y: 0.0), (x: -1.0, y: 2.0), (x: -1.0, y: -2.0)];
        assert_eq!(within(&chords, &zone), None);
    }
}
