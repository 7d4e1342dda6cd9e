//! Property tests: every invariant of MODEL.md section 3 over generated valid scenarios.
//!
//! Scenarios have 1–20 institutions, 1–10 years, rates at and between the ends of their
//! ranges, events, per-year values, overrides and an AMC. The case count follows
//! `PROPTEST_CASES` (the test command sets 10,000). The same scenarios also hold the page's
//! engine path ([`Simulator`], kept across lever moves) to `simulate`.

use delever_model::engine::{MonthRecord, Plan, Run};
use delever_model::output::Detail;
use delever_model::scenario::{Basis, channel};
use delever_model::{Projection, Scenario, SimError, Simulator, parse_scenario_value, simulate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Results may differ from a reordered sum by rounding in the 28th digit; MODEL.md allows 1e-20.
fn tolerance() -> Decimal {
    Decimal::new(1, 20)
}

fn dec(units: i64, scale: u32) -> String {
    Decimal::new(units, scale).normalize().to_string()
}

/// A decimal in `[lo, hi] / 10^scale`, often exactly at an end.
fn ranged(lo: i64, hi: i64, scale: u32) -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 4 => lo..=hi].prop_map(move |k| dec(k, scale))
}

/// `parts` non-negative thousandths summing to exactly 1.
fn partition(parts: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(0i64..=1000, parts.saturating_sub(1)).prop_map(move |mut cuts| {
        cuts.sort();
        let mut out = Vec::with_capacity(parts);
        let mut prev = 0;
        for c in cuts.iter().copied().chain(std::iter::once(1000)) {
            out.push(dec(c - prev, 3));
            prev = c;
        }
        out
    })
}

fn per_year(years: usize, lo: i64, hi: i64, scale: u32) -> BoxedStrategy<Value> {
    prop_oneof![
        ranged(lo, hi, scale).prop_map(Value::String),
        proptest::collection::vec(ranged(lo, hi, scale), years).prop_map(|v| json!(v)),
    ]
    .boxed()
}

fn channels() -> impl Strategy<Value = Value> {
    partition(7).prop_map(|shares| {
        let names = delever_model::scenario::CHANNELS;
        let mut map = serde_json::Map::new();
        for (name, share) in names.iter().zip(shares) {
            if share != "0" {
                map.insert((*name).to_string(), Value::String(share));
            }
        }
        if map.is_empty() {
            map.insert("write_off".into(), json!("1"));
        }
        Value::Object(map)
    })
}

fn pacing() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("even")),
        ranged(0, 100, 2).prop_map(|s| json!({"h1_share": s})),
        partition(12).prop_map(|w| json!({"weights": w})),
    ]
}

fn disposal(years: usize) -> impl Strategy<Value = Value> {
    prop_oneof![
        per_year(years, 0, 5_000_000, 2).prop_map(|a| json!({"plan": "amount", "amount": a})),
        per_year(years, 0, 1000, 3).prop_map(|r| json!({"plan": "rate", "rate": r})),
    ]
}

fn drivers(years: usize) -> impl Strategy<Value = Value> {
    (
        per_year(years, -500, 1000, 3),
        per_year(years, -500, 1000, 3),
        prop_oneof![Just("lending"), Just("balance")],
        per_year(years, 0, 1000, 3),
        disposal(years),
        channels(),
        pacing(),
        (ranged(0, 100, 2), ranged(0, 100, 2), ranged(0, 100, 2), ranged(0, 100, 2)),
        (proptest::option::of(ranged(0, 300, 2)), proptest::option::of(ranged(0, 50, 3))),
        (ranged(-100, 200, 3), ranged(0, 100, 2)),
    )
        .prop_map(
            |(dg, lg, basis, f, disposal, channels, pacing, (rt, rs, rx, rk), (kappa, lambda), (pi, rho))| {
                json!({
                    "deposit_growth": dg, "loan_growth": lg, "loan_growth_basis": basis,
                    "npl_formation_rate": f, "disposal": disposal, "channels": channels, "pacing": pacing,
                    "recovery": {"transfer": rt, "securitization": rs, "debt_equity": rx, "foreclosure": rk},
                    "provisioning": {"coverage_floor": kappa, "allowance_floor": lambda},
                    "capital": {"pre_provision_return": pi, "retention": rho},
                })
            },
        )
}

/// A subset of the drivers as institution overrides.
fn overrides(years: usize) -> impl Strategy<Value = Value> {
    (drivers(years), proptest::collection::vec(any::<bool>(), 10)).prop_map(|(all, keep)| {
        let mut map = serde_json::Map::new();
        if let Value::Object(fields) = all {
            for ((key, value), keep) in fields.into_iter().zip(keep) {
                if keep {
                    map.insert(key, value);
                }
            }
        }
        Value::Object(map)
    })
}

