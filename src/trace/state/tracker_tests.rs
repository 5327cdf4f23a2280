//! The [`Tracker`], one behaviour per test. Each record is written as the loop would
//! have lived it; the numbered comments are the order of events.

use super::*;
use crate::trace::{Kind, TaskInfo, DEFAULT_CAP};

/// A record holding `names.len()` top-level tasks, all created at 0.
fn tasks(names: &[&'static str]) -> Record {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    for name in names {
        r.add_task(0.0, TaskInfo { name: (*name).into(), parent: None });
    }
    r
}

/// Feeds `rec` event by event; every change made, in order.
fn changes(tracker: &mut Tracker, rec: &Record, until: f64) -> Vec<Change> {
    std::iter::from_fn(|| tracker.step(rec, until)).filter_map(|s| s.change).collect()
}

fn ch(task: TaskId, from: State, to: State, t: f64, cause: Option<Cause>) -> Change {
    Change { task, from, to, t, cause }
}

#[test]
fn the_ready_queue_keeps_the_order_tasks_joined_it() {
    let mut r = tasks(&["a", "b", "c"]);
    r.push(1.0, 0, Kind::Wake(Cause::Spawn)); // 1. a spawned: queued first
    r.push(1.0, 1, Kind::Wake(Cause::Spawn)); // 2. b spawned
    r.push(1.0, 2, Kind::Wake(Cause::Spawn)); // 3. c spawned
    let mut tr = Tracker::up_to(&r, 1.0);
    assert_eq!(tr.ready().collect::<Vec<_>>(), [0, 1, 2]);
    r.push(2.0, 0, Kind::PollStart); // 4. the loop takes a off the front
    r.push(3.0, 0, Kind::PollEnd { ready: false }); // 5. a waits
    r.push(4.0, 2, Kind::Wake(Cause::Fetch)); // 6. c woken again: keeps its place
    r.push(5.0, 0, Kind::Wake(Cause::Timer { late_ms: 0.0 })); // 7. a joins the back
    let seen = changes(&mut tr, &r, 5.0);
    assert_eq!(tr.ready().collect::<Vec<_>>(), [1, 2, 0]);
    // The second wake of c is reported (its cause is new) without moving it.
    assert!(seen.contains(&ch(2, State::Scheduled, State::Scheduled, 4.0, Some(Cause::Fetch))));
    r.push(6.0, 1, Kind::PollStart); // 8. b polled …
    r.push(6.0, 1, Kind::PollEnd { ready: true }); // 9. … and Ready
    r.push(6.0, 1, Kind::Done); // 10.
    tr.feed(&r, 6.0);
    assert_eq!(tr.ready().collect::<Vec<_>>(), [2, 0]);
}

#[test]
fn nested_polls_charge_self_time_and_the_innermost_runs() {
    let mut r = tasks(&["parent", "child"]);
    r.push(10.0, 0, Kind::PollStart); // 1. the loop polls parent
    r.push(12.0, 1, Kind::PollStart); // 2. parent polls child inline (join_all)
    let mut tr = Tracker::with_polls();
    tr.feed(&r, 12.0);
    assert_eq!((tr.running(), tr.depth()), (Some(1), 2));
    assert_eq!(tr.state(0), State::Running, "a parent polling its child still runs");
    r.push(17.0, 1, Kind::PollEnd { ready: false }); // 3. child returns Pending
    tr.feed(&r, 17.0);
    assert_eq!((tr.running(), tr.depth()), (Some(0), 1));
    r.push(18.0, 0, Kind::PollEnd { ready: false }); // 4. parent returns
    tr.feed(&r, 18.0);
    assert_eq!((tr.running(), tr.depth()), (None, 0));
    let (parent, child) = (tr.summary(0), tr.summary(1));
    assert_eq!((parent.run_ms, child.run_ms), (8.0 - 5.0, 5.0));
    assert_eq!(parent.longest_poll_ms, 3.0);
    let p = tr.polls();
    assert_eq!(p[0], Poll { task: 1, n: 1, start: 12.0, end: 17.0, ready: false, depth: 1 });
    assert_eq!(p[1], Poll { task: 0, n: 1, start: 10.0, end: 18.0, ready: false, depth: 0 });
}

