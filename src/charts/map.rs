//! The feasibility map: a grid of two levers coloured by a metric, the region where every target is met outlined, the target's red line, the current scenario marked.
//!
//! The plot's geometry is computed once, by [`MapLayout::new`], both to draw and to
//! hit-test a pointer ([`MapLayout::cell_at`], [`map_cell_at`]), so a click always
//! lands on the cell drawn under it; the keyboard's chosen cell is outlined on top
//! ([`draw_map_cursor`]), starting from the current scenario's ([`current_cell`]).

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::RGBColor;

use super::analysis_data::{MapAxis, MapData, ValueKind};
use super::frame::{
    Anchor, Dash, DrawResult, Frame, LegendItem, Marker, Pen, Scale, Swatch, amount, amount_short,
    axis_height, axis_name_height, header_bottom, min_span, op_sign, percent, percent_short, text_width,
    tick_count,
};
use super::style::{Style, palette, role};

/// The smallest colour scale for a ratio: 0.05%, so that two-decimal percent ticks stay distinct.
const MIN_RATIO_SPAN: f64 = 0.0005;

/// A cell whose run stopped or whose metric is null.
const NULL_CELL: RGBColor = RGBColor(0xd4, 0xd8, 0xde);

/// The sequential colour scale, low to high: ColorBrewer's YlGnBu (light yellow to dark
/// blue), ordered by lightness and safe for colour-vision deficiencies; more is darker.
const SCALE: [RGBColor; 5] = [
    RGBColor(0xff, 0xff, 0xd9),
    RGBColor(0xc7, 0xe9, 0xb4),
    RGBColor(0x41, 0xb6, 0xc4),
    RGBColor(0x22, 0x5e, 0xa8),
    RGBColor(0x08, 0x1d, 0x58),
];

/// The colour of `t` in 0 … 1 on the sequential scale (clamped; a non-finite `t` is the middle).
pub fn scale_colour(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.5 };
    let position = t * (SCALE.len() - 1) as f64;
    let index = (position.floor() as usize).min(SCALE.len() - 2);
    let fraction = position - index as f64;
    let (a, b) = (SCALE[index], SCALE[index + 1]);
    let mix = |x: u8, y: u8| {
        (f64::from(x) + (f64::from(y) - f64::from(x)) * fraction).round().clamp(0.0, 255.0) as u8
    };
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Where everything of the map goes in a chart of a given size and style.
#[derive(Clone, Debug)]
pub struct MapLayout {
    /// The grid: cell `(i, j)` is centred on data `(i, j)`, so x runs −0.5 … columns − 0.5
    /// and y (upwards) −0.5 … rows − 0.5.
    pub frame: Frame,
    pub columns: usize,
    pub rows: usize,
    /// The colour legend's bar: left, top, right, bottom.
    pub colour_bar: (f64, f64, f64, f64),
    /// The metric values the colours span, with the legend's ticks.
    pub colours: Scale,
    /// The header's legend, as drawn.
    legend: Vec<LegendItem>,
}

impl MapLayout {
    /// The layout of `data` drawn in `style` on `size` pixels (width, height): the one
    /// computation both [`draw_map`] and hit-testing use.
    pub fn new(data: &MapData, style: &Style, size: (f64, f64)) -> MapLayout {
        let (width, height) = size;
        let legend = legend(data);
        let (columns, rows) = data.size();
        let top = header_bottom(style, width, &legend) + axis_name_height(style);
        // Under the grid: the x tick labels, then the x axis name.
        let bottom = height - style.padding - axis_height(style) - style.label_size * 1.4;

        let values: Vec<f64> =
            data.values.iter().flatten().flatten().copied().filter(|v| v.is_finite()).collect();
        let span = match data.kind {
            ValueKind::Percent => MIN_RATIO_SPAN.max(min_span(&values, 0.02)),
            ValueKind::Amount => min_span(&values, 0.02),
        };
        let colour_values = values.iter().copied().chain(data.threshold.filter(|v| v.is_finite()));
        let colours = Scale::new(colour_values, false, span, tick_count(bottom - top, style.label_size));

        let y_ticks = lever_ticks(&data.y, tick_count(bottom - top, style.label_size));
        let widest_y = y_ticks.iter().map(|(_, text)| text_width(text, style.label_size)).fold(0.0, f64::max);
        let left = style.padding + widest_y + style.label_size * 0.8;
        let decimals = colours.decimals();
        let widest_colour = colours
            .ticks
            .iter()
            .map(|&t| text_width(&colour_tick(data.kind, t, decimals), style.label_size))
            .fold(0.0, f64::max);
        let bar_width = style.label_size * 0.9;
        let bar_right = width - style.padding - widest_colour - style.label_size * 0.5;
        let bar_left = bar_right - bar_width;
        let right = bar_left - style.label_size * 1.2;
        let frame =
            Frame::new(left, top, right, bottom, (-0.5, columns as f64 - 0.5), (-0.5, rows as f64 - 0.5));
        MapLayout {
            colour_bar: (bar_left, frame.top, bar_right, frame.bottom),
            frame,
            columns,
            rows,
            colours,
            legend,
        }
    }

