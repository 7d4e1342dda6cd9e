//! The monthly stock-flow step of MODEL.md section 3, run for every institution, plus the local AMC.
//!
//! [`Plan`] is the scenario resolved for fast repeated runs (per-institution, per-year
//! drivers; events by month). [`Run`] holds one run's raw monthly records and is
//! reused by the analyses so a thousand Monte Carlo paths allocate nothing.

use rust_decimal::Decimal;

use crate::error::SimError;
use crate::num::{Overflow, TWELVE, add, add_sparse, div, mul, sub};
use crate::scenario::{Basis, Disposal, ReportedDisposal, Scenario, channel};
use crate::sum::ExactSum;

/// How an institution's yearly disposal plan is set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlanRule {
    /// A share of the region's amount (`defaults.disposal` in amount form), by NPL at year start.
    Shared,
    /// Its own amount `A_y`.
    Amount(Decimal),
    /// Its own rate: `A_y = r_y × (N_y0 + f_y × P_y0 + Ev_y)`.
    Rate(Decimal),
}

/// One institution's drivers for one year, with the per-month constants derived from them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YearDrivers {
    pub deposit_growth: Decimal,
    pub loan_growth: Decimal,
    pub formation_rate: Decimal,
    pub rule: PlanRule,
    /// `1 + g_D × k / 12` for k = 1 … 12, exactly as step 1 writes it.
    pub deposit_factors: [Decimal; 12],
}

impl YearDrivers {
    pub fn new(
        deposit_growth: Decimal,
        loan_growth: Decimal,
        formation_rate: Decimal,
        rule: PlanRule,
    ) -> YearDrivers {
        let deposit_factors = deposit_factors(deposit_growth);
        YearDrivers { deposit_growth, loan_growth, formation_rate, rule, deposit_factors }
    }

    /// Re-resolves the drivers in place. The deposit factors (twelve divisions, the dearest
    /// part of resolving) come from `factors`, which remembers the last growth rate resolved:
    /// institutions and years mostly share it.
    fn update(
        &mut self,
        deposit_growth: Decimal,
        loan_growth: Decimal,
        formation_rate: Decimal,
        rule: PlanRule,
        factors: &mut FactorMemo,
    ) {
        if !same_bits(deposit_growth, self.deposit_growth) {
            self.deposit_growth = deposit_growth;
            self.deposit_factors = factors.get(deposit_growth);
        }
        self.loan_growth = loan_growth;
        self.formation_rate = formation_rate;
        self.rule = rule;
    }

    /// Replaces the formation rate (Monte Carlo draws).
    ///
    /// `F = f × P / 12` is computed in exactly that order every month: dividing `f` by 12
    /// once a year would be faster but loses digits (0.014/12 keeps only 25 significant
    /// digits at 28 decimal places), so results would drift from the contract's last digits.
    pub fn set_formation_rate(&mut self, rate: Decimal) {
        self.formation_rate = rate;
    }
}

/// `1 + g_D × k / 12` for k = 1 … 12, exactly as step 1 writes it.
fn deposit_factors(deposit_growth: Decimal) -> [Decimal; 12] {
    let mut factors = [Decimal::ONE; 12];
    for (k, factor) in (1u32..=12).zip(factors.iter_mut()) {
        *factor = deposit_growth
            .checked_mul(Decimal::from(k))
            .and_then(|x| x.checked_div(TWELVE))
            .and_then(|x| x.checked_add(Decimal::ONE))
            .unwrap_or(Decimal::ONE);
    }
    factors
}

/// The deposit factors of the last growth rate resolved (the same bits give the same factors).
#[derive(Default)]
struct FactorMemo(Option<(Decimal, [Decimal; 12])>);

impl FactorMemo {
    fn get(&mut self, deposit_growth: Decimal) -> [Decimal; 12] {
        match self.0 {
            Some((g, factors)) if same_bits(g, deposit_growth) => factors,
            _ => self.0.insert((deposit_growth, deposit_factors(deposit_growth))).1,
        }
    }
}

/// One institution, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct InstitutionPlan {
    pub id: String,
    pub deposits0: Decimal,
    pub loans0: Decimal,
    pub npl0: Decimal,
    pub provisions0: Decimal,
    /// `(K0, E0)` when capital is modelled.
    pub capital0: Option<(Decimal, Decimal)>,
    pub years: Vec<YearDrivers>,
    pub basis: Basis,
    pub shares: [Decimal; 7],
    /// The channel that absorbs the last-digit rounding, so that `Σ X_c = Dsp` exactly.
    pub residual_channel: usize,
    pub weights: [Decimal; 12],
    /// Recovery rates `r_T, r_S, r_X, r_K`.
    pub recovery: [Decimal; 4],
    /// `1 − r` for each recovery rate (exact: a rate has at most 28 places and lies in 0 … 1).
    pub loss_rates: [Decimal; 4],
    pub coverage_floor: Option<Decimal>,
    pub allowance_floor: Option<Decimal>,
    /// π / 12.
    pub monthly_return: Decimal,
    pub retention: Decimal,
    /// Event amounts by projection month (index 0 is month 1).
    pub events: Vec<Decimal>,
    /// Event totals by year.
    pub event_years: Vec<Decimal>,
    /// The reported months `1 … as_of` (MODEL.md section 9), index 0 is month 1.
    pub reported: Vec<Reported>,
}

/// One reported month of one institution, as the scenario gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reported {
    pub deposits: Decimal,
    pub loans: Decimal,
    pub npl: Decimal,
    pub provisions: Option<Decimal>,
    pub formation: Option<Decimal>,
    pub disposal: ReportedDisposal,
    pub capital: Option<(Decimal, Decimal)>,
}

/// The AMC, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct AmcPlan {
    pub opening_stock: Decimal,
    pub inflow_share: Decimal,
    pub disposal_rate: Decimal,
}

/// The scenario resolved for simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub years: usize,
    pub months: usize,
    /// Month labels `YYYY-MM`, index 0 is month 1.
    pub labels: Vec<String>,
    pub institutions: Vec<InstitutionPlan>,
    /// The region's amount plan `A_y`, when `defaults.disposal` is in amount form.
    pub region_amounts: Option<Vec<Decimal>>,
    pub amc: Option<AmcPlan>,
    /// The region's default pacing, used by the AMC.
    pub default_weights: [Decimal; 12],
    /// The as-of month `a`: months `1 … a` are reported (0: none).
    pub as_of: usize,
}

