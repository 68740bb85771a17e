//! Whether the rings of a polygon that touch at points cut its interior in pieces.
//!
//! Take the rings and the points where they touch as the nodes of a graph, each touch linking
//! its two rings to its point. The interior is connected exactly when that graph has no cycle
//! (the test GEOS's and JTS's `PolygonRing` make): two rings touching at two points, or a chain
//! of holes, each touching the next, from the shell back to the shell, enclose a piece of the
//! interior; three rings meeting at one point do not.

use geo::Coord;
use rustc_hash::{FxHashMap, FxHashSet};

/// The touches that close a cycle, each as its second ring and its point, from touches
/// `(ring, ring, point)` taken in the order given (rings by any numbering). Touches must be
/// between rings whose boundaries do not cross. Repeating a touch adds nothing.
pub(super) fn cycle_closers(
    touches: impl IntoIterator<Item = (u32, u32, Coord<f64>)>,
) -> Vec<(u32, Coord<f64>)> {
    // Nodes: rings, then points, numbered as they come.
    let mut rings: FxHashMap<u32, usize> = FxHashMap::default();
    let mut points: FxHashMap<[u64; 2], usize> = FxHashMap::default();
    let mut parent: Vec<usize> = Vec::new();
    let mut linked: FxHashSet<(usize, usize)> = FxHashSet::default();
    // A new node, its own root.
    let node = |parent: &mut Vec<usize>| {
        parent.push(parent.len());
        parent.len() - 1
    };
    let root = |parent: &mut Vec<usize>, mut n: usize| {
        while parent[n] != n {
            parent[n] = parent[parent[n]];
            n = parent[n];
        }
        n
    };
    let mut closers = Vec::new();
    for (a, b, at) in touches {
        // +0.0 and -0.0 are one point.
        let key = [(at.x + 0.0).to_bits(), (at.y + 0.0).to_bits()];
        let p = *points.entry(key).or_insert_with(|| node(&mut parent));
        let mut closes = false;
        for ring in [a, b] {
            let r = *rings.entry(ring).or_insert_with(|| node(&mut parent));
            if !linked.insert((r, p)) {
                continue;
            }
            let (rr, rp) = (root(&mut parent, r), root(&mut parent, p));
            if rr == rp {
                closes = true;
            } else {
                parent[rr] = rp;
            }
        }
        if closes {
            closers.push((b, at));
        }
    }
    closers
}

/// Where pairs of rings touch at points, when the sweep first met each touch, and the ways each
/// ring leaves each point: what tells whether two rings cross there, passing through a vertex
/// both have (or a vertex of one on an edge of the other) from one side to the other, which no
/// single pair of edges shows, and whether touches cut the interior ([`cycle_closers`]).
#[derive(Default)]
pub(super) struct Meetings {
    list: Vec<Meeting>,
    /// Each meeting's place in `list`, by its rings and point (±0 as one).
    index: FxHashMap<(u32, u32, [u64; 2]), usize>,
}

struct Meeting {
    rings: (u32, u32),
    at: Coord<f64>,
    /// The least order key given for it.
    first: [u64; 4],
    /// For each ring, the other ends of its edges through `at`.
    ways: [Vec<Coord<f64>>; 2],
}

impl Meetings {
    /// Notes an edge of each of `rings` (`(from, to)`, in that order) meeting at `at`, found
    /// at `order` in the sweep.
    pub(super) fn add(
        &mut self,
        rings: (u32, u32),
        at: Coord<f64>,
        order: [u64; 4],
        edges: [[Coord<f64>; 2]; 2],
    ) {
        let key = (
            rings.0,
            rings.1,
            [(at.x + 0.0).to_bits(), (at.y + 0.0).to_bits()],
        );
        let list = &mut self.list;
        let k = *self.index.entry(key).or_insert_with(|| {
            let ways = [Vec::new(), Vec::new()];
            list.push(Meeting {
                rings,
                at,
                first: order,
                ways,
            });
            list.len() - 1
        });
        let meeting = &mut self.list[k];
        meeting.first = meeting.first.min(order);
        for (ways, edge) in meeting.ways.iter_mut().zip(edges) {
            for end in edge {
                if end != at && !ways.contains(&end) {
                    ways.push(end);
                }
            }
        }
    }

    /// Every meeting: its rings, its point and when the sweep first met it.
    pub(super) fn touches(&self) -> impl Iterator<Item = ((u32, u32), Coord<f64>, [u64; 4])> + '_ {
        self.list.iter().map(|m| (m.rings, m.at, m.first))
    }

    /// The meetings where the two rings cross: the rings and the point.
    pub(super) fn crossings(&self) -> impl Iterator<Item = ((u32, u32), Coord<f64>)> + '_ {
        self.list
            .iter()
            .filter(|m| crosses(m.at, &m.ways[0], &m.ways[1]))
            .map(|m| (m.rings, m.at))
    }
}

