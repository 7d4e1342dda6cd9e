//! The JavaScript API of MODEL.md section 8 (`window.delever`): the command line's `--format json`, in the page.
//!
//! Each function takes the scenario as JSON text and returns exactly what
//! `delever-cli <command> … --format json` prints on standard output (pretty JSON
//! and a final newline), or fails with exactly what it prints on standard error
//! (every problem, `error: ` + English line, then `error: ` + Chinese line), less
//! the last newline. `boot.js` gathers the exports into a frozen `window.delever`.
//!
//! The work is done by plain functions ([`simulate_json`] …) and by the `*_js`
//! functions, which first check arguments as JavaScript passed them ([`JsArg`]);
//! both are tested natively against the engine. The `#[wasm_bindgen]` exports
//! (wasm32 only) just convert a `JsValue` into a [`JsArg`] and an error into a JS `Error`.
//!
//! The requests and their error wording are the command line's own (`delever_cli::request`,
//! `delever_cli::diagnostic`, the library half of `delever-cli`); only the checks of
//! arguments as JavaScript passes them are this module's. The end-to-end tests compare
//! this module's output with the real command line's, byte for byte.

use std::ops::RangeInclusive;

use delever_cli::diagnostic::{Failure, Language};
use delever_cli::request::{self, json_text};
use delever_model::analysis::{DEFAULT_STEPS, MAX_PATHS, MAX_STEPS, MonteCarloOptions};
use delever_model::error::{AnalysisProblem, Expected};
use delever_model::{Issue, Problem};

/// The default coefficient of variation of `monteCarlo`, as the command line writes it (`--cv`).
pub const DEFAULT_CV: &str = "0.25";

/// JavaScript's largest exact integer (`Number.MAX_SAFE_INTEGER`): larger seeds must come as text or BigInt.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An argument as JavaScript passed it, before it is checked.
#[derive(Clone, Debug, PartialEq)]
pub enum JsArg {
    /// `null` or `undefined`: the default, where there is one.
    Absent,
    Number(f64),
    /// A string (a BigInt arrives as its decimal text).
    Text(String),
    /// An array, element by element.
    List(Vec<JsArg>),
    /// Anything else, named by its `typeof` (`object`, `boolean`, `function`…).
    Other(String),
}

/// `simulate(scenarioJson)`: the projection, as `delever-cli simulate FILE --format json` prints it.
pub fn simulate_json(scenario_json: &str) -> Result<String, String> {
    simulate(scenario_json).map_err(|failure| render(&failure))
}

/// `goalSeek(scenarioJson, lever, targetIds)`: as `delever-cli goal-seek FILE --lever L [--target ID]…`.
///
/// An empty `target_ids` means every target of the scenario.
pub fn goal_seek_json(scenario_json: &str, lever: &str, target_ids: &[String]) -> Result<String, String> {
    goal_seek(scenario_json, lever, target_ids).map_err(|failure| render(&failure))
}

/// `sensitivity(scenarioJson, metric, year)`: as `delever-cli sensitivity FILE [--metric M] [--year Y]`.
///
/// Defaults: `npl_ratio`, in the last projected year.
pub fn sensitivity_json(
    scenario_json: &str,
    metric: Option<&str>,
    year: Option<i32>,
) -> Result<String, String> {
    sensitivity(scenario_json, metric, year).map_err(|failure| render(&failure))
}

/// `feasibility(scenarioJson, xLever, yLever, steps)`: as `delever-cli feasibility FILE --x X --y Y --steps N`.
pub fn feasibility_json(
    scenario_json: &str,
    x_lever: &str,
    y_lever: &str,
    steps: usize,
) -> Result<String, String> {
    feasibility(scenario_json, x_lever, y_lever, steps).map_err(|failure| render(&failure))
}

/// `monteCarlo(scenarioJson, paths, seed, cv)`: as `delever-cli monte-carlo FILE --paths N --seed S --cv CV`.
///
/// `cv` is decimal text, read as the command line reads `--cv`.
pub fn monte_carlo_json(scenario_json: &str, paths: usize, seed: u64, cv: &str) -> Result<String, String> {
    monte_carlo(scenario_json, paths, seed, cv).map_err(|failure| render(&failure))
}

