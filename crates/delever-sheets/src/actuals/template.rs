//! The actuals template: the header row and the scenario's reported months (or one blank row per institution), as .xlsx (with a notes sheet) or .csv.
//!
//! Downloading it, editing it in Excel and importing it again gives back the same `actuals`:
//! months and ids are written as text, amounts as number cells (as text when they have more
//! digits than an Excel double keeps, so that they stay exact).

use delever_model::num::fmt_decimal;
use delever_model::scenario::{Actual, ReportedDisposal, Scenario};
use delever_model::{Issue, Lang, parse_scenario};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::actuals::columns::{ACTUAL_COLUMNS, ACTUALS_SHEET, ActualColumn, ActualField};
use crate::template::{Format, NOTES_SHEET, quote};
use crate::tr;
use crate::write::{Formats, Out, cell_text, header_row, width_of, write};

/// Why no actuals template was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActualsTemplateError {
    /// The scenario is not valid: the engine's issues (the template needs its institutions and horizon).
    Scenario(Vec<Issue>),
    /// The writer failed (not expected).
    Write(String),
}

impl ActualsTemplateError {
    /// The message in `lang`, one line per problem.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ActualsTemplateError::Scenario(issues) => {
                let lines: Vec<String> = issues.iter().map(|issue| issue.message(lang)).collect();
                lines.join("\n")
            }
            ActualsTemplateError::Write(detail) => match lang {
                Lang::Zh => format!("无法生成实际数据模板：{detail}"),
                Lang::En => format!("cannot write the actuals template: {detail}"),
            },
        }
    }
}

impl std::fmt::Display for ActualsTemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl From<XlsxError> for ActualsTemplateError {
    fn from(err: XlsxError) -> ActualsTemplateError {
        ActualsTemplateError::Write(err.to_string())
    }
}

/// The actuals template of `scenario_json` in `format`, headers in `lang`.
///
/// One row per reported institution-month, in the scenario's order, so that the file
/// imports as the same `actuals`; without actuals, one row per institution for the first
/// month of the projection, its amounts blank to fill in. CSV is UTF-8 with a byte-order
/// mark and CRLF line ends, as the institutions template.
pub fn actuals_template(
    scenario_json: &str,
    format: Format,
    lang: Lang,
) -> Result<Vec<u8>, ActualsTemplateError> {
    let scenario = parse_scenario(scenario_json).map_err(ActualsTemplateError::Scenario)?;
    let rows = template_rows(&scenario);
    match format {
        Format::Csv => Ok(csv_text(&rows, lang).into_bytes()),
        Format::Xlsx => {
            let formats = Formats::new();
            let mut workbook = Workbook::new();
            let mut sheet = Worksheet::new();
            sheet.set_name(tr(lang, ACTUALS_SHEET.0, ACTUALS_SHEET.1))?;
            actuals_sheet(&mut sheet, &rows, lang, &formats)?;
            workbook.push_worksheet(sheet);
            let mut notes = Worksheet::new();
            notes.set_name(tr(lang, NOTES_SHEET.0, NOTES_SHEET.1))?;
            notes_sheet(&mut notes, lang, &formats)?;
            workbook.push_worksheet(notes);
            Ok(workbook.save_to_buffer()?)
        }
    }
}

