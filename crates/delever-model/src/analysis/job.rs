//! Analyses as resumable jobs: each step runs a bounded number of simulations, so a page can slice the work.
//!
//! Every analysis is one state machine here; the free functions of [`super`] drive it to
//! the end in one call, so sliced and whole runs are the same code and give the same bytes.
//! A [`Job`] owns a copy of the scenario and all its state: cancelling is dropping it.

use rust_decimal::Decimal;
use serde_json::Value;

use super::probe::Probe;
use super::{
    Band, Bar, Cell, Feasibility, GoalSeek, Lever, MAX_CV, MAX_PATHS, MAX_STEPS, MonteCarlo,
    MonteCarloOptions, PERCENTILES, SCAN_POINTS, Sensitivity, check_work, grid, metric_and_year,
    nearest_rank, select_targets,
};
use crate::engine::Plan;
use crate::error::{AnalysisProblem, Error};
use crate::metrics;
use crate::num::fmt_decimal;
use crate::output::{MonthlyMetric, YearMetric};
use crate::rng::SplitMix64;
use crate::scenario::Scenario;

/// The result of a finished [`Job`].
#[derive(Clone, Debug, PartialEq)]
pub enum Analysis {
    GoalSeek(GoalSeek),
    Sensitivity(Sensitivity),
    Feasibility(Feasibility),
    MonteCarlo(MonteCarlo),
}

impl Analysis {
    /// The JSON of MODEL.md section 8, as the command line prints it.
    pub fn to_json(&self) -> Value {
        match self {
            Analysis::GoalSeek(g) => g.to_json(),
            Analysis::Sensitivity(s) => s.to_json(),
            Analysis::Feasibility(f) => f.to_json(),
            Analysis::MonteCarlo(m) => m.to_json(),
        }
    }
}

/// An analysis in progress, advanced a few simulations at a time by [`Job::step`].
///
/// The constructors check every option exactly as the free functions do ([`super::goal_seek`],
/// [`super::sensitivity`], [`super::feasibility`], [`super::monte_carlo`]) and run nothing;
/// stepping to the end gives exactly the free function's result. Cancelling is dropping the job.
#[derive(Debug)]
pub struct Job {
    state: State,
}

#[derive(Debug)]
enum State {
    GoalSeek(Box<GoalSeekJob>),
    Sensitivity(Box<SensitivityJob>),
    Feasibility(Box<FeasibilityJob>),
    MonteCarlo(Box<MonteCarloJob>),
    /// Kept so that stepping a finished job answers the same again.
    Finished {
        result: Box<Analysis>,
        runs: usize,
    },
    Failed {
        error: Box<Error>,
        runs: usize,
    },
}

impl Job {
    /// A goal seek of `lever` against the targets `target_ids` (all when empty).
    ///
    /// Errors: no targets, an unknown target id, or too much work.
    pub fn goal_seek(scenario: &Scenario, lever: Lever, target_ids: &[String]) -> Result<Job, Error> {
        Ok(Job::from(State::GoalSeek(Box::new(GoalSeekJob::new(scenario, lever, target_ids)?))))
    }

    /// A tornado of one year-end region metric (default `npl_ratio`) in `year` (default: the last).
    ///
    /// Errors: an unknown metric or a year outside the horizon. A base scenario that cannot
    /// run is reported by the first [`Job::step`], as [`AnalysisProblem::BaseInfeasible`].
    pub fn sensitivity(scenario: &Scenario, metric: Option<&str>, year: Option<i32>) -> Result<Job, Error> {
        Ok(Job::from(State::Sensitivity(Box::new(SensitivityJob::new(scenario, metric, year)?))))
    }

    /// A `steps × steps` feasibility map of levers `x` and `y`.
    ///
    /// Errors: the same lever twice, `steps` outside 2 … [`MAX_STEPS`], an unknown metric,
    /// a year outside the horizon, or too much work.
    pub fn feasibility(
        scenario: &Scenario,
        x: Lever,
        y: Lever,
        steps: usize,
        metric: Option<&str>,
        year: Option<i32>,
    ) -> Result<Job, Error> {
        Ok(Job::from(State::Feasibility(Box::new(FeasibilityJob::new(scenario, x, y, steps, metric, year)?))))
    }

    /// A Monte Carlo run of `options.paths` paths.
    ///
    /// Errors: `paths` outside 1 … [`MAX_PATHS`], `cv` outside 0 … [`MAX_CV`], too much work,
    /// or an unknown monthly metric.
    pub fn monte_carlo(scenario: &Scenario, options: &MonteCarloOptions) -> Result<Job, Error> {
        Ok(Job::from(State::MonteCarlo(Box::new(MonteCarloJob::new(scenario, options)?))))
    }

    fn from(state: State) -> Job {
        Job { state }
    }

