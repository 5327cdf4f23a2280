//! A look inside the runtime, for tests and the reliability benchmark: what is still
//! pending, which records are alive, and how big the wasm memory is.
//!
//! `__looplabProbe()` (exported by `app::probe`, hidden from the docs, kept tiny) returns a JSON text:
//! `{"timers":N,"fetches":N,"records":[[id,events,tasks],…],"wasm_bytes":N}`.
//! After a run is cancelled, `timers` and `fetches` must be 0 (when nothing else
//! runs) and the run's record must gain no more events.

use super::{fetch, timer, Recorder};
use crate::trace::json::Json;
use wasm_bindgen::JsCast;

/// The probe as JSON text (see the module docs); the app exports it.
pub fn probe() -> String {
    let mut j = Json::default();
    j.obj().key("timers").int(timer::pending() as u64).key("fetches").int(fetch::in_flight().into());
    j.key("records").arr();
    for (id, events, tasks) in Recorder::live() {
        j.arr().int(id.into()).int(events as u64).int(tasks as u64).end_arr();
    }
    j.end_arr().key("wasm_bytes").int(wasm_bytes().into()).end_obj();
    j.finish()
}

/// The size of this instance's linear memory, in bytes (it only ever grows).
pub fn wasm_bytes() -> u32 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length()
}
