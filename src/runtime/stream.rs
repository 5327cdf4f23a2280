//! A streamed response, line by line: `async for line in response.content` in aiohttp.
//!
//! [`get_lines`] sends a GET and returns a [`Stream`](futures::Stream) of the body's
//! lines, each yielded as soon as its last byte arrives, not when the whole body has.
//! The body is read chunk by chunk through the response's `ReadableStream` reader;
//! every `read()` wakes the reading task with [`Cause::Fetch`](crate::trace::Cause),
//! like the rest of [`fetch`](super::fetch).
//!
//! Bytes are buffered in Rust and split on `\n`. A chunk may end in the middle of a
//! multi-byte UTF-8 character, but never inside a line break: `\n` is one byte that
//! no other character's encoding contains, so a complete line is always whole UTF-8.
//!
//! Dropping the stream before its end aborts the request (`FetchAbort` in the record),
//! which also cancels the body the reader was reading.
//!
//! ```no_run
//! # async fn demo() -> Result<(), looplab::Error> {
//! use futures::StreamExt;
//! let mut lines = looplab::runtime::get_lines("api/stream?rows=3&interval_ms=100");
//! while let Some(line) = lines.next().await {
//!     let line = line?; // {"row":1,"of":3}, then row 2 about 100 ms later, …
//! }
//! # Ok(()) }
//! ```

use super::fetch::{network, open, InFlight, Io};
use crate::Error;
use futures::stream::{self, LocalBoxStream, StreamExt};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use web_sys::{ReadableStreamDefaultReader, ReadableStreamReadResult};

/// The lines of a streamed body, in order; an error ends the stream.
pub type Lines = LocalBoxStream<'static, Result<String, Error>>;

/// GETs `url` and yields its body line by line as it arrives (without the `\n`; a last
/// line without one is yielded too). Non-2xx answers yield one [`Error::Http`].
/// Dropping the stream before its end aborts the request.
pub fn get_lines(url: &str) -> Lines {
    stream::unfold(State::Closed(url.to_string()), |state| async move {
        let mut body = match state {
            State::Closed(url) => match Body::open(url).await {
                Ok(body) => body,
                Err(e) => return Some((Err(e), State::Ended)),
            },
            State::Open(body) => body,
            State::Ended => return None,
        };
        match body.next_line().await {
            Ok(Some(line)) => Some((Ok(line), State::Open(body))),
            Ok(None) => None,
            Err(e) => Some((Err(e), State::Ended)),
        }
    })
    .boxed_local()
}

enum State {
    /// Not sent yet: the request goes out at the first poll, like any future's work.
    Closed(String),
    Open(Body),
    Ended,
}

/// An open body: its reader, the bytes after the last line break, and the request
/// (`None` once the body has ended and the request is recorded as finished).
struct Body {
    url: String,
    reader: ReadableStreamDefaultReader,
    buf: Vec<u8>,
    request: Option<InFlight>,
}

impl Body {
    async fn open(url: String) -> Result<Body, Error> {
        let (response, request) = open(&url).await?;
        let stream = response.body().ok_or_else(|| Error::Browser(format!("{url} sent no body to stream")))?;
        let reader = ReadableStreamDefaultReader::new(&stream).map_err(Error::from_js)?;
        Ok(Body { url, reader, buf: Vec::new(), request: Some(request) })
    }

    /// The next complete line, or `None` at the end of the body.
    async fn next_line(&mut self) -> Result<Option<String>, Error> {
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                return self.text(&line[..i]).map(Some);
            }
            if self.request.is_none() {
                // Ended: whatever is left is a last line without its '\n'.
                let rest = std::mem::take(&mut self.buf);
                return if rest.is_empty() { Ok(None) } else { self.text(&rest).map(Some) };
            }
            self.read_chunk().await?;
        }
    }

    /// Awaits one `read()`: appends its bytes, or marks the body ended.
    async fn read_chunk(&mut self) -> Result<(), Error> {
        let chunk = match Io::new(self.reader.read()).await {
            Ok(chunk) => chunk.unchecked_into::<ReadableStreamReadResult>(),
            Err(e) => {
                if let Some(request) = self.request.take() {
                    request.finish(false);
                }
                return Err(network(&self.url, &e));
            }
        };
        if chunk.get_done().unwrap_or(false) {
            if let Some(request) = self.request.take() {
                request.finish(true);
            }
        } else {
            let bytes: Uint8Array = chunk.get_value().unchecked_into();
            self.buf.extend_from_slice(&bytes.to_vec());
        }
        Ok(())
    }

    fn text(&self, bytes: &[u8]) -> Result<String, Error> {
        let line = std::str::from_utf8(bytes).map_err(|e| Error::BadJson {
            url: self.url.clone(),
            detail: format!("a line is not UTF-8 text ({e})"),
        })?;
        Ok(line.strip_suffix('\r').unwrap_or(line).to_string())
    }
}
