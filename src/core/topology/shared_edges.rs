//! The union of polygons that meet only along shared edges (an administrative layer's
//! neighbours, vertex for vertex): every edge two polygons share is walked once in each
//! direction and cancels; what is left, chained end to start, is the union's boundary, every
//! vertex as it was. One pass over the edges, checked by validating the result.

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use rustc_hash::FxHashMap as HashMap;

use crate::core::topology::validate::{Side, is_valid, point_in_ring};

type Key = (u64, u64);

fn key(c: Coord<f64>) -> Key {
    // +0.0 and -0.0 are one point.
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

#[derive(Clone, Copy)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
    /// From a member's outer ring (else from a hole).
    outer: bool,
    /// The polygon it is from, by its index in the input.
    polygon: u32,
}

/// What cancelling shared edges made.
pub(crate) struct Cancelled {
    /// The union.
    pub shape: MultiPolygon<f64>,
    /// Its holes that are gaps between members (not a member's own hole).
    pub gaps: Vec<LineString<f64>>,
    /// For each input polygon, whether any of its edges was shared with another.
    pub shared: Vec<bool>,
}

/// The union of polygons that meet only along shared edges: the edges walked both ways
/// cancel, the rest chain into rings. Returns the union and the holes that are gaps between
/// members, or `None` when the polygons do not form such a coverage (the result is checked).
pub(crate) fn cancel_edges(polygons: &[&Polygon<f64>]) -> Option<Cancelled> {
    cancel_edges_with(polygons, digest)
}

/// [`cancel_edges`] with the edges' digest given (the tests make every digest collide).
fn cancel_edges_with(
    polygons: &[&Polygon<f64>],
    digest: impl Fn(Key, Key) -> u64,
) -> Option<Cancelled> {
    let mut edges: Vec<Edge> = Vec::new();
    for (n, p) in polygons.iter().enumerate() {
        for (i, ring) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            // Outer rings counter-clockwise, holes clockwise, whatever the source did; each
            // ring's edges in the order they run, end to start.
            let reverse = (signed_area(ring) > 0.0) != (i == 0);
            let mut push = |a: Coord<f64>, b: Coord<f64>| {
                if key(a) != key(b) {
                    edges.push(Edge {
                        a,
                        b,
                        outer: i == 0,
                        polygon: n as u32,
                    });
                }
            };
            if reverse {
                ring.0.windows(2).rev().for_each(|w| push(w[1], w[0]));
            } else {
                ring.0.windows(2).for_each(|w| push(w[0], w[1]));
            }
        }
    }
    // Cancel each edge against one walked the other way. Two neighbours share a boundary
    // run of many edges, each walking it the other way: once one pair is found, the next
    // edges of one are tried against the edges before the other's, without the hash table
    // (whose entries for them stay behind, dead, and count for nothing).
    let mut open = Open::with_capacity(edges.len(), digest);
    let mut alive = vec![true; edges.len()];
    let mut shared = vec![false; polygons.len()];
    let mut i = 0;
    while i < edges.len() {
        let e = edges[i];
        let (a, b) = (key(e.a), key(e.b));
        match open.take(&edges, b, a).filter(|&j| alive[j]) {
            Some(mut j) => {
                alive[i] = false;
                alive[j] = false;
                shared[e.polygon as usize] = true;
                shared[edges[j].polygon as usize] = true;
                i += 1;
                while i < edges.len() && j > 0 && alive[j - 1] {
                    let (next, before) = (edges[i], edges[j - 1]);
                    let chained = key(next.a) == key(edges[i - 1].b);
                    if !(chained && key(next.a) == key(before.b) && key(next.b) == key(before.a)) {
                        break;
                    }
                    alive[i] = false;
                    alive[j - 1] = false;
                    shared[next.polygon as usize] = true;
                    shared[before.polygon as usize] = true;
                    i += 1;
                    j -= 1;
                }
                continue;
            }
            None => {
                if !open.put(&edges, &alive, i) {
                    // The same edge twice the same way: members overlap.
                    return None;
                }
            }
        }
        i += 1;
    }
    // Chain what is left, end to start. The edges leaving each point, as a list threaded
    // through `next_out`; a point with two or more is a pinch, where a chain may pass twice.
    const NONE: u32 = u32::MAX;
    let mut first_out: HashMap<Key, u32> = HashMap::default();
    let mut next_out = vec![NONE; edges.len()];
    let mut pinched = vec![false; edges.len()];
    for (i, e) in edges.iter().enumerate().filter(|(i, _)| alive[*i]) {
        let head = first_out.entry(key(e.a)).or_insert(NONE);
        if *head != NONE {
            pinched[i] = true;
            pinched[*head as usize] = true;
        }
        next_out[i] = *head;
        *head = i as u32;
    }
    let mut used = vec![false; edges.len()];
    let mut rings: Vec<(Vec<Coord<f64>>, bool)> = Vec::new();
    for start in 0..edges.len() {
        if !alive[start] || used[start] {
            continue;
        }
        let first = key(edges[start].a);
        let mut coords = vec![edges[start].a];
        let mut any_outer = false;
        let mut any_pinch = false;
        let mut current = start;
        loop {
            used[current] = true;
            let e = edges[current];
            any_outer |= e.outer;
            any_pinch |= pinched[current];
            coords.push(e.b);
            let at = key(e.b);
            if at == first {
                break;
            }
            let mut next = *first_out.get(&at)?;
            while next != NONE && used[next as usize] {
                next = next_out[next as usize];
            }
            if next == NONE {
                return None;
            }
            current = next as usize;
        }
        if any_pinch {
            for ring in split_at_repeats(coords) {
                rings.push((ring, any_outer));
            }
        } else if coords.len() >= 4 {
            rings.push((coords, any_outer));
        }
    }
    // Outer rings run counter-clockwise, holes clockwise.
    let mut shells: Vec<(LineString<f64>, Rect<f64>, f64)> = Vec::new();
    let mut holes: Vec<(LineString<f64>, bool)> = Vec::new();
    for (coords, from_outer) in rings {
        let ring = LineString(coords);
        let area = signed_area(&ring);
        if area > 0.0 {
            let extent = ring.bounding_rect()?;
            shells.push((ring, extent, area));
        } else if area < 0.0 {
            holes.push((ring, from_outer));
        }
    }
    // Each hole in the smallest shell holding it.
    let mut polygons: Vec<(LineString<f64>, Vec<LineString<f64>>)> = shells
        .iter()
        .map(|(s, _, _)| (s.clone(), Vec::new()))
        .collect();
    let mut gaps = Vec::new();
    for (hole, from_outer) in holes {
        let probe = {
            let (a, b) = (hole.0[0], hole.0[1]);
            Coord {
                x: (a.x + b.x) / 2.0,
                y: (a.y + b.y) / 2.0,
            }
        };
        let extent = hole.bounding_rect()?;
        let home = shells
            .iter()
            .enumerate()
            .filter(|(_, (_, e, _))| {
                e.min().x <= extent.min().x
                    && e.min().y <= extent.min().y
                    && e.max().x >= extent.max().x
                    && e.max().y >= extent.max().y
            })
            .filter(|(_, (s, _, _))| point_in_ring(probe, s) == Side::Inside)
            .min_by(|a, b| a.1.2.total_cmp(&b.1.2))
            .map(|(i, _)| i)?;
        if from_outer {
            gaps.push(hole.clone());
        }
        polygons[home].1.push(hole);
    }
    let shape = MultiPolygon(
        polygons
            .into_iter()
            .map(|(shell, holes)| Polygon::new(shell, holes))
            .collect(),
    );
    let parts: Vec<&Polygon<f64>> = shape.0.iter().collect();
    is_valid(&parts).then_some(Cancelled {
        shape,
        gaps,
        shared,
    })
}

