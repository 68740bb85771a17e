//! Files as layers: opening a file (the tables of a GeoPackage, the Shapefiles of a zip),
//! giving the coordinate system of a file that does not say it, and reading a layer again with
//! another text encoding or system. The reading itself is [`super::loader`]'s.

use std::path::Path;

use super::Session;
use super::command::{Effects, Request};
use super::layer::{LayerKey, LayerSource};
use super::loader::LoadRequest;

impl Session {
    /// Opens a file as layers: a GeoPackage or zip of several layers asks which to open; one
    /// of a single layer opens at once.
    pub(super) fn open_layer_file(&mut self, path: &Path) -> Effects {
        // `FILE.gpkg:TABLE`, as the command line names one table.
        let spec = crate::core::io::SourceSpec::parse(&path.to_string_lossy());
        if let Some(table) = spec.table {
            let mut request = LoadRequest::file(&spec.path);
            request.name = Some(table.clone());
            request.table = Some(table);
            self.start_load(request);
            return Effects::none();
        }
        match crate::core::io::layer_names(path) {
            Err(e) => self.errors.push(e.to_string()),
            Ok(names) if names.len() > 1 => {
                return Effects::one(Request::PickTables {
                    path: path.to_owned(),
                    tables: names,
                });
            }
            Ok(names) => {
                let mut request = LoadRequest::file(path);
                request.table = names.into_iter().next();
                self.start_load(request);
            }
        }
        Effects::none()
    }

    /// Opens the chosen tables of a file, one layer each, named after the table.
    pub(super) fn open_tables(&mut self, path: &Path, tables: Vec<String>) {
        for table in tables {
            let mut request = LoadRequest::file(path);
            request.name = Some(table.clone());
            request.table = Some(table);
            self.start_load(request);
        }
    }

    /// Reads a file layer again, in place, with another text encoding or coordinate system
    /// (`None`: as before).
    pub(super) fn reread_layer(
        &mut self,
        key: LayerKey,
        encoding: Option<String>,
        crs: Option<String>,
    ) {
        let Some(l) = self.layer(key) else {
            return;
        };
        if !matches!(l.source, LayerSource::File(_)) || l.editable {
            self.errors.push(format!(
                "{}: {}",
                l.layer.name,
                self.lang.t().reread_only_files
            ));
            return;
        }
        let request = LoadRequest {
            source: l.source.clone(),
            role: Some(l.role),
            style: Some(l.style.clone()),
            name: Some(l.layer.name.clone()),
            crs: Some(crs.unwrap_or_else(|| l.layer.crs.code())),
            order: None,
            filter: l.filter.clone(),
            editable: false,
            official_km2: l.official_km2.clone(),
            table: l.layer.table.clone(),
            encoding: encoding.or_else(|| l.encoding_choice.clone()),
            replaces: Some(key),
        };
        self.start_load(request);
    }

    /// Loads again a file that did not say its coordinate system, with the one typed for it.
    pub(super) fn retry_with_crs(&mut self, index: usize) {
        if index >= self.crs_prompts.len() {
            return;
        }
        let prompt = self.crs_prompts.remove(index);
        let mut request = prompt.request;
        request.crs = Some(prompt.text.trim().to_owned());
        self.start_load(request);
    }
}
