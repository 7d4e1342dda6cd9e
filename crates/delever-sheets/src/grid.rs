//! Reading a file into a grid of cells: an .xlsx worksheet (calamine) or a CSV text (csv), with every limit checked first.
//!
//! Nothing here knows the template; it only turns bytes into located cells, or into the
//! one issue that says why the file cannot be read.

// A file fails to read once, with one issue: boxing it would buy nothing measurable.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use crate::columns::{column_letters, normalize_header};
use crate::issue::{Content, SheetIssue, SheetProblem};
use crate::limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES};

/// One cell's content, as the import needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell (Excel keeps every number as a double).
    Number(f64),
    Int(i64),
    Bool(bool),
    /// A date or time; the text is what to show in the message.
    Date(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula with no saved result; the text is the formula.
    FormulaWithoutValue(String),
}

impl Cell {
    /// Empty, or text of only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// The non-empty rows of one sheet, located as Excel shows them.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    /// The sheet's name (a CSV file's name).
    pub sheet: String,
    /// Non-blank rows in order: zero-based row index, then the non-blank cells by zero-based column.
    pub rows: Vec<(u32, Vec<(u32, Cell)>)>,
    /// Non-blank rows past those kept (the header, title lines and one row past the limit are kept).
    pub more_rows: usize,
    /// Merged ranges, zero-based `(first row, first column, last row, last column)`.
    pub merged: Vec<(u32, u32, u32, u32)>,
    /// The first non-blank cell past `MAX_COLUMNS`, if any.
    pub beyond_columns: Option<(u32, u32)>,
}

/// The kind of file, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Csv,
}

/// The kind of file its name says, or the issue for any other name.
pub fn file_kind(file_name: &str) -> Result<FileKind, SheetIssue> {
    let lower = file_name.trim().to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        Ok(FileKind::Xlsx)
    } else if lower.ends_with(".csv") {
        Ok(FileKind::Csv)
    } else if lower.ends_with(".xls") {
        Err(SheetIssue::file(SheetProblem::OldExcel))
    } else {
        Err(SheetIssue::file(SheetProblem::UnknownFormat { file_name: file_name.to_string() }))
    }
}

/// Which sheet of a workbook to read, and how many rows to keep.
#[derive(Clone, Copy, Debug)]
pub struct Wanted {
    /// The sheet's name, (Chinese, English): either is read (any case), else the first visible worksheet.
    pub sheet: (&'static str, &'static str),
    /// The most data rows the import accepts; one more is kept so that "too many" can be told.
    pub max_rows: usize,
}

/// The institutions sheet (机构 / Institutions), up to [`MAX_ROWS`] institutions.
pub const INSTITUTIONS: Wanted = Wanted { sheet: crate::INSTITUTIONS_SHEET, max_rows: MAX_ROWS };

/// Reads the file into the grid of its institutions sheet.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Grid, SheetIssue> {
    read_wanted(bytes, file_name, INSTITUTIONS)
}

/// Reads the file into the grid of the `wanted` sheet (for a CSV file, its only one).
pub fn read_wanted(bytes: &[u8], file_name: &str, wanted: Wanted) -> Result<Grid, SheetIssue> {
    let kind = file_kind(file_name)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SheetIssue::file(SheetProblem::TooLarge { bytes: bytes.len(), max: MAX_FILE_BYTES }));
    }
    if bytes.is_empty() {
        return Err(SheetIssue::file(SheetProblem::EmptyFile));
    }
    match kind {
        FileKind::Xlsx => read_xlsx(bytes, wanted),
        FileKind::Csv => read_csv(bytes, &sheet_name_of_csv(file_name), wanted.max_rows),
    }
}

