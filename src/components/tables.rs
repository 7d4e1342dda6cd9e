//! `<InstitutionsTable/>`, `<EventsTable/>` and `<TargetsEditor/>`: the scenario's three lists edited as tables, every cell bound to its JSON path.
//!
//! Text cells are [`Field`]s, so the engine's message for a cell appears in that cell.
//! Choices (kind, institution, metric, op, scope) are `<select>`s that dispatch
//! [`Action::SetChoice`] and show their own messages the same way. Every input and select
//! carries `data-field` (MODEL.md section 8) and an accessible name naming its row.
//!
//! The document may be invalid in any way (a list that is not a list, a row that is not
//! an object, a value of the wrong type): the tables render whatever they can read, and
//! list the engine's messages that no cell shows under the table, so nothing is hidden.
//! Messages about an institution's `drivers` are left to the drivers editor.

use delever_model::metrics::YEAR_END_SCALARS;
use delever_model::reference::{NATIONAL_NPL_RATIO, NationalAverage, NationalFigure, national_npl_ratio};
use delever_model::scenario::{Kind, Scope};
use rust_decimal::Decimal;
use serde_json::Value;
use yew::prelude::*;

use crate::components::field::{Field, field_id};
use crate::i18n::{Lang, metric_name, tr};
use crate::state::{Action, PageState, UiState};

/// Props of the institutions table: the page state and the one way to change it.
///
/// Compared by what the table shows: the document without its `defaults` (the levers), and
/// the typed texts and issues outside `defaults`, in the same language. A lever move leaves
/// the table as it is (a 500-row table is the most costly thing to re-render).
#[derive(Properties)]
pub struct TableProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

impl PartialEq for TableProps {
    fn eq(&self, other: &TableProps) -> bool {
        self.dispatch == other.dispatch
            && (self.state == other.state || tables_show_the_same(&self.state, &other.state))
    }
}

/// Props of the events and targets tables: as [`TableProps`], but compared without the
/// institutions too, of which these tables show only the choices (ids and names). So an
/// opening balance moved as a lever (a one-institution scenario) re-renders the
/// institutions table and not these.
#[derive(Properties)]
pub struct ListProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

impl PartialEq for ListProps {
    fn eq(&self, other: &ListProps) -> bool {
        self.dispatch == other.dispatch
            && (self.state == other.state || lists_show_the_same(&self.state, &other.state))
    }
}

/// The top-level key of a path (`institutions[0].opening.npl` → `institutions`).
fn top_key(path: &str) -> &str {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    &path[..end]
}

/// Whether everything but the document's keys `skipped` looks the same in both states: the
/// rest of the document, and the texts typed and issues at paths outside `skipped`.
fn show_the_same_outside(a: &UiState, b: &UiState, skipped: &[&str]) -> bool {
    let shown = |path: &str| !skipped.contains(&top_key(path));
    let same_docs = std::rc::Rc::ptr_eq(&a.doc, &b.doc)
        || match (a.doc.as_object(), b.doc.as_object()) {
            (Some(x), Some(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(key, value)| skipped.contains(&key.as_str()) || y.get(key) == Some(value))
            }
            _ => a.doc == b.doc,
        };
    // The texts as a set: as many shown in each, and each of `a`'s the same in `b` (no sort).
    let texts_of = |state: &UiState| state.texts.keys().filter(|path| shown(path)).count();
    a.lang == b.lang
        && same_docs
        && a.issues.iter().filter(|i| shown(&i.path)).eq(b.issues.iter().filter(|i| shown(&i.path)))
        && texts_of(a) == texts_of(b)
        && a.texts.iter().filter(|(path, _)| shown(path)).all(|(path, text)| b.texts.get(path) == Some(text))
}

/// Whether the institutions table looks the same in both states.
pub fn tables_show_the_same(a: &UiState, b: &UiState) -> bool {
    // The actuals grid shows the reported months; this table never reads them.
    show_the_same_outside(a, b, &["defaults", "actuals"])
}

/// Whether the events and targets tables look the same in both states.
pub fn lists_show_the_same(a: &UiState, b: &UiState) -> bool {
    show_the_same_outside(a, b, &["defaults", "institutions", "actuals"])
        && institution_names(a).eq(institution_names(b))
}

/// The institutions' ids and names, as the tables that name institutions show them; read in
/// place rather than worded, as this is compared for several parts on every change.
pub(crate) fn institution_names(state: &UiState) -> impl Iterator<Item = (Option<&str>, Option<&str>)> {
    list(state, "institutions")
        .iter()
        .map(|item| (item.get("id").and_then(Value::as_str), item.get("name").and_then(Value::as_str)))
}

/// Whether an editor of the document's top-level `key` looks the same in both states: that
/// value, and the texts typed and the engine's issues under it, in the same language.
pub(crate) fn part_shows_the_same(a: &UiState, b: &UiState, key: &str) -> bool {
    let under = |path: &str| top_key(path) == key;
    let texts = |s: &UiState| s.texts.keys().filter(|p| under(p)).count();
    a.lang == b.lang
        && a.doc.get(key) == b.doc.get(key)
        && a.issues.iter().filter(|i| under(&i.path)).eq(b.issues.iter().filter(|i| under(&i.path)))
        && texts(a) == texts(b)
        && a.texts.iter().filter(|(p, _)| under(p)).all(|(p, t)| b.texts.get(p) == Some(t))
}

/// Rows a table renders at once: a 500-institution file is edited a page at a time.
pub const PAGE_ROWS: usize = 50;

/// The rows of page `page` of `count` (clamped to the last page) and that page.
pub(crate) fn page_rows(count: usize, page: usize) -> (std::ops::Range<usize>, usize) {
    let pages = count.div_ceil(PAGE_ROWS).max(1);
    let page = page.min(pages.saturating_sub(1));
    let start = page.saturating_mul(PAGE_ROWS);
    (start..start.saturating_add(PAGE_ROWS).min(count), page)
}