impl Plan {
    /// Resolves a validated scenario.
    pub fn compile(scenario: &Scenario) -> Plan {
        let years = usize::try_from(scenario.years).unwrap_or(1);
        let months = scenario.months();
        let labels = (1..=months).map(|m| scenario.month_label(m).to_string()).collect::<Vec<_>>();
        let as_of = scenario.as_of();
        let mut reported: std::collections::HashMap<&str, Vec<Option<Reported>>> =
            std::collections::HashMap::new();
        for actual in &scenario.actuals {
            let Some(m) = scenario.month_index(actual.month) else { continue };
            let months = reported.entry(actual.institution.as_str()).or_insert_with(|| vec![None; as_of]);
            if let Some(slot) = months.get_mut(m) {
                *slot = Some(Reported {
                    deposits: actual.deposits,
                    loans: actual.loans,
                    npl: actual.npl,
                    provisions: actual.provisions,
                    formation: actual.formation,
                    disposal: actual.disposal,
                    capital: actual.capital,
                });
            }
        }
        let institutions = scenario
            .institutions
            .iter()
            .map(|inst| {
                let mut events = vec![Decimal::ZERO; months];
                let mut event_years = vec![Decimal::ZERO; years];
                for event in scenario.events.iter().filter(|e| e.institution == inst.id) {
                    let offset = months_between(scenario, event.month);
                    if let Some(slot) = offset.and_then(|m| events.get_mut(m)) {
                        *slot = slot.checked_add(event.amount).unwrap_or(*slot);
                    }
                    if let Some(slot) = offset.map(|m| m / 12).and_then(|y| event_years.get_mut(y)) {
                        *slot = slot.checked_add(event.amount).unwrap_or(*slot);
                    }
                }
                InstitutionPlan {
                    id: inst.id.clone(),
                    deposits0: inst.opening.deposits,
                    loans0: inst.opening.loans,
                    npl0: inst.opening.npl,
                    provisions0: inst.opening.provisions,
                    capital0: inst.opening.capital.map(|c| (c.tier1_capital, c.leverage_exposure)),
                    // Every driver below is set by `resolve_drivers`.
                    years: Vec::with_capacity(years),
                    basis: Basis::Lending,
                    shares: [Decimal::ZERO; 7],
                    residual_channel: 0,
                    weights: [Decimal::ZERO; 12],
                    recovery: [Decimal::ZERO; 4],
                    loss_rates: [Decimal::ONE; 4],
                    coverage_floor: None,
                    allowance_floor: None,
                    monthly_return: Decimal::ZERO,
                    retention: Decimal::ZERO,
                    events,
                    event_years,
                    // Validation gives every institution every month 1 … as_of.
                    reported: reported
                        .get(inst.id.as_str())
                        .map(|months| months.iter().flatten().copied().collect())
                        .unwrap_or_default(),
                }
            })
            .collect();
        let mut plan = Plan {
            years,
            months,
            labels,
            institutions,
            region_amounts: None,
            amc: None,
            default_weights: [Decimal::ZERO; 12],
            as_of,
        };
        plan.resolve_drivers(scenario);
        plan
    }

    /// Re-resolves every driver from `scenario` in place, allocating nothing.
    ///
    /// For analyses that move a lever: `scenario` must be the compiled one with only its
    /// drivers changed (same institutions, years, events); the plan is then equal to
    /// `Plan::compile(scenario)`.
    pub fn refresh_drivers(&mut self, scenario: &Scenario) {
        self.resolve_drivers(scenario);
    }

    /// Each institution's effective drivers (its overrides over the defaults), per year.
    fn resolve_drivers(&mut self, scenario: &Scenario) {
        let years = self.years;
        let defaults = &scenario.defaults;
        match (&defaults.disposal, &mut self.region_amounts) {
            (Disposal::Amount(a), Some(amounts)) if amounts.len() == years => {
                for (y, slot) in amounts.iter_mut().enumerate() {
                    *slot = a.get(y);
                }
            }
            (Disposal::Amount(a), slot) => *slot = Some((0..years).map(|y| a.get(y)).collect()),
            (Disposal::Rate(_), slot) => *slot = None,
        }
        let mut factors = FactorMemo::default();
        for (plan, inst) in self.institutions.iter_mut().zip(&scenario.institutions) {
            let own = &inst.drivers;
            let deposit_growth = own.deposit_growth.as_ref().unwrap_or(&defaults.deposit_growth);
            let loan_growth = own.loan_growth.as_ref().unwrap_or(&defaults.loan_growth);
            let formation = own.npl_formation_rate.as_ref().unwrap_or(&defaults.npl_formation_rate);
            let disposal = own.disposal.as_ref().unwrap_or(&defaults.disposal);
            let own_disposal = own.disposal.is_some();
            plan.years.truncate(years);
            for y in 0..years {
                let rule = match (disposal, own_disposal) {
                    (Disposal::Amount(_), false) => PlanRule::Shared,
                    (Disposal::Amount(a), true) => PlanRule::Amount(a.get(y)),
                    (Disposal::Rate(r), _) => PlanRule::Rate(r.get(y)),
                };
                let (g_d, g_l, f) = (deposit_growth.get(y), loan_growth.get(y), formation.get(y));
                match plan.years.get_mut(y) {
                    Some(slot) => slot.update(g_d, g_l, f, rule, &mut factors),
                    None => plan.years.push(YearDrivers {
                        deposit_growth: g_d,
                        loan_growth: g_l,
                        formation_rate: f,
                        rule,
                        deposit_factors: factors.get(g_d),
                    }),
                }
            }
            plan.basis = own.loan_growth_basis.unwrap_or(defaults.loan_growth_basis);
            plan.shares = own.channels.unwrap_or(defaults.channels).0;
            plan.residual_channel = largest(&plan.shares);
            plan.weights = own.pacing.as_ref().unwrap_or(&defaults.pacing).weights();
            let recovery = own.recovery.unwrap_or(defaults.recovery);
            plan.recovery =
                [recovery.transfer, recovery.securitization, recovery.debt_equity, recovery.foreclosure];
            plan.loss_rates = plan.recovery.map(|r| Decimal::ONE.checked_sub(r).unwrap_or_default());
            let provisioning = own.provisioning.unwrap_or(defaults.provisioning);
            plan.coverage_floor = provisioning.coverage_floor;
            plan.allowance_floor = provisioning.allowance_floor;
            let capital = own.capital.unwrap_or(defaults.capital);
            plan.monthly_return = capital.pre_provision_return.checked_div(TWELVE).unwrap_or_default();
            plan.retention = capital.retention;
        }
        self.amc = scenario.amc.as_ref().map(|a| AmcPlan {
            opening_stock: a.opening_stock,
            inflow_share: a.inflow_share,
            disposal_rate: a.disposal_rate,
        });
        self.default_weights = defaults.pacing.weights();
    }
}

/// Index (0-based) of `month` in the projection, if inside it.
fn months_between(scenario: &Scenario, month: crate::scenario::YearMonth) -> Option<usize> {
    let years = i64::from(month.year).checked_sub(i64::from(scenario.start.year))?;
    let offset = years.checked_mul(12)?.checked_add(i64::from(month.month))?.checked_sub(13)?;
    usize::try_from(offset).ok().filter(|m| *m < scenario.months())
}

