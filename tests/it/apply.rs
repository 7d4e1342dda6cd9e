//! Property test: no sequence of user actions, pasted text or loaded file can panic the page's state machine.

use delever::analyses::{Panel, Setting};
use delever::state::{Action, Source, UiState};
use delever_model::{Lang, Lever};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

/// Paths a user can reach, plus a few nobody should.
const PATHS: [&str; 24] = [
    "years",
    "start",
    "name",
    "defaults.loan_growth",
    "defaults.loan_growth[0]",
    "defaults.loan_growth[7]",
    "defaults.deposit_growth",
    "defaults.npl_formation_rate",
    "defaults.disposal.amount",
    "defaults.disposal.rate",
    "defaults.pacing.h1_share",
    "defaults.pacing.weights[3]",
    "defaults.provisioning.coverage_floor",
    "defaults.recovery.transfer",
    "institutions[0].opening.npl",
    "institutions[0].opening.loans",
    "institutions[0].zone",
    "institutions[3].opening.npl",
    "events[0].month",
    "targets[0].value",
    "targets[0].year",
    "amc.disposal_rate",
    "a[b",
    "defaults..x",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("-".to_string()),
        Just("1e400".to_string()),
        Just("１２.５％".to_string()),
        Just("NaN".to_string()),
        (-1000i64..1_000_000).prop_map(|n| (n as f64 / 100.0).to_string()),
        "\\PC{0,12}",
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => (0..PATHS.len(), text()).prop_map(|(p, t)| Action::SetField { path: PATHS[p].to_string(), text: t }),
        2 => (0usize..9, text()).prop_map(|(c, t)| Action::SetChannel { prefix: "defaults".into(), channel: c, text: t }),
        1 => (0..PATHS.len(), any::<bool>()).prop_map(|(p, b)| Action::SetPerYear { path: PATHS[p].to_string(), by_year: b }),
        1 => prop_oneof![Just("amount"), Just("rate"), Just("?")].prop_map(|p| Action::SetDisposalPlan { prefix: "defaults".into(), plan: p.into() }),
        1 => prop_oneof![Just("even"), Just("h1_share"), Just("weights")].prop_map(|k| Action::SetPacing { prefix: "defaults".into(), kind: k.into() }),
        1 => (0..PATHS.len()).prop_map(|p| Action::SetChoice { path: PATHS[p].to_string(), value: json!("x") }),
        1 => (0usize..12).prop_map(Action::SelectYear),
        1 => Just(Action::AddInstitution),
        1 => (0usize..3).prop_map(Action::RemoveInstitution),
        1 => Just(Action::AddEvent),
        1 => (0usize..3).prop_map(Action::RemoveEvent),
        1 => Just(Action::AddTarget),
        1 => (0usize..12).prop_map(Action::RemoveTarget),
        1 => prop_oneof![Just("licheng-2019"), Just("yangjiang-2016-2018"), Just("nope")].prop_map(|id| Action::LoadPreset(id.into())),
        1 => text().prop_map(|t| Action::LoadText { text: t, source: Source::Imported("x".into()) }),
        1 => Just(Action::LoadText { text: "{\"schema\": 1, \"years\": 99}".into(), source: Source::Link }),
        1 => Just(Action::ResetToBaseline),
        1 => text().prop_map(Action::SaveAs),
        1 => Just(Action::SetLang(Lang::En)),
        2 => (0..Lever::ALL.len(), any::<i64>(), 0u32..12).prop_map(|(l, n, scale)| {
            Action::ApplyLevers(vec![(Lever::ALL[l], Decimal::new(n, scale))])
        }),
        1 => (0..Panel::ALL.len()).prop_map(|p| Action::Analysis(Setting::Panel(Panel::ALL[p]))),
        1 => text().prop_map(|t| Action::Analysis(Setting::Paths(t))),
        1 => text().prop_map(|t| Action::Analysis(Setting::Cv(t))),
        1 => any::<usize>().prop_map(|n| Action::Analysis(Setting::MapSteps(n))),
        1 => text().prop_map(|t| Action::Analysis(Setting::TornadoMetric(t))),
        1 => text().prop_map(Action::ToggleCompared),
    ]
}

#[test]
fn no_sequence_of_actions_panics() {
    crate::cases::run(file!(), 256, proptest::collection::vec(action(), 1..25), |actions| {
        let mut state = UiState::new(Lang::Zh);
        for action in actions {
            state.apply(action);
            // Whatever happened, the page can still show every field and message.
            for path in PATHS {
                let _ = state.field_text(path);
                let _ = state.messages_at(path);
            }
            // A valid document always has a result; a stale page always keeps the last one it had.
            if !state.is_stale() {
                prop_assert!(state.current.is_some());
            }
            // The open panel's request can always be formed and its jobs set up without a panic.
            if let Some(current) = &state.current
                && let Some(request) = state.analyses.request(&current.scenario)
            {
                let _ = request.jobs(&current.scenario);
            }
        }
        Ok(())
    });
}

/// The same, with every scenario sent to the engine's worker, whose answers come late,
/// stale, as bytes that are not a projection, or not at all: whatever is on screen is
/// exactly the engine's result, and a page waiting for nothing is never marked updating.
#[test]
fn the_workers_answers_in_any_order_show_only_the_engines_results() {
    crate::cases::run(file!(), 256, proptest::collection::vec((action(), 0u8..5), 1..20), |steps| {
        let mut state = UiState::new(Lang::Zh);
        state.off_thread = true;
        state.off_thread_from = 0;
        let mut asked: Vec<std::rc::Rc<delever::state::Pending>> = Vec::new();
        for (action, answer) in steps {
            state.apply(action);
            if let Some(pending) = state.pending.clone() {
                asked.push(pending);
            }
            let reply = match answer {
                // The newest request, answered as the worker would.
                0 | 1 => asked.last().map(|p| (p.id, worker_bytes(&p.scenario))),
                // An older one (stale), answered.
                2 => asked.first().map(|p| (p.id, worker_bytes(&p.scenario))),
                // The newest, with bytes that are not a projection.
                3 => asked.last().map(|p| (p.id, b"junk".to_vec())),
                // No answer yet.
                _ => None,
            };
            if let Some((id, bytes)) = reply {
                state.apply(Action::Projected { id, bytes });
            }
            if let Some(current) = &state.current {
                prop_assert_eq!(current.check(), Ok(()));
            }
            if state.pending.is_some() {
                prop_assert!(state.issues.is_empty(), "waiting for an invalid document");
                prop_assert!(state.sim_error.is_none(), "waiting for a document already known not to run");
            } else if !state.is_stale() {
                // Nothing awaited and nothing wrong: the result shown is the document's own.
                let parsed = delever_model::parse_scenario_value(&state.doc).ok();
                prop_assert_eq!(parsed.as_ref(), state.current.as_ref().map(|c| &c.scenario));
            }
        }
        Ok(())
    });
}

/// What the engine's worker answers for `scenario` (`crates/delever-worker`: the same run).
fn worker_bytes(scenario: &delever_model::Scenario) -> Vec<u8> {
    delever_model::Simulator::new()
        .simulate(scenario, delever_model::output::Detail::RegionMonthly)
        .map(|p| delever_model::wire::encode(&p))
        .unwrap_or_default()
}
