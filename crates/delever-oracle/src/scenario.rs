//! The scenario file of MODEL.md section 2 (and the optional fields of sections 9–11), read from JSON into plain structs.
//!
//! The oracle trusts the engine's validation: it reads a file the engine accepted and
//! says `Err` only for what it cannot read at all. It checks no ranges.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::number::{Q, frac, int, json_decimal};

/// The seven disposal channels, in the order of MODEL.md section 2's table.
pub const CHANNELS: [&str; 7] =
    ["collection", "write_off", "transfer", "securitization", "debt_equity", "foreclosure", "upgrade"];
/// Index of each channel in [`CHANNELS`].
pub const COLLECTION: usize = 0;
pub const WRITE_OFF: usize = 1;
pub const TRANSFER: usize = 2;
pub const SECURITIZATION: usize = 3;
pub const DEBT_EQUITY: usize = 4;
pub const FORECLOSURE: usize = 5;
pub const UPGRADE: usize = 6;

/// A year's disposal plan: an amount per year, or a rate per year.
#[derive(Clone, Debug, PartialEq)]
pub enum Disposal {
    Amount(Vec<Q>),
    Rate(Vec<Q>),
}

/// The drivers of section 2; every field optional (all are present in `defaults`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drivers {
    pub deposit_growth: Option<Vec<Q>>,
    pub loan_growth: Option<Vec<Q>>,
    /// `true` for `"balance"`, `false` for `"lending"`.
    pub balance_basis: Option<bool>,
    pub npl_formation_rate: Option<Vec<Q>>,
    pub disposal: Option<Disposal>,
    pub channels: Option<[Q; 7]>,
    /// `w_1 … w_12`.
    pub pacing: Option<[Q; 12]>,
    /// `r_T, r_S, r_X, r_K`.
    pub recovery: Option<[Q; 4]>,
    /// `(κ, λ)`, each possibly null.
    pub provisioning: Option<(Option<Q>, Option<Q>)>,
    /// `(π, ρ)`.
    pub capital: Option<(Q, Q)>,
}

/// One institution's opening balances and overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Institution {
    pub id: String,
    pub zone: Option<String>,
    pub deposits: Q,
    pub loans: Q,
    pub npl: Q,
    pub provisions: Q,
    /// `(K_0, E_0)` when capital is modelled.
    pub capital: Option<(Q, Q)>,
    pub drivers: Drivers,
}

/// The local AMC of section 2.
#[derive(Clone, Debug, PartialEq)]
pub struct Amc {
    pub opening_stock: Q,
    pub inflow_share: Q,
    pub disposal_rate: Q,
}

/// A named borrower's default: `amount` of performing loans turning NPL in month `month` (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub month: usize,
    pub institution: usize,
    pub amount: Q,
}

/// A target's threshold.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetValue {
    Decimal(Q),
    NationalAverage,
}

/// Where a target or a report applies.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    Region,
    Zone(String),
    Institution(String),
}

/// A target of section 2.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub id: String,
    pub metric: String,
    /// `true` for `ge`, `false` for `le`.
    pub ge: bool,
    pub value: TargetValue,
    pub year: i32,
    pub scope: Scope,
}

/// A reported disposal: per channel, or one total split over the channel shares.
#[derive(Clone, Debug, PartialEq)]
pub enum ReportedDisposal {
    Channels(Box<[Q; 7]>),
    Total(Q),
}

/// One institution-month of reported figures (section 9).
#[derive(Clone, Debug, PartialEq)]
pub struct Actual {
    pub deposits: Q,
    pub loans: Q,
    pub npl: Q,
    pub provisions: Option<Q>,
    pub formation: Option<Q>,
    pub disposal: ReportedDisposal,
    /// `(K, E)` when reported.
    pub capital: Option<(Q, Q)>,
}

/// One criterion of the assessment (section 10).
#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub metric: String,
    pub higher_is_better: bool,
    pub weight: Q,
}

/// The assessment of section 10.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub year: i32,
    /// `true` for `"zone"`, `false` for `"institution"`.
    pub by_zone: bool,
    pub criteria: Vec<Criterion>,
}

