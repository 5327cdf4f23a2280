//! Exports a reader can take away: the Chrome trace file (opens in Perfetto), the
//! trace sent straight to Perfetto UI, the run's summary as JSON on the clipboard,
//! and the DevTools Performance-panel track entries.
//!
//! The trace itself is written on demand, outside this module: a click on "Download
//! trace" or "Open in Perfetto" sends the run's record as bytes (`trace::dump`) in a
//! `looplab:export` event, and `www/mount.js` hands them to the inspector's own module
//! (`www/exports.js`, `pkg/reader/`), which writes the Chrome trace there. So the trace
//! writer is in no embed's first load (about 1.5 KB gzipped, measured on the
//! playground's). The event's `detail` is `{bytes, action: "download" | "perfetto"}`;
//! its target is the row, whose status line the handler writes to.

use super::dom::{append, attr, el, el_as};
use super::listen::Listener;
use crate::trace::devtools::{distinct_names, measures, TRACK_GROUP};
use crate::trace::dump::encode;
use crate::trace::Reader;
use crate::trace::Record;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Document, Element, HtmlButtonElement};

/// What a finished run can be taken away as: a trace file to download, the trace
/// sent to Perfetto UI, and a status line saying how that went. Hidden until a run
/// has finished; its owner may add actions of its own (the lesson's "Copy summary").
pub struct ExportRow {
    /// The row.
    pub row: Element,
    /// The status line (ARIA status).
    pub status: Element,
    download: HtmlButtonElement,
    perfetto: HtmlButtonElement,
}

impl ExportRow {
    /// Builds the (hidden) row at the end of `host`.
    pub fn new(doc: &Document, host: &Element) -> ExportRow {
        let row = el(doc, "div", "");
        attr(&row, "class", "ll-exports");
        attr(&row, "hidden", "");
        let button = |text: &str, class: &str| {
            let b: HtmlButtonElement = el_as(doc, "button", text);
            attr(&b, "type", "button");
            attr(&b, "class", class);
            append(&row, &b);
            b
        };
        let download = button("Download trace (JSON for Perfetto)", "ll-download");
        let perfetto = button("Open in Perfetto", "ll-perfetto");
        attr(&perfetto, "title", "Opens ui.perfetto.dev in a new tab and sends it this run's trace (needs a connection)");
        let status = el(doc, "span", "");
        attr(&status, "class", "ll-export-status");
        attr(&status, "role", "status");
        append(&row, &status);
        append(host, &row);
        ExportRow { row, status, download, perfetto }
    }

    /// A run finished: publishes its DevTools entries and shows the row.
    pub fn offer(&self, record: &Record) {
        publish_measures(record);
        self.status.set_text_content(None);
        let _ = self.row.remove_attribute("hidden");
    }

    /// "Download trace" and "Open in Perfetto": each sends the run `current` gives (the
    /// last one) as bytes in a `looplab:export` event (see the module's docs).
    pub fn on_click(&self, current: impl Fn() -> Option<Reader> + Clone + 'static) -> [Listener; 2] {
        let send = |button: &HtmlButtonElement, action: &'static str| {
            let (row, current) = (self.row.clone(), current.clone());
            Listener::new(button.as_ref(), "click", move |_| {
                let Some(rec) = current() else { return };
                let bytes = js_sys::Uint8Array::from(&encode(&rec.read(), &|_| (None, None))[..]);
                let detail = Object::new();
                set(&detail, "bytes", &bytes);
                set(&detail, "action", &action.into());
                let init = CustomEventInit::new();
                init.set_bubbles(true);
                init.set_detail(&detail);
                if let Ok(event) = CustomEvent::new_with_event_init_dict("looplab:export", &init) {
                    let _ = row.dispatch_event(&event);
                }
            })
        };
        [send(&self.download, "download"), send(&self.perfetto, "perfetto")]
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = clearMeasures)]
    fn performance_clear_measures(name: &str);
}

thread_local! {
    /// The entry names the last [`publish_measures`] used, cleared by the next one.
    static PUBLISHED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[wasm_bindgen(module = "/src/view/export.js")]
extern "C" {
    #[wasm_bindgen(js_name = copyText)]
    fn copy_text_js(text: &str) -> js_sys::Promise;
}

/// Copies `text` to the clipboard; the future says whether the browser allowed it.
pub fn copy_text(text: &str) -> impl std::future::Future<Output = bool> {
    let promise = copy_text_js(text);
    async move { wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false) }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Publishes every poll of `rec` as a `performance.measure` entry with DevTools track
/// data; returns how many were published. Start a Performance recording in DevTools,
/// run a lesson, and the tasks appear under the "Loop Lab" track group.
///
/// A DevTools recording takes each entry as it is made, so only the last run's
/// entries stay in the page's buffer: the previous ones are cleared first (by name),
/// or every run would leave hundreds behind for as long as the page lives.
pub fn publish_measures(rec: &Record) -> usize {
    let measures = measures(rec);
    let names = distinct_names(&measures);
    for old in PUBLISHED.with(|p| p.replace(names)) {
        performance_clear_measures(&old);
    }
    let mut published = 0;
    for m in measures {
        let devtools = Object::new();
        set(&devtools, "dataType", &"track-entry".into());
        set(&devtools, "track", &m.track.as_str().into());
        set(&devtools, "trackGroup", &TRACK_GROUP.into());
        set(&devtools, "color", &m.color.into());
        set(&devtools, "tooltipText", &m.tooltip.as_str().into());
        let detail = Object::new();
        set(&detail, "devtools", &devtools);
        let options = Object::new();
        set(&options, "start", &m.start.into());
        set(&options, "end", &m.end.max(m.start).into());
        set(&options, "detail", &detail);
        if performance_measure(&m.name, &options).is_ok() {
            published += 1;
        }
    }
    published
}
