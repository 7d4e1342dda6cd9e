//! The analyses of MODEL.md section 5: goal seek, sensitivity (tornado), feasibility map and Monte Carlo.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::error::{AnalysisProblem, Error};
use crate::metrics;
use crate::num::{decimal_json, fmt_decimal};
use crate::scenario::{Disposal, Scenario, channel};
use crate::validate::MAX_AMOUNT;

mod job;
pub mod pool;
mod probe;
pub mod request;

pub use job::{Analysis, Job};
pub use request::Request;

/// A lever: one driver of the region defaults that an analysis moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lever {
    /// The default disposal plan's amount (or rate, for a rate plan).
    Disposal,
    /// The write-off share of disposal; the other channels rescale in proportion.
    WriteOffShare,
    LoanGrowth,
    DepositGrowth,
    NplFormationRate,
}

impl Lever {
    /// Every lever, in the order analyses list them.
    pub const ALL: [Lever; 5] = [
        Lever::Disposal,
        Lever::WriteOffShare,
        Lever::LoanGrowth,
        Lever::DepositGrowth,
        Lever::NplFormationRate,
    ];
    pub const NAMES: [&'static str; 5] =
        ["disposal", "write_off_share", "loan_growth", "deposit_growth", "npl_formation_rate"];

    pub fn parse(text: &str) -> Result<Lever, AnalysisProblem> {
        Lever::NAMES
            .iter()
            .position(|n| *n == text)
            .and_then(|i| Lever::ALL.get(i).copied())
            .ok_or_else(|| AnalysisProblem::UnknownLever { lever: text.to_string() })
    }

    pub fn name(self) -> &'static str {
        match self {
            Lever::Disposal => "disposal",
            Lever::WriteOffShare => "write_off_share",
            Lever::LoanGrowth => "loan_growth",
            Lever::DepositGrowth => "deposit_growth",
            Lever::NplFormationRate => "npl_formation_rate",
        }
    }

    /// The goal-seek range of the lever for this scenario.
    pub fn range(self, scenario: &Scenario) -> (Decimal, Decimal) {
        let growth = (Decimal::new(-2, 1), Decimal::new(5, 1));
        match self {
            Lever::Disposal => match scenario.defaults.disposal {
                Disposal::Rate(_) => (Decimal::ZERO, Decimal::ONE),
                Disposal::Amount(_) => {
                    // 2 × (the region's opening NPL + its first-year estimated formation Σ f_i × P0_i).
                    let mut total = Decimal::ZERO;
                    for (i, inst) in scenario.institutions.iter().enumerate() {
                        let f = scenario.drivers_of(i).npl_formation_rate.get(0);
                        let p0 = inst.opening.loans.checked_sub(inst.opening.npl).unwrap_or_default();
                        let formation = f.checked_mul(p0).unwrap_or_default();
                        total = total
                            .checked_add(inst.opening.npl)
                            .and_then(|t| t.checked_add(formation))
                            .unwrap_or(total);
                    }
                    (Decimal::ZERO, total.checked_mul(Decimal::TWO).unwrap_or(total).min(MAX_AMOUNT))
                }
            },
            Lever::WriteOffShare => (Decimal::ZERO, Decimal::ONE),
            Lever::LoanGrowth | Lever::DepositGrowth => growth,
            Lever::NplFormationRate => (Decimal::ZERO, Decimal::new(2, 1)),
        }
    }

    /// The bounds the scenario rules allow for the lever's value (sensitivity clamps to these).
    fn valid_bounds(self, scenario: &Scenario) -> (Decimal, Decimal) {
        match self {
            Lever::Disposal => match scenario.defaults.disposal {
                Disposal::Rate(_) => (Decimal::ZERO, Decimal::ONE),
                Disposal::Amount(_) => (Decimal::ZERO, MAX_AMOUNT),
            },
            Lever::WriteOffShare | Lever::NplFormationRate => (Decimal::ZERO, Decimal::ONE),
            Lever::LoanGrowth | Lever::DepositGrowth => (Decimal::new(-5, 1), Decimal::ONE),
        }
    }

