//! The sheet's furniture: scale bar, north arrow and legend, and the sheet's own words.

use geo::{LineString, coord};

use super::labels::Frame;
use super::scene::{Anchor, Item, Line, PathItem, TextItem};
use super::text::SheetFont;
use crate::core::analysis::CoverageClass;
use crate::core::lang::{Lang as SheetLang, Texts, fill};
use crate::core::measure::geodesic_length_m;
use crate::core::style::Rgba;
use crate::core::view::Viewport;

const INK: Rgba = Rgba::rgb(30, 30, 30);
const WHITE: Rgba = Rgba::rgb(255, 255, 255);
const HALO: Rgba = Rgba([255, 255, 255, 230]);

/// The sheet's own words in one language, from the one string table
/// ([`crate::core::lang::Texts`]'s `sheet_*` fields), with the sentences filled in.
pub struct SheetText {
    /// The legend's title.
    pub legend: &'static str,
    /// The letter on the north arrow.
    pub north: &'static str,
    /// Put after the units layer's name to head its coverage classes in the legend.
    pub coverage: &'static str,
    /// The legend entry for zone-to-zone overlaps.
    pub zone_overlaps: &'static str,
    /// The legend entry for features without a value to classify.
    pub no_data: &'static str,
    /// Put after an approximate layer's name in the legend.
    pub approximate_mark: &'static str,
    t: &'static Texts,
}

impl SheetText {
    /// The words in `lang`.
    pub fn of(lang: SheetLang) -> Self {
        let t = lang.t();
        SheetText {
            legend: t.sheet_legend,
            north: t.sheet_north,
            coverage: t.sheet_coverage,
            zone_overlaps: t.sheet_zone_overlaps,
            no_data: t.sheet_no_data,
            approximate_mark: t.sheet_approximate_mark,
            t,
        }
    }

    /// A coverage class's name, for the legend.
    pub fn class(&self, class: CoverageClass) -> &'static str {
        match class {
            CoverageClass::Uncovered => self.t.sheet_class_uncovered,
            CoverageClass::Partial => self.t.sheet_class_partial,
            CoverageClass::Full => self.t.sheet_class_full,
            CoverageClass::SeveralZones => self.t.sheet_class_several,
        }
    }

    /// The footnote every sheet with approximate boundaries carries.
    pub fn approximate_note(&self, layers: &[String]) -> String {
        let layers = layers.join(self.t.sheet_list_separator);
        fill(self.t.sheet_approximate_note, &[("layers", &layers)])
    }

    /// The footnote for layers in Beijing 1954 or Xi'an 1980, which have no published official
    /// shift to CGCS2000.
    pub fn old_datum_note(&self, layers: &[String]) -> String {
        let layers = layers.join(self.t.sheet_list_separator);
        fill(self.t.sheet_old_datum_note, &[("layers", &layers)])
    }

    /// The footnote for features on the sheet whose invalid geometry was repaired.
    pub fn repaired_note(&self, names: &[String]) -> String {
        let list = self.shortlist(names, 3);
        fill(self.t.sheet_repaired_note, &[("features", &list)])
    }

    /// The footnote for labels that lost characters no font has.
    pub fn missing_glyphs_note(&self, labels: usize, chars: &str) -> String {
        let labels = labels.to_string();
        fill(
            self.t.sheet_missing_glyphs_note,
            &[("labels", &labels), ("chars", chars)],
        )
    }

    /// A zone's official area beside its computed one.
    pub fn official_note(&self, name: &str, official: f64, computed: f64) -> String {
        use crate::core::format::{fixed, signed};
        let diff = computed - official;
        fill(
            self.t.sheet_official_note,
            &[
                ("name", name),
                ("official", &fixed(official, 2)),
                ("computed", &fixed(computed, 2)),
                ("diff", &signed(diff, 2)),
                ("pct", &signed(diff / official * 100.0, 1)),
            ],
        )
    }

    /// The source and date line: the sources, the datum every sheet is drawn in (WGS-84),
    /// the systems the layers were converted from, and the date.
    pub fn source_line(&self, sources: &[String], converted_from: &[String], date: &str) -> String {
        let from = if converted_from.is_empty() {
            String::new()
        } else {
            let systems = converted_from.join(self.t.sheet_list_separator);
            fill(self.t.sheet_converted_from, &[("systems", &systems)])
        };
        let sources = sources.join(self.t.sheet_sources_separator);
        fill(
            self.t.sheet_source_line,
            &[("sources", &sources), ("from", &from), ("date", date)],
        )
    }

    /// The first `n` names, then how many more.
    fn shortlist(&self, names: &[String], n: usize) -> String {
        let mut out = names
            .iter()
            .take(n)
            .cloned()
            .collect::<Vec<_>>()
            .join(self.t.sheet_list_separator);
        if names.len() > n {
            let (total, more) = (names.len().to_string(), (names.len() - n).to_string());
            out.push_str(&fill(
                self.t.sheet_more,
                &[("total", &total), ("more", &more)],
            ));
        }
        out
    }
}

