//! The Chrome Trace Event export, checked natively: against a golden file, and against
//! the format's rules (every slice complete and on a named track, slices on one track
//! nest, the loop track's top-level slices never overlap).
#![cfg(not(target_arch = "wasm32"))]

use looplab::trace::{chrome, Cause, Kind, Record, TaskInfo, DEFAULT_CAP};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// main spawns "fetch \"a\"" and "sleep"; the fetch fails, the sleep is cancelled.
fn sample() -> Record {
    let mut r = Record::new(500.0, DEFAULT_CAP);
    let main = r.add_task(500.0, TaskInfo { name: "main".into(), parent: None });
    r.push(500.0, main, Kind::Wake(Cause::Spawn));
    r.push(501.0, main, Kind::PollStart);
    let a = r.add_task(501.5, TaskInfo { name: "fetch \"a\"".into(), parent: Some(main) });
    let b = r.add_task(501.6, TaskInfo { name: "sleep".into(), parent: Some(main) });
    r.push(501.7, a, Kind::PollStart);
    r.push(501.8, a, Kind::FetchStart);
    r.push(502.0, a, Kind::PollEnd { ready: false });
    r.push(502.1, b, Kind::PollStart);
    r.push(502.2, b, Kind::PollEnd { ready: false });
    r.push(502.5, main, Kind::PollEnd { ready: false });
    r.push(650.0, a, Kind::Wake(Cause::Fetch));
    r.push(650.2, a, Kind::PollStart);
    r.push(650.3, a, Kind::FetchEnd { ok: false, status: 500 });
    r.push(650.4, a, Kind::PollEnd { ready: true });
    r.push_failure(650.4, a, "HTTP 500".into());
    r.push(650.5, b, Kind::Cancelled);
    r.push(650.6, main, Kind::Wake(Cause::Task(a)));
    r.push(651.0, main, Kind::PollStart);
    r.push(651.5, main, Kind::PollEnd { ready: true });
    r.push(651.5, main, Kind::Done);
    r
}

fn parse(json: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(json).expect("export is valid JSON");
    doc["traceEvents"].as_array().expect("traceEvents is an array").clone()
}

#[test]
fn matches_the_golden_file() {
    let got = chrome::export(&sample());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/chrome_trace.json");
    if std::env::var_os("LOOPLAB_BLESS").is_some() {
        std::fs::write(path, &got).expect("write golden");
    }
    let want = std::fs::read_to_string(path).expect("golden file exists (LOOPLAB_BLESS=1 writes it)");
    assert_eq!(got, want.trim_end());
}

#[test]
fn every_event_is_well_formed() {
    for e in parse(&chrome::export(&sample())) {
        let ph = e["ph"].as_str().expect("ph");
        assert!(["M", "X", "i"].contains(&ph), "unexpected phase {ph}");
        assert!(e["pid"].is_u64() && e["tid"].is_u64() && e["name"].is_string(), "{e}");
        if ph == "X" {
            assert!(e["ts"].as_f64().unwrap() >= 0.0 && e["dur"].as_f64().unwrap() >= 0.0, "{e}");
        }
        if ph == "i" {
            assert_eq!(e["s"], "t");
            assert!(e["ts"].is_number());
        }
    }
}

#[test]
fn every_track_is_named_and_every_task_has_one() {
    let events = parse(&chrome::export(&sample()));
    let named: HashMap<u64, String> = events
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
        .map(|e| (e["tid"].as_u64().unwrap(), e["args"]["name"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(named[&0], "loop");
    assert_eq!(named[&1], "main");
    assert_eq!(named[&2], "fetch \"a\"");
    assert_eq!(named[&3], "sleep");
    let used: HashSet<u64> = events.iter().filter(|e| e["ph"] != "M").map(|e| e["tid"].as_u64().unwrap()).collect();
    assert!(used.iter().all(|t| named.contains_key(t)), "a track without a name");
}

/// (start, end) of every "X" slice on `tid`, in µs.
fn slices(events: &[Value], tid: u64) -> Vec<(f64, f64)> {
    let mut v: Vec<(f64, f64)> = events
        .iter()
        .filter(|e| e["ph"] == "X" && e["tid"] == tid)
        .map(|e| {
            let ts = e["ts"].as_f64().unwrap();
            (ts, ts + e["dur"].as_f64().unwrap())
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    v
}

#[test]
fn slices_on_a_track_nest_and_top_level_loop_slices_never_overlap() {
    let events = parse(&chrome::export(&sample()));
    for tid in 0..=3 {
        let mut open: Vec<(f64, f64)> = Vec::new();
        let mut top_level_end = f64::MIN;
        for (s, e) in slices(&events, tid) {
            while open.last().is_some_and(|o| o.1 <= s) {
                open.pop();
            }
            if let Some(parent) = open.last() {
                assert!(e <= parent.1, "track {tid}: [{s},{e}] overlaps {parent:?} without nesting");
            } else {
                assert!(s >= top_level_end, "track {tid}: top-level slices overlap");
                top_level_end = e;
            }
            open.push((s, e));
        }
    }
    // The loop track holds one slice per poll: main 2, a 2, b 1.
    assert_eq!(slices(&events, 0).len(), 5);
}

#[test]
fn outcomes_and_dropped_count_travel() {
    let doc: Value = serde_json::from_str(&chrome::export(&sample())).unwrap();
    let life = |tid: u64| {
        doc["traceEvents"].as_array().unwrap().iter().find(|e| e["ph"] == "X" && e["tid"] == tid && e["cat"] == "task").unwrap().clone()
    };
    assert_eq!(life(2)["args"]["outcome"], "failed");
    assert_eq!(life(2)["args"]["error"], "HTTP 500");
    assert_eq!(life(3)["args"]["outcome"], "cancelled");
    assert_eq!(doc["otherData"]["dropped_events"], 0);
}
