//! The development server: the site's static files plus the demo API.
//!
//! hyper serves HTTP/1.1 on a small tokio runtime: every connection is a task of
//! its own, and the API's delays (`delay_ms`) and stream pacing (`interval_ms`) are
//! tokio timers, so one slow request never holds up another. A counter caps how
//! many requests are answered at once ([`MAX_IN_FLIGHT`]); past it, requests get a
//! quick 503.
//!
//! Static layout (everything else is 404; every response is `no-store`):
//!
//! | URL | file |
//! |---|---|
//! | `/`, `/index.html` | `index.html` |
//! | `/sw.js` | `www/sw.js` — at the root, so the Service Worker's scope covers `api/` |
//! | `/bridge.html` | `www/bridge.html` — beside it, as in the static site (`www/api.js`) |
//! | `/www/…`, `/pkg/…`, `/bench/…`, `/examples/…` | the same path under the root |
//! | `…/api/…` | the demo API ([`crate::api`], answered by [`crate::server_api`]) |
//! | `…/api/hostile/…` | misbehaving servers for the robustness tests ([`hostile`]) |

use crate::{api, args::Args, build, server_api, tools, Result};
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[path = "server_hostile.rs"]
mod hostile;

/// Requests answered concurrently before new ones get 503.
pub const MAX_IN_FLIGHT: usize = 256;

/// Every response body: whole (files, JSON) or streamed (`api/stream`).
pub type Body = BoxBody<Bytes, Infallible>;

/// A running server: where it listens, and the thread running its event loop.
pub struct Running {
    /// The bound address (useful with port 0, which lets the OS pick).
    pub addr: SocketAddr,
    /// The server's thread; it runs until the process exits.
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
        build::build(false, false)?;
    }
    let running = start(&host, port, &root)?;
    println!("serving {} at http://{}/", root.display(), running.addr);
    running.thread.join().map_err(|_| "server thread panicked".into())
}

/// Binds `host:port` (now, so a busy port is reported at once) and serves on a
/// background thread.
pub fn start(host: &str, port: u16, root: &Path) -> Result<Running> {
    let listener = std::net::TcpListener::bind((host, port)).map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let root = Arc::new(root.to_path_buf());
    let thread = std::thread::spawn(move || runtime.block_on(accept_loop(listener, root)));
    Ok(Running { addr, thread })
}

/// Serves every accepted connection on a task of its own.
async fn accept_loop(listener: std::net::TcpListener, root: Arc<PathBuf>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    let in_flight = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let (root, in_flight) = (root.clone(), in_flight.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let (root, in_flight) = (root.clone(), in_flight.clone());
                async move { Ok::<_, Infallible>(guarded(req, &root, &in_flight).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

/// Answers one request, or 503 when [`MAX_IN_FLIGHT`] are already being answered.
async fn guarded(req: Request<hyper::body::Incoming>, root: &Path, in_flight: &AtomicUsize) -> Response<Body> {
    let previous = in_flight.fetch_add(1, Ordering::SeqCst);
    let response = if previous >= MAX_IN_FLIGHT {
        json_response(503, api::error_body("the dev server is busy; try again"))
    } else {
        handle(req, root).await
    };
    in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

async fn handle(req: Request<hyper::body::Incoming>, root: &Path) -> Response<Body> {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    if let Some(suffix) = api::api_suffix(&path) {
        let suffix = api::percent_decode(suffix);
        if let Some(r) = hostile::answer(&suffix, &query) {
            return r;
        }
        return server_api::answer(&req, &suffix, &query).await;
    }
    match *req.method() {
        Method::GET | Method::HEAD => static_file(root, &path),
        _ => text_response(405, "method not allowed"),
    }
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
        "/bridge.html" => "www/bridge.html".to_string(),
        p if ["/www/", "/pkg/", "/bench/", "/examples/"].iter().any(|d| p.starts_with(d)) => p[1..].to_string(),
        // Pyodide: `dist` carries it in pyodide/; the repository has it from npm (e2e/).
        p if p.starts_with("/pyodide/") && !root.join("pyodide").is_dir() => format!("e2e/node_modules{p}"),
        p if p.starts_with("/pyodide/") => p[1..].to_string(),
        _ => return Err(404),
    };
    let mut file = root.join(relative);
    if file.is_dir() {
        // A folder (`/examples/docs/`) serves its index.html, as static hosts do.
        file = file.join("index.html");
    }
    if file.is_file() {
        Ok(file)
    } else {
        Err(404)
    }
}

fn static_file(root: &Path, path: &str) -> Response<Body> {
    let file = match resolve(root, path) {
        Ok(file) => file,
        Err(403) => return text_response(403, "forbidden path"),
        Err(_) => return text_response(404, "not found"),
    };
    match std::fs::read(&file) {
        Ok(bytes) => response(200, content_type(&file), full(bytes)),
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
        "txt" | "md" | "rs" | "py" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A whole body.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// A response with the headers every answer carries.
pub fn response(status: u16, content_type: &str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert("Content-Type", content_type.parse().expect("a valid header value"));
    h.insert("Cache-Control", "no-store".parse().expect("valid"));
    h.insert("X-Content-Type-Options", "nosniff".parse().expect("valid"));
    r
}

fn text_response(status: u16, text: &str) -> Response<Body> {
    response(status, "text/plain; charset=utf-8", full(text.to_string()))
}

/// A JSON response with the API's CORS header.
pub fn json_response(status: u16, body: String) -> Response<Body> {
    let mut r = response(status, "application/json", full(body));
    r.headers_mut().insert("Access-Control-Allow-Origin", "*".parse().expect("valid"));
    r
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
        assert_eq!(resolve(&root, "/bridge.html"), Ok(root.join("www/bridge.html")));
        assert_eq!(resolve(&root, "/examples/docs/"), Ok(root.join("examples/docs/index.html")));
        assert_eq!(resolve(&root, "/pyodide/../Cargo.toml"), Err(403));
        if root.join("e2e/node_modules/pyodide/pyodide.mjs").is_file() {
            assert_eq!(resolve(&root, "/pyodide/pyodide.mjs"), Ok(root.join("e2e/node_modules/pyodide/pyodide.mjs")));
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a/b.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("x.js")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
