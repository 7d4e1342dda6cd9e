//! What every chart shares: a pen over the drawing area, text widths, nice axis scales,
//! the title-and-legend header, the plot frame, value and month axes.
//!
//! Everything is laid out here in pixels, without asking the backend to measure text:
//! plotters measures text on wasm32 by adding a styled `<span>` to the page, which the
//! page's content security policy (no inline styles) would refuse. Widths are estimated
//! from the characters instead ([`text_width`]), the same on every backend.

use plotters::coord::Shift;
use plotters::element::{Circle, PathElement, Polygon, Rectangle};
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

use super::labels::Labels;
use super::style::{Style, palette};

/// What a drawing function returns.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The drawing area and the style, with pixel-level drawing in `f64` coordinates.
pub struct Pen<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    pub style: &'a Style,
    pub width: f64,
    pub height: f64,
}

/// Text placement: where the given point is on the text's box.
#[derive(Clone, Copy)]
pub enum Anchor {
    LeftTop,
    LeftMiddle,
    LeftBottom,
    CenterTop,
    CenterMiddle,
    CenterBottom,
    RightTop,
    RightMiddle,
    RightBottom,
}

impl Anchor {
    fn pos(self) -> Pos {
        let (h, v) = match self {
            Anchor::LeftTop => (HPos::Left, VPos::Top),
            Anchor::LeftMiddle => (HPos::Left, VPos::Center),
            Anchor::LeftBottom => (HPos::Left, VPos::Bottom),
            Anchor::CenterTop => (HPos::Center, VPos::Top),
            Anchor::CenterMiddle => (HPos::Center, VPos::Center),
            Anchor::CenterBottom => (HPos::Center, VPos::Bottom),
            Anchor::RightTop => (HPos::Right, VPos::Top),
            Anchor::RightMiddle => (HPos::Right, VPos::Center),
            Anchor::RightBottom => (HPos::Right, VPos::Bottom),
        };
        Pos::new(h, v)
    }
}

/// A pixel coordinate; out-of-range and non-finite values saturate instead of panicking.
fn px(value: f64) -> i32 {
    if value.is_finite() { value.round().clamp(-1.0e6, 1.0e6) as i32 } else { 0 }
}

