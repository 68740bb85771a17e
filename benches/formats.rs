//! Reading planners' file formats and moving coordinates between systems, on the 2,875 Chinese
//! counties (4.2 million vertices). Make the files with `python3 scripts/fetch-china.py`, which
//! writes the Shapefile and the GeoPackage with GDAL's ogr2ogr.
//!
//!     cargo bench --bench formats [-- DIR]
//!
//! Times, five runs each, median and range, on all cores:
//! - `load_layer` of `china-counties.shp` and `.gpkg`: the whole load the window and the
//!   command line do (read, decode, bring into WGS-84, validate, orient, index); issue 14 asks
//!   for at most 0.2 s, 4× pyogrio's 0.8 s (`python3 scripts/peers.py read` measures pyogrio
//!   into geopandas again);
//! - every vertex through GCJ-02 → WGS-84 (the bundled data's conversion, an iterative
//!   inverse), WGS-84 → EPSG:4528 (CGCS2000 Gauss-Krüger zone 40) and back: issue 14 asks for
//!   at most 0.2 s for 4.2 M vertices (`scripts/peers.py transform` times pyproj).
//!
//! Exits 2 without the data.

mod common;
use common::median;

use std::path::Path;
use std::time::Instant;

use geo::CoordsIter;
use rayon::prelude::*;
use zonemap::core::Role;
use zonemap::core::crs::Crs;
use zonemap::core::io::{LoadOptions, load_layer};

fn need(path: &Path) {
    if !path.exists() {
        eprintln!(
            "{} not found: run `python3 scripts/fetch-china.py` first",
            path.display()
        );
        std::process::exit(2);
    }
}

fn main() {
    let dir = common::data_dir();
    println!("{} threads", rayon::current_num_threads());
    for name in ["china-counties.shp", "china-counties.gpkg"] {
        let path = dir.join(name);
        need(&path);
        let mut features = 0;
        median(&format!("load_layer {name}"), 5, || {
            let layer = load_layer(&path, Role::Units, &LoadOptions::default())
                .unwrap_or_else(|e| panic!("{e}"));
            features = layer.features.len();
        });
        println!("  {features} features; pyogrio into geopandas: 0.8 s (issue 14)");
    }

    // The counties' polygons, in the coordinates the GeoJSON holds (GCJ-02).
    let path = dir.join("china-counties.geojson");
    need(&path);
    let layer = load_layer(
        &path,
        Role::Units,
        &LoadOptions {
            crs: Some(Crs::Wgs84),
            ..LoadOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let polygons: Vec<geo::Geometry<f64>> = layer
        .features
        .iter()
        .map(|f| geo::Geometry::MultiPolygon(f.multi_polygon()))
        .collect();
    let vertices: usize = polygons.iter().map(|m| m.coords_count()).sum();
    println!("{vertices} vertices");
    let gk40 = Crs::from_epsg(4528).expect("EPSG:4528");
    let steps = [
        ("GCJ-02 → WGS-84", Crs::Gcj02.to_wgs84().expect("transform")),
        ("WGS-84 → EPSG:4528", gk40.from_wgs84().expect("transform")),
        ("EPSG:4528 → WGS-84", gk40.to_wgs84().expect("transform")),
    ];
    let mut work = polygons.clone();
    for (label, transform) in &steps {
        // Each step starts from the last one's output, as a file's coordinates would; the copy
        // each run starts from is made outside the timing.
        let input = work.clone();
        let mut times = Vec::new();
        for _ in 0..5 {
            work = input.clone();
            let start = Instant::now();
            // As the loader and the writers do: feature by feature, ring by ring.
            work.par_iter_mut().for_each(|g| {
                transform.apply_geometry(g).expect("transforms");
            });
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        println!(
            "every vertex {label}: median {:.3} s (range {:.3}–{:.3} s over 5 runs); issue 14 asks for 0.2 s",
            times[2], times[0], times[4]
        );
    }
}
