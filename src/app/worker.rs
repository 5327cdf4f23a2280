//! The Web Worker's side of the cpu-bound lesson: what `www/worker.js` calls, and
//! where the page tells the lessons to find that worker.
//!
//! Exported only by the modules that have a worker: the full module and the
//! cpu-bound lesson's own (`cfg(looplab_worker)`, see `build.rs`).

use crate::lessons::cpu;

/// Computes for `ms` milliseconds without awaiting (see [`cpu::busy_work`]): what
/// `www/worker.js` runs in the worker, on its own instance of this module.
#[cfg_attr(any(not(looplab_one), looplab_worker), wasm_bindgen::prelude::wasm_bindgen(js_name = busyWork))]
pub fn busy_work(ms: f64) -> f64 {
    cpu::busy_work(ms)
}

/// Tells the lessons where `www/worker.js` is. `www/mount.js` calls it once, with a
/// URL made from its own (`new URL("worker.js", import.meta.url)`), so the worker is
/// found wherever the site is hosted.
#[cfg_attr(any(not(looplab_one), looplab_worker), wasm_bindgen::prelude::wasm_bindgen(js_name = setWorkerUrl))]
pub fn set_worker_url(url: String) {
    cpu::set_worker_url(url);
}
