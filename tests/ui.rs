//! The real window, driven headless through egui_kittest: open it on the bundled data, select
//! from the map and from the layer list, and check what the selection panel says against the
//! core's own figures.

use std::time::Duration;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use geo::InteriorPoint;
use zonemap::core::Role;
use zonemap::core::measure::geodesic_area_sum;
use zonemap::core::project::Project;
use zonemap::core::topology::overlay::union_all;
use zonemap::session::layer::{FeatureRef, Thematic};
use zonemap::ui::{Lang, Startup, ZonemapApp};

use crate::util::load;

pub fn startup(lang: Lang) -> Startup {
    Startup {
        files: Vec::new(),
        lang: Some(lang),
        restore: false,
        bundled: true,
        recovery: None,
    }
}

pub fn harness_with(startup: Startup) -> Harness<'static, ZonemapApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 1200.0])
        .build_eframe(move |cc| ZonemapApp::new(cc, startup));
    settle(&mut harness);
    harness
}

pub fn harness(lang: Lang) -> Harness<'static, ZonemapApp> {
    harness_with(startup(lang))
}

/// The key of the open layer with `role` (the first, as the session picks it).
pub fn layer_key(
    harness: &Harness<'static, ZonemapApp>,
    role: Role,
) -> zonemap::session::layer::LayerKey {
    let session = &harness.state().session;
    session
        .layer_with_role(role)
        .expect("a layer with the role")
        .key
}

/// Room for whole tables: the dock and the details taller than their defaults (a planner
/// drags them so), for tests that read every row.
pub fn roomy(harness: &mut Harness<'static, ZonemapApp>) {
    let layout = zonemap::session::state::PanelLayout {
        dock_height: 520.0,
        details_height: 620.0,
        ..harness.state().layout
    };
    harness.state_mut().set_layout(layout);
    harness.run_steps(4);
}

