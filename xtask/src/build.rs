//! `cargo xtask build`: compile the Yew app to wasm32, generate the JS glue, optimize, assemble `dist/`.
//!
//! `dist/` holds only files, no inline script or style, so the page runs under
//! `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`:
//! `index.html` loads `boot.js`, which imports the wasm-bindgen glue `delever.js`,
//! which fetches `delever_bg.wasm`.
//!
//! A release build ends with `dist/delever.html` (`dist.rs`): the same page in one file, for
//! opening from disk. It is no part of the hosted site's load (nothing refers to it).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::setup;
use crate::shell::{self, Error};

/// How to build.
pub struct Options {
    /// The `wasm-release` profile (size-optimized, fat LTO) followed by `wasm-opt -Oz`.
    /// Without it: the `dev` profile, which compiles much faster and is much larger.
    pub release: bool,
}

/// The engine's Web Worker module (`crates/delever-worker`), its glue's name, and where it goes
/// in `dist/` (`www/worker.js` imports `./worker/delever_worker.js`).
const WORKER_PACKAGE: &str = "delever-worker";
const WORKER_OUT_NAME: &str = "delever_worker";
const WORKER_DIR: &str = "worker";

/// The output directory, relative to the workspace root.
pub const DIST: &str = "dist";

/// The wasm features rustc 1.95 enables by default for wasm32-unknown-unknown.
///
/// binaryen 132 also reads them from the module's `target_features` section, which
/// wasm-bindgen 0.2.130 keeps; they are stated anyway so that a module without
/// that section still validates. Measured on this app with the section stripped:
/// without bulk-memory, nontrapping-float-to-int, reference-types or multivalue,
/// wasm-opt rejects the module (e.g. "memory.copy operations require bulk memory").
const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// What wasm-opt may assume about the module beyond the wasm spec.
///
/// `--low-memory-unused`: no pointer is below 1024, so constant offsets fold into loads
/// and stores. True of our modules: rust-lld puts the 1 MiB stack first and the data from
/// address 1048576 (checked), so only the stack's last kilobyte lies below 1024, and a
/// stack that deep has overflowed anyway; Emscripten passes the same flag whenever its
/// data starts at 1024 or above. Measured: the page's wasm 2.3 KB gzipped smaller, the
/// spreadsheet module's 4.6 KB. (`--converge` would save 0.3 KB more for twice the time.)
const WASM_OPT_ASSUMPTIONS: [&str; 1] = ["--low-memory-unused"];

