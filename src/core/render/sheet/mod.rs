//! A map sheet: the map of the chosen extent with the layers' styles and labels, and the sheet
//! furniture around it (title, legend, scale bar, north arrow, source line).

use std::sync::Arc;

use geo::{Coord, Rect};
use rayon::prelude::*;
use tiny_skia::Pixmap;

use super::furniture::{self, LegendRow, ScaleBar, SheetText};
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
    /// The layer's features, name and CRS, shared with the window rather than copied.
    pub layer: Arc<Layer>,
    /// How it is drawn: visibility, fill, outline and label field, as in the window.
    pub style: LayerStyle,
    /// How its features are filled: the style's one fill, by category or class, by coverage
    /// class, or not at all.
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
        /// The categories or graduated classes, which the legend lists.
        thematic: Thematic,
        /// One fill per feature, in layer order; `None` (or a feature past the end) takes the
        /// style's fill.
        fills: Arc<[Option<Rgba>]>,
    },
    /// By coverage class: the coverage map's units.
    Coverage {
        /// One coverage class per feature, in layer order; `None` (a unit without polygons)
        /// leaves it unfilled.
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
    /// The layers, top of the map first: [`Extent`] and labels name a layer by its place here.
    pub layers: Vec<SheetLayer>,
    /// Where zones overlap each other, as lon/lat polygons drawn with a dashed outline over the
    /// layers; empty except on a coverage map.
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
    /// The title, centred above the map; `None` or blank leaves out the title band.
    pub title: Option<String>,
    /// Whether to draw the legend, in the corner of the map where it hides the least.
    pub legend: bool,
    /// Whether to draw the scale bar, in the map's bottom-left corner.
    pub scale_bar: bool,
    /// Whether to draw the north arrow, in the map's top-right corner.
    pub north_arrow: bool,
    /// Whether to label features by their layers' label fields, where a label fits.
    pub labels: bool,
    /// The source and date line; `None` leaves it out.
    pub source_line: Option<String>,
    /// The language of the sheet's own words: legend, north arrow, footnotes.
    pub lang: SheetLang,
    /// What part of the world the map shows.
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
    /// [`Extent::All`], but no visible layer has a feature with a geometry.
    #[error("nothing to draw: no visible layer has features")]
    Empty,
    /// [`Extent::Layer`] names a place past the end of [`SheetMap::layers`]; holds it.
    #[error("the extent's layer {0} does not exist")]
    NoSuchLayer(usize),
    /// The extent's layer or features have no geometry to fit the map to (or the features
    /// named are not in their layers).
    #[error("the extent has no features with a geometry")]
    EmptyExtent,
    /// The sheet is under 64 pixels wide or high; holds its width and height in pixels.
    #[error("the sheet must be at least 64 × 64 pixels, not {0} × {1}")]
    TooSmall(u32, u32),
    /// The resolution is outside 30 to 2400 dpi; holds it.
    #[error("the resolution must be between 30 and 2400 dpi, not {0}")]
    Dpi(f32),
    /// Drawing the sheet into pixels or encoding the PNG failed.
    #[error(transparent)]
    Raster(#[from] RasterError),
}

/// What each piece of furniture is, for tests and previews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Furniture {
    /// The title above the map.
    Title,
    /// The legend, inside a corner of the map.
    Legend,
    /// The scale bar, inside the map's bottom-left corner.
    ScaleBar,
    /// The north arrow, inside the map's top-right corner.
    NorthArrow,
    /// One line of the footnotes and source line below the map.
    Footer,
}

/// A label as placed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    /// The label's text, from its layer's label field.
    pub text: String,
    /// Its box on the sheet, in pixels.
    pub frame: Frame,
    /// Its feature's layer, by its place in [`SheetMap::layers`].
    pub layer: usize,
    /// The feature it labels.
    pub feature: FeatureId,
}

/// Where everything went on the sheet.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The map's frame on the sheet, in pixels.
    pub map_frame: Frame,
    /// The map's viewport, for a map of the frame's size.
    pub viewport: Viewport,
    /// The labels placed, in placing order: zones before units before context, larger
    /// features first.
    pub labels: Vec<PlacedLabel>,
    /// Each piece of furniture with its box on the sheet in pixels, one per footer line.
    pub furniture: Vec<(Furniture, Frame)>,
    /// The scale bar as drawn; `None` when turned off or no ground distance could be measured.
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
    /// What is drawn, in sheet pixels and drawing order: map, paper, labels and furniture.
    pub scene: Scene,
    /// Where the map, labels and furniture went.
    pub layout: Layout,
    /// Dots per inch, which the PNG records and which sets the SVG's printed size.
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
///
/// # Errors
/// A [`SheetError`]: nothing to draw, an extent with no area, a sheet too large to draw.
///
/// # Examples
/// One zone on an A4 sheet at 150 dpi: the map frame lies inside the sheet, the zone is drawn
/// and labelled, and the scale bar is there.
/// ```
/// use std::sync::Arc;
/// use zonemap::core::render::{SheetLayer, SheetMap, SheetOptions, compose};
/// use zonemap::core::style::LayerStyle;
/// use zonemap::core::{Feature, Layer, Role};
/// use geo::{MultiPolygon, Rect, coord};
///
/// let rect = Rect::new(coord! { x: 120.0, y: 31.0 }, coord! { x: 120.1, y: 31.1 });
/// let shape = Some(MultiPolygon(vec![rect.to_polygon()]).into());
/// let mut properties = serde_json::Map::new();
/// properties.insert("name".into(), "Zone".into());
/// let zone = Feature::new("z1".into(), "Zone".into(), properties, shape);
/// let layer = Arc::new(Layer::new("zones", Role::Zones, vec![zone]));
/// let style = LayerStyle::for_role(Role::Zones, 0);
/// let map = SheetMap {
///     layers: vec![SheetLayer::styled(layer, style, &[])],
///     overlaps: Vec::new(),
/// };
/// let options = SheetOptions {
///     size_px: SheetOptions::px_for_mm([297.0, 210.0], 150.0),
///     dpi: 150.0,
///     ..SheetOptions::default()
/// };
/// let sheet = compose(&map, &options)?;
/// let frame = sheet.layout.map_frame;
/// assert!(frame.x >= 0.0 && frame.x + frame.w <= options.size_px[0] as f32);
/// assert_eq!(sheet.layout.features_drawn, 1);
/// assert_eq!(sheet.layout.labels.len(), 1);
/// assert!(sheet.layout.scale_bar.is_some());
/// # Ok::<(), zonemap::core::render::SheetError>(())
/// ```
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
            let best = block.least_covered_corner(
                frame,
                &reserved,
                |f| covered(f, &drawn_boxes, &to_px),
                None,
            );
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

mod draw;
mod notes;
mod place;

use draw::*;
use notes::*;
pub use notes::{legend_rows, source_line, today};
use place::*;

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
