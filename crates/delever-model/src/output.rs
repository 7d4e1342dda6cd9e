//! Outputs (MODEL.md section 4): monthly and year-end metrics per institution, zone and region, and their JSON form.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::engine::{AmcMonth, Fields, MonthRecord, Needs, Plan, RecordSum, Run};
use crate::error::SimError;
use crate::num::{decimal_json, fmt_decimal, ratio};
use crate::scenario::{CHANNELS, ReportedDisposal, Scenario, channel};
use crate::sum::{ExactSum, exact_sum};
use crate::targets::{self, TargetResult, Warning};

/// Stocks and flows of one month for one entity; the ratios are computed when asked for
/// (a 50-institution projection has ~14,000 of them and a slider move needs a handful).
#[derive(Clone, Debug, PartialEq)]
pub struct MonthMetrics {
    pub month: String,
    pub deposits: Decimal,
    pub loans: Decimal,
    pub performing: Decimal,
    pub npl: Decimal,
    pub provisions: Decimal,
    /// `None` when capital is not modelled (for a zone or the region: unless every member models it).
    pub tier1_capital: Option<Decimal>,
    pub leverage_exposure: Option<Decimal>,
    pub amc_stock: Option<Decimal>,
    pub formation: Decimal,
    pub disposal_plan: Decimal,
    pub disposal: Decimal,
    pub disposal_shortfall: Decimal,
    pub disposal_by_channel: [Decimal; 7],
    pub cash_recovered: Decimal,
    pub assets_received: Decimal,
    pub losses: Decimal,
    pub provision_charge: Decimal,
    pub new_lending: Decimal,
    /// Whether the month is reported (section 9), not projected.
    pub actual: bool,
}

impl MonthMetrics {
    /// 不良贷款率 `npl / loans`.
    pub fn npl_ratio(&self) -> Option<Decimal> {
        ratio(self.npl, self.loans)
    }

    /// 拨备覆盖率 `provisions / npl`.
    pub fn coverage(&self) -> Option<Decimal> {
        ratio(self.provisions, self.npl)
    }

    /// 拨贷比 `provisions / loans`.
    pub fn allowance_ratio(&self) -> Option<Decimal> {
        ratio(self.provisions, self.loans)
    }

    /// 存贷比 `loans / deposits`.
    pub fn ldr(&self) -> Option<Decimal> {
        ratio(self.loans, self.deposits)
    }

    /// `K / E`, null where capital is not modelled or `E ≤ 0`.
    pub fn leverage_ratio(&self) -> Option<Decimal> {
        leverage(self.tier1_capital?, self.leverage_exposure?)
    }

    /// A monthly metric by its name (see [`crate::metrics::MONTHLY`]); `None` if null or unknown.
    pub fn get(&self, metric: &str) -> Option<Decimal> {
        MonthlyMetric::parse(metric)?.of(self)
    }

    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("month".into(), Value::String(self.month.clone()));
        for name in crate::metrics::MONTHLY {
            map.insert(name.into(), decimal_json(self.get(name)));
        }
        map.insert("disposal_by_channel".into(), channels_json(&self.disposal_by_channel));
        map.insert("actual".into(), Value::Bool(self.actual));
        Value::Object(map)
    }
}

/// Every year-end metric of MODEL.md section 4 for one entity and year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearEnd {
    pub year: i32,
    pub deposits: Decimal,
    pub loans: Decimal,
    pub performing: Decimal,
    pub npl: Decimal,
    pub provisions: Decimal,
    pub npl_ratio: Option<Decimal>,
    pub coverage: Option<Decimal>,
    pub allowance_ratio: Option<Decimal>,
    pub ldr: Option<Decimal>,
    pub formation: Decimal,
    pub disposal: Decimal,
    pub disposal_by_channel: [Decimal; 7],
    pub disposal_plan: Decimal,
    pub disposal_shortfall: Decimal,
    pub disposal_h1: Decimal,
    pub h1_share: Option<Decimal>,
    pub write_off_share: Option<Decimal>,
    pub cash_recovered: Decimal,
    pub assets_received: Decimal,
    pub losses: Decimal,
    pub provision_charge: Decimal,
    pub npl_change: Decimal,
    pub adjusted_npl_ratio: Option<Decimal>,
    pub tier1_capital: Option<Decimal>,
    pub leverage_ratio: Option<Decimal>,
    pub amc_stock: Option<Decimal>,
    pub amc_disposal: Option<Decimal>,
    pub amc_disposal_share: Option<Decimal>,
}

impl YearEnd {
    /// A scalar year-end metric by name (see [`crate::metrics::YEAR_END_SCALARS`]); `None` if null or unknown.
    pub fn get(&self, metric: &str) -> Option<Decimal> {
        Some(match metric {
            "deposits" => self.deposits,
            "loans" => self.loans,
            "performing" => self.performing,
            "npl" => self.npl,
            "provisions" => self.provisions,
            "npl_ratio" => return self.npl_ratio,
            "coverage" => return self.coverage,
            "allowance_ratio" => return self.allowance_ratio,
            "ldr" => return self.ldr,
            "formation" => self.formation,
            "disposal" => self.disposal,
            "disposal_plan" => self.disposal_plan,
            "disposal_shortfall" => self.disposal_shortfall,
            "disposal_h1" => self.disposal_h1,
            "h1_share" => return self.h1_share,
            "write_off_share" => return self.write_off_share,
            "cash_recovered" => self.cash_recovered,
            "assets_received" => self.assets_received,
            "losses" => self.losses,
            "provision_charge" => self.provision_charge,
            "npl_change" => self.npl_change,
            "adjusted_npl_ratio" => return self.adjusted_npl_ratio,
            "tier1_capital" => return self.tier1_capital,
            "leverage_ratio" => return self.leverage_ratio,
            "amc_stock" => return self.amc_stock,
            "amc_disposal" => return self.amc_disposal,
            "amc_disposal_share" => return self.amc_disposal_share,
            _ => return None,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("year".into(), json!(self.year));
        for name in crate::metrics::YEAR_END_SCALARS {
            map.insert(name.into(), decimal_json(self.get(name)));
            if name == "disposal" {
                map.insert("disposal_by_channel".into(), channels_json(&self.disposal_by_channel));
            }
        }
        Value::Object(map)
    }
}

/// The leverage ratio `K / E`; null where `E ≤ 0`.
fn leverage(tier1_capital: Decimal, exposure: Decimal) -> Option<Decimal> {
    if exposure > Decimal::ZERO { tier1_capital.checked_div(exposure) } else { None }
}

fn channels_json(flows: &[Decimal; 7]) -> Value {
    let mut map = Map::new();
    for (name, flow) in CHANNELS.iter().zip(flows) {
        map.insert((*name).to_string(), Value::String(fmt_decimal(*flow)));
    }
    Value::Object(map)
}

/// Monthly and year-end metrics of one entity (an institution, a zone or the region).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub monthly: Vec<MonthMetrics>,
    pub year_ends: Vec<YearEnd>,
}

impl Series {
    pub fn to_json(&self) -> Value {
        json!({
            "monthly": self.monthly.iter().map(MonthMetrics::to_json).collect::<Vec<_>>(),
            "year_ends": self.year_ends.iter().map(YearEnd::to_json).collect::<Vec<_>>(),
        })
    }

