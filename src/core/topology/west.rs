//! Edges and rings ordered by their west ends, for the sweeps of validation and of the
//! shared-boundary test.

use geo::LineString;

/// The indices of `min_x` (each edge's west end, in the order the edges come) sorted by it,
/// in `f64::total_cmp`'s order, each with its key; equal keys keep their order. Sorting small
/// keys is much cheaper than sorting the edges themselves, and a stable radix sort
/// (`radsort`) several times faster here than a comparison sort.
pub(super) fn west_order(min_x: impl Iterator<Item = f64>) -> Vec<(u64, u32)> {
    let mut order: Vec<(u64, u32)> = min_x
        .enumerate()
        .map(|(i, x)| (ordered_bits(x), i as u32))
        .collect();
    if order.len() <= SMALL {
        // Keys with their indices are all different: the same order as the stable sort.
        order.sort_unstable();
    } else {
        radsort::sort_by_key(&mut order, |&(key, _)| key);
    }
    order
}

/// Up to this many, a comparison sort: the radix sort's eight passes over 256 counts each cost
/// more than sorting a few dozen keys.
const SMALL: usize = 64;

/// A finite f64 as a u64 whose order is the number's order.
#[inline]
pub(super) fn ordered_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Pairs (i < j) of rings whose bounding boxes meet, found by a sweep over their west ends.
pub(super) fn bbox_pairs(rings: Vec<&LineString<f64>>) -> Vec<(usize, usize)> {
    let mut boxes: Vec<(usize, [f64; 4])> = rings
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let first = r.0.first()?;
            let mut b = [first.x, first.y, first.x, first.y];
            for c in &r.0 {
                b[0] = b[0].min(c.x);
                b[1] = b[1].min(c.y);
                b[2] = b[2].max(c.x);
                b[3] = b[3].max(c.y);
            }
            Some((i, b))
        })
        .collect();
    boxes.sort_by(|a, b| a.1[0].total_cmp(&b.1[0]));
    let mut out = Vec::new();
    for (k, (i, a)) in boxes.iter().enumerate() {
        for (j, b) in &boxes[k + 1..] {
            if b[0] > a[2] {
                break;
            }
            if b[1] <= a[3] && b[3] >= a[1] {
                out.push(((*i).min(*j), (*i).max(*j)));
            }
        }
    }
    out
}
