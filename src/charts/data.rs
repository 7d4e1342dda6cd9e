//! [`ChartData`]: everything the charts draw, taken from a projection once, as `f64`.
//!
//! This is the one place where the engine's decimals become floating point
//! (`ToPrimitive::to_f64`); the charts never see a `Decimal`, and nothing here
//! feeds back into a calculation. A value that does not convert to a finite
//! `f64`, and every null ratio, becomes `None` and is simply not drawn.

use delever_model::output::{MonthMetrics, Series};
use delever_model::scenario::{CHANNELS, Op, Scope, Target};
use delever_model::{Lang, Projection, Scenario, targets};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Chart;
use super::labels::Labels;

/// The charts' data for one projection, one selected year and one language.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub lang: Lang,
    pub labels: &'static Labels,
    /// The scenario's amount unit (`亿元` by default).
    pub unit: String,
    /// Projection month labels, `YYYY-MM`, one per month.
    pub months: Vec<String>,
    /// Whether a baseline projection was given.
    pub has_baseline: bool,

    /// Region NPL ratio by month (`None` where loans are zero).
    pub npl_ratio: Vec<Option<f64>>,
    /// The baseline's, aligned to [`ChartData::months`] by label.
    pub baseline_npl_ratio: Option<Vec<Option<f64>>>,
    /// Region `npl_ratio` targets, each over its year's months.
    pub npl_ratio_targets: Vec<Level>,
    /// The national commercial-bank NPL ratio for each projected year the reference table covers.
    pub national_average: Vec<Level>,

    /// With actuals: how many months from the start are reported (drawn solid; the
    /// re-forecast after them dashed); 0 without actuals.
    pub reported: usize,
    /// With actuals: the plan's region paths (the scenario without its actuals), by month.
    pub plan_npl_ratio: Option<Vec<Option<f64>>>,
    pub plan_deposits: Option<Vec<Option<f64>>>,
    pub plan_loans: Option<Vec<Option<f64>>>,

    /// Region deposits and loans by month.
    pub deposits: Vec<Option<f64>>,
    pub loans: Vec<Option<f64>>,
    pub baseline_deposits: Option<Vec<Option<f64>>>,
    pub baseline_loans: Option<Vec<Option<f64>>>,
    /// Region `deposits` and `loans` targets, each over its year's months.
    pub deposit_targets: Vec<Level>,
    pub loan_targets: Vec<Level>,

    /// The selected calendar year (`None` only for a projection without year-ends).
    pub year: Option<i32>,
    /// The region's NPL from the year's opening to its close: opening, formation,
    /// one negative step per non-zero disposal channel, closing.
    pub waterfall: Vec<Step>,
    /// The baseline's closing NPL for the same calendar year.
    pub baseline_closing_npl: Option<f64>,
    /// Region `npl` targets of the selected year (whole-year levels, `first_month`/`last_month` unused).
    pub npl_targets: Vec<Level>,

    /// The selected year's month labels (up to 12).
    pub disposal_months: Vec<String>,
    /// Region disposal by month of the selected year and channel, in `CHANNELS` order.
    pub disposal_by_channel: Vec<[f64; 7]>,
    /// The baseline's monthly disposal totals, aligned to [`ChartData::disposal_months`].
    pub baseline_disposal: Option<Vec<Option<f64>>>,
    /// The first-half boundary: months before this index are January–June
    /// (`None` if the year has no July).
    pub first_half_end: Option<usize>,

    /// Whether the ranking shows the assessment's totals (the scenario scores the selected
    /// year, MODEL.md section 10): then only the scored level is ranked, highest total first.
    pub ranking_scored: bool,
    /// Zones by their year-end `npl_change` in the selected year, most reduction first (or by
    /// their assessment total, [`ChartData::ranking_scored`]).
    pub zone_ranking: Vec<Rank>,
    /// Institutions likewise, labelled by name.
    pub institution_ranking: Vec<Rank>,

    /// Other named scenarios drawn over the NPL-ratio and balances charts for comparison
    /// (at most [`MAX_OTHERS`]; empty unless added with [`ChartData::add_other`]).
    pub others: Vec<OtherSeries>,
}

