//! Monte Carlo paths, the feasibility map's rows, the goal seek's scan and the tornado's levers spread over the machine's threads, with exactly the one-thread answers.
//!
//! The work is cut into one contiguous part per thread. A Monte Carlo part skips the random
//! stream to its first path, so every path draws what it draws in a one-thread run; a map
//! row, a scanned point and a tornado bar each start from the scenario analysed, so they are
//! the same wherever they run (the goal seek's bisections, each from the last, follow on one
//! thread). The parts are joined in order (`monte_carlo_merge`, `feasibility_merge`,
//! `goal_seek_merge`, `sensitivity_merge`), so percentiles, probabilities, cells, intervals
//! and bars are the same in every digit and order. A run that takes more than a second
//! says how far it is on standard error.

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use delever_cli::diagnostic::Failure;
use delever_model::analysis::{
    FeasibilityPart, GOAL_SEEK_POINTS, GoalSeekScanPart, MonteCarloPart, SensitivityPart, feasibility_merge,
    goal_seek_merge, monte_carlo_merge, sensitivity_merge, split_range,
};
use delever_model::{Feasibility, GoalSeek, Lever, MonteCarlo, MonteCarloOptions, Scenario, Sensitivity};

/// The threads to use when `--threads` is not given: all the machine has.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs between two looks at the progress counter.
const SLICE: usize = 8;

/// How long a run goes before it reports its progress, and how often after that.
const QUIET: Duration = Duration::from_secs(1);
const EVERY: Duration = Duration::from_millis(500);

/// One part of an analysis, run in slices.
trait Part: Send {
    /// Runs up to `max_runs` more; `true` once the part is done.
    fn run(&mut self, max_runs: usize) -> bool;
    /// Units done so far (paths, rows).
    fn done(&self) -> usize;
}

impl Part for MonteCarloPart {
    fn run(&mut self, max_runs: usize) -> bool {
        MonteCarloPart::run(self, max_runs)
    }
    fn done(&self) -> usize {
        MonteCarloPart::done(self)
    }
}

impl Part for GoalSeekScanPart {
    fn run(&mut self, max_runs: usize) -> bool {
        GoalSeekScanPart::run(self, max_runs)
    }
    fn done(&self) -> usize {
        GoalSeekScanPart::done(self)
    }
}

impl Part for SensitivityPart {
    fn run(&mut self, max_runs: usize) -> bool {
        SensitivityPart::run(self, max_runs)
    }
    fn done(&self) -> usize {
        SensitivityPart::done(self)
    }
}

impl Part for FeasibilityPart {
    fn run(&mut self, max_runs: usize) -> bool {
        FeasibilityPart::run(self, max_runs)
    }
    fn done(&self) -> usize {
        self.rows_done()
    }
}

/// `delever_model::monte_carlo` on `threads` threads (1: on this one).
pub fn monte_carlo(
    scenario: &Scenario,
    options: &MonteCarloOptions,
    threads: usize,
) -> Result<MonteCarlo, Failure> {
    let ranges = split_range(options.paths, threads);
    if ranges.len() <= 1 {
        return Ok(delever_model::monte_carlo(scenario, options)?);
    }
    // Every part checks the options as the whole run would, before any thread starts.
    let parts = ranges
        .into_iter()
        .map(|range| MonteCarloPart::new(scenario, options, range))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = run_parts(parts, options.paths, "monte-carlo", "paths")?;
    monte_carlo_merge(parts).ok_or_else(unfinished)
}

/// `delever_model::feasibility` on `threads` threads, a part of the map's rows on each.
pub fn feasibility(
    scenario: &Scenario,
    levers: (Lever, Lever),
    steps: usize,
    read: (Option<&str>, Option<i32>),
    threads: usize,
) -> Result<Feasibility, Failure> {
    let ranges = split_range(steps, threads);
    if ranges.len() <= 1 {
        return Ok(delever_model::feasibility(scenario, levers.0, levers.1, steps, read.0, read.1)?);
    }
    let parts = ranges
        .into_iter()
        .map(|rows| FeasibilityPart::new(scenario, levers, steps, read, rows))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = run_parts(parts, steps, "feasibility", "rows")?;
    feasibility_merge(parts).ok_or_else(unfinished)
}

