//! `<AssessmentEditor/>`: the assessment (考核计分, MODEL.md section 10) as the plan writes it: the year, whether zones or institutions are scored, and each criterion's metric, direction and weight.
//!
//! Every input is bound to its path (`assessment.criteria[0].weight`) like the other editors,
//! so the engine's messages appear in place and what is typed is kept; the scores
//! themselves are in the division section and drive the ranking chart.

use delever_model::Lang;
use serde_json::Value;
use yew::prelude::*;

use crate::components::field::Field;
use crate::components::tables::{part_shows_the_same, remove_button, select_cell, unshown_problems};
use crate::i18n::{metric_name, tr};
use crate::state::{Action, PageState};

/// The metrics the plans score first (Licheng: 年末不良 − 上年末不良); the editor offers
/// every metric section 10 allows after them.
const FIRST_METRICS: [&str; 3] = ["npl_change", "disposal_completion", "loan_growth"];

/// Every metric a criterion may score (MODEL.md section 10), the plans' own first.
pub fn criterion_metrics() -> impl Iterator<Item = &'static str> {
    FIRST_METRICS
        .into_iter()
        .chain(delever_model::metrics::YEAR_END_SCALARS.into_iter().filter(|m| !FIRST_METRICS.contains(m)))
}

/// Compared by what the editor shows: the document's `assessment`, what is typed and
/// wrong under it, and the language.
#[derive(Properties)]
pub struct AssessmentProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

impl PartialEq for AssessmentProps {
    fn eq(&self, other: &AssessmentProps) -> bool {
        self.dispatch == other.dispatch
            && (self.state == other.state || part_shows_the_same(&self.state, &other.state, "assessment"))
    }
}

