//! `<App/>`: owns the page state (a [`UiState`] behind Yew's reducer), connects it to the browser, and lays out the page as a whole, embedded or presenting.
//!
//! All state changes go through [`UiState::apply`]; this file only dispatches actions (one
//! `dispatch` callback for the page's life, so props compare equal), and after each change
//! hands the state to `persist.rs` (draft, address, saved list, language, `delever:result`).

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use crate::components::brief::describe_change;
use crate::components::{
    ActualsEditor, AnalysisSection, AssessmentEditor, Brief, ChartsPanel, Division, EventsTable,
    InstitutionsTable, Latest, Levers, QuickLevers, ReferenceEditor, Results, SpreadsheetTools,
    TargetsEditor, TrackingPanel,
};
use crate::embed::{self, Incoming, View};
use crate::i18n::tr;
use crate::state::{Action, LoadProblem, PageState, Source, UiState};
use crate::{codec, export, persist, web};

/// The Yew adapter around [`UiState`]: `reduce` is `apply`.
#[derive(Clone, Debug, PartialEq)]
pub struct Store(pub Rc<UiState>);

impl Reducible for Store {
    type Action = Action;

    /// Copies the state (pointers, mostly: the document, the saved list, the results and
    /// the analyses' answers are shared `Rc`s) and applies the action to the copy.
    ///
    /// A new request for the engine's worker is handed to it here, before Yew renders the
    /// change: the worker runs while the page renders the levers and the "updating" marks
    /// (measured on a 500 × 10 move: posted from an effect after that render, the worker began
    /// 10–25 ms after the input).
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let started = crate::timing::now();
        let asked = self.0.pending.as_ref().map(|p| p.id);
        let mut next = Rc::unwrap_or_clone(Rc::unwrap_or_clone(self).0);
        next.apply(action);
        crate::timing::since("reducer", started);
        if let Some(pending) = next.pending.as_ref().filter(|p| Some(p.id) != asked) {
            hand_to_worker(pending);
        }
        Rc::new(Store(Rc::new(next)))
    }
}

thread_local! {
    /// The page's one `dispatch` callback, for the worker's answers to requests handed over
    /// by [`Store::reduce`] (set by `<App/>` on its first render).
    static ANSWERS: std::cell::RefCell<Option<Callback<Action>>> = const { std::cell::RefCell::new(None) };
}

/// Hands a large scenario waiting for the engine's worker to it, once per request; the answer
/// comes back as an action, and `UiState::apply` drops it if it is stale.
fn hand_to_worker(pending: &crate::state::Pending) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let id = pending.id;
    let text = crate::timing::span("to-worker", || pending.text());
    web::project_off_thread(&text, move |answer| {
        // `None`: a newer request took this one's place before the worker began it.
        if let Some(bytes) = answer {
            ANSWERS.with(|answers| {
                if let Some(dispatch) = answers.borrow().as_ref() {
                    dispatch.emit(Action::Projected { id, bytes });
                }
            });
        }
    });
}

