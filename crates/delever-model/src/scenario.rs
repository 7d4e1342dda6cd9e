//! The validated scenario (MODEL.md section 2): typed, with per-year values, and its canonical JSON form.

use std::fmt;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::num::{TWELVE, decimal_json, fmt_decimal};

/// A month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1 … 12.
    pub month: u32,
}

impl YearMonth {
    /// The month `n` months after this one (`n` may be large; years roll over).
    pub fn plus_months(self, n: u32) -> YearMonth {
        let zero_based = self.month.saturating_sub(1).saturating_add(n);
        let years = i32::try_from(zero_based / 12).unwrap_or(i32::MAX);
        YearMonth { year: self.year.saturating_add(years), month: (zero_based % 12).saturating_add(1) }
    }

    /// Parses `YYYY-MM` (four-digit year, two-digit month 01 … 12).
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !month.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(YearMonth { year, month })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A whole scenario, checked against every rule of MODEL.md sections 2–3.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub notes: String,
    /// Display label only (`亿元` by default); the engine is unit-free.
    pub unit: String,
    /// The month of the opening balances, always a December.
    pub start: YearMonth,
    /// 1 … 10.
    pub years: u32,
    pub defaults: Drivers,
    pub institutions: Vec<Institution>,
    pub amc: Option<Amc>,
    pub events: Vec<Event>,
    pub targets: Vec<Target>,
    /// Reference values the scenario supplies (MODEL.md section 11, v2).
    pub reference: Option<ReferenceValues>,
    /// How zones or institutions are scored (MODEL.md section 10, v2).
    pub assessment: Option<Assessment>,
    /// Reported months (MODEL.md section 9, v2), in file order; every institution reports the
    /// same months `1 … as_of` (validated).
    pub actuals: Vec<Actual>,
}

/// A month's reported disposal: per channel (a channel left out is 0), or one total split
/// over the institution's channel shares as step 5 splits `Dsp_m`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ReportedDisposal {
    Channels([Decimal; 7]),
    Total(Decimal),
}

/// One institution's reported month (月报).
#[derive(Clone, Debug, PartialEq)]
pub struct Actual {
    pub month: YearMonth,
    pub institution: String,
    pub deposits: Decimal,
    pub loans: Decimal,
    pub npl: Decimal,
    pub provisions: Option<Decimal>,
    pub formation: Option<Decimal>,
    pub disposal: ReportedDisposal,
    /// `(tier1_capital, leverage_exposure)`, given together.
    pub capital: Option<(Decimal, Decimal)>,
}

impl Actual {
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("month".into(), Value::String(self.month.to_string()));
        map.insert("institution".into(), Value::String(self.institution.clone()));
        map.insert("deposits".into(), Value::String(fmt_decimal(self.deposits)));
        map.insert("loans".into(), Value::String(fmt_decimal(self.loans)));
        map.insert("npl".into(), Value::String(fmt_decimal(self.npl)));
        if let Some(p) = self.provisions {
            map.insert("provisions".into(), Value::String(fmt_decimal(p)));
        }
        if let Some(f) = self.formation {
            map.insert("formation".into(), Value::String(fmt_decimal(f)));
        }
        let disposal = match self.disposal {
            ReportedDisposal::Total(t) => Value::String(fmt_decimal(t)),
            ReportedDisposal::Channels(x) => {
                let mut channels = Map::new();
                for (name, amount) in CHANNELS.iter().zip(x) {
                    if !amount.is_zero() {
                        channels.insert((*name).into(), Value::String(fmt_decimal(amount)));
                    }
                }
                Value::Object(channels)
            }
        };
        map.insert("disposal".into(), disposal);
        if let Some((k, e)) = self.capital {
            map.insert("tier1_capital".into(), Value::String(fmt_decimal(k)));
            map.insert("leverage_exposure".into(), Value::String(fmt_decimal(e)));
        }
        Value::Object(map)
    }
}

/// What an assessment scores: every zone, or every institution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Zone,
    Institution,
}

impl Level {
    pub const NAMES: [&'static str; 2] = ["zone", "institution"];

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "zone" => Some(Level::Zone),
            "institution" => Some(Level::Institution),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Zone => "zone",
            Level::Institution => "institution",
        }
    }
}

/// Which way a criterion's value is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
}

