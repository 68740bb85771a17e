//! Label anchors and collision-free placement, for the window and for sheets alike: one rule,
//! [`place_labels`], decides which features get a label and where.

use geo::{Area as _, Coord, Polygon};

use crate::core::{Feature, FeatureId};

/// A point inside a feature's largest polygon, where its label is centred: the middle of the
/// widest stretch inside the polygon along one of a few horizontal lines across it. Linear in
/// the polygon's vertices (geo's `InteriorPoint` sweeps every edge pair and is many times
/// slower on county outlines).
pub fn label_anchor(feature: &Feature) -> Option<Coord<f64>> {
    label_positions(feature).into_iter().next()
}

/// Places for a feature's label, best first: on each of five horizontal lines across its
/// largest polygon, the middle of the widest stretch inside it, widest first (the middle line
/// wins ties). A labeller tries them in turn when the best one is taken.
pub fn label_positions(feature: &Feature) -> Vec<Coord<f64>> {
    feature
        .polygons()
        .into_iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .map(widest_stretches)
        .unwrap_or_default()
}

fn widest_stretches(polygon: &Polygon<f64>) -> Vec<Coord<f64>> {
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for c in &polygon.exterior().0 {
        lo = lo.min(c.y);
        hi = hi.max(c.y);
    }
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return polygon.exterior().0.first().copied().into_iter().collect();
    }
    let mut found: Vec<(f64, Coord<f64>)> = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    for t in [0.5, 0.4, 0.6, 0.3, 0.7] {
        // Nudged off the exact fraction so that the line does not run through vertices.
        let y = lo + (hi - lo) * (t + 1e-7);
        xs.clear();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a.y > y) != (b.y > y) {
                    xs.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        // Even-odd: crossings pair up into stretches inside, holes excluded.
        let widest = xs
            .chunks_exact(2)
            .map(|p| {
                (
                    p[1] - p[0],
                    Coord {
                        x: (p[0] + p[1]) / 2.0,
                        y,
                    },
                )
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        found.extend(widest);
    }
    // Stable: among stretches within a hair of each other, the more central line stays first.
    found.sort_by(|a, b| {
        if (a.0 - b.0).abs() <= a.0.max(b.0) * 1e-4 {
            std::cmp::Ordering::Equal
        } else {
            b.0.total_cmp(&a.0)
        }
    });
    found.into_iter().map(|(_, c)| c).collect()
}

/// Every feature's label anchor, worked out in parallel.
pub fn label_anchors(features: &[Feature]) -> Vec<Option<Coord<f64>>> {
    use rayon::prelude::*;
    features.par_iter().map(label_anchor).collect()
}

/// A rectangle in pixels, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Left edge, in pixels.
    pub x: f32,
    /// Top edge, in pixels.
    pub y: f32,
    /// Width, in pixels.
    pub w: f32,
    /// Height, in pixels.
    pub h: f32,
}

impl Frame {
    /// A rectangle from its top-left corner and its size.
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Frame { x, y, w, h }
    }

    /// A rectangle of size `w` × `h` centred on a point.
    pub fn centred(cx: f32, cy: f32, w: f32, h: f32) -> Self {
        Frame::new(cx - w / 2.0, cy - h / 2.0, w, h)
    }

    /// The x of its right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// The y of its bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Its centre, `[x, y]`.
    pub fn centre(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }

    /// Grown by `by` on every side.
    pub fn expand(&self, by: f32) -> Frame {
        Frame::new(
            self.x - by,
            self.y - by,
            self.w + 2.0 * by,
            self.h + 2.0 * by,
        )
    }

    /// Whether the two share some area; rectangles that only touch along an edge do not.
    pub fn intersects(&self, other: &Frame) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `other` lies wholly inside this one, edges included.
    pub fn contains(&self, other: &Frame) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// The corners and the middles of the edges: where a label is tested against its polygon.
    pub fn probes(&self) -> [[f32; 2]; 8] {
        let (l, t, r, b) = (self.x, self.y, self.right(), self.bottom());
        let (cx, cy) = (self.x + self.w / 2.0, self.y + self.h / 2.0);
        [
            [l, t],
            [r, t],
            [l, b],
            [r, b],
            [cx, t],
            [cx, b],
            [l, cy],
            [r, cy],
        ]
    }
}

