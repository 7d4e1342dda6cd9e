//! Reading a scenario file (or standard input, `-`): bounded in size, UTF-8 checked, then validated by the engine.

use std::fs::File;
use std::io::{self, ErrorKind, Read};

use delever_model::{MAX_INPUT_BYTES, Problem, Scenario};

use delever_cli::diagnostic::Failure;

/// Reads and validates the scenario at `path` (`-` for standard input).
pub fn load_scenario(path: &str) -> Result<Scenario, Failure> {
    delever_cli::request::scenario(&read_text(path)?)
}

/// Reads the whole input as UTF-8 text, refusing more than [`MAX_INPUT_BYTES`].
///
/// The input is read through `take(MAX + 1)`, so an oversized (or endless) stream costs
/// at most one byte more than the limit in memory and never hangs the reader.
pub fn read_text(path: &str) -> Result<String, Failure> {
    let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    // The size, when the file system knows it; a pipe's size is unknown until it is drained.
    let mut known_size: Option<u64> = None;
    if path == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut bytes).map_err(|err| read_error(path, &err))?;
    } else {
        let file = File::open(path).map_err(|err| read_error(path, &err))?;
        if let Ok(meta) = file.metadata() {
            if meta.is_dir() {
                return Err(Failure::one(
                    format!("{path}: is a directory; give a scenario JSON file, or - for standard input"),
                    format!("{path}: 是一个目录；请给出情景 JSON 文件，或用 - 表示标准输入"),
                ));
            }
            if meta.is_file() {
                known_size = Some(meta.len());
            }
        }
        // Refuse a file known to be too large before reading any of it.
        if let Some(size) = known_size.filter(|size| *size >= limit) {
            return Err(too_large(Some(size)));
        }
        file.take(limit).read_to_end(&mut bytes).map_err(|err| read_error(path, &err))?;
    }
    if bytes.len() > MAX_INPUT_BYTES {
        // A stream, or a file that grew while being read: its full size is unknown.
        return Err(too_large(None));
    }
    String::from_utf8(bytes).map_err(|err| not_utf8(path, err.as_bytes(), err.utf8_error().valid_up_to()))
}

/// The engine's size message when the size is known; for a stream, the same message said as "more than".
fn too_large(size: Option<u64>) -> Failure {
    match size.and_then(|s| usize::try_from(s).ok()) {
        Some(bytes) => Failure::file_problem(Problem::TooLarge { bytes, max: MAX_INPUT_BYTES }),
        None => Failure::one(
            format!(
                "file: the input is more than {MAX_INPUT_BYTES} bytes; at most {MAX_INPUT_BYTES} bytes are accepted"
            ),
            format!("文件: 输入超过上限 {MAX_INPUT_BYTES} 字节"),
        ),
    }
}

fn display_path(path: &str) -> (&str, &str) {
    if path == "-" { ("standard input", "标准输入") } else { (path, path) }
}

fn read_error(path: &str, err: &io::Error) -> Failure {
    let (en_path, zh_path) = display_path(path);
    let (en_reason, zh_reason) = match err.kind() {
        ErrorKind::NotFound => ("no such file".to_string(), "文件不存在".to_string()),
        ErrorKind::PermissionDenied => ("permission denied".to_string(), "没有读取权限".to_string()),
        ErrorKind::IsADirectory => ("it is a directory".to_string(), "这是一个目录".to_string()),
        _ => (err.to_string(), err.to_string()),
    };
    Failure::one(
        format!(
            "{en_path}: cannot read the scenario file ({en_reason}); give a scenario JSON file, or - for standard input"
        ),
        format!("{zh_path}: 无法读取情景文件（{zh_reason}）；请给出情景 JSON 文件，或用 - 表示标准输入"),
    )
}

fn not_utf8(path: &str, bytes: &[u8], valid_up_to: usize) -> Failure {
    let (en_path, zh_path) = display_path(path);
    let before = bytes.get(..valid_up_to).unwrap_or_default();
    let line = before.iter().filter(|b| **b == b'\n').count().saturating_add(1);
    Failure::one(
        format!(
            "{en_path}: the input is not valid UTF-8 (line {line}, byte offset {valid_up_to}); save the scenario file as UTF-8"
        ),
        format!(
            "{zh_path}: 输入不是有效的 UTF-8 编码（第 {line} 行，字节偏移 {valid_up_to}）；请将情景文件保存为 UTF-8"
        ),
    )
}
