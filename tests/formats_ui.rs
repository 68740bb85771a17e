//! Planners' own files in the window: a GeoPackage dropped on it asks which tables to open; a
//! file without a coordinate system asks for one; a layer is read again with another encoding;
//! File > Export layer writes what GDAL reads back.

use std::path::PathBuf;
use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use zonemap::core::crs::Crs;
use zonemap::ui::{Lang, Startup, ZonemapApp};

use crate::proposals::tempdir;
use crate::ui::{harness_with, settle};
use crate::util::data;

fn empty_window(files: Vec<PathBuf>) -> Harness<'static, ZonemapApp> {
    harness_with(Startup {
        files,
        lang: Some(Lang::En),
        restore: false,
        bundled: false,
        recovery: None,
    })
}

/// Steps until `done` holds (or a few seconds pass).
fn wait_for(harness: &mut Harness<'static, ZonemapApp>, done: impl Fn(&ZonemapApp) -> bool) {
    for _ in 0..800 {
        harness.step();
        if done(harness.state()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
}

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

fn layer_names(harness: &Harness<'static, ZonemapApp>) -> Vec<String> {
    let mut names: Vec<String> = harness
        .state()
        .session
        .layers
        .iter()
        .map(|l| l.layer.name.clone())
        .collect();
    names.sort();
    names
}

/// A file dropped on the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_geopackage_asks_which_tables_to_open() {
    let mut harness = empty_window(Vec::new());
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(data(
            "realworld/jiangsu-south-cgcs2000.gpkg",
        ))));
    harness.run_steps(3);
    assert!(harness.state().table_picker.is_some(), "the picker opens");
    harness.get_by_label("Choose layers: jiangsu-south-cgcs2000.gpkg");
    // Untick the districts; open the cities.
    harness
        .get_by_role_and_label(A11y::CheckBox, "districts")
        .click();
    harness.run_steps(1);
    harness.get_by_role_and_label(A11y::Button, "Open").click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(harness.state().table_picker.is_none());
    assert_eq!(layer_names(&harness), ["cities"]);
    let layer = &harness.state().session.layers[0];
    assert_eq!(layer.layer.crs.epsg(), Some(4490));
    assert_eq!(layer.layer.table.as_deref(), Some("cities"));
    // The layer list says what was done; so does the status bar.
    assert_eq!(
        harness
            .query_all_by_label_contains("CGCS2000 = WGS-84")
            .count(),
        2,
        "the layer list and the status bar"
    );
    assert!(
        harness.state().session.errors.is_empty(),
        "{:?}",
        harness.state().session.errors
    );
}

