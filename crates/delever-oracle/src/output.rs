//! The outputs of MODEL.md section 4, the targets of section 2 and the tracking block of section 9.

use num_traits::{Signed, Zero};

use crate::number::{Q, distance_to_rounding_midpoint, frac, int, ratio, round_half_even};
use crate::scenario::{Scenario, Scope, TargetValue, WRITE_OFF};
use crate::simulate::{Failure, Record, Run, resolve, simulate};

/// One metric's value; for a ratio also its denominator, so a comparison can tell a ratio
/// whose denominator is within the tolerance of zero (null or not is then a matter of digits).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metric {
    pub value: Option<Q>,
    pub denominator: Option<Q>,
}

impl Metric {
    fn amount(value: Q) -> Metric {
        Metric { value: Some(value), denominator: None }
    }

    fn null() -> Metric {
        Metric { value: None, denominator: None }
    }

    /// `numerator / denominator`, null when the denominator is zero.
    fn ratio(numerator: &Q, denominator: &Q) -> Metric {
        Metric { value: ratio(numerator, denominator), denominator: Some(denominator.clone()) }
    }

    /// `K / E`, null where `E ≤ 0` (section 3).
    fn leverage(capital: &Q, exposure: &Q) -> Metric {
        let value = exposure.is_positive().then(|| capital / exposure);
        Metric { value, denominator: Some(exposure.clone()) }
    }
}

/// The metrics that are ratios (section 4's, and section 10's two): compared within 1e-20, not the amount tolerance.
pub const RATIOS: [&str; 11] = [
    "npl_ratio",
    "coverage",
    "allowance_ratio",
    "ldr",
    "h1_share",
    "write_off_share",
    "adjusted_npl_ratio",
    "leverage_ratio",
    "amc_disposal_share",
    "loan_growth",
    "disposal_completion",
];

/// One monthly or year-end entry: metrics by name, the channel flows, and (monthly) whether reported.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// `YYYY-MM` for a month, `YYYY` for a year-end.
    pub label: String,
    pub metrics: Vec<(&'static str, Metric)>,
    pub channels: [Q; 7],
    pub actual: Option<bool>,
}

impl Entry {
    /// The metric `name`, if the entry has it.
    pub fn get(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|(n, _)| *n == name).map(|(_, m)| m)
    }
}

/// Monthly entries and year-ends of one entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub monthly: Vec<Entry>,
    pub year_ends: Vec<Entry>,
}

/// A target's result (section 2).
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    pub id: String,
    pub metric: String,
    pub value: Option<Q>,
    pub actual: Metric,
    pub met: bool,
    pub margin: Option<Q>,
    /// The actual in the plan (the scenario without actuals), when the scenario has actuals and the plan runs.
    pub planned: Option<Metric>,
}

/// One entity's progress in the as-of year (section 9).
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub year: i32,
    pub as_of: String,
    pub fields: Vec<(&'static str, Metric)>,
}

/// The tracking block.
#[derive(Clone, Debug, PartialEq)]
pub struct Tracking {
    pub region: Progress,
    pub zones: Vec<(String, Progress)>,
    pub institutions: Vec<(String, Progress)>,
}

/// Everything the oracle computes for one scenario.
#[derive(Clone, Debug)]
pub struct Projection {
    pub months: Vec<String>,
    pub as_of: Option<String>,
    pub region: Series,
    /// Zones in order of first appearance.
    pub zones: Vec<(String, Series)>,
    pub institutions: Vec<(String, Series)>,
    pub targets: Vec<TargetResult>,
    pub tracking: Option<Tracking>,
    /// Whether the plan (without actuals) stopped with an error, so `planned` and tracking are missing.
    pub plan_failed: bool,
    pub run: Run,
}

impl Projection {
    /// The series of a scope.
    pub fn scope(&self, scope: &Scope) -> Option<&Series> {
        match scope {
            Scope::Region => Some(&self.region),
            Scope::Zone(z) => self.zones.iter().find(|(n, _)| n == z).map(|(_, s)| s),
            Scope::Institution(i) => self.institutions.iter().find(|(n, _)| n == i).map(|(_, s)| s),
        }
    }
}

