//! Malformed files: each gives its issue at the right sheet, row and column, in both languages, and imports nothing.

use delever_model::Lang;
use delever_sheets::issue::{Content, SheetProblem};
use delever_sheets::limits::{MAX_FILE_BYTES, MAX_ROWS};

use crate::support::*;

/// Where an issue should be, and a piece of its English message.
struct Expect {
    sheet: &'static str,
    row: Option<u32>,
    /// The cell (`E2`), or empty for none.
    cell: &'static str,
    column: &'static str,
    says: &'static str,
}

const fn at(
    sheet: &'static str,
    row: Option<u32>,
    cell: &'static str,
    column: &'static str,
    says: &'static str,
) -> Expect {
    Expect { sheet, row, cell, column, says }
}

/// Imports `bytes` as `name` into Licheng and checks the issues, in order.
#[track_caller]
fn check(bytes: &[u8], name: &str, expected: &[Expect]) {
    check_into(licheng(), bytes, name, expected);
}

#[track_caller]
fn check_into(scenario: &str, bytes: &[u8], name: &str, expected: &[Expect]) {
    let issues = import_err(scenario, bytes, name);
    let shown = lines(&issues);
    assert_eq!(issues.len(), expected.len(), "issues:\n{shown}");
    for (issue, want) in issues.iter().zip(expected) {
        assert_eq!(issue.sheet, want.sheet, "sheet of {}", issue.display(Lang::En));
        assert_eq!(issue.row, want.row, "row of {}", issue.display(Lang::En));
        assert_eq!(issue.cell.as_deref().unwrap_or(""), want.cell, "cell of {}", issue.display(Lang::En));
        assert_eq!(issue.column, want.column, "column of {}", issue.display(Lang::En));
        let message = issue.message(Lang::En);
        assert!(message.contains(want.says), "\"{message}\" does not say \"{}\"", want.says);
    }
}

fn with_cell(row: usize, column: usize, cell: C) -> Vec<Vec<C>> {
    let mut rows = minimal_rows();
    rows[row][column] = cell;
    rows
}

#[test]
fn wrong_types_in_cells() {
    // Row 2: id A, name B, deposits C, loans D, NPL E.
    check(
        &workbook(&with_cell(1, 2, s("abc"))),
        "a.xlsx",
        &[at("机构", Some(2), "C2", "期初存款", "\"abc\" is not a number")],
    );
    check(
        &workbook(&with_cell(1, 3, C::Date)),
        "a.xlsx",
        &[at("机构", Some(2), "D2", "期初贷款", "holds a date")],
    );
    check(
        &workbook(&with_cell(1, 4, C::B(true))),
        "a.xlsx",
        &[at("机构", Some(2), "E2", "期初不良贷款", "holds TRUE")],
    );
    check(
        &workbook(&with_cell(1, 4, C::F("=1/0", Some("#DIV/0!")))),
        "a.xlsx",
        &[at("机构", Some(2), "E2", "期初不良贷款", "#DIV/0!")],
    );
    check(
        &workbook(&with_cell(1, 2, s("8.5%"))),
        "a.xlsx",
        &[at("机构", Some(2), "C2", "期初存款", "write an amount")],
    );
    check(
        &workbook(&with_cell(1, 2, s("1,5"))),
        "a.xlsx",
        &[at("机构", Some(2), "C2", "期初存款", "\"1,5\" is not a number")],
    );
}

#[test]
fn an_empty_required_cell() {
    let mut rows = minimal_rows();
    rows[1][0] = C::Blank;
    // (Licheng's events name "all"; the engine checks them once the institutions are valid.)
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(2), "A2", "编号", "this column is required")]);
    rows = minimal_rows();
    rows[1][3] = C::Blank;
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(2), "D2", "期初贷款", "this column is required")]);
}