/// `delever_model::goal_seek` with its scan on `threads` threads; the bisections that follow
/// (a few dozen runs, each from the last) on this one.
pub fn goal_seek(
    scenario: &Scenario,
    lever: Lever,
    targets: &[String],
    threads: usize,
) -> Result<GoalSeek, Failure> {
    let ranges = split_range(GOAL_SEEK_POINTS, threads);
    if ranges.len() <= 1 {
        return Ok(delever_model::goal_seek(scenario, lever, targets)?);
    }
    let parts = ranges
        .into_iter()
        .map(|range| GoalSeekScanPart::new(scenario, lever, targets, range))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = run_parts(parts, GOAL_SEEK_POINTS, "goal-seek", "scan points")?;
    Ok(goal_seek_merge(parts).ok_or_else(unfinished)??)
}

/// `delever_model::sensitivity` on `threads` threads, a part of the levers on each.
pub fn sensitivity(
    scenario: &Scenario,
    (metric, year): (Option<&str>, Option<i32>),
    threads: usize,
) -> Result<Sensitivity, Failure> {
    let ranges = split_range(Lever::ALL.len(), threads);
    if ranges.len() <= 1 {
        return Ok(delever_model::sensitivity(scenario, metric, year)?);
    }
    let parts = ranges
        .into_iter()
        .map(|levers| SensitivityPart::new(scenario, metric, year, levers))
        .collect::<Result<Vec<_>, _>>()?;
    let runs = 1usize.saturating_add(Lever::ALL.len().saturating_mul(2));
    let parts = run_parts(parts, runs, "sensitivity", "runs")?;
    Ok(sensitivity_merge(parts).ok_or_else(unfinished)??)
}

/// Runs `parts` side by side, the last on this thread (which reports the progress of all
/// `total` units once the run takes more than a second), and returns them, in order, done.
fn run_parts<P: Part>(mut parts: Vec<P>, total: usize, what: &str, units: &str) -> Result<Vec<P>, Failure> {
    let Some(mut own) = parts.pop() else { return Ok(parts) };
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    // Every thread waits until all have started: a scheduler that leaves a new thread on its
    // parent's core until the parent blocks (measured on this project's 2-core machines: a
    // 1000-path run then took the one-thread time) spreads them over the cores at that wait.
    let started_all = Barrier::new(parts.len().saturating_add(1));
    let finished = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|mut part| {
                let (done, started_all) = (&done, &started_all);
                scope.spawn(move || {
                    started_all.wait();
                    run_counted(&mut part, done, &mut || {});
                    part
                })
            })
            .collect();
        started_all.wait();
        let mut reported = None::<Instant>;
        run_counted(&mut own, &done, &mut || {
            let due = reported.map_or(started.elapsed() >= QUIET, |at| at.elapsed() >= EVERY);
            if due {
                let elapsed = started.elapsed().as_secs_f64();
                eprintln!("{what}: {} / {total} {units} ({elapsed:.1} s)", done.load(Ordering::Relaxed));
                reported = Some(Instant::now());
            }
        });
        let mut all = handles.into_iter().map(|h| h.join()).collect::<Result<Vec<_>, _>>()?;
        all.push(own);
        Ok::<_, Box<dyn std::any::Any + Send>>(all)
    });
    finished.map_err(|_| unfinished())
}

/// Runs `part` to its end, adding each slice's units to `done` and calling `between` after each slice.
fn run_counted<P: Part>(part: &mut P, done: &AtomicUsize, between: &mut dyn FnMut()) {
    let mut before = 0;
    loop {
        let finished = part.run(SLICE);
        done.fetch_add(part.done().saturating_sub(before), Ordering::Relaxed);
        before = part.done();
        if finished {
            return;
        }
        between();
    }
}

/// Neither a stopped thread nor parts that do not join can happen (the engine never panics;
/// the parts are a cover in order), but if one did, it is said, not printed as an answer.
fn unfinished() -> Failure {
    Failure::one(
        "internal error: a part of the analysis did not finish; run again with --threads 1",
        "内部错误：分析的某一部分未完成；请以 --threads 1 重新运行",
    )
}