/// The national commercial-bank NPL ratio of section 6, overridden or extended by the scenario's (section 11).
pub fn national_average(s: &Scenario, year: i32) -> Option<Q> {
    if let Some(v) = s.reference.get(&year) {
        return Some(v.clone());
    }
    let table = [
        (2014, 125),
        (2015, 167),
        (2016, 174),
        (2017, 174),
        (2018, 183),
        (2019, 186),
        (2020, 184),
        (2021, 173),
        (2022, 163),
        (2023, 159),
        (2024, 150),
    ];
    table.iter().find(|(y, _)| *y == year).map(|(_, bp)| frac(*bp, 10_000))
}

/// The AMC's `(S_m, out_m)` per month and `S_y0` per year.
type AmcView = (Vec<(Q, Q)>, Vec<Q>);

/// Named series of zones or institutions.
type Named = Vec<(String, Series)>;

/// The records, plans, openings and shortfalls of a set of institutions, summed.
struct View {
    records: Vec<Record>,
    plans: Vec<Q>,
    npl_open: Vec<Q>,
    shortfalls: Vec<Q>,
    /// `(S_m, out_m)` per month and `S_y0` per year, for the region.
    amc: Option<AmcView>,
}

fn sum_records(a: &Record, b: &Record) -> Record {
    let add_opt = |x: &Option<Q>, y: &Option<Q>| match (x, y) {
        (Some(x), Some(y)) => Some(x + y),
        _ => None,
    };
    Record {
        deposits: &a.deposits + &b.deposits,
        performing: &a.performing + &b.performing,
        npl: &a.npl + &b.npl,
        provisions: &a.provisions + &b.provisions,
        capital: match (&a.capital, &b.capital) {
            (Some((ka, ea)), Some((kb, eb))) => Some((ka + kb, ea + eb)),
            _ => None,
        },
        formation: &a.formation + &b.formation,
        plan: &a.plan + &b.plan,
        disposal: &a.disposal + &b.disposal,
        shortfall: add_opt(&a.shortfall, &b.shortfall),
        channels: std::array::from_fn(|c| &a.channels[c] + &b.channels[c]),
        removals: &a.removals + &b.removals,
        cash: &a.cash + &b.cash,
        assets: &a.assets + &b.assets,
        losses: &a.losses + &b.losses,
        provision_charge: &a.provision_charge + &b.provision_charge,
        new_lending: add_opt(&a.new_lending, &b.new_lending),
        actual: a.actual && b.actual,
    }
}

fn view(run: &Run, members: &[usize], region: bool) -> View {
    let first = &run.institutions[members[0]];
    let mut v = View {
        records: first.records.clone(),
        plans: first.plans.clone(),
        npl_open: first.openings.iter().map(|o| o.npl.clone()).collect(),
        shortfalls: first.shortfalls.clone(),
        amc: None,
    };
    for &i in &members[1..] {
        let inst = &run.institutions[i];
        for (total, rec) in v.records.iter_mut().zip(&inst.records) {
            *total = sum_records(total, rec);
        }
        for (total, p) in v.plans.iter_mut().zip(&inst.plans) {
            *total += p;
        }
        for (total, o) in v.npl_open.iter_mut().zip(&inst.openings) {
            *total += &o.npl;
        }
        for (total, x) in v.shortfalls.iter_mut().zip(&inst.shortfalls) {
            *total += x;
        }
    }
    if region {
        v.amc = run.amc.as_ref().map(|months| {
            (months.iter().map(|a| (a.stock.clone(), a.out.clone())).collect(), run.amc_openings.clone())
        });
    }
    v
}

fn stock_metrics(r: &Record) -> Vec<(&'static str, Metric)> {
    let loans = r.loans();
    vec![
        ("deposits", Metric::amount(r.deposits.clone())),
        ("loans", Metric::amount(loans.clone())),
        ("performing", Metric::amount(r.performing.clone())),
        ("npl", Metric::amount(r.npl.clone())),
        ("provisions", Metric::amount(r.provisions.clone())),
        ("npl_ratio", Metric::ratio(&r.npl, &loans)),
        ("coverage", Metric::ratio(&r.provisions, &r.npl)),
        ("allowance_ratio", Metric::ratio(&r.provisions, &loans)),
        ("ldr", Metric::ratio(&loans, &r.deposits)),
    ]
}

