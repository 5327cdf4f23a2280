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

use super::body::{append, mib, BodyReader, Limits};
use super::fetch::open;
use super::waits::{self, Parked};
use crate::Error;
use futures::stream::{self, LocalBoxStream, StreamExt};
use std::panic::Location;
use std::task::Poll;

/// The lines of a streamed body, in order; an error ends the stream.
pub type Lines = LocalBoxStream<'static, Result<String, Error>>;

/// GETs `url` and yields its body line by line as it arrives (without the `\n`; a last
/// line without one is yielded too). Non-2xx answers yield one [`Error::Http`].
/// Dropping the stream before its end aborts the request. The body is read under
/// [`Limits::DEFAULT`]: a line over 4 MiB, or 20 s with no bytes, ends it with
/// [`Error::Body`].
#[track_caller]
pub fn get_lines(url: &str) -> Lines {
    get_lines_with(url, Limits::DEFAULT)
}

/// [`get_lines`] with other [`Limits`]: `max_bytes` bounds one line, not the body.
/// Each time the stream is pending, its task waits on the request at the caller's line.
#[track_caller]
pub fn get_lines_with(url: &str, limits: Limits) -> Lines {
    let (site, url_shown) = (Location::caller(), url.to_string());
    let mut parked: Option<Parked> = None;
    let mut lines = read_lines(url, limits);
    stream::poll_fn(move |cx| {
        let out = lines.poll_next_unpin(cx);
        match out {
            Poll::Pending if parked.is_none() => parked = waits::begin_fetch(&url_shown, site),
            Poll::Ready(_) => parked.take().map_or((), Parked::over),
            Poll::Pending => {}
        }
        out
    })
    .boxed_local()
}

fn read_lines(url: &str, limits: Limits) -> Lines {
    stream::unfold(State::Closed(url.to_string(), limits), |state| async move {
        let mut body = match state {
            State::Closed(url, limits) => match Body::open(url, limits).await {
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
    Closed(String, Limits),
    Open(Body),
    Ended,
}

/// An open body: its reader and the bytes after the last line break.
struct Body {
    reader: BodyReader,
    buf: Vec<u8>,
}

impl Body {
    async fn open(url: String, limits: Limits) -> Result<Body, Error> {
        let (response, request) = open(&url).await?;
        let reader = BodyReader::new(&url, &response, request, limits)?;
        Ok(Body { reader, buf: Vec::new() })
    }

    /// The next complete line, or `None` at the end of the body.
    async fn next_line(&mut self) -> Result<Option<String>, Error> {
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let max = self.reader.limits().max_bytes;
                if i > max {
                    // A whole line can arrive in one chunk: it is held to the limit too.
                    self.buf = Vec::new();
                    return Err(self.reader.refuse(format!("a line passed the {} limit; the request was aborted", mib(max))));
                }
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                return self.text(&line[..i]).map(Some);
            }
            if self.reader.ended() {
                // Ended: whatever is left is a last line without its '\n'.
                let rest = std::mem::take(&mut self.buf);
                self.reader.finish(true);
                return if rest.is_empty() { Ok(None) } else { self.text(&rest).map(Some) };
            }
            let Some(chunk) = self.reader.chunk().await? else {
                // The whole body is in: the request ended well, even if the reader
                // stops before taking the lines still buffered.
                self.reader.finish(true);
                continue;
            };
            append(&mut self.buf, &chunk);
            // An unfinished line is held back: it must stay bounded too.
            let max = self.reader.limits().max_bytes;
            let partial = self.buf.iter().rposition(|&b| b == b'\n').map_or(self.buf.len(), |i| self.buf.len() - i - 1);
            if partial > max {
                self.buf = Vec::new();
                return Err(self.reader.refuse(format!("a line passed the {} limit; the request was aborted", mib(max))));
            }
        }
    }

    fn text(&self, bytes: &[u8]) -> Result<String, Error> {
        let line = std::str::from_utf8(bytes)
            .map_err(|e| Error::BadJson { url: self.reader.url().to_string(), detail: format!("a line is not UTF-8 text ({e})") })?;
        Ok(line.strip_suffix('\r').unwrap_or(line).to_string())
    }
}
