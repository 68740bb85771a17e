//! Every figure derived from a feature follows every edit, undo and redo (issue 17): the
//! selection panel's area and perimeter, the union area of several features, and the label
//! places. Expected figures: GeographicLib (`Geodesic.WGS84` polygon perimeter and area, run
//! in Python on the same coordinates).

use egui_kittest::kittest::Queryable;
use geo::{Contains, Coord, Point};
use zonemap::core::proposal;
use zonemap::core::proposal::VertexRef;
use zonemap::session::history::Edit;
use zonemap::ui::command::Command;
use zonemap::ui::{Lang, ZonemapApp};

use crate::ui::{harness, settle};

type H = egui_kittest::Harness<'static, ZonemapApp>;

fn square() -> Vec<Coord<f64>> {
    vec![
        Coord { x: 120.0, y: 31.0 },
        Coord { x: 120.02, y: 31.0 },
        Coord {
            x: 120.02,
            y: 31.02,
        },
        Coord { x: 120.0, y: 31.02 },
    ]
}

fn run(h: &mut H, command: Command) {
    h.state_mut().push_command(command);
    h.run_steps(3);
    settle(h);
    h.run_steps(2);
}

/// The proposals' first label place of the drawn zone.
fn label_place(h: &H) -> Coord<f64> {
    let s = &h.state().session;
    let layer = s
        .layer(s.proposals_key().expect("proposals"))
        .expect("open");
    let last = layer.layer.features.len() - 1;
    layer.anchors[last].as_ref().expect("an anchor").places[0]
}

#[test]
fn the_panels_figures_and_the_label_follow_a_vertex_move_its_undo_and_redo() {
    let mut h = harness(Lang::En);
    run(
        &mut h,
        Command::Edit(Edit::Draw {
            points: square(),
            name: "Square".into(),
        }),
    );
    // GeographicLib: perimeter 8254.557 m, area 4,234,967.072 m².
    h.get_by_label("8.255 km");
    h.get_by_label("4.2350 km²");
    let before = label_place(&h);

    let feature = {
        let s = &h.state().session;
        s.selection[0].feature
    };
    run(
        &mut h,
        Command::Edit(Edit::Proposals(proposal::Edit::MoveVertex {
            feature,
            vertex: VertexRef {
                polygon: 0,
                ring: 0,
                index: 2,
            },
            to: Coord {
                x: 120.03,
                y: 31.03,
            },
        })),
    );
    // GeographicLib: perimeter 10659.390 m, area 6,352,244.466 m².
    h.get_by_label("10.659 km");
    h.get_by_label("6.3522 km²");
    let after = label_place(&h);
    assert_ne!(before, after, "the label's place was worked out afresh");
    let moved = geo::Polygon::new(
        vec![
            (120.0, 31.0),
            (120.02, 31.0),
            (120.03, 31.03),
            (120.0, 31.02),
        ]
        .into(),
        vec![],
    );
    assert!(moved.contains(&Point(after)));

    run(&mut h, Command::Undo);
    h.get_by_label("8.255 km");
    h.get_by_label("4.2350 km²");
    assert_eq!(label_place(&h), before);
    run(&mut h, Command::Redo);
    h.get_by_label("10.659 km");
}