/// Whether a ring leaving `p` toward `a[0]` and `a[1]` and one leaving it toward `b[0]` and
/// `b[1]` cross at `p`: one of `b` strictly inside the angle turned counter-clockwise from
/// `a[0]` to `a[1]`, the other strictly outside it (exact orientations). Rings that pass `p`
/// more than once, or run along each other from it (which the edges show), are not judged.
fn crosses(p: Coord<f64>, a: &[Coord<f64>], b: &[Coord<f64>]) -> bool {
    let ([a0, a1], [b0, b1]) = (a, b) else {
        return false;
    };
    let turn = |q: Coord<f64>, r: Coord<f64>| {
        robust::orient2d(
            robust::Coord { x: p.x, y: p.y },
            robust::Coord { x: q.x, y: q.y },
            robust::Coord { x: r.x, y: r.y },
        )
    };
    let along = |q: Coord<f64>, r: Coord<f64>| {
        turn(q, r) == 0.0 && (q.x - p.x) * (r.x - p.x) + (q.y - p.y) * (r.y - p.y) > 0.0
    };
    if [b0, b1].iter().any(|x| along(**x, *a0) || along(**x, *a1)) || along(*a0, *a1) {
        return false;
    }
    let inside = |x: Coord<f64>| {
        let sector = turn(*a0, *a1);
        if sector > 0.0 {
            turn(*a0, x) > 0.0 && turn(x, *a1) > 0.0
        } else if sector < 0.0 {
            !(turn(*a1, x) >= 0.0 && turn(x, *a0) >= 0.0)
        } else {
            turn(*a0, x) > 0.0
        }
    };
    inside(*b0) != inside(*b1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn rings_cross_at_a_point_when_one_passes_from_side_to_side() {
        let p = at(0.0, 0.0);
        // Ring a turns at p from the west to the north; ring b comes from the north-west,
        // between them, and leaves to the south.
        let a = [at(-1.0, 0.0), at(0.0, 1.0)];
        assert!(crosses(p, &a, &[at(-1.0, 1.0), at(0.0, -1.0)]));
        // b from the south to the north-east: both outside a's corner, a touch.
        assert!(!crosses(p, &a, &[at(0.0, -1.0), at(1.0, 1.0)]));
        // b staying south-east of a: a touch.
        assert!(!crosses(p, &a, &[at(0.0, -1.0), at(1.0, 0.0)]));
        // b straight through p, across a's corner, the other way round too.
        assert!(crosses(p, &a, &[at(-1.0, 1.0), at(1.0, -1.0)]));
        assert!(crosses(p, &[a[1], a[0]], &[at(-1.0, 1.0), at(1.0, -1.0)]));
        // a straight through p (a vertex of b on a's edge).
        let straight = [at(-1.0, 0.0), at(1.0, 0.0)];
        assert!(crosses(p, &straight, &[at(0.0, 1.0), at(0.0, -1.0)]));
        assert!(!crosses(p, &straight, &[at(1.0, 1.0), at(-1.0, 1.0)]));
        // b along one of a's edges: left to the edges' own test.
        assert!(!crosses(p, &a, &[at(-2.0, 0.0), at(1.0, -1.0)]));
        // A ring through p twice: not judged here.
        assert!(!crosses(
            p,
            &a,
            &[at(0.0, -1.0), at(1.0, 1.0), at(2.0, 1.0)]
        ));
    }

    #[test]
    fn a_chain_of_holes_from_shell_to_shell_closes_a_cycle() {
        // Shell 0, holes 1 and 2: 0–1 at a, 1–2 at b, 2–0 at c.
        let (a, b, c) = (at(0.0, 2.0), at(2.0, 2.0), at(4.0, 2.0));
        assert_eq!(
            cycle_closers([(0, 1, a), (1, 2, b), (0, 2, c)]),
            vec![(2, c)]
        );
        // Without the last touch, no cycle.
        assert!(cycle_closers([(0, 1, a), (1, 2, b)]).is_empty());
    }

    #[test]
    fn two_touches_of_one_pair_close_a_cycle_but_three_rings_at_one_point_do_not() {
        let (p, q) = (at(1.0, 1.0), at(3.0, 1.0));
        assert_eq!(cycle_closers([(0, 1, p), (0, 1, q)]), vec![(1, q)]);
        // The same touch twice is one touch.
        assert!(cycle_closers([(0, 1, p), (0, 1, p)]).is_empty());
        // Shell and two holes all at p: a star, no cycle.
        assert!(cycle_closers([(0, 1, p), (0, 2, p), (1, 2, p)]).is_empty());
        // Then the holes touching again elsewhere: a cycle.
        assert_eq!(
            cycle_closers([(0, 1, p), (0, 2, p), (1, 2, p), (1, 2, q)]),
            vec![(2, q)]
        );
    }
}
