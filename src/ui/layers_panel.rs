//! The layer list: roles, visibility, styles, order, legends, and each layer's features.

use egui::{Color32, RichText, Ui};

use crate::core::Role;
use crate::core::style::{ClassMethod, Graduated, LayerStyle, MAX_CLASSES, NO_DATA_FILL, Rgba};

use super::i18n::Lang;
use super::layer_files::ENCODINGS;
use crate::session::layer::{FeatureRef, LayerKey, LayerSource, MapLayer, Thematic};
use crate::ui::command::{Command, Commands, MoveDirection, WindowCommand};
use crate::ui::projector::color32;

/// Lists the layers, top of the map first.
pub fn layers_ui(
    ui: &mut Ui,
    layers: &[MapLayer],
    active: Option<LayerKey>,
    selection: &[FeatureRef],
    lang: Lang,
    commands: &mut Commands,
) {
    let t = lang.t();
    ui.heading(t.layers);
    if layers.is_empty() {
        ui.weak(t.drop_files);
    }
    let count = layers.len();
    let has_proposals = layers.iter().any(|l| l.editable);
    for (i, layer) in layers.iter().enumerate() {
        ui.push_id(layer.key.0, |ui| {
            ui.separator();
            layer_header_ui(ui, layer, active == Some(layer.key), lang, commands);
            ui.horizontal_wrapped(|ui| {
                if ui
                    .add_enabled(i > 0, egui::Button::new("↑").small())
                    .on_hover_text(t.move_up)
                    .clicked()
                {
                    commands.push(Command::MoveLayer(layer.key, MoveDirection::Up));
                }
                if ui
                    .add_enabled(i + 1 < count, egui::Button::new("↓").small())
                    .on_hover_text(t.move_down)
                    .clicked()
                {
                    commands.push(Command::MoveLayer(layer.key, MoveDirection::Down));
                }
                if ui.small_button(t.zoom_layer).clicked() {
                    commands.push(Command::ZoomToLayer(layer.key));
                }
                if ui.small_button(t.remove).clicked() {
                    commands.push(Command::RemoveLayer(layer.key));
                }
            });
            // Source layers stay read-only; edits go to a copy, which this starts.
            let polygons = layer.layer.features.iter().any(|f| f.is_areal());
            if !has_proposals
                && polygons
                && ui
                    .small_button(t.edit_layer)
                    .on_hover_text(t.edit_layer_hint)
                    .clicked()
            {
                commands.push(Command::NewProposals(Some(layer.key)));
            }
            if polygons
                && ui
                    .small_button(t.dissolve_button)
                    .on_hover_text(t.dissolve_hint)
                    .clicked()
            {
                commands.push(WindowCommand::ShowDissolve(layer.key));
            }
            egui::CollapsingHeader::new(t.style)
                .id_salt("style")
                .show(ui, |ui| style_ui(ui, layer, lang, commands));
            egui::CollapsingHeader::new(t.source)
                .id_salt("source")
                .show(ui, |ui| source_ui(ui, layer, lang, commands));
            legend_ui(ui, layer, lang);
            features_ui(ui, layer, selection, lang, commands);
        });
    }
}

