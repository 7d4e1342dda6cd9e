//! The per-bank decomposition workbook (一行一表): its sheets, every part equal to the engine's `decomposition_json`, the disposal progress under actuals, sheet names valid for awkward institution names, the engine's messages, and no panic on generated scenarios.
//!
//! The expected numbers come from the engine on the same scenario (never written here), so
//! that an edit of a preset does not move these tests.

use delever_model::division::{DIVISIBLE, decompose, decomposition_json};
use delever_model::num::fmt_decimal;
use delever_model::{Lang, Projection, Scenario, parse_scenario, simulate};
use delever_sheets::decomposition::{FORBIDDEN_IN_SHEET_NAMES, MAX_SHEET_NAME, SUMMARY_SHEET};
use delever_sheets::template::NOTES_SHEET;
use delever_sheets::{ExportError, Stamp, export_decomposition, export_workbook};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::support::*;

/// The summary's header rows and first data row; the institutions' header row.
const SUMMARY_HEAD: usize = 4;
const SUMMARY_DATA: usize = 6;
const SHEET_HEAD: usize = 3;

fn run(json: &str) -> (Scenario, Projection, Value) {
    let scenario = parse_scenario(json).unwrap();
    let projection = simulate(&scenario).unwrap();
    let divided = decompose(&scenario, &projection, None);
    let value = decomposition_json(&divided);
    (scenario, projection, value)
}

