//! The development server: the site's static files plus the demo API.
//!
//! It is deliberately plain: [`tiny_http`] parses HTTP on its own threads and
//! hands us finished requests; we answer each on a thread of its own, because
//! the API *sleeps* (`delay_ms`) and streams (`interval_ms`) and one slow request
//! must not hold up the others. A counter caps how many are in flight
//! ([`MAX_IN_FLIGHT`]); past it, requests get a quick 503 instead of a thread.
//!
//! Static layout (everything else is 404; every response is `no-store`):
//!
//! | URL | file |
//! |---|---|
//! | `/`, `/index.html` | `index.html` |
//! | `/sw.js` | `www/sw.js` — at the root, so the Service Worker's scope covers `api/` |
//! | `/www/…`, `/pkg/…`, `/bench/…` | the same path under the root |
//! | `…/api/…` | the demo API ([`crate::api`], answered by [`crate::server_api`]) |

use crate::{api, args::Args, build, server_api, tools, Result};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response};

/// Requests answered concurrently before new ones get 503.
pub const MAX_IN_FLIGHT: usize = 256;

/// A running server: where it listens, and its accept thread.
pub struct Running {
    /// The bound address (useful with port 0, which lets the OS pick).
    pub addr: SocketAddr,
    /// The accept loop; it runs until the process exits.
    pub thread: std::thread::JoinHandle<()>,
}

/// `cargo xtask serve [--port N] [--host H] [--root DIR] [--no-build]`.
pub fn cli(mut args: Args) -> Result<()> {
    let no_build = args.flag("--no-build");
    let port: u16 = args.parsed("--port")?.unwrap_or(8000);
    let host = args.value("--host")?.unwrap_or_else(|| "127.0.0.1".into());
    let root = args.value("--root")?.map(PathBuf::from).unwrap_or_else(crate::repo_root);
    args.finish()?;
    if !no_build {
        tools::ensure(tools::Need::Build)?;
        build::build(false)?;
    }
    let running = start(&host, port, &root)?;
    println!("serving {} at http://{}/", root.display(), running.addr);
    running.thread.join().map_err(|_| "server thread panicked".into())
}

/// Binds `host:port` and starts answering requests on a background thread.
pub fn start(host: &str, port: u16, root: &Path) -> Result<Running> {
    let server = tiny_http::Server::http((host, port))
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server is not listening on an IP address")?;
    let root = root.to_path_buf();
    let thread = std::thread::spawn(move || accept_loop(server, root));
    Ok(Running { addr, thread })
}

/// Hands each request to its own thread, or answers 503 when too many are busy.
fn accept_loop(server: tiny_http::Server, root: PathBuf) {
    let in_flight = Arc::new(AtomicUsize::new(0));
    for request in server.incoming_requests() {
        let Some(slot) = Slot::take(&in_flight) else {
            let body = api::error_body("the dev server is busy; try again");
            let _ = request.respond(json_response(503, body));
            continue;
        };
        let root = root.clone();
        std::thread::spawn(move || {
            let _slot = slot; // released when this request is answered
            handle(request, &root);
        });
    }
}

/// One unit of [`MAX_IN_FLIGHT`]; giving it back is `Drop`, so a panicking
/// handler cannot leak it.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(counter: &Arc<AtomicUsize>) -> Option<Slot> {
        let previous = counter.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(counter.clone());
        (previous < MAX_IN_FLIGHT).then_some(slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn handle(request: Request, root: &Path) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if let Some(suffix) = api::api_suffix(path) {
        let suffix = api::percent_decode(suffix);
        return server_api::answer(request, &suffix, query);
    }
    let response = match request.method() {
        Method::Get | Method::Head => static_file(root, path),
        _ => text_response(405, "method not allowed"),
    };
    let _ = request.respond(response);
}

/// Maps a URL path to a file under `root`, refusing anything that could escape it.
fn resolve(root: &Path, path: &str) -> std::result::Result<PathBuf, u16> {
    let decoded = api::percent_decode(path);
    let bad = |seg: &str| seg == ".." || seg == "." || seg.contains('\\') || seg.contains('\0');
    if decoded.split('/').any(bad) {
        return Err(403);
    }
    let relative = match decoded.as_str() {
        "/" | "/index.html" => "index.html".to_string(),
        "/sw.js" => "www/sw.js".to_string(),
        p if ["/www/", "/pkg/", "/bench/"].iter().any(|d| p.starts_with(d)) => p[1..].to_string(),
        _ => return Err(404),
    };
    let file = root.join(relative);
    if file.is_file() {
        Ok(file)
    } else {
        Err(404)
    }
}

fn static_file(root: &Path, path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let file = match resolve(root, path) {
        Ok(file) => file,
        Err(403) => return text_response(403, "forbidden path"),
        Err(_) => return text_response(404, "not found"),
    };
    match std::fs::read(&file) {
        Ok(bytes) => with_headers(Response::from_data(bytes), content_type(&file)),
        Err(_) => text_response(500, "cannot read file"),
    }
}

/// The `Content-Type` for a file, by extension.
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" | "md" | "rs" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A header from two strings we wrote ourselves (so always valid).
pub fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn with_headers<R: std::io::Read>(response: Response<R>, content_type: &str) -> Response<R> {
    response
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(Response::from_string(text), "text/plain; charset=utf-8").with_status_code(status)
}

/// A JSON response with the API's CORS header.
pub fn json_response(status: u16, body: String) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(Response::from_string(body), "application/json")
        .with_header(header("Access-Control-Allow-Origin", "*"))
        .with_status_code(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_and_layout_is_mapped() {
        let root = crate::repo_root();
        assert_eq!(resolve(&root, "/www/../Cargo.toml"), Err(403));
        assert_eq!(resolve(&root, "/www/%2e%2e/Cargo.toml"), Err(403));
        assert_eq!(resolve(&root, "/www/..%5cCargo.toml"), Err(403));
        assert_eq!(resolve(&root, "/Cargo.toml"), Err(404));
        assert_eq!(resolve(&root, "/xtask/Cargo.toml"), Err(404));
        assert_eq!(resolve(&root, "/www/sw.js"), Ok(root.join("www/sw.js")));
        assert_eq!(resolve(&root, "/sw.js"), Ok(root.join("www/sw.js")));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a/b.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("x.js")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