/// Places labels one by one, refusing any that would touch one already placed or an obstacle
/// (the legend, the scale bar).
#[derive(Debug, Default)]
pub struct Placer {
    /// The labels placed so far, in the order placed, without the gap around them.
    pub placed: Vec<Frame>,
    obstacles: Vec<Frame>,
    /// Space kept clear around each label.
    gap: f32,
    /// The placed labels by the [`PLACER_CELL`]-pixel cells they touch: a try looks only at
    /// its own cells' labels, not at all 600 placed (each of a frame's thousands of tries).
    cells: rustc_hash::FxHashMap<(i32, i32), Vec<u32>>,
}

/// The side of the [`Placer`]'s cells, pixels: a few labels' heights.
const PLACER_CELL: f32 = 64.0;

impl Placer {
    /// A placer with nothing placed, keeping labels `gap` pixels off each other and off the
    /// `obstacles`.
    pub fn new(gap: f32, obstacles: Vec<Frame>) -> Self {
        Placer {
            placed: Vec::new(),
            obstacles,
            gap,
            cells: Default::default(),
        }
    }

    /// Whether a label fits here without touching another or an obstacle.
    pub fn fits(&self, label: Frame) -> bool {
        let grown = label.expand(self.gap);
        if self.obstacles.iter().any(|r| r.intersects(&grown)) {
            return false;
        }
        !Self::cells_of(&grown).any(|cell| {
            self.cells.get(&cell).is_some_and(|near| {
                near.iter()
                    .any(|&i| self.placed[i as usize].intersects(&grown))
            })
        })
    }

    /// Places a label (that [`Self::fits`]).
    pub fn place(&mut self, label: Frame) {
        let index = self.placed.len() as u32;
        for cell in Self::cells_of(&label) {
            self.cells.entry(cell).or_default().push(index);
        }
        self.placed.push(label);
    }

    /// Whether a label fits here without touching another; places it if so.
    pub fn try_place(&mut self, label: Frame) -> bool {
        let fits = self.fits(label);
        if fits {
            self.place(label);
        }
        fits
    }

    /// The cells a frame touches.
    fn cells_of(f: &Frame) -> impl Iterator<Item = (i32, i32)> + use<> {
        let cell = |v: f32| (v / PLACER_CELL).floor() as i32;
        let (x0, x1) = (cell(f.x), cell(f.right()));
        let (y0, y1) = (cell(f.y), cell(f.bottom()));
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| (x, y)))
    }
}

/// A feature asking for a label, on a sheet (pixels) or a screen (points), y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelRequest {
    /// The feature's layer, by the caller's count (its place in the sheet's or window's list).
    pub layer: usize,
    /// The feature in its layer.
    pub feature: FeatureId,
    /// Zones 0, units 1, context 2 ([`crate::core::Role::rank`]): lower is placed first.
    pub priority: u8,
    /// The feature's bounding box as drawn.
    pub bbox: Frame,
}

/// A label placed by [`place_labels`].
#[derive(Clone, Debug, PartialEq)]
pub struct LabelPlaced {
    /// The feature it labels.
    pub request: LabelRequest,
    /// Its text.
    pub text: String,
    /// The text as drawn: one line, or two when it was wrapped to fit.
    pub lines: Vec<String>,
    /// Its font size, pixels: the size asked for, or smaller when shrunk to fit.
    pub size: f32,
    /// The height of one line, pixels.
    pub line_height: f32,
    /// Where it went: the text's box.
    pub frame: Frame,
}

/// The forms a label takes, tried in turn until one fits: whole at its size, shrunk, wrapped
/// onto two lines, wrapped and shrunk. (Scale of the font size, wrapped.)
const FORMS: [(f32, bool); 5] = [
    (1.0, false),
    (0.85, false),
    (1.0, true),
    (0.85, true),
    (0.72, true),
];

