//! Spreadsheet tools: import institutions from .xlsx/.csv, download the template, export the workbook; and the import's problems, cell by cell.
//!
//! The work is done by the separate spreadsheet module (`crates/delever-sheets`), which the
//! page loads only on first use; this component only passes bytes and JSON to it.

use serde_json::Value;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::components::latest::Latest;
use crate::i18n::tr;
use crate::state::{Action, LoadProblem, PageState, SheetIssue, Source};
use crate::web;

/// Compared by what the tools show (the language, the import's problems, whether there is a
/// result to export) when the page hands over [`Latest`], from which the buttons read the
/// document and the result when pressed; else by the page state, as every other part.
#[derive(Properties)]
pub struct SheetsProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
    #[prop_or_default]
    pub latest: Option<Latest>,
}

impl PartialEq for SheetsProps {
    fn eq(&self, other: &SheetsProps) -> bool {
        let (a, b) = (&self.state, &other.state);
        self.dispatch == other.dispatch
            && self.latest == other.latest
            && (a == b
                || (self.latest.is_some()
                    && a.lang == b.lang
                    && a.sheet_issues == b.sheet_issues
                    && a.current.is_some() == b.current.is_some()))
    }
}

/// The largest spreadsheet read (the engine's input limit).
pub(crate) const MAX_BYTES: usize = delever_model::MAX_INPUT_BYTES;

pub(crate) const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) fn lang_code(lang: delever_model::Lang) -> &'static str {
    match lang {
        delever_model::Lang::Zh => "zh",
        delever_model::Lang::En => "en",
    }
}

/// What the spreadsheet module's `importInstitutions` answered, as an action.
pub fn import_answer(name: &str, answer: &str) -> Action {
    match sheet_answer(name, answer) {
        Ok(scenario) => {
            Action::LoadText { text: scenario.to_string(), source: Source::Imported(name.into()) }
        }
        Err(action) => action,
    }
}

/// The scenario an import of the spreadsheet module answered (`{"ok":true,"scenario":…}`),
/// or the action that says why not: its problems cell by cell ([`Action::ReportSheetIssues`])
/// or an unreadable answer ([`Action::ReportLoadProblem`]).
pub fn sheet_answer(name: &str, answer: &str) -> Result<Value, Action> {
    let parsed: Option<Value> = serde_json::from_str(answer).ok();
    Err(match parsed {
        Some(mut v) if v.get("ok") == Some(&Value::Bool(true)) => match v.get_mut("scenario") {
            Some(scenario) => return Ok(scenario.take()),
            None => unreadable(name, "no scenario in the answer"),
        },
        Some(v) => {
            let issues = v
                .get("issues")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .map(|i| SheetIssue {
                            sheet: i.get("sheet").and_then(Value::as_str).unwrap_or_default().to_string(),
                            row: i
                                .get("row")
                                .and_then(Value::as_u64)
                                .and_then(|r| u32::try_from(r).ok())
                                .unwrap_or(0),
                            column: i.get("column").and_then(Value::as_str).unwrap_or_default().to_string(),
                            message: i.get("message").and_then(Value::as_str).unwrap_or_default().to_string(),
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            if issues.is_empty() {
                unreadable(name, "the spreadsheet module gave no reason")
            } else {
                Action::ReportSheetIssues(issues)
            }
        }
        None => unreadable(name, answer),
    })
}

pub(crate) fn unreadable(name: &str, why: &str) -> Action {
    Action::ReportLoadProblem(LoadProblem {
        zh: format!("无法导入 {name}：{why}"),
        en: format!("cannot import {name}: {why}"),
    })
}

/// Reads the file chosen in `event` (at most [`MAX_BYTES`]) and hands its bytes, the
/// document `doc` and the file's name to the spreadsheet module's `function`; `answer`
/// turns the module's reply text (or why there is none) into the action dispatched.
pub(crate) fn import_chosen(
    event: &Event,
    doc: String,
    lang: delever_model::Lang,
    function: &'static str,
    dispatch: Callback<Action>,
    answer: fn(&str, Result<String, String>) -> Action,
) {
    web::read_chosen_bytes(event, MAX_BYTES, move |name, bytes| match bytes {
        Err(web::ReadError::TooLarge(size)) => dispatch.emit(Action::ReportLoadProblem(LoadProblem {
            zh: format!("{name} 有 {size} 字节，超过上限 {MAX_BYTES} 字节（10 MiB），未导入"),
            en: format!(
                "{name} is {size} bytes, over the limit of {MAX_BYTES} bytes (10 MiB); nothing was imported"
            ),
        })),
        Err(web::ReadError::Unreadable(why)) => dispatch.emit(unreadable(&name, &why)),
        Ok(bytes) => {
            let args = vec![
                JsValue::from_str(&doc),
                js_sys::Uint8Array::from(bytes.as_slice()).into(),
                JsValue::from_str(&name),
                JsValue::from_str(lang_code(lang)),
            ];
            web::call_sheets(function, args, move |reply| {
                dispatch.emit(answer(&name, reply.map(|text| text.as_string().unwrap_or_default())))
            });
        }
    });
}

#[function_component(SpreadsheetTools)]
pub fn spreadsheet_tools(props: &SheetsProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let code = lang_code(lang);
    // The state on screen when a button is pressed (this part may not have re-rendered since).
    let now = {
        let latest = props.latest.clone().unwrap_or_default();
        let state = state.clone();
        move || latest.get_or(&state)
    };
    let on_import = {
        let dispatch = props.dispatch.clone();
        let now = now.clone();
        Callback::from(move |event: Event| {
            // Serialised when a file is chosen, not on every render.
            let answer = |name: &str, reply: Result<String, String>| match reply {
                Ok(text) => import_answer(name, &text),
                Err(why) => unreadable(name, &why),
            };
            import_chosen(
                &event,
                now().doc.to_string(),
                lang,
                "importInstitutions",
                dispatch.clone(),
                answer,
            );
        })
    };
    let fail = |dispatch: Callback<Action>, what: &'static str| {
        move |why: String| {
            dispatch.emit(Action::ReportLoadProblem(LoadProblem {
                zh: format!("{what}失败：{why}"),
                en: format!("{what} failed: {why}"),
            }))
        }
    };
    let template = |format: &'static str| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| {
            let fail = fail(dispatch.clone(), "模板下载 / template");
            web::call_sheets(
                "template",
                vec![JsValue::from_str(format), JsValue::from_str(code)],
                move |answer| match answer {
                    Ok(bytes) => {
                        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
                        let (file, mime) = if format == "xlsx" {
                            ("delever-institutions-template.xlsx", XLSX_MIME)
                        } else {
                            ("delever-institutions-template.csv", "text/csv;charset=utf-8")
                        };
                        web::download_bytes(file, mime, &bytes);
                    }
                    Err(why) => fail(why),
                },
            );
        })
    };
    let export = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| {
            let Some(current) = now().current.clone() else { return };
            let scenario = current.text().to_string();
            let name = current.scenario.name.clone();
            let stamp = current.stamp(&crate::export::page_address()).to_json();
            let fail = fail(dispatch.clone(), "导出工作簿 / workbook export");
            let args = vec![JsValue::from_str(&scenario), JsValue::from_str(&stamp), JsValue::from_str(code)];
            web::call_sheets("exportWorkbook", args, move |answer| match answer {
                Ok(bytes) => web::download_bytes(
                    &format!("{name}.xlsx"),
                    XLSX_MIME,
                    &js_sys::Uint8Array::new(&bytes).to_vec(),
                ),
                Err(why) => fail(why),
            });
        })
    };
    let dismiss = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.emit(Action::ReportSheetIssues(Vec::new())))
    };
    let issues = issues_view(lang, &state.sheet_issues, dismiss, "dismiss-sheet-issues");
    html! {
        <div class="sheet-tools">
            <label class="file-button">{ tr(lang, "从表格导入机构…", "Import institutions…") }
                <input type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    data-field="ui.import_sheet" onchange={on_import} />
            </label>
            <button type="button" data-action="template-xlsx" onclick={template("xlsx")}>{ tr(lang, "下载模板（xlsx）", "Template (xlsx)") }</button>
            <button type="button" data-action="template-csv" onclick={template("csv")}>{ tr(lang, "模板（csv）", "Template (csv)") }</button>
            <button type="button" data-action="export-xlsx" onclick={export} disabled={state.current.is_none()}>{ tr(lang, "导出工作簿", "Export workbook") }</button>
            { issues }
        </div>
    }
}

