//! The sheet's fonts (the bundled Noto Sans SC, then the system's), measured in pixels.

use std::sync::OnceLock;

use ab_glyph::{Font as _, GlyphId};

use crate::core::fonts::{Face, Fonts, glyph};

/// The fonts a sheet is set in (see [`Fonts`]): the bundled Noto Sans SC, then the system's
/// fonts for characters it lacks, with the bundled font's metrics for lines.
pub struct SheetFont {
    fonts: &'static Fonts,
}

/// What SVG files name as the font, best first: the bundled one, then ones that Windows, macOS
/// and Linux desktops have for Chinese.
pub const SVG_FONT_FAMILY: &str = "'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

impl SheetFont {
    /// The process's sheet fonts.
    pub fn get() -> &'static SheetFont {
        static FONT: OnceLock<SheetFont> = OnceLock::new();
        FONT.get_or_init(|| SheetFont {
            fonts: Fonts::get(),
        })
    }

    /// Pixels per font unit of the bundled font at `size` pixels per em.
    pub fn scale(&self, size: f32) -> f32 {
        size / self.fonts.bundled_units_per_em()
    }

    /// The face and glyph that draw `c`; `None` if no font here has it.
    pub fn glyph(&self, c: char) -> Option<(Face, GlyphId)> {
        let face = self.fonts.face_for(c)?;
        let id = glyph(&face, c);
        Some((face, id))
    }

    /// Each character with the face that draws it (none: it is left out) and its advance at
    /// `size`, in pixels.
    pub fn advances<'a>(
        &'a self,
        text: &'a str,
        size: f32,
    ) -> impl Iterator<Item = (char, Option<(Face, GlyphId)>, f32)> + 'a {
        text.chars().map(move |c| {
            let g = self.glyph(c);
            let advance = match &g {
                Some((face, id)) => {
                    face.font().h_advance_unscaled(*id) * size / face.units_per_em()
                }
                None => 0.0,
            };
            (c, g, advance)
        })
    }

    /// The width of one line of text, in pixels.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.advances(text, size).map(|(_, _, a)| a).sum()
    }

    /// Height above the baseline of the tallest glyphs, in pixels.
    pub fn ascent(&self, size: f32) -> f32 {
        self.fonts.bundled().ascent_unscaled() * self.scale(size)
    }

    /// Depth below the baseline (positive), in pixels.
    pub fn descent(&self, size: f32) -> f32 {
        -self.fonts.bundled().descent_unscaled() * self.scale(size)
    }

    /// The characters of `text` no font here has: a sheet leaves them out.
    pub fn missing(&self, text: &str) -> Vec<char> {
        self.fonts.missing(text)
    }

    /// The family names of the system fonts that draw some of `text`, for SVG `font-family`.
    pub fn fallback_families(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in text.chars() {
            if let Some(Face::System(f)) = self.fonts.face_for(c)
                && !out.contains(&f.family)
            {
                out.push(f.family.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_sets_chinese_latin_and_digits() {
        let font = SheetFont::get();
        assert!(
            font.missing("数据来源 坐标系 GCJ-02 2026-11-21 km² 北 N")
                .is_empty()
        );
        // Chinese is set on a full em; digits on about half of it.
        let zh = font.width("苏州", 20.0);
        assert!((zh - 40.0).abs() < 1.0, "{zh}");
        let digits = font.width("10", 20.0);
        assert!(digits > 8.0 && digits < 30.0, "{digits}");
        assert!(font.ascent(20.0) > 15.0 && font.descent(20.0) > 2.0);
    }
}
