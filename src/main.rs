//! The `zonemap` command line: thin glue over `zonemap::core`, and the window when no
//! subcommand is given.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use zonemap::core::analysis::{AnalysisOptions, analyse_with};
use zonemap::core::check::check_layer;
use zonemap::core::crs::Crs;
use zonemap::core::io::LoadOptions;
use zonemap::core::io::SourceSpec;
use zonemap::core::io::write::feature_collection_text;
use zonemap::core::io::write_atomic;
use zonemap::core::lang::Lang;
use zonemap::core::model::LayerFilter;
use zonemap::core::project::Project;
use zonemap::core::proposal::merge_with as merge_features;
use zonemap::core::report::Report;
use zonemap::core::scenario::compare;
use zonemap::core::topology::DEFAULT_SNAP_M;
use zonemap::core::{Layer, Role};

/// Functional zones (功能区) over towns and streets (镇/街道): geodesic areas and coverage.
///
/// With no subcommand, opens the map window: on the given files (GeoJSON, Shapefile, zip,
/// GeoPackage, or a project), else on the last session, else on the bundled Suzhou high-tech
/// district data.
///
/// Every FILE may be GeoJSON, an Esri Shapefile (`.shp`, with its `.dbf`, `.shx`, `.prj` and
/// `.cpg` beside it), a `.zip` of Shapefiles or a GeoPackage; `FILE.gpkg:TABLE` names one
/// table. Each is brought into WGS-84 from the coordinate system it says (its `.prj`, srs,
/// `crs` or `datum` member).
#[derive(Parser)]
#[command(name = "zonemap", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files to open in the window.
    files: Vec<PathBuf>,
}

/// How to read input files.
#[derive(clap::Args, Clone, Default)]
struct InputArgs {
    /// The coordinate system of input files that do not say theirs: `EPSG:4528`, `GCJ-02`,
    /// `BD-09`, `CGCS2000`, a PROJ string or WKT. A file's own `.prj`, srs or `crs` member wins.
    #[arg(long, value_name = "CRS")]
    crs: Option<String>,
    /// The coordinate system to read every input file in, whatever it says: for a file whose
    /// `.prj` (or srs, or `crs` member) names the wrong one.
    #[arg(long, value_name = "CRS")]
    assign_crs: Option<String>,
    /// The text encoding of Shapefile attributes (`GBK`, `UTF-8`, `GB18030`, `936`, ...),
    /// instead of what the `.cpg` or the DBF says.
    #[arg(long, value_name = "ENCODING")]
    encoding: Option<String>,
}

