//! `<ActualsEditor/>`: the banks' reported months (实际数据, MODEL.md section 9) as a month-by-institution grid to type into, paste from Excel or import from .xlsx/.csv.
//!
//! One month is shown at a time (the last reported by default), one row per institution, a
//! page of rows at a time as in the other tables. Every cell is a [`Field`] bound to its
//! path (`actuals[i].loans`), so a wrong value gets the engine's message in place and what
//! was typed is kept. A paste or a file goes through the spreadsheet module, which
//! takes the whole set of reports or nothing and names every bad cell by row and column.

use delever_model::Lang;
use delever_model::scenario::CHANNELS;
use serde_json::Value;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::actuals;
use crate::charts::labels::Labels;
use crate::components::field::Field;
use crate::components::sheets::{XLSX_MIME, import_chosen, issues_view, lang_code, sheet_answer, unreadable};
use crate::components::tables::{
    institution_names, list, page_rows, pager, part_shows_the_same, unit_of, unit_suffix, unshown_problems,
};
use crate::i18n::tr;
use crate::state::{Action, LoadProblem, PageState, UiState};
use crate::web;

/// Compared by what the grid shows: the reported months, the institutions' ids and names,
/// what is typed and wrong under `actuals`, the paste's problems, the horizon and the
/// language. A lever move leaves it as it is.
#[derive(Properties)]
pub struct ActualsProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

impl PartialEq for ActualsProps {
    fn eq(&self, other: &ActualsProps) -> bool {
        self.dispatch == other.dispatch
            && (self.state == other.state || shows_the_same(&self.state, &other.state))
    }
}

/// Whether the actuals grid looks the same in both states.
pub fn shows_the_same(a: &UiState, b: &UiState) -> bool {
    fn horizon(s: &UiState) -> Option<&Vec<String>> {
        s.current.as_ref().map(|c| &c.projection.months)
    }
    part_shows_the_same(a, b, "actuals")
        && a.actuals_issues == b.actuals_issues
        && institution_names(a).eq(institution_names(b))
        && horizon(a) == horizon(b)
}