impl<'a, DB: DrawingBackend> Pen<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>, style: &'a Style) -> Pen<'a, DB> {
        let (width, height) = area.dim_in_pixel();
        Pen { area, style, width: f64::from(width), height: f64::from(height) }
    }

    /// Paints the whole area white (also what a saved PNG shows behind the chart).
    pub fn background(&self) -> DrawResult<DB> {
        self.area.fill(&palette::BACKGROUND)
    }

    pub fn text(
        &self,
        text: &str,
        at: (f64, f64),
        size: f64,
        colour: RGBColor,
        anchor: Anchor,
        bold: bool,
    ) -> DrawResult<DB> {
        if text.is_empty() || !(size.is_finite() && size > 0.0) {
            return Ok(());
        }
        let weight = if bold { FontStyle::Bold } else { FontStyle::Normal };
        let font = FontDesc::new(FontFamily::Name(self.style.font_family), size, weight);
        let style = TextStyle::from(font).color(&colour).pos(anchor.pos());
        self.area.draw_text(text, &style, (px(at.0), px(at.1)))
    }

    /// Text on a white patch, readable where it crosses lines or bars.
    pub fn label(
        &self,
        text: &str,
        at: (f64, f64),
        size: f64,
        colour: RGBColor,
        anchor: Anchor,
        bold: bool,
    ) -> DrawResult<DB> {
        let (width, height) = (text_width(text, size), size * 1.25);
        let (h, v) = match anchor {
            Anchor::LeftTop => (0.0, 0.0),
            Anchor::LeftMiddle => (0.0, 0.5),
            Anchor::LeftBottom => (0.0, 1.0),
            Anchor::CenterTop => (0.5, 0.0),
            Anchor::CenterMiddle => (0.5, 0.5),
            Anchor::CenterBottom => (0.5, 1.0),
            Anchor::RightTop => (1.0, 0.0),
            Anchor::RightMiddle => (1.0, 0.5),
            Anchor::RightBottom => (1.0, 1.0),
        };
        let (x0, y0) = (at.0 - width * h, at.1 - height * v);
        let margin = size * 0.15;
        self.rect((x0 - margin, y0), (x0 + width + margin, y0 + height), palette::BACKGROUND, true, 0)?;
        self.text(text, at, size, colour, anchor, bold)
    }

    /// A solid polyline; fewer than two points draw nothing.
    pub fn line(&self, points: &[(f64, f64)], colour: RGBColor, width: u32) -> DrawResult<DB> {
        if points.len() < 2 {
            return Ok(());
        }
        let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area.draw(&PathElement::new(points, colour.stroke_width(width)))
    }

    /// A dashed polyline: `dash` pixels drawn, `gap` pixels left out, along the whole path.
    pub fn dashed(
        &self,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: u32,
        dash: f64,
        gap: f64,
    ) -> DrawResult<DB> {
        let (dash, gap) = (dash.max(1.0), gap.max(1.0));
        let mut drawing = true;
        let mut left = dash;
        let mut current: Vec<(f64, f64)> = Vec::new();
        for pair in points.windows(2) {
            let [(x0, y0), (x1, y1)] = [pair[0], pair[1]];
            let length = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
            if !length.is_finite() || length == 0.0 {
                continue;
            }
            let mut done = 0.0;
            if drawing && current.is_empty() {
                current.push((x0, y0));
            }
            while length - done > left {
                done += left;
                let point = (x0 + (x1 - x0) * done / length, y0 + (y1 - y0) * done / length);
                if drawing {
                    current.push(point);
                    self.line(&current, colour, width)?;
                    current.clear();
                } else {
                    current.push(point);
                }
                drawing = !drawing;
                left = if drawing { dash } else { gap };
            }
            left -= length - done;
            if drawing {
                current.push((x1, y1));
            }
        }
        if drawing {
            self.line(&current, colour, width)?;
        }
        Ok(())
    }

    /// A polyline in `pattern`.
    pub fn styled_line(
        &self,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: u32,
        pattern: Dash,
    ) -> DrawResult<DB> {
        match pattern.lengths(self.style) {
            None => self.line(points, colour, width),
            Some((dash, gap)) => self.dashed(points, colour, width, dash, gap),
        }
    }

    /// A rectangle between two corners, filled or outlined.
    pub fn rect(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        colour: RGBColor,
        filled: bool,
        width: u32,
    ) -> DrawResult<DB> {
        let corners =
            [(px(from.0.min(to.0)), px(from.1.min(to.1))), (px(from.0.max(to.0)), px(from.1.max(to.1)))];
        let style = if filled { colour.filled() } else { colour.stroke_width(width) };
        self.area.draw(&Rectangle::new(corners, style))
    }

    /// A filled polygon; fewer than three points draw nothing.
    pub fn polygon(&self, points: &[(f64, f64)], colour: RGBColor) -> DrawResult<DB> {
        if points.len() < 3 {
            return Ok(());
        }
        let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area.draw(&Polygon::new(points, colour.filled()))
    }

    /// A point marker of `shape`, `radius` pixels from its centre to its edge.
    pub fn marker(&self, shape: Marker, at: (f64, f64), radius: u32, colour: RGBColor) -> DrawResult<DB> {
        let r = f64::from(radius.max(1));
        let (x, y) = at;
        match shape {
            Marker::Circle => self.circle(at, radius, colour, false),
            Marker::Square => {
                let r = r * 0.9;
                self.rect((x - r, y - r), (x + r, y + r), colour, true, 0)
            }
            Marker::Triangle => {
                let r = r * 1.2;
                self.polygon(&[(x, y - r), (x + r * 0.87, y + r * 0.5), (x - r * 0.87, y + r * 0.5)], colour)
            }
            Marker::Diamond => {
                let r = r * 1.2;
                self.polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], colour)
            }
        }
    }

    /// A dot, or with `filled` false a hollow marker (white inside, so it reads over bars).
    pub fn circle(&self, at: (f64, f64), radius: u32, colour: RGBColor, filled: bool) -> DrawResult<DB> {
        let centre = (px(at.0), px(at.1));
        if filled {
            return self.area.draw(&Circle::new(centre, radius, colour.filled()));
        }
        self.area.draw(&Circle::new(centre, radius, palette::BACKGROUND.filled()))?;
        self.area.draw(&Circle::new(centre, radius, colour.stroke_width(self.style.thin_line_width)))
    }
}

