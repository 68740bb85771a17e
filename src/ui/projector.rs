//! Between the map's coordinates and the screen: [`ToScreen`], and style colours as egui's.

use egui::{Color32, Pos2, pos2};
use geo::Coord;

use crate::core::style::Rgba;
use crate::core::view::Viewport;

/// Web Mercator and lon/lat to screen points and back, for one frame of the map: what the
/// map, its labels, the tools and the coverage overlay draw with (as walkers' `Projector`).
#[derive(Clone, Copy)]
pub struct ToScreen {
    /// The map's view.
    pub viewport: Viewport,
    /// The map's size, in points.
    pub size_px: [f64; 2],
    /// The map's top-left corner on screen, in points.
    pub min: Pos2,
}

impl ToScreen {
    /// A Web Mercator point (see [`crate::core::view`]) on screen.
    pub fn world(&self, world: [f64; 2]) -> Pos2 {
        let [x, y] = self.viewport.screen_from_world(world, self.size_px);
        pos2(self.min.x + x as f32, self.min.y + y as f32)
    }

    pub(super) fn shape_vertex(&self, origin: [f64; 2], v: [f32; 2]) -> Pos2 {
        self.world([origin[0] + f64::from(v[0]), origin[1] + f64::from(v[1])])
    }

    /// A drawn shape's bounding box on screen, from its extent (no projection).
    pub(super) fn shape_rect(&self, shape: &crate::core::tessellate::FeatureShape) -> egui::Rect {
        let e = shape.extent;
        egui::Rect::from_two_pos(
            self.shape_vertex(shape.origin, [e[0], e[1]]),
            self.shape_vertex(shape.origin, [e[2], e[3]]),
        )
    }

    /// A lon/lat (WGS-84 degrees) on screen.
    pub fn lonlat(&self, lonlat: Coord<f64>) -> Pos2 {
        self.world(crate::core::view::world_from_lonlat(lonlat))
    }

    /// The lon/lat at a point on screen.
    pub fn lonlat_at(&self, pos: Pos2) -> Coord<f64> {
        self.viewport.lonlat_from_screen(
            [f64::from(pos.x - self.min.x), f64::from(pos.y - self.min.y)],
            self.size_px,
        )
    }
}

/// A style colour as egui's, its alpha scaled by `opacity` (0–1).
pub fn color32(rgba: Rgba, opacity: f32) -> Color32 {
    let [r, g, b, a] = rgba.0;
    let alpha = (f32::from(a) * opacity.clamp(0.0, 1.0)).round() as u8;
    Color32::from_rgba_unmultiplied(r, g, b, alpha)
}
