//! The engine's fast path against a plain MODEL.md section 3 step: the same records to the last bit.
//!
//! [`reference`] runs the monthly equations as section 3 writes them, every month, with no
//! memo, no per-year constants and no skipped channel or floor: each quantity is one checked
//! expression of the contract. `Run::execute_with` must give the same decimals (the same value
//! and the same scale, compared bit for bit), the same plans and AMC months, and the same
//! error at the same institution, month and step, on every generated scenario.
//!
//! Where the engine fixes a convention that section 3 leaves open, the reference states it:
//! the largest channel takes the last-digit rounding (so `Σ X_c = Dsp` exactly, and therefore
//! `N_m = N_{m−1} + F_m − Dsp_m` and `Rm_m = Dsp_m − X_upgrade`); a zero share, a zero
//! disposal and a zero flow give the zero of scale 0; `π / 12` is resolved once with the
//! plan; step 9 sums `P_{m−1} − F_m + X_upgrade + NL_m` in that order; cash includes
//! `r_K·X_foreclosure` (as the golden files do).

mod common;

use common::generate::scenario_doc;
use delever_model::engine::{AmcMonth, InstitutionPlan, MonthRecord, Needs, Plan, PlanRule, Run};
use delever_model::scenario::{Basis, channel};
use delever_model::{SimError, parse_scenario_value, presets};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The plain run's results, laid out as [`Run`] lays them out.
struct Reference {
    records: Vec<MonthRecord>,
    plans: Vec<Decimal>,
    npl_open: Vec<Decimal>,
    amc: Vec<AmcMonth>,
}

/// A checked operation's result, or the overflow error naming the institution, month and step.
fn checked(value: Option<Decimal>, id: &str, label: &str, step: &'static str) -> Result<Decimal, SimError> {
    value.ok_or_else(|| SimError::Overflow { institution: id.to_string(), month: label.to_string(), step })
}

/// The opening state of an institution: `P0 = loans − npl`.
fn opening(inst: &InstitutionPlan) -> MonthRecord {
    let (k0, e0) = inst.capital0.unwrap_or_default();
    MonthRecord {
        deposits: inst.deposits0,
        performing: inst.loans0 - inst.npl0,
        npl: inst.npl0,
        loans: inst.loans0,
        provisions: inst.provisions0,
        tier1_capital: k0,
        leverage_exposure: e0,
        ..MonthRecord::default()
    }
}

