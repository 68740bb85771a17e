//! Planners' own files: Shapefiles (GBK), GeoPackages, Gauss-Krüger and GCJ-02, all aligned.
//!
//! Where the expected values come from:
//! - `data/realworld/` was written by GDAL 3.6 (`ogr2ogr`) from the bundled outlines moved from
//!   GCJ-02 to WGS-84 with prcoords; `reference-areas.json` holds their geodesic areas from
//!   pyproj's `Geod` (GeographicLib). See its README.
//! - Coordinates: pyproj 3.7.2 (PROJ 9.5.1), `Transformer.from_crs(4528, 4490, always_xy=True)`
//!   on the first vertex of three records of the Shapefile, as read by pyogrio.
//! - Files the tests make are made by GDAL's `ogr2ogr` (gdal-bin, which `.ci/run` installs), and
//!   what zonemap writes is read back by `ogrinfo` and `ogr2ogr`, as the programs planners use
//!   would read it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use geo::{Coord, MultiPolygon};
use serde_json::{Value, json};
use zonemap::core::crs::Crs;
use zonemap::core::io::export::{WriteOptions, write_layer};
use zonemap::core::io::{LoadError, LoadOptions, SourceSpec, layer_names, load_layer, load_layers};
use zonemap::core::measure::{geodesic_area_sum, geodesic_perimeter_m};
use zonemap::core::project::{LayerSource, Project, ProjectLayer};
use zonemap::core::style::LayerStyle;
use zonemap::core::topology::overlay::difference;
use zonemap::core::{Feature, Layer, Role};

use crate::cli::{stderr, stdout, zonemap};
use crate::util::data;

const SHP: &str = "realworld/jiangsu-districts-gk40.shp";
const GPKG: &str = "realworld/jiangsu-south-cgcs2000.gpkg";

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zonemap-formats-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs a GDAL program; a machine without GDAL fails with the fix.
fn gdal(program: &str, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (install gdal-bin; .ci/run does)"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A file as GDAL reads it, as GeoJSON in WGS-84 lon/lat.
fn read_by_gdal(path: &Path) -> Value {
    let out = gdal(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:4326",
            "-lco",
            "COORDINATE_PRECISION=12",
            "/vsistdout/",
            &path.display().to_string(),
        ],
    );
    serde_json::from_slice(&out.stdout).expect("GDAL writes JSON")
}

/// `ogrinfo -so -al`: the layer's summary (fields, CRS, count) as GDAL says it, and any
/// warning it gives.
fn ogrinfo(path: &Path) -> String {
    let out = gdal("ogrinfo", &["-so", "-al", &path.display().to_string()]);
    let mut text = String::from_utf8(out.stdout).expect("ogrinfo prints UTF-8");
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    text
}

fn load(path: &Path) -> Layer {
    load_layer(path, Role::Context, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn reference_km2() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(data("realworld/reference-areas.json")).expect("reference"),
    )
    .expect("JSON")
}

fn km2(f: &Feature) -> f64 {
    geodesic_area_sum(f.polygons()).km2()
}

fn by_adcode<'a>(layer: &'a Layer, code: &str) -> &'a Feature {
    layer
        .features
        .iter()
        .find(|f| f.property_text("adcode").as_deref() == Some(code))
        .unwrap_or_else(|| panic!("{code} in {}", layer.name))
}

fn vertices(f: &Feature) -> Vec<Coord<f64>> {
    f.polygons()
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter().copied())
        .collect()
}

/// Every feature's area against the reference to 1e-6.
fn assert_reference_areas(layer: &Layer) {
    let reference = reference_km2();
    for f in &layer.features {
        let code = f.property_text("adcode").expect("adcode");
        let expected = reference[&code][1].as_f64().expect("a reference area");
        let got = km2(f);
        assert!(
            (got / expected - 1.0).abs() < 1e-6,
            "{} {}: {got} km² against {expected}",
            layer.name,
            f.name
        );
    }
}

#[test]
fn the_gauss_kruger_shapefile_reads_in_gbk_onto_wgs84() {
    let layer = load(&data(SHP));
    assert_eq!(layer.crs.epsg(), Some(4528), "{}", layer.crs.name());
    assert_eq!(
        layer.crs.transform_note().as_deref(),
        Some("EPSG:4528 → WGS-84")
    );
    let encoding = layer.encoding.clone().expect("an encoding");
    assert!(
        encoding.contains("GBK") && encoding.contains(".cpg"),
        "{encoding}"
    );
    assert_eq!(layer.features.len(), 22);
    assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
    assert_eq!(by_adcode(&layer, "320505").name, "虎丘区");
    assert_eq!(
        by_adcode(&layer, "320505").property_text("city").as_deref(),
        Some("苏州市")
    );
    assert_reference_areas(&layer);
    // pyproj's EPSG:4528 → 4490 of the first vertex of three records.
    for (code, lon, lat) in [
        ("320505", 120.676554000000, 31.370758700000),
        ("320206", 120.070024800000, 31.556202200000),
        ("320481", 119.610815900000, 31.560846100000),
    ] {
        let nearest = vertices(by_adcode(&layer, code))
            .into_iter()
            .map(|c| (c.x - lon).hypot(c.y - lat))
            .fold(f64::INFINITY, f64::min);
        assert!(nearest < 1e-9, "{code}: {nearest}°");
    }
}

#[test]
fn every_table_of_the_geopackage_reads_in_cgcs2000() {
    let path = data(GPKG);
    let mut tables = layer_names(&path).expect("tables");
    tables.sort();
    assert_eq!(tables, ["cities", "districts"]);
    let all = load_layers(&path, Role::Context, &LoadOptions::default()).expect("loads");
    assert_eq!(all.len(), 2);
    for layer in &all {
        assert_eq!(layer.crs.epsg(), Some(4490), "{}", layer.name);
        assert_eq!(
            layer.crs.transform_note().as_deref(),
            Some("CGCS2000 = WGS-84")
        );
        assert_reference_areas(layer);
    }
    let spec = format!("{}:cities", path.display());
    let cities = SourceSpec::parse(&spec)
        .load(Role::Zones, &LoadOptions::default())
        .expect("one table");
    assert_eq!(cities.table.as_deref(), Some("cities"));
    assert_eq!(cities.features.len(), 3);
    // A GeoPackage of two tables read as one layer says which there are.
    let e = load_layer(&path, Role::Context, &LoadOptions::default())
        .expect_err("two tables")
        .to_string();
    assert!(
        e.contains("(cities, districts)") && e.contains(":cities"),
        "{e}"
    );
    let e = SourceSpec::parse(&format!("{}:towns", path.display()))
        .load(Role::Zones, &LoadOptions::default())
        .expect_err("no such table")
        .to_string();
    assert!(
        e.contains("no table \"towns\"") && e.contains("cities, districts"),
        "{e}"
    );
}