    /// Runs at most `max_runs` simulations (at least one: 0 counts as 1) and returns
    /// `Ok(Some(result))` once the analysis is finished, `Ok(None)` while work remains.
    ///
    /// Once finished (or failed), every further call answers the same result (or error)
    /// without running anything.
    pub fn step(&mut self, max_runs: usize) -> Result<Option<Analysis>, Error> {
        let max_runs = max_runs.max(1);
        let outcome = match &mut self.state {
            State::GoalSeek(job) => job.step(max_runs).map(|r| r.map(Analysis::GoalSeek)),
            State::Sensitivity(job) => job.step(max_runs).map(|r| r.map(Analysis::Sensitivity)),
            State::Feasibility(job) => job.step(max_runs).map(|r| r.map(Analysis::Feasibility)),
            State::MonteCarlo(job) => job.step(max_runs).map(|r| r.map(Analysis::MonteCarlo)),
            State::Finished { result, .. } => return Ok(Some((**result).clone())),
            State::Failed { error, .. } => return Err((**error).clone()),
        };
        let runs = self.progress().0;
        match outcome {
            Ok(None) => Ok(None),
            Ok(Some(result)) => {
                self.state = State::Finished { result: Box::new(result.clone()), runs };
                Ok(Some(result))
            }
            Err(error) => {
                self.state = State::Failed { error: Box::new(error.clone()), runs };
                Err(error)
            }
        }
    }

    /// `(simulations done, simulations expected in total)`.
    ///
    /// `done` never decreases and never exceeds `total`; when the job is finished they are equal.
    /// The total is exact for the sensitivity, the map and Monte Carlo; for a goal seek it is an
    /// estimate until the scan has shown how many boundaries there are to bisect.
    pub fn progress(&self) -> (usize, usize) {
        match &self.state {
            State::GoalSeek(job) => job.progress(),
            State::Sensitivity(job) => job.progress(),
            State::Feasibility(job) => job.progress(),
            State::MonteCarlo(job) => job.progress(),
            State::Finished { runs, .. } | State::Failed { runs, .. } => (*runs, *runs),
        }
    }

    /// Whether [`Job::step`] has returned the result (or an error).
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished { .. } | State::Failed { .. })
    }
}

/// Steps a job with an unlimited budget until it answers (the free functions).
pub(super) fn run_to_end<T>(mut step: impl FnMut(usize) -> Result<Option<T>, Error>) -> Result<T, Error> {
    loop {
        if let Some(result) = step(usize::MAX)? {
            return Ok(result);
        }
    }
}

/// One end of a feasible interval: a scanned point, or the result of bisection number `n`.
#[derive(Clone, Copy, Debug)]
enum End {
    Point(Decimal),
    Boundary(usize),
}

/// Goal seek (MODEL.md section 5): scan 101 points, then bisect each met/unmet boundary.
#[derive(Debug)]
pub(super) struct GoalSeekJob {
    lever: Lever,
    from: Decimal,
    to: Decimal,
    ids: Vec<String>,
    /// The scenario analysed, from which each move of the lever starts (`Lever::apply_from`).
    base: Scenario,
    /// `base` with the lever at the last value tried.
    trial: Scenario,
    /// `trial`, compiled (refreshed in place after each move of the lever).
    plan: Plan,
    probe: Probe,
    points: Vec<Decimal>,
    /// Whether each scanned point meets every target (filled as the scan runs).
    met: Vec<bool>,
    tolerance: Decimal,
    /// Set once the scan is done: the intervals, whose ends may wait on bisections.
    intervals: Option<Vec<(End, End)>>,
    /// `(met side, unmet side)` of each boundary to bisect, in the order they are bisected.
    boundaries: Vec<(Decimal, Decimal)>,
    /// The last value that meets, for each boundary bisected so far.
    found: Vec<Decimal>,
    /// `(good, bad)` of the bisection under way.
    bisecting: Option<(Decimal, Decimal)>,
    done: usize,
}

impl GoalSeekJob {
    pub(super) fn new(
        scenario: &Scenario,
        lever: Lever,
        target_ids: &[String],
    ) -> Result<GoalSeekJob, Error> {
        let targets = select_targets(scenario, target_ids)?;
        // 101 scan points plus ~17 bisection steps per boundary; allow for a few boundaries.
        check_work(scenario, 200)?;
        let ids: Vec<String> =
            targets.iter().filter_map(|&t| scenario.targets.get(t)).map(|t| t.id.clone()).collect();
        let (from, to) = lever.range(scenario);
        let width = to.checked_sub(from).unwrap_or_default();
        let last = SCAN_POINTS.saturating_sub(1);
        let points: Vec<Decimal> = (0..SCAN_POINTS)
            .map(|i| {
                let offset =
                    width.checked_mul(Decimal::from(i)).and_then(|x| x.checked_div(Decimal::from(last)));
                from.checked_add(offset.unwrap_or_default()).unwrap_or(from)
            })
            .collect();
        let tolerance = width.checked_mul(Decimal::new(1, 6)).unwrap_or_default();
        Ok(GoalSeekJob {
            lever,
            from,
            to,
            ids,
            base: scenario.clone(),
            trial: scenario.clone(),
            plan: Plan::compile(scenario),
            probe: Probe::new(scenario, targets, None, Vec::new()),
            met: Vec::with_capacity(points.len()),
            points,
            tolerance,
            intervals: None,
            boundaries: Vec::new(),
            found: Vec::new(),
            bisecting: None,
            done: 0,
        })
    }

