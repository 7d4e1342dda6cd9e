//! The analysis panels (goal seek, sensitivity, feasibility map, uncertainty, comparison) and the effect that has the engine's module run the open one.
//!
//! Each panel's answer carries `data-analysis` (the command line's name) and `data-json`
//! (exactly what the command line prints with `--format json` for the same scenario and
//! settings), so tests and embedding pages can check it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use delever_model::analysis::{Analysis, Feasibility, GoalSeek, MonteCarlo, PERCENTILES, Sensitivity};
use delever_model::num::fmt_decimal;
use delever_model::{Lang, Lever, Scenario};
use rust_decimal::Decimal;
use yew::prelude::*;

use crate::analyses::{
    self, Answers, MAX_COMPARED, Outcome, Panel, Request, Setting, applied_value, interval_text, lever_name,
    lever_value, monte_carlo_settings, target_label, why_infeasible,
};
use crate::components::analysis_charts::{FanChart, MapChart, TornadoChart};
use crate::components::results::shown;
use crate::i18n::{metric_name, tr};
use crate::state::{Action, Loaded, UiState};

#[derive(Properties)]
pub struct AnalysisProps {
    pub state: Rc<UiState>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for AnalysisProps {
    /// By pointer: every new state is a new `Rc`, and comparing never walks the document.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}

/// The year-end metrics an analysis can read, in the order the pickers list them.
const METRICS: [&str; 10] = [
    "npl_ratio",
    "npl",
    "loans",
    "deposits",
    "coverage",
    "allowance_ratio",
    "ldr",
    "disposal",
    "write_off_share",
    "leverage_ratio",
];

/// After a change to the scenario, how long the page waits for the next before it starts
/// the open panel's analysis (a slider sends a change every frame while it is dragged).
const SETTLE_MS: i32 = 150;

/// Progress is reported to the page at most this often (each report re-renders it).
const PROGRESS_EVERY_MS: f64 = 100.0;

/// Runs `request` in the engine's module (`crates/delever-worker`, fetched on first use): in
/// its Web Worker, or, where none can start, on this thread in short slices (`www/boot.js`).
/// Reports progress at most every [`PROGRESS_EVERY_MS`] and the answer once; the page's
/// thread only shows it. Returns the handle that stops it.
fn analyse(
    request: Request,
    version: u64,
    current: Rc<Loaded>,
    dispatch: Callback<Action>,
    cancelled: Rc<Cell<bool>>,
) -> Option<crate::web::WorkerCancel> {
    let started = crate::web::now_ms();
    let progress = {
        let (dispatch, request, cancelled) = (dispatch.clone(), request.clone(), cancelled.clone());
        let reported = Cell::new(started);
        move |done, total| {
            let now = crate::web::now_ms();
            if !cancelled.get() && now - reported.get() >= PROGRESS_EVERY_MS {
                reported.set(now);
                dispatch.emit(Action::AnalysisProgress { request: request.clone(), version, done, total });
            }
        }
    };
    let bytes = delever_model::wire::encode_request(&request);
    let done = move |answer: crate::web::WorkerAnswer| {
        if cancelled.get() {
            return;
        }
        let outcome = |result| Outcome { request: request.clone(), version, result };
        let answers = match answer {
            crate::web::WorkerAnswer::Answers(bytes) => {
                delever_model::wire::decode_answers(&bytes).map_err(|_| analyses::engine_unavailable())
            }
            crate::web::WorkerAnswer::Refused(zh, en) => Err((zh, en)),
            crate::web::WorkerAnswer::Unavailable => Err(analyses::engine_unavailable()),
        };
        let shown_from = crate::web::now_ms();
        match answers {
            Ok(list) => {
                dispatch.emit(Action::AnalysisDone(outcome(Ok(Rc::new(Answers::new(list))))));
                let shown = crate::web::now_ms() - shown_from;
                let kind = request_kind(&request);
                crate::web::record_analysis(kind, crate::web::now_ms() - started, shown, 0, shown);
            }
            Err(words) => dispatch.emit(Action::AnalysisDone(outcome(Err(words)))),
        }
    };
    crate::web::analyse_off_thread(current.text(), &bytes, progress, done)
}

/// The command-line name of a request's analysis.
fn request_kind(request: &Request) -> &'static str {
    match request {
        Request::GoalSeek { .. } => "goal-seek",
        Request::Sensitivity { .. } => "sensitivity",
        Request::Map { .. } => "feasibility",
        Request::MonteCarlo { .. } => "monte-carlo",
    }
}

#[function_component(AnalysisSection)]
pub fn analysis_section(props: &AnalysisProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let current = state.current.clone();
    let request = current.as_ref().and_then(|c| state.analyses.request(&c.scenario));
    let fresh = state.analyses.fresh(request.as_ref(), state.version).is_some();
    // Start the open panel's request whenever it or the scenario changes and no fresh answer
    // exists; a newer request cancels the running one.
    {
        let dispatch = props.dispatch.clone();
        let needed = request.clone().filter(|_| !fresh);
        let current = current.clone();
        let started_version = use_mut_ref(|| None::<u64>);
        use_effect_with((needed, state.version), move |(needed, version)| {
            let cancelled = Rc::new(Cell::new(false));
            let in_worker = Rc::new(RefCell::new(None::<crate::web::WorkerCancel>));
            if cfg!(target_arch = "wasm32")
                && let (Some(request), Some(current)) = (needed.clone(), current)
            {
                let version = *version;
                let start = {
                    let cancelled = cancelled.clone();
                    let in_worker = in_worker.clone();
                    move || {
                        if cancelled.get() {
                            return;
                        }
                        let cancel = analyse(request, version, current, dispatch, cancelled);
                        *in_worker.borrow_mut() = cancel;
                    }
                };
                // A new scenario (a lever moving) waits until the moves pause, so the levers
                // and charts keep the whole frame; new settings start at once.
                let moved = started_version.borrow().is_some_and(|v| v != version);
                *started_version.borrow_mut() = Some(version);
                if moved {
                    crate::web::later(SETTLE_MS, start);
                } else {
                    start();
                }
            }
            move || {
                cancelled.set(true);
                if let Some(cancel) = in_worker.borrow_mut().take() {
                    cancel.cancel();
                }
            }
        });
    }
    let panel = state.analyses.panel;
    let tabs = Panel::ALL.iter().enumerate().map(|(k, p)| {
        let dispatch = props.dispatch.clone();
        let p = *p;
        let onclick = {
            let dispatch = dispatch.clone();
            Callback::from(move |_| dispatch.emit(Action::Analysis(Setting::Panel(p))))
        };
        // The tab list's own keys (WAI-ARIA tabs): the arrows, Home and End open the
        // neighbouring, first or last panel and move focus to its tab.
        let onkeydown = Callback::from(move |event: KeyboardEvent| {
            let last = Panel::ALL.len().saturating_sub(1);
            let to = match event.key().as_str() {
                "ArrowRight" => if k == last { 0 } else { k.saturating_add(1) },
                "ArrowLeft" => k.checked_sub(1).unwrap_or(last),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            event.prevent_default();
            if let Some(next) = Panel::ALL.get(to) {
                dispatch.emit(Action::Analysis(Setting::Panel(*next)));
                crate::web::focus_by_id(&format!("tab-{}", next.id()));
            }
        });
        let selected = p == panel;
        html! {
            <button type="button" role="tab" id={format!("tab-{}", p.id())} data-panel={p.id()}
                aria-selected={selected.to_string()} aria-controls="analysis-panel"
                class={classes!("tab", selected.then_some("selected"))} {onclick} {onkeydown}>{ p.title(lang) }</button>
        }
    });
    let running = state
        .analyses
        .running
        .as_ref()
        .filter(|r| Some(&r.request) == request.as_ref() && r.version == state.version && !fresh);
    let progress = match running {
        Some(r) => {
            let percent = r.done.saturating_mul(100).checked_div(r.total).unwrap_or(0);
            html! {
                <div class="analysis-progress">
                    <progress max="100" value={percent.min(100).to_string()}
                        aria-label={tr(lang, "计算进度", "Progress")}></progress>
                    { format!(" {} {percent}%", tr(lang, "计算中", "computing")) }
                </div>
            }
        }
        None if request.is_some() && !fresh => html! {
            <div class="analysis-progress">{ tr(lang, "计算中…", "computing…") }</div>
        },
        None => html! {},
    };
    // What a screen reader hears, once per change (the percentages above would be read
    // out every tenth of a second): computing, then that the answer is ready.
    let status = match (&request, fresh) {
        (Some(_), false) => tr(lang, "计算中…", "Computing…").to_string(),
        (Some(_), true) => {
            format!("{}{}", panel.title(lang), tr(lang, "：结果已算出。", ": the answer is ready."))
        }
        (None, _) => String::new(),
    };
    let body = match (&current, panel) {
        (_, Panel::Compare) => {
            html! { <ComparePanel state={state.clone()} dispatch={props.dispatch.clone()} /> }
        }
        (None, _) => {
            html! { <p>{ tr(lang, "情景有效后才能分析。", "Analyses run once the scenario is valid.") }</p> }
        }
        (Some(loaded), _) => {
            let outcome = state.analyses.fresh(request.as_ref(), state.version).cloned().or_else(|| {
                // While a new answer is computed, the last one of this kind stays, marked stale.
                match panel {
                    Panel::GoalSeek => state.analyses.goal.clone(),
                    Panel::Sensitivity => state.analyses.tornado.clone(),
                    Panel::Map => state.analyses.map.clone(),
                    Panel::MonteCarlo => state.analyses.monte_carlo.clone(),
                    Panel::Compare => None,
                }
            });
            let ctx = PanelContext {
                state: state.clone(),
                dispatch: props.dispatch.clone(),
                loaded: loaded.clone(),
                stale: !fresh,
            };
            let result = outcome.as_ref().map(|o| o.result.clone());
            match panel {
                Panel::GoalSeek => goal_seek_panel(&ctx, result),
                Panel::Sensitivity => sensitivity_panel(&ctx, result),
                Panel::Map => map_panel(&ctx, result),
                Panel::MonteCarlo => monte_carlo_panel(&ctx, result),
                Panel::Compare => html! {},
            }
        }
    };
    html! {
        <section class="analyses" aria-label={tr(lang, "分析", "Analyses")}>
            <h2>{ tr(lang, "分析", "Analyses") }</h2>
            <div class="tabs" role="tablist">{ for tabs }</div>
            <div id="analysis-panel" role="tabpanel" aria-labelledby={format!("tab-{}", panel.id())}
                class="analysis-panel" data-panel={panel.id()}>
                <p class="visually-hidden" role="status" data-role="analysis-status">{ status }</p>
                { progress }
                { body }
            </div>
        </section>
    }
}

/// What every panel reads.
struct PanelContext {
    state: Rc<UiState>,
    dispatch: Callback<Action>,
    loaded: Rc<Loaded>,
    /// The answer shown is for an older scenario or older settings.
    stale: bool,
}

impl PanelContext {
    fn lang(&self) -> Lang {
        self.state.lang
    }

    fn scenario(&self) -> &Scenario {
        &self.loaded.scenario
    }

    fn set(&self, make: impl Fn(String) -> Setting + 'static) -> Callback<Event> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |event: Event| {
            dispatch.emit(Action::Analysis(make(crate::web::event_value(&event))));
        })
    }