/// Steps until background loads and the coverage analysis are done; fails, saying what is
/// still busy, if they are not within 30 s (a loaded 2-core machine takes a few).
pub fn settle(harness: &mut Harness<'static, ZonemapApp>) {
    let start = std::time::Instant::now();
    loop {
        harness.step();
        let app = harness.state();
        let analysed = app.session.current_analysis().is_some()
            || app.session.layer_with_role(Role::Zones).is_none()
            || app.session.layer_with_role(Role::Units).is_none();
        if !app.session.is_busy() && analysed {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "still busy after 30 s: loading or analysing {}, analysed {analysed}, errors {:?}",
            app.session.is_busy(),
            app.session.errors
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(3);
}

/// The bundled zone with this name, as the window knows it.
fn zone(harness: &Harness<'static, ZonemapApp>, name: &str) -> FeatureRef {
    let app = harness.state();
    let layer = app
        .session
        .layer_with_role(Role::Zones)
        .expect("a zones layer");
    let id = layer
        .layer
        .features
        .iter()
        .position(|f| f.name == name)
        .expect("zone is bundled");
    FeatureRef {
        layer: layer.key,
        feature: zonemap::core::FeatureId(id as u32),
    }
}

/// A bundled zone as the core loads it straight from the file, not through the window.
fn core_zone(name: &str) -> zonemap::core::Feature {
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    zones
        .features
        .into_iter()
        .find(|f| f.name == name)
        .expect("zone is bundled")
}

/// The core's geodesic area of a bundled zone.
fn core_area_km2(name: &str) -> f64 {
    geodesic_area_sum(core_zone(name).polygons()).km2()
}

pub fn click_at(harness: &mut Harness<'static, ZonemapApp>, pos: Pos2, modifiers: Modifiers) {
    harness.event(Event::PointerMoved(pos));
    harness.step();
    for pressed in [true, false] {
        let event = Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers,
        };
        harness.event_modifiers(event, modifiers);
        harness.step();
    }
    harness.run_steps(3);
}

/// Points round `centre` (on screen), nearest first: eight directions, 3 pt further each turn.
fn spiral(centre: Pos2) -> impl Iterator<Item = Pos2> {
    (0..400).map(move |i| {
        let (r, a) = (
            (i / 8) as f32 * 3.0,
            (i % 8) as f32 * std::f32::consts::FRAC_PI_4,
        );
        centre + egui::vec2(r * a.cos(), r * a.sin())
    })
}

/// A point well inside a bundled zone, on screen.
fn inside(harness: &Harness<'static, ZonemapApp>, name: &str) -> Pos2 {
    let p = core_zone(name).polygons()[0]
        .interior_point()
        .expect("interior point");
    harness.state().screen_pos(p.0)
}

#[test]
fn opens_on_bundled_data_with_roles() {
    let harness = harness(Lang::En);
    let app = harness.state();
    let names: Vec<(&str, Role, bool)> = app
        .session
        .layers
        .iter()
        .map(|l| (l.layer.name.as_str(), l.role, l.style.visible))
        .collect();
    assert_eq!(
        names,
        [
            ("苏州高新区 功能片区", Role::Zones, true),
            ("苏州高新区 镇(街道)", Role::Units, true),
            ("苏南 地级市", Role::Context, false),
            ("苏南 区(县级市)", Role::Context, false),
        ]
    );
    assert_eq!(
        app.session.layers[0].layer.crs,
        zonemap::core::crs::Crs::Gcj02
    );
    assert!(app.session.errors.is_empty(), "{:?}", app.session.errors);
    // The approximate Suzhou boundaries say so in the layer list.
    assert_eq!(
        harness.get_all_by_label("≈ approximate boundaries").count(),
        2
    );
    harness.get_by_label_contains("Coordinates: WGS-84 (GCJ-02 → WGS-84)");
}

#[test]
fn select_zone_from_layer_list_shows_core_area_and_units() {
    let mut harness = harness(Lang::En);
    let name = "科技生态功能片区";
    // In the layers panel's feature list (the map's legend names the zone too).
    harness
        .get_all_by_label(name)
        .min_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x))
        .expect("listed")
        .click();
    harness.run_steps(3);
    let expected = zone(&harness, name);
    assert_eq!(harness.state().session.selection, [expected]);
    // The details dragged taller, to read all of the zone's units.
    roomy(&mut harness);

    let km2 = core_area_km2(name);
    harness.get_by_label(&format!("{km2:.4} km²"));
    // The same area in 公顷 and 亩, and the perimeter, against the script's GeographicLib
    // figures (reference_areas.py "// zones"): 186,522,837.060 m² is 18,652.28 ha and
    // 279,784 亩 (1 亩 = 2000/3 m²); every ring's geodesic edges add up to 72,146.403 m.
    assert_eq!(format!("{km2:.4}"), "186.5228");
    for label in ["18652.28 ha", "279784 mu", "72.146 km"] {
        assert!(
            harness.query_by_label_contains(label).is_some(),
            "the panel shows {label}"
        );
    }
    // Its units, with the core's overlap shares: 科技城 and 镇湖 lie wholly inside it.
    harness.get_by_label("Units it covers");
    let analysis = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed");
    let related = analysis.related(expected);
    let mut names: Vec<String> = related
        .iter()
        .map(|(u, _)| {
            harness
                .state()
                .session
                .feature(*u)
                .expect("unit")
                .name
                .clone()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["科技城（东渚街道）", "镇湖街道"]);
    // Whole towns: their areas (reference_areas.py "// towns"), to the panel's 4 decimals.
    for label in ["145.4583", "41.0646"] {
        assert!(
            harness.query_all_by_label_contains(label).count() >= 1,
            "{label}"
        );
    }
    for (unit, overlap) in related {
        let unit_name = harness
            .state()
            .session
            .feature(unit)
            .expect("unit")
            .name
            .clone();
        // Listed under the units layer and in the zone's table.
        assert!(
            harness.get_all_by_label(&unit_name).count() >= 2,
            "{unit_name}"
        );
        harness
            .get_all_by_label(&format!("{:.4}", overlap.area.km2()))
            .next()
            .expect("overlap row");
    }
}