/// MODEL.md section 3, month by month, institution by institution, year by year.
fn reference(plan: &Plan) -> Result<Reference, SimError> {
    let n = plan.institutions.len();
    let twelve = Decimal::from(12);
    let mut records = vec![MonthRecord::default(); n * plan.months];
    let mut plans = vec![Decimal::ZERO; n * plan.years];
    let mut npl_open = vec![Decimal::ZERO; n * plan.years];
    let mut amc = vec![AmcMonth::default(); if plan.amc.is_some() { plan.months } else { 0 }];
    for y in 0..plan.years {
        let first_label = plan.labels[y * 12].as_str();
        let year_open: Vec<MonthRecord> =
            (0..n)
                .map(|i| {
                    if y == 0 {
                        opening(&plan.institutions[i])
                    } else {
                        records[i * plan.months + y * 12 - 1]
                    }
                })
                .collect();
        // The year's plan: the region's amount shared by N_y0, else by L_y0, else equally.
        let (mut npl_total, mut loans_total, mut sharing) = (Decimal::ZERO, Decimal::ZERO, 0u32);
        for (inst, open) in plan.institutions.iter().zip(&year_open) {
            if inst.years[y].rule == PlanRule::Shared {
                npl_total = checked(npl_total.checked_add(open.npl), &inst.id, first_label, "disposal plan")?;
                loans_total =
                    checked(loans_total.checked_add(open.loans), &inst.id, first_label, "disposal plan")?;
                sharing += 1;
            }
        }
        for (i, (inst, open)) in plan.institutions.iter().zip(&year_open).enumerate() {
            let drivers = &inst.years[y];
            let c = |v: Option<Decimal>| checked(v, &inst.id, first_label, "disposal plan");
            let a_y = match drivers.rule {
                PlanRule::Shared => {
                    let region = plan.region_amounts.as_ref().map_or(Decimal::ZERO, |a| a[y]);
                    let (mine, total) = if !npl_total.is_zero() {
                        (open.npl, npl_total)
                    } else if !loans_total.is_zero() {
                        (open.loans, loans_total)
                    } else {
                        (Decimal::ONE, Decimal::from(sharing.max(1)))
                    };
                    c(c(region.checked_mul(mine))?.checked_div(total))?
                }
                PlanRule::Amount(a) => a,
                // A_y = r_y × (N_y0 + f_y × P_y0 + Ev_y)
                PlanRule::Rate(r) => {
                    let fp = c(drivers.formation_rate.checked_mul(open.performing))?;
                    let base = c(c(open.npl.checked_add(fp))?.checked_add(inst.event_years[y]))?;
                    c(r.checked_mul(base))?
                }
            };
            plans[i * plan.years + y] = a_y;
            npl_open[i * plan.years + y] = open.npl;
        }
        for (i, (inst, open)) in plan.institutions.iter().zip(&year_open).enumerate() {
            let drivers = &inst.years[y];
            let a_y = plans[i * plan.years + y];
            for k in 1..=12 {
                let m = y * 12 + k - 1; // 0-based projection month
                let label = plan.labels[m].as_str();
                let prev = if k == 1 { *open } else { records[i * plan.months + m - 1] };
                let c = |v: Option<Decimal>, step| checked(v, &inst.id, label, step);
                let kd = Decimal::from(k);
                // 1. Dep_m = Dep_y0 × (1 + g_D × k / 12)
                let growth = c(
                    c(drivers.deposit_growth.checked_mul(kd), "deposits")?.checked_div(twelve),
                    "deposits",
                )?;
                let deposits = c(
                    open.deposits.checked_mul(c(growth.checked_add(Decimal::ONE), "deposits")?),
                    "deposits",
                )?;
                // 2. Ev_m
                let event = inst.events[m];
                // 3. F_m = f_y × P_{m−1} / 12 + Ev_m, capped at P_{m−1}
                let fp = c(drivers.formation_rate.checked_mul(prev.performing), "formation")?;
                let uncapped = c(c(fp.checked_div(twelve), "formation")?.checked_add(event), "formation")?;
                let capped = uncapped > prev.performing;
                let formation = if capped { prev.performing } else { uncapped };
                // 4. Dsp*_m = A_y × w_k; Dsp_m = min(Dsp*_m, N_{m−1} + F_m)
                let planned = c(a_y.checked_mul(inst.weights[k - 1]), "disposal")?;
                let available = c(prev.npl.checked_add(formation), "disposal")?;
                let disposal = planned.min(available);
                // 5. X_c = Dsp_m × s_c; the largest channel takes what the others leave.
                let mut flows = [Decimal::ZERO; 7];
                if !disposal.is_zero() {
                    let mut assigned = Decimal::ZERO;
                    for (c_index, (flow, share)) in flows.iter_mut().zip(inst.shares).enumerate() {
                        if c_index != inst.residual_channel && !share.is_zero() {
                            *flow = c(disposal.checked_mul(share), "channels")?;
                            assigned = c(assigned.checked_add(*flow), "channels")?;
                        }
                    }
                    flows[inst.residual_channel] = c(disposal.checked_sub(assigned), "channels")?;
                }
                // 6. N_m = N_{m−1} + F_m − Σ X_c
                let npl = c(available.checked_sub(disposal), "npl")?;
                // 7. Rm_m = Σ X_c except upgrade
                let upgrade = flows[channel::UPGRADE];
                let removals = c(disposal.checked_sub(upgrade), "removals")?;
                // 8. NL_m = g_L × L_y0 / 12 (+ Rm_m on basis balance)
                let lending = c(
                    c(drivers.loan_growth.checked_mul(open.loans), "new lending")?.checked_div(twelve),
                    "new lending",
                )?;
                let new_lending = match inst.basis {
                    Basis::Lending => lending,
                    Basis::Balance => c(lending.checked_add(removals), "new lending")?,
                };
                // 9. P_m = P_{m−1} − F_m + X_upgrade + NL_m; L_m = P_m + N_m
                let performing = c(
                    c(
                        c(prev.performing.checked_sub(formation), "performing")?.checked_add(upgrade),
                        "performing",
                    )?
                    .checked_add(new_lending),
                    "performing",
                )?;
                if performing < Decimal::ZERO {
                    return Err(SimError::NegativeStock {
                        institution: inst.id.clone(),
                        month: label.to_string(),
                        stock: "performing",
                        value: performing,
                    });
                }
                let loans = c(performing.checked_add(npl), "loans")?;
                // 10. Losses, cash and assets received; a zero flow loses and recovers nothing.
                let times = |rate: Decimal, x: Decimal, step| {
                    if x.is_zero() { Ok(Decimal::ZERO) } else { c(rate.checked_mul(x), step) }
                };
                let [l_t, l_s, l_x, l_k] = inst.loss_rates;
                let mut losses = flows[channel::WRITE_OFF];
                losses = c(losses.checked_add(times(l_t, flows[channel::TRANSFER], "losses")?), "losses")?;
                losses =
                    c(losses.checked_add(times(l_s, flows[channel::SECURITIZATION], "losses")?), "losses")?;
                losses = c(losses.checked_add(times(l_x, flows[channel::DEBT_EQUITY], "losses")?), "losses")?;
                losses = c(losses.checked_add(times(l_k, flows[channel::FORECLOSURE], "losses")?), "losses")?;
                // 11. pre = R_{m−1} − Loss_m; R* = max(κ·N_m, λ·L_m); R_m = max(pre, R*, 0)
                let pre = c(prev.provisions.checked_sub(losses), "provisions")?;
                let kappa =
                    inst.coverage_floor.map(|kappa| c(kappa.checked_mul(npl), "provisions")).transpose()?;
                let lambda =
                    inst.allowance_floor.map(|l| c(l.checked_mul(loans), "provisions")).transpose()?;
                let floor = match (kappa, lambda) {
                    (Some(a), Some(b)) => a.max(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => Decimal::ZERO,
                };
                let provisions = pre.max(floor).max(Decimal::ZERO);
                let provision_charge = c(provisions.checked_sub(pre), "provisions")?;
                // 12. NI_m = π/12 × L_{m−1} − Prov_m; K and E when capital is modelled.
                let (mut tier1_capital, mut leverage_exposure) = (Decimal::ZERO, Decimal::ZERO);
                if let Some((_, e0)) = inst.capital0 {
                    let earned = c(inst.monthly_return.checked_mul(prev.loans), "capital")?;
                    let income = c(earned.checked_sub(provision_charge), "capital")?;
                    let kept = if income > Decimal::ZERO {
                        c(inst.retention.checked_mul(income), "capital")?
                    } else {
                        income
                    };
                    tier1_capital = c(prev.tier1_capital.checked_add(kept), "capital")?;
                    let e = "leverage exposure";
                    let loans_change = c(loans.checked_sub(inst.loans0), e)?;
                    let provisions_change = c(provisions.checked_sub(inst.provisions0), e)?;
                    leverage_exposure =
                        c(c(e0.checked_add(loans_change), e)?.checked_sub(provisions_change), e)?;
                }
                let [r_t, r_s, _, r_k] = inst.recovery;
                let mut cash = flows[channel::COLLECTION];
                cash = c(cash.checked_add(times(r_t, flows[channel::TRANSFER], "cash")?), "cash")?;
                cash = c(cash.checked_add(times(r_s, flows[channel::SECURITIZATION], "cash")?), "cash")?;
                // AR_m = r_K·X_foreclosure: assets, not cash (v2).
                let assets_received = times(r_k, flows[channel::FORECLOSURE], "cash")?;
                records[i * plan.months + m] = MonthRecord {
                    deposits,
                    performing,
                    npl,
                    loans,
                    provisions,
                    tier1_capital,
                    leverage_exposure,
                    formation,
                    planned,
                    disposal,
                    channels: flows,
                    removals,
                    new_lending,
                    losses,
                    cash,
                    assets_received,
                    provision_charge,
                    capped,
                };
            }
        }
        // 13. The AMC: inflow_m = φ × Σ_i X_transfer,i; out_m = min(α × S_y0 × w_k, S_{m−1} + inflow_m).
        if let Some(a) = &plan.amc {
            let s_y0 = if y == 0 { a.opening_stock } else { amc[y * 12 - 1].stock };
            for k in 0..12 {
                let m = y * 12 + k;
                let c = |v: Option<Decimal>, step| checked(v, "amc", &plan.labels[m], step);
                let mut transfers = Decimal::ZERO;
                for i in 0..n {
                    transfers = c(
                        transfers.checked_add(records[i * plan.months + m].channels[channel::TRANSFER]),
                        "amc inflow",
                    )?;
                }
                let inflow = c(a.inflow_share.checked_mul(transfers), "amc inflow")?;
                let before = if m == 0 { a.opening_stock } else { amc[m - 1].stock };
                let planned = c(
                    c(a.disposal_rate.checked_mul(s_y0), "amc disposal")?
                        .checked_mul(plan.default_weights[k]),
                    "amc disposal",
                )?;
                let available = c(before.checked_add(inflow), "amc disposal")?;
                let out = planned.min(available);
                let stock = c(available.checked_sub(out), "amc stock")?;
                amc[m] = AmcMonth { stock, inflow, disposal: out, year_opening: s_y0 };
            }
        }
    }
    Ok(Reference { records, plans, npl_open, amc })
}

/// A decimal's exact bits: its value and its scale.
fn bits(d: Decimal) -> [u8; 16] {
    d.serialize()
}

/// Every field of a record, bit for bit, in a comparable form.
fn record_bits(r: &MonthRecord) -> (Vec<[u8; 16]>, bool) {
    let mut fields = vec![
        r.deposits,
        r.performing,
        r.npl,
        r.loans,
        r.provisions,
        r.tier1_capital,
        r.leverage_exposure,
        r.formation,
        r.planned,
        r.disposal,
        r.removals,
        r.new_lending,
        r.losses,
        r.cash,
        r.assets_received,
        r.provision_charge,
    ];
    fields.extend(r.channels);
    (fields.into_iter().map(bits).collect(), r.capped)
}

/// What a run computes with `needs` where the full run has `full` (skipped quantities stay zero).
fn expected_with(full: &MonthRecord, needs: Needs, year_end: bool) -> MonthRecord {
    let mut r = *full;
    if !needs.monthly_deposits && !year_end {
        r.deposits = Decimal::ZERO;
    }
    if !needs.provisions {
        r.losses = Decimal::ZERO;
        r.provisions = Decimal::ZERO;
        r.provision_charge = Decimal::ZERO;
        r.tier1_capital = Decimal::ZERO;
        r.leverage_exposure = Decimal::ZERO;
    }
    if !needs.cash {
        r.cash = Decimal::ZERO;
        r.assets_received = Decimal::ZERO;
    }
    r
}

/// Runs the fast path with `needs` and requires the plain step's results (or its error).
fn check(plan: &Plan, expected: &Result<Reference, SimError>, needs: Needs) -> Result<(), String> {
    let mut run = Run::new(plan);
    let outcome = run.execute_with(plan, needs);
    let reference = match (expected, outcome) {
        (Err(want), Err(got)) if format!("{want:?}") == format!("{got:?}") => return Ok(()),
        (Err(want), got) => {
            return Err(format!("the plain step stops with {want:?}, the fast path gives {got:?}"));
        }
        (Ok(_), Err(got)) => return Err(format!("the fast path stops with {got:?}, the plain step runs")),
        (Ok(reference), Ok(())) => reference,
    };
    for (index, (want, got)) in reference.records.iter().zip(&run.records).enumerate() {
        let want = expected_with(want, needs, index % 12 == 11);
        if record_bits(&want) != record_bits(got) {
            let (i, m) = (index / plan.months, index % plan.months);
            return Err(format!(
                "institution {} month {} differs ({needs:?}):\nplain {want:?}\nfast  {got:?}",
                plan.institutions[i].id, plan.labels[m]
            ));
        }
    }
    if reference.records.len() != run.records.len() {
        return Err("record counts differ".into());
    }
    let plan_bits = |v: &[Decimal]| v.iter().copied().map(bits).collect::<Vec<_>>();
    if plan_bits(&reference.plans) != plan_bits(&run.plans) {
        return Err(format!("yearly plans differ: {:?} vs {:?}", reference.plans, run.plans));
    }
    if plan_bits(&reference.npl_open) != plan_bits(&run.npl_year_open) {
        return Err("year-opening NPL differs".into());
    }
    if needs.amc {
        let amc_bits = |v: &[AmcMonth]| {
            v.iter()
                .flat_map(|a| [a.stock, a.inflow, a.disposal, a.year_opening])
                .map(bits)
                .collect::<Vec<_>>()
        };
        if amc_bits(&reference.amc) != amc_bits(&run.amc) {
            return Err(format!("AMC months differ: {:?} vs {:?}", reference.amc, run.amc));
        }
    }
    Ok(())
}

/// Both sets of quantities the analyses and the page ask for, and one in between.
const NEEDS: [Needs; 3] =
    [Needs::ALL, Needs::CORE, Needs { monthly_deposits: false, provisions: true, cash: false, amc: true }];

#[test]
fn the_fast_path_is_the_plain_step_on_every_preset_and_the_synthetic_scenarios() {
    // The plain step is section 3's; reported months (section 9) are held to their own
    // hand-computed tables and fixed point in tests/actuals.rs.
    let mut scenarios: Vec<_> = presets::all()
        .iter()
        .map(|p| delever_model::parse_scenario(p.json).unwrap_or_else(|_| panic!("preset {} is valid", p.id)))
        .filter(|s| s.actuals.is_empty())
        .collect();
    for (n, years) in [(3, 2), (50, 5)] {
        scenarios
            .push(presets::synthetic(n, years).unwrap_or_else(|_| panic!("synthetic scenario is valid")));
    }
    for scenario in &scenarios {
        let plan = Plan::compile(scenario);
        let expected = reference(&plan);
        for needs in NEEDS {
            check(&plan, &expected, needs).unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
        }
    }
}

/// As many scenarios as the invariants' suite: the fast path must match on every shape.
/// Failing cases are saved beside this file (fast_path.proptest-regressions) and replayed first.
const FAST_PATH_CASES: u32 = 10_000;

#[test]
fn the_fast_path_is_the_plain_step_to_the_last_digit() {
    common::cases::run(file!(), FAST_PATH_CASES, scenario_doc(), |doc| {
        let scenario = parse_scenario_value(&doc)
            .map_err(|_| TestCaseError::fail("generator made an invalid scenario"))?;
        let plan = Plan::compile(&scenario);
        let expected = reference(&plan);
        for needs in NEEDS {
            check(&plan, &expected, needs).map_err(TestCaseError::fail)?;
        }
        Ok(())
    });
}