    /// The cell `(i, j)` under the pixel `point`, or `None` outside the grid.
    pub fn cell_at(&self, point: (f64, f64)) -> Option<(usize, usize)> {
        if !(point.0.is_finite() && point.1.is_finite() && self.frame.contains(point)) {
            return None;
        }
        let index = |value: f64, count: usize| {
            let last = count.checked_sub(1)?;
            let k = (value + 0.5).floor();
            (k.is_finite() && k >= 0.0).then(|| (k as usize).min(last))
        };
        Some((
            index(self.frame.x_value(point.0), self.columns)?,
            index(self.frame.y_value(point.1), self.rows)?,
        ))
    }

    /// The pixel centre of cell `(i, j)`.
    pub fn cell_centre(&self, i: usize, j: usize) -> (f64, f64) {
        (self.frame.x(i as f64), self.frame.y(j as f64))
    }
}

/// The cell `(i, j)` of `data` under the pointer at `point`, for a map drawn in `style`
/// on `size` pixels (width, height; the same numbers the drawing used, e.g. a canvas's
/// device pixels and its scaled style); `None` outside the grid.
pub fn map_cell_at(
    data: &MapData,
    style: &Style,
    size: (f64, f64),
    point: (f64, f64),
) -> Option<(usize, usize)> {
    MapLayout::new(data, style, size).cell_at(point)
}

/// The cell of the current scenario (the marked one), when both levers' values are on the
/// grid: where the keyboard's highlighted cell starts.
pub fn current_cell(data: &MapData) -> Option<(usize, usize)> {
    let (x, y) = marker_position(data)?;
    let (columns, rows) = data.size();
    let index = |value: f64, count: usize| {
        let k = value.round();
        (k.is_finite() && k >= 0.0).then(|| (k as usize).min(count.saturating_sub(1)))
    };
    Some((index(x, columns)?, index(y, rows)?))
}

/// Outlines cell `(i, j)` of a map already drawn by [`draw_map`] in the same `style` on the
/// same area: the cell the keyboard has chosen, in ink on a white halo so that it reads on
/// light and dark cells alike. A cell outside the grid draws nothing.
pub fn draw_map_cursor<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &MapData,
    style: &Style,
    (i, j): (usize, usize),
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let layout = MapLayout::new(data, style, (pen.width, pen.height));
    if i >= layout.columns || j >= layout.rows {
        return Ok(());
    }
    let frame = &layout.frame;
    let (x, y) = (i as f64, j as f64);
    let (left, right) = (frame.x(x - 0.5), frame.x(x + 0.5));
    let (top, bottom) = (frame.y(y + 0.5), frame.y(y - 0.5));
    // As thick as the met region's outline, so the chosen cell stands out of it.
    let ink = style.line_width + 1;
    let halo = ink + (style.thin_line_width + 1) * 2;
    let grow = |by: u32| f64::from(by) / 2.0;
    pen.rect(
        (left - grow(halo), top - grow(halo)),
        (right + grow(halo), bottom + grow(halo)),
        palette::BACKGROUND,
        false,
        halo,
    )?;
    pen.rect(
        (left - grow(ink), top - grow(ink)),
        (right + grow(ink), bottom + grow(ink)),
        palette::INK,
        false,
        ink,
    )
}

