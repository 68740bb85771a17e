//! GCJ-02 (国测局坐标, the obfuscated datum of Amap, Tencent and other Chinese web maps) and
//! BD-09 (Baidu's, a further shift of GCJ-02), by the public formula, and back.
//!
//! The forward formula (WGS-84 → GCJ-02) shifts a point by up to about 700 m with a smooth
//! function of its position (on the Krasovsky ellipsoid's radii). It has no closed inverse: the
//! inverse here solves `gcj(w) = g` by Newton's method with the formula's exact Jacobian, to
//! under 1e-10° (checked against the forward formula in the tests; the usual one-step inverse,
//! `g − (gcj(g) − g)`, is off by up to 4.8 m, and is where Newton starts). The inverse depends on
//! the point alone, so shared boundaries stay shared. Outside China's bounding box the formula
//! leaves points as they are, as every implementation of it does.
//!
//! Runs of points (what the readers hand over) are inverted eight side by side
//! ([`gcj02_to_wgs84_each`]), with the same bits as one at a time: the formula is written once
//! over lanes of numbers, and its sines come from their series rather than libm, so that a
//! point gives the same result in a lane as alone. They are compiled for the widest vector
//! instructions the processor has, found at run time (`pulp`), with the same bits on each.
//!
//! These figures measure agreement with the public formula, not with the official service,
//! whose exact algorithm is not published.

use geo::Coord;

use crate::core::lanes::Lanes;

/// Krasovsky 1940 semi-major axis, metres, as the formula uses it.
const A: f64 = 6_378_245.0;
/// Krasovsky 1940 first eccentricity squared, as the formula uses it.
const EE: f64 = 0.006_693_421_622_965_943;
const PI: f64 = std::f64::consts::PI;
/// BD-09's own constant (π·3000/180).
const X_PI: f64 = PI * 3000.0 / 180.0;

/// Whether the formula applies at a point: inside the box every implementation uses for China.
pub fn in_china(c: Coord<f64>) -> bool {
    (72.004..=137.8347).contains(&c.x) && (0.8293..=55.8271).contains(&c.y)
}

/// A sine and cosine pair, in lanes.
#[derive(Clone, Copy)]
struct SinCos<const N: usize> {
    s: Lanes<N>,
    c: Lanes<N>,
}

impl<const N: usize> SinCos<N> {
    #[inline(always)]
    fn of(angle: Lanes<N>) -> SinCos<N> {
        let (s, c) = angle.sin_cos();
        SinCos { s, c }
    }

    #[inline(always)]
    fn double(self) -> SinCos<N> {
        SinCos {
            s: 2.0 * self.s * self.c,
            c: (self.c - self.s) * (self.c + self.s),
        }
    }

    #[inline(always)]
    fn triple(self) -> SinCos<N> {
        SinCos {
            s: self.s * (3.0 - 4.0 * self.s * self.s),
            c: self.c * (4.0 * self.c * self.c - 3.0),
        }
    }

    #[inline(always)]
    fn plus(self, o: SinCos<N>) -> SinCos<N> {
        SinCos {
            s: self.s * o.c + self.c * o.s,
            c: self.c * o.c - self.s * o.s,
        }
    }
}

/// The formula's sines (and cosines, for its derivatives) of one offset coordinate `t`
/// (degrees from 105°E or 35°N): of π·t·k for k = 1/30, 1/12, 1/3, 1, and, in longitude, 2 and
/// 6. All come from one `sin_cos` by multiple-angle identities, which lose at most a few
/// hundred ulps at 360·θ: far below anything the shift (hundreds of metres) could show, and 2
/// trigonometric calls per point (with the latitude's) instead of 14.
struct Waves<const N: usize> {
    k30: SinCos<N>,
    k12: SinCos<N>,
    k3: SinCos<N>,
    k1: SinCos<N>,
}

