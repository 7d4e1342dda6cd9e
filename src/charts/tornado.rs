//! The tornado (sensitivity): one horizontal bar per lever, from the metric with the lever down 20% to the metric with it up 20%, centred on the base value.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::analysis_data::{TornadoBar, TornadoData, ValueKind};
use super::frame::{
    Anchor, Dash, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, amount, axis_height, ellipsize,
    min_span, percent, text_width,
};
use super::style::{Style, palette, role};

/// The smallest ratio axis: 0.05%, so that two-decimal percent ticks stay distinct.
const MIN_RATIO_SPAN: f64 = 0.0005;

/// Draws the tornado: a row per lever (named at the left, in the order given), the part
/// of its bar from the base value to the metric with the lever down 20% in sky blue and
/// the part to the metric with the lever up 20% in blue, each end labelled with the
/// lever's value there (`8 亿元`, `6.8%`); the base value a dashed vertical line.
/// An end whose run stopped or whose metric is null is written `—` with "not computable".
pub fn draw_tornado<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &TornadoData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let value_text = |v: f64| data.kind.fixed(v);
    let mut legend = vec![
        LegendItem::new(Swatch::Filled(LOW), labels.lever_down),
        LegendItem::new(Swatch::Filled(HIGH), labels.lever_up),
    ];
    if let Some(base) = data.base {
        legend.push(LegendItem::new(
            Swatch::Dashed(palette::INK),
            format!("{} {}", labels.base, value_text(base)),
        ));
    }
    let top = pen.header(&data.title(), &legend)? + style.label_size * 0.4;
    // The value axis at the bottom: tick labels, then the axis name.
    let bottom = pen.height - style.padding - axis_height(style) - style.label_size * 1.4;

    let values: Vec<f64> = data
        .bars
        .iter()
        .flat_map(|bar| [bar.at_low, bar.at_high])
        .chain([data.base])
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    let span = match data.kind {
        ValueKind::Percent => MIN_RATIO_SPAN.max(min_span(&values, 0.02)),
        ValueKind::Amount => min_span(&values, 0.02),
    };
    let scale = Scale::new(values.iter().copied(), false, span, 5);
    let decimals = scale.decimals();
    let tick_text = |v: f64| match data.kind {
        ValueKind::Percent => percent(v),
        ValueKind::Amount => amount(v, decimals),
    };

    let widest_name = data
        .bars
        .iter()
        .map(|bar| text_width(bar.lever.name, style.label_size) + style.label_size)
        .fold(0.0, f64::max);
    let left = style.padding + widest_name.min(pen.width * 0.3);
    let right = pen.width - style.padding;
    // Room beyond the bars' ends for the lever values written there.
    let widest_end = data
        .bars
        .iter()
        .flat_map(|bar| [end_text(data, bar, false), end_text(data, bar, true)])
        .map(|text| text_width(&text, style.value_size))
        .fold(0.0, f64::max);
    let room = widest_end + style.value_size * 0.6;
    let plot = (right - left - 2.0 * room).max(1.0);
    let per_pixel = (scale.max - scale.min) / plot;
    let x_range = (scale.min - room * per_pixel, scale.max + room * per_pixel);
    let frame = Frame::new(left, top, right, bottom, x_range, (0.0, 1.0));
    if data.bars.is_empty() || values.is_empty() {
        return pen.no_data(&frame, labels);
    }

    // Vertical grid and the value axis under the rows, only over the scale (not the label room).
    for &tick in &scale.ticks {
        let x = frame.x(tick);
        pen.line(&[(x, frame.top), (x, frame.bottom)], palette::GRID, style.thin_line_width)?;
        let at = (x, frame.bottom + style.label_size * 0.4);
        pen.text(&tick_text(tick), at, style.label_size, palette::MUTED, Anchor::CenterTop, false)?;
    }
    let name = match data.kind {
        ValueKind::Percent => data.metric_name.clone(),
        ValueKind::Amount => labels.with_unit(data.lang, &data.metric_name, &data.unit),
    };
    let name_at = ((frame.left + frame.right) / 2.0, frame.bottom + style.label_size * 1.9);
    pen.text(&name, name_at, style.label_size, palette::MUTED, Anchor::CenterTop, false)?;

    let row_height = (frame.bottom - frame.top) / data.bars.len() as f64;
    let bar_half = (row_height * 0.32).min(style.label_size * 0.9);
    for (index, bar) in data.bars.iter().enumerate() {
        let middle = frame.top + row_height * (index as f64 + 0.5);
        let name = ellipsize(bar.lever.name, left - style.padding - style.label_size * 0.5, style.label_size);
        let name_at = (left - style.label_size * 0.5, middle);
        pen.text(&name, name_at, style.label_size, palette::INK, Anchor::RightMiddle, false)?;
        draw_bar(&pen, &frame, data, bar, middle, bar_half)?;
    }
    if let Some(base) = data.base {
        let x = frame.x(base);
        let (dash, gap) = Dash::Dashed.lengths(style).unwrap_or((4.0, 3.0));
        pen.dashed(&[(x, frame.top), (x, frame.bottom)], palette::INK, style.thin_line_width, dash, gap)?;
    }
    Ok(())
}