impl Better {
    pub const NAMES: [&'static str; 2] = ["lower", "higher"];

    pub fn parse(s: &str) -> Option<Better> {
        match s {
            "lower" => Some(Better::Lower),
            "higher" => Some(Better::Higher),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Better::Lower => "lower",
            Better::Higher => "higher",
        }
    }
}

/// One scored measure: a scalar year-end metric, `loan_growth` or `disposal_completion`.
#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub metric: String,
    pub better: Better,
    /// `> 0`.
    pub weight: Decimal,
}

/// The assessment (考核计分): the year, the level, the criteria.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub year: i32,
    pub level: Level,
    pub criteria: Vec<Criterion>,
}

impl Assessment {
    pub fn to_json(&self) -> Value {
        let criteria: Vec<Value> = self
            .criteria
            .iter()
            .map(|c| json!({"metric": c.metric, "better": c.better.name(), "weight": fmt_decimal(c.weight)}))
            .collect();
        json!({"year": self.year, "level": self.level.name(), "criteria": criteria})
    }
}

/// Scenario-supplied reference values (MODEL.md section 11): the user's assumptions, shown as
/// such with their source, never as published figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferenceValues {
    /// The national commercial-bank NPL ratio (a fraction) by year, in year order; these
    /// years replace or extend the published table for this scenario.
    pub national_npl_ratio: Vec<(i32, Decimal)>,
    /// Where the assumption comes from, as written (may be empty).
    pub source: String,
}

impl ReferenceValues {
    pub fn to_json(&self) -> Value {
        let mut ratios = Map::new();
        for (year, ratio) in &self.national_npl_ratio {
            ratios.insert(year.to_string(), Value::String(fmt_decimal(*ratio)));
        }
        json!({ "national_npl_ratio": ratios, "source": self.source })
    }
}

impl Scenario {
    /// The national commercial-bank NPL ratio for `year`: the scenario's own assumption where
    /// it gives one (section 11), else the published table (section 6).
    pub fn national_npl_ratio(&self, year: i32) -> Option<crate::reference::NationalFigure<'_>> {
        use crate::reference::NationalFigure;
        let assumed = self.reference.as_ref().and_then(|r| {
            let (_, ratio) = r.national_npl_ratio.iter().find(|(y, _)| *y == year)?;
            Some(NationalFigure::Assumed { year, ratio: *ratio, source: &r.source })
        });
        assumed.or_else(|| crate::reference::national_npl_ratio(year).map(NationalFigure::Published))
    }

    /// The first projected calendar year (the year after `start`).
    pub fn first_year(&self) -> i32 {
        self.start.year.saturating_add(1)
    }

    /// The zones, in the order the institutions first name them.
    pub fn zones(&self) -> Vec<&str> {
        let mut zones: Vec<&str> = Vec::new();
        for zone in self.institutions.iter().filter_map(|inst| inst.zone.as_deref()) {
            if !zones.contains(&zone) {
                zones.push(zone);
            }
        }
        zones
    }

    /// The indices of the institutions in `zone`, in file order.
    pub fn zone_members(&self, zone: &str) -> Vec<usize> {
        self.institutions
            .iter()
            .enumerate()
            .filter(|(_, inst)| inst.zone.as_deref() == Some(zone))
            .map(|(i, _)| i)
            .collect()
    }

    /// The as-of month `a`: how many months, from the first, are reported (0 without actuals).
    pub fn as_of(&self) -> usize {
        self.actuals
            .iter()
            .filter_map(|a| self.month_index(a.month))
            .map(|m| m.saturating_add(1))
            .max()
            .unwrap_or(0)
    }

    /// The 0-based index of `month` in the projection, if inside it.
    pub fn month_index(&self, month: YearMonth) -> Option<usize> {
        let years = i64::from(month.year).checked_sub(i64::from(self.start.year))?;
        let offset = years.checked_mul(12)?.checked_add(i64::from(month.month))?.checked_sub(13)?;
        usize::try_from(offset).ok().filter(|m| *m < self.months())
    }

    /// The last projected calendar year.
    pub fn last_year(&self) -> i32 {
        self.start.year.saturating_add(i32::try_from(self.years).unwrap_or(10))
    }

    /// Number of projected months, `12 × years`.
    pub fn months(&self) -> usize {
        usize::try_from(self.years).unwrap_or(10).saturating_mul(12)
    }

    /// The calendar month of projection month `m` (1-based).
    pub fn month_label(&self, m: usize) -> YearMonth {
        self.start.plus_months(u32::try_from(m).unwrap_or(u32::MAX))
    }

    /// The effective drivers of institution `index`: its overrides over the defaults.
    pub fn drivers_of(&self, index: usize) -> Drivers {
        match self.institutions.get(index) {
            Some(inst) => inst.drivers.apply_to(&self.defaults),
            None => self.defaults.clone(),
        }
    }

    /// The canonical JSON form (decimals as strings); parsing it gives back an equal scenario.
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "schema": 1,
            "name": self.name,
            "notes": self.notes,
            "unit": self.unit,
            "start": self.start.to_string(),
            "years": self.years,
            "defaults": self.defaults.to_json(),
            "institutions": self.institutions.iter().map(Institution::to_json).collect::<Vec<_>>(),
            "amc": self.amc.as_ref().map(Amc::to_json),
            "events": self.events.iter().map(Event::to_json).collect::<Vec<_>>(),
            "targets": self.targets.iter().map(Target::to_json).collect::<Vec<_>>(),
        });
        // Written only when given, so a v1 file's canonical form (and its links) stay as they were.
        if let Some(map) = value.as_object_mut() {
            if let Some(reference) = &self.reference {
                map.insert("reference".into(), reference.to_json());
            }
            if let Some(assessment) = &self.assessment {
                map.insert("assessment".into(), assessment.to_json());
            }
            if !self.actuals.is_empty() {
                map.insert(
                    "actuals".into(),
                    Value::Array(self.actuals.iter().map(Actual::to_json).collect()),
                );
            }
        }
        value
    }
}

