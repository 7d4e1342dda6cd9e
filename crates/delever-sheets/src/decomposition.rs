//! The per-bank decomposition workbook (一行一表): the region targets divided among the institutions (MODEL.md section 10) as one summary table, then one sheet per institution to hand to it, then the rule.
//!
//! The division is the engine's own (`delever_model::division::decompose`, every year), on
//! the command line's simulation (`delever_cli::request::simulate`), so every part is the one
//! `delever-cli decompose` prints. Cells hold numbers (Excel doubles, formatted as amounts or
//! percentages) so that a bank can add them up; a part is decided on its exact 28-digit
//! decimal, and shares and parts are quotients that rarely fit in 15 digits, so each
//! institution's sheet also keeps the exact share, part, projected value and margin as text,
//! as the results workbook's target checks do.

use std::collections::HashSet;

use delever_cli::request;
use delever_model::division::{Divided, Part, decompose, op_symbol};
use delever_model::metrics::name as metric_name;
use delever_model::num::fmt_decimal;
use delever_model::scenario::{Institution, Scenario, YearMonth};
use delever_model::tracking::Progress;
use delever_model::{Lang, MODEL_VERSION, Projection};
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use crate::export::{ExportError, ZIP_LEVEL, named};
use crate::template::NOTES_SHEET;
use crate::tr;
use crate::write::{Formats, Out, cell_text, header_row, width_of, write};

/// The first sheet's name: (Chinese, English). The last is [`NOTES_SHEET`].
pub const SUMMARY_SHEET: (&str, &str) = ("汇总", "Summary");

/// The most UTF-16 code units in a sheet name (Excel's limit, as rust_xlsxwriter counts it).
pub const MAX_SHEET_NAME: usize = 31;

/// Characters Excel refuses in a sheet name.
pub const FORBIDDEN_IN_SHEET_NAMES: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// The columns each institution has on the summary sheet: share, part, projected, result, margin.
const PART_COLUMNS: usize = 5;

/// The columns before the institutions' on the summary sheet (and first on each institution's).
const TARGET_COLUMNS: usize = 6;

/// Simulates the scenario, divides its region targets (every year) and writes the workbook in
/// `lang`: the summary (汇总 / Summary), one sheet per institution in file order (named by
/// [`sheet_names`]), and the notes (说明 / Notes).
///
/// Errors: [`ExportError::Scenario`] with the command line's messages when the scenario is
/// invalid or infeasible; [`ExportError::Write`] if the writer fails (not expected).
pub fn export_decomposition(scenario_json: &str, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let (scenario, projection) =
        request::simulate(request::scenario(scenario_json)).map_err(ExportError::Scenario)?;
    let divided = decompose(&scenario, &projection, None);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(ZIP_LEVEL);
    let properties = DocProperties::new()
        .set_title(cell_text(&scenario.name))
        .set_subject("Delever")
        .set_comment(format!(
            "Delever model {MODEL_VERSION} · {}",
            tr(lang, "目标分解（一行一方案）", "targets divided")
        ));
    workbook.set_properties(&properties);

    let summary_name = tr(lang, SUMMARY_SHEET.0, SUMMARY_SHEET.1);
    let notes_name = tr(lang, NOTES_SHEET.0, NOTES_SHEET.1);
    let names = sheet_names(
        scenario.institutions.iter().map(|i| (i.id.as_str(), i.name.as_str())),
        &[summary_name, notes_name],
        lang,
    );

    let mut sheet = named(summary_name)?;
    summary(&mut sheet, &scenario, &projection, &divided, lang, &formats)?;
    workbook.push_worksheet(sheet);

    let progress = |id: &str| {
        let tracking = projection.tracking.as_ref()?;
        tracking.institutions.iter().find(|(own, _)| own == id).map(|(_, p)| p)
    };
    for (institution, name) in scenario.institutions.iter().zip(&names) {
        let mut sheet = named(name)?;
        let own =
            Own { scenario: &scenario, institution, divided: &divided, progress: progress(&institution.id) };
        institution_sheet(&mut sheet, &own, lang, &formats)?;
        workbook.push_worksheet(sheet);
    }

    let mut sheet = named(notes_name)?;
    notes(&mut sheet, &scenario, lang, &formats)?;
    workbook.push_worksheet(sheet);

    Ok(workbook.save_to_buffer()?)
}

