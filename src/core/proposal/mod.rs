//! Proposed zones and the edits that make them: merge features into one zone, move a unit from
//! one zone to another, draw a zone, cut a zone along a line, and move, insert or delete a
//! vertex. Every edit returns new features (or an [`EditError`] saying why it was refused);
//! nothing is changed in place, so the window can keep the old layer for undo.
//!
//! A proposed zone lists the units it is made of in `members` (their ids), and carries its
//! geodesic area in `area_km2`, as the bundled zones do.

use geo::{Area as _, Centroid, Coord, LineString, MultiPolygon, Polygon};
use geo::{Orient, orient::Direction};
use serde_json::{Map, Value, json};

use crate::core::io::write::AREA_KM2;
use crate::core::measure::{Area, geodesic_area, geodesic_area_sum};
use crate::core::model::scalar_text;
use crate::core::topology::overlay::{difference, intersect, slice, union_all};
use crate::core::topology::{DEFAULT_SNAP_M, SnapTarget, validate};
use crate::core::{Feature, Layer};

mod edit;
mod vertex;
pub use edit::{Applied, Cut, Edit, EditKind, MergePart, apply};
pub use vertex::*;

/// The property listing the ids of the units a zone is made of.
pub const MEMBERS: &str = "members";
/// The `kind` zonemap gives the zones it makes.
pub const KIND_PROPOSED: &str = "proposed_zone";
/// The property naming the zone a part was cut from.
pub const SPLIT_FROM: &str = "split_from";
/// Holes smaller than this (m²) left inside a union are slivers between edges that should
/// have been shared (two outlines a few centimetres apart), and are filled.
pub const SLIVER_HOLE_M2: f64 = 100.0;
/// Pieces smaller than this (m²) are dropped from a union, a difference or a cut.
pub const CRUMB_M2: f64 = 1.0;

/// Why an edit was refused. The window shows it; nothing changes.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    /// A merge of features none of which is a polygon (points, lines or no geometry); holds
    /// how many features were given.
    #[error("nothing to merge: none of the {0} features has an area")]
    NothingToMerge(usize),
    /// The unit to move or the zone to cut is not a polygon; holds its name.
    #[error("{0} has no area")]
    NotAreal(String),
    /// A drawn outline, or a polygon of the result, has fewer than three distinct points or
    /// encloses no area.
    #[error("a polygon needs at least 3 distinct points")]
    TooFewPoints,
    /// The result fails validation (a self-intersection, a hole outside its polygon,
    /// overlapping parts); holds the first problem found.
    #[error("the shape would not be a valid polygon: {0}")]
    Invalid(String),
    /// The cut line does not divide the zone into two or more parts; holds the zone's name.
    #[error(
        "the line does not cut {0} into parts: draw it across the zone, from outside to outside"
    )]
    NoCut(String),
    /// The unit to move is already listed in the target zone's `members` and lies wholly in it.
    #[error("{unit} is already in {zone}")]
    AlreadyIn {
        /// The unit's name.
        unit: String,
        /// The target zone's name.
        zone: String,
    },
    /// The vertex named is not in the shape: no such polygon, ring or point.
    #[error("no such vertex")]
    NoVertex,
    /// Deleting the vertex would leave its ring with fewer than three points.
    #[error("a ring keeps at least 3 points")]
    RingTooSmall,
    /// The edit would leave the zone with no piece of [`CRUMB_M2`] or more; holds its name.
    #[error("{0} would be left with no area")]
    Emptied(String),
    /// A feature the edit names is not in the layer (an id, or a place in it).
    #[error("no feature {0} in the layer")]
    NoFeature(String),
    /// A split whose line crosses no zone from outside to outside.
    #[error("the line cuts no zone: draw it across a zone, from outside to outside")]
    CutNothing,
}

/// A new zone from the given geometry: oriented as RFC 7946 says, checked, and measured.
pub fn zone_feature(
    id: String,
    name: &str,
    geometry: MultiPolygon<f64>,
    mut properties: Map<String, Value>,
) -> Result<Feature, EditError> {
    let geometry = tidy(geometry);
    if geometry.0.is_empty() {
        return Err(EditError::Emptied(name.to_owned()));
    }
    check(&geometry)?;
    properties.insert("name".into(), Value::String(name.to_owned()));
    set_area(&mut properties, &geometry);
    Ok(Feature::new(
        id,
        name.to_owned(),
        properties,
        Some(geo::Geometry::MultiPolygon(geometry)),
    ))
}

