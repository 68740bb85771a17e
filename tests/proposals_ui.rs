//! Proposals in the real window, driven through egui_kittest: draw a zone by clicks, merge two
//! towns, undo and redo from the keyboard, move a unit, drag a vertex as one step, cut a zone
//! along a line, compare before and after, save and reopen a project, and restore edits after
//! the process was killed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::accesskit::Role as A11y;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::{Coord, InteriorPoint};
use geographiclib_rs::{Geodesic, PolygonArea, Winding};
use zonemap::core::measure::geodesic_area_sum;
use zonemap::core::{Feature, Role};
use zonemap::session::layer::{FeatureRef, MapLayer};
use zonemap::ui::{Lang, Startup, ZonemapApp};

use crate::proposals::tempdir;
use crate::ui::{click_at, harness, harness_with, layer_key, settle, startup};

/// GeographicLib's area of a ring (lon/lat, open or closed), in m².
fn geographiclib_area(ring: &[Coord<f64>]) -> f64 {
    let g = Geodesic::wgs84();
    let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
    let n = if ring.len() > 1 && ring.first() == ring.last() {
        ring.len() - 1
    } else {
        ring.len()
    };
    for c in &ring[..n] {
        pa.add_point(c.y, c.x);
    }
    pa.compute(false).1.abs()
}

fn proposals<'a>(harness: &'a Harness<'static, ZonemapApp>) -> &'a MapLayer {
    let app = harness.state();
    let key = app
        .session
        .proposals_key()
        .unwrap_or_else(|| panic!("a proposals layer; errors: {:?}", app.session.errors));
    app.session.layer(key).expect("open")
}

fn named<'a>(layer: &'a MapLayer, name: &str) -> (zonemap::core::FeatureId, &'a Feature) {
    let i = layer
        .layer
        .features
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} is in {}", layer.layer.name));
    (zonemap::core::FeatureId(i as u32), &layer.layer.features[i])
}

fn area_of(layer: &MapLayer, name: &str) -> f64 {
    layer.area(named(layer, name).0).m2
}

/// Where on screen a point inside the named feature of the layer with this role is.
fn inside(harness: &Harness<'static, ZonemapApp>, role: Role, name: &str) -> Pos2 {
    let app = harness.state();
    let layer = app.session.layer_with_role(role).expect("layer");
    let (id, f) = named(layer, name);
    let target = FeatureRef {
        layer: layer.key,
        feature: id,
    };
    let p = app.screen_pos(f.polygons()[0].interior_point().expect("a point inside").0);
    // A point a click picks the feature at: off the labels and outlines of the zones over it
    // (issue 17), searched outwards from the interior point.
    (0..400)
        .map(|i| {
            let (r, a) = (
                (i / 8) as f32 * 3.0,
                (i % 8) as f32 * std::f32::consts::FRAC_PI_4,
            );
            p + egui::vec2(r * a.cos(), r * a.sin())
        })
        .find(|q| app.pick_at(*q).first() == Some(&target))
        .unwrap_or_else(|| panic!("no point of {name} picks it"))
}

fn press(harness: &mut Harness<'static, ZonemapApp>, modifiers: Modifiers, key: Key) {
    harness.key_combination_modifiers(modifiers, &[key]);
    harness.run_steps(3);
}

