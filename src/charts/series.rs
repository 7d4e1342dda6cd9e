//! Monthly lines (x = month index), broken where a value is missing, and small measuring helpers.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::frame::{DrawResult, Frame, Pen, dash, dot, text_width};

/// Runs of consecutive present values, as pixel points.
pub(super) fn runs(frame: &Frame, values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match value.filter(|v| v.is_finite()) {
            Some(v) => run.push((frame.x(index as f64), frame.y(v))),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// A solid line through the present values; a lone value (or, with `markers`, every
/// value while there are few enough to see) gets a dot.
pub fn solid_line<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    values: &[Option<f64>],
    colour: RGBColor,
    markers: bool,
) -> DrawResult<DB> {
    let style = pen.style;
    let roomy = frame.x_unit() > f64::from(style.marker_radius) * 8.0;
    for run in runs(frame, values) {
        pen.line(&run, colour, style.line_width)?;
        if run.len() == 1 || (markers && roomy) {
            for &point in &run {
                pen.circle(point, style.marker_radius, colour, true)?;
            }
        }
    }
    Ok(())
}

/// The current scenario's line with actuals: solid over the `reported` months, dashed (at the
/// same width) from the last reported month on, the re-forecast. Without actuals
/// (`reported` 0) it is [`solid_line`].
pub fn tracked_line<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    values: &[Option<f64>],
    colour: RGBColor,
    reported: usize,
    markers: bool,
) -> DrawResult<DB> {
    if reported == 0 {
        return solid_line(pen, frame, values, colour, markers);
    }
    let split = reported.min(values.len());
    solid_line(pen, frame, &values[..split], colour, markers)?;
    // The re-forecast starts at the last reported month, so the two parts join.
    let mut ahead = values.to_vec();
    ahead.iter_mut().take(split.saturating_sub(1)).for_each(|v| *v = None);
    patterned(pen, frame, &ahead, colour, (pen.style.line_width, dash(pen.style)), false)
}

/// A dotted line through the present values (the plan without actuals).
pub fn dotted_line<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    values: &[Option<f64>],
    colour: RGBColor,
) -> DrawResult<DB> {
    patterned(pen, frame, values, colour, (pen.style.secondary_line_width, dot(pen.style)), false)
}

/// A dashed line through the present values (the baseline); a lone value gets a ring.
pub fn dashed_line<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    values: &[Option<f64>],
    colour: RGBColor,
) -> DrawResult<DB> {
    patterned(pen, frame, values, colour, (pen.style.secondary_line_width, dash(pen.style)), true)
}

/// The present values' runs in a dash pattern: `(width, (dash, gap))`; with `ring`, a lone
/// value (a run of one, which no dash can show) is drawn as a ring.
fn patterned<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    values: &[Option<f64>],
    colour: RGBColor,
    (width, (dash_length, gap)): (u32, (f64, f64)),
    ring: bool,
) -> DrawResult<DB> {
    for run in runs(frame, values) {
        if ring && run.len() == 1 {
            pen.circle(run[0], pen.style.marker_radius, colour, false)?;
        }
        pen.dashed(&run, colour, width, dash_length, gap)?;
    }
    Ok(())
}

/// The last present value and its index.
pub fn last_value(values: &[Option<f64>]) -> Option<(usize, f64)> {
    values.iter().enumerate().rev().find_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
}

/// The width of the widest formatted tick.
pub fn widest(ticks: &[f64], format: &dyn Fn(f64) -> String, size: f64) -> f64 {
    ticks.iter().map(|&t| text_width(&format(t), size)).fold(0.0, f64::max)
}
