//! Export: a workbook with the stamp and settings, the inputs, the monthly results, the year-ends, the target checks and the warnings, one sheet each.
//!
//! The simulation runs through `delever_cli::request`, exactly as `delever-cli simulate`
//! does. Cells hold numbers (Excel doubles, about 15 significant digits) with formats
//! (amounts `#,##0.00`, rates as percentages); the exact 28-digit decimals stay in the JSON
//! and CSV exports, and the target checks also keep the exact `actual` and `margin` as text,
//! because a target is decided on them (a plan of exactly 10 meets "≥ 10" with a margin of
//! −4e-28, which a double would show as 0 or lose).

use delever_cli::diagnostic::Failure;
use delever_cli::request;
use delever_model::metrics::{MONTHLY, YEAR_END_SCALARS, is_ratio, name as metric_name};
use delever_model::num::fmt_decimal;
use delever_model::output::Series;
use delever_model::scenario::{CHANNELS, Disposal, Scenario, TargetValue};
use delever_model::{Lang, MODEL_VERSION, Projection};
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use crate::columns::COLUMNS;
use crate::template::WriteError;
use crate::write::{
    Formats, Out, all_drivers, cell_text, driver_cell, header_row, institutions_sheet, is_driver, to_f64,
    width_of, write,
};
use crate::{INSTITUTIONS_SHEET, tr};

/// Where a number came from: written on the first sheet of every export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// The page's (model's) version.
    pub version: String,
    /// The date of the data (数据截至), as the user gave it.
    pub data_as_of: String,
    /// The address that reproduces the scenario (`…#scenario=…`).
    pub link: String,
}

impl Stamp {
    /// Reads `{"version":"…","data_as_of":"…","link":"…"}`; a missing field is empty.
    pub fn from_json(text: &str) -> Result<Stamp, ExportError> {
        let value: Value = serde_json::from_str(text).map_err(|err| ExportError::Stamp {
            en: format!("not JSON ({err})"),
            zh: format!("不是 JSON（{err}）"),
        })?;
        let Value::Object(map) = value else {
            return Err(ExportError::Stamp {
                en: "not a JSON object".into(), zh: "不是 JSON 对象".into()
            });
        };
        let field = |key: &str| match map.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(text)) => Ok(text.clone()),
            Some(other) => Err(ExportError::Stamp {
                en: format!("\"{key}\" must be a string, not {other}"),
                zh: format!("\"{key}\" 须为字符串，而不是 {other}"),
            }),
        };
        Ok(Stamp { version: field("version")?, data_as_of: field("data_as_of")?, link: field("link")? })
    }
}

/// Why no workbook was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// The scenario is invalid or infeasible: the command line's messages.
    Scenario(Failure),
    /// The stamp is not the expected JSON: what is wrong, in English and Chinese.
    Stamp { en: String, zh: String },
    /// The writer failed (not expected).
    Write(String),
}

impl ExportError {
    /// The message in `lang`, one line per problem.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ExportError::Scenario(failure) => {
                let lines: Vec<&str> = failure
                    .problems
                    .iter()
                    .map(|p| match lang {
                        Lang::Zh => p.zh.as_str(),
                        Lang::En => p.en.as_str(),
                    })
                    .collect();
                lines.join("\n")
            }
            ExportError::Stamp { en, zh } => match lang {
                Lang::Zh => {
                    format!("导出标记（stamp）无效：{zh}；应为 {{\"version\":…,\"data_as_of\":…,\"link\":…}}")
                }
                Lang::En => {
                    format!("invalid stamp: {en}; expected {{\"version\":…,\"data_as_of\":…,\"link\":…}}")
                }
            },
            ExportError::Write(detail) => match lang {
                Lang::Zh => format!("无法生成工作簿：{detail}"),
                Lang::En => format!("cannot write the workbook: {detail}"),
            },
        }
    }
}

impl From<XlsxError> for ExportError {
    fn from(err: XlsxError) -> ExportError {
        ExportError::Write(err.to_string())
    }
}

impl From<WriteError> for ExportError {
    fn from(err: WriteError) -> ExportError {
        ExportError::Write(err.0)
    }
}

/// The most rows of the monthly sheet with every institution's months: beyond this (more than
/// about 160 institutions over 10 years, or 330 over 5), the sheet keeps the region and zones
/// and says that the institutions' months are in the CSV export. Measured natively: 500
/// institutions × 5 years (30,000 monthly rows, 930,000 cells) took 4 s and 190 MB to export,
/// most of it writing and compressing the sheet; the browser is slower still.
pub const MAX_MONTHLY_ROWS: usize = 20_000;

