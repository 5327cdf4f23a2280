//! Exports a reader can take away: the Chrome trace file (opens in Perfetto) and the
//! DevTools Performance-panel track entries.

use crate::trace::devtools::{measures, TRACK_GROUP};
use crate::trace::Record;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Publishes every poll of `rec` as a `performance.measure` entry with DevTools track
/// data; returns how many were published. Start a Performance recording in DevTools,
/// run a lesson, and the tasks appear under the "Loop Lab" track group.
pub fn publish_measures(rec: &Record) -> usize {
    let mut published = 0;
    for m in measures(rec) {
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
