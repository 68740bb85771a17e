//! Geodesic measures on the WGS-84 ellipsoid: area and perimeter.
//!
//! Polygon edges are geodesics, as in GeographicLib, QGIS's ellipsoidal measures and PostGIS
//! geography. Perimeters use Karney's method (geographiclib). Areas use an exact equal-area
//! mapping instead of GeographicLib's edge-by-edge sum, which is about ten times faster:
//!
//! 1. each vertex goes to the authalic sphere (same longitude, authalic latitude β, radius
//!    R_q), which preserves area exactly;
//! 2. then through a Lambert azimuthal equal-area projection centred on the polygon, which also
//!    preserves area and keeps geodesics near the centre almost straight;
//! 3. the shoelace formula gives the planar area, which is the ellipsoidal area, once each edge
//!    longer than [`DENSIFY_M`] adds the sliver between its straight chord in the plane and the
//!    image of its geodesic. That image is a gentle curve; the sliver is taken as a parabolic
//!    segment through the geodesic's midpoint (Simpson's rule: 4/3 of the triangle the
//!    midpoint makes with the chord), the midpoint being where the ellipsoid's normal through
//!    the middle of the 3-D chord meets the surface. Edges longer than [`SIMPSON_MAX_M`] are
//!    first cut into pieces that short along the geodesic (GeographicLib), so that the normal
//!    section through that midpoint stays within a tenth of a millimetre of the geodesic.
//!
//! Against GeographicLib's figures this agrees to better than 1e-8 relative on every one of the
//! 2,875 Chinese county outlines (see `benches/china.rs`), and the unit tests hold it to
//! GeographicLib's on polygons with edges of 500 km.

use geo::{Coord, LineString, Polygon};
use geographiclib_rs::{Geodesic, InverseGeodesic};

use crate::core::lanes::Lanes;

/// WGS-84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS-84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// Square metres in one 亩 (mu): 10,000/15 m².
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Edges longer than this (metres) are measured as geodesics; shorter ones as their chord in
/// the equal-area plane (the two differ by under 0.01 m² on such an edge).
pub const DENSIFY_M: f64 = 500.0;

/// Edges longer than this (metres) are cut along the geodesic into pieces this long before
/// the parabolic rule of the module's step 3 is applied to each.
pub const SIMPSON_MAX_M: f64 = 20_000.0;

/// An area, stored in square metres, with the units planners quote.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, serde::Serialize)]
pub struct Area {
    /// Square metres.
    pub m2: f64,
}

impl Area {
    /// An area of `m2` square metres.
    pub fn from_m2(m2: f64) -> Self {
        Area { m2 }
    }
    /// Square kilometres.
    pub fn km2(self) -> f64 {
        self.m2 / 1e6
    }
    /// Hectares (公顷).
    pub fn hectares(self) -> f64 {
        self.m2 / 1e4
    }
    /// Mu (亩), 1 mu = 666.67 m².
    pub fn mu(self) -> f64 {
        self.m2 / M2_PER_MU
    }
}

/// Constants of the authalic (equal-area) sphere of WGS-84.
struct Authalic {
    e2: f64,
    qp: f64,
    /// Radius of the authalic sphere squared, m².
    rq2: f64,
}

// `const` has no `ln`, so these are written out; a unit test checks them against the closed
// forms e² = f(2 − f), q_p = 1 − (1 − e²)/(2e)·ln((1 − e)/(1 + e)), R_q² = a²·q_p/2.
const AUTH: Authalic = Authalic {
    e2: 0.006_694_379_990_141_316_5,
    qp: 1.995_531_087_502_837_6,
    rq2: 40_589_732_499_314.77,
};

