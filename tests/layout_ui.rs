//! The map first (issue 17): the panels keep the sizes they are given or dragged to, never grow
//! by themselves, fold away, and a drag on the dock's edge resizes the dock, not the map.

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use zonemap::core::Role;
use zonemap::ui::command::{Command, WindowCommand};
use zonemap::ui::{Lang, ZonemapApp};

use crate::ui::{harness, layer_key};

type H = egui_kittest::Harness<'static, ZonemapApp>;

fn sizes(h: &H) -> (f32, f32, f32) {
    let l = h.state().layout;
    (l.layers_width, l.details_height, l.dock_height)
}

#[test]
fn panels_keep_their_size_across_tabs_and_selections_and_the_dock_edge_resizes_the_dock() {
    let mut h = harness(Lang::En);
    h.run_steps(2);
    let before = sizes(&h);
    let map_before = h.state().map_rect;
    // The map has most of the window (the panels fold away for the rest).
    assert!(
        map_before.width() * map_before.height() > 0.5 * 1400.0 * 1200.0,
        "the map: {map_before:?}"
    );
    for tab in ["Scenario", "Matrix", "Overlaps and slivers (1)", "Coverage"] {
        h.get_by_role_and_label(egui::accesskit::Role::Button, tab)
            .click();
        h.run_steps(3);
        assert_eq!(sizes(&h), before, "after the {tab} tab");
    }
    // Two zones selected: the column and the details keep their sizes.
    let zones = layer_key(&h, Role::Zones);
    let two = (0..2)
        .map(|i| zonemap::session::layer::FeatureRef {
            layer: zones,
            feature: zonemap::core::FeatureId(i),
        })
        .collect();
    h.state_mut().push_command(Command::Select(two));
    h.run_steps(4);
    assert_eq!(sizes(&h), before, "after selecting two zones");

    // Dragging the dock's top edge up by 60 points makes the dock 60 points taller and leaves
    // the map's view where it was.
    let view = h.state().session.map.viewport;
    let edge = Pos2::new(map_before.center().x, map_before.bottom() + 1.0);
    let up = edge - egui::vec2(0.0, 60.0);
    h.event(Event::PointerMoved(edge));
    h.step();
    h.event(Event::PointerButton {
        pos: edge,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    for i in 1..=6 {
        h.event(Event::PointerMoved(edge - egui::vec2(0.0, 10.0 * i as f32)));
        h.step();
    }
    h.event(Event::PointerButton {
        pos: up,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(3);
    assert_eq!(h.state().session.map.viewport, view, "the map did not pan");
    // Until dragged the dock is a quarter of the window, at most 240 points.
    assert_eq!(before.2, 0.0, "not dragged yet");
    assert!(
        (h.state().layout.dock_height - 300.0).abs() < 3.0,
        "240 → {}",
        h.state().layout.dock_height
    );

    // The panels fold away, and the map takes their room.
    h.state_mut()
        .push_command(WindowCommand::ShowLayersPanel(false));
    h.state_mut()
        .push_command(WindowCommand::ShowSidePanel(false));
    h.run_steps(3);
    assert!(
        h.state().map_rect.width() > 1390.0,
        "{:?}",
        h.state().map_rect
    );
    // And the sizes are kept with the session.
    let window = zonemap::session::state::WindowState::from_value(&h.state().project().window);
    let layout = window.layout.expect("kept");
    assert!(!layout.show_layers && !layout.show_side);
    assert_eq!(layout.dock_height, h.state().layout.dock_height);
}
