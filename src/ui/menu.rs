//! The menu bar: File and View.

use egui::{Key, KeyboardShortcut, Modifiers, Ui};

use super::command::Command;
use super::i18n::Lang;

pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);

/// `open_path` is the text typed into File > Open path.
pub fn menu_bar_ui(ui: &mut Ui, lang: Lang, open_path: &mut String, commands: &mut Vec<Command>) {
    let t = lang.t();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(t.file, |ui| {
            let open =
                egui::Button::new(t.open).shortcut_text(ui.ctx().format_shortcut(&OPEN_SHORTCUT));
            if ui.add(open).clicked() {
                commands.push(Command::ShowOpenDialog);
                ui.close();
            }
            ui.horizontal(|ui| {
                ui.label(t.open_path);
                let edit = ui.add(
                    egui::TextEdit::singleline(open_path)
                        .hint_text(t.open_path_hint)
                        .desired_width(260.0),
                );
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if (ui.button(t.open_button).clicked() || enter) && !open_path.trim().is_empty() {
                    commands.push(Command::OpenFiles(vec![open_path.trim().into()]));
                    open_path.clear();
                    ui.close();
                }
            });
            if ui.button(t.open_bundled).clicked() {
                commands.push(Command::OpenBundled);
                ui.close();
            }
            ui.separator();
            if ui.button(t.quit).clicked() {
                commands.push(Command::Quit);
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
            ui.label(t.language);
            for (l, name) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                if ui.radio(lang == l, name).clicked() {
                    commands.push(Command::SetLang(l));
                    ui.close();
                }
            }
        });
    });
    if ui.input_mut(|i| i.consume_shortcut(&OPEN_SHORTCUT)) {
        commands.push(Command::ShowOpenDialog);
    }
}