/// Deflate level of the workbook's parts. Measured on 930,000 number cells: level 6 (the
/// default) saved in 1.39 s to 2.4 MB, level 3 in 0.77 s to 3.1 MB, level 1 in 0.52 s to
/// 4.7 MB; the file is saved locally, so speed counts for more than size.
pub(crate) const ZIP_LEVEL: u8 = 3;

/// The sheets' names: (Chinese, English).
pub const SHEETS: [(&str, &str); 8] = [
    ("概要", "Summary"),
    ("默认参数", "Defaults"),
    INSTITUTIONS_SHEET,
    ("风险事件", "Events"),
    ("目标检查", "Target checks"),
    ("月度结果", "Monthly"),
    ("年末结果", "Year-ends"),
    ("提示", "Warnings"),
];

/// Simulates the scenario and writes the workbook, headers in `lang`.
pub fn export_workbook(scenario_json: &str, stamp: &Stamp, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let (scenario, projection) =
        request::simulate(request::scenario(scenario_json)).map_err(ExportError::Scenario)?;
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(ZIP_LEVEL);
    let properties =
        DocProperties::new().set_title(cell_text(&scenario.name)).set_subject("Delever").set_comment(
            cell_text(&format!("model {} · data as of {} · {}", stamp.version, stamp.data_as_of, stamp.link)),
        );
    workbook.set_properties(&properties);
    let name = |index: usize| SHEETS.get(index).map_or("", |(zh, en)| tr(lang, zh, en));

    let mut sheet = named(name(0))?;
    summary(&mut sheet, &scenario, &projection, stamp, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(1))?;
    defaults(&mut sheet, &scenario, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(2))?;
    institutions_sheet(&mut sheet, &scenario.institutions, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(3))?;
    events(&mut sheet, &scenario, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(4))?;
    targets(&mut sheet, &projection, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(5))?;
    monthly(&mut sheet, &scenario, &projection, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(6))?;
    year_ends(&mut sheet, &scenario, &projection, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let mut sheet = named(name(7))?;
    warnings(&mut sheet, &projection, lang, &formats)?;
    workbook.push_worksheet(sheet);

    Ok(workbook.save_to_buffer()?)
}

pub(crate) fn named(name: &str) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(name)?;
    Ok(sheet)
}

/// A label and a value, on row `row`.
fn pair(
    sheet: &mut Worksheet,
    row: &mut u32,
    label: &str,
    value: &Out,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(*row, 0, label, &formats.bold)?;
    write(sheet, *row, 1, value, formats)?;
    *row = row.saturating_add(1);
    Ok(())
}

fn text(value: impl Into<String>) -> Out {
    Out::Text(value.into())
}

