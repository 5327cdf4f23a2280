//! `__looplabProbe()`: a look inside the runtime for tests and the reliability
//! benchmark (see [`crate::runtime::probe`] for what it reports and why).

/// The probe as JSON text. Left out of the one-lesson builds (build.rs), whose
/// tests never call it.
#[doc(hidden)]
#[cfg_attr(not(looplab_one), wasm_bindgen::prelude::wasm_bindgen(js_name = __looplabProbe))]
pub fn probe() -> String {
    crate::runtime::probe::probe()
}
