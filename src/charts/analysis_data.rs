//! The analysis charts' data ([`TornadoData`], [`MapData`], [`FanData`]), taken once from the engine's answers as `f64`.
//!
//! Like [`ChartData`](super::ChartData), this is where decimals become floating point
//! for drawing only: a value that does not convert to a finite `f64`, and every null,
//! becomes `None` and is drawn as "not computable" or left out.

use delever_model::analysis::{Feasibility, MonteCarlo, Sensitivity};
use delever_model::scenario::{Disposal, Op, Scope};
use delever_model::{Lang, Lever, Projection, Scenario, metrics, targets};

use super::data::{Level, align, finite, region_levels};
use super::frame::{amount_short, percent, percent_short};
use super::labels::Labels;

/// How a value is written: a ratio as a percentage, an amount in the scenario's unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Percent,
    Amount,
}

impl ValueKind {
    /// Ratios (`npl_ratio`, `coverage`, …) are percentages; every other metric is an amount.
    pub fn of_metric(metric: &str) -> ValueKind {
        if metrics::is_ratio(metric) { ValueKind::Percent } else { ValueKind::Amount }
    }

    /// The disposal lever of an amount plan is an amount; every other lever is a rate.
    pub fn of_lever(lever: Lever, scenario: &Scenario) -> ValueKind {
        match (lever, &scenario.defaults.disposal) {
            (Lever::Disposal, Disposal::Amount(_)) => ValueKind::Amount,
            _ => ValueKind::Percent,
        }
    }

    /// A lever value or target as people write it: `8.5%`, `10 亿元`.
    pub fn short(self, value: f64, unit: &str) -> String {
        match self {
            ValueKind::Percent => percent_short(value),
            ValueKind::Amount if unit.is_empty() => amount_short(value),
            ValueKind::Amount => format!("{} {unit}", amount_short(value)),
        }
    }

    /// A metric value with a fixed number of places: `0.27%` (two places of percent), `1.62` (two decimals).
    pub fn fixed(self, value: f64) -> String {
        match self {
            ValueKind::Percent => percent(value),
            ValueKind::Amount => super::frame::amount(value, 2),
        }
    }
}

/// A lever as a chart names and writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverInfo {
    pub lever: Lever,
    /// Its name in the chart's language.
    pub name: &'static str,
    pub kind: ValueKind,
}

impl LeverInfo {
    pub fn new(lever: Lever, scenario: &Scenario, labels: &Labels) -> LeverInfo {
        let rate_plan = matches!(scenario.defaults.disposal, Disposal::Rate(_));
        LeverInfo { lever, name: labels.lever(lever, rate_plan), kind: ValueKind::of_lever(lever, scenario) }
    }
}

/// The tornado's data: one year-end region metric as each lever moves down and up by 20%.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoData {
    pub lang: Lang,
    pub labels: &'static Labels,
    /// The scenario's amount unit (`亿元` by default).
    pub unit: String,
    /// The metric's id (`npl_ratio`) and name in `lang`.
    pub metric: String,
    pub metric_name: String,
    pub kind: ValueKind,
    pub year: i32,
    /// The metric in the scenario as it is (`None` if null).
    pub base: Option<f64>,
    /// One per lever, in the order given (largest swing first).
    pub bars: Vec<TornadoBar>,
}

/// One lever's bar: its values moved down and up, and the metric at each.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub lever: LeverInfo,
    pub low: f64,
    pub high: f64,
    pub at_low: Option<f64>,
    pub at_high: Option<f64>,
}

impl TornadoData {
    /// `sensitivity` of `scenario`, for drawing in `lang`.
    pub fn build(sensitivity: &Sensitivity, scenario: &Scenario, lang: Lang) -> TornadoData {
        let labels = Labels::of(lang);
        let bars = sensitivity
            .bars
            .iter()
            .map(|bar| TornadoBar {
                lever: LeverInfo::new(bar.lever, scenario, labels),
                low: finite(bar.low).unwrap_or(0.0),
                high: finite(bar.high).unwrap_or(0.0),
                at_low: bar.at_low.and_then(finite),
                at_high: bar.at_high.and_then(finite),
            })
            .collect();
        TornadoData {
            lang,
            labels,
            unit: scenario.unit.clone(),
            metric: sensitivity.metric.clone(),
            metric_name: crate::i18n::metric_name(lang, &sensitivity.metric).to_string(),
            kind: ValueKind::of_metric(&sensitivity.metric),
            year: sensitivity.year,
            base: sensitivity.base.and_then(finite),
            bars,
        }
    }

