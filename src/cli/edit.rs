//! `zonemap merge`, `move` and `split`: the proposal edits the window makes, on files.

use std::path::Path;
use std::process::ExitCode;

use super::args::*;
use super::report::load;
use zonemap::core::crs::Crs;
use zonemap::core::io::SourceSpec;
use zonemap::core::io::write::feature_collection_text;
use zonemap::core::io::write_atomic;
use zonemap::core::proposal;
use zonemap::core::{FeatureId, Layer, Role};

/// Zones a command made (merge, move, split), in the working frame, written as OUT's extension
/// names: RFC 7946 GeoJSON with fresh `area_km2` (the default), or a Shapefile or GeoPackage
/// (its table named after the file), in WGS-84. Returns what had to change to fit the format
/// (field names cut to the DBF's 10 bytes), a line each.
pub(crate) fn write_zone_file(
    zones: &[zonemap::core::Feature],
    out: &Path,
) -> Result<Vec<String>, String> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "shp" || ext == "gpkg" {
        let stem = out
            .file_stem()
            .map_or("zones".into(), |s| s.to_string_lossy().into_owned());
        let layer = Layer::new(stem, Role::Zones, zones.to_vec());
        let options = zonemap::core::io::export::WriteOptions {
            crs: Crs::Wgs84,
            encoding: None,
        };
        zonemap::core::io::export::write_layer(&layer, out, &options).map_err(|e| e.to_string())
    } else {
        let text = feature_collection_text(zones, &Crs::Wgs84)
            .map_err(|e| format!("{}: {e}", out.display()))?;
        write_atomic(out, text.as_bytes()).map_err(|e| format!("{}: {e}", out.display()))?;
        Ok(Vec::new())
    }
}

