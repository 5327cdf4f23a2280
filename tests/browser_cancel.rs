//! Cancellation: a dropped task is never polled again, its fetch is aborted, and a
//! timeout cancels the work it guards.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{api, events_of, has};
use looplab::runtime::fetch::in_flight;
use looplab::runtime::{get_json, sleep, task, timeout, Recorder};
use looplab::trace::Kind;
use looplab::Error;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_dropped_task_is_cancelled_and_never_polled_again() {
    let rec = Recorder::new();
    let reached = Rc::new(Cell::new(false));
    let flag = reached.clone();
    let h = task("slow").recorder(&rec).spawn(async move {
        sleep(40.0).await;
        flag.set(true);
    });
    let id = h.id();
    sleep(10.0).await; // 1. the task has been polled once and sleeps
    drop(h); //          2. cancel it
    sleep(80.0).await; // 3. well past its deadline
    assert!(!reached.get(), "code after the cancelled await ran");
    let record = rec.record();
    let evs = events_of(&record, id);
    let cancelled = evs.iter().position(|e| e.kind == Kind::Cancelled).expect("recorded as cancelled");
    assert!(evs[cancelled + 1..].iter().all(|e| e.kind != Kind::PollStart), "polled after cancel: {evs:?}");
    assert_eq!(evs.iter().filter(|e| e.kind == Kind::PollStart).count(), 1);
}

#[wasm_bindgen_test]
async fn cancelling_a_task_aborts_its_fetch() {
    let rec = Recorder::new();
    let url = api("api/users/7?delay_ms=3000").await;
    let h = task("fetch").recorder(&rec).spawn(async move { get_json(&url).await });
    let id = h.id();
    sleep(100.0).await;
    let out_before = in_flight();
    let before = common::now_ms();
    drop(h);
    let after = common::now_ms();
    // No await between the drop and the checks: cancelling happens at the drop itself.
    assert_eq!(in_flight(), out_before - 1, "the request is still counted in flight after the drop");
    let record = rec.record();
    assert!(has(&record, id, Kind::Cancelled), "not cancelled at the drop: {:?}", events_of(&record, id));
    assert!(has(&record, id, Kind::FetchStart));
    assert!(has(&record, id, Kind::FetchAbort), "fetch not aborted: {:?}", events_of(&record, id));
    assert!(!has(&record, id, Kind::FetchEnd { ok: true, status: 200 }));
    // Both stamped during the drop, by the clock read around it: no tolerance needed.
    for kind in [Kind::FetchAbort, Kind::Cancelled] {
        let t = events_of(&record, id).iter().find(|e| e.kind == kind).map(|e| e.t);
        assert!(t.is_some_and(|t| (before..=after).contains(&t)), "{kind:?} at {t:?} ms, the drop ran from {before} to {after} ms");
    }
}

#[wasm_bindgen_test]
async fn a_timeout_cancels_the_request_it_guards() {
    let rec = Recorder::new();
    let url = api("api/users/3?delay_ms=2000").await;
    let h = task("guarded").recorder(&rec).spawn(async move { timeout(80.0, get_json(&url)).await? });
    let id = h.id();
    let t0 = looplab::runtime::now();
    let result = h.await;
    let took = looplab::runtime::now() - t0;
    assert_eq!(result, Err(Error::Timeout { after_ms: 80.0 }));
    // Ended by the 80 ms deadline, not by the answer: the server sends it after 2000 ms.
    // That number is the claim; an upper bound nearer 80 would only measure the machine.
    assert!((79.0..2000.0).contains(&took), "timed out after {took} ms");
    let record = rec.record();
    assert!(has(&record, id, Kind::FetchAbort), "{:?}", events_of(&record, id));
    assert!(matches!(events_of(&record, id).last().unwrap().kind, Kind::Failed(_)), "{:?}", events_of(&record, id));
}

#[wasm_bindgen_test]
async fn a_fetch_that_beats_its_timeout_is_not_aborted() {
    let rec = Recorder::new();
    let url = api("api/users/2?delay_ms=20").await;
    let h = task("quick").recorder(&rec).spawn(async move { timeout(2000.0, get_json(&url)).await? });
    let id = h.id();
    let body = h.await.expect("answered in time");
    assert_eq!(js_sys::Reflect::get(&body, &"id".into()).unwrap().as_f64(), Some(2.0));
    let record = rec.record();
    assert!(has(&record, id, Kind::FetchEnd { ok: true, status: 200 }));
    assert!(!has(&record, id, Kind::FetchAbort));
    assert!(has(&record, id, Kind::Done));
}