/// Each institution's sheet name, in order, for institutions given as `(id, name)`.
///
/// Its name made valid for Excel ([`excel_sheet_name`]); when that is empty or already taken,
/// its id made valid; then `机构 k` / `Institution k` (its 1-based position); then the id (or
/// that) with ` (2)`, ` (3)`… Taken means used by an earlier institution or in `reserved`
/// (the workbook's other sheets) or Excel's reserved `History`, ignoring case, as Excel does.
pub fn sheet_names<'a>(
    institutions: impl IntoIterator<Item = (&'a str, &'a str)>,
    reserved: &[&str],
    lang: Lang,
) -> Vec<String> {
    let mut taken: HashSet<String> = reserved.iter().map(|name| name.to_lowercase()).collect();
    taken.insert("history".into());
    let mut names = Vec::new();
    for (position, (id, name)) in institutions.into_iter().enumerate() {
        let id = excel_sheet_name(id);
        let numbered = format!("{} {}", tr(lang, "机构", "Institution"), position.saturating_add(1));
        let free = |candidate: &String| !candidate.is_empty() && !taken.contains(&candidate.to_lowercase());
        let chosen = [excel_sheet_name(name), id.clone(), numbered.clone()]
            .into_iter()
            .find(|candidate| free(candidate))
            .unwrap_or_else(|| {
                let base = if id.is_empty() { numbered } else { id };
                // At most `names.len() + reserved.len() + 1` names are taken, so a free
                // number is always found among the next that many.
                let limit = names.len().saturating_add(reserved.len()).saturating_add(3);
                (2..=limit)
                    .map(|k| with_suffix(&base, &format!(" ({k})")))
                    .find(|candidate| free(candidate))
                    .unwrap_or(base)
            });
        taken.insert(chosen.to_lowercase());
        names.push(chosen);
    }
    names
}

/// `text` as a valid Excel sheet name, or empty: control characters dropped, each of
/// `[]:*?/\` replaced by `_`, spaces and apostrophes trimmed from both ends, and cut to 31
/// UTF-16 units with a final `…` when longer.
pub fn excel_sheet_name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if FORBIDDEN_IN_SHEET_NAMES.contains(&c) { '_' } else { c })
        .collect();
    let trimmed = trim_sheet_name(&cleaned);
    if trimmed.encode_utf16().count() <= MAX_SHEET_NAME {
        return trimmed.to_string();
    }
    with_suffix(trimmed, "…")
}

/// `base` cut so that `suffix` fits within the limit, then `suffix`.
fn with_suffix(base: &str, suffix: &str) -> String {
    let room = MAX_SHEET_NAME.saturating_sub(suffix.encode_utf16().count());
    let mut cut = String::new();
    let mut units = 0_usize;
    for c in base.chars() {
        units = units.saturating_add(c.len_utf16());
        if units > room {
            break;
        }
        cut.push(c);
    }
    let mut out = trim_sheet_name(&cut).to_string();
    out.push_str(suffix);
    out
}

/// Excel refuses a sheet name that starts or ends with an apostrophe; spaces there are noise.
fn trim_sheet_name(text: &str) -> &str {
    text.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

/// What one institution's sheet shows.
struct Own<'a> {
    scenario: &'a Scenario,
    institution: &'a Institution,
    divided: &'a [Divided],
    /// Its disposal progress in the as-of year, when the scenario has actuals.
    progress: Option<&'a Progress>,
}

/// `2019`, or `2019–2021` when the divided targets span years; `None` without any.
fn years_text(divided: &[Divided]) -> Option<String> {
    let first = divided.iter().map(|d| d.target.year).min()?;
    let last = divided.iter().map(|d| d.target.year).max()?;
    Some(if first == last { first.to_string() } else { format!("{first}–{last}") })
}