#[test]
fn columns_missing_unknown_repeated_or_without_header() {
    let mut rows = minimal_rows();
    for row in &mut rows {
        row.pop();
    }
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(1), "", "", "the required column \"Opening NPL\"")]);

    let mut rows = minimal_rows();
    rows[0][1] = s("存款余额");
    check(
        &workbook(&rows),
        "a.xlsx",
        &[at("机构", Some(1), "B1", "存款余额", "\"存款余额\" is not a column of the template")],
    );

    let mut rows = minimal_rows();
    rows[0].push(s("Opening deposits"));
    rows[1].push(C::N(1.0));
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(1), "F1", "Opening deposits", "repeats column C")]);

    let mut rows = minimal_rows();
    rows[1].push(C::Blank);
    rows[1].push(C::N(1.0));
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(2), "G2", "G", "its column has no header")]);
}

#[test]
fn headers_in_english_codes_any_case_and_with_units() {
    let mut rows = minimal_rows();
    rows[0] = vec![s("ID"), s(" name "), s("期初存款（亿元）"), s("OPENING LOANS"), s("npl")];
    assert_eq!(import_ok(licheng(), &workbook(&rows), "a.xlsx").len(), 1);
}

#[test]
fn duplicate_ids() {
    let mut rows = minimal_rows();
    rows.push(rows[1].clone());
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(3), "A3", "编号", "already used on row 2")]);
}

#[test]
fn formulas_without_a_saved_result() {
    // rust_xlsxwriter's empty result…
    check(
        &workbook(&with_cell(1, 2, C::F("=SUM(X1:X9)", None))),
        "a.xlsx",
        &[at("机构", Some(2), "C2", "期初存款", "=SUM(X1:X9) has no saved result")],
    );
    // …and a cell with no <v> at all, as other writers leave it.
    let bytes = workbook(&with_cell(1, 2, C::F("=SUM(X1:X9)", Some("499"))));
    let bytes = edit_zip_part(&bytes, "xl/worksheets/sheet1.xml", |xml| xml.replace("<v>499</v>", ""));
    check(&bytes, "a.xlsx", &[at("机构", Some(2), "C2", "期初存款", "has no saved result")]);
}

#[test]
fn merged_cells() {
    let mut rows = minimal_rows();
    rows.push(vec![s("other"), s("x"), C::N(1.0), C::N(1.0), C::N(0.0)]);
    let bytes = workbook_with("机构", &rows, |sheet| {
        sheet.merge_range(1, 1, 2, 1, "合并", &rust_xlsxwriter::Format::new()).unwrap();
    });
    check(&bytes, "a.xlsx", &[at("机构", Some(2), "B2", "", "cells B2:B3 are merged")]);
}

#[test]
fn ten_thousand_rows_are_refused_and_the_limit_itself_is_accepted() {
    let mut rows = minimal_rows();
    rows.pop();
    for i in 0..10_000 {
        rows.push(vec![s(&format!("b{i}")), s("x"), C::N(1.0), C::N(1.0), C::N(0.0)]);
    }
    check(&workbook(&rows), "big.xlsx", &[at("机构", None, "", "", "10000 institution rows; at most 500")]);

    // Exactly the engine's limit imports (Licheng's events name "all": drop them).
    let mut doc: serde_json::Value = serde_json::from_str(licheng()).unwrap();
    doc["events"] = serde_json::json!([]);
    rows.truncate(1 + MAX_ROWS);
    assert_eq!(import_ok(&doc.to_string(), &workbook(&rows), "500.xlsx").len(), MAX_ROWS);
    rows.push(vec![s("one_more"), s("x"), C::N(1.0), C::N(1.0), C::N(0.0)]);
    check_into(
        &doc.to_string(),
        &workbook(&rows),
        "501.xlsx",
        &[at("机构", None, "", "", "501 institution rows")],
    );
}

#[test]
fn files_that_are_not_workbooks() {
    let file = |problem: &'static str| [at("", None, "", "", problem)];
    check(b"", "a.xlsx", &file("the file is empty"));
    check(&[0x00, 0x9f, 0x92, 0x96, 0xff, 0x01, 0x02], "a.xlsx", &file("is not an Excel workbook"));
    check("编号,期初存款\nall,500\n".as_bytes(), "a.xlsx", &file("holds text"));
    check(&plain_zip(), "a.xlsx", &file("not a readable Excel workbook"));
    check(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "a.xlsx", &file("Excel 97"));
    check(b"anything", "a.xls", &file("Excel 97"));
    check(b"%PDF-1.4", "banks.pdf", &file("neither an .xlsx nor a .csv"));
    check(&vec![b' '; MAX_FILE_BYTES + 1], "a.csv", &file("at most 10485760 bytes"));
    // A truncated workbook.
    let bytes = workbook(&minimal_rows());
    check(&bytes[..bytes.len() / 2], "a.xlsx", &file("not a readable Excel workbook"));
    // The issue says what the content looked like.
    let issues = import_err(licheng(), b"id,name", "a.xlsx");
    assert_eq!(issues[0].problem, SheetProblem::NotXlsx { what: Content::Text });
}

