//! The house rules of issue 16, checked on the sources: no import circles between the modules
//! of `src/` (at any depth of the module tree), and no file much over 600 lines of code (unit
//! tests at the bottom not counted) unless it is one indivisible thing, listed here with why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files allowed past the limit, with why each is one thing.
const INDIVISIBLE: &[(&str, &str)] = &[(
    "core/io/json.rs",
    "the bounded streaming GeoJSON reader: one state machine over the bytes, its errors \
     naming the line and the feature",
)];

/// Lines of code a file may have (about 600, with a little slack for a doc comment).
const MAX_LINES: usize = 650;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/` (`core::io::json`), or `None` for the crate roots
/// and the command line's files, which are the binary's.
fn module_of(rel: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.first().map(String::as_str) {
        Some("lib" | "main" | "cli") | None => None,
        _ => Some(parts),
    }
}

/// The code of a file: before its unit tests, without comment lines.
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or_default();
    body.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::…`, `super::…` and `self::…` path in `code`, as segments.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            let segs: Vec<String> = code[at..end]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            out.push(segs);
        }
    }
    out
}

/// The module a path names (the longest prefix that is a module), from module `at`.
fn resolve(at: &[String], path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut full: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("self") => at.to_vec(),
        Some("super") => at.to_vec(),
        _ => return None,
    };
    let mut rest = &path[1..];
    if path[0] == "super" {
        full.pop();
        while rest.first().is_some_and(|s| s == "super") {
            full.pop();
            rest = &rest[1..];
        }
    }
    full.extend(rest.iter().cloned());
    (1..=full.len())
        .rev()
        .map(|k| full[..k].to_vec())
        .find(|m| modules.contains(m))
}

/// Modules that import each other in a circle, grouped at `depth` (2: `core::io`).
fn circles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>, depth: usize) -> Vec<String> {
    let group = |m: &Vec<String>| m[..m.len().min(depth)].join("::");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in edges {
        let a = group(from);
        for to in tos {
            let b = group(to);
            let nested = a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"));
            if a != b && !nested {
                graph.entry(a.clone()).or_default().insert(b);
            }
        }
    }
    // A circle: a module that reaches itself.
    let mut found = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = graph[start].iter().collect();
        while let Some(m) = stack.pop() {
            if m == start {
                found.push(start.clone());
                break;
            }
            if seen.insert(m.clone())
                && let Some(next) = graph.get(m)
            {
                stack.extend(next);
            }
        }
    }
    found
        .into_iter()
        .map(|m| {
            let to: Vec<&String> = graph[&m].iter().collect();
            format!("{m} → {to:?}")
        })
        .collect()
}

#[test]
fn modules_import_no_circle_and_files_stay_small() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut modules = BTreeMap::new();
    let mut too_long = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).expect("under src/");
        let text = std::fs::read_to_string(path).expect("readable");
        let lines = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .count();
        let name = rel.to_string_lossy().replace('\\', "/");
        if lines > MAX_LINES && !INDIVISIBLE.iter().any(|(f, _)| *f == name) {
            too_long.push(format!("{name}: {lines} lines"));
        }
        if let Some(module) = module_of(rel) {
            modules.insert(module, code(&text));
        }
    }
    assert!(
        too_long.is_empty(),
        "files over {MAX_LINES} lines: {too_long:#?}"
    );
    let names: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, code) in &modules {
        for path in paths(code) {
            if let Some(to) = resolve(module, &path, &names)
                && &to != module
            {
                edges.entry(module.clone()).or_default().insert(to);
            }
        }
    }
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 100,
        "the import graph was read"
    );
    for depth in 2..=4 {
        let found = circles(&edges, depth);
        assert!(
            found.is_empty(),
            "import circles at depth {depth}: {found:#?}"
        );
    }
}