impl<const N: usize> Waves<N> {
    /// From the sine and cosine of θ = π·t/180 (t in radians): π·t/60 is 3θ.
    #[inline(always)]
    fn of_radians(theta: SinCos<N>) -> Waves<N> {
        Waves::from_k60(theta.triple())
    }

    #[inline(always)]
    fn of(t: Lanes<N>) -> Waves<N> {
        Waves::from_k60(SinCos::of(t * PI / 60.0))
    }

    #[inline(always)]
    fn from_k60(a1: SinCos<N>) -> Waves<N> {
        let k30 = a1.double();
        let k12 = k30.plus(a1.triple());
        let k3 = k12.double().double();
        let k1 = k3.triple();
        Waves { k30, k12, k3, k1 }
    }

    /// Of 2π·t and 6π·t, which only the longitude's waves need.
    #[inline(always)]
    fn k2_k6(&self) -> (SinCos<N>, SinCos<N>) {
        let k2 = self.k1.double();
        (k2, k2.triple())
    }
}

/// The shift in metres (east, north) at points `x`, `y` degrees from (105°E, 35°N), and its
/// partial derivatives in metres per degree: ((dlon, ∂x, ∂y), (dlat, ∂x, ∂y)).
#[inline(always)]
fn shift<const N: usize>(
    x: Lanes<N>,
    y: Lanes<N>,
    wx: &Waves<N>,
    wy: &Waves<N>,
) -> ([Lanes<N>; 3], [Lanes<N>; 3]) {
    const K: f64 = 2.0 / 3.0;
    let root = x.map(|x| x.abs().sqrt());
    // d√|x|/dx; infinite at x = 0, where the callers do not use it.
    let droot = root.zip(x, |root, x| {
        if root > 0.0 {
            0.5 * x.signum() / root
        } else {
            0.0
        }
    });
    let p = PI;
    // Terms in x shared by both: 20·sin(6πx) + 20·sin(2πx).
    let (k2, k6) = wx.k2_k6();
    let shared = (20.0 * k6.s + 20.0 * k2.s) * K;
    let dshared = (20.0 * 6.0 * p * k6.c + 20.0 * 2.0 * p * k2.c) * K;

    let dlat = -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * root
        + shared
        + (20.0 * wy.k1.s + 40.0 * wy.k3.s) * K
        + (160.0 * wy.k12.s + 320.0 * wy.k30.s) * K;
    let dlat_dx = 2.0 + 0.1 * y + 0.2 * droot + dshared;
    let dlat_dy = 3.0
        + 0.4 * y
        + 0.1 * x
        + (20.0 * p * wy.k1.c + 40.0 * p / 3.0 * wy.k3.c) * K
        + (160.0 * p / 12.0 * wy.k12.c + 320.0 * p / 30.0 * wy.k30.c) * K;

    let dlon = 300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * root
        + shared
        + (20.0 * wx.k1.s + 40.0 * wx.k3.s) * K
        + (150.0 * wx.k12.s + 300.0 * wx.k30.s) * K;
    let dlon_dx = 1.0
        + 0.2 * x
        + 0.1 * y
        + 0.1 * droot
        + dshared
        + (20.0 * p * wx.k1.c + 40.0 * p / 3.0 * wx.k3.c) * K
        + (150.0 * p / 12.0 * wx.k12.c + 300.0 * p / 30.0 * wx.k30.c) * K;
    let dlon_dy = 2.0 + 0.1 * x;
    ([dlon, dlon_dx, dlon_dy], [dlat, dlat_dx, dlat_dy])
}

