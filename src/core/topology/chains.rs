//! The pairs of edges whose boxes meet, found through x-monotone chains.
//!
//! A ring's consecutive edges that all run east (or all run west) form a chain. Two edges of
//! one chain cover x-ranges that follow each other, so they can meet only as neighbours, at
//! their shared vertex, and never turn back along each other there (both run the same way).
//! A sweep over the chains' boxes, then a walk along both chains of each pair whose boxes
//! meet, finds every other pair of edges whose boxes meet, without sorting the edges one by
//! one: the counties' rings make chains of 9.4 edges on average.
//!
//! This is the "monotone chain" sweep of JTS's and GEOS's noding (`MonotoneChainBuilder`),
//! there in both x and y; x alone is enough here, as the edges are walked in x order.

use geo::Coord;

use super::west::{ordered_bits, west_order};

/// One edge of a ring, with its extent and its place (ring id, index in the ring).
#[derive(Clone, Copy)]
pub(super) struct Segment {
    pub(super) a: Coord<f64>,
    pub(super) b: Coord<f64>,
    pub(super) min_x: f64,
    pub(super) max_x: f64,
    pub(super) min_y: f64,
    pub(super) max_y: f64,
    pub(super) ring: u32,
    pub(super) index: u32,
}

impl Segment {
    /// The edge from `a` to `b`, at `index` in ring `ring`.
    pub(super) fn new(a: Coord<f64>, b: Coord<f64>, ring: u32, index: u32) -> Segment {
        Segment {
            a,
            b,
            min_x: a.x.min(b.x),
            max_x: a.x.max(b.x),
            min_y: a.y.min(b.y),
            max_y: a.y.max(b.y),
            ring,
            index,
        }
    }
}

