//! What every reader does to the features it has read, before anyone measures them: bring
//! them into the working frame (WGS-84 lon/lat) from the source's coordinate system, validate
//! each polygon (in parallel, by the sweep of [`validate`]), repair the invalid ones for
//! analysis ([`make_valid`]), and note ids that more than one feature carries.

use std::collections::HashMap;
use std::path::Path;

use geo::{BoundingRect, Coord, CoordsIter, Geometry, GeometryCollection, MultiPolygon};
use rayon::prelude::*;

use super::{LoadError, LoadWarning, WarningKind};
use crate::core::crs::{Crs, diagnose_projected};
use crate::core::measure::geodesic_area_sum;
use crate::core::model::{Feature, Layer, Role};
use crate::core::topology::{Fault, Problem, make_valid, validate};

/// What a reader has read: features (in the source's coordinates), each one's place in the
/// file, and what it had to say so far.
pub(crate) struct Read {
    pub features: Vec<Feature>,
    pub indices: Vec<usize>,
    pub warnings: Vec<LoadWarning>,
}

/// Makes a layer of what a reader read: into the working frame from `declared` (what the
/// source or the user says its system is; when nothing does, WGS-84, unless the numbers are
/// evidently projected metres, which is refused with a diagnosis), then validated, repaired
/// and checked for duplicate ids.
pub(crate) fn finish(
    mut read: Read,
    path: &Path,
    declared: Option<Crs>,
    assumed: Option<&Crs>,
    name: String,
    role: Role,
) -> Result<Layer, LoadError> {
    let file = path.display().to_string();
    let crs = match declared.or_else(|| assumed.cloned()) {
        Some(crs) => crs,
        None => {
            if let Some((diagnosis, suggested)) = projected_numbers(&read.features) {
                return Err(LoadError::NoCrs {
                    path: path.to_owned(),
                    diagnosis,
                    suggested,
                });
            }
            Crs::Wgs84
        }
    };
    if crs.is_geographic() {
        drop_out_of_range(&mut read, &file);
    }
    let before = read.features.len();
    let sample = first_coord(&read.features);
    let failed = into_working_frame(&mut read, &crs, path)?;
    // Most features out of the system's range: the file's numbers are not in it.
    if failed > 0 && failed * 2 >= before {
        let numbers = sample
            .map(|c| format!("coordinates such as ({:.1}, {:.1})", c.x, c.y))
            .unwrap_or_else(|| "its coordinates".to_owned());
        let guess = sample
            .and_then(crate::core::crs::guess_projected)
            .map(|g| format!("; {g}"))
            .unwrap_or_default();
        let suggested = sample.and_then(crate::core::crs::likely_epsg);
        let code = suggested.map(|c| format!(" EPSG:{c}")).unwrap_or_default();
        return Err(LoadError::WrongCrs {
            path: path.to_owned(),
            diagnosis: format!(
                "its coordinate system is {}, but {failed} of {before} features cannot be moved from it: {numbers} are not in that system{guess}; read it in the right one with --assign-crs{code}",
                crs.name()
            ),
            suggested,
        });
    }
    let mut warnings = read.warnings;
    warnings.extend(check_features(&mut read.features, &mut read.indices, &file));
    warnings.sort_by_key(|w| w.index);
    let mut layer = Layer::new(name, role, read.features);
    layer.crs = crs;
    layer.path = Some(path.to_owned());
    layer.warnings = warnings;
    Ok(layer)
}

/// The diagnosis of a file whose numbers are projected metres though it names no system:
/// when most features start with a coordinate far outside ±180, ±90.
fn projected_numbers(features: &[Feature]) -> Option<(String, Option<u32>)> {
    let firsts: Vec<Coord<f64>> = features
        .iter()
        .filter_map(|f| f.geometry.as_ref()?.coords_iter().next())
        .collect();
    let projected: Vec<&Coord<f64>> = firsts
        .iter()
        .filter(|c| c.x.abs() > 1000.0 || c.y.abs() > 1000.0)
        .collect();
    if projected.is_empty() || projected.len() * 2 < firsts.len() {
        return None;
    }
    let sample = *projected[0];
    Some((
        diagnose_projected(sample)?,
        crate::core::crs::likely_epsg(sample),
    ))
}

