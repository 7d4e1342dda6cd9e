//! [`Batched`]: plotters' `DrawingBackend` over a 2D canvas context that strokes and fills in batches and sets each style only when it changes.
//!
//! `plotters-canvas`, which drew the charts before, begins a path and strokes it for every
//! line segment, dash and rectangle outline, and sets the fill style, stroke style, line
//! width, font and text alignment before every one of them and every label. This backend
//! keeps one pending path instead: consecutive strokes of the same colour and width
//! (polylines, lines, rectangle outlines, circle outlines) go into it and are stroked once,
//! consecutive fills of the same colour (rectangles, pixels, circles) are filled once, and
//! the path is flushed before anything else is drawn (another style, a polygon, a text) and
//! at [`DrawingBackend::present`], so the paint order is the order of the calls. The styles
//! last set on the context are remembered, and set again only when they differ. Measured
//! (`src/charts/tests_batch.rs`, the five charts of Yangjiang and the three analysis
//! charts): 366 strokes and fills instead of 1124, 496 style assignments instead of 2844;
//! in headless Chromium, a Licheng chart's drawing (its `chart:<id>` measure, median of
//! 100 slider moves) went from 0.8–1.3 ms to 0.5–0.9 ms.
//!
//! The picture is `plotters-canvas`'s: the same canvas calls in effect (the same colours
//! written the same way, the same half-pixel shift of horizontal and vertical
//! [`DrawingBackend::draw_line`]s, `start`/`end`/`center` alignment, rotation about the
//! anchor). Two rules keep it so. Only opaque strokes and fills are batched: one stroke of
//! two overlapping subpaths paints their overlap once, two strokes twice, which only shows
//! through a translucent colour. And polygons are never batched: a fill of several
//! subpaths uses the non-zero winding rule, so two overlapping polygons wound in opposite
//! directions would leave a hole; rectangles (`rect`) and circles (`arc`, clockwise) are
//! always wound the same way, so their union is filled whole. Compared pixel by pixel in
//! Chromium (Licheng, 750 × 300): the waterfall and the ranking are identical; on the line
//! charts at most 0.25% of the pixels differ, by at most 22 of 255, where the edges of
//! dashes are anti-aliased within one path instead of one path each.
//!
//! The context is a trait ([`Context2d`]) so that the batching is tested natively with a
//! recording context (`src/charts/tests.rs`); `components::canvas` implements it for the
//! browser's `CanvasRenderingContext2d`.

use std::cell::RefCell;
use std::fmt;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};

/// The calls of a canvas 2D context that [`Batched`] makes (the names of
/// `CanvasRenderingContext2d`'s methods); an error is the context's message.
pub trait Context2d {
    fn set_fill_style(&self, colour: &str);
    fn set_stroke_style(&self, colour: &str);
    fn set_line_width(&self, width: f64);
    fn set_font(&self, font: &str);
    fn set_text_align(&self, align: &str);
    fn set_text_baseline(&self, baseline: &str);
    fn begin_path(&self);
    fn move_to(&self, x: f64, y: f64);
    fn line_to(&self, x: f64, y: f64);
    fn rect(&self, x: f64, y: f64, width: f64, height: f64);
    /// A full circle, clockwise from angle 0.
    fn circle(&self, x: f64, y: f64, radius: f64) -> Result<(), String>;
    fn close_path(&self);
    fn fill(&self);
    fn stroke(&self);
    fn fill_text(&self, text: &str, x: f64, y: f64) -> Result<(), String>;
    fn save(&self);
    fn restore(&self);
    fn translate(&self, x: f64, y: f64) -> Result<(), String>;
    fn rotate(&self, radians: f64) -> Result<(), String>;
    /// The width of `text` in the current font, in pixels.
    fn measure_text(&self, text: &str) -> Result<f64, String>;
}

/// A failed canvas call, with the context's message.
#[derive(Debug)]
pub struct CanvasError(pub String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "canvas error: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

/// What the pending path will be painted with.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Paint {
    Stroke(Colour, u32),
    Fill(Colour),
}

impl Paint {
    /// How `style` paints a shape, filled or outlined; `None` when it is fully transparent.
    fn of<S: BackendStyle>(style: &S, fill: bool) -> Option<Paint> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return None;
        }
        Some(if fill {
            Paint::Fill(Colour::of(colour))
        } else {
            Paint::Stroke(Colour::of(colour), style.stroke_width())
        })
    }
}