/// The forward formula at WGS-84 points inside China, side by side: their GCJ-02 coordinates
/// (lon, lat) and the Jacobian of the mapping (degrees per degree), rows (lon, lat), columns
/// (∂lon, ∂lat). (Inlined, so that a caller that wants only the coordinates does not pay for
/// the rest.)
#[inline(always)]
fn forward_lanes<const N: usize>(
    lon: Lanes<N>,
    lat: Lanes<N>,
) -> ([Lanes<N>; 2], [[Lanes<N>; 2]; 2]) {
    let (x, y) = (lon - 105.0, lat - 35.0);
    // y in radians gives the waves in y and, turned by 35°, the latitude's sine and cosine.
    let y_rad = SinCos::of(y.map(f64::to_radians));
    let wy = Waves::of_radians(y_rad);
    let (dlon, dlat) = shift(x, y, &Waves::of(x), &wy);
    let at_35 = SinCos {
        s: Lanes::splat(0.573_576_436_351_046),
        c: Lanes::splat(0.819_152_044_288_991_8),
    };
    let SinCos { s: sin, c: cos } = y_rad.plus(at_35);
    let magic = 1.0 - EE * sin * sin;
    let sqrt_magic = magic.map(f64::sqrt);
    let (inv_cos, inv_magic) = (1.0 / cos, 1.0 / magic);
    const DEG: f64 = PI / 180.0;
    // Degrees per metre east and north, and their changes with latitude (per degree).
    let k_lon = sqrt_magic * inv_cos / (A * DEG);
    let k_lat = magic * sqrt_magic / (A * (1.0 - EE) * DEG);
    let dmagic_over_magic = -2.0 * EE * sin * cos * DEG * inv_magic;
    let dk_lon = k_lon * (0.5 * dmagic_over_magic + sin * inv_cos * DEG);
    let dk_lat = k_lat * 1.5 * dmagic_over_magic;
    let g = [lon + dlon[0] * k_lon, lat + dlat[0] * k_lat];
    let jacobian = [
        [1.0 + k_lon * dlon[1], k_lon * dlon[2] + dlon[0] * dk_lon],
        [k_lat * dlat[1], 1.0 + k_lat * dlat[2] + dlat[0] * dk_lat],
    ];
    (g, jacobian)
}

/// The forward formula at one WGS-84 point inside China: its GCJ-02 coordinates and the
/// Jacobian ([`forward_lanes`] of one lane).
#[inline(always)]
fn forward(c: Coord<f64>) -> (Coord<f64>, [[f64; 2]; 2]) {
    let (g, j) = forward_lanes(Lanes([c.x]), Lanes([c.y]));
    (
        Coord {
            x: g[0].0[0],
            y: g[1].0[0],
        },
        [[j[0][0].0[0], j[0][1].0[0]], [j[1][0].0[0], j[1][1].0[0]]],
    )
}

/// WGS-84 lon/lat (degrees) to GCJ-02.
pub fn wgs84_to_gcj02(c: Coord<f64>) -> Coord<f64> {
    if !in_china(c) {
        return c;
    }
    forward(c).0
}

/// Newton's steps stop once a step is under this (degrees, about 4 m): the formula's second
/// derivatives are under 0.09 per degree (0.045 halved, as the error of the step after is
/// bounded by), so the point is then within 0.045 · (4e-5)² = 7.2e-11° of the solution. From
/// the one-step guess (off by at most 4.8 m) one step is nearly always enough.
const NEWTON_LAST_STEP: f64 = 4e-5;
/// Within this of 105°E the formula's √|x| term has no usable derivative (its second derivative
/// grows without bound): plain iteration there.
const NEAR_105: f64 = 0.02;

/// GCJ-02 lon/lat to WGS-84, to under 1e-10° (about 0.01 mm), by Newton's method on the
/// forward formula with its exact Jacobian, from the usual one-step inverse `g − (gcj(g) − g)`
/// (off by up to 4.8 m). A pure function of the point: the same GCJ-02 coordinates always give
/// the same bits, so outlines that share a boundary (in one layer or two) still share it,
/// and a ring that touches itself still only touches. At most 12 steps; near 105°E, plain
/// iteration.
fn invert(g: Coord<f64>) -> Coord<f64> {
    if !in_china(g) {
        return g;
    }
    // The shift is under 0.01°, so w stays on the same side of 105°E as g.
    if (g.x - 105.0).abs() < NEAR_105 {
        return invert_by_iteration(g);
    }
    let target = [Lanes([g.x]), Lanes([g.y])];
    let mut w = guess(target, forward_lanes(target[0], target[1]).0);
    for _ in 0..12 {
        let stepped = newton(target, w, forward_lanes(w[0], w[1]));
        match Step::of(stepped, 0) {
            Step::Done(w) => return w,
            Step::Further => w = stepped.0,
            Step::Failed => break,
        }
    }
    invert_by_iteration(g)
}

