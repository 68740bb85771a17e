//! Proposal edits in the core: merge, move a unit, split, draw, vertex edits, and proposals
//! saved in a project and exported as GeoJSON, on the bundled Suzhou data and on made-up
//! squares with GeographicLib reference areas.

use approx::assert_relative_eq;
use geo::{Coord, MultiPolygon, Winding};
use zonemap::core::Role;
use zonemap::core::crs::Crs;
use zonemap::core::io::write::{feature_collection, feature_collection_text};
use zonemap::core::measure::geodesic_area_sum;
use zonemap::core::project::{LayerSource, Project, ProjectLayer};
use zonemap::core::proposal::{
    self, EditError, MEMBERS, VertexRef, delete_vertex, drawn, insert_vertex, merge, move_unit,
    move_vertex, split,
};
use zonemap::core::style::LayerStyle;
use zonemap::core::{Feature, Layer};

use crate::util::{load, parse_ok, rect};

// GeographicLib 2.1: a 0.1° × 0.1° lon/lat square with geodesic edges at 31.0–31.1°N.
const DEG_01_AT_31: f64 = 105_830_589.202;

fn by_name<'a>(layer: &'a Layer, name: &str) -> &'a Feature {
    layer
        .features
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} is bundled"))
}

fn area_m2(f: &Feature) -> f64 {
    geodesic_area_sum(f.polygons()).m2
}

/// An area in m² against the script's, to the method's accuracy on town-sized shapes (the
/// authalic projection, edges over 500 m measured as geodesics, is within 1.5 m² of
/// GeographicLib on every bundled town).
fn assert_m2(got: f64, reference: f64, what: &str) {
    assert!(
        (got - reference).abs() < 2.0,
        "{what}: {got} m², GeographicLib {reference} m²"
    );
}

fn square() -> Feature {
    let layer = parse_ok(
        &crate::util::collection(&[("sq", &[&rect(120.0, 31.0, 120.1, 31.1)])]),
        Role::Zones,
    );
    layer.features[0].clone()
}

#[test]
fn merging_two_adjacent_towns_gives_one_polygon_with_their_summed_area() {
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    // 狮山街道 and 枫桥街道 share an edge (both in 狮山横塘功能片区).
    let a = by_name(&towns, "狮山街道");
    let b = by_name(&towns, "枫桥街道");
    let merged = merge(&[a, b], "P1".into(), "狮山枫桥").expect("merges");
    let Some(geo::Geometry::MultiPolygon(mp)) = &merged.geometry else {
        panic!("a MultiPolygon");
    };
    assert_eq!(mp.0.len(), 1, "one polygon: the shared edge leaves no gap");
    assert!(mp.0[0].interiors().is_empty(), "no sliver holes");
    let sum = area_m2(a) + area_m2(b);
    assert_relative_eq!(area_m2(&merged), sum, max_relative = 1e-6);
    // shapely's union of the two, measured by GeographicLib (reference_areas.py,
    // "狮山街道+枫桥街道").
    assert_m2(area_m2(&merged), 42_151_355.716, "the union");
    assert_eq!(merged.name, "狮山枫桥");
    assert_eq!(
        merged.properties[MEMBERS],
        serde_json::json!(["320505002", "320505003"])
    );
    let km2 = merged.properties["area_km2"].as_f64().expect("area_km2");
    assert_relative_eq!(km2, sum / 1e6, max_relative = 1e-6);
}

#[test]
fn merging_real_districts_that_share_a_boundary_leaves_no_sliver() {
    let layer = load("jiangsu-south-districts.geojson", Role::Context);
    let a = by_name(&layer, "姑苏区");
    let b = by_name(&layer, "虎丘区");
    let merged = merge(&[a, b], "P1".into(), "姑苏+虎丘").expect("merges");
    let parts = merged.polygons();
    let holes: usize = parts.iter().map(|p| p.interiors().len()).sum();
    let own_holes: usize = [a, b]
        .iter()
        .flat_map(|f| f.polygons())
        .map(|p| p.interiors().len())
        .sum();
    assert_eq!(holes, own_holes, "no holes but their own");
    // They share their boundary exactly: the union is the sum (reference_areas.py,
    // "姑苏区+虎丘区"), to the method's 4e-9 on a district.
    let union = 491_348_162.357;
    assert!(
        (area_m2(&merged) - union).abs() < 4e-9 * union,
        "{}",
        area_m2(&merged)
    );
    assert!((area_m2(a) + area_m2(b) - union).abs() < 4e-9 * union);
}

