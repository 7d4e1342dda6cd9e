//! The monthly step of MODEL.md section 3, with section 9's reported months and re-forecast, in exact rationals.
//!
//! Institutions are stepped together month by month: a region amount plan is shared at
//! each year's start from every sharing institution's opening NPL, and the AMC takes a
//! share of every bank's transfers in the same month.

use num_traits::{Signed, Zero};

use crate::number::{Q, int, max, min};
use crate::scenario::{
    DEBT_EQUITY, Disposal, FORECLOSURE, ReportedDisposal, SECURITIZATION, Scenario, TRANSFER, UPGRADE,
    WRITE_OFF,
};

/// An institution's drivers with its overrides applied (section 2: a field set there replaces the default's whole field).
#[derive(Clone, Debug)]
pub struct Resolved {
    pub deposit_growth: Vec<Q>,
    pub loan_growth: Vec<Q>,
    pub balance_basis: bool,
    pub formation_rate: Vec<Q>,
    pub disposal: Disposal,
    /// Whether the institution sets its own `disposal` (else it takes a share of a region amount plan).
    pub own_disposal: bool,
    pub channels: [Q; 7],
    pub pacing: [Q; 12],
    pub recovery: [Q; 4],
    pub coverage_floor: Option<Q>,
    pub allowance_floor: Option<Q>,
    pub pre_provision_return: Q,
    pub retention: Q,
}

/// The drivers of institution `i`.
pub fn resolve(s: &Scenario, i: usize) -> Resolved {
    let own = &s.institutions[i].drivers;
    let d = &s.defaults;
    // `defaults` holds every field (the engine validated it); an override replaces one.
    let pick = |o: &Option<Vec<Q>>, f: &Option<Vec<Q>>| o.clone().or_else(|| f.clone()).unwrap_or_default();
    let provisioning = own.provisioning.clone().or_else(|| d.provisioning.clone()).unwrap_or((None, None));
    let capital = own.capital.clone().or_else(|| d.capital.clone()).unwrap_or((int(0), int(0)));
    Resolved {
        deposit_growth: pick(&own.deposit_growth, &d.deposit_growth),
        loan_growth: pick(&own.loan_growth, &d.loan_growth),
        balance_basis: own.balance_basis.or(d.balance_basis).unwrap_or(false),
        formation_rate: pick(&own.npl_formation_rate, &d.npl_formation_rate),
        disposal: own.disposal.clone().or_else(|| d.disposal.clone()).unwrap_or(Disposal::Amount(vec![])),
        own_disposal: own.disposal.is_some(),
        channels: own
            .channels
            .clone()
            .or_else(|| d.channels.clone())
            .unwrap_or_else(|| std::array::from_fn(|_| int(0))),
        pacing: own
            .pacing
            .clone()
            .or_else(|| d.pacing.clone())
            .unwrap_or_else(|| std::array::from_fn(|_| int(0))),
        recovery: own
            .recovery
            .clone()
            .or_else(|| d.recovery.clone())
            .unwrap_or_else(|| std::array::from_fn(|_| int(0))),
        coverage_floor: provisioning.0,
        allowance_floor: provisioning.1,
        pre_provision_return: capital.0,
        retention: capital.1,
    }
}

/// One institution-month (or, summed, a zone's or the region's): stocks after the month and its flows.
#[derive(Clone, Debug)]
pub struct Record {
    pub deposits: Q,
    pub performing: Q,
    pub npl: Q,
    pub provisions: Q,
    /// `(K_m, E_m)` when capital is modelled.
    pub capital: Option<(Q, Q)>,
    pub formation: Q,
    /// `Dsp*_m`.
    pub plan: Q,
    pub disposal: Q,
    /// `Dsp*_m − Dsp_m` in a projected month; not defined by the contract for a reported one.
    pub shortfall: Option<Q>,
    pub channels: [Q; 7],
    pub removals: Q,
    pub cash: Q,
    pub assets: Q,
    pub losses: Q,
    pub provision_charge: Q,
    /// `NL_m` in a projected month; not defined for a reported one.
    pub new_lending: Option<Q>,
    pub actual: bool,
}

impl Record {
    pub fn loans(&self) -> Q {
        &self.performing + &self.npl
    }
}

/// A year's opening values `Dep_y0, L_y0, P_y0, N_y0`.
#[derive(Clone, Debug)]
pub struct Opening {
    pub deposits: Q,
    pub loans: Q,
    pub performing: Q,
    pub npl: Q,
}

