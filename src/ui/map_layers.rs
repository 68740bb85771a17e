//! The map's layers, one at a time: how each feature is filled and outlined, drawn as meshes
//! or gathered for the tiles, and the fingerprints that tell the tiles when to draw again.

use std::sync::Arc;
use std::time::Duration;

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Shape, Stroke};

use crate::core::FeatureId;
use crate::core::analysis::CoverageClass;
use crate::core::tessellate::FeatureShape;
use crate::session::analysis::AnalysisResult;
use crate::session::layer::{LayerKey, MapLayer};
use crate::session::shapes::BuildBudget;

use super::coverage_map::{CLASS_OPACITY, class_fill};
use super::map_tiles::{Fingerprint, TileSource, rgba};
use super::outlines::OutlineCache;
use super::projector::{ToScreen, color32};

/// Time a frame may spend stroking outlines at a new scale, per layer.
const OUTLINE_BUDGET: Duration = Duration::from_millis(4);

/// How a layer's features are filled this frame.
#[derive(Clone, Copy)]
pub(super) enum Fills<'a> {
    /// By the layer's own style.
    Style,
    /// By coverage class, for the coverage map's units.
    Classes(&'a [Option<CoverageClass>]),
    /// Not at all: the coverage map's zones.
    None,
}

impl Fills<'_> {
    /// How the layer `key` is filled, with `coverage` the coverage map's result if it is on.
    pub(super) fn of(coverage: Option<&AnalysisResult>, key: LayerKey) -> Fills<'_> {
        match coverage {
            Some(c) if c.inputs.units == key => Fills::Classes(&c.unit_classes),
            Some(c) if c.inputs.zones == key => Fills::None,
            _ => Fills::Style,
        }
    }
}

/// Filled features smaller than this on screen (points, their larger side) are drawn without
/// their outline.
const MIN_OUTLINED_PX: f32 = 4.0;

/// Fills and outlines one layer's visible features (with `painter`; without, only gathers
/// them, when the map comes from tiles); returns what it drew, for labels.
pub(super) fn draw_layer(
    painter: Option<&egui::Painter>,
    layer: &mut MapLayer,
    ids: &[FeatureId],
    fills: Fills<'_>,
    (level, budget): (u8, &mut BuildBudget),
    to_screen: &ToScreen,
    outline_cache: &mut OutlineCache,
) -> Vec<(FeatureId, Arc<FeatureShape>)> {
    let stroke = layer_stroke(layer);
    let mut drawn = Vec::with_capacity(ids.len());
    let mut filled = Vec::with_capacity(ids.len());
    let mut outlined = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(feature) = layer.layer.features.get(id.index()) else {
            continue;
        };
        if !feature.is_areal() {
            if let Some(painter) = painter {
                draw_non_areal(painter, feature, stroke, to_screen);
            }
            continue;
        }
        let Some(shape) = layer.shapes.get(id, feature, level, budget) else {
            continue;
        };
        if painter.is_some() {
            let fill = feature_fill(layer, id, fills);
            if fill.a() > 0 {
                filled.push((drawn.len(), fill));
            }
            if is_outlined(fill, &shape, to_screen.viewport.world_m_per_px) {
                outlined.push(drawn.len());
            }
        }
        drawn.push((id, shape));
    }
    let Some(painter) = painter else {
        return drawn;
    };
    // One mesh of fills and one of outlines, each allocated once at its size: at whole-country
    // zoom they hold 150,000 vertices, and growing them by doubling cost more than filling them.
    let mut mesh = Mesh::default();
    mesh.vertices
        .reserve(filled.iter().map(|&(i, _)| drawn[i].1.vertices.len()).sum());
    mesh.indices.reserve(
        filled
            .iter()
            .map(|&(i, _)| drawn[i].1.triangles.len())
            .sum(),
    );
    for &(i, fill) in &filled {
        append_fill(&mut mesh, &drawn[i].1, fill, to_screen);
    }
    painter.add(Shape::mesh(mesh));
    if stroke.width > 0.0 {
        let mut outlines = Mesh::default();
        let outline = outlined.iter().map(|&i| &drawn[i]);
        let deadline = std::time::Instant::now() + OUTLINE_BUDGET;
        budget.incomplete |= outline_cache.append_all(
            &mut outlines,
            layer.key,
            outline,
            stroke,
            (to_screen, deadline),
        );
        painter.add(Shape::mesh(outlines));
    }
    drawn
}

