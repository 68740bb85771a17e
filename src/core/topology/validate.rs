//! Polygon validity in the sense of OGC Simple Features (as GEOS, PostGIS and QGIS check it),
//! found in one sweep over a feature's segments instead of geo's all-pairs `Validation`.
//!
//! The segments of every ring of every part are gathered into x-monotone chains, which are
//! swept by their west ends; each segment is tested only against the segments of other chains
//! whose boxes meet its own (`core::topology::chains`), with exact orientation predicates
//! (Shewchuk's, from the `robust` crate). On outlines of administrative areas a vertical line
//! meets only a few chains, so the sweep runs in about `n log n`: the 2,875 Chinese counties
//! (4.2 million vertices) take a fraction of a second (see `benches/validate.rs`). Containment
//! (holes in their shell, parts in each other) is decided afterwards, only for rings whose
//! boundaries never met, by one point-in-ring test each.

use std::fmt;

use geo::{Coord, LineString, Polygon};

use super::chains::{Segment, box_pairs};
use super::cycles::{Meetings, cycle_closers};
use super::west::{bbox_pairs, ordered_bits};

/// What is wrong with a polygon, or worth saying about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Two edges of one ring cross, or run along each other (a bow-tie, a figure eight).
    SelfIntersection,
    /// A ring touches itself at a point, as an inverted hole does (ESRI allows it; OGC not).
    RingSelfTouch,
    /// A ring goes out and comes straight back along itself: an edge of no width.
    Spike,
    /// A ring encloses no area (all its points on one line, or fewer than three distinct).
    ZeroAreaRing,
    /// A hole lies outside its polygon's outer ring.
    HoleOutsideShell,
    /// A hole crosses its polygon's outer ring, or runs along it.
    HoleCrossesShell,
    /// Two holes of one polygon cross, or run along each other.
    HolesCross,
    /// A hole lies inside another hole of the same polygon.
    NestedHoles,
    /// A hole touches the outer ring (or another hole) at two or more points, or holes touching
    /// one another at points form a chain from the outer ring back to it (or a ring of holes),
    /// cutting the polygon's interior in pieces.
    InteriorDisconnected,
    /// Two parts of a MultiPolygon cross each other.
    PartsOverlap,
    /// One part of a MultiPolygon lies inside another (not in one of its holes).
    PartsNested,
    /// Two parts of a MultiPolygon share an edge (OGC allows parts to touch at points only).
    PartsShareEdge,
    /// The same point twice in a row. Valid, but noted; it changes no figure.
    RepeatedPoint,
}

impl Fault {
    /// Whether the fault makes the geometry invalid (everything but a repeated point).
    pub fn is_invalid(self) -> bool {
        self != Fault::RepeatedPoint
    }

    /// A few words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Fault::SelfIntersection => "self-intersection",
            Fault::RingSelfTouch => "ring touches itself",
            Fault::Spike => "spike (an edge that doubles back)",
            Fault::ZeroAreaRing => "ring with no area",
            Fault::HoleOutsideShell => "hole outside its outer ring",
            Fault::HoleCrossesShell => "hole crosses its outer ring",
            Fault::HolesCross => "holes cross each other",
            Fault::NestedHoles => "hole inside another hole",
            Fault::InteriorDisconnected => "hole cuts the polygon in pieces",
            Fault::PartsOverlap => "parts overlap",
            Fault::PartsNested => "one part inside another",
            Fault::PartsShareEdge => "parts share an edge",
            Fault::RepeatedPoint => "repeated point",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One problem found: what, where (lon/lat, or the layer's own coordinates), and in which
/// part (polygon of a MultiPolygon, 0-based) and ring (0 is the outer ring, then the holes).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Problem {
    /// What is wrong.
    pub fault: Fault,
    /// Where: a point of the fault, in the polygons' coordinates (lon/lat, or the layer's own).
    pub at: Coord<f64>,
    /// The polygon of the MultiPolygon, 0-based.
    pub part: usize,
    /// The ring of that polygon: 0 for the outer ring, then its holes from 1.
    pub ring: usize,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {:.7}, {:.7}", self.fault, self.at.x, self.at.y)
    }
}

/// At most this many problems are listed per feature (the first of each kind come first).
pub const MAX_PROBLEMS: usize = 50;

/// Every problem of a feature's polygons (the parts of one MultiPolygon), or none when it is
/// valid. Repeated points are listed too, though they leave it valid (see [`Fault::is_invalid`]).
pub fn validate(parts: &[&Polygon<f64>]) -> Vec<Problem> {
    let mut v = Validator::default();
    v.collect(parts);
    v.sweep();
    v.containment(parts);
    v.finish()
}

