//! The demo API contract, as pure functions: which route a URL names, whether
//! its parameters are valid, and the exact bodies to send.
//!
//! `www/sw.js` implements the same contract in JavaScript for static hosts, so
//! the two must agree byte for byte on routes, limits and error messages
//! (`e2e/api.test.mjs` sends the same requests to both and compares). The
//! rules, shared by both:
//!
//! * Routes are matched on the part of the path after the **last** `/api/`, so
//!   the API works under any sub-path (`/docs/looplab/api/health`).
//! * `users/{id}?delay_ms=D&status=S` — `id` an integer 0..=1000000000, `D`
//!   0..=60000 (default 0), `S` one of [`STATUSES`] (default 200).
//! * `stream?rows=N&interval_ms=I` — `N` 1..=1000 (default 5), `I` 0..=10000
//!   (default 200), and `N × I` at most 120000 ms. Rows are numbered from 1.
//! * `health` — `{"server": …}`.
//! * Integers are plain ASCII digits (no sign, no spaces, no decimals). A query
//!   key given twice uses its first value; unknown keys are ignored.
//! * Anything invalid is answered at once with HTTP 400 and `{"error": "…"}`
//!   naming the parameter — never a hang, never a crash.
//!
//! Bodies are written with `format!` rather than `serde_json::json!`, because
//! the key order is part of the contract and `json!` sorts keys.

/// The statuses `users/{id}?status=S` may ask for.
pub const STATUSES: [u16; 14] = [200, 201, 400, 401, 403, 404, 408, 409, 418, 429, 500, 502, 503, 504];

/// Names handed out by `users/{id}`, chosen by `id % len`.
const NAMES: [&str; 8] = ["Ada", "Grace", "Alan", "Barbara", "Edsger", "Margaret", "Donald", "Frances"];

/// A request the API accepts.
#[derive(Debug, PartialEq)]
pub enum Route {
    /// `health`: who is answering.
    Health,
    /// `users/{id}`: a JSON user after a delay, with a chosen status.
    User { id: u64, delay_ms: u64, status: u16 },
    /// `stream`: `rows` NDJSON lines, one every `interval_ms`.
    Stream { rows: u64, interval_ms: u64 },
}

/// A request the API refuses: an HTTP status and a message for the learner.
#[derive(Debug, PartialEq)]
pub struct ApiError {
    /// 400 for bad parameters, 404 for unknown routes.
    pub status: u16,
    /// Names the offending parameter and what was expected.
    pub message: String,
}

/// The route part of a path: what follows the last `/api/`, if any.
pub fn api_suffix(path: &str) -> Option<&str> {
    path.rfind("/api/").map(|i| &path[i + "/api/".len()..])
}

/// Validates a route (the [`api_suffix`]) and its raw query string.
pub fn route(suffix: &str, query: &str) -> Result<Route, ApiError> {
    if suffix == "health" {
        return Ok(Route::Health);
    }
    if suffix == "stream" {
        return stream_route(query);
    }
    if let Some(raw_id) = suffix.strip_prefix("users/") {
        let id = int_param("id", Some(raw_id), 0, 1_000_000_000, 0)?;
        let delay_ms = int_param("delay_ms", param(query, "delay_ms").as_deref(), 0, 60_000, 0)?;
        let status = status_param(param(query, "status").as_deref())?;
        return Ok(Route::User { id, delay_ms, status });
    }
    Err(ApiError { status: 404, message: format!("no API route {}; try users/{{id}}, stream or health", quoted(suffix)) })
}

fn stream_route(query: &str) -> Result<Route, ApiError> {
    let rows = int_param("rows", param(query, "rows").as_deref(), 1, 1000, 5)?;
    let interval_ms = int_param("interval_ms", param(query, "interval_ms").as_deref(), 0, 10_000, 200)?;
    if rows * interval_ms > 120_000 {
        return Err(bad(format!("rows * interval_ms must be at most 120000 ms (got {rows} * {interval_ms} = {})", rows * interval_ms)));
    }
    Ok(Route::Stream { rows, interval_ms })
}

/// Parses an optional integer parameter within `min..=max`.
fn int_param(name: &str, raw: Option<&str>, min: u64, max: u64, default: u64) -> Result<u64, ApiError> {
    let Some(raw) = raw else { return Ok(default) };
    let digits_ok = !raw.is_empty() && raw.len() <= 12 && raw.bytes().all(|b| b.is_ascii_digit());
    match raw.parse::<u64>() {
        Ok(v) if digits_ok && (min..=max).contains(&v) => Ok(v),
        _ => Err(bad(format!("{name} must be an integer from {min} to {max} (got {})", quoted(raw)))),
    }
}

fn status_param(raw: Option<&str>) -> Result<u16, ApiError> {
    let Some(raw) = raw else { return Ok(200) };
    match STATUSES.iter().find(|s| s.to_string() == raw) {
        Some(s) => Ok(*s),
        None => {
            let list: Vec<String> = STATUSES.iter().map(u16::to_string).collect();
            Err(bad(format!("status must be one of {} (got {})", list.join(", "), quoted(raw))))
        }
    }
}

fn bad(message: String) -> ApiError {
    ApiError { status: 400, message }
}

/// `"value"` with JSON escaping, exactly as `JSON.stringify` writes it.
fn quoted(raw: &str) -> String {
    serde_json::Value::from(raw).to_string()
}

/// The first value of `key` in a query string, decoded like `URLSearchParams`
/// (`+` is a space, `%XX` a byte).
pub fn param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (form_decode(k) == key).then(|| form_decode(v))
    })
}

fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

/// Decodes `%XX` escapes; malformed escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two hex digits exactly: `from_str_radix` alone would also take `+1`.
        let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        let byte = hex.and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], byte) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `{"id":ID,"name":"…"}`.
pub fn user_body(id: u64) -> String {
    let name = NAMES[(id % NAMES.len() as u64) as usize];
    format!(r#"{{"id":{id},"name":{}}}"#, quoted(name))
}

/// One NDJSON line of `stream`: `{"row":i,"of":n}\n`.
pub fn stream_row(row: u64, of: u64) -> String {
    format!("{{\"row\":{row},\"of\":{of}}}\n")
}

/// `{"server":"…"}`.
pub fn health_body(server: &str) -> String {
    format!(r#"{{"server":{}}}"#, quoted(server))
}

/// `{"error":"…"}`.
pub fn error_body(message: &str) -> String {
    format!(r#"{{"error":{}}}"#, quoted(message))
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
