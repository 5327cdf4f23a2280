//! Hostile servers: every bad answer fails its own task, clearly and in time, while
//! the tasks beside it carry on. The misbehaving endpoints are the dev server's
//! `api/hostile/…` (xtask/src/server_hostile.rs); the test page is on another origin,
//! so every request there is a cross-origin one, as a reader's own URLs would be.
//! Those tests are `#[ignore]`d, so a bare `wasm-pack test` lists them with the reason
//! and `cargo xtask test` runs them (`--include-ignored`, with the dev server).
#![cfg(target_arch = "wasm32")]

mod common;

use common::{api, dev_api, events_of, has, now_ms};
use futures::future::join_all;
use futures::StreamExt;
use looplab::runtime::{get_json_with, get_lines_with, task, timeout, Limits, Recorder};
use looplab::trace::Kind;
use looplab::Error;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Small limits so the test is quick: 1 MiB, 400 ms of silence.
const LIMITS: Limits = Limits { max_bytes: 1 << 20, stall_ms: 400.0 };

/// Every deadline here: each case must fail on its own well before it.
const DEADLINE_MS: f64 = 8_000.0;

fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

#[wasm_bindgen_test]
#[ignore = "needs the dev server's api/hostile/ routes; `cargo xtask test` runs it"]
async fn each_hostile_answer_fails_only_its_own_task() {
    let rec = Recorder::new();
    let cases = [
        ("http 500", dev_api("api/hostile/500")),
        ("not json", dev_api("api/hostile/not-json")),
        ("50 MiB, announced", dev_api("api/hostile/huge?mb=50")),
        ("50 MiB, chunked", dev_api("api/hostile/huge?mb=50&length=0")),
        ("stalled body", dev_api("api/hostile/stall")),
        ("unreachable host", "http://127.0.0.1:9/unreachable".to_string()),
        ("no CORS headers", dev_api("api/hostile/no-cors")),
        ("healthy", dev_api("api/users/4?delay_ms=300")),
    ];
    let memory_before = wasm_memory_bytes();
    let started = now_ms();
    let handles: Vec<_> = cases
        .iter()
        .map(|(name, url)| {
            let url = url.clone();
            let h = task(*name).recorder(&rec).spawn(async move {
                let t0 = now_ms();
                let out = timeout(DEADLINE_MS, get_json_with(&url, LIMITS)).await;
                Ok::<_, Error>((out, now_ms() - t0))
            });
            (name, h.id(), h)
        })
        .collect();
    let ids: Vec<_> = handles.iter().map(|(n, id, _)| (**n, *id)).collect();
    let results: Vec<_> = join_all(handles.into_iter().map(|(_, _, h)| h)).await.into_iter().map(Result::unwrap).collect();
    let elapsed = now_ms() - started;
    let grown = wasm_memory_bytes() - memory_before;

    let mut report = String::new();
    for ((name, _), (out, ms)) in ids.iter().zip(&results) {
        report.push_str(&format!("{name}: {ms:.0} ms, {out:?}\n"));
    }
    let outcome = |name: &str| {
        let i = ids.iter().position(|(n, _)| *n == name).unwrap();
        match &results[i].0 {
            Ok(inner) => inner.clone(),
            Err(timeout) => panic!("{name} hit the test's deadline ({timeout}) instead of failing on its own:\n{report}"),
        }
    };
    assert!(matches!(outcome("http 500"), Err(Error::Http { status: 500, .. })), "{report}");
    assert!(matches!(outcome("not json"), Err(Error::BadJson { .. })), "{report}");
    for name in ["50 MiB, announced", "50 MiB, chunked"] {
        match outcome(name) {
            Err(Error::Body { detail, .. }) => assert!(detail.contains("1 MiB limit"), "{name}: {detail}"),
            other => panic!("{name}: expected Error::Body, got {other:?}\n{report}"),
        }
    }
    match outcome("stalled body") {
        Err(e @ Error::Body { .. }) => assert!(e.to_string().contains("no bytes arrived for 400 ms"), "{e}"),
        other => panic!("stalled body: expected Error::Body, got {other:?}\n{report}"),
    }
    assert!(matches!(outcome("unreachable host"), Err(Error::Network { .. })), "{report}");
    assert!(matches!(outcome("no CORS headers"), Err(Error::Network { .. })), "{report}");
    let healthy = outcome("healthy").expect("the healthy request beside them succeeded");
    assert_eq!(js_sys::Reflect::get(&healthy, &"id".into()).unwrap().as_f64(), Some(4.0));
    assert!(elapsed < DEADLINE_MS, "the run took {elapsed} ms:\n{report}");
    // The 50 MiB bodies never reached wasm memory (at most the 1 MiB limit did).
    assert!(grown < 8.0 * 1024.0 * 1024.0, "wasm memory grew by {grown} bytes:\n{report}");

    let record = rec.record();
    let id = |name: &str| ids.iter().find(|(n, _)| *n == name).unwrap().1;
    for name in ["50 MiB, announced", "50 MiB, chunked", "stalled body"] {
        assert!(has(&record, id(name), Kind::FetchAbort), "{name} was not aborted: {:?}", events_of(&record, id(name)));
    }
    for (name, status) in [("http 500", 500), ("not json", 200)] {
        assert!(has(&record, id(name), Kind::FetchEnd { ok: false, status }), "{name}: {:?}", events_of(&record, id(name)));
    }
    assert!(has(&record, id("healthy"), Kind::FetchEnd { ok: true, status: 200 }));
    for (name, task) in &ids {
        let failed = events_of(&record, *task).iter().any(|e| matches!(e.kind, Kind::Failed(_) | Kind::Cancelled));
        assert!(!failed, "{name}: the task itself returned its error as a value, it must end Done");
    }
}

