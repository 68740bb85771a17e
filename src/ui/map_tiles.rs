//! The map's layers as tiles drawn on a worker thread, so that panning moves images.
//!
//! Each frame used to send every visible outline vertex through egui (277,000 at 7.5 km/px
//! with the counties, 415,000 with 40,000 townships), which costs 10–50 ms of CPU a frame. Now
//! the layers' fills and outlines (and their points and lines) are drawn by
//! [`crate::core::render::tile`] into 256-pixel tiles of a grid fixed in Mercator metres at the
//! current scale, on one worker thread, and once every tile of the view is drawn, a frame is a
//! few dozen textured squares. Until then (after a zoom, a new style, an edit, or while a pan
//! outruns the worker), the frame draws the layers as meshes as before, so the map is never
//! incomplete. Labels, highlights, the selection, the coverage map's overlaps and the tools
//! are drawn over the tiles each frame as before.
//!
//! A tile stays right while the scale, the pixel density and what is drawn stay the same: a
//! fingerprint of the visible layers (their order, shapes, styles, fills and the coverage
//! classes) is taken each frame, and a change drops every tile.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions, pos2, vec2};
use rustc_hash::{FxHashMap as HashMap, FxHasher};

use crate::core::render::tile::{TILE_PX, TileFrame};
use crate::core::style::Rgba;

use super::projector::ToScreen;
pub use super::tile_worker::TileSource;
use super::tile_worker::{Job, Mask, Worker, cell_bit};

/// Tiles kept beyond the view's: enough for the view and two rings around it on a large
/// screen (64 MB of pixels at most).
const MAX_TILES: usize = 256;

pub use crate::core::render::tile::TileIndex;

/// The tiles of the current scale and content, and the worker that draws them.
pub struct MapTiles {
    /// Whether the map is drawn from tiles when they are ready (View ▸ Draw the map as tiles).
    pub enabled: bool,
    /// The scale (Mercator metres per device pixel) and content fingerprint the tiles are of.
    key: Option<(u64, u64)>,
    /// The geometry fingerprint they are of: which layers, which features.
    geometry: u64,
    tiles: HashMap<TileIndex, Tile>,
    worker: Option<Worker>,
    /// Bumped whenever the tiles are dropped; a drawn tile of an older generation is thrown
    /// away.
    generation: u64,
    frame: u64,
    /// Whether the last frame drew the layers from tiles.
    drew_tiles: bool,
    /// Whether the last frame drew the earlier scale's tiles, stretched.
    drew_stand_ins: bool,
    /// Whether the last frame showed only the tiles drawn so far, waiting for the rest.
    drew_some: bool,
    /// The tiles of the last scale that had any, with that scale, kept through a zoom or a
    /// restyle (the same features of the same layers) to stand in, stretched, until the new
    /// tiles are drawn, as QGIS and web maps do: drawing every vertex instead costs 40–70 ms
    /// a frame just then. An edit, or a layer shown, hidden or moved, draws meshes instead.
    /// Kept by scale, oldest first, at most two scales: a run of changes (a style slider
    /// dragged, zoom steps) before the new tiles are all drawn keeps what each had drawn, so
    /// no part of the view goes blank.
    previous: Vec<(f64, Vec<(TileIndex, TextureHandle)>)>,
    /// Each layer's features by size, largest first (by layer and its data's address).
    by_size: HashMap<(crate::session::layer::LayerKey, usize), SizeList>,
}

/// A layer's features by the longer side of their box in Mercator metres, largest first, with
/// their lon/lat boxes.
type SizeList = Arc<Vec<(f64, crate::core::FeatureId, geo::Rect<f64>)>>;

enum Tile {
    Pending,
    Ready {
        texture: TextureHandle,
        used: u64,
        /// Which of the tile's 16 × 16 cells have paint at their centre.
        mask: Mask,
    },
}

impl Default for MapTiles {
    fn default() -> Self {
        MapTiles {
            enabled: true,
            key: None,
            geometry: 0,
            tiles: HashMap::default(),
            worker: None,
            generation: 0,
            frame: 0,
            drew_tiles: false,
            drew_stand_ins: false,
            drew_some: false,
            previous: Vec::new(),
            by_size: HashMap::default(),
        }
    }
}

