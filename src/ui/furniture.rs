//! The map's furniture in the window: the scale bar and the legend, made by the same core
//! functions as on the sheets ([`crate::core::render::furniture`]: the same rows, the same
//! block, the same corner rule) and painted with egui.

use std::sync::Arc;

use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2};

use crate::core::render::furniture::{
    Corner, LegendBlock, SheetText, covered_share, legend_block, scale_bar,
};
use crate::core::render::scene::{Anchor, Item};
use crate::core::render::{Frame, SheetMap, legend_rows};
use crate::core::tessellate::FeatureShape;
use crate::core::view::Viewport;
use crate::session::Session;
use crate::ui::projector::{ToScreen, color32};

/// The legend block for what the window shows, kept until the layers, their styles, the
/// coverage map or the language change.
#[derive(Default)]
pub struct LegendCache {
    key: u64,
    block: Option<Arc<LegendBlock>>,
}

impl LegendCache {
    /// The legend for the window's map now, at most `max_h` points high.
    pub fn block(&mut self, session: &Session, max_h: f32) -> Option<Arc<LegendBlock>> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for l in &session.layers {
            l.key.hash(&mut h);
            (Arc::as_ptr(&l.layer) as usize).hash(&mut h);
            format!("{:?}", l.style).hash(&mut h);
        }
        session.coverage_map.hash(&mut h);
        session.analysis.result.as_ref().map(|r| r.run).hash(&mut h);
        format!("{:?}", session.lang).hash(&mut h);
        max_h.to_bits().hash(&mut h);
        let key = h.finish();
        if key != self.key {
            let map: SheetMap = super::export_dialog::sheet_map(session);
            let text = SheetText::of(session.lang);
            let approximate: Vec<String> = map
                .layers
                .iter()
                .filter(|l| {
                    l.style.visible
                        && l.layer
                            .features
                            .iter()
                            .any(crate::core::style::is_approximate)
                })
                .map(|l| l.layer.name.clone())
                .collect();
            let rows = legend_rows(&map, &text, &approximate);
            self.block = legend_block(&rows, text.legend, max_h, 1.0).map(Arc::new);
            self.key = key;
        }
        self.block.clone()
    }
}

/// A frame (points) as egui's rectangle.
pub fn rect_of(f: Frame) -> Rect {
    Rect::from_min_size(pos2(f.x, f.y), egui::vec2(f.w, f.h))
}

/// An egui rectangle as a frame.
pub fn frame_of(r: Rect) -> Frame {
    Frame::new(r.min.x, r.min.y, r.width(), r.height())
}

/// The scale bar's items and box for a map drawn in `map` (points on screen).
pub fn scale_bar_items(viewport: &Viewport, map: Rect) -> Option<(Vec<Item>, Frame)> {
    scale_bar(viewport, frame_of(map), 1.0).map(|(_, items, frame)| (items, frame))
}

/// Paints the core's scene items (rectangles, lines and text) with egui; each text is also
/// given to the accessibility tree as a label (screen readers, and tests, read the legend).
pub fn paint_items(ui: &egui::Ui, painter: &Painter, items: &[Item]) {
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Path(p) => {
                for sub in &p.subpaths {
                    let points: Vec<Pos2> = sub.iter().map(|[x, y]| pos2(*x, *y)).collect();
                    if let Some(fill) = p.fill.filter(|_| p.closed) {
                        painter.add(Shape::convex_polygon(
                            points.clone(),
                            color32(fill, 1.0),
                            Stroke::NONE,
                        ));
                    }
                    if let Some(line) = &p.stroke {
                        let stroke = Stroke::new(line.width, color32(line.color, 1.0));
                        let mut path = points.clone();
                        if p.closed
                            && let Some(first) = points.first()
                        {
                            path.push(*first);
                        }
                        match line.dash {
                            Some([dash, gap]) => {
                                painter.extend(Shape::dashed_line(&path, stroke, dash, gap));
                            }
                            None => {
                                painter.add(Shape::line(path, stroke));
                            }
                        }
                    }
                }
            }
            Item::Text(t) => {
                let font = FontId::proportional(t.size);
                let color = color32(t.color, 1.0);
                let galley = painter.layout_no_wrap(t.text.clone(), font, color);
                let w = galley.size().x;
                let x = match t.anchor {
                    Anchor::Start => t.x,
                    Anchor::Middle => t.x - w / 2.0,
                    Anchor::End => t.x - w,
                };
                // The baseline is `y`: the font's ascent is about 0.9 em above it.
                let at = pos2(x, t.y - t.size * 0.9);
                if let Some((halo, _)) = t.halo {
                    let halo = color32(halo, 1.0);
                    for d in [[-1.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 1.0]] {
                        painter.galley_with_override_text_color(
                            at + egui::vec2(d[0], d[1]),
                            galley.clone(),
                            halo,
                        );
                    }
                }
                let text_rect = Rect::from_min_size(at, galley.size());
                painter.galley(at, galley, Color32::PLACEHOLDER);
                let response = ui.interact(
                    text_rect,
                    ui.scope_id().with(("map-furniture", i)),
                    egui::Sense::hover(),
                );
                response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &t.text));
            }
        }
    }
}