/// The estimated width of `text` at `size` pixels: Chinese characters are one em,
/// digits and Latin letters about half of one.
pub fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            _ if is_wide(c) => 1.0,
            '0'..='9' => 0.56,
            '.' | ',' | ':' | ';' | '\'' | '!' | '|' | 'i' | 'l' | 'j' | 'I' | ' ' => 0.3,
            'm' | 'w' | 'M' | 'W' | '%' => 0.86,
            'A'..='Z' => 0.66,
            'a'..='z' => 0.53,
            _ => 0.6,
        })
        .sum();
    ems * size
}

/// East Asian wide characters (CJK ideographs, kana, hangul, full-width forms and punctuation).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303F | 0x3040..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    Line(RGBColor),
    /// A line with a point marker.
    LineMarker(RGBColor),
    Dashed(RGBColor),
    Dotted(RGBColor),
    Filled(RGBColor),
    Outlined(RGBColor),
    /// A line in a dash pattern with a point marker in the middle (the compared scenarios).
    Pattern(RGBColor, Dash, Marker),
    /// No sample: a note in the legend.
    Note,
}

/// The shape of a point marker, so that lines stay apart without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Hollow.
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// A line's dash pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    /// [`dash`]: baselines and targets.
    Dashed,
    /// [`dot`]: reference values.
    Dotted,
    /// Long dashes with short gaps.
    Long,
}