/// A colour as plotters gives it; compared by value (plotters' `BackendColor` is not `PartialEq`).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Colour {
    rgb: (u8, u8, u8),
    alpha: f64,
}

impl Colour {
    fn of(colour: BackendColor) -> Colour {
        Colour { rgb: colour.rgb, alpha: colour.alpha }
    }

    /// Written as `plotters-canvas` writes it.
    fn css(self) -> String {
        let (r, g, b) = self.rgb;
        format!("rgba({r},{g},{b},{})", self.alpha)
    }

    fn opaque(self) -> bool {
        self.alpha >= 1.0
    }
}

/// The styles last set on the context; `None` until set by this backend (a context
/// handed over keeps whatever it was left with, so everything is set once at first use).
#[derive(Default)]
struct Set {
    fill: Option<Colour>,
    stroke: Option<Colour>,
    line_width: Option<u32>,
    font: Option<String>,
    align: Option<&'static str>,
    baseline: Option<&'static str>,
}

/// The batching backend over context `C`, `width` × `height` pixels.
pub struct Batched<C: Context2d> {
    context: C,
    size: (u32, u32),
    /// Off: every element is painted and every style set at once, as `plotters-canvas`
    /// does (the tests' reference).
    batching: bool,
    pending: Option<Paint>,
    /// In a `RefCell` because [`DrawingBackend::estimate_text_size`] takes `&self` and sets the font.
    set: RefCell<Set>,
}

impl<C: Context2d> Batched<C> {
    /// A backend drawing on `context`, whose canvas is `width` × `height` pixels.
    pub fn new(context: C, width: u32, height: u32) -> Batched<C> {
        Batched { context, size: (width, height), batching: true, pending: None, set: RefCell::default() }
    }

    /// The same without batching or style caching: what `plotters-canvas` does.
    pub fn unbatched(context: C, width: u32, height: u32) -> Batched<C> {
        let mut backend = Batched::new(context, width, height);
        backend.batching = false;
        backend
    }

    /// Paints the pending path, if any.
    fn flush(&mut self) {
        match self.pending.take() {
            Some(Paint::Stroke(..)) => self.context.stroke(),
            Some(Paint::Fill(_)) => self.context.fill(),
            None => {}
        }
    }

    /// Makes the pending path one painted with `paint`: flushes a path of another paint
    /// and begins a new path with the styles set. The caller adds its subpath, then
    /// calls [`Batched::done`].
    fn open(&mut self, paint: Paint) {
        if self.pending == Some(paint) {
            return;
        }
        self.flush();
        match paint {
            Paint::Stroke(colour, width) => {
                self.set_stroke(colour);
                self.set_line_width(width);
            }
            Paint::Fill(colour) => self.set_fill(colour),
        }
        self.context.begin_path();
        self.pending = Some(paint);
    }

    /// After a subpath is added: paints it now unless it may be batched with the next.
    fn done(&mut self) {
        let batchable = match self.pending {
            Some(Paint::Stroke(colour, _) | Paint::Fill(colour)) => colour.opaque(),
            None => true,
        };
        if !(self.batching && batchable) {
            self.flush();
        }
    }

    fn set_fill(&self, colour: Colour) {
        let mut set = self.set.borrow_mut();
        if !self.batching || set.fill != Some(colour) {
            self.context.set_fill_style(&colour.css());
            set.fill = Some(colour);
        }
    }

    fn set_stroke(&self, colour: Colour) {
        let mut set = self.set.borrow_mut();
        if !self.batching || set.stroke != Some(colour) {
            self.context.set_stroke_style(&colour.css());
            set.stroke = Some(colour);
        }
    }

    fn set_line_width(&self, width: u32) {
        let mut set = self.set.borrow_mut();
        if !self.batching || set.line_width != Some(width) {
            self.context.set_line_width(f64::from(width));
            set.line_width = Some(width);
        }
    }

    fn set_font<S: BackendTextStyle>(&self, style: &S) {
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        let mut set = self.set.borrow_mut();
        if !self.batching || set.font.as_deref() != Some(font.as_str()) {
            self.context.set_font(&font);
            set.font = Some(font);
        }
    }

    fn set_anchor(&self, align: &'static str, baseline: &'static str) {
        let mut set = self.set.borrow_mut();
        if !self.batching || set.align != Some(align) {
            self.context.set_text_align(align);
            set.align = Some(align);
        }
        if !self.batching || set.baseline != Some(baseline) {
            self.context.set_text_baseline(baseline);
            set.baseline = Some(baseline);
        }
    }
}