#[test]
fn empty_sheets_and_sheets_without_rows() {
    check(&workbook(&[]), "a.xlsx", &[at("机构", None, "", "", "the sheet is empty")]);
    check(&workbook(&minimal_rows()[..1]), "a.xlsx", &[at("机构", Some(1), "", "", "no institution rows")]);
    check(
        "\u{feff}编号,期初存款,期初贷款,期初不良贷款\r\n".as_bytes(),
        "a.csv",
        &[at("a.csv", Some(1), "", "", "no institution rows")],
    );
    check(b"\n \n", "a.csv", &[at("", None, "", "", "the file is empty")]);
    check(&[0, 1, 2, 3, 0xff, 0xfe, 0], "a.csv", &[at("", None, "", "", "not text in UTF-8")]);
}

#[test]
fn the_institutions_sheet_is_found_by_name_else_the_first_sheet_is_read() {
    let bytes = workbook_with("Institutions", &minimal_rows(), |_| {});
    assert_eq!(import_ok(licheng(), &bytes, "a.xlsx").len(), 1);
    let bytes = workbook_with("Sheet1", &with_cell(1, 2, s("x")), |_| {});
    check(&bytes, "a.xlsx", &[at("Sheet1", Some(2), "C2", "期初存款", "\"x\" is not a number")]);
}

#[test]
fn the_engine_rules_land_on_their_cells() {
    // NPL above loans, on the NPL cell.
    check(
        &workbook(&with_cell(1, 4, C::N(600.0))),
        "a.xlsx",
        &[at("机构", Some(2), "E2", "期初不良贷款", "NPL 600 exceeds loans 500")],
    );
    // A rate typed in percent points, with the hint.
    let mut rows = minimal_rows();
    rows[0].push(s("贷款增速"));
    rows[1].push(C::N(8.5));
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(2), "F2", "贷款增速", "rates are fractions")]);
    // Per-year lists must have one value per year (Licheng runs one year).
    rows[1][5] = s("5%; 6%");
    check(
        &workbook(&rows),
        "a.xlsx",
        &[at("机构", Some(2), "F2", "贷款增速", "has 2 values; it must have exactly 1")],
    );
    // Channel shares must sum to 100%: on the first channel filled.
    let mut rows = minimal_rows();
    rows[0].extend([s("清收占比"), s("核销占比")]);
    rows[1].extend([C::Blank, s("60%")]);
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(2), "G2", "核销占比", "the shares sum to 0.6")]);
    // Capital needs both columns.
    let mut rows = minimal_rows();
    rows[0].push(s("期初一级资本"));
    rows[1].push(C::N(9.0));
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(2), "", "期初杠杆率敞口", "must be given together")]);
    // The reserved id.
    check(
        &workbook(&with_cell(1, 0, s("region"))),
        "a.xlsx",
        &[at("机构", Some(2), "A2", "编号", "\"region\" is not allowed")],
    );
}

#[test]
fn words_and_groups() {
    let mut rows = minimal_rows();
    rows[0].extend([
        s("类型"),
        s("贷款增速口径"),
        s("处置节奏"),
        s("处置计划金额"),
        s("处置比例"),
        s("示意数据"),
    ]);
    rows[1].extend([s("bank"), s("gross"), s("1;2"), C::N(1.0), s("5%"), s("存款")]);
    check(
        &workbook(&rows),
        "a.xlsx",
        &[
            at("机构", Some(2), "F2", "类型", "\"bank\" is not allowed"),
            at("机构", Some(2), "G2", "贷款增速口径", "\"gross\" is not allowed"),
            at("机构", Some(2), "H2", "处置节奏", "2 values"),
            at("机构", Some(2), "J2", "处置比例", "fill one of them"),
            at("机构", Some(2), "K2", "示意数据", "\"存款\" is not allowed"),
        ],
    );
}