/// A circle as a 32-gon.
pub fn circle(cx: f32, cy: f32, r: f32) -> PathItem {
    let ring = (0..32)
        .map(|i| {
            let t = i as f32 / 32.0 * std::f32::consts::TAU;
            [cx + r * t.cos(), cy + r * t.sin()]
        })
        .collect();
    PathItem {
        subpaths: vec![ring],
        closed: true,
        ..PathItem::default()
    }
}

fn text(text: impl Into<String>, x: f32, y: f32, anchor: Anchor, size: f32) -> Item {
    Item::Text(TextItem {
        text: text.into(),
        x,
        y,
        anchor,
        size,
        color: INK,
        halo: Some((HALO, 2.0 * size / 10.5)),
    })
}

/// The ground distance, in metres, between two points of the map `length_px` apart on the
/// horizontal through the map's centre, measured along the geodesic.
pub fn ground_metres_at_centre(viewport: &Viewport, map_size: [f64; 2], length_px: f64) -> f64 {
    let (cx, cy) = (map_size[0] / 2.0, map_size[1] / 2.0);
    let a = viewport.lonlat_from_screen([cx - length_px / 2.0, cy], map_size);
    let b = viewport.lonlat_from_screen([cx + length_px / 2.0, cy], map_size);
    geodesic_length_m(&LineString(vec![
        coord! {x: a.x, y: a.y},
        coord! {x: b.x, y: b.y},
    ]))
}

/// The largest 1, 2 or 5 × 10ⁿ not above `metres`.
pub fn round_length(metres: f64) -> f64 {
    let exp = metres.log10().floor();
    let base = 10f64.powf(exp);
    let lead = metres / base;
    let nice = if lead >= 5.0 {
        5.0
    } else if lead >= 2.0 {
        2.0
    } else {
        1.0
    };
    nice * base
}

/// How a ground distance reads on the bar: metres under a kilometre, else kilometres.
pub fn length_label(metres: f64) -> String {
    if metres < 1000.0 {
        format!("{metres:.0} m")
    } else {
        let km = metres / 1000.0;
        if km == km.trunc() {
            format!("{km:.0} km")
        } else {
            format!("{km} km")
        }
    }
}

