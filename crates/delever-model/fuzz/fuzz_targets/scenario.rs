//! Fuzz target: any bytes as a scenario file; parsing, simulation and JSON output must never panic, and every projection keeps the identities of MODEL.md section 3.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = delever_model::parse_scenario(text) else { return };
    // Keep each case fast: the engine's cost grows with institutions × months.
    if scenario.institutions.len() * scenario.months() > 2_000 {
        return;
    }
    if let Ok(projection) = delever_model::simulate(&scenario) {
        // Every institution's every month, and the region's and zones' sums (the model's
        // public checker): a violation is an engine bug, so the fuzzer stops on it.
        if let Err(violation) = delever_model::invariants::check_projection(&scenario, &projection) {
            panic!("an engine identity fails: {violation}");
        }
        let json = projection.to_json();
        // The canonical form of a valid scenario is itself valid.
        assert!(delever_model::parse_scenario_value(&scenario.to_json()).is_ok());
        let _ = serde_json::to_string(&json);
    }
});