/// The state the page opens with: a `#scenario=` link, else the draft saved before a
/// reload, else the Licheng preset; language and saved scenarios from storage.
fn initial_state() -> Store {
    if !cfg!(target_arch = "wasm32") {
        return Store(Rc::new(UiState::new(delever_model::Lang::Zh)));
    }
    let (mode, mode_problem) = embed::mode_from_query(&web::location_search());
    let lang = mode
        .lang
        .or_else(|| web::storage_get(persist::LANG_KEY).and_then(|l| delever_model::Lang::parse(&l)))
        .unwrap_or_default();
    let mut state = UiState::new(lang);
    state.mode = mode;
    if let Some(text) = web::storage_get(persist::SAVED_KEY) {
        state.apply(Action::SetSavedList(persist::saved_list(&text)));
    }
    let hash = web::location_hash();
    let draft = web::storage_get(persist::DRAFT_KEY).and_then(|t| serde_json::from_str::<Value>(&t).ok());
    // A reload of this page (its address is one the draft was written under) comes back to
    // the draft, edits and baseline included; any other link is loaded as a new scenario.
    let draft_matches = |draft: &Value| {
        draft
            .get("links")
            .and_then(Value::as_array)
            .is_some_and(|links| links.iter().any(|l| l.as_str() == Some(&hash)))
    };
    match (codec::scenario_from_fragment(&hash), draft) {
        (Some(_), Some(draft)) if draft_matches(&draft) => persist::restore_draft(&mut state, &draft),
        (Some(Ok(text)), _) => state.apply(Action::LoadText { text, source: Source::Link }),
        (Some(Err(err)), _) => state.apply(Action::ReportLoadProblem(LoadProblem {
            zh: format!("地址中的情景无法读取：{}", err.message(delever_model::Lang::Zh)),
            en: format!(
                "the scenario in the address cannot be read: {}",
                err.message(delever_model::Lang::En)
            ),
        })),
        (None, Some(draft)) => persist::restore_draft(&mut state, &draft),
        (None, None) => {}
    }
    if let Some(problem) = mode_problem
        && state.load_problem.is_none()
    {
        state.apply(Action::ReportLoadProblem(problem));
    }
    // The scenario the page opens with runs here, at once, whatever its size (nothing older
    // is on screen to show meanwhile); from now on large ones go to the engine's worker.
    state.off_thread = web::can_project_off_thread();
    Store(Rc::new(state))
}

/// Handles a message from the embedding page (`embed.rs`): a scenario to load, answered
/// with its result or with every reason it cannot be shown.
fn on_message(text: &str, dispatch: &Callback<Action>) {
    match embed::parse_message(text) {
        Incoming::Ignore => {}
        Incoming::Refuse(problem) => {
            web::post_to_parent(&embed::error_message(&[embed::Refusal::from_problem(&problem)]))
        }
        Incoming::Act(action) => {
            if let Action::LoadText { text, .. } = &action {
                let refusals = embed::check_loaded(text);
                if !refusals.is_empty() {
                    web::post_to_parent(&embed::error_message(&refusals));
                }
            }
            dispatch.emit(action);
        }
    }
}

