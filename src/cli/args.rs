//! The command line's arguments, as clap reads them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use zonemap::core::crs::Crs;
use zonemap::core::io::LoadOptions;
use zonemap::core::lang::Lang;
use zonemap::core::model::LayerFilter;
use zonemap::core::topology::DEFAULT_SNAP_M;

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
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// Files to open in the window.
    pub(crate) files: Vec<PathBuf>,
}

/// How to read input files.
#[derive(clap::Args, Clone, Default)]
pub(crate) struct InputArgs {
    /// The coordinate system of input files that do not say theirs: `EPSG:4528`, `GCJ-02`,
    /// `BD-09`, `CGCS2000`, a PROJ string or WKT. A file's own `.prj`, srs or `crs` member wins.
    #[arg(long, value_name = "CRS")]
    pub(crate) crs: Option<String>,
    /// The coordinate system to read every input file in, whatever it says: for a file whose
    /// `.prj` (or srs, or `crs` member) names the wrong one.
    #[arg(long, value_name = "CRS")]
    pub(crate) assign_crs: Option<String>,
    /// The text encoding of Shapefile attributes (`GBK`, `UTF-8`, `GB18030`, `936`, ...),
    /// instead of what the `.cpg` or the DBF says.
    #[arg(long, value_name = "ENCODING")]
    pub(crate) encoding: Option<String>,
}

impl InputArgs {
    pub(crate) fn options(&self, name_field: Option<String>) -> Result<LoadOptions, String> {
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
pub(crate) enum Command {
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
    /// Dissolves a layer's polygons by a field: one feature per value, the union of the
    /// features holding it, with `members` (their ids), `member_count` and `area_km2`
    /// (geodesic, WGS-84). Shared boundaries vanish exactly; gaps between members and overlaps
    /// of members are listed. Writes OUT (GeoJSON, Shapefile or GeoPackage, by its extension)
    /// if given; prints what it made.
    Dissolve {
        /// The layer (any format; `FILE.gpkg:TABLE` for one table).
        file: String,
        /// The field whose values group the features (`province`, `zone`, ...).
        #[arg(long, value_name = "FIELD")]
        by: String,
        /// Where to write the dissolved layer (replaced atomically).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only the features whose property FIELD reads VALUE (`--where level=district`).
        #[arg(long = "where", value_name = "FIELD=VALUE", value_parser = LayerFilter::parse)]
        filter: Option<LayerFilter>,
        /// Snapping tolerance in metres: where members' boundaries do not match exactly,
        /// those this close are taken as shared; gaps and overlaps narrower than this are
        /// slivers. 0 turns snapping off.
        #[arg(long, value_name = "METRES", default_value_t = DEFAULT_SNAP_M, value_parser = parse_snap)]
        snap: f64,
        /// How to print what was made: `table` (default) or `json`.
        #[arg(long, value_enum, default_value = "table")]
        format: DiffFormat,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Loads each file and prints what it holds and every problem found.
    Check {
        /// Files (every table of a GeoPackage, every Shapefile of a zip, unless one is named).
        #[arg(required = true)]
        files: Vec<String>,
        /// Also list every feature's geodesic area on WGS-84, one line each: its id, its name
        /// and the area in km² (features without polygons are left out).
        #[arg(long)]
        areas: bool,
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
pub(crate) enum Format {
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
pub(crate) struct ExportArgs {
    /// Layer files (any format), or one project file (`.zonemap`).
    pub(crate) files: Vec<String>,
    /// The file to write: `.png` or `.svg` (replaced atomically).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Width x height in pixels (`2000x1500`), or printed in millimetres at --dpi
    /// (`297x210mm`).
    #[arg(long, default_value = "1600x1200", value_parser = parse_size)]
    pub(crate) size: SheetSize,
    /// Dots per inch: sets the printed size, and the size of text and lines in pixels.
    #[arg(long, default_value_t = 96.0)]
    pub(crate) dpi: f32,
    /// The sheet's title.
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Show this layer whole: its name, or its place from the top (1 is the top layer).
    /// `all` shows every visible layer. Default: a project's saved view, else `all`.
    #[arg(long)]
    pub(crate) extent: Option<String>,
    /// The source line's text. Default: each layer's source, the datum and the date.
    #[arg(long)]
    pub(crate) source: Option<String>,
    /// The date on the source line (default: today).
    #[arg(long)]
    pub(crate) date: Option<String>,
    /// Colour the top layer's features by this property's values (one colour each).
    #[arg(long, value_name = "FIELD")]
    pub(crate) categories: Option<String>,
    /// Colour the units by how the zones cover them, as the window's coverage map does.
    #[arg(long)]
    pub(crate) coverage: bool,
    /// The language of the legend and source line (default: a project's, else Chinese).
    #[arg(long, value_parser = Lang::parse)]
    pub(crate) lang: Option<Lang>,
    /// Leave out the legend.
    #[arg(long)]
    pub(crate) no_legend: bool,
    /// Leave out the scale bar.
    #[arg(long)]
    pub(crate) no_scale_bar: bool,
    /// Leave out the north arrow.
    #[arg(long)]
    pub(crate) no_north_arrow: bool,
    /// Leave out the source and date line.
    #[arg(long)]
    pub(crate) no_source: bool,
    /// Leave out the features' labels.
    #[arg(long)]
    pub(crate) no_labels: bool,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// A sheet's size as given: pixels, or millimetres to be turned into pixels at the dpi.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SheetSize {
    Px([u32; 2]),
    Mm([f64; 2]),
}

pub(crate) fn parse_size(text: &str) -> Result<SheetSize, String> {
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

pub(crate) fn parse_snap(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('m').trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=1000.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{text}` is not a tolerance in metres from 0 to 1000"
        )),
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DiffFormat {
    Table,
    Json,
}

/// A line in lon/lat, as `--line` gives it.
#[derive(Clone, Debug)]
pub(crate) struct Line(pub(crate) Vec<geo::Coord<f64>>);

/// A line as `--line` gives it: `LON,LAT;LON,LAT[;…]`.
pub(crate) fn parse_line(text: &str) -> Result<Line, String> {
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