#[test]
fn moving_tongan_changes_both_zones_by_exactly_its_area() {
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let tongan = by_name(&towns, "通安镇");
    let target = zones
        .features
        .iter()
        .position(|f| f.name == "科技生态功能片区")
        .expect("bundled");
    let after = move_unit(&zones.features, tongan, target).expect("moves");
    let before_of = |name| area_m2(by_name(&zones, name));
    let after_of = |name: &str| area_m2(after.iter().find(|f| f.name == name).expect("kept"));
    let unit = area_m2(tongan);
    assert_m2(unit, 36_808_898.121, "通安镇 (reference_areas.py, towns)");
    assert_relative_eq!(
        after_of("科技生态功能片区") - before_of("科技生态功能片区"),
        unit,
        max_relative = 1e-6
    );
    assert_relative_eq!(
        before_of("浒通功能片区") - after_of("浒通功能片区"),
        unit,
        max_relative = 1e-6
    );
    // Against the script's zone areas: 科技生态 gains, 浒通 loses exactly 通安镇.
    assert_m2(
        after_of("科技生态功能片区"),
        186_522_837.060 + 36_808_898.121,
        "科技生态 after",
    );
    assert_m2(
        after_of("浒通功能片区"),
        88_851_247.258 - 36_808_898.121,
        "浒通 after",
    );
    for untouched in ["狮山横塘功能片区", "太湖科学城"] {
        assert_eq!(before_of(untouched), after_of(untouched));
    }
    let members = |name: &str| {
        after
            .iter()
            .find(|f| f.name == name)
            .expect("kept")
            .properties[MEMBERS]
            .clone()
    };
    assert!(
        members("科技生态功能片区")
            .as_array()
            .expect("a list")
            .contains(&serde_json::json!("320505101"))
    );
    assert!(
        !members("浒通功能片区")
            .as_array()
            .expect("a list")
            .contains(&serde_json::json!("320505101"))
    );
    // Moving it again is refused, not done twice.
    let again = move_unit(&after, tongan, target);
    assert!(
        matches!(again, Err(EditError::AlreadyIn { .. })),
        "{again:?}"
    );
}

