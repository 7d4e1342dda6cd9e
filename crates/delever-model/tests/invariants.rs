//! Property tests: every invariant of MODEL.md section 3 over generated valid scenarios.
//!
//! Scenarios have 1–20 institutions, 1–10 years, rates at and between the ends of their
//! ranges, events, per-year values, overrides and an AMC. Each suite runs the count written
//! here (10,000 scenarios for the invariants), whatever `PROPTEST_CASES` says, after the seeds
//! of `invariants.proptest-regressions` (see `common::cases`). Region and zone year-ends are
//! checked against their institutions summed here, and every ratio against its definition on
//! the raw stocks. The same scenarios also hold the page's engine path ([`Simulator`], kept
//! across lever moves) to `simulate`.

mod common;

use common::generate::scenario_doc;
use delever_model::engine::{MonthRecord, Plan, Run};
use delever_model::output::{Detail, Series, YearEnd};
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

/// The invariants' case count: 10,000 generated scenarios (MODEL.md's "every valid scenario").
const INVARIANT_CASES: u32 = 10_000;

#[test]
fn invariants_hold_for_every_valid_scenario() {
    common::cases::run(file!(), INVARIANT_CASES, scenario_doc(), check_scenario);
}

/// Every identity of section 3 and every output of section 4 on one generated scenario.
fn check_scenario(doc: serde_json::Value) -> Result<(), TestCaseError> {
    let scenario = parse_scenario_value(&doc).map_err(|issues| {
        TestCaseError::fail(format!(
            "generator made an invalid scenario: {:?}",
            issues.iter().map(|i| i.message(delever_model::Lang::En)).collect::<Vec<_>>()
        ))
    })?;
    let plan = Plan::compile(&scenario);
    let mut run = Run::new(&plan);
    match run.execute(&plan) {
        Err(SimError::NegativeStock { stock, .. }) => {
            // Only a contracting loan book can drive performing loans below zero.
            prop_assert_eq!(stock, "performing");
            let contracting =
                plan.institutions.iter().any(|i| i.years.iter().any(|y| y.loan_growth < Decimal::ZERO));
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
    // Year-ends of the region and of each zone are their institutions' summed here, and
    // every ratio (institutions, zones, region) is its definition on the entity's own
    // stocks: ratios come from the sums, never averaged.
    for (institution, (id, series)) in scenario.institutions.iter().zip(&projection.institutions) {
        check_ratios(id, series, institution.opening.npl, None)?;
    }
    let all: Vec<&Series> = projection.institutions.iter().map(|(_, s)| s).collect();
    let opening_npl: Decimal = scenario.institutions.iter().map(|i| i.opening.npl).sum();
    check_aggregate("region", &projection.region, &all)?;
    check_ratios("region", &projection.region, opening_npl, scenario.amc.as_ref().map(|a| a.opening_stock))?;
    let zones: Vec<&str> = scenario.institutions.iter().filter_map(|i| i.zone.as_deref()).collect();
    prop_assert_eq!(
        projection.zones.iter().map(|(z, _)| z.as_str()).collect::<Vec<_>>(),
        zones
            .iter()
            .enumerate()
            .filter(|(k, z)| !zones[..*k].contains(z))
            .map(|(_, z)| *z)
            .collect::<Vec<_>>(),
        "one series per zone, in order of first appearance"
    );
    for (zone, series) in &projection.zones {
        let in_zone = |i: &delever_model::scenario::Institution| i.zone.as_deref() == Some(zone.as_str());
        let members: Vec<&Series> = scenario
            .institutions
            .iter()
            .zip(&projection.institutions)
            .filter(|(i, _)| in_zone(i))
            .map(|(_, (_, s))| s)
            .collect();
        let opening_npl: Decimal =
            scenario.institutions.iter().filter(|i| in_zone(i)).map(|i| i.opening.npl).sum();
        check_aggregate(&format!("zone {zone}"), series, &members)?;
        check_ratios(&format!("zone {zone}"), series, opening_npl, None)?;
    }
    for ye in &projection.region.year_ends {
        let by_channel: Decimal = ye.disposal_by_channel.iter().copied().sum();
        prop_assert!(close(by_channel, ye.disposal));
        // Σ w_k may miss 1 in the 28th digit (1/12 is not exact), so allow that on the plan.
        prop_assert!(
            (ye.disposal + ye.disposal_shortfall - ye.disposal_plan).abs()
                <= tolerance() + ye.disposal_plan * Decimal::new(1, 24)
        );
    }
    // The canonical JSON form reads back to the same scenario, and runs are deterministic.
    let again = parse_scenario_value(&scenario.to_json()).map_err(|_| TestCaseError::fail("round trip"))?;
    prop_assert_eq!(&again, &scenario);
    prop_assert_eq!(simulate(&again).ok(), Some(projection));
    Ok(())
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

/// Each case simulates six times: a thousand cases cover the shapes without a long CI step.
const SIMULATOR_CASES: u32 = 1000;

#[test]
fn the_simulator_answers_as_simulate() {
    let cases = (scenario_doc(), 0i64..=30);
    common::cases::run(file!(), SIMULATOR_CASES, cases, |(doc, growth)| {
        let scenario = parse_scenario_value(&doc)
            .map_err(|_| TestCaseError::fail("generator made an invalid scenario"))?;
        let mut moved = scenario.clone();
        moved.defaults.loan_growth = delever_model::scenario::PerYear::Same(Decimal::new(growth, 2));
        check_simulator(&scenario, &moved)
    });
}

/// The committed seeds are where the runner looks: a regression saved once is replayed on
/// every run (the file proptest reads must be the one in the repository).
#[test]
fn the_committed_regressions_are_replayed() {
    use proptest::test_runner::FailurePersistence;
    let seeds = common::cases::PERSISTENCE.load_persisted_failures2(Some(file!()));
    assert!(
        !seeds.is_empty(),
        "no seeds read for {}: invariants.proptest-regressions is not the file proptest reads",
        file!()
    );
}

/// `a / b` computed here from the raw stocks or flows, null where `b` is zero, as section 4
/// defines every ratio (the test does not go through the engine's ratio functions).
fn quotient(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.is_zero() { None } else { a.checked_div(b) }
}

/// Every ratio of `series` (an institution, a zone or the region), monthly and at each year-end,
/// against its definition in section 4 evaluated on the entity's own raw stocks and flows.
/// `amc_opening` is the AMC's opening stock `S0` for the region (it has the AMC's stocks), else `None`.
fn check_ratios(
    name: &str,
    series: &Series,
    opening_npl: Decimal,
    amc_opening: Option<Decimal>,
) -> Result<(), TestCaseError> {
    for m in &series.monthly {
        let at = format!("{name} {}", m.month);
        prop_assert_eq!(m.get("npl_ratio"), quotient(m.npl, m.loans), "npl_ratio at {}", at);
        prop_assert_eq!(m.get("coverage"), quotient(m.provisions, m.npl), "coverage at {}", at);
        prop_assert_eq!(
            m.get("allowance_ratio"),
            quotient(m.provisions, m.loans),
            "allowance_ratio at {}",
            at
        );
        prop_assert_eq!(m.get("ldr"), quotient(m.loans, m.deposits), "ldr at {}", at);
        let leverage = match (m.tier1_capital, m.leverage_exposure) {
            (Some(k), Some(e)) if e > Decimal::ZERO => k.checked_div(e),
            _ => None,
        };
        prop_assert_eq!(m.get("leverage_ratio"), leverage, "leverage_ratio at {}", at);
    }
    let mut year_opening_npl = opening_npl;
    let mut year_opening_amc = amc_opening;
    for (y, ye) in series.year_ends.iter().enumerate() {
        let at = format!("{name} {}", ye.year);
        // The year-end stocks are December's.
        let december = &series.monthly[y * 12 + 11];
        prop_assert_eq!(
            [ye.deposits, ye.loans, ye.performing, ye.npl, ye.provisions],
            [december.deposits, december.loans, december.performing, december.npl, december.provisions],
            "year-end stocks are December's at {}",
            at
        );
        prop_assert_eq!(ye.tier1_capital, december.tier1_capital, "tier1_capital at {}", at);
        prop_assert_eq!(ye.npl_ratio, quotient(ye.npl, ye.loans), "npl_ratio at {}", at);
        prop_assert_eq!(ye.coverage, quotient(ye.provisions, ye.npl), "coverage at {}", at);
        prop_assert_eq!(ye.allowance_ratio, quotient(ye.provisions, ye.loans), "allowance_ratio at {}", at);
        prop_assert_eq!(ye.ldr, quotient(ye.loans, ye.deposits), "ldr at {}", at);
        prop_assert_eq!(ye.h1_share, quotient(ye.disposal_h1, ye.disposal_plan), "h1_share at {}", at);
        prop_assert_eq!(
            ye.write_off_share,
            quotient(ye.disposal_by_channel[channel::WRITE_OFF], ye.disposal),
            "write_off_share at {}",
            at
        );
        prop_assert_eq!(ye.npl_change, ye.npl - year_opening_npl, "npl_change at {}", at);
        // Rm_y: the year's removals, every channel but upgrade (step 7). The engine sums the
        // months' removals, this the year's disposal less its upgrades: a reordered sum, so the
        // ratio may differ by rounding, relative to its denominator.
        let removals = ye.disposal - ye.disposal_by_channel[channel::UPGRADE];
        let adjusted = quotient(ye.npl + removals, ye.loans + removals);
        match (ye.adjusted_npl_ratio, adjusted) {
            (Some(got), Some(want)) => {
                // Rm's rounding is that of the year's disposal (1e-20, or its 25th digit above 1e8).
                let rounding = tolerance() + ye.disposal * Decimal::new(1, 24);
                let allowed = rounding * Decimal::ONE.max(Decimal::ONE / (ye.loans + removals));
                prop_assert!(
                    (got - want).abs() <= allowed,
                    "adjusted_npl_ratio at {}: {} ≠ {}",
                    at,
                    got,
                    want
                );
            }
            (got, want) => prop_assert_eq!(got, want, "adjusted_npl_ratio at {}", at),
        }
        let leverage = match (ye.tier1_capital, december.leverage_exposure) {
            (Some(k), Some(e)) if e > Decimal::ZERO => k.checked_div(e),
            _ => None,
        };
        prop_assert_eq!(ye.leverage_ratio, leverage, "leverage_ratio at {}", at);
        match year_opening_amc {
            Some(opening) => {
                prop_assert_eq!(ye.amc_stock, december.amc_stock, "amc_stock at {}", at);
                let out = ye.amc_disposal.unwrap_or(Decimal::MIN);
                prop_assert_eq!(
                    ye.amc_disposal_share,
                    quotient(out, opening),
                    "amc_disposal_share at {}",
                    at
                );
                // S_y0 of the next year is this year's closing stock.
                year_opening_amc = ye.amc_stock;
            }
            None => prop_assert_eq!(
                (ye.amc_stock, ye.amc_disposal, ye.amc_disposal_share),
                (None, None, None),
                "no AMC at {}",
                at
            ),
        }
        year_opening_npl = ye.npl;
    }
    Ok(())
}

/// An aggregate's flow against its members' summed here: the same terms summed in another
/// order (months of sums against sums of months), so equal up to 1e-20, or the 24th digit of
/// the larger of the two and of `scale` (the terms' magnitude, where they cancel), since a
/// year sums up to 12 × 20 terms each rounded at the 28th digit.
fn summed(aggregate: Decimal, members: Decimal, scale: Decimal) -> bool {
    let magnitude = aggregate.abs().max(members.abs()).max(scale.abs());
    (aggregate - members).abs() <= tolerance() + magnitude * Decimal::new(1, 24)
}

/// A zone's or the region's year-ends against its members', summed here: stocks exactly (the
/// exact sum rounded once, as the monthly stocks are), flows up to reordering; capital only when every
/// member models it, and then `Σ K` over `Σ E`.
fn check_aggregate(name: &str, aggregate: &Series, members: &[&Series]) -> Result<(), TestCaseError> {
    prop_assert_eq!(aggregate.year_ends.len(), members.first().map_or(0, |m| m.year_ends.len()));
    type Pick = fn(&YearEnd) -> Decimal;
    let stocks: [(&str, Pick); 5] = [
        ("deposits", |y| y.deposits),
        ("loans", |y| y.loans),
        ("performing", |y| y.performing),
        ("npl", |y| y.npl),
        ("provisions", |y| y.provisions),
    ];
    let flows: [(&str, Pick); 10] = [
        ("formation", |y| y.formation),
        ("disposal", |y| y.disposal),
        ("disposal_plan", |y| y.disposal_plan),
        ("disposal_shortfall", |y| y.disposal_shortfall),
        ("disposal_h1", |y| y.disposal_h1),
        ("cash_recovered", |y| y.cash_recovered),
        ("assets_received", |y| y.assets_received),
        ("losses", |y| y.losses),
        ("provision_charge", |y| y.provision_charge),
        ("write_off", |y| y.disposal_by_channel[channel::WRITE_OFF]),
    ];
    for (y, ye) in aggregate.year_ends.iter().enumerate() {
        let at = format!("{name} {}", ye.year);
        let years: Vec<&YearEnd> = members.iter().map(|m| &m.year_ends[y]).collect();
        for (stock, pick) in stocks {
            let total = delever_model::sum::exact_sum(years.iter().map(|m| pick(m))).expect("no overflow");
            prop_assert_eq!(pick(ye), total, "{} at {} is Σ members'", stock, at);
        }
        for (flow, pick) in flows {
            let total: Decimal = years.iter().map(|m| pick(m)).sum();
            // The shortfall sums the months' `Dsp* − Dsp`: its rounding is that of the plan.
            let scale =
                if flow == "disposal_shortfall" { ye.disposal_plan + ye.disposal } else { Decimal::ZERO };
            prop_assert!(
                summed(pick(ye), total, scale),
                "{} at {}: {} ≠ Σ members' {}",
                flow,
                at,
                pick(ye),
                total
            );
        }
        // npl_change is a difference of stocks (npl − N_y0), each summed with its own rounding:
        // a reordering may move it by the last digit of the stocks, not of the change.
        let change: Decimal = years.iter().map(|m| m.npl_change).sum();
        let stocks = ye.npl.abs() + (ye.npl - ye.npl_change).abs();
        prop_assert!(
            summed(ye.npl_change, change, stocks),
            "npl_change at {}: {} ≠ Σ members' {}",
            at,
            ye.npl_change,
            change
        );
        for c in 0..7 {
            let total: Decimal = years.iter().map(|m| m.disposal_by_channel[c]).sum();
            prop_assert!(summed(ye.disposal_by_channel[c], total, Decimal::ZERO), "channel {} at {}", c, at);
        }
        let capital: Option<Vec<Decimal>> = years.iter().map(|m| m.tier1_capital).collect();
        match capital {
            Some(each) => {
                let total: Decimal = each.iter().copied().sum();
                let got = ye.tier1_capital.unwrap_or(Decimal::MIN);
                prop_assert!(close(got, total), "tier1_capital at {}: {} ≠ Σ {}", at, got, total);
                let exposure: Decimal = members
                    .iter()
                    .map(|m| m.monthly[y * 12 + 11].leverage_exposure.unwrap_or(Decimal::MIN))
                    .sum();
                match ye.leverage_ratio {
                    Some(ratio) => {
                        prop_assert!(
                            exposure > Decimal::ZERO,
                            "leverage_ratio at {} where Σ E = {}",
                            at,
                            exposure
                        );
                        let want = total / exposure;
                        let allowed = tolerance()
                            * Decimal::ONE.max(Decimal::ONE / exposure)
                            * (Decimal::ONE + want.abs());
                        prop_assert!(
                            (ratio - want).abs() <= allowed,
                            "leverage_ratio at {}: {} ≠ Σ K / Σ E {}",
                            at,
                            ratio,
                            want
                        );
                    }
                    None => prop_assert!(
                        exposure <= Decimal::ZERO,
                        "no leverage_ratio at {} with Σ E = {}",
                        at,
                        exposure
                    ),
                }
            }
            None => prop_assert_eq!((ye.tier1_capital, ye.leverage_ratio), (None, None), "capital at {}", at),
        }
    }
    Ok(())
}
