//! Export benchmark: a 2000 × 1500 PNG of all 2,875 Chinese county outlines, filled by province
//! and labelled, made by one `zonemap export` run from the GeoJSON file (fetch it with
//! `python3 scripts/fetch-china.py`).
//!
//!     cargo bench --bench export [-- DIR]
//!
//! Prints the wall time of the command (load included; the median of five runs) and, in
//! process, the time of each phase: load, compose (project, simplify, lay out, place labels),
//! draw and encode.

mod common;

use std::process::Command;
use std::time::Instant;

use zonemap::core::render::input::from_files;
use zonemap::core::render::raster::{encode_png, rasterize};
use zonemap::core::render::{SheetOptions, compose};
use zonemap::core::style::{Categories, Thematic};

const RUNS: usize = 5;

fn main() {
    let dir = common::data_dir();
    let counties = dir.join("china-counties.geojson");
    if !counties.exists() {
        eprintln!(
            "{} not found: run `python3 scripts/fetch-china.py` first",
            counties.display()
        );
        std::process::exit(2);
    }
    let out = std::env::temp_dir().join("zonemap-bench-export.png");
    let exe = env!("CARGO_BIN_EXE_zonemap");
    let mut walls: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(exe)
                .args(["export", "--size", "2000x1500", "--categories", "province"])
                .args(["--title", "中国 县级行政区", "--out"])
                .arg(&out)
                .arg(&counties)
                .status()
                .expect("zonemap runs");
            assert!(status.success(), "zonemap export failed");
            start.elapsed().as_secs_f64()
        })
        .collect();
    walls.sort_by(f64::total_cmp);
    println!(
        "zonemap export, 2000x1500 PNG of {}: median {:.3} s (min {:.3}, max {:.3}, {RUNS} runs)",
        counties.display(),
        walls[RUNS / 2],
        walls[0],
        walls[RUNS - 1]
    );

    let start = Instant::now();
    let mut map =
        from_files(&[counties.display().to_string()], &Default::default()).expect("loads");
    let load = start.elapsed().as_secs_f64();
    let top = &mut map.layers[0];
    top.style.category_field = Some("province".to_owned());
    top.style.fill_opacity = 0.6;
    let thematic = Thematic::Categories(Categories::of(&top.layer, "province"));
    top.paint = zonemap::core::render::Paint::Thematic {
        fills: thematic.fills(&top.layer).into(),
        thematic,
    };
    let options = SheetOptions {
        size_px: [2000, 1500],
        title: Some("中国 县级行政区".to_owned()),
        ..SheetOptions::default()
    };
    let start = Instant::now();
    let sheet = compose(&map, &options).expect("composes");
    let composed = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let pixmap = rasterize(&sheet.scene).expect("draws");
    let drawn = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let png = encode_png(&pixmap, options.dpi).expect("encodes");
    let encoded = start.elapsed().as_secs_f64();
    println!(
        "in process: load {load:.3} s, compose {composed:.3} s, draw {drawn:.3} s, encode {encoded:.3} s ({} KB); {} features, {} labels",
        png.len() / 1024,
        sheet.layout.features_drawn,
        sheet.layout.labels.len()
    );
}
