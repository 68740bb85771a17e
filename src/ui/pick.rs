//! What the pointer picks on the map, as the planner sees it: a zone by its label or outline,
//! else the most specific feature under the pointer (a town, not the zone drawn over it).

use egui::{Pos2, Rect};
use geo::Coord;

use crate::core::{Feature, Role};
use crate::session::layer::{FeatureRef, MapLayer};
use crate::ui::projector::ToScreen;

/// How near (points) the pointer must be to a zone's outline to pick the zone.
pub const OUTLINE_PX: f32 = 4.0;

/// The features the pointer picks, best first, as the planner sees them: a zone whose label is
/// under it (as drawn last frame) or whose outline passes within [`OUTLINE_PX`]; then every
/// feature it is inside: the units (towns), then the zones, then the rest, the smallest first
/// within each, so that a plain click inside a town picks the town, not the zone drawn over it
/// (however small the zone), and Alt (the second) picks the zone.
pub fn pick(
    layers: &[MapLayer],
    labels: &[(Rect, FeatureRef)],
    pos: Pos2,
    to_screen: &ToScreen,
) -> Vec<FeatureRef> {
    let lonlat = to_screen.lonlat_at(pos);
    let role_of = |f: &FeatureRef| layers.iter().find(|l| l.key == f.layer).map(|l| l.role);
    let mut out: Vec<FeatureRef> = labels
        .iter()
        .filter(|(r, f)| r.contains(pos) && role_of(f) == Some(Role::Zones))
        .map(|(_, f)| *f)
        .collect();
    // Zones whose outline passes near: candidates from the index, in a box of the tolerance.
    let corner = |dx: f32, dy: f32| to_screen.lonlat_at(pos + egui::vec2(dx, dy));
    let (a, b) = (
        corner(-OUTLINE_PX, -OUTLINE_PX),
        corner(OUTLINE_PX, OUTLINE_PX),
    );
    let near = geo::Rect::new(a, b);
    for l in layers
        .iter()
        .filter(|l| l.style.visible && l.role == Role::Zones)
    {
        for id in l.layer.index.in_envelope(near) {
            let f = FeatureRef {
                layer: l.key,
                feature: id,
            };
            if !out.contains(&f)
                && l.feature(id)
                    .is_some_and(|x| outline_within(x, pos, OUTLINE_PX, to_screen))
            {
                out.push(f);
            }
        }
    }
    let mut inside = hit_test(layers, lonlat);
    let area = |f: &FeatureRef| {
        layers
            .iter()
            .find(|l| l.key == f.layer)
            .map_or(f64::MAX, |l| l.area(f.feature).m2)
    };
    // Towns before zones, whatever their sizes (a zone smaller than the towns under it, such
    // as 太湖科学城, is still picked only on its outline or label, or with Alt), then the rest;
    // within each, the smallest first. Stable: features of equal area keep the drawing order
    // (topmost first).
    let rank = |f: &FeatureRef| match role_of(f) {
        Some(Role::Units) => 0,
        Some(Role::Zones) => 1,
        _ => 2,
    };
    inside.sort_by(|a, b| rank(a).cmp(&rank(b)).then(area(a).total_cmp(&area(b))));
    for f in inside {
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// Whether some edge of the feature's rings passes within `tolerance` points of `pos`.
fn outline_within(feature: &Feature, pos: Pos2, tolerance: f32, to_screen: &ToScreen) -> bool {
    feature.polygons().iter().any(|p| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .any(|ring| {
                let pts: Vec<Pos2> = ring.0.iter().map(|c| to_screen.lonlat(*c)).collect();
                pts.windows(2).any(|w| {
                    egui::emath::Rect::from_two_pos(w[0], w[1])
                        .expand(tolerance)
                        .contains(pos)
                        && distance_to_segment(pos, w[0], w[1]) <= tolerance
                })
            })
    })
}

/// Distance from `p` to the segment `a`–`b`, in points.
fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a + ab * t).distance(p)
}

/// Every feature under a lon/lat, topmost first: layers top down, and within a layer the
/// later features first, since they are drawn over the earlier ones.
pub fn hit_test(layers: &[MapLayer], lonlat: Coord<f64>) -> Vec<FeatureRef> {
    layers
        .iter()
        .filter(|l| l.style.visible)
        .flat_map(|l| {
            l.layer
                .index
                .at_point(&l.layer.features, lonlat)
                .into_iter()
                .rev()
                .map(|feature| FeatureRef {
                    layer: l.key,
                    feature,
                })
        })
        .collect()
}