/// Previous / next page buttons and where the rows are, for a table of more than one page.
pub(crate) fn pager(lang: Lang, table: &str, count: usize, page: usize, set: &UseStateHandle<usize>) -> Html {
    if count <= PAGE_ROWS {
        return Html::default();
    }
    let (rows, page) = page_rows(count, page);
    let pages = count.div_ceil(PAGE_ROWS);
    let go = |to: usize| {
        let set = set.clone();
        Callback::from(move |_: MouseEvent| set.set(to))
    };
    let position = match lang {
        Lang::Zh => format!(
            "第 {} 页，共 {pages} 页（第 {}–{} 行，共 {count} 行）",
            page + 1,
            rows.start + 1,
            rows.end
        ),
        Lang::En => format!("Page {} of {pages} (rows {}–{} of {count})", page + 1, rows.start + 1, rows.end),
    };
    html! {
        <nav class="pager" aria-label={tr(lang, "翻页", "Pages")} data-pager={table.to_string()}>
            <button type="button" data-action={format!("{table}-previous-page")} disabled={page == 0}
                onclick={go(page.saturating_sub(1))}>{ tr(lang, "上一页", "Previous") }</button>
            <span class="pager-position" aria-live="polite">{ position }</span>
            <button type="button" data-action={format!("{table}-next-page")} disabled={page + 1 >= pages}
                onclick={go(page + 1)}>{ tr(lang, "下一页", "Next") }</button>
        </nav>
    }
}

/// The engine's limit on the number of institutions (MODEL.md section 2).
pub const MAX_INSTITUTIONS: usize = 500;

/// The target value that stands for the national NPL ratio of the target's year.
pub const NATIONAL_AVERAGE: &str = "national_average";