impl Authalic {
    /// sin of the authalic latitude for sin φ: q(φ)/q_p, with
    /// q = (1 − e²)·(sin φ/(1 − e² sin²φ) + atanh(e sin φ)/e), the atanh by its series
    /// Σ (e² sin²φ)^k/(2k + 1) · sin φ, whose terms past the eighth are under 1e-18 (e² sin²φ
    /// is at most e², 0.0067): as exact as the logarithm, without one per vertex.
    #[inline]
    fn sin_beta(&self, sin_phi: f64) -> f64 {
        self.sin_beta_lanes(Lanes([sin_phi])).0[0]
    }

    /// [`Authalic::sin_beta`] of lanes of sin φ.
    #[inline(always)]
    fn sin_beta_lanes<const N: usize>(&self, sin_phi: Lanes<N>) -> Lanes<N> {
        let u = self.e2 * sin_phi * sin_phi;
        let atanh_over_e = sin_phi
            * (1.0
                + u * (1.0 / 3.0
                    + u * (1.0 / 5.0
                        + u * (1.0 / 7.0
                            + u * (1.0 / 9.0
                                + u * (1.0 / 11.0 + u * (1.0 / 13.0 + u * (1.0 / 15.0))))))));
        let q = (1.0 - self.e2) * (sin_phi / (1.0 - u) + atanh_over_e);
        (q / self.qp).map(|v| v.clamp(-1.0, 1.0))
    }
}

/// Lambert azimuthal equal-area projection of the authalic sphere (unit radius) about a centre.
struct Laea {
    lon0: f64,
    sin_b0: f64,
    cos_b0: f64,
}

impl Laea {
    fn new(lon0_deg: f64, lat0_deg: f64) -> Self {
        let sin_b0 = AUTH.sin_beta(lat0_deg.to_radians().sin());
        Laea {
            lon0: lon0_deg,
            sin_b0,
            cos_b0: (1.0 - sin_b0 * sin_b0).sqrt(),
        }
    }

    #[inline]
    fn project(&self, c: Coord<f64>) -> [f64; 2] {
        let [x, y] = self.project_lanes(Lanes([c.x]), Lanes([c.y]));
        [x.0[0], y.0[0]]
    }

    /// [`Laea::project`] of lanes of points (lon, lat in degrees), side by side with the same
    /// bits as one at a time (see [`Lanes`]).
    #[inline(always)]
    fn project_lanes<const N: usize>(&self, lon: Lanes<N>, lat: Lanes<N>) -> [Lanes<N>; 2] {
        let (sin_phi, _) = lat.map(f64::to_radians).sin_cos();
        let sin_b = AUTH.sin_beta_lanes(sin_phi);
        let cos_b = (1.0 - sin_b * sin_b).map(f64::sqrt);
        let dlon = (lon - self.lon0).map(|d| {
            if d > 180.0 {
                d - 360.0
            } else if d < -180.0 {
                d + 360.0
            } else {
                d
            }
        });
        let (sin_l, cos_l) = dlon.map(f64::to_radians).sin_cos();
        let denom = 1.0 + self.sin_b0 * sin_b + self.cos_b0 * cos_b * cos_l;
        // The antipode of the centre has no image; no polygon we centre on reaches it.
        let k = (2.0 / denom.map(|d| d.max(1e-300))).map(f64::sqrt);
        [
            k * cos_b * sin_l,
            k * (self.cos_b0 * sin_b - self.sin_b0 * cos_b * cos_l),
        ]
    }
}

/// Geodesic area of a polygon on the WGS-84 ellipsoid (holes subtracted), whatever the winding.
///
/// # Examples
/// ```
/// use geo::polygon;
/// use zonemap::core::measure::geodesic_area;
/// // One degree square at the equator: 12,308.78 km² (GeographicLib).
/// let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// assert!((geodesic_area(&p).km2() - 12_308.778_361_469_452).abs() < 1e-3);
/// ```
pub fn geodesic_area(polygon: &Polygon<f64>) -> Area {
    let ext = polygon.exterior();
    let Some((min, max)) = ring_bounds(ext) else {
        return Area::default();
    };
    let laea = Laea::new((min.x + max.x) / 2.0, (min.y + max.y) / 2.0);
    let mut unit_area = ring_area(&laea, ext).abs();
    for hole in polygon.interiors() {
        unit_area -= ring_area(&laea, hole).abs();
    }
    Area::from_m2(unit_area.max(0.0) * AUTH.rq2)
}

