//! Web Mercator projection and the map viewport, in f64.
//!
//! The window and the exporter both draw through a [`Viewport`]: a centre in Web Mercator metres
//! (EPSG:3857, spherical) and a resolution in Mercator metres per screen pixel. Screen positions
//! are pixels from the top-left corner of the map area, y down.

use geo::{Coord, Rect};

use crate::core::measure::WGS84_A;

/// Latitude beyond which Web Mercator is not drawn (as every web map does).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Metres per pixel at a screen resolution of 96 dots per inch (0.264 583 mm per pixel), used for
/// the 1:N scale shown in the status bar.
pub const METRES_PER_SCREEN_PIXEL: f64 = 0.0254 / 96.0;

/// Projects lon/lat degrees to Web Mercator metres.
///
/// # Examples
/// ```
/// use zonemap::core::view::{lonlat_from_world, world_from_lonlat};
/// let world = world_from_lonlat(geo::coord! { x: 120.5, y: 31.3 });
/// let back = lonlat_from_world(world);
/// assert!((back.x - 120.5).abs() < 1e-9 && (back.y - 31.3).abs() < 1e-9);
/// ```
pub fn world_from_lonlat(lonlat: Coord<f64>) -> [f64; 2] {
    let lat = lonlat.y.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = WGS84_A * lonlat.x.to_radians();
    let y = WGS84_A * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln();
    [x, y]
}

/// Inverse of [`world_from_lonlat`].
pub fn lonlat_from_world(world: [f64; 2]) -> Coord<f64> {
    let lon = (world[0] / WGS84_A).to_degrees();
    let lat = (2.0 * (world[1] / WGS84_A).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    Coord { x: lon, y: lat }
}

/// A lon/lat box in Web Mercator metres, as `(min, max)`.
pub fn world_box_from_lonlat(rect: &Rect<f64>) -> ([f64; 2], [f64; 2]) {
    (world_from_lonlat(rect.min()), world_from_lonlat(rect.max()))
}

/// What part of the world the map shows, and how large.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Viewport {
    /// Web Mercator metres at the centre of the map area.
    pub center_world: [f64; 2],
    /// Web Mercator metres per screen pixel (not ground metres: see [`Self::ground_m_per_px`]).
    pub world_m_per_px: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        // Southern Jiangsu at roughly city scale.
        Viewport {
            center_world: world_from_lonlat(Coord { x: 120.5, y: 31.3 }),
            world_m_per_px: 100.0,
        }
    }
}

impl Viewport {
    /// Finest zoom: 5 cm of Mercator per pixel.
    pub const MIN_M_PER_PX: f64 = 0.05;
    /// Coarsest zoom: the whole world in about 250 pixels.
    pub const MAX_M_PER_PX: f64 = 160_000.0;

    /// A screen position (pixels from the map's top-left) from Mercator metres.
    pub fn screen_from_world(&self, world: [f64; 2], size_px: [f64; 2]) -> [f64; 2] {
        [
            (world[0] - self.center_world[0]) / self.world_m_per_px + size_px[0] / 2.0,
            (self.center_world[1] - world[1]) / self.world_m_per_px + size_px[1] / 2.0,
        ]
    }

    /// Mercator metres under a screen position.
    pub fn world_from_screen(&self, screen: [f64; 2], size_px: [f64; 2]) -> [f64; 2] {
        [
            self.center_world[0] + (screen[0] - size_px[0] / 2.0) * self.world_m_per_px,
            self.center_world[1] - (screen[1] - size_px[1] / 2.0) * self.world_m_per_px,
        ]
    }

    /// Lon/lat under a screen position.
    pub fn lonlat_from_screen(&self, screen: [f64; 2], size_px: [f64; 2]) -> Coord<f64> {
        lonlat_from_world(self.world_from_screen(screen, size_px))
    }

    /// Screen position of a lon/lat.
    pub fn screen_from_lonlat(&self, lonlat: Coord<f64>, size_px: [f64; 2]) -> [f64; 2] {
        self.screen_from_world(world_from_lonlat(lonlat), size_px)
    }

    /// Moves the map with the pointer: a drag of `delta_px` moves what is under it by as much.
    pub fn pan(&mut self, delta_px: [f64; 2]) {
        self.center_world[0] -= delta_px[0] * self.world_m_per_px;
        self.center_world[1] += delta_px[1] * self.world_m_per_px;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the point under `screen` fixed.
    pub fn zoom_about(&mut self, factor: f64, screen: [f64; 2], size_px: [f64; 2]) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let anchor = self.world_from_screen(screen, size_px);
        let new_res = (self.world_m_per_px / factor).clamp(Self::MIN_M_PER_PX, Self::MAX_M_PER_PX);
        self.world_m_per_px = new_res;
        let moved = self.world_from_screen(screen, size_px);
        self.center_world[0] += anchor[0] - moved[0];
        self.center_world[1] += anchor[1] - moved[1];
    }

