//! The coverage dock, coverage map and graduated colours in the real window, checked against
//! the core's figures and against `zonemap report` run as a separate process.

use std::process::Command as Process;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use zonemap::core::analysis::{CoverageClass, CoverageStatus, analyse};
use zonemap::core::model::LayerFilter;
use zonemap::core::report::Report;
use zonemap::core::style::{ClassMethod, Graduated};
use zonemap::core::{FeatureId, Layer, Role};
use zonemap::session::command::Command;
use zonemap::session::layer::{FeatureRef, Thematic};
use zonemap::ui::{Lang, ZonemapApp};

use crate::ui::{harness, settle};
use crate::util::{data, load};

/// The bundled zones and towns as the core reads them from the files, and their report.
fn core_report() -> Report {
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    let units = load("suzhou-gaoxin/towns.geojson", Role::Units);
    Report::build(&zones, &units, &analyse(&zones, &units))
}

/// The layer key of the window's layer with this name.
fn layer_key(
    harness: &Harness<'static, ZonemapApp>,
    name: &str,
) -> zonemap::session::layer::LayerKey {
    harness
        .state()
        .session
        .layers
        .iter()
        .find(|l| l.layer.name == name)
        .unwrap_or_else(|| panic!("{name} is open"))
        .key
}

/// Picks an option from one of the dock's layer combo boxes, as a user would.
pub fn pick(harness: &mut Harness<'static, ZonemapApp>, combo: &str, option: &str) {
    let left = harness
        .get_by_role_and_label(A11y::ComboBox, combo)
        .rect()
        .left();
    harness.get_by_role_and_label(A11y::ComboBox, combo).click();
    harness.run_steps(2);
    // The layer list names the layer too; the option is the one in the popup, under the box.
    harness
        .get_all_by_label(option)
        .min_by(|a, b| {
            let d = |n: &egui_kittest::Node<'_>| (n.rect().left() - left).abs();
            d(a).total_cmp(&d(b))
        })
        .expect("the option is listed")
        .click();
    harness.run_steps(2);
    settle(harness);
}

/// Types into the text field labelled `label`.
fn type_into(harness: &mut Harness<'static, ZonemapApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(A11y::TextInput, label)
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(A11y::TextInput, label)
        .type_text(text);
    harness.run_steps(2);
}

#[test]
fn coverage_table_totals_and_rows_match_the_core() {
    let mut harness = harness(Lang::En);
    crate::ui::roomy(&mut harness);
    let expected = core_report();
    // The totals line, in the panel's words, from the core's own figures.
    harness.get_by_label(&Lang::En.totals(&expected.coverage));
    assert_eq!(expected.coverage.units, 8);
    assert_eq!(
        expected.coverage.multi_zone_units, 2,
        "太湖科学城 straddles two streets"
    );

    // Every row is on screen (eight units) with its area and covered area in its own row
    // (the figures on the same line as the name), and those are GeographicLib's
    // (reference_areas.py "// towns"), not only the core's.
    const TOWNS_KM2: [(&str, &str); 8] = [
        ("横塘街道", "19.3963"),
        ("狮山街道", "7.4304"),
        ("枫桥街道", "34.7210"),
        ("镇湖街道", "145.4583"),
        ("通安镇", "36.8089"),
        ("浒墅关经开区（镇）", "23.7999"),
        ("科技城（东渚街道）", "41.0646"),
        ("苏州高新区综合保税区", "28.2424"),
    ];
    for (row, (name, km2)) in expected.units.iter().zip(TOWNS_KM2) {
        assert_eq!(row.name, name);
        assert_eq!(format!("{:.4}", row.area_km2), km2, "{name}");
        // The table's row: the name cell whose line holds the figures.
        let on_its_line = |label: &str| {
            harness.query_all_by_label(&row.name).any(|n| {
                let y = n.rect().center().y;
                harness
                    .query_all_by_label(label)
                    .filter(|v| (v.rect().center().y - y).abs() < 3.0)
                    .count()
                    >= 1
            })
        };
        assert!(on_its_line(km2), "{name}: area {km2} on its row");
        let covered = format!("{:.4}", row.covered_km2);
        assert!(
            on_its_line(&covered),
            "{name}: covered {covered} on its row"
        );
    }

    // Filter to one unit, then click its row: it is selected and zoomed to.
    let name = "科技城（东渚街道）";
    type_into(&mut harness, "Filter", "东渚");
    harness.get_by_label("1 / 8 rows");
    let row = expected.units.iter().find(|u| u.name == name).expect("row");
    assert_eq!(row.zones.len(), 2, "{:?}", row.zones);
    harness.get_by_label(&row.zones.join("、"));
    harness.get_by_label("in several zones");
    let view_before = harness.state().session.map.viewport;
    // The name in the table (the lowest of its labels on screen: the dock is under the map).
    let in_table = harness
        .get_all_by_label(name)
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .expect("row name");
    in_table.click();
    harness.run_steps(3);
    let app = harness.state();
    let units = app.session.layer_with_role(Role::Units).expect("units");
    let id = units.layer.find(&row.id).expect("unit id");
    assert_eq!(
        app.session.selection,
        [FeatureRef {
            layer: units.key,
            feature: id
        }]
    );
    assert!(
        app.session.map.viewport.world_m_per_px < view_before.world_m_per_px,
        "zoomed in to the unit"
    );
}