fn series(s: &Scenario, v: &View, region: bool) -> Series {
    let mut monthly = Vec::new();
    for (m0, r) in v.records.iter().enumerate() {
        let mut metrics = stock_metrics(r);
        match &r.capital {
            Some((k, e)) => {
                metrics.push(("tier1_capital", Metric::amount(k.clone())));
                metrics.push(("leverage_ratio", Metric::leverage(k, e)));
            }
            None => {
                metrics.push(("tier1_capital", Metric::null()));
                metrics.push(("leverage_ratio", Metric::null()));
            }
        }
        let amc_stock = match (&v.amc, region) {
            (Some((months, _)), true) => Metric::amount(months[m0].0.clone()),
            _ => Metric::null(),
        };
        metrics.push(("amc_stock", amc_stock));
        metrics.push(("formation", Metric::amount(r.formation.clone())));
        metrics.push(("disposal_plan", Metric::amount(r.plan.clone())));
        metrics.push(("disposal", Metric::amount(r.disposal.clone())));
        if let Some(x) = &r.shortfall {
            metrics.push(("disposal_shortfall", Metric::amount(x.clone())));
        }
        metrics.push(("cash_recovered", Metric::amount(r.cash.clone())));
        metrics.push(("assets_received", Metric::amount(r.assets.clone())));
        metrics.push(("losses", Metric::amount(r.losses.clone())));
        metrics.push(("provision_charge", Metric::amount(r.provision_charge.clone())));
        if let Some(x) = &r.new_lending {
            metrics.push(("new_lending", Metric::amount(x.clone())));
        }
        monthly.push(Entry {
            label: s.month_label(m0 + 1),
            metrics,
            channels: r.channels.clone(),
            actual: Some(r.actual),
        });
    }
    let mut year_ends = Vec::new();
    for y in 0..s.years {
        let months = &v.records[12 * y..12 * y + 12];
        let last = &months[11];
        let sum = |f: &dyn Fn(&Record) -> Q| -> Q { months.iter().map(f).sum() };
        let formation = sum(&|r| r.formation.clone());
        let disposal = sum(&|r| r.disposal.clone());
        let channels: [Q; 7] = std::array::from_fn(|c| sum(&|r| r.channels[c].clone()));
        let plan = v.plans[y].clone();
        let h1 = months[..6].iter().map(|r| r.disposal.clone()).sum::<Q>();
        let removals = sum(&|r| r.removals.clone());
        let loans = last.loans();
        let mut metrics = stock_metrics(last);
        metrics.push(("formation", Metric::amount(formation)));
        metrics.push(("disposal", Metric::amount(disposal.clone())));
        metrics.push(("disposal_plan", Metric::amount(plan.clone())));
        metrics.push(("disposal_shortfall", Metric::amount(v.shortfalls[y].clone())));
        metrics.push(("disposal_h1", Metric::amount(h1.clone())));
        metrics.push(("h1_share", Metric::ratio(&h1, &plan)));
        metrics.push(("write_off_share", Metric::ratio(&channels[WRITE_OFF], &disposal)));
        metrics.push(("cash_recovered", Metric::amount(sum(&|r| r.cash.clone()))));
        metrics.push(("assets_received", Metric::amount(sum(&|r| r.assets.clone()))));
        metrics.push(("losses", Metric::amount(sum(&|r| r.losses.clone()))));
        metrics.push(("provision_charge", Metric::amount(sum(&|r| r.provision_charge.clone()))));
        metrics.push(("npl_change", Metric::amount(&last.npl - &v.npl_open[y])));
        metrics.push(("adjusted_npl_ratio", Metric::ratio(&(&last.npl + &removals), &(&loans + &removals))));
        match &last.capital {
            Some((k, e)) => {
                metrics.push(("tier1_capital", Metric::amount(k.clone())));
                metrics.push(("leverage_ratio", Metric::leverage(k, e)));
            }
            None => {
                metrics.push(("tier1_capital", Metric::null()));
                metrics.push(("leverage_ratio", Metric::null()));
            }
        }
        match (&v.amc, region) {
            (Some((amc_months, openings)), true) => {
                let out: Q = amc_months[12 * y..12 * y + 12].iter().map(|(_, o)| o.clone()).sum();
                metrics.push(("amc_stock", Metric::amount(amc_months[12 * y + 11].0.clone())));
                metrics.push(("amc_disposal", Metric::amount(out.clone())));
                metrics.push(("amc_disposal_share", Metric::ratio(&out, &openings[y])));
            }
            _ => {
                metrics.push(("amc_stock", Metric::null()));
                metrics.push(("amc_disposal", Metric::null()));
                metrics.push(("amc_disposal_share", Metric::null()));
            }
        }
        year_ends.push(Entry {
            label: (s.first_year() + y as i32).to_string(),
            metrics,
            channels,
            actual: None,
        });
    }
    Series { monthly, year_ends }
}