/// The lever down: the lighter blue.
const LOW: plotters::style::RGBColor = palette::SKY_BLUE;
/// The lever up: the current scenario's blue.
const HIGH: plotters::style::RGBColor = role::CURRENT;

/// What is written at one end of a bar: the lever's value there, or with a null metric
/// the value and "—, not computable".
fn end_text(data: &TornadoData, bar: &TornadoBar, high: bool) -> String {
    let (lever_value, metric) = if high { (bar.high, bar.at_high) } else { (bar.low, bar.at_low) };
    let text = bar.lever.kind.short(lever_value, &data.unit);
    match metric {
        Some(v) if v.is_finite() => text,
        _ => format!("{text}: — {}", data.labels.infeasible),
    }
}

/// One lever's row: the two halves of its bar and the lever values at their ends.
fn draw_bar<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    data: &TornadoData,
    bar: &TornadoBar,
    middle: f64,
    half: f64,
) -> DrawResult<DB> {
    let style = pen.style;
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    let (at_low, at_high) = (finite(bar.at_low), finite(bar.at_high));
    // The bar's centre: the base value, or without one the middle of what is known.
    let centre = match (data.base.filter(|v| v.is_finite()), at_low, at_high) {
        (Some(base), _, _) => base,
        (None, Some(a), Some(b)) => (a + b) / 2.0,
        (None, Some(v), None) | (None, None, Some(v)) => v,
        (None, None, None) => (frame.x_range.0 + frame.x_range.1) / 2.0,
    };
    let centre_x = frame.x(centre);
    // The farther half first, so that a nearer one on the same side stays visible.
    let mut halves = [(at_low, LOW, false), (at_high, HIGH, true)];
    halves.sort_by(|a, b| {
        let distance = |v: Option<f64>| v.map(|v| (v - centre).abs()).unwrap_or(0.0);
        distance(b.0).total_cmp(&distance(a.0))
    });
    for &(value, colour, _) in &halves {
        if let Some(v) = value {
            let end = frame.x(v);
            // A zero-width half still shows as a hairline at the centre.
            let end = if (end - centre_x).abs() < 1.0 {
                centre_x + if colour == HIGH { 1.0 } else { -1.0 }
            } else {
                end
            };
            pen.rect((centre_x, middle - half), (end, middle + half), colour, true, 0)?;
        }
    }
    // Each end's lever value outside the bar: the smaller metric's on the left (the low
    // lever's on a tie), the other's on the right.
    let low_left = match (at_low, at_high) {
        (Some(a), Some(b)) => a <= b,
        (Some(a), None) => a <= centre,
        (None, Some(b)) => b > centre,
        (None, None) => true,
    };
    let gap = style.value_size * 0.4;
    for (value, high) in [(at_low, false), (at_high, true)] {
        let on_left = if high { !low_left } else { low_left };
        let edge = value.map(|v| frame.x(v)).unwrap_or(centre_x);
        let edge = if on_left { edge.min(centre_x) } else { edge.max(centre_x) };
        let (at, anchor) = if on_left {
            ((edge - gap, middle), Anchor::RightMiddle)
        } else {
            ((edge + gap, middle), Anchor::LeftMiddle)
        };
        let colour = if value.is_some() { palette::INK } else { palette::MUTED };
        pen.text(&end_text(data, bar, high), at, style.value_size, colour, anchor, false)?;
    }
    Ok(())
}