    /// The year-end entry of calendar `year`.
    pub fn year(&self, year: i32) -> Option<&YearEnd> {
        self.year_ends.iter().find(|y| y.year == year)
    }
}

/// The whole projection: what `simulate --format json` prints.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    pub scenario: String,
    pub months: Vec<String>,
    pub region: Series,
    /// Zones in order of first appearance.
    pub zones: Vec<(String, Series)>,
    /// Institutions in file order.
    pub institutions: Vec<(String, Series)>,
    pub targets: Vec<TargetResult>,
    pub warnings: Vec<Warning>,
    /// The scenario's assessment scored (MODEL.md section 10), when it has one.
    pub assessment: Option<crate::division::Scores>,
    /// The last reported month (`YYYY-MM`), when the scenario has actuals (section 9).
    pub as_of: Option<String>,
    /// With actuals: the as-of year's progress against the plan (section 9).
    pub tracking: Option<crate::tracking::Tracking>,
    /// With actuals: the plan's region series (the same scenario without its actuals, section 9),
    /// for the charts that draw the plan beside the reported months and the re-forecast.
    /// Not part of the JSON output.
    pub plan: Option<Series>,
}

/// One entity's raw monthly records and yearly plan totals, from which every metric is derived:
/// an institution's own (borrowed from the run) or a zone's or the region's sums.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    pub records: &'a [MonthRecord],
    /// `A_y` per year.
    pub plans: &'a [Decimal],
    /// `N_y0` per year.
    pub npl_open: &'a [Decimal],
    /// Whether capital is modelled (for a sum: by every member).
    pub capital: bool,
    /// The AMC's months (the region only).
    pub amc: Option<&'a [AmcMonth]>,
    /// Channels whose flow is `Decimal::ZERO` in every record (their sums are that zero).
    pub idle: Fields,
    /// The as-of month: months `1 … as_of` are reported (section 9).
    pub as_of: usize,
    /// For a sum of institutions, per year: the sum of the members' own `disposal_shortfall`
    /// in the years with reported months (section 9's `max(0, A_y − disposal)` is each
    /// institution's; a zone's or the region's is their sum, as every amount is, so one
    /// bank's surplus does not hide another's shortfall). `None` for one institution.
    pub reported_shortfalls: Option<&'a [Decimal]>,
}

/// The sums behind a zone's or the region's metrics.
pub(crate) struct Entity {
    pub records: Vec<MonthRecord>,
    pub plans: Vec<Decimal>,
    pub npl_open: Vec<Decimal>,
    pub capital: bool,
    /// The channels no member can use.
    pub idle: Fields,
    pub as_of: usize,
    /// [`View::reported_shortfalls`].
    pub reported_shortfalls: Vec<Decimal>,
}

/// An aggregation's overflow, named by the institution whose record it was adding.
pub(crate) fn overflow(plan: &Plan, institution: Option<usize>, step: &'static str) -> SimError {
    SimError::Overflow {
        institution: institution
            .and_then(|i| plan.institutions.get(i))
            .map(|inst| inst.id.clone())
            .unwrap_or_default(),
        month: String::new(),
        step,
    }
}

/// A member's amount in a year: `(institution, year) → amount`.
pub(crate) type PerYear<'a> = &'a dyn Fn(usize, usize) -> Decimal;

/// How a zone's and the region's months are summed: the groups each institution's record is
/// added to (each zone's members in file order, then the institutions in no zone), the order
/// in which the region merges the groups' sums (of their last members), and the fields.
pub(crate) struct Groups {
    pub groups: Vec<Vec<usize>>,
    pub order: Vec<usize>,
    /// Every institution, in file order.
    pub all: Vec<usize>,
    /// The fields a group sums: all but the channels no institution can use.
    pub every: Fields,
    /// Per zone, what its months keep of its sum.
    pub zone_fields: Vec<ZoneFields>,
}

/// The fields a zone's month keeps: every field but its idle channels when its months are
/// shown or at a year's end, else only the year's flows.
#[derive(Clone, Copy)]
pub(crate) struct ZoneFields {
    pub idle: Fields,
    monthly: bool,
}

impl ZoneFields {
    pub(crate) fn at(self, m: usize) -> Fields {
        if self.monthly || m % 12 == 11 {
            Fields::ALL.without(self.idle)
        } else {
            YEAR_FLOWS.without(self.idle)
        }
    }
}