/// The tiles covering a rectangle of the screen, columns and rows inclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileRange {
    pub columns: (i64, i64),
    pub rows: (i64, i64),
}

impl TileRange {
    /// The tiles under the map's rectangle at `m_per_px` (Mercator metres per device pixel).
    pub fn of_view(to_screen: &ToScreen, m_per_px: f64) -> TileRange {
        let v = &to_screen.viewport;
        let top_left = v.world_from_screen([0.0, 0.0], to_screen.size_px);
        let bottom_right = v.world_from_screen(to_screen.size_px, to_screen.size_px);
        let (c0, r0) = TileFrame::index_at(top_left, m_per_px);
        // The far edge itself belongs to the next tile only if something shows there.
        let inside = [
            bottom_right[0] - m_per_px * 0.5,
            bottom_right[1] + m_per_px * 0.5,
        ];
        let (c1, r1) = TileFrame::index_at(inside, m_per_px);
        TileRange {
            columns: (c0, c1.max(c0)),
            rows: (r0, r1.max(r0)),
        }
    }

    /// The range grown by `n` tiles on every side.
    pub fn grown(self, n: i64) -> TileRange {
        TileRange {
            columns: (self.columns.0 - n, self.columns.1 + n),
            rows: (self.rows.0 - n, self.rows.1 + n),
        }
    }

    /// Every tile in the range, row by row, the middle rows first (what a pan uncovers last).
    pub fn tiles(self) -> impl Iterator<Item = TileIndex> {
        let (r0, r1) = self.rows;
        let (c0, c1) = self.columns;
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| (c, r)))
    }

    /// The tiles of the ring `n` tiles deep around the range, outside it.
    pub fn ring(self, n: i64) -> impl Iterator<Item = TileIndex> {
        self.grown(n).tiles().filter(move |t| !self.contains(*t))
    }

    fn contains(&self, (c, r): TileIndex) -> bool {
        (self.columns.0..=self.columns.1).contains(&c) && (self.rows.0..=self.rows.1).contains(&r)
    }
}

impl MapTiles {
    /// Starts a frame: takes the tiles the worker finished, and drops every tile if the scale
    /// (`m_per_px`, Mercator metres per device pixel) or the content `fingerprint` changed;
    /// while the `geometry` fingerprint (the layers and features drawn, not their styles)
    /// stays, the dropped tiles stand in.
    pub fn begin(
        &mut self,
        ctx: &egui::Context,
        m_per_px: f64,
        (fingerprint, geometry): (u64, u64),
    ) {
        self.frame += 1;
        self.drew_tiles = false;
        self.drew_stand_ins = false;
        self.drew_some = false;
        let key = (m_per_px.to_bits(), fingerprint);
        if self.key != Some(key) || !self.enabled {
            let zoomed = self.key.is_some() && self.geometry == geometry && self.enabled;
            self.geometry = geometry;
            let ready: Vec<(TileIndex, TextureHandle)> = self
                .tiles
                .drain()
                .filter_map(|(i, t)| match t {
                    Tile::Ready { texture, .. } => Some((i, texture)),
                    Tile::Pending => None,
                })
                .collect();
            if !zoomed {
                self.previous.clear();
            } else if let (false, Some((m, _))) = (ready.is_empty(), self.key) {
                let m = f64::from_bits(m);
                match self.previous.last_mut() {
                    // The same scale: the new tiles over the old where both are drawn.
                    Some((last, tiles)) if *last == m => {
                        tiles.retain(|(i, _)| !ready.iter().any(|(j, _)| j == i));
                        tiles.extend(ready);
                    }
                    _ => {
                        self.previous.push((m, ready));
                        if self.previous.len() > 2 {
                            self.previous.remove(0);
                        }
                    }
                }
            }
            self.key = Some(key);
            self.generation += 1;
            if let Some(w) = &self.worker {
                w.restart(self.generation);
            }
        }
        if !self.enabled {
            return;
        }
        if self.worker.is_none() {
            self.worker = Worker::start(ctx);
            if let Some(w) = &self.worker {
                w.restart(self.generation);
            }
        }
        let Some(worker) = &self.worker else { return };
        while let Ok(done) = worker.done.try_recv() {
            if done.generation != self.generation {
                continue;
            }
            let size = [done.pixmap.width() as usize, done.pixmap.height() as usize];
            let image = ColorImage::from_rgba_premultiplied(size, done.pixmap.data());
            let texture = ctx.load_texture(
                format!("map tile {} {}", done.index.0, done.index.1),
                image,
                TextureOptions::NEAREST,
            );
            self.tiles.insert(
                done.index,
                Tile::Ready {
                    texture,
                    used: self.frame,
                    mask: done.mask,
                },
            );
        }
    }

