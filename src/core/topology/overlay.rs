//! Boolean operations on polygonal features (intersection, union, difference, cut), on the
//! outlines as drawn, and made cheap by clipping to a window first.
//!
//! **Topology is decided on the coordinates**: an edge is the straight line between its two
//! vertices in lon/lat, as RFC 7946 §3.1.1, GEOS, QGIS and PostGIS geometry take it, so a zone
//! drawn along the towns' outer edges covers them exactly, whatever the length of its edges.
//! The pieces are then measured geodesically ([`geodesic_area`]), each edge of a piece taken as
//! a geodesic between its ends, as every other area is.
//!
//! Intersecting a 100,000-vertex city with each of its counties pair by pair costs about 10 s
//! for China. Most of that work is on the parts of the city far from the county. We clip both
//! shapes to the overlap of their bounding boxes (Sutherland–Hodgman, linear time), answer the
//! common cases from the clipped shapes alone (one of them fills the whole window), and run
//! the general boolean intersection only on what is left.
//!
//! The general operations run in i_overlay, on integer coordinates fitted to the operands'
//! extent (about 1e-10° here). Every output vertex that came from an input gets that input's
//! exact coordinates back, so vertices that no operation moved come out bit for bit as they
//! went in; where edges cross, the operation's vertex is where the straight lines cross, as
//! GEOS puts it (see `overlay_exact`).

use rustc_hash::FxHashMap as HashMap;

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::ShapeType;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use i_overlay::i_float::adapter::FloatPointAdapter;

use crate::core::measure::{Area, geodesic_area, plane_measures_m};
pub use crate::core::topology::clip::{bounds, clip_polygons};
use crate::core::topology::clip::{
    clip_polygons_along, contains_rect, planar_area, rect_area, rect_intersection,
};
use crate::core::topology::relate;
use crate::core::topology::runs::EdgeRuns;
use crate::core::topology::snap::{SnapStats, SnapTarget};

/// The intersection of two polygonal shapes.
#[derive(Clone, Debug)]
pub struct Intersection {
    /// Geodesic area of the intersection.
    pub area: Area,
    /// The intersection itself, lon/lat; empty when the shapes do not meet.
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

/// Intersects `a` and `b` (lon/lat, each a set of non-overlapping polygons, outer rings
/// counter-clockwise as the loader leaves them).
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
    intersect_snapped(a, area_a, b, area_b, 0.0).0
}

/// What snapping did to one overlay: the vertices of the first shape it moved onto the second
/// (or put into its edges), and the overlap's area before and after. Listed, never counted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnapNote {
    /// Vertices moved and inserted, and the longest move.
    pub stats: SnapStats,
    /// The overlap without snapping, m².
    pub raw: Area,
    /// The overlap with snapping, m² (what the figures use).
    pub snapped: Area,
}

/// As [`intersect_measured`], with `a`'s boundary snapped onto `b`'s where they are within
/// `snap_m` metres (see [`crate::core::topology::snap`]), so that boundaries from different
/// sources that should coincide leave no sliver. Snapping is tried only where the plain
/// overlay leaves a sliver that thin (a piece, or what is left of a whole shape, narrower than
/// twice the tolerance on average); aligned boundaries cost nothing more.
pub fn intersect_snapped(
    a: &[&Polygon<f64>],
    area_a: Option<Area>,
    b: &[&Polygon<f64>],
    area_b: Option<Area>,
    snap_m: f64,
) -> (Intersection, Option<SnapNote>) {
    let known = |polygons, area| Known {
        polygons,
        area,
        extent: None,
        edges: None,
    };
    intersect_known(known(a, area_a), known(b, area_b), snap_m)
}

/// One operand of [`intersect_known`]: its polygons, and what is known of them beforehand.
#[derive(Clone, Copy)]
pub(crate) struct Known<'a> {
    /// The polygons, lon/lat, outer rings counter-clockwise.
    pub polygons: &'a [&'a Polygon<f64>],
    /// Their geodesic area.
    pub area: Option<Area>,
    /// Their extent.
    pub extent: Option<Rect<f64>>,
    /// Their edges in runs, for a shape intersected with many others.
    pub edges: Option<&'a EdgeRuns>,
}