/// The first sheet: the stamp, the scenario's settings, and what each sheet holds.
fn summary(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    projection: &Projection,
    stamp: &Stamp,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        tr(lang, "Delever 去杠杆模拟 · 导出", "Delever deleveraging simulator · export"),
        &formats.title,
    )?;
    let mut row = 2_u32;
    pair(sheet, &mut row, tr(lang, "模型版本", "Model version"), &text(&stamp.version), formats)?;
    pair(sheet, &mut row, tr(lang, "引擎版本", "Engine version"), &text(MODEL_VERSION), formats)?;
    pair(sheet, &mut row, tr(lang, "数据截至", "Data as of"), &text(&stamp.data_as_of), formats)?;
    sheet.write_string_with_format(row, 0, tr(lang, "情景链接", "Scenario link"), &formats.bold)?;
    link_cell(sheet, row, &stamp.link, lang)?;
    row = row.saturating_add(2);

    pair(sheet, &mut row, tr(lang, "情景名称", "Scenario"), &text(&scenario.name), formats)?;
    pair(sheet, &mut row, tr(lang, "金额单位", "Unit"), &text(&scenario.unit), formats)?;
    pair(sheet, &mut row, tr(lang, "期初月份", "Opening month"), &text(scenario.start.to_string()), formats)?;
    let horizon = format!("{} – {}（{}）", scenario.first_year(), scenario.last_year(), scenario.years);
    pair(sheet, &mut row, tr(lang, "预测期（年数）", "Projection (years)"), &text(horizon), formats)?;
    pair(
        sheet,
        &mut row,
        tr(lang, "机构数", "Institutions"),
        &text(scenario.institutions.len().to_string()),
        formats,
    )?;
    pair(
        sheet,
        &mut row,
        tr(lang, "街道/园区数", "Zones"),
        &text(projection.zones.len().to_string()),
        formats,
    )?;
    let met = projection.targets.iter().filter(|t| t.met).count();
    let checks = format!("{met} / {}", projection.targets.len());
    pair(sheet, &mut row, tr(lang, "目标达标", "Targets met"), &text(checks), formats)?;
    if let Some(amc) = &scenario.amc {
        pair(sheet, &mut row, tr(lang, "接包平台", "Local AMC"), &text(&amc.name), formats)?;
        pair(
            sheet,
            &mut row,
            tr(lang, "接包平台期初存量", "AMC opening stock"),
            &Out::Amount(amc.opening_stock),
            formats,
        )?;
        pair(
            sheet,
            &mut row,
            tr(lang, "承接转让比例", "AMC inflow share"),
            &Out::Rate(amc.inflow_share),
            formats,
        )?;
        pair(
            sheet,
            &mut row,
            tr(lang, "年处置比例", "AMC disposal rate"),
            &Out::Rate(amc.disposal_rate),
            formats,
        )?;
    }
    if !scenario.notes.is_empty() {
        sheet.write_string_with_format(row, 0, tr(lang, "备注", "Notes"), &formats.bold)?;
        sheet.write_string_with_format(row, 1, cell_text(&scenario.notes), &formats.wrap)?;
        row = row.saturating_add(1);
    }
    if scenario.institutions.iter().any(|i| !i.opening.illustrative.is_empty()) {
        let note = tr(
            lang,
            "注意：部分期初数为示意数（非实际数据），见“机构”表的“示意数据”列。",
            "Note: some opening balances are illustrative (not real data); see the \"Illustrative fields\" column of the Institutions sheet.",
        );
        sheet.write_string_with_format(row, 1, note, &formats.wrap)?;
        row = row.saturating_add(1);
    }
    row = row.saturating_add(1);
    sheet.write_string_with_format(row, 0, tr(lang, "本工作簿", "This workbook"), &formats.bold)?;
    let lines = [
        tr(
            lang,
            "默认参数：情景的默认参数（各机构未自定的参数）。",
            "Defaults: the scenario's default drivers (for every driver an institution does not set).",
        ),
        tr(
            lang,
            "机构：与导入模板相同的格式，可修改后重新导入。",
            "Institutions: laid out as the import template, so it can be edited and imported again.",
        ),
        tr(
            lang,
            "风险事件、目标检查：输入的风险暴露事件；每个目标及其实际值、是否达标、余量。",
            "Events, Target checks: the scenario's exposure events; each target with its actual value, whether it is met, and the margin.",
        ),
        tr(
            lang,
            "月度结果、年末结果：全辖、各街道/园区、各机构的月度与年末指标。",
            "Monthly, Year-ends: the monthly and year-end metrics of the region, each zone and each institution.",
        ),
        tr(
            lang,
            "数值为 Excel 双精度数（约 15 位有效数字）；模型以 28 位精确小数计算，目标检查表另列精确值（文本）；精确的全部结果见 JSON 或 CSV 导出。",
            "Cells hold Excel doubles (about 15 significant digits); the model computes in exact 28-digit decimals, and the Target checks sheet also gives the exact values as text; the JSON and CSV exports carry every exact result.",
        ),
    ];
    for line in lines {
        sheet.write_string_with_format(row, 1, line, &formats.wrap)?;
        row = row.saturating_add(1);
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 100)?;
    Ok(())
}

/// Excel's limit on a hyperlink's address.
const MAX_URL_CHARS: usize = 2079;

/// The scenario link: a hyperlink when Excel can hold it as one, else text, else a note.
fn link_cell(sheet: &mut Worksheet, row: u32, link: &str, lang: Lang) -> Result<(), XlsxError> {
    let length = link.chars().count();
    if link.is_empty() {
        return Ok(());
    }
    if length <= MAX_URL_CHARS && sheet.write_url(row, 1, link).is_ok() {
        return Ok(());
    }
    if length <= crate::write::MAX_CELL_CHARS {
        sheet.write_string(row, 1, link)?;
    } else {
        let note = match lang {
            Lang::Zh => {
                format!("链接共 {length} 个字符，超过 Excel 单元格上限；请在页面中复制链接，或导出情景文件")
            }
            Lang::En => format!(
                "the link has {length} characters, more than an Excel cell holds; copy it from the page, or export the scenario file"
            ),
        };
        sheet.write_string(row, 1, note)?;
    }
    Ok(())
}

