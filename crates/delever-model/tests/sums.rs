//! The exact sum rounded once (`delever_model::sum`): a table, the chained sum wherever that is exact, order independence, and `clear`.

use delever_model::sum::{ExactSum, exact_sum};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// The one-at-a-time sum, from `Decimal::ZERO`, as the engine summed before.
fn chained(terms: &[Decimal]) -> Option<Decimal> {
    terms.iter().try_fold(Decimal::ZERO, |total, t| total.checked_add(*t))
}

/// Same value, same scale, same sign bit.
fn same(a: Decimal, b: Decimal) -> bool {
    a.serialize() == b.serialize()
}

#[test]
fn table() {
    // (terms, the exact sum rounded once)
    let cases: &[(&[&str], &str)] = &[
        (&[], "0"),
        (&["1.5"], "1.5"),
        (&["1.50", "2"], "3.50"),
        (&["0.00", "0.000"], "0.000"),
        (&["-1.25", "1.25"], "0.00"),
        (
            &["7.9228162514264337593543950335", "0.0000000000000000000000000001"],
            "7.922816251426433759354395034",
        ),
        // The chained sum rounds after the first pair; once, the third term tips it.
        (
            &[
                "5.0000000000000000000000000005",
                "5.0000000000000000000000000000",
                "0.0000000000000000000000000001",
            ],
            "10.000000000000000000000000001",
        ),
        (&["-79228162514264337593543950335", "-1"], "overflow"),
        (&["79228162514264337593543950335", "-1"], "79228162514264337593543950334"),
        (
            &["39614081257132168796771975168", "39614081257132168796771975167"],
            "79228162514264337593543950335",
        ),
        (&["0.5", "0.5", "-0.25"], "0.75"),
        // 28 digits at most: a tie goes to the even neighbour, anything past it up.
        (&["912345678901234567890123456.6", "0.05"], "912345678901234567890123456.6"),
        (&["912345678901234567890123456.7", "0.05"], "912345678901234567890123456.8"),
        (&["912345678901234567890123456.6", "0.050000001"], "912345678901234567890123456.7"),
        (&["-912345678901234567890123456.6", "-0.050000001"], "-912345678901234567890123456.7"),
    ];
    for (terms, expected) in cases {
        let terms: Vec<Decimal> = terms.iter().map(|t| d(t)).collect();
        let got = exact_sum(terms.iter().copied());
        match *expected {
            "overflow" => assert_eq!(got, None, "{terms:?}"),
            text => {
                let got = got.unwrap();
                assert!(same(got, d(text)), "{terms:?}: {got} ≠ {text}");
            }
        }
    }
}

#[test]
fn equals_the_chained_sum_wherever_that_is_exact() {
    use proptest::prelude::*;
    let term = (any::<i64>(), 0u32..=28, any::<bool>()).prop_map(|(m, s, wide)| {
        let m = if wide { i128::from(m) << 30 } else { i128::from(m >> 20) };
        Decimal::from_i128_with_scale(m, s)
    });
    proptest!(|(terms in proptest::collection::vec(term, 0..40))| {
        let once = exact_sum(terms.iter().copied());
        // Where the chained sum ends on the exact value at the largest scale, nothing rounded
        // on the way (its rounding only ever drops digits): then the two are one decimal.
        let nonzero: Vec<Decimal> = terms.iter().copied().filter(|t| !t.is_zero()).collect();
        let top = nonzero.iter().map(|t| t.scale()).max().unwrap_or(0);
        let exact = nonzero.iter().try_fold(0i128, |total, t| {
            t.mantissa().checked_mul(10i128.pow(top - t.scale())).and_then(|m| total.checked_add(m))
        });
        if let (Some(exact), Some(chained)) = (exact, chained(&terms))
            && exact != 0
            && chained.scale() == top
            && chained.mantissa() == exact
        {
            prop_assert!(same(once.unwrap(), chained), "{:?}: {:?} ≠ chained {:?}", terms, once, chained);
        }
        // Order never matters.
        let mut reversed = terms.clone();
        reversed.reverse();
        let back = exact_sum(reversed.iter().copied());
        prop_assert_eq!(once.map(|t| t.normalize()), back.map(|t| t.normalize()));
    });
}

#[test]
fn clear_empties_it() {
    let mut sum = ExactSum::new();
    sum.add(d("1.25")).unwrap();
    sum.add(d("3")).unwrap();
    sum.clear();
    assert!(same(sum.total().unwrap(), Decimal::ZERO));
    sum.add(d("2.5")).unwrap();
    assert!(same(sum.total().unwrap(), d("2.5")));
}