/// A value that may vary by year: one value for all years, or one per year.
#[derive(Clone, Debug, PartialEq)]
pub enum PerYear {
    Same(Decimal),
    ByYear(Vec<Decimal>),
}

impl PerYear {
    /// The value for year index `y` (0-based); the last value if `y` is past the end.
    pub fn get(&self, y: usize) -> Decimal {
        match self {
            PerYear::Same(v) => *v,
            PerYear::ByYear(values) => values.get(y).or(values.last()).copied().unwrap_or_default(),
        }
    }

    /// Applies `f` to every value, keeping the shape.
    pub fn map(&self, f: impl Fn(Decimal) -> Decimal) -> PerYear {
        match self {
            PerYear::Same(v) => PerYear::Same(f(*v)),
            PerYear::ByYear(values) => PerYear::ByYear(values.iter().map(|v| f(*v)).collect()),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            PerYear::Same(v) => Value::String(fmt_decimal(*v)),
            PerYear::ByYear(values) => {
                Value::Array(values.iter().map(|v| Value::String(fmt_decimal(*v))).collect())
            }
        }
    }
}

/// How reported loan growth is read (see MODEL.md, `loan_growth_basis`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// `loan_growth` is growth of new net lending; disposals then remove loans.
    Lending,
    /// The reported balance grows at `loan_growth`; lending replaces what disposals removed.
    Balance,
}

impl Basis {
    pub const NAMES: [&'static str; 2] = ["lending", "balance"];

    pub fn name(self) -> &'static str {
        match self {
            Basis::Lending => "lending",
            Basis::Balance => "balance",
        }
    }
}

/// The year's disposal plan: an amount, or a rate of the year's NPL stock plus expected formation.
#[derive(Clone, Debug, PartialEq)]
pub enum Disposal {
    Amount(PerYear),
    Rate(PerYear),
}

impl Disposal {
    pub fn to_json(&self) -> Value {
        match self {
            Disposal::Amount(a) => json!({"plan": "amount", "amount": a.to_json()}),
            Disposal::Rate(r) => json!({"plan": "rate", "rate": r.to_json()}),
        }
    }
}

/// The disposal channels, in the fixed order used everywhere (arrays, charts, CSV columns).
pub const CHANNELS: [&str; 7] =
    ["collection", "write_off", "transfer", "securitization", "debt_equity", "foreclosure", "upgrade"];

/// Index of each channel in [`CHANNELS`].
pub mod channel {
    pub const COLLECTION: usize = 0;
    pub const WRITE_OFF: usize = 1;
    pub const TRANSFER: usize = 2;
    pub const SECURITIZATION: usize = 3;
    pub const DEBT_EQUITY: usize = 4;
    pub const FORECLOSURE: usize = 5;
    pub const UPGRADE: usize = 6;
}