/// The most other scenarios [`ChartData::add_other`] keeps: each gets its own colour,
/// dash pattern and marker, and more lines than this would not be read.
pub const MAX_OTHERS: usize = 4;

/// Another scenario's region paths, aligned to [`ChartData::months`] by label (`None`
/// where it has no such month or the value is null).
#[derive(Clone, Debug, PartialEq)]
pub struct OtherSeries {
    /// The name the legend shows.
    pub name: String,
    pub npl_ratio: Vec<Option<f64>>,
    pub deposits: Vec<Option<f64>>,
    pub loans: Vec<Option<f64>>,
}

impl OtherSeries {
    /// `projection`'s region monthly paths, placed at the month labels `months`.
    pub fn build(name: &str, projection: &Projection, months: &[String]) -> OtherSeries {
        let pick = |pick: &dyn Fn(&MonthMetrics) -> Option<Decimal>| {
            align(months, &projection.months, &projection.region.monthly, pick)
        };
        OtherSeries {
            name: name.to_string(),
            npl_ratio: pick(&|m| m.npl_ratio()),
            deposits: pick(&|m| Some(m.deposits)),
            loans: pick(&|m| Some(m.loans)),
        }
    }
}

/// A horizontal level over a run of months: a target or a reference value.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    pub year: i32,
    /// Index of the first and last month (inclusive) in [`ChartData::months`].
    pub first_month: usize,
    pub last_month: usize,
    pub value: f64,
    /// `le` / `ge` for a target; `None` for a reference value.
    pub op: Option<Op>,
}

/// What a waterfall step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Opening,
    Formation,
    /// A disposal channel, by its index in `CHANNELS`.
    Channel(usize),
    Closing,
}

/// One waterfall bar: a level (opening, closing) or a signed change.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    pub label: &'static str,
    pub value: f64,
}

/// One row of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Rank {
    /// The zone name or institution id.
    pub id: String,
    /// What the chart writes: the zone name or the institution's name.
    pub label: String,
    /// Year-end `npl_change` (negative is a reduction).
    pub value: f64,
    /// The baseline's value for the same id and year.
    pub baseline: Option<f64>,
}