/// The name of institution kind `id` (one of `Kind::NAMES`) in `lang`, or `id` itself when unknown.
pub fn kind_name(lang: Lang, id: &str) -> &str {
    let (zh, en) = match id {
        "large_state" => ("大型国有银行", "Large state-owned bank"),
        "joint_stock" => ("股份制银行", "Joint-stock bank"),
        "city_commercial" => ("城市商业银行", "City commercial bank"),
        "rural" => ("农村金融机构", "Rural financial institution"),
        "village" => ("村镇银行", "Village bank"),
        "foreign" => ("外资银行", "Foreign bank"),
        "policy" => ("政策性银行", "Policy bank"),
        "other" => ("其他", "Other"),
        _ => return id,
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The action for ticking (`checked`) or unticking the "national average" box of a target value
/// at `path`: ticked stores `"national_average"`; unticked stores the national figure of `year`
/// itself (the nearest year the reference table has), so the target keeps its meaning as a number.
pub fn national_average_choice(path: &str, checked: bool, year: Option<i64>) -> Action {
    let value = if checked {
        NATIONAL_AVERAGE.to_string()
    } else {
        nearest_national_average(year).npl_ratio.normalize().to_string()
    };
    Action::SetChoice { path: path.to_string(), value: Value::String(value) }
}

/// One opening balance column: key under `opening`, header in Chinese and English.
pub(crate) const OPENING_COLUMNS: [(&str, &str, &str); 6] = [
    ("deposits", "期初存款", "Opening deposits"),
    ("loans", "期初贷款", "Opening loans"),
    ("npl", "期初不良贷款", "Opening NPL"),
    ("provisions", "贷款损失准备", "Provisions"),
    ("tier1_capital", "一级资本", "Tier-1 capital"),
    ("leverage_exposure", "杠杆率暴露", "Leverage exposure"),
];

/// `<InstitutionsTable/>`: one row per `institutions[i]` (id, name, kind, zone, opening balances),
/// with add and remove. The header stays in view while a long list scrolls inside its wrapper.
#[function_component(InstitutionsTable)]
pub fn institutions_table(props: &TableProps) -> Html {
    let TableProps { state, dispatch } = props;
    let lang = state.lang;
    let unit = unit_of(state);
    let items = list(state, "institutions");
    let count = items.len();
    let page = use_state(|| 0usize);
    let (range, at) = page_rows(count, *page);
    let mut shown = Vec::new();
    let rows: Vec<Html> = items
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
        .map(|(i, item)| institution_row(state, dispatch, i, item, count, &unit, &mut shown))
        .collect();
    let pages = pager(lang, "institutions", count, at, &page);
    let any_illustrative = items.iter().any(|item| !illustrative_fields(item).is_empty());
    let problems = unshown_problems(state, "institutions", &shown, |path| path.contains(".drivers"));
    let opening_heads = OPENING_COLUMNS.iter().map(|(_, zh, en)| {
        html! {
            <th scope="col" class="num">
                { tr(lang, zh, en) }<span class="col-unit">{ unit_suffix(lang, &unit) }</span>
            </th>
        }
    });
    let on_add = {
        let dispatch = dispatch.clone();
        let page = page.clone();
        // The new row is the last: show its page.
        Callback::from(move |_: MouseEvent| {
            page.set(count / PAGE_ROWS);
            dispatch.emit(Action::AddInstitution)
        })
    };
    let full = count >= MAX_INSTITUTIONS;
    let count_note = match lang {
        Lang::Zh => format!("共 {count} 家"),
        Lang::En => format!("{count} in all"),
    };
    html! {
        <section class="card edit-card" aria-labelledby="institutions-title" data-table="institutions">
            <header class="card-head">
                <h2 id="institutions-title">{ tr(lang, "银行业机构", "Institutions") }</h2>
                <span class="unit">{ count_note }</span>
            </header>
            <p class="explain">
                { tr(lang,
                    "期初余额为情景起始月（上年 12 月）末数。一级资本与杠杆率暴露可不填，但须同时填写或同时留空。",
                    "Opening balances are at the end of the start month (the December before the first year). \
                     Tier-1 capital and leverage exposure are optional, but give both or neither.") }
            </p>
            if any_illustrative {
                <p class="explain illustrative-note">
                    <span class="badge illustrative" aria-hidden="true">{ tr(lang, "示意", "illustrative") }</span>
                    { tr(lang,
                        " 标记的期初值为示意数据，并非实际统计数。",
                        " marks an opening value that is illustrative, not an actual statistic.") }
                </p>
            }
            <div class="table-scroll editable">
                <table class="figures edit-table institutions-table">
                    <thead>
                        <tr>
                            <th scope="col" class="sticky-col">{ tr(lang, "编号", "Id") }</th>
                            <th scope="col">{ tr(lang, "名称", "Name") }</th>
                            <th scope="col">{ tr(lang, "类型", "Kind") }</th>
                            <th scope="col">{ tr(lang, "街道/园区", "Zone") }</th>
                            { for opening_heads }
                            <th scope="col"><span class="visually-hidden">{ tr(lang, "操作", "Actions") }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            { pages }
            { problems }
            <div class="table-actions">
                <button type="button" class="row-add" data-action="add-institution" onclick={on_add}
                    disabled={full}
                    title={full.then(|| tr(lang, "机构数已达上限 500 家", "The limit is 500 institutions"))}>
                    { tr(lang, "+ 添加机构", "+ Add institution") }
                </button>
            </div>
        </section>
    }
}

/// `<EventsTable/>`: one row per `events[i]` (month, institution, amount, label), with add and remove.
#[function_component(EventsTable)]
pub fn events_table(props: &ListProps) -> Html {
    let ListProps { state, dispatch } = props;
    let lang = state.lang;
    let unit = unit_of(state);
    let items = list(state, "events");
    let institutions = institution_choices(state);
    let count = items.len();
    let page = use_state(|| 0usize);
    let (range, at) = page_rows(count, *page);
    let mut shown = Vec::new();
    let rows: Vec<Html> = items
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
        .map(|(i, item)| event_row(state, dispatch, i, item, &institutions, &mut shown))
        .collect();
    let pages = pager(lang, "events", count, at, &page);
    let problems = unshown_problems(state, "events", &shown, |_| false);
    let on_add = {
        let dispatch = dispatch.clone();
        let page = page.clone();
        Callback::from(move |_: MouseEvent| {
            page.set(count / PAGE_ROWS);
            dispatch.emit(Action::AddEvent)
        })
    };
    html! {
        <section class="card edit-card" aria-labelledby="events-title" data-table="events">
            <header class="card-head">
                <h2 id="events-title">{ tr(lang, "风险暴露事件", "Large-exposure events") }</h2>
            </header>
            <p class="explain">
                { tr(lang,
                    "风险暴露事件：某借款人违约等原因，当月有一笔额外的正常贷款转为不良贷款，计入当月不良生成。",
                    "A large-exposure event is an extra amount of performing loans that becomes NPL that month \
                     (a named borrower's default); it counts towards that month's NPL formation.") }
            </p>
            if items.is_empty() {
                <p class="empty">{ tr(lang, "暂无风险暴露事件。", "No events.") }</p>
            } else {
                <div class="table-scroll editable">
                    <table class="figures edit-table events-table">
                        <thead>
                            <tr>
                                <th scope="col">{ tr(lang, "月份（YYYY-MM）", "Month (YYYY-MM)") }</th>
                                <th scope="col">{ tr(lang, "机构", "Institution") }</th>
                                <th scope="col" class="num">
                                    { tr(lang, "金额", "Amount") }<span class="col-unit">{ unit_suffix(lang, &unit) }</span>
                                </th>
                                <th scope="col">{ tr(lang, "说明", "Label") }</th>
                                <th scope="col"><span class="visually-hidden">{ tr(lang, "操作", "Actions") }</span></th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            { pages }
            { problems }
            <div class="table-actions">
                <button type="button" class="row-add" data-action="add-event" onclick={on_add}>
                    { tr(lang, "+ 添加事件", "+ Add event") }
                </button>
            </div>
        </section>
    }
}

/// `<TargetsEditor/>`: one row per `targets[i]` (id, metric, op, value, year, scope), with add and
/// remove. An `npl_ratio` target may take the national average of its year instead of a number.
#[function_component(TargetsEditor)]
pub fn targets_editor(props: &ListProps) -> Html {
    let ListProps { state, dispatch } = props;
    let lang = state.lang;
    let unit = unit_of(state);
    let items = list(state, "targets");
    let scopes = scope_choices(state);
    let count = items.len();
    let page = use_state(|| 0usize);
    let (range, at) = page_rows(count, *page);
    let mut shown = Vec::new();
    let rows: Vec<Html> = items
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
        .map(|(i, item)| target_row(state, dispatch, i, item, &scopes, &mut shown))
        .collect();
    let pages = pager(lang, "targets", count, at, &page);
    let problems = unshown_problems(state, "targets", &shown, |_| false);
    let on_add = {
        let dispatch = dispatch.clone();
        let page = page.clone();
        Callback::from(move |_: MouseEvent| {
            page.set(count / PAGE_ROWS);
            dispatch.emit(Action::AddTarget)
        })
    };
    let value_note = match lang {
        Lang::Zh => format!("比率类指标的目标值按百分比填写（1.01 即 1.01%），金额类按{unit}填写。"),
        Lang::En => format!("Targets on ratios are typed in percent (1.01 means 1.01%), amounts in {unit}."),
    };
    html! {
        <section class="card edit-card" aria-labelledby="targets-editor-title" data-table="targets">
            <header class="card-head">
                <h2 id="targets-editor-title">{ tr(lang, "目标", "Targets") }</h2>
            </header>
            <p class="explain">{ value_note }</p>
            if items.is_empty() {
                <p class="empty">{ tr(lang, "暂无目标。", "No targets.") }</p>
            } else {
                <div class="table-scroll editable">
                    <table class="figures edit-table targets-table">
                        <thead>
                            <tr>
                                <th scope="col">{ tr(lang, "编号", "Id") }</th>
                                <th scope="col">{ tr(lang, "指标", "Metric") }</th>
                                <th scope="col">{ tr(lang, "条件", "Condition") }</th>
                                <th scope="col" class="num">{ tr(lang, "目标值", "Value") }</th>
                                <th scope="col">{ tr(lang, "年份", "Year") }</th>
                                <th scope="col">{ tr(lang, "范围", "Scope") }</th>
                                <th scope="col"><span class="visually-hidden">{ tr(lang, "操作", "Actions") }</span></th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            { pages }
            { problems }
            <div class="table-actions">
                <button type="button" class="row-add" data-action="add-target" onclick={on_add}>
                    { tr(lang, "+ 添加目标", "+ Add target") }
                </button>
            </div>
        </section>
    }
}

fn institution_row(
    state: &PageState,
    dispatch: &Callback<Action>,
    i: usize,
    item: &Value,
    count: usize,
    unit: &str,
    shown: &mut Vec<String>,
) -> Html {
    let lang = state.lang;
    let prefix = format!("institutions[{i}]");
    let row_name = item
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| item.get("id").and_then(Value::as_str).filter(|s| !s.trim().is_empty()))
        .map(str::to_string)
        .unwrap_or_else(|| row_number(lang, i));
    let remove = remove_button(
        dispatch,
        Action::RemoveInstitution(i),
        &row_name,
        lang,
        count <= 1,
        Some(tr(lang, "至少保留一家机构", "A scenario needs at least one institution")),
    );
    if !item.is_object() {
        return not_an_object_row(state, &prefix, 11, remove, shown);
    }
    let field = |key: &str, zh: &'static str, en: &'static str, shown: &mut Vec<String>| {
        let path = format!("{prefix}.{key}");
        shown.push(path.clone());
        html! {
            <Field state={state.clone()} dispatch={dispatch.clone()} path={path}
                label={cell_label(lang, &row_name, tr(lang, zh, en))} compact=true />
        }
    };
    let id = field("id", "编号", "Id", shown);
    let name = field("name", "名称", "Name", shown);
    let zone = field("zone", "街道/园区", "Zone", shown);
    let kind_path = format!("{prefix}.kind");
    shown.push(kind_path.clone());
    // A missing or null kind is `other` to the engine, so the select says so.
    let current_kind = match item.get("kind") {
        None | Some(Value::Null) => Some("other".to_string()),
        other => text_of(other),
    };
    let kinds: Vec<(String, String)> =
        Kind::NAMES.iter().map(|id| ((*id).to_string(), kind_name(lang, id).to_string())).collect();
    let kind = select_cell(
        state,
        dispatch,
        &kind_path,
        &cell_label(lang, &row_name, tr(lang, "类型", "Kind")),
        &kinds,
        current_kind.as_deref(),
    );
    let illustrative = illustrative_fields(item);
    let openings = OPENING_COLUMNS.iter().map(|(key, zh, en)| {
        let path = format!("{prefix}.opening.{key}");
        shown.push(path.clone());
        let marked = illustrative.iter().any(|f| f == key);
        html! {
            <td class={classes!("num", marked.then_some("is-illustrative"))}>
                <Field state={state.clone()} dispatch={dispatch.clone()} path={path}
                    label={cell_label(lang, &row_name, &format!("{}{}", tr(lang, zh, en), unit_suffix(lang, unit)))}
                    compact=true />
                if marked {
                    <span class="badge illustrative"
                        title={tr(lang,
                            "示意数据：原规划未公布该期初值，此数仅为演示，并非实际统计数。",
                            "Illustrative: the plan publishes no such opening value; this figure is for \
                             demonstration, not an actual statistic.")}>
                        { tr(lang, "示意", "illustrative") }
                    </span>
                }
            </td>
        }
    });
    let openings: Vec<Html> = openings.collect();
    html! {
        <tr data-row={i.to_string()}>
            <td class="sticky-col">{ id }</td>
            <td>{ name }</td>
            <td>{ kind }</td>
            <td>{ zone }</td>
            { for openings }
            <td class="row-actions">{ remove }</td>
        </tr>
    }
}

fn event_row(
    state: &PageState,
    dispatch: &Callback<Action>,
    i: usize,
    item: &Value,
    institutions: &[(String, String)],
    shown: &mut Vec<String>,
) -> Html {
    let lang = state.lang;
    let prefix = format!("events[{i}]");
    let row_name = match lang {
        Lang::Zh => format!("事件 {}", i.saturating_add(1)),
        Lang::En => format!("event {}", i.saturating_add(1)),
    };
    let remove = remove_button(dispatch, Action::RemoveEvent(i), &row_name, lang, false, None);
    if !item.is_object() {
        return not_an_object_row(state, &prefix, 4, remove, shown);
    }
    let field = |key: &str, zh: &'static str, en: &'static str, shown: &mut Vec<String>| {
        let path = format!("{prefix}.{key}");
        shown.push(path.clone());
        html! {
            <Field state={state.clone()} dispatch={dispatch.clone()} path={path}
                label={cell_label(lang, &row_name, tr(lang, zh, en))} compact=true />
        }
    };
    let month = field("month", "月份", "Month", shown);
    let amount = field("amount", "金额", "Amount", shown);
    let label = field("label", "说明", "Label", shown);
    let institution_path = format!("{prefix}.institution");
    shown.push(institution_path.clone());
    let institution = select_cell(
        state,
        dispatch,
        &institution_path,
        &cell_label(lang, &row_name, tr(lang, "机构", "Institution")),
        institutions,
        text_of(item.get("institution")).as_deref(),
    );
    html! {
        <tr data-row={i.to_string()}>
            <td>{ month }</td>
            <td>{ institution }</td>
            <td class="num">{ amount }</td>
            <td>{ label }</td>
            <td class="row-actions">{ remove }</td>
        </tr>
    }
}

fn target_row(
    state: &PageState,
    dispatch: &Callback<Action>,
    i: usize,
    item: &Value,
    scopes: &[(String, String)],
    shown: &mut Vec<String>,
) -> Html {
    let lang = state.lang;
    let prefix = format!("targets[{i}]");
    let row_name = item
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(|id| match lang {
            Lang::Zh => format!("目标 {id}"),
            Lang::En => format!("target {id}"),
        })
        .unwrap_or_else(|| row_number(lang, i));
    let remove = remove_button(dispatch, Action::RemoveTarget(i), &row_name, lang, false, None);
    if !item.is_object() {
        return not_an_object_row(state, &prefix, 6, remove, shown);
    }
    let field = |key: &str, zh: &'static str, en: &'static str, shown: &mut Vec<String>| {
        let path = format!("{prefix}.{key}");
        shown.push(path.clone());
        html! {
            <Field state={state.clone()} dispatch={dispatch.clone()} path={path}
                label={cell_label(lang, &row_name, tr(lang, zh, en))} compact=true />
        }
    };
    let id = field("id", "编号", "Id", shown);
    let year_field = field("year", "年份", "Year", shown);

    let metric_path = format!("{prefix}.metric");
    shown.push(metric_path.clone());
    let metrics: Vec<(String, String)> =
        YEAR_END_SCALARS.iter().map(|m| ((*m).to_string(), metric_name(lang, m).to_string())).collect();
    let metric_value = text_of(item.get("metric"));
    let metric = select_cell(
        state,
        dispatch,
        &metric_path,
        &cell_label(lang, &row_name, tr(lang, "指标", "Metric")),
        &metrics,
        metric_value.as_deref(),
    );

    let op_path = format!("{prefix}.op");
    shown.push(op_path.clone());
    let ops = [
        ("ge".to_string(), tr(lang, "≥ 不低于", "≥ at least").to_string()),
        ("le".to_string(), tr(lang, "≤ 不高于", "≤ at most").to_string()),
    ];
    let op = select_cell(
        state,
        dispatch,
        &op_path,
        &cell_label(lang, &row_name, tr(lang, "条件", "Condition")),
        &ops,
        text_of(item.get("op")).as_deref(),
    );

    let scope_path = format!("{prefix}.scope");
    shown.push(scope_path.clone());
    // A missing or null scope is the region to the engine.
    let current_scope = match item.get("scope") {
        None | Some(Value::Null) => Some("region".to_string()),
        other => text_of(other),
    };
    let scope = select_cell(
        state,
        dispatch,
        &scope_path,
        &cell_label(lang, &row_name, tr(lang, "范围", "Scope")),
        scopes,
        current_scope.as_deref(),
    );

    let value_path = format!("{prefix}.value");
    shown.push(value_path.clone());
    let year = year_of(item.get("year"));
    let value = target_value_cell(
        state,
        dispatch,
        &value_path,
        &row_name,
        metric_value.as_deref() == Some("npl_ratio"),
        item.get("value").and_then(Value::as_str) == Some(NATIONAL_AVERAGE),
        year,
    );
    html! {
        <tr data-row={i.to_string()}>
            <td>{ id }</td>
            <td>{ metric }</td>
            <td>{ op }</td>
            <td class="num">{ value }</td>
            <td>{ year_field }</td>
            <td>{ scope }</td>
            <td class="row-actions">{ remove }</td>
        </tr>
    }
}

/// The value cell of a target: a number field and, for `npl_ratio`, a "national average" box.
/// With the box ticked, the cell shows the reference figure of the target's year and its source.
fn target_value_cell(
    state: &PageState,
    dispatch: &Callback<Action>,
    path: &str,
    row_name: &str,
    is_npl_ratio: bool,
    is_national: bool,
    year: Option<i64>,
) -> Html {
    let lang = state.lang;
    let field = html! {
        <Field state={state.clone()} dispatch={dispatch.clone()} path={path.to_string()}
            label={cell_label(lang, row_name, tr(lang, "目标值", "Value"))} compact=true />
    };
    // Outside npl_ratio the engine rejects "national_average"; the field shows it as typed, with
    // the engine's message, until the user types a number.
    if !is_npl_ratio {
        return field;
    }
    let messages = state.messages_at(path);
    let error_id = format!("{}-national-error", field_id(path));
    let on_change = {
        let dispatch = dispatch.clone();
        let path = path.to_string();
        Callback::from(move |event: Event| {
            dispatch.emit(national_average_choice(&path, crate::web::event_checked(&event), year));
        })
    };
    let box_label = match lang {
        Lang::Zh => format!("全国平均（{row_name}）"),
        Lang::En => format!("National average ({row_name})"),
    };
    let checkbox = html! {
        <label class="national-average">
            <input type="checkbox" data-field={path.to_string()} data-role="national-average"
                checked={is_national} onchange={on_change} aria-label={box_label}
                aria-invalid={(is_national && !messages.is_empty()).then_some("true")}
                aria-describedby={(is_national && !messages.is_empty()).then(|| error_id.clone())} />
            { tr(lang, "全国平均", "national average") }
        </label>
    };
    if !is_national {
        return html! { <>{ field }{ checkbox }</> };
    }
    // The last accepted scenario's figure: its own assumption where it gives one (section 11).
    let year = year.and_then(|y| i32::try_from(y).ok());
    let current = state.current.clone();
    let figure = year.and_then(|y| match &current {
        Some(loaded) => loaded.scenario.national_npl_ratio(y),
        None => national_npl_ratio(y).map(NationalFigure::Published),
    });
    let reference = match (figure, year) {
        (Some(figure), Some(year)) => {
            let ratio = figure.ratio();
            let shown = ratio
                .checked_mul(Decimal::ONE_HUNDRED)
                .map(delever_model::num::fmt_decimal)
                .unwrap_or_default();
            let text = match (lang, figure.is_assumed()) {
                (Lang::Zh, false) => format!("{year} 年末 {shown}%"),
                (Lang::Zh, true) => format!("{year} 年末 {shown}%（假设）"),
                (Lang::En, false) => format!("end-{year} {shown}%"),
                (Lang::En, true) => format!("end-{year} {shown}% (assumed)"),
            };
            html! {
                <span class="national-figure num" title={figure.source(lang)} data-value={ratio.to_string()}>
                    { text }
                </span>
            }
        }
        _ => html! {
            <span class="national-figure">{ tr(lang, "该年无全国数据", "no national figure for that year") }</span>
        },
    };
    html! {
        <div class={classes!("national-cell", (!messages.is_empty()).then_some("invalid"))}>
            { checkbox }
            { reference }
            if !messages.is_empty() {
                <p id={error_id} class="field-error" role="alert" data-error-for={path.to_string()}>
                    { messages.join("；") }
                </p>
            }
        </div>
    }
}

/// A `<select>` bound to `path` that dispatches [`Action::SetChoice`] with the chosen string.
/// A current value that is not among `choices` is kept as a marked extra option, so loading a
/// file with a wrong word shows that word (and the engine's message) instead of hiding it.
pub(crate) fn select_cell(
    state: &PageState,
    dispatch: &Callback<Action>,
    path: &str,
    label: &str,
    choices: &[(String, String)],
    current: Option<&str>,
) -> Html {
    let lang = state.lang;
    let messages = state.messages_at(path);
    let invalid = !messages.is_empty();
    let id = field_id(path);
    let error_id = format!("{id}-error");
    let known = current.is_some_and(|c| choices.iter().any(|(value, _)| value == c));
    let extra = match current {
        Some(value) if !known => {
            let text = match lang {
                Lang::Zh => format!("{value}（无效）"),
                Lang::En => format!("{value} (invalid)"),
            };
            html! { <option value={value.to_string()} selected=true>{ text }</option> }
        }
        Some(_) => Html::default(),
        None => html! {
            <option value="" selected=true disabled=true>{ tr(lang, "请选择", "choose") }</option>
        },
    };
    let options = choices.iter().map(|(value, text)| {
        html! { <option value={value.clone()} selected={current == Some(value.as_str())}>{ text }</option> }
    });
    let on_change = {
        let dispatch = dispatch.clone();
        let path = path.to_string();
        Callback::from(move |event: Event| {
            dispatch.emit(Action::SetChoice {
                path: path.clone(),
                value: Value::String(crate::web::event_value(&event)),
            });
        })
    };
    // The browser keeps a select's own choice once the user has touched it, whatever the
    // `selected` attributes later say; keying the select by its value makes a change from
    // elsewhere (a reset, a removed row above) replace it, so it always shows the document.
    let key = format!("{path}={}", current.unwrap_or_default());
    html! {
        <div class={classes!("select-cell", invalid.then_some("invalid"))}>
            <div class="select-wrap">
                <select key={key} id={id} data-field={path.to_string()} aria-label={label.to_string()}
                    onchange={on_change}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={invalid.then(|| error_id.clone())}>
                    { extra }
                    { for options }
                </select>
            </div>
            if invalid {
                <p id={error_id} class="field-error" role="alert" data-error-for={path.to_string()}>
                    { messages.join("；") }
                </p>
            }
        </div>
    }
}

pub(crate) fn remove_button(
    dispatch: &Callback<Action>,
    action: Action,
    row_name: &str,
    lang: Lang,
    disabled: bool,
    why_disabled: Option<&'static str>,
) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let name = match lang {
        Lang::Zh => format!("删除 {row_name}"),
        Lang::En => format!("Remove {row_name}"),
    };
    html! {
        <button type="button" class="row-remove" data-action="remove" aria-label={name}
            title={if disabled { why_disabled } else { None }}
            disabled={disabled} onclick={onclick}>
            { tr(lang, "删除", "Remove") }
        </button>
    }
}

/// A row whose entry is not an object: the engine's message for it across the row, and remove.
fn not_an_object_row(
    state: &UiState,
    prefix: &str,
    columns: usize,
    remove: Html,
    shown: &mut Vec<String>,
) -> Html {
    shown.push(prefix.to_string());
    let mut messages = state.messages_at(prefix);
    if messages.is_empty() {
        messages.push(
            tr(state.lang, "此行不是对象，无法编辑", "this row is not an object and cannot be edited").into(),
        );
    }
    html! {
        <tr class="row-invalid">
            <td colspan={columns.to_string()}>
                <p class="field-error" role="alert" data-error-for={prefix.to_string()}>{ messages.join("；") }</p>
            </td>
            <td class="row-actions">{ remove }</td>
        </tr>
    }
}

/// The engine's messages about `list` that no cell shows (the list itself is not a list, a row
/// lacks `opening`, an unknown key), in full with their paths; `skip` leaves out paths shown elsewhere.
pub(crate) fn unshown_problems(
    state: &UiState,
    list: &str,
    shown: &[String],
    skip: impl Fn(&str) -> bool,
) -> Html {
    let row_prefix = format!("{list}[");
    let messages: Vec<String> = state
        .issues
        .iter()
        .filter(|issue| issue.path == list || issue.path.starts_with(&row_prefix))
        .filter(|issue| !shown.contains(&issue.path) && !skip(&issue.path))
        .map(|issue| issue.message(state.lang))
        .collect();
    if messages.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="table-problems" data-problems-for={list.to_string()}>
            { for messages.into_iter().map(|m| html! { <li>{ m }</li> }) }
        </ul>
    }
}

/// The entries of the top-level list `key`, or none when it is missing or not a list.
pub(crate) fn list<'a>(state: &'a UiState, key: &str) -> &'a [Value] {
    state.doc.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// The institutions as `(id, "name（id）")` choices, for event and target selects.
