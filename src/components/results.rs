//! Results for the chosen year-end: number cards with their targets, every target check, warnings, and the levers changed from the baseline.
//!
//! Every number carries `data-kpi` and `data-value` (the exact decimal), MODEL.md section 8.

use delever_model::num::fmt_decimal;
use delever_model::output::YearEnd;
use delever_model::scenario::Scope;
use delever_model::targets::TargetResult;
use rust_decimal::Decimal;
use serde_json::Value;
use yew::prelude::*;

use crate::components::brief::describe_change;
use crate::format::{self, Kind};
use crate::i18n::{metric_name, tr};
use crate::state::{Action, Change, PageState};

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

/// The number cards, in the order officials read a plan.
const CARDS: [&str; 11] = [
    "deposits",
    "loans",
    "npl",
    "npl_ratio",
    "disposal",
    "formation",
    "write_off_share",
    "coverage",
    "allowance_ratio",
    "ldr",
    "leverage_ratio",
];

/// A decimal shown as its metric is: amounts with two decimals and separators, ratios in %.
pub fn shown(metric: &str, value: Option<Decimal>) -> String {
    match value {
        Some(v) => format::value(format::kind_of(metric), &fmt_decimal(v)).unwrap_or_default(),
        None => "—".to_string(),
    }
}

pub(crate) fn margin_text(lang: delever_model::Lang, metric: &str, margin: Option<Decimal>) -> String {
    let Some(m) = margin else { return String::new() };
    let kind = format::kind_of(metric);
    let number = format::signed_difference(kind, &fmt_decimal(m)).unwrap_or_default();
    match kind {
        Kind::Ratio => format!("{number} {}", tr(lang, "个百分点", "pp")),
        Kind::Amount => number,
    }
}

pub(crate) fn status(lang: delever_model::Lang, result: &TargetResult) -> Html {
    let (class, word) = if result.met {
        ("met", tr(lang, "达标", "met"))
    } else {
        ("not-met", tr(lang, "未达标", "not met"))
    };
    html! { <span class={classes!("status", class)} data-met={result.met.to_string()}>{ word }</span> }
}

pub(crate) fn op_symbol(result: &TargetResult) -> &'static str {
    match result.target.op {
        delever_model::scenario::Op::Ge => "≥",
        delever_model::scenario::Op::Le => "≤",
    }
}

fn card(
    lang: delever_model::Lang,
    metric: &'static str,
    year_end: &YearEnd,
    targets: &[&TargetResult],
) -> Html {
    let value = year_end.get(metric);
    let checks =
        targets.iter().filter(|t| t.target.metric == metric && t.target.scope == Scope::Region).map(|t| {
            html! {
                <p class="card-target" data-target={t.target.id.clone()}>
                    { format!("{} ", op_symbol(t)) }
                    <span data-kpi="target_value" data-value={fmt_decimal(t.value)}>{ shown(metric, Some(t.value)) }</span>
                    { " " }
                    { status(lang, t) }
                    { " " }
                    <span class="margin" data-kpi="target_margin" data-value={t.margin.map(fmt_decimal)}>{ margin_text(lang, metric, t.margin) }</span>
                </p>
            }
        });
    html! {
        <div class="card kpi">
            <h3>{ metric_name(lang, metric) }</h3>
            <p class="kpi-value" data-kpi={metric} data-value={value.map(fmt_decimal)}>{ shown(metric, value) }</p>
            { for checks }
        </div>
    }
}

