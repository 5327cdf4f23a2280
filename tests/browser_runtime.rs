//! The traced runtime on real timers: one thread, ordered events, wake causes, the cap.
#![cfg(target_arch = "wasm32")]

mod common;

use common::events_of;
use futures::future::join_all;
use looplab::runtime::{now, sleep, task, yield_now, Recorder};
use looplab::trace::polls::polls;
use looplab::trace::state::{summarize, State};
use looplab::trace::{Cause, Kind};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Five tasks that each sleep and yield a few times, interleaving on the loop.
async fn busy_run() -> Recorder {
    let rec = Recorder::new();
    let handles: Vec<_> = (0..5)
        .map(|i| {
            task(format!("worker {i}")).recorder(&rec).spawn(async move {
                for step in 0..3 {
                    sleep(f64::from(2 + (i + step) % 4)).await;
                    yield_now().await;
                }
            })
        })
        .collect();
    join_all(handles).await;
    rec
}

#[wasm_bindgen_test]
async fn no_two_polls_overlap_in_time() {
    let rec = busy_run().await;
    let record = rec.record();
    let mut top: Vec<_> = polls(&record).into_iter().filter(|p| p.depth == 0).collect();
    assert!(top.len() >= 5 * 7, "expected every worker to be polled at least 7 times, got {} polls", top.len());
    top.sort_by(|a, b| a.start.total_cmp(&b.start));
    for pair in top.windows(2) {
        assert!(pair[1].start >= pair[0].end, "poll {:?} overlaps {:?}", pair[1], pair[0]);
    }
}

#[wasm_bindgen_test]
async fn each_task_s_events_are_ordered_from_created_to_outcome() {
    let rec = busy_run().await;
    let record = rec.record();
    for id in 0..record.tasks().len() as u32 {
        let evs = events_of(&record, id);
        assert_eq!(evs.first().map(|e| e.kind), Some(Kind::Created), "task {id} starts with Created");
        assert_eq!(evs.last().map(|e| e.kind), Some(Kind::Done), "task {id} ends with Done");
        let first_poll = evs.iter().position(|e| e.kind == Kind::PollStart).expect("polled");
        assert!(first_poll > 0);
        for pair in evs.windows(2) {
            assert!(pair[1].t >= pair[0].t, "task {id}: time went backwards");
        }
        // Polls alternate start/end; the last poll is the only Ready one.
        let bounds: Vec<_> = evs.iter().filter(|e| matches!(e.kind, Kind::PollStart | Kind::PollEnd { .. })).collect();
        for (i, e) in bounds.iter().enumerate() {
            assert_eq!(e.kind == Kind::PollStart, i % 2 == 0, "task {id}: polls do not alternate");
        }
        assert_eq!(bounds.last().unwrap().kind, Kind::PollEnd { ready: true });
    }
}

#[wasm_bindgen_test]
async fn a_task_woken_by_a_timer_records_the_timer() {
    let rec = Recorder::new();
    let h = task("sleeper").recorder(&rec).spawn(async { sleep(5.0).await });
    let id = h.id();
    h.await;
    let record = rec.record();
    let wakes: Vec<_> = events_of(&record, id)
        .into_iter()
        .filter_map(|e| match e.kind {
            Kind::Wake(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(wakes.len(), 2, "spawned, then woken once: {wakes:?}");
    assert_eq!(wakes[0], Cause::Spawn);
    assert!(matches!(wakes[1], Cause::Timer { late_ms } if late_ms >= 0.0), "{:?}", wakes[1]);
}

#[wasm_bindgen_test]
async fn a_yield_is_a_self_wake_and_a_join_is_woken_by_the_child() {
    let rec = Recorder::new();
    let parent = task("parent").recorder(&rec).spawn(async {
        let child = task("child").spawn(async { sleep(3.0).await });
        yield_now().await;
        child.await;
    });
    let pid = parent.id();
    parent.await;
    let record = rec.record();
    let child = record.tasks().iter().position(|t| t.name == "child").unwrap() as u32;
    assert_eq!(record.tasks()[child as usize].parent, Some(pid), "child belongs to its spawner");
    let causes: Vec<_> = events_of(&record, pid)
        .into_iter()
        .filter_map(|e| match e.kind {
            Kind::Wake(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(causes.contains(&Cause::SelfWake), "{causes:?}");
    assert!(causes.contains(&Cause::Task(child)), "{causes:?}");
}

#[wasm_bindgen_test]
async fn sleeps_wait_at_least_their_delay_and_run_concurrently() {
    let rec = Recorder::new();
    // A Sleep's deadline is fixed when it is created, so each task ends at least its
    // delay after a clock reading taken before its sleep was made, whenever it was
    // first polled. (Not measured from the task's own `created`: a busy machine may
    // pause the page between making the sleep and spawning its task.)
    let before_a = now();
    let a = task("30").recorder(&rec).spawn(sleep(30.0));
    let before_b = now();
    let b = task("60").recorder(&rec).spawn(sleep(60.0));
    join_all([a, b]).await;
    let record = rec.record();
    let s = summarize(&record);
    // 0.2 ms: the browser coarsens performance.now() to 0.1 ms, with jitter.
    assert!(record.origin() + s[0].end >= before_a + 30.0 - 0.2, "{:?}", s[0]);
    assert!(record.origin() + s[1].end >= before_b + 60.0 - 0.2, "{:?}", s[1]);
    // Concurrent: the 60 ms task was polled, and waiting, before the 30 ms one ended;
    // one after the other, its first poll would come after that end. (An order, not a
    // bound on its end: its deadline was fixed before either task ran.)
    let (first_b, end_a) = (s[1].first_poll.unwrap_or(f64::INFINITY), s[0].end);
    assert!(first_b < end_a, "the 60 ms task first ran at {first_b} ms, after the 30 ms one ended ({end_a} ms)");
    assert!(s.iter().all(|t| t.state == State::Done));
}

#[wasm_bindgen_test]
async fn the_cap_holds_and_says_what_it_dropped() {
    let rec = Recorder::with_cap(100);
    let handles: Vec<_> = (0..1000).map(|_| task("t").recorder(&rec).spawn(sleep(1.0))).collect();
    join_all(handles).await;
    let record = rec.record();
    assert_eq!(record.events().len(), 100);
    assert!(record.tasks().len() <= 100);
    // 1000 tasks × 8 events were produced; all but 100 were counted as dropped.
    assert!(record.dropped() >= 1000 * 8 - 100 - 1000, "dropped {}", record.dropped());
}
