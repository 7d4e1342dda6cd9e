//! `cargo xtask e2e` and `cargo xtask bench --browser`: the built page in headless Chromium, driven by `tests/e2e/`.
//!
//! The tests are JavaScript (npm `playwright-core`, node's own test runner), because
//! they test what a person and an embedding page see: the page as served, under its
//! content security policy, and `window.delever`. This module prepares what they need
//! and runs them: the release `dist/`, the release command line (the tests compare the
//! page with its output), Chromium, the npm packages, and a server on a free port.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::shell::{self, Error};
use crate::{build, serve};

/// Where the browser tests live, relative to the workspace root.
pub const E2E_DIR: &str = "tests/e2e";

/// The Chromium Debian installs (`apt-get install chromium`); `$CHROMIUM` overrides it.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// How long one test may take before node's runner fails it, so that nothing hangs CI.
const TEST_TIMEOUT_MS: &str = "180000";

/// What to prepare.
pub struct Options {
    /// Build the release `dist/` first (`cargo xtask test` has just built it, so it says no).
    pub build: bool,
}

/// Tests passed and failed, as node's test runner counted them.
pub struct Outcome {
    pub passed: u64,
    pub failed: u64,
}

/// Prepares everything, serves `dist/`, runs `node --test` over `tests/e2e/*.test.mjs`.
///
/// Fails when a test fails, and also when Chromium, node or npm is missing: a browser
/// test that cannot run is a failure, never a skip.
pub fn run(root: &Path, options: &Options) -> Result<Outcome, Error> {
    let started = Instant::now();
    let environment = prepare(root, options, true)?;
    // offline.test.mjs opens the single file from disk; a release build writes it.
    let single_file = root.join(build::DIST).join(crate::dist::SINGLE_FILE);
    if !single_file.is_file() {
        return Err(Error::new(format!(
            "{} is missing; run `cargo xtask dist` (or `cargo xtask e2e` without --no-build)",
            single_file.display()
        )));
    }
    let mut test_files: Vec<PathBuf> = fs::read_dir(root.join(E2E_DIR))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    test_files.sort();
    if test_files.is_empty() {
        return Err(Error::new(format!("no *.test.mjs files in {E2E_DIR}/")));
    }
    // The files are listed rather than the directory given: node 20 searches a directory,
    // node 22 reads its arguments as glob patterns; explicit files mean the same to both.
    let mut command = environment.node();
    command
        .args(["--test", "--test-reporter=spec", &format!("--test-timeout={TEST_TIMEOUT_MS}")])
        .args(test_files.iter().map(|path| path.strip_prefix(root).unwrap_or(path)));
    let output = shell::run_teed(&mut command);
    let output = output.map_err(|error| Error::new(format!("end-to-end tests failed: {error}")))?;
    let (passed, failed) = count_results(&output);
    println!("e2e: {passed} passed, {failed} failed in {:.1} s", started.elapsed().as_secs_f64());
    if failed > 0 || passed == 0 {
        return Err(Error::new(format!("end-to-end tests: {passed} passed, {failed} failed")));
    }
    Ok(Outcome { passed, failed })
}

/// `cargo xtask bench --browser`: page weight, load time and input-to-repaint in headless Chromium
/// (`tests/e2e/bench.mjs`), for the hosted `dist/` and, beside it, the single file from disk.
pub fn bench(root: &Path, options: &Options) -> Result<(), Error> {
    let environment = prepare(root, options, false)?;
    shell::run(environment.node().arg(Path::new(E2E_DIR).join("bench.mjs")))
}

/// What the node scripts are told: the page's address, the command line, the browser.
struct Environment {
    url: String,
    cli: Option<PathBuf>,
    chromium: PathBuf,
}

impl Environment {
    fn node(&self) -> Command {
        let mut command = Command::new("node");
        command.env("DELEVER_E2E_URL", &self.url).env("CHROMIUM", &self.chromium);
        if let Some(cli) = &self.cli {
            command.env("DELEVER_CLI", cli);
        }
        command
    }
}