impl Groups {
    pub(crate) fn of(plan: &Plan, zones: &[Vec<usize>], monthly: bool) -> Groups {
        let n = plan.institutions.len();
        let mut zoned = vec![false; n];
        for &i in zones.iter().flatten() {
            if let Some(slot) = zoned.get_mut(i) {
                *slot = true;
            }
        }
        let unzoned: Vec<usize> = (0..n).filter(|&i| !zoned.get(i).copied().unwrap_or(true)).collect();
        let mut groups: Vec<Vec<usize>> = zones.to_vec();
        groups.push(unzoned);
        let mut order: Vec<usize> =
            (0..groups.len()).filter(|&g| groups.get(g).is_some_and(|m| !m.is_empty())).collect();
        order.sort_by_key(|&g| groups.get(g).and_then(|m| m.last()).copied());
        let all: Vec<usize> = (0..n).collect();
        let every = Fields::ALL.without(idle_channels(plan, &all));
        let zone_fields =
            zones.iter().map(|members| ZoneFields { idle: idle_channels(plan, members), monthly }).collect();
        Groups { groups, order, all, every, zone_fields }
    }
}

impl Entity {
    /// Sums the institutions `members` of `run`, field by field, each sum exact and rounded once
    /// ([`crate::sum`]): every field of every month when `monthly`, else only what the year-ends
    /// read (the flows every month, the stocks at each year's last month; the other fields stay
    /// zero).
    ///
    /// A channel that no member's plan can use (a zero share, not the residual channel) is not
    /// summed: step 5 leaves its flow at `Decimal::ZERO` every month, and zeros sum to exactly
    /// that. Measured on a 500 × 10 page move (callgrind): summed by `checked_add` one member at
    /// a time, the zones' and the region's sums were 46% of the instructions.
    pub(crate) fn sum(plan: &Plan, run: &Run, members: &[usize], monthly: bool) -> Result<Entity, SimError> {
        let idle = idle_channels(plan, members);
        let every = Fields::ALL.without(idle);
        let flows = YEAR_FLOWS.without(idle);
        let mut sum = RecordSum::new();
        let mut records = Vec::with_capacity(plan.months);
        for m in 0..plan.months {
            let fields = if monthly || m % 12 == 11 { every } else { flows };
            for &i in members {
                if let Some(record) = run.institution(i).get(m) {
                    sum.add(record, fields).map_err(|o| overflow(plan, Some(i), o.0))?;
                }
            }
            records.push(sum.take(fields).map_err(|o| overflow(plan, members.first().copied(), o.0))?);
        }
        Entity::of_records(plan, run, members, records, idle)
    }

    /// The region (every field of every month) and each of `zones` (its members, in file
    /// order; every field monthly when `monthly`, else as [`Entity::sum`] does): each
    /// institution's record is added once, to its zone's sum (or to the sum of the
    /// institutions in no zone), and the region's month is those sums merged, in the order of
    /// their last members ([`RecordSum::merge`]): exactly the region that [`Entity::sum`]
    /// gives over every institution in file order, bit for bit, with 23 additions per
    /// institution-month instead of about 38.
    pub(crate) fn region_and_zones(
        plan: &Plan,
        run: &Run,
        zones: &[Vec<usize>],
        monthly: bool,
    ) -> Result<(Entity, Vec<Entity>), SimError> {
        let Groups { groups, order, all, every, zone_fields } = Groups::of(plan, zones, monthly);
        let idle = Fields::ALL.without(every);
        let mut sums: Vec<RecordSum> = vec![RecordSum::new(); groups.len()];
        let mut region = RecordSum::new();
        let mut records = Vec::with_capacity(plan.months);
        let mut zone_records: Vec<Vec<MonthRecord>> =
            zones.iter().map(|_| Vec::with_capacity(plan.months)).collect();
        for m in 0..plan.months {
            for (sum, members) in sums.iter_mut().zip(&groups) {
                for &i in members {
                    if let Some(record) = run.institution(i).get(m) {
                        sum.add(record, every).map_err(|o| overflow(plan, Some(i), o.0))?;
                    }
                }
            }
            for &g in &order {
                if let Some(sum) = sums.get(g) {
                    region.merge(sum, every).map_err(|o| overflow(plan, None, o.0))?;
                }
            }
            records.push(region.take(every).map_err(|o| overflow(plan, None, o.0))?);
            for ((sum, out), fields) in sums.iter_mut().zip(zone_records.iter_mut()).zip(&zone_fields) {
                out.push(sum.take(fields.at(m)).map_err(|o| overflow(plan, None, o.0))?);
            }
            // The institutions in no zone: summed into the region only.
            if let Some(rest) = sums.last_mut() {
                rest.take(Fields::NONE).map_err(|o| overflow(plan, None, o.0))?;
            }
        }
        let region = Entity::of_records(plan, run, &all, records, idle)?;
        let zones = zones
            .iter()
            .zip(zone_records)
            .zip(&zone_fields)
            .map(|((members, records), fields)| Entity::of_records(plan, run, members, records, fields.idle))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((region, zones))
    }

    /// The entity of `members` whose months are `records`: its plan totals, opening NPL and
    /// reported shortfalls summed over the members, exactly.
    fn of_records(
        plan: &Plan,
        run: &Run,
        members: &[usize],
        records: Vec<MonthRecord>,
        idle: Fields,
    ) -> Result<Entity, SimError> {
        let mut reported_shortfalls = Vec::new();
        sum_reported_shortfalls(plan, run, members.iter().copied(), &mut reported_shortfalls)?;
        let plan_of = |i, y| run.plan_of(i, y);
        let npl_open_of = |i, y| run.npl_open_of(i, y);
        Entity::of_totals(plan, members, records, idle, (&plan_of, &npl_open_of), reported_shortfalls)
    }

