//! The selected year's NPL bridge: opening, plus formation, minus each disposal channel, to closing.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::Chart;
use super::data::{ChartData, StepKind};
use super::frame::{
    Anchor, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, amount, amount_short, axis_height,
    axis_name_height, dash, min_span, op_sign, text_width, tick_count,
};
use super::style::{Style, palette, role};

/// One bar as drawn: its slot, bottom and top values, colour and written value.
struct Bar {
    slot: usize,
    from: f64,
    to: f64,
    kind: StepKind,
    text: String,
}

/// Draws the waterfall: level bars (opening, closing) in slate, formation in vermillion,
/// each disposal channel in its colour as a step down, thin connectors between steps,
/// the baseline's closing NPL as an outlined bar beside the current one, and the year's
/// NPL targets as levels.
pub fn draw_waterfall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let mut legend = Vec::new();
    if data.baseline_closing_npl.is_some() {
        legend.push(LegendItem::new(Swatch::Filled(role::LEVEL), labels.current));
        legend.push(LegendItem::new(Swatch::Outlined(palette::BASELINE), labels.baseline));
    }
    // The targets are named in the legend with their values: on the chart, a label would
    // collide with the bars the line crosses.
    for level in data.npl_targets.iter().filter(|level| level.value.is_finite()) {
        let text = format!("{} {}{}", labels.target, op_sign(level.op), amount_short(level.value));
        legend.push(LegendItem::new(Swatch::Dashed(role::TARGET), text));
    }
    let top = pen.header(&data.title(Chart::Waterfall), &legend)? + axis_name_height(style);

    let mut bars = Vec::new();
    let mut running = 0.0;
    for (slot, step) in data.waterfall.iter().enumerate() {
        let value = if step.value.is_finite() { step.value } else { 0.0 };
        let (from, to, text) = match step.kind {
            StepKind::Opening | StepKind::Closing => (0.0, value, amount(value, 2)),
            StepKind::Formation | StepKind::Channel(_) => {
                let text = super::frame::signed_amount(value, 2);
                (running, running + value, text)
            }
        };
        running = to;
        bars.push(Bar { slot, from, to, kind: step.kind, text });
    }
    let slots = bars.len().max(1);
    let values = bars
        .iter()
        .flat_map(|b| [b.from, b.to])
        .chain(data.baseline_closing_npl.filter(|v| v.is_finite()))
        .chain(data.npl_targets.iter().map(|level| level.value));
    let names: Vec<&str> = data.waterfall.iter().map(|step| step.label).collect();

    let left_guess = style.padding + text_width("00,000.00", style.label_size) + style.label_size * 0.8;
    let right = pen.width - style.padding;
    let slot_width = (right - left_guess) / slots as f64;
    let two_rows = names.iter().any(|name| text_width(name, style.label_size) > slot_width * 0.95);
    let axis = axis_height(style) * if two_rows { 1.7 } else { 1.0 };
    let bottom = pen.height - style.padding - axis;
    // Head room for the values written above the bars.
    let values: Vec<f64> = values.collect();
    let room = values.iter().copied().fold(0.0, f64::max) * 1.08;
    let span = min_span(&values, 0.1);
    let scale =
        Scale::new(values.into_iter().chain([room]), true, span, tick_count(bottom - top, style.label_size));
    let decimals = scale.decimals();
    let format = |v: f64| amount(v, decimals);
    let left = style.padding
        + super::series::widest(&scale.ticks, &format, style.label_size)
        + style.label_size * 0.8;
    let frame = Frame::new(left, top, right, bottom, (-0.5, slots as f64 - 0.5), scale.range());

    pen.value_axis(&frame, &scale, &format, &labels.with_unit(data.lang, "", &data.unit))?;
    pen.category_axis(&frame, &names, two_rows)?;
    if bars.is_empty() {
        return pen.no_data(&frame, labels);
    }

    let half = 0.32;
    let baseline = data.baseline_closing_npl.filter(|v| v.is_finite());
    for (index, bar) in bars.iter().enumerate() {
        let slot = bar.slot as f64;
        let (x0, x1) = match (bar.kind, baseline) {
            (StepKind::Closing, Some(_)) => (slot - half, slot),
            _ => (slot - half, slot + half),
        };
        let colour = match bar.kind {
            StepKind::Opening | StepKind::Closing => role::LEVEL,
            StepKind::Formation => role::FORMATION,
            StepKind::Channel(c) => role::channel(c),
        };
        let (low, high) = (bar.from.min(bar.to), bar.from.max(bar.to));
        pen.rect((frame.x(x0), frame.y(high)), (frame.x(x1), frame.y(low)), colour, true, 0)?;
        let above = (frame.x((x0 + x1) / 2.0), frame.y(high) - style.value_size * 0.25);
        pen.label(&bar.text, above, style.value_size, palette::INK, Anchor::CenterBottom, false)?;
        // A thin connector from this bar's end to where the next one starts.
        if let Some(next) = bars.get(index + 1) {
            let y = frame.y(bar.to);
            let start = frame.x(slot + half);
            let end = frame.x(next.slot as f64 - half);
            pen.line(&[(start, y), (end, y)], palette::AXIS, style.thin_line_width)?;
        }
    }
    if let (Some(value), Some(closing)) = (baseline, bars.last()) {
        let slot = closing.slot as f64;
        let (x0, x1) = (frame.x(slot), frame.x(slot + half));
        let inset = f64::from(style.secondary_line_width) / 2.0;
        pen.rect(
            (x0 + inset, frame.y(value.max(0.0))),
            (x1 - inset, frame.y(0.0)),
            palette::BASELINE,
            false,
            style.secondary_line_width,
        )?;
        let above = ((x0 + x1) / 2.0, frame.y(value.max(0.0)) - style.value_size * 0.25);
        pen.label(
            &amount(value, 2),
            above,
            style.value_size,
            palette::BASELINE,
            Anchor::CenterBottom,
            false,
        )?;
    }
    for level in data.npl_targets.iter().filter(|level| level.value.is_finite()) {
        let y = frame.y(level.value);
        let (d, g) = dash(style);
        pen.dashed(&[(frame.left, y), (frame.right, y)], role::TARGET, style.secondary_line_width, d, g)?;
    }
    Ok(())
}
