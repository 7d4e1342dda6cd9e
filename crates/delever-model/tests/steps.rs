//! Table tests of each step of the monthly equations (MODEL.md section 3), against hand-computed values.

mod common;

use common::{base, d, records, scenario, set};
use delever_model::scenario::channel;
use delever_model::{Lang, SimError, simulate};
use rust_decimal::Decimal;
use serde_json::json;

/// Month 1 of the base scenario, step by step:
/// Dep = 120 × (1 + 0.12 × 1/12) = 121.2; P0 = 1188; F = 0.12 × 1188 / 12 = 11.88;
/// Dsp* = 12 × 0.6/6 = 1.2 ≤ 12 + 11.88, so Dsp = 1.2; X = 0.3 collection, 0.6 write-off, 0.3 transfer;
/// N = 12 + 11.88 − 1.2 = 22.68; Rm = 1.2; NL = 0.12 × 1200 / 12 = 12; P = 1188 + 12 − 11.88 = 1188.12;
/// L = 1210.8; Loss = 0.6 + 0.6 × 0.3 = 0.78; Cash = 0.3 + 0.4 × 0.3 = 0.42; pre = 10 − 0.78 = 9.22;
/// R* = max(1.5 × 22.68, 0.01 × 1210.8) = 34.02; Prov = 24.8; NI = 0.01 × 1200 − 24.8 = −12.8;
/// K = 87.2; E = 1500 + 10.8 − 24.02 = 1486.78.
#[test]
fn month_one_by_hand() {
    let r = records(&base())[0];
    let cases: [(&str, Decimal, &str); 19] = [
        ("deposits", r.deposits, "121.2"),
        ("formation", r.formation, "11.88"),
        ("planned", r.planned, "1.2"),
        ("disposal", r.disposal, "1.2"),
        ("collection", r.channels[channel::COLLECTION], "0.3"),
        ("write_off", r.channels[channel::WRITE_OFF], "0.6"),
        ("transfer", r.channels[channel::TRANSFER], "0.3"),
        ("npl", r.npl, "22.68"),
        ("removals", r.removals, "1.2"),
        ("new_lending", r.new_lending, "12"),
        ("performing", r.performing, "1188.12"),
        ("loans", r.loans, "1210.8"),
        ("losses", r.losses, "0.78"),
        ("cash", r.cash, "0.42"),
        ("assets_received", r.assets_received, "0"),
        ("provisions", r.provisions, "34.02"),
        ("provision_charge", r.provision_charge, "24.8"),
        ("tier1_capital", r.tier1_capital, "87.2"),
        ("leverage_exposure", r.leverage_exposure, "1486.78"),
    ];
    for (name, got, want) in cases {
        assert_eq!(got, d(want), "{name}");
    }
    assert!(!r.capped);
}

#[track_caller]
fn month_one(edit: impl Fn(&mut serde_json::Value)) -> delever_model::engine::MonthRecord {
    let mut doc = base();
    edit(&mut doc);
    records(&doc)[0]
}

#[test]
fn balance_basis_replaces_removals() {
    // NL = 12 + Rm (1.2) = 13.2, so L = 1200 × (1 + 0.12/12) = 1212 exactly.
    let r = month_one(|doc| set(doc, "/defaults/loan_growth_basis", json!("balance")));
    assert_eq!(r.new_lending, d("13.2"));
    assert_eq!(r.performing, d("1189.32"));
    assert_eq!(r.loans, d("1212"));
}

#[test]
fn balance_basis_grows_the_reported_balance_exactly() {
    let mut doc = base();
    set(&mut doc, "/defaults/loan_growth_basis", json!("balance"));
    let all = records(&doc);
    assert_eq!(all[11].loans, d("1344"), "1200 × 1.12");
}

#[test]
fn upgrade_returns_loans_to_performing() {
    // X_upgrade = 0.6 stays on the books: Rm = 0.6, P = 1188 + 12 − 11.88 + 0.6.
    let r = month_one(|doc| set(doc, "/defaults/channels", json!({"upgrade": "0.5", "write_off": "0.5"})));
    assert_eq!(r.channels[channel::UPGRADE], d("0.6"));
    assert_eq!(r.removals, d("0.6"));
    assert_eq!(r.performing, d("1188.72"));
    assert_eq!(r.losses, d("0.6"), "upgrade loses nothing");
    assert_eq!(r.cash, d("0"));
}

#[test]
fn recovery_channels_split_losses_and_cash() {
    // Dsp 1.2 spread over four recovering channels at 0.25 each: 0.3 apiece.
    let r = month_one(|doc| {
        set(
            doc,
            "/defaults/channels",
            json!({"transfer": "0.25", "securitization": "0.25", "debt_equity": "0.25", "foreclosure": "0.25"}),
        )
    });
    // Loss = 0.3 × (0.6 + 0.7 + 0.5 + 0.4) = 0.66; Cash = 0.3 × (0.4 + 0.3) = 0.21 (debt-equity
    // gives an equity stake, foreclosure assets: neither is cash); AR = 0.3 × 0.6 = 0.18 (v2).
    assert_eq!(r.losses, d("0.66"));
    assert_eq!(r.cash, d("0.21"));
    assert_eq!(r.assets_received, d("0.18"));
}