fn institution_choices(state: &UiState) -> Vec<(String, String)> {
    list(state, "institutions")
        .iter()
        .filter_map(|item| {
            let id = item.get("id").and_then(Value::as_str)?;
            let name = item.get("name").and_then(Value::as_str).filter(|n| !n.trim().is_empty() && *n != id);
            let text = match (name, state.lang) {
                (Some(name), Lang::Zh) => format!("{name}（{id}）"),
                (Some(name), Lang::En) => format!("{name} ({id})"),
                (None, _) => id.to_string(),
            };
            Some((id.to_string(), text))
        })
        .collect()
}

/// A target's scopes, as `(value, text)`: the region, each zone (`zone:NAME`, v2) in the order
/// the institutions first name it, then each institution.
fn scope_choices(state: &UiState) -> Vec<(String, String)> {
    let mut scopes = vec![("region".to_string(), Scope::Region.label(state.lang))];
    let mut zones: Vec<&str> = Vec::new();
    for item in list(state, "institutions") {
        if let Some(zone) = item.get("zone").and_then(Value::as_str).filter(|z| !z.is_empty())
            && !zones.contains(&zone)
        {
            zones.push(zone);
        }
    }
    for zone in zones {
        let scope = Scope::Zone(zone.to_string());
        scopes.push((scope.name().into_owned(), scope.label(state.lang)));
    }
    scopes.extend(institution_choices(state));
    scopes
}

