//! Scenario parsing and validation: JSON text to a typed [`Scenario`], reporting every violation with its JSON path.
//!
//! The reader walks a `serde_json::Value` by hand instead of deriving `Deserialize`,
//! so that one pass finds *all* problems (wrong types included), each located by
//! its JSON path, rather than stopping at the first.

use std::collections::HashSet;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::error::{Expected, Issue, Problem};
use crate::metrics::{REGION_ONLY, YEAR_END_SCALARS};
use crate::reference;
use crate::scenario::*;

/// The largest input accepted, in bytes (10 MiB: 500 institutions need well under 1 MiB).
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// The largest absolute amount accepted (1e15 in the scenario's unit): beyond any banking system
/// even in 元, and far enough below the decimal limit (7.9e28) that ten years of growth cannot overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Parses and validates a scenario file; on failure returns every issue found.
pub fn parse_scenario(text: &str) -> Result<Scenario, Vec<Issue>> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(vec![Issue::new("", Problem::TooLarge { bytes: text.len(), max: MAX_INPUT_BYTES })]);
    }
    // Spreadsheet-era editors on Windows save UTF-8 with a byte-order mark; it is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![Issue::new("", Problem::Empty)]);
    }
    let value: Value = serde_json::from_str(text).map_err(|err| {
        let detail = err.to_string();
        let detail = detail.split(" at line").next().unwrap_or_default().to_string();
        vec![Issue::new("", Problem::Syntax { line: err.line(), column: err.column().max(1), detail })]
    })?;
    parse_scenario_value(&value)
}

/// Validates an already-parsed JSON value (as received from JavaScript or `postMessage`).
pub fn parse_scenario_value(value: &Value) -> Result<Scenario, Vec<Issue>> {
    let mut reader = Reader::default();
    let scenario = reader.scenario(value);
    match scenario {
        Some(s) if reader.issues.is_empty() => Ok(s),
        _ => {
            if reader.issues.is_empty() {
                // Defensive: a `None` always comes with an issue, but never return an empty error.
                reader.issues.push(Issue::new("", Problem::Missing));
            }
            Err(reader.issues)
        }
    }
}

/// Inclusive bounds of a decimal field.
#[derive(Clone, Copy)]
struct Range {
    min: Option<Decimal>,
    max: Option<Decimal>,
}