/// The default drivers, one row per template column: name, code, value.
fn defaults(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let headers = [tr(lang, "参数", "Driver"), tr(lang, "代码", "Code"), tr(lang, "值", "Value")];
    header_row(sheet, 0, &headers, formats)?;
    let drivers = all_drivers(&scenario.defaults);
    let mut row = 1_u32;
    for column in COLUMNS.iter().filter(|c| is_driver(c)) {
        let Some(value) = driver_cell(column, &drivers, lang) else { continue };
        sheet.write_string(row, 0, column.header(lang))?;
        sheet.write_string(row, 1, column.code)?;
        write(sheet, row, 2, &value, formats)?;
        row = row.saturating_add(1);
    }
    let plan = match scenario.defaults.disposal {
        Disposal::Amount(_) => tr(
            lang,
            "全辖处置计划为金额，按年初不良分摊给未自定计划的机构",
            "the region's disposal plan is an amount, shared among institutions without their own plan in proportion to their NPL",
        ),
        Disposal::Rate(_) => {
            tr(lang, "处置计划为比例，逐机构适用", "the disposal plan is a rate, applied to each institution")
        }
    };
    row = row.saturating_add(1);
    sheet.write_string_with_format(row, 0, plan, &formats.wrap)?;
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 26)?;
    sheet.set_column_width(2, 24)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn events(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let headers = [
        tr(lang, "月份", "Month"),
        tr(lang, "机构编号", "Institution"),
        tr(lang, "金额", "Amount"),
        tr(lang, "说明", "Label"),
    ];
    header_row(sheet, 0, &headers, formats)?;
    for (index, event) in scenario.events.iter().enumerate() {
        let row = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        sheet.write_string(row, 0, event.month.to_string())?;
        sheet.write_string(row, 1, cell_text(&event.institution))?;
        write(sheet, row, 2, &Out::Amount(event.amount), formats)?;
        sheet.write_string(row, 3, cell_text(&event.label))?;
    }
    for (column, width) in [(0_u16, 10.0), (1, 16.0), (2, 12.0), (3, 40.0)] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A metric's value as a cell: percentages for ratios, amounts otherwise.
fn metric_out(metric: &str, value: Decimal) -> Out {
    if is_ratio(metric) { Out::Rate(value) } else { Out::Amount(value) }
}

fn targets(
    sheet: &mut Worksheet,
    projection: &Projection,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let headers = [
        tr(lang, "编号", "ID"),
        tr(lang, "指标", "Metric"),
        tr(lang, "指标代码", "Metric code"),
        tr(lang, "条件", "Condition"),
        tr(lang, "目标值", "Target value"),
        tr(lang, "年份", "Year"),
        tr(lang, "范围", "Scope"),
        tr(lang, "实际值", "Actual"),
        tr(lang, "结果", "Result"),
        tr(lang, "余量", "Margin"),
        tr(lang, "实际值（精确）", "Actual (exact)"),
        tr(lang, "余量（精确）", "Margin (exact)"),
        tr(lang, "目标值来源", "Value source"),
    ];
    header_row(sheet, 0, &headers, formats)?;
    for (index, check) in projection.targets.iter().enumerate() {
        let row = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        let target = &check.target;
        let metric = target.metric.as_str();
        sheet.write_string(row, 0, cell_text(&target.id))?;
        sheet.write_string(row, 1, metric_name(lang, metric))?;
        sheet.write_string(row, 2, metric)?;
        sheet.write_string(row, 3, if target.op == delever_model::scenario::Op::Ge { "≥" } else { "≤" })?;
        write(sheet, row, 4, &metric_out(metric, check.value), formats)?;
        sheet.write_number(row, 5, f64::from(target.year))?;
        let scope = target.scope.label(lang);
        sheet.write_string(row, 6, cell_text(&scope))?;
        if let Some(actual) = check.actual {
            write(sheet, row, 7, &metric_out(metric, actual), formats)?;
            sheet.write_string(row, 10, fmt_decimal(actual))?;
        }
        sheet.write_string(
            row,
            8,
            if check.met { tr(lang, "达标", "met") } else { tr(lang, "未达标", "not met") },
        )?;
        if let Some(margin) = check.margin {
            write(sheet, row, 9, &metric_out(metric, margin), formats)?;
            sheet.write_string(row, 11, fmt_decimal(margin))?;
        }
        if matches!(target.value, TargetValue::NationalAverage(_)) {
            let source = check.source.clone().unwrap_or_default();
            let label = format!(
                "{} · {source}",
                tr(lang, "全国商业银行平均不良率", "national commercial-bank NPL ratio")
            );
            sheet.write_string(row, 12, cell_text(&label))?;
        }
    }
    for (column, header) in headers.iter().enumerate() {
        sheet.set_column_width(u16::try_from(column).unwrap_or(0), width_of(header).max(12.0))?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The entities of the projection in output order: (scope label, id, name, series).
fn entities<'p>(
    scenario: &Scenario,
    projection: &'p Projection,
    lang: Lang,
    institutions: bool,
) -> Vec<(String, String, String, &'p Series)> {
    let mut out = vec![(
        tr(lang, "全辖", "region").to_string(),
        String::new(),
        scenario.name.clone(),
        &projection.region,
    )];
    for (zone, series) in &projection.zones {
        out.push((tr(lang, "街道/园区", "zone").to_string(), zone.clone(), zone.clone(), series));
    }
    if institutions {
        for ((id, series), institution) in projection.institutions.iter().zip(&scenario.institutions) {
            out.push((
                tr(lang, "机构", "institution").to_string(),
                id.clone(),
                institution.name.clone(),
                series,
            ));
        }
    }
    out
}

fn channel_headers(lang: Lang, prefix_zh: &str, prefix_en: &str) -> Vec<String> {
    CHANNELS
        .iter()
        .filter_map(|channel| {
            let code = format!("channel_{channel}");
            let column = COLUMNS.iter().find(|c| c.code == code)?;
            // "清收占比" → "清收", "Collection share" → "Collection".
            let name = column.header(lang).trim_end_matches("占比").trim_end_matches(" share");
            Some(match lang {
                Lang::Zh => format!("{prefix_zh}{name}"),
                Lang::En => format!("{prefix_en}{name}"),
            })
        })
        .collect()
}

fn monthly(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    projection: &Projection,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let months = projection.months.len();
    let all = 1_usize.saturating_add(projection.zones.len()).saturating_add(projection.institutions.len());
    let with_institutions = months.saturating_mul(all) <= MAX_MONTHLY_ROWS;
    let mut headers: Vec<String> = vec![
        tr(lang, "范围", "Scope").into(),
        tr(lang, "编号", "ID").into(),
        tr(lang, "名称", "Name").into(),
        tr(lang, "月份", "Month").into(),
    ];
    headers.extend(MONTHLY.iter().map(|m| metric_name(lang, m).to_string()));
    headers.extend(channel_headers(lang, "处置：", "Disposal: "));
    header_row(sheet, 0, &headers, formats)?;
    let mut row = 1_u32;
    for (scope, id, name, series) in entities(scenario, projection, lang, with_institutions) {
        for month in &series.monthly {
            sheet.write_string(row, 0, &scope)?;
            sheet.write_string(row, 1, cell_text(&id))?;
            sheet.write_string(row, 2, cell_text(&name))?;
            sheet.write_string(row, 3, &month.month)?;
            let mut column = 4_u16;
            for metric in MONTHLY {
                if let Some(value) = month.get(metric) {
                    write(sheet, row, column, &metric_out(metric, value), formats)?;
                }
                column = column.saturating_add(1);
            }
            for flow in month.disposal_by_channel {
                sheet.write_number_with_format(row, column, to_f64(flow), &formats.amount)?;
                column = column.saturating_add(1);
            }
            row = row.saturating_add(1);
        }
    }
    if !with_institutions {
        let note = match lang {
            Lang::Zh => format!(
                "机构月度数据共 {} 行，超过本表上限 {MAX_MONTHLY_ROWS} 行，未列出；请使用 CSV 导出。",
                months.saturating_mul(projection.institutions.len())
            ),
            Lang::En => format!(
                "the institutions' {} monthly rows exceed this sheet's limit of {MAX_MONTHLY_ROWS} and are left out; use the CSV export",
                months.saturating_mul(projection.institutions.len())
            ),
        };
        sheet.write_string(row.saturating_add(1), 0, note)?;
    }
    finish_table(sheet, &headers, row)
}

fn year_ends(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    projection: &Projection,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let mut headers: Vec<String> = vec![
        tr(lang, "范围", "Scope").into(),
        tr(lang, "编号", "ID").into(),
        tr(lang, "名称", "Name").into(),
        tr(lang, "年份", "Year").into(),
    ];
    headers.extend(YEAR_END_SCALARS.iter().map(|m| metric_name(lang, m).to_string()));
    headers.extend(channel_headers(lang, "处置：", "Disposal: "));
    header_row(sheet, 0, &headers, formats)?;
    let mut row = 1_u32;
    for (scope, id, name, series) in entities(scenario, projection, lang, true) {
        for year_end in &series.year_ends {
            sheet.write_string(row, 0, &scope)?;
            sheet.write_string(row, 1, cell_text(&id))?;
            sheet.write_string(row, 2, cell_text(&name))?;
            sheet.write_number(row, 3, f64::from(year_end.year))?;
            let mut column = 4_u16;
            for metric in YEAR_END_SCALARS {
                if let Some(value) = year_end.get(metric) {
                    write(sheet, row, column, &metric_out(metric, value), formats)?;
                }
                column = column.saturating_add(1);
            }
            for flow in year_end.disposal_by_channel {
                sheet.write_number_with_format(row, column, to_f64(flow), &formats.amount)?;
                column = column.saturating_add(1);
            }
            row = row.saturating_add(1);
        }
    }
    finish_table(sheet, &headers, row)
}

/// Widths, frozen header and first columns, and a filter over the table.
fn finish_table(sheet: &mut Worksheet, headers: &[String], rows: u32) -> Result<(), XlsxError> {
    for (column, header) in headers.iter().enumerate() {
        sheet.set_column_width(u16::try_from(column).unwrap_or(0), width_of(header).max(11.0))?;
    }
    sheet.set_freeze_panes(1, 4)?;
    let last_column = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    sheet.autofilter(0, 0, rows.saturating_sub(1).max(1), last_column)?;
    Ok(())
}

fn warnings(
    sheet: &mut Worksheet,
    projection: &Projection,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let headers = [
        tr(lang, "代码", "Code"),
        tr(lang, "说明", "Message"),
        tr(lang, "机构", "Institution"),
        tr(lang, "年份", "Year"),
        tr(lang, "目标", "Target"),
    ];
    header_row(sheet, 0, &headers, formats)?;
    for (index, warning) in projection.warnings.iter().enumerate() {
        let row = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        sheet.write_string(row, 0, warning.code)?;
        sheet.write_string_with_format(row, 1, cell_text(warning.message(lang)), &formats.wrap)?;
        if let Some(institution) = &warning.institution {
            sheet.write_string(row, 2, cell_text(institution))?;
        }
        if let Some(year) = warning.year {
            sheet.write_number(row, 3, f64::from(year))?;
        }
        if let Some(target) = &warning.target {
            sheet.write_string(row, 4, cell_text(target))?;
        }
    }
    for (column, width) in [(0_u16, 24.0), (1, 100.0), (2, 16.0), (3, 8.0), (4, 18.0)] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps() {
        assert_eq!(
            Stamp::from_json(
                r#"{"version":"0.1.0","data_as_of":"2018-12","link":"https://x/#scenario=abc"}"#
            ),
            Ok(Stamp {
                version: "0.1.0".into(),
                data_as_of: "2018-12".into(),
                link: "https://x/#scenario=abc".into()
            })
        );
        assert_eq!(Stamp::from_json("{}"), Ok(Stamp::default()));
        assert!(matches!(Stamp::from_json("[]"), Err(ExportError::Stamp { .. })));
        assert!(matches!(Stamp::from_json(r#"{"version":1}"#), Err(ExportError::Stamp { .. })));
        assert!(matches!(Stamp::from_json("nope"), Err(ExportError::Stamp { .. })));
    }

    #[test]
    fn invalid_scenarios_are_errors_in_both_languages() {
        let result = export_workbook("{}", &Stamp::default(), Lang::En);
        assert!(matches!(result, Err(ExportError::Scenario(_))));
        let Err(err) = result else { return };
        assert!(err.message(Lang::En).contains("start"), "{}", err.message(Lang::En));
        assert!(err.message(Lang::Zh).contains("缺少"), "{}", err.message(Lang::Zh));
    }
}