/// The presentation's keys: PageDown/PageUp step through the saved scenarios, Escape leaves
/// (from a number field too: Escape means nothing there). Arrows are the focused lever's
/// own. Returns the action, or `None` for a key it leaves alone.
pub fn presentation_key(key: &str) -> Option<Action> {
    match key {
        "PageDown" => Some(Action::StepSaved(true)),
        "PageUp" => Some(Action::StepSaved(false)),
        "Escape" => Some(Action::SetView(View::Full)),
        _ => None,
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(initial_state);
    let state = store.0.clone();
    let page = PageState(state.clone());
    // The state on screen, for the buttons of parts that re-render only when what they show
    // changes (the toolbar, the spreadsheet tools).
    let latest = (*use_memo((), |_| Latest::default())).clone();
    latest.set(page.clone());
    let lang = state.lang;
    // The time of the last input, for the input-to-repaint benchmark.
    let pending = use_mut_ref(|| None::<f64>);
    // One callback for the page's life: every component compares its props by it, so a new
    // one on every render would re-render every component on every change.
    let dispatch = {
        let store = store.dispatcher();
        let pending = pending.clone();
        (*use_memo((), move |_| {
            Callback::from(move |action: Action| {
                if cfg!(target_arch = "wasm32") {
                    *pending.borrow_mut() = Some(web::now_ms());
                }
                store.dispatch(action)
            })
        }))
        .clone()
    };
    // The print brief is built only to print (the print button, or the browser's own print
    // command through `beforeprint`), and dropped after: on screen it is never shown.
    let printing = use_state(|| PrintState::Off);
    let print = {
        let printing = printing.setter();
        use_callback((), move |_: (), _| printing.set(PrintState::Asked))
    };
    {
        let asked = *printing == PrintState::Asked;
        let printing = printing.setter();
        use_effect_with(asked, move |asked| {
            if *asked && cfg!(target_arch = "wasm32") {
                printing.set(PrintState::On);
                // The brief is in the document now (effects run after the render).
                web::print();
            }
        });
    }
    let persister = use_mut_ref(persist::Persister::default);
    // The view as last rendered, for the key handler registered once.
    let view = use_mut_ref(|| View::Full);
    *view.borrow_mut() = state.mode.view;
    {
        let dispatch = dispatch.clone();
        let view = view.clone();
        let persister = persister.clone();
        let printing = printing.setter();
        use_effect_with((), move |_| {
            if cfg!(target_arch = "wasm32") {
                let flush = persister.clone();
                web::on_page_hide(move || flush.borrow_mut().flush());
                let after = printing.clone();
                web::on_print(move || printing.set(PrintState::On), move || after.set(PrintState::Off));
                let on_host = dispatch.clone();
                web::on_message(move |text| on_message(&text, &on_host));
                if web::is_embedded() {
                    web::post_to_parent(&embed::ready_message());
                }
                web::on_keydown(move |key| {
                    if *view.borrow() != View::Present {
                        return false;
                    }
                    match presentation_key(key) {
                        Some(action) => {
                            if action == Action::SetView(View::Full) {
                                web::exit_fullscreen();
                            }
                            dispatch.emit(action);
                            true
                        }
                        None => false,
                    }
                });
            }
        });
    }
    {
        let state = state.clone();
        let pending = pending.clone();
        let persister = persister.clone();
        use_effect_with(state.edits, move |_| {
            if cfg!(target_arch = "wasm32") {
                // Children (the chart canvases) have drawn by the time the parent's effect runs.
                if let Some(started) = pending.borrow_mut().take() {
                    web::record_timing(web::now_ms() - started);
                    web::measure("update", started);
                }
                persister.borrow_mut().changed(state);
                web::after_settling(persist::SETTLE_MS, move || persister.borrow_mut().flush());
            }
        });
    }
    {
        // A large scenario on screen from the start: the worker loads its module and compiles
        // the plan now, not on the first move (its answer, for a result already shown, is not needed).
        let opening =
            state.current.clone().filter(|c| state.off_thread && crate::state::is_large(&c.scenario));
        use_effect_with((), move |_| {
            if let Some(current) = opening.filter(|_| cfg!(target_arch = "wasm32")) {
                web::project_off_thread(current.text(), |_| {});
            }
        });
    }
    ANSWERS.with(|answers| {
        if answers.borrow().is_none() {
            *answers.borrow_mut() = Some(dispatch.clone());
        }
    });
    let lang_attr = if lang == delever_model::Lang::Zh { "zh-CN" } else { "en" };
    let problem = state.load_problem.as_ref().map(|problem| {
        html! {
            <p class="load-problem" role="alert">{ problem.message(lang) }</p>
        }
    });
    match state.mode.view {
        View::Embed => html! {
            <div class="page embed" lang={lang_attr}>
                { problem }
                <main class="workspace">
                    <div class="left"><QuickLevers state={page.clone()} dispatch={dispatch.clone()} /></div>
                    <div class="right">
                        <Results state={page.clone()} dispatch={dispatch.clone()} />
                        <ChartsPanel state={page.clone()} main_only={true} />
                    </div>
                </main>
                <footer class="colophon">
                    { format!("Delever · delever-model {} · ", delever_model::MODEL_VERSION) }
                    { tr(lang, "全部计算在本浏览器内完成，数据不离开本机。", "Everything is computed in this browser; no data leaves the machine.") }
                </footer>
            </div>
        },
        View::Present => html! {
            <div class="page present" lang={lang_attr}>
                <PresentBar state={page.clone()} dispatch={dispatch.clone()} />
                { problem }
                <main class="workspace">
                    <div class="left"><QuickLevers state={page.clone()} dispatch={dispatch.clone()} /></div>
                    <div class="right">
                        <Results state={page.clone()} dispatch={dispatch.clone()} />
                        <ChartsPanel state={page.clone()} main_only={true} large={true} />
                    </div>
                </main>
            </div>
        },
        View::Full => html! {
            <div class="page" lang={lang_attr}>
                <Toolbar state={page.clone()} dispatch={dispatch.clone()} print={print.clone()} latest={latest.clone()} />
                { problem }
                <main class="workspace">
                    <div class="left">
                        <Levers state={page.clone()} dispatch={dispatch.clone()} />
                    </div>
                    <div class="right">
                        <Results state={page.clone()} dispatch={dispatch.clone()} />
                        <TrackingPanel loaded={page.current.clone()} lang={lang} />
                        <ChartsPanel state={page.clone()} />
                    </div>
                </main>
                <AnalysisSection state={state.clone()} dispatch={dispatch.clone()} />
                <section class="editors" aria-label={tr(lang, "机构、事件与目标", "Institutions, events and targets")}>
                    <SpreadsheetTools state={page.clone()} dispatch={dispatch.clone()} latest={Some(latest.clone())} />
                    <InstitutionsTable state={page.clone()} dispatch={dispatch.clone()} />
                    <ActualsEditor state={page.clone()} dispatch={dispatch.clone()} />
                    <EventsTable state={page.clone()} dispatch={dispatch.clone()} />
                    <TargetsEditor state={page.clone()} dispatch={dispatch.clone()} />
                    <ReferenceEditor state={page.clone()} dispatch={dispatch.clone()} />
                    <AssessmentEditor state={page.clone()} dispatch={dispatch.clone()} />
                    <Division loaded={page.current.clone()} lang={lang} dispatch={dispatch.clone()} />
                </section>
                <footer class="colophon">
                    { format!("Delever · delever-model {} · ", delever_model::MODEL_VERSION) }
                    { tr(lang, "全部计算在本浏览器内完成，数据不离开本机。", "Everything is computed in this browser; no data leaves the machine.") }
                </footer>
                if *printing != PrintState::Off {
                    <PrintBrief state={page.clone()} />
                }
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct PageProps {
    state: PageState,
}

/// Whether the print brief is wanted: not at all, asked for by the print button (the
/// browser's print starts once it is rendered), or printing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PrintState {
    Off,
    Asked,
    On,
}

/// The brief, with the stamp computed once per result (the link encodes the whole scenario).
#[function_component(PrintBrief)]
fn print_brief(props: &PageProps) -> Html {
    let current = props.state.current.clone();
    let stamp = use_memo(props.state.version, move |_| {
        current.as_ref().map(|c| Rc::new(c.stamp(&export::page_address())))
    });
    match (*stamp).clone() {
        Some(stamp) => html! { <Brief state={props.state.clone()} {stamp} /> },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct PresentBarProps {
    state: PageState,
    dispatch: Callback<Action>,
}

/// The presentation's header: the scenario's name and caption (where it is in the sequence
/// of saved scenarios, and what it changes from the baseline), and the buttons the keys do.
#[function_component(PresentBar)]
fn present_bar(props: &PresentBarProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let name = state.current.as_ref().map(|c| c.scenario.name.clone()).unwrap_or_default();
    let caption = presentation_caption(state);
    let position = state.saved_position().map(|(at, of)| format!("{at} / {of}"));
    let step = |forward: bool| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::StepSaved(forward)))
    };
    let leave = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| {
            web::exit_fullscreen();
            dispatch.emit(Action::SetView(View::Full));
        })
    };
    let full_screen = Callback::from(|_| web::enter_fullscreen());
    html! {
        <header class="present-bar">
            <div class="present-title">
                <h1 data-present="name">{ name }</h1>
                <p class="present-caption" data-present="caption" aria-live="polite">{ caption }</p>
            </div>
            <nav class="present-nav" aria-label={tr(lang, "演示控制", "Presentation controls")}>
                if let Some(position) = position {
                    <span class="present-position" data-present="position">{ position }</span>
                }
                <button type="button" data-action="present-previous" onclick={step(false)}
                    disabled={state.next_saved(false).is_none()}>{ tr(lang, "上一方案（PageUp）", "Previous (PageUp)") }</button>
                <button type="button" data-action="present-next" onclick={step(true)}
                    disabled={state.next_saved(true).is_none()}>{ tr(lang, "下一方案（PageDown）", "Next (PageDown)") }</button>
                <button type="button" data-action="fullscreen" onclick={full_screen}>{ tr(lang, "全屏", "Full screen") }</button>
                <button type="button" data-action="present-exit" onclick={leave}>{ tr(lang, "退出演示（Esc）", "Leave (Esc)") }</button>
            </nav>
        </header>
    }
}

