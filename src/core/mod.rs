#![warn(missing_docs)]
//! The headless core: model, IO, measures, index and analyses. Knows nothing of any UI.

pub mod analysis;
pub mod bundled;
pub mod check;
pub mod crs;
pub mod fonts;
pub mod format;
pub mod io;
mod lanes;
pub mod lang;
pub mod measure;
pub mod model;
pub mod project;
pub mod proposal;
pub mod render;
pub mod report;
pub mod scenario;
pub mod style;
pub mod tessellate;
pub mod topology;
pub mod view;

pub use model::{Feature, FeatureId, Layer, Role};