    /// Sets the lever to `value` and runs: do all targets hold?
    fn met_at(&mut self, value: Decimal) -> bool {
        self.lever.apply_from(&mut self.trial, &self.base, value);
        self.plan.refresh_drivers(&self.trial);
        self.done = self.done.saturating_add(1);
        self.probe.evaluate(&self.trial, &self.plan).is_ok() && self.probe.all_met()
    }

    /// The number of points the scan runs.
    pub(super) fn points(&self) -> usize {
        self.points.len()
    }

    /// Whether scan point `i` meets every target (`None` past the last point).
    pub(super) fn scan_point(&mut self, i: usize) -> Option<bool> {
        let point = self.points.get(i).copied()?;
        Some(self.met_at(point))
    }

    /// Takes the scan's answers, computed elsewhere (point `i`'s in `met[i]`), and the runs
    /// they took, so that `step` goes on with the bisections.
    pub(super) fn with_scan(mut self, met: Vec<bool>, runs: usize) -> GoalSeekJob {
        self.met = met;
        self.done = runs;
        self
    }

    pub(super) fn step(&mut self, max_runs: usize) -> Result<Option<GoalSeek>, Error> {
        let mut budget = max_runs;
        while let Some(&point) = self.points.get(self.met.len()) {
            if budget == 0 {
                return Ok(None);
            }
            budget = budget.saturating_sub(1);
            let ok = self.met_at(point);
            self.met.push(ok);
        }
        if self.intervals.is_none() {
            self.plan_intervals();
        }
        while let Some(&(met_side, unmet_side)) = self.boundaries.get(self.found.len()) {
            let (good, bad) = self.bisecting.unwrap_or((met_side, unmet_side));
            let mid = good.checked_add(bad).and_then(|s| s.checked_div(Decimal::TWO)).unwrap_or(good);
            let settled = bad.checked_sub(good).is_none_or(|d| d.abs() <= self.tolerance);
            if settled || mid == good || mid == bad {
                self.found.push(good);
                self.bisecting = None;
                continue;
            }
            if budget == 0 {
                self.bisecting = Some((good, bad));
                return Ok(None);
            }
            budget = budget.saturating_sub(1);
            self.bisecting = Some(if self.met_at(mid) { (mid, bad) } else { (good, mid) });
        }
        let end = |e: &End| match *e {
            End::Point(p) => p,
            End::Boundary(n) => self.found.get(n).copied().unwrap_or_default(),
        };
        let intervals = self.intervals.iter().flatten().map(|(a, b)| (end(a), end(b))).collect();
        Ok(Some(GoalSeek {
            lever: self.lever,
            from: self.from,
            to: self.to,
            targets: self.ids.clone(),
            intervals,
        }))
    }

    /// Walks the scan: each run of met points is an interval whose ends are bisected
    /// where the neighbouring point is unmet. Each boundary reported is the last value that meets.
    fn plan_intervals(&mut self) {
        let mut intervals = Vec::new();
        let mut start: Option<End> = None;
        let at = |j: usize| self.points.get(j).copied().zip(self.met.get(j).copied());
        for (i, (&point, &ok)) in self.points.iter().zip(&self.met).enumerate() {
            if !ok {
                continue;
            }
            let prev = i.checked_sub(1).and_then(at);
            let next = at(i.saturating_add(1));
            if start.is_none() {
                start = Some(match prev {
                    Some((p, false)) => {
                        self.boundaries.push((point, p));
                        End::Boundary(self.boundaries.len().saturating_sub(1))
                    }
                    _ => End::Point(point),
                });
            }
            match next {
                Some((_, true)) => {}
                Some((n, false)) => {
                    self.boundaries.push((point, n));
                    let end = End::Boundary(self.boundaries.len().saturating_sub(1));
                    intervals.push((start.take().unwrap_or(End::Point(point)), end));
                }
                None => intervals.push((start.take().unwrap_or(End::Point(point)), End::Point(point))),
            }
        }
        self.intervals = Some(intervals);
    }

    /// Bisection steps left for a gap: halvings until it is within the tolerance.
    fn halvings(&self, good: Decimal, bad: Decimal) -> usize {
        let mut gap = bad.checked_sub(good).unwrap_or_default().abs();
        let mut count = 0usize;
        while gap > self.tolerance && count < 128 {
            gap = gap.checked_div(Decimal::TWO).unwrap_or_default();
            count = count.saturating_add(1);
        }
        count
    }

    fn progress(&self) -> (usize, usize) {
        let remaining = if self.intervals.is_none() {
            // Before the scan has finished, expect one interval with two ends to bisect.
            let gap = self.points.get(1).copied().zip(self.points.first().copied());
            let per_boundary = gap.map(|(b, a)| self.halvings(a, b)).unwrap_or(0);
            self.points.len().saturating_sub(self.met.len()).saturating_add(per_boundary.saturating_mul(2))
        } else {
            let current = self.bisecting.map(|(g, b)| self.halvings(g, b));
            let mut rest = self.boundaries.iter().skip(self.found.len());
            // The boundary under way is counted from its current gap, not its first one.
            if current.is_some() {
                rest.next();
            }
            rest.fold(current.unwrap_or(0), |sum, &(g, b)| sum.saturating_add(self.halvings(g, b)))
        };
        (self.done, self.done.saturating_add(remaining))
    }
}