fn institution(years: usize, index: usize) -> impl Strategy<Value = Value> {
    (
        0i64..=100_000_000,
        0i64..=1000,
        0i64..=100_000_000,
        0i64..=1_000_000,
        proptest::option::of((-10_000i64..=100_000, 0i64..=10_000_000)),
        proptest::option::of(prop_oneof![Just("z1"), Just("z2"), Just("z3")]),
        prop_oneof![2 => Just(None), 1 => overrides(years).prop_map(Some)],
    )
        .prop_map(move |(loans, npl_per_mille, deposits, provisions, capital, zone, drivers)| {
            let npl = loans * npl_per_mille / 1000;
            json!({
                "id": format!("i{index}"),
                "kind": "rural",
                "zone": zone,
                "opening": {
                    "deposits": dec(deposits, 2), "loans": dec(loans, 2), "npl": dec(npl, 2),
                    "provisions": dec(provisions, 2),
                    "tier1_capital": capital.map(|(k, _)| dec(k, 2)),
                    "leverage_exposure": capital.map(|(_, e)| dec(e, 2)),
                },
                "drivers": drivers.unwrap_or_else(|| json!({})),
            })
        })
}

fn scenario_doc() -> impl Strategy<Value = Value> {
    (1usize..=10, 1usize..=20)
        .prop_flat_map(|(years, n)| {
            let institutions: Vec<_> = (0..n).map(|i| institution(years, i)).collect();
            let events = proptest::collection::vec((0..years * 12, 0..n, 0i64..=1_000_000), 0..6);
            let amc = proptest::option::of((0i64..=1_000_000, ranged(0, 100, 2), ranged(0, 100, 2)));
            (Just(years), drivers(years), institutions, events, amc)
        })
        .prop_map(|(years, defaults, institutions, events, amc)| {
            let events: Vec<Value> = events
                .into_iter()
                .map(|(m, i, amount)| {
                    json!({"month": format!("{:04}-{:02}", 2019 + m / 12, m % 12 + 1),
                           "institution": format!("i{i}"), "amount": dec(amount, 2)})
                })
                .collect();
            json!({
                "schema": 1, "name": "generated", "start": "2018-12", "years": years,
                "defaults": defaults, "institutions": institutions,
                "amc": amc.map(|(s, phi, alpha)| json!({"opening_stock": dec(s, 2), "inflow_share": phi, "disposal_rate": alpha})),
                "events": events,
                "targets": [
                    {"id": "npl", "metric": "npl", "op": "le", "value": "100", "year": 2019, "scope": "region"},
                    {"id": "ratio", "metric": "npl_ratio", "op": "le", "value": "national_average", "year": 2019, "scope": "i0"},
                ],
            })
        })
}

/// Equal up to reordering: 1e-20, or the 28th significant digit for amounts above 1e8,
/// where a 28-digit decimal cannot hold 1e-20 at all.
fn close(a: Decimal, b: Decimal) -> bool {
    let scale = a.abs().max(b.abs());
    (a - b).abs() <= tolerance() + scale * Decimal::new(1, 25)
}

fn check_institution(plan: &Plan, i: usize, records: &[MonthRecord]) -> Result<(), TestCaseError> {
    let inst = &plan.institutions[i];
    let mut prev_npl = inst.npl0;
    let mut prev_performing = inst.loans0 - inst.npl0;
    for (m, r) in records.iter().enumerate() {
        let at = format!("institution {i} month {}", m + 1);
        prop_assert_eq!(r.loans, r.performing + r.npl, "L = P + N at {}", at);
        prop_assert!(close(r.npl - prev_npl, r.formation - r.disposal), "ΔN = F − Dsp at {}", at);
        prop_assert!(r.deposits >= Decimal::ZERO && r.performing >= Decimal::ZERO, "Dep, P ≥ 0 at {}", at);
        prop_assert!(r.npl >= Decimal::ZERO && r.provisions >= Decimal::ZERO, "N, R ≥ 0 at {}", at);
        let flows: Decimal = r.channels.iter().copied().sum();
        prop_assert!(close(flows, r.disposal), "Σ X_c = Dsp at {}", at);
        prop_assert!(r.disposal <= prev_npl + r.formation, "Dsp ≤ N + F at {}", at);
        prop_assert!(r.disposal <= r.planned && r.disposal >= Decimal::ZERO, "0 ≤ Dsp ≤ Dsp* at {}", at);
        prop_assert!(r.formation >= Decimal::ZERO && r.formation <= prev_performing, "0 ≤ F ≤ P at {}", at);
        prop_assert_eq!(r.removals, r.disposal - r.channels[channel::UPGRADE], "removals at {}", at);
        if let Some(kappa) = inst.coverage_floor {
            prop_assert!(r.provisions >= kappa * r.npl, "R ≥ κN at {}", at);
        }
        if let Some(lambda) = inst.allowance_floor {
            prop_assert!(r.provisions >= lambda * r.loans, "R ≥ λL at {}", at);
        }
        prev_npl = r.npl;
        prev_performing = r.performing;
    }
    if inst.basis == Basis::Balance {
        let mut opening = inst.loans0;
        for (y, drivers) in inst.years.iter().enumerate() {
            let close_loans = records[y * 12 + 11].loans;
            let expected = opening * (Decimal::ONE + drivers.loan_growth);
            prop_assert!((close_loans - expected).abs() <= Decimal::new(1, 16), "balance basis year {}", y);
            opening = close_loans;
        }
    }
    Ok(())
}

