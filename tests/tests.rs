//! zonemap's integration tests: one binary, one module per capability.

mod areas;
mod cli;
mod coverage;
mod coverage_ui;
mod io;
mod proposals;
mod ui;
mod util;