/// The usual one-step inverse `g − (gcj(g) − g)`, from `f0 = gcj(g)`: where Newton starts.
#[inline(always)]
fn guess<const N: usize>(g: [Lanes<N>; 2], f0: [Lanes<N>; 2]) -> [Lanes<N>; 2] {
    [g[0] - (f0[0] - g[0]), g[1] - (f0[1] - g[1])]
}

/// One Newton step toward `gcj(w) = g` from `w`, given `forward_lanes(w)`: the point it
/// reaches and the step taken (degrees).
#[inline(always)]
fn newton<const N: usize>(
    g: [Lanes<N>; 2],
    w: [Lanes<N>; 2],
    (f, j): ([Lanes<N>; 2], [[Lanes<N>; 2]; 2]),
) -> ([Lanes<N>; 2], [Lanes<N>; 2]) {
    let (rx, ry) = (f[0] - g[0], f[1] - g[1]);
    let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    let dx = (j[1][1] * rx - j[0][1] * ry) / det;
    let dy = (j[0][0] * ry - j[1][0] * rx) / det;
    ([w[0] - dx, w[1] - dy], [dx, dy])
}

/// What one Newton step toward `gcj(w) = g` gave.
enum Step {
    /// The step was under [`NEWTON_LAST_STEP`]: this is the solution.
    Done(Coord<f64>),
    /// Not yet: step again from where it reached.
    Further,
    /// The Jacobian was singular there.
    Failed,
}

impl Step {
    /// Lane `i` of what [`newton`] gave.
    #[inline(always)]
    fn of<const N: usize>((next, step): ([Lanes<N>; 2], [Lanes<N>; 2]), i: usize) -> Step {
        let (dx, dy) = (step[0].0[i], step[1].0[i]);
        let next = Coord {
            x: next[0].0[i],
            y: next[1].0[i],
        };
        if !dx.is_finite() || !dy.is_finite() {
            Step::Failed
        } else if dx.abs() < NEWTON_LAST_STEP && dy.abs() < NEWTON_LAST_STEP {
            Step::Done(next)
        } else {
            Step::Further
        }
    }
}

/// Points inverted side by side by [`gcj02_to_wgs84_each`].
const LANES: usize = 8;

/// [`invert`] of [`LANES`] points at once, with the same bits as one at a time. The inverse is
/// a long chain of dependent arithmetic, so one point at a time leaves most of the processor
/// waiting; independent chains written side by side (in [`Lanes`], which the compiler turns
/// into vector instructions) keep it busy. The common case (every point in China, away from
/// 105°E, done after the first Newton step, as nearly every point is) runs side by side; any
/// other point goes through [`invert`] alone.
#[inline(always)]
fn invert_lanes(g: [Coord<f64>; LANES]) -> [Coord<f64>; LANES] {
    if !g
        .iter()
        .all(|&c| in_china(c) && (c.x - 105.0).abs() >= NEAR_105)
    {
        return g.map(invert);
    }
    let g_lanes = [Lanes(g.map(|c| c.x)), Lanes(g.map(|c| c.y))];
    let w = guess(g_lanes, forward_lanes(g_lanes[0], g_lanes[1]).0);
    let stepped = newton(g_lanes, w, forward_lanes(w[0], w[1]));
    std::array::from_fn(|i| match Step::of(stepped, i) {
        Step::Done(w) => w,
        _ => invert(g[i]),
    })
}

