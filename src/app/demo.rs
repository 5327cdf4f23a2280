//! Where the demo API's requests go: `setDemoFetch`, for `www/embed.js`.
//!
//! A page outside the folder Loop Lab was copied to is outside its Service Worker's
//! scope, so the page's own `fetch` cannot reach the demo API the worker serves. The
//! element then fetches the demo API through a hidden same-origin frame inside that
//! folder, which the worker controls (`www/api.js` makes it), and tells the runtime so
//! here: requests under `base` are made with the function given
//! ([`runtime::fetch::route`](crate::runtime::fetch::route)). Every other URL — an
//! `api-base` elsewhere, a reader's own URLs — keeps the page's `fetch`.

use wasm_bindgen::prelude::*;

/// Requests whose URL starts with `base` (an absolute URL, such as
/// `https://example.org/docs/looplab/api/`) are made with `fetch(url, init)` from now
/// on; a `null` fetch gives them back to the page's own.
#[wasm_bindgen(js_name = setDemoFetch)]
pub fn set_demo_fetch(base: String, fetch: Option<js_sys::Function>) {
    crate::runtime::fetch::route(&base, fetch);
}