/// A whole scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    /// The calendar year of the opening December.
    pub start_year: i32,
    pub years: usize,
    pub defaults: Drivers,
    pub institutions: Vec<Institution>,
    pub amc: Option<Amc>,
    pub events: Vec<Event>,
    pub targets: Vec<Target>,
    /// `actuals[i][m − 1]`: institution `i`'s report for month `m`; every list has the as-of month's length.
    pub actuals: Vec<Vec<Actual>>,
    pub assessment: Option<Assessment>,
    /// The scenario's own national NPL ratios (section 11), by year.
    pub reference: BTreeMap<i32, Q>,
}

impl Scenario {
    /// Months in the horizon, `12 × years`.
    pub fn months(&self) -> usize {
        12 * self.years
    }

    /// The first projected calendar year.
    pub fn first_year(&self) -> i32 {
        self.start_year + 1
    }

    /// The as-of month `a` (0 without actuals).
    pub fn as_of(&self) -> usize {
        self.actuals.first().map_or(0, Vec::len)
    }

    /// The label `YYYY-MM` of month `m` (1-based).
    pub fn month_label(&self, m: usize) -> String {
        let year = self.start_year + 1 + ((m - 1) / 12) as i32;
        format!("{year:04}-{:02}", (m - 1) % 12 + 1)
    }

    /// Month `m` (1-based) of a `YYYY-MM` label inside the horizon.
    pub fn month_of(&self, label: &str) -> Option<usize> {
        let (y, mo) = label.split_once('-')?;
        let (y, mo): (i32, usize) = (y.parse().ok()?, mo.parse().ok()?);
        let years_in = usize::try_from(y - self.first_year()).ok()?;
        let m = years_in * 12 + mo;
        (1..=self.months()).contains(&m).then_some(m)
    }

    /// The same scenario without its actuals: the plan of section 9.
    pub fn without_actuals(&self) -> Scenario {
        Scenario { actuals: Vec::new(), ..self.clone() }
    }
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadError(pub String);

fn err<T>(what: impl Into<String>) -> Result<T, ReadError> {
    Err(ReadError(what.into()))
}

fn dec(value: &Value, path: &str) -> Result<Q, ReadError> {
    json_decimal(value).ok_or_else(|| ReadError(format!("{path}: not a decimal")))
}

fn opt_dec(value: Option<&Value>, path: &str) -> Result<Option<Q>, ReadError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => dec(v, path).map(Some),
    }
}

fn per_year(value: &Value, years: usize, path: &str) -> Result<Vec<Q>, ReadError> {
    match value {
        Value::Array(items) => {
            if items.len() != years {
                return err(format!("{path}: {} values for {years} years", items.len()));
            }
            items.iter().map(|v| dec(v, path)).collect()
        }
        v => Ok(vec![dec(v, path)?; years]),
    }
}

fn drivers(value: &Value, years: usize, path: &str) -> Result<Drivers, ReadError> {
    let Some(map) = value.as_object() else { return err(format!("{path}: not an object")) };
    let mut d = Drivers::default();
    if let Some(v) = map.get("deposit_growth") {
        d.deposit_growth = Some(per_year(v, years, path)?);
    }
    if let Some(v) = map.get("loan_growth") {
        d.loan_growth = Some(per_year(v, years, path)?);
    }
    if let Some(v) = map.get("loan_growth_basis") {
        d.balance_basis = Some(match v.as_str() {
            Some("balance") => true,
            Some("lending") => false,
            _ => return err(format!("{path}.loan_growth_basis")),
        });
    }
    if let Some(v) = map.get("npl_formation_rate") {
        d.npl_formation_rate = Some(per_year(v, years, path)?);
    }
    if let Some(v) = map.get("disposal") {
        d.disposal = Some(match v.get("plan").and_then(Value::as_str) {
            Some("amount") => Disposal::Amount(per_year(&v["amount"], years, path)?),
            Some("rate") => Disposal::Rate(per_year(&v["rate"], years, path)?),
            _ => return err(format!("{path}.disposal")),
        });
    }
    if let Some(v) = map.get("channels") {
        let mut shares: [Q; 7] = std::array::from_fn(|_| int(0));
        for (i, name) in CHANNELS.iter().enumerate() {
            // A channel left out counts as 0.
            if let Some(share) = opt_dec(v.get(*name), path)? {
                shares[i] = share;
            }
        }
        d.channels = Some(shares);
    }
    if let Some(v) = map.get("pacing") {
        d.pacing = Some(pacing(v, path)?);
    }
    if let Some(v) = map.get("recovery") {
        let get = |name: &str| opt_dec(v.get(name), path).map(|x| x.unwrap_or_else(|| int(0)));
        d.recovery =
            Some([get("transfer")?, get("securitization")?, get("debt_equity")?, get("foreclosure")?]);
    }
    if let Some(v) = map.get("provisioning") {
        d.provisioning =
            Some((opt_dec(v.get("coverage_floor"), path)?, opt_dec(v.get("allowance_floor"), path)?));
    }
    if let Some(v) = map.get("capital") {
        d.capital = Some((dec(&v["pre_provision_return"], path)?, dec(&v["retention"], path)?));
    }
    Ok(d)
}

