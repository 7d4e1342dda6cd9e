//! The charts section: every chart of `crate::charts`, redrawn when what it draws changed, each with a "save as PNG" button, and the numbers they draw as tables.
//!
//! The data is built once per result, year and language; each chart then gets its own
//! `Rc` of it, kept from the last build when [`ChartData::draws_same`] says the chart
//! would look the same, so its canvas (which compares data by pointer) is not redrawn.
//! Every canvas is told which build it shows (`data-drawn-for`), drawn or kept.
//!
//! A canvas is a picture: its accessible name says what it shows, and the tables under
//! the charts (in a `<details>`, closed at first) give a screen reader, or anyone who wants
//! the exact figures, the region's months and the year's zones and institutions.

use std::rc::Rc;

use delever_model::Lang;
use delever_model::num::fmt_decimal;
use yew::prelude::*;

use crate::charts::{Chart, ChartData, Style};
use crate::components::canvas::ChartCanvas;
use crate::components::results::shown;
use crate::i18n::{metric_name, tr};
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
    let kept = use_mut_ref(|| None::<PerChart>);
    let (per_chart, build) = {
        let mut kept = kept.borrow_mut();
        let next = match kept.take() {
            Some(last) if Rc::ptr_eq(&last.source, &data) => last,
            last => PerChart::next(last, data.clone()),
        };
        let shown = (next.charts.clone(), next.build);
        *kept = Some(next);
        shown
    };
    let style = if props.large { Style::large() } else { Style::normal() };
    let charts: &[Chart] = if props.main_only { &MAIN_CHARTS } else { &Chart::ALL };
    // The numbers as tables under the full set of charts (an embedded or presented page
    // shows two charts and stays lean).
    let tables = (!props.main_only).then(|| {
        html! { <ChartTables lang={lang} loaded={current.clone()} year_index={state.year_index} /> }
    });
    html! {
        <section class="charts" aria-label={tr(lang, "图表", "Charts")}>
            { for charts.iter().map(|chart| {
                let id = chart.id();
                let data = per_chart.iter().find(|(c, _)| c == chart).map_or_else(|| data.clone(), |(_, d)| d.clone());
                let file = format!("{}-{id}.png", current.scenario.name);
                let current = current.clone();
                let save = Callback::from(move |_| crate::components::canvas::save_png(&file, id, &current.scenario, lang));
                // With actuals, the monthly charts draw this many reported months solid and the
                // re-forecast after them dashed, beside the plan (MODEL.md section 12).
                let reported = (data.reported > 0 && MAIN_CHARTS.contains(chart)).then(|| data.reported.to_string());
                html! {
                    <figure class="chart-card" data-chart-card={id} data-reported={reported}>
                        <ChartCanvas chart={*chart} {data} style={style.clone()} drawn_for={build} />
                        <figcaption class="chart-actions">
                            <button type="button" data-action={format!("png-{id}")} onclick={save}>
                                { tr(lang, "保存图片", "Save PNG") }
                            </button>
                        </figcaption>
                    </figure>
                }
            }) }
            { for tables }
        </section>
    }
}

/// Each chart's data, as last handed to its canvas.
struct PerChart {
    /// The build these were taken from.
    source: Rc<ChartData>,
    /// Counts the builds: the canvases' `data-drawn-for`.
    build: u64,
    charts: Vec<(Chart, Rc<ChartData>)>,
}

impl PerChart {
    /// Every chart's data for the new build `source`: the last one's where the chart
    /// draws the same from it (the same `Rc`, so the canvas does not redraw), else `source`.
    fn next(last: Option<PerChart>, source: Rc<ChartData>) -> PerChart {
        let build = last.as_ref().map_or(0, |last| last.build.wrapping_add(1));
        let charts = Chart::ALL
            .into_iter()
            .map(|chart| {
                let kept = last
                    .as_ref()
                    .and_then(|last| last.charts.iter().find(|(c, _)| *c == chart))
                    .map(|(_, data)| data)
                    .filter(|data| data.draws_same(&source, chart));
                (chart, kept.map_or_else(|| source.clone(), Rc::clone))
            })
            .collect();
        PerChart { source, build, charts }
    }
}

/// The monthly metrics the region table lists: those of the NPL-ratio, balances,
/// waterfall and disposal charts.
const MONTHLY: [&str; 6] = ["npl_ratio", "npl", "deposits", "loans", "formation", "disposal"];

#[derive(Properties, Clone)]
struct ChartTablesProps {
    lang: Lang,
    loaded: Rc<Loaded>,
    year_index: usize,
}

impl PartialEq for ChartTablesProps {
    /// The projection by pointer: a new result is a new `Rc`, and comparing never walks it.
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && Rc::ptr_eq(&self.loaded, &other.loaded)
            && self.year_index == other.year_index
    }
}

/// The charts' numbers as tables, built only while their `<details>` is open, so a lever
/// move costs nothing more while they are closed (a 500-institution ranking is 500 rows).
#[function_component(ChartTables)]
fn chart_tables_component(props: &ChartTablesProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| open.set(crate::web::event_open(&event)))
    };
    html! {
        <details class="chart-data" {ontoggle}>
            <summary>{ tr(props.lang, "图表数据（表格）", "The charts' numbers as tables") }</summary>
            if *open {
                { chart_tables(props.lang, &props.loaded, props.year_index) }
            }
        </details>
    }
}

