//! Running external programs: echo the command, run it, turn a failure into an [`Error`].

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why an xtask command failed: a message for the person at the terminal.
#[derive(Debug)]
pub struct Error {
    message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error { message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::new(error.to_string())
    }
}

/// A `cargo` command, using the same cargo that runs this xtask (Cargo sets `$CARGO`).
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Prints `$ program args…` (with any environment overrides), runs it with inherited
/// standard streams, and fails unless it exits successfully.
pub fn run(command: &mut Command) -> Result<(), Error> {
    let shown = display(command);
    println!("$ {shown}");
    let status = command.status().map_err(|error| Error::new(format!("cannot run `{shown}`: {error}")))?;
    if status.success() { Ok(()) } else { Err(Error::new(format!("`{shown}` failed ({status})"))) }
}

/// Like [`run`], but also returns what the command printed on standard output
/// (echoed line by line as it comes, so progress stays visible).
pub fn run_teed(command: &mut Command) -> Result<String, Error> {
    let shown = display(command);
    let (captured, status) = run_teed_status(command)?;
    if status.success() { Ok(captured) } else { Err(Error::new(format!("`{shown}` failed ({status})"))) }
}

/// As [`run_teed`], but a command that fails is not an error: its output and exit status are
/// returned, for a caller that reads the output either way (e.g. to count failed tests).
pub fn run_teed_status(command: &mut Command) -> Result<(String, std::process::ExitStatus), Error> {
    use std::io::{BufRead, BufReader, Write};
    let shown = display(command);
    println!("$ {shown}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| Error::new(format!("cannot run `{shown}`: {error}")))?;
    let mut captured = String::new();
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout();
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            let _ = writeln!(out, "{line}");
            captured.push_str(&line);
            captured.push('\n');
        }
    }
    let status = child.wait()?;
    Ok((captured, status))
}

/// Runs a command quietly and returns its standard output, or `None` if it cannot
/// be started or fails. For probes such as `wasm-bindgen --version`.
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if output.status.success() { String::from_utf8(output.stdout).ok() } else { None }
}

/// The command as a person would type it.
pub fn display(command: &Command) -> String {
    let mut parts: Vec<String> = command
        .get_envs()
        .filter_map(|(key, value)| {
            value.map(|value| format!("{}={}", key.to_string_lossy(), value.to_string_lossy()))
        })
        .collect();
    let program = Path::new(command.get_program());
    // `$CARGO` is a full path into the toolchain; `cargo` reads better and means the same.
    let program_name = match program.file_name() {
        Some(name) if name == OsStr::new("cargo") => "cargo".to_string(),
        _ => program.to_string_lossy().into_owned(),
    };
    parts.push(program_name);
    parts.extend(command.get_args().map(|argument| quote(&argument.to_string_lossy())));
    parts.join(" ")
}

fn quote(argument: &str) -> String {
    let plain = !argument.is_empty()
        && argument.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,%".contains(c));
    if plain { argument.to_string() } else { format!("'{}'", argument.replace('\'', r"'\''")) }
}

/// Finds an executable by name on `$PATH`, then in Cargo's `bin` directory
/// (where `cargo install` puts things, even when that directory is not on `$PATH`).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path_dirs = std::env::var_os("PATH").map(|path| std::env::split_paths(&path).collect::<Vec<_>>());
    path_dirs
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_bin_dir())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    Some(home.join("bin"))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// Prints a warning line; used where a missing optional tool should not stop the run.
pub fn warn(message: &str) {
    eprintln!("xtask: warning: {message}");
}

#[cfg(test)]
mod tests {
    use super::{display, quote};
    use std::process::Command;

    #[test]
    fn commands_are_shown_as_typed() {
        let mut command = Command::new("/opt/rust/bin/cargo");
        command.args(["clippy", "--", "-D", "warnings"]).env("PROPTEST_CASES", "10000");
        assert_eq!(display(&command), "PROPTEST_CASES=10000 cargo clippy -- -D warnings");
    }

    #[test]
    fn odd_arguments_are_quoted() {
        assert_eq!(quote("dist/delever_bg.wasm"), "dist/delever_bg.wasm");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