#[test]
fn panel_figures_are_those_of_zonemap_report() {
    let mut harness = harness(Lang::En);
    crate::ui::roomy(&mut harness);
    let output = Process::new(env!("CARGO_BIN_EXE_zonemap"))
        .arg("report")
        .arg(data("suzhou-gaoxin/zones.geojson"))
        .arg(data("suzhou-gaoxin/towns.geojson"))
        .args(["--format", "json"])
        .output()
        .expect("zonemap runs");
    assert!(output.status.success(), "{output:?}");
    let cli: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let result = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed");
    let window = serde_json::to_value(&result.report).expect("serialises");
    for key in [
        "zones",
        "units",
        "overlaps",
        "zone_overlaps",
        "pilots",
        "coverage",
    ] {
        assert_eq!(window[key], cli[key], "{key}");
    }
    // And what the panel shows is those rows.
    for row in cli["units"].as_array().expect("units") {
        let km2 = row["area_km2"].as_f64().expect("area");
        harness
            .get_all_by_label(&format!("{km2:.4}"))
            .next()
            .unwrap_or_else(|| panic!("{row}"));
    }
}

#[test]
fn jiangsu_cities_over_districts_cover_each_district_once() {
    let mut harness = harness(Lang::En);
    pick(&mut harness, "Zones:", "苏南 地级市");
    pick(&mut harness, "Units:", "苏南 区(县级市)");
    let cities = layer_key(&harness, "苏南 地级市");
    let districts = layer_key(&harness, "苏南 区(县级市)");
    let result = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed");
    assert_eq!(
        (result.inputs.zones, result.inputs.units),
        (cities, districts)
    );
    // Both were hidden context layers; picking them shows them in their new roles.
    let app = harness.state();
    for key in [cities, districts] {
        let l = app
            .session
            .layers
            .iter()
            .find(|l| l.key == key)
            .expect("layer");
        assert!(l.style.visible);
    }
    let units = &result.analysis.units;
    assert_eq!(units.len(), 22);
    for u in units {
        assert_eq!(
            u.zones.len(),
            1,
            "{:?}",
            result.report.units[u.unit.index()]
        );
        assert_eq!(u.status, CoverageStatus::Full);
    }
    // The district's city property agrees with the city that covers it.
    let layers = &harness.state().session.layers;
    let city_layer = &layers
        .iter()
        .find(|l| l.key == cities)
        .expect("cities")
        .layer;
    let district_layer = &layers
        .iter()
        .find(|l| l.key == districts)
        .expect("districts")
        .layer;
    for u in units {
        let city = &city_layer.feature(u.zones[0]).name;
        assert_eq!(
            district_layer
                .feature(u.unit)
                .property_text("city")
                .as_ref(),
            Some(city)
        );
    }
    harness.get_by_label(
        "22/22 units covered (22 fully, 0 partly) · 0 in several zones · 0 uncovered · 17680.4 of 17680.4 km² (100.0%)",
    );
    // The same figures from the command line, through the same filters.
    let jiangsu = data("jiangsu-south-districts.geojson");
    let zones = filtered(&jiangsu, Role::Zones, "level=city");
    let districts_core = filtered(&jiangsu, Role::Units, "level=district");
    let report = Report::build(&zones, &districts_core, &analyse(&zones, &districts_core));
    assert_eq!(report, result.report);
}

