//! The app: the controller, and the only door to JavaScript.
//!
//! Everything JavaScript can call is exported from here, and only from here: mounting
//! a lesson or the playground ([`lesson`]), where requests go ([`demo`]), the
//! lesson page's proof section ([`proof`]), the Web Worker's entry point ([`worker`]),
//! the panic hook and the instance number ([`panic`]), the runtime probe for tests
//! ([`probe`]) and, in the benchmark build, the benchmarks ([`bench`]).
//!
//! The app is the one layer that sees both sides: it takes a [`Lesson`] and the
//! reader's fields, runs the lesson on the runtime, and hands the view plain data —
//! the text to show and a read-only handle on the record. Data flows one way:
//!
//! ```text
//! app ──mounts──▶ lessons ──spawn/await──▶ runtime ──events──▶ trace
//!  └───────────────shows──────────▶ view ──────────reads──────────▶ trace
//! ```
//!
//! Errors cross into JavaScript in one way only: [`impl From<Error> for JsValue`],
//! a JavaScript `Error` whose message is the sentence written for the reader.
//!
//! [`Lesson`]: crate::lessons::Lesson
//! [`impl From<Error> for JsValue`]: #impl-From%3CError%3E-for-JsValue

#[cfg(feature = "bench")]
#[doc(hidden)]
pub mod bench;
pub mod demo;
pub mod lesson;
pub mod panic;
#[cfg(looplab_with_lessons)]
mod params;
#[cfg(looplab_with_playground)]
mod playground;
pub mod probe;
#[cfg(not(looplab_one))]
pub mod proof;
#[cfg(looplab_with_lessons)]
pub mod python;
pub mod worker;

use crate::Error;
use wasm_bindgen::JsValue;

/// What JavaScript receives when a call fails: an `Error` with the reader's sentence
/// as its message (so `e.message` and `String(e)` both say what went wrong).
impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        js_sys::Error::new(&e.to_string()).into()
    }
}
