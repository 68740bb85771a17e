//! Shapes as geo geometries: points, lines, polygons (rings assembled into polygons with their
//! holes, oriented as RFC 7946 says) and multipatches, refusing non-finite coordinates.

use super::*;

pub(super) fn coord<P: shapefile::record::traits::HasXY>(p: &P) -> Coord<f64> {
    Coord { x: p.x(), y: p.y() }
}

pub(super) fn line<P: shapefile::record::traits::HasXY>(points: &[P]) -> LineString<f64> {
    LineString(points.iter().map(coord).collect())
}

/// A shape as a geometry (Z and M dropped); `None` for a null shape.
pub(super) fn geometry(shape: Shape) -> Option<Geometry<f64>> {
    Some(match shape {
        Shape::NullShape => return None,
        Shape::Point(p) => Geometry::Point(Point(coord(&p))),
        Shape::PointM(p) => Geometry::Point(Point(coord(&p))),
        Shape::PointZ(p) => Geometry::Point(Point(coord(&p))),
        Shape::Multipoint(m) => multipoint(m.points()),
        Shape::MultipointM(m) => multipoint(m.points()),
        Shape::MultipointZ(m) => multipoint(m.points()),
        Shape::Polyline(l) => lines(l.parts()),
        Shape::PolylineM(l) => lines(l.parts()),
        Shape::PolylineZ(l) => lines(l.parts()),
        Shape::Polygon(p) => polygons(p.rings())?,
        Shape::PolygonM(p) => polygons(p.rings())?,
        Shape::PolygonZ(p) => polygons(p.rings())?,
        Shape::Multipatch(m) => multipatch(m.patches())?,
    })
}

/// Whether every x and y of a shape is a finite number (NaN is a Shapefile's "no data", but
/// not for x and y).
pub(super) fn finite(shape: &Shape) -> bool {
    use shapefile::record::traits::HasXY;
    pub(super) fn all<P: HasXY>(points: &[P]) -> bool {
        points
            .iter()
            .all(|p| p.x().is_finite() && p.y().is_finite())
    }
    match shape {
        Shape::NullShape => true,
        Shape::Point(p) => all(std::slice::from_ref(p)),
        Shape::PointM(p) => all(std::slice::from_ref(p)),
        Shape::PointZ(p) => all(std::slice::from_ref(p)),
        Shape::Multipoint(m) => all(m.points()),
        Shape::MultipointM(m) => all(m.points()),
        Shape::MultipointZ(m) => all(m.points()),
        Shape::Polyline(l) => l.parts().iter().all(|p| all(p)),
        Shape::PolylineM(l) => l.parts().iter().all(|p| all(p)),
        Shape::PolylineZ(l) => l.parts().iter().all(|p| all(p)),
        Shape::Polygon(p) => p.rings().iter().all(|r| all(r.points())),
        Shape::PolygonM(p) => p.rings().iter().all(|r| all(r.points())),
        Shape::PolygonZ(p) => p.rings().iter().all(|r| all(r.points())),
        Shape::Multipatch(m) => m.patches().iter().all(|p| all(p.points())),
    }
}

pub(super) fn multipoint<P: shapefile::record::traits::HasXY>(points: &[P]) -> Geometry<f64> {
    Geometry::MultiPoint(MultiPoint(points.iter().map(|p| Point(coord(p))).collect()))
}

pub(super) fn lines<P: shapefile::record::traits::HasXY>(parts: &[Vec<P>]) -> Geometry<f64> {
    match parts {
        [one] => Geometry::LineString(line(one)),
        many => Geometry::MultiLineString(MultiLineString(many.iter().map(|p| line(p)).collect())),
    }
}

/// Rings as polygons: each hole goes to the smallest shell that holds it, whatever the
/// order of the rings; a hole that no shell holds is taken as a shell (GDAL does the same).
pub(super) fn polygons<P: shapefile::record::traits::HasXY>(
    rings: &[PolygonRing<P>],
) -> Option<Geometry<f64>> {
    let mut shells: Vec<LineString<f64>> = Vec::new();
    let mut holes: Vec<LineString<f64>> = Vec::new();
    for r in rings {
        let mut l = line(r.points());
        if l.0.len() < 4 {
            continue;
        }
        if l.0.first() != l.0.last()
            && let Some(&first) = l.0.first()
        {
            l.0.push(first);
        }
        match r {
            PolygonRing::Outer(_) => shells.push(l),
            PolygonRing::Inner(_) => holes.push(l),
        }
    }
    assemble(shells, holes)
}

/// Polygons of shells and holes, each hole in the smallest shell holding it.
pub(super) fn assemble(
    mut shells: Vec<LineString<f64>>,
    holes: Vec<LineString<f64>>,
) -> Option<Geometry<f64>> {
    use geo::Area;
    let mut owned: Vec<Vec<LineString<f64>>> = vec![Vec::new(); shells.len()];
    for hole in holes {
        let inside = hole
            .0
            .iter()
            .take(4)
            .find_map(|&c| {
                let holders: Vec<usize> = (0..shells.len())
                    .filter(|&s| point_in_ring(c, &shells[s]) == Side::Inside)
                    .collect();
                let on =
                    (0..shells.len()).any(|s| point_in_ring(c, &shells[s]) == Side::OnBoundary);
                (!on).then_some(holders)
            })
            .unwrap_or_default();
        let smallest = inside.into_iter().min_by(|&a, &b| {
            Polygon::new(shells[a].clone(), vec![])
                .unsigned_area()
                .total_cmp(&Polygon::new(shells[b].clone(), vec![]).unsigned_area())
        });
        match smallest {
            Some(s) => owned[s].push(hole),
            None => {
                shells.push(hole);
                owned.push(Vec::new());
            }
        }
    }
    let mut polygons: Vec<Polygon<f64>> = shells
        .into_iter()
        .zip(owned)
        .map(|(shell, holes)| oriented(Polygon::new(shell, holes)))
        .collect();
    match polygons.len() {
        0 => None,
        1 => polygons.pop().map(Geometry::Polygon),
        _ => Some(Geometry::MultiPolygon(MultiPolygon(polygons))),
    }
}

/// Outer ring counter-clockwise and holes clockwise, as the rest of zonemap keeps them.
pub(super) fn oriented(p: Polygon<f64>) -> Polygon<f64> {
    use geo::Orient;
    p.orient(geo::orient::Direction::Default)
}

/// A multipatch as polygons: its outer and first rings as shells, its inner rings as holes,
/// and each triangle of its strips and fans as a polygon.
pub(super) fn multipatch(patches: &[shapefile::Patch]) -> Option<Geometry<f64>> {
    use shapefile::Patch;
    let mut shells = Vec::new();
    let mut holes = Vec::new();
    let closed = |points: &[shapefile::PointZ]| {
        let mut l = line(points);
        if l.0.first() != l.0.last()
            && let Some(&first) = l.0.first()
        {
            l.0.push(first);
        }
        l
    };
    for patch in patches {
        match patch {
            Patch::OuterRing(p) | Patch::FirstRing(p) | Patch::Ring(p) => shells.push(closed(p)),
            Patch::InnerRing(p) => holes.push(closed(p)),
            Patch::TriangleStrip(p) => {
                for w in p.windows(3) {
                    shells.push(closed(w));
                }
            }
            Patch::TriangleFan(p) => {
                for i in 1..p.len().saturating_sub(1) {
                    shells.push(closed(&[p[0], p[i], p[i + 1]]));
                }
            }
        }
    }
    shells.retain(|s| s.0.len() >= 4);
    assemble(shells, holes)
}
