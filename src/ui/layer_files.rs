//! Files as layers, beyond opening one: picking the tables of a GeoPackage (the Shapefiles of a
//! zip), giving the coordinate system of a file that does not say it, reading a layer again
//! with another text encoding or system, and File > Export layer (GeoJSON, Shapefile,
//! GeoPackage). All of it goes through the core's readers and writers, as the command line does.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use egui::{Color32, RichText, Ui};

use crate::core::Layer;
use crate::core::crs::Crs;
use crate::core::io::export::{WriteOptions, write_layer};

use crate::core::lang::Lang;
use crate::session::Session;
use crate::session::layer::LayerKey;
use crate::ui::command::{Command, Commands, WindowCommand};

/// The encodings offered for reading a Shapefile's text again: the ones Chinese files come in,
/// then the usual Western ones.
pub const ENCODINGS: [&str; 6] = [
    "UTF-8",
    "GBK",
    "GB18030",
    "Big5",
    "windows-1252",
    "ISO-8859-1",
];

/// A GeoPackage (or zip) of several layers, waiting for the user to pick which to open.
pub struct TablePicker {
    pub path: PathBuf,
    /// Each table and whether it is ticked.
    pub tables: Vec<(String, bool)>,
}

/// The coordinate system to write a layer in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportCrs {
    /// WGS-84 lon/lat (RFC 7946 for GeoJSON).
    #[default]
    Wgs84,
    /// The system the layer was read from.
    Source,
    /// One the user types (`EPSG:4528`, `GCJ-02`, …).
    Other,
}

/// File > Export layer: which layer, where, in what system and encoding.
#[derive(Default)]
pub struct LayerExportDialog {
    pub open: bool,
    pub layer: Option<LayerKey>,
    pub path: String,
    pub crs: ExportCrs,
    pub other_crs: String,
    /// Write a Shapefile's text in GBK rather than UTF-8 (for older ArcGIS).
    pub gbk: bool,
    /// The last export's outcome: what was written, or why not.
    pub status: Option<Result<String, String>>,
    job: Option<Receiver<Result<String, String>>>,
}

impl LayerExportDialog {
    pub fn is_exporting(&self) -> bool {
        self.job.is_some()
    }
}

/// The format a path's extension names, as the dialog shows it.
fn format_of(path: &str) -> Option<&'static str> {
    let ext = Path::new(path.trim())
        .extension()?
        .to_string_lossy()
        .to_ascii_lowercase();
    match ext.as_str() {
        "geojson" | "json" => Some("GeoJSON"),
        "shp" => Some("Shapefile"),
        "gpkg" => Some("GeoPackage"),
        _ => None,
    }
}

/// The prompts for files that do not say their coordinate system: the diagnosis, a field for
/// the system (filled with the likely one), and a button to load with it.
pub fn crs_prompts_ui(session: &mut Session, ui: &mut Ui, commands: &mut Commands) {
    let t = session.lang.t();
    for (i, prompt) in session.crs_prompts.iter_mut().enumerate() {
        ui.push_id(("crs-prompt", i), |ui| {
            egui::Frame::new()
                .fill(Color32::from_rgb(255, 243, 205))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.label(RichText::new(format!("△ {}", prompt.message)).strong());
                    ui.horizontal(|ui| {
                        let label = ui.label(t.crs_of_file);
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(&mut prompt.text)
                                    .hint_text("EPSG:4528")
                                    .desired_width(220.0),
                            )
                            .labelled_by(label.id);
                        let valid = Crs::parse(prompt.text.trim()).is_ok();
                        let enter =
                            field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        if (ui
                            .add_enabled(valid, egui::Button::new(t.load_with_crs))
                            .clicked()
                            || enter)
                            && valid
                        {
                            commands.push(Command::RetryWithCrs(i));
                        }
                        if ui.small_button(t.dismiss).clicked() {
                            commands.push(Command::DismissCrsPrompt(i));
                        }
                        if !valid && !prompt.text.trim().is_empty() {
                            ui.colored_label(Color32::from_rgb(150, 20, 0), t.unknown_crs);
                        }
                    });
                });
        });
    }
}

