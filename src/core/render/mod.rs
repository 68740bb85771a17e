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

pub use labels::{Frame, label_anchor, label_anchors, label_positions};
pub use scene::Scene;
pub use sheet::{
    Extent, Furniture, Layout, Paint, PlacedLabel, ScaleBar, Sheet, SheetError, SheetLang,
    SheetLayer, SheetMap, SheetOptions, compose, source_line, today,
};
