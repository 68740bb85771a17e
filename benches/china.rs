//! Whole-country benchmark: the 2,875 Chinese county outlines as units and the 370 cities as
//! zones (fetch them with `python3 scripts/fetch-china.py`).
//!
//!     cargo bench --bench china [-- DIR]
//!
//! Prints the time of each phase, and checks the fast geodesic area against GeographicLib's
//! (Karney's) edge-by-edge figure for every county.

mod common;

use std::path::Path;
use std::time::Instant;

use geo::GeodesicArea;
use rayon::prelude::*;
use zonemap::core::analysis::analyse;
use zonemap::core::io::{LoadOptions, load_layer};
use zonemap::core::measure::geodesic_area;
use zonemap::core::{Layer, Role};

fn main() {
    let dir = common::data_dir();
    let counties_path = dir.join("china-counties.geojson");
    let cities_path = dir.join("china-cities.geojson");
    if !counties_path.exists() {
        eprintln!(
            "{} not found: run `python3 scripts/fetch-china.py` first",
            counties_path.display()
        );
        std::process::exit(2);
    }
    println!("threads: {}", rayon::current_num_threads());

    let (counties, t) = timed(|| load(&counties_path, Role::Units));
    let vertices: usize = counties
        .features
        .iter()
        .flat_map(|f| f.polygons())
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    println!(
        "load counties: {t:.3} s ({} features, {vertices} vertices)",
        counties.features.len()
    );
    let (cities, t) = timed(|| load(&cities_path, Role::Zones));
    println!(
        "load cities:   {t:.3} s ({} features)",
        cities.features.len()
    );

    let (areas, t) = timed(|| {
        counties
            .features
            .par_iter()
            .map(|f| {
                f.polygons()
                    .into_iter()
                    .map(|p| geodesic_area(p).m2)
                    .sum::<f64>()
            })
            .collect::<Vec<f64>>()
    });
    println!("geodesic areas, counties (equal-area projection): {t:.3} s");

    let (karney, t) = timed(|| {
        counties
            .features
            .par_iter()
            .map(|f| {
                f.polygons()
                    .into_iter()
                    .map(|p| p.geodesic_area_unsigned())
                    .sum::<f64>()
            })
            .collect::<Vec<f64>>()
    });
    println!("geodesic areas, counties (GeographicLib, Karney):  {t:.3} s");
    let mut errors: Vec<(f64, &str)> = areas
        .iter()
        .zip(&karney)
        .zip(&counties.features)
        .map(|((a, k), f)| ((a - k).abs() / k, f.name.as_str()))
        .collect();
    errors.sort_by(|a, b| a.0.total_cmp(&b.0));
    let worst = errors.last().copied().unwrap_or((0.0, ""));
    println!(
        "relative error against GeographicLib: median {:.1e}, max {:.1e} ({})",
        errors[errors.len() / 2].0,
        worst.0,
        worst.1
    );
    // README's claim ("2.3e-9 relative at worst"), with room: above it, the bench
    // fails rather than print a figure README no longer matches.
    const MAX_RELATIVE_ERROR: f64 = 1e-8;
    if worst.0 > MAX_RELATIVE_ERROR {
        eprintln!(
            "the areas are off GeographicLib's by {:.1e} ({}), more than {MAX_RELATIVE_ERROR:.0e}",
            worst.0, worst.1
        );
        std::process::exit(1);
    }

    let (analysis, t) = timed(|| analyse(&cities, &counties));
    let c = analysis.totals;
    println!("analyse (areas, city × county overlap, coverage, city overlaps, pilots): {t:.3} s");
    println!(
        "  {} overlaps; {} counties: {} full, {} partial, {} uncovered, {} in two cities; {} city overlaps",
        analysis.overlaps.len(),
        c.units,
        c.full,
        c.partial,
        c.uncovered,
        c.multi_zone_units,
        analysis.zone_overlaps.len()
    );
    println!(
        "  county area {:.0} km², covered {:.0} km²",
        c.unit_area.km2(),
        c.covered.km2()
    );
}

fn load(path: &Path, role: Role) -> Layer {
    match load_layer(path, role, &LoadOptions::default()) {
        Ok(layer) => layer,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64())
}