#[function_component(ActualsEditor)]
pub fn actuals_editor(props: &ActualsProps) -> Html {
    let ActualsProps { state, dispatch } = props;
    let lang = state.lang;
    let months = actuals::months(&state.doc);
    let chosen = use_state(|| None::<String>);
    let page = use_state(|| 0usize);
    let paste = use_state(String::new);
    // The month shown: the one picked while it is still reported, else the last reported.
    let month = chosen.as_ref().filter(|m| months.contains(m)).or(months.last()).cloned();
    let horizon = state.current.as_ref().map(|c| c.projection.months.clone()).unwrap_or_default();
    let next = actuals::next_month(&state.doc, &horizon);
    let institutions = list(state, "institutions");
    let (range, at) = page_rows(institutions.len(), *page);
    let unit = unit_of(state);
    let mut shown = Vec::new();
    let rows: Vec<Html> = match &month {
        Some(month) => institutions
            .iter()
            .skip(range.start)
            .take(range.len())
            .map(|inst| row(state, dispatch, month, inst, &mut shown))
            .collect(),
        None => Vec::new(),
    };
    let problems = unshown_problems(state, "actuals", &shown, |_| false);

    let on_month = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| chosen.set(Some(web::event_value(&event))))
    };
    let on_add = {
        let dispatch = dispatch.clone();
        let chosen = chosen.clone();
        let next = next.clone();
        Callback::from(move |_: MouseEvent| {
            chosen.set(next.clone());
            dispatch.emit(Action::AddActualsMonth)
        })
    };
    let on_remove = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::RemoveActualsMonth))
    };
    let on_paste_text = {
        let paste = paste.clone();
        Callback::from(move |event: InputEvent| paste.set(web::event_value(&event)))
    };
    // The document is serialised when a button is pressed, not on every render.
    let doc = state.doc.clone();
    let on_paste = {
        let dispatch = dispatch.clone();
        let paste = paste.clone();
        let doc = doc.clone();
        Callback::from(move |_: MouseEvent| {
            let args = vec![
                JsValue::from_str(&doc.to_string()),
                JsValue::from_str(&paste),
                JsValue::from_str(lang_code(lang)),
            ];
            let dispatch = dispatch.clone();
            let name = tr(lang, "粘贴内容", "pasted rows");
            web::call_sheets("importActualsText", args, move |answer| {
                dispatch.emit(taken(name, answer.map(|text| text.as_string().unwrap_or_default())));
            });
        })
    };
    let on_file = {
        let dispatch = dispatch.clone();
        let doc = doc.clone();
        Callback::from(move |event: Event| {
            import_chosen(&event, doc.to_string(), lang, "importActuals", dispatch.clone(), taken);
        })
    };
    let template = |format: &'static str| {
        let dispatch = dispatch.clone();
        let doc = doc.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            let args = vec![
                JsValue::from_str(&doc.to_string()),
                JsValue::from_str(format),
                JsValue::from_str(lang_code(lang)),
            ];
            web::call_sheets("actualsTemplate", args, move |answer| match answer {
                Ok(bytes) => {
                    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
                    let (file, mime) = if format == "xlsx" {
                        ("delever-actuals-template.xlsx", XLSX_MIME)
                    } else {
                        ("delever-actuals-template.csv", "text/csv;charset=utf-8")
                    };
                    web::download_bytes(file, mime, &bytes);
                }
                Err(why) => dispatch.emit(Action::ReportLoadProblem(LoadProblem {
                    zh: format!("模板下载失败：{why}"),
                    en: format!("the template download failed: {why}"),
                })),
            });
        })
    };
    let dismiss = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ReportActualsIssues(Vec::new())))
    };
    let as_of = match (lang, months.last()) {
        (Lang::Zh, Some(m)) => format!("已报送至 {m}，共 {} 个月", months.len()),
        (Lang::En, Some(m)) => format!("reported to {m}, {} months", months.len()),
        (Lang::Zh, None) => "尚无实际数据".to_string(),
        (Lang::En, None) => "no months reported".to_string(),
    };
    let heads = COLUMNS.iter().map(|(_, zh, en)| {
        html! { <th scope="col" class="num">{ tr(lang, zh, en) }<span class="col-unit">{ unit_suffix(lang, &unit) }</span></th> }
    });
    html! {
        <section class="card edit-card actuals" aria-labelledby="actuals-title" data-table="actuals">
            <header class="card-head">
                <h2 id="actuals-title">{ tr(lang, "实际数据（月报）", "Actuals (monthly reports)") }</h2>
                <span class="unit" data-as-of={months.last().cloned()}>{ as_of }</span>
            </header>
            <p class="explain">
                { tr(lang,
                    "逐月录入各机构报送的存款、贷款、不良贷款与当月处置额（处置可填合计或分渠道）；拨备与不良生成可不填（由模型推算）。最后一个报送月之后的月份按计划重新预测，并把全年计划尚未完成的部分摊到剩余月份。",
                    "Enter each institution's reported deposits, loans, NPL and the month's disposals (a total or by channel); provisions and formation may be left empty (the model derives them). The months after the last report are re-forecast, catching up what is left of the year's plan over the months that remain.") }
            </p>
            <div class="actuals-tools">
                if !months.is_empty() {
                    <label>{ tr(lang, "月份 ", "Month ") }
                        <select data-field="ui.actuals_month" onchange={on_month}>
                            { for months.iter().map(|m| html! {
                                <option value={m.clone()} selected={Some(m) == month.as_ref()}>{ m }</option>
                            }) }
                        </select>
                    </label>
                }
                <button type="button" data-action="actuals-add-month" onclick={on_add} disabled={next.is_none()}>
                    { match (&next, lang) {
                        (Some(m), Lang::Zh) => format!("添加 {m} 月报"),
                        (Some(m), Lang::En) => format!("Add {m}"),
                        (None, Lang::Zh) => "已报送至期末".to_string(),
                        (None, Lang::En) => "Reported to the horizon's end".to_string(),
                    } }
                </button>
                <button type="button" data-action="actuals-remove-month" onclick={on_remove} disabled={months.is_empty()}>
                    { tr(lang, "删除最后一个月", "Remove the last month") }
                </button>
                <label class="file-button">{ tr(lang, "从表格导入实际数据…", "Import actuals…") }
                    <input type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        data-field="ui.import_actuals" onchange={on_file} />
                </label>
                <button type="button" data-action="actuals-template-xlsx" onclick={template("xlsx")}>{ tr(lang, "实际数据模板（xlsx）", "Actuals template (xlsx)") }</button>
                <button type="button" data-action="actuals-template-csv" onclick={template("csv")}>{ tr(lang, "模板（csv）", "Template (csv)") }</button>
            </div>
            if let Some(month) = &month {
                <div class="table-scroll editable">
                    <table class="figures edit-table actuals-table" data-month={month.clone()}>
                        <caption class="visually-hidden">{ format!("{} {month}", tr(lang, "实际数据", "Actuals")) }</caption>
                        <thead><tr>
                            <th scope="col" class="sticky-col">{ tr(lang, "机构", "Institution") }</th>
                            { for heads }
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                { pager(lang, "actuals", institutions.len(), at, &page) }
            }
            { problems }
            <details class="actuals-paste">
                <summary>{ tr(lang, "从 Excel 粘贴", "Paste from Excel") }</summary>
                <p class="explain">
                    { tr(lang,
                        "从 Excel 复制含表头的整张表（与模板同列：月份、机构编号、各项存款、各项贷款、不良贷款、处置合计或各渠道、拨备、不良生成），粘贴到下框后点“导入粘贴内容”。粘贴内容替换全部实际数据；有任何问题则不导入。",
                        "Copy the whole table with its header row from Excel (the template's columns: month, institution id, deposits, loans, NPL, the disposal total or each channel, provisions, formation), paste it below and press \"Take the pasted rows\". The rows replace every reported month; if any cell is wrong nothing is taken.") }
                </p>
                <textarea data-field="ui.actuals_paste" rows="6" value={(*paste).clone()} oninput={on_paste_text}
                    aria-label={tr(lang, "粘贴的实际数据", "Pasted actuals")} />
                <button type="button" data-action="actuals-paste" onclick={on_paste} disabled={paste.trim().is_empty()}>
                    { tr(lang, "导入粘贴内容", "Take the pasted rows") }
                </button>
            </details>
            { issues_view(lang, &state.actuals_issues, dismiss, "dismiss-actuals-issues") }
        </section>
    }
}

