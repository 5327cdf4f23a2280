//! [`inspect_json`] and [`steps_json`] on a run written by hand: what the loop held at
//! chosen instants, and the run told event by event.

use super::*;
use crate::trace::{Site, TaskInfo, Wait, DEFAULT_CAP};
use serde_json::{json, Value};
use std::panic::Location;

/// Where every wait of [`run`] is made.
fn site() -> Site {
    Location::caller()
}

/// The page's lines of `r`'s waits: the site's own line in the Rust, 7 in the Python.
fn lines_of(r: &Record) -> impl Fn(u32) -> (Option<u32>, Option<u32>) + '_ {
    |i| r.wait(i).and_then(|w| w.site).map_or((None, None), |s| (Some(s.line()), Some(7)))
}

/// Four tasks spawned at 0 ms (origin 1000), polled in turn: `a` sleeps 100 ms, `b`
/// fetches, `c` joins `a`, `d` parks on something untraced. At 102 ms a's timer
/// fires and a runs at once (one clock reading for both); a's outcome wakes c; b's
/// answer comes at 150 ms.
fn run() -> Record {
    let mut r = Record::new(1000.0, DEFAULT_CAP);
    for name in ["a", "b", "c", "d"] {
        let id = r.add_task(1000.0, TaskInfo { name: name.into(), parent: None });
        r.push(1000.0, id, Kind::Wake(Cause::Spawn));
    }
    let url = r.add_text("http://127.0.0.1:8000/api/users/2".into());
    let waits = [(0, On::Timer { delay_ms: 100.0, deadline: 1102.0 }), (1, On::Fetch(url)), (2, On::Task(0))];
    for (k, (task, on)) in waits.into_iter().enumerate() {
        let t = 1001.0 + k as f64;
        r.push(t, task, Kind::PollStart);
        if task == 1 {
            r.push(t + 0.5, task, Kind::FetchStart);
        }
        let i = r.add_wait(Wait { task, on, site: Some(site()) }).expect("room");
        r.push(t + 1.0, task, Kind::Wait(i));
        r.push(t + 1.0, task, Kind::PollEnd { ready: false });
    }
    r.push(1005.0, 3, Kind::PollStart);
    r.push(1006.0, 3, Kind::PollEnd { ready: false });
    let rest = [
        (1102.0, 0, Kind::Wake(Cause::Timer { late_ms: 0.0 })),
        (1102.0, 0, Kind::PollStart),
        (1103.0, 0, Kind::PollEnd { ready: true }),
        (1103.0, 0, Kind::Done),
        (1103.0, 2, Kind::Wake(Cause::Task(0))),
        (1104.0, 2, Kind::PollStart),
        (1105.0, 2, Kind::PollEnd { ready: true }),
        (1105.0, 2, Kind::Done),
        (1150.0, 1, Kind::FetchEnd { ok: true, status: 200 }),
        (1150.0, 1, Kind::Wake(Cause::Fetch)),
    ];
    for (t, task, kind) in rest {
        r.push(t, task, kind);
    }
    r
}

fn inspect(r: &Record, until: Until) -> Value {
    serde_json::from_str(&inspect_json(r, until, &lines_of(r))).expect("inspect_json writes JSON")
}

fn names(v: &Value, key: &str, field: &str) -> Vec<String> {
    v[key].as_array().expect(key).iter().map(|x| if field.is_empty() { x } else { &x[field] }.as_str().unwrap_or("").to_string()).collect()
}