/// A scale bar in the map's bottom-left corner, about a fifth of the map wide, whose length is
/// a round ground distance measured along the geodesic through the map's centre.
pub fn scale_bar(
    viewport: &Viewport,
    frame: Frame,
    pt: f32,
) -> Option<(ScaleBar, Vec<Item>, Frame)> {
    let map_size = [f64::from(frame.w), f64::from(frame.h)];
    let target_px = (f64::from(frame.w) / 5.0).min(f64::from(160.0 * pt));
    let target_m = ground_metres_at_centre(viewport, map_size, target_px);
    if !(target_m.is_finite() && target_m > 0.0) {
        return None;
    }
    let metres = round_length(target_m);
    // Distance grows with length almost in proportion; three secant steps make it exact.
    let mut length_px = target_px * metres / target_m;
    for _ in 0..3 {
        let measured = ground_metres_at_centre(viewport, map_size, length_px);
        if measured <= 0.0 {
            return None;
        }
        length_px *= metres / measured;
    }
    let len = length_px as f32;
    let size = 10.5 * pt;
    let font = SheetFont::get();
    let label = length_label(metres);
    let x0 = frame.x + 12.0 * pt;
    let bar_h = 5.0 * pt;
    let bar_y = frame.bottom() - 12.0 * pt - bar_h;
    let text_y = bar_y - 4.0 * pt;
    let mut items = Vec::new();
    // A white ground under the whole bar, then four segments, alternately ink and white.
    items.push(Item::Path(
        PathItem::rect(x0, bar_y, len, bar_h)
            .filled(WHITE)
            .stroked(Line::solid(INK, pt)),
    ));
    for i in (0..4).step_by(2) {
        let seg = len / 4.0;
        items.push(Item::Path(
            PathItem::rect(x0 + seg * i as f32, bar_y, seg, bar_h).filled(INK),
        ));
    }
    items.push(text("0", x0, text_y, Anchor::Middle, size));
    items.push(text(label.clone(), x0 + len, text_y, Anchor::Middle, size));
    let label_w = font.width(&label, size);
    let top = text_y - font.ascent(size);
    let bar_frame = Frame::new(
        x0 - font.width("0", size),
        top,
        len + label_w / 2.0 + font.width("0", size),
        bar_y + bar_h - top,
    );
    let bar = ScaleBar {
        metres,
        length_px,
        label,
    };
    Some((bar, items, bar_frame.expand(2.0 * pt)))
}

/// A north arrow in the map's top-right corner. Web Mercator keeps north up everywhere.
pub fn north_arrow(frame: Frame, pt: f32, north: &str) -> (Vec<Item>, Frame) {
    let size = 13.0 * pt;
    let font = SheetFont::get();
    let cx = frame.right() - 22.0 * pt;
    let baseline = frame.y + 8.0 * pt + font.ascent(size);
    let (top, bottom) = (baseline + 4.0 * pt, baseline + 34.0 * pt);
    let (half, notch) = (8.0 * pt, bottom - 8.0 * pt);
    let left = PathItem {
        subpaths: vec![vec![[cx, top], [cx - half, bottom], [cx, notch]]],
        closed: true,
        fill: Some(INK),
        stroke: Some(Line::solid(INK, pt)),
    };
    let right = PathItem {
        subpaths: vec![vec![[cx, top], [cx, notch], [cx + half, bottom]]],
        closed: true,
        fill: Some(WHITE),
        stroke: Some(Line::solid(INK, pt)),
    };
    let items = vec![
        Item::Path(left),
        Item::Path(right),
        text(north, cx, baseline, Anchor::Middle, size),
    ];
    let w = (2.0 * half).max(font.width(north, size));
    let arrow_frame = Frame::new(
        cx - w / 2.0,
        frame.y + 8.0 * pt,
        w,
        bottom - frame.y - 8.0 * pt,
    );
    (items, arrow_frame.expand(3.0 * pt))
}

/// One row of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendRow {
    /// What the row says.
    pub text: String,
    /// A heading (a layer's name over its entries) has no swatch.
    pub heading: bool,
    /// The swatch's fill, if it has one.
    pub fill: Option<Rgba>,
    /// The swatch's outline, if it has one; its width and dash are in 96-dpi pixels, scaled to
    /// the sheet's resolution when drawn.
    pub outline: Option<Line>,
    /// Entries are indented under their heading.
    pub indent: bool,
}

impl LegendRow {
    /// A heading row: text without a swatch.
    pub fn heading(text: String) -> Self {
        LegendRow {
            text,
            heading: true,
            fill: None,
            outline: None,
            indent: false,
        }
    }

    /// A layer's own row: its swatch and name.
    pub fn swatch(text: String, fill: Option<Rgba>, outline: Option<Line>) -> Self {
        LegendRow {
            text,
            heading: false,
            fill,
            outline,
            indent: false,
        }
    }

    /// A category or class under its layer's heading.
    pub fn entry(text: String, fill: Option<Rgba>, outline: Option<Line>) -> Self {
        LegendRow {
            indent: true,
            ..LegendRow::swatch(text, fill, outline)
        }
    }
}

/// The legend's rows as they fit, and its size.
pub struct LegendBlock {
    /// The rows shown, the last one counting those left out if they did not all fit.
    pub rows: Vec<LegendRow>,
    /// Width of the whole block, sheet pixels.
    pub w: f32,
    /// Height of the whole block, sheet pixels.
    pub h: f32,
    title: String,
    pt: f32,
}

