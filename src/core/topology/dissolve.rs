//! Dissolve: the features of a layer grouped by a field's value, each group one feature whose
//! outline is the union of its members' (counties into provinces; Wuxi's 75 towns and streets
//! into its 33 zones by the zone each belongs to).
//!
//! Neighbours in an administrative layer share their boundaries vertex for vertex, so most of
//! a union is cancelling edges: every edge two members share is walked once in each direction
//! (their outer rings both run counter-clockwise), and what is left, chained end to start, is the
//! union's boundary. This keeps every vertex of the remaining boundary exactly as it was (as
//! GEOS's and mapshaper's unions do) and runs in one pass over the edges. A group where that
//! does not hold (members that overlap, boundaries that miss each other by a little, a vertex
//! on one side only) is found by validating the result; it is snapped within the tolerance and
//! tried again, and failing that united by a boolean overlay (geo's `unary_union`, on the
//! coordinates as drawn).
//!
//! Gaps between members (holes of the union that were not holes of a member: land that belongs
//! to no member, such as the 1.05 km² inside 珠海市 between the Chinese counties) and overlaps
//! between members are listed with their geodesic areas; those narrower than the tolerance
//! (mean width, twice the area over the perimeter) are marked as slivers.

use rustc_hash::FxHashMap as HashMap;

use geo::{
    BoundingRect, Distance, Euclidean, Intersects, Line, LineString, MultiPolygon, Polygon, Rect,
};
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::core::measure::{geodesic_area, geodesic_area_sum, geodesic_perimeter_m};
use crate::core::topology::overlay::intersect;
use crate::core::topology::shared_edges::{Cancelled, cancel_edges};
use crate::core::topology::snap::SnapTarget;
use crate::core::{Feature, Layer, Role};

/// How to dissolve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DissolveOptions {
    /// Metres: boundaries closer than this are taken as shared where the members' edges do not
    /// match exactly, and gaps and overlaps narrower than this are slivers. 0 turns snapping off.
    pub snap_m: f64,
}

impl Default for DissolveOptions {
    fn default() -> Self {
        DissolveOptions {
            snap_m: crate::core::topology::DEFAULT_SNAP_M,
        }
    }
}

/// How a group's outline was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Shared edges cancelled: every vertex as the members had it.
    SharedEdges,
    /// Shared edges cancelled after snapping the members within the tolerance.
    Snapped,
    /// A boolean overlay of the members (they overlap or their edges do not match).
    Overlay,
}

/// One dissolved feature: the members of one value of the field.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Group {
    /// The field's value, as text (`None` for members without it).
    pub value: Option<String>,
    /// The members' ids, in the layer's order.
    pub members: Vec<String>,
    /// The union's geodesic area, m² (WGS-84).
    pub area_m2: f64,
    /// The sum of the members' geodesic areas, m², for a group united by overlay (members that
    /// overlap add up to more than the union); elsewhere the members meet only along shared
    /// edges, and this is `area_m2`.
    pub members_area_m2: f64,
    /// Polygons of the union.
    pub parts: usize,
    /// Holes of the union (member holes and gaps between members).
    pub holes: usize,
    /// Vertices of the union, each ring's closing vertex counted once.
    pub vertices: usize,
    /// How the outline was made.
    pub method: Method,
}

/// A gap between members of a group, or an overlap of two members.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Piece {
    /// The group's value.
    pub value: Option<String>,
    /// For an overlap, the two members' ids; for a gap, none.
    pub members: Vec<String>,
    /// Geodesic area, m².
    pub area_m2: f64,
    /// Its extent, lon/lat: `[west, south, east, north]`.
    pub extent: [f64; 4],
    /// Narrower than the tolerance (mean width, 2 × area / perimeter).
    pub sliver: bool,
}

/// What a dissolve made.
#[derive(Clone, Debug)]
pub struct Dissolved {
    /// One feature per value, in the order each value first appears: the field (with the
    /// members' value, a number staying a number), `name` (the value as text), `members` (the
    /// ids, an array), `member_count` and `area_km2` (geodesic) as properties.
    pub layer: Layer,
    /// The groups, in the layer's order.
    pub groups: Vec<Group>,
    /// Holes of the unions that were no member's hole: land between members.
    pub gaps: Vec<Piece>,
    /// Where two members of one group overlap.
    pub overlaps: Vec<Piece>,
    /// Features left out because they have no polygons (points, lines, no geometry).
    pub skipped: usize,
}

