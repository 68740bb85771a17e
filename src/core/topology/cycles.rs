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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
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
