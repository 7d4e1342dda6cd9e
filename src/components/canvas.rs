//! `<ChartCanvas/>` and `<FigureCanvas/>`: a chart of `crate::charts` (a projection chart or an analysis chart) drawn with plotters onto a `<canvas>`, the feasibility map's cells under the pointer, and the canvas's PNG for "save as PNG".
//!
//! With `src/web.rs`, the only file that touches `web_sys`. The canvas is drawn
//! after every render whose figure (its kind and its data, by `Rc` identity) or style
//! changed, and again when its box changes size (a `ResizeObserver`), at the box's size ×
//! `devicePixelRatio` so lines stay crisp; any other render (new callbacks, a new
//! class) draws nothing. A failed drawing is logged to the console; nothing panics.
//! After each drawing the canvas's `data-rendered` attribute counts up, for tests; a
//! canvas given a `drawn_for` token writes it in `data-drawn-for` once its picture is that
//! of the token's data, drawn or (its figure unchanged) kept, so a test can wait for every
//! chart of a change without expecting unchanged ones to redraw. Each drawing is timed as a
//! `performance.measure` named `chart:<id>` (DevTools' Performance panel, the benchmark).
//!
//! A projection chart out of view (an `IntersectionObserver`, with a margin so it is drawn
//! just before it scrolls in) is not drawn on a change: it is marked `data-deferred` and
//! drawn when it comes into view, before printing (`beforeprint`), and before its PNG is
//! taken (a `delever-draw` event on the canvas); its `data-drawn-for` waits for that drawing.
//! A lever move so redraws only the charts a person sees.
//!
//! The drawing goes through [`charts::batch::Batched`], plotters' backend with batched
//! strokes and fills over the `CanvasRenderingContext2d` implemented here.
//!
//! On the feasibility map, pointer moves and clicks are hit-tested with
//! [`charts::map_cell_at`] against exactly the size and style of the last drawing, so the
//! cell reported is the cell drawn under the pointer. The map is operable from the
//! keyboard too: it takes focus (`tabindex="0"`, `role="application"`), the arrow keys
//! (Home/End, Page Up/Down by five) move a highlighted cell, starting from the current
//! scenario's, which is reported like a hovered one, and Enter or Space applies it like a
//! click. The highlight is drawn only while focus came from the keyboard (`:focus-visible`).
//!
//! The page's style sheet must give `canvas.chart` a size (for example
//! `width: 100%; aspect-ratio: 16 / 9`) and no padding or border (pointer positions are
//! read from the padding edge): the canvas draws at whatever box it gets.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ResizeObserver};
use yew::prelude::*;

use crate::charts::batch::{Batched, Context2d};
use crate::charts::{self, Chart, ChartData, Figure, Style};

/// `<ChartCanvas/>`: one projection chart; the same as a [`FigureCanvas`] of `Figure::Chart`.
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
    /// Written to `data-drawn-for` once the picture is of this data: see [`FigureProps::drawn_for`].
    #[prop_or_default]
    pub drawn_for: Option<u64>,
}

/// How far outside the viewport a deferred chart is already drawn, so it is ready as it scrolls in.
const DRAW_AHEAD: &str = "300px 0px";

/// The event that has a deferred canvas draw at once (sent by [`stamped_png`]).
const DRAW_NOW: &str = "delever-draw";

impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.chart == other.chart
            && Rc::ptr_eq(&self.data, &other.data)
            && self.style == other.style
            && self.class == other.class
            && self.drawn_for == other.drawn_for
    }
}

#[function_component(ChartCanvas)]
pub fn chart_canvas(props: &Props) -> Html {
    let figure = Figure::Chart(props.chart, props.data.clone());
    html! {
        <FigureCanvas {figure} style={props.style.clone()} class={props.class.clone()} drawn_for={props.drawn_for} defer_out_of_view={true} />
    }
}

