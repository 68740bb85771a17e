//! The vertex tool, on the selected proposal: drag a vertex to move it, drag an edge's midpoint
//! to insert one, right-click a vertex (or point at it and press Delete) to remove it. A drag
//! is one edit, made when the button is released; the core refuses it if the outline would
//! cross itself.

use egui::{Color32, Key, Pos2, Response, Stroke, Ui};
use geo::Coord;

use crate::core::proposal;
use crate::core::proposal::{VertexRef, vertices};

use super::{SKETCH, SNAP_PX, ToolContext, ToolState, marker, snap};
use crate::session::history::Edit;
use crate::session::layer::FeatureRef;
use crate::ui::command::{Command, Commands};
use crate::ui::projector::ToScreen;

/// A point of the outline that can be dragged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    Vertex(VertexRef),
    /// The middle of the edge from this vertex to the next.
    Midpoint(VertexRef),
}

/// A drag under way.
#[derive(Clone, Copy, Debug)]
pub struct VertexDrag {
    pub feature: FeatureRef,
    pub handle: Handle,
    /// Where the handle is now.
    pub to: Coord<f64>,
    /// The handle's neighbours on its ring, for the preview.
    neighbours: (Coord<f64>, Coord<f64>),
}

/// A handle, where it is, and its ring neighbours.
type Item = (Handle, Coord<f64>, (Coord<f64>, Coord<f64>));

struct Handles {
    feature: FeatureRef,
    items: Vec<Item>,
}

fn handles(cx: &ToolContext) -> Option<Handles> {
    let target = cx.target.filter(|t| Some(t.layer) == cx.proposals)?;
    let layer = cx.layers.iter().find(|l| l.key == target.layer)?;
    let feature = layer.feature(target.feature)?;
    let mp = feature.multi_polygon();
    let all = vertices(&mp);
    let mut items = Vec::with_capacity(all.len() * 2);
    // Vertices of one ring are consecutive in `all`.
    let mut start = 0;
    while start < all.len() {
        let (first, _) = all[start];
        let end = all[start..]
            .iter()
            .position(|(v, _)| v.polygon != first.polygon || v.ring != first.ring)
            .map_or(all.len(), |n| start + n);
        let ring = &all[start..end];
        let n = ring.len();
        for (i, &(v, c)) in ring.iter().enumerate() {
            let prev = ring[(i + n - 1) % n].1;
            let next = ring[(i + 1) % n].1;
            items.push((Handle::Vertex(v), c, (prev, next)));
            let mid = Coord {
                x: (c.x + next.x) / 2.0,
                y: (c.y + next.y) / 2.0,
            };
            items.push((Handle::Midpoint(v), mid, (c, next)));
        }
        start = end;
    }
    Some(Handles {
        feature: target,
        items,
    })
}

/// The handle nearest `p` within reach; vertices win over midpoints.
fn handle_at(handles: &Handles, to_screen: &ToScreen, p: Pos2) -> Option<Item> {
    let near = |want_vertex: bool| {
        handles
            .items
            .iter()
            .filter(|(h, ..)| matches!(h, Handle::Vertex(_)) == want_vertex)
            .map(|item| (to_screen.lonlat(item.1).distance(p), item))
            .filter(|(d, _)| *d <= SNAP_PX)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, item)| *item)
    };
    near(true).or_else(|| near(false))
}

pub(super) fn claims_drag(
    state: &mut ToolState,
    response: &Response,
    to_screen: &ToScreen,
    cx: &ToolContext,
) -> bool {
    if state.drag.is_some() {
        return true;
    }
    if !response.drag_started() {
        return false;
    }
    let Some(origin) = response.ctx.input(|i| i.pointer.press_origin()) else {
        return false;
    };
    let Some(handles) = handles(cx) else {
        return false;
    };
    match handle_at(&handles, to_screen, origin) {
        Some((handle, at, neighbours)) => {
            state.drag = Some(VertexDrag {
                feature: handles.feature,
                handle,
                to: at,
                neighbours,
            });
            true
        }
        None => false,
    }
}

pub(super) fn interact(
    state: &mut ToolState,
    ui: &Ui,
    response: &Response,
    to_screen: &ToScreen,
    cx: &ToolContext,
    commands: &mut Commands,
) -> bool {
    let pointer = response.interact_pointer_pos().or(response.hover_pos());
    let handles = handles(cx);
    state.hovered_vertex = match (&handles, pointer) {
        (Some(h), Some(p)) => handle_at(h, to_screen, p).map(|(handle, ..)| handle),
        _ => None,
    };
    if let Some(drag) = &mut state.drag {
        if let Some(p) = pointer {
            let shift = ui.input(|i| i.modifiers.shift);
            let skip = Some((drag.feature.layer, drag.feature.feature));
            drag.to = match snap(cx.layers, to_screen, p, skip) {
                Some((c, _)) if !shift => c,
                _ => to_screen.lonlat_at(p),
            };
        }
        if !response.dragged() || response.drag_stopped() {
            let drag = *drag;
            state.drag = None;
            let feature = drag.feature.feature;
            commands.push(Command::Edit(match drag.handle {
                Handle::Vertex(vertex) => Edit::Proposals(proposal::Edit::MoveVertex {
                    feature,
                    vertex,
                    to: drag.to,
                }),
                Handle::Midpoint(after) => Edit::Proposals(proposal::Edit::InsertVertex {
                    feature,
                    after,
                    at: drag.to,
                }),
            }));
        }
        return true;
    }
    let Some(handles) = handles else {
        return false;
    };
    let delete_key = !ui.ctx().egui_wants_keyboard_input()
        && ui.input(|i| i.key_pressed(Key::Delete) || i.key_pressed(Key::Backspace));
    if let Some(Handle::Vertex(vertex)) = state.hovered_vertex
        && (response.secondary_clicked() || delete_key)
    {
        commands.push(Command::Edit(Edit::Proposals(
            proposal::Edit::DeleteVertex {
                feature: handles.feature.feature,
                vertex,
            },
        )));
        return true;
    }
    // A click on a handle is not a click on the map.
    response.clicked() && state.hovered_vertex.is_some()
}

pub(super) fn paint(
    state: &ToolState,
    painter: &egui::Painter,
    to_screen: &ToScreen,
    cx: &ToolContext,
) {
    let Some(handles) = handles(cx) else {
        return;
    };
    for (handle, at, _) in &handles.items {
        let p = to_screen.lonlat(*at);
        let hovered = state.hovered_vertex == Some(*handle);
        match handle {
            Handle::Vertex(_) => {
                let size = if hovered { 11.0 } else { 8.0 };
                let rect = egui::Rect::from_center_size(p, egui::vec2(size, size));
                painter.rect_filled(rect, 1.0, Color32::WHITE);
                painter.rect_stroke(
                    rect,
                    1.0,
                    Stroke::new(1.5, SKETCH),
                    egui::StrokeKind::Middle,
                );
            }
            Handle::Midpoint(_) => {
                let r = if hovered { 5.0 } else { 3.5 };
                painter.circle(
                    p,
                    r,
                    Color32::from_white_alpha(200),
                    Stroke::new(1.0, SKETCH),
                );
            }
        }
    }
    if let Some(drag) = &state.drag {
        let to = to_screen.lonlat(drag.to);
        let (a, b) = drag.neighbours;
        let stroke = Stroke::new(2.0, SKETCH);
        painter.line_segment([to_screen.lonlat(a), to], stroke);
        painter.line_segment([to, to_screen.lonlat(b)], stroke);
        marker(painter, to, None);
    }
}
