//! The selected year's disposal by month, stacked by channel, with the first half marked and the baseline's monthly totals.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::Chart;
use super::data::ChartData;
use super::frame::{
    Anchor, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, amount, axis_height, axis_name_height, dash,
    min_span, tick_count,
};
use super::series;
use super::style::{Style, palette, role};

/// Draws one stacked bar per month (channels bottom-up in `CHANNELS` order, only those used
/// this year in the legend), a dashed rule between June and July with the first- and
/// second-half totals written beside it, and the baseline's monthly totals as a dashed grey
/// line with hollow markers.
pub fn draw_disposal<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let flows: Vec<[f64; 7]> = data
        .disposal_by_channel
        .iter()
        .map(|month| month.map(|v| if v.is_finite() { v.max(0.0) } else { 0.0 }))
        .collect();
    let used: Vec<usize> = (0..7).filter(|&c| flows.iter().any(|month| month[c] > 0.0)).collect();
    let mut legend: Vec<LegendItem> =
        used.iter().map(|&c| LegendItem::new(Swatch::Filled(role::channel(c)), labels.channel(c))).collect();
    let baseline = data.baseline_disposal.as_deref();
    if baseline.is_some() {
        legend.push(LegendItem::new(Swatch::Dashed(palette::BASELINE), labels.baseline));
    }
    let top = pen.header(&data.title(Chart::Disposal), &legend)? + axis_name_height(style);

    let totals: Vec<f64> = flows.iter().map(|month| month.iter().sum()).collect();
    let values = totals.iter().copied().chain(baseline.unwrap_or_default().iter().flatten().copied());
    let bottom = pen.height - style.padding - axis_height(style);
    // Head room for the half-year totals written at the top.
    let values: Vec<f64> = values.collect();
    let room = values.iter().copied().fold(0.0, f64::max) * 1.12;
    let span = min_span(&values, 0.1);
    let scale =
        Scale::new(values.into_iter().chain([room]), true, span, tick_count(bottom - top, style.label_size));
    let decimals = scale.decimals();
    let format = |v: f64| amount(v, decimals);
    let left =
        style.padding + series::widest(&scale.ticks, &format, style.label_size) + style.label_size * 0.8;
    let right = pen.width - style.padding;
    let months = data.disposal_months.len().max(1) as f64;
    let frame = Frame::new(left, top, right, bottom, (-0.5, months - 0.5), scale.range());

    pen.value_axis(&frame, &scale, &format, &labels.with_unit(data.lang, "", &data.unit))?;
    pen.month_axis(&frame, &data.disposal_months, labels)?;
    if data.disposal_months.is_empty() {
        return pen.no_data(&frame, labels);
    }

    let half = 0.34;
    for (index, month) in flows.iter().enumerate() {
        let x = index as f64;
        let mut stacked = 0.0;
        for (channel, &flow) in month.iter().enumerate() {
            if flow <= 0.0 {
                continue;
            }
            let (from, to) = (frame.y(stacked), frame.y(stacked + flow));
            pen.rect((frame.x(x - half), to), (frame.x(x + half), from), role::channel(channel), true, 0)?;
            stacked += flow;
        }
    }

    if let Some(boundary) = data.first_half_end.filter(|&b| b > 0 && b < data.disposal_months.len()) {
        let x = frame.x(boundary as f64 - 0.5);
        let (d, g) = dash(style);
        pen.dashed(&[(x, frame.top), (x, frame.bottom)], palette::INK, style.thin_line_width, d, g)?;
        let first: f64 = totals.iter().take(boundary).sum();
        let second: f64 = totals.iter().skip(boundary).sum();
        let y = frame.top + style.label_size * 0.2;
        let gap = style.label_size * 0.5;
        let first_text = format!("{} {}", labels.first_half, amount(first, 2));
        let second_text = format!("{} {}", labels.second_half, amount(second, 2));
        pen.text(&first_text, (x - gap, y), style.label_size, palette::INK, Anchor::RightTop, true)?;
        pen.text(&second_text, (x + gap, y), style.label_size, palette::MUTED, Anchor::LeftTop, false)?;
    }

    if let Some(baseline) = baseline {
        series::dashed_line(&pen, &frame, baseline, palette::BASELINE)?;
        for (index, value) in baseline.iter().enumerate() {
            if let Some(v) = value.filter(|v| v.is_finite()) {
                pen.circle(
                    (frame.x(index as f64), frame.y(v)),
                    style.marker_radius,
                    palette::BASELINE,
                    false,
                )?;
            }
        }
    }
    Ok(())
}
