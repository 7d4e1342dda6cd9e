//! The analysis panels' charts on canvas: the tornado, the feasibility map (hover or arrow keys for numbers, click or Enter to apply) and the Monte Carlo fan.
//!
//! Each chart's data is derived once per answer, scenario and language (memoised by
//! pointer), so progress reports and other re-renders never redraw a canvas.

use std::rc::Rc;

use delever_model::Lang;
use delever_model::analysis::Analysis;
use yew::prelude::*;

use crate::analyses::Answers;
use crate::charts::{FanData, Figure, MapData, Style, TornadoData};
use crate::components::canvas::FigureCanvas;
use crate::i18n::tr;
use crate::state::{Action, Loaded};

#[derive(Properties, Clone)]
pub struct AnalysisChartProps {
    /// The request's answers; the chart draws the first of its kind.
    pub results: Rc<Answers>,
    /// The current scenario and projection (the map's marker, the fan's projection line).
    pub loaded: Rc<Loaded>,
    pub lang: Lang,
    /// The fan's metric.
    #[prop_or_default]
    pub metric: AttrValue,
    #[prop_or_default]
    pub dispatch: Option<Callback<Action>>,
}

impl PartialEq for AnalysisChartProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.results, &other.results)
            && Rc::ptr_eq(&self.loaded, &other.loaded)
            && self.lang == other.lang
            && self.metric == other.metric
    }
}

/// A canvas with a "save as PNG" button.
fn figure_card(lang: Lang, figure: Figure, loaded: &Rc<Loaded>, extra: Html, canvas: Html) -> Html {
    let id = figure.id();
    let file = format!("{}-{id}.png", loaded.scenario.name);
    let loaded = loaded.clone();
    let save =
        Callback::from(move |_| crate::components::canvas::save_png(&file, id, &loaded.scenario, lang));
    html! {
        <figure class="chart-card analysis-chart">
            { canvas }
            { extra }
            <figcaption class="chart-actions">
                <button type="button" data-action={format!("png-{id}")} onclick={save}>{ tr(lang, "保存图片", "Save PNG") }</button>
            </figcaption>
        </figure>
    }
}

#[function_component(TornadoChart)]
pub fn tornado_chart(props: &AnalysisChartProps) -> Html {
    let figure = use_memo((Rc::as_ptr(&props.results), Rc::as_ptr(&props.loaded), props.lang), {
        let props = props.clone();
        move |_| {
            props.results.iter().find_map(|a| match a {
                Analysis::Sensitivity(s) => {
                    Some(Figure::Tornado(Rc::new(TornadoData::build(s, &props.loaded.scenario, props.lang))))
                }
                _ => None,
            })
        }
    });
    let Some(figure) = (*figure).clone() else { return html! {} };
    let canvas = html! { <FigureCanvas figure={figure.clone()} style={Style::normal()} /> };
    figure_card(props.lang, figure, &props.loaded, html! {}, canvas)
}

#[function_component(FanChart)]
pub fn fan_chart(props: &AnalysisChartProps) -> Html {
    let figure = use_memo(
        (Rc::as_ptr(&props.results), Rc::as_ptr(&props.loaded), props.lang, props.metric.clone()),
        {
            let props = props.clone();
            move |_| {
                props.results.iter().find_map(|a| match a {
                    Analysis::MonteCarlo(m) => Some(Figure::Fan(Rc::new(FanData::build(
                        m,
                        &props.metric,
                        &props.loaded.scenario,
                        &props.loaded.projection,
                        props.lang,
                    )))),
                    _ => None,
                })
            }
        },
    );
    let Some(figure) = (*figure).clone() else { return html! {} };
    let canvas = html! { <FigureCanvas figure={figure.clone()} style={Style::normal()} /> };
    figure_card(props.lang, figure, &props.loaded, html! {}, canvas)
}

#[function_component(MapChart)]
pub fn map_chart(props: &AnalysisChartProps) -> Html {
    let built = use_memo((Rc::as_ptr(&props.results), Rc::as_ptr(&props.loaded), props.lang), {
        let props = props.clone();
        move |_| {
            props.results.iter().find_map(|a| match a {
                Analysis::Feasibility(f) => {
                    let data = Rc::new(MapData::build(f, &props.loaded.scenario, props.lang));
                    Some((f.clone(), data))
                }
                _ => None,
            })
        }
    });
    let hover = use_state(|| None::<(usize, usize)>);
    let Some((feasibility, data)) = (*built).clone() else { return html! {} };
    let figure = Figure::Map(data.clone());
    let on_hover = {
        let hover = hover.clone();
        Callback::from(move |cell: Option<(usize, usize)>| hover.set(cell))
    };
    let on_click = props.dispatch.clone().map(|dispatch| {
        let feasibility = feasibility.clone();
        Callback::from(move |(i, j): (usize, usize)| {
            if let (Some(x), Some(y)) = (feasibility.x_values.get(i), feasibility.y_values.get(j)) {
                dispatch.emit(Action::ApplyLevers(vec![(feasibility.x, *x), (feasibility.y, *y)]));
            }
        })
    });
    let lang = props.lang;
    let readout = match (*hover).and_then(|(i, j)| data.describe(i, j).map(|text| (i, j, text))) {
        Some((i, j, text)) => html! {
            <p class="map-readout" aria-live="polite" data-cell={format!("{i},{j}")}>{ text }</p>
        },
        None => html! {
            <p class="map-readout" aria-live="polite">{ tr(lang, "将指针移到格子上（或聚焦图后按方向键）查看数值。", "Point at a cell (or focus the map and use the arrow keys) to see its numbers.") }</p>
        },
    };
    let canvas = html! {
        <FigureCanvas figure={figure.clone()} style={Style::normal()} on_cell_hover={on_hover} on_cell_click={on_click}
            keyboard_hint={tr(lang, "方向键选择格子，回车键采用该组合。", "Arrow keys choose a cell; Enter applies it.")} />
    };
    figure_card(lang, figure, &props.loaded, readout, canvas)
}