/// Index of the largest share (the first one on a tie).
fn largest(shares: &[Decimal; 7]) -> usize {
    let mut best = 0;
    for (i, share) in shares.iter().enumerate() {
        if shares.get(best).is_some_and(|b| share > b) {
            best = i;
        }
    }
    best
}

/// One institution's month: its stocks at month end and the month's flows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MonthRecord {
    pub deposits: Decimal,
    pub performing: Decimal,
    pub npl: Decimal,
    pub loans: Decimal,
    pub provisions: Decimal,
    /// Zero when capital is not modelled.
    pub tier1_capital: Decimal,
    pub leverage_exposure: Decimal,
    /// `F_m`, events included, after the cap.
    pub formation: Decimal,
    /// `Dsp*_m`.
    pub planned: Decimal,
    /// `Dsp_m`.
    pub disposal: Decimal,
    /// `X_c` in channel order.
    pub channels: [Decimal; 7],
    /// `Rm_m`.
    pub removals: Decimal,
    /// `NL_m`.
    pub new_lending: Decimal,
    pub losses: Decimal,
    /// `Cash_m` (collection, and the recovered part of transfers and securitizations).
    pub cash: Decimal,
    /// `AR_m = r_K × X_foreclosure`: repossessed assets (以物抵债资产), not cash (v2).
    pub assets_received: Decimal,
    pub provision_charge: Decimal,
    /// Whether the formation cap bit this month.
    pub capped: bool,
}

impl MonthRecord {
    /// The month's unmet plan, `Dsp* − Dsp`.
    pub fn shortfall(&self) -> Decimal {
        self.planned.checked_sub(self.disposal).unwrap_or_default()
    }

    /// The record's decimal fields in [`SUMMED`] order.
    #[inline(always)]
    fn decimals(&self) -> [Decimal; SUMMED.len()] {
        let [c0, c1, c2, c3, c4, c5, c6] = self.channels;
        [
            self.deposits,
            self.performing,
            self.npl,
            self.loans,
            self.provisions,
            self.tier1_capital,
            self.leverage_exposure,
            self.formation,
            self.planned,
            self.disposal,
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            self.removals,
            self.new_lending,
            self.losses,
            self.cash,
            self.assets_received,
            self.provision_charge,
        ]
    }

    /// The record's decimal fields in [`SUMMED`] order, to write.
    fn decimals_mut(&mut self) -> [&mut Decimal; SUMMED.len()] {
        let [c0, c1, c2, c3, c4, c5, c6] = &mut self.channels;
        [
            &mut self.deposits,
            &mut self.performing,
            &mut self.npl,
            &mut self.loans,
            &mut self.provisions,
            &mut self.tier1_capital,
            &mut self.leverage_exposure,
            &mut self.formation,
            &mut self.planned,
            &mut self.disposal,
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            &mut self.removals,
            &mut self.new_lending,
            &mut self.losses,
            &mut self.cash,
            &mut self.assets_received,
            &mut self.provision_charge,
        ]
    }
}

/// Which [`Fields`] bit each of a record's decimals belongs to, in [`MonthRecord::decimals`] order.
const SUMMED: [Fields; 23] = [
    Fields::DEPOSITS,
    Fields::PERFORMING,
    Fields::NPL,
    Fields::LOANS,
    Fields::PROVISIONS,
    Fields::CAPITAL,
    Fields::CAPITAL,
    Fields::FORMATION,
    Fields::PLANNED,
    Fields::DISPOSAL,
    Fields::channel(0),
    Fields::channel(1),
    Fields::channel(2),
    Fields::channel(3),
    Fields::channel(4),
    Fields::channel(5),
    Fields::channel(6),
    Fields::REMOVALS,
    Fields::NEW_LENDING,
    Fields::LOSSES,
    Fields::CASH,
    Fields::ASSETS_RECEIVED,
    Fields::PROVISION_CHARGE,
];

/// A zone's or the region's month being summed from its members' records, field by field,
/// each field an [`ExactSum`] (the exact sum rounded once, whatever the members' order).
#[derive(Clone, Debug, Default)]
pub struct RecordSum {
    sums: [ExactSum; SUMMED.len()],
    capped: bool,
}

impl RecordSum {
    /// An empty sum.
    pub fn new() -> RecordSum {
        RecordSum::default()
    }

    /// Adds the `fields` of `record`.
    #[inline]
    pub fn add(&mut self, record: &MonthRecord, fields: Fields) -> Result<(), Overflow> {
        for ((sum, value), field) in self.sums.iter_mut().zip(record.decimals()).zip(SUMMED) {
            if fields.has(field) {
                sum.add(value).ok_or(Overflow("aggregation"))?;
            }
        }
        self.capped |= record.capped;
        Ok(())
    }

    /// Adds the `fields` of what `other` holds, as if its records were added here after
    /// this sum's own ([`ExactSum::merge`]).
    #[inline]
    pub fn merge(&mut self, other: &RecordSum, fields: Fields) -> Result<(), Overflow> {
        for ((sum, part), field) in self.sums.iter_mut().zip(&other.sums).zip(SUMMED) {
            if fields.has(field) {
                sum.merge(part).ok_or(Overflow("aggregation"))?;
            }
        }
        self.capped |= other.capped;
        Ok(())
    }

    /// Appends the `fields` of this sum as bytes ([`ExactSum::write`] each, in [`SUMMED`]'s
    /// order, then the capped flag), and empties it for the next month.
    pub fn write(&mut self, fields: Fields, out: &mut Vec<u8>) {
        for (sum, field) in self.sums.iter_mut().zip(SUMMED) {
            if fields.has(field) {
                sum.write(out);
            }
            sum.clear();
        }
        out.push(u8::from(self.capped));
        self.capped = false;
    }

    /// Merges into this sum ([`RecordSum::merge`]) the sum of `fields` that
    /// [`RecordSum::write`] wrote at the front of `bytes`, and moves `bytes` past it; `None`
    /// if they are not such a sum, or on overflow.
    pub fn merge_read(&mut self, fields: Fields, bytes: &mut &[u8]) -> Option<()> {
        for (sum, field) in self.sums.iter_mut().zip(SUMMED) {
            if fields.has(field) {
                sum.merge(&ExactSum::read(bytes)?)?;
            }
        }
        let (&capped, rest) = bytes.split_first()?;
        *bytes = rest;
        match capped {
            0 => {}
            1 => self.capped = true,
            _ => return None,
        }
        Some(())
    }

