//! A look inside the runtime, for tests and the reliability benchmark: what is still
//! pending, which records are alive, and how big the wasm memory is.
//!
//! `__looplabProbe()` (exported by `app::probe`, hidden from the docs, kept tiny) returns a JSON text:
//! `{"timers":N,"fetches":N,"records":[[id,events,tasks],…],"wasm_bytes":N}`.
//! After a run is cancelled, `timers` and `fetches` must be 0 (when nothing else
//! runs) and the run's record must gain no more events.

use super::{fetch, timer, Recorder};
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// The probe as JSON text (see the module docs); the app exports it.
pub fn probe() -> String {
    let mut out = String::new();
    let _ = write!(out, "{{\"timers\":{},\"fetches\":{},\"records\":[", timer::pending(), fetch::in_flight());
    for (i, (id, events, tasks)) in Recorder::live().into_iter().enumerate() {
        let comma = if i > 0 { "," } else { "" };
        let _ = write!(out, "{comma}[{id},{events},{tasks}]");
    }
    let _ = write!(out, "],\"wasm_bytes\":{}}}", wasm_bytes());
    out
}

/// The size of this instance's linear memory, in bytes (it only ever grows).
pub fn wasm_bytes() -> u32 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length()
}