fn filtered(path: &std::path::Path, role: Role, filter: &str) -> Layer {
    zonemap::core::io::load_layer(path, role, &Default::default())
        .expect("loads")
        .filtered(&LayerFilter::parse(filter).expect("filter"))
}

#[test]
fn coverage_map_colours_units_and_lists_slivers() {
    let mut harness = harness(Lang::En);
    harness
        .get_by_role_and_label(A11y::CheckBox, "Coverage map")
        .click();
    harness.run_steps(3);
    assert!(harness.state().session.coverage_map);
    // The map's legend (the sheets' own) counts each class: two streets are in two zones
    // (太湖科学城 straddles them).
    harness.get_by_label("In several zones (2)");
    harness.get_by_label_contains("Zone overlaps (");
    let result = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed");
    let classes: Vec<CoverageClass> = result.analysis.units.iter().map(|u| u.class()).collect();
    assert_eq!(
        classes
            .iter()
            .filter(|c| **c == CoverageClass::SeveralZones)
            .count(),
        2
    );

    // Overlaps and slivers: the zone overlaps are listed with their area; a sliver size above
    // the smallest overlap moves it into the sliver list.
    harness
        .get_by_label_contains("Overlaps and slivers")
        .click();
    harness.run_steps(2);
    // One zone overlap: 太湖科学城 inside 科技生态功能片区, its whole 10,031,320.391 m²
    // (reference_areas.py, "// zones").
    let overlaps = &result.report.zone_overlaps;
    assert_eq!(overlaps.len(), 1);
    harness
        .get_all_by_label("10.0313")
        .next()
        .expect("the zone overlap's row");
    harness.get_by_label("Slivers (0)");
    // The smallest zone × town overlap is 太湖科学城 × 镇湖街道, 2,686,560.513 m²
    // (reference_areas.py, "// overlaps of 太湖科学城"); the next, × 科技城, 7,344,759.863
    // m². A sliver size of 2.7 km² takes the first only.
    harness.state_mut().analysis_panel.overlaps.sliver_max_m2 = 2.7e6;
    harness.run_steps(2);
    harness.get_by_label("Slivers (1)");
    harness.state_mut().analysis_panel.overlaps.sliver_max_m2 = 2.68e6;
    harness.run_steps(2);
    harness.get_by_label("Slivers (0)");
}

#[test]
fn pilot_shows_its_units_area_and_share() {
    let mut harness = harness(Lang::En);
    harness.get_by_label_contains("Pilots (1)").click();
    harness.run_steps(2);
    let expected = core_report();
    let pilot = &expected.pilots[0];
    assert_eq!(pilot.pilot, "功能区+镇(街道)运行体制试点");
    harness.get_by_label(&pilot.pilot);
    harness.get_by_label(&format!(
        "Area: {:.4} km² · {:.1}% of all units",
        pilot.area_km2,
        pilot.share_of_units * 100.0
    ));
    // 通安镇 comes in by pilot_adds, whole.
    let tongan = pilot
        .units
        .iter()
        .find(|u| u.name == "通安镇")
        .expect("通安镇");
    assert!(tongan.added);
    harness.get_by_label("added by the pilot (pilot_adds)");
    harness
        .get_all_by_label(&format!("{:.4}", tongan.area_km2))
        .next()
        .expect("its area");
}

