//! Clipping polygons to a rectangle (Sutherland–Hodgman) and the rectangle arithmetic around
//! it: what makes each overlay cheap by cutting both shapes to where their boxes meet.

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};

use super::runs::{EdgeRuns, RUN, Run};
use crate::core::model::merge_rects;

/// Bounding box of several polygons.
pub fn bounds(polygons: &[&Polygon<f64>]) -> Option<Rect<f64>> {
    polygons
        .iter()
        .filter_map(|p| p.bounding_rect())
        .reduce(|a, b| crate::core::model::merge_rects(&a, &b))
}

/// Where two rectangles overlap, if they overlap with some area.
pub(crate) fn rect_intersection(a: &Rect<f64>, b: &Rect<f64>) -> Option<Rect<f64>> {
    let min = Coord {
        x: a.min().x.max(b.min().x),
        y: a.min().y.max(b.min().y),
    };
    let max = Coord {
        x: a.max().x.min(b.max().x),
        y: a.max().y.min(b.max().y),
    };
    (min.x < max.x && min.y < max.y).then(|| Rect::new(min, max))
}

/// A rectangle's planar area, degrees².
pub(crate) fn rect_area(r: &Rect<f64>) -> f64 {
    r.width() * r.height()
}

/// Signed planar area in degrees², holes subtracted; only for comparing with a window.
pub(crate) fn planar_area(m: &MultiPolygon<f64>) -> f64 {
    let ring = |l: &LineString<f64>| {
        l.0.windows(2)
            .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
            .sum::<f64>()
            .abs()
            / 2.0
    };
    m.0.iter()
        .map(|p| ring(p.exterior()) - p.interiors().iter().map(ring).sum::<f64>())
        .sum()
}

/// Clips polygons to a rectangle. Rings may come out with zero-width bridges along the
/// rectangle's edges; they enclose no area and the even-odd overlay cancels them.
pub fn clip_polygons(polygons: &[&Polygon<f64>], window: &Rect<f64>) -> MultiPolygon<f64> {
    clip_polygons_along(polygons, window, None)
}

/// As [`clip_polygons`], given the polygons' edges in runs (made from these very polygons):
/// the same result, but runs that lie wholly beyond an edge of the window are passed over
/// whole, so clipping a large zone to a small unit's box costs about its number of runs, not
/// of vertices.
pub(crate) fn clip_polygons_along(
    polygons: &[&Polygon<f64>],
    window: &Rect<f64>,
    edges: Option<&EdgeRuns>,
) -> MultiPolygon<f64> {
    // Runs made from other polygons would clip wrong: without as many rings, none are used.
    let rings: usize = polygons.iter().map(|p| 1 + p.interiors().len()).sum();
    let edges = edges.filter(|e| e.ring_count() == rings);
    let runs_of = |r: usize| edges.map_or(&[][..], |e| e.of_ring(r));
    let mut out = Vec::with_capacity(polygons.len());
    // The number of the polygon's outer ring among the rings `edges` has.
    let mut ring = 0;
    for p in polygons {
        let outer = ring;
        ring += 1 + p.interiors().len();
        let runs = runs_of(outer);
        let bounds = match runs.split_first() {
            Some((first, rest)) => {
                Some(rest.iter().fold(Rect::new(first.min, first.max), |b, run| {
                    merge_rects(&b, &Rect::new(run.min, run.max))
                }))
            }
            None => p.bounding_rect(),
        };
        let Some(r) = bounds else { continue };
        if rect_intersection(&r, window).is_none() {
            continue;
        }
        if contains_rect(window, &r) {
            out.push((*p).clone());
            continue;
        }
        let exterior = clip_ring_along(&p.exterior().0, window, runs);
        if exterior.len() < 4 {
            continue;
        }
        let interiors = p
            .interiors()
            .iter()
            .enumerate()
            .map(|(k, h)| clip_ring_along(&h.0, window, runs_of(outer + 1 + k)))
            .filter(|h| h.len() >= 4)
            .map(LineString)
            .collect();
        out.push(Polygon::new(LineString(exterior), interiors));
    }
    MultiPolygon(out)
}

/// Whether `outer` holds all of `inner`.
pub(crate) fn contains_rect(outer: &Rect<f64>, inner: &Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && outer.max().x >= inner.max().x
        && outer.max().y >= inner.max().y
}

/// Signed distance of a point inside one edge of the window (`>= 0` inside).
type Side = fn(&Coord<f64>, f64) -> f64;

/// Sutherland–Hodgman clipping of a closed ring to a rectangle; the result is closed, or empty.
pub(crate) fn clip_ring(ring: &[Coord<f64>], r: &Rect<f64>) -> Vec<Coord<f64>> {
    clip_ring_along(ring, r, &[])
}

