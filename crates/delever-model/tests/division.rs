//! MODEL.md section 10 by hand: targets divided among the institutions (shares, fallbacks, later years) and the assessment (ranks, ties, nulls, points, order).

mod common;

use common::{base, d, scenario, set};
use delever_model::division::{assess, decompose, decomposition_json};
use delever_model::{Lang, parse_scenario_value, simulate};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Two institutions: `a` as in the base fixture (deposits 120, loans 1200, NPL 12), `b`
/// smaller (80, 800, 4) in another zone, with no deposit growth.
fn two() -> Value {
    let mut doc = base();
    let a = doc["institutions"][0].clone();
    let mut b = a.clone();
    b["id"] = json!("b");
    b["zone"] = json!("z2");
    b["opening"] = json!({"deposits": "80", "loans": "800", "npl": "4", "provisions": "10",
                          "tier1_capital": "100", "leverage_exposure": "1000"});
    b["drivers"] = json!({"deposit_growth": "0"});
    set(&mut doc, "/institutions", json!([a, b]));
    doc
}

/// A part as the test reads it: institution, share, value, actual, met, margin.
type Row<'a> = (&'a str, Decimal, Decimal, Option<Decimal>, bool, Option<Decimal>);

fn target(id: &str, metric: &str, op: &str, value: &str, year: i32) -> Value {
    json!({"id": id, "metric": metric, "op": op, "value": value, "year": year, "scope": "region"})
}

#[test]
fn each_part_is_the_value_times_the_opening_share_checked_against_the_projection() {
    let mut doc = two();
    set(
        &mut doc,
        "/targets",
        json!([
            target("dep", "deposits", "ge", "200", 2019),
            target("dsp", "disposal", "ge", "8", 2019),
            target("ratio", "npl_ratio", "le", "0.02", 2019),
            {"id": "own", "metric": "npl", "op": "le", "value": "5", "year": 2019, "scope": "b"}
        ]),
    );
    let s = scenario(&doc);
    let p = simulate(&s).unwrap();
    let divided = decompose(&s, &p, None);
    // Only region targets on deposits, loans, npl and disposal are divided.
    let ids: Vec<&str> = divided.iter().map(|t| t.target.id.as_str()).collect();
    assert_eq!(ids, ["dep", "dsp"]);
    // Deposits by opening deposits, 120 : 80; a reaches 120 × 1.12 = 134.4 ≥ 120, b stays at 80 ≥ 80.
    let dep = &divided[0];
    let cells: Vec<Row<'_>> = dep
        .parts
        .iter()
        .map(|p| (p.institution.as_str(), p.share, p.value, p.actual, p.met, p.margin))
        .collect();
    assert_eq!(
        cells,
        [
            ("a", d("0.6"), d("120.0"), Some(d("134.4")), true, Some(d("14.4"))),
            ("b", d("0.4"), d("80.0"), Some(d("80")), true, Some(d("0.0"))),
        ]
    );
    // Disposal by opening NPL, 12 : 4; each disposes of its plan of 12.
    let dsp = &divided[1];
    assert_eq!(dsp.parts.iter().map(|p| p.share).collect::<Vec<_>>(), [d("0.75"), d("0.25")]);
    assert_eq!(dsp.parts.iter().map(|p| p.value).collect::<Vec<_>>(), [d("6.00"), d("2.00")]);
    // The JSON is section 10's shape.
    let json = decomposition_json(&divided);
    assert_eq!(json["targets"][0]["parts"][1]["institution"], "b");
    assert_eq!(json["targets"][0]["parts"][1]["share"], "0.4");
    assert_eq!(json["targets"][1]["value"], "8");
    // --year keeps that year's targets only.
    assert_eq!(decompose(&s, &p, Some(2019)).len(), 2);
}