fn f(text: &str) -> f64 {
    text.parse().unwrap()
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A JSON decimal's text, or "" for null.
fn json_text(value: &Value) -> String {
    value.as_str().map(str::to_string).unwrap_or_default()
}

/// Whether `name` is a sheet name Excel accepts.
fn valid(name: &str) -> bool {
    !name.is_empty()
        && name.encode_utf16().count() <= MAX_SHEET_NAME
        && !name.contains(FORBIDDEN_IN_SHEET_NAMES)
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.eq_ignore_ascii_case("history")
}

#[track_caller]
fn assert_names_valid_and_unique(names: &[String]) {
    let mut seen = std::collections::HashSet::new();
    for name in names {
        assert!(valid(name), "invalid sheet name {name:?}");
        assert!(seen.insert(name.to_lowercase()), "sheet name {name:?} twice");
    }
}

/// Checks every sheet of `bytes` (the workbook of `json` in `lang`) against the engine:
/// the sheets' names, the summary's table, each institution's rows (numbers and exact text),
/// and its disposal progress when the scenario has actuals. Returns the institutions' sheet names.
#[track_caller]
fn check_workbook(json: &str, lang: Lang) -> Vec<String> {
    let (scenario, projection, decomposition) = run(json);
    let targets = decomposition["targets"].as_array().unwrap().clone();
    let mut back = ReadBack::new(export_decomposition(json, lang).unwrap());
    let names = back.names();
    let n = scenario.institutions.len();
    assert_eq!(names.len(), 1 + n + 1, "{names:?}");
    let (zh, en) = (lang == Lang::Zh, lang == Lang::En);
    assert_eq!(names[0], if zh { SUMMARY_SHEET.0 } else { SUMMARY_SHEET.1 });
    assert_eq!(names[n + 1], if en { NOTES_SHEET.1 } else { NOTES_SHEET.0 });
    assert_names_valid_and_unique(&names);
    let met = |yes: bool| match (lang, yes) {
        (Lang::Zh, true) => "达标",
        (Lang::Zh, false) => "未达标",
        (Lang::En, true) => "met",
        (Lang::En, false) => "not met",
    };

    // The summary: one row per target, five columns per institution.
    let summary = back.rows(&names[0]);
    assert!(text(&summary[1][0]).contains(delever_model::MODEL_VERSION), "{:?}", summary[1][0]);
    assert!(text(&summary[1][0]).contains(&scenario.name));
    if targets.is_empty() {
        assert!(summary.len() <= SUMMARY_HEAD + 1);
    } else {
        assert_eq!(summary.len(), SUMMARY_DATA + targets.len());
        for (i, institution) in scenario.institutions.iter().enumerate() {
            assert!(text(&summary[SUMMARY_HEAD][6 + 5 * i]).starts_with(&institution.name));
        }
        for (t, target) in targets.iter().enumerate() {
            let row = &summary[SUMMARY_DATA + t];
            assert_eq!(text(&row[0]), json_text(&target["id"]));
            assert_eq!(text(&row[2]), json_text(&target["metric"]));
            assert_eq!(number(&row[4]), f(target["value"].as_str().unwrap()));
            assert_eq!(number(&row[5]), target["year"].as_f64().unwrap());
            for (i, part) in target["parts"].as_array().unwrap().iter().enumerate() {
                let at = 6 + 5 * i;
                assert_eq!(number(&row[at]), f(part["share"].as_str().unwrap()));
                assert_eq!(number(&row[at + 1]), f(part["value"].as_str().unwrap()), "{part}");
                assert_eq!(number(&row[at + 2]), f(part["actual"].as_str().unwrap()));
                assert_eq!(text(&row[at + 3]), met(part["met"].as_bool().unwrap()));
                assert_eq!(number(&row[at + 4]), f(part["margin"].as_str().unwrap()));
            }
        }
    }

    // Each institution's sheet: its title, then its part of every target, exact as text.
    let years: Vec<i64> = targets.iter().map(|t| t["year"].as_i64().unwrap()).collect();
    for (i, institution) in scenario.institutions.iter().enumerate() {
        let rows = back.rows(&names[1 + i]);
        let title = text(&rows[0][0]);
        assert!(title.starts_with(&institution.name), "{title}");
        if let (Some(first), Some(last)) = (years.iter().min(), years.iter().max()) {
            let span = if first == last { first.to_string() } else { format!("{first}–{last}") };
            let expected = match lang {
                Lang::Zh => format!("{} {span} 年目标分解（一行一方案）", institution.name),
                Lang::En => format!("{}: its share of the {span} targets", institution.name),
            };
            assert_eq!(title, expected);
        }
        assert!(text(&rows[1][0]).contains(&institution.id));
        for (t, target) in targets.iter().enumerate() {
            let part = &target["parts"][i];
            assert_eq!(json_text(&part["institution"]), institution.id);
            let row = &rows[SHEET_HEAD + 1 + t];
            assert_eq!(text(&row[0]), json_text(&target["id"]));
            assert_eq!(text(&row[2]), json_text(&target["metric"]));
            assert_eq!(number(&row[6]), f(part["share"].as_str().unwrap()));
            assert_eq!(number(&row[7]), f(part["value"].as_str().unwrap()));
            assert_eq!(number(&row[8]), f(part["actual"].as_str().unwrap()));
            assert_eq!(text(&row[9]), met(part["met"].as_bool().unwrap()));
            assert_eq!(number(&row[10]), f(part["margin"].as_str().unwrap()));
            // Exactly the engine's decimals.
            assert_eq!(text(&row[11]), json_text(&part["share"]));
            assert_eq!(text(&row[12]), json_text(&part["value"]));
            assert_eq!(text(&row[13]), json_text(&part["actual"]));
            assert_eq!(text(&row[14]), json_text(&part["margin"]));
        }
        // With actuals, its disposal progress below the table.
        let heading = rows
            .iter()
            .position(|row| text(&row[0]).contains(if zh { "年处置进度" } else { "Disposal progress" }));
        match projection
            .tracking
            .as_ref()
            .and_then(|t| t.institutions.iter().find(|(id, _)| *id == institution.id))
        {
            None => assert_eq!(heading, None),
            Some((_, progress)) => {
                let at = heading.unwrap();
                assert_eq!(at, SHEET_HEAD + targets.len() + 2);
                let figures = [
                    Some(progress.disposal_plan),
                    Some(progress.disposal_to_date),
                    Some(progress.scheduled_to_date),
                    progress.completion,
                    Some(progress.behind),
                    progress.required_monthly,
                ];
                for (k, figure) in figures.iter().enumerate() {
                    let row = &rows[at + 1 + k];
                    match figure {
                        Some(d) => {
                            assert_eq!(number(&row[4]), f(&fmt_decimal(*d)));
                            assert_eq!(text(&row[5]), fmt_decimal(*d));
                        }
                        None => assert_eq!(text(&row[4]), "—"),
                    }
                }
            }
        }
    }

    // The notes give the rule.
    let notes = back.rows(&names[n + 1]);
    let all: String = notes.iter().flatten().map(text).collect();
    assert!(all.contains(if zh { "年初不良贷款" } else { "opening NPL" }), "{all}");
    assert!(all.contains(if zh { "份额相等" } else { "equal share" }), "{all}");
    names[1..=n].to_vec()
}

#[test]
fn licheng_as_of_may_has_a_sheet_per_institution_with_its_exact_parts_and_progress() {
    let json = preset("licheng-2019-may");
    let (scenario, projection, decomposition) = run(json);
    assert!(scenario.institutions.len() > 1);
    assert!(!decomposition["targets"].as_array().unwrap().is_empty(), "{decomposition}");
    assert!(projection.tracking.is_some(), "the preset has actuals");
    for lang in [Lang::Zh, Lang::En] {
        let names = check_workbook(json, lang);
        let expected: Vec<String> = scenario.institutions.iter().map(|i| i.name.clone()).collect();
        assert_eq!(names, expected);
    }
    // Every institution is behind or ahead of something: the required monthly disposal from
    // June is shown with its month.
    let mut back = ReadBack::new(export_decomposition(json, Lang::Zh).unwrap());
    let rows = back.rows(&scenario.institutions[0].name);
    let as_of = projection.as_of.clone().unwrap();
    assert!(rows.iter().any(|row| text(&row[0]).contains(&format!("截至 {as_of} 已处置"))));
    if as_of.ends_with("-05") {
        assert!(rows.iter().any(|row| text(&row[0]) == "2019-06 起至年末平均每月须处置"));
    }
    // The parts of a target add up to the region's value (up to the last of 28 digits).
    for target in decomposition["targets"].as_array().unwrap() {
        let sum: Decimal =
            target["parts"].as_array().unwrap().iter().map(|p| decimal(p["value"].as_str().unwrap())).sum();
        let value = decimal(target["value"].as_str().unwrap());
        assert!((sum - value).abs() < decimal("1e-20"), "{sum} vs {value}");
    }
}

/// Yangjiang with region targets on every divisible metric in its second and third years.
fn yangjiang_with_targets() -> String {
    let mut doc: Value = serde_json::from_str(preset("yangjiang-2016-2018")).unwrap();
    let targets = doc["targets"].as_array_mut().unwrap();
    for (year, op) in [(2017, "ge"), (2018, "le")] {
        for metric in DIVISIBLE {
            targets.push(json!({"id": format!("{metric}_{year}"), "metric": metric, "op": op,
                "value": "123.456", "year": year, "scope": "region"}));
        }
    }
    doc.to_string()
}

#[test]
fn yangjiang_has_a_sheet_per_bank_with_or_without_targets_to_divide() {
    let json = preset("yangjiang-2016-2018");
    let (scenario, _, decomposition) = run(json);
    assert!(scenario.institutions.len() > 1);
    // Its own targets are ratios and institutions' targets: nothing to divide, and every sheet says so.
    assert_eq!(decomposition["targets"], json!([]));
    let names = check_workbook(json, Lang::Zh);
    let mut back = ReadBack::new(export_decomposition(json, Lang::Zh).unwrap());
    for name in &names {
        assert!(text(&back.rows(name)[SHEET_HEAD][0]).starts_with("本情景没有可分解的全辖目标"));
    }

    let json = yangjiang_with_targets();
    let (_, _, decomposition) = run(&json);
    assert_eq!(decomposition["targets"].as_array().unwrap().len(), 8);
    for lang in [Lang::Zh, Lang::En] {
        check_workbook(&json, lang);
    }
}

/// Licheng's drivers with `institutions` (id, name) and its region targets on divisible metrics.
fn with_institutions(institutions: &[(&str, &str)]) -> String {
    let mut doc: Value = serde_json::from_str(licheng()).unwrap();
    let list: Vec<Value> = institutions
        .iter()
        .enumerate()
        .map(|(k, (id, name))| {
            let loans = 100 + 10 * k;
            json!({"id": id, "name": name,
                "opening": {"deposits": format!("{}", loans + 20), "loans": format!("{loans}"), "npl": format!("{}.5", k + 1)}})
        })
        .collect();
    doc["institutions"] = Value::Array(list);
    doc["events"] = json!([]);
    let targets: Vec<Value> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| DIVISIBLE.contains(&t["metric"].as_str().unwrap()))
        .cloned()
        .collect();
    doc["targets"] = Value::Array(targets);
    doc.to_string()
}

