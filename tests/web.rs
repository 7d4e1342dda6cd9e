//! Browser tests of the page's components (wasm-bindgen-test in headless Chromium): what a person sees and does.
//!
//! Run by `cargo xtask test` as `cargo test -p delever --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use delever::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh `<App/>` in its own element and waits for it to render.
async fn mount() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    yew::Renderer::<App>::with_root(host.clone()).render();
    settle().await;
    host
}

/// Lets Yew's scheduler and the effects run.
async fn settle() {
    for _ in 0..3 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

fn kpi(host: &web_sys::Element, metric: &str) -> String {
    host.query_selector(&format!("[data-kpi=\"{metric}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no {metric} card"))
        .get_attribute("data-value")
        .unwrap_or_default()
}

fn input(host: &web_sys::Element, selector: &str) -> web_sys::HtmlInputElement {
    host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).dyn_into().unwrap()
}

fn type_into(field: &web_sys::HtmlInputElement, text: &str) {
    field.set_value(text);
    let event = web_sys::InputEvent::new("input").unwrap();
    field.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn the_page_opens_on_licheng_with_the_engines_numbers() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    let host = mount().await;
    let scenario =
        delever_model::parse_scenario(delever_model::presets::get("licheng-2019").unwrap().json).unwrap();
    let projection = delever_model::simulate(&scenario).unwrap();
    let year_end = &projection.region.year_ends[0];
    for metric in ["deposits", "loans", "npl", "npl_ratio", "disposal"] {
        let want = delever_model::num::fmt_decimal(year_end.get(metric).unwrap());
        assert_eq!(kpi(&host, metric), want, "{metric}");
    }
    assert!(host.text_content().unwrap().contains("不良贷款率"));
    // Every chart has been drawn at least once.
    let canvases = host.query_selector_all("canvas[data-chart]").unwrap();
    assert_eq!(canvases.length(), 5);
}

#[wasm_bindgen_test]
async fn a_slider_move_changes_the_numbers_and_a_bad_value_keeps_them() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    let host = mount().await;
    let before = kpi(&host, "loans");
    let slider = input(&host, "input[type=range][data-field=\"defaults.loan_growth\"]");
    type_into(&slider, "10");
    settle().await;
    let after = kpi(&host, "loans");
    assert_ne!(before, after, "the loans card follows the slider");
    let field = input(&host, "input.value[data-field=\"defaults.loan_growth\"]");
    assert_eq!(field.value(), "10");

    type_into(&field, "150");
    settle().await;
    assert_eq!(kpi(&host, "loans"), after, "the last valid result stays");
    let message = host
        .query_selector("[data-error-for=\"defaults.loan_growth\"]")
        .unwrap()
        .expect("the message is shown in place")
        .text_content()
        .unwrap();
    assert!(message.contains("150%"), "{message}");
    assert!(host.query_selector("[data-stale=\"true\"]").unwrap().is_some());
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
}