/// One institution's run.
#[derive(Clone, Debug)]
pub struct InstitutionRun {
    pub records: Vec<Record>,
    /// `A_y` per year.
    pub plans: Vec<Q>,
    pub openings: Vec<Opening>,
    /// `Rem` of the as-of year (section 9), when there are actuals.
    pub remaining: Option<Q>,
    /// The year-end shortfall per year (a year with reported months: `max(0, A_y − disposal)`).
    pub shortfalls: Vec<Q>,
}

/// The AMC's month.
#[derive(Clone, Debug)]
pub struct AmcMonth {
    pub stock: Q,
    pub out: Q,
}

/// A whole run.
#[derive(Clone, Debug)]
pub struct Run {
    pub institutions: Vec<InstitutionRun>,
    pub amc: Option<Vec<AmcMonth>>,
    /// `S_y0` per year.
    pub amc_openings: Vec<Q>,
    /// The first month whose values hang on a discrete choice that the oracle's value puts
    /// within the tolerance of its boundary (a region plan's sharing branch): comparisons
    /// stop there.
    pub fragile_from: Option<usize>,
    /// The first institution and month whose deposits went below zero, if any (section 3's
    /// invariants say `Dep ≥ 0`, but only a negative performing stock stops a run).
    pub negative_deposits: Option<(usize, usize)>,
}

/// A run that stops (section 3): a stock that must stay ≥ 0 would turn negative.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub institution: String,
    pub month: usize,
    pub stock: &'static str,
    pub value: Q,
    /// Whether the value lies within the tolerance of zero (the engine may then go on).
    pub near_boundary: bool,
}

/// Per-month state of one institution while stepping.
struct State {
    deposits: Q,
    performing: Q,
    npl: Q,
    provisions: Q,
    capital: Option<(Q, Q)>,
    /// The exposure anchor `(E_r, L_r, R_r)` of section 9 step 7 (the opening for v1).
    anchor: Option<(Q, Q, Q)>,
}

