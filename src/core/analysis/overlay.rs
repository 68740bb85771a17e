//! Intersections of polygonal features, made cheap by clipping to a window first.
//!
//! Intersecting a 100,000-vertex city with each of its counties pair by pair costs about 10 s
//! for China. Most of that work is on the parts of the city far from the county. We clip both
//! shapes to the overlap of their bounding boxes (Sutherland–Hodgman, linear time), answer the
//! common cases from the clipped shapes alone (one of them fills the whole window), and run
//! the general boolean intersection only on what is left.

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};

use std::borrow::Cow;

use crate::core::measure::{Area, densify_polygon, geodesic_area};

/// Edges longer than this (metres) are split along their geodesic before an overlay.
pub const OVERLAY_DENSIFY_M: f64 = 500.0;

/// The intersection of two polygonal shapes.
#[derive(Clone, Debug)]
pub struct Intersection {
    pub area: Area,
    pub geometry: MultiPolygon<f64>,
}

impl Default for Intersection {
    fn default() -> Self {
        Intersection {
            area: Area::default(),
            geometry: MultiPolygon(Vec::new()),
        }
    }
}

/// Intersects `a` and `b` (lon/lat). Either winding is accepted.
pub fn intersect(a: &[&Polygon<f64>], b: &[&Polygon<f64>]) -> Intersection {
    intersect_measured(a, None, b, None)
}

/// As [`intersect`], with the geodesic areas of `a` and `b` when the caller knows them, so that
/// an intersection that is all of one of them is not measured again.
pub fn intersect_measured(
    a: &[&Polygon<f64>],
    area_a: Option<Area>,
    b: &[&Polygon<f64>],
    area_b: Option<Area>,
) -> Intersection {
    // Densify first: a long geodesic edge bulges poleward out of its endpoints' box.
    let (a, b) = (densified(a), densified(b));
    let (a, b): (Vec<&Polygon<f64>>, Vec<&Polygon<f64>>) = (
        a.iter().map(|p| p.as_ref()).collect(),
        b.iter().map(|p| p.as_ref()).collect(),
    );
    intersect_densified(&a, area_a, &b, area_b)
}

/// As [`intersect_measured`], for shapes already passed through [`densified`].
pub fn intersect_densified(
    a: &[&Polygon<f64>],
    area_a: Option<Area>,
    b: &[&Polygon<f64>],
    area_b: Option<Area>,
) -> Intersection {
    let (Some(ra), Some(rb)) = (bounds(a), bounds(b)) else {
        return Intersection::default();
    };
    let Some(mut window) = rect_intersection(&ra, &rb) else {
        return Intersection::default();
    };
    // Whether each shape is still whole (the window holds all of it).
    let (mut whole_a, mut whole_b) = (contains_rect(&window, &ra), contains_rect(&window, &rb));
    let mut ca = clip_polygons(a, &window);
    let mut cb = clip_polygons(b, &window);
    // Shrink the window to where both clipped shapes are, while that pays: a neighbour often
    // reaches into only a corner of a unit's box.
    for _ in 0..3 {
        let (Some(ba), Some(bb)) = (ca.bounding_rect(), cb.bounding_rect()) else {
            return Intersection::default();
        };
        let Some(smaller) = rect_intersection(&ba, &bb) else {
            return Intersection::default();
        };
        if rect_area(&smaller) > 0.9 * rect_area(&window) {
            break;
        }
        window = smaller;
        whole_a &= contains_rect(&window, &ba);
        whole_b &= contains_rect(&window, &bb);
        ca = clip_polygons(&ca.0.iter().collect::<Vec<_>>(), &window);
        cb = clip_polygons(&cb.0.iter().collect::<Vec<_>>(), &window);
    }
    if ca.0.is_empty() || cb.0.is_empty() {
        return Intersection::default();
    }
    let window_area = rect_area(&window);
    let fills = |m: &MultiPolygon<f64>| (planar_area(m) - window_area).abs() <= window_area * 1e-12;
    let measure =
        |m: &MultiPolygon<f64>| Area::from_m2(m.0.iter().map(|p| geodesic_area(p).m2).sum());
    // Most pairs are a unit deep inside its zone: the zone fills the window around the unit.
    if fills(&ca) {
        let area = match area_b {
            Some(area) if whole_b => area,
            _ => measure(&cb),
        };
        return Intersection { area, geometry: cb };
    }
    if fills(&cb) {
        let area = match area_a {
            Some(area) if whole_a => area,
            _ => measure(&ca),
        };
        return Intersection { area, geometry: ca };
    }
    let geometry = boolean(&ca, &cb, OverlayRule::Intersect);
    Intersection {
        area: measure(&geometry),
        geometry,
    }
}

