//! Failures: a failed task carries its error, from its own code or from the network.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{api, events_of, has};
use futures::future::join_all;
use looplab::runtime::{get_json, sleep, task, Recorder};
use looplab::trace::state::{summarize, State};
use looplab::trace::Kind;
use looplab::Error;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_failed_task_carries_its_error_and_siblings_are_unaffected() {
    let rec = Recorder::new();
    let bad = task("bad").recorder(&rec).spawn(async {
        sleep(5.0).await;
        Err::<(), _>(Error::Raised("the tea kettle boiled over".into()))
    });
    let good = task("good").recorder(&rec).spawn(async {
        sleep(15.0).await;
        Ok::<(), Error>(())
    });
    let results = join_all([bad, good]).await;
    assert!(results[0].is_err() && results[1].is_ok());
    let s = summarize(&rec.record());
    assert_eq!(s[0].state, State::Failed);
    assert_eq!(s[0].error.as_deref(), Some("the tea kettle boiled over"));
    assert_eq!(s[1].state, State::Done);
}

#[wasm_bindgen_test]
async fn an_http_error_status_fails_the_task_with_the_status() {
    let rec = Recorder::new();
    let url = api("api/users/1?delay_ms=10&status=503").await;
    let h = task("503").recorder(&rec).spawn(async move { get_json(&url).await });
    let id = h.id();
    let err = h.await.expect_err("503 is an error");
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    let record = rec.record();
    assert!(has(&record, id, Kind::FetchEnd { ok: false, status: 503 }));
    let s = summarize(&record);
    assert!(s[0].error.as_deref().unwrap().contains("HTTP 503"), "{:?}", s[0].error);
}

#[wasm_bindgen_test]
async fn an_unreachable_host_fails_as_a_network_error() {
    let rec = Recorder::new();
    // Port 9 (discard) on loopback: nothing listens there, the connection is refused.
    let h = task("nowhere").recorder(&rec).spawn(async { get_json("http://127.0.0.1:9/none").await });
    let err = h.await.expect_err("refused");
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
}

#[wasm_bindgen_test]
async fn a_body_that_is_not_json_is_bad_json() {
    let rec = Recorder::new();
    // Newline-delimited JSON (two documents) is not one JSON document.
    let url = api("api/stream?rows=2&interval_ms=0").await;
    let h = task("ndjson").recorder(&rec).spawn(async move { get_json(&url).await });
    let id = h.id();
    let err = h.await.expect_err("two JSON lines are not one JSON value");
    assert!(matches!(err, Error::BadJson { .. }), "{err:?}");
    assert!(matches!(events_of(&rec.record(), id).last().unwrap().kind, Kind::Failed(_)));
}