#[test]
fn an_instant_shows_the_running_task_and_the_ready_queue_in_order() {
    let r = run();
    let v = inspect(&r, Until::Time(1.5));
    assert_eq!((v["t_ms"].as_f64(), v["running"].as_str()), (Some(1.5), Some("a")));
    assert_eq!(names(&v, "ready", ""), ["b", "c", "d"]);
    assert_eq!(v["waiting"], json!([]), "a is running; its wait is stamped at its poll's end");
    let v = inspect(&r, Until::Time(2.5));
    assert_eq!((v["running"].as_str(), names(&v, "ready", "")), (Some("b"), vec!["c".to_string(), "d".into()]));
    let line = site().line();
    assert_eq!(
        v["waiting"],
        json!([{"task": "a", "on": "timer", "what": "sleep 100 ms", "since_ms": 2, "rust_line": line, "python_line": 7}])
    );
    assert_eq!(v["timers"], json!([{"task": "a", "deadline_ms": 102}]));
}

#[test]
fn while_the_loop_is_idle_every_waiting_task_says_on_what_and_since_when() {
    let v = inspect(&run(), Until::Time(50.0));
    assert_eq!((v["running"].clone(), v["ready"].clone()), (Value::Null, json!([])));
    assert_eq!(names(&v, "waiting", "task"), ["a", "b", "c", "d"]);
    assert_eq!(names(&v, "waiting", "on"), ["timer", "fetch", "task", "other"]);
    assert_eq!(names(&v, "waiting", "what"), ["sleep 100 ms", "GET /api/users/2", "join a", "something Loop Lab does not trace"]);
    let since: Vec<f64> = v["waiting"].as_array().unwrap().iter().filter_map(|w| w["since_ms"].as_f64()).collect();
    assert_eq!(since, [2.0, 3.0, 4.0, 6.0]);
    assert_eq!(v["waiting"][3]["rust_line"], Value::Null, "an untraced wait has no line");
    assert_eq!(v["fetches"], json!([{"task": "b", "url": "http://127.0.0.1:8000/api/users/2", "since_ms": 3}]));
    // At the end: a and c are done, b is woken by its answer.
    let v = inspect(&run(), Until::Time(200.0));
    assert_eq!((names(&v, "ready", ""), names(&v, "waiting", "task")), (vec!["b".to_string()], vec!["d".to_string()]));
    assert_eq!((v["timers"].clone(), v["fetches"].clone()), (json!([]), json!([])));
}

#[test]
fn stepping_by_events_sees_between_events_that_share_a_time() {
    let r = run();
    let wake = r.events().iter().position(|e| e.kind == Kind::Wake(Cause::Timer { late_ms: 0.0 })).expect("a timer wake");
    // Just after the wake: a is queued, nothing runs yet, though its poll has the same time.
    let v = inspect(&r, Until::Events(wake + 1));
    assert_eq!((v["t_ms"].as_f64(), v["running"].as_str(), names(&v, "ready", "")), (Some(102.0), None, vec!["a".to_string()]));
    // By time, 102 ms is after both: a runs.
    let v = inspect(&r, Until::Time(102.0));
    assert_eq!((v["running"].as_str(), names(&v, "ready", "")), (Some("a"), vec![]));
    // Past the end: the state after the last event.
    assert_eq!(inspect(&r, Until::Events(10_000)), inspect(&r, Until::Events(r.events().len())));
}

#[test]
fn stepping_back_to_an_event_shows_what_stepping_forward_showed() {
    let r = run();
    let n = r.events().len();
    let forward: Vec<String> = (0..=n).map(|i| inspect_json(&r, Until::Events(i), &lines_of(&r))).collect();
    for i in (0..=n).rev() {
        assert_eq!(inspect_json(&r, Until::Events(i), &lines_of(&r)), forward[i], "after {i} events");
    }
    assert_ne!(forward[n / 2], forward[n / 2 + 1], "each step is an event of its own");
}

fn steps(r: &Record, from: usize, count: usize) -> Value {
    serde_json::from_str(&steps_json(r, from, count, &lines_of(r), false)).expect("steps_json writes JSON")
}