/// A command's one-line outcome: its summary on standard output and status 0, or its error on
/// standard error and status 1.
pub(crate) fn outcome(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(summary) => {
            sayln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zonemap: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The one feature of `layer` with this id, or why not.
pub(crate) fn by_id<'a>(
    layer: &'a Layer,
    id: &str,
    spec: &str,
) -> Result<(usize, &'a zonemap::core::Feature), String> {
    let found: Vec<usize> = (0..layer.features.len())
        .filter(|&i| layer.features[i].id == id)
        .collect();
    match found.as_slice() {
        [one] => Ok((*one, &layer.features[*one])),
        [] => Err(format!("{spec}: no feature has id {id}")),
        _ => Err(format!(
            "{spec}: id {id} is not unique: {} features carry it",
            found.len()
        )),
    }
}

/// Writes edited zones to `out` (by its extension; GeoJSON with fresh `area_km2`) and says how
/// each zone's area changed.
pub(crate) fn write_zones(
    before: &Layer,
    after: Vec<zonemap::core::Feature>,
    out: &Path,
    what: String,
) -> Result<String, String> {
    use zonemap::core::measure::geodesic_area_sum;
    let notes = write_zone_file(&after, out)?;
    let km2 = |f: &zonemap::core::Feature| geodesic_area_sum(f.polygons()).km2();
    let mut lines = vec![format!("{}: {what}; {} zones", out.display(), after.len())];
    lines.extend(notes.iter().map(|n| format!("  {n}")));
    for f in &after {
        let old = before.features.iter().find(|b| b.id == f.id).map(km2);
        let now = km2(f);
        match old {
            Some(o) if (o - now).abs() < 5e-7 => {}
            Some(o) => lines.push(format!(
                "  {}  {} km² ({})",
                f.name,
                zonemap::core::format::fixed(now, 3),
                zonemap::core::format::signed(now - o, 3)
            )),
            None => lines.push(format!(
                "  {}  {} km² (new)",
                f.name,
                zonemap::core::format::fixed(now, 3)
            )),
        }
    }
    for b in &before.features {
        if !after.iter().any(|f| f.id == b.id)
            && !after.iter().any(|f| {
                f.properties.get("split_from").and_then(|v| v.as_str()) == Some(b.id.as_str())
            })
        {
            lines.push(format!("  {}  removed (left with no area)", b.name));
        }
    }
    Ok(lines.join("\n"))
}

pub(crate) fn move_zones(
    zones_spec: &str,
    units_spec: &str,
    unit: &str,
    into: &str,
    out: &Path,
    input: &InputArgs,
) -> Result<String, String> {
    let options = input.options(None)?;
    let zones = load(zones_spec, Role::Zones, &options)?;
    let units = load(units_spec, Role::Units, &options)?;
    let (_, u) = by_id(&units, unit, units_spec)?;
    let (target, z) = by_id(&zones, into, zones_spec)?;
    let what = format!("{} moved into {}", u.name, z.name);
    let edit = proposal::Edit::MoveUnit {
        unit: u.clone(),
        zone: FeatureId(target as u32),
    };
    let applied = proposal::apply(&zones, edit).map_err(|e| e.to_string())?;
    write_zones(&zones, applied.layer.features, out, what)
}

pub(crate) fn split_zones(
    zones_spec: &str,
    zone: &str,
    line: &[geo::Coord<f64>],
    out: &Path,
    input: &InputArgs,
) -> Result<String, String> {
    let options = input.options(None)?;
    let zones = load(zones_spec, Role::Zones, &options)?;
    let (at, z) = by_id(&zones, zone, zones_spec)?;
    let edit = proposal::Edit::Split {
        target: Some(FeatureId(at as u32)),
        line: line.to_vec(),
    };
    let applied = proposal::apply(&zones, edit).map_err(|e| e.to_string())?;
    let parts: usize = applied.cuts.iter().map(|c| c.parts).sum();
    let what = format!("{} cut into {parts}", z.name);
    write_zones(&zones, applied.layer.features, out, what)
}

pub(crate) fn merge(
    files: &[String],
    ids: &[String],
    name: &str,
    out: &Path,
    snap_m: f64,
    input: &InputArgs,
) -> ExitCode {
    outcome(merge_files(files, ids, name, out, snap_m, input))
}

pub(crate) fn merge_files(
    files: &[String],
    ids: &[String],
    name: &str,
    out: &Path,
    snap_m: f64,
    input: &InputArgs,
) -> Result<String, String> {
    let options = input.options(None)?;
    let mut layers: Vec<Layer> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for spec in files {
        for layer in SourceSpec::parse(spec)
            .load_all(Role::Context, &options)
            .map_err(|e| e.to_string())?
        {
            sources.push(match &layer.table {
                Some(t) if !spec.ends_with(&format!(":{t}")) => format!("{spec}:{t}"),
                _ => spec.clone(),
            });
            layers.push(layer);
        }
    }
    let mut parts = Vec::with_capacity(ids.len());
    for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        let found: Vec<(&String, &Layer)> = sources
            .iter()
            .zip(&layers)
            .filter(|(_, l)| l.find(id).is_some())
            .collect();
        match found.as_slice() {
            [(path, layer)] => {
                let carriers: Vec<&zonemap::core::Feature> =
                    layer.features.iter().filter(|f| f.id == id).collect();
                if let [one] = carriers.as_slice() {
                    parts.push(*one);
                } else {
                    let named: Vec<String> = layer
                        .features
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.id == id)
                        .map(|(i, f)| format!("feature {i} ({})", f.name))
                        .collect();
                    return Err(format!(
                        "{path}: id {id} is not unique: {} carry it; give each its own id before merging",
                        named.join(" and ")
                    ));
                }
            }
            [] => {
                return Err(format!("no feature has id {id} in {}", sources.join(", ")));
            }
            several => {
                let names: Vec<String> = several.iter().map(|(p, _)| (*p).clone()).collect();
                return Err(format!(
                    "id {id} is in more than one file: {}",
                    names.join(", ")
                ));
            }
        }
    }
    // The merged zone is the one feature of a new layer of proposals, made by the same edit
    // the window applies.
    let empty = Layer::new("proposals", Role::Zones, Vec::new());
    let edit = proposal::Edit::Merge {
        parts: parts
            .iter()
            .map(|f| proposal::MergePart::Other {
                feature: (*f).clone(),
                unit: false,
            })
            .collect(),
        name: name.to_owned(),
        snap_m,
    };
    let applied = proposal::apply(&empty, edit).map_err(|e| e.to_string())?;
    let merged = &applied.layer.features[0];
    let notes = write_zone_file(&applied.layer.features, out)?;
    let km2 = merged
        .properties
        .get("area_km2")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    Ok(format!(
        "{}: {name}, {} features, {} km²{}",
        out.display(),
        parts.len(),
        zonemap::core::format::fixed(km2, 3),
        notes.iter().map(|n| format!("\n  {n}")).collect::<String>()
    ))
}