/// The same feature with another shape; refused if the shape is not a valid polygon.
pub fn reshaped(feature: &Feature, geometry: MultiPolygon<f64>) -> Result<Feature, EditError> {
    zone_feature(
        feature.id.clone(),
        &feature.name,
        geometry,
        feature.properties.clone(),
    )
    .map(|f| f.with_numeric_id(feature.id_is_number))
}

/// The same feature with its `area_km2` measured afresh (geodesic, to 1 m²), as every
/// proposal carries it.
pub fn measured(feature: &Feature) -> Feature {
    let mut f = feature.clone();
    if f.is_areal() {
        let shape = f.multi_polygon();
        set_area(&mut f.properties, &shape);
    }
    f
}

/// The same feature under another name.
pub fn renamed(feature: &Feature, name: &str) -> Feature {
    let mut f = feature.clone();
    f.name = name.to_owned();
    f.properties
        .insert("name".into(), Value::String(name.to_owned()));
    f
}

/// The same feature with `key` set to `value` (a number if it reads as one, else text), or
/// removed when `value` is empty. `name` renames it.
pub fn with_property(feature: &Feature, key: &str, value: &str) -> Feature {
    if key == "name" {
        return renamed(feature, value);
    }
    let mut f = feature.clone();
    let value = value.trim();
    if value.is_empty() {
        f.properties.remove(key);
    } else {
        // A leading zero marks a code ("0512"), which stays text.
        let code = value.starts_with('0') && value.len() > 1 && !value.starts_with("0.");
        let v = match value.parse::<f64>() {
            Ok(n) if n.is_finite() && !code => json!(n),
            _ => Value::String(value.to_owned()),
        };
        f.properties.insert(key.to_owned(), v);
    }
    f
}

/// One zone made of `parts` (from any layers): their union, named `name`, whose `members` are
/// the parts' members (a zone's own `members`, or a unit's id), in order, without repeats.
/// Boundaries within [`DEFAULT_SNAP_M`] of each other are taken as shared (see [`merge_with`]).
pub fn merge(parts: &[&Feature], id: String, name: &str) -> Result<Feature, EditError> {
    merge_with(parts, id, name, DEFAULT_SNAP_M)
}

/// As [`merge`], with the snapping tolerance in metres: each part's boundary is first snapped
/// onto the parts before it where they are within `snap_m` of each other, so neighbours drawn
/// from different sources (centimetres apart) merge into one polygon, and vertices that need
/// no snapping keep their exact coordinates. 0 turns snapping off.
pub fn merge_with(
    parts: &[&Feature],
    id: String,
    name: &str,
    snap_m: f64,
) -> Result<Feature, EditError> {
    let shapes = snapped_to_each_other(parts, snap_m);
    if shapes.is_empty() {
        return Err(EditError::NothingToMerge(parts.len()));
    }
    let mut properties = Map::new();
    properties.insert("kind".into(), json!(KIND_PROPOSED));
    properties.insert(MEMBERS.into(), json!(members_of(parts)));
    properties.insert(
        "merged_from".into(),
        json!(parts.iter().map(|f| f.id.clone()).collect::<Vec<_>>()),
    );
    zone_feature(id, name, union_all(&shapes), properties)
}

/// The parts' shapes, each snapped onto those before it (within `snap_m` metres).
fn snapped_to_each_other(parts: &[&Feature], snap_m: f64) -> Vec<MultiPolygon<f64>> {
    let mut shapes: Vec<MultiPolygon<f64>> = Vec::with_capacity(parts.len());
    for f in parts.iter().filter(|f| f.is_areal()) {
        let shape = f.multi_polygon();
        if snap_m > 0.0 && !shapes.is_empty() {
            let before: Vec<&Polygon<f64>> = shapes.iter().flat_map(|m| m.0.iter()).collect();
            let target = SnapTarget::new(&before, snap_m);
            let (snapped, stats) = target.snap(&shape.0.iter().collect::<Vec<_>>());
            if stats.changed() {
                shapes.push(snapped);
                continue;
            }
        }
        shapes.push(shape);
    }
    shapes
}

/// `shape` snapped onto `target` within [`DEFAULT_SNAP_M`].
fn snapped_onto(shape: &MultiPolygon<f64>, target: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let t = SnapTarget::new(&target.0.iter().collect::<Vec<_>>(), DEFAULT_SNAP_M);
    let (snapped, stats) = t.snap(&shape.0.iter().collect::<Vec<_>>());
    if stats.changed() {
        snapped
    } else {
        shape.clone()
    }
}