    /// The total of what was added (the other fields zero), and the sum emptied for the next month.
    pub fn take(&mut self, fields: Fields) -> Result<MonthRecord, Overflow> {
        let mut total = MonthRecord { capped: self.capped, ..MonthRecord::default() };
        for ((sum, slot), field) in self.sums.iter_mut().zip(total.decimals_mut()).zip(SUMMED) {
            if fields.has(field) {
                *slot = sum.total().ok_or(Overflow("aggregation"))?;
            }
            sum.clear();
        }
        self.capped = false;
        Ok(total)
    }
}

/// A set of [`MonthRecord`] fields: what a total must sum, or what a metric reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fields(u32);

impl Fields {
    pub const NONE: Fields = Fields(0);
    pub const DEPOSITS: Fields = Fields(1);
    pub const PERFORMING: Fields = Fields(1 << 1);
    pub const NPL: Fields = Fields(1 << 2);
    pub const LOANS: Fields = Fields(1 << 3);
    pub const PROVISIONS: Fields = Fields(1 << 4);
    /// Tier-1 capital and leverage exposure.
    pub const CAPITAL: Fields = Fields(1 << 5);
    pub const FORMATION: Fields = Fields(1 << 6);
    pub const PLANNED: Fields = Fields(1 << 7);
    pub const DISPOSAL: Fields = Fields(1 << 8);
    pub const REMOVALS: Fields = Fields(1 << 10);
    pub const NEW_LENDING: Fields = Fields(1 << 11);
    pub const LOSSES: Fields = Fields(1 << 12);
    pub const CASH: Fields = Fields(1 << 13);
    pub const PROVISION_CHARGE: Fields = Fields(1 << 14);
    pub const ASSETS_RECEIVED: Fields = Fields(1 << 15);
    /// Every channel's flow: one bit per channel, from bit 16 in channel order.
    pub const CHANNELS: Fields = Fields(0x7f << 16);
    /// The write-off channel's flow alone.
    pub const WRITE_OFF: Fields = Fields::channel(channel::WRITE_OFF);
    /// Every field (bit 9 is free: it was the channels' before each had a bit).
    pub const ALL: Fields = Fields(0xfdff | Fields::CHANNELS.0);

    /// The flow of channel `c` alone (no field for a `c` past the last channel).
    #[inline]
    pub const fn channel(c: usize) -> Fields {
        if c < 7 { Fields(0x1_0000 << c) } else { Fields::NONE }
    }

    /// Whether every field of `other` is in `self`.
    #[inline]
    pub fn has(self, other: Fields) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether `self` and `other` share a field.
    #[inline]
    pub fn any(self, other: Fields) -> bool {
        self.0 & other.0 != 0
    }

    /// The fields of both.
    #[inline]
    pub const fn with(self, other: Fields) -> Fields {
        Fields(self.0 | other.0)
    }

    /// The fields of `self` that are not in `other`.
    #[inline]
    pub const fn without(self, other: Fields) -> Fields {
        Fields(self.0 & !other.0)
    }
}

/// The AMC's month.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AmcMonth {
    pub stock: Decimal,
    pub inflow: Decimal,
    pub disposal: Decimal,
    /// `S_y0` of the month's year.
    pub year_opening: Decimal,
}

/// Which of a run's optional quantities to compute: analyses skip what they do not read.
///
/// Skipping changes nothing else. None of these feeds a stock the rest reads: deposits feed
/// only deposits; losses feed provisions, which feed capital; cash and the AMC feed nothing.
/// Nor could a skipped quantity have stopped the run: validated amounts are at most 1e15
/// and rates bounded, so ten years of growth stay far from the decimal limit (7.9e28).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// Deposits every month; otherwise only at each year end (where the next year starts from).
    pub monthly_deposits: bool,
    /// Losses, provisions, the provision charge, tier-1 capital and leverage exposure.
    pub provisions: bool,
    /// Cash recovered.
    pub cash: bool,
    /// The AMC's months.
    pub amc: bool,
}

impl Needs {
    /// Everything: what a projection shows.
    pub const ALL: Needs = Needs { monthly_deposits: true, provisions: true, cash: true, amc: true };
    /// Only the loan book and disposals (and year-end deposits).
    pub const CORE: Needs = Needs { monthly_deposits: false, provisions: false, cash: false, amc: false };

    /// Both sets of quantities.
    pub fn union(self, other: Needs) -> Needs {
        Needs {
            monthly_deposits: self.monthly_deposits || other.monthly_deposits,
            provisions: self.provisions || other.provisions,
            cash: self.cash || other.cash,
            amc: self.amc || other.amc,
        }
    }
}

/// The raw results of one run, reusable across runs of plans of the same shape.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Institution-major: `records[i * months + m]`.
    pub records: Vec<MonthRecord>,
    /// `A_y` per institution and year: `plans[i * years + y]`.
    pub plans: Vec<Decimal>,
    /// Year-opening NPL `N_y0` per institution and year, same layout.
    pub npl_year_open: Vec<Decimal>,
    pub amc: Vec<AmcMonth>,
    months: usize,
    years: usize,
}

impl Run {
    /// Buffers sized for `plan`.
    pub fn new(plan: &Plan) -> Run {
        let n = plan.institutions.len();
        Run {
            records: vec![MonthRecord::default(); n.saturating_mul(plan.months)],
            plans: vec![Decimal::ZERO; n.saturating_mul(plan.years)],
            npl_year_open: vec![Decimal::ZERO; n.saturating_mul(plan.years)],
            amc: vec![AmcMonth::default(); if plan.amc.is_some() { plan.months } else { 0 }],
            months: plan.months,
            years: plan.years,
        }
    }

    /// The records of institution `i`.
    pub fn institution(&self, i: usize) -> &[MonthRecord] {
        let start = i.saturating_mul(self.months);
        self.records.get(start..start.saturating_add(self.months)).unwrap_or(&[])
    }

    /// `A_y` of institution `i`, year `y`.
    pub fn plan_of(&self, i: usize, y: usize) -> Decimal {
        self.plans.get(i.saturating_mul(self.years).saturating_add(y)).copied().unwrap_or_default()
    }

    /// `N_y0` of institution `i`, year `y`.
    pub fn npl_open_of(&self, i: usize, y: usize) -> Decimal {
        self.npl_year_open.get(i.saturating_mul(self.years).saturating_add(y)).copied().unwrap_or_default()
    }

    /// Runs the whole projection into these buffers (resized if `plan` differs in shape).
    pub fn execute(&mut self, plan: &Plan) -> Result<(), SimError> {
        self.execute_with(plan, Needs::ALL)
    }

