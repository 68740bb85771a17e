//! The map: pan, zoom, draw, hover, click.
//!
//! [`MapView`] is rebuilt every frame over the long-lived [`MapMemory`] (the viewport), as
//! walkers' `Map` is over its `MapMemory`. Drawing culls with each layer's R-tree, reuses the
//! cached triangulated shapes for the zoom's detail level, and only moves vertices to the screen.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use egui::epaint::Mesh;
use egui::{Color32, Key, Pos2, Rect, Sense, Shape, Stroke, Ui};
use geo::Coord;

use crate::core::FeatureId;
use crate::core::tessellate::{FeatureShape, level_for};

use super::coverage_map::{overlap_fill, overlap_stroke};
use super::i18n::Lang;
use super::labels::{LabelCandidate, LabelMemory, can_hold_label, draw_labels};
use super::map_layers::{Fills, append_fill, draw_layer, fingerprints, live_layers, tile_sources};
use super::map_tiles::{MapTiles, TileRange};
use super::outlines::{OutlineCache, push_outlines};
pub use super::pick::{hit_test, pick};
use super::projector::ToScreen;
use super::tools::{Tool, ToolContext, ToolState};
use crate::session::analysis::AnalysisResult;
use crate::session::layer::{FeatureRef, LayerKey, MapLayer, is_approximate, visible_bbox};
use crate::session::shapes::{BuildBudget, ShapeCache};
use crate::ui::command::{Command, Commands};

/// How far inside its edges (points) the map starts taking drags: the panels' resize handles
/// reach this far over it.
const EDGE_PX: f32 = 6.0;

/// Time a frame may spend building finer shapes before it draws with what it has.
const SHAPE_BUDGET: Duration = Duration::from_millis(6);

/// The most features (of the visible layers under the live ones) a frame draws as meshes while
/// the view's tiles are not drawn yet; with more, it shows the tiles as they come.
const MESH_MAX_FEATURES: usize = 1_000;

/// How many features the visible layers hold.
fn features_drawn(layers: &[MapLayer]) -> usize {
    layers
        .iter()
        .filter(|l| l.style.visible)
        .map(|l| l.layer.features.len())
        .sum()
}

/// Time a frame may spend gathering what the tiles it asks for will draw.
const TILE_GATHER: Duration = Duration::from_millis(2);

const BACKGROUND: Color32 = Color32::from_rgb(238, 242, 245);
const SELECTED: Color32 = Color32::from_rgb(0, 150, 220);
const RELATED: Color32 = Color32::from_rgb(255, 190, 0);
const HOVERED: Color32 = Color32::from_rgb(20, 20, 20);

pub use crate::session::state::MapMemory;

/// What happened on the map this frame.
#[derive(Default)]
pub struct MapOutput {
    pub hovered: Option<FeatureRef>,
    pub cursor_lonlat: Option<Coord<f64>>,
    pub commands: Commands,
    /// Some shapes were drawn at a coarser level than wanted, or some labels are still to
    /// come: repaint soon.
    pub shapes_incomplete: bool,
}

/// The map widget for one frame.
pub struct MapView<'a> {
    pub layers: &'a mut [MapLayer],
    pub selection: &'a [FeatureRef],
    pub analysis: Option<&'a AnalysisResult>,
    /// Set in coverage map mode.
    pub coverage: Option<CoverageOverlay<'a>>,
    /// The editing tools, which take clicks (and vertex drags) when one is active.
    pub tools: &'a mut ToolState,
    /// The editable layer, if any.
    pub proposals: Option<LayerKey>,
    /// The selected proposal, which the vertex tool edits.
    pub target: Option<FeatureRef>,
    pub lang: Lang,
    /// The labels drawn last frame, on screen: a click on one picks its feature.
    pub labels: &'a mut Vec<(Rect, FeatureRef)>,
    /// The label texts laid out in earlier frames.
    pub label_memory: &'a mut LabelMemory,
    /// The legend to draw in a corner of the map, if any.
    pub legend: Option<&'a crate::core::render::furniture::LegendBlock>,
    /// The outlines stroked at the current scale, moved while the map pans.
    pub outlines: &'a mut OutlineCache,
    /// The layers drawn as tiles at the current scale, which a pan only moves.
    pub tiles: &'a mut MapTiles,
    /// A note drawn over the map (the approximate-boundaries banner), which the legend and
    /// the labels keep clear of.
    pub banner: Option<Rect>,
}

