//! Writes a [`Scene`] as SVG: paths as paths and text as text, in the sheet's font, sized in
//! millimetres so that it prints at the size the PNG would.

use std::fmt::Write as _;

use super::scene::{Anchor, Item, Line, PathItem, Scene, TextItem};
use super::text::SVG_FONT_FAMILY;
use crate::core::style::Rgba;

/// The scene as an SVG document; `dpi` sets its printed size.
pub fn to_svg(scene: &Scene, dpi: f32) -> String {
    let mm = |px: u32| f64::from(px) / f64::from(dpi) * 25.4;
    let mut out = String::with_capacity(1 << 16);
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{:.2}mm" height="{:.2}mm" viewBox="0 0 {} {}">"#,
        mm(scene.width),
        mm(scene.height),
        scene.width,
        scene.height
    );
    let _ = writeln!(
        out,
        r#"<rect width="{}" height="{}" {}/>"#,
        scene.width,
        scene.height,
        fill_attrs(scene.background)
    );
    for group in &scene.groups {
        let _ = writeln!(out, r#"<g id="{}">"#, escape(&group.id));
        for item in &group.items {
            match item {
                Item::Path(p) => write_path(&mut out, p),
                Item::Text(t) => write_text(&mut out, t),
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

fn hex(c: Rgba) -> String {
    let [r, g, b, _] = c.0;
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn opacity(c: Rgba) -> f32 {
    f32::from(c.0[3]) / 255.0
}

fn fill_attrs(c: Rgba) -> String {
    if c.0[3] == 255 {
        format!(r#"fill="{}""#, hex(c))
    } else {
        format!(r#"fill="{}" fill-opacity="{:.3}""#, hex(c), opacity(c))
    }
}

fn stroke_attrs(line: &Line) -> String {
    let mut s = format!(
        r#"stroke="{}" stroke-width="{:.2}" stroke-linejoin="round""#,
        hex(line.color),
        line.width
    );
    if line.color.0[3] != 255 {
        let _ = write!(s, r#" stroke-opacity="{:.3}""#, opacity(line.color));
    }
    if let Some([on, off]) = line.dash {
        let _ = write!(s, r#" stroke-dasharray="{on:.1} {off:.1}""#);
    }
    s
}

/// Coordinates to a tenth of a pixel: finer than any printer, and a third of the file.
fn write_path(out: &mut String, p: &PathItem) {
    if p.subpaths.iter().all(|s| s.is_empty()) {
        return;
    }
    out.push_str("<path d=\"");
    for sub in &p.subpaths {
        for (i, [x, y]) in sub.iter().enumerate() {
            let _ = write!(
                out,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                trim(*x),
                trim(*y)
            );
        }
        if p.closed && !sub.is_empty() {
            out.push('Z');
        }
    }
    out.push_str("\" ");
    match p.fill {
        Some(fill) => {
            out.push_str(&fill_attrs(fill));
            out.push_str(r#" fill-rule="evenodd""#);
        }
        None => out.push_str(r#"fill="none""#),
    }
    if let Some(line) = &p.stroke {
        out.push(' ');
        out.push_str(&stroke_attrs(line));
    }
    out.push_str("/>\n");
}

/// A coordinate with one decimal, without a trailing `.0`.
fn trim(v: f32) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) if whole != "-0" => whole.to_owned(),
        Some(_) => "0".to_owned(),
        None => s,
    }
}

fn write_text(out: &mut String, t: &TextItem) {
    let anchor = match t.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    // System fonts that draw characters the bundled one lacks go after it, before the
    // generic fallback, so that the reader's renderer finds them too.
    let fallbacks = super::text::SheetFont::get().fallback_families(&t.text);
    let family = if fallbacks.is_empty() {
        SVG_FONT_FAMILY.to_owned()
    } else {
        let extra: Vec<String> = fallbacks
            .iter()
            .map(|f| format!("'{}'", escape(f)))
            .collect();
        SVG_FONT_FAMILY.replace(
            ", sans-serif",
            &format!(", {}, sans-serif", extra.join(", ")),
        )
    };
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-family="{family}" font-size="{:.2}" text-anchor="{anchor}" {}"#,
        trim(t.x),
        trim(t.y),
        t.size,
        fill_attrs(t.color)
    );
    if let Some((halo, width)) = t.halo {
        // Drawn under the glyph (`paint-order`), as the PNG's halo is.
        let _ = write!(
            out,
            r#" stroke="{}" stroke-width="{:.2}" stroke-linejoin="round" paint-order="stroke""#,
            hex(halo),
            width
        );
        if halo.0[3] != 255 {
            let _ = write!(out, r#" stroke-opacity="{:.3}""#, opacity(halo));
        }
    }
    let _ = writeln!(out, ">{}</text>", escape(&t.text));
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_short_and_text_is_escaped() {
        assert_eq!(trim(3.0), "3");
        assert_eq!(trim(-0.01), "0");
        assert_eq!(trim(2.26), "2.3");
        assert_eq!(escape("A&B <c> \"d\""), "A&amp;B &lt;c&gt; &quot;d&quot;");
    }
}