    /// Runs the projection computing only what `needs` asks for beyond the loan book and
    /// disposals; skipped quantities are left at zero (see [`Needs`]).
    pub fn execute_with(&mut self, plan: &Plan, needs: Needs) -> Result<(), SimError> {
        let n = plan.institutions.len();
        if self.months != plan.months
            || self.years != plan.years
            || self.records.len() != n.saturating_mul(plan.months)
        {
            *self = Run::new(plan);
        }
        if plan.amc.is_some() && self.amc.len() != plan.months {
            self.amc = vec![AmcMonth::default(); plan.months];
        }
        for y in 0..plan.years {
            self.fix_year_plans(plan, y, 0..n)?;
            for (i, inst) in plan.institutions.iter().enumerate() {
                self.run_year(plan, i, inst, y, needs)?;
            }
            if let Some(amc) = &plan.amc
                && needs.amc
            {
                self.run_amc_year(plan, amc, y)?;
            }
        }
        Ok(())
    }

    /// Whether institutions can be run apart, a range at a time ([`Run::execute_part`]):
    /// nothing that one institution's months need comes from another's. Not so when some
    /// year's plan is a share of the region's amount (shared by the institutions' NPL at the
    /// year's start, the other institutions' runs), nor with the AMC (fed by every
    /// institution's transfers), nor with reported months (their plan's run and tracking read
    /// every institution).
    pub fn separable(plan: &Plan) -> bool {
        plan.amc.is_none()
            && plan.as_of == 0
            && plan.institutions.iter().all(|inst| inst.years.iter().all(|d| d.rule != PlanRule::Shared))
    }

    /// Runs only the institutions `range` of a [`Run::separable`] plan, with everything
    /// `needs` asks for; the other institutions' records are left as they were. Each
    /// institution's records are exactly those [`Run::execute_with`] gives it.
    ///
    /// Errors: as [`Run::execute_with`], for the institutions run.
    pub fn execute_part(
        &mut self,
        plan: &Plan,
        range: std::ops::Range<usize>,
        needs: Needs,
    ) -> Result<(), SimError> {
        let n = plan.institutions.len();
        if self.months != plan.months
            || self.years != plan.years
            || self.records.len() != n.saturating_mul(plan.months)
        {
            *self = Run::new(plan);
        }
        let range = range.start.min(n)..range.end.min(n);
        for y in 0..plan.years {
            self.fix_year_plans(plan, y, range.clone())?;
            for (i, inst) in plan.institutions.iter().enumerate().take(range.end).skip(range.start) {
                self.run_year(plan, i, inst, y, needs)?;
            }
        }
        Ok(())
    }

    /// The opening state of institution `i` for year `y`: `(Dep, P, N, L, R, K, E)`.
    fn year_opening(&self, plan: &Plan, i: usize, y: usize) -> MonthRecord {
        let inst = &plan.institutions[i];
        if y == 0 {
            let (k0, e0) = inst.capital0.unwrap_or_default();
            MonthRecord {
                deposits: inst.deposits0,
                performing: inst.loans0.checked_sub(inst.npl0).unwrap_or_default(),
                npl: inst.npl0,
                loans: inst.loans0,
                provisions: inst.provisions0,
                tier1_capital: k0,
                leverage_exposure: e0,
                ..MonthRecord::default()
            }
        } else {
            let index = i.saturating_mul(self.months).saturating_add(y.saturating_mul(12)).saturating_sub(1);
            self.records.get(index).copied().unwrap_or_default()
        }
    }

    /// Sets `A_y` and `N_y0` for the institutions `range` at the start of year `y` (the
    /// region's amount shared over every institution that shares it).
    fn fix_year_plans(
        &mut self,
        plan: &Plan,
        y: usize,
        range: std::ops::Range<usize>,
    ) -> Result<(), SimError> {
        let overflow = |id: &str, Overflow(step)| SimError::Overflow {
            institution: id.to_string(),
            month: plan.labels.get(y.saturating_mul(12)).cloned().unwrap_or_default(),
            step,
        };
        // The region's amount is shared by NPL at year start, else by loans, else equally.
        let mut npl_total = Decimal::ZERO;
        let mut loans_total = Decimal::ZERO;
        let mut sharing = 0u32;
        for (i, inst) in plan.institutions.iter().enumerate() {
            if inst.years.get(y).is_some_and(|d| d.rule == PlanRule::Shared) {
                let open = self.year_opening(plan, i, y);
                npl_total = add(npl_total, open.npl, "disposal plan").map_err(|e| overflow(&inst.id, e))?;
                loans_total =
                    add(loans_total, open.loans, "disposal plan").map_err(|e| overflow(&inst.id, e))?;
                sharing = sharing.saturating_add(1);
            }
        }
        let region_amount = plan.region_amounts.as_ref().and_then(|a| a.get(y)).copied().unwrap_or_default();
        for (i, inst) in plan.institutions.iter().enumerate().take(range.end).skip(range.start) {
            let Some(drivers) = inst.years.get(y) else { continue };
            let open = self.year_opening(plan, i, y);
            let amount = match drivers.rule {
                PlanRule::Shared => {
                    let (mine, total) = if !npl_total.is_zero() {
                        (open.npl, npl_total)
                    } else if !loans_total.is_zero() {
                        (open.loans, loans_total)
                    } else {
                        (Decimal::ONE, Decimal::from(sharing.max(1)))
                    };
                    mul(region_amount, mine, "disposal plan")
                        .and_then(|x| div(x, total, "disposal plan"))
                        .map_err(|e| overflow(&inst.id, e))?
                }
                PlanRule::Amount(a) => a,
                PlanRule::Rate(r) => {
                    let events = inst.event_years.get(y).copied().unwrap_or_default();
                    let base = mul(drivers.formation_rate, open.performing, "disposal plan")
                        .and_then(|fp| add(open.npl, fp, "disposal plan"))
                        .and_then(|b| add(b, events, "disposal plan"))
                        .map_err(|e| overflow(&inst.id, e))?;
                    mul(r, base, "disposal plan").map_err(|e| overflow(&inst.id, e))?
                }
            };
            let slot = i.saturating_mul(plan.years).saturating_add(y);
            if let Some(p) = self.plans.get_mut(slot) {
                *p = amount;
            }
            if let Some(n) = self.npl_year_open.get_mut(slot) {
                *n = open.npl;
            }
        }
        Ok(())
    }

