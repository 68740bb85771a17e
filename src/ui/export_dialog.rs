//! File > Export map (Ctrl+E): a dialog that previews the finished sheet and writes it as PNG
//! or SVG. The preview and the file are drawn by the core's renderer, in worker threads, from
//! what the window shows: the same layers, styles, coverage colours and labels.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui::{Key, KeyboardShortcut, Modifiers, TextureHandle, Ui};

use crate::core::bundled::bundled;
use crate::core::render::{
    self, Extent, Paint, SheetLang, SheetLayer, SheetMap, SheetOptions, compose,
};

use super::i18n::Lang;
use crate::session::Session;
use crate::session::layer::LayerSource;
use crate::ui::command::{Commands, WindowCommand};

pub const EXPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);

/// The largest preview, in points.
const PREVIEW_MAX: [f32; 2] = [440.0, 330.0];

pub use crate::session::state::{ExportSettings, ExtentChoice};

/// Paper sizes offered, in millimetres, landscape.
const PAPERS: [(&str, [f64; 2]); 3] = [
    ("A4", [297.0, 210.0]),
    ("A3", [420.0, 297.0]),
    ("A2", [594.0, 420.0]),
];

struct Preview {
    key: u64,
    texture: TextureHandle,
    size: [usize; 2],
}

type PreviewResult = (u64, Result<egui::ColorImage, String>);

/// The dialog's state.
#[derive(Default)]
pub struct ExportDialog {
    pub open: bool,
    pub settings: ExportSettings,
    preview: Option<Preview>,
    preview_job: Option<(u64, Receiver<PreviewResult>)>,
    export_job: Option<Receiver<Result<String, String>>>,
    /// The last export's outcome: what was written, or why not.
    pub status: Option<Result<String, String>>,
    /// The automatic source line, as of the last preview: the source field's hint.
    auto_source: String,
}

impl ExportDialog {
    /// A closed dialog with these settings.
    pub fn with_settings(settings: ExportSettings) -> Self {
        ExportDialog {
            settings,
            ..ExportDialog::default()
        }
    }

    /// Whether an export is being written.
    pub fn is_exporting(&self) -> bool {
        self.export_job.is_some()
    }

    /// Whether a preview has been drawn for the current settings and map.
    pub fn has_preview(&self) -> bool {
        self.preview.is_some()
    }
}

fn sheet_lang(lang: Lang) -> SheetLang {
    lang
}

/// The map as the window shows it, for the renderer: visible layers with their styles,
/// thematic fills and, on the coverage map, coverage colours and zone overlaps.
pub fn sheet_map(session: &Session) -> SheetMap {
    let coverage = if session.coverage_map {
        session
            .analysis
            .latest(&session.layers, &session.coverage_choice)
            .map(|(r, _)| r)
    } else {
        None
    };
    let layers = session
        .layers
        .iter()
        .map(|l| {
            let paint = match coverage {
                Some(r) if r.inputs.units == l.key => Paint::Coverage {
                    classes: r.unit_classes.clone().into(),
                },
                Some(r) if r.inputs.zones == l.key => Paint::Outline,
                _ if !l.feature_fills.is_empty() => Paint::Thematic {
                    thematic: l.thematic.clone(),
                    fills: l.feature_fills.clone().into(),
                },
                _ => Paint::Style,
            };
            let source = match &l.source {
                LayerSource::Bundled(p) => {
                    bundled(p, l.filter.as_ref()).map(|b| b.source.to_owned())
                }
                LayerSource::File(_) | LayerSource::Inline(_) => None,
            };
            SheetLayer {
                layer: l.layer.clone(),
                style: l.style.clone(),
                paint,
                source,
            }
        })
        .collect();
    SheetMap {
        layers,
        overlaps: coverage
            .map(|r| r.overlap_features.clone())
            .unwrap_or_default(),
    }
}