/// Checks the tools, builds what is asked (`dist/`; the release command line when `with_cli`),
/// and starts the server.
fn prepare(root: &Path, options: &Options, with_cli: bool) -> Result<Environment, Error> {
    // The cheap checks first: a missing browser should not cost a release build to find out.
    let chromium = chromium()?;
    if shell::find_program("node").is_none() {
        return Err(Error::new("node not found; the end-to-end tests run under Node.js 20 or later"));
    }
    npm_packages(root)?;
    if options.build {
        build::run(root, &build::Options { release: true })?;
    }
    let cli = if with_cli { Some(release_cli(root)?) } else { None };
    if !root.join(build::DIST).join("index.html").is_file() {
        return Err(Error::new(format!("{}/index.html is missing; run `cargo xtask build`", build::DIST)));
    }
    let port = serve::spawn_background(root)?;
    let url = format!("http://127.0.0.1:{port}/");
    println!("e2e: serving {}/ at {url}", build::DIST);
    Ok(Environment { url, cli, chromium })
}

/// Builds the release command line (the tests compare the page with its output); returns its path.
fn release_cli(root: &Path) -> Result<PathBuf, Error> {
    println!("e2e: the release command line (the tests compare the page with its output)");
    shell::run(shell::cargo().args(["build", "--release", "-p", "delever-cli"]))?;
    let cli = target_dir(root).join("release").join("delever-cli");
    if cli.is_file() {
        Ok(cli)
    } else {
        Err(Error::new(format!("{} is missing after the build", cli.display())))
    }
}

/// The Chromium to drive: `$CHROMIUM`, else Debian's. Missing is an error with the way to fix it.
fn chromium() -> Result<PathBuf, Error> {
    let (path, from_env) = match std::env::var_os("CHROMIUM").filter(|value| !value.is_empty()) {
        Some(value) => (PathBuf::from(value), true),
        None => (PathBuf::from(DEFAULT_CHROMIUM), false),
    };
    if path.is_file() {
        return Ok(path);
    }
    let origin = if from_env { "$CHROMIUM" } else { "the default path" };
    Err(Error::new(format!(
        "Chromium not found at {} ({origin}); the end-to-end tests need it. Install it with \
         `cargo xtask setup` (as root, or with CI=true) or `sudo apt-get install -y chromium fonts-wqy-microhei`, \
         or set CHROMIUM to a Chromium or Chrome binary",
        path.display()
    )))
}

/// `npm ci` in `tests/e2e/` when its packages are missing or older than its lockfile.
///
/// `npm ci` installs exactly `package-lock.json` (playwright-core, pinned; it downloads
/// no browser). npm keeps a copy of what it installed in `node_modules/.package-lock.json`;
/// a lockfile newer than that copy means the pin changed since the last install.
fn npm_packages(root: &Path) -> Result<(), Error> {
    let dir = root.join(E2E_DIR);
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |path: &Path| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let up_to_date = match (modified(&installed), modified(&dir.join("package-lock.json"))) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if up_to_date && dir.join("node_modules/playwright-core/package.json").is_file() {
        return Ok(());
    }
    if shell::find_program("npm").is_none() {
        return Err(Error::new(format!("npm not found; it installs the test packages of {E2E_DIR}/")));
    }
    println!("e2e: installing the test packages ({E2E_DIR}/package-lock.json)");
    shell::run(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set, else `target/` (as in build.rs).
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Reads the totals of node's spec reporter (`ℹ pass 9`, `ℹ fail 0`).
fn count_results(output: &str) -> (u64, u64) {
    let total = |word: &str| -> u64 {
        output
            .lines()
            .filter_map(|line| line.trim().strip_prefix('ℹ'))
            .filter_map(|rest| rest.trim().strip_prefix(word))
            .filter_map(|number| number.trim().parse::<u64>().ok())
            .sum()
    };
    (total("pass "), total("fail "))
}

#[cfg(test)]
mod tests {
    use super::count_results;

    #[test]
    fn reads_the_spec_reporters_totals() {
        let output = "✔ the page loads (12ms)\nℹ tests 12\nℹ suites 2\nℹ pass 11\nℹ fail 1\nℹ cancelled 0\n\
                      ℹ skipped 0\nℹ todo 0\nℹ duration_ms 3519.1\n";
        assert_eq!(count_results(output), (11, 1));
        assert_eq!(count_results("no totals here\n"), (0, 0));
    }
}
