//! The engine's exact sums (`delever_model::sum`) against rationals: the sum of the terms,
//! rounded half to even once, at the largest scale among the nonzero terms that 96 bits hold.

use delever_oracle::number::{Q, parse_decimal, round_half_even};
use num_bigint::BigInt;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// What the sum must be: the exact total at the most places (≤ the terms' largest scale) whose
/// rounded value still has a mantissa under 2⁹⁶; `None` when not even 0 places do.
fn expected(terms: &[Decimal]) -> Option<(Q, u32)> {
    let exact = terms.iter().fold(Q::from_integer(BigInt::from(0)), |total, t| {
        total + parse_decimal(&t.to_string()).expect("a decimal's text parses")
    });
    let top = terms.iter().filter(|t| !t.is_zero()).map(|t| t.scale()).max().unwrap_or(0);
    let limit = BigInt::from(2u8).pow(96);
    (0..=top).rev().find_map(|places| {
        let rounded = round_half_even(&exact, places);
        let mantissa = (&rounded * Q::from_integer(BigInt::from(10u8).pow(places))).to_integer();
        (mantissa.magnitude() < limit.magnitude()).then_some((rounded, places))
    })
}

fn term() -> impl Strategy<Value = Decimal> {
    // Mantissas from tiny to the full 96 bits, every scale, both signs, some zeros.
    (any::<u128>(), 0u32..97, 0u32..=28, any::<bool>()).prop_map(|(bits, width, scale, negative)| {
        let mantissa = (bits & ((1u128 << 96) - 1)) >> (96 - width.min(96));
        let signed = if negative { -(mantissa as i128) } else { mantissa as i128 };
        Decimal::from_i128_with_scale(signed, scale)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]
    #[test]
    fn an_exact_sum_is_the_rational_sum_rounded_once(terms in proptest::collection::vec(term(), 0..12)) {
        let got = delever_model::sum::exact_sum(terms.iter().copied());
        match (got, expected(&terms)) {
            (Some(got), Some((value, places))) => {
                let got_q = parse_decimal(&got.to_string()).expect("parses");
                prop_assert_eq!(&got_q, &value, "{:?} summed to {}", terms, got);
                // The same scale as well, except for a sum that is zero (any scale is that zero).
                if !got.is_zero() {
                    prop_assert_eq!(got.scale(), places, "{:?} summed to {}", terms, got);
                }
            }
            (None, None) => {}
            (got, want) => prop_assert!(false, "{:?}: engine {:?}, rationals {:?}", terms, got, want.map(|(_, p)| p)),
        }
    }
}
