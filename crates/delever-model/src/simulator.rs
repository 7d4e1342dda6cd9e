//! [`Simulator`]: `simulate` for a caller that runs one scenario after another (a page moving a lever), keeping the compiled plan and the run's buffers between calls.

use crate::engine::{Plan, Run};
use crate::error::SimError;
use crate::output::{Detail, Projection};
use crate::parts::{self, MergeError, Part};
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
        let cached = self.prepare(scenario);
        cached.run.execute(&cached.plan)?;
        Projection::build_with(scenario, &cached.plan, &cached.run, detail)
    }

    /// Part `index` of `parts` of `scenario`'s projection (validated; [`crate::parts`]):
    /// its share of the institutions run and summed. `Ok(None)` when the scenario does not
    /// run in parts ([`Run::separable`]): it is then run whole ([`Simulator::simulate`]).
    ///
    /// Errors: as [`crate::simulate`], for the part's institutions.
    pub fn simulate_part(
        &mut self,
        scenario: &Scenario,
        index: usize,
        parts: usize,
    ) -> Result<Option<Part>, SimError> {
        let cached = self.prepare(scenario);
        if !Run::separable(&cached.plan) {
            return Ok(None);
        }
        let range = parts::range(cached.plan.institutions.len(), index, parts);
        parts::run_part(scenario, &cached.plan, &mut cached.run, range).map(Some)
    }

    /// The projection merged from `parts`, in order ([`parts::merge`]), of the scenario last
    /// given to [`Simulator::simulate_part`]: what [`Simulator::simulate`] answers at
    /// [`Detail::RegionMonthly`], bit for bit.
    ///
    /// Errors: [`MergeError::Mismatch`] when no plan is kept for `scenario`, or the parts are
    /// not its; [`MergeError::Engine`] on an overflow in a sum.
    pub fn merge(&self, scenario: &Scenario, parts: &[Part]) -> Result<Projection, MergeError> {
        match &self.cached {
            Some(cached) if cached.shape.matches(scenario) && Run::separable(&cached.plan) => {
                parts::merge(scenario, &cached.plan, parts)
            }
            _ => Err(MergeError::Mismatch("scenario")),
        }
    }

    /// The plan and run for `scenario`: the kept ones with their drivers refreshed, or new.
    fn prepare(&mut self, scenario: &Scenario) -> &mut Cached {
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
        self.cached.insert(cached)
    }
}