/// The opening fields an institution marks as illustrative.
fn illustrative_fields(item: &Value) -> Vec<&str> {
    item.pointer("/opening/illustrative")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

pub(crate) fn unit_of(state: &UiState) -> String {
    state
        .doc
        .get("unit")
        .and_then(Value::as_str)
        .filter(|u| !u.trim().is_empty())
        .unwrap_or("亿元")
        .to_string()
}

pub(crate) fn unit_suffix(lang: Lang, unit: &str) -> String {
    match lang {
        Lang::Zh => format!("（{unit}）"),
        Lang::En => format!(" ({unit})"),
    }
}

/// An accessible name that says which row a cell belongs to: `全辖银行业机构 期初贷款`.
fn cell_label(lang: Lang, row_name: &str, column: &str) -> String {
    match lang {
        Lang::Zh => format!("{row_name} {column}"),
        Lang::En => format!("{column}, {row_name}"),
    }
}

fn row_number(lang: Lang, i: usize) -> String {
    match lang {
        Lang::Zh => format!("第 {} 行", i.saturating_add(1)),
        Lang::En => format!("row {}", i.saturating_add(1)),
    }
}

/// A JSON value as the text a select compares with: strings as they are, null or absent as none.
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A target's year, written as a number or as text.
fn year_of(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => crate::fields::normalise_number(s).parse().ok(),
        _ => None,
    }
}

