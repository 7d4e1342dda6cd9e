//! The charts section: every chart of `crate::charts`, redrawn on every change, each with a "save as PNG" button.

use std::rc::Rc;

use yew::prelude::*;

use crate::charts::{Chart, ChartData, Style};
use crate::components::canvas::ChartCanvas;
use crate::i18n::tr;
use crate::state::{Loaded, PageState};

#[derive(Properties, PartialEq)]
pub struct ChartsPanelProps {
    pub state: PageState,
}

#[function_component(ChartsPanel)]
pub fn charts_panel(props: &ChartsPanelProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    // The chart data is derived once per result, year and language, not once per chart.
    let data = {
        let current = state.current.clone();
        let baseline = state.baseline.clone();
        // The saved scenarios picked for comparison, overlaid on the NPL-ratio and balances charts.
        let compared: Vec<(String, Rc<Loaded>)> = state
            .comparison
            .iter()
            .filter_map(|c| c.result.as_ref().ok().map(|l| (c.name.clone(), l.clone())))
            .collect();
        let compared_key: Vec<*const Loaded> = compared.iter().map(|(_, l)| Rc::as_ptr(l)).collect();
        use_memo(
            (state.version, state.year_index, lang, baseline.as_ref().map(Rc::as_ptr), compared_key),
            move |(_, year, lang, _, _)| {
                current.as_ref().map(|c| {
                    Rc::new(
                        ChartData::build(
                            &c.scenario,
                            &c.projection,
                            baseline.as_ref().map(|b| &b.projection),
                            *year,
                            *lang,
                        )
                        .with_others(compared.iter().map(|(name, l)| (name.as_str(), &l.projection))),
                    )
                })
            },
        )
    };
    let Some(data) = (*data).clone() else { return html! {} };
    let name = state.doc.get("name").and_then(serde_json::Value::as_str).unwrap_or("delever").to_string();
    html! {
        <section class="charts" aria-label={tr(lang, "图表", "Charts")}>
            { for Chart::ALL.iter().map(|chart| {
                let id = chart.id();
                let file = format!("{name}-{id}.png");
                let save = Callback::from(move |_| {
                    if let Some(url) = crate::components::canvas::canvas_png_data_url(id) {
                        crate::web::download_url(&file, &url);
                    }
                });
                html! {
                    <figure class="chart-card">
                        <ChartCanvas chart={*chart} data={data.clone()} style={Style::normal()} />
                        <figcaption class="chart-actions">
                            <button type="button" data-action={format!("png-{id}")} onclick={save}>
                                { tr(lang, "保存图片", "Save PNG") }
                            </button>
                        </figcaption>
                    </figure>
                }
            }) }
        </section>
    }
}