/// The union of several shapes.
pub fn union_all(shapes: &[MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let mut iter = shapes.iter();
    let Some(first) = iter.next() else {
        return MultiPolygon(Vec::new());
    };
    iter.fold(first.clone(), |acc, m| boolean(&acc, m, OverlayRule::Union))
}

/// What is left of `a` once `b` is taken out.
pub fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    boolean(a, b, OverlayRule::Difference)
}

/// Cuts polygons along a line (a polyline in lon/lat); the pieces, each a polygon with its
/// holes. A line that does not cross a polygon from side to side leaves it whole.
pub fn slice(shape: &MultiPolygon<f64>, line: &[Coord<f64>]) -> MultiPolygon<f64> {
    use i_overlay::float::slice::FloatSlice;
    let line: Vec<[f64; 2]> = line.iter().map(|c| [c.x, c.y]).collect();
    let shapes = paths(shape).slice_custom_by(
        &line,
        FillRule::EvenOdd,
        kept_collinear(true),
        Default::default(),
    );
    from_shapes(shapes)
}

fn paths(m: &MultiPolygon<f64>) -> Vec<Vec<[f64; 2]>> {
    m.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| match r.0.split_last() {
            Some((_, open)) => open.iter().map(|c| [c.x, c.y]).collect(),
            None => Vec::new(),
        })
        .filter(|p: &Vec<[f64; 2]>| p.len() >= 3)
        .collect()
}

fn kept_collinear(ogc: bool) -> OverlayOptions<f64> {
    OverlayOptions {
        preserve_input_collinear: true,
        preserve_output_collinear: true,
        ogc,
        ..OverlayOptions::ogc()
    }
}

fn from_shapes(shapes: Vec<Vec<Vec<[f64; 2]>>>) -> MultiPolygon<f64> {
    let ring = |path: Vec<[f64; 2]>| {
        let mut ring: Vec<Coord<f64>> = path.into_iter().map(|[x, y]| Coord { x, y }).collect();
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        LineString(ring)
    };
    MultiPolygon(
        shapes
            .into_iter()
            .filter_map(|shape| {
                let mut rings = shape.into_iter().map(ring);
                let exterior = rings.next()?;
                Some(Polygon::new(exterior, rings.collect()))
            })
            .collect(),
    )
}

/// A boolean operation through i_overlay, keeping collinear points.
///
/// geo's `BooleanOps` drops points that are collinear in lon/lat. That is harmless in the plane
/// but not on the ellipsoid: a polygon's edges are geodesics, so removing the middle point of a
/// 5 km straight run moves the edge by about 0.3 m and the area by about 1,000 m².
fn boolean(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>, rule: OverlayRule) -> MultiPolygon<f64> {
    // OGC-valid output (no rings touching at a point) costs time that measuring an
    // intersection does not need; unions and differences, which may be kept and saved, get it.
    let options = kept_collinear(rule != OverlayRule::Intersect);
    let shapes =
        FloatOverlay::with_subj_and_clip_custom(&paths(a), &paths(b), options, Default::default())
            .overlay(rule, FillRule::EvenOdd);
    from_shapes(shapes)
}

/// The polygons with long edges split along their geodesics (see [`OVERLAY_DENSIFY_M`]).
pub fn densified<'a>(polygons: &[&'a Polygon<f64>]) -> Vec<Cow<'a, Polygon<f64>>> {
    polygons
        .iter()
        .map(|p| match densify_polygon(p, OVERLAY_DENSIFY_M) {
            Some(d) => Cow::Owned(d),
            None => Cow::Borrowed(*p),
        })
        .collect()
}

/// Bounding box of several polygons.
pub fn bounds(polygons: &[&Polygon<f64>]) -> Option<Rect<f64>> {
    polygons
        .iter()
        .filter_map(|p| p.bounding_rect())
        .reduce(|a, b| crate::core::model::merge_rects(&a, &b))
}

