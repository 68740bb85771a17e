//! The DBF reader and the text decoding (language driver, guessed encodings) on arbitrary
//! bytes, beside a valid one-square .shp/.shx: a layer or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use zonemap::core::Role;
use zonemap::core::io::LoadOptions;
use zonemap::core::io::shapefile::{Parts, read};

const SHP: &[u8] = include_bytes!("../fixtures/square.shp");
const SHX: &[u8] = include_bytes!("../fixtures/square.shx");

fuzz_target!(|data: &[u8]| {
    let parts = Parts {
        name: PathBuf::from("fuzz.shp"),
        shp: SHP.to_vec(),
        shx: Some(SHX.to_vec()),
        dbf: Some(data.to_vec()),
        prj: None,
        cpg: None,
    };
    let _ = read(parts, Role::Units, &LoadOptions::default());
});
