//! CPU cost of one frame of the window with the 2,875 Chinese counties loaded, while panning at
//! every zoom from the whole country down to a street, frames paced at 60 Hz as the window's.
//!
//! A frame here is what the UI thread does: the app's layout and panels, R-tree culling, the
//! map's tiles (or, until the worker has drawn them, its meshes moved to the screen), label
//! placement, hit-testing the pointer, and egui's own tessellation of the result into
//! triangles. Only GPU upload and drawing are left out; the tile worker runs on its own thread
//! between frames, as in the window. Each view prints the frames while arriving there (meshes
//! until the tiles cover it), the frames panning back and forth, and for the far views a long
//! pan that keeps uncovering tiles; then the same views with the tiles off.
//!
//! Needs `bench-data/china-counties.geojson` (`python3 scripts/fetch-china.py`).
//! Run: `cargo bench --bench frame`; with another layer instead of the counties (the synthetic
//! townships of `scripts/make-townships.py`, say): `cargo bench --bench frame --
//! bench-data/china-townships.geojson`; only some rows: `-- --only=street`.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Event, Pos2, RawInput, Rect, pos2, vec2};
use zonemap::core::Role;
use zonemap::session::loader::{LoadRequest, Progress, load};
use zonemap::ui::{Lang, Startup, ZonemapApp};

const SIZE: [f32; 2] = [1600.0, 1000.0];
const FRAMES: usize = 120;

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data/china-counties.geojson")
        });
    if !path.exists() {
        eprintln!(
            "{} is missing: run `python3 scripts/fetch-china.py` first",
            path.display()
        );
        std::process::exit(2);
    }
    let ctx = egui::Context::default();
    zonemap::ui::install_fonts(&ctx);
    let startup = Startup {
        files: Vec::new(),
        lang: Some(Lang::Zh),
        restore: false,
        bundled: false,
        recovery: None,
    };
    let mut app = ZonemapApp::with_session(&ctx, startup, None);
    let t = Instant::now();
    let mut request = LoadRequest::file(&path);
    request.role = Some(Role::Units);
    let prepared = match load(request, &Progress::default()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!(
        "load + prepare (areas, label anchors, overview shapes): {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    app.session.add_prepared(prepared);

    let mut frame = Frames::new(ctx);
    // The first frame fits the whole country.
    frame.run(&mut app);
    println!(
        "whole-country zoom: {:.0} m/px, 1:{:.0}",
        app.session.map.viewport.world_m_per_px,
        app.session.map.viewport.scale_denominator()
    );
    let country = app.session.map.viewport;
    measure("whole country, panning", &mut app, &mut frame);
    // Where the time goes.
    app.session.layers[0].style.label_field = None;
    measure("  the same without labels", &mut app, &mut frame);
    app.session.layers[0].style.outline_width = 0.0;
    measure(
        "  the same without labels and outlines",
        &mut app,
        &mut frame,
    );
    app.session.layers[0].style = zonemap::core::style::LayerStyle::for_role(Role::Units, 0);
    app.session.map.viewport = country;
    measure("whole country again, with labels", &mut app, &mut frame);

    // Every zoom down to a street, with labels: the view README described (7.5 km/px over
    // the country), a province, a city and a street.
    for (what, lonlat, m_per_px) in [
        (
            "7.5 km/px (the country, closer), panning",
            (105.0, 34.0),
            7_500.0,
        ),
        (
            "province (Jiangsu, 1 km/px), panning",
            (119.5, 32.5),
            1_000.0,
        ),
        ("city (Suzhou, 60 m/px), panning", (120.6, 31.3), 60.0),
        ("street (Suzhou, 5 m/px), panning", (120.62, 31.3), 5.0),
    ] {
        app.session.map.viewport = country;
        app.session.map.viewport.center_world =
            zonemap::core::view::world_from_lonlat(geo::coord! { x: lonlat.0, y: lonlat.1 });
        app.session.map.viewport.world_m_per_px = m_per_px;
        measure(what, &mut app, &mut frame);
        if m_per_px >= 1_000.0 {
            long_pan("  a long pan east from there", &mut app, &mut frame);
        }
    }

    // The same views with View ▸ Pan over drawn tiles off: every vertex through egui each
    // frame, as before the tiles.
    app.tiles.enabled = false;
    for (what, lonlat, m_per_px) in [
        (
            "whole country, tiles off",
            (105.0, 36.0),
            country.world_m_per_px,
        ),
        ("7.5 km/px, tiles off", (105.0, 34.0), 7_500.0),
        ("province, tiles off", (119.5, 32.5), 1_000.0),
    ] {
        app.session.map.viewport = country;
        app.session.map.viewport.center_world =
            zonemap::core::view::world_from_lonlat(geo::coord! { x: lonlat.0, y: lonlat.1 });
        app.session.map.viewport.world_m_per_px = m_per_px;
        measure(what, &mut app, &mut frame);
    }
}

struct Frames {
    ctx: egui::Context,
    start: Instant,
    /// Vertices sent to the GPU by the last frame.
    vertices: usize,
}

impl Frames {
    fn new(ctx: egui::Context) -> Self {
        Frames {
            ctx,
            start: Instant::now(),
            vertices: 0,
        }
    }

    /// One frame; returns (UI pass, egui tessellation).
    fn run(&mut self, app: &mut ZonemapApp) -> (Duration, Duration) {
        let centre = Pos2::new(SIZE[0] / 2.0, SIZE[1] / 2.0);
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(SIZE[0], SIZE[1]))),
            time: Some(self.start.elapsed().as_secs_f64()),
            events: vec![Event::PointerMoved(centre)],
            ..RawInput::default()
        };
        let t0 = Instant::now();
        let output = self.ctx.run_ui(input, |ui| app.show(ui));
        let t1 = Instant::now();
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let t2 = Instant::now();
        self.vertices = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        (t1 - t0, t2 - t1)
    }

    /// One frame, then a wait until the next 60 Hz tick.
    fn paced(&mut self, app: &mut ZonemapApp) -> (Duration, Duration) {
        let began = Instant::now();
        let times = self.run(app);
        if let Some(rest) = FRAME_INTERVAL.checked_sub(began.elapsed()) {
            std::thread::sleep(rest);
        }
        times
    }
}