/// The caption under a presented scenario: which saved scenario it is, and the main levers
/// it changes from the baseline (at most four), in words.
pub fn presentation_caption(state: &UiState) -> String {
    let lang = state.lang;
    let mut parts: Vec<String> = Vec::new();
    if let Source::Saved(name) = &state.source {
        let edited = state.saved.iter().find(|s| &s.name == name).is_none_or(|s| s.doc != *state.doc);
        let mark = if edited { tr(lang, "（已修改）", " (edited)") } else { "" };
        parts.push(format!("{}：{name}{mark}", tr(lang, "方案", "Scenario")));
    }
    if let (Some(_), Some(current)) = (&state.baseline, &state.current) {
        let changes = &state.changes;
        if changes.is_empty() {
            parts.push(tr(lang, "基准情景", "the baseline").to_string());
        }
        parts.extend(changes.iter().take(4).map(|change| describe_change(current.json(), change, lang)));
        if changes.len() > 4 {
            parts.push(format!("{} {}", tr(lang, "另有调整", "more changes:"), changes.len() - 4));
        }
    }
    parts.join(tr(lang, "；", "; "))
}

/// Compared by what the toolbar shows (language, source, name, the illustrative note, the
/// saved list), not by the page state: its export buttons read the document and the result
/// from `latest` when pressed, so a lever move does not re-render it.
#[derive(Properties)]
struct ToolbarProps {
    state: PageState,
    dispatch: Callback<Action>,
    /// Print the brief.
    print: Callback<()>,
    latest: Latest,
}

