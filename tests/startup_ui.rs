//! The window as `zonemap` starts it (`ui::run`): its native options and startup, the session
//! kept in eframe's storage and restored from it (also when it cannot be read), and the window
//! at its first size and at its minimum, in English and in Chinese.

use std::collections::HashMap;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use zonemap::core::{FeatureId, Role};
use zonemap::session::command::Command;
use zonemap::session::history::Edit;
use zonemap::session::layer::FeatureRef;
use zonemap::ui::{Lang, MIN_WINDOW_SIZE, Startup, WINDOW_SIZE, ZonemapApp};

use crate::proposals::tempdir;
use crate::ui::settle;

/// eframe's storage, in memory: what `App::save` writes and the next start reads.
#[derive(Default, Clone)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The shipped startup, but in a given language and with the recovery file in `dir`.
fn shipped_in(dir: &std::path::Path, lang: Option<Lang>) -> Startup {
    Startup {
        lang,
        recovery: Some(dir.join("recovery.zonemap")),
        ..Startup::shipped(Vec::new())
    }
}

/// The window as eframe creates it over `storage`, at `size`.
fn window(
    startup: Startup,
    storage: Option<MemoryStorage>,
    size: [f32; 2],
) -> Harness<'static, ZonemapApp> {
    let mut harness = Harness::builder().with_size(size).build_eframe(move |cc| {
        ZonemapApp::from_storage(
            &cc.egui_ctx,
            startup,
            storage.as_ref().map(|s| s as &dyn eframe::Storage),
        )
    });
    settle(&mut harness);
    harness
}

#[test]
fn run_opens_the_shipped_window() {
    let options = zonemap::ui::native_options();
    let v = &options.viewport;
    assert_eq!(v.inner_size, Some(egui::Vec2::from(WINDOW_SIZE)));
    assert_eq!(v.min_inner_size, Some(egui::Vec2::from(MIN_WINDOW_SIZE)));
    assert_eq!(WINDOW_SIZE, [1280.0, 800.0]);
    assert_eq!(MIN_WINDOW_SIZE, [640.0, 400.0]);
    assert_eq!(v.drag_and_drop, Some(true));
    let startup = Startup::shipped(Vec::new());
    // The saved language, else the system's; the last session; the bundled data at a first
    // start; unsaved edits autosaved beside eframe's storage.
    assert_eq!(startup.lang, None);
    assert!(startup.restore && startup.bundled);
    assert_eq!(startup.recovery, zonemap::ui::app::recovery_path());
    assert!(
        startup.recovery.is_some(),
        "no folder for the recovery file"
    );
}

