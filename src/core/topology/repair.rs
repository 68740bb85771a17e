//! Repair of invalid polygons for analysis, by one documented rule, in the spirit of GEOS and
//! PostGIS `ST_MakeValid(geom, 'method=structure')`:
//!
//! 1. each part's outer ring is taken as the area it winds around, whichever way (the non-zero
//!    rule): a bow-tie becomes its two lobes, a ring that loops over itself keeps the land it
//!    encloses, a spike (an edge that doubles back) and a ring of no area give nothing;
//! 2. the part's holes are taken the same way and cut out of that area only: a hole that
//!    crosses the outer ring removes what lies inside it; a hole wholly outside its outer ring
//!    removes no land and is taken as a part of its own (a polygon filed as a hole, as
//!    formats that tell holes by ring order alone produce; JTS and GEOS's `GeometryFixer`
//!    read it so too);
//! 3. the parts are then united: parts that overlap become their union (land counted once), a
//!    part inside another is absorbed, an island in another part's hole stays.
//!
//! The result is OGC-valid, and every vertex that the repair did not have to make (where edges
//! cross) keeps its exact input coordinates. The source file is never changed: the repaired
//! shape is what areas, overlaps, coverage, merges and sheets use, and the loader says so.

use geo::{Coord, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;

use crate::core::topology::overlay::overlay_exact;

/// The valid shape that `parts` stand for, by the rule above (see the module docs).
pub fn make_valid(parts: &[&Polygon<f64>]) -> MultiPolygon<f64> {
    let open = |ring: &geo::LineString<f64>| -> Vec<Coord<f64>> {
        let mut pts = ring.0.clone();
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        pts
    };
    let mut pieces: Vec<Vec<Coord<f64>>> = Vec::new();
    let mut last = MultiPolygon(Vec::new());
    let mut extra_parts: Vec<Polygon<f64>> = Vec::new();
    let mut made = 0;
    for p in parts {
        let shell = open(p.exterior());
        if shell.len() < 3 {
            continue;
        }
        let mut holes: Vec<Vec<Coord<f64>>> = Vec::new();
        for h in p.interiors() {
            let ring = open(h);
            if ring.len() < 3 {
                continue;
            }
            if outside_shell(p.exterior(), h) {
                extra_parts.push(Polygon::new(h.clone(), Vec::new()));
            } else {
                holes.push(ring);
            }
        }
        let rule = if holes.is_empty() {
            OverlayRule::Subject
        } else {
            OverlayRule::Difference
        };
        let part = overlay_exact(&[shell], &holes, rule, FillRule::NonZero, true);
        for q in &part.0 {
            pieces.push(oriented(open(q.exterior()), true));
            pieces.extend(q.interiors().iter().map(|h| oriented(open(h), false)));
        }
        last = part;
        made += 1;
    }
    // Holes that were parts: each taken by the same rule, as a part of its own.
    for q in &extra_parts {
        let ring = open(q.exterior());
        let part = overlay_exact(&[ring], &[], OverlayRule::Subject, FillRule::NonZero, true);
        for r in &part.0 {
            pieces.push(oriented(open(r.exterior()), true));
            pieces.extend(r.interiors().iter().map(|h| oriented(open(h), false)));
        }
        last = part;
        made += 1;
    }
    if made == 1 || pieces.is_empty() {
        // One part's pieces cannot overlap each other: already valid, no second pass needed.
        return last;
    }
    // Outer rings of the pieces run counter-clockwise and holes clockwise, so the non-zero rule
    // unites overlapping parts and keeps each part's holes.
    overlay_exact(&pieces, &[], OverlayRule::Subject, FillRule::NonZero, true)
}

/// An open ring turned to run counter-clockwise (`ccw`) or clockwise: the second pass unites
/// the pieces by the non-zero rule, under which a hole that ran the way of its shell would
/// fill in.
fn oriented(ring: Vec<Coord<f64>>, ccw: bool) -> Vec<Coord<f64>> {
    let Some(&first) = ring.first() else {
        return ring;
    };
    let twice_area: f64 = ring
        .iter()
        .zip(ring.iter().skip(1).chain(std::iter::once(&first)))
        .map(|(a, b)| (a.x - first.x) * (b.y - first.y) - (b.x - first.x) * (a.y - first.y))
        .sum();
    if (twice_area > 0.0) == ccw {
        ring
    } else {
        ring.into_iter().rev().collect()
    }
}

/// Whether `hole` lies wholly outside `shell`: their boundaries never meet, and it is not
/// inside.
fn outside_shell(shell: &geo::LineString<f64>, hole: &geo::LineString<f64>) -> bool {
    use crate::core::topology::validate::{Fault, validate};
    let pair = Polygon::new(shell.clone(), vec![hole.clone()]);
    validate(&[&pair])
        .iter()
        .any(|p| p.fault == Fault::HoleOutsideShell && p.ring == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::measure::geodesic_area;
    use crate::core::topology::validate::is_valid;
    use geo::polygon;

    fn km2(m: &MultiPolygon<f64>) -> f64 {
        m.0.iter().map(|p| geodesic_area(p).km2()).sum()
    }

    #[test]
    fn a_crossing_hole_is_cut_out_the_same_in_a_multipolygon() {
        // A bow-tie hole that crosses its shell (a fault a helper's test found): beside a
        // second part, the first must be repaired as it is alone, and the parts added.
        let holed = polygon!(
            exterior: [(x: 120.0, y: 31.0), (x: 120.1, y: 31.0), (x: 120.1, y: 31.1), (x: 120.0, y: 31.1)],
            interiors: [[(x: 120.03, y: 31.03), (x: 120.12, y: 31.07), (x: 120.07, y: 31.03), (x: 120.03, y: 31.07)]],
        );
        let other = polygon![(x: 119.8, y: 31.0), (x: 119.9, y: 31.0), (x: 119.9, y: 31.1), (x: 119.8, y: 31.1)];
        let alone = km2(&make_valid(&[&holed]));
        let both = make_valid(&[&holed, &other]);
        assert!(is_valid(&both.0.iter().collect::<Vec<_>>()));
        let other_km2 = geodesic_area(&other).km2();
        assert!(
            (km2(&both) - (alone + other_km2)).abs() < 1e-6,
            "{} km², alone {alone} + {other_km2}",
            km2(&both)
        );
    }

    #[test]
    fn a_bow_tie_becomes_its_two_lobes() {
        // The field case 04: shapely 2.2 make_valid gives lobes of 7.035176526 and
        // 28.140795493 km² (pyproj 3.7 Geod(ellps="WGS84").geometry_area_perimeter, rings
        // oriented first), 35.175972019 km² in all.
        let p = polygon![(x: 120.3, y: 31.3), (x: 120.4, y: 31.38), (x: 120.4, y: 31.3), (x: 120.3, y: 31.34)];
        let fixed = make_valid(&[&p]);
        assert_eq!(fixed.0.len(), 2);
        assert!(is_valid(&fixed.0.iter().collect::<Vec<_>>()));
        assert!(
            (km2(&fixed) - 35.175_972_019).abs() < 2e-6,
            "{}",
            km2(&fixed)
        );
        // The input's corners keep their exact coordinates.
        let corners: Vec<Coord<f64>> = fixed
            .0
            .iter()
            .flat_map(|p| p.exterior().0.clone())
            .collect();
        assert!(corners.contains(&Coord { x: 120.4, y: 31.38 }));
        assert!(corners.contains(&Coord { x: 120.3, y: 31.34 }));
    }

    #[test]
    fn overlapping_parts_become_their_union() {
        let a = polygon![(x: 120.3, y: 31.3), (x: 120.36, y: 31.3), (x: 120.36, y: 31.35), (x: 120.3, y: 31.35)];
        let b = polygon![(x: 120.33, y: 31.32), (x: 120.4, y: 31.32), (x: 120.4, y: 31.37), (x: 120.33, y: 31.37)];
        let fixed = make_valid(&[&a, &b]);
        assert_eq!(fixed.0.len(), 1);
        // The field case 12: shapely 2.2 union_all, then pyproj 3.7 Geod: 59.090478355 km².
        assert!(
            (km2(&fixed) - 59.090_478_355).abs() < 2e-6,
            "{}",
            km2(&fixed)
        );
    }

    #[test]
    fn a_hole_outside_its_shell_removes_no_land_and_becomes_a_part() {
        let square = |x0: f64| polygon![(x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)];
        let mut p = square(0.0);
        p.interiors_push(square(2.0).exterior().clone());
        let fixed = make_valid(&[&p]);
        assert_eq!(fixed.0.len(), 2);
        assert!(fixed.0.iter().all(|q| q.interiors().is_empty()));
        let both = geodesic_area(&square(0.0)).km2() + geodesic_area(&square(2.0)).km2();
        assert!((km2(&fixed) - both).abs() < 1e-6);
    }
}