    /// Whether every tile of `range` is drawn; once they are, the earlier scale's stand-ins
    /// go.
    pub fn ready(&mut self, range: TileRange) -> bool {
        let ready = self.enabled
            && range
                .tiles()
                .all(|t| matches!(self.tiles.get(&t), Some(Tile::Ready { .. })));
        if ready {
            self.previous.clear();
        }
        ready
    }

    /// Whether the last frame drew the layers from tiles (else as meshes).
    pub fn drew_tiles(&self) -> bool {
        self.drew_tiles
    }

    /// Whether the tiles drawn at `m_per_px` show paint at a Mercator point (to the 16th of a
    /// tile): what the legend's corner is weighed by when the map comes from tiles, without a
    /// look at the 40,000 features under it.
    pub fn painted_at(&self, world: [f64; 2], m_per_px: f64) -> bool {
        let index = TileFrame::index_at(world, m_per_px);
        let Some(Tile::Ready { mask, .. }) = self.tiles.get(&index) else {
            return false;
        };
        let frame = TileFrame::of(index.0, index.1, m_per_px);
        let cell = f64::from(TILE_PX / 16) * m_per_px;
        let column = (((world[0] - frame.min_x) / cell) as u32).min(15);
        let row = (((frame.max_y - world[1]) / cell) as u32).min(15);
        let (word, bit) = cell_bit(column, row);
        mask[word] & bit != 0
    }

