//! `delever-cli`: the command line of the Delever engine (MODEL.md section 8).
//!
//! `main` only parses the arguments, dispatches to [`commands::run`] and turns the result
//! into output and an exit code: 0 success, 2 invalid or infeasible input (clap's usage
//! errors use 2 as well), 1 when standard output cannot be written.

mod args;
mod commands;
mod format;
mod input;
mod threads;

use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;
use delever_cli::diagnostic::{Failure, Language};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let language = cli.lang.unwrap_or_default();
    match commands::run(cli.command, language) {
        Ok(output) => write_stdout(&output, language),
        Err(failure) => {
            write_stderr(&failure, language);
            ExitCode::from(2)
        }
    }
}

/// Writes the whole output; a reader that went away (`| head`) is not an error.
fn write_stdout(output: &str, language: Language) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            let failure =
                Failure::one(format!("cannot write the output: {err}"), format!("无法写出结果：{err}"));
            write_stderr(&failure, language);
            ExitCode::FAILURE
        }
    }
}

fn write_stderr(failure: &Failure, language: Language) {
    // Nothing useful is left to do if standard error itself is closed.
    let _ = io::stderr().lock().write_all(failure.render(language).as_bytes());
}
