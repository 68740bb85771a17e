//! What the whole-country benchmarks share: where the data is and how a figure is timed.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Instant;

/// The data folder: the first argument that is not a flag, else `bench-data`
/// (`python3 scripts/fetch-china.py` fills it).
pub fn data_dir() -> PathBuf {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("bench-data"))
}

/// Runs `f` `runs` times and prints the median and the range, in seconds.
pub fn median(label: &str, runs: usize, mut f: impl FnMut()) {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{label}: median {:.3} s (range {:.3}–{:.3} s over {runs} runs)",
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
}
