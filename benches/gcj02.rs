//! The GCJ-02 → WGS-84 inverse on every vertex of the 2,875 counties (fetch them with
//! `python3 scripts/fetch-china.py`), as the loader runs it, one point at a time and eight side
//! by side (`gcj02_to_wgs84_each`, what `Transform::apply_all` calls).
//!
//!     cargo bench --bench gcj02 [-- DIR]
//!
//! Prints nanoseconds per point for each (median and range over 7 runs, each over every
//! vertex), and checks that both give the same bits for every vertex.

mod common;

use std::time::Instant;

use geo::{Coord, CoordsIter};
use zonemap::core::Role;
use zonemap::core::crs::Crs;
use zonemap::core::crs::gcj02::{gcj02_to_wgs84, gcj02_to_wgs84_each};
use zonemap::core::io::{LoadOptions, load_layer};

fn main() {
    let path = common::data_dir().join("china-counties.geojson");
    if !path.exists() {
        eprintln!(
            "{} not found: run `python3 scripts/fetch-china.py` first",
            path.display()
        );
        std::process::exit(2);
    }
    // Read as WGS-84, so that the coordinates stay as the file has them (GCJ-02).
    let options = LoadOptions {
        crs: Some(Crs::parse("EPSG:4326").expect("WGS-84")),
        ..LoadOptions::default()
    };
    let layer = load_layer(&path, Role::Units, &options).expect("the counties load");
    let points: Vec<Coord<f64>> = layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .flat_map(|g| g.coords_iter())
        .collect();
    println!(
        "{} vertices of {} counties",
        points.len(),
        layer.features.len()
    );

    let mut one = points.clone();
    let mut side = points.clone();
    let per_point = |label: &str, f: &mut dyn FnMut()| {
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64() * 1e9 / points.len() as f64
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{label}: median {:.1} ns a point (range {:.1}–{:.1})",
            times[3], times[0], times[6]
        );
    };
    per_point("one at a time (gcj02_to_wgs84)", &mut || {
        one.copy_from_slice(&points);
        for c in one.iter_mut() {
            *c = gcj02_to_wgs84(*c);
        }
    });
    per_point("eight side by side (gcj02_to_wgs84_each)", &mut || {
        side.copy_from_slice(&points);
        gcj02_to_wgs84_each(side.iter_mut());
    });
    let differ = one
        .iter()
        .zip(&side)
        .filter(|(a, b)| a.x.to_bits() != b.x.to_bits() || a.y.to_bits() != b.y.to_bits())
        .count();
    println!("vertices whose bits differ between the two: {differ}");
    assert_eq!(
        differ, 0,
        "the side-by-side inverse must give the same bits"
    );
}
