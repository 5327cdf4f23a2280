//! Waits: a known run parks on a timer, a request, another task, a request a deadline
//! cuts short, and a yield. Each wait in the record carries its kind, its words, how
//! it ended and the line of the call that made it; a lesson's waits map to the lines
//! of both codes its page shows.
#![cfg(target_arch = "wasm32")]

mod common;

use common::api;
use looplab::lessons::sequential_vs_concurrent::LESSON;
use looplab::lessons::Ctx;
use looplab::runtime::{get_json, sleep, task, timeout, yield_now, Recorder};
use looplab::trace::inspect::what;
use looplab::trace::state::{End, Tracker, Waited};
use looplab::trace::{On, Record};
use looplab::Error;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The lines of this file where the known run makes each wait: `line!()` is written
/// on the line of each call, in the same statement.
struct At {
    sleep: u32,
    fetch: u32,
    join: u32,
    deadline: u32,
    yielded: u32,
}

async fn b() -> Result<(), Error> {
    sleep(5.0).await;
    Ok(())
}

/// The known run, in order: a 20 ms sleep, a fetch answered, a join of task `b`, a
/// fetch its 30 ms deadline aborts, a yield.
async fn known_run(users_1: String, slow: String) -> Result<At, Error> {
    let (_, at_sleep) = (sleep(20.0).await, line!());
    let (answer, at_fetch) = (get_json(&users_1).await, line!());
    answer?;
    let (handle, at_join) = (task("b").spawn(b()), line!());
    handle.await?;
    let (late, at_deadline) = (timeout(30.0, get_json(&slow)).await, line!());
    assert_eq!(late, Err(Error::Timeout { after_ms: 30.0 }), "the slow answer came first");
    let (_, at_yield) = (yield_now().await, line!());
    Ok(At { sleep: at_sleep, fetch: at_fetch, join: at_join, deadline: at_deadline, yielded: at_yield })
}

/// A URL's path, as a fetch wait names its request.
fn path(url: &str) -> String {
    web_sys::Url::new(url).expect("a URL").pathname()
}

/// Where wait `w` was made.
fn site(rec: &Record, w: &Waited) -> Option<looplab::trace::Site> {
    rec.wait(w.wait).and_then(|x| x.site)
}

/// The waits of `task`, each as (kind, words, end, line).
fn waits_of(rec: &Record, task: u32) -> Vec<(&'static str, String, Option<End>, u32)> {
    let tracker = Tracker::up_to(rec, f64::INFINITY);
    let mine = tracker.waits().all().iter().filter(|w| w.task == task);
    mine.map(|w| (w.on.label(), what(rec, w.on), w.end, site(rec, w).map_or(0, |s| s.line()))).collect()
}

#[wasm_bindgen_test]
async fn a_known_run_s_waits_carry_their_kind_text_end_and_line() {
    let rec = Recorder::new();
    let users_1 = api("api/users/1?delay_ms=10").await;
    let slow = api("api/users/2?delay_ms=3000").await;
    let (path_1, path_2) = (path(&users_1), path(&slow));
    assert!(path_1.ends_with("/api/users/1") && path_2.ends_with("/api/users/2"), "{path_1} {path_2}");
    let main = task("main").recorder(&rec).spawn(known_run(users_1, slow));
    let id = main.id();
    let at = main.await.expect("the known run ends well");
    let record = rec.record();
    let expected = vec![
        ("timer", "sleep 20 ms".to_string(), Some(End::Woken), at.sleep),
        ("fetch", format!("GET {path_1}"), Some(End::Answered(200)), at.fetch),
        ("task", "join b".to_string(), Some(End::Woken), at.join),
        // timeout() polls the request first, then its timer: both made on one line.
        ("fetch", format!("GET {path_2}"), Some(End::Aborted), at.deadline),
        ("timer", "sleep 30 ms".to_string(), Some(End::Woken), at.deadline),
        ("yield", "yield_now: the back of the queue".to_string(), Some(End::Woken), at.yielded),
    ];
    assert_eq!(waits_of(&record, id), expected);
    let tracker = Tracker::up_to(&record, f64::INFINITY);
    for w in tracker.waits().all().iter().filter(|w| w.task == id) {
        assert_eq!(site(&record, w).map(|s| s.file()), Some(file!()), "{w:?}");
        assert!(w.to.is_some_and(|to| to >= w.from), "{w:?}");
        match w.on {
            // A fired timer says how late it fired; the browser never fires early.
            On::Timer { delay_ms, .. } => assert!(delay_ms > 0.0 && w.late_ms.is_some_and(|l| l >= 0.0), "{w:?}"),
            _ => assert_eq!(w.late_ms, None, "{w:?}"),
        }
    }
    // b's own sleep is b's wait, at b's line, not main's.
    let b_waits: Vec<_> = tracker.waits().all().iter().filter(|w| w.task != id).map(|w| (w.on.label(), w.end)).collect();
    assert_eq!(b_waits, vec![("timer", Some(End::Woken))]);
}

/// The lesson runs as the page runs it, except that its `run` is a task here ("main"),
/// so its joins are recorded too (the page runs it outside any task).
#[wasm_bindgen_test]
async fn sequential_vs_concurrent_waits_map_to_the_lines_of_both_codes() {
    let rec = Recorder::new();
    let ctx = Ctx::new(rec.clone(), vec![("alice-ms", 20.0), ("bob-ms", 40.0)], Vec::new(), String::new());
    let main = task("main").recorder(&rec).spawn((LESSON.run)(ctx));
    main.await.expect("the lesson ran");
    let record = rec.record();
    let about = LESSON.about();
    let tracker = Tracker::up_to(&record, f64::INFINITY);
    let seen: Vec<(String, String, Option<u32>, Option<u32>)> = tracker
        .waits()
        .all()
        .iter()
        .map(|w| {
            let (rust, python) = about.wait_lines(&record, w.wait);
            (record.tasks()[w.task as usize].name.to_string(), what(&record, w.on), rust, python)
        })
        .collect();
    let row = |task: &str, what: &str, rust: u32, python: u32| (task.to_string(), what.to_string(), Some(rust), Some(python));
    // Excerpt line 2 is `sleep(delay_ms).await`, Python line 4 `await asyncio.sleep(delay)`;
    // 8 and 9 await each spawned greet (Python 9 and 10); 17 is try_join_all (Python 12, gather).
    let expected = vec![
        row("main", "join sequential: Alice", 8, 9),
        row("sequential: Alice", "sleep 20 ms", 2, 4),
        row("main", "join sequential: Bob", 9, 10),
        row("sequential: Bob", "sleep 40 ms", 2, 4),
        row("main", "join concurrent: Alice", 17, 12),
        row("main", "join concurrent: Bob", 17, 12),
        row("concurrent: Alice", "sleep 20 ms", 2, 4),
        row("concurrent: Bob", "sleep 40 ms", 2, 4),
    ];
    assert_eq!(seen, expected);
    assert!(tracker.waits().all().iter().all(|w| w.end == Some(End::Woken)), "{:?}", tracker.waits().all());
    // The lines are those of the code shown, as the reader reads it.
    let (rust, python): (Vec<&str>, Vec<&str>) = (about.source.lines().collect(), about.python.lines().collect());
    assert!(rust[1].contains("sleep(delay_ms).await") && python[3].contains("await asyncio.sleep(delay)"));
    assert!(rust[16].contains("try_join_all([a, b]).await") && python[11].contains("await asyncio.gather("));
}
