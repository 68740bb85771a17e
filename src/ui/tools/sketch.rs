//! Draw and Split: points clicked one by one, snapped, with the geodesic area and perimeter (or
//! the line's length) shown live.

use egui::{Key, Response, Shape, Stroke, Ui};
use geo::{Coord, LineString, Polygon};

use crate::core::measure::{geodesic_area, geodesic_length_m, geodesic_perimeter_m};

use super::super::i18n::Lang;
use super::{SKETCH, SNAP_PX, Snapped, Tool, ToolContext, ToolState, marker, snap};
use crate::session::history::Edit;
use crate::ui::command::{Command, Commands};
use crate::ui::projector::ToScreen;

pub(super) fn interact(
    state: &mut ToolState,
    ui: &Ui,
    response: &Response,
    to_screen: &ToScreen,
    cx: &ToolContext,
    commands: &mut Commands,
) -> bool {
    let shift = ui.input(|i| i.modifiers.shift);
    state.cursor = response.hover_pos().map(|p| {
        if let Some(&first) = state.points.first()
            && state.tool == Tool::Draw
            && state.points.len() >= 3
            && to_screen.lonlat(first).distance(p) <= SNAP_PX
        {
            return (first, Some(Snapped::Vertex));
        }
        if shift {
            return (to_screen.lonlat_at(p), None);
        }
        match snap(cx.layers, to_screen, p, None) {
            Some((c, kind)) => (c, Some(kind)),
            None => (to_screen.lonlat_at(p), None),
        }
    });
    let mut used = false;
    if !ui.ctx().egui_wants_keyboard_input() {
        let (escape, backspace, enter) = ui.input(|i| {
            (
                i.key_pressed(Key::Escape),
                i.key_pressed(Key::Backspace),
                i.key_pressed(Key::Enter),
            )
        });
        if escape {
            if state.points.is_empty() {
                state.set(Tool::Select);
                return false;
            }
            state.points.clear();
        }
        if backspace {
            state.points.pop();
        }
        if enter {
            finish(state, cx, commands);
        }
    }
    if response.double_clicked() {
        finish(state, cx, commands);
        used = true;
    } else if response.clicked()
        && let Some((c, _)) = state.cursor
    {
        let closes =
            state.tool == Tool::Draw && state.points.len() >= 3 && state.points.first() == Some(&c);
        if closes {
            finish(state, cx, commands);
        } else {
            state.points.push(c);
        }
        used = true;
    }
    let mut preview = state.points.clone();
    if let Some((c, _)) = state.cursor {
        preview.push(c);
    }
    state.live = live_measure(&preview, state.tool == Tool::Draw, cx.lang);
    used
}

fn finish(state: &mut ToolState, cx: &ToolContext, commands: &mut Commands) {
    let points = std::mem::take(&mut state.points);
    match state.tool {
        Tool::Draw if points.len() >= 3 => commands.push(Command::Edit(Edit::Draw {
            points,
            name: String::new(),
        })),
        Tool::Split if points.len() >= 2 => commands.push(Command::Edit(Edit::Split {
            target: cx.target,
            line: points,
        })),
        // Too few points: keep drawing.
        _ => state.points = points,
    }
}

/// The geodesic area and perimeter of an outline (`closed`), or the length of a line, as the
/// map shows them while drawing.
pub fn live_measure(points: &[Coord<f64>], closed: bool, lang: Lang) -> Option<String> {
    let t = lang.t();
    if points.len() < 2 {
        return None;
    }
    if closed && points.len() >= 3 {
        let mut ring = points.to_vec();
        ring.push(points[0]);
        let polygon = Polygon::new(LineString(ring), Vec::new());
        let area = geodesic_area(&polygon);
        let perimeter = geodesic_perimeter_m(&polygon);
        Some(format!(
            "{}: {:.3} {} ({:.0} {}) · {}: {:.2} km",
            t.area,
            area.km2(),
            t.km2,
            area.mu(),
            t.mu,
            t.perimeter,
            perimeter / 1000.0
        ))
    } else {
        let length = geodesic_length_m(&LineString(points.to_vec()));
        Some(format!("{}: {:.2} km", t.length, length / 1000.0))
    }
}

pub(super) fn paint(state: &ToolState, painter: &egui::Painter, to_screen: &ToScreen) {
    let stroke = Stroke::new(2.0, SKETCH);
    let mut screen: Vec<egui::Pos2> = state.points.iter().map(|&c| to_screen.lonlat(c)).collect();
    if let Some((c, _)) = state.cursor {
        screen.push(to_screen.lonlat(c));
    }
    if state.tool == Tool::Draw && screen.len() >= 3 {
        painter.add(Shape::dashed_line(
            &[screen[screen.len() - 1], screen[0]],
            stroke,
            6.0,
            4.0,
        ));
    }
    if screen.len() >= 2 {
        painter.add(Shape::line(screen.clone(), stroke));
    }
    for &p in screen.iter().take(state.points.len()) {
        painter.circle_filled(p, 4.0, SKETCH);
        painter.circle_stroke(p, 4.0, Stroke::new(1.0, egui::Color32::WHITE));
    }
    if let Some((c, snapped)) = state.cursor {
        marker(painter, to_screen.lonlat(c), snapped);
    }
}
