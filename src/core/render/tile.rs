//! Map tiles: a square of the map at one scale, drawn to pixels with tiny-skia.
//!
//! The window draws its layers into tiles on a worker thread and, once the tiles of a view are
//! drawn, pans by moving images instead of sending every vertex of every outline through egui
//! each frame (as QGIS's render cache and every web map do). The grid is fixed in Web Mercator
//! metres at each scale, so a tile once drawn stays right for as long as the scale and what is
//! drawn stay the same.

use std::sync::Arc;

use tiny_skia::{FillRule, LineCap, LineJoin, PathBuilder, Pixmap, Stroke, Transform};

use super::raster::paint;
use crate::core::style::Rgba;
use crate::core::tessellate::FeatureShape;

/// The side of a tile, in device pixels.
pub const TILE_PX: u32 = 256;

/// A tile's place in the grid of its scale: (column, row), as [`TileFrame::of`] takes them.
pub type TileIndex = (i64, i64);

/// Where a tile lies: its top-left corner in Web Mercator metres (y up) and the metres per
/// device pixel of its scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileFrame {
    /// Mercator x of the tile's left edge, metres.
    pub min_x: f64,
    /// Mercator y of the tile's top edge, metres.
    pub max_y: f64,
    /// Mercator metres per device pixel.
    pub m_per_px: f64,
}

impl TileFrame {
    /// Tile `column`, `row` of the grid at `m_per_px` (Mercator metres per device pixel): column
    /// `i` spans x from `i·256·m_per_px`, row `j` spans y down from `−j·256·m_per_px`.
    pub fn of(column: i64, row: i64, m_per_px: f64) -> TileFrame {
        let side = f64::from(TILE_PX) * m_per_px;
        TileFrame {
            min_x: column as f64 * side,
            max_y: -(row as f64) * side,
            m_per_px,
        }
    }

    /// The column and row of the tile holding a Mercator point at `m_per_px`.
    pub fn index_at(world: [f64; 2], m_per_px: f64) -> (i64, i64) {
        let side = f64::from(TILE_PX) * m_per_px;
        (
            (world[0] / side).floor() as i64,
            (-world[1] / side).floor() as i64,
        )
    }

    /// The tile's extent in Mercator metres: `[min x, min y, max x, max y]`.
    pub fn extent(&self) -> [f64; 4] {
        let side = f64::from(TILE_PX) * self.m_per_px;
        [self.min_x, self.max_y - side, self.min_x + side, self.max_y]
    }

    /// A Mercator point in the tile's pixels (y down), in f64.
    fn px(&self, world: [f64; 2]) -> [f64; 2] {
        [
            (world[0] - self.min_x) / self.m_per_px,
            (self.max_y - world[1]) / self.m_per_px,
        ]
    }
}

/// One thing drawn on a tile; items are drawn in the order given.
#[derive(Clone, Debug)]
pub enum TileItem {
    /// A polygon feature's drawn shape: filled by the even-odd rule (holes stay empty) and/or
    /// outlined (colour, width in device pixels).
    Shape {
        /// The feature's shape at the tile's detail level.
        shape: Arc<FeatureShape>,
        /// The fill, `None` for none.
        fill: Option<Rgba>,
        /// The outline's colour and width in device pixels, `None` for none.
        outline: Option<(Rgba, f32)>,
    },
    /// A line feature, its vertices in Mercator metres; width in device pixels.
    Line {
        /// The vertices, Mercator metres.
        world: Vec<[f64; 2]>,
        /// The line's colour.
        color: Rgba,
        /// The line's width, device pixels.
        width: f32,
    },
    /// A point feature as a disc; radius in device pixels.
    Dot {
        /// The point, Mercator metres.
        world: [f64; 2],
        /// The disc's colour.
        color: Rgba,
        /// The disc's radius, device pixels.
        radius: f32,
    },
}

