//! Outputs (MODEL.md section 4): monthly and year-end metrics per institution, zone and region, and their JSON form.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::engine::{AmcMonth, MonthRecord, Plan, Run};
use crate::error::SimError;
use crate::num::{decimal_json, fmt_decimal, ratio};
use crate::scenario::{CHANNELS, Scenario, channel};
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
    pub losses: Decimal,
    pub provision_charge: Decimal,
    pub new_lending: Decimal,
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
        Some(match metric {
            "deposits" => self.deposits,
            "loans" => self.loans,
            "performing" => self.performing,
            "npl" => self.npl,
            "provisions" => self.provisions,
            "npl_ratio" => return self.npl_ratio(),
            "coverage" => return self.coverage(),
            "allowance_ratio" => return self.allowance_ratio(),
            "ldr" => return self.ldr(),
            "tier1_capital" => return self.tier1_capital,
            "leverage_ratio" => return self.leverage_ratio(),
            "amc_stock" => return self.amc_stock,
            "formation" => self.formation,
            "disposal_plan" => self.disposal_plan,
            "disposal" => self.disposal,
            "disposal_shortfall" => self.disposal_shortfall,
            "cash_recovered" => self.cash_recovered,
            "losses" => self.losses,
            "provision_charge" => self.provision_charge,
            "new_lending" => self.new_lending,
            _ => return None,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("month".into(), Value::String(self.month.clone()));
        for name in crate::metrics::MONTHLY {
            map.insert(name.into(), decimal_json(self.get(name)));
        }
        map.insert("disposal_by_channel".into(), channels_json(&self.disposal_by_channel));
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
}

/// The raw sums behind one entity's metrics.
pub(crate) struct Entity<'a> {
    pub records: Vec<MonthRecord>,
    /// `A_y` per year.
    pub plans: Vec<Decimal>,
    /// `N_y0` per year.
    pub npl_open: Vec<Decimal>,
    pub capital: bool,
    pub amc: Option<&'a [AmcMonth]>,
}

impl Entity<'_> {
    /// Sums the institutions `members` of `run`.
    pub(crate) fn sum<'r>(
        plan: &Plan,
        run: &'r Run,
        members: &[usize],
        amc: Option<&'r [AmcMonth]>,
    ) -> Result<Entity<'r>, SimError> {
        let mut records = vec![MonthRecord::default(); plan.months];
        let mut plans = vec![Decimal::ZERO; plan.years];
        let mut npl_open = vec![Decimal::ZERO; plan.years];
        let mut capital = true;
        for &i in members {
            let id = plan.institutions.get(i).map(|inst| inst.id.clone()).unwrap_or_default();
            let overflow = |step| SimError::Overflow { institution: id.clone(), month: String::new(), step };
            capital &= plan.institutions.get(i).is_some_and(|inst| inst.capital0.is_some());
            for (total, record) in records.iter_mut().zip(run.institution(i)) {
                total.accumulate(record).map_err(|o| overflow(o.0))?;
            }
            for (y, (p, n)) in plans.iter_mut().zip(npl_open.iter_mut()).enumerate() {
                *p = p.checked_add(run.plan_of(i, y)).ok_or_else(|| overflow("aggregation"))?;
                *n = n.checked_add(run.npl_open_of(i, y)).ok_or_else(|| overflow("aggregation"))?;
            }
        }
        Ok(Entity { records, plans, npl_open, capital: capital && !members.is_empty(), amc })
    }

    /// One institution, without copying through a sum.
    pub(crate) fn single<'r>(plan: &Plan, run: &'r Run, i: usize) -> Entity<'r> {
        Entity {
            records: run.institution(i).to_vec(),
            plans: (0..plan.years).map(|y| run.plan_of(i, y)).collect(),
            npl_open: (0..plan.years).map(|y| run.npl_open_of(i, y)).collect(),
            capital: plan.institutions.get(i).is_some_and(|inst| inst.capital0.is_some()),
            amc: None,
        }
    }

    pub(crate) fn series(&self, plan: &Plan, first_year: i32) -> Series {
        let monthly = self
            .records
            .iter()
            .enumerate()
            .map(|(m, r)| self.month_metrics(plan.labels.get(m).cloned().unwrap_or_default(), m, r))
            .collect();
        let year_ends = (0..plan.years).map(|y| self.year_end(y, first_year)).collect();
        Series { monthly, year_ends }
    }

    /// The metrics of month index `m`, without a label (for analyses that read a few values).
    pub(crate) fn month(&self, m: usize) -> Option<MonthMetrics> {
        self.records.get(m).map(|r| self.month_metrics(String::new(), m, r))
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
            losses: r.losses,
            provision_charge: r.provision_charge,
            new_lending: r.new_lending,
        }
    }

    fn leverage(&self, r: &MonthRecord) -> Option<Decimal> {
        if self.capital { leverage(r.tier1_capital, r.leverage_exposure) } else { None }
    }

    /// The year-end metrics of year index `y`.
    pub(crate) fn year_end(&self, y: usize, first_year: i32) -> YearEnd {
        let start = y.saturating_mul(12);
        let months = self.records.get(start..start.saturating_add(12)).unwrap_or(&[]);
        let last = months.last().copied().unwrap_or_default();
        let sum = |f: &dyn Fn(&MonthRecord) -> Decimal| {
            months.iter().fold(Decimal::ZERO, |acc, r| acc.checked_add(f(r)).unwrap_or(acc))
        };
        let formation = sum(&|r| r.formation);
        let disposal = sum(&|r| r.disposal);
        let mut by_channel = [Decimal::ZERO; 7];
        for (c, slot) in by_channel.iter_mut().enumerate() {
            *slot = sum(&|r| r.channels.get(c).copied().unwrap_or_default());
        }
        let plan = self.plans.get(y).copied().unwrap_or_default();
        let disposal_h1 =
            months.iter().take(6).fold(Decimal::ZERO, |acc, r| acc.checked_add(r.disposal).unwrap_or(acc));
        let removals = sum(&|r| r.removals);
        let npl_open = self.npl_open.get(y).copied().unwrap_or_default();
        let (amc_stock, amc_disposal, amc_disposal_share) = match self.amc {
            Some(amc) => {
                let year = amc.get(start..start.saturating_add(12)).unwrap_or(&[]);
                let out =
                    year.iter().fold(Decimal::ZERO, |acc, a| acc.checked_add(a.disposal).unwrap_or(acc));
                let opening = year.first().map(|a| a.year_opening).unwrap_or_default();
                (year.last().map(|a| a.stock), Some(out), ratio(out, opening))
            }
            None => (None, None, None),
        };
        let adjusted_numerator = last.npl.checked_add(removals).unwrap_or(last.npl);
        let adjusted_denominator = last.loans.checked_add(removals).unwrap_or(last.loans);
        YearEnd {
            year: first_year.saturating_add(i32::try_from(y).unwrap_or(0)),
            deposits: last.deposits,
            loans: last.loans,
            performing: last.performing,
            npl: last.npl,
            provisions: last.provisions,
            npl_ratio: ratio(last.npl, last.loans),
            coverage: ratio(last.provisions, last.npl),
            allowance_ratio: ratio(last.provisions, last.loans),
            ldr: ratio(last.loans, last.deposits),
            formation,
            disposal,
            disposal_by_channel: by_channel,
            disposal_plan: plan,
            disposal_shortfall: sum(&|r| r.shortfall()),
            disposal_h1,
            h1_share: ratio(disposal_h1, plan),
            write_off_share: ratio(by_channel[channel::WRITE_OFF], disposal),
            cash_recovered: sum(&|r| r.cash),
            losses: sum(&|r| r.losses),
            provision_charge: sum(&|r| r.provision_charge),
            npl_change: last.npl.checked_sub(npl_open).unwrap_or_default(),
            adjusted_npl_ratio: ratio(adjusted_numerator, adjusted_denominator),
            tier1_capital: self.capital.then_some(last.tier1_capital),
            leverage_ratio: self.leverage(&last),
            amc_stock,
            amc_disposal,
            amc_disposal_share,
        }
    }
}