#[test]
fn click_on_map_selects_zone_and_escape_clears() {
    let mut harness = harness(Lang::En);
    let name = "浒通功能片区";
    let pos = inside(&harness, name);
    // Inside a zone is inside one of its towns too: the pointer picks the town (the most
    // specific feature there), and with Alt held the zone over it (issue 17). Hovering lights
    // the zone up and names it in a tooltip: name, kind and geodesic area (88,851,247.258 m²,
    // reference_areas.py "// zones").
    harness.event(Event::PointerMoved(pos));
    harness.run_steps(2);
    let hovered = harness
        .state()
        .hovered
        .expect("something under the pointer");
    assert_eq!(
        harness
            .state()
            .session
            .layer(hovered.layer)
            .expect("open")
            .role,
        Role::Units
    );
    harness.event(Event::ModifiersChanged(Modifiers::ALT));
    harness.event(Event::PointerMoved(pos + egui::vec2(0.5, 0.0)));
    harness.run_steps(2);
    assert_eq!(harness.state().hovered, Some(zone(&harness, name)));
    // (egui shows a tooltip once the pointer has rested a moment.)
    let start = std::time::Instant::now();
    while harness.query_by_label_contains("Kind: zones").is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "no tooltip");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    for line in [
        "Kind: zones",
        "Area: 88.851 km²",
        "Approximate boundary: not survey data",
    ] {
        assert!(
            harness.query_by_label_contains(line).is_some(),
            "the tooltip says {line:?}"
        );
    }

    click_at(&mut harness, pos, Modifiers::ALT);
    assert_eq!(harness.state().session.selection, [zone(&harness, name)]);
    harness.get_by_label(&format!("{:.4} km²", core_area_km2(name)));

    // Shift-click adds a second zone; the panel then shows the total and the union.
    let other = "狮山横塘功能片区";
    let pos2 = inside(&harness, other);
    click_at(&mut harness, pos2, Modifiers::ALT | Modifiers::SHIFT);
    harness.event(Event::ModifiersChanged(Modifiers::NONE));
    assert_eq!(harness.state().session.selection.len(), 2);
    settle(&mut harness);
    let total = format!("{:.4} km²", core_area_km2(name) + core_area_km2(other));
    let shapes: Vec<_> = [name, other]
        .iter()
        .map(|n| core_zone(n).multi_polygon())
        .collect();
    let union = format!("{:.4} km²", geodesic_area_sum(&union_all(&shapes).0).km2());
    harness.get_by_label("Area of their union");
    // The two zones only touch, so the union's area is the sum's, and both lines read alike.
    assert_eq!(union, total);
    // The union is computed in the background; the panel says "computing…" until it is in.
    for _ in 0..500 {
        if harness.query_all_by_label(&total).count() == 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    assert_eq!(harness.get_all_by_label(&total).count(), 2);

    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().session.selection.is_empty());

    // 太湖科学城 lies inside 科技生态功能片区: the total counts it twice, the union once.
    // reference_areas.py "// zones": 186,522,837.060 + 10,031,320.391 m², union the first.
    let both = vec![
        zone(&harness, "科技生态功能片区"),
        zone(&harness, "太湖科学城"),
    ];
    harness
        .state_mut()
        .push_command(zonemap::session::command::Command::Select(both));
    harness.run_steps(3);
    let start = std::time::Instant::now();
    // 186.5228 km² twice (the zone's own line and the union), 196.5542 km² once (the total).
    while harness.query_all_by_label("186.5228 km²").count() != 2
        || harness.query_all_by_label("196.5542 km²").count() != 1
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the union never came in"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.get_by_label("Area of their union");
}

#[test]
fn language_switches_from_the_menu() {
    let mut harness = harness(Lang::En);
    harness.get_by_label("Layers");
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("中文").click();
    harness.run_steps(2);
    assert_eq!(harness.state().session.lang, Lang::Zh);
    harness.get_by_label("图层");
    harness.get_by_label("所选要素");
}