/// The tornado: the base run, then each lever down and up (eleven runs).
#[derive(Debug)]
pub(super) struct SensitivityJob {
    scenario: Scenario,
    /// The scenario compiled; refreshed for each moved lever.
    plan: Plan,
    metric: String,
    year: i32,
    probe: Probe,
    base: Option<Decimal>,
    bars: Vec<Bar>,
    /// The lever's low value and the metric there, waiting for the high run.
    low: Option<(Decimal, Option<Decimal>)>,
    done: usize,
    /// The runs this job makes: all of them, or a part's (`levers`).
    runs: std::ops::Range<usize>,
}

/// Runs of a sensitivity: the base, then two per lever.
const SENSITIVITY_RUNS: usize = 1 + 2 * Lever::ALL.len();

impl SensitivityJob {
    pub(super) fn new(
        scenario: &Scenario,
        metric: Option<&str>,
        year: Option<i32>,
    ) -> Result<SensitivityJob, Error> {
        let (metric, year, index) = metric_and_year(scenario, metric, year)?;
        let read = YearMetric::parse(metric).map(|m| (m, index));
        Ok(SensitivityJob {
            scenario: scenario.clone(),
            plan: Plan::compile(scenario),
            metric: metric.to_string(),
            year,
            probe: Probe::new(scenario, Vec::new(), read, Vec::new()),
            base: None,
            bars: Vec::with_capacity(Lever::ALL.len()),
            low: None,
            done: 0,
            runs: 0..SENSITIVITY_RUNS,
        })
    }

    /// This job cut to the bars of `Lever::ALL[levers]`, with the base run only when the
    /// part starts at the first lever.
    pub(super) fn levers(mut self, levers: std::ops::Range<usize>) -> SensitivityJob {
        let first = if levers.start == 0 { 0 } else { levers.start.saturating_mul(2).saturating_add(1) };
        let end = levers.end.min(Lever::ALL.len()).saturating_mul(2).saturating_add(1);
        self.runs = first..end.max(first);
        self.done = first;
        self
    }

    /// The part's base value and bars in lever order (before the sort by swing).
    pub(super) fn into_parts(self) -> (Option<Decimal>, Vec<Bar>) {
        (self.base, self.bars)
    }

    /// The tornado of `bars`: sorted by swing, largest first (stable: equal swings keep the
    /// lever order).
    pub(super) fn tornado(
        metric: String,
        year: i32,
        base: Option<Decimal>,
        mut bars: Vec<Bar>,
    ) -> Sensitivity {
        bars.sort_by(|a, b| match (a.swing(), b.swing()) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        Sensitivity { metric, year, base, bars }
    }

    /// The part's runs made so far.
    pub(super) fn runs_done(&self) -> usize {
        self.done.saturating_sub(self.runs.start)
    }

    pub(super) fn metric_year(&self) -> (String, i32) {
        (self.metric.clone(), self.year)
    }

    /// The scenario with `lever` moved down (`high == false`) or up by 20% of each year's value
    /// (∓0.01 where the value is 0), clamped to what the scenario rules allow.
    fn moved(&self, lever: Lever, high: bool) -> Scenario {
        let (min, max) = lever.valid_bounds(&self.scenario);
        let (factor, zero_step) = if high {
            (Decimal::new(12, 1), Decimal::new(1, 2))
        } else {
            (Decimal::new(8, 1), Decimal::new(-1, 2))
        };
        let mut trial = self.scenario.clone();
        lever.apply_per_year(&mut trial, &|v: Decimal| {
            let moved = if v.is_zero() { zero_step } else { v.checked_mul(factor).unwrap_or(v) };
            moved.clamp(min, max)
        });
        trial
    }

    pub(super) fn step(&mut self, max_runs: usize) -> Result<Option<Sensitivity>, Error> {
        if !self.run_runs(max_runs)? {
            return Ok(None);
        }
        let bars = std::mem::take(&mut self.bars);
        Ok(Some(SensitivityJob::tornado(self.metric.clone(), self.year, self.base, bars)))
    }

    /// Runs up to `max_runs` more of `runs`, the bars kept in lever order; `true` once they
    /// are all done.
    pub(super) fn run_runs(&mut self, max_runs: usize) -> Result<bool, Error> {
        let mut budget = max_runs;
        while self.done < self.runs.end {
            if budget == 0 {
                return Ok(false);
            }
            budget = budget.saturating_sub(1);
            let run = self.done;
            self.done = self.done.saturating_add(1);
            let Some(k) = run.checked_sub(1) else {
                self.probe.evaluate(&self.scenario, &self.plan).map_err(AnalysisProblem::BaseInfeasible)?;
                self.base = self.probe.value;
                continue;
            };
            let Some(&lever) = Lever::ALL.get(k / 2) else { continue };
            let high = k % 2 == 1;
            let trial = self.moved(lever, high);
            self.plan.refresh_drivers(&trial);
            let at = if self.probe.evaluate(&trial, &self.plan).is_ok() { self.probe.value } else { None };
            let value = lever.current(&trial);
            match (high, self.low.take()) {
                (false, _) => self.low = Some((value, at)),
                (true, Some((low, at_low))) => {
                    self.bars.push(Bar { lever, low, high: value, at_low, at_high: at })
                }
                (true, None) => {}
            }
        }
        Ok(true)
    }

    fn progress(&self) -> (usize, usize) {
        (self.done.saturating_sub(self.runs.start), self.runs.len())
    }
}

/// The feasibility map, one cell per run, row by row (`y` outer, `x` inner).
#[derive(Debug)]
pub(super) struct FeasibilityJob {
    x: Lever,
    y: Lever,
    x_values: Vec<Decimal>,
    y_values: Vec<Decimal>,
    metric: String,
    year: i32,
    /// The scenario analysed, from which each cell's levers start (`Lever::apply_from`).
    base: Scenario,
    /// `base` with both levers at the last cell's values.
    trial: Scenario,
    /// `trial`, compiled (refreshed in place for each cell).
    plan: Plan,
    probe: Probe,
    cells: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    done: usize,
    /// The rows (y values) this job runs: all, or one part of a map spread over threads.
    rows: std::ops::Range<usize>,
}

impl FeasibilityJob {
    /// This job for the rows `rows` only (within the grid): every cell starts from the
    /// scenario analysed (`Lever::apply_from`), so a part's cells are the whole map's.
    pub(super) fn rows(mut self, rows: std::ops::Range<usize>) -> FeasibilityJob {
        let steps = self.y_values.len();
        self.rows = rows.start.min(steps)..rows.end.min(steps);
        self.done = self.rows.start.saturating_mul(self.x_values.len());
        self
    }

