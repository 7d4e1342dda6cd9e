//! Hand-computed tables: tiny scenarios whose numbers are worked out from MODEL.md in the comments.

use delever_oracle::number::{Q, frac, int, parse_decimal};
use delever_oracle::scenario::Scope;
use delever_oracle::{Projection, project, read};
use serde_json::{Value, json};

fn run(doc: Value) -> Projection {
    let s = read(&doc).expect("readable");
    project(&s, &delever_oracle::amount_tolerance(&s)).expect("runs")
}

fn d(text: &str) -> Q {
    parse_decimal(text).expect("a decimal")
}

/// Checks `(scope, year or month label, metric, expected)` rows; `None` expects null.
#[track_caller]
fn check(p: &Projection, rows: &[(Scope, &str, &str, Option<Q>)]) {
    for (scope, at, metric, expected) in rows {
        let series = p.scope(scope).expect("scope");
        let entry = series
            .year_ends
            .iter()
            .chain(&series.monthly)
            .find(|e| e.label == *at)
            .unwrap_or_else(|| panic!("no entry {at}"));
        let got = entry.get(metric).unwrap_or_else(|| panic!("no {metric}")).value.clone();
        assert_eq!(&got, expected, "{scope:?} {at} {metric}");
    }
}

fn one_bank(deposits: &str, loans: &str, npl: &str, drivers: Value) -> Value {
    let mut defaults = json!({
        "deposit_growth": "0", "loan_growth": "0", "loan_growth_basis": "lending", "npl_formation_rate": "0",
        "disposal": {"plan": "amount", "amount": "12"}, "channels": {"write_off": "1"}, "pacing": "even",
        "recovery": {"transfer": "0", "securitization": "0", "debt_equity": "0", "foreclosure": "0"},
        "provisioning": {"coverage_floor": null, "allowance_floor": null},
        "capital": {"pre_provision_return": "0", "retention": "0"}
    });
    for (k, v) in drivers.as_object().unwrap() {
        defaults[k] = v.clone();
    }
    json!({"schema": 1, "name": "hand", "start": "2018-12", "years": 1, "defaults": defaults,
           "institutions": [{"id": "a", "kind": "other",
                             "opening": {"deposits": deposits, "loans": loans, "npl": npl}}]})
}

/// An even plan of 12 written off at 1 a month (section 3 steps 4–11) from NPL 12: every month
/// `Dsp = 1`, `N_m = 12 − m`, `P` stays 88 (no growth, no formation), losses 1; provisions start
/// at 0, so `pre = −1`, no floor, `R = max(−1, 0, 0) = 0` and the charge is `0 − (−1) = 1`.
/// Year-end: NPL 0, loans 88, disposal 12 (H1: 6, share 0.5), write-off share 1, losses and
/// charge 12, NPL change −12, coverage null (NPL 0), adjusted ratio (0 + 12)/(88 + 12) = 0.12.
#[test]
fn an_even_plan_written_off() {
    let p = run(one_bank("100", "100", "12", json!({})));
    let r = Scope::Region;
    check(
        &p,
        &[
            (r.clone(), "2019-03", "npl", Some(int(9))),
            (r.clone(), "2019-03", "provision_charge", Some(int(1))),
            (r.clone(), "2019", "npl", Some(int(0))),
            (r.clone(), "2019", "loans", Some(int(88))),
            (r.clone(), "2019", "performing", Some(int(88))),
            (r.clone(), "2019", "disposal", Some(int(12))),
            (r.clone(), "2019", "disposal_h1", Some(int(6))),
            (r.clone(), "2019", "h1_share", Some(frac(1, 2))),
            (r.clone(), "2019", "write_off_share", Some(int(1))),
            (r.clone(), "2019", "losses", Some(int(12))),
            (r.clone(), "2019", "provision_charge", Some(int(12))),
            (r.clone(), "2019", "provisions", Some(int(0))),
            (r.clone(), "2019", "npl_change", Some(int(-12))),
            (r.clone(), "2019", "coverage", None),
            (r.clone(), "2019", "npl_ratio", Some(int(0))),
            (r.clone(), "2019", "adjusted_npl_ratio", Some(d("0.12"))),
            (r.clone(), "2019", "disposal_shortfall", Some(int(0))),
            (r, "2019", "tier1_capital", None),
        ],
    );
}