/// Drags with the primary button from `from` to `to`, in steps, then releases.
fn drag(harness: &mut Harness<'static, ZonemapApp>, from: Pos2, to: Pos2) {
    harness.event(Event::PointerMoved(from));
    harness.step();
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for i in 1..=6 {
        let p = from + (to - from) * (i as f32 / 6.0);
        harness.event(Event::PointerMoved(p));
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run_steps(3);
}

/// Selects two towns from the map: a click inside a town picks the town, not the zone drawn
/// over it (issue 17); Shift adds.
fn select_two_towns(harness: &mut Harness<'static, ZonemapApp>, a: &str, b: &str) {
    let pa = inside(harness, Role::Units, a);
    click_at(harness, pa, Modifiers::NONE);
    let pb = inside(harness, Role::Units, b);
    click_at(harness, pb, Modifiers::SHIFT);
    let app = harness.state();
    let names: Vec<&str> = app
        .session
        .selection
        .iter()
        .map(|f| app.session.feature(*f).expect("selected").name.as_str())
        .collect();
    assert_eq!(names, [a, b]);
}

/// The towns' centre, in lon/lat.
fn towns_centre(harness: &Harness<'static, ZonemapApp>) -> Coord<f64> {
    harness
        .state()
        .session
        .layer_with_role(Role::Units)
        .and_then(|l| l.layer.bbox())
        .expect("towns")
        .center()
}

/// Picks the Draw tool and Shift-clicks the corners (Shift: no snapping to the towns' edges,
/// so the corners are where we clicked); the outline is left open.
fn click_outline(harness: &mut Harness<'static, ZonemapApp>, corners: &[Coord<f64>]) {
    harness.get_by_label("Draw").click();
    harness.run_steps(2);
    for &p in corners {
        let pos = harness.state().screen_pos(p);
        click_at(harness, pos, Modifiers::SHIFT);
    }
}

#[test]
fn drawing_a_polygon_by_clicks_gives_its_geodesic_area() {
    let mut harness = harness(Lang::En);
    let c = towns_centre(&harness);
    let wanted =
        [(-0.03, -0.02), (0.03, -0.02), (0.035, 0.025), (-0.02, 0.03)].map(|(dx, dy)| Coord {
            x: c.x + dx,
            y: c.y + dy,
        });
    click_outline(&mut harness, &wanted);
    // The live figure is GeographicLib's area of the outline drawn so far (with the point
    // under the pointer).
    let (mut preview, cursor) = {
        let tools = &harness.state().tools;
        (
            tools.points.clone(),
            tools.cursor.expect("pointer on the map").0,
        )
    };
    assert_eq!(preview.len(), 4);
    preview.push(cursor);
    let live_km2 = geographiclib_area(&preview) / 1e6;
    let live = format!("{live_km2:.3} km²");
    assert!(
        harness.query_by_label_contains(&live).is_some(),
        "the map shows {live} while drawing"
    );
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    settle(&mut harness);

    let layer = proposals(&harness);
    let (id, drawn) = named(layer, "Planned area P1");
    let ring = drawn.polygons()[0].exterior().0.clone();
    assert_eq!(ring.len(), 5, "four corners, closed");
    for w in &wanted {
        assert!(
            ring.iter()
                .any(|c| (c.x - w.x).abs() < 1e-6 && (c.y - w.y).abs() < 1e-6),
            "a corner at {w:?}"
        );
    }
    let expected = geographiclib_area(&ring);
    assert!(expected > 20e6, "about 5.7 × 5.5 km");
    let got = layer.area(id).m2;
    assert!(
        (got / expected - 1.0).abs() < 1e-6,
        "{got} m² against GeographicLib's {expected} m²"
    );
    // The new zone is selected, and the selection panel shows its area.
    let app = harness.state();
    assert_eq!(
        app.session.selection,
        [FeatureRef {
            layer: layer.key,
            feature: id
        }]
    );
    assert!(
        harness
            .query_all_by_label_contains(&format!("{:.3}", expected / 1e6))
            .next()
            .is_some()
    );
}

#[test]
fn merging_two_selected_towns_then_undo_and_redo() {
    let mut harness = harness(Lang::En);
    let towns_area = |h: &Harness<'static, ZonemapApp>, name: &str| {
        area_of(
            h.state()
                .session
                .layer_with_role(Role::Units)
                .expect("towns"),
            name,
        )
    };
    let (a, b) = (
        towns_area(&harness, "狮山街道"),
        towns_area(&harness, "枫桥街道"),
    );
    let zone_before = area_of(
        harness
            .state()
            .session
            .layer_with_role(Role::Zones)
            .expect("zones"),
        "狮山横塘功能片区",
    );
    select_two_towns(&mut harness, "狮山街道", "枫桥街道");
    assert!(
        harness
            .query_by_label_contains("Merge into one new zone")
            .is_some()
    );
    harness.get_by_role_and_label(A11y::Button, "Merge").click();
    harness.run_steps(3);
    settle(&mut harness);

    let merged_state = |h: &Harness<'static, ZonemapApp>| {
        let layer = proposals(h);
        (
            layer.layer.features.len(),
            layer
                .layer
                .features
                .iter()
                .any(|f| f.name == "狮山街道+枫桥街道"),
        )
    };
    let layer = proposals(&harness);
    let (_, merged) = named(layer, "狮山街道+枫桥街道");
    let merged_area = area_of(layer, "狮山街道+枫桥街道");
    assert!(
        (merged_area / (a + b) - 1.0).abs() < 1e-6,
        "{merged_area} vs {}",
        a + b
    );
    assert_eq!(
        merged.properties["members"],
        serde_json::json!(["320505002", "320505003"])
    );
    assert_eq!(merged.polygons().len(), 1, "one polygon, no slivers");
    // The towns left the zone that held them.
    let zone_after = area_of(layer, "狮山横塘功能片区");
    assert!(((zone_before - zone_after) / (a + b) - 1.0).abs() < 1e-6);
    assert_eq!(merged_state(&harness), (5, true));

    // Undo from the keyboard: back to the copy of the zones.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(merged_state(&harness), (4, false));
    assert_eq!(
        area_of(proposals(&harness), "狮山横塘功能片区"),
        zone_before
    );
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(merged_state(&harness), (5, true));
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(merged_state(&harness), (4, false));
    press(&mut harness, Modifiers::COMMAND, Key::Y);
    assert_eq!(merged_state(&harness), (5, true));
    // And from the panel's buttons.
    harness.get_by_role_and_label(A11y::Button, "Undo").click();
    harness.run_steps(2);
    assert_eq!(merged_state(&harness), (4, false));
    harness.get_by_role_and_label(A11y::Button, "Redo").click();
    harness.run_steps(2);
    assert_eq!(merged_state(&harness), (5, true));
    // The coverage reruns on the edited layer: both towns are now fully in the new zone only.
    settle(&mut harness);
    let app = harness.state();
    let result = app.session.current_analysis().expect("analysis");
    assert_eq!(
        result.inputs.zones,
        app.session.proposals_key().expect("proposals")
    );
    for town in ["狮山街道", "枫桥街道"] {
        let row = result
            .report
            .units
            .iter()
            .find(|u| u.name == town)
            .expect("a row");
        assert_eq!(row.zones, ["狮山街道+枫桥街道"]);
    }
}

