//! Fuzz target: any bytes as an .xlsx and as a .csv; the import must answer with a scenario or with issues, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The scenario the institutions go into (Licheng's events name `all`).
const SCENARIO: &str = include_str!("../../../../www/presets/licheng-2019.json");

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.xlsx", "fuzz.csv"] {
        match delever_sheets::import_institutions(SCENARIO, data, name) {
            // An imported scenario is always one the engine accepts.
            Ok(text) => assert!(delever_model::parse_scenario(&text).is_ok()),
            Err(issues) => {
                assert!(!issues.is_empty());
                for issue in &issues {
                    let _ = issue.to_json(delever_model::Lang::Zh);
                }
            }
        }
    }
});