/// The table picker, while a file of several layers is being opened; closed (`None`) once the
/// user has chosen or cancelled.
pub fn table_picker_ui(
    picker_slot: &mut Option<TablePicker>,
    lang: Lang,
    ctx: &egui::Context,
    commands: &mut Commands,
) {
    let t = lang.t();
    let Some(picker) = picker_slot else {
        return;
    };
    let mut open = true;
    let mut close = false;
    let title = picker
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::ui::dialog(format!("{}: {title}", t.choose_layers), &mut open, ctx).show(ctx, |ui| {
        ui.label(t.choose_layers_hint);
        for (name, ticked) in &mut picker.tables {
            ui.checkbox(ticked, name.as_str());
        }
        ui.horizontal(|ui| {
            let chosen: Vec<String> = picker
                .tables
                .iter()
                .filter(|(_, t)| *t)
                .map(|(n, _)| n.clone())
                .collect();
            if ui
                .add_enabled(!chosen.is_empty(), egui::Button::new(t.open_button))
                .clicked()
            {
                commands.push(Command::OpenTables(picker.path.clone(), chosen));
                close = true;
            }
            if ui.button(t.cancel).clicked() {
                close = true;
            }
        });
    });
    if !open || close {
        *picker_slot = None;
    }
}

impl LayerExportDialog {
    /// Writes the dialog's layer as its settings say, in a worker thread.
    pub fn start(&mut self, session: &Session) {
        let t = session.lang.t();
        let dialog = self;
        let Some(layer) = dialog
            .layer
            .and_then(|k| session.layers.iter().find(|l| l.key == k))
        else {
            dialog.status = Some(Err(t.choose_a_layer.to_owned()));
            return;
        };
        let crs = match dialog.crs {
            ExportCrs::Wgs84 => Crs::Wgs84,
            ExportCrs::Source => layer.layer.crs.clone(),
            ExportCrs::Other => match Crs::parse(dialog.other_crs.trim()) {
                Ok(crs) => crs,
                Err(e) => {
                    dialog.status = Some(Err(e.to_string()));
                    return;
                }
            },
        };
        let path = PathBuf::from(dialog.path.trim());
        let options = WriteOptions {
            crs,
            encoding: dialog.gbk.then(|| "GBK".to_owned()),
        };
        let source: Arc<Layer> = layer.layer.clone();
        let written = t.written;
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("zonemap-layer-export".into())
            .spawn(move || {
                let result = write_layer(&source, &path, &options)
                    .map(|changes| {
                        let mut line = format!(
                            "{written} {} ({} · {})",
                            path.display(),
                            source.features.len(),
                            options.crs.short_name()
                        );
                        for c in changes {
                            line.push_str(&format!("\n{c}"));
                        }
                        line
                    })
                    .map_err(|e| e.to_string());
                let _ = tx.send(result);
            });
        match spawned {
            Ok(_) => {
                dialog.job = Some(rx);
                dialog.status = None;
            }
            Err(e) => dialog.status = Some(Err(format!("cannot start the export: {e}"))),
        }
    }

    /// Takes the export's outcome once it has ended.
    pub fn poll(&mut self, session: &mut Session, ctx: &egui::Context) {
        let dialog = self;
        let Some(rx) = &dialog.job else {
            return;
        };
        match rx.try_recv() {
            Ok(result) => {
                if let Ok(line) = &result {
                    session.notice = line.lines().next().map(str::to_owned);
                }
                dialog.status = Some(result);
                dialog.job = None;
            }
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(TryRecvError::Disconnected) => {
                dialog.status = Some(Err("the export stopped unexpectedly".to_owned()));
                dialog.job = None;
            }
        }
    }

