//! Feature labels on the map, placed by the core's one rule
//! ([`crate::core::render::place_labels`], as on the sheets) and drawn with a halo.

use std::sync::Arc;

use egui::{Color32, FontId, Painter, Rect, pos2, vec2};

use crate::core::FeatureId;
use crate::core::render::{Frame, LabelPlaced, LabelRequest, LabelRules, Placer, place_labels};
use crate::core::tessellate::FeatureShape;
use crate::session::layer::{FeatureRef, LayerKey, MapLayer};
use crate::ui::furniture::frame_of;
use crate::ui::projector::ToScreen;

/// At most this many labels a frame: beyond that the map is a wall of text anyway.
const MAX_LABELS: usize = 600;

/// Time a frame may spend laying label texts out before it stops taking texts it has not laid
/// out before: a text's first layout draws its glyphs into egui's atlas, and the first
/// whole-country frame of the counties meets a thousand Chinese characters at once
/// (60–75 ms). The rest come over the next frames.
const NEW_TEXT_BUDGET: std::time::Duration = std::time::Duration::from_millis(8);

/// While the map pans at one scale, over the same layers, the labels placed stay where they
/// are on the map (as long as they stay in view and clear of the furniture), and only the
/// features coming into view are placed, in the room left: placing all 600 labels afresh takes
/// 3–5 ms a frame, and a label that keeps its place while the map moves reads better than one
/// that hops. After the map has moved this far (points) since the last placement from
/// scratch, the next frame places them all afresh, as a zoom does.
const REPLACE_AFTER_PX: f32 = 400.0;

/// Space kept clear around each label, points.
const LABEL_GAP: f32 = 3.0;

/// What the map's labels remember between frames.
#[derive(Default)]
pub struct LabelMemory {
    /// Label texts laid out before, with their size (its bits): their glyphs are in egui's
    /// atlas at that size.
    seen: rustc_hash::FxHashSet<(String, u32)>,
    /// The labels placed last frame, with what they were placed for.
    last: Option<Placement>,
}

/// Labels placed in an earlier frame.
struct Placement {
    /// What they were placed for: the scale, the map's rectangle, the layers.
    key: u64,
    /// The Mercator point at the map's centre at the last placement from scratch.
    world: [f64; 2],
    /// Where that point was on screen then.
    at: egui::Pos2,
    /// Where that point was on screen last frame, which `placed` are relative to.
    last_at: egui::Pos2,
    placed: Vec<LabelPlaced>,
    /// The features in view that have been tried since (placed or not): the rest are new.
    tried: rustc_hash::FxHashSet<(usize, FeatureId)>,
}

/// What a placement depends on besides the features in view and the furniture (the scale
/// bar's length changes as the map pans north or south; a kept label is checked against it).
fn placement_key(layers: &[MapLayer], to_screen: &ToScreen, clip: Rect) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    to_screen.viewport.world_m_per_px.to_bits().hash(&mut h);
    for v in [clip.min.x, clip.min.y, clip.max.x, clip.max.y] {
        v.to_bits().hash(&mut h);
    }
    for l in layers {
        (l.key, l.style.visible, &l.style.label_field, l.role.rank()).hash(&mut h);
        (std::sync::Arc::as_ptr(&l.layer) as usize).hash(&mut h);
    }
    h.finish()
}

/// Whether a feature this large on screen can hold a label at all, by the core's rule at the
/// window's scale (`pt` 1). The map leaves the rest out before placing (40,000 townships at
/// country zoom, nearly all dots).
pub fn can_hold_label(on_screen: Rect) -> bool {
    crate::core::render::holds_label(&frame_of(on_screen), 1.0)
}

/// A feature drawn this frame whose layer has labels.
pub struct LabelCandidate {
    /// Its layer.
    pub layer: LayerKey,
    /// The feature.
    pub feature: FeatureId,
    /// The shape drawn this frame, used to test that the label lies inside the polygon.
    pub shape: Arc<FeatureShape>,
    /// Lower goes first: zones, then units, then context.
    pub priority: u8,
}