#[test]
fn a_session_saved_in_eframes_storage_comes_back_with_its_edits() {
    let dir = tempdir();
    let mut first = window(shipped_in(&dir, Some(Lang::En)), None, WINDOW_SIZE);
    // An edit: the proposals, started from the zones, with 通安镇 moved into
    // 科技生态功能片区 through the window's own command.
    first.get_by_label("New proposals from the zones").click();
    first.run_steps(3);
    settle(&mut first);
    let (unit, zone) = {
        let app = first.state();
        let find = |key, name: &str| {
            let layer = app.session.layer(key).expect("layer");
            let i = layer
                .layer
                .features
                .iter()
                .position(|f| f.name == name)
                .unwrap_or_else(|| panic!("{name}"));
            FeatureRef {
                layer: key,
                feature: FeatureId(i as u32),
            }
        };
        let towns = app.session.layer_with_role(Role::Units).expect("towns").key;
        (
            find(towns, "通安镇"),
            find(
                app.session.proposals_key().expect("proposals"),
                "科技生态功能片区",
            ),
        )
    };
    first
        .state_mut()
        .push_command(Command::Edit(Edit::MoveUnit { unit, zone }));
    first.run_steps(3);
    settle(&mut first);
    let (generation, proposals) = {
        let app = first.state();
        let key = app.session.proposals_key().expect("proposals");
        (
            app.session.generation,
            app.session
                .layer(key)
                .expect("layer")
                .layer
                .features
                .clone(),
        )
    };
    assert!(generation > 0, "moving a unit is an edit");
    let mut storage = MemoryStorage::default();
    eframe::App::save(first.state_mut(), &mut storage);
    assert!(
        storage.0.contains_key("zonemap.project"),
        "{:?}",
        storage.0.keys()
    );
    drop(first);

    let second = window(shipped_in(&dir, None), Some(storage), WINDOW_SIZE);
    let app = second.state();
    assert!(app.session.errors.is_empty(), "{:?}", app.session.errors);
    // The language came back with the session, not from the system.
    assert_eq!(app.session.lang, Lang::En);
    let key = app
        .session
        .proposals_key()
        .expect("the proposals came back");
    let back = &app.session.layer(key).expect("layer").layer.features;
    assert_eq!(back.len(), proposals.len());
    for (a, b) in proposals.iter().zip(back) {
        assert_eq!((&a.id, &a.name), (&b.id, &b.name));
        assert_eq!(a.geometry, b.geometry, "{}", a.name);
    }
    assert!(app.session.layer_with_role(Role::Units).is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_session_that_cannot_be_read_is_said_and_kept() {
    let dir = tempdir();
    let broken = r#"{"format": "zonemap-project", "version": 1, "layers": [ {"#;
    let mut storage = MemoryStorage::default();
    storage
        .0
        .insert("zonemap.project".to_owned(), broken.to_owned());
    let harness = window(shipped_in(&dir, Some(Lang::En)), Some(storage), WINDOW_SIZE);
    let app = harness.state();
    let message = app
        .session
        .errors
        .iter()
        .find(|e| e.contains("the last session could not be read"))
        .unwrap_or_else(|| panic!("no word of it: {:?}", app.session.errors));
    assert!(message.contains("line 1"), "{message}");
    // Kept, word for word, where the message says.
    let kept: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("unreadable-session-"))
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        message.contains(&kept[0].display().to_string()),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&kept[0]).expect("kept"), broken);
    // The window still opened on the bundled data, and shows the message.
    assert!(app.session.layer_with_role(Role::Zones).is_some());
    assert!(
        harness
            .query_by_label_contains("the last session could not be read")
            .is_some()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_window_fits_at_its_size_and_its_minimum_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        for size in [WINDOW_SIZE, MIN_WINDOW_SIZE] {
            let dir = tempdir();
            let harness = window(shipped_in(&dir, Some(lang)), None, size);
            let t = lang.t();
            let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::Vec2::from(size));
            // Every widget showing `label` (the exact text, else containing it) lies in the
            // window.
            let inside = |label: &str| {
                let mut rects: Vec<egui::Rect> = harness
                    .query_all_by_label(label)
                    .map(|n| n.rect())
                    .collect();
                if rects.is_empty() {
                    rects = harness
                        .query_all_by_label_contains(label)
                        .map(|n| n.rect())
                        .collect();
                }
                assert!(!rects.is_empty(), "{lang:?} {size:?}: no {label:?}");
                for rect in rects {
                    assert!(
                        screen.expand(0.5).contains_rect(rect),
                        "{lang:?} {size:?}: {label:?} at {rect:?} is off the window"
                    );
                }
            };
            // The menu and the map are there at any size.
            inside(t.file);
            let map = harness.state().map_rect;
            assert!(
                map.width() >= 100.0 && map.height() >= 80.0,
                "{lang:?} {size:?}: the map is {map:?}"
            );
            assert!(screen.contains_rect(map), "{lang:?} {size:?}: {map:?}");
            // Nothing clipped (issue 17): the toolbar's buttons lie wholly over the map's
            // column (not under the side panels, where "Coverage map" was cut to "Coverag").
            let column = egui::Rect::from_x_y_ranges(map.x_range(), screen.y_range());
            for label in [
                t.zoom_all,
                t.zoom_layer,
                t.zoom_selection,
                t.coverage_table,
                t.coverage_map,
            ] {
                for node in harness
                    .query_all_by_label(label)
                    .filter(|n| n.rect().top() < map.top())
                {
                    assert!(
                        column.expand(0.5).contains_rect(node.rect()),
                        "{lang:?} {size:?}: the toolbar's {label:?} at {:?} is clipped by a \
                         panel (map {map:?})",
                        node.rect()
                    );
                }
            }
            if size == WINDOW_SIZE {
                // At the first size, the dock's tabs and the proposals' first button too.
                for label in [
                    t.tab_coverage,
                    t.tab_matrix,
                    t.tab_overlaps,
                    t.tab_pilots,
                    t.tab_scenario,
                    t.new_proposals,
                ] {
                    inside(label);
                }
                // The coverage figures: the totals sentence in the window's language.
                let totals = match lang {
                    Lang::En => "8/8 units covered",
                    Lang::Zh => "8/8 个镇(街道)有覆盖",
                };
                inside(totals);
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// The window over files or a project, in English, nothing restored.
fn opened(files: Vec<std::path::PathBuf>) -> Harness<'static, ZonemapApp> {
    let startup = Startup {
        files,
        lang: Some(Lang::En),
        restore: false,
        bundled: false,
        recovery: None,
    };
    window(startup, None, WINDOW_SIZE)
}

/// The key of the layer with this name.
fn layer_named(app: &ZonemapApp, name: &str) -> zonemap::session::layer::LayerKey {
    app.session
        .layers
        .iter()
        .find(|l| l.layer.name == name)
        .unwrap_or_else(|| panic!("no layer {name}"))
        .key
}

#[test]
fn a_project_moved_with_its_files_opens_the_same_in_the_window_and_the_command_line() {
    let home = tempdir();
    let first = home.join("plan");
    std::fs::create_dir_all(&first).expect("dir");
    // The user's own files beside the project: a big context layer first, so that it is
    // still loading in the background when the small ones are in.
    for (from, to) in [
        ("jiangsu-south-districts.geojson", "districts.geojson"),
        ("suzhou-gaoxin/zones.geojson", "zones.geojson"),
        ("suzhou-gaoxin/towns.geojson", "towns.geojson"),
    ] {
        std::fs::copy(crate::util::data(from), first.join(to)).expect("copied");
    }
    let files: Vec<_> = ["districts", "zones", "towns"]
        .iter()
        .map(|n| first.join(format!("{n}.geojson")))
        .collect();
    let mut harness = opened(files);
    let (zones, towns) = {
        let app = harness.state();
        (layer_named(app, "zones"), layer_named(app, "towns"))
    };
    for command in [
        Command::SetRole(zones, Role::Zones),
        Command::SetRole(towns, Role::Units),
        Command::SetCoverageLayer(Role::Zones, zones),
        Command::SetCoverageLayer(Role::Units, towns),
    ] {
        harness.state_mut().push_command(command);
    }
    harness.run_steps(3);
    settle(&mut harness);
    let saved = first.join("plan.zonemap");
    harness
        .state_mut()
        .push_command(Command::SaveProject(Some(saved.clone())));
    harness.run_steps(3);
    assert!(saved.exists(), "{:?}", harness.state().session.errors);
    let text = std::fs::read_to_string(&saved).expect("saved");
    // Paths relative to the project, so the folder can travel.
    for name in ["districts", "zones", "towns"] {
        assert!(
            text.contains(&format!(r#"{{"File":"{name}.geojson"}}"#)),
            "{name}: {text}"
        );
    }
    let report = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed")
        .report
        .clone();
    drop(harness);

    // The folder moves (sent to a colleague); the project still opens.
    let moved = home.join("sent");
    std::fs::rename(&first, &moved).expect("moved");
    let project = moved.join("plan.zonemap");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .args(["report", "--format", "json", "--project"])
        .arg(&project)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let expected = serde_json::to_value(&report).expect("serialises");
    for key in [
        "zones",
        "units",
        "overlaps",
        "coverage",
        "zone_overlaps",
        "pilots",
    ] {
        assert_eq!(cli[key], expected[key], "{key}");
    }
    // In the window: the three layers load in the background, in whatever order they finish,
    // and the coverage takes the zones and the towns, as saved.
    let reopened = opened(vec![project]);
    let app = reopened.state();
    assert!(app.session.errors.is_empty(), "{:?}", app.session.errors);
    assert_eq!(app.session.layers.len(), 3);
    let name_of = |role| {
        let key = app
            .session
            .coverage_choice
            .resolve(&app.session.layers, role)
            .expect("chosen");
        app.session.layer(key).expect("layer").layer.name.clone()
    };
    assert_eq!(
        (name_of(Role::Zones), name_of(Role::Units)),
        ("zones".to_owned(), "towns".to_owned())
    );
    let again = serde_json::to_value(&app.session.current_analysis().expect("analysed").report)
        .expect("serialises");
    for key in [
        "zones",
        "units",
        "overlaps",
        "coverage",
        "zone_overlaps",
        "pilots",
    ] {
        assert_eq!(again[key], expected[key], "{key}");
    }
    let _ = std::fs::remove_dir_all(&home);
}
