//! Integration tests: start the real `xtask serve` binary on a free port and
//! talk raw HTTP/1.1 to it, checking the demo API's timing, errors and CORS,
//! the stream's pacing, and that the static server stays inside its root.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A dev server child process, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Runs `xtask serve --no-build --port 0` and reads the address it prints.
    fn start() -> Server {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["serve", "--no-build", "--port", "0", "--root", root])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start xtask serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).expect("a URL line").trim().trim_end_matches('/');
        Server { addr: addr.to_string(), child }
    }

    /// Sends a request and returns the connection, with the response unread.
    fn send(&self, method: &str, target: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let request = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nOrigin: http://example.test\r\n\
             Connection: close\r\n\r\n",
            self.addr
        );
        stream.write_all(request.as_bytes()).unwrap();
        stream
    }

    /// A whole `GET`: (status, lowercased head, body, elapsed).
    fn get(&self, target: &str) -> (u16, String, String, Duration) {
        let started = Instant::now();
        let mut raw = String::new();
        self.send("GET", target).read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        (status, head.to_ascii_lowercase(), body.to_string(), started.elapsed())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn delayed_user_arrives_after_the_delay_with_cors() {
    let server = Server::start();
    let (status, head, body, elapsed) = server.get("/api/users/1?delay_ms=200");
    assert_eq!(status, 200);
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    assert_eq!(body, r#"{"id":1,"name":"Grace"}"#);
}

#[test]
fn bad_parameters_are_quick_json_400s() {
    let server = Server::start();
    for query in ["delay_ms=-5", "delay_ms=abc", "delay_ms=60001", "status=999"] {
        let (status, head, body, elapsed) = server.get(&format!("/api/users/1?{query}"));
        assert_eq!(status, 400, "{query}: {body}");
        assert!(elapsed < Duration::from_millis(500), "{query} took {elapsed:?}");
        assert!(head.contains("access-control-allow-origin: *"), "{head}");
        let name = query.split('=').next().unwrap();
        assert!(body.starts_with(&format!(r#"{{"error":"{name} must be"#)), "{body}");
    }
}

#[test]
fn works_under_a_sub_path_and_answers_preflight() {
    let server = Server::start();
    let (status, _, body, _) = server.get("/docs/looplab/api/health");
    assert_eq!((status, body.as_str()), (200, r#"{"server":"looplab-dev"}"#));
    let mut raw = String::new();
    server.send("OPTIONS", "/api/users/1").read_to_string(&mut raw).unwrap();
    let head = raw.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 204"), "{raw}");
    assert!(head.contains("access-control-allow-origin: *"), "{raw}");
    assert!(head.contains("access-control-allow-methods: get"), "{raw}");
    assert!(!head.contains("\ncontent-type:"), "a 204 has no content, so no type: {raw}");
}

#[test]
fn stream_rows_are_spaced_by_the_interval() {
    let server = Server::start();
    let started = Instant::now();
    let reader = BufReader::new(server.send("GET", "/api/stream?rows=4&interval_ms=100"));
    let mut arrivals = Vec::new();
    let mut head = String::new();
    for line in reader.lines() {
        let line = line.unwrap();
        if line.starts_with(r#"{"row""#) {
            arrivals.push((started.elapsed(), line));
        } else if arrivals.is_empty() {
            head.push_str(&line.to_ascii_lowercase());
        }
    }
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(head.contains("application/x-ndjson"), "{head}");
    let rows: Vec<&str> = arrivals.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(rows, [1, 2, 3, 4].map(|i| format!(r#"{{"row":{i},"of":4}}"#)));
    for pair in arrivals.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        // Sleeps never end early; allow a little for reading and scheduling.
        assert!(gap >= Duration::from_millis(90), "rows only {gap:?} apart");
    }
    assert!(arrivals[3].0 >= Duration::from_millis(400), "{:?}", arrivals[3].0);
}

#[test]
fn static_files_stay_inside_the_root() {
    let server = Server::start();
    assert_eq!(server.get("/www/../Cargo.toml").0, 403);
    assert_eq!(server.get("/www/%2e%2e/Cargo.toml").0, 403);
    assert_eq!(server.get("/Cargo.toml").0, 404);
    let (status, head, _, _) = server.get("/sw.js");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
}