/// The header's legend: the met region (or that there is none), the red line, the current
/// scenario and, when some runs stopped, the grey of their cells.
fn legend(data: &MapData) -> Vec<LegendItem> {
    let labels = data.labels;
    let mut legend = Vec::new();
    if data.met.iter().flatten().any(|met| *met) {
        legend.push(LegendItem::new(Swatch::Outlined(palette::INK), labels.all_met));
    } else {
        legend.push(LegendItem::new(Swatch::Note, labels.none_met));
    }
    if let Some(threshold) = data.threshold.filter(|v| v.is_finite()) {
        let text = format!(
            "{} {} {}{}",
            labels.target_line,
            data.metric_name,
            op_sign(data.threshold_op),
            data.kind.short(threshold, &data.unit)
        );
        legend.push(LegendItem::new(Swatch::Line(role::TARGET), text));
    }
    if marker_position(data).is_some() {
        legend.push(LegendItem::new(
            Swatch::Pattern(palette::INK, Dash::Dashed, Marker::Circle),
            labels.current,
        ));
    }
    let (columns, rows) = data.size();
    let null = (0..rows).any(|j| (0..columns).any(|i| data.value(i, j).is_none()));
    if null {
        legend.push(LegendItem::new(Swatch::Filled(NULL_CELL), labels.infeasible));
    }
    legend
}

/// The fractional cell index of lever value `value` on `axis` (`None` if not finite).
fn index_of(axis: &MapAxis, value: f64) -> Option<f64> {
    let (first, last) = (axis.values.first()?, axis.values.last()?);
    let steps = axis.values.len().saturating_sub(1) as f64;
    let width = last - first;
    let index = if steps == 0.0 || width == 0.0 || !width.is_finite() {
        0.0
    } else {
        (value - first) / width * steps
    };
    index.is_finite().then_some(index)
}

/// The current scenario's cell coordinates, when both levers' values are on the grid.
fn marker_position(data: &MapData) -> Option<(f64, f64)> {
    let inside = |axis: &MapAxis| {
        let index = index_of(axis, axis.current?)?;
        let count = axis.values.len() as f64;
        (index >= -0.5 && index <= count - 0.5).then_some(index)
    };
    Some((inside(&data.x)?, inside(&data.y)?))
}

/// Ticks of a lever axis within the grid's range, as (fractional cell index, label).
fn lever_ticks(axis: &MapAxis, max_ticks: usize) -> Vec<(f64, String)> {
    let format = |v: f64| match axis.lever.kind {
        ValueKind::Percent => percent_short(v),
        ValueKind::Amount => amount_short(v),
    };
    let (Some(&first), Some(&last)) = (axis.values.first(), axis.values.last()) else { return Vec::new() };
    if axis.values.len() < 2 || first == last {
        return vec![(0.0, format(first))];
    }
    let (lo, hi) = (first.min(last), first.max(last));
    let slack = (hi - lo) * 1e-9;
    Scale::new([lo, hi], false, (hi - lo) * 1e-3, max_ticks)
        .ticks
        .into_iter()
        .filter(|t| *t >= lo - slack && *t <= hi + slack)
        .filter_map(|t| Some((index_of(axis, t)?, format(t))))
        .collect()
}

/// A colour legend tick.
fn colour_tick(kind: ValueKind, value: f64, decimals: usize) -> String {
    match kind {
        ValueKind::Percent => percent(value),
        ValueKind::Amount => amount(value, decimals),
    }
}

