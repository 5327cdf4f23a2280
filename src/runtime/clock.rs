//! The clock: `performance.now()`, in milliseconds since the page (or worker) started.
//!
//! Bound directly as `performance.now` so reading it is one call into JavaScript, with
//! no `window()` lookup: it works in Web Workers too. Outside the browser (native unit
//! tests) it falls back to a monotonic clock.

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        pub fn performance_now() -> f64;
    }
}

/// Milliseconds on the page's high-resolution clock.
#[cfg(target_arch = "wasm32")]
pub fn now() -> f64 {
    js::performance_now()
}

/// Milliseconds since the first call (native builds, for tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}
