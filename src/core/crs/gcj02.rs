//! GCJ-02 (国测局坐标, the obfuscated datum of Amap, Tencent and other Chinese web maps) and
//! BD-09 (Baidu's, a further shift of GCJ-02), by the public formula, and back.
//!
//! The forward formula (WGS-84 → GCJ-02) shifts a point by up to about 700 m with a smooth
//! function of its position (on the Krasovsky ellipsoid's radii). It has no closed inverse: the
//! inverse here iterates `w ← w − (gcj(w) − g)` from `w = g − (gcj(g) − g)`, which converges to
//! under a millimetre in two or three steps anywhere in China (checked against the forward
//! formula in the tests; a single step is off by up to 4.8 m). Outside China's bounding box the
//! formula leaves points as they are, as every implementation of it does.
//!
//! These figures measure agreement with the public formula, not with the official service,
//! whose exact algorithm is not published.

use geo::Coord;

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

fn shift_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn shift_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 lon/lat (degrees) to GCJ-02.
pub fn wgs84_to_gcj02(c: Coord<f64>) -> Coord<f64> {
    if !in_china(c) {
        return c;
    }
    let dlat = shift_lat(c.x - 105.0, c.y - 35.0);
    let dlon = shift_lon(c.x - 105.0, c.y - 35.0);
    let rad = c.y.to_radians();
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    Coord {
        x: c.x + dlon * 180.0 / (A / sqrt_magic * rad.cos() * PI),
        y: c.y + dlat * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI),
    }
}

/// GCJ-02 lon/lat to WGS-84, by iterating the forward formula to under 1e-10° (about 0.01 mm);
/// at most 12 steps, three being the most any point of China needs.
pub fn gcj02_to_wgs84(g: Coord<f64>) -> Coord<f64> {
    if !in_china(g) {
        return g;
    }
    let mut w = g;
    for _ in 0..12 {
        let f = wgs84_to_gcj02(w);
        let (dx, dy) = (f.x - g.x, f.y - g.y);
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
    let mut g = Coord {
        x: z * theta.cos(),
        y: z * theta.sin(),
    };
    for _ in 0..8 {
        let f = gcj02_to_bd09(g);
        let (dx, dy) = (f.x - b.x, f.y - b.y);
        g = Coord {
            x: g.x - dx,
            y: g.y - dy,
        };
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    g
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