/// Whether the polygons are valid (repeated points allowed).
pub fn is_valid(parts: &[&Polygon<f64>]) -> bool {
    validate(parts).iter().all(|p| !p.fault.is_invalid())
}

/// Where a pair of edges comes in a sweep over single edges by their west ends (each edge by
/// its west end, then its place): the order in which touch points are taken, so that the one
/// reported for a hole cutting the interior does not depend on how the pairs are found.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Found([u64; 4]);

impl Found {
    fn of(s: &Segment, t: &Segment) -> Found {
        let place = |e: &Segment| (u64::from(e.ring) << 32) | u64::from(e.index);
        Found([
            ordered_bits(s.min_x),
            place(s),
            ordered_bits(t.min_x),
            place(t),
        ])
    }
}

#[derive(Clone, Copy)]
struct RingInfo {
    part: u32,
    ring: u32,
    /// Segments in the ring (points less one, after repeated points are dropped).
    len: u32,
}

#[derive(Default)]
struct Validator {
    segments: Vec<Segment>,
    rings: Vec<RingInfo>,
    problems: Vec<Problem>,
    /// Pairs of rings (by id) whose boundaries cross or overlap.
    crossed: Vec<(u32, u32)>,
    /// Where two different rings touch, when first found, and how: to find rings that cross
    /// at a point, and holes that cut the interior.
    meetings: Meetings,
}

