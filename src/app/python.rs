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
use crate::lessons::find;
use crate::lessons::reading::Measures;
use crate::trace::dump::{decode, Decoded};
use crate::trace::summary::{summary_json, Ending};
use crate::trace::Reader;
use crate::view::dom::document;
use crate::view::python::PythonView;
use crate::view::table::{render_rows, summary_line};
use crate::Error;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Element;

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
    /// the exception the program ended with, if any; `frames` the times of the
    /// animation frames during the run, `asked` and `sent` its requests as the program
    /// and as the browser had them out (flat `[start, end, …]` pairs), all page ms.
    /// Returns the run's summary JSON, with the lesson's verdict of its Python run
    /// (`lessons::reading`) when it completed.
    #[wasm_bindgen(js_name = showPython)]
    pub fn show_python(
        &self,
        host: &Element,
        bytes: &[u8],
        error: Option<String>,
        frames: Option<Vec<f64>>,
        asked: Option<Vec<f64>>,
        sent: Option<Vec<f64>>,
    ) -> Result<String, JsValue> {
        let Decoded { record, lines } =
            decode(bytes).map_err(|why| Error::BadInput(format!("the Python run's record cannot be read: {why}")))?;
        let lines: Vec<_> = lines.into_iter().map(|(rust, python)| (rust.or_else(|| rust_line(self.awaits(), python)), python)).collect();
        let doc = document()?;
        let lesson = self.lesson();
        let view = PythonView::build(&doc, host, &lesson)?;
        let reader = Reader::new(&Rc::new(RefCell::new(record)));
        view.timeline.watch(&reader);
        view.timeline.finish();
        let record = reader.read();
        render_rows(&doc, &view.tbody, &record)?;
        view.summary.set_text_content(Some(&summary_line(&record)));
        let measures = Measures { frames: frames.unwrap_or_default(), asked: pairs(asked), sent: pairs(sent) };
        let judge = find(&lesson).and_then(|l| l.python_verdict).filter(|_| error.is_none());
        let verdict = judge.and_then(|f| f(&record, &measures));
        let ending = Ending {
            lesson: &lesson,
            language: "python",
            verdict: verdict.as_ref().map(|v| v.sentence.as_str()),
            figures: verdict.as_ref().map_or(&[][..], |v| &v.figures[..]),
            error: error.as_deref(),
        };
        let json = summary_json(&ending, &record, &|i| lines.get(i as usize).copied().unwrap_or((None, None)));
        drop(record);
        self.keep_python(view);
        Ok(json)
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

/// `[a, b, c, d]` as `[(a, b), (c, d)]` (an odd last one is left out).
fn pairs(flat: Option<Vec<f64>>) -> Vec<(f64, f64)> {
    flat.unwrap_or_default().chunks_exact(2).map(|p| (p[0], p[1])).collect()
}
