//! [`Simulator`]: `simulate` for a caller that runs one scenario after another (a page moving a lever), keeping the compiled plan and the run's buffers between calls.

use crate::engine::{Plan, Run};
use crate::error::SimError;
use crate::output::{Detail, Projection};
use crate::scenario::{Actual, Event, Opening, Scenario, YearMonth};

/// A plan and a run kept across scenarios that differ only in their drivers.
///
/// [`Simulator::simulate`] answers exactly what [`crate::simulate`] answers (with
/// [`Detail::Full`]), or that answer with the zones' and institutions' months left out
/// ([`Detail::RegionMonthly`]). When the new scenario has the shape the plan was compiled
/// for (the same start, years, institutions' ids and opening balances, and events) the plan's
/// drivers are refreshed in place (`Plan::refresh_drivers`, as the analyses do) and the
/// run's buffers are reused; otherwise the plan is compiled afresh.
#[derive(Debug, Default)]
pub struct Simulator {
    cached: Option<Cached>,
}

#[derive(Debug)]
struct Cached {
    shape: Shape,
    plan: Plan,
    run: Run,
}

/// What `Plan::compile` reads beyond the drivers.
#[derive(Debug, PartialEq)]
struct Shape {
    start: YearMonth,
    years: u32,
    institutions: Vec<(String, Opening)>,
    events: Vec<Event>,
    /// The reported months are compiled into the plan too.
    actuals: Vec<Actual>,
}

impl Shape {
    fn of(scenario: &Scenario) -> Shape {
        Shape {
            start: scenario.start,
            years: scenario.years,
            institutions: scenario.institutions.iter().map(|i| (i.id.clone(), i.opening.clone())).collect(),
            events: scenario.events.clone(),
            actuals: scenario.actuals.clone(),
        }
    }

    fn matches(&self, scenario: &Scenario) -> bool {
        self.start == scenario.start
            && self.years == scenario.years
            && self.events == scenario.events
            && self.actuals == scenario.actuals
            && self.institutions.len() == scenario.institutions.len()
            && self
                .institutions
                .iter()
                .zip(&scenario.institutions)
                .all(|((id, opening), inst)| *id == inst.id && *opening == inst.opening)
    }
}

impl Simulator {
    pub fn new() -> Simulator {
        Simulator::default()
    }

    /// Runs `scenario` (validated) and builds its projection at `detail`.
    ///
    /// Errors: as [`crate::simulate`].
    pub fn simulate(&mut self, scenario: &Scenario, detail: Detail) -> Result<Projection, SimError> {
        let cached = match self.cached.take() {
            Some(mut cached) if cached.shape.matches(scenario) => {
                cached.plan.refresh_drivers(scenario);
                cached
            }
            _ => {
                let plan = Plan::compile(scenario);
                let run = Run::new(&plan);
                Cached { shape: Shape::of(scenario), plan, run }
            }
        };
        let cached = self.cached.insert(cached);
        cached.run.execute(&cached.plan)?;
        Projection::build_with(scenario, &cached.plan, &cached.run, detail)
    }
}