/// `decompose(scenarioJson, year)`: as `delever-cli decompose FILE [--year Y] --format json`
/// (MODEL.md section 12, v2).
pub fn decompose_json(scenario_json: &str, year: Option<i32>) -> Result<String, String> {
    decompose(scenario_json, year).map_err(|failure| render(&failure))
}

/// [`decompose_json`] with JavaScript arguments; `year` may be null or undefined (every year).
pub fn decompose_js(scenario_json: JsArg, year: JsArg) -> Result<String, String> {
    let checked = scenario_text(scenario_json).and_then(|text| {
        let (min, max) = (i128::from(i32::MIN), i128::from(i32::MAX));
        let year = whole_number("year", year, min, max, min..=max)?;
        Ok((text, year.and_then(|year| i32::try_from(year).ok())))
    });
    let (text, year) = checked.map_err(|failure| render(&failure))?;
    decompose_json(&text, year)
}

/// [`simulate_json`] with its argument as JavaScript passed it.
pub fn simulate_js(scenario_json: JsArg) -> Result<String, String> {
    let text = scenario_text(scenario_json).map_err(|failure| render(&failure))?;
    simulate_json(&text)
}

/// [`goal_seek_json`] with JavaScript arguments; `targetIds` may be null or undefined (every
/// target), an array of ids, or a single id.
pub fn goal_seek_js(scenario_json: JsArg, lever: JsArg, target_ids: JsArg) -> Result<String, String> {
    let checked = scenario_text(scenario_json)
        .and_then(|text| Ok((text, required_text("lever", lever)?, text_list("targetIds", target_ids)?)));
    let (text, lever, targets) = checked.map_err(|failure| render(&failure))?;
    goal_seek_json(&text, &lever, &targets)
}

/// [`sensitivity_json`] with JavaScript arguments; `metric` and `year` may be null or undefined.
pub fn sensitivity_js(scenario_json: JsArg, metric: JsArg, year: JsArg) -> Result<String, String> {
    let checked = scenario_text(scenario_json).and_then(|text| {
        let metric = optional_text("metric", metric)?;
        let (min, max) = (i128::from(i32::MIN), i128::from(i32::MAX));
        let year = whole_number("year", year, min, max, min..=max)?;
        Ok((text, metric, year.and_then(|year| i32::try_from(year).ok())))
    });
    let (text, metric, year) = checked.map_err(|failure| render(&failure))?;
    sensitivity_json(&text, metric.as_deref(), year)
}

/// [`feasibility_json`] with JavaScript arguments; `steps` may be null or undefined (41).
pub fn feasibility_js(
    scenario_json: JsArg,
    x_lever: JsArg,
    y_lever: JsArg,
    steps: JsArg,
) -> Result<String, String> {
    let checked = scenario_text(scenario_json).and_then(|text| {
        let x = required_text("xLever", x_lever)?;
        let y = required_text("yLever", y_lever)?;
        let steps = count("steps", steps, 2, MAX_STEPS)?.unwrap_or(DEFAULT_STEPS);
        Ok((text, x, y, steps))
    });
    let (text, x, y, steps) = checked.map_err(|failure| render(&failure))?;
    feasibility_json(&text, &x, &y, steps)
}

/// [`monte_carlo_json`] with JavaScript arguments; null or undefined mean the command line's
/// defaults (1000 paths, seed 42, cv 0.25). `seed` may be a number, a BigInt or decimal text;
/// `cv` a number or decimal text.
pub fn monte_carlo_js(scenario_json: JsArg, paths: JsArg, seed: JsArg, cv: JsArg) -> Result<String, String> {
    let defaults = MonteCarloOptions::default();
    let checked = scenario_text(scenario_json).and_then(|text| {
        let paths = count("paths", paths, 1, MAX_PATHS)?.unwrap_or(defaults.paths);
        let seed = seed_value(seed)?.unwrap_or(defaults.seed);
        let cv = match cv {
            JsArg::Absent => DEFAULT_CV.to_string(),
            JsArg::Number(number) => number_text(number),
            JsArg::Text(text) => text,
            other => return Err(wrong_type("cv", &other, Expected::Decimal)),
        };
        Ok((text, paths, seed, cv))
    });
    let (text, paths, seed, cv) = checked.map_err(|failure| render(&failure))?;
    monte_carlo_json(&text, paths, seed, &cv)
}

