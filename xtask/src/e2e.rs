//! `cargo xtask e2e` and `cargo xtask bench --browser`: the built page in real browsers, driven by `tests/e2e/`.
//!
//! The tests are JavaScript (node's own test runner), because they test what a person
//! and an embedding page see: the page as served, under its content security policy,
//! and `window.delever`. The full suite (`tests/e2e/*.test.mjs`, npm `playwright-core`)
//! runs in Chromium; the core tests (`tests/e2e/core/`, written once against the driver
//! layer of `tests/e2e/drivers/`) run in Chromium, Firefox ESR (npm `puppeteer-core` over
//! WebDriver BiDi) and WebKitGTK (`WebKitWebDriver` and MiniBrowser, under `xvfb-run`),
//! all three Debian's packages. This module prepares what they need and runs them: the
//! release `dist/`, the release command line (the tests compare the page with its output),
//! the browsers, the npm packages, and a server on a free port.

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

/// Where the core tests live (run in every browser), relative to the workspace root.
pub const CORE_DIR: &str = "tests/e2e/core";

/// Debian's Firefox ESR (`apt-get install firefox-esr`); `$FIREFOX` overrides it.
pub const DEFAULT_FIREFOX: &str = "/usr/bin/firefox-esr";

/// Debian's WebKitGTK WebDriver (`apt-get install webkit2gtk-driver`); `$WEBKIT_WEBDRIVER` overrides it.
pub const DEFAULT_WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";

/// Where Debian's `libwebkit2gtk-4.1-0` puts MiniBrowser, under `/usr/lib/<multiarch>/`; `$MINIBROWSER` overrides it.
const MINIBROWSER_UNDER_LIB: &str = "webkit2gtk-4.1/MiniBrowser";

/// How long one test may take before node's runner fails it, so that nothing hangs CI.
const TEST_TIMEOUT_MS: &str = "180000";

/// The browsers the tests run in: the full suite in Chromium, the core tests in all three.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
    Webkit,
}

impl Browser {
    pub const ALL: [Browser; 3] = [Browser::Chromium, Browser::Firefox, Browser::Webkit];

    /// The name the tests know it by (`DELEVER_BROWSER`) and the closing line shows.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
            Browser::Webkit => "webkit",
        }
    }

    /// `chromium`, `firefox` or `webkit` (for `cargo xtask e2e --browser`).
    pub fn parse(name: &str) -> Result<Browser, Error> {
        Browser::ALL.into_iter().find(|browser| browser.name() == name).ok_or_else(|| {
            Error::new(format!("unknown browser `{name}`: the tests run in chromium, firefox and webkit"))
        })
    }
}

/// What to prepare.
pub struct Options {
    /// Build the release `dist/` first (`cargo xtask test` has just built it, so it says no).
    pub build: bool,
    /// Run in this browser only (`--browser`); `None`: all three.
    pub only: Option<Browser>,
}

/// One browser's run: tests passed and failed, as node's test runner counted them, and how long it took.
pub struct BrowserRun {
    pub browser: Browser,
    pub passed: u64,
    pub failed: u64,
    pub seconds: f64,
}

/// Every browser's run, in the order they ran.
pub struct Outcome {
    pub runs: Vec<BrowserRun>,
}

impl Outcome {
    pub fn passed(&self) -> u64 {
        self.runs.iter().map(|run| run.passed).sum()
    }

    pub fn failed(&self) -> u64 {
        self.runs.iter().map(|run| run.failed).sum()
    }

    /// Tests passed per browser, for the closing line: `chromium 112, firefox 12, webkit 12`.
    pub fn per_browser(&self) -> String {
        let parts: Vec<String> =
            self.runs.iter().map(|run| format!("{} {}", run.browser.name(), run.passed)).collect();
        parts.join(", ")
    }
}