/// Shares of disposal by channel, in [`CHANNELS`] order; they sum to exactly 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Channels(pub [Decimal; 7]);

impl Channels {
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        for (name, share) in CHANNELS.iter().zip(self.0) {
            map.insert((*name).to_string(), Value::String(fmt_decimal(share)));
        }
        Value::Object(map)
    }
}

/// How a year's plan is spread over its months.
#[derive(Clone, Debug, PartialEq)]
pub enum Pacing {
    Even,
    H1Share(Decimal),
    Weights([Decimal; 12]),
}

impl Pacing {
    /// The twelve monthly weights `w1 … w12`.
    pub fn weights(&self) -> [Decimal; 12] {
        match self {
            Pacing::Even => {
                let w = Decimal::ONE.checked_div(TWELVE).unwrap_or_default();
                [w; 12]
            }
            Pacing::H1Share(s) => {
                let six = Decimal::from(6);
                let first = s.checked_div(six).unwrap_or_default();
                let second =
                    Decimal::ONE.checked_sub(*s).and_then(|r| r.checked_div(six)).unwrap_or_default();
                let mut w = [second; 12];
                for slot in w.iter_mut().take(6) {
                    *slot = first;
                }
                w
            }
            Pacing::Weights(w) => *w,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Pacing::Even => Value::String("even".into()),
            Pacing::H1Share(s) => json!({"h1_share": fmt_decimal(*s)}),
            Pacing::Weights(w) => {
                json!({"weights": w.iter().map(|v| fmt_decimal(*v)).collect::<Vec<_>>()})
            }
        }
    }
}

/// Proceeds per unit of book value for the channels that recover cash.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recovery {
    pub transfer: Decimal,
    pub securitization: Decimal,
    pub debt_equity: Decimal,
    pub foreclosure: Decimal,
}

impl Recovery {
    pub const FIELDS: [&'static str; 4] = ["transfer", "securitization", "debt_equity", "foreclosure"];

    pub fn to_json(&self) -> Value {
        json!({
            "transfer": fmt_decimal(self.transfer),
            "securitization": fmt_decimal(self.securitization),
            "debt_equity": fmt_decimal(self.debt_equity),
            "foreclosure": fmt_decimal(self.foreclosure),
        })
    }
}

/// Provision floors: 拨备覆盖率 κ and 拨贷比 λ; either may be absent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Provisioning {
    pub coverage_floor: Option<Decimal>,
    pub allowance_floor: Option<Decimal>,
}

impl Provisioning {
    pub fn to_json(&self) -> Value {
        json!({
            "coverage_floor": decimal_json(self.coverage_floor),
            "allowance_floor": decimal_json(self.allowance_floor),
        })
    }
}

/// Profitability and retention, used when capital is modelled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CapitalDrivers {
    /// π: annual pre-provision profit / loans.
    pub pre_provision_return: Decimal,
    /// ρ: share of a positive monthly profit kept as capital.
    pub retention: Decimal,
}

impl CapitalDrivers {
    pub fn to_json(&self) -> Value {
        json!({
            "pre_provision_return": fmt_decimal(self.pre_provision_return),
            "retention": fmt_decimal(self.retention),
        })
    }
}

/// The complete set of drivers (all required in `defaults`).
#[derive(Clone, Debug, PartialEq)]
pub struct Drivers {
    pub deposit_growth: PerYear,
    pub loan_growth: PerYear,
    pub loan_growth_basis: Basis,
    pub npl_formation_rate: PerYear,
    pub disposal: Disposal,
    pub channels: Channels,
    pub pacing: Pacing,
    pub recovery: Recovery,
    pub provisioning: Provisioning,
    pub capital: CapitalDrivers,
}

/// Driver field names, in file order.
pub const DRIVER_FIELDS: [&str; 10] = [
    "deposit_growth",
    "loan_growth",
    "loan_growth_basis",
    "npl_formation_rate",
    "disposal",
    "channels",
    "pacing",
    "recovery",
    "provisioning",
    "capital",
];

impl Drivers {
    pub fn to_json(&self) -> Value {
        json!({
            "deposit_growth": self.deposit_growth.to_json(),
            "loan_growth": self.loan_growth.to_json(),
            "loan_growth_basis": self.loan_growth_basis.name(),
            "npl_formation_rate": self.npl_formation_rate.to_json(),
            "disposal": self.disposal.to_json(),
            "channels": self.channels.to_json(),
            "pacing": self.pacing.to_json(),
            "recovery": self.recovery.to_json(),
            "provisioning": self.provisioning.to_json(),
            "capital": self.capital.to_json(),
        })
    }
}

