//! The engine calls behind each command, from scenario text already read: the same checks, in the same order, for the command line and for `window.delever`.

use delever_model::analysis::MonteCarloOptions;
use delever_model::validate::parse_decimal_text;
use delever_model::{
    Feasibility, GoalSeek, Issue, Lever, MonteCarlo, Problem, Projection, Scenario, Sensitivity,
    parse_scenario,
};
use serde_json::Value;

use crate::diagnostic::{Failure, both};

/// A scenario file's text, validated.
pub fn scenario(text: &str) -> Result<Scenario, Failure> {
    parse_scenario(text).map_err(Failure::from)
}

/// Pretty JSON and a final newline: the `--format json` output of every command.
pub fn json_text(value: &Value) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|err| Failure::one(format!("cannot write JSON: {err}"), format!("无法生成 JSON：{err}")))?;
    text.push('\n');
    Ok(text)
}

/// A lever by name.
pub fn lever(text: &str) -> Result<Lever, Failure> {
    Lever::parse(text).map_err(|problem| Failure::from(delever_model::Error::Analysis(problem)))
}

/// `simulate`.
pub fn simulate(scenario: Result<Scenario, Failure>) -> Result<(Scenario, Projection), Failure> {
    let scenario = scenario?;
    let projection = delever_model::simulate(&scenario)?;
    Ok((scenario, projection))
}

/// `decompose`: the scenario's problems, then the year's (reported at `year_name`, `--year`
/// on the command line): it must be a year of the projection.
pub fn decompose(
    scenario: Result<Scenario, Failure>,
    year: Option<i32>,
    year_name: &str,
) -> Result<(Scenario, Vec<delever_model::division::Divided>), Failure> {
    let (scenario, projection) = simulate(scenario)?;
    if let Some(y) = year {
        let (first, last) = (scenario.first_year(), scenario.last_year());
        if y < first || y > last {
            return Err(Failure::one(
                format!("{year_name}: {y} is not a year of the projection; allowed: {first} … {last}"),
                format!("{year_name}：{y} 不在测算年份内；可选 {first} … {last}"),
            ));
        }
    }
    let divided = delever_model::division::decompose(&scenario, &projection, year);
    Ok((scenario, divided))
}

/// `goal-seek`: the lever's problems, then the scenario's.
pub fn goal_seek(
    scenario: Result<Scenario, Failure>,
    lever_name: &str,
    targets: &[String],
) -> Result<(Scenario, GoalSeek), Failure> {
    goal_seek_with(scenario, lever_name, |s, lever| Ok(delever_model::goal_seek(s, lever, targets)?))
}

/// `goal-seek`, the seek run by `run` from the scenario and the lever (its scan spread over
/// threads by the command line: the same answer).
pub fn goal_seek_with(
    scenario: Result<Scenario, Failure>,
    lever_name: &str,
    run: impl FnOnce(&Scenario, Lever) -> Result<GoalSeek, Failure>,
) -> Result<(Scenario, GoalSeek), Failure> {
    let (lever, scenario) = both(lever(lever_name), scenario)?;
    let result = run(&scenario, lever)?;
    Ok((scenario, result))
}

/// `sensitivity`.
pub fn sensitivity(
    scenario: Result<Scenario, Failure>,
    metric: Option<&str>,
    year: Option<i32>,
) -> Result<(Scenario, Sensitivity), Failure> {
    sensitivity_with(scenario, |s| Ok(delever_model::sensitivity(s, metric, year)?))
}

/// `sensitivity`, the tornado run by `run` (its levers spread over threads by the command
/// line: the same answer).
pub fn sensitivity_with(
    scenario: Result<Scenario, Failure>,
    run: impl FnOnce(&Scenario) -> Result<Sensitivity, Failure>,
) -> Result<(Scenario, Sensitivity), Failure> {
    let scenario = scenario?;
    let result = run(&scenario)?;
    Ok((scenario, result))
}

/// `feasibility`: both levers' problems, then the scenario's.
pub fn feasibility(
    scenario: Result<Scenario, Failure>,
    (x, y): (&str, &str),
    steps: usize,
    metric: Option<&str>,
    year: Option<i32>,
) -> Result<(Scenario, Feasibility), Failure> {
    feasibility_with(scenario, (x, y), |s, (x, y)| {
        Ok(delever_model::feasibility(s, x, y, steps, metric, year)?)
    })
}

/// `feasibility`, the map computed by `run` from the scenario and the two levers (spread over
/// threads by the command line: the same answer).
pub fn feasibility_with(
    scenario: Result<Scenario, Failure>,
    (x, y): (&str, &str),
    run: impl FnOnce(&Scenario, (Lever, Lever)) -> Result<Feasibility, Failure>,
) -> Result<(Scenario, Feasibility), Failure> {
    let ((x, y), scenario) = both(both(lever(x), lever(y)), scenario)?;
    let result = run(&scenario, (x, y))?;
    Ok((scenario, result))
}

/// `monte-carlo`: the coefficient of variation's problem (reported at `cv_name`, `--cv` on the
/// command line), then the scenario's; the paths run by `run` (`delever_model::monte_carlo`
/// for `window.delever`, spread over threads by the command line: the same answer).
pub fn monte_carlo(
    scenario: Result<Scenario, Failure>,
    options: (usize, u64, &str),
    cv_name: &str,
    metrics: Option<Vec<String>>,
    run: impl FnOnce(&Scenario, &MonteCarloOptions) -> Result<MonteCarlo, Failure>,
) -> Result<(Scenario, MonteCarlo), Failure> {
    let (paths, seed, cv_text) = options;
    let cv = parse_decimal_text(cv_text).ok_or_else(|| {
        Failure::from(vec![Issue::new(cv_name, Problem::NotDecimal { got: cv_text.to_string() })])
    });
    let (cv, scenario) = both(cv, scenario)?;
    let defaults = MonteCarloOptions::default();
    let options = MonteCarloOptions { paths, seed, cv, metrics: metrics.unwrap_or(defaults.metrics) };
    let result = run(&scenario, &options)?;
    Ok((scenario, result))
}
