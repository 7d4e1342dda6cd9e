//! CSV output (`--format csv`): exact decimals, RFC 4180 quoting, LF line ends, empty cells for null.

use delever_model::Projection;
use delever_model::analysis::{Feasibility, MonteCarlo, PERCENTILES, Sensitivity};
use delever_model::metrics::{MONTHLY, YEAR_END_SCALARS};
use delever_model::num::fmt_decimal;
use delever_model::output::{MonthMetrics, Series, YearEnd};
use delever_model::scenario::CHANNELS;
use delever_model::tracking::Progress;
use rust_decimal::Decimal;

/// One field, quoted when it holds a comma, a quote or a line break (quotes doubled inside).
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn push_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(cell.as_ref()));
    }
    out.push('\n');
}

fn cell(value: Option<Decimal>) -> String {
    value.map(fmt_decimal).unwrap_or_default()
}

/// The metric columns of `simulate --format csv`: the year-end scalars, then the monthly-only
/// metrics, then one `disposal_<channel>` column per channel.
pub fn projection_columns() -> Vec<String> {
    let mut columns: Vec<String> = YEAR_END_SCALARS.iter().map(|m| (*m).to_string()).collect();
    for metric in MONTHLY {
        if !YEAR_END_SCALARS.contains(&metric) {
            columns.push(metric.to_string());
        }
    }
    columns.extend(CHANNELS.iter().map(|c| format!("disposal_{c}")));
    // Whether a month is reported (MODEL.md section 9); empty on year-end rows.
    columns.push("actual".to_string());
    columns
}

/// The tracking fields (MODEL.md section 9) `simulate --format csv` adds as `tracking_FIELD`
/// columns when the scenario has actuals, filled on each scope's as-of month.
pub const TRACKING_FIELDS: [&str; 10] = [
    "disposal_plan",
    "disposal_to_date",
    "scheduled_to_date",
    "completion",
    "behind",
    "required_monthly",
    "npl_vs_plan",
    "loans_vs_plan",
    "deposits_vs_plan",
    "npl_ratio_vs_plan",
];

/// `simulate --format csv`: every month and year-end of the region, each zone and each
/// institution. With actuals, the `tracking_*` columns hold each scope's tracking figures
/// on its as-of month's row (empty elsewhere).
pub fn projection(projection: &Projection) -> String {
    let metrics = projection_columns();
    let mut out = String::new();
    let mut header = vec!["scope".to_string(), "id".to_string(), "period".to_string()];
    header.extend(metrics.iter().cloned());
    let tracking = projection.tracking.as_ref().zip(projection.as_of.as_deref());
    if tracking.is_some() {
        header.extend(TRACKING_FIELDS.iter().map(|f| format!("tracking_{f}")));
    }
    push_row(&mut out, &header);
    let progress =
        |list: &[(String, Progress)], id: &str| list.iter().find(|(i, _)| i == id).map(|(_, p)| p.to_json());
    let at = |p: Option<serde_json::Value>| tracking.map(|(_, as_of)| (as_of, p));
    series_rows(
        &mut out,
        "region",
        "",
        &projection.region,
        at(tracking.map(|(t, _)| t.region.to_json())).as_ref(),
    );
    for (zone, series) in &projection.zones {
        let p = tracking.and_then(|(t, _)| progress(&t.zones, zone));
        series_rows(&mut out, "zone", zone, series, at(p).as_ref());
    }
    for (id, series) in &projection.institutions {
        let p = tracking.and_then(|(t, _)| progress(&t.institutions, id));
        series_rows(&mut out, "institution", id, series, at(p).as_ref());
    }
    out
}

/// The as-of month and the scope's tracking figures (as `Progress::to_json` writes them),
/// when the projection has actuals.
type TrackingCells<'a> = (&'a str, Option<serde_json::Value>);

/// The months of each year, each year followed by its year-end row.
fn series_rows(out: &mut String, scope: &str, id: &str, series: &Series, tracking: Option<&TrackingCells>) {
    let mut months = series.monthly.iter();
    let push = |out: &mut String, mut row: Vec<String>, month: Option<&str>| {
        if let Some((as_of, progress)) = tracking {
            for field in TRACKING_FIELDS {
                let value = progress.as_ref().filter(|_| month == Some(*as_of)).and_then(|p| p.get(field));
                row.push(value.and_then(serde_json::Value::as_str).unwrap_or_default().to_string());
            }
        }
        push_row(out, &row);
    };
    for year_end in &series.year_ends {
        for month in months.by_ref().take(12) {
            push(out, month_row(scope, id, month), Some(&month.month));
        }
        push(out, year_row(scope, id, year_end), None);
    }
    // Defensive: months beyond the last year-end (none in a well-formed projection).
    for month in months {
        push(out, month_row(scope, id, month), Some(&month.month));
    }
}

fn month_row(scope: &str, id: &str, month: &MonthMetrics) -> Vec<String> {
    let mut row = vec![scope.to_string(), id.to_string(), month.month.clone()];
    for metric in YEAR_END_SCALARS.iter().chain(MONTHLY.iter().filter(|m| !YEAR_END_SCALARS.contains(m))) {
        let value = if MONTHLY.contains(metric) { month.get(metric) } else { None };
        row.push(cell(value));
    }
    row.extend(month.disposal_by_channel.iter().map(|v| fmt_decimal(*v)));
    row.push(month.actual.to_string());
    row
}

