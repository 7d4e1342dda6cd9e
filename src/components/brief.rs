//! `<Brief/>`: the one-page A4 brief the print button (and the browser's own print) puts on paper: scenario, assumptions, year-end table, target checks, changed levers and the stamp.
//!
//! It is part of the page but shown only in print (`@media print` in `www/style.css`),
//! where the rest of the page is hidden except the two main charts, which print beside
//! it. Its numbers carry no `data-kpi`: those name what the screen shows.

use std::rc::Rc;

use delever_model::scenario::{CHANNELS, Scope};
use serde_json::Value;
use yew::prelude::*;

use crate::components::channels::CHANNEL_NAMES;
use crate::components::results::{margin_text, op_symbol, shown, status};
use crate::export::Stamp;
use crate::fields::{self, FieldKind};
use crate::i18n::{metric_name, tr};
use crate::path;
use crate::state::PageState;

#[derive(Properties, PartialEq)]
pub struct BriefProps {
    pub state: PageState,
    /// What the exports carry; the page computes it once per result.
    pub stamp: Rc<Stamp>,
}

/// The year-end columns of the brief's table.
const COLUMNS: [&str; 7] =
    ["deposits", "loans", "npl", "npl_ratio", "disposal", "write_off_share", "coverage"];

/// A stored value as the lever shows it (percent for rates), one per year joined.
fn assumption(doc: &Value, path: &str) -> String {
    let kind = FieldKind::of(path, doc);
    match path::get(doc, path) {
        Some(Value::Array(items)) => {
            items.iter().map(|v| fields::display(kind, Some(v))).collect::<Vec<_>>().join(" / ")
        }
        other => fields::display(kind, other),
    }
}

/// The region's main assumptions, as `(label, value with unit)`.
fn assumptions(doc: &Value, lang: delever_model::Lang) -> Vec<(String, String)> {
    let percent = |path: &str| {
        let text = assumption(doc, path);
        if text.is_empty() { "—".to_string() } else { format!("{}%", text.replace(" / ", "% / ")) }
    };
    let mut rows = vec![
        (tr(lang, "存款增速", "Deposit growth").to_string(), percent("defaults.deposit_growth")),
        (tr(lang, "贷款增速", "Loan growth").to_string(), percent("defaults.loan_growth")),
        (
            tr(lang, "不良生成率（年）", "NPL formation rate (a year)").to_string(),
            percent("defaults.npl_formation_rate"),
        ),
    ];
    let disposal = match path::get(doc, "defaults.disposal.plan").and_then(Value::as_str) {
        Some("rate") => format!("{} {}", tr(lang, "按比例", "rate"), percent("defaults.disposal.rate")),
        _ => format!("{} {}", assumption(doc, "defaults.disposal.amount"), tr(lang, "亿元", "(100m yuan)")),
    };
    rows.push((tr(lang, "全年处置计划", "Disposal plan a year").to_string(), disposal));
    let pacing = match path::get(doc, "defaults.pacing") {
        Some(Value::Object(map)) if map.contains_key("h1_share") => {
            format!("{} {}", tr(lang, "上半年完成", "first half"), percent("defaults.pacing.h1_share"))
        }
        Some(Value::Object(map)) if map.contains_key("weights") => {
            tr(lang, "逐月权重", "monthly weights").to_string()
        }
        _ => tr(lang, "按月平均", "even").to_string(),
    };
    rows.push((tr(lang, "处置节奏", "Pacing").to_string(), pacing));
    let mix: Vec<String> = CHANNELS
        .iter()
        .zip(CHANNEL_NAMES)
        .filter_map(|(channel, (zh, en))| {
            let text = assumption(doc, &format!("defaults.channels.{channel}"));
            (!text.is_empty() && text != "0").then(|| format!("{} {text}%", tr(lang, zh, en)))
        })
        .collect();
    rows.push((tr(lang, "处置结构", "Channels").to_string(), mix.join("，")));
    let institutions = doc.get("institutions").and_then(Value::as_array).map_or(0, Vec::len);
    rows.push((tr(lang, "机构数", "Institutions").to_string(), institutions.to_string()));
    rows
}

