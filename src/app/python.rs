//! The lesson's Python, run by CPython in the page (Pyodide), shown under its Rust run.
//!
//! Loading Pyodide and running the program is JavaScript's (`www/python/`: `load.js`,
//! `run.js`, and `trace.py`, which records every step, wake and outcome of every
//! asyncio task with `performance.now()`). `record.js` writes those events in the
//! record format of `trace::dump`, and [`LessonHandle::show_python`] turns them into
//! a [`Record`](crate::trace::Record) and shows it as the Rust run is shown: a
//! timeline on the same page clock, the task table, the summary line, and the summary
//! JSON (with `language: "python"`) that `element.run({ language: "python" })`
//! resolves to. One module, one timeline component, one tracker for both languages.

use super::lesson::LessonHandle;
use crate::trace::dump::{decode, Decoded};
use crate::trace::summary::{summary_json, Ending};
use crate::trace::Record;
use crate::view::dom::document;
use crate::view::python::PythonView;
use crate::view::table::{render_rows, summary_line};
use crate::Error;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// A wait's `(rust_line, python_line)` in the code shown.
type Lines = (Option<u32>, Option<u32>);

#[wasm_bindgen]
impl LessonHandle {
    /// The Python the lesson's pane shows now, its parameters filled from the form: the
    /// program the page runs for "the Python too".
    #[wasm_bindgen(getter)]
    pub fn python(&self) -> String {
        self.python_text()
    }

    /// The last Rust run's summary JSON, "" before any: what the Python run is compared with.
    #[wasm_bindgen(getter, js_name = lastSummary)]
    pub fn rust_summary(&self) -> String {
        self.last_summary()
    }

    /// Shows a Python run of this lesson inside `host` (its box, made by
    /// `www/python/lesson.js`): `bytes` is its record (`trace::dump`'s format), `error`
    /// the exception the program ended with, if any. Returns the run's summary JSON,
    /// its verdict and figures empty: the lesson's verdict of its Python run is read
    /// by the inspector's module (`Replay.pythonVerdict`, see `crate::verdicts`),
    /// which `lesson.js` loads only then, and merged in there.
    #[wasm_bindgen(js_name = showPython)]
    pub fn show_python(&self, host: &Element, bytes: &[u8], error: Option<String>) -> Result<String, JsValue> {
        let Decoded { record, lines } =
            decode(bytes).map_err(|why| Error::BadInput(format!("the Python run's record cannot be read: {why}")))?;
        let lines: Vec<_> = lines.into_iter().map(|(rust, python)| (rust.or_else(|| rust_line(self.awaits(), python)), python)).collect();
        let doc = document()?;
        let view = self.python_box(&doc, host, record)?;
        view.finish();
        let json = self.python_summary(&doc, &view, error, &lines);
        self.keep_python(view);
        json
    }

    /// Draws a Python run still going on in `host`: `bytes` is its record so far
    /// (`trace::dump`'s format), which `www/python/run.js` hands over every tenth of a
    /// second; [`LessonHandle::show_python`] then shows the whole run in the same box.
    #[wasm_bindgen(js_name = showPythonLive)]
    pub fn show_python_live(&self, host: &Element, bytes: &[u8]) -> Result<(), JsValue> {
        let Decoded { record, .. } =
            decode(bytes).map_err(|why| Error::BadInput(format!("the Python run's record cannot be read: {why}")))?;
        let view = self.python_box(&document()?, host, record)?;
        self.keep_python(view);
        Ok(())
    }

    /// Puts the Python run's timeline cursor at `t_ms` (ms since that run began): its
    /// inspector steps through it as the Rust run's does with `showAt`.
    #[wasm_bindgen(js_name = showPythonAt)]
    pub fn show_python_at(&self, t_ms: f64) {
        if let Some(view) = self.python_view().as_ref() {
            view.timeline.show_at(t_ms);
        }
    }
}

impl LessonHandle {
    /// The box of the Python run in `host`, showing `record`: the live one, further
    /// on, or a new one (a new run, or no live drawing before its end). The caller
    /// keeps it back ([`LessonHandle::keep_python`]).
    fn python_box(&self, doc: &Document, host: &Element, record: Record) -> Result<PythonView, Error> {
        match self.take_python() {
            Some(view) if view.is_live_in(host) => {
                view.update(record);
                Ok(view)
            }
            _ => PythonView::build(doc, host, &self.lesson(), record),
        }
    }

    /// Fills the finished run's table and summary line; returns its summary JSON.
    fn python_summary(&self, doc: &Document, view: &PythonView, error: Option<String>, lines: &[Lines]) -> Result<String, JsValue> {
        let lesson = self.lesson();
        let record = view.record.borrow();
        render_rows(doc, &view.tbody, &record)?;
        view.summary.set_text_content(Some(&summary_line(&record)));
        let ending = Ending { lesson: &lesson, language: "python", verdict: None, figures: &[], error: error.as_deref() };
        Ok(summary_json(&ending, &record, &|i| lines.get(i as usize).copied().unwrap_or((None, None))))
    }
}

/// The Rust line that awaits what Python line `python` awaits, from the lesson's
/// `awaits` pairs: the Python tracer knows only where the Python is parked. `None`
/// when no pair, or more than one, has that Python line.
fn rust_line(awaits: &[(u32, u32)], python: Option<u32>) -> Option<u32> {
    let python = python?;
    let mut pairs = awaits.iter().filter(|a| a.1 == python);
    match (pairs.next(), pairs.next()) {
        (Some(&(rust, _)), None) => Some(rust),
        _ => None,
    }
}