/// Growth, formation, a coverage floor of 1 and capital. Deposits `120 × (1 + 0.12 × k/12)`:
/// 121.2 in January, 134.4 at the year-end. Formation `0.12 × P/12` with `P` held at 120 (the
/// balance basis adds back nothing, since nothing is disposed; `NL = 0.12 × 120/12 = 1.2 = F`):
/// `N_m = 1.2 m`, loans `120 + 1.2 m`. The floor keeps `R_m = N_m`, a charge of 1.2 a month.
/// Capital `K0 = 10`, `π = 0.12`, `ρ = 0.5`: `NI_m = 0.01 × L_{m−1} − 1.2 = 0.012 (m − 1)`, so
/// January adds nothing and the year `0.5 × 0.012 × 66 = 0.396`: `K = 10.396`;
/// `E = 120 + (134.4 − 120) − (14.4 − 0) = 120`, leverage `10.396 / 120`.
#[test]
fn growth_formation_floor_and_capital() {
    let mut doc = one_bank(
        "120",
        "120",
        "0",
        json!({"deposit_growth": "0.12", "loan_growth": "0.12", "loan_growth_basis": "balance",
               "npl_formation_rate": "0.12", "disposal": {"plan": "rate", "rate": "0"},
               "provisioning": {"coverage_floor": "1", "allowance_floor": null},
               "capital": {"pre_provision_return": "0.12", "retention": "0.5"}}),
    );
    doc["institutions"][0]["opening"]["tier1_capital"] = json!("10");
    doc["institutions"][0]["opening"]["leverage_exposure"] = json!("120");
    let p = run(doc);
    let r = Scope::Region;
    check(
        &p,
        &[
            (r.clone(), "2019-01", "deposits", Some(d("121.2"))),
            (r.clone(), "2019-01", "formation", Some(d("1.2"))),
            (r.clone(), "2019-01", "tier1_capital", Some(int(10))),
            (r.clone(), "2019-02", "tier1_capital", Some(d("10.006"))),
            (r.clone(), "2019", "deposits", Some(d("134.4"))),
            (r.clone(), "2019", "npl", Some(d("14.4"))),
            (r.clone(), "2019", "performing", Some(int(120))),
            (r.clone(), "2019", "loans", Some(d("134.4"))),
            (r.clone(), "2019", "formation", Some(d("14.4"))),
            (r.clone(), "2019", "ldr", Some(int(1))),
            (r.clone(), "2019", "npl_ratio", Some(frac(3, 28))),
            (r.clone(), "2019", "provisions", Some(d("14.4"))),
            (r.clone(), "2019", "coverage", Some(int(1))),
            (r.clone(), "2019", "provision_charge", Some(d("14.4"))),
            (r.clone(), "2019", "disposal_plan", Some(int(0))),
            (r.clone(), "2019", "h1_share", None),
            (r.clone(), "2019", "write_off_share", None),
            (r.clone(), "2019", "tier1_capital", Some(d("10.396"))),
            (r, "2019", "leverage_ratio", Some(d("10.396") / int(120))),
        ],
    );
}