/// The grid's amount columns: key in an actuals entry, header in Chinese and English.
const COLUMNS: [(&str, &str, &str); 6] = [
    ("deposits", "各项存款", "Deposits"),
    ("loans", "各项贷款", "Loans"),
    ("npl", "不良贷款", "NPL"),
    ("disposal", "当月处置", "Disposed in the month"),
    ("provisions", "拨备（可不填）", "Provisions (optional)"),
    ("formation", "不良生成（可不填）", "Formation (optional)"),
];

/// One institution's row for `month`: its figures as fields, or a note when it has no entry.
fn row(
    state: &PageState,
    dispatch: &Callback<Action>,
    month: &str,
    inst: &Value,
    shown: &mut Vec<String>,
) -> Html {
    let lang = state.lang;
    let id = inst.get("id").and_then(Value::as_str).unwrap_or_default();
    let name = inst.get("name").and_then(Value::as_str).filter(|n| !n.trim().is_empty()).unwrap_or(id);
    let Some(index) = actuals::index_of(&state.doc, month, id) else {
        return html! {
            <tr data-institution={id.to_string()}>
                <th scope="row" class="sticky-col">{ name }</th>
                <td colspan={COLUMNS.len().to_string()} class="missing">
                    { tr(lang, "本月无报送数据", "No report for this month") }
                </td>
            </tr>
        };
    };
    let prefix = format!("actuals[{index}]");
    let field = |key: String, column: &str, shown: &mut Vec<String>| {
        shown.push(key.clone());
        let label = match lang {
            Lang::Zh => format!("{name} {month} {column}"),
            Lang::En => format!("{column}, {name}, {month}"),
        };
        html! { <Field state={state.clone()} dispatch={dispatch.clone()} path={key} label={label} compact=true /> }
    };
    let cells = COLUMNS.iter().map(|(key, zh, en)| {
        let column = tr(lang, zh, en);
        let disposal = crate::path::get(&state.doc, &format!("{prefix}.disposal"));
        let cell = match (key, disposal) {
            // Reported by channel: one field per channel given, each named.
            (&"disposal", Some(Value::Object(channels))) => {
                let labels = Labels::of(lang);
                html! {
                    <div class="channel-cells">
                        { for CHANNELS.iter().enumerate().filter(|(_, c)| channels.contains_key(**c)).map(|(i, c)| {
                            let column = format!("{column}·{}", labels.channel(i));
                            html! {
                                <div class="channel-cell">
                                    <span class="channel-name" aria-hidden="true">{ labels.channel(i) }</span>
                                    { field(format!("{prefix}.disposal.{c}"), &column, shown) }
                                </div>
                            }
                        }) }
                    </div>
                }
            }
            _ => field(format!("{prefix}.{key}"), column, shown),
        };
        html! { <td class="num">{ cell }</td> }
    });
    html! {
        <tr data-institution={id.to_string()}>
            <th scope="row" class="sticky-col">{ name }</th>
            { for cells }
        </tr>
    }
}

