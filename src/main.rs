//! The web app's entry point: mounts `<App/>` into the page's `#app` element (or the body).

use delever::app::App;

fn main() {
    let renderer = match delever::web::app_root() {
        Some(root) => yew::Renderer::<App>::with_root(root),
        None => yew::Renderer::<App>::new(),
    };
    renderer.render();
}
