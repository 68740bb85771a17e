//! Dissolve by field at national scale: the 2,875 Chinese counties by `province` (make the
//! files with `python3 scripts/fetch-china.py`).
//!
//!     cargo bench --bench dissolve [-- DIR]
//!
//! Times, five runs each, median and range, on all cores:
//! - the dissolve alone (`core::topology::dissolve`) on the loaded counties;
//! - load and dissolve together, from the GeoJSON (with its GCJ-02 → WGS-84 move), the
//!   Shapefile and the GeoPackage (the whole of `zonemap dissolve FILE --by province` but the
//!   process start and the printing).
//!
//! Issue 18 asks for the whole process within 0.7 s (4× mapshaper's 2.83 s); the peers'
//! figures are `scripts/peers-dissolve.sh`. Also checks what the issue says the result must
//! be: 34 features, 29 holes, every group by shared edges, one gap-free group per province.
//! Exits 2 without the data.

mod common;
use common::median;

use std::path::Path;

use zonemap::core::Role;
use zonemap::core::io::{LoadOptions, load_layer};
use zonemap::core::topology::dissolve::{DissolveOptions, Method, dissolve};

fn main() {
    let dir = common::data_dir();
    let path = |ext: &str| dir.join(format!("china-counties.{ext}"));
    if !path("geojson").exists() {
        eprintln!(
            "{} not found: run `python3 scripts/fetch-china.py` first",
            path("geojson").display()
        );
        std::process::exit(2);
    }
    println!("threads: {}", rayon::current_num_threads());
    let load = |p: &Path| {
        load_layer(p, Role::Units, &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let counties = load(&path("geojson"));
    let options = DissolveOptions::default();
    let out = dissolve(&counties, "province", &options).expect("dissolves");
    let holes: usize = out.groups.iter().map(|g| g.holes).sum();
    let parts: usize = out.groups.iter().map(|g| g.parts).sum();
    let vertices: usize = out.groups.iter().map(|g| g.vertices).sum();
    println!(
        "{} groups, {parts} parts, {holes} holes, {vertices} vertices; {} gaps, {} overlaps",
        out.groups.len(),
        out.gaps.len(),
        out.overlaps.len()
    );
    assert_eq!((out.groups.len(), holes), (34, 29), "issue 18's figures");
    assert!(out.groups.iter().all(|g| g.method == Method::SharedEdges));
    median("dissolve by province (loaded counties)", 5, || {
        dissolve(&counties, "province", &options).expect("dissolves");
    });
    for ext in ["geojson", "shp", "gpkg"] {
        let p = path(ext);
        if !p.exists() {
            continue;
        }
        median(&format!("load {ext} + dissolve"), 5, || {
            let layer = load(&p);
            dissolve(&layer, "province", &options).expect("dissolves");
        });
    }
}
