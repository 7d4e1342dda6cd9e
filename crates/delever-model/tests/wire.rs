//! `wire`: a projection survives bytes exactly (every preset, both details, warnings, a large
//! synthetic case), and bytes that are not one are refused without a panic.

mod common;

use delever_model::output::{Detail, Projection};
use delever_model::wire::{self, WireError};
use delever_model::{Scenario, Simulator, parse_scenario, presets};
use proptest::prelude::*;

fn cases() -> Vec<(String, Scenario)> {
    let mut cases: Vec<(String, Scenario)> = presets::all()
        .iter()
        .map(|p| (p.id.to_string(), parse_scenario(p.json).expect("presets are valid")))
        .collect();
    cases.push(("synthetic 50 × 5".into(), presets::synthetic(50, 5).expect("valid")));
    cases
}

fn projection(scenario: &Scenario, detail: Detail) -> Projection {
    Simulator::new().simulate(scenario, detail).expect("the case runs")
}

#[test]
fn every_preset_round_trips_bit_for_bit_at_both_details() {
    let mut warnings = 0;
    for (name, scenario) in cases() {
        for detail in [Detail::Full, Detail::RegionMonthly] {
            let shown = projection(&scenario, detail);
            let bytes = wire::encode(&shown);
            let back = wire::decode(&bytes, &scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(back, shown, "{name} {detail:?}");
            // Bit for bit: the same JSON text, scales included, and the same bytes again.
            assert_eq!(back.to_json().to_string(), shown.to_json().to_string(), "{name}");
            assert_eq!(wire::encode(&back), bytes, "{name}");
            warnings += shown.warnings.len();
        }
    }
    assert!(warnings > 0, "no case had a warning: the warnings' encoding went untested");
}

#[test]
fn targets_are_evaluated_again_for_the_scenario() {
    let preset = presets::get("licheng-2019").expect("Licheng");
    let scenario = parse_scenario(preset.json).expect("valid");
    let shown = projection(&scenario, Detail::RegionMonthly);
    assert!(!shown.targets.is_empty(), "Licheng has targets");
    let back = wire::decode(&wire::encode(&shown), &scenario).expect("decodes");
    assert_eq!(back.targets, shown.targets);
}

#[test]
fn every_truncation_and_trailing_byte_is_refused() {
    let scenario = parse_scenario(presets::all()[0].json).expect("valid");
    let bytes = wire::encode(&projection(&scenario, Detail::RegionMonthly));
    for len in 0..bytes.len() {
        assert!(wire::decode(&bytes[..len], &scenario).is_err(), "{len} of {} bytes decoded", bytes.len());
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(wire::decode(&longer, &scenario), Err(WireError::Trailing));
    let mut other = bytes;
    other[7] = b'0';
    assert_eq!(wire::decode(&other, &scenario), Err(WireError::Magic));
}

/// Licheng and its page projection's bytes, made once for every generated case.
fn licheng_bytes() -> &'static (Scenario, Vec<u8>) {
    static CASE: std::sync::OnceLock<(Scenario, Vec<u8>)> = std::sync::OnceLock::new();
    CASE.get_or_init(|| {
        let scenario = parse_scenario(presets::all()[0].json).expect("valid");
        let bytes = wire::encode(&projection(&scenario, Detail::RegionMonthly));
        (scenario, bytes)
    })
}

/// Any byte changed anywhere: refused, or a projection, never a panic (256 cases).
#[test]
fn changed_bytes_never_panic() {
    common::cases::run(file!(), 256, (0usize..100_000, any::<u8>()), |(at, value)| {
        let (scenario, bytes) = licheng_bytes();
        let mut bytes = bytes.clone();
        let at = at % bytes.len();
        bytes[at] = value;
        let _ = wire::decode(&bytes, scenario);
        Ok(())
    });
}

/// Every kind of request, and the answers of each on Licheng: back exactly; cut short, refused.
#[test]
fn requests_and_answers_round_trip() {
    use delever_model::analysis::{Lever, Request};
    use rust_decimal::Decimal;
    let scenario = parse_scenario(presets::all()[0].json).expect("valid");
    let requests = [
        Request::GoalSeek {
            lever: Lever::WriteOffShare,
            targets: vec!["npl_cap".into()],
            each: vec!["npl_cap".into()],
        },
        Request::GoalSeek { lever: Lever::Disposal, targets: Vec::new(), each: Vec::new() },
        Request::Sensitivity { metric: "npl_ratio".into(), year: Some(2019) },
        Request::Sensitivity { metric: "npl".into(), year: None },
        Request::Map { x: Lever::Disposal, y: Lever::LoanGrowth, metric: "npl_ratio".into(), steps: 4 },
        Request::MonteCarlo { paths: 25, seed: u64::MAX, cv: Decimal::new(25, 2) },
    ];
    let mut answered = 0;
    for request in requests {
        let bytes = wire::encode_request(&request);
        assert_eq!(wire::decode_request(&bytes), Ok(request.clone()));
        assert!(wire::decode_request(&bytes[..bytes.len() - 1]).is_err());
        let jobs = request.jobs(&scenario).expect("Licheng answers every request");
        answered += 1;
        let mut answers = Vec::new();
        for mut job in jobs {
            loop {
                if let Some(answer) = job.step(64).expect("runs") {
                    answers.push(answer);
                    break;
                }
            }
        }
        let bytes = wire::encode_answers(&answers);
        assert_eq!(wire::decode_answers(&bytes).as_ref(), Ok(&answers), "{request:?}");
        for len in [0, 8, bytes.len() / 2, bytes.len() - 1] {
            assert!(wire::decode_answers(&bytes[..len]).is_err(), "{request:?}: {len} bytes decoded");
        }
    }
    assert_eq!(answered, 6);
}