const fn range(min: Option<Decimal>, max: Option<Decimal>) -> Range {
    Range { min, max }
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

fn growth_range() -> Range {
    range(Some(dec(-5, 1)), Some(Decimal::ONE))
}
fn unit_range() -> Range {
    range(Some(Decimal::ZERO), Some(Decimal::ONE))
}
fn amount_range() -> Range {
    range(Some(Decimal::ZERO), Some(MAX_AMOUNT))
}
fn signed_amount_range() -> Range {
    range(Some(-MAX_AMOUNT), Some(MAX_AMOUNT))
}

/// The most criteria an assessment may have.
const MAX_CRITERIA: usize = 20;

/// What an assessment criterion may score: any scalar year-end metric, or the two ratios
/// section 10 adds.
const ASSESSMENT_METRICS: [&str; YEAR_END_SCALARS.len() + 2] = {
    let mut all = [""; YEAR_END_SCALARS.len() + 2];
    let mut i = 0;
    while i < YEAR_END_SCALARS.len() {
        all[i] = YEAR_END_SCALARS[i];
        i += 1;
    }
    all[YEAR_END_SCALARS.len()] = "loan_growth";
    all[YEAR_END_SCALARS.len() + 1] = "disposal_completion";
    all
};

fn child(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Parses the text of a decimal: plain (`1.01`, `-5`) or scientific (`1e27`, `9.7E-7`).
pub fn parse_decimal_text(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.contains('_') {
        return None;
    }
    if t.contains(['e', 'E']) { Decimal::from_scientific(t).ok() } else { Decimal::from_str(t).ok() }
}

/// A JSON value as a decimal: a number, or a string holding one.
pub fn decimal_of(value: &Value) -> Result<Decimal, Problem> {
    match value {
        Value::Number(n) => {
            let text = n.to_string();
            parse_decimal_text(&text).ok_or(Problem::NotDecimal { got: text })
        }
        Value::String(s) => parse_decimal_text(s).ok_or_else(|| Problem::NotDecimal { got: s.clone() }),
        _ => Err(Problem::WrongType { expected: Expected::Decimal }),
    }
}

fn json_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[derive(Default)]
struct Reader {
    issues: Vec<Issue>,
}

/// Facts about the scenario needed to check later sections.
struct Frame {
    years: Option<u32>,
    start: Option<YearMonth>,
}

impl Frame {
    fn horizon(&self) -> Option<(YearMonth, YearMonth)> {
        let start = self.start?;
        let years = self.years?;
        Some((start.plus_months(1), start.plus_months(years.saturating_mul(12))))
    }
}

impl Reader {
    fn push(&mut self, path: &str, problem: Problem) {
        self.issues.push(Issue::new(path, problem));
    }

    /// An object, with unknown keys reported.
    fn object<'a>(
        &mut self,
        value: &'a Value,
        path: &str,
        allowed: &[&'static str],
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Value::Object(map) => {
                for key in map.keys() {
                    if !allowed.contains(&key.as_str()) {
                        self.push(&child(path, key), Problem::UnknownField { allowed: allowed.to_vec() });
                    }
                }
                Some(map)
            }
            _ => {
                self.push(path, Problem::WrongType { expected: Expected::Object });
                None
            }
        }
    }

    /// A required field of an object: absent or null is `Missing`.
    fn required<'a>(&mut self, map: &'a Map<String, Value>, path: &str, key: &str) -> Option<&'a Value> {
        match map.get(key) {
            None | Some(Value::Null) => {
                self.push(&child(path, key), Problem::Missing);
                None
            }
            Some(v) => Some(v),
        }
    }

    fn check_range(&mut self, path: &str, value: Decimal, bounds: Range) -> Option<Decimal> {
        let low = bounds.min.is_some_and(|min| value < min);
        let high = bounds.max.is_some_and(|max| value > max);
        if low || high {
            self.push(path, Problem::OutOfRange { value, min: bounds.min, max: bounds.max });
            None
        } else {
            Some(value)
        }
    }

    fn decimal(&mut self, value: &Value, path: &str, bounds: Range) -> Option<Decimal> {
        match decimal_of(value) {
            Ok(d) => self.check_range(path, d, bounds),
            Err(problem) => {
                self.push(path, problem);
                None
            }
        }
    }

    fn required_decimal(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        bounds: Range,
    ) -> Option<Decimal> {
        let v = self.required(map, path, key)?;
        self.decimal(v, &child(path, key), bounds)
    }

    /// An optional decimal: absent or null is `Ok(None)`; a bad value is `Err(())` (already reported).
    fn optional_decimal(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        bounds: Range,
    ) -> Result<Option<Decimal>, ()> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match decimal_of(v) {
                Ok(d) => self.check_range(&child(path, key), d, bounds).map(Some).ok_or(()),
                Err(Problem::WrongType { .. }) => {
                    self.push(&child(path, key), Problem::WrongType { expected: Expected::DecimalOrNull });
                    Err(())
                }
                Err(problem) => {
                    self.push(&child(path, key), problem);
                    Err(())
                }
            },
        }
    }

    fn string(&mut self, value: &Value, path: &str) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.push(path, Problem::WrongType { expected: Expected::String });
                None
            }
        }
    }

    fn optional_string(&mut self, map: &Map<String, Value>, path: &str, key: &str, default: &str) -> String {
        match map.get(key) {
            None | Some(Value::Null) => default.to_string(),
            Some(v) => self.string(v, &child(path, key)).unwrap_or_default(),
        }
    }

    fn id(&mut self, value: &Value, path: &str) -> Option<String> {
        let s = self.string(value, path)?;
        if s.trim().is_empty() {
            self.push(path, Problem::EmptyString);
            return None;
        }
        Some(s)
    }

    fn word<T>(
        &mut self,
        value: &Value,
        path: &str,
        allowed: &[&'static str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.string(value, path)?;
        match parse(&s) {
            Some(t) => Some(t),
            None => {
                self.push(path, Problem::NotOneOf { got: s, allowed: allowed.to_vec() });
                None
            }
        }
    }

    fn scenario(&mut self, value: &Value) -> Option<Scenario> {
        const TOP: [&str; 14] = [
            "schema",
            "name",
            "notes",
            "unit",
            "start",
            "years",
            "defaults",
            "institutions",
            "amc",
            "events",
            "targets",
            "reference",
            "assessment",
            "actuals",
        ];
        let map = self.object(value, "", &TOP)?;

        match map.get("schema") {
            None | Some(Value::Null) => self.push("schema", Problem::Missing),
            Some(v) => {
                if json_integer(v) != Some(1) || v.is_string() {
                    let got = match v {
                        Value::String(s) => format!("\"{s}\""),
                        other => other.to_string(),
                    };
                    self.push("schema", Problem::UnsupportedSchema { got });
                }
            }
        }
        let name = self.optional_string(map, "", "name", "");
        let notes = self.optional_string(map, "", "notes", "");
        let unit = self.optional_string(map, "", "unit", "亿元");

        let start = self.required(map, "", "start").and_then(|v| {
            let s = self.string(v, "start")?;
            match YearMonth::parse(&s) {
                None => {
                    self.push("start", Problem::BadMonth { got: s });
                    None
                }
                Some(ym) if ym.month != 12 => {
                    self.push("start", Problem::StartNotDecember { got: s });
                    None
                }
                Some(ym) if !(1900..=2200).contains(&ym.year) => {
                    self.push(
                        "start",
                        Problem::OutOfRange {
                            value: Decimal::from(ym.year),
                            min: Some(Decimal::from(1900)),
                            max: Some(Decimal::from(2200)),
                        },
                    );
                    None
                }
                Some(ym) => Some(ym),
            }
        });
        let years = self.required(map, "", "years").and_then(|v| match json_integer(v) {
            Some(y) if (1..=10).contains(&y) => u32::try_from(y).ok(),
            Some(y) => {
                self.push(
                    "years",
                    Problem::OutOfRange {
                        value: Decimal::from(y),
                        min: Some(Decimal::ONE),
                        max: Some(Decimal::TEN),
                    },
                );
                None
            }
            None => {
                self.push("years", Problem::WrongType { expected: Expected::Integer });
                None
            }
        });
        let frame = Frame { years, start };

        let defaults = self
            .required(map, "", "defaults")
            .and_then(|v| self.drivers(v, "defaults", &frame, true))
            .and_then(|o| complete(&o));

        let institutions = self.required(map, "", "institutions").and_then(|v| self.institutions(v, &frame));
        let ids: HashSet<String> =
            institutions.as_ref().map(|list| list.iter().map(|i| i.id.clone()).collect()).unwrap_or_default();
        let zones: HashSet<String> = institutions
            .as_ref()
            .map(|list| list.iter().filter_map(|i| i.zone.clone()).collect())
            .unwrap_or_default();

        let amc = match map.get("amc") {
            None | Some(Value::Null) => Some(None),
            Some(v) => self.amc(v).map(Some),
        };
        let events = match map.get("events") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(v) => self.events(v, &frame, institutions.as_ref().map(|_| &ids)),
        };
        let actuals = match map.get("actuals") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(v) => self.actuals(v, &frame, institutions.as_deref()),
        };
        let assessment = match map.get("assessment") {
            None | Some(Value::Null) => Some(None),
            Some(v) => self.assessment(v, &frame).map(Some),
        };
        let reference = match map.get("reference") {
            None | Some(Value::Null) => Some(None),
            Some(v) => self.reference(v).map(Some),
        };
        let targets = match map.get("targets") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(v) => self.targets(
                v,
                &frame,
                institutions.as_ref().map(|_| (&ids, &zones)),
                reference.as_ref().map(|r| r.as_ref().map_or(&[][..], |r| r.national_npl_ratio.as_slice())),
            ),
        };

        Some(Scenario {
            name,
            notes,
            unit,
            start: start?,
            years: years?,
            defaults: defaults?,
            institutions: institutions?,
            amc: amc?,
            events: events?,
            targets: targets?,
            reference: reference?,
            assessment: assessment?,
            actuals: actuals?,
        })
    }

    /// A calendar year inside the projection (when the horizon could be read).
    fn horizon_year(&mut self, v: &Value, p: &str, frame: &Frame) -> Option<i32> {
        let Some(y) = json_integer(v) else {
            self.push(p, Problem::WrongType { expected: Expected::Integer });
            return None;
        };
        if let (Some(start), Some(years)) = (frame.start, frame.years) {
            let first = start.year.saturating_add(1);
            let last = start.year.saturating_add(i32::try_from(years).unwrap_or(0));
            if y < i64::from(first) || y > i64::from(last) {
                self.push(p, Problem::YearOutsideHorizon { got: y, first, last });
                return None;
            }
        }
        i32::try_from(y).ok()
    }

    /// `assessment` (MODEL.md section 10): the year, the level and at least one criterion.
    fn assessment(&mut self, value: &Value, frame: &Frame) -> Option<Assessment> {
        const PATH: &str = "assessment";
        let map = self.object(value, PATH, &["year", "level", "criteria"])?;
        let year =
            self.required(map, PATH, "year").and_then(|v| self.horizon_year(v, "assessment.year", frame));
        let level = self
            .required(map, PATH, "level")
            .and_then(|v| self.word(v, "assessment.level", &Level::NAMES, Level::parse));
        let criteria = self.required(map, PATH, "criteria").and_then(|v| {
            let Value::Array(items) = v else {
                self.push("assessment.criteria", Problem::WrongType { expected: Expected::Array });
                return None;
            };
            if items.is_empty() {
                self.push("assessment.criteria", Problem::Count { got: 0, min: 1, max: MAX_CRITERIA });
                return None;
            }
            if items.len() > MAX_CRITERIA {
                self.push(
                    "assessment.criteria",
                    Problem::Count { got: items.len(), min: 1, max: MAX_CRITERIA },
                );
                return None;
            }
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                match self.criterion(item, &index("assessment.criteria", i)) {
                    Some(c) => out.push(c),
                    None => ok = false,
                }
            }
            ok.then_some(out)
        });
        Some(Assessment { year: year?, level: level?, criteria: criteria? })
    }

    fn criterion(&mut self, value: &Value, path: &str) -> Option<Criterion> {
        let map = self.object(value, path, &["metric", "better", "weight"])?;
        let metric = self.required(map, path, "metric").and_then(|v| {
            self.word(v, &child(path, "metric"), &ASSESSMENT_METRICS, |s| {
                ASSESSMENT_METRICS.contains(&s).then(|| s.to_string())
            })
        });
        let better = self
            .required(map, path, "better")
            .and_then(|v| self.word(v, &child(path, "better"), &Better::NAMES, Better::parse));
        let weight = self.required(map, path, "weight").and_then(|v| {
            let p = child(path, "weight");
            let w = self.decimal(v, &p, amount_range())?;
            if w <= Decimal::ZERO {
                self.push(&p, Problem::NotPositive { value: w });
                return None;
            }
            Some(w)
        });
        Some(Criterion { metric: metric?, better: better?, weight: weight? })
    }

    /// `reference` (MODEL.md section 11): `{"national_npl_ratio": {"YYYY": ratio}, "source": "…"}`.
    fn reference(&mut self, value: &Value) -> Option<ReferenceValues> {
        let map = self.object(value, "reference", &["national_npl_ratio", "source"])?;
        let source = self.optional_string(map, "reference", "source", "");
        let ratios = match map.get("national_npl_ratio") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(Value::Object(years)) => {
                let mut out: Vec<(i32, Decimal)> = Vec::with_capacity(years.len());
                let mut ok = true;
                for (key, v) in years {
                    let p = child("reference.national_npl_ratio", key);
                    let year = (key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| key.parse::<i32>().ok())
                        .flatten()
                        .filter(|y| (1900..=2200).contains(y));
                    let Some(year) = year else {
                        self.push(&p, Problem::BadYear { got: key.clone() });
                        ok = false;
                        continue;
                    };
                    match self.decimal(v, &p, unit_range()) {
                        Some(ratio) => out.push((year, ratio)),
                        None => ok = false,
                    }
                }
                out.sort_by_key(|(year, _)| *year);
                ok.then_some(out)
            }
            Some(_) => {
                self.push("reference.national_npl_ratio", Problem::WrongType { expected: Expected::Object });
                None
            }
        };
        Some(ReferenceValues { national_npl_ratio: ratios?, source })
    }

    /// A per-year field: one decimal, or an array of exactly `years` decimals.
    fn per_year(&mut self, value: &Value, path: &str, frame: &Frame, bounds: Range) -> Option<PerYear> {
        match value {
            Value::Array(items) => {
                if let Some(years) = frame.years {
                    let expected = usize::try_from(years).unwrap_or(0);
                    if items.len() != expected {
                        self.push(path, Problem::WrongLength { got: items.len(), expected });
                        return None;
                    }
                }
                let mut values = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.decimal(item, &index(path, i), bounds) {
                        Some(d) => values.push(d),
                        None => ok = false,
                    }
                }
                ok.then_some(PerYear::ByYear(values))
            }
            Value::Number(_) | Value::String(_) => self.decimal(value, path, bounds).map(PerYear::Same),
            _ => {
                self.push(path, Problem::WrongType { expected: Expected::DecimalOrArray });
                None
            }
        }
    }

    /// Drivers; with `required`, every field must be present (`defaults`).
    /// Returns `None` if any present field is invalid.
    fn drivers(
        &mut self,
        value: &Value,
        path: &str,
        frame: &Frame,
        required: bool,
    ) -> Option<DriverOverrides> {
        let map = self.object(value, path, &DRIVER_FIELDS)?;
        let before = self.issues.len();
        let mut out = DriverOverrides::default();
        for field in DRIVER_FIELDS {
            let p = child(path, field);
            let Some(v) = map.get(field).filter(|v| !v.is_null()) else {
                if required {
                    self.push(&p, Problem::Missing);
                }
                continue;
            };
            match field {
                "deposit_growth" => out.deposit_growth = self.per_year(v, &p, frame, growth_range()),
                "loan_growth" => out.loan_growth = self.per_year(v, &p, frame, growth_range()),
                "loan_growth_basis" => {
                    out.loan_growth_basis = self.word(v, &p, &Basis::NAMES, |s| match s {
                        "lending" => Some(Basis::Lending),
                        "balance" => Some(Basis::Balance),
                        _ => None,
                    })
                }
                "npl_formation_rate" => out.npl_formation_rate = self.per_year(v, &p, frame, unit_range()),
                "disposal" => out.disposal = self.disposal(v, &p, frame),
                "channels" => out.channels = self.channels(v, &p),
                "pacing" => out.pacing = self.pacing(v, &p),
                "recovery" => out.recovery = self.recovery(v, &p),
                "provisioning" => out.provisioning = self.provisioning(v, &p),
                "capital" => out.capital = self.capital(v, &p),
                _ => {}
            }
        }
        (self.issues.len() == before).then_some(out)
    }

    fn disposal(&mut self, value: &Value, path: &str, frame: &Frame) -> Option<Disposal> {
        let map = self.object(value, path, &["plan", "amount", "rate"])?;
        let plan = self.required(map, path, "plan")?;
        let plan = self.word(plan, &child(path, "plan"), &["amount", "rate"], |s| match s {
            "amount" | "rate" => Some(s.to_string()),
            _ => None,
        })?;
        if plan == "amount" {
            if map.contains_key("rate") {
                self.push(&child(path, "rate"), Problem::UnknownField { allowed: vec!["plan", "amount"] });
            }
            let v = self.required(map, path, "amount")?;
            self.per_year(v, &child(path, "amount"), frame, amount_range()).map(Disposal::Amount)
        } else {
            if map.contains_key("amount") {
                self.push(&child(path, "amount"), Problem::UnknownField { allowed: vec!["plan", "rate"] });
            }
            let v = self.required(map, path, "rate")?;
            self.per_year(v, &child(path, "rate"), frame, unit_range()).map(Disposal::Rate)
        }
    }

    fn channels(&mut self, value: &Value, path: &str) -> Option<Channels> {
        let map = self.object(value, path, &CHANNELS)?;
        let mut shares = [Decimal::ZERO; 7];
        let mut ok = true;
        for (slot, name) in shares.iter_mut().zip(CHANNELS) {
            match map.get(name) {
                None | Some(Value::Null) => {}
                Some(v) => match self.decimal(v, &child(path, name), unit_range()) {
                    Some(d) => *slot = d,
                    None => ok = false,
                },
            }
        }
        if !ok {
            return None;
        }
        let sum = shares.iter().fold(Decimal::ZERO, |acc, s| acc.checked_add(*s).unwrap_or(Decimal::MAX));
        if sum != Decimal::ONE {
            self.push(path, Problem::SumNotOne { sum });
            return None;
        }
        Some(Channels(shares))
    }

    fn pacing(&mut self, value: &Value, path: &str) -> Option<Pacing> {
        match value {
            Value::String(s) if s == "even" => Some(Pacing::Even),
            Value::Object(map) => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                match keys.as_slice() {
                    ["h1_share"] => {
                        let v = map.get("h1_share")?;
                        self.decimal(v, &child(path, "h1_share"), unit_range()).map(Pacing::H1Share)
                    }
                    ["weights"] => {
                        let p = child(path, "weights");
                        let Some(Value::Array(items)) = map.get("weights") else {
                            self.push(&p, Problem::WrongType { expected: Expected::Array });
                            return None;
                        };
                        if items.len() != 12 {
                            self.push(&p, Problem::WrongLength { got: items.len(), expected: 12 });
                            return None;
                        }
                        let mut weights = [Decimal::ZERO; 12];
                        let mut ok = true;
                        for (i, (slot, item)) in weights.iter_mut().zip(items).enumerate() {
                            match self.decimal(item, &index(&p, i), unit_range()) {
                                Some(d) => *slot = d,
                                None => ok = false,
                            }
                        }
                        if !ok {
                            return None;
                        }
                        let sum = weights
                            .iter()
                            .fold(Decimal::ZERO, |acc, w| acc.checked_add(*w).unwrap_or(Decimal::MAX));
                        if sum != Decimal::ONE {
                            self.push(&p, Problem::SumNotOne { sum });
                            return None;
                        }
                        Some(Pacing::Weights(weights))
                    }
                    _ => {
                        self.push(path, Problem::WrongType { expected: Expected::Pacing });
                        None
                    }
                }
            }
            Value::String(s) => {
                self.push(path, Problem::NotOneOf { got: s.clone(), allowed: vec!["even"] });
                None
            }
            _ => {
                self.push(path, Problem::WrongType { expected: Expected::Pacing });
                None
            }
        }
    }

    fn recovery(&mut self, value: &Value, path: &str) -> Option<Recovery> {
        let map = self.object(value, path, &Recovery::FIELDS)?;
        let transfer = self.required_decimal(map, path, "transfer", unit_range());
        let securitization = self.required_decimal(map, path, "securitization", unit_range());
        let debt_equity = self.required_decimal(map, path, "debt_equity", unit_range());
        let foreclosure = self.required_decimal(map, path, "foreclosure", unit_range());
        Some(Recovery {
            transfer: transfer?,
            securitization: securitization?,
            debt_equity: debt_equity?,
            foreclosure: foreclosure?,
        })
    }

    fn provisioning(&mut self, value: &Value, path: &str) -> Option<Provisioning> {
        let map = self.object(value, path, &["coverage_floor", "allowance_floor"])?;
        // κ up to 10 (1000%) and λ up to 1 (100%): wide, but bounded so κ·N cannot overflow.
        let coverage = self.optional_decimal(
            map,
            path,
            "coverage_floor",
            range(Some(Decimal::ZERO), Some(Decimal::TEN)),
        );
        let allowance = self.optional_decimal(map, path, "allowance_floor", unit_range());
        Some(Provisioning { coverage_floor: coverage.ok()?, allowance_floor: allowance.ok()? })
    }

    fn capital(&mut self, value: &Value, path: &str) -> Option<CapitalDrivers> {
        let map = self.object(value, path, &["pre_provision_return", "retention"])?;
        let pi = self.required_decimal(
            map,
            path,
            "pre_provision_return",
            range(Some(dec(-1, 1)), Some(dec(2, 1))),
        );
        let rho = self.required_decimal(map, path, "retention", unit_range());
        Some(CapitalDrivers { pre_provision_return: pi?, retention: rho? })
    }

    fn institutions(&mut self, value: &Value, frame: &Frame) -> Option<Vec<Institution>> {
        let Value::Array(items) = value else {
            self.push("institutions", Problem::WrongType { expected: Expected::Array });
            return None;
        };
        if items.is_empty() || items.len() > 500 {
            self.push("institutions", Problem::Count { got: items.len(), min: 1, max: 500 });
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut seen = HashSet::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = index("institutions", i);
            match self.institution(item, &path, frame) {
                Some(inst) => {
                    if !seen.insert(inst.id.clone()) {
                        self.push(&child(&path, "id"), Problem::DuplicateId { id: inst.id.clone() });
                        ok = false;
                    }
                    out.push(inst);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn institution(&mut self, value: &Value, path: &str, frame: &Frame) -> Option<Institution> {
        let map = self.object(value, path, &["id", "name", "kind", "zone", "opening", "drivers"])?;
        let id = self.required(map, path, "id").and_then(|v| self.id(v, &child(path, "id")));
        if id.as_deref() == Some("region") {
            self.push(&child(path, "id"), Problem::NotOneOf {
                got: "region".into(),
                allowed: vec!["any id except \"region\" (reserved for the whole region) / 除 \"region\" 外的任何编号"],
            });
        }
        let name = match map.get("name") {
            None | Some(Value::Null) => id.clone(),
            Some(v) => self.string(v, &child(path, "name")),
        };
        let kind = match map.get("kind") {
            None | Some(Value::Null) => Some(Kind::Other),
            Some(v) => self.word(v, &child(path, "kind"), &Kind::NAMES, Kind::parse),
        };
        let zone = match map.get("zone") {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => {
                self.push(&child(path, "zone"), Problem::WrongType { expected: Expected::StringOrNull });
                None
            }
        };
        let opening =
            self.required(map, path, "opening").and_then(|v| self.opening(v, &child(path, "opening")));
        let drivers = match map.get("drivers") {
            None | Some(Value::Null) => Some(DriverOverrides::default()),
            Some(v) => self.drivers(v, &child(path, "drivers"), frame, false),
        };
        let id = id?;
        if id == "region" {
            return None;
        }
        Some(Institution { id, name: name?, kind: kind?, zone: zone?, opening: opening?, drivers: drivers? })
    }

    fn opening(&mut self, value: &Value, path: &str) -> Option<Opening> {
        const FIELDS: [&str; 7] =
            ["deposits", "loans", "npl", "provisions", "tier1_capital", "leverage_exposure", "illustrative"];
        let map = self.object(value, path, &FIELDS)?;
        let deposits = self.required_decimal(map, path, "deposits", amount_range());
        let loans = self.required_decimal(map, path, "loans", amount_range());
        let npl = self.required_decimal(map, path, "npl", amount_range());
        let provisions = self.optional_decimal(map, path, "provisions", amount_range());
        let tier1 = self.optional_decimal(map, path, "tier1_capital", signed_amount_range());
        let exposure = self.optional_decimal(map, path, "leverage_exposure", amount_range());
        if let (Some(npl), Some(loans)) = (npl, loans)
            && npl > loans
        {
            self.push(&child(path, "npl"), Problem::NplAboveLoans { npl, loans });
            return None;
        }
        let capital = match (tier1, exposure) {
            (Ok(Some(k)), Ok(Some(e))) => {
                Some(Some(OpeningCapital { tier1_capital: k, leverage_exposure: e }))
            }
            (Ok(None), Ok(None)) => Some(None),
            (Ok(Some(_)), Ok(None)) => {
                self.push(&child(path, "leverage_exposure"), Problem::CapitalPair);
                None
            }
            (Ok(None), Ok(Some(_))) => {
                self.push(&child(path, "tier1_capital"), Problem::CapitalPair);
                None
            }
            _ => None,
        };
        let illustrative = match map.get("illustrative") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(Value::Array(items)) => {
                let mut names = Vec::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    let p = index(&child(path, "illustrative"), i);
                    match self.word(item, &p, &OPENING_FIELDS[..], |s| {
                        OPENING_FIELDS.contains(&s).then(|| s.to_string())
                    }) {
                        Some(n) => names.push(n),
                        None => ok = false,
                    }
                }
                ok.then_some(names)
            }
            Some(_) => {
                self.push(&child(path, "illustrative"), Problem::WrongType { expected: Expected::Array });
                None
            }
        };
        Some(Opening {
            deposits: deposits?,
            loans: loans?,
            npl: npl?,
            provisions: provisions.ok()?.unwrap_or_default(),
            capital: capital?,
            illustrative: illustrative?,
        })
    }

    fn amc(&mut self, value: &Value) -> Option<Amc> {
        let path = "amc";
        let map = self.object(value, path, &["name", "opening_stock", "inflow_share", "disposal_rate"])?;
        let name = self.optional_string(map, path, "name", "");
        let stock = self.required_decimal(map, path, "opening_stock", amount_range());
        let phi = self.required_decimal(map, path, "inflow_share", unit_range());
        let alpha = self.required_decimal(map, path, "disposal_rate", unit_range());
        Some(Amc { name, opening_stock: stock?, inflow_share: phi?, disposal_rate: alpha? })
    }

    fn month_in_horizon(&mut self, value: &Value, path: &str, frame: &Frame) -> Option<YearMonth> {
        let s = self.string(value, path)?;
        let Some(month) = YearMonth::parse(&s) else {
            self.push(path, Problem::BadMonth { got: s });
            return None;
        };
        if let Some((first, last)) = frame.horizon()
            && (month < first || month > last)
        {
            self.push(
                path,
                Problem::MonthOutsideHorizon { got: s, first: first.to_string(), last: last.to_string() },
            );
            return None;
        }
        Some(month)
    }

    /// `actuals` (MODEL.md section 9): each entry's fields, one entry per institution and
    /// month, and the same months `1 … a` for every institution (checked when the institutions
    /// and the horizon could be read).
    fn actuals(
        &mut self,
        value: &Value,
        frame: &Frame,
        institutions: Option<&[Institution]>,
    ) -> Option<Vec<Actual>> {
        let Value::Array(items) = value else {
            self.push("actuals", Problem::WrongType { expected: Expected::Array });
            return None;
        };
        const FIELDS: [&str; 10] = [
            "month",
            "institution",
            "deposits",
            "loans",
            "npl",
            "provisions",
            "formation",
            "disposal",
            "tier1_capital",
            "leverage_exposure",
        ];
        let mut out: Vec<Actual> = Vec::with_capacity(items.len());
        let mut seen: HashSet<(String, YearMonth)> = HashSet::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = index("actuals", i);
            let Some(map) = self.object(item, &path, &FIELDS) else {
                ok = false;
                continue;
            };
            let month = self
                .required(map, &path, "month")
                .and_then(|v| self.month_in_horizon(v, &child(&path, "month"), frame));
            let known = institutions
                .map(|list| list.iter().map(|inst| (inst.id.as_str(), inst.opening.capital.is_some())));
            let institution = self.required(map, &path, "institution").and_then(|v| {
                let p = child(&path, "institution");
                let id = self.id(v, &p)?;
                if let Some(mut known) = known.clone()
                    && !known.any(|(known, _)| known == id)
                {
                    self.push(&p, Problem::UnknownInstitution { id });
                    return None;
                }
                Some(id)
            });
            let deposits = self.required_decimal(map, &path, "deposits", amount_range());
            let loans = self.required_decimal(map, &path, "loans", amount_range());
            let npl = self.required_decimal(map, &path, "npl", amount_range());
            let provisions = self.optional_decimal(map, &path, "provisions", amount_range());
            let formation = self.optional_decimal(map, &path, "formation", signed_amount_range());
            let disposal = self.required(map, &path, "disposal").and_then(|v| {
                let p = child(&path, "disposal");
                match v {
                    Value::Object(_) => {
                        let channels = self.object(v, &p, &CHANNELS)?;
                        let mut flows = [Decimal::ZERO; 7];
                        let mut fine = true;
                        for (slot, name) in flows.iter_mut().zip(CHANNELS) {
                            match channels.get(name) {
                                None | Some(Value::Null) => {}
                                Some(x) => match self.decimal(x, &child(&p, name), amount_range()) {
                                    Some(d) => *slot = d,
                                    None => fine = false,
                                },
                            }
                        }
                        fine.then_some(ReportedDisposal::Channels(flows))
                    }
                    _ => self.decimal(v, &p, amount_range()).map(ReportedDisposal::Total),
                }
            });
            let k = self.optional_decimal(map, &path, "tier1_capital", signed_amount_range());
            let e = self.optional_decimal(map, &path, "leverage_exposure", signed_amount_range());
            let capital = match (k, e) {
                (Ok(Some(k)), Ok(Some(e))) => Some(Some((k, e))),
                (Ok(None), Ok(None)) => Some(None),
                (Ok(_), Ok(_)) => {
                    self.push(&path, Problem::CapitalPair);
                    None
                }
                _ => None,
            };
            if let (Some(Some(_)), Some(id), Some(mut known)) = (&capital, &institution, known)
                && known.any(|(known, models)| known == id && !models)
            {
                self.push(
                    &child(&path, "tier1_capital"),
                    Problem::CapitalNotModelled { institution: id.clone() },
                );
                ok = false;
            }
            if let (Some(npl), Some(loans)) = (npl, loans)
                && npl > loans
            {
                self.push(&child(&path, "npl"), Problem::NplAboveLoans { npl, loans });
                ok = false;
            }
            if let (Some(id), Some(month)) = (&institution, month)
                && !seen.insert((id.clone(), month))
            {
                self.push(
                    &path,
                    Problem::DuplicateActual { institution: id.clone(), month: month.to_string() },
                );
                ok = false;
            }
            match (month, institution, deposits, loans, npl, provisions, formation, disposal, capital) {
                (
                    Some(month),
                    Some(institution),
                    Some(deposits),
                    Some(loans),
                    Some(npl),
                    Ok(provisions),
                    Ok(formation),
                    Some(disposal),
                    Some(capital),
                ) => out.push(Actual {
                    month,
                    institution,
                    deposits,
                    loans,
                    npl,
                    provisions,
                    formation,
                    disposal,
                    capital,
                }),
                _ => ok = false,
            }
        }
        if !ok {
            return None;
        }
        // The same months for every institution, without a gap from the first month.
        if let (Some(list), Some((first, _))) = (institutions, frame.horizon()) {
            let index = |m: YearMonth| {
                (i64::from(m.year).saturating_sub(i64::from(first.year)))
                    .saturating_mul(12)
                    .saturating_add(i64::from(m.month))
                    .saturating_sub(i64::from(first.month))
            };
            let a = out.iter().map(|x| index(x.month)).max().map_or(0, |m| m.saturating_add(1));
            for inst in list {
                let reported: HashSet<i64> =
                    out.iter().filter(|x| x.institution == inst.id).map(|x| index(x.month)).collect();
                if let Some(gap) = (0..a).find(|m| !reported.contains(m)) {
                    let months = i64::from(first.month).saturating_sub(1).saturating_add(gap);
                    let month = YearMonth {
                        year: first.year.saturating_add(i32::try_from(months.div_euclid(12)).unwrap_or(0)),
                        month: u32::try_from(months.rem_euclid(12)).unwrap_or(0).saturating_add(1),
                    }
                    .to_string();
                    self.push(
                        "actuals",
                        Problem::ActualsMissingMonth { institution: inst.id.clone(), month },
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn events(&mut self, value: &Value, frame: &Frame, ids: Option<&HashSet<String>>) -> Option<Vec<Event>> {
        let Value::Array(items) = value else {
            self.push("events", Problem::WrongType { expected: Expected::Array });
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = index("events", i);
            let Some(map) = self.object(item, &path, &["month", "institution", "amount", "label"]) else {
                ok = false;
                continue;
            };
            let month = self
                .required(map, &path, "month")
                .and_then(|v| self.month_in_horizon(v, &child(&path, "month"), frame));
            let institution = self.required(map, &path, "institution").and_then(|v| {
                let p = child(&path, "institution");
                let id = self.id(v, &p)?;
                if let Some(ids) = ids
                    && !ids.contains(&id)
                {
                    self.push(&p, Problem::UnknownInstitution { id });
                    return None;
                }
                Some(id)
            });
            let amount = self.required_decimal(map, &path, "amount", amount_range());
            let label = self.optional_string(map, &path, "label", "");
            match (month, institution, amount) {
                (Some(month), Some(institution), Some(amount)) => {
                    out.push(Event { month, institution, amount, label })
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `known`: the institutions' ids and zones, when the institutions could be read;
    /// `assumed`: the scenario's own national NPL ratios, when its `reference` could be read.
    fn targets(
        &mut self,
        value: &Value,
        frame: &Frame,
        known: Option<(&HashSet<String>, &HashSet<String>)>,
        assumed: Option<&[(i32, Decimal)]>,
    ) -> Option<Vec<Target>> {
        let Value::Array(items) = value else {
            self.push("targets", Problem::WrongType { expected: Expected::Array });
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        // A hash set like `ids`: only membership matters, and the page's wasm then carries
        // none of our B-tree code (about 4 KB gzipped with the app's own, measured).
        let mut seen = HashSet::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = index("targets", i);
            match self.target(item, &path, frame, known, assumed) {
                Some(t) => {
                    if !seen.insert(t.id.clone()) {
                        self.push(&child(&path, "id"), Problem::DuplicateId { id: t.id.clone() });
                        ok = false;
                    }
                    out.push(t);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn target(
        &mut self,
        value: &Value,
        path: &str,
        frame: &Frame,
        known: Option<(&HashSet<String>, &HashSet<String>)>,
        assumed: Option<&[(i32, Decimal)]>,
    ) -> Option<Target> {
        let map = self.object(value, path, &["id", "metric", "op", "value", "year", "scope"])?;
        let id = self.required(map, path, "id").and_then(|v| self.id(v, &child(path, "id")));
        let metric = self.required(map, path, "metric").and_then(|v| {
            self.word(v, &child(path, "metric"), &YEAR_END_SCALARS, |s| {
                YEAR_END_SCALARS.contains(&s).then(|| s.to_string())
            })
        });
        let op = self.required(map, path, "op").and_then(|v| {
            self.word(v, &child(path, "op"), &["ge", "le"], |s| match s {
                "ge" => Some(Op::Ge),
                "le" => Some(Op::Le),
                _ => None,
            })
        });
        let year =
            self.required(map, path, "year").and_then(|v| self.horizon_year(v, &child(path, "year"), frame));
        let target_value = self.required(map, path, "value").and_then(|v| {
            let p = child(path, "value");
            match v {
                // Resolved below, once the metric and year are known.
                Value::String(s) if s == "national_average" => {
                    Some(TargetValue::NationalAverage(Decimal::ZERO))
                }
                Value::String(_) | Value::Number(_) => {
                    self.decimal(v, &p, signed_amount_range()).map(TargetValue::Fixed)
                }
                _ => {
                    self.push(&p, Problem::WrongType { expected: Expected::TargetValue });
                    None
                }
            }
        });
        let scope = match map.get("scope") {
            None | Some(Value::Null) => Some(Scope::Region),
            Some(v) => {
                let p = child(path, "scope");
                self.id(v, &p).and_then(|s| {
                    if s == "region" {
                        Some(Scope::Region)
                    } else if let Some(zone) = s.strip_prefix(ZONE_PREFIX) {
                        if known.is_some_and(|(_, zones)| !zones.contains(zone)) {
                            self.push(&p, Problem::UnknownZone { zone: zone.to_string() });
                            None
                        } else {
                            Some(Scope::Zone(zone.to_string()))
                        }
                    } else if known.is_some_and(|(ids, _)| !ids.contains(&s)) {
                        self.push(&p, Problem::UnknownInstitution { id: s });
                        None
                    } else {
                        Some(Scope::Institution(s))
                    }
                })
            }
        };
        // Rules that tie fields together.
        let mut target_value = target_value;
        if let (Some(metric), Some(TargetValue::NationalAverage(figure))) = (&metric, &mut target_value) {
            if metric != "npl_ratio" {
                self.push(&child(path, "value"), Problem::NationalAverageMetric { metric: metric.clone() });
                return None;
            }
            // The scenario's own assumption first (section 11), then the published table.
            let year = year?;
            let own = assumed.and_then(|list| list.iter().find(|(y, _)| *y == year).map(|(_, r)| *r));
            match own.or_else(|| reference::national_npl_ratio(year).map(|row| row.npl_ratio)) {
                Some(ratio) => *figure = ratio,
                // An unreadable `reference` was reported already; it may have held the year.
                None if assumed.is_none() => return None,
                None => {
                    self.push(&child(path, "value"), Problem::NoNationalAverage { year });
                    return None;
                }
            }
        }
        if let (Some(metric), Some(Scope::Institution(_) | Scope::Zone(_))) = (&metric, &scope)
            && REGION_ONLY.contains(&metric.as_str())
        {
            self.push(&child(path, "scope"), Problem::RegionOnlyMetric { metric: metric.clone() });
            return None;
        }
        Some(Target { id: id?, metric: metric?, op: op?, value: target_value?, year: year?, scope: scope? })
    }
}

/// Defaults must set every field; by the time this runs, missing ones were reported.
fn complete(o: &DriverOverrides) -> Option<Drivers> {
    Some(Drivers {
        deposit_growth: o.deposit_growth.clone()?,
        loan_growth: o.loan_growth.clone()?,
        loan_growth_basis: o.loan_growth_basis?,
        npl_formation_rate: o.npl_formation_rate.clone()?,
        disposal: o.disposal.clone()?,
        channels: o.channels?,
        pacing: o.pacing.clone()?,
        recovery: o.recovery?,
        provisioning: o.provisioning?,
        capital: o.capital?,
    })
}
