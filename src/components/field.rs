//! `<Field/>`: one input bound to a JSON path of the scenario, showing the engine's message in place when the value is wrong.
//!
//! The input carries `data-field` (the JSON path, MODEL.md section 8) and, when the
//! engine rejects what is typed, `aria-invalid` and a message linked by `aria-describedby`,
//! which starts with the field's name (hidden on screen in compact table cells).
//! What is typed is kept exactly, valid or not.

use std::rc::Rc;

use yew::prelude::*;

use crate::fields::FieldKind;
use crate::state::{Action, PageState, UiState};

/// Compared by what the field shows (its text, messages, kind and language), not by the
/// whole page state: a lever move re-renders the one field it changes.
#[derive(Properties)]
pub struct FieldProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
    /// JSON path of the value, e.g. `institutions[0].opening.npl`.
    pub path: AttrValue,
    /// Visible label (also the accessible name).
    pub label: AttrValue,
    /// Hide the label visually (tables), keeping it for screen readers.
    #[prop_or_default]
    pub compact: bool,
    /// A slider beside the number field, from `min` to `max` in display units.
    #[prop_or_default]
    pub slider: Option<(f64, f64, f64)>,
    /// A short explanation under the field.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

impl PartialEq for FieldProps {
    fn eq(&self, other: &FieldProps) -> bool {
        let path = self.path.as_str();
        self.path == other.path
            && self.label == other.label
            && self.compact == other.compact
            && self.slider == other.slider
            && self.hint == other.hint
            && self.dispatch == other.dispatch
            && (self.state == other.state || shows_the_same(&self.state, &other.state, path))
    }
}

/// Whether the field at `path` looks the same in both states (its text, value, kind,
/// messages and language). Every field of the page is compared so on each change, the
/// cheapest tests first; the kind is worked out only where it depends on the document.
pub fn shows_the_same(a: &UiState, b: &UiState, path: &str) -> bool {
    a.lang == b.lang
        && a.texts.get(path) == b.texts.get(path)
        && (Rc::ptr_eq(&a.doc, &b.doc)
            || (crate::path::get(&a.doc, path) == crate::path::get(&b.doc, path)
                && (!FieldKind::reads_doc(path)
                    || FieldKind::of(path, &a.doc) == FieldKind::of(path, &b.doc))))
        && (a.issues.is_empty() && b.issues.is_empty() || a.issues_at(path).eq(b.issues_at(path)))
}

/// A DOM-safe id for a path (`institutions[0].opening.npl` → `f-institutions-0--opening-npl`).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' });
    }
    id
}

#[function_component(Field)]
pub fn field(props: &FieldProps) -> Html {
    let path = props.path.to_string();
    let kind = FieldKind::of(&path, &props.state.doc);
    let text = props.state.field_text(&path);
    let messages = props.state.messages_at(&path);
    let invalid = !messages.is_empty();
    let id = field_id(&path);
    let error_id = format!("{id}-error");
    let on_input = {
        let dispatch = props.dispatch.clone();
        let path = path.clone();
        Callback::from(move |event: InputEvent| {
            dispatch.emit(Action::SetField { path: path.clone(), text: crate::web::event_value(&event) });
        })
    };
    // Up and down arrows step the number field like its slider, so a lever moves from the
    // keyboard wherever its focus is.
    let on_key = props.slider.map(|slider| {
        let dispatch = props.dispatch.clone();
        let path = path.clone();
        let text = text.clone();
        Callback::from(move |event: KeyboardEvent| {
            let steps = match event.key().as_str() {
                "ArrowUp" => 1,
                "ArrowDown" => -1,
                _ => return,
            };
            if let Some(next) = crate::fields::stepped(&text, steps, slider) {
                event.prevent_default();
                dispatch.emit(Action::SetField { path: path.clone(), text: next });
            }
        })
    });
    let unit = match kind {
        FieldKind::Percent => Some("%"),
        _ => None,
    };
    let numeric = matches!(kind, FieldKind::Percent | FieldKind::Amount | FieldKind::Integer);
    let slider = props.slider.map(|(min, max, step)| {
        // The slider follows the text when it is a number, so both always agree.
        let position = crate::fields::slider_position(&text).unwrap_or(min).clamp(min, max);
        html! {
            <input type="range" class="slider" data-field={path.clone()} data-role="slider"
                min={min.to_string()} max={max.to_string()} step={step.to_string()}
                value={position.to_string()} aria-label={props.label.clone()}
                oninput={on_input.clone()} />
        }
    });
    html! {
        <div class={classes!("field", invalid.then_some("invalid"), props.compact.then_some("compact"))}>
            <label for={id.clone()} class={classes!(props.compact.then_some("visually-hidden"))}>{ &props.label }</label>
            <div class="field-inputs">
                { slider }
                <span class="input-with-unit">
                    <input id={id} type="text" inputmode={if numeric { "decimal" } else { "text" }}
                        class={classes!("value", numeric.then_some("numeric"))}
                        data-field={path.clone()} data-unit={unit.map(|_| "percent")}
                        value={text} oninput={on_input} onkeydown={on_key}
                        aria-invalid={invalid.then_some("true")}
                        aria-describedby={invalid.then(|| error_id.clone())} />
                    { for unit.map(|u| html! { <span class="unit" aria-hidden="true">{ u }</span> }) }
                </span>
            </div>
            { for props.hint.as_ref().map(|h| html! { <p class="hint">{ h }</p> }) }
            if invalid {
                // The field's name first, so the message read out alone says which field it is.
                <p id={error_id} class="field-error" role="alert" data-error-for={path}>
                    <span class={classes!("field-error-name", props.compact.then_some("visually-hidden"))}>
                        { format!("{}{}", props.label, if props.state.lang == delever_model::Lang::Zh { "：" } else { ": " }) }
                    </span>
                    { messages.join("；") }
                </p>
            }
        </div>
    }
}
