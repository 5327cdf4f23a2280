//! When Loop Lab itself breaks: a panic is told to the page, politely, never lost.
//!
//! The release build uses `panic = "abort"`. On `wasm32-unknown-unknown` a panic then
//! ends in the `unreachable` instruction: the wasm call traps, JavaScript receives a
//! `WebAssembly.RuntimeError`, and the instance is left in whatever state the trap
//! caught it in (a `RefCell` still borrowed, the executor's queue mid-run). Nothing
//! unwinds, so nothing is cleaned up, and the instance must be treated as stopped.
//!
//! `panic = "unwind"` is not an option on stable Rust: unwinding on wasm32 needs the
//! exception-handling proposal and a standard library rebuilt with it
//! (`-Zbuild-std`, nightly only). So the decision is: keep `abort` (smaller, and
//! honest), and make sure the reader is told.
//!
//! The hook installed here runs *before* the abort, while the instance still works:
//! it writes the panic's message and location to the console and dispatches a
//! `looplab:panic` event on the global object with that text as `detail`. The
//! `<loop-lab>` element (www/embed.js) listens for it, shows "Something went wrong
//! inside Loop Lab…" with a *Copy details* button in every element, settles any
//! pending `run()` with an error, and offers to reload the page (the only way to get
//! a fresh instance).

use std::sync::Once;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

/// The event the hook dispatches on the global object; `detail` is the text.
pub const EVENT: &str = "looplab:panic";

static INSTALL: Once = Once::new();

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(text: &str);
}

/// Installs the panic hook (once; later calls do nothing).
pub fn install() {
    INSTALL.call_once(|| std::panic::set_hook(Box::new(|info| report(&info.to_string()))));
}

/// Tells the page: the console, and a `looplab:panic` event for the elements.
fn report(text: &str) {
    console_error(&format!("Loop Lab stopped: {text}"));
    let init = CustomEventInit::new();
    init.set_detail(&JsValue::from_str(text));
    let target = js_sys::global().dyn_into::<EventTarget>();
    if let (Ok(target), Ok(event)) = (target, CustomEvent::new_with_event_init_dict(EVENT, &init)) {
        let _ = target.dispatch_event(&event);
    }
}

/// Panics on purpose, for the tests that prove a panic reaches the reader politely:
/// at once (`in_task` false: the call itself traps) or inside a spawned task on the
/// next microtask, as a bug in a lesson would.
#[doc(hidden)]
#[wasm_bindgen(js_name = __looplabPanicForTest)]
pub fn panic_for_test(in_task: bool) {
    install();
    if in_task {
        wasm_bindgen_futures::spawn_local(async { panic!("a test asked Loop Lab to panic inside a task") });
    } else {
        panic!("a test asked Loop Lab to panic");
    }
}