/// The unit ids a feature stands for: a zone's `members`, or the feature's own id.
pub fn member_ids(feature: &Feature) -> Vec<String> {
    match feature.properties.get(MEMBERS) {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        _ => vec![feature.id.clone()],
    }
}

fn members_of(parts: &[&Feature]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in parts.iter().flat_map(|f| member_ids(f)) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Which of `zones` hold `unit`: those listing it in `members`, or, when none does, those
/// covering more than half of it.
pub fn holders(zones: &[Feature], unit: &Feature) -> Vec<usize> {
    let listed: Vec<usize> = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| lists(z, &unit.id))
        .map(|(i, _)| i)
        .collect();
    if !listed.is_empty() {
        return listed;
    }
    let unit_polys = unit.polygons();
    let unit_area = geodesic_area_sum(unit_polys.iter().copied());
    zones
        .iter()
        .enumerate()
        .filter(|(_, z)| boxes_meet(z, unit))
        .filter(|(_, z)| intersect(&z.polygons(), &unit_polys).area.m2 > unit_area.m2 / 2.0)
        .map(|(i, _)| i)
        .collect()
}

fn lists(zone: &Feature, id: &str) -> bool {
    matches!(zone.properties.get(MEMBERS), Some(Value::Array(items))
        if items.iter().any(|v| scalar_text(v).as_deref() == Some(id)))
}

fn boxes_meet(a: &Feature, b: &Feature) -> bool {
    match (a.bbox, b.bbox) {
        (Some(a), Some(b)) => {
            a.min().x <= b.max().x
                && b.min().x <= a.max().x
                && a.min().y <= b.max().y
                && b.min().y <= a.max().y
        }
        _ => false,
    }
}

/// Moves `unit` into `zones[target]`, in one step (boundaries within [`DEFAULT_SNAP_M`] taken as
/// shared): the target grows by the unit and lists it
/// in `members`; every zone that held it (see [`holders`]) loses it. A zone left with no area
/// is removed. Returns the new list of zones.
pub fn move_unit(
    zones: &[Feature],
    unit: &Feature,
    target: usize,
) -> Result<Vec<Feature>, EditError> {
    if !unit.is_areal() {
        return Err(EditError::NotAreal(unit.name.clone()));
    }
    let Some(zone) = zones.get(target) else {
        return Err(EditError::NoFeature(format!("at place {target}")));
    };
    let unit_shape = unit.multi_polygon();
    let unit_area = geodesic_area_sum(unit_shape.0.iter());
    let inside = intersect(&zone.polygons(), &unit.polygons()).area;
    if lists(zone, &unit.id) && inside.m2 >= unit_area.m2 * (1.0 - 1e-6) {
        return Err(EditError::AlreadyIn {
            unit: unit.name.clone(),
            zone: zone.name.clone(),
        });
    }
    let mut grown = zones.to_vec();
    let zone_shape = zone.multi_polygon();
    let unit_onto_zone = snapped_onto(&unit_shape, &zone_shape);
    let mut f = reshaped(zone, union_all(&[zone_shape, unit_onto_zone]))?;
    let mut members = if zone.properties.contains_key(MEMBERS) {
        member_ids(zone)
    } else {
        Vec::new()
    };
    if !members.contains(&unit.id) {
        members.push(unit.id.clone());
    }
    f.properties.insert(MEMBERS.into(), json!(members));
    grown[target] = f;
    take_out(&grown, unit, target)
}