    /// Twelve monthly steps of institution `i` in year `y`.
    fn run_year(
        &mut self,
        plan: &Plan,
        i: usize,
        inst: &InstitutionPlan,
        y: usize,
        needs: Needs,
    ) -> Result<(), SimError> {
        let open = self.year_opening(plan, i, y);
        let Some(drivers) = inst.years.get(y).copied() else { return Ok(()) };
        let a_y = self.plan_of(i, y);
        let base = i.saturating_mul(self.months).saturating_add(y.saturating_mul(12));
        // 8. `g_L × L_y0 / 12` is the same every month of the year.
        let lending_base = mul(drivers.loan_growth, open.loans, "new lending")
            .and_then(|x| div(x, TWELVE, "new lending"))
            .map_err(|Overflow(step)| SimError::Overflow {
                institution: inst.id.clone(),
                month: plan.labels.get(y.saturating_mul(12)).cloned().unwrap_or_default(),
                step,
            })?;
        // A year's pacing repeats its weights (two values for `h1_share`, one for `even`), and
        // `A_y × w_k` is the same product each time it repeats: reuse it (bit for bit the same).
        let mut planned: Option<(Decimal, Decimal)> = None;
        // Reported months of this year (section 9): `k_a`; after them, the catch-up.
        let k_a = plan.as_of.saturating_sub(y.saturating_mul(12)).min(12);
        let mut catch_up: Option<CatchUp> = None;
        let label = |m: usize| plan.labels.get(m.saturating_sub(1)).cloned().unwrap_or_default();
        for k in 1..=12usize {
            let m = y.saturating_mul(12).saturating_add(k); // 1-based projection month
            let event = inst.events.get(m.saturating_sub(1)).copied().unwrap_or_default();
            let weight = inst.weights.get(k.saturating_sub(1)).copied().unwrap_or_default();
            let index = base.saturating_add(k).saturating_sub(1);
            if k == k_a.saturating_add(1) && k_a > 0 {
                catch_up = Some(self.catch_up(inst, &drivers, &open, a_y, base, k_a).map_err(
                    |Overflow(step)| SimError::Overflow {
                        institution: inst.id.clone(),
                        month: label(m),
                        step,
                    },
                )?);
            }
            let anchor = self.anchor(inst, i, m);
            // The month's slot, and the previous month's record (the year's opening in January).
            let len = self.records.len();
            let (before, rest) = self.records.split_at_mut(index.min(len));
            let Some(slot) = rest.first_mut() else { break };
            let prev = if k == 1 { &open } else { before.last().unwrap_or(&open) };
            let month = Month { k, a_y, weight, event, lending_base, anchor, catch_up };
            let outcome = match inst.reported.get(m.saturating_sub(1)) {
                Some(reported) if k <= k_a => {
                    reported_step(inst, prev, reported, &month, &mut planned, needs, slot)
                }
                _ => step(inst, &drivers, &open, prev, &month, &mut planned, needs, slot),
            };
            outcome.map_err(|err| match err {
                StepError::Overflow(Overflow(step)) => SimError::Overflow {
                    institution: inst.id.clone(),
                    month: plan.labels.get(m.saturating_sub(1)).cloned().unwrap_or_default(),
                    step,
                },
                StepError::Negative(stock, value) => SimError::NegativeStock {
                    institution: inst.id.clone(),
                    month: plan.labels.get(m.saturating_sub(1)).cloned().unwrap_or_default(),
                    stock,
                    value,
                },
            })?;
        }
        Ok(())
    }

    /// What is left of year's plan after its `k_a` reported months, and how the remaining
    /// months catch it up (section 9, re-forecast).
    fn catch_up(
        &self,
        inst: &InstitutionPlan,
        drivers: &YearDrivers,
        open: &MonthRecord,
        a_y: Decimal,
        base: usize,
        k_a: usize,
    ) -> Result<CatchUp, Overflow> {
        let reported = self.records.get(base..base.saturating_add(k_a)).unwrap_or(&[]);
        let mut done = Decimal::ZERO;
        for r in reported {
            done = add(done, r.disposal, "disposal plan")?;
        }
        let rem = sub(a_y, done, "disposal plan")?.max(Decimal::ZERO);
        let mut rest = Decimal::ZERO;
        for w in inst.weights.iter().skip(k_a) {
            rest = add(rest, *w, "disposal plan")?;
        }
        let dep_a = reported.last().map(|r| r.deposits).unwrap_or(open.deposits);
        let dep_pace = mul(open.deposits, drivers.deposit_growth, "deposits")?;
        Ok(CatchUp { k_a, rem, rest, dep_a, dep_pace })
    }

    /// Step 12's exposure anchor for month `m` (1-based): the last earlier reported month
    /// whose exposure was reported, else the opening.
    fn anchor(&self, inst: &InstitutionPlan, i: usize, m: usize) -> Anchor {
        let opening = Anchor {
            exposure: inst.capital0.map(|(_, e)| e).unwrap_or_default(),
            loans: inst.loans0,
            provisions: inst.provisions0,
        };
        if inst.reported.is_empty() {
            return opening;
        }
        let earlier = m.saturating_sub(1).min(inst.reported.len());
        (1..=earlier)
            .rev()
            .find(|&r| inst.reported.get(r.saturating_sub(1)).is_some_and(|rep| rep.capital.is_some()))
            .and_then(|r| self.records.get(i.saturating_mul(self.months).saturating_add(r).saturating_sub(1)))
            .map_or(opening, |record| Anchor {
                exposure: record.leverage_exposure,
                loans: record.loans,
                provisions: record.provisions,
            })
    }

    /// Twelve months of the AMC in year `y` (after every institution's year has run).
    fn run_amc_year(&mut self, plan: &Plan, amc: &AmcPlan, y: usize) -> Result<(), SimError> {
        let first = y.saturating_mul(12);
        let stock_before = |run: &Run, m: usize| {
            if m == 0 {
                amc.opening_stock
            } else {
                run.amc.get(m.saturating_sub(1)).map(|a| a.stock).unwrap_or_default()
            }
        };
        let s_y0 = stock_before(self, first);
        // `α × S_y0` is the same all year, and `× w_k` repeats with the weights: computed once each.
        let mut base: Option<Decimal> = None;
        let mut planned: Option<(Decimal, Decimal)> = None;
        for k in 0..12usize {
            let m = first.saturating_add(k);
            let label = || plan.labels.get(m).cloned().unwrap_or_default();
            let overflow =
                |Overflow(step)| SimError::Overflow { institution: "amc".into(), month: label(), step };
            let mut transfers = Decimal::ZERO;
            for i in 0..plan.institutions.len() {
                let x = self
                    .records
                    .get(i.saturating_mul(self.months).saturating_add(m))
                    .map(|r| r.channels[channel::TRANSFER])
                    .unwrap_or_default();
                transfers = add(transfers, x, "amc inflow").map_err(overflow)?;
            }
            let inflow = mul(amc.inflow_share, transfers, "amc inflow").map_err(overflow)?;
            let before = stock_before(self, m);
            let weight = plan.default_weights.get(k).copied().unwrap_or_default();
            let yearly = match base {
                Some(b) => b,
                None => *base.insert(mul(amc.disposal_rate, s_y0, "amc disposal").map_err(overflow)?),
            };
            let planned = match planned {
                Some((w, p)) if same_bits(w, weight) => p,
                _ => planned.insert((weight, mul(yearly, weight, "amc disposal").map_err(overflow)?)).1,
            };
            let available = add(before, inflow, "amc disposal").map_err(overflow)?;
            let out = planned.min(available);
            let stock = sub(available, out, "amc stock").map_err(overflow)?;
            if let Some(slot) = self.amc.get_mut(m) {
                *slot = AmcMonth { stock, inflow, disposal: out, year_opening: s_y0 };
            }
        }
        Ok(())
    }
}

