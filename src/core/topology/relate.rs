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
//! Where the boundaries meet off their shared vertices only because an inner vertex lies on
//! an outer edge but for a hair (a T-junction: a town cut along its zone's outline, its corner
//! computed a rounding to one side; or an Amap outline moved from GCJ-02 vertex by vertex,
//! which bends a straight edge through such a corner by up to centimetres), the vertex is put
//! into the outer edge, as snapping would, and the steps run again on that outer shape: when
//! every such vertex is within the snapping tolerance, the points put in keep the outer shape
//! valid (no ring crossed, none enclosed), and together move its boundary by less than 1 m²
//! (`NOTED_M2`, bounded by the triangles between each edge and its new path). The figures
//! then are the snapped ones, and, as the overlay's snapping does below that area, no note is
//! made.
//!
//! Whenever a step cannot decide (edges that cross, run along each other or touch away from
//! a shared vertex, beyond the above; a chord into the inner shape, such as one edge from
//! corner to corner; a part all of whose vertices are the outer's but no edge; rings touching
//! at a vertex), it answers `None` and the caller runs the overlay. Both shapes must be valid
//! (as every loaded layer is, after repair): each part's interior connected, rings not
//! crossing.
//!
//! On the 370 Chinese cities over the 2,875 counties this decides every pair (296 of them,
//! counties with islands their city has too, only since shared edges tell such parts), and
//! `zonemap report`'s output is the overlay's byte for byte. Over the synthetic townships of
//! `scripts/make-townships.py` it decides 51,846 pairs of 58,624, 8,937 of them by points put
//! in: most are cells along a county's outline, whose corners where they leave it lie on the
//! county's edges between its vertices, a hair to one side or the other once moved from
//! GCJ-02. The 6,778 left to the overlay are mostly such corners on long edges, bent off them
//! by more than 1 m² (the overlay snaps them, and says so).

use std::borrow::Cow;

use geo::{Coord, Polygon, Rect};
use rustc_hash::FxHashMap;

use super::chains::Segment;
use super::runs::{EdgeRuns, Insert, Inserted, rings};
use super::validate::{Meet, Side, meet, orient, point_in_ring};
use super::west::west_order;

/// Snapping that changes an intersection's area by less than this (m²) changes no figure a
/// report prints (areas go to 1e-6 km²): the area as drawn stands, and no note is made.
pub(crate) const UNCHANGED_M2: f64 = 1e-3;

/// Snapping that changes an intersection's area by less than this (m²) is not worth a note:
/// [`crate::core::analysis::MIN_OVERLAP_M2`], the noise of shared boundaries.
pub(crate) const NOTED_M2: f64 = 1.0;

/// For each part of `inner` (in order), whether it lies inside `outer` (else wholly outside
/// it), or `None` when that cannot be proven without an overlay. `inner_box` and `outer_box`
/// are the shapes' extents; only what lies where they meet is looked at, but for the
/// point-in-polygon tests.
///
/// An inner vertex that lies on an outer edge but for a hair (within `snap_m` metres, the
/// snapping tolerance; a micrometre when that is 0) is taken to lie on it, as snapping would
/// put it, when all such vertices together move the outer boundary by less than [`NOTED_M2`]
/// ([`UNCHANGED_M2`] when `snap_m` is 0): where a town was cut along its zone's outline, or
/// where GCJ-02's shift, undone at each vertex, bends a straight edge by centimetres.
pub(crate) fn parts_within(
    inner: &[&Polygon<f64>],
    inner_box: &Rect<f64>,
    outer: &[&Polygon<f64>],
    outer_box: &Rect<f64>,
    outer_edges: Option<&EdgeRuns>,
    snap_m: f64,
) -> Option<Vec<bool>> {
    let made;
    let outer_edges = match outer_edges {
        Some(e) => e,
        None => {
            made = EdgeRuns::new(outer);
            &made
        }
    };
    let outer_rings = rings(outer);
    let shapes = (inner, inner_box, &outer_rings[..], outer_edges);
    let (within_m, bound_m2) = if snap_m > 0.0 {
        (snap_m, NOTED_M2)
    } else {
        (1e-6, UNCHANGED_M2)
    };
    match pass(shapes, outer_box, &Inserted::default(), within_m) {
        Pass::Decided(inside) => Some(inside),
        Pass::Undecided => None,
        Pass::Insert(points) => {
            // Inner vertices on outer edges but for rounding: the same question of the outer
            // shape with them inserted, if it stays valid.
            let inserted = Inserted::new(points);
            if !inserted.fit(&outer_rings, outer_edges, bound_m2) {
                return None;
            }
            let (mut min, mut max) = (outer_box.min(), outer_box.max());
            for c in inserted.points() {
                (min.x, min.y) = (min.x.min(c.x), min.y.min(c.y));
                (max.x, max.y) = (max.x.max(c.x), max.y.max(c.y));
            }
            match pass(shapes, &Rect::new(min, max), &inserted, within_m) {
                Pass::Decided(inside) => Some(inside),
                _ => None,
            }
        }
    }
}