impl ChartData {
    /// Takes what the charts need from `projection` (of the scenario `current`), beside
    /// `baseline` when given, for the year-end at `year_index` (clamped to the last year).
    pub fn build(
        current: &Scenario,
        projection: &Projection,
        baseline: Option<&Projection>,
        year_index: usize,
        lang: Lang,
    ) -> ChartData {
        let months = projection.months.clone();
        let region = &projection.region.monthly;
        let aligned = |pick: &dyn Fn(&MonthMetrics) -> Option<Decimal>| {
            baseline.map(|b| align(&months, &b.months, &b.region.monthly, pick))
        };

        let year_ends = &projection.region.year_ends;
        let year_index = year_index.min(year_ends.len().saturating_sub(1));
        let year_end = year_ends.get(year_index);
        let year = year_end.map(|y| y.year);
        let year_months = year.map(|y| months_of_year(&months, y)).unwrap_or_default();

        let mut waterfall = Vec::new();
        if let Some(end) = year_end {
            let labels = Labels::of(lang);
            let opening = end.npl.checked_sub(end.npl_change).unwrap_or(end.npl);
            waterfall.push(Step { kind: StepKind::Opening, label: labels.opening, value: float(opening) });
            waterfall.push(Step {
                kind: StepKind::Formation,
                label: labels.formation,
                value: float(end.formation),
            });
            for (index, amount) in end.disposal_by_channel.iter().enumerate() {
                if !amount.is_zero() {
                    waterfall.push(Step {
                        kind: StepKind::Channel(index),
                        label: labels.channel(index),
                        value: -float(*amount),
                    });
                }
            }
            waterfall.push(Step { kind: StepKind::Closing, label: labels.closing, value: float(end.npl) });
        }

        let year_slice: Vec<&MonthMetrics> = year_months.iter().filter_map(|&m| region.get(m)).collect();
        let disposal_months: Vec<String> = year_slice.iter().map(|m| m.month.clone()).collect();
        let disposal_by_channel = year_slice
            .iter()
            .map(|m| {
                let mut flows = [0.0; CHANNELS.len()];
                for (slot, amount) in flows.iter_mut().zip(m.disposal_by_channel) {
                    *slot = float(amount);
                }
                flows
            })
            .collect();
        let baseline_disposal =
            baseline.map(|b| align(&disposal_months, &b.months, &b.region.monthly, &|m| Some(m.disposal)));
        let first_half_end = disposal_months.iter().position(|label| month_of(label) > Some(6));

        let baseline_year = |series: Option<&Series>| {
            series.and_then(|s| year.and_then(|y| s.year(y))).and_then(|end| finite(end.npl_change))
        };
        let mut zone_ranking: Vec<Rank> = projection
            .zones
            .iter()
            .filter_map(|(zone, series)| {
                let value = finite(series.year(year?)?.npl_change)?;
                let base = baseline.and_then(|b| b.zones.iter().find(|(z, _)| z == zone)).map(|(_, s)| s);
                Some(Rank { id: zone.clone(), label: zone.clone(), value, baseline: baseline_year(base) })
            })
            .collect();
        let mut institution_ranking: Vec<Rank> = projection
            .institutions
            .iter()
            .filter_map(|(id, series)| {
                let value = finite(series.year(year?)?.npl_change)?;
                let label = current
                    .institutions
                    .iter()
                    .find(|inst| &inst.id == id)
                    .map(|inst| inst.name.clone())
                    .filter(|name| !name.trim().is_empty())
                    .unwrap_or_else(|| id.clone());
                let base =
                    baseline.and_then(|b| b.institutions.iter().find(|(i, _)| i == id)).map(|(_, s)| s);
                Some(Rank { id: id.clone(), label, value, baseline: baseline_year(base) })
            })
            .collect();
        // Most reduction first; ties by label so that the order never depends on file order alone.
        let order = |a: &Rank, b: &Rank| a.value.total_cmp(&b.value).then_with(|| a.label.cmp(&b.label));
        zone_ranking.sort_by(order);
        institution_ranking.sort_by(order);
        // The assessment, when it scores this year, drives the ranking (the plan's 考核排名).
        let scores = projection.assessment.as_ref().filter(|s| Some(s.year) == year);
        if let Some(scores) = scores {
            let base = baseline.and_then(|b| b.assessment.as_ref()).filter(|b| b.year == scores.year);
            let ranked: Vec<Rank> = scores
                .entries
                .iter()
                .filter_map(|entry| {
                    let label = match scores.level {
                        delever_model::scenario::Level::Zone => entry.id.clone(),
                        delever_model::scenario::Level::Institution => current
                            .institutions
                            .iter()
                            .find(|inst| inst.id == entry.id)
                            .map(|inst| inst.name.clone())
                            .filter(|name| !name.trim().is_empty())
                            .unwrap_or_else(|| entry.id.clone()),
                    };
                    let baseline = base
                        .and_then(|b| b.entries.iter().find(|e| e.id == entry.id))
                        .and_then(|e| finite(e.total));
                    Some(Rank { id: entry.id.clone(), label, value: finite(entry.total)?, baseline })
                })
                .collect();
            match scores.level {
                delever_model::scenario::Level::Zone => {
                    zone_ranking = ranked;
                    institution_ranking.clear();
                }
                delever_model::scenario::Level::Institution => {
                    institution_ranking = ranked;
                    zone_ranking.clear();
                }
            }
        }

        let levels = |metric: &str| region_levels(&current.targets, metric, &months);
        let national_average = year_ends
            .iter()
            .filter_map(|end| {
                // The scenario's own assumption where it gives one (MODEL.md section 11).
                let figure = current.national_npl_ratio(end.year)?;
                let span = months_of_year(&months, end.year);
                Some(Level {
                    year: end.year,
                    first_month: *span.first()?,
                    last_month: *span.last()?,
                    value: finite(figure.ratio())?,
                    op: None,
                })
            })
            .collect();
        let npl_targets = match year {
            Some(y) => region_levels(&current.targets, "npl", &months)
                .into_iter()
                .filter(|level| level.year == y)
                .collect(),
            None => Vec::new(),
        };

        let plan = projection.plan.as_ref().map(|plan| &plan.monthly);
        let plan_path = |pick: &dyn Fn(&MonthMetrics) -> Option<Decimal>| {
            plan.map(|monthly| monthly.iter().map(|m| pick(m).and_then(finite)).collect())
        };

        ChartData {
            lang,
            reported: region.iter().take_while(|m| m.actual).count(),
            plan_npl_ratio: plan_path(&|m| m.npl_ratio()),
            plan_deposits: plan_path(&|m| Some(m.deposits)),
            plan_loans: plan_path(&|m| Some(m.loans)),
            labels: Labels::of(lang),
            unit: current.unit.clone(),
            has_baseline: baseline.is_some(),
            npl_ratio: region.iter().map(|m| m.npl_ratio().and_then(finite)).collect(),
            baseline_npl_ratio: aligned(&|m| m.npl_ratio()),
            npl_ratio_targets: levels("npl_ratio"),
            national_average,
            deposits: region.iter().map(|m| finite(m.deposits)).collect(),
            loans: region.iter().map(|m| finite(m.loans)).collect(),
            baseline_deposits: aligned(&|m| Some(m.deposits)),
            baseline_loans: aligned(&|m| Some(m.loans)),
            deposit_targets: levels("deposits"),
            loan_targets: levels("loans"),
            year,
            waterfall,
            baseline_closing_npl: baseline.and_then(|b| b.region.year(year?)).and_then(|end| finite(end.npl)),
            npl_targets,
            disposal_months,
            disposal_by_channel,
            baseline_disposal,
            first_half_end,
            ranking_scored: scores.is_some(),
            zone_ranking,
            institution_ranking,
            others: Vec::new(),
            months,
        }
    }