/// The renderer's options for the dialog's settings, over `map` (from [`sheet_map`]).
pub fn sheet_options(session: &Session, map: &SheetMap, s: &ExportSettings) -> SheetOptions {
    let lang = sheet_lang(session.lang);
    let extent = match &s.extent {
        ExtentChoice::View if session.map.size_px[0] > 0.0 => {
            Extent::Box(session.map.viewport.visible_lonlat(session.map.size_px))
        }
        ExtentChoice::View | ExtentChoice::All => Extent::All,
        ExtentChoice::Layer(name) => map
            .layers
            .iter()
            .position(|l| l.layer.name == *name)
            .map_or(Extent::All, Extent::Layer),
        ExtentChoice::Selection => {
            let features: Vec<_> = session
                .selection
                .iter()
                .filter_map(|f| {
                    Some((
                        session.layers.iter().position(|l| l.key == f.layer)?,
                        f.feature,
                    ))
                })
                .collect();
            if features.is_empty() {
                Extent::All
            } else {
                Extent::Features(features)
            }
        }
    };
    let source_line = s.source.then(|| {
        if s.source_text.trim().is_empty() {
            render::source_line(map, lang, &render::today())
        } else {
            s.source_text.trim().to_owned()
        }
    });
    SheetOptions {
        size_px: s.size_px,
        dpi: s.dpi,
        title: Some(s.title.clone()).filter(|t| !t.trim().is_empty()),
        legend: s.legend,
        scale_bar: s.scale_bar,
        north_arrow: s.north_arrow,
        labels: s.labels,
        source_line,
        lang,
        extent,
    }
}

