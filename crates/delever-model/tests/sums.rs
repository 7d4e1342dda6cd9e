//! The exact sum rounded once (`delever_model::sum`): a table, the chained sum wherever that is exact, order independence, `clear`, and the region summed through its zones.

mod common;

use common::generate::scenario_doc;
use delever_model::sum::{ExactSum, exact_sum};
use delever_model::{parse_scenario_value, presets, simulate};
use proptest::test_runner::TestCaseError;
use rust_decimal::Decimal;
use serde_json::Value;
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

#[test]
fn merged_parts_are_the_whole_sum() {
    let terms: Vec<Decimal> = ["1.25", "0.000", "-3", "7.9228162514264337593543950335", "0.00", "2.5"]
        .iter()
        .map(|t| d(t))
        .collect();
    for cut in 0..=terms.len() {
        let (left, right) = terms.split_at(cut);
        let (mut a, mut b) = (ExactSum::new(), ExactSum::new());
        left.iter().for_each(|t| a.add(*t).unwrap());
        right.iter().for_each(|t| b.add(*t).unwrap());
        a.merge(&b).unwrap();
        assert!(same(a.total().unwrap(), exact_sum(terms.iter().copied()).unwrap()), "cut at {cut}");
    }
    // Zeros only: the last term of the last part, as the whole list gives.
    let (mut a, mut b, empty) = (ExactSum::new(), ExactSum::new(), ExactSum::new());
    a.add(d("0.0")).unwrap();
    b.add(d("0.000")).unwrap();
    a.merge(&b).unwrap();
    a.merge(&empty).unwrap();
    assert!(same(a.total().unwrap(), d("0.000")));
}

/// The region's series, every decimal with its scale (`Debug`: the JSON output drops a
/// zero's scale), with the institutions' zones as in `doc`, and with `zones` (one per
/// institution, `null`: no zone) in their place.
fn region_with(doc: &Value, zones: impl Fn(usize) -> Value) -> Result<(String, String), TestCaseError> {
    let region = |doc: &Value| -> Result<String, TestCaseError> {
        let scenario = parse_scenario_value(doc).map_err(|_| TestCaseError::fail("invalid scenario"))?;
        match simulate(&scenario) {
            Ok(projection) => Ok(format!("{:?}", projection.region)),
            Err(error) => Ok(format!("{error:?}")),
        }
    };
    // A target on a zone names a zone that may be gone: those are left out of both.
    let mut doc = doc.clone();
    if let Some(targets) = doc["targets"].as_array_mut() {
        targets.retain(|t| !t["scope"].as_str().is_some_and(|scope| scope.starts_with("zone:")));
    }
    let doc = &doc;
    let mut other = doc.clone();
    if let Some(list) = other["institutions"].as_array_mut() {
        for (i, inst) in list.iter_mut().enumerate() {
            inst["zone"] = zones(i);
        }
    }
    Ok((region(doc)?, region(&other)?))
}

/// The region is summed through its zones' sums (each institution added once, to its zone):
/// it must be the region of the same institutions in no zone, or all in one, to the last bit.
#[test]
fn the_region_does_not_depend_on_the_zones() {
    let mut docs: Vec<Value> = presets::all().iter().map(|p| serde_json::from_str(p.json).unwrap()).collect();
    docs.push(presets::synthetic(50, 5).unwrap().to_json());
    for doc in &docs {
        for zones in [
            |_: usize| Value::Null,
            |_: usize| Value::from("one"),
            |i: usize| Value::from(format!("z{}", i % 3)),
        ] {
            let (given, other) = region_with(doc, zones).unwrap();
            assert_eq!(given, other, "{}", doc["name"]);
        }
    }
    common::cases::run(file!(), 500, scenario_doc(), |doc| {
        let (given, other) = region_with(&doc, |_| Value::Null)?;
        if given != other {
            return Err(TestCaseError::fail("the region moved when the zones were removed"));
        }
        let (given, other) = region_with(&doc, |i| Value::from(format!("z{}", (i * 7) % 4)))?;
        if given != other {
            return Err(TestCaseError::fail("the region moved when the zones were changed"));
        }
        Ok(())
    });
}