/// Reads text pasted from a spreadsheet: tab-separated rows (Excel's clipboard), or
/// comma-separated when the first non-blank line has no tab; `sheet` names it in issues.
pub fn read_pasted(text: &str, sheet: &str, max_rows: usize) -> Result<Grid, SheetIssue> {
    if text.len() > MAX_FILE_BYTES {
        return Err(SheetIssue::file(SheetProblem::TooLarge { bytes: text.len(), max: MAX_FILE_BYTES }));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SheetIssue::file(SheetProblem::EmptyFile));
    }
    let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains('\t') { b'\t' } else { b',' };
    records(text, delimiter, sheet, max_rows)
}

/// A CSV file's "sheet" is its name without folders, as Excel names the sheet it opens it in.
fn sheet_name_of_csv(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.to_string()
}

/// Keeps the first non-blank rows and counts the rest.
struct RowCollector {
    /// How many rows to keep: the header row, up to three title lines above it, and one row
    /// past the import's limit, so that "too many rows" can be told.
    kept: usize,
    rows: BTreeMap<u32, Vec<(u32, Cell)>>,
    /// Rows seen after the collector was full (consecutive cells of one row count once).
    more_rows: usize,
    last_extra_row: Option<u32>,
    beyond_columns: Option<(u32, u32)>,
}

impl RowCollector {
    fn new(max_rows: usize) -> RowCollector {
        RowCollector {
            kept: max_rows.saturating_add(5),
            rows: BTreeMap::new(),
            more_rows: 0,
            last_extra_row: None,
            beyond_columns: None,
        }
    }

    fn push(&mut self, row: u32, column: u32, cell: Cell) {
        if cell.is_blank() {
            return;
        }
        if column >= MAX_COLUMNS {
            if self.beyond_columns.is_none() {
                self.beyond_columns = Some((row, column));
            }
            return;
        }
        if let Some(cells) = self.rows.get_mut(&row) {
            cells.push((column, cell));
        } else if self.rows.len() < self.kept {
            self.rows.insert(row, vec![(column, cell)]);
        } else if self.last_extra_row != Some(row) {
            self.more_rows = self.more_rows.saturating_add(1);
            self.last_extra_row = Some(row);
        }
    }

    fn finish(self, sheet: String, merged: Vec<(u32, u32, u32, u32)>) -> Grid {
        let rows = self
            .rows
            .into_iter()
            .map(|(row, mut cells)| {
                cells.sort_by_key(|(column, _)| *column);
                (row, cells)
            })
            .collect();
        Grid { sheet, rows, more_rows: self.more_rows, merged, beyond_columns: self.beyond_columns }
    }
}

/// The signature of the compound-file container of .xls files and of encrypted workbooks.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn read_xlsx(bytes: &[u8], wanted: Wanted) -> Result<Grid, SheetIssue> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(SheetIssue::file(SheetProblem::OldExcel));
    }
    if !bytes.starts_with(b"PK") {
        let what = if decode_text(bytes).is_some() { Content::Text } else { Content::Unknown };
        return Err(SheetIssue::file(SheetProblem::NotXlsx { what }));
    }
    check_unpacked_size(bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(workbook_error)?;
    let sheet = choose_sheet(&workbook, wanted.sheet)?;
    let merged = workbook
        .merge_cells_by_sheet_name(&sheet)
        .map_err(workbook_error)?
        .into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    let mut collector = RowCollector::new(wanted.max_rows);
    let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(workbook_error)?;
    while let Some(record) = reader.next_cell_with_formula().map_err(workbook_error)? {
        let (row, column) = record.pos;
        let cell = match (record.formula, record.value) {
            (Some(formula), DataRef::Empty) => Cell::FormulaWithoutValue(formula),
            (Some(formula), DataRef::String(s)) if s.is_empty() => Cell::FormulaWithoutValue(formula),
            (_, value) => cell_of(value),
        };
        collector.push(row, column, cell);
    }
    Ok(collector.finish(sheet, merged))
}

