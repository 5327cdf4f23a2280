//! The meters: frames per second and event-loop lag, measured while a run is live.
//!
//! Lag is how late a 50 ms browser interval fires. While the loop is free it fires on
//! time; when a task computes without awaiting, the interval cannot fire until it
//! stops, and the lag shows how long the page was frozen.

use super::dom::now;
use super::dom::{append, attr, el};
use crate::num::fixed;
use gloo_timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;
use web_sys::{Document, Element};

/// The interval the lag meter expects, in ms.
pub const LAG_PERIOD_MS: u32 = 50;

/// The two meters' DOM and their figures.
pub struct Meters {
    fps_el: Element,
    lag_el: Element,
    frames: Cell<u32>,
    fps_since: Cell<f64>,
    fps: Cell<f64>,
    lag: Rc<Cell<(f64, f64)>>,
    interval: std::cell::RefCell<Option<Interval>>,
}

impl Meters {
    /// Creates the meters inside `parent`.
    pub fn new(doc: &Document, parent: &Element) -> Meters {
        let box_ = el(doc, "div", "");
        attr(&box_, "class", "ll-meters");
        let fps_el = el(doc, "span", "— fps");
        let lag_el = el(doc, "span", "lag —");
        attr(&fps_el, "title", "frames painted per second while the run is live");
        attr(&lag_el, "title", "how late a 50 ms timer fires: the event loop's lag (now, and the worst this run)");
        append(&box_, &fps_el);
        append(&box_, &lag_el);
        append(parent, &box_);
        Meters {
            fps_el,
            lag_el,
            frames: Cell::new(0),
            fps_since: Cell::new(now()),
            fps: Cell::new(0.0),
            lag: Rc::new(Cell::new((0.0, 0.0))),
            interval: Default::default(),
        }
    }

    /// Starts measuring lag (a fresh maximum) and frame rate.
    pub fn start(&self) {
        self.lag.set((0.0, 0.0));
        self.fps.set(0.0);
        self.frames.set(0);
        self.fps_since.set(now());
        let lag = self.lag.clone();
        let last = Cell::new(now());
        let interval = Interval::new(LAG_PERIOD_MS, move || {
            let t = now();
            let late = (t - last.replace(t) - f64::from(LAG_PERIOD_MS)).max(0.0);
            let (_, max) = lag.get();
            lag.set((late, max.max(late)));
        });
        *self.interval.borrow_mut() = Some(interval);
    }

    /// Stops the lag timer; the figures stay on screen. A run shorter than the half
    /// second the frame rate is averaged over gets its own average.
    pub fn stop(&self) {
        let interval = self.interval.borrow_mut().take();
        drop(interval);
        let elapsed = now() - self.fps_since.get();
        if self.fps.get() == 0.0 && elapsed > 0.0 && self.frames.get() > 1 {
            self.fps.set(f64::from(self.frames.get()) * 1000.0 / elapsed);
            self.fps_el.set_text_content(Some(&format!("{} fps", fixed(self.fps.get(), 0))));
        }
    }

    /// Counts one painted frame and refreshes the readouts.
    pub fn frame(&self) {
        self.frames.set(self.frames.get() + 1);
        let t = now();
        let since = self.fps_since.get();
        if t - since >= 500.0 {
            self.fps.set(f64::from(self.frames.replace(0)) * 1000.0 / (t - since));
            self.fps_since.set(t);
        }
        let (lag, max) = self.lag.get();
        self.fps_el.set_text_content(Some(&format!("{} fps", fixed(self.fps.get(), 0))));
        self.lag_el.set_text_content(Some(&format!("lag {} ms (max {})", fixed(lag, 0), fixed(max, 0))));
    }
}
