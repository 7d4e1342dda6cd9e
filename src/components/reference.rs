//! `<ReferenceEditor/>`: the national commercial-bank NPL ratio (全国商业银行不良贷款率) each projected year is compared with, and the scenario's own assumption for a year the published table lacks (MODEL.md sections 6 and 11).
//!
//! Each year shows the figure in use and where it comes from; an assumption typed for a
//! year replaces the published figure for this scenario only, is always called an
//! assumption, and an emptied one gives the year back to the published table.

use delever_model::Lang;
use delever_model::reference::national_npl_ratio;
use yew::prelude::*;

use crate::components::field::Field;
use crate::components::tables::{part_shows_the_same, unshown_problems};
use crate::i18n::tr;
use crate::state::{Action, PageState, REFERENCE_YEARS, UiState};

/// Compared by what the editor shows: the document's `reference`, what is typed and wrong
/// under it, the projected years and the language.
/// A ratio as a percentage with two decimals (`0.0186` → `1.86%`).
fn percent(ratio: rust_decimal::Decimal) -> String {
    crate::format::percent(&ratio.to_string()).unwrap_or_default()
}

#[derive(Properties)]
pub struct ReferenceProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

impl PartialEq for ReferenceProps {
    fn eq(&self, other: &ReferenceProps) -> bool {
        self.dispatch == other.dispatch
            && (self.state == other.state || shows_the_same(&self.state, &other.state))
    }
}

/// Whether the reference editor looks the same in both states.
pub fn shows_the_same(a: &UiState, b: &UiState) -> bool {
    part_shows_the_same(a, b, "reference") && years(a) == years(b)
}

/// The projected calendar years (of the last valid result).
fn years(state: &UiState) -> Vec<i32> {
    state
        .current
        .as_ref()
        .map(|c| c.projection.region.year_ends.iter().map(|y| y.year).collect())
        .unwrap_or_default()
}

#[function_component(ReferenceEditor)]
pub fn reference_editor(props: &ReferenceProps) -> Html {
    let ReferenceProps { state, dispatch } = props;
    let lang = state.lang;
    let scenario = state.current.as_ref().map(|c| &c.scenario);
    let mut shown = vec!["reference.source".to_string()];
    let rows = years(state).into_iter().map(|year| {
        let path = format!("{REFERENCE_YEARS}{year}");
        shown.push(path.clone());
        let published = national_npl_ratio(year);
        let used = scenario.and_then(|s| s.national_npl_ratio(year));
        let published_text = published.map_or_else(|| tr(lang, "未公布", "not published").to_string(), |row| percent(row.npl_ratio));
        let used_text = used.map_or_else(|| tr(lang, "无", "none").to_string(), |f| percent(f.ratio()));
        let assumed = used.is_some_and(|f| f.is_assumed());
        let label = match lang {
            Lang::Zh => format!("{year} 年假设值"),
            Lang::En => format!("Assumption for {year}"),
        };
        html! {
            <tr data-year={year.to_string()} data-assumed={assumed.then_some("true")}>
                <th scope="row">{ year }</th>
                <td class="num">{ published_text }</td>
                <td class="num"><Field state={state.clone()} dispatch={dispatch.clone()} path={path} label={label} compact=true /></td>
                <td class="num" data-value={used.map(|f| delever_model::num::fmt_decimal(f.ratio()))}>
                    { used_text }
                    if assumed { <span class="badge illustrative">{ tr(lang, "假设", "assumed") }</span> }
                </td>
                <td class="source">{ used.map(|f| f.source(lang)).unwrap_or_default() }</td>
            </tr>
        }
    });
    let rows: Vec<Html> = rows.collect();
    let problems = unshown_problems(state, "reference", &shown, |_| false);
    html! {
        <section class="card edit-card" aria-labelledby="reference-title" data-table="reference">
            <header class="card-head">
                <h2 id="reference-title">{ tr(lang, "全国平均不良贷款率（商业银行）", "National NPL ratio (commercial banks)") }</h2>
            </header>
            <p class="explain">
                { tr(lang,
                    "“低于全国平均”类目标与图中的全国平均线取自下表。已公布的年份用公布数；尚未公布的年份（如来年）可填写本情景的假设值并注明来源，假设值只用于本情景，并始终标明为假设。清空假设值即恢复公布数。",
                    "Targets \"below the national average\" and the chart's national line use this table. Published years use the published figure; for a year not yet published (the coming year) you may enter this scenario's assumption with its source: it applies to this scenario only and is always shown as an assumption. Empty it to go back to the published figure.") }
            </p>
            <div class="table-scroll editable">
                <table class="figures edit-table reference-table">
                    <thead><tr>
                        <th scope="col">{ tr(lang, "年份", "Year") }</th>
                        <th scope="col" class="num">{ tr(lang, "公布数", "Published") }</th>
                        <th scope="col" class="num">{ tr(lang, "本情景假设（%）", "This scenario's assumption (%)") }</th>
                        <th scope="col" class="num">{ tr(lang, "采用", "In use") }</th>
                        <th scope="col">{ tr(lang, "依据", "Basis") }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <Field state={state.clone()} dispatch={dispatch.clone()} path="reference.source"
                label={tr(lang, "假设值来源", "Source of the assumptions")} />
            { problems }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assumption_replaces_the_published_figure_and_emptying_it_gives_it_back() {
        let mut state = UiState::new(Lang::Zh);
        let year = 2019;
        let figure = |s: &UiState| {
            s.current
                .as_ref()
                .and_then(|c| c.scenario.national_npl_ratio(year).map(|f| (f.ratio(), f.is_assumed())))
        };
        assert_eq!(figure(&state), Some((rust_decimal::Decimal::new(186, 4), false)));
        let before = state.clone();
        state.apply(Action::SetField { path: format!("{REFERENCE_YEARS}{year}"), text: "1.9".into() });
        assert!(state.issues.is_empty(), "{:?}", state.issues);
        assert_eq!(figure(&state), Some((rust_decimal::Decimal::new(19, 3), true)));
        assert!(!shows_the_same(&before, &state));
        state
            .apply(Action::SetField {
                path: "reference.source".into(), text: "人民银行季度报告推算".into()
            });
        assert!(
            state
                .current
                .as_ref()
                .unwrap()
                .scenario
                .national_npl_ratio(year)
                .unwrap()
                .source(Lang::Zh)
                .contains("推算")
        );
        state.apply(Action::SetField { path: format!("{REFERENCE_YEARS}{year}"), text: "abc".into() });
        assert!(
            state.issues.iter().any(|i| i.path == format!("{REFERENCE_YEARS}{year}")),
            "{:?}",
            state.issues
        );
        state.apply(Action::SetField { path: format!("{REFERENCE_YEARS}{year}"), text: String::new() });
        assert!(state.issues.is_empty(), "{:?}", state.issues);
        assert_eq!(
            figure(&state),
            Some((rust_decimal::Decimal::new(186, 4), false)),
            "back to the published figure"
        );
        state.apply(Action::SetField { path: "reference.source".into(), text: String::new() });
        state.apply(Action::SetField { path: format!("{REFERENCE_YEARS}{year}"), text: String::new() });
        assert!(state.doc.get("reference").is_none(), "{:?}", state.doc.get("reference"));
        let lever = state.clone();
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        assert!(shows_the_same(&lever, &state));
    }
}