/// The engine's version (`delever_model::MODEL_VERSION`).
pub fn version() -> &'static str {
    delever_model::MODEL_VERSION
}

/// The command line's wording of a failure (both languages, English first), without the final newline.
fn render(failure: &Failure) -> String {
    failure.render(Language::Both).trim_end_matches('\n').to_string()
}

// The command functions: the command line's requests (`delever_cli::request`), JSON out.

fn simulate(text: &str) -> Result<String, Failure> {
    let (_, projection) = request::simulate(request::scenario(text))?;
    json_text(&projection.to_json())
}

fn goal_seek(text: &str, lever: &str, targets: &[String]) -> Result<String, Failure> {
    let (_, result) = request::goal_seek(request::scenario(text), lever, targets)?;
    json_text(&result.to_json())
}

fn sensitivity(text: &str, metric: Option<&str>, year: Option<i32>) -> Result<String, Failure> {
    let (_, result) = request::sensitivity(request::scenario(text), metric, year)?;
    json_text(&result.to_json())
}

fn feasibility(text: &str, x: &str, y: &str, steps: usize) -> Result<String, Failure> {
    let (_, result) = request::feasibility(request::scenario(text), (x, y), steps, None, None)?;
    json_text(&result.to_json())
}

fn decompose(text: &str, year: Option<i32>) -> Result<String, Failure> {
    let (_, divided) = request::decompose(request::scenario(text), year, "year")?;
    json_text(&delever_model::division::decomposition_json(&divided))
}

fn monte_carlo(text: &str, paths: usize, seed: u64, cv: &str) -> Result<String, Failure> {
    let (_, result) =
        request::monte_carlo(request::scenario(text), (paths, seed, cv), "cv", None, |s, o| {
            Ok(delever_model::monte_carlo(s, o)?)
        })?;
    json_text(&result.to_json())
}

// Checking arguments as JavaScript passed them. The command line never sees these
// problems (clap refuses such arguments first), so the wording is the engine's where
// it has one, and new but in the same style where it has none.

fn scenario_text(argument: JsArg) -> Result<String, Failure> {
    required_text("scenarioJson", argument)
}

fn required_text(name: &str, argument: JsArg) -> Result<String, Failure> {
    match argument {
        JsArg::Absent => Err(Failure::from(Issue::new(name, Problem::Missing))),
        other => optional_text(name, other).map(Option::unwrap_or_default),
    }
}

fn optional_text(name: &str, argument: JsArg) -> Result<Option<String>, Failure> {
    match argument {
        JsArg::Absent => Ok(None),
        JsArg::Text(text) => Ok(Some(text)),
        other => Err(wrong_type(name, &other, Expected::String)),
    }
}

/// An array of strings, a single string, or nothing (empty).
fn text_list(name: &str, argument: JsArg) -> Result<Vec<String>, Failure> {
    match argument {
        JsArg::Absent => Ok(Vec::new()),
        JsArg::Text(text) => Ok(vec![text]),
        JsArg::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(index, item)| match item {
                JsArg::Text(text) => Ok(text),
                other => Err(wrong_type(&format!("{name}[{index}]"), &other, Expected::String)),
            })
            .collect(),
        other => Err(wrong_type(name, &other, Expected::Array)),
    }
}

fn wrong_type(name: &str, argument: &JsArg, expected: Expected) -> Failure {
    // The likeliest slip of all: passing the scenario object itself rather than its text.
    if name == "scenarioJson" && matches!(argument, JsArg::Other(kind) if kind == "object") {
        return Failure::one(
            "scenarioJson: has the wrong type; expected a string: pass JSON.stringify(scenario)",
            "scenarioJson: 类型不对；应为字符串：请传入 JSON.stringify(scenario)",
        );
    }
    Failure::from(Issue::new(name, Problem::WrongType { expected }))
}

