//! The one place that touches the browser through `web_sys`: mounting, input values, the address, storage, messages, files.
//!
//! Everything else in the app is plain Rust or Yew, so it compiles and is tested
//! natively. These functions are only called from event handlers and effects, which
//! never run in native tests (a call into JS from native code would panic). Every one
//! of them fails soft: a browser that refuses storage or a message leaves the page working.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The id of the element in `index.html` that the app replaces.
pub const APP_ROOT_ID: &str = "app";

/// The `#app` element of the page, if there is a page and it has one.
pub fn app_root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(APP_ROOT_ID)
}

/// The value of the input, select or textarea an event came from.
pub fn event_value(event: &web_sys::Event) -> String {
    let Some(target) = event.target() else { return String::new() };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}

/// Whether a checkbox event's box is ticked.
pub fn event_checked(event: &web_sys::Event) -> bool {
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

/// Moves keyboard focus to the element with id `id`, if there is one.
pub fn focus_by_id(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Whether a `toggle` event's `<details>` is now open.
pub fn event_open(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| e.has_attribute("open"))
}

/// The address's fragment without `#` (empty when none).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the address's fragment without adding a history entry or reloading.
pub fn replace_hash(fragment: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let url = format!("#{fragment}");
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
}

thread_local! {
    /// The pending timer of [`replace_hash_soon`].
    static HASH_TIMER: std::cell::Cell<Option<i32>> = const { std::cell::Cell::new(None) };
}

/// Replaces the address's fragment once edits pause for a moment.
///
/// Browsers throttle `history.replaceState` (Chromium ignores calls beyond about 200 in 10
/// seconds), and a slider sends dozens of inputs a second; only the last one matters.
pub fn replace_hash_soon(fragment: String) {
    let Some(window) = web_sys::window() else { return };
    if let Some(previous) = HASH_TIMER.with(|t| t.take()) {
        window.clear_timeout_with_handle(previous);
    }
    let closure = Closure::once_into_js(move || {
        HASH_TIMER.with(|t| t.set(None));
        replace_hash(&fragment);
    });
    if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), 200)
    {
        HASH_TIMER.with(|t| t.set(Some(id)));
    }
}

/// Sets the document's language (`<html lang>`), so screen readers and fonts follow the toggle.
pub fn set_document_lang(lang: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang);
    }
}

/// The full address of the page.
pub fn location_href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// The query string without `?`.
pub fn location_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A value from the browser's local storage.
pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Stores a value in the browser's local storage (silently ignored when storage is refused or full).
pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// The current calendar year, from the browser's clock.
pub fn current_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}

/// Whether the page runs inside a frame.
pub fn is_embedded() -> bool {
    let Some(window) = web_sys::window() else { return false };
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        _ => false,
    }
}

thread_local! {
    /// The origin of the host page that last sent a `delever:` message: answers go there only.
    static HOST_ORIGIN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Where answers to the host may go: the origin that last wrote to us, else the embedding
/// page's origin as the browser reported it (`document.referrer`), else any (`*`, for a host
/// opened from disk, whose origin is opaque). The page's figures are confidential: a frame
/// never answers a page of another origin than the one that embeds it.
fn host_origin() -> String {
    if let Some(origin) = HOST_ORIGIN.with(|o| o.borrow().clone()) {
        return origin;
    }
    let referrer = web_sys::window().and_then(|w| w.document()).map(|d| d.referrer()).unwrap_or_default();
    web_sys::Url::new(&referrer)
        .ok()
        .map(|url| url.origin())
        .filter(|origin| origin.starts_with("http"))
        .unwrap_or_else(|| "*".to_string())
}

/// Sends a JSON message (given as text) to the embedding page.
pub fn post_to_parent(json: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if let Ok(message) = js_sys::JSON::parse(json) {
        let _ = parent.post_message(&message, &host_origin());
    }
}

/// Calls `handler` with the data (as JSON text) of every message the embedding page sends,
/// for the life of the page. Messages from any other window (another frame, a popup, the
/// page itself) are not read; the sender's origin becomes where answers go.
pub fn on_message(handler: impl Fn(String) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let closure = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let Some(window) = web_sys::window() else { return };
        let from_parent = match (event.source(), window.parent()) {
            (Some(source), Ok(Some(parent))) => {
                js_sys::Object::is(&source, &parent) && !js_sys::Object::is(&parent, &window)
            }
            _ => false,
        };
        if !from_parent {
            return;
        }
        let data = event.data();
        let text = if let Some(s) = data.as_string() {
            s
        } else {
            js_sys::JSON::stringify(&data).ok().and_then(|s| s.as_string()).unwrap_or_default()
        };
        let origin = event.origin();
        if text.contains("\"delever:") && origin.starts_with("http") {
            HOST_ORIGIN.with(|o| *o.borrow_mut() = Some(origin));
        }
        handler(text);
    });
    let _ = window.add_event_listener_with_callback("message", closure.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    closure.forget();
}

