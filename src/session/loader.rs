//! Loading layers off the UI thread, with progress.
//!
//! A load reads the file, parses it, measures every feature's geodesic area, finds label
//! anchors and builds overview shapes, all in a worker thread; the window polls it each frame.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::core::analysis::LayerPrep;
use crate::core::measure::Area;
use crate::core::model::LayerFilter;
use crate::core::project::{SourceOptions, load_source_reporting};
use crate::core::report::OFFICIAL_KM2;
use crate::core::style::LayerStyle;
use crate::core::tessellate::FeatureShape;
use crate::core::{Feature, Layer, Role};

use super::Repaint;
use super::layer::{BundledFile, LabelAnchor, LayerSource, bundled};
use super::shapes::overview_shapes;

/// What to load, and how to show it once loaded (restored sessions give role and style).
#[derive(Clone, Debug)]
pub struct LoadRequest {
    pub source: LayerSource,
    /// The role to give it; guessed from the features when `None`.
    pub role: Option<Role>,
    pub style: Option<LayerStyle>,
    pub name: Option<String>,
    pub crs: Option<String>,
    /// Its place in a restored session's layer list.
    pub order: Option<usize>,
    /// Keep only the features it matches.
    pub filter: Option<LayerFilter>,
    /// Whether it is the editable proposals layer.
    pub editable: bool,
    /// Official areas typed in the window, by feature id (see [`crate::core::project::ProjectLayer`]).
    pub official_km2: std::collections::BTreeMap<String, f64>,
    /// A GeoPackage's table (a zip's Shapefile) to read.
    pub table: Option<String>,
    /// The text encoding to read a Shapefile's DBF with, instead of the one it says.
    pub encoding: Option<String>,
    /// The layer it reads again: it takes that layer's place (and key) once loaded.
    pub replaces: Option<super::layer::LayerKey>,
}

impl LoadRequest {
    /// A request for `source`, everything else as the source says (the role guessed, the
    /// default style, its own name and system, all its features).
    pub fn of(source: LayerSource) -> Self {
        LoadRequest {
            source,
            role: None,
            style: None,
            name: None,
            crs: None,
            order: None,
            filter: None,
            editable: false,
            official_km2: Default::default(),
            table: None,
            encoding: None,
            replaces: None,
        }
    }

    pub fn file(path: &Path) -> Self {
        Self::of(LayerSource::File(path.to_owned()))
    }

    /// One of the [`super::layer::BUNDLED`] layers.
    pub fn bundled(file: &BundledFile) -> Self {
        LoadRequest {
            filter: file.filter(),
            ..Self::of(LayerSource::Bundled(file.path.to_owned()))
        }
    }
}

/// A loaded layer with everything computed once for it.
pub struct Prepared {
    pub request: LoadRequest,
    pub layer: Layer,
    pub role: Role,
    pub areas: Vec<Area>,
    /// What the coverage analysis needs of this layer alone, made once here.
    pub prep: LayerPrep,
    pub anchors: Vec<Option<LabelAnchor>>,
    pub overview: Vec<Option<FeatureShape>>,
}

/// Progress in thousandths, shared with the worker.
pub type Progress = Arc<AtomicU32>;

/// A load in progress.
pub struct LoadJob {
    pub label: String,
    progress: Progress,
    rx: Receiver<Result<Prepared, LoadFailure>>,
}

impl LoadJob {
    /// Starts loading in a worker thread; `repaint` is called when it ends.
    pub fn spawn(request: LoadRequest, repaint: &Repaint) -> Self {
        let (tx, rx) = channel();
        let progress = Progress::default();
        let label = request.source.label();
        let worker_progress = progress.clone();
        let repaint = repaint.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("load {label}"))
            .spawn(move || {
                let result = load(request, &worker_progress);
                // The window may have closed; nobody is left to tell then.
                let _ = tx.send(result);
                repaint.request();
            });
        if let Err(e) = spawned {
            let (tx, rx_err) = channel();
            let _ = tx.send(Err(
                format!("{label}: cannot start a loader thread: {e}").into()
            ));
            return LoadJob {
                label,
                progress,
                rx: rx_err,
            };
        }
        LoadJob {
            label,
            progress,
            rx,
        }
    }

    /// Fraction done, 0–1.
    pub fn progress(&self) -> f32 {
        self.progress.load(Ordering::Relaxed) as f32 / 1000.0
    }

    /// The result once the load has ended.
    pub fn poll(&self) -> Option<Result<Prepared, LoadFailure>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(format!(
                "{}: the loader stopped unexpectedly",
                self.label
            )
            .into())),
        }
    }
}