/// A count (`steps`, `paths`): a whole number or its decimal text, `min` … `max` allowed.
///
/// Only what the command line's parser would refuse (a fraction, a negative number, more
/// than `usize` holds) is refused here; whether the count is in `min` … `max` is left to
/// the engine, which checks it after the scenario, so problems come in the command line's order.
fn count(name: &'static str, argument: JsArg, min: usize, max: usize) -> Result<Option<usize>, Failure> {
    let wide = |n: usize| i128::try_from(n).unwrap_or(i128::MAX);
    let value = whole_number(name, argument, wide(min), wide(max), 0..=wide(usize::MAX))?;
    Ok(value.and_then(|value| usize::try_from(value).ok()))
}

/// The Monte Carlo seed: 0 … 2^64 − 1 as text or BigInt; as a JS number only up to 2^53 − 1,
/// above which a number no longer holds every integer.
fn seed_value(argument: JsArg) -> Result<Option<u64>, Failure> {
    if let JsArg::Number(number) = argument
        && number.is_finite()
        && number.fract() == 0.0
        && number > MAX_SAFE_INTEGER
    {
        let got = number_text(number);
        return Err(Failure::one(
            format!(
                "seed: {got} is beyond the integers a JavaScript number holds exactly; pass a larger seed as a string or a BigInt"
            ),
            format!(
                "seed: {got} 超出 JavaScript 数字可精确表示的整数范围；更大的种子请以字符串或 BigInt 传入"
            ),
        ));
    }
    let (min, max) = (0, i128::from(u64::MAX));
    let value = whole_number("seed", argument, min, max, min..=max)?;
    Ok(value.and_then(|value| u64::try_from(value).ok()))
}

/// A whole number in `accepted`, from a JS number or decimal text; a problem names `min` … `max`
/// as what is allowed.
fn whole_number(
    name: &'static str,
    argument: JsArg,
    min: i128,
    max: i128,
    accepted: RangeInclusive<i128>,
) -> Result<Option<i128>, Failure> {
    let (value, got) = match argument {
        JsArg::Absent => return Ok(None),
        JsArg::Number(number) => {
            let whole = number.is_finite() && number.fract() == 0.0 && number.abs() < 1e30;
            // In range of i128 by the check above; `as` then converts exactly.
            (whole.then_some(number as i128), number_text(number))
        }
        JsArg::Text(text) => (text.trim().parse::<i128>().ok(), format!("\"{text}\"")),
        other => return Err(wrong_type(name, &other, Expected::Integer)),
    };
    match value {
        Some(value) if accepted.contains(&value) => Ok(Some(value)),
        Some(_) => Err(Failure::from(AnalysisProblem::OptionOutOfRange {
            option: name,
            got,
            min: min.to_string(),
            max: max.to_string(),
        })),
        None => Err(Failure::one(
            format!("{name}: {got} is not a whole number; allowed {min} … {max}"),
            format!("{name}: {got} 不是整数；允许 {min} … {max}"),
        )),
    }
}

/// A JS number as JavaScript's `String(n)` writes it for the values that matter here
/// (Rust's shortest round-trip form; `Infinity` and `NaN` spelt as in JavaScript).
fn number_text(number: f64) -> String {
    if number.is_nan() {
        "NaN".to_string()
    } else if number.is_infinite() {
        if number > 0.0 { "Infinity".to_string() } else { "-Infinity".to_string() }
    } else {
        number.to_string()
    }
}

