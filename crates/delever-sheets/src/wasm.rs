//! The JavaScript entry points of the spreadsheet module: `importInstitutions`, `template`, `exportWorkbook`, `exportDecomposition`, `importActuals`, `importActualsText`, `actualsTemplate`.
//!
//! Each is a thin adapter over the library; nothing here can panic (`panic = "abort"` would
//! turn a panic into a trap that takes the module down), every failure is a value or an `Error`.

use delever_model::Lang;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::actuals::columns::PASTE_SHEET;
use crate::{Format, SheetIssue, Stamp};

#[wasm_bindgen]
extern "C" {
    /// The browser's `TextDecoder` (declared here rather than through web-sys, which the
    /// project keeps to the page's `web.rs`).
    type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(label: &str, options: &js_sys::Object) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &TextDecoder, bytes: &[u8]) -> Result<String, JsValue>;
}

/// GB18030 text through the browser's decoder, `None` on a malformed sequence (`fatal`).
pub(crate) fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &JsValue::from_str("fatal"), &JsValue::TRUE).ok()?;
    let decoder = TextDecoder::new("gb18030", &options).ok()?;
    decoder.decode(bytes).ok()
}

/// `zh` or `en` (also `zh-CN`, `en-US`); anything else is Chinese, the product's default.
fn language(lang: &str) -> Lang {
    Lang::parse(lang).unwrap_or_default()
}

/// Replaces the scenario's institutions by those of a spreadsheet.
///
/// Returns JSON text: `{"ok":true,"scenario":{…}}`, or `{"ok":false,"issues":[{"sheet":"机构",
/// "row":3,"column":"期初存款","cell":"E3","message":"…"}]}` with every problem (`row` and
/// `cell` are null for a problem of the whole file or sheet).
#[wasm_bindgen(js_name = importInstitutions)]
pub fn import_institutions(scenario_json: &str, bytes: &[u8], file_name: &str, lang: &str) -> String {
    answer(crate::import_institutions(scenario_json, bytes, file_name), language(lang))
}

/// Replaces the scenario's `actuals` by the reported months of a spreadsheet (.xlsx or .csv).
///
/// Returns the same JSON text as `importInstitutions`: `{"ok":true,"scenario":{…}}`, or
/// `{"ok":false,"issues":[{"sheet":"实际数据","row":3,"column":"不良贷款","cell":"E3","message":"…"}]}`.
#[wasm_bindgen(js_name = importActuals)]
pub fn import_actuals(scenario_json: &str, bytes: &[u8], file_name: &str, lang: &str) -> String {
    answer(crate::import_actuals(scenario_json, bytes, file_name), language(lang))
}

/// Replaces the scenario's `actuals` by cells pasted from Excel (tab-separated, the first row
/// the header); the same JSON text as `importActuals`, the issues' sheet "粘贴内容" ("Pasted
/// text" in English).
#[wasm_bindgen(js_name = importActualsText)]
pub fn import_actuals_text(scenario_json: &str, text: &str, lang: &str) -> String {
    let lang = language(lang);
    let result = crate::import_actuals_text(scenario_json, text).map_err(|issues| {
        issues
            .into_iter()
            .map(|mut issue| {
                if issue.sheet == PASTE_SHEET.0 {
                    issue.sheet = crate::tr(lang, PASTE_SHEET.0, PASTE_SHEET.1).to_string();
                }
                issue
            })
            .collect()
    });
    answer(result, lang)
}

/// An import's answer as JSON text: the new scenario, or every issue in `lang`.
fn answer(result: Result<String, Vec<SheetIssue>>, lang: Lang) -> String {
    let answer = match result {
        Ok(text) => match serde_json::from_str::<Value>(&text) {
            Ok(scenario) => json!({"ok": true, "scenario": scenario}),
            Err(err) => {
                json!({"ok": false, "issues": [{"sheet": "", "row": null, "column": "", "cell": null, "message": err.to_string()}]})
            }
        },
        Err(issues) => {
            json!({"ok": false, "issues": issues.iter().map(|issue| issue.to_json(lang)).collect::<Vec<_>>()})
        }
    };
    answer.to_string()
}

/// The actuals template of a scenario, `format` `"xlsx"` or `"csv"`, headers in `lang`: its
/// reported months (or one blank row per institution for the first month); throws an `Error`
/// for another format or an invalid scenario (the engine's messages, one per line).
#[wasm_bindgen(js_name = actualsTemplate)]
pub fn actuals_template(scenario_json: &str, format: &str, lang: &str) -> Result<Vec<u8>, JsError> {
    let lang = language(lang);
    let Some(format) = Format::parse(format) else {
        return Err(JsError::new(&format!("unknown template format \"{format}\"; use \"xlsx\" or \"csv\"")));
    };
    crate::actuals_template(scenario_json, format, lang).map_err(|err| JsError::new(&err.message(lang)))
}

/// The institutions template, `format` `"xlsx"` or `"csv"`, headers in `lang`.
#[wasm_bindgen]
pub fn template(format: &str, lang: &str) -> Result<Vec<u8>, JsError> {
    let lang = language(lang);
    let Some(format) = Format::parse(format) else {
        return Err(JsError::new(&format!("unknown template format \"{format}\"; use \"xlsx\" or \"csv\"")));
    };
    crate::template(format, lang).map_err(|err| JsError::new(&err.0))
}

/// The results workbook of a scenario; throws an `Error` with the command line's message when
/// the scenario is invalid or infeasible, or when the stamp is not `{"version","data_as_of","link"}`.
#[wasm_bindgen(js_name = exportWorkbook)]
pub fn export_workbook(scenario_json: &str, stamp_json: &str, lang: &str) -> Result<Vec<u8>, JsError> {
    let lang = language(lang);
    let stamp = Stamp::from_json(stamp_json).map_err(|err| JsError::new(&err.message(lang)))?;
    crate::export_workbook(scenario_json, &stamp, lang).map_err(|err| JsError::new(&err.message(lang)))
}

/// The per-bank decomposition workbook (一行一表) of a scenario, in `lang`: the summary, one
/// sheet per institution, the notes; throws an `Error` with the command line's message (in
/// `lang`) when the scenario is invalid or infeasible.
#[wasm_bindgen(js_name = exportDecomposition)]
pub fn export_decomposition(scenario_json: &str, lang: &str) -> Result<Vec<u8>, JsError> {
    let lang = language(lang);
    crate::export_decomposition(scenario_json, lang).map_err(|err| JsError::new(&err.message(lang)))
}