#[test]
fn moving_a_unit_changes_both_zones_and_shows_in_the_scenario() {
    let mut harness = harness(Lang::En);
    let unit = area_of(
        harness
            .state()
            .session
            .layer_with_role(Role::Units)
            .expect("towns"),
        "通安镇",
    );
    let zones = harness
        .state()
        .session
        .layer_with_role(Role::Zones)
        .expect("zones");
    let (to_before, from_before) = (
        area_of(zones, "科技生态功能片区"),
        area_of(zones, "浒通功能片区"),
    );
    let p = inside(&harness, Role::Units, "通安镇");
    click_at(&mut harness, p, Modifiers::NONE);
    crate::coverage_ui::pick(&mut harness, "Move into zone", "科技生态功能片区");
    harness.get_by_role_and_label(A11y::Button, "Move").click();
    harness.run_steps(3);
    settle(&mut harness);

    let layer = proposals(&harness);
    let to_after = area_of(layer, "科技生态功能片区");
    let from_after = area_of(layer, "浒通功能片区");
    assert!(((to_after - to_before) / unit - 1.0).abs() < 1e-6);
    assert!(((from_before - from_after) / unit - 1.0).abs() < 1e-6);

    // The scenario tab compares the zones layer with the proposals.
    harness.get_by_label("Scenario").click();
    let start = Instant::now();
    while harness.query_by_label_contains("通安镇: ").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the scenario never showed the moved unit"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("通安镇: 浒通功能片区 → 科技生态功能片区")
            .is_some()
    );
    let change = format!("{:+.3}", unit / 1e6);
    assert!(
        harness.query_by_label(&change).is_some(),
        "the zone that took it grew by {change} km²"
    );
}

