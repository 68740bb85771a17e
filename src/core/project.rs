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
use crate::core::io::{
    Format, LoadError, LoadOptions, load_geojson_reporting, load_layer, parse_layer, write_atomic,
};
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
    /// Where the layer's features are read from when the project opens.
    pub source: LayerSource,
    /// The layer's name, as the layer list and messages show it.
    pub name: String,
    /// What the layer is for in the coverage analysis: zones, units or context.
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
    /// How the map draws it: visibility, fill, outline, labels and categories.
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
    /// Always [`FORMAT`]; anything else fails to read with [`ProjectError::Format`].
    pub format: String,
    /// The project-file version it was written in; one above [`VERSION`] fails to read.
    pub version: u32,
    /// Top of the map first.
    pub layers: Vec<ProjectLayer>,
    /// The coverage analysis' zones and units layers, by their place in `layers`.
    #[serde(default)]
    pub coverage_zones: Option<usize>,
    /// The coverage analysis' units layer, by its place in `layers`; absent: the first
    /// layer with the units role (see [`Project::coverage_layer`]).
    #[serde(default)]
    pub coverage_units: Option<usize>,
    /// The layer the proposals were started from: the "before" of the scenario comparison.
    #[serde(default)]
    pub proposals_base: Option<usize>,
    /// The map's centre and scale when saved; absent: the window fits the map to the layers.
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
    pub lang: Option<crate::core::lang::Lang>,
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
    /// The project file could not be read: missing, unreadable or not permitted.
    #[error("{}: cannot read the project: {source}", path.display())]
    Read {
        /// The project file.
        path: PathBuf,
        /// The I/O error reading it.
        source: std::io::Error,
    },
    /// The file is not JSON, or not shaped like a project (a member missing or mistyped).
    #[error("{}: line {line}, column {column}: not a zonemap project: {message}", path.display())]
    Syntax {
        /// The project file.
        path: PathBuf,
        /// The line of the error, from 1.
        line: usize,
        /// The column of the error in that line, from 1.
        column: usize,
        /// What the JSON reader found wrong, without its position.
        message: String,
    },
    /// The file is JSON but its `format` member is not [`FORMAT`]: some other JSON file.
    #[error("{}: not a zonemap project (its `format` is {found:?}, not \"{FORMAT}\")", path.display())]
    Format {
        /// The project file.
        path: PathBuf,
        /// The `format` the file has.
        found: String,
    },
    /// The file was written by a newer zonemap, in a version above [`VERSION`].
    #[error("{}: written by a newer zonemap (project version {found}; this one reads up to {VERSION})", path.display())]
    Version {
        /// The project file.
        path: PathBuf,
        /// The `version` the file has.
        found: u32,
    },
    /// The project could not be saved: the folder missing or not writable, or the disk full.
    #[error("{}: cannot save the project: {source}", path.display())]
    Write {
        /// The project file being written.
        path: PathBuf,
        /// The I/O error writing or renaming it into place.
        source: std::io::Error,
    },
    /// A layer's source could not be loaded: its file missing, unreadable or malformed, its
    /// CRS not understood, or a bundled file this program does not have.
    #[error("{}: layer {index} ({name}): {message}", path.display())]
    Layer {
        /// The project file.
        path: PathBuf,
        /// The layer's place in the project's `layers`, from 0 (top of the map).
        index: usize,
        /// The layer's name.
        name: String,
        /// What went wrong, naming the source file and the place in it.
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
                    name: Some(&l.name),
                    crs: &l.crs,
                    table: l.table.as_deref(),
                    encoding: l.encoding.as_deref(),
                };
                let mut layer = load_source(&l.source, &how).map_err(|e| ProjectError::Layer {
                    path: path.to_owned(),
                    index,
                    name: l.name.clone(),
                    message: e.to_string(),
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
    /// The layer's name; `None`: the bundled file's, else the file's own.
    pub name: Option<&'a str>,
    /// The source's coordinate system (see [`ProjectLayer::crs`]); empty: what it says.
    pub crs: &'a str,
    /// A GeoPackage's table (a zip's Shapefile).
    pub table: Option<&'a str>,
    /// A Shapefile's text encoding.
    pub encoding: Option<&'a str>,
}

/// Reads a layer's features from its source, through its filter: the one way the window, the
/// command line's projects and the session load a source (a file on the command line is read
/// by the same [`load_layer`]). A filtered layer without a name of its own is named
/// `NAME · VALUE`.
///
/// # Errors
/// A [`LoadError`] naming the file and the place in it, or a coordinate system that cannot be
/// read (as [`LoadError::Format`]).
pub fn load_source(source: &LayerSource, how: &SourceOptions) -> Result<Layer, LoadError> {
    load_source_reporting(source, how, &|_| {})
}

/// As [`load_source`], calling `progress` with the fraction of a GeoJSON file read so far
/// (0–1), for a progress bar.
pub fn load_source_reporting(
    source: &LayerSource,
    how: &SourceOptions,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Layer, LoadError> {
    let crs = match how.crs.trim() {
        "" => None,
        text => Some(Crs::parse(text).map_err(|e| LoadError::Format {
            path: PathBuf::from(source.label()),
            message: e.to_string(),
        })?),
    };
    let filter = how.filter;
    let bundled_file = match source {
        LayerSource::Bundled(p) => Some(bundled(p, filter).ok_or_else(|| LoadError::Format {
            path: PathBuf::from(p),
            message: "no such bundled file".into(),
        })?),
        LayerSource::File(_) | LayerSource::Inline(_) => None,
    };
    let options = LoadOptions {
        layer_name: how
            .name
            .map(str::to_owned)
            .or_else(|| bundled_file.map(|b| b.name.to_owned())),
        crs,
        table: how.table.map(str::to_owned),
        encoding: how.encoding.map(str::to_owned),
        ..LoadOptions::default()
    };
    let mut layer = match source {
        LayerSource::File(path) if Format::of(path) == Format::GeoJson => {
            load_geojson_reporting(path, Role::Context, &options, progress)?
        }
        LayerSource::File(path) => load_layer(path, Role::Context, &options)?,
        LayerSource::Bundled(p) => {
            let bytes = bundled_file.map_or(&[][..], |b| b.bytes);
            parse_layer(bytes, Path::new(p), Role::Context, &options)?
        }
        LayerSource::Inline(value) => {
            let bytes = serde_json::to_vec(value).map_err(|e| LoadError::Format {
                path: PathBuf::from(how.name.unwrap_or_default()),
                message: e.to_string(),
            })?;
            parse_layer(
                &bytes,
                Path::new(how.name.unwrap_or_default()),
                Role::Context,
                &options,
            )?
        }
    };
    if let Some(f) = filter {
        layer = layer.filtered(f);
        if how.name.is_none() && bundled_file.is_none() {
            layer.name = format!("{} · {}", layer.name, f.value);
        }
    }
    Ok(layer)
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
