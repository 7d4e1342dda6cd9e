//! Input fields: what kind each JSON path is, how typed text becomes a scenario value and back, and messages in display units.
//!
//! Rates are typed in percent (`8.5` means 0.085) and stored as fractions, as the
//! engine wants. Text that does not parse is stored as typed, so nothing the user typed
//! is lost and the engine's message names it.

use delever_model::error::{Expected, Problem};
use delever_model::validate::{decimal_of, parse_decimal_text};
use delever_model::{Issue, Lang};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::path;

/// How a field is typed and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A rate, shown in percent, stored as a fraction.
    Percent,
    /// An amount in the scenario's unit.
    Amount,
    /// A whole number (years).
    Integer,
    /// Free text or a word from a list.
    Text,
    /// A text field where empty means null (zone).
    OptionalText,
}

const PERCENT_KEYS: [&str; 11] = [
    "deposit_growth",
    "loan_growth",
    "npl_formation_rate",
    "rate",
    "h1_share",
    "coverage_floor",
    "allowance_floor",
    "pre_provision_return",
    "retention",
    "inflow_share",
    "disposal_rate",
];

const AMOUNT_KEYS: [&str; 8] = [
    "deposits",
    "loans",
    "npl",
    "provisions",
    "tier1_capital",
    "leverage_exposure",
    "amount",
    "opening_stock",
];

/// A reported month's optional figures: empty means "not reported" (null), and the engine
/// derives them (section 9: provisions by step 11, formation from the roll-forward).
const ACTUALS_OPTIONAL: [&str; 2] = ["provisions", "formation"];

/// Fields where an empty entry means "not given" (null).
const NULLABLE_KEYS: [&str; 4] = ["coverage_floor", "allowance_floor", "tier1_capital", "leverage_exposure"];

impl FieldKind {
    /// Whether [`FieldKind::of`] may read the document for `path` (a target's value, whose
    /// kind is its metric's: any path under `targets`, to be safe); for every other path
    /// the kind is the path's alone, so two documents give it the same kind and a
    /// comparison need not work it out twice.
    pub fn reads_doc(path: &str) -> bool {
        path.starts_with("targets[")
    }

    /// The kind of the field at `path` in `doc` (a target's value depends on its metric).
    pub fn of(path: &str, doc: &Value) -> FieldKind {
        let key = path::last_key(path).unwrap_or_default();
        let parent = path::parent_key(path).unwrap_or_default();
        // A reported month's figures are all amounts: its stocks, its formation, its
        // disposal total or each channel of it (MODEL.md section 9).
        if path.starts_with("actuals[") && key != "month" && key != "institution" {
            return FieldKind::Amount;
        }
        // The scenario's assumed national NPL ratio of a year (MODEL.md section 11).
        if parent == "national_npl_ratio" {
            return FieldKind::Percent;
        }
        if key == "weight" && path.starts_with("assessment.") {
            return FieldKind::Amount;
        }
        if key == "value" && path.starts_with("targets[") {
            let metric_path = format!("{}.metric", path.trim_end_matches(".value"));
            let metric = path::get(doc, &metric_path).and_then(Value::as_str).unwrap_or("");
            return if delever_model::metrics::is_ratio(metric) {
                FieldKind::Percent
            } else {
                FieldKind::Amount
            };
        }
        if PERCENT_KEYS.contains(&key.as_str())
            || parent == "channels"
            || parent == "recovery"
            || key == "weights"
        {
            FieldKind::Percent
        } else if AMOUNT_KEYS.contains(&key.as_str()) {
            FieldKind::Amount
        } else if key == "years" || key == "year" {
            FieldKind::Integer
        } else if key == "zone" {
            FieldKind::OptionalText
        } else {
            FieldKind::Text
        }
    }
}

/// Reads a number as people type it: full-width digits, thousands separators, a trailing `%`.
pub fn normalise_number(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
            '．' | '。' => Some('.'),
            '－' | '−' => Some('-'),
            ',' | '，' | ' ' | '%' | '％' => None,
            other => Some(other),
        })
        .collect()
}

/// Where a slider stands for the text of its field: the number the field itself reads, or `None`.
///
/// Parsed as a decimal like the field, not with `str::parse::<f64>`: that parser and its
/// tables cost the page about 15 KB of gzipped wasm (measured), and this way slider and
/// field agree on what is a number.
pub fn slider_position(text: &str) -> Option<f64> {
    rust_decimal::prelude::ToPrimitive::to_f64(&parse_decimal_text(&normalise_number(text))?)
}

