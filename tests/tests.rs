//! zonemap's integration tests: one binary, one module per capability.

mod areas;
mod cli;
mod coverage;
mod io;
mod ui;
mod util;