    /// The entity of `members` whose months are `records`, its plan totals and opening NPL
    /// summed exactly over the members' own, `of = (A_y of (i, y), N_y0 of (i, y))`.
    pub(crate) fn of_totals(
        plan: &Plan,
        members: &[usize],
        records: Vec<MonthRecord>,
        idle: Fields,
        of: (PerYear<'_>, PerYear<'_>),
        reported_shortfalls: Vec<Decimal>,
    ) -> Result<Entity, SimError> {
        let capital =
            members.iter().all(|&i| plan.institutions.get(i).is_some_and(|inst| inst.capital0.is_some()));
        let mut plans = Vec::with_capacity(plan.years);
        let mut npl_open = Vec::with_capacity(plan.years);
        for y in 0..plan.years {
            let total = |of: &dyn Fn(usize, usize) -> Decimal| {
                exact_sum(members.iter().map(|&i| of(i, y)))
                    .ok_or_else(|| overflow(plan, members.first().copied(), "aggregation"))
            };
            plans.push(total(of.0)?);
            npl_open.push(total(of.1)?);
        }
        Ok(Entity {
            records,
            plans,
            npl_open,
            capital: capital && !members.is_empty(),
            idle,
            as_of: plan.as_of,
            reported_shortfalls,
        })
    }

    pub(crate) fn view<'a>(&'a self, amc: Option<&'a [AmcMonth]>) -> View<'a> {
        View {
            records: &self.records,
            plans: &self.plans,
            npl_open: &self.npl_open,
            capital: self.capital,
            amc,
            idle: self.idle,
            as_of: self.as_of,
            reported_shortfalls: Some(&self.reported_shortfalls),
        }
    }
}

/// Into `sums`, per year with reported months (none without actuals), the sum over `members`
/// in their order of each one's own `disposal_shortfall` ([`View::reported_shortfalls`]).
pub(crate) fn sum_reported_shortfalls(
    plan: &Plan,
    run: &Run,
    members: impl IntoIterator<Item = usize>,
    sums: &mut Vec<Decimal>,
) -> Result<(), SimError> {
    let years = plan.as_of.div_ceil(12).min(plan.years);
    let mut totals = vec![ExactSum::new(); years];
    let overflow =
        || SimError::Overflow { institution: String::new(), month: String::new(), step: "aggregation" };
    for i in members {
        let own = View::single(plan, run, i);
        for (y, total) in totals.iter_mut().enumerate() {
            total
                .add(own.year_sums(y, Fields::PLANNED.with(Fields::DISPOSAL)).shortfall)
                .ok_or_else(overflow)?;
        }
    }
    sums.clear();
    for total in &totals {
        sums.push(total.total().ok_or_else(overflow)?);
    }
    Ok(())
}

/// The fields whose sums over a year's months the year-ends read ([`View::year_sums`]).
const YEAR_FLOWS: Fields = Fields::FORMATION
    .with(Fields::PLANNED)
    .with(Fields::DISPOSAL)
    .with(Fields::CHANNELS)
    .with(Fields::REMOVALS)
    .with(Fields::CASH)
    .with(Fields::ASSETS_RECEIVED)
    .with(Fields::LOSSES)
    .with(Fields::PROVISION_CHARGE);

/// The channels whose flow is `Decimal::ZERO` in every month of every one of `members`:
/// no share of the plan, and (in reported months, MODEL.md section 9) none reported, since a
/// bank may report a channel its plan does not use.
fn idle_channels(plan: &Plan, members: &[usize]) -> Fields {
    let mut idle = Fields::CHANNELS;
    for inst in members.iter().filter_map(|&i| plan.institutions.get(i)) {
        for (c, share) in inst.shares.iter().enumerate() {
            if c == inst.residual_channel || !share.is_zero() {
                idle = idle.without(Fields::channel(c));
            }
        }
        for reported in &inst.reported {
            if let ReportedDisposal::Channels(flows) = reported.disposal {
                for (c, flow) in flows.iter().enumerate() {
                    if !flow.is_zero() {
                        idle = idle.without(Fields::channel(c));
                    }
                }
            }
        }
    }
    idle
}