#[test]
fn a_vertex_drag_is_one_undoable_step_and_a_crossing_is_refused() {
    let mut harness = harness(Lang::En);
    let c = towns_centre(&harness);
    let at = |dx: f64, dy: f64| Coord {
        x: c.x + dx,
        y: c.y + dy,
    };
    let corners = [
        at(-0.02, -0.02),
        at(0.02, -0.02),
        at(0.02, 0.02),
        at(-0.02, 0.02),
    ];
    click_outline(&mut harness, &corners);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let ring = |h: &Harness<'static, ZonemapApp>| {
        named(proposals(h), "Planned area P1").1.polygons()[0]
            .exterior()
            .0
            .clone()
    };
    let square = ring(&harness);
    let steps_before = harness.state().session.generation;

    harness
        .get_by_role_and_label(A11y::Button, "Vertices")
        .click();
    harness.run_steps(2);
    // Drag the north-east corner 40 points up, in several moves: one step.
    let from = harness.state().screen_pos(corners[2]);
    drag(&mut harness, from, from + egui::vec2(0.0, -40.0));
    assert_eq!(
        harness.state().session.generation,
        steps_before + 1,
        "one step"
    );
    let moved = ring(&harness);
    assert_eq!(moved.len(), 5);
    let ne = moved
        .iter()
        .copied()
        .max_by(|a, b| (a.x + a.y).total_cmp(&(b.x + b.y)))
        .expect("points");
    assert!(ne.y > corners[2].y + 1e-4, "the corner moved north");
    // Dragging it across the south side would make the outline cross itself: refused.
    let from = harness.state().screen_pos(ne);
    let across = harness.state().screen_pos(at(0.0, -0.04));
    drag(&mut harness, from, across);
    assert_eq!(
        harness.state().session.generation,
        steps_before + 1,
        "refused"
    );
    assert_eq!(ring(&harness), moved);
    assert!(
        harness
            .state()
            .session
            .errors
            .iter()
            .any(|e| e.contains("Edit refused") && e.contains("self-intersection")),
        "{:?}",
        harness.state().session.errors
    );
    // Right-clicking a corner removes it; a midpoint dragged out adds one.
    let sw = harness.state().screen_pos(corners[0]);
    harness.event(Event::PointerMoved(sw));
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos: sw,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    harness.run_steps(2);
    let triangle = ring(&harness);
    assert_eq!(triangle.len(), 4, "a triangle");
    let mid = Coord {
        x: (triangle[0].x + triangle[1].x) / 2.0,
        y: (triangle[0].y + triangle[1].y) / 2.0,
    };
    let from = harness.state().screen_pos(mid);
    let outward = (from - harness.state().screen_pos(c)).normalized() * 30.0;
    drag(&mut harness, from, from + outward);
    let four = ring(&harness);
    assert_eq!(four.len(), 5, "a vertex added on the edge");
    assert!(!four.contains(&mid), "and pulled outwards");
    // One undo per step, each drag included.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(ring(&harness), triangle);
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(ring(&harness), moved);
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(ring(&harness), square);
}