impl ExportDialog {
    /// What the preview depends on: when it changes, the preview is drawn again.
    fn preview_key(&self, session: &Session) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        serde_json::to_string(&self.settings)
            .unwrap_or_default()
            .hash(&mut h);
        format!("{:?}", session.lang).hash(&mut h);
        for l in &session.layers {
            l.key.hash(&mut h);
            (std::sync::Arc::as_ptr(&l.layer) as usize).hash(&mut h);
            format!("{:?}", l.style).hash(&mut h);
        }
        session.coverage_map.hash(&mut h);
        if session.coverage_map {
            session
                .analysis
                .latest(&session.layers, &session.coverage_choice)
                .map(|(r, _)| r.run)
                .hash(&mut h);
        }
        session.selection.hash(&mut h);
        if self.settings.extent == ExtentChoice::View {
            let b = session.map.viewport.visible_lonlat(session.map.size_px);
            [b.min().x, b.min().y, b.max().x, b.max().y]
                .map(f64::to_bits)
                .hash(&mut h);
        }
        h.finish()
    }

    /// Polls the workers, and starts a preview when what it shows has changed.
    pub fn poll(&mut self, session: &mut Session, ctx: &egui::Context) {
        if let Some(rx) = &self.export_job
            && let Ok(result) = rx.try_recv()
        {
            self.export_job = None;
            match &result {
                Ok(message) => session.notice = Some(message.clone()),
                Err(e) => session.errors.push(e.clone()),
            }
            self.status = Some(result);
        }
        if let Some((_, rx)) = &self.preview_job
            && let Ok((key, result)) = rx.try_recv()
        {
            self.preview_job = None;
            match result {
                Ok(image) => {
                    let size = image.size;
                    let texture =
                        ctx.load_texture("export-preview", image, egui::TextureOptions::LINEAR);
                    self.preview = Some(Preview { key, texture, size });
                }
                Err(e) => {
                    self.preview = None;
                    self.status = Some(Err(e));
                }
            }
        }
        if !self.open {
            return;
        }
        let key = self.preview_key(session);
        let shown = self.preview.as_ref().map(|p| p.key);
        let running = self.preview_job.as_ref().map(|(k, _)| *k);
        if shown != Some(key) && running.is_none() && session.loads().is_empty() {
            self.start_preview(session, key, ctx);
        }
        if self.preview_job.is_some() || self.export_job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    fn start_preview(&mut self, session: &Session, key: u64, ctx: &egui::Context) {
        let map = sheet_map(session);
        self.auto_source = render::source_line(&map, sheet_lang(session.lang), &render::today());
        let mut options = sheet_options(session, &map, &self.settings);
        // The same sheet, shrunk: text and lines shrink with it, so the layout is the same.
        let [w, h] = options.size_px.map(|v| v.max(1) as f32);
        let k = (PREVIEW_MAX[0] / w).min(PREVIEW_MAX[1] / h).min(1.0);
        options.size_px = [
            (w * k).round().max(64.0) as u32,
            (h * k).round().max(64.0) as u32,
        ];
        options.dpi = (options.dpi * k).max(30.0);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("export preview".to_owned())
            .spawn(move || {
                let result = compose(&map, &options)
                    .and_then(|sheet| sheet.pixmap())
                    .map(|pixmap| {
                        egui::ColorImage::from_rgba_premultiplied(
                            [pixmap.width() as usize, pixmap.height() as usize],
                            pixmap.data(),
                        )
                    })
                    .map_err(|e| e.to_string());
                let _ = tx.send((key, result));
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.preview_job = Some((key, rx));
        }
    }

    /// Writes the sheet to the dialog's path, in a worker thread.
    pub fn start(&mut self, session: &Session, ctx: &egui::Context) {
        let t = session.lang.t();
        let path = PathBuf::from(self.settings.path.trim());
        let name = path.display().to_string();
        let svg = match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if e == "svg" => true,
            Some(e) if e == "png" => false,
            _ => {
                self.status = Some(Err(format!("{name}: {}", t.export_needs_extension)));
                return;
            }
        };
        let map = sheet_map(session);
        let options = sheet_options(session, &map, &self.settings);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let done = t.exported_to;
        let lost_text = t.missing_glyphs;
        let failed = name.clone();
        let spawned = std::thread::Builder::new()
            .name("export".to_owned())
            .spawn(move || {
                let format = if svg {
                    crate::core::render::SheetFormat::Svg
                } else {
                    crate::core::render::SheetFormat::Png
                };
                let result = compose(&map, &options)
                    .map_err(|e| e.to_string())
                    .and_then(|sheet| {
                        crate::core::render::write_sheet(&sheet, &path, format)
                            .map(|()| sheet.layout.labels_missing_glyphs)
                    })
                    .map_err(|e| format!("{name}: {e}"))
                    .map(|lost| {
                        let [w, h] = options.size_px;
                        let mut message =
                            format!("{done} {name} ({w} × {h} px, {} dpi)", options.dpi);
                        if lost > 0 {
                            message.push_str(&format!(" · △ {lost} {lost_text}"));
                        }
                        message
                    });
                let _ = tx.send(result);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.status = None;
                self.export_job = Some(rx);
            }
            Err(e) => self.status = Some(Err(format!("{failed}: {e}"))),
        }
    }

    /// The dialog, when open.
    pub fn ui(&mut self, session: &Session, ctx: &egui::Context, commands: &mut Commands) {
        if !self.open {
            return;
        }
        let lang = session.lang;
        let t = lang.t();
        let mut open = true;
        let layer_names: Vec<String> = session
            .layers
            .iter()
            .filter(|l| l.style.visible)
            .map(|l| l.layer.name.clone())
            .collect();
        let selected = session.selection.len();
        let auto_source = self.auto_source.clone();
        let exporting = self.is_exporting();
        let preview = self.preview.as_ref().map(|p| (p.texture.id(), p.size));
        let rendering = self.preview_job.is_some();
        let status = self.status.clone();
        let s = &mut self.settings;
        crate::ui::dialog(t.export_map.trim_end_matches('…'), &mut open, ctx).show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    settings_ui(ui, s, &layer_names, selected, &auto_source, lang);
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        let button = egui::Button::new(t.export_button);
                        if ui
                            .add_enabled(!exporting && !s.path.trim().is_empty(), button)
                            .clicked()
                        {
                            commands.push(WindowCommand::ExportMap);
                        }
                        if exporting {
                            ui.spinner();
                        }
                    });
                    match &status {
                        Some(Ok(message)) => {
                            ui.label(message);
                        }
                        Some(Err(e)) => {
                            ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
                        }
                        None => {}
                    }
                });
                ui.separator();
                ui.vertical(|ui| {
                    ui.label(t.preview);
                    let (rect, _) =
                        ui.allocate_exact_size(PREVIEW_MAX.into(), egui::Sense::hover());
                    ui.painter()
                        .rect_filled(rect, 0.0, egui::Color32::from_gray(200));
                    if let Some((id, size)) = preview {
                        let size = egui::vec2(size[0] as f32, size[1] as f32);
                        let shown = egui::Rect::from_center_size(rect.center(), size);
                        ui.painter().image(
                            id,
                            shown,
                            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                            egui::Color32::WHITE,
                        );
                    }
                    if rendering {
                        ui.put(
                            egui::Rect::from_center_size(rect.center(), egui::vec2(24.0, 24.0)),
                            egui::Spinner::new(),
                        );
                    }
                });
            });
        });
        if !open {
            self.open = false;
        }
    }
}