#[test]
fn awkward_institution_names_give_valid_unique_sheet_names() {
    let forty = "泉州市鲤城区某某某某某某某某某某某某某某某某某某某某某某农村商业银行股份有限公司";
    assert!(forty.chars().count() >= 40);
    let json = with_institutions(&[
        ("all", "A/B 农商行"),
        ("b1", "[测试]银行"),
        ("b2", forty),
        ("b3", "同名银行"),
        ("b4", "同名银行"),
        ("b5", "汇总"),
        ("b6", "'引号'"),
        ("b7", "问号?星号*冒号:反斜杠\\"),
        ("b8", "History"),
        ("同名银行", "B9"),
    ]);
    let names = check_workbook(&json, Lang::Zh);
    let cut: String = forty.chars().take(30).collect();
    assert_eq!(
        names,
        [
            "A_B 农商行".to_string(),
            "_测试_银行".into(),
            format!("{cut}…"),
            "同名银行".into(),
            "b4".into(),
            "b5".into(),
            "引号".into(),
            "问号_星号_冒号_反斜杠_".into(),
            "b8".into(),
            "B9".into(),
        ]
    );
    // In English the summary is `Summary`, so a bank of that name takes its id.
    let json = with_institutions(&[("all", "Summary"), ("b", "summary"), ("c", "Notes")]);
    assert_eq!(check_workbook(&json, Lang::En), ["all", "b", "c"]);
    assert_eq!(check_workbook(&json, Lang::Zh), ["Summary", "b", "Notes"]);
}