/// Calls `handler` with the key (`KeyboardEvent.key`) of every key pressed anywhere on the
/// page (without Alt, Ctrl or Meta); when it returns true, the browser's own action for the
/// key is prevented.
pub fn on_keydown(handler: impl Fn(&str) -> bool + 'static) {
    let Some(window) = web_sys::window() else { return };
    let closure = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
        if event.alt_key() || event.ctrl_key() || event.meta_key() {
            return;
        }
        if handler(&event.key()) {
            event.prevent_default();
        }
    });
    let _ = window.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Asks for the whole screen (from a click: browsers allow it only then); a refusal leaves the page as it is.
pub fn enter_fullscreen() {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.request_fullscreen();
    }
}

/// Leaves the whole screen, if the page has it.
pub fn exit_fullscreen() {
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && document.fullscreen_element().is_some()
    {
        document.exit_fullscreen();
    }
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Prints with `data-printing="PART"` on the document element while the dialog is open, so
/// the print style can show one part of the page alone (`division`: the division tables).
pub fn print_only(part: &str) {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = &root {
        let _ = root.set_attribute("data-printing", part);
    }
    print();
    if let Some(root) = &root {
        let _ = root.remove_attribute("data-printing");
    }
}

/// Offers `content` to the user as a file download.
pub fn download(filename: &str, mime: &str, content: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    download_url(filename, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Offers a `data:` or object URL as a download under `filename`.
pub fn download_url(filename: &str, url: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(element) = document.create_element("a") else { return };
    let Ok(anchor) = element.dyn_into::<web_sys::HtmlAnchorElement>() else { return };
    anchor.set_href(url);
    anchor.set_download(filename);
    anchor.click();
}

/// Reads the first file chosen in a file input's change event, then calls `done(name, text)`.
pub fn read_chosen_file(event: &web_sys::Event, done: impl FnOnce(String, Result<String, String>) + 'static) {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
    let name = file.name();
    // Reset, so choosing the same file again still fires `change`.
    input.set_value("");
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(promise).await;
        let text = result.ok().and_then(|v| v.as_string()).ok_or_else(|| "unreadable".to_string());
        done(name, text);
    });
}

/// The time in milliseconds since the page started (for the input-to-repaint benchmark).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Records one input-to-repaint latency where the browser benchmark reads it (`window.__deleverTimings`).
pub fn record_timing(ms: f64) {
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from_str("__deleverTimings");
    let list = js_sys::Reflect::get(&window, &key).ok().filter(|v| v.is_object());
    let list = match list {
        Some(list) => list,
        None => {
            let list: JsValue = js_sys::Array::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &list);
            list
        }
    };
    if let Some(array) = list.dyn_ref::<js_sys::Array>() {
        array.push(&JsValue::from_f64(ms));
    }
}

thread_local! {
    /// Tasks waiting for [`soon`], and the message channel that wakes them.
    static SOON: std::cell::RefCell<SoonQueue> = std::cell::RefCell::new(SoonQueue::default());
}

#[derive(Default)]
struct SoonQueue {
    tasks: std::collections::VecDeque<Box<dyn FnOnce()>>,
    port: Option<web_sys::MessagePort>,
}