    /// The lever's current value in the first year.
    pub fn current(self, scenario: &Scenario) -> Decimal {
        let d = &scenario.defaults;
        match self {
            Lever::Disposal => match &d.disposal {
                Disposal::Amount(a) | Disposal::Rate(a) => a.get(0),
            },
            Lever::WriteOffShare => d.channels.0[channel::WRITE_OFF],
            Lever::LoanGrowth => d.loan_growth.get(0),
            Lever::DepositGrowth => d.deposit_growth.get(0),
            Lever::NplFormationRate => d.npl_formation_rate.get(0),
        }
    }

    /// Sets the lever to `value` for every year of the region defaults (institution overrides stay).
    pub fn apply(self, scenario: &mut Scenario, value: Decimal) {
        self.apply_per_year(scenario, &|_| value);
    }

    /// Sets the lever to `value` in `trial`, a copy of `base` that earlier moves of this or
    /// another lever have edited: exactly what [`Lever::apply`] gives on a fresh copy of `base`.
    /// A scan or a map moves its levers hundreds of times, and the write-off share rescales
    /// the other channels from the mix it finds: from the base mix, every time, or a move to
    /// 100% (which leaves no other channel) would send every later move's rest to collection,
    /// and each move's rounding would carry into the next.
    pub fn apply_from(self, trial: &mut Scenario, base: &Scenario, value: Decimal) {
        if self == Lever::WriteOffShare {
            trial.defaults.channels = base.defaults.channels;
        }
        self.apply(trial, value);
    }

    /// Sets the lever year by year with `f(old value)`.
    fn apply_per_year(self, scenario: &mut Scenario, f: &dyn Fn(Decimal) -> Decimal) {
        let d = &mut scenario.defaults;
        match self {
            Lever::Disposal => {
                d.disposal = match &d.disposal {
                    Disposal::Amount(a) => Disposal::Amount(a.map(f)),
                    Disposal::Rate(r) => Disposal::Rate(r.map(f)),
                }
            }
            Lever::WriteOffShare => {
                let value = f(d.channels.0[channel::WRITE_OFF]);
                d.channels.0 = with_write_off(d.channels.0, value);
            }
            Lever::LoanGrowth => d.loan_growth = d.loan_growth.map(f),
            Lever::DepositGrowth => d.deposit_growth = d.deposit_growth.map(f),
            Lever::NplFormationRate => d.npl_formation_rate = d.npl_formation_rate.map(f),
        }
    }
}

/// Channel shares with write-off set to `value` and the others rescaled in proportion
/// (see [`with_share`]); from a mix with no other channel, the rest goes to collection.
pub fn with_write_off(shares: [Decimal; 7], value: Decimal) -> [Decimal; 7] {
    with_share(shares, channel::WRITE_OFF, value)
}

/// Channel shares with channel `set` at `value` and the others rescaled in proportion so the
/// shares still sum to exactly 1 (the largest other channel absorbs the last digit). From a
/// mix with no other channel, the rest goes to collection (or, when collection is the channel
/// being set, to write-off).
pub fn with_share(shares: [Decimal; 7], set: usize, value: Decimal) -> [Decimal; 7] {
    let set = set.min(6);
    let value = value.clamp(Decimal::ZERO, Decimal::ONE);
    let rest = Decimal::ONE.checked_sub(value).unwrap_or_default();
    let old_rest = Decimal::ONE.checked_sub(shares[set]).unwrap_or_default();
    let mut out = [Decimal::ZERO; 7];
    out[set] = value;
    if old_rest <= Decimal::ZERO {
        let fallback = if set == channel::COLLECTION { channel::WRITE_OFF } else { channel::COLLECTION };
        out[fallback] = rest;
        return out;
    }
    let mut largest: Option<usize> = None;
    let mut assigned = Decimal::ZERO;
    for (c, share) in shares.iter().enumerate() {
        if c == set || share.is_zero() {
            continue;
        }
        if largest.is_none_or(|l| *share > shares[l]) {
            largest = Some(c);
        }
    }
    for (c, share) in shares.iter().enumerate() {
        if c == set || share.is_zero() || Some(c) == largest {
            continue;
        }
        let scaled = share.checked_mul(rest).and_then(|x| x.checked_div(old_rest)).unwrap_or_default();
        out[c] = scaled;
        assigned = assigned.checked_add(scaled).unwrap_or(assigned);
    }
    let residual = largest.unwrap_or(channel::COLLECTION);
    out[residual] = rest.checked_sub(assigned).unwrap_or_default().max(Decimal::ZERO);
    out
}