#[test]
fn bad_file_shows_its_error_and_keeps_the_rest() {
    let dir = std::env::temp_dir().join(format!("zonemap-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("broken.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\",\n \"features\": [}").expect("write");
    let good = crate::util::data("jiangsu-south-districts.geojson");
    let mut harness = harness_with(Startup {
        files: vec![bad.clone(), good],
        lang: Some(Lang::En),
        restore: false,
        bundled: true,
        recovery: None,
    });
    settle(&mut harness);
    let app = harness.state();
    assert_eq!(app.session.errors.len(), 1, "{:?}", app.session.errors);
    assert!(
        app.session.errors[0].contains("broken.geojson")
            && app.session.errors[0].contains("line 2")
    );
    assert_eq!(app.session.layers.len(), 1);
    assert_eq!(app.session.layers[0].layer.features.len(), 25);
    harness.get_by_label_contains("broken.geojson");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(harness.state().session.errors.is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn session_restores_layers_styles_and_view() {
    let mut harness = harness(Lang::En);
    // Restyle through the same command path the panels use, then save.
    {
        let app = harness.state_mut();
        let key = app.session.layers[2].key;
        let mut style = app.session.layers[2].style.clone();
        style.visible = true;
        style.category_field = Some("city".into());
        app.push_command(zonemap::session::command::Command::SetStyle(key, style));
        app.push_command(zonemap::session::command::Command::SetRole(
            key,
            Role::Zones,
        ));
    }
    harness.run_steps(2);
    let json = harness.state().project().to_json();
    let saved = Project::parse(json.as_bytes(), std::path::Path::new("session")).expect("parses");

    let ctx = egui::Context::default();
    let restored = ZonemapApp::with_session(&ctx, startup(Lang::En), Some(saved));
    let before = harness.state();
    assert_eq!(restored.session.layers.len(), 4);
    for (a, b) in before.session.layers.iter().zip(&restored.session.layers) {
        assert_eq!(a.layer.name, b.layer.name);
        assert_eq!(a.role, b.role);
        assert_eq!(a.style, b.style);
    }
    let (a, b) = (restored.session.map.viewport, before.session.map.viewport);
    assert!((a.world_m_per_px / b.world_m_per_px - 1.0).abs() < 1e-12);
    assert!((a.center_world[0] - b.center_world[0]).abs() < 1e-6);
    assert!((a.center_world[1] - b.center_world[1]).abs() < 1e-6);
    let Thematic::Categories(legend) = &restored.session.layers[2].thematic else {
        panic!("coloured by category");
    };
    assert_eq!(legend.entries.len(), 3, "苏州市, 无锡市, 常州市");
    // The cities were split out of a file of cities and districts; the restored layer is too.
    assert_eq!(restored.session.layers[2].layer.features.len(), 3);
}

#[test]
fn labels_with_glyphs_no_font_has_are_reported() {
    let dir = std::env::temp_dir().join(format!("zonemap-glyphs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("rare.geojson");
    // U+2A6A5 (CJK Extension B) is in no font the tests load.
    let text = crate::util::collection(&[
        (
            "\u{2A6A5}家镇",
            &[&[(120.0, 31.0), (120.1, 31.0), (120.1, 31.1)]],
        ),
        (
            "横塘街道",
            &[&[(120.2, 31.0), (120.3, 31.0), (120.3, 31.1)]],
        ),
    ]);
    std::fs::write(&file, text).expect("write");
    let mut harness = Harness::builder()
        .with_size([1400.0, 1200.0])
        .allow_missing_glyphs()
        .build_eframe(move |cc| {
            ZonemapApp::new(
                cc,
                Startup {
                    files: vec![file],
                    lang: Some(Lang::En),
                    restore: false,
                    bundled: false,
                    recovery: None,
                },
            )
        });
    settle(&mut harness);
    assert_eq!(harness.state().session.layers.len(), 1);
    harness.get_by_label("△ 1 labels have characters that no font here can show");
    let _ = std::fs::remove_dir_all(dir);
}

/// The feature of the layer with `role` named `name`.
fn feature_named(harness: &Harness<'static, ZonemapApp>, role: Role, name: &str) -> FeatureRef {
    let app = harness.state();
    let layer = app.session.layer_with_role(role).expect("a layer");
    let id = layer
        .layer
        .features
        .iter()
        .position(|f| f.name == name)
        .expect("named");
    FeatureRef {
        layer: layer.key,
        feature: zonemap::core::FeatureId(id as u32),
    }
}

#[test]
fn the_pointer_picks_the_town_inside_and_the_zone_on_its_outline_or_with_alt() {
    let mut harness = harness(Lang::En);
    // 通安镇 lies in 浒通功能片区; in the default layer order the zones are drawn over the towns.
    let town = feature_named(&harness, Role::Units, "通安镇");
    let zone = zone(&harness, "浒通功能片区");
    let centre = {
        let app = harness.state();
        let f = app.session.feature(town).expect("open");
        app.screen_pos(f.polygons()[0].interior_point().expect("inside").0)
    };
    let pos = spiral(centre)
        .find(|q| harness.state().pick_at(*q).first() == Some(&town))
        .expect("a point of the town off the zone's label and outline");
    assert_eq!(
        harness.state().pick_at(pos)[1],
        zone,
        "Alt picks the zone over it"
    );

    // Hovering the town lights it, and the tooltip names the zone it is in.
    harness.event(Event::PointerMoved(pos));
    harness.run_steps(2);
    assert_eq!(harness.state().hovered, Some(town));
    let start = std::time::Instant::now();
    while harness.query_by_label_contains("Kind: units").is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "no tooltip");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    click_at(&mut harness, pos, Modifiers::NONE);
    assert_eq!(harness.state().session.selection, [town]);
    click_at(&mut harness, pos, Modifiers::ALT);
    assert_eq!(harness.state().session.selection, [zone]);

    // On the zone's outline the zone is picked, without Alt: a vertex of its boundary.
    let on_outline = {
        let app = harness.state();
        let f = app.session.feature(zone).expect("open");
        app.screen_pos(f.polygons()[0].exterior().0[0])
    };
    assert_eq!(harness.state().pick_at(on_outline).first(), Some(&zone));
}

/// Zoomed far out, a filled feature a few pixels across is drawn as its fill alone (its outline
/// would be a dot of ink, and at 40,000 townships the outlines cost most of a frame); a layer
/// without a fill keeps its outlines, which are all there is of it. Told apart by the vertices
/// drawn in the zones' outline colour, with the map drawn as meshes (View ▸ Pan over drawn
/// tiles off; the tiles decide outlines by the same rule, `map_view::is_outlined`).
#[test]
fn tiny_filled_features_are_drawn_without_their_outlines() {
    let mut h = harness(Lang::En);
    h.state_mut()
        .push_command(zonemap::ui::command::WindowCommand::DrawMapAsTiles(false));
    settle(&mut h);
    let zones = layer_key(&h, Role::Zones);
    // (vertices in the outline colour, vertices in any other) around the map's centre.
    let outline_vertices = |h: &mut Harness<'static, ZonemapApp>| {
        h.run_steps(3);
        let layer = h.state().session.layer(zones).expect("zones");
        let ink = zonemap::ui::projector::color32(layer.style.outline, 1.0);
        // Around the map's centre, where the district shrinks to: clear of the legend and the
        // scale bar in the corners.
        let middle =
            egui::Rect::from_center_size(h.state().map_rect.center(), egui::vec2(120.0, 120.0));
        let shapes = h.output().shapes.clone();
        let ppp = h.ctx.pixels_per_point();
        h.ctx
            .tessellate(shapes, ppp)
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => {
                    let here = m.vertices.iter().filter(|v| middle.contains(v.pos));
                    let ink_here = here.clone().filter(|v| v.color == ink).count();
                    (ink_here, here.count() - ink_here)
                }
                egui::epaint::Primitive::Callback(_) => (0, 0),
            })
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    };
    // At the bundled view the zones are outlined.
    assert!(outline_vertices(&mut h).0 > 20);
    // 10 km a pixel: each zone is at most three pixels across, drawn, but as its fill.
    h.state_mut().session.map.viewport.world_m_per_px = 10_000.0;
    let (ink, other) = outline_vertices(&mut h);
    assert!(other > 0, "the zones are drawn");
    assert_eq!(ink, 0, "outlines of three-pixel zones");
    // Unfilled, the zones keep their outlines however small.
    let mut style = h.state().session.layer(zones).expect("zones").style.clone();
    style.fill_opacity = 0.0;
    style.category_field = None;
    style.graduated = None;
    style.distinct = false;
    h.state_mut()
        .push_command(zonemap::session::Command::SetStyle(zones, style));
    assert!(outline_vertices(&mut h).0 > 0, "outlines of unfilled zones");
}

/// The map's layers are drawn into tiles on a worker thread, and once the view's tiles are
/// drawn the frame is those images (a few textured squares) instead of every vertex; a zoom
/// shows the last tiles stretched until the new scale's are drawn, then those.
#[test]
fn the_map_pans_over_tiles_drawn_on_a_worker() {
    let mut h = harness(Lang::En);
    // (vertices drawn, vertices of images other than the font atlas) in the map.
    let drawn = |h: &mut Harness<'static, ZonemapApp>| {
        let map = h.state().map_rect;
        let shapes = h.output().shapes.clone();
        let ppp = h.ctx.pixels_per_point();
        h.ctx
            .tessellate(shapes, ppp)
            .iter()
            .filter(|p| map.contains_rect(p.clip_rect))
            .filter_map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => Some(m),
                egui::epaint::Primitive::Callback(_) => None,
            })
            .fold((0, 0), |(all, images), m| {
                let image = m.texture_id != egui::TextureId::default();
                (
                    all + m.vertices.len(),
                    images + usize::from(image) * m.vertices.len(),
                )
            })
    };
    let wait_for_tiles = |h: &mut Harness<'static, ZonemapApp>| {
        let start = std::time::Instant::now();
        while !h.state().tiles.drew_tiles() {
            assert!(start.elapsed() < Duration::from_secs(20), "no tiles");
            std::thread::sleep(Duration::from_millis(20));
            h.step();
        }
    };
    wait_for_tiles(&mut h);
    let (all, images) = drawn(&mut h);
    assert!(
        images >= 4,
        "the tiles are drawn: {images} of {all} vertices"
    );
    // A pan moves the same tiles: no meshes of the layers.
    h.state_mut().session.map.viewport.pan([5.0, 3.0]);
    h.step();
    assert!(h.state().tiles.drew_tiles());
    // A zoom: the last tiles, stretched, until the new ones come.
    h.state_mut().session.map.viewport.world_m_per_px *= 0.7;
    h.step();
    assert!(h.state().tiles.drew_stand_ins(), "the old tiles stand in");
    wait_for_tiles(&mut h);
    // Switched off, the map is drawn as meshes again.
    h.state_mut()
        .push_command(zonemap::ui::command::WindowCommand::DrawMapAsTiles(false));
    h.run_steps(2);
    assert!(!h.state().tiles.drew_tiles());
    let (all, _) = drawn(&mut h);
    assert!(all > 1000, "meshes: {all} vertices");
}