#[function_component(AssessmentEditor)]
pub fn assessment_editor(props: &AssessmentProps) -> Html {
    let AssessmentProps { state, dispatch } = props;
    let lang = state.lang;
    let emit = |action: Action| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let assessment = state.doc.get("assessment").filter(|a| !a.is_null());
    let body = match assessment {
        None => html! {
            <button type="button" data-action="assessment-add" onclick={emit(Action::AddAssessment)}>
                { tr(lang, "添加考核计分方案", "Add an assessment") }
            </button>
        },
        Some(assessment) => {
            let mut shown = vec!["assessment.year".to_string(), "assessment.level".to_string()];
            let levels = vec![
                ("zone".to_string(), tr(lang, "街道/园区", "Zones").to_string()),
                ("institution".to_string(), tr(lang, "机构", "Institutions").to_string()),
            ];
            let level = select_cell(
                state,
                dispatch,
                "assessment.level",
                tr(lang, "考核对象", "Scored"),
                &levels,
                assessment.get("level").and_then(Value::as_str),
            );
            let criteria =
                assessment.get("criteria").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            let metrics: Vec<(String, String)> =
                criterion_metrics().map(|m| (m.to_string(), metric_name(lang, m).to_string())).collect();
            let directions = vec![
                ("lower".to_string(), tr(lang, "越低越好", "lower is better").to_string()),
                ("higher".to_string(), tr(lang, "越高越好", "higher is better").to_string()),
            ];
            let rows = criteria.iter().enumerate().map(|(i, criterion)| {
                let prefix = format!("assessment.criteria[{i}]");
                let name = match lang {
                    Lang::Zh => format!("指标 {}", i + 1),
                    Lang::En => format!("criterion {}", i + 1),
                };
                let path = |key: &str| format!("{prefix}.{key}");
                shown.extend([path("metric"), path("better"), path("weight"), prefix.clone()]);
                let text = |key: &str| criterion.get(key).and_then(Value::as_str);
                html! {
                    <tr data-criterion={i.to_string()}>
                        <td>{ select_cell(state, dispatch, &path("metric"), &format!("{name} {}", tr(lang, "指标", "metric")), &metrics, text("metric")) }</td>
                        <td>{ select_cell(state, dispatch, &path("better"), &format!("{name} {}", tr(lang, "方向", "direction")), &directions, text("better")) }</td>
                        <td class="num">
                            <Field state={state.clone()} dispatch={dispatch.clone()} path={path("weight")}
                                label={format!("{name} {}", tr(lang, "权重（分）", "weight (points)"))} compact=true />
                        </td>
                        <td class="row-actions">
                            { remove_button(dispatch, Action::RemoveCriterion(i), &name, lang, criteria.len() <= 1,
                                Some(tr(lang, "至少保留一项指标", "An assessment needs at least one criterion"))) }
                        </td>
                    </tr>
                }
            });
            let rows: Vec<Html> = rows.collect();
            let problems = unshown_problems(state, "assessment", &shown, |_| false);
            html! {
                <>
                    <div class="assessment-head">
                        <Field state={state.clone()} dispatch={dispatch.clone()} path="assessment.year"
                            label={tr(lang, "考核年度", "Year scored")} />
                        <label class="select-label">{ tr(lang, "考核对象", "Scored") }{ level }</label>
                    </div>
                    <div class="table-scroll editable">
                        <table class="figures edit-table assessment-table">
                            <thead><tr>
                                <th scope="col">{ tr(lang, "指标", "Metric") }</th>
                                <th scope="col">{ tr(lang, "方向", "Direction") }</th>
                                <th scope="col" class="num">{ tr(lang, "权重（分）", "Weight (points)") }</th>
                                <th scope="col"><span class="visually-hidden">{ tr(lang, "操作", "Actions") }</span></th>
                            </tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                    </div>
                    { problems }
                    <div class="row-tools">
                        <button type="button" data-action="criterion-add" onclick={emit(Action::AddCriterion)}
                            disabled={criteria.len() >= 20}>{ tr(lang, "添加指标", "Add a criterion") }</button>
                        <button type="button" data-action="assessment-remove" onclick={emit(Action::RemoveAssessment)}>
                            { tr(lang, "删除考核方案", "Remove the assessment") }
                        </button>
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="card edit-card" aria-labelledby="assessment-title" data-table="assessment">
            <header class="card-head">
                <h2 id="assessment-title">{ tr(lang, "考核计分", "Assessment") }</h2>
            </header>
            <p class="explain">
                { tr(lang,
                    "按方案对各街道/园区（或各机构）排名计分：每项指标按数值排序，第一名得满分（权重），最后一名得 0 分，其间按名次线性给分，并列者取平均名次；无数值者得 0 分。总分决定排名与排名图。",
                    "Scores each zone (or institution) as the plan does: each criterion ranks the values, the best gets the full weight, the last 0, those between in proportion to their rank, ties share their mean rank; a missing value scores 0. The totals rank them, in the table and the ranking chart.") }
            </p>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assessment_is_added_edited_and_removed_in_place() {
        let mut state = crate::state::aggregate(Lang::Zh);
        let before = state.clone();
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        assert!(part_shows_the_same(&before, &state, "assessment"), "a lever move leaves the editor alone");

        state.apply(Action::AddAssessment);
        assert!(state.issues.is_empty(), "{:?}", state.issues);
        assert_eq!(state.doc["assessment"]["level"], "institution", "Licheng's one institution has no zone");
        let scores = state.current.as_ref().and_then(|c| c.projection.assessment.clone()).expect("scored");
        assert_eq!(scores.entries.len(), 1);

        state.apply(Action::AddCriterion);
        assert_eq!(state.doc["assessment"]["criteria"].as_array().map(Vec::len), Some(4));
        let before = state.clone();
        state.apply(Action::SetField { path: "assessment.criteria[3].weight".into(), text: "abc".into() });
        assert!(!part_shows_the_same(&before, &state, "assessment"));
        assert!(state.issues.iter().any(|i| i.path == "assessment.criteria[3].weight"), "{:?}", state.issues);
        assert_eq!(state.field_text("assessment.criteria[3].weight"), "abc");
        state.apply(Action::RemoveCriterion(3));
        assert!(state.issues.is_empty(), "{:?}", state.issues);

        state.apply(Action::SetChoice {
            path: "assessment.level".into(),
            value: Value::String("zone".into()),
        });
        assert!(
            state
                .current
                .as_ref()
                .and_then(|c| c.projection.assessment.as_ref())
                .is_some_and(|s| s.entries.is_empty())
        );
        state.apply(Action::RemoveAssessment);
        assert!(state.doc.get("assessment").is_none());
        assert!(state.current.as_ref().is_some_and(|c| c.projection.assessment.is_none()));
    }
}
