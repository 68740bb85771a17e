//! The map's editing tools: draw a zone, cut zones along a line, and edit a zone's vertices.
//! Each tool keeps what it is in the middle of here (the points clicked so far, the vertex
//! being dragged) and emits an [`Edit`](crate::session::history::Edit) when it is done, so that a whole
//! outline, a whole cut or a whole drag is one undoable step.

pub mod sketch;
pub mod snap;
pub mod vertices;

use egui::{Color32, Pos2, Response, Stroke, Ui};
use geo::Coord;

use super::i18n::Lang;
use crate::session::layer::{FeatureRef, LayerKey, MapLayer};
use crate::ui::command::Commands;
use crate::ui::projector::ToScreen;

pub use sketch::live_measure;
pub use snap::{SNAP_PX, Snapped, snap};
pub use vertices::VertexDrag;

pub use crate::ui::command::Tool;

/// What the map tells the tools about this frame.
pub struct ToolContext<'a> {
    pub layers: &'a [MapLayer],
    /// The editable layer, if there is one yet.
    pub proposals: Option<LayerKey>,
    /// The zone the vertex tool edits and a cut is limited to: the selected proposal.
    pub target: Option<FeatureRef>,
    pub lang: Lang,
}

/// The tools' state between frames.
#[derive(Default)]
pub struct ToolState {
    pub tool: Tool,
    /// The points placed so far, for Draw and Split.
    pub points: Vec<Coord<f64>>,
    /// Where the next point would go, and what it snapped to.
    pub cursor: Option<(Coord<f64>, Option<Snapped>)>,
    /// A vertex being dragged.
    pub drag: Option<VertexDrag>,
    /// The vertex under the pointer, for the vertex tool.
    pub hovered_vertex: Option<vertices::Handle>,
    /// The live measure of the outline or line being drawn, for the map's corner.
    pub live: Option<String>,
}

const SKETCH: Color32 = Color32::from_rgb(220, 30, 120);

impl ToolState {
    /// Switches tool, dropping anything half done.
    pub fn set(&mut self, tool: Tool) {
        self.tool = tool;
        self.points.clear();
        self.drag = None;
        self.live = None;
    }

    /// Whether something is half done, which Escape cancels before it clears the selection.
    pub fn is_busy(&self) -> bool {
        !self.points.is_empty() || self.drag.is_some()
    }

    /// Whether a double click belongs to the tool rather than zooming in.
    pub fn takes_double_click(&self) -> bool {
        matches!(self.tool, Tool::Draw | Tool::Split)
    }

    /// Called before the map pans: whether this frame's drag moves a vertex instead.
    pub fn claims_drag(
        &mut self,
        response: &Response,
        to_screen: &ToScreen,
        cx: &ToolContext,
    ) -> bool {
        if self.tool != Tool::Vertices {
            return false;
        }
        vertices::claims_drag(self, response, to_screen, cx)
    }

    /// Handles the frame's clicks and keys. Returns whether a click was used by the tool (so
    /// that it does not also select).
    pub fn interact(
        &mut self,
        ui: &Ui,
        response: &Response,
        to_screen: &ToScreen,
        cx: &ToolContext,
        commands: &mut Commands,
    ) -> bool {
        match self.tool {
            Tool::Select => false,
            Tool::Draw | Tool::Split => {
                sketch::interact(self, ui, response, to_screen, cx, commands)
            }
            Tool::Vertices => vertices::interact(self, ui, response, to_screen, cx, commands),
        }
    }

    /// Draws what the tool is doing over the map.
    pub fn paint(&self, painter: &egui::Painter, to_screen: &ToScreen, cx: &ToolContext) {
        match self.tool {
            Tool::Select => {}
            Tool::Draw | Tool::Split => sketch::paint(self, painter, to_screen),
            Tool::Vertices => vertices::paint(self, painter, to_screen, cx),
        }
    }
}

fn marker(painter: &egui::Painter, at: Pos2, snapped: Option<Snapped>) {
    match snapped {
        Some(Snapped::Vertex) => {
            painter.rect_stroke(
                egui::Rect::from_center_size(at, egui::vec2(10.0, 10.0)),
                0.0,
                Stroke::new(2.0, SKETCH),
                egui::StrokeKind::Middle,
            );
        }
        Some(Snapped::Edge) => {
            painter.circle_stroke(at, 5.0, Stroke::new(2.0, SKETCH));
        }
        None => {
            painter.circle_filled(at, 3.0, SKETCH);
        }
    }
}