/// The zones in order of first appearance, each with its members.
pub fn zones(s: &Scenario) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, inst) in s.institutions.iter().enumerate() {
        if let Some(z) = &inst.zone {
            match out.iter_mut().find(|(name, _)| name == z) {
                Some((_, members)) => members.push(i),
                None => out.push((z.clone(), vec![i])),
            }
        }
    }
    out
}

/// The series of the region, each zone and each institution of a run.
fn all_series(s: &Scenario, run: &Run) -> (Series, Named, Named) {
    let everyone: Vec<usize> = (0..s.institutions.len()).collect();
    let region = series(s, &view(run, &everyone, true), true);
    let zone_series = zones(s)
        .into_iter()
        .map(|(name, members)| (name, series(s, &view(run, &members, false), false)))
        .collect();
    let institutions = s
        .institutions
        .iter()
        .enumerate()
        .map(|(i, inst)| (inst.id.clone(), series(s, &view(run, &[i], false), false)))
        .collect();
    (region, zone_series, institutions)
}

/// The 8-place comparison of section 2: `actual` rounded half-even to 8 places against `value`; null never meets.
pub fn meets(actual: Option<&Q>, ge: bool, value: &Q) -> bool {
    match actual {
        None => false,
        Some(a) => {
            let rounded = round_half_even(a, 8);
            if ge { rounded >= *value } else { rounded <= *value }
        }
    }
}

/// `actual − value` for `ge`, `value − actual` for `le`, with the unrounded actual.
pub fn margin(actual: Option<&Q>, ge: bool, value: &Q) -> Option<Q> {
    actual.map(|a| if ge { a - value } else { value - a })
}

/// How close a target's actual lies to flipping `met`: the distance to the nearest 8-place
/// rounding midpoint, or to the value itself when the rounded actual equals it.
pub fn met_boundary_distance(actual: &Q, value: &Q) -> Q {
    let to_midpoint = distance_to_rounding_midpoint(actual, 8);
    let to_value = (actual - value).abs();
    if to_value < to_midpoint { to_value } else { to_midpoint }
}

fn targets(
    s: &Scenario,
    region: &Series,
    zones: &[(String, Series)],
    institutions: &[(String, Series)],
) -> Vec<TargetResult> {
    let lookup = |scope: &Scope| -> Option<&Series> {
        match scope {
            Scope::Region => Some(region),
            Scope::Zone(z) => zones.iter().find(|(n, _)| n == z).map(|(_, s)| s),
            Scope::Institution(i) => institutions.iter().find(|(n, _)| n == i).map(|(_, s)| s),
        }
    };
    s.targets
        .iter()
        .map(|t| {
            let value = match &t.value {
                TargetValue::Decimal(v) => Some(v.clone()),
                TargetValue::NationalAverage => national_average(s, t.year),
            };
            let actual = lookup(&t.scope)
                .and_then(|series| series.year_ends.iter().find(|e| e.label == t.year.to_string()))
                .and_then(|e| e.get(&t.metric).cloned())
                .unwrap_or_else(Metric::null);
            let (met, margin) = match &value {
                Some(v) => (meets(actual.value.as_ref(), t.ge, v), margin(actual.value.as_ref(), t.ge, v)),
                None => (false, None),
            };
            TargetResult {
                id: t.id.clone(),
                metric: t.metric.clone(),
                value,
                actual,
                met,
                margin,
                planned: None,
            }
        })
        .collect()
}

