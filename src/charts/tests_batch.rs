//! Native tests of what the browser draws: the batching backend paints what the unbatched one does with fewer calls, and a chart is redrawn only when its picture changes.
//!
//! The browser's context is replaced by [`Recorder`], which keeps the canvas state a real
//! context would (styles, the path, the transform) and writes down every primitive as
//! it is painted: each subpath of a `stroke()` or `fill()` with the style it is painted
//! in, each text with its font, alignment and transform. Two drawings that paint the same
//! primitives in the same order paint the same picture (all our colours are opaque).

use std::cell::RefCell;
use std::rc::Rc;

use delever_model::Lang;
use plotters::prelude::{IntoDrawingArea, SVGBackend};

use super::batch::{Batched, Context2d};
use super::tests::{AGGREGATE, preset};
use super::tests_analyses::figures;
use super::{Chart, ChartData, Figure, Style, draw, draw_figure};

/// The context's state that `save` and `restore` keep.
#[derive(Clone, Default)]
struct State {
    fill: String,
    stroke: String,
    line_width: f64,
    font: String,
    align: String,
    baseline: String,
    /// Translation and rotation.
    transform: (f64, f64, f64),
}

/// What a [`Recorder`] saw.
#[derive(Default)]
struct Log {
    state: State,
    saved: Vec<State>,
    /// The current path's subpaths, each as its commands.
    path: Vec<String>,
    /// Every primitive painted, in order.
    painted: Vec<String>,
    strokes: usize,
    fills: usize,
    /// Style assignments, and those that set the value already set.
    styles: usize,
    redundant: usize,
}

/// A 2D context that records; clones share the log.
#[derive(Clone, Default)]
struct Recorder(Rc<RefCell<Log>>);

impl Recorder {
    fn set(&self, pick: impl FnOnce(&mut Log) -> &mut String, value: &str) {
        let mut log = self.0.borrow_mut();
        log.styles += 1;
        let slot = pick(&mut log);
        let same = slot == value;
        *slot = value.to_string();
        if same {
            log.redundant += 1;
        }
    }

    fn command(&self, command: String, new_subpath: bool) {
        let mut log = self.0.borrow_mut();
        match log.path.last_mut() {
            Some(last) if !new_subpath => last.push_str(&command),
            _ => log.path.push(command),
        }
    }
}

impl Context2d for Recorder {
    fn set_fill_style(&self, colour: &str) {
        self.set(|log| &mut log.state.fill, colour);
    }
    fn set_stroke_style(&self, colour: &str) {
        self.set(|log| &mut log.state.stroke, colour);
    }
    fn set_line_width(&self, width: f64) {
        let mut log = self.0.borrow_mut();
        log.styles += 1;
        if log.state.line_width == width {
            log.redundant += 1;
        }
        log.state.line_width = width;
    }
    fn set_font(&self, font: &str) {
        self.set(|log| &mut log.state.font, font);
    }
    fn set_text_align(&self, align: &str) {
        self.set(|log| &mut log.state.align, align);
    }
    fn set_text_baseline(&self, baseline: &str) {
        self.set(|log| &mut log.state.baseline, baseline);
    }
    fn begin_path(&self) {
        self.0.borrow_mut().path.clear();
    }
    fn move_to(&self, x: f64, y: f64) {
        self.command(format!("M{x},{y}"), true);
    }
    fn line_to(&self, x: f64, y: f64) {
        self.command(format!("L{x},{y}"), false);
    }
    fn rect(&self, x: f64, y: f64, width: f64, height: f64) {
        // A closed subpath of its own.
        self.command(format!("R{x},{y},{width},{height}"), true);
    }
    fn circle(&self, x: f64, y: f64, radius: f64) -> Result<(), String> {
        self.command(format!("A{x},{y},{radius}"), false);
        Ok(())
    }
    fn close_path(&self) {
        self.command("Z".into(), false);
    }
    fn fill(&self) {
        let mut log = self.0.borrow_mut();
        log.fills += 1;
        let painted: Vec<String> =
            log.path.iter().map(|sub| format!("fill {} {sub}", log.state.fill)).collect();
        log.painted.extend(painted);
    }
    fn stroke(&self) {
        let mut log = self.0.borrow_mut();
        log.strokes += 1;
        let painted: Vec<String> = log
            .path
            .iter()
            .map(|sub| format!("stroke {} {} {sub}", log.state.stroke, log.state.line_width))
            .collect();
        log.painted.extend(painted);
    }
    fn fill_text(&self, text: &str, x: f64, y: f64) -> Result<(), String> {
        let mut log = self.0.borrow_mut();
        let line = format!(
            "text {} {} {} {} {:?} {text} {x},{y}",
            log.state.fill, log.state.font, log.state.align, log.state.baseline, log.state.transform
        );
        log.painted.push(line);
        Ok(())
    }
    fn save(&self) {
        let mut log = self.0.borrow_mut();
        let state = log.state.clone();
        log.saved.push(state);
    }
    fn restore(&self) {
        let mut log = self.0.borrow_mut();
        if let Some(state) = log.saved.pop() {
            log.state = state;
        }
    }
    fn translate(&self, x: f64, y: f64) -> Result<(), String> {
        let mut log = self.0.borrow_mut();
        log.state.transform.0 += x;
        log.state.transform.1 += y;
        Ok(())
    }
    fn rotate(&self, radians: f64) -> Result<(), String> {
        self.0.borrow_mut().state.transform.2 += radians;
        Ok(())
    }
    fn measure_text(&self, text: &str) -> Result<f64, String> {
        Ok(text.chars().count() as f64 * 6.0)
    }
}

