//! `cargo xtask dist` and `dist/delever.html`: the whole page in one file that works opened from disk, with no network.
//!
//! The hosted build (`dist/`) keeps every script and style in its own file, so that it runs
//! under the content security policy. A file opened from disk (`file://`) cannot fetch
//! its neighbours (Chromium refuses: origin `null`), so the single file carries them:
//!
//! - `style.css` in a `<style>` element, the icon as a `data:` URL;
//! - one `<script type="module">`: the wasm-bindgen glue (`delever.js`, `--target web`,
//!   its `export` statements kept, which an inline module allows), then `boot.js` in a block
//!   of its own, its `import … from './delever.js'` replaced by the glue's bindings and its
//!   `init()` given the wasm's bytes instead of fetching them;
//! - the wasm as base64 in an inert `<script type="application/octet-stream">` block (never
//!   executed; read and decoded once at start);
//! - every module `boot.js` imports lazily (`import('./sheets/delever_sheets.js')`, the
//!   spreadsheet module) as its glue text (an inert `text/plain` block) and its wasm (base64):
//!   on first use the glue is imported from a `blob:` URL and initialised with the bytes.
//!
//! The presets are compiled into the wasm, so nothing else is needed. The file is checked
//! after assembly: no `src` or `href` may point outside it, and no inlined text may close
//! its element early (`</script`, `</style`).

use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::build;
use crate::shell::Error;

/// The single file's name, inside `dist/`.
pub const SINGLE_FILE: &str = "delever.html";

/// The page the single file is made from, inside `dist/`.
const INDEX: &str = "index.html";

/// The prefix of the id of each inert block holding a file (`delever-file:delever_bg.wasm`).
const FILE_ID_PREFIX: &str = "delever-file:";

/// Elements whose content the HTML parser reads as raw text up to their end tag.
const RAW_TEXT_ELEMENTS: [&str; 2] = ["script", "style"];

/// How far into a file the browser looks for its `<meta charset>` (the HTML standard's prescan).
const CHARSET_WINDOW: usize = 1024;

/// Attributes whose value is a URL the browser may fetch or navigate to.
const URL_ATTRIBUTES: [&str; 10] =
    ["src", "href", "srcset", "action", "formaction", "poster", "data", "manifest", "background", "ping"];

/// Why the single file could not be made.
#[derive(Debug)]
pub enum DistError {
    /// A file of `dist/` could not be read, or the single file written.
    Io { path: PathBuf, error: io::Error },
    /// A file the page needs is not valid UTF-8 text.
    NotText { file: String },
    /// `index.html` refers to something the assembler does not know how to inline.
    UnknownReference { tag: String },
    /// `boot.js` imports in a way the assembler cannot rewrite.
    Import { statement: String, reason: &'static str },
    /// `boot.js` imports a name the wasm-bindgen glue does not export.
    MissingExport { name: String, glue: String },
    /// A script or style cannot be placed inside the HTML without changing its meaning.
    Unembeddable { file: String, reason: &'static str },
    /// The file would not say it is UTF-8 early enough for a browser opening it from disk.
    Charset,
    /// The assembled file still refers to something outside itself (an assembler bug).
    External { references: Vec<String> },
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DistError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            DistError::NotText { file } => write!(f, "{file} is not UTF-8 text"),
            DistError::UnknownReference { tag } => {
                write!(f, "index.html refers to a file the single file cannot carry: {tag}")
            }
            DistError::Import { statement, reason } => {
                write!(f, "boot.js: cannot rewrite `{statement}` for the single file: {reason}")
            }
            DistError::MissingExport { name, glue } => {
                write!(f, "boot.js imports `{name}`, which {glue} does not export")
            }
            DistError::Unembeddable { file, reason } => write!(f, "{file} cannot be inlined: {reason}"),
            DistError::Charset => write!(
                f,
                "index.html must declare <meta charset=\"utf-8\"> within the first {CHARSET_WINDOW} bytes"
            ),
            DistError::External { references } => {
                write!(f, "the single file still refers outside itself: {}", references.join(", "))
            }
        }
    }
}

impl std::error::Error for DistError {}

impl From<DistError> for Error {
    fn from(error: DistError) -> Error {
        Error::new(format!("{SINGLE_FILE}: {error}"))
    }
}

/// `cargo xtask dist`: the release build of `dist/` (which ends by writing `dist/delever.html`),
/// then where each of the two deliverables goes.
pub fn run(root: &Path) -> Result<(), Error> {
    build::run(root, &build::Options { release: true })?;
    let single = root.join(build::DIST).join(SINGLE_FILE);
    let bytes = fs::metadata(&single)?.len();
    let shown = single.strip_prefix(root).unwrap_or(&single).display().to_string();
    println!("\ndist: two results (README, \"Hosting and the single file\"):");
    println!(
        "  {:<20} the site to host on a web server, with the headers the README lists",
        format!("{}/", build::DIST)
    );
    println!(
        "  {shown:<20} the page in one file ({}), to open from disk with no network:",
        describe_size(&single, bytes)
    );
    println!("  {:<20} a USB stick, a meeting-room PC, an e-mail attachment", "");
    Ok(())
}

/// Writes `<dist>/delever.html` from the files already in `dist/`; returns its size in bytes.
pub fn write_single_file(dist: &Path) -> Result<u64, DistError> {
    let html = assemble(&|relative: &str| {
        let path = dist.join(relative);
        fs::read(&path).map_err(|error| DistError::Io { path, error })
    })?;
    let path = dist.join(SINGLE_FILE);
    fs::write(&path, &html).map_err(|error| DistError::Io { path, error })?;
    Ok(html.len() as u64)
}

/// `N bytes, M gzipped` (`gzip -9`), or just the bytes when gzip is not installed.
pub fn describe_size(file: &Path, bytes: u64) -> String {
    match build::gzip_size(file) {
        Some(gzipped) => format!("{bytes} bytes, {gzipped} gzipped"),
        None => format!("{bytes} bytes"),
    }
}

/// Reads one file of `dist/` by its path relative to `dist/` (`sheets/delever_sheets.js`).
type Reader<'a> = &'a dyn Fn(&str) -> Result<Vec<u8>, DistError>;

