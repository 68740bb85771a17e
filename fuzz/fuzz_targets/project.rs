//! The project reader on arbitrary bytes, then its inline layers (the proposals, kept in the
//! project as GeoJSON) through the layer reader: errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use zonemap::core::project::{LayerSource, Project, SourceOptions, load_source};

fuzz_target!(|data: &[u8]| {
    if let Ok(project) = Project::parse(data, Path::new("fuzz.zonemap")) {
        for layer in &project.layers {
            if let LayerSource::Inline(_) = layer.source {
                let how = SourceOptions {
                    filter: layer.filter.as_ref(),
                    name: &layer.name,
                    crs: &layer.crs,
                    table: layer.table.as_deref(),
                    encoding: layer.encoding.as_deref(),
                };
                let _ = load_source(&layer.source, &how);
            }
        }
        let _ = project.to_json();
    }
});
