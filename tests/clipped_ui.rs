//! No clipped text (issue 17): every word the window shows lies wholly across the panel it is
//! in, at the window's first size and at its minimum, in both languages, on every dock tab, and
//! after the window shrinks while running. The panels never overlap.
//!
//! How it is decided: egui gives every `Ui` an AccessKit node, panels with the role `Pane`, and
//! every widget a node with its unclipped rectangle. A widget with text whose rectangle sticks
//! out sideways past its panel's is cut where the panel clips it. (Up and down, scroll areas
//! scroll, so only the sideways direction is checked; tables that scroll sideways on purpose
//! are none.)

use egui::Rect;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use zonemap::core::{FeatureId, Role};
use zonemap::session::Command;
use zonemap::session::layer::FeatureRef;
use zonemap::ui::{Lang, MIN_WINDOW_SIZE, Startup, WINDOW_SIZE, ZonemapApp};

use crate::proposals::tempdir;
use crate::ui::settle;

use egui::accesskit::Role as A11y;

/// Containers: their rectangles are their contents', not text of their own.
fn is_container(role: A11y) -> bool {
    matches!(
        role,
        A11y::Pane
            | A11y::GenericContainer
            | A11y::Window
            | A11y::Dialog
            | A11y::Menu
            | A11y::ScrollBar
            | A11y::Splitter
            | A11y::Tooltip
    )
}

/// A widget's text: a button's or a check box's label, a plain label's value.
fn text_of(node: &egui_kittest::kittest::AccessKitNode<'_>) -> Option<String> {
    node.label().or_else(|| node.value())
}

/// A node's rectangle in points, if it has one (some containers have none).
fn rect_of<'t>(node: &impl NodeT<'t>, ppp: f32) -> Option<Rect> {
    let b = node.accesskit_node().bounding_box()?;
    Some(Rect::from_min_max(
        egui::pos2(b.x0 as f32 / ppp, b.y0 as f32 / ppp),
        egui::pos2(b.x1 as f32 / ppp, b.y1 as f32 / ppp),
    ))
}

/// The widgets with text cut sideways by their panel, and the panels that overlap, as
/// sentences naming them.
fn clipped(h: &Harness<'static, ZonemapApp>) -> Vec<String> {
    let mut found = Vec::new();
    let size = h.ctx.content_rect();
    let ppp = h.ctx.pixels_per_point();
    let nodes: Vec<_> = h
        .query_all_by(|n| {
            text_of(n).is_some_and(|l| !l.trim().is_empty()) && !is_container(n.role())
        })
        .collect();
    for node in nodes {
        let Some(rect) = rect_of(&node, ppp) else {
            continue;
        };
        if !rect.is_positive() || !size.intersects(rect) {
            continue;
        }
        let label = text_of(&node.accesskit_node()).unwrap_or_default();
        // The panel it is in: the one holding its start (a widget cut at a panel's edge has
        // its centre past it).
        let centre = egui::pos2(rect.left() + 1.0, rect.center().y);
        let panels = h.state().panels;
        let bounds = [panels.dock, panels.column, Some(panels.map_column)]
            .into_iter()
            .flatten()
            .find(|p| p.contains(centre))
            .unwrap_or(size)
            .intersect(size);
        if rect.left() < bounds.left() - 0.5 || rect.right() > bounds.right() + 0.5 {
            found.push(format!(
                "{label:?} at {rect:?} is cut by its panel at {bounds:?}"
            ));
        }
    }
    // The panels do not overlap, and each lies in the window.
    let panels = h.state().panels;
    let panes: Vec<Rect> = [panels.dock, panels.column, Some(panels.map_column)]
        .into_iter()
        .flatten()
        .collect();
    for p in &panes {
        if !size.expand(0.5).contains_rect(*p) {
            found.push(format!(
                "the panel at {p:?} sticks out of the window {size:?}"
            ));
        }
    }
    for (i, a) in panes.iter().enumerate() {
        for b in &panes[i + 1..] {
            let both = a.intersect(*b);
            if both.width() > 1.0 && both.height() > 1.0 {
                found.push(format!("panels at {a:?} and {b:?} overlap"));
            }
        }
    }
    found
}

