//! What a change re-renders (issue 10): Yew re-renders a child exactly when its new props
//! differ from its old ones, so these tables hold each component's props to "changed only
//! when what it shows changed" across real actions of the page's state machine.

use std::rc::Rc;

use delever::components::Latest;
use delever::components::channels::{ChannelMix, ChannelMixProps};
use delever::components::field::FieldProps;
use delever::components::levers::{GroupProps, LeverGroup, LeverGroupView};
use delever::components::sheets::SheetsProps;
use delever::components::tables::{ListProps, TableProps};
use delever::components::{EventsTable, InstitutionsTable, TargetsEditor};
use delever::state::{Action, PageState, UiState};
use delever_model::Lang;
use yew::{AttrValue, Callback};

/// The state after `actions`, from Licheng (or from the preset the first action loads).
fn after(actions: &[Action]) -> UiState {
    let mut state = UiState::new(Lang::Zh);
    for action in actions {
        state.apply(action.clone());
    }
    state
}

/// Opens the Licheng plan as one aggregate institution, whose opening balances are levers.
fn load_aggregate() -> Action {
    Action::LoadText {
        text: delever_model::presets::LICHENG_AGGREGATE.into(),
        source: delever::state::Source::Link,
    }
}

fn field(state: &UiState, path: &str, dispatch: &Callback<Action>) -> FieldProps {
    FieldProps {
        state: PageState(Rc::new(state.clone())),
        dispatch: dispatch.clone(),
        path: AttrValue::from(path.to_string()),
        label: AttrValue::from("label"),
        compact: false,
        slider: Some((0.0, 50.0, 0.1)),
        hint: None,
    }
}

fn tables(state: &UiState, dispatch: &Callback<Action>) -> TableProps {
    TableProps { state: PageState(Rc::new(state.clone())), dispatch: dispatch.clone() }
}

fn set(path: &str, text: &str) -> Action {
    Action::SetField { path: path.into(), text: text.into() }
}

