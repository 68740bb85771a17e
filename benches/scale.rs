//! How `zonemap report` grows with the number of units: the 370 cities over the 2,875 counties,
//! then over synthetic townships (each county cut into Voronoi cells: about 10,000 and 40,000,
//! made by `python3 scripts/make-townships.py`), each a whole process as a user runs it, the
//! shipped binary reading GeoJSON.
//!
//! Prints, per units file: its size, the wall time (median and range of three runs) and the
//! peak resident memory (GNU time's `%M`), and that memory as a multiple of the input (the
//! cities' file and the units' file together, as issue 18 counts it).
//!
//! Needs `bench-data/` (`python3 scripts/fetch-china.py`, then `scripts/make-townships.py` for
//! the townships; a file that is missing is skipped) and `/usr/bin/time` (Debian's `time`).
//! Run: `cargo bench --bench scale`.

mod common;

use std::process::Command;

const RUNS: usize = 3;

fn main() {
    let dir = common::data_dir();
    let cities = dir.join("china-cities.geojson");
    if !cities.exists() {
        eprintln!(
            "{} is missing: run `python3 scripts/fetch-china.py` first",
            cities.display()
        );
        std::process::exit(2);
    }
    let zonemap = env!("CARGO_BIN_EXE_zonemap");
    let out = std::env::temp_dir().join("zonemap-scale-report.json");
    let cities_mb = std::fs::metadata(&cities).map_or(0.0, |m| m.len() as f64 / 1e6);
    println!("| units | file | wall time | peak memory | memory ÷ input (both files) |");
    println!("|---|---|---|---|---|");
    for name in [
        "china-counties.geojson",
        "china-towns-10k.geojson",
        "china-townships.geojson",
    ] {
        let units = dir.join(name);
        let Ok(meta) = std::fs::metadata(&units) else {
            eprintln!("{} is missing: skipped", units.display());
            continue;
        };
        let file_mb = meta.len() as f64 / 1e6;
        let mut walls = Vec::new();
        let mut peaks = Vec::new();
        let mut count = String::new();
        for _ in 0..RUNS {
            let run = Command::new("/usr/bin/time")
                .args(["-f", "%e %M", zonemap, "report"])
                .arg(&cities)
                .arg(&units)
                .args(["--format", "json", "--out"])
                .arg(&out)
                .output()
                .expect("/usr/bin/time runs");
            let err = String::from_utf8_lossy(&run.stderr);
            if !run.status.success() {
                eprintln!("{name}: {err}");
                std::process::exit(1);
            }
            // "wrote …: 370 zones × N units" on either stream; GNU time's line last.
            let said = format!("{}{err}", String::from_utf8_lossy(&run.stdout));
            if let Some(wrote) = said.lines().find(|l| l.starts_with("wrote ")) {
                count = wrote.rsplit(" × ").next().unwrap_or_default().to_owned();
            }
            let timing = err.lines().last().unwrap_or_default();
            let mut fields = timing.split_whitespace();
            let wall: f64 = fields.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
            let kb: f64 = fields.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
            walls.push(wall);
            peaks.push(kb / 1e3);
        }
        walls.sort_by(f64::total_cmp);
        peaks.sort_by(f64::total_cmp);
        let peak = peaks[RUNS / 2];
        println!(
            "| {count} | {name}, {file_mb:.0} MB | {:.2} s ({:.2}–{:.2}) | {peak:.0} MB | {:.1}× |",
            walls[RUNS / 2],
            walls[0],
            walls[RUNS - 1],
            peak / (file_mb + cities_mb)
        );
    }
    let _ = std::fs::remove_file(out);
}
