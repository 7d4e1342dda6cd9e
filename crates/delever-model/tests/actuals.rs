//! MODEL.md section 9 by hand: reported months replace the step, the re-forecast catches up what is left of the year's plan, and a scenario whose actuals are its own projection re-forecasts that projection.

mod common;

use common::{base, d, scenario, set};
use delever_model::output::MonthMetrics;
use delever_model::scenario::CHANNELS;
use delever_model::{Lang, parse_scenario_value, simulate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A month's report as the scenario file writes it, from a projected month.
fn report_of(m: &MonthMetrics, institution: &str, capital: bool) -> Value {
    let mut disposal = serde_json::Map::new();
    for (name, x) in CHANNELS.iter().zip(m.disposal_by_channel) {
        disposal.insert((*name).into(), json!(x.to_string()));
    }
    let mut entry = json!({
        "month": m.month, "institution": institution,
        "deposits": m.deposits.to_string(), "loans": m.loans.to_string(), "npl": m.npl.to_string(),
        "provisions": m.provisions.to_string(), "formation": m.formation.to_string(),
        "disposal": Value::Object(disposal),
    });
    if capital {
        entry["tier1_capital"] = json!(m.tier1_capital.unwrap().to_string());
        entry["leverage_exposure"] = json!(m.leverage_exposure.unwrap().to_string());
    }
    entry
}

/// The largest difference between two decimals, over every monthly metric.
fn within(a: &MonthMetrics, b: &MonthMetrics, tolerance: Decimal) -> Result<(), String> {
    for metric in delever_model::metrics::MONTHLY {
        let (x, y) = (a.get(metric), b.get(metric));
        let close = match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= tolerance,
            (None, None) => true,
            _ => false,
        };
        if !close {
            return Err(format!("{} {metric}: {x:?} vs {y:?}", a.month));
        }
    }
    Ok(())
}

#[test]
fn a_reported_month_takes_the_reported_stocks_and_splits_a_total_disposal() {
    let mut doc = base();
    set(
        &mut doc,
        "/actuals",
        json!([{"month": "2019-01", "institution": "a", "deposits": "121", "loans": "1210", "npl": "20",
                "disposal": "1.2"}]),
    );
    let s = scenario(&doc);
    let p = simulate(&s).unwrap();
    let m = &p.institutions[0].1.monthly[0];
    assert!(m.actual);
    assert!(!p.institutions[0].1.monthly[1].actual);
    assert_eq!((m.deposits, m.loans, m.npl, m.performing), (d("121"), d("1210"), d("20"), d("1190")));
    // The total split as step 5 splits it: 0.25 / 0.5 / 0.25 of 1.2.
    assert_eq!(&m.disposal_by_channel[..3], &[d("0.300"), d("0.60"), d("0.300")]);
    // Formation absent: the roll-forward residual 20 − 12 + 1.2.
    assert_eq!(m.formation, d("9.2"));
    // Provisions by step 11 on the reported stocks: max(10 − 0.78, 1.5 × 20, 0.01 × 1210) = 30.
    assert_eq!(m.provisions, d("30.0"));
    // Leverage exposure from the opening anchor: 1500 + (1210 − 1200) − (30 − 10).
    assert_eq!(m.leverage_exposure, Some(d("1490.0")));
    assert_eq!(p.as_of.as_deref(), Some("2019-01"));
    let json = p.to_json();
    assert_eq!(json["as_of"], "2019-01");
    assert_eq!(json["region"]["monthly"][0]["actual"], true);
    assert_eq!(json["region"]["monthly"][1]["actual"], false);
    // Without actuals, as_of is null and every month is projected.
    let plain = simulate(&scenario(&base())).unwrap().to_json();
    assert_eq!(plain["as_of"], Value::Null);
    assert_eq!(plain["region"]["monthly"][0]["actual"], false);
}