/// `<FigureCanvas/>`: any [`Figure`], with the feasibility map's cells under the pointer.
///
/// ```text
/// let figure = Figure::Map(Rc::new(MapData::build(&feasibility, &scenario, lang)));
/// html! { <FigureCanvas {figure} on_cell_hover={hover} on_cell_click={click} /> }
/// ```
#[derive(Properties, Clone, PartialEq)]
pub struct FigureProps {
    /// What to draw; compared by pointer ([`Figure::same`]): hand over a new `Rc` when the data changes.
    pub figure: Figure,
    /// `Style::normal()` unless given (`Style::large()` for presentation mode).
    #[prop_or_default]
    pub style: Style,
    #[prop_or_default]
    pub class: Classes,
    /// Map only: the cell `(i, j)` (x value `i`, y value `j`) under the pointer, each time
    /// it changes; `None` when the pointer leaves the grid or the canvas.
    #[prop_or_default]
    pub on_cell_hover: Option<Callback<Option<(usize, usize)>>>,
    /// Map only: the cell `(i, j)` clicked or tapped, or chosen with the keyboard and
    /// applied with Enter or Space (nothing outside the grid).
    #[prop_or_default]
    pub on_cell_click: Option<Callback<(usize, usize)>>,
    /// Map only: how to use it from the keyboard, said after the title in the canvas's
    /// accessible name (e.g. "Arrow keys choose a cell; Enter applies it.").
    #[prop_or_default]
    pub keyboard_hint: Option<AttrValue>,
    /// A token of the data the figure shows (the charts panel's build of its data),
    /// written to the canvas's `data-drawn-for` after the figure is drawn, or at once when
    /// the figure did not change: the token says the picture is current, redrawn or not.
    #[prop_or_default]
    pub drawn_for: Option<u64>,
    /// Draw a change only while the canvas is in view (or about to be); else mark it
    /// `data-deferred` and draw it when it comes into view, before printing, or for its PNG.
    #[prop_or_default]
    pub defer_out_of_view: bool,
}

/// What to draw: kept so that a resize can redraw the latest props.
#[derive(Clone)]
struct Job {
    figure: Figure,
    style: Style,
}

/// The last drawing, exactly as drawn: what pointer positions are hit-tested against.
#[derive(Clone)]
struct Drawn {
    figure: Figure,
    /// The style scaled to device pixels.
    style: Style,
    /// Device pixels.
    width: u32,
    height: u32,
    /// Device pixels per CSS pixel.
    ratio: f64,
}

/// Per-component drawing state.
#[derive(Default)]
struct Painter {
    job: Option<Job>,
    /// The canvas's CSS box, as last measured (on the first draw and on every resize).
    /// Reading `clientWidth` on every redraw forces a synchronous layout right after the
    /// DOM update; measured, that was the largest single cost of a slider move.
    css_size: Option<(i32, i32)>,
    drawn: Option<Drawn>,
    /// The map cell last reported to `on_cell_hover`.
    hovered: Option<(usize, usize)>,
    /// The map cell chosen with the keyboard.
    cursor: Option<(usize, usize)>,
    /// Whether the keyboard has the map's focus, so `cursor` is drawn.
    keyboard: bool,
    /// Drawings done so far (`data-rendered`).
    count: u64,
    /// [`FigureProps::defer_out_of_view`].
    defer: bool,
    /// Whether the canvas is in view or within [`DRAW_AHEAD`] of it (true until the
    /// intersection observer first says otherwise, and where there is none).
    in_view: bool,
    /// The picture is older than the job: a drawing was deferred (`data-deferred`).
    stale: bool,
    /// The `drawn_for` token to write once a deferred drawing is done.
    pending_token: Option<u64>,
}

impl Painter {
    /// The map cell under the pointer at CSS offset `(x, y)` in the last drawing, if it is a map.
    fn cell_at(&self, (x, y): (i32, i32)) -> Option<(usize, usize)> {
        let drawn = self.drawn.as_ref()?;
        let Figure::Map(data) = &drawn.figure else { return None };
        let point = (f64::from(x) * drawn.ratio, f64::from(y) * drawn.ratio);
        let size = (f64::from(drawn.width), f64::from(drawn.height));
        charts::map_cell_at(data, &drawn.style, size, point)
    }

    /// The map's columns and rows, when the figure to draw is a map with cells.
    fn map_size(&self) -> Option<(usize, usize)> {
        match &self.job.as_ref()?.figure {
            Figure::Map(data) => Some(data.size()).filter(|(columns, rows)| *columns > 0 && *rows > 0),
            _ => None,
        }
    }