/// Draws `items` on a transparent tile of [`TILE_PX`]² pixels, premultiplied RGBA.
///
/// Rings are cut to the tile (with a margin wider than any outline) before tiny-skia sees
/// them, so that a province's outline at street zoom, millions of pixels long, costs what its
/// part in the tile costs and never leaves f32's exact range.
pub fn render_tile(frame: &TileFrame, items: &[TileItem]) -> Pixmap {
    // TILE_PX is a fixed non-zero size, which a pixmap always takes.
    let mut pixmap = Pixmap::new(TILE_PX, TILE_PX).unwrap_or_else(|| unreachable!());
    let side = f64::from(TILE_PX);
    for item in items {
        match item {
            TileItem::Shape {
                shape,
                fill,
                outline,
            } => {
                let fill = fill.filter(|f| f.0[3] > 0);
                let outline = outline.filter(|(c, w)| *w > 0.0 && c.0[3] > 0);
                if fill.is_none() && outline.is_none() {
                    continue;
                }
                let margin = 2.0 + f64::from(outline.map_or(0.0, |(_, w)| w));
                let clip = [-margin, -margin, side + margin, side + margin];
                let origin = frame.px(shape.origin);
                let e = shape.extent;
                let (ex0, ex1) = (
                    origin[0] + f64::from(e[0]) / frame.m_per_px,
                    origin[0] + f64::from(e[2]) / frame.m_per_px,
                );
                let (ey0, ey1) = (
                    origin[1] - f64::from(e[3]) / frame.m_per_px,
                    origin[1] - f64::from(e[1]) / frame.m_per_px,
                );
                if ex1 < clip[0] || ex0 > clip[2] || ey1 < clip[1] || ey0 > clip[3] {
                    continue;
                }
                let mut pb = PathBuilder::new();
                let mut ring = Vec::new();
                for r in &shape.rings {
                    ring.clear();
                    ring.extend(
                        shape.vertices[r.start as usize..r.end as usize]
                            .iter()
                            .map(|v| {
                                [
                                    origin[0] + f64::from(v[0]) / frame.m_per_px,
                                    origin[1] - f64::from(v[1]) / frame.m_per_px,
                                ]
                            }),
                    );
                    let clipped = clip_ring(&ring, clip);
                    let Some((first, rest)) = clipped.split_first() else {
                        continue;
                    };
                    pb.move_to(first[0] as f32, first[1] as f32);
                    for p in rest {
                        pb.line_to(p[0] as f32, p[1] as f32);
                    }
                    pb.close();
                }
                let Some(path) = pb.finish() else { continue };
                if let Some(fill) = fill {
                    let paint = paint(fill);
                    pixmap.fill_path(
                        &path,
                        &paint,
                        FillRule::EvenOdd,
                        Transform::identity(),
                        None,
                    );
                }
                if let Some((c, width)) = outline {
                    // As egui strokes a line under a pixel: a pixel wide, its ink thinned.
                    let (c, width) = if width < 1.0 {
                        let mut thin = c;
                        thin.0[3] = (f32::from(c.0[3]) * width).round() as u8;
                        (thin, 1.0)
                    } else {
                        (c, width)
                    };
                    let stroke = round_stroke(width);
                    pixmap.stroke_path(&path, &paint(c), &stroke, Transform::identity(), None);
                }
            }
            TileItem::Line {
                world,
                color,
                width,
            } => {
                let mut pb = PathBuilder::new();
                for (i, w) in world.iter().enumerate() {
                    let [x, y] = frame.px(*w);
                    // Far off the tile a line is only its direction: keep it in f32's range.
                    let (x, y) = (x.clamp(-1e6, 1e6) as f32, y.clamp(-1e6, 1e6) as f32);
                    if i == 0 {
                        pb.move_to(x, y);
                    } else {
                        pb.line_to(x, y);
                    }
                }
                if let Some(path) = pb.finish() {
                    let stroke = round_stroke(*width);
                    pixmap.stroke_path(&path, &paint(*color), &stroke, Transform::identity(), None);
                }
            }
            TileItem::Dot {
                world,
                color,
                radius,
            } => {
                let [x, y] = frame.px(*world);
                let r = f64::from(*radius);
                if x < -r || y < -r || x > side + r || y > side + r {
                    continue;
                }
                if let Some(path) = PathBuilder::from_circle(x as f32, y as f32, *radius) {
                    pixmap.fill_path(
                        &path,
                        &paint(*color),
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                }
            }
        }
    }
    pixmap
}

/// A line of `width` device pixels with round joins and caps.
fn round_stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_join: LineJoin::Round,
        line_cap: LineCap::Round,
        ..Stroke::default()
    }
}