    /// Adds another scenario's paths, named `name`, to compare with on the NPL-ratio and
    /// balances charts; beyond [`MAX_OTHERS`] scenarios it does nothing and returns `false`.
    pub fn add_other(&mut self, name: &str, projection: &Projection) -> bool {
        if self.others.len() >= MAX_OTHERS {
            return false;
        }
        self.others.push(OtherSeries::build(name, projection, &self.months));
        true
    }

    /// `self` with [`ChartData::add_other`] of each `(name, projection)`, the first [`MAX_OTHERS`] kept.
    pub fn with_others<'a>(
        mut self,
        others: impl IntoIterator<Item = (&'a str, &'a Projection)>,
    ) -> ChartData {
        for (name, projection) in others {
            self.add_other(name, projection);
        }
        self
    }

    /// Whether `chart` draws the same picture of `self` as of `other`: every field it
    /// reads (its title's year and language included) is equal.
    ///
    /// The charts panel keeps a chart's old data when this holds, so a change that leaves
    /// a chart as it was (a new year for the monthly charts, a lever that moves no bar of
    /// the ranking) does not redraw it; comparing is far cheaper than drawing (at most
    /// a few hundred numbers and names). The fields are listed exhaustively below, so a
    /// new field does not compile until it is placed with the charts that draw it.
    pub fn draws_same(&self, other: &ChartData, chart: Chart) -> bool {
        let ChartData {
            lang,
            // Derived from `lang`.
            labels: _,
            unit,
            months,
            has_baseline,
            npl_ratio,
            baseline_npl_ratio,
            npl_ratio_targets,
            national_average,
            reported,
            plan_npl_ratio,
            plan_deposits,
            plan_loans,
            deposits,
            loans,
            baseline_deposits,
            baseline_loans,
            deposit_targets,
            loan_targets,
            year,
            waterfall,
            baseline_closing_npl,
            npl_targets,
            disposal_months,
            disposal_by_channel,
            baseline_disposal,
            first_half_end,
            ranking_scored,
            zone_ranking,
            institution_ranking,
            others,
        } = self;
        let unit_same = *unit == other.unit;
        *lang == other.lang
            && match chart {
                Chart::NplRatio => {
                    *months == other.months
                        && *npl_ratio == other.npl_ratio
                        && *baseline_npl_ratio == other.baseline_npl_ratio
                        && *npl_ratio_targets == other.npl_ratio_targets
                        && *national_average == other.national_average
                        && *reported == other.reported
                        && *plan_npl_ratio == other.plan_npl_ratio
                        && *others == other.others
                }
                Chart::Balances => {
                    unit_same
                        && *months == other.months
                        && *deposits == other.deposits
                        && *loans == other.loans
                        && *baseline_deposits == other.baseline_deposits
                        && *baseline_loans == other.baseline_loans
                        && *deposit_targets == other.deposit_targets
                        && *loan_targets == other.loan_targets
                        && *reported == other.reported
                        && *plan_deposits == other.plan_deposits
                        && *plan_loans == other.plan_loans
                        && *others == other.others
                }
                Chart::Waterfall => {
                    unit_same
                        && *year == other.year
                        && *waterfall == other.waterfall
                        && *baseline_closing_npl == other.baseline_closing_npl
                        && *npl_targets == other.npl_targets
                }
                Chart::Disposal => {
                    unit_same
                        && *year == other.year
                        && *disposal_months == other.disposal_months
                        && *disposal_by_channel == other.disposal_by_channel
                        && *baseline_disposal == other.baseline_disposal
                        && *first_half_end == other.first_half_end
                }
                Chart::Ranking => {
                    unit_same
                        && *has_baseline == other.has_baseline
                        && *year == other.year
                        && *ranking_scored == other.ranking_scored
                        && *zone_ranking == other.zone_ranking
                        && *institution_ranking == other.institution_ranking
                }
            }
    }

    /// The title `chart` is drawn with: its name, with the selected year where the chart is about one year.
    pub fn title(&self, chart: Chart) -> String {
        let labels = self.labels;
        match chart {
            Chart::NplRatio => labels.npl_ratio_title.to_string(),
            Chart::Balances => labels.balances_title.to_string(),
            Chart::Waterfall => labels.with_year(self.lang, labels.waterfall_title, self.year),
            Chart::Disposal => labels.with_year(self.lang, labels.disposal_title, self.year),
            Chart::Ranking if self.ranking_scored => {
                labels.with_year(self.lang, labels.score_title, self.year)
            }
            Chart::Ranking => labels.with_year(self.lang, labels.ranking_title, self.year),
        }
    }
}