#[test]
fn zero_stocks_fall_back_to_loans_then_to_equal_shares() {
    let mut doc = two();
    set(&mut doc, "/institutions/0/opening/npl", json!("0"));
    set(&mut doc, "/institutions/1/opening/npl", json!("0"));
    set(&mut doc, "/defaults/npl_formation_rate", json!("0"));
    set(&mut doc, "/targets", json!([target("dsp", "disposal", "ge", "1", 2019)]));
    let s = scenario(&doc);
    let shares: Vec<Decimal> =
        decompose(&s, &simulate(&s).unwrap(), None)[0].parts.iter().map(|p| p.share).collect();
    assert_eq!(shares, [d("0.6"), d("0.4")], "opening loans 1200 : 800");

    set(&mut doc, "/institutions/0/opening/loans", json!("0"));
    set(&mut doc, "/institutions/1/opening/loans", json!("0"));
    set(&mut doc, "/institutions/0/opening/provisions", json!("0"));
    set(&mut doc, "/institutions/1/opening/provisions", json!("0"));
    set(&mut doc, "/institutions/0/opening/tier1_capital", json!(null));
    set(&mut doc, "/institutions/0/opening/leverage_exposure", json!(null));
    set(&mut doc, "/institutions/1/opening/tier1_capital", json!(null));
    set(&mut doc, "/institutions/1/opening/leverage_exposure", json!(null));
    let s = scenario(&doc);
    let shares: Vec<Decimal> =
        decompose(&s, &simulate(&s).unwrap(), None)[0].parts.iter().map(|p| p.share).collect();
    assert_eq!(shares, [d("0.5"), d("0.5")], "equal shares");
}

#[test]
fn a_later_years_shares_come_from_the_previous_year_end() {
    let mut doc = two();
    set(&mut doc, "/years", json!(2));
    set(&mut doc, "/targets", json!([target("dep", "deposits", "ge", "214.4", 2020)]));
    let s = scenario(&doc);
    let divided = decompose(&s, &simulate(&s).unwrap(), None);
    // End-2019 deposits: a 134.4, b 80 (no growth): shares 134.4 / 214.4 and 80 / 214.4.
    let parts = &divided[0].parts;
    assert_eq!(parts[0].share, d("134.4") / d("214.4"));
    assert_eq!(parts[1].share, d("80") / d("214.4"));
    assert_eq!(parts[0].value, d("214.4") * (d("134.4") / d("214.4")));
}