/// What the coverage map draws over the layers: units filled by coverage class, zones as
/// outlines, and the zones' overlaps.
pub struct CoverageOverlay<'a> {
    pub result: &'a AnalysisResult,
    /// The overlaps' shapes, cached across frames for this result.
    pub shapes: &'a mut ShapeCache,
}

impl MapView<'_> {
    pub fn ui(self, ui: &mut Ui, memory: &mut MapMemory) -> MapOutput {
        let (rect, _) = ui.allocate_exact_size(ui.available_size(), Sense::hover());
        // The map takes clicks and drags a little inside its edges: the panels' resize handles
        // reach over them, and a drag there resizes the panel rather than panning the map.
        let response = ui.interact(
            rect.shrink(EDGE_PX),
            ui.scope_id().with("map"),
            Sense::click_and_drag(),
        );
        let size_px = [f64::from(rect.width()), f64::from(rect.height())];
        memory.size_px = size_px;
        let mut out = MapOutput::default();

        if !memory.fitted
            && let Some(bbox) = visible_bbox(self.layers)
        {
            memory.viewport.fit_lonlat(&bbox, size_px, 20.0);
            memory.fitted = true;
        }
        let before = ToScreen {
            viewport: memory.viewport,
            size_px,
            min: rect.min,
        };
        let claimed = {
            let cx = ToolContext {
                layers: self.layers,
                proposals: self.proposals,
                target: self.target,
                lang: self.lang,
            };
            self.tools.claims_drag(&response, &before, &cx)
        };
        let navigation = Navigation {
            pan: !claimed,
            double_click_zooms: !self.tools.takes_double_click(),
        };
        handle_navigation(ui, &response, rect, memory, navigation);

        let to_screen = ToScreen {
            viewport: memory.viewport,
            size_px,
            min: rect.min,
        };
        self.outlines.begin(
            memory.viewport.world_m_per_px,
            ui.ctx().pixels_per_point(),
            ui.ctx().tessellation_options(|o| *o),
        );
        let used_click = {
            let cx = ToolContext {
                layers: self.layers,
                proposals: self.proposals,
                target: self.target,
                lang: self.lang,
            };
            self.tools
                .interact(ui, &response, &to_screen, &cx, &mut out.commands)
        };
        let pointer = response.hover_pos();
        out.cursor_lonlat = pointer.map(|p| to_screen.lonlat_at(p));
        let hits = match (pointer, response.dragged() || claimed) {
            (Some(p), false) => pick(self.layers, self.labels, p, &to_screen),
            _ => Vec::new(),
        };
        // While drawing, the map is a drawing board: no hover highlight or tooltip.
        let sketching = matches!(self.tools.tool, Tool::Draw | Tool::Split);
        // Alt picks the next feature there: the zone over a town.
        let modifiers = ui.input(|i| i.modifiers);
        let picked = if modifiers.alt {
            hits.get(1).or(hits.first())
        } else {
            hits.first()
        };
        out.hovered = picked.copied().filter(|_| !sketching);
        let selects = matches!(self.tools.tool, Tool::Select | Tool::Vertices);
        if response.clicked() && selects && !used_click {
            let target = picked;
            match (target, modifiers.shift) {
                (Some(f), true) => out.commands.push(Command::ToggleSelected(*f)),
                (Some(f), false) => out.commands.push(Command::Select(vec![*f])),
                // Shift-clicking empty space keeps the selection.
                (None, true) => {}
                (None, false) => out.commands.push(Command::ClearSelection),
            }
        }

        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, BACKGROUND);
        let level = level_for(memory.viewport.world_m_per_px);
        let mut budget = BuildBudget::new(SHAPE_BUDGET);
        let visible = memory.viewport.visible_lonlat(size_px);
        let mut candidates: Vec<LabelCandidate> = Vec::new();
        // The drawn shapes with their boxes on screen (from the features' lon/lat boxes, not
        // their vertices: this runs every frame), for the legend's corner.
        let mut drawn_shapes: Vec<(Rect, Arc<FeatureShape>)> = Vec::new();

        // The layers come from tiles once every tile of the view is drawn, else as meshes.
        let ppp = ui.ctx().pixels_per_point();
        let m_per_device_px = memory.viewport.world_m_per_px / f64::from(ppp);
        let coverage_result = self.coverage.as_ref().map(|c| c.result);
        // The layers drawn live over the tiles (the top `live` ones): not in the tiles.
        let live = live_layers(self.layers);
        self.tiles.begin(
            ui.ctx(),
            m_per_device_px,
            fingerprints(&self.layers[live..], coverage_result),
        );
        let tile_range = TileRange::of_view(&to_screen, m_per_device_px);
        let from_tiles = self.tiles.ready(tile_range);
        // After a zoom, the last scale's tiles stretched until this scale's are drawn.
        let stand_ins = !from_tiles && self.tiles.has_stand_ins();
        // With nothing to stand in (a layer just loaded), a map of many features shows the
        // tiles as the worker draws them rather than every vertex as meshes (frames of 50-80 ms
        // over the counties); a few features are drawn as meshes at once.
        let many = self.tiles.enabled && features_drawn(&self.layers[live..]) > MESH_MAX_FEATURES;
        let waiting = !from_tiles && !stand_ins && many;
        let as_meshes = !from_tiles && !stand_ins && !many;

        // Drawn from tiles, the frame needs the shapes only for the labels and the legend's
        // corner, for which any level's will do: it builds none, and leaves that to the tiles'
        // worker.
        let mut build_none = BuildBudget::new(Duration::ZERO);
        if from_tiles {
            self.tiles
                .paint(&painter, tile_range, &to_screen, m_per_device_px);
        } else if stand_ins {
            self.tiles
                .paint_stand_ins(&painter, tile_range, &to_screen, m_per_device_px);
        } else if waiting {
            self.tiles
                .paint_drawn_so_far(&painter, tile_range, &to_screen, m_per_device_px);
        }
        // Bottom layer first, so the top of the list is drawn last.
        for (i, layer) in self.layers.iter_mut().enumerate().rev() {
            if !layer.style.visible {
                continue;
            }
            let fills = Fills::of(coverage_result, layer.key);
            let meshes = as_meshes || i < live;
            // From tiles (or their stand-ins), the frame looks only at the features large
            // enough for a label (the legend's corner goes by the tiles' paint, or stays).
            let ids = if !meshes {
                let min_m = 20.0 * memory.viewport.world_m_per_px;
                self.tiles.large_features(layer, min_m, visible)
            } else {
                layer.layer.index.in_envelope(visible)
            };
            let drawn = draw_layer(
                meshes.then_some(&painter),
                layer,
                &ids,
                fills,
                (level, if meshes { &mut budget } else { &mut build_none }),
                &to_screen,
                self.outlines,
            );
            if self.legend.is_some() && as_meshes {
                drawn_shapes.extend(
                    drawn
                        .iter()
                        .map(|(_, s)| (to_screen.shape_rect(s), s.clone())),
                );
            }
            if layer.style.label_field.is_some() {
                candidates.extend(
                    drawn
                        .into_iter()
                        .filter(|(_, shape)| can_hold_label(to_screen.shape_rect(shape)))
                        .map(|(id, shape)| LabelCandidate {
                            layer: layer.key,
                            feature: id,
                            shape,
                            priority: layer.role.rank(),
                        }),
                );
            }
        }
        // The view's tiles first, then a ring around it for the pan to come, gathered for at
        // most TILE_GATHER a frame.
        if self.tiles.enabled {
            let wanted = tile_range.tiles().chain(tile_range.ring(1));
            let layers = &self.layers[live..];
            let world_m_per_px = memory.viewport.world_m_per_px;
            let started = std::time::Instant::now();
            self.tiles
                .request(wanted, m_per_device_px, tile_range.grown(2), |frame| {
                    (started.elapsed() < TILE_GATHER).then(|| {
                        tile_sources(layers, coverage_result, frame, level, (world_m_per_px, ppp))
                    })
                });
        }

        if let Some(coverage) = self.coverage {
            draw_zone_overlaps(&painter, coverage, level, &mut budget, &to_screen);
        }

        let related: HashSet<FeatureRef> = match (out.hovered, self.analysis) {
            (Some(h), Some(a)) => a.related(h).into_iter().map(|(f, _)| f).collect(),
            _ => HashSet::new(),
        };
        let mut highlight =
            |features: &mut dyn Iterator<Item = FeatureRef>, fill: Color32, stroke: Stroke| {
                for f in features {
                    let Some(layer) = self.layers.iter_mut().find(|l| l.key == f.layer) else {
                        continue;
                    };
                    if !layer.style.visible {
                        continue;
                    }
                    let Some(feature) = layer.layer.features.get(f.feature.index()) else {
                        continue;
                    };
                    if let Some(shape) = layer.shapes.get(f.feature, feature, level, &mut budget) {
                        fill_shape(&painter, &shape, fill, &to_screen);
                        outline_shape(&painter, &shape, stroke, &to_screen);
                    }
                }
            };
        highlight(
            &mut related.iter().copied(),
            RELATED.gamma_multiply(0.35),
            Stroke::new(2.0, RELATED),
        );
        highlight(
            &mut self.selection.iter().copied(),
            SELECTED.gamma_multiply(0.25),
            Stroke::new(3.0, SELECTED),
        );
        highlight(
            &mut out.hovered.into_iter(),
            Color32::TRANSPARENT,
            Stroke::new(2.0, HOVERED),
        );

        let tiles = &*self.tiles;
        let painted = |p: egui::Pos2| {
            let world = to_screen.viewport.world_from_screen(
                [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)],
                size_px,
            );
            tiles.painted_at(world, m_per_device_px)
        };
        let (furniture, reserved) = super::furniture::layout_furniture(
            rect,
            &to_screen,
            self.legend,
            if from_tiles {
                super::furniture::Covered::Painted(&painted)
            } else if stand_ins {
                super::furniture::Covered::Kept
            } else {
                super::furniture::Covered::Shapes(&drawn_shapes)
            },
            &mut memory.legend_corner,
            self.banner,
        );
        let labels_incomplete;
        (*self.labels, labels_incomplete) = draw_labels(
            &painter,
            self.layers,
            candidates,
            &to_screen,
            (rect, reserved),
            self.label_memory,
        );
        super::furniture::paint_items(ui, &painter, &furniture);
        let cx = ToolContext {
            layers: self.layers,
            proposals: self.proposals,
            target: self.target,
            lang: self.lang,
        };
        self.tools.paint(&painter, &to_screen, &cx);
        out.shapes_incomplete = budget.incomplete || labels_incomplete;

        if let Some(hovered) = out.hovered
            && !response.dragged()
        {
            response.on_hover_ui_at_pointer(|ui| {
                tooltip_ui(ui, self.layers, hovered, &hits, self.analysis, self.lang);
            });
        }
        out
    }
}