#[test]
fn formation_is_capped_at_performing_loans() {
    // P0 = 0.1; F would be 0.1/12 + 5 (an event), capped at 0.1.
    let mut doc = base();
    set(&mut doc, "/institutions/0/opening/loans", json!("10"));
    set(&mut doc, "/institutions/0/opening/npl", json!("9.9"));
    set(&mut doc, "/events", json!([{"month": "2019-01", "institution": "a", "amount": "5"}]));
    let r = records(&doc)[0];
    assert_eq!(r.formation, d("0.1"));
    assert!(r.capped);
    let projection = simulate(&scenario(&doc)).unwrap();
    assert!(projection.warnings.iter().any(|w| w.code == "formation_capped"));
}

#[test]
fn disposal_is_limited_by_available_npl() {
    // Plan 1000 × 0.1 = 100 in month 1, but only N0 + F = 1 + 0 is there.
    let r = month_one(|doc| {
        set(doc, "/defaults/disposal/amount", json!("1000"));
        set(doc, "/institutions/0/opening/npl", json!("1"));
        set(doc, "/defaults/npl_formation_rate", json!("0"));
    });
    assert_eq!(r.disposal, d("1"));
    assert_eq!(r.planned, d("100"));
    assert_eq!(r.shortfall(), d("99"));
    assert_eq!(r.npl, d("0"));
}

#[test]
fn rate_plan_covers_stock_formation_and_events() {
    // A = 0.5 × (12 + 0.12 × 1188 + 3) = 78.78; month 1 plans 10% of it.
    let r = month_one(|doc| {
        set(doc, "/defaults/disposal", json!({"plan": "rate", "rate": "0.5"}));
        set(doc, "/events", json!([{"month": "2019-03", "institution": "a", "amount": "3"}]));
    });
    assert_eq!(r.planned, d("7.878"));
}

#[test]
fn events_become_npl_in_their_month() {
    let mut doc = base();
    set(&mut doc, "/events", json!([{"month": "2019-02", "institution": "a", "amount": "2.5"}]));
    let all = records(&doc);
    let without = records(&base());
    assert_eq!(all[1].formation - without[1].formation, d("2.5"));
    assert_eq!(all[0].formation, without[0].formation);
}

#[test]
fn deposits_grow_linearly_within_the_year() {
    let all = records(&base());
    assert_eq!(all[5].deposits, d("127.2"), "120 × (1 + 0.12 × 6/12)");
    assert_eq!(all[11].deposits, d("134.4"));
}

#[test]
fn pacing_weights_follow_the_plan() {
    let all = records(&base());
    // h1_share 0.6: 0.1 of the plan in months 1–6, 0.4/6 in months 7–12.
    assert_eq!(all[0].planned, d("1.2"));
    assert_eq!(all[6].planned.round_dp(20), d("0.8"));
}

#[test]
fn provisions_never_fall_below_zero_or_the_floors() {
    let r = month_one(|doc| {
        set(doc, "/defaults/provisioning", json!({"coverage_floor": null, "allowance_floor": null}));
        set(doc, "/institutions/0/opening/provisions", json!("0.1"));
    });
    // pre = 0.1 − 0.78 < 0 and no floor: R = 0, charge = 0.68.
    assert_eq!(r.provisions, d("0"));
    assert_eq!(r.provision_charge, d("0.68"));
}

#[test]
fn positive_income_is_retained_at_rho() {
    // No floors and ample provisions: Prov = 0, NI = 12, K = 100 + 0.5 × 12.
    let r = month_one(|doc| {
        set(doc, "/defaults/provisioning", json!({"coverage_floor": null, "allowance_floor": null}));
        set(doc, "/institutions/0/opening/provisions", json!("50"));
    });
    assert_eq!(r.provision_charge, d("0"));
    assert_eq!(r.tier1_capital, d("106"));
    // E = 1500 + (1210.8 − 1200) − (49.22 − 50)
    assert_eq!(r.leverage_exposure, d("1511.58"));
}

