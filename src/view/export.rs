//! Exports a reader can take away: the Chrome trace file (opens in Perfetto), the
//! trace sent straight to Perfetto UI, the run's summary as JSON on the clipboard,
//! and the DevTools Performance-panel track entries.

use super::dom::{append, attr, el, el_as};
use super::listen::Listener;
use crate::trace::devtools::{distinct_names, measures, TRACK_GROUP};
use crate::trace::Reader;
use crate::trace::Record;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlAnchorElement, HtmlButtonElement};

/// What a finished run can be taken away as: a trace file to download, the trace
/// sent to Perfetto UI, and a status line saying how that went. Hidden until a run
/// has finished; its owner may add actions of its own (the lesson's "Copy summary").
pub struct ExportRow {
    /// The row.
    pub row: Element,
    /// The status line (ARIA status).
    pub status: Element,
    download: HtmlAnchorElement,
    perfetto: HtmlButtonElement,
}

impl ExportRow {
    /// Builds the (hidden) row at the end of `host`.
    pub fn new(doc: &Document, host: &Element) -> ExportRow {
        let row = el(doc, "div", "");
        attr(&row, "class", "ll-exports");
        attr(&row, "hidden", "");
        let download: HtmlAnchorElement = el_as(doc, "a", "Download trace (JSON for Perfetto)");
        attr(&download, "class", "ll-download");
        attr(&download, "download", "looplab-trace.json");
        append(&row, &download);
        let perfetto: HtmlButtonElement = el_as(doc, "button", "Open in Perfetto");
        attr(&perfetto, "type", "button");
        attr(&perfetto, "class", "ll-perfetto");
        attr(&perfetto, "title", "Opens ui.perfetto.dev in a new tab and sends it this run's trace (needs a connection)");
        append(&row, &perfetto);
        let status = el(doc, "span", "");
        attr(&status, "class", "ll-export-status");
        attr(&status, "role", "status");
        append(&row, &status);
        append(host, &row);
        ExportRow { row, status, download, perfetto }
    }

    /// A run finished: points the download at its trace (freeing the previous one),
    /// publishes its DevTools entries, and shows the row.
    pub fn offer(&self, record: &Record) {
        publish_measures(record);
        let old = self.download.href();
        if old.starts_with("blob:") {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        if let Ok(url) = chrome_trace_url(record) {
            self.download.set_href(&url);
            self.status.set_text_content(None);
            let _ = self.row.remove_attribute("hidden");
        }
    }

    /// "Open in Perfetto": sends the trace of the run `current` gives (the last one)
    /// to a new Perfetto UI tab and says how that went.
    pub fn on_perfetto(&self, current: impl Fn() -> Option<Reader> + 'static) -> Listener {
        let status = self.status.clone();
        Listener::new(self.perfetto.as_ref(), "click", move |_| {
            let Some(rec) = current() else { return };
            status.set_text_content(Some("Opening Perfetto…"));
            let said = open_in_perfetto(&rec.read(), "Loop Lab run");
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                status.set_text_content(Some(&said.await));
            });
        })
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
    #[wasm_bindgen(js_name = openInPerfetto)]
    fn open_in_perfetto_js(json: &str, title: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = copyText)]
    fn copy_text_js(text: &str) -> js_sys::Promise;
}

/// Opens Perfetto UI in a new tab and sends it the trace of `rec`. Call it from a
/// click handler (opening a tab needs the click); the future gives the sentence to
/// show: sent, blocked pop-up, or no answer (offline).
pub fn open_in_perfetto(rec: &Record, title: &str) -> impl std::future::Future<Output = String> {
    let promise = open_in_perfetto_js(&crate::trace::chrome::export(rec), title);
    async move {
        let said = wasm_bindgen_futures::JsFuture::from(promise).await;
        said.ok().and_then(|v| v.as_string()).unwrap_or_else(|| "Perfetto could not be opened.".into())
    }
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

/// The trace as a downloadable `Blob` URL (`application/json`); revoke it when done.
pub fn chrome_trace_url(rec: &Record) -> Result<String, JsValue> {
    let json = crate::trace::chrome::export(rec);
    let parts = Array::of1(&JsValue::from_str(&json));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}