/// What one pass of [`parts_within`] found.
enum Pass {
    /// For each inner part, whether it lies inside.
    Decided(Vec<bool>),
    /// Not to be found without an overlay.
    Undecided,
    /// The boundaries meet off their shared vertices only where an inner vertex lies on an
    /// outer edge but for the rounding of its coordinates ([`Insert::along`]): these.
    Insert(Vec<Insert>),
}

/// The inner shape, its box, the outer shape's rings (as [`rings`] lists them) and their runs.
type Shapes<'s, 'a> = (
    &'s [&'a Polygon<f64>],
    &'s Rect<f64>,
    &'s [&'a [Coord<f64>]],
    &'s EdgeRuns,
);

/// [`parts_within`] of the outer shape with the points `inserted` into its edges (and
/// `outer_box` its extent with them); with none, the inner vertices within `within_m` metres
/// of an outer edge that would explain where the boundaries meet.
fn pass(
    (inner, inner_box, outer_rings, outer_edges): Shapes,
    outer_box: &Rect<f64>,
    inserted: &Inserted,
    within_m: f64,
) -> Pass {
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
    let mut split = Vec::new();
    // Whether the current chain is known to be outside, or has its vertex to locate.
    let mut decided = false;
    for run in &outer_edges.runs {
        if run.first {
            decided = false;
        }
        if !run.meets(&window) && !inserted.in_run(run) {
            // Wholly outside the inner shape's box: the chain through it is outside.
            decided = true;
            continue;
        }
        let r = run.ring as usize;
        let ring = &outer_rings[r][run.start as usize..=run.end as usize];
        for (k, w) in ring.windows(2).enumerate() {
            let i = run.start as usize + k;
            let points = inserted.on_edge(r as u32, i as u32);
            let edge: &[Coord<f64>] = if points.is_empty() {
                w
            } else {
                split.clear();
                split.push(w[0]);
                split.extend(points.iter().map(|p| p.at));
                split.push(w[1]);
                &split
            };
            for w in edge.windows(2) {
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
                // For an edge from a vertex of the inner shape: that vertex's neighbours and the
                // side of its ring the interior lies on, to tell whether the edge starts into it.
                let mut corner = None;
                let a_own = match vertices.get_mut(&ka) {
                    Some(v) if v.several => return Pass::Undecided,
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
                            return Pass::Undecided;
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
        // In a first pass, meetings where an inner vertex lies on the outer edge but for
        // rounding are noted, to insert it there for a second.
        let mut points = Vec::new();
        let explained = |i: &Segment, o: &Segment| {
            let found = [i.a, i.b].map(|v| Insert::along(v, o, within_m));
            points.extend(found.iter().flatten());
            inserted.is_empty() && found.iter().any(Option::is_some)
        };
        if boundaries_meet_off_vertices(&mut inner_segments, &mut loose, explained) {
            return Pass::Undecided;
        }
        if !points.is_empty() {
            return Pass::Insert(points);
        }
    }
    // Step 3: no chain inside.
    if to_locate.iter().any(|c| side(*c, inner) != Side::Outside) {
        return Pass::Undecided;
    }
    // Step 4.
    let decided = inner
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
            match outer_edges.side(*own, outer_rings, inserted) {
                Side::Inside => Some(true),
                Side::Outside => Some(false),
                Side::OnBoundary => None,
            }
        })
        .collect();
    match decided {
        Some(inside) => Pass::Decided(inside),
        None => Pass::Undecided,
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

/// Whether any edge of `a` meets any edge of `b` other than at a vertex of both, but for
/// meetings `explained` (of an edge of `a` and one of `b`, in that order) says are: a sweep over
/// the edges' west ends, each tested against the other set's edges that reach it.
fn boundaries_meet_off_vertices(
    a: &mut [Segment],
    b: &mut [Segment],
    mut explained: impl FnMut(&Segment, &Segment) -> bool,
) -> bool {
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
            let (from_a, from_b) = if take_a { (&s, t) } else { (t, &s) };
            match meet(&s, t) {
                None => {}
                Some(Meet::Touch(at)) if at_shared_vertex(at) => {}
                Some(_) if explained(from_a, from_b) => {}
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
        parts_within(&[inner], &a, &[outer], &b, None, 0.0)
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
        // Bent out of it by 1e-12° (within a micrometre), the town reaches past the zone's
        // 1°-long edge by a sliver of up to 0.012 m², more than changes no figure: for the
        // overlay.
        for town in town_on_a_t_junction(-1e-12) {
            assert_eq!(within(&town, &zone), None, "{town:?}");
        }
        // On the zone's edge exactly, the town's edges run along it: the town's vertex put
        // into the zone's edge makes them shared.
        for town in town_on_a_t_junction(0.0) {
            assert_eq!(within(&town, &zone), Some(vec![true]), "{town:?}");
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
        parts_within_at(inner, outer, 0.0)
    }

    /// Numbers 0..n, from a seeded linear congruential generator (Knuth's MMIX constants).
    fn random(mut seed: u64) -> impl FnMut(u32) -> i32 {
        move |n| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % u64::from(n)) as i32
        }
    }

    /// [`parts_within`] with the snapping tolerance `snap_m`.
    fn parts_within_at(
        inner: &[&Polygon<f64>],
        outer: &[&Polygon<f64>],
        snap_m: f64,
    ) -> Option<Vec<bool>> {
        let extent = |shape: &[&Polygon<f64>]| {
            MultiPolygon(shape.iter().map(|p| (*p).clone()).collect())
                .bounding_rect()
                .expect("a shape with points")
        };
        parts_within(inner, &extent(inner), outer, &extent(outer), None, snap_m)
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
        let mut next = random(0x9E37_79B9_7F4A_7C15);
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

    /// A square zone 0.01° (1.1 km) a side at 31°N, and the west half of it as a town whose
    /// corners on the zone's south and north edges lie `off` degrees outside it.
    fn half_a_hair_off(off: f64) -> (Polygon<f64>, Polygon<f64>) {
        let zone = polygon![
            (x: 120.0, y: 31.0), (x: 120.01, y: 31.0), (x: 120.01, y: 31.01), (x: 120.0, y: 31.01),
        ];
        let town = polygon![
            (x: 120.0, y: 31.0), (x: 120.005, y: 31.0 - off), (x: 120.005, y: 31.01 + off),
            (x: 120.0, y: 31.01),
        ];
        (zone, town)
    }

    #[test]
    fn a_town_a_hair_past_its_zones_edge_is_within_it_as_snapping_would_have_it() {
        // 1e-9° is 0.1 mm: within the 1 m tolerance, and the two slivers together (each at
        // most 0.1 mm by 1.1 km) well under 1 m². Without snapping (a micrometre), the overlay.
        let (zone, town) = half_a_hair_off(1e-9);
        assert_eq!(parts_within_at(&[&town], &[&zone], 1.0), Some(vec![true]));
        assert_eq!(parts_within_at(&[&town], &[&zone], 0.0), None);
        // A hair inside: decided without inserting anything.
        let (zone, inside) = half_a_hair_off(-1e-9);
        assert_eq!(parts_within_at(&[&inside], &[&zone], 0.0), Some(vec![true]));
        // The zone to the south, which the town's corner enters by the hair: apart.
        let south = polygon![
            (x: 120.0, y: 30.99), (x: 120.01, y: 30.99), (x: 120.01, y: 31.0), (x: 120.0, y: 31.0),
        ];
        assert_eq!(parts_within_at(&[&town], &[&south], 1.0), Some(vec![false]));
        // Exactly on the edge: the edges run along each other, and the point put in settles it.
        let (zone, on) = half_a_hair_off(0.0);
        assert_eq!(parts_within_at(&[&on], &[&zone], 0.0), Some(vec![true]));
    }

    #[test]
    fn points_past_the_tolerance_or_the_slivers_bound_are_left_to_the_overlay() {
        // 1e-5° is 1.1 m: past a 1 m tolerance, within a 2 m one.
        let (zone, town) = half_a_hair_off(1e-5);
        assert_eq!(parts_within_at(&[&town], &[&zone], 1.0), None);
        // At 2 m, two strips of 1.1 m by 1.1 km are far more than 1 m².
        assert_eq!(parts_within_at(&[&town], &[&zone], 2.0), None);
        // 1e-7° (1 cm) on a 1.1 km edge: 11 m² at most, over the bound.
        let (zone, town) = half_a_hair_off(1e-7);
        assert_eq!(parts_within_at(&[&town], &[&zone], 1.0), None);
    }

    #[test]
    fn a_point_put_in_may_not_cross_the_zones_other_rings() {
        // The zone has a hole whose south edge runs 2e-10° north of the zone's; the town's
        // corner 1e-9° north of the zone's south edge lies past the hole's edge, so putting
        // it in either would cross the other: left to the overlay, as the town reaches into
        // the hole.
        let zone = Polygon::new(
            LineString::from(vec![
                (120.0, 31.0),
                (120.01, 31.0),
                (120.01, 31.01),
                (120.0, 31.01),
                (120.0, 31.0),
            ]),
            vec![LineString::from(vec![
                (120.002, 31.000_000_000_2),
                (120.002, 31.008),
                (120.008, 31.008),
                (120.008, 31.000_000_000_2),
                (120.002, 31.000_000_000_2),
            ])],
        );
        let town = polygon![
            (x: 120.0, y: 31.0), (x: 120.005, y: 31.000_000_001), (x: 120.005, y: 31.01),
            (x: 120.0, y: 31.01),
        ];
        assert_eq!(parts_within_at(&[&town], &[&zone], 1.0), None);
    }

    #[test]
    fn grid_towns_a_hair_off_their_zones_edges_are_placed_as_their_cells_say() {
        // Zones of one or two blocks of 0.001° (110 m) cells drawn by their corners alone;
        // towns of one block drawn through every grid point, each point not a zone corner
        // moved up to 1e-9° (0.1 mm) each way: T-junctions a hair to either side of the
        // zone's edges. With the 1 m tolerance, whatever is decided must be what the cells say;
        // most should be, where without it (a micrometre) the overlay is needed.
        let mut next = random(0x2545_F491_4F6C_DD1D);
        let at = |x: i32, y: i32| Coord {
            x: 120.0 + 0.001 * f64::from(x),
            y: 31.0 + 0.001 * f64::from(y),
        };
        let (mut decided, mut decided_without, mut cases) = (0, 0, 0);
        for _ in 0..3000 {
            let mut random_block = |size: u32| {
                let (x0, y0) = (next(6), next(6));
                (x0, y0, x0 + 1 + next(size), y0 + 1 + next(size))
            };
            let blocks = [random_block(5), random_block(5)];
            let (a, b) = (blocks[0], blocks[1]);
            let apart = a.2 < b.0 || b.2 < a.0 || a.3 < b.1 || b.3 < a.1;
            let zone_blocks = if apart { &blocks[..] } else { &blocks[..1] };
            let zone: Vec<Polygon<f64>> = zone_blocks
                .iter()
                .map(|&(x0, y0, x1, y1)| {
                    let ring = vec![at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)];
                    Polygon::new(LineString::from(ring), vec![])
                })
                .collect();
            let corners: std::collections::HashSet<[u64; 2]> = zone
                .iter()
                .flat_map(|p| p.exterior().0.iter().map(|c| key(*c)))
                .collect();
            let t = random_block(3);
            let mut hair = || f64::from(next(21) - 10) * 1e-10;
            let town_ring: Vec<Coord<f64>> = block(t.0, t.1, t.2, t.3)
                .0
                .iter()
                .map(|c| {
                    let c = at(c.x as i32, c.y as i32);
                    if corners.contains(&key(c)) {
                        c
                    } else {
                        Coord {
                            x: c.x + hair(),
                            y: c.y + hair(),
                        }
                    }
                })
                .collect();
            let town = Polygon::new(LineString::from(town_ring), vec![]);
            let held = (t.0..t.2)
                .flat_map(|x| (t.1..t.3).map(move |y| (x, y)))
                .filter(|&(x, y)| {
                    zone_blocks
                        .iter()
                        .any(|z| x >= z.0 && x < z.2 && y >= z.1 && y < z.3)
                })
                .count();
            let all = ((t.2 - t.0) * (t.3 - t.1)) as usize;
            let zone_refs: Vec<&Polygon<f64>> = zone.iter().collect();
            cases += 1;
            if let Some(found) = parts_within_at(&[&town], &zone_refs, 1.0) {
                decided += 1;
                assert!(held == 0 || held == all, "{town:?} in {zone:?}");
                assert_eq!(found, vec![held == all], "{town:?} in {zone:?}");
            }
            decided_without += usize::from(parts_within_at(&[&town], &zone_refs, 0.0).is_some());
        }
        // 2,141 of 3,000 are decided, 1,649 without snapping (towns wholly in a zone's
        // interior or apart from it need no point put in).
        assert!(
            decided > cases * 2 / 3 && decided > decided_without + 400,
            "{decided} of {cases} decided, {decided_without} without snapping"
        );
    }
}