#[test]
fn splitting_a_square_by_a_line_gives_parts_whose_areas_add_up() {
    let sq = square();
    assert_relative_eq!(area_m2(&sq), DEG_01_AT_31, max_relative = 1e-7);
    // A line across the square, from outside to outside, with a bend in it.
    let line = [
        Coord {
            x: 120.03,
            y: 30.99,
        },
        Coord {
            x: 120.05,
            y: 31.05,
        },
        Coord {
            x: 120.04,
            y: 31.11,
        },
    ];
    let parts = split(&sq, &line).expect("cuts");
    assert_eq!(parts.len(), 2);
    let sum: f64 = parts.iter().map(area_m2).sum();
    assert_relative_eq!(sum, area_m2(&sq), max_relative = 1e-8);
    assert_m2(sum, DEG_01_AT_31, "the parts together");
    // Each part against shapely's split with the cut points put on the square's geodesic
    // edges, as README's rule says, measured by GeographicLib (reference_areas.py, "split by
    // the bent line"): west 46,300,167.152 m², east 59,530,422.050 m².
    let mut by_lon: Vec<&Feature> = parts.iter().collect();
    by_lon.sort_by(|a, b| {
        let x = |f: &Feature| f.bbox.expect("bbox").center().x;
        x(a).total_cmp(&x(b))
    });
    assert_m2(area_m2(by_lon[0]), 46_300_167.152, "west part");
    assert_m2(area_m2(by_lon[1]), 59_530_422.050, "east part");
    // Named after the zone with a number, keeping its properties, and saying where from.
    for (i, p) in parts.iter().enumerate() {
        assert_eq!(p.name, format!("sq {}", i + 1));
        assert_eq!(p.properties["split_from"], serde_json::json!("sq"));
        assert_eq!(p.properties["code"], serde_json::json!("sq"));
    }
    // Two roads make three sectors, named north to south.
    let one = split(
        &sq,
        &[Coord { x: 119.9, y: 31.07 }, Coord { x: 120.2, y: 31.07 }],
    )
    .expect("cuts");
    let north = one[0].clone();
    let rest = split(
        &one[1],
        &[Coord { x: 119.9, y: 31.03 }, Coord { x: 120.2, y: 31.03 }],
    )
    .expect("cuts");
    let three = [north, rest[0].clone(), rest[1].clone()];
    let sum: f64 = three.iter().map(area_m2).sum();
    assert_relative_eq!(sum, area_m2(&sq), max_relative = 1e-8);
    let lat = |f: &Feature| f.bbox.expect("bbox").center().y;
    assert!(lat(&three[0]) > lat(&three[1]) && lat(&three[1]) > lat(&three[2]));
    // reference_areas.py, "three sectors (north to south)".
    for (f, m2) in three
        .iter()
        .zip([31_737_555.555, 42_332_314.091, 31_760_719.556])
    {
        assert_m2(area_m2(f), m2, &f.name);
    }
    assert_eq!(
        (one[0].name.as_str(), one[1].name.as_str()),
        ("sq 1", "sq 2")
    );
    // A line that stays inside cuts nothing.
    let inside = split(
        &sq,
        &[
            Coord {
                x: 120.02,
                y: 31.05,
            },
            Coord {
                x: 120.08,
                y: 31.05,
            },
        ],
    );
    assert!(matches!(inside, Err(EditError::NoCut(_))), "{inside:?}");
}

#[test]
fn a_line_bending_a_centimetre_inside_a_zones_edge_still_cuts_it() {
    // A planner's test: a V-shaped cut whose bend lies 1e-7° (about 1 cm) inside the west
    // edge of a 0.01° × 0.005° zone. The part west of it is one polygon with a 1 cm neck at
    // the bend; the bend is the line's own vertex, not a crossing, so it stays where drawn
    // (it used to be moved onto the edge, and the part then touched itself there). GEOS
    // (shapely 2.2 `split`) measured by pyproj 3.7's Geod: 35,189.112 and 492,581.418 m², the
    // zone 527,771.535 m²; ours put the cut points on the top and bottom edges' geodesics, so
    // the parts add up to the zone and each is within 5 m² of GEOS's.
    let layer = parse_ok(
        &crate::util::collection(&[("Z", &[&rect(120.5, 31.3, 120.51, 31.305)])]),
        Role::Zones,
    );
    let zone = &layer.features[0];
    let bend = Coord {
        x: 120.5000001,
        y: 31.3025,
    };
    let line = [
        Coord {
            x: 120.505,
            y: 31.29,
        },
        bend,
        Coord {
            x: 120.505,
            y: 31.31,
        },
    ];
    let parts = split(zone, &line).expect("cuts");
    assert_eq!(parts.len(), 2);
    let mut areas: Vec<f64> = parts.iter().map(area_m2).collect();
    areas.sort_by(f64::total_cmp);
    assert_relative_eq!(areas[0] + areas[1], area_m2(zone), max_relative = 1e-8);
    assert_m2(area_m2(zone), 527_771.535, "zone");
    for (got, geos) in areas.iter().zip([35_189.112, 492_581.418]) {
        assert!(
            (got - geos).abs() < 5.0,
            "{got} m² against GEOS's {geos} m²"
        );
    }
    for part in &parts {
        let kept = part
            .polygons()
            .iter()
            .any(|p| p.exterior().0.contains(&bend));
        assert!(kept, "the bend is in {}", part.name);
    }
}

