//! `<YearEndTable/>`: the region's year-end figures, one row per metric and one column per year.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::{self, Kind};
use crate::i18n::{Lang, Text, metric_name, text};
use crate::report::{Report, YEAR_END_METRICS};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    pub lang: Lang,
}

/// Every figure is a `<td>` with `data-kpi` (the metric), `data-year` and
/// `data-value` (the engine's exact decimal; absent when the metric is undefined).
#[function_component(YearEndTable)]
pub fn year_end_table(props: &Props) -> Html {
    let Props { report, lang } = props;
    let lang = *lang;
    let unit_note = match lang {
        Lang::Zh => format!("金额单位：{}", report.unit),
        Lang::En => format!("amounts in {}", report.unit),
    };
    let rows = YEAR_END_METRICS.iter().map(|&metric| {
        let kind = format::kind_of(metric);
        let cells = report.year_ends.iter().map(|year_end| {
            let exact = year_end.value(metric);
            let shown = exact
                .and_then(|value| format::value(kind, value))
                .unwrap_or_else(|| text(lang, Text::NotApplicable).to_string());
            html! {
                <td class="num" data-kpi={metric} data-year={year_end.year.to_string()}
                    data-value={exact.map(str::to_string)}>
                    { shown }
                </td>
            }
        });
        let class = if kind == Kind::Ratio { "ratio" } else { "amount" };
        html! {
            <tr class={class}>
                <th scope="row">{ metric_name(lang, metric) }</th>
                { for cells }
            </tr>
        }
    });
    let year_heads = report.year_ends.iter().map(|year_end| {
        let label = match lang {
            Lang::Zh => format!("{} 年末", year_end.year),
            Lang::En => format!("end-{}", year_end.year),
        };
        html! { <th scope="col" class="num">{ label }</th> }
    });
    html! {
        <section class="card" aria-labelledby="year-ends-title">
            <header class="card-head">
                <h2 id="year-ends-title">{ text(lang, Text::YearEnds) }</h2>
                <span class="unit">{ unit_note }</span>
            </header>
            <div class="table-scroll">
                <table class="figures year-ends">
                    <thead>
                        <tr>
                            <th scope="col">{ text(lang, Text::Metric) }</th>
                            { for year_heads }
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