/// Builds the single file from `index.html` and what it refers to, read through `read`.
fn assemble(read: Reader<'_>) -> Result<String, DistError> {
    let index = read_text(read, INDEX)?;
    let mut blocks = Vec::new();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for tag in scan_tags(&index) {
        if tag.end_tag {
            continue;
        }
        let source = &index[tag.range.clone()];
        match tag.name.as_str() {
            "link" => {
                let rel = tag.attribute("rel").unwrap_or("").to_ascii_lowercase();
                let rel: Vec<&str> = rel.split_ascii_whitespace().collect();
                let Some(href) = tag.attribute("href") else { continue };
                let file = local_path(href).ok_or_else(|| unknown(source))?;
                let replacement = if rel.contains(&"stylesheet") {
                    let css = read_text(read, &file)?;
                    format!("<style>\n{}</style>", style_text(&css, &file)?)
                } else if rel.contains(&"icon") {
                    let media_type = tag.attribute("type").map_or_else(|| media_type(&file), str::to_string);
                    let data = base64(&read(&file)?);
                    format!(
                        r#"<link rel="icon" type="{}" href="data:{};base64,{data}">"#,
                        attribute(&media_type),
                        attribute(&media_type)
                    )
                } else if rel.contains(&"modulepreload") || rel.contains(&"preload") {
                    // The module is in the file already; nothing to fetch ahead.
                    String::new()
                } else {
                    return Err(unknown(source));
                };
                edits.push((tag.range.clone(), replacement));
            }
            "script" => {
                let Some(src) = tag.attribute("src") else { continue };
                if tag.attribute("type") != Some("module") {
                    return Err(unknown(source));
                }
                let file = local_path(src).ok_or_else(|| unknown(source))?;
                let script = module_script(read, &file, &mut blocks)?;
                edits.push((
                    tag.range.start..tag.element_end,
                    format!("<script type=\"module\">\n{script}</script>"),
                ));
            }
            _ if tag
                .attributes
                .iter()
                .any(|(name, value)| URL_ATTRIBUTES.contains(&name.as_str()) && !is_inside(value)) =>
            {
                return Err(unknown(source));
            }
            _ => {}
        }
    }
    let mut html = String::with_capacity(index.len() + blocks.iter().map(Block::len).sum::<usize>());
    let mut copied = 0;
    for (range, replacement) in edits {
        html.push_str(&index[copied..range.start]);
        html.push_str(&replacement);
        copied = range.end;
    }
    html.push_str(&index[copied..]);
    let rendered: String = blocks.iter().map(|block| format!("{}\n", block.render())).collect();
    let body_end = html.to_ascii_lowercase().rfind("</body").unwrap_or(html.len());
    html.insert_str(body_end, &rendered);
    let doctype_end = if html.get(..9).is_some_and(|start| start.eq_ignore_ascii_case("<!doctype")) {
        html.find('>').map_or(0, |end| end + 1)
    } else {
        0
    };
    html.insert_str(
        doctype_end,
        "\n<!-- Delever in one file (cargo xtask dist): open it from disk; it needs no network and no server. -->",
    );
    // Opened from disk there is no Content-Type header: the browser learns the encoding
    // only from a `<meta charset>` in the first 1024 bytes (else the Chinese is mojibake).
    if !html.get(..html.floor_char_boundary(CHARSET_WINDOW)).is_some_and(|start| {
        start.to_ascii_lowercase().replace(['"', '\''], "").contains("<meta charset=utf-8")
    }) {
        return Err(DistError::Charset);
    }
    let references = outside_references(&html);
    if references.is_empty() { Ok(html) } else { Err(DistError::External { references }) }
}

fn unknown(tag: &str) -> DistError {
    DistError::UnknownReference { tag: tag.to_string() }
}

fn read_text(read: Reader<'_>, file: &str) -> Result<String, DistError> {
    String::from_utf8(read(file)?).map_err(|_| DistError::NotText { file: file.to_string() })
}

/// A relative reference to a file inside `dist/` (`./style.css`, `sheets/x.js`) as a path
/// relative to `dist/`; `None` for anything else (a scheme, an absolute path, `..`, a query).
fn local_path(reference: &str) -> Option<String> {
    let path = reference.trim().trim_start_matches("./");
    let plain = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains([':', '?', '#', '\\'])
        && path.split('/').all(|segment| !segment.is_empty() && segment != "." && segment != "..");
    plain.then(|| path.to_string())
}