fn set(progress: &Progress, thousandths: u32) {
    progress.store(thousandths.min(1000), Ordering::Relaxed);
}

/// Why a layer did not load: the one line to show, and, when the fix is to say what
/// coordinate system the file is in, the request to try again with one (and the likely one).
#[derive(Clone, Debug)]
pub struct LoadFailure {
    pub message: String,
    pub needs_crs: Option<(Box<LoadRequest>, Option<String>)>,
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for LoadFailure {
    fn from(message: String) -> Self {
        LoadFailure {
            message,
            needs_crs: None,
        }
    }
}

/// Loads and prepares a layer, reporting progress; errors name the file.
pub fn load(request: LoadRequest, progress: &Progress) -> Result<Prepared, LoadFailure> {
    let failed = |e: crate::core::io::LoadError, request: &LoadRequest| {
        let needs_crs = match &e {
            crate::core::io::LoadError::NoCrs { suggested, .. }
            | crate::core::io::LoadError::WrongCrs { suggested, .. } => Some((
                Box::new(request.clone()),
                suggested.map(|code| format!("EPSG:{code}")),
            )),
            _ => None,
        };
        LoadFailure {
            message: e.to_string(),
            needs_crs,
        }
    };
    let how = SourceOptions {
        filter: request.filter.as_ref(),
        name: request.name.as_deref(),
        crs: request.crs.as_deref().unwrap_or_default(),
        table: request.table.as_deref(),
        encoding: request.encoding.as_deref(),
    };
    let mut layer = load_source_reporting(&request.source, &how, &|read| {
        set(progress, (400.0 * read) as u32);
    })
    .map_err(|e| failed(e, &request))?;
    set(progress, 600);
    let bundled_role = match &request.source {
        LayerSource::Bundled(name) => bundled(name, request.filter.as_ref()).map(|b| b.role),
        LayerSource::File(_) | LayerSource::Inline(_) => None,
    };
    let role = request
        .role
        .or(bundled_role)
        .unwrap_or_else(|| Role::guess(&layer.features));
    layer.role = role;
    layer.set_numbers(OFFICIAL_KM2, &request.official_km2);
    Ok(prepare(request, layer, role, progress))
}

/// What is worked out once per version of a layer's features.
pub struct Derived {
    /// The analysis' per-layer part (with each feature's geodesic area).
    pub prep: LayerPrep,
    pub anchors: Vec<Option<LabelAnchor>>,
    pub overview: Vec<Option<FeatureShape>>,
}

/// Works out a layer's [`Derived`] data, reporting progress from 65% to 100%. Loading calls it
/// in its thread; an edit calls it for the edited layer.
pub fn derive(layer: &Layer, progress: &Progress) -> Derived {
    set(progress, 650);
    let prep = LayerPrep::new(layer);
    set(progress, 750);
    let anchors = label_anchors(&layer.features);
    set(progress, 800);
    let total = layer.features.len().max(1);
    let overview = overview_shapes(&layer.features, |done| {
        set(progress, 800 + (200 * done / total) as u32);
    });
    set(progress, 1000);
    Derived {
        prep,
        anchors,
        overview,
    }
}

/// A layer ready to add to the window.
pub fn prepare(request: LoadRequest, layer: Layer, role: Role, progress: &Progress) -> Prepared {
    let Derived {
        prep,
        anchors,
        overview,
    } = derive(&layer, progress);
    Prepared {
        request,
        layer,
        role,
        areas: prep.areas.clone(),
        prep,
        anchors,
        overview,
    }
}

/// Places inside each feature's largest polygon for its label, best first, worked out in
/// parallel.
pub fn label_anchors(features: &[Feature]) -> Vec<Option<LabelAnchor>> {
    use rayon::prelude::*;
    features
        .par_iter()
        .map(|f| {
            let places = crate::core::render::label_positions(f);
            (!places.is_empty()).then_some(LabelAnchor { places })
        })
        .collect()
}
