//! Project automation for Delever, run as `cargo xtask <command>` (the alias lives in `.cargo/config.toml`).
//!
//! Every command a person or CI runs goes through here, so that both run the same
//! steps. The crate uses the standard library only: it has to compile on a fresh
//! machine before `setup` has installed anything, and independently of the engine.

mod args;
mod bench;
mod build;
mod dist;
mod e2e;
mod serve;
mod setup;
mod sheets;
mod shell;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use args::Args;
use shell::Error;

const HELP: &str = "\
cargo xtask <command> [options]

commands:
  setup                      install what building and testing need (idempotent)
  build [--dev]              build the web app into dist/: the wasm-release profile, then
                             wasm-opt when installed, then dist/delever.html (--dev: a fast
                             unoptimised build, without delever.html)
  dist                       the release build, then where its two results go: dist/ (the
                             site to host under the content security policy) and
                             dist/delever.html (everything in one file, for opening from
                             disk with no network: a USB stick, a meeting-room PC)
  serve [--dev] [--port N]   build, then serve dist/ on http://127.0.0.1:N/
                             (default port: $PORT, else 8080)
  test                       the full check CI runs: setup, fmt, clippy, tests,
                             wasm builds, end-to-end tests
  e2e [--no-build] [--browser chromium|firefox|webkit]
                             end-to-end tests of the release page (tests/e2e/, node --test):
                             the full suite in headless Chromium, the core tests
                             (tests/e2e/core/) in Chromium, Firefox ESR and WebKitGTK
                             (--no-build: use dist/ as it is; --browser: that one only)
  bench [ARGS...]            run the engine benchmark (delever-model's `bench` example)
  bench --browser [--no-build]
                             page weight, load time and input-to-repaint in headless
                             Chromium, for dist/ over http and delever.html from disk
                             (tests/e2e/bench.mjs)
  help                       this text
";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match run(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(arguments: Vec<String>) -> Result<(), Error> {
    let root = project_root();
    std::env::set_current_dir(&root)
        .map_err(|error| Error::new(format!("cannot enter {}: {error}", root.display())))?;
    let mut arguments = arguments.into_iter();
    let Some(command) = arguments.next() else {
        print!("{HELP}");
        return Ok(());
    };
    let mut args = Args::new(arguments.collect());
    match command.as_str() {
        "setup" => {
            args.finish()?;
            setup::run(&root)
        }
        "build" => {
            let options = build::Options { release: !args.flag("--dev") };
            args.finish()?;
            build::run(&root, &options)
        }
        "dist" => {
            args.finish()?;
            dist::run(&root)
        }
        "serve" => {
            let options = serve::Options::from_args(&mut args)?;
            args.finish()?;
            serve::run(&root, &options)
        }
        "test" => {
            args.finish()?;
            test::run(&root)
        }
        "e2e" => {
            let only = args.value("--browser")?.map(|name| e2e::Browser::parse(&name)).transpose()?;
            let options = e2e::Options { build: !args.flag("--no-build"), only };
            args.finish()?;
            e2e::run(&root, &options).map(|_| ())
        }
        "bench" if args.flag("--browser") => {
            let options =
                e2e::Options { build: !args.flag("--no-build"), only: Some(e2e::Browser::Chromium) };
            args.finish()?;
            e2e::bench(&root, &options)
        }
        "bench" => bench::run(args.rest()),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(Error::new(format!("unknown command `{other}`; try `cargo xtask help`"))),
    }
}

/// The workspace root: the parent of this crate's directory, wherever the command is run from.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
