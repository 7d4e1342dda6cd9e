//! `<Division/>`: the region targets divided among the institutions (一行一方案) and the assessment's ranking (考核计分), MODEL.md section 10.
//!
//! Each table's wrapper carries the JSON the command line prints for it (`data-decomposition`:
//! `decompose --format json`; `data-assessment`: `simulate`'s `assessment`), always; the rows
//! are built only while the `<details>` is open, so a lever move on 500 institutions costs
//! the JSON, not 500 rows per target.

use std::rc::Rc;

use delever_model::Lang;
use delever_model::division::{Divided, Scores, decompose, decomposition_json};
use delever_model::num::fmt_decimal;
use yew::prelude::*;

use crate::components::results::{margin_text, shown};
use crate::i18n::{metric_name, tr};
use crate::state::{Action, Loaded};

/// Props of a component that shows the accepted document: it and the language, the
/// document compared by pointer (a new `Loaded` is a new document).
#[derive(Properties)]
pub struct LoadedProps {
    pub loaded: Option<Rc<Loaded>>,
    pub lang: Lang,
}

impl PartialEq for LoadedProps {
    fn eq(&self, other: &LoadedProps) -> bool {
        self.lang == other.lang
            && match (&self.loaded, &other.loaded) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// Props of [`Division`]: the accepted document and the language, compared as
/// [`LoadedProps`], and the page's one dispatch (for a failed workbook export).
#[derive(Properties)]
pub struct DivisionProps {
    #[prop_or_default]
    pub loaded: Option<Rc<Loaded>>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

impl PartialEq for DivisionProps {
    fn eq(&self, other: &DivisionProps) -> bool {
        self.dispatch == other.dispatch
            && LoadedProps { loaded: self.loaded.clone(), lang: self.lang }
                == LoadedProps { loaded: other.loaded.clone(), lang: other.lang }
    }
}

#[function_component(Division)]
pub fn division(props: &DivisionProps) -> Html {
    let open = use_state(|| false);
    // Printing the tables waits for their rows: asked, opened, rendered, then printed.
    let print_asked = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| open.set(crate::web::event_open(&event)))
    };
    {
        let print_asked = print_asked.clone();
        use_effect_with((*print_asked, *open), move |(asked, open)| {
            if *asked && *open {
                crate::web::print_only("division");
                print_asked.set(false);
            }
        });
    }
    let Some(loaded) = &props.loaded else { return html! {} };
    let lang = props.lang;
    let divided = decompose(&loaded.scenario, &loaded.projection, None);
    let assessment = loaded.projection.assessment.as_ref();
    if divided.is_empty() && assessment.is_none() {
        return html! {};
    }
    let json = |value: serde_json::Value| serde_json::to_string(&value).unwrap_or_default();
    let on_print = {
        let (open, print_asked) = (open.clone(), print_asked.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(true);
            print_asked.set(true);
        })
    };
    let on_export = {
        let dispatch = props.dispatch.clone();
        let scenario = loaded.text().to_string();
        let name = loaded.scenario.name.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            let name = name.clone();
            let args = vec![
                wasm_bindgen::JsValue::from_str(&scenario),
                wasm_bindgen::JsValue::from_str(crate::components::sheets::lang_code(lang)),
            ];
            crate::web::call_sheets("exportDecomposition", args, move |answer| match answer {
                Ok(bytes) => crate::web::download_bytes(
                    &format!("{name}-{}.xlsx", tr(lang, "一行一表", "per-bank")),
                    crate::components::sheets::XLSX_MIME,
                    &js_sys::Uint8Array::new(&bytes).to_vec(),
                ),
                Err(why) => dispatch.emit(Action::ReportLoadProblem(crate::state::LoadProblem {
                    zh: format!("导出分解工作簿失败：{why}"),
                    en: format!("the per-bank workbook export failed: {why}"),
                })),
            });
        })
    };
    html! {
        <details class="division" open={*open} {ontoggle}>
            <summary>{ tr(lang, "目标分解与考核（一行一方案）", "Targets divided among the banks, and the assessment") }</summary>
            <div class="division-tools">
                if !divided.is_empty() {
                    <button type="button" data-action="export-decomposition" onclick={on_export}>
                        { tr(lang, "导出一行一表（xlsx）", "Per-bank workbook (xlsx)") }
                    </button>
                }
                <button type="button" data-action="print-decomposition" onclick={on_print}>
                    { tr(lang, "打印分解与考核表", "Print these tables") }
                </button>
            </div>
            <div class="decomposition" data-decomposition={json(decomposition_json(&divided))}>
                if *open {
                    { for divided.iter().map(|d| divided_table(lang, d)) }
                }
            </div>
            if let Some(scores) = assessment {
                <div class="assessment" data-assessment={json(scores.to_json())}>
                    if *open { { scores_table(lang, scores) } }
                </div>
            }
        </details>
    }
}

