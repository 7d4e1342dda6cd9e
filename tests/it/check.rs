//! What every test that drives the page's state machine checks afterwards: the result on
//! screen satisfies the engine's identities, and a refused change says why and keeps it.

use delever::state::UiState;
use delever_model::Lang;
use delever_model::invariants::check_projection;

/// How the page took a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A fresh result of the document as it stands.
    Ran,
    /// The engine refused the document (an issue or a simulation error, with its message);
    /// the last good result stays on screen.
    Refused,
}

/// Checks `state` after a change named `case`; panics, naming the case, on any violation.
pub fn verdict(state: &UiState, case: &str) -> Verdict {
    let current = state.current.as_ref().unwrap_or_else(|| panic!("{case}: no result on screen at all"));
    // The page's engine path (a plan kept across moves, the members' months left out) shows
    // exactly what `simulate` answers, and that satisfies every identity.
    let full =
        current.full_projection().unwrap_or_else(|e| panic!("{case}: the shown scenario does not run: {e}"));
    if let Err(violation) = check_projection(&current.scenario, &full) {
        panic!("{case}: an engine identity fails on the result shown: {violation}");
    }
    let mut lean = full;
    for (_, series) in lean.zones.iter_mut().chain(lean.institutions.iter_mut()) {
        series.monthly.clear();
    }
    assert!(lean == current.projection, "{case}: the page's result differs from simulate's");
    if state.is_stale() {
        let messages: Vec<String> = state
            .sim_error
            .iter()
            .map(|e| e.message(Lang::En))
            .chain(state.issues.iter().map(|i| i.message(Lang::En)))
            .collect();
        assert!(
            !messages.is_empty() && messages.iter().all(|m| !m.trim().is_empty()),
            "{case}: refused without a message: {messages:?}"
        );
        return Verdict::Refused;
    }
    // Not stale: what is shown is the document's own result.
    match delever_model::parse_scenario_value(&state.doc) {
        Ok(scenario) => {
            assert!(scenario == current.scenario, "{case}: the result shown is not the document's")
        }
        Err(issues) => panic!("{case}: not marked stale, yet the document has {} issues", issues.len()),
    }
    Verdict::Ran
}
