//! The actuals import (月报): good files in every form, bad ones each at its sheet, row and column, and the template's round trip.
//!
//! The scenarios are written here, not taken from the presets, so that a preset's edits do
//! not move these tests.

use delever_model::{Lang, parse_scenario};
use delever_sheets::actuals::columns::ACTUAL_COLUMNS;
use delever_sheets::issue::{ActualsProblem, SheetProblem};
use delever_sheets::limits::MAX_ACTUAL_ROWS;
use delever_sheets::{Format, SheetIssue, actuals_template, import_actuals, import_actuals_text};
use serde_json::{Value, json};

use crate::support::*;

const DEFAULTS: &str = r#"{"deposit_growth": "0.052", "loan_growth": "0.085", "loan_growth_basis": "lending",
  "npl_formation_rate": "0.014", "disposal": {"plan": "amount", "amount": "10"},
  "channels": {"collection": "0.2", "write_off": "0.5", "transfer": "0.3"}, "pacing": {"h1_share": "0.6"},
  "recovery": {"transfer": "0.3", "securitization": "0.35", "debt_equity": "0.6", "foreclosure": "0.5"},
  "provisioning": {"coverage_floor": "1.5", "allowance_floor": "0.015"},
  "capital": {"pre_provision_return": "0.02", "retention": "0.7"}}"#;

/// A Licheng-like scenario: one institution `all`, 2019, no actuals.
fn one() -> String {
    format!(
        r#"{{"schema": 1, "name": "fixture", "unit": "亿元", "start": "2018-12", "years": 1,
  "defaults": {DEFAULTS},
  "institutions": [{{"id": "all", "name": "全辖银行业机构",
    "opening": {{"deposits": "500", "loans": "500", "npl": "3.0", "provisions": "7.5"}}}}],
  "events": [{{"month": "2019-07", "institution": "all", "amount": "1.2", "label": "x"}}],
  "targets": [{{"id": "npl_cap", "metric": "npl", "op": "le", "value": "1.7", "year": 2019, "scope": "region"}}]}}"#
    )
}

/// Two institutions over two years: `a` without capital, `b` with it.
fn two() -> String {
    format!(
        r#"{{"schema": 1, "name": "two", "start": "2018-12", "years": 2, "defaults": {DEFAULTS},
  "institutions": [
    {{"id": "a", "opening": {{"deposits": "300", "loans": "280", "npl": "2"}}}},
    {{"id": "b", "opening": {{"deposits": "120", "loans": "90", "npl": "2.4", "provisions": "3.6",
      "tier1_capital": "9", "leverage_exposure": "150"}}}}]}}"#
    )
}

/// `scenario` with `actuals` set to `list`.
fn with_actuals(scenario: &str, list: Value) -> String {
    let mut doc: Value = serde_json::from_str(scenario).unwrap();
    doc["actuals"] = list;
    doc.to_string()
}

