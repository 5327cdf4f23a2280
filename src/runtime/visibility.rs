//! Hidden tabs: when the page is hidden, browsers throttle its timers (to once a
//! second, or less), so a run measured then says more about the throttling than
//! about the loop. Loop Lab notes when that happened instead of pretending.
//!
//! One `visibilitychange` listener, installed when the first recorder is made (and
//! only where there is a `document`: not in the cpu-bound lesson's Web Worker),
//! stamps every live [`Record`](crate::trace::Record) with
//! [`page_hidden`](crate::trace::Record::page_hidden) /
//! [`page_visible`](crate::trace::Record::page_visible). A record made while the page
//! is already hidden starts with a hidden period. Each record keeps only the periods
//! within its own run when asked ([`hidden_spans`](crate::trace::Record::hidden_spans)),
//! so stamping records of finished runs is harmless.
//!
//! The listener lives as long as the page (one closure, held in a thread-local, made
//! once: nothing leaks per run).

use super::clock::now;
use super::recorder::Recorder;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static LISTENER: RefCell<Option<Closure<dyn FnMut()>>> = const { RefCell::new(None) };
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the page is hidden right now (false where there is no document).
pub fn hidden() -> bool {
    document().is_some_and(|d| d.hidden())
}

fn document() -> Option<web_sys::Document> {
    // No browser in native tests.
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    // Not a Window in a worker: no document there.
    js_sys::global().dyn_into::<web_sys::Window>().ok()?.document()
}

/// Starts listening for visibility changes (once; later calls do nothing).
pub fn watch() {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let Some(doc) = document() else { return };
    let on_change = Closure::<dyn FnMut()>::new(move || stamp(hidden(), now()));
    let _ = doc.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    LISTENER.with(|l| *l.borrow_mut() = Some(on_change));
}

/// Stamps every live record: the page became hidden (or visible) at `t`.
fn stamp(hidden: bool, t: f64) {
    Recorder::for_each_live(|record| {
        if hidden {
            record.page_hidden(t);
        } else {
            record.page_visible(t);
        }
    });
}