/// The outline of the cells where every target is met, as polylines in cell coordinates
/// (cell `(i, j)` spans `i ± 0.5`, `j ± 0.5`): every edge between a met cell and an unmet
/// one or the grid's border, joined into lines. Empty when no cell is met.
pub fn met_outline(data: &MapData) -> Vec<Vec<(f64, f64)>> {
    let (columns, rows) = data.size();
    let met = |i: usize, j: usize| i < columns && j < rows && data.is_met(i, j);
    let mut edges: Vec<((usize, usize), (usize, usize))> = Vec::new();
    for j in 0..rows {
        for i in 0..columns {
            if !met(i, j) {
                continue;
            }
            if i == 0 || !met(i - 1, j) {
                edges.push(((i, j), (i, j + 1)));
            }
            if !met(i + 1, j) {
                edges.push(((i + 1, j), (i + 1, j + 1)));
            }
            if j == 0 || !met(i, j - 1) {
                edges.push(((i, j), (i + 1, j)));
            }
            if !met(i, j + 1) {
                edges.push(((i, j + 1), (i + 1, j + 1)));
            }
        }
    }
    chain(&edges)
        .into_iter()
        .map(|line| straighten(&line).into_iter().map(|(a, b)| (a as f64 - 0.5, b as f64 - 0.5)).collect())
        .collect()
}

/// The edge of a cell crossing, for marching squares: horizontal (`false`) from `(i, j)`
/// to `(i + 1, j)`, or vertical from `(i, j)` to `(i, j + 1)`.
type CrossingEdge = (bool, usize, usize);

/// Where the metric crosses `threshold`, as polylines in cell coordinates, interpolated
/// between cell centres (marching squares; cells with a null value are left out).
pub fn threshold_contour(data: &MapData, threshold: f64) -> Vec<Vec<(f64, f64)>> {
    if !threshold.is_finite() {
        return Vec::new();
    }
    let (columns, rows) = data.size();
    let mut segments: Vec<(CrossingEdge, CrossingEdge)> = Vec::new();
    for j in 0..rows.saturating_sub(1) {
        for i in 0..columns.saturating_sub(1) {
            let (Some(v0), Some(v1), Some(v2), Some(v3)) =
                (data.value(i, j), data.value(i + 1, j), data.value(i + 1, j + 1), data.value(i, j + 1))
            else {
                continue;
            };
            let above = [v0, v1, v2, v3].map(|v| v >= threshold);
            let bottom = (false, i, j);
            let right = (true, i + 1, j);
            let top = (false, i, j + 1);
            let left = (true, i, j);
            // Each side, with the corners at its ends.
            let sides = [(bottom, 0, 1), (right, 1, 2), (top, 3, 2), (left, 0, 3)];
            let crossed: Vec<CrossingEdge> =
                sides.iter().filter(|(_, a, b)| above[*a] != above[*b]).map(|(edge, _, _)| *edge).collect();
            match crossed.as_slice() {
                [a, b] => segments.push((*a, *b)),
                [_, _, _, _] => {
                    // A saddle: the centre's side decides which corners are joined.
                    let centre = (v0 + v1 + v2 + v3) / 4.0 >= threshold;
                    if centre == above[0] {
                        segments.push((bottom, right));
                        segments.push((top, left));
                    } else {
                        segments.push((left, bottom));
                        segments.push((right, top));
                    }
                }
                _ => {}
            }
        }
    }
    let point = |(vertical, i, j): CrossingEdge| {
        let (i2, j2) = if vertical { (i, j + 1) } else { (i + 1, j) };
        let (a, b) = (data.value(i, j)?, data.value(i2, j2)?);
        let t = if b == a { 0.5 } else { ((threshold - a) / (b - a)).clamp(0.0, 1.0) };
        Some(if vertical { (i as f64, j as f64 + t) } else { (i as f64 + t, j as f64) })
    };
    chain(&segments).into_iter().map(|line| line.into_iter().filter_map(point).collect()).collect()
}

/// Joins segments that share end points into polylines (a closed loop ends where it starts).
fn chain<K: Ord + Copy>(segments: &[(K, K)]) -> Vec<Vec<K>> {
    let mut ends: Vec<(K, usize)> =
        segments.iter().enumerate().flat_map(|(n, &(a, b))| [(a, n), (b, n)]).collect();
    ends.sort_unstable();
    let mut used = vec![false; segments.len()];
    let next = |point: K, used: &[bool]| {
        let start = ends.partition_point(|(k, _)| *k < point);
        ends.get(start..)?
            .iter()
            .take_while(|(k, _)| *k == point)
            .map(|&(_, n)| n)
            .find(|&n| !used.get(n).copied().unwrap_or(true))
    };
    let walk = |from: K, used: &mut Vec<bool>| {
        let mut points = Vec::new();
        let mut at = from;
        while let Some(n) = next(at, used) {
            if let Some(slot) = used.get_mut(n) {
                *slot = true;
            }
            let Some(&(a, b)) = segments.get(n) else { break };
            at = if a == at { b } else { a };
            points.push(at);
        }
        points
    };
    let mut lines = Vec::new();
    for (first, &(a, b)) in segments.iter().enumerate() {
        if used.get(first).copied().unwrap_or(true) {
            continue;
        }
        if let Some(slot) = used.get_mut(first) {
            *slot = true;
        }
        let forward = walk(b, &mut used);
        let mut line: Vec<K> = walk(a, &mut used).into_iter().rev().collect();
        line.push(a);
        line.push(b);
        line.extend(forward);
        lines.push(line);
    }
    lines
}

