//! The window tells the planner (issue 17): Quit with unsaved edits asks to save, close without
//! saving, or cancel (from the menu and from the window's close button), and a save with no
//! path yet asks for one inside the window, a typed path, never silence.

use egui::accesskit::Role as A11y;
use egui::{ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::kittest::Queryable;
use geo::Coord;
use zonemap::session::history::Edit;
use zonemap::ui::command::{Command, WindowCommand};
use zonemap::ui::{Lang, ZonemapApp};

use crate::ui::{harness, settle};

type H = egui_kittest::Harness<'static, ZonemapApp>;

fn edited() -> H {
    let mut h = harness(Lang::En);
    let square = [
        (120.0, 31.0),
        (120.02, 31.0),
        (120.02, 31.02),
        (120.0, 31.02),
    ]
    .map(|(x, y)| Coord { x, y })
    .to_vec();
    h.state_mut().push_command(Command::Edit(Edit::Draw {
        points: square,
        name: "Square".into(),
    }));
    h.run_steps(4);
    settle(&mut h);
    assert!(h.state().session.is_dirty());
    h
}

fn sent(h: &H, command: &ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(command))
}

#[test]
fn quit_with_unsaved_edits_asks_and_cancel_keeps_the_window() {
    let mut h = edited();
    h.state_mut().push_command(WindowCommand::Quit);
    h.run_steps(4);
    assert!(!sent(&h, &ViewportCommand::Close), "not closed unasked");
    assert!(h.state().quit_prompt, "asked");
    h.get_by_label("1 edit(s) are not saved in a project. Save them before closing?");
    h.get_by_role_and_label(A11y::Button, "Cancel").click();
    h.run_steps(4);
    assert!(!h.state().quit_prompt);
    assert!(!sent(&h, &ViewportCommand::Close));

    // The window's own close button: the close is cancelled and the same question asked.
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.step();
    assert!(sent(&h, &ViewportCommand::CancelClose));
    h.run_steps(1);
    assert!(h.state().quit_prompt);
    h.get_by_role_and_label(A11y::Button, "Close without saving")
        .click();
    h.step();
    assert!(sent(&h, &ViewportCommand::Close));
}

#[test]
fn save_with_no_project_file_asks_for_a_path_in_the_window_then_closes() {
    let mut h = edited();
    let dir = crate::proposals::tempdir();
    let path = dir.join("plan.zonemap");
    h.state_mut().push_command(WindowCommand::Quit);
    h.run_steps(4);
    h.get_by_role_and_label(A11y::Button, "Save…").click();
    h.run_steps(4);
    // The save dialog, filled with a path in the home folder; type another.
    let dialog = h.state().save_dialog.as_ref().expect("the save dialog");
    assert!(dialog.path.ends_with("plan.zonemap"), "{}", dialog.path);
    h.state_mut().save_dialog.as_mut().expect("open").path = path.display().to_string();
    h.run_steps(1);
    h.get_by_role_and_label(A11y::Button, "Save").click();
    h.step();
    assert!(path.exists(), "written");
    assert!(!h.state().session.is_dirty());
    assert!(sent(&h, &ViewportCommand::Close), "closed once saved");

    // Ctrl+S on a project that has no file yet shows the dialog, not nothing.
    let mut h = edited();
    h.state_mut().push_command(Command::SaveProject(None));
    h.run_steps(4);
    assert!(h.state().save_dialog.is_some());
    h.get_by_label("Save to this file (type the path, or browse):");
}