/// Why a layer could not be dissolved.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DissolveError {
    /// No feature has the field.
    #[error("no feature has a field {field:?}; the fields are: {}", fields.join(", "))]
    NoField {
        /// The field asked for.
        field: String,
        /// The layer's fields.
        fields: Vec<String>,
    },
    /// The layer has no polygons.
    #[error("the layer has no polygons to dissolve")]
    NoPolygons,
    /// The layer has no features at all.
    #[error("the layer has no features")]
    NoFeatures,
}

/// A group's key: whether the value is text, and the text (numbers and booleans as JSON
/// writes them), so that the number 1 and the text "1" are groups apart; `None` for a missing
/// or null value.
type Key = Option<(bool, String)>;

fn key_of(feature: &Feature, field: &str) -> Key {
    match feature.properties.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some((true, s.clone())),
        Some(v) => Some((false, v.to_string())),
    }
}

/// The value a key stands for, as the members hold it: text as text, a number as a number.
fn value_of(key: &Key) -> Value {
    match key {
        None => Value::Null,
        Some((true, text)) => Value::String(text.clone()),
        Some((false, json)) => {
            serde_json::from_str(json).unwrap_or_else(|_| Value::String(json.clone()))
        }
    }
}

/// Dissolves `layer`'s polygons by the value of `field`: one feature per value, made as the
/// module says, in parallel over the groups. Features without polygons are left out.
///
/// # Errors
/// [`DissolveError::NoFeatures`] for an empty layer; [`DissolveError::NoField`] when no
/// feature has `field`; [`DissolveError::NoPolygons`] when the layer has no polygons.
pub fn dissolve(
    layer: &Layer,
    field: &str,
    options: &DissolveOptions,
) -> Result<Dissolved, DissolveError> {
    if layer.features.is_empty() {
        return Err(DissolveError::NoFeatures);
    }
    if !layer
        .features
        .iter()
        .any(|f| f.properties.contains_key(field))
    {
        let mut fields: Vec<String> = Vec::new();
        for f in &layer.features {
            for k in f.properties.keys() {
                if !fields.contains(k) {
                    fields.push(k.clone());
                }
            }
        }
        return Err(DissolveError::NoField {
            field: field.to_owned(),
            fields,
        });
    }
    // Groups in the order their values first appear.
    let mut order: Vec<Key> = Vec::new();
    let mut members: HashMap<Key, Vec<&Feature>> = HashMap::default();
    for f in layer.features.iter().filter(|f| f.is_areal()) {
        let key = key_of(f, field);
        members
            .entry(key.clone())
            .or_insert_with(|| {
                order.push(key.clone());
                Vec::new()
            })
            .push(f);
    }
    if order.is_empty() {
        return Err(DissolveError::NoPolygons);
    }
    let results: Vec<GroupResult> = order
        .par_iter()
        .map(|key| {
            let text = key.as_ref().map(|(_, text)| text.clone());
            dissolve_group(text, &members[key], options)
        })
        .collect();
    let mut features = Vec::with_capacity(results.len());
    let mut groups = Vec::with_capacity(results.len());
    let mut gaps = Vec::new();
    let mut overlaps = Vec::new();
    for ((group, shape, g, o), key) in results.into_iter().zip(&order) {
        let mut properties = Map::new();
        properties.insert(field.to_owned(), value_of(key));
        properties.insert(
            "members".to_owned(),
            Value::Array(group.members.iter().cloned().map(Value::String).collect()),
        );
        properties.insert("member_count".to_owned(), group.members.len().into());
        if field != "name" {
            // Named by the value, so that the layer is labelled and listed by it.
            properties.insert(
                "name".to_owned(),
                group
                    .value
                    .as_ref()
                    .map_or(Value::Null, |v| Value::String(v.clone())),
            );
        }
        properties.insert(
            "area_km2".to_owned(),
            serde_json::Number::from_f64(group.area_m2 / 1e6).map_or(Value::Null, Value::Number),
        );
        let name = group.value.clone().unwrap_or_default();
        let id = if name.is_empty() {
            format!("{}", features.len())
        } else {
            name.clone()
        };
        features.push(Feature::new(
            id,
            name,
            properties,
            Some(geo::Geometry::MultiPolygon(shape)),
        ));
        groups.push(group);
        gaps.extend(g);
        overlaps.extend(o);
    }
    let mut out = Layer::new(format!("{} ({field})", layer.name), Role::Zones, features);
    out.crs = crate::core::crs::Crs::Wgs84;
    Ok(Dissolved {
        layer: out,
        groups,
        gaps,
        overlaps,
        skipped: layer.features.iter().filter(|f| !f.is_areal()).count(),
    })
}