/// Three institutions in zones z1 (a, b) and z2 (c); the scores by hand.
#[test]
fn the_assessment_ranks_ties_share_and_nulls_score_nothing() {
    let mut doc = two();
    let mut c = doc["institutions"][0].clone();
    c["id"] = json!("c");
    c["zone"] = json!(null);
    let mut list = doc["institutions"].as_array().unwrap().clone();
    list.push(c);
    set(&mut doc, "/institutions", Value::Array(list));
    set(
        &mut doc,
        "/assessment",
        json!({"year": 2019, "level": "institution", "criteria": [
            {"metric": "deposits", "better": "higher", "weight": "60"},
            {"metric": "h1_share", "better": "higher", "weight": "40"}
        ]}),
    );
    let s = scenario(&doc);
    let p = simulate(&s).unwrap();
    let scores = p.assessment.clone().expect("scored");
    assert_eq!(scores, assess(&s, &p, s.assessment.as_ref().unwrap()));
    // Deposits: a 134.4 and c 134.4 tie at rank 1.5 (3 ranked): 60 × (3 − 1.5) / 2 = 45 each;
    // b 80 is third: 0. h1_share: all three keep the plan's 60% in the first half, b to within
    // the last of 28 digits (0.5999…9, its pacing a rounded quotient), which the assessment
    // compares at 20 places: a three-way tie at rank 2, 40 × (3 − 2) / 2 = 20 each. Totals 65,
    // 65, 20; a before c by id.
    let h1 =
        |id: &str| p.institutions.iter().find(|(i, _)| i == id).unwrap().1.year_ends[0].h1_share.unwrap();
    assert_eq!((h1("a"), h1("c")), (d("0.6"), d("0.6")));
    assert!((h1("b") - d("0.6")).abs() < d("1e-26"), "{}", h1("b"));
    let rows: Vec<(&str, Decimal, usize)> =
        scores.entries.iter().map(|e| (e.id.as_str(), e.total, e.rank)).collect();
    assert_eq!(rows, [("a", d("65"), 1), ("c", d("65"), 1), ("b", d("20"), 3)]);
    assert_eq!(scores.entries[2].criteria[1].rank, Some(d("2")), "b ties on h1_share");
    assert_eq!(scores.entries[0].criteria[0].rank, Some(d("1.5")));
    assert_eq!(scores.entries[2].criteria[0].points, Decimal::ZERO);
    let json = p.to_json();
    assert_eq!(json["assessment"]["level"], "institution");
    assert_eq!(json["assessment"]["entries"][0]["criteria"][0]["rank"], "1.5");
    assert_eq!(json["assessment"]["entries"][2]["rank"], 3);

    // By zone: c has none and is not scored; z1 = a + b, z2 absent … z1 alone scores the full
    // weight (n = 1); a null value (disposal_completion with no plan) scores 0.
    set(
        &mut doc,
        "/assessment",
        json!({"year": 2019, "level": "zone", "criteria": [
            {"metric": "loan_growth", "better": "higher", "weight": "10"},
            {"metric": "npl_change", "better": "lower", "weight": "5"}
        ]}),
    );
    set(&mut doc, "/institutions/1/zone", json!("z1"));
    let s = scenario(&doc);
    let p = simulate(&s).unwrap();
    let scores = p.assessment.expect("scored");
    assert_eq!(scores.entries.len(), 1);
    assert_eq!((scores.entries[0].id.as_str(), scores.entries[0].total), ("z1", d("15")));
    let zone = &p.zones[0].1.year_ends[0];
    assert_eq!(scores.entries[0].criteria[0].value, Some(zone.loans / d("2000") - Decimal::ONE));
}

#[test]
fn assessment_rules_name_the_field() {
    let bad = |assessment: Value, path: &str| {
        let mut doc = two();
        set(&mut doc, "/assessment", assessment);
        let issues = parse_scenario_value(&doc).expect_err("rejected");
        assert_eq!(issues.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(), [path]);
        assert!(issues[0].message(Lang::Zh).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    };
    let criterion = json!({"metric": "npl_change", "better": "lower", "weight": "50"});
    bad(json!({"year": 2030, "level": "zone", "criteria": [criterion]}), "assessment.year");
    bad(json!({"year": 2019, "level": "bank", "criteria": [criterion]}), "assessment.level");
    bad(json!({"year": 2019, "level": "zone", "criteria": []}), "assessment.criteria");
    bad(
        json!({"year": 2019, "level": "zone", "criteria": [{"metric": "npl_change", "better": "lower", "weight": "0"}]}),
        "assessment.criteria[0].weight",
    );
    bad(
        json!({"year": 2019, "level": "zone", "criteria": [{"metric": "npl_change", "better": "less", "weight": "1"}]}),
        "assessment.criteria[0].better",
    );
    bad(
        json!({"year": 2019, "level": "zone", "criteria": [{"metric": "growth", "better": "lower", "weight": "1"}]}),
        "assessment.criteria[0].metric",
    );
    bad(json!({"year": 2019, "level": "zone", "criteria": [criterion], "extra": 1}), "assessment.extra");
    // A valid one reads back equal from its canonical form.
    let mut doc = two();
    set(&mut doc, "/assessment", json!({"year": 2019, "level": "zone", "criteria": [criterion]}));
    let s = scenario(&doc);
    assert_eq!(parse_scenario_value(&s.to_json()).unwrap(), s);
}