/// What people call a lever's JSON path, when it is one of the plan's main levers; a
/// per-year value (`defaults.loan_growth[1]`) is named with its year, counted from `first_year`.
pub fn lever_label(path: &str, first_year: i32, lang: delever_model::Lang) -> Option<String> {
    let fixed = match path.split('[').next().unwrap_or(path) {
        "defaults.deposit_growth" => Some(tr(lang, "存款增速", "Deposit growth")),
        "defaults.loan_growth" => Some(tr(lang, "贷款增速", "Loan growth")),
        "defaults.npl_formation_rate" => Some(tr(lang, "不良生成率", "NPL formation rate")),
        "defaults.disposal.amount" => Some(tr(lang, "全年处置计划（亿元）", "Disposal plan a year")),
        "defaults.disposal.rate" => Some(tr(lang, "处置率", "Disposal rate")),
        "defaults.pacing.h1_share" => Some(tr(lang, "上半年完成比例", "Share in the first half")),
        _ => None,
    };
    if let Some(label) = fixed {
        let index = path.split_once('[').and_then(|(_, rest)| rest.trim_end_matches(']').parse::<i32>().ok());
        return Some(match index {
            Some(index) => format!("{label} {}", first_year.saturating_add(index)),
            None => label.to_string(),
        });
    }
    let channel = path.strip_prefix("defaults.channels.")?;
    let (zh, en) = CHANNELS.iter().position(|c| *c == channel).and_then(|i| CHANNEL_NAMES.get(i))?;
    Some(format!("{}{}", tr(lang, zh, en), tr(lang, "占比", " share")))
}

/// One changed lever in words: `贷款增速：8.5% → 9%` (a main lever), else its JSON path and values.
pub fn describe_change(
    doc: &Value,
    (path, before, after): &(String, String, String),
    lang: delever_model::Lang,
) -> String {
    let kind = FieldKind::of(path, doc);
    let shown = |text: &str| {
        if text == "—" {
            return text.to_string();
        }
        let value = fields::display(kind, Some(&Value::String(text.to_string())));
        if kind == FieldKind::Percent { format!("{value}%") } else { value }
    };
    // `start` is the December before the first year (`2018-12` → 2019).
    let first_year = doc
        .get("start")
        .and_then(Value::as_str)
        .and_then(|start| start.get(..4))
        .and_then(|year| year.parse::<i32>().ok())
        .map_or(0, |year| year.saturating_add(1));
    match lever_label(path, first_year, lang) {
        Some(label) => format!("{label}：{} → {}", shown(before), shown(after)),
        None => format!("{path}：{before} → {after}"),
    }
}