    /// The features of `layer` at least `min_m` Mercator metres across (their box's longer
    /// side) whose boxes meet `visible`, by id: from a list sorted by size once per layer, so
    /// that at country zoom the 40,000 townships too small for a label cost nothing a frame.
    pub fn large_features(
        &mut self,
        layer: &crate::session::layer::MapLayer,
        min_m: f64,
        visible: geo::Rect<f64>,
    ) -> Vec<crate::core::FeatureId> {
        use crate::core::view::world_from_lonlat;
        let key = (layer.key, Arc::as_ptr(&layer.layer) as usize);
        let by_size = self.by_size.entry(key).or_insert_with(|| {
            let mut sizes: Vec<(f64, crate::core::FeatureId, geo::Rect<f64>)> = layer
                .layer
                .features
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let b = f.bbox?;
                    let (a, c) = (world_from_lonlat(b.min()), world_from_lonlat(b.max()));
                    let size = (c[0] - a[0]).max(c[1] - a[1]);
                    Some((size, crate::core::FeatureId(i as u32), b))
                })
                .collect();
            sizes.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
            Arc::new(sizes)
        });
        let mut ids: Vec<crate::core::FeatureId> = by_size
            .iter()
            .take_while(|(size, _, _)| *size >= min_m)
            .filter(|(_, _, b)| {
                b.min().x <= visible.max().x
                    && b.max().x >= visible.min().x
                    && b.min().y <= visible.max().y
                    && b.max().y >= visible.min().y
            })
            .map(|(_, id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Whether the last frame drew an earlier scale's tiles stretched, while this scale's
    /// were being drawn.
    pub fn drew_stand_ins(&self) -> bool {
        self.drew_stand_ins
    }

    /// Whether tiles of an earlier scale can stand in for this one's.
    pub fn has_stand_ins(&self) -> bool {
        self.enabled && !self.previous.is_empty()
    }

    /// Paints the earlier scales' tiles (oldest first) stretched to this scale, then this
    /// scale's tiles drawn so far over them; where none reaches, the map's background shows
    /// until the worker is done.
    pub fn paint_stand_ins(
        &mut self,
        painter: &egui::Painter,
        range: TileRange,
        to_screen: &ToScreen,
        m_per_px: f64,
    ) {
        self.drew_stand_ins = true;
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        let clip = painter.clip_rect();
        for (m, tiles) in &self.previous {
            for (index, texture) in tiles {
                let rect = on_screen(*index, *m, to_screen);
                if rect.intersects(clip) {
                    painter.image(texture.id(), rect, uv, Color32::WHITE);
                }
            }
        }
        for index in range.tiles() {
            if let Some(Tile::Ready { texture, used, .. }) = self.tiles.get_mut(&index) {
                *used = self.frame;
                let rect = on_screen(index, m_per_px, to_screen);
                painter.image(texture.id(), rect, uv, Color32::WHITE);
            }
        }
    }

    /// Whether the last frame showed the tiles drawn so far and the background elsewhere,
    /// waiting for the worker (see [`Self::paint_drawn_so_far`]).
    pub fn drew_some(&self) -> bool {
        self.drew_some
    }

    /// Paints those tiles of `range` the worker has drawn so far, leaving the map's background
    /// where it has not been yet: for a view with too many features to draw as meshes while it
    /// waits.
    pub fn paint_drawn_so_far(
        &mut self,
        painter: &egui::Painter,
        range: TileRange,
        to_screen: &ToScreen,
        m_per_px: f64,
    ) {
        self.paint(painter, range, to_screen, m_per_px);
        self.drew_tiles = false;
        self.drew_some = true;
    }

    /// Paints the tiles of `range` (all drawn: see [`Self::ready`]) on the map, on whole
    /// device pixels so that they meet without seams and are not resampled.
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        range: TileRange,
        to_screen: &ToScreen,
        m_per_px: f64,
    ) {
        self.drew_tiles = true;
        let ppp = painter.ctx().pixels_per_point();
        let first = TileFrame::of(range.columns.0, range.rows.0, m_per_px);
        let at = to_screen.world([first.min_x, first.max_y]);
        let origin = pos2((at.x * ppp).round(), (at.y * ppp).round());
        let side = TILE_PX as f32;
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        for index in range.tiles() {
            let Some(Tile::Ready { texture, used, .. }) = self.tiles.get_mut(&index) else {
                continue;
            };
            *used = self.frame;
            let min = Pos2::new(
                origin.x + (index.0 - range.columns.0) as f32 * side,
                origin.y + (index.1 - range.rows.0) as f32 * side,
            );
            let rect =
                Rect::from_min_size(pos2(min.x / ppp, min.y / ppp), vec2(side / ppp, side / ppp));
            painter.image(texture.id(), rect, uv, Color32::WHITE);
        }
    }

    /// Queues tiles to draw, each with what `gather` gives for its frame (`None`: no more this
    /// frame). Tiles drawn or queued already are
    /// left alone; a full cache first lets go of the tiles farthest from `keep`.
    pub fn request(
        &mut self,
        tiles: impl Iterator<Item = TileIndex>,
        m_per_px: f64,
        keep: TileRange,
        mut gather: impl FnMut(&TileFrame) -> Option<Vec<TileSource>>,
    ) {
        if !self.enabled || self.worker.is_none() {
            return;
        }
        self.evict(keep);
        let mut jobs = Vec::new();
        for index in tiles {
            if self.tiles.contains_key(&index) || self.tiles.len() >= MAX_TILES {
                continue;
            }
            let frame = TileFrame::of(index.0, index.1, m_per_px);
            let Some(sources) = gather(&frame) else { break };
            self.tiles.insert(index, Tile::Pending);
            jobs.push(Job {
                generation: self.generation,
                index,
                frame,
                sources,
            });
        }
        if let (Some(w), false) = (&self.worker, jobs.is_empty()) {
            w.submit(jobs);
        }
    }

    /// Lets go of drawn tiles outside `keep`, least recently shown first, until there is room.
    fn evict(&mut self, keep: TileRange) {
        if self.tiles.len() < MAX_TILES {
            return;
        }
        let mut old: Vec<(u64, TileIndex)> = self
            .tiles
            .iter()
            .filter(|(i, _)| !keep.contains(**i))
            .filter_map(|(i, t)| match t {
                Tile::Ready { used, .. } => Some((*used, *i)),
                Tile::Pending => None,
            })
            .collect();
        old.sort_unstable();
        let excess = self.tiles.len() + MAX_TILES / 4 - MAX_TILES;
        for (_, i) in old.into_iter().take(excess) {
            self.tiles.remove(&i);
        }
    }
}