/// What navigation may do this frame: a tool may have taken the drag or the double click.
struct Navigation {
    pan: bool,
    double_click_zooms: bool,
}

/// Drag, wheel, pinch and keyboard navigation.
fn handle_navigation(
    ui: &Ui,
    response: &egui::Response,
    rect: Rect,
    memory: &mut MapMemory,
    navigation: Navigation,
) {
    let size_px = memory.size_px;
    let vp = &mut memory.viewport;
    if navigation.pan && response.dragged() {
        let d = response.drag_delta();
        vp.pan([f64::from(d.x), f64::from(d.y)]);
    }
    let local = |p: Pos2| [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)];
    let centre = [size_px[0] / 2.0, size_px[1] / 2.0];
    if response.hovered() {
        let (scroll, zoom, pointer, touch) = ui.input(|i| {
            (
                i.smooth_scroll_delta.y,
                i.zoom_delta(),
                i.pointer.hover_pos(),
                i.multi_touch(),
            )
        });
        let factor = f64::from(zoom) * (f64::from(scroll) / 300.0).exp();
        if (factor - 1.0).abs() > 1e-6 {
            let anchor = touch
                .map(|t| t.center_pos)
                .or(pointer)
                .map_or(centre, local);
            vp.zoom_about(factor, anchor, size_px);
        }
        if navigation.double_click_zooms
            && response.double_clicked()
            && let Some(p) = pointer
        {
            vp.zoom_about(2.0, local(p), size_px);
        }
    }
    if !ui.ctx().egui_wants_keyboard_input() {
        let step = 100.0;
        ui.input(|i| {
            if i.key_pressed(Key::ArrowLeft) {
                vp.pan([step, 0.0]);
            }
            if i.key_pressed(Key::ArrowRight) {
                vp.pan([-step, 0.0]);
            }
            if i.key_pressed(Key::ArrowUp) {
                vp.pan([0.0, step]);
            }
            if i.key_pressed(Key::ArrowDown) {
                vp.pan([0.0, -step]);
            }
            if i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals) {
                vp.zoom_about(1.5, centre, size_px);
            }
            if i.key_pressed(Key::Minus) {
                vp.zoom_about(1.0 / 1.5, centre, size_px);
            }
        });
    }
}

