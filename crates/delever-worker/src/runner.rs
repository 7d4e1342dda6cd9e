//! Runs an analysis request in time-boxed slices, so a heavy run never holds the thread it runs on for long.
//!
//! A [`Runner`] owns the request's engine jobs. Each [`Runner::slice`] runs simulations
//! until its time budget is spent (the number per step adapts to the measured cost of a
//! simulation), then returns, so the worker reads its messages (a cancellation, a newer
//! request) between slices, and the page, when it runs them itself, paints and handles
//! input. Cancelling is dropping the runner. The clock is passed in, so this is tested natively.

use delever_model::analysis::pool::{self, RequestPart};
use delever_model::analysis::{Analysis, Job, Request};
use delever_model::{Error, Scenario};

/// The time budget of one slice on the page's own thread, in milliseconds: well under a
/// frame at 60 Hz with room to paint, and far under the 50 ms that counts as a long task.
pub const SLICE_MS: f64 = 12.0;

/// What one slice achieved.
#[derive(Debug)]
pub enum Step {
    /// Not finished: simulations done and expected in total.
    Progress {
        done: usize,
        total: usize,
    },
    /// Every job finished, results in the request's order.
    Done(Vec<Analysis>),
    /// The part finished: what it collected, as bytes for the merge (`pool::merge`).
    PartDone(Vec<u8>),
    Failed(Error),
}

/// A request being computed: whole, or one part of it for a pool of workers.
pub struct Runner {
    work: Work,
    /// Simulations per engine step, grown while a step is cheap against the budget.
    batch: usize,
}

enum Work {
    Jobs { jobs: Vec<Job>, results: Vec<Analysis> },
    Part(Box<RequestPart>),
}

/// What a worker of a pool does with a request.
pub enum Share {
    /// Runs all of it (it does not split, or the pool is one worker).
    Whole(Runner),
    /// Runs one part of it.
    Part(Runner),
    /// Has nothing to do (the request does not split, or has fewer units than workers).
    Idle,
}

impl Runner {
    /// Sets up the request's jobs on `scenario` (errors: the engine refuses the request).
    pub fn new(request: &Request, scenario: &Scenario) -> Result<Runner, Error> {
        let jobs = request.jobs(scenario)?;
        Ok(Runner { work: Work::Jobs { jobs, results: Vec::new() }, batch: 1 })
    }

    /// Worker `index` of a pool of `workers`: its part of the request (`pool::split`), the
    /// whole request for the first worker when it does not split, or nothing. Errors: the
    /// engine refuses the request (every worker says so, as the whole run would).
    pub fn share(
        request: &Request,
        scenario: &Scenario,
        index: usize,
        workers: usize,
    ) -> Result<Share, Error> {
        let ranges = pool::split(request, workers);
        if ranges.len() <= 1 {
            let runner = Runner::new(request, scenario)?;
            return Ok(if index == 0 { Share::Whole(runner) } else { Share::Idle });
        }
        let Some(range) = ranges.get(index).cloned() else {
            // Refuse what the whole run would refuse, even with nothing to run.
            Runner::new(request, scenario)?;
            return Ok(Share::Idle);
        };
        Ok(match RequestPart::new(request, scenario, range)? {
            Some(part) => Share::Part(Runner { work: Work::Part(Box::new(part)), batch: 1 }),
            None => Share::Idle,
        })
    }

    /// Simulations (a part: paths or rows) done and expected in total, over every job.
    pub fn progress(&self) -> (usize, usize) {
        match &self.work {
            Work::Jobs { jobs, .. } => jobs.iter().fold((0, 0), |(d, t), job| {
                let (done, total) = job.progress();
                (d.saturating_add(done), t.saturating_add(total))
            }),
            Work::Part(part) => part.progress(),
        }
    }

    /// One engine step of `batch` simulations: `Some` once the work has ended.
    fn step(&mut self) -> Option<Step> {
        match &mut self.work {
            Work::Jobs { jobs, results } => {
                let Some(job) = jobs.get_mut(results.len()) else {
                    return Some(Step::Done(std::mem::take(results)));
                };
                match job.step(self.batch) {
                    Err(err) => Some(Step::Failed(err)),
                    Ok(Some(result)) => {
                        results.push(result);
                        (results.len() == jobs.len()).then(|| Step::Done(std::mem::take(results)))
                    }
                    Ok(None) => None,
                }
            }
            Work::Part(part) => {
                if !part.run(self.batch) {
                    return None;
                }
                part.result().map(|result| match result {
                    Ok(bytes) => Step::PartDone(bytes),
                    Err(err) => Step::Failed(err),
                })
            }
        }
    }

