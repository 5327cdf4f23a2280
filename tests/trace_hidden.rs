//! Hidden periods in a record: stamped, clipped to the run, totalled, and exported to
//! the Chrome trace on a track of their own.
#![cfg(not(target_arch = "wasm32"))]

use looplab::trace::{chrome, Kind, Record, TaskInfo, DEFAULT_CAP, MAX_HIDDEN};
use serde_json::Value;

fn run_with_events(origin: f64, last: f64) -> Record {
    let mut r = Record::new(origin, DEFAULT_CAP);
    let t = r.add_task(origin, TaskInfo { name: "main".into(), parent: None });
    r.push(origin + 1.0, t, Kind::PollStart);
    r.push(last, t, Kind::PollEnd { ready: true });
    r.push(last, t, Kind::Done);
    r
}

#[test]
fn hidden_periods_are_stamped_clipped_and_totalled() {
    let mut r = run_with_events(1000.0, 1500.0);
    assert_eq!(r.hidden_ms(1500.0), 0.0);
    r.page_hidden(1100.0);
    r.page_hidden(1120.0); // already hidden: ignored
    r.page_visible(1200.0);
    r.page_visible(1210.0); // already visible: ignored
    r.page_hidden(1400.0); // still hidden at the end
    assert_eq!(r.hidden(), &[(1100.0, Some(1200.0)), (1400.0, None)]);
    assert_eq!(r.hidden_spans(1500.0), vec![(100.0, 200.0), (400.0, 500.0)]);
    assert_eq!(r.hidden_ms(1500.0), 200.0);
    // Clipped to the run: nothing before its origin or after `until` counts.
    let mut early = Record::new(1000.0, DEFAULT_CAP);
    early.page_hidden(900.0);
    early.page_visible(1050.0);
    early.page_hidden(2000.0);
    assert_eq!(early.hidden_spans(1500.0), vec![(0.0, 50.0)]);
    assert_eq!(early.hidden_ms(1500.0), 50.0);
}

#[test]
fn hidden_periods_are_bounded() {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    for i in 0..(MAX_HIDDEN + 50) {
        r.page_hidden(i as f64 * 2.0);
        r.page_visible(i as f64 * 2.0 + 1.0);
    }
    assert_eq!(r.hidden().len(), MAX_HIDDEN);
}

#[test]
fn the_chrome_trace_shows_hidden_periods_on_their_own_track() {
    let plain = chrome::export(&run_with_events(1000.0, 1500.0));
    assert!(!plain.contains("page hidden"), "no track when the page stayed visible");
    let mut r = run_with_events(1000.0, 1500.0);
    r.page_hidden(1100.0);
    r.page_visible(1250.5);
    let doc: Value = serde_json::from_str(&chrome::export(&r)).expect("valid JSON");
    let events = doc["traceEvents"].as_array().unwrap();
    let track = events.iter().find(|e| e["ph"] == "M" && e["args"]["name"] == "page hidden (timers throttled)").expect("a named track");
    let slices: Vec<_> = events.iter().filter(|e| e["ph"] == "X" && e["tid"] == track["tid"]).collect();
    assert_eq!(slices.len(), 1);
    assert_eq!(slices[0]["name"], "page hidden");
    assert_eq!(slices[0]["ts"].as_f64(), Some(100_000.0));
    assert_eq!(slices[0]["dur"].as_f64(), Some(150_500.0));
    assert_eq!(track["tid"].as_u64(), Some(2), "after the one task's track");
}