    /// Shows the whole of a lon/lat box, with `margin_px` spare on every side.
    pub fn fit_lonlat(&mut self, rect: &Rect<f64>, size_px: [f64; 2], margin_px: f64) {
        let (min, max) = world_box_from_lonlat(rect);
        let width_px = (size_px[0] - 2.0 * margin_px).max(16.0);
        let height_px = (size_px[1] - 2.0 * margin_px).max(16.0);
        let res = ((max[0] - min[0]) / width_px).max((max[1] - min[1]) / height_px);
        // A point or a line: keep a street-level view rather than an infinite zoom.
        let res = if res > 0.0 { res } else { 2.0 };
        self.world_m_per_px = res.clamp(Self::MIN_M_PER_PX, Self::MAX_M_PER_PX);
        self.center_world = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
    }

    /// The lon/lat box the screen shows.
    pub fn visible_lonlat(&self, size_px: [f64; 2]) -> Rect<f64> {
        let a = self.lonlat_from_screen([0.0, size_px[1]], size_px);
        let b = self.lonlat_from_screen([size_px[0], 0.0], size_px);
        Rect::new(a, b)
    }

    /// Ground metres per pixel at the map's centre: Mercator stretches by 1/cos(latitude).
    pub fn ground_m_per_px(&self) -> f64 {
        let lat = lonlat_from_world(self.center_world).y.to_radians();
        self.world_m_per_px * lat.cos()
    }

    /// The denominator N of the map scale 1:N at the centre, for a 96 dpi screen.
    pub fn scale_denominator(&self) -> f64 {
        self.ground_m_per_px() / METRES_PER_SCREEN_PIXEL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    const SIZE: [f64; 2] = [800.0, 600.0];

    #[test]
    fn zoom_keeps_cursor_fixed() {
        let mut v = Viewport::default();
        let cursor = [123.0, 456.0];
        let before = v.lonlat_from_screen(cursor, SIZE);
        v.zoom_about(2.5, cursor, SIZE);
        let after = v.lonlat_from_screen(cursor, SIZE);
        assert_relative_eq!(before.x, after.x, epsilon = 1e-9);
        assert_relative_eq!(before.y, after.y, epsilon = 1e-9);
        assert_relative_eq!(v.world_m_per_px, 40.0, epsilon = 1e-9);
    }

    #[test]
    fn pan_moves_content_with_pointer() {
        let mut v = Viewport::default();
        let p = [200.0, 100.0];
        let under = v.world_from_screen(p, SIZE);
        v.pan([30.0, -20.0]);
        let moved = v.screen_from_world(under, SIZE);
        assert_relative_eq!(moved[0], 230.0, epsilon = 1e-6);
        assert_relative_eq!(moved[1], 80.0, epsilon = 1e-6);
    }

    #[test]
    fn mercator_matches_epsg_3857_reference() {
        // EPSG:3857 of (120°E, 30°N), as PROJ gives it.
        let w = world_from_lonlat(Coord { x: 120.0, y: 30.0 });
        assert_relative_eq!(w[0], 13_358_338.895_192_828, epsilon = 1e-4);
        assert_relative_eq!(w[1], 3_503_549.843_504_376, epsilon = 1e-4);
    }

    #[test]
    fn fit_shows_whole_box() {
        let mut v = Viewport::default();
        let rect = Rect::new(Coord { x: 120.3, y: 31.2 }, Coord { x: 120.6, y: 31.45 });
        v.fit_lonlat(&rect, SIZE, 10.0);
        let shown = v.visible_lonlat(SIZE);
        assert!(shown.min().x <= 120.3 && shown.max().x >= 120.6);
        assert!(shown.min().y <= 31.2 && shown.max().y >= 31.45);
    }

    #[test]
    fn scale_at_equator_and_suzhou() {
        let mut v = Viewport {
            center_world: [0.0, 0.0],
            world_m_per_px: 1.0,
        };
        assert_relative_eq!(
            v.scale_denominator(),
            1.0 / METRES_PER_SCREEN_PIXEL,
            epsilon = 1e-6
        );
        v.center_world = world_from_lonlat(Coord { x: 120.0, y: 60.0 });
        assert_relative_eq!(v.ground_m_per_px(), 0.5, epsilon = 1e-9);
    }
}