/// A lattice polyline without its middle points on straight runs.
fn straighten(line: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(line.len());
    for &point in line {
        if let [.., a, b] = out.as_slice()
            && ((a.0 == b.0 && b.0 == point.0) || (a.1 == b.1 && b.1 == point.1))
        {
            out.pop();
        }
        out.push(point);
    }
    out
}

/// Draws the feasibility map of `data`: each cell in the colour of its metric (grey where
/// the run stopped), a colour legend at the right (with the target marked on it), the
/// region where every target is met outlined thick in ink, the red line where the metric
/// crosses its target, the current scenario as a crosshair and ring, and both levers' axes.
pub fn draw_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &MapData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let layout = MapLayout::new(data, style, (pen.width, pen.height));
    let frame = &layout.frame;
    let labels = data.labels;
    pen.header(&data.title(), &layout.legend)?;
    if layout.columns == 0 || layout.rows == 0 {
        return pen.no_data(frame, labels);
    }
    let colours = &layout.colours;
    let colour_of = |value: Option<f64>| match value {
        Some(v) => scale_colour((v - colours.min) / (colours.max - colours.min)),
        None => NULL_CELL,
    };

    // The cells, a row at a time, neighbours of the same colour as one rectangle.
    for j in 0..layout.rows {
        let (y0, y1) = (frame.y(j as f64 - 0.5), frame.y(j as f64 + 0.5));
        let mut i = 0;
        while i < layout.columns {
            let colour = colour_of(data.value(i, j));
            let mut end = i + 1;
            while end < layout.columns && colour_of(data.value(end, j)) == colour {
                end += 1;
            }
            pen.rect((frame.x(i as f64 - 0.5), y0), (frame.x(end as f64 - 0.5), y1), colour, true, 0)?;
            i = end;
        }
    }
    pen.rect(
        (frame.left, frame.top),
        (frame.right, frame.bottom),
        palette::AXIS,
        false,
        style.thin_line_width,
    )?;

    axes(&pen, &layout, data)?;
    colour_legend(&pen, &layout, data)?;

    let to_pixels = |line: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        line.into_iter().map(|(x, y)| (frame.x(x), frame.y(y))).collect()
    };
    // White under each line, so it reads on light and dark cells alike.
    let halo = |width: u32| width + (style.thin_line_width + 1) * 2;
    let outline: Vec<Vec<(f64, f64)>> = met_outline(data).into_iter().map(to_pixels).collect();
    let outline_width = style.line_width + 1;
    for line in &outline {
        pen.line(line, palette::BACKGROUND, halo(outline_width))?;
    }
    for line in &outline {
        pen.line(line, palette::INK, outline_width)?;
    }
    if let Some(threshold) = data.threshold {
        let contour: Vec<Vec<(f64, f64)>> =
            threshold_contour(data, threshold).into_iter().map(to_pixels).collect();
        for line in &contour {
            pen.line(line, palette::BACKGROUND, halo(style.line_width))?;
        }
        for line in &contour {
            pen.line(line, role::TARGET, style.line_width)?;
        }
    }

    if let Some((x, y)) = marker_position(data) {
        let at = (frame.x(x), frame.y(y));
        let (dash, gap) = Dash::Dashed.lengths(style).unwrap_or((4.0, 3.0));
        for line in [[(frame.left, at.1), (frame.right, at.1)], [(at.0, frame.top), (at.0, frame.bottom)]] {
            pen.dashed(&line, palette::INK, style.thin_line_width, dash, gap)?;
        }
        pen.circle(at, style.marker_radius * 2 + 1, palette::INK, false)?;
        pen.circle(at, style.marker_radius.div_ceil(2), palette::INK, true)?;
    }
    Ok(())
}

