//! A projection run in parts and merged (`delever_model::parts`): to the last bit the whole run's, on the presets and generated scenarios, in any number of parts; and what does not fit is refused.

mod common;

use common::generate::scenario_doc;
use delever_model::output::Detail;
use delever_model::parts::{MergeError, Part};
use delever_model::sum::ExactSum;
use delever_model::{Scenario, Simulator, parse_scenario_value, presets, wire};
use proptest::test_runner::TestCaseError;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

/// `doc` made separable: no AMC, no actuals, and a region-wide amount plan turned into a rate.
fn separable(doc: &Value) -> Value {
    let mut doc = doc.clone();
    doc["amc"] = Value::Null;
    if let Some(map) = doc.as_object_mut() {
        map.remove("actuals");
    }
    if doc["defaults"]["disposal"]["plan"] == "amount" {
        doc["defaults"]["disposal"] = json!({"plan": "rate", "rate": "0.45"});
    }
    doc
}

/// The whole run's projection at the page's detail, as bytes and with every decimal's scale
/// (`Debug`), or its error.
fn whole(scenario: &Scenario) -> Result<(Vec<u8>, String), String> {
    Simulator::new()
        .simulate(scenario, Detail::RegionMonthly)
        .map(|p| (wire::encode(&p), format!("{p:?}")))
        .map_err(|e| format!("{e:?}"))
}

/// `scenario` run in `n` parts, each by its own simulator (as in a pool of workers) and sent
/// as bytes, then merged by the first part's simulator. `Err` when a part's run fails.
fn in_parts(scenario: &Scenario, n: usize) -> Result<(Vec<u8>, String), String> {
    let mut first = Simulator::new();
    let mut parts = Vec::new();
    for index in 0..n {
        let mut own = Simulator::new();
        let simulator = if index == 0 { &mut first } else { &mut own };
        let part = simulator
            .simulate_part(scenario, index, n)
            .map_err(|e| format!("{e:?}"))?
            .ok_or("not separable")?;
        let decoded = wire::decode_part(&wire::encode_part(&part)).map_err(|e| e.to_string())?;
        assert_eq!(decoded, part, "a part's bytes decode to the part");
        parts.push(decoded);
    }
    let merged = first.merge(scenario, &parts).map_err(|e| format!("{e:?}"))?;
    Ok((wire::encode(&merged), format!("{merged:?}")))
}

fn check(doc: &Value) -> Result<(), TestCaseError> {
    let scenario = parse_scenario_value(doc).map_err(|_| TestCaseError::fail("invalid scenario"))?;
    let expected = whole(&scenario);
    for n in [1, 2, 3, 7] {
        let got = in_parts(&scenario, n);
        match (&expected, &got) {
            (Ok(a), Ok(b)) if a == b => {}
            // A run that fails fails in some part (the page then runs it itself).
            (Err(_), Err(_)) => {}
            _ => {
                return Err(TestCaseError::fail(format!(
                    "{n} parts: {:?} vs the whole run's {:?}",
                    got.as_ref().map(|g| &g.1),
                    expected.as_ref().map(|e| &e.1)
                )));
            }
        }
    }
    Ok(())
}

#[test]
fn parts_merge_to_the_whole_projection_on_the_presets() {
    let mut docs: Vec<Value> = presets::all().iter().map(|p| serde_json::from_str(p.json).unwrap()).collect();
    docs.push(presets::synthetic(50, 5).unwrap().to_json());
    for doc in &docs {
        check(&separable(doc)).unwrap_or_else(|e| panic!("{}: {e}", doc["name"]));
    }
}

#[test]
fn parts_merge_to_the_whole_projection_on_generated_scenarios() {
    common::cases::run(file!(), 300, scenario_doc(), |doc| check(&separable(&doc)));
}