    /// Runs until `budget_ms` has passed by `now()` (at least one engine step).
    pub fn slice(&mut self, budget_ms: f64, now: &dyn Fn() -> f64) -> Step {
        let start = now();
        loop {
            let before = now();
            if let Some(end) = self.step() {
                return end;
            }
            let after = now();
            // Grow the batch while one step costs under a quarter of the budget.
            if after - before < budget_ms / 4.0 {
                self.batch = self.batch.saturating_mul(2).min(1 << 16);
            } else if after - before > budget_ms / 2.0 {
                self.batch = (self.batch / 2).max(1);
            }
            if after - start >= budget_ms {
                let (done, total) = self.progress();
                return Step::Progress { done, total };
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    use delever_model::Lever;
    use rust_decimal::Decimal;

    use super::*;

    fn licheng() -> Scenario {
        delever_model::parse_scenario(
            delever_model::presets::get("licheng-2019").map(|p| p.json).unwrap_or(""),
        )
        .unwrap()
    }

    /// One request of each kind on Licheng, small enough for a test; goal seek also asks for
    /// `each` target alone.
    pub(crate) fn one_of_each(each: Vec<String>) -> [Request; 4] {
        [
            Request::GoalSeek { lever: Lever::WriteOffShare, targets: vec![], each },
            Request::Sensitivity { metric: "npl_ratio".into(), year: None },
            Request::Map {
                x: Lever::Disposal,
                y: Lever::WriteOffShare,
                metric: "npl_ratio".into(),
                steps: 5,
            },
            Request::MonteCarlo { paths: 50, seed: 7, cv: Decimal::new(3, 1) },
        ]
    }

    /// A clock that advances by `tick` every time it is read.
    pub(crate) fn clock(tick: f64) -> impl Fn() -> f64 {
        let t = Cell::new(0.0);
        move || {
            t.set(t.get() + tick);
            t.get()
        }
    }

    fn run_to_end(runner: &mut Runner, tick: f64) -> (Vec<Analysis>, usize) {
        let now = clock(tick);
        let mut slices = 0;
        let mut last_done = 0;
        loop {
            slices += 1;
            match runner.slice(SLICE_MS, &now) {
                Step::Progress { done, total } => {
                    assert!(done >= last_done && done <= total, "{done} {total}");
                    last_done = done;
                }
                Step::Done(results) => return (results, slices),
                Step::Failed(err) => panic!("{err:?}"),
                Step::PartDone(_) => panic!("a whole request ran as a part"),
            }
        }
    }

    #[test]
    fn sliced_runs_give_the_engines_answers() {
        let s = licheng();
        for request in one_of_each(vec![s.targets[0].id.clone()]) {
            let mut runner = Runner::new(&request, &s).unwrap();
            // A slow clock: every slice ends after one step.
            let (results, slices) = run_to_end(&mut runner, 100.0);
            assert!(slices > 1, "{request:?} ran in one slice");
            let whole = match &request {
                Request::GoalSeek { lever, targets, each } => {
                    let mut all =
                        vec![Analysis::GoalSeek(delever_model::goal_seek(&s, *lever, targets).unwrap())];
                    for id in each {
                        all.push(Analysis::GoalSeek(
                            delever_model::goal_seek(&s, *lever, std::slice::from_ref(id)).unwrap(),
                        ));
                    }
                    all
                }
                Request::Sensitivity { metric, year } => {
                    vec![Analysis::Sensitivity(delever_model::sensitivity(&s, Some(metric), *year).unwrap())]
                }
                Request::Map { x, y, metric, steps } => vec![Analysis::Feasibility(
                    delever_model::feasibility(&s, *x, *y, *steps, Some(metric), None).unwrap(),
                )],
                Request::MonteCarlo { paths, seed, cv } => {
                    let options = delever_model::MonteCarloOptions {
                        paths: *paths,
                        seed: *seed,
                        cv: *cv,
                        ..Default::default()
                    };
                    vec![Analysis::MonteCarlo(delever_model::monte_carlo(&s, &options).unwrap())]
                }
            };
            assert_eq!(results, whole, "{request:?}");
        }
    }

    #[test]
    fn a_fast_clock_grows_the_batch_and_finishes_in_few_slices() {
        let s = licheng();
        let request = Request::MonteCarlo { paths: 400, seed: 1, cv: Decimal::new(25, 2) };
        let mut runner = Runner::new(&request, &s).unwrap();
        let (_, slices) = run_to_end(&mut runner, 0.01);
        assert!(slices <= 3, "{slices} slices");
    }

    #[test]
    fn a_request_the_engine_refuses_is_an_error_not_a_panic() {
        let mut s = licheng();
        s.targets.clear();
        let request = Request::GoalSeek { lever: Lever::LoanGrowth, targets: vec![], each: vec![] };
        assert!(Runner::new(&request, &s).is_err());
    }
}