    /// How many of this job's rows have run.
    /// This job's rows answered with `cells` computed elsewhere by a job of the same request
    /// and rows; `None` when they are not this job's shape.
    pub(super) fn answer_with(&self, cells: Vec<Vec<Cell>>) -> Option<Feasibility> {
        let steps = self.x_values.len();
        (cells.len() == self.rows.len() && cells.iter().all(|row| row.len() == steps)).then(|| Feasibility {
            x: self.x,
            y: self.y,
            x_values: self.x_values.clone(),
            y_values: self.y_values.clone(),
            metric: self.metric.clone(),
            year: self.year,
            cells,
        })
    }

    pub(super) fn rows_done(&self) -> usize {
        self.cells.len()
    }

    /// The rows this job runs.
    pub(super) fn row_range(&self) -> std::ops::Range<usize> {
        self.rows.clone()
    }

    pub(super) fn new(
        scenario: &Scenario,
        x: Lever,
        y: Lever,
        steps: usize,
        metric: Option<&str>,
        year: Option<i32>,
    ) -> Result<FeasibilityJob, Error> {
        if x == y {
            return Err(AnalysisProblem::SameLever.into());
        }
        if !(2..=MAX_STEPS).contains(&steps) {
            return Err(AnalysisProblem::OptionOutOfRange {
                option: "steps",
                got: steps.to_string(),
                min: "2".into(),
                max: MAX_STEPS.to_string(),
            }
            .into());
        }
        let (metric, year, index) = metric_and_year(scenario, metric, year)?;
        check_work(scenario, steps.saturating_mul(steps))?;
        let (x_from, x_to) = x.range(scenario);
        let (y_from, y_to) = y.range(scenario);
        Ok(FeasibilityJob {
            x,
            y,
            x_values: grid(x_from, x_to, steps),
            y_values: grid(y_from, y_to, steps),
            metric: metric.to_string(),
            year,
            base: scenario.clone(),
            trial: scenario.clone(),
            plan: Plan::compile(scenario),
            probe: Probe::new(
                scenario,
                (0..scenario.targets.len()).collect(),
                YearMetric::parse(metric).map(|m| (m, index)),
                Vec::new(),
            ),
            cells: Vec::with_capacity(steps),
            row: Vec::with_capacity(steps),
            done: 0,
            rows: 0..steps,
        })
    }

    fn total(&self) -> usize {
        self.x_values.len().saturating_mul(self.y_values.len())
    }

    /// Where this job's cells end (`total` for the whole map).
    fn end(&self) -> usize {
        self.x_values.len().saturating_mul(self.rows.end)
    }