fn window(lang: Lang, size: [f32; 2], dir: &std::path::Path) -> Harness<'static, ZonemapApp> {
    let startup = Startup {
        lang: Some(lang),
        recovery: Some(dir.join("recovery.zonemap")),
        ..Startup::shipped(Vec::new())
    };
    let mut h = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| ZonemapApp::from_storage(&cc.egui_ctx, startup, None));
    settle(&mut h);
    h
}

/// Every dock tab in turn, collecting what is cut on each.
fn every_tab(h: &mut Harness<'static, ZonemapApp>, lang: Lang, at: &str) -> Vec<String> {
    let t = lang.t();
    let mut found = Vec::new();
    for tab in [
        t.tab_coverage,
        t.tab_matrix,
        t.tab_overlaps,
        t.tab_pilots,
        t.tab_scenario,
    ] {
        if let Some(button) = h
            .query_all_by(|n| {
                n.role() == A11y::Button && n.label().is_some_and(|l| l.starts_with(tab))
            })
            .next()
        {
            button.click();
        }
        h.run_steps(4);
        found.extend(
            clipped(h)
                .into_iter()
                .map(|c| format!("{lang:?} {at}, {tab}: {c}")),
        );
    }
    found
}

#[test]
fn no_text_is_cut_at_either_size_in_either_language_nor_after_shrinking() {
    let mut found = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        for size in [WINDOW_SIZE, MIN_WINDOW_SIZE] {
            let dir = tempdir();
            let mut h = window(lang, size, &dir);
            found.extend(every_tab(&mut h, lang, &format!("{size:?}")));
            // With a town selected, then a zone: the details list what covers it (the details
            // dragged tall enough to show the list).
            let layout = zonemap::session::state::PanelLayout {
                details_height: size[1] * 0.6,
                ..h.state().layout
            };
            h.state_mut().set_layout(layout);
            for role in [Role::Units, Role::Zones] {
                let layer = h
                    .state()
                    .session
                    .layer_with_role(role)
                    .expect("a layer")
                    .key;
                let feature = FeatureRef {
                    layer,
                    feature: FeatureId(3),
                };
                h.state_mut().push_command(Command::Select(vec![feature]));
                h.run_steps(4);
                found.extend(
                    clipped(&h)
                        .into_iter()
                        .map(|c| format!("{lang:?} {size:?}, {role:?} selected: {c}")),
                );
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        // Shrunk while running: the panels follow the window.
        let dir = tempdir();
        let mut h = window(lang, WINDOW_SIZE, &dir);
        h.set_size(egui::Vec2::from(MIN_WINDOW_SIZE));
        h.run_steps(4);
        found.extend(every_tab(&mut h, lang, "shrunk"));
        let map = h.state().map_rect;
        let screen = Rect::from_min_size(egui::Pos2::ZERO, egui::Vec2::from(MIN_WINDOW_SIZE));
        assert!(
            screen.contains_rect(map),
            "{lang:?} shrunk: the map at {map:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        found.is_empty(),
        "{} cut:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// At the minimum size, notices above the map (here the offers to split files by their
/// `level` and `kind` fields) scroll within a third of the map's column: the map stays in view.
#[test]
fn notices_leave_the_map_in_view_at_the_minimum_size() {
    let dir = tempdir();
    let mut h = window(Lang::En, MIN_WINDOW_SIZE, &dir);
    let files = vec![
        crate::util::data("jiangsu-south-districts.geojson"),
        crate::util::data("suzhou-gaoxin/towns.geojson"),
    ];
    h.state_mut().push_command(Command::OpenFiles(files));
    settle(&mut h);
    h.run_steps(4);
    assert!(
        !h.state().session.split_offers.is_empty(),
        "an offer to split is shown"
    );
    let map = h.state().map_rect;
    // As tall as the window test asks of any map (startup_ui: at least 80 pt).
    assert!(map.height() >= 80.0, "the map: {map:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
