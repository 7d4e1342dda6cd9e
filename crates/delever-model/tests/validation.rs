//! Validation tests: each rule of MODEL.md sections 2–3 rejects what it should, at the right JSON path, in both languages.

mod common;

use common::{base, scenario, set};
use delever_model::{Issue, Lang, Problem, parse_scenario, parse_scenario_value};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Applies `edit` to the base scenario and expects exactly the issues at `paths`.
#[track_caller]
fn check(edit: impl Fn(&mut Value), paths: &[&str]) {
    let mut doc = base();
    edit(&mut doc);
    let issues = parse_scenario_value(&doc).expect_err("scenario should be rejected");
    let got: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(got, paths, "{:#?}", issues.iter().map(|i| i.message(Lang::En)).collect::<Vec<_>>());
    for issue in &issues {
        // Every message names the place and says something in each language.
        let en = issue.message(Lang::En);
        let zh = issue.message(Lang::Zh);
        assert!(en.starts_with(&issue.path), "{en}");
        assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "no Chinese in {zh}");
    }
}

#[test]
fn the_base_fixture_and_every_preset_are_valid() {
    scenario(&base());
    for preset in delever_model::presets::all() {
        parse_scenario(preset.json).unwrap_or_else(|e| panic!("{}: {e:?}", preset.id));
    }
}

#[test]
fn top_level_rules() {
    check(|d| set(d, "/schema", json!(2)), &["schema"]);
    check(|d| set(d, "/years", json!(0)), &["years"]);
    check(|d| set(d, "/years", json!(11)), &["years"]);
    check(|d| set(d, "/years", json!("ten")), &["years"]);
    check(|d| set(d, "/start", json!("2018-11")), &["start"]);
    check(|d| set(d, "/start", json!("2018/12")), &["start"]);
    check(|d| set(d, "/institutions", json!([])), &["institutions"]);
    check(|d| set(d, "/surprise", json!(1)), &["surprise"]);
    check(
        |d| {
            d.as_object_mut().unwrap().remove("defaults");
        },
        &["defaults"],
    );
}

#[test]
fn driver_rules() {
    check(|d| set(d, "/defaults/loan_growth", json!("1.5")), &["defaults.loan_growth"]);
    check(|d| set(d, "/defaults/deposit_growth", json!("-0.51")), &["defaults.deposit_growth"]);
    check(
        |d| set(d, "/defaults/npl_formation_rate", json!(["0.1", "0.2"])),
        &["defaults.npl_formation_rate"],
    );
    check(|d| set(d, "/defaults/npl_formation_rate", json!("-0.01")), &["defaults.npl_formation_rate"]);
    check(|d| set(d, "/defaults/loan_growth_basis", json!("stock")), &["defaults.loan_growth_basis"]);
    check(
        |d| set(d, "/defaults/channels", json!({"write_off": "0.5", "transfer": "0.499"})),
        &["defaults.channels"],
    );
    check(|d| set(d, "/defaults/channels/sale", json!("0")), &["defaults.channels.sale"]);
    check(
        |d| set(d, "/defaults/disposal", json!({"plan": "rate", "rate": "1.1"})),
        &["defaults.disposal.rate"],
    );
    check(|d| set(d, "/defaults/disposal", json!({"plan": "half"})), &["defaults.disposal.plan"]);
    check(|d| set(d, "/defaults/disposal/amount", json!("-1")), &["defaults.disposal.amount"]);
    check(|d| set(d, "/defaults/pacing", json!({"weights": [1]})), &["defaults.pacing.weights"]);
    check(
        |d| set(d, "/defaults/pacing", json!({"weights": ["0.5", "0.4", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]})),
        &["defaults.pacing.weights"],
    );
    check(|d| set(d, "/defaults/pacing", json!("fast")), &["defaults.pacing"]);
    check(|d| set(d, "/defaults/recovery/transfer", json!("2")), &["defaults.recovery.transfer"]);
    check(
        |d| {
            d["defaults"]["recovery"].as_object_mut().unwrap().remove("foreclosure");
        },
        &["defaults.recovery.foreclosure"],
    );
    check(
        |d| set(d, "/defaults/capital/pre_provision_return", json!("0.3")),
        &["defaults.capital.pre_provision_return"],
    );
    check(
        |d| set(d, "/defaults/provisioning/coverage_floor", json!("-1")),
        &["defaults.provisioning.coverage_floor"],
    );
    // Overrides are checked with the same rules.
    check(
        |d| set(d, "/institutions/0/drivers", json!({"loan_growth": "2"})),
        &["institutions[0].drivers.loan_growth"],
    );
}

