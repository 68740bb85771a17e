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

/// Whether `text` fits a box of `rect`: laid out at the smallest text size the window uses
/// (a lower bound on what it really takes) and wrapped at the box's width, it is no taller than
/// the box. An elided label's box is one line high and narrower than its whole text.
fn fits(h: &Harness<'static, ZonemapApp>, text: &str, rect: Rect) -> bool {
    let style = h.ctx.global_style();
    let smallest = style
        .text_styles
        .values()
        .map(|f| f.size)
        .fold(f32::INFINITY, f32::min);
    let font = egui::FontId::proportional(smallest);
    let galley = h.ctx.fonts_mut(|f| {
        f.layout(
            text.to_owned(),
            font,
            egui::Color32::WHITE,
            rect.width() + 1.0,
        )
    });
    galley.size().y <= rect.height() + 1.0
}

/// The widgets with text cut sideways by their panel, and the panels that overlap, as
/// sentences naming them.
fn clipped(h: &Harness<'static, ZonemapApp>, overlaps_too: bool) -> Vec<String> {
    let mut found = Vec::new();
    let size = h.ctx.content_rect();
    let ppp = h.ctx.pixels_per_point();
    let nodes: Vec<_> = h
        .query_all_by(|n| {
            text_of(n).is_some_and(|l| !l.trim().is_empty())
                && !is_container(n.role())
                && n.role() != A11y::TextRun
        })
        .collect();
    let mut texts: Vec<(String, Rect)> = Vec::new();
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
        // Elided ("…") or cut short in its own box: the text, at the smallest size the window
        // uses and wrapped to the box's width, must fit the box's height. A text field's
        // contents scroll in it by design.
        if node.accesskit_node().role() != A11y::TextInput && !fits(h, &label, rect) {
            found.push(format!("{label:?} at {rect:?} is too long for its box"));
        }
        texts.push((label, rect));
    }
    // A wrapped label's box spans every row it wraps onto, beside other widgets in a wrapping
    // row: its rows (AccessKit text runs) are what is drawn, so a box holding runs gives way
    // to them.
    let runs: Vec<(String, Rect)> = h
        .query_all_by(|n| n.role() == A11y::TextRun)
        .filter_map(|n| Some((text_of(&n.accesskit_node())?, rect_of(&n, ppp)?)))
        .collect();
    texts.retain(|(_, r)| {
        !runs
            .iter()
            .any(|(_, run)| r.expand(0.5).contains_rect(*run))
    });
    texts.extend(runs);
    if overlaps_too {
        // Two texts drawn over each other: a table cell's text running into the next cell,
        // say. (Only where nothing scrolls: scrolled-out rows keep their boxes, under the
        // panel below, and AccessKit does not say what a scroll area hides.)
        for (i, (a, ra)) in texts.iter().enumerate() {
            for (b, rb) in &texts[i + 1..] {
                let both = ra.intersect(*rb);
                if both.width() > 2.0 && both.height() > 2.0 {
                    found.push(format!("{a:?} at {ra:?} overlaps {b:?} at {rb:?}"));
                }
            }
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
fn every_tab(
    h: &mut Harness<'static, ZonemapApp>,
    lang: Lang,
    at: &str,
    overlaps_too: bool,
) -> Vec<String> {
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
            clipped(h, overlaps_too)
                .into_iter()
                .map(|c| format!("{lang:?} {at}, {tab}: {c}")),
        );
    }
    found
}

/// A town selected, then a zone, with the details dragged tall: the details list what covers
/// it, one wrapping line per feature.
fn selected(
    h: &mut Harness<'static, ZonemapApp>,
    lang: Lang,
    at: &str,
    overlaps_too: bool,
    details_height: f32,
) -> Vec<String> {
    let mut found = Vec::new();
    let layout = zonemap::session::state::PanelLayout {
        details_height,
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
        // The list is there to be looked at: the feature's name and what covers it.
        let relations = h
            .query_all_by(|n| {
                n.label()
                    .or(n.value())
                    .is_some_and(|l| l.contains(lang.t().km2))
            })
            .count();
        if relations == 0 {
            found.push(format!(
                "{lang:?} {at}, {role:?} selected: no figures in the details"
            ));
        }
        found.extend(
            clipped(h, overlaps_too)
                .into_iter()
                .map(|c| format!("{lang:?} {at}, {role:?} selected: {c}")),
        );
    }
    found
}

