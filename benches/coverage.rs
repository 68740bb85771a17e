//! The coverage of the 2,875 Chinese counties by the 370 cities, as the window computes it: in
//! a background thread, while the UI thread keeps drawing frames.
//!
//! Prints the analysis' own time (the core `analyse` plus the report rows the dock shows, as
//! the worker thread measures it), the time from the request to the figures being on screen,
//! and the frames drawn meanwhile: how many, and the slowest. A blocked UI thread would show
//! as one frame as long as the analysis. Then the first second of frames with the figures
//! (the coverage table's first frames, its glyphs, the units refilled by class).
//!
//! Needs `bench-data/` (`python3 scripts/fetch-china.py`). Run: `cargo bench --bench coverage`.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Event, Pos2, RawInput, Rect, pos2, vec2};
use zonemap::core::Role;
use zonemap::session::analysis::AnalysisResult;
use zonemap::session::command::Command;
use zonemap::session::loader::{LoadRequest, Progress, load};
use zonemap::ui::{Lang, Startup, ZonemapApp};

const SIZE: [f32; 2] = [1600.0, 1000.0];
const RUNS: usize = 3;
const FRAME: Duration = Duration::from_micros(16_667);

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    let (counties, cities) = (
        dir.join("china-counties.geojson"),
        dir.join("china-cities.geojson"),
    );
    if !counties.exists() || !cities.exists() {
        eprintln!(
            "{} is missing: run `python3 scripts/fetch-china.py` first",
            counties.display()
        );
        std::process::exit(2);
    }
    println!("threads: {}", rayon::current_num_threads());
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
    // Loaded as context first, so that the first frames (fitting the view, building shapes)
    // are over before the analysis is asked for.
    let mut keys = Vec::new();
    for path in [&cities, &counties] {
        let mut request = LoadRequest::file(path);
        request.role = Some(Role::Context);
        match load(request, &Progress::default()) {
            Ok(p) => keys.push(app.session.add_prepared(p)),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    let (zones, units) = (keys[0], keys[1]);
    let mut frames = Frames::new(ctx);
    for _ in 0..30 {
        frames.run(&mut app);
    }
    for run in 0..RUNS {
        // What a user does in the dock or the layer list; each change reruns the analysis.
        app.push_command(Command::SetRole(zones, Role::Zones));
        app.push_command(Command::SetRole(units, Role::Units));
        let requested = Instant::now();
        let mut times = Vec::new();
        while app.session.current_analysis().is_none() {
            let t = frames.run(&mut app);
            times.push(t.as_secs_f64() * 1e3);
            // A display's pace: the rest of the 60 Hz frame is idle, as in the window.
            std::thread::sleep(FRAME.saturating_sub(t));
            if requested.elapsed() > Duration::from_secs(120) {
                eprintln!("the analysis did not finish in two minutes");
                std::process::exit(1);
            }
        }
        let shown = requested.elapsed();
        // The first second with the figures: the coverage table's first frames, its new
        // glyphs, the map's units refilled by class.
        let mut after = Vec::new();
        for _ in 0..60 {
            let t = frames.run(&mut app);
            after.push(t.as_secs_f64() * 1e3);
            std::thread::sleep(FRAME.saturating_sub(t));
        }
        let first = after[0];
        after.sort_by(f64::total_cmp);
        let result = app.session.current_analysis().expect("analysed");
        times.sort_by(f64::total_cmp);
        let t = &result.analysis.totals;
        println!(
            "run {}: analysis {:.2} s in the worker, figures on screen {:.2} s after the request; \
             {} frames meanwhile, median {:.1} ms, p95 {:.1} ms, slowest {:.1} ms \
             ({} counties: {} full, {} in two cities)",
            run + 1,
            result.elapsed.as_secs_f64(),
            shown.as_secs_f64(),
            times.len(),
            times[times.len() / 2],
            times[times.len() * 95 / 100],
            times.last().copied().unwrap_or(0.0),
            t.units,
            t.full,
            t.multi_zone_units
        );
        println!(
            "  the first second with the figures: first frame {first:.1} ms, median {:.1} ms, slowest {:.1} ms",
            after[after.len() / 2],
            after.last().copied().unwrap_or(0.0),
        );
        if run + 1 < RUNS {
            app.push_command(Command::SetRole(zones, Role::Context));
            frames.run(&mut app);
        }
    }
    // The same work with no window at all, for comparison with `zonemap report`.
    let prepped = |key| {
        let l = app
            .session
            .layers
            .iter()
            .find(|l| l.key == key)
            .expect("open");
        (l.layer.clone(), l.prep.clone())
    };
    let (zones, units) = (prepped(zones), prepped(units));
    let inputs = app.session.current_analysis().expect("analysed").inputs;
    let start = Instant::now();
    let _ = AnalysisResult::compute(inputs, &zones, &units);
    println!(
        "the same analysis on this thread, no frames: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let _ = zonemap::core::analysis::analyse(&zones.0, &units.0);
    println!(
        "  and from scratch, as `zonemap report` does after loading (the areas made \
         again): {:.2} s",
        start.elapsed().as_secs_f64()
    );
}

struct Frames {
    ctx: egui::Context,
    start: Instant,
    count: usize,
}

impl Frames {
    fn new(ctx: egui::Context) -> Self {
        Frames {
            ctx,
            start: Instant::now(),
            count: 0,
        }
    }

    /// One whole frame: the UI pass and egui's tessellation, panning a little each time.
    fn run(&mut self, app: &mut ZonemapApp) -> Duration {
        let centre = Pos2::new(SIZE[0] / 2.0, SIZE[1] / 2.0);
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(SIZE[0], SIZE[1]))),
            time: Some(self.start.elapsed().as_secs_f64()),
            events: vec![Event::PointerMoved(centre)],
            ..RawInput::default()
        };
        let t0 = Instant::now();
        // Back and forth, so the view stays on the data.
        let d = if (self.count / 30).is_multiple_of(2) {
            1.0
        } else {
            -1.0
        };
        self.count += 1;
        app.session.map.viewport.pan([7.0 * d, 3.0 * d]);
        let output = self.ctx.run_ui(input, |ui| app.show(ui));
        let _ = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        t0.elapsed()
    }
}