/// The most institution-months one analysis may simulate: the file limit (500 institutions ×
/// 10 years) times the default 1000 Monte Carlo paths, about 40 s of one core natively at
/// the measured ~0.7 µs per probed institution-month (less on every thread, with progress
/// shown), so no input can make an analysis run for hours.
pub const MAX_WORK: u128 = 60_000_000;

/// Refuses an analysis of `runs` simulations of `scenario` that exceeds [`MAX_WORK`].
fn check_work(scenario: &Scenario, runs: usize) -> Result<(), AnalysisProblem> {
    let per_run = (scenario.institutions.len() as u128).saturating_mul(scenario.months() as u128);
    let total = per_run.saturating_mul(runs as u128);
    if total > MAX_WORK {
        return Err(AnalysisProblem::TooMuchWork { institution_months: total, max: MAX_WORK });
    }
    Ok(())
}

/// Resolves target ids (empty: all of them) to indices into the scenario's targets.
fn select_targets(scenario: &Scenario, ids: &[String]) -> Result<Vec<usize>, AnalysisProblem> {
    if scenario.targets.is_empty() {
        return Err(AnalysisProblem::NoTargets);
    }
    if ids.is_empty() {
        return Ok((0..scenario.targets.len()).collect());
    }
    ids.iter()
        .map(|id| {
            scenario.targets.iter().position(|t| &t.id == id).ok_or_else(|| AnalysisProblem::UnknownTarget {
                id: id.clone(),
                known: scenario.targets.iter().map(|t| t.id.clone()).collect(),
            })
        })
        .collect()
}

/// The result of a goal seek: where on the lever's range all chosen targets are met.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalSeek {
    pub lever: Lever,
    pub from: Decimal,
    pub to: Decimal,
    pub targets: Vec<String>,
    /// Feasible intervals, in increasing order; empty when no value meets the targets.
    pub intervals: Vec<(Decimal, Decimal)>,
}

impl GoalSeek {
    pub fn to_json(&self) -> Value {
        json!({
            "lever": self.lever.name(),
            "range": {"from": fmt_decimal(self.from), "to": fmt_decimal(self.to)},
            "targets": self.targets,
            "intervals": self
                .intervals
                .iter()
                .map(|(a, b)| json!({"from": fmt_decimal(*a), "to": fmt_decimal(*b)}))
                .collect::<Vec<_>>(),
        })
    }
}

/// Number of evenly spaced points the goal seek scans.
const SCAN_POINTS: u32 = 101;

/// Finds where on `lever`'s range every target in `target_ids` (all when empty) is met.
///
/// Scans 101 evenly spaced points, then bisects each met/unmet boundary to within
/// 1e-6 of the range's width; each boundary reported is the last value that meets.
pub fn goal_seek(scenario: &Scenario, lever: Lever, target_ids: &[String]) -> Result<GoalSeek, Error> {
    let mut job = job::GoalSeekJob::new(scenario, lever, target_ids)?;
    job::run_to_end(|max_runs| job.step(max_runs))
}

/// Checks a metric name and year, defaulting to `npl_ratio` in the last year.
fn metric_and_year<'m>(
    scenario: &Scenario,
    metric: Option<&'m str>,
    year: Option<i32>,
) -> Result<(&'m str, i32, usize), AnalysisProblem> {
    let metric = metric.unwrap_or("npl_ratio");
    if !metrics::is_year_end_scalar(metric) {
        return Err(AnalysisProblem::UnknownMetric { metric: metric.to_string() });
    }
    let (first, last) = (scenario.first_year(), scenario.last_year());
    let year = year.unwrap_or(last);
    if year < first || year > last {
        return Err(AnalysisProblem::YearOutsideHorizon { got: year, first, last });
    }
    let index = usize::try_from(year.saturating_sub(first)).unwrap_or(0);
    Ok((metric, year, index))
}