const TITLE_SIZE: f32 = 12.0;
const ROW_SIZE: f32 = 10.5;
const ROW_H: f32 = 17.0;
const PAD: f32 = 8.0;
const SWATCH: [f32; 2] = [18.0, 11.0];
const INDENT: f32 = 10.0;

/// Measures the legend; rows beyond `max_h` are left out and counted in a last row.
pub fn legend_block(rows: &[LegendRow], title: &str, max_h: f32, pt: f32) -> Option<LegendBlock> {
    if rows.is_empty() {
        return None;
    }
    let font = SheetFont::get();
    let (title_size, size, row_h, pad) = (TITLE_SIZE * pt, ROW_SIZE * pt, ROW_H * pt, PAD * pt);
    let fits = ((max_h - 2.0 * pad - title_size * 1.6) / row_h)
        .floor()
        .max(0.0) as usize;
    if fits == 0 {
        return None;
    }
    let mut shown: Vec<LegendRow> = rows.to_vec();
    if shown.len() > fits {
        let left_out = shown.len() + 1 - fits;
        shown.truncate(fits.saturating_sub(1));
        shown.push(LegendRow::entry(format!("… +{left_out}"), None, None));
    }
    let text_w = shown
        .iter()
        .map(|r| {
            let lead = if r.heading {
                0.0
            } else {
                (SWATCH[0] + 6.0 + if r.indent { INDENT } else { 0.0 }) * pt
            };
            lead + font.width(&r.text, size)
        })
        .fold(font.width(title, title_size), f32::max);
    Some(LegendBlock {
        w: text_w + 2.0 * pad,
        h: 2.0 * pad + title_size * 1.6 + shown.len() as f32 * row_h,
        rows: shown,
        title: title.to_owned(),
        pt,
    })
}

impl LegendBlock {
    /// The legend drawn with its top-left corner at (x, y).
    pub fn items(&self, x: f32, y: f32) -> Vec<Item> {
        let font = SheetFont::get();
        let pt = self.pt;
        let (title_size, size, row_h, pad) = (TITLE_SIZE * pt, ROW_SIZE * pt, ROW_H * pt, PAD * pt);
        let mut items = vec![Item::Path(
            PathItem::rect(x, y, self.w, self.h)
                .filled(Rgba([255, 255, 255, 235]))
                .stroked(Line::solid(Rgba::rgb(150, 150, 150), pt)),
        )];
        items.push(Item::Text(TextItem {
            text: self.title.clone(),
            x: x + pad,
            y: y + pad + font.ascent(title_size),
            anchor: Anchor::Start,
            size: title_size,
            color: INK,
            halo: None,
        }));
        let mut row_y = y + pad + title_size * 1.6;
        for row in &self.rows {
            let mut tx = x + pad;
            if !row.heading {
                if row.indent {
                    tx += INDENT * pt;
                }
                if row.fill.is_some() || row.outline.is_some() {
                    let sy = row_y + (row_h - SWATCH[1] * pt) / 2.0;
                    let mut swatch = PathItem::rect(tx, sy, SWATCH[0] * pt, SWATCH[1] * pt);
                    swatch.fill = row.fill;
                    swatch.stroke = row.outline.map(|l| Line {
                        width: l.width * pt,
                        dash: l.dash.map(|d| d.map(|v| v * pt)),
                        ..l
                    });
                    items.push(Item::Path(swatch));
                }
                tx += (SWATCH[0] + 6.0) * pt;
            }
            let baseline = row_y + (row_h + font.ascent(size) - font.descent(size)) / 2.0;
            items.push(Item::Text(TextItem {
                text: row.text.clone(),
                x: tx,
                y: baseline,
                anchor: Anchor::Start,
                size,
                color: if row.heading {
                    INK
                } else {
                    Rgba::rgb(50, 50, 50)
                },
                halo: None,
            }));
            row_y += row_h;
        }
        items
    }