    fn rate_plan(&self) -> bool {
        !analyses::lever_is_amount(Lever::Disposal, self.scenario())
    }

    fn lever_select(
        &self,
        field: &'static str,
        label: &'static str,
        chosen: Lever,
        make: fn(Lever) -> Setting,
    ) -> Html {
        let lang = self.lang();
        let onchange = self.set(move |v| make(Lever::parse(&v).unwrap_or(chosen)));
        let id = format!("a-{}", field.replace('.', "-"));
        html! {
            <label for={id.clone()}>{ label }
                <select id={id} data-field={field} {onchange}>
                    { for Lever::ALL.iter().map(|l| html! {
                        <option value={l.name()} selected={*l == chosen}>{ lever_name(lang, *l, self.rate_plan()) }</option>
                    }) }
                </select>
            </label>
        }
    }

    fn metric_select(
        &self,
        field: &'static str,
        label: &'static str,
        chosen: &str,
        metrics: &[&'static str],
        make: fn(String) -> Setting,
    ) -> Html {
        let lang = self.lang();
        let id = format!("a-{}", field.replace('.', "-"));
        html! {
            <label for={id.clone()}>{ label }
                <select id={id} data-field={field} onchange={self.set(make)}>
                    { for metrics.iter().map(|m| html! {
                        <option value={*m} selected={*m == chosen}>{ metric_name(lang, m) }</option>
                    }) }
                </select>
            </label>
        }
    }

    /// The answer's wrapper: the command-line JSON, staleness, and an error in place.
    fn answer(&self, kind: &'static str, json: Option<String>, body: Html) -> Html {
        html! {
            <div class={classes!("answer", self.stale.then_some("stale"))} data-analysis={kind}
                data-json={json} data-fresh={(!self.stale).to_string()} aria-busy={self.stale.to_string()}>
                { body }
            </div>
        }
    }

    fn failed(&self, (zh, en): &(String, String)) -> Html {
        html! { <p class="analysis-error" role="alert">{ if self.lang() == Lang::Zh { zh } else { en } }</p> }
    }
}

/// Why an analysis could not run, in Chinese and English.
type Failed = (String, String);
type Answer = Option<Result<Rc<Answers>, Failed>>;
/// One answer of a request, with the whole list it came in.
type Picked<T> = Option<Result<(T, Rc<Answers>), Failed>>;

fn goal_seek_panel(ctx: &PanelContext, result: Answer) -> Html {
    let lang = ctx.lang();
    let s = &ctx.state.analyses.settings;
    let scenario = ctx.scenario();
    let target_change = ctx.set(|v| Setting::GoalTarget(if v.is_empty() { None } else { Some(v) }));
    let controls = html! {
        <div class="analysis-controls">
            { ctx.lever_select("analysis.goal.lever", tr(lang, "杠杆", "Lever"), s.goal_lever, Setting::GoalLever) }
            <label for="a-analysis-goal-target">{ tr(lang, "目标", "Targets") }
                <select id="a-analysis-goal-target" data-field="analysis.goal.target" onchange={target_change}>
                    <option value="" selected={s.goal_target.is_none()}>{ tr(lang, "全部目标", "All targets") }</option>
                    { for scenario.targets.iter().map(|t| html! {
                        <option value={t.id.clone()} selected={s.goal_target.as_deref() == Some(t.id.as_str())}>
                            { target_label(lang, t) }
                        </option>
                    }) }
                </select>
            </label>
        </div>
    };
    let answer = match result {
        None => html! {},
        Some(Err(e)) => ctx.failed(&e),
        Some(Ok(results)) => {
            let seeks: Vec<&GoalSeek> = results
                .iter()
                .filter_map(|a| match a {
                    Analysis::GoalSeek(g) => Some(g),
                    _ => None,
                })
                .collect();
            match seeks.split_first() {
                None => html! {},
                Some((all, each)) => {
                    let lever = all.lever;
                    let range = format!(
                        "{} {} – {}",
                        tr(lang, "搜索范围", "searched"),
                        lever_value(lang, lever, scenario, all.from),
                        lever_value(lang, lever, scenario, all.to)
                    );
                    let now = lever.current(scenario);
                    let body = if all.intervals.is_empty() {
                        html! {
                            <p class="goal-none" data-feasible="false">
                                { match lang {
                                    Lang::Zh => format!("{}在 {} – {} 内没有任何取值能满足所选目标。",
                                        lever_name(lang, lever, ctx.rate_plan()),
                                        lever_value(lang, lever, scenario, all.from),
                                        lever_value(lang, lever, scenario, all.to)),
                                    Lang::En => format!("No {} in {} – {} meets the chosen targets.",
                                        lever_name(lang, lever, ctx.rate_plan()).to_ascii_lowercase(),
                                        lever_value(lang, lever, scenario, all.from),
                                        lever_value(lang, lever, scenario, all.to)),
                                } }
                                { " " }
                                if !each.is_empty() { { why_infeasible(lang, scenario, each) } }
                            </p>
                        }
                    } else {
                        html! {
                            <ul class="goal-intervals" data-feasible="true">
                                { for all.intervals.iter().map(|(a, b)| {
                                    let apply = |lower: bool| {
                                        let value = applied_value(lever, scenario, (*a, *b), lower);
                                        let dispatch = ctx.dispatch.clone();
                                        let onclick = Callback::from(move |_| dispatch.emit(Action::ApplyLevers(vec![(lever, value)])));
                                        let label = format!("{} {}", tr(lang, "采用", "Apply"), lever_value(lang, lever, scenario, value));
                                        html! {
                                            <button type="button" data-action={if lower { "apply-lower" } else { "apply-upper" }}
                                                data-value={fmt_decimal(value)} {onclick}>{ label }</button>
                                        }
                                    };
                                    html! {
                                        <li data-from={fmt_decimal(*a)} data-to={fmt_decimal(*b)}>
                                            <strong>{ interval_text(lang, lever, scenario, all, (*a, *b)) }</strong>
                                            { tr(lang, " 时满足所选全部目标 ", " meets every chosen target ") }
                                            if *a != all.from { { apply(true) } }
                                            if *b != all.to { { apply(false) } }
                                        </li>
                                    }
                                }) }
                            </ul>
                        }
                    };
                    let per_target = (!each.is_empty()).then(|| html! {
                        <table class="goal-each">
                            <caption>{ tr(lang, "逐项目标单独满足的范围", "Each target on its own") }</caption>
                            <thead><tr><th scope="col">{ tr(lang, "目标", "Target") }</th><th scope="col">{ tr(lang, "满足范围", "Met when") }</th></tr></thead>
                            <tbody>
                                { for each.iter().map(|g| {
                                    let id = g.targets.first().cloned().unwrap_or_default();
                                    let label = scenario.targets.iter().find(|t| t.id == id).map(|t| target_label(lang, t)).unwrap_or(id.clone());
                                    let text = if g.intervals.is_empty() {
                                        tr(lang, "范围内无法满足", "never, in the range").to_string()
                                    } else {
                                        g.intervals.iter().map(|iv| interval_text(lang, lever, scenario, g, *iv)).collect::<Vec<_>>().join("；")
                                    };
                                    html! { <tr data-target={id}><th scope="row">{ label }</th><td>{ text }</td></tr> }
                                }) }
                            </tbody>
                        </table>
                    });
                    ctx.answer(
                        "goal-seek",
                        Some(results.json.clone()),
                        html! {
                            <>
                                <p class="hint">{ format!("{range}；{} {}", tr(lang, "当前", "now"), lever_value(lang, lever, scenario, now)) }</p>
                                { body }
                                { for per_target }
                            </>
                        },
                    )
                }
            }
        }
    };
    html! { <>{ controls }{ answer }</> }
}

fn year_options(ctx: &PanelContext, chosen: Option<i32>) -> Html {
    let lang = ctx.lang();
    let first = ctx.scenario().first_year();
    let years = ctx.loaded.projection.region.year_ends.len();
    let onchange = ctx.set(|v| Setting::TornadoYear(v.parse::<i32>().ok()));
    html! {
        <label for="a-analysis-tornado-year">{ tr(lang, "年份", "Year") }
            <select id="a-analysis-tornado-year" data-field="analysis.tornado.year" {onchange}>
                <option value="" selected={chosen.is_none()}>{ tr(lang, "最后一年", "Last year") }</option>
                { for (0..years).map(|k| {
                    let year = first.saturating_add(i32::try_from(k).unwrap_or(0));
                    html! { <option value={year.to_string()} selected={chosen == Some(year)}>{ year }</option> }
                }) }
            </select>
        </label>
    }
}

fn sensitivity_panel(ctx: &PanelContext, result: Answer) -> Html {
    let lang = ctx.lang();
    let s = &ctx.state.analyses.settings;
    let controls = html! {
        <div class="analysis-controls">
            { ctx.metric_select("analysis.tornado.metric", tr(lang, "指标", "Metric"), &s.tornado_metric, &METRICS, Setting::TornadoMetric) }
            { year_options(ctx, s.tornado_year) }
            <p class="hint">{ tr(lang, "每个杠杆各年取值分别下调、上调 20%（取值为 0 时 ∓0.01），其余不变。", "Each lever's values moved down and up by 20% (∓0.01 where a value is 0), the others held.") }</p>
        </div>
    };
    let answer = match first(&result, |a| match a {
        Analysis::Sensitivity(t) => Some(t),
        _ => None,
    }) {
        None => html! {},
        Some(Err(e)) => ctx.failed(&e),
        Some(Ok((t, list))) => {
            ctx.answer("sensitivity", Some(list.json.clone()), tornado_body(ctx, &t, list))
        }
    };
    html! { <>{ controls }{ answer }</> }
}

/// The first result of the request's kind, with the list it is in (the charts draw from it).
fn first<T: Clone>(result: &Answer, pick: impl Fn(&Analysis) -> Option<&T>) -> Picked<T> {
    match result.as_ref()? {
        Err(e) => Some(Err(e.clone())),
        Ok(list) => list.iter().find_map(pick).cloned().map(|t| Ok((t, list.clone()))),
    }
}

fn tornado_body(ctx: &PanelContext, t: &Sensitivity, list: Rc<Answers>) -> Html {
    let lang = ctx.lang();
    let scenario = ctx.scenario();
    html! {
        <>
            <TornadoChart results={list} loaded={ctx.loaded.clone()} lang={lang} />
            <table class="tornado-table">
                <caption>{ format!("{}（{}）{}：{}", metric_name(lang, &t.metric), t.year, tr(lang, "基准", "base"), shown(&t.metric, t.base)) }</caption>
                <thead><tr>
                    <th scope="col">{ tr(lang, "杠杆", "Lever") }</th>
                    <th scope="col">{ tr(lang, "下调至", "Down to") }</th>
                    <th scope="col">{ tr(lang, "结果", "Result") }</th>
                    <th scope="col">{ tr(lang, "上调至", "Up to") }</th>
                    <th scope="col">{ tr(lang, "结果", "Result") }</th>
                    <th scope="col">{ tr(lang, "摆幅", "Swing") }</th>
                </tr></thead>
                <tbody>
                    { for t.bars.iter().map(|b| html! {
                        <tr data-lever={b.lever.name()}>
                            <th scope="row">{ lever_name(lang, b.lever, ctx.rate_plan()) }</th>
                            <td>{ lever_value(lang, b.lever, scenario, b.low) }</td>
                            <td data-value={b.at_low.map(fmt_decimal)}>{ shown(&t.metric, b.at_low) }</td>
                            <td>{ lever_value(lang, b.lever, scenario, b.high) }</td>
                            <td data-value={b.at_high.map(fmt_decimal)}>{ shown(&t.metric, b.at_high) }</td>
                            <td data-value={b.swing().map(fmt_decimal)}>{ shown(&t.metric, b.swing()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

fn map_panel(ctx: &PanelContext, result: Answer) -> Html {
    let lang = ctx.lang();
    let s = &ctx.state.analyses.settings;
    let steps_change =
        ctx.set(|v| Setting::MapSteps(v.parse().unwrap_or(delever_model::analysis::DEFAULT_STEPS)));
    let controls = html! {
        <div class="analysis-controls">
            { ctx.lever_select("analysis.map.x", tr(lang, "横轴杠杆", "Across"), s.map_x, Setting::MapX) }
            { ctx.lever_select("analysis.map.y", tr(lang, "纵轴杠杆", "Up"), s.map_y, Setting::MapY) }
            { ctx.metric_select("analysis.map.metric", tr(lang, "着色指标", "Colour by"), &s.map_metric, &METRICS, Setting::MapMetric) }
            <label for="a-analysis-map-steps">{ tr(lang, "网格", "Grid") }
                <select id="a-analysis-map-steps" data-field="analysis.map.steps" onchange={steps_change}>
                    { for [11usize, 21, 41, 81].iter().map(|n| html! {
                        <option value={n.to_string()} selected={*n == s.map_steps}>{ format!("{n} × {n}") }</option>
                    }) }
                </select>
            </label>
        </div>
    };
    let answer = match first(&result, |a| match a {
        Analysis::Feasibility(f) => Some(f),
        _ => None,
    }) {
        None => html! {},
        Some(Err(e)) => ctx.failed(&e),
        Some(Ok((f, list))) => ctx.answer("feasibility", Some(list.json.clone()), map_body(ctx, &f, list)),
    };
    html! { <>{ controls }{ answer }</> }
}

fn map_body(ctx: &PanelContext, f: &Feasibility, list: Rc<Answers>) -> Html {
    let lang = ctx.lang();
    let met = f.cells.iter().flatten().filter(|c| c.all_met).count();
    let total = f.cells.iter().map(Vec::len).sum::<usize>();
    html! {
        <>
            <p class="hint" data-met-cells={met.to_string()}>
                { match lang {
                    Lang::Zh => format!("{total} 个组合中 {met} 个满足全部目标（粗线围出）；悬停或用方向键查看数值，点击或按回车采用该组合。"),
                    Lang::En => format!("{met} of {total} combinations meet every target (outlined); hover or use the arrow keys for numbers, click or press Enter to apply."),
                } }
            </p>
            <MapChart results={list} loaded={ctx.loaded.clone()} lang={lang} dispatch={ctx.dispatch.clone()} />
        </>
    }
}

fn monte_carlo_panel(ctx: &PanelContext, result: Answer) -> Html {
    let lang = ctx.lang();
    let s = &ctx.state.analyses.settings;
    let problems = monte_carlo_settings(&s.mc).err().unwrap_or_default();
    let input = |field: &'static str,
                 label: &'static str,
                 value: &str,
                 make: fn(String) -> Setting,
                 unit: Option<&'static str>| {
        let dispatch = ctx.dispatch.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            dispatch.emit(Action::Analysis(make(crate::web::event_value(&event))))
        });
        let problem = problems.iter().find(|p| p.field == field);
        let id = format!("a-analysis-mc-{field}");
        let error_id = format!("{id}-error");
        html! {
            <div class={classes!("field", problem.is_some().then_some("invalid"))}>
                <label for={id.clone()}>{ label }</label>
                <span class="input-with-unit">
                    <input id={id} type="text" inputmode="decimal" class="value numeric"
                        data-field={format!("analysis.mc.{field}")} value={value.to_string()} {oninput}
                        aria-invalid={problem.is_some().then_some("true")}
                        aria-describedby={problem.is_some().then(|| error_id.clone())} />
                    { for unit.map(|u| html! { <span class="unit" aria-hidden="true">{ u }</span> }) }
                </span>
                { for problem.map(|p| html! {
                    <p id={error_id.clone()} class="field-error" role="alert" data-error-for={format!("analysis.mc.{field}")}>{ p.message(lang) }</p>
                }) }
            </div>
        }
    };
    let controls = html! {
        <div class="analysis-controls">
            { input("paths", tr(lang, "路径数", "Paths"), &s.mc.paths, Setting::Paths, None) }
            { input("seed", tr(lang, "随机种子", "Seed"), &s.mc.seed, Setting::Seed, None) }
            { input("cv", tr(lang, "不良生成率波动（变异系数）", "Spread of formation (cv)"), &s.mc.cv, Setting::Cv, Some("%")) }
            { ctx.metric_select("analysis.mc.metric", tr(lang, "扇形图指标", "Fan of"), &s.fan_metric, &["npl_ratio", "npl", "loans"], Setting::FanMetric) }
        </div>
    };
    let answer = match first(&result, |a| match a {
        Analysis::MonteCarlo(m) => Some(m),
        _ => None,
    }) {
        None => html! {},
        Some(Err(e)) => ctx.failed(&e),
        Some(Ok((m, list))) => {
            ctx.answer("monte-carlo", Some(list.json.clone()), monte_carlo_body(ctx, &m, list))
        }
    };
    html! { <>{ controls }{ answer }</> }
}

fn monte_carlo_body(ctx: &PanelContext, m: &MonteCarlo, list: Rc<Answers>) -> Html {
    let lang = ctx.lang();
    let scenario = ctx.scenario();
    let metric = &ctx.state.analyses.settings.fan_metric;
    let bands =
        m.percentiles.iter().find(|(name, _)| name == metric).map(|(_, b)| b.as_slice()).unwrap_or(&[]);
    // The year-end rows of the fan.
    let year_ends: Vec<_> = bands.iter().filter(|b| b.month.ends_with("-12")).collect();
    html! {
        <>
            <table class="mc-targets">
                <caption>{ match lang {
                    Lang::Zh => format!("{} 条路径中各目标达成的概率（{} 条因存量为负而中止）", m.paths, m.failed),
                    Lang::En => format!("Probability of meeting each target over {} paths ({} stopped on a negative stock)", m.paths, m.failed),
                } }</caption>
                <thead><tr><th scope="col">{ tr(lang, "目标", "Target") }</th><th scope="col">{ tr(lang, "概率", "Probability") }</th></tr></thead>
                <tbody>
                    { for m.targets.iter().map(|(id, p)| {
                        let label = scenario.targets.iter().find(|t| t.id == *id).map(|t| target_label(lang, t)).unwrap_or(id.clone());
                        html! {
                            <tr data-target={id.clone()}>
                                <th scope="row">{ label }</th>
                                <td data-probability={fmt_decimal(*p)}>{ shown("npl_ratio", Some(*p)) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <FanChart results={list} loaded={ctx.loaded.clone()} lang={lang} metric={metric.clone()} />
            <table class="mc-bands">
                <caption>{ format!("{} {}", metric_name(lang, metric), tr(lang, "年末分位数", "at year-ends, percentiles")) }</caption>
                <thead><tr>
                    <th scope="col">{ tr(lang, "月份", "Month") }</th>
                    { for PERCENTILES.iter().map(|q| html! { <th scope="col">{ format!("P{q}") }</th> }) }
                </tr></thead>
                <tbody>
                    { for year_ends.iter().map(|b| html! {
                        <tr data-month={b.month.clone()}>
                            <th scope="row">{ &b.month }</th>
                            { for b.values.iter().map(|v| html! { <td data-value={v.map(fmt_decimal)}>{ shown(metric, *v) }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

/// The year-end metrics the comparison table lists.
const COMPARED_METRICS: [&str; 8] =
    ["deposits", "loans", "npl", "npl_ratio", "disposal", "write_off_share", "coverage", "ldr"];

#[function_component(ComparePanel)]
fn compare_panel(props: &AnalysisProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    if state.saved.is_empty() {
        return html! {
            <p class="hint">{ tr(lang, "先用上方“保存为”保存几个情景，再在此勾选（最多 4 个）并排比较。", "Save a few scenarios with “Save as” above, then tick up to four here to compare them side by side.") }</p>
        };
    }
    let picks = state.saved.iter().map(|s| {
        let dispatch = props.dispatch.clone();
        let name = s.name.clone();
        let checked = state.analyses.compared.contains(&s.name);
        let full = !checked && state.analyses.compared.len() >= MAX_COMPARED;
        let onchange = Callback::from(move |_| dispatch.emit(Action::ToggleCompared(name.clone())));
        html! {
            <label class="compare-pick">
                <input type="checkbox" data-field="analysis.compare" value={s.name.clone()} {checked} disabled={full} {onchange} />
                { &s.name }
            </label>
        }
    });
    let Some(current) = &state.current else { return html! { <fieldset>{ for picks }</fieldset> } };
    let year = state.year_index;
    let current_year = current.projection.region.year_ends.get(year);
    let columns: Vec<(&str, Option<&delever_model::output::YearEnd>, Option<&str>)> =
        std::iter::once((tr(lang, "当前情景", "Current"), current_year, None))
            .chain(state.comparison.iter().map(|c| match &c.result {
                Ok(loaded) => (c.name.as_str(), loaded.projection.region.year_ends.get(year), None),
                Err(problem) => (c.name.as_str(), None, Some(problem.message(lang))),
            }))
            .collect();
    let year_label = current_year.map(|y| y.year.to_string()).unwrap_or_default();
    html! {
        <>
            <fieldset class="compare-picks">
                <legend>{ tr(lang, "勾选要对比的已保存情景（最多 4 个）", "Saved scenarios to compare (up to four)") }</legend>
                { for picks }
            </fieldset>
            <table class="compare-table" data-year={year_label.clone()}>
                <caption>{ format!("{year_label} {}", tr(lang, "年末，括号内为与当前情景之差", "year-end; in brackets the difference from the current scenario")) }</caption>
                <thead><tr>
                    <th scope="col">{ tr(lang, "指标", "Metric") }</th>
                    { for columns.iter().map(|(name, _, _)| html! { <th scope="col">{ *name }</th> }) }
                </tr></thead>
                <tbody>
                    { for COMPARED_METRICS.iter().map(|metric| {
                        let base = current_year.and_then(|y| y.get(metric));
                        html! {
                            <tr data-metric={*metric}>
                                <th scope="row">{ metric_name(lang, metric) }</th>
                                { for columns.iter().enumerate().map(|(k, (name, ye, problem))| {
                                    let value = ye.and_then(|y| y.get(metric));
                                    let diff = (k > 0).then(|| value.zip(base).and_then(|(v, b)| v.checked_sub(b))).flatten();
                                    html! {
                                        <td data-scenario={name.to_string()} data-value={value.map(fmt_decimal)}>
                                            { match problem { Some(p) => html! { <span class="analysis-error">{ *p }</span> }, None => html! { shown(metric, value) } } }
                                            { for diff.map(|d| html! { <span class="diff">{ format!("（{}）", signed(metric, d)) }</span> }) }
                                        </td>
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="hint">{ tr(lang, "对比情景的路径也叠加在上方的不良率与存贷款图上。", "The compared scenarios' paths are also drawn on the NPL-ratio and balances charts above.") }</p>
        </>
    }
}

fn signed(metric: &str, d: Decimal) -> String {
    let kind = crate::format::kind_of(metric);
    let text = crate::format::signed_difference(kind, &fmt_decimal(d)).unwrap_or_default();
    match kind {
        crate::format::Kind::Ratio => format!("{text}pp"),
        crate::format::Kind::Amount => text,
    }
}