/// A closed ring (without its closing point) cut to the rectangle `[min x, min y, max x,
/// max y]` by the overlay's Sutherland–Hodgman clipping, again without its closing point.
/// What lies outside becomes runs along the rectangle's edges, which leave an even-odd fill
/// inside the rectangle as it was; they are drawn only outside the tile, as the rectangle is
/// wider than the tile by more than the outline.
fn clip_ring(ring: &[[f64; 2]], clip: [f64; 4]) -> Vec<[f64; 2]> {
    let coords: Vec<geo::Coord<f64>> = ring
        .iter()
        .map(|p| geo::Coord { x: p[0], y: p[1] })
        .collect();
    let window = geo::Rect::new(
        geo::Coord {
            x: clip[0],
            y: clip[1],
        },
        geo::Coord {
            x: clip[2],
            y: clip[3],
        },
    );
    let mut cut = crate::core::topology::clip_ring(&coords, &window);
    cut.pop();
    cut.into_iter().map(|c| [c.x, c.y]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::tessellate::FeatureShape;
    use geo::polygon;

    fn pixel(p: &Pixmap, x: u32, y: u32) -> [u8; 4] {
        let c = p.pixel(x, y).expect("on the tile").demultiply();
        [c.red(), c.green(), c.blue(), c.alpha()]
    }

    /// A square of 1° around (120.5°E, 31.5°N), drawn at a scale that puts it across several
    /// tiles: the tile holding its middle is filled, a tile holding its west edge shows the
    /// outline there, and a tile beyond it is empty.
    #[test]
    fn a_polygon_is_filled_and_outlined_where_it_lies() {
        let square = polygon![
            (x: 120.0, y: 31.0), (x: 121.0, y: 31.0), (x: 121.0, y: 32.0), (x: 120.0, y: 32.0)
        ];
        let shape = Arc::new(FeatureShape::outlines(&[&square], 0));
        let fill = Rgba([200, 0, 0, 255]);
        let ink = Rgba([0, 0, 200, 255]);
        let items = [TileItem::Shape {
            shape,
            fill: Some(fill),
            outline: Some((ink, 3.0)),
        }];
        let m = 100.0;
        let world = |lon: f64, lat: f64| {
            crate::core::view::world_from_lonlat(geo::coord! { x: lon, y: lat })
        };
        let middle = world(120.5, 31.5);
        let (i, j) = TileFrame::index_at(middle, m);
        let frame = TileFrame::of(i, j, m);
        let tile = render_tile(&frame, &items);
        assert_eq!(pixel(&tile, 128, 128), fill.0);
        // The west edge: the pixel under it is ink.
        let west = world(120.0, 31.5);
        let (i, j) = TileFrame::index_at(west, m);
        let frame = TileFrame::of(i, j, m);
        let [x, y] = frame.px(west);
        let tile = render_tile(&frame, &items);
        assert_eq!(pixel(&tile, x as u32, y as u32), ink.0);
        // Well west of it: nothing.
        let (i, j) = TileFrame::index_at(world(119.0, 31.5), m);
        let tile = render_tile(&TileFrame::of(i, j, m), &items);
        assert!(tile.pixels().iter().all(|p| p.alpha() == 0));
    }

    /// Cutting to the tile keeps an even-odd fill as it was inside the rectangle: a ring round
    /// the rectangle and far beyond it fills all of it, and a hole in the middle stays empty.
    #[test]
    fn rings_cut_to_the_tile_fill_as_before() {
        let clip = [0.0, 0.0, 10.0, 10.0];
        let around = [[-1e9, -1e9], [1e9, -1e9], [1e9, 1e9], [-1e9, 1e9]];
        let cut = clip_ring(&around, clip);
        assert_eq!(cut.len(), 4);
        assert!(
            cut.iter()
                .all(|p| (p[0] == 0.0 || p[0] == 10.0) && (p[1] == 0.0 || p[1] == 10.0))
        );
        let inside = [[2.0, 2.0], [4.0, 2.0], [4.0, 4.0]];
        assert_eq!(clip_ring(&inside, clip), inside.to_vec());
        let away = [[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]];
        assert!(clip_ring(&away, clip).is_empty());
    }
}