    /// File > Export layer…
    pub fn ui(&mut self, session: &Session, ctx: &egui::Context, commands: &mut Commands) {
        if !self.open {
            return;
        }
        let t = session.lang.t();
        let layers: Vec<(LayerKey, String, Crs)> = session
            .layers
            .iter()
            .map(|l| (l.key, l.layer.name.clone(), l.layer.crs.clone()))
            .collect();
        let d = self;
        if d.layer.is_none_or(|k| !layers.iter().any(|l| l.0 == k)) {
            d.layer = layers.first().map(|l| l.0);
        }
        let mut open = true;
        crate::ui::dialog(t.export_layer.trim_end_matches('…'), &mut open, ctx).show(ctx, |ui| {
            egui::Grid::new("layer-export")
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label(t.layer);
                    let current = layers.iter().find(|l| Some(l.0) == d.layer);
                    egui::ComboBox::from_id_salt("export-layer")
                        .selected_text(current.map_or("", |l| l.1.as_str()))
                        .show_ui(ui, |ui| {
                            for (key, name, _) in &layers {
                                ui.selectable_value(&mut d.layer, Some(*key), name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label(t.export_file);
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut d.path)
                                .hint_text("layer.gpkg")
                                .desired_width(260.0),
                        )
                        .labelled_by(label.id);
                        if ui.button(t.browse).clicked()
                            && let Some(path) = rfd::FileDialog::new()
                                .set_file_name(format!(
                                    "{}.gpkg",
                                    current.map_or("layer", |l| l.1.as_str())
                                ))
                                .add_filter("GeoPackage", &["gpkg"])
                                .add_filter("Shapefile", &["shp"])
                                .add_filter("GeoJSON", &["geojson"])
                                .save_file()
                        {
                            d.path = path.display().to_string();
                        }
                    });
                    ui.end_row();

                    ui.label(t.export_format);
                    ui.horizontal(|ui| {
                        let now = format_of(&d.path);
                        for (name, ext) in [
                            ("GeoPackage", "gpkg"),
                            ("Shapefile", "shp"),
                            ("GeoJSON", "geojson"),
                        ] {
                            if ui.radio(now == Some(name), name).clicked() {
                                let base = if d.path.trim().is_empty() {
                                    PathBuf::from(current.map_or("layer", |l| l.1.as_str()))
                                } else {
                                    PathBuf::from(d.path.trim())
                                };
                                d.path = base.with_extension(ext).display().to_string();
                            }
                        }
                    });
                    ui.end_row();

                    let label = ui.label(t.crs);
                    ui.vertical(|ui| {
                        ui.radio_value(&mut d.crs, ExportCrs::Wgs84, t.crs_wgs84);
                        if let Some((_, _, crs)) = current {
                            ui.radio_value(
                                &mut d.crs,
                                ExportCrs::Source,
                                format!("{} ({})", t.crs_source, crs.name()),
                            );
                        }
                        ui.horizontal(|ui| {
                            let radio = ui.radio_value(&mut d.crs, ExportCrs::Other, t.crs_other);
                            let field = ui
                                .add_enabled(
                                    d.crs == ExportCrs::Other,
                                    egui::TextEdit::singleline(&mut d.other_crs)
                                        .hint_text("EPSG:4528")
                                        .desired_width(160.0),
                                )
                                .labelled_by(radio.id);
                            if d.crs == ExportCrs::Other
                                && !d.other_crs.trim().is_empty()
                                && Crs::parse(d.other_crs.trim()).is_err()
                            {
                                field.on_hover_text(t.unknown_crs);
                            }
                        });
                    })
                    .response
                    .labelled_by(label.id);
                    ui.end_row();

                    if format_of(&d.path) == Some("Shapefile") {
                        ui.label(t.encoding);
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut d.gbk, false, "UTF-8");
                            ui.radio_value(&mut d.gbk, true, t.gbk_for_arcgis);
                        });
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ready = d.job.is_none() && d.layer.is_some() && format_of(&d.path).is_some();
                if ui
                    .add_enabled(ready, egui::Button::new(t.export_button))
                    .clicked()
                {
                    commands.push(WindowCommand::ExportLayer);
                }
                if d.job.is_some() {
                    ui.spinner();
                }
                if !d.path.trim().is_empty() && format_of(&d.path).is_none() {
                    ui.colored_label(Color32::from_rgb(150, 20, 0), t.export_layer_ext);
                }
            });
            match &d.status {
                Some(Ok(message)) => {
                    ui.label(message);
                }
                Some(Err(e)) => {
                    ui.colored_label(Color32::from_rgb(200, 40, 40), e);
                }
                None => {}
            }
        });
        if !open {
            d.open = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_names_the_format() {
        assert_eq!(format_of("a.GPKG"), Some("GeoPackage"));
        assert_eq!(format_of(" b.shp "), Some("Shapefile"));
        assert_eq!(format_of("c.json"), Some("GeoJSON"));
        assert_eq!(format_of("d.csv"), None);
        assert_eq!(format_of(""), None);
    }
}
