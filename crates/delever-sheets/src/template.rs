//! The institutions template: the header row and two example rows, as .xlsx (with a notes sheet describing every column) or .csv.

use delever_model::scenario::Institution;
use delever_model::{Lang, parse_scenario, presets};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use serde_json::{Value, json};

use crate::columns::COLUMNS;
use crate::limits::{MAX_FILE_BYTES, MAX_ROWS};
use crate::write::{Formats, cell_text, header_row, institution_cell, institutions_sheet};
use crate::{INSTITUTIONS_SHEET, tr};

/// The template's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// `xlsx` or `csv` (any case, with or without the dot).
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().trim_start_matches('.').to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Why a workbook could not be written (never expected: the writer's own limits are checked first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError(pub String);

impl From<XlsxError> for WriteError {
    fn from(err: XlsxError) -> WriteError {
        WriteError(err.to_string())
    }
}

/// The notes sheet's name: (Chinese, English).
pub const NOTES_SHEET: (&str, &str) = ("说明", "Notes");

/// The template in `format`, headers in `lang`: the Licheng preset's institution and one
/// example with its own drivers. CSV is UTF-8 with a byte-order mark (so Excel shows the
/// Chinese headers) and CRLF line ends; rates are written as percentages.
pub fn template(format: Format, lang: Lang) -> Result<Vec<u8>, WriteError> {
    let institutions = example_institutions(lang);
    match format {
        Format::Csv => Ok(csv_bytes(&institutions, lang).into_bytes()),
        Format::Xlsx => {
            let formats = Formats::new();
            let mut workbook = Workbook::new();
            let mut sheet = Worksheet::new();
            sheet.set_name(tr(lang, INSTITUTIONS_SHEET.0, INSTITUTIONS_SHEET.1))?;
            institutions_sheet(&mut sheet, &institutions, lang, &formats)?;
            workbook.push_worksheet(sheet);
            let mut notes = Worksheet::new();
            notes.set_name(tr(lang, NOTES_SHEET.0, NOTES_SHEET.1))?;
            notes_sheet(&mut notes, lang, &formats)?;
            workbook.push_worksheet(notes);
            Ok(workbook.save_to_buffer()?)
        }
    }
}

/// The template's rows: the Licheng 2019 preset's institutions (illustrative balances, as the
/// preset says) and an example bank that shows per-institution drivers and capital.
pub fn example_institutions(lang: Lang) -> Vec<Institution> {
    let Some(preset) = presets::get("licheng-2019") else { return Vec::new() };
    let Ok(mut doc) = serde_json::from_str::<Value>(preset.json) else { return Vec::new() };
    let example = json!({
        "id": "example_rcb",
        "name": tr(lang, "示例农商银行（请替换或删除）", "Example rural bank (replace or delete)"),
        "kind": "rural",
        "zone": tr(lang, "示例街道", "Example sub-district"),
        "opening": {
            "deposits": "120", "loans": "90", "npl": "2.4", "provisions": "3.6",
            "tier1_capital": "9", "leverage_exposure": "150",
            "illustrative": ["deposits", "loans", "npl", "provisions", "tier1_capital", "leverage_exposure"]
        },
        "drivers": {
            "loan_growth": "0.06",
            "npl_formation_rate": "0.02",
            "channels": {"collection": "0.4", "write_off": "0.6"},
            "pacing": {"h1_share": "0.6"},
            "provisioning": {"coverage_floor": "1.5", "allowance_floor": null}
        }
    });
    if let Some(Value::Array(list)) = doc.get_mut("institutions") {
        list.push(example);
    }
    let text = doc.to_string();
    parse_scenario(&text).map(|scenario| scenario.institutions).unwrap_or_default()
}

/// The institutions as the CSV template.
pub fn csv_bytes(institutions: &[Institution], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let headers: Vec<String> = COLUMNS.iter().map(|column| quote(column.header(lang))).collect();
    out.push_str(&headers.join(","));
    out.push_str("\r\n");
    for institution in institutions {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|column| {
                institution_cell(column, institution, lang)
                    .map(|out| quote(&out.csv_text()))
                    .unwrap_or_default()
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub(crate) fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The general rules, one paragraph per line: (zh, en).
pub fn rules() -> Vec<(String, String)> {
    vec![
        (
            "每家机构一行，其上为一行表头（表头之上至多三行只有一个单元格的标题行会被略过）。表头可用中文、英文或代码（大小写、空格不计，括号中的注释如“（亿元）”不计），列的顺序不限；可省略非必填列。".into(),
            "One row per institution, under one header row (up to three title lines above it, each a single cell, are skipped); headers in Chinese, English or code (case, spaces and a note in parentheses such as \"(100m CNY)\" are ignored), in any order; optional columns may be left out.".into(),
        ),
        (
            format!("导入 .xlsx 时读取名为“{}”或“{}”的工作表，没有则读取第一个工作表；也可导入 UTF-8 或 GBK 编码的 .csv。", INSTITUTIONS_SHEET.0, INSTITUTIONS_SHEET.1),
            format!("An .xlsx import reads the sheet named \"{}\" or \"{}\", else the first sheet; a .csv in UTF-8 or GBK also works.", INSTITUTIONS_SHEET.1, INSTITUTIONS_SHEET.0),
        ),
        (
            "金额以情景单位（亿元）填写。比率可填小数或百分数：0.085 与 8.5% 相同；设为百分比格式的单元格按其数值读取。".into(),
            "Amounts are in the scenario's unit (亿元). Rates are fractions or percentages: 0.085 and 8.5% are the same; a cell formatted as a percentage is read by its value.".into(),
        ),
        (
            "可逐年设定的参数（增速、不良生成率、处置计划）：一个值适用于所有年份，或每年一个值，用分号分隔，如“5%; 6%; 7%”（个数须等于预测年数）。".into(),
            "Drivers that may vary by year (growth, formation, disposal plan): one value for every year, or one per year separated by semicolons, e.g. \"5%; 6%; 7%\" (as many as the projection's years).".into(),
        ),
        (
            "参数列留空表示使用情景的默认参数。处置渠道占比：本行任一渠道填写时，留空的渠道为 0，七项合计须为 100%。回收率、拨备下限、资本参数：留空的一项使用默认值。".into(),
            "A blank driver cell means the scenario's default. Channel shares: when any channel of a row is filled, its blank channels are 0 and the seven must sum to 100%. Recovery rates, provision floors, capital drivers: a blank one takes the default.".into(),
        ),
        (
            "公式单元格读取其保存的计算结果；没有结果的公式（未经 Excel 计算保存）会报错。不得合并单元格；日期、逻辑值、错误值（如 #DIV/0!）不能作为数值。".into(),
            "A formula cell is read by its saved result; a formula without one (never calculated and saved by Excel) is an error. Merged cells are not allowed; dates, TRUE/FALSE and error values (#DIV/0!) are not numbers.".into(),
        ),
        (
            format!("上限：{MAX_ROWS} 家机构（引擎上限），文件不超过 {} MiB。", MAX_FILE_BYTES / (1024 * 1024)),
            format!("Limits: {MAX_ROWS} institutions (the engine's limit), files up to {} MiB.", MAX_FILE_BYTES / (1024 * 1024)),
        ),
        (
            "文件中任何一处有误时不导入任何内容；每个问题注明工作表、行、列及允许的写法。导入的机构替换情景中的全部机构；风险事件和目标引用的机构编号须仍然存在。".into(),
            "Nothing is imported while any cell is wrong; each problem names the sheet, row and column and what is allowed. The imported institutions replace all of the scenario's; institutions named by events and targets must still exist.".into(),
        ),
        (
            "示例两行：第一行取自鲤城区 2019 预设（期初数为示意数），第二行示范机构自定参数；请替换为实际数据。".into(),
            "The two example rows: the first from the Licheng 2019 preset (illustrative opening balances), the second shows an institution's own drivers; replace them with real data.".into(),
        ),
    ]
}

/// The notes sheet: the rules, then every column with its names, unit and meaning.
fn notes_sheet(sheet: &mut Worksheet, lang: Lang, formats: &Formats) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        tr(lang, "机构导入模板说明", "Institutions template: notes"),
        &formats.title,
    )?;
    let mut row = 2_u32;
    for (zh, en) in rules() {
        sheet.merge_range(row, 0, row, 5, &cell_text(tr(lang, &zh, &en)), &formats.wrap)?;
        sheet.set_row_height(row, 32)?;
        row = row.saturating_add(1);
    }
    row = row.saturating_add(1);
    let headers = [
        tr(lang, "列名（中文）", "Header (Chinese)"),
        tr(lang, "列名（英文）", "Header (English)"),
        tr(lang, "代码", "Code"),
        tr(lang, "必填", "Required"),
        tr(lang, "单位 / 写法", "Unit / how to write"),
        tr(lang, "说明", "Meaning and allowed values"),
    ];
    header_row(sheet, row, &headers, formats)?;
    for column in &COLUMNS {
        row = row.saturating_add(1);
        sheet.write_string(row, 0, column.zh)?;
        sheet.write_string(row, 1, column.en)?;
        sheet.write_string(row, 2, column.code)?;
        let required = if column.required { tr(lang, "是", "yes") } else { "" };
        sheet.write_string(row, 3, required)?;
        sheet.write_string_with_format(row, 4, tr(lang, column.unit.0, column.unit.1), &formats.wrap)?;
        sheet.write_string_with_format(row, 5, tr(lang, column.note.0, column.note.1), &formats.wrap)?;
    }
    for (column, width) in [(0_u16, 18.0), (1, 26.0), (2, 24.0), (3, 8.0), (4, 30.0), (5, 90.0)] {
        sheet.set_column_width(column, width)?;
    }
    Ok(())
}
