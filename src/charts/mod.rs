//! The app's charts, written once against plotters' `DrawingBackend`: a canvas in the
//! browser (`components::canvas`), an SVG string in native tests.
//!
//! [`ChartData::build`] takes what the charts need from a projection, and
//! [`TornadoData::build`], [`MapData::build`] and [`FanData::build`] from the analyses
//! (the only places decimals become `f64`); [`draw`] draws one [`Chart`] of a projection
//! in a [`Style`], [`draw_figure`] any [`Figure`], analyses included. No chart touches
//! `web_sys`, and none panics: empty series, zero ranges and non-finite values are drawn
//! as "no data" or left out.

pub mod analysis_data;
pub mod batch;
pub mod data;
pub mod labels;
pub mod style;

mod balances;
mod disposal;
mod fan;
mod frame;
mod map;
mod npl_ratio;
mod overlay;
mod ranking;
mod series;
mod tornado;
mod waterfall;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_analyses;
#[cfg(test)]
mod tests_batch;

use std::rc::Rc;

use delever_model::Lang;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};

pub use analysis_data::{FanData, LeverInfo, MapAxis, MapData, TornadoBar, TornadoData, ValueKind};
pub use balances::draw_balances;
pub use data::{ChartData, Level, MAX_OTHERS, OtherSeries, Rank, Step, StepKind};
pub use disposal::draw_disposal;
pub use fan::draw_fan;
pub use labels::Labels;
pub use map::{
    MapLayout, current_cell, draw_map, draw_map_cursor, map_cell_at, met_outline, scale_colour,
    threshold_contour,
};
pub use npl_ratio::draw_npl_ratio;
pub use overlay::{LOOKS as OTHER_LOOKS, OtherLook};
pub use ranking::draw_ranking;
pub use style::Style;
pub use tornado::draw_tornado;
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

/// Anything the page draws on a canvas: a chart of a projection or an analysis chart.
///
/// The data is shared (`Rc`) and compared by pointer ([`Figure::same`]): a new `Rc` is a
/// new version to draw, the same `Rc` is the same picture.
#[derive(Clone, Debug)]
pub enum Figure {
    /// One of the projection charts.
    Chart(Chart, Rc<ChartData>),
    /// The sensitivity tornado.
    Tornado(Rc<TornadoData>),
    /// The feasibility map (its cells can be hit-tested: [`map_cell_at`]).
    Map(Rc<MapData>),
    /// The Monte Carlo fan.
    Fan(Rc<FanData>),
}

impl Figure {
    /// A stable id for the page and tests (`data-chart`) and for file names.
    pub fn id(&self) -> &'static str {
        match self {
            Figure::Chart(chart, _) => chart.id(),
            Figure::Tornado(_) => "tornado",
            Figure::Map(_) => "feasibility",
            Figure::Fan(_) => "monte_carlo",
        }
    }

    /// The title it is drawn with (also the canvas's accessible name).
    pub fn title(&self) -> String {
        match self {
            Figure::Chart(chart, data) => data.title(*chart),
            Figure::Tornado(data) => data.title(),
            Figure::Map(data) => data.title(),
            Figure::Fan(data) => data.title(),
        }
    }

    /// Whether `other` is the same picture: the same kind of chart of the same data (by pointer).
    pub fn same(&self, other: &Figure) -> bool {
        match (self, other) {
            (Figure::Chart(a, x), Figure::Chart(b, y)) => a == b && Rc::ptr_eq(x, y),
            (Figure::Tornado(x), Figure::Tornado(y)) => Rc::ptr_eq(x, y),
            (Figure::Map(x), Figure::Map(y)) => Rc::ptr_eq(x, y),
            (Figure::Fan(x), Figure::Fan(y)) => Rc::ptr_eq(x, y),
            _ => false,
        }
    }
}

impl PartialEq for Figure {
    /// [`Figure::same`]: by pointer, so comparing never walks the data.
    fn eq(&self, other: &Figure) -> bool {
        self.same(other)
    }
}

/// Draws `figure` on the whole of `area` in `style`.
///
/// Errors are the backend's own (a canvas or SVG failure); the data cannot make a chart fail.
pub fn draw_figure<DB: DrawingBackend>(
    figure: &Figure,
    area: &DrawingArea<DB, Shift>,
    style: &Style,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match figure {
        Figure::Chart(chart, data) => draw(*chart, area, data, style),
        Figure::Tornado(data) => draw_tornado(area, data, style),
        Figure::Map(data) => draw_map(area, data, style),
        Figure::Fan(data) => draw_fan(area, data, style),
    }
}