#[test]
fn each_event_is_told_in_words_and_a_wait_by_the_poll_that_parks() {
    let r = run();
    let all = steps(&r, 0, usize::MAX);
    assert_eq!(all["events"].as_u64(), Some(r.events().len() as u64));
    let said: Vec<(u64, String)> =
        all["steps"].as_array().unwrap().iter().map(|s| (s["i"].as_u64().unwrap(), s["text"].as_str().unwrap().into())).collect();
    let is_wait = |i: u64| matches!(r.events()[i as usize].kind, Kind::Wait(_));
    assert!(said.iter().all(|(i, _)| !is_wait(*i)), "a wait is said by its poll's end: {said:?}");
    let text = |needle: &str| said.iter().find(|(_, t)| t.contains(needle)).map(|(_, t)| t.clone());
    let line = site().line();
    assert_eq!(text("a returns"), Some(format!("a returns Pending and gives the thread back, waiting on sleep 100 ms (line {line})")));
    assert_eq!(text("timer fires"), Some("the 100 ms timer fires 0.0 ms late and wakes a".into()));
    assert_eq!(text("wakes c"), Some("a wakes c".into()));
    assert_eq!(text("HTTP"), Some("the answer to b's request is read: HTTP 200".into()));
    let kinds: Vec<&str> = all["steps"].as_array().unwrap().iter().filter_map(|s| s["kind"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "poll").count(), 6, "one step per poll start");
}

/// A Python run's steps in asyncio's words: the same events, the same families.
#[test]
fn a_python_run_is_told_in_asyncio_s_words() {
    let r = run();
    let (rust, python) =
        (steps(&r, 0, usize::MAX), serde_json::from_str::<Value>(&steps_json(&r, 0, usize::MAX, &lines_of(&r), true)).unwrap());
    let texts = |v: &Value| v["steps"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let kinds = |v: &Value| v["steps"].as_array().unwrap().iter().map(|s| s["kind"].clone()).collect::<Vec<_>>();
    assert_eq!(kinds(&rust), kinds(&python));
    let said = texts(&python).join("\n");
    assert!(!said.contains("Pending") && !said.contains("polls") && !said.contains("future"), "{said}");
    let line = site().line();
    assert!(said.contains(&format!("a suspends at an await and gives the thread back, waiting on sleep 100 ms (line {line})")), "{said}");
    assert!(said.contains("the loop runs a step of a: until its next await"), "{said}");
}

#[test]
fn a_page_of_steps_is_the_same_part_of_the_whole() {
    let r = run();
    let all = steps(&r, 0, usize::MAX);
    let whole: Vec<&Value> = all["steps"].as_array().unwrap().iter().filter(|s| s["i"].as_u64() >= Some(9)).take(4).collect();
    let page = steps(&r, 9, 4);
    assert_eq!(page["steps"].as_array().unwrap().iter().collect::<Vec<_>>(), whole);
    assert_eq!(page["events"], all["events"]);
}

#[test]
fn the_reader_module_s_replay_of_the_bytes_says_what_the_lesson_s_would() {
    // What `src/reader.rs` does with the bytes `LessonHandle.dump()` gives it.
    let r = run();
    let bytes = crate::trace::dump::encode(&r, &lines_of(&r));
    let d = crate::trace::dump::decode(&bytes).expect("decodes");
    let decoded = |i: u32| d.lines[i as usize];
    for n in 0..=r.events().len() {
        assert_eq!(
            inspect_json(&d.record, Until::Events(n), &decoded),
            inspect_json(&r, Until::Events(n), &lines_of(&r)),
            "after {n} events"
        );
    }
    assert_eq!(inspect_json(&d.record, Until::Time(101.0), &decoded), inspect_json(&r, Until::Time(101.0), &lines_of(&r)));
    assert_eq!(steps_json(&d.record, 0, 1000, &decoded, false), steps_json(&r, 0, 1000, &lines_of(&r), false));
    assert!(steps_json(&d.record, 0, 1000, &decoded, false).contains("(line "), "the lines came across");
}