/// Runs `task` as soon as the browser has handled what is pending (input, painting),
/// without `setTimeout`'s 4 ms clamp: a message to ourselves on a `MessageChannel`.
/// Analyses run in slices through this.
pub fn soon(task: impl FnOnce() + 'static) {
    let port = SOON.with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.tasks.push_back(Box::new(task));
        if queue.port.is_none() {
            let channel = web_sys::MessageChannel::new().ok()?;
            let wake = Closure::<dyn Fn()>::new(|| {
                let task = SOON.with(|q| q.borrow_mut().tasks.pop_front());
                if let Some(task) = task {
                    task();
                }
            });
            channel.port1().set_onmessage(Some(wake.as_ref().unchecked_ref()));
            // The channel lives as long as the page.
            wake.forget();
            queue.port = Some(channel.port2());
            // Keep port1 alive with its handler.
            std::mem::forget(channel);
        }
        queue.port.clone()
    });
    if let Some(port) = port {
        let _ = port.post_message(&JsValue::NULL);
    }
}

/// Records one analysis run where the browser benchmark reads it (`window.__deleverAnalyses`):
/// its kind, wall time, longest slice and the time to show the answer, in milliseconds.
pub fn record_analysis(kind: &str, total_ms: f64, longest_ms: f64, slices: u32, shown_ms: f64) {
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from_str("__deleverAnalyses");
    let list = match js_sys::Reflect::get(&window, &key).ok().filter(|v| v.is_object()) {
        Some(list) => list,
        None => {
            let list: JsValue = js_sys::Array::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &list);
            list
        }
    };
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &"kind".into(), &JsValue::from_str(kind));
    let _ = js_sys::Reflect::set(&entry, &"ms".into(), &JsValue::from_f64(total_ms));
    let _ = js_sys::Reflect::set(&entry, &"longest_ms".into(), &JsValue::from_f64(longest_ms));
    let _ = js_sys::Reflect::set(&entry, &"slices".into(), &JsValue::from_f64(f64::from(slices)));
    let _ = js_sys::Reflect::set(&entry, &"shown_ms".into(), &JsValue::from_f64(shown_ms));
    if let Some(array) = list.dyn_ref::<js_sys::Array>() {
        array.push(&entry);
    }
}

/// Calls `name` on the lazily loaded spreadsheet module (`window.__deleverSheets()`, see
/// `www/boot.js`) with `args`, then `done` with its return value or the error's message.
pub fn call_sheets(
    name: &'static str,
    args: Vec<JsValue>,
    done: impl FnOnce(Result<JsValue, String>) + 'static,
) {
    let loader = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__deleverSheets")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(loader) = loader else {
        done(Err("the spreadsheet module is not available".into()));
        return;
    };
    let promise = match loader.call0(&JsValue::NULL).map(js_sys::Promise::from) {
        Ok(p) => p,
        Err(err) => {
            done(Err(error_text(&err)));
            return;
        }
    };
    wasm_bindgen_futures::spawn_local(async move {
        let module = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(m) => m,
            Err(err) => return done(Err(error_text(&err))),
        };
        let function = js_sys::Reflect::get(&module, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let Some(function) = function else { return done(Err(format!("{name} is missing"))) };
        let array: js_sys::Array = args.into_iter().collect();
        done(function.apply(&JsValue::NULL, &array).map_err(|err| error_text(&err)));
    });
}

/// A thrown JavaScript value as text (an `Error`'s message).
fn error_text(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Offers bytes to the user as a file download.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    download_url(filename, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Why a chosen file was not read.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// Larger than the limit (its size in bytes); not read at all.
    TooLarge(f64),
    Unreadable(String),
}

/// Reads the first file chosen in a file input's change event as bytes (refusing files over
/// `max_bytes` before reading them), then calls `done(name, bytes)`.
pub fn read_chosen_bytes(
    event: &web_sys::Event,
    max_bytes: usize,
    done: impl FnOnce(String, Result<Vec<u8>, ReadError>) + 'static,
) {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
    let name = file.name();
    input.set_value("");
    if file.size() > max_bytes as f64 {
        return done(name, Err(ReadError::TooLarge(file.size())));
    }
    let promise = file.array_buffer();
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(promise).await;
        let bytes = result
            .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
            .map_err(|err| ReadError::Unreadable(error_text(&err)));
        done(name, bytes);
    });
}

