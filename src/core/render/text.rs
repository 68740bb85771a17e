//! The sheet's one font, Noto Sans SC (Chinese, Latin and digits), measured in pixels.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, GlyphId};

use crate::core::style::CJK_FONT_OTF;

/// The font every sheet is set in, with its metrics.
pub struct SheetFont {
    pub font: FontRef<'static>,
    units_per_em: f32,
}

/// What SVG files name as the font, best first: the bundled one, then ones that Windows, macOS
/// and Linux desktops have for Chinese.
pub const SVG_FONT_FAMILY: &str = "'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

impl SheetFont {
    /// The bundled font, parsed once per process.
    pub fn get() -> &'static SheetFont {
        static FONT: OnceLock<SheetFont> = OnceLock::new();
        FONT.get_or_init(|| {
            // The bundled file is checked by a test; parsing it cannot fail at run time.
            #[allow(clippy::expect_used)]
            let font = FontRef::try_from_slice(CJK_FONT_OTF).expect("the bundled font parses");
            let units_per_em = font.units_per_em().unwrap_or(1000.0);
            SheetFont { font, units_per_em }
        })
    }

    /// Pixels per font unit at `size` pixels per em.
    pub fn scale(&self, size: f32) -> f32 {
        size / self.units_per_em
    }

    pub fn glyph(&self, c: char) -> GlyphId {
        self.font.glyph_id(c)
    }

    /// The advance of each character at `size`, in pixels.
    pub fn advances<'a>(
        &'a self,
        text: &'a str,
        size: f32,
    ) -> impl Iterator<Item = (char, f32)> + 'a {
        let scale = self.scale(size);
        text.chars()
            .map(move |c| (c, self.font.h_advance_unscaled(self.glyph(c)) * scale))
    }

    /// The width of one line of text, in pixels.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.advances(text, size).map(|(_, a)| a).sum()
    }

    /// Height above the baseline of the tallest glyphs, in pixels.
    pub fn ascent(&self, size: f32) -> f32 {
        self.font.ascent_unscaled() * self.scale(size)
    }

    /// Depth below the baseline (positive), in pixels.
    pub fn descent(&self, size: f32) -> f32 {
        -self.font.descent_unscaled() * self.scale(size)
    }

    /// The characters of `text` the font has no glyph for.
    pub fn missing(&self, text: &str) -> Vec<char> {
        text.chars()
            .filter(|c| !c.is_whitespace() && self.glyph(*c).0 == 0)
            .collect()
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
