//! What the page keeps in the browser and in its address: the draft (so a reload loses nothing), the saved scenarios, the language, the `#scenario=` link, and the result sent to an embedding page.
//!
//! Written as little as possible (issue 10): the language and the saved list only when they
//! change; the draft and the address once changes settle ([`SETTLE_MS`]) and whenever the
//! page is hidden or left (`pagehide`, `visibilitychange`), so a slider dragged for a second
//! writes them once, and a reload in the middle of an edit still finds the edit.
//! [`Persister`] holds what was last written; `app.rs` calls it after every change.

use std::rc::Rc;

use delever_model::Lang;
use serde_json::{Value, json};

use crate::state::{Action, Saved, Source, UiState};
use crate::{embed, timing, web};

/// Storage keys.
pub const LANG_KEY: &str = "delever.lang";
pub const DRAFT_KEY: &str = "delever.draft";
pub const SAVED_KEY: &str = "delever.saved";

/// How long changes must pause before the draft and the address are written, in ms.
pub const SETTLE_MS: i32 = 300;

/// The scenarios saved in `text` (the saved list's storage form); whatever does not read is left out.
pub fn saved_list(text: &str) -> Vec<Saved> {
    let Ok(saved) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    saved
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| {
                    Some(Saved { name: i.get("name")?.as_str()?.to_string(), doc: i.get("doc")?.clone() })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Brings back a draft: its baseline as loaded, the last valid scenario (so the numbers on
/// screen are the last good ones), then its document (valid or not) as an edit, and the
/// text typed in each field exactly as it was (`8.50`, `9.` mid-typing, `abc`).
pub fn restore_draft(state: &mut UiState, draft: &Value) {
    if let Some(baseline) = draft.get("baseline").filter(|b| b.is_object()) {
        state.apply(Action::LoadText { text: baseline.to_string(), source: Source::Restored });
    }
    if let Some(good) = draft.get("good").filter(|g| g.is_object()) {
        state.apply(Action::EditDocument(good.clone()));
    }
    if let Some(doc) = draft.get("doc").filter(|d| d.is_object()) {
        state.apply(Action::EditDocument(doc.clone()));
    }
    // Typing the text again stores the same value; a text the document no longer holds
    // (an older draft) is left out rather than allowed to change the document.
    for (path, text) in draft.get("texts").and_then(Value::as_object).into_iter().flatten() {
        let Some(text) = text.as_str() else { continue };
        let kind = crate::fields::FieldKind::of(path, &state.doc);
        if crate::path::get(&state.doc, path) == Some(&crate::fields::to_json(kind, path, text)) {
            state.apply(Action::SetField { path: path.clone(), text: text.to_string() });
        }
    }
}

/// The draft kept in storage, which [`restore_draft`] brings back: the document (valid or
/// not), the text typed in each field, the baseline, the addresses a reload may come back
/// under and, while the document is invalid, the last valid scenario (a reload shows its numbers).
pub fn draft_of(state: &UiState, links: [&str; 2]) -> Value {
    let good = state.current.as_ref().filter(|_| state.is_stale()).map(|c| c.json());
    json!({
        "doc": &*state.doc,
        "good": good,
        "texts": state.texts,
        "baseline": state.baseline.as_ref().map(|b| b.json()),
        "links": links,
    })
}

/// What was last written, and the state to write next.
#[derive(Default)]
pub struct Persister {
    latest: Option<Rc<UiState>>,
    /// `UiState::edits` of the draft last written.
    draft_edits: Option<u64>,
    lang: Option<Lang>,
    saved: Option<Rc<Vec<Saved>>>,
    /// `UiState::version` of the result last sent to an embedding page.
    posted: Option<u64>,
    /// The fragment last written to the address.
    fragment: Option<String>,
}

impl Persister {
    /// After every change: the language and the saved list if they changed, the result to
    /// an embedding page if it is new. The draft and the address wait for [`Persister::flush`].
    pub fn changed(&mut self, state: Rc<UiState>) {
        let started = timing::now();
        if self.lang != Some(state.lang) {
            self.lang = Some(state.lang);
            web::storage_set(LANG_KEY, if state.lang == Lang::En { "en" } else { "zh" });
            web::set_document_lang(if state.lang == Lang::En { "en" } else { "zh-CN" });
        }
        if !self.saved.as_ref().is_some_and(|saved| Rc::ptr_eq(saved, &state.saved)) {
            let saved: Vec<Value> =
                state.saved.iter().map(|s| json!({"name": s.name, "doc": s.doc})).collect();
            web::storage_set(SAVED_KEY, &Value::Array(saved).to_string());
            self.saved = Some(state.saved.clone());
        }
        if let Some(current) = &state.current
            && self.posted != Some(state.version)
        {
            self.posted = Some(state.version);
            if web::is_embedded() {
                web::post_to_parent(&embed::result_message(&current.projection));
            }
        }
        self.latest = Some(state);
        timing::since("persist", started);
    }

    /// Writes the draft and, when the document is valid, its `#scenario=` address, unless
    /// they already hold the latest state.
    pub fn flush(&mut self) {
        let Some(state) = self.latest.clone() else { return };
        if self.draft_edits == Some(state.edits) {
            return;
        }
        let started = timing::now();
        self.draft_edits = Some(state.edits);
        let address_before = web::location_hash();
        let address = match state.current.as_ref().filter(|_| !state.is_stale()) {
            Some(current) => {
                let fragment = current.fragment();
                if self.fragment.as_deref() != Some(fragment) {
                    web::replace_hash(fragment);
                    self.fragment = Some(fragment.to_string());
                }
                fragment.to_string()
            }
            // An invalid edit: the address keeps the last valid scenario.
            None => self.fragment.clone().unwrap_or_else(|| address_before.clone()),
        };
        // A reload under either address comes back to this draft.
        web::storage_set(DRAFT_KEY, &draft_of(&state, [&address_before, &address]).to_string());
        timing::since("persist", started);
    }
}

#[cfg(test)]
mod tests {
    use super::{draft_of, restore_draft, saved_list};
    use crate::state::{Action, UiState};
    use delever_model::Lang;

    #[test]
    fn a_draft_brings_back_the_last_good_numbers_and_every_text_as_typed() {
        let mut state = UiState::new(Lang::Zh);
        state.apply(Action::SetField { path: "defaults.deposit_growth".into(), text: "6".into() });
        state.apply(Action::SetField { path: "defaults.npl_formation_rate".into(), text: "0.80".into() });
        let good = state.current.clone().unwrap();
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "abc".into() });
        assert!(state.is_stale());
        let draft = draft_of(&state, ["#scenario=a", "#scenario=b"]);

        let mut restored = UiState::new(Lang::Zh);
        restore_draft(&mut restored, &draft);
        assert_eq!(restored.doc, state.doc);
        for path in ["defaults.deposit_growth", "defaults.npl_formation_rate", "defaults.loan_growth"] {
            assert_eq!(restored.field_text(path), state.field_text(path), "{path}");
        }
        assert_eq!(restored.field_text("defaults.npl_formation_rate"), "0.80");
        assert_eq!(restored.messages_at("defaults.loan_growth"), state.messages_at("defaults.loan_growth"));
        assert!(restored.is_stale());
        // The numbers on screen are the last valid ones (both valid edits), not the baseline's.
        let shown = restored.current.as_ref().unwrap();
        assert!(shown.projection == good.projection, "the restored numbers are not the last good ones");
        let baseline = &restored.baseline.as_ref().unwrap().projection;
        assert!(*baseline == state.baseline.as_ref().unwrap().projection, "the baseline changed");
        assert!(shown.projection != *baseline, "the last good numbers are the baseline's");

        // A text the document no longer holds (an older draft) is not typed again.
        let mut stale_text = draft.clone();
        stale_text["texts"]["defaults.deposit_growth"] = "7".into();
        let mut restored = UiState::new(Lang::Zh);
        restore_draft(&mut restored, &stale_text);
        assert_eq!(restored.field_text("defaults.deposit_growth"), "6");
        assert_eq!(restored.doc, state.doc);
    }

    #[test]
    fn the_saved_list_reads_what_it_can() {
        let table = [
            ("", 0),
            ("not json", 0),
            ("{}", 0),
            (r#"[{"name":"a","doc":{}},{"name":1,"doc":{}},{"doc":{}}]"#, 1),
            (r#"[{"name":"a","doc":{}},{"name":"b","doc":{"x":1}}]"#, 2),
        ];
        for (text, count) in table {
            assert_eq!(saved_list(text).len(), count, "{text}");
        }
    }
}