/// Total geodesic area of several polygons (not their union: overlaps count twice).
pub fn geodesic_area_sum<'a>(polygons: impl IntoIterator<Item = &'a Polygon<f64>>) -> Area {
    Area::from_m2(polygons.into_iter().map(|p| geodesic_area(p).m2).sum())
}

/// Geodesic perimeter of a polygon, outer ring and holes, in metres (Karney's method).
pub fn geodesic_perimeter_m(polygon: &Polygon<f64>) -> f64 {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(geodesic_length_m)
        .sum()
}

/// A polygon's area (m², holes taken off) and perimeter (m, holes' too) on its coordinates as
/// drawn: lon/lat on a local plane at its first point's latitude (110.574 km a degree of
/// latitude, 111.32 km by the cosine of longitude). Near enough to judge slivers against a
/// tolerance of metres, and blind to how far a long edge's geodesic parts from the straight
/// line between its ends, as the overlay on the coordinates is.
pub(crate) fn plane_measures_m(polygon: &Polygon<f64>) -> (f64, f64) {
    let Some(first) = polygon.exterior().0.first() else {
        return (0.0, 0.0);
    };
    let (kx, ky) = (first.y.to_radians().cos() * 111_320.0, 110_574.0);
    let (mut area, mut perimeter) = (0.0, 0.0);
    for (k, ring) in std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .enumerate()
    {
        let mut twice = 0.0;
        for w in ring.0.windows(2) {
            let (ax, ay) = ((w[0].x - first.x) * kx, (w[0].y - first.y) * ky);
            let (bx, by) = ((w[1].x - first.x) * kx, (w[1].y - first.y) * ky);
            twice += ax * by - bx * ay;
            // Metres at most a few thousand kilometres: no overflow for `hypot` to guard.
            perimeter += ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).sqrt();
        }
        area += if k == 0 {
            0.5 * twice.abs()
        } else {
            -0.5 * twice.abs()
        };
    }
    (area.max(0.0), perimeter)
}

/// Geodesic length of a line in metres (Karney's method).
pub fn geodesic_length_m(line: &LineString<f64>) -> f64 {
    let g = Geodesic::wgs84();
    line.0
        .windows(2)
        .map(|w| InverseGeodesic::<f64>::inverse(&g, w[0].y, w[0].x, w[1].y, w[1].x))
        .sum()
}

fn ring_bounds(ring: &LineString<f64>) -> Option<(Coord<f64>, Coord<f64>)> {
    let first = *ring.0.first()?;
    Some(ring.0.iter().fold((first, first), |(lo, hi), c| {
        (
            Coord {
                x: lo.x.min(c.x),
                y: lo.y.min(c.y),
            },
            Coord {
                x: hi.x.max(c.x),
                y: hi.y.max(c.y),
            },
        )
    }))
}

/// Signed shoelace area of a ring in the projection, on the unit sphere, with long edges
/// densified along the geodesic: [`ring_area_here`], compiled for the widest vector
/// instructions the processor has, as the GCJ-02 inverse is (see `gcj02::Batches`): the same
/// bits as compiled for SSE2. (Long edges and vertices over 100° of longitude from the centre
/// call libm's sines, whose last bit may depend on the processor, as it did before.)
fn ring_area(laea: &Laea, ring: &LineString<f64>) -> f64 {
    struct RingArea<'a>(&'a Laea, &'a LineString<f64>);
    impl pulp::WithSimd for RingArea<'_> {
        type Output = f64;
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _: S) -> f64 {
            ring_area_here(self.0, self.1)
        }
    }
    pulp::Arch::new().dispatch(RingArea(laea, ring))
}