enum StepError {
    Overflow(Overflow),
    Negative(&'static str, Decimal),
}

impl From<Overflow> for StepError {
    fn from(o: Overflow) -> StepError {
        StepError::Overflow(o)
    }
}

/// The re-forecast months of the as-of year (section 9): `Dsp*_m = Rem × w_k / W` (or
/// `Rem / (12 − k_a)` when `W = 0`), `Dep_m = Dep_a + Dep_y0 × g_D × (k − k_a) / 12`.
#[derive(Clone, Copy, Debug)]
struct CatchUp {
    k_a: usize,
    rem: Decimal,
    /// `W = Σ_{j > k_a} w_j`.
    rest: Decimal,
    dep_a: Decimal,
    /// `Dep_y0 × g_D`.
    dep_pace: Decimal,
}

impl CatchUp {
    fn planned(&self, weight: Decimal) -> Result<Decimal, Overflow> {
        if self.rest.is_zero() {
            div(self.rem, Decimal::from(12usize.saturating_sub(self.k_a)), "disposal")
        } else {
            div(mul(self.rem, weight, "disposal")?, self.rest, "disposal")
        }
    }

    fn deposits(&self, k: usize) -> Result<Decimal, Overflow> {
        let months = Decimal::from(k.saturating_sub(self.k_a));
        add(self.dep_a, div(mul(self.dep_pace, months, "deposits")?, TWELVE, "deposits")?, "deposits")
    }
}

/// Step 12's exposure anchor: `E_m = E_r + (L_m − L_r) − (R_m − R_r)`.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    exposure: Decimal,
    loans: Decimal,
    provisions: Decimal,
}

/// What one month of one institution's year brings to the step.
struct Month {
    /// The month in the year, 1 … 12.
    k: usize,
    /// The year's disposal plan `A_y`.
    a_y: Decimal,
    /// The pacing weight `w_k`.
    weight: Decimal,
    /// The month's events.
    event: Decimal,
    /// `g_L × L_y0 / 12`.
    lending_base: Decimal,
    anchor: Anchor,
    /// In the as-of year's re-forecast months.
    catch_up: Option<CatchUp>,
}

/// Whether two decimals are the same bits (not just the same value), so that reusing a
/// product computed from one gives exactly what computing it from the other would.
#[inline]
fn same_bits(a: Decimal, b: Decimal) -> bool {
    a.serialize() == b.serialize()
}

/// One monthly step (MODEL.md section 3, steps 1–12), from `prev` (month m−1) into `out` (month m).
///
/// `open` holds the year's opening stocks. `planned` carries the last `(w_k, A_y × w_k)` of
/// the year, reused when the weight repeats. What `needs` leaves out is not computed and
/// stays zero in the record.
#[allow(clippy::too_many_arguments)]
#[inline]
fn step(
    inst: &InstitutionPlan,
    drivers: &YearDrivers,
    open: &MonthRecord,
    prev: &MonthRecord,
    month: &Month,
    planned_memo: &mut Option<(Decimal, Decimal)>,
    needs: Needs,
    out: &mut MonthRecord,
) -> Result<(), StepError> {
    let Month { k, a_y, weight, event, lending_base, anchor, catch_up } = *month;
    // 1. Deposits grow linearly through the year from the year's opening: Dep_y0 × (1 + g_D × k / 12);
    // after reported months, from the last report at the plan's pace.
    let deposits = if let Some(c) = catch_up {
        c.deposits(k)?
    } else if needs.monthly_deposits || k == 12 {
        let factor = drivers.deposit_factors.get(k.saturating_sub(1)).copied().unwrap_or(Decimal::ONE);
        mul(open.deposits, factor, "deposits")?
    } else {
        Decimal::ZERO
    };
    // 2–3. Formation, events included, capped at the performing stock.
    let uncapped = if drivers.formation_rate.is_zero() {
        event
    } else {
        add_sparse(
            div(mul(drivers.formation_rate, prev.performing, "formation")?, TWELVE, "formation")?,
            event,
            "formation",
        )?
    };
    let capped = uncapped > prev.performing;
    let formation = if capped { prev.performing } else { uncapped };
    // 4. Planned and actual disposal (after reported months, what is left of the plan).
    let planned = match catch_up {
        Some(c) => c.planned(weight)?,
        None => match *planned_memo {
            Some((w, p)) if same_bits(w, weight) => p,
            _ => planned_memo.insert((weight, mul(a_y, weight, "disposal")?)).1,
        },
    };
    let available = add(prev.npl, formation, "disposal")?;
    let disposal = planned.min(available);
    // 5. Channel flows.
    let flows = split(inst, disposal)?;
    // 6. NPL.
    let npl = sub(available, disposal, "npl")?;
    // 7. Removals: every channel but upgrade takes the loan off the books.
    let upgrade = flows[channel::UPGRADE];
    let removals = sub(disposal, upgrade, "removals")?;
    // 8. New net lending.
    let new_lending = match inst.basis {
        Basis::Lending => lending_base,
        Basis::Balance => add(lending_base, removals, "new lending")?,
    };
    // 9. Performing loans and loans.
    let performing = add(
        add_sparse(sub(prev.performing, formation, "performing")?, upgrade, "performing")?,
        new_lending,
        "performing",
    )?;
    if performing.is_sign_negative() && !performing.is_zero() {
        return Err(StepError::Negative("performing", performing));
    }
    let loans = add(performing, npl, "loans")?;
    *out = MonthRecord {
        deposits,
        performing,
        npl,
        loans,
        formation,
        planned,
        disposal,
        channels: flows,
        removals,
        new_lending,
        capped,
        ..MonthRecord::default()
    };
    // 10. Losses, cash and assets received; 11–12.
    let losses = losses_and_cash(inst, &flows, needs, out)?;
    if needs.provisions {
        provide(inst, prev, out, losses, None, anchor)?;
    }
    Ok(())
}

/// Step 5: `Dsp_m` over the channel shares; the largest channel takes the last-digit rounding
/// so that `Σ X_c = Dsp` exactly.
#[inline]
fn split(inst: &InstitutionPlan, disposal: Decimal) -> Result<[Decimal; 7], Overflow> {
    let mut flows = [Decimal::ZERO; 7];
    if !disposal.is_zero() {
        let mut assigned = Decimal::ZERO;
        for (c, (flow, share)) in flows.iter_mut().zip(inst.shares).enumerate() {
            if c != inst.residual_channel && !share.is_zero() {
                *flow = mul(disposal, share, "channels")?;
                assigned = add_sparse(assigned, *flow, "channels")?;
            }
        }
        if let Some(rest) = flows.get_mut(inst.residual_channel) {
            *rest = sub(disposal, assigned, "channels")?;
        }
    }
    Ok(flows)
}

