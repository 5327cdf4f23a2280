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
//! honest), make sure the reader is told, and recover by starting over.
//!
//! The hook installed here runs *before* the abort, while the instance still works:
//! it writes the panic's message and location to the console and dispatches a
//! `looplab:panic` event on the global object whose `detail` is
//! `{instance, text}`. www/panic.js listens for it and shows "Something went wrong
//! inside Loop Lab…" in every element, with *Copy details* and *Reset*. Reset
//! (www/mount.js) instantiates the compiled module again and mounts every lesson on
//! the fresh instance; the stopped one is never called again.
//!
//! `instance` is the number JavaScript gave this instance with [`set_instance`]
//! (0 until then). The stopped instance can still be entered after a Reset (a timer
//! or a listener it registered fires) and panic again; its number tells the page
//! that this panic belongs to an instance already given up, not to the live one.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

/// The event the hook dispatches on the global object; `detail` is `{instance, text}`.
pub const EVENT: &str = "looplab:panic";

static INSTALL: Once = Once::new();

/// This instance's number among the instances a page has made (see [`set_instance`]).
static INSTANCE: AtomicU32 = AtomicU32::new(0);

/// Numbers this instance, so that its panics can be told from another instance's.
/// www/mount.js calls it right after instantiating the module.
#[doc(hidden)]
#[wasm_bindgen(js_name = setInstance)]
pub fn set_instance(n: u32) {
    INSTANCE.store(n, Ordering::Relaxed);
}

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
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"instance".into(), &INSTANCE.load(Ordering::Relaxed).into());
    let _ = js_sys::Reflect::set(&detail, &"text".into(), &JsValue::from_str(text));
    let init = CustomEventInit::new();
    init.set_detail(&detail);
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