proptest! {
    // Failing cases are saved beside this file (invariants.regressions) and replayed first.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_for_every_valid_scenario(doc in scenario_doc()) {
        let scenario = parse_scenario_value(&doc).map_err(|issues| {
            TestCaseError::fail(format!("generator made an invalid scenario: {:?}",
                issues.iter().map(|i| i.message(delever_model::Lang::En)).collect::<Vec<_>>()))
        })?;
        let plan = Plan::compile(&scenario);
        let mut run = Run::new(&plan);
        match run.execute(&plan) {
            Err(SimError::NegativeStock { stock, .. }) => {
                // Only a contracting loan book can drive performing loans below zero.
                prop_assert_eq!(stock, "performing");
                let contracting = plan.institutions.iter().any(|i| i.years.iter().any(|y| y.loan_growth < Decimal::ZERO));
                prop_assert!(contracting);
                return Ok(());
            }
            Err(other) => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
            Ok(()) => {}
        }
        for i in 0..plan.institutions.len() {
            check_institution(&plan, i, run.institution(i))?;
        }
        let projection = simulate(&scenario).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Region and zone stocks are exact sums of their institutions', and the identities hold on
        // the projection the page and the command line read (the model's public checker).
        delever_model::invariants::check_projection(&scenario, &projection).map_err(TestCaseError::fail)?;
        for region in &projection.region.monthly {
            // Ratios come from the sums, never averaged.
            if !region.loans.is_zero() {
                prop_assert_eq!(region.npl_ratio(), Some(region.npl / region.loans));
            }
        }
        for ye in &projection.region.year_ends {
            let by_channel: Decimal = ye.disposal_by_channel.iter().copied().sum();
            prop_assert!(close(by_channel, ye.disposal));
            // Σ w_k may miss 1 in the 28th digit (1/12 is not exact), so allow that on the plan.
            prop_assert!((ye.disposal + ye.disposal_shortfall - ye.disposal_plan).abs()
                <= tolerance() + ye.disposal_plan * Decimal::new(1, 24));
        }
        // The canonical JSON form reads back to the same scenario, and runs are deterministic.
        let again = parse_scenario_value(&scenario.to_json()).map_err(|_| TestCaseError::fail("round trip"))?;
        prop_assert_eq!(&again, &scenario);
        prop_assert_eq!(simulate(&again).ok(), Some(projection));
    }
}

/// The page's engine path (issue 10): one [`Simulator`] kept across a scenario, the same
/// scenario with its drivers moved, and back, answers exactly what `simulate` answers.
fn check_simulator(first: &Scenario, moved: &Scenario) -> Result<(), TestCaseError> {
    let mut simulator = Simulator::new();
    for scenario in [first, moved, first] {
        let expected = simulate(scenario);
        let full = simulator.simulate(scenario, Detail::Full);
        prop_assert_eq!(&full, &expected);
        let lean = simulator.simulate(scenario, Detail::RegionMonthly);
        prop_assert_eq!(lean, expected.map(Projection::without_member_months));
    }
    Ok(())
}

#[test]
fn the_simulator_answers_as_simulate_on_every_preset() {
    for preset in delever_model::presets::all() {
        let scenario = delever_model::parse_scenario(preset.json).expect("a valid preset");
        let mut moved = scenario.clone();
        moved.defaults.npl_formation_rate = delever_model::scenario::PerYear::Same(Decimal::new(2, 2));
        check_simulator(&scenario, &moved).unwrap_or_else(|e| panic!("{}: {e}", preset.id));
        // A new shape (another opening) compiles afresh and still answers the same.
        let mut reshaped = scenario.clone();
        reshaped.institutions[0].opening.npl += Decimal::ONE;
        check_simulator(&scenario, &reshaped).unwrap_or_else(|e| panic!("{}: {e}", preset.id));
    }
}

proptest! {
    // Each case simulates six times: a thousand cases cover the shapes without a long CI step.
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_simulator_answers_as_simulate(doc in scenario_doc(), growth in 0i64..=30) {
        let scenario = parse_scenario_value(&doc).map_err(|_| TestCaseError::fail("generator made an invalid scenario"))?;
        let mut moved = scenario.clone();
        moved.defaults.loan_growth = delever_model::scenario::PerYear::Same(Decimal::new(growth, 2));
        check_simulator(&scenario, &moved)?;
    }
}
