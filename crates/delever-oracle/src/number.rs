//! Exact numbers: decimal text to rationals and back, the 8-place half-even rounding of targets.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// Every amount and rate of the oracle: an exact rational.
pub type Q = BigRational;

/// The integer `n` as a rational.
pub fn int(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// `n / d` as a rational.
pub fn frac(n: i64, d: i64) -> Q {
    Q::new(BigInt::from(n), BigInt::from(d))
}

/// `10^-places`.
pub fn ten_pow_neg(places: u32) -> Q {
    Q::new(BigInt::one(), BigInt::from(10u8).pow(places))
}

/// Parses decimal text (`"1.01"`, `"-3e-27"`, `"12"`, `"1.5E+3"`) exactly; `None` if it is not a decimal.
pub fn parse_decimal(text: &str) -> Option<Q> {
    let text = text.trim();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = match digits.find('.') {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let all: String = format!("{whole}{fraction}");
    let numerator: BigInt = if all.is_empty() { BigInt::zero() } else { all.parse().ok()? };
    let scale = i32::try_from(fraction.len()).ok()? - exponent;
    let ten = BigInt::from(10u8);
    let value = if scale >= 0 {
        Q::new(numerator, ten.pow(scale.unsigned_abs()))
    } else {
        Q::from_integer(numerator * ten.pow(scale.unsigned_abs()))
    };
    Some(if negative { -value } else { value })
}

/// A JSON decimal (a string or a number) as a rational.
pub fn json_decimal(value: &serde_json::Value) -> Option<Q> {
    match value {
        serde_json::Value::String(s) => parse_decimal(s),
        serde_json::Value::Number(n) => parse_decimal(&n.to_string()),
        _ => None,
    }
}

/// Rounds half-even to `places` decimal places, exactly.
pub fn round_half_even(value: &Q, places: u32) -> Q {
    let scale = Q::from_integer(BigInt::from(10u8).pow(places));
    let scaled = value * &scale;
    let floor = scaled.floor();
    let rest = &scaled - &floor;
    let half = frac(1, 2);
    let rounded = if rest > half {
        floor + Q::one()
    } else if rest < half {
        floor
    } else {
        // A tie: to the even neighbour.
        let even = (floor.to_integer() % BigInt::from(2)).is_zero();
        if even { floor } else { floor + Q::one() }
    };
    rounded / scale
}

/// How far `value` lies from the nearest midpoint of the 8-place rounding (`(j + ½)·1e-8`).
pub fn distance_to_rounding_midpoint(value: &Q, places: u32) -> Q {
    let scale = Q::from_integer(BigInt::from(10u8).pow(places));
    let scaled = value * &scale;
    let rest = &scaled - scaled.floor();
    (rest - frac(1, 2)).abs() / scale
}

/// The larger of two rationals.
pub fn max(a: Q, b: Q) -> Q {
    if a >= b { a } else { b }
}

/// The smaller of two rationals.
pub fn min(a: Q, b: Q) -> Q {
    if a <= b { a } else { b }
}

/// `a / b`, or `None` when `b` is zero.
pub fn ratio(a: &Q, b: &Q) -> Option<Q> {
    if b.is_zero() { None } else { Some(a / b) }
}

/// A short decimal rendering for messages (about 30 significant digits; exact values stay rational).
pub fn show(value: &Q) -> String {
    if value.is_integer() {
        return value.to_integer().to_string();
    }
    let scaled = (value * Q::from_integer(BigInt::from(10u8).pow(30))).round().to_integer();
    let negative = scaled.is_negative();
    let digits = scaled.abs().to_string();
    let padded = format!("{digits:0>31}");
    let (whole, fraction) = padded.split_at(padded.len() - 30);
    let fraction = fraction.trim_end_matches('0');
    format!("{}{whole}.{fraction}", if negative { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(parse_decimal("1.01"), Some(frac(101, 100)));
        assert_eq!(parse_decimal("-3e-27"), Some(-Q::new(BigInt::from(3), BigInt::from(10u8).pow(27))));
        assert_eq!(parse_decimal("1.5E+3"), Some(int(1500)));
        assert_eq!(parse_decimal("0"), Some(int(0)));
        assert_eq!(parse_decimal(".5"), Some(frac(1, 2)));
        assert_eq!(parse_decimal("abc"), None);
    }

    #[test]
    fn rounding_is_half_even_at_eight_places() {
        let ten8 = |n: i64| Q::new(BigInt::from(n), BigInt::from(10u8).pow(9));
        assert_eq!(round_half_even(&ten8(25), 8), frac(2, 100_000_000));
        assert_eq!(round_half_even(&ten8(35), 8), frac(4, 100_000_000));
        assert_eq!(round_half_even(&ten8(-25), 8), frac(-2, 100_000_000));
        assert_eq!(round_half_even(&frac(10, 12), 8), frac(83_333_333, 100_000_000));
        assert_eq!(show(&frac(1, 3)), "0.333333333333333333333333333333");
        assert_eq!(show(&frac(-1, 2)), "-0.5");
    }
}
