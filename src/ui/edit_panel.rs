//! The proposals panel, above the selection: the map's tools, undo and redo, and what can be
//! done with the selection: merge several features into one zone, move a unit into a zone,
//! rename, set properties and delete a proposal.

use egui::{RichText, Ui};

use crate::core::Role;
use crate::core::proposal;

use super::i18n::Lang;
use super::tools::Tool;
use crate::session::history::Edit;
use crate::session::layer::{FeatureRef, LayerKey, MapLayer};
use crate::ui::command::{Command, Commands, WindowCommand};

/// Text being typed into the panel, kept between frames.
#[derive(Default)]
pub struct EditPanel {
    /// The merge name, and the selection it was proposed for.
    merge_name: (Vec<FeatureRef>, String),
    /// The zone picked to move the selected unit into.
    move_to: Option<FeatureRef>,
    /// The name being typed for the selected proposal.
    rename: Option<(FeatureRef, String)>,
    key: String,
    value: String,
}

/// What the panel shows this frame.
pub struct EditPanelInput<'a> {
    pub layers: &'a [MapLayer],
    pub selection: &'a [FeatureRef],
    pub proposals: Option<LayerKey>,
    /// The zones a unit can be moved into before there are proposals.
    pub zones: Option<LayerKey>,
    pub tool: Tool,
    pub undo: Option<&'a str>,
    pub redo: Option<&'a str>,
    pub lang: Lang,
}

impl EditPanel {
    pub fn ui(&mut self, ui: &mut Ui, input: EditPanelInput<'_>, commands: &mut Commands) {
        let t = input.lang.t();
        ui.heading(t.proposals);
        ui.horizontal_wrapped(|ui| {
            for (tool, label) in [
                (Tool::Select, t.tool_select),
                (Tool::Draw, t.tool_draw),
                (Tool::Split, t.tool_split),
                (Tool::Vertices, t.tool_vertices),
            ] {
                if ui.selectable_label(input.tool == tool, label).clicked() {
                    commands.push(WindowCommand::SetTool(tool));
                }
            }
        });
        ui.weak(match input.tool {
            Tool::Select => t.hint_select,
            Tool::Draw => t.hint_draw,
            Tool::Split => t.hint_split,
            Tool::Vertices => t.hint_vertices,
        });
        ui.horizontal_wrapped(|ui| {
            let undo = ui.add_enabled(input.undo.is_some(), egui::Button::new(t.undo));
            if undo
                .on_hover_text(format!("{} (Ctrl+Z)", input.undo.unwrap_or_default()))
                .clicked()
            {
                commands.push(Command::Undo);
            }
            let redo = ui.add_enabled(input.redo.is_some(), egui::Button::new(t.redo));
            if redo
                .on_hover_text(format!(
                    "{} (Ctrl+Shift+Z, Ctrl+Y)",
                    input.redo.unwrap_or_default()
                ))
                .clicked()
            {
                commands.push(Command::Redo);
            }
            if input.proposals.is_none() && ui.button(t.new_proposals).clicked() {
                commands.push(Command::NewProposals(None));
            }
        });
        if input.proposals.is_none() {
            ui.weak(t.no_proposals);
        }
        self.selection_ui(ui, &input, commands);
        ui.separator();
    }