/// The mean distance between two outlines of the same district: the area of their symmetric
/// difference over the perimeter.
fn mean_offset_m(a: &Feature, b: &Feature) -> f64 {
    let a = a.multi_polygon();
    let b = b.multi_polygon();
    let apart: MultiPolygon<f64> = MultiPolygon(
        difference(&a, &b)
            .0
            .into_iter()
            .chain(difference(&b, &a).0)
            .collect(),
    );
    let perimeter: f64 = a.0.iter().map(geodesic_perimeter_m).sum();
    geodesic_area_sum(&apart.0).m2 / perimeter
}

#[test]
fn the_shapefile_the_geopackage_and_the_gcj02_file_coincide() {
    let shp = load(&data(SHP));
    let gpkg = SourceSpec::parse(&format!("{}:districts", data(GPKG).display()))
        .load(Role::Context, &LoadOptions::default())
        .expect("districts");
    let gcj = load(&data("jiangsu-south-districts.geojson"));
    assert_eq!(gcj.crs, Crs::Gcj02);
    let mut worst: f64 = 0.0;
    for f in &shp.features {
        let code = f.property_text("adcode").expect("adcode");
        for other in [by_adcode(&gpkg, &code), by_adcode(&gcj, &code)] {
            worst = worst.max(mean_offset_m(f, other));
        }
    }
    // The sources were rounded differently (GDAL writes 15 digits; the GCJ-02 file 6
    // decimals), so a few millimetres apart; a layer left in GCJ-02 is hundreds of metres off.
    assert!(worst < 0.05, "{worst} m");
    let raw = zonemap::core::io::parse_layer(
        &std::fs::read(data("jiangsu-south-districts.geojson")).expect("reads"),
        Path::new("as-wgs84.geojson"),
        Role::Context,
        &LoadOptions {
            crs: Some(Crs::Wgs84),
            ..LoadOptions::default()
        },
    )
    .expect("loads");
    let off = mean_offset_m(by_adcode(&shp, "320505"), by_adcode(&raw, "320505"));
    assert!(
        off > 200.0,
        "GCJ-02 read as WGS-84 is {off} m off on average"
    );
}

