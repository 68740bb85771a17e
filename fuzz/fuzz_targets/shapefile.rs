//! The Shapefile reader (shapes by the .shx, DBF records and their text, the .prj's system,
//! then the load checks) on arbitrary parts. The input is split into .shp, .shx, .dbf and .prj
//! by three little-endian u32 lengths at its start; it must give a layer or an error, never a
//! panic, a stack overflow or runaway memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use zonemap::core::Role;
use zonemap::core::io::LoadOptions;
use zonemap::core::io::shapefile::{Parts, read};

fn split(data: &[u8]) -> Option<[&[u8]; 4]> {
    let len = |i: usize| -> Option<usize> {
        Some(u32::from_le_bytes(data.get(4 * i..4 * i + 4)?.try_into().ok()?) as usize)
    };
    let (a, b, c) = (len(0)?, len(1)?, len(2)?);
    let rest = data.get(12..)?;
    let shp = rest.get(..a.min(rest.len()))?;
    let rest = &rest[shp.len()..];
    let shx = &rest[..b.min(rest.len())];
    let rest = &rest[shx.len()..];
    let dbf = &rest[..c.min(rest.len())];
    let prj = &rest[dbf.len()..];
    Some([shp, shx, dbf, prj])
}

fuzz_target!(|data: &[u8]| {
    let Some([shp, shx, dbf, prj]) = split(data) else {
        return;
    };
    let parts = Parts {
        name: PathBuf::from("fuzz.shp"),
        shp: shp.to_vec(),
        shx: Some(shx.to_vec()),
        dbf: Some(dbf.to_vec()),
        prj: Some(String::from_utf8_lossy(prj).into_owned()),
        cpg: None,
    };
    if let Ok(layer) = read(parts, Role::Units, &LoadOptions::default()) {
        let _ = layer.bbox();
        let _ = zonemap::core::analysis::layer_areas(&layer);
    }
});