    /// The corner where the legend hides the least of the map, the one rule for the window and
    /// the sheets: of [`Self::corners`], the one `covered` (the share of a rectangle the map's
    /// features cover, 0–1) finds least covered; within a twentieth, the earlier (bottom right
    /// first).
    ///
    /// `keep`, the corner the legend was in (as [`Corner::of`] gives it), holds the legend
    /// there while that corner hides at most 0.15 more than the best: a window's legend does
    /// not jump corners at every small change of the view or the panels.
    pub fn least_covered_corner(
        &self,
        frame: Frame,
        reserved: &[Frame],
        covered: impl Fn(&Frame) -> f32,
        keep: Option<Corner>,
    ) -> Option<Frame> {
        let scored: Vec<(f32, Frame)> = self
            .corners(frame, reserved)
            .into_iter()
            .map(|f| (covered(&f), f))
            .collect();
        let best = scored
            .iter()
            .enumerate()
            .min_by(|(i, (ca, _)), (j, (cb, _))| {
                if (ca - cb).abs() < 0.05 {
                    i.cmp(j)
                } else {
                    ca.total_cmp(cb)
                }
            })
            .map(|(_, s)| *s)?;
        let kept = keep.and_then(|corner| {
            scored
                .iter()
                .find(|(share, f)| Corner::of(f, &frame) == corner && *share <= best.0 + 0.15)
        });
        Some(kept.map_or(best.1, |(_, f)| *f))
    }

    /// Where the legend may go: inside each corner of the map, clear of the furniture already
    /// there (the scale bar bottom left, the north arrow top right). Bottom right first.
    pub fn corners(&self, frame: Frame, reserved: &[Frame]) -> Vec<Frame> {
        let inset = 10.0 * self.pt;
        let (w, h) = (self.w, self.h);
        let left = frame.x + inset;
        let right = frame.right() - inset - w;
        let mut out = Vec::new();
        for (x, from_top) in [(right, false), (left, false), (left, true), (right, true)] {
            let mut candidate = if from_top {
                Frame::new(x, frame.y + inset, w, h)
            } else {
                Frame::new(x, frame.bottom() - inset - h, w, h)
            };
            // Slide away from furniture in the same corner.
            for r in reserved {
                if r.intersects(&candidate) {
                    candidate.y = if from_top {
                        r.bottom() + inset / 2.0
                    } else {
                        r.y - inset / 2.0 - h
                    };
                }
            }
            if frame.contains(&candidate) && !reserved.iter().any(|r| r.intersects(&candidate)) {
                out.push(candidate);
            }
        }
        out
    }
}

/// A corner of the map, for keeping the legend where it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corner {
    /// On the right (else the left).
    pub right: bool,
    /// At the top (else the bottom).
    pub top: bool,
}

impl Corner {
    /// The corner of `within` that `frame` lies nearest: by which side of the centre its
    /// centre lies.
    pub fn of(frame: &Frame, within: &Frame) -> Self {
        Self {
            right: frame.x + frame.w / 2.0 > within.x + within.w / 2.0,
            top: frame.y + frame.h / 2.0 < within.y + within.h / 2.0,
        }
    }
}

/// The scale bar as drawn: what it claims and how long it is.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleBar {
    /// The ground distance it stands for.
    pub metres: f64,
    /// Its length in pixels.
    pub length_px: f64,
    /// The distance as printed at its end, in metres under a kilometre, else kilometres
    /// (`500 m`, `2 km`).
    pub label: String,
}

