//! The menu bar: File, Edit and View, and the keyboard shortcuts they name.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers, Ui};

use super::i18n::Lang;
use super::tools::Tool;
use crate::core::proposal;
use crate::session::history::Edit;
use crate::session::layer::{FeatureRef, LayerKey};
use crate::ui::command::{Command, Commands, WindowCommand};

pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_SHORTCUT_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

/// What the menus need to know this frame.
pub struct MenuInput<'a> {
    pub lang: Lang,
    pub undo: Option<&'a str>,
    pub redo: Option<&'a str>,
    pub has_proposals: bool,
    /// Whether any layer is open (to export).
    pub has_layers: bool,
    pub selection: &'a [FeatureRef],
    pub proposals: Option<LayerKey>,
    pub tool: Tool,
    /// Which panels are shown.
    pub layout: crate::session::state::PanelLayout,
    /// Whether the map pans over tiles drawn on a worker thread.
    pub map_tiles: bool,
}

/// Paths being typed into the File menu (for systems without a file dialog).
pub struct MenuText<'a> {
    pub open_path: &'a mut String,
    pub project_path: &'a mut String,
    pub export_path: &'a mut String,
}

pub fn menu_bar_ui(ui: &mut Ui, input: MenuInput, text: MenuText, commands: &mut Commands) {
    let t = input.lang.t();
    let shortcut = |ui: &Ui, s: &KeyboardShortcut| ui.ctx().format_shortcut(s);
    // Clicks inside a menu must not close it: the File menu has text fields for paths. Every
    // item closes the menu itself.
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::MenuBar::new().config(config).ui(ui, |ui| {
        ui.menu_button(t.file, |ui| {
            let open = egui::Button::new(t.open).shortcut_text(shortcut(ui, &OPEN_SHORTCUT));
            if ui.add(open).clicked() {
                commands.push(WindowCommand::ShowOpenDialog);
                ui.close();
            }
            path_row(
                ui,
                t.open_path,
                t.open_path_hint,
                text.open_path,
                t.open_button,
                |p| Command::OpenFiles(vec![p]),
                commands,
            );
            if ui.button(t.open_bundled).clicked() {
                commands.push(Command::OpenBundled);
                ui.close();
            }
            ui.separator();
            let save =
                egui::Button::new(t.save_project).shortcut_text(shortcut(ui, &SAVE_SHORTCUT));
            if ui.add(save).clicked() {
                commands.push(Command::SaveProject(None));
                ui.close();
            }
            if ui.button(t.save_project_as).clicked() {
                commands.push(WindowCommand::SaveProjectAs);
                ui.close();
            }
            path_row(
                ui,
                t.save_project_to,
                "plan.zonemap",
                text.project_path,
                t.save,
                |p| Command::SaveProject(Some(p)),
                commands,
            );
            ui.separator();
            if ui
                .add_enabled(input.has_proposals, egui::Button::new(t.export_proposals))
                .clicked()
            {
                commands.push(Command::ExportProposals(None));
                ui.close();
            }
            ui.add_enabled_ui(input.has_proposals, |ui| {
                path_row(
                    ui,
                    t.export_to,
                    "proposals.geojson",
                    text.export_path,
                    t.save,
                    |p| Command::ExportProposals(Some(p)),
                    commands,
                );
            });
            if ui
                .add_enabled(input.has_layers, egui::Button::new(t.export_layer))
                .clicked()
            {
                commands.push(WindowCommand::ShowLayerExport(None));
                ui.close();
            }
            ui.separator();
            let export = egui::Button::new(t.export_map)
                .shortcut_text(shortcut(ui, &super::export_dialog::EXPORT_SHORTCUT));
            if ui.add(export).clicked() {
                commands.push(WindowCommand::ShowExportDialog);
                ui.close();
            }
            ui.separator();
            if ui.button(t.quit).clicked() {
                commands.push(WindowCommand::Quit);
            }
        });
        ui.menu_button(t.edit, |ui| {
            let undo = egui::Button::new(format!("{} {}", t.undo, input.undo.unwrap_or_default()))
                .shortcut_text(shortcut(ui, &UNDO_SHORTCUT));
            if ui.add_enabled(input.undo.is_some(), undo).clicked() {
                commands.push(Command::Undo);
                ui.close();
            }
            let redo = egui::Button::new(format!("{} {}", t.redo, input.redo.unwrap_or_default()))
                .shortcut_text(shortcut(ui, &REDO_SHORTCUT));
            if ui.add_enabled(input.redo.is_some(), redo).clicked() {
                commands.push(Command::Redo);
                ui.close();
            }
            ui.separator();
            if ui
                .add_enabled(input.selection.len() >= 2, egui::Button::new(t.merge))
                .clicked()
            {
                commands.push(Command::Edit(Edit::Merge {
                    parts: input.selection.to_vec(),
                    name: String::new(),
                }));
                ui.close();
            }
            let deletable = selected_proposals(&input);
            if ui
                .add_enabled(!deletable.is_empty(), egui::Button::new(t.delete))
                .clicked()
            {
                commands.push(Command::Edit(Edit::Proposals(proposal::Edit::Delete(
                    deletable,
                ))));
                ui.close();
            }
            ui.separator();
            for (tool, label) in [
                (Tool::Select, t.tool_select),
                (Tool::Draw, t.tool_draw),
                (Tool::Split, t.tool_split),
                (Tool::Vertices, t.tool_vertices),
            ] {
                if ui.radio(input.tool == tool, label).clicked() {
                    commands.push(WindowCommand::SetTool(tool));
                    ui.close();
                }
            }
            if !input.has_proposals && ui.button(t.new_proposals).clicked() {
                commands.push(Command::NewProposals(None));
                ui.close();
            }
        });
        ui.menu_button(t.view, |ui| {
            for (label, command) in [
                (t.zoom_all, Command::ZoomToAll),
                (t.zoom_selection, Command::ZoomToSelection),
            ] {
                if ui.button(label).clicked() {
                    commands.push(command);
                    ui.close();
                }
            }
            ui.separator();
            // The panels around the map fold away, leaving it the window.
            let mut layers = input.layout.show_layers;
            if ui.checkbox(&mut layers, t.layers_panel).clicked() {
                commands.push(WindowCommand::ShowLayersPanel(layers));
                ui.close();
            }
            let mut side = input.layout.show_side;
            if ui.checkbox(&mut side, t.side_panel).clicked() {
                commands.push(WindowCommand::ShowSidePanel(side));
                ui.close();
            }
            let mut tiles = input.map_tiles;
            if ui.checkbox(&mut tiles, t.map_tiles).clicked() {
                commands.push(WindowCommand::DrawMapAsTiles(tiles));
                ui.close();
            }
            ui.separator();
            ui.label(t.language);
            for (l, name) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                if ui.radio(input.lang == l, name).clicked() {
                    commands.push(Command::SetLang(l));
                    ui.close();
                }
            }
        });
    });
    shortcuts(ui, &input, commands);
}