/// One bar of the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub lever: Lever,
    /// The lever's first-year value moved down and up.
    pub low: Decimal,
    pub high: Decimal,
    /// The metric with the lever down and up (null if undefined or the run is infeasible).
    pub at_low: Option<Decimal>,
    pub at_high: Option<Decimal>,
}

impl Bar {
    /// `|at_high − at_low|`, or `None` when either end is null.
    pub fn swing(&self) -> Option<Decimal> {
        Some(self.at_high?.checked_sub(self.at_low?)?.abs())
    }
}

/// A tornado: the change in one year-end region metric as each lever moves ±20%.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    pub metric: String,
    pub year: i32,
    pub base: Option<Decimal>,
    /// Sorted by swing, largest first (bars with an undefined swing last).
    pub bars: Vec<Bar>,
}

impl Sensitivity {
    pub fn to_json(&self) -> Value {
        json!({
            "metric": self.metric,
            "year": self.year,
            "base": decimal_json(self.base),
            "bars": self.bars.iter().map(|b| json!({
                "lever": b.lever.name(),
                "low": fmt_decimal(b.low),
                "high": fmt_decimal(b.high),
                "at_low": decimal_json(b.at_low),
                "at_high": decimal_json(b.at_high),
                "swing": decimal_json(b.swing()),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Each lever moved down and up by 20% of its value (every year's value × 0.8 and × 1.2;
/// ∓0.01 where the value is 0), clamped to what the scenario rules allow.
pub fn sensitivity(
    scenario: &Scenario,
    metric: Option<&str>,
    year: Option<i32>,
) -> Result<Sensitivity, Error> {
    let mut job = job::SensitivityJob::new(scenario, metric, year)?;
    job::run_to_end(|max_runs| job.step(max_runs))
}

/// One cell of the feasibility map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub value: Option<Decimal>,
    pub all_met: bool,
}

/// A `steps × steps` grid over two levers' goal-seek ranges.
#[derive(Clone, Debug, PartialEq)]
pub struct Feasibility {
    pub x: Lever,
    pub y: Lever,
    pub x_values: Vec<Decimal>,
    pub y_values: Vec<Decimal>,
    pub metric: String,
    pub year: i32,
    /// `cells[j][i]` is y value `j`, x value `i`.
    pub cells: Vec<Vec<Cell>>,
}

impl Feasibility {
    pub fn to_json(&self) -> Value {
        let values = |v: &[Decimal]| v.iter().map(|d| fmt_decimal(*d)).collect::<Vec<_>>();
        json!({
            "x": {"lever": self.x.name(), "values": values(&self.x_values)},
            "y": {"lever": self.y.name(), "values": values(&self.y_values)},
            "metric": self.metric,
            "year": self.year,
            "cells": self.cells.iter().map(|row| row.iter().map(|c| json!({
                "value": decimal_json(c.value),
                "all_met": c.all_met,
            })).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })
    }
}

/// Default grid size of the feasibility map.
pub const DEFAULT_STEPS: usize = 41;
/// Largest grid size accepted.
pub const MAX_STEPS: usize = 201;

/// The evenly spaced points `from + (to − from) × i / (steps − 1)`.
pub fn grid(from: Decimal, to: Decimal, steps: usize) -> Vec<Decimal> {
    let width = to.checked_sub(from).unwrap_or_default();
    let last = Decimal::from(steps.saturating_sub(1).max(1));
    (0..steps)
        .map(|i| {
            let offset =
                width.checked_mul(Decimal::from(i)).and_then(|x| x.checked_div(last)).unwrap_or_default();
            from.checked_add(offset).unwrap_or(from)
        })
        .collect()
}

/// Computes the feasibility map; each cell holds the chosen year-end region metric and
/// whether every target of the scenario is met (an infeasible run: null, not met).
pub fn feasibility(
    scenario: &Scenario,
    x: Lever,
    y: Lever,
    steps: usize,
    metric: Option<&str>,
    year: Option<i32>,
) -> Result<Feasibility, Error> {
    let mut job = job::FeasibilityJob::new(scenario, x, y, steps, metric, year)?;
    job::run_to_end(|max_runs| job.step(max_runs))
}

/// The rows `rows` (y values) of a feasibility map, for a caller that spreads the rows over
/// threads: every cell starts from the scenario analysed, so a part's cells are the whole
/// map's, and [`feasibility_merge`] joins the parts, in row order, into [`feasibility`]'s answer.
#[derive(Debug)]
pub struct FeasibilityPart {
    job: job::FeasibilityJob,
    /// The part's rows once run (an error ends the part too, so a runner never spins).
    answer: Option<Result<Feasibility, Error>>,
}

impl FeasibilityPart {
    /// Errors: as [`feasibility`]'s for the same arguments.
    pub fn new(
        scenario: &Scenario,
        (x, y): (Lever, Lever),
        steps: usize,
        (metric, year): (Option<&str>, Option<i32>),
        rows: std::ops::Range<usize>,
    ) -> Result<FeasibilityPart, Error> {
        let job = job::FeasibilityJob::new(scenario, x, y, steps, metric, year)?.rows(rows);
        Ok(FeasibilityPart { job, answer: None })
    }

    /// Runs up to `max_runs` more of the part's cells; `true` once all have run.
    pub fn run(&mut self, max_runs: usize) -> bool {
        if self.answer.is_none() {
            self.answer = self.job.step(max_runs).transpose();
        }
        self.answer.is_some()
    }

    /// How many of the part's rows have run.
    pub fn rows_done(&self) -> usize {
        match &self.answer {
            Some(Ok(answer)) => answer.cells.len(),
            _ => self.job.rows_done(),
        }
    }
}

/// The map of finished `parts` that cover every row once, in row order; `None` when they do not.
pub fn feasibility_merge(parts: Vec<FeasibilityPart>) -> Option<Feasibility> {
    let mut next_row = 0usize;
    let mut whole: Option<Feasibility> = None;
    for part in parts {
        let rows = part.job.row_range();
        if rows.start != next_row {
            return None;
        }
        next_row = rows.end;
        let answer = part.answer?.ok()?;
        match &mut whole {
            None => whole = Some(answer),
            Some(whole) => whole.cells.extend(answer.cells),
        }
    }
    whole.filter(|w| w.cells.len() == w.y_values.len() && next_row == w.y_values.len())
}

/// The points a goal seek scans before it bisects (MODEL.md section 5).
pub const GOAL_SEEK_POINTS: usize = SCAN_POINTS as usize;

/// The scan points `range` of a goal seek (of [`GOAL_SEEK_POINTS`]), for a caller that spreads
/// the scan over threads: each point starts from the scenario analysed, so a part's answers are
/// the whole scan's, and [`goal_seek_merge`] joins the parts and bisects, into [`goal_seek`]'s
/// answer.
#[derive(Debug)]
pub struct GoalSeekScanPart {
    job: job::GoalSeekJob,
    range: std::ops::Range<usize>,
    /// Whether each point of `range` run so far meets every target.
    met: Vec<bool>,
}

impl GoalSeekScanPart {
    /// Errors: as [`goal_seek`]'s for the same arguments.
    pub fn new(
        scenario: &Scenario,
        lever: Lever,
        target_ids: &[String],
        range: std::ops::Range<usize>,
    ) -> Result<GoalSeekScanPart, Error> {
        let job = job::GoalSeekJob::new(scenario, lever, target_ids)?;
        let range = range.start.min(job.points())..range.end.min(job.points());
        Ok(GoalSeekScanPart { job, range, met: Vec::new() })
    }

    /// Runs up to `max_runs` more of the part's points; `true` once all have run.
    pub fn run(&mut self, max_runs: usize) -> bool {
        for _ in 0..max_runs {
            let i = self.range.start.saturating_add(self.met.len());
            if i >= self.range.end {
                break;
            }
            match self.job.scan_point(i) {
                Some(ok) => self.met.push(ok),
                None => break,
            }
        }
        self.range.start.saturating_add(self.met.len()) >= self.range.end
    }

    /// How many of the part's points have run.
    pub fn done(&self) -> usize {
        self.met.len()
    }
}

/// The goal seek of finished scan `parts` that cover every point once, in order, with the
/// bisections run here; `None` when they do not cover the scan.
///
/// Errors: as [`goal_seek`]'s.
pub fn goal_seek_merge(parts: Vec<GoalSeekScanPart>) -> Option<Result<GoalSeek, Error>> {
    let mut met = Vec::with_capacity(GOAL_SEEK_POINTS);
    let mut first = None;
    for part in parts {
        if part.range.start != met.len() || part.met.len() != part.range.len() {
            return None;
        }
        met.extend_from_slice(&part.met);
        first.get_or_insert(part.job);
    }
    let job = first?;
    if met.len() != job.points() {
        return None;
    }
    let runs = met.len();
    let mut job = job.with_scan(met, runs);
    Some(job::run_to_end(|max_runs| job.step(max_runs)))
}

/// The bars of `Lever::ALL[levers]` of a sensitivity (with the base run in the part that
/// starts at the first lever), for a caller that spreads the levers over threads:
/// [`sensitivity_merge`] joins the parts, in lever order, into [`sensitivity`]'s answer.
#[derive(Debug)]
pub struct SensitivityPart {
    job: job::SensitivityJob,
    levers: std::ops::Range<usize>,
    /// Set once the part has run to its end, or failed (an error ends the part too).
    finished: Option<Result<(), Error>>,
}

impl SensitivityPart {
    /// Errors: as [`sensitivity`]'s for the same arguments.
    pub fn new(
        scenario: &Scenario,
        metric: Option<&str>,
        year: Option<i32>,
        levers: std::ops::Range<usize>,
    ) -> Result<SensitivityPart, Error> {
        let job = job::SensitivityJob::new(scenario, metric, year)?.levers(levers.clone());
        Ok(SensitivityPart { job, levers, finished: None })
    }

    /// Runs up to `max_runs` more of the part's runs; `true` once all have run (or one failed).
    pub fn run(&mut self, max_runs: usize) -> bool {
        if self.finished.is_none() {
            match self.job.run_runs(max_runs) {
                Ok(false) => {}
                Ok(true) => self.finished = Some(Ok(())),
                Err(e) => self.finished = Some(Err(e)),
            }
        }
        self.finished.is_some()
    }

    /// How many of the part's runs have been made.
    pub fn done(&self) -> usize {
        self.job.runs_done()
    }
}

/// The tornado of finished `parts` that cover every lever once, in lever order; `None` when
/// they do not.
///
/// Errors: the first part's error (the base scenario infeasible), as [`sensitivity`]'s.
pub fn sensitivity_merge(parts: Vec<SensitivityPart>) -> Option<Result<Sensitivity, Error>> {
    let mut next = 0usize;
    let mut metric_year = None;
    let mut base = None;
    let mut bars = Vec::with_capacity(Lever::ALL.len());
    for part in parts {
        if part.levers.start != next {
            return None;
        }
        next = part.levers.end;
        if let Err(e) = part.finished? {
            return Some(Err(e));
        }
        metric_year.get_or_insert_with(|| part.job.metric_year());
        let (part_base, part_bars) = part.job.into_parts();
        base = base.or(part_base);
        bars.extend(part_bars);
    }
    let (metric, year) = metric_year?;
    (next == Lever::ALL.len()).then(|| Ok(job::SensitivityJob::tornado(metric, year, base, bars)))
}

/// Monte Carlo settings.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarloOptions {
    pub paths: usize,
    pub seed: u64,
    /// Coefficient of variation of the formation rate.
    pub cv: Decimal,
    /// Monthly region metrics to report percentiles of.
    pub metrics: Vec<String>,
}

impl Default for MonteCarloOptions {
    fn default() -> Self {
        MonteCarloOptions {
            paths: 1000,
            seed: 42,
            cv: Decimal::new(25, 2),
            metrics: vec!["npl_ratio".into(), "npl".into(), "loans".into()],
        }
    }
}

/// Largest number of paths accepted.
pub const MAX_PATHS: usize = 100_000;
/// Largest coefficient of variation accepted.
pub const MAX_CV: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

/// The percentiles of one month.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub month: String,
    /// p5, p25, p50, p75, p95 (null when no path gives a value).
    pub values: [Option<Decimal>; 5],
}

/// The percentile levels reported, in percent.
pub const PERCENTILES: [u32; 5] = [5, 25, 50, 75, 95];

/// Monte Carlo results.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    pub paths: usize,
    pub seed: u64,
    pub cv: Decimal,
    /// Paths that stopped with an error (counted as meeting no target; left out of the percentiles).
    pub failed: usize,
    pub percentiles: Vec<(String, Vec<Band>)>,
    /// Per target: id and the share of paths meeting it.
    pub targets: Vec<(String, Decimal)>,
}

impl MonteCarlo {
    pub fn to_json(&self) -> Value {
        let mut percentiles = Map::new();
        for (metric, bands) in &self.percentiles {
            let rows = bands
                .iter()
                .map(|b| {
                    let mut row = Map::new();
                    row.insert("month".into(), json!(b.month));
                    for (q, v) in PERCENTILES.iter().zip(&b.values) {
                        row.insert(format!("p{q}"), decimal_json(*v));
                    }
                    Value::Object(row)
                })
                .collect::<Vec<_>>();
            percentiles.insert(metric.clone(), Value::Array(rows));
        }
        json!({
            "paths": self.paths,
            "seed": self.seed,
            "cv": fmt_decimal(self.cv),
            "failed_paths": self.failed,
            "percentiles": Value::Object(percentiles),
            "targets": self.targets.iter().map(|(id, p)| json!({"id": id, "probability": fmt_decimal(*p)})).collect::<Vec<_>>(),
        })
    }
}

/// Nearest-rank percentile of sorted values: `sorted[ceil(q·n) − 1]`, `q` in percent.
pub fn nearest_rank(sorted: &[Decimal], q_percent: u32) -> Option<Decimal> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = usize::try_from(q_percent).ok()?.checked_mul(n)?.checked_add(99)? / 100;
    sorted.get(rank.max(1).saturating_sub(1)).copied()
}

/// Runs `options.paths` paths with uncertain formation: for path p, year y, institution i
/// (file order), `f' = f_y × max(0, 1 + cv × z)`, with `z` drawn from SplitMix64 (see [`crate::rng::SplitMix64::next_z`]).
pub fn monte_carlo(scenario: &Scenario, options: &MonteCarloOptions) -> Result<MonteCarlo, Error> {
    let mut job = job::MonteCarloJob::new(scenario, options)?;
    job::run_to_end(|max_runs| job.step(max_runs))
}

/// The paths `range` of a Monte Carlo run, for a caller that spreads the paths over threads
/// (the command line) or workers: each part draws exactly what its paths draw in the whole
/// run (the stream skipped to its first path), and [`monte_carlo_merge`] joins the parts,
/// in path order, into the answer [`monte_carlo`] gives, digit for digit.
#[derive(Debug)]
pub struct MonteCarloPart(job::MonteCarloJob);

impl MonteCarloPart {
    /// Errors: as [`monte_carlo`]'s for the same options.
    pub fn new(
        scenario: &Scenario,
        options: &MonteCarloOptions,
        paths: std::ops::Range<usize>,
    ) -> Result<MonteCarloPart, Error> {
        job::MonteCarloJob::part(scenario, options, paths).map(MonteCarloPart)
    }

    /// Runs up to `max_runs` more of the part's paths; `true` once all have run.
    pub fn run(&mut self, max_runs: usize) -> bool {
        self.0.run(max_runs)
    }

    /// How many of the part's paths have run.
    pub fn done(&self) -> usize {
        self.0.paths_done()
    }
}

/// The Monte Carlo answer of finished `parts` that cover every path once, in path order;
/// `None` when they do not.
pub fn monte_carlo_merge(parts: Vec<MonteCarloPart>) -> Option<MonteCarlo> {
    job::MonteCarloJob::merge(parts.into_iter().map(|p| p.0).collect())
}

/// `0 .. total` in `parts` contiguous ranges whose lengths differ by at most one (fewer
/// ranges when there are fewer items than parts; none for no items).
pub fn split_range(total: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.clamp(1, total.max(1));
    let (size, extra) = (total.checked_div(parts).unwrap_or(0), total.checked_rem(parts).unwrap_or(0));
    let mut start = 0usize;
    (0..parts)
        .map(|i| {
            let len = size.saturating_add(usize::from(i < extra));
            let range = start..start.saturating_add(len);
            start = range.end;
            range
        })
        .filter(|r| !r.is_empty())
        .collect()
}