/// A layer's outline as egui's stroke.
fn layer_stroke(layer: &MapLayer) -> Stroke {
    Stroke::new(layer.style.outline_width, color32(layer.style.outline, 1.0))
}

/// A feature's fill this frame: by the coverage class, the layer's colouring or its style.
fn feature_fill(layer: &MapLayer, id: FeatureId, fills: Fills<'_>) -> Color32 {
    let style = &layer.style;
    match fills {
        Fills::Style => match layer.feature_fill(id) {
            Some(f) => color32(f, style.fill_opacity.max(0.15)),
            None => color32(style.fill, style.fill_opacity),
        },
        Fills::Classes(classes) => match classes.get(id.index()).copied().flatten() {
            Some(class) => color32(class_fill(class), CLASS_OPACITY),
            None => Color32::TRANSPARENT,
        },
        Fills::None => Color32::TRANSPARENT,
    }
}

/// Whether a feature drawn with `fill` gets its outline at `world_m_per_px`. A filled feature
/// a few pixels across is its fill: an outline there is a dot of ink that costs more to draw
/// than the rest of the map (40,000 townships at country zoom). Without a fill, the outline is
/// all there is of it, and stays.
fn is_outlined(fill: Color32, shape: &FeatureShape, world_m_per_px: f64) -> bool {
    let on_screen = f64::from(shape.size_m()) / world_m_per_px;
    fill.a() == 0 || on_screen >= f64::from(MIN_OUTLINED_PX)
}

/// What a tile shows of the visible layers, bottom first, as the frame would draw them: the
/// shapes built for this zoom already, and for the rest the features, which the worker
/// simplifies itself.
pub(super) fn tile_sources(
    layers: &[MapLayer],
    coverage: Option<&AnalysisResult>,
    frame: &crate::core::render::tile::TileFrame,
    level: u8,
    (world_m_per_px, ppp): (f64, f32),
) -> Vec<TileSource> {
    use crate::core::render::tile::TileItem;
    use crate::core::view::{lonlat_from_world, world_from_lonlat};
    use geo::Geometry;
    let e = frame.extent();
    let envelope = geo::Rect::new(
        lonlat_from_world([e[0], e[1]]),
        lonlat_from_world([e[2], e[3]]),
    );
    let mut sources = Vec::new();
    for layer in layers.iter().rev() {
        if !layer.style.visible {
            continue;
        }
        let fills = Fills::of(coverage, layer.key);
        let stroke = layer_stroke(layer);
        let ink = rgba(stroke.color);
        let width = stroke.width * ppp;
        let dot = |p: &geo::Point<f64>| {
            TileSource::Item(TileItem::Dot {
                world: world_from_lonlat(p.0),
                color: ink,
                radius: 3.0 * ppp,
            })
        };
        let line = |ls: &geo::LineString<f64>| {
            TileSource::Item(TileItem::Line {
                world: ls.0.iter().map(|c| world_from_lonlat(*c)).collect(),
                color: ink,
                width,
            })
        };
        for id in layer.layer.index.in_envelope(envelope) {
            let Some(feature) = layer.layer.features.get(id.index()) else {
                continue;
            };
            if !feature.is_areal() {
                // As `draw_non_areal`: points as discs of 3 points, lines as the outline.
                let mut stack: Vec<&Geometry<f64>> = feature.geometry.iter().collect();
                while let Some(g) = stack.pop() {
                    match g {
                        Geometry::Point(p) => sources.push(dot(p)),
                        Geometry::MultiPoint(mp) => sources.extend(mp.0.iter().map(dot)),
                        Geometry::LineString(ls) => sources.push(line(ls)),
                        Geometry::MultiLineString(mls) => sources.extend(mls.0.iter().map(line)),
                        Geometry::GeometryCollection(gc) => stack.extend(gc.0.iter()),
                        _ => {}
                    }
                }
                continue;
            }
            // Whether it is outlined goes by its size, which any level's shape tells.
            let Some(near) = layer.shapes.nearest(id, level) else {
                continue;
            };
            let fill = feature_fill(layer, id, fills);
            let outlined = stroke.width > 0.0 && is_outlined(fill, &near, world_m_per_px);
            let fill = (fill.a() > 0).then(|| rgba(fill));
            let outline = outlined.then_some((ink, width));
            sources.push(match layer.shapes.cached(id, level) {
                Some(shape) => TileSource::Item(TileItem::Shape {
                    shape,
                    fill,
                    outline,
                }),
                None => TileSource::Feature {
                    layer: layer.layer.clone(),
                    cache: layer.shapes.id(),
                    id,
                    level,
                    fill,
                    outline,
                },
            });
        }
    }
    sources
}

