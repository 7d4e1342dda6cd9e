//! Property tests: every invariant of MODEL.md section 3 over generated valid scenarios.
//!
//! Scenarios have 1–20 institutions, 1–10 years, rates at and between the ends of their
//! ranges, events, per-year values, overrides and an AMC. The case count follows
//! `PROPTEST_CASES` (the test command sets 10,000). The same scenarios also hold the page's
//! engine path ([`Simulator`], kept across lever moves) to `simulate`.

mod common;

use common::generate::scenario_doc;
use delever_model::engine::{MonthRecord, Plan, Run};
use delever_model::output::Detail;
use delever_model::scenario::{Basis, channel};
use delever_model::{Projection, Scenario, SimError, Simulator, parse_scenario_value, simulate};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Results may differ from a reordered sum by rounding in the 28th digit; MODEL.md allows 1e-20.
fn tolerance() -> Decimal {
    Decimal::new(1, 20)
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
        // Debug prints each decimal as stored: the same value is not enough, the scale must match too.
        prop_assert_eq!(format!("{full:?}"), format!("{expected:?}"));
        prop_assert_eq!(
            format!("{lean:?}"),
            format!("{:?}", expected.map(Projection::without_member_months))
        );
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
