//! The session's commands, applied directly as the window applies them (issue 16): no window,
//! no kittest. Expected areas come from `scripts/reference_areas.py` (shapely unions measured
//! with GeographicLib).

use std::time::Duration;

use zonemap::core::lang::Lang;
use zonemap::core::proposal::MEMBERS;
use zonemap::core::{FeatureId, Role};
use zonemap::session::command::{Effects, Request};
use zonemap::session::history::Edit;
use zonemap::session::layer::{FeatureRef, LayerKey};
use zonemap::session::{Command, Repaint, Session};

use crate::util::data;

/// The session the window starts with on the bundled data, analysed.
fn bundled() -> Session {
    let mut session = Session::new(Lang::En, None, Repaint::none());
    session.open_bundled();
    session.map.size_px = [800.0, 600.0];
    assert!(session.settle(Duration::from_secs(60)), "settles");
    session
}

fn key(session: &Session, role: Role) -> LayerKey {
    session.layer_with_role(role).expect("a layer").key
}

fn named(session: &Session, layer: LayerKey, name: &str) -> FeatureRef {
    let l = session.layer(layer).expect("open");
    let i = l
        .layer
        .features
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} in {}", l.layer.name));
    FeatureRef {
        layer,
        feature: FeatureId(i as u32),
    }
}

fn none(effects: Effects) {
    assert_eq!(effects, Effects::none());
}

#[test]
fn a_merge_undo_and_redo_through_commands() {
    let mut s = bundled();
    let towns = key(&s, Role::Units);
    let parts = vec![named(&s, towns, "狮山街道"), named(&s, towns, "枫桥街道")];
    let effects = s.apply(Command::Edit(Edit::Merge {
        parts,
        name: String::new(),
    }));
    let proposals = s.proposals_key().expect("proposals made");
    assert_eq!(
        effects.requests,
        [Request::LayerChanged(proposals)],
        "the window drops drags on the edited layer"
    );
    assert_eq!(s.generation, 1);
    assert!(s.is_dirty());
    let merged = named(&s, proposals, "狮山街道+枫桥街道");
    assert_eq!(s.selection, [merged], "the new zone is selected");
    let feature = s.feature(merged).expect("merged");
    assert_eq!(
        feature.properties[MEMBERS],
        serde_json::json!(["320505002", "320505003"])
    );
    // shapely's union of the two towns, measured with GeographicLib ("狮山街道+枫桥街道").
    let m2 = s.layer(proposals).expect("open").area(merged.feature).m2;
    assert!((m2 / 42_151_355.716 - 1.0).abs() < 1e-6, "{m2}");
    assert_eq!(s.history.undo_label(), Some("merge"));

    let after = s.layer(proposals).expect("open").layer.clone();
    let _ = s.apply(Command::Undo);
    assert_eq!(s.generation, 2);
    assert!(
        s.layer(proposals)
            .expect("open")
            .layer
            .features
            .iter()
            .all(|f| f.name != "狮山街道+枫桥街道")
    );
    assert_eq!(s.notice.as_deref(), Some("Undone: merge"));
    let _ = s.apply(Command::Redo);
    assert!(std::sync::Arc::ptr_eq(
        &s.layer(proposals).expect("open").layer,
        &after
    ));
    // The coverage analysis follows the edit by itself: it keys on the layer's Arc.
    assert!(s.settle(Duration::from_secs(60)));
    let result = s.current_analysis().expect("analysed");
    let row = result
        .report
        .units
        .iter()
        .find(|u| u.name == "狮山街道")
        .expect("a row");
    assert_eq!(row.zones, ["狮山街道+枫桥街道"]);
}

#[test]
fn a_refused_edit_changes_nothing_and_says_why() {
    let mut s = bundled();
    let zones = key(&s, Role::Zones);
    let target = named(&s, zones, "太湖科学城");
    // A line far to the east of every zone.
    let line = vec![
        geo::Coord { x: 121.5, y: 31.0 },
        geo::Coord { x: 121.6, y: 31.1 },
    ];
    none(s.apply(Command::Edit(Edit::Split {
        target: Some(target),
        line,
    })));
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(s.errors[0].contains("line"), "{}", s.errors[0]);
    assert_eq!(s.history.undo_label(), None);
    assert_eq!(s.generation, 0);
}

#[test]
fn saving_without_a_path_asks_the_window_and_a_saved_project_opens_again() {
    let mut s = bundled();
    assert_eq!(
        s.apply(Command::SaveProject(None)).requests,
        [Request::SaveProjectPath]
    );
    let dir = crate::proposals::tempdir();
    let path = dir.join("plan");
    let towns = key(&s, Role::Units);
    let town = named(&s, towns, "通安镇");
    none(s.apply(Command::SetOfficialArea(town, Some(36.8))));
    assert!(s.is_dirty());
    none(s.apply(Command::SaveProject(Some(path.clone()))));
    let written = dir.join("plan.zonemap");
    assert_eq!(s.project_path.as_deref(), Some(written.as_path()));
    assert!(!s.is_dirty());
    assert!(s.errors.is_empty(), "{:?}", s.errors);

    let mut reopened = Session::new(Lang::En, None, Repaint::none());
    let effects = reopened.apply(Command::OpenProject(written));
    assert_eq!(effects.requests, [Request::Reset]);
    assert!(reopened.settle(Duration::from_secs(60)));
    assert_eq!(reopened.layers.len(), s.layers.len());
    let towns = key(&reopened, Role::Units);
    assert_eq!(
        reopened.layer(towns).expect("open").official_km2["320505101"],
        36.8
    );
}

