//! The whole-record answers: `summarize`, `state_at`, `woken_by`, `total_ms`.

use super::*;
use crate::trace::{Kind, TaskInfo, DEFAULT_CAP};

fn info(name: &'static str, parent: Option<TaskId>) -> TaskInfo {
    TaskInfo { name: name.into(), parent }
}

/// A parent joins one child inline; the child sleeps once.
pub(crate) fn sample() -> Record {
    let mut r = Record::new(1000.0, DEFAULT_CAP);
    let p = r.add_task(1000.0, info("main", None));
    r.push(1000.0, p, Kind::Wake(Cause::Spawn));
    let c = r.add_task(1001.0, info("child", Some(p)));
    r.push(1002.0, p, Kind::PollStart);
    r.push(1003.0, c, Kind::PollStart);
    r.push(1005.0, c, Kind::PollEnd { ready: false });
    r.push(1006.0, p, Kind::PollEnd { ready: false });
    r.push(1100.0, c, Kind::Wake(Cause::Timer { late_ms: 1.0 }));
    r.push(1100.0, p, Kind::Wake(Cause::Unknown));
    r.push(1101.0, p, Kind::PollStart);
    r.push(1101.0, c, Kind::PollStart);
    r.push(1102.0, c, Kind::PollEnd { ready: true });
    r.push(1102.0, c, Kind::Done);
    r.push(1104.0, p, Kind::PollEnd { ready: true });
    r.push_failure(1104.0, p, "boom".into());
    r
}

#[test]
fn totals_are_self_time() {
    let s = summarize(&sample());
    assert_eq!(s[1].polls, 2);
    assert_eq!(s[1].run_ms, 3.0);
    assert_eq!(s[1].end, 102.0);
    assert_eq!(s[1].wait_ms, 101.0 - 3.0);
    assert_eq!(s[0].run_ms, (4.0 - 2.0) + (3.0 - 1.0));
    assert_eq!(s[0].longest_poll_ms, 2.0);
    assert_eq!(s[0].first_poll, Some(2.0));
}

#[test]
fn outcomes_and_errors() {
    let s = summarize(&sample());
    assert_eq!(s[1].state, State::Done);
    assert_eq!(s[0].state, State::Failed);
    assert_eq!(s[0].error.as_deref(), Some("boom"));
}

#[test]
fn state_follows_the_events() {
    let r = sample();
    assert_eq!(state_at(&r, 1, 0.5), State::Created);
    assert_eq!(state_at(&r, 0, 0.5), State::Scheduled);
    assert_eq!(state_at(&r, 1, 4.0), State::Running);
    assert_eq!(state_at(&r, 1, 50.0), State::Waiting);
    assert_eq!(state_at(&r, 1, 100.5), State::Scheduled);
    assert_eq!(state_at(&r, 1, 200.0), State::Done);
    assert_eq!(state_at(&r, 0, 200.0), State::Failed);
    assert_eq!(woken_by(&r, 1, 150.0), Some(Cause::Timer { late_ms: 1.0 }));
}

#[test]
fn never_polled_future_stays_created() {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    r.add_task(0.0, info("lazy", None));
    let s = summarize(&r);
    assert_eq!(s[0].state, State::Created);
    assert_eq!(s[0].polls, 0);
}

#[test]
fn dropped_before_ready_is_cancelled() {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    let t = r.add_task(0.0, info("slow", None));
    r.push(1.0, t, Kind::PollStart);
    r.push(2.0, t, Kind::PollEnd { ready: false });
    r.push(50.0, t, Kind::Cancelled);
    let s = summarize(&r);
    assert_eq!(s[0].state, State::Cancelled);
    assert_eq!(s[0].end, 50.0);
}

#[test]
fn cap_holds_and_counts() {
    let mut r = Record::new(0.0, 10);
    for i in 0..100 {
        let t = r.add_task(i as f64, info("t", None));
        r.push(i as f64, t, Kind::Done);
    }
    // Five tasks fit (Created + Done each); the other 95 lose both events.
    assert_eq!(r.events().len(), 10);
    assert_eq!(r.tasks().len(), 5);
    assert_eq!(r.dropped(), 190);
}

#[test]
fn the_total_runs_to_the_last_outcome() {
    let r = sample();
    // The parent fails last, at 1104 on the page's clock: 104 ms after the origin.
    assert_eq!(total_ms(&r), 104.0);
    assert_eq!(total_ms(&Record::new(5.0, DEFAULT_CAP)), 0.0);
    assert_eq!(woken_by(&r, 1, 50.0), None);
}