/// The exports `boot.js` puts on `window.delever`; wasm32 only (they call into JS).
#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    use super::JsArg;

    /// A JS value as a [`JsArg`]; arrays element by element (one level is all the API takes).
    fn arg(value: &JsValue) -> JsArg {
        if value.is_null() || value.is_undefined() {
            JsArg::Absent
        } else if let Some(number) = value.as_f64() {
            JsArg::Number(number)
        } else if let Some(text) = value.as_string() {
            JsArg::Text(text)
        } else if value.is_bigint() {
            JsArg::Text(
                js_sys::BigInt::from(value.clone()).to_string(10).map(String::from).unwrap_or_default(),
            )
        } else if js_sys::Array::is_array(value) {
            JsArg::List(js_sys::Array::from(value).iter().map(|item| arg(&item)).collect())
        } else {
            JsArg::Other(value.js_typeof().as_string().unwrap_or_default())
        }
    }

    fn thrown(message: String) -> JsError {
        JsError::new(&message)
    }

    #[wasm_bindgen(js_name = simulate)]
    pub fn simulate(scenario_json: JsValue) -> Result<String, JsError> {
        super::simulate_js(arg(&scenario_json)).map_err(thrown)
    }

    #[wasm_bindgen(js_name = goalSeek)]
    pub fn goal_seek(scenario_json: JsValue, lever: JsValue, target_ids: JsValue) -> Result<String, JsError> {
        super::goal_seek_js(arg(&scenario_json), arg(&lever), arg(&target_ids)).map_err(thrown)
    }

    #[wasm_bindgen(js_name = sensitivity)]
    pub fn sensitivity(scenario_json: JsValue, metric: JsValue, year: JsValue) -> Result<String, JsError> {
        super::sensitivity_js(arg(&scenario_json), arg(&metric), arg(&year)).map_err(thrown)
    }

    #[wasm_bindgen(js_name = feasibility)]
    pub fn feasibility(
        scenario_json: JsValue,
        x_lever: JsValue,
        y_lever: JsValue,
        steps: JsValue,
    ) -> Result<String, JsError> {
        super::feasibility_js(arg(&scenario_json), arg(&x_lever), arg(&y_lever), arg(&steps)).map_err(thrown)
    }

    #[wasm_bindgen(js_name = monteCarlo)]
    pub fn monte_carlo(
        scenario_json: JsValue,
        paths: JsValue,
        seed: JsValue,
        cv: JsValue,
    ) -> Result<String, JsError> {
        super::monte_carlo_js(arg(&scenario_json), arg(&paths), arg(&seed), arg(&cv)).map_err(thrown)
    }

    #[wasm_bindgen(js_name = decompose)]
    pub fn decompose(scenario_json: JsValue, year: JsValue) -> Result<String, JsError> {
        super::decompose_js(arg(&scenario_json), arg(&year)).map_err(thrown)
    }

    #[wasm_bindgen(js_name = version)]
    pub fn version() -> String {
        super::version().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use delever_model::validate::parse_decimal_text;
    use delever_model::{Lang, Lever, presets};
    use serde_json::Value;

    fn licheng() -> &'static str {
        presets::get("licheng-2019").expect("the Licheng preset exists").json
    }

    #[test]
    fn decompose_divides_the_region_targets_and_checks_the_year() {
        let text = decompose_json(licheng(), None).expect("divides");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        let ids: Vec<&str> =
            value["targets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["deposits_floor", "loans_floor", "disposal_floor", "npl_cap"]);
        assert_eq!(decompose_js(JsArg::Text(licheng().into()), JsArg::Number(2019.0)), Ok(text));
        let refused = decompose_js(JsArg::Text(licheng().into()), JsArg::Number(2030.0)).unwrap_err();
        assert!(refused.contains("2030") && refused.contains("2019 … 2019"), "{refused}");
        assert!(decompose_js(JsArg::Text(licheng().into()), JsArg::Number(2019.5)).is_err());
    }

    fn pretty(value: &Value) -> String {
        format!("{}\n", serde_json::to_string_pretty(value).unwrap())
    }

    fn text(value: &str) -> JsArg {
        JsArg::Text(value.to_string())
    }

    /// What the command line prints on standard error for `issues`, without the last newline.
    fn rendered(issues: &[Issue]) -> String {
        issues
            .iter()
            .flat_map(|issue| [issue.message(Lang::En), issue.message(Lang::Zh)])
            .map(|message| format!("error: {message}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn simulate_is_the_projection_json() {
        for preset in presets::all() {
            let scenario = delever_model::parse_scenario(preset.json).unwrap();
            let expected = pretty(&delever_model::simulate(&scenario).unwrap().to_json());
            assert_eq!(simulate_json(preset.json).as_deref(), Ok(expected.as_str()), "{}", preset.id);
            assert_eq!(simulate_js(text(preset.json)).as_deref(), Ok(expected.as_str()), "{}", preset.id);
        }
    }

    #[test]
    fn analyses_are_the_engine_json_with_the_command_line_defaults() {
        let scenario = delever_model::parse_scenario(licheng()).unwrap();
        let goal = delever_model::goal_seek(&scenario, Lever::WriteOffShare, &[]).unwrap();
        assert_eq!(goal_seek_json(licheng(), "write_off_share", &[]), Ok(pretty(&goal.to_json())));
        assert_eq!(
            goal_seek_js(text(licheng()), text("write_off_share"), JsArg::Absent),
            Ok(pretty(&goal.to_json()))
        );
        let one = delever_model::goal_seek(&scenario, Lever::Disposal, &["npl_cap".to_string()]).unwrap();
        assert_eq!(
            goal_seek_js(text(licheng()), text("disposal"), JsArg::List(vec![text("npl_cap")])),
            Ok(pretty(&one.to_json()))
        );
        assert_eq!(
            goal_seek_js(text(licheng()), text("disposal"), text("npl_cap")),
            Ok(pretty(&one.to_json()))
        );

        let tornado = delever_model::sensitivity(&scenario, None, None).unwrap();
        assert_eq!(sensitivity_json(licheng(), None, None), Ok(pretty(&tornado.to_json())));
        assert_eq!(
            sensitivity_js(text(licheng()), JsArg::Absent, JsArg::Absent),
            Ok(pretty(&tornado.to_json()))
        );
        let npl = delever_model::sensitivity(&scenario, Some("npl"), Some(2019)).unwrap();
        assert_eq!(
            sensitivity_js(text(licheng()), text("npl"), JsArg::Number(2019.0)),
            Ok(pretty(&npl.to_json()))
        );

        let map = delever_model::feasibility(&scenario, Lever::Disposal, Lever::WriteOffShare, 5, None, None)
            .unwrap();
        assert_eq!(feasibility_json(licheng(), "disposal", "write_off_share", 5), Ok(pretty(&map.to_json())));
        assert_eq!(
            feasibility_js(text(licheng()), text("disposal"), text("write_off_share"), JsArg::Number(5.0)),
            Ok(pretty(&map.to_json()))
        );
        let default_map = delever_model::feasibility(
            &scenario,
            Lever::LoanGrowth,
            Lever::DepositGrowth,
            DEFAULT_STEPS,
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            feasibility_js(text(licheng()), text("loan_growth"), text("deposit_growth"), JsArg::Absent),
            Ok(pretty(&default_map.to_json()))
        );

        let options = MonteCarloOptions { paths: 50, ..MonteCarloOptions::default() };
        let paths = delever_model::monte_carlo(&scenario, &options).unwrap();
        assert_eq!(monte_carlo_json(licheng(), 50, 42, "0.25"), Ok(pretty(&paths.to_json())));
        for cv in [JsArg::Absent, JsArg::Number(0.25), text("0.25")] {
            assert_eq!(
                monte_carlo_js(text(licheng()), JsArg::Number(50.0), JsArg::Absent, cv.clone()),
                Ok(pretty(&paths.to_json())),
                "{cv:?}"
            );
        }
        let other = MonteCarloOptions { paths: 20, seed: 7, cv: rust_decimal::Decimal::new(1, 1), ..options };
        let expected = pretty(&delever_model::monte_carlo(&scenario, &other).unwrap().to_json());
        assert_eq!(
            monte_carlo_js(text(licheng()), text("20"), JsArg::Number(7.0), JsArg::Number(0.1)),
            Ok(expected.clone())
        );
        assert_eq!(
            monte_carlo_js(text(licheng()), JsArg::Number(20.0), text("7"), text("0.1")),
            Ok(expected)
        );
    }

    #[test]
    fn monte_carlo_defaults_are_the_command_lines() {
        let options = MonteCarloOptions::default();
        assert_eq!((options.paths, options.seed), (1000, 42));
        assert_eq!(parse_decimal_text(DEFAULT_CV), Some(options.cv));
    }

    #[test]
    fn invalid_scenarios_give_every_problem_in_both_languages() {
        let bad = r#"{"schema": 1, "name": "x", "start": "2018-11", "years": 11, "institutions": []}"#;
        let issues = delever_model::parse_scenario(bad).unwrap_err();
        assert!(issues.len() >= 2, "{issues:?}");
        let message = simulate_json(bad).unwrap_err();
        assert_eq!(message, rendered(&issues));
        assert!(message.lines().all(|line| line.starts_with("error: ")), "{message}");
        assert!(message.contains("error: years: 11 is out of range"), "{message}");
        assert!(message.contains("error: years: 11 超出范围"), "{message}");
        assert!(!message.ends_with('\n'));
        // The analyses load the same way.
        assert_eq!(sensitivity_json(bad, None, None).unwrap_err(), rendered(&issues));
        assert_eq!(monte_carlo_json(bad, 10, 42, "0.25").unwrap_err(), rendered(&issues));
    }

    #[test]
    fn not_json_and_empty_input() {
        let message = simulate_json("{").unwrap_err();
        assert_eq!(message, rendered(&delever_model::parse_scenario("{").unwrap_err()));
        assert!(message.starts_with("error: file: not valid JSON"), "{message}");
        assert!(simulate_json("").unwrap_err().starts_with("error: file: the input is empty"));
    }

    #[test]
    fn argument_problems_come_before_the_scenario_as_on_the_command_line() {
        let bad = "{";
        let scenario_issues = delever_model::parse_scenario(bad).unwrap_err();
        let message = goal_seek_json(bad, "leverage", &[]).unwrap_err();
        let lever_problem = AnalysisProblem::UnknownLever { lever: "leverage".into() };
        let expected = format!(
            "error: {}\nerror: {}\n{}",
            lever_problem.message(Lang::En),
            lever_problem.message(Lang::Zh),
            rendered(&scenario_issues)
        );
        assert_eq!(message, expected);
        let message = feasibility_json(licheng(), "disposal", "disposal", 5).unwrap_err();
        assert_eq!(
            message,
            format!(
                "error: {}\nerror: {}",
                AnalysisProblem::SameLever.message(Lang::En),
                AnalysisProblem::SameLever.message(Lang::Zh)
            )
        );
        let message = monte_carlo_json(bad, 10, 42, "lots").unwrap_err();
        assert!(message.starts_with("error: cv: \"lots\" is not a decimal number"), "{message}");
        assert!(message.ends_with(&rendered(&scenario_issues)), "{message}");
    }

    #[test]
    fn engine_refusals_are_messages() {
        let message = monte_carlo_json(licheng(), 0, 42, "0.25").unwrap_err();
        assert_eq!(
            message,
            "error: paths 0 is out of range; allowed 1 … 100000\nerror: paths 为 0，超出范围；允许 1 … 100000"
        );
        let message = sensitivity_json(licheng(), Some("npl"), Some(2030)).unwrap_err();
        assert!(message.starts_with("error: year 2030 is outside the projection"), "{message}");
        let message = goal_seek_json(licheng(), "disposal", &["nope".to_string()]).unwrap_err();
        assert!(message.starts_with("error: target \"nope\" does not exist"), "{message}");
    }

    #[track_caller]
    fn check_js_error(result: Result<String, String>, expected_start: &str) {
        let message = result.unwrap_err();
        assert!(message.starts_with(expected_start), "{message}");
        assert_eq!(message.lines().count() % 2, 0, "English and Chinese lines: {message}");
        assert!(message.lines().all(|line| line.starts_with("error: ")), "{message}");
    }

    #[test]
    fn javascript_arguments_are_checked() {
        let scenario = || text(licheng());
        check_js_error(simulate_js(JsArg::Absent), "error: scenarioJson: is required but missing");
        check_js_error(
            simulate_js(JsArg::Number(1.0)),
            "error: scenarioJson: has the wrong type; expected a string",
        );
        check_js_error(
            simulate_js(JsArg::Other("object".into())),
            "error: scenarioJson: has the wrong type; expected a string: pass JSON.stringify(scenario)",
        );
        check_js_error(goal_seek_js(scenario(), JsArg::Absent, JsArg::Absent), "error: lever: is required");
        check_js_error(
            goal_seek_js(
                scenario(),
                text("disposal"),
                JsArg::List(vec![text("npl_cap"), JsArg::Number(3.0)]),
            ),
            "error: targetIds[1]: has the wrong type; expected a string",
        );
        check_js_error(
            goal_seek_js(scenario(), text("disposal"), JsArg::Other("object".into())),
            "error: targetIds: has the wrong type; expected an array",
        );
        check_js_error(
            sensitivity_js(scenario(), JsArg::Number(3.0), JsArg::Absent),
            "error: metric: has the wrong type; expected a string",
        );
        check_js_error(
            sensitivity_js(scenario(), JsArg::Absent, JsArg::Number(2019.5)),
            "error: year: 2019.5 is not a whole number",
        );
        check_js_error(
            feasibility_js(scenario(), text("disposal"), text("loan_growth"), JsArg::Number(1.0)),
            "error: steps 1 is out of range; allowed 2 … 201",
        );
        // As on the command line, the engine checks the range, after the levers.
        check_js_error(
            feasibility_js(scenario(), text("disposal"), text("disposal"), JsArg::Number(1.0)),
            "error: the two axes use the same lever",
        );
        check_js_error(
            monte_carlo_js(text("{"), JsArg::Number(0.0), JsArg::Absent, JsArg::Absent),
            "error: file: not valid JSON",
        );
        check_js_error(
            feasibility_js(scenario(), text("disposal"), text("loan_growth"), text("five")),
            "error: steps: \"five\" is not a whole number; allowed 2 … 201",
        );
        check_js_error(
            monte_carlo_js(scenario(), JsArg::Number(-5.0), JsArg::Absent, JsArg::Absent),
            "error: paths -5 is out of range; allowed 1 … 100000",
        );
        check_js_error(
            monte_carlo_js(scenario(), JsArg::Number(f64::NAN), JsArg::Absent, JsArg::Absent),
            "error: paths: NaN is not a whole number",
        );
        check_js_error(
            monte_carlo_js(scenario(), JsArg::Absent, JsArg::Number(1e17), JsArg::Absent),
            "error: seed: 100000000000000000 is beyond the integers a JavaScript number holds exactly",
        );
        check_js_error(
            monte_carlo_js(scenario(), JsArg::Absent, JsArg::Number(-1.0), JsArg::Absent),
            "error: seed -1 is out of range; allowed 0 … 18446744073709551615",
        );
        check_js_error(
            monte_carlo_js(scenario(), JsArg::Absent, JsArg::Absent, JsArg::Other("boolean".into())),
            "error: cv: has the wrong type; expected a decimal",
        );
        check_js_error(
            monte_carlo_js(scenario(), JsArg::Absent, JsArg::Absent, JsArg::Number(f64::INFINITY)),
            "error: cv: \"Infinity\" is not a decimal number",
        );
    }

    #[test]
    fn the_largest_seed_is_accepted_as_text() {
        let scenario = delever_model::parse_scenario(licheng()).unwrap();
        let options = MonteCarloOptions { paths: 3, seed: u64::MAX, ..MonteCarloOptions::default() };
        let expected = pretty(&delever_model::monte_carlo(&scenario, &options).unwrap().to_json());
        let got =
            monte_carlo_js(text(licheng()), JsArg::Number(3.0), text("18446744073709551615"), JsArg::Absent);
        assert_eq!(got, Ok(expected));
    }

    #[test]
    fn version_is_the_engines() {
        assert_eq!(version(), delever_model::MODEL_VERSION);
    }
}
