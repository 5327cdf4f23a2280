//! Inspection: the cursor readout, zoom and pan by wheel, drag and keyboard.
//!
//! The readout is text in the page (not pixels on the canvas), so screen readers and
//! copy-paste get the same figures the cursor shows.

use super::layout::{Layout, SegKind};
use super::viewport::Viewport;
use super::Inner;
use crate::num::ms;
use crate::trace::chrome::cause_label;
use crate::trace::state::State as TaskState;
use crate::view::listen::Listener;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Event, KeyboardEvent, MouseEvent, WheelEvent};

/// Attaches the canvas's listeners; they hold the timeline weakly.
pub(super) fn listen(inner: &Rc<Inner>) -> Vec<Listener> {
    let canvas = inner.canvas.clone();
    let target: &web_sys::EventTarget = canvas.as_ref();
    let on = |kind: &'static str, f: fn(&Inner, &Event)| {
        let weak = Rc::downgrade(inner);
        Listener::new(target, kind, move |e| {
            if let Some(inner) = weak.upgrade() {
                f(&inner, &e);
            }
        })
    };
    let mut out = vec![
        on("mousemove", on_move),
        on("mouseleave", |i, _| i.set_cursor(None)),
        on("mousedown", on_down),
        on("mouseup", |i, _| i.state.borrow_mut().drag = None),
        on("wheel", on_wheel),
        on("keydown", on_key),
        on("focus", |i, _| {
            let t = i.state.borrow().layout.span / 2.0;
            i.set_cursor(Some(t));
        }),
    ];
    if let Some(w) = web_sys::window() {
        let weak = Rc::downgrade(inner);
        out.push(Listener::new(w.as_ref(), "resize", move |_| {
            if let Some(inner) = weak.upgrade() {
                inner.paint();
            }
        }));
    }
    out
}

/// Repaints when the canvas's box changes size (its container resized, a sidebar
/// opened), not only when the window does. The repaint waits for the next frame so
/// that setting the canvas height inside the observer cannot loop.
pub(super) struct Resize {
    observer: Option<web_sys::ResizeObserver>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Resize {
    pub(super) fn observe(inner: &Rc<Inner>) -> Resize {
        let weak = Rc::downgrade(inner);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let Some(inner) = weak.upgrade() else { return };
            let width = f64::from(inner.canvas.client_width());
            if (width - inner.state.borrow().view.width).abs() >= 1.0 {
                let weak = Rc::downgrade(&inner);
                let once = wasm_bindgen::closure::Closure::once_into_js(move || {
                    if let Some(inner) = weak.upgrade() {
                        inner.paint();
                    }
                });
                if let Some(w) = web_sys::window() {
                    let _ = w.request_animation_frame(once.unchecked_ref());
                }
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let Some(o) = &observer {
            o.observe(&inner.canvas);
        }
        Resize { observer, _callback: callback }
    }
}

impl Drop for Resize {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
    }
}

fn on_move(inner: &Inner, e: &Event) {
    let Some(e) = e.dyn_ref::<MouseEvent>() else { return };
    let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
    let dragging = inner.state.borrow().drag;
    if let Some((lx, ly)) = dragging {
        {
            let mut s = inner.state.borrow_mut();
            let lanes = s.layout.lanes.len();
            s.follow = false;
            s.view.pan(x - lx, y - ly, lanes);
            s.drag = Some((x, y));
        }
        inner.paint();
        return;
    }
    let (t, label_w) = {
        let s = inner.state.borrow();
        (s.view.t_at(x), s.view.label_w)
    };
    inner.set_cursor((x >= label_w).then_some(t));
    let text = describe_lane(inner, y, t);
    if let Some(text) = text {
        inner.readout.set_text_content(Some(&text));
    }
}

fn on_down(inner: &Inner, e: &Event) {
    if let Some(e) = e.dyn_ref::<MouseEvent>() {
        inner.state.borrow_mut().drag = Some((f64::from(e.offset_x()), f64::from(e.offset_y())));
    }
}

fn on_wheel(inner: &Inner, e: &Event) {
    let Some(e) = e.dyn_ref::<WheelEvent>() else { return };
    e.prevent_default();
    {
        let mut s = inner.state.borrow_mut();
        s.follow = false;
        let lanes = s.layout.lanes.len();
        if e.shift_key() {
            s.view.pan(0.0, -e.delta_y(), lanes);
        } else {
            let factor = zoom_factor(-e.delta_y() / 300.0);
            s.view.zoom(factor, f64::from(e.offset_x()));
        }
    }
    inner.paint();
}

fn on_key(inner: &Inner, e: &Event) {
    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
    {
        let mut s = inner.state.borrow_mut();
        let (w, lanes) = (s.view.width, s.layout.lanes.len());
        let centre = s.view.label_w + (w - s.view.label_w) / 2.0;
        match e.key().as_str() {
            "ArrowLeft" => s.view.pan(80.0, 0.0, lanes),
            "ArrowRight" => s.view.pan(-80.0, 0.0, lanes),
            "ArrowUp" => s.view.pan(0.0, 22.0, lanes),
            "ArrowDown" => s.view.pan(0.0, -22.0, lanes),
            "+" | "=" => s.view.zoom(1.5, centre),
            "-" | "_" => s.view.zoom(1.0 / 1.5, centre),
            "0" => {
                s.follow = true;
                s.view = Viewport::fit(w, s.view.height, s.layout.span.max(1.0));
            }
            _ => return,
        }
        if e.key() != "0" {
            s.follow = false;
        }
        s.cursor = Some(s.view.t_at(centre));
    }
    e.prevent_default();
    let t = inner.state.borrow().cursor;
    inner.set_cursor(t);
}

impl Inner {
    /// The reader moved the cursor: placed, then told to the inspector, if open, by a
    /// `looplab:cursor` event on the canvas (its `detail`: ms since the run began).
    fn set_cursor(&self, t: Option<f64>) {
        self.place_cursor(t);
        let Some(t) = t else { return };
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_detail(&t.into());
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict("looplab:cursor", &init) {
            let _ = self.canvas.dispatch_event(&ev);
        }
    }

