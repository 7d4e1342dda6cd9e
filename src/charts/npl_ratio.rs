//! The region's monthly NPL ratio against its targets, the national average and the baseline.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::RGBColor;

use super::data::{ChartData, Level, MAX_OTHERS};
use super::frame::{
    Anchor, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, axis_height, axis_name_height, dash, dot,
    op_sign, percent, text_width, tick_count,
};
use super::style::{Style, palette, role};
use super::{Chart, overlay, series};

/// The smallest ratio axis: 0.05%, so that two-decimal percent ticks stay distinct.
const MIN_RATIO_SPAN: f64 = 0.0005;

/// Draws the NPL-ratio chart: the current scenario as a solid line with its latest value
/// written at the end, the baseline dashed grey, each year's targets and national average
/// as levels over that year's months, and the compared scenarios ([`ChartData::others`])
/// each in its own colour, pattern and marker.
pub fn draw_npl_ratio<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let baseline = data.baseline_npl_ratio.as_deref();
    let mut legend = if data.reported > 0 {
        vec![
            LegendItem::new(Swatch::LineMarker(role::CURRENT), labels.reported),
            LegendItem::new(Swatch::Dashed(role::CURRENT), labels.reforecast),
        ]
    } else {
        vec![LegendItem::new(Swatch::LineMarker(role::CURRENT), labels.current)]
    };
    let plan = data.plan_npl_ratio.as_deref().filter(|_| data.reported > 0);
    if plan.is_some() {
        legend.push(LegendItem::new(Swatch::Dotted(role::PLAN), labels.plan));
    }
    if baseline.is_some() {
        legend.push(LegendItem::new(Swatch::Dashed(palette::BASELINE), labels.baseline));
    }
    if !data.npl_ratio_targets.is_empty() {
        legend.push(LegendItem::new(Swatch::Dashed(role::TARGET), labels.target));
    }
    if !data.national_average.is_empty() {
        legend.push(LegendItem::new(Swatch::Dotted(role::NATIONAL), labels.national_average));
    }
    legend.extend(overlay::legend(&data.others, style.label_size));
    let top = pen.header(&data.title(Chart::NplRatio), &legend)? + axis_name_height(style);

    let values = data
        .npl_ratio
        .iter()
        .chain(baseline.unwrap_or_default())
        .chain(plan.unwrap_or_default())
        .chain(data.others.iter().flat_map(|other| &other.npl_ratio))
        .flatten()
        .copied()
        .chain(data.npl_ratio_targets.iter().chain(&data.national_average).map(|level| level.value));
    let bottom = pen.height - style.padding - axis_height(style);
    let scale = Scale::new(values, true, MIN_RATIO_SPAN, tick_count(bottom - top, style.label_size));
    let last = series::last_value(&data.npl_ratio);
    let end_label = last.map(|(_, v)| percent(v)).unwrap_or_default();
    let left =
        style.padding + series::widest(&scale.ticks, &percent, style.label_size) + style.label_size * 0.8;
    let right = pen.width - style.padding - text_width(&end_label, style.value_size) - style.label_size * 0.6;
    let months = data.months.len().max(1) as f64;
    let frame = Frame::new(left, top, right, bottom, (-0.5, months - 0.5), scale.range());

    // No axis name: the title names the ratio and every tick is a percentage.
    pen.value_axis(&frame, &scale, &percent, "")?;
    pen.month_axis(&frame, &data.months, labels)?;
    if data.npl_ratio.iter().all(Option::is_none) {
        return pen.no_data(&frame, labels);
    }
    // Reference values are labelled under their line and targets over theirs, so that a
    // target set at the national average (Yangjiang 2018) keeps both labels readable.
    let national = Look {
        colour: role::NATIONAL,
        pattern: dot(style),
        prefix: labels.national_average,
        above: false,
        suffixes: &[],
    };
    levels(&pen, &frame, &data.national_average, &national, &percent)?;
    let target = Look {
        colour: role::TARGET,
        pattern: dash(style),
        prefix: labels.target,
        above: true,
        suffixes: &[],
    };
    levels(&pen, &frame, &data.npl_ratio_targets, &target, &percent)?;
    if let Some(baseline) = baseline {
        series::dashed_line(&pen, &frame, baseline, palette::BASELINE)?;
    }
    for (index, other) in data.others.iter().take(MAX_OTHERS).enumerate() {
        overlay::draw(&pen, &frame, &other.npl_ratio, index)?;
    }
    if let Some(plan) = plan {
        series::dotted_line(&pen, &frame, plan, role::PLAN)?;
    }
    series::tracked_line(&pen, &frame, &data.npl_ratio, role::CURRENT, data.reported, true)?;
    if let Some((_, value)) = last {
        let at = (frame.right + style.label_size * 0.5, frame.y(value));
        pen.text(&end_label, at, style.value_size, role::CURRENT, Anchor::LeftMiddle, true)?;
    }
    Ok(())
}

/// How a set of levels is drawn.
pub(super) struct Look<'a> {
    pub colour: RGBColor,
    /// Dash and gap lengths.
    pub pattern: (f64, f64),
    /// Written before each value (`目标`, `全国平均`, a metric name).
    pub prefix: &'a str,
    /// Values written over the line, or under it.
    pub above: bool,
    /// Written after each level's value, by index (none where missing): a target's probability.
    pub suffixes: &'a [String],
}

/// Horizontal levels (targets or reference values) over their months, each with its
/// value written at its left end when there is room (targets are year-end values, so
/// the data approach them at the right).
pub(super) fn levels<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    levels: &[Level],
    look: &Look<'_>,
    format: &dyn Fn(f64) -> String,
) -> DrawResult<DB> {
    let style = pen.style;
    let (dash_length, gap) = look.pattern;
    for (index, level) in levels.iter().enumerate().filter(|(_, level)| level.value.is_finite()) {
        let y = frame.y(level.value);
        let from = frame.x(level.first_month as f64 - 0.5);
        let to = frame.x(level.last_month as f64 + 0.5);
        pen.dashed(&[(from, y), (to, y)], look.colour, style.secondary_line_width, dash_length, gap)?;
        let suffix = look.suffixes.get(index).map(String::as_str).unwrap_or("");
        let text = format!("{} {}{}{suffix}", look.prefix, op_sign(level.op), format(level.value));
        if text_width(&text, style.value_size) < (to - from) * 0.9 {
            let (dy, anchor) = if look.above { (-0.25, Anchor::LeftBottom) } else { (0.35, Anchor::LeftTop) };
            let at = (from + style.value_size * 0.3, y + style.value_size * dy);
            pen.label(&text, at, style.value_size, look.colour, anchor, false)?;
        }
    }
    Ok(())
}