/// Where the window is tall enough that nothing scrolls, no two texts overlap, at the first
/// width and the minimum, in both languages, on every tab and with a selection: a table cell
/// running into the next, a wrapped line under a button. (With scrolling, AccessKit keeps the
/// boxes of rows scrolled out of view, so this is looked at only here.)
#[test]
fn no_two_texts_overlap_where_nothing_scrolls() {
    let mut found = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        for width in [WINDOW_SIZE[0], MIN_WINDOW_SIZE[0]] {
            let size = [width, 4800.0];
            let dir = tempdir();
            let mut h = window(lang, size, &dir);
            let layout = zonemap::session::state::PanelLayout {
                dock_height: 1000.0,
                details_height: 1400.0,
                ..h.state().layout
            };
            h.state_mut().set_layout(layout);
            h.run_steps(4);
            let at = format!("{size:?}");
            found.extend(every_tab(&mut h, lang, &at, true));
            found.extend(selected(&mut h, lang, &at, true, 1400.0));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    assert!(
        found.is_empty(),
        "{} overlapping:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn no_text_is_cut_at_either_size_in_either_language_nor_after_shrinking() {
    let mut found = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        for size in [WINDOW_SIZE, MIN_WINDOW_SIZE] {
            let dir = tempdir();
            let mut h = window(lang, size, &dir);
            found.extend(every_tab(&mut h, lang, &format!("{size:?}"), false));
            found.extend(selected(
                &mut h,
                lang,
                &format!("{size:?}"),
                false,
                size[1] * 0.6,
            ));
            let _ = std::fs::remove_dir_all(&dir);
        }
        // Shrunk while running: the panels follow the window.
        let dir = tempdir();
        let mut h = window(lang, WINDOW_SIZE, &dir);
        h.set_size(egui::Vec2::from(MIN_WINDOW_SIZE));
        h.run_steps(4);
        found.extend(every_tab(&mut h, lang, "shrunk", false));
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

/// At the minimum size the dock is short: it puts its tabs first and folds the layer pickers
/// and the snapping behind "Layers and snap", so that the coverage table's first row shows without
/// scrolling, in both languages; the button unfolds them.
#[test]
fn a_short_dock_shows_the_tables_first_row_and_unfolds_its_settings() {
    for lang in [Lang::En, Lang::Zh] {
        let t = lang.t();
        let dir = tempdir();
        let mut h = window(lang, MIN_WINDOW_SIZE, &dir);
        let ppp = h.ctx.pixels_per_point();
        let dock = h.state().panels.dock.expect("the dock");
        let units: Vec<String> = h
            .state()
            .session
            .layer_with_role(Role::Units)
            .expect("a units layer")
            .layer
            .features
            .iter()
            .map(|f| f.name.clone())
            .collect();
        let rows_shown = h
            .query_all_by(|n| text_of(n).is_some_and(|l| units.contains(&l)))
            .filter_map(|n| rect_of(&n, ppp))
            .filter(|r| dock.contains_rect(*r))
            .count();
        assert!(
            rows_shown >= 1,
            "{lang:?}: no unit's row in the dock at {dock:?}"
        );
        let picker = |h: &Harness<'static, ZonemapApp>| {
            h.query_all_by(|n| text_of(n).is_some_and(|l| l == t.zones_layer))
                .count()
        };
        assert_eq!(picker(&h), 0, "{lang:?}: the pickers are folded");
        h.get_by_label(t.coverage_settings).click();
        h.run_steps(4);
        assert!(picker(&h) > 0, "{lang:?}: the button shows the pickers");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
