//! Placing the sheet's labels with the core's one rule ([`labels::place_labels`]): each
//! feature's name where it fits, out of the way of the furniture.

use std::collections::HashMap;

use super::super::labels;
use super::*;

/// Zones' labels first, then units', then context's; within a layer the larger features
/// first. A label goes at the first of its feature's places where it fits inside the feature's
/// outline and touches no other label and no furniture.
pub(super) fn place_labels(
    map: &SheetMap,
    drawn: &[DrawnLayer],
    to_px: &ToPx,
    frame: Frame,
    obstacles: Vec<Frame>,
    pt: f32,
) -> (Group, Vec<PlacedLabel>) {
    let font = SheetFont::get();
    let mut requests: Vec<labels::LabelRequest> = Vec::new();
    let mut shapes: HashMap<(usize, FeatureId), &FeatureShape> = HashMap::new();
    for d in drawn {
        let sl = &map.layers[d.index];
        if sl.style.label_field.is_none() {
            continue;
        }
        for (id, shape) in &d.shapes {
            let Some(shape) = shape.as_ref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let Some(bbox) = sl.layer.feature(*id).bbox else {
                continue;
            };
            let a = to_px.lonlat(bbox.min());
            let b = to_px.lonlat(bbox.max());
            requests.push(labels::LabelRequest {
                layer: d.index,
                feature: *id,
                priority: sl.layer.role.rank(),
                bbox: Frame::new(
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    (b[0] - a[0]).abs(),
                    (b[1] - a[1]).abs(),
                ),
            });
            shapes.insert((d.index, *id), shape);
        }
    }
    let rules = labels::LabelRules {
        frame,
        pt,
        max: usize::MAX,
        parallel: true,
    };
    let mut placer = Placer::new(3.0 * pt, obstacles);
    let placed = labels::place_labels(
        requests,
        rules,
        &mut placer,
        |r| {
            label_positions(map.layers[r.layer].layer.feature(r.feature))
                .into_iter()
                .map(|p| to_px.lonlat(p))
                .collect()
        },
        |r| {
            let sl = &map.layers[r.layer];
            let text = sl
                .style
                .label_text(sl.layer.feature(r.feature))
                .filter(|t| !t.trim().is_empty())?;
            let size = if r.priority == 0 {
                14.0 * pt
            } else {
                12.5 * pt
            };
            Some((text, size))
        },
        |line, size| {
            [
                font.width(line, size),
                font.ascent(size) + font.descent(size),
            ]
        },
        |r, q| {
            shapes
                .get(&(r.layer, r.feature))
                .is_some_and(|s| s.contains(to_px.world_at(q)))
        },
    );
    let mut group = Group::new("labels");
    let mut out = Vec::with_capacity(placed.len());
    for p in placed {
        let [cx, _] = p.frame.centre();
        for (i, line) in p.lines.iter().enumerate() {
            group.items.push(Item::Text(TextItem {
                text: line.clone(),
                x: cx,
                y: p.frame.y + i as f32 * p.line_height + font.ascent(p.size),
                anchor: Anchor::Middle,
                size: p.size,
                color: Rgba::rgb(0, 0, 0),
                halo: Some((HALO, 2.5 * pt)),
            }));
        }
        out.push(PlacedLabel {
            text: p.text,
            frame: p.frame,
            layer: p.request.layer,
            feature: p.request.feature,
        });
    }
    (group, out)
}
