//! The map tiles' worker thread: it takes queued tiles, builds the shapes they lack, draws
//! them with [`crate::core::render::tile`] and hands back the pixels with a coarse mask of
//! where they are painted.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, mpsc};

use rustc_hash::FxHashMap as HashMap;

use crate::core::render::tile::{TileFrame, TileIndex, TileItem, render_tile};
use crate::core::style::Rgba;

/// A tile's 16 × 16 cells, a bit each, row by row: whether the cell's middle pixel is painted.
pub(super) type Mask = [u64; 4];

/// The word of a [`Mask`] and the bit in it for a cell.
pub(super) fn cell_bit(column: u32, row: u32) -> (usize, u64) {
    let bit = row * 16 + column;
    ((bit / 64) as usize, 1 << (bit % 64))
}

/// The cells of a drawn tile with paint at their middle.
pub(super) fn mask_of(pixmap: &tiny_skia::Pixmap) -> Mask {
    let mut mask = [0u64; 4];
    let cell = pixmap.width() / 16;
    for row in 0..16u32 {
        for column in 0..16u32 {
            let painted = pixmap
                .pixel(column * cell + cell / 2, row * cell + cell / 2)
                .is_some_and(|p| p.alpha() > 0);
            if painted {
                let (word, bit) = cell_bit(column, row);
                mask[word] |= bit;
            }
        }
    }
    mask
}

/// One tile to draw.
pub(super) struct Job {
    pub(super) generation: u64,
    pub(super) index: TileIndex,
    pub(super) frame: TileFrame,
    pub(super) sources: Vec<TileSource>,
}

/// What a tile draws, bottom first: items ready to draw, or polygon features whose shape at
/// the tile's detail level the worker builds (the window has not built it yet).
pub enum TileSource {
    /// Drawn as it is.
    Item(TileItem),
    /// Feature `id` of `layer`, simplified for `level` by the worker.
    Feature {
        layer: Arc<crate::core::Layer>,
        /// The layer's shape cache ([`crate::session::shapes::ShapeCache::id`]): the worker
        /// keeps what it builds under it.
        cache: u64,
        id: crate::core::FeatureId,
        level: u8,
        fill: Option<Rgba>,
        /// The outline (colour, width in device pixels), if it gets one.
        outline: Option<(Rgba, f32)>,
    },
}

/// The shapes the worker built, by (layer's shape cache, feature, level): a feature across
/// several tiles is simplified once.
type Built = HashMap<(u64, crate::core::FeatureId, u8), Arc<crate::core::tessellate::FeatureShape>>;

/// The items of a tile, building the shapes it lacks.
fn resolve(sources: Vec<TileSource>, built: &mut Built) -> Vec<TileItem> {
    sources
        .into_iter()
        .filter_map(|source| match source {
            TileSource::Item(item) => Some(item),
            TileSource::Feature {
                layer,
                cache,
                id,
                level,
                fill,
                outline,
            } => {
                let shape = match built.get(&(cache, id, level)) {
                    Some(shape) => shape.clone(),
                    None => {
                        let feature = layer.features.get(id.index())?;
                        let shape = Arc::new(crate::core::tessellate::FeatureShape::outlines(
                            &feature.polygons(),
                            level,
                        ));
                        built.insert((cache, id, level), shape.clone());
                        shape
                    }
                };
                Some(TileItem::Shape {
                    shape,
                    fill,
                    outline,
                })
            }
        })
        .collect()
}

pub(super) struct Done {
    pub(super) generation: u64,
    pub(super) index: TileIndex,
    pub(super) pixmap: tiny_skia::Pixmap,
    pub(super) mask: Mask,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    generation: u64,
    closed: bool,
}

pub(super) struct Worker {
    queue: Arc<(Mutex<Queue>, Condvar)>,
    pub(super) done: mpsc::Receiver<Done>,
}

impl Worker {
    pub(super) fn start(ctx: &egui::Context) -> Option<Worker> {
        let queue = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let (send, done) = mpsc::channel();
        let shared = queue.clone();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("map tiles".into())
            .spawn(move || work(&shared, &send, &ctx))
            .ok()?;
        Some(Worker { queue, done })
    }

    pub(super) fn submit(&self, jobs: Vec<Job>) {
        let (lock, wake) = &*self.queue;
        if let Ok(mut q) = lock.lock() {
            q.jobs.extend(jobs);
            wake.notify_one();
        }
    }

    pub(super) fn restart(&self, generation: u64) {
        let (lock, _) = &*self.queue;
        if let Ok(mut q) = lock.lock() {
            q.jobs.clear();
            q.generation = generation;
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let (lock, wake) = &*self.queue;
        if let Ok(mut q) = lock.lock() {
            q.closed = true;
            q.jobs.clear();
        }
        wake.notify_all();
    }
}

/// The worker's loop: draws queued tiles of the current generation, first queued first, and
/// asks the window for a frame after each.
fn work(queue: &(Mutex<Queue>, Condvar), done: &mpsc::Sender<Done>, ctx: &egui::Context) {
    let (lock, wake) = queue;
    let mut built = Built::default();
    let mut built_for = 0;
    loop {
        let job = {
            let Ok(mut q) = lock.lock() else { return };
            loop {
                if q.closed {
                    return;
                }
                match q.jobs.pop_front() {
                    Some(job) if job.generation == q.generation => break job,
                    Some(_) => {}
                    None => match wake.wait(q) {
                        Ok(guard) => q = guard,
                        Err(_) => return,
                    },
                }
            }
        };
        if job.generation != built_for {
            built.clear();
            built_for = job.generation;
        }
        let items = resolve(job.sources, &mut built);
        let pixmap = render_tile(&job.frame, &items);
        let mask = mask_of(&pixmap);
        let sent = done.send(Done {
            generation: job.generation,
            index: job.index,
            pixmap,
            mask,
        });
        if sent.is_err() {
            return;
        }
        ctx.request_repaint();
    }
}