/// [`ring_area`] as compiled where it is inlined.
#[inline(always)]
fn ring_area_here(laea: &Laea, ring: &LineString<f64>) -> f64 {
    let pts = &ring.0;
    if pts.len() < 3 {
        return 0.0;
    }
    // Start at the ring's least vertex, so that the same ring gives the same bits wherever it
    // happens to start (an overlay may hand back a unit's ring from another vertex).
    let open = match pts.split_last() {
        Some((last, open)) if *last == pts[0] => open,
        _ => &pts[..],
    };
    let start = open
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)))
        .map_or(0, |(i, _)| i);
    let walk = open[start..]
        .iter()
        .chain(&open[..start])
        .chain(std::iter::once(&open[start]));
    let mut walk = walk.copied();
    let Some(first) = walk.next() else {
        return 0.0;
    };
    let origin = laea.project(first);
    let rel = |p: [f64; 2]| [p[0] - origin[0], p[1] - origin[1]];
    // Chords longer than these on the unit sphere are measured as geodesics, and cut first.
    let curved_chord2 = (DENSIFY_M * DENSIFY_M) / AUTH.rq2;
    let simpson_chord2 = (SIMPSON_MAX_M * SIMPSON_MAX_M) / AUTH.rq2;
    let cross = |p: [f64; 2], q: [f64; 2]| p[0] * q[1] - q[0] * p[1];
    // Twice the area between the chord p → q and the geodesic a → b it stands for.
    let bulge = |a: Coord<f64>, b: Coord<f64>, p: [f64; 2], q: [f64; 2]| {
        let m = rel(laea.project(geodesic_midpoint(a, b)));
        4.0 / 3.0 * cross([m[0] - p[0], m[1] - p[1]], [q[0] - p[0], q[1] - p[1]])
    };
    let mut twice_area = 0.0;
    let mut prev = [0.0, 0.0];
    let mut prev_geo = first;
    // The vertices are projected eight side by side, then walked one by one. (Eight only since
    // both this and the GCJ-02 inverse are compiled per processor: before, when both were
    // compiled once for SSE2, eight here made the inverse twice as slow, so four it was. Now
    // eight takes a tenth off the counties' areas against four, and the inverse is no slower:
    // `cargo bench --bench china`, `--bench gcj02`.)
    const SIDE_BY_SIDE: usize = 8;
    loop {
        let mut batch = [first; SIDE_BY_SIDE];
        let mut n = 0;
        for (slot, c) in batch.iter_mut().zip(&mut walk) {
            *slot = c;
            n += 1;
        }
        if n == 0 {
            break;
        }
        let [xs, ys] = laea.project_lanes(Lanes(batch.map(|c| c.x)), Lanes(batch.map(|c| c.y)));
        for (i, &c) in batch[..n].iter().enumerate() {
            let p = rel([xs.0[i], ys.0[i]]);
            let (dx, dy) = (p[0] - prev[0], p[1] - prev[1]);
            let chord2 = dx * dx + dy * dy;
            if chord2 > simpson_chord2 {
                let (mut q0, mut g0) = (prev, prev_geo);
                for g in geodesic_points(prev_geo, c, SIMPSON_MAX_M)
                    .into_iter()
                    .chain(std::iter::once(c))
                {
                    let q = rel(laea.project(g));
                    twice_area += cross(q0, q) + bulge(g0, g, q0, q);
                    (q0, g0) = (q, g);
                }
            } else {
                twice_area += cross(prev, p);
                if chord2 > curved_chord2 {
                    twice_area += bulge(prev_geo, c, prev, p);
                }
            }
            prev = p;
            prev_geo = c;
        }
    }
    twice_area / 2.0
}