/// The engine's limit of 500 institutions: 502 sheets, and a summary 2,506 columns wide.
#[test]
fn five_hundred_institutions_fit() {
    let scenario = delever_model::presets::synthetic(500, 2).unwrap();
    let mut doc = scenario.to_json();
    doc["targets"] = json!([
        {"id": "dep", "metric": "deposits", "op": "ge", "value": "50000", "year": 2019, "scope": "region"},
        {"id": "npl", "metric": "npl", "op": "le", "value": "100", "year": 2020, "scope": "region"}
    ]);
    let json = doc.to_string();
    let mut back = ReadBack::new(export_decomposition(&json, Lang::Zh).unwrap());
    let names = back.names();
    assert_eq!(names.len(), 502);
    assert_names_valid_and_unique(&names);
    let (_, _, decomposition) = run(&json);
    let last = &decomposition["targets"][1]["parts"][499];
    let rows = back.rows(&names[500]);
    assert_eq!(text(&rows[SHEET_HEAD + 2][12]), json_text(&last["value"]));
    let summary = back.rows(&names[0]);
    assert_eq!(number(&summary[SUMMARY_DATA + 1][6 + 5 * 499 + 1]), f(last["value"].as_str().unwrap()));
}

#[test]
fn an_invalid_or_infeasible_scenario_gives_the_engines_message() {
    for json in ["{}", "not json", r#"{"schema": 1}"#] {
        let Err(err) = export_decomposition(json, Lang::En) else { panic!("{json} was exported") };
        assert!(matches!(err, ExportError::Scenario(_)));
        let Err(same) = export_workbook(json, &Stamp::default(), Lang::En) else { panic!() };
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(err.message(lang), same.message(lang));
            assert!(!err.message(lang).is_empty());
        }
    }
    let Err(err) = export_decomposition("{}", Lang::Zh) else { panic!() };
    assert!(err.message(Lang::En).contains("start"), "{}", err.message(Lang::En));
    assert!(err.message(Lang::Zh).contains("缺少"), "{}", err.message(Lang::Zh));

    // Formation of 100% a year with no disposal and loans halving: performing loans turn negative.
    let mut doc: Value = serde_json::from_str(licheng()).unwrap();
    doc["years"] = json!(2);
    doc["defaults"]["loan_growth"] = json!("-0.5");
    doc["defaults"]["npl_formation_rate"] = json!("1");
    doc["defaults"]["disposal"] = json!({"plan": "amount", "amount": "0"});
    let Err(err) = export_decomposition(&doc.to_string(), Lang::En) else {
        panic!("an infeasible run was exported")
    };
    assert!(err.message(Lang::En).contains("infeasible"), "{}", err.message(Lang::En));
    assert!(err.message(Lang::Zh).contains("不可行"), "{}", err.message(Lang::Zh));
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use proptest::prelude::*;

    use super::*;

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("同名".to_string()),
            Just("Summary".to_string()),
            Just("汇总".to_string()),
            Just("'".to_string()),
            Just("[]:*?/\\".to_string()),
            Just("控制\u{0}字符\u{1f}\n\t".to_string()),
            "\\PC{0,40}",
            "[ 'a/\\[\\]:*?\u{1F3E6}]{0,40}",
        ]
    }

    /// An institution: a name, and openings with zeros often (so that shares fall back).
    fn institution() -> impl Strategy<Value = (String, u32, u32, u32)> {
        let amount = prop_oneof![Just(0_u32), 0_u32..2000];
        (name(), amount.clone(), amount, 0_u32..=100)
    }

    fn target(years: i32) -> impl Strategy<Value = Value> {
        (0..DIVISIBLE.len(), any::<bool>(), 0_u32..100_000, 0..years).prop_map(
            move |(metric, ge, value, year)| {
                json!({"id": format!("t{metric}{ge}{value}{year}"), "metric": DIVISIBLE[metric],
                "op": if ge { "ge" } else { "le" }, "value": format!("{}.{:02}", value / 100, value % 100),
                "year": 2019 + year, "scope": "region"})
            },
        )
    }

    /// A scenario file and the language to export it in.
    fn scenario() -> impl Strategy<Value = (String, Lang)> {
        (1_i32..=3).prop_flat_map(|years| {
            (
                Just(years),
                prop::collection::vec(institution(), 1..7),
                prop::collection::vec(target(years), 0..5),
                any::<bool>(),
            )
                .prop_map(|(years, institutions, targets, lang)| {
                    let mut doc: Value = serde_json::from_str(licheng()).unwrap();
                    doc["years"] = json!(years);
                    doc["events"] = json!([]);
                    doc["institutions"] = institutions
                        .iter()
                        .enumerate()
                        .map(|(k, (name, deposits, loans, npl_percent))| {
                            let npl = u64::from(*loans) * u64::from(*npl_percent) / 100;
                            json!({"id": format!("i{k}"), "name": name, "opening":
                                {"deposits": deposits.to_string(), "loans": loans.to_string(), "npl": npl.to_string()}})
                        })
                        .collect();
                    let mut seen = std::collections::HashSet::new();
                    let targets: Vec<Value> =
                        targets.into_iter().filter(|t| seen.insert(t["id"].to_string())).collect();
                    doc["targets"] = Value::Array(targets);
                    (doc.to_string(), if lang { Lang::En } else { Lang::Zh })
                })
        })
    }

    #[test]
    fn generated_scenarios_export_with_valid_sheet_names_or_a_message() {
        crate::cases::run(file!(), 64, scenario(), |(json, lang)| {
            let doc: Value = serde_json::from_str(&json).unwrap();
            match export_decomposition(&json, lang) {
                Ok(bytes) => {
                    let back = ReadBack::new(bytes);
                    let names = back.names();
                    prop_assert_eq!(names.len(), doc["institutions"].as_array().unwrap().len() + 2);
                    assert_names_valid_and_unique(&names);
                }
                Err(err) => {
                    prop_assert!(matches!(err, ExportError::Scenario(_)));
                    prop_assert!(!err.message(lang).is_empty());
                }
            }
            Ok(())
        });
    }
}