    /// The title the tornado is drawn with.
    pub fn title(&self) -> String {
        self.labels.tornado_title(self.lang, &self.metric_name, self.year)
    }
}

/// One axis of the feasibility map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapAxis {
    pub lever: LeverInfo,
    /// The grid's lever values, evenly spaced and increasing (cell `i` is value `i`).
    pub values: Vec<f64>,
    /// The scenario's own value of the lever (its first year), where the marker goes.
    pub current: Option<f64>,
}

/// The feasibility map's data: a grid of two levers, each cell's metric and whether every target is met.
#[derive(Clone, Debug, PartialEq)]
pub struct MapData {
    pub lang: Lang,
    pub labels: &'static Labels,
    pub unit: String,
    pub metric: String,
    pub metric_name: String,
    pub kind: ValueKind,
    pub year: i32,
    pub x: MapAxis,
    pub y: MapAxis,
    /// `values[j][i]`: y value `j`, x value `i` (`None`: null or the run stopped).
    pub values: Vec<Vec<Option<f64>>>,
    /// `met[j][i]`: every target met there.
    pub met: Vec<Vec<bool>>,
    /// The "red line": where the metric crosses this value (a region target on the
    /// metric in the map's year), with the target's direction.
    pub threshold: Option<f64>,
    pub threshold_op: Option<Op>,
}

impl MapData {
    /// `feasibility` of `scenario`, for drawing in `lang`. The red line is the first region
    /// target on the map's metric and year, if there is one; the marker is at the levers'
    /// current values ([`Lever::current`]).
    pub fn build(feasibility: &Feasibility, scenario: &Scenario, lang: Lang) -> MapData {
        let labels = Labels::of(lang);
        let axis = |lever: Lever, values: &[rust_decimal::Decimal]| MapAxis {
            lever: LeverInfo::new(lever, scenario, labels),
            values: values.iter().map(|v| finite(*v).unwrap_or(0.0)).collect(),
            current: finite(lever.current(scenario)),
        };
        let target = scenario.targets.iter().find(|t| {
            t.scope == Scope::Region && t.metric == feasibility.metric && t.year == feasibility.year
        });
        MapData {
            lang,
            labels,
            unit: scenario.unit.clone(),
            metric: feasibility.metric.clone(),
            metric_name: crate::i18n::metric_name(lang, &feasibility.metric).to_string(),
            kind: ValueKind::of_metric(&feasibility.metric),
            year: feasibility.year,
            x: axis(feasibility.x, &feasibility.x_values),
            y: axis(feasibility.y, &feasibility.y_values),
            values: feasibility
                .cells
                .iter()
                .map(|row| row.iter().map(|cell| cell.value.and_then(finite)).collect())
                .collect(),
            met: feasibility.cells.iter().map(|row| row.iter().map(|cell| cell.all_met).collect()).collect(),
            threshold: target.and_then(|t| finite(targets::threshold(t))),
            threshold_op: target.map(|t| t.op),
        }
    }

    /// The title the map is drawn with.
    pub fn title(&self) -> String {
        self.labels.map_title(self.lang, &self.metric_name, self.year)
    }

    /// The number of columns (x values) and rows (y values).
    pub fn size(&self) -> (usize, usize) {
        (self.x.values.len(), self.y.values.len())
    }

    /// Cell `(i, j)`'s value (`None` out of the grid or null).
    pub fn value(&self, i: usize, j: usize) -> Option<f64> {
        self.values.get(j).and_then(|row| row.get(i)).copied().flatten().filter(|v| v.is_finite())
    }

    /// Whether every target is met at cell `(i, j)` (`false` out of the grid).
    pub fn is_met(&self, i: usize, j: usize) -> bool {
        self.met.get(j).and_then(|row| row.get(i)).copied().unwrap_or(false)
    }