pub fn run(root: &Path, options: &Options) -> Result<(), Error> {
    let started = Instant::now();
    let dist = root.join(DIST);
    if dist.exists() {
        fs::remove_dir_all(&dist)
            .map_err(|error| Error::new(format!("cannot clear {}: {error}", dist.display())))?;
    }
    fs::create_dir_all(&dist)?;
    println!("build: the web app");
    compile_module(root, options.release, "delever", "delever", &dist)?;
    copy_index(root, &dist)?;
    copy_tree(&root.join("www"), &dist)?;
    // The spreadsheet module: its own wasm, fetched by the page only on first use.
    crate::sheets::build_sheets(root, options.release, &dist)?;
    // The engine's worker module: fetched by `worker.js` when a large scenario first runs.
    compile_module(root, options.release, WORKER_PACKAGE, WORKER_OUT_NAME, &dist.join(WORKER_DIR))?;
    // The single file, from what is now in dist/ (a debug build's wasm is too large to carry).
    let single_file = if options.release { Some(crate::dist::write_single_file(&dist)?) } else { None };

    print_sizes(&dist)?;
    if let Some(bytes) = single_file {
        let path = dist.join(crate::dist::SINGLE_FILE);
        println!("{}: {}, the page in one file", path.display(), crate::dist::describe_size(&path, bytes));
    }
    println!("build: {} ready in {:.1} s", dist.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// Builds `package` for wasm32 (the `wasm-release` profile and `wasm-opt -Oz` when
/// `release`, else `dev`) and writes its wasm-bindgen glue (`--target web`) and wasm to
/// `out_dir` as `<out_name>.js` and `<out_name>_bg.wasm`.
pub fn compile_module(
    root: &Path,
    release: bool,
    package: &str,
    out_name: &str,
    out_dir: &Path,
) -> Result<(), Error> {
    let (profile, profile_dir) = if release { ("wasm-release", "wasm-release") } else { ("dev", "debug") };
    println!("build: {package}, profile {profile}");
    shell::run(shell::cargo().args([
        "build",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
        "-p",
        package,
    ]))?;
    let artifact = format!("{}.wasm", package.replace('-', "_"));
    let wasm = target_dir(root).join("wasm32-unknown-unknown").join(profile_dir).join(artifact);
    fs::create_dir_all(out_dir)?;
    wasm_bindgen(root, &wasm, out_dir, out_name)?;
    if release {
        wasm_opt(root, &out_dir.join(format!("{out_name}_bg.wasm")))?;
    }
    Ok(())
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set, else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn wasm_bindgen(root: &Path, wasm: &Path, out_dir: &Path, out_name: &str) -> Result<(), Error> {
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
            .args(["--target", "web", "--no-typescript", "--out-name", out_name, "--out-dir"])
            .arg(out_dir)
            .arg(wasm),
    )
}

fn wasm_opt(root: &Path, wasm: &Path) -> Result<(), Error> {
    let program = setup::wasm_opt_path(root);
    if !program.exists() {
        shell::warn(
            "wasm-opt not installed (`cargo xtask setup` installs it); the wasm is not optimized further",
        );
        return Ok(());
    }
    let relative = wasm.strip_prefix(root).unwrap_or(wasm);
    shell::run(
        Command::new(program)
            .arg("-Oz")
            .args(WASM_OPT_ASSUMPTIONS)
            .args(WASM_OPT_FEATURES)
            .arg(relative)
            .arg("-o")
            .arg(relative),
    )
}

/// Copies `index.html`, refusing one the content security policy would break.
fn copy_index(root: &Path, dist: &Path) -> Result<(), Error> {
    let html = fs::read_to_string(root.join("index.html"))?;
    let problems = inline_code(&html);
    if !problems.is_empty() {
        return Err(Error::new(format!(
            "index.html has inline code, which the content security policy blocks: {}",
            problems.join("; ")
        )));
    }
    fs::write(dist.join("index.html"), html)?;
    Ok(())
}

/// Inline scripts, inline styles and event-handler attributes in `html`.
///
/// A plain scan of the tags, not an HTML parser: enough for our own page,
/// where it guards against someone adding a quick `<style>` or `onclick`.
fn inline_code(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut problems = Vec::new();
    for (start, _) in lower.match_indices('<') {
        let tag = match lower[start..].find('>') {
            Some(end) => &lower[start..=start + end],
            None => &lower[start..],
        };
        let name: String = tag[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name == "style" {
            problems.push("a <style> element".to_string());
        }
        if name == "script" && !has_attribute(tag, "src") {
            problems.push("a <script> without src".to_string());
        }
        if has_attribute(tag, "style") {
            problems.push(format!("a style attribute on <{name}>"));
        }
        if let Some(handler) = attribute_names(tag).into_iter().find(|attribute| attribute.starts_with("on"))
        {
            problems.push(format!("an event handler `{handler}` on <{name}>"));
        }
        if tag.contains("javascript:") {
            problems.push(format!("a javascript: URL on <{name}>"));
        }
    }
    problems
}

/// The attribute names of one tag (`<name a="x" b c=d>`), read as the single file reads them.
fn attribute_names(tag: &str) -> Vec<String> {
    let body = tag.trim_start_matches('<').trim_end_matches('>');
    let inside = body.trim_start_matches(|c: char| !c.is_ascii_whitespace());
    crate::dist::parse_attributes(inside).into_iter().map(|(name, _)| name).collect()
}

fn has_attribute(tag: &str, wanted: &str) -> bool {
    attribute_names(tag).iter().any(|name| name == wanted)
}

/// Copies every file under `from` into `to`, keeping the layout; skips dotfiles.
fn copy_tree(from: &Path, to: &Path) -> Result<(), Error> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Prints each file of `dist/` with its size raw and gzipped (`gzip -9`), and the totals;
/// without the single file, which repeats them all.
fn print_sizes(dist: &Path) -> Result<(), Error> {
    let mut files = Vec::new();
    list_files(dist, &mut files)?;
    files.retain(|file| file != &dist.join(crate::dist::SINGLE_FILE));
    files.sort();
    let gzip_available = shell::find_program("gzip").is_some();
    println!("{:<32} {:>12} {:>12}", "file", "bytes", "gzip -9");
    let (mut total_raw, mut total_gzip) = (0_u64, 0_u64);
    for file in &files {
        let raw = fs::metadata(file)?.len();
        let gzipped = if gzip_available { gzip_size(file) } else { None };
        total_raw = total_raw.saturating_add(raw);
        total_gzip = total_gzip.saturating_add(gzipped.unwrap_or(raw));
        let name = file.strip_prefix(dist).unwrap_or(file).display().to_string();
        let gzipped = gzipped.map_or_else(|| "-".to_string(), |size| size.to_string());
        println!("{name:<32} {raw:>12} {gzipped:>12}");
    }
    println!("{:<32} {total_raw:>12} {total_gzip:>12}", "total");
    Ok(())
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), files)?;
        } else {
            files.push(entry.path());
        }
    }
    Ok(())
}

/// The size of `file` compressed by `gzip -9`, or `None` when gzip cannot run.
pub fn gzip_size(file: &Path) -> Option<u64> {
    let output = Command::new("gzip").args(["-9", "-c"]).arg(file).stderr(Stdio::null()).output().ok()?;
    output.status.success().then_some(output.stdout.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::inline_code;

    #[track_caller]
    fn check(html: &str, expected: &[&str]) {
        assert_eq!(inline_code(html), expected);
    }

    #[test]
    fn clean_pages_pass() {
        check(
            r#"<!doctype html><html lang="zh-CN"><head><link rel="stylesheet" href="style.css">
            <script type="module" src="boot.js"></script></head><body><main id="app"></main></body></html>"#,
            &[],
        );
    }

    #[test]
    fn inline_code_is_reported() {
        check("<style>p{}</style>", &["a <style> element"]);
        check("<script>alert(1)</script>", &["a <script> without src"]);
        check(r#"<p style="color:red">"#, &["a style attribute on <p>"]);
        check(r#"<button onclick="go()">"#, &["an event handler `onclick` on <button>"]);
        check(r#"<a href="javascript:go()">"#, &["a javascript: URL on <a>"]);
    }

    #[test]
    fn words_in_text_are_not_attributes() {
        check(r#"<p class="note">the style of online data-src</p>"#, &[]);
        check(r#"<meta name="description" content="style online onclick">"#, &[]);
        check(r#"<script type=module src=boot.js></script>"#, &[]);
    }
}