fn media_type(file: &str) -> String {
    let kind = match file.rsplit('.').next().unwrap_or("") {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
    kind.to_string()
}

/// An inert block at the end of the body holding one file of `dist/`.
struct Block {
    /// The file's path relative to `dist/`; the block's id is [`FILE_ID_PREFIX`] + this.
    file: String,
    content: BlockContent,
}

enum BlockContent {
    /// A script's text, escaped for the HTML parser (`text/plain`: never executed).
    Text(String),
    /// Bytes, as base64 (`application/octet-stream`: never executed).
    Bytes(String),
}

impl Block {
    fn id(file: &str) -> String {
        format!("{FILE_ID_PREFIX}{file}")
    }

    fn len(&self) -> usize {
        match &self.content {
            BlockContent::Text(text) | BlockContent::Bytes(text) => text.len() + 100,
        }
    }

    fn render(&self) -> String {
        let (kind, content) = match &self.content {
            BlockContent::Text(text) => ("text/plain", text),
            BlockContent::Bytes(text) => ("application/octet-stream", text),
        };
        format!(r#"<script type="{kind}" id="{}">{content}</script>"#, attribute(&Block::id(&self.file)))
    }
}

/// The page's wasm-bindgen glue file for `wasm`: wasm-bindgen names it `<name>.js` and the wasm `<name>_bg.wasm`.
fn wasm_of_glue(glue: &str) -> Option<String> {
    glue.strip_suffix(".js").map(|stem| format!("{stem}_bg.wasm"))
}

/// A script that imports one wasm-bindgen glue statically, and nothing else: the glue's
/// text, the script's text without its import, and what the import asked for.
struct GlueImport {
    import: StaticImport,
    glue_file: String,
    wasm_file: String,
    glue: String,
    /// The glue's bindings the script asked for, by exported name (`default: __wbg_init`),
    /// to gather in one object, so that the script's own names, declared in a block of
    /// their own, can never clash with the glue's.
    bindings: Vec<String>,
    /// The script without its import statement.
    rest: String,
}

/// Reads `file`, which must import a wasm-bindgen glue of `dist/`, and nothing else, statically.
fn glue_import(read: Reader<'_>, file: &str) -> Result<GlueImport, DistError> {
    let script = read_text(read, file)?;
    let mut imports = static_imports(&script)?;
    if imports.len() != 1 {
        return Err(DistError::Import {
            statement: format!("the imports of {file}"),
            reason: "it must import a wasm-bindgen glue, and nothing else, statically",
        });
    }
    let import = imports.remove(0);
    let glue_file = local_path(&import.specifier).ok_or_else(|| DistError::Import {
        statement: import.statement.clone(),
        reason: "not a file of dist/",
    })?;
    let wasm_file = wasm_of_glue(&glue_file)
        .ok_or_else(|| DistError::Import { statement: import.statement.clone(), reason: "not a .js file" })?;
    let glue = read_text(read, &glue_file)?;
    let exports = glue_exports(&glue);
    let local_of = |name: &str| -> Result<String, DistError> {
        exports
            .iter()
            .find(|(exported, _)| exported == name)
            .map(|(_, local)| local.clone())
            .ok_or_else(|| DistError::MissingExport { name: name.to_string(), glue: glue_file.clone() })
    };
    let mut bindings = Vec::new();
    if import.default.is_some() {
        bindings.push(format!("default: {}", local_of("default")?));
    }
    for (exported, _) in &import.named {
        bindings.push(format!("{}: {}", js_property(exported), local_of(exported)?));
    }
    let mut rest = String::with_capacity(script.len());
    rest.push_str(&script[..import.range.start]);
    rest.push_str(&script[import.range.end..]);
    Ok(GlueImport { import, glue_file, wasm_file, glue, bindings, rest })
}

/// `const { a, b: c } = <object>;` for the named imports of `import` (empty if there are none).
fn named_bindings(import: &StaticImport, object: &str) -> String {
    if import.named.is_empty() {
        return String::new();
    }
    let names: Vec<String> =
        import
            .named
            .iter()
            .map(|(exported, local)| {
                if exported == local { local.clone() } else { format!("{}: {local}", js_property(exported)) }
            })
            .collect();
    format!("    const {{ {} }} = {object};\n", names.join(", "))
}

/// The worker `boot.js` starts (`www/worker.js`), inside `dist/`.
const WORKER: &str = "worker.js";

/// The engine worker's script for a `blob:` URL: its glue, then the worker rewritten to take
/// the glue's bindings instead of importing them. Its wasm goes into a block of its own,
/// which the page sends the worker as its first message (a worker from a `blob:` URL
/// cannot fetch it). Returns the script's and the wasm's block ids.
fn worker_blocks(read: Reader<'_>, blocks: &mut Vec<Block>) -> Result<(String, String), DistError> {
    let GlueImport { import, glue_file, wasm_file, glue, bindings, rest } = glue_import(read, WORKER)?;
    let mut script = format!("// {glue_file}: the wasm-bindgen glue, as built.\n{glue}");
    if !script.ends_with('\n') {
        script.push('\n');
    }
    script.push_str(&format!(
        "\n// {WORKER}, its import replaced by the glue's bindings (xtask/src/dist.rs).\n{{\n"
    ));
    script.push_str(&format!("  const __deleverDistGlue = Object.freeze({{ {} }});\n", bindings.join(", ")));
    if let Some(default) = &import.default {
        script.push_str(&format!("    const {default} = __deleverDistGlue.default;\n"));
    }
    script.push_str(&named_bindings(&import, "__deleverDistGlue"));
    script.push_str(&rest);
    if !rest.ends_with('\n') {
        script.push('\n');
    }
    script.push_str("}\n");
    blocks
        .push(Block { file: WORKER.to_string(), content: BlockContent::Text(script_text(&script, WORKER)?) });
    // The page may import the same module lazily (boot.js's engine module): one wasm block serves both.
    if !blocks.iter().any(|block| block.file == wasm_file) {
        blocks.push(Block {
            file: wasm_file.clone(),
            content: BlockContent::Bytes(base64(&read(&wasm_file)?)),
        });
    }
    Ok((Block::id(WORKER), Block::id(&wasm_file)))
}

/// The text of the page's one inline module: the glue `boot` imports, then `boot` rewritten
/// to take everything it would fetch from the blocks (pushed onto `blocks`).
fn module_script(read: Reader<'_>, boot_file: &str, blocks: &mut Vec<Block>) -> Result<String, DistError> {
    let GlueImport { import, glue_file, wasm_file, glue, bindings, rest } = glue_import(read, boot_file)?;
    blocks.push(Block { file: wasm_file.clone(), content: BlockContent::Bytes(base64(&read(&wasm_file)?)) });
    let (rest, specifiers) = rewrite_dynamic_imports(&rest)?;
    let mut modules = Vec::new();
    for specifier in &specifiers {
        let file = local_path(specifier).ok_or_else(|| DistError::Import {
            statement: format!("import({})", js_string(specifier)),
            reason: "not a file of dist/",
        })?;
        let wasm = wasm_of_glue(&file).ok_or_else(|| DistError::Import {
            statement: format!("import({})", js_string(specifier)),
            reason: "not a .js file",
        })?;
        let text = read_text(read, &file)?;
        if !blocks.iter().any(|block| block.file == file) {
            blocks
                .push(Block { file: file.clone(), content: BlockContent::Text(script_text(&text, &file)?) });
            blocks.push(Block { file: wasm.clone(), content: BlockContent::Bytes(base64(&read(&wasm)?)) });
        }
        modules.push(format!(
            "[{}, [{}, {}]]",
            js_string(specifier),
            js_string(&Block::id(&file)),
            js_string(&Block::id(&wasm))
        ));
    }

    let mut script = String::new();
    script.push_str(&format!("// {glue_file}: the wasm-bindgen glue, as built.\n"));
    script.push_str(&glue);
    if !glue.ends_with('\n') {
        script.push('\n');
    }
    script.push_str(&format!(
        "\n// {boot_file}, rewritten by `cargo xtask dist` (xtask/src/dist.rs) to read the files it would fetch\n\
         // from the inert blocks at the end of this page.\n"
    ));
    script.push_str("{\n");
    script.push_str(&format!("  const __deleverDistGlue = Object.freeze({{ {} }});\n", bindings.join(", ")));
    script.push_str(&format!("  const __deleverDistModules = new Map([{}]);\n", modules.join(", ")));
    script.push_str(LOADER);
    // boot.js starts the engine's worker through `__deleverDistWorker` when the file defines it.
    if rest.contains("__deleverDistWorker") {
        let (worker, wasm) = worker_blocks(read, blocks)?;
        script.push_str(
            &WORKER_LOADER.replace("WORKER_ID", &js_string(&worker)).replace("WASM_ID", &js_string(&wasm)),
        );
    }
    script.push_str("  {\n");
    script.push_str(&named_bindings(&import, "__deleverDistGlue"));
    if let Some(default) = &import.default {
        script.push_str(&format!(
            "    const {default} = (options) => __deleverDistGlue.default(options ?? {{ module_or_path: __deleverDistBytes({}) }});\n",
            js_string(&Block::id(&wasm_file))
        ));
    }
    script.push_str(&rest);
    if !rest.ends_with('\n') {
        script.push('\n');
    }
    script.push_str("  }\n}\n");
    script_text(&script, boot_file)
}

/// The helpers the rewritten boot script uses: the bytes of a block, and a lazily imported
/// module from its blocks (glue imported from a `blob:` URL, initialised with the bytes).
const LOADER: &str = r#"  const __deleverDistBytes = (id) => {
    const binary = atob(document.getElementById(id).textContent);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  };
  const __deleverDistImport = (specifier) => {
    const files = __deleverDistModules.get(specifier);
    if (!files) {
      return Promise.reject(new Error(`${specifier} is not in this file`));
    }
    const [glue, wasm] = files;
    const text = document.getElementById(glue).textContent;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    return import(url).then(
      (module) => {
        URL.revokeObjectURL(url);
        const init = (options) => module.default(options ?? { module_or_path: __deleverDistBytes(wasm) });
        return Object.freeze({ ...module, default: init });
      },
      (error) => {
        URL.revokeObjectURL(url);
        throw error;
      },
    );
  };
"#;

/// The single file's `__deleverDistWorker`: the engine's worker from its block, sent its wasm
/// first. The `blob:` URL is kept: a module worker may fetch it after the constructor returns.
const WORKER_LOADER: &str = r#"  const __deleverDistWorker = () => {
    const text = document.getElementById(WORKER_ID).textContent;
    const worker = new Worker(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })), { type: 'module' });
    const wasm = __deleverDistBytes(WASM_ID);
    worker.postMessage({ wasm }, [wasm.buffer]);
    return worker;
  };
