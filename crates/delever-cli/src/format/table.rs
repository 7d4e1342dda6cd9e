//! Human-readable output (`--format table`): aligned, bilingual tables for a terminal or a README.
//!
//! Widths count CJK characters as two columns, so Chinese labels line up in a terminal.

use delever_model::Projection;
use delever_model::analysis::{Feasibility, GoalSeek, MonteCarlo, PERCENTILES, Sensitivity};
use delever_model::metrics::YEAR_END_SCALARS;
use delever_model::presets::Preset;
use delever_model::scenario::{CHANNELS, Op, Scenario, Scope, TargetValue};
use delever_model::targets::TargetResult;
use rust_decimal::Decimal;

use super::{
    NULL, amount, channel_zh, lever_label, lever_value, metric_delta, metric_label, metric_value, percent,
};
use delever_cli::diagnostic::Language;

/// How a column's cells are aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// A text table: a header row, a rule under it, then the rows, columns two spaces apart.
struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first column is left-aligned and the others right-aligned (labels, then numbers).
    fn numeric<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let aligns = (0..headers.len()).map(|i| if i == 0 { Align::Left } else { Align::Right }).collect();
        Table { headers, aligns, rows: Vec::new() }
    }

    fn with_aligns(mut self, aligns: &[Align]) -> Table {
        for (slot, align) in self.aligns.iter_mut().zip(aligns) {
            *slot = *align;
        }
        self
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table, each line prefixed by `indent`, trailing spaces trimmed.
    fn render(&self, indent: &str) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::from(indent);
            for (i, cell) in cells.iter().enumerate().take(columns) {
                if i > 0 {
                    text.push_str("  ");
                }
                let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(width(cell));
                match self.aligns.get(i).copied().unwrap_or(Align::Left) {
                    Align::Left => {
                        text.push_str(cell);
                        text.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        text.push_str(&" ".repeat(pad));
                        text.push_str(cell);
                    }
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.headers, &mut out);
        let rules: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        line(&rules, &mut out);
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }
}

/// Display width in a terminal: East Asian wide and full-width characters take two columns.
fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F        // Hangul Jamo
        | 0x2E80..=0x303E      // CJK radicals, punctuation
        | 0x3041..=0x33FF      // kana, CJK symbols
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFE30..=0xFE4F      // CJK compatibility forms
        | 0xFF00..=0xFF60      // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

