//! The commands: load the scenario, call the engine, render the chosen format into one string.
//!
//! Nothing is printed here: a command either returns its whole output or fails with every
//! problem it found, so a failing command never leaves half an output on standard output.

use delever_cli::diagnostic::{Failure, Language};
use delever_cli::request::{self, json_text};
use delever_model::{Scenario, presets};
use serde_json::Value;

use crate::args::{Command, Format, ListFormat, MetricYear, TextFormat};
use crate::format::{csv, table};
use crate::input::load_scenario;

/// Runs `command` and returns what it prints on standard output.
pub fn run(command: Command, language: Language) -> Result<String, Failure> {
    match command {
        Command::Simulate { file, format } => simulate(&file, format, language),
        Command::Validate { file } => validate(&file),
        Command::GoalSeek { file, lever, targets, threads, format } => {
            goal_seek(&file, &lever, &targets, threads, format)
        }
        Command::Sensitivity { file, metric, threads, format } => {
            sensitivity(&file, &metric, threads, format)
        }
        Command::Feasibility { file, x, y, steps, metric, threads, format } => {
            feasibility(&file, (&x, &y), steps, &metric, threads, format)
        }
        Command::MonteCarlo { file, paths, seed, cv, metrics, threads, format } => {
            monte_carlo(&file, (paths, seed, &cv), metrics, threads, format)
        }
        Command::Decompose { file, year, format } => decompose(&file, year, format),
        Command::Presets { format } => list_presets(format),
        Command::Preset { id } => preset(&id),
    }
}

fn simulate(file: &str, format: Format, language: Language) -> Result<String, Failure> {
    let (scenario, projection) = request::simulate(load_scenario(file))?;
    match format {
        Format::Json => json_text(&projection.to_json()),
        Format::Csv => Ok(csv::projection(&projection)),
        Format::Table => Ok(table::projection(&scenario, &projection, language)),
    }
}

fn validate(file: &str) -> Result<String, Failure> {
    // An infeasible scenario (negative performing loans) is reported too: it cannot be run.
    let (scenario, _) = request::simulate(load_scenario(file))?;
    Ok(table::validation_summary(&scenario))
}

fn goal_seek(
    file: &str,
    lever: &str,
    targets: &[String],
    threads: Option<u16>,
    format: TextFormat,
) -> Result<String, Failure> {
    let threads = threads.map_or_else(crate::threads::default_threads, usize::from);
    let (scenario, result) = request::goal_seek_with(load_scenario(file), lever, |s, lever| {
        crate::threads::goal_seek(s, lever, targets, threads)
    })?;
    match format {
        TextFormat::Json => json_text(&result.to_json()),
        TextFormat::Table => Ok(table::goal_seek(&scenario, &result)),
    }
}

fn sensitivity(
    file: &str,
    metric: &MetricYear,
    threads: Option<u16>,
    format: Format,
) -> Result<String, Failure> {
    let threads = threads.map_or_else(crate::threads::default_threads, usize::from);
    let read = (metric.metric.as_deref(), metric.year);
    let (scenario, result) =
        request::sensitivity_with(load_scenario(file), |s| crate::threads::sensitivity(s, read, threads))?;
    match format {
        Format::Json => json_text(&result.to_json()),
        Format::Csv => Ok(csv::sensitivity(&result)),
        Format::Table => Ok(table::sensitivity(&scenario, &result)),
    }
}

fn feasibility(
    file: &str,
    (x, y): (&str, &str),
    steps: usize,
    metric: &MetricYear,
    threads: Option<u16>,
    format: Format,
) -> Result<String, Failure> {
    let threads = threads.map_or_else(crate::threads::default_threads, usize::from);
    let read = (metric.metric.as_deref(), metric.year);
    let (scenario, result) = request::feasibility_with(load_scenario(file), (x, y), |s, levers| {
        crate::threads::feasibility(s, levers, steps, read, threads)
    })?;
    match format {
        Format::Json => json_text(&result.to_json()),
        Format::Csv => Ok(csv::feasibility(&result)),
        Format::Table => Ok(table::feasibility(&scenario, &result)),
    }
}

fn monte_carlo(
    file: &str,
    options: (usize, u64, &str),
    metrics: Vec<String>,
    threads: Option<u16>,
    format: Format,
) -> Result<String, Failure> {
    let threads = threads.map_or_else(crate::threads::default_threads, usize::from);
    let (scenario, result) =
        request::monte_carlo(load_scenario(file), options, "--cv", Some(metrics), |s, o| {
            crate::threads::monte_carlo(s, o, threads)
        })?;
    match format {
        Format::Json => json_text(&result.to_json()),
        Format::Csv => Ok(csv::monte_carlo(&result)),
        Format::Table => Ok(table::monte_carlo(&scenario, &result)),
    }
}

fn decompose(file: &str, year: Option<i32>, format: Format) -> Result<String, Failure> {
    let (scenario, divided) = request::decompose(load_scenario(file), year, "--year")?;
    match format {
        Format::Json => json_text(&delever_model::division::decomposition_json(&divided)),
        Format::Csv => Ok(csv::decomposition(&divided)),
        Format::Table => Ok(table::decomposition(&scenario, &divided)),
    }
}

fn list_presets(format: ListFormat) -> Result<String, Failure> {
    match format {
        ListFormat::Json => {
            let list: Vec<Value> = presets::all()
                .iter()
                .map(|p| serde_json::json!({"id": p.id, "name": p.name, "name_en": p.name_en}))
                .collect();
            json_text(&Value::Array(list))
        }
        ListFormat::Table => {
            let rows = presets::all()
                .iter()
                .map(|p| {
                    let parsed: Option<Scenario> = delever_model::parse_scenario(p.json).ok();
                    (p, parsed)
                })
                .collect::<Vec<_>>();
            Ok(table::presets(&rows))
        }
    }
}

fn preset(id: &str) -> Result<String, Failure> {
    match presets::get(id) {
        Some(p) => Ok(p.json.to_string()),
        None => {
            let known: Vec<&str> = presets::all().iter().map(|p| p.id).collect();
            Err(Failure::one(
                format!("preset \"{id}\" does not exist; use one of {}", known.join(", ")),
                format!("预设情景 \"{id}\" 不存在；可选 {}", known.join("、")),
            ))
        }
    }
}