#[test]
fn a_line_across_a_zone_cuts_it_into_parts_that_add_up() {
    let mut harness = harness(Lang::En);
    harness
        .get_by_role_and_label(A11y::Button, "New proposals from the zones")
        .click();
    harness.run_steps(3);
    settle(&mut harness);
    let whole = area_of(proposals(&harness), "浒通功能片区");
    // Select the proposal (the top layer now), then draw a line across it, west to east.
    let p = inside(&harness, Role::Zones, "浒通功能片区");
    click_at(&mut harness, p, Modifiers::NONE);
    let zone = named(proposals(&harness), "浒通功能片区").1.clone();
    let bbox = zone.bbox.expect("bbox");
    let y = zone.polygons()[0].interior_point().expect("inside").y();
    harness.get_by_label("Split").click();
    harness.run_steps(2);
    for x in [bbox.min().x - 0.01, bbox.max().x + 0.01] {
        let pos = harness.state().screen_pos(Coord { x, y });
        click_at(&mut harness, pos, Modifiers::SHIFT);
    }
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let layer = proposals(&harness);
    let parts: Vec<&Feature> = layer
        .layer
        .features
        .iter()
        .filter(|f| f.name.starts_with("浒通功能片区 "))
        .collect();
    // As many parts as the core's split of the same zone along the same line makes, named
    // "… 1", "… 2", … from north to south.
    let line = [
        Coord {
            x: bbox.min().x - 0.01,
            y,
        },
        Coord {
            x: bbox.max().x + 0.01,
            y,
        },
    ];
    let expected = zonemap::core::proposal::split(&zone, &line).expect("cuts");
    assert!(expected.len() >= 2);
    assert_eq!(parts.len(), expected.len());
    let names: Vec<&str> = parts.iter().map(|f| f.name.as_str()).collect();
    let wanted: Vec<String> = (1..=parts.len())
        .map(|i| format!("浒通功能片区 {i}"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.rsplit(' ').next().and_then(|k| k.parse::<usize>().ok()));
    assert_eq!(sorted, wanted);
    let lat = |name: &str| {
        use geo::Centroid;
        named(layer, name).1.polygons()[0]
            .centroid()
            .expect("centroid")
            .y()
    };
    for pair in wanted.windows(2) {
        assert!(
            lat(&pair[0]) > lat(&pair[1]),
            "{} north of {}",
            pair[0],
            pair[1]
        );
    }
    // The whole: reference_areas.py "// zones", 88,851,247.258 m².
    assert!((whole - 88_851_247.258).abs() < 2.0, "{whole}");
    let sum: f64 = parts
        .iter()
        .map(|f| geodesic_area_sum(f.polygons()).m2)
        .sum();
    assert!((sum / whole - 1.0).abs() < 1e-8, "{sum} vs {whole}");
    assert!(
        !layer
            .layer
            .features
            .iter()
            .any(|f| f.name == "浒通功能片区")
    );
}

#[test]
fn a_saved_project_reopens_with_its_proposals_and_the_cli_reads_it() {
    let dir = tempdir();
    let path = dir.join("plan.zonemap");
    let mut harness = harness(Lang::En);
    select_two_towns(&mut harness, "狮山街道", "枫桥街道");
    harness.get_by_role_and_label(A11y::Button, "Merge").click();
    harness.run_steps(3);
    settle(&mut harness);
    // File > Save project to: a typed path (for systems without a file dialog).
    harness.get_by_label("File").click();
    harness.run_steps(2);
    // A click into the field, as a person would: the menu stays open.
    harness
        .get_by_role_and_label(A11y::TextInput, "Save project to:")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(A11y::TextInput, "Save project to:")
        .type_text(&path.display().to_string());
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(path.exists(), "{:?}", harness.state().session.errors);
    assert_eq!(
        harness.state().session.project_path.as_deref(),
        Some(path.as_path())
    );
    let saved: Vec<Feature> = proposals(&harness).layer.features.clone();
    let report = harness
        .state()
        .session
        .current_analysis()
        .expect("analysis")
        .report
        .clone();

    let mut reopened = harness_with(Startup {
        files: vec![path.clone()],
        bundled: false,
        ..startup(Lang::En)
    });
    settle(&mut reopened);
    let layer = proposals(&reopened);
    assert_eq!(layer.layer.features.len(), saved.len());
    for (a, b) in saved.iter().zip(&layer.layer.features) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.name, b.name);
        assert_eq!(a.properties, b.properties);
        assert_eq!(a.geometry, b.geometry);
    }
    assert_eq!(
        reopened.state().session.project_path.as_deref(),
        Some(path.as_path())
    );
    assert_eq!(
        reopened
            .state()
            .session
            .current_analysis()
            .expect("analysis")
            .report,
        report
    );
    // The command line reads the same file and says the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .args(["report", "--format", "json", "--project"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(cli, serde_json::to_value(&report).expect("serialises"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .arg("diff")
        .arg(&path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("狮山街道: 狮山横塘功能片区 -> 狮山街道+枫桥街道"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

const RECOVERY_ENV: &str = "ZONEMAP_TEST_RECOVERY_FILE";

/// The child half of the recovery test: edits, waits for the autosave, then keeps running
/// until the parent kills it. Not a test on its own.
#[test]
#[ignore = "run by the_next_start_restores_edits_of_a_killed_process"]
fn recovery_child_edits_until_killed() {
    let path = std::env::var_os(RECOVERY_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
                "the child half of the_next_start_restores_edits_of_a_killed_process: run by it, with {RECOVERY_ENV} set"
            )
        });
    let mut harness = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    select_two_towns(&mut harness, "狮山街道", "枫桥街道");
    harness.get_by_role_and_label(A11y::Button, "Merge").click();
    harness.run_steps(3);
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        harness.step();
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_next_start_restores_edits_of_a_killed_process() {
    let dir = tempdir();
    let path = dir.join("recovery.zonemap");
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "proposals_ui::recovery_child_edits_until_killed",
            "--ignored",
            "--test-threads=1",
        ])
        .env(RECOVERY_ENV, &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("child.log")).expect("log"))
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !path.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().expect("killed");
    let _ = child.wait();
    assert!(
        path.exists(),
        "the child autosaved no edits before it was killed; its output:\n{}",
        std::fs::read_to_string(dir.join("child.log")).unwrap_or_default()
    );

    let mut harness = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    assert!(harness.state().session.proposals_key().is_none());
    assert!(
        harness
            .query_by_label_contains("Unsaved edits from the last session")
            .is_some()
    );
    harness
        .get_by_role_and_label(A11y::Button, "Restore")
        .click();
    harness.run_steps(3);
    settle(&mut harness);
    let layer = proposals(&harness);
    let (_, merged) = named(layer, "狮山街道+枫桥街道");
    assert_eq!(
        merged.properties["members"],
        serde_json::json!(["320505002", "320505003"])
    );
    // Still unsaved: the title says so, and saving removes the recovery file.
    assert_ne!(harness.state().session.generation, 0);
    let project = dir.join("restored.zonemap");
    harness
        .state_mut()
        .push_command(zonemap::session::command::Command::SaveProject(Some(
            project.clone(),
        )));
    harness.run_steps(2);
    assert!(project.exists());
    assert!(!path.exists(), "saved: no recovery file left");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_proposal_is_renamed_given_a_property_and_deleted_from_the_panel() {
    let mut harness = harness(Lang::En);
    harness
        .get_by_role_and_label(A11y::Button, "New proposals from the zones")
        .click();
    harness.run_steps(3);
    let p = inside(&harness, Role::Zones, "太湖科学城");
    click_at(&mut harness, p, Modifiers::NONE);
    let name = harness.get_by_role_and_label(A11y::TextInput, "Name");
    name.focus();
    harness.run_steps(1);
    harness.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    harness
        .get_by_role_and_label(A11y::TextInput, "Name")
        .type_text("太湖科学城（一期）");
    harness.run_steps(1);
    harness
        .get_by_role_and_label(A11y::Button, "Rename")
        .click();
    harness.run_steps(3);
    let (id, renamed) = named(proposals(&harness), "太湖科学城（一期）");
    assert_eq!(renamed.properties["name"], "太湖科学城（一期）");
    for (field, text) in [("Field", "phase"), ("Value", "1")] {
        harness
            .get_by_role_and_label(A11y::TextInput, field)
            .focus();
        harness.run_steps(1);
        harness
            .get_by_role_and_label(A11y::TextInput, field)
            .type_text(text);
        harness.run_steps(1);
    }
    harness.get_by_role_and_label(A11y::Button, "Set").click();
    harness.run_steps(3);
    let layer = proposals(&harness);
    assert_eq!(layer.feature(id).expect("kept").properties["phase"], 1.0);
    let count = layer.layer.features.len();
    harness
        .get_by_role_and_label(A11y::Button, "Delete")
        .click();
    harness.run_steps(3);
    let layer = proposals(&harness);
    assert_eq!(layer.layer.features.len(), count - 1);
    let names: Vec<&str> = layer
        .layer
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with("太湖科学城")),
        "{names:?}"
    );
    // Three steps, each undone on its own.
    for expected in ["太湖科学城（一期）", "太湖科学城（一期）", "太湖科学城"]
    {
        press(&mut harness, Modifiers::COMMAND, Key::Z);
        assert!(
            proposals(&harness)
                .layer
                .features
                .iter()
                .any(|f| f.name == expected),
            "{expected}"
        );
    }
    assert!(
        !named(proposals(&harness), "太湖科学城")
            .1
            .properties
            .contains_key("phase")
    );
}