/// Runs the scenario; `tolerance` is the amount tolerance, used only to flag fragile branches.
pub fn simulate(s: &Scenario, tolerance: &Q) -> Result<Run, Failure> {
    let n = s.institutions.len();
    let months = s.months();
    let as_of = s.as_of();
    let resolved: Vec<Resolved> = (0..n).map(|i| resolve(s, i)).collect();
    let region_pacing = s.defaults.pacing.clone().unwrap_or_else(|| std::array::from_fn(|_| int(0)));
    let mut states: Vec<State> = s
        .institutions
        .iter()
        .map(|inst| State {
            deposits: inst.deposits.clone(),
            performing: &inst.loans - &inst.npl,
            npl: inst.npl.clone(),
            provisions: inst.provisions.clone(),
            capital: inst.capital.clone(),
            anchor: inst
                .capital
                .as_ref()
                .map(|(_, e)| (e.clone(), inst.loans.clone(), inst.provisions.clone())),
        })
        .collect();
    let mut runs: Vec<InstitutionRun> = (0..n)
        .map(|_| InstitutionRun {
            records: Vec::new(),
            plans: Vec::new(),
            openings: Vec::new(),
            remaining: None,
            shortfalls: Vec::new(),
        })
        .collect();
    let mut amc_stock = s.amc.as_ref().map(|a| a.opening_stock.clone());
    let mut amc_months = Vec::new();
    let mut amc_openings = Vec::new();
    let mut amc_open = int(0);
    let mut fragile_from: Option<usize> = None;
    let mut negative_deposits = None;
    let mut failed: Vec<Option<Failure>> = vec![None; n];
    let events_in = |i: usize, from: usize, to: usize| -> Q {
        s.events
            .iter()
            .filter(|e| e.institution == i && (from..=to).contains(&e.month))
            .map(|e| e.amount.clone())
            .sum()
    };
    // The as-of month's year (0-based) and month-in-year.
    let (as_of_year, as_of_k) =
        if as_of > 0 { ((as_of - 1) / 12, (as_of - 1) % 12 + 1) } else { (usize::MAX, 0) };
    for m in 1..=months {
        let y = (m - 1) / 12;
        let k = (m - 1) % 12 + 1;
        if k == 1 {
            // Year start: openings, then the year's plans (a region amount plan needs every opening).
            for (i, st) in states.iter().enumerate() {
                runs[i].openings.push(Opening {
                    deposits: st.deposits.clone(),
                    loans: &st.performing + &st.npl,
                    performing: st.performing.clone(),
                    npl: st.npl.clone(),
                });
            }
            let sharing: Vec<usize> = (0..n)
                .filter(|&i| !resolved[i].own_disposal && matches!(resolved[i].disposal, Disposal::Amount(_)))
                .collect();
            let shares =
                share_weights(&sharing.iter().map(|&i| runs[i].openings[y].clone()).collect::<Vec<_>>());
            if sharing.len() > 1 {
                let npl_sum: Q = sharing.iter().map(|&i| runs[i].openings[y].npl.clone()).sum();
                let loans_sum: Q = sharing.iter().map(|&i| runs[i].openings[y].loans.clone()).sum();
                // A sum within the tolerance of zero could be zero, or not, in the engine's digits.
                let npl_fragile =
                    npl_sum.abs() <= *tolerance && !(npl_sum.is_zero() && all_exact_zero_npl(s, &sharing, y));
                let loans_fragile =
                    npl_sum.is_zero() && !loans_sum.is_zero() && loans_sum.abs() <= *tolerance;
                if npl_fragile || loans_fragile {
                    fragile_from = Some(fragile_from.map_or(m, |f| f.min(m)));
                }
            }
            for i in 0..n {
                let r = &resolved[i];
                let open = &runs[i].openings[y];
                let plan = match &r.disposal {
                    Disposal::Amount(a) => {
                        if r.own_disposal {
                            a[y].clone()
                        } else {
                            let at = sharing.iter().position(|&j| j == i).unwrap_or(0);
                            &a[y] * &shares[at]
                        }
                    }
                    Disposal::Rate(rate) => {
                        let events = events_in(i, 12 * y + 1, 12 * y + 12);
                        &rate[y] * (&open.npl + &r.formation_rate[y] * &open.performing + events)
                    }
                };
                runs[i].plans.push(plan);
            }
            if let Some(stock) = &amc_stock {
                amc_open = stock.clone();
                amc_openings.push(amc_open.clone());
            }
        }
        let mut transfers = int(0);
        for i in 0..n {
            if failed[i].is_some() {
                continue;
            }
            let r = &resolved[i];
            let plan_y = runs[i].plans[y].clone();
            let open = runs[i].openings[y].clone();
            let st = &mut states[i];
            let loans_before = &st.performing + &st.npl;
            let record = if m <= as_of {
                let report = &s.actuals[i][m - 1];
                let x: [Q; 7] = match &report.disposal {
                    ReportedDisposal::Channels(x) => (**x).clone(),
                    ReportedDisposal::Total(t) => std::array::from_fn(|c| t * &r.channels[c]),
                };
                let disposal: Q = match &report.disposal {
                    ReportedDisposal::Channels(x) => x.iter().cloned().sum(),
                    ReportedDisposal::Total(t) => t.clone(),
                };
                let npl = report.npl.clone();
                let loans = report.loans.clone();
                let formation = report.formation.clone().unwrap_or_else(|| &npl - &st.npl + &disposal);
                let (removals, losses, cash, assets) = consequences(&x, &r.recovery);
                let pre = &st.provisions - &losses;
                let provisions = match &report.provisions {
                    Some(p) => p.clone(),
                    None => provision_floor(&pre, &npl, &loans, r),
                };
                let provision_charge = &provisions - &pre;
                let capital = match (&st.capital, &report.capital) {
                    (Some(_), Some((kr, er))) => {
                        st.anchor = Some((er.clone(), loans.clone(), provisions.clone()));
                        Some((kr.clone(), er.clone()))
                    }
                    (Some((k_prev, _)), None) => Some(step_capital(
                        k_prev,
                        &loans_before,
                        &provision_charge,
                        &loans,
                        &provisions,
                        st.anchor.as_ref(),
                        r,
                    )),
                    (None, _) => None,
                };
                st.deposits = report.deposits.clone();
                st.performing = &loans - &npl;
                st.npl = npl;
                st.provisions = provisions;
                st.capital = capital.clone();
                Record {
                    deposits: st.deposits.clone(),
                    performing: st.performing.clone(),
                    npl: st.npl.clone(),
                    provisions: st.provisions.clone(),
                    capital,
                    formation,
                    plan: &plan_y * &r.pacing[k - 1],
                    disposal,
                    shortfall: None,
                    channels: x,
                    removals,
                    cash,
                    assets,
                    losses,
                    provision_charge,
                    new_lending: None,
                    actual: true,
                }
            } else {
                let catch_up = y == as_of_year && as_of_k < 12;
                // Step 1 (and section 9's continuation in the as-of year).
                let deposits = if catch_up {
                    let reported_a = &runs[i].records[as_of - 1].deposits;
                    reported_a + &open.deposits * &r.deposit_growth[y] * int((k - as_of_k) as i64) / int(12)
                } else {
                    &open.deposits * (int(1) + &r.deposit_growth[y] * int(k as i64) / int(12))
                };
                // Steps 2–3.
                let events = events_in(i, m, m);
                let formation =
                    min(&r.formation_rate[y] * &st.performing / int(12) + events, st.performing.clone());
                // Step 4.
                let planned = if catch_up {
                    let remaining = runs[i].remaining.clone().unwrap_or_else(|| {
                        let done: Q =
                            runs[i].records[12 * y..as_of].iter().map(|rec| rec.disposal.clone()).sum();
                        max(int(0), &plan_y - done)
                    });
                    runs[i].remaining = Some(remaining.clone());
                    let weight_left: Q = r.pacing[as_of_k..].iter().cloned().sum();
                    if weight_left.is_zero() {
                        &remaining / int((12 - as_of_k) as i64)
                    } else {
                        &remaining * &r.pacing[k - 1] / weight_left
                    }
                } else {
                    &plan_y * &r.pacing[k - 1]
                };
                let available = &st.npl + &formation;
                let disposal = min(planned.clone(), available);
                // Step 5.
                let x: [Q; 7] = std::array::from_fn(|c| &disposal * &r.channels[c]);
                // Step 6.
                let npl = &st.npl + &formation - x.iter().cloned().sum::<Q>();
                // Steps 7–8.
                let (removals, losses, cash, assets) = consequences(&x, &r.recovery);
                let mut new_lending = &r.loan_growth[y] * &open.loans / int(12);
                if r.balance_basis {
                    new_lending += &removals;
                }
                // Step 9.
                let performing = &st.performing + &new_lending - &formation + &x[UPGRADE];
                let name = &s.institutions[i].id;
                if performing.is_negative() || performing.abs() <= *tolerance && !performing.is_zero() {
                    if performing.is_negative() {
                        failed[i] = Some(Failure {
                            institution: name.clone(),
                            month: m,
                            stock: "performing",
                            near_boundary: performing.abs() <= *tolerance,
                            value: performing,
                        });
                        continue;
                    }
                    // Just above zero: the engine's digits may fall either side.
                    fragile_from = Some(fragile_from.map_or(m, |f| f.min(m)));
                }
                if deposits.is_negative() && negative_deposits.is_none() {
                    // The contract stops a run only for performing loans (section 3); deposits
                    // below zero (a re-forecast continuing from a small report) are noted.
                    negative_deposits = Some((i, m));
                }
                let loans = &performing + &npl;
                // Steps 10–11.
                let pre = &st.provisions - &losses;
                let provisions = provision_floor(&pre, &npl, &loans, r);
                let provision_charge = &provisions - &pre;
                // Step 12.
                let capital = st.capital.as_ref().map(|(k_prev, _)| {
                    step_capital(
                        k_prev,
                        &loans_before,
                        &provision_charge,
                        &loans,
                        &provisions,
                        st.anchor.as_ref(),
                        r,
                    )
                });
                st.deposits = deposits;
                st.performing = performing;
                st.npl = npl;
                st.provisions = provisions;
                st.capital = capital.clone();
                Record {
                    deposits: st.deposits.clone(),
                    performing: st.performing.clone(),
                    npl: st.npl.clone(),
                    provisions: st.provisions.clone(),
                    capital,
                    formation,
                    shortfall: Some(&planned - &disposal),
                    plan: planned,
                    disposal,
                    channels: x,
                    removals,
                    cash,
                    assets,
                    losses,
                    provision_charge,
                    new_lending: Some(new_lending),
                    actual: false,
                }
            };
            transfers += &record.channels[TRANSFER];
            runs[i].records.push(record);
        }
        // Step 13: the AMC.
        if let (Some(amc), Some(stock)) = (&s.amc, &mut amc_stock) {
            let inflow = &amc.inflow_share * &transfers;
            let out = min(&amc.disposal_rate * &amc_open * &region_pacing[k - 1], &*stock + &inflow);
            *stock = &*stock + inflow - &out;
            amc_months.push(AmcMonth { stock: stock.clone(), out });
        }
        if k == 12 {
            // A stop is reported year by year, then institution by institution (section 3 reads
            // "for each institution, months m = 1 …"; a region plan's sharing needs every
            // institution's opening, so a year is the unit): the first failed institution of the year.
            if let Some(first) = failed.iter().flatten().next() {
                return Err(first.clone());
            }
            for (i, run) in runs.iter_mut().enumerate() {
                let year = &run.records[12 * y..12 * y + 12];
                let reported_year = as_of > 12 * y;
                let shortfall = if reported_year {
                    let done: Q = year.iter().map(|rec| rec.disposal.clone()).sum();
                    max(int(0), &run.plans[y] - done)
                } else {
                    year.iter().map(|rec| rec.shortfall.clone().unwrap_or_default()).sum()
                };
                run.shortfalls.push(shortfall);
                // The as-of year's `Rem` when no month is left to project (k_a = 12): still defined.
                if reported_year && y == as_of_year && run.remaining.is_none() {
                    let done: Q = run.records[12 * y..as_of].iter().map(|rec| rec.disposal.clone()).sum();
                    run.remaining = Some(max(int(0), &run.plans[y] - done));
                }
                let _ = i;
            }
        }
    }
    Ok(Run {
        institutions: runs,
        amc: s.amc.as_ref().map(|_| amc_months),
        amc_openings,
        fragile_from,
        negative_deposits,
    })
}

