//! The `zonemap` command line: thin glue over `zonemap::core`, and the window when no
//! subcommand is given.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use zonemap::core::analysis::analyse;
use zonemap::core::check::check_layer;
use zonemap::core::io::write::feature_collection_text;
use zonemap::core::io::write_atomic;
use zonemap::core::io::{LoadOptions, load_layer};
use zonemap::core::model::LayerFilter;
use zonemap::core::model::WGS84;
use zonemap::core::project::Project;
use zonemap::core::proposal::merge as merge_features;
use zonemap::core::report::Report;
use zonemap::core::scenario::compare;
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
    ///
    /// Give the zones and units files, or a project (`--project`), whose coverage layers are
    /// used as the window's coverage dock uses them.
    Report {
        /// GeoJSON file of functional zones.
        #[arg(required_unless_present = "project")]
        zones: Option<PathBuf>,
        /// GeoJSON file of units (towns and streets).
        #[arg(required_unless_present = "project")]
        units: Option<PathBuf>,
        /// A project saved by the window (`.zonemap`), instead of the two files.
        #[arg(long, conflicts_with_all = ["zones", "units", "zones_where", "units_where"])]
        project: Option<PathBuf>,
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
    /// Merges features from GeoJSON files into one proposed zone, as the window's Merge does:
    /// their union, named, with the units it is made of in `members` and its geodesic area
    /// in `area_km2`, written as RFC 7946 GeoJSON.
    Merge {
        /// GeoJSON files holding the features.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The features' ids (GeoJSON `id`, else `code`, else `adcode`), comma-separated.
        #[arg(long, required = true, value_delimiter = ',')]
        ids: Vec<String>,
        /// The new zone's name.
        #[arg(long)]
        name: String,
        /// Where to write it (replaced atomically).
        #[arg(long)]
        out: PathBuf,
    },
    /// What a project's proposals change: each zone's area before and after, the units that
    /// changed zone, and the coverage totals before and after.
    Diff {
        /// A project saved by the window (`.zonemap`) with a proposals layer.
        project: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
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

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Table,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        return window(cli.files);
    };
    match command {
        Command::Report {
            project: Some(project),
            format,
            ..
        } => report_project(&project, format),
        Command::Report {
            zones: Some(zones),
            units: Some(units),
            format,
            name_field,
            zones_where,
            units_where,
            ..
        } => report(
            (&zones, zones_where.as_ref()),
            (&units, units_where.as_ref()),
            format,
            name_field,
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
        } => merge(&files, &ids, &name, &out),
        Command::Diff { project, format } => diff(&project, format),
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
    print_report(&zones, &units, format)
}

fn print_report(zones: &Layer, units: &Layer, format: Format) -> ExitCode {
    let analysis = analyse(zones, units);
    let report = Report::build(zones, units, &analysis);
    let text = match format {
        Format::Table => report.to_table(),
        Format::Json => report.to_json() + "\n",
        Format::Csv => report.to_csv(),
        Format::Matrix => report.matrix_csv(),
    };
    print!("{text}");
    ExitCode::SUCCESS
}

/// A project's layers, loaded, with relative paths taken from the project's folder.
fn project_layers(path: &Path) -> Result<(Project, Vec<Layer>), String> {
    let project = Project::read(path).map_err(|e| e.to_string())?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let layers = project
        .resolved(dir)
        .load_layers(path)
        .map_err(|e| e.to_string())?;
    Ok((project, layers))
}

/// The layer the project uses for `role`: its choice, else the first with that role.
fn with_role(project: &Project, layers: &[Layer], role: Role) -> Option<usize> {
    let chosen = match role {
        Role::Zones => project.coverage_zones,
        _ => project.coverage_units,
    };
    chosen
        .filter(|&i| layers.get(i).is_some_and(|l| l.role == role))
        .or_else(|| layers.iter().position(|l| l.role == role))
}

fn report_project(path: &Path, format: Format) -> ExitCode {
    let (project, layers) = match project_layers(path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (Some(z), Some(u)) = (
        with_role(&project, &layers, Role::Zones),
        with_role(&project, &layers, Role::Units),
    ) else {
        eprintln!(
            "zonemap: {}: needs a zones layer and a units layer",
            path.display()
        );
        return ExitCode::FAILURE;
    };
    print_report(&layers[z], &layers[u], format)
}

fn diff(path: &Path, format: DiffFormat) -> ExitCode {
    let (project, layers) = match project_layers(path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::FAILURE;
        }
    };
    let after = project.layers.iter().position(|l| l.editable);
    let before = project.proposals_base.filter(|&i| i < layers.len());
    let units = with_role(&project, &layers, Role::Units);
    let (Some(after), Some(before), Some(units)) = (after, before, units) else {
        eprintln!(
            "zonemap: {}: needs a proposals layer, the layer it was started from, and a units layer",
            path.display()
        );
        return ExitCode::FAILURE;
    };
    let report = |zones: &Layer| {
        let analysis = analyse(zones, &layers[units]);
        Report::build(zones, &layers[units], &analysis)
    };
    let diff = compare(&report(&layers[before]), &report(&layers[after]));
    match format {
        DiffFormat::Table => print!("{}", diff.to_table()),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&diff).unwrap_or_default()
        ),
    }
    ExitCode::SUCCESS
}

fn merge(files: &[PathBuf], ids: &[String], name: &str, out: &Path) -> ExitCode {
    match merge_files(files, ids, name, out) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zonemap: {e}");
            ExitCode::FAILURE
        }
    }
}

fn merge_files(
    files: &[PathBuf],
    ids: &[String],
    name: &str,
    out: &Path,
) -> Result<String, String> {
    let layers = files
        .iter()
        .map(|p| load(p, Role::Context, None))
        .collect::<Result<Vec<Layer>, String>>()?;
    let mut parts = Vec::with_capacity(ids.len());
    for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        let found: Vec<(&PathBuf, &Layer)> = files
            .iter()
            .zip(&layers)
            .filter(|(_, l)| l.find(id).is_some())
            .collect();
        match found.as_slice() {
            [(_, layer)] => parts.push(layer.feature(layer.find(id).expect("found above"))),
            [] => {
                let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
                return Err(format!("no feature has id {id} in {}", names.join(", ")));
            }
            several => {
                let names: Vec<String> = several
                    .iter()
                    .map(|(p, _)| p.display().to_string())
                    .collect();
                return Err(format!(
                    "id {id} is in more than one file: {}",
                    names.join(", ")
                ));
            }
        }
    }
    let merged = merge_features(&parts, "P1".into(), name).map_err(|e| e.to_string())?;
    let datum = layers.first().map_or(WGS84, |l| l.crs.as_str());
    let text = feature_collection_text(std::slice::from_ref(&merged), datum);
    write_atomic(out, text.as_bytes()).map_err(|e| format!("{}: {e}", out.display()))?;
    let km2 = merged
        .properties
        .get("area_km2")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    Ok(format!(
        "{}: {name}, {} features, {km2:.3} km²",
        out.display(),
        parts.len()
    ))
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
