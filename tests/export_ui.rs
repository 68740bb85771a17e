//! File > Export map in the window: the dialog previews the sheet, and one click writes it.

use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tiny_skia::Pixmap;
use zonemap::core::render::{Extent, Paint};
use zonemap::ui::export_dialog::ExtentChoice;
use zonemap::ui::{Lang, ZonemapApp};

use crate::export::export_ok;
use crate::proposals::tempdir;
use crate::ui::harness;

/// Steps until `done` holds; fails if it does not within 30 s.
fn wait_for(harness: &mut Harness<'static, ZonemapApp>, done: impl Fn(&ZonemapApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited 30 s in vain; errors: {:?}",
            harness.state().session.errors
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
}

/// Replaces the text of a labelled field.
fn type_into(harness: &mut Harness<'static, ZonemapApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(A11y::TextInput, label)
        .click();
    harness.run_steps(1);
    harness.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    harness
        .get_by_role_and_label(A11y::TextInput, label)
        .type_text(text);
    harness.run_steps(2);
}

#[test]
fn ctrl_e_previews_the_sheet_and_one_click_writes_png_then_svg() {
    let mut harness = harness(Lang::En);
    harness.key_combination_modifiers(Modifiers::COMMAND, &[Key::E]);
    harness.run_steps(2);
    assert!(harness.state().export.open, "Ctrl+E opens the dialog");
    wait_for(&mut harness, |app| app.export.has_preview());
    assert!(harness.state().export.has_preview(), "a preview is drawn");

    let dir = tempdir();
    let png = dir.join("sheet.png");
    type_into(&mut harness, "Save to", &png.display().to_string());
    type_into(&mut harness, "Title", "Suzhou high-tech district");
    harness
        .get_by_role_and_label(A11y::Button, "Export")
        .click();
    harness.run_steps(1);
    wait_for(&mut harness, |app| !app.export.is_exporting());
    let status = harness.state().export.status.clone();
    assert!(
        matches!(&status, Some(Ok(m)) if m.contains("sheet.png")),
        "{status:?}"
    );
    let pixmap = Pixmap::load_png(&png).expect("a PNG was written");
    assert_eq!((pixmap.width(), pixmap.height()), (1600, 1200));

    // SVG: the format switch renames the file, and the same click writes it.
    harness.get_by_label("SVG").click();
    harness.run_steps(2);
    let svg = dir.join("sheet.svg");
    assert_eq!(
        harness.state().export.settings.path,
        svg.display().to_string()
    );
    harness
        .get_by_role_and_label(A11y::Button, "Export")
        .click();
    harness.run_steps(1);
    wait_for(&mut harness, |app| !app.export.is_exporting());
    let text = std::fs::read_to_string(&svg).expect("an SVG was written");
    assert!(text.contains(">Suzhou high-tech district</text>"));
    assert!(text.contains("Legend"), "the window's language");
    resvg::usvg::Tree::from_str(&text, &resvg::usvg::Options::default()).expect("parses");
}

/// The window on the bundled data, in English, showing the coverage map.
fn coverage_map_on() -> Harness<'static, ZonemapApp> {
    let mut harness = harness(Lang::En);
    harness
        .get_by_role_and_label(A11y::CheckBox, "Coverage map")
        .click();
    harness.run_steps(3);
    assert!(harness.state().session.coverage_map);
    harness
}

#[test]
fn the_sheet_shows_what_the_window_shows() {
    // The coverage map: units by coverage class, zones as outlines, overlaps marked.
    let harness = coverage_map_on();
    let app = harness.state();
    let map = app.sheet_map();
    let zones = map
        .layers
        .iter()
        .find(|l| l.layer.role == zonemap::core::Role::Zones)
        .expect("zones");
    let units = map
        .layers
        .iter()
        .find(|l| l.layer.role == zonemap::core::Role::Units)
        .expect("units");
    assert!(matches!(zones.paint, Paint::Outline));
    assert!(matches!(units.paint, Paint::Coverage { .. }));
    assert_eq!(map.overlaps.len(), 1, "太湖科学城 straddles two zones");
    // The current view is the default extent: the box the window's map shows, corner for
    // corner; a layer can be chosen instead.
    let mut settings = app.export.settings.clone();
    let Extent::Box(extent) = app.sheet_options(&map, &settings).extent else {
        panic!("the view is the default extent");
    };
    let size = app.session.map.size_px;
    let nw = app
        .session
        .map
        .viewport
        .lonlat_from_screen([0.0, 0.0], size);
    let se = app.session.map.viewport.lonlat_from_screen(size, size);
    for (got, want) in [
        (extent.min().x, nw.x),
        (extent.max().x, se.x),
        (extent.min().y, se.y),
        (extent.max().y, nw.y),
    ] {
        assert!(
            (got - want).abs() < 1e-9,
            "{extent:?} against {nw:?} {se:?}"
        );
    }
    settings.extent = ExtentChoice::Layer(units.layer.name.clone());
    assert!(matches!(
        app.sheet_options(&map, &settings).extent,
        Extent::Layer(_)
    ));
    let source = app
        .sheet_options(&map, &settings)
        .source_line
        .expect("a source line");
    assert!(
        source.contains("Datum WGS-84 (converted from GCJ-02)"),
        "{source}"
    );
}

#[test]
fn a_project_saved_by_the_window_exports_from_the_command_line() {
    let harness = coverage_map_on();
    let dir = tempdir();
    let project = dir.join("plan.zonemap");
    harness
        .state()
        .project()
        .write(&project)
        .expect("the project saves");
    let project = project.display().to_string();
    let out = dir.join("plan.png");
    export_ok(&[
        "--size",
        "800x600",
        "--out",
        &out.display().to_string(),
        &project,
    ]);
    // The window's view, coverage colours and language came along: the command line's sheet
    // is the window's own export of the same size, text for text and path for path.
    let svg_out = dir.join("plan.svg");
    export_ok(&[
        "--size",
        "800x600",
        "--out",
        &svg_out.display().to_string(),
        &project,
    ]);
    let text = std::fs::read_to_string(&svg_out).expect("written");
    assert!(
        text.contains("Fully covered ("),
        "coverage legend in English"
    );
    let app = harness.state();
    let map = app.sheet_map();
    let mut settings = app.export.settings.clone();
    settings.size_px = [800, 600];
    let options = app.sheet_options(&map, &settings);
    let window = zonemap::core::render::compose(&map, &options)
        .expect("composes")
        .svg();
    assert_eq!(
        text, window,
        "the command line's sheet differs from the window's"
    );
    let png = Pixmap::load_png(&out).expect("a PNG");
    assert_eq!((png.width(), png.height()), (800, 600));
}