/// A group's figures, its outline, its gaps and its overlaps.
type GroupResult = (Group, MultiPolygon<f64>, Vec<Piece>, Vec<Piece>);

fn dissolve_group(
    value: Option<String>,
    members: &[&Feature],
    options: &DissolveOptions,
) -> GroupResult {
    let polygons: Vec<&Polygon<f64>> = members.iter().flat_map(|f| f.polygons()).collect();
    let mut method = Method::SharedEdges;
    let mut outcome = cancel_edges(&polygons)
        .filter(|c| options.snap_m <= 0.0 || !near_miss(c, members, &polygons, options));
    let mut snapped: Vec<MultiPolygon<f64>> = Vec::new();
    if outcome.is_none() && options.snap_m > 0.0 {
        // Boundaries that miss each other by less than the tolerance: snap each member onto
        // the members before it (already snapped) whose extents come near, then try again.
        snapped = snap_in_turn(members, options.snap_m);
        let refs: Vec<&Polygon<f64>> = snapped.iter().flat_map(|m| m.0.iter()).collect();
        outcome = cancel_edges(&refs);
        method = Method::Snapped;
    }
    let (shape, gap_rings, overlaps) = match outcome {
        Some(c) => (c.shape, c.gaps, Vec::new()),
        None => {
            method = Method::Overlay;
            // The overlay of the snapped members, where snapping ran: the slivers it closed
            // stay closed. geo's union, which drops collinear points: a snapped member's ring
            // may run back along itself, and the exact-vertex union would keep that spike.
            let shape = if snapped.is_empty() {
                geo::unary_union(polygons.iter().copied())
            } else {
                geo::unary_union(snapped.iter().flat_map(|m| m.0.iter()))
            };
            let holes = member_holes(&polygons);
            let gaps: Vec<LineString<f64>> = shape
                .0
                .iter()
                .flat_map(|p| p.interiors())
                .filter(|h| !holes.contains(&ring_extent_bits(h)))
                .cloned()
                .collect();
            let overlaps = member_overlaps(&value, members, options.snap_m);
            (shape, gaps, overlaps)
        }
    };
    let gaps = gap_rings
        .into_iter()
        .map(|ring| {
            piece(
                value.clone(),
                Vec::new(),
                Polygon::new(ring, Vec::new()),
                options,
            )
        })
        .collect();
    let area_m2 = geodesic_area_sum(shape.0.iter()).m2;
    // Where shared edges cancelled, the members cover the union exactly once: their areas add
    // up to it (each edge's share of the area is the same in both, to rounding), and measuring
    // every member's vertices again would cost more than the union. Elsewhere they are measured.
    let members_area_m2 = if method == Method::Overlay {
        geodesic_area_sum(polygons.iter().copied()).m2
    } else {
        area_m2
    };
    let group = Group {
        value,
        members: members.iter().map(|f| f.id.clone()).collect(),
        area_m2,
        members_area_m2,
        parts: shape.0.len(),
        holes: shape.0.iter().map(|p| p.interiors().len()).sum(),
        vertices: shape
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.len().saturating_sub(1))
            .sum(),
        method,
    };
    (group, shape, gaps, overlaps)
}