#[test]
fn targets_and_events_that_name_a_missing_institution_are_reported_plainly() {
    let rows = with_cell(1, 0, s("bank_a"));
    let issues = import_err(licheng(), &workbook(&rows), "a.xlsx");
    assert_eq!(issues.len(), 1, "{}", lines(&issues));
    assert_eq!(issues[0].sheet, "");
    assert!(issues[0].message(Lang::En).contains("events[0].institution: \"all\" is not the id"));
    assert!(issues[0].message(Lang::Zh).contains("导入的文件中没有该机构"));
}

#[test]
fn the_current_scenario_must_be_json() {
    let issues = import_err("{", &workbook(&minimal_rows()), "a.xlsx");
    assert!(issues[0].message(Lang::En).contains("not valid JSON"), "{}", lines(&issues));
    let issues = import_err("[]", &workbook(&minimal_rows()), "a.xlsx");
    assert!(issues[0].message(Lang::En).contains("wrong type"), "{}", lines(&issues));
}

#[test]
fn every_problem_is_listed_at_once_up_to_a_limit() {
    let mut rows = minimal_rows();
    rows.pop();
    for i in 0..300 {
        rows.push(vec![s(&format!("b{i}")), s("x"), s("?"), C::N(1.0), C::N(0.0)]);
    }
    let issues = import_err(licheng(), &workbook(&rows), "a.xlsx");
    assert_eq!(issues.len(), 201);
    assert!(issues[200].message(Lang::En).contains("100 more problems"), "{}", issues[200].message(Lang::En));
    assert_eq!(issues[0].cell.as_deref(), Some("C2"));
    assert_eq!(issues[199].cell.as_deref(), Some("C201"));
}

#[test]
fn csv_cells_are_located_by_record() {
    let csv = "编号,期初存款,期初贷款,期初不良贷款\r\nall,500,500,3\r\n\"b\nc\",x,1,0\r\n";
    check(
        csv.as_bytes(),
        "banks.csv",
        &[at("banks.csv", Some(3), "B3", "期初存款", "\"x\" is not a number")],
    );
    // Tab-separated ("Unicode text" from Excel).
    let tsv = "编号\t期初存款\t期初贷款\t期初不良贷款\nall\t500\t500\t3\n";
    assert_eq!(import_ok(licheng(), tsv.as_bytes(), "a.csv").len(), 1);
}

#[test]
fn issues_as_json_for_the_page() {
    let issues = import_err(licheng(), &workbook(&with_cell(1, 2, s("abc"))), "a.xlsx");
    let json = issues[0].to_json(Lang::Zh);
    assert_eq!(json["sheet"], "机构");
    assert_eq!(json["row"], 2);
    assert_eq!(json["column"], "期初存款");
    assert_eq!(json["cell"], "C2");
    assert!(json["message"].as_str().unwrap().contains("不是数值"));
    let file = import_err(licheng(), b"", "a.xlsx");
    assert_eq!(file[0].to_json(Lang::En)["row"], serde_json::Value::Null);
}

#[test]
fn title_lines_above_the_headers_are_skipped() {
    let mut rows =
        vec![vec![s("鲤城区银行业机构 2018 年末数据（亿元）")], vec![C::Blank, s("数据来源：人民银行")]];
    rows.extend(minimal_rows());
    assert_eq!(import_ok(licheng(), &workbook(&rows), "a.xlsx").len(), 1);
    // A wrong cell is still reported where Excel shows it.
    rows[3][2] = s("x");
    check(&workbook(&rows), "a.xlsx", &[at("机构", Some(4), "C4", "期初存款", "\"x\" is not a number")]);
    // A line with two cells is not a title: it is the header row, and its headers are checked.
    let rows = vec![vec![s("标题"), s("副标题")], minimal_rows()[0].clone(), minimal_rows()[1].clone()];
    let issues = import_err(licheng(), &workbook(&rows), "a.xlsx");
    assert!(lines(&issues).contains("\"标题\" is not a column"), "{}", lines(&issues));
}