/// Places and draws labels inside `clip`, clear of `obstacles`; returns where each went, for
/// picking a feature by its label, and whether labels with new texts were left for the next
/// frames (`NEW_TEXT_BUDGET`).
pub fn draw_labels(
    painter: &Painter,
    layers: &[MapLayer],
    candidates: Vec<LabelCandidate>,
    to_screen: &ToScreen,
    (clip, obstacles): (Rect, Vec<Frame>),
    memory: &mut LabelMemory,
) -> (Vec<(Rect, FeatureRef)>, bool) {
    // Time spent laying texts out this frame: new texts stop once it passes the budget (it
    // counts layouts only, so that a frame with thousands of candidates still takes some).
    let laying_out = std::cell::Cell::new(std::time::Duration::ZERO);
    let mut left_for_later = Vec::new();
    let key = placement_key(layers, to_screen, clip);
    let rules = LabelRules {
        frame: frame_of(clip),
        pt: 1.0,
        max: MAX_LABELS,
        parallel: false,
    };
    let mut requests = Vec::with_capacity(candidates.len());
    let mut shapes: rustc_hash::FxHashMap<(usize, FeatureId), Arc<FeatureShape>> =
        Default::default();
    for c in &candidates {
        let Some(index) = layers.iter().position(|l| l.key == c.layer) else {
            continue;
        };
        // The drawn shape's box: no projection for each of 40,000 candidates.
        let box_on_screen = to_screen.shape_rect(&c.shape);
        requests.push(LabelRequest {
            layer: index,
            feature: c.feature,
            priority: c.priority,
            bbox: frame_of(box_on_screen),
        });
        shapes.insert((index, c.feature), c.shape.clone());
    }
    // Carried on from last frame: the labels still in view and clear of the furniture, moved
    // with the map; from scratch after a zoom, a change of layers, or a long pan.
    let carried = memory.last.take().filter(|last| {
        last.key == key && (to_screen.world(last.world) - last.at).length() < REPLACE_AFTER_PX
    });
    let mut placer = Placer::new(LABEL_GAP, obstacles);
    let (mut kept, mut tried, anchor) = match carried {
        Some(last) => {
            let now = to_screen.world(last.world);
            let delta = now - last.last_at;
            let kept: Vec<LabelPlaced> = last
                .placed
                .into_iter()
                .map(|mut p| {
                    p.frame.x += delta.x;
                    p.frame.y += delta.y;
                    p
                })
                .filter(|p| {
                    rules.frame.contains(&p.frame)
                        && shapes.contains_key(&(p.request.layer, p.request.feature))
                        && placer.fits(p.frame)
                })
                .collect();
            for p in &kept {
                placer.place(p.frame);
            }
            let mut tried = last.tried;
            tried.retain(|k| shapes.contains_key(k));
            (kept, tried, Some((last.world, last.at)))
        }
        None => (Vec::new(), Default::default(), None),
    };
    requests.retain(|r| !tried.contains(&(r.layer, r.feature)));
    tried.extend(requests.iter().map(|r| (r.layer, r.feature)));
    let rules = LabelRules {
        max: MAX_LABELS.saturating_sub(kept.len()),
        ..rules
    };
    let placed = if requests.is_empty() {
        Vec::new()
    } else {
        place_labels(
            requests,
            rules,
            &mut placer,
            |r| {
                layers[r.layer]
                    .anchors
                    .get(r.feature.index())
                    .and_then(Option::as_ref)
                    .map_or(Vec::new(), |a| {
                        a.places
                            .iter()
                            .map(|&p| {
                                let s = to_screen.lonlat(p);
                                [s.x, s.y]
                            })
                            .collect()
                    })
            },
            |r| {
                let layer = &layers[r.layer];
                let text = layer
                    .feature(r.feature)
                    .and_then(|f| layer.label_text(f))
                    .filter(|t| !t.is_empty())?;
                let size: f32 = if r.priority == 0 { 14.0 } else { 12.5 };
                let seen = (text, size.to_bits());
                if !memory.seen.contains(&seen) {
                    if laying_out.get() > NEW_TEXT_BUDGET {
                        left_for_later.push((r.layer, r.feature));
                        return None;
                    }
                    memory.seen.insert(seen.clone());
                }
                Some((seen.0, size))
            },
            |line, size| {
                let began = std::time::Instant::now();
                let galley = painter.layout_no_wrap(
                    line.to_owned(),
                    FontId::proportional(size),
                    Color32::BLACK,
                );
                laying_out.set(laying_out.get() + began.elapsed());
                [galley.size().x, galley.size().y]
            },
            |r, [x, y]| {
                let world = to_screen.viewport.world_from_screen(
                    [
                        f64::from(x - to_screen.min.x),
                        f64::from(y - to_screen.min.y),
                    ],
                    to_screen.size_px,
                );
                shapes
                    .get(&(r.layer, r.feature))
                    .is_some_and(|s| s.contains(world))
            },
        )
    };
    // Those left for want of time are new next frame.
    for k in &left_for_later {
        tried.remove(k);
    }
    kept.extend(placed);
    let drawn = draw_placed(painter, layers, &kept, vec2(0.0, 0.0));
    let (world, at) = anchor.unwrap_or_else(|| {
        let world = to_screen.viewport.center_world;
        (world, to_screen.world(world))
    });
    memory.last = Some(Placement {
        key,
        world,
        at,
        last_at: to_screen.world(world),
        placed: kept,
        tried,
    });
    (drawn, !left_for_later.is_empty())
}

/// Draws placed labels, moved by `delta` points; returns where each went.
fn draw_placed(
    painter: &Painter,
    layers: &[MapLayer],
    placed: &[crate::core::render::LabelPlaced],
    delta: egui::Vec2,
) -> Vec<(Rect, FeatureRef)> {
    let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 220);
    let mut drawn = Vec::with_capacity(placed.len());
    for p in placed {
        for (i, line) in p.lines.iter().enumerate() {
            // Each line centred in the label's box (egui caches the galleys measured above).
            let galley =
                painter.layout_no_wrap(line.clone(), FontId::proportional(p.size), Color32::BLACK);
            let at = pos2(
                p.frame.x + (p.frame.w - galley.size().x) / 2.0,
                p.frame.y + i as f32 * p.line_height,
            ) + delta;
            for offset in [
                vec2(-1.0, 0.0),
                vec2(1.0, 0.0),
                vec2(0.0, -1.0),
                vec2(0.0, 1.0),
            ] {
                painter.galley_with_override_text_color(at + offset, galley.clone(), halo);
            }
            painter.galley(at, galley, Color32::BLACK);
        }
        let at = pos2(p.frame.x, p.frame.y) + delta;
        drawn.push((
            Rect::from_min_size(at, vec2(p.frame.w, p.frame.h)),
            FeatureRef {
                layer: layers[p.request.layer].key,
                feature: p.request.feature,
            },
        ));
    }
    drawn
}