impl Dash {
    /// Dash and gap lengths in `style`; `None` for a solid line.
    pub fn lengths(self, style: &Style) -> Option<(f64, f64)> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some(dash(style)),
            Dash::Dotted => Some(dot(style)),
            Dash::Long => Some((style.label_size * 1.1, style.label_size * 0.35)),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

impl LegendItem {
    pub fn new(swatch: Swatch, label: impl Into<String>) -> LegendItem {
        LegendItem { swatch, label: label.into() }
    }
}

/// Dash and gap lengths for baselines/targets, and for reference lines (dotted).
pub fn dash(style: &Style) -> (f64, f64) {
    (style.label_size * 0.5, style.label_size * 0.33)
}
pub fn dot(style: &Style) -> (f64, f64) {
    (style.label_size * 0.16, style.label_size * 0.3)
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// Draws the background, the title (top left) and the legend below it, wrapped
    /// to the width; returns the `y` below them, where the chart's body starts
    /// (the same as [`header_bottom`]).
    pub fn header(
        &self,
        title: &str,
        legend: &[LegendItem],
    ) -> Result<f64, DrawingAreaErrorKind<DB::ErrorType>> {
        let s = self.style;
        self.background()?;
        let pad = s.padding;
        self.text(title, (pad, pad), s.title_size, palette::INK, Anchor::LeftTop, true)?;
        let (places, bottom) = legend_layout(s, self.width, legend);
        let swatch_width = s.label_size * 2.0;
        for (item, &(x, middle)) in legend.iter().zip(&places) {
            let text_x = match item.swatch {
                Swatch::Note => x,
                _ => {
                    self.swatch(item.swatch, (x, middle), swatch_width)?;
                    x + swatch_width + s.label_size * 0.4
                }
            };
            self.text(
                &item.label,
                (text_x, middle),
                s.label_size,
                palette::MUTED,
                Anchor::LeftMiddle,
                false,
            )?;
        }
        Ok(bottom)
    }

    fn swatch(&self, swatch: Swatch, (x, middle): (f64, f64), width: f64) -> DrawResult<DB> {
        let s = self.style;
        let line = [(x, middle), (x + width, middle)];
        let half = s.label_size * 0.4;
        let square = ((x + width / 2.0 - half, middle - half), (x + width / 2.0 + half, middle + half));
        match swatch {
            Swatch::Line(colour) => self.line(&line, colour, s.line_width),
            Swatch::LineMarker(colour) => {
                self.line(&line, colour, s.secondary_line_width)?;
                self.circle((x + width / 2.0, middle), s.marker_radius, colour, true)
            }
            Swatch::Dashed(colour) => {
                let (d, g) = dash(s);
                self.dashed(&line, colour, s.secondary_line_width, d, g)
            }
            Swatch::Dotted(colour) => {
                let (d, g) = dot(s);
                self.dashed(&line, colour, s.secondary_line_width, d, g)
            }
            Swatch::Filled(colour) => self.rect(square.0, square.1, colour, true, 0),
            Swatch::Outlined(colour) => {
                self.rect(square.0, square.1, palette::BACKGROUND, true, 0)?;
                self.rect(square.0, square.1, colour, false, s.secondary_line_width)
            }
            Swatch::Pattern(colour, pattern, marker) => {
                self.styled_line(&line, colour, s.secondary_line_width, pattern)?;
                self.marker(marker, (x + width / 2.0, middle), s.marker_radius, colour)
            }
            Swatch::Note => Ok(()),
        }
    }

    /// A muted note in the middle of `frame`, for a chart with nothing to show.
    pub fn no_data(&self, frame: &Frame, labels: &Labels) -> DrawResult<DB> {
        let at = ((frame.left + frame.right) / 2.0, (frame.top + frame.bottom) / 2.0);
        self.text(labels.no_data, at, self.style.label_size, palette::MUTED, Anchor::CenterMiddle, false)
    }
}

/// Where [`Pen::header`] puts each legend entry (its left end and middle) in a chart
/// `width` pixels wide, and the `y` below the header.
fn legend_layout(style: &Style, width: f64, legend: &[LegendItem]) -> (Vec<(f64, f64)>, f64) {
    let s = style;
    let pad = s.padding;
    let mut y = pad + s.title_size * 1.5;
    if legend.is_empty() {
        return (Vec::new(), y);
    }
    let swatch_width = s.label_size * 2.0;
    let row_height = s.label_size * 1.6;
    let mut x = pad;
    let mut places = Vec::with_capacity(legend.len());
    for item in legend {
        let sample = match item.swatch {
            Swatch::Note => 0.0,
            _ => swatch_width + s.label_size * 0.4,
        };
        let item_width = sample + text_width(&item.label, s.label_size);
        if x > pad && x + item_width > width - pad {
            x = pad;
            y += row_height;
        }
        places.push((x, y + row_height / 2.0));
        x += item_width + s.label_size * 1.4;
    }
    (places, y + row_height + s.label_size * 0.3)
}

/// The `y` below the title and `legend` of a chart `width` pixels wide: where
/// [`Pen::header`] leaves the body to start, computed without drawing (for hit-testing).
pub fn header_bottom(style: &Style, width: f64, legend: &[LegendItem]) -> f64 {
    legend_layout(style, width, legend).1
}

/// The plot rectangle in pixels and the data ranges it shows.
#[derive(Clone, Debug)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
}

impl Frame {
    /// A frame of at least one pixel each way, over non-empty ranges.
    pub fn new(
        left: f64,
        top: f64,
        right: f64,
        bottom: f64,
        x_range: (f64, f64),
        y_range: (f64, f64),
    ) -> Frame {
        let sane = |(lo, hi): (f64, f64)| {
            if lo.is_finite() && hi.is_finite() && hi > lo { (lo, hi) } else { (0.0, 1.0) }
        };
        Frame {
            left,
            top,
            right: right.max(left + 1.0),
            bottom: bottom.max(top + 1.0),
            x_range: sane(x_range),
            y_range: sane(y_range),
        }
    }

