//! What `zonemap export` draws: GeoJSON files, a project saved by the window, or the bundled
//! data, made into a [`SheetMap`] with the styles the window would give them.

use std::path::Path;
use std::sync::Arc;

use geo::Rect;

use super::sheet::{Paint, SheetLayer, SheetMap};
use crate::core::analysis::{analyse, layer_areas};
use crate::core::bundled::{BUNDLED, bundled};
use crate::core::io::{LoadOptions, parse_layer};
use crate::core::model::{Layer, Role};
use crate::core::project::{LayerSource, Project};
use crate::core::style::{LayerStyle, Thematic};

/// A map to draw, with the view it was last seen in (for a project).
pub struct ExportInput {
    /// The layers to draw, top first, with their styles.
    pub map: SheetMap,
    /// The lon/lat box the window showed when the project was saved, if it said.
    pub view: Option<Rect<f64>>,
}

fn styled(layer: Layer, style: LayerStyle, source: Option<String>) -> SheetLayer {
    let areas = if Thematic::needs_areas(&style) {
        layer_areas(&layer)
    } else {
        Vec::new()
    };
    let mut sl = SheetLayer::styled(Arc::new(layer), style, &areas);
    sl.source = source;
    sl
}

/// GeoJSON files as the window opens them: each layer's role guessed from its features, zones
/// on top, then units, then the rest, each with its role's first style.
pub fn from_files(specs: &[String], options: &LoadOptions) -> Result<SheetMap, String> {
    let mut layers: Vec<Layer> = Vec::new();
    for spec in specs {
        let read = crate::core::io::SourceSpec::parse(spec)
            .load_all(Role::Context, options)
            .map_err(|e| e.to_string())?;
        for mut layer in read {
            layer.role = Role::guess(&layer.features);
            layers.push(layer);
        }
    }
    layers.sort_by_key(|l| l.role.rank());
    let mut nth = [0usize; 3];
    let layers = layers
        .into_iter()
        .map(|layer| {
            let n = &mut nth[layer.role.rank() as usize];
            let style = LayerStyle::for_role(layer.role, *n);
            *n += 1;
            styled(layer, style, None)
        })
        .collect();
    Ok(SheetMap {
        layers,
        overlaps: Vec::new(),
    })
}

/// The bundled data as the window first shows it.
pub fn bundled_map() -> Result<SheetMap, String> {
    let layers = BUNDLED
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let options = LoadOptions {
                layer_name: Some(b.name.to_owned()),
                ..LoadOptions::default()
            };
            let mut layer = parse_layer(b.bytes, Path::new(b.path), b.role, &options)
                .map_err(|e| e.to_string())?;
            if let Some(filter) = b.filter() {
                layer = layer.filtered(&filter);
            }
            let mut style = LayerStyle::for_role(b.role, i);
            style.visible = b.visible;
            Ok(styled(layer, style, Some(b.source.to_owned())))
        })
        .collect::<Result<_, String>>()?;
    Ok(SheetMap {
        layers,
        overlaps: Vec::new(),
    })
}

/// A project saved by the window: its layers, roles and styles, and, when it was saved showing
/// the coverage map, the units coloured by coverage and the zones' overlaps marked.
pub fn from_project(path: &Path) -> Result<ExportInput, String> {
    let project = Project::read(path).map_err(|e| e.to_string())?;
    let project = project.resolved(path.parent().unwrap_or(Path::new("")));
    let layers = project.load_layers(path).map_err(|e| e.to_string())?;
    let mut map = SheetMap {
        layers: layers
            .into_iter()
            .zip(&project.layers)
            .map(|(layer, pl)| {
                let source = match &pl.source {
                    LayerSource::Bundled(p) => {
                        bundled(p, pl.filter.as_ref()).map(|b| b.source.to_owned())
                    }
                    LayerSource::File(_) | LayerSource::Inline(_) => None,
                };
                styled(layer, pl.style.clone(), source)
            })
            .collect(),
        overlaps: Vec::new(),
    };
    let shown = project.shown();
    let coverage_map = shown.coverage_map;
    if coverage_map
        && let (Some(z), Some(u)) = (
            project.coverage_layer(Role::Zones),
            project.coverage_layer(Role::Units),
        )
    {
        show_coverage(&mut map, z, u);
    }
    let view = project.view.zip(shown.map_size);
    Ok(ExportInput {
        map,
        view: view.map(|(v, size)| v.visible_lonlat(size)),
    })
}

/// Colours the units by how the zones cover them, outlines the zones, and marks the zones'
/// overlaps, as the window's coverage map does.
pub fn show_coverage(map: &mut SheetMap, zones: usize, units: usize) {
    let analysis = analyse(&map.layers[zones].layer, &map.layers[units].layer);
    map.overlaps = analysis.overlap_features(&map.layers[zones].layer);
    map.layers[units].paint = Paint::Coverage {
        classes: analysis.unit_classes(&map.layers[units].layer).into(),
    };
    map.layers[zones].paint = Paint::Outline;
}
