//! Other scenarios over the NPL-ratio and balances charts: each its own colour, dash pattern and marker, named in the legend.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::data::{MAX_OTHERS, OtherSeries};
use super::frame::{Dash, DrawResult, Frame, LegendItem, Marker, Pen, Swatch, ellipsize};
use super::series::runs;
use super::style::palette;

/// How the `k`-th other scenario is drawn: distinct without colour (pattern and marker
/// differ too), and apart from the current scenario (blue), the baseline (grey) and targets (vermillion).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OtherLook {
    pub colour: RGBColor,
    pub dash: Dash,
    pub marker: Marker,
}

/// One look per compared scenario, in the order they were added.
pub const LOOKS: [OtherLook; MAX_OTHERS] = [
    OtherLook { colour: palette::REDDISH_PURPLE, dash: Dash::Long, marker: Marker::Circle },
    OtherLook { colour: palette::SKY_BLUE, dash: Dash::Dotted, marker: Marker::Square },
    OtherLook { colour: palette::BLACK, dash: Dash::Dashed, marker: Marker::Triangle },
    OtherLook { colour: palette::ORANGE, dash: Dash::Long, marker: Marker::Diamond },
];

/// The look of the `index`-th other scenario (the last one's beyond [`MAX_OTHERS`]).
pub fn look(index: usize) -> OtherLook {
    LOOKS[index.min(LOOKS.len() - 1)]
}

/// Legend entries naming the other scenarios (long names shortened).
pub fn legend(others: &[OtherSeries], label_size: f64) -> impl Iterator<Item = LegendItem> + '_ {
    others.iter().take(MAX_OTHERS).enumerate().map(move |(index, other)| {
        let look = look(index);
        let name = ellipsize(&other.name, label_size * 14.0, label_size);
        LegendItem::new(Swatch::Pattern(look.colour, look.dash, look.marker), name)
    })
}

/// The `index`-th other scenario's monthly `values` (x = month index): its pattern, and
/// its marker every few months (staggered between scenarios so markers do not stack).
pub fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    frame: &Frame,
    values: &[Option<f64>],
    index: usize,
) -> DrawResult<DB> {
    let style = pen.style;
    let look = look(index);
    let every = values.len().div_ceil(8).max(1);
    let offset = (index * every / MAX_OTHERS) % every;
    for run in runs(frame, values) {
        pen.styled_line(&run, look.colour, style.secondary_line_width, look.dash)?;
    }
    for (month, value) in values.iter().enumerate() {
        let Some(value) = value.filter(|v| v.is_finite()) else { continue };
        let lone = month.checked_sub(1).and_then(|m| values.get(m)).is_none_or(Option::is_none)
            && values.get(month + 1).is_none_or(Option::is_none);
        if month % every == offset || lone {
            let at = (frame.x(month as f64), frame.y(value));
            pen.marker(look.marker, at, style.marker_radius, look.colour)?;
        }
    }
    Ok(())
}
