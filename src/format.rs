//! How numbers are shown: amounts with two decimals and thousands separators, ratios as percentages.
//!
//! The engine writes every decimal as an exact string; these functions round only
//! for display (half away from zero, the familiar 四舍五入) and never feed a
//! rounded number back into a calculation. The exact string stays available to
//! the page in each number's `data-value`.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// What a metric measures, which decides how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Money, in the scenario's unit (亿元 by default): `1,234.57`.
    Amount,
    /// A fraction shown as a percentage: `0.0031` → `0.31%`.
    Ratio,
}

/// The kind of a year-end metric, by its name in MODEL.md section 4.
pub fn kind_of(metric: &str) -> Kind {
    if delever_model::metrics::is_ratio(metric) { Kind::Ratio } else { Kind::Amount }
}

/// `text` (an engine decimal) shown as `kind`; `None` if it is not a decimal.
pub fn value(kind: Kind, text: &str) -> Option<String> {
    match kind {
        Kind::Amount => amount(text),
        Kind::Ratio => percent(text),
    }
}

/// A difference shown as `kind` with an explicit sign: `+1.20` for amounts,
/// `+0.70` percentage points for ratios (the unit is the caller's to add).
pub fn signed_difference(kind: Kind, text: &str) -> Option<String> {
    let decimal = Decimal::from_str(text.trim()).ok()?;
    let scaled = match kind {
        Kind::Amount => decimal,
        Kind::Ratio => decimal.checked_mul(Decimal::ONE_HUNDRED)?,
    };
    let shown = two_decimals(scaled);
    Some(if shown.starts_with('-') { shown } else { format!("+{shown}") })
}

/// `1234.5678` → `1,234.57`.
pub fn amount(text: &str) -> Option<String> {
    let decimal = Decimal::from_str(text.trim()).ok()?;
    Some(two_decimals(decimal))
}

/// `0.0031` → `0.31%`.
pub fn percent(text: &str) -> Option<String> {
    let decimal = Decimal::from_str(text.trim()).ok()?;
    Some(format!("{}%", two_decimals(decimal.checked_mul(Decimal::ONE_HUNDRED)?)))
}

/// Rounds to two places, half away from zero, and groups the integer digits by thousands.
fn two_decimals(value: Decimal) -> String {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        // `-0.001` rounds to a negative zero; show it as plain `0.00`.
        rounded.set_sign_positive(true);
    }
    rounded.rescale(2);
    let text = rounded.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", text.as_str()),
    };
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    format!("{sign}{}.{fraction}", group_thousands(integer))
}

fn group_thousands(integer: &str) -> String {
    let mut grouped = String::with_capacity(integer.len() + integer.len() / 3);
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::{Kind, amount, kind_of, percent, signed_difference};

    #[track_caller]
    fn check_amount(input: &str, expected: Option<&str>) {
        assert_eq!(amount(input).as_deref(), expected, "amount({input:?})");
    }

    #[track_caller]
    fn check_percent(input: &str, expected: Option<&str>) {
        assert_eq!(percent(input).as_deref(), expected, "percent({input:?})");
    }

    #[test]
    fn amounts() {
        check_amount("525.1", Some("525.10"));
        check_amount("0", Some("0.00"));
        check_amount("1.7", Some("1.70"));
        check_amount("1234.5678", Some("1,234.57"));
        check_amount("28000", Some("28,000.00"));
        check_amount("1234567.004", Some("1,234,567.00"));
        check_amount("0.005", Some("0.01"));
        check_amount("0.015", Some("0.02"));
        check_amount("-1234.5", Some("-1,234.50"));
        check_amount("-0.001", Some("0.00"));
        check_amount("999.995", Some("1,000.00"));
        check_amount("0.3333333333333333333333333333", Some("0.33"));
        check_amount("", None);
        check_amount("abc", None);
    }

    #[test]
    fn percents() {
        check_percent("0.0031", Some("0.31%"));
        check_percent("0.0101", Some("1.01%"));
        check_percent("1.5", Some("150.00%"));
        check_percent("12.3456", Some("1,234.56%"));
        check_percent("0.00005", Some("0.01%"));
        check_percent("0", Some("0.00%"));
        check_percent("null", None);
    }

    #[test]
    fn differences_carry_a_sign() {
        assert_eq!(signed_difference(Kind::Amount, "1.2").as_deref(), Some("+1.20"));
        assert_eq!(signed_difference(Kind::Amount, "-0.5").as_deref(), Some("-0.50"));
        assert_eq!(signed_difference(Kind::Amount, "0").as_deref(), Some("+0.00"));
        assert_eq!(signed_difference(Kind::Ratio, "0.007").as_deref(), Some("+0.70"));
    }

    #[test]
    fn kinds_follow_the_metric_names() {
        for metric in ["npl_ratio", "coverage", "allowance_ratio", "ldr", "h1_share", "leverage_ratio"] {
            assert_eq!(kind_of(metric), Kind::Ratio, "{metric}");
        }
        for metric in ["deposits", "loans", "npl", "disposal", "npl_change", "amc_stock"] {
            assert_eq!(kind_of(metric), Kind::Amount, "{metric}");
        }
    }
}