/// 太湖科学城 (10 km²) is smaller than the towns under it (科技城 41 km², 镇湖街道 145 km²):
/// a plain click inside it, off its label and outline, still picks the town there, and Alt the
/// zone.
#[test]
fn inside_a_zone_smaller_than_its_towns_a_click_picks_the_town() {
    let harness = harness(Lang::En);
    let zone = zone(&harness, "太湖科学城");
    let centre = inside(&harness, "太湖科学城");
    let app = harness.state();
    let town_then_zone = |q: &Pos2| {
        let picked = app.pick_at(*q);
        picked
            .first()
            .and_then(|f| app.session.layer(f.layer))
            .is_some_and(|l| l.role == Role::Units)
            && picked.get(1) == Some(&zone)
    };
    let pos = spiral(centre)
        .find(town_then_zone)
        .expect("a point inside the zone, off its label and outline, that picks a town");
    assert_eq!(app.pick_at(pos)[1], zone, "Alt picks the zone over it");
}

/// A zones layer gives each zone a colour of its own, so its fill swatch is off (its hover
/// says why) until the planner unticks "A colour per feature"; then the swatch is on and the
/// zones take the layer's one fill.
#[test]
fn the_fill_swatch_is_off_while_the_features_have_their_own_colours() {
    let mut h = harness(Lang::En);
    let t = Lang::En.t();
    let zones = layer_key(&h, Role::Zones);
    // Every layer's Style, opened one at a time (each opened moves those below it).
    let count = h.get_all_by_label(t.style).count();
    for i in 0..count {
        h.get_all_by_label(t.style)
            .nth(i)
            .expect("a Style header")
            .click_accesskit();
        h.run_steps(2);
    }
    let toggled = |node: &egui_kittest::Node<'_>| {
        node.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
    };
    let boxes: Vec<_> = h.get_all_by_label(t.distinct_colours).collect();
    assert!(boxes.len() >= 2, "a checkbox per layer's style");
    let ticked: Vec<_> = boxes.iter().filter(|b| toggled(b)).collect();
    assert_eq!(ticked.len(), 1, "only the zones have a colour per feature");
    let swatches: Vec<_> = h.get_all_by_label(t.fill).collect();
    let off = swatches
        .iter()
        .filter(|s| s.accesskit_node().is_disabled())
        .count();
    assert_eq!(off, 1, "the zones' fill swatch is off");
    ticked[0].click_accesskit();
    h.run_steps(3);
    let layer = h.state().session.layer(zones).expect("zones");
    assert!(!layer.style.distinct);
    assert_eq!(
        layer.feature_fill(zonemap::core::FeatureId(0)),
        None,
        "the layer's fill"
    );
    let swatches: Vec<_> = h.get_all_by_label(t.fill).collect();
    assert!(swatches.iter().all(|s| !s.accesskit_node().is_disabled()));
}