/// Prepares everything, serves `dist/`, runs `node --test`: in Chromium over `tests/e2e/*.test.mjs`
/// and `tests/e2e/core/*.test.mjs`, then in Firefox and in WebKit over the core tests.
///
/// Fails when a test fails, and also when a browser, node or npm is missing: a browser
/// test that cannot run is a failure, never a skip. Every browser runs even when an
/// earlier one failed, so that the counts say where.
pub fn run(root: &Path, options: &Options) -> Result<Outcome, Error> {
    let browsers: Vec<Browser> = match options.only {
        Some(browser) => vec![browser],
        None => Browser::ALL.to_vec(),
    };
    // The cheap checks first: a missing browser should not cost a release build to find out.
    let programs = browser_programs(&browsers)?;
    let environment = prepare(root, options, true)?;
    // offline.test.mjs opens the single file from disk; a release build writes it.
    let single_file = root.join(build::DIST).join(crate::dist::SINGLE_FILE);
    if !single_file.is_file() {
        return Err(Error::new(format!(
            "{} is missing; run `cargo xtask dist` (or `cargo xtask e2e` without --no-build)",
            single_file.display()
        )));
    }
    let suite = test_files(root, E2E_DIR)?;
    let core = test_files(root, CORE_DIR)?;
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for browser in browsers {
        let started = Instant::now();
        let files: Vec<&PathBuf> = match browser {
            Browser::Chromium => suite.iter().chain(&core).collect(),
            Browser::Firefox | Browser::Webkit => core.iter().collect(),
        };
        println!("\ne2e: {}, test files: {}", browser.name(), files.len());
        // WebKit's runs once hung in one of about ten (the reload test, never reproduced; every
        // WebDriver command is now bounded): a failed WebKit run is run once more, and said so
        // loudly. A test that fails twice fails the step.
        let attempts = if browser == Browser::Webkit { 2 } else { 1 };
        let (mut passed, mut failed, mut succeeded) = (0, 0, false);
        for attempt in 1..=attempts {
            // MiniBrowser is a GTK program: it needs a display, which xvfb-run gives it.
            let mut command = match browser {
                Browser::Webkit => {
                    let mut xvfb = Command::new("xvfb-run");
                    xvfb.args(["--auto-servernum", "--server-args=-screen 0 1280x1024x24", "node"]);
                    environment.with_env(xvfb)
                }
                Browser::Chromium | Browser::Firefox => environment.node(),
            };
            command
                .env("DELEVER_BROWSER", browser.name())
                .envs(programs.iter().map(|(key, path)| (key, path)));
            // The files are listed rather than the directory given: node 20 searches a directory,
            // node 22 reads its arguments as glob patterns; explicit files mean the same to both.
            command
                .args(["--test", "--test-reporter=spec", &format!("--test-timeout={TEST_TIMEOUT_MS}")])
                .args(files.iter().map(|path| path.strip_prefix(root).unwrap_or(path)));
            let (output, status) = shell::run_teed_status(&mut command)?;
            (passed, failed) = count_results(&output);
            succeeded = failed == 0 && passed > 0 && status.success();
            if succeeded || attempt == attempts {
                if !succeeded {
                    problems.push(format!("{}: {passed} passed, {failed} failed ({status})", browser.name()));
                }
                break;
            }
            shell::warn(&format!(
                "{}: {passed} passed, {failed} failed ({status}) on attempt {attempt}; running its tests once more",
                browser.name()
            ));
        }
        let seconds = started.elapsed().as_secs_f64();
        let verdict = if succeeded { "" } else { " (FAILED)" };
        println!("e2e: {}: {passed} passed, {failed} failed in {seconds:.1} s{verdict}", browser.name());
        runs.push(BrowserRun { browser, passed, failed, seconds });
    }
    let outcome = Outcome { runs };
    let times: Vec<String> =
        outcome.runs.iter().map(|run| format!("{} {:.0} s", run.browser.name(), run.seconds)).collect();
    println!(
        "e2e: {} passed, {} failed ({}; {})",
        outcome.passed(),
        outcome.failed(),
        outcome.per_browser(),
        times.join(", ")
    );
    if !problems.is_empty() {
        return Err(Error::new(format!("end-to-end tests failed: {}", problems.join("; "))));
    }
    Ok(outcome)
}

