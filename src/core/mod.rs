//! The headless core: model, IO, measures, index and analyses. Knows nothing of any UI.

pub mod analysis;
pub mod check;
pub mod index;
pub mod io;
pub mod measure;
pub mod model;
pub mod report;
pub mod style;
pub mod tessellate;
pub mod view;

pub use model::{Feature, FeatureId, Layer, Role};