/// The zones' overlaps, filled and outlined with dashes, so that land counted twice shows.
fn draw_zone_overlaps(
    painter: &egui::Painter,
    coverage: CoverageOverlay<'_>,
    level: u8,
    budget: &mut BuildBudget,
    to_screen: &ToScreen,
) {
    let stroke = overlap_stroke();
    for (i, feature) in coverage.result.overlap_features.iter().enumerate() {
        let id = FeatureId(i as u32);
        let Some(shape) = coverage.shapes.get(id, feature, level, budget) else {
            continue;
        };
        fill_shape(painter, &shape, overlap_fill(), to_screen);
        for ring in &shape.rings {
            let mut points: Vec<Pos2> = shape.vertices[ring.start as usize..ring.end as usize]
                .iter()
                .map(|&v| to_screen.shape_vertex(shape.origin, v))
                .collect();
            if let Some(&first) = points.first() {
                points.push(first);
            }
            painter.extend(Shape::dashed_line(&points, stroke, 6.0, 4.0));
        }
        // A sliver too small to see at this zoom still gets a ring around it.
        let r = shape_screen_rect(&shape, to_screen);
        if r.width() < 6.0 && r.height() < 6.0 {
            painter.circle_stroke(r.center(), 8.0, stroke);
        }
    }
}

