//! Answers demo-API requests over HTTP.
//!
//! The rules live in [`crate::api`]; this file only does the waiting and the
//! writing. Delays are real tokio timers, so a browser sees exactly the latency it
//! asked for. The stream's rows are body frames sent one at a time as they fall
//! due; hyper writes each as its own HTTP/1.1 chunk, so a reader receives every
//! row the moment it is sent, not in one late lump.

use crate::api::{self, Route};
use crate::server::{json_response, response, Body};
use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::{Method, Request, Response};
use std::convert::Infallible;
use std::time::Duration;

/// What `health` reports for this server.
pub const SERVER_NAME: &str = "looplab-dev";

/// Answers one API request; `suffix` is the decoded path after `/api/`.
pub async fn answer<B>(req: &Request<B>, suffix: &str, query: &str) -> Response<Body> {
    match *req.method() {
        Method::OPTIONS => return preflight(req),
        Method::GET | Method::HEAD => {}
        ref other => {
            let message = format!("method {other} is not allowed; the demo API answers GET");
            return json_response(405, api::error_body(&message));
        }
    }
    match api::route(suffix, query) {
        Err(err) => json_response(err.status, api::error_body(&err.message)),
        Ok(Route::Health) => json_response(200, api::health_body(SERVER_NAME)),
        Ok(Route::User { id, delay_ms, status }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            json_response(status, api::user_body(id))
        }
        Ok(Route::Stream { rows, interval_ms }) => stream(rows, interval_ms),
    }
}

/// CORS preflight: any origin may `GET` with any headers.
fn preflight<B>(req: &Request<B>) -> Response<Body> {
    let asked = req.headers().get("Access-Control-Request-Headers").and_then(|v| v.to_str().ok()).unwrap_or("*").to_string();
    let mut r = response(204, "text/plain; charset=utf-8", crate::server::full(Bytes::new()));
    let h = r.headers_mut();
    h.remove("Content-Type"); // no content, so no type (as from www/sw.js)
    h.insert("Access-Control-Allow-Origin", "*".parse().expect("valid"));
    h.insert("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS".parse().expect("valid"));
    if let Ok(v) = asked.parse() {
        h.insert("Access-Control-Allow-Headers", v);
    }
    h.insert("Access-Control-Max-Age", "600".parse().expect("valid"));
    r
}

/// `rows` NDJSON lines, one every `interval_ms`, each sent as it falls due.
fn stream(rows: u64, interval_ms: u64) -> Response<Body> {
    let lines = futures_util::stream::unfold(1u64, move |row| async move {
        if row > rows {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(interval_ms)).await;
        let frame = Frame::data(Bytes::from(api::stream_row(row, rows)));
        Some((Ok::<_, Infallible>(frame), row + 1))
    });
    let mut r = response(200, "application/x-ndjson", StreamBody::new(lines).boxed());
    r.headers_mut().insert("Access-Control-Allow-Origin", "*".parse().expect("valid"));
    r
}