#[test]
fn opening_rules() {
    check(|d| set(d, "/institutions/0/opening/npl", json!("1300")), &["institutions[0].opening.npl"]);
    check(|d| set(d, "/institutions/0/opening/loans", json!({"x": 1})), &["institutions[0].opening.loans"]);
    check(|d| set(d, "/institutions/0/opening/deposits", json!(1e27)), &["institutions[0].opening.deposits"]);
    check(
        |d| set(d, "/institutions/0/opening/deposits", json!("1e27")),
        &["institutions[0].opening.deposits"],
    );
    check(
        |d| set(d, "/institutions/0/opening/deposits", json!("lots")),
        &["institutions[0].opening.deposits"],
    );
    check(
        |d| set(d, "/institutions/0/opening/leverage_exposure", json!(null)),
        &["institutions[0].opening.leverage_exposure"],
    );
    check(|d| set(d, "/institutions/0/kind", json!("bank")), &["institutions[0].kind"]);
    check(
        |d| {
            let inst = d["institutions"][0].clone();
            d["institutions"].as_array_mut().unwrap().push(inst);
        },
        &["institutions[1].id"],
    );
}

#[test]
fn event_amc_and_target_rules() {
    check(
        |d| set(d, "/events", json!([{"month": "2019-07", "institution": "zz", "amount": "1"}])),
        &["events[0].institution"],
    );
    check(
        |d| set(d, "/events", json!([{"month": "2020-01", "institution": "a", "amount": "1"}])),
        &["events[0].month"],
    );
    check(
        |d| set(d, "/events", json!([{"month": "2019-01", "institution": "a", "amount": "-1"}])),
        &["events[0].amount"],
    );
    check(
        |d| set(d, "/amc", json!({"opening_stock": "1", "inflow_share": "1.5", "disposal_rate": "0.3"})),
        &["amc.inflow_share"],
    );
    let target = |metric: &str, value: Value, year: i64, scope: &str| json!([{"id": "t", "metric": metric, "op": "le", "value": value, "year": year, "scope": scope}]);
    check(|d| set(d, "/targets", target("npl", json!("1"), 2020, "region")), &["targets[0].year"]);
    check(|d| set(d, "/targets", target("nplr", json!("1"), 2019, "region")), &["targets[0].metric"]);
    check(|d| set(d, "/targets", target("npl", json!("1"), 2019, "b")), &["targets[0].scope"]);
    check(
        |d| set(d, "/targets", target("npl", json!("national_average"), 2019, "region")),
        &["targets[0].value"],
    );
    check(|d| set(d, "/targets", target("amc_stock", json!("1"), 2019, "a")), &["targets[0].scope"]);
    // Zone scope (v2): the zone must be some institution's; region-only metrics stay region-only.
    check(|d| set(d, "/targets", target("npl", json!("1"), 2019, "zone:z9")), &["targets[0].scope"]);
    check(|d| set(d, "/targets", target("npl", json!("1"), 2019, "zone:")), &["targets[0].scope"]);
    check(|d| set(d, "/targets", target("amc_stock", json!("1"), 2019, "zone:z1")), &["targets[0].scope"]);
    check(
        |d| {
            set(d, "/start", json!("2024-12"));
            set(d, "/targets", target("npl_ratio", json!("national_average"), 2025, "region"));
        },
        &["targets[0].value"],
    );
}