    /// Where the keyboard's cell is, or starts: the cell chosen last, else the one under the
    /// pointer, else the current scenario's, else the middle; always inside the grid.
    fn keyboard_cell(&self) -> Option<(usize, usize)> {
        let (columns, rows) = self.map_size()?;
        let current = match &self.job.as_ref()?.figure {
            Figure::Map(data) => charts::current_cell(data),
            _ => None,
        };
        let (i, j) = self.cursor.or(self.hovered).or(current).unwrap_or((columns / 2, rows / 2));
        Some((i.min(columns.saturating_sub(1)), j.min(rows.saturating_sub(1))))
    }
}

/// The cell a key moves the keyboard's cell `(i, j)` to on a `columns` × `rows` map (row
/// `j` counts upwards, as the y lever grows); `None` for a key that does not move it.
fn stepped(key: &str, (i, j): (usize, usize), (columns, rows): (usize, usize)) -> Option<(usize, usize)> {
    let last_column = columns.saturating_sub(1);
    let last_row = rows.saturating_sub(1);
    let cell = match key {
        "ArrowLeft" => (i.saturating_sub(1), j),
        "ArrowRight" => (i.saturating_add(1).min(last_column), j),
        "ArrowUp" => (i, j.saturating_add(1).min(last_row)),
        "ArrowDown" => (i, j.saturating_sub(1)),
        "Home" => (0, j),
        "End" => (last_column, j),
        "PageUp" => (i, j.saturating_add(5).min(last_row)),
        "PageDown" => (i, j.saturating_sub(5)),
        _ => return None,
    };
    Some(cell)
}

#[function_component(FigureCanvas)]
pub fn figure_canvas(props: &FigureProps) -> Html {
    let canvas_ref = use_node_ref();
    let painter = use_mut_ref(|| Painter { in_view: true, ..Painter::default() });
    painter.borrow_mut().defer = props.defer_out_of_view;

    {
        let canvas_ref = canvas_ref.clone();
        let painter = painter.clone();
        // `Figure` compares by pointer: only a new figure or style redraws.
        let deps = (props.figure.clone(), props.style.clone());
        use_effect_with(deps, move |(figure, style)| {
            painter.borrow_mut().job = Some(Job { figure: figure.clone(), style: style.clone() });
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                repaint(&canvas, &painter, false);
            }
        });
    }

    {
        // After the drawing effect above (effects run in order), so the token follows the picture.
        let canvas_ref = canvas_ref.clone();
        let painter = painter.clone();
        use_effect_with(props.drawn_for, move |token| {
            if let (Some(token), Some(canvas)) = (token, canvas_ref.cast::<HtmlCanvasElement>()) {
                let mut painter = painter.borrow_mut();
                if painter.stale {
                    painter.pending_token = Some(*token);
                } else {
                    // Failing to set a test attribute is not worth reporting.
                    let _ = canvas.set_attribute("data-drawn-for", &token.to_string());
                }
            }
        });
    }

    {
        let canvas_ref = canvas_ref.clone();
        let painter = painter.clone();
        use_effect_with((), move |_| {
            let canvas = canvas_ref.cast::<HtmlCanvasElement>();
            let observer = canvas.clone().and_then(|canvas| watch_size(canvas, painter.clone()));
            let deferring = match canvas {
                Some(canvas) if painter.borrow().defer => watch_view(canvas, painter),
                _ => None,
            };
            move || {
                if let Some((observer, closure)) = observer {
                    observer.disconnect();
                    drop(closure);
                }
                if let Some(deferring) = deferring {
                    deferring.stop();
                }
            }
        });
    }

    let interactive = matches!(props.figure, Figure::Map(_))
        && (props.on_cell_hover.is_some() || props.on_cell_click.is_some());
    let (onkeydown, onfocus, onblur) = if interactive {
        let hover = props.on_cell_hover.clone();
        let keydown = {
            let painter = painter.clone();
            let canvas_ref = canvas_ref.clone();
            let hover = hover.clone();
            let click = props.on_cell_click.clone();
            Callback::from(move |event: KeyboardEvent| {
                let (Some(size), Some(cell)) =
                    (painter.borrow().map_size(), painter.borrow().keyboard_cell())
                else {
                    return;
                };
                let key = event.key();
                if key == "Enter" || key == " " {
                    event.prevent_default();
                    if let Some(click) = click.as_ref() {
                        click.emit(cell);
                    }
                    return;
                }
                let Some(next) = stepped(&key, cell, size) else { return };
                // The arrows move the cell, not the page.
                event.prevent_default();
                move_cursor(&painter, &canvas_ref, hover.as_ref(), Some(next), true);
            })
        };
        let focus = {
            let painter = painter.clone();
            let canvas_ref = canvas_ref.clone();
            let hover = hover.clone();
            Callback::from(move |_: FocusEvent| {
                // A click focuses the map too; only focus from the keyboard shows the cell.
                let by_keyboard = canvas_ref
                    .cast::<HtmlCanvasElement>()
                    .is_some_and(|canvas| canvas.matches(":focus-visible").unwrap_or(true));
                if by_keyboard {
                    let cell = painter.borrow().keyboard_cell();
                    move_cursor(&painter, &canvas_ref, hover.as_ref(), cell, true);
                }
            })
        };
        let blur = {
            let painter = painter.clone();
            let canvas_ref = canvas_ref.clone();
            Callback::from(move |_: FocusEvent| {
                if painter.borrow().keyboard {
                    move_cursor(&painter, &canvas_ref, hover.as_ref(), None, false);
                }
            })
        };
        (Some(keydown), Some(focus), Some(blur))
    } else {
        (None, None, None)
    };
    let (onpointermove, onpointerleave, onclick) = if interactive {
        let hover = props.on_cell_hover.clone();
        let moved = {
            let painter = painter.clone();
            let hover = hover.clone();
            Callback::from(move |event: PointerEvent| {
                let cell = painter.borrow().cell_at((event.offset_x(), event.offset_y()));
                report_hover(&painter, hover.as_ref(), cell);
            })
        };
        let left = {
            let painter = painter.clone();
            Callback::from(move |_: PointerEvent| report_hover(&painter, hover.as_ref(), None))
        };
        let clicked = {
            let painter = painter.clone();
            let click = props.on_cell_click.clone();
            Callback::from(move |event: MouseEvent| {
                let cell = painter.borrow().cell_at((event.offset_x(), event.offset_y()));
                if let (Some(click), Some(cell)) = (click.as_ref(), cell) {
                    // The keyboard carries on from the cell clicked.
                    painter.borrow_mut().cursor = Some(cell);
                    click.emit(cell);
                }
            })
        };
        (Some(moved), Some(left), Some(clicked))
    } else {
        (None, None, None)
    };

    let title = props.figure.title();
    // The interactive map is a widget that takes its own keys (`application`, so a screen
    // reader passes the arrows through); every other chart is a picture.
    let label = match (&props.keyboard_hint, interactive) {
        (Some(hint), true) => format!("{title} {hint}"),
        _ => title.clone(),
    };
    html! {
        <canvas ref={canvas_ref} class={classes!("chart", interactive.then_some("interactive"), props.class.clone())}
            data-chart={props.figure.id()} role={if interactive { "application" } else { "img" }}
            aria-label={label} tabindex={interactive.then_some("0")}
            {onpointermove} {onpointerleave} {onclick} {onkeydown} {onfocus} {onblur}>
            { title }
        </canvas>
    }
}