/// The line under each sheet's title: where the numbers come from.
fn stamp_line(scenario: &Scenario, projection_as_of: Option<&str>, lang: Lang) -> String {
    let as_of = projection_as_of.unwrap_or(tr(lang, "无（计划数）", "none (the plan)"));
    match lang {
        Lang::Zh => format!(
            "情景：{} · 金额单位：{} · 期初：{} · 实际数截至：{as_of} · Delever 模型 {MODEL_VERSION}",
            scenario.name, scenario.unit, scenario.start
        ),
        Lang::En => format!(
            "Scenario: {} · Unit: {} · Opening: {} · Actuals to: {as_of} · Delever model {MODEL_VERSION}",
            scenario.name, scenario.unit, scenario.start
        ),
    }
}

fn met_text(lang: Lang, met: bool) -> &'static str {
    if met { tr(lang, "达标", "met") } else { tr(lang, "未达标", "not met") }
}

/// The target's own columns: id, metric name, metric code, condition, region value, year.
fn target_cells(
    sheet: &mut Worksheet,
    row: u32,
    d: &Divided,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let metric = d.target.metric.as_str();
    sheet.write_string(row, 0, cell_text(&d.target.id))?;
    sheet.write_string(row, 1, metric_name(lang, metric))?;
    sheet.write_string(row, 2, metric)?;
    sheet.write_string(row, 3, op_symbol(d.target.op))?;
    write(sheet, row, 4, &Out::Amount(d.value), formats)?;
    sheet.write_number(row, 5, f64::from(d.target.year))?;
    Ok(())
}

fn target_headers(lang: Lang) -> [&'static str; TARGET_COLUMNS] {
    [
        tr(lang, "目标编号", "Target"),
        tr(lang, "指标", "Metric"),
        tr(lang, "指标代码", "Metric code"),
        tr(lang, "条件", "Condition"),
        tr(lang, "全辖目标值", "Region target"),
        tr(lang, "年份", "Year"),
    ]
}

fn no_target_note(lang: Lang) -> &'static str {
    tr(
        lang,
        "本情景没有可分解的全辖目标（指标为存款、贷款、不良贷款或处置的全辖目标）。",
        "The scenario has no region target to divide (a region target on deposits, loans, npl or disposal).",
    )
}

/// The summary: title, stamp, then one row per divided target with, per institution, its
/// share, part, projected value, result and margin (two header rows: the institution, then
/// the five).
fn summary(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    projection: &Projection,
    divided: &[Divided],
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let title = match lang {
        Lang::Zh => format!("{} 目标分解汇总（一行一方案）", scenario.name),
        Lang::En => format!("{}: the region targets divided among the institutions", scenario.name),
    };
    sheet.write_string_with_format(0, 0, cell_text(&title), &formats.title)?;
    sheet.write_string(1, 0, cell_text(&stamp_line(scenario, projection.as_of.as_deref(), lang)))?;
    let count = match lang {
        Lang::Zh => format!("分解目标 {} 个 · 机构 {} 家", divided.len(), scenario.institutions.len()),
        Lang::En => {
            format!("{} targets divided · {} institutions", divided.len(), scenario.institutions.len())
        }
    };
    sheet.write_string(2, 0, count)?;
    let head = 4_u32;
    if divided.is_empty() {
        sheet.write_string(head, 0, no_target_note(lang))?;
        sheet.set_column_width(0, 14)?;
        return Ok(());
    }
    let sub = head.saturating_add(1);
    for (column, header) in target_headers(lang).iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.merge_range(head, column, sub, column, header, &formats.header)?;
        sheet.set_column_width(column, width_of(header).max(10.0))?;
    }
    let part_headers = [
        tr(lang, "份额", "Share"),
        tr(lang, "分解目标值", "Part"),
        tr(lang, "预测年末值", "Projected"),
        tr(lang, "结果", "Result"),
        tr(lang, "余量", "Margin"),
    ];
    for (index, institution) in scenario.institutions.iter().enumerate() {
        let first = block_column(index, 0);
        let last = block_column(index, PART_COLUMNS.saturating_sub(1));
        let label = if institution.name == institution.id {
            institution.id.clone()
        } else {
            match lang {
                Lang::Zh => format!("{}（{}）", institution.name, institution.id),
                Lang::En => format!("{} ({})", institution.name, institution.id),
            }
        };
        sheet.merge_range(head, first, head, last, &cell_text(&label), &formats.header)?;
        for (offset, header) in part_headers.iter().enumerate() {
            let column = block_column(index, offset);
            sheet.write_string_with_format(sub, column, *header, &formats.header)?;
            sheet.set_column_width(column, 12)?;
        }
    }
    let mut row = sub;
    for d in divided {
        row = row.saturating_add(1);
        target_cells(sheet, row, d, lang, formats)?;
        for (index, institution) in scenario.institutions.iter().enumerate() {
            let Some(part) = part_of(d, &institution.id) else { continue };
            write(sheet, row, block_column(index, 0), &Out::Rate(part.share), formats)?;
            write(sheet, row, block_column(index, 1), &Out::Amount(part.value), formats)?;
            if let Some(actual) = part.actual {
                write(sheet, row, block_column(index, 2), &Out::Amount(actual), formats)?;
            }
            sheet.write_string(row, block_column(index, 3), met_text(lang, part.met))?;
            if let Some(margin) = part.margin {
                write(sheet, row, block_column(index, 4), &Out::Amount(margin), formats)?;
            }
        }
    }
    sheet.set_freeze_panes(sub.saturating_add(1), 2)?;
    Ok(())
}