#[test]
fn any_polygon_layer_can_be_edited_as_proposals_and_stays_as_it_was() {
    let mut harness = harness(Lang::En);
    let towns = layer_key(&harness, Role::Units);
    let mut buttons: Vec<_> = harness
        .get_all_by_role_and_label(A11y::Button, "Edit as proposals")
        .collect();
    assert_eq!(buttons.len(), 4, "one per polygon layer");
    buttons.sort_by(|a, b| a.rect().top().total_cmp(&b.rect().top()));
    // The second layer in the list is the towns (its button may lie below the layers'
    // scrolled view: pressed as assistive technology would).
    buttons[1].click_accesskit();
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.session.proposals_base, Some(towns));
    let layer = proposals(&harness);
    let names: Vec<&str> = layer
        .layer
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    let source: Vec<&str> = app
        .session
        .layer(towns)
        .expect("still open")
        .layer
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, source);
    assert!(
        !app.session.layer(towns).expect("open").style.visible,
        "hidden under the copy"
    );
    assert!(
        harness
            .query_all_by_role_and_label(A11y::Button, "Edit as proposals")
            .next()
            .is_none(),
        "one proposals layer at a time"
    );
    assert!(harness.query_by_label("editable: the proposals").is_some());
}

#[test]
fn a_clean_restart_keeps_unsaved_edits_without_offering_them_twice() {
    let dir = tempdir();
    let path = dir.join("recovery.zonemap");
    let mut harness = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    select_two_towns(&mut harness, "狮山街道", "枫桥街道");
    harness.get_by_role_and_label(A11y::Button, "Merge").click();
    harness.run_steps(3);
    assert!(path.exists(), "autosaved at once");
    // What eframe keeps when the window closes.
    let session = harness.state().project();
    let recovery = Startup {
        recovery: Some(path.clone()),
        restore: true,
        ..startup(Lang::En)
    };
    let ctx = egui::Context::default();
    let restarted = ZonemapApp::with_session(&ctx, recovery.clone(), Some(session));
    assert!(
        restarted.session.recovery_offer.is_none(),
        "the session is the recovery"
    );
    assert_ne!(restarted.session.generation, 0, "still unsaved");
    assert!(restarted.session.proposals_key().is_some());
    // After a crash the stored session is older than the recovery file: it is offered.
    let older = {
        let fresh = harness_with(startup(Lang::En));
        fresh.state().project()
    };
    let crashed = ZonemapApp::with_session(&ctx, recovery, Some(older));
    assert!(crashed.session.recovery_offer.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Vertices (lon/lat and on screen) and edges (on screen) of what the map shows.
type OnScreen = (Vec<(Coord<f64>, Pos2)>, Vec<[Pos2; 2]>);

/// Every visible vertex on the map, with where it is on screen, and every visible edge.
fn on_screen(harness: &Harness<'static, ZonemapApp>) -> OnScreen {
    let app = harness.state();
    let mut vertices = Vec::new();
    let mut edges = Vec::new();
    for layer in app.session.layers.iter().filter(|l| l.style.visible) {
        for f in &layer.layer.features {
            for p in f.polygons() {
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    let pts: Vec<(Coord<f64>, Pos2)> =
                        ring.0.iter().map(|&c| (c, app.screen_pos(c))).collect();
                    for w in pts.windows(2) {
                        edges.push([w[0].1, w[1].1]);
                    }
                    vertices.extend(pts);
                }
            }
        }
    }
    (vertices, edges)
}

fn to_segment(p: Pos2, [a, b]: [Pos2; 2]) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a + ab * t).distance(p)
}

