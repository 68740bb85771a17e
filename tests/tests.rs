//! zonemap's integration tests: one binary, one module per capability.

mod areas;
mod cli;
mod clipped_ui;
mod coverage;
mod coverage_ui;
mod dissolve;
mod export;
mod export_ui;
mod formats;
mod formats_ui;
mod fresh_ui;
mod io;
mod layout;
mod layout_ui;
mod prompts_ui;
mod proposals;
mod proposals_ui;
pub mod readme;
mod session;
mod shipped;
mod startup_ui;
mod topology;
mod ui;
mod util;