/// The twelve weights of a pacing form.
fn pacing(value: &Value, path: &str) -> Result<[Q; 12], ReadError> {
    if value.as_str() == Some("even") {
        return Ok(std::array::from_fn(|_| frac(1, 12)));
    }
    if let Some(s) = value.get("h1_share") {
        let s = dec(s, path)?;
        let first = &s / int(6);
        let second = (int(1) - &s) / int(6);
        return Ok(std::array::from_fn(|k| if k < 6 { first.clone() } else { second.clone() }));
    }
    if let Some(Value::Array(w)) = value.get("weights") {
        if w.len() != 12 {
            return err(format!("{path}.pacing.weights"));
        }
        let w: Vec<Q> = w.iter().map(|v| dec(v, path)).collect::<Result<_, _>>()?;
        return Ok(std::array::from_fn(|k| w[k].clone()));
    }
    err(format!("{path}.pacing"))
}

fn scope(text: &str) -> Scope {
    if text == "region" {
        Scope::Region
    } else if let Some(zone) = text.strip_prefix("zone:") {
        Scope::Zone(zone.to_string())
    } else {
        Scope::Institution(text.to_string())
    }
}

/// Reads a scenario the engine has accepted.
pub fn read(doc: &Value) -> Result<Scenario, ReadError> {
    let start = doc["start"].as_str().unwrap_or("");
    let Some((start_year, _)) = start.split_once('-') else { return err("start") };
    let start_year: i32 = start_year.parse().map_err(|_| ReadError("start".into()))?;
    let Some(years) = doc["years"].as_u64().map(|y| y as usize) else { return err("years") };
    let defaults = drivers(&doc["defaults"], years, "defaults")?;
    let mut institutions = Vec::new();
    for (i, inst) in doc["institutions"].as_array().into_iter().flatten().enumerate() {
        let path = format!("institutions[{i}]");
        let opening = &inst["opening"];
        let tier1 = opt_dec(opening.get("tier1_capital"), &path)?;
        let exposure = opt_dec(opening.get("leverage_exposure"), &path)?;
        institutions.push(Institution {
            id: inst["id"].as_str().unwrap_or("").to_string(),
            zone: inst.get("zone").and_then(Value::as_str).map(str::to_string),
            deposits: dec(&opening["deposits"], &path)?,
            loans: dec(&opening["loans"], &path)?,
            npl: dec(&opening["npl"], &path)?,
            provisions: opt_dec(opening.get("provisions"), &path)?.unwrap_or_else(|| int(0)),
            capital: tier1.zip(exposure),
            drivers: match inst.get("drivers") {
                None | Some(Value::Null) => Drivers::default(),
                Some(d) => drivers(d, years, &path)?,
            },
        });
    }
    let scenario_stub = Scenario {
        name: doc["name"].as_str().unwrap_or("").to_string(),
        start_year,
        years,
        defaults,
        institutions,
        amc: None,
        events: Vec::new(),
        targets: Vec::new(),
        actuals: Vec::new(),
        assessment: None,
        reference: BTreeMap::new(),
    };
    let index_of = |id: &str| scenario_stub.institutions.iter().position(|i| i.id == id);
    let amc = match doc.get("amc") {
        None | Some(Value::Null) => None,
        Some(a) => Some(Amc {
            opening_stock: dec(&a["opening_stock"], "amc")?,
            inflow_share: dec(&a["inflow_share"], "amc")?,
            disposal_rate: dec(&a["disposal_rate"], "amc")?,
        }),
    };
    let mut events = Vec::new();
    for e in doc.get("events").and_then(Value::as_array).into_iter().flatten() {
        let month = scenario_stub
            .month_of(e["month"].as_str().unwrap_or(""))
            .ok_or(ReadError("event month".into()))?;
        let institution =
            index_of(e["institution"].as_str().unwrap_or("")).ok_or(ReadError("event".into()))?;
        events.push(Event { month, institution, amount: dec(&e["amount"], "events")? });
    }
    let mut targets = Vec::new();
    for t in doc.get("targets").and_then(Value::as_array).into_iter().flatten() {
        targets.push(Target {
            id: t["id"].as_str().unwrap_or("").to_string(),
            metric: t["metric"].as_str().unwrap_or("").to_string(),
            ge: t["op"].as_str() == Some("ge"),
            value: if t["value"].as_str() == Some("national_average") {
                TargetValue::NationalAverage
            } else {
                TargetValue::Decimal(dec(&t["value"], "targets")?)
            },
            year: t["year"].as_i64().unwrap_or(0) as i32,
            scope: scope(t.get("scope").and_then(Value::as_str).unwrap_or("region")),
        });
    }
    let mut actuals: Vec<Vec<(usize, Actual)>> = vec![Vec::new(); scenario_stub.institutions.len()];
    for a in doc.get("actuals").and_then(Value::as_array).into_iter().flatten() {
        let month = scenario_stub
            .month_of(a["month"].as_str().unwrap_or(""))
            .ok_or(ReadError("actual month".into()))?;
        let i = index_of(a["institution"].as_str().unwrap_or("")).ok_or(ReadError("actual".into()))?;
        let disposal = match &a["disposal"] {
            Value::Object(map) => {
                let mut x: [Q; 7] = std::array::from_fn(|_| int(0));
                for (c, name) in CHANNELS.iter().enumerate() {
                    if let Some(v) = map.get(*name) {
                        x[c] = dec(v, "actuals")?;
                    }
                }
                ReportedDisposal::Channels(Box::new(x))
            }
            v => ReportedDisposal::Total(dec(v, "actuals")?),
        };
        let tier1 = opt_dec(a.get("tier1_capital"), "actuals")?;
        let exposure = opt_dec(a.get("leverage_exposure"), "actuals")?;
        actuals[i].push((
            month,
            Actual {
                deposits: dec(&a["deposits"], "actuals")?,
                loans: dec(&a["loans"], "actuals")?,
                npl: dec(&a["npl"], "actuals")?,
                provisions: opt_dec(a.get("provisions"), "actuals")?,
                formation: opt_dec(a.get("formation"), "actuals")?,
                disposal,
                capital: tier1.zip(exposure),
            },
        ));
    }
    let actuals: Vec<Vec<Actual>> = if actuals.iter().all(Vec::is_empty) {
        Vec::new()
    } else {
        actuals
            .into_iter()
            .map(|mut list| {
                list.sort_by_key(|(m, _)| *m);
                list.into_iter().map(|(_, a)| a).collect()
            })
            .collect()
    };
    let assessment = match doc.get("assessment") {
        None | Some(Value::Null) => None,
        Some(a) => Some(Assessment {
            year: a["year"].as_i64().unwrap_or(0) as i32,
            by_zone: a["level"].as_str() == Some("zone"),
            criteria: a["criteria"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    Ok(Criterion {
                        metric: c["metric"].as_str().unwrap_or("").to_string(),
                        higher_is_better: c["better"].as_str() == Some("higher"),
                        weight: dec(&c["weight"], "assessment")?,
                    })
                })
                .collect::<Result<_, ReadError>>()?,
        }),
    };
    let mut reference = BTreeMap::new();
    if let Some(Value::Object(map)) = doc.get("reference").and_then(|r| r.get("national_npl_ratio")) {
        for (year, v) in map {
            let year: i32 = year.parse().map_err(|_| ReadError("reference".into()))?;
            reference.insert(year, dec(v, "reference")?);
        }
    }
    Ok(Scenario { amc, events, targets, actuals, assessment, reference, ..scenario_stub })
}