#[test]
fn the_re_forecast_catches_up_what_is_left_of_the_plan() {
    // Plan 12 with 60% in H1 (w = 0.1 for months 1–6, 0.4/6 after). Nothing disposed in
    // months 1–3: Rem = 12, W = Σ_{k>3} w_k ≈ 0.7, so month 4 plans 12 × 0.1 / W.
    let mut doc = base();
    let months: Vec<Value> = (1..=3)
        .map(|k| {
            json!({"month": format!("2019-{k:02}"), "institution": "a", "deposits": "120",
                   "loans": "1200", "npl": "12", "disposal": {}})
        })
        .collect();
    set(&mut doc, "/actuals", Value::Array(months));
    let s = scenario(&doc);
    let p = simulate(&s).unwrap();
    let region = &p.region.monthly;
    // (W is the exact sum of the weights, 0.1 × 3 + (0.4 / 6) × 6, a hair above 0.7.)
    let late = d("0.4") / d("6");
    let rest = [d("0.1"), d("0.1"), d("0.1"), late, late, late, late, late, late]
        .iter()
        .fold(Decimal::ZERO, |a, w| a + w);
    assert_eq!(region[3].disposal_plan, d("12") * d("0.1") / rest);
    assert_eq!(region[6].disposal_plan, d("12") * late / rest);
    // Deposits from the last report at the plan's pace: 120 + 120 × 0.12 × (k − 3) / 12.
    assert_eq!(region[3].deposits, d("121.2"));
    assert_eq!(region[11].deposits, d("120") + d("120") * d("0.12") * d("9") / d("12"));
    // The year's unmet plan is max(0, A − disposal) in a year with reported months.
    let year = &p.region.year_ends[0];
    assert_eq!(year.disposal_shortfall, (year.disposal_plan - year.disposal).max(Decimal::ZERO));
    // A report for every month: nothing is re-forecast.
    let all: Vec<Value> = (1..=12)
        .map(|k| {
            json!({"month": format!("2019-{k:02}"), "institution": "a", "deposits": "120",
                   "loans": "1200", "npl": "12", "disposal": "0.5"})
        })
        .collect();
    set(&mut doc, "/actuals", Value::Array(all));
    let p = simulate(&scenario(&doc)).unwrap();
    assert!(p.region.monthly.iter().all(|m| m.actual));
    assert_eq!(p.region.year_ends[0].disposal, d("6.0"));
    assert_eq!(p.region.year_ends[0].disposal_shortfall, d("6.0"));
}

#[test]
fn tracking_compares_the_year_so_far_with_the_plan() {
    // Nothing disposed in months 1–3 of a plan of 12 at 0.1 a month in H1.
    let mut doc = base();
    let months: Vec<Value> = (1..=3)
        .map(|k| {
            json!({"month": format!("2019-{k:02}"), "institution": "a", "deposits": "120",
                   "loans": "1200", "npl": "12", "disposal": {}})
        })
        .collect();
    set(&mut doc, "/actuals", Value::Array(months));
    set(
        &mut doc,
        "/targets",
        json!([{"id": "npl_cap", "metric": "npl", "op": "le", "value": "30", "year": 2019}]),
    );
    let with = simulate(&scenario(&doc)).unwrap();
    let mut bare_doc = doc.clone();
    bare_doc.as_object_mut().unwrap().remove("actuals");
    let plan = simulate(&scenario(&bare_doc)).unwrap();
    let t = with.tracking.as_ref().expect("tracking with actuals");
    let r = &t.region;
    assert_eq!((r.year, r.as_of.as_str()), (2019, "2019-03"));
    assert_eq!(r.disposal_plan, d("12"));
    assert_eq!(r.disposal_to_date, d("0"));
    assert_eq!(r.scheduled_to_date, d("3.6"), "1.2 a month, the plan's pace");
    assert_eq!(r.completion, Some(d("0")));
    assert_eq!(r.behind, d("3.6"));
    assert_eq!(r.required_monthly, Some(d("12") / d("9")));
    assert_eq!(r.npl_vs_plan, d("12") - plan.region.monthly[2].npl);
    assert_eq!(r.loans_vs_plan, d("1200") - plan.region.monthly[2].loans);
    assert_eq!(t.institutions[0].1, t.region, "one institution is the region");
    assert_eq!(t.zones[0].0, "z1");
    // Each target's value in the plan.
    assert_eq!(with.targets[0].planned, Some(plan.targets[0].actual));
    let json = with.to_json();
    assert_eq!(json["tracking"]["region"]["scheduled_to_date"], "3.6");
    assert_eq!(json["tracking"]["institutions"]["a"]["as_of"], "2019-03");
    assert!(json["targets"][0].get("planned").is_some());
    // Without actuals: no tracking, no planned.
    let json = plan.to_json();
    assert!(json.get("tracking").is_none());
    assert!(json["targets"][0].get("planned").is_none());
}