impl<'a> View<'a> {
    /// Institution `i`'s own records (summing one institution gives exactly these).
    pub(crate) fn single(plan: &Plan, run: &'a Run, i: usize) -> View<'a> {
        let years = i.saturating_mul(plan.years)..i.saturating_add(1).saturating_mul(plan.years);
        View {
            records: run.institution(i),
            plans: run.plans.get(years.clone()).unwrap_or(&[]),
            npl_open: run.npl_year_open.get(years).unwrap_or(&[]),
            capital: plan.institutions.get(i).is_some_and(|inst| inst.capital0.is_some()),
            amc: None,
            idle: idle_channels(plan, &[i]),
            as_of: plan.as_of,
            reported_shortfalls: None,
        }
    }

    /// The entity's series; its monthly metrics only when `monthly` (else empty).
    pub(crate) fn series(&self, plan: &Plan, first_year: i32, monthly: bool) -> Series {
        let monthly = if monthly {
            self.records
                .iter()
                .enumerate()
                .map(|(m, r)| self.month_metrics(plan.labels.get(m).cloned().unwrap_or_default(), m, r))
                .collect()
        } else {
            Vec::new()
        };
        let year_ends = (0..plan.years)
            .map(|y| {
                self.year_sums(y, Fields::ALL)
                    .year_end(first_year.saturating_add(i32::try_from(y).unwrap_or(0)))
            })
            .collect();
        Series { monthly, year_ends }
    }

    fn month_metrics(&self, month: String, m: usize, r: &MonthRecord) -> MonthMetrics {
        MonthMetrics {
            month,
            deposits: r.deposits,
            loans: r.loans,
            performing: r.performing,
            npl: r.npl,
            provisions: r.provisions,
            tier1_capital: self.capital.then_some(r.tier1_capital),
            leverage_exposure: self.capital.then_some(r.leverage_exposure),
            amc_stock: self.amc.and_then(|a| a.get(m)).map(|a| a.stock),
            formation: r.formation,
            disposal_plan: r.planned,
            disposal: r.disposal,
            disposal_shortfall: r.shortfall(),
            disposal_by_channel: r.channels,
            cash_recovered: r.cash,
            assets_received: r.assets_received,
            losses: r.losses,
            provision_charge: r.provision_charge,
            new_lending: r.new_lending,
            actual: m < self.as_of,
        }
    }

    /// The raw sums of year index `y` behind its year-end metrics; of the year's flows only
    /// those in `flows` are summed (the others stay zero).
    ///
    /// Each flow is the exact sum of its months, rounded once ([`crate::sum`]; an overflow,
    /// which validated amounts cannot reach, gives zero), one flow at a time: an analysis reads few of them, and a fold it does not ask
    /// for costs nothing (one pass over the months for all flows cost a Licheng Monte Carlo
    /// 33% more instructions here). An idle channel's sum is its zero without adding twelve zeros.
    pub(crate) fn year_sums(&self, y: usize, flows: Fields) -> YearSums {
        let start = y.saturating_mul(12);
        let months = self.records.get(start..start.saturating_add(12)).unwrap_or(&[]);
        let flows = flows.without(self.idle);
        let sum = |wanted: Fields, f: &dyn Fn(&MonthRecord) -> Decimal| {
            if !flows.has(wanted) {
                return Decimal::ZERO;
            }
            exact_sum(months.iter().map(f)).unwrap_or_default()
        };
        let mut by_channel = [Decimal::ZERO; 7];
        for (c, slot) in by_channel.iter_mut().enumerate() {
            *slot = sum(Fields::channel(c), &|r| r.channels.get(c).copied().unwrap_or_default());
        }
        let disposal_h1 = if flows.has(Fields::DISPOSAL) {
            exact_sum(months.iter().take(6).map(|r| r.disposal)).unwrap_or_default()
        } else {
            Decimal::ZERO
        };
        let amc = self.amc.map(|amc| {
            let year = amc.get(start..start.saturating_add(12)).unwrap_or(&[]);
            let out = exact_sum(year.iter().map(|a| a.disposal)).unwrap_or_default();
            let opening = year.first().map(|a| a.year_opening).unwrap_or_default();
            (year.last().map(|a| a.stock), out, opening)
        });
        YearSums {
            last: months.last().copied().unwrap_or_default(),
            formation: sum(Fields::FORMATION, &|r| r.formation),
            disposal: sum(Fields::DISPOSAL, &|r| r.disposal),
            by_channel,
            plan: self.plans.get(y).copied().unwrap_or_default(),
            // In a year with reported months, the year's unmet plan (section 9); else the
            // sum of the months' (step 4).
            shortfall: if start < self.as_of {
                if let Some(sums) = self.reported_shortfalls {
                    sums.get(y).copied().unwrap_or_default()
                } else if flows.has(Fields::DISPOSAL) {
                    let disposal = exact_sum(months.iter().map(|r| r.disposal)).unwrap_or_default();
                    let plan = self.plans.get(y).copied().unwrap_or_default();
                    plan.checked_sub(disposal).unwrap_or_default().max(Decimal::ZERO)
                } else {
                    Decimal::ZERO
                }
            } else {
                sum(Fields::PLANNED.with(Fields::DISPOSAL), &|r| r.shortfall())
            },
            disposal_h1,
            removals: sum(Fields::REMOVALS, &|r| r.removals),
            cash: sum(Fields::CASH, &|r| r.cash),
            assets_received: sum(Fields::ASSETS_RECEIVED, &|r| r.assets_received),
            losses: sum(Fields::LOSSES, &|r| r.losses),
            provision_charge: sum(Fields::PROVISION_CHARGE, &|r| r.provision_charge),
            npl_open: self.npl_open.get(y).copied().unwrap_or_default(),
            capital: self.capital,
            amc,
        }
    }
}

/// One entity's year: its last month and the year's flow sums. Every year-end metric is
/// defined once, here, from these; [`YearEnd`] is all of them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct YearSums {
    pub last: MonthRecord,
    pub formation: Decimal,
    pub disposal: Decimal,
    pub by_channel: [Decimal; 7],
    pub plan: Decimal,
    pub shortfall: Decimal,
    pub disposal_h1: Decimal,
    pub removals: Decimal,
    pub cash: Decimal,
    pub assets_received: Decimal,
    pub losses: Decimal,
    pub provision_charge: Decimal,
    pub npl_open: Decimal,
    pub capital: bool,
    /// `(year-end stock, the year's disposal, S_y0)`, for the region when it has an AMC.
    pub amc: Option<(Option<Decimal>, Decimal, Decimal)>,
}

impl YearSums {
    fn npl_ratio(&self) -> Option<Decimal> {
        ratio(self.last.npl, self.last.loans)
    }
    fn coverage(&self) -> Option<Decimal> {
        ratio(self.last.provisions, self.last.npl)
    }
    fn allowance_ratio(&self) -> Option<Decimal> {
        ratio(self.last.provisions, self.last.loans)
    }
    fn ldr(&self) -> Option<Decimal> {
        ratio(self.last.loans, self.last.deposits)
    }
    fn h1_share(&self) -> Option<Decimal> {
        ratio(self.disposal_h1, self.plan)
    }
    fn write_off_share(&self) -> Option<Decimal> {
        ratio(self.by_channel[channel::WRITE_OFF], self.disposal)
    }
    fn npl_change(&self) -> Decimal {
        self.last.npl.checked_sub(self.npl_open).unwrap_or_default()
    }
    fn adjusted_npl_ratio(&self) -> Option<Decimal> {
        let numerator = self.last.npl.checked_add(self.removals).unwrap_or(self.last.npl);
        let denominator = self.last.loans.checked_add(self.removals).unwrap_or(self.last.loans);
        ratio(numerator, denominator)
    }
    fn tier1_capital(&self) -> Option<Decimal> {
        self.capital.then_some(self.last.tier1_capital)
    }
    fn leverage_ratio(&self) -> Option<Decimal> {
        if self.capital { leverage(self.last.tier1_capital, self.last.leverage_exposure) } else { None }
    }
    fn amc_stock(&self) -> Option<Decimal> {
        self.amc.and_then(|(stock, _, _)| stock)
    }
    fn amc_disposal(&self) -> Option<Decimal> {
        self.amc.map(|(_, out, _)| out)
    }
    fn amc_disposal_share(&self) -> Option<Decimal> {
        self.amc.and_then(|(_, out, opening)| ratio(out, opening))
    }