#[test]
fn region_amount_is_shared_by_npl_then_loans_then_equally() {
    let mut doc = base();
    let inst = |id: &str, npl: &str, loans: &str| json!({"id": id, "opening": {"deposits": "10", "loans": loans, "npl": npl}});
    set(&mut doc, "/defaults/disposal/amount", json!("8"));
    set(
        &mut doc,
        "/institutions",
        json!([inst("a", "10", "100"), inst("b", "30", "100"), inst("c", "0", "100")]),
    );
    let s = scenario(&doc);
    let p = simulate(&s).unwrap();
    let plan_of = |i: usize| p.institutions[i].1.year_ends[0].disposal_plan;
    assert_eq!((plan_of(0), plan_of(1), plan_of(2)), (d("2"), d("6"), d("0")));

    // All NPL zero: by loans.
    set(&mut doc, "/institutions", json!([inst("a", "0", "100"), inst("b", "0", "300")]));
    let p = simulate(&scenario(&doc)).unwrap();
    assert_eq!(p.institutions[0].1.year_ends[0].disposal_plan, d("2"));
    assert_eq!(p.institutions[1].1.year_ends[0].disposal_plan, d("6"));

    // Loans zero too: equally.
    set(&mut doc, "/institutions", json!([inst("a", "0", "0"), inst("b", "0", "0")]));
    let p = simulate(&scenario(&doc)).unwrap();
    assert_eq!(p.institutions[0].1.year_ends[0].disposal_plan, d("4"));

    // An institution with its own amount keeps it and is left out of the sharing.
    let mut own = inst("b", "30", "100");
    own["drivers"] = json!({"disposal": {"plan": "amount", "amount": "5"}});
    set(&mut doc, "/institutions", json!([inst("a", "10", "100"), own]));
    let p = simulate(&scenario(&doc)).unwrap();
    assert_eq!(p.institutions[0].1.year_ends[0].disposal_plan, d("8"));
    assert_eq!(p.institutions[1].1.year_ends[0].disposal_plan, d("5"));
}

#[test]
fn amc_receives_transfers_and_disposes_of_its_stock() {
    let mut doc = base();
    set(
        &mut doc,
        "/amc",
        json!({"name": "amc", "opening_stock": "9", "inflow_share": "0.5", "disposal_rate": "0.5"}),
    );
    let p = simulate(&scenario(&doc)).unwrap();
    // Month 1: inflow 0.5 × 0.3 = 0.15; out = min(0.5 × 9 × 0.1, 9.15) = 0.45; S = 8.7.
    assert_eq!(p.region.monthly[0].amc_stock, Some(d("8.7")));
    let ye = &p.region.year_ends[0];
    assert_eq!(ye.amc_disposal.map(|v| v.round_dp(20)), Some(d("4.5")));
    assert_eq!(ye.amc_disposal_share.map(|v| v.round_dp(20)), Some(d("0.5")));
    // Institutions and zones have no AMC metrics.
    assert_eq!(p.institutions[0].1.year_ends[0].amc_stock, None);
}

#[test]
fn negative_performing_loans_are_a_typed_error() {
    // Formation of 100% a year with no disposal piles loans into NPL; in year 2 a 50% contraction
    // of the (mostly non-performing) balance exceeds what is still performing.
    let mut doc = base();
    set(&mut doc, "/years", json!(2));
    set(&mut doc, "/defaults/loan_growth", json!("-0.5"));
    set(&mut doc, "/defaults/npl_formation_rate", json!("1"));
    set(&mut doc, "/defaults/disposal/amount", json!("0"));
    let err = simulate(&scenario(&doc)).unwrap_err();
    match &err {
        SimError::NegativeStock { institution, month, stock, .. } => {
            assert_eq!((institution.as_str(), *stock), ("a", "performing"));
            assert!(month.starts_with("2020-"), "{month}");
        }
        other => panic!("expected a negative stock, got {other:?}"),
    }
    assert!(err.message(Lang::En).contains("infeasible"));
    assert!(err.message(Lang::Zh).contains("不可行"));
}

#[test]
fn year_end_metrics_by_hand() {
    let mut doc = base();
    set(&mut doc, "/defaults/npl_formation_rate", json!("0"));
    set(&mut doc, "/defaults/provisioning", json!({"coverage_floor": null, "allowance_floor": null}));
    let p = simulate(&scenario(&doc)).unwrap();
    let ye = &p.region.year_ends[0];
    // No formation: N = 12 − 12 (the whole plan), loans = 1200 + 144 − 12.
    assert_eq!(ye.npl.round_dp(20), d("0"));
    assert_eq!(ye.disposal.round_dp(20), d("12"));
    assert_eq!(ye.disposal_h1, d("7.2"));
    assert_eq!(ye.h1_share, Some(d("0.6")));
    assert_eq!(ye.write_off_share.map(|v| v.round_dp(20)), Some(d("0.5")));
    assert_eq!(ye.loans.round_dp(20), d("1332"));
    assert_eq!(ye.npl_change.round_dp(20), d("-12"));
    assert_eq!(ye.coverage, None, "NPL is zero");
    // Removals 12: (0 + 12) / (1332 + 12).
    assert_eq!(ye.adjusted_npl_ratio.map(|v| v.round_dp(20)), Some((d("12") / d("1344")).round_dp(20)));
    assert!(ye.tier1_capital.is_some());
}