#[test]
fn matrix_saves_as_csv_with_the_core_figures() {
    let mut harness = harness(Lang::En);
    harness.get_by_label("Matrix").click();
    harness.run_steps(2);
    let dir = std::env::temp_dir().join(format!("zonemap-matrix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("matrix.csv");
    type_into(&mut harness, "Save to:", &path.display().to_string());
    harness.get_by_role_and_label(A11y::Button, "Save").click();
    harness.run_steps(2);
    let written = std::fs::read_to_string(&path).expect("saved");
    let expected = core_report();
    assert_eq!(written, format!("\u{feff}{}", expected.matrix_csv()));
    // One row per zone, three columns per unit.
    let mut lines = written.lines();
    let header = lines.next().expect("header");
    assert_eq!(header.split(',').count(), 3 + 3 * expected.units.len());
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), expected.zones.len());
    // And against the script: 狮山横塘功能片区 (61,547,695.625 m²) holds all of 横塘街道
    // (19,396,339.909 m²), which is 0.315143 of it (reference_areas.py "// zones", "// towns").
    assert_eq!(rows[0][1], "狮山横塘功能片区");
    assert_eq!(
        (rows[0][2], rows[0][3], rows[0][4], rows[0][5]),
        ("61.547696", "19.39634", "1", "0.315143")
    );
    // A cell of the grid, as km².
    let o = &expected.overlaps[0];
    harness
        .get_all_by_label(&format!("{:.4}", o.area_km2))
        .next()
        .expect("cell");
    harness.get_by_label_contains("Saved to");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn graduated_colours_and_density() {
    let mut harness = harness(Lang::En);
    let key = layer_key(&harness, "苏州高新区 镇(街道)");
    let spec = Graduated {
        field: "area_km2".into(),
        method: ClassMethod::Quantiles,
        classes: 4,
        per_km2: false,
    };
    {
        let app = harness.state_mut();
        let mut style = app.session.layers[1].style.clone();
        style.graduated = Some(spec.clone());
        app.push_command(Command::SetStyle(key, style));
    }
    harness.run_steps(3);
    let app = harness.state();
    let layer = app
        .session
        .layers
        .iter()
        .find(|l| l.key == key)
        .expect("units");
    let Thematic::Classes(classes) = &layer.thematic else {
        panic!("graduated");
    };
    // Eight towns in four quantile classes: two each.
    let counts: Vec<usize> = classes.classes.iter().map(|c| c.count).collect();
    assert_eq!(counts, [2, 2, 2, 2]);
    // The smallest two towns share the lightest fill; the largest gets the darkest.
    let fill_of = |name: &str| {
        let id = layer
            .layer
            .features
            .iter()
            .position(|f| f.name == name)
            .expect("town");
        layer.feature_fill(FeatureId(id as u32)).expect("filled")
    };
    assert_eq!(fill_of("狮山街道"), classes.classes[0].fill);
    assert_eq!(fill_of("镇湖街道"), classes.classes[3].fill);
    harness.get_by_label_contains("Legend: area_km2 (quantiles)");

    // Selecting a town shows each figure per km² of its geodesic area.
    let id = layer
        .layer
        .features
        .iter()
        .position(|f| f.name == "镇湖街道")
        .expect("town");
    let town = FeatureRef {
        layer: key,
        feature: FeatureId(id as u32),
    };
    let stated = layer.layer.features[id]
        .property_number("area_km2")
        .expect("figure");
    let density = stated / layer.area(town.feature).km2();
    harness
        .state_mut()
        .push_command(Command::Select(vec![town]));
    harness.run_steps(3);
    harness.get_by_label("Per km² of its area");
    harness.get_by_label("area_km2 / km²");
    harness.get_by_label(&zonemap::ui::layers_panel::figure(density));
}

#[test]
fn coverage_reruns_live_when_a_role_changes() {
    let mut harness = harness(Lang::En);
    let before = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed");
    let towns = layer_key(&harness, "苏州高新区 镇(街道)");
    // Making the towns context leaves no units layer: the dock asks for one.
    harness
        .state_mut()
        .push_command(Command::SetRole(towns, Role::Context));
    harness.run_steps(2);
    assert!(harness.state().session.current_analysis().is_none());
    harness.get_by_label_contains("Pick a zones layer and a units layer");
    // Back to units: a new run, the same figures.
    harness
        .state_mut()
        .push_command(Command::SetRole(towns, Role::Units));
    harness.run_steps(1);
    settle(&mut harness);
    let after = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed again");
    assert!(!std::sync::Arc::ptr_eq(&before, &after), "a new run");
    assert_eq!(before.report, after.report);
}

#[test]
fn a_file_mixing_levels_splits_into_a_layer_per_value() {
    let file = data("jiangsu-south-districts.geojson");
    let mut harness = crate::ui::harness_with(zonemap::ui::Startup {
        files: vec![file],
        lang: Some(Lang::En),
        restore: false,
        bundled: false,
        recovery: None,
    });
    settle(&mut harness);
    let key = harness.state().session.layers[0].key;
    harness
        .state_mut()
        .push_command(Command::SplitLayer(key, "level".into()));
    harness.run_steps(1);
    settle(&mut harness);
    let app = harness.state();
    // The parts take the layer's place (the first under its key).
    let mut parts: Vec<(String, usize, Option<String>)> = app
        .session
        .layers
        .iter()
        .map(|l| {
            (
                l.layer.name.clone(),
                l.layer.features.len(),
                l.filter.as_ref().map(|f| f.to_string()),
            )
        })
        .collect();
    parts.sort();
    assert_eq!(
        parts,
        [
            (
                "jiangsu-south-districts · city".to_owned(),
                3,
                Some("level=city".to_owned())
            ),
            (
                "jiangsu-south-districts · district".to_owned(),
                22,
                Some("level=district".to_owned())
            ),
        ]
    );
    // The parts come back from a saved session through their filters: the session is
    // reopened in a new window, which reads the file again and filters it.
    let saved = app.project();
    assert!(
        saved
            .layers
            .iter()
            .any(|l| l.filter == Some(LayerFilter::new("level", "city")))
    );
    let startup = zonemap::ui::Startup {
        files: Vec::new(),
        lang: Some(Lang::En),
        restore: true,
        bundled: false,
        recovery: None,
    };
    let mut reopened = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| {
            zonemap::ui::install_fonts(&cc.egui_ctx);
            ZonemapApp::with_session(&cc.egui_ctx, startup, Some(saved))
        });
    settle(&mut reopened);
    let mut back: Vec<(String, usize, Option<String>)> = reopened
        .state()
        .session
        .layers
        .iter()
        .filter(|l| l.filter.is_some())
        .map(|l| {
            (
                l.layer.name.clone(),
                l.layer.features.len(),
                l.filter.as_ref().map(|f| f.to_string()),
            )
        })
        .collect();
    back.sort();
    assert_eq!(back, parts);
}

