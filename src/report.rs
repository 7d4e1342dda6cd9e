//! What the page shows of a projection: the region's year-ends and the target checks, as exact decimal strings.
//!
//! Built from [`delever_model::Projection::to_json`], the same JSON the command
//! line prints, so the page and the CLI cannot disagree about a name or a digit.
//! Plain data, no Yew: it is tested natively.

use std::collections::BTreeMap;

use delever_model::{Issue, Lang, Scenario, SimError, presets};
use serde_json::Value;

/// The region year-end metrics of the main table, in display order.
pub const YEAR_END_METRICS: [&str; 6] = ["deposits", "loans", "npl", "npl_ratio", "disposal", "coverage"];

/// A simulated scenario, reduced to what the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub scenario: String,
    /// The scenario's display unit for amounts (`亿元` by default).
    pub unit: String,
    /// Opening balances the scenario file marks as illustrative (not from a source).
    pub illustrative_openings: bool,
    pub year_ends: Vec<YearEnd>,
    pub targets: Vec<TargetCheck>,
    pub warnings: Vec<Warning>,
}

/// The region's metrics at the end of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearEnd {
    pub year: i64,
    /// Metric → exact decimal string; a metric that is null (undefined) is absent.
    values: BTreeMap<String, String>,
}

/// One target and whether the projection meets it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetCheck {
    pub id: String,
    pub metric: String,
    pub op: Op,
    /// The threshold as an exact decimal (`national_average` already resolved by the engine).
    pub value: Option<String>,
    pub year: i64,
    /// `region` or an institution id.
    pub scope: String,
    pub actual: Option<String>,
    /// False also when the actual value is undefined (MODEL.md: a null actual never meets).
    pub met: bool,
    /// `actual − value` for ≥, `value − actual` for ≤: positive means met with room to spare.
    pub margin: Option<String>,
}

/// The comparison of a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `ge`: at least.
    AtLeast,
    /// `le`: at most.
    AtMost,
}

/// A domain fact the engine reports alongside the numbers (a shortfall, a capped formation…).
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub code: String,
    /// The engine's English text (`message` in the JSON).
    pub message_en: String,
    /// The engine's Chinese text (`message_zh`).
    pub message_zh: String,
}

impl Warning {
    /// The message in `lang`, or the other language's when the engine gave none.
    pub fn message(&self, lang: Lang) -> &str {
        let (wanted, other) = match lang {
            Lang::Zh => (&self.message_zh, &self.message_en),
            Lang::En => (&self.message_en, &self.message_zh),
        };
        if wanted.is_empty() { other } else { wanted }
    }
}

/// Why no report could be made.
#[derive(Clone, Debug)]
pub enum LoadError {
    UnknownPreset(String),
    Invalid(Vec<Issue>),
    Simulation(SimError),
}

impl LoadError {
    /// One line per problem, in `lang`.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        match self {
            LoadError::UnknownPreset(id) => vec![match lang {
                Lang::Zh => format!("没有这个预设情景：{id}"),
                Lang::En => format!("no preset named {id}"),
            }],
            LoadError::Invalid(issues) => issues.iter().map(|issue| issue.message(lang)).collect(),
            LoadError::Simulation(error) => vec![error.message(lang)],
        }
    }
}

/// Parses and simulates the preset `id`.
pub fn preset_report(id: &str) -> Result<Report, LoadError> {
    let preset = presets::get(id).ok_or_else(|| LoadError::UnknownPreset(id.to_string()))?;
    scenario_report(preset.json)
}

/// Parses and simulates a scenario file.
pub fn scenario_report(text: &str) -> Result<Report, LoadError> {
    let scenario = delever_model::parse_scenario(text).map_err(LoadError::Invalid)?;
    let projection = delever_model::simulate(&scenario).map_err(LoadError::Simulation)?;
    Ok(Report::new(&scenario, &projection.to_json()))
}

impl Report {
    /// Reads the parts of a projection's JSON the page needs; a missing part reads as empty.
    pub fn new(scenario: &Scenario, projection: &Value) -> Report {
        let year_ends = projection["region"]["year_ends"].as_array().map(Vec::as_slice).unwrap_or_default();
        let targets = projection["targets"].as_array().map(Vec::as_slice).unwrap_or_default();
        let warnings = projection["warnings"].as_array().map(Vec::as_slice).unwrap_or_default();
        Report {
            scenario: scenario.name.clone(),
            unit: scenario.unit.clone(),
            illustrative_openings: scenario.institutions.iter().any(|i| !i.opening.illustrative.is_empty()),
            year_ends: year_ends.iter().map(YearEnd::from_json).collect(),
            targets: targets.iter().map(TargetCheck::from_json).collect(),
            warnings: warnings
                .iter()
                .map(|warning| Warning {
                    code: string(&warning["code"]),
                    message_en: string(&warning["message"]),
                    message_zh: string(&warning["message_zh"]),
                })
                .collect(),
        }
    }
}

