//! The proof that the pipeline is real: two sleeps and one fetch, run concurrently.
//!
//! ```python
//! async def main():
//!     await asyncio.gather(
//!         asyncio.sleep(0.1),
//!         asyncio.sleep(0.2),
//!         fetch("api/users/1?delay_ms=150"),
//!     )
//! ```
//!
//! Three tasks start together and each waits on something real — two browser timers
//! and one HTTP request to the demo API. Together they take about as long as the
//! longest (~200 ms), not the sum (~450 ms).

use crate::runtime::{get_json, sleep, task, Recorder};
use crate::trace::num::fixed;
use crate::view::dom::{document, find};
use crate::view::table::{render_rows, summary_line};
use crate::view::timeline::Timeline;
use crate::Error;
use futures::future::join_all;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement};

// lesson:start
/// Runs the three tasks concurrently and waits for all of them.
pub async fn run(rec: &Recorder) {
    let sleep_100 = task("sleep 100 ms").recorder(rec).spawn(async {
        sleep(100.0).await;
        Ok::<(), Error>(())
    });
    let sleep_200 = task("sleep 200 ms").recorder(rec).spawn(async {
        sleep(200.0).await;
        Ok::<(), Error>(())
    });
    let fetch_150 = task("fetch 150 ms").recorder(rec).spawn(async {
        get_json("api/users/1?delay_ms=150").await.map(drop)
    });
    join_all([sleep_100, sleep_200, fetch_150]).await;
}
// lesson:end

/// The proof section on the page: its Run button, timeline, table and summary.
#[wasm_bindgen]
pub struct ProofSection {
    _on_click: Closure<dyn FnMut()>,
    _timeline: Rc<Timeline>,
}

/// Wires the proof section found under `root` (`#proof`): Run fills the table.
#[wasm_bindgen(js_name = mountProof)]
pub fn mount_proof(root: Element) -> Result<ProofSection, JsValue> {
    let button: HtmlButtonElement = find(&root, "#proof-run").map_err(to_js)?;
    let host: Element = find(&root, "#proof-timeline").map_err(to_js)?;
    let timeline = Rc::new(Timeline::new(&document().map_err(to_js)?, &host).map_err(to_js)?);
    let busy = Rc::new(Cell::new(false));
    let target = button.clone();
    let shared = timeline.clone();
    let on_click = Closure::<dyn FnMut()>::new(move || {
        if busy.replace(true) {
            return;
        }
        let (root, button, busy) = (root.clone(), button.clone(), busy.clone());
        let timeline = shared.clone();
        wasm_bindgen_futures::spawn_local(async move {
            button.set_disabled(true);
            if let Err(e) = run_and_show(&root, &timeline).await {
                show_error(&root, &e);
            }
            button.set_disabled(false);
            busy.set(false);
        });
    });
    target
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .map_err(|e| to_js(Error::from_js(e)))?;
    Ok(ProofSection { _on_click: on_click, _timeline: timeline })
}

/// One run: a fresh record, the three tasks, then the table and summary.
async fn run_and_show(root: &Element, timeline: &Timeline) -> Result<(), Error> {
    let doc = document()?;
    let tbody: Element = find(root, "#proof-table tbody")?;
    let summary: Element = find(root, "#proof-summary")?;
    root.set_attribute("data-state", "running").map_err(Error::from_js)?;
    summary.set_text_content(Some("Running…"));
    let rec = Recorder::new();
    timeline.watch(&rec);
    run(&rec).await;
    timeline.finish();
    let record = rec.record();
    render_rows(&doc, &tbody, &record)?;
    let total = crate::trace::state::total_ms(&record);
    let line = format!("{} — measured in this browser just now.", summary_line(&record));
    summary.set_text_content(Some(&line));
    root.set_attribute("data-total-ms", &fixed(total, 1).to_string()).map_err(Error::from_js)?;
    root.set_attribute("data-state", "done").map_err(Error::from_js)?;
    Ok(())
}

fn show_error(root: &Element, e: &Error) {
    let _ = root.set_attribute("data-state", "error");
    if let Ok(summary) = find::<Element>(root, "#proof-summary") {
        summary.set_text_content(Some(&format!("Could not run: {e}")));
    }
}

fn to_js(e: Error) -> JsValue {
    JsValue::from_str(&e.to_string())
}