/// Sets the keyboard's cell (`None`: hides it) and whether it is drawn, reports it like a
/// hovered cell, and redraws the map with it.
fn move_cursor(
    painter: &Rc<RefCell<Painter>>,
    canvas_ref: &NodeRef,
    hover: Option<&Callback<Option<(usize, usize)>>>,
    cell: Option<(usize, usize)>,
    keyboard: bool,
) {
    {
        let mut painter = painter.borrow_mut();
        if cell.is_some() {
            painter.cursor = cell;
        }
        painter.keyboard = keyboard && cell.is_some();
    }
    report_hover(painter, hover, cell);
    if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
        repaint(&canvas, painter, false);
    }
}

/// Tells `hover` about `cell` when it differs from the cell last reported.
fn report_hover(
    painter: &Rc<RefCell<Painter>>,
    hover: Option<&Callback<Option<(usize, usize)>>>,
    cell: Option<(usize, usize)>,
) {
    let changed = {
        let mut painter = painter.borrow_mut();
        let changed = painter.hovered != cell;
        painter.hovered = cell;
        changed
    };
    if let (true, Some(hover)) = (changed, hover) {
        hover.emit(cell);
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

/// What keeps a deferring canvas told when it comes into view, is printed, or is asked to draw.
struct Deferring {
    canvas: HtmlCanvasElement,
    observer: web_sys::IntersectionObserver,
    on_view: Closure<dyn FnMut(js_sys::Array)>,
    /// Draws the canvas if its picture is stale: on `beforeprint` and on [`DRAW_NOW`].
    draw_now: Closure<dyn FnMut()>,
}

impl Deferring {
    fn stop(self) {
        self.observer.disconnect();
        let function = self.draw_now.as_ref().unchecked_ref();
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback("beforeprint", function);
        }
        let _ = self.canvas.remove_event_listener_with_callback(DRAW_NOW, function);
        drop((self.on_view, self.draw_now));
    }
}

/// Watches whether `canvas` is in view (drawing a stale picture as it comes in), and draws a
/// stale picture before printing and on [`DRAW_NOW`]. `None` where the browser has no
/// intersection observer: the canvas then stays "in view" and every change is drawn.
fn watch_view(canvas: HtmlCanvasElement, painter: Rc<RefCell<Painter>>) -> Option<Deferring> {
    let on_view = {
        let (canvas, painter) = (canvas.clone(), painter.clone());
        Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // The last entry is the latest state.
            let Some(entry) = entries.iter().last() else { return };
            let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() else { return };
            painter.borrow_mut().in_view = entry.is_intersecting();
            if entry.is_intersecting() {
                draw_if_stale(&canvas, &painter);
            }
        })
    };
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(DRAW_AHEAD);
    let observer =
        web_sys::IntersectionObserver::new_with_options(on_view.as_ref().unchecked_ref(), &options).ok()?;
    observer.observe(&canvas);
    let draw_now = {
        let (canvas, painter) = (canvas.clone(), painter);
        Closure::<dyn FnMut()>::new(move || draw_if_stale(&canvas, &painter))
    };
    let function = draw_now.as_ref().unchecked_ref();
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("beforeprint", function);
    }
    let _ = canvas.add_event_listener_with_callback(DRAW_NOW, function);
    Some(Deferring { canvas, observer, on_view, draw_now })
}