/// Escape closes an open menu.
#[test]
fn escape_closes_an_open_menu() {
    let mut h = harness(Lang::En);
    let t = Lang::En.t();
    h.get_by_label(t.view).click();
    h.run_steps(2);
    assert!(egui::Popup::is_any_open(&h.ctx), "the View menu is open");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!egui::Popup::is_any_open(&h.ctx), "Escape closed it");
}

/// The proposals a planner edits (the editable layer at the top, under a thousand features)
/// are drawn live over the tiles of the layers below: an edit leaves those tiles, instead of
/// drawing every layer as meshes until new tiles come.
#[test]
fn an_edit_to_the_proposals_keeps_the_tiles_of_the_layers_below() {
    use zonemap::session::history::Edit;
    use zonemap::ui::command::Command;
    let mut h = harness(Lang::En);
    let zones = layer_key(&h, Role::Zones);
    h.state_mut()
        .push_command(Command::NewProposals(Some(zones)));
    h.run_steps(2);
    let start = std::time::Instant::now();
    while !h.state().tiles.drew_tiles() {
        assert!(start.elapsed() < Duration::from_secs(20), "no tiles");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    let proposals = h.state().session.layers[0].key;
    assert!(h.state().session.layers[0].editable, "the proposals on top");
    let count = |h: &Harness<'static, ZonemapApp>| {
        h.state()
            .session
            .layer(proposals)
            .map_or(0, |l| l.layer.features.len())
    };
    let before = count(&h);
    let c = h.state().session.layers[0].layer.features[0]
        .geometry
        .as_ref()
        .and_then(|g| g.interior_point())
        .expect("a point inside a zone")
        .0;
    let d = 0.005;
    h.state_mut().push_command(Command::Edit(Edit::Draw {
        points: vec![
            c,
            geo::coord! { x: c.x + d, y: c.y },
            geo::coord! { x: c.x, y: c.y + d },
        ],
        name: "新片区".into(),
    }));
    // One frame applies the edit, the next draws it.
    h.step();
    h.step();
    assert_eq!(count(&h), before + 1, "the zone drawn");
    assert!(
        h.state().tiles.drew_tiles(),
        "the layers below still come from their tiles"
    );
}