/// Whether every sharing institution's NPL at year `y`'s opening is zero because it is exactly
/// zero in the file and nothing can have formed (then the engine's digits are zero too).
fn all_exact_zero_npl(s: &Scenario, sharing: &[usize], y: usize) -> bool {
    y == 0 && sharing.iter().all(|&i| s.institutions[i].npl.is_zero())
}

/// The shares of a region amount plan (section 2): by NPL at the year's start; if all zero, by
/// loans; if those are zero too, equally.
pub fn share_weights(openings: &[Opening]) -> Vec<Q> {
    let npl: Q = openings.iter().map(|o| o.npl.clone()).sum();
    if !npl.is_zero() {
        return openings.iter().map(|o| &o.npl / &npl).collect();
    }
    let loans: Q = openings.iter().map(|o| o.loans.clone()).sum();
    if !loans.is_zero() {
        return openings.iter().map(|o| &o.loans / &loans).collect();
    }
    let count = int(openings.len() as i64);
    openings.iter().map(|_| int(1) / &count).collect()
}

/// Steps 7 and 10: removals, losses, cash and assets received of the channel flows.
fn consequences(x: &[Q; 7], recovery: &[Q; 4]) -> (Q, Q, Q, Q) {
    let removals: Q = x.iter().take(UPGRADE).cloned().sum();
    let [r_t, r_s, r_x, r_k] = recovery;
    let one = int(1);
    let losses = &x[WRITE_OFF]
        + (&one - r_t) * &x[TRANSFER]
        + (&one - r_s) * &x[SECURITIZATION]
        + (&one - r_x) * &x[DEBT_EQUITY]
        + (&one - r_k) * &x[FORECLOSURE];
    let cash = &x[0] + r_t * &x[TRANSFER] + r_s * &x[SECURITIZATION];
    let assets = r_k * &x[FORECLOSURE];
    (removals, losses, cash, assets)
}