#[wasm_bindgen_test]
#[ignore = "needs the dev server's api/hostile/ routes; `cargo xtask test` runs it"]
async fn a_stream_that_stalls_ends_with_an_error() {
    let url = dev_api("api/hostile/stall");
    let t0 = now_ms();
    let mut lines = get_lines_with(&url, LIMITS);
    let first = lines.next().await;
    let waited = now_ms() - t0;
    match first {
        Some(Err(Error::Body { detail, .. })) => assert!(detail.contains("no bytes arrived"), "{detail}"),
        other => panic!("expected Error::Body, got {other:?}"),
    }
    // Ended by the 400 ms stall limit, not the test's deadline (that number is the claim).
    assert!((390.0..DEADLINE_MS).contains(&waited), "failed after {waited} ms");
    assert!(lines.next().await.is_none(), "the stream ended after its error");
}

#[wasm_bindgen_test]
#[ignore = "needs the dev server's api/hostile/ routes; `cargo xtask test` runs it"]
async fn a_stream_with_an_endless_line_is_refused() {
    // 50 MiB with no line break at all: one "line" past any limit.
    let mut lines = get_lines_with(&dev_api("api/hostile/huge?mb=50&length=0"), LIMITS);
    match lines.next().await {
        Some(Err(Error::Body { detail, .. })) => assert!(detail.contains("a line passed the 1 MiB limit"), "{detail}"),
        other => panic!("expected Error::Body, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_whole_line_over_the_limit_is_refused_too() {
    // The demo stream's rows are complete lines of a few dozen bytes, each arriving
    // with its '\n' in one chunk: with an 8-byte limit the first one (16 bytes) is already over.
    let tight = Limits { max_bytes: 8, ..LIMITS };
    let mut lines = get_lines_with(&api("api/stream?rows=3&interval_ms=0").await, tight);
    match lines.next().await {
        Some(Err(Error::Body { detail, .. })) => assert!(detail.contains("a line passed"), "{detail}"),
        other => panic!("expected Error::Body, got {other:?}"),
    }
    assert!(lines.next().await.is_none(), "the stream ended after its error");
}