"#;

/// One `import … from '…';` statement of a script.
#[derive(Debug, PartialEq)]
struct StaticImport {
    /// The statement, from `import` to its `;`, in the script.
    range: Range<usize>,
    statement: String,
    /// The local name of the default import (`init` in `import init, { … }`).
    default: Option<String>,
    /// `(exported, local)` for each name in braces.
    named: Vec<(String, String)>,
    specifier: String,
}

/// The static import statements of a script: lines that begin with `import` (not `import(`
/// nor `import.meta`), each up to its `;`. Only the forms `import d from 's'`,
/// `import { a, b as c } from 's'` and `import d, { … } from 's'` are understood.
fn static_imports(script: &str) -> Result<Vec<StaticImport>, DistError> {
    let mut imports = Vec::new();
    let mut line_start = 0;
    for line in script.split_inclusive('\n') {
        let start = line_start + (line.len() - line.trim_start().len());
        line_start += line.len();
        let rest = &script[start..];
        let Some(after) = rest.strip_prefix("import") else { continue };
        if !after.starts_with(|c: char| c.is_ascii_whitespace() || c == '{' || c == '\'' || c == '"') {
            continue;
        }
        let end = rest.find(';').map_or(script.len(), |end| start + end + 1);
        let statement = script[start..end].to_string();
        let fail = |reason| DistError::Import { statement: statement.clone(), reason };
        let body = statement.trim_end_matches(';').trim()["import".len()..].trim();
        // The module is the string at the end; what precedes it ends with `from` unless the
        // import is for side effects only.
        let quote = body.chars().next_back().filter(|c| *c == '\'' || *c == '"');
        let opening = quote.and_then(|quote| body[..body.len() - 1].rfind(quote));
        let Some(opening) = opening else { return Err(fail("the module is not a plain string")) };
        let specifier = &body[opening..];
        let clause = match body[..opening].trim_end().strip_suffix("from") {
            Some(clause) => clause.trim(),
            None => return Err(fail("an import for its side effects only")),
        };
        let specifier = string_literal(specifier).ok_or_else(|| fail("the module is not a plain string"))?;
        let (default, braces) = match clause.find('{') {
            Some(open) => (clause[..open].trim().trim_end_matches(',').trim(), Some(&clause[open..])),
            None => (clause, None),
        };
        if default.starts_with('*') {
            return Err(fail("a namespace import (`* as`)"));
        }
        let default = if default.is_empty() {
            None
        } else if is_identifier(default) {
            Some(default.to_string())
        } else {
            return Err(fail("the default import is not a plain name"));
        };
        let mut named = Vec::new();
        if let Some(braces) = braces {
            let inner = braces
                .strip_prefix('{')
                .and_then(|inner| inner.strip_suffix('}'))
                .ok_or_else(|| fail("the braces are not closed"))?;
            for item in inner.split(',').map(str::trim).filter(|item| !item.is_empty()) {
                let words: Vec<&str> = item.split_ascii_whitespace().collect();
                let pair = match words.as_slice() {
                    [name] => (name.to_string(), name.to_string()),
                    [name, "as", local] => (name.to_string(), local.to_string()),
                    _ => return Err(fail("an imported name is not `name` or `name as local`")),
                };
                if !is_identifier(&pair.0) || !is_identifier(&pair.1) {
                    return Err(fail("an imported name is not a plain name"));
                }
                named.push(pair);
            }
        }
        if default.is_none() && named.is_empty() {
            return Err(fail("nothing is imported"));
        }
        imports.push(StaticImport { range: start..end, statement, default, named, specifier });
    }
    Ok(imports)
}

/// What a wasm-bindgen glue module exports, as `(exported, local)`: `export function f`,
/// `export class C`, `export const x`, and the names of `export { a, b as default };`.
fn glue_exports(glue: &str) -> Vec<(String, String)> {
    let mut exports = Vec::new();
    let mut rest = glue;
    while let Some(position) = rest.find("export") {
        let before = glue.len() - rest.len() + position;
        rest = &rest[position + "export".len()..];
        let at_statement_start = glue[..before].trim_end_matches([' ', '\t']).ends_with('\n') || before == 0;
        if !at_statement_start || !rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '{') {
            continue;
        }
        let statement = rest.trim_start();
        if let Some(list) = statement.strip_prefix('{') {
            let Some(close) = list.find('}') else { continue };
            for item in list[..close].split(',').map(str::trim).filter(|item| !item.is_empty()) {
                let words: Vec<&str> = item.split_ascii_whitespace().collect();
                match words.as_slice() {
                    [name] => exports.push((name.to_string(), name.to_string())),
                    [local, "as", exported] => exports.push((exported.to_string(), local.to_string())),
                    _ => {}
                }
            }
            continue;
        }
        let mut words =
            statement.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '*'));
        let mut word = words.next();
        if word == Some("async") {
            word = words.find(|word| !word.is_empty());
        }
        if matches!(word, Some("function" | "function*" | "class" | "const" | "let" | "var"))
            && let Some(name) = words.find(|word| !word.is_empty() && *word != "*")
        {
            exports.push((name.to_string(), name.to_string()));
        }
    }
    exports
}