/// Consecutive edges of one ring, `segments[start..end]`, all running east (`east`) or all
/// west, or one edge running north or south alone; with the box they span.
#[derive(Clone, Copy, Debug)]
struct Chain {
    start: u32,
    end: u32,
    east: bool,
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

impl Chain {
    fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Index in `segments` of the chain's `k`th edge from the west.
    #[inline]
    fn at(&self, k: usize) -> usize {
        if self.east {
            self.start as usize + k
        } else {
            self.end as usize - 1 - k
        }
    }
}

/// The chains of `segments`, which hold each ring's edges in order (as
/// `Validator::collect` makes them); a chain never spans two rings.
fn chains(segments: &[Segment]) -> Vec<Chain> {
    let mut out: Vec<Chain> = Vec::with_capacity(segments.len() / 4 + 1);
    // The way the open chain runs: 1 east, -1 west, 0 none open (or a north-south edge's).
    let mut way = 0i8;
    for (i, s) in segments.iter().enumerate() {
        let here = if s.b.x > s.a.x {
            1
        } else if s.b.x < s.a.x {
            -1
        } else {
            0
        };
        if let Some(c) = out.last_mut()
            && here != 0
            && here == way
            && segments[c.end as usize - 1].ring == s.ring
        {
            c.end += 1;
            c.min_x = c.min_x.min(s.min_x);
            c.max_x = c.max_x.max(s.max_x);
            c.min_y = c.min_y.min(s.min_y);
            c.max_y = c.max_y.max(s.max_y);
            continue;
        }
        way = here;
        out.push(Chain {
            start: i as u32,
            end: i as u32 + 1,
            east: here >= 0,
            min_x: s.min_x,
            max_x: s.max_x,
            min_y: s.min_y,
            max_y: s.max_y,
        });
    }
    out
}

/// Calls `visit(s, t)` for every pair of `segments` from different chains whose closed boxes
/// meet, each pair once, `s` the one first by west end (then by index). These are the pairs an
/// all-pairs test of boxes finds, less the neighbours within a chain.
///
/// `segments` must hold each ring's edges in order, every edge tagged with its ring.
pub(super) fn box_pairs(segments: &[Segment], mut visit: impl FnMut(&Segment, &Segment)) {
    let chains = chains(segments);
    let order = west_order(chains.iter().map(|c| c.min_x));
    for (k, &(_, i)) in order.iter().enumerate() {
        let a = &chains[i as usize];
        for &(_, j) in &order[k + 1..] {
            let b = &chains[j as usize];
            if b.min_x > a.max_x {
                break;
            }
            if b.min_y > a.max_y || b.max_y < a.min_y {
                continue;
            }
            chain_pairs(segments, a, b, &mut visit);
        }
    }
}

/// The pairs of edges, one from `a` and one from `b`, whose boxes meet.
fn chain_pairs(
    segments: &[Segment],
    a: &Chain,
    b: &Chain,
    visit: &mut impl FnMut(&Segment, &Segment),
) {
    // Both chains' edges in x order: each edge's range starts where the one before ends.
    let (lo, hi) = (a.min_x.max(b.min_x), a.max_x.min(b.max_x));
    let first = |c: &Chain| {
        // The first edge reaching `lo`.
        let mut left = 0;
        let mut right = c.len();
        while left < right {
            let mid = (left + right) / 2;
            if segments[c.at(mid)].max_x < lo {
                left = mid + 1;
            } else {
                right = mid;
            }
        }
        left
    };
    let mut j0 = first(b);
    for k in first(a)..a.len() {
        let si = a.at(k);
        let s = &segments[si];
        if s.min_x > hi {
            break;
        }
        while j0 < b.len() && segments[b.at(j0)].max_x < s.min_x {
            j0 += 1;
        }
        for m in j0..b.len() {
            let ti = b.at(m);
            let t = &segments[ti];
            if t.min_x > s.max_x {
                break;
            }
            if t.min_y > s.max_y || t.max_y < s.min_y {
                continue;
            }
            if (ordered_bits(s.min_x), si) <= (ordered_bits(t.min_x), ti) {
                visit(s, t);
            } else {
                visit(t, s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random rings on a coarse grid (so that edges touch, cross and run along each other),
    /// some with runs of north-south edges.
    fn rings(seed: u64) -> Vec<Segment> {
        let mut seed = seed;
        let mut rnd = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut out = Vec::new();
        for ring in 0..1 + rnd(4) as u32 {
            let n = 3 + rnd(40) as usize;
            let mut pts: Vec<Coord<f64>> = Vec::with_capacity(n + 1);
            for _ in 0..n {
                let x = rnd(12) as f64;
                let y = rnd(12) as f64 * 0.5;
                if pts.last() == Some(&Coord { x, y }) {
                    continue;
                }
                pts.push(Coord { x, y });
            }
            pts.push(pts[0]);
            let mut index = 0;
            for w in pts.windows(2) {
                if w[0] != w[1] {
                    out.push(Segment::new(w[0], w[1], ring, index));
                    index += 1;
                }
            }
        }
        out
    }

    #[test]
    fn chains_find_every_pair_of_meeting_boxes_but_neighbours_in_a_chain() {
        let mut visited_any = 0;
        for seed in 0..3000 {
            let segments = rings(seed);
            let key = |s: &Segment| (s.ring, s.index);
            // By every pair: the pairs whose boxes meet, less neighbours running the same way.
            let mut want = Vec::new();
            for (i, s) in segments.iter().enumerate() {
                for (j, t) in segments.iter().enumerate().skip(i + 1) {
                    let boxes_meet = t.min_x <= s.max_x
                        && s.min_x <= t.max_x
                        && t.min_y <= s.max_y
                        && s.min_y <= t.max_y;
                    // (Not `signum`, which is 1 for 0.)
                    let way = |s: &Segment| s.a.x.partial_cmp(&s.b.x);
                    let same_chain =
                        j == i + 1 && s.ring == t.ring && s.b.x != s.a.x && way(s) == way(t);
                    if boxes_meet && !same_chain {
                        let (f, g) = if (ordered_bits(s.min_x), i) <= (ordered_bits(t.min_x), j) {
                            (s, t)
                        } else {
                            (t, s)
                        };
                        want.push((key(f), key(g)));
                    }
                }
            }
            let mut got = Vec::new();
            box_pairs(&segments, |s, t| got.push((key(s), key(t))));
            want.sort_unstable();
            got.sort_unstable();
            if got != want {
                let missing: Vec<_> = want.iter().filter(|p| !got.contains(p)).collect();
                let extra: Vec<_> = got.iter().filter(|p| !want.contains(p)).collect();
                panic!("seed {seed}: missing {missing:?}, extra {extra:?}");
            }
            visited_any += got.len();
        }
        assert!(visited_any > 100_000, "{visited_any}");
    }
}