/// What the legend's corner is weighed by: the drawn shapes, each with its box on screen, or
/// (when the map comes from tiles) whether the tiles are painted at a point on screen; or
/// nothing, the legend staying in its corner (while stretched tiles stand in after a zoom).
pub enum Covered<'a> {
    Shapes(&'a [(Rect, Arc<FeatureShape>)]),
    Painted(&'a dyn Fn(egui::Pos2) -> bool),
    Kept,
}

/// The legend and scale bar over a map drawn at `map` (points): the scale bar bottom left, the
/// legend in the corner where it hides least of what is drawn (`covered`), staying
/// in `corner` (where it was last frame; updated) while that hides little more, clear of a
/// `banner` over the map. Returns
/// what to paint, and their boxes for the labels to keep clear of.
pub fn layout_furniture(
    map: Rect,
    to_screen: &ToScreen,
    legend: Option<&LegendBlock>,
    covered: Covered<'_>,
    corner: &mut Option<Corner>,
    banner: Option<Rect>,
) -> (Vec<Item>, Vec<Frame>) {
    let mut items = Vec::new();
    let mut reserved: Vec<Frame> = banner.map(frame_of).into_iter().collect();
    if let Some((bar, frame)) = scale_bar_items(&to_screen.viewport, map) {
        items.extend(bar);
        reserved.push(frame);
    }
    if let Some(block) = legend
        && let Some(at) = {
            let boxes: Vec<(Frame, &FeatureShape)> = match &covered {
                Covered::Shapes(shapes) => shapes
                    .iter()
                    .map(|(r, s)| (frame_of(*r), s.as_ref()))
                    .collect(),
                Covered::Painted(_) | Covered::Kept => Vec::new(),
            };
            let map_frame = frame_of(map);
            let world_at = |p: [f32; 2]| {
                to_screen.viewport.world_from_screen(
                    [
                        f64::from(p[0] - to_screen.min.x),
                        f64::from(p[1] - to_screen.min.y),
                    ],
                    to_screen.size_px,
                )
            };
            block.least_covered_corner(
                frame_of(map),
                &reserved,
                |f| match &covered {
                    Covered::Shapes(_) => covered_share(f, &boxes, world_at),
                    Covered::Painted(painted) => painted_share(f, painted),
                    Covered::Kept => match *corner {
                        Some(c) if Corner::of(f, &map_frame) == c => 0.0,
                        _ => 1.0,
                    },
                },
                *corner,
            )
        }
    {
        *corner = Some(Corner::of(&at, &frame_of(map)));
        items.extend(block.items(at.x, at.y));
        reserved.push(at);
    }
    (items, reserved)
}

/// The share (0–1) of a rectangle where `painted` says the map is painted, sampled on the
/// 12 × 12 grid `covered_share` uses.
fn painted_share(rect: &Frame, painted: &dyn Fn(egui::Pos2) -> bool) -> f32 {
    const N: usize = 12;
    let mut hits = 0;
    for j in 0..N {
        for i in 0..N {
            let p = egui::pos2(
                rect.x + rect.w * (i as f32 + 0.5) / N as f32,
                rect.y + rect.h * (j as f32 + 0.5) / N as f32,
            );
            hits += usize::from(painted(p));
        }
    }
    hits as f32 / (N * N) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::render::furniture::LegendRow;

    /// A legend kept in the top-left corner goes below a note drawn there, not under it.
    #[test]
    fn the_legend_keeps_clear_of_a_banner() {
        let rows = [LegendRow {
            text: "太湖科学城".into(),
            heading: false,
            fill: Some(crate::core::style::Rgba::rgb(200, 100, 50)),
            outline: None,
            indent: false,
        }];
        let block = legend_block(&rows, "Legend", 400.0, 1.0).expect("a legend");
        let map = Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        let to_screen = ToScreen {
            viewport: crate::core::view::Viewport::default(),
            size_px: [800.0, 600.0],
            min: map.min,
        };
        let banner = Rect::from_min_size(egui::pos2(4.0, 4.0), egui::vec2(420.0, 25.0));
        let top_left = Corner {
            right: false,
            top: true,
        };
        let mut corner = Some(top_left);
        let (_, reserved) = layout_furniture(
            map,
            &to_screen,
            Some(&block),
            Covered::Shapes(&[]),
            &mut corner,
            Some(banner),
        );
        assert_eq!(corner, Some(top_left));
        let legend = reserved.last().expect("the legend's frame");
        assert!(
            legend.y >= banner.bottom(),
            "the legend at {legend:?}, the banner at {banner:?}"
        );
        // Without the banner it would have sat in the corner, under where the note goes.
        let mut corner = Some(top_left);
        let (_, reserved) = layout_furniture(
            map,
            &to_screen,
            Some(&block),
            Covered::Shapes(&[]),
            &mut corner,
            None,
        );
        assert!(reserved.last().expect("the legend").y < banner.bottom());
    }
}