#[function_component(Brief)]
pub fn brief(props: &BriefProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let Some(current) = state.current.as_ref() else { return html! {} };
    let projection = &current.projection;
    let doc = current.json();
    let changes = &state.changes;
    let stale = state.is_stale().then(|| html! {
        <p class="brief-stale">{ tr(lang, "注意：当前修改无效，以下为最近一次有效情景。", "Note: the current edit is invalid; this is the last valid scenario.") }</p>
    });
    html! {
        <section class="brief" aria-hidden="true" data-brief="true">
            <header class="brief-head">
                <p class="brief-kind">{ tr(lang, "Delever 去杠杆情景简报", "Delever deleveraging scenario brief") }</p>
                <h1 class="brief-name">{ &current.scenario.name }</h1>
                { stale }
            </header>
            <div class="brief-columns">
                <section class="brief-block">
                    <h2>{ tr(lang, "主要假设（全辖默认）", "Assumptions (region defaults)") }</h2>
                    <table class="brief-assumptions">
                        { for assumptions(doc, lang).into_iter().map(|(label, value)| html! {
                            <tr><th scope="row">{ label }</th><td>{ value }</td></tr>
                        }) }
                    </table>
                </section>
                <section class="brief-block">
                    <h2>{ tr(lang, "与基准相比调整的参数", "Levers changed from the baseline") }</h2>
                    if changes.is_empty() {
                        <p>{ tr(lang, "无（与载入时的情景相同）。", "None (the scenario as loaded).") }</p>
                    } else {
                        <ul class="brief-changes">
                            { for changes.iter().take(12).map(|change| html! {
                                <li data-brief-change={change.0.clone()}>{ describe_change(doc, change, lang) }</li>
                            }) }
                            if changes.len() > 12 {
                                <li>{ format!("{} {}", tr(lang, "……另有", "… and"), changes.len() - 12) }</li>
                            }
                        </ul>
                    }
                </section>
            </div>
            <section class="brief-block">
                <h2>{ tr(lang, "年末结果（全辖）", "Year-end results (region)") }</h2>
                <table class="brief-table">
                    <thead><tr>
                        <th>{ tr(lang, "年份", "Year") }</th>
                        { for COLUMNS.iter().map(|m| html! { <th>{ metric_name(lang, m) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for projection.region.year_ends.iter().map(|y| html! {
                            <tr>
                                <th scope="row">{ y.year }</th>
                                { for COLUMNS.iter().map(|m| html! { <td class="num">{ shown(m, y.get(m)) }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <section class="brief-block">
                <h2>{ format!("{}（{}/{}）", tr(lang, "目标检查", "Target checks"),
                    projection.targets.iter().filter(|t| t.met).count(), projection.targets.len()) }</h2>
                <table class="brief-table">
                    <thead><tr>
                        <th>{ tr(lang, "年份", "Year") }</th><th>{ tr(lang, "指标", "Metric") }</th>
                        <th>{ tr(lang, "范围", "Scope") }</th><th>{ tr(lang, "目标", "Target") }</th>
                        <th>{ tr(lang, "实际", "Actual") }</th><th>{ tr(lang, "结果", "Result") }</th>
                        <th>{ tr(lang, "余量", "Margin") }</th>
                    </tr></thead>
                    <tbody>
                        { for projection.targets.iter().map(|t| html! {
                            <tr>
                                <td>{ t.target.year }</td>
                                <td>{ metric_name(lang, &t.target.metric) }</td>
                                <td>{ match &t.target.scope { Scope::Region => tr(lang, "全辖", "region").to_string(), Scope::Institution(id) => id.clone() } }</td>
                                <td class="num">{ format!("{} {}", op_symbol(t), shown(&t.target.metric, Some(t.value))) }</td>
                                <td class="num">{ shown(&t.target.metric, t.actual) }</td>
                                <td>{ status(lang, t) }</td>
                                <td class="num">{ margin_text(lang, &t.target.metric, t.margin) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <footer class="brief-stamp" data-stamp="true">{ props.stamp.short_text(lang, 160) }</footer>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{Brief, BriefProps};
    use crate::export::Stamp;
    use crate::state::{Action, PageState, UiState};

    fn render(state: UiState) -> String {
        let doc = state.doc.to_string();
        let stamp = Rc::new(Stamp::new(&doc, "2018-12", "http://intranet.example/delever/"));
        let props = BriefProps { state: PageState(Rc::new(state)), stamp };
        futures::executor::block_on(
            yew::LocalServerRenderer::<Brief>::with_props(props).hydratable(false).render(),
        )
    }

    #[test]
    fn the_brief_has_every_part_of_the_page() {
        let mut state = UiState::new(delever_model::Lang::Zh);
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        let html = render(state);
        for part in [
            "鲤城区 2019 年信贷风险防控化解",
            "主要假设",
            "贷款增速</th><td>9%",
            "上半年完成 60%",
            "核销 50%",
            "data-brief-change=\"defaults.loan_growth\"",
            "贷款增速：8.5% → 9%",
            "年末结果",
            "目标检查",
            "达标",
            "Delever 模型",
            "期初数据截至 2018-12 末",
            "http://intranet.example/delever/#scenario=",
        ] {
            assert!(html.contains(part), "the brief lacks {part}: {html}");
        }
        assert!(!html.contains("data-kpi"), "the brief's numbers are not the screen's");
    }

    #[test]
    fn changes_are_named_in_words() {
        let doc = serde_json::json!({"start": "2015-12"});
        let table = [
            ("defaults.loan_growth[0]", "0.12", "0.09", "贷款增速 2016：12% → 9%"),
            ("defaults.disposal.amount", "10", "12", "全年处置计划（亿元）：10 → 12"),
            ("defaults.channels.write_off", "0.5", "0.6", "核销占比：50% → 60%"),
            ("years", "1", "2", "years：1 → 2"),
        ];
        for (path, before, after, words) in table {
            let change = (path.to_string(), before.to_string(), after.to_string());
            assert_eq!(super::describe_change(&doc, &change, delever_model::Lang::Zh), words);
        }
    }

    #[test]
    fn the_brief_speaks_english() {
        let mut state = UiState::new(delever_model::Lang::En);
        state.apply(Action::LoadPreset("chongqing-2016-2020".into()));
        let html = render(state);
        for part in [
            "Assumptions",
            "Year-end results",
            "Target checks",
            "data as of end-2018-12",
            "None (the scenario as loaded)",
        ] {
            assert!(html.contains(part), "the brief lacks {part}");
        }
    }
}