/// Where the layer comes from, in what system and encoding; reading it again with others; and
/// exporting it.
fn source_ui(ui: &mut Ui, layer: &MapLayer, lang: Lang, commands: &mut Commands) {
    let t = lang.t();
    let mut place = layer.source.label();
    if let Some(table) = &layer.layer.table {
        place.push_str(&format!(" : {table}"));
    }
    ui.label(RichText::new(place).small());
    ui.label(format!("{}: {}", t.crs, layer.layer.crs.name()));
    let file = matches!(layer.source, LayerSource::File(_)) && !layer.editable;
    if let Some(encoding) = &layer.layer.encoding {
        ui.label(format!("{}: {encoding}", t.encoding));
        if file {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(t.read_as);
                let current = layer
                    .encoding_choice
                    .as_deref()
                    .unwrap_or_else(|| encoding.split(' ').next().unwrap_or(""));
                egui::ComboBox::from_id_salt("encoding")
                    .selected_text(current)
                    .show_ui(ui, |ui| {
                        for e in ENCODINGS {
                            if ui.selectable_label(current == e, e).clicked() {
                                commands.push(Command::RereadLayer {
                                    key: layer.key,
                                    encoding: Some(e.to_owned()),
                                    crs: None,
                                });
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
    }
    if file {
        let id = ui.make_persistent_id("crs-text");
        let mut text: String = ui
            .data_mut(|d| d.get_temp(id))
            .unwrap_or_else(|| layer.layer.crs.code());
        ui.horizontal_wrapped(|ui| {
            let field = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(120.0))
                .on_hover_text(t.reread_crs_hint);
            let valid = crate::core::crs::Crs::parse(text.trim()).is_ok();
            if ui
                .add_enabled(valid, egui::Button::new(t.reread).small())
                .on_hover_text(t.reread_crs_hint)
                .clicked()
            {
                commands.push(Command::RereadLayer {
                    key: layer.key,
                    encoding: None,
                    crs: Some(text.trim().to_owned()),
                });
            }
            if field.changed() {
                ui.data_mut(|d| d.insert_temp(id, text.clone()));
            }
        });
    }
    if ui.small_button(t.export_this_layer).clicked() {
        commands.push(WindowCommand::ShowLayerExport(Some(layer.key)));
    }
}

fn layer_header_ui(
    ui: &mut Ui,
    layer: &MapLayer,
    active: bool,
    lang: Lang,
    commands: &mut Commands,
) {
    let t = lang.t();
    ui.horizontal_wrapped(|ui| {
        let mut visible = layer.style.visible;
        if ui
            .checkbox(&mut visible, "")
            .on_hover_text(t.visible)
            .changed()
        {
            let mut style = layer.style.clone();
            style.visible = visible;
            commands.push(Command::SetStyle(layer.key, style));
        }
        let swatch = color32(layer.style.fill, layer.style.fill_opacity.max(0.4));
        ui.label(RichText::new("■").color(swatch));
        let name = RichText::new(&layer.layer.name);
        let name = if active { name.strong() } else { name };
        if ui.selectable_label(active, name).clicked() {
            commands.push(Command::SetActiveLayer(layer.key));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(format!("{}:", t.role));
        let mut role = layer.role;
        egui::ComboBox::from_id_salt("role")
            .selected_text(lang.role(role))
            .show_ui(ui, |ui| {
                for r in [Role::Zones, Role::Units, Role::Context] {
                    ui.selectable_value(&mut role, r, lang.role(r));
                }
            })
            .response
            .labelled_by(label.id);
        if role != layer.role {
            commands.push(Command::SetRole(layer.key, role));
        }
        // The CRS, unless the line below names it with what was done to it.
        let crs = if layer.layer.crs.transform_note().is_some() {
            String::new()
        } else {
            format!(" · {}", layer.layer.crs.short_name())
        };
        ui.weak(format!(
            "{} {}{crs}",
            layer.layer.features.len(),
            t.feature_count
        ));
    });
    // What was done to bring it onto the map, and how its text was read.
    let mut done: Vec<String> = layer.layer.crs.transform_note().into_iter().collect();
    if let Some(encoding) = &layer.layer.encoding {
        done.push(encoding.clone());
    }
    if !done.is_empty() {
        ui.weak(done.join(" · "));
    }
    if let Some(warning) = layer.layer.crs.warning() {
        ui.colored_label(Color32::from_rgb(200, 90, 0), format!("△ {warning}"));
    }
    if layer.editable {
        ui.colored_label(Color32::from_rgb(106, 27, 154), t.editable);
    }
    if layer.approximate {
        ui.colored_label(
            Color32::from_rgb(200, 90, 0),
            format!("≈ {}", t.approximate),
        );
    }
    if let Some((_, missing)) = layer.missing_glyphs
        && missing > 0
    {
        ui.colored_label(
            Color32::from_rgb(200, 60, 0),
            format!("△ {missing} {}", t.missing_glyphs),
        );
    }
    if !layer.layer.warnings.is_empty() {
        ui.colored_label(
            Color32::from_rgb(200, 60, 0),
            format!("△ {} {}", layer.layer.warnings.len(), t.warnings),
        )
        .on_hover_ui(|ui| {
            for w in layer.layer.warnings.iter().take(20) {
                ui.label(w.to_string());
            }
        });
    }
}

fn style_ui(ui: &mut Ui, layer: &MapLayer, lang: Lang, commands: &mut Commands) {
    let t = lang.t();
    let mut style: LayerStyle = layer.style.clone();
    egui::Grid::new("style_grid").num_columns(2).show(ui, |ui| {
        let label = ui.label(t.fill);
        // The swatch only fills features that have no colour of their own.
        ui.add_enabled_ui(!style.colours_each_feature(), |ui| {
            rgb_button(ui, &mut style.fill, label.id)
        })
        .inner
        .on_disabled_hover_text(t.fill_unused);
        ui.end_row();
        ui.label("");
        ui.checkbox(&mut style.distinct, t.distinct_colours)
            .on_hover_text(t.distinct_colours_hint);
        ui.end_row();
        ui.label(t.opacity);
        ui.add(egui::Slider::new(&mut style.fill_opacity, 0.0..=1.0));
        ui.end_row();
        let label = ui.label(t.outline);
        ui.horizontal_wrapped(|ui| {
            rgb_button(ui, &mut style.outline, label.id);
            ui.add(
                egui::DragValue::new(&mut style.outline_width)
                    .range(0.0..=8.0)
                    .speed(0.1)
                    .suffix(" px"),
            );
        });
        ui.end_row();
        let label = ui.label(t.label_field);
        field_combo(
            ui,
            label.id,
            "label_field",
            &mut style.label_field,
            &layer.fields,
            t.none,
        );
        ui.end_row();
        let label = ui.label(t.category_field);
        let before = style.category_field.clone();
        field_combo(
            ui,
            label.id,
            "category_field",
            &mut style.category_field,
            &layer.fields,
            t.none,
        );
        if style.category_field != before && style.category_field.is_some() {
            // One colouring at a time: categories replace graduated classes.
            style.graduated = None;
        }
        ui.end_row();
        graduated_ui(ui, &mut style, &layer.numeric_fields, lang);
    });
    split_ui(ui, layer, lang, commands);
    if style != layer.style {
        commands.push(Command::SetStyle(layer.key, style));
    }
}

/// Graduated colours: a numeric field (or it per km²), cut into classes.
fn graduated_ui(ui: &mut Ui, style: &mut LayerStyle, numeric_fields: &[String], lang: Lang) {
    let t = lang.t();
    let label = ui.label(t.graduated);
    let mut field = style.graduated.as_ref().map(|g| g.field.clone());
    field_combo(
        ui,
        label.id,
        "graduated_field",
        &mut field,
        numeric_fields,
        t.none,
    );
    ui.end_row();
    match field {
        None => style.graduated = None,
        Some(field) => {
            let g = style.graduated.get_or_insert_with(Graduated::default);
            if g.field != field {
                g.field = field;
                style.category_field = None;
            }
            let label = ui.label(t.method);
            ui.horizontal_wrapped(|ui| {
                egui::ComboBox::from_id_salt("class_method")
                    .selected_text(method_name(g.method, lang))
                    .show_ui(ui, |ui| {
                        for m in [ClassMethod::Quantiles, ClassMethod::EqualIntervals] {
                            ui.selectable_value(&mut g.method, m, method_name(m, lang));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let count = ui.label(t.class_count);
                ui.add(egui::DragValue::new(&mut g.classes).range(2..=MAX_CLASSES))
                    .labelled_by(count.id);
            });
            ui.end_row();
            ui.label("");
            ui.checkbox(&mut g.per_km2, t.per_km2);
            ui.end_row();
        }
    }
}

fn method_name(method: ClassMethod, lang: Lang) -> &'static str {
    match method {
        ClassMethod::Quantiles => lang.t().quantiles,
        ClassMethod::EqualIntervals => lang.t().equal_intervals,
    }
}

/// Split the layer into one layer per value of a field (cities and districts from one file).
fn split_ui(ui: &mut Ui, layer: &MapLayer, lang: Lang, commands: &mut Commands) {
    if layer.filter.is_some() || layer.fields.is_empty() {
        return;
    }
    let t = lang.t();
    let id = ui.make_persistent_id("split_field");
    let mut field: Option<String> = ui.data(|d| d.get_temp(id)).flatten();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t.split_by);
        field_combo(
            ui,
            label.id,
            "split_field",
            &mut field,
            &layer.fields,
            t.none,
        );
        if ui
            .add_enabled(field.is_some(), egui::Button::new(t.split))
            .clicked()
            && let Some(f) = &field
        {
            commands.push(Command::SplitLayer(layer.key, f.clone()));
        }
    });
    ui.data_mut(|d| d.insert_temp(id, field));
}

/// A colour swatch that opens a picker, named by the label `label`.
fn rgb_button(ui: &mut Ui, colour: &mut Rgba, label: egui::Id) -> egui::Response {
    let [r, g, b, a] = colour.0;
    let mut rgb = [r, g, b];
    let response = egui::color_picker::color_edit_button_srgb(ui, &mut rgb).labelled_by(label);
    if response.changed() {
        *colour = Rgba([rgb[0], rgb[1], rgb[2], a]);
    }
    response
}

fn field_combo(
    ui: &mut Ui,
    label: egui::Id,
    id: &str,
    field: &mut Option<String>,
    fields: &[String],
    none: &str,
) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(field.as_deref().unwrap_or(none))
        .show_ui(ui, |ui| {
            ui.selectable_value(field, None, none);
            for f in fields {
                ui.selectable_value(field, Some(f.clone()), f);
            }
        })
        .response
        .labelled_by(label);
}

fn legend_ui(ui: &mut Ui, layer: &MapLayer, lang: Lang) {
    let t = lang.t();
    match &layer.thematic {
        Thematic::None => {}
        Thematic::Categories(categories) => {
            ui.label(RichText::new(format!("{}: {}", t.legend, categories.field)).small());
            for c in categories.entries.iter().take(40) {
                swatch_row(ui, c.fill, &format!("{} ({})", c.value, c.count));
            }
            if categories.entries.len() > 40 {
                ui.weak(format!("… +{}", categories.entries.len() - 40));
            }
        }
        Thematic::Classes(classes) => {
            let spec = &classes.spec;
            let per = if spec.per_km2 {
                format!(" / {}", t.km2)
            } else {
                String::new()
            };
            ui.label(
                RichText::new(format!(
                    "{}: {}{per} ({})",
                    t.legend,
                    spec.field,
                    method_name(spec.method, lang)
                ))
                .small(),
            );
            for c in &classes.classes {
                let text = crate::core::format::class_range(c.lower, c.upper, c.count);
                swatch_row(ui, c.fill, &text);
            }
            if classes.no_data > 0 {
                swatch_row(
                    ui,
                    NO_DATA_FILL,
                    &format!("{} ({})", t.no_value, classes.no_data),
                );
            }
        }
    }
}

fn swatch_row(ui: &mut Ui, fill: Rgba, text: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("■").color(color32(fill, 1.0)));
        ui.label(text);
    });
}

/// A class bound, with as many decimals as its size needs.
pub use crate::core::format::class_bound as figure;

fn features_ui(
    ui: &mut Ui,
    layer: &MapLayer,
    selection: &[FeatureRef],
    lang: Lang,
    commands: &mut Commands,
) {
    let t = lang.t();
    egui::CollapsingHeader::new(format!("{} ({})", t.features, layer.layer.features.len()))
        .id_salt("features")
        .default_open(layer.layer.features.len() <= 12 && layer.role != Role::Context)
        .show(ui, |ui| {
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .auto_shrink([false, true])
                .show_rows(ui, row_height, layer.layer.features.len(), |ui, rows| {
                    for index in rows {
                        let r = FeatureRef {
                            layer: layer.key,
                            feature: crate::core::FeatureId(index as u32),
                        };
                        let feature = &layer.layer.features[index];
                        let response = ui.selectable_label(selection.contains(&r), &feature.name);
                        if response.clicked() {
                            if ui.input(|i| i.modifiers.shift) {
                                commands.push(Command::ToggleSelected(r));
                            } else {
                                commands.push(Command::Select(vec![r]));
                            }
                        }
                        if response.double_clicked() {
                            commands.push(Command::ZoomToFeature(r));
                        }
                    }
                });
        });
}