/// Fingerprints of what the layers draw under the labels: all of it (a change drops the map's
/// tiles), and only which features of which layers (while that stays, the old tiles stand in).
/// The most features a layer drawn live over the tiles may have.
const LIVE_MAX_FEATURES: usize = 1_000;

/// How many layers at the top of the list are drawn live, as meshes each frame over the tiles
/// of the rest: the editable layers there (the proposals a planner is drawing), unless large.
/// An edit to them then leaves the tiles of the layers below as they are, instead of drawing
/// every layer as meshes until new tiles come.
pub(super) fn live_layers(layers: &[MapLayer]) -> usize {
    layers
        .iter()
        .take_while(|l| l.editable && l.layer.features.len() <= LIVE_MAX_FEATURES)
        .count()
}

pub(super) fn fingerprints(layers: &[MapLayer], coverage: Option<&AnalysisResult>) -> (u64, u64) {
    let mut g = Fingerprint::default();
    for layer in layers.iter().rev().filter(|l| l.style.visible) {
        g.add(layer.key);
        g.add(layer.shapes.id());
        g.add(Arc::as_ptr(&layer.layer) as usize);
    }
    let mut f = Fingerprint::default();
    f.add(g.finish());
    for layer in layers.iter().rev().filter(|l| l.style.visible) {
        let style = &layer.style;
        f.add((style.fill, style.fill_opacity.to_bits()));
        f.add((style.outline, style.outline_width.to_bits()));
        f.add(&layer.feature_fills);
        match Fills::of(coverage, layer.key) {
            Fills::Style => f.add(0u8),
            Fills::Classes(classes) => f.add((1u8, classes)),
            Fills::None => f.add(2u8),
        }
    }
    (f.finish(), g.finish())
}

pub(super) fn append_fill(
    mesh: &mut Mesh,
    shape: &FeatureShape,
    fill: Color32,
    to_screen: &ToScreen,
) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend(shape.vertices.iter().map(|&v| Vertex {
        pos: to_screen.shape_vertex(shape.origin, v),
        uv: WHITE_UV,
        color: fill,
    }));
    mesh.indices
        .extend(shape.triangles.iter().map(|&i| base + i));
}

/// Points as dots and lines as polylines: not analysed, but shown where they are.
fn draw_non_areal(
    painter: &egui::Painter,
    feature: &crate::core::Feature,
    stroke: Stroke,
    to_screen: &ToScreen,
) {
    use geo::Geometry;
    fn walk(g: &Geometry<f64>, painter: &egui::Painter, stroke: Stroke, t: &ToScreen) {
        match g {
            Geometry::Point(p) => {
                painter.circle_filled(t.lonlat(p.0), 3.0, stroke.color);
            }
            Geometry::MultiPoint(mp) => mp.0.iter().for_each(|p| {
                painter.circle_filled(t.lonlat(p.0), 3.0, stroke.color);
            }),
            Geometry::LineString(ls) => {
                painter.line(ls.0.iter().map(|c| t.lonlat(*c)).collect(), stroke);
            }
            Geometry::MultiLineString(mls) => mls.0.iter().for_each(|ls| {
                painter.line(ls.0.iter().map(|c| t.lonlat(*c)).collect(), stroke);
            }),
            Geometry::GeometryCollection(gc) => {
                gc.0.iter().for_each(|g| walk(g, painter, stroke, t))
            }
            _ => {}
        }
    }
    if let Some(g) = &feature.geometry {
        walk(g, painter, stroke, to_screen);
    }
}
