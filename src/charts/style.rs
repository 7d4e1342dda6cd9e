//! The charts' look in one place: the colour-blind-safe palette and the sizes ([`Style`]) every chart draws with.

/// The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), distinguishable
/// with every common form of colour-vision deficiency, plus the neutrals of the page
/// (`www/style.css`: `--ink`, `--muted`, `--line`).
pub mod palette {
    use plotters::style::RGBColor;

    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

    /// Titles and emphasised figures (`--ink`).
    pub const INK: RGBColor = RGBColor(0x1d, 0x24, 0x30);
    /// Axis labels, legends and notes (`--muted`).
    pub const MUTED: RGBColor = RGBColor(0x5b, 0x65, 0x75);
    /// Grid lines (`--line`).
    pub const GRID: RGBColor = RGBColor(0xe6, 0xe9, 0xef);
    /// Axis lines and connectors.
    pub const AXIS: RGBColor = RGBColor(0x9a, 0xa3, 0xb0);
    /// The baseline (preset) wherever it is drawn beside the current scenario.
    pub const BASELINE: RGBColor = RGBColor(0x73, 0x7b, 0x87);
    pub const BACKGROUND: RGBColor = RGBColor(0xff, 0xff, 0xff);
}

/// What each thing is drawn in, so that a colour means the same in every chart.
pub mod role {
    use super::palette::*;
    use plotters::style::RGBColor;

    /// The current scenario's main line or bar.
    pub const CURRENT: RGBColor = BLUE;
    /// A target threshold (目标).
    pub const TARGET: RGBColor = VERMILLION;
    /// The national commercial-bank average (全国平均).
    pub const NATIONAL: RGBColor = ORANGE;
    /// Levels in the waterfall (opening and closing NPL): a neutral slate, apart from every channel.
    pub const LEVEL: RGBColor = RGBColor(0x4a, 0x55, 0x68);
    /// Deposits beside loans (which are [`CURRENT`]).
    pub const DEPOSITS: RGBColor = BLUISH_GREEN;
    /// New NPL in the waterfall: an increase, so the "warning" colour.
    pub const FORMATION: RGBColor = VERMILLION;
    /// The plan without actuals, beside the reported months and the re-forecast.
    pub const PLAN: RGBColor = REDDISH_PURPLE;
    /// Zones in the ranking; institutions are [`CURRENT`].
    pub const ZONE: RGBColor = BLUISH_GREEN;

    /// Each disposal channel, in `CHANNELS` order (collection, write_off, transfer,
    /// securitization, debt_equity, foreclosure, upgrade). Write-offs, the main channel of
    /// the plans, get the strongest colour; upgrade, which is not a removal, a neutral one.
    pub const CHANNELS: [RGBColor; 7] =
        [BLUISH_GREEN, BLUE, ORANGE, SKY_BLUE, REDDISH_PURPLE, YELLOW, RGBColor(0x55, 0x55, 0x55)];

    /// The colour of channel `index`; the neutral one for an index out of range.
    pub fn channel(index: usize) -> RGBColor {
        CHANNELS.get(index).copied().unwrap_or(RGBColor(0x55, 0x55, 0x55))
    }
}

/// Sizes the charts draw with, in pixels of the drawing backend.
///
/// [`Style::normal`] suits a chart about 800 × 400 CSS pixels; [`Style::large`] is for
/// presentation mode (a projector or a big screen); [`Style::scaled`] multiplies every
/// size, which the canvas uses for high-density screens.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// A CSS font-family list, unquoted (it goes into a canvas `font` and an SVG attribute).
    pub font_family: &'static str,
    /// The chart title.
    pub title_size: f64,
    /// Legend entries, axis names and tick labels.
    pub label_size: f64,
    /// Figures written on the chart (bar values, end-of-line values, target values).
    pub value_size: f64,
    /// The current scenario's lines.
    pub line_width: u32,
    /// Baseline, target and reference lines.
    pub secondary_line_width: u32,
    /// Grid lines, axes, outlines and connectors.
    pub thin_line_width: u32,
    /// Radius of a point marker.
    pub marker_radius: u32,
    /// Space around the chart and between its parts.
    pub padding: f64,
}

/// Font families the page uses (`www/style.css`), Chinese faces first.
const FONT_FAMILY: &str = "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, \
                           Source Han Sans SC, WenQuanYi Micro Hei, system-ui, sans-serif";

impl Style {
    /// The everyday size, for a chart about 800 × 400 CSS pixels.
    pub fn normal() -> Style {
        Style {
            font_family: FONT_FAMILY,
            title_size: 16.0,
            label_size: 12.0,
            value_size: 11.0,
            line_width: 2,
            secondary_line_width: 2,
            thin_line_width: 1,
            marker_radius: 3,
            padding: 12.0,
        }
    }

    /// Presentation mode: larger text and heavier lines, for a projector.
    pub fn large() -> Style {
        Style {
            font_family: FONT_FAMILY,
            title_size: 24.0,
            label_size: 18.0,
            value_size: 16.0,
            line_width: 4,
            secondary_line_width: 3,
            thin_line_width: 2,
            marker_radius: 5,
            padding: 18.0,
        }
    }

    /// Every size multiplied by `factor` (a device pixel ratio); a factor that is not
    /// finite and positive leaves the style as it is. Line widths stay at least 1.
    pub fn scaled(&self, factor: f64) -> Style {
        if !(factor.is_finite() && factor > 0.0) {
            return self.clone();
        }
        let width = |w: u32| ((f64::from(w) * factor).round().clamp(1.0, 64.0)) as u32;
        Style {
            font_family: self.font_family,
            title_size: self.title_size * factor,
            label_size: self.label_size * factor,
            value_size: self.value_size * factor,
            line_width: width(self.line_width),
            secondary_line_width: width(self.secondary_line_width),
            thin_line_width: width(self.thin_line_width),
            marker_radius: width(self.marker_radius),
            padding: self.padding * factor,
        }
    }
}

impl Default for Style {
    fn default() -> Style {
        Style::normal()
    }
}