/// An institution's own drivers: each field, when set, replaces the default's whole field.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DriverOverrides {
    pub deposit_growth: Option<PerYear>,
    pub loan_growth: Option<PerYear>,
    pub loan_growth_basis: Option<Basis>,
    pub npl_formation_rate: Option<PerYear>,
    pub disposal: Option<Disposal>,
    pub channels: Option<Channels>,
    pub pacing: Option<Pacing>,
    pub recovery: Option<Recovery>,
    pub provisioning: Option<Provisioning>,
    pub capital: Option<CapitalDrivers>,
}

impl DriverOverrides {
    /// These overrides laid over `defaults`.
    pub fn apply_to(&self, defaults: &Drivers) -> Drivers {
        Drivers {
            deposit_growth: self.deposit_growth.clone().unwrap_or_else(|| defaults.deposit_growth.clone()),
            loan_growth: self.loan_growth.clone().unwrap_or_else(|| defaults.loan_growth.clone()),
            loan_growth_basis: self.loan_growth_basis.unwrap_or(defaults.loan_growth_basis),
            npl_formation_rate: self
                .npl_formation_rate
                .clone()
                .unwrap_or_else(|| defaults.npl_formation_rate.clone()),
            disposal: self.disposal.clone().unwrap_or_else(|| defaults.disposal.clone()),
            channels: self.channels.unwrap_or(defaults.channels),
            pacing: self.pacing.clone().unwrap_or_else(|| defaults.pacing.clone()),
            recovery: self.recovery.unwrap_or(defaults.recovery),
            provisioning: self.provisioning.unwrap_or(defaults.provisioning),
            capital: self.capital.unwrap_or(defaults.capital),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == DriverOverrides::default()
    }

    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(v) = value {
                map.insert(key.to_string(), v);
            }
        };
        put("deposit_growth", self.deposit_growth.as_ref().map(PerYear::to_json));
        put("loan_growth", self.loan_growth.as_ref().map(PerYear::to_json));
        put("loan_growth_basis", self.loan_growth_basis.map(|b| Value::String(b.name().into())));
        put("npl_formation_rate", self.npl_formation_rate.as_ref().map(PerYear::to_json));
        put("disposal", self.disposal.as_ref().map(Disposal::to_json));
        put("channels", self.channels.as_ref().map(Channels::to_json));
        put("pacing", self.pacing.as_ref().map(Pacing::to_json));
        put("recovery", self.recovery.as_ref().map(Recovery::to_json));
        put("provisioning", self.provisioning.as_ref().map(Provisioning::to_json));
        put("capital", self.capital.as_ref().map(CapitalDrivers::to_json));
        Value::Object(map)
    }
}

/// The kind of institution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    LargeState,
    JointStock,
    CityCommercial,
    Rural,
    Village,
    Foreign,
    Policy,
    Other,
}

impl Kind {
    pub const NAMES: [&'static str; 8] =
        ["large_state", "joint_stock", "city_commercial", "rural", "village", "foreign", "policy", "other"];
    const ALL: [Kind; 8] = [
        Kind::LargeState,
        Kind::JointStock,
        Kind::CityCommercial,
        Kind::Rural,
        Kind::Village,
        Kind::Foreign,
        Kind::Policy,
        Kind::Other,
    ];

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::NAMES.iter().position(|n| *n == text).and_then(|i| Kind::ALL.get(i).copied())
    }

    pub fn name(self) -> &'static str {
        let index = Kind::ALL.iter().position(|k| *k == self).unwrap_or(7);
        Kind::NAMES.get(index).copied().unwrap_or("other")
    }
}

/// Opening capital, when the institution's capital and leverage ratio are modelled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpeningCapital {
    pub tier1_capital: Decimal,
    pub leverage_exposure: Decimal,
}

/// Balances at `start`.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    pub deposits: Decimal,
    pub loans: Decimal,
    pub npl: Decimal,
    pub provisions: Decimal,
    pub capital: Option<OpeningCapital>,
    /// Names of the opening fields that are illustrative (not from a source), for the UI to label.
    pub illustrative: Vec<String>,
}