#[test]
fn a_wake_while_running_keeps_it_running() {
    let mut r = tasks(&["yielder"]);
    r.push(1.0, 0, Kind::Wake(Cause::Spawn)); // 1. spawned
    r.push(2.0, 0, Kind::PollStart); // 2. polled
    r.push(3.0, 0, Kind::Wake(Cause::SelfWake)); // 3. wakes itself mid-poll
    r.push(4.0, 0, Kind::PollEnd { ready: false }); // 4. returns Pending
    r.push(4.0, 0, Kind::PollStart); // 5. polled again, nothing woke it since 2.
    let mut tr = Tracker::new();
    let seen = changes(&mut tr, &r, f64::INFINITY);
    assert_eq!(
        seen,
        [
            ch(0, State::Created, State::Scheduled, 1.0, Some(Cause::Spawn)),
            ch(0, State::Scheduled, State::Running, 2.0, Some(Cause::Spawn)),
            ch(0, State::Running, State::Waiting, 4.0, None),
            ch(0, State::Waiting, State::Running, 4.0, None),
        ]
    );
    assert_eq!(tr.ready().len(), 0);
    assert_eq!(tr.task(0).and_then(|s| s.last_wake), Some(Cause::SelfWake));
}

#[test]
fn an_outcome_follows_its_ready_poll_and_is_final() {
    let mut r = tasks(&["quick"]);
    r.push(1.0, 0, Kind::PollStart); // 1. polled
    r.push(2.0, 0, Kind::PollEnd { ready: true }); // 2. Ready …
    r.push(2.0, 0, Kind::Done); // 3. … and its outcome, the same instant
    r.push(9.0, 0, Kind::Wake(Cause::Unknown)); // 4. a late wake: ignored
    let mut tr = Tracker::new();
    let seen = changes(&mut tr, &r, f64::INFINITY);
    assert_eq!(
        seen,
        [
            ch(0, State::Created, State::Running, 1.0, None),
            ch(0, State::Running, State::Waiting, 2.0, None),
            ch(0, State::Waiting, State::Done, 2.0, None),
        ]
    );
    assert_eq!(tr.state(0), State::Done);
    assert_eq!(tr.ready().len(), 0);
}

#[test]
fn cancelled_while_waiting_or_queued() {
    let mut r = tasks(&["waiter", "queued"]);
    r.push(1.0, 0, Kind::PollStart); // 1. waiter polled
    r.push(2.0, 0, Kind::PollEnd { ready: false }); // 2. waiter waits
    r.push(3.0, 1, Kind::Wake(Cause::Spawn)); // 3. queued is queued
    r.push(5.0, 0, Kind::Cancelled); // 4. waiter dropped
    r.push(5.0, 1, Kind::Cancelled); // 5. queued dropped before its first poll
    let mut tr = Tracker::new();
    let seen = changes(&mut tr, &r, f64::INFINITY);
    assert_eq!(seen[3..], [ch(0, State::Waiting, State::Cancelled, 5.0, None), ch(1, State::Scheduled, State::Cancelled, 5.0, None),]);
    assert_eq!(tr.ready().len(), 0, "a cancelled task leaves the ready queue");
    assert_eq!((tr.summary(0).end, tr.summary(1).polls), (5.0, 0));
}

#[test]
fn feeding_in_pieces_equals_feeding_at_once() {
    let r = super::tests::sample();
    let mut whole = Tracker::with_polls();
    let all = changes(&mut whole, &r, f64::INFINITY);
    let mut parts = Tracker::with_polls();
    let mut pieces = Vec::new();
    for until in [0.0, 1.5, 3.0, 4.0, 100.0, 101.0, 103.0, 1e9] {
        pieces.extend(changes(&mut parts, &r, until));
        // Fed up to `until`, nothing later has been applied.
        assert!(pieces.iter().all(|c| c.t <= until));
    }
    assert_eq!(parts, whole);
    assert_eq!(pieces, all);
    assert_eq!(whole.summaries(), summarize(&r));
    assert_eq!(whole.total_ms(), 104.0);
}
