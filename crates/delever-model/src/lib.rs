//! The exact deleveraging engine: scenario files, the monthly stock-flow model, targets and analyses.
//!
//! Everything here follows `shared/design/MODEL.md` (the contract). The crate is
//! sans-IO and deterministic: no files, no clock, no randomness but the seeded
//! SplitMix64 stream of the Monte Carlo analysis, and no `f64` in the accounting.
//! Every amount and rate is a [`rust_decimal::Decimal`]; overflow is an error value.
//!
//! The usual path is [`parse_scenario`] → [`simulate`] → [`Projection::to_json`].

#![forbid(unsafe_code)]
#![deny(clippy::arithmetic_side_effects)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod analysis;
pub mod division;
pub mod engine;
pub mod error;
pub mod invariants;
pub mod metrics;
pub mod num;
pub mod output;
pub mod parts;
pub mod presets;
pub mod reference;
pub mod rng;
pub mod scenario;
pub mod simulator;
pub mod sum;
pub mod targets;
pub mod tracking;
pub mod validate;
pub mod wire;

pub use analysis::{
    Analysis, Feasibility, GoalSeek, Job, Lever, MonteCarlo, MonteCarloOptions, Sensitivity, feasibility,
    goal_seek, monte_carlo, sensitivity,
};
pub use error::{Error, Issue, Lang, Problem, SimError};
pub use output::Projection;
pub use scenario::Scenario;
pub use simulator::Simulator;
pub use validate::{MAX_INPUT_BYTES, parse_scenario, parse_scenario_value};

/// The model's version, stamped into exports so a printed number can be traced to its engine.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs the monthly model over a validated scenario and derives every output of MODEL.md section 4.
///
/// Errors: [`SimError::NegativeStock`] when performing loans would turn negative
/// (a deep negative loan growth), [`SimError::Overflow`] if a decimal overflows.
pub fn simulate(scenario: &Scenario) -> Result<Projection, SimError> {
    let plan = engine::Plan::compile(scenario);
    let mut run = engine::Run::new(&plan);
    run.execute(&plan)?;
    output::Projection::build(scenario, &plan, &run)
}