/// Leaf-by-leaf differences between two canonical scenario documents, as `(path, before, after)`.
pub fn changed_fields(before: &Value, after: &Value) -> Vec<(String, String, String)> {
    fn walk(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<(String, String, String)>) {
        match (a, b) {
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.dedup();
                // A hash set: only membership matters, and it keeps B-tree code out of the wasm.
                let mut seen = std::collections::HashSet::new();
                for key in keys {
                    if seen.insert(key.clone()) {
                        let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                        walk(&p, x.get(key), y.get(key), out);
                    }
                }
            }
            (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
                for (i, (xa, yb)) in x.iter().zip(y).enumerate() {
                    walk(&format!("{path}[{i}]"), Some(xa), Some(yb), out);
                }
            }
            (a, b) if a != b => {
                let text = |v: Option<&Value>| match v {
                    None | Some(Value::Null) => "—".to_string(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                };
                out.push((path.to_string(), text(a), text(b)));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", Some(before), Some(after), &mut out);
    out
}

/// The words of each change from the baseline, kept across renders while the document
/// outside `defaults` and the language stay the same: a change's words read the change, the
/// language and, of the document, only what lies outside `defaults` (the start, the unit,
/// and the names and metrics of the lists' items), so a lever move words only the changes
/// it made new (measured: wording the whole list was most of the results' render).
#[derive(Default)]
pub struct Worded {
    lang: Option<delever_model::Lang>,
    /// The document outside `defaults` the words were made from.
    outside: serde_json::Map<String, Value>,
    words: std::collections::HashMap<Change, String>,
}

impl Worded {
    /// The words of the first 40 of `changes` in `doc` (the document shown), each made once.
    pub fn words(&mut self, doc: &Value, changes: &[Change], lang: delever_model::Lang) -> Vec<String> {
        fn outside(doc: &Value) -> impl Iterator<Item = (&String, &Value)> {
            doc.as_object().map(|map| map.iter().filter(|(key, _)| *key != "defaults")).into_iter().flatten()
        }
        let same = self.lang == Some(lang)
            && outside(doc).count() == self.outside.len()
            && outside(doc).all(|(key, value)| self.outside.get(key) == Some(value));
        if !same {
            self.lang = Some(lang);
            self.outside = outside(doc).map(|(key, value)| (key.clone(), value.clone())).collect();
            self.words.clear();
        }
        // Only the words still shown are kept.
        let mut kept = std::mem::take(&mut self.words);
        changes
            .iter()
            .take(40)
            .map(|change| {
                let words = kept.remove(change).unwrap_or_else(|| describe_change(doc, change, lang));
                self.words.insert(change.clone(), words.clone());
                words
            })
            .collect()
    }
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    // Derived once per result and baseline, in `UiState::apply`; each change worded once.
    let changes = state.changes.clone();
    let worded = use_mut_ref(Worded::default);
    let Some(current) = state.current.as_ref() else {
        return html! {
            <section class="results" aria-labelledby="results-title">
                <h2 id="results-title">{ tr(lang, "结果", "Results") }</h2>
                <p class="stale-banner" role="status">{ tr(lang, "情景尚无有效结果：请修正标出的字段。", "No valid result yet: fix the marked fields.") }</p>
            </section>
        };
    };
    let projection = &current.projection;
    let year_index = state.year_index.min(projection.region.year_ends.len().saturating_sub(1));
    let Some(year_end) = projection.region.year_ends.get(year_index) else { return html! {} };
    let year = year_end.year;
    let targets: Vec<&TargetResult> = projection.targets.iter().filter(|t| t.target.year == year).collect();
    let year_select = (projection.region.year_ends.len() > 1).then(|| {
        let dispatch = props.dispatch.clone();
        let onchange = Callback::from(move |event: Event| {
            if let Ok(i) = crate::web::event_value(&event).parse::<usize>() {
                dispatch.emit(Action::SelectYear(i));
            }
        });
        html! {
            <label class="year-select">{ tr(lang, "年末：", "Year-end: ") }
                <select data-field="ui.year" {onchange}>
                    { for projection.region.year_ends.iter().enumerate().map(|(i, y)| html! {
                        <option value={i.to_string()} selected={i == year_index}>{ y.year }</option>
                    }) }
                </select>
            </label>
        }
    });
    let stale = state.is_stale().then(|| {
        let why = match &state.sim_error {
            Some(err) => err.message(lang),
            None => tr(lang, "有字段无效（已在原处标出）。", "Some fields are invalid (marked where they are).").to_string(),
        };
        html! {
            <p class="stale-banner" role="status" data-stale="true">
                { tr(lang, "以下结果为最近一次有效计算，未反映当前修改：", "These results are from the last valid scenario and do not reflect the current edit: ") }
                { why }
            </p>
        }
    });
    // A large scenario runs in the engine's worker: the last result stays, said to be updating.
    let updating = state.is_updating().then(|| {
        html! {
            <p class="updating-banner" role="status" data-updating="true">
                { tr(lang, "正在计算新结果（大型情景在后台计算）；以下为上一次结果。", "Computing the new result (a large scenario runs in the background); these are the previous results.") }
            </p>
        }
    });
    let cards = CARDS
        .iter()
        .filter(|m| **m != "leverage_ratio" || year_end.leverage_ratio.is_some())
        .map(|m| card(lang, m, year_end, &targets));
    let checks = targets.iter().map(|t| {
        let scope = t.target.scope.label(lang);
        html! {
            <tr data-target={t.target.id.clone()} data-met={t.met.to_string()}>
                <td>{ &t.target.id }</td>
                <td>{ metric_name(lang, &t.target.metric) }</td>
                <td>{ scope }</td>
                <td class="num">{ format!("{} ", op_symbol(t)) }<span data-kpi="target_value" data-value={fmt_decimal(t.value)}>{ shown(&t.target.metric, Some(t.value)) }</span></td>
                <td class="num" data-kpi="target_actual" data-value={t.actual.map(fmt_decimal)}>{ shown(&t.target.metric, t.actual) }</td>
                <td>{ status(lang, t) }</td>
                <td class="num" data-kpi="target_margin" data-value={t.margin.map(fmt_decimal)}>{ margin_text(lang, &t.target.metric, t.margin) }</td>
            </tr>
        }
    });
    let met = targets.iter().filter(|t| t.met).count();
    let warnings = projection.warnings.iter().filter(|w| w.year.is_none_or(|y| y == year)).map(|w| {
        html! { <li data-code={w.code}>{ w.message(lang) }</li> }
    });

    let change_list = if changes.is_empty() {
        html! { <p class="hint">{ tr(lang, "与基准（载入时的情景）相同。", "Same as the baseline (the scenario as loaded).") }</p> }
    } else {
        // The labels name institutions, events and targets from the document shown.
        let words = worded.borrow_mut().words(current.json(), &changes, lang);
        html! {
            <ul class="changes">
                { for changes.iter().zip(words).map(|(change, words)| html! {
                    <li data-changed={change.0.clone()}>{ words }</li>
                }) }
            </ul>
        }
    };
    html! {
        <section class={classes!("results", state.is_stale().then_some("stale"), state.is_updating().then_some("updating"))}
            aria-labelledby="results-title" data-stale={state.is_stale().to_string()}
            data-updating={state.is_updating().to_string()} aria-busy={state.is_updating().to_string()}>
            <div class="results-head">
                <h2 id="results-title">{ format!("{} {}", year, tr(lang, "年末结果", "year-end")) }</h2>
                { year_select }
            </div>
            { stale }
            { updating }
            <div class="cards">{ for cards }</div>
            <section class="card targets" aria-labelledby="targets-title">
                <h3 id="targets-title">{ format!("{}（{}/{}）", tr(lang, "目标检查", "Target checks"), met, targets.len()) }</h3>
                <table>
                    <thead><tr>
                        <th>{ tr(lang, "编号", "Id") }</th><th>{ tr(lang, "指标", "Metric") }</th><th>{ tr(lang, "范围", "Scope") }</th>
                        <th>{ tr(lang, "目标", "Target") }</th><th>{ tr(lang, "实际", "Actual") }</th>
                        <th>{ tr(lang, "结果", "Result") }</th><th>{ tr(lang, "余量", "Margin") }</th>
                    </tr></thead>
                    <tbody>{ for checks }</tbody>
                </table>
            </section>
            if !projection.warnings.is_empty() {
                <section class="card warnings" aria-labelledby="warnings-title">
                    <h3 id="warnings-title">{ tr(lang, "提示", "Warnings") }</h3>
                    <ul>{ for warnings }</ul>
                </section>
            }
            <section class="card changes-card" aria-labelledby="changes-title">
                <h3 id="changes-title">{ tr(lang, "与基准相比调整的参数", "Levers changed from the baseline") }</h3>
                { change_list }
            </section>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{Worded, changed_fields};
    use crate::components::brief::describe_change;
    use crate::state::{Action, UiState};
    use serde_json::json;

    #[test]
    fn kept_words_are_the_words_of_the_document_shown() {
        // Along a walk of the page's actions, each change's kept words are exactly the words
        // made afresh from the document shown.
        let set = |path: &str, text: &str| Action::SetField { path: path.into(), text: text.into() };
        let walk = [
            set("defaults.loan_growth", "12"),
            set("defaults.loan_growth", "13"),
            set("institutions[0].name", "某农商行"),
            set("defaults.disposal.amount", "12"),
            Action::SetLang(delever_model::Lang::En),
            set("defaults.loan_growth", "12"),
            set("start", "2019-12"),
            Action::AddTarget,
            set("unit", "万元"),
            Action::LoadPreset("yangjiang-2016-2018".into()),
            set("institutions[2].opening.npl", "3"),
            set("defaults.npl_formation_rate", "3"),
        ];
        let mut state = UiState::new(delever_model::Lang::Zh);
        let mut worded = Worded::default();
        for action in walk {
            state.apply(action.clone());
            let Some(current) = &state.current else { continue };
            let fresh: Vec<String> = state
                .changes
                .iter()
                .take(40)
                .map(|c| describe_change(current.json(), c, state.lang))
                .collect();
            assert_eq!(worded.words(current.json(), &state.changes, state.lang), fresh, "after {action:?}");
        }
    }

    #[test]
    fn lists_changed_leaves_only() {
        let before = json!({"a": {"b": "1", "c": ["1", "2"]}, "d": null});
        let after = json!({"a": {"b": "2", "c": ["1", "3"]}, "d": null, "e": "x"});
        let got = changed_fields(&before, &after);
        assert_eq!(
            got,
            vec![
                ("a.b".into(), "1".into(), "2".into()),
                ("a.c[1]".into(), "2".into(), "3".into()),
                ("e".into(), "—".into(), "x".into())
            ]
        );
    }
}