/// The summary column of institution `index`'s `offset`-th cell.
fn block_column(index: usize, offset: usize) -> u16 {
    let column = index.saturating_mul(PART_COLUMNS).saturating_add(TARGET_COLUMNS).saturating_add(offset);
    // Beyond u16, the writer refuses the column (an error, never a panic).
    u16::try_from(column).unwrap_or(u16::MAX)
}

fn part_of<'d>(d: &'d Divided, id: &str) -> Option<&'d Part> {
    d.parts.iter().find(|p| p.institution == id)
}

/// One institution's sheet: title, stamp, its part of every divided target, then (with
/// actuals) its disposal progress in the as-of year.
fn institution_sheet(
    sheet: &mut Worksheet,
    own: &Own,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let name = &own.institution.name;
    let title = match (lang, years_text(own.divided)) {
        (Lang::Zh, Some(years)) => format!("{name} {years} 年目标分解（一行一方案）"),
        (Lang::Zh, None) => format!("{name} 目标分解（一行一方案）"),
        (Lang::En, Some(years)) => format!("{name}: its share of the {years} targets"),
        (Lang::En, None) => format!("{name}: its share of the region's targets"),
    };
    sheet.write_string_with_format(0, 0, cell_text(&title), &formats.title)?;
    let as_of = own.progress.map(|p| p.as_of.as_str());
    let id_line = format!(
        "{}{} · {}",
        tr(lang, "机构编号：", "Institution id: "),
        own.institution.id,
        stamp_line(own.scenario, as_of, lang)
    );
    sheet.write_string(1, 0, cell_text(&id_line))?;

    let head = 3_u32;
    let mut headers: Vec<&str> = target_headers(lang).to_vec();
    headers.extend([
        tr(lang, "本机构份额", "Its share"),
        tr(lang, "分解目标值", "Its part"),
        tr(lang, "预测年末值", "Projected year-end"),
        tr(lang, "结果", "Result"),
        tr(lang, "余量", "Margin"),
        tr(lang, "份额（精确）", "Share (exact)"),
        tr(lang, "分解目标值（精确）", "Part (exact)"),
        tr(lang, "预测年末值（精确）", "Projected (exact)"),
        tr(lang, "余量（精确）", "Margin (exact)"),
    ]);
    let mut row = head;
    if own.divided.is_empty() {
        sheet.write_string(row, 0, no_target_note(lang))?;
    } else {
        header_row(sheet, head, &headers, formats)?;
        for d in own.divided {
            let Some(part) = part_of(d, &own.institution.id) else { continue };
            row = row.saturating_add(1);
            target_cells(sheet, row, d, lang, formats)?;
            write(sheet, row, 6, &Out::Rate(part.share), formats)?;
            write(sheet, row, 7, &Out::Amount(part.value), formats)?;
            if let Some(actual) = part.actual {
                write(sheet, row, 8, &Out::Amount(actual), formats)?;
                sheet.write_string(row, 13, fmt_decimal(actual))?;
            }
            sheet.write_string(row, 9, met_text(lang, part.met))?;
            if let Some(margin) = part.margin {
                write(sheet, row, 10, &Out::Amount(margin), formats)?;
                sheet.write_string(row, 14, fmt_decimal(margin))?;
            }
            sheet.write_string(row, 11, fmt_decimal(part.share))?;
            sheet.write_string(row, 12, fmt_decimal(part.value))?;
        }
        sheet.set_freeze_panes(head.saturating_add(1), 1)?;
    }
    for (column, header) in headers.iter().enumerate() {
        let width = if column >= 11 { 32.0 } else { width_of(header).max(10.0) };
        sheet.set_column_width(u16::try_from(column).unwrap_or(0), width)?;
    }
    if let Some(progress) = own.progress {
        progress_block(sheet, row.saturating_add(2), progress, lang, formats)?;
    }
    Ok(())
}

