//! README's command-line examples, run as README shows them: every `$ zonemap …` line in a fenced
//! block of README.md is run (in a scratch folder where `data/` and `tests/` are the repository's),
//! must succeed, and must print what README shows under it. README is the expected output, so the
//! two cannot drift apart. An example may show the first lines of a long output only; it must
//! show at least one.

use std::path::{Path, PathBuf};
use std::process::Command;

use zonemap::core::Role;
use zonemap::core::io::write::feature_collection;
use zonemap::core::project::{LayerSource, Project, ProjectLayer};
use zonemap::core::proposal::move_unit;
use zonemap::core::style::LayerStyle;

use crate::proposals::tempdir;
use crate::util::load;

/// One example: the command's words and the lines README prints under it.
#[derive(Debug)]
struct Example {
    line: usize,
    args: Vec<String>,
    output: Vec<String>,
}

/// Splits a command line as a POSIX shell would for the quoting README uses (double and single
/// quotes, no escapes inside them).
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unclosed quote in {command:?}");
    if in_word {
        out.push(word);
    }
    out
}

/// Every `$ zonemap` example in the fenced blocks of `text`.
fn examples(text: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let mut in_block = false;
    let mut indent = 0;
    let mut current: Option<Example> = None;
    let mut continued = false;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") {
            if in_block {
                found.extend(current.take());
            } else {
                indent = raw.len() - trimmed.len();
            }
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let line = raw.get(indent..).unwrap_or("").trim_end();
        if continued {
            let ex = current.as_mut().expect("a command being continued");
            let part = line.trim();
            continued = part.ends_with('\\');
            ex.args.extend(words(part.trim_end_matches('\\')));
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            found.extend(current.take());
            continued = command.ends_with('\\');
            let args = words(command.trim_end_matches('\\'));
            current = (args.first().map(String::as_str) == Some("zonemap")).then(|| Example {
                line: i + 1,
                args: args[1..].to_vec(),
                output: Vec::new(),
            });
        } else if let Some(ex) = current.as_mut() {
            ex.output.push(line.to_owned());
        }
    }
    found
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// README's `plan.zonemap`: the window's project after moving 通安镇 into 科技生态功能片区 (the
/// proposals, the zones they were started from, the towns), made with the same core function
/// the window's Move calls.
pub fn write_plan(path: &Path) {
    let zones = load("suzhou-gaoxin/zones.geojson", Role::Zones);
    let towns = load("suzhou-gaoxin/towns.geojson", Role::Units);
    let target = zones
        .features
        .iter()
        .position(|f| f.name == "科技生态功能片区")
        .expect("zone");
    let tongan = towns
        .features
        .iter()
        .find(|f| f.name == "通安镇")
        .expect("town");
    let proposals = move_unit(&zones.features, tongan, target).expect("moves");
    let layer = |source, name: &str, role, crs: &str, editable, place| ProjectLayer {
        source,
        name: name.into(),
        role,
        crs: crs.into(),
        table: None,
        encoding: None,
        style: LayerStyle::for_role(role, place),
        filter: None,
        editable,
        official_km2: Default::default(),
    };
    let project = Project {
        layers: vec![
            layer(
                LayerSource::Inline(feature_collection(&proposals)),
                "方案",
                Role::Zones,
                "WGS-84",
                true,
                0,
            ),
            layer(
                LayerSource::Bundled("data/suzhou-gaoxin/zones.geojson".into()),
                "zones",
                Role::Zones,
                "GCJ-02",
                false,
                1,
            ),
            layer(
                LayerSource::Bundled("data/suzhou-gaoxin/towns.geojson".into()),
                "towns",
                Role::Units,
                "GCJ-02",
                false,
                2,
            ),
        ],
        coverage_zones: Some(0),
        coverage_units: Some(2),
        proposals_base: Some(1),
        ..Project::default()
    };
    project.write(path).expect("writes plan.zonemap");
}

/// A scratch folder in which README's relative paths (`data/…`, `tests/…`) are the
/// repository's, `plan.zonemap` exists, and `assets/` takes what is written there.
fn workspace() -> PathBuf {
    let dir = tempdir();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["data", "tests"] {
        std::os::unix::fs::symlink(root.join(name), dir.join(name)).expect("symlink");
    }
    write_plan(&dir.join("plan.zonemap"));
    // Where README's own sheet goes (a scratch one here; the repository's is made by hand).
    std::fs::create_dir_all(dir.join("assets")).expect("assets");
    dir
}

#[test]
fn the_readme_parser_finds_commands_continuations_and_output() {
    let text = "x\n```\n$ zonemap a \"b c\" \\\n    --d e\none\ntwo\n$ ls\nnot ours\n```\n  ```\n  $ zonemap f\n  out\n  ```\n";
    let found = examples(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].args, ["a", "b c", "--d", "e"]);
    assert_eq!(found[0].output, ["one", "two"]);
    assert_eq!(found[1].args, ["f"]);
    assert_eq!(found[1].output, ["out"]);
}

#[test]
fn every_readme_example_prints_what_readme_shows() {
    let found = examples(&readme());
    // Every command README shows: report (table, csv, the two --zones-where), report
    // --project, merge, diff (table, json), check ×4, convert ×3, export ×3.
    assert!(found.len() >= 18, "only {} examples found", found.len());
    let dir = workspace();
    let mut failures = Vec::new();
    for ex in &found {
        assert!(
            !ex.output.is_empty(),
            "README.md:{}: `zonemap {}` shows no output",
            ex.line,
            ex.args.join(" ")
        );
        let out = Command::new(env!("CARGO_BIN_EXE_zonemap"))
            .args(&ex.args)
            .current_dir(&dir)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
        let shown: Vec<&str> = ex.output.iter().map(|l| l.trim_end()).collect();
        if !out.status.success() || lines.len() < shown.len() || lines[..shown.len()] != shown[..] {
            failures.push(format!(
                "README.md:{}: zonemap {}\n--- README shows\n{}\n--- the program printed (status {:?})\n{}{}",
                ex.line,
                ex.args.join(" "),
                shown.join("\n"),
                out.status.code(),
                stdout,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
