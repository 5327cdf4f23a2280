//! Small DOM helpers. Text is always set as text (`textContent`), never parsed as HTML,
//! so a task name or URL typed by a reader cannot inject markup.

use crate::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Document, Element};

/// The page's document.
pub fn document() -> Result<Document, Error> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| Error::Browser("no document: Loop Lab needs a browser page".into()))
}

/// Creates `<tag>` with the given text content.
///
/// Infallible by design: `createElement` only throws for an invalid tag name, and
/// every tag here is a literal. Builders that `?` each step carry an early-return
/// path per element (dropping every element made so far): on a page of forms that
/// was most of the module's size.
#[inline(never)]
pub fn el(doc: &Document, tag: &str, text: &str) -> Element {
    let e = doc.create_element(tag).unwrap_throw();
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    e
}

/// [`el`], typed: `<button>` as an `HtmlButtonElement`, and so on. The caller names
/// the type that `tag` creates (unchecked, so no `instanceof` test is compiled in).
pub fn el_as<T: JsCast>(doc: &Document, tag: &str, text: &str) -> T {
    el(doc, tag, text).unchecked_into()
}

/// Sets an attribute, ignoring the (impossible for valid names) failure.
pub fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Appends `child` to `parent`. Like [`attr`], the failure (a node appended inside
/// itself) cannot happen for the trees built here, so it is ignored.
#[inline(never)]
pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// The element under `root` that `selector` names, in markup built from a literal
/// template (`innerHTML`) that has it, so the lookup cannot fail.
pub fn part(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).ok().flatten().unwrap_throw()
}

/// The first element under `root` matching `selector`, typed.
pub fn find<T: JsCast>(root: &Element, selector: &str) -> Result<T, Error> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<T>().ok())
        .ok_or_else(|| Error::Browser(format!("the page has no {selector}")))
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: the clock the record is stamped with, so the view's
    /// "now" (a live run's right edge, the meters) lines up with the record's times.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn now() -> f64;
}
