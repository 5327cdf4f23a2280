//! Helpers shared by the browser tests.
//!
//! **The demo API.** Tests that fetch ask [`api`] for a URL. Under `cargo xtask test`
//! the dev server answers: xtask starts it and passes its origin as `LOOPLAB_API`,
//! read here at compile time. Without it — a bare `wasm-pack test --headless --chrome`
//! in a fresh clone — the Service Worker of `www/sw.js` answers, as on a static host:
//! wasm-bindgen's test server serves the crate's own files, so the test page (at `/`,
//! outside the worker's folder `/www/`) reaches it through `www/api.js`'s bridge, a
//! hidden frame of `www/bridge.html` that the worker controls, the way a documentation
//! page outside Loop Lab's folder does. The runtime is told to make its requests
//! with that frame's `fetch` ([`looplab::runtime::fetch::route`]): the demo API's are
//! answered by the worker, any other passes through it to the network.
//!
//! The dev server's misbehaving routes (`api/hostile/…`) exist nowhere else: the tests
//! that need them take their URL from [`dev_api`] and are `#[ignore]`d with that
//! reason, so a bare run lists them as ignored; `cargo xtask test` runs them with
//! `--include-ignored`.
#![allow(dead_code)]

use looplab::trace::{Event, Kind, Record, TaskId};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Why the tests of the dev server's misbehaving routes are skipped in a bare run.
pub const NEEDS_DEV_SERVER: &str = "needs the dev server's api/hostile/ routes; `cargo xtask test` runs it";

#[wasm_bindgen(module = "/www/api.js")]
extern "C" {
    /// `www/api.js`: makes sure the demo API in a folder answers; `{mode, reason, fetch}`.
    #[wasm_bindgen(js_name = demoFetch)]
    fn demo_fetch(folder: &str) -> js_sys::Promise;
}

thread_local! {
    /// The Service Worker's demo API, once the bridge to it is up (bare runs only).
    static BRIDGED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The URL of demo-API `path` (such as `api/users/1?delay_ms=10`): on the dev server
/// when `cargo xtask test` gives one, else on the Service Worker, through its bridge.
pub async fn api(path: &str) -> String {
    match option_env!("LOOPLAB_API") {
        Some(origin) => format!("{origin}/{path}"),
        None => format!("{}{path}", bridged().await),
    }
}

/// The URL of `path` on the dev server; only the `#[ignore]`d tests ask for it.
pub fn dev_api(path: &str) -> String {
    let origin = option_env!("LOOPLAB_API").unwrap_or_else(|| panic!("{path}: this test {NEEDS_DEV_SERVER} (LOOPLAB_API is not set)"));
    format!("{origin}/{path}")
}

/// The folder of `www/sw.js` on the test server, once its demo API answers through the bridge.
async fn bridged() -> String {
    if let Some(folder) = BRIDGED.with(|b| b.borrow().clone()) {
        return folder;
    }
    let page = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()).expect("a page");
    let folder = web_sys::Url::new_with_base("/www/", &page).expect("a URL").href();
    let found = JsFuture::from(demo_fetch(&folder)).await.expect("demoFetch never rejects");
    let field = |key: &str| js_sys::Reflect::get(&found, &key.into()).unwrap_or(JsValue::NULL);
    let fetch = field("fetch").dyn_into::<js_sys::Function>().unwrap_or_else(|_| {
        panic!("no demo API: the Service Worker of www/sw.js did not answer through the bridge ({:?})", field("reason").as_string())
    });
    looplab::runtime::fetch::route(Some(fetch));
    BRIDGED.with(|b| *b.borrow_mut() = Some(folder.clone()));
    folder
}

/// The events of one task, in order.
pub fn events_of(rec: &Record, task: TaskId) -> Vec<Event> {
    rec.events().iter().filter(|e| e.task == task).copied().collect()
}

/// True if the task has an event of this kind.
pub fn has(rec: &Record, task: TaskId, kind: Kind) -> bool {
    rec.events().iter().any(|e| e.task == task && e.kind == kind)
}

/// The page clock, in ms.
pub fn now_ms() -> f64 {
    looplab::runtime::now()
}