#[test]
fn a_file_of_several_tables_asks_which_to_open() {
    let mut s = Session::new(Lang::En, None, Repaint::none());
    let path = data("realworld/jiangsu-south-cgcs2000.gpkg");
    let effects = s.apply(Command::OpenFiles(vec![path.clone()]));
    let Some(Request::PickTables { tables, .. }) = effects.requests.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(tables.len(), 2, "{tables:?}");
    none(s.apply(Command::OpenTables(path, vec!["cities".into()])));
    assert!(s.settle(Duration::from_secs(60)));
    assert_eq!(s.layers.len(), 1);
    assert_eq!(s.layers[0].layer.name, "cities");
}

#[test]
fn selection_commands_and_removing_a_layer() {
    let mut s = bundled();
    let zones = key(&s, Role::Zones);
    let a = named(&s, zones, "太湖科学城");
    let b = named(&s, zones, "浒通功能片区");
    none(s.apply(Command::Select(vec![a])));
    none(s.apply(Command::ToggleSelected(b)));
    assert_eq!(s.selection, [a, b]);
    none(s.apply(Command::ToggleSelected(a)));
    assert_eq!(s.selection, [b]);
    assert_eq!(s.active_layer, Some(zones));
    let effects = s.apply(Command::RemoveLayer(zones));
    assert_eq!(effects.requests, [Request::LayerChanged(zones)]);
    assert!(s.selection.is_empty());
    assert!(s.layer(zones).is_none());
    assert_eq!(s.active_layer, None);
}

#[test]
fn a_straight_line_that_cuts_a_zone_into_three_parts_says_why() {
    let mut s = bundled();
    // A U: a straight line across both arms crosses its boundary 4 times and leaves 3 parts
    // (the two arms' tops and the bottom), by hand.
    let u = [
        (120.0, 31.0),
        (120.03, 31.0),
        (120.03, 31.03),
        (120.02, 31.03),
        (120.02, 31.01),
        (120.01, 31.01),
        (120.01, 31.03),
        (120.0, 31.03),
    ]
    .map(|(x, y)| geo::Coord { x, y })
    .to_vec();
    let _ = s.apply(Command::Edit(Edit::Draw {
        points: u,
        name: "U".into(),
    }));
    let proposals = s.proposals_key().expect("proposals");
    let target = named(&s, proposals, "U");
    let line = vec![
        geo::Coord {
            x: 119.99,
            y: 31.02,
        },
        geo::Coord {
            x: 120.04,
            y: 31.02,
        },
    ];
    let _ = s.apply(Command::Edit(Edit::Split {
        target: Some(target),
        line,
    }));
    let parts = s
        .layer(proposals)
        .expect("open")
        .layer
        .features
        .iter()
        .filter(|f| f.name.starts_with("U "))
        .count();
    assert_eq!(parts, 3);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(
        s.errors[0],
        "U was cut into 3 parts, not 2: the line crosses its boundary 4 times (in and out more \
         than once). Undo (Ctrl+Z) to cut again."
    );
    // Undone, the cut and what was said of it go together.
    let _ = s.apply(Command::Undo);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
}

#[test]
fn a_file_opened_moves_the_view_to_it_and_a_level_field_offers_layers() {
    let mut s = bundled();
    // The view on the bundled high-tech district, fitted.
    let _ = s.apply(Command::ZoomToLayer(key(&s, Role::Units)));
    let before = s.map.viewport.visible_lonlat(s.map.size_px);
    let path = data("jiangsu-south-districts.geojson");
    let _ = s.apply(Command::OpenFiles(vec![path]));
    assert!(s.settle(Duration::from_secs(60)));
    let opened = s
        .layers
        .iter()
        .find(|l| l.layer.name == "jiangsu-south-districts")
        .expect("opened")
        .key;
    let bbox = s.layer(opened).expect("open").layer.bbox().expect("a box");
    let view = s.map.viewport.visible_lonlat(s.map.size_px);
    assert_ne!(view, before, "the view moved");
    assert!(
        view.min().x <= bbox.min().x
            && view.max().x >= bbox.max().x
            && view.min().y <= bbox.min().y
            && view.max().y >= bbox.max().y,
        "the whole file is in view: {view:?} {bbox:?}"
    );
    // 3 cities and 22 districts: offered as two layers.
    assert_eq!(s.split_offers.len(), 1, "{:?}", s.split_offers);
    assert_eq!(s.split_offers[0].field, "level");
    assert_eq!(s.split_offers[0].values, ["city", "district"]);
    let _ = s.apply(Command::AcceptSplitOffer(0));
    assert!(s.settle(Duration::from_secs(60)));
    assert!(s.split_offers.is_empty());
    let counts: Vec<(String, usize)> = s
        .layers
        .iter()
        .filter(|l| l.layer.name.starts_with("jiangsu-south-districts · "))
        .map(|l| (l.layer.name.clone(), l.layer.features.len()))
        .collect();
    assert_eq!(counts.iter().map(|c| c.1).sum::<usize>(), 25, "{counts:?}");
    assert_eq!(counts.len(), 2, "{counts:?}");
    // The parts take the layer's place: it is not drawn (and labelled) a second time, and
    // its key lives on in the first part.
    assert!(
        s.layers
            .iter()
            .all(|l| l.layer.name != "jiangsu-south-districts"),
        "the whole layer is gone"
    );
    assert!(s.layer(opened).is_some(), "its key is the first part's");
}

