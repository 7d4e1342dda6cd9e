//! What every test that drives the page's state machine checks afterwards: the result on
//! screen satisfies the engine's identities, and a refused change says why and keeps it.

use delever::state::UiState;
use delever_model::Lang;

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
    if let Err(violation) = current.check() {
        panic!("{case}: the result shown fails the engine's checks: {violation}");
    }
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