/// (case, actions before, the action, fields that must re-render, fields that must not,
/// whether the tables must re-render)
type Case = (&'static str, Vec<Action>, Action, &'static [&'static str], &'static [&'static str], bool);

#[test]
fn a_lever_move_re_renders_its_field_and_no_table() {
    let dispatch = Callback::from(|_: Action| ());
    let yangjiang = Action::LoadPreset("yangjiang-2016-2018".into());
    let table: [Case; 6] = [
        (
            "a slider move",
            vec![],
            set("defaults.loan_growth", "12"),
            &["defaults.loan_growth"],
            &["defaults.deposit_growth", "defaults.disposal.amount", "institutions[0].opening.npl"],
            false,
        ),
        (
            "a slider move in a 12-bank file",
            vec![yangjiang.clone()],
            set("defaults.npl_formation_rate", "3"),
            &["defaults.npl_formation_rate"],
            &["defaults.loan_growth", "institutions[3].opening.loans"],
            false,
        ),
        (
            "an invalid lever",
            vec![],
            set("defaults.loan_growth", "abc"),
            &["defaults.loan_growth"],
            &["defaults.deposit_growth", "institutions[0].opening.npl"],
            false,
        ),
        (
            "an opening balance",
            vec![],
            set("institutions[0].opening.npl", "2"),
            &["institutions[0].opening.npl"],
            &["defaults.loan_growth", "institutions[0].opening.loans"],
            true,
        ),
        ("a new target", vec![], Action::AddTarget, &[], &["defaults.loan_growth"], true),
        ("the language", vec![], Action::SetLang(Lang::En), &["defaults.loan_growth"], &[], true),
    ];
    for (case, before, action, changed, unchanged, tables_change) in table {
        let old = after(&before);
        let mut new = old.clone();
        new.apply(action);
        for path in changed {
            assert!(
                field(&old, path, &dispatch) != field(&new, path, &dispatch),
                "{case}: {path} must re-render"
            );
        }
        for path in unchanged {
            assert!(
                field(&old, path, &dispatch) == field(&new, path, &dispatch),
                "{case}: {path} re-renders"
            );
        }
        assert_eq!(
            tables(&old, &dispatch) != tables(&new, &dispatch),
            tables_change,
            "{case}: the editor tables {}",
            if tables_change { "must re-render" } else { "re-render" }
        );
    }
}

#[test]
fn a_new_dispatch_callback_re_renders_everything() {
    // The page keeps one callback for its life (`app.rs`); this is why.
    let state = after(&[]);
    let (one, other) = (Callback::from(|_: Action| ()), Callback::from(|_: Action| ()));
    assert!(tables(&state, &one) != tables(&state, &other));
    assert!(field(&state, "defaults.loan_growth", &one) != field(&state, "defaults.loan_growth", &other));
}

fn mix(state: &UiState, dispatch: &Callback<Action>) -> ChannelMixProps {
    ChannelMixProps {
        state: PageState(Rc::new(state.clone())),
        dispatch: dispatch.clone(),
        prefix: AttrValue::from("defaults"),
    }
}

fn lists(state: &UiState, dispatch: &Callback<Action>) -> ListProps {
    ListProps { state: PageState(Rc::new(state.clone())), dispatch: dispatch.clone() }
}

/// (case, actions before, the action, whether the channel mix, the institutions table and
/// the events and targets tables must re-render)
type PartsCase = (&'static str, Vec<Action>, Action, bool, bool, bool);

#[test]
fn a_lever_move_re_renders_only_the_parts_that_show_it() {
    let dispatch = Callback::from(|_: Action| ());
    let yangjiang = Action::LoadPreset("yangjiang-2016-2018".into());
    let channel = Action::SetChannel { prefix: "defaults".into(), channel: 1, text: "40".into() };
    let table: [PartsCase; 9] = [
        ("a growth lever", vec![], set("defaults.loan_growth", "12"), false, false, false),
        ("the disposal plan", vec![], set("defaults.disposal.amount", "12"), false, false, false),
        ("a channel", vec![], channel, true, false, false),
        ("a channel's text typed", vec![], set("defaults.channels.write_off", "abc"), true, false, false),
        (
            "an opening balance as a lever",
            vec![],
            set("institutions[0].opening.npl", "2"),
            false,
            true,
            false,
        ),
        (
            "an opening balance of a 12-bank file",
            vec![yangjiang],
            set("institutions[3].opening.loans", "90"),
            false,
            true,
            false,
        ),
        ("an institution's name", vec![], set("institutions[0].name", "鲤城农商行"), false, true, true),
        ("a new target", vec![], Action::AddTarget, false, true, true),
        ("the language", vec![], Action::SetLang(Lang::En), true, true, true),
    ];
    for (case, before, action, mix_changes, institutions_change, lists_change) in table {
        let old = after(&before);
        let mut new = old.clone();
        new.apply(action);
        let verb = |changes: bool| if changes { "must re-render" } else { "re-renders" };
        assert_eq!(
            mix(&old, &dispatch) != mix(&new, &dispatch),
            mix_changes,
            "{case}: the channel mix {}",
            verb(mix_changes)
        );
        assert_eq!(
            tables(&old, &dispatch) != tables(&new, &dispatch),
            institutions_change,
            "{case}: the institutions table {}",
            verb(institutions_change)
        );
        assert_eq!(
            lists(&old, &dispatch) != lists(&new, &dispatch),
            lists_change,
            "{case}: the events and targets tables {}",
            verb(lists_change)
        );
    }
}

fn group(state: &UiState, dispatch: &Callback<Action>, group: LeverGroup) -> GroupProps {
    GroupProps { state: PageState(Rc::new(state.clone())), dispatch: dispatch.clone(), group }
}

fn render<C: yew::BaseComponent>(props: C::Properties) -> String {
    futures::executor::block_on(yew::LocalServerRenderer::<C>::with_props(props).hydratable(false).render())
}

#[test]
fn a_lever_move_re_renders_only_its_group() {
    let dispatch = Callback::from(|_: Action| ());
    let channel = Action::SetChannel { prefix: "defaults".into(), channel: 1, text: "40".into() };
    // (case, the action, the groups that must re-render; every other must not)
    let table: [(&str, Action, &[LeverGroup]); 8] = [
        ("loan growth", set("defaults.loan_growth", "12"), &[LeverGroup::Growth]),
        // The disposal amount's slider reaches what the scenario could dispose of, which
        // the formation rate and the opening NPL change.
        (
            "formation",
            set("defaults.npl_formation_rate", "3"),
            &[LeverGroup::Formation, LeverGroup::Disposal],
        ),
        (
            "an opening balance",
            set("institutions[0].opening.npl", "2"),
            &[LeverGroup::Opening, LeverGroup::Disposal],
        ),
        ("a recovery rate", set("defaults.recovery.transfer", "40"), &[LeverGroup::Advanced]),
        ("a channel", channel, &[]),
        ("an invalid lever", set("defaults.loan_growth", "abc"), &[LeverGroup::Growth]),
        (
            "split by year",
            Action::SetPerYear { path: "defaults.loan_growth".into(), by_year: true },
            &[LeverGroup::Growth],
        ),
        ("the language", Action::SetLang(Lang::En), &LeverGroup::ALL),
    ];
    let mut wrong = Vec::new();
    for (case, action, changed) in table {
        let old = after(&[load_aggregate()]);
        let mut new = old.clone();
        new.apply(action);
        for part in LeverGroup::ALL {
            let must = changed.contains(&part);
            if (group(&old, &dispatch, part) != group(&new, &dispatch, part)) != must {
                wrong.push(format!(
                    "{case}: the {part:?} group {}",
                    if must { "must re-render" } else { "re-renders" }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_part_that_compares_equal_renders_the_same() {
    // Along a walk of the page's actions, a lever group, the channel mix or an editor table
    // whose props compare equal before and after an action must render exactly the same
    // markup: otherwise skipping its re-render would leave something stale on screen.
    let dispatch = Callback::from(|_: Action| ());
    let walk = [
        set("defaults.loan_growth", "12"),
        set("institutions[0].opening.loans", "900"),
        set("defaults.disposal.amount", "15"),
        Action::SetPerYear { path: "defaults.deposit_growth".into(), by_year: true },
        Action::SetDisposalPlan { prefix: "defaults".into(), plan: "rate".into() },
        set("defaults.disposal.rate", "40"),
        Action::SetPacing { prefix: "defaults".into(), kind: "weights".into() },
        set("defaults.pacing.weights[3]", "2"),
        Action::SetPacing { prefix: "defaults".into(), kind: "h1_share".into() },
        Action::SetChoice { path: "defaults.loan_growth_basis".into(), value: serde_json::json!("balance") },
        set("defaults.npl_formation_rate", "x"),
        set("defaults.npl_formation_rate", "2"),
        Action::SetLang(Lang::En),
        Action::LoadPreset("yangjiang-2016-2018".into()),
        set("institutions[2].opening.npl", "3"),
        Action::SetPerYear { path: "defaults.loan_growth".into(), by_year: true },
        set("defaults.loan_growth[1]", "9"),
        Action::LoadPreset("chongqing-2016-2020".into()),
        set("defaults.recovery.transfer", "30"),
        Action::SetChannel { prefix: "defaults".into(), channel: 2, text: "30".into() },
        set("institutions[1].name", "某银行"),
        Action::AddTarget,
        set("targets[0].value", "abc"),
        Action::AddEvent,
        Action::SetLang(Lang::Zh),
    ];
    let mut state = after(&[]);
    for action in walk {
        let old = state.clone();
        state.apply(action.clone());
        for part in LeverGroup::ALL {
            let (before, now) = (group(&old, &dispatch, part), group(&state, &dispatch, part));
            if before == now {
                let (before, now) = (render::<LeverGroupView>(before), render::<LeverGroupView>(now));
                assert_eq!(before, now, "after {action:?}: the {part:?} group is stale");
            }
        }
        if mix(&old, &dispatch) == mix(&state, &dispatch) {
            let (before, now) =
                (render::<ChannelMix>(mix(&old, &dispatch)), render::<ChannelMix>(mix(&state, &dispatch)));
            assert_eq!(before, now, "after {action:?}: the channel mix is stale");
        }
        if tables(&old, &dispatch) == tables(&state, &dispatch) {
            let before = render::<InstitutionsTable>(tables(&old, &dispatch));
            assert_eq!(
                before,
                render::<InstitutionsTable>(tables(&state, &dispatch)),
                "after {action:?}: institutions"
            );
        }
        if lists(&old, &dispatch) == lists(&state, &dispatch) {
            let before = render::<EventsTable>(lists(&old, &dispatch));
            assert_eq!(before, render::<EventsTable>(lists(&state, &dispatch)), "after {action:?}: events");
            let before = render::<TargetsEditor>(lists(&old, &dispatch));
            assert_eq!(
                before,
                render::<TargetsEditor>(lists(&state, &dispatch)),
                "after {action:?}: targets"
            );
        }
    }
}

#[test]
fn a_lever_move_leaves_the_spreadsheet_tools_alone() {
    let dispatch = Callback::from(|_: Action| ());
    let latest = Latest::default();
    let sheets = |state: &UiState, latest: Option<Latest>| SheetsProps {
        state: PageState(Rc::new(state.clone())),
        dispatch: dispatch.clone(),
        latest,
    };
    let old = after(&[]);
    let cases = [
        ("a slider move", set("defaults.loan_growth", "12"), false),
        ("an invalid lever (the last result stays)", set("defaults.loan_growth", "abc"), false),
        ("the language", Action::SetLang(Lang::En), true),
        (
            "spreadsheet problems",
            Action::ReportSheetIssues(vec![delever::state::SheetIssue {
                sheet: "机构".into(),
                row: 3,
                column: "不良贷款".into(),
                message: "应为数字".into(),
            }]),
            true,
        ),
    ];
    for (case, action, changes) in cases {
        let mut new = old.clone();
        new.apply(action);
        let (before, now) = (sheets(&old, Some(latest.clone())), sheets(&new, Some(latest.clone())));
        assert_eq!(before != now, changes, "{case}");
        // Without the page's `Latest` to read from when pressed, any change re-renders.
        assert!(sheets(&old, None) != sheets(&new, None), "{case}");
    }
}

fn actuals_grid(state: &UiState, dispatch: &Callback<Action>) -> delever::components::actuals::ActualsProps {
    delever::components::actuals::ActualsProps {
        state: PageState(Rc::new(state.clone())),
        dispatch: dispatch.clone(),
    }
}

/// (case, the action on Licheng as of May, whether the actuals grid, the institutions
/// table and the events and targets tables must re-render)
type ActualsCase = (&'static str, Action, bool, bool, bool);

#[test]
fn a_reported_figure_re_renders_the_actuals_grid_and_no_other_table() {
    let dispatch = Callback::from(|_: Action| ());
    let may = after(&[Action::LoadPreset("licheng-2019-may".into())]);
    let last = may.doc["actuals"].as_array().map_or(0, |a| a.len()).saturating_sub(1);
    let table: [ActualsCase; 6] = [
        ("a growth lever", set("defaults.loan_growth", "12"), false, false, false),
        ("a reported loan balance", set(&format!("actuals[{last}].loans"), "520"), true, false, false),
        ("a reported figure mistyped", set(&format!("actuals[{last}].npl"), "abc"), true, false, false),
        ("the next month added", Action::AddActualsMonth, true, false, false),
        ("the last month removed", Action::RemoveActualsMonth, true, false, false),
        ("the language", Action::SetLang(Lang::En), true, true, true),
    ];
    for (case, action, grid_changes, institutions_change, lists_change) in table {
        let mut new = may.clone();
        new.apply(action);
        let verb = |changes: bool| if changes { "must re-render" } else { "re-renders" };
        assert_eq!(
            actuals_grid(&may, &dispatch) != actuals_grid(&new, &dispatch),
            grid_changes,
            "{case}: the actuals grid {}",
            verb(grid_changes)
        );
        assert_eq!(
            tables(&may, &dispatch) != tables(&new, &dispatch),
            institutions_change,
            "{case}: the institutions table {}",
            verb(institutions_change)
        );
        assert_eq!(
            lists(&may, &dispatch) != lists(&new, &dispatch),
            lists_change,
            "{case}: the events and targets tables {}",
            verb(lists_change)
        );
    }
}