/// Runs `task` after `ms` milliseconds (a `setTimeout`).
pub fn later(ms: i32, task: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let closure = Closure::once_into_js(task);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), ms);
}

thread_local! {
    /// The pending timer of [`after_settling`].
    static SETTLE_TIMER: std::cell::Cell<Option<i32>> = const { std::cell::Cell::new(None) };
}

/// Runs `task` once changes pause for `ms` milliseconds: each call cancels the task of the
/// call before it, so a slider dragged for a second runs it once, after the drag.
pub fn after_settling(ms: i32, task: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    if let Some(previous) = SETTLE_TIMER.with(|t| t.take()) {
        window.clear_timeout_with_handle(previous);
    }
    let closure = Closure::once_into_js(move || {
        SETTLE_TIMER.with(|t| t.set(None));
        task();
    });
    if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), ms)
    {
        SETTLE_TIMER.with(|t| t.set(Some(id)));
    }
}

/// Calls `handler` when the page is being left or hidden (`pagehide`, and `visibilitychange`
/// to hidden: a mobile browser or a closed laptop may never send `pagehide`), so what waits
/// for changes to settle is written before the page can go away.
pub fn on_page_hide(handler: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let handler = std::rc::Rc::new(handler);
    let on_hide = {
        let handler = handler.clone();
        Closure::<dyn Fn()>::new(move || handler())
    };
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    on_hide.forget();
    let Some(document) = window.document() else { return };
    let watched = document.clone();
    let on_visibility = Closure::<dyn Fn()>::new(move || {
        // Read by name: the typed getter needs one more web-sys feature for one string.
        let state = js_sys::Reflect::get(&watched, &JsValue::from_str("visibilityState")).ok();
        if state.and_then(|s| s.as_string()).as_deref() == Some("hidden") {
            handler();
        }
    });
    let _ =
        document.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    on_visibility.forget();
}

/// Calls `before` on the browser's `beforeprint` and `after` on its `afterprint` (the print
/// button, or the browser's own print command).
pub fn on_print(before: impl Fn() + 'static, after: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else { return };
    for (event, handler) in
        [("beforeprint", Closure::<dyn Fn()>::new(before)), ("afterprint", Closure::<dyn Fn()>::new(after))]
    {
        let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        handler.forget();
    }
}

/// How many measures the page keeps in the performance timeline before clearing them.
const MAX_MEASURES: u32 = 5_000;

thread_local! {
    /// Measures recorded since the timeline was last cleared.
    static MEASURES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Records `performance.measure(name, {start, end: now})`, so a profile and the browser
/// benchmark see each stage of an update (`reducer`, `engine`, `render`, `persist`…).
pub fn measure(name: &str, start_ms: f64) {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else { return };
    // The timeline keeps every measure: a day of lever moves would pile up hundreds of
    // thousands. Past MAX_MEASURES they are cleared (the benchmark reads ~1,500 per case).
    let count = MEASURES.with(|c| {
        c.set(c.get().saturating_add(1));
        c.get()
    });
    if count > MAX_MEASURES {
        performance.clear_measures();
        MEASURES.with(|c| c.set(1));
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("start"), &JsValue::from_f64(start_ms));
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("end"), &JsValue::from_f64(performance.now()));
    let measure = js_sys::Reflect::get(&performance, &JsValue::from_str("measure"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(measure) = measure {
        let _ = measure.call2(&performance, &JsValue::from_str(name), &options);
    }
}

/// Whether the page can project off its main thread (`window.__deleverProject`, defined by
/// `www/boot.js` where the browser has module workers).
pub fn can_project_off_thread() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__deleverProject")).ok())
        .is_some_and(|f| f.is_function())
}

/// Hands the scenario's canonical JSON to the engine's Web Worker (`window.__deleverProject`,
/// `www/boot.js`), then calls `done` with its `wire` bytes: `Some(bytes)` (empty when the
/// worker has no projection for it), or `None` when a newer request superseded this one
/// before the worker started it, or when the worker is not available.
pub fn project_off_thread(scenario_json: &str, done: impl FnOnce(Option<Vec<u8>>) + 'static) {
    let function = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__deleverProject")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(function) = function else { return done(Some(Vec::new())) };
    let promise = match function.call1(&JsValue::NULL, &JsValue::from_str(scenario_json)) {
        Ok(p) => js_sys::Promise::from(p),
        Err(_) => return done(Some(Vec::new())),
    };
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(value) if value.is_null() => done(None),
            Ok(value) => match value.dyn_into::<js_sys::Uint8Array>() {
                Ok(bytes) => done(Some(bytes.to_vec())),
                Err(_) => done(Some(Vec::new())),
            },
            // The worker failed (it could not start, or threw): the page runs it itself.
            Err(_) => done(Some(Vec::new())),
        }
    });
}