/// One way of giving the import a table.
enum Input {
    Csv(&'static str),
    Xlsx(&'static str, Vec<Vec<C>>),
    Paste(&'static str),
}

fn run(scenario: &str, input: &Input) -> Result<String, Vec<SheetIssue>> {
    match input {
        Input::Csv(text) => import_actuals(scenario, text.as_bytes(), "a.csv"),
        Input::Xlsx(sheet, rows) => import_actuals(scenario, &workbook_with(sheet, rows, |_| {}), "a.xlsx"),
        Input::Paste(text) => import_actuals_text(scenario, text),
    }
}

/// The new scenario's `actuals`, as compact JSON text (panics with the issues otherwise).
#[track_caller]
fn actuals_of(scenario: &str, input: &Input) -> String {
    match run(scenario, input) {
        Ok(text) => {
            assert!(parse_scenario(&text).is_ok(), "the imported scenario is invalid");
            let doc: Value = serde_json::from_str(&text).unwrap();
            doc["actuals"].to_string()
        }
        Err(issues) => panic!("import failed:\n{}", lines(&issues)),
    }
}

#[track_caller]
fn good(scenario: &str, input: Input, expected: Value) {
    assert_eq!(actuals_of(scenario, &input), expected.to_string());
}

#[test]
fn good_inputs() {
    // CSV, Chinese headers, the disposal as a total; a thousands separator; a month without disposals.
    good(
        &one(),
        Input::Csv(
            "\u{feff}月份,机构代码,各项存款,各项贷款,不良贷款,处置合计\r\n\
             2019-01,all,502.17,503.04,3.08,0.50\r\n\
             2019/2,all,\"1,504.33\",506.18,3.26,0\r\n",
        ),
        json!([
            {"month": "2019-01", "institution": "all", "deposits": "502.17", "loans": "503.04", "npl": "3.08", "disposal": "0.5"},
            {"month": "2019-02", "institution": "all", "deposits": "1504.33", "loans": "506.18", "npl": "3.26", "disposal": "0"}
        ]),
    );
    // CSV, English headers, channels (blank ones are 0), provisions and a negative formation.
    good(
        &one(),
        Input::Csv(
            "Month,Institution,Deposits,Loans,NPL,Collection,Write-off,Transfer,Provisions,NPL formation\n\
             2019-01,all,502.17,503.04,3.08,0.10,0.25,,7.4,-0.02\n",
        ),
        json!([{"month": "2019-01", "institution": "all", "deposits": "502.17", "loans": "503.04", "npl": "3.08",
                "provisions": "7.4", "formation": "-0.02", "disposal": {"collection": "0.1", "write_off": "0.25"}}]),
    );
    // Cells pasted from Excel: tab-separated, Chinese headers with units, 2019年1月, CRLF, a blank line.
    good(
        &one(),
        Input::Paste(
            "月份\t机构代码\t各项存款（亿元）\t各项贷款（亿元）\t不良贷款（亿元）\t清收\t核销\r\n\
             2019年1月\tall\t502.17\t503.04\t3.08\t\t0.25\r\n\
             \t\t\t\t\t\t\r\n\
             2019年2月\tall\t504.33\t506.18\t3.26\t0.08\t0.20\r\n",
        ),
        json!([
            {"month": "2019-01", "institution": "all", "deposits": "502.17", "loans": "503.04", "npl": "3.08", "disposal": {"write_off": "0.25"}},
            {"month": "2019-02", "institution": "all", "deposits": "504.33", "loans": "506.18", "npl": "3.26", "disposal": {"collection": "0.08", "write_off": "0.2"}}
        ]),
    );
    // Pasted with commas (no tab), code names as headers, in another order.
    good(
        &one(),
        Input::Paste("institution,month,npl,loans,deposits,disposal\nall,201901,3.08,503.04,502.17,1e-1\n"),
        json!([{"month": "2019-01", "institution": "all", "deposits": "502.17", "loans": "503.04", "npl": "3.08", "disposal": "0.1"}]),
    );
    // An .xlsx: a title line, number cells, a date cell as the month, a blank row, the sheet found by name.
    good(
        &one(),
        Input::Xlsx(
            "实际数据",
            vec![
                vec![s("鲤城区 2019 年月报")],
                vec![
                    s("月份"),
                    s("机构代码"),
                    s("各项存款"),
                    s("各项贷款"),
                    s("不良贷款"),
                    s("处置合计"),
                    s("拨备余额"),
                ],
                vec![C::Date, s("all"), C::N(502.17), C::N(503.04), C::N(3.08), C::N(0.1 + 0.2), C::N(7.4)],
                vec![],
                vec![s("2019-02"), s("all"), C::N(504.33), C::N(506.18), C::N(3.26), C::N(0.4), C::Blank],
            ],
        ),
        json!([
            {"month": "2019-01", "institution": "all", "deposits": "502.17", "loans": "503.04", "npl": "3.08", "provisions": "7.4", "disposal": "0.3"},
            {"month": "2019-02", "institution": "all", "deposits": "504.33", "loans": "506.18", "npl": "3.26", "disposal": "0.4"}
        ]),
    );
    // Two institutions, English sheet name, capital for the one that models it, every channel.
    good(
        &two(),
        Input::Xlsx(
            "Actuals",
            vec![
                vec![
                    s("Month"),
                    s("Institution"),
                    s("Deposits"),
                    s("Loans"),
                    s("NPL"),
                    s("Collection"),
                    s("Write-off"),
                    s("Transfer"),
                    s("Securitization"),
                    s("Debt-to-equity"),
                    s("Foreclosure"),
                    s("Upgrade"),
                    s("Tier-1 capital"),
                    s("Leverage exposure"),
                ],
                vec![s("2019-01"), s("a"), C::N(301.0), C::N(281.0), C::N(2.1), C::N(0.1)],
                vec![
                    s("2019-01"),
                    s("b"),
                    C::N(121.0),
                    C::N(91.0),
                    C::N(2.3),
                    C::N(0.01),
                    C::N(0.02),
                    C::N(0.03),
                    C::N(0.04),
                    C::N(0.05),
                    C::N(0.06),
                    C::N(0.07),
                    C::N(9.1),
                    C::N(151.0),
                ],
            ],
        ),
        json!([
            {"month": "2019-01", "institution": "a", "deposits": "301", "loans": "281", "npl": "2.1", "disposal": {"collection": "0.1"}},
            {"month": "2019-01", "institution": "b", "deposits": "121", "loans": "91", "npl": "2.3",
             "disposal": {"collection": "0.01", "write_off": "0.02", "transfer": "0.03", "securitization": "0.04",
                          "debt_equity": "0.05", "foreclosure": "0.06", "upgrade": "0.07"},
             "tier1_capital": "9.1", "leverage_exposure": "151"}
        ]),
    );
}

#[test]
fn the_file_replaces_the_actuals_and_keeps_the_rest_of_the_scenario() {
    let before = with_actuals(
        &one(),
        json!([{"month": "2019-01", "institution": "all", "deposits": "1", "loans": "1", "npl": "0", "disposal": "0"},
               {"month": "2019-02", "institution": "all", "deposits": "1", "loans": "1", "npl": "0", "disposal": "0"}]),
    );
    let text = import_actuals(
        &before,
        "月份,机构代码,各项存款,各项贷款,不良贷款,处置合计\n2019-01,all,502,503,3,0.5\n".as_bytes(),
        "a.csv",
    )
    .unwrap();
    let mut after: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(after["actuals"].as_array().map(Vec::len), Some(1));
    let mut before: Value = serde_json::from_str(&before).unwrap();
    after.as_object_mut().unwrap().remove("actuals");
    before.as_object_mut().unwrap().remove("actuals");
    assert_eq!(after.to_string(), before.to_string());
}

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

/// The issues of `input` into `scenario`, in order; nothing may be imported.
#[track_caller]
fn bad(scenario: &str, input: Input, expected: &[Expect]) {
    let issues = match run(scenario, &input) {
        Ok(_) => panic!("imported, but should not have been"),
        Err(issues) => issues,
    };
    let shown = lines(&issues);
    assert_eq!(issues.len(), expected.len(), "issues:\n{shown}");
    for (issue, want) in issues.iter().zip(expected) {
        let (en, zh) = (issue.message(Lang::En), issue.message(Lang::Zh));
        assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{en} / {zh}");
        assert_eq!(issue.sheet, want.sheet, "sheet of {}", issue.display(Lang::En));
        assert_eq!(issue.row, want.row, "row of {}", issue.display(Lang::En));
        assert_eq!(issue.cell.as_deref().unwrap_or(""), want.cell, "cell of {}", issue.display(Lang::En));
        assert_eq!(issue.column, want.column, "column of {}", issue.display(Lang::En));
        assert!(en.contains(want.says), "\"{en}\" does not say \"{}\"", want.says);
    }
}

const HEADER: &str = "月份,机构代码,各项存款,各项贷款,不良贷款,处置合计\n";

/// A CSV of the header and `rows` (leaked: the inputs are `'static`).
fn csv(rows: &[&str]) -> Input {
    let mut text = HEADER.to_string();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    Input::Csv(Box::leak(text.into_boxed_str()))
}

#[test]
fn bad_cells_land_on_their_cells() {
    let one = one();
    let sheet = "a.csv";
    // Row 2: month A, institution B, deposits C, loans D, NPL E, disposal F.
    bad(
        &one,
        csv(&["2019-01,all,abc,500,3,0"]),
        &[at(sheet, Some(2), "C2", "各项存款", "\"abc\" is not a number")],
    );
    bad(&one, csv(&["2019-01,all,500,8%,3,0"]), &[at(sheet, Some(2), "D2", "各项贷款", "write an amount")]);
    bad(
        &one,
        csv(&["2019-01,all,500,-1,0,0"]),
        &[at(sheet, Some(2), "D2", "各项贷款", "-1 is out of range; allowed 0 …")],
    );
    bad(
        &one,
        csv(&["2019-01,all,500,500,600,0"]),
        &[at(sheet, Some(2), "E2", "不良贷款", "NPL 600 exceeds loans 500")],
    );
    bad(
        &one,
        csv(&["2019-01,all,500,500,3,-0.5"]),
        &[at(sheet, Some(2), "F2", "处置合计", "-0.5 is out of range; allowed 0 …")],
    );
    bad(
        &one,
        csv(&["2019-01,all,500,500,,0"]),
        &[at(sheet, Some(2), "E2", "不良贷款", "this column is required")],
    );
    bad(
        &one,
        csv(&["2019-13,all,500,500,3,0"]),
        &[at(sheet, Some(2), "A2", "月份", "\"2019-13\" is not a month")],
    );
    bad(
        &one,
        csv(&["2020-01,all,500,500,3,0"]),
        &[at(sheet, Some(2), "A2", "月份", "outside the projection")],
    );
    bad(
        &one,
        csv(&["2019-01,bank_x,500,500,3,0"]),
        &[at(sheet, Some(2), "B2", "机构代码", "\"bank_x\" is not the id of any institution")],
    );
    // Missing disposal: no 0 is assumed.
    bad(
        &one,
        csv(&["2019-01,all,500,500,3,"]),
        &[at(sheet, Some(2), "F2", "处置合计", "write 0 for a month without disposals")],
    );
    // Several problems at once, in reading order.
    bad(
        &one,
        csv(&["2019-01,all,x,500,3,0", "2019-02,all,500,500,600,y"]),
        &[
            at(sheet, Some(2), "C2", "各项存款", "\"x\" is not a number"),
            at(sheet, Some(3), "E3", "不良贷款", "NPL 600 exceeds loans 500"),
            at(sheet, Some(3), "F3", "处置合计", "\"y\" is not a number"),
        ],
    );
}

#[test]
fn the_disposal_is_the_total_or_the_channels() {
    let one = one();
    // Both: at the total, naming the columns filled.
    bad(
        &one,
        Input::Csv(
            "月份,机构代码,各项存款,各项贷款,不良贷款,处置合计,核销,转让\n2019-01,all,500,500,3,0.5,0.2,0.3\n",
        ),
        &[at(
            "a.csv",
            Some(2),
            "F2",
            "处置合计",
            "both the total \"处置合计\" and the channels \"核销\", \"转让\" are filled",
        )],
    );
    // Neither, in a sheet with only channel columns: at the first channel.
    bad(
        &one,
        Input::Csv("Month,Institution,Deposits,Loans,NPL,Write-off,Transfer\n2019-01,all,500,500,3,,\n"),
        &[at("a.csv", Some(2), "F2", "Write-off", "fill in the disposal total or the channel amounts")],
    );
    // A negative channel, on its cell.
    bad(
        &one,
        Input::Csv("Month,Institution,Deposits,Loans,NPL,Write-off,Transfer\n2019-01,all,500,500,3,0.1,-2\n"),
        &[at("a.csv", Some(2), "G2", "Transfer", "-2 is out of range; allowed 0 …")],
    );
    // No disposal column at all: the header row.
    bad(
        &one,
        Input::Csv("月份,机构代码,各项存款,各项贷款,不良贷款\n2019-01,all,500,500,3\n"),
        &[at("a.csv", Some(1), "", "", "the header row has no disposal column")],
    );
}

#[test]
fn the_engines_rules_on_rows_and_months_land_on_their_rows() {
    let one = one();
    // A second row for the same institution and month: on the month, naming the first row.
    bad(
        &one,
        csv(&["2019-01,all,500,500,3,0", "2019-02,all,500,500,3,0", "2019/1,all,500,500,3,0"]),
        &[at("a.csv", Some(4), "A4", "月份", "\"all\" 2019-01 is already on row 2")],
    );
    // A gap: on the month of the first row after it.
    bad(
        &one,
        csv(&["2019-01,all,500,500,3,0", "2019-03,all,500,500,3,0"]),
        &[at("a.csv", Some(3), "A3", "月份", "\"all\" has no report for 2019-02")],
    );
    // Not from the first month of the projection.
    bad(
        &one,
        csv(&["2019-02,all,500,500,3,0"]),
        &[at("a.csv", Some(2), "A2", "月份", "no report for 2019-01")],
    );
    let two = two();
    // One institution stops early: on its last row.
    bad(
        &two,
        csv(&["2019-01,a,300,280,2,0", "2019-02,a,300,280,2,0", "2019-01,b,120,90,2,0"]),
        &[at("a.csv", Some(4), "A4", "月份", "\"b\" has no report for 2019-02")],
    );
    // An institution with no rows at all: the sheet.
    bad(
        &two,
        csv(&["2019-01,a,300,280,2,0", "2019-02,a,300,280,2,0"]),
        &[at("a.csv", None, "", "", "\"b\" has no report for 2019-01")],
    );
    // Capital for an institution that does not model it, and capital without its pair.
    bad(
        &two,
        Input::Csv(
            "月份,机构代码,各项存款,各项贷款,不良贷款,处置合计,一级资本,杠杆率敞口\n\
             2019-01,a,300,280,2,0,9,150\n\
             2019-01,b,120,90,2,0,9,\n",
        ),
        &[
            at("a.csv", Some(2), "G2", "一级资本", "\"a\" does not model capital"),
            at("a.csv", Some(3), "H3", "杠杆率敞口", "must be given together"),
        ],
    );
    // The pair's column missing from the sheet: no cell, the template's header.
    bad(
        &two,
        Input::Csv(
            "月份,机构代码,各项存款,各项贷款,不良贷款,处置合计,一级资本\n2019-01,a,300,280,2,0\n2019-01,b,120,90,2,0,9\n",
        ),
        &[at("a.csv", Some(3), "", "杠杆率敞口", "must be given together")],
    );
}

#[test]
fn bad_sheets_stop_before_the_rows() {
    let one = one();
    bad(
        &one,
        Input::Csv("月份,机构代码,各项存款,各项贷款,处置合计\n2019-01,all,500,500,0\n"),
        &[at("a.csv", Some(1), "", "", "the required column \"NPL\" (or \"不良贷款\")")],
    );
    bad(
        &one,
        Input::Csv("月份,机构代码,存款,各项贷款,不良贷款,处置合计\n2019-01,all,500,500,3,0\n"),
        &[
            at("a.csv", Some(1), "", "", "the required column \"Deposits\""),
            at("a.csv", Some(1), "C1", "存款", "\"存款\" is not a column of the actuals template"),
        ],
    );
    bad(
        &one,
        Input::Csv("月份,机构代码,各项存款,各项贷款,不良贷款,处置合计,Deposits\n2019-01,all,500,500,3,0,1\n"),
        &[at("a.csv", Some(1), "G1", "Deposits", "repeats column C")],
    );
    bad(
        &one,
        Input::Csv("月份,机构代码,各项存款,各项贷款,不良贷款,处置合计\n2019-01,all,500,500,3,0,,1\n"),
        &[at("a.csv", Some(2), "H2", "H", "its column has no header")],
    );
    bad(&one, Input::Csv(HEADER), &[at("a.csv", Some(1), "", "", "no rows under the header row")]);
    bad(&one, Input::Csv("\n\n"), &[at("", None, "", "", "download the actuals template")]);
    bad(&one, Input::Paste(" \r\n\t\r\n"), &[at("粘贴内容", None, "", "", "there is nothing to read")]);
    bad(
        &one,
        Input::Xlsx("Sheet1", vec![vec![s("月份"), s("机构代码")], vec![s("2019-01"), s("all")]]),
        &[
            at("Sheet1", Some(1), "", "", "\"Deposits\""),
            at("Sheet1", Some(1), "", "", "\"Loans\""),
            at("Sheet1", Some(1), "", "", "\"NPL\""),
            at("Sheet1", Some(1), "", "", "no disposal column"),
        ],
    );
    // Too many rows: one issue, not thousands.
    let mut text = HEADER.to_string();
    for _ in 0..=MAX_ACTUAL_ROWS {
        text.push_str("2019-01,all,500,500,3,0\n");
    }
    let issues = import_actuals(&one, text.as_bytes(), "big.csv").unwrap_err();
    assert_eq!(issues.len(), 1, "{}", lines(&issues));
    assert_eq!(
        issues[0].problem,
        SheetProblem::Actuals(ActualsProblem::TooManyRows { got: MAX_ACTUAL_ROWS + 1, max: MAX_ACTUAL_ROWS })
    );
}

#[test]
fn pasted_text_and_xlsx_cells_are_located_like_files() {
    let one = one();
    bad(
        &one,
        Input::Paste(
            "月份\t机构代码\t各项存款\t各项贷款\t不良贷款\t处置合计\n2019-01\tall\t500\t500\tabc\t0\n",
        ),
        &[at("粘贴内容", Some(2), "E2", "不良贷款", "\"abc\" is not a number")],
    );
    bad(
        &one,
        Input::Xlsx(
            "实际数据",
            vec![
                vec![s("月份"), s("机构代码"), s("各项存款"), s("各项贷款"), s("不良贷款"), s("处置合计")],
                vec![
                    s("2019-01"),
                    s("all"),
                    C::B(true),
                    C::N(500.0),
                    C::N(3.0),
                    C::F("=1/0", Some("#DIV/0!")),
                ],
                vec![C::N(2019.02), s("all"), C::N(500.0), C::N(500.0), C::N(3.0), C::N(0.0)],
            ],
        ),
        &[
            at("实际数据", Some(2), "C2", "各项存款", "holds TRUE"),
            at("实际数据", Some(2), "F2", "处置合计", "#DIV/0!"),
            at("实际数据", Some(3), "A3", "月份", "\"2019.02\" is not a month"),
        ],
    );
    // An invalid scenario: the engine's words, for the file as a whole.
    let issues = import_actuals("{", HEADER.as_bytes(), "a.csv").unwrap_err();
    assert!(matches!(issues[0].problem, SheetProblem::Scenario { .. }), "{}", lines(&issues));
}

/// A scenario holding every shape of report: totals, channels, a month with no disposal by
/// channel, optional fields, capital, negative formation and more digits than a double keeps.
fn reported() -> String {
    let entry = |month: &str, institution: &str, disposal: Value| {
        json!({"month": month, "institution": institution, "deposits": "301.25", "loans": "281.5",
               "npl": "2.10", "disposal": disposal})
    };
    let mut list = vec![
        entry("2019-01", "a", json!("0.25")),
        entry("2019-01", "b", json!({"write_off": "0.2", "collection": "0.05", "upgrade": "0.01"})),
        entry("2019-02", "a", json!({})),
        entry("2019-02", "b", json!("0")),
    ];
    list[0]["provisions"] = json!("7.40");
    list[0]["formation"] = json!("-0.03");
    list[1]["tier1_capital"] = json!("9.1");
    list[1]["leverage_exposure"] = json!("151");
    list[2]["npl"] = json!("1.2345678901234567");
    with_actuals(&two(), Value::Array(list))
}

/// The scenario's `actuals` in the engine's canonical form.
fn canonical(scenario: &str) -> String {
    let scenario = parse_scenario(scenario).unwrap();
    Value::Array(scenario.actuals.iter().map(|a| a.to_json()).collect()).to_string()
}

#[test]
fn the_template_imports_as_the_same_actuals() {
    let scenario = reported();
    for format in [Format::Xlsx, Format::Csv] {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = actuals_template(&scenario, format, lang).unwrap();
            let name = if format == Format::Xlsx { "actuals.xlsx" } else { "actuals.csv" };
            let text = match import_actuals(&scenario, &bytes, name) {
                Ok(text) => text,
                Err(issues) => panic!("{format:?} {lang:?}:\n{}", lines(&issues)),
            };
            let doc: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(doc["actuals"].to_string(), canonical(&scenario), "{format:?} {lang:?}");
        }
    }
}

#[test]
fn the_template_has_the_headers_in_the_language_and_a_notes_sheet() {
    let scenario = reported();
    for lang in [Lang::Zh, Lang::En] {
        let csv = String::from_utf8(actuals_template(&scenario, Format::Csv, lang).unwrap()).unwrap();
        let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
        let expected: Vec<&str> = ACTUAL_COLUMNS.iter().map(|c| c.header(lang)).collect();
        assert_eq!(header, expected.join(","));
        // The long decimal is written exactly (as text in the workbook).
        assert!(csv.contains("1.2345678901234567"));
    }
    let mut book = ReadBack::new(actuals_template(&scenario, Format::Xlsx, Lang::Zh).unwrap());
    assert_eq!(book.names(), ["实际数据", "说明"]);
    let rows = book.rows("实际数据");
    assert_eq!(rows.len(), 5);
    let headers: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(headers[..6], ["月份", "机构代码", "各项存款", "各项贷款", "不良贷款", "处置合计"]);
    assert_eq!(text(&rows[1][0]), "2019-01");
    assert_eq!(number(&rows[1][2]), 301.25);
    let notes: Vec<String> = book.rows("说明").iter().map(|row| text(&row[0])).collect();
    for column in &ACTUAL_COLUMNS {
        assert!(notes.iter().any(|n| n == column.zh), "the notes do not describe {}", column.zh);
    }
    let book = ReadBack::new(actuals_template(&scenario, Format::Xlsx, Lang::En).unwrap());
    assert_eq!(book.names(), ["Actuals", "Notes"]);
}

#[test]
fn without_actuals_the_template_has_a_row_per_institution_for_the_first_month() {
    let csv = String::from_utf8(actuals_template(&two(), Format::Csv, Lang::En).unwrap()).unwrap();
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().skip(1).collect();
    assert_eq!(rows, ["2019-01,a,,,,,,,,,,,,,,,", "2019-01,b,,,,,,,,,,,,,,,"]);
    // Imported as it is, it says what to fill in.
    let issues = import_actuals(&two(), csv.as_bytes(), "a.csv").unwrap_err();
    assert_eq!(issues.len(), 8, "{}", lines(&issues));
    assert!(issues.iter().all(|issue| issue.row.is_some()));
    // An invalid scenario has no template.
    let err = actuals_template("{}", Format::Csv, Lang::En).unwrap_err();
    assert!(err.message(Lang::En).contains("schema"), "{}", err.message(Lang::En));
}

#[test]
fn the_readme_documents_every_actuals_column() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for column in &ACTUAL_COLUMNS {
        let row = format!("| {} | {} | `{}` |", column.zh, column.en, column.code);
        assert!(readme.contains(&row), "README.md has no row starting {row}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use proptest::prelude::*;

    use super::*;

    fn answer(result: Result<String, Vec<SheetIssue>>) {
        match result {
            Ok(text) => assert!(parse_scenario(&text).is_ok()),
            Err(issues) => {
                assert!(!issues.is_empty());
                for issue in issues {
                    let _ = issue.to_json(Lang::Zh);
                    let _ = issue.display(Lang::En);
                }
            }
        }
    }

    fn table_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("月份".to_string()),
            Just("机构代码".to_string()),
            Just("各项存款".to_string()),
            Just("各项贷款".to_string()),
            Just("不良贷款".to_string()),
            Just("处置合计".to_string()),
            Just("核销".to_string()),
            Just("一级资本".to_string()),
            Just("all".to_string()),
            Just("2019-01".to_string()),
            Just("2019年2月".to_string()),
            Just("\t".to_string()),
            Just(",".to_string()),
            Just("\"".to_string()),
            Just("\r\n".to_string()),
            "-?[0-9]{0,20}(\\.[0-9]{0,20})?(e-?[0-9]{1,3})?",
            "\\PC{0,6}",
        ];
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    #[test]
    fn arbitrary_tables_never_panic() {
        crate::cases::run(file!(), 64, table_text(), |text| {
            let one = one();
            answer(import_actuals_text(&one, &text));
            answer(import_actuals(&one, text.as_bytes(), "any.csv"));
            let with_header =
                format!("月份\t机构代码\t各项存款\t各项贷款\t不良贷款\t处置合计\t核销\r\n{text}");
            answer(import_actuals_text(&one, &with_header));
            Ok(())
        });
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        crate::cases::run(file!(), 64, prop::collection::vec(any::<u8>(), 0..1024), |bytes| {
            answer(import_actuals(&one(), &bytes, "any.xlsx"));
            answer(import_actuals(&one(), &bytes, "any.csv"));
            Ok(())
        });
    }
}