fn rect_intersection(a: &Rect<f64>, b: &Rect<f64>) -> Option<Rect<f64>> {
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

fn rect_area(r: &Rect<f64>) -> f64 {
    r.width() * r.height()
}

/// Signed planar area in degrees², holes subtracted; only for comparing with a window.
fn planar_area(m: &MultiPolygon<f64>) -> f64 {
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
    let mut out = Vec::with_capacity(polygons.len());
    for p in polygons {
        let Some(r) = p.bounding_rect() else { continue };
        if rect_intersection(&r, window).is_none() {
            continue;
        }
        if contains_rect(window, &r) {
            out.push((*p).clone());
            continue;
        }
        let exterior = clip_ring(&p.exterior().0, window);
        if exterior.len() < 4 {
            continue;
        }
        let interiors = p
            .interiors()
            .iter()
            .map(|h| clip_ring(&h.0, window))
            .filter(|h| h.len() >= 4)
            .map(LineString)
            .collect();
        out.push(Polygon::new(LineString(exterior), interiors));
    }
    MultiPolygon(out)
}

fn contains_rect(outer: &Rect<f64>, inner: &Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && outer.max().x >= inner.max().x
        && outer.max().y >= inner.max().y
}

/// Signed distance of a point inside one edge of the window (`>= 0` inside).
type Side = fn(&Coord<f64>, f64) -> f64;

/// Sutherland–Hodgman clipping of a closed ring to a rectangle; the result is closed, or empty.
fn clip_ring(ring: &[Coord<f64>], r: &Rect<f64>) -> Vec<Coord<f64>> {
    let (min, max) = (r.min(), r.max());
    let open = match ring.split_last() {
        Some((last, rest)) if Some(last) == ring.first() => rest,
        _ => ring,
    };
    // A run of vertices all beyond one edge of the window (say, all left of it) clips to
    // nothing but its entry and exit, and so does the chord from its first vertex to its last,
    // which stays in the same half-plane. Keeping only those two makes clipping a large zone
    // to a small unit's box cost one cheap pass over the zone instead of four.
    let outcode = |p: &Coord<f64>| -> u8 {
        u8::from(p.x < min.x)
            | u8::from(p.x > max.x) << 1
            | u8::from(p.y < min.y) << 2
            | u8::from(p.y > max.y) << 3
    };
    let mut points: Vec<Coord<f64>> = Vec::with_capacity(64);
    let mut i = 0;
    while i < open.len() {
        let mut common = outcode(&open[i]);
        let mut j = i + 1;
        if common != 0 {
            while let Some(p) = open.get(j) {
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
    use approx::assert_relative_eq;
    use geo::{BooleanOps, polygon};

    fn square(x0: f64, y0: f64, size: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)]
    }

    #[test]
    fn clipped_intersection_matches_the_plain_one() {
        let a = polygon![(x: 120.0, y: 31.0), (x: 120.3, y: 31.05), (x: 120.25, y: 31.3), (x: 120.02, y: 31.2)];
        let b = square(120.1, 31.1, 0.3);
        let fast = intersect(&[&a], &[&b]);
        let dense = |p: &Polygon<f64>| densify_polygon(p, OVERLAY_DENSIFY_M).unwrap_or(p.clone());
        let plain: f64 = dense(&a)
            .intersection(&dense(&b))
            .0
            .iter()
            .map(|p| geodesic_area(p).m2)
            .sum();
        assert!(plain > 0.0);
        assert_relative_eq!(fast.area.m2, plain, max_relative = 1e-8);
    }

    #[test]
    fn a_zone_filling_the_window_gives_the_whole_unit() {
        let zone = square(120.0, 31.0, 1.0);
        let unit = polygon![(x: 120.2, y: 31.2), (x: 120.4, y: 31.2), (x: 120.3, y: 31.4)];
        let i = intersect(&[&zone], &[&unit]);
        assert_relative_eq!(i.area.m2, geodesic_area(&unit).m2, max_relative = 1e-7);
    }

    #[test]
    fn holes_are_not_covered() {
        let mut zone = square(120.0, 31.0, 1.0);
        zone.interiors_push(square(120.4, 31.4, 0.2).exterior().clone());
        let unit = square(120.3, 31.3, 0.4);
        let i = intersect(&[&zone], &[&unit]);
        let hole = geodesic_area(&square(120.4, 31.4, 0.2)).m2;
        assert_relative_eq!(
            i.area.m2,
            geodesic_area(&unit).m2 - hole,
            max_relative = 1e-7
        );
    }

    #[test]
    fn touching_shapes_have_no_overlap() {
        let i = intersect(&[&square(0.0, 0.0, 1.0)], &[&square(1.0, 0.0, 1.0)]);
        assert_eq!(i.area.m2, 0.0);
    }
}
