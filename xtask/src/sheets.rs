//! Building the spreadsheet module (`crates/delever-sheets`): its own wasm, loaded by the page only when someone imports or exports a workbook.
//!
//! The same steps as the page's build (`build.rs`): `cargo build` for wasm32 with the
//! `wasm-release` profile, `wasm-bindgen --target web`, then `wasm-opt -Oz`. The output goes
//! to `<out_dir>/sheets/`: `delever_sheets.js` (the glue, an ES module exporting
//! `importInstitutions`, `template`, `exportWorkbook` and the default `init`) and
//! `delever_sheets_bg.wasm`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::setup;
use crate::shell::{self, Error};

/// The package, and the name its glue and wasm are given.
const PACKAGE: &str = "delever-sheets";
const OUT_NAME: &str = "delever_sheets";

/// The sub-directory of the output directory the module goes to.
pub const SHEETS_DIR: &str = "sheets";

/// The wasm features rustc 1.95 enables for wasm32-unknown-unknown, stated to wasm-opt as
/// `build.rs` does (see its `WASM_OPT_FEATURES` for the measurement behind them).
const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the spreadsheet module into `<out_dir>/sheets/` (replacing what was there).
///
/// `release`: the `wasm-release` profile and `wasm-opt -Oz` (when installed); otherwise the
/// `dev` profile, fast to compile and large. `out_dir` is usually `dist/`, after the page's
/// own build (which clears `dist/`). Prints each file's size, raw and gzipped.
pub fn build_sheets(root: &Path, release: bool, out_dir: &Path) -> Result<(), Error> {
    let started = Instant::now();
    let (profile, profile_dir) = if release { ("wasm-release", "wasm-release") } else { ("dev", "debug") };
    println!("build: the spreadsheet module, profile {profile}");

    shell::run(shell::cargo().args([
        "build",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
        "-p",
        PACKAGE,
    ]))?;
    let wasm =
        target_dir(root).join("wasm32-unknown-unknown").join(profile_dir).join(format!("{OUT_NAME}.wasm"));

    let out = out_dir.join(SHEETS_DIR);
    if out.exists() {
        fs::remove_dir_all(&out)
            .map_err(|error| Error::new(format!("cannot clear {}: {error}", out.display())))?;
    }
    fs::create_dir_all(&out)?;

    wasm_bindgen(root, &wasm, &out)?;
    if release {
        wasm_opt(root, &out.join(format!("{OUT_NAME}_bg.wasm")))?;
    }
    print_sizes(&out)?;
    println!("build: {} ready in {:.1} s", out.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set, else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn wasm_bindgen(root: &Path, wasm: &Path, out: &Path) -> Result<(), Error> {
    let wanted = setup::locked_version(root, "wasm-bindgen")?;
    let program = match setup::installed_wasm_bindgen() {
        Some((program, version)) if version == wanted => program,
        Some((program, version)) => {
            return Err(Error::new(format!(
                "{} is version {version} but Cargo.lock has wasm-bindgen {wanted}; run `cargo xtask setup`",
                program.display()
            )));
        }
        None => return Err(Error::new("wasm-bindgen CLI not found; run `cargo xtask setup`")),
    };
    shell::run(
        Command::new(program)
            .args(["--target", "web", "--no-typescript", "--out-name", OUT_NAME, "--out-dir"])
            .arg(out)
            .arg(wasm),
    )
}

fn wasm_opt(root: &Path, wasm: &Path) -> Result<(), Error> {
    let program = setup::wasm_opt_path(root);
    if !program.exists() {
        shell::warn(
            "wasm-opt not installed (`cargo xtask setup` installs it); the spreadsheet wasm is not optimized further",
        );
        return Ok(());
    }
    let relative = wasm.strip_prefix(root).unwrap_or(wasm);
    shell::run(Command::new(program).arg("-Oz").args(WASM_OPT_FEATURES).arg(relative).arg("-o").arg(relative))
}

/// Prints each file of the module with its size raw and gzipped (`gzip -9`).
fn print_sizes(out: &Path) -> Result<(), Error> {
    let mut files: Vec<PathBuf> = fs::read_dir(out)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    println!("{:<32} {:>12} {:>12}", "sheets/", "bytes", "gzip -9");
    for file in &files {
        let raw = fs::metadata(file)?.len();
        let gzipped = gzip_size(file).map_or_else(|| "-".to_string(), |size| size.to_string());
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("{name:<32} {raw:>12} {gzipped:>12}");
    }
    Ok(())
}

fn gzip_size(file: &Path) -> Option<u64> {
    shell::find_program("gzip")?;
    let output = Command::new("gzip").args(["-9", "-c"]).arg(file).stderr(Stdio::null()).output().ok()?;
    output.status.success().then_some(output.stdout.len() as u64)
}