fn year_row(scope: &str, id: &str, year_end: &YearEnd) -> Vec<String> {
    let mut row = vec![scope.to_string(), id.to_string(), year_end.year.to_string()];
    for metric in YEAR_END_SCALARS.iter().chain(MONTHLY.iter().filter(|m| !YEAR_END_SCALARS.contains(m))) {
        // Monthly-only metrics (new_lending) have no year-end value.
        row.push(cell(year_end.get(metric)));
    }
    row.extend(year_end.disposal_by_channel.iter().map(|v| fmt_decimal(*v)));
    row.push(String::new());
    row
}

/// `sensitivity --format csv`: one row per bar, largest swing first.
pub fn sensitivity(result: &Sensitivity) -> String {
    let mut out = String::new();
    push_row(&mut out, &["metric", "year", "base", "lever", "low", "high", "at_low", "at_high", "swing"]);
    for bar in &result.bars {
        push_row(
            &mut out,
            &[
                result.metric.clone(),
                result.year.to_string(),
                cell(result.base),
                bar.lever.name().to_string(),
                fmt_decimal(bar.low),
                fmt_decimal(bar.high),
                cell(bar.at_low),
                cell(bar.at_high),
                cell(bar.swing()),
            ],
        );
    }
    out
}

/// `feasibility --format csv`: long format, one row per cell, y-major.
pub fn feasibility(result: &Feasibility) -> String {
    let mut out = String::new();
    push_row(&mut out, &["x", "y", "value", "all_met"]);
    for (row, y) in result.cells.iter().zip(&result.y_values) {
        for (c, x) in row.iter().zip(&result.x_values) {
            push_row(&mut out, &[fmt_decimal(*x), fmt_decimal(*y), cell(c.value), c.all_met.to_string()]);
        }
    }
    out
}

/// `monte-carlo --format csv`: percentile rows, then target rows, then the failed-path count.
pub fn monte_carlo(result: &MonteCarlo) -> String {
    let mut out = String::new();
    let mut header = vec!["kind".to_string(), "id".to_string(), "month".to_string()];
    header.extend(PERCENTILES.iter().map(|q| format!("p{q}")));
    header.push("probability".to_string());
    push_row(&mut out, &header);
    let blanks = || PERCENTILES.iter().map(|_| String::new());
    for (metric, bands) in &result.percentiles {
        for band in bands {
            let mut row = vec!["percentile".to_string(), metric.clone(), band.month.clone()];
            row.extend(band.values.iter().map(|v| cell(*v)));
            row.push(String::new());
            push_row(&mut out, &row);
        }
    }
    for (id, probability) in &result.targets {
        let mut row = vec!["target".to_string(), id.clone(), String::new()];
        row.extend(blanks());
        row.push(fmt_decimal(*probability));
        push_row(&mut out, &row);
    }
    let mut row = vec!["failed_paths".to_string(), String::new(), String::new()];
    row.extend(blanks());
    row.push(result.failed.to_string());
    push_row(&mut out, &row);
    out
}

/// `decompose --format csv`: one row per institution's part of each divided target.
pub fn decomposition(divided: &[delever_model::division::Divided]) -> String {
    let mut out = String::new();
    push_row(
        &mut out,
        &["target", "metric", "op", "year", "institution", "share", "value", "actual", "met", "margin"],
    );
    for d in divided {
        for p in &d.parts {
            push_row(
                &mut out,
                &[
                    d.target.id.clone(),
                    d.target.metric.clone(),
                    d.target.op.name().to_string(),
                    d.target.year.to_string(),
                    p.institution.clone(),
                    fmt_decimal(p.share),
                    fmt_decimal(p.value),
                    cell(p.actual),
                    p.met.to_string(),
                    cell(p.margin),
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn columns_cover_every_metric_once() {
        let columns = projection_columns();
        assert_eq!(columns.len(), columns.iter().collect::<std::collections::BTreeSet<_>>().len());
        for metric in YEAR_END_SCALARS.iter().chain(MONTHLY.iter()) {
            assert_eq!(columns.iter().filter(|c| c == metric).count(), 1, "{metric}");
        }
    }

    #[test]
    fn tracking_columns_appear_with_actuals_and_hold_each_scopes_figures_on_its_as_of_month() {
        let text = |id: &str| delever_model::presets::get(id).expect("preset").json;
        let plain = projection(
            &delever_model::simulate(&delever_model::parse_scenario(text("licheng-2019")).unwrap()).unwrap(),
        );
        assert!(!plain.lines().next().unwrap().contains("tracking_"), "no tracking columns without actuals");

        let scenario = delever_model::parse_scenario(text("licheng-2019-may")).unwrap();
        let result = delever_model::simulate(&scenario).unwrap();
        let out = projection(&result);
        let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split(',').collect()).collect();
        let header = &rows[0];
        let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
        assert!(rows.iter().all(|r| r.len() == header.len()));
        let tracking = result.tracking.as_ref().unwrap();
        let as_of = result.as_of.as_deref().unwrap();
        let filled: Vec<&Vec<&str>> =
            rows[1..].iter().filter(|r| !r[column("tracking_disposal_plan")].is_empty()).collect();
        // One row per scope: the region, each zone, each institution, at the as-of month.
        assert_eq!(filled.len(), 1 + tracking.zones.len() + tracking.institutions.len());
        assert!(filled.iter().all(|r| r[2] == as_of));
        let region = filled.iter().find(|r| r[0] == "region").unwrap();
        for field in TRACKING_FIELDS {
            let expected = tracking.region.to_json()[field].as_str().unwrap_or_default().to_string();
            assert_eq!(region[column(&format!("tracking_{field}"))], expected, "{field}");
        }
    }
}