/// Opening fields that may be listed as illustrative.
pub const OPENING_FIELDS: [&str; 6] =
    ["deposits", "loans", "npl", "provisions", "tier1_capital", "leverage_exposure"];

impl Opening {
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "deposits": fmt_decimal(self.deposits),
            "loans": fmt_decimal(self.loans),
            "npl": fmt_decimal(self.npl),
            "provisions": fmt_decimal(self.provisions),
            "tier1_capital": decimal_json(self.capital.map(|c| c.tier1_capital)),
            "leverage_exposure": decimal_json(self.capital.map(|c| c.leverage_exposure)),
        });
        if !self.illustrative.is_empty()
            && let Some(map) = value.as_object_mut()
        {
            map.insert("illustrative".into(), json!(self.illustrative));
        }
        value
    }
}

/// One bank (or group of banks) with its opening balances and own drivers.
#[derive(Clone, Debug, PartialEq)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// 街道/园区 grouping label.
    pub zone: Option<String>,
    pub opening: Opening,
    pub drivers: DriverOverrides,
}

impl Institution {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "kind": self.kind.name(),
            "zone": self.zone,
            "opening": self.opening.to_json(),
            "drivers": self.drivers.to_json(),
        })
    }
}

/// The local asset-management company holding NPL packages (承接的不良资产包).
#[derive(Clone, Debug, PartialEq)]
pub struct Amc {
    pub name: String,
    /// S0.
    pub opening_stock: Decimal,
    /// φ: share of all banks' transfers it receives.
    pub inflow_share: Decimal,
    /// α: share of its year-opening stock it disposes of over the year.
    pub disposal_rate: Decimal,
}

impl Amc {
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "opening_stock": fmt_decimal(self.opening_stock),
            "inflow_share": fmt_decimal(self.inflow_share),
            "disposal_rate": fmt_decimal(self.disposal_rate),
        })
    }
}

/// A named borrower's default: performing loans that become NPL in one month (风险暴露).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub month: YearMonth,
    pub institution: String,
    pub amount: Decimal,
    pub label: String,
}

impl Event {
    pub fn to_json(&self) -> Value {
        json!({
            "month": self.month.to_string(),
            "institution": self.institution,
            "amount": fmt_decimal(self.amount),
            "label": self.label,
        })
    }
}

/// `ge` (≥) or `le` (≤).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Ge,
    Le,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Ge => "ge",
            Op::Le => "le",
        }
    }
}

/// A target's threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TargetValue {
    Fixed(Decimal),
    /// `"national_average"`: the national commercial-bank NPL ratio of the target's year, as
    /// resolved when the scenario was read (its own assumption, else the published table).
    NationalAverage(Decimal),
}

/// Region-wide, one zone (its institutions summed, v2), or one institution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Region,
    /// `"zone:NAME"`: the zone `NAME`.
    Zone(String),
    Institution(String),
}

/// How a zone scope is written in a target: `"zone:NAME"`.
pub const ZONE_PREFIX: &str = "zone:";

impl Scope {
    /// The scope as the scenario file writes it: `region`, `zone:NAME` or the institution's id.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Scope::Region => "region".into(),
            Scope::Zone(zone) => format!("{ZONE_PREFIX}{zone}").into(),
            Scope::Institution(id) => id.as_str().into(),
        }
    }

    /// The scope as a reader sees it: 全辖 / region, 片区 NAME / zone NAME, or the institution's id.
    pub fn label(&self, lang: crate::Lang) -> String {
        let en = lang == crate::Lang::En;
        match self {
            Scope::Region => if en { "region" } else { "全辖" }.to_string(),
            Scope::Zone(zone) => {
                if en {
                    format!("zone {zone}")
                } else {
                    format!("片区 {zone}")
                }
            }
            Scope::Institution(id) => id.clone(),
        }
    }
}

/// A year-end target: `metric op value` in `year` for `scope`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub id: String,
    pub metric: String,
    pub op: Op,
    pub value: TargetValue,
    pub year: i32,
    pub scope: Scope,
}

impl Target {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "metric": self.metric,
            "op": self.op.name(),
            "value": match self.value {
                TargetValue::Fixed(v) => Value::String(fmt_decimal(v)),
                TargetValue::NationalAverage(_) => Value::String("national_average".into()),
            },
            "year": self.year,
            "scope": self.scope.name(),
        })
    }
}