fn cell_of(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Int(i),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(d) => Cell::Date(date_text(&d)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A date cell as a person reads it: `2019-01-31`, `2019-01-31 12:00:00`, or a time of day
/// `08:30:00`; a duration as Excel's number of days.
fn date_text(value: &calamine::ExcelDateTime) -> String {
    if value.is_duration() {
        return value.to_string();
    }
    let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
    let time = (hour, minute, second) != (0, 0, 0);
    if value.as_f64() < 1.0 {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if time {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// Refuses a workbook whose parts, unpacked, are larger than [`MAX_UNPACKED_BYTES`] (from the
/// sizes the zip declares), before calamine unpacks the shared strings into memory.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), SheetIssue> {
    let not_workbook =
        |err: zip::result::ZipError| SheetIssue::file(SheetProblem::NotWorkbook { detail: err.to_string() });
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(not_workbook)?;
    // The central directory's sizes (Excel and rust_xlsxwriter both write data descriptors,
    // for which `decompressed_size` gives up; the directory still records every size).
    let mut unpacked = 0_u64;
    for index in 0..archive.len() {
        let size = archive.by_index_raw(index).map_err(not_workbook)?.size();
        unpacked = unpacked.saturating_add(size);
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(SheetIssue::file(SheetProblem::UnpackedTooLarge {
            bytes: unpacked,
            max: MAX_UNPACKED_BYTES,
        }));
    }
    Ok(())
}

fn workbook_error(err: XlsxError) -> SheetIssue {
    match err {
        XlsxError::Password => SheetIssue::file(SheetProblem::Encrypted),
        other => SheetIssue::file(SheetProblem::NotWorkbook { detail: other.to_string() }),
    }
}

/// The sheet named `names` (either, any case), else the first visible worksheet.
fn choose_sheet<R: std::io::Read + std::io::Seek>(
    workbook: &Xlsx<R>,
    names: (&str, &str),
) -> Result<String, SheetIssue> {
    let sheets = workbook.sheets_metadata();
    let worksheets: Vec<_> = sheets.iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    let wanted = [normalize_header(names.0), normalize_header(names.1)];
    if let Some(sheet) = worksheets.iter().find(|s| wanted.contains(&normalize_header(&s.name))) {
        return Ok(sheet.name.clone());
    }
    worksheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .or(worksheets.first())
        .map(|s| s.name.clone())
        .ok_or_else(|| SheetIssue::file(SheetProblem::NoWorksheet))
}

/// Decodes CSV bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
/// (Excel's "Unicode text"), else GB18030/GBK (what Chinese Excel writes for plain "CSV").
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        std::str::from_utf8(rest).ok()?.to_string()
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)?
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_string()
    } else {
        decode_gb18030(bytes)?
    };
    // Binary data decodes as text now and then; a NUL or other control character gives it away.
    let binary = text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    (!binary).then_some(text)
}

/// UTF-16 code units, strictly (an odd length or an unpaired surrogate is not text).
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair.get(1).copied().unwrap_or(0)]));
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

/// GB18030 (a superset of GBK), strictly: `None` on a malformed sequence.
///
/// Natively, encoding_rs; in the browser, the browser's own `TextDecoder` (the same WHATWG
/// decoder; encoding_rs is Firefox's implementation of it), because encoding_rs's decoder
/// dispatch would link every legacy encoding's tables into the module (measured: about
/// 250 KB of the module's read-only data).
#[cfg(not(target_arch = "wasm32"))]
fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    let (text, malformed) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!malformed).then(|| text.into_owned())
}

#[cfg(target_arch = "wasm32")]
fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    crate::wasm::decode_gb18030(bytes)
}

fn read_csv(bytes: &[u8], sheet: &str, max_rows: usize) -> Result<Grid, SheetIssue> {
    let text = decode_text(bytes).ok_or_else(|| SheetIssue::file(SheetProblem::NotText))?;
    if text.trim().is_empty() {
        return Err(SheetIssue::file(SheetProblem::EmptyFile));
    }
    records(&text, sniff_delimiter(&text), sheet, max_rows)
}

