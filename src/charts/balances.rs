//! The region's monthly deposits and loans against their targets and the baseline.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::data::{ChartData, Level, MAX_OTHERS};
use super::frame::{
    Anchor, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, amount, amount_short, axis_height,
    axis_name_height, dash, min_span, spread_labels, text_width, tick_count,
};
use super::npl_ratio::{Look, levels};
use super::style::{Style, palette, role};
use super::{Chart, overlay, series};

/// Draws deposits and loans as solid lines (latest values written at their ends), the
/// baseline's dashed grey, the year-end targets as levels named after their metric, and
/// the compared scenarios ([`ChartData::others`]) each in its own colour, pattern and marker.
///
/// The value axis does not start at zero: balances move by a few percent a year, which
/// a zero-based axis would flatten into two straight lines.
pub fn draw_balances<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let mut legend = vec![
        LegendItem::new(Swatch::Line(role::DEPOSITS), labels.deposits),
        LegendItem::new(Swatch::Line(role::CURRENT), labels.loans),
    ];
    let baselines: Vec<&[Option<f64>]> =
        [&data.baseline_deposits, &data.baseline_loans].into_iter().flatten().map(Vec::as_slice).collect();
    if !baselines.is_empty() {
        legend.push(LegendItem::new(Swatch::Dashed(palette::BASELINE), labels.baseline));
    }
    let plans: Vec<&[Option<f64>]> = [&data.plan_deposits, &data.plan_loans]
        .into_iter()
        .flatten()
        .map(Vec::as_slice)
        .filter(|_| data.reported > 0)
        .collect();
    if data.reported > 0 {
        legend.push(LegendItem::new(Swatch::Line(palette::INK), labels.reported));
        legend.push(LegendItem::new(Swatch::Dashed(palette::INK), labels.reforecast));
    }
    if !plans.is_empty() {
        legend.push(LegendItem::new(Swatch::Dotted(role::PLAN), labels.plan));
    }
    if !(data.deposit_targets.is_empty() && data.loan_targets.is_empty()) {
        legend.push(LegendItem::new(Swatch::Dashed(role::TARGET), labels.target));
    }
    legend.extend(overlay::legend(&data.others, style.label_size));
    let top = pen.header(&data.title(Chart::Balances), &legend)? + axis_name_height(style);

    let values = data
        .deposits
        .iter()
        .chain(&data.loans)
        .chain(baselines.iter().flat_map(|b| b.iter()))
        .chain(plans.iter().flat_map(|p| p.iter()))
        .chain(data.others.iter().flat_map(|other| other.deposits.iter().chain(&other.loans)))
        .flatten()
        .copied()
        .chain(data.deposit_targets.iter().chain(&data.loan_targets).map(|level| level.value));
    let values: Vec<f64> = values.collect();
    // An axis at least 2% of the balances tall, so flat lines stay flat.
    let bottom = pen.height - style.padding - axis_height(style);
    let ticks = tick_count(bottom - top, style.label_size);
    let span = min_span(&values, 0.02);
    let scale = Scale::new(values, false, span, ticks);
    let decimals = scale.decimals();
    let format = |v: f64| amount(v, decimals);

    let ends: Vec<(f64, &str)> = [(&data.deposits, labels.deposits), (&data.loans, labels.loans)]
        .into_iter()
        .filter_map(|(values, name)| series::last_value(values).map(|(_, v)| (v, name)))
        .collect();
    let end_text = |v: f64| amount(v, decimals.max(1));
    let end_width = ends.iter().map(|&(v, _)| text_width(&end_text(v), style.value_size)).fold(0.0, f64::max);
    let left =
        style.padding + series::widest(&scale.ticks, &format, style.label_size) + style.label_size * 0.8;
    let right = pen.width - style.padding - end_width - style.label_size * 0.6;
    let months = data.months.len().max(1) as f64;
    let frame = Frame::new(left, top, right, bottom, (-0.5, months - 0.5), scale.range());

    let axis_name = labels.with_unit(data.lang, "", &data.unit);
    pen.value_axis(&frame, &scale, &format, &axis_name)?;
    pen.month_axis(&frame, &data.months, labels)?;
    if data.deposits.iter().chain(&data.loans).all(Option::is_none) {
        return pen.no_data(&frame, labels);
    }
    // Labels sit over their line; where a deposit and a loan target of one year are closer
    // than a label is tall, the lower one's label goes under its line so the two never overlap.
    let crowded_below = |lower: &[Level], upper: &[Level]| {
        lower.iter().any(|low| {
            upper.iter().any(|up| {
                up.year == low.year
                    && up.value >= low.value
                    && frame.y(low.value) - frame.y(up.value) < style.value_size * 1.4
            })
        })
    };
    let deposits_below = crowded_below(&data.deposit_targets, &data.loan_targets);
    let loans_below = !deposits_below && crowded_below(&data.loan_targets, &data.deposit_targets);
    let look = |prefix, below: bool| Look {
        colour: role::TARGET,
        pattern: dash(style),
        prefix,
        above: !below,
        suffixes: &[],
    };
    levels(&pen, &frame, &data.deposit_targets, &look(labels.deposits, deposits_below), &amount_short)?;
    levels(&pen, &frame, &data.loan_targets, &look(labels.loans, loans_below), &amount_short)?;
    for baseline in &baselines {
        series::dashed_line(&pen, &frame, baseline, palette::BASELINE)?;
    }
    // A compared scenario's deposits and loans share its look: the current scenario's
    // two lines, right beside them, tell which is which.
    for (index, other) in data.others.iter().take(MAX_OTHERS).enumerate() {
        overlay::draw(&pen, &frame, &other.deposits, index)?;
        overlay::draw(&pen, &frame, &other.loans, index)?;
    }
    for plan in &plans {
        series::dotted_line(&pen, &frame, plan, role::PLAN)?;
    }
    series::tracked_line(&pen, &frame, &data.deposits, role::DEPOSITS, data.reported, false)?;
    series::tracked_line(&pen, &frame, &data.loans, role::CURRENT, data.reported, false)?;

    let colour_of = |name: &str| if name == labels.deposits { role::DEPOSITS } else { role::CURRENT };
    let wanted = ends.iter().map(|&(v, name)| (frame.y(v), end_text(v), colour_of(name)));
    for (y, text, colour) in spread_labels(wanted.collect(), style.value_size * 1.2) {
        pen.text(
            &text,
            (frame.right + style.label_size * 0.5, y),
            style.value_size,
            colour,
            Anchor::LeftMiddle,
            true,
        )?;
    }
    Ok(())
}