/// The last point the Draw tool placed, on screen.
fn last_placed(harness: &Harness<'static, ZonemapApp>) -> (Coord<f64>, Pos2) {
    let app = harness.state();
    let c = *app.tools.points.last().expect("a point placed");
    (c, app.screen_pos(c))
}

#[test]
fn a_click_snaps_to_a_vertex_else_an_edge_within_8_px_and_not_beyond() {
    // At 1 and at 2 pixels per point (a HiDPI screen): the radius is in points.
    for pixels_per_point in [1.0, 2.0] {
        let startup = startup(Lang::En);
        let mut harness = Harness::builder()
            .with_size([1400.0, 900.0])
            .with_pixels_per_point(pixels_per_point)
            .build_eframe(move |cc| ZonemapApp::new(cc, startup));
        settle(&mut harness);
        snapping_at(&mut harness);
    }
}

fn snapping_at(harness: &mut Harness<'static, ZonemapApp>) {
    harness.get_by_label("Draw").click();
    harness.run_steps(2);
    let (vertices, edges) = on_screen(harness);
    let map = harness.state().map_rect.shrink(30.0);
    let nearest_vertex = |p: Pos2, but: Option<Coord<f64>>| {
        vertices
            .iter()
            .filter(|(c, _)| Some(*c) != but)
            .map(|(_, s)| s.distance(p))
            .fold(f32::INFINITY, f32::min)
    };
    let nearest_edge = |p: Pos2| {
        edges
            .iter()
            .map(|&e| to_segment(p, e))
            .fold(f32::INFINITY, f32::min)
    };

    // 6 px from a vertex with no other vertex within 16 px: the point is that vertex, bit for
    // bit (a 4 px radius would miss it).
    let (vertex, at) = *vertices
        .iter()
        .find(|(c, s)| map.contains(*s) && nearest_vertex(*s, Some(*c)) > 16.0)
        .expect("a lone vertex");
    let click = at + egui::vec2(6.0, 0.0);
    click_at(harness, click, Modifiers::NONE);
    assert_eq!(last_placed(harness).0, vertex, "snapped to the vertex");

    // With Shift, the same click stays where it is.
    click_at(harness, click, Modifiers::SHIFT);
    let (c, s) = last_placed(harness);
    assert_ne!(c, vertex);
    assert!(s.distance(click) < 0.01, "{s:?} for a click at {click:?}");

    // 3 px off the middle of a long edge, no vertex within 12 px: on the edge.
    let (edge_click, _) = edges
        .iter()
        .filter(|[a, b]| a.distance(*b) > 80.0)
        .map(|&[a, b]| {
            let normal = (b - a).normalized().rot90();
            (a + (b - a) * 0.5 + normal * 3.0, [a, b])
        })
        .find(|(p, _)| map.contains(*p) && nearest_vertex(*p, None) > 12.0)
        .expect("a long edge");
    click_at(harness, edge_click, Modifiers::NONE);
    let (_, s) = last_placed(harness);
    assert!(
        nearest_edge(s) < 0.05,
        "{s:?} is {} px off every edge",
        nearest_edge(s)
    );
    assert!((s.distance(edge_click) - 3.0).abs() < 0.1);

    // 10.5 px from the nearest edge and farther from any vertex: beyond the 8 px radius (a
    // 12 px one would take it), so the point stays where it was clicked.
    let far = edges
        .iter()
        .filter(|[a, b]| a.distance(*b) > 80.0)
        .flat_map(|&[a, b]| {
            let normal = (b - a).normalized().rot90();
            let m = a + (b - a) * 0.5;
            [m + normal * 10.5, m - normal * 10.5]
        })
        .find(|p| {
            map.contains(*p)
                && (9.5..11.5).contains(&nearest_edge(*p))
                && nearest_vertex(*p, None) > 12.0
        })
        .expect("a point 10.5 px from an edge");
    click_at(harness, far, Modifiers::NONE);
    let (_, s) = last_placed(harness);
    assert!(s.distance(far) < 0.01, "{s:?} moved from {far:?}");
    assert_eq!(harness.state().tools.points.len(), 4);
}

