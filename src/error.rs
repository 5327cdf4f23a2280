//! The one error type, with messages written for learners.
//!
//! JavaScript failures arrive as `JsValue`s; they are turned into an [`Error`] once,
//! at the boundary ([`Error::from_js`]), and never travel further as `JsValue`.

use std::fmt;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Everything that can go wrong in a Loop Lab task.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The server answered with a non-2xx status.
    Http {
        /// The HTTP status code.
        status: u16,
        /// The URL asked for.
        url: String,
    },
    /// The request never got an answer: offline, refused, or blocked by CORS.
    Network {
        /// The URL asked for.
        url: String,
        /// What the browser said.
        detail: String,
    },
    /// The body was not the JSON promised.
    BadJson {
        /// The URL asked for.
        url: String,
        /// What the parser said.
        detail: String,
    },
    /// The body was refused part-way: too large, or the server went silent.
    Body {
        /// The URL asked for.
        url: String,
        /// What was wrong, and that the request was aborted.
        detail: String,
    },
    /// A deadline passed before the work finished; the work was cancelled.
    Timeout {
        /// The deadline, in milliseconds.
        after_ms: f64,
    },
    /// The work was cancelled before it finished.
    Cancelled,
    /// A parameter a reader gave cannot be used.
    BadInput(String),
    /// A task failed on purpose, to show how errors travel.
    Raised(String),
    /// The browser refused an operation.
    Browser(String),
}

impl Error {
    /// Converts a JavaScript exception into an error, keeping its message.
    pub fn from_js(value: JsValue) -> Error {
        Error::Browser(js_message(&value))
    }
}

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `String(value)`: how the browser itself would print a thrown value.
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;
}

/// The message of a thrown JavaScript value (`Error.message`, or its string form).
pub fn js_message(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value.as_string().unwrap_or_else(|| js_string(value))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http { status, url } => write!(f, "the server answered HTTP {status} for {url}"),
            Error::Network { url, detail } => {
                write!(f, "no answer from {url} ({detail}); the host may be offline, or it does not allow this page to read it (CORS)")
            }
            Error::BadJson { url, detail } => write!(f, "{url} did not send valid JSON ({detail})"),
            Error::Body { url, detail } => write!(f, "Loop Lab stopped reading the answer from {url}: {detail}"),
            Error::Timeout { after_ms } => write!(f, "timed out after {} ms; the work was cancelled", crate::num::fixed(*after_ms, 0)),
            Error::Cancelled => write!(f, "cancelled before it finished"),
            Error::BadInput(msg) => write!(f, "{msg}"),
            Error::Raised(msg) => write!(f, "{msg}"),
            Error::Browser(msg) => write!(f, "the browser refused: {msg}"),
        }
    }
}

impl std::error::Error for Error {}