/// Both levers' tick labels and names.
fn axes<DB: DrawingBackend>(pen: &Pen<'_, DB>, layout: &MapLayout, data: &MapData) -> DrawResult<DB> {
    let style = pen.style;
    let frame = &layout.frame;
    let tick = style.label_size * 0.35;
    let x_ticks = ((frame.right - frame.left) / (style.label_size * 6.0)).floor().clamp(2.0, 8.0) as usize;
    for (index, text) in lever_ticks(&data.x, x_ticks) {
        let x = frame.x(index);
        pen.line(&[(x, frame.bottom), (x, frame.bottom + tick)], palette::AXIS, style.thin_line_width)?;
        let at = (x, frame.bottom + tick + style.label_size * 0.3);
        pen.text(&text, at, style.label_size, palette::MUTED, Anchor::CenterTop, false)?;
    }
    for (index, text) in lever_ticks(&data.y, tick_count(frame.bottom - frame.top, style.label_size)) {
        let y = frame.y(index);
        pen.line(&[(frame.left - tick, y), (frame.left, y)], palette::AXIS, style.thin_line_width)?;
        let at = (frame.left - tick - style.label_size * 0.3, y);
        pen.text(&text, at, style.label_size, palette::MUTED, Anchor::RightMiddle, false)?;
    }
    let name = |axis: &MapAxis| match axis.lever.kind {
        ValueKind::Percent => axis.lever.name.to_string(),
        ValueKind::Amount => data.labels.with_unit(data.lang, axis.lever.name, &data.unit),
    };
    let x_at = ((frame.left + frame.right) / 2.0, frame.bottom + style.label_size * 2.0);
    pen.text(&name(&data.x), x_at, style.label_size, palette::INK, Anchor::CenterTop, false)?;
    let y_at = (style.padding, frame.top - style.label_size * 0.7);
    pen.text(&name(&data.y), y_at, style.label_size, palette::INK, Anchor::LeftBottom, false)
}

/// The colour bar at the right: low at the bottom, its ticks, the metric's name above and the target marked across it.
fn colour_legend<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    layout: &MapLayout,
    data: &MapData,
) -> DrawResult<DB> {
    let style = pen.style;
    let (left, top, right, bottom) = layout.colour_bar;
    let colours = &layout.colours;
    let slices = 48;
    let height = bottom - top;
    for k in 0..slices {
        let (from, to) = (k as f64 / slices as f64, (k + 1) as f64 / slices as f64);
        let colour = scale_colour((from + to) / 2.0);
        pen.rect((left, bottom - height * from), (right, bottom - height * to), colour, true, 0)?;
    }
    pen.rect((left, top), (right, bottom), palette::AXIS, false, style.thin_line_width)?;
    let y_of = |v: f64| bottom - (v - colours.min) / (colours.max - colours.min) * height;
    let decimals = colours.decimals();
    for &tick in &colours.ticks {
        let at = (right + style.label_size * 0.3, y_of(tick));
        pen.text(
            &colour_tick(data.kind, tick, decimals),
            at,
            style.label_size,
            palette::MUTED,
            Anchor::LeftMiddle,
            false,
        )?;
    }
    let name = match data.kind {
        ValueKind::Percent => data.metric_name.clone(),
        ValueKind::Amount => data.labels.with_unit(data.lang, &data.metric_name, &data.unit),
    };
    let name_at = (pen.width - style.padding, top - style.label_size * 0.7);
    pen.text(&name, name_at, style.label_size, palette::MUTED, Anchor::RightBottom, false)?;
    if let Some(threshold) = data.threshold.filter(|v| v.is_finite()) {
        let y = y_of(threshold);
        let reach = style.label_size * 0.3;
        pen.line(&[(left - reach, y), (right + reach, y)], role::TARGET, style.line_width)?;
    }
    Ok(())
}