/// The orientation of `r` seen from the line `p`→`q`: > 0 left, < 0 right, 0 on it (exact).
#[inline]
pub(super) fn orient(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>) -> f64 {
    let o = robust::orient2d(
        robust::Coord { x: p.x, y: p.y },
        robust::Coord { x: q.x, y: q.y },
        robust::Coord { x: r.x, y: r.y },
    );
    if o > 0.0 {
        1.0
    } else if o < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// How two segments meet.
pub(super) enum Meet {
    /// The segments cross at one point inside both.
    Cross(Coord<f64>),
    /// They meet at a point that is an end of one of them.
    Touch(Coord<f64>),
    /// They run along each other for some length, starting at this point.
    Overlap(Coord<f64>),
}

/// Whether and how two segments meet, by exact orientation predicates.
pub(super) fn meet(s: &Segment, t: &Segment) -> Option<Meet> {
    let o1 = orient(s.a, s.b, t.a);
    let o2 = orient(s.a, s.b, t.b);
    if o1 == 0.0 && o2 == 0.0 {
        return collinear_meet(s, t);
    }
    if o1 * o2 > 0.0 {
        return None;
    }
    let o3 = orient(t.a, t.b, s.a);
    let o4 = orient(t.a, t.b, s.b);
    if o3 * o4 > 0.0 {
        return None;
    }
    if o1 != 0.0 && o2 != 0.0 && o3 != 0.0 && o4 != 0.0 {
        return Some(Meet::Cross(crossing(s, t)));
    }
    let at = if o1 == 0.0 {
        t.a
    } else if o2 == 0.0 {
        t.b
    } else if o3 == 0.0 {
        s.a
    } else {
        s.b
    };
    Some(Meet::Touch(at))
}

/// Two segments on one line: whether, and how, their extents meet.
fn collinear_meet(s: &Segment, t: &Segment) -> Option<Meet> {
    let along_x = (s.b.x - s.a.x).abs() >= (s.b.y - s.a.y).abs();
    let key = |c: Coord<f64>| if along_x { c.x } else { c.y };
    let (s0, s1) = ordered(s.a, s.b, key);
    let (t0, t1) = ordered(t.a, t.b, key);
    let start = if key(s0) >= key(t0) { s0 } else { t0 };
    let end = if key(s1) <= key(t1) { s1 } else { t1 };
    let (lo, hi) = (key(start), key(end));
    if lo < hi {
        Some(Meet::Overlap(start))
    } else if lo == hi {
        Some(Meet::Touch(start))
    } else {
        None
    }
}

fn ordered(
    a: Coord<f64>,
    b: Coord<f64>,
    key: impl Fn(Coord<f64>) -> f64,
) -> (Coord<f64>, Coord<f64>) {
    if key(a) <= key(b) { (a, b) } else { (b, a) }
}

/// Where two properly crossing segments cross.
fn crossing(s: &Segment, t: &Segment) -> Coord<f64> {
    let (dx1, dy1) = (s.b.x - s.a.x, s.b.y - s.a.y);
    let (dx2, dy2) = (t.b.x - t.a.x, t.b.y - t.a.y);
    let denom = dx1 * dy2 - dy1 * dx2;
    if denom == 0.0 {
        return s.a;
    }
    let u = ((t.a.x - s.a.x) * dy2 - (t.a.y - s.a.y) * dx2) / denom;
    let u = u.clamp(0.0, 1.0);
    Coord {
        x: s.a.x + u * dx1,
        y: s.a.y + u * dy1,
    }
}

impl Validator {
    fn push(&mut self, fault: Fault, at: Coord<f64>, ring: u32) {
        let info = self.rings[ring as usize];
        self.problems.push(Problem {
            fault,
            at,
            part: info.part as usize,
            ring: info.ring as usize,
        });
    }

    /// The segments of every ring, with repeated points dropped (and noted) and rings of no
    /// area noted.
    fn collect(&mut self, parts: &[&Polygon<f64>]) {
        let total: usize = parts
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        self.segments.reserve(total);
        for (pi, p) in parts.iter().enumerate() {
            for (ri, ring) in std::iter::once(p.exterior())
                .chain(p.interiors())
                .enumerate()
            {
                let id = self.rings.len() as u32;
                self.rings.push(RingInfo {
                    part: pi as u32,
                    ring: ri as u32,
                    len: 0,
                });
                self.ring_segments(ring, id);
            }
        }
    }

    fn ring_segments(&mut self, ring: &LineString<f64>, id: u32) {
        let pts = &ring.0;
        let mut prev: Option<Coord<f64>> = None;
        let mut index = 0u32;
        let mut twice_area = 0.0;
        let origin = pts.first().copied().unwrap_or_default();
        for &c in pts {
            let Some(p) = prev else {
                prev = Some(c);
                continue;
            };
            if c == p {
                self.push(Fault::RepeatedPoint, c, id);
                continue;
            }
            twice_area += (p.x - origin.x) * (c.y - origin.y) - (c.x - origin.x) * (p.y - origin.y);
            self.segments.push(Segment::new(p, c, id, index));
            index += 1;
            prev = Some(c);
        }
        self.rings[id as usize].len = index;
        if index < 3 || twice_area == 0.0 {
            self.push(Fault::ZeroAreaRing, origin, id);
        }
    }

    fn adjacent(&self, s: &Segment, t: &Segment) -> Option<(Segment, Segment)> {
        if s.ring != t.ring {
            return None;
        }
        let len = self.rings[s.ring as usize].len;
        let next = |i: u32| if i + 1 == len { 0 } else { i + 1 };
        if next(s.index) == t.index {
            Some((*s, *t))
        } else if next(t.index) == s.index {
            Some((*t, *s))
        } else {
            None
        }
    }

    fn sweep(&mut self) {
        let segments = std::mem::take(&mut self.segments);
        box_pairs(&segments, |s, t| self.pair(s, t));
        self.segments = segments;
    }

    fn pair(&mut self, s: &Segment, t: &Segment) {
        if let Some((first, second)) = self.adjacent(s, t) {
            // Consecutive edges share a vertex; they are wrong only if the second turns back
            // along the first. (A ring of two edges is already of no area.)
            // (The dot product first: it rules out nearly every pair without an exact test.)
            let v = first.b;
            if (first.a.x - v.x) * (second.b.x - v.x) + (first.a.y - v.y) * (second.b.y - v.y) > 0.0
                && self.rings[s.ring as usize].len > 2
                && orient(first.a, v, second.b) == 0.0
            {
                self.push(Fault::Spike, v, s.ring);
            }
            return;
        }
        let Some(m) = meet(s, t) else { return };
        let (ra, rb) = (self.rings[s.ring as usize], self.rings[t.ring as usize]);
        let (lo, hi) = (s.ring.min(t.ring), s.ring.max(t.ring));
        if let Meet::Touch(at) = m
            && s.ring != t.ring
        {
            let (first, second) = if s.ring == lo { (s, t) } else { (t, s) };
            let edges = [[first.a, first.b], [second.a, second.b]];
            self.meetings.add((lo, hi), at, Found::of(s, t).0, edges);
        }
        match m {
            Meet::Cross(at) | Meet::Overlap(at) if s.ring == t.ring => {
                self.push(Fault::SelfIntersection, at, s.ring);
            }
            Meet::Touch(at) if s.ring == t.ring => {
                // Two non-adjacent edges of a ring that meet at a vertex both have: the ring
                // passes the same point twice.
                self.push(Fault::RingSelfTouch, at, s.ring);
            }
            Meet::Cross(at) | Meet::Overlap(at) if ra.part == rb.part => {
                self.crossed.push((lo, hi));
                let fault = if ra.ring == 0 || rb.ring == 0 {
                    Fault::HoleCrossesShell
                } else {
                    Fault::HolesCross
                };
                self.push(fault, at, hi);
            }
            Meet::Cross(at) => {
                self.crossed.push((lo, hi));
                self.push(Fault::PartsOverlap, at, hi);
            }
            Meet::Overlap(at) => {
                self.crossed.push((lo, hi));
                self.push(Fault::PartsShareEdge, at, hi);
            }
            Meet::Touch(_) => {}
        }
    }

    fn crossed(&self, a: u32, b: u32) -> bool {
        let key = (a.min(b), a.max(b));
        self.crossed.contains(&key)
    }

    /// Holes in their shell, holes not in each other, parts not in each other: decided for
    /// rings whose boundaries never crossed, by where one of their points lies.
    fn containment(&mut self, parts: &[&Polygon<f64>]) {
        // Rings that cross at a point they touch at: as if their edges crossed.
        let crossings: Vec<_> = self.meetings.crossings().collect();
        for ((lo, hi), at) in crossings {
            let (ra, rb) = (self.rings[lo as usize], self.rings[hi as usize]);
            let fault = match (ra.part == rb.part, ra.ring == 0 || rb.ring == 0) {
                (true, true) => Fault::HoleCrossesShell,
                (true, false) => Fault::HolesCross,
                (false, _) => Fault::PartsOverlap,
            };
            self.crossed.push((lo, hi));
            self.push(fault, at, hi);
        }
        // Two touch points between the same pair of rings cut the interior.
        // Distinct points where two different rings of one part touch: (ring, ring, point, when
        // first found).
        let mut touches: Vec<(u32, u32, Coord<f64>, Found)> = (self.meetings.touches())
            .filter(|((a, b), _, _)| self.rings[*a as usize].part == self.rings[*b as usize].part)
            .map(|((a, b), at, first)| (a, b, at, Found(first)))
            .collect();
        touches.sort_by_key(|&(a, b, _, found)| (a, b, found));
        for w in touches.windows(2) {
            if (w[0].0, w[0].1) == (w[1].0, w[1].1) && !self.crossed(w[0].0, w[0].1) {
                self.push(Fault::InteriorDisconnected, w[1].2, w[1].1);
            }
        }
        // So does a chain of rings touching at other points, back to the first (a hole
        // touching the shell and another hole that touches the shell): a cycle of the first
        // touch of each pair, in the order the sweep met them.
        touches.dedup_by_key(|t| (t.0, t.1));
        touches.retain(|t| !self.crossed(t.0, t.1));
        touches.sort_by_key(|t| t.3);
        for (ring, at) in cycle_closers(touches.iter().map(|t| (t.0, t.1, t.2))) {
            self.push(Fault::InteriorDisconnected, at, ring);
        }
        let mut first_ring = 0u32;
        let mut shells = Vec::with_capacity(parts.len());
        for p in parts {
            let shell_id = first_ring;
            shells.push(shell_id);
            let holes = p.interiors();
            for (k, hole) in holes.iter().enumerate() {
                let hole_id = shell_id + 1 + k as u32;
                if self.crossed(shell_id, hole_id) {
                    continue;
                }
                if let Some((at, Side::Outside)) = side_of_ring(hole, p.exterior()) {
                    self.push(Fault::HoleOutsideShell, at, hole_id);
                }
            }
            if holes.len() > 1 {
                for (i, j) in bbox_pairs(holes.iter().collect()) {
                    let (hi, hj) = (shell_id + 1 + i as u32, shell_id + 1 + j as u32);
                    if self.crossed(hi, hj) {
                        continue;
                    }
                    for (inner, outer, id) in [(i, j, hi), (j, i, hj)] {
                        if let Some((at, Side::Inside)) = side_of_ring(&holes[inner], &holes[outer])
                        {
                            self.push(Fault::NestedHoles, at, id);
                        }
                    }
                }
            }
            first_ring += 1 + holes.len() as u32;
        }
        if parts.len() > 1 {
            let exteriors: Vec<&LineString<f64>> = parts.iter().map(|p| p.exterior()).collect();
            for (i, j) in bbox_pairs(exteriors) {
                if self.crossed(shells[i], shells[j]) {
                    continue;
                }
                for (inner, outer) in [(i, j), (j, i)] {
                    if part_inside(parts[inner], parts[outer]) {
                        let at = parts[inner]
                            .exterior()
                            .0
                            .first()
                            .copied()
                            .unwrap_or_default();
                        self.push(Fault::PartsNested, at, shells[inner]);
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Problem> {
        self.problems.sort_by(|a, b| {
            (a.fault, a.part, a.ring)
                .cmp(&(b.fault, b.part, b.ring))
                .then(a.at.x.total_cmp(&b.at.x))
                .then(a.at.y.total_cmp(&b.at.y))
        });
        self.problems
            .dedup_by(|a, b| a.fault == b.fault && a.at == b.at && a.part == b.part);
        if self.problems.len() > MAX_PROBLEMS {
            // Keep the first of each kind, then fill up in order.
            let mut kept: Vec<Problem> = Vec::with_capacity(MAX_PROBLEMS);
            for p in &self.problems {
                if kept.last().is_none_or(|k| k.fault != p.fault) {
                    kept.push(*p);
                }
            }
            for p in &self.problems {
                if kept.len() >= MAX_PROBLEMS {
                    break;
                }
                if !kept.contains(p) {
                    kept.push(*p);
                }
            }
            kept.sort_by_key(|p| p.fault);
            return kept;
        }
        self.problems
    }
}

/// Where a point lies with respect to a closed ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Strictly inside the ring (non-zero winding number).
    Inside,
    /// Strictly outside the ring.
    Outside,
    /// On one of the ring's edges or vertices.
    OnBoundary,
}

/// Where `p` lies with respect to the closed ring `ring` (winding number, exact predicates).
pub fn point_in_ring(p: Coord<f64>, ring: &LineString<f64>) -> Side {
    match winding(p, &ring.0) {
        None => Side::OnBoundary,
        Some(0) => Side::Outside,
        Some(_) => Side::Inside,
    }
}

/// The winding number about `p` of the edges joining consecutive points of `path` (a whole
/// closed ring, or a run of one: the numbers of a ring's runs add up to the ring's), or `None`
/// when `p` is on one of those edges. Only edges east of `p` count, so a run wholly west of
/// it, or wholly above or below it, adds nothing.
pub(super) fn winding(p: Coord<f64>, path: &[Coord<f64>]) -> Option<i32> {
    let mut winding = 0i32;
    for w in path.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.y <= p.y {
            if b.y > p.y {
                let o = orient(a, b, p);
                if o > 0.0 {
                    winding += 1;
                } else if o == 0.0 {
                    return None;
                }
            } else if b.y == p.y && on_segment(a, b, p) {
                return None;
            }
        } else if b.y <= p.y {
            let o = orient(a, b, p);
            if o < 0.0 {
                winding -= 1;
            } else if o == 0.0 {
                return None;
            }
        }
    }
    Some(winding)
}

fn on_segment(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    orient(a, b, p) == 0.0
        && p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
}

/// The side of `outer` that `inner` is on, judged by its first points that are not on
/// `outer`'s boundary, else by the midpoint of one of its edges; `None` if all are on it.
fn side_of_ring(inner: &LineString<f64>, outer: &LineString<f64>) -> Option<(Coord<f64>, Side)> {
    let first = inner
        .0
        .iter()
        .take(8)
        .map(|&c| (c, point_in_ring(c, outer)))
        .find(|(_, s)| *s != Side::OnBoundary);
    if first.is_some() {
        return first;
    }
    // Every vertex tried lies on the other ring (a diamond with its corners on a square's
    // sides): the rings do not cross, so any edge between two of them runs inside or outside,
    // and its midpoint says which.
    inner
        .0
        .windows(2)
        .map(|w| Coord {
            x: (w[0].x + w[1].x) / 2.0,
            y: (w[0].y + w[1].y) / 2.0,
        })
        .map(|c| (c, point_in_ring(c, outer)))
        .find(|(_, s)| *s != Side::OnBoundary)
}

/// Whether a part lies inside another part (in its outer ring, and not in one of its holes).
fn part_inside(inner: &Polygon<f64>, outer: &Polygon<f64>) -> bool {
    // Each ring asked for a point of the part off it: an island in a hole may have its corners
    // on the hole's ring, and the shell's (as a diamond in a square may).
    let inside = |ring| {
        matches!(
            side_of_ring(inner.exterior(), ring),
            Some((_, Side::Inside))
        )
    };
    inside(outer.exterior()) && !outer.interiors().iter().any(inside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Validation, polygon};

    fn faults(parts: &[&Polygon<f64>]) -> Vec<Fault> {
        let mut f: Vec<Fault> = validate(parts).iter().map(|p| p.fault).collect();
        f.dedup();
        f
    }

    fn square(x0: f64, y0: f64, s: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x0 + s, y: y0), (x: x0 + s, y: y0 + s), (x: x0, y: y0 + s)]
    }

    #[test]
    fn a_square_is_valid() {
        assert!(validate(&[&square(0.0, 0.0, 1.0)]).is_empty());
    }

    #[test]
    fn a_bow_tie_crosses_itself_where_geos_says() {
        // The field case 04: shapely 2.2 (GEOS) explain_validity gives
        // "Self-intersection[120.333333333333 31.3266666666667]".
        let p = polygon![(x: 120.3, y: 31.3), (x: 120.4, y: 31.38), (x: 120.4, y: 31.3), (x: 120.3, y: 31.34)];
        let v = validate(&[&p]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].fault, Fault::SelfIntersection);
        assert!((v[0].at.x - 120.333333333333).abs() < 1e-9);
        assert!((v[0].at.y - 31.3266666666667).abs() < 1e-9);
    }

    #[test]
    fn an_inverted_hole_touches_itself() {
        // The outer ring pinches at (2, 0) to enclose a hole, as ESRI writes it.
        let p = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 3.0, y: 1.0), (x: 2.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)];
        assert!(
            faults(&[&p]).contains(&Fault::RingSelfTouch) || faults(&[&p]).contains(&Fault::Spike)
        );
    }

    #[test]
    fn a_spike_is_found() {
        let p = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 15.0, y: 5.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        assert!(faults(&[&p]).contains(&Fault::Spike));
        // Running north and straight back: two edges with no way east or west, each its own
        // chain for the sweep; and east along an edge then back west over part of it.
        let north = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 15.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        assert!(faults(&[&north]).contains(&Fault::Spike));
        let east = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 4.0, y: 10.0), (x: 12.0, y: 10.0), (x: 0.0, y: 10.0)];
        assert!(faults(&[&east]).contains(&Fault::Spike));
    }

    #[test]
    fn holes_in_the_wrong_places() {
        let mut outside = square(0.0, 0.0, 1.0);
        outside.interiors_push(square(2.0, 2.0, 0.5).exterior().clone());
        assert_eq!(faults(&[&outside]), vec![Fault::HoleOutsideShell]);
        let mut crossing = square(0.0, 0.0, 1.0);
        crossing.interiors_push(square(0.5, 0.5, 1.0).exterior().clone());
        assert_eq!(faults(&[&crossing]), vec![Fault::HoleCrossesShell]);
        let mut nested = square(0.0, 0.0, 10.0);
        nested.interiors_push(square(1.0, 1.0, 5.0).exterior().clone());
        nested.interiors_push(square(2.0, 2.0, 1.0).exterior().clone());
        assert_eq!(faults(&[&nested]), vec![Fault::NestedHoles]);
        let mut fine = square(0.0, 0.0, 10.0);
        fine.interiors_push(square(1.0, 1.0, 2.0).exterior().clone());
        fine.interiors_push(square(3.0, 1.0, 2.0).exterior().clone()); // touches the first at an edge? no: at x=3
        assert!(validate(&[&fine]).is_empty() || faults(&[&fine]) == vec![Fault::HolesCross]);
    }

    #[test]
    fn parts_that_overlap_nest_or_share_an_edge() {
        let (a, b) = (square(0.0, 0.0, 2.0), square(1.0, 1.0, 2.0));
        assert_eq!(faults(&[&a, &b]), vec![Fault::PartsOverlap]);
        let inner = square(0.5, 0.5, 0.5);
        assert_eq!(faults(&[&a, &inner]), vec![Fault::PartsNested]);
        let beside = square(2.0, 0.0, 2.0);
        assert_eq!(faults(&[&a, &beside]), vec![Fault::PartsShareEdge]);
        let corner = square(2.0, 2.0, 1.0);
        assert!(validate(&[&a, &corner]).is_empty());
        // An island in a lake is fine.
        let mut lake = square(0.0, 0.0, 10.0);
        lake.interiors_push(square(2.0, 2.0, 6.0).exterior().clone());
        let island = square(4.0, 4.0, 1.0);
        assert!(validate(&[&lake, &island]).is_empty());
    }

    #[test]
    fn repeated_points_are_noted_but_valid() {
        let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        assert_eq!(faults(&[&p]), vec![Fault::RepeatedPoint]);
        assert!(is_valid(&[&p]));
    }

    #[test]
    fn a_flat_ring_has_no_area() {
        let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 2.0, y: 0.0)];
        assert!(faults(&[&p]).contains(&Fault::ZeroAreaRing));
    }

    /// What `validate` finds when the sweep is replaced by testing every pair of edges whose
    /// boxes meet (in the order the sweep by west ends takes them).
    fn validate_by_all_pairs(parts: &[&Polygon<f64>]) -> Vec<Problem> {
        let mut v = Validator::default();
        v.collect(parts);
        let segments = std::mem::take(&mut v.segments);
        let key = |i: usize| (ordered_bits(segments[i].min_x), i);
        for i in 0..segments.len() {
            for j in i + 1..segments.len() {
                let (s, t) = if key(i) <= key(j) { (i, j) } else { (j, i) };
                let (s, t) = (&segments[s], &segments[t]);
                if t.min_x <= s.max_x
                    && s.min_x <= t.max_x
                    && t.min_y <= s.max_y
                    && s.min_y <= t.max_y
                {
                    v.pair(s, t);
                }
            }
        }
        v.segments = segments;
        v.containment(parts);
        v.finish()
    }

    #[test]
    fn the_sweep_finds_what_testing_every_pair_finds() {
        // Random polygons of one to three parts with up to two holes, on a coarse grid so that
        // edges cross, touch, run along each other and turn back, and with north-south edges.
        let mut seed = 11u64;
        let mut rnd = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut faults = std::collections::BTreeSet::new();
        for _ in 0..3000 {
            let ring = |rnd: &mut dyn FnMut(u64) -> u64| {
                let (x0, y0) = (rnd(6) as f64, rnd(6) as f64);
                let n = 3 + rnd(12);
                let mut pts: Vec<Coord<f64>> = (0..n)
                    .map(|_| Coord {
                        x: x0 + rnd(5) as f64,
                        y: y0 + rnd(5) as f64 * 0.5,
                    })
                    .collect();
                pts.push(pts[0]);
                LineString(pts)
            };
            let parts: Vec<Polygon<f64>> = (0..1 + rnd(3))
                .map(|_| {
                    let shell = ring(&mut rnd);
                    let holes = (0..rnd(3)).map(|_| ring(&mut rnd)).collect();
                    Polygon::new(shell, holes)
                })
                .collect();
            let refs: Vec<&Polygon<f64>> = parts.iter().collect();
            let found = validate(&refs);
            assert_eq!(found, validate_by_all_pairs(&refs), "{parts:?}");
            faults.extend(found.iter().map(|p| p.fault));
        }
        // Every kind of fault the sweep finds came up.
        assert!(faults.len() >= 11, "{faults:?}");
    }

    #[test]
    fn the_touch_reported_for_a_cut_interior_is_the_one_a_sweep_by_edges_meets_first() {
        // Two holes meeting the shell and each other at (120.03, 31.0), each touching the shell
        // once more. The problems named are those the edge-by-edge sweep named before the
        // sweep went by chains (`zonemap check` by the build of 2026-11-30).
        let p = Polygon::new(
            LineString::from(vec![
                (120.0, 31.0),
                (120.03, 31.0),
                (120.03, 31.03),
                (120.0, 31.03),
                (120.0, 31.0),
            ]),
            vec![
                LineString::from(vec![
                    (120.0, 31.02),
                    (120.01, 31.02),
                    (120.03, 31.0),
                    (120.0, 31.02),
                ]),
                LineString::from(vec![
                    (120.02, 31.02),
                    (120.01, 31.03),
                    (120.03, 31.0),
                    (120.02, 31.02),
                ]),
            ],
        );
        let found = validate(&[&p]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|f| f.fault == Fault::InteriorDisconnected));
        assert_eq!(found[0].at, Coord { x: 120.0, y: 31.02 });
    }

    #[test]
    fn a_chain_of_holes_from_shell_to_shell_cuts_the_interior() {
        // A hole touching the shell's west side and a second hole, which touches the east side:
        // GEOS (shapely 2.2 `explain_validity`) says "Interior is disconnected[120.02 31.02]".
        let shell = LineString::from(vec![
            (120.0, 31.0),
            (120.04, 31.0),
            (120.04, 31.04),
            (120.0, 31.04),
            (120.0, 31.0),
        ]);
        let west = LineString::from(vec![
            (120.0, 31.02),
            (120.02, 31.015),
            (120.02, 31.025),
            (120.0, 31.02),
        ]);
        let east = |x: f64| {
            LineString::from(vec![
                (120.02, 31.02),
                (120.03, 31.015),
                (x, 31.02),
                (120.03, 31.025),
                (120.02, 31.02),
            ])
        };
        let chain = Polygon::new(shell.clone(), vec![west.clone(), east(120.04)]);
        assert_eq!(faults(&[&chain]), vec![Fault::InteriorDisconnected]);
        // The second hole stopping short of the east side: valid (GEOS: "Valid Geometry").
        let short = Polygon::new(shell, vec![west, east(120.035)]);
        assert!(faults(&[&short]).is_empty());
    }

    #[test]
    fn an_island_in_a_hole_with_its_corners_on_the_holes_ring_is_apart() {
        // A hexagonal hole, and as a second part a triangle on three of its corners: GEOS
        // (shapely 2.2) says "Valid Geometry". Taken as nested, the repair filled the hole.
        let hole = LineString::from(vec![
            (1.0, 2.0),
            (1.5, 1.0),
            (2.5, 1.0),
            (3.0, 2.0),
            (2.5, 3.0),
            (1.5, 3.0),
            (1.0, 2.0),
        ]);
        let holed = Polygon::new(square(0.0, 0.0, 4.0).exterior().clone(), vec![hole]);
        let island = polygon![(x: 1.5, y: 1.0), (x: 3.0, y: 2.0), (x: 1.5, y: 3.0)];
        assert!(faults(&[&holed, &island]).is_empty());
        // Outside the hole, on one of its corners: "Nested shells[3.5 2.5]".
        let beside = polygon![(x: 3.0, y: 2.0), (x: 3.5, y: 2.5), (x: 3.0, y: 3.0)];
        assert_eq!(faults(&[&holed, &beside]), vec![Fault::PartsNested]);
    }

    #[test]
    fn parts_crossing_only_where_a_corner_lies_on_an_edge_overlap() {
        // A kite with two corners on the square's east side, one outside and one inside: no
        // two edges cross, yet the parts overlap (GEOS: "Self-intersection[2 1.5]").
        let square = square(0.0, 0.0, 2.0);
        let kite = polygon![(x: 2.0, y: 0.5), (x: 3.0, y: 1.0), (x: 2.0, y: 1.5), (x: 1.0, y: 1.0)];
        assert_eq!(faults(&[&square, &kite]), vec![Fault::PartsOverlap]);
        // A triangle touching the square at one corner of its own: valid ("Valid Geometry").
        let beside = polygon![(x: 2.0, y: 1.0), (x: 3.0, y: 0.5), (x: 3.0, y: 1.5)];
        assert!(faults(&[&square, &beside]).is_empty());
    }

    #[test]
    fn a_part_with_every_corner_on_another_parts_sides_lies_in_it() {
        // A diamond with its four corners on a square's four sides, as a second part: GEOS
        // says "Nested shells"; the area would otherwise count the diamond twice.
        let square = square(0.0, 0.0, 2.0);
        let diamond =
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 1.0)];
        assert!(faults(&[&square, &diamond]).contains(&Fault::PartsNested));
        // The same diamond as a hole lies in its shell (it cuts the interior in four).
        let holed = Polygon::new(square.exterior().clone(), vec![diamond.exterior().clone()]);
        let found = faults(&[&holed]);
        assert!(!found.contains(&Fault::HoleOutsideShell), "{found:?}");
        assert!(found.contains(&Fault::InteriorDisconnected), "{found:?}");
        // Beside it, touching at one corner only, it is outside.
        let beside =
            polygon![(x: 3.0, y: 0.0), (x: 4.0, y: 1.0), (x: 3.0, y: 2.0), (x: 2.0, y: 1.0)];
        assert!(faults(&[&square, &beside]).is_empty());
    }

    #[test]
    fn agrees_with_geo_on_random_rings() {
        // Random 6-gons: whatever geo's (quadratic) validation says of validity, so do we.
        let mut seed = 7u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % 1000) as f64 / 100.0
        };
        for _ in 0..2000 {
            let pts: Vec<Coord<f64>> = (0..6).map(|_| Coord { x: rnd(), y: rnd() }).collect();
            let mut ring = pts.clone();
            ring.push(pts[0]);
            let p = Polygon::new(LineString(ring), vec![]);
            assert_eq!(is_valid(&[&p]), p.is_valid(), "{p:?}");
        }
    }
}
