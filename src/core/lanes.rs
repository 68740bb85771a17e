//! Numbers side by side: `Lanes<N>` holds N `f64`s and does each operation on all of them
//! at once, lane by lane. A formula written once over it (the GCJ-02 shift, the equal-area
//! projection the areas are measured in) runs on one point (`N = 1`) or on several
//! independent points together, which keeps the processor busy where one point's long chain
//! of dependent arithmetic would leave it waiting. Each lane gets exactly the operations, in
//! the same order, that it would get alone: the same bits.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// N numbers, operated on lane by lane.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lanes<const N: usize>(pub(crate) [f64; N]);

impl<const N: usize> Lanes<N> {
    /// The same number in every lane.
    #[inline(always)]
    pub(crate) fn splat(v: f64) -> Self {
        Lanes([v; N])
    }

    /// `f` of each lane.
    #[inline(always)]
    pub(crate) fn map(self, f: impl Fn(f64) -> f64) -> Self {
        let mut out = self.0;
        for v in &mut out {
            *v = f(*v);
        }
        Lanes(out)
    }

    /// `f` of each lane and the same lane of `other`.
    #[inline(always)]
    pub(crate) fn zip(self, other: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        let mut out = self.0;
        for (v, o) in out.iter_mut().zip(other.0) {
            *v = f(*v, o);
        }
        Lanes(out)
    }

    /// The sine and cosine of each lane (radians), by their Taylor series to the 25th power
    /// where |angle| ≤ [`SERIES_UP_TO`] (truncation at most 1.1e-20; within a few ulps of libm, as
    /// the tests check), all lanes together without a call; a lane beyond it by libm.
    #[inline(always)]
    pub(crate) fn sin_cos(self) -> (Self, Self) {
        if self.0.iter().any(|a| a.abs() > SERIES_UP_TO || a.is_nan()) {
            let (mut s, mut c) = ([0.0; N], [0.0; N]);
            for i in 0..N {
                (s[i], c[i]) = if self.0[i].abs() > SERIES_UP_TO || self.0[i].is_nan() {
                    self.0[i].sin_cos()
                } else {
                    let (ls, lc) = Lanes([self.0[i]]).series_sin_cos();
                    (ls.0[0], lc.0[0])
                };
            }
            return (Lanes(s), Lanes(c));
        }
        self.series_sin_cos()
    }

    /// [`Lanes::sin_cos`] by the series alone, by Horner's rule in angle².
    #[inline(always)]
    fn series_sin_cos(self) -> (Self, Self) {
        let z = self * self;
        let mut s = Lanes::splat(SIN[SIN.len() - 1]);
        for &k in SIN[..SIN.len() - 1].iter().rev() {
            s = s * z + k;
        }
        let mut c = Lanes::splat(COS[COS.len() - 1]);
        for &k in COS[..COS.len() - 1].iter().rev() {
            c = c * z + k;
        }
        (s * self, c)
    }
}

/// The largest |angle| (radians) [`Lanes::sin_cos`] takes by its series: above what the GCJ-02
/// formula asks for inside China (1.73 for the longitude's π·(lon − 105°)/60) and any
/// latitude (π/2).
pub(crate) const SERIES_UP_TO: f64 = 1.8;

/// 1/1!, −1/3!, 1/5!, ... −1/23!, 1/25!: sin(a) = a·Σ SIN[k]·a^(2k).
const SIN: [f64; 13] = series(1);

/// 1/0!, −1/2!, 1/4!, ... 1/24!: cos(a) = Σ COS[k]·a^(2k).
const COS: [f64; 13] = series(0);

/// The coefficients ±1/(2k + first)! for k = 0..13, alternating in sign.
const fn series(first: usize) -> [f64; 13] {
    let mut k = [0.0; 13];
    let mut term = 1.0;
    let mut i = 0;
    while i < 13 {
        k[i] = term;
        term = -term / (((2 * i + first + 1) * (2 * i + first + 2)) as f64);
        i += 1;
    }
    k
}

macro_rules! lane_by_lane {
    ($Trait:ident, $method:ident, $op:tt) => {
        impl<const N: usize> $Trait for Lanes<N> {
            type Output = Self;
            #[inline(always)]
            fn $method(self, o: Self) -> Self {
                self.zip(o, |a, b| a $op b)
            }
        }

        impl<const N: usize> $Trait<f64> for Lanes<N> {
            type Output = Self;
            #[inline(always)]
            fn $method(self, o: f64) -> Self {
                self.map(|a| a $op o)
            }
        }

        impl<const N: usize> $Trait<Lanes<N>> for f64 {
            type Output = Lanes<N>;
            #[inline(always)]
            fn $method(self, o: Lanes<N>) -> Lanes<N> {
                o.map(|b| self $op b)
            }
        }
    };
}

lane_by_lane!(Add, add, +);
lane_by_lane!(Sub, sub, -);
lane_by_lane!(Mul, mul, *);
lane_by_lane!(Div, div, /);

impl<const N: usize> Neg for Lanes<N> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.map(|a| -a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_is_libms_sine_and_cosine_within_a_few_ulps() {
        let (mut worst_s, mut worst_c): (f64, f64) = (0.0, 0.0);
        for i in -200_000..=200_000 {
            let a = f64::from(i) * SERIES_UP_TO / 200_000.0;
            let (s, c) = Lanes([a]).sin_cos();
            let (ws, wc) = a.sin_cos();
            worst_s = worst_s.max((s.0[0] - ws).abs());
            worst_c = worst_c.max((c.0[0] - wc).abs());
        }
        assert!(worst_s < 1e-15 && worst_c < 1e-15, "{worst_s} {worst_c}");
    }

    #[test]
    fn a_lane_beyond_the_series_goes_to_libm_alone() {
        let (s, c) = Lanes([0.5, 3.0, f64::NAN, -0.25]).sin_cos();
        assert_eq!(s.0[1], 3.0f64.sin());
        assert_eq!(c.0[1], 3.0f64.cos());
        assert!(s.0[2].is_nan() && c.0[2].is_nan());
        let (alone, _) = Lanes([0.5]).sin_cos();
        assert_eq!(s.0[0].to_bits(), alone.0[0].to_bits());
        assert_eq!(s.0[3].to_bits(), Lanes([-0.25]).sin_cos().0.0[0].to_bits());
    }
}