/// [`gcj02_to_wgs84`] of every coordinate, in place: the same result as one at a time, in
/// a third of the time (50–58 against 150–200 ns a point on the counties' 4.2 million
/// vertices, `cargo bench --bench gcj02`).
pub fn gcj02_to_wgs84_each<'a>(coords: impl IntoIterator<Item = &'a mut Coord<f64>>) {
    let mut coords: Vec<&mut Coord<f64>> = coords.into_iter().collect();
    let mut batches = coords.chunks_exact_mut(LANES);
    pulp::Arch::new().dispatch(Batches(&mut batches));
    // The last few side by side too, the first of them standing in for the lanes left over.
    let rest = batches.into_remainder();
    if let Some(first) = rest.first().map(|c| **c) {
        let out = invert_lanes(std::array::from_fn(|i| rest.get(i).map_or(first, |c| **c)));
        for (c, w) in rest.iter_mut().zip(out) {
            **c = w;
        }
    }
}

/// Whole batches of [`LANES`] points for [`gcj02_to_wgs84_each`] to invert in place, with the
/// widest vector instructions the processor has: `pulp` finds them at run time (AVX2 on most
/// x86-64 processors since 2013; else what the build targets, SSE2) and compiles what is inlined
/// here for each. The lanes' arithmetic is the same IEEE operations at any width, and Rust
/// never fuses a multiplication and an addition unasked, so the bits are the same on every
/// processor. AVX2 takes a quarter off the inverse (75–83 → 58–60 ns a point, alternating
/// builds, `cargo bench --bench gcj02`).
struct Batches<'s, 'b, 'a>(&'s mut std::slice::ChunksExactMut<'b, &'a mut Coord<f64>>);

impl pulp::WithSimd for Batches<'_, '_, '_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        for batch in &mut *self.0 {
            let out = invert_lanes(std::array::from_fn(|i| *batch[i]));
            for (c, w) in batch.iter_mut().zip(out) {
                **c = w;
            }
        }
    }
}

/// The plain inverse: `w ← w − (gcj(w) − g)` from `w = g`, to under 1e-10°; each step shrinks
/// the error a hundredfold or more.
fn invert_by_iteration(g: Coord<f64>) -> Coord<f64> {
    refine(g, g, wgs84_to_gcj02, 30)
}