/// The point halfway along the geodesic from `a` to `b` (lon/lat, degrees), for edges up to
/// [`SIMPSON_MAX_M`]: where the ellipsoid's normal through the middle of the straight 3-D
/// chord meets the surface. By symmetry that is the midpoint of the normal section through it,
/// which on edges of 20 km lies within 0.1 mm of the geodesic; its latitude comes from
/// Bowring's formula, exact to well under a micrometre this close to the surface.
fn geodesic_midpoint(a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
    // Earth-centred coordinates, longitudes counted from `a`'s (so that the midpoint's
    // longitude needs no wrapping), divided by the semi-major axis.
    let ecef = |c: Coord<f64>, dlon: f64| {
        let (sin_phi, cos_phi) = c.y.to_radians().sin_cos();
        let (sin_l, cos_l) = dlon.to_radians().sin_cos();
        let n = 1.0 / (1.0 - AUTH.e2 * sin_phi * sin_phi).sqrt();
        [
            n * cos_phi * cos_l,
            n * cos_phi * sin_l,
            n * (1.0 - AUTH.e2) * sin_phi,
        ]
    };
    let mut dlon = b.x - a.x;
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    let (pa, pb) = (ecef(a, 0.0), ecef(b, dlon));
    let [x, y, z] = [
        (pa[0] + pb[0]) / 2.0,
        (pa[1] + pb[1]) / 2.0,
        (pa[2] + pb[2]) / 2.0,
    ];
    let p = (x * x + y * y).sqrt();
    // Bowring (1976) on the unit-axis ellipsoid: b = √(1 − e²), e'² = e²/(1 − e²).
    let b_axis = (1.0 - AUTH.e2).sqrt();
    let ep2 = AUTH.e2 / (1.0 - AUTH.e2);
    let t = (z * z + p * p * (1.0 - AUTH.e2)).sqrt();
    let (sin_t, cos_t) = (z / t, p * b_axis / t);
    let lat = (z + ep2 * b_axis * sin_t.powi(3)).atan2(p - AUTH.e2 * cos_t.powi(3));
    Coord {
        x: a.x + y.atan2(x).to_degrees(),
        y: lat.to_degrees(),
    }
}