/// Whether a union made by cancelling shared edges shows members that miss each other by less
/// than the tolerance, so that snapping should close the gap: a gap between members thinner
/// than the tolerance, or a member that shares no edge with the others though its extent comes
/// within the tolerance of one of theirs (two towns drawn a centimetre apart).
fn near_miss(
    cancelled: &Cancelled,
    members: &[&Feature],
    polygons: &[&Polygon<f64>],
    options: &DissolveOptions,
) -> bool {
    let thin_gap = cancelled.gaps.iter().any(|ring| {
        piece(
            None,
            Vec::new(),
            Polygon::new(ring.clone(), Vec::new()),
            options,
        )
        .sliver
    });
    if thin_gap {
        return true;
    }
    if members.len() < 2 {
        return false;
    }
    // Which members share an edge: their polygons come in order.
    let mut shares = Vec::with_capacity(members.len());
    let mut next = 0;
    for f in members {
        let n = f.polygons().len();
        shares.push(cancelled.shared[next..next + n].iter().any(|&s| s));
        next += n;
    }
    debug_assert_eq!(next, polygons.len());
    let margin = margin_degrees(options.snap_m);
    let near = |a: Rect<f64>, b: Rect<f64>| extents_near(a, b, margin);
    members.iter().enumerate().any(|(i, f)| {
        !shares[i]
            && f.bbox.is_some_and(|a| {
                members.iter().enumerate().any(|(j, g)| {
                    j != i
                        && g.bbox.is_some_and(|b| near(a, b))
                        && f.polygons()
                            .iter()
                            .any(|p| g.polygons().iter().any(|q| within(p, q, margin)))
                })
            })
    })
}

/// Whether two polygons come within `margin` (degrees) of each other: one holds a point of
/// the other, or an edge of one comes that near an edge of the other. Only the edges near the
/// other's extent are paired, and the first pair near enough ends the search (a distance
/// between the shapes would pair every edge with every edge).
fn within(p: &Polygon<f64>, q: &Polygon<f64>, margin: f64) -> bool {
    let (Some(box_p), Some(box_q)) = (p.bounding_rect(), q.bounding_rect()) else {
        return false;
    };
    let holds = |outer: &Polygon<f64>, inner: &Polygon<f64>| {
        inner
            .exterior()
            .0
            .first()
            .is_some_and(|c| outer.intersects(c))
    };
    if holds(p, q) || holds(q, p) {
        return true;
    }
    let near = |shape: &Polygon<f64>, other: Rect<f64>| -> Vec<(Line<f64>, Rect<f64>)> {
        shape
            .exterior()
            .lines()
            .chain(shape.interiors().iter().flat_map(|h| h.lines()))
            .map(|l| (l, l.bounding_rect()))
            .filter(|(_, b)| extents_near(*b, other, margin))
            .collect()
    };
    let (near_p, near_q) = (near(p, box_q), near(q, box_p));
    near_p.iter().any(|(a, box_a)| {
        near_q.iter().any(|(b, box_b)| {
            extents_near(*box_a, *box_b, margin) && Euclidean.distance(a, b) <= margin
        })
    })
}

/// The snapping tolerance in degrees, generously (a degree of latitude is 111 km; one of
/// longitude less).
fn margin_degrees(snap_m: f64) -> f64 {
    snap_m / 100_000.0
}

/// Whether two extents (lon/lat) come within `margin` degrees of each other.
fn extents_near(a: Rect<f64>, b: Rect<f64>, margin: f64) -> bool {
    a.min().x <= b.max().x + margin
        && b.min().x <= a.max().x + margin
        && a.min().y <= b.max().y + margin
        && b.min().y <= a.max().y + margin
}

/// Each member snapped onto the members before it (as snapped), where their extents come
/// within about the tolerance: the first stays as it is, the others meet it.
fn snap_in_turn(members: &[&Feature], snap_m: f64) -> Vec<MultiPolygon<f64>> {
    let margin = margin_degrees(snap_m);
    let mut done: Vec<(MultiPolygon<f64>, Option<Rect<f64>>)> = Vec::with_capacity(members.len());
    for f in members {
        let near: Vec<&Polygon<f64>> = done
            .iter()
            .filter(|(_, e)| match (e, f.bbox) {
                (Some(a), Some(b)) => extents_near(*a, b, margin),
                _ => false,
            })
            .flat_map(|(m, _)| m.0.iter())
            .collect();
        let shape = if near.is_empty() {
            MultiPolygon(f.polygons().into_iter().cloned().collect())
        } else {
            SnapTarget::new(&near, snap_m).snap(&f.polygons()).0
        };
        let extent = shape.bounding_rect();
        done.push((shape, extent));
    }
    done.into_iter().map(|(m, _)| m).collect()
}

fn piece(
    value: Option<String>,
    members: Vec<String>,
    polygon: Polygon<f64>,
    options: &DissolveOptions,
) -> Piece {
    let area_m2 = geodesic_area(&polygon).m2;
    let perimeter = geodesic_perimeter_m(&polygon);
    let extent = polygon
        .bounding_rect()
        .map_or([0.0; 4], |r| [r.min().x, r.min().y, r.max().x, r.max().y]);
    Piece {
        value,
        members,
        area_m2,
        extent,
        sliver: perimeter > 0.0 && 2.0 * area_m2 / perimeter < options.snap_m,
    }
}

