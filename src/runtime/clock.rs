//! The clock: `performance.now()`, in milliseconds since the page (or worker) started.
//!
//! Bound directly as `performance.now` so reading it is one call into JavaScript, with
//! no `window()` lookup: it works in Web Workers too. Outside the browser (native unit
//! tests) it falls back to a monotonic clock.
//!
//! Reading it costs about 170 ns in headless Chromium on the benchmark machine — more
//! than a whole poll of a trivial task. So where many events happen back to back with
//! no task code between them (the timer heap waking a batch of sleepers), [`batch`]
//! lets them share a reading, refreshed every [`BATCH_READS`] events: the error stays
//! below the clock's own 5 µs resolution.

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

/// Events that may share one clock reading inside a [`batch`].
pub const BATCH_READS: u32 = 32;

thread_local! {
    static SHARED: std::cell::Cell<Option<(f64, u32)>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with a shared clock: [`stamp`] re-reads the clock every [`BATCH_READS`]
/// calls. Only for stretches that run no task code (waking a batch of tasks).
pub fn batch<R>(f: impl FnOnce() -> R) -> R {
    let previous = SHARED.with(|s| s.replace(Some((now(), 0))));
    let out = f();
    SHARED.with(|s| s.set(previous));
    out
}

/// The time for an event: the shared reading inside a [`batch`], else [`now`].
pub fn stamp() -> f64 {
    SHARED.with(|s| match s.get() {
        Some((t, n)) if n < BATCH_READS => {
            s.set(Some((t, n + 1)));
            t
        }
        Some(_) => {
            let t = now();
            s.set(Some((t, 1)));
            t
        }
        None => now(),
    })
}