    pub(super) fn step(&mut self, max_runs: usize) -> Result<Option<Feasibility>, Error> {
        let mut budget = max_runs;
        let steps = self.x_values.len().max(1);
        while self.done < self.end() {
            if budget == 0 {
                return Ok(None);
            }
            budget = budget.saturating_sub(1);
            let (j, i) =
                (self.done.checked_div(steps).unwrap_or(0), self.done.checked_rem(steps).unwrap_or(0));
            if i == 0
                && let Some(&yv) = self.y_values.get(j)
            {
                self.y.apply_from(&mut self.trial, &self.base, yv);
            }
            if let Some(&xv) = self.x_values.get(i) {
                self.x.apply_from(&mut self.trial, &self.base, xv);
            }
            self.plan.refresh_drivers(&self.trial);
            self.done = self.done.saturating_add(1);
            self.row.push(match self.probe.evaluate(&self.trial, &self.plan) {
                Ok(()) => Cell { value: self.probe.value, all_met: self.probe.all_met() },
                Err(_) => Cell { value: None, all_met: false },
            });
            if self.row.len() == steps {
                let row = std::mem::replace(&mut self.row, Vec::with_capacity(steps));
                self.cells.push(row);
            }
        }
        Ok(Some(Feasibility {
            x: self.x,
            y: self.y,
            x_values: self.x_values.clone(),
            y_values: self.y_values.clone(),
            metric: self.metric.clone(),
            year: self.year,
            cells: std::mem::take(&mut self.cells),
        }))
    }

    fn progress(&self) -> (usize, usize) {
        (self.done, self.total())
    }
}

/// A finished Monte Carlo job's collections: `values[metric][month]` over its paths, each
/// target's count of paths meeting it, the failed paths.
pub(super) type Collected<'a> = (&'a [Vec<Vec<Decimal>>], &'a [usize], usize);

/// Monte Carlo: one run per path; the percentiles once every path has run.
#[derive(Debug)]
pub(super) struct MonteCarloJob {
    options: MonteCarloOptions,
    scenario: Scenario,
    base_plan: Plan,
    /// The base plan with the current path's formation rates.
    plan: Plan,
    probe: Probe,
    rng: SplitMix64,
    /// `values[metric][month]` collects each successful path's value.
    values: Vec<Vec<Vec<Decimal>>>,
    /// Scratch for the percentiles.
    keys: Vec<i128>,
    met_counts: Vec<usize>,
    failed: usize,
    done: usize,
    /// The paths this job runs (all of them, or one part of a run spread over threads).
    paths: std::ops::Range<usize>,
}

impl MonteCarloJob {
    pub(super) fn new(scenario: &Scenario, options: &MonteCarloOptions) -> Result<MonteCarloJob, Error> {
        MonteCarloJob::part(scenario, options, 0..options.paths)
    }

    /// The job for the paths `paths` (within `0 .. options.paths`) only: its stream starts
    /// where the paths before it leave it, so each path draws what it draws in the whole run.
    pub(super) fn part(
        scenario: &Scenario,
        options: &MonteCarloOptions,
        paths: std::ops::Range<usize>,
    ) -> Result<MonteCarloJob, Error> {
        if !(1..=MAX_PATHS).contains(&options.paths) {
            return Err(AnalysisProblem::OptionOutOfRange {
                option: "paths",
                got: options.paths.to_string(),
                min: "1".into(),
                max: MAX_PATHS.to_string(),
            }
            .into());
        }
        if options.cv < Decimal::ZERO || options.cv > MAX_CV {
            return Err(AnalysisProblem::OptionOutOfRange {
                option: "cv",
                got: fmt_decimal(options.cv),
                min: "0".into(),
                max: fmt_decimal(MAX_CV),
            }
            .into());
        }
        check_work(scenario, options.paths)?;
        for metric in &options.metrics {
            if !metrics::is_monthly(metric) {
                return Err(AnalysisProblem::UnknownMonthlyMetric { metric: metric.clone() }.into());
            }
        }
        let base_plan = Plan::compile(scenario);
        let monthly = options.metrics.iter().filter_map(|m| MonthlyMetric::parse(m)).collect();
        let probe = Probe::new(scenario, (0..scenario.targets.len()).collect(), None, monthly);
        let months = base_plan.months;
        let paths = paths.start.min(options.paths)..paths.end.min(options.paths);
        let mut rng = SplitMix64::new(options.seed);
        let per_path = (base_plan.years as u64)
            .saturating_mul(base_plan.institutions.len() as u64)
            .saturating_mul(crate::rng::DRAWS_PER_Z);
        rng.skip((paths.start as u64).wrapping_mul(per_path));
        Ok(MonteCarloJob {
            options: options.clone(),
            scenario: scenario.clone(),
            plan: base_plan.clone(),
            base_plan,
            probe,
            rng,
            values: vec![vec![Vec::with_capacity(paths.len()); months]; options.metrics.len()],
            keys: Vec::with_capacity(options.paths),
            met_counts: vec![0usize; scenario.targets.len()],
            failed: 0,
            done: paths.start,
            paths,
        })
    }