    fn selection_ui(&mut self, ui: &mut Ui, input: &EditPanelInput, commands: &mut Commands) {
        let t = input.lang.t();
        let feature = |f: &FeatureRef| {
            let layer = input.layers.iter().find(|l| l.key == f.layer)?;
            Some((layer, layer.feature(f.feature)?))
        };
        let areal: Vec<FeatureRef> = input
            .selection
            .iter()
            .filter(|f| feature(f).is_some_and(|(_, ft)| ft.is_areal()))
            .copied()
            .collect();
        if areal.len() >= 2 {
            if self.merge_name.0 != areal {
                let names: Vec<String> = areal
                    .iter()
                    .filter_map(|f| Some(feature(f)?.1.name.clone()))
                    .collect();
                self.merge_name = (areal.clone(), names.join("+"));
            }
            ui.label(RichText::new(format!("{} ({})", t.merge_heading, areal.len())).strong());
            // Wrapped, and the field as wide as leaves room for the button: the panel keeps the
            // width the user gave it.
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(t.name);
                let width = (ui.available_width() - 70.0).clamp(80.0, 240.0);
                ui.add(egui::TextEdit::singleline(&mut self.merge_name.1).desired_width(width))
                    .labelled_by(label.id);
                if ui.button(t.merge).clicked() {
                    commands.push(Command::Edit(Edit::Merge {
                        parts: areal.clone(),
                        name: self.merge_name.1.trim().to_owned(),
                    }));
                }
            });
        }
        let [one] = input.selection else {
            let proposals: Vec<_> = input
                .selection
                .iter()
                .filter(|f| Some(f.layer) == input.proposals)
                .map(|f| f.feature)
                .collect();
            if !proposals.is_empty() && ui.button(t.delete).clicked() {
                commands.push(Command::Edit(Edit::Proposals(proposal::Edit::Delete(
                    proposals,
                ))));
            }
            return;
        };
        let Some((layer, selected)) = feature(one) else {
            return;
        };
        if layer.role == Role::Units && selected.is_areal() {
            self.move_ui(ui, input, *one, commands);
        }
        if Some(one.layer) == input.proposals {
            if self.rename.as_ref().is_none_or(|(f, _)| f != one) {
                self.rename = Some((*one, selected.name.clone()));
            }
            if let Some((_, name)) = &mut self.rename {
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label(t.name);
                    let width = (ui.available_width() - 80.0).clamp(80.0, 240.0);
                    ui.add(egui::TextEdit::singleline(name).desired_width(width))
                        .labelled_by(label.id);
                    if ui.button(t.rename).clicked() && !name.trim().is_empty() {
                        commands.push(Command::Edit(Edit::Proposals(proposal::Edit::Rename {
                            feature: one.feature,
                            name: name.trim().to_owned(),
                        })));
                    }
                });
            }
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(t.field);
                ui.add(egui::TextEdit::singleline(&mut self.key).desired_width(70.0))
                    .labelled_by(label.id);
                let label = ui.label(t.value);
                ui.add(egui::TextEdit::singleline(&mut self.value).desired_width(90.0))
                    .labelled_by(label.id);
                if ui.button(t.set_property).clicked() && !self.key.trim().is_empty() {
                    commands.push(Command::Edit(Edit::Proposals(
                        proposal::Edit::SetProperty {
                            feature: one.feature,
                            key: self.key.trim().to_owned(),
                            value: self.value.clone(),
                        },
                    )));
                }
            });
            ui.horizontal_wrapped(|ui| {
                if ui.button(t.edit_vertices).clicked() {
                    commands.push(WindowCommand::SetTool(Tool::Vertices));
                }
                if ui.button(t.delete).clicked() {
                    commands.push(Command::Edit(Edit::Proposals(proposal::Edit::Delete(
                        vec![one.feature],
                    ))));
                }
            });
        }
    }

    /// A unit is selected: pick a zone to move it into.
    fn move_ui(
        &mut self,
        ui: &mut Ui,
        input: &EditPanelInput,
        unit: FeatureRef,
        commands: &mut Commands,
    ) {
        let t = input.lang.t();
        let Some(zones) = input
            .proposals
            .or(input.zones)
            .and_then(|k| input.layers.iter().find(|l| l.key == k))
        else {
            return;
        };
        if self.move_to.is_some_and(|z| z.layer != zones.key) {
            self.move_to = None;
        }
        let name = |f: Option<FeatureRef>| {
            f.and_then(|f| zones.feature(f.feature))
                .map_or(t.none.to_owned(), |z| z.name.clone())
        };
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.move_to);
            egui::ComboBox::from_id_salt("move_unit_to")
                .selected_text(name(self.move_to))
                .width(150.0)
                .show_ui(ui, |ui| {
                    for id in zones.layer.ids() {
                        let f = FeatureRef {
                            layer: zones.key,
                            feature: id,
                        };
                        if zones.layer.feature(id).is_areal() {
                            ui.selectable_value(&mut self.move_to, Some(f), name(Some(f)));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            if ui
                .add_enabled(self.move_to.is_some(), egui::Button::new(t.move_button))
                .clicked()
                && let Some(zone) = self.move_to
            {
                commands.push(Command::Edit(Edit::MoveUnit { unit, zone }));
            }
        });
    }
}