fn selected_proposals(input: &MenuInput) -> Vec<crate::core::FeatureId> {
    input
        .selection
        .iter()
        .filter(|f| Some(f.layer) == input.proposals)
        .map(|f| f.feature)
        .collect()
}

/// Keyboard shortcuts, unless a text field has the keyboard (it has its own undo).
fn shortcuts(ui: &mut Ui, input: &MenuInput, commands: &mut Commands) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    ui.input_mut(|i| {
        if i.consume_shortcut(&OPEN_SHORTCUT) {
            commands.push(WindowCommand::ShowOpenDialog);
        }
        if i.consume_shortcut(&SAVE_SHORTCUT) {
            commands.push(Command::SaveProject(None));
        }
        if i.consume_shortcut(&super::export_dialog::EXPORT_SHORTCUT) {
            commands.push(WindowCommand::ShowExportDialog);
        }
        // Ctrl+Shift+Z first: Ctrl+Z would match it too.
        if i.consume_shortcut(&REDO_SHORTCUT) || i.consume_shortcut(&REDO_SHORTCUT_Y) {
            commands.push(Command::Redo);
        }
        if i.consume_shortcut(&UNDO_SHORTCUT) {
            commands.push(Command::Undo);
        }
        // The map's tools, one key each, as desktop GIS has them: S select, D draw, C cut
        // (split), V vertices.
        for (key, tool) in [
            (Key::S, Tool::Select),
            (Key::D, Tool::Draw),
            (Key::C, Tool::Split),
            (Key::V, Tool::Vertices),
        ] {
            if i.modifiers.is_none() && i.key_pressed(key) && input.tool != tool {
                commands.push(WindowCommand::SetTool(tool));
            }
        }
        if input.tool == Tool::Select && i.key_pressed(Key::Delete) {
            let deletable = selected_proposals(input);
            if !deletable.is_empty() {
                commands.push(Command::Edit(Edit::Proposals(proposal::Edit::Delete(
                    deletable,
                ))));
            }
        }
    });
}

/// A text field for a path and a button that acts on it (also on Enter).
fn path_row(
    ui: &mut Ui,
    label: &str,
    hint: &str,
    path: &mut String,
    button: &str,
    command: impl Fn(PathBuf) -> Command,
    commands: &mut Commands,
) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let edit = ui
            .add(
                egui::TextEdit::singleline(path)
                    .hint_text(hint)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if (ui.button(button).clicked() || enter) && !path.trim().is_empty() {
            commands.push(command(path.trim().into()));
            path.clear();
            ui.close();
        }
    });
}
