//! Hostile endpoints: servers misbehaving on purpose, so the tests can prove that a
//! bad answer fails one task clearly and leaves the rest of a run alone.
//!
//! They are not part of the lessons' contract (`crate::api`); they live under
//! `api/hostile/…` on the dev server only. The Service Worker (`www/sw.js`) ships
//! with every site `cargo xtask dist` writes, so it has none of them (the dist
//! e2e test checks that no file of the site names one).
//!
//! | route | what the browser gets |
//! |---|---|
//! | `hostile/500` | HTTP 500 with an HTML body (what a crashed backend sends) |
//! | `hostile/not-json` | HTTP 200, `Content-Type: application/json`, an HTML body |
//! | `hostile/huge?mb=N&length=0` | HTTP 200, N MiB (1–200, default 50) of valid JSON; with a `Content-Length` unless `length=0` (then chunked, size unknown) |
//! | `hostile/stall` | HTTP 200, the first bytes of a JSON body, then nothing for 10 minutes |
//! | `hostile/no-cors` | HTTP 200 JSON with no `Access-Control-Allow-Origin`: other origins may not read it |

use crate::api;
use crate::server::{full, json_response, response, Body};
use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::Response;
use std::convert::Infallible;
use std::time::Duration;

/// The size of each frame of a huge body.
const FRAME: usize = 64 * 1024;

/// How long a stalled body stays silent (the client gives up long before).
const STALL: Duration = Duration::from_secs(600);

/// Answers `hostile/<what>`; `None` when `suffix` is not a hostile route.
pub fn answer(suffix: &str, query: &str) -> Option<Response<Body>> {
    let what = suffix.strip_prefix("hostile/")?;
    Some(match what {
        "500" => cors(response(500, "text/html; charset=utf-8", full("<!doctype html><h1>500 Internal Server Error</h1>"))),
        "not-json" => cors(response(200, "application/json", full("<!doctype html><title>Welcome</title><p>This is not JSON."))),
        "huge" => huge(query),
        "stall" => stall(),
        "no-cors" => response(200, "application/json", full(api::user_body(1))),
        _ => json_response(404, api::error_body(&format!("no hostile route {what:?}; try 500, not-json, huge, stall or no-cors"))),
    })
}

fn cors(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut().insert("Access-Control-Allow-Origin", "*".parse().expect("valid"));
    r
}

/// `{"pad":"xxx…"}`, exactly `mb` MiB, sent in 64 KiB frames as fast as the client reads.
fn huge(query: &str) -> Response<Body> {
    let mb = match api::param(query, "mb").map(|v| v.parse::<usize>()) {
        None => 50,
        Some(Ok(mb)) if (1..=200).contains(&mb) => mb,
        Some(_) => return json_response(400, api::error_body("mb must be an integer from 1 to 200")),
    };
    let total = mb * 1024 * 1024;
    let frames = futures_util::stream::unfold(0usize, move |sent| async move {
        if sent >= total {
            return None;
        }
        let n = FRAME.min(total - sent);
        let mut chunk = vec![b'x'; n];
        if sent == 0 {
            chunk[..8].copy_from_slice(b"{\"pad\":\"");
        }
        if sent + n == total {
            chunk[n - 2..].copy_from_slice(b"\"}");
        }
        Some((Ok::<_, Infallible>(Frame::data(Bytes::from(chunk))), sent + n))
    });
    let mut r = cors(response(200, "application/json", StreamBody::new(frames).boxed()));
    if api::param(query, "length").as_deref() != Some("0") {
        r.headers_mut().insert("Content-Length", total.to_string().parse().expect("valid"));
    }
    r
}

/// A body that starts, then stops: the head and a few bytes, then silence.
fn stall() -> Response<Body> {
    let frames = futures_util::stream::unfold(0u8, |step| async move {
        match step {
            0 => Some((Ok::<_, Infallible>(Frame::data(Bytes::from_static(b"{\"id\":1,\"na"))), 1)),
            _ => {
                tokio::time::sleep(STALL).await;
                None
            }
        }
    });
    cors(response(200, "application/json", StreamBody::new(frames).boxed()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert!(answer("users/1", "").is_none());
        assert_eq!(answer("hostile/500", "").unwrap().status(), 500);
        assert_eq!(answer("hostile/not-json", "").unwrap().status(), 200);
        assert_eq!(answer("hostile/nope", "").unwrap().status(), 404);
        assert_eq!(answer("hostile/huge", "mb=0").unwrap().status(), 400);
        let huge = answer("hostile/huge", "mb=2").unwrap();
        assert_eq!(huge.headers()["content-length"], "2097152");
        assert!(answer("hostile/huge", "mb=2&length=0").unwrap().headers().get("content-length").is_none());
        let no_cors = answer("hostile/no-cors", "").unwrap();
        assert!(no_cors.headers().get("access-control-allow-origin").is_none());
        assert!(answer("hostile/stall", "").unwrap().headers().get("access-control-allow-origin").is_some());
    }
}