#[test]
fn a_cut_keeps_the_vertices_on_a_straight_edge_so_the_parts_add_up() {
    // A planner's test: a triangle whose 0.5° base runs along 31.3°N through 21 vertices, cut
    // along 120.65°E. Edges are geodesics, so the base's vertices shape it; the cut used to drop
    // those on the straight line between their neighbours, and the parts then came to 314,612
    // m² less than the zone. pyproj 3.7's Geod (GeographicLib) on the zone, and on the parts
    // with the cut on the west edge's geodesic at the same fraction of its length as in lon/lat
    // (where the split puts it): zone 659,957,576.226 m², west 118,822,837.272 m², east
    // 541,134,738.955 m².
    let mut ring: Vec<(f64, f64)> = (0..=20)
        .map(|i| (120.5 + 0.025 * f64::from(i), 31.3))
        .collect();
    ring.push((120.75, 31.55));
    let layer = parse_ok(&crate::util::collection(&[("Z", &[&ring])]), Role::Zones);
    let zone = &layer.features[0];
    let line = [Coord { x: 120.65, y: 30.8 }, Coord { x: 120.65, y: 31.8 }];
    let parts = split(zone, &line).expect("cuts");
    assert_eq!(parts.len(), 2);
    let west_first = |f: &Feature| f.bbox.expect("bbox").center().x;
    let mut parts: Vec<&Feature> = parts.iter().collect();
    parts.sort_by(|a, b| west_first(a).total_cmp(&west_first(b)));
    assert_m2(area_m2(zone), 659_957_576.226, "zone");
    assert_m2(area_m2(parts[0]), 118_822_837.272, "west");
    assert_m2(area_m2(parts[1]), 541_134_738.955, "east");
    for (x, y) in &ring {
        let c = Coord { x: *x, y: *y };
        let kept = parts
            .iter()
            .any(|p| p.polygons().iter().any(|q| q.exterior().0.contains(&c)));
        assert!(kept, "({x}, {y}) is in a part");
    }
}

#[test]
fn a_drawn_zone_is_measured_and_a_self_crossing_one_is_refused() {
    let pts = [
        Coord { x: 120.0, y: 31.0 },
        Coord { x: 120.1, y: 31.0 },
        Coord { x: 120.1, y: 31.1 },
        Coord { x: 120.0, y: 31.1 },
    ];
    let f = drawn("P1".into(), "科学城", &pts).expect("a polygon");
    assert_relative_eq!(area_m2(&f), DEG_01_AT_31, max_relative = 1e-7);
    let bow_tie = [pts[0], pts[2], pts[1], pts[3]];
    let refused = drawn("P2".into(), "x", &bow_tie);
    assert!(matches!(refused, Err(EditError::Invalid(_))), "{refused:?}");
    let two = drawn("P3".into(), "x", &pts[..2]);
    assert_eq!(two.expect_err("refused"), EditError::TooFewPoints);
}

#[test]
fn vertex_edits_keep_the_polygon_valid_or_are_refused() {
    let sq = square().multi_polygon();
    let v = |index| VertexRef {
        polygon: 0,
        ring: 0,
        index,
    };
    // Dragging a corner outwards grows the square.
    let grown = move_vertex(&sq, v(2), Coord { x: 120.2, y: 31.2 }).expect("valid");
    // reference_areas.py, "corner (120.1, 31.1) dragged to (120.2, 31.2)".
    assert_m2(
        geodesic_area_sum(grown.0.iter()).m2,
        211_592_306.510,
        "the quadrilateral",
    );
    // Dragging it across the far side makes a bow tie: refused.
    let crossed = move_vertex(&sq, v(2), Coord { x: 120.05, y: 30.9 });
    assert!(matches!(crossed, Err(EditError::Invalid(_))), "{crossed:?}");
    // A midpoint pulled out is a new vertex.
    let five = insert_vertex(&sq, v(0), Coord { x: 120.05, y: 30.9 }).expect("valid");
    assert_eq!(five.0[0].exterior().0.len(), 6);
    assert!(five.0[0].exterior().is_ccw());
    // Deleting it goes back to four; a triangle keeps its three.
    let four = delete_vertex(&five, v(1)).expect("valid");
    assert_eq!(four, sq);
    let tri = delete_vertex(&sq, v(0)).expect("a triangle");
    assert_eq!(delete_vertex(&tri, v(0)), Err(EditError::RingTooSmall));
}