/// Replaces each `import('specifier')` of a script by `__deleverDistImport('specifier')`;
/// returns the new text and the specifiers, in order, without repeats. The argument must
/// be a string literal (the file has to be known when the single file is made).
fn rewrite_dynamic_imports(script: &str) -> Result<(String, Vec<String>), DistError> {
    let mut text = String::with_capacity(script.len());
    let mut specifiers: Vec<String> = Vec::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = script[search..].find("import") {
        let start = search + found;
        search = start + "import".len();
        let before = script[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.') {
            continue;
        }
        let after = script[search..].trim_start();
        let Some(argument) = after.strip_prefix('(') else { continue };
        let not_plain = || DistError::Import {
            statement: script[start..].lines().next().unwrap_or("").to_string(),
            reason: "a dynamic import whose module is not a plain string",
        };
        let close = argument.find(')').ok_or_else(not_plain)?;
        let call_end = script.len() - argument.len() + close + 1;
        let specifier = string_literal(argument[..close].trim()).ok_or_else(not_plain)?;
        text.push_str(&script[copied..start]);
        text.push_str(&format!("__deleverDistImport({})", js_string(&specifier)));
        copied = call_end;
        search = call_end;
        if !specifiers.contains(&specifier) {
            specifiers.push(specifier);
        }
    }
    text.push_str(&script[copied..]);
    Ok((text, specifiers))
}

/// The value of a JavaScript string literal without escapes (`'./x.js'`, `"./x.js"`).
fn string_literal(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains([quote, '\\', '\n'])).then(|| inner.to_string())
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A JavaScript string literal for `text`, safe inside an HTML script element (`<` escaped).
fn js_string(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('"');
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '<' => literal.push_str("\\u003c"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                literal.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

/// A property name in an object literal or pattern: the name itself when it is one, else a string.
fn js_property(name: &str) -> String {
    if is_identifier(name) { name.to_string() } else { js_string(name) }
}

/// An attribute value for inside double quotes.
fn attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

/// A script's text made safe to sit between `<script>` and `</script>`, with the same meaning.
///
/// The HTML parser ends a script at the first `</script` (any case), wherever it is in the
/// JavaScript; in JavaScript it can only be inside a string, template, regular expression
/// or comment, where `<\/script` means the same. A `<!--` followed later by `<script` would
/// put the parser in a state where even the real `</script>` does not end the element;
/// no escape keeps the meaning everywhere, so such a script is refused.
fn script_text(script: &str, file: &str) -> Result<String, DistError> {
    let lower = script.to_ascii_lowercase();
    if let Some(comment) = lower.find("<!--")
        && lower[comment..].contains("<script")
    {
        return Err(DistError::Unembeddable {
            file: file.to_string(),
            reason: "`<!--` followed by `<script`",
        });
    }
    Ok(escape_end_tag(script, &lower, "</script", "<\\/"))
}

/// A style sheet made safe to sit inside `<style>`: `</style` becomes `<\/style` (the same in
/// CSS strings and comments, the only places it can be).
fn style_text(css: &str, file: &str) -> Result<String, DistError> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("<!--") && lower.contains("<style") {
        return Err(DistError::Unembeddable { file: file.to_string(), reason: "`<!--` and `<style`" });
    }
    let mut text = escape_end_tag(css, &lower, "</style", "<\\/");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// `text` with each case-insensitive `end_tag` (`</script`) starting `replacement` instead of `</`.
fn escape_end_tag(text: &str, lower: &str, end_tag: &str, replacement: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, _) in lower.match_indices(end_tag) {
        escaped.push_str(&text[copied..start]);
        escaped.push_str(replacement);
        copied = start + 2;
    }
    escaped.push_str(&text[copied..]);
    escaped
}

/// Standard base64 (RFC 4648, section 4) with padding, as `atob` reads it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |index: usize| u32::from(chunk.get(index).copied().unwrap_or(0));
        let group = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for (position, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if position <= chunk.len() {
                text.push(char::from(ALPHABET[((group >> shift) & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// One tag of an HTML document, as far as the assembler needs to know it.
#[derive(Debug)]
struct Tag {
    /// From `<` to `>` inclusive.
    range: Range<usize>,
    /// Lowercase.
    name: String,
    end_tag: bool,
    /// `(lowercase name, value)`, values as written (no character references decoded).
    attributes: Vec<(String, String)>,
    /// For `script` and `style`: their text.
    raw_text: Option<Range<usize>>,
    /// The end of the element: after its end tag for `script` and `style`, else `range.end`.
    element_end: usize,
}

impl Tag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// The tags of `html`, in order, with the text of script and style elements skipped as the
/// HTML parser skips it (it holds no tags); comments and `<!doctype>` are skipped too.
/// A plain scan, not a parser: enough for our own pages.
fn scan_tags(html: &str) -> Vec<Tag> {
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut position = 0;
    while let Some(found) = lower[position..].find('<') {
        let start = position + found;
        let rest = &lower[start..];
        if rest.starts_with("<!--") {
            position = rest.find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            position = rest.find('>').map_or(html.len(), |end| start + end + 1);
            continue;
        }
        let end_tag = rest.starts_with("</");
        let name_start = start + if end_tag { 2 } else { 1 };
        let name: String = lower[name_start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() {
            position = start + 1;
            continue;
        }
        let attributes_start = name_start + name.len();
        let tag_end = tag_end(html, attributes_start);
        let attributes = if end_tag {
            Vec::new()
        } else {
            parse_attributes(&html[attributes_start..tag_end.saturating_sub(1)])
        };
        let mut raw_text = None;
        let mut element_end = tag_end;
        if !end_tag && RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
            let close = find_end_tag(&lower, tag_end, &name);
            raw_text = Some(tag_end..close);
            element_end = lower[close..].find('>').map_or(html.len(), |end| close + end + 1);
        }
        position = element_end;
        tags.push(Tag { range: start..tag_end, name, end_tag, attributes, raw_text, element_end });
    }
    tags
}

/// The index just after the `>` that closes a tag whose attributes start at `from`, skipping quoted values.
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote = None;
    for (offset, c) in html[from..].char_indices() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return from + offset + 1,
            (None, _) => {}
        }
    }
    html.len()
}

/// Where the end tag of raw-text element `name` starts (`</name` then whitespace, `/` or `>`), or the end.
fn find_end_tag(lower: &str, from: usize, name: &str) -> usize {
    let pattern = format!("</{name}");
    let mut search = from;
    while let Some(found) = lower[search..].find(&pattern) {
        let start = search + found;
        let next = lower[start + pattern.len()..].chars().next();
        if next.is_none_or(|c| c.is_ascii_whitespace() || c == '/' || c == '>') {
            return start;
        }
        search = start + pattern.len();
    }
    lower.len()
}

/// The attributes of one tag's inside (`a="x" b c=d`), names lowercased.
pub(crate) fn parse_attributes(inside: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut rest = inside;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        let name_end =
            rest.find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        if name_end == 0 {
            break;
        }
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            rest = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => match after[1..].find(quote) {
                    Some(end) => {
                        value = after[1..=end].to_string();
                        &after[end + 2..]
                    }
                    None => {
                        value = after[1..].to_string();
                        ""
                    }
                },
                _ => {
                    let end = after.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after.len());
                    value = after[..end].to_string();
                    &after[end..]
                }
            };
        }
        attributes.push((name, value));
    }
    attributes
}

