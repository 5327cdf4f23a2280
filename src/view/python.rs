//! The box a Python run is shown in, under the lesson's Rust run: its summary line,
//! its timeline (the same component, on the same page clock) and its task table.
//!
//! What fills it is the app's (`app/python.rs`): a record decoded from the bytes
//! `www/python/record.js` wrote from the Python tracer's events.

use super::dom::{attr, part};
use super::lesson::task_table;
use super::timeline::Timeline;
use crate::Error;
use web_sys::{Document, Element};

/// The summary line, the timeline box and the table, parsed once.
const BOX: &str = concat!(r#"<p class="summary" aria-live="polite"></p><div></div>"#, task_table!());

/// A Python run's box. Dropping it stops its timeline's listeners.
pub struct PythonView {
    /// The one-line summary (ARIA live).
    pub summary: Element,
    /// The task table's body.
    pub tbody: Element,
    /// The run on a timeline.
    pub timeline: Timeline,
}

impl PythonView {
    /// Builds the box inside `host`, replacing what it held.
    pub fn build(doc: &Document, host: &Element, title: &str) -> Result<PythonView, Error> {
        host.set_inner_html(BOX);
        let timeline = Timeline::new(doc, &part(host, ".summary + div"))?;
        attr(&part(host, ".table-scroll"), "aria-label", &format!("Tasks of the last Python run: {title}"));
        Ok(PythonView { summary: part(host, ".summary"), tbody: part(host, "tbody"), timeline })
    }
}