impl PartialEq for ToolbarProps {
    fn eq(&self, other: &ToolbarProps) -> bool {
        let (a, b) = (&self.state, &other.state);
        self.dispatch == other.dispatch
            && self.print == other.print
            && self.latest == other.latest
            && (a == b
                || (a.lang == b.lang
                    && a.source == b.source
                    && std::rc::Rc::ptr_eq(&a.saved, &b.saved)
                    && scenario_name(a) == scenario_name(b)
                    && illustrative(a) == illustrative(b)))
    }
}

/// The scenario's name as the toolbar shows it (and names exported files).
fn scenario_name(state: &UiState) -> &str {
    state.doc.get("name").and_then(Value::as_str).unwrap_or("scenario")
}

/// Whether some opening balance of the scenario is illustrative (the toolbar's note).
fn illustrative(state: &UiState) -> bool {
    state.doc.get("institutions").and_then(Value::as_array).is_some_and(|list| {
        list.iter().any(|i| {
            i.pointer("/opening/illustrative").and_then(Value::as_array).is_some_and(|a| !a.is_empty())
        })
    })
}

/// Scenario picker, language, import and export, save.
#[function_component(Toolbar)]
fn toolbar(props: &ToolbarProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let selected = match &state.source {
        Source::Preset(id) => format!("preset:{id}"),
        Source::Saved(name) => format!("saved:{name}"),
        Source::Blank => "blank".to_string(),
        _ => "other".to_string(),
    };
    let on_pick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let value = web::event_value(&event);
            if let Some(id) = value.strip_prefix("preset:") {
                dispatch.emit(Action::LoadPreset(id.to_string()));
            } else if let Some(name) = value.strip_prefix("saved:") {
                dispatch.emit(Action::LoadSaved(name.to_string()));
            } else if value == "blank" {
                dispatch.emit(Action::LoadBlank { start_year: web::current_year().saturating_sub(1) });
            }
        })
    };
    let toggle_lang = {
        let dispatch = props.dispatch.clone();
        let next =
            if lang == delever_model::Lang::Zh { delever_model::Lang::En } else { delever_model::Lang::Zh };
        Callback::from(move |_| dispatch.emit(Action::SetLang(next)))
    };
    let on_import = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let dispatch = dispatch.clone();
            web::read_chosen_file(&event, move |name, text| match text {
                Ok(text) => dispatch.emit(Action::LoadText { text, source: Source::Imported(name) }),
                Err(_) => dispatch.emit(Action::ReportLoadProblem(LoadProblem {
                    zh: format!("无法读取文件 {name}"),
                    en: format!("cannot read the file {name}"),
                })),
            });
        })
    };
    let name = scenario_name(state).to_string();
    // The state on screen when a button is pressed (the toolbar may not have re-rendered since).
    let now = {
        let latest = props.latest.clone();
        let state = state.clone();
        move || latest.get_or(&state)
    };
    let export_json = {
        let name = name.clone();
        let now = now.clone();
        Callback::from(move |_| {
            let text = serde_json::to_string_pretty(&*now().doc).unwrap_or_default();
            web::download(&format!("{name}.json"), "application/json", &text);
        })
    };
    let export_csv = {
        let name = name.clone();
        Callback::from(move |_| {
            // The page keeps the region's months; the file has every entity's, run now.
            if let Some(current) = &now().current
                && let Ok(projection) = current.full_projection()
            {
                let stamp = current.stamp(&export::page_address());
                web::download(
                    &format!("{name}-monthly.csv"),
                    "text/csv;charset=utf-8",
                    &export::monthly_csv(&projection, lang, &stamp),
                );
            }
        })
    };
    let save_name = use_state(String::new);
    let on_save_name = {
        let save_name = save_name.clone();
        Callback::from(move |event: InputEvent| save_name.set(web::event_value(&event)))
    };
    let on_save = {
        let dispatch = props.dispatch.clone();
        let save_name = save_name.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatch.emit(Action::SaveAs((*save_name).clone()));
        })
    };
    let reset = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ResetToBaseline))
    };
    let present = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| {
            web::enter_fullscreen();
            dispatch.emit(Action::SetView(View::Present));
        })
    };
    let print = {
        let print = props.print.clone();
        Callback::from(move |_| print.emit(()))
    };
    let illustrative = illustrative(state);
    html! {
        <header class="masthead">
            <div class="title">
                <h1>{ tr(lang, "Delever 去杠杆模拟", "Delever deleveraging simulator") }</h1>
                <p class="scenario-name" data-scenario={selected.clone()}>{ &name }</p>
                if illustrative {
                    <p class="note illustrative" role="note">
                        { tr(lang, "注意：本情景部分期初余额为示意数据（原方案未公布），并非实际统计数。",
                             "Note: some opening balances in this scenario are illustrative (the plan publishes none), not actual statistics.") }
                    </p>
                }
            </div>
            <div class="toolbar">
                <label>{ tr(lang, "情景", "Scenario") }
                    <select data-field="ui.scenario" onchange={on_pick}>
                        { for delever_model::presets::all().iter().map(|p| {
                            let value = format!("preset:{}", p.id);
                            html! { <option value={value.clone()} selected={value == selected}>{ if lang == delever_model::Lang::Zh { p.name } else { p.name_en } }</option> }
                        }) }
                        <option value="blank" selected={selected == "blank"}>{ tr(lang, "空白情景", "Blank scenario") }</option>
                        { for state.saved.iter().map(|s| {
                            let value = format!("saved:{}", s.name);
                            html! { <option value={value.clone()} selected={value == selected}>{ format!("{}：{}", tr(lang, "已保存", "saved"), s.name) }</option> }
                        }) }
                        if selected == "other" {
                            <option value="other" selected={true}>{ tr(lang, "（导入或链接的情景）", "(imported or linked)") }</option>
                        }
                    </select>
                </label>
                <button type="button" data-action="toggle-lang" onclick={toggle_lang}
                    lang={tr(lang, "en", "zh-CN")}
                    aria-label={tr(lang, "Switch to English", "切换到中文")}>{ tr(lang, "English", "中文") }</button>
                <label class="file-button">{ tr(lang, "导入情景…", "Import…") }
                    <input type="file" accept=".json,application/json" data-field="ui.import" onchange={on_import} />
                </label>
                <button type="button" data-action="export-json" onclick={export_json}>{ tr(lang, "导出情景", "Export scenario") }</button>
                <button type="button" data-action="export-csv" onclick={export_csv}>{ tr(lang, "导出月度 CSV", "Monthly CSV") }</button>
                <button type="button" data-action="reset" onclick={reset}>{ tr(lang, "恢复基准", "Reset to baseline") }</button>
                <button type="button" data-action="present" onclick={present}>{ tr(lang, "演示模式", "Present") }</button>
                <button type="button" data-action="print" onclick={print}>{ tr(lang, "打印简报", "Print brief") }</button>
                <form class="save" onsubmit={on_save}>
                    <label>{ tr(lang, "保存为", "Save as") }
                        <input type="text" data-field="ui.save_name" value={(*save_name).clone()} oninput={on_save_name} />
                    </label>
                    <button type="submit" data-action="save">{ tr(lang, "保存", "Save") }</button>
                </form>
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::{App, presentation_caption, presentation_key};
    use crate::embed::View;
    use crate::state::{Action, UiState};

    fn render() -> String {
        futures::executor::block_on(yew::LocalServerRenderer::<App>::new().hydratable(false).render())
    }

    #[test]
    fn the_page_opens_on_licheng_with_levers_numbers_and_targets() {
        let html = render();
        assert!(html.contains("鲤城"), "{html}");
        assert!(html.contains("示意"), "the illustrative-openings line is missing");
        for metric in ["deposits", "loans", "npl", "npl_ratio", "disposal", "coverage"] {
            assert!(html.contains(&format!("data-kpi=\"{metric}\"")), "{metric} missing");
        }
        for field in ["defaults.loan_growth", "defaults.channels.write_off", "defaults.disposal.amount"] {
            assert!(html.contains(&format!("data-field=\"{field}\"")), "{field} missing");
        }
        assert!(html.contains("达标"));
        assert!(html.contains("data-action=\"toggle-lang\""));
        // The button speaks the other language, and says so (WCAG 3.1.2).
        assert!(html.contains("lang=\"en\" aria-label=\"Switch to English\""), "{html}");
        for panel in ["goal-seek", "sensitivity", "feasibility", "monte-carlo", "compare"] {
            assert!(html.contains(&format!("data-panel=\"{panel}\"")), "the {panel} tab is missing");
        }
        for action in ["template-xlsx", "template-csv", "export-xlsx"] {
            assert!(html.contains(&format!("data-action=\"{action}\"")), "{action} missing");
        }
    }

    #[test]
    fn a_lever_move_leaves_the_toolbar_alone() {
        use super::{Latest, ToolbarProps};
        use crate::state::PageState;
        use std::rc::Rc;
        let (dispatch, print, latest) = (yew::Callback::noop(), yew::Callback::noop(), Latest::default());
        let toolbar = |state: &UiState| ToolbarProps {
            state: PageState(Rc::new(state.clone())),
            dispatch: dispatch.clone(),
            print: print.clone(),
            latest: latest.clone(),
        };
        let set = |path: &str, text: &str| Action::SetField { path: path.into(), text: text.into() };
        let old = UiState::new(delever_model::Lang::Zh);
        let cases = [
            ("a slider move", set("defaults.loan_growth", "12"), false),
            ("an opening balance", set("institutions[0].opening.npl", "2"), false),
            ("the name", set("name", "新情景"), true),
            ("the language", Action::SetLang(delever_model::Lang::En), true),
            ("a saved scenario", Action::SaveAs("A".into()), true),
            ("another preset", Action::LoadPreset("yangjiang-2016-2018".into()), true),
        ];
        for (case, action, changes) in cases {
            let mut new = old.clone();
            new.apply(action);
            assert_eq!(toolbar(&old) != toolbar(&new), changes, "{case}");
        }
    }

    #[test]
    fn presentation_keys() {
        let table = [
            ("PageDown", Some(Action::StepSaved(true))),
            ("PageUp", Some(Action::StepSaved(false))),
            ("Escape", Some(Action::SetView(View::Full))),
            ("ArrowUp", None),
            ("a", None),
        ];
        for (key, action) in table {
            assert_eq!(presentation_key(key), action, "{key}");
        }
    }

    #[test]
    fn the_caption_names_the_saved_scenario_and_its_changes() {
        let mut state = UiState::new(delever_model::Lang::Zh);
        assert_eq!(presentation_caption(&state), "基准情景");
        state.apply(Action::SetField { path: "defaults.disposal.amount".into(), text: "12".into() });
        state.apply(Action::SaveAs("提速处置".into()));
        assert_eq!(presentation_caption(&state), "方案：提速处置；全年处置计划（亿元）：10 → 12");
    }
}