/// The text split into two lines near its middle: at a space when it has spaces (never inside
/// a Latin word), else between two characters, rather before an opening bracket
/// (科技城 / （东渚街道）). `None` for a text of fewer than four characters or with no break.
pub fn split_in_two(text: &str) -> Option<[String; 2]> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    if n < 4 {
        return None;
    }
    let middle = n as f32 / 2.0;
    // Candidate breaks: before character i (1..n); spaces and brackets are better breaks.
    let score = |i: usize| {
        let c = chars[i].1;
        let prev = chars[i - 1].1;
        let good = c.is_whitespace()
            || prev.is_whitespace()
            || matches!(c, '（' | '(' | '·' | '、' | '-')
            || matches!(prev, '）' | ')' | '·' | '、' | '-');
        let distance = (i as f32 - middle).abs() / n as f32;
        distance - if good { 0.2 } else { 0.0 }
    };
    // Words written with spaces break only at a space; never inside a Latin word.
    let spaced = text.trim().contains(char::is_whitespace);
    let allowed = |i: usize| {
        let (prev, c) = (chars[i - 1].1, chars[i].1);
        if spaced {
            c.is_whitespace() && !prev.is_whitespace()
        } else {
            !(prev.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
        }
    };
    let best = (1..n)
        .filter(|&i| allowed(i))
        .min_by(|&a, &b| score(a).total_cmp(&score(b)))?;
    let at = chars[best].0;
    let (a, b) = text.split_at(at);
    let (a, b) = (a.trim_end(), b.trim_start());
    (!a.is_empty() && !b.is_empty()).then(|| [a.to_owned(), b.to_owned()])
}

/// The limits of one labelling: the map's frame, the unit of sizes, and the most labels.
#[derive(Clone, Copy, Debug)]
pub struct LabelRules {
    /// The map's frame: labels stay wholly inside it.
    pub frame: Frame,
    /// Pixels per point (a sheet's dpi / 96; 1 on the screen): the smallest box that gets a
    /// label is 20 × 10 points.
    pub pt: f32,
    /// The most labels to place; beyond that a map is a wall of text.
    pub max: usize,
    /// Whether `positions` may run on rayon's pool: yes for a sheet; no for the window's UI
    /// thread, which must not wait for a pool busy with an analysis (a frame of 180–440 ms
    /// otherwise, measured with the coverage bench).
    pub parallel: bool,
}

/// Whether a feature whose box is `bbox` (pixels) is large enough for a label at `pt` pixels
/// per point: 20 × 10 points at least. [`place_labels`] leaves the rest out.
pub fn holds_label(bbox: &Frame, pt: f32) -> bool {
    bbox.w >= 20.0 * pt && bbox.h >= 10.0 * pt
}

