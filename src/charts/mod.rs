//! The app's charts, written once against plotters' `DrawingBackend`: a canvas in the
//! browser (`components::canvas`), an SVG string in native tests.
//!
//! [`ChartData::build`] takes what the charts need from a projection (the only place
//! decimals become `f64`); [`draw`] draws one [`Chart`] of it in a [`Style`]. No chart
//! touches `web_sys`, and none panics: empty series, zero ranges and non-finite values
//! are drawn as "no data" or left out.

pub mod data;
pub mod labels;
pub mod style;

mod balances;
mod disposal;
mod frame;
mod npl_ratio;
mod ranking;
mod series;
mod waterfall;

#[cfg(test)]
mod tests;

use delever_model::Lang;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};

pub use balances::draw_balances;
pub use data::{ChartData, Level, Rank, Step, StepKind};
pub use disposal::draw_disposal;
pub use labels::Labels;
pub use npl_ratio::draw_npl_ratio;
pub use ranking::draw_ranking;
pub use style::Style;
pub use waterfall::draw_waterfall;

/// One of the app's charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Chart {
    /// The region's monthly NPL ratio, targets and the national average.
    NplRatio,
    /// The region's monthly deposits and loans, with their targets.
    Balances,
    /// The selected year's NPL from opening to closing, step by step.
    Waterfall,
    /// The selected year's monthly disposal, stacked by channel.
    Disposal,
    /// Zones and institutions by their change in NPL over the selected year.
    Ranking,
}

impl Chart {
    /// Every chart, in the order the page shows them.
    pub const ALL: [Chart; 5] =
        [Chart::NplRatio, Chart::Balances, Chart::Waterfall, Chart::Disposal, Chart::Ranking];

    /// A stable id for the page and tests (`data-chart`) and for file names.
    pub fn id(self) -> &'static str {
        match self {
            Chart::NplRatio => "npl_ratio",
            Chart::Balances => "balances",
            Chart::Waterfall => "waterfall",
            Chart::Disposal => "disposal",
            Chart::Ranking => "ranking",
        }
    }

    /// The chart with this id.
    pub fn from_id(id: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|chart| chart.id() == id)
    }

    /// The chart's name in `lang` (the drawn title adds the year where the chart is about one:
    /// see [`ChartData::title`]).
    pub fn title(self, lang: Lang) -> &'static str {
        let labels = Labels::of(lang);
        match self {
            Chart::NplRatio => labels.npl_ratio_title,
            Chart::Balances => labels.balances_title,
            Chart::Waterfall => labels.waterfall_title,
            Chart::Disposal => labels.disposal_title,
            Chart::Ranking => labels.ranking_title,
        }
    }
}

/// Draws `chart` of `data` on the whole of `area` in `style`.
///
/// Errors are the backend's own (a canvas or SVG failure); the data cannot make a chart fail.
pub fn draw<DB: DrawingBackend>(
    chart: Chart,
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &Style,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match chart {
        Chart::NplRatio => draw_npl_ratio(area, data, style),
        Chart::Balances => draw_balances(area, data, style),
        Chart::Waterfall => draw_waterfall(area, data, style),
        Chart::Disposal => draw_disposal(area, data, style),
        Chart::Ranking => draw_ranking(area, data, style),
    }
}