/// As [`intersect_snapped`], with what is known of each operand beforehand.
pub(crate) fn intersect_known(
    known_a: Known,
    known_b: Known,
    snap_m: f64,
) -> (Intersection, Option<SnapNote>) {
    let (a, area_a, b, area_b) = (
        known_a.polygons,
        known_a.area,
        known_b.polygons,
        known_b.area,
    );
    let none = || (Intersection::default(), None);
    let (Some(ra), Some(rb)) = (
        known_a.extent.or_else(|| bounds(a)),
        known_b.extent.or_else(|| bounds(b)),
    ) else {
        return none();
    };
    let Some(mut window) = rect_intersection(&ra, &rb) else {
        return none();
    };
    // Whether each shape is still whole (the window holds all of it).
    let (mut whole_a, mut whole_b) = (contains_rect(&window, &ra), contains_rect(&window, &rb));
    // A unit inside its zone, or on its edge sharing part of its boundary with it, or wholly
    // outside a neighbour, is found so from the boundaries alone (see `relate`).
    let related = || {
        // The shape more likely to lie whole inside the other.
        let b_inner = whole_b || (!whole_a && rect_area(&rb) <= rect_area(&ra));
        let (shape, shape_box, area, other, other_box, other_edges) = if b_inner {
            (b, &rb, area_b, a, &ra, known_a.edges)
        } else {
            (a, &ra, area_a, b, &rb, known_b.edges)
        };
        let inside = relate::parts_within(shape, shape_box, other, other_box, other_edges, snap_m)?;
        let parts: Vec<Polygon<f64>> = shape
            .iter()
            .zip(&inside)
            .filter(|(_, inside)| **inside)
            .map(|(p, _)| (*p).clone())
            .collect();
        let areas: Vec<f64> = match area {
            Some(area) if parts.len() == 1 && shape.len() == 1 => vec![area.m2],
            _ => parts.iter().map(|p| geodesic_area(p).m2).collect(),
        };
        Some((MultiPolygon(parts), areas))
    };
    let (geometry, piece_areas) = match related() {
        Some(found) => found,
        None => {
            let mut ca = clip_polygons_along(a, &window, known_a.edges);
            let mut cb = clip_polygons_along(b, &window, known_b.edges);
            // Shrink the window to where both clipped shapes are, while that pays: a
            // neighbour often reaches into only a corner of a unit's box.
            for _ in 0..3 {
                let (Some(ba), Some(bb)) = (ca.bounding_rect(), cb.bounding_rect()) else {
                    return none();
                };
                let Some(smaller) = rect_intersection(&ba, &bb) else {
                    return none();
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
                return none();
            }
            let window_area = rect_area(&window);
            let fills =
                |m: &MultiPolygon<f64>| (planar_area(m) - window_area).abs() <= window_area * 1e-12;
            let measure = |m: &MultiPolygon<f64>| {
                Area::from_m2(m.0.iter().map(|p| geodesic_area(p).m2).sum())
            };
            // A zone that fills the window around a unit whole in it holds all of it. (Only
            // when that unit is whole in the window: cutting it along the window's edge would
            // make nodes that belong on geodesics, which the general path puts there.)
            if whole_b && fills(&ca) {
                let area = area_b.unwrap_or_else(|| measure(&cb));
                return (Intersection { area, geometry: cb }, None);
            }
            if whole_a && fills(&cb) {
                let area = area_a.unwrap_or_else(|| measure(&ca));
                return (Intersection { area, geometry: ca }, None);
            }
            let geometry = boolean(&ca, &cb, OverlayRule::Intersect, false);
            // A unit on its zone's edge often comes out whole, vertex for vertex: its area
            // is known.
            let known = |whole: bool, area: Option<Area>, operand: &MultiPolygon<f64>| {
                area.filter(|_| whole && geometry.0.len() == 1 && same_shape(&geometry, operand))
            };
            let areas = match known(whole_b, area_b, &cb).or(known(whole_a, area_a, &ca)) {
                Some(area) => vec![area.m2],
                None => geometry.0.iter().map(|p| geodesic_area(p).m2).collect(),
            };
            (geometry, areas)
        }
    };
    let raw = Intersection {
        area: Area::from_m2(piece_areas.iter().sum()),
        geometry,
    };
    // A shape that reaches past the window by less than the tolerance is whole as far as
    // slivers go: a zone digitised 0.9 m east of its town makes the window (the boxes'
    // overlap) miss the town's west strip, which is just the sliver to look for.
    let near = |whole: bool, r: &Rect<f64>| whole || contains_rect(&widened(&window, snap_m), r);
    if snap_m <= 0.0
        || !leaves_sliver(
            &raw,
            &piece_areas,
            [
                (a, near(whole_a, &ra), area_a),
                (b, near(whole_b, &rb), area_b),
            ],
            snap_m,
        )
    {
        return (raw, None);
    }
    // Snap on the shapes clipped to a window wider by the tolerance: clipped to the tight
    // window, a zone that overreaches a unit by half a metre and the unit's edge would both
    // be cut to the window's edge, and nothing would be left to snap.
    let wide = widened(&window, snap_m);
    let (wa, wb) = (
        clip_polygons_along(a, &wide, known_a.edges),
        clip_polygons_along(b, &wide, known_b.edges),
    );
    let target = SnapTarget::new(&wb.0.iter().collect::<Vec<_>>(), snap_m);
    let (snapped_a, stats) = target.snap(&wa.0.iter().collect::<Vec<_>>());
    if !stats.changed() {
        return (raw, None);
    }
    let geometry = boolean(&snapped_a, &wb, OverlayRule::Intersect, false);
    let snapped = Intersection {
        area: Area::from_m2(geometry.0.iter().map(|p| geodesic_area(p).m2).sum()),
        geometry,
    };
    // Snapping that changes nothing measurable (a zone overreaching a town it holds whole)
    // leaves the figure as drawn; changing it by less than the noise of shared boundaries, it
    // is not worth a note.
    let change = (snapped.area.m2 - raw.area.m2).abs();
    if change < relate::UNCHANGED_M2 {
        return (raw, None);
    }
    if change < relate::NOTED_M2 {
        return (snapped, None);
    }
    let note = SnapNote {
        stats,
        raw: raw.area,
        snapped: snapped.area,
    };
    (snapped, Some(note))
}

/// Whether two single polygons have the same rings, vertex for vertex, wherever each ring
/// starts and in whatever order the holes come.
fn same_shape(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> bool {
    let ([pa], [pb]) = (a.0.as_slice(), b.0.as_slice()) else {
        return false;
    };
    if pa.interiors().len() != pb.interiors().len()
        || !same_ring(&pa.exterior().0, &pb.exterior().0)
    {
        return false;
    }
    pa.interiors()
        .iter()
        .all(|h| pb.interiors().iter().any(|k| same_ring(&h.0, &k.0)))
}

/// Whether two closed rings have the same vertices in the same cyclic order.
fn same_ring(a: &[Coord<f64>], b: &[Coord<f64>]) -> bool {
    let open = |r: &[Coord<f64>]| match r.split_last() {
        Some((last, rest)) if r.first() == Some(last) => rest.len(),
        _ => r.len(),
    };
    let (n, m) = (open(a), open(b));
    if n != m || n == 0 {
        return n == m;
    }
    let (a, b) = (&a[..n], &b[..n]);
    b.iter()
        .enumerate()
        .filter(|(_, c)| **c == a[0])
        .any(|(start, _)| (0..n).all(|k| a[k] == b[(start + k) % n]))
}

/// The window with twice `metres` more on each side (degrees of longitude shrink with
/// latitude, so its own latitude decides how many).
fn widened(window: &Rect<f64>, metres: f64) -> Rect<f64> {
    let lat = window.center().y.to_radians();
    let dy = 2.0 * metres / 110_574.0;
    let dx = 2.0 * metres / (111_320.0 * lat.cos().max(0.01));
    Rect::new(
        Coord {
            x: window.min().x - dx,
            y: window.min().y - dy,
        },
        Coord {
            x: window.max().x + dx,
            y: window.max().y + dy,
        },
    )
}

/// One shape of an overlay as [`leaves_sliver`] weighs it: its polygons, whether it is whole
/// (or nearly) in the window, and its geodesic area if known.
type Operand<'a> = (&'a [&'a Polygon<f64>], bool, Option<Area>);

/// Whether an intersection (with the geodesic area of each of its pieces, m²) may hide slivers
/// under `snap_m`: a piece narrower than twice the tolerance on average (area under tolerance ×
/// perimeter), or a whole operand that the intersection misses by less than such a strip.
fn leaves_sliver(
    i: &Intersection,
    piece_areas: &[f64],
    operands: [Operand; 2],
    snap_m: f64,
) -> bool {
    let thin = |area_m2: f64, perimeter_m: f64| area_m2 < snap_m * perimeter_m;
    if i.geometry
        .0
        .iter()
        .zip(piece_areas)
        .any(|(p, &area)| thin(area, perimeter_m(p)))
    {
        return true;
    }
    operands.iter().any(|(shape, whole, area)| {
        let Some(area) = area.filter(|_| *whole) else {
            return false;
        };
        let left = area.m2 - i.area.m2;
        left > 1e-6 * area.m2.max(1.0) && thin(left, shape.iter().map(|p| perimeter_m(p)).sum())
    })
}

/// A polygon's perimeter in metres, near enough to judge a sliver (local plane).
fn perimeter_m(p: &Polygon<f64>) -> f64 {
    plane_measures_m(p).1
}

/// The part of `a` that lies in any of `others` (land in two of them counted once), in one
/// operation, so that the nodes where their edges cross `a`'s are made once, from the
/// outlines as drawn.
///
/// With `snap_m` above zero, each of `others` is first snapped onto `a` (see
/// [`intersect_snapped`]).
pub fn covered_by(a: &[&Polygon<f64>], others: &[Vec<&Polygon<f64>>], snap_m: f64) -> Intersection {
    let Some(window) = bounds(a) else {
        return Intersection::default();
    };
    let target = (snap_m > 0.0).then(|| SnapTarget::new(a, snap_m));
    let clip: Vec<Vec<Coord<f64>>> = others
        .iter()
        .flat_map(|o| {
            let clipped = clip_polygons(o, &window);
            let shape = match &target {
                Some(t) => t.snap(&clipped.0.iter().collect::<Vec<_>>()).0,
                None => clipped,
            };
            rings_of(&shape)
        })
        .collect();
    if clip.is_empty() {
        return Intersection::default();
    }
    let subject: Vec<Vec<Coord<f64>>> = a
        .iter()
        .flat_map(|p| rings_of(&MultiPolygon(vec![(*p).clone()])))
        .collect();
    let geometry = overlay_exact(
        &subject,
        &clip,
        OverlayRule::Intersect,
        FillRule::NonZero,
        false,
    );
    Intersection {
        area: Area::from_m2(geometry.0.iter().map(|p| geodesic_area(p).m2).sum()),
        geometry,
    }
}

/// The union of several shapes, in one pass (each shape's outer rings counter-clockwise and
/// holes clockwise, as the loader and every operation here leave them).
pub fn union_all(shapes: &[MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let subject: Vec<Vec<Coord<f64>>> = shapes.iter().flat_map(rings_of).collect();
    if subject.is_empty() {
        return MultiPolygon(Vec::new());
    }
    overlay_exact(&subject, &[], OverlayRule::Subject, FillRule::NonZero, true)
}

/// What is left of `a` once `b` is taken out.
pub fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    boolean(a, b, OverlayRule::Difference, true)
}

/// Cuts polygons along a line (a polyline in lon/lat); the pieces, each a polygon with its
/// holes. A line that does not cross a polygon from side to side leaves it whole. Every vertex
/// of the polygons keeps its exact coordinates (as every overlay here does), even one the cut
/// found straight between its neighbours; the cut points lie where the line crosses the edges,
/// on i_overlay's integer grid.
pub fn slice(shape: &MultiPolygon<f64>, cut: &[Coord<f64>]) -> MultiPolygon<f64> {
    use i_overlay::float::string_overlay::FloatStringOverlay;
    use i_overlay::string::rule::StringRule;
    let rings = rings_of(shape);
    let line: Vec<[f64; 2]> = cut.iter().map(|c| [c.x, c.y]).collect();
    let points: Vec<[f64; 2]> = rings
        .iter()
        .flatten()
        .map(|c| [c.x, c.y])
        .chain(line.iter().copied())
        .collect();
    let adapter: FloatPointAdapter<[f64; 2], i32> = FloatPointAdapter::with_iter(points.iter());
    let mut overlay = FloatStringOverlay::with_adapter(adapter.clone(), points.len());
    for r in &rings {
        let path: Vec<[f64; 2]> = r.iter().map(|c| [c.x, c.y]).collect();
        overlay = overlay.unsafe_add_shape_contour(&path);
    }
    overlay = overlay.unsafe_add_string_line(&line);
    let shapes = overlay
        .build_graph_view(FillRule::EvenOdd)
        .map(|graph| graph.extract_shapes_custom(StringRule::Slice, kept_collinear(true)))
        .unwrap_or_default();
    let mut pieces = restored(shapes, &adapter, rings.iter().flatten().chain(cut));
    with_straight_vertices(&mut pieces, shape, points);
    pieces
}

/// Puts back the shape's vertices that lie on a piece's edge between its ends: the cut drops a
/// vertex that lies on the straight line (in lon/lat) between its neighbours, but each edge is
/// a geodesic, so such a vertex still shapes the boundary (on a 0.5° edge along a parallel, the
/// geodesic through its ends bulges 314,612 m² north of the parallel's), and without it the
/// pieces no longer add up to the shape. A vertex counts as on an edge within 2e-9 of the
/// shape's extent (the cut's integer grid is about half that), and goes back with its exact
/// coordinates (`vertices`: the shape's, and the line's).
fn with_straight_vertices(
    pieces: &mut MultiPolygon<f64>,
    whole: &MultiPolygon<f64>,
    vertices: Vec<[f64; 2]>,
) {
    use rstar::{AABB, RTree};
    let Some(extent) = whole.bounding_rect() else {
        return;
    };
    let tolerance = 2e-9 * extent.width().max(extent.height());
    let vertices = RTree::bulk_load(vertices);
    let put_back = |ring: &mut LineString<f64>| {
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
        for w in ring.0.windows(2) {
            let (p, q) = (w[0], w[1]);
            out.push(p);
            let (dx, dy) = (q.x - p.x, q.y - p.y);
            // A zero-length edge (none in valid output) gives NaN, and takes no vertex.
            let len2 = dx * dx + dy * dy;
            let envelope = AABB::from_corners(
                [p.x.min(q.x) - tolerance, p.y.min(q.y) - tolerance],
                [p.x.max(q.x) + tolerance, p.y.max(q.y) + tolerance],
            );
            let mut between: Vec<(f64, Coord<f64>)> = vertices
                .locate_in_envelope(&envelope)
                .map(|&[x, y]| Coord { x, y })
                .filter(|&v| v != p && v != q)
                .filter_map(|v| {
                    let t = ((v.x - p.x) * dx + (v.y - p.y) * dy) / len2;
                    let off = ((v.x - p.x) * dy - (v.y - p.y) * dx).abs() / len2.sqrt();
                    (t > 0.0 && t < 1.0 && off <= tolerance).then_some((t, v))
                })
                .collect();
            between.sort_by(|a, b| a.0.total_cmp(&b.0));
            between.dedup_by(|a, b| a.1 == b.1);
            out.extend(between.into_iter().map(|(_, v)| v));
        }
        out.extend(ring.0.last());
        ring.0 = out;
    };
    for p in &mut pieces.0 {
        p.exterior_mut(put_back);
        p.interiors_mut(|holes| holes.iter_mut().for_each(put_back));
    }
}

/// Every ring of a shape, open (without the closing point).
fn rings_of(m: &MultiPolygon<f64>) -> Vec<Vec<Coord<f64>>> {
    m.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| match r.0.split_last() {
            Some((_, open)) => open.to_vec(),
            None => Vec::new(),
        })
        .filter(|r| r.len() >= 3)
        .collect()
}

fn kept_collinear(ogc: bool) -> OverlayOptions<f64> {
    let mut options = OverlayOptions::ogc();
    options.preserve_input_collinear = true;
    options.preserve_output_collinear = true;
    options.ogc = ogc;
    options
}

/// A boolean operation through i_overlay, keeping collinear points (see [`overlay_exact`]).
///
/// geo's `BooleanOps` drops points that are collinear in lon/lat. That is harmless in the plane
/// but not on the ellipsoid: a polygon's edges are geodesics, so removing the middle point of a
/// 5 km straight run moves the edge by about 0.3 m and the area by about 1,000 m².
fn boolean(
    a: &MultiPolygon<f64>,
    b: &MultiPolygon<f64>,
    rule: OverlayRule,
    ogc: bool,
) -> MultiPolygon<f64> {
    overlay_exact(&rings_of(a), &rings_of(b), rule, FillRule::EvenOdd, ogc)
}

/// Runs one i_overlay operation on open rings, then: every output vertex that is an input
/// vertex (on i_overlay's integer grid, about 1e-10 of the extent) gets that input's exact
/// coordinates back; a vertex the operation made where edges cross stays where the straight
/// lines cross (as GEOS puts it), unless nothing turns there (it lies on the straight line
/// between its neighbours), when it is dropped, so that an edge the operation did not change
/// keeps exactly its two ends (and its geodesic). With `ogc`, the output is OGC-valid (no
/// ring touching itself), as results that are kept must be; measuring an area does not need
/// it.
pub(crate) fn overlay_exact(
    subject: &[Vec<Coord<f64>>],
    clip: &[Vec<Coord<f64>>],
    rule: OverlayRule,
    fill: FillRule,
    ogc: bool,
) -> MultiPolygon<f64> {
    let inputs = || subject.iter().chain(clip);
    let points: Vec<[f64; 2]> = inputs().flatten().map(|c| [c.x, c.y]).collect();
    let adapter: FloatPointAdapter<[f64; 2], i32> = FloatPointAdapter::with_iter(points.iter());
    let mut overlay = FloatOverlay::new_custom(
        adapter.clone(),
        kept_collinear(ogc),
        Default::default(),
        points.len(),
    );
    for (rings, kind) in [(subject, ShapeType::Subject), (clip, ShapeType::Clip)] {
        for r in rings {
            let path: Vec<[f64; 2]> = r.iter().map(|c| [c.x, c.y]).collect();
            overlay = overlay.unsafe_add_contour(&path, kind);
        }
    }
    let shapes = overlay.overlay(rule, fill);
    restored(shapes, &adapter, inputs().flatten())
}

/// i_overlay's shapes as polygons, each output vertex that is an input vertex (on the
/// adapter's integer grid) given that input's exact coordinates back, and the made nodes that
/// lie on the straight line between their neighbours dropped (see [`overlay_exact`]).
fn restored<'a>(
    shapes: Vec<Vec<Vec<[f64; 2]>>>,
    adapter: &FloatPointAdapter<[f64; 2], i32>,
    inputs: impl Iterator<Item = &'a Coord<f64>>,
) -> MultiPolygon<f64> {
    let mut originals: HashMap<(i32, i32), Coord<f64>> = HashMap::default();
    for c in inputs {
        let p = adapter.float_to_int(&[c.x, c.y]);
        originals.entry((p.x, p.y)).or_insert(*c);
    }
    let ring = |path: Vec<[f64; 2]>| -> Vec<Coord<f64>> {
        let placed: Vec<(Coord<f64>, bool)> = path
            .into_iter()
            .map(|[x, y]| {
                let p = adapter.float_to_int(&[x, y]);
                match originals.get(&(p.x, p.y)) {
                    Some(o) => (*o, true),
                    None => (Coord { x, y }, false),
                }
            })
            .collect();
        let mut open = without_straight_nodes(placed);
        if let Some(&first) = open.first() {
            open.push(first);
        }
        open
    };
    MultiPolygon(
        shapes
            .into_iter()
            .filter_map(|shape| {
                let mut rings = shape.into_iter().map(ring).filter(|r| r.len() >= 4);
                let exterior = rings.next()?;
                Some(Polygon::new(
                    LineString(exterior),
                    rings.map(LineString).collect(),
                ))
            })
            .collect(),
    )
}

/// The ring (open, each point marked whether it was an input vertex) without the made nodes
/// that lie on the straight line between their neighbours.
fn without_straight_nodes(mut ring: Vec<(Coord<f64>, bool)>) -> Vec<Coord<f64>> {
    // Within a tenth of a millimetre of the line: above the overlay's grid, below anything drawn.
    const ON_LINE_DEG: f64 = 1e-9;
    let mut i = 0;
    while ring.len() > 3 && i < ring.len() {
        let n = ring.len();
        let (c, input) = ring[i];
        if !input {
            let p = ring[(i + n - 1) % n].0;
            let q = ring[(i + 1) % n].0;
            let (dx, dy) = (q.x - p.x, q.y - p.y);
            let len = dx.hypot(dy);
            let across = (dx * (c.y - p.y) - dy * (c.x - p.x)).abs();
            let along = (c.x - p.x) * dx + (c.y - p.y) * dy;
            if len > 0.0 && across <= ON_LINE_DEG * len && along > 0.0 && along < len * len {
                ring.remove(i);
                i = i.saturating_sub(1);
                continue;
            }
        }
        i += 1;
    }
    ring.into_iter().map(|(c, _)| c).collect()
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
        let plain: f64 = a
            .intersection(&b)
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
