//! `<QuickLevers/>`: the few levers an embedding page or a presenter chose (`levers=` in the address), each exactly as in the full panel.

use serde_json::Value;
use yew::prelude::*;

use crate::components::channels::channel_row;
use crate::components::field::Field;
use crate::components::levers::{deposit_growth_lever, disposal_lever, formation_lever, loan_growth_lever};
use crate::embed::QuickLever;
use crate::i18n::tr;
use crate::path;
use crate::state::{Action, PageState};

#[derive(Properties, PartialEq)]
pub struct QuickLeversProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

/// The index of a channel in `CHANNELS`.
fn channel_index(name: &str) -> usize {
    delever_model::scenario::CHANNELS.iter().position(|c| *c == name).unwrap_or(0)
}

fn lever(state: &PageState, dispatch: &Callback<Action>, lever: QuickLever) -> Html {
    let lang = state.lang;
    match lever {
        QuickLever::Disposal => disposal_lever(state, dispatch),
        QuickLever::WriteOffShare => channel_row(state, dispatch, "defaults", channel_index("write_off")),
        QuickLever::TransferShare => channel_row(state, dispatch, "defaults", channel_index("transfer")),
        QuickLever::LoanGrowth => loan_growth_lever(state, dispatch),
        QuickLever::DepositGrowth => deposit_growth_lever(state, dispatch),
        QuickLever::NplFormationRate => formation_lever(state, dispatch),
        QuickLever::H1Share => {
            let h1 = path::get(&state.doc, "defaults.pacing")
                .and_then(Value::as_object)
                .is_some_and(|pacing| pacing.contains_key("h1_share"));
            if h1 {
                html! {
                    <Field state={state.clone()} dispatch={dispatch.clone()} path="defaults.pacing.h1_share"
                        label={tr(lang, "上半年完成比例", "Share in the first half")} slider={Some((0.0, 100.0, 1.0))} />
                }
            } else {
                html! {
                    <p class="hint" data-lever="h1_share">{ tr(lang,
                        "本情景的处置节奏不是“上半年比例”，可在完整页面的“全年节奏”中改选。",
                        "This scenario's pacing is not a first-half share; choose it under Pacing on the full page.") }</p>
                }
            }
        }
    }
}

#[function_component(QuickLevers)]
pub fn quick_levers(props: &QuickLeversProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    html! {
        <section class="levers quick-levers" aria-labelledby="quick-levers-title">
            <h2 id="quick-levers-title">{ tr(lang, "调整参数", "Levers") }</h2>
            { for state.mode.levers.iter().map(|l| html! {
                <div class="quick-lever" data-lever={l.name()}>{ lever(state, &props.dispatch, *l) }</div>
            }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{QuickLevers, QuickLeversProps};
    use crate::embed::{QuickLever, mode_from_query};
    use crate::state::{PageState, UiState};

    fn render(query: &str) -> String {
        let mut state = UiState::new(delever_model::Lang::Zh);
        state.mode = mode_from_query(query).0;
        let props = QuickLeversProps { state: PageState(Rc::new(state)), dispatch: yew::Callback::noop() };
        futures::executor::block_on(
            yew::LocalServerRenderer::<QuickLevers>::with_props(props).hydratable(false).render(),
        )
    }

    #[test]
    fn shows_the_chosen_levers_only_in_their_order() {
        let html = render("?embed=1&levers=loan_growth,write_off_share");
        let loan = html.find("data-field=\"defaults.loan_growth\"").expect("loan growth");
        let write_off = html.find("data-field=\"defaults.channels.write_off\"").expect("write-off share");
        assert!(loan < write_off);
        assert!(!html.contains("defaults.deposit_growth"));
        assert!(!html.contains("defaults.disposal.amount"));
        // Every lever has its field, with the path MODEL.md names.
        let every = render(&format!("?levers={}", QuickLever::NAMES.join(",")));
        for path in [
            "defaults.disposal.amount",
            "defaults.channels.write_off",
            "defaults.channels.transfer",
            "defaults.loan_growth",
            "defaults.deposit_growth",
            "defaults.npl_formation_rate",
            "defaults.pacing.h1_share",
        ] {
            assert!(every.contains(&format!("data-field=\"{path}\"")), "{path} missing");
        }
    }
}
