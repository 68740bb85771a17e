//! Validation of every polygon, as every load runs it: the 2,875 Chinese county outlines
//! (4.2 million vertices; fetch them with `python3 scripts/fetch-china.py`).
//!
//!     cargo bench --bench validate [-- DIR]
//!
//! Times the sweep of `zonemap::core::topology::validate` over every county on all cores, five
//! times, and prints the median and range beside GEOS's figure for the same file (shapely 2
//! `is_valid` over the counties: 0.35 s on this kind of 2-core machine, issue 13;
//! `scripts/peers.py validate` measures it again). Exits 2 without the data, 1 if the sweep
//! finds a problem GEOS does not (GEOS finds the counties all valid).

mod common;

use std::time::Instant;

use rayon::prelude::*;
use zonemap::core::Role;
use zonemap::core::io::{LoadOptions, load_layer};
use zonemap::core::topology::validate;

fn main() {
    let dir = common::data_dir();
    let path = dir.join("china-counties.geojson");
    if !path.exists() {
        eprintln!(
            "{} not found: run `python3 scripts/fetch-china.py` first",
            path.display()
        );
        std::process::exit(2);
    }
    let layer = match load_layer(&path, Role::Units, &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let polygons: Vec<Vec<&geo::Polygon<f64>>> =
        layer.features.iter().map(|f| f.polygons()).collect();
    let vertices: usize = polygons
        .iter()
        .flatten()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    println!(
        "{} counties, {vertices} vertices, {} threads",
        polygons.len(),
        rayon::current_num_threads()
    );
    let mut times = Vec::new();
    let mut invalid = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let found: Vec<usize> = polygons
            .par_iter()
            .map(|parts| {
                validate(parts)
                    .iter()
                    .filter(|p| p.fault.is_invalid())
                    .count()
            })
            .collect();
        times.push(start.elapsed().as_secs_f64());
        invalid = found.iter().filter(|&&n| n > 0).count();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "validate every county: median {:.3} s (range {:.3}–{:.3} s over 5 runs); GEOS (shapely 2 is_valid): 0.35 s",
        times[2], times[0], times[4]
    );
    let repaired = layer
        .warnings
        .iter()
        .filter(|w| w.kind == zonemap::core::io::WarningKind::Repaired)
        .count();
    println!("invalid counties found: {invalid} (the loader repaired {repaired}); GEOS finds 0");
    if invalid > 0 || repaired > 0 {
        std::process::exit(1);
    }
}
