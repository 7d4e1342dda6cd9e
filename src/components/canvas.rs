//! `<ChartCanvas/>`: one chart of `crate::charts` drawn with plotters onto a `<canvas>`, and the canvas's PNG for "save as PNG".
//!
//! With `src/web.rs`, the only file that touches `web_sys`. The canvas is drawn
//! after every render whose chart, data (by `Rc` identity) or style changed, and
//! again when its box changes size (a `ResizeObserver`), at the box's size ×
//! `devicePixelRatio` so lines stay crisp. Each drawing goes to an off-screen
//! canvas first and is copied over only when it succeeds, so a failed drawing
//! leaves the previous picture (and is logged to the console); nothing panics.
//! After each drawing the canvas's `data-rendered` attribute counts up, for tests.
//!
//! The page's style sheet must give `canvas.chart` a size (for example
//! `width: 100%; aspect-ratio: 16 / 9`): the canvas draws at whatever box it gets.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlCanvasElement, ResizeObserver};
use yew::prelude::*;

use crate::charts::{self, Chart, ChartData, Style};

#[derive(Properties, Clone)]
pub struct Props {
    pub chart: Chart,
    /// Compared by pointer: hand over a new `Rc` when the data changes.
    pub data: Rc<ChartData>,
    /// `Style::normal()` unless given (`Style::large()` for presentation mode).
    #[prop_or_default]
    pub style: Style,
    #[prop_or_default]
    pub class: Classes,
}

impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.chart == other.chart
            && Rc::ptr_eq(&self.data, &other.data)
            && self.style == other.style
            && self.class == other.class
    }
}

/// What to draw: kept so that a resize can redraw the latest props.
#[derive(Clone)]
struct Job {
    chart: Chart,
    data: Rc<ChartData>,
    style: Style,
}

/// The effect's dependency: the data by pointer. Holding the `Rc` keeps the old
/// allocation alive, so a new `ChartData` can never reuse its address unnoticed.
#[derive(Clone)]
struct ByPointer(Rc<ChartData>);

impl PartialEq for ByPointer {
    fn eq(&self, other: &ByPointer) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Per-component drawing state.
#[derive(Default)]
struct Painter {
    job: Option<Job>,
    /// The canvas's CSS box, as last measured (on the first draw and on every resize).
    /// Reading `clientWidth` on every redraw forces a synchronous layout right after the
    /// DOM update; measured, that was the largest single cost of a slider move.
    css_size: Option<(i32, i32)>,
    /// Drawings done so far (`data-rendered`).
    count: u64,
}

#[function_component(ChartCanvas)]
pub fn chart_canvas(props: &Props) -> Html {
    let canvas_ref = use_node_ref();
    let painter = use_mut_ref(Painter::default);

    {
        let canvas_ref = canvas_ref.clone();
        let painter = painter.clone();
        let deps = (props.chart, ByPointer(props.data.clone()), props.style.clone());
        use_effect_with(deps, move |(chart, data, style)| {
            painter.borrow_mut().job =
                Some(Job { chart: *chart, data: data.0.clone(), style: style.clone() });
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                repaint(&canvas, &painter, false);
            }
        });
    }

    {
        let canvas_ref = canvas_ref.clone();
        let painter = painter.clone();
        use_effect_with((), move |_| {
            let observer =
                canvas_ref.cast::<HtmlCanvasElement>().and_then(|canvas| watch_size(canvas, painter));
            move || {
                if let Some((observer, closure)) = observer {
                    observer.disconnect();
                    drop(closure);
                }
            }
        });
    }

    let title = props.data.title(props.chart);
    html! {
        <canvas ref={canvas_ref} class={classes!("chart", props.class.clone())}
            data-chart={props.chart.id()} role="img" aria-label={title.clone()}>
            { title }
        </canvas>
    }
}

/// Redraws the canvas from the painter's latest job whenever its box changes size.
/// Returns the observer and its callback, which must live as long as the observation.
fn watch_size(
    canvas: HtmlCanvasElement,
    painter: Rc<RefCell<Painter>>,
) -> Option<(ResizeObserver, Closure<dyn FnMut()>)> {
    let watched = canvas.clone();
    let closure = Closure::<dyn FnMut()>::new(move || repaint(&watched, &painter, true));
    let observer = ResizeObserver::new(closure.as_ref().unchecked_ref()).ok()?;
    observer.observe(&canvas);
    Some((observer, closure))
}

