//! One analysis run, read straight from the run's records: only what its targets and metrics need.
//!
//! A projection derives every metric of every entity; an analysis reads a handful a thousand
//! times. [`Probe`] works out once which quantities the run must compute ([`Needs`]) and which
//! region sums it must add ([`Fields`], per month), then after each run derives just those,
//! through the same definitions as the projection ([`View::year_sums`], [`MonthlyMetric::read`]),
//! so every value is the projection's to the last digit. Nothing is allocated per run.

use rust_decimal::Decimal;

use crate::engine::{Fields, MonthRecord, Needs, Plan, RecordSum, Run};
use crate::error::SimError;
use crate::output::{Entity, MonthlyMetric, View, YearMetric, YearSums};
use crate::scenario::{Scenario, Scope};
use crate::sum::exact_sum;
use crate::targets;

/// Where a target reads its value.
#[derive(Clone, Copy, Debug)]
struct Read {
    /// Index into the scenario's targets.
    target: usize,
    scope: Where,
    /// Year index (targets outside the horizon read nothing for the region, as in a projection).
    year: usize,
    metric: Option<YearMetric>,
}

/// The entity a target reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Where {
    Region,
    /// An index into [`Probe::zones`].
    Zone(usize),
    /// The institution's index.
    Institution(usize),
    /// A scope the scenario does not have (reads nothing, as in a projection).
    Unknown,
}

/// Runs plans and reads whether each chosen target is met, one year-end region metric, and
/// monthly region metrics.
#[derive(Debug)]
pub(super) struct Probe {
    reads: Vec<Read>,
    /// The institutions of each zone a target reads, in file order.
    zones: Vec<Vec<usize>>,
    /// A year-end region metric and its year index.
    metric: Option<(YearMetric, usize)>,
    monthly: Vec<MonthlyMetric>,
    needs: Needs,
    /// The region fields each month must sum (when there is more than one institution).
    month_fields: Vec<Fields>,
    /// For each year the region is read in, the flows its reads sum.
    year_flows: Vec<Option<Fields>>,
    /// Whether any region year is read (its plan totals and opening NPL are then summed).
    region_years_read: bool,
    run: Run,
    /// Scratch: the region's sums, its plan totals, and its year sums by year.
    region: Vec<MonthRecord>,
    plans: Vec<Decimal>,
    npl_open: Vec<Decimal>,
    /// The region's summed shortfalls in years with reported months (`View::reported_shortfalls`).
    reported_shortfalls: Vec<Decimal>,
    region_years: Vec<Option<YearSums>>,
    /// After [`Probe::evaluate`]: whether each chosen target is met.
    pub(super) met: Vec<bool>,
    /// After [`Probe::evaluate`]: the year-end region metric.
    pub(super) value: Option<Decimal>,
    /// After [`Probe::evaluate`]: `monthly_values[m * monthly.len() + k]` is metric `k` in month `m`.
    pub(super) monthly_values: Vec<Option<Decimal>>,
}

impl Probe {
    /// A probe of `targets` (indices into the scenario's), one year-end region `metric`
    /// (with its year index) and the `monthly` region metrics.
    pub(super) fn new(
        scenario: &Scenario,
        targets: Vec<usize>,
        metric: Option<(YearMetric, usize)>,
        monthly: Vec<MonthlyMetric>,
    ) -> Probe {
        let months = scenario.months();
        let years = usize::try_from(scenario.years).unwrap_or(1);
        let first_year = scenario.first_year();
        let mut zones: Vec<Vec<usize>> = Vec::new();
        let mut zone_names: Vec<&str> = Vec::new();
        let reads: Vec<Read> = targets
            .iter()
            .filter_map(|&t| scenario.targets.get(t).map(|target| (t, target)))
            .map(|(t, target)| Read {
                target: t,
                scope: match &target.scope {
                    Scope::Region => Where::Region,
                    Scope::Zone(zone) => {
                        if let Some(z) = zone_names.iter().position(|name| name == zone) {
                            Where::Zone(z)
                        } else {
                            let members = scenario.zone_members(zone);
                            if members.is_empty() {
                                Where::Unknown
                            } else {
                                zone_names.push(zone);
                                let z = zones.len();
                                zones.push(members);
                                Where::Zone(z)
                            }
                        }
                    }
                    Scope::Institution(id) => scenario
                        .institutions
                        .iter()
                        .position(|inst| &inst.id == id)
                        .map_or(Where::Unknown, Where::Institution),
                },
                year: usize::try_from(target.year.saturating_sub(first_year)).unwrap_or(0),
                metric: YearMetric::parse(&target.metric),
            })
            .collect();
        let mut needs = Needs::CORE;
        let mut month_fields = vec![Fields::NONE; months];
        let mut year_flows: Vec<Option<Fields>> = vec![None; years];
        let mut region_years_read = false;
        let mut read_region_year = |y: usize, m: YearMetric, month_fields: &mut Vec<Fields>| {
            if let Some(flows) = year_flows.get_mut(y) {
                *flows = Some(flows.unwrap_or(Fields::NONE).with(m.flows()));
                region_years_read = true;
                for (k, fields) in month_fields.iter_mut().skip(y.saturating_mul(12)).take(12).enumerate() {
                    *fields = fields.with(m.flows());
                    if k == 11 {
                        *fields = fields.with(m.last_fields());
                    }
                }
            }
        };
        for read in &reads {
            if let Some(m) = read.metric {
                needs = needs.union(m.needs());
                if read.scope == Where::Region {
                    read_region_year(read.year, m, &mut month_fields);
                }
            }
        }
        if let Some((m, y)) = metric {
            needs = needs.union(m.needs());
            read_region_year(y, m, &mut month_fields);
        }
        let mut monthly_fields = Fields::NONE;
        for m in &monthly {
            needs = needs.union(m.needs());
            monthly_fields = monthly_fields.with(m.fields());
        }
        for fields in &mut month_fields {
            *fields = fields.with(monthly_fields);
        }
        Probe {
            met: Vec::with_capacity(reads.len()),
            reads,
            zones,
            metric,
            monthly_values: Vec::with_capacity(months.saturating_mul(monthly.len())),
            monthly,
            needs,
            month_fields,
            year_flows,
            region_years_read,
            run: Run::default(),
            region: Vec::new(),
            plans: Vec::new(),
            npl_open: Vec::new(),
            reported_shortfalls: Vec::new(),
            region_years: vec![None; years],
            value: None,
        }
    }