    /// The pixel column of data `x`.
    pub fn x(&self, x: f64) -> f64 {
        let (lo, hi) = self.x_range;
        self.left + (x - lo) / (hi - lo) * (self.right - self.left)
    }

    /// The pixel row of data `y` (up is larger).
    pub fn y(&self, y: f64) -> f64 {
        let (lo, hi) = self.y_range;
        self.bottom - (y - lo) / (hi - lo) * (self.bottom - self.top)
    }

    /// The data `x` at pixel column `px` (the inverse of [`Frame::x`]).
    pub fn x_value(&self, px: f64) -> f64 {
        let (lo, hi) = self.x_range;
        lo + (px - self.left) / (self.right - self.left) * (hi - lo)
    }

    /// The data `y` at pixel row `py` (the inverse of [`Frame::y`]).
    pub fn y_value(&self, py: f64) -> f64 {
        let (lo, hi) = self.y_range;
        lo + (self.bottom - py) / (self.bottom - self.top) * (hi - lo)
    }

    /// Whether the pixel `point` is inside the plot rectangle (edges included).
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.left && x <= self.right && y >= self.top && y <= self.bottom
    }

    /// Pixels per unit of x.
    pub fn x_unit(&self) -> f64 {
        (self.right - self.left) / (self.x_range.1 - self.x_range.0)
    }
}

/// A value axis: its range, rounded out to whole steps, and the tick values.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub ticks: Vec<f64>,
}

impl Scale {
    /// A scale covering every finite value in `values` with about `max_ticks` ticks on
    /// steps of 1, 2 or 5 × 10ⁿ. With `include_zero` the range reaches 0; a range narrower
    /// than `min_span` (all values equal, or none) is widened to it. Never empty.
    pub fn new(
        values: impl IntoIterator<Item = f64>,
        include_zero: bool,
        min_span: f64,
        max_ticks: usize,
    ) -> Scale {
        let min_span = if min_span.is_finite() && min_span > 0.0 { min_span } else { 1.0 };
        let (mut lo, mut hi) = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if lo > hi {
            (lo, hi) = (0.0, 0.0);
        }
        if include_zero {
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        } else {
            // Lines that do not start at zero get air above and below, but the air never
            // takes values of one sign across zero (a ratio axis reaching −0.2% reads as a loss).
            let air = (hi - lo) * 0.08;
            lo = if lo >= 0.0 { (lo - air).max(0.0) } else { lo - air };
            hi = if hi <= 0.0 { (hi + air).min(0.0) } else { hi + air };
        }
        if hi - lo < min_span {
            if include_zero && lo >= 0.0 {
                hi = lo + min_span;
            } else if include_zero && hi <= 0.0 {
                lo = hi - min_span;
            } else {
                let middle = (lo + hi) / 2.0;
                lo = middle - min_span / 2.0;
                hi = middle + min_span / 2.0;
            }
        }
        let step = nice_step((hi - lo) / max_ticks.max(1) as f64);
        let first = (lo / step).floor();
        let last = (hi / step).ceil();
        let count = ((last - first) as usize).min(100);
        let ticks = (0..=count).map(|k| clean((first + k as f64) * step, step)).collect();
        Scale { min: first * step, max: (first + count as f64) * step, step, ticks }
    }

