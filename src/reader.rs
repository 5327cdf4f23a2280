//! The inspector's own module: the replay of a finished run, loaded only when a
//! reader opens the inspector (or a page calls `element.inspect`).
//!
//! Built from this crate with `LOOPLAB_LESSON=@reader` (`build.rs` then sets
//! `cfg(looplab_reader)`, and `lib.rs` leaves out the app, the lessons, the runtime
//! and the view) into `pkg/reader/`. What it holds is the part of [`crate::trace`]
//! a finished run is read with on demand: the tracker, `inspect.rs`, `chrome.rs` (the
//! trace file) and `dump.rs`'s decoder, about 4.5 KB gzipped that every embed's first
//! load no longer carries; and the verdicts of the lessons' Python runs
//! ([`crate::verdicts`]), about 4 KB per lesson, needed only once Python has run. `www/reader.js`
//! hands it the bytes of `LessonHandle.dump()` and asks it questions; it answers in
//! JSON text, as `inspect.rs` writes it.

use crate::trace::dump::{decode, Decoded};
use crate::trace::inspect::{inspect_json, steps_json, Until};
use crate::trace::json::Json;
use crate::verdicts::reading::Measures;
use wasm_bindgen::prelude::*;

/// One run's record, decoded, with its waits' lines.
#[wasm_bindgen]
pub struct Replay {
    run: Decoded,
    /// Whether the run is a Python run's: its steps are said in asyncio's words.
    python: bool,
}

#[wasm_bindgen]
impl Replay {
    /// Reads `bytes` (`LessonHandle.dump()`); says why when it cannot.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Replay, JsError> {
        decode(bytes)
            .map(|run| Replay { run, python: false })
            .map_err(|why| JsError::new(&format!("the inspector cannot read this run: {why}")))
    }

    /// The loop's state `t_ms` after the run began, as JSON (`element.inspect`).
    pub fn inspect(&self, t_ms: f64) -> Result<String, JsError> {
        if !t_ms.is_finite() {
            return Err(JsError::new("inspect() takes a time: a finite number of ms since the run began"));
        }
        Ok(self.at(Until::Time(t_ms)))
    }

    /// The loop's state just after event `i`, as JSON (the inspector's steps).
    #[wasm_bindgen(js_name = inspectEvent)]
    pub fn inspect_event(&self, i: u32) -> String {
        self.at(Until::Events(i as usize + 1))
    }

    /// The run as a Chrome Trace Event file (JSON), for Perfetto: what "Download trace"
    /// and "Open in Perfetto" give (`www/exports.js`).
    #[wasm_bindgen(js_name = chromeTrace)]
    pub fn chrome_trace(&self) -> String {
        crate::trace::chrome::export(&self.run.record)
    }

    /// The run's events in words, `count` of them from event `from`, as JSON.
    pub fn steps(&self, from: u32, count: u32) -> String {
        steps_json(&self.run.record, from as usize, count as usize, &|i| self.lines(i), self.python)
    }

    /// Says the steps in asyncio's words from now on: the run is a Python run's.
    #[wasm_bindgen(js_name = speakPython)]
    pub fn speak_python(&mut self) {
        self.python = true;
    }

    /// The verdict of lesson `lesson`'s Python run, this record being that run's, as
    /// JSON `{verdict, figures}` (`"verdict": ""` when the lesson has none or the
    /// record is not of its program's shape). `frames`: when the page painted during the
    /// run; `asked` and `sent`: its requests as the program and as the browser had them
    /// out, flat `[start, end, …]` pairs; all page ms (see `verdicts::reading::Measures`).
    #[wasm_bindgen(js_name = pythonVerdict)]
    pub fn python_verdict(&self, lesson: &str, frames: Vec<f64>, asked: Vec<f64>, sent: Vec<f64>) -> String {
        let measures = Measures { frames, asked: pairs(&asked), sent: pairs(&sent) };
        let verdict = crate::verdicts::python(lesson, &self.run.record, &measures).unwrap_or_default();
        let mut j = Json::with_capacity(256);
        j.obj().key("verdict").str(&verdict.sentence).key("figures").obj();
        for (name, value) in &verdict.figures {
            j.key(name).num(*value);
        }
        j.end_obj().end_obj();
        j.finish()
    }
}

/// `[a, b, c, d]` as `[(a, b), (c, d)]` (an odd last one is left out).
fn pairs(flat: &[f64]) -> Vec<(f64, f64)> {
    flat.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

impl Replay {
    fn at(&self, until: Until) -> String {
        inspect_json(&self.run.record, until, &|i| self.lines(i))
    }

    fn lines(&self, i: u32) -> (Option<u32>, Option<u32>) {
        self.run.lines.get(i as usize).copied().unwrap_or((None, None))
    }
}