fn years_text(scenario: &Scenario) -> String {
    let (first, last) = (scenario.first_year(), scenario.last_year());
    if first == last { first.to_string() } else { format!("{first}–{last}") }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The first lines of every table output: the scenario's name and what kind of output follows.
fn title(scenario: &Scenario, what: &str) -> String {
    if what.is_empty() { format!("{}\n", scenario.name) } else { format!("{what} — {}\n", scenario.name) }
}

/// `validate`: one line saying what the file holds.
pub fn validation_summary(scenario: &Scenario) -> String {
    let zones = {
        let mut names: Vec<&str> = scenario.institutions.iter().filter_map(|i| i.zone.as_deref()).collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    format!(
        "ok: \"{}\": {} ({}), {}, {}, {}, {}{}\n",
        scenario.name,
        plural(usize::try_from(scenario.years).unwrap_or(0), "year", "years"),
        years_text(scenario),
        plural(scenario.institutions.len(), "institution", "institutions"),
        plural(zones, "zone", "zones"),
        plural(scenario.events.len(), "event", "events"),
        plural(scenario.targets.len(), "target", "targets"),
        if scenario.amc.is_some() { ", local AMC" } else { "" },
    )
}

/// `simulate --format table`.
pub fn projection(scenario: &Scenario, projection: &Projection, language: Language) -> String {
    let mut out = title(scenario, "");
    out.push_str(&format!(
        "单位 unit: {} · 期初 opening: {} · 预测 projection: {} · 机构 institutions: {}\n",
        scenario.unit,
        scenario.start,
        years_text(scenario),
        scenario.institutions.len()
    ));
    if let Some(as_of) = &projection.as_of {
        out.push_str(&format!(
            "实际数据截至 actuals as of: {as_of}（此后为重新预测 re-forecast after it）\n"
        ));
    }
    out.push_str(&region_section(projection, &scenario.unit));
    out.push_str(&zones_section(projection, &scenario.unit));
    out.push_str(&institutions_section(scenario, projection));
    out.push_str(&targets_section(projection));
    out.push_str(&tracking_section(projection, &scenario.unit));
    out.push_str(&warnings_section(projection, language));
    out
}

/// With actuals: the as-of year's progress against the plan, for the region, each zone and
/// each institution (MODEL.md section 9).
fn tracking_section(projection: &Projection, unit: &str) -> String {
    let Some(tracking) = &projection.tracking else { return String::new() };
    let region = &tracking.region;
    let mut table = Table::numeric([
        "范围 scope",
        "计划 plan",
        "累计处置 to date",
        "时序进度 scheduled",
        "完成进度 completion",
        "落后 behind",
        "此后每月需处置 required / month",
        "不良较计划 NPL vs plan",
    ]);
    let rows = std::iter::once(("全辖 region".to_string(), region))
        .chain(tracking.zones.iter().map(|(z, p)| (format!("片区 zone {z}"), p)))
        .chain(tracking.institutions.iter().map(|(id, p)| (id.clone(), p)));
    for (scope, p) in rows {
        table.row(vec![
            scope,
            amount(p.disposal_plan),
            amount(p.disposal_to_date),
            amount(p.scheduled_to_date),
            p.completion.map(percent).unwrap_or_else(|| NULL.to_string()),
            amount(p.behind),
            p.required_monthly.map(amount).unwrap_or_else(|| NULL.to_string()),
            amount(p.npl_vs_plan),
        ]);
    }
    format!(
        "\n跟踪 Tracking, {} · 截至 as of {}（{unit}；落后为正 positive = behind schedule）\n{}",
        region.year,
        region.as_of,
        table.render("  ")
    )
}

fn region_section(projection: &Projection, unit: &str) -> String {
    let year_ends = &projection.region.year_ends;
    let mut table = Table::numeric(
        std::iter::once("指标 metric".to_string()).chain(year_ends.iter().map(|y| y.year.to_string())),
    );
    for metric in YEAR_END_SCALARS {
        let values: Vec<Option<Decimal>> = year_ends.iter().map(|y| y.get(metric)).collect();
        // A metric that is null every year (capital not modelled, no AMC) is left out.
        if values.iter().all(Option::is_none) {
            continue;
        }
        let mut row = vec![metric_label(metric)];
        row.extend(values.iter().map(|v| metric_value(metric, *v)));
        table.row(row);
        if metric == "disposal" {
            for (c, channel) in CHANNELS.iter().enumerate() {
                let flows: Vec<Decimal> = year_ends
                    .iter()
                    .map(|y| y.disposal_by_channel.get(c).copied().unwrap_or_default())
                    .collect();
                if flows.iter().all(Decimal::is_zero) {
                    continue;
                }
                let mut row = vec![format!("  其中 {} {channel}", channel_zh(channel))];
                row.extend(flows.iter().map(|v| amount(*v)));
                table.row(row);
            }
        }
    }
    format!("\n全辖年末指标 Region, year-end（{}）\n{}", unit, table.render("  "))
}

fn zones_section(projection: &Projection, unit: &str) -> String {
    if projection.zones.is_empty() {
        return String::new();
    }
    let mut ranked: Vec<(&String, &delever_model::output::YearEnd)> = projection
        .zones
        .iter()
        .filter_map(|(name, series)| series.year_ends.last().map(|y| (name, y)))
        .collect();
    let Some(year) = ranked.first().map(|(_, y)| y.year) else { return String::new() };
    // The plans rank sub-districts by the year's change in NPL: the largest reduction first.
    ranked.sort_by_key(|(_, year_end)| year_end.npl_change);
    let mut table = Table::numeric([
        "排名 rank",
        "街道/园区 zone",
        "贷款 loans",
        "不良 npl",
        "不良率 npl_ratio",
        "不良变动 npl_change",
    ])
    .with_aligns(&[Align::Right, Align::Left]);
    for (rank, (name, y)) in ranked.iter().enumerate() {
        table.row(vec![
            rank.saturating_add(1).to_string(),
            (*name).clone(),
            amount(y.loans),
            amount(y.npl),
            metric_value("npl_ratio", y.npl_ratio),
            amount(y.npl_change),
        ]);
    }
    format!(
        "\n街道/园区 Zones, end-{year}（{unit}）, ranked by npl_change 按不良余额变动排名\n{}",
        table.render("  ")
    )
}

fn institutions_section(scenario: &Scenario, projection: &Projection) -> String {
    if projection.institutions.len() < 2 {
        return String::new();
    }
    let last: Vec<_> =
        projection.institutions.iter().filter_map(|(id, s)| s.year_ends.last().map(|y| (id, y))).collect();
    let Some(year) = last.first().map(|(_, y)| y.year) else { return String::new() };
    let capital = last.iter().any(|(_, y)| y.leverage_ratio.is_some());
    let mut headers =
        vec!["编号 id", "名称 name", "贷款 loans", "不良 npl", "不良率 npl_ratio", "拨备覆盖率 coverage"];
    if capital {
        headers.push("杠杆率 leverage_ratio");
    }
    let mut table = Table::numeric(headers).with_aligns(&[Align::Left, Align::Left]);
    for (id, y) in &last {
        let name =
            scenario.institutions.iter().find(|i| &i.id == *id).map(|i| i.name.clone()).unwrap_or_default();
        let mut row = vec![
            (*id).clone(),
            name,
            amount(y.loans),
            amount(y.npl),
            metric_value("npl_ratio", y.npl_ratio),
            metric_value("coverage", y.coverage),
        ];
        if capital {
            row.push(metric_value("leverage_ratio", y.leverage_ratio));
        }
        table.row(row);
    }
    format!("\n机构 Institutions, end-{year}（{}）\n{}", scenario.unit, table.render("  "))
}

fn target_value(result: &TargetResult) -> String {
    let shown = metric_value(&result.target.metric, Some(result.value));
    if result.assumed {
        format!("{shown} 假设全国商业银行 assumed national commercial-bank")
    } else if matches!(result.target.value, TargetValue::NationalAverage(_)) {
        format!("{shown} 全国商业银行 national commercial-bank")
    } else {
        shown
    }
}

fn targets_section(projection: &Projection) -> String {
    let targets = &projection.targets;
    if targets.is_empty() {
        return "\n目标 Targets: none 无\n".to_string();
    }
    let scoped = targets.iter().any(|t| t.target.scope != Scope::Region);
    let years = targets.iter().any(|t| t.target.year != targets[0].target.year);
    let mut headers = vec!["编号 id"];
    if scoped {
        headers.push("范围 scope");
    }
    if years {
        headers.push("年份 year");
    }
    headers.extend(["指标 metric", "目标 target", "实际 actual", "结果 result", "余量 margin"]);
    let mut aligns = vec![Align::Left; headers.len().saturating_sub(5)];
    aligns.extend([Align::Left, Align::Right, Align::Right, Align::Left, Align::Right]);
    let mut table = Table::numeric(headers).with_aligns(&aligns);
    for t in targets {
        let mut row = vec![t.target.id.clone()];
        if scoped {
            row.push(t.target.scope.name().to_string());
        }
        if years {
            row.push(t.target.year.to_string());
        }
        row.extend([
            metric_label(&t.target.metric),
            format!(
                "{} {}",
                match t.target.op {
                    Op::Ge => "≥",
                    Op::Le => "≤",
                },
                target_value(t)
            ),
            metric_value(&t.target.metric, t.actual),
            if t.met { "达标 met".to_string() } else { "未达标 not met".to_string() },
            metric_delta(&t.target.metric, t.margin),
        ]);
        table.row(row);
    }
    let met = targets.iter().filter(|t| t.met).count();
    let when = if years { String::new() } else { format!(", {}", targets[0].target.year) };
    format!("\n目标 Targets{when}: {met} / {} 达标 met\n{}", targets.len(), table.render("  "))
}

fn warnings_section(projection: &Projection, language: Language) -> String {
    if projection.warnings.is_empty() {
        return String::new();
    }
    let mut out = format!("\n提示 Warnings ({})\n", projection.warnings.len());
    for warning in &projection.warnings {
        out.push_str(&format!("  - {}\n", warning.code));
        for &lang in language.langs() {
            out.push_str(&format!("    {}\n", warning.message(lang)));
        }
    }
    out
}

/// `goal-seek --format table`.
pub fn goal_seek(scenario: &Scenario, result: &GoalSeek) -> String {
    let lever = result.lever;
    let mut out = title(scenario, "目标求解 Goal seek");
    let current = lever_value(lever, scenario, lever.current(scenario), 2);
    out.push_str(&format!("  调节参数 lever:  {} (now 现值 {current})\n", lever_label(lever, scenario)));
    out.push_str(&format!(
        "  搜索范围 range:  {} … {}\n",
        lever_value(lever, scenario, result.from, 2),
        lever_value(lever, scenario, result.to, 2)
    ));
    out.push_str(&format!("  目标 targets:    {}\n", result.targets.join(", ")));
    if result.intervals.is_empty() {
        out.push_str("\n  无可行区间：范围内没有任何取值能同时满足这些目标\n");
        out.push_str("  No value in the range meets every one of these targets.\n");
        return out;
    }
    let mut table = Table::numeric(["", "从 from", "到 to"]);
    for (i, (from, to)) in result.intervals.iter().enumerate() {
        table.row(vec![
            format!("{}", i.saturating_add(1)),
            lever_value(lever, scenario, *from, 4),
            lever_value(lever, scenario, *to, 4),
        ]);
    }
    out.push_str(&format!("\n  可行区间 Feasible intervals\n{}", table.render("  ")));
    out
}

/// Width of the longest tornado bar, in characters.
const BAR_WIDTH: u32 = 24;

/// `sensitivity --format table`: the tornado, largest swing first, with a bar per lever.
pub fn sensitivity(scenario: &Scenario, result: &Sensitivity) -> String {
    let metric = result.metric.as_str();
    let mut out = title(scenario, "敏感性分析 Sensitivity");
    out.push_str(&format!(
        "  指标 metric: {} · end-{} 年末 · 基准 base: {}\n  each lever ×0.8 and ×1.2 (±0.01 from 0) 各参数下调/上调 20%\n\n",
        metric_label(metric),
        result.year,
        metric_value(metric, result.base)
    ));
    let largest = result.bars.iter().filter_map(|b| b.swing()).max().unwrap_or_default();
    let mut table = Table::numeric([
        "参数 lever",
        "低值 low",
        "高值 high",
        "低值时 at low",
        "高值时 at high",
        "波动 swing",
        "",
    ])
    .with_aligns(&[
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ]);
    for bar in &result.bars {
        let length = match bar.swing() {
            Some(s) if !largest.is_zero() => s
                .checked_mul(Decimal::from(BAR_WIDTH))
                .and_then(|x| x.checked_div(largest))
                .map(|x| x.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
                .and_then(|x| usize::try_from(x.mantissa()).ok())
                .unwrap_or(0),
            _ => 0,
        };
        table.row(vec![
            lever_label(bar.lever, scenario),
            lever_value(bar.lever, scenario, bar.low, 2),
            lever_value(bar.lever, scenario, bar.high, 2),
            metric_value(metric, bar.at_low),
            metric_value(metric, bar.at_high),
            metric_delta(metric, bar.swing()),
            "█".repeat(length),
        ]);
    }
    out.push_str(&table.render("  "));
    out
}

/// Grids up to this size are printed with their values; larger ones as a map of marks.
const VALUE_GRID_MAX: usize = 12;

/// `feasibility --format table`: the grid with values (small grids) or a map (`#` all met, `.` not).
pub fn feasibility(scenario: &Scenario, result: &Feasibility) -> String {
    let metric = result.metric.as_str();
    let (x, y) = (result.x, result.y);
    let mut out = title(scenario, "可行域 Feasibility map");
    let ends = |lever, values: &[Decimal]| match (values.first(), values.last()) {
        (Some(a), Some(b)) => {
            format!("{} … {}", lever_value(lever, scenario, *a, 2), lever_value(lever, scenario, *b, 2))
        }
        _ => NULL.to_string(),
    };
    out.push_str(&format!("  x: {}  {}\n", lever_label(x, scenario), ends(x, &result.x_values)));
    out.push_str(&format!("  y: {}  {}\n", lever_label(y, scenario), ends(y, &result.y_values)));
    let cells = result.cells.iter().flatten().count();
    let met = result.cells.iter().flatten().filter(|c| c.all_met).count();
    out.push_str(&format!(
        "  指标 metric: {} · end-{} 年末 · {} × {} points 格点\n  全部目标达标 all targets met: {met} / {cells}\n\n",
        metric_label(metric),
        result.year,
        result.x_values.len(),
        result.y_values.len()
    ));
    // Rows from the highest y down, as on a chart.
    let rows: Vec<(&Decimal, &Vec<delever_model::analysis::Cell>)> =
        result.y_values.iter().zip(&result.cells).rev().collect();
    if result.x_values.len() <= VALUE_GRID_MAX {
        let mut table = Table::numeric(
            std::iter::once("y \\ x".to_string())
                .chain(result.x_values.iter().map(|v| lever_value(x, scenario, *v, 2))),
        )
        .with_aligns(&[Align::Right]);
        for (yv, row) in rows {
            let mut cells = vec![lever_value(y, scenario, *yv, 2)];
            cells.extend(
                row.iter().map(|c| {
                    format!("{} {}", metric_value(metric, c.value), if c.all_met { "✓" } else { " " })
                }),
            );
            table.row(cells);
        }
        out.push_str(&table.render("  "));
        out.push_str("  ✓ 全部目标达标 all targets met; — 无值或不可行 null or infeasible\n");
    } else {
        let labels: Vec<String> = rows.iter().map(|(yv, _)| lever_value(y, scenario, **yv, 2)).collect();
        let label_width = labels.iter().map(|l| width(l)).max().unwrap_or(0);
        for ((_, row), label) in rows.iter().zip(&labels) {
            let marks: String = row.iter().map(|c| if c.all_met { "# " } else { ". " }).collect();
            out.push_str(&format!("  {label:>label_width$} │ {}\n", marks.trim_end()));
        }
        let axis = "─".repeat(result.x_values.len().saturating_mul(2));
        out.push_str(&format!("  {:>label_width$} └{axis}\n", ""));
        out.push_str(&format!("  {:>label_width$}   x: {}\n", "", ends(x, &result.x_values)));
        out.push_str("  # 全部目标达标 all targets met   . 未全部达标 not all met\n");
    }
    out
}

/// `monte-carlo --format table`: percentile bands by month, then each target's probability.
pub fn monte_carlo(scenario: &Scenario, result: &MonteCarlo) -> String {
    let mut out = title(scenario, "蒙特卡洛模拟 Monte Carlo");
    out.push_str(&format!(
        "  路径 paths: {} · 种子 seed: {} · 变异系数 cv: {} · 不可行路径 failed paths: {}\n",
        result.paths,
        result.seed,
        result.cv.normalize(),
        result.failed
    ));
    for (metric, bands) in &result.percentiles {
        let mut table = Table::numeric(
            std::iter::once("月份 month".to_string()).chain(PERCENTILES.iter().map(|q| format!("p{q}"))),
        );
        for band in bands {
            let mut row = vec![band.month.clone()];
            row.extend(band.values.iter().map(|v| metric_value(metric, *v)));
            table.row(row);
        }
        out.push_str(&format!("\n  {}\n{}", metric_label(metric), table.render("  ")));
    }
    if !result.targets.is_empty() {
        let mut table = Table::numeric(["编号 id", "概率 probability"]);
        for (id, probability) in &result.targets {
            table.row(vec![id.clone(), percent(*probability)]);
        }
        out.push_str(&format!("\n  目标达成概率 Probability of meeting each target\n{}", table.render("  ")));
    }
    out
}

/// `presets --format table`.
pub fn presets(rows: &[(&Preset, Option<Scenario>)]) -> String {
    let mut table = Table::numeric(["编号 id", "名称 name", "English name", "年份 years"]).with_aligns(&[
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
    ]);
    for (preset, scenario) in rows {
        table.row(vec![
            preset.id.to_string(),
            preset.name.to_string(),
            preset.name_en.to_string(),
            scenario.as_ref().map(years_text).unwrap_or_else(|| NULL.to_string()),
        ]);
    }
    table.render("")
}

/// `decompose --format table`: each divided target, one row per institution.
pub fn decomposition(scenario: &Scenario, divided: &[delever_model::division::Divided]) -> String {
    let mut out = title(scenario, "目标分解 Targets divided among the institutions (一行一方案)");
    if divided.is_empty() {
        out.push_str("  无可分解的全辖目标 no region target on deposits, loans, npl or disposal\n");
        return out;
    }
    for d in divided {
        let metric = d.target.metric.as_str();
        out.push_str(&format!(
            "\n{} · {} {} {} · end-{} 年末\n",
            d.target.id,
            metric_label(metric),
            delever_model::division::op_symbol(d.target.op),
            metric_value(metric, Some(d.value)),
            d.target.year
        ));
        let mut table = Table::numeric([
            "机构 institution",
            "份额 share",
            "分解目标 part",
            "预测 projected",
            "结果 result",
            "余量 margin",
        ])
        .with_aligns(&[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Right,
        ]);
        for p in &d.parts {
            table.row(vec![
                p.institution.clone(),
                percent(p.share),
                metric_value(metric, Some(p.value)),
                metric_value(metric, p.actual),
                if p.met { "达标 met".to_string() } else { "未达标 not met".to_string() },
                metric_value(metric, p.margin),
            ]);
        }
        out.push_str(&table.render("  "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two_columns() {
        assert_eq!(width("不良贷款率 npl_ratio"), 10 + 1 + 9);
        assert_eq!(width("1,234.56"), 8);
    }

    #[test]
    fn columns_line_up_with_chinese_labels() {
        let mut table = Table::numeric(["指标 metric", "2019"]);
        table.row(vec!["不良贷款率 npl_ratio".into(), "0.30%".into()]);
        table.row(vec!["存贷比 ldr".into(), "100.50%".into()]);
        let text = table.render("");
        let widths: Vec<usize> = text.lines().map(width).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{text}");
    }
}