/// The reference row for `year`, or the nearest year the table has (the latest when no year is known).
fn nearest_national_average(year: Option<i64>) -> &'static NationalAverage {
    let last = &NATIONAL_NPL_RATIO[NATIONAL_NPL_RATIO.len() - 1];
    match year {
        Some(year) => NATIONAL_NPL_RATIO
            .iter()
            .min_by_key(|row| (i64::from(row.year) - year).unsigned_abs())
            .unwrap_or(last),
        None => last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Clone, Copy)]
    enum Table {
        Institutions,
        Events,
        Targets,
    }

    fn render(state: &UiState, table: Table) -> String {
        let page = || PageState(std::rc::Rc::new(state.clone()));
        let props = || TableProps { state: page(), dispatch: Callback::noop() };
        let lists = || ListProps { state: page(), dispatch: Callback::noop() };
        match table {
            Table::Institutions => futures::executor::block_on(
                yew::LocalServerRenderer::<InstitutionsTable>::with_props(props()).hydratable(false).render(),
            ),
            Table::Events => futures::executor::block_on(
                yew::LocalServerRenderer::<EventsTable>::with_props(lists()).hydratable(false).render(),
            ),
            Table::Targets => futures::executor::block_on(
                yew::LocalServerRenderer::<TargetsEditor>::with_props(lists()).hydratable(false).render(),
            ),
        }
    }

    fn render_all(state: &UiState) -> String {
        [Table::Institutions, Table::Events, Table::Targets].iter().map(|t| render(state, *t)).collect()
    }

    #[track_caller]
    fn check_contains(html: &str, wanted: &[&str]) {
        for w in wanted {
            assert!(html.contains(w), "missing {w:?} in:\n{html}");
        }
    }

    /// Written for one institution: the Licheng plan as one aggregate institution.
    fn licheng() -> UiState {
        crate::state::aggregate(Lang::Zh)
    }

    fn yangjiang() -> UiState {
        let mut state = licheng();
        state.apply(Action::LoadPreset("yangjiang-2016-2018".into()));
        assert!(!state.is_stale(), "{:?}", state.issues);
        state
    }

    #[test]
    fn licheng_renders_every_cell_with_its_path() {
        let state = licheng();
        let html = render(&state, Table::Institutions);
        check_contains(
            &html,
            &[
                "银行业机构",
                "编号",
                "名称",
                "类型",
                "街道/园区",
                "期初存款",
                "期初不良贷款",
                "贷款损失准备",
                "（亿元）",
                "class=\"table-scroll editable\"",
                "data-field=\"institutions[0].id\"",
                "data-field=\"institutions[0].name\"",
                "data-field=\"institutions[0].zone\"",
                "data-field=\"institutions[0].kind\"",
                "data-field=\"institutions[0].opening.deposits\"",
                "data-field=\"institutions[0].opening.loans\"",
                "data-field=\"institutions[0].opening.npl\"",
                "data-field=\"institutions[0].opening.provisions\"",
                "value=\"other\" selected",
                "大型国有银行",
                "村镇银行",
                "aria-label=\"删除 全辖银行业机构\"",
                ">全辖银行业机构 期初不良贷款（亿元）</label>",
                "class=\"badge illustrative\"",
                "示意",
                "+ 添加机构",
            ],
        );
        // The only institution cannot be removed.
        let remove = html.find("aria-label=\"删除 全辖银行业机构\"").unwrap();
        let button_end = remove + html[remove..].find('>').unwrap();
        assert!(html[remove..button_end].contains("disabled"), "{}", &html[remove..button_end]);
        assert!(!html.contains("style="), "inline styles are forbidden by the page's CSP");

        let html = render(&state, Table::Events);
        check_contains(
            &html,
            &[
                "风险暴露事件",
                "正常贷款转为不良贷款",
                "月份（YYYY-MM）",
                "data-field=\"events[0].month\"",
                "value=\"2019-07\"",
                "data-field=\"events[0].institution\"",
                "value=\"all\" selected",
                "全辖银行业机构（all）",
                "data-field=\"events[0].amount\"",
                "data-field=\"events[0].label\"",
                "aria-label=\"删除 事件 1\"",
            ],
        );

        let html = render(&state, Table::Targets);
        check_contains(
            &html,
            &[
                "目标值",
                "条件",
                "范围",
                "data-field=\"targets[0].id\"",
                "data-field=\"targets[0].metric\"",
                "data-field=\"targets[0].op\"",
                "data-field=\"targets[0].value\"",
                "data-field=\"targets[0].year\"",
                "data-field=\"targets[0].scope\"",
                "value=\"region\" selected",
                "value=\"ge\" selected",
                "value=\"deposits\" selected",
                "不良贷款率",
                // The NPL-ratio cap, typed in percent, may switch to the national average.
                "<input value=\"1.01\" id=\"f-targets-4--value\"",
                "data-field=\"targets[4].value\" data-unit=\"percent\"",
                "data-role=\"national-average\"",
                "aria-label=\"删除 目标 npl_cap\"",
            ],
        );
        assert!(!html.contains("checked"), "no Licheng target uses the national average");
    }

    #[test]
    fn yangjiang_shows_its_institutions_and_the_national_average() {
        let state = yangjiang();
        let html = render(&state, Table::Institutions);
        check_contains(
            &html,
            &[
                "阳江农商银行",
                "data-field=\"institutions[4].opening.tier1_capital\"",
                "data-field=\"institutions[0].opening.leverage_exposure\"",
                "value=\"rural\" selected",
                "value=\"village\" selected",
                "value=\"large_state\" selected",
                "aria-label=\"删除 阳江农商银行\"",
                "一级资本",
            ],
        );
        assert!(!html.contains("disabled"), "with several institutions each can be removed");
        assert!(html.matches("class=\"badge illustrative\"").count() > 20);

        let html = render(&state, Table::Targets);
        check_contains(
            &html,
            &[
                "value=\"yj_rcb\" selected",
                "阳江农商银行（yj_rcb）",
                "value=\"leverage_ratio\" selected",
                "<input checked type=\"checkbox\" data-field=\"targets[12].value\" data-role=\"national-average\"",
                "2018 年末 1.83%",
                // Each zone is a scope (v2), once, in the order the institutions name it.
                "<option value=\"zone:江城区\">片区 江城区</option>",
                "<option value=\"zone:阳春市\">片区 阳春市</option>",
            ],
        );
        assert_eq!(html.matches("value=\"zone:江城区\"").count(), 13, "one option per target row");
        // The national-average target shows the figure instead of a number field.
        assert!(!html.contains("id=\"f-targets-12--value\""), "{html}");
        assert!(render(&state, Table::Events).contains("暂无风险暴露事件"));
    }

    #[test]
    fn an_invalid_cell_shows_the_engine_message_in_place() {
        let mut state = licheng();
        state.apply(Action::SetField { path: "institutions[0].opening.npl".into(), text: "9999".into() });
        let message = state.messages_at("institutions[0].opening.npl");
        assert_eq!(message.len(), 1, "{:?}", state.issues);
        let html = render(&state, Table::Institutions);
        check_contains(
            &html,
            &[
                "value=\"9999\"",
                "aria-invalid=\"true\"",
                "data-error-for=\"institutions[0].opening.npl\"",
                &message[0],
            ],
        );
        assert!(!html.contains("table-problems"), "the message is shown in its cell, not again below");
        // Read out alone (role="alert"), the message says which cell it is about; on screen the
        // row and column already do.
        let name = html.find("field-error-name visually-hidden").expect("the message names its cell");
        assert!(html[name..].starts_with("field-error-name visually-hidden\">全辖银行业机构 "), "{html}");
    }

    #[test]
    fn wrong_choices_are_shown_not_hidden() {
        let mut state = yangjiang();
        state.apply(Action::SetChoice { path: "institutions[1].kind".into(), value: json!("bank") });
        let html = render(&state, Table::Institutions);
        check_contains(
            &html,
            &["value=\"bank\" selected", "bank（无效）", "data-error-for=\"institutions[1].kind\""],
        );
        // One wrong institution hides the list of ids from the engine's checks: test targets apart.
        let mut state = yangjiang();
        state.apply(Action::SetChoice { path: "targets[0].scope".into(), value: json!("nobody") });
        check_contains(
            &render(&state, Table::Targets),
            &["nobody（无效）", "data-error-for=\"targets[0].scope\""],
        );
        // The national average of a year the reference table does not have: said beside the box.
        let mut state = licheng();
        state.apply(Action::LoadBlank { start_year: 2025 });
        state.apply(Action::AddTarget);
        state.apply(Action::SetChoice { path: "targets[0].metric".into(), value: json!("npl_ratio") });
        state.apply(national_average_choice("targets[0].value", true, Some(2026)));
        check_contains(
            &render(&state, Table::Targets),
            &["data-error-for=\"targets[0].value\"", "该年无全国数据", "aria-invalid=\"true\""],
        );
    }

    #[test]
    fn english_headers() {
        let mut state = yangjiang();
        state.apply(Action::SetLang(Lang::En));
        check_contains(
            &render(&state, Table::Institutions),
            &[
                "Institutions",
                "Opening deposits (亿元)",
                "Opening NPL",
                "Kind",
                "Zone",
                "Rural financial institution",
            ],
        );
        let mut licheng = licheng();
        licheng.apply(Action::SetLang(Lang::En));
        check_contains(
            &render(&licheng, Table::Events),
            &[
                "Large-exposure events",
                "becomes NPL",
                "Month (YYYY-MM)",
                "Amount<span class=\"col-unit\"> (亿元)",
                "Remove event 1",
            ],
        );
        check_contains(
            &render(&state, Table::Targets),
            &["Targets", "Metric", "Condition", "Scope", "NPL ratio", "≥ at least", "end-2018 1.83%"],
        );
        assert!(!render_all(&state).contains("期初存款"));
    }

    #[test]
    fn sixty_institutions_are_one_table_edited_a_page_at_a_time() {
        let mut state = licheng();
        for _ in 0..59 {
            state.apply(Action::AddInstitution);
        }
        assert!(!state.is_stale(), "{:?}", state.issues);
        let html = render(&state, Table::Institutions);
        assert_eq!(html.matches("<table").count(), 1);
        check_contains(
            &html,
            &[
                "data-field=\"institutions[49].opening.npl\"",
                "共 60 家",
                "<thead>",
                "第 1 页，共 2 页（第 1–50 行，共 60 行）",
                "data-action=\"institutions-next-page\"",
            ],
        );
        assert!(!html.contains("institutions[50]"), "the second page is rendered too");
        // A problem on a row of another page is still said, under the table.
        state.apply(Action::SetField { path: "institutions[55].opening.npl".into(), text: "-1".into() });
        let html = render(&state, Table::Institutions);
        assert!(html.contains("data-problems-for=\"institutions\""), "{html}");
    }

    #[test]
    fn pages_are_clamped() {
        let table = [
            (0, 0, 0..0, 0),
            (10, 3, 0..10, 0),
            (50, 1, 0..50, 0),
            (51, 1, 50..51, 1),
            (500, 99, 450..500, 9),
        ];
        for (count, page, rows, at) in table {
            assert_eq!(super::page_rows(count, page), (rows, at), "{count} rows, page {page}");
        }
    }

    #[test]
    fn no_document_shape_panics() {
        let shapes = [
            json!(null),
            json!([]),
            json!("text"),
            json!({}),
            json!({"institutions": "x", "events": 5, "targets": {"a": 1}}),
            json!({"institutions": [1, null, {"opening": 3}], "events": [[], {"month": 7, "institution": 1}],
                   "targets": [2, {"metric": 3, "op": null, "value": [], "year": "x", "scope": {}}]}),
            json!({"institutions": [{"id": "a", "kind": 5, "opening": {"illustrative": "deposits"}}],
                   "targets": [{"metric": "npl_ratio", "value": "national_average", "year": "2018"}]}),
        ];
        for shape in shapes {
            let mut state = licheng();
            state.apply(Action::LoadText { text: shape.to_string(), source: crate::state::Source::Link });
            let html = render_all(&state);
            assert!(html.contains("银行业机构"), "{shape}");
        }
        let mut state = licheng();
        let doc = json!({"institutions": [1, {"id": "a", "opening": null}], "targets": [{"metric": 3}]});
        state.apply(Action::LoadText { text: doc.to_string(), source: crate::state::Source::Link });
        let html = render_all(&state);
        check_contains(
            &html,
            &[
                "class=\"row-invalid\"",
                "data-error-for=\"institutions[0]\"",
                "class=\"table-problems\"",
                "3（无效）",
            ],
        );
    }

    #[test]
    fn the_national_average_box_stores_the_word_or_the_figure() {
        let mut state = yangjiang();
        let path = "targets[12].value";
        state.apply(national_average_choice(path, false, Some(2018)));
        assert_eq!(state.doc["targets"][12]["value"], json!("0.0183"));
        assert_eq!(state.field_text(path), "1.83");
        assert!(!state.is_stale(), "{:?}", state.issues);
        state.apply(national_average_choice(path, true, Some(2018)));
        assert_eq!(state.doc["targets"][12]["value"], json!("national_average"));
        assert!(!state.is_stale());
        // Years outside the table take the nearest year's figure.
        let cases = [(Some(2030), "0.015"), (Some(2000), "0.0125"), (None, "0.015"), (Some(2019), "0.0186")];
        for (year, want) in cases {
            assert_eq!(
                national_average_choice("v", false, year),
                Action::SetChoice { path: "v".into(), value: json!(want) },
                "{year:?}"
            );
        }
    }

    #[test]
    fn every_kind_has_a_name_in_both_languages() {
        for kind in Kind::NAMES {
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(kind_name(lang, kind), kind, "{kind} has no {lang:?} name");
            }
        }
    }
}