/// Skips features of a lon/lat layer with a latitude outside ±90 (longitude and latitude
/// swapped, most often), each with a warning.
fn drop_out_of_range(read: &mut Read, file: &str) {
    let bad: Vec<Option<Coord<f64>>> = read
        .features
        .par_iter()
        .map(|f| {
            f.geometry
                .as_ref()?
                .coords_iter()
                .find(|c| !c.x.is_finite() || !(-90.0..=90.0).contains(&c.y))
        })
        .collect();
    if bad.iter().all(Option::is_none) {
        return;
    }
    let mut keep = Vec::with_capacity(read.features.len());
    for ((f, index), lat) in std::mem::take(&mut read.features)
        .into_iter()
        .zip(std::mem::take(&mut read.indices))
        .zip(bad)
    {
        match lat {
            Some(c) => read.warnings.push(LoadWarning::skipped(
                file,
                index,
                Some(f.id.clone()),
                if c.x.is_finite() && c.y.is_finite() {
                    format!(
                        "latitude {} is outside ±90 (are longitude and latitude swapped?)",
                        c.y
                    )
                } else {
                    "a coordinate is not a finite number".to_owned()
                },
            )),
            None => keep.push((f, index)),
        }
    }
    (read.features, read.indices) = keep.into_iter().unzip();
}

/// The first coordinate of the first feature that has one.
fn first_coord(features: &[Feature]) -> Option<Coord<f64>> {
    features
        .iter()
        .find_map(|f| f.geometry.as_ref()?.coords_iter().next())
}

/// Moves every feature into WGS-84 lon/lat, on all cores; a feature whose coordinates the
/// transform cannot take (outside the projection's range) is skipped with a warning. Returns
/// how many were skipped.
fn into_working_frame(read: &mut Read, crs: &Crs, path: &Path) -> Result<usize, LoadError> {
    let transform = crs.to_wgs84().map_err(|error| LoadError::Crs {
        path: path.to_owned(),
        error,
    })?;
    if transform.is_identity() {
        return Ok(0);
    }
    let failed: Vec<Option<String>> = read
        .features
        .par_iter_mut()
        .map(|f| {
            let g = f.geometry.as_mut()?;
            let result = transform.apply_geometry(g);
            f.bbox = f.geometry.as_ref().and_then(|g| g.bounding_rect());
            result.err().map(|e| e.to_string())
        })
        .collect();
    let count = failed.iter().filter(|f| f.is_some()).count();
    if count == 0 {
        return Ok(0);
    }
    let file = path.display().to_string();
    let mut keep = Vec::with_capacity(read.features.len());
    for ((f, index), error) in std::mem::take(&mut read.features)
        .into_iter()
        .zip(std::mem::take(&mut read.indices))
        .zip(failed)
    {
        match error {
            Some(reason) => read.warnings.push(LoadWarning::skipped(
                &file,
                index,
                Some(f.id.clone()),
                reason,
            )),
            None => keep.push((f, index)),
        }
    }
    (read.features, read.indices) = keep.into_iter().unzip();
    Ok(count)
}

/// Validates and repairs `features` in place and says what was done. `indices` holds each
/// feature's place in the file; a feature whose rings enclose no area at all is removed from
/// both, with a warning.
pub(crate) fn check_features(
    features: &mut Vec<Feature>,
    indices: &mut Vec<usize>,
    file: &str,
) -> Vec<LoadWarning> {
    let outcomes: Vec<Outcome> = features.par_iter_mut().map(check_feature).collect();
    let mut warnings = Vec::new();
    let mut keep = vec![true; features.len()];
    for (i, outcome) in outcomes.into_iter().enumerate() {
        let f = &mut features[i];
        let warning = |kind, reason: String| LoadWarning {
            file: file.to_owned(),
            index: indices[i],
            id: Some(f.id.clone()),
            name: Some(f.name.clone()),
            kind,
            reason,
            records: 1,
        };
        match outcome {
            Outcome::Valid => {}
            Outcome::RepeatedPoints(n) => {
                let w = warning(
                    WarningKind::RepeatedPoints,
                    format!("{n} repeated point(s)"),
                );
                warnings.push(w);
            }
            Outcome::Repaired {
                problems,
                parts,
                km2,
            } => {
                let reason = format!(
                    "invalid geometry: {}; repaired to {parts} part(s), {km2:.6} km²",
                    describe(&problems)
                );
                let w = warning(WarningKind::Repaired, reason);
                f.notes.push((w.kind, w.reason.clone()));
                warnings.push(w);
            }
            Outcome::NoArea(problems) => {
                let reason = format!(
                    "invalid geometry: {}; its rings enclose no area",
                    describe(&problems)
                );
                warnings.push(warning(WarningKind::Skipped, reason));
                keep[i] = false;
            }
        }
    }
    if keep.iter().any(|k| !k) {
        let mut k = keep.iter();
        features.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        indices.retain(|_| *k.next().unwrap_or(&true));
    }
    warnings.extend(duplicate_ids(features, indices, file));
    warnings
}