/// Points strictly between `a` and `b` along the geodesic, at most `step_m` apart.
fn geodesic_points(a: Coord<f64>, b: Coord<f64>, step_m: f64) -> Vec<Coord<f64>> {
    use geographiclib_rs::{GeodesicLine, geodesic_capability as caps};
    let g = Geodesic::wgs84();
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) =
        InverseGeodesic::inverse(&g, a.y, a.x, b.y, b.x);
    let n = (s12 / step_m).ceil() as usize;
    if n < 2 {
        return Vec::new();
    }
    // One line, many positions: much cheaper than a full direct problem per point.
    let line = GeodesicLine::new(
        &g,
        a.y,
        a.x,
        azi1,
        Some(caps::LATITUDE | caps::LONGITUDE | caps::DISTANCE_IN),
        None,
        None,
    );
    (1..n)
        .map(|i| {
            let s = s12 * i as f64 / n as f64;
            let (_, lat, lon, ..) = line._gen_position(false, s, caps::LATITUDE | caps::LONGITUDE);
            Coord { x: lon, y: lat }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::polygon;

    #[test]
    fn authalic_constants_match_their_closed_forms() {
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let e = e2.sqrt();
        let qp = 1.0 - (1.0 - e2) / (2.0 * e) * ((1.0 - e) / (1.0 + e)).ln();
        assert_relative_eq!(AUTH.e2, e2, max_relative = 1e-15);
        assert_relative_eq!(AUTH.qp, qp, max_relative = 1e-15);
        assert_relative_eq!(AUTH.rq2, WGS84_A * WGS84_A * qp / 2.0, max_relative = 1e-15);
    }

    #[test]
    fn areas_have_the_same_bits_compiled_for_any_processor() {
        // `ring_area` runs as compiled for this processor's widest vectors; `ring_area_here`,
        // called here, as compiled for the build's target. Wiggly rings of every length about
        // the eight lanes, short edges and long (densified), across 105°E.
        for n in (3..40).chain([257, 1_000]) {
            for (scale, lon0) in [(0.01, 120.3), (0.4, 104.9), (6.0, 100.0)] {
                let ring = LineString(
                    (0..=n)
                        .map(|k| {
                            let t = (k % n) as f64 / n as f64 * std::f64::consts::TAU;
                            let r = scale * (1.0 + 0.3 * (5.0 * t).sin());
                            Coord {
                                x: lon0 + r * t.cos(),
                                y: 31.0 + r * t.sin(),
                            }
                        })
                        .collect(),
                );
                let laea = Laea::new(lon0, 31.0);
                let (wide, plain) = (ring_area(&laea, &ring), ring_area_here(&laea, &ring));
                assert!(plain != 0.0);
                assert_eq!(wide.to_bits(), plain.to_bits(), "{n} vertices, {scale}°");
            }
        }
    }

    #[test]
    fn winding_does_not_change_area() {
        let ccw = polygon![(x: 120.0, y: 31.0), (x: 120.1, y: 31.0), (x: 120.1, y: 31.1), (x: 120.0, y: 31.1)];
        let mut cw = ccw.clone();
        cw.exterior_mut(|r| r.0.reverse());
        assert_relative_eq!(
            geodesic_area(&ccw).m2,
            geodesic_area(&cw).m2,
            max_relative = 1e-12
        );
    }

    #[test]
    fn one_degree_square_matches_geographiclib() {
        // GeographicLib 2.1 (Python), Geodesic.WGS84.Polygon(), edges as geodesics.
        let p = polygon![(x: 120.0, y: 31.0), (x: 121.0, y: 31.0), (x: 121.0, y: 32.0), (x: 120.0, y: 32.0)];
        assert_relative_eq!(
            geodesic_area(&p).m2,
            10_533_592_046.028_198,
            max_relative = 1e-7
        );
    }

    #[test]
    fn long_edges_match_geographiclib() {
        // GeographicLib 2.1 (Python), Geodesic.WGS84.Polygon(), edges as geodesics: a 5°
        // square, a triangle with 500 km edges, a county-sized square with 3 km edges, a strip
        // 50° long and 0.01° wide, and a triangle at 60°N.
        let square5 = polygon![(x: 100.0, y: 30.0), (x: 105.0, y: 30.0), (x: 105.0, y: 35.0), (x: 100.0, y: 35.0)];
        let tri500 = polygon![(x: 110.0, y: 20.0), (x: 115.0, y: 22.0), (x: 111.0, y: 25.0)];
        let strip = polygon![(x: 80.0, y: 40.0), (x: 130.0, y: 40.0), (x: 130.0, y: 40.01), (x: 80.0, y: 40.01)];
        let north = polygon![(x: 10.0, y: 60.0), (x: 12.0, y: 60.0), (x: 11.0, y: 62.0)];
        let side = |k: usize| 0.03 * k as f64;
        let county: Vec<(f64, f64)> = (0..10)
            .map(|i| (120.0 + side(i), 31.0))
            .chain((0..10).map(|i| (120.3, 31.0 + side(i))))
            .chain((0..10).map(|i| (120.3 - side(i), 31.3)))
            .chain((0..10).map(|i| (120.0, 31.3 - side(i))))
            .collect();
        let county = Polygon::new(county.into(), vec![]);
        for (p, reference) in [
            (square5, 260_479_912_458.640_14),
            (tri500, 131_460_588_798.674_1),
            (county, 951_491_706.600_753_8),
            (strip, 4_648_986_179.378_906),
            (north, 12_412_810_690.236_572),
        ] {
            let error = (geodesic_area(&p).m2 - reference).abs() / reference;
            assert!(error < 1e-12, "{error:e} off GeographicLib's {reference}");
        }
    }

    #[test]
    fn units_convert() {
        let a = Area::from_m2(1_000_000.0);
        assert_relative_eq!(a.km2(), 1.0);
        assert_relative_eq!(a.hectares(), 100.0);
        assert_relative_eq!(a.mu(), 1500.0);
    }
}