/// Places labels, the one rule for the window and the sheets: zones' labels first, then units',
/// then context's; within them the larger features (by box) first. A feature whose box is
/// under 20 × 10 points gets none. Otherwise its label goes at the first of its `positions`
/// (centres, best first) where the text's box lies inside the frame, inside the feature (its
/// corners and edge middles pass `inside`) and touches nothing `placer` already holds (labels
/// and obstacles such as the legend). Where no place holds the label whole at its size, it is
/// tried shrunk (85%), wrapped onto two lines ([`split_in_two`]), then wrapped and shrunk
/// (85%, 72%), before the feature goes without.
///
/// `positions` is called for the features large enough (in parallel if `rules.parallel`); `text` gives the label's
/// text and its font size (`None` for no label); `measure` gives one line's width and height
/// at that size (the shrunk forms scale them with the font).
pub fn place_labels(
    mut requests: Vec<LabelRequest>,
    rules: LabelRules,
    placer: &mut Placer,
    positions: impl Fn(&LabelRequest) -> Vec<[f32; 2]> + Sync,
    mut text: impl FnMut(&LabelRequest) -> Option<(String, f32)>,
    mut measure: impl FnMut(&str, f32) -> [f32; 2],
    inside: impl Fn(&LabelRequest, [f32; 2]) -> bool,
) -> Vec<LabelPlaced> {
    use rayon::prelude::*;
    requests.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then((b.bbox.w * b.bbox.h).total_cmp(&(a.bbox.w * a.bbox.h)))
            .then(a.layer.cmp(&b.layer))
            .then(a.feature.cmp(&b.feature))
    });
    // Only features large enough to hold a label need places.
    requests.retain(|r| holds_label(&r.bbox, rules.pt));
    let places: Vec<Vec<[f32; 2]>> = if rules.parallel {
        requests.par_iter().map(&positions).collect()
    } else {
        requests.iter().map(&positions).collect()
    };
    let mut placed = Vec::new();
    for (request, places) in requests.into_iter().zip(places) {
        if placed.len() >= rules.max {
            break;
        }
        let Some((label, size)) = text(&request) else {
            continue;
        };
        // Measured once at the size asked for; the shrunk forms scale with the font. The two
        // halves are measured only when the whole label has fitted nowhere and two lines
        // could fit the feature's height.
        let whole = measure(&label, size);
        let mut halves: Option<Option<([String; 2], [f32; 2])>> = None;
        let spot = FORMS.iter().find_map(|&(scale, wrapped)| {
            let (lines, [w, h]) = if wrapped {
                if 2.0 * whole[1] * scale > request.bbox.h {
                    return None;
                }
                let (halves, wh) = halves
                    .get_or_insert_with(|| {
                        split_in_two(&label).map(|h| {
                            let (a, b) = (measure(&h[0], size), measure(&h[1], size));
                            (h, [a[0].max(b[0]), a[1].max(b[1])])
                        })
                    })
                    .as_ref()?;
                (halves.to_vec(), *wh)
            } else {
                (vec![label.clone()], whole)
            };
            let (tw, line_height) = (w * scale, h * scale);
            let th = line_height * lines.len() as f32;
            if tw > request.bbox.w || th > request.bbox.h {
                return None;
            }
            // The first of the feature's places where the label fits inside it and touches
            // nothing placed before.
            places.iter().find_map(|&[cx, cy]| {
                let frame = Frame::centred(cx, cy, tw, th);
                // Cheapest first: the probes walk the feature's outline.
                let fits = rules.frame.contains(&frame)
                    && placer.fits(frame)
                    && frame.probes().iter().all(|q| inside(&request, *q));
                if fits {
                    placer.place(frame);
                }
                fits.then(|| (frame, size * scale, line_height, lines.clone()))
            })
        });
        if let Some((frame, size, line_height, lines)) = spot {
            placed.push(LabelPlaced {
                request,
                text: label,
                lines,
                size,
                line_height,
                frame,
            });
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, polygon};

    #[test]
    fn the_anchor_is_inside_and_avoids_holes() {
        // A square ring: a big hole in the middle, so the centre is outside.
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 8.0, y: 2.0), (x: 8.0, y: 8.0), (x: 2.0, y: 8.0)]],
        );
        let a = widest_stretches(&p)[0];
        assert!(p.contains(&geo::Point(a)), "{a:?}");
        // An L: the widest stretch is along the foot.
        let l = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 2.0), (x: 2.0, y: 2.0), (x: 2.0, y: 10.0), (x: 0.0, y: 10.0)];
        let a = widest_stretches(&l)[0];
        assert!(l.contains(&geo::Point(a)), "{a:?}");
    }

    #[test]
    fn labels_keep_their_distance() {
        let mut placer = Placer::new(2.0, vec![Frame::new(100.0, 0.0, 50.0, 50.0)]);
        assert!(placer.try_place(Frame::new(0.0, 0.0, 40.0, 10.0)));
        // Overlapping the first, then within its gap, then on the obstacle.
        assert!(!placer.try_place(Frame::new(30.0, 5.0, 40.0, 10.0)));
        assert!(!placer.try_place(Frame::new(41.0, 0.0, 40.0, 10.0)));
        assert!(!placer.try_place(Frame::new(90.0, 20.0, 20.0, 10.0)));
        assert!(placer.try_place(Frame::new(43.0, 0.0, 40.0, 10.0)));
        assert_eq!(placer.placed.len(), 2);
    }

    fn request(layer: usize, feature: u32, priority: u8, bbox: Frame) -> LabelRequest {
        LabelRequest {
            layer,
            feature: FeatureId(feature),
            priority,
            bbox,
        }
    }

    #[test]
    fn zones_first_then_larger_features_and_the_next_place_when_one_is_taken() {
        let rules = LabelRules {
            frame: Frame::new(0.0, 0.0, 400.0, 400.0),
            pt: 1.0,
            max: 10,
            parallel: true,
        };
        // A unit and a zone over the same box, a small unit, and one too small for any label.
        let big = Frame::new(0.0, 0.0, 200.0, 200.0);
        let requests = vec![
            request(1, 0, 1, big),
            request(0, 0, 0, big),
            request(1, 1, 1, Frame::new(250.0, 0.0, 60.0, 30.0)),
            request(1, 2, 1, Frame::new(300.0, 300.0, 19.0, 30.0)),
        ];
        let mut placer = Placer::new(3.0, Vec::new());
        let placed = place_labels(
            requests,
            rules,
            &mut placer,
            // Every feature offers its centre, then a place 40 px lower.
            |r| {
                let [cx, cy] = r.bbox.centre();
                vec![[cx, cy], [cx, cy + 40.0]]
            },
            |r| Some((format!("{}-{}", r.layer, r.feature.0), 12.0)),
            |_, _| [50.0, 14.0],
            |r, p| r.bbox.contains(&Frame::new(p[0], p[1], 0.0, 0.0)),
        );
        let got: Vec<(&str, [f32; 2])> = placed
            .iter()
            .map(|p| (p.text.as_str(), p.frame.centre()))
            .collect();
        assert_eq!(
            got,
            [
                ("0-0", [100.0, 100.0]),
                // The zone took the centre: the unit over it goes to its second place.
                ("1-0", [100.0, 140.0]),
                ("1-1", [280.0, 15.0]),
            ]
        );
    }

    #[test]
    fn a_label_too_wide_is_shrunk_then_wrapped_before_it_is_dropped() {
        assert_eq!(
            split_in_two("科技城（东渚街道）"),
            Some(["科技城".to_owned(), "（东渚街道）".to_owned()])
        );
        assert_eq!(
            split_in_two("Lion Mountain Zone"),
            Some(["Lion Mountain".to_owned(), "Zone".to_owned()])
        );
        assert_eq!(
            split_in_two("狮山横塘功能片区"),
            Some(["狮山横塘".to_owned(), "功能片区".to_owned()])
        );
        assert_eq!(split_in_two("镇湖"), None);
        let rules = LabelRules {
            frame: Frame::new(0.0, 0.0, 400.0, 400.0),
            pt: 1.0,
            max: 10,
            parallel: true,
        };
        // Each character as wide as the font size; a line 1.2 times as high.
        let measure = |t: &str, size: f32| [t.chars().count() as f32 * size, size * 1.2];
        let place = |bbox: Frame| {
            let mut placer = Placer::new(3.0, Vec::new());
            place_labels(
                vec![request(0, 0, 1, bbox)],
                rules,
                &mut placer,
                |r| vec![r.bbox.centre()],
                |_| Some(("科技城（东渚街道）".to_owned(), 12.0)),
                measure,
                |r, p| {
                    r.bbox
                        .expand(0.01)
                        .contains(&Frame::new(p[0], p[1], 0.0, 0.0))
                },
            )
        };
        // Whole: 9 × 12 = 108 wide.
        let whole = place(Frame::new(0.0, 0.0, 120.0, 30.0));
        assert_eq!(whole[0].lines.len(), 1);
        assert_eq!(whole[0].size, 12.0);
        // Shrunk to 85%: 91.8 wide.
        let shrunk = place(Frame::new(0.0, 0.0, 95.0, 30.0));
        assert_eq!((shrunk[0].lines.len(), shrunk[0].size), (1, 12.0 * 0.85));
        // Wrapped: 6 × 12 = 72 wide, two lines of 14.4.
        let wrapped = place(Frame::new(0.0, 0.0, 80.0, 40.0));
        assert_eq!(wrapped[0].lines, ["科技城", "（东渚街道）"]);
        assert_eq!(wrapped[0].size, 12.0);
        assert!((wrapped[0].frame.h - 28.8).abs() < 1e-3);
        // Wrapped and shrunk to 72%: 6 × 8.64 = 51.8 wide; narrower still, no label.
        let smallest = place(Frame::new(0.0, 0.0, 55.0, 40.0));
        assert_eq!(smallest[0].size, 12.0 * 0.72);
        assert!(place(Frame::new(0.0, 0.0, 50.0, 40.0)).is_empty());
    }
}
