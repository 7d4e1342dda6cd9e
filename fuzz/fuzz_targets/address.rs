//! Fuzz target: any bytes as the page's location hash (`#scenario=…`) and query; reading the
//! link, loading its scenario and simulating it must never panic, and the result shown
//! must keep the engine's identities.
#![no_main]

use delever::codec::scenario_from_fragment;
use delever::embed::mode_from_query;
use delever::state::{Action, Source, UiState};
use delever_model::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let hash = String::from_utf8_lossy(data);
    let _ = mode_from_query(&hash);
    let Some(Ok(text)) = scenario_from_fragment(&hash) else { return };
    // Keep each case fast: the engine's cost grows with institutions × months.
    if let Ok(scenario) = delever_model::parse_scenario(&text)
        && scenario.institutions.len() * scenario.months() > 2_000
    {
        return;
    }
    let mut state = UiState::new(Lang::En);
    state.apply(Action::LoadText { text, source: Source::Link });
    let current = state.current.as_ref().expect("the last good result stays");
    if let Err(violation) = current.check() {
        panic!("an engine identity fails: {violation}");
    }
});