    /// Runs up to `max_runs` of this job's paths; `true` once all have run.
    pub(super) fn run(&mut self, max_runs: usize) -> bool {
        let mut budget = max_runs;
        while self.done < self.paths.end {
            if budget == 0 {
                return false;
            }
            budget = budget.saturating_sub(1);
            self.done = self.done.saturating_add(1);
            self.draw();
            match self.probe.evaluate(&self.scenario, &self.plan) {
                Ok(()) => {
                    for (count, met) in self.met_counts.iter_mut().zip(&self.probe.met) {
                        if *met {
                            *count = count.saturating_add(1);
                        }
                    }
                    let per_month = self.values.len().max(1);
                    for (index, value) in self.probe.monthly_values.iter().enumerate() {
                        let (m, k) = (index.checked_div(per_month), index.checked_rem(per_month));
                        let slot =
                            k.and_then(|k| self.values.get_mut(k)).zip(m).and_then(|(v, m)| v.get_mut(m));
                        if let (Some(slot), Some(v)) = (slot, value) {
                            slot.push(*v);
                        }
                    }
                }
                Err(_) => self.failed = self.failed.saturating_add(1),
            }
        }
        true
    }

    /// A finished job's collections: each metric's month-by-month values over the paths
    /// that ran, in path order, each target's count of paths meeting it, the failed paths.
    pub(super) fn collected(&self) -> Option<Collected<'_>> {
        (self.done == self.paths.end).then_some((&self.values, &self.met_counts, self.failed))
    }

    /// This job finished with collections made elsewhere by a job of the same scenario,
    /// options and paths; `false` (and the job untouched) when their shape is not this job's.
    pub(super) fn finish_with(
        &mut self,
        values: Vec<Vec<Vec<Decimal>>>,
        met_counts: Vec<usize>,
        failed: usize,
    ) -> bool {
        let months = self.values.first().map_or(0, Vec::len);
        let paths = self.paths.len();
        let fits = values.len() == self.values.len()
            && values.iter().all(|m| m.len() == months && m.iter().all(|v| v.len() <= paths))
            && met_counts.len() == self.met_counts.len()
            && met_counts.iter().all(|&c| c <= paths)
            && failed <= paths;
        if fits {
            self.values = values;
            self.met_counts = met_counts;
            self.failed = failed;
            self.done = self.paths.end;
        }
        fits
    }

    /// The paths this job runs.
    pub(super) fn paths(&self) -> std::ops::Range<usize> {
        self.paths.clone()
    }

    /// The paths this job has run so far.
    pub(super) fn paths_done(&self) -> usize {
        self.done.saturating_sub(self.paths.start)
    }

    /// The whole run from its parts, each finished, in path order and covering every path
    /// once: their values joined in that order (so the percentiles' ties resolve as in one
    /// run), their counts added. `None` when the parts are not such a cover.
    pub(super) fn merge(parts: Vec<MonteCarloJob>) -> Option<MonteCarlo> {
        let mut parts = parts.into_iter();
        let mut whole = parts.next()?;
        if whole.paths.start != 0 || whole.done != whole.paths.end {
            return None;
        }
        for part in parts {
            if part.paths.start != whole.paths.end || part.done != part.paths.end {
                return None;
            }
            for (mine, theirs) in whole.values.iter_mut().zip(part.values) {
                for (month, values) in mine.iter_mut().zip(theirs) {
                    month.extend(values);
                }
            }
            for (count, more) in whole.met_counts.iter_mut().zip(&part.met_counts) {
                *count = count.saturating_add(*more);
            }
            whole.failed = whole.failed.saturating_add(part.failed);
            whole.paths.end = part.paths.end;
            whole.done = part.done;
        }
        (whole.paths.end == whole.options.paths).then(|| whole.finish())
    }

    /// Draws the next path's formation rates into `plan`: path by path, then year, then institution.
    fn draw(&mut self) {
        for y in 0..self.base_plan.years {
            for (inst, base) in self.plan.institutions.iter_mut().zip(&self.base_plan.institutions) {
                let z = self.rng.next_z();
                let factor = self
                    .options
                    .cv
                    .checked_mul(z)
                    .and_then(|x| Decimal::ONE.checked_add(x))
                    .unwrap_or_default()
                    .max(Decimal::ZERO);
                if let (Some(slot), Some(b)) = (inst.years.get_mut(y), base.years.get(y)) {
                    slot.set_formation_rate(b.formation_rate.checked_mul(factor).unwrap_or(b.formation_rate));
                }
            }
        }
    }

    pub(super) fn step(&mut self, max_runs: usize) -> Result<Option<MonteCarlo>, Error> {
        Ok(self.run(max_runs).then(|| self.finish()))
    }

    fn finish(&mut self) -> MonteCarlo {
        let labels = &self.base_plan.labels;
        let percentiles = self
            .options
            .metrics
            .iter()
            .zip(self.values.iter_mut())
            .map(|(metric, per_month)| {
                let bands = per_month
                    .iter_mut()
                    .enumerate()
                    .map(|(m, v)| Band {
                        month: labels.get(m).cloned().unwrap_or_default(),
                        values: percentiles(v, &mut self.keys),
                    })
                    .collect();
                (metric.clone(), bands)
            })
            .collect();
        let paths = Decimal::from(self.options.paths);
        let targets = self
            .scenario
            .targets
            .iter()
            .zip(&self.met_counts)
            .map(|(t, count)| (t.id.clone(), Decimal::from(*count).checked_div(paths).unwrap_or_default()))
            .collect();
        MonteCarlo {
            paths: self.options.paths,
            seed: self.options.seed,
            cv: self.options.cv,
            failed: self.failed,
            percentiles,
            targets,
        }
    }