fn shape_screen_rect(shape: &FeatureShape, to_screen: &ToScreen) -> Rect {
    let mut rect = Rect::NOTHING;
    for &v in &shape.vertices {
        rect.extend_with(to_screen.shape_vertex(shape.origin, v));
    }
    rect
}

fn fill_shape(painter: &egui::Painter, shape: &FeatureShape, fill: Color32, to_screen: &ToScreen) {
    if fill.a() == 0 {
        return;
    }
    let mut mesh = Mesh::default();
    append_fill(&mut mesh, shape, fill, to_screen);
    painter.add(Shape::mesh(mesh));
}

fn outline_shape(
    painter: &egui::Painter,
    shape: &FeatureShape,
    stroke: Stroke,
    to_screen: &ToScreen,
) {
    let mut outlines = Vec::new();
    push_outlines(&mut outlines, shape, stroke, to_screen);
    painter.extend(outlines);
}

fn tooltip_ui(
    ui: &mut Ui,
    layers: &[MapLayer],
    hovered: FeatureRef,
    hits: &[FeatureRef],
    analysis: Option<&AnalysisResult>,
    lang: Lang,
) {
    let t = lang.t();
    let Some(layer) = layers.iter().find(|l| l.key == hovered.layer) else {
        return;
    };
    let Some(feature) = layer.feature(hovered.feature) else {
        return;
    };
    ui.strong(&feature.name);
    ui.label(format!(
        "{}: {} · {}",
        t.kind,
        lang.role(layer.role),
        layer.layer.name
    ));
    let area = layer.area(hovered.feature);
    ui.label(format!(
        "{}: {:.3} {} ({:.1} {})",
        t.area,
        area.km2(),
        t.km2,
        area.mu(),
        t.mu
    ));
    if let Some(cov) = analysis.and_then(|a| a.coverage(hovered)) {
        ui.label(format!(
            "{}: {} ({:.1}%)",
            t.coverage,
            lang.status(cov.status),
            cov.covered_share() * 100.0
        ));
    }
    if is_approximate(feature) {
        ui.colored_label(Color32::from_rgb(200, 90, 0), t.approximate_feature);
    }
    let below: Vec<String> = hits
        .iter()
        .skip(1)
        .filter_map(|f| {
            let l = layers.iter().find(|l| l.key == f.layer)?;
            Some(l.feature(f.feature)?.name.clone())
        })
        .collect();
    if !below.is_empty() {
        ui.weak(format!("{}: {}", t.underneath, below.join(", ")));
    }
}