/// The members' own holes, by their extents' bits: a hole of the union with the same extent
/// was a member's hole, not a gap.
fn member_holes(polygons: &[&Polygon<f64>]) -> Vec<[u64; 4]> {
    polygons
        .iter()
        .flat_map(|p| p.interiors())
        .map(ring_extent_bits)
        .collect()
}

fn ring_extent_bits(ring: &LineString<f64>) -> [u64; 4] {
    ring.bounding_rect().map_or([0; 4], |r: Rect<f64>| {
        [
            r.min().x.to_bits(),
            r.min().y.to_bits(),
            r.max().x.to_bits(),
            r.max().y.to_bits(),
        ]
    })
}

/// Overlaps between members whose extents meet, by boolean intersection.
fn member_overlaps(value: &Option<String>, members: &[&Feature], snap_m: f64) -> Vec<Piece> {
    let options = DissolveOptions { snap_m };
    let shapes: Vec<Vec<&Polygon<f64>>> = members.iter().map(|f| f.polygons()).collect();
    let mut found = Vec::new();
    for i in 0..members.len() {
        for j in i + 1..members.len() {
            let (Some(a), Some(b)) = (members[i].bbox, members[j].bbox) else {
                continue;
            };
            let meet = a.min().x <= b.max().x
                && b.min().x <= a.max().x
                && a.min().y <= b.max().y
                && b.min().y <= a.max().y;
            if !meet {
                continue;
            }
            let both = intersect(&shapes[i], &shapes[j]).geometry;
            for p in both.0 {
                let piece = piece(
                    value.clone(),
                    vec![members[i].id.clone(), members[j].id.clone()],
                    p,
                    &options,
                );
                if piece.area_m2 > 0.0 {
                    found.push(piece);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn feature(id: &str, group: &str, p: Polygon<f64>) -> Feature {
        let mut props = Map::new();
        props.insert("g".into(), group.into());
        Feature::new(id.into(), id.into(), props, Some(geo::Geometry::Polygon(p)))
    }

    fn square(x: f64, y: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)]
    }

    #[test]
    fn a_number_stays_a_number_and_is_not_the_same_group_as_its_text() {
        let with = |id: &str, value: Value, x: f64| {
            let mut props = Map::new();
            props.insert("g".into(), value);
            Feature::new(
                id.into(),
                id.into(),
                props,
                Some(geo::Geometry::Polygon(square(x, 0.0))),
            )
        };
        let layer = Layer::new(
            "t",
            Role::Units,
            vec![
                with("a", 1.into(), 0.0),
                with("b", 1.into(), 1.0),
                with("c", "1".into(), 5.0),
            ],
        );
        let d = dissolve(&layer, "g", &DissolveOptions { snap_m: 0.0 }).expect("dissolved");
        assert_eq!(d.groups.len(), 2, "the number 1 and the text \"1\"");
        let values: Vec<&Value> = d
            .layer
            .features
            .iter()
            .map(|f| &f.properties["g"])
            .collect();
        assert_eq!(values, [&Value::from(1), &Value::from("1")]);
        assert_eq!(d.groups[0].members, ["a", "b"]);
        assert_eq!(d.layer.features[0].name, "1");
    }

    #[test]
    fn within_a_margin_is_what_the_distance_says() {
        // Against geo's distance between the polygons, on squares apart, touching, inside
        // one another, and in a hole.
        let frame = Polygon::new(
            square(0.0, 0.0).exterior().clone(),
            vec![LineString::from(vec![
                (0.2, 0.2),
                (0.8, 0.2),
                (0.8, 0.8),
                (0.2, 0.8),
            ])],
        );
        let small = |x: f64, y: f64| polygon![(x: x, y: y), (x: x + 0.1, y: y), (x: x + 0.1, y: y + 0.1), (x: x, y: y + 0.1)];
        let cases = [
            (square(0.0, 0.0), square(1.0, 0.0)),
            (square(0.0, 0.0), square(1.0 + 5e-6, 0.5)),
            (square(0.0, 0.0), square(1.0 + 2e-5, 0.5)),
            (square(0.0, 0.0), square(3.0, 3.0)),
            (square(0.0, 0.0), small(0.45, 0.45)),
            (frame.clone(), small(0.45, 0.45)),
            (frame.clone(), small(0.2 + 5e-6, 0.45)),
            (frame, small(0.3, 0.3)),
        ];
        let margin = 1e-5;
        for (k, (p, q)) in cases.iter().enumerate() {
            let expected = Euclidean.distance(p, q) <= margin;
            assert_eq!(within(p, q, margin), expected, "case {k}");
            assert_eq!(within(q, p, margin), expected, "case {k}, the other way");
        }
    }

    #[test]
    fn shared_edges_cancel_and_a_ring_of_neighbours_leaves_a_gap() {
        // Eight squares 0.01° wide round a missing ninth, and one square of another group.
        // Corners worked out one way, so that neighbours share them bit for bit.
        let x = |i: u32| (12000.0 + f64::from(i)) / 100.0;
        let y = |j: u32| (3100.0 + f64::from(j)) / 100.0;
        let cell = |i: u32, j: u32| polygon![(x: x(i), y: y(j)), (x: x(i + 1), y: y(j)), (x: x(i + 1), y: y(j + 1)), (x: x(i), y: y(j + 1))];
        let mut features = Vec::new();
        for i in 0..3 {
            for j in 0..3 {
                if (i, j) != (1, 1) {
                    features.push(feature(&format!("{i}{j}"), "ring", cell(i, j)));
                }
            }
        }
        features.push(feature("far", "other", cell(5, 5)));
        let layer = Layer::new("cells", Role::Units, features);
        let out = dissolve(&layer, "g", &DissolveOptions::default()).expect("dissolves");
        assert_eq!(out.layer.features.len(), 2);
        let ring = &out.groups[0];
        assert_eq!(ring.value.as_deref(), Some("ring"));
        assert_eq!(ring.members.len(), 8);
        assert_eq!((ring.parts, ring.holes, ring.vertices), (1, 1, 12 + 4));
        assert_eq!(ring.method, Method::SharedEdges);
        // The union is the members' area: no overlaps.
        let members: f64 = layer.features[..8]
            .iter()
            .map(|f| geodesic_area_sum(f.polygons()).m2)
            .sum();
        assert!((ring.area_m2 - members).abs() < 1e-6 * members);
        // The hole is a gap, one cell's area.
        assert_eq!(out.gaps.len(), 1);
        let one = geodesic_area(&cell(1, 1)).m2;
        assert!((out.gaps[0].area_m2 - one).abs() < 1e-6 * one);
        assert!(!out.gaps[0].sliver);
        assert!(out.overlaps.is_empty());
        assert_eq!(out.layer.features[0].properties["member_count"], 8);
    }

    #[test]
    fn overlapping_members_are_united_by_overlay_and_their_overlap_listed() {
        let a = polygon![(x: 120.0, y: 31.0), (x: 120.02, y: 31.0), (x: 120.02, y: 31.01), (x: 120.0, y: 31.01)];
        let b = polygon![(x: 120.01, y: 31.0), (x: 120.03, y: 31.0), (x: 120.03, y: 31.01), (x: 120.01, y: 31.01)];
        let layer = Layer::new(
            "two",
            Role::Units,
            vec![feature("a", "x", a), feature("b", "x", b)],
        );
        let out = dissolve(&layer, "g", &DissolveOptions::default()).expect("dissolves");
        assert_eq!(out.groups[0].method, Method::Overlay);
        assert_eq!(out.groups[0].parts, 1);
        assert_eq!(out.overlaps.len(), 1);
        assert_eq!(out.overlaps[0].members, ["a", "b"]);
        let half = out.groups[0].members_area_m2 / 4.0;
        assert!((out.overlaps[0].area_m2 - half).abs() < 1e-3 * half);
        assert!((out.groups[0].area_m2 - 3.0 * half).abs() < 1e-3 * half);
    }

    #[test]
    fn an_unknown_field_names_the_fields_there_are() {
        let layer = Layer::new(
            "one",
            Role::Units,
            vec![feature("a", "x", square(0.0, 0.0))],
        );
        let e = dissolve(&layer, "zone", &DissolveOptions::default()).expect_err("no such field");
        assert_eq!(
            e.to_string(),
            "no feature has a field \"zone\"; the fields are: g"
        );
    }
}
