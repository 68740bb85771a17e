//! Spatial index: an R-tree over feature bounding boxes.
//!
//! geo 0.33 implements rstar's traits for rstar 0.12; we index each feature's bounding box
//! with its [`FeatureId`] so the index holds no geometry of its own.

use geo::{Contains, Coord, Intersects, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::core::model::{Feature, FeatureId};

type Entry = GeomWithData<Rectangle<[f64; 2]>, FeatureId>;

/// R-tree of feature envelopes in lon/lat degrees.
#[derive(Clone, Debug, Default)]
pub struct SpatialIndex {
    tree: RTree<Entry>,
}

impl SpatialIndex {
    /// Bulk-loads the envelopes of every feature that has geometry.
    pub fn build(features: &[Feature]) -> Self {
        let entries = features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let r = f.bbox?;
                Some(Entry::new(
                    Rectangle::from_corners(corner(r.min()), corner(r.max())),
                    FeatureId(i as u32),
                ))
            })
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of features indexed (those with geometry).
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether no feature is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Features whose envelope intersects `rect`, in id order.
    pub fn in_envelope(&self, rect: Rect<f64>) -> Vec<FeatureId> {
        let env = AABB::from_corners(corner(rect.min()), corner(rect.max()));
        let mut ids: Vec<FeatureId> = self
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Features that contain the point (lon, lat), or have it on their boundary, in id order.
    pub fn at_point(&self, features: &[Feature], lonlat: Coord<f64>) -> Vec<FeatureId> {
        let point = Point(lonlat);
        let mut ids: Vec<FeatureId> = self
            .tree
            .locate_all_at_point(&corner(lonlat))
            .map(|e| e.data)
            .filter(|id| {
                features[id.index()]
                    .geometry
                    .as_ref()
                    .is_some_and(|g| g.contains(&point) || g.intersects(&point))
            })
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Pairs (a in self, b in other) whose envelopes intersect, sorted.
    pub fn candidate_pairs(&self, other: &SpatialIndex) -> Vec<(FeatureId, FeatureId)> {
        let mut pairs: Vec<(FeatureId, FeatureId)> = self
            .tree
            .intersection_candidates_with_other_tree(&other.tree)
            .map(|(a, b)| (a.data, b.data))
            .collect();
        pairs.sort_unstable();
        pairs
    }
}

fn corner(c: Coord<f64>) -> [f64; 2] {
    [c.x, c.y]
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geometry, polygon};
    use serde_json::Map;

    fn square(x: f64, y: f64) -> Feature {
        let p = polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)];
        Feature::new(
            format!("{x},{y}"),
            String::new(),
            Map::new(),
            Some(Geometry::Polygon(p)),
        )
    }

    #[test]
    fn point_query_checks_the_polygon_not_just_the_box() {
        let tri = Feature::new(
            "t".into(),
            String::new(),
            Map::new(),
            Some(Geometry::Polygon(
                polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)],
            )),
        );
        let features = vec![tri, square(5.0, 5.0)];
        let index = SpatialIndex::build(&features);
        assert_eq!(
            index.at_point(&features, geo::coord! {x: 0.5, y: 0.5}),
            vec![FeatureId(0)]
        );
        // Inside the triangle's box but outside the triangle.
        assert!(
            index
                .at_point(&features, geo::coord! {x: 1.8, y: 1.8})
                .is_empty()
        );
        assert_eq!(
            index.at_point(&features, geo::coord! {x: 5.5, y: 5.9}),
            vec![FeatureId(1)]
        );
    }

    #[test]
    fn candidate_pairs_match_overlapping_envelopes() {
        let a = vec![square(0.0, 0.0), square(10.0, 10.0)];
        let b = vec![square(0.5, 0.5), square(3.0, 3.0), square(10.5, 9.5)];
        let (ia, ib) = (SpatialIndex::build(&a), SpatialIndex::build(&b));
        assert_eq!(
            ia.candidate_pairs(&ib),
            vec![(FeatureId(0), FeatureId(0)), (FeatureId(1), FeatureId(2))]
        );
        let env = Rect::new(geo::coord! {x: 2.5, y: 2.5}, geo::coord! {x: 11.0, y: 11.0});
        assert_eq!(ib.in_envelope(env), vec![FeatureId(1), FeatureId(2)]);
    }
}
