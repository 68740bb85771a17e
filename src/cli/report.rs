//! `zonemap report` and `zonemap diff`: coverage figures from layers or a project, and the
//! scenario against its base.

use std::path::Path;
use std::process::ExitCode;

use super::args::*;
use zonemap::core::analysis::{AnalysisOptions, analyse_with};
use zonemap::core::io::LoadOptions;
use zonemap::core::io::SourceSpec;
use zonemap::core::io::write_atomic_with;
use zonemap::core::model::LayerFilter;
use zonemap::core::project::Project;
use zonemap::core::report::Report;
use zonemap::core::report::SPREADSHEET_BOM;
use zonemap::core::scenario::compare;
use zonemap::core::{Layer, Role};

/// The one layer a source names, read as the options say.
pub(crate) fn load(spec: &str, role: Role, options: &LoadOptions) -> Result<Layer, String> {
    SourceSpec::parse(spec)
        .load(role, options)
        .map_err(|e| e.to_string())
}

/// A source, and the filter picking some of its features.
pub(crate) type Source<'a> = (&'a str, Option<&'a LayerFilter>);

/// How a report is written: its format, and the file it goes to (standard output if none).
pub(crate) type Output<'a> = (Format, Option<&'a Path>);

pub(crate) fn report(
    zones: Source,
    units: Source,
    format: Output,
    input: &InputArgs,
    name_field: Option<String>,
    analysis: AnalysisOptions,
) -> ExitCode {
    let options = match input.options(name_field) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::from(2);
        }
    };
    let load_filtered = |(spec, filter): Source, role| {
        let layer = load(spec, role, &options)?;
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
    print_report(&zones, &units, format, &analysis)
}

pub(crate) fn print_report(
    zones: &Layer,
    units: &Layer,
    (format, out): Output,
    options: &AnalysisOptions,
) -> ExitCode {
    let analysis = analyse_with(zones, units, options);
    let report = Report::build(zones, units, &analysis);
    let Some(path) = out else {
        super::say(&match format {
            Format::Table => report.to_table(),
            Format::Json => report.to_json() + "\n",
            Format::Csv => report.to_csv(),
            Format::Matrix => report.matrix_csv(),
        });
        return ExitCode::SUCCESS;
    };
    // Straight into the file: the 40,250 townships' JSON is 19 MB that need not be held too.
    let written = write_atomic_with(path, &mut |w| match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            w.write_all(b"\n")
        }
        Format::Table => w.write_all(report.to_table().as_bytes()),
        Format::Csv => {
            w.write_all(SPREADSHEET_BOM.as_bytes())?;
            w.write_all(report.to_csv().as_bytes())
        }
        Format::Matrix => {
            w.write_all(SPREADSHEET_BOM.as_bytes())?;
            w.write_all(report.matrix_csv().as_bytes())
        }
    });
    match written {
        Ok(()) => {
            sayln!(
                "wrote {}: {} zones × {} units",
                path.display(),
                report.zones.len(),
                report.units.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zonemap: {}: cannot write: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// A project's layers, loaded, with relative paths taken from the project's folder.
pub(crate) fn project_layers(path: &Path) -> Result<(Project, Vec<Layer>), String> {
    let project = Project::read(path).map_err(|e| e.to_string())?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let layers = project
        .resolved(dir)
        .load_layers(path)
        .map_err(|e| e.to_string())?;
    Ok((project, layers))
}

/// The layer the project uses for `role`: its choice, else the first with that role.
pub(crate) fn report_project(path: &Path, format: Output, snap: Option<f64>) -> ExitCode {
    let (project, layers) = match project_layers(path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (Some(z), Some(u)) = (
        project.coverage_layer(Role::Zones),
        project.coverage_layer(Role::Units),
    ) else {
        eprintln!(
            "zonemap: {}: needs a zones layer and a units layer",
            path.display()
        );
        return ExitCode::FAILURE;
    };
    let mut options = project.analysis.unwrap_or_default();
    if let Some(snap_m) = snap {
        options.snap_m = snap_m;
    }
    print_report(&layers[z], &layers[u], format, &options)
}

pub(crate) fn diff(path: &Path, format: DiffFormat) -> ExitCode {
    let (project, layers) = match project_layers(path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::FAILURE;
        }
    };
    let after = project.layers.iter().position(|l| l.editable);
    let before = project.proposals_base.filter(|&i| i < layers.len());
    let units = project.coverage_layer(Role::Units);
    let (Some(after), Some(before), Some(units)) = (after, before, units) else {
        eprintln!(
            "zonemap: {}: needs a proposals layer, the layer it was started from, and a units layer",
            path.display()
        );
        return ExitCode::FAILURE;
    };
    let options = project.analysis.unwrap_or_default();
    let report = |zones: &Layer| {
        let analysis = analyse_with(zones, &layers[units], &options);
        Report::build(zones, &layers[units], &analysis)
    };
    let diff = compare(&report(&layers[before]), &report(&layers[after]));
    match format {
        DiffFormat::Table => super::say(&diff.to_table()),
        DiffFormat::Json => sayln!(
            "{}",
            serde_json::to_string_pretty(&diff).unwrap_or_default()
        ),
    }
    ExitCode::SUCCESS
}
