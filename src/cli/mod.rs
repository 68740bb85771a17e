//! The command line's subcommands, one file each; `main` dispatches to them.

pub(crate) mod args;
pub(crate) mod dissolve;
pub(crate) mod edit;
pub(crate) mod export;
pub(crate) mod files;
pub(crate) mod report;