/// The region by month, and (with more than one institution) the NPL change of each zone
/// and institution in the selected year, the ranking chart's numbers.
fn chart_tables(lang: Lang, loaded: &Loaded, year_index: usize) -> Html {
    let projection = &loaded.projection;
    let unit = &loaded.scenario.unit;
    let months = projection.region.monthly.iter().map(|m| {
        html! {
            <tr data-month={m.month.clone()} data-actual={m.actual.then_some("true")}>
                <th scope="row">
                    { &m.month }
                    if m.actual { <span class="reported-mark">{ tr(lang, "（实际）", " (reported)") }</span> }
                </th>
                { for MONTHLY.iter().map(|metric| {
                    let value = m.get(metric);
                    html! { <td class="num" data-value={value.map(fmt_decimal)}>{ shown(metric, value) }</td> }
                }) }
            </tr>
        }
    });
    let year = projection.region.year_ends.get(year_index).map(|y| y.year);
    let name_of = |id: &str| {
        loaded.scenario.institutions.iter().find(|i| i.id == id).map_or(id.to_string(), |i| i.name.clone())
    };
    // In the projection's order (zones as they first appear, then institutions as in the
    // file): the chart ranks them; the table is for finding one. (Sorting here cost wasm size.)
    let ranked: Vec<(String, rust_decimal::Decimal)> = projection
        .zones
        .iter()
        .map(|(zone, series)| (zone.clone(), series))
        .chain(projection.institutions.iter().map(|(id, series)| (name_of(id), series)))
        .filter_map(|(name, series)| Some((name, series.year_ends.get(year_index)?.npl_change)))
        .collect();
    let ranking = (projection.institutions.len() > 1).then(|| {
        html! {
            <div class="table-scroll"><table class="figures chart-table" data-table="ranking">
                <caption>{ match lang {
                    Lang::Zh => format!("{} 年各街道/园区与机构的不良贷款变动（{unit}）", year.unwrap_or_default()),
                    Lang::En => format!("Change in NPL by zone and institution, {} ({unit})", year.unwrap_or_default()),
                } }</caption>
                <thead><tr>
                    <th scope="col">{ tr(lang, "街道/园区或机构", "Zone or institution") }</th>
                    <th scope="col">{ metric_name(lang, "npl_change") }</th>
                </tr></thead>
                <tbody>
                    { for ranked.iter().map(|(name, change)| html! {
                        <tr>
                            <th scope="row">{ name }</th>
                            <td class="num" data-value={fmt_decimal(*change)}>{ shown("npl_change", Some(*change)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table></div>
        }
    });
    html! {
        <>
            <div class="table-scroll"><table class="figures chart-table" data-table="monthly">
                <caption>{ match lang {
                    Lang::Zh => format!("全辖逐月数据（金额单位：{unit}）"),
                    Lang::En => format!("Region by month (amounts in {unit})"),
                } }</caption>
                <thead><tr>
                    <th scope="col">{ tr(lang, "月份", "Month") }</th>
                    { for MONTHLY.iter().map(|metric| html! { <th scope="col">{ metric_name(lang, metric) }</th> }) }
                </tr></thead>
                <tbody>{ for months }</tbody>
            </table></div>
            { for ranking }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, UiState};

    #[derive(Properties, PartialEq)]
    struct HostProps {
        props: ChartTablesProps,
    }

    #[function_component(Host)]
    fn host(props: &HostProps) -> Html {
        chart_tables(props.props.lang, &props.props.loaded, props.props.year_index)
    }

    fn render(state: &UiState) -> String {
        let props = ChartTablesProps {
            lang: state.lang,
            loaded: state.current.clone().expect("a result"),
            year_index: state.year_index,
        };
        let renderer = yew::LocalServerRenderer::<Host>::with_props(HostProps { props }).hydratable(false);
        futures::executor::block_on(renderer.render())
    }

    #[test]
    fn the_charts_numbers_are_tables_of_the_projection() {
        let state = crate::state::aggregate(Lang::Zh);
        let html = render(&state);
        let projection = &state.current.as_ref().unwrap().projection;
        assert_eq!(html.matches("<tr data-month=").count(), 12, "{html}");
        let december = &projection.region.monthly[11];
        let row = &html[html.find("data-month=\"2019-12\"").unwrap()..];
        for metric in MONTHLY {
            let value = december.get(metric).map(fmt_decimal).unwrap();
            assert!(row.contains(&format!("data-value=\"{value}\"")), "{metric} {value}");
        }
        assert!(html.contains("<caption>全辖逐月数据（金额单位：亿元）</caption>"), "{html}");
        assert!(html.contains("<th scope=\"col\">不良贷款率</th>"), "{html}");
        // One institution: no ranking to read.
        assert!(!html.contains("data-table=\"ranking\""), "{html}");
        // The Licheng preset's banks in their sub-districts: ranked.
        let html = render(&UiState::new(Lang::Zh));
        assert!(html.contains("data-table=\"ranking\""), "{html}");

        let mut state = UiState::new(Lang::En);
        state.apply(Action::LoadPreset("yangjiang-2016-2018".into()));
        state.apply(Action::SelectYear(2));
        let html = render(&state);
        let projection = &state.current.as_ref().unwrap().projection;
        assert_eq!(html.matches("<tr data-month=").count(), 36);
        let ranking = &html[html.find("data-table=\"ranking\"").expect("the ranking table")..];
        assert!(ranking.contains("Change in NPL by zone and institution, 2018"), "{ranking}");
        let rows = projection.zones.len() + projection.institutions.len();
        assert_eq!(ranking.matches("<th scope=\"row\">").count(), rows, "{ranking}");
        // Each row is its entity's 2018 year-end change, zones first, then institutions.
        let expected: Vec<String> = projection
            .zones
            .iter()
            .chain(&projection.institutions)
            .map(|(_, series)| fmt_decimal(series.year_ends[2].npl_change))
            .collect();
        let shown: Vec<String> = ranking
            .split("data-value=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .collect();
        assert_eq!(shown, expected);
    }
}