/// As [`clip_ring`], with the ring's runs ([`EdgeRuns::of_ring`], or none): the same result.
fn clip_ring_along(ring: &[Coord<f64>], r: &Rect<f64>, runs: &[Run]) -> Vec<Coord<f64>> {
    // Runs that do not end where the ring does are another ring's: not used.
    let runs = match runs.last() {
        Some(run) if run.end as usize + 1 != ring.len() => &[],
        _ => runs,
    };
    let (min, max) = (r.min(), r.max());
    let open = match ring.split_last() {
        Some((last, rest)) if Some(last) == ring.first() => rest,
        _ => ring,
    };
    // A run of vertices all beyond one edge of the window (say, all left of it) clips to
    // nothing but its entry and exit, and so does the chord from its first vertex to its last,
    // which stays in the same half-plane. Keeping only those two makes clipping a large zone
    // to a small unit's box cost one cheap pass over the zone instead of four.
    // The edges of the window a box (from `lo` to `hi`) lies wholly beyond: for a point, the
    // box of just it; for a run's box, the AND of its points' codes.
    let code = |lo: Coord<f64>, hi: Coord<f64>| -> u8 {
        u8::from(hi.x < min.x)
            | u8::from(lo.x > max.x) << 1
            | u8::from(hi.y < min.y) << 2
            | u8::from(lo.y > max.y) << 3
    };
    let outcode = |p: &Coord<f64>| code(*p, *p);
    let run_code = |run: &Run| code(run.min, run.max);
    let mut points: Vec<Coord<f64>> = Vec::with_capacity(64);
    let mut i = 0;
    while i < open.len() {
        let mut common = outcode(&open[i]);
        let mut j = i + 1;
        if common != 0 {
            loop {
                // Whole runs beyond an edge the run of vertices so far is beyond: taking
                // them point by point would leave the same edges in common. (A run ends on
                // the next one's first point, which is then taken again: harmless, as its
                // code is in `common` already.)
                while j % RUN == 0
                    && let Some(run) = runs.get(j / RUN)
                    && run.start as usize == j
                    && run.end as usize > j
                    && common & run_code(run) != 0
                {
                    common &= run_code(run);
                    j = run.end as usize;
                }
                let Some(p) = open.get(j) else { break };
                let c = common & outcode(p);
                if c == 0 {
                    break;
                }
                common = c;
                j += 1;
            }
        }
        points.push(open[i]);
        if j - i > 1 {
            points.push(open[j - 1]);
        }
        i = j;
    }
    let mut next = Vec::with_capacity(points.len() + 8);
    // Each edge of the window: a point is inside when `side(p) >= 0`.
    let edges: [(Side, f64, bool); 4] = [
        (|p, v| p.x - v, min.x, true),
        (|p, v| v - p.x, max.x, true),
        (|p, v| p.y - v, min.y, false),
        (|p, v| v - p.y, max.y, false),
    ];
    for (side, value, vertical) in edges {
        next.clear();
        let Some(&last) = points.last() else { break };
        let mut prev = last;
        let mut prev_in = side(&prev, value) >= 0.0;
        for &p in &points {
            let p_in = side(&p, value) >= 0.0;
            if p_in != prev_in {
                next.push(cross(prev, p, value, vertical));
            }
            if p_in {
                next.push(p);
            }
            prev = p;
            prev_in = p_in;
        }
        std::mem::swap(&mut points, &mut next);
    }
    if let Some(&first) = points.first() {
        points.push(first);
    }
    points
}

/// Where segment a–b crosses the line x = v (vertical) or y = v.
fn cross(a: Coord<f64>, b: Coord<f64>, v: f64, vertical: bool) -> Coord<f64> {
    if vertical {
        let t = (v - a.x) / (b.x - a.x);
        Coord {
            x: v,
            y: a.y + t * (b.y - a.y),
        }
    } else {
        let t = (v - a.y) / (b.y - a.y);
        Coord {
            x: a.x + t * (b.x - a.x),
            y: v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wiggly ring of `n` vertices about (0, 0), radius about 1, counter-clockwise, closed:
    /// long stretches beyond any small window, and others that wander in and out of it.
    fn wiggly(n: usize, phase: f64, scale: f64) -> LineString<f64> {
        let mut points: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let t = k as f64 / n as f64 * std::f64::consts::TAU;
                let r = scale * (1.0 + 0.3 * (7.0 * t + phase).sin() + 0.05 * (91.0 * t).cos());
                Coord {
                    x: r * t.cos(),
                    y: r * t.sin(),
                }
            })
            .collect();
        points.push(points[0]);
        LineString(points)
    }

    #[test]
    fn clipping_along_runs_gives_what_clipping_point_by_point_gives() {
        // A zone of two parts, the first with a hole, with rings of every length about the run
        // length and far longer.
        let holed = Polygon::new(
            wiggly(4_000, 0.0, 1.0),
            vec![{
                let mut hole = wiggly(RUN * 3, 1.0, 0.3);
                hole.0.reverse();
                hole
            }],
        );
        let small = Polygon::new(wiggly(RUN + 1, 2.0, 0.2), vec![]);
        let tiny = Polygon::new(wiggly(3, 0.5, 0.1), vec![]);
        let shape = [&holed, &small, &tiny];
        let edges = EdgeRuns::new(&shape);
        let mut checked = 0;
        // Windows from a hundredth of the zone's width to more than all of it, all over it.
        for size in [0.01, 0.05, 0.2, 0.7, 1.5, 3.0] {
            for i in 0..=20 {
                for j in 0..=20 {
                    let (x, y) = (-1.5 + 0.15 * f64::from(i), -1.5 + 0.15 * f64::from(j));
                    let window = Rect::new(
                        Coord { x, y },
                        Coord {
                            x: x + size,
                            y: y + size * 0.8,
                        },
                    );
                    let plain = clip_polygons(&shape, &window);
                    let along = clip_polygons_along(&shape, &window, Some(&edges));
                    assert_eq!(plain, along, "window {window:?}");
                    checked += usize::from(!plain.0.is_empty());
                }
            }
        }
        // Most windows cut something: the comparison is not of empty shapes.
        assert!(checked > 1_000, "{checked}");
    }
}