/// The settings' fields.
fn settings_ui(
    ui: &mut Ui,
    s: &mut ExportSettings,
    layer_names: &[String],
    selected: usize,
    auto_source: &str,
    lang: Lang,
) {
    let t = lang.t();
    egui::Grid::new("export-settings")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t.export_file);
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut s.path).desired_width(260.0))
                    .labelled_by(label.id);
                if ui.button(t.browse).clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .set_file_name("zonemap-map.png")
                        .add_filter("PNG", &["png"])
                        .add_filter("SVG", &["svg"])
                        .save_file()
                {
                    s.path = path.display().to_string();
                }
            });
            ui.end_row();

            ui.label(t.export_format);
            ui.horizontal(|ui| {
                let path = PathBuf::from(s.path.trim());
                let is_svg = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
                for (svg, name) in [(false, "PNG"), (true, "SVG")] {
                    if ui.radio(is_svg == svg, name).clicked() {
                        s.path = path
                            .with_extension(if svg { "svg" } else { "png" })
                            .display()
                            .to_string();
                    }
                }
            });
            ui.end_row();

            let label = ui.label(t.export_paper);
            ui.horizontal(|ui| {
                for (name, mm) in PAPERS {
                    if ui.button(format!("{name} {}", t.landscape)).clicked() {
                        s.size_px = SheetOptions::px_for_mm(mm, s.dpi);
                    }
                    if ui.button(format!("{name} {}", t.portrait)).clicked() {
                        s.size_px = SheetOptions::px_for_mm([mm[1], mm[0]], s.dpi);
                    }
                }
            })
            .response
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.export_size);
            ui.horizontal(|ui| {
                ui.add(
                    egui::DragValue::new(&mut s.size_px[0])
                        .range(64..=20_000)
                        .suffix(" px"),
                )
                .labelled_by(label.id);
                ui.label("×");
                ui.add(
                    egui::DragValue::new(&mut s.size_px[1])
                        .range(64..=20_000)
                        .suffix(" px"),
                )
                .labelled_by(label.id);
                let mm = s.size_px.map(|px| f64::from(px) / f64::from(s.dpi) * 25.4);
                ui.weak(format!("= {:.0} × {:.0} mm", mm[0], mm[1]));
            });
            ui.end_row();

            let label = ui.label(t.export_dpi);
            ui.add(
                egui::DragValue::new(&mut s.dpi)
                    .range(30.0..=1200.0)
                    .speed(1.0),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.export_title);
            ui.add(egui::TextEdit::singleline(&mut s.title).desired_width(300.0))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.export_extent);
            let name = |e: &ExtentChoice| match e {
                ExtentChoice::View => t.extent_view.to_owned(),
                ExtentChoice::All => t.extent_all.to_owned(),
                ExtentChoice::Layer(n) => format!("{}: {n}", t.extent_layer),
                ExtentChoice::Selection => format!("{} ({selected})", t.extent_selection),
            };
            egui::ComboBox::from_id_salt("export-extent")
                .selected_text(name(&s.extent))
                .width(300.0)
                .show_ui(ui, |ui| {
                    let mut choices = vec![ExtentChoice::View, ExtentChoice::All];
                    choices.extend(layer_names.iter().cloned().map(ExtentChoice::Layer));
                    if selected > 0 {
                        choices.push(ExtentChoice::Selection);
                    }
                    for c in choices {
                        let text = name(&c);
                        ui.selectable_value(&mut s.extent, c, text);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.export_show);
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut s.legend, t.legend);
                ui.checkbox(&mut s.scale_bar, t.scale_bar);
                ui.checkbox(&mut s.north_arrow, t.north_arrow);
                ui.checkbox(&mut s.labels, t.labels);
                ui.checkbox(&mut s.source, t.source_line);
            })
            .response
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.source_line);
            ui.add_enabled(
                s.source,
                egui::TextEdit::singleline(&mut s.source_text)
                    .hint_text(auto_source)
                    .desired_width(300.0),
            )
            .labelled_by(label.id)
            // The line the sheet gets when the field is left empty, whole.
            .on_hover_text(auto_source);
            ui.end_row();
        });
}