/// The `*.test.mjs` files of `dir` (not its subdirectories), sorted; none is an error.
fn test_files(root: &Path, dir: &str) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join(dir))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::new(format!("no *.test.mjs files in {dir}/")));
    }
    Ok(files)
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
        self.with_env(Command::new("node"))
    }

    /// `command` with the page's address, the command line and Chromium in its environment.
    fn with_env(&self, mut command: Command) -> Command {
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

/// What the core tests need beyond Chromium, for the browsers asked, as environment variables
/// for the driver layer: Firefox (`FIREFOX`), and WebKitWebDriver, MiniBrowser and xvfb-run.
/// Everything missing is named at once, with the way to install it.
fn browser_programs(browsers: &[Browser]) -> Result<Vec<(&'static str, PathBuf)>, Error> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut check = |key: &'static str, path: Option<PathBuf>, what: String| match path {
        Some(path) if path.is_file() => found.push((key, path)),
        Some(path) => missing.push(format!("{what} (not at {})", path.display())),
        None => missing.push(what),
    };
    let from_env = |key: &str| std::env::var_os(key).filter(|value| !value.is_empty()).map(PathBuf::from);
    if browsers.contains(&Browser::Firefox) {
        let firefox = from_env("FIREFOX").unwrap_or_else(|| PathBuf::from(DEFAULT_FIREFOX));
        check("FIREFOX", Some(firefox), "Firefox ESR (package firefox-esr, or $FIREFOX)".into());
    }
    if browsers.contains(&Browser::Webkit) {
        let driver = from_env("WEBKIT_WEBDRIVER").unwrap_or_else(|| PathBuf::from(DEFAULT_WEBKIT_WEBDRIVER));
        check(
            "WEBKIT_WEBDRIVER",
            Some(driver),
            "WebKitWebDriver (package webkit2gtk-driver, or $WEBKIT_WEBDRIVER)".into(),
        );
        let minibrowser = from_env("MINIBROWSER").or_else(find_minibrowser);
        check(
            "MINIBROWSER",
            minibrowser,
            "MiniBrowser (package libwebkit2gtk-4.1-0, or $MINIBROWSER)".into(),
        );
        check("XVFB_RUN", shell::find_program("xvfb-run"), "xvfb-run (package xvfb)".into());
    }
    if missing.is_empty() {
        return Ok(found);
    }
    Err(Error::new(format!(
        "the end-to-end tests need {}. Install them with `cargo xtask setup` (as root, or with CI=true) \
         or `sudo apt-get install -y firefox-esr webkit2gtk-driver xvfb`",
        missing.join(", ")
    )))
}

/// MiniBrowser under `/usr/lib/<multiarch>/webkit2gtk-4.1/`, as Debian installs it (`dpkg -L libwebkit2gtk-4.1-0`).
pub fn find_minibrowser() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = fs::read_dir("/usr/lib")
        .ok()?
        .flatten()
        .map(|entry| entry.path().join(MINIBROWSER_UNDER_LIB))
        .chain(std::iter::once(Path::new("/usr/lib").join(MINIBROWSER_UNDER_LIB)))
        .filter(|path| path.is_file())
        .collect();
    candidates.sort();
    candidates.into_iter().next()
}

/// `npm ci` in `tests/e2e/` when its packages are missing or older than its lockfile.
///
/// `npm ci` installs exactly `package-lock.json` (playwright-core and puppeteer-core, pinned;
/// neither downloads a browser, and `PUPPETEER_SKIP_DOWNLOAD` says so to puppeteer anyway). npm keeps a copy of what it installed in `node_modules/.package-lock.json`;
/// a lockfile newer than that copy means the pin changed since the last install.
fn npm_packages(root: &Path) -> Result<(), Error> {
    let dir = root.join(E2E_DIR);
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |path: &Path| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let up_to_date = match (modified(&installed), modified(&dir.join("package-lock.json"))) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    let installed_all = ["playwright-core", "puppeteer-core"]
        .iter()
        .all(|package| dir.join("node_modules").join(package).join("package.json").is_file());
    if up_to_date && installed_all {
        return Ok(());
    }
    if shell::find_program("npm").is_none() {
        return Err(Error::new(format!("npm not found; it installs the test packages of {E2E_DIR}/")));
    }
    println!("e2e: installing the test packages ({E2E_DIR}/package-lock.json)");
    shell::run(Command::new("npm").current_dir(&dir).env("PUPPETEER_SKIP_DOWNLOAD", "true").args([
        "ci",
        "--no-audit",
        "--no-fund",
    ]))
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
    use super::{Browser, BrowserRun, Outcome, count_results};

    #[test]
    fn counts_per_browser_for_the_closing_line() {
        let run = |browser, passed, failed| BrowserRun { browser, passed, failed, seconds: 1.0 };
        let outcome = Outcome {
            runs: vec![
                run(Browser::Chromium, 112, 0),
                run(Browser::Firefox, 11, 1),
                run(Browser::Webkit, 12, 0),
            ],
        };
        assert_eq!((outcome.passed(), outcome.failed()), (135, 1));
        assert_eq!(outcome.per_browser(), "chromium 112, firefox 11, webkit 12");
        for browser in Browser::ALL {
            assert_eq!(Browser::parse(browser.name()).ok(), Some(browser));
        }
        assert!(Browser::parse("safari").is_err());
    }

    #[test]
    fn reads_the_spec_reporters_totals() {
        let output = "✔ the page loads (12ms)\nℹ tests 12\nℹ suites 2\nℹ pass 11\nℹ fail 1\nℹ cancelled 0\n\
                      ℹ skipped 0\nℹ todo 0\nℹ duration_ms 3519.1\n";
        assert_eq!(count_results(output), (11, 1));
        assert_eq!(count_results("no totals here\n"), (0, 0));
    }
}
