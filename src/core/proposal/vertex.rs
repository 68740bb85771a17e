//! Editing a zone's outline vertex by vertex: which vertex ([`VertexRef`]), and moving,
//! inserting and deleting one.

use super::*;

/// A vertex of a MultiPolygon: which polygon, which ring (0 is the outer one, then the holes)
/// and which point of it (the closing point is never addressed: it follows the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VertexRef {
    /// Which polygon of the MultiPolygon, from 0.
    pub polygon: usize,
    /// Which ring of that polygon: 0 the exterior, then its holes from 1.
    pub ring: usize,
    /// Which point of that ring, from 0.
    pub index: usize,
}

pub(super) fn ring_mut(mp: &mut MultiPolygon<f64>, v: VertexRef) -> Option<Vec<Coord<f64>>> {
    let p = mp.0.get(v.polygon)?;
    let ring = if v.ring == 0 {
        p.exterior()
    } else {
        p.interiors().get(v.ring - 1)?
    };
    let mut open = ring.0.clone();
    if open.len() > 1 && open.first() == open.last() {
        open.pop();
    }
    Some(open)
}

pub(super) fn put_ring(mp: &mut MultiPolygon<f64>, v: VertexRef, mut open: Vec<Coord<f64>>) {
    if let Some(&first) = open.first() {
        open.push(first);
    }
    let p = &mut mp.0[v.polygon];
    if v.ring == 0 {
        p.exterior_mut(|r| *r = LineString(open));
    } else {
        p.interiors_mut(|holes| holes[v.ring - 1] = LineString(open));
    }
}

/// The vertices of a shape's rings, open (without the closing point).
pub fn vertices(mp: &MultiPolygon<f64>) -> Vec<(VertexRef, Coord<f64>)> {
    let mut out = Vec::new();
    for (pi, p) in mp.0.iter().enumerate() {
        for (ri, ring) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            let n = ring.0.len().saturating_sub(1);
            for (i, c) in ring.0.iter().take(n).enumerate() {
                let v = VertexRef {
                    polygon: pi,
                    ring: ri,
                    index: i,
                };
                out.push((v, *c));
            }
        }
    }
    out
}

/// The shape with vertex `v` moved to `to`.
pub fn move_vertex(
    mp: &MultiPolygon<f64>,
    v: VertexRef,
    to: Coord<f64>,
) -> Result<MultiPolygon<f64>, EditError> {
    let mut out = mp.clone();
    let mut ring = ring_mut(&mut out, v).ok_or(EditError::NoVertex)?;
    *ring.get_mut(v.index).ok_or(EditError::NoVertex)? = to;
    put_ring(&mut out, v, ring);
    check(&out)?;
    Ok(out)
}

/// The shape with a new vertex at `at`, after vertex `v` (on the edge from `v` to the next).
pub fn insert_vertex(
    mp: &MultiPolygon<f64>,
    v: VertexRef,
    at: Coord<f64>,
) -> Result<MultiPolygon<f64>, EditError> {
    let mut out = mp.clone();
    let mut ring = ring_mut(&mut out, v).ok_or(EditError::NoVertex)?;
    if v.index >= ring.len() {
        return Err(EditError::NoVertex);
    }
    ring.insert(v.index + 1, at);
    put_ring(&mut out, v, ring);
    check(&out)?;
    Ok(out)
}

/// The shape without vertex `v`; a ring keeps at least three points.
pub fn delete_vertex(mp: &MultiPolygon<f64>, v: VertexRef) -> Result<MultiPolygon<f64>, EditError> {
    let mut out = mp.clone();
    let mut ring = ring_mut(&mut out, v).ok_or(EditError::NoVertex)?;
    if v.index >= ring.len() {
        return Err(EditError::NoVertex);
    }
    if ring.len() <= 3 {
        return Err(EditError::RingTooSmall);
    }
    ring.remove(v.index);
    put_ring(&mut out, v, ring);
    check(&out)?;
    Ok(out)
}
