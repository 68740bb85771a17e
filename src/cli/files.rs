//! `zonemap check` and `zonemap convert`: what a file holds, and writing it in another format
//! or coordinate system.

use std::path::Path;
use std::process::ExitCode;

use super::args::*;
use super::report::load;
use zonemap::core::Role;
use zonemap::core::analysis::layer_areas;
use zonemap::core::check::check_layer;
use zonemap::core::crs::Crs;
use zonemap::core::io::SourceSpec;

pub(crate) fn check(files: &[String], areas: bool, input: &InputArgs) -> ExitCode {
    let options = match input.options(None) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for spec in files {
        let layers = match SourceSpec::parse(spec).load_all(Role::Context, &options) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("zonemap: {e}");
                failed = true;
                continue;
            }
        };
        for layer in &layers {
            let s = check_layer(layer);
            let types: Vec<String> = s
                .geometry_types
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            let name = match &layer.table {
                Some(t) if !spec.ends_with(&format!(":{t}")) => format!("{spec}:{t}"),
                _ => spec.clone(),
            };
            sayln!(
                "{name}: {} features ({}), {} skipped, {} repaired",
                s.features,
                if types.is_empty() {
                    "no geometry".to_string()
                } else {
                    types.join(", ")
                },
                s.skipped,
                s.repaired
            );
            match layer.crs.transform_note() {
                Some(note) => sayln!("  crs: {} ({note})", layer.crs.name()),
                None => sayln!("  crs: {}", layer.crs.name()),
            }
            if let Some(warning) = layer.crs.warning() {
                sayln!("  warning: {warning}");
            }
            if let Some(encoding) = &layer.encoding {
                sayln!("  encoding: {encoding}");
            }
            if let Some(b) = s.bbox {
                sayln!(
                    "  bbox (WGS-84): lon {:.6} .. {:.6}, lat {:.6} .. {:.6}",
                    b.min().x,
                    b.max().x,
                    b.min().y,
                    b.max().y
                );
            }
            if s.problems.is_empty() {
                sayln!("  no problems found");
            }
            for p in &s.problems {
                sayln!("  problem: {p}");
            }
            if areas {
                sayln!("  areas (geodesic, WGS-84): id, name, km²");
                for (f, a) in layer.features.iter().zip(layer_areas(layer)) {
                    if f.is_areal() {
                        sayln!("  {}\t{}\t{:.6}", f.id, f.name, a.km2());
                    }
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads one layer and writes it as OUT's extension says, in `crs` (default WGS-84).
pub(crate) fn convert(
    input: &str,
    out: &Path,
    crs: Option<&str>,
    encoding: Option<String>,
    args: &InputArgs,
) -> Result<String, String> {
    use zonemap::core::io::export::{WriteOptions, write_layer};
    let options = args.options(None)?;
    // Convert's own flag for the input's system is --source-crs (its --crs is the output's).
    let layer = load(input, Role::Context, &options)
        .map_err(|e| e.replace("with --crs", "with --source-crs"))?;
    let crs = match crs.map(str::trim) {
        Some(text) if text.eq_ignore_ascii_case("source") => layer.crs.clone(),
        Some(text) => Crs::parse(text).map_err(|e| format!("--crs: {e}"))?,
        None => Crs::Wgs84,
    };
    let write = WriteOptions {
        crs: crs.clone(),
        encoding: encoding.clone(),
    };
    let notes = write_layer(&layer, out, &write).map_err(|e| e.to_string())?;
    let mut summary = format!(
        "wrote {}: {} features from {} ({}), in {}",
        out.display(),
        layer.features.len(),
        input,
        layer.crs.name(),
        crs.name()
    );
    let is_shp = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if is_shp {
        let e = encoding.as_deref().unwrap_or("UTF-8");
        summary.push_str(&format!(", text in {e}"));
    }
    for note in notes {
        summary.push_str(&format!("\n  {note}"));
    }
    // What the file held but the output does not, or holds changed: said, never silent.
    let check = zonemap::core::check::check_layer(&layer);
    if check.skipped > 0 {
        summary.push_str(&format!(
            "\n  {} feature(s) of the input could not be read and are not in {} (see the warnings)",
            check.skipped,
            out.display()
        ));
    }
    if check.repaired > 0 {
        summary.push_str(&format!(
            "\n  {} feature(s) with invalid geometry are written as repaired (see the warnings)",
            check.repaired
        ));
    }
    let heights = layer
        .warnings
        .iter()
        .find(|w| w.kind == zonemap::core::io::WarningKind::Heights);
    if let Some(w) = heights {
        summary.push_str(&format!(
            "\n  {}; {} has none (zonemap works in 2D)",
            w.reason,
            out.display()
        ));
    }
    if let Some(warning) = layer.crs.warning() {
        eprintln!("zonemap: warning: {input}: {warning}");
    }
    for w in layer.warnings.iter().filter(|w| {
        use zonemap::core::io::WarningKind as K;
        matches!(w.kind, K::Skipped | K::Repaired | K::Heights)
    }) {
        eprintln!("zonemap: warning: {w}");
    }
    Ok(summary)
}