/// Whether a URL stays inside the file: a `data:` URL or a `#fragment`.
fn is_inside(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("data:") || url.starts_with('#')
}

/// Everything in `html` the browser could fetch from outside the file: URL attributes that
/// are not `data:` or `#fragment`, and `url(…)` or `@import` in styles.
fn outside_references(html: &str) -> Vec<String> {
    let inside = is_inside;
    let mut references = Vec::new();
    for tag in scan_tags(html) {
        for (name, value) in &tag.attributes {
            if URL_ATTRIBUTES.contains(&name.as_str()) && !inside(value) {
                references.push(format!("<{} {name}=\"{value}\">", tag.name));
            }
        }
        let mut styles: Vec<&str> = tag.attribute("style").into_iter().collect();
        if tag.name == "style"
            && let Some(text) = &tag.raw_text
        {
            styles.push(&html[text.clone()]);
        }
        for style in styles {
            let lower = style.to_ascii_lowercase();
            for (start, _) in lower.match_indices("url(") {
                let argument = lower[start + 4..].trim_start().trim_start_matches(['"', '\'']);
                if !inside(argument) {
                    let end = lower[start..].find(')').map_or(lower.len(), |end| start + end + 1);
                    references.push(format!("<{}> {}", tag.name, &style[start..end]));
                }
            }
            if lower.contains("@import") {
                references.push(format!("<{}> @import", tag.name));
            }
        }
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn base64_matches_rfc_4648() {
        // RFC 4648, section 10, then every byte value in the three positions of a group.
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        for (input, expected) in [
            (&[0x00_u8, 0x00, 0x00][..], "AAAA"),
            (&[0xff, 0xff, 0xff], "////"),
            (&[0xfb, 0xff], "+/8="),
            (&[0x00], "AA=="),
        ] {
            assert_eq!(base64(input), expected, "{input:?}");
        }
    }

    #[track_caller]
    fn check_script(script: &str, expected: Option<&str>) {
        assert_eq!(script_text(script, "x.js").ok().as_deref(), expected, "{script:?}");
    }

    #[test]
    fn scripts_cannot_close_their_element() {
        check_script("const a = 1;", Some("const a = 1;"));
        check_script(r#"s = "</script>";"#, Some(r#"s = "<\/script>";"#));
        check_script("s = '</SCRIPT >' + '</Script'", Some(r"s = '<\/SCRIPT >' + '<\/Script'"));
        check_script("/<\\/script>/.test(x) // </script", Some("/<\\/script>/.test(x) // <\\/script"));
        check_script("a < b && c </ d", Some("a < b && c </ d"));
        check_script("s = '<!--'; t = '-->'", Some("s = '<!--'; t = '-->'"));
        check_script("s = '<script>'", Some("s = '<script>'"));
        check_script("s = '<!-- <script>'", None);
        check_script("s = '<!--'; t = '<SCRIPT '", None);
    }

    #[test]
    fn styles_cannot_close_their_element() {
        assert_eq!(style_text("p{}", "s.css").ok().as_deref(), Some("p{}\n"));
        assert_eq!(
            style_text("p::after{content:'</style>'}\n", "s.css").ok().as_deref(),
            Some("p::after{content:'<\\/style>'}\n")
        );
        assert!(style_text("/* <!-- */ p::after{content:'<style>'}", "s.css").is_err());
    }

    /// An import as the tests write it: default name, `(exported, local)` pairs, module.
    type Expected<'a> = (Option<&'a str>, Vec<(&'a str, &'a str)>, &'a str);

    #[track_caller]
    fn check_imports(script: &str, expected: Result<Vec<Expected<'_>>, &str>) {
        let got = static_imports(script).map(|imports| {
            imports
                .into_iter()
                .map(|import| {
                    assert_eq!(&script[import.range.clone()], import.statement);
                    (import.default, import.named, import.specifier)
                })
                .collect::<Vec<_>>()
        });
        match (got, expected) {
            (Ok(got), Ok(expected)) => {
                let expected: Vec<_> = expected
                    .into_iter()
                    .map(|(default, named, specifier)| {
                        (
                            default.map(str::to_string),
                            named
                                .into_iter()
                                .map(|(a, b)| (a.to_string(), b.to_string()))
                                .collect::<Vec<_>>(),
                            specifier.to_string(),
                        )
                    })
                    .collect();
                assert_eq!(got, expected, "{script:?}");
            }
            (Err(error), Err(reason)) => {
                assert!(error.to_string().contains(reason), "{error} for {script:?}")
            }
            (got, expected) => panic!("{script:?}: got {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn static_imports_are_read() {
        check_imports(
            "// boot\nimport init, { simulate, version } from './delever.js';\ninit();\n",
            Ok(vec![(Some("init"), vec![("simulate", "simulate"), ("version", "version")], "./delever.js")]),
        );
        check_imports(
            "import {\n  a,\n  b as c,\n} from \"./x.js\";",
            Ok(vec![(None, vec![("a", "a"), ("b", "c")], "./x.js")]),
        );
        check_imports("import start from './x.js'", Ok(vec![(Some("start"), vec![], "./x.js")]));
        check_imports(
            "const m = import('./x.js');\nconst u = import.meta.url;\n// import x from 'y';",
            Ok(vec![]),
        );
        check_imports("import './x.css';", Err("side effects"));
        check_imports("import * as glue from './x.js';", Err("namespace"));
        check_imports("import { a b } from './x.js';", Err("`name as local`"));
        check_imports("import a from x;", Err("plain string"));
    }

    #[test]
    fn glue_exports_are_read() {
        let glue = "function __wbg_init(m) {}\nexport function simulate(s) {\n  // export nothing\n}\n\
                    export async function later() {}\nexport class Handle {}\nexport const VERSION = 1;\n\
                    const text = 'export function hidden() {}';\nexport { initSync, __wbg_init as default };\n";
        assert_eq!(
            glue_exports(glue),
            [
                ("simulate", "simulate"),
                ("later", "later"),
                ("Handle", "Handle"),
                ("VERSION", "VERSION"),
                ("initSync", "initSync"),
                ("default", "__wbg_init"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[track_caller]
    fn check_dynamic(script: &str, expected: Result<(&str, &[&str]), &str>) {
        match (rewrite_dynamic_imports(script), expected) {
            (Ok((text, specifiers)), Ok((expected_text, expected_specifiers))) => {
                assert_eq!(text, expected_text);
                assert_eq!(specifiers, expected_specifiers);
            }
            (Err(error), Err(reason)) => assert!(error.to_string().contains(reason), "{error}"),
            (got, expected) => panic!("{script:?}: got {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn dynamic_imports_are_rewritten() {
        check_dynamic(
            "x ??= import('./sheets/s.js').then(f); y = import ( \"./sheets/s.js\" );",
            Ok((
                r#"x ??= __deleverDistImport("./sheets/s.js").then(f); y = __deleverDistImport("./sheets/s.js");"#,
                &["./sheets/s.js"],
            )),
        );
        check_dynamic(
            "reimport('a'); x.import('b'); import.meta.url; // imports",
            Ok(("reimport('a'); x.import('b'); import.meta.url; // imports", &[])),
        );
        check_dynamic("import(name)", Err("not a plain string"));
    }

    #[test]
    fn local_paths() {
        for (reference, expected) in [
            ("./style.css", Some("style.css")),
            ("sheets/delever_sheets.js", Some("sheets/delever_sheets.js")),
            ("/style.css", None),
            ("../x.js", None),
            ("https://cdn.example/x.js", None),
            ("style.css?v=2", None),
            ("", None),
        ] {
            assert_eq!(local_path(reference).as_deref(), expected, "{reference}");
        }
    }

    #[test]
    fn outside_references_are_found() {
        for (html, expected) in [
            (r##"<link rel="icon" href="data:image/svg+xml;base64,AA=="><a href="#top">"##, &[][..]),
            (r#"<img src="logo.png">"#, &[r#"<img src="logo.png">"#][..]),
            (
                r#"<script src="https://cdn.example/x.js"></script>"#,
                &[r#"<script src="https://cdn.example/x.js">"#],
            ),
            ("<script>const s = '<img src=\"x.png\">';</script>", &[]),
            ("<style>p{background:url(x.png)}</style>", &["<style> url(x.png)"]),
            ("<style>p{background:url('data:image/png;base64,AA')}</style>", &[]),
            ("<style>@import 'x.css';</style>", &["<style> @import"]),
            (r#"<p style="background: url(&quot;y.png&quot;)">"#, &[r#"<p> url(&quot;y.png&quot;)"#]),
            ("<!-- <img src=x.png> -->", &[]),
        ] {
            assert_eq!(outside_references(html), expected, "{html}");
        }
    }

    /// A small `dist/`: the page's shape, with a glue and a boot script that try to close their element.
    fn fixture() -> HashMap<&'static str, Vec<u8>> {
        let index = r#"<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>Delever</title>
  <link rel="icon" href="./favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="./style.css">
  <link rel="modulepreload" href="./delever.js">
  <script type="module" src="./boot.js"></script>
</head>
<body>
  <div id="app"><p>loading</p></div>
</body>
</html>
"#;
        let glue = "export function simulate(s) { return '</script><img src=x.png>'; }\n\
                    async function __wbg_init(m) {}\nexport { __wbg_init as default };\n";
        let boot = "import init, { simulate as run } from './delever.js';\n\
                    const api = { run };\nlet s = null;\nconst load = () => (s ??= import('./sheets/s.js'));\n\
                    init().then(() => console.log('</SCRIPT>'));\n";
        HashMap::from([
            ("index.html", index.as_bytes().to_vec()),
            ("favicon.svg", b"<svg/>".to_vec()),
            ("style.css", b"p { color: red } /* </style> */".to_vec()),
            ("delever.js", glue.as_bytes().to_vec()),
            ("delever_bg.wasm", vec![0, 97, 115, 109, 1, 0, 0, 0]),
            ("boot.js", boot.as_bytes().to_vec()),
            ("sheets/s.js", b"export default async function init() {} // </script>".to_vec()),
            ("sheets/s_bg.wasm", vec![0, 97, 115, 109, 2]),
        ])
    }

    fn assemble_from(files: &HashMap<&'static str, Vec<u8>>) -> Result<String, DistError> {
        assemble(&|file: &str| {
            files.get(file).cloned().ok_or_else(|| DistError::Io {
                path: PathBuf::from(file),
                error: io::Error::new(io::ErrorKind::NotFound, "missing"),
            })
        })
    }

    #[test]
    fn the_single_file_carries_everything_and_refers_to_nothing() {
        let html = assemble_from(&fixture()).unwrap();
        assert_eq!(outside_references(&html), Vec::<String>::new());
        let tags = scan_tags(&html);
        let scripts: Vec<&Tag> = tags.iter().filter(|tag| tag.name == "script" && !tag.end_tag).collect();
        let kinds: Vec<(Option<&str>, Option<&str>)> =
            scripts.iter().map(|tag| (tag.attribute("type"), tag.attribute("id"))).collect();
        assert_eq!(
            kinds,
            [
                (Some("module"), None),
                (Some("application/octet-stream"), Some("delever-file:delever_bg.wasm")),
                (Some("text/plain"), Some("delever-file:sheets/s.js")),
                (Some("application/octet-stream"), Some("delever-file:sheets/s_bg.wasm")),
            ]
        );
        // Each script element holds all of its text: none was cut short by a `</script` inside it.
        let text = |tag: &Tag| &html[tag.raw_text.clone().unwrap()];
        let module = text(scripts[0]);
        assert!(module.contains("return '<\\/script><img src=x.png>'"), "{module}");
        assert!(module.trim_end().ends_with('}'), "{module}");
        assert!(module.contains("console.log('<\\/SCRIPT>')"), "{module}");
        assert!(!module.contains("from './delever.js'"), "{module}");
        assert!(module.contains(r#"__deleverDistImport("./sheets/s.js")"#), "{module}");
        assert!(module.contains("const { simulate: run } = __deleverDistGlue;"), "{module}");
        assert!(module.contains("Object.freeze({ default: __wbg_init, simulate: simulate })"), "{module}");
        assert_eq!(text(scripts[1]), "AGFzbQEAAAA=");
        assert_eq!(text(scripts[2]), "export default async function init() {} // <\\/script>");
        assert_eq!(text(scripts[3]), "AGFzbQI=");
        let style = tags.iter().find(|tag| tag.name == "style").unwrap();
        assert_eq!(&html[style.raw_text.clone().unwrap()], "\np { color: red } /* <\\/style> */\n");
        assert!(
            html.contains(
                r#"<link rel="icon" type="image/svg+xml" href="data:image/svg+xml;base64,PHN2Zy8+">"#
            )
        );
        assert!(!html.contains("modulepreload"));
        assert!(html.starts_with("<!doctype html>\n<!-- Delever in one file"));
        // The blocks sit at the end of the body, after the page's own content.
        assert!(
            html.find("<div id=\"app\">").unwrap()
                < html.find(r#"<script type="application/octet-stream""#).unwrap()
        );
        assert!(html.trim_end().ends_with("</body>\n</html>"));
    }

    #[test]
    fn the_engine_worker_travels_as_one_script_and_its_wasm() {
        let mut files = fixture();
        let boot = String::from_utf8(files["boot.js"].clone()).unwrap()
            + "const w = typeof __deleverDistWorker === 'function' ? __deleverDistWorker() : null;\n"
            + "const engine = () => import('./worker/w.js');\n";
        files.insert("boot.js", boot.into_bytes());
        files.insert(
            "worker.js",
            b"import start, { project } from './worker/w.js';\nself.onmessage = () => start().then(() => project('</script>'));\n"
                .to_vec(),
        );
        files.insert(
            "worker/w.js",
            b"export function project(s) { return s; }\nasync function __wbg_init(m) {}\nexport { __wbg_init as default };\n"
                .to_vec(),
        );
        files.insert("worker/w_bg.wasm", vec![0, 97, 115, 109, 3]);
        let html = assemble_from(&files).unwrap();
        assert_eq!(outside_references(&html), Vec::<String>::new());
        let tags = scan_tags(&html);
        let block = |id: &str| {
            let tag =
                tags.iter().find(|tag| tag.attribute("id") == Some(id)).unwrap_or_else(|| panic!("no {id}"));
            (tag.attribute("type"), &html[tag.raw_text.clone().unwrap()])
        };
        let (kind, worker) = block("delever-file:worker.js");
        assert_eq!(kind, Some("text/plain"));
        // The glue first, then the worker with its import replaced by the glue's bindings.
        assert!(worker.starts_with("// worker/w.js: the wasm-bindgen glue"), "{worker}");
        assert!(!worker.contains("from './worker/w.js'"), "{worker}");
        assert!(worker.contains("const start = __deleverDistGlue.default;"), "{worker}");
        assert!(worker.contains("const { project } = __deleverDistGlue;"), "{worker}");
        assert!(worker.contains("project('<\\/script>')"), "{worker}");
        assert_eq!(block("delever-file:worker/w_bg.wasm"), (Some("application/octet-stream"), "AGFzbQM="));
        let module = &html[tags
            .iter()
            .find(|tag| tag.attribute("type") == Some("module"))
            .unwrap()
            .raw_text
            .clone()
            .unwrap()];
        assert!(module.contains("const __deleverDistWorker = () =>"), "{module}");
        assert!(module.contains(r#"getElementById("delever-file:worker.js")"#), "{module}");
        // The page imports the worker's glue lazily too: its own block, and the one wasm block for both.
        assert!(module.contains(r#"__deleverDistImport("./worker/w.js")"#), "{module}");
        assert_eq!(block("delever-file:worker/w.js").0, Some("text/plain"));
        assert_eq!(html.matches(r#"id="delever-file:worker/w_bg.wasm""#).count(), 1, "{html}");
        // Without the hook in boot.js, no worker is carried.
        assert!(!assemble_from(&fixture()).unwrap().contains("delever-file:worker.js"));
    }

    #[track_caller]
    fn check_refused(edit: impl FnOnce(&mut HashMap<&'static str, Vec<u8>>), reason: &str) {
        let mut files = fixture();
        edit(&mut files);
        let error = assemble_from(&files).unwrap_err().to_string();
        assert!(error.contains(reason), "{error}");
    }

    #[test]
    fn what_cannot_be_carried_is_refused() {
        let index = |files: &mut HashMap<&'static str, Vec<u8>>, from: &str, to: &str| {
            let text = String::from_utf8(files["index.html"].clone()).unwrap().replace(from, to);
            files.insert("index.html", text.into_bytes());
        };
        check_refused(
            |files| index(files, "<title>", r#"<link rel="manifest" href="./app.webmanifest"><title>"#),
            "cannot carry: <link rel=\"manifest\"",
        );
        check_refused(
            |files| index(files, "<title>", r#"<script src="./x.js"></script><title>"#),
            "cannot carry",
        );
        check_refused(
            |files| index(files, "<p>loading</p>", r#"<img src="logo.png">"#),
            "cannot carry: <img",
        );
        check_refused(|files| index(files, "./style.css", "https://cdn.example/s.css"), "cannot carry");
        check_refused(|files| index(files, "./style.css", "./missing.css"), "missing.css: missing");
        check_refused(
            |files| {
                files.insert("boot.js", b"import init, { nothing } from './delever.js';\ninit();\n".to_vec());
            },
            "boot.js imports `nothing`, which delever.js does not export",
        );
        check_refused(
            |files| {
                files.insert("boot.js", b"const m = import(location.hash);\n".to_vec());
            },
            "must import a wasm-bindgen glue",
        );
        check_refused(
            |files| {
                files.insert("style.css", b"p { background: url(x.png) }".to_vec());
            },
            "still refers outside itself: <style> url(x.png)",
        );
        check_refused(|files| index(files, r#"<meta charset="utf-8">"#, ""), "<meta charset");
        check_refused(
            |files| index(files, "<head>", &format!("<head>\n<!-- {} -->", "x".repeat(1000))),
            "within the first 1024 bytes",
        );
    }
}