/// How an analysis in the engine's worker ended.
pub enum WorkerAnswer {
    /// The answers, `wire` bytes.
    Answers(Vec<u8>),
    /// The engine refused it: `(zh, en)`.
    Refused(String, String),
    /// The engine's module could not be fetched or started, in a worker or on the page.
    Unavailable,
}

/// Runs the analysis `request` (`wire` bytes) on `scenario_json` in the engine's module
/// (`window.__deleverAnalyse`: its worker, or this thread in slices where none starts),
/// calling `progress(done, total)` as it goes and `done` once with how it ended; returns the
/// handle that cancels it (after which neither is called again), or `None` when `done` was
/// already called with [`WorkerAnswer::Unavailable`].
pub fn analyse_off_thread(
    scenario_json: &str,
    request: &[u8],
    progress: impl Fn(usize, usize) + 'static,
    done: impl FnOnce(WorkerAnswer) + 'static,
) -> Option<WorkerCancel> {
    let function = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__deleverAnalyse")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(function) = function else {
        done(WorkerAnswer::Unavailable);
        return None;
    };
    let progress = Closure::<dyn Fn(f64, f64)>::new(move |d: f64, t: f64| {
        // Counts of simulations, whole and far below 2^53.
        progress(d as usize, t as usize)
    });
    let bytes = js_sys::Uint8Array::from(request);
    let handle = match function.call3(
        &JsValue::NULL,
        &JsValue::from_str(scenario_json),
        &bytes,
        progress.as_ref().unchecked_ref(),
    ) {
        Ok(handle) => handle,
        Err(_) => {
            done(WorkerAnswer::Unavailable);
            return None;
        }
    };
    let field = |name: &str| js_sys::Reflect::get(&handle, &JsValue::from_str(name)).ok();
    let cancel = field("cancel").and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(answer) = field("answer").and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) else {
        done(WorkerAnswer::Unavailable);
        return None;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(answer).await;
        // The progress callback lives until the answer is in.
        drop(progress);
        let ended = match result {
            // Cancelled: nobody waits for it.
            Ok(value) if value.is_null() => return,
            Ok(value) => match value.dyn_into::<js_sys::Uint8Array>() {
                Ok(bytes) => WorkerAnswer::Answers(bytes.to_vec()),
                Err(value) => {
                    let words = js_sys::Reflect::get(&value, &JsValue::from_str("refused"))
                        .ok()
                        .and_then(|w| w.dyn_into::<js_sys::Array>().ok());
                    match words {
                        Some(words) => WorkerAnswer::Refused(
                            words.get(0).as_string().unwrap_or_default(),
                            words.get(1).as_string().unwrap_or_default(),
                        ),
                        None => WorkerAnswer::Unavailable,
                    }
                }
            },
            Err(_) => WorkerAnswer::Unavailable,
        };
        done(ended);
    });
    cancel.map(WorkerCancel)
}

/// Stops an analysis running in the engine's worker ([`analyse_off_thread`]).
pub struct WorkerCancel(js_sys::Function);

impl WorkerCancel {
    pub fn cancel(&self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// `version()`: the engine's version, which `boot.js` sends with the `delever:ready` event.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    delever_model::MODEL_VERSION.to_string()
}
