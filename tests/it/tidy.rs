//! Tidy: the house rules of STYLE.md checked as ordinary tests (rust-analyzer's `tidy.rs` habit).

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file of the project, skipping build output and installed tools.
fn rust_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !matches!(name.as_ref(), "target" | "node_modules" | "tools" | "dist" | ".git") {
                    walk(&path, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), &mut out);
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

/// Lines of code with `//` comments removed (good enough for the words checked here).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split("//").next().unwrap_or("")))
        .filter(|(_, l)| !l.trim().is_empty())
}

#[test]
fn every_rust_file_says_what_it_is_for() {
    let missing: Vec<String> = rust_files()
        .into_iter()
        .filter(|p| {
            let text = fs::read_to_string(p).unwrap_or_default();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .map(|p| relative(&p))
        .collect();
    assert!(missing.is_empty(), "files without a `//!` first line: {missing:#?}");
}

#[test]
fn the_engine_has_no_f64_and_no_unwrap() {
    let src = root().join("crates/delever-model/src");
    let mut offences = Vec::new();
    for path in rust_files().into_iter().filter(|p| p.starts_with(&src)) {
        let text = fs::read_to_string(&path).unwrap_or_default();
        for (n, line) in code_lines(&text) {
            let words = ["f64", "f32", ".unwrap()", ".expect(", "panic!(", "unsafe "];
            for word in words {
                if line.contains(word) {
                    offences.push(format!("{}:{n}: {word}", relative(&path)));
                }
            }
        }
    }
    assert!(offences.is_empty(), "the engine must stay exact and panic-free: {offences:#?}");
}

#[test]
fn the_page_keeps_its_size_rules() {
    // Each of these pulls kilobytes of tables or code into the page's wasm (ARCHITECTURE.md,
    // "Size rules"): Unicode case tables, the float parser, B-tree code.
    let dirs = [root().join("src"), root().join("crates/delever-model/src")];
    let mut offences = Vec::new();
    for path in rust_files().into_iter().filter(|p| dirs.iter().any(|d| p.starts_with(d))) {
        let text = fs::read_to_string(&path).unwrap_or_default();
        for (n, line) in code_lines(&text) {
            for word in ["to_lowercase(", "to_uppercase(", "parse::<f64>", "BTreeMap", "BTreeSet"] {
                if line.contains(word) {
                    offences.push(format!("{}:{n}: {word}", relative(&path)));
                }
            }
        }
    }
    assert!(offences.is_empty(), "the page's wasm size rules: {offences:#?}");
}

#[test]
fn the_engine_knows_nothing_of_the_browser() {
    let manifest = fs::read_to_string(root().join("crates/delever-model/Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
    for line in deps.lines().filter(|l| l.contains('=')) {
        let name = line.split('=').next().unwrap_or("").trim();
        assert!(
            ["rust_decimal", "serde", "serde_json"].contains(&name),
            "delever-model may depend only on rust_decimal and serde (+ serde_json): found {name}"
        );
    }
}

#[test]
fn web_sys_stays_at_the_edge() {
    let allowed = ["src/web.rs", "src/components/canvas.rs"];
    let offences: Vec<String> = rust_files()
        .into_iter()
        .filter(|p| !allowed.iter().any(|a| p.ends_with(a)))
        .filter(|p| !p.starts_with(root().join("tests")) && !p.starts_with(root().join("xtask")))
        .filter(|p| {
            let text = fs::read_to_string(p).unwrap_or_default();
            code_lines(&text).any(|(_, l)| l.contains("web_sys"))
        })
        .map(|p| relative(&p))
        .collect();
    assert!(offences.is_empty(), "web_sys outside {allowed:?}: {offences:#?}");
}

#[test]
fn every_preset_file_is_embedded_and_valid() {
    let dir = root().join("www/presets");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    let mut embedded: Vec<String> =
        delever_model::presets::all().iter().map(|p| format!("{}.json", p.id)).collect();
    embedded.sort();
    assert_eq!(files, embedded);
    for preset in delever_model::presets::all() {
        let on_disk = fs::read_to_string(dir.join(format!("{}.json", preset.id))).unwrap();
        assert_eq!(on_disk, preset.json);
        assert!(delever_model::parse_scenario(preset.json).is_ok(), "{}", preset.id);
    }
}
