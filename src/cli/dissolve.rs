//! `zonemap dissolve`: a layer's polygons grouped by a field, as the window's Dissolve by field.

use std::path::Path;

use unicode_width::UnicodeWidthStr;

use super::args::{DiffFormat, InputArgs};
use super::report::load;
use zonemap::core::Role;
use zonemap::core::io::export::{WriteOptions, write_layer};
use zonemap::core::topology::dissolve::{DissolveOptions, Dissolved, dissolve};

/// Dissolves `file` by `by`; writes `out` if given; returns what was made, as a table or JSON.
pub(crate) fn dissolve_file(
    (file, filter): super::report::Source,
    by: &str,
    out: Option<&Path>,
    snap_m: f64,
    format: DiffFormat,
    input: &InputArgs,
) -> Result<String, String> {
    let layer = load(file, Role::Units, &input.options(None)?)?;
    let layer = match filter {
        Some(f) => {
            let kept = layer.filtered(f);
            if kept.features.is_empty() {
                return Err(format!(
                    "{file}: no feature has {}={} (--where)",
                    f.field, f.value
                ));
            }
            kept
        }
        None => layer,
    };
    let mut dissolved =
        dissolve(&layer, by, &DissolveOptions { snap_m }).map_err(|e| format!("{file}: {e}"))?;
    // A GeoPackage's table is named after the layer: after the file written.
    if let Some(stem) = out.and_then(Path::file_stem) {
        dissolved.layer.name = stem.to_string_lossy().into_owned();
    }
    let mut notes = Vec::new();
    if let Some(out) = out {
        notes = write_layer(&dissolved.layer, out, &WriteOptions::default())
            .map_err(|e| e.to_string())?;
    }
    // What the loader had to say (repairs, duplicate ids), as `check` says it.
    let warnings: Vec<String> = layer.warnings.iter().map(|w| w.to_string()).collect();
    Ok(match format {
        DiffFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
            "file": file,
            "by": by,
            "features": layer.features.len(),
            "groups": dissolved.groups,
            "gaps": dissolved.gaps,
            "overlaps": dissolved.overlaps,
            "skipped": dissolved.skipped,
            "warnings": warnings,
            "out": out.map(|o| o.display().to_string()),
        }))
        .map_err(|e| e.to_string())?,
        DiffFormat::Table => {
            let mut text = table(file, by, layer.features.len(), &dissolved, out, &notes);
            for w in &warnings {
                text.push_str(&format!("\nwarning: {w}"));
            }
            text
        }
    })
}

/// The most gaps, and the most overlaps, the table lists one by one.
const LISTED: usize = 50;

/// A group's value as the table shows it: control characters (a line break in a value)
/// escaped, so that each group keeps to its line and column.
fn value_text(value: &Option<String>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(v) => v
            .chars()
            .flat_map(|c| {
                let escaped: Vec<char> = if c.is_control() {
                    c.escape_default().collect()
                } else {
                    vec![c]
                };
                escaped
            })
            .collect(),
    }
}

fn table(
    file: &str,
    by: &str,
    features: usize,
    d: &Dissolved,
    out: Option<&Path>,
    notes: &[String],
) -> String {
    let holes: usize = d.groups.iter().map(|g| g.holes).sum();
    let mut s = format!(
        "dissolved {features} features of {file} by {by} into {} ({} parts, {holes} holes)",
        d.groups.len(),
        d.groups.iter().map(|g| g.parts).sum::<usize>(),
    );
    if let Some(out) = out {
        s.push_str(&format!(", written to {}", out.display()));
    }
    let width = d
        .groups
        .iter()
        .map(|g| value_text(&g.value).width())
        .max()
        .unwrap_or(0)
        .max(by.width());
    // Padded by display width, so that Chinese values line up.
    let pad = |t: &str| format!("{t}{}", " ".repeat(width - t.width()));
    s.push_str(&format!(
        "\n{}  {:>7}  {:>14}  {:>5}  {:>5}  {:>8}  method",
        pad(by),
        "members",
        "area km²",
        "parts",
        "holes",
        "vertices"
    ));
    for g in &d.groups {
        s.push_str(&format!(
            "\n{}  {:>7}  {:>14.4}  {:>5}  {:>5}  {:>8}  {}",
            pad(&value_text(&g.value)),
            g.members.len(),
            g.area_m2 / 1e6,
            g.parts,
            g.holes,
            g.vertices,
            match g.method {
                zonemap::core::topology::dissolve::Method::SharedEdges => "shared edges",
                zonemap::core::topology::dissolve::Method::Snapped => "snapped",
                zonemap::core::topology::dissolve::Method::Overlay => "overlay",
            }
        ));
    }
    let place = |e: &[f64; 4]| format!("{:.3}–{:.3}°E, {:.3}–{:.3}°N", e[0], e[2], e[1], e[3]);
    // Past LISTED, a count (a sloppy layer can have thousands of slivers; JSON lists them all).
    let more = |s: &mut String, n: usize| {
        if n > LISTED {
            s.push_str(&format!(
                "\n  … and {} more (--format json lists every one)",
                n - LISTED
            ));
        }
    };
    s.push_str(&format!("\ngaps between members: {}", d.gaps.len()));
    for g in d.gaps.iter().take(LISTED) {
        s.push_str(&format!(
            "\n  in {}: {:.6} km² at {}{}",
            value_text(&g.value),
            g.area_m2 / 1e6,
            place(&g.extent),
            if g.sliver { " (sliver)" } else { "" }
        ));
    }
    more(&mut s, d.gaps.len());
    s.push_str(&format!("\noverlaps between members: {}", d.overlaps.len()));
    for o in d.overlaps.iter().take(LISTED) {
        s.push_str(&format!(
            "\n  in {}: {} and {}: {:.6} km² at {}{}",
            value_text(&o.value),
            o.members[0],
            o.members[1],
            o.area_m2 / 1e6,
            place(&o.extent),
            if o.sliver { " (sliver)" } else { "" }
        ));
    }
    more(&mut s, d.overlaps.len());
    if d.skipped > 0 {
        s.push_str(&format!(
            "\n{} feature(s) without polygons left out (points, lines or no geometry)",
            d.skipped
        ));
    }
    for note in notes {
        s.push_str(&format!("\n  {note}"));
    }
    s
}
