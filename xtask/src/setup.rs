//! `cargo xtask setup`: install what building and testing need, skipping whatever is already there.
//!
//! Each step checks before it installs, so running it again costs a few probes.
//! Required tools (the wasm32 target, the wasm-bindgen CLI) stop the run when
//! they fail; optional ones (wasm-opt, the browsers) only warn.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::{self, Error};

/// The binaryen release whose `wasm-opt` understands what Rust 1.95 and wasm-bindgen emit
/// (Debian's binaryen 108 and the `wasm-opt` crate's 116 reject `table.fill`; see TOOLCHAIN.md).
pub const BINARYEN_VERSION: &str = "132";

pub fn run(root: &Path) -> Result<(), Error> {
    wasm_target()?;
    wasm_bindgen_cli(root)?;
    wasm_opt(root);
    browser();
    println!("setup: done");
    Ok(())
}

/// Where `npm install --prefix tools binaryen@…` puts `wasm-opt`.
pub fn wasm_opt_path(root: &Path) -> PathBuf {
    root.join("tools/node_modules/.bin/wasm-opt")
}

/// The version of `package` recorded in `Cargo.lock`.
///
/// Cargo writes the lockfile before it runs this xtask, so it exists here even on a fresh clone.
pub fn locked_version(root: &Path, package: &str) -> Result<String, Error> {
    let lock_path = root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|error| Error::new(format!("cannot read {}: {error}", lock_path.display())))?;
    version_in_lockfile(&lock, package).ok_or_else(|| Error::new(format!("`{package}` is not in Cargo.lock")))
}

/// The version the installed `wasm-bindgen` reports (`wasm-bindgen 0.2.130` → `0.2.130`).
pub fn installed_wasm_bindgen() -> Option<(PathBuf, String)> {
    let program = shell::find_program("wasm-bindgen")?;
    let output = shell::probe(Command::new(&program).arg("--version"))?;
    let version = output.split_whitespace().nth(1)?.to_string();
    Some((program, version))
}

fn wasm_target() -> Result<(), Error> {
    println!("setup: wasm32-unknown-unknown target");
    // Cheap when already installed; rust-toolchain.toml normally has rustup add it anyway.
    if shell::find_program("rustup").is_some() {
        shell::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
    } else {
        shell::warn("rustup not found; assuming the wasm32-unknown-unknown target is installed");
        Ok(())
    }
}