    /// One scalar year-end metric (the same value [`YearEnd::get`] gives).
    pub(crate) fn get(&self, metric: YearMetric) -> Option<Decimal> {
        use YearMetric::*;
        Some(match metric {
            Deposits => self.last.deposits,
            Loans => self.last.loans,
            Performing => self.last.performing,
            Npl => self.last.npl,
            Provisions => self.last.provisions,
            NplRatio => return self.npl_ratio(),
            Coverage => return self.coverage(),
            AllowanceRatio => return self.allowance_ratio(),
            Ldr => return self.ldr(),
            Formation => self.formation,
            Disposal => self.disposal,
            DisposalPlan => self.plan,
            DisposalShortfall => self.shortfall,
            DisposalH1 => self.disposal_h1,
            H1Share => return self.h1_share(),
            WriteOffShare => return self.write_off_share(),
            CashRecovered => self.cash,
            AssetsReceived => self.assets_received,
            Losses => self.losses,
            ProvisionCharge => self.provision_charge,
            NplChange => self.npl_change(),
            AdjustedNplRatio => return self.adjusted_npl_ratio(),
            Tier1Capital => return self.tier1_capital(),
            LeverageRatio => return self.leverage_ratio(),
            AmcStock => return self.amc_stock(),
            AmcDisposal => return self.amc_disposal(),
            AmcDisposalShare => return self.amc_disposal_share(),
        })
    }

    /// Every year-end metric of calendar year `year`.
    pub(crate) fn year_end(&self, year: i32) -> YearEnd {
        let last = &self.last;
        YearEnd {
            year,
            deposits: last.deposits,
            loans: last.loans,
            performing: last.performing,
            npl: last.npl,
            provisions: last.provisions,
            npl_ratio: self.npl_ratio(),
            coverage: self.coverage(),
            allowance_ratio: self.allowance_ratio(),
            ldr: self.ldr(),
            formation: self.formation,
            disposal: self.disposal,
            disposal_by_channel: self.by_channel,
            disposal_plan: self.plan,
            disposal_shortfall: self.shortfall,
            disposal_h1: self.disposal_h1,
            h1_share: self.h1_share(),
            write_off_share: self.write_off_share(),
            cash_recovered: self.cash,
            assets_received: self.assets_received,
            losses: self.losses,
            provision_charge: self.provision_charge,
            npl_change: self.npl_change(),
            adjusted_npl_ratio: self.adjusted_npl_ratio(),
            tier1_capital: self.tier1_capital(),
            leverage_ratio: self.leverage_ratio(),
            amc_stock: self.amc_stock(),
            amc_disposal: self.amc_disposal(),
            amc_disposal_share: self.amc_disposal_share(),
        }
    }
}

/// A scalar year-end metric ([`crate::metrics::YEAR_END_SCALARS`], in that order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YearMetric {
    Deposits,
    Loans,
    Performing,
    Npl,
    Provisions,
    NplRatio,
    Coverage,
    AllowanceRatio,
    Ldr,
    Formation,
    Disposal,
    DisposalPlan,
    DisposalShortfall,
    DisposalH1,
    H1Share,
    WriteOffShare,
    CashRecovered,
    AssetsReceived,
    Losses,
    ProvisionCharge,
    NplChange,
    AdjustedNplRatio,
    Tier1Capital,
    LeverageRatio,
    AmcStock,
    AmcDisposal,
    AmcDisposalShare,
}

impl YearMetric {
    const ALL: [YearMetric; 27] = {
        use YearMetric::*;
        [
            Deposits,
            Loans,
            Performing,
            Npl,
            Provisions,
            NplRatio,
            Coverage,
            AllowanceRatio,
            Ldr,
            Formation,
            Disposal,
            DisposalPlan,
            DisposalShortfall,
            DisposalH1,
            H1Share,
            WriteOffShare,
            CashRecovered,
            AssetsReceived,
            Losses,
            ProvisionCharge,
            NplChange,
            AdjustedNplRatio,
            Tier1Capital,
            LeverageRatio,
            AmcStock,
            AmcDisposal,
            AmcDisposalShare,
        ]
    };

    /// The metric named `name`, if it is a scalar year-end metric.
    pub(crate) fn parse(name: &str) -> Option<YearMetric> {
        let index = crate::metrics::YEAR_END_SCALARS.iter().position(|n| *n == name)?;
        YearMetric::ALL.get(index).copied()
    }

    /// The fields of the year's last month the metric reads.
    pub(crate) fn last_fields(self) -> Fields {
        use YearMetric::*;
        match self {
            Deposits => Fields::DEPOSITS,
            Loans => Fields::LOANS,
            Performing => Fields::PERFORMING,
            Npl | NplChange => Fields::NPL,
            Provisions => Fields::PROVISIONS,
            NplRatio | AdjustedNplRatio => Fields::NPL.with(Fields::LOANS),
            Coverage => Fields::PROVISIONS.with(Fields::NPL),
            AllowanceRatio => Fields::PROVISIONS.with(Fields::LOANS),
            Ldr => Fields::LOANS.with(Fields::DEPOSITS),
            Tier1Capital | LeverageRatio => Fields::CAPITAL,
            _ => Fields::NONE,
        }
    }

    /// The flows the metric sums over the year's months.
    pub(crate) fn flows(self) -> Fields {
        use YearMetric::*;
        match self {
            Formation => Fields::FORMATION,
            Disposal | DisposalH1 | H1Share => Fields::DISPOSAL,
            DisposalShortfall => Fields::PLANNED.with(Fields::DISPOSAL),
            WriteOffShare => Fields::WRITE_OFF.with(Fields::DISPOSAL),
            CashRecovered => Fields::CASH,
            AssetsReceived => Fields::ASSETS_RECEIVED,
            Losses => Fields::LOSSES,
            ProvisionCharge => Fields::PROVISION_CHARGE,
            AdjustedNplRatio => Fields::REMOVALS,
            _ => Fields::NONE,
        }
    }

