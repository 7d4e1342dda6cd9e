//! [`Request`]: an analysis as the page's panels ask for it, and the engine jobs that answer it, in one place for the page and the engine's worker.

use rust_decimal::Decimal;

use super::{Job, Lever, MonteCarloOptions};
use crate::error::Error;
use crate::scenario::Scenario;

/// An analysis to run on a scenario: what an open panel of the page needs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Request {
    /// The chosen targets together, then each of them alone (to explain an empty answer).
    GoalSeek {
        lever: Lever,
        targets: Vec<String>,
        each: Vec<String>,
    },
    Sensitivity {
        metric: String,
        year: Option<i32>,
    },
    Map {
        x: Lever,
        y: Lever,
        metric: String,
        steps: usize,
    },
    MonteCarlo {
        paths: usize,
        seed: u64,
        cv: Decimal,
    },
}

impl Request {
    /// The jobs that answer the request, in order.
    pub fn jobs(&self, scenario: &Scenario) -> Result<Vec<Job>, Error> {
        match self {
            Request::GoalSeek { lever, targets, each } => {
                let mut jobs = vec![Job::goal_seek(scenario, *lever, targets)?];
                for id in each {
                    jobs.push(Job::goal_seek(scenario, *lever, std::slice::from_ref(id))?);
                }
                Ok(jobs)
            }
            Request::Sensitivity { metric, year } => {
                Ok(vec![Job::sensitivity(scenario, Some(metric.as_str()), *year)?])
            }
            Request::Map { x, y, metric, steps } => {
                Ok(vec![Job::feasibility(scenario, *x, *y, *steps, Some(metric.as_str()), None)?])
            }
            Request::MonteCarlo { paths, seed, cv } => {
                let options = MonteCarloOptions { paths: *paths, seed: *seed, cv: *cv, ..Default::default() };
                Ok(vec![Job::monte_carlo(scenario, &options)?])
            }
        }
    }
}
