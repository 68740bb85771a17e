//! The `zonemap` command line: thin glue over `zonemap::core`, and the window when no
//! subcommand is given.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use zonemap::core::analysis::AnalysisOptions;
use zonemap::core::topology::DEFAULT_SNAP_M;

mod cli;

use cli::args::*;
use cli::edit::*;
use cli::export::export;
use cli::files::*;
use cli::report::*;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        return window(cli.files);
    };
    match command {
        Command::Report {
            project: Some(project),
            format,
            out,
            snap,
            ..
        } => report_project(&project, (format, out.as_deref()), snap),
        Command::Report {
            zones: Some(zones),
            units: Some(units),
            format,
            name_field,
            zones_where,
            units_where,
            snap,
            input,
            out,
            ..
        } => report(
            (&zones, zones_where.as_ref()),
            (&units, units_where.as_ref()),
            (format, out.as_deref()),
            &input,
            name_field,
            AnalysisOptions {
                snap_m: snap.unwrap_or(DEFAULT_SNAP_M),
            },
        ),
        Command::Report { .. } => {
            eprintln!("zonemap: report needs ZONES and UNITS, or --project");
            ExitCode::from(2)
        }
        Command::Merge {
            files,
            ids,
            name,
            out,
            snap,
            input,
        } => merge(&files, &ids, &name, &out, snap, &input),
        Command::Move {
            zones,
            units,
            unit,
            into,
            out,
            input,
        } => outcome(move_zones(&zones, &units, &unit, &into, &out, &input)),
        Command::Split {
            zones,
            zone,
            line,
            out,
            input,
        } => outcome(split_zones(&zones, &zone, &line.0, &out, &input)),
        Command::Diff { project, format } => diff(&project, format),
        Command::Check {
            files,
            areas,
            input,
        } => check(&files, areas, &input),
        Command::Dissolve {
            file,
            by,
            out,
            filter,
            snap,
            format,
            input,
        } => outcome(cli::dissolve::dissolve_file(
            (&file, filter.as_ref()),
            &by,
            out.as_deref(),
            snap,
            format,
            &input,
        )),
        Command::Convert {
            input,
            out,
            crs,
            encoding,
            source_crs,
            assign_crs,
            source_encoding,
        } => {
            let args = InputArgs {
                crs: source_crs,
                assign_crs,
                encoding: source_encoding,
            };
            outcome(convert(&input, &out, crs.as_deref(), encoding, &args))
        }
        Command::Export(args) => outcome(export(args)),
    }
}

#[cfg(feature = "gui")]
fn window(files: Vec<PathBuf>) -> ExitCode {
    match zonemap::ui::run(files) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zonemap: cannot open the window: {e}");
            ExitCode::from(2)
        }
    }
}

/// Built without the `gui` feature: the command line only.
#[cfg(not(feature = "gui"))]
fn window(_files: Vec<PathBuf>) -> ExitCode {
    eprintln!(
        "zonemap: this build has no window (built without the `gui` feature); see `zonemap --help` for the commands"
    );
    ExitCode::from(2)
}
