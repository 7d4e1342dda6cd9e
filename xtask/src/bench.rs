//! `cargo xtask bench`: run the engine benchmark, the `bench` example of `delever-model`, in release mode.

use crate::shell::{self, Error};

/// Runs `cargo run --release -p delever-model --example bench -- ARGS…`, output passed through.
pub fn run(arguments: Vec<String>) -> Result<(), Error> {
    shell::run(
        shell::cargo()
            .args(["run", "--release", "-p", "delever-model", "--example", "bench", "--"])
            .args(arguments),
    )
}