    pub fn range(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// Decimal places that show every tick of an amount axis distinctly (0 … 4).
    pub fn decimals(&self) -> usize {
        (-self.step.log10().floor()).clamp(0.0, 4.0) as usize
    }
}

/// The narrowest amount axis worth drawing for `values`: `share` of the largest
/// magnitude, or 1 when every value is zero (or there are none).
pub fn min_span(values: &[f64], share: f64) -> f64 {
    let magnitude = values.iter().filter(|v| v.is_finite()).map(|v| v.abs()).fold(0.0, f64::max);
    if magnitude > 0.0 { magnitude * share } else { 1.0 }
}

/// 1, 2 or 5 × 10ⁿ, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powi(raw.log10().floor().clamp(-300.0, 300.0) as i32);
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// `value` with floating-point dust (and a negative zero) removed.
fn clean(value: f64, step: f64) -> f64 {
    if value.abs() < step * 1e-6 { 0.0 } else { value }
}

/// `≤ ` or `≥ ` before a target's value; nothing for a reference value.
pub fn op_sign(op: Option<delever_model::scenario::Op>) -> &'static str {
    match op {
        Some(delever_model::scenario::Op::Le) => "≤ ",
        Some(delever_model::scenario::Op::Ge) => "≥ ",
        None => "",
    }
}

/// `0.0101` → `1.01%`.
pub fn percent(value: f64) -> String {
    format!("{}%", amount(value * 100.0, 2))
}

/// `value` rounded half away from zero to `decimals` places (at most 6), as whole and
/// fraction digits, by integer arithmetic: one rounding rule for every figure on a
/// chart, and a non-finite value reads as zero instead of printing `NaN`.
fn fixed(value: f64, decimals: usize) -> (String, String) {
    let decimals = decimals.min(6);
    let scale = 10u64.pow(decimals as u32);
    let scaled = (value.abs() * scale as f64).round();
    // Beyond 2^53 an f64 has no fraction left to show; saturate rather than wrap.
    let units = if scaled.is_finite() { scaled.min(9.0e15) as u64 } else { 0 };
    let whole = (units / scale).to_string();
    let fraction =
        if decimals == 0 { String::new() } else { format!("{:0width$}", units % scale, width = decimals) };
    (whole, fraction)
}

/// An amount with `decimals` places and thousands separators: `22,000`, `1.70`.
pub fn amount(value: f64, decimals: usize) -> String {
    let (whole, fraction) = fixed(value, decimals);
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let negative = value < 0.0 && whole.chars().chain(fraction.chars()).any(|c| c != '0');
    let sign = if negative { "−" } else { "" };
    if fraction.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{fraction}") }
}

/// An amount as written in a target: up to two decimals, without trailing zeros (`525`, `1.7`).
pub fn amount_short(value: f64) -> String {
    let text = amount(value, 2);
    match text.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() { whole.to_string() } else { format!("{whole}.{fraction}") }
        }
        None => text,
    }
}

/// A fraction as a percentage with up to two decimals and no trailing zeros: `0.085` → `8.5%`, `0.5` → `50%`.
pub fn percent_short(value: f64) -> String {
    format!("{}%", amount_short(value * 100.0))
}

/// `text` cut to `width` pixels at `size` with a trailing ellipsis.
pub fn ellipsize(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    for c in text.chars() {
        let mut next = kept.clone();
        next.push(c);
        if text_width(&next, size) + text_width("…", size) > width {
            break;
        }
        kept = next;
    }
    format!("{kept}…")
}

/// An amount change with its sign: `+1.60`, `−5.00`.
pub fn signed_amount(value: f64, decimals: usize) -> String {
    let text = amount(value, decimals);
    if text.starts_with('−') || text.chars().all(|c| !c.is_ascii_digit() || c == '0' || c == '.') {
        text
    } else {
        format!("+{text}")
    }
}