/// The point `w` near `start` where `forward(w) = target`, by the fixed-point step
/// `w ← w − (forward(w) − target)`, to under 1e-10° or `steps` steps. The offsets these
/// formulas add vary slowly, so each step shrinks the error a hundredfold or more.
fn refine(
    start: Coord<f64>,
    target: Coord<f64>,
    forward: fn(Coord<f64>) -> Coord<f64>,
    steps: usize,
) -> Coord<f64> {
    let mut w = start;
    for _ in 0..steps {
        let f = forward(w);
        let (dx, dy) = (f.x - target.x, f.y - target.y);
        w = Coord {
            x: w.x - dx,
            y: w.y - dy,
        };
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    w
}

/// GCJ-02 lon/lat to WGS-84, to under 1e-10° (about 0.01 mm).
pub fn gcj02_to_wgs84(g: Coord<f64>) -> Coord<f64> {
    invert(g)
}

/// GCJ-02 to BD-09.
pub fn gcj02_to_bd09(g: Coord<f64>) -> Coord<f64> {
    let z = g.x.hypot(g.y) + 0.00002 * (g.y * X_PI).sin();
    let theta = g.y.atan2(g.x) + 0.000003 * (g.x * X_PI).cos();
    Coord {
        x: z * theta.cos() + 0.0065,
        y: z * theta.sin() + 0.006,
    }
}

/// BD-09 to GCJ-02: the usual closed approximation, then refined against [`gcj02_to_bd09`] to
/// under 1e-10°.
pub fn bd09_to_gcj02(b: Coord<f64>) -> Coord<f64> {
    let (x, y) = (b.x - 0.0065, b.y - 0.006);
    let z = x.hypot(y) - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    let closed = Coord {
        x: z * theta.cos(),
        y: z * theta.sin(),
    };
    refine(closed, b, gcj02_to_bd09, 8)
}

/// WGS-84 to BD-09.
pub fn wgs84_to_bd09(c: Coord<f64>) -> Coord<f64> {
    gcj02_to_bd09(wgs84_to_gcj02(c))
}

/// BD-09 to WGS-84.
pub fn bd09_to_wgs84(b: Coord<f64>) -> Coord<f64> {
    gcj02_to_wgs84(bd09_to_gcj02(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metres(a: Coord<f64>, b: Coord<f64>) -> f64 {
        let k = 111_320.0;
        ((a.x - b.x) * k * a.y.to_radians().cos()).hypot((a.y - b.y) * k)
    }

    #[test]
    fn the_shift_near_suzhou_is_what_the_formula_gives() {
        // prcoords (PyPI, public domain): wgs_gcj((31.3, 120.6)) gives
        // (31.297812482906934, 120.60416981594648); wgs_bd((39.91, 116.39)) gives
        // (39.9177395269732, 116.4026127195303).
        let g = wgs84_to_gcj02(Coord { x: 120.6, y: 31.3 });
        assert!((g.x - 120.604_169_815_946_48).abs() < 1e-12, "{g:?}");
        assert!((g.y - 31.297_812_482_906_934).abs() < 1e-12, "{g:?}");
        let b = wgs84_to_bd09(Coord {
            x: 116.39,
            y: 39.91,
        });
        assert!((b.x - 116.402_612_719_530_3).abs() < 1e-9, "{b:?}");
        assert!((b.y - 39.917_739_526_973_2).abs() < 1e-9, "{b:?}");
    }

    #[test]
    fn the_inverse_returns_within_a_millimetre_everywhere_in_china() {
        let mut worst: f64 = 0.0;
        for i in 0..=60 {
            for j in 0..=35 {
                let w = Coord {
                    x: 73.5 + f64::from(i) * 1.03,
                    y: 18.0 + f64::from(j) * 1.0,
                };
                let back = gcj02_to_wgs84(wgs84_to_gcj02(w));
                worst = worst.max(metres(w, back));
            }
        }
        assert!(worst < 1e-3, "{worst} m");
    }

    #[test]
    fn side_by_side_the_inverse_gives_the_same_bits_as_one_at_a_time() {
        // Points everywhere in China, some within 0.02° of 105°E (plain iteration there), some
        // outside the box (left as they are), one not a number, in runs of every length from 0
        // to 20 (full batches of eight and what is left over).
        let mut points: Vec<Coord<f64>> = grid().step_by(37).collect();
        points.extend((0..40).map(|i| Coord {
            x: 104.985 + f64::from(i) * 0.00075,
            y: 30.0 + f64::from(i) * 0.1,
        }));
        points.extend([
            Coord { x: 10.0, y: 50.0 },
            Coord { x: 137.9, y: 30.0 },
            Coord {
                x: f64::NAN,
                y: 30.0,
            },
        ]);
        let alone: Vec<Coord<f64>> = points.iter().map(|&c| gcj02_to_wgs84(c)).collect();
        let bits = |c: &Coord<f64>| (c.x.to_bits(), c.y.to_bits());
        let mut start = 0;
        for len in (0..=20).cycle() {
            if start >= points.len() {
                break;
            }
            let end = (start + len).min(points.len());
            let mut run = points[start..end].to_vec();
            gcj02_to_wgs84_each(run.iter_mut());
            for (i, c) in run.iter().enumerate() {
                assert_eq!(bits(c), bits(&alone[start + i]), "{:?}", points[start + i]);
            }
            start = end;
        }
        // And the points come back to where the forward formula took them from.
        let w = Coord { x: 120.6, y: 31.3 };
        let mut run = vec![wgs84_to_gcj02(w); 9];
        gcj02_to_wgs84_each(run.iter_mut());
        assert!(run.iter().all(|c| metres(*c, w) < 1e-3), "{run:?}");
    }

    /// The formula as published, one libm call per term, to check the fast evaluation against.
    fn published(c: Coord<f64>) -> Coord<f64> {
        let (x, y) = (c.x - 105.0, c.y - 35.0);
        let mut lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
        lat += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
        lat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
        lat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
        let mut lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
        lon += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
        lon += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
        lon += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
        let rad = c.y.to_radians();
        let magic = 1.0 - EE * rad.sin() * rad.sin();
        let sqrt_magic = magic.sqrt();
        Coord {
            x: c.x + lon * 180.0 / (A / sqrt_magic * rad.cos() * PI),
            y: c.y + lat * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI),
        }
    }

    fn grid() -> impl Iterator<Item = Coord<f64>> {
        (0..=600).flat_map(|i| {
            (0..=350).map(move |j| Coord {
                x: 73.5 + f64::from(i) * 0.1031,
                y: 18.0 + f64::from(j) * 0.1001,
            })
        })
    }

    #[test]
    fn the_fast_evaluation_is_the_published_formula() {
        let worst = grid()
            .map(|c| {
                let (a, b) = (wgs84_to_gcj02(c), published(c));
                (a.x - b.x).abs().max((a.y - b.y).abs())
            })
            .fold(0.0, f64::max);
        assert!(worst < 1e-12, "{worst}°");
    }

    #[test]
    fn the_jacobian_is_the_formulas_derivative() {
        for c in grid().step_by(997) {
            if (c.x - 105.0).abs() < 0.05 {
                continue;
            }
            let (_, j) = forward(c);
            let h = 1e-6;
            let d = |dx: f64, dy: f64| {
                let p = published(Coord {
                    x: c.x + dx,
                    y: c.y + dy,
                });
                let m = published(Coord {
                    x: c.x - dx,
                    y: c.y - dy,
                });
                [(p.x - m.x) / (2.0 * h), (p.y - m.y) / (2.0 * h)]
            };
            let (dlon, dlat) = (d(h, 0.0), d(0.0, h));
            for (got, want) in [
                (j[0][0], dlon[0]),
                (j[1][0], dlon[1]),
                (j[0][1], dlat[0]),
                (j[1][1], dlat[1]),
            ] {
                assert!((got - want).abs() < 1e-7, "{c:?}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn newton_inverts_to_1e10_degrees_across_china_and_along_105e() {
        let strip = (0..=400).map(|j| Coord {
            x: 104.97 + f64::from(j) * 0.00015,
            y: 30.0 + f64::from(j) * 0.01,
        });
        let mut worst: f64 = 0.0;
        for w in grid().chain(strip) {
            let back = gcj02_to_wgs84(published(w));
            worst = worst.max((back.x - w.x).abs().max((back.y - w.y).abs()));
        }
        assert!(worst < 1e-10, "{worst}°");
    }

    #[test]
    fn the_same_point_always_gives_the_same_bits() {
        // Shared boundaries stay shared: the inverse depends on nothing but the point.
        let g = published(Coord { x: 120.6, y: 31.3 });
        let a = gcj02_to_wgs84(g);
        let _ = gcj02_to_wgs84(published(Coord { x: 120.7, y: 31.2 }));
        assert_eq!(gcj02_to_wgs84(g), a);
    }

    #[test]
    fn bd09_round_trips() {
        let w = Coord {
            x: 116.39,
            y: 39.91,
        };
        let back = bd09_to_wgs84(wgs84_to_bd09(w));
        assert!(metres(w, back) < 1e-3);
        // Baidu's shift on top of GCJ-02 is a few hundred metres more.
        let b = wgs84_to_bd09(w);
        assert!(metres(w, b) > 500.0);
    }

    #[test]
    fn outside_china_nothing_moves() {
        let p = Coord { x: 2.35, y: 48.85 };
        assert_eq!(wgs84_to_gcj02(p), p);
        assert_eq!(gcj02_to_wgs84(p), p);
    }
}