/// Where tile `index` of the grid at `m_per_px` is on screen, in points (stretched when the
/// map's scale is another).
fn on_screen(index: TileIndex, m_per_px: f64, to_screen: &ToScreen) -> Rect {
    let e = TileFrame::of(index.0, index.1, m_per_px).extent();
    Rect::from_two_pos(to_screen.world([e[0], e[3]]), to_screen.world([e[2], e[1]]))
}

/// A colour of the window as a style colour (unpremultiplied), for the tiles.
pub fn rgba(c: Color32) -> Rgba {
    Rgba(c.to_srgba_unmultiplied())
}

/// A fingerprint of what the map's layers draw under the labels: built with [`Fingerprint::add`]
/// from every visible layer, bottom first.
#[derive(Default)]
pub struct Fingerprint(FxHasher);

impl Fingerprint {
    /// Adds anything that changes the picture.
    pub fn add(&mut self, value: impl Hash) {
        value.hash(&mut self.0);
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::tile_worker::mask_of;

    /// A tile painted on its left half has the left eight columns of cells marked, row by row.
    #[test]
    fn the_mask_marks_the_painted_cells() {
        let mut pixmap = tiny_skia::Pixmap::new(TILE_PX, TILE_PX).expect("a tile");
        let half = tiny_skia::Rect::from_xywh(0.0, 0.0, TILE_PX as f32 / 2.0, TILE_PX as f32)
            .expect("a rectangle");
        let mut paint = tiny_skia::Paint::default();
        paint.set_color_rgba8(200, 0, 0, 255);
        pixmap.fill_rect(half, &paint, tiny_skia::Transform::identity(), None);
        let mask = mask_of(&pixmap);
        for row in 0..16u32 {
            for column in 0..16u32 {
                let bit = row * 16 + column;
                let set = mask[(bit / 64) as usize] & (1 << (bit % 64)) != 0;
                assert_eq!(set, column < 8, "cell {column}, {row}");
            }
        }
    }

    /// The tiles under a view: its corners' tiles and all between, and a ring around them.
    #[test]
    fn the_range_covers_the_view() {
        let viewport = crate::core::view::Viewport::default();
        let to_screen = ToScreen {
            viewport,
            size_px: [1000.0, 600.0],
            min: Pos2::ZERO,
        };
        let m = viewport.world_m_per_px;
        let range = TileRange::of_view(&to_screen, m);
        let tiles: Vec<TileIndex> = range.tiles().collect();
        for (x, y) in [
            (0.0, 0.0),
            (999.0, 0.0),
            (0.0, 599.0),
            (999.0, 599.0),
            (500.0, 300.0),
        ] {
            let world = viewport.world_from_screen([x, y], to_screen.size_px);
            assert!(tiles.contains(&TileFrame::index_at(world, m)), "{x}, {y}");
        }
        // 1000 × 600 pixels span at most 5 × 4 tiles of 256.
        assert!(tiles.len() <= 20, "{}", tiles.len());
        let (c, r) = (
            range.columns.1 - range.columns.0 + 3,
            range.rows.1 - range.rows.0 + 3,
        );
        assert_eq!(range.grown(1).tiles().count(), (c * r) as usize);
    }
}