/// A region plan of 8 shared by opening NPL (3 and 1: 6 and 2), paced 75% in H1 (0.125 a
/// month, then 1/24), all transferred at a recovery of 0.25. Bank a disposes 0.75 a month and
/// is empty after April (3, shortfall 3); bank b 0.25 a month, also empty after April (1,
/// shortfall 1). Region: disposal 4 of 8, H1 4, share 0.5, losses 0.75 × 4 = 3, cash 1.
/// The AMC (S0 = 10, φ = 0.5, α = 0.6) takes 0.5 a month in January–April and sells
/// `0.6 × 10 × w_k`: 0.75 a month, then 0.25: 6 in the year; stock 10 + 2 − 6 = 6, share 0.6.
/// Targets: disposal ≥ 4 met with margin 0; NPL ≤ 0.5 at bank a met with margin 0.5.
#[test]
fn a_shared_region_plan_and_the_amc() {
    let mut doc = one_bank(
        "50",
        "50",
        "3",
        json!({"disposal": {"plan": "amount", "amount": "8"}, "channels": {"transfer": "1"},
               "pacing": {"h1_share": "0.75"},
               "recovery": {"transfer": "0.25", "securitization": "0", "debt_equity": "0", "foreclosure": "0"}}),
    );
    doc["institutions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "b", "kind": "other", "zone": "z", "opening": {"deposits": "10", "loans": "10", "npl": "1"}}));
    doc["amc"] = json!({"name": "amc", "opening_stock": "10", "inflow_share": "0.5", "disposal_rate": "0.6"});
    doc["targets"] = json!([
        {"id": "d", "metric": "disposal", "op": "ge", "value": "4", "year": 2019, "scope": "region"},
        {"id": "n", "metric": "npl", "op": "le", "value": "0.5", "year": 2019, "scope": "a"}
    ]);
    let p = run(doc);
    let (r, a, b) = (Scope::Region, Scope::Institution("a".into()), Scope::Institution("b".into()));
    check(
        &p,
        &[
            (a.clone(), "2019", "disposal_plan", Some(int(6))),
            (a.clone(), "2019-01", "disposal", Some(d("0.75"))),
            (a.clone(), "2019", "disposal", Some(int(3))),
            (a, "2019", "disposal_shortfall", Some(int(3))),
            (b.clone(), "2019", "disposal_plan", Some(int(2))),
            (b, "2019", "disposal_shortfall", Some(int(1))),
            (Scope::Zone("z".into()), "2019", "disposal", Some(int(1))),
            (r.clone(), "2019", "disposal", Some(int(4))),
            (r.clone(), "2019", "disposal_h1", Some(int(4))),
            (r.clone(), "2019", "h1_share", Some(frac(1, 2))),
            (r.clone(), "2019", "losses", Some(int(3))),
            (r.clone(), "2019", "cash_recovered", Some(int(1))),
            (r.clone(), "2019-01", "amc_stock", Some(d("9.75"))),
            (r.clone(), "2019", "amc_stock", Some(int(6))),
            (r.clone(), "2019", "amc_disposal", Some(int(6))),
            (r, "2019", "amc_disposal_share", Some(d("0.6"))),
        ],
    );
    assert!(p.targets[0].met && p.targets[0].margin == Some(int(0)));
    assert!(p.targets[1].met && p.targets[1].margin == Some(d("0.5")));
}

/// A January report (section 9): deposits 101, loans 99, NPL 10, a disposal total of 3 split
/// over the shares (all write-off). Formation is the residual `10 − 12 + 3 = 1`. The rest of
/// the plan, `Rem = 12 − 3 = 9`, is caught up over February–December at `9 × (1/12)/(11/12)
/// = 9/11` a month; deposits stay 101 (no growth). Tracking: plan 12, to date 3, scheduled 1,
/// completion 0.25, behind −2, required 9/11; the plan at January has NPL 11, loans 99,
/// deposits 100: NPL −1, loans 0, deposits +1 against it, ratio `10/99 − 11/99 = −1/99`.
#[test]
fn a_report_and_the_catch_up() {
    let mut doc = one_bank("100", "100", "12", json!({}));
    doc["actuals"] = json!([{"month": "2019-01", "institution": "a", "deposits": "101", "loans": "99",
                             "npl": "10", "disposal": "3"}]);
    let p = run(doc);
    let r = Scope::Region;
    check(
        &p,
        &[
            (r.clone(), "2019-01", "formation", Some(int(1))),
            (r.clone(), "2019-02", "disposal_plan", Some(frac(9, 11))),
            (r.clone(), "2019-02", "deposits", Some(int(101))),
            (r.clone(), "2019", "npl", Some(int(1))),
            (r.clone(), "2019", "disposal", Some(int(12))),
            (r.clone(), "2019", "disposal_shortfall", Some(int(0))),
            (r, "2019", "write_off_share", Some(int(1))),
        ],
    );
    let t = p.tracking.as_ref().expect("tracking");
    let field =
        |name: &str| t.region.fields.iter().find(|(n, _)| *n == name).and_then(|(_, m)| m.value.clone());
    assert_eq!(t.region.as_of, "2019-01");
    assert_eq!(field("disposal_plan"), Some(int(12)));
    assert_eq!(field("disposal_to_date"), Some(int(3)));
    assert_eq!(field("scheduled_to_date"), Some(int(1)));
    assert_eq!(field("completion"), Some(frac(1, 4)));
    assert_eq!(field("behind"), Some(int(-2)));
    assert_eq!(field("required_monthly"), Some(frac(9, 11)));
    assert_eq!(field("npl_vs_plan"), Some(int(-1)));
    assert_eq!(field("loans_vs_plan"), Some(int(0)));
    assert_eq!(field("deposits_vs_plan"), Some(int(1)));
    assert_eq!(field("npl_ratio_vs_plan"), Some(frac(-1, 99)));
}