    fn progress(&self) -> (usize, usize) {
        (self.done, self.options.paths)
    }
}

/// Bits of a percentile key that hold the path's position ([`MAX_PATHS`] < 2^17).
const INDEX_BITS: u32 = 17;
const _: () = assert!(MAX_PATHS < 1 << INDEX_BITS);

/// The [`PERCENTILES`] of `values` by nearest rank: what sorting them (stably) and reading
/// [`nearest_rank`] gives, found by selection instead of a full sort.
///
/// Each value becomes an exact integer at the largest scale among them, shifted left to hold
/// its position, so ties resolve as the stable sort resolves them and the very same decimal
/// is returned. If a key would not fit, the values are sorted as decimals instead.
fn percentiles(values: &mut [Decimal], keys: &mut Vec<i128>) -> [Option<Decimal>; 5] {
    const LIMIT: i128 = 1 << (126 - INDEX_BITS);
    let scale = values.iter().map(|v| v.scale()).max().unwrap_or(0);
    keys.clear();
    for (index, value) in values.iter().enumerate() {
        // Most values of one month share the scale: their mantissa is the key, with no 128-bit
        // multiply (a library call in wasm); the range check makes the shift exact.
        let shift = scale.saturating_sub(value.scale());
        let widened = if shift == 0 {
            Some(value.mantissa())
        } else {
            10i128.checked_pow(shift).and_then(|power| value.mantissa().checked_mul(power))
        };
        let key = widened
            .filter(|key| (-LIMIT..LIMIT).contains(key))
            .zip(i128::try_from(index).ok().filter(|i| *i < 1 << INDEX_BITS))
            .map(|(key, index)| (key << INDEX_BITS) | index);
        match key {
            Some(key) => keys.push(key),
            None => {
                values.sort();
                return PERCENTILES.map(|q| nearest_rank(values, q));
            }
        }
    }
    let n = keys.len();
    let mut from = 0usize;
    PERCENTILES.map(|q| {
        // The rank `nearest_rank` reads: ceil(q·n / 100), at least 1.
        let rank = usize::try_from(q)
            .ok()
            .and_then(|q| q.checked_mul(n))
            .and_then(|x| x.checked_add(99))
            .map(|x| x / 100)?
            .max(1)
            .checked_sub(1)?;
        // Ranks rise with q, so each selection only needs what is right of the previous one.
        let rest = keys.get_mut(from..)?;
        let nth = rank.checked_sub(from).filter(|nth| *nth < rest.len())?;
        let (_, &mut key, _) = rest.select_nth_unstable(nth);
        from = rank;
        let index = usize::try_from(key.rem_euclid(1 << INDEX_BITS)).ok()?;
        values.get(index).copied()
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::{PERCENTILES, nearest_rank, percentiles};

    /// Selection answers exactly what a stable sort and [`nearest_rank`] answer, to the representation.
    #[track_caller]
    fn check(values: &[Decimal]) {
        let mut sorted = values.to_vec();
        sorted.sort();
        let want = PERCENTILES.map(|q| nearest_rank(&sorted, q));
        let mut mine = values.to_vec();
        let got = percentiles(&mut mine, &mut Vec::new());
        assert_eq!(got, want);
        let text = |v: [Option<Decimal>; 5]| v.map(|d| d.map(|d| d.to_string()));
        assert_eq!(text(got), text(want), "same representation, not only the same value");
    }

    #[test]
    fn percentiles_by_selection_equal_the_sorted_ones() {
        check(&[]);
        check(&[Decimal::new(7, 1)]);
        let spread: Vec<Decimal> = (0..1000i64).map(|i| Decimal::new((i * 7919) % 1000 - 300, 3)).collect();
        check(&spread);
        // Equal values written differently: the first in file order wins, as in a stable sort.
        let ties: Vec<Decimal> = (0..40i64)
            .map(|i| {
                Decimal::new(
                    15 * 10i64.pow(u32::try_from(i % 4).unwrap_or(0)),
                    1 + u32::try_from(i % 4).unwrap_or(0),
                )
            })
            .collect();
        check(&ties);
        // 28- and 29-digit values of one magnitude (scales 25 and 26), as loans are.
        let loans: Vec<Decimal> = (0..300i64)
            .map(|i| {
                Decimal::from_i128_with_scale(
                    5_331_234_567_890_123_456_789_012_345 + i128::from(i * 7),
                    25 + u32::from(i % 3 == 0),
                )
            })
            .collect();
        check(&loans);
        // Keys that do not fit an i128 at a common scale fall back to sorting decimals.
        let wide = vec![Decimal::MAX, Decimal::new(1, 28), Decimal::MIN, Decimal::ZERO, Decimal::new(-5, 27)];
        check(&wide);
    }
}
