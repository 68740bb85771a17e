//! Draws a [`Scene`] into pixels with tiny-skia, and writes PNG with the sheet's resolution.

use std::collections::HashMap;

use ab_glyph::{GlyphId, OutlineCurve};

use crate::core::fonts::Face;
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::scene::{Anchor, Item, Line, PathItem, Scene, TextItem};
use super::text::SheetFont;
use crate::core::style::Rgba;

/// Why a sheet could not be drawn or encoded.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The sheet's width and height in pixels: more than [`MAX_SIDE`] on a side, or more than
    /// a pixmap can hold.
    #[error("a sheet of {0} × {1} pixels is too large to draw (at most {MAX_SIDE} on a side)")]
    TooLarge(u32, u32),
    /// The PNG encoder failed.
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// The longest side a sheet may have: 20,000 px is 1.7 m at 300 dpi, and 1.6 GB of pixels.
pub const MAX_SIDE: u32 = 20_000;

/// Draws the scene.
pub fn rasterize(scene: &Scene) -> Result<Pixmap, RasterError> {
    let too_large = || RasterError::TooLarge(scene.width, scene.height);
    if scene.width > MAX_SIDE || scene.height > MAX_SIDE {
        return Err(too_large());
    }
    let mut pixmap = Pixmap::new(scene.width.max(1), scene.height.max(1)).ok_or_else(too_large)?;
    pixmap.fill(color(scene.background));
    let mut glyphs = GlyphCache::default();
    for group in &scene.groups {
        for item in &group.items {
            match item {
                Item::Path(p) => draw_path(&mut pixmap, p),
                Item::Text(t) => draw_text(&mut pixmap, t, &mut glyphs),
            }
        }
    }
    Ok(pixmap)
}

/// Encodes pixels as PNG, recording `dpi` (the `pHYs` chunk) so that the image prints at its
/// intended size.
pub fn encode_png(pixmap: &Pixmap, dpi: f32) -> Result<Vec<u8>, RasterError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header()?;
        // The paper is opaque, so premultiplied pixels are already the straight RGBA PNG wants;
        // demultiply only where something left a pixel translucent.
        if pixmap.pixels().iter().all(|p| p.alpha() == 255) {
            writer.write_image_data(pixmap.data())?;
        } else {
            let straight: Vec<u8> = pixmap
                .pixels()
                .iter()
                .flat_map(|p| {
                    let c = p.demultiply();
                    [c.red(), c.green(), c.blue(), c.alpha()]
                })
                .collect();
            writer.write_image_data(&straight)?;
        }
        writer.finish()?;
    }
    Ok(out)
}

pub(crate) fn color(c: Rgba) -> tiny_skia::Color {
    let [r, g, b, a] = c.0;
    tiny_skia::Color::from_rgba8(r, g, b, a)
}

pub(crate) fn paint(c: Rgba) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color(c));
    paint.anti_alias = true;
    paint
}

fn build_path(item: &PathItem) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for sub in &item.subpaths {
        let Some((first, rest)) = sub.split_first() else {
            continue;
        };
        pb.move_to(first[0], first[1]);
        for p in rest {
            pb.line_to(p[0], p[1]);
        }
        if item.closed {
            pb.close();
        }
    }
    pb.finish()
}

fn stroke(line: &Line) -> Stroke {
    Stroke {
        width: line.width,
        line_join: LineJoin::Round,
        line_cap: LineCap::Butt,
        dash: line
            .dash
            .and_then(|[on, off]| StrokeDash::new(vec![on, off], 0.0)),
        ..Stroke::default()
    }
}

fn draw_path(pixmap: &mut Pixmap, item: &PathItem) {
    let Some(path) = build_path(item) else {
        return;
    };
    if let Some(fill) = item.fill.filter(|f| f.0[3] > 0) {
        pixmap.fill_path(
            &path,
            &paint(fill),
            FillRule::EvenOdd,
            Transform::identity(),
            None,
        );
    }
    if let Some(line) = item.stroke.filter(|l| l.width > 0.0 && l.color.0[3] > 0) {
        pixmap.stroke_path(
            &path,
            &paint(line.color),
            &stroke(&line),
            Transform::identity(),
            None,
        );
    }
}

/// Glyph outlines in font units, y up, made once per glyph of each face.
#[derive(Default)]
struct GlyphCache {
    paths: HashMap<(usize, GlyphId), Option<Path>>,
}

impl GlyphCache {
    fn get(&mut self, face: &Face, id: GlyphId) -> Option<&Path> {
        self.paths
            .entry((face.key(), id))
            .or_insert_with(|| glyph_path(face, id))
            .as_ref()
    }
}

fn glyph_path(face: &Face, id: GlyphId) -> Option<Path> {
    let outline = face.font().outline(id)?;
    let mut pb = PathBuilder::new();
    let mut last: Option<ab_glyph::Point> = None;
    for curve in &outline.curves {
        let start = match curve {
            OutlineCurve::Line(a, _) | OutlineCurve::Quad(a, _, _) | OutlineCurve::Cubic(a, ..) => {
                *a
            }
        };
        if last != Some(start) {
            if last.is_some() {
                pb.close();
            }
            pb.move_to(start.x, start.y);
        }
        last = Some(match curve {
            OutlineCurve::Line(_, b) => {
                pb.line_to(b.x, b.y);
                *b
            }
            OutlineCurve::Quad(_, c, b) => {
                pb.quad_to(c.x, c.y, b.x, b.y);
                *b
            }
            OutlineCurve::Cubic(_, c1, c2, b) => {
                pb.cubic_to(c1.x, c1.y, c2.x, c2.y, b.x, b.y);
                *b
            }
        });
    }
    if last.is_some() {
        pb.close();
    }
    pb.finish()
}

/// Where a text's left end goes for its anchor.
pub(crate) fn text_left(font: &SheetFont, t: &TextItem) -> f32 {
    match t.anchor {
        Anchor::Start => t.x,
        Anchor::Middle => t.x - font.width(&t.text, t.size) / 2.0,
        Anchor::End => t.x - font.width(&t.text, t.size),
    }
}

fn draw_text(pixmap: &mut Pixmap, t: &TextItem, glyphs: &mut GlyphCache) {
    let font = SheetFont::get();
    // The halo goes under every glyph of the line first, so that it never covers a neighbour.
    let passes: &[bool] = if t.halo.is_some() {
        &[true, false]
    } else {
        &[false]
    };
    for &halo in passes {
        let mut x = text_left(font, t);
        for (_, glyph, advance) in font.advances(&t.text, t.size) {
            let Some((face, id)) = glyph else { continue };
            let scale = t.size / face.units_per_em();
            let transform = Transform::from_row(scale, 0.0, 0.0, -scale, x, t.y);
            x += advance;
            let Some(path) = glyphs.get(&face, id) else {
                continue;
            };
            match (halo, t.halo) {
                (true, Some((halo_color, width))) => {
                    let stroke = Stroke {
                        // The stroke is drawn in font units, then scaled with the glyph.
                        width: width / scale,
                        line_join: LineJoin::Round,
                        ..Stroke::default()
                    };
                    pixmap.stroke_path(path, &paint(halo_color), &stroke, transform, None);
                }
                _ => {
                    pixmap.fill_path(path, &paint(t.color), FillRule::Winding, transform, None);
                }
            }
        }
    }
}
