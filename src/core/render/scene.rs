//! What a sheet is made of, in pixels: filled and stroked paths and text, in drawing order.
//!
//! The raster and SVG writers draw the same [`Scene`], so a PNG and an SVG of one sheet match.

use crate::core::style::Rgba;

/// A whole sheet: its size in pixels, its paper colour and its groups, bottom first.
#[derive(Clone, Debug)]
pub struct Scene {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The paper colour, under everything.
    pub background: Rgba,
    /// The groups, bottom first.
    pub groups: Vec<Group>,
}

/// Items drawn together: one layer's fills, its outlines, the labels, the legend. The SVG
/// writer makes each a `<g>` with this id, which Inkscape lists as a layer.
#[derive(Clone, Debug, Default)]
pub struct Group {
    /// The SVG `<g>` id (`labels`, `furniture`, `<layer>-fill`, ...).
    pub id: String,
    /// What the group draws, bottom first.
    pub items: Vec<Item>,
}

impl Group {
    /// An empty group with this id.
    pub fn new(id: impl Into<String>) -> Self {
        Group {
            id: id.into(),
            items: Vec::new(),
        }
    }
}

/// One thing drawn: a path or a line of text.
#[derive(Clone, Debug)]
pub enum Item {
    /// A filled and/or stroked path.
    Path(PathItem),
    /// A line of text.
    Text(TextItem),
}

/// A path in pixels, y down: one or more subpaths, filled by the even-odd rule (so holes
/// stay empty) and/or stroked.
#[derive(Clone, Debug, Default)]
pub struct PathItem {
    /// The subpaths, each a list of `[x, y]` points in pixels.
    pub subpaths: Vec<Vec<[f32; 2]>>,
    /// Whether each subpath is closed (polygon rings) or open (lines).
    pub closed: bool,
    /// The fill, its alpha the opacity; `None` for none.
    pub fill: Option<Rgba>,
    /// The outline; `None` for none.
    pub stroke: Option<Line>,
}

impl PathItem {
    /// An axis-aligned rectangle.
    pub fn rect(x: f32, y: f32, w: f32, h: f32) -> Self {
        PathItem {
            subpaths: vec![vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h]]],
            closed: true,
            ..PathItem::default()
        }
    }

    /// The path with `fill` as its fill.
    pub fn filled(mut self, fill: Rgba) -> Self {
        self.fill = Some(fill);
        self
    }

    /// The path with `line` as its outline.
    pub fn stroked(mut self, line: Line) -> Self {
        self.stroke = Some(line);
        self
    }
}

/// How a path's outline is stroked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// The colour, its alpha the opacity.
    pub color: Rgba,
    /// Width in pixels.
    pub width: f32,
    /// Dash and gap lengths in pixels, for a dashed line.
    pub dash: Option<[f32; 2]>,
}

impl Line {
    /// An undashed line of this colour and width (pixels).
    pub fn solid(color: Rgba, width: f32) -> Self {
        Line {
            color,
            width,
            dash: None,
        }
    }
}

/// Where a text's `x` is: its left end, its middle or its right end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the text's left end.
    Start,
    /// `x` is the text's middle.
    Middle,
    /// `x` is the text's right end.
    End,
}

/// One line of text in the sheet's font.
#[derive(Clone, Debug)]
pub struct TextItem {
    /// The text, one line.
    pub text: String,
    /// Horizontal position in pixels, at the point `anchor` names.
    pub x: f32,
    /// The baseline.
    pub y: f32,
    /// Which point of the text `x` gives.
    pub anchor: Anchor,
    /// Font size in pixels per em.
    pub size: f32,
    /// The glyphs' colour.
    pub color: Rgba,
    /// A halo behind the glyphs (colour, width in pixels), so that text reads over the map.
    pub halo: Option<(Rgba, f32)>,
}