/// The log of drawing `figure` through the backend, batched or not.
fn record(figure: &Figure, batching: bool) -> Rc<RefCell<Log>> {
    let recorder = Recorder::default();
    let (width, height) = (800, 450);
    let backend = if batching {
        Batched::new(recorder.clone(), width, height)
    } else {
        Batched::unbatched(recorder.clone(), width, height)
    };
    let area = backend.into_drawing_area();
    draw_figure(figure, &area, &Style::normal()).expect("draws");
    area.present().expect("presents");
    recorder.0
}

#[test]
fn batching_paints_the_same_primitives_with_fewer_calls() {
    let (scenario, projection) = preset("yangjiang-2016-2018");
    let data = Rc::new(ChartData::build(&scenario, &projection, Some(&projection), 2, Lang::Zh));
    let mut all: Vec<Figure> = Chart::ALL.iter().map(|chart| Figure::Chart(*chart, data.clone())).collect();
    all.extend(figures());
    // Batched strokes and fills, unbatched ones, batched style sets, unbatched ones.
    let mut totals = (0, 0, 0, 0);
    for figure in &all {
        let id = figure.id();
        let (batched, reference) = (record(figure, true), record(figure, false));
        let (batched, reference) = (batched.borrow(), reference.borrow());
        assert!(!reference.painted.is_empty(), "{id}: draws something");
        assert_eq!(batched.painted, reference.painted, "{id}: the same picture");
        assert_eq!(batched.redundant, 0, "{id}: no style set twice to the same value");
        assert!(
            batched.styles < reference.styles,
            "{id}: {} style sets, unbatched {}",
            batched.styles,
            reference.styles
        );
        let (calls, before) = (batched.strokes + batched.fills, reference.strokes + reference.fills);
        // A chart whose bars alternate colour with their labels (the waterfall) gains nothing.
        assert!(calls <= before, "{id}: {calls} strokes and fills, unbatched {before}");
        totals =
            (totals.0 + calls, totals.1 + before, totals.2 + batched.styles, totals.3 + reference.styles);
        if std::env::var_os("DELEVER_BATCH_STATS").is_some() {
            println!(
                "{id}: strokes+fills {calls} (unbatched {before}), styles {} ({})",
                batched.styles, reference.styles
            );
        }
    }
    // Measured on these eight figures: 366 strokes and fills instead of 1124, 496 style sets
    // instead of 2844.
    assert!(totals.0 * 2 < totals.1, "strokes and fills {} of {}", totals.0, totals.1);
    assert!(totals.2 * 3 < totals.3, "style sets {} of {}", totals.2, totals.3);
}

/// `chart` of `data` as an SVG string.
fn svg(chart: Chart, data: &ChartData) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 450)).into_drawing_area();
        draw(chart, &area, data, &Style::normal()).expect("draws");
        area.present().expect("presents");
    }
    svg
}

#[test]
fn a_chart_is_redrawn_exactly_when_its_picture_changes() {
    use Chart::{Balances, Disposal, NplRatio, Ranking, Waterfall};
    let (scenario, projection) = preset("yangjiang-2016-2018");
    let base = ChartData::build(&scenario, &projection, Some(&projection), 2, Lang::En);
    let changed = |change: &dyn Fn(&mut ChartData)| {
        let mut data = base.clone();
        change(&mut data);
        data
    };
    // (what changes, the data after the change, the charts whose picture changes)
    let cases: Vec<(&str, ChartData, &[Chart])> = vec![
        ("nothing", base.clone(), &[]),
        (
            "another year",
            ChartData::build(&scenario, &projection, Some(&projection), 1, Lang::En),
            &[Waterfall, Disposal, Ranking],
        ),
        (
            "another language",
            ChartData::build(&scenario, &projection, Some(&projection), 2, Lang::Zh),
            &Chart::ALL,
        ),
        ("the ratio path", changed(&|d| d.npl_ratio[30] = d.npl_ratio[30].map(|v| v * 1.5)), &[NplRatio]),
        ("the loans", changed(&|d| d.loans[20] = d.loans[20].map(|v| v * 1.3)), &[Balances]),
        ("the waterfall", changed(&|d| d.waterfall[1].value *= 1.5), &[Waterfall]),
        ("the disposal", changed(&|d| d.disposal_by_channel[3][0] += 10.0), &[Disposal]),
        ("an institution", changed(&|d| d.institution_ranking[0].value *= 2.0), &[Ranking]),
        ("no baseline", changed(&|d| d.has_baseline = false), &[Ranking]),
        ("the unit", changed(&|d| d.unit = "万元".into()), &[Balances, Waterfall, Disposal, Ranking]),
        (
            "a compared scenario",
            base.clone().with_others([("B", &preset(AGGREGATE).1)]),
            &[NplRatio, Balances],
        ),
    ];
    for (what, after, redrawn) in &cases {
        for chart in Chart::ALL {
            let same = base.draws_same(after, chart);
            assert_eq!(same, !redrawn.contains(&chart), "{what}: {} kept", chart.id());
            // Kept means the same picture; redrawn means a different one.
            let unchanged = svg(chart, &base) == svg(chart, after);
            assert_eq!(unchanged, same, "{what}: {} picture unchanged", chart.id());
        }
    }
}
