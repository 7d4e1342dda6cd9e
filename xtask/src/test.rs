//! `cargo xtask test`: the full check, the one command CI runs; stops at the first failing step.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::shell::{self, Error};
use crate::{build, e2e, setup};

/// What a step runs.
enum Action {
    /// `cargo` with these arguments.
    Cargo(&'static [&'static str]),
    /// A function of this xtask.
    Run(fn(&Path) -> Result<(), Error>),
}

/// The steps, in order: cheap checks first, so a formatting slip fails in seconds.
const STEPS: [(&str, Action); 10] = [
    ("setup", Action::Run(setup::run)),
    ("formatting", Action::Cargo(&["fmt", "--all", "--", "--check"])),
    ("clippy, native", Action::Cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])),
    (
        "clippy, the web app and the engine worker on wasm32",
        Action::Cargo(&[
            "clippy",
            "-p",
            "delever",
            "-p",
            "delever-worker",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    ),
    ("tests, native", Action::Run(native_tests)),
    (
        "the engine builds for wasm32",
        Action::Cargo(&["build", "-p", "delever-model", "--target", "wasm32-unknown-unknown"]),
    ),
    ("the web app, release build (dist/ and the single file dist/delever.html)", Action::Run(release_build)),
    ("component tests in headless Chromium (wasm-bindgen-test)", Action::Run(browser_component_tests)),
    (
        "end-to-end tests of the release page: the full suite in headless Chromium, the core tests in Firefox ESR and WebKitGTK",
        Action::Run(end_to_end),
    ),
    (
        "fuzzing the scenario parser and engine (30 s), the spreadsheet import (20 s), and the page's links and messages (15 s each)",
        Action::Run(fuzz),
    ),
];

pub fn run(root: &Path) -> Result<(), Error> {
    let started = Instant::now();
    let count = STEPS.len();
    for (index, (title, action)) in STEPS.iter().enumerate() {
        let number = index + 1;
        let step_started = Instant::now();
        println!("\n==> [{number}/{count}] {title}");
        let result = match action {
            Action::Cargo(arguments) => shell::run(shell::cargo().args(*arguments)),
            Action::Run(function) => function(root),
        };
        result.map_err(|error| Error::new(format!("step {number}/{count} ({title}) failed: {error}")))?;
        println!("==> [{number}/{count}] {title}: ok ({:.1} s)", step_started.elapsed().as_secs_f64());
    }
    println!("\nall {count} steps passed in {:.1} s", started.elapsed().as_secs_f64());
    // The closing line CI reads: the tests counted over every step.
    let (passed, failed) = TOTALS.with(|totals| *totals.borrow());
    let per_browser = E2E_PER_BROWSER.with(|summary| summary.borrow().clone());
    println!("{passed} passed, {failed} failed (e2e: {per_browser})");
    Ok(())
}

/// `cargo test --workspace`: `--workspace` because the web app is not a default member.
/// Each property suite runs the case count written in it (the engine's invariants 10,000,
/// the page's suites 256), so no `PROPTEST_CASES` is set here: it would not change them.
fn native_tests(_root: &Path) -> Result<(), Error> {
    let mut command = shell::cargo();
    command.args(["test", "--workspace"]);
    run_counted(&mut command)
}

/// Runs a `cargo test` and adds what it passed and failed to the run's totals.
fn run_counted(command: &mut Command) -> Result<(), Error> {
    let output = shell::run_teed(command)?;
    add_to_totals(count_tests(&output));
    Ok(())
}

/// Adds tests passed and failed (from any runner) to the closing line.
fn add_to_totals((passed, failed): (u64, u64)) {
    TOTALS.with(|totals| {
        let mut totals = totals.borrow_mut();
        totals.0 += passed;
        totals.1 += failed;
    });
}

thread_local! {
    /// Tests passed and failed over the run, for the closing line.
    static TOTALS: std::cell::RefCell<(u64, u64)> = const { std::cell::RefCell::new((0, 0)) };
}

/// Sums cargo's `test result: ok. N passed; M failed; …` lines.
fn count_tests(output: &str) -> (u64, u64) {
    let number_before = |line: &str, word: &str| -> u64 {
        line.split(';')
            .find(|part| part.trim_end().ends_with(word))
            .and_then(|part| part.split_whitespace().rev().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    output
        .lines()
        .filter(|line| line.starts_with("test result:"))
        .fold((0, 0), |(p, f), line| (p + number_before(line, "passed"), f + number_before(line, "failed")))
}

/// `tests/web.rs` under `wasm-bindgen-test-runner` (the `.cargo/config.toml` runner), which
/// drives Chromium through chromedriver; set-up installs both.
fn browser_component_tests(_root: &Path) -> Result<(), Error> {
    let mut command = shell::cargo();
    command.args(["test", "-p", "delever", "--target", "wasm32-unknown-unknown", "--test", "web"]);
    run_counted(&mut command)
}

fn release_build(root: &Path) -> Result<(), Error> {
    build::run(root, &build::Options { release: true })
}

/// The browser tests against the `dist/` the previous step built, in every browser; counted in
/// the closing line, which also says how many passed in each browser.
fn end_to_end(root: &Path) -> Result<(), Error> {
    let outcome = e2e::run(root, &e2e::Options { build: false, only: None })?;
    add_to_totals((outcome.passed(), outcome.failed()));
    E2E_PER_BROWSER.with(|summary| *summary.borrow_mut() = outcome.per_browser());
    Ok(())
}

thread_local! {
    /// The end-to-end tests passed per browser (`chromium 112, firefox 12, webkit 12`), for the closing line.
    static E2E_PER_BROWSER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Bounded cargo-fuzz runs over scenario files (seeded with the presets), imported
/// spreadsheets, and the page's `#scenario=` addresses and postMessage data (`fuzz/`).
///
/// cargo-fuzz needs a nightly toolchain (for the sanitizer flags). Where the machine has
/// one, this installs cargo-fuzz from crates.io if missing and fuzzes each target for a
/// bounded time (80 s in all); where it has none, it says so and moves on (the README
/// tells how to run it by hand).
fn fuzz(root: &Path) -> Result<(), Error> {
    let nightly = || {
        let mut command = Command::new("cargo");
        // The outer `cargo xtask` runs under the stable toolchain; let `+nightly` choose.
        for key in ["RUSTUP_TOOLCHAIN", "RUSTC", "CARGO", "RUSTDOC", "CARGO_TARGET_DIR"] {
            command.env_remove(key);
        }
        command.arg("+nightly");
        command
    };
    if shell::probe(nightly().arg("--version")).is_none() {
        println!("skipped: no nightly toolchain on this machine (cargo-fuzz needs one); see README, Fuzzing");
        return Ok(());
    }
    if shell::probe(nightly().args(["fuzz", "--version"])).is_none() {
        shell::run(shell::cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let fuzz_dir = root.join("crates/delever-model/fuzz");
    let corpus = fuzz_dir.join("corpus/scenario");
    std::fs::create_dir_all(&corpus)?;
    for entry in std::fs::read_dir(root.join("www/presets"))?.flatten() {
        std::fs::copy(entry.path(), corpus.join(entry.file_name()))?;
    }
    shell::run(nightly().current_dir(root.join("crates/delever-model")).args([
        "fuzz",
        "run",
        "scenario",
        "--",
        "-max_total_time=30",
        "-max_len=65536",
    ]))?;
    // Arbitrary bytes as an imported .xlsx/.csv (crates/delever-sheets/fuzz).
    shell::run(nightly().current_dir(root.join("crates/delever-sheets")).args([
        "fuzz",
        "run",
        "import",
        "--",
        "-max_total_time=20",
        "-max_len=262144",
    ]))?;
    // The page's inputs from outside (fuzz/): `#scenario=` addresses and postMessage data,
    // seeded with each preset as a link and as a `delever:load` message.
    let page_fuzz = root.join("fuzz");
    let address_corpus = page_fuzz.join("corpus/address");
    let message_corpus = page_fuzz.join("corpus/message");
    std::fs::create_dir_all(&address_corpus)?;
    std::fs::create_dir_all(&message_corpus)?;
    for entry in std::fs::read_dir(root.join("www/presets"))?.flatten() {
        let json = std::fs::read_to_string(entry.path())?;
        let name = entry.file_name();
        std::fs::write(address_corpus.join(&name), format!("#scenario={}", base64url(json.as_bytes())))?;
        let message = format!("{{\"type\":\"delever:load\",\"scenario\":{}}}", json.trim());
        std::fs::write(message_corpus.join(&name), message)?;
    }
    for target in ["address", "message"] {
        shell::run(nightly().current_dir(root).args([
            "fuzz",
            "run",
            target,
            "--",
            "-max_total_time=15",
            "-max_len=65536",
        ]))?;
    }
    Ok(())
}

/// Base64url without padding (RFC 4648 §5), as the page's `#scenario=` links write it
/// (`src/codec.rs`; the xtask has no dependencies, so it is written again here).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let group = byte(0) << 16 | byte(1) << 8 | byte(2);
        for index in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((group >> (18 - 6 * index)) & 0x3f) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::count_tests;

    #[test]
    fn base64url_is_the_pages() {
        // RFC 4648 test vectors, unpadded.
        for (plain, encoded) in
            [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")]
        {
            assert_eq!(super::base64url(plain.as_bytes()), encoded);
        }
        assert_eq!(super::base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn counts_cargo_test_results() {
        let output = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
                      test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(count_tests(output), (4, 2));
    }
}
