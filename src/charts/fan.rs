//! The Monte Carlo fan: a monthly region metric's 5–95% and 25–75% bands over the paths, their median, the deterministic projection and the metric's targets.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::RGBColor;

use super::analysis_data::{FanData, ValueKind};
use super::frame::{
    Anchor, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, amount, amount_short, axis_height,
    axis_name_height, dash, min_span, percent, percent_short, text_width, tick_count,
};
use super::npl_ratio::{Look, levels};
use super::series;
use super::style::{Style, palette, role};

/// The smallest ratio axis: 0.05%, so that two-decimal percent ticks stay distinct.
const MIN_RATIO_SPAN: f64 = 0.0005;

/// The 5–95% band: sky blue, 70% towards white.
const OUTER: RGBColor = RGBColor(0xcc, 0xe8, 0xf9);
/// The 25–75% band: sky blue, 45% towards white.
const INNER: RGBColor = RGBColor(0xa2, 0xd6, 0xf3);

/// Stocks that move a few percent a year: their axis does not start at zero.
const NOT_FROM_ZERO: [&str; 3] = ["deposits", "loans", "performing"];

/// Draws the fan: the bands as shaded areas (broken where a month has no value), the
/// median dashed ink, the deterministic projection as the current scenario's blue line
/// with its last value written at its end, and each target as a level, its value followed
/// by the share of paths that meet it. Paths that could not be computed are counted in the legend.
pub fn draw_fan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &FanData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let mut legend = vec![
        LegendItem::new(Swatch::Filled(OUTER), labels.band_outer),
        LegendItem::new(Swatch::Filled(INNER), labels.band_inner),
        LegendItem::new(Swatch::Dashed(palette::INK), labels.median),
        LegendItem::new(Swatch::LineMarker(role::CURRENT), labels.deterministic),
    ];
    if !data.targets.is_empty() {
        legend.push(LegendItem::new(Swatch::Dashed(role::TARGET), labels.target));
    }
    if data.failed > 0 {
        legend.push(LegendItem::new(Swatch::Note, labels.failed_paths(data.lang, data.failed)));
    }
    let top = pen.header(&data.title(), &legend)? + axis_name_height(style);

    let values: Vec<f64> = data
        .bands
        .iter()
        .flatten()
        .chain(&data.projection)
        .flatten()
        .copied()
        .chain(data.targets.iter().map(|level| level.value))
        .filter(|v| v.is_finite())
        .collect();
    let bottom = pen.height - style.padding - axis_height(style);
    let ticks = tick_count(bottom - top, style.label_size);
    let scale = match data.kind {
        ValueKind::Percent => Scale::new(values.iter().copied(), true, MIN_RATIO_SPAN, ticks),
        ValueKind::Amount => {
            let from_zero = !NOT_FROM_ZERO.contains(&data.metric.as_str());
            Scale::new(values.iter().copied(), from_zero, min_span(&values, 0.02), ticks)
        }
    };
    let decimals = scale.decimals();
    let format = |v: f64| match data.kind {
        ValueKind::Percent => percent(v),
        ValueKind::Amount => amount(v, decimals),
    };
    let last = series::last_value(&data.projection);
    // The end value one place finer than an amount axis's ticks (`532.5`, not `533`).
    let end_label = match data.kind {
        ValueKind::Percent => last.map(|(_, v)| percent(v)),
        ValueKind::Amount => last.map(|(_, v)| amount(v, decimals.max(1))),
    }
    .unwrap_or_default();
    let left =
        style.padding + series::widest(&scale.ticks, &format, style.label_size) + style.label_size * 0.8;
    let right = pen.width - style.padding - text_width(&end_label, style.value_size) - style.label_size * 0.6;
    let months = data.months.len().max(1) as f64;
    let frame = Frame::new(left, top, right, bottom, (-0.5, months - 0.5), scale.range());

    let axis_name = match data.kind {
        ValueKind::Percent => String::new(),
        ValueKind::Amount => labels.with_unit(data.lang, &data.metric_name, &data.unit),
    };
    pen.value_axis(&frame, &scale, &format, &axis_name)?;
    pen.month_axis(&frame, &data.months, labels)?;
    let nothing = data.bands.iter().all(|band| band.iter().all(Option::is_none))
        && data.projection.iter().all(Option::is_none);
    if nothing {
        return pen.no_data(&frame, labels);
    }

    band(&pen, &frame, &data.bands, (0, 4), OUTER)?;
    band(&pen, &frame, &data.bands, (1, 3), INNER)?;
    // Each target's share of paths meeting it, after its value.
    let suffixes: Vec<String> = data
        .probabilities
        .iter()
        .map(|p| match p.filter(|p| p.is_finite()) {
            Some(p) => labels.probability(data.lang, &percent_short(p)),
            None => String::new(),
        })
        .collect();
    let target = Look {
        colour: role::TARGET,
        pattern: dash(style),
        prefix: labels.target,
        above: true,
        suffixes: &suffixes,
    };
    let short = |v: f64| match data.kind {
        ValueKind::Percent => percent_short(v),
        ValueKind::Amount => amount_short(v),
    };
    levels(&pen, &frame, &data.targets, &target, &short)?;
    let median: Vec<Option<f64>> = data.bands.iter().map(|band| band[2]).collect();
    series::dashed_line(&pen, &frame, &median, palette::INK)?;
    series::solid_line(&pen, &frame, &data.projection, role::CURRENT, true)?;
    if let Some((_, value)) = last {
        let at = (frame.right + style.label_size * 0.5, frame.y(value));
        pen.text(&end_label, at, style.value_size, role::CURRENT, Anchor::LeftMiddle, true)?;
    }
    Ok(())
}

/// The area between percentiles `lower` and `upper` (indices into a band), one polygon
/// per run of months where both are known; a lone month is a narrow bar.
fn band<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    bands: &[[Option<f64>; 5]],
    (lower, upper): (usize, usize),
    colour: RGBColor,
) -> DrawResult<DB> {
    let mut runs: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    let mut run = Vec::new();
    for (month, values) in bands.iter().enumerate() {
        let pair = values.get(lower).copied().flatten().zip(values.get(upper).copied().flatten());
        match pair.filter(|(a, b)| a.is_finite() && b.is_finite()) {
            Some((a, b)) => run.push((frame.x(month as f64), frame.y(a), frame.y(b))),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    for run in runs {
        if let [(x, low, high)] = run.as_slice() {
            let half = frame.x_unit() * 0.3;
            pen.rect((x - half, *low), (x + half, *high), colour, true, 0)?;
            continue;
        }
        let polygon: Vec<(f64, f64)> = run
            .iter()
            .map(|&(x, _, high)| (x, high))
            .chain(run.iter().rev().map(|&(x, low, _)| (x, low)))
            .collect();
        pen.polygon(&polygon, colour)?;
    }
    Ok(())
}