/// A spreadsheet's (or a paste's) problems, cell by cell, with a button that dismisses them
/// (`action` names it for tests); nothing when there are none.
pub(crate) fn issues_view(
    lang: delever_model::Lang,
    issues: &[SheetIssue],
    dismiss: Callback<MouseEvent>,
    action: &'static str,
) -> Html {
    if issues.is_empty() {
        return Html::default();
    }
    html! {
        <div class="sheet-issues" role="alert">
            <p>{ tr(lang, "表格有以下问题，未导入任何数据：", "The spreadsheet has these problems; nothing was imported:") }</p>
            <table>
                <thead><tr>
                    <th scope="col">{ tr(lang, "工作表", "Sheet") }</th>
                    <th scope="col">{ tr(lang, "行", "Row") }</th>
                    <th scope="col">{ tr(lang, "列", "Column") }</th>
                    <th scope="col">{ tr(lang, "问题", "Problem") }</th>
                </tr></thead>
                <tbody>
                    { for issues.iter().map(|i| html! {
                        <tr data-sheet={i.sheet.clone()} data-row={i.row.to_string()} data-column={i.column.clone()}>
                            <td>{ &i.sheet }</td>
                            <td>{ if i.row == 0 { String::from("—") } else { i.row.to_string() } }</td>
                            <td>{ &i.column }</td>
                            <td>{ &i.message }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" data-action={action} onclick={dismiss}>{ tr(lang, "知道了", "Dismiss") }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modules_answers_become_actions() {
        let preset = delever_model::presets::get("licheng-2019").unwrap().json;
        let ok = format!("{{\"ok\":true,\"scenario\":{preset}}}");
        assert!(
            matches!(import_answer("a.xlsx", &ok), Action::LoadText { source: Source::Imported(n), .. } if n == "a.xlsx")
        );
        let bad =
            r#"{"ok":false,"issues":[{"sheet":"机构","row":3,"column":"不良贷款","message":"应为数字"}]}"#;
        match import_answer("a.xlsx", bad) {
            Action::ReportSheetIssues(issues) => {
                assert_eq!(issues.len(), 1);
                assert_eq!((issues[0].row, issues[0].column.as_str()), (3, "不良贷款"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(import_answer("a.xlsx", "garbage"), Action::ReportLoadProblem(_)));
        assert!(matches!(
            import_answer("a.xlsx", r#"{"ok":false,"issues":[]}"#),
            Action::ReportLoadProblem(_)
        ));
    }
}
