//! Fuzz target: any bytes as a host page's postMessage data; reading the message, acting on
//! it and answering (`check_loaded`) must never panic, and the result shown must keep the
//! engine's identities.
#![no_main]

use delever::embed::{Incoming, check_loaded, parse_message};
use delever::state::{Action, UiState};
use delever_model::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Incoming::Act(action) = parse_message(&text) else { return };
    if let Action::LoadText { text, .. } = &action {
        // Keep each case fast: the engine's cost grows with institutions × months.
        if let Ok(scenario) = delever_model::parse_scenario(text)
            && scenario.institutions.len() * scenario.months() > 2_000
        {
            return;
        }
        let _ = check_loaded(text);
    }
    let mut state = UiState::new(Lang::En);
    state.apply(action);
    let current = state.current.as_ref().expect("the last good result stays");
    if let Err(violation) = current.check() {
        panic!("an engine identity fails: {violation}");
    }
});