/// Step 10's losses, cash and assets received from the month's channel flows.
#[inline]
fn losses_and_cash(
    inst: &InstitutionPlan,
    flows: &[Decimal; 7],
    needs: Needs,
    out: &mut MonthRecord,
) -> Result<Decimal, Overflow> {
    let [r_t, r_s, _, r_k] = inst.recovery;
    let mut losses = Decimal::ZERO;
    if needs.provisions {
        let [l_t, l_s, l_x, l_k] = inst.loss_rates;
        let lost = |x: Decimal, loss_rate: Decimal| -> Result<Decimal, Overflow> {
            if x.is_zero() { Ok(Decimal::ZERO) } else { mul(loss_rate, x, "losses") }
        };
        losses = flows[channel::WRITE_OFF];
        losses = add_sparse(losses, lost(flows[channel::TRANSFER], l_t)?, "losses")?;
        losses = add_sparse(losses, lost(flows[channel::SECURITIZATION], l_s)?, "losses")?;
        losses = add_sparse(losses, lost(flows[channel::DEBT_EQUITY], l_x)?, "losses")?;
        losses = add_sparse(losses, lost(flows[channel::FORECLOSURE], l_k)?, "losses")?;
    }
    if needs.cash {
        let recovered = |x: Decimal, r: Decimal| -> Result<Decimal, Overflow> {
            if x.is_zero() { Ok(Decimal::ZERO) } else { mul(r, x, "cash") }
        };
        let mut cash = flows[channel::COLLECTION];
        cash = add_sparse(cash, recovered(flows[channel::TRANSFER], r_t)?, "cash")?;
        cash = add_sparse(cash, recovered(flows[channel::SECURITIZATION], r_s)?, "cash")?;
        out.cash = cash;
        // Foreclosure brings in assets, not cash (v2).
        out.assets_received = recovered(flows[channel::FORECLOSURE], r_k)?;
    }
    Ok(losses)
}

/// A reported month (section 9, steps 1–9 for `m ≤ a`): the reported stocks and disposals;
/// formation as reported or the roll-forward residual; removals, losses, cash and assets on
/// the reported flows; provisions and capital as reported, else steps 11–12 on the reported
/// stocks. New lending is what the stocks imply, `P_m − P_{m−1} + F_m − X_upgrade`, so that
/// step 9's identity holds (the contract leaves it unsaid).
#[allow(clippy::too_many_arguments)]
fn reported_step(
    inst: &InstitutionPlan,
    prev: &MonthRecord,
    reported: &Reported,
    month: &Month,
    planned_memo: &mut Option<(Decimal, Decimal)>,
    needs: Needs,
    out: &mut MonthRecord,
) -> Result<(), StepError> {
    let Month { a_y, weight, anchor, .. } = *month;
    let (deposits, loans, npl) = (reported.deposits, reported.loans, reported.npl);
    let performing = sub(loans, npl, "performing")?;
    let (flows, disposal) = match reported.disposal {
        ReportedDisposal::Channels(flows) => {
            let mut total = Decimal::ZERO;
            for x in flows {
                total = add(total, x, "disposal")?;
            }
            (flows, total)
        }
        ReportedDisposal::Total(total) => (split(inst, total)?, total),
    };
    let formation = match reported.formation {
        Some(f) => f,
        None => add(sub(npl, prev.npl, "formation")?, disposal, "formation")?,
    };
    let planned = match *planned_memo {
        Some((w, p)) if same_bits(w, weight) => p,
        _ => planned_memo.insert((weight, mul(a_y, weight, "disposal")?)).1,
    };
    let upgrade = flows[channel::UPGRADE];
    let removals = sub(disposal, upgrade, "removals")?;
    let new_lending = sub(
        add(sub(performing, prev.performing, "new lending")?, formation, "new lending")?,
        upgrade,
        "new lending",
    )?;
    *out = MonthRecord {
        deposits,
        performing,
        npl,
        loans,
        formation,
        planned,
        disposal,
        channels: flows,
        removals,
        new_lending,
        capped: false,
        ..MonthRecord::default()
    };
    let losses = losses_and_cash(inst, &flows, needs, out)?;
    if needs.provisions {
        provide(inst, prev, out, losses, Some(reported), anchor)?;
    }
    Ok(())
}

/// Steps 11–12 for a month whose losses are known: provisions, the charge, capital and exposure.
/// `reported`: a reported month's provisions and capital, used where given (section 9).
#[inline]
fn provide(
    inst: &InstitutionPlan,
    prev: &MonthRecord,
    record: &mut MonthRecord,
    losses: Decimal,
    reported: Option<&Reported>,
    anchor: Anchor,
) -> Result<(), Overflow> {
    let (npl, loans) = (record.npl, record.loans);
    // 11. Provisions: losses first draw on the stock, then the floors top it up.
    let pre = sub(prev.provisions, losses, "provisions")?;
    let coverage_floor = match inst.coverage_floor {
        Some(kappa) => Some(mul(kappa, npl, "provisions")?),
        None => None,
    };
    let allowance_floor = match inst.allowance_floor {
        Some(lambda) => Some(mul(lambda, loans, "provisions")?),
        None => None,
    };
    let floor = match (coverage_floor, allowance_floor) {
        (Some(a), Some(b)) => a.max(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => Decimal::ZERO,
    };
    let provisions = match reported.and_then(|r| r.provisions) {
        Some(reported) => reported,
        None => pre.max(floor).max(Decimal::ZERO),
    };
    let provision_charge = sub(provisions, pre, "provisions")?;
    // 12. Capital and leverage exposure, when modelled (the exposure from its anchor).
    if inst.capital0.is_some() {
        if let Some((k, e)) = reported.and_then(|r| r.capital) {
            record.tier1_capital = k;
            record.leverage_exposure = e;
        } else {
            let income = sub(mul(inst.monthly_return, prev.loans, "capital")?, provision_charge, "capital")?;
            let kept = if income > Decimal::ZERO { mul(inst.retention, income, "capital")? } else { income };
            record.tier1_capital = add(prev.tier1_capital, kept, "capital")?;
            record.leverage_exposure = sub(
                add(anchor.exposure, sub(loans, anchor.loans, "leverage exposure")?, "leverage exposure")?,
                sub(provisions, anchor.provisions, "leverage exposure")?,
                "leverage exposure",
            )?;
        }
    }
    record.losses = losses;
    record.provisions = provisions;
    record.provision_charge = provision_charge;
    Ok(())
}