/// The template's rows: each a cell per column (`None` blank).
fn template_rows(scenario: &Scenario) -> Vec<Vec<Option<Out>>> {
    if scenario.actuals.is_empty() {
        let first = scenario.month_label(1).to_string();
        return scenario
            .institutions
            .iter()
            .map(|institution| {
                ACTUAL_COLUMNS
                    .iter()
                    .map(|column| match column.field {
                        ActualField::Month => Some(Out::Text(first.clone())),
                        ActualField::Institution => Some(Out::Text(institution.id.clone())),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
    }
    scenario
        .actuals
        .iter()
        .map(|actual| ACTUAL_COLUMNS.iter().map(|c| actual_cell(c, actual)).collect())
        .collect()
}

/// The cell of `column` for a reported month; `None` leaves it blank.
pub fn actual_cell(column: &ActualColumn, actual: &Actual) -> Option<Out> {
    Some(match column.field {
        ActualField::Month => Out::Text(actual.month.to_string()),
        ActualField::Institution => Out::Text(actual.institution.clone()),
        ActualField::Deposits => amount(actual.deposits),
        ActualField::Loans => amount(actual.loans),
        ActualField::Npl => amount(actual.npl),
        ActualField::DisposalTotal => match actual.disposal {
            ReportedDisposal::Total(total) => amount(total),
            ReportedDisposal::Channels(_) => return None,
        },
        ActualField::Channel(k) => match actual.disposal {
            ReportedDisposal::Total(_) => return None,
            ReportedDisposal::Channels(flows) => {
                let flow = *flows.get(k)?;
                // A channel left out is 0; a month of no disposal at all still needs one cell
                // (the first channel's 0), or the row would have no disposal.
                if flow.is_zero() && (k > 0 || flows.iter().any(|x| !x.is_zero())) {
                    return None;
                }
                amount(flow)
            }
        },
        ActualField::Provisions => amount(actual.provisions?),
        ActualField::Formation => amount(actual.formation?),
        ActualField::Tier1Capital => amount(actual.capital?.0),
        ActualField::LeverageExposure => amount(actual.capital?.1),
    })
}

/// The digits an Excel double keeps (and [`crate::import::decimal_of_f64`] reads back).
const EXCEL_DIGITS: usize = 15;

/// An amount as a number cell, or as its exact text when a double would round it.
fn amount(value: Decimal) -> Out {
    let digits = value.normalize().mantissa().unsigned_abs().to_string().len();
    if digits > EXCEL_DIGITS { Out::Text(fmt_decimal(value)) } else { Out::Amount(value) }
}

/// The rows as the CSV template.
fn csv_text(rows: &[Vec<Option<Out>>], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let headers: Vec<String> = ACTUAL_COLUMNS.iter().map(|column| quote(column.header(lang))).collect();
    out.push_str(&headers.join(","));
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| cell.as_ref().map(|out| quote(&out.csv_text())).unwrap_or_default())
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The actuals sheet: the header row, then the rows.
fn actuals_sheet(
    sheet: &mut Worksheet,
    rows: &[Vec<Option<Out>>],
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let headers: Vec<&str> = ACTUAL_COLUMNS.iter().map(|column| column.header(lang)).collect();
    header_row(sheet, 0, &headers, formats)?;
    for (column, header) in headers.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.set_column_width(column, width_of(header).max(10.0))?;
    }
    for (index, cells) in rows.iter().enumerate() {
        let row = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        for (column, cell) in cells.iter().enumerate() {
            if let Some(out) = cell {
                write(sheet, row, u16::try_from(column).unwrap_or(u16::MAX), out, formats)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    Ok(())
}

/// The general rules, one paragraph per line: (zh, en).
pub fn actuals_rules() -> Vec<(String, String)> {
    vec![
        (
            "每家机构每月一行（月报），其上为一行表头；表头可用中文、英文或代码，列的顺序不限，可省略非必填列。空行略过。".into(),
            "One row per institution and month (月报), under one header row; headers in Chinese, English or code, in any order; optional columns may be left out. Blank rows are skipped.".into(),
        ),
        (
            format!("导入 .xlsx 时读取名为“{}”或“{}”的工作表，没有则读取第一个工作表；也可导入 .csv，或直接粘贴从 Excel 复制的表格。", ACTUALS_SHEET.0, ACTUALS_SHEET.1),
            format!("An .xlsx import reads the sheet named \"{}\" or \"{}\", else the first sheet; a .csv works too, and so do cells copied from Excel and pasted.", ACTUALS_SHEET.1, ACTUALS_SHEET.0),
        ),
        (
            "月份写作 2019-01、2019/1 或 2019年1月。所有机构须报送相同的月份，自预测首月起连续不间断；最后一个报送月即“截至月份”。".into(),
            "Months are written 2019-01, 2019/1 or 2019年1月. Every institution reports the same months, from the first month of the projection without a gap; the last one is the as-of month.".into(),
        ),
        (
            "金额以情景单位（亿元）填写，为月末余额或当月发生额，按填写的数值精确读取。".into(),
            "Amounts are in the scenario's unit (亿元), month-end balances or the month's flows, read exactly as written.".into(),
        ),
        (
            "处置必填：填写“处置合计”（按机构的渠道占比分摊），或各渠道金额（留空的渠道为 0），二者只能填其一；当月没有处置请在处置合计中填 0。".into(),
            "Disposal is required: the disposal total (split over the institution's channel shares), or the channel amounts (blank channels are 0), not both; write 0 in the total for a month without disposals.".into(),
        ),
        (
            "导入的文件替换情景中全部已报送月份；文件中任何一处有误时不导入任何内容，每个问题注明工作表、行、列及允许的写法。".into(),
            "The imported file replaces all of the scenario's reported months; nothing is imported while any cell is wrong, and each problem names the sheet, row and column and what is allowed.".into(),
        ),
    ]
}

/// The notes sheet: the rules, then every column with its names and meaning.
fn notes_sheet(sheet: &mut Worksheet, lang: Lang, formats: &Formats) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        tr(lang, "实际数据导入模板说明", "Actuals template: notes"),
        &formats.title,
    )?;
    let mut row = 2_u32;
    for (zh, en) in actuals_rules() {
        sheet.merge_range(row, 0, row, 4, &cell_text(tr(lang, &zh, &en)), &formats.wrap)?;
        sheet.set_row_height(row, 32)?;
        row = row.saturating_add(1);
    }
    row = row.saturating_add(1);
    let headers = [
        tr(lang, "列名（中文）", "Header (Chinese)"),
        tr(lang, "列名（英文）", "Header (English)"),
        tr(lang, "代码", "Code"),
        tr(lang, "必填", "Required"),
        tr(lang, "说明", "Meaning and allowed values"),
    ];
    header_row(sheet, row, &headers, formats)?;
    for column in &ACTUAL_COLUMNS {
        row = row.saturating_add(1);
        sheet.write_string(row, 0, column.zh)?;
        sheet.write_string(row, 1, column.en)?;
        sheet.write_string(row, 2, column.code)?;
        let required = if column.required { tr(lang, "是", "yes") } else { "" };
        sheet.write_string(row, 3, required)?;
        sheet.write_string_with_format(row, 4, tr(lang, column.note.0, column.note.1), &formats.wrap)?;
    }
    for (column, width) in [(0_u16, 14.0), (1, 20.0), (2, 20.0), (3, 8.0), (4, 100.0)] {
        sheet.set_column_width(column, width)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_beyond_an_excel_double_are_written_as_text() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(amount(d("502.17")), Out::Amount(d("502.17")));
        assert_eq!(amount(d("123456789012345")), Out::Amount(d("123456789012345")));
        assert_eq!(amount(d("1234567890.123456")), Out::Text("1234567890.123456".into()));
        assert_eq!(amount(d("0.10")), Out::Amount(d("0.1")));
    }
}
