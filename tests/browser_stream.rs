//! A streamed response, line by line: rows come as they are sent, in order; dropping
//! the stream aborts the request; a refused request is one error, then the end.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{api, events_of, has};
use futures::StreamExt;
use looplab::runtime::{get_lines, now, task, Recorder};
use looplab::trace::Kind;
use looplab::Error;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn rows_arrive_one_by_one_spaced_and_in_order() {
    let rec = Recorder::new();
    let url = api("api/stream?rows=4&interval_ms=60").await;
    let h = task("reader").recorder(&rec).spawn(async move {
        let mut lines = get_lines(&url);
        let mut got = Vec::new();
        while let Some(line) = lines.next().await {
            got.push((line?, now()));
        }
        Ok::<_, Error>(got)
    });
    let id = h.id();
    let got = h.await.expect("the stream was read to its end");
    let texts: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(texts, [1, 2, 3, 4].map(|i| format!("{{\"row\":{i},\"of\":4}}")));
    // The server spends 3 × 60 ms sending them. Read as they come, they spread over about
    // that; a buffered body hands them over all at once. Half of it is the line: to fail,
    // the first row must be read 90 ms later after its sending than the last one.
    let spread = got[3].1 - got[0].1;
    assert!(spread >= 0.5 * 3.0 * 60.0, "the rows came within {spread} ms of each other: the body was not streamed");
    let record = rec.record();
    assert!(has(&record, id, Kind::FetchStart));
    assert!(has(&record, id, Kind::FetchEnd { ok: true, status: 200 }), "{:?}", events_of(&record, id));
    assert!(!has(&record, id, Kind::FetchAbort));
}

#[wasm_bindgen_test]
async fn dropping_the_stream_mid_way_aborts_the_request() {
    let rec = Recorder::new();
    let url = api("api/stream?rows=20&interval_ms=50").await;
    let h = task("reader").recorder(&rec).spawn(async move {
        let mut lines = get_lines(&url);
        let first = lines.next().await; // 1. one row in
        let second = lines.next().await; // 2. a second
        let before = now();
        drop(lines); //                     3. stop reading: 18 rows still to come
        let after = now();
        Ok::<_, Error>((first, second, before, after))
    });
    let id = h.id();
    let (first, second, before, after) = h.await.unwrap();
    assert_eq!(first, Some(Ok("{\"row\":1,\"of\":20}".to_string())));
    assert_eq!(second, Some(Ok("{\"row\":2,\"of\":20}".to_string())));
    let record = rec.record();
    let evs = events_of(&record, id);
    let abort = evs.iter().find(|e| e.kind == Kind::FetchAbort).expect("the request was aborted");
    // Stamped inside the drop itself: not before it, and not later (at the task's end, or
    // on a later turn of the loop). No tolerance: one clock, read in this order.
    assert!((before..=after).contains(&abort.t), "aborted at {} ms, the drop ran from {before} to {after} ms", abort.t);
    assert!(!evs.iter().any(|e| matches!(e.kind, Kind::FetchEnd { .. })), "{evs:?}");
}

#[wasm_bindgen_test]
async fn a_refused_request_is_one_error_then_the_end() {
    let url = api("api/stream?rows=0").await;
    let mut lines = get_lines(&url);
    match lines.next().await {
        Some(Err(Error::Http { status: 400, .. })) => {}
        other => panic!("expected HTTP 400, got {other:?}"),
    }
    assert!(lines.next().await.is_none());
}
