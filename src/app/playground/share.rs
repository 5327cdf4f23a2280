//! Share links: the workload's text form in the page's address, `#w=<text>`.
//!
//! The Copy-link button writes the link into the address bar with
//! `history.replaceState` (no new history entry, no scroll) and copies it. A page
//! opened from such a link brings its playground into view, and the playground fills
//! its form from the link if the text is valid; if not, it says why and shows the
//! default workload. Nothing from a link ever runs by itself.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// What a share link's fragment starts with.
pub const PREFIX: &str = "#w=";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = history, js_name = replaceState, catch)]
    fn replace_state(state: &JsValue, unused: &str, url: &str) -> Result<(), JsValue>;
}

/// `location[key]` (`hash`, `href`) as text; empty outside a page.
fn location(key: &str) -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    Reflect::get(&window, &"location".into())
        .and_then(|l| Reflect::get(&l, &key.into()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The page's fragment, `#…` (empty if none).
pub fn hash() -> String {
    location("hash")
}

/// Puts `#w=<text>` in the address bar and returns the whole link.
pub fn put(text: &str) -> Result<String, crate::Error> {
    replace_state(&JsValue::NULL, "", &format!("{PREFIX}{text}")).map_err(crate::Error::from_js)?;
    Ok(location("href"))
}

/// When the wasm module starts on a page opened from a share link, brings the page's
/// playground into view: it is mounted as it nears the viewport, and fills its form
/// from the link then.
#[cfg_attr(any(not(looplab_one), looplab_playground), wasm_bindgen(start))]
pub fn show_shared() {
    if !hash().starts_with(PREFIX) {
        return;
    }
    let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector("loop-lab[lesson=playground]").ok().flatten());
    if let Some(element) = found {
        element.scroll_into_view();
    }
}
