//! The `zonemap` command line: thin glue over `zonemap::core`, and the window when no
//! subcommand is given.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use zonemap::core::analysis::analyse;
use zonemap::core::check::check_layer;
use zonemap::core::io::{LoadOptions, load_layer};
use zonemap::core::model::LayerFilter;
use zonemap::core::report::Report;
use zonemap::core::{Layer, Role};

/// Functional zones (功能区) over towns and streets (镇/街道): geodesic areas and coverage.
///
/// With no subcommand, opens the map window: on the given GeoJSON files, else on the last
/// session, else on the bundled Suzhou high-tech district data.
#[derive(Parser)]
#[command(name = "zonemap", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// GeoJSON files to open in the window.
    files: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Areas, zone × unit overlaps, coverage of every unit, zone overlaps and pilots.
    Report {
        /// GeoJSON file of functional zones.
        zones: PathBuf,
        /// GeoJSON file of units (towns and streets).
        units: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Property to use as the feature name (default: `name`).
        #[arg(long)]
        name_field: Option<String>,
        /// Only the zones whose property FIELD reads VALUE (`--zones-where level=city`).
        #[arg(long, value_name = "FIELD=VALUE", value_parser = LayerFilter::parse)]
        zones_where: Option<LayerFilter>,
        /// Only the units whose property FIELD reads VALUE (`--units-where level=district`).
        #[arg(long, value_name = "FIELD=VALUE", value_parser = LayerFilter::parse)]
        units_where: Option<LayerFilter>,
    },
    /// Loads each file and prints what it holds and every problem found.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned tables for people.
    Table,
    /// JSON for programs.
    Json,
    /// CSV, one table per section.
    Csv,
    /// CSV of the zone × unit matrix: a row per zone; km², share of unit and share of zone per
    /// unit.
    Matrix,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        return window(cli.files);
    };
    match command {
        Command::Report {
            zones,
            units,
            format,
            name_field,
            zones_where,
            units_where,
        } => report(
            (&zones, zones_where.as_ref()),
            (&units, units_where.as_ref()),
            format,
            name_field,
        ),
        Command::Check { files } => check(&files),
    }
}

fn window(files: Vec<PathBuf>) -> ExitCode {
    match zonemap::ui::run(files) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zonemap: cannot open the window: {e}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &Path, role: Role, name_field: Option<String>) -> Result<Layer, String> {
    let options = LoadOptions {
        name_field,
        ..LoadOptions::default()
    };
    load_layer(path, role, &options).map_err(|e| e.to_string())
}

/// A file, and the filter picking some of its features.
type Source<'a> = (&'a Path, Option<&'a LayerFilter>);

fn report(zones: Source, units: Source, format: Format, name_field: Option<String>) -> ExitCode {
    let load_filtered = |(path, filter): Source, role| {
        let layer = load(path, role, name_field.clone())?;
        Ok::<_, String>(match filter {
            Some(f) => layer.filtered(f),
            None => layer,
        })
    };
    let (zones, units) = rayon::join(
        || load_filtered(zones, Role::Zones),
        || load_filtered(units, Role::Units),
    );
    let (zones, units) = match (zones, units) {
        (Ok(z), Ok(u)) => (z, u),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("zonemap: {e}");
            return ExitCode::FAILURE;
        }
    };
    let analysis = analyse(&zones, &units);
    let report = Report::build(&zones, &units, &analysis);
    let text = match format {
        Format::Table => report.to_table(),
        Format::Json => report.to_json() + "\n",
        Format::Csv => report.to_csv(),
        Format::Matrix => report.matrix_csv(),
    };
    print!("{text}");
    ExitCode::SUCCESS
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for path in files {
        match load(path, Role::Context, None) {
            Ok(layer) => {
                let s = check_layer(&layer);
                let types: Vec<String> = s
                    .geometry_types
                    .iter()
                    .map(|(t, n)| format!("{t} {n}"))
                    .collect();
                println!(
                    "{}: {} features ({}), {} skipped",
                    path.display(),
                    s.features,
                    if types.is_empty() {
                        "no geometry".to_string()
                    } else {
                        types.join(", ")
                    },
                    layer.warnings.len()
                );
                if let Some(b) = s.bbox {
                    println!(
                        "  bbox: lon {:.6} .. {:.6}, lat {:.6} .. {:.6}",
                        b.min().x,
                        b.max().x,
                        b.min().y,
                        b.max().y
                    );
                }
                if s.problems.is_empty() {
                    println!("  no problems found");
                }
                for p in &s.problems {
                    println!("  problem: {p}");
                }
            }
            Err(e) => {
                eprintln!("zonemap: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
