//! The GeoPackage reader (SQLite, the gpkg tables, geometry blobs, the srs) on arbitrary bytes
//! written to a file, as a .gpkg arrives: layers or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonemap::core::Role;
use zonemap::core::io::{LoadOptions, load_layers};

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("zonemap-fuzz-{}.gpkg", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(layers) = load_layers(&path, Role::Units, &LoadOptions::default()) {
        for layer in &layers {
            let _ = layer.bbox();
        }
    }
    let _ = std::fs::remove_file(&path);
});