/// Delimited text as a grid: every field a text cell, records numbered as Excel numbers rows.
fn records(text: &str, delimiter: u8, sheet: &str, max_rows: usize) -> Result<Grid, SheetIssue> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut collector = RowCollector::new(max_rows);
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|_| SheetIssue::file(SheetProblem::NotText))?;
        let row = u32::try_from(index).unwrap_or(u32::MAX);
        for (column, field) in record.iter().enumerate() {
            let column = u32::try_from(column).unwrap_or(u32::MAX);
            collector.push(row, column, Cell::Text(field.to_string()));
        }
    }
    Ok(collector.finish(sheet.to_string(), Vec::new()))
}

/// Comma, unless the first non-blank line has tabs (or semicolons) and no comma.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    if first.contains(',') {
        b','
    } else if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    }
}

/// `A1`-style reference of a zero-based cell.
pub fn cell_ref(row: u32, column: u32) -> String {
    format!("{}{}", column_letters(column), row.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_the_format() {
        assert_eq!(file_kind("banks.xlsx"), Ok(FileKind::Xlsx));
        assert_eq!(file_kind("BANKS.XLSX"), Ok(FileKind::Xlsx));
        assert_eq!(file_kind("a/b/banks.csv"), Ok(FileKind::Csv));
        assert_eq!(file_kind("banks.xls").map_err(|i| i.problem), Err(SheetProblem::OldExcel));
        assert!(matches!(
            file_kind("banks.numbers").map_err(|i| i.problem),
            Err(SheetProblem::UnknownFormat { .. })
        ));
    }

    #[test]
    fn text_in_utf8_utf16_and_gbk() {
        assert_eq!(decode_text("编号,名称".as_bytes()).as_deref(), Some("编号,名称"));
        assert_eq!(decode_text(b"\xEF\xBB\xBFid").as_deref(), Some("id"));
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称");
        assert_eq!(decode_text(&gbk).as_deref(), Some("编号,名称"));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "编号\tid".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).as_deref(), Some("编号\tid"));
        assert_eq!(decode_text(&[0, 1, 2, 3]), None);
    }

    #[test]
    fn dates_are_shown_as_people_read_them() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let shown = |value: f64, kind| date_text(&ExcelDateTime::new(value, kind, false));
        assert_eq!(shown(43496.0, ExcelDateTimeType::DateTime), "2019-01-31");
        assert_eq!(shown(43496.5, ExcelDateTimeType::DateTime), "2019-01-31 12:00:00");
        assert_eq!(shown(0.25, ExcelDateTimeType::DateTime), "06:00:00");
        assert_eq!(shown(1.5, ExcelDateTimeType::TimeDelta), "1.5");
    }

    #[test]
    fn pasted_text_is_tab_separated_unless_it_has_no_tab() {
        let cells = |grid: &Grid| -> Vec<Vec<String>> {
            grid.rows
                .iter()
                .map(|(_, cells)| {
                    cells
                        .iter()
                        .map(|(_, cell)| if let Cell::Text(t) = cell { t.clone() } else { String::new() })
                        .collect()
                })
                .collect()
        };
        let grid = read_pasted("a\tb,c\r\n1\t\"2\t3\"\r\n", "p", 10).ok().unwrap_or_default();
        assert_eq!(cells(&grid), [vec!["a", "b,c"], vec!["1", "2\t3"]]);
        let grid = read_pasted("\u{feff}a,b\n1,2\n", "p", 10).ok().unwrap_or_default();
        assert_eq!(cells(&grid), [vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(grid.sheet, "p");
        assert!(matches!(
            read_pasted(" \n\t", "p", 10),
            Err(SheetIssue { problem: SheetProblem::EmptyFile, .. })
        ));
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("\n\nid,name\n"), b',');
        assert_eq!(sniff_delimiter("id\tname"), b'\t');
        assert_eq!(sniff_delimiter("id;name"), b';');
        assert_eq!(sniff_delimiter("id"), b',');
    }
}