/// The bundled districts (苏南 区(县级市), 22 features) dissolved by `city`.
#[test]
fn a_dissolve_into_a_new_layer_undoes_and_redoes() {
    use zonemap::session::dissolve::DissolveInto;
    let mut s = bundled();
    let districts = s
        .layers
        .iter()
        .find(|l| l.layer.features.len() == 22)
        .expect("the districts")
        .key;
    let before = s.layers.len();
    let effects = s.apply(Command::Dissolve {
        layer: districts,
        field: "city".into(),
        into: DissolveInto::NewLayer,
    });
    assert_eq!(s.layers.len(), before + 1);
    let report = s.dissolve_report.clone().expect("a report");
    assert_eq!(effects.requests, [Request::LayerChanged(report.into)]);
    let cities = s.layer(report.into).expect("the new layer");
    let names: Vec<(&str, usize)> = cities
        .layer
        .features
        .iter()
        .map(|f| {
            let members = f.properties[MEMBERS].as_array().expect("members").len();
            (f.name.as_str(), members)
        })
        .collect();
    // data/README.md: 常州 6 districts, 无锡 7, 苏州 9.
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, [("常州市", 6), ("无锡市", 7), ("苏州市", 9)]);
    assert!(report.overlaps.is_empty(), "{:?}", report.overlaps);
    // No overlaps: each city's area is the sum of its districts' (measured here).
    let source = s.layer(districts).expect("the districts");
    for g in &report.groups {
        let sum: f64 = source
            .layer
            .features
            .iter()
            .filter(|f| g.members.contains(&f.id))
            .map(|f| zonemap::core::measure::geodesic_area_sum(f.polygons()).m2)
            .sum();
        assert!(
            (g.area_m2 - sum).abs() < 1e-6 * sum,
            "{:?}: {} against the districts' {sum}",
            g.value,
            g.area_m2
        );
    }
    // Undo takes the layer out; redo puts it back under its key.
    let key = report.into;
    let _ = s.apply(Command::Undo);
    assert_eq!(s.layers.len(), before);
    assert!(s.layer(key).is_none());
    let _ = s.apply(Command::Redo);
    assert_eq!(s.layer(key).expect("back").layer.features.len(), 3);
    // Kept in a project with its features, and read back.
    let project = s.project();
    let text = serde_json::to_string(&project).expect("serialises");
    assert!(text.contains("常州市"));
    // A field no feature has is said, and nothing changes.
    let layers = s.layers.len();
    none(s.apply(Command::Dissolve {
        layer: districts,
        field: "no_such_field".into(),
        into: DissolveInto::NewLayer,
    }));
    assert_eq!(s.layers.len(), layers);
    assert!(
        s.errors.last().is_some_and(|e| e.contains("no_such_field")),
        "{:?}",
        s.errors
    );
}

#[test]
fn a_dissolve_into_the_proposals_is_one_undoable_step() {
    use zonemap::session::dissolve::DissolveInto;
    let mut s = bundled();
    let towns = key(&s, Role::Units);
    let _ = s.apply(Command::Dissolve {
        layer: towns,
        field: "kind".into(),
        into: DissolveInto::Proposals,
    });
    let proposals = s.proposals_key().expect("proposals made");
    let kinds: Vec<String> = s
        .layer(proposals)
        .expect("proposals")
        .layer
        .features
        .iter()
        .map(|f| f.name.clone())
        .collect();
    let mut distinct: Vec<String> = s
        .layer(towns)
        .expect("towns")
        .layer
        .features
        .iter()
        .filter_map(|f| f.properties.get("kind")?.as_str().map(str::to_owned))
        .collect();
    distinct.dedup();
    distinct.sort();
    distinct.dedup();
    let mut got = kinds.clone();
    got.sort();
    assert_eq!(got, distinct);
    // Undo: the proposals are the zones' copy again.
    let _ = s.apply(Command::Undo);
    let zones = s
        .proposals_base
        .and_then(|k| s.layer(k))
        .expect("the zones the proposals copied");
    let names = |l: &zonemap::session::layer::MapLayer| -> Vec<String> {
        l.layer.features.iter().map(|f| f.name.clone()).collect()
    };
    assert_eq!(names(s.layer(proposals).expect("kept")), names(zones));
    assert_ne!(names(zones), got);
}