#[test]
fn a_file_without_a_crs_asks_for_one_with_the_likely_zone_filled_in() {
    let dir = tempdir();
    // A projected GeoJSON whose crs member has been lost: metres in zone 40.
    let with_crs = dir.join("gk40.geojson");
    let out = std::process::Command::new("ogr2ogr")
        .args(["-f", "GeoJSON"])
        .arg(&with_crs)
        .arg(data("realworld/jiangsu-districts-gk40.shp"))
        .output()
        .expect("ogr2ogr (gdal-bin) runs");
    assert!(out.status.success());
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&with_crs).expect("written")).expect("JSON");
    json.as_object_mut().expect("object").remove("crs");
    let bare = dir.join("bare.geojson");
    std::fs::write(&bare, json.to_string()).expect("written");

    let mut harness = empty_window(vec![bare.clone()]);
    wait_for(&mut harness, |app| !app.session.crs_prompts.is_empty());
    assert!(harness.state().session.layers.is_empty());
    let prompt = &harness.state().session.crs_prompts[0];
    assert_eq!(prompt.text, "EPSG:4528", "the zone read off the eastings");
    assert!(
        prompt.message.contains("bare.geojson"),
        "{}",
        prompt.message
    );
    harness
        .get_by_role_and_label(A11y::Button, "Load with this system")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(harness.state().session.crs_prompts.is_empty());
    let layer = &harness.state().session.layers[0];
    assert_eq!(layer.layer.crs.epsg(), Some(4528));
    assert_eq!(layer.layer.features.len(), 22);
    assert_eq!(
        harness
            .query_all_by_label_contains("EPSG:4528 → WGS-84")
            .count(),
        2,
        "the layer list and the status bar"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_layer_is_read_again_with_another_encoding_in_place() {
    let dir = tempdir();
    // The real districts with the .cpg gone and the language driver cleared: the text is
    // guessed (GB18030, right); reading it as windows-1252 garbles it, GBK puts it back.
    for ext in ["shp", "shx", "dbf", "prj"] {
        std::fs::copy(
            data("realworld/jiangsu-districts-gk40.shp").with_extension(ext),
            dir.join(format!("d.{ext}")),
        )
        .expect("copied");
    }
    let shp = dir.join("d.shp");
    let mut harness = empty_window(vec![shp.clone()]);
    settle(&mut harness);
    let key = harness.state().session.layers[0].key;
    let names = |h: &Harness<'static, ZonemapApp>| -> Vec<String> {
        h.state().session.layers[0]
            .layer
            .features
            .iter()
            .map(|f| f.name.clone())
            .collect()
    };
    assert!(names(&harness).contains(&"虎丘区".to_owned()));
    harness.get_by_label("Source").click();
    harness.run_steps(2);
    assert!(harness.query_all_by_label_contains("guessed").count() >= 1);
    for (encoding, readable) in [("windows-1252", false), ("GBK", true)] {
        harness
            .get_by_role_and_label(A11y::ComboBox, "Read as")
            .click();
        harness.run_steps(2);
        harness.get_by_label(encoding).click();
        harness.run_steps(1);
        settle(&mut harness);
        let app = harness.state();
        assert_eq!(
            app.session.layers.len(),
            1,
            "read again in place, not added"
        );
        assert_eq!(app.session.layers[0].key, key, "the same layer");
        assert_eq!(
            app.session.layers[0].encoding_choice.as_deref(),
            Some(encoding),
            "remembered for the project"
        );
        assert_eq!(names(&harness).contains(&"虎丘区".to_owned()), readable);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_layer_writes_a_gbk_shapefile_that_gdal_reads() {
    let mut harness = empty_window(vec![data(
        "realworld/jiangsu-south-cgcs2000.gpkg:districts",
    )]);
    settle(&mut harness);
    assert_eq!(layer_names(&harness), ["districts"]);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export layer…").click();
    // The click, then the window's sizing frame, then the window.
    harness.run_steps(4);
    assert!(harness.state().layer_export.open);
    let dir = tempdir();
    let out = dir.join("districts.shp");
    type_into(&mut harness, "Save to", &out.display().to_string());
    harness.get_by_label("GBK (older ArcGIS)").click();
    harness.run_steps(1);
    type_into_crs(&mut harness, "EPSG:4528");
    harness
        .get_by_role_and_label(A11y::Button, "Export")
        .click();
    harness.run_steps(1);
    wait_for(&mut harness, |app| !app.layer_export.is_exporting());
    let status = harness.state().layer_export.status.clone();
    assert!(
        matches!(&status, Some(Ok(m)) if m.contains("districts.shp")),
        "{status:?}"
    );
    assert_eq!(
        std::fs::read_to_string(out.with_extension("cpg")).expect("cpg"),
        "936"
    );
    let info = std::process::Command::new("ogrinfo")
        .args(["-al", "-q"])
        .arg(&out)
        .output()
        .expect("ogrinfo (gdal-bin) runs");
    let text = String::from_utf8(info.stdout).expect("UTF-8");
    assert!(text.contains("name (String) = 虎丘区"), "{text}");
    let back =
        zonemap::core::io::load_layer(&out, zonemap::core::Role::Context, &Default::default())
            .expect("reads");
    assert_eq!(back.crs, Crs::from_epsg(4528).expect("EPSG:4528"));
    assert_eq!(back.features.len(), 22);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Picks "another:" in the export dialog's CRS choice and types the system.
fn type_into_crs(harness: &mut Harness<'static, ZonemapApp>, crs: &str) {
    harness
        .get_by_role_and_label(A11y::RadioButton, "another:")
        .click();
    harness.run_steps(1);
    type_into(harness, "another:", crs);
}