/// What an actuals import answered, as an action: the new document as an edit (the baseline
/// stays the plan as loaded), or its problems cell by cell, or why it could not be read.
fn taken(name: &str, answer: Result<String, String>) -> Action {
    match answer {
        Ok(text) => match sheet_answer(name, &text) {
            Ok(scenario) => Action::EditDocument(scenario),
            Err(Action::ReportSheetIssues(issues)) => Action::ReportActualsIssues(issues),
            Err(other) => other,
        },
        Err(why) => unreadable(name, &why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, UiState};

    #[test]
    fn an_answer_becomes_an_edit_or_its_problems() {
        let ok = r#"{"ok":true,"scenario":{"schema":1}}"#;
        assert!(matches!(taken("a.csv", Ok(ok.into())), Action::EditDocument(_)));
        let bad = r#"{"ok":false,"issues":[{"sheet":"实际数据","row":3,"column":"各项贷款","message":"应为数字"}]}"#;
        match taken("a.csv", Ok(bad.into())) {
            Action::ReportActualsIssues(issues) => {
                assert_eq!((issues[0].row, issues[0].column.as_str()), (3, "各项贷款"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(taken("a.csv", Err("gone".into())), Action::ReportLoadProblem(_)));
    }

    #[test]
    fn a_lever_move_leaves_the_grid_alone_and_a_typed_figure_does_not() {
        let mut state = UiState::new(Lang::Zh);
        state.apply(Action::LoadPreset("licheng-2019-may".into()));
        let before = state.clone();
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        assert!(shows_the_same(&before, &state));
        let index =
            actuals::index_of(&state.doc, "2019-05", list(&state, "institutions")[0]["id"].as_str().unwrap())
                .expect("May is reported");
        let before = state.clone();
        state.apply(Action::SetField { path: format!("actuals[{index}].loans"), text: "abc".into() });
        assert!(!shows_the_same(&before, &state));
        assert!(
            state.issues.iter().any(|i| i.path == format!("actuals[{index}].loans")),
            "{:?}",
            state.issues
        );
        assert_eq!(state.field_text(&format!("actuals[{index}].loans")), "abc", "kept as typed");
    }

    #[test]
    fn adding_and_removing_a_month_moves_the_as_of_month() {
        let mut state = UiState::new(Lang::Zh);
        state.apply(Action::LoadPreset("licheng-2019-may".into()));
        let as_of = |s: &UiState| s.current.as_ref().and_then(|c| c.projection.as_of.clone());
        assert_eq!(as_of(&state).as_deref(), Some("2019-05"));
        state.apply(Action::AddActualsMonth);
        assert!(state.issues.is_empty(), "{:?}", state.issues);
        assert_eq!(as_of(&state).as_deref(), Some("2019-06"));
        state.apply(Action::RemoveActualsMonth);
        state.apply(Action::RemoveActualsMonth);
        assert_eq!(as_of(&state).as_deref(), Some("2019-04"));
    }
}