/// A 60 Hz frame: the bench paces its frames as the window does, so that the tile worker
/// runs between them as it would.
const FRAME_INTERVAL: Duration = Duration::from_micros(16_667);

/// Arrives at a view, then pans back and forth over it, frames paced at 60 Hz; prints the
/// frames until the tiles covered the view, and the panning frames after.
fn measure(what: &str, app: &mut ZonemapApp, frames: &mut Frames) {
    if !wanted(what) {
        return;
    }
    // Arriving: frames show the last view's tiles stretched, or the tiles drawn so far, until
    // the worker has drawn the view's tiles (or 3 s).
    let arrived = Instant::now();
    let mut arriving_ms = Vec::new();
    let mut stand_ins = 0;
    let mut some = 0;
    while arrived.elapsed() < Duration::from_secs(3) {
        let (ui, tess) = frames.paced(app);
        stand_ins += usize::from(app.tiles.drew_stand_ins());
        some += usize::from(app.tiles.drew_some());
        arriving_ms.push((ui + tess).as_secs_f64() * 1e3);
        if app.tiles.drew_tiles() || !app.tiles.enabled {
            break;
        }
    }
    let covered = arrived.elapsed();
    // Let the ring of tiles around the view fill, as it does while the user looks.
    for _ in 0..30 {
        frames.paced(app);
    }
    let mut ui_ms = Vec::with_capacity(FRAMES);
    let mut tess_ms = Vec::with_capacity(FRAMES);
    let mut total_ms = Vec::with_capacity(FRAMES);
    let mut meshes = 0;
    for i in 0..FRAMES {
        // Back and forth, so the view ends where it started.
        let d = if (i / 30) % 2 == 0 { 1.0 } else { -1.0 };
        app.session.map.viewport.pan([7.0 * d, 3.0 * d]);
        let (ui, tess) = frames.paced(app);
        meshes += usize::from(!app.tiles.drew_tiles());
        ui_ms.push(ui.as_secs_f64() * 1e3);
        tess_ms.push(tess.as_secs_f64() * 1e3);
        total_ms.push((ui + tess).as_secs_f64() * 1e3);
    }
    println!(
        "{what}: frame median {:.2} ms, p95 {:.2} ms (UI pass {:.2} ms + egui tessellation {:.2} ms, medians; {} vertices; {meshes} of {FRAMES} frames drew meshes)",
        percentile(&mut total_ms, 0.5),
        percentile(&mut total_ms, 0.95),
        percentile(&mut ui_ms, 0.5),
        percentile(&mut tess_ms, 0.5),
        frames.vertices,
    );
    println!(
        "  arriving: the tiles covered the view after {:.0} ms and {} frames, {stand_ins} of them the last view's tiles stretched, {some} the tiles drawn so far (median {:.2} ms, max {:.2} ms)",
        covered.as_secs_f64() * 1e3,
        arriving_ms.len(),
        percentile(&mut arriving_ms, 0.5),
        percentile(&mut arriving_ms, 1.0),
    );
}

/// A long drag in one direction (12 points a frame for 4 s, about two screens), which keeps
/// uncovering tiles the worker has not drawn: how many frames fall back to meshes.
fn long_pan(what: &str, app: &mut ZonemapApp, frames: &mut Frames) {
    if !wanted(what) {
        return;
    }
    let mut total_ms = Vec::new();
    let mut meshes = 0;
    for _ in 0..240 {
        app.session.map.viewport.pan([12.0, 0.0]);
        let (ui, tess) = frames.paced(app);
        meshes += usize::from(!app.tiles.drew_tiles());
        total_ms.push((ui + tess).as_secs_f64() * 1e3);
    }
    println!(
        "{what}: frame median {:.2} ms, p95 {:.2} ms, max {:.2} ms; {meshes} of 240 frames drew meshes",
        percentile(&mut total_ms, 0.5),
        percentile(&mut total_ms, 0.95),
        percentile(&mut total_ms, 1.0),
    );
}

/// Whether to run a row: all of them, or with `--only=WORD` those whose name holds WORD.
fn wanted(what: &str) -> bool {
    std::env::args()
        .find_map(|a| a.strip_prefix("--only=").map(str::to_owned))
        .is_none_or(|word| what.contains(&word))
}

fn percentile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() - 1) as f64 * q).round() as usize;
    values[i]
}
