//! Asking where to save, and whether to save before closing, inside the window: a typed path
//! (filled with the likely one) beside the system's file dialog, so that saving never silently
//! does nothing where no system dialog can open; and Quit with unsaved edits asks to save,
//! close without saving, or cancel.

use std::path::PathBuf;

use egui::{Color32, Key};

use super::command::{Command, Commands, PathFor, WindowCommand};
use super::i18n::Lang;

/// Where to save something, being typed.
pub struct SaveDialog {
    /// What is being saved.
    pub what: PathFor,
    /// The path typed so far.
    pub path: String,
    /// Whether to close the window once saved (the Quit prompt's Save).
    pub then_close: bool,
    /// What the system's file dialog said, if it could not be used.
    pub note: Option<String>,
}

impl SaveDialog {
    /// A dialog for `what`, filled with `path` (else a file in the home folder).
    pub fn new(what: PathFor, path: Option<PathBuf>, then_close: bool) -> Self {
        let (name, _, _) = what.offer();
        let path = path.unwrap_or_else(|| std::env::home_dir().unwrap_or_default().join(name));
        SaveDialog {
            what,
            path: path.display().to_string(),
            then_close,
            note: None,
        }
    }
}

/// The save dialog, while open; `None` once saved or cancelled.
pub fn save_dialog_ui(
    slot: &mut Option<SaveDialog>,
    lang: Lang,
    ctx: &egui::Context,
    commands: &mut Commands,
) {
    let t = lang.t();
    let Some(dialog) = slot else { return };
    let mut open = true;
    let mut done = false;
    let title = match dialog.what {
        PathFor::Project => t.save_project_as.trim_end_matches('…'),
        PathFor::Proposals => t.export_proposals.trim_end_matches('…'),
    };
    crate::ui::dialog(title, &mut open, ctx).show(ctx, |ui| {
        ui.label(t.save_where);
        let mut save = false;
        ui.horizontal(|ui| {
            let field = ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(360.0));
            save |= field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if ui.button(t.browse).clicked() {
                let (name, filter, extensions) = dialog.what.offer();
                match rfd::FileDialog::new()
                    .set_file_name(name)
                    .add_filter(filter, extensions)
                    .save_file()
                {
                    Some(path) => dialog.path = path.display().to_string(),
                    None => dialog.note = Some(t.no_file_dialog.to_owned()),
                }
            }
        });
        if let Some(note) = &dialog.note {
            ui.colored_label(Color32::from_rgb(160, 90, 0), note);
        }
        ui.horizontal(|ui| {
            let path = dialog.path.trim();
            save |= ui
                .add_enabled(!path.is_empty(), egui::Button::new(t.save))
                .clicked();
            if save && !path.is_empty() {
                let path = PathBuf::from(path);
                commands.push(match dialog.what {
                    PathFor::Project => Command::SaveProject(Some(path)),
                    PathFor::Proposals => Command::ExportProposals(Some(path)),
                });
                if dialog.then_close {
                    commands.push(WindowCommand::CloseIfSaved);
                }
                done = true;
            }
            if ui.button(t.cancel).clicked() {
                done = true;
            }
        });
    });
    if !open || done {
        *slot = None;
    }
}

/// Asks what to do with unsaved edits before the window closes: save them (then close),
/// close without saving, or stay. Returns whether the prompt is still open.
pub fn quit_prompt_ui(
    unsaved_edits: u64,
    has_project: bool,
    lang: Lang,
    ctx: &egui::Context,
    commands: &mut Commands,
) -> bool {
    let t = lang.t();
    let mut open = true;
    let mut answered = false;
    crate::ui::dialog(t.unsaved_title, &mut open, ctx).show(ctx, |ui| {
        let edits = unsaved_edits.to_string();
        ui.label(crate::core::lang::fill(
            t.unsaved_question,
            &[("edits", &edits)],
        ));
        ui.horizontal(|ui| {
            if ui.button(t.save_and_quit).clicked() {
                if has_project {
                    commands.push(Command::SaveProject(None));
                    commands.push(WindowCommand::CloseIfSaved);
                } else {
                    commands.push(WindowCommand::SaveThenClose);
                }
                answered = true;
            }
            if ui.button(t.quit_without_saving).clicked() {
                commands.push(WindowCommand::CloseNow);
                answered = true;
            }
            if ui.button(t.cancel).clicked() {
                answered = true;
            }
        });
    });
    open && !answered
}