    /// What a run must compute for the metric (deposits are always computed at year ends).
    pub(crate) fn needs(self) -> Needs {
        use YearMetric::*;
        match self {
            Provisions | Coverage | AllowanceRatio | Losses | ProvisionCharge | Tier1Capital
            | LeverageRatio => Needs { provisions: true, ..Needs::CORE },
            CashRecovered | AssetsReceived => Needs { cash: true, ..Needs::CORE },
            AmcStock | AmcDisposal | AmcDisposalShare => Needs { amc: true, ..Needs::CORE },
            _ => Needs::CORE,
        }
    }
}

/// A monthly metric ([`crate::metrics::MONTHLY`], in that order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MonthlyMetric {
    Deposits,
    Loans,
    Performing,
    Npl,
    Provisions,
    NplRatio,
    Coverage,
    AllowanceRatio,
    Ldr,
    Tier1Capital,
    LeverageRatio,
    AmcStock,
    Formation,
    DisposalPlan,
    Disposal,
    DisposalShortfall,
    CashRecovered,
    AssetsReceived,
    Losses,
    ProvisionCharge,
    NewLending,
}

impl MonthlyMetric {
    const ALL: [MonthlyMetric; 21] = {
        use MonthlyMetric::*;
        [
            Deposits,
            Loans,
            Performing,
            Npl,
            Provisions,
            NplRatio,
            Coverage,
            AllowanceRatio,
            Ldr,
            Tier1Capital,
            LeverageRatio,
            AmcStock,
            Formation,
            DisposalPlan,
            Disposal,
            DisposalShortfall,
            CashRecovered,
            AssetsReceived,
            Losses,
            ProvisionCharge,
            NewLending,
        ]
    };

    /// The metric named `name`, if it is a monthly metric.
    pub(crate) fn parse(name: &str) -> Option<MonthlyMetric> {
        let index = crate::metrics::MONTHLY.iter().position(|n| *n == name)?;
        MonthlyMetric::ALL.get(index).copied()
    }

    /// The metric's value in `month` (the same value [`MonthMetrics::get`] gives).
    pub(crate) fn of(self, month: &MonthMetrics) -> Option<Decimal> {
        use MonthlyMetric::*;
        Some(match self {
            Deposits => month.deposits,
            Loans => month.loans,
            Performing => month.performing,
            Npl => month.npl,
            Provisions => month.provisions,
            NplRatio => return month.npl_ratio(),
            Coverage => return month.coverage(),
            AllowanceRatio => return month.allowance_ratio(),
            Ldr => return month.ldr(),
            Tier1Capital => return month.tier1_capital,
            LeverageRatio => return month.leverage_ratio(),
            AmcStock => return month.amc_stock,
            Formation => month.formation,
            DisposalPlan => month.disposal_plan,
            Disposal => month.disposal,
            DisposalShortfall => month.disposal_shortfall,
            CashRecovered => month.cash_recovered,
            AssetsReceived => month.assets_received,
            Losses => month.losses,
            ProvisionCharge => month.provision_charge,
            NewLending => month.new_lending,
        })
    }

    /// The metric in month index `m` of `view`, read straight from its record `r`: the value
    /// [`MonthlyMetric::of`] gives for that month's [`MonthMetrics`], without building them.
    pub(crate) fn read(self, view: &View, m: usize, r: &MonthRecord) -> Option<Decimal> {
        use MonthlyMetric::*;
        Some(match self {
            Deposits => r.deposits,
            Loans => r.loans,
            Performing => r.performing,
            Npl => r.npl,
            Provisions => r.provisions,
            NplRatio => return ratio(r.npl, r.loans),
            Coverage => return ratio(r.provisions, r.npl),
            AllowanceRatio => return ratio(r.provisions, r.loans),
            Ldr => return ratio(r.loans, r.deposits),
            Tier1Capital => return view.capital.then_some(r.tier1_capital),
            LeverageRatio => {
                return if view.capital { leverage(r.tier1_capital, r.leverage_exposure) } else { None };
            }
            AmcStock => return view.amc.and_then(|a| a.get(m)).map(|a| a.stock),
            Formation => r.formation,
            DisposalPlan => r.planned,
            Disposal => r.disposal,
            DisposalShortfall => r.shortfall(),
            CashRecovered => r.cash,
            AssetsReceived => r.assets_received,
            Losses => r.losses,
            ProvisionCharge => r.provision_charge,
            NewLending => r.new_lending,
        })
    }

    /// The fields of a month record the metric reads.
    pub(crate) fn fields(self) -> Fields {
        use MonthlyMetric::*;
        match self {
            Deposits => Fields::DEPOSITS,
            Loans => Fields::LOANS,
            Performing => Fields::PERFORMING,
            Npl => Fields::NPL,
            Provisions => Fields::PROVISIONS,
            NplRatio => Fields::NPL.with(Fields::LOANS),
            Coverage => Fields::PROVISIONS.with(Fields::NPL),
            AllowanceRatio => Fields::PROVISIONS.with(Fields::LOANS),
            Ldr => Fields::LOANS.with(Fields::DEPOSITS),
            Tier1Capital | LeverageRatio => Fields::CAPITAL,
            AmcStock => Fields::NONE,
            Formation => Fields::FORMATION,
            DisposalPlan => Fields::PLANNED,
            Disposal => Fields::DISPOSAL,
            DisposalShortfall => Fields::PLANNED.with(Fields::DISPOSAL),
            CashRecovered => Fields::CASH,
            AssetsReceived => Fields::ASSETS_RECEIVED,
            Losses => Fields::LOSSES,
            ProvisionCharge => Fields::PROVISION_CHARGE,
            NewLending => Fields::NEW_LENDING,
        }
    }

