//! Reading a response body with limits: a hostile or broken server cannot fill the
//! wasm memory or hang a task.
//!
//! A body is read chunk by chunk through its `ReadableStream` reader, never with
//! `response.json()` or `.text()` (which wait for, and buffer, the whole body first).
//! Two [`Limits`] apply:
//!
//! - **size**: [`get_json`](super::get_json) refuses a body over `max_bytes` — at once
//!   if its `Content-Length` says so, else as soon as the bytes read pass it — and
//!   [`get_lines`](super::get_lines) refuses a single line over it. The request is
//!   then aborted, so the browser stops downloading too. Wasm memory never shrinks,
//!   so what a body is allowed to occupy there is what the page keeps for good.
//! - **stall**: if no bytes arrive for `stall_ms` after the head (a server that
//!   started answering and stopped), the request is aborted with a clear error. The
//!   wait for the head itself is not limited here: a slow server is something the
//!   lessons measure, and [`timeout`](super::timeout) is how a task bounds it.
//!
//! Either way the task fails with [`Error::Body`] and the record shows `FetchAbort`.

use super::fetch::{network, InFlight, Io};
use super::timer::guard;
use crate::Error;
use futures::future::{select, Either};
use js_sys::Uint8Array;
use std::pin::pin;
use wasm_bindgen::JsCast;
use web_sys::{ReadableStreamDefaultReader, ReadableStreamReadResult, Response};

/// What a body may cost before it is refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Most bytes of a JSON body (or of one streamed line).
    pub max_bytes: usize,
    /// Longest silence between two chunks of a body, in ms (infinite: no limit).
    pub stall_ms: f64,
}

impl Limits {
    /// 4 MiB, and 20 s of silence: above anything the demo API sends (its stream
    /// pauses at most 10 s between rows), far below what would hurt the page.
    pub const DEFAULT: Limits = Limits { max_bytes: 4 << 20, stall_ms: 20_000.0 };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A body being read: its reader, the request it belongs to, and the limits.
pub(super) struct BodyReader {
    url: String,
    reader: ReadableStreamDefaultReader,
    request: Option<InFlight>,
    limits: Limits,
    ended: bool,
}

impl BodyReader {
    /// Opens the body of `response`, which `request` fetched.
    pub(super) fn new(url: &str, response: &Response, request: InFlight, limits: Limits) -> Result<BodyReader, Error> {
        let Some(stream) = response.body() else {
            request.finish(false);
            return Err(Error::Browser(format!("{url} sent no body to read")));
        };
        let reader = ReadableStreamDefaultReader::new(&stream).map_err(Error::from_js)?;
        Ok(BodyReader { url: url.to_string(), reader, request: Some(request), limits, ended: false })
    }

    /// The limits this body is read under.
    pub(super) fn limits(&self) -> Limits {
        self.limits
    }

    /// The size the server announced (`Content-Length`), if any.
    pub(super) fn announced(response: &Response) -> Option<usize> {
        let header = response.headers().get("content-length").ok().flatten()?;
        header.trim().parse().ok()
    }

    /// The next chunk of bytes, or `None` at the end of the body. Silence longer than
    /// the stall limit aborts the request.
    pub(super) async fn chunk(&mut self) -> Result<Option<Uint8Array>, Error> {
        if self.ended || self.request.is_none() {
            return Ok(None);
        }
        let read = Io::new(self.reader.read());
        // A stall limit of infinity (or NaN) means none: wait as long as it takes.
        let result = if !self.limits.stall_ms.is_finite() {
            read.await
        } else {
            match select(pin!(read), guard(self.limits.stall_ms)).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => {
                    let silent = self.limits.stall_ms as u64;
                    return Err(self.refuse(format!("no bytes arrived for {silent} ms; the request was aborted")));
                }
            }
        };
        match result {
            Ok(chunk) => {
                let chunk = chunk.unchecked_into::<ReadableStreamReadResult>();
                if chunk.get_done().unwrap_or(false) {
                    self.ended = true;
                    return Ok(None);
                }
                Ok(Some(chunk.get_value().unchecked_into()))
            }
            Err(e) => {
                self.finish(false);
                Err(network(&self.url, &e))
            }
        }
    }

    /// Whether the whole body has been read.
    pub(super) fn ended(&self) -> bool {
        self.ended || self.request.is_none()
    }

    /// Records the end of the request (`ok`: the body was what was promised).
    pub(super) fn finish(&mut self, ok: bool) {
        if let Some(request) = self.request.take() {
            request.finish(ok);
        }
    }

    /// Aborts the request and returns [`Error::Body`] saying why.
    pub(super) fn refuse(&mut self, detail: String) -> Error {
        drop(self.request.take()); // aborts the fetch: FetchAbort in the record
        Error::Body { url: self.url.clone(), detail }
    }

    /// The URL, for messages.
    pub(super) fn url(&self) -> &str {
        &self.url
    }
}

/// "N MiB" for a byte count, rounded up (integers only: no float formatting).
pub(super) fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes.div_ceil(1 << 20))
}

/// Appends `chunk` to `buf` (one copy, from the JS heap into wasm memory).
pub(super) fn append(buf: &mut Vec<u8>, chunk: &Uint8Array) {
    let start = buf.len();
    buf.resize(start + chunk.length() as usize, 0);
    chunk.copy_to(&mut buf[start..]);
}