/// Scenario-supplied reference values (MODEL.md section 11, v2).
#[test]
fn reference_values_extend_and_replace_the_table() {
    let national = |year: i64| json!([{"id": "t", "metric": "npl_ratio", "op": "le", "value": "national_average", "year": year}]);
    let with_2025 = |d: &mut Value| {
        set(d, "/start", json!("2024-12"));
        set(d, "/targets", national(2025));
        set(
            d,
            "/reference",
            json!({"national_npl_ratio": {"2025": "0.0150"}, "source": "our assumption, May 2025"}),
        );
    };
    // A year the table lacks: the scenario's figure, marked as its assumption, with its source.
    let mut doc = base();
    with_2025(&mut doc);
    let s = scenario(&doc);
    let p = delever_model::simulate(&s).unwrap();
    assert_eq!(p.targets[0].value, Decimal::new(150, 4));
    assert!(p.targets[0].assumed);
    let json = p.targets[0].to_json();
    assert_eq!(json["value_from"], "national_average");
    assert_eq!(json["assumed"], true);
    assert!(json["source"].as_str().unwrap().contains("our assumption, May 2025"), "{json}");
    assert!(json["basis"].as_str().unwrap().contains("商业银行"));
    // The canonical form keeps it, and reads back equal.
    assert_eq!(parse_scenario_value(&s.to_json()).unwrap(), s);
    // A year the table has: the scenario's figure replaces it.
    let mut doc = base();
    set(&mut doc, "/targets", national(2019));
    set(&mut doc, "/reference", json!({"national_npl_ratio": {"2019": "0.02"}, "source": "stress case"}));
    let p = delever_model::simulate(&scenario(&doc)).unwrap();
    assert_eq!((p.targets[0].value, p.targets[0].assumed), (Decimal::new(2, 2), true));
    // Without one, the published figure, not an assumption; v1 files write no `reference`.
    let mut doc = base();
    set(&mut doc, "/targets", national(2019));
    let s = scenario(&doc);
    let p = delever_model::simulate(&s).unwrap();
    assert_eq!((p.targets[0].value, p.targets[0].assumed), (Decimal::new(186, 4), false));
    assert!(s.to_json().get("reference").is_none());
    // A year neither has: the message says how to supply it.
    let mut doc = base();
    set(&mut doc, "/start", json!("2024-12"));
    set(&mut doc, "/targets", national(2025));
    let issues = parse_scenario_value(&doc).unwrap_err();
    assert!(issues[0].message(Lang::En).contains("\"reference\""), "{}", issues[0].message(Lang::En));
    assert!(issues[0].message(Lang::Zh).contains("商业银行"));
    // Each field of `reference` is checked where it is.
    check(
        |d| set(d, "/reference", json!({"national_npl_ratio": {"25": "0.01"}})),
        &["reference.national_npl_ratio.25"],
    );
    check(
        |d| set(d, "/reference", json!({"national_npl_ratio": {"2025": "1.5"}})),
        &["reference.national_npl_ratio.2025"],
    );
    check(
        |d| set(d, "/reference", json!({"national_npl_ratio": {"2025": "x"}})),
        &["reference.national_npl_ratio.2025"],
    );
    check(
        |d| set(d, "/reference", json!({"national_npl_ratio": ["0.01"]})),
        &["reference.national_npl_ratio"],
    );
    check(|d| set(d, "/reference", json!({"national": {}})), &["reference.national"]);
    check(|d| set(d, "/reference", json!("1.5%")), &["reference"]);
    // An unreadable `reference` is reported once, not again at each target that needed it.
    check(
        |d| {
            with_2025(d);
            set(d, "/reference/national_npl_ratio/2025", json!("-1"));
        },
        &["reference.national_npl_ratio.2025"],
    );
}

#[test]
fn all_violations_are_reported_at_once() {
    check(
        |d| {
            set(d, "/years", json!(11));
            set(d, "/start", json!("2018-11"));
            set(d, "/defaults/channels", json!({"write_off": "0.999"}));
            set(d, "/institutions/0/opening/npl", json!("5000"));
        },
        &["start", "years", "defaults.channels", "institutions[0].opening.npl"],
    );
}

#[test]
fn text_level_failures() {
    let only = |text: &str| -> Issue {
        let mut issues = parse_scenario(text).expect_err("rejected");
        assert_eq!(issues.len(), 1);
        issues.remove(0)
    };
    assert_eq!(only("").problem, Problem::Empty);
    assert_eq!(only("  \n").problem, Problem::Empty);
    assert!(matches!(only("{\"schema\": 1,").problem, Problem::Syntax { line: 1, .. }));
    assert!(matches!(only("[1, 2]").problem, Problem::WrongType { .. }));
    let huge = " ".repeat(delever_model::MAX_INPUT_BYTES + 1);
    assert!(matches!(only(&huge).problem, Problem::TooLarge { .. }));
    // A byte-order mark is not content.
    let with_bom = format!("\u{feff}{}", base());
    assert!(parse_scenario(&with_bom).is_ok());
}

#[test]
fn decimals_may_be_strings_or_exact_json_numbers() {
    let mut doc = base();
    set(&mut doc, "/defaults/loan_growth", json!(0.0101));
    let s = scenario(&doc);
    assert_eq!(s.defaults.loan_growth.get(0).to_string(), "0.0101");
    // Scientific notation is read exactly too.
    let text = base().to_string().replace("\"0.12\"", "1.2e-1");
    assert!(parse_scenario(&text).is_ok());
}

#[test]
fn canonical_json_round_trips() {
    for preset in delever_model::presets::all() {
        let s = parse_scenario(preset.json).unwrap();
        let again = parse_scenario_value(&s.to_json()).unwrap();
        assert_eq!(s, again, "{}", preset.id);
    }
}