#[test]
fn a_report_that_does_not_roll_forward_is_a_warning_not_an_error() {
    let mut doc = base();
    set(
        &mut doc,
        "/actuals",
        json!([{"month": "2019-01", "institution": "a", "deposits": "121", "loans": "1210", "npl": "20",
                "formation": "1", "disposal": "1.2"}]),
    );
    let p = simulate(&scenario(&doc)).unwrap();
    let w = p.warnings.iter().find(|w| w.code == "actuals_roll_forward").expect("warned");
    assert!(w.message(Lang::En).contains("2019-01") && w.message(Lang::Zh).contains("不衔接"));
    assert_eq!(p.institutions[0].1.monthly[0].npl, d("20"), "the reported stock is used");
}

#[test]
fn actuals_rules_name_the_field() {
    let check = |actuals: Value, paths: &[&str]| {
        let mut doc = base();
        set(&mut doc, "/actuals", actuals);
        let issues = parse_scenario_value(&doc).expect_err("rejected");
        let got: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(got, paths, "{:?}", issues.iter().map(|i| i.message(Lang::En)).collect::<Vec<_>>());
    };
    let entry = |month: &str| json!({"month": month, "institution": "a", "deposits": "1", "loans": "2", "npl": "1", "disposal": "0"});
    check(json!([entry("2019-01"), entry("2019-01")]), &["actuals[1]"]);
    check(json!([entry("2019-02")]), &["actuals"]);
    check(json!([entry("2020-01")]), &["actuals[0].month"]);
    let mut e = entry("2019-01");
    e["npl"] = json!("3");
    check(json!([e]), &["actuals[0].npl"]);
    let mut e = entry("2019-01");
    e["institution"] = json!("zz");
    check(json!([e]), &["actuals[0].institution"]);
    let mut e = entry("2019-01");
    e["tier1_capital"] = json!("1");
    check(json!([e]), &["actuals[0]"]);
    let mut e = entry("2019-01");
    e.as_object_mut().unwrap().remove("disposal");
    check(json!([e]), &["actuals[0].disposal"]);
    let mut e = entry("2019-01");
    e["disposal"] = json!({"write_off": "-1"});
    check(json!([e]), &["actuals[0].disposal.write_off"]);
    let mut e = entry("2019-01");
    e["disposal"] = json!({"writeoff": "1"});
    check(json!([e]), &["actuals[0].disposal.writeoff"]);
    // Capital only for an institution that models it.
    let mut doc = base();
    for key in ["tier1_capital", "leverage_exposure"] {
        doc["institutions"][0]["opening"].as_object_mut().unwrap().remove(key);
    }
    let mut e = entry("2019-01");
    e["tier1_capital"] = json!("1");
    e["leverage_exposure"] = json!("2");
    set(&mut doc, "/actuals", json!([e]));
    let issues = parse_scenario_value(&doc).expect_err("rejected");
    assert_eq!(issues[0].path, "actuals[0].tier1_capital");
    // A valid file reads back equal from its canonical form.
    let mut doc = base();
    set(&mut doc, "/actuals", json!([entry("2019-01")]));
    let s = scenario(&doc);
    assert_eq!(parse_scenario_value(&s.to_json()).unwrap(), s);
}

/// Scenarios whose plan is always met (no shortfall): a disposal well under the NPL stock.
fn met_scenarios() -> impl Strategy<Value = (Value, usize)> {
    (1u32..=3, 1usize..=36, 1i64..=60, 1i64..=20, 0i64..=30, any::<bool>()).prop_map(
        |(years, as_of, amount, formation, growth, balance)| {
            let mut doc = base();
            set(&mut doc, "/years", json!(years));
            set(
                &mut doc,
                "/defaults/disposal",
                json!({"plan": "amount", "amount": format!("{}", Decimal::new(amount, 1))}),
            );
            set(&mut doc, "/defaults/npl_formation_rate", json!(Decimal::new(formation, 3).to_string()));
            set(&mut doc, "/defaults/deposit_growth", json!(Decimal::new(growth, 2).to_string()));
            set(&mut doc, "/defaults/loan_growth_basis", json!(if balance { "balance" } else { "lending" }));
            let months = usize::try_from(years).unwrap() * 12;
            (doc, as_of.min(months))
        },
    )
}