/// The edges waiting for their reverse, found by a 64-bit digest of their end points (a
/// table a third the size of one keyed by the points). An edge whose digest a different live
/// edge already holds, which is all but impossible, waits in `spill`, by its points.
struct Open<D> {
    by_digest: HashMap<u64, u32>,
    spill: HashMap<(Key, Key), u32>,
    digest: D,
}

impl<D: Fn(Key, Key) -> u64> Open<D> {
    fn with_capacity(n: usize, digest: D) -> Open<D> {
        Open {
            by_digest: HashMap::with_capacity_and_hasher(n, Default::default()),
            spill: HashMap::default(),
            digest,
        }
    }

    /// Removes and returns the waiting edge from `a` to `b`, if there is one.
    fn take(&mut self, edges: &[Edge], a: Key, b: Key) -> Option<usize> {
        let d = (self.digest)(a, b);
        match self.by_digest.get(&d) {
            Some(&j) if runs(&edges[j as usize], a, b) => {
                self.by_digest.remove(&d);
                Some(j as usize)
            }
            _ if self.spill.is_empty() => None,
            _ => self.spill.remove(&(a, b)).map(|j| j as usize),
        }
    }

    /// Puts edge `i` to wait; false when the same edge, the same way, is already waiting.
    fn put(&mut self, edges: &[Edge], alive: &[bool], i: usize) -> bool {
        let e = &edges[i];
        let (a, b) = (key(e.a), key(e.b));
        let slot = self
            .by_digest
            .entry((self.digest)(a, b))
            .or_insert(i as u32);
        let j = *slot as usize;
        if j != i {
            if runs(&edges[j], a, b) || !alive[j] {
                if alive[j] {
                    return false;
                }
                *slot = i as u32;
            } else if let Some(old) = self.spill.insert((a, b), i as u32) {
                return !alive[old as usize];
            }
        }
        // Where a twin might have been spilled before its slot came free.
        !matches!(self.spill.get(&(a, b)), Some(&old) if old as usize != i && alive[old as usize])
    }
}

