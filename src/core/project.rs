//! The project file: a whole session as one JSON file (`.zonemap`) that the window saves and
//! opens and the command line reads: the layers by path (or, for proposals, their features
//! inline), their roles, styles and filters, which layers the coverage analysis uses, and the
//! view.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::core::analysis::AnalysisOptions;

use crate::core::Layer;
use crate::core::Role;
use crate::core::bundled::bundled;
use crate::core::crs::Crs;
use crate::core::io::{LoadOptions, load_layer, parse_layer, write_atomic};
use crate::core::model::LayerFilter;
use crate::core::report::OFFICIAL_KM2;
use crate::core::style::LayerStyle;
use crate::core::view::Viewport;

/// What the `format` member of a project file says.
pub const FORMAT: &str = "zonemap-project";
/// The version this program writes; it reads this one and older.
pub const VERSION: u32 = 1;
/// The extension project files get.
pub const EXTENSION: &str = "zonemap";

/// Where a layer's features come from, so that a later run can load them again.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum LayerSource {
    /// A GeoJSON file. In a project file a relative path is relative to the project's folder.
    File(PathBuf),
    /// One of the files built into the program, by its path in the repository.
    Bundled(String),
    /// Features kept in the project itself, as a GeoJSON FeatureCollection: the proposals.
    Inline(Value),
}

impl LayerSource {
    /// How messages name it.
    pub fn label(&self) -> String {
        match self {
            LayerSource::File(p) => p.display().to_string(),
            LayerSource::Bundled(p) => p.clone(),
            LayerSource::Inline(_) => "(in the project)".to_owned(),
        }
    }
}

/// One layer of a project.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProjectLayer {
    pub source: LayerSource,
    pub name: String,
    pub role: Role,
    /// The coordinate system of its source (`WGS-84`, `GCJ-02`, `EPSG:4528`, a PROJ string):
    /// what the source is read as, into the working frame. Empty: what the source says.
    pub crs: String,
    /// The table of a GeoPackage source (or the Shapefile of a zip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The text encoding a Shapefile source is read with, when the user chose one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub style: LayerStyle,
    /// Keep only the features it matches.
    #[serde(default)]
    pub filter: Option<LayerFilter>,
    /// Whether the user may edit its features: true for the proposals layer.
    #[serde(default)]
    pub editable: bool,
    /// Official areas (km²) typed in the window, by feature id: they become the features'
    /// `official_km2` property when the layer loads.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub official_km2: BTreeMap<String, f64>,
}

/// A whole session.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Project {
    pub format: String,
    pub version: u32,
    /// Top of the map first.
    pub layers: Vec<ProjectLayer>,
    /// The coverage analysis' zones and units layers, by their place in `layers`.
    #[serde(default)]
    pub coverage_zones: Option<usize>,
    #[serde(default)]
    pub coverage_units: Option<usize>,
    /// The layer the proposals were started from: the "before" of the scenario comparison.
    #[serde(default)]
    pub proposals_base: Option<usize>,
    #[serde(default)]
    pub view: Option<Viewport>,
    /// How the coverage analysis overlays the layers (the snapping tolerance); the defaults
    /// when absent (projects before it was kept).
    #[serde(default)]
    pub analysis: Option<AnalysisOptions>,
    /// What the window showed that the command line shows too (`zonemap export` of a
    /// project: its language, its coverage colours, its view). Absent in projects written
    /// before it was kept: [`Project::shown`] then reads it from `window`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<Shown>,
    /// What only the window uses (open panels, the export dialog); other readers ignore it.
    #[serde(default)]
    pub window: Value,
}

/// What the window showed when the project was saved, typed, for every reader of projects.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Shown {
    /// The interface language, which sheets of the project are written in.
    pub lang: Option<crate::core::render::SheetLang>,
    /// Whether the map showed the coverage colours (units by class, zones as outlines).
    pub coverage_map: bool,
    /// The map's size in points: with `view`, the extent it showed.
    pub map_size: Option<[f64; 2]>,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            format: FORMAT.to_owned(),
            version: VERSION,
            layers: Vec::new(),
            coverage_zones: None,
            coverage_units: None,
            proposals_base: None,
            view: None,
            analysis: None,
            shown: None,
            window: Value::Null,
        }
    }
}

/// Why a project could not be read, written or loaded. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{}: cannot read the project: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: line {line}, column {column}: not a zonemap project: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: not a zonemap project (its `format` is {found:?}, not \"{FORMAT}\")", path.display())]
    Format { path: PathBuf, found: String },
    #[error("{}: written by a newer zonemap (project version {found}; this one reads up to {VERSION})", path.display())]
    Version { path: PathBuf, found: u32 },
    #[error("{}: cannot save the project: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: layer {index} ({name}): {message}", path.display())]
    Layer {
        path: PathBuf,
        index: usize,
        name: String,
        message: String,
    },
}

impl Project {
    /// Reads a project file.
    pub fn read(path: &Path) -> Result<Project, ProjectError> {
        let bytes = std::fs::read(path).map_err(|source| ProjectError::Read {
            path: path.to_owned(),
            source,
        })?;
        Project::parse(&bytes, path)
    }