    /// One line about cell `(i, j)` for a tooltip or a screen reader:
    /// `处置金额 8 亿元，核销占比 50%：不良贷款率 0.35%，全部目标达成`; `None` out of the grid.
    pub fn describe(&self, i: usize, j: usize) -> Option<String> {
        let x = self.x.values.get(i)?;
        let y = self.y.values.get(j)?;
        let value = match self.value(i, j) {
            Some(v) => self.kind.fixed(v),
            None => self.labels.infeasible.to_string(),
        };
        let met = if self.is_met(i, j) { self.labels.cell_met } else { "" };
        let (x, y) = (self.x.lever.kind.short(*x, &self.unit), self.y.lever.kind.short(*y, &self.unit));
        let (xn, yn, mn) = (self.x.lever.name, self.y.lever.name, &self.metric_name);
        let text = match self.lang {
            Lang::Zh if met.is_empty() => format!("{xn} {x}，{yn} {y}：{mn} {value}"),
            Lang::Zh => format!("{xn} {x}，{yn} {y}：{mn} {value}，{met}"),
            Lang::En if met.is_empty() => format!("{xn} {x}, {yn} {y}: {mn} {value}"),
            Lang::En => format!("{xn} {x}, {yn} {y}: {mn} {value}; {met}"),
        };
        Some(text)
    }
}

/// The Monte Carlo fan's data: one monthly region metric's percentiles over the paths,
/// beside the deterministic projection and the metric's targets.
#[derive(Clone, Debug, PartialEq)]
pub struct FanData {
    pub lang: Lang,
    pub labels: &'static Labels,
    pub unit: String,
    pub metric: String,
    pub metric_name: String,
    pub kind: ValueKind,
    /// Month labels, `YYYY-MM`.
    pub months: Vec<String>,
    /// Per month: p5, p25, p50, p75, p95.
    pub bands: Vec<[Option<f64>; 5]>,
    /// The deterministic projection of the same metric, aligned to `months`.
    pub projection: Vec<Option<f64>>,
    /// Region targets on the metric, each over its year's months.
    pub targets: Vec<Level>,
    /// Each target's share of paths meeting it (a fraction), in `targets` order.
    pub probabilities: Vec<Option<f64>>,
    pub paths: usize,
    /// Paths that stopped and are left out of the percentiles.
    pub failed: usize,
}

impl FanData {
    /// The percentiles of `metric` (`npl_ratio`, `npl`, `loans`, …) in `monte_carlo` of
    /// `scenario`, beside its deterministic `projection`. A metric the run did not report
    /// gives no bands (the chart says there is no data).
    pub fn build(
        monte_carlo: &MonteCarlo,
        metric: &str,
        scenario: &Scenario,
        projection: &Projection,
        lang: Lang,
    ) -> FanData {
        let bands = monte_carlo.percentiles.iter().find(|(name, _)| name == metric).map(|(_, bands)| bands);
        let months: Vec<String> = match bands {
            Some(bands) => bands.iter().map(|band| band.month.clone()).collect(),
            None => projection.months.clone(),
        };
        let bands = bands
            .map(|bands| bands.iter().map(|band| band.values.map(|v| v.and_then(finite))).collect())
            .unwrap_or_default();
        let pick = |m: &delever_model::output::MonthMetrics| m.get(metric);
        let projection_values = align(&months, &projection.months, &projection.region.monthly, &pick);
        // Each target on its own, so that its level and its probability stay together.
        let mut targets = Vec::new();
        let mut probabilities = Vec::new();
        for target in scenario.targets.iter().filter(|t| t.scope == Scope::Region && t.metric == metric) {
            for level in region_levels(std::slice::from_ref(target), metric, &months) {
                let share = monte_carlo.targets.iter().find(|(id, _)| id == &target.id);
                probabilities.push(share.and_then(|(_, share)| finite(*share)));
                targets.push(level);
            }
        }
        FanData {
            lang,
            labels: Labels::of(lang),
            unit: scenario.unit.clone(),
            metric: metric.to_string(),
            metric_name: crate::i18n::metric_name(lang, metric).to_string(),
            kind: ValueKind::of_metric(metric),
            months,
            bands,
            projection: projection_values,
            targets,
            probabilities,
            paths: monte_carlo.paths,
            failed: monte_carlo.failed,
        }
    }

    /// The title the fan is drawn with.
    pub fn title(&self) -> String {
        self.labels.fan_title(self.lang, &self.metric_name, &super::frame::amount(self.paths as f64, 0))
    }
}
