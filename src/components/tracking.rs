//! `<TrackingPanel/>`: with reported months (MODEL.md section 9), the as-of year's progress for a chosen scope: completion against the plan's pace, how far behind, the monthly disposal now required, and reported against plan.
//!
//! Each figure carries `data-kpi="tracking.FIELD"` and `data-value` (the exact decimal),
//! MODEL.md section 12; the scope is chosen among the region, each zone and each institution.

use delever_model::Lang;
use delever_model::num::fmt_decimal;
use delever_model::tracking::Progress;
use rust_decimal::Decimal;
use yew::prelude::*;

use crate::components::division::LoadedProps;
use crate::components::results::shown;
use crate::i18n::tr;

#[function_component(TrackingPanel)]
pub fn tracking_panel(props: &LoadedProps) -> Html {
    let scope = use_state(|| "region".to_string());
    let Some(tracking) = props.loaded.as_ref().and_then(|l| l.projection.tracking.clone()) else {
        return html! {};
    };
    let lang = props.lang;
    let mut scopes: Vec<(String, String, &Progress)> =
        vec![("region".into(), tr(lang, "全辖", "Region").to_string(), &tracking.region)];
    for (zone, p) in &tracking.zones {
        let label = match lang {
            Lang::Zh => format!("片区 {zone}"),
            Lang::En => format!("Zone {zone}"),
        };
        scopes.push((format!("zone:{zone}"), label, p));
    }
    for (id, p) in &tracking.institutions {
        scopes.push((id.clone(), id.clone(), p));
    }
    let chosen = scopes.iter().find(|(key, _, _)| *key == *scope).or_else(|| scopes.first());
    let Some((chosen_key, _, p)) = chosen else { return html! {} };
    let onchange = {
        let scope = scope.clone();
        Callback::from(move |event: Event| scope.set(crate::web::event_value(&event)))
    };
    let figure = |field: &'static str,
                  zh: &'static str,
                  en: &'static str,
                  metric: &str,
                  value: Option<Decimal>| {
        html! {
            <div class="tracking-figure">
                <dt>{ tr(lang, zh, en) }</dt>
                <dd class="num" data-kpi={format!("tracking.{field}")} data-value={value.map(fmt_decimal)}>
                    { shown(metric, value) }
                </dd>
            </div>
        }
    };
    let title = match lang {
        Lang::Zh => format!("{} 年进度跟踪（实际数据截至 {}）", p.year, p.as_of),
        Lang::En => format!("Tracking {} (actuals to {})", p.year, p.as_of),
    };
    html! {
        <section class="tracking" aria-label={tr(lang, "进度跟踪", "Tracking")}>
            <h2>{ title }</h2>
            <label for="tracking-scope">{ tr(lang, "范围", "Scope") }
                <select id="tracking-scope" data-field="ui.tracking_scope" {onchange}>
                    { for scopes.iter().map(|(key, label, _)| html! {
                        <option value={key.clone()} selected={key == chosen_key}>{ label.clone() }</option>
                    }) }
                </select>
            </label>
            <dl class="tracking-figures">
                { figure("disposal_plan", "全年处置计划", "Year's disposal plan", "disposal", Some(p.disposal_plan)) }
                { figure("disposal_to_date", "累计处置", "Disposed to date", "disposal", Some(p.disposal_to_date)) }
                { figure("scheduled_to_date", "按时序应处置", "Due by the plan's pace", "disposal", Some(p.scheduled_to_date)) }
                { figure("completion", "完成进度", "Completion", "npl_ratio", p.completion) }
                { figure("behind", "落后于时序（正数为落后）", "Behind schedule (positive = behind)", "disposal", Some(p.behind)) }
                { figure("required_monthly", "此后每月需处置", "Required each month from now", "disposal", p.required_monthly) }
                { figure("npl_vs_plan", "不良较计划", "NPL vs plan", "npl", Some(p.npl_vs_plan)) }
                { figure("npl_ratio_vs_plan", "不良率较计划", "NPL ratio vs plan", "npl_ratio", p.npl_ratio_vs_plan) }
                { figure("loans_vs_plan", "贷款较计划", "Loans vs plan", "loans", Some(p.loans_vs_plan)) }
                { figure("deposits_vs_plan", "存款较计划", "Deposits vs plan", "deposits", Some(p.deposits_vs_plan)) }
            </dl>
        </section>
    }
}