enum Outcome {
    Valid,
    RepeatedPoints(usize),
    Repaired {
        problems: Vec<Problem>,
        parts: usize,
        km2: f64,
    },
    NoArea(Vec<Problem>),
}

fn check_feature(f: &mut Feature) -> Outcome {
    if !f.is_areal() {
        return Outcome::Valid;
    }
    let problems = validate(&f.polygons());
    if problems.is_empty() {
        return Outcome::Valid;
    }
    if problems.iter().all(|p| !p.fault.is_invalid()) {
        return Outcome::RepeatedPoints(problems.len());
    }
    let repaired = make_valid(&f.polygons());
    if repaired.0.is_empty() {
        return Outcome::NoArea(problems);
    }
    let km2 = geodesic_area_sum(&repaired.0).km2();
    let parts = repaired.0.len();
    let geometry = with_polygons(f.geometry.take(), repaired);
    *f = Feature {
        notes: std::mem::take(&mut f.notes),
        id_is_number: f.id_is_number,
        ..Feature::new(
            std::mem::take(&mut f.id),
            std::mem::take(&mut f.name),
            std::mem::take(&mut f.properties),
            Some(geometry),
        )
    };
    Outcome::Repaired {
        problems,
        parts,
        km2,
    }
}

/// The geometry with its polygons replaced by `polygons`, keeping any points and lines of a
/// GeometryCollection beside them.
fn with_polygons(old: Option<Geometry<f64>>, polygons: MultiPolygon<f64>) -> Geometry<f64> {
    match old {
        Some(Geometry::GeometryCollection(gc)) => {
            let mut rest: Vec<Geometry<f64>> = Vec::new();
            collect_non_areal(gc, &mut rest);
            if rest.is_empty() {
                Geometry::MultiPolygon(polygons)
            } else {
                rest.insert(0, Geometry::MultiPolygon(polygons));
                Geometry::GeometryCollection(GeometryCollection(rest))
            }
        }
        _ => Geometry::MultiPolygon(polygons),
    }
}

fn collect_non_areal(gc: GeometryCollection<f64>, out: &mut Vec<Geometry<f64>>) {
    for g in gc.0 {
        match g {
            Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {}
            Geometry::GeometryCollection(inner) => collect_non_areal(inner, out),
            other => out.push(other),
        }
    }
}

/// "self-intersection at 120.3555556, 31.3444444; and 2 more": the problems in a few words.
fn describe(problems: &[Problem]) -> String {
    let invalid: Vec<&Problem> = problems.iter().filter(|p| p.fault.is_invalid()).collect();
    let Some(first) = invalid.first() else {
        return String::new();
    };
    let mut kinds: Vec<Fault> = invalid.iter().map(|p| p.fault).collect();
    kinds.dedup();
    let mut text = first.to_string();
    for k in kinds.iter().skip(1) {
        text.push_str(&format!(", {k}"));
    }
    if invalid.len() > 1 {
        text.push_str(&format!(" ({} problems)", invalid.len()));
    }
    text
}

/// Features whose id another, earlier feature of the file already carries (their ids, and the
/// earlier features', are then no longer taken as numbers: see [`Feature::id_is_number`]).
fn duplicate_ids(features: &mut [Feature], indices: &[usize], file: &str) -> Vec<LoadWarning> {
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(features.len());
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        match first.get(f.id.as_str()) {
            Some(&j) => repeats.push((i, j)),
            None => {
                first.insert(f.id.as_str(), i);
            }
        }
    }
    let mut warnings = Vec::with_capacity(repeats.len());
    for (i, j) in repeats {
        let reason = format!(
            "id {} is also feature {}'s ({})",
            features[i].id, indices[j], features[j].name
        );
        let note = format!(
            "id {} is carried by features {} ({}) and {} ({})",
            features[i].id, indices[j], features[j].name, indices[i], features[i].name
        );
        for k in [i, j] {
            // Written back as text, so that GDAL keeps each as a field rather than renumbering
            // features whose FIDs repeat.
            features[k].id_is_number = false;
            if !features[k].notes.iter().any(|(_, n)| *n == note) {
                features[k]
                    .notes
                    .push((WarningKind::DuplicateId, note.clone()));
            }
        }
        warnings.push(LoadWarning {
            file: file.to_owned(),
            index: indices[i],
            id: Some(features[i].id.clone()),
            name: Some(features[i].name.clone()),
            kind: WarningKind::DuplicateId,
            reason,
            records: 1,
        });
    }
    warnings
}
