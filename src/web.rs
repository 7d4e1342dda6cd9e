//! The one place that touches the browser through `web_sys`: finding the element the app mounts into.
//!
//! Everything else in the app is plain Rust or Yew, so it compiles and is
//! tested natively (a call into JS from native code would panic).

/// The id of the element in `index.html` that the app replaces.
pub const APP_ROOT_ID: &str = "app";

/// The `#app` element of the page, if there is a page and it has one.
pub fn app_root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(APP_ROOT_ID)
}