/// A decimal as a finite `f64`, or `None`.
pub(super) fn finite(value: Decimal) -> Option<f64> {
    value.to_f64().filter(|v| v.is_finite())
}

/// A decimal as a finite `f64`, or 0 (for amounts that are never null).
fn float(value: Decimal) -> f64 {
    finite(value).unwrap_or(0.0)
}

/// The month (1 … 12) of a `YYYY-MM` label.
fn month_of(label: &str) -> Option<u32> {
    label.split_once('-').and_then(|(_, month)| month.parse().ok())
}

/// The year of a `YYYY-MM` label.
fn year_of(label: &str) -> Option<i32> {
    label.split_once('-').and_then(|(year, _)| year.parse().ok())
}

/// Indices of the months of calendar `year`, in order.
pub(super) fn months_of_year(months: &[String], year: i32) -> Vec<usize> {
    months.iter().enumerate().filter(|(_, label)| year_of(label) == Some(year)).map(|(i, _)| i).collect()
}

/// `pick` of the baseline's months, placed at the same month labels as `months` (`None` where it has none).
pub(super) fn align(
    months: &[String],
    baseline_months: &[String],
    baseline_monthly: &[MonthMetrics],
    pick: &dyn Fn(&MonthMetrics) -> Option<Decimal>,
) -> Vec<Option<f64>> {
    // Month labels are `YYYY-MM`, so sorted text is sorted time: a binary search. (A
    // HashMap here cost about 1.5 KB of gzipped wasm after `wasm-opt -Oz`, measured.)
    months
        .iter()
        .map(|label| {
            let m = baseline_months.binary_search(label).ok()?;
            baseline_monthly.get(m).and_then(pick).and_then(finite)
        })
        .collect()
}

/// The region targets on `metric`, as levels over their year's months; a target whose
/// year is outside the projection has no months and is left out.
pub(super) fn region_levels(targets: &[Target], metric: &str, months: &[String]) -> Vec<Level> {
    targets
        .iter()
        .filter(|t| t.scope == Scope::Region && t.metric == metric)
        .filter_map(|t| {
            let span = months_of_year(months, t.year);
            Some(Level {
                year: t.year,
                first_month: *span.first()?,
                last_month: *span.last()?,
                value: finite(targets::threshold(t))?,
                op: Some(t.op),
            })
        })
        .collect()
}