fn divided_table(lang: Lang, d: &Divided) -> Html {
    let metric = d.target.metric.as_str();
    let op = delever_model::division::op_symbol(d.target.op);
    let caption = match lang {
        Lang::Zh => format!(
            "{}：{} {op} {}（{} 年末）",
            d.target.id,
            metric_name(lang, metric),
            shown(metric, Some(d.value)),
            d.target.year
        ),
        Lang::En => format!(
            "{}: {} {op} {} (end-{})",
            d.target.id,
            metric_name(lang, metric),
            shown(metric, Some(d.value)),
            d.target.year
        ),
    };
    html! {
        <table class="data-table" data-target={d.target.id.clone()}>
            <caption>{ caption }</caption>
            <thead>
                <tr>
                    <th scope="col">{ tr(lang, "机构", "Institution") }</th>
                    <th scope="col" class="num">{ tr(lang, "份额", "Share") }</th>
                    <th scope="col" class="num">{ tr(lang, "分解目标", "Its part") }</th>
                    <th scope="col" class="num">{ tr(lang, "预测", "Projected") }</th>
                    <th scope="col">{ tr(lang, "结果", "Result") }</th>
                    <th scope="col" class="num">{ tr(lang, "余量", "Margin") }</th>
                </tr>
            </thead>
            <tbody>
                { for d.parts.iter().map(|p| html! {
                    <tr data-institution={p.institution.clone()} data-met={p.met.to_string()}>
                        <th scope="row">{ &p.institution }</th>
                        <td class="num" data-value={fmt_decimal(p.share)}>{ shown("npl_ratio", Some(p.share)) }</td>
                        <td class="num" data-value={fmt_decimal(p.value)}>{ shown(metric, Some(p.value)) }</td>
                        <td class="num" data-value={p.actual.map(fmt_decimal)}>{ shown(metric, p.actual) }</td>
                        <td>{ if p.met { tr(lang, "达标", "met") } else { tr(lang, "未达标", "not met") } }</td>
                        <td class="num">{ margin_text(lang, metric, p.margin) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn scores_table(lang: Lang, scores: &Scores) -> Html {
    let caption = match (lang, scores.level) {
        (Lang::Zh, delever_model::scenario::Level::Zone) => format!("{} 年考核计分（按片区）", scores.year),
        (Lang::Zh, _) => format!("{} 年考核计分（按机构）", scores.year),
        (Lang::En, delever_model::scenario::Level::Zone) => format!("Assessment, {}, by zone", scores.year),
        (Lang::En, _) => format!("Assessment, {}, by institution", scores.year),
    };
    let criteria: Vec<&str> = scores
        .entries
        .first()
        .map(|e| e.criteria.iter().map(|c| c.metric.as_str()).collect())
        .unwrap_or_default();
    html! {
        <table class="data-table">
            <caption>{ caption }</caption>
            <thead>
                <tr>
                    <th scope="col" class="num">{ tr(lang, "名次", "Rank") }</th>
                    <th scope="col">{ tr(lang, "对象", "Scored") }</th>
                    { for criteria.iter().map(|m| html! { <th scope="col" class="num">{ metric_name(lang, m) }</th> }) }
                    <th scope="col" class="num">{ tr(lang, "总分", "Total") }</th>
                </tr>
            </thead>
            <tbody>
                { for scores.entries.iter().map(|e| html! {
                    <tr data-entry={e.id.clone()} data-rank={e.rank.to_string()}>
                        <td class="num">{ e.rank }</td>
                        <th scope="row">{ &e.id }</th>
                        { for e.criteria.iter().map(|c| html! {
                            <td class="num" data-value={fmt_decimal(c.points)}>
                                { format!("{}（{}）", fmt_points(c.points), shown(shown_as(&c.metric), c.value)) }
                            </td>
                        }) }
                        <td class="num" data-value={fmt_decimal(e.total)}>{ fmt_points(e.total) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// The metric whose display a criterion's value takes (its two own measures are ratios).
fn shown_as(metric: &str) -> &str {
    match metric {
        "loan_growth" | "disposal_completion" => "npl_ratio",
        other => other,
    }
}

/// Points to two places, as a table shows them.
fn fmt_points(points: rust_decimal::Decimal) -> String {
    fmt_decimal(points.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven))
}