/// The month after `as_of` (`YYYY-MM`) in the same year; `None` in December or when unreadable.
fn next_month(as_of: &str) -> Option<YearMonth> {
    let month = YearMonth::parse(as_of)?;
    (month.month < 12).then(|| month.plus_months(1))
}

/// The disposal progress of MODEL.md section 9, from row `row`: a heading, then label (column
/// A), value (column E) and exact value (column F) for the plan, what is done, the schedule,
/// the completion, how far behind, and what is required each month from now on.
fn progress_block(
    sheet: &mut Worksheet,
    row: u32,
    p: &Progress,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let as_of = p.as_of.as_str();
    let heading = match lang {
        Lang::Zh => format!("{} 年处置进度（实际数截至 {as_of}）", p.year),
        Lang::En => format!("Disposal progress in {} (reports to {as_of})", p.year),
    };
    sheet.write_string_with_format(row, 0, heading, &formats.bold)?;
    let next = next_month(as_of);
    let required_label = match (lang, next) {
        (Lang::Zh, Some(next)) => format!("{next} 起至年末平均每月须处置"),
        (Lang::Zh, None) => "此后平均每月须处置".to_string(),
        (Lang::En, Some(next)) => format!("Required each month from {next} to the year-end"),
        (Lang::En, None) => "Required each month from now on".to_string(),
    };
    let amount = |d: Decimal| Some(Out::Amount(d));
    let rows: [(String, Option<Out>, &str); 6] = [
        (tr(lang, "年度处置计划", "Disposal plan for the year").to_string(), amount(p.disposal_plan), ""),
        (
            match lang {
                Lang::Zh => format!("截至 {as_of} 已处置"),
                Lang::En => format!("Disposed of to {as_of}"),
            },
            amount(p.disposal_to_date),
            "",
        ),
        (
            match lang {
                Lang::Zh => format!("按处置节奏截至 {as_of} 应处置"),
                Lang::En => format!("Scheduled to {as_of} (the plan's pace)"),
            },
            amount(p.scheduled_to_date),
            "",
        ),
        (
            tr(lang, "完成进度", "Completion").to_string(),
            p.completion.map(Out::Rate),
            tr(lang, "年度处置计划为 0", "the year's plan is 0"),
        ),
        (
            tr(lang, "落后进度（正数为落后于节奏）", "Behind schedule (positive: behind)").to_string(),
            amount(p.behind),
            "",
        ),
        (
            required_label,
            p.required_monthly.map(Out::Amount),
            tr(lang, "全年均已报送，没有剩余月份", "the whole year is reported; no month remains"),
        ),
    ];
    let exact = [
        Some(p.disposal_plan),
        Some(p.disposal_to_date),
        Some(p.scheduled_to_date),
        p.completion,
        Some(p.behind),
        p.required_monthly,
    ];
    let mut at = row;
    for ((label, value, when_none), exact) in rows.iter().zip(exact) {
        at = at.saturating_add(1);
        sheet.write_string(at, 0, label)?;
        match value {
            Some(out) => write(sheet, at, 4, out, formats)?,
            None => {
                sheet.write_string(at, 4, "—")?;
                sheet.write_string(at, 5, *when_none)?;
            }
        }
        if let Some(exact) = exact {
            sheet.write_string(at, 5, fmt_decimal(exact))?;
        }
    }
    Ok(())
}