    /// Moves the cursor line and says which task was running at that instant.
    pub(super) fn place_cursor(&self, t: Option<f64>) {
        self.state.borrow_mut().cursor = t;
        if let Some(t) = t {
            let text = running_at(&self.state.borrow().layout, t);
            self.readout.set_text_content(Some(&text));
        }
        self.paint();
    }
}

/// "At 153 ms: fetch 150 ms was running (poll 2)." or "…: the loop was idle."
pub fn running_at(l: &Layout, t: f64) -> String {
    // Nested polls: the innermost (deepest) running task is the one reported.
    let running = l
        .lanes
        .iter()
        .filter_map(|lane| lane.seg_at(t, l.span).filter(|s| s.kind == SegKind::Running).map(|s| (lane, s)))
        .max_by_key(|(lane, _)| lane.depth);
    match running {
        Some((lane, s)) => {
            format!("At {}: {} was running (poll {}); every other task waited.", ms(t), lane.name, s.poll.max(1))
        }
        None => format!("At {}: no task was running — the loop was idle, free to fire timers and paint.", ms(t)),
    }
}

/// Details of the lane under the pointer, if any.
fn describe_lane(inner: &Inner, y: f64, t: f64) -> Option<String> {
    let s = inner.state.borrow();
    let row = *s.layout.rows.get(s.view.lane_at(y)?)?;
    let lane = s.layout.lanes.get(row as usize)?;
    let seg = lane.seg_at(t, s.layout.span);
    let what = match seg.map(|g| g.kind) {
        Some(SegKind::Running) => {
            let g = seg.unwrap_or_default();
            let woke = g.woken_by.map_or(String::new(), |c| format!(", woken by {}", cause_label(c)));
            format!("running, poll {} ({}{woke})", g.poll, ms(g.end - g.start))
        }
        Some(SegKind::Waiting) => "waiting".into(),
        Some(SegKind::Scheduled) => "scheduled (woken, queued for the loop)".into(),
        Some(SegKind::Idle) => "created, not yet polled".into(),
        None if lane.state != TaskState::Created && t >= lane.end => lane.state.label().into(),
        None => return None,
    };
    let span = seg.map_or(String::new(), |g| format!(" from {} to {}", ms(g.start), ms(g.end)));
    Some(format!("{} at {}: {}{}.", lane.name, ms(t), what, span))
}

/// About `e^k`, for a wheel's zoom: `(1 + k/2) / (1 - k/2)`, with `k` kept within ±1
/// (a factor of at most 3 per event). Zooming in by `k` and out by `-k` returns
/// exactly to the start, and a notch of 100 px (`k` = 1/3) gives 1.400 against
/// `e^k` = 1.396. Not `f64::exp`: libm's costs 604 bytes of wasm (measured on the
/// playground's module), for a factor no reader can tell from this one.
fn zoom_factor(k: f64) -> f64 {
    let k = k.clamp(-1.0, 1.0) / 2.0;
    (1.0 + k) / (1.0 - k)
}

#[cfg(test)]
mod zoom_tests {
    #[test]
    fn the_wheel_zooms_like_exp_and_back_exactly() {
        use super::zoom_factor;
        for k in [0.01_f64, 0.1, 1.0 / 3.0, 0.5] {
            assert!((zoom_factor(k) / k.exp() - 1.0).abs() < 0.01 * (1.0 + 10.0 * k * k), "{k}");
            assert!((zoom_factor(k) * zoom_factor(-k) - 1.0).abs() < 1e-12);
        }
        assert_eq!(zoom_factor(0.0), 1.0);
        assert_eq!(zoom_factor(50.0), 3.0);
        assert!(zoom_factor(-50.0) > 0.0);
    }
}
