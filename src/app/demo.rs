//! Where the runtime's requests go: `setFetch`, for `www/embed.js`.
//!
//! A page outside the folder Loop Lab was copied to is outside its Service Worker's
//! scope, so the page's own `fetch` cannot reach the demo API the worker serves. The
//! element then fetches the demo API through a hidden same-origin frame inside that
//! folder, which the worker controls (`www/api.js` makes it). It gives the runtime
//! one function for every request
//! ([`runtime::fetch::route`](crate::runtime::fetch::route)): the demo API's URLs go
//! to that frame's `fetch`, every other URL — an `api-base` elsewhere, a reader's own
//! URLs — to the page's.

use wasm_bindgen::prelude::*;

/// Every request is made with `fetch(url, init)` from now on; a `null` fetch gives
/// them back to the page's own.
#[wasm_bindgen(js_name = setFetch)]
pub fn set_fetch(fetch: Option<js_sys::Function>) {
    crate::runtime::fetch::route(fetch);
}