impl InputArgs {
    fn options(&self, name_field: Option<String>) -> Result<LoadOptions, String> {
        let assumed_crs = match &self.crs {
            Some(text) => Some(Crs::parse(text).map_err(|e| format!("--crs: {e}"))?),
            None => None,
        };
        let crs = match &self.assign_crs {
            Some(text) => Some(Crs::parse(text).map_err(|e| format!("--assign-crs: {e}"))?),
            None => None,
        };
        Ok(LoadOptions {
            name_field,
            crs,
            assumed_crs,
            encoding: self.encoding.clone(),
            ..LoadOptions::default()
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Areas, zone × unit overlaps, coverage of every unit, zone overlaps and pilots.
    ///
    /// Give the zones and units files, or a project (`--project`), whose coverage layers are
    /// used as the window's coverage dock uses them.
    Report {
        /// The functional zones: a file (`FILE.gpkg:TABLE` for one table of a GeoPackage).
        #[arg(required_unless_present = "project")]
        zones: Option<String>,
        /// The units (towns and streets): a file, as ZONES.
        #[arg(required_unless_present = "project")]
        units: Option<String>,
        /// A project saved by the window (`.zonemap`), instead of the two files.
        #[arg(long, conflicts_with_all = ["zones", "units", "zones_where", "units_where"])]
        project: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write the report to this file (atomically) instead of standard output; CSV and
        /// matrix files get a UTF-8 byte-order mark, so that Excel reads the Chinese right.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Property to use as the feature name (default: `name`).
        #[arg(long)]
        name_field: Option<String>,
        /// Only the zones whose property FIELD reads VALUE (`--zones-where level=city`).
        #[arg(long, value_name = "FIELD=VALUE", value_parser = LayerFilter::parse)]
        zones_where: Option<LayerFilter>,
        /// Only the units whose property FIELD reads VALUE (`--units-where level=district`).
        #[arg(long, value_name = "FIELD=VALUE", value_parser = LayerFilter::parse)]
        units_where: Option<LayerFilter>,
        /// Snapping tolerance in metres: zone boundaries this close to a unit's are taken as
        /// shared (slivers under it are listed, not counted); 0 turns it off. Default 1, or
        /// the project's.
        #[arg(long, value_name = "METRES", value_parser = parse_snap)]
        snap: Option<f64>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Merges features from layer files into one proposed zone, as the window's Merge does:
    /// their union, named, with the units it is made of in `members` and its geodesic area
    /// in `area_km2`, written as RFC 7946 GeoJSON.
    Merge {
        /// Files holding the features (any format; `FILE.gpkg:TABLE` for one table).
        #[arg(required = true)]
        files: Vec<String>,
        /// The features' ids (GeoJSON `id`, else `code`, else `adcode`), comma-separated.
        #[arg(long, required = true, value_delimiter = ',')]
        ids: Vec<String>,
        /// The new zone's name.
        #[arg(long)]
        name: String,
        /// Where to write it (replaced atomically).
        #[arg(long)]
        out: PathBuf,
        /// Snapping tolerance in metres: boundaries this close are taken as shared, so
        /// neighbours from different sources merge into one polygon; 0 turns it off.
        #[arg(long, value_name = "METRES", default_value_t = DEFAULT_SNAP_M, value_parser = parse_snap)]
        snap: f64,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Moves a unit into a zone, as the window's Move does: the zone grows by the unit and
    /// lists it in `members`; every zone that held it loses it (a zone left empty is removed).
    /// Writes all the zones to OUT (GeoJSON, Shapefile or GeoPackage, by its extension).
    Move {
        /// The zones.
        zones: String,
        /// The units.
        units: String,
        /// The unit's id (GeoJSON `id`, else `code`, else `adcode`).
        #[arg(long)]
        unit: String,
        /// The id of the zone it goes into.
        #[arg(long)]
        into: String,
        /// Where to write the zones (replaced atomically).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Cuts a zone along a line (a road) into parts, as the window's Split does: parts named
    /// "NAME 1", "NAME 2", … north to south, keeping the zone's properties. Writes all the
    /// zones to OUT.
    Split {
        /// The zones.
        zones: String,
        /// The id of the zone to cut.
        #[arg(long)]
        zone: String,
        /// The line, from outside the zone to outside it: `LON,LAT;LON,LAT[;…]` in WGS-84.
        #[arg(long, value_parser = parse_line)]
        line: Line,
        /// Where to write the zones (replaced atomically).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// What a project's proposals change: each zone's area before and after, the units that
    /// changed zone, and the coverage totals before and after.
    Diff {
        /// A project saved by the window (`.zonemap`) with a proposals layer.
        project: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
    },
    /// Draws a finished map sheet to PNG or SVG: the map with the layers' styles and labels,
    /// a title, a legend, a scale bar, a north arrow and a source and date line.
    ///
    /// FILE may be GeoJSON layers (styled as the window first styles them: zones on top, then
    /// units) or one project saved by the window, drawn with its styles and, unless --extent
    /// says otherwise, its view. With no FILE, the bundled data.
    Export(ExportArgs),
    /// Loads each file and prints what it holds and every problem found.
    Check {
        /// Files (every table of a GeoPackage, every Shapefile of a zip, unless one is named).
        #[arg(required = true)]
        files: Vec<String>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Writes a layer in another format or coordinate system: GeoJSON, Shapefile or
    /// GeoPackage, by OUT's extension (`.geojson`, `.shp`, `.gpkg`).
    Convert {
        /// The layer to read (`FILE.gpkg:TABLE` for one table).
        input: String,
        /// The file to write.
        out: PathBuf,
        /// The coordinate system to write in (default WGS-84): `EPSG:4528`, `CGCS2000`,
        /// `source` (the one the input was in), or, for GeoJSON only, `GCJ-02` or `BD-09`.
        #[arg(long, value_name = "CRS")]
        crs: Option<String>,
        /// A Shapefile's text encoding: `UTF-8` (default) or `GBK` for older ArcGIS; text GBK
        /// cannot hold is refused, feature by feature.
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
        /// The coordinate system of the input, if it does not say its own (or says one
        /// zonemap cannot read).
        #[arg(long, value_name = "CRS")]
        source_crs: Option<String>,
        /// The coordinate system to read the input in, whatever it says (a wrong `.prj`).
        #[arg(long, value_name = "CRS")]
        assign_crs: Option<String>,
        /// The text encoding of the input's Shapefile attributes, instead of what it says.
        #[arg(long, value_name = "ENCODING")]
        source_encoding: Option<String>,
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

/// The arguments of `zonemap export`.
#[derive(clap::Args)]
struct ExportArgs {
    /// Layer files (any format), or one project file (`.zonemap`).
    files: Vec<String>,
    /// The file to write: `.png` or `.svg` (replaced atomically).
    #[arg(long)]
    out: PathBuf,
    /// Width x height in pixels (`2000x1500`), or printed in millimetres at --dpi
    /// (`297x210mm`).
    #[arg(long, default_value = "1600x1200", value_parser = parse_size)]
    size: SheetSize,
    /// Dots per inch: sets the printed size, and the size of text and lines in pixels.
    #[arg(long, default_value_t = 96.0)]
    dpi: f32,
    /// The sheet's title.
    #[arg(long)]
    title: Option<String>,
    /// Show this layer whole: its name, or its place from the top (1 is the top layer).
    /// `all` shows every visible layer. Default: a project's saved view, else `all`.
    #[arg(long)]
    extent: Option<String>,
    /// The source line's text. Default: each layer's source, the datum and the date.
    #[arg(long)]
    source: Option<String>,
    /// The date on the source line (default: today).
    #[arg(long)]
    date: Option<String>,
    /// Colour the top layer's features by this property's values (one colour each).
    #[arg(long, value_name = "FIELD")]
    categories: Option<String>,
    /// Colour the units by how the zones cover them, as the window's coverage map does.
    #[arg(long)]
    coverage: bool,
    /// The language of the legend and source line (default: a project's, else Chinese).
    #[arg(long, value_parser = Lang::parse)]
    lang: Option<Lang>,
    /// Leave out the legend.
    #[arg(long)]
    no_legend: bool,
    /// Leave out the scale bar.
    #[arg(long)]
    no_scale_bar: bool,
    /// Leave out the north arrow.
    #[arg(long)]
    no_north_arrow: bool,
    /// Leave out the source and date line.
    #[arg(long)]
    no_source: bool,
    /// Leave out the features' labels.
    #[arg(long)]
    no_labels: bool,
    #[command(flatten)]
    input: InputArgs,
}

/// A sheet's size as given: pixels, or millimetres to be turned into pixels at the dpi.
#[derive(Clone, Copy, Debug)]
enum SheetSize {
    Px([u32; 2]),
    Mm([f64; 2]),
}

fn parse_size(text: &str) -> Result<SheetSize, String> {
    let t = text.trim().to_ascii_lowercase();
    let (numbers, mm) = match t.strip_suffix("mm") {
        Some(n) => (n, true),
        None => (t.strip_suffix("px").unwrap_or(&t), false),
    };
    let bad = || format!("`{text}` is not WIDTHxHEIGHT (`2000x1500`, or `297x210mm`)");
    let (w, h) = numbers.split_once(['x', '×', '*']).ok_or_else(bad)?;
    if mm {
        let (w, h): (f64, f64) = (
            w.trim().parse().map_err(|_| bad())?,
            h.trim().parse().map_err(|_| bad())?,
        );
        if !(w > 0.0 && h > 0.0) {
            return Err(bad());
        }
        Ok(SheetSize::Mm([w, h]))
    } else {
        Ok(SheetSize::Px([
            w.trim().parse().map_err(|_| bad())?,
            h.trim().parse().map_err(|_| bad())?,
        ]))
    }
}

fn parse_snap(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('m').trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=1000.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{text}` is not a tolerance in metres from 0 to 1000"
        )),
    }
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
        Command::Check { files, input } => check(&files, &input),
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

fn export(r: ExportArgs) -> Result<String, String> {
    use zonemap::core::render::{self, Extent, SheetOptions, input};
    let out_name = r.out.display().to_string();
    let svg = match r
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "svg" => true,
        Some(e) if e == "png" => false,
        _ => return Err(format!("{out_name}: --out must end in .png or .svg")),
    };
    let is_project = |p: &String| {
        Path::new(p)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(zonemap::core::project::EXTENSION))
    };
    let (mut map, view, project_lang) = match r.files.as_slice() {
        [] => (input::bundled_map()?, None, None),
        [one] if is_project(one) => {
            let one = Path::new(one);
            let input = input::from_project(one)?;
            let lang = Project::read(one).ok().and_then(|p| p.shown().lang);
            (input.map, input.view, lang)
        }
        files if files.iter().any(is_project) => {
            return Err("a project file must be the only FILE".to_owned());
        }
        files => (
            input::from_files(files, &r.input.options(None)?)?,
            None,
            None,
        ),
    };
    if let Some(field) = &r.categories {
        let Some(top) = map.layers.first_mut() else {
            return Err("--categories: there is no layer".to_owned());
        };
        if !top
            .layer
            .features
            .iter()
            .any(|f| f.properties.contains_key(field))
        {
            return Err(format!(
                "--categories {field}: no feature of \"{}\" has that property",
                top.layer.name
            ));
        }
        let mut style = top.style.clone();
        style.category_field = Some(field.clone());
        style.graduated = None;
        style.fill_opacity = style.fill_opacity.max(0.6);
        *top = render::SheetLayer {
            source: top.source.clone(),
            ..render::SheetLayer::styled(top.layer.clone(), style, &[])
        };
    }
    if r.coverage {
        let find = |role| map.layers.iter().position(|l| l.layer.role == role);
        match (find(Role::Zones), find(Role::Units)) {
            (Some(z), Some(u)) => input::show_coverage(&mut map, z, u),
            _ => return Err("--coverage needs a zones layer and a units layer".to_owned()),
        }
    }
    let lang = match (r.lang, project_lang) {
        (Some(lang), _) | (None, Some(lang)) => lang,
        (None, None) => Lang::Zh,
    };
    let extent = match r.extent.as_deref().map(str::trim) {
        None => view.map_or(Extent::All, Extent::Box),
        Some(all) if all.eq_ignore_ascii_case("all") => Extent::All,
        Some(name) => {
            let by_name = map.layers.iter().position(|l| l.layer.name == name);
            let by_place = name
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=map.layers.len()).contains(n))
                .map(|n| n - 1);
            let names: Vec<String> = map
                .layers
                .iter()
                .map(|l| format!("\"{}\"", l.layer.name))
                .collect();
            Extent::Layer(by_name.or(by_place).ok_or_else(|| {
                format!(
                    "--extent {name}: no such layer (the layers are {})",
                    names.join(", ")
                )
            })?)
        }
    };
    let size_px = match r.size {
        SheetSize::Px(px) => px,
        SheetSize::Mm(mm) => SheetOptions::px_for_mm(mm, r.dpi),
    };
    let date = r.date.unwrap_or_else(render::today);
    let source_line = (!r.no_source).then(|| {
        r.source
            .unwrap_or_else(|| render::source_line(&map, lang, &date))
    });
    let options = SheetOptions {
        size_px,
        dpi: r.dpi,
        title: r.title,
        legend: !r.no_legend,
        scale_bar: !r.no_scale_bar,
        north_arrow: !r.no_north_arrow,
        labels: !r.no_labels,
        source_line,
        lang,
        extent,
    };
    let sheet = render::compose(&map, &options).map_err(|e| format!("{out_name}: {e}"))?;
    let format = if svg {
        render::SheetFormat::Svg
    } else {
        render::SheetFormat::Png
    };
    render::write_sheet(&sheet, &r.out, format).map_err(|e| format!("{out_name}: {e}"))?;
    let [w_mm, h_mm] = options.size_mm();
    let mut summary = format!(
        "wrote {out_name}: {} × {} px at {} dpi ({w_mm:.1} × {h_mm:.1} mm), {} features, {} labels",
        size_px[0],
        size_px[1],
        r.dpi,
        sheet.layout.features_drawn,
        sheet.layout.labels.len()
    );
    if sheet.layout.labels_missing_glyphs > 0 {
        summary.push_str(&format!(
            "; {} label(s) lost characters no font here has (see the sheet's note)",
            sheet.layout.labels_missing_glyphs
        ));
    }
    Ok(summary)
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

/// The one layer a source names, read as the options say.
fn load(spec: &str, role: Role, options: &LoadOptions) -> Result<Layer, String> {
    SourceSpec::parse(spec)
        .load(role, options)
        .map_err(|e| e.to_string())
}

/// A source, and the filter picking some of its features.
type Source<'a> = (&'a str, Option<&'a LayerFilter>);

/// How a report is written: its format, and the file it goes to (standard output if none).
type Output<'a> = (Format, Option<&'a Path>);

fn report(
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

fn print_report(
    zones: &Layer,
    units: &Layer,
    (format, out): Output,
    options: &AnalysisOptions,
) -> ExitCode {
    let analysis = analyse_with(zones, units, options);
    let report = Report::build(zones, units, &analysis);
    let text = match format {
        Format::Table => report.to_table(),
        Format::Json => report.to_json() + "\n",
        Format::Csv => report.to_csv(),
        Format::Matrix => report.matrix_csv(),
    };
    let Some(path) = out else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    let bytes = match format {
        Format::Csv | Format::Matrix => zonemap::core::report::csv_for_spreadsheets(&text),
        Format::Table | Format::Json => text,
    };
    match write_atomic(path, bytes.as_bytes()) {
        Ok(()) => {
            println!(
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
fn report_project(path: &Path, format: Output, snap: Option<f64>) -> ExitCode {
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
        DiffFormat::Table => print!("{}", diff.to_table()),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&diff).unwrap_or_default()
        ),
    }
    ExitCode::SUCCESS
}

/// A line in lon/lat, as `--line` gives it.
#[derive(Clone, Debug)]
struct Line(Vec<geo::Coord<f64>>);

/// A line as `--line` gives it: `LON,LAT;LON,LAT[;…]`.
fn parse_line(text: &str) -> Result<Line, String> {
    let points: Vec<geo::Coord<f64>> = text
        .split(';')
        .map(|p| {
            let (x, y) = p
                .split_once(',')
                .ok_or_else(|| format!("{p:?} is not LON,LAT"))?;
            let n = |v: &str| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| format!("{v:?} is not a number"))
            };
            Ok(geo::Coord { x: n(x)?, y: n(y)? })
        })
        .collect::<Result<_, String>>()?;
    if points.len() < 2 {
        return Err("a line needs at least two points: LON,LAT;LON,LAT".to_owned());
    }
    Ok(Line(points))
}

/// Zones a command made (merge, move, split), in the working frame, written as OUT's extension
/// names: RFC 7946 GeoJSON with fresh `area_km2` (the default), or a Shapefile or GeoPackage
/// (its table named after the file), in WGS-84. Returns what had to change to fit the format
/// (field names cut to the DBF's 10 bytes), a line each.
fn write_zone_file(zones: &[zonemap::core::Feature], out: &Path) -> Result<Vec<String>, String> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "shp" || ext == "gpkg" {
        let stem = out
            .file_stem()
            .map_or("zones".into(), |s| s.to_string_lossy().into_owned());
        let layer = Layer::new(stem, Role::Zones, zones.to_vec());
        let options = zonemap::core::io::export::WriteOptions {
            crs: Crs::Wgs84,
            encoding: None,
        };
        zonemap::core::io::export::write_layer(&layer, out, &options).map_err(|e| e.to_string())
    } else {
        let text = feature_collection_text(zones, &Crs::Wgs84)
            .map_err(|e| format!("{}: {e}", out.display()))?;
        write_atomic(out, text.as_bytes()).map_err(|e| format!("{}: {e}", out.display()))?;
        Ok(Vec::new())
    }
}

/// A command's one-line outcome: its summary on standard output and status 0, or its error on
/// standard error and status 1.
fn outcome(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zonemap: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The one feature of `layer` with this id, or why not.
fn by_id<'a>(
    layer: &'a Layer,
    id: &str,
    spec: &str,
) -> Result<(usize, &'a zonemap::core::Feature), String> {
    let found: Vec<usize> = (0..layer.features.len())
        .filter(|&i| layer.features[i].id == id)
        .collect();
    match found.as_slice() {
        [one] => Ok((*one, &layer.features[*one])),
        [] => Err(format!("{spec}: no feature has id {id}")),
        _ => Err(format!(
            "{spec}: id {id} is not unique: {} features carry it",
            found.len()
        )),
    }
}

/// Writes edited zones to `out` (by its extension; GeoJSON with fresh `area_km2`) and says how
/// each zone's area changed.
fn write_zones(
    before: &Layer,
    after: Vec<zonemap::core::Feature>,
    out: &Path,
    what: String,
) -> Result<String, String> {
    use zonemap::core::measure::geodesic_area_sum;
    let notes = write_zone_file(&after, out)?;
    let km2 = |f: &zonemap::core::Feature| geodesic_area_sum(f.polygons()).km2();
    let mut lines = vec![format!("{}: {what}; {} zones", out.display(), after.len())];
    lines.extend(notes.iter().map(|n| format!("  {n}")));
    for f in &after {
        let old = before.features.iter().find(|b| b.id == f.id).map(km2);
        let now = km2(f);
        match old {
            Some(o) if (o - now).abs() < 5e-7 => {}
            Some(o) => lines.push(format!(
                "  {}  {} km² ({})",
                f.name,
                zonemap::core::format::fixed(now, 3),
                zonemap::core::format::signed(now - o, 3)
            )),
            None => lines.push(format!(
                "  {}  {} km² (new)",
                f.name,
                zonemap::core::format::fixed(now, 3)
            )),
        }
    }
    for b in &before.features {
        if !after.iter().any(|f| f.id == b.id)
            && !after.iter().any(|f| {
                f.properties.get("split_from").and_then(|v| v.as_str()) == Some(b.id.as_str())
            })
        {
            lines.push(format!("  {}  removed (left with no area)", b.name));
        }
    }
    Ok(lines.join("\n"))
}

fn move_zones(
    zones_spec: &str,
    units_spec: &str,
    unit: &str,
    into: &str,
    out: &Path,
    input: &InputArgs,
) -> Result<String, String> {
    let options = input.options(None)?;
    let zones = load(zones_spec, Role::Zones, &options)?;
    let units = load(units_spec, Role::Units, &options)?;
    let (_, u) = by_id(&units, unit, units_spec)?;
    let (target, z) = by_id(&zones, into, zones_spec)?;
    let after = zonemap::core::proposal::move_unit(&zones.features, u, target)
        .map_err(|e| e.to_string())?;
    let what = format!("{} moved into {}", u.name, z.name);
    write_zones(&zones, after, out, what)
}

fn split_zones(
    zones_spec: &str,
    zone: &str,
    line: &[geo::Coord<f64>],
    out: &Path,
    input: &InputArgs,
) -> Result<String, String> {
    let options = input.options(None)?;
    let zones = load(zones_spec, Role::Zones, &options)?;
    let (at, z) = by_id(&zones, zone, zones_spec)?;
    let parts = zonemap::core::proposal::split(z, line).map_err(|e| e.to_string())?;
    let what = format!("{} cut into {}", z.name, parts.len());
    let mut after = zones.features.clone();
    after.splice(at..=at, parts);
    write_zones(&zones, after, out, what)
}

fn merge(
    files: &[String],
    ids: &[String],
    name: &str,
    out: &Path,
    snap_m: f64,
    input: &InputArgs,
) -> ExitCode {
    outcome(merge_files(files, ids, name, out, snap_m, input))
}

fn merge_files(
    files: &[String],
    ids: &[String],
    name: &str,
    out: &Path,
    snap_m: f64,
    input: &InputArgs,
) -> Result<String, String> {
    let options = input.options(None)?;
    let mut layers: Vec<Layer> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for spec in files {
        for layer in SourceSpec::parse(spec)
            .load_all(Role::Context, &options)
            .map_err(|e| e.to_string())?
        {
            sources.push(match &layer.table {
                Some(t) if !spec.ends_with(&format!(":{t}")) => format!("{spec}:{t}"),
                _ => spec.clone(),
            });
            layers.push(layer);
        }
    }
    let mut parts = Vec::with_capacity(ids.len());
    for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        let found: Vec<(&String, &Layer)> = sources
            .iter()
            .zip(&layers)
            .filter(|(_, l)| l.find(id).is_some())
            .collect();
        match found.as_slice() {
            [(path, layer)] => {
                let carriers: Vec<&zonemap::core::Feature> =
                    layer.features.iter().filter(|f| f.id == id).collect();
                if let [one] = carriers.as_slice() {
                    parts.push(*one);
                } else {
                    let named: Vec<String> = layer
                        .features
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.id == id)
                        .map(|(i, f)| format!("feature {i} ({})", f.name))
                        .collect();
                    return Err(format!(
                        "{path}: id {id} is not unique: {} carry it; give each its own id before merging",
                        named.join(" and ")
                    ));
                }
            }
            [] => {
                return Err(format!("no feature has id {id} in {}", sources.join(", ")));
            }
            several => {
                let names: Vec<String> = several.iter().map(|(p, _)| (*p).clone()).collect();
                return Err(format!(
                    "id {id} is in more than one file: {}",
                    names.join(", ")
                ));
            }
        }
    }
    let merged = merge_features(&parts, "P1".into(), name, snap_m).map_err(|e| e.to_string())?;
    let notes = write_zone_file(std::slice::from_ref(&merged), out)?;
    let km2 = merged
        .properties
        .get("area_km2")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    Ok(format!(
        "{}: {name}, {} features, {} km²{}",
        out.display(),
        parts.len(),
        zonemap::core::format::fixed(km2, 3),
        notes.iter().map(|n| format!("\n  {n}")).collect::<String>()
    ))
}

fn check(files: &[String], input: &InputArgs) -> ExitCode {
    let options = match input.options(None) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("zonemap: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for spec in files {
        let layers = match SourceSpec::parse(spec).load_all(Role::Context, &options) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("zonemap: {e}");
                failed = true;
                continue;
            }
        };
        for layer in &layers {
            let s = check_layer(layer);
            let types: Vec<String> = s
                .geometry_types
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            let name = match &layer.table {
                Some(t) if !spec.ends_with(&format!(":{t}")) => format!("{spec}:{t}"),
                _ => spec.clone(),
            };
            println!(
                "{name}: {} features ({}), {} skipped, {} repaired",
                s.features,
                if types.is_empty() {
                    "no geometry".to_string()
                } else {
                    types.join(", ")
                },
                s.skipped,
                s.repaired
            );
            match layer.crs.transform_note() {
                Some(note) => println!("  crs: {} ({note})", layer.crs.name()),
                None => println!("  crs: {}", layer.crs.name()),
            }
            if let Some(warning) = layer.crs.warning() {
                println!("  warning: {warning}");
            }
            if let Some(encoding) = &layer.encoding {
                println!("  encoding: {encoding}");
            }
            if let Some(b) = s.bbox {
                println!(
                    "  bbox (WGS-84): lon {:.6} .. {:.6}, lat {:.6} .. {:.6}",
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
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads one layer and writes it as OUT's extension says, in `crs` (default WGS-84).
fn convert(
    input: &str,
    out: &Path,
    crs: Option<&str>,
    encoding: Option<String>,
    args: &InputArgs,
) -> Result<String, String> {
    use zonemap::core::io::export::{WriteOptions, write_layer};
    let options = args.options(None)?;
    // Convert's own flag for the input's system is --source-crs (its --crs is the output's).
    let layer = load(input, Role::Context, &options)
        .map_err(|e| e.replace("with --crs", "with --source-crs"))?;
    let crs = match crs.map(str::trim) {
        Some(text) if text.eq_ignore_ascii_case("source") => layer.crs.clone(),
        Some(text) => Crs::parse(text).map_err(|e| format!("--crs: {e}"))?,
        None => Crs::Wgs84,
    };
    let write = WriteOptions {
        crs: crs.clone(),
        encoding: encoding.clone(),
    };
    let notes = write_layer(&layer, out, &write).map_err(|e| e.to_string())?;
    let mut summary = format!(
        "wrote {}: {} features from {} ({}), in {}",
        out.display(),
        layer.features.len(),
        input,
        layer.crs.name(),
        crs.name()
    );
    let is_shp = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if is_shp {
        let e = encoding.as_deref().unwrap_or("UTF-8");
        summary.push_str(&format!(", text in {e}"));
    }
    for note in notes {
        summary.push_str(&format!("\n  {note}"));
    }
    // What the file held but the output does not, or holds changed: said, never silent.
    let check = zonemap::core::check::check_layer(&layer);
    if check.skipped > 0 {
        summary.push_str(&format!(
            "\n  {} feature(s) of the input could not be read and are not in {} (see the warnings)",
            check.skipped,
            out.display()
        ));
    }
    if check.repaired > 0 {
        summary.push_str(&format!(
            "\n  {} feature(s) with invalid geometry are written as repaired (see the warnings)",
            check.repaired
        ));
    }
    if let Some(warning) = layer.crs.warning() {
        eprintln!("zonemap: warning: {input}: {warning}");
    }
    for w in layer.warnings.iter().filter(|w| {
        matches!(
            w.kind,
            zonemap::core::io::WarningKind::Skipped | zonemap::core::io::WarningKind::Repaired
        )
    }) {
        eprintln!("zonemap: warning: {w}");
    }
    Ok(summary)
}
