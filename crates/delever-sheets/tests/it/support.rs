//! Test helpers: presets, workbooks built cell by cell, and reading a workbook back with calamine.

use std::io::{Cursor, Read, Write};

use calamine::{Data, Reader, Xlsx};
use delever_model::scenario::Institution;
use delever_model::{Lang, parse_scenario};
use delever_sheets::SheetIssue;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

/// A preset's scenario file.
pub fn preset(id: &str) -> &'static str {
    delever_model::presets::get(id).map(|p| p.json).unwrap_or_default()
}

/// The Licheng plan as one aggregate institution (`all`): the import cases replace or add to it.
pub fn licheng() -> &'static str {
    delever_model::presets::LICHENG_AGGREGATE
}

/// One cell of a test workbook.
#[derive(Clone, Debug)]
pub enum C {
    S(String),
    N(f64),
    B(bool),
    Date,
    /// A formula and its saved result (`None`: an empty result, as a file never calculated).
    F(&'static str, Option<&'static str>),
    Blank,
}

pub fn s(text: &str) -> C {
    C::S(text.to_string())
}

/// The header and one valid row that Licheng accepts (its events name `all`).
pub fn minimal_rows() -> Vec<Vec<C>> {
    vec![
        vec![s("编号"), s("名称"), s("期初存款"), s("期初贷款"), s("期初不良贷款")],
        vec![s("all"), s("全辖银行业机构"), C::N(500.0), C::N(500.0), C::N(3.0)],
    ]
}

/// A workbook with one sheet `name` holding `rows` (first row is row 1), then `edit` for merges and the like.
pub fn workbook_with(name: &str, rows: &[Vec<C>], edit: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let mut sheet = Worksheet::new();
    if let Err(err) = sheet.set_name(name) {
        panic!("sheet name {name}: {err}");
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap();
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap();
            let result = match cell {
                C::S(text) => sheet.write_string(r, c, text).map(|_| ()),
                C::N(n) => sheet.write_number(r, c, *n).map(|_| ()),
                C::B(b) => sheet.write_boolean(r, c, *b).map(|_| ()),
                C::Date => {
                    let date = ExcelDateTime::from_ymd(2019, 1, 31).unwrap();
                    sheet.write_datetime_with_format(r, c, &date, &date_format).map(|_| ())
                }
                C::F(formula, result) => {
                    sheet.write_formula(r, c, *formula).unwrap();
                    sheet.set_formula_result(r, c, result.unwrap_or(""));
                    Ok(())
                }
                C::Blank => Ok(()),
            };
            result.unwrap();
        }
    }
    edit(&mut sheet);
    workbook.push_worksheet(sheet);
    workbook.save_to_buffer().unwrap()
}

pub fn workbook(rows: &[Vec<C>]) -> Vec<u8> {
    workbook_with("机构", rows, |_| {})
}

/// Rewrites one part of a zip (an xlsx), e.g. to remove a formula's saved result.
pub fn edit_zip_part(bytes: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == part {
            content = edit(&String::from_utf8(content).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A zip holding one text file: a valid zip that is no workbook.
pub fn plain_zip() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    out.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    out.write_all(b"hello").unwrap();
    out.finish().unwrap().into_inner()
}

/// Imports into Licheng and returns the new scenario's institutions (panics with the issues otherwise).
#[track_caller]
pub fn import_ok(scenario: &str, bytes: &[u8], name: &str) -> Vec<Institution> {
    match delever_sheets::import_institutions(scenario, bytes, name) {
        Ok(text) => match parse_scenario(&text) {
            Ok(s) => s.institutions,
            Err(issues) => panic!("the imported scenario is invalid: {issues:?}"),
        },
        Err(issues) => panic!("import failed:\n{}", lines(&issues)),
    }
}

/// The issues of a failed import (panics if it succeeded).
#[track_caller]
pub fn import_err(scenario: &str, bytes: &[u8], name: &str) -> Vec<SheetIssue> {
    match delever_sheets::import_institutions(scenario, bytes, name) {
        Ok(_) => panic!("{name} was imported but should not have been"),
        Err(issues) => {
            assert!(!issues.is_empty(), "an error without issues");
            for issue in &issues {
                // Every message exists in both languages, and they differ.
                let (en, zh) = (issue.message(Lang::En), issue.message(Lang::Zh));
                assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{en} / {zh}");
            }
            issues
        }
    }
}

pub fn lines(issues: &[SheetIssue]) -> String {
    issues.iter().map(|i| i.display(Lang::En)).collect::<Vec<_>>().join("\n")
}

/// A workbook read back: the sheet names and each sheet's cells.
pub struct ReadBack {
    pub workbook: Xlsx<Cursor<Vec<u8>>>,
}

impl ReadBack {
    pub fn new(bytes: Vec<u8>) -> ReadBack {
        ReadBack { workbook: Xlsx::new(Cursor::new(bytes)).unwrap() }
    }

    pub fn names(&self) -> Vec<String> {
        self.workbook.sheet_names()
    }

    /// The sheet's cells as rows of values, from A1.
    pub fn rows(&mut self, sheet: &str) -> Vec<Vec<Data>> {
        let range = self.workbook.worksheet_range(sheet).unwrap();
        let (height, width) = (range.end().map_or(0, |e| e.0 + 1), range.end().map_or(0, |e| e.1 + 1));
        (0..height)
            .map(|r| (0..width).map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty)).collect())
            .collect()
    }
}

/// A cell's text, or the empty string.
pub fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A cell's number.
#[track_caller]
pub fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}