impl YearEnd {
    fn from_json(entry: &Value) -> YearEnd {
        let values = entry
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .filter(|(key, _)| key.as_str() != "year")
                    .filter_map(|(key, value)| Some((key.clone(), decimal(value)?)))
                    .collect()
            })
            .unwrap_or_default();
        YearEnd { year: entry["year"].as_i64().unwrap_or_default(), values }
    }

    /// The exact decimal of `metric`, or `None` when it is undefined (e.g. coverage with no NPL).
    pub fn value(&self, metric: &str) -> Option<&str> {
        self.values.get(metric).map(String::as_str)
    }
}

impl TargetCheck {
    fn from_json(entry: &Value) -> TargetCheck {
        TargetCheck {
            id: string(&entry["id"]),
            metric: string(&entry["metric"]),
            op: if entry["op"] == "ge" { Op::AtLeast } else { Op::AtMost },
            value: decimal(&entry["value"]),
            year: entry["year"].as_i64().unwrap_or_default(),
            scope: string(&entry["scope"]),
            actual: decimal(&entry["actual"]),
            met: entry["met"].as_bool().unwrap_or(false),
            margin: decimal(&entry["margin"]),
        }
    }
}

/// A decimal as the engine writes it (a string), or as a JSON number; `None` for null or anything else.
fn decimal(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn string(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::{Op, Report, preset_report, scenario_report};
    use delever_model::Lang;

    #[test]
    fn reads_the_projection_json() {
        let projection = serde_json::json!({
            "schema": 1,
            "scenario": "x",
            "region": {"year_ends": [
                {"year": 2019, "deposits": "525.1", "npl": "1.6", "coverage": null, "disposal_by_channel": {}}
            ]},
            "targets": [
                {"id": "npl_cap", "metric": "npl", "op": "le", "value": "1.7", "year": 2019,
                 "scope": "region", "actual": "1.6", "met": true, "margin": "0.1"},
                {"id": "cov", "metric": "coverage", "op": "ge", "value": "1.5", "year": 2019,
                 "scope": "region", "actual": null, "met": false, "margin": null}
            ],
            "warnings": [
                {"code": "disposal_shortfall", "message": "short", "message_zh": "缺口"},
                {"code": "english_only", "message": "only English"}
            ]
        });
        let scenario = delever_model::parse_scenario(
            delever_model::presets::get("licheng-2019").expect("the Licheng preset exists").json,
        )
        .expect("the Licheng preset is valid");
        let report = Report::new(&scenario, &projection);
        let year = &report.year_ends[0];
        assert_eq!(year.year, 2019);
        assert_eq!(year.value("deposits"), Some("525.1"));
        assert_eq!(year.value("coverage"), None);
        assert_eq!(year.value("disposal_by_channel"), None);
        assert_eq!(report.targets[0].op, Op::AtMost);
        assert!(report.targets[0].met);
        assert_eq!(report.targets[0].margin.as_deref(), Some("0.1"));
        assert_eq!(report.targets[1].op, Op::AtLeast);
        assert_eq!(report.targets[1].actual, None);
        assert_eq!(report.warnings[0].code, "disposal_shortfall");
        assert_eq!(report.warnings[0].message(Lang::Zh), "缺口");
        assert_eq!(report.warnings[0].message(Lang::En), "short");
        assert_eq!(report.warnings[1].message(Lang::Zh), "only English");
    }

    #[test]
    fn every_preset_gives_every_table_metric() {
        for preset in delever_model::presets::all() {
            let report = preset_report(preset.id).unwrap_or_else(|error| {
                panic!("preset {}: {:?}", preset.id, error.messages(Lang::En));
            });
            assert!(!report.year_ends.is_empty(), "{}", preset.id);
            for year_end in &report.year_ends {
                for metric in ["deposits", "loans", "npl", "disposal"] {
                    assert!(year_end.value(metric).is_some(), "{} {} {metric}", preset.id, year_end.year);
                }
            }
        }
    }

    #[test]
    fn licheng_has_its_2019_targets() {
        let report = preset_report("licheng-2019").expect("the Licheng preset simulates");
        assert_eq!(report.year_ends.iter().map(|year| year.year).collect::<Vec<_>>(), [2019]);
        assert!(report.targets.iter().any(|target| target.metric == "npl" && target.op == Op::AtMost));
    }

    #[test]
    fn errors_are_messages_not_panics() {
        let unknown = preset_report("atlantis").unwrap_err();
        assert_eq!(unknown.messages(Lang::En), ["no preset named atlantis"]);
        assert_eq!(unknown.messages(Lang::Zh), ["没有这个预设情景：atlantis"]);
        let invalid = scenario_report("{\"schema\": 1}").unwrap_err();
        assert!(!invalid.messages(Lang::Zh).is_empty());
        let not_json = scenario_report("not json").unwrap_err();
        assert!(!not_json.messages(Lang::En).is_empty());
    }
}