/// Takes `unit` out of every zone that holds it (see [`holders`]) but `keep`: its area is cut
/// away and its id leaves `members`. A zone left with no area is removed.
pub fn take_out(zones: &[Feature], unit: &Feature, keep: usize) -> Result<Vec<Feature>, EditError> {
    // Which of the others hold it: the zone it goes to has just listed it, which must not
    // stop the others from being judged by their cover when none of them lists it.
    let others: Vec<(usize, Feature)> = zones
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != keep)
        .map(|(i, z)| (i, z.clone()))
        .collect();
    let other_zones: Vec<Feature> = others.iter().map(|(_, z)| z.clone()).collect();
    let from: Vec<usize> = holders(&other_zones, unit)
        .into_iter()
        .map(|k| others[k].0)
        .collect();
    let unit_shape = unit.multi_polygon();
    let mut out = Vec::with_capacity(zones.len());
    for (i, z) in zones.iter().enumerate() {
        if i == keep || !from.contains(&i) {
            out.push(z.clone());
            continue;
        }
        let zone_onto_unit = snapped_onto(&z.multi_polygon(), &unit_shape);
        let shrunk = tidy(difference(&zone_onto_unit, &unit_shape));
        if shrunk.0.is_empty() {
            continue;
        }
        let mut f = reshaped(z, shrunk)?;
        if let Some(Value::Array(items)) = f.properties.get_mut(MEMBERS) {
            items.retain(|v| scalar_text(v).as_deref() != Some(unit.id.as_str()));
        }
        out.push(f);
    }
    Ok(out)
}

/// A merge into a list of proposed zones: the zones at `consumed` are replaced by the union of
/// `parts` (which includes them), placed where the first of them was (else at the end); each
/// of `units` is then taken out of the other zones that held it. Returns the zones and where
/// the merged one is.
pub fn merge_into(
    zones: &[Feature],
    parts: &[&Feature],
    consumed: &[usize],
    units: &[&Feature],
    id: String,
    name: &str,
    snap_m: f64,
) -> Result<(Vec<Feature>, usize), EditError> {
    let merged = merge_with(parts, id.clone(), name, snap_m)?;
    let at = consumed.iter().min().copied();
    let mut out: Vec<Feature> = Vec::with_capacity(zones.len() + 1);
    for (i, z) in zones.iter().enumerate() {
        if Some(i) == at {
            out.push(merged.clone());
        } else if !consumed.contains(&i) {
            out.push(z.clone());
        }
    }
    if at.is_none() {
        out.push(merged);
    }
    let mut index = out.iter().position(|f| f.id == id).unwrap_or(0);
    for unit in units {
        out = take_out(&out, unit, index)?;
        index = out.iter().position(|f| f.id == id).unwrap_or(0);
    }
    Ok((out, index))
}

/// Cuts a zone along a line into parts, north to south (then west to east), named
/// "NAME 1", "NAME 2", …; each keeps the zone's properties, less `members`, plus `split_from`.
pub fn split(feature: &Feature, line: &[Coord<f64>]) -> Result<Vec<Feature>, EditError> {
    if !feature.is_areal() {
        return Err(EditError::NotAreal(feature.name.clone()));
    }
    let whole = feature.multi_polygon();
    let mut pieces = slice(&whole, line);
    onto_geodesics(&mut pieces, &whole, line);
    let pieces = tidy(pieces);
    if pieces.0.len() < 2 {
        return Err(EditError::NoCut(feature.name.clone()));
    }
    let mut pieces: Vec<Polygon<f64>> = pieces.0;
    let key = |p: &Polygon<f64>| p.centroid().map_or((0.0, 0.0), |c| (-c.y(), c.x()));
    pieces.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    let mut properties = feature.properties.clone();
    properties.remove(MEMBERS);
    properties.insert(SPLIT_FROM.into(), json!(feature.id));
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            zone_feature(
                format!("{}-{}", feature.id, i + 1),
                &format!("{} {}", feature.name, i + 1),
                MultiPolygon(vec![p]),
                properties.clone(),
            )
        })
        .collect()
}