fn wasm_bindgen_cli(root: &Path) -> Result<(), Error> {
    let wanted = locked_version(root, "wasm-bindgen")?;
    println!("setup: wasm-bindgen CLI {wanted} (the version of the wasm-bindgen crate in Cargo.lock)");
    match installed_wasm_bindgen() {
        Some((program, version)) if version == wanted => {
            println!("setup: {} is {version}; skipping", program.display());
            return Ok(());
        }
        Some((program, version)) => {
            println!("setup: {} is {version}; installing {wanted}", program.display())
        }
        None => println!("setup: wasm-bindgen not found; installing {wanted} (2-4 minutes)"),
    }
    // No `--locked`: the CLI's own lockfile asks for a webpki-roots release the registry lacks.
    shell::run(shell::cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    match installed_wasm_bindgen() {
        Some((_, version)) if version == wanted => Ok(()),
        Some((program, version)) => Err(Error::new(format!(
            "{} still reports {version} after installing {wanted}; is another copy earlier on PATH?",
            program.display()
        ))),
        None => Err(Error::new("wasm-bindgen is not runnable after `cargo install`")),
    }
}

fn wasm_opt(root: &Path) {
    println!("setup: wasm-opt (binaryen {BINARYEN_VERSION}, from npm, under tools/)");
    let program = wasm_opt_path(root);
    let wanted = format!("version {BINARYEN_VERSION}");
    if let Some(version) = shell::probe(Command::new(&program).arg("--version"))
        && version.contains(&wanted)
    {
        println!("setup: {} is {}; skipping", program.display(), version.trim());
        return;
    }
    if shell::find_program("npm").is_none() {
        shell::warn("npm not found; building without wasm-opt (the wasm stays larger)");
        return;
    }
    let install = shell::run(Command::new("npm").args([
        "install",
        "--prefix",
        "tools",
        "--no-audit",
        "--no-fund",
        &format!("binaryen@{BINARYEN_VERSION}"),
    ]));
    if let Err(error) = install {
        shell::warn(&format!("{error}; building without wasm-opt (the wasm stays larger)"));
    }
}

/// The browsers of the end-to-end tests, all Debian's packages: Chromium and chromedriver
/// (the full suite and the component tests), with a small CJK font so that screenshots of
/// the Chinese page show characters, not boxes; Firefox ESR (driven over WebDriver BiDi);
/// WebKitGTK's WebDriver (`webkit2gtk-driver`, which brings MiniBrowser) and `xvfb` (MiniBrowser
/// needs a display). No browser comes from anywhere else: the npm drivers download none.
///
/// Installed with apt only when missing, and only where that is expected:
/// as root, or on CI (`CI=true`, through `sudo -n` when not root). Elsewhere
/// the step prints the command to run instead. A failure here is a warning; the
/// end-to-end step (`cargo xtask e2e`) then fails, saying what is missing.
fn browser() {
    println!(
        "setup: chromium, chromium-driver, a CJK font, firefox-esr, webkit2gtk-driver and xvfb (browser tests)"
    );
    let has_cjk_font = shell::probe(Command::new("fc-list").args([":lang=zh", "family"]))
        .is_some_and(|families| !families.trim().is_empty());
    let missing: Vec<&str> = [
        ("chromium", shell::find_program("chromium").is_some()),
        ("chromium-driver", shell::find_program("chromedriver").is_some()),
        ("fonts-wqy-microhei", has_cjk_font),
        ("firefox-esr", shell::find_program("firefox-esr").is_some()),
        (
            "webkit2gtk-driver",
            shell::find_program("WebKitWebDriver").is_some() && crate::e2e::find_minibrowser().is_some(),
        ),
        ("xvfb", shell::find_program("xvfb-run").is_some()),
    ]
    .into_iter()
    .filter_map(|(package, present)| (!present).then_some(package))
    .collect();
    if missing.is_empty() {
        println!(
            "setup: chromium, chromedriver, a CJK font, firefox-esr, WebKitWebDriver with MiniBrowser and xvfb-run found; skipping"
        );
        return;
    }
    let on_ci = std::env::var("CI").is_ok_and(|value| value == "true");
    let as_root = shell::probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let apt = |arguments: &[&str]| {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command.args(arguments).env("DEBIAN_FRONTEND", "noninteractive");
        shell::run(&mut command)
    };
    if !(as_root || on_ci) {
        shell::warn(&format!(
            "{} not installed; install with `sudo apt-get install -y {}`",
            missing.join(" and "),
            missing.join(" ")
        ));
        return;
    }
    let installed =
        apt(&["update", "-q"]).and_then(|()| apt(&[&["install", "-y", "-q"][..], &missing].concat()));
    if let Err(error) = installed {
        shell::warn(&format!("could not install {}: {error}", missing.join(" ")));
    }
}

fn version_in_lockfile(lock: &str, package: &str) -> Option<String> {
    let wanted_name = format!("name = \"{package}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted_name {
            let version = lines.next()?.strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::version_in_lockfile;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[track_caller]
    fn check(package: &str, expected: Option<&str>) {
        assert_eq!(version_in_lockfile(LOCK, package).as_deref(), expected);
    }

    #[test]
    fn finds_the_exact_package() {
        check("wasm-bindgen", Some("0.2.130"));
        check("wasm-bindgen-macro", Some("0.2.130"));
        check("wasm", None);
        check("yew", None);
    }
}