    /// Whether every chosen target is met after the last [`Probe::evaluate`].
    pub(super) fn all_met(&self) -> bool {
        self.met.iter().all(|m| *m)
    }

    /// Runs `plan` and reads the targets and metrics (into `met`, `value`, `monthly_values`).
    ///
    /// Errors: the run's (a negative stock), or an overflow while summing the region.
    pub(super) fn evaluate(&mut self, scenario: &Scenario, plan: &Plan) -> Result<(), SimError> {
        self.run.execute_with(plan, self.needs)?;
        let Probe {
            run,
            region,
            plans,
            npl_open,
            reported_shortfalls,
            region_years,
            month_fields,
            year_flows,
            ..
        } = self;
        let n = plan.institutions.len();
        let amc = plan.amc.as_ref().filter(|_| self.needs.amc).map(|_| run.amc.as_slice());
        // The region: one institution's records are their own sum (adding to zero is exact);
        // otherwise the fields read are summed month by month, like `Entity::sum`.
        let view = if n == 1 {
            View { amc, ..View::single(plan, run, 0) }
        } else {
            sum_region(plan, run, month_fields, self.region_years_read, region, plans, npl_open)?;
            // Only a scenario with actuals has years whose shortfall is summed so (section 9).
            crate::output::sum_reported_shortfalls(plan, run, 0..n, reported_shortfalls)?;
            View {
                records: region,
                plans,
                npl_open,
                capital: region_capital(plan),
                amc,
                idle: Fields::NONE,
                as_of: plan.as_of,
                reported_shortfalls: Some(reported_shortfalls),
            }
        };
        for (y, (slot, flows)) in region_years.iter_mut().zip(year_flows.iter()).enumerate() {
            *slot = flows.map(|flows| view.year_sums(y, flows));
        }
        self.met.clear();
        for read in &self.reads {
            let actual = match (read.scope, read.metric) {
                (Where::Region, Some(m)) => {
                    region_years.get(read.year).copied().flatten().and_then(|s| s.get(m))
                }
                (Where::Institution(i), Some(m)) => {
                    View::single(plan, run, i).year_sums(read.year, m.flows()).get(m)
                }
                // A zone is summed as the projection sums it (year-end fields only).
                (Where::Zone(z), Some(m)) => match self.zones.get(z) {
                    Some(members) => Entity::sum(plan, run, members, false)?
                        .view(None)
                        .year_sums(read.year, m.flows())
                        .get(m),
                    None => None,
                },
                _ => None,
            };
            let met = scenario.targets.get(read.target).is_some_and(|t| targets::check(t, actual).0);
            self.met.push(met);
        }
        self.value = self.metric.and_then(|(m, y)| region_years.get(y).copied().flatten()?.get(m));
        self.monthly_values.clear();
        if !self.monthly.is_empty() {
            for (m, record) in view.records.iter().enumerate() {
                for metric in &self.monthly {
                    self.monthly_values.push(metric.read(&view, m, record));
                }
            }
        }
        Ok(())
    }
}

/// Whether every institution models capital (the region's capital metrics exist).
fn region_capital(plan: &Plan) -> bool {
    !plan.institutions.is_empty() && plan.institutions.iter().all(|inst| inst.capital0.is_some())
}

/// Sums the region's `month_fields` into `region` (other fields stay zero) and, when
/// `years_read`, its plan totals and opening NPL, exactly as `Entity::sum` does
/// (each field an exact sum, rounded once).
fn sum_region(
    plan: &Plan,
    run: &Run,
    month_fields: &[Fields],
    years_read: bool,
    region: &mut Vec<MonthRecord>,
    plans: &mut Vec<Decimal>,
    npl_open: &mut Vec<Decimal>,
) -> Result<(), SimError> {
    let overflow = |i: usize| SimError::Overflow {
        institution: plan.institutions.get(i).map(|inst| inst.id.clone()).unwrap_or_default(),
        month: String::new(),
        step: "aggregation",
    };
    region.clear();
    let mut sum = RecordSum::new();
    for &fields in month_fields.iter().take(plan.months) {
        if fields != Fields::NONE {
            for i in 0..plan.institutions.len() {
                if let Some(record) = run.institution(i).get(region.len()) {
                    sum.add(record, fields).map_err(|_| overflow(i))?;
                }
            }
        }
        region.push(sum.take(fields).map_err(|_| overflow(0))?);
    }
    region.resize(plan.months, MonthRecord::default());
    plans.clear();
    npl_open.clear();
    for y in 0..plan.years {
        if years_read {
            let n = plan.institutions.len();
            plans.push(exact_sum((0..n).map(|i| run.plan_of(i, y))).ok_or_else(|| overflow(0))?);
            npl_open.push(exact_sum((0..n).map(|i| run.npl_open_of(i, y))).ok_or_else(|| overflow(0))?);
        } else {
            plans.push(Decimal::ZERO);
            npl_open.push(Decimal::ZERO);
        }
    }
    Ok(())
}