impl<C: Context2d> Drop for Batched<C> {
    /// Paints what is pending if [`DrawingBackend::present`] was not called (a drawing
    /// that failed half way shows what it drew, as it did before batching).
    fn drop(&mut self) {
        self.flush();
    }
}

type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

fn failed(message: String) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(message))
}

/// A rectangle between two corners as `x, y, width, height`, never negative: a negative
/// size would wind `rect` the other way (see the module's note on filling).
fn normalised((x0, y0): BackendCoord, (x1, y1): BackendCoord) -> (f64, f64, f64, f64) {
    let (left, right) = (x0.min(x1), x0.max(x1));
    let (top, bottom) = (y0.min(y1), y0.max(y1));
    (f64::from(left), f64::from(top), f64::from(right) - f64::from(left), f64::from(bottom) - f64::from(top))
}

impl<C: Context2d> DrawingBackend for Batched<C> {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn {
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.open(Paint::Fill(Colour::of(colour)));
        self.context.rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        self.done();
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        // A horizontal or vertical line half a pixel over, so a one-pixel line covers one
        // row of pixels instead of two half-lit ones (as `plotters-canvas` does).
        let (mut x0, mut y0, mut x1, mut y1) =
            (f64::from(from.0), f64::from(from.1), f64::from(to.0), f64::from(to.1));
        if from.0 == to.0 {
            x0 -= 0.5;
            x1 -= 0.5;
        }
        if from.1 == to.1 {
            y0 -= 0.5;
            y1 -= 0.5;
        }
        self.open(Paint::Stroke(Colour::of(colour), style.stroke_width()));
        self.context.move_to(x0, y0);
        self.context.line_to(x1, y1);
        self.done();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let Some(paint) = Paint::of(style, fill) else { return Ok(()) };
        self.open(paint);
        let (x, y, width, height) = normalised(upper_left, bottom_right);
        self.context.rect(x, y, width, height);
        self.done();
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let mut points = path.into_iter();
        let Some(first) = points.next() else { return Ok(()) };
        self.open(Paint::Stroke(Colour::of(colour), style.stroke_width()));
        self.context.move_to(f64::from(first.0), f64::from(first.1));
        for point in points {
            self.context.line_to(f64::from(point.0), f64::from(point.1));
        }
        self.done();
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let mut vertices = vertices.into_iter();
        let Some(first) = vertices.next() else { return Ok(()) };
        self.open(Paint::Fill(Colour::of(colour)));
        self.context.move_to(f64::from(first.0), f64::from(first.1));
        for vertex in vertices {
            self.context.line_to(f64::from(vertex.0), f64::from(vertex.1));
        }
        self.context.close_path();
        // Never batched: see the module's note on winding.
        self.flush();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let Some(paint) = Paint::of(style, fill) else { return Ok(()) };
        self.open(paint);
        let (x, y, r) = (f64::from(centre.0), f64::from(centre.1), f64::from(radius));
        // A subpath of its own: without the move, the arc would be joined to the last point.
        self.context.move_to(x + r, y);
        self.context.circle(x, y, r).map_err(failed)?;
        self.done();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        let anchor = style.anchor();
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        let baseline = match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        // The styles are set before `save`, so `restore` leaves them as remembered.
        self.set_fill(Colour::of(colour));
        self.set_font(style);
        self.set_anchor(align, baseline);
        let quarter_turns: u8 = match style.transform() {
            FontTransform::None => 0,
            FontTransform::Rotate90 => 1,
            FontTransform::Rotate180 => 2,
            FontTransform::Rotate270 => 3,
        };
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        if quarter_turns == 0 {
            return self.context.fill_text(text, x, y).map_err(failed);
        }
        self.context.save();
        let drawn = self
            .context
            .translate(x, y)
            .and_then(|()| self.context.rotate(f64::from(quarter_turns) * std::f64::consts::FRAC_PI_2))
            .and_then(|()| self.context.fill_text(text, 0.0, 0.0));
        self.context.restore();
        drawn.map_err(failed)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        // Setting the font does not touch the pending path, so nothing is flushed.
        self.set_font(style);
        let width = self.context.measure_text(text).map_err(failed)?;
        let size =
            |v: f64| if v.is_finite() && v > 0.0 { v.ceil().min(f64::from(u32::MAX)) as u32 } else { 0 };
        Ok((size(width), size(style.size())))
    }
}
