//! Answers demo-API requests over HTTP, on the dev server's per-request thread.
//!
//! The rules live in [`crate::api`]; this file only does the waiting and the
//! writing. Delays are real `thread::sleep`s, so a browser sees exactly the
//! latency it asked for. The stream is written by hand as HTTP/1.1 chunked
//! encoding so that every row is *flushed* the moment it is due — tiny_http's
//! own chunked writer buffers up to kilobytes, which would deliver the rows in
//! one late lump and defeat the "async iterator" lesson.

use crate::api::{self, Route};
use crate::server::{header, json_response};
use std::io::Write;
use std::time::Duration;
use tiny_http::{Method, Request, Response};

/// What `health` reports for this server.
pub const SERVER_NAME: &str = "looplab-dev";

/// Answers one API request; `suffix` is the decoded path after `/api/`.
pub fn answer(request: Request, suffix: &str, query: &str) {
    match request.method() {
        Method::Options => return preflight(request),
        Method::Get | Method::Head => {}
        other => {
            let message = format!("method {other} is not allowed; the demo API answers GET");
            let _ = request.respond(json_response(405, api::error_body(&message)));
            return;
        }
    }
    match api::route(suffix, query) {
        Err(err) => {
            let _ = request.respond(json_response(err.status, api::error_body(&err.message)));
        }
        Ok(Route::Health) => {
            let _ = request.respond(json_response(200, api::health_body(SERVER_NAME)));
        }
        Ok(Route::User { id, delay_ms, status }) => {
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = request.respond(json_response(status, api::user_body(id)));
        }
        Ok(Route::Stream { rows, interval_ms }) => stream(request, rows, interval_ms),
    }
}

/// CORS preflight: any origin may `GET` with any headers.
fn preflight(request: Request) {
    let asked = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Access-Control-Request-Headers"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_else(|| "*".into());
    let response = Response::empty(204)
        .with_header(header("Access-Control-Allow-Origin", "*"))
        .with_header(header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"))
        .with_header(header("Access-Control-Allow-Headers", &asked))
        .with_header(header("Access-Control-Max-Age", "600"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// Writes `rows` NDJSON lines, one every `interval_ms`, each in its own chunk.
/// A write error means the client went away: stop quietly.
fn stream(request: Request, rows: u64, interval_ms: u64) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: application/x-ndjson\r\n\
                Transfer-Encoding: chunked\r\n\
                Access-Control-Allow-Origin: *\r\n\
                Cache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\n";
    if out.write_all(head.as_bytes()).and_then(|_| out.flush()).is_err() {
        return;
    }
    for row in 1..=rows {
        std::thread::sleep(Duration::from_millis(interval_ms));
        if write_chunk(&mut out, api::stream_row(row, rows).as_bytes()).is_err() {
            return;
        }
    }
    let _ = write_chunk(&mut out, b""); // the zero-length chunk ends the body
}

/// One chunk of `Transfer-Encoding: chunked`: hex length, CRLF, data, CRLF.
fn write_chunk(out: &mut dyn Write, data: &[u8]) -> std::io::Result<()> {
    write!(out, "{:x}\r\n", data.len())?;
    out.write_all(data)?;
    out.write_all(b"\r\n")?;
    out.flush()
}
