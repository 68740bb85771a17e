//! Placing the sheet's labels: each feature's name where it fits, out of the way of the
//! furniture, with the core's label placer.

use super::*;

/// Zones' labels first, then units', then context's; within a layer the larger features
/// first. A label goes at its feature's anchor, only if it fits inside the feature's outline
/// and touches no other label and no furniture.
pub(super) fn place_labels(
    map: &SheetMap,
    drawn: &[DrawnLayer],
    to_px: &ToPx,
    frame: Frame,
    obstacles: Vec<Frame>,
    pt: f32,
) -> (Group, Vec<PlacedLabel>) {
    let font = SheetFont::get();
    struct Candidate<'a> {
        layer: usize,
        id: FeatureId,
        shape: &'a FeatureShape,
        priority: u8,
        size_px2: f32,
        bbox: Frame,
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for d in drawn {
        let sl = &map.layers[d.index];
        if sl.style.label_field.is_none() {
            continue;
        }
        let priority = sl.layer.role.rank();
        for (id, shape) in &d.shapes {
            let Some(shape) = shape.as_ref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let Some(bbox) = sl.layer.feature(*id).bbox else {
                continue;
            };
            let a = to_px.lonlat(bbox.min());
            let b = to_px.lonlat(bbox.max());
            let bbox = Frame::new(
                a[0].min(b[0]),
                a[1].min(b[1]),
                (b[0] - a[0]).abs(),
                (b[1] - a[1]).abs(),
            );
            candidates.push(Candidate {
                layer: d.index,
                id: *id,
                shape,
                priority,
                size_px2: bbox.w * bbox.h,
                bbox,
            });
        }
    }
    candidates.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.size_px2.total_cmp(&a.size_px2))
            .then(a.layer.cmp(&b.layer))
            .then(a.id.cmp(&b.id))
    });
    // Only features large enough to hold a label need an anchor: work those out in parallel.
    let min_size = 10.0 * pt;
    let wanted: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.bbox.w >= 2.0 * min_size && c.bbox.h >= min_size)
        .collect();
    let positions: Vec<Vec<Coord<f64>>> = wanted
        .par_iter()
        .map(|c| label_positions(map.layers[c.layer].layer.feature(c.id)))
        .collect();

    let mut placer = Placer::new(3.0 * pt, obstacles);
    let mut group = Group::new("labels");
    let mut placed = Vec::new();
    for (c, positions) in wanted.into_iter().zip(positions) {
        let sl = &map.layers[c.layer];
        let Some(text) = sl
            .style
            .label_text(sl.layer.feature(c.id))
            .filter(|t| !t.trim().is_empty())
        else {
            continue;
        };
        let size = if c.priority == 0 {
            14.0 * pt
        } else {
            12.5 * pt
        };
        let (tw, th) = (
            font.width(&text, size),
            font.ascent(size) + font.descent(size),
        );
        if tw > c.bbox.w || th > c.bbox.h {
            continue;
        }
        // The first of the feature's places where the label fits inside it and touches
        // nothing placed before.
        let spot = positions.iter().find_map(|p| {
            let [cx, cy] = to_px.lonlat(*p);
            let label = Frame::centred(cx, cy, tw, th);
            let fits = frame.contains(&label)
                && label
                    .probes()
                    .iter()
                    .all(|q| c.shape.contains(to_px.world_at(*q)))
                && placer.try_place(label);
            fits.then_some((cx, label))
        });
        let Some((cx, label)) = spot else { continue };
        group.items.push(Item::Text(TextItem {
            text: text.clone(),
            x: cx,
            y: label.y + font.ascent(size),
            anchor: Anchor::Middle,
            size,
            color: Rgba::rgb(0, 0, 0),
            halo: Some((HALO, 2.5 * pt)),
        }));
        placed.push(PlacedLabel {
            text,
            frame: label,
            layer: c.layer,
            feature: c.id,
        });
    }
    (group, placed)
}