/// The text of a field after one arrow-key step: `text` plus `steps` × `step` (the slider's
/// step, in display units), kept within `min`…`max`; `None` when the text is not a number.
/// Exact: the step is read from its shortest decimal text, so 8.5 + 0.1 is 8.6.
pub fn stepped(text: &str, steps: i64, (min, max, step): (f64, f64, f64)) -> Option<String> {
    let value = parse_decimal_text(&normalise_number(text))?;
    let exact = |x: f64| parse_decimal_text(&format!("{x}"));
    let delta = exact(step)?.checked_mul(Decimal::from(steps))?;
    let next = value.checked_add(delta)?.clamp(exact(min)?, exact(max)?);
    Some(delever_model::num::fmt_decimal(next))
}

/// The scenario value for `text` typed into a field of `kind` at `path`.
pub fn to_json(kind: FieldKind, path: &str, text: &str) -> Value {
    let trimmed = text.trim();
    let key = path::last_key(path).unwrap_or_default();
    let optional_report = path.starts_with("actuals[") && ACTUALS_OPTIONAL.contains(&key.as_str());
    if trimmed.is_empty()
        && (NULLABLE_KEYS.contains(&key.as_str()) || kind == FieldKind::OptionalText || optional_report)
    {
        return Value::Null;
    }
    match kind {
        FieldKind::Percent | FieldKind::Amount => {
            if trimmed == "national_average" {
                return Value::String(trimmed.to_string());
            }
            match parse_decimal_text(&normalise_number(trimmed)) {
                Some(d) => {
                    let stored = if kind == FieldKind::Percent {
                        d.checked_div(Decimal::ONE_HUNDRED)
                    } else {
                        Some(d)
                    };
                    match stored {
                        Some(v) => Value::String(v.normalize().to_string()),
                        None => Value::String(text.to_string()),
                    }
                }
                // Stored as typed: the engine then says what is wrong with exactly this text.
                None if trimmed.is_empty() => Value::Null,
                None => Value::String(text.to_string()),
            }
        }
        FieldKind::Integer => match normalise_number(trimmed).parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) if trimmed.is_empty() => Value::Null,
            Err(_) => Value::String(text.to_string()),
        },
        FieldKind::Text | FieldKind::OptionalText => Value::String(text.to_string()),
    }
}

/// The text a field of `kind` shows for a stored `value`.
pub fn display(kind: FieldKind, value: Option<&Value>) -> String {
    let Some(value) = value else { return String::new() };
    match (kind, value) {
        (_, Value::Null) => String::new(),
        (FieldKind::Percent, v) => match decimal_of(v) {
            Ok(d) => d.checked_mul(Decimal::ONE_HUNDRED).map(fmt).unwrap_or_default(),
            Err(_) => raw(v),
        },
        (FieldKind::Amount, v) => match decimal_of(v) {
            Ok(d) => fmt(d),
            Err(_) => raw(v),
        },
        (_, v) => raw(v),
    }
}

fn fmt(d: Decimal) -> String {
    delever_model::num::fmt_decimal(d)
}