#[test]
fn saved_and_reopened_proposals_have_the_same_geometry_and_properties() {
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    let merged = merge(
        &[
            by_name(&zones, "科技生态功能片区"),
            by_name(&towns, "通安镇"),
        ],
        "P1".into(),
        "科技生态+通安",
    )
    .expect("merges");
    let drawn = drawn(
        "P2".into(),
        "太湖科学城 (drawn)",
        &[
            Coord {
                x: 120.38,
                y: 31.32,
            },
            Coord {
                x: 120.41,
                y: 31.32,
            },
            Coord {
                x: 120.40,
                y: 31.35,
            },
        ],
    )
    .expect("a triangle");
    let proposals = vec![merged.clone(), drawn];
    let dir = tempdir();
    let towns_path = crate::util::data("suzhou-gaoxin/towns.geojson");
    let project = Project {
        layers: vec![
            ProjectLayer {
                source: LayerSource::Inline(feature_collection(&proposals)),
                name: "方案".into(),
                role: Role::Zones,
                crs: "WGS-84".into(),
                table: None,
                encoding: None,
                style: LayerStyle::for_role(Role::Zones, 0),
                filter: None,
                editable: true,
                official_km2: Default::default(),
            },
            ProjectLayer {
                source: LayerSource::File(towns_path.clone()),
                name: "towns".into(),
                role: Role::Units,
                crs: "GCJ-02".into(),
                table: None,
                encoding: None,
                style: LayerStyle::for_role(Role::Units, 1),
                filter: None,
                editable: false,
                official_km2: Default::default(),
            },
        ],
        coverage_zones: Some(0),
        coverage_units: Some(1),
        ..Project::default()
    };
    let path = dir.join("plan.zonemap");
    project.write(&path).expect("saves");
    let reread = Project::read(&path).expect("reads");
    assert!(reread.layers[0].editable);
    let layers = reread.resolved(&dir).load_layers(&path).expect("loads");
    assert_eq!(layers[0].features.len(), 2);
    for (before, after) in proposals.iter().zip(&layers[0].features) {
        assert_eq!(before.id, after.id);
        assert_eq!(before.name, after.name);
        assert_eq!(before.properties, after.properties);
        assert_eq!(before.geometry, after.geometry, "{}", before.name);
    }
    assert_eq!(layers[1].features.len(), towns.features.len());
    assert_eq!(layers[1].role, Role::Units);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn project_errors_name_the_file_and_line() {
    let dir = tempdir();
    let path = dir.join("broken.zonemap");
    std::fs::write(
        &path,
        "{\n  \"format\": \"zonemap-project\",\n  \"layers\": [ 1,\n",
    )
    .expect("writes");
    let e = Project::read(&path).expect_err("refused").to_string();
    assert!(e.contains("broken.zonemap") && e.contains("line 3"), "{e}");
    std::fs::write(
        &path,
        r#"{"format":"something-else","version":1,"layers":[]}"#,
    )
    .expect("writes");
    let e = Project::read(&path).expect_err("refused").to_string();
    assert!(e.contains("not a zonemap project"), "{e}");
    let missing = Project {
        layers: vec![ProjectLayer {
            source: LayerSource::File(dir.join("gone.geojson")),
            name: "gone".into(),
            role: Role::Zones,
            crs: "WGS-84".into(),
            table: None,
            encoding: None,
            style: LayerStyle::for_role(Role::Zones, 0),
            filter: None,
            editable: false,
            official_km2: Default::default(),
        }],
        ..Project::default()
    };
    let e = missing.load_layers(&path).expect_err("refused").to_string();
    assert!(
        e.contains("layer 0 (gone)") && e.contains("gone.geojson"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exported_proposals_are_rfc7946_with_members_and_areas() {
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let merged = merge(
        &[by_name(&towns, "狮山街道"), by_name(&towns, "枫桥街道")],
        "P1".into(),
        "狮山枫桥",
    )
    .expect("merges");
    let text = feature_collection_text(std::slice::from_ref(&merged), &Crs::Wgs84).expect("writes");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["type"], "FeatureCollection");
    let f = &json["features"][0];
    assert_eq!(f["id"], "P1");
    assert_eq!(f["properties"]["name"], "狮山枫桥");
    assert_eq!(f["properties"]["members"].as_array().map(Vec::len), Some(2));
    let km2 = f["properties"]["area_km2"].as_f64().expect("area_km2");
    assert_relative_eq!(km2, area_m2(&merged) / 1e6, max_relative = 1e-6);
    // Outer rings counter-clockwise, and full precision (more than 6 decimals survive).
    let gj: geojson::GeoJson = text.parse().expect("geojson parses it");
    let fc = geojson::FeatureCollection::try_from(gj).expect("a collection");
    let geometry: geo::Geometry<f64> = fc.features[0]
        .geometry
        .clone()
        .expect("geometry")
        .try_into()
        .expect("converts");
    let mp: MultiPolygon<f64> = geometry.try_into().expect("a MultiPolygon");
    assert!(mp.0.iter().all(|p| p.exterior().is_ccw()));
    let original = merged.multi_polygon();
    assert_eq!(mp, original, "coordinates round-trip exactly");
    let decimals = text
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|n| n.starts_with("120."))
        .map(|n| n.len() - 4)
        .max()
        .unwrap_or(0);
    assert!(decimals >= 6, "{decimals} decimals");
    // And zonemap reads it back as it wrote it.
    let back = parse_ok(&text, Role::Zones);
    assert_eq!(back.crs, Crs::Wgs84, "the datum member is read back");
    assert_eq!(back.features[0].properties, {
        let mut p = merged.properties.clone();
        p.insert("name".into(), "狮山枫桥".into());
        p
    });
}

#[test]
fn a_written_hole_runs_clockwise_and_its_shell_counter_clockwise() {
    // RFC 7946 §3.1.6, as README says: a zone with a hole, written however it was read.
    let outer = rect(120.4, 31.2, 120.6, 31.4);
    let mut hole = rect(120.45, 31.25, 120.55, 31.35);
    hole.reverse();
    for rings in [[outer.clone(), hole.clone()], {
        // The same read from a file that had them the other way round.
        let mut o = outer.clone();
        o.reverse();
        let mut h = hole.clone();
        h.reverse();
        [o, h]
    }] {
        let layer = parse_ok(
            &crate::util::collection(&[("holed", &[rings[0].as_slice(), rings[1].as_slice()])]),
            Role::Zones,
        );
        let text = feature_collection_text(&layer.features, &Crs::Wgs84).expect("writes");
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let g = &json["features"][0]["geometry"];
        let polygon = match g["type"].as_str() {
            Some("Polygon") => &g["coordinates"],
            _ => &g["coordinates"][0],
        };
        let signed = |ring: &serde_json::Value| -> f64 {
            let pts: Vec<(f64, f64)> = ring
                .as_array()
                .expect("ring")
                .iter()
                .map(|p| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
                .collect();
            pts.windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum()
        };
        assert!(
            signed(&polygon[0]) > 0.0,
            "the shell runs counter-clockwise"
        );
        assert!(signed(&polygon[1]) < 0.0, "the hole runs clockwise");
        // And its area: the outer square less the hole (reference_areas.py, "outer … hole").
        let km2 = json["features"][0]["properties"]["area_km2"]
            .as_f64()
            .expect("area");
        assert!(
            (km2 - (422.228_078_692 - 105.557_044_357)).abs() < 2e-6,
            "{km2}"
        );
    }
}

#[test]
fn new_ids_do_not_collide() {
    let sq = square();
    let mut p = sq.clone();
    p.id = "P7".into();
    assert_eq!(proposal::next_id(&[sq, p]), "P8");
    assert_eq!(proposal::next_id(&[]), "P1");
}

/// A fresh folder under the system's temporary folder.
pub fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "zonemap-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn merging_suzhous_nine_districts_gives_the_city() {
    let layer = load("jiangsu-south-districts.geojson", Role::Context);
    let city = by_name(&layer, "苏州市");
    let districts: Vec<&Feature> = layer
        .features
        .iter()
        .filter(|f| {
            f.property_text("city").as_deref() == Some("苏州市")
                && f.property_text("level").as_deref() == Some("district")
        })
        .collect();
    assert_eq!(districts.len(), 9);
    let merged = merge(&districts, "P1".into(), "苏州").expect("merges");
    // The city's own outline, from the same source, moved to WGS-84 and measured by
    // GeographicLib (reference_areas.py "苏州9区"): 8,629,514,082.415 m², to the method's
    // 4e-9 on a city.
    let m2 = area_m2(&merged);
    assert!((m2 - 8_629_514_082.415).abs() < 4e-9 * 8.63e9, "{m2}");
    assert_relative_eq!(area_m2(&merged), area_m2(city), max_relative = 1e-6);
    let sum: f64 = districts.iter().map(|f| area_m2(f)).sum();
    assert_relative_eq!(area_m2(&merged), sum, max_relative = 1e-6);
}

#[test]
fn a_merge_fills_holes_under_100_square_metres_and_keeps_larger_ones() {
    // Two 0.05° squares at 31°N; the west one notched on the shared edge, so that their union
    // encloses the notch: 5 m × 10 m (49.986 m²) is a sliver hole and is filled; 10 m × 15 m
    // (149.958 m²) is a hole of the plan and stays (reference_areas.py, "notch").
    let merged = |w: f64, h: f64| {
        let y0 = 31.02;
        let west: Vec<(f64, f64)> = vec![
            (120.0, 31.0),
            (120.05, 31.0),
            (120.05, y0),
            (120.05 - w, y0),
            (120.05 - w, y0 + h),
            (120.05, y0 + h),
            (120.05, 31.05),
            (120.0, 31.05),
        ];
        let east = rect(120.05, 31.0, 120.1, 31.05);
        let layer = parse_ok(
            &crate::util::collection(&[("w", &[west.as_slice()]), ("e", &[east.as_slice()])]),
            Role::Units,
        );
        let parts: Vec<&Feature> = layer.features.iter().collect();
        merge(&parts, "P1".into(), "m").expect("merges")
    };
    let small = merged(0.000_052_353_861, 0.000_090_189_127);
    assert_eq!(small.polygons().len(), 1);
    assert!(
        small.polygons()[0].interiors().is_empty(),
        "the sliver hole is filled"
    );
    assert_m2(area_m2(&small), 52_928_919.350, "filled");
    let large = merged(0.000_104_707_721, 0.000_135_283_690);
    assert_eq!(large.polygons()[0].interiors().len(), 1, "the hole stays");
    assert_m2(area_m2(&large), 52_928_769.392, "with its hole");
}

#[test]
fn zones_without_members_hold_the_units_they_cover_more_than_half_of() {
    // README: a zone holds a unit it lists in `members`, else one it covers more than half of.
    // Z1 covers 70% of the unit U, Z2 30%; neither lists members. Moving U into Z3 takes it
    // out of Z1 only: Z1 loses its 70% of U, and Z2 keeps its 30% (it never held U).
    let unit = rect(120.0, 31.0, 120.1, 31.1);
    let layer = parse_ok(
        &crate::util::collection(&[
            ("Z1", &[rect(119.95, 31.0, 120.07, 31.1).as_slice()]),
            ("Z2", &[rect(120.07, 31.0, 120.15, 31.1).as_slice()]),
            ("Z3", &[rect(120.1, 31.1, 120.2, 31.2).as_slice()]),
            ("U", &[unit.as_slice()]),
        ]),
        Role::Zones,
    );
    let (zones, u) = (&layer.features[..3], &layer.features[3]);
    assert_eq!(proposal::holders(zones, u), [0]);
    let after = move_unit(zones, u, 2).expect("moves");
    let area =
        |name: &str, list: &[Feature]| area_m2(list.iter().find(|f| f.name == name).expect(name));
    // Z1 keeps only its part west of the unit: 0.05° × 0.1° at 31.0–31.1°N, 52,915,292.530 m²
    // (reference_areas.py, "// scenario": ("Z1", "B"), the same rectangle further east).
    assert_m2(area("Z1", &after), 52_915_292.530, "Z1 less the unit");
    assert_eq!(area("Z2", &after), area("Z2", zones), "Z2 untouched");
    assert_m2(
        area("Z3", &after),
        area("Z3", zones) + DEG_01_AT_31,
        "Z3 with the unit",
    );
}
