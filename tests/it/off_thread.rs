//! Large scenarios projected off the main thread (issue 10, item 5): the page's state machine
//! hands a large scenario to the engine's worker, keeps the previous result meanwhile, drops
//! stale answers, and shows exactly what it would have computed itself.

use delever::state::{Action, OFF_THREAD_FROM, Source, UiState, is_large};
use delever_model::output::Detail;
use delever_model::{Lang, Scenario, Simulator, presets, wire};

/// 100 institutions × 5 years: 6,000 institution-months, the first size the worker takes.
fn large() -> Scenario {
    presets::synthetic(100, 5).expect("the synthetic scenario is valid")
}

/// What the worker answers for `scenario` (`crates/delever-worker` does exactly this).
fn worker_answer(scenario: &Scenario) -> Vec<u8> {
    wire::encode(&Simulator::new().simulate(scenario, Detail::RegionMonthly).expect("it runs"))
}

/// The page with the worker available, the large scenario loaded and answered.
fn loaded() -> UiState {
    let mut state = UiState::new(Lang::Zh);
    state.off_thread = true;
    state.apply(Action::LoadText { text: large().to_json().to_string(), source: Source::Link });
    let pending = state.pending.clone().expect("a large load goes to the worker");
    state.apply(Action::Projected { id: pending.id, bytes: worker_answer(&pending.scenario) });
    state
}

fn growth(text: &str) -> Action {
    Action::SetField { path: "defaults.loan_growth".into(), text: text.into() }
}

#[test]
fn the_size_that_goes_to_the_worker() {
    assert!(is_large(&large()));
    assert!(!is_large(&presets::synthetic(50, 5).expect("valid")), "50 × 5 stays on the main thread");
    assert_eq!(OFF_THREAD_FROM, 100 * 5 * 12);
}

#[test]
fn a_large_load_becomes_the_result_and_the_baseline_when_answered() {
    let mut state = UiState::new(Lang::Zh);
    state.off_thread = true;
    let licheng = state.current.clone().expect("Licheng");
    state.apply(Action::LoadText { text: large().to_json().to_string(), source: Source::Link });
    assert!(state.is_updating());
    assert!(!state.is_stale());
    assert_eq!(state.current.as_ref().map(|c| c.scenario.name.clone()), Some(licheng.scenario.name.clone()));
    let pending = state.pending.clone().expect("pending");
    state.apply(Action::Projected { id: pending.id, bytes: worker_answer(&pending.scenario) });
    assert!(!state.is_updating());
    let current = state.current.clone().expect("a result");
    assert_eq!(current.scenario, large());
    current.check().expect("the shown result is the engine's");
    assert!(state.baseline.as_ref().is_some_and(|b| std::rc::Rc::ptr_eq(b, &current)));
    assert!(state.changes.is_empty());
}

#[test]
fn an_edit_waits_for_the_worker_and_shows_exactly_the_engines_result() {
    let mut state = loaded();
    let before = state.current.clone().expect("a result");
    state.apply(growth("9"));
    assert!(state.is_updating());
    assert!(std::rc::Rc::ptr_eq(state.current.as_ref().expect("kept"), &before), "the previous result stays");
    let pending = state.pending.clone().expect("pending");
    state.apply(Action::Projected { id: pending.id, bytes: worker_answer(&pending.scenario) });
    let current = state.current.clone().expect("a result");
    assert!(!std::rc::Rc::ptr_eq(&current, &before));
    current.check().expect("the shown result is the engine's");
    assert_eq!(state.changes.len(), 1, "{:?}", state.changes);
}

#[test]
fn a_stale_answer_is_dropped_and_the_newest_shown() {
    let mut state = loaded();
    state.apply(growth("9"));
    let first = state.pending.clone().expect("pending");
    state.apply(growth("12"));
    let second = state.pending.clone().expect("pending");
    assert_ne!(first.id, second.id);
    let shown = state.current.clone();
    state.apply(Action::Projected { id: first.id, bytes: worker_answer(&first.scenario) });
    assert!(state.is_updating(), "the answer to a superseded request is dropped");
    assert_eq!(state.current, shown);
    state.apply(Action::Projected { id: second.id, bytes: worker_answer(&second.scenario) });
    assert!(!state.is_updating());
    let current = state.current.clone().expect("a result");
    assert_eq!(current.scenario, second.scenario);
    current.check().expect("the shown result is the engine's");
    // A late answer after that changes nothing.
    state.apply(Action::Projected { id: first.id, bytes: worker_answer(&first.scenario) });
    assert_eq!(state.current.as_ref().map(|c| c.scenario.clone()), Some(second.scenario.clone()));
}

#[test]
fn no_bytes_make_the_page_run_it_itself_and_word_what_is_wrong() {
    let mut state = loaded();
    state.apply(growth("9"));
    let pending = state.pending.clone().expect("pending");
    state.apply(Action::Projected { id: pending.id, bytes: Vec::new() });
    state.current.clone().expect("a result").check().expect("the page's own run");
    assert_eq!(state.current.as_ref().map(|c| &c.scenario), Some(&pending.scenario));
    // Bytes that are not a projection: the same.
    state.apply(growth("10"));
    let pending = state.pending.clone().expect("pending");
    state.apply(Action::Projected { id: pending.id, bytes: b"not a projection".to_vec() });
    assert_eq!(state.current.as_ref().map(|c| &c.scenario), Some(&pending.scenario));
    // A contraction that empties the performing book is valid but cannot run: the worker
    // has no projection for it, and the page words why (the engine's negative-stock error).
    for action in [
        Action::SetField { path: "defaults.npl_formation_rate".into(), text: "100".into() },
        Action::SetField { path: "defaults.disposal.rate".into(), text: "0".into() },
        growth("-50"),
    ] {
        state.apply(action);
        let pending = state.pending.clone().expect("a valid document goes to the worker");
        state.apply(Action::Projected { id: pending.id, bytes: Vec::new() });
    }
    assert!(
        matches!(state.sim_error, Some(delever_model::SimError::NegativeStock { .. })),
        "{:?}",
        state.sim_error
    );
    assert!(state.is_stale());
    assert!(!state.is_updating());
}

#[test]
fn an_invalid_edit_cancels_the_request_and_a_late_answer_changes_nothing() {
    let mut state = loaded();
    state.apply(growth("9"));
    let pending = state.pending.clone().expect("pending");
    state.apply(growth("abc"));
    assert!(!state.is_updating(), "nothing valid to wait for");
    assert!(state.is_stale());
    let shown = state.current.clone();
    state.apply(Action::Projected { id: pending.id, bytes: worker_answer(&pending.scenario) });
    assert_eq!(state.current, shown);
    assert_eq!(state.field_text("defaults.loan_growth"), "abc", "what the user typed is kept");
}

#[test]
fn a_small_scenario_supersedes_a_pending_large_one() {
    let mut state = loaded();
    state.apply(growth("9"));
    let pending = state.pending.clone().expect("pending");
    state.apply(Action::LoadPreset("licheng-2019".into()));
    assert!(!state.is_updating());
    state.apply(Action::Projected { id: pending.id, bytes: worker_answer(&pending.scenario) });
    assert_eq!(state.current.as_ref().map(|c| c.scenario.institutions.len()), Some(8), "Licheng is shown");
}

#[test]
fn without_a_worker_everything_runs_on_the_main_thread() {
    let mut state = UiState::new(Lang::Zh);
    state.apply(Action::LoadText { text: large().to_json().to_string(), source: Source::Link });
    assert!(!state.is_updating());
    state.current.clone().expect("a result").check().expect("the engine's");
}