#[test]
fn discarding_the_recovery_offer_removes_it_and_an_unreadable_one_is_said() {
    let dir = tempdir();
    let path = dir.join("recovery.zonemap");
    let mut harness = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    select_two_towns(&mut harness, "狮山街道", "枫桥街道");
    harness.get_by_role_and_label(A11y::Button, "Merge").click();
    harness.run_steps(3);
    assert!(path.exists(), "autosaved at once");
    drop(harness);
    // A start after a crash offers it; Discard removes the file and the offer, for good.
    let mut offered = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    assert!(offered.state().session.recovery_offer.is_some());
    offered
        .get_by_role_and_label(A11y::Button, "Discard")
        .click();
    offered.run_steps(3);
    assert!(offered.state().session.recovery_offer.is_none());
    assert!(
        offered.state().session.proposals_key().is_none(),
        "nothing restored"
    );
    assert!(!path.exists(), "the recovery file is gone");
    drop(offered);
    let again = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    assert!(again.state().session.recovery_offer.is_none());
    drop(again);
    // A recovery file that cannot be read is said, in the error bar, naming it.
    std::fs::write(&path, "{ not a project").expect("written");
    let unreadable = harness_with(Startup {
        recovery: Some(path.clone()),
        ..startup(Lang::En)
    });
    let errors = &unreadable.state().session.errors;
    assert!(
        errors
            .iter()
            .any(|e| e.contains("cannot read the recovery file") && e.contains("recovery.zonemap")),
        "{errors:?}"
    );
    assert!(path.exists(), "kept for the user to look at");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Dissolve by field from the layers panel: the dialog picks the field that groups, the result
/// is a new layer on the map, and the list of what it made says gaps and overlaps.
#[test]
fn dissolve_by_field_from_the_layers_panel() {
    let mut harness = harness(Lang::En);
    let before = harness.state().session.layers.len();
    let mut buttons: Vec<_> = harness
        .get_all_by_role_and_label(A11y::Button, "Dissolve by field…")
        .collect();
    assert_eq!(buttons.len(), 4, "one per polygon layer");
    buttons.sort_by(|a, b| a.rect().top().total_cmp(&b.rect().top()));
    // The last layer in the list is the districts (22, each with its city).
    buttons[3].click_accesskit();
    harness.run_steps(4);
    assert_eq!(
        harness.state().dissolve.field,
        "city",
        "the field that groups"
    );
    harness
        .get_by_role_and_label(A11y::Button, "Dissolve")
        .click_accesskit();
    harness.run_steps(4);
    let app = harness.state();
    assert_eq!(app.session.layers.len(), before + 1);
    let report = app.session.dissolve_report.as_ref().expect("a report");
    assert_eq!(report.groups.len(), 3);
    harness.get_by_label_contains("Gaps between members: 0");
    harness.get_by_label_contains("Overlaps between members: 0");
    // Undo from the Edit menu's shortcut takes the layer out again.
    harness
        .state_mut()
        .push_command(zonemap::session::Command::Undo);
    harness.run_steps(3);
    assert_eq!(harness.state().session.layers.len(), before);
}
