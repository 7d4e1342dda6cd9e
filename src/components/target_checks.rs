//! `<TargetChecks/>`: each target of the scenario, its actual value, 达标/未达标, and the margin.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::{self, Kind};
use crate::i18n::{Lang, Text, metric_name, text};
use crate::report::{Op, Report, TargetCheck};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    pub lang: Lang,
}

/// One row per target (`data-target` = its id). Its numbers carry `data-kpi`
/// `target_value`, `target_actual` and `target_margin`, so they never clash with
/// the year-end table's metric names, and `data-value` with the exact decimal.
#[function_component(TargetChecks)]
pub fn target_checks(props: &Props) -> Html {
    let Props { report, lang } = props;
    let lang = *lang;
    if report.targets.is_empty() {
        return Html::default();
    }
    let rows = report.targets.iter().map(|target| row(target, &report.unit, lang));
    html! {
        <section class="card" aria-labelledby="targets-title">
            <header class="card-head">
                <h2 id="targets-title">{ text(lang, Text::Targets) }</h2>
            </header>
            <div class="table-scroll">
                <table class="figures targets">
                    <thead>
                        <tr>
                            <th scope="col">{ text(lang, Text::Target) }</th>
                            <th scope="col">{ text(lang, Text::Year) }</th>
                            <th scope="col" class="num">{ text(lang, Text::Actual) }</th>
                            <th scope="col">{ text(lang, Text::Result) }</th>
                            <th scope="col" class="num">{ text(lang, Text::Margin) }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

fn row(target: &TargetCheck, unit: &str, lang: Lang) -> Html {
    let kind = format::kind_of(&target.metric);
    let not_applicable = || text(lang, Text::NotApplicable).to_string();
    let shown = |value: &Option<String>| {
        value.as_deref().and_then(|value| format::value(kind, value)).unwrap_or_else(not_applicable)
    };
    let amount_unit = if kind == Kind::Amount { format!(" {unit}") } else { String::new() };
    let margin_unit = match kind {
        Kind::Amount => format!(" {unit}"),
        Kind::Ratio => format!(" {}", text(lang, Text::PercentagePoints)),
    };
    let margin = match target.margin.as_deref().and_then(|margin| format::signed_difference(kind, margin)) {
        Some(margin) => format!("{margin}{margin_unit}"),
        None => not_applicable(),
    };
    let op = match target.op {
        Op::AtLeast => "≥",
        Op::AtMost => "≤",
    };
    let scope = if target.scope == "region" {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("（机构 {}）", target.scope),
            Lang::En => format!(" (institution {})", target.scope),
        }
    };
    let (status_class, status) =
        if target.met { ("status met", Text::Met) } else { ("status not-met", Text::NotMet) };
    html! {
        <tr data-target={target.id.clone()} data-met={target.met.to_string()}>
            <th scope="row">
                { metric_name(lang, &target.metric) }{ scope }{ format!(" {op} ") }
                <span class="num" data-kpi="target_value" data-value={target.value.clone()}>
                    { shown(&target.value) }
                </span>
                { amount_unit }
            </th>
            <td>{ target.year }</td>
            <td class="num" data-kpi="target_actual" data-value={target.actual.clone()}>
                { shown(&target.actual) }
            </td>
            <td><span class={status_class}>{ text(lang, status) }</span></td>
            <td class="num" data-kpi="target_margin" data-value={target.margin.clone()}>{ margin }</td>
        </tr>
    }
}