#[test]
fn a_partly_covered_unit_shows_its_covered_area_in_its_row() {
    // Field case 12: a zone of two overlapping parts over one unit. The unit is 177.261990
    // km², its covered part the parts' union, 59.090478 km² (reference_areas.py, "12 unit",
    // "12 union"): the covered column must say the second, not the first.
    let field = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/field");
    let mut harness = crate::ui::harness_with(zonemap::ui::Startup {
        files: vec![
            field.join("12-multipolygon-overlapping-parts-zones.geojson"),
            field.join("12-multipolygon-overlapping-parts-units.geojson"),
        ],
        lang: Some(Lang::En),
        restore: false,
        bundled: false,
        recovery: None,
    });
    let (zones, units) = (
        layer_key(&harness, "12-multipolygon-overlapping-parts-zones"),
        layer_key(&harness, "12-multipolygon-overlapping-parts-units"),
    );
    for command in [
        Command::SetCoverageLayer(Role::Zones, zones),
        Command::SetCoverageLayer(Role::Units, units),
    ] {
        harness.state_mut().push_command(command);
    }
    harness.run_steps(2);
    settle(&mut harness);
    let result = harness
        .state()
        .session
        .current_analysis()
        .expect("analysed");
    let row = &result.report.units[0];
    assert_eq!(row.status, CoverageStatus::Partial);
    let name = row.name.clone();
    let y = harness
        .query_all_by_label(&name)
        .map(|n| n.rect().center().y)
        .max_by(f32::total_cmp)
        .expect("the row");
    let on_row = |label: &str| {
        harness
            .query_all_by_label(label)
            .any(|v| (v.rect().center().y - y).abs() < 3.0)
    };
    assert!(on_row("177.2620"), "the unit's area");
    assert!(on_row("59.0905"), "its covered area");
    assert!(on_row("33.3%"), "its share covered");
}
