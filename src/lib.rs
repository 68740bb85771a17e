//! zonemap: a map for planners who redraw China's functional zones (功能区) over the towns and
//! streets (镇/街道) they cover.
//!
//! [`core`] is headless: layers, GeoJSON IO, geodesic measures, the spatial index and the
//! coverage analyses. `ui` (with the `gui` feature, on by default) is the eframe window over
//! it, and the `zonemap` binary's command line runs the same core functions.

pub mod core;
pub mod session;
#[cfg(feature = "gui")]
pub mod ui;