impl Projection {
    /// Derives every output from a finished run.
    pub fn build(scenario: &Scenario, plan: &Plan, run: &Run) -> Result<Projection, SimError> {
        let first_year = scenario.first_year();
        let all: Vec<usize> = (0..plan.institutions.len()).collect();
        let amc = if plan.amc.is_some() { Some(run.amc.as_slice()) } else { None };
        let region = Entity::sum(plan, run, &all, amc)?.series(plan, first_year);
        let mut zone_names: Vec<String> = Vec::new();
        for inst in &scenario.institutions {
            if let Some(zone) = &inst.zone
                && !zone_names.contains(zone)
            {
                zone_names.push(zone.clone());
            }
        }
        let mut zones = Vec::with_capacity(zone_names.len());
        for zone in zone_names {
            let members: Vec<usize> = scenario
                .institutions
                .iter()
                .enumerate()
                .filter(|(_, inst)| inst.zone.as_deref() == Some(zone.as_str()))
                .map(|(i, _)| i)
                .collect();
            let series = Entity::sum(plan, run, &members, None)?.series(plan, first_year);
            zones.push((zone, series));
        }
        let institutions: Vec<(String, Series)> = scenario
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| (inst.id.clone(), Entity::single(plan, run, i).series(plan, first_year)))
            .collect();
        let mut projection = Projection {
            scenario: scenario.name.clone(),
            months: plan.labels.clone(),
            region,
            zones,
            institutions,
            targets: Vec::new(),
            warnings: Vec::new(),
        };
        projection.targets = targets::evaluate(scenario, &projection);
        projection.warnings = targets::warnings(scenario, &projection, run, plan);
        Ok(projection)
    }

    /// The series of a scope: `region` or an institution id.
    pub fn scope(&self, scope: &crate::scenario::Scope) -> Option<&Series> {
        match scope {
            crate::scenario::Scope::Region => Some(&self.region),
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
        json!({
            "schema": 1,
            "scenario": self.scenario,
            "months": self.months,
            "region": self.region.to_json(),
            "zones": Value::Object(zones),
            "institutions": Value::Object(institutions),
            "targets": self.targets.iter().map(TargetResult::to_json).collect::<Vec<_>>(),
            "warnings": self.warnings.iter().map(Warning::to_json).collect::<Vec<_>>(),
        })
    }
}
