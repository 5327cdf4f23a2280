//! The box a Python run is shown in, under the lesson's Rust run: its summary line,
//! its timeline (the same component, on the same page clock) and its task table.
//!
//! What fills it is the app's (`app/python.rs`): a record decoded from the bytes
//! `www/python/record.js` wrote from the Python tracer's events. While the program
//! runs, the page hands over the record so far every tenth of a second; each one
//! replaces [`PythonView::record`], which the timeline watches, so the run is drawn
//! live, as the Rust run is.

use super::dom::{attr, part};
use super::lesson::task_table;
use super::timeline::Timeline;
use crate::trace::{Reader, Record};
use crate::Error;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::{Document, Element};

/// The summary line, the timeline box and the table, parsed once.
const BOX: &str = concat!(r#"<p class="summary" aria-live="polite"></p><div></div>"#, task_table!());

/// A Python run's box. Dropping it stops its timeline's listeners.
pub struct PythonView {
    /// Where it was built (the page's box for this lesson's Python).
    pub host: Element,
    /// The one-line summary (ARIA live).
    pub summary: Element,
    /// The task table's body.
    pub tbody: Element,
    /// The run on a timeline.
    pub timeline: Timeline,
    /// The record shown: the run so far, then the whole run.
    pub record: Rc<RefCell<Record>>,
    /// Whether the run is over and drawn whole ([`Timeline::finish`] was called).
    pub finished: Cell<bool>,
}

impl PythonView {
    /// Builds the box inside `host`, replacing what it held; its timeline watches
    /// `record` (the run so far), live, until [`PythonView::finish`].
    pub fn build(doc: &Document, host: &Element, title: &str, record: Record) -> Result<PythonView, Error> {
        host.set_inner_html(BOX);
        let timeline = Timeline::new(doc, &part(host, ".summary + div"))?;
        attr(&part(host, ".table-scroll"), "aria-label", &format!("Tasks of the last Python run: {title}"));
        let record = Rc::new(RefCell::new(record));
        timeline.watch(&Reader::new(&record));
        let (summary, tbody) = (part(host, ".summary"), part(host, "tbody"));
        Ok(PythonView { host: host.clone(), summary, tbody, timeline, record, finished: Cell::new(false) })
    }

    /// Whether this box is drawing a run still going on in `host`.
    pub fn is_live_in(&self, host: &Element) -> bool {
        !self.finished.get() && &self.host == host
    }

    /// Shows `record` instead: the same run, further on (it begins as the last did).
    pub fn update(&self, record: Record) {
        *self.record.borrow_mut() = record;
    }

    /// The run is over: draws it whole, and offers its exports.
    pub fn finish(&self) {
        self.finished.set(true);
        self.timeline.finish();
    }
}