/// The notes: what the workbook holds and how every share is computed, in `lang`.
fn notes(sheet: &mut Worksheet, scenario: &Scenario, lang: Lang, formats: &Formats) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        tr(lang, "目标分解说明（一行一方案）", "How the targets are divided (一行一方案)"),
        &formats.title,
    )?;
    let with_actuals = !scenario.actuals.is_empty();
    let mut lines: Vec<&str> = vec![
        tr(
            lang,
            "本工作簿把情景中各年的全辖目标（指标为存款、贷款、不良贷款或处置）分解到各机构：“汇总”表为全部分解结果，一行一个目标；其后每家机构一张表（表名为机构名称，过长或重复时改用机构编号），列出该机构的份额、分解目标值、预测年末值、是否达标及余量，可直接发给该机构。",
            "This workbook divides the scenario's region targets on deposits, loans, npl or disposal (of every year) among the institutions: the Summary sheet holds the whole division, one row per target; then each institution has a sheet (named after it, or after its id when the name is too long or already used) with its share, its part, its projected year-end value, whether it meets its part and the margin, to hand to it.",
        ),
        tr(
            lang,
            "份额：按各机构在目标年度年初的同一存量占全辖合计的比例计算——存款目标按年初存款，贷款目标按年初贷款，不良贷款目标按年初不良贷款，处置目标按年初不良贷款（与处置计划的分摊方式相同）。第一年的年初为情景的期初余额，以后各年为上一年末的测算值。",
            "Shares: each institution's share is its value of the same stock at the opening of the target's year, over the region's total: opening deposits for a deposits target, opening loans for loans, opening NPL for npl, and opening NPL for disposal (as the plan's own sharing). The first year opens with the scenario's opening balances; a later year with the previous year-end as projected.",
        ),
        tr(
            lang,
            "若各机构该存量均为 0，改按年初贷款分配；年初贷款也均为 0 时，各机构份额相等。",
            "If that stock is zero for every institution, the shares follow the loans at the year's opening; if those are all zero too, every institution has an equal share.",
        ),
        tr(
            lang,
            "分解目标值 = 全辖目标值 × 份额。机构的预测年末值按目标的条件（≥ 或 ≤）与其分解目标值比较，比较前预测值按四舍六入五成双保留 8 位小数（与全辖目标的检查相同）；余量在“≥”时为预测值 − 分解目标值，在“≤”时为分解目标值 − 预测值，正数表示尚有余地。",
            "Part = region target × share. The institution's projected year-end value is checked against its part with the target's condition (≥ or ≤), the projected value rounded half-even to 8 places first (as for the region's own targets); the margin is projected − part for ≥ and part − projected for ≤, positive when there is room.",
        ),
    ];
    lines.push(if with_actuals {
        tr(
            lang,
            "本情景含实际数（月报）：各机构表下方列出其在截至月份所在年度的处置进度——年度处置计划（按该年实际的年初余额确定）、截至该月已处置、按处置节奏截至该月应处置、完成进度（已处置 ÷ 年度计划）、落后进度（应处置 − 已处置，正数为落后），以及此后至年末平均每月须处置（年度计划减已处置、不低于 0，再除以剩余月数）。预测年末值为截至月份的实际数加其后的重新测算。",
            "The scenario has actuals (月报): below its table, each institution's sheet shows its disposal progress in the year of the as-of month: the year's disposal plan (fixed from that year's reported opening), what it has disposed of to the as-of month, what the plan's pace schedules by then, the completion (disposed of ÷ plan), how far behind it is (scheduled − disposed of, positive when behind), and what it must dispose of each month on average from the next month to the year-end (the plan less what is done, at least 0, over the months that remain). Projected year-end values are the reported months and the re-forecast after them.",
        )
    } else {
        tr(
            lang,
            "本情景没有实际数（月报），各机构表只列分解结果；录入月报后，表下方另列处置进度与此后每月须处置的金额。",
            "The scenario has no actuals (月报), so the institutions' sheets show the division only; with reported months, each sheet also shows the disposal progress and what must be disposed of each month from then on.",
        )
    });
    lines.push(tr(
        lang,
        "数值单元格为 Excel 双精度数（约 15 位有效数字），按金额或百分比格式显示；模型以 28 位精确小数计算，是否达标以精确值判断，各机构表右侧的“（精确）”列为精确值（文本）。",
        "Number cells hold Excel doubles (about 15 significant digits), formatted as amounts or percentages; the model computes in exact 28-digit decimals and decides each result on them, and the \"(exact)\" columns on the right of each institution's sheet give those values as text.",
    ));
    let mut row = 2_u32;
    for line in lines {
        sheet.write_string_with_format(row, 0, line, &formats.wrap)?;
        row = row.saturating_add(1);
    }
    let version = match lang {
        Lang::Zh => format!("Delever 模型版本 {MODEL_VERSION}；金额单位：{}。", scenario.unit),
        Lang::En => format!("Delever model version {MODEL_VERSION}; amounts in {}.", scenario.unit),
    };
    sheet.write_string_with_format(row.saturating_add(1), 0, cell_text(&version), &formats.wrap)?;
    sheet.set_column_width(0, 110)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(institutions: &[(&str, &str)], expected: &[&str]) {
        let names = sheet_names(institutions.iter().copied(), &["汇总", "说明"], Lang::Zh);
        assert_eq!(names, expected);
    }

    #[test]
    fn names_are_made_valid_and_unique() {
        check(&[("a", "工商银行"), ("b", "中国银行")], &["工商银行", "中国银行"]);
        // Forbidden characters become `_`; apostrophes and spaces at the ends go.
        check(&[("a", "A/B:C*D?E[F]G\\H"), ("b", " 'x' ")], &["A_B_C_D_E_F_G_H", "x"]);
        // Too long: cut to 30 units and an ellipsis.
        let long = "一二三四五六七八九十".repeat(4);
        check(&[("a", &long)], &[&format!("{}…", &long.chars().take(30).collect::<String>())]);
        // The same name twice, a reserved name, Excel's `History`, case ignored.
        check(
            &[("a", "农商行"), ("b", "农商行"), ("c", "汇总"), ("d", "HISTORY"), ("e", "ABC"), ("f", "abc")],
            &["农商行", "b", "c", "d", "ABC", "f"],
        );
        // An id that is taken too (or empty once made valid): the position, then a number.
        check(&[("x", "y"), ("y", "x"), ("z", "x")], &["y", "x", "z"]);
        check(&[("b", "a"), ("a", "a"), ("''", "a")], &["a", "机构 2", "机构 3"]);
        check(&[("p", "机构 2"), ("q", "q"), ("机构 2", "q")], &["机构 2", "q", "机构 3"]);
        check(&[("p", "机构 2"), ("q", "q"), ("r", "机构 2"), ("s", "r")], &["机构 2", "q", "r", "s"]);
        check(
            &[("机构 3", "a"), ("机构 2", "a"), ("x", "机构 2"), ("y", "机构 3")],
            &["a", "机构 2", "x", "机构 3"],
        );
    }

    #[test]
    fn a_number_is_added_when_everything_else_is_taken() {
        // The third institution's name, id and position are all taken.
        let names = sheet_names([("机构 3", "a"), ("c", "机构 3"), ("c2", "a")], &["c2"], Lang::Zh);
        assert_eq!(names, ["a", "机构 3", "c2 (2)"]);
        // The id cut to fit its number.
        let long_id = "i".repeat(40);
        let cut = format!("{}…", "i".repeat(30));
        let names = sheet_names([("a", "a"), (long_id.as_str(), "a")], &[cut.as_str(), "机构 2"], Lang::Zh);
        assert_eq!(names, ["a".to_string(), format!("{} (2)", "i".repeat(27))]);
    }

    #[test]
    fn the_month_after_the_as_of_month() {
        assert_eq!(next_month("2019-05").map(|m| m.to_string()).as_deref(), Some("2019-06"));
        assert_eq!(next_month("2019-12"), None);
        assert_eq!(next_month("nonsense"), None);
    }
}