/// The share (0–1) of a rectangle that drawn polygons cover, sampled on a 12 × 12 grid: what
/// [`LegendBlock::least_covered_corner`] weighs corners by, on the sheets and in the window.
/// `shapes` are the drawn shapes with their boxes, in the rectangle's pixels; `world_at` gives
/// the Web Mercator point under a pixel, and must keep rows as rows (the map is not turned).
/// Each shape's edges are walked once per row of samples, not once per sample: a county at
/// street zoom has thousands of vertices.
pub fn covered_share(
    rect: &Frame,
    shapes: &[(Frame, &crate::core::tessellate::FeatureShape)],
    world_at: impl Fn([f32; 2]) -> [f64; 2],
) -> f32 {
    use crate::core::tessellate::inside_by_crossings;
    const N: usize = 12;
    let near: Vec<&(Frame, &crate::core::tessellate::FeatureShape)> =
        shapes.iter().filter(|(b, _)| b.intersects(rect)).collect();
    let mut hits = 0;
    let mut covered = [false; N];
    for j in 0..N {
        let y = rect.y + rect.h * (j as f32 + 0.5) / N as f32;
        let samples: [[f32; 2]; N] =
            std::array::from_fn(|i| [rect.x + rect.w * (i as f32 + 0.5) / N as f32, y]);
        let world: [[f64; 2]; N] = std::array::from_fn(|i| world_at(samples[i]));
        covered.fill(false);
        for (b, s) in near.iter().filter(|(b, _)| y >= b.y && y <= b.bottom()) {
            let mut crossings: Option<Vec<f64>> = None;
            for i in 0..N {
                let p = samples[i];
                if covered[i] || p[0] < b.x || p[0] > b.right() {
                    continue;
                }
                let xs = crossings.get_or_insert_with(|| s.crossings(world[i][1]));
                covered[i] = inside_by_crossings(s, xs, world[i][0]);
            }
        }
        hits += covered.iter().filter(|&&c| c).count();
    }
    hits as f32 / (N * N) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_stays_in_its_corner_until_another_hides_much_less() {
        let rows = [LegendRow {
            text: "太湖科学城".into(),
            heading: false,
            fill: Some(Rgba::rgb(200, 100, 50)),
            outline: None,
            indent: false,
        }];
        let block = legend_block(&rows, "Legend", 400.0, 1.0).expect("a legend");
        let map = Frame::new(0.0, 0.0, 800.0, 600.0);
        // The bottom right hides 0.30 of itself, the top left 0.20, the others 0.9.
        let shares = |bottom_right: f32| {
            move |f: &Frame| match (Corner::of(f, &map).right, Corner::of(f, &map).top) {
                (true, false) => bottom_right,
                (false, true) => 0.20,
                _ => 0.9,
            }
        };
        let at = |keep, bottom_right| {
            let f = block
                .least_covered_corner(map, &[], shares(bottom_right), keep)
                .expect("a corner");
            Corner::of(&f, &map)
        };
        let bottom_right = Corner {
            right: true,
            top: false,
        };
        let top_left = Corner {
            right: false,
            top: true,
        };
        // Placed afresh (a sheet), the least hidden corner.
        assert_eq!(at(None, 0.30), top_left);
        // Where it was, it stays while that hides at most 0.15 more.
        assert_eq!(at(Some(bottom_right), 0.30), bottom_right);
        assert_eq!(at(Some(bottom_right), 0.40), top_left);
        // A corner that hides least is kept too.
        assert_eq!(at(Some(top_left), 0.10), top_left);
    }

    #[test]
    fn bar_lengths_are_round() {
        assert_eq!(round_length(7_300.0), 5_000.0);
        assert_eq!(round_length(19_999.0), 10_000.0);
        assert_eq!(round_length(2_000.0), 2_000.0);
        assert_eq!(round_length(0.31), 0.2);
        assert_eq!(length_label(500.0), "500 m");
        assert_eq!(length_label(20_000.0), "20 km");
        assert_eq!(length_label(1_000.0), "1 km");
    }

    #[test]
    fn the_sheets_sentences_come_from_the_string_table_filled_once() {
        let zh = SheetText::of(SheetLang::Zh);
        let names: Vec<String> = ["甲", "乙", "丙", "丁"].map(String::from).into();
        assert_eq!(
            zh.repaired_note(&names),
            "注：甲、乙、丙等 4 个要素 的几何无效（如自相交），已按规则修复后绘制与计算，原文件未改动。"
        );
        let en = SheetText::of(SheetLang::En);
        assert_eq!(
            en.source_line(
                &["a {date}".into(), "b".into()],
                &["EPSG:4528".into()],
                "2026-11-29"
            ),
            "Sources: a {date}; b · Datum WGS-84 (converted from EPSG:4528) · 2026-11-29"
        );
        assert_eq!(
            en.official_note("Z", 100.0, 101.5),
            "Z: official 100.00 km², computed 101.50 km², +1.50 km² (+1.5%)"
        );
    }
}