/// Ticks that fit in `height` pixels at `label_size` text.
pub fn tick_count(height: f64, label_size: f64) -> usize {
    ((height / (label_size * 3.2)).floor() as usize).clamp(2, 8)
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// Horizontal grid lines and labels of a value axis on the left of `frame`,
    /// with the axis name above the labels.
    pub fn value_axis(
        &self,
        frame: &Frame,
        scale: &Scale,
        format: &dyn Fn(f64) -> String,
        name: &str,
    ) -> DrawResult<DB> {
        let s = self.style;
        for &tick in &scale.ticks {
            let y = frame.y(tick);
            let colour = if tick == 0.0 { palette::AXIS } else { palette::GRID };
            self.line(&[(frame.left, y), (frame.right, y)], colour, s.thin_line_width)?;
            let at = (frame.left - s.label_size * 0.5, y);
            self.text(&format(tick), at, s.label_size, palette::MUTED, Anchor::RightMiddle, false)?;
        }
        let at = (s.padding, frame.top - s.label_size * 0.7);
        self.text(name, at, s.label_size, palette::MUTED, Anchor::LeftBottom, false)
    }

    /// The month axis under `frame` (x = month index): the axis line, ticks and as many
    /// month labels as fit; a faint rule at each new year of a multi-year projection.
    pub fn month_axis(&self, frame: &Frame, months: &[String], labels: &Labels) -> DrawResult<DB> {
        let s = self.style;
        self.line(
            &[(frame.left, frame.bottom), (frame.right, frame.bottom)],
            palette::AXIS,
            s.thin_line_width,
        )?;
        let multi_year = months.len() > 12;
        let every = month_label_step(frame, months, labels, s.label_size);
        for (index, label) in months.iter().enumerate() {
            let (year, month) = split_month(label);
            let x = frame.x(index as f64);
            if multi_year && month == 1 && index > 0 {
                let boundary = frame.x(index as f64 - 0.5);
                self.line(
                    &[(boundary, frame.top), (boundary, frame.bottom)],
                    palette::GRID,
                    s.thin_line_width,
                )?;
            }
            if !shows_label(month, index, every) {
                continue;
            }
            let tick = s.label_size * 0.35;
            self.line(&[(x, frame.bottom), (x, frame.bottom + tick)], palette::AXIS, s.thin_line_width)?;
            let text = month_label(year, month, every, multi_year, labels);
            let at = (x, frame.bottom + tick + s.label_size * 0.3);
            self.text(&text, at, s.label_size, palette::MUTED, Anchor::CenterTop, false)?;
        }
        Ok(())
    }
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// A category axis under `frame` (category `i` at x = `i`): the axis line and the names,
    /// on two staggered rows when `two_rows` (names too wide for their slots).
    pub fn category_axis(&self, frame: &Frame, names: &[&str], two_rows: bool) -> DrawResult<DB> {
        let s = self.style;
        self.line(
            &[(frame.left, frame.bottom), (frame.right, frame.bottom)],
            palette::AXIS,
            s.thin_line_width,
        )?;
        for (index, name) in names.iter().enumerate() {
            let row = if two_rows && index % 2 == 1 { 1.0 } else { 0.0 };
            let at = (frame.x(index as f64), frame.bottom + s.label_size * (0.5 + row * 1.25));
            self.text(name, at, s.label_size, palette::MUTED, Anchor::CenterTop, false)?;
        }
        Ok(())
    }
}

/// The space between the header and a frame with a value axis, for the axis name.
pub fn axis_name_height(style: &Style) -> f64 {
    style.label_size * 1.9
}

/// The space under a frame that a month axis (or any one line of labels) needs.
pub fn axis_height(style: &Style) -> f64 {
    style.label_size * 2.1
}

/// `YYYY-MM` → (year, month); (0, 0) for anything else.
fn split_month(label: &str) -> (i32, u32) {
    match label.split_once('-') {
        Some((year, month)) => (year.parse().unwrap_or(0), month.parse().unwrap_or(0)),
        None => (0, 0),
    }
}

/// Which months get a label when every `every`-th month is labelled: counted from January,
/// so that labels fall on the same months each year.
fn shows_label(month: u32, index: usize, every: u32) -> bool {
    if month == 0 {
        return index.is_multiple_of(every.max(1) as usize);
    }
    (month - 1).is_multiple_of(every.max(1))
}

fn month_label(year: i32, month: u32, every: u32, multi_year: bool, labels: &Labels) -> String {
    let name = month.checked_sub(1).and_then(|m| labels.months.get(m as usize)).copied().unwrap_or("");
    let english = labels.months[0] == "Jan";
    if every >= 12 {
        year.to_string()
    } else if multi_year && month == 1 {
        if english { format!("{name} {year}") } else { format!("{year}年{name}") }
    } else {
        name.to_string()
    }
}

