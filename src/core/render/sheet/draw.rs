//! Drawing a sheet's map: layers as paths (fill, outline, points and lines), zone overlaps,
//! and the lon/lat to sheet-pixel transform.

use super::*;

/// The lon/lat box an extent stands for.
pub(super) fn extent_box(map: &SheetMap, extent: &Extent) -> Result<Rect<f64>, SheetError> {
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
    pub(super) fn size(&self) -> [f64; 2] {
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

pub(super) fn shape_subpaths(shape: &FeatureShape, to_px: &ToPx) -> Vec<Vec<[f32; 2]>> {
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

pub(super) fn with_opacity(c: Rgba, opacity: f32) -> Rgba {
    let [r, g, b, a] = c.0;
    Rgba([
        r,
        g,
        b,
        (f32::from(a) * opacity.clamp(0.0, 1.0)).round() as u8,
    ])
}

/// The fill of one feature, as the window fills it.
pub(super) fn feature_fill(sl: &SheetLayer, id: FeatureId) -> Option<Rgba> {
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
pub(super) fn draw_layer(
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
pub(super) fn non_areal(feature: &Feature, line: Line, to_px: &ToPx, pt: f32) -> Vec<Item> {
    use geo::{CoordsIter, Geometry};
    let Some(geometry) = &feature.geometry else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut lines: Vec<Vec<[f32; 2]>> = Vec::new();
    let mut points: Vec<Coord<f64>> = Vec::new();
    pub(super) fn walk(
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

pub(super) fn draw_overlaps(overlaps: &[Feature], level: u8, to_px: &ToPx, pt: f32) -> Group {
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
pub(super) fn slug(name: &str) -> String {
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

pub(super) struct DrawnLayer {
    pub(super) index: usize,
    pub(super) shapes: Vec<(FeatureId, Option<FeatureShape>)>,
}

/// Each drawn polygon shape with its box in sheet pixels.
pub(super) fn shape_boxes<'a>(
    drawn: &'a [DrawnLayer],
    to_px: &ToPx,
) -> Vec<(Frame, &'a FeatureShape)> {
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

/// The share of a rectangle of the sheet that drawn polygons cover (see
/// [`furniture::covered_share`]).
pub(super) fn covered(rect: &Frame, shapes: &[(Frame, &FeatureShape)], to_px: &ToPx) -> f32 {
    furniture::covered_share(rect, shapes, |p| to_px.world_at(p))
}