/// Puts the points a cut made on the zone's edges onto those edges as they are on the
/// ellipsoid. A cut finds where it crosses an edge in lon/lat, a little off the edge's
/// geodesic (by a metre or so on a 10 km edge); the parts share the point, so their areas
/// still add up to the zone's only if it lies on the geodesic. The line's own vertices (which
/// the cut keeps exactly) stay where they were drawn, however near an edge: a bend of the line
/// a centimetre inside the zone is not a crossing.
fn onto_geodesics(pieces: &mut MultiPolygon<f64>, whole: &MultiPolygon<f64>, line: &[Coord<f64>]) {
    use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
    const ON_EDGE_DEG: f64 = 1e-7;
    let edges: Vec<(Coord<f64>, Coord<f64>)> = whole
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let g = Geodesic::wgs84();
    let snap = |c: &mut Coord<f64>| {
        if line.contains(c) {
            return;
        }
        let mut best: Option<(f64, f64, Coord<f64>, Coord<f64>)> = None;
        for &(a, b) in &edges {
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let len2 = dx * dx + dy * dy;
            if len2 == 0.0 {
                continue;
            }
            let t = (((c.x - a.x) * dx + (c.y - a.y) * dy) / len2).clamp(0.0, 1.0);
            let d = (c.x - a.x - t * dx).hypot(c.y - a.y - t * dy);
            if best.is_none_or(|(bd, ..)| d < bd) {
                best = Some((d, t, a, b));
            }
        }
        let Some((d, t, a, b)) = best else { return };
        let near_end = |p: Coord<f64>| (c.x - p.x).hypot(c.y - p.y) < 1e-9;
        if d > ON_EDGE_DEG || near_end(a) || near_end(b) {
            return;
        }
        let (s12, azi1, _, _): (f64, f64, f64, f64) = g.inverse(a.y, a.x, b.y, b.x);
        let (lat, lon): (f64, f64) = g.direct(a.y, a.x, azi1, t * s12);
        *c = Coord { x: lon, y: lat };
    };
    for p in &mut pieces.0 {
        p.exterior_mut(|r| r.0.iter_mut().for_each(snap));
        p.interiors_mut(|holes| holes.iter_mut().for_each(|r| r.0.iter_mut().for_each(snap)));
    }
}

/// A zone from a drawn outline (lon/lat, not closed).
pub fn drawn(id: String, name: &str, points: &[Coord<f64>]) -> Result<Feature, EditError> {
    let mut ring: Vec<Coord<f64>> = Vec::with_capacity(points.len() + 1);
    for &p in points {
        if ring.last() != Some(&p) {
            ring.push(p);
        }
    }
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 3 {
        return Err(EditError::TooFewPoints);
    }
    ring.push(ring[0]);
    let polygon = Polygon::new(LineString(ring), Vec::new());
    check(&MultiPolygon(vec![polygon.clone()]))?;
    let mut properties = Map::new();
    properties.insert("kind".into(), json!(KIND_PROPOSED));
    zone_feature(id, name, MultiPolygon(vec![polygon]), properties)
}

/// An id for a new zone that no feature in `features` has: `P1`, `P2`, …
pub fn next_id(features: &[Feature]) -> String {
    let n = features
        .iter()
        .filter_map(|f| f.id.strip_prefix('P')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("P{}", n + 1)
}

/// Refuses shapes that are not valid polygons (self-intersections, holes outside, overlapping
/// parts), naming the first problem.
pub fn check(mp: &MultiPolygon<f64>) -> Result<(), EditError> {
    for p in &mp.0 {
        if p.exterior().0.len().saturating_sub(1) < 3 {
            return Err(EditError::TooFewPoints);
        }
    }
    if let Some(p) = validate(&mp.0.iter().collect::<Vec<_>>())
        .into_iter()
        .find(|p| p.fault.is_invalid())
    {
        return Err(EditError::Invalid(p.to_string()));
    }
    if mp.0.iter().any(|p| p.unsigned_area() == 0.0) {
        return Err(EditError::TooFewPoints);
    }
    Ok(())
}

/// Oriented as RFC 7946 says, with crumbs (pieces under [`CRUMB_M2`]) dropped and sliver holes
/// (under [`SLIVER_HOLE_M2`]) filled.
pub fn tidy(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(
        mp.0.into_iter()
            .filter(|p| geodesic_area(p).m2 >= CRUMB_M2)
            .map(|p| {
                let (exterior, holes) = p.into_inner();
                let holes = holes
                    .into_iter()
                    .filter(|h| {
                        geodesic_area(&Polygon::new(h.clone(), Vec::new())).m2 >= SLIVER_HOLE_M2
                    })
                    .collect();
                Polygon::new(exterior, holes).orient(Direction::Default)
            })
            .collect(),
    )
}

fn set_area(properties: &mut Map<String, Value>, geometry: &MultiPolygon<f64>) {
    let km2 = geodesic_area_sum(geometry.0.iter()).km2();
    properties.insert(AREA_KM2.into(), json!((km2 * 1e6).round() / 1e6));
}

/// The layer with other features (re-indexed), keeping its name, role, path and datum.
pub fn with_features(layer: &Layer, features: Vec<Feature>) -> Layer {
    let mut out = Layer::new(layer.name.clone(), layer.role, features);
    out.path = layer.path.clone();
    out.crs = layer.crs.clone();
    out
}

/// The geodesic area of a feature.
pub fn area(feature: &Feature) -> Area {
    geodesic_area_sum(feature.polygons())
}