/// Section 9's fixed point: report a projection's own first months and the re-forecast
/// gives that projection back, to within the contract's 1e-20 (128 cases).
#[test]
fn actuals_equal_to_the_projection_re_forecast_the_projection() {
    common::cases::run(file!(), 128, met_scenarios(), |(doc, as_of)| {
        let plain = simulate(&scenario(&doc)).unwrap();
        prop_assume!(plain.region.monthly.iter().take(as_of).all(|m| m.disposal_shortfall.is_zero()));
        let reports: Vec<Value> =
            plain.institutions[0].1.monthly.iter().take(as_of).map(|m| report_of(m, "a", true)).collect();
        let mut with = doc.clone();
        set(&mut with, "/actuals", Value::Array(reports));
        let tracked = simulate(&scenario(&with)).unwrap();
        let tolerance = Decimal::new(1, 20) * (Decimal::ONE + d("1200"));
        for (a, b) in tracked.region.monthly.iter().zip(&plain.region.monthly) {
            prop_assert!(within(a, b, tolerance).is_ok(), "{}", within(a, b, tolerance).unwrap_err());
        }
        prop_assert!(delever_model::invariants::check_projection(&scenario(&with), &tracked).is_ok());
        Ok(())
    });
}

/// Two banks of one zone, every month of 2019 reported: `a` disposes of 1 a month against its
/// own plan of 6 (6 over), `b` of nothing against 6 (6 short); `a` also reports 0.5 of
/// securitisation in January, a channel its plan gives no share.
fn two_banks_reported() -> Value {
    let mut doc = base();
    let a = doc["institutions"][0].clone();
    let mut b = a.clone();
    b["id"] = json!("b");
    b["name"] = json!("B");
    let own_plan = json!({"disposal": {"plan": "amount", "amount": "6"}});
    let mut a = a;
    a["drivers"] = own_plan.clone();
    b["drivers"] = own_plan;
    set(&mut doc, "/institutions", json!([a, b]));
    let mut actuals = Vec::new();
    for k in 1..=12 {
        let month = format!("2019-{k:02}");
        let a_disposal = if k == 1 {
            json!({"collection": "0.5", "securitization": "0.5"})
        } else {
            json!({"collection": "1"})
        };
        for (id, disposal) in [("a", a_disposal), ("b", json!("0"))] {
            actuals.push(json!({"month": month, "institution": id, "deposits": "120", "loans": "1200",
                                "npl": "12", "disposal": disposal}));
        }
    }
    set(&mut doc, "/actuals", Value::Array(actuals));
    doc
}

#[test]
fn a_zones_and_the_regions_shortfall_in_a_reported_year_sum_their_banks() {
    let p = simulate(&scenario(&two_banks_reported())).unwrap();
    let year_end = |entity: &delever_model::output::Series| entity.year_ends[0].clone();
    let (a, b) = (year_end(&p.institutions[0].1), year_end(&p.institutions[1].1));
    // Each bank's own: max(0, A_y − disposal) (section 9).
    assert_eq!((a.disposal_plan, a.disposal, a.disposal_shortfall), (d("6"), d("12"), d("0")));
    assert_eq!((b.disposal_plan, b.disposal, b.disposal_shortfall), (d("6"), d("0"), d("6")));
    // The zone and the region: the banks' amounts summed (section 4), so a's 6 over does not
    // cancel b's 6 short (max(0, 12 − 12) would say 0).
    for (name, entity) in [("zone", year_end(&p.zones[0].1)), ("region", year_end(&p.region))] {
        assert_eq!((entity.disposal_plan, entity.disposal), (d("12"), d("12")), "{name}");
        assert_eq!(entity.disposal_shortfall, d("6"), "{name}");
    }
}

#[test]
fn a_reported_channel_the_plan_does_not_use_is_counted() {
    let p = simulate(&scenario(&two_banks_reported())).unwrap();
    let securitization = CHANNELS.iter().position(|c| *c == "securitization").unwrap();
    // a's January: 0.5 collected, 0.5 securitised; the year: 11.5 collected, 0.5 securitised.
    assert_eq!(p.institutions[0].1.monthly[0].disposal_by_channel[securitization], d("0.5"));
    for (name, series) in [("a", &p.institutions[0].1), ("zone", &p.zones[0].1), ("region", &p.region)] {
        assert_eq!(series.monthly[0].disposal_by_channel[securitization], d("0.5"), "{name}, January");
        assert_eq!(series.year_ends[0].disposal_by_channel[securitization], d("0.5"), "{name}, the year");
    }
    let json = p.to_json();
    assert_eq!(json["region"]["year_ends"][0]["disposal_by_channel"]["securitization"], "0.5");
}