/// Draws the painter's job on `canvas`; with `only_if_resized`, only when the backing
/// size would change (the observer also reports the first layout, already drawn).
fn repaint(canvas: &HtmlCanvasElement, painter: &Rc<RefCell<Painter>>, only_if_resized: bool) {
    let Some(job) = painter.borrow().job.clone() else { return };
    let cached = painter.borrow().css_size;
    let css = match cached {
        Some(size) if !only_if_resized => size,
        _ => {
            let size = (canvas.client_width(), canvas.client_height());
            painter.borrow_mut().css_size = Some(size);
            size
        }
    };
    let Some((width, height, ratio)) = backing_size(css) else {
        // Not laid out yet: measure again next time.
        painter.borrow_mut().css_size = None;
        return;
    };
    if only_if_resized && canvas.width() == width && canvas.height() == height {
        return;
    }
    match paint(canvas, &job, width, height, ratio) {
        Ok(()) => {
            let count = {
                let mut painter = painter.borrow_mut();
                painter.count = painter.count.saturating_add(1);
                painter.count
            };
            // Failing to set a test attribute is not worth reporting.
            let _ = canvas.set_attribute("data-rendered", &count.to_string());
        }
        Err(message) => {
            let text = format!("delever: chart \"{}\" not redrawn: {message}", job.chart.id());
            web_sys::console::error_1(&text.into());
        }
    }
}

/// The canvas's box in device pixels and the device pixel ratio; `None` while it has no
/// box (hidden, or not laid out yet: the resize observer draws it when it gets one).
fn backing_size((css_width, css_height): (i32, i32)) -> Option<(u32, u32, f64)> {
    let ratio = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0);
    let ratio = if ratio.is_finite() && ratio > 0.0 { ratio.clamp(1.0, 4.0) } else { 1.0 };
    if css_width <= 0 || css_height <= 0 {
        return None;
    }
    // At most 8192 device pixels a side, well inside every browser's canvas limit.
    let device = |css: i32| (f64::from(css) * ratio).round().clamp(1.0, 8192.0) as u32;
    Some((device(css_width), device(css_height), ratio))
}

/// Draws `job` on `canvas` at `width` × `height` device pixels.
///
/// Straight onto the canvas: drawing off screen and copying over (so a failed draw would
/// keep the old picture) cost a `drawImage` and a new canvas on every move, and a failed
/// draw is already reported on the console.
fn paint(canvas: &HtmlCanvasElement, job: &Job, width: u32, height: u32, ratio: f64) -> Result<(), String> {
    // Setting a canvas's size clears it; otherwise plotters' first fill repaints the whole area.
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let area = backend.into_drawing_area();
    charts::draw(job.chart, &area, &job.data, &job.style.scaled(ratio)).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())
}

/// The picture on the page's canvas of chart `chart_id` as a `data:image/png;base64,…` URL,
/// for "save as PNG"; `None` if there is no such canvas (or outside a browser).
pub fn canvas_png_data_url(chart_id: &str) -> Option<String> {
    // Outside a browser (native tests) any call into JavaScript would panic.
    if !cfg!(target_arch = "wasm32") || !chart_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let element = document.query_selector(&format!("canvas[data-chart=\"{chart_id}\"]")).ok()??;
    let canvas: HtmlCanvasElement = element.dyn_into().ok()?;
    canvas.to_data_url_with_type("image/png").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Properties, PartialEq)]
    struct HostProps {
        data: Rc<ChartData>,
    }

    #[function_component(Host)]
    fn host(props: &HostProps) -> Html {
        html! { <ChartCanvas chart={Chart::Waterfall} data={props.data.clone()} /> }
    }

    #[test]
    fn the_canvas_is_named_for_screen_readers_and_tests() {
        let preset = delever_model::presets::get("licheng-2019").expect("preset");
        let scenario = delever_model::parse_scenario(preset.json).expect("parses");
        let projection = delever_model::simulate(&scenario).expect("simulates");
        let data = Rc::new(ChartData::build(&scenario, &projection, None, 0, delever_model::Lang::Zh));
        let renderer = yew::LocalServerRenderer::<Host>::with_props(HostProps { data }).hydratable(false);
        let html = futures::executor::block_on(renderer.render());
        assert!(html.contains("data-chart=\"waterfall\""), "{html}");
        assert!(html.contains("role=\"img\""), "{html}");
        assert!(html.contains("aria-label=\"2019 年不良贷款余额变动\""), "{html}");
        assert_eq!(canvas_png_data_url("waterfall"), None, "no canvas outside a browser");
    }
}