/// Whether `e` runs from `a` to `b`.
fn runs(e: &Edge, a: Key, b: Key) -> bool {
    key(e.a) == a && key(e.b) == b
}

/// A 64-bit digest of an edge's end points (multiply-rotate, as FxHash mixes).
fn digest(a: Key, b: Key) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = a.0.wrapping_mul(K);
    for word in [a.1, b.0, b.1] {
        h = (h.rotate_left(26) ^ word).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

/// A closed chain of points split where it passes a point twice: each loop its own ring.
fn split_at_repeats(coords: Vec<Coord<f64>>) -> Vec<Vec<Coord<f64>>> {
    let mut rings = Vec::new();
    let mut stack: Vec<Coord<f64>> = Vec::with_capacity(coords.len());
    let mut seen: HashMap<Key, usize> = HashMap::default();
    for c in coords {
        if let Some(&at) = seen.get(&key(c)) {
            let mut ring: Vec<Coord<f64>> = stack.split_off(at);
            for p in &ring[1..] {
                seen.remove(&key(*p));
            }
            ring.push(c);
            if ring.len() >= 4 {
                rings.push(ring);
            }
            // The point stays on the stack as the start of what follows.
            stack.push(c);
            seen.insert(key(c), stack.len() - 1);
        } else {
            seen.insert(key(c), stack.len());
            stack.push(c);
        }
    }
    rings
}

/// Twice the signed planar area (positive counter-clockwise).
fn signed_area(ring: &LineString<f64>) -> f64 {
    let Some(first) = ring.0.first() else {
        return 0.0;
    };
    // About the first point, for precision far from the origin.
    ring.0
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0] - *first, w[1] - *first);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_bow_tie_of_two_members_splits_into_two_parts() {
        let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let b = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)];
        let Cancelled { shape, gaps, .. } = cancel_edges(&[&a, &b]).expect("a coverage");
        assert_eq!(shape.0.len(), 2);
        assert!(gaps.is_empty());
    }

    #[test]
    fn clockwise_outer_rings_dissolve_as_well() {
        // Two squares sharing an edge, drawn clockwise (as Amap's outlines are).
        let a = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)];
        let b = polygon![(x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 0.0)];
        let shape = cancel_edges(&[&a, &b]).expect("a coverage").shape;
        assert_eq!(shape.0.len(), 1);
        assert_eq!(shape.0[0].exterior().0.len(), 7, "six vertices, closed");
    }

    #[test]
    fn edges_whose_digests_collide_cancel_the_same() {
        // Every digest the same: each edge but the first waits in the spill table.
        let collide: fn(Key, Key) -> u64 = |_, _| 7;
        let square = |x: f64, y: f64| polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)];
        // A 3 × 3 block with its middle missing: a gap, a hole of the union.
        let ring: Vec<Polygon<f64>> = (0..9)
            .filter(|&k| k != 4)
            .map(|k| square(f64::from(k % 3), f64::from(k / 3)))
            .collect();
        let refs: Vec<&Polygon<f64>> = ring.iter().collect();
        let plain = cancel_edges(&refs).expect("a coverage");
        let spilled = cancel_edges_with(&refs, collide).expect("a coverage");
        assert_eq!(plain.shape, spilled.shape);
        assert_eq!(plain.gaps, spilled.gaps);
        assert_eq!(spilled.shape.0.len(), 1);
        assert_eq!(spilled.gaps.len(), 1);
        assert_eq!(plain.shared, spilled.shared);
        // The same edge twice the same way is found in the spill table too.
        let edge = |x: f64| Edge {
            a: Coord { x, y: 0.0 },
            b: Coord { x, y: 1.0 },
            outer: true,
            polygon: 0,
        };
        let edges = [edge(0.0), edge(1.0), edge(1.0), edge(2.0)];
        let alive = [true; 4];
        let mut open = Open::with_capacity(4, collide);
        assert!(open.put(&edges, &alive, 0));
        assert!(open.put(&edges, &alive, 1), "spilled");
        assert!(
            !open.put(&edges, &alive, 2),
            "its twin is waiting in the spill table"
        );
        // (A refused edge ends the cancelling; start again.)
        let mut open = Open::with_capacity(4, collide);
        assert!(open.put(&edges, &alive, 0));
        assert!(open.put(&edges, &alive, 1));
        let (a, b) = (key(edges[1].a), key(edges[1].b));
        assert_eq!(open.take(&edges, a, b), Some(1));
        assert_eq!(open.take(&edges, a, b), None);
        assert!(open.put(&edges, &alive, 3));
    }

    #[test]
    fn overlapping_members_are_not_a_coverage() {
        let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let b = polygon![(x: 0.5, y: 0.0), (x: 1.5, y: 0.0), (x: 1.5, y: 1.0), (x: 0.5, y: 1.0)];
        assert!(cancel_edges(&[&a, &b]).is_none());
    }
}
