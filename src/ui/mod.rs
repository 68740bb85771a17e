//! The eframe/egui window, chrome around a [`crate::session::Session`]. It never edits the
//! session directly: panels and the map emit [`command::Command`]s, which
//! [`app::ZonemapApp::apply`] hands to the session once per frame.

pub mod analysis_panel;
pub mod app;
pub mod command;
pub mod coverage_map;
pub mod coverage_table;
pub mod dissolve_dialog;
mod edit_panel;
pub mod export_dialog;
pub mod furniture;
pub mod i18n;
mod labels;
pub mod layer_files;
pub mod layers_panel;
mod map_layers;
pub mod map_tiles;
pub mod map_view;
pub mod matrix_view;
mod menu;
mod outlines;
pub mod overlaps_view;
pub mod pick;
mod pilots_view;
pub mod projector;
pub mod save_dialog;
mod scenario_view;
mod selection_panel;
mod status_bar;
mod tile_worker;
pub mod tools;

use std::path::PathBuf;

pub use app::{PanelRects, Startup, ZonemapApp};
pub use i18n::Lang;

use crate::core::style::CJK_FONT_OTF;

/// Adds the bundled Noto Sans SC as a fallback to every text style, so Chinese needs no setup.
pub fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    ctx.add_font(FontInsert::new(
        "NotoSansSC",
        egui::FontData::from_static(CJK_FONT_OTF),
        [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect(),
    ));
}

/// A dialog over the window: centred, fixed in size, closed by its × (which clears `open`).
/// The one look of every dialog (export map, export layer, tables, save, unsaved edits).
pub fn dialog<'a>(
    title: impl Into<egui::WidgetText>,
    open: &'a mut bool,
    ctx: &egui::Context,
) -> egui::Window<'a> {
    egui::Window::new(title)
        .open(open)
        .collapsible(false)
        .resizable(false)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
}

/// The window's first size, in points.
pub const WINDOW_SIZE: [f32; 2] = [1280.0, 800.0];
/// The smallest the window may be made, in points.
pub const MIN_WINDOW_SIZE: [f32; 2] = [640.0, 400.0];

/// The native window `run` opens: titled, at [`WINDOW_SIZE`] and no smaller than
/// [`MIN_WINDOW_SIZE`], taking dropped files.
pub fn native_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("zonemap")
            .with_app_id("zonemap")
            .with_inner_size(WINDOW_SIZE)
            .with_min_inner_size(MIN_WINDOW_SIZE)
            .with_drag_and_drop(true),
        ..Default::default()
    }
}

/// Opens the window and runs until it is closed.
pub fn run(files: Vec<PathBuf>) -> eframe::Result {
    let options = native_options();
    let startup = Startup::shipped(files);
    eframe::run_native(
        "zonemap",
        options,
        Box::new(move |cc| Ok(Box::new(ZonemapApp::new(cc, startup)))),
    )
}
