//! The lesson page's proof section (`#proof` in `index.html`): its Run button, its
//! code (filled in from the source, as every lesson's), timeline, table and summary.
//! What runs is [`crate::lessons::proof::run`].

use crate::lessons::proof::{run, ABOUT};
use crate::num::fixed;
use crate::runtime::Recorder;
use crate::trace::state::total_ms;
use crate::view::dom::{document, find};
use crate::view::table::{render_rows, summary_line};
use crate::view::timeline::Timeline;
use crate::Error;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement};

/// The proof section on the page: its Run button, timeline, table and summary.
#[wasm_bindgen]
pub struct ProofSection {
    _on_click: Closure<dyn FnMut()>,
    _timeline: Rc<Timeline>,
}

/// Wires the proof section found under `root` (`#proof`): shows its code, and Run
/// fills the table.
#[wasm_bindgen(js_name = mountProof)]
pub fn mount_proof(root: Element) -> Result<ProofSection, JsValue> {
    let button: HtmlButtonElement = find(&root, "#proof-run")?;
    let host: Element = find(&root, "#proof-timeline")?;
    for (selector, text) in [("#proof-python", ABOUT.python), ("#proof-rust", ABOUT.source), ("#proof-file", &ABOUT.file())] {
        find::<Element>(&root, selector)?.set_text_content(Some(text));
    }
    let timeline = Rc::new(Timeline::new(&document()?, &host)?);
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
    target.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref()).map_err(Error::from_js)?;
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
    timeline.watch(&rec.reader());
    run(&rec).await;
    timeline.finish();
    let record = rec.record();
    render_rows(&doc, &tbody, &record)?;
    let total = total_ms(&record);
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
