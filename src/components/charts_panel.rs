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
    /// Only the two main charts (NPL ratio, balances): embedded and presenting.
    #[prop_or_default]
    pub main_only: bool,
    /// Large type and thick lines, for a projector.
    #[prop_or_default]
    pub large: bool,
}

/// The charts an embedded or presented page shows, and the two the printed brief carries.
pub const MAIN_CHARTS: [Chart; 2] = [Chart::NplRatio, Chart::Balances];

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
    let Some(current) = state.current.clone() else { return html! {} };
    let style = if props.large { Style::large() } else { Style::normal() };
    let charts: &[Chart] = if props.main_only { &MAIN_CHARTS } else { &Chart::ALL };
    html! {
        <section class="charts" aria-label={tr(lang, "图表", "Charts")}>
            { for charts.iter().map(|chart| {
                let id = chart.id();
                let file = format!("{}-{id}.png", current.scenario.name);
                let current = current.clone();
                let save = Callback::from(move |_| crate::components::canvas::save_png(&file, id, &current.scenario, lang));
                html! {
                    <figure class="chart-card" data-chart-card={id}>
                        <ChartCanvas chart={*chart} data={data.clone()} style={style.clone()} />
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