/// Draws a deferred picture now, whether or not the canvas is in view.
fn draw_if_stale(canvas: &HtmlCanvasElement, painter: &Rc<RefCell<Painter>>) {
    if painter.borrow().stale {
        draw(canvas, painter, false);
    }
}

/// Draws the painter's job on `canvas`, or, for a deferring canvas out of view, marks the
/// picture stale (`data-deferred`) to be drawn when it comes into view. With
/// `only_if_resized`, only when the backing size would change (the resize observer also
/// reports the first layout, already drawn).
fn repaint(canvas: &HtmlCanvasElement, painter: &Rc<RefCell<Painter>>, only_if_resized: bool) {
    {
        let mut painter = painter.borrow_mut();
        if painter.defer && !painter.in_view {
            if painter.job.is_some() && !painter.stale {
                painter.stale = true;
                let _ = canvas.set_attribute("data-deferred", "");
            }
            // Measured again when it is drawn.
            if only_if_resized {
                painter.css_size = None;
            }
            return;
        }
    }
    draw(canvas, painter, only_if_resized);
}

/// Draws the painter's job on `canvas` (see [`repaint`]).
fn draw(canvas: &HtmlCanvasElement, painter: &Rc<RefCell<Painter>>, only_if_resized: bool) {
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
    let cursor = {
        let painter = painter.borrow();
        painter.cursor.filter(|_| painter.keyboard)
    };
    let id = job.figure.id();
    match measured(id, || paint(canvas, &job, width, height, ratio, cursor)) {
        Ok(drawn) => {
            let (count, was_stale, token) = {
                let mut painter = painter.borrow_mut();
                painter.drawn = Some(drawn);
                painter.count = painter.count.saturating_add(1);
                let was_stale = std::mem::replace(&mut painter.stale, false);
                (painter.count, was_stale, painter.pending_token.take())
            };
            // Failing to set a test attribute is not worth reporting.
            let _ = canvas.set_attribute("data-rendered", &count.to_string());
            if was_stale {
                let _ = canvas.remove_attribute("data-deferred");
            }
            if let Some(token) = token {
                let _ = canvas.set_attribute("data-drawn-for", &token.to_string());
            }
        }
        Err(message) => {
            let text = format!("delever: chart \"{id}\" not redrawn: {message}");
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

/// Draws `job` on `canvas` at `width` × `height` device pixels, with the keyboard's map
/// cell `cursor` outlined; returns what was drawn.
///
/// Straight onto the canvas: drawing off screen and copying over (so a failed draw would
/// keep the old picture) cost a `drawImage` and a new canvas on every move, and a failed
/// draw is already reported on the console.
fn paint(
    canvas: &HtmlCanvasElement,
    job: &Job,
    width: u32,
    height: u32,
    ratio: f64,
    cursor: Option<(usize, usize)>,
) -> Result<Drawn, String> {
    // Setting a canvas's size clears it; otherwise plotters' first fill repaints the whole area.
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into().ok())
        .ok_or("no 2d context")?;
    let area = Batched::new(Context(context), width, height).into_drawing_area();
    let style = job.style.scaled(ratio);
    charts::draw_figure(&job.figure, &area, &style).map_err(|e| e.to_string())?;
    if let (Figure::Map(data), Some(cell)) = (&job.figure, cursor) {
        charts::draw_map_cursor(&area, data, &style, cell).map_err(|e| e.to_string())?;
    }
    area.present().map_err(|e| e.to_string())?;
    Ok(Drawn { figure: job.figure.clone(), style, width, height, ratio })
}

/// Runs `draw` and measures it as `chart:<chart_id>` (`crate::timing`).
fn measured<T>(chart_id: &str, draw: impl FnOnce() -> T) -> T {
    crate::timing::span(&format!("chart:{chart_id}"), draw)
}

/// The browser's 2D context as the batching backend's [`Context2d`].
struct Context(CanvasRenderingContext2d);

/// A JavaScript exception as the backend's error message.
fn message(error: JsValue) -> String {
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

impl Context2d for Context {
    fn set_fill_style(&self, colour: &str) {
        self.0.set_fill_style_str(colour);
    }
    fn set_stroke_style(&self, colour: &str) {
        self.0.set_stroke_style_str(colour);
    }
    fn set_line_width(&self, width: f64) {
        self.0.set_line_width(width);
    }
    fn set_font(&self, font: &str) {
        self.0.set_font(font);
    }
    fn set_text_align(&self, align: &str) {
        self.0.set_text_align(align);
    }
    fn set_text_baseline(&self, baseline: &str) {
        self.0.set_text_baseline(baseline);
    }
    fn begin_path(&self) {
        self.0.begin_path();
    }
    fn move_to(&self, x: f64, y: f64) {
        self.0.move_to(x, y);
    }
    fn line_to(&self, x: f64, y: f64) {
        self.0.line_to(x, y);
    }
    fn rect(&self, x: f64, y: f64, width: f64, height: f64) {
        self.0.rect(x, y, width, height);
    }
    fn circle(&self, x: f64, y: f64, radius: f64) -> Result<(), String> {
        self.0.arc(x, y, radius, 0.0, std::f64::consts::TAU).map_err(message)
    }
    fn close_path(&self) {
        self.0.close_path();
    }
    fn fill(&self) {
        self.0.fill();
    }
    fn stroke(&self) {
        self.0.stroke();
    }
    fn fill_text(&self, text: &str, x: f64, y: f64) -> Result<(), String> {
        self.0.fill_text(text, x, y).map_err(message)
    }
    fn save(&self) {
        self.0.save();
    }
    fn restore(&self) {
        self.0.restore();
    }
    fn translate(&self, x: f64, y: f64) -> Result<(), String> {
        self.0.translate(x, y).map_err(message)
    }
    fn rotate(&self, radians: f64) -> Result<(), String> {
        self.0.rotate(radians).map_err(message)
    }
    fn measure_text(&self, text: &str) -> Result<f64, String> {
        self.0.measure_text(text).map(|metrics| metrics.width()).map_err(message)
    }
}

/// The picture on the page's canvas of chart `chart_id` as PNG bytes, for "save as PNG",
/// with the stamp under it (as many lines as fit, the link cut with `…` if it must be) and
/// whole in the file's `iTXt` "Comment" chunk; `None` if there is no such canvas (or outside
/// a browser).
pub fn stamped_png(chart_id: &str, stamp: &str) -> Option<Vec<u8>> {
    // Outside a browser (native tests) any call into JavaScript would panic.
    if !cfg!(target_arch = "wasm32") || !chart_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let element = document.query_selector(&format!("canvas[data-chart=\"{chart_id}\"]")).ok()??;
    let source: HtmlCanvasElement = element.dyn_into().ok()?;
    // A chart out of view may not be drawn yet: have it draw now (listeners run at once).
    if source.has_attribute("data-deferred") {
        let _ = source.dispatch_event(&web_sys::Event::new(DRAW_NOW).ok()?);
    }
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let width = source.width();
    let font_px = (11.0 * ratio).round();
    let line_height = font_px * 1.35;
    let lines = stamp_lines(stamp, f64::from(width) - 2.0 * font_px, font_px * 0.56, 3);
    let strip = (line_height * lines.len() as f64 + font_px).ceil() as u32;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(width);
    canvas.set_height(source.height().saturating_add(strip));
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()));
    context.draw_image_with_html_canvas_element(&source, 0.0, 0.0).ok()?;
    context.set_fill_style_str("#374151");
    context.set_font(&format!("{font_px}px sans-serif"));
    for (i, line) in lines.iter().enumerate() {
        let y = f64::from(source.height()) + font_px * 0.5 + line_height * (i as f64 + 0.8);
        context.fill_text(line, font_px, y).ok()?;
    }
    let url = canvas.to_data_url_with_type("image/png").ok()?;
    let png = crate::png::data_url_bytes(&url)?;
    crate::png::with_text(&png, "Comment", stamp)
}

/// Offers chart `chart_id` as `file` (PNG) with the stamp of `scenario` in `lang`.
pub fn save_png(file: &str, chart_id: &str, scenario: &delever_model::Scenario, lang: delever_model::Lang) {
    let stamp = crate::export::stamp_of(scenario).text(lang);
    if let Some(bytes) = stamped_png(chart_id, &stamp) {
        crate::web::download_bytes(file, "image/png", &bytes);
    }
}

/// `text` cut into at most `max_lines` lines of about `width / char_width` characters (CJK
/// characters count double), the last ending in `…` when the text is longer.
pub fn stamp_lines(text: &str, width: f64, char_width: f64, max_lines: usize) -> Vec<String> {
    let per_line = if char_width > 0.0 { (width / char_width).floor().max(8.0) as usize } else { 80 };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0usize;
    for c in text.chars() {
        let w = if c.is_ascii() { 1 } else { 2 };
        if used.saturating_add(w) > per_line {
            lines.push(std::mem::take(&mut line));
            used = 0;
            if lines.len() == max_lines {
                if let Some(last) = lines.last_mut() {
                    last.pop();
                    last.push('…');
                }
                return lines;
            }
        }
        line.push(c);
        used = used.saturating_add(w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_wrap_and_end_in_an_ellipsis_when_cut() {
        assert_eq!(stamp_lines("short", 100.0, 10.0, 3), vec!["short"]);
        assert_eq!(stamp_lines("abcdefghijkl", 80.0, 10.0, 3), vec!["abcdefgh", "ijkl"]);
        let cut = stamp_lines(&"x".repeat(100), 80.0, 10.0, 2);
        assert_eq!(cut, vec!["x".repeat(8), format!("{}…", "x".repeat(7))]);
        // Chinese characters take two columns.
        assert_eq!(stamp_lines("模型模型模型", 80.0, 10.0, 3), vec!["模型模型", "模型"]);
    }
    use crate::charts::MapData;

    #[derive(Properties, PartialEq)]
    struct HostProps {
        data: Rc<ChartData>,
    }

    #[function_component(Host)]
    fn host(props: &HostProps) -> Html {
        html! { <ChartCanvas chart={Chart::Waterfall} data={props.data.clone()} /> }
    }

    fn licheng() -> (delever_model::Scenario, delever_model::Projection) {
        let preset = delever_model::presets::get("licheng-2019").expect("preset");
        let scenario = delever_model::parse_scenario(preset.json).expect("parses");
        let projection = delever_model::simulate(&scenario).expect("simulates");
        (scenario, projection)
    }

    #[test]
    fn the_canvas_is_named_for_screen_readers_and_tests() {
        let (scenario, projection) = licheng();
        let data = Rc::new(ChartData::build(&scenario, &projection, None, 0, delever_model::Lang::Zh));
        let renderer = yew::LocalServerRenderer::<Host>::with_props(HostProps { data }).hydratable(false);
        let html = futures::executor::block_on(renderer.render());
        assert!(html.contains("data-chart=\"waterfall\""), "{html}");
        assert!(html.contains("role=\"img\""), "{html}");
        assert!(html.contains("aria-label=\"2019 年不良贷款余额变动\""), "{html}");
        assert!(!html.contains("interactive"), "{html}");
        assert_eq!(stamped_png("waterfall", "stamp"), None, "no canvas outside a browser");
    }

    #[derive(Properties, PartialEq)]
    struct MapHostProps {
        figure: Figure,
        interactive: bool,
    }

    #[function_component(MapHost)]
    fn map_host(props: &MapHostProps) -> Html {
        let hover = props.interactive.then(|| Callback::from(|_: Option<(usize, usize)>| {}));
        html! { <FigureCanvas figure={props.figure.clone()} on_cell_hover={hover} /> }
    }

    #[test]
    fn the_map_canvas_is_named_and_marked_interactive_when_it_reports_cells() {
        let (scenario, _) = licheng();
        let feasibility = delever_model::feasibility(
            &scenario,
            delever_model::Lever::Disposal,
            delever_model::Lever::LoanGrowth,
            3,
            None,
            None,
        )
        .expect("feasibility");
        let data = MapData::build(&feasibility, &scenario, delever_model::Lang::En);
        let figure = Figure::Map(Rc::new(data));
        for interactive in [true, false] {
            let props = MapHostProps { figure: figure.clone(), interactive };
            let renderer = yew::LocalServerRenderer::<MapHost>::with_props(props).hydratable(false);
            let html = futures::executor::block_on(renderer.render());
            assert!(html.contains("data-chart=\"feasibility\""), "{html}");
            assert!(html.contains("aria-label=\"Where targets are met, 2019: NPL ratio\""), "{html}");
            assert_eq!(html.contains("interactive"), interactive, "{html}");
            // Reached by Tab and operated by keys only when it reports cells.
            assert_eq!(html.contains("tabindex=\"0\""), interactive, "{html}");
            let role = if interactive { "role=\"application\"" } else { "role=\"img\"" };
            assert!(html.contains(role), "{html}");
        }
        // Before any drawing there is nothing to hit.
        assert_eq!(Painter::default().cell_at((10, 10)), None);
    }

    #[derive(Properties, PartialEq)]
    struct HintHostProps {
        figure: Figure,
    }

    #[function_component(HintHost)]
    fn hint_host(props: &HintHostProps) -> Html {
        let click = Callback::from(|_: (usize, usize)| {});
        html! { <FigureCanvas figure={props.figure.clone()} on_cell_click={click} keyboard_hint="Arrow keys choose a cell." /> }
    }

    #[test]
    fn the_keyboard_hint_follows_the_title_in_the_map_s_name() {
        let (scenario, _) = licheng();
        let feasibility = delever_model::feasibility(
            &scenario,
            delever_model::Lever::Disposal,
            delever_model::Lever::LoanGrowth,
            3,
            None,
            None,
        )
        .expect("feasibility");
        let figure = Figure::Map(Rc::new(MapData::build(&feasibility, &scenario, delever_model::Lang::En)));
        let renderer =
            yew::LocalServerRenderer::<HintHost>::with_props(HintHostProps { figure }).hydratable(false);
        let html = futures::executor::block_on(renderer.render());
        assert!(
            html.contains("aria-label=\"Where targets are met, 2019: NPL ratio Arrow keys choose a cell.\""),
            "{html}"
        );
    }

    #[test]
    fn keys_move_the_keyboard_cell_inside_the_grid() {
        let size = (5, 4);
        let cases = [
            ("ArrowRight", (2, 1), Some((3, 1))),
            ("ArrowRight", (4, 1), Some((4, 1))),
            ("ArrowLeft", (0, 1), Some((0, 1))),
            ("ArrowLeft", (2, 1), Some((1, 1))),
            // Up is the y lever growing: the row index counts upwards.
            ("ArrowUp", (2, 1), Some((2, 2))),
            ("ArrowUp", (2, 3), Some((2, 3))),
            ("ArrowDown", (2, 0), Some((2, 0))),
            ("Home", (3, 2), Some((0, 2))),
            ("End", (0, 2), Some((4, 2))),
            ("PageUp", (1, 0), Some((1, 3))),
            ("PageDown", (1, 3), Some((1, 0))),
            ("Enter", (1, 1), None),
            ("a", (1, 1), None),
        ];
        for (key, from, want) in cases {
            assert_eq!(stepped(key, from, size), want, "{key} from {from:?}");
        }
    }
}