/// Step 11: `R_m = max(pre, R*, 0)` with `R* = max(κ·N, λ·L)`, a null floor dropping out.
fn provision_floor(pre: &Q, npl: &Q, loans: &Q, r: &Resolved) -> Q {
    let floors: Vec<Q> =
        [r.coverage_floor.as_ref().map(|k| k * npl), r.allowance_floor.as_ref().map(|l| l * loans)]
            .into_iter()
            .flatten()
            .collect();
    let floor = floors.into_iter().fold(int(0), max);
    max(max(pre.clone(), floor), int(0))
}

/// Step 12: `NI = π·L_{m−1}/12 − Prov`; `K` gains `ρ·NI` when `NI > 0`, else `NI`; `E` from its anchor.
fn step_capital(
    k_prev: &Q,
    loans_before: &Q,
    provision_charge: &Q,
    loans: &Q,
    provisions: &Q,
    anchor: Option<&(Q, Q, Q)>,
    r: &Resolved,
) -> (Q, Q) {
    let income = &r.pre_provision_return * loans_before / int(12) - provision_charge;
    let capital = if income.is_positive() { k_prev + &r.retention * &income } else { k_prev + &income };
    let exposure = match anchor {
        Some((e_r, l_r, r_r)) => e_r + (loans - l_r) - (provisions - r_r),
        None => int(0),
    };
    (capital, exposure)
}