fn raw(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The engine's message for an issue, with numbers in the field's display units
/// (percent fields say `150%`, not `1.5`).
pub fn message(issue: &Issue, kind: FieldKind, lang: Lang) -> String {
    let pct = |d: Decimal| format!("{}%", fmt(d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(d)));
    let pct_bound = |b: Option<Decimal>| b.map(pct).unwrap_or_default();
    let en = lang == Lang::En;
    match (&issue.problem, kind) {
        (Problem::OutOfRange { value, min, max }, FieldKind::Percent) => match (min, max) {
            (Some(_), Some(_)) if en => {
                format!("{} is out of range; allowed {} … {}", pct(*value), pct_bound(*min), pct_bound(*max))
            }
            (Some(_), Some(_)) => {
                format!("{} 超出范围；允许 {} … {}", pct(*value), pct_bound(*min), pct_bound(*max))
            }
            (Some(_), None) if en => {
                format!("{} is too small; it must be at least {}", pct(*value), pct_bound(*min))
            }
            (Some(_), None) => format!("{} 过小；不得小于 {}", pct(*value), pct_bound(*min)),
            (None, _) if en => {
                format!("{} is too large; it must be at most {}", pct(*value), pct_bound(*max))
            }
            (None, _) => format!("{} 过大；不得大于 {}", pct(*value), pct_bound(*max)),
        },
        (Problem::SumNotOne { sum }, _) => {
            if en {
                format!("the shares add up to {}; they must add up to exactly 100%", pct(*sum))
            } else {
                format!("各项占比合计为 {}，必须恰好等于 100%", pct(*sum))
            }
        }
        (Problem::NotDecimal { got }, FieldKind::Percent) => {
            if en {
                format!("\"{got}\" is not a number; type a percentage such as 8.5")
            } else {
                format!("\"{got}\" 不是数字；请输入百分比，如 8.5")
            }
        }
        (Problem::NotDecimal { got }, FieldKind::Amount) => {
            if en {
                format!("\"{got}\" is not a number; type an amount such as 532 or 1.7")
            } else {
                format!("\"{got}\" 不是数字；请输入金额，如 532 或 1.7")
            }
        }
        (Problem::WrongType { expected: Expected::Decimal }, FieldKind::Percent) => {
            if en {
                "is not a number; type a percentage such as 8.5".to_string()
            } else {
                "不是数字；请输入百分比，如 8.5".to_string()
            }
        }
        (problem, _) => problem.message(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_follow_the_path() {
        let doc = json!({"targets": [{"metric": "npl_ratio"}, {"metric": "npl"}]});
        let cases = [
            ("defaults.loan_growth", FieldKind::Percent),
            ("defaults.loan_growth[2]", FieldKind::Percent),
            ("defaults.channels.write_off", FieldKind::Percent),
            ("defaults.pacing.weights[3]", FieldKind::Percent),
            ("defaults.recovery.transfer", FieldKind::Percent),
            ("defaults.disposal.amount", FieldKind::Amount),
            ("institutions[0].opening.npl", FieldKind::Amount),
            ("targets[0].value", FieldKind::Percent),
            ("targets[1].value", FieldKind::Amount),
            ("targets[1].year", FieldKind::Integer),
            ("institutions[0].zone", FieldKind::OptionalText),
            ("institutions[0].name", FieldKind::Text),
        ];
        for (path, want) in cases {
            assert_eq!(FieldKind::of(path, &doc), want, "{path}");
        }
    }

    #[test]
    fn typed_text_becomes_scenario_values() {
        let cases = [
            (FieldKind::Percent, "defaults.loan_growth", "8.5", json!("0.085")),
            (FieldKind::Percent, "defaults.loan_growth", " 8.5% ", json!("0.085")),
            (FieldKind::Percent, "defaults.loan_growth", "８．５", json!("0.085")),
            (FieldKind::Percent, "defaults.loan_growth", "abc", json!("abc")),
            (FieldKind::Percent, "defaults.provisioning.coverage_floor", "", json!(null)),
            (FieldKind::Amount, "institutions[0].opening.loans", "1,234.5", json!("1234.5")),
            (FieldKind::Integer, "years", "3", json!(3)),
            (FieldKind::Integer, "years", "three", json!("three")),
            (FieldKind::OptionalText, "institutions[0].zone", "", json!(null)),
        ];
        for (kind, path, text, want) in cases {
            assert_eq!(to_json(kind, path, text), want, "{text}");
        }
    }

    #[test]
    fn stored_values_show_in_display_units() {
        assert_eq!(display(FieldKind::Percent, Some(&json!("0.085"))), "8.5");
        assert_eq!(display(FieldKind::Percent, Some(&json!(0.0101))), "1.01");
        assert_eq!(display(FieldKind::Amount, Some(&json!("532.000"))), "532");
        assert_eq!(display(FieldKind::Percent, Some(&json!("abc"))), "abc");
        assert_eq!(display(FieldKind::Percent, None), "");
    }

    #[test]
    fn range_messages_speak_percent_on_percent_fields() {
        let issue = Issue::new(
            "defaults.loan_growth",
            Problem::OutOfRange {
                value: Decimal::new(15, 1),
                min: Some(Decimal::new(-5, 1)),
                max: Some(Decimal::ONE),
            },
        );
        assert_eq!(message(&issue, FieldKind::Percent, Lang::Zh), "150% 超出范围；允许 -50% … 100%");
        assert!(message(&issue, FieldKind::Amount, Lang::En).contains("1.5"));
    }

    #[test]
    fn arrow_keys_step_exactly_within_the_slider() {
        let table = [
            ("8.5", 1, (-20.0, 50.0, 0.1), Some("8.6")),
            ("8.5", -1, (-20.0, 50.0, 0.1), Some("8.4")),
            ("49.95", 1, (-20.0, 50.0, 0.1), Some("50")),
            ("0", -1, (0.0, 100.0, 1.0), Some("0")),
            ("1,000", 1, (0.0, 2000.0, 0.5), Some("1000.5")),
            ("10", 10, (0.0, 20.0, 0.05), Some("10.5")),
            ("abc", 1, (0.0, 1.0, 0.1), None),
        ];
        for (text, steps, slider, expected) in table {
            assert_eq!(super::stepped(text, steps, slider).as_deref(), expected, "{text} {steps}");
        }
    }
}
