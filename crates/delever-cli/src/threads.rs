//! The Monte Carlo paths spread over the machine's threads, with exactly the one-thread answer.
//!
//! The paths are cut into one contiguous part per thread; each part skips the random stream
//! to its first path, so every path draws what it draws in a one-thread run, and the parts
//! are joined in path order (`delever_model::analysis::monte_carlo_merge`), so percentiles
//! and probabilities are the same in every digit. A run that takes more than a second says
//! how far it is on standard error.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use delever_cli::diagnostic::Failure;
use delever_model::analysis::{MonteCarloPart, monte_carlo_merge, split_range};
use delever_model::{MonteCarlo, MonteCarloOptions, Scenario};

/// The threads to use when `--threads` is not given: all the machine has.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Paths each thread runs between two looks at the progress counter.
const SLICE: usize = 8;

/// How long a run goes before it reports its progress, and how often after that.
const QUIET: Duration = Duration::from_secs(1);
const EVERY: Duration = Duration::from_millis(500);

/// Runs `part` to its end, adding each slice's paths to `done`.
fn run_counted(part: &mut MonteCarloPart, done: &AtomicUsize) {
    let mut before = 0;
    while !part.run(SLICE) {
        done.fetch_add(part.done() - before, Ordering::Relaxed);
        before = part.done();
    }
    done.fetch_add(part.done() - before, Ordering::Relaxed);
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
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    let mut parts = parts;
    // This thread runs the last part itself, saying how far the whole run is as it goes.
    let Some(mut own) = parts.pop() else { return Ok(delever_model::monte_carlo(scenario, options)?) };
    let finished = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|mut part| {
                let done = &done;
                scope.spawn(move || {
                    run_counted(&mut part, done);
                    part
                })
            })
            .collect();
        let mut reported = None::<Instant>;
        let mut before = 0;
        while !own.run(SLICE) {
            done.fetch_add(own.done() - before, Ordering::Relaxed);
            before = own.done();
            let due = reported.map_or(started.elapsed() >= QUIET, |at| at.elapsed() >= EVERY);
            if due {
                eprintln!(
                    "monte-carlo: {} / {} paths ({:.1} s)",
                    done.load(Ordering::Relaxed),
                    options.paths,
                    started.elapsed().as_secs_f64()
                );
                reported = Some(Instant::now());
            }
        }
        let mut all = handles.into_iter().map(|h| h.join()).collect::<Result<Vec<_>, _>>()?;
        all.push(own);
        Ok::<_, Box<dyn std::any::Any + Send>>(all)
    });
    // Neither can happen (the engine never panics; the parts are a cover in order), but
    // if one did, it is said, not printed as a wrong answer.
    let unfinished = || {
        Failure::one(
            "internal error: a Monte Carlo part did not finish; run again with --threads 1".to_string(),
            "内部错误：蒙特卡洛的某一部分未完成；请以 --threads 1 重新运行".to_string(),
        )
    };
    let parts = finished.map_err(|_| unfinished())?;
    monte_carlo_merge(parts).ok_or_else(unfinished)
}