/// Runs the scenario and derives every output of sections 2, 4 and 9.
pub fn project(s: &Scenario, tolerance: &Q) -> Result<Projection, Failure> {
    let run = simulate(s, tolerance)?;
    let (region, zone_series, institutions) = all_series(s, &run);
    let mut target_results = targets(s, &region, &zone_series, &institutions);
    let as_of = s.as_of();
    let mut tracking = None;
    let mut plan_failed = false;
    if as_of > 0 {
        match simulate(&s.without_actuals(), tolerance) {
            Ok(plan_run) => {
                let (p_region, p_zones, p_insts) = all_series(s, &plan_run);
                let planned = targets(s, &p_region, &p_zones, &p_insts);
                for (t, p) in target_results.iter_mut().zip(planned) {
                    t.planned = Some(p.actual);
                }
                tracking = Some(track(s, &run, &plan_run));
            }
            Err(_) => plan_failed = true,
        }
    }
    Ok(Projection {
        months: (1..=s.months()).map(|m| s.month_label(m)).collect(),
        as_of: (as_of > 0).then(|| s.month_label(as_of)),
        region,
        zones: zone_series,
        institutions,
        targets: target_results,
        tracking,
        plan_failed,
        run,
    })
}

/// Section 9's tracking block for the as-of year.
fn track(s: &Scenario, run: &Run, plan: &Run) -> Tracking {
    let a = s.as_of();
    let y = (a - 1) / 12;
    let k_a = (a - 1) % 12 + 1;
    let progress = |members: &[usize]| -> Progress {
        let mut plan_total = int(0);
        let mut to_date = int(0);
        let mut scheduled = int(0);
        let mut remaining = int(0);
        let (mut npl, mut loans, mut deposits) = (int(0), int(0), int(0));
        let (mut p_npl, mut p_loans, mut p_deposits) = (int(0), int(0), int(0));
        for &i in members {
            let inst = &run.institutions[i];
            let pacing = resolve(s, i).pacing;
            plan_total += &inst.plans[y];
            for m in 12 * y + 1..=a {
                to_date += &inst.records[m - 1].disposal;
                scheduled += &inst.plans[y] * &pacing[(m - 1) % 12];
            }
            remaining += inst.remaining.clone().unwrap_or_default();
            let at = &inst.records[a - 1];
            let p_at = &plan.institutions[i].records[a - 1];
            npl += &at.npl;
            loans += at.loans();
            deposits += &at.deposits;
            p_npl += &p_at.npl;
            p_loans += p_at.loans();
            p_deposits += &p_at.deposits;
        }
        let ratio_now = ratio(&npl, &loans);
        let ratio_plan = ratio(&p_npl, &p_loans);
        let ratio_vs = match (&ratio_now, &ratio_plan) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        };
        // A difference of two ratios: its conditioning is the smaller of the two denominators.
        let ratio_den = if loans.abs() < p_loans.abs() { loans.clone() } else { p_loans.clone() };
        let fields = vec![
            ("disposal_plan", Metric::amount(plan_total.clone())),
            ("disposal_to_date", Metric::amount(to_date.clone())),
            ("scheduled_to_date", Metric::amount(scheduled.clone())),
            ("completion", Metric::ratio(&to_date, &plan_total)),
            ("behind", Metric::amount(&scheduled - &to_date)),
            (
                "required_monthly",
                if k_a == 12 { Metric::null() } else { Metric::amount(&remaining / int((12 - k_a) as i64)) },
            ),
            ("npl_vs_plan", Metric::amount(&npl - &p_npl)),
            ("loans_vs_plan", Metric::amount(&loans - &p_loans)),
            ("deposits_vs_plan", Metric::amount(&deposits - &p_deposits)),
            ("npl_ratio_vs_plan", Metric { value: ratio_vs, denominator: Some(ratio_den) }),
        ];
        Progress { year: s.first_year() + y as i32, as_of: s.month_label(a), fields }
    };
    let everyone: Vec<usize> = (0..s.institutions.len()).collect();
    Tracking {
        region: progress(&everyone),
        zones: zones(s).into_iter().map(|(name, members)| (name, progress(&members))).collect(),
        institutions: s
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| (inst.id.clone(), progress(&[i])))
            .collect(),
    }
}

/// Whether a value is zero (for callers that only have the trait in scope elsewhere).
pub fn is_zero(q: &Q) -> bool {
    q.is_zero()
}