#[test]
fn what_depends_on_other_institutions_is_not_split() {
    let licheng: Value = serde_json::from_str(presets::all()[0].json).unwrap();
    let separable_doc = separable(&licheng);
    let mut amc = separable_doc.clone();
    amc["amc"] = json!({"opening_stock": "10", "inflow_share": "0.5", "disposal_rate": "0.3"});
    let mut shared = separable_doc.clone();
    shared["defaults"]["disposal"] = json!({"plan": "amount", "amount": "10"});
    for (what, doc, splits) in
        [("separable", &separable_doc, true), ("AMC", &amc, false), ("shared amount", &shared, false)]
    {
        let scenario = parse_scenario_value(doc).unwrap();
        let part = Simulator::new().simulate_part(&scenario, 0, 2).unwrap();
        assert_eq!(part.is_some(), splits, "{what}");
    }
}

/// The synthetic `n` × 5 scenario, separable.
fn synthetic(n: usize) -> Scenario {
    parse_scenario_value(&separable(&presets::synthetic(n, 5).unwrap().to_json())).unwrap()
}

/// Parts of the synthetic 50 × 5 scenario, in three.
fn three_parts() -> (Scenario, Simulator, Vec<Part>) {
    let scenario = synthetic(50);
    let mut first = Simulator::new();
    let mut parts = vec![first.simulate_part(&scenario, 0, 3).unwrap().unwrap()];
    for index in 1..3 {
        parts.push(Simulator::new().simulate_part(&scenario, index, 3).unwrap().unwrap());
    }
    (scenario, first, parts)
}

#[test]
fn parts_that_do_not_fit_are_refused() {
    let (scenario, first, parts) = three_parts();
    assert!(first.merge(&scenario, &parts).is_ok());
    let mismatch = |parts: &[Part]| matches!(first.merge(&scenario, parts), Err(MergeError::Mismatch(_)));
    // Out of order, one missing, one twice.
    assert!(mismatch(&[parts[1].clone(), parts[0].clone(), parts[2].clone()]));
    assert!(mismatch(&parts[..2]));
    assert!(mismatch(&[parts[0].clone(), parts[1].clone(), parts[1].clone(), parts[2].clone()]));
    // Sums cut short, or with a byte too many.
    let mut short = parts.clone();
    short[1].sums.pop();
    assert!(mismatch(&short));
    let mut long = parts.clone();
    long[2].sums.push(0);
    assert!(mismatch(&long));
    // Another scenario's shape, or none kept.
    let other = synthetic(40);
    assert!(matches!(first.merge(&other, &parts), Err(MergeError::Mismatch(_))));
    assert!(matches!(Simulator::new().merge(&scenario, &parts), Err(MergeError::Mismatch(_))));
    // Bytes that are not a part.
    let bytes = wire::encode_part(&parts[0]);
    assert!(wire::decode_part(&bytes[..bytes.len() - 1]).is_err());
    assert!(wire::decode_part(b"DLVWIRE3").is_err());
}

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

#[test]
fn an_exact_sum_round_trips_through_its_bytes() {
    let cases: [&[&str]; 5] = [
        &[],
        &["0.000"],
        &["0.0", "0.00"],
        &["1.25", "-3", "7.9228162514264337593543950335", "0.5"],
        &["-0.0000000000000000000000000001", "79228162514264337593543950335"],
    ];
    for terms in cases {
        let mut sum = ExactSum::new();
        for t in terms {
            sum.add(d(t)).unwrap();
        }
        let mut bytes = Vec::new();
        sum.write(&mut bytes);
        bytes.push(0xAB);
        let mut rest = bytes.as_slice();
        let read = ExactSum::read(&mut rest).unwrap();
        assert_eq!(rest, [0xAB], "{terms:?}: read to its end");
        let (a, b) = (read.total().unwrap(), sum.total().unwrap());
        assert_eq!(a.serialize(), b.serialize(), "{terms:?}");
    }
    // A scale above 28, a bad zero tag, a nonzero "zero", too short.
    let refused: [&[u8]; 4] = [
        &[0, 0, 0, 0x20],
        &[0, 0, 0, 0, 2],
        &[0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        &[1, 0, 0, 0, 7],
    ];
    for bytes in refused {
        let mut rest = bytes;
        assert!(ExactSum::read(&mut rest).is_none(), "{bytes:?}");
    }
}