    /// What a run must compute for the metric.
    pub(crate) fn needs(self) -> Needs {
        use MonthlyMetric::*;
        match self {
            Deposits | Ldr => Needs { monthly_deposits: true, ..Needs::CORE },
            Provisions | Coverage | AllowanceRatio | Tier1Capital | LeverageRatio | Losses
            | ProvisionCharge => Needs { provisions: true, ..Needs::CORE },
            CashRecovered | AssetsReceived => Needs { cash: true, ..Needs::CORE },
            AmcStock => Needs { amc: true, ..Needs::CORE },
            _ => Needs::CORE,
        }
    }
}

/// How much of a projection to build: every series month by month (what `simulate` prints),
/// or the region's months and every entity's year-ends (what a page shows).
///
/// Measured natively on 500 institutions × 10 years: the institutions' 60,000 monthly
/// entries are most of `Projection::build`'s 170 ms; a page draws only the region by month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Monthly metrics for the region, every zone and every institution.
    Full,
    /// Monthly metrics for the region only; zones and institutions have year-ends and an
    /// empty `monthly`. Everything else (targets, warnings) is exactly as with `Full`.
    RegionMonthly,
}

impl Projection {
    /// Derives every output from a finished run.
    pub fn build(scenario: &Scenario, plan: &Plan, run: &Run) -> Result<Projection, SimError> {
        Projection::build_with(scenario, plan, run, Detail::Full)
    }

    /// Derives the outputs from a finished run, the zones' and institutions' months only
    /// with [`Detail::Full`]. Targets and warnings read year-ends and the run, never an
    /// institution's months, so they are the same at either detail.
    pub fn build_with(
        scenario: &Scenario,
        plan: &Plan,
        run: &Run,
        detail: Detail,
    ) -> Result<Projection, SimError> {
        let first_year = scenario.first_year();
        let members_monthly = detail == Detail::Full;
        let amc = if plan.amc.is_some() { Some(run.amc.as_slice()) } else { None };
        let zone_names = scenario.zones();
        let members: Vec<Vec<usize>> = zone_names.iter().map(|zone| scenario.zone_members(zone)).collect();
        let (region, zone_sums) = Entity::region_and_zones(plan, run, &members, members_monthly)?;
        let region = region.view(amc).series(plan, first_year, true);
        let zones = zone_names
            .iter()
            .zip(&zone_sums)
            .map(|(zone, sum)| (zone.to_string(), sum.view(None).series(plan, first_year, members_monthly)))
            .collect();
        let institutions: Vec<(String, Series)> = scenario
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                (inst.id.clone(), View::single(plan, run, i).series(plan, first_year, members_monthly))
            })
            .collect();
        let mut projection = Projection {
            scenario: scenario.name.clone(),
            months: plan.labels.clone(),
            region,
            zones,
            institutions,
            targets: Vec::new(),
            warnings: Vec::new(),
            assessment: None,
            as_of: plan.as_of.checked_sub(1).and_then(|m| plan.labels.get(m)).cloned(),
            tracking: None,
            plan: None,
        };
        projection.targets = targets::evaluate(scenario, &projection);
        projection.assessment =
            scenario.assessment.as_ref().map(|a| crate::division::assess(scenario, &projection, a));
        projection.warnings = targets::warnings(scenario, &projection, run, plan);
        if plan.as_of > 0 {
            // The plan: the same scenario without its actuals (section 9).
            let bare = crate::tracking::without_actuals(plan);
            let mut bare_run = Run::new(&bare);
            let planned = match bare_run.execute(&bare) {
                Ok(()) => Some(Projection::build_with(scenario, &bare, &bare_run, Detail::RegionMonthly)?),
                Err(_) => None,
            };
            for (j, result) in projection.targets.iter_mut().enumerate() {
                result.planned = Some(planned.as_ref().and_then(|p| p.targets.get(j)).and_then(|t| t.actual));
            }
            if let Some(planned) = planned {
                projection.tracking = Some(crate::tracking::tracking(scenario, plan, run, &bare_run));
                projection.plan = Some(planned.region);
            }
        }
        Ok(projection)
    }

    /// This projection as [`Detail::RegionMonthly`] builds it: the zones' and institutions'
    /// months left out.
    pub fn without_member_months(mut self) -> Projection {
        for (_, series) in self.zones.iter_mut().chain(self.institutions.iter_mut()) {
            series.monthly.clear();
        }
        self
    }

    /// The series of a scope: the region, a zone or an institution.
    pub fn scope(&self, scope: &crate::scenario::Scope) -> Option<&Series> {
        match scope {
            crate::scenario::Scope::Region => Some(&self.region),
            crate::scenario::Scope::Zone(zone) => self.zones.iter().find(|(z, _)| z == zone).map(|(_, s)| s),
            crate::scenario::Scope::Institution(id) => {
                self.institutions.iter().find(|(i, _)| i == id).map(|(_, s)| s)
            }
        }
    }

    /// The JSON object of MODEL.md section 8 (`simulate --format json`).
    pub fn to_json(&self) -> Value {
        let mut zones = Map::new();
        for (name, series) in &self.zones {
            zones.insert(name.clone(), series.to_json());
        }
        let mut institutions = Map::new();
        for (id, series) in &self.institutions {
            institutions.insert(id.clone(), series.to_json());
        }
        let mut value = json!({
            "schema": 1,
            "scenario": self.scenario,
            "as_of": self.as_of,
            "months": self.months,
            "region": self.region.to_json(),
            "zones": Value::Object(zones),
            "institutions": Value::Object(institutions),
            "targets": self.targets.iter().map(TargetResult::to_json).collect::<Vec<_>>(),
            "warnings": self.warnings.iter().map(Warning::to_json).collect::<Vec<_>>(),
        });
        if let Some(map) = value.as_object_mut() {
            if let Some(assessment) = &self.assessment {
                map.insert("assessment".into(), assessment.to_json());
            }
            if let Some(tracking) = &self.tracking {
                map.insert("tracking".into(), tracking.to_json());
            }
        }
        value
    }
}
