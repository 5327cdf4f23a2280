//! The live timeline: one lane per task, a loop lane on top, painted on a canvas while
//! the run happens and kept afterwards for inspection (zoom, pan, cursor, replay).
//!
//! It only reads a record, through a [`Reader`]; it never drives tasks. Drawing is split in three:
//! [`layout`] turns the record into lanes and segments, [`viewport`] maps time and
//! lanes to pixels, and [`paint`] draws what is visible.

pub mod axis;
pub mod layout;
pub mod paint;
mod readout;
pub mod viewport;

use super::dom::now;
use super::dom::{append, attr, el, el_as};
use super::export::ExportRow;
use super::frame::FrameLoop;
use super::listen::Listener;
use super::meters::Meters;
use crate::trace::Reader;
use crate::Error;
use layout::Layout;
use paint::{paint, Palette};
use std::cell::RefCell;
use std::rc::Rc;
use viewport::Viewport;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, Element, HtmlCanvasElement};

/// Tallest the canvas grows before its lanes scroll, CSS px.
const MAX_HEIGHT: f64 = 440.0;

/// A timeline mounted in the page. Dropping it stops its frame loop and listeners.
pub struct Timeline {
    inner: Rc<Inner>,
    _listeners: Vec<Listener>,
    _resize: readout::Resize,
}

struct Inner {
    canvas: HtmlCanvasElement,
    exports: ExportRow,
    ctx: CanvasRenderingContext2d,
    readout: Element,
    meters: Meters,
    state: RefCell<State>,
    frames: RefCell<Option<FrameLoop>>,
}

struct State {
    rec: Option<Reader>,
    layout: Layout,
    view: Viewport,
    follow: bool,
    live: bool,
    cursor: Option<f64>,
    drag: Option<(f64, f64)>,
    replay: Option<(f64, f64)>,
    replay_end: f64,
}

impl Timeline {
    /// Builds the timeline's canvas, meters and readout inside `host`.
    pub fn new(doc: &Document, host: &Element) -> Result<Timeline, Error> {
        attr(host, "class", "ll-timeline");
        let meters = Meters::new(doc, host);
        let canvas: HtmlCanvasElement = el_as(doc, "canvas", "");
        attr(&canvas, "tabindex", "0");
        attr(&canvas, "role", "img");
        attr(&canvas, "aria-label", "Timeline of the run. Arrow keys pan, + and − zoom, 0 fits the whole run.");
        append(host, &canvas);
        let readout = el(doc, "p", "Hover or focus the timeline to see which task ran when.");
        attr(&readout, "class", "ll-readout");
        append(host, &readout);
        let replay = el(doc, "div", "");
        attr(&replay, "class", "ll-replay");
        append(host, &replay);
        let ctx: CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into().ok())
            .ok_or_else(|| Error::Browser("no 2D canvas context".into()))?;
        let state = State {
            rec: None,
            layout: Layout::default(),
            view: Viewport::fit(800.0, 120.0, 100.0),
            follow: true,
            live: false,
            cursor: None,
            drag: None,
            replay: None,
            replay_end: 0.0,
        };
        let exports = ExportRow::new(doc, host);
        let inner = Rc::new(Inner { canvas, exports, ctx, readout, meters, state: RefCell::new(state), frames: RefCell::new(None) });
        let mut listeners = readout::listen(&inner);
        listeners.extend(replay_buttons(doc, &replay, &inner));
        let weak = Rc::downgrade(&inner);
        listeners.extend(inner.exports.on_click(move || weak.upgrade().and_then(|i| i.state.borrow().rec.clone())));
        // The page's colours changed (www/mount.js sends this on a theme switch): repaint.
        let weak = Rc::downgrade(&inner);
        listeners.push(Listener::new(inner.canvas.as_ref(), "looplab:repaint", move |_| {
            if let Some(inner) = weak.upgrade() {
                inner.paint();
            }
        }));
        inner.paint();
        let resize = readout::Resize::observe(&inner);
        Ok(Timeline { inner, _listeners: listeners, _resize: resize })
    }

    /// Starts painting `rec` live, every frame, until [`finish`](Self::finish).
    pub fn watch(&self, rec: &Reader) {
        {
            let mut s = self.inner.state.borrow_mut();
            s.rec = Some(rec.clone());
            s.layout = Layout::default();
            s.live = true;
            s.follow = true;
            s.replay = None;
        }
        self.inner.meters.start();
        self.inner.run_frames();
    }

    /// The run ended: one last paint of the complete record, then idle. The run is
    /// also offered as a Chrome trace file and published to DevTools' Performance panel.
    pub fn finish(&self) {
        self.inner.state.borrow_mut().live = false;
        self.inner.meters.stop();
        self.inner.relayout(f64::INFINITY);
        self.inner.paint();
        self.inner.offer_exports();
        let frames = self.inner.frames.borrow_mut().take();
        drop(frames);
    }

    /// The row of export actions (shown once a run has finished), for the owner to
    /// add its own (the lesson adds "Copy summary").
    pub fn exports(&self) -> &ExportRow {
        &self.inner.exports
    }

    /// Puts the cursor at `t` (ms since the run began), as the inspector steps.
    pub fn show_at(&self, t: f64) {
        self.inner.place_cursor(Some(t));
    }

    /// Replays the finished run at `speed` (1.0, 0.25, 0.1): events appear as they did.
    pub fn replay(&self, speed: f64) {
        self.inner.replay(speed);
    }
}