/// The smallest label step (1, 2, 3, 6, 12 or 24 months) whose labels do not collide.
fn month_label_step(frame: &Frame, months: &[String], labels: &Labels, size: f64) -> u32 {
    let slot = frame.x_unit();
    let multi_year = months.len() > 12;
    for every in [1u32, 2, 3, 6, 12, 24] {
        let widest = months
            .iter()
            .map(|label| {
                let (year, month) = split_month(label);
                text_width(&month_label(year, month, every, multi_year, labels), size)
            })
            .fold(0.0, f64::max);
        if slot * f64::from(every) >= widest + size * 0.8 {
            return every;
        }
    }
    24
}

/// Places end-of-line labels at the right of `frame`, nudged apart so they never overlap.
pub fn spread_labels(mut wanted: Vec<(f64, String, RGBColor)>, gap: f64) -> Vec<(f64, String, RGBColor)> {
    wanted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut previous: Option<f64> = None;
    for item in wanted.iter_mut() {
        if let Some(p) = previous
            && item.0 < p + gap
        {
            item.0 = p + gap;
        }
        previous = Some(item.0);
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_scale(values: &[f64], include_zero: bool, min_span: f64, expected: (f64, f64)) {
        let scale = Scale::new(values.iter().copied(), include_zero, min_span, 5);
        assert!((scale.min - expected.0).abs() < 1e-9 && (scale.max - expected.1).abs() < 1e-9, "{scale:?}");
        assert!(scale.ticks.len() >= 2 && scale.ticks.len() <= 12, "{scale:?}");
        assert!(scale.ticks.iter().all(|t| t.is_finite()));
    }

    #[test]
    fn scales_cover_the_data_and_survive_degenerate_input() {
        check_scale(&[0.0031, 0.006], true, 0.0005, (0.0, 0.006));
        check_scale(&[], true, 0.0005, (0.0, 0.0005));
        check_scale(&[0.0, 0.0], true, 1.0, (0.0, 1.0));
        check_scale(&[f64::NAN, f64::INFINITY], true, 1.0, (0.0, 1.0));
        check_scale(&[-5.0, 3.0], true, 1.0, (-6.0, 4.0));
        check_scale(&[500.0, 500.0], false, 1.0, (499.4, 500.6));
        check_scale(&[-2.0, -1.0], true, 1.0, (-2.0, 0.0));
        // Air does not cross zero.
        check_scale(&[0.0001, 0.0062], false, 0.0005, (0.0, 0.008));
        check_scale(&[-0.0062, -0.0001], false, 0.0005, (-0.008, 0.0));
    }

    #[test]
    fn numbers_are_formatted_for_officials() {
        assert_eq!(percent(0.0101), "1.01%");
        assert_eq!(percent(-0.0), "0.00%");
        assert_eq!(percent(-0.00001), "0.00%");
        assert_eq!(percent(f64::NAN), "0.00%");
        assert_eq!(amount(0.125, 2), "0.13");
        assert_eq!(amount(999.996, 2), "1,000.00");
        assert_eq!(amount(1e300, 0), "9,000,000,000,000,000");
        assert_eq!(amount(22000.0, 0), "22,000");
        assert_eq!(amount(1234567.891, 2), "1,234,567.89");
        assert_eq!(amount(-5.0, 2), "−5.00");
        assert_eq!(amount(-0.001, 2), "0.00");
        assert_eq!(amount_short(525.0), "525");
        assert_eq!(amount_short(1.7), "1.7");
        assert_eq!(signed_amount(1.6, 2), "+1.60");
        assert_eq!(signed_amount(-5.0, 2), "−5.00");
        assert_eq!(signed_amount(0.0, 2), "0.00");
    }

    #[test]
    fn chinese_text_is_wider_than_digits() {
        assert!(text_width("不良贷款率", 10.0) > text_width("1.01%", 10.0));
        assert_eq!(text_width("", 10.0), 0.0);
    }
}
