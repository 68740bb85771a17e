//! The GeoJSON reader, as every load runs it (parse, validate, repair, duplicate ids), on
//! arbitrary bytes: it must return a layer or an error, never panic, overflow its stack or
//! run away with memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use zonemap::core::Role;
use zonemap::core::io::{LoadOptions, parse_layer};

fuzz_target!(|data: &[u8]| {
    if let Ok(layer) = parse_layer(data, Path::new("fuzz.geojson"), Role::Units, &LoadOptions::default()) {
        // What every view then asks of a layer.
        let _ = layer.bbox();
        let _ = zonemap::core::check::check_layer(&layer);
        let _ = zonemap::core::analysis::layer_areas(&layer);
    }
});