/// A layer just opened with more than 1,000 features has no tiles yet and none to stand in:
/// the map shows the tiles as the worker draws them, never every vertex as meshes meanwhile
/// (the counties' first frames were 46–78 ms that way).
#[test]
fn a_layer_of_many_features_shows_its_tiles_as_they_come_not_meshes() {
    let dir = std::env::temp_dir().join(format!("zonemap-ui-many-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let path = dir.join("grid.geojson");
    let cells: Vec<String> = (0..1_200)
        .map(|i| {
            let (x, y) = (120.0 + f64::from(i % 40) * 0.01, 31.0 + f64::from(i / 40) * 0.01);
            format!(
                r#"{{"type":"Feature","properties":{{"name":"格{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                x + 0.01,
                x + 0.01,
                y + 0.01,
                y + 0.01
            )
        })
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        cells.join(",")
    );
    std::fs::write(&path, text).expect("write");
    let mut h = harness_with(Startup {
        files: vec![path],
        bundled: false,
        ..startup(Lang::En)
    });
    let start = std::time::Instant::now();
    while h.state().session.layers.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(20), "the layer loads");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    assert_eq!(h.state().session.layers[0].layer.features.len(), 1_200);
    let mut waited = 0;
    loop {
        h.step();
        let tiles = &h.state().tiles;
        if tiles.drew_tiles() {
            break;
        }
        assert!(
            tiles.drew_some() || tiles.drew_stand_ins(),
            "a frame before the tiles came drew meshes"
        );
        waited += 1;
        assert!(start.elapsed() < Duration::from_secs(20), "the tiles come");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        waited > 0,
        "the first frame after the load had no tiles to show whole"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