impl Inner {
    /// Offers the finished run's exports (and publishes its DevTools entries).
    fn offer_exports(&self) {
        let Some(rec) = self.state.borrow().rec.clone() else { return };
        self.exports.offer(&rec.read());
    }

    fn replay(self: &Rc<Self>, speed: f64) {
        {
            let mut s = self.state.borrow_mut();
            if s.rec.is_none() || s.live || speed.is_nan() || speed <= 0.0 {
                return;
            }
            s.replay = Some((now(), speed));
            let full = s.layout.span;
            s.layout = Layout::default();
            // Keep the whole run in view while it is redrawn from the start.
            s.follow = false;
            s.view = Viewport::fit(s.view.width, s.view.height, full.max(1.0));
            s.replay_end = full;
        }
        self.run_frames();
    }

    fn run_frames(self: &Rc<Self>) {
        let me = Rc::downgrade(self);
        let frames = FrameLoop::start(move |_| me.upgrade().is_some_and(|inner| inner.frame()));
        let previous = self.frames.borrow_mut().replace(frames);
        drop(previous);
    }

    /// One animation frame; returns whether to keep going.
    fn frame(&self) -> bool {
        let (live, replay) = {
            let s = self.state.borrow();
            (s.live, s.replay)
        };
        let until = match replay {
            Some((started, speed)) => (now() - started) * speed,
            None => f64::INFINITY,
        };
        self.relayout(until);
        self.paint();
        if live {
            self.meters.frame();
        }
        let done_replaying = replay.is_some_and(|_| until >= self.state.borrow().replay_end);
        if done_replaying {
            self.state.borrow_mut().replay = None;
        }
        live || (replay.is_some() && !done_replaying)
    }

    /// Feeds the layout what the record gained since the last frame, up to `until`
    /// ms since its origin; while live, open segments reach the present moment.
    fn relayout(&self, until: f64) {
        let Some(rec) = self.state.borrow().rec.clone() else { return };
        let record = rec.read();
        let mut s = self.state.borrow_mut();
        s.layout.feed(&record, until);
        if s.live {
            s.layout.span = s.layout.span.max(now() - record.origin());
        } else if until.is_finite() {
            s.layout.span = s.layout.span.max(until);
        }
        if s.follow {
            let (w, h) = (s.view.width, s.view.height);
            s.view = Viewport::fit(w, h, s.layout.span.max(if s.live { 100.0 } else { 1.0 }));
        }
    }

    /// Sizes the canvas for its box and the device pixel ratio, then paints.
    fn paint(&self) {
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
        let mut s = self.state.borrow_mut();
        let width = f64::from(self.canvas.client_width()).max(320.0);
        let height = Viewport::natural_height(s.layout.rows.len()).min(MAX_HEIGHT);
        if s.view.width != width || s.view.height != height {
            s.view.width = width;
            s.view.height = height;
            s.view.label_w = viewport::LABEL_W.min((width * 0.3).round());
            if s.follow {
                s.view = Viewport::fit(width, height, s.layout.span.max(1.0));
            }
        }
        let _ = self.canvas.style().set_property("height", &format!("{}px", crate::num::fixed(height, 1)));
        let (pw, ph) = ((width * dpr).round() as u32, (height * dpr).round() as u32);
        if self.canvas.width() != pw || self.canvas.height() != ph {
            self.canvas.set_width(pw);
            self.canvas.set_height(ph);
        }
        let _ = self.ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        let pal = palette(&self.canvas);
        paint(&self.ctx, &s.layout, &s.view, &pal, s.cursor);
        // Shade when the page was hidden (throttled timers): see runtime/visibility.rs.
        let hidden = s.rec.as_ref().map(|r| r.read().hidden_spans(r.read().origin() + s.layout.span));
        paint::hidden_periods(&self.ctx, &s.view, &pal, &hidden.unwrap_or_default());
    }
}

/// The replay controls: the finished run again at 1×, ¼× and ⅒× speed.
fn replay_buttons(doc: &Document, bar: &Element, inner: &Rc<Inner>) -> Vec<Listener> {
    append(bar, &el(doc, "span", "Replay"));
    let mut out = Vec::new();
    for (label, speed, title) in [("1×", 1.0, "real time"), ("¼×", 0.25, "quarter speed"), ("⅒×", 0.1, "tenth speed")] {
        let b = el(doc, "button", label);
        attr(&b, "type", "button");
        attr(&b, "title", &format!("Replay the last run at {title}"));
        attr(&b, "aria-label", &format!("Replay at {label}, {title}"));
        append(bar, &b);
        let weak = Rc::downgrade(inner);
        out.push(Listener::new(b.as_ref(), "click", move |_| {
            if let Some(inner) = weak.upgrade() {
                inner.replay(speed);
            }
        }));
    }
    out
}

/// Reads the theme from the canvas's CSS custom properties, with fallbacks.
fn palette(canvas: &HtmlCanvasElement) -> Palette {
    let style = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
    let var = |name: &str, fallback: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    Palette {
        surface: var("--ll-surface", "#ffffff"),
        text: var("--ll-text", "#1d1f24"),
        muted: var("--ll-muted", "#555b66"),
        grid: var("--ll-border", "#d9dbd6"),
        run: var("--ll-run", "#1f5fbf"),
        wait: var("--ll-wait", "#b9cdee"),
        done: var("--ll-done", "#1c7a3a"),
        failed: var("--ll-failed", "#b3261e"),
        cancelled: var("--ll-cancelled", "#6b5a00"),
        font: var("--ll-font", "system-ui, sans-serif"),
    }
}
