//! The CPU renderer: a finished map sheet drawn to PNG or SVG with no window and no GPU, the
//! same on every machine.
//!
//! [`compose`] lays out a [`SheetMap`] (layers with their styles, top first) on a sheet as
//! [`SheetOptions`] say, into a [`Scene`] of paths and text in pixels; [`Sheet::png`] draws it
//! with tiny-skia and [`Sheet::svg`] writes it as SVG. Text is set in the bundled Noto Sans SC
//! in both, so Chinese needs no font on the machine.

pub mod furniture;
pub mod input;
pub mod labels;
pub mod raster;
pub mod scene;
pub mod sheet;
pub mod svg;
pub mod text;
pub mod tile;

pub use furniture::ScaleBar;
pub use labels::{
    Frame, LabelPlaced, LabelRequest, LabelRules, Placer, holds_label, label_anchor, label_anchors,
    label_positions, place_labels,
};
pub use scene::Scene;
pub use sheet::{
    Extent, Furniture, Layout, Paint, PlacedLabel, Sheet, SheetError, SheetLang, SheetLayer,
    SheetMap, SheetOptions, compose, legend_rows, source_line, today,
};

/// A sheet file's format, by its name's extension (`.png`, `.svg`, any case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// A PNG image, drawn by tiny-skia.
    Png,
    /// An SVG document.
    Svg,
}

impl SheetFormat {
    /// The format `path`'s extension names, if it names one.
    pub fn of(path: &std::path::Path) -> Option<SheetFormat> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(SheetFormat::Png),
            "svg" => Some(SheetFormat::Svg),
            _ => None,
        }
    }
}

/// Writes a composed sheet to `path` as the format says, atomically (all of the old file or all
/// of the new): the one way the command line and the window's export dialog write a sheet.
/// Errors are one line, without the file's name (the caller puts it in front).
pub fn write_sheet(
    sheet: &Sheet,
    path: &std::path::Path,
    format: SheetFormat,
) -> Result<(), String> {
    let bytes = match format {
        SheetFormat::Svg => sheet.svg().into_bytes(),
        SheetFormat::Png => sheet.png().map_err(|e| e.to_string())?,
    };
    crate::core::io::write_atomic(path, &bytes).map_err(|e| format!("cannot write: {e}"))
}