#[test]
fn bundled_cities_over_the_shapefile_districts_cover_all_22_once() {
    let out = zonemap(&[
        "report",
        &data("jiangsu-south-districts.geojson")
            .display()
            .to_string(),
        &data(SHP).display().to_string(),
        "--zones-where",
        "level=city",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let c = &json["coverage"];
    assert_eq!(
        (
            &c["units"],
            &c["full"],
            &c["partial"],
            &c["multi_zone_units"]
        ),
        (
            &Value::from(22),
            &Value::from(22),
            &Value::from(0),
            &Value::from(0)
        ),
        "{c}"
    );
    let reference = reference_km2();
    let total: f64 = reference
        .as_object()
        .expect("object")
        .iter()
        .filter(|(code, _)| !code.ends_with("00"))
        .map(|(_, v)| v[1].as_f64().expect("km²"))
        .sum();
    let got = c["unit_area_km2"].as_f64().expect("km²");
    assert!((got / total - 1.0).abs() < 1e-6, "{got} vs {total}");
}

#[test]
fn field_18_gcj02_zones_over_wgs84_towns_are_aligned_before_counting() {
    let out = zonemap(&[
        "report",
        &data("../tests/data/field/18-gcj02-vs-wgs84-zones.geojson")
            .display()
            .to_string(),
        &data("../tests/data/field/18-gcj02-vs-wgs84-units.geojson")
            .display()
            .to_string(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let c = &json["coverage"];
    assert_eq!(
        (&c["full"], &c["partial"], &c["multi_zone_units"]),
        (&Value::from(2), &Value::from(0), &Value::from(0)),
        "{c}"
    );
    let check = zonemap(&[
        "check",
        &data("../tests/data/field/18-gcj02-vs-wgs84-zones.geojson")
            .display()
            .to_string(),
    ]);
    assert!(
        stdout(&check).contains("GCJ-02 → WGS-84"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn a_projected_geojson_says_its_crs_or_is_diagnosed() {
    let dir = tempdir("projected");
    // GDAL writes a projected GeoJSON with the legacy `crs` member (urn:ogc:def:crs:EPSG::4528).
    let with_crs = dir.join("gk40.geojson");
    gdal(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            &with_crs.display().to_string(),
            &data(SHP).display().to_string(),
        ],
    );
    let text = std::fs::read_to_string(&with_crs).expect("written");
    assert!(text.contains("EPSG::4528"), "{}", &text[..200]);
    let layer = load(&with_crs);
    assert_eq!(layer.crs.epsg(), Some(4528));
    assert_reference_areas(&layer);

    // Without it, the numbers are evidently metres: the loader says so and names the zone.
    let mut json: Value = serde_json::from_str(&text).expect("JSON");
    json.as_object_mut().expect("object").remove("crs");
    let bare = dir.join("bare.geojson");
    std::fs::write(&bare, json.to_string()).expect("written");
    let e = load_layer(&bare, Role::Context, &LoadOptions::default()).expect_err("no CRS");
    assert!(
        matches!(
            e,
            LoadError::NoCrs {
                suggested: Some(4528),
                ..
            }
        ),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains("bare.geojson")
            && message.contains("EPSG:4528")
            && message.contains("--crs")
            && !message.contains('\n'),
        "{message}"
    );
    let out = zonemap(&["check", &bare.display().to_string()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("EPSG:4528"), "{}", stderr(&out));
    let out = zonemap(&["check", "--crs", "EPSG:4528", &bare.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("EPSG:4528"), "{}", stdout(&out));
    // A Shapefile without its .prj: the same diagnosis.
    let noprj = copy_shapefile(&data(SHP), &dir, "noprj");
    std::fs::remove_file(noprj.with_extension("prj")).expect("removed");
    let e = load_layer(&noprj, Role::Context, &LoadOptions::default()).expect_err("no CRS");
    assert!(
        matches!(
            e,
            LoadError::NoCrs {
                suggested: Some(4528),
                ..
            }
        ),
        "{e:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Copies a Shapefile's parts to `dir` as `stem.*`; the new `.shp`.
fn copy_shapefile(shp: &Path, dir: &Path, stem: &str) -> PathBuf {
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let from = shp.with_extension(ext);
        if from.exists() {
            std::fs::copy(&from, dir.join(format!("{stem}.{ext}"))).expect("copied");
        }
    }
    dir.join(format!("{stem}.shp"))
}

/// Two squares with Chinese text, a Chinese field name, and 镕 (in GBK, not in GB2312).
const CHINESE: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A1","name":"镕基路街道","名称":"镇湖","area":1.5},"geometry":{"type":"Polygon","coordinates":[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]}},
{"type":"Feature","properties":{"code":"A2","name":"浒墅关镇","名称":"通安","area":2},"geometry":{"type":"Polygon","coordinates":[[[120.1,31.0],[120.2,31.0],[120.2,31.1],[120.1,31.1],[120.1,31.0]]]}}
]}"#;

/// A Shapefile made by ogr2ogr from [`CHINESE`] with GDAL's `ENCODING` layer option.
fn chinese_shapefile(dir: &Path, stem: &str, encoding: &str) -> PathBuf {
    let src = dir.join("chinese.geojson");
    std::fs::write(&src, CHINESE).expect("written");
    let shp = dir.join(format!("{stem}.shp"));
    gdal(
        "ogr2ogr",
        &[
            "-f",
            "ESRI Shapefile",
            &shp.display().to_string(),
            &src.display().to_string(),
            "-lco",
            &format!("ENCODING={encoding}"),
        ],
    );
    shp
}

fn set_language_driver(shp: &Path, ldid: u8) {
    let dbf = shp.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).expect("dbf");
    bytes[29] = ldid;
    std::fs::write(&dbf, bytes).expect("dbf");
}

fn assert_chinese(layer: &Layer) {
    let names: Vec<&str> = layer.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["镕基路街道", "浒墅关镇"], "{:?}", layer.encoding);
    assert_eq!(
        layer.features[0].property_text("名称").as_deref(),
        Some("镇湖"),
        "a Chinese field name"
    );
}

#[test]
fn dbf_text_is_decoded_as_gdal_qgis_and_mapshaper_decode_it() {
    let dir = tempdir("encodings");
    // The .cpg, whatever it calls the code page.
    for label in ["CP936", "GBK", "UTF-8"] {
        let shp = chinese_shapefile(&dir, &format!("cpg-{label}"), label);
        let layer = load(&shp);
        assert_chinese(&layer);
        assert!(
            layer
                .encoding
                .as_deref()
                .is_some_and(|e| e.contains(".cpg")),
            "{:?}",
            layer.encoding
        );
    }
    for (label, cpg) in [("936", "936"), ("GB18030", "GB18030"), ("gb2312", "GB2312")] {
        let shp = chinese_shapefile(&dir, &format!("cpg2-{label}"), "CP936");
        std::fs::write(shp.with_extension("cpg"), cpg).expect("cpg");
        assert_chinese(&load(&shp));
    }
    // No .cpg: the language driver byte (0x4D and 0x7A are GBK).
    for ldid in [0x4D, 0x7A] {
        let shp = chinese_shapefile(&dir, &format!("ldid-{ldid:x}"), "CP936");
        std::fs::remove_file(shp.with_extension("cpg")).expect("removed");
        set_language_driver(&shp, ldid);
        let layer = load(&shp);
        assert_chinese(&layer);
        let said = layer.encoding.clone().unwrap_or_default();
        assert!(
            said.contains("GBK") && said.contains("language driver"),
            "{said}"
        );
    }
    // Neither: a guess from the text, UTF-8 if it is valid, else GB18030.
    let shp = chinese_shapefile(&dir, "guess-gbk", "CP936");
    std::fs::remove_file(shp.with_extension("cpg")).expect("removed");
    let layer = load(&shp);
    assert_chinese(&layer);
    assert!(
        layer
            .encoding
            .as_deref()
            .is_some_and(|e| e.contains("GB18030") && e.contains("guessed")),
        "{:?}",
        layer.encoding
    );
    let utf8 = chinese_shapefile(&dir, "guess-utf8", "UTF-8");
    std::fs::remove_file(utf8.with_extension("cpg")).expect("removed");
    let layer = load(&utf8);
    assert_chinese(&layer);
    assert!(
        layer
            .encoding
            .as_deref()
            .is_some_and(|e| e.contains("UTF-8"))
    );
    // The user can say otherwise: read as UTF-8, the GBK bytes are not the names.
    let wrong = load_layer(
        &shp,
        Role::Context,
        &LoadOptions {
            encoding: Some("UTF-8".into()),
            ..LoadOptions::default()
        },
    )
    .expect("loads");
    assert_ne!(wrong.features[0].name, "镕基路街道");
    // … and says so, once, with how many records have text UTF-8 cannot hold.
    let garbled: Vec<&zonemap::core::io::LoadWarning> = wrong
        .warnings
        .iter()
        .filter(|w| w.kind == zonemap::core::io::WarningKind::Encoding)
        .collect();
    assert_eq!(garbled.len(), 1, "{:?}", wrong.warnings);
    assert!(
        garbled[0]
            .reason
            .starts_with("2 record(s) have text that is not valid UTF-8"),
        "{}",
        garbled[0].reason
    );
    assert!(
        wrong
            .encoding
            .as_deref()
            .is_some_and(|e| e.contains("as asked"))
    );
    // check says which encoding it used; --encoding changes it.
    let out = zonemap(&["check", &shp.display().to_string()]);
    assert!(
        stdout(&out).contains("encoding: GB18030"),
        "{}",
        stdout(&out)
    );
    let out = zonemap(&["check", "--encoding", "GBK", &shp.display().to_string()]);
    assert!(
        stdout(&out).contains("encoding: GBK (as asked)"),
        "{}",
        stdout(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The names and the first ring of each feature as GDAL reads a file, against the layer.
fn assert_gdal_reads(path: &Path, layer: &Layer, tolerance_deg: f64) {
    let json = read_by_gdal(path);
    let features = json["features"].as_array().expect("features");
    assert_eq!(features.len(), layer.features.len(), "{}", path.display());
    for (theirs, ours) in features.iter().zip(&layer.features) {
        assert_eq!(theirs["properties"]["name"], ours.name.as_str());
        assert_eq!(
            theirs["properties"]["adcode"].to_string().trim_matches('"'),
            ours.property_text("adcode").expect("adcode"),
            "{}",
            path.display()
        );
        let geometry: geojson::Geometry =
            serde_json::from_value(theirs["geometry"].clone()).expect("a geometry");
        let g: geo::Geometry<f64> = geometry.try_into().expect("converts");
        let mp: MultiPolygon<f64> = match g {
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            geo::Geometry::MultiPolygon(m) => m,
            other => panic!("{other:?}"),
        };
        // Same vertices (GDAL may start rings elsewhere or wind them otherwise): each of one
        // side has one of the other within the tolerance.
        let mine: Vec<Coord<f64>> = vertices(ours);
        let read: Vec<Coord<f64>> =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter().copied())
                .collect();
        assert_eq!(mine.len(), read.len(), "{} {}", path.display(), ours.name);
        let worst = farthest_from(&mine, &read, tolerance_deg).max(farthest_from(
            &read,
            &mine,
            tolerance_deg,
        ));
        assert!(worst < tolerance_deg, "{}: {worst}°", path.display());
    }
}

/// The largest distance (in degrees, the larger of the two axes) from a point of `a` to the
/// nearest point of `b`, looked for within `window` of it (farther counts as infinite).
fn farthest_from(a: &[Coord<f64>], b: &[Coord<f64>], window: f64) -> f64 {
    let mut sorted = b.to_vec();
    sorted.sort_by(|p, q| p.x.total_cmp(&q.x));
    a.iter()
        .map(|p| {
            let start = sorted.partition_point(|q| q.x < p.x - window);
            sorted[start..]
                .iter()
                .take_while(|q| q.x <= p.x + window)
                .map(|q| (q.x - p.x).abs().max((q.y - p.y).abs()))
                .fold(f64::INFINITY, f64::min)
        })
        .fold(0.0, f64::max)
}

#[test]
fn written_files_read_back_in_gdal_as_intended() {
    let dir = tempdir("write");
    let layer = load(&data(SHP));
    let write = |name: &str, crs: Crs, encoding: Option<&str>| -> PathBuf {
        let path = dir.join(name);
        let notes = write_layer(
            &layer,
            &path,
            &WriteOptions {
                crs,
                encoding: encoding.map(str::to_owned),
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(notes.is_empty(), "{notes:?}");
        path
    };
    let gk40 = || Crs::from_epsg(4528).expect("EPSG:4528");

    // GeoPackage in WGS-84: GDAL sees EPSG:4326, the fields and the same vertices.
    let gpkg = write("districts.gpkg", Crs::Wgs84, None);
    let info = ogrinfo(&gpkg);
    assert!(info.contains("Feature Count: 22"), "{info}");
    assert!(
        info.contains("\"WGS 84\"") && info.contains("4326"),
        "{info}"
    );
    assert!(info.contains("Geometry: Multi Polygon"), "{info}");
    assert!(!info.contains("Warning"), "{info}");
    for field in [
        "name: String",
        "adcode: String",
        "city: String",
        "level: String",
    ] {
        assert!(info.contains(field), "{field} in {info}");
    }
    assert_gdal_reads(&gpkg, &layer, 1e-12);

    // Shapefile in its own Gauss-Krüger zone, UTF-8: .prj and .cpg as GDAL expects.
    let shp = write("gk40-utf8.shp", gk40(), None);
    assert_eq!(
        std::fs::read_to_string(shp.with_extension("cpg")).expect("cpg"),
        "UTF-8"
    );
    let info = ogrinfo(&shp);
    assert!(
        info.contains("CGCS2000 / 3-degree Gauss-Kruger zone 40"),
        "{info}"
    );
    assert!(info.contains("Feature Count: 22"), "{info}");
    assert_gdal_reads(&shp, &layer, 1e-9);

    // Shapefile in GBK for older ArcGIS: GDAL decodes the names by the .cpg.
    let gbk = write("gk40-gbk.shp", gk40(), Some("GBK"));
    let cpg = std::fs::read_to_string(gbk.with_extension("cpg")).expect("cpg");
    assert_eq!(cpg, "936");
    let raw = std::fs::read(gbk.with_extension("dbf")).expect("dbf");
    let (hu, _, _) = encoding_rs::GBK.encode("虎丘区");
    assert!(
        raw.windows(hu.len()).any(|w| w == &hu[..]),
        "the DBF holds GBK bytes"
    );
    assert_gdal_reads(&gbk, &layer, 1e-9);
    // And zonemap reads its own files back the same.
    for path in [&gpkg, &shp, &gbk] {
        let back = load(path);
        assert_reference_areas(&back);
    }

    // GeoJSON: RFC 7946 by default, else with the legacy crs member GDAL reads.
    let json = write("districts.geojson", Crs::Wgs84, None);
    assert_gdal_reads(&json, &layer, 1e-12);
    let projected = write("gk40.geojson", gk40(), None);
    let text = std::fs::read_to_string(&projected).expect("written");
    assert!(text.contains("urn:ogc:def:crs:EPSG::4528"));
    assert!(ogrinfo(&projected).contains("Gauss-Kruger zone 40"));
    assert_gdal_reads(&projected, &layer, 1e-9);
    // In GCJ-02, which GDAL does not know: zonemap reads it back to within a centimetre.
    let gcj = write("gcj02.geojson", Crs::Gcj02, None);
    let back = load(&gcj);
    assert_eq!(back.crs, Crs::Gcj02);
    for (a, b) in layer.features.iter().zip(&back.features) {
        let worst = vertices(a)
            .iter()
            .zip(vertices(b))
            .map(|(p, q)| (p.x - q.x).abs().max((p.y - q.y).abs()))
            .fold(0.0, f64::max);
        assert!(worst < 1e-7, "{}: {worst}° (1e-7° is about 1 cm)", a.name);
    }
    // A Shapefile cannot say GCJ-02: refused, not mislabelled.
    let e = write_layer(
        &layer,
        &dir.join("gcj02.shp"),
        &WriteOptions {
            crs: Crs::Gcj02,
            encoding: None,
        },
    )
    .expect_err("refused")
    .to_string();
    assert!(e.contains("GCJ-02") && e.contains("gcj02.shp"), "{e}");
    assert!(!dir.join("gcj02.shp").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gbk_refuses_text_it_cannot_hold_naming_each_feature() {
    let dir = tempdir("gbk");
    let text = CHINESE.replace("浒墅关镇", "𠀾街道");
    let src = dir.join("ext-b.geojson");
    std::fs::write(&src, text).expect("written");
    let layer = load(&src);
    let out = dir.join("ext-b.shp");
    let e = write_layer(
        &layer,
        &out,
        &WriteOptions {
            crs: Crs::Wgs84,
            encoding: Some("GBK".into()),
        },
    )
    .expect_err("GBK cannot hold 𠀾")
    .to_string();
    assert!(
        e.contains("ext-b.shp") && e.contains("A2") && e.contains("𠀾"),
        "{e}"
    );
    assert!(!out.exists(), "nothing is written");
    // UTF-8, the default, holds it; so does the CLI's GeoPackage.
    let cli = zonemap(&[
        "convert",
        &src.display().to_string(),
        &out.display().to_string(),
    ]);
    assert!(cli.status.success(), "{}", stderr(&cli));
    assert_eq!(load(&out).features[1].name, "𠀾街道");
    let cli = zonemap(&[
        "convert",
        &src.display().to_string(),
        &dir.join("gbk.shp").display().to_string(),
        "--encoding",
        "GBK",
    ]);
    assert!(!cli.status.success());
    assert!(stderr(&cli).contains("𠀾"), "{}", stderr(&cli));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn convert_gives_ids_back_as_the_source_gave_them() {
    // A numeric `id` stays a number (GDAL takes it for the FID), a text one stays text even if
    // it reads as a number, an id taken from a numeric `code` is a number, a feature with
    // neither is numbered by its place in the file, and ids two features carry are text.
    let dir = tempdir("ids");
    let square = |x: f64| {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{x},31],[{x1},31],[{x1},31.1],[{x},31.1],[{x},31]]]}}"#,
            x1 = x + 0.1
        )
    };
    let features = [
        r#""id":7,"properties":{"name":"甲"}"#,
        r#""id":"b-2","properties":{"name":"乙"}"#,
        r#""id":"9","properties":{"name":"丙"}"#,
        r#""properties":{"name":"丁","code":320507}"#,
        r#""properties":{"name":"戊"}"#,
        r#""id":5,"properties":{"name":"己"}"#,
        r#""id":5,"properties":{"name":"庚"}"#,
    ];
    // The features (their members before `geometry`) side by side, 0.1° apart, as a file
    // `name` in the temporary folder, converted to GeoJSON by zonemap: the file it wrote.
    let converted = |name: &str, features: &[&str]| {
        let text = features
            .iter()
            .enumerate()
            .map(|(i, f)| {
                format!(
                    r#"{{"type":"Feature",{f},"geometry":{}}}"#,
                    square(120.0 + i as f64 * 0.1)
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let input = dir.join(format!("{name}.geojson"));
        std::fs::write(
            &input,
            format!(r#"{{"type":"FeatureCollection","features":[{text}]}}"#),
        )
        .expect("write");
        let output = dir.join(format!("{name}-out.geojson"));
        let out = zonemap(&[
            "convert",
            &input.display().to_string(),
            &output.display().to_string(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        output
    };
    let output = converted("ids", &features);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&output).expect("read")).expect("JSON");
    let ids: Vec<Value> = written["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["id"].clone())
        .collect();
    assert_eq!(
        ids,
        // A repeated id is text, which GDAL keeps as a field instead of renumbering.
        [
            json!(7),
            json!("b-2"),
            json!("9"),
            json!(320507),
            json!(4),
            json!("5"),
            json!("5")
        ]
    );
    // GDAL reads numeric ids as the features' FIDs.
    let again = converted(
        "numeric",
        &[r#""id":7,"properties":{}"#, r#""id":12,"properties":{}"#],
    );
    let info = String::from_utf8(gdal("ogrinfo", &["-al", &again.display().to_string()]).stdout)
        .expect("UTF-8");
    assert!(
        info.contains("OGRFeature(numeric-out):7") && info.contains("OGRFeature(numeric-out):12"),
        "{info}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn convert_moves_layers_between_formats_and_systems() {
    let dir = tempdir("convert");
    let gpkg = dir.join("d.gpkg");
    let out = zonemap(&[
        "convert",
        &data(SHP).display().to_string(),
        &gpkg.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("22 features"), "{}", stdout(&out));
    let shp = dir.join("back.shp");
    let out = zonemap(&[
        "convert",
        &gpkg.display().to_string(),
        &shp.display().to_string(),
        "--crs",
        "EPSG:4528",
        "--encoding",
        "GBK",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let back = load(&shp);
    assert_eq!(back.crs.epsg(), Some(4528));
    assert!(back.encoding.as_deref().is_some_and(|e| e.contains("GBK")));
    assert_reference_areas(&back);
    // `--crs source`: the bundled GCJ-02 file written back in GCJ-02.
    let same = dir.join("same.geojson");
    let out = zonemap(&[
        "convert",
        &data("jiangsu-south-districts.geojson")
            .display()
            .to_string(),
        &same.display().to_string(),
        "--crs",
        "source",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&same).expect("written");
    assert!(text.contains("\"datum\":\"GCJ-02\""), "{}", &text[..100]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Heights (Z) are left out, as the working frame is 2D, and said once per file, in every
/// format, by `check` and by `convert` (whose output has none): never dropped silently.
#[test]
fn heights_are_said_once_in_every_format_and_never_dropped_silently() {
    let dir = tempdir("heights");
    let src = dir.join("tall.geojson");
    std::fs::write(
        &src,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"flat","name":"平地"},"geometry":{"type":"Polygon","coordinates":[[[120,31],[120.1,31],[120.1,31.1],[120,31]]]}},
{"type":"Feature","properties":{"id":"hill","name":"山"},"geometry":{"type":"Polygon","coordinates":[[[120.2,31,5],[120.3,31,6],[120.3,31.1,7],[120.2,31,5]]]}},
{"type":"Feature","properties":{"id":"peak","name":"峰"},"geometry":{"type":"Polygon","coordinates":[[[120.4,31,9],[120.5,31,9],[120.5,31.1,9],[120.4,31,9]]]}}]}"#,
    )
    .expect("write");
    // The same features as GDAL writes them with heights: a PolygonZ Shapefile and a
    // GeoPackage of 3D polygons.
    let shp = dir.join("tall.shp");
    let gpkg = dir.join("tall.gpkg");
    for (out, driver) in [(&shp, "ESRI Shapefile"), (&gpkg, "GPKG")] {
        gdal(
            "ogr2ogr",
            &[
                "-f",
                driver,
                "-dim",
                "XYZ",
                "-lco",
                "ENCODING=UTF-8",
                &out.display().to_string(),
                &src.display().to_string(),
            ],
        );
    }
    for (file, tall) in [(&src, 2), (&shp, 3), (&gpkg, 3)] {
        let check = zonemap(&["check", &file.display().to_string()]);
        let said = stdout(&check);
        let lines: Vec<&str> = said.lines().filter(|l| l.contains("height (Z)")).collect();
        assert_eq!(lines.len(), 1, "said once for {}: {said}", file.display());
        assert!(
            lines[0].contains(&format!("{tall} feature(s)")) && lines[0].contains("2D"),
            "{}",
            lines[0]
        );
        let flat = dir.join("flat.geojson");
        let out = zonemap(&[
            "convert",
            &file.display().to_string(),
            &flat.display().to_string(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).contains(&format!("{tall} feature(s) have coordinates with a height")),
            "convert says what its output leaves out: {}",
            stdout(&out)
        );
        // The written file is 2D, and a file without heights says nothing of them.
        let again = zonemap(&["check", &flat.display().to_string()]);
        assert!(!stdout(&again).contains("height (Z)"), "{}", stdout(&again));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_files_are_one_line_each_and_the_rest_still_loads() {
    let dir = tempdir("bad");
    let one_line = |e: &str, name: &str| {
        assert!(e.contains(name) && !e.contains('\n'), "{e}");
    };
    let load_err = |p: &Path| -> String {
        load_layer(p, Role::Context, &LoadOptions::default())
            .expect_err("refused")
            .to_string()
    };
    // Without its .dbf or .shx.
    let nodbf = copy_shapefile(&data(SHP), &dir, "nodbf");
    std::fs::remove_file(nodbf.with_extension("dbf")).expect("removed");
    let e = load_err(&nodbf);
    one_line(&e, "nodbf.dbf");
    let noshx = copy_shapefile(&data(SHP), &dir, "noshx");
    std::fs::remove_file(noshx.with_extension("shx")).expect("removed");
    one_line(&load_err(&noshx), "noshx.shx");
    // A truncated .shp: the records before the cut load; the rest are named.
    let cut = copy_shapefile(&data(SHP), &dir, "cut");
    let bytes = std::fs::read(&cut).expect("shp");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("cut");
    let layer = load(&cut);
    assert!(layer.features.len() > 5 && layer.features.len() < 22);
    assert_eq!(layer.warnings.len(), 1, "{:?}", layer.warnings);
    let w = layer.warnings[0].to_string();
    assert!(
        w.contains("cut.shp")
            && w.contains(&format!("feature {}", layer.features.len()))
            && w.contains("truncated"),
        "{w}"
    );
    // A record whose header claims two billion points: refused before anything is allocated.
    let lie = copy_shapefile(&data(SHP), &dir, "lie");
    let mut bytes = std::fs::read(&lie).expect("shp");
    let shx = std::fs::read(lie.with_extension("shx")).expect("shx");
    let offset = 2 * u32::from_be_bytes(shx[100..104].try_into().expect("4 bytes")) as usize;
    bytes[offset + 8 + 40..offset + 8 + 44].copy_from_slice(&i32::MAX.to_le_bytes());
    std::fs::write(&lie, bytes).expect("lie");
    let layer = load(&lie);
    assert_eq!(layer.features.len(), 21);
    let w = layer.warnings[0].to_string();
    assert!(
        w.contains("lie.shp: feature 0") && w.contains("2147483647 points"),
        "{w}"
    );
    // A part said to start a billion points in (the reader would size the part from it).
    let parts = copy_shapefile(&data(SHP), &dir, "parts");
    let mut bytes = std::fs::read(&parts).expect("shp");
    bytes[offset + 8 + 44..offset + 8 + 48].copy_from_slice(&1_000_000_000i32.to_le_bytes());
    std::fs::write(&parts, bytes).expect("parts");
    let layer = load(&parts);
    assert_eq!(layer.features.len(), 21);
    let w = layer.warnings[0].to_string();
    assert!(
        w.contains("parts.shp: feature 0") && w.contains("part 0"),
        "{w}"
    );
    // A DBF whose header counts more records than the .shp has shapes.
    let count = copy_shapefile(&data(SHP), &dir, "count");
    let dbf = count.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).expect("dbf");
    bytes[4..8].copy_from_slice(&23u32.to_le_bytes());
    std::fs::write(&dbf, bytes).expect("dbf");
    // Every shape still has its record: nothing is lost, so nothing is skipped.
    let layer = load(&count);
    assert_eq!(layer.features.len(), 22);
    assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
    // A .prj no one knows.
    let prj = copy_shapefile(&data(SHP), &dir, "prj");
    std::fs::write(
        prj.with_extension("prj"),
        "PROJCS[\"Local grid\",GEOGCS[\"unknown\"]]",
    )
    .expect("prj");
    one_line(&load_err(&prj), "prj.prj");
    // A .gpkg that is not a GeoPackage, a zip without a Shapefile, a .shp that is text.
    let fake = dir.join("fake.gpkg");
    std::fs::write(&fake, "not sqlite").expect("written");
    one_line(&load_err(&fake), "fake.gpkg");
    let zip = dir.join("empty.zip");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).expect("zip"));
        w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .expect("entry");
        std::io::Write::write_all(&mut w, b"no shapefile").expect("write");
        w.finish().expect("zip");
    }
    let e = load_err(&zip);
    one_line(&e, "empty.zip");
    assert!(e.contains("no Shapefile"), "{e}");
    let text = dir.join("text.shp");
    std::fs::write(&text, "hello").expect("written");
    std::fs::copy(data(SHP).with_extension("shx"), dir.join("text.shx")).expect("shx");
    std::fs::copy(data(SHP).with_extension("dbf"), dir.join("text.dbf")).expect("dbf");
    one_line(&load_err(&text), "text.shp");
    // On the command line, each bad file is its line and the good one is still checked.
    let out = zonemap(&[
        "check",
        &fake.display().to_string(),
        &data(GPKG).display().to_string(),
        &zip.display().to_string(),
    ]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("cities"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("fake.gpkg") && err.contains("empty.zip"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_zip_of_shapefiles_opens_each_or_the_one_named() {
    let dir = tempdir("zip");
    let chinese = chinese_shapefile(&dir, "chinese", "CP936");
    let zip = dir.join("both.zip");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).expect("zip"));
        let options = zip::write::SimpleFileOptions::default();
        for (shp, inside) in [(&chinese, "a/chinese"), (&data(SHP), "districts")] {
            for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
                w.start_file(format!("{inside}.{ext}"), options)
                    .expect("entry");
                let bytes = std::fs::read(shp.with_extension(ext)).expect("part");
                std::io::Write::write_all(&mut w, &bytes).expect("write");
            }
        }
        w.finish().expect("zip");
    }
    assert_eq!(
        layer_names(&zip).expect("names"),
        ["a/chinese", "districts"]
    );
    let all = load_layers(&zip, Role::Context, &LoadOptions::default()).expect("loads");
    assert_eq!(all.len(), 2);
    assert_chinese(&all[0]);
    assert_reference_areas(&all[1]);
    let one = SourceSpec::parse(&format!("{}:a/chinese", zip.display()))
        .load(Role::Context, &LoadOptions::default())
        .expect("the named one");
    assert_chinese(&one);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_project_keeps_each_layers_source_table_encoding_and_crs() {
    let dir = tempdir("project");
    let chinese = chinese_shapefile(&dir, "chinese", "CP936");
    std::fs::remove_file(chinese.with_extension("cpg")).expect("removed");
    let layer =
        |source: PathBuf, table: Option<&str>, encoding: Option<&str>, crs: &str| ProjectLayer {
            source: LayerSource::File(source),
            name: "l".into(),
            role: Role::Context,
            crs: crs.into(),
            table: table.map(str::to_owned),
            encoding: encoding.map(str::to_owned),
            style: LayerStyle::for_role(Role::Context, 0),
            filter: None,
            editable: false,
            official_km2: Default::default(),
        };
    let project = Project {
        layers: vec![
            layer(data(GPKG), Some("cities"), None, ""),
            layer(chinese.clone(), None, Some("GBK"), "EPSG:4326"),
            layer(data(SHP), None, None, "EPSG:4528"),
        ],
        ..Project::default()
    };
    let path = dir.join("plan.zonemap");
    project.write(&path).expect("saved");
    let back = Project::read(&path).expect("read");
    assert_eq!(back.clone().resolved(&dir).layers, project.layers);
    let layers = back.resolved(&dir).load_layers(&path).expect("loads");
    assert_eq!(layers[0].table.as_deref(), Some("cities"));
    assert_eq!(layers[0].features.len(), 3);
    assert_chinese(&layers[1]);
    assert!(
        layers[1]
            .encoding
            .as_deref()
            .is_some_and(|e| e.contains("as asked"))
    );
    assert_eq!(layers[2].crs.epsg(), Some(4528));
    let _ = std::fs::remove_dir_all(&dir);
}

/// ESRI's WKT of CGCS2000 3° Gauss-Krüger CM 120E (EPSG:4549), as ArcGIS writes its `.prj`:
/// the same zone as the districts' zone 40, but with no zone number in front of the easting.
const PRJ_4549: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

#[test]
fn a_wrong_prj_is_diagnosed_and_assign_crs_reads_it_right() {
    let dir = tempdir("wrongprj");
    let shp = copy_shapefile(&data(SHP), &dir, "wrong");
    std::fs::write(shp.with_extension("prj"), PRJ_4549).expect("prj");
    let path = shp.display().to_string();
    // Every feature is out of the named system's range: one line naming the file, the system,
    // the count, and the zone the eastings say, with the flag that reads it in that zone.
    let out = zonemap(&["check", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    for part in [
        "wrong.shp: its coordinate system is EPSG:4549",
        "22 of 22 features cannot be moved from it",
        "CGCS2000 3° Gauss-Krüger zone 40 (EPSG:4528) is likely",
        "--assign-crs EPSG:4528",
    ] {
        assert!(err.contains(part), "{part:?} missing from {err}");
    }
    // --crs is for files that name no system, so it does not override the .prj …
    let out = zonemap(&["check", &path, "--crs", "EPSG:4528"]);
    assert_eq!(out.status.code(), Some(1));
    // … and --assign-crs does, in every command (convert's too).
    let out = zonemap(&["check", &path, "--assign-crs", "EPSG:4528"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("22 features"), "{}", stdout(&out));
    let layer = load_layer(
        &shp,
        Role::Units,
        &LoadOptions {
            crs: Some(zonemap::core::crs::Crs::parse("EPSG:4528").expect("crs")),
            ..LoadOptions::default()
        },
    )
    .expect("loads");
    assert_reference_areas(&layer);
    let gpkg = dir.join("right.gpkg");
    let out = zonemap(&[
        "convert",
        &path,
        gpkg.to_str().expect("path"),
        "--assign-crs",
        "EPSG:4528",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_reference_areas(&load(&gpkg));
    // In convert the input's flag is --source-crs: its error says so.
    let out = zonemap(&[
        "convert",
        &dir.join("none.geojson").display().to_string(),
        "x.gpkg",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let none = dir.join("none.geojson");
    std::fs::write(
        &none,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40564363,3472279],[40574363,3472279],[40574363,3482279],[40564363,3472279]]]}}]}"#,
    )
    .expect("written");
    let out = zonemap(&[
        "convert",
        none.to_str().expect("path"),
        dir.join("x.gpkg").to_str().expect("path"),
    ]);
    assert!(
        stderr(&out).contains("give it with --source-crs EPSG:4528"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_prj_zonemap_cannot_read_gives_way_to_crs() {
    let dir = tempdir("badprj");
    let shp = copy_shapefile(&data(SHP), &dir, "bad");
    std::fs::write(shp.with_extension("prj"), "PROJCS[\"made up\",GARBAGE]").expect("prj");
    let path = shp.display().to_string();
    let out = zonemap(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("give the system with --crs"));
    let out = zonemap(&["check", &path, "--crs", "EPSG:4528"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_geopackage_in_gdals_undefined_srs_is_diagnosed_as_unlabelled_metres() {
    let dir = tempdir("undefined");
    let gpkg = dir.join("undefined.gpkg");
    // GDAL 3.6 writes a layer with no CRS as srs 0; rewrite it as GDAL 3.12 does: srs 99999,
    // "Undefined SRS", a LOCAL_CS.
    let shp = copy_shapefile(&data(SHP), &dir, "noprj");
    std::fs::remove_file(shp.with_extension("prj")).expect("no .prj");
    gdal(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            gpkg.to_str().expect("path"),
            shp.to_str().expect("path"),
            "-nln",
            "districts",
        ],
    );
    let db = rusqlite::Connection::open(&gpkg).expect("opens");
    db.execute_batch(
        "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition)
         VALUES ('Undefined SRS', 99999, 'NONE', 99999, 'LOCAL_CS[\"Undefined SRS\",LOCAL_DATUM[\"unknown\",32767],UNIT[\"unknown\",0],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]]');
         UPDATE gpkg_geometry_columns SET srs_id = 99999;
         UPDATE gpkg_contents SET srs_id = 99999;",
    )
    .expect("rewritten");
    drop(db);
    let path = gpkg.display().to_string();
    let out = zonemap(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("names no coordinate system")
            && stderr(&out).contains("--crs EPSG:4528"),
        "{}",
        stderr(&out)
    );
    let out = zonemap(&["check", &path, "--crs", "EPSG:4528"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn convert_keeps_the_attributes_and_says_what_it_left_out() {
    let dir = tempdir("convert-says");
    // The districts with the DBF cut inside record 19: records 19–21 have no attributes.
    let shp = copy_shapefile(&data(SHP), &dir, "short");
    let dbf = std::fs::read(shp.with_extension("dbf")).expect("dbf");
    let header = usize::from(u16::from_le_bytes([dbf[8], dbf[9]]));
    let record = usize::from(u16::from_le_bytes([dbf[10], dbf[11]]));
    std::fs::write(
        shp.with_extension("dbf"),
        &dbf[..header + record * 19 + record / 2],
    )
    .expect("cut");
    let out_path = dir.join("short.geojson");
    let out = zonemap(&[
        "convert",
        shp.to_str().expect("path"),
        out_path.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("wrote ") && text.contains(": 19 features"),
        "{text}"
    );
    assert!(
        text.contains("3 feature(s) of the input could not be read"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("warning: ") && stderr(&out).contains("feature 19"),
        "{}",
        stderr(&out)
    );
    let check = zonemap(&["check", shp.to_str().expect("path")]);
    assert!(
        stdout(&check).contains("19 features (MultiPolygon 1, Polygon 18), 3 skipped"),
        "{}",
        stdout(&check)
    );
    // A GeoJSON output keeps the input's own properties: its area_km2 is the file's, not a
    // figure zonemap measured.
    let src = dir.join("own.geojson");
    std::fs::write(
        &src,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","area_km2":111.1},"geometry":{"type":"Polygon","coordinates":[[[120.0,31.0],[120.1,31.0],[120.1,31.1],[120.0,31.1],[120.0,31.0]]]}}]}"#,
    )
    .expect("written");
    let dst = dir.join("own-out.geojson");
    let out = zonemap(&[
        "convert",
        src.to_str().expect("path"),
        dst.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written: Value =
        serde_json::from_slice(&std::fs::read(&dst).expect("written")).expect("JSON");
    assert_eq!(
        written["features"][0]["properties"],
        serde_json::json!({"code": "A", "area_km2": 111.1})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn merge_writes_the_format_its_out_names() {
    let dir = tempdir("merge-formats");
    for ext in ["gpkg", "shp", "geojson"] {
        let out_path = dir.join(format!("merged.{ext}"));
        let out = zonemap(&[
            "merge",
            data(SHP).to_str().expect("path"),
            "--ids",
            "320505,320508",
            "--name",
            "姑苏虎丘",
            "--out",
            out_path.to_str().expect("path"),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        // GDAL reads it as what its name says, with the name, and its area is the two
        // districts' (they share their boundary exactly), from reference-areas.json (pyproj's
        // Geod, rounded to 1 m² each).
        let info = ogrinfo(&out_path);
        let driver = match ext {
            "gpkg" => "GPKG",
            "shp" => "ESRI Shapefile",
            _ => "GeoJSON",
        };
        assert!(
            info.contains(&format!("using driver `{driver}'")),
            "{ext}: {info}"
        );
        let features = read_by_gdal(&out_path);
        assert_eq!(features["features"][0]["properties"]["name"], "姑苏虎丘");
        let layer = load(&out_path);
        assert_eq!(layer.features.len(), 1);
        let m2 = geodesic_area_sum(layer.features[0].polygons()).m2;
        let reference = reference_km2();
        let expected = (reference["320505"][1].as_f64().expect("虎丘区")
            + reference["320508"][1].as_f64().expect("姑苏区"))
            * 1e6;
        assert!(
            (m2 - expected).abs() < 2.0,
            "{ext}: {m2} m², expected {expected}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn beijing_1954_is_warned_of_wherever_its_figures_go() {
    let dir = tempdir("beijing");
    let shp = dir.join("bj54.shp");
    // The districts written by GDAL in Beijing 1954 / 3° GK CM 120E (EPSG:2437).
    gdal(
        "ogr2ogr",
        &[
            "-t_srs",
            "EPSG:2437",
            shp.to_str().expect("path"),
            data(SHP).to_str().expect("path"),
        ],
    );
    let path = shp.display().to_string();
    let out = zonemap(&["check", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("warning: ") && stdout(&out).contains("up to about 100 m"),
        "{}",
        stdout(&out)
    );
    let out = zonemap(&[
        "report",
        data("jiangsu-south-districts.geojson")
            .to_str()
            .expect("path"),
        &path,
        "--zones-where",
        "level=city",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let datum: Vec<&Value> = json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == "datum")
        .collect();
    assert_eq!(datum.len(), 1, "{}", json["warnings"]);
    let sheet = dir.join("bj54.svg");
    let out = zonemap(&["export", &path, "--out", sheet.to_str().expect("path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&sheet).expect("svg");
    assert!(
        svg.contains("1954 北京或 1980 西安坐标系"),
        "the sheet's note"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_2008_geojson_crs_member_is_read() {
    let dir = tempdir("crs2008");
    let path = dir.join("epsg.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":4528}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40564363,3472279],[40574363,3472279],[40574363,3482279],[40564363,3472279]]]}}]}"#,
    )
    .expect("written");
    let layer = load(&path);
    assert_eq!(layer.crs.epsg(), Some(4528));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A GeoPackage holding clockwise outer rings (as GDAL writes Amap's outlines) is read with
/// RFC 7946's counter-clockwise outer rings, as GeoJSON and Shapefiles are, so that what needs
/// to know the inside (the dissolve's edge cancelling) finds it. Two 0.01° squares sharing an
/// edge, drawn clockwise, written by `ogr2ogr`, dissolve into one outline of six vertices.
#[test]
fn a_geopackage_of_clockwise_rings_reads_counter_clockwise_and_dissolves() {
    use zonemap::core::topology::dissolve::{DissolveOptions, Method, dissolve};
    let dir = tempdir("clockwise");
    let json = dir.join("cw.geojson");
    let square = |x: f64| {
        format!(
            "[[[{x},31.0],[{x},31.01],[{},31.01],[{},31.0],[{x},31.0]]]",
            x + 0.01,
            x + 0.01
        )
    };
    let feature = |id: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{id}","g":"one"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            square(x)
        )
    };
    std::fs::write(
        &json,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            feature("a", 120.0),
            feature("b", 120.01)
        ),
    )
    .expect("writes");
    let gpkg = dir.join("cw.gpkg");
    gdal(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            &gpkg.display().to_string(),
            &json.display().to_string(),
        ],
    );
    let layer = load(&gpkg);
    for f in &layer.features {
        for p in f.polygons() {
            let ring = &p.exterior().0;
            let twice: f64 = ring
                .windows(2)
                .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                .sum();
            assert!(twice > 0.0, "{}: outer ring counter-clockwise", f.id);
        }
    }
    let out = dissolve(&layer, "g", &DissolveOptions::default()).expect("dissolves");
    assert_eq!(out.groups[0].method, Method::SharedEdges);
    assert_eq!((out.groups[0].parts, out.groups[0].vertices), (1, 6));
}

/// Files that are not what their names say: one plain line each, never a debug dump, a doubled
/// phrase or a read without end.
#[test]
fn a_folder_an_empty_geopackage_a_cut_dbf_and_a_device_are_each_one_plain_line() {
    let dir = std::env::temp_dir().join(format!("zonemap-not-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("folder.gpkg")).expect("a folder");
    std::fs::write(dir.join("empty.gpkg"), b"").expect("written");
    let shp = crate::util::data("jiangsu-south-districts.geojson");
    let layer =
        load_layer(&shp, zonemap::core::Role::Units, &LoadOptions::default()).expect("read");
    write_layer(&layer, &dir.join("cut.shp"), &WriteOptions::default()).expect("written");
    std::fs::write(dir.join("cut.dbf"), b"\x03\x7e\x0b").expect("cut short");
    let line = |file: &Path| {
        let out = crate::cli::zonemap(&["check", &file.display().to_string()]);
        let err = crate::cli::stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!err.contains("Error {"), "{err}");
        err
    };
    assert!(line(&dir.join("folder.gpkg")).contains("it is a folder, not a GeoPackage file"));
    assert!(line(&dir.join("empty.gpkg")).contains("the file is empty"));
    assert!(line(&dir.join("cut.shp")).contains("cut.dbf: not a dBase table: 3 bytes, too short"));
    assert!(line(Path::new("/dev/zero")).contains("it is a device"));
    let _ = std::fs::remove_dir_all(&dir);
}