    /// Parses a project; `path` names it in messages.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Project, ProjectError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let project: Project = serde_json::from_slice(bytes).map_err(|e| ProjectError::Syntax {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e),
        })?;
        if project.format != FORMAT {
            return Err(ProjectError::Format {
                path: path.to_owned(),
                found: project.format,
            });
        }
        if project.version > VERSION {
            return Err(ProjectError::Version {
                path: path.to_owned(),
                found: project.version,
            });
        }
        Ok(project)
    }

    /// What the window showed: the typed `shown` member, else (a project written before it
    /// was kept) the same three settings from the window's own part.
    pub fn shown(&self) -> Shown {
        self.shown.clone().unwrap_or_else(|| Shown {
            lang: self
                .window
                .get("lang")
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
            coverage_map: self.window.get("coverage_map").and_then(Value::as_bool) == Some(true),
            map_size: self
                .window
                .get("map_size")
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
        })
    }

    /// The project as the text of a project file: compact, since inline proposals can hold
    /// many coordinates.
    pub fn to_json(&self) -> String {
        // Only maps with string keys and plain values are in here: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default() + "\n"
    }

    /// Writes the project to `path` atomically, with file paths relative to its folder where
    /// they are inside it.
    pub fn write(&self, path: &Path) -> Result<(), ProjectError> {
        let relative = self.relative_to(path.parent().unwrap_or(Path::new("")));
        write_atomic(path, relative.to_json().as_bytes()).map_err(|source| ProjectError::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// The project with its file sources made relative to `dir` where they lie under it.
    pub fn relative_to(&self, dir: &Path) -> Project {
        let mut out = self.clone();
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
        for layer in &mut out.layers {
            if let LayerSource::File(p) = &layer.source
                && let Ok(abs) = std::path::absolute(p)
                && let Ok(rel) = abs.strip_prefix(&dir)
            {
                layer.source = LayerSource::File(rel.to_owned());
            }
        }
        out
    }

    /// The project with relative file sources resolved against `dir` (the project's folder).
    pub fn resolved(&self, dir: &Path) -> Project {
        let mut out = self.clone();
        for layer in &mut out.layers {
            if let LayerSource::File(p) = &layer.source
                && p.is_relative()
            {
                layer.source = LayerSource::File(dir.join(p));
            }
        }
        out
    }

    /// The coverage analysis' zones (or units) layer, by its place: the one chosen, else the
    /// first layer with that role, as the window picks it.
    pub fn coverage_layer(&self, role: Role) -> Option<usize> {
        let chosen = match role {
            Role::Zones => self.coverage_zones,
            Role::Units => self.coverage_units,
            Role::Context => None,
        };
        chosen
            .filter(|&i| self.layers.get(i).is_some_and(|l| l.role == role))
            .or_else(|| self.layers.iter().position(|l| l.role == role))
    }

    /// Loads every layer, as the command line does (the window loads them in the background
    /// through the same [`load_source`]). `path` is the project file, for messages.
    pub fn load_layers(&self, path: &Path) -> Result<Vec<Layer>, ProjectError> {
        self.layers
            .iter()
            .enumerate()
            .map(|(index, l)| {
                let how = SourceOptions {
                    filter: l.filter.as_ref(),
                    name: &l.name,
                    crs: &l.crs,
                    table: l.table.as_deref(),
                    encoding: l.encoding.as_deref(),
                };
                let mut layer =
                    load_source(&l.source, &how).map_err(|message| ProjectError::Layer {
                        path: path.to_owned(),
                        index,
                        name: l.name.clone(),
                        message,
                    })?;
                layer.role = l.role;
                layer.set_numbers(OFFICIAL_KM2, &l.official_km2);
                Ok(layer)
            })
            .collect()
    }
}

/// How to read a layer's source: what a project keeps of each layer besides the source.
#[derive(Clone, Copy, Debug, Default)]
pub struct SourceOptions<'a> {
    /// Keep only the features it matches.
    pub filter: Option<&'a LayerFilter>,
    /// The layer's name.
    pub name: &'a str,
    /// The source's coordinate system (see [`ProjectLayer::crs`]); empty: what it says.
    pub crs: &'a str,
    /// A GeoPackage's table (a zip's Shapefile).
    pub table: Option<&'a str>,
    /// A Shapefile's text encoding.
    pub encoding: Option<&'a str>,
}

/// Reads a layer's features from its source, through its filter: the one way the window, the
/// command line and projects load a source. Errors name the file and the place in it.
pub fn load_source(source: &LayerSource, how: &SourceOptions) -> Result<Layer, String> {
    let crs = match how.crs.trim() {
        "" => None,
        text => Some(Crs::parse(text).map_err(|e| format!("{}: {e}", source.label()))?),
    };
    let options = LoadOptions {
        layer_name: Some(how.name.to_owned()),
        crs,
        table: how.table.map(str::to_owned),
        encoding: how.encoding.map(str::to_owned),
        ..LoadOptions::default()
    };
    let filter = how.filter;
    let layer = match source {
        LayerSource::File(path) => load_layer(path, Role::Context, &options),
        LayerSource::Bundled(p) => {
            let file = bundled(p, filter).ok_or_else(|| format!("{p}: no such bundled file"))?;
            parse_layer(file.bytes, Path::new(p), Role::Context, &options)
        }
        LayerSource::Inline(value) => {
            let bytes = serde_json::to_vec(value).map_err(|e| e.to_string())?;
            parse_layer(&bytes, Path::new(how.name), Role::Context, &options)
        }
    }
    .map_err(|e| e.to_string())?;
    Ok(match filter {
        Some(f) => layer.filtered(f),
        None => layer,
    })
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
