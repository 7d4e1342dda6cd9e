//! `cargo xtask test`: the full check, the one command CI runs; stops at the first failing step.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::shell::{self, Error};
use crate::{build, setup};

/// What a step runs.
enum Action {
    /// `cargo` with these arguments.
    Cargo(&'static [&'static str]),
    /// A function of this xtask.
    Run(fn(&Path) -> Result<(), Error>),
}

/// The steps, in order: cheap checks first, so a formatting slip fails in seconds.
const STEPS: [(&str, Action); 8] = [
    ("setup", Action::Run(setup::run)),
    ("formatting", Action::Cargo(&["fmt", "--all", "--", "--check"])),
    ("clippy, native", Action::Cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])),
    (
        "clippy, the web app on wasm32",
        Action::Cargo(&[
            "clippy",
            "-p",
            "delever",
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
    ("the web app, release build", Action::Run(release_build)),
    ("fuzzing the scenario parser and engine (30 s)", Action::Run(fuzz)),
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
    Ok(())
}

/// `cargo test --workspace`: `--workspace` because the web app is not a default member.
/// The engine's property tests read `PROPTEST_CASES`; CI runs 10000 unless told otherwise.
fn native_tests(_root: &Path) -> Result<(), Error> {
    let mut command = shell::cargo();
    command.args(["test", "--workspace"]);
    if std::env::var_os("PROPTEST_CASES").is_none() {
        command.env("PROPTEST_CASES", "10000");
    }
    shell::run(&mut command)
}

fn release_build(root: &Path) -> Result<(), Error> {
    build::run(root, &build::Options { release: true })
}

/// A bounded cargo-fuzz run over scenario files, seeded with the presets.
///
/// cargo-fuzz needs a nightly toolchain (for the sanitizer flags). Where the machine has
/// one, this installs cargo-fuzz from crates.io if missing and fuzzes for 30 seconds;
/// where it has none, it says so and moves on (the README tells how to run it by hand).
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
    ]))
}
