//! [`WaitBook`]: each kind of wait, closed by the event that ends it, and only by that.
//!
//! Records are written by hand as the runtime writes them: a wait is noted during a
//! poll and stamped with the poll's end, before its `PollEnd` (see `runtime::waits`).

use super::{End, Tracker, Waited};
use crate::trace::{Cause, Kind, On, Record, Site, TaskId, TaskInfo, Wait, DEFAULT_CAP};
use std::panic::Location;

/// A record at origin 1000 with the tasks `names`, all spawned at 1000; `parent` is
/// the parent of every task but the first.
fn record(names: &[&'static str], parent: Option<TaskId>) -> Record {
    let mut r = Record::new(1000.0, DEFAULT_CAP);
    for (i, name) in names.iter().enumerate() {
        let id = r.add_task(1000.0, TaskInfo { name: (*name).into(), parent: parent.filter(|_| i > 0) });
        r.push(1000.0, id, Kind::Wake(Cause::Spawn));
    }
    r
}

/// `task` is polled from `t` to `t + 1` and parks on each of `on`, made at `site`.
/// Returns the record's index of the first wait.
fn parks(r: &mut Record, t: f64, task: TaskId, on: &[On], site: Site) -> u32 {
    r.push(t, task, Kind::PollStart);
    let mut first = None;
    for &on in on {
        let i = r.add_wait(Wait { task, on, site: Some(site) }).expect("room");
        first.get_or_insert(i);
        r.push(t + 1.0, task, Kind::Wait(i));
    }
    r.push(t + 1.0, task, Kind::PollEnd { ready: false });
    first.expect("at least one wait")
}

fn timer(delay_ms: f64, t: f64) -> On {
    On::Timer { delay_ms, deadline: t + delay_ms }
}

/// Every wait of `task`, in the order they began.
fn waits(r: &Record, task: TaskId) -> Vec<Waited> {
    Tracker::up_to(r, f64::INFINITY).waits().all().iter().filter(|w| w.task == task).copied().collect()
}

#[test]
fn a_timer_is_woken_by_its_wake_and_says_how_late() {
    let mut r = record(&["a"], None);
    let site = Location::caller();
    parks(&mut r, 1001.0, 0, &[timer(100.0, 1001.0)], site);
    r.push(1104.0, 0, Kind::Wake(Cause::Timer { late_ms: 3.0 }));
    let w = waits(&r, 0);
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].on.label(), w[0].from, w[0].to, w[0].end), ("timer", 2.0, Some(104.0), Some(End::Woken)));
    assert_eq!(w[0].late_ms, Some(3.0));
    assert_eq!(r.wait(w[0].wait).and_then(|w| w.site).map(|s| s.line()), Some(site.line()));
}

#[test]
fn of_two_timers_the_one_due_first_is_woken_first() {
    let mut r = record(&["a"], None);
    // 1. made in this order: 200 ms, then 100 ms (a join of two sleeps)
    parks(&mut r, 1001.0, 0, &[timer(200.0, 1001.0), timer(100.0, 1001.0)], Location::caller());
    r.push(1101.0, 0, Kind::Wake(Cause::Timer { late_ms: 0.5 })); // 2. the 100 ms one fires
    let w = waits(&r, 0);
    assert_eq!((w[0].end, w[0].late_ms), (None, None), "the 200 ms timer is still due");
    assert_eq!((w[1].end, w[1].late_ms), (Some(End::Woken), Some(0.5)));
}

#[test]
fn a_task_wait_ends_when_that_task_wakes_the_waiter() {
    let mut r = record(&["main", "b", "c"], None);
    parks(&mut r, 1001.0, 0, &[On::Task(1), On::Task(2)], Location::caller());
    r.push(1050.0, 1, Kind::Done);
    r.push(1050.0, 0, Kind::Wake(Cause::Task(1)));
    let w = waits(&r, 0);
    assert_eq!((w[0].to, w[0].end), (Some(50.0), Some(End::Woken)));
    assert_eq!(w[1].end, None, "c has not finished");
}

#[test]
fn a_parent_polling_a_child_inline_stops_waiting_at_its_outcome() {
    // A child `wrap`ped and awaited: its outcome wakes nobody; the parent's poll goes on.
    let mut r = record(&["main", "inline"], Some(0));
    parks(&mut r, 1001.0, 0, &[On::Task(1)], Location::caller());
    r.push(1060.0, 1, Kind::Failed(0));
    let w = waits(&r, 0);
    assert_eq!((w[0].to, w[0].end), (Some(60.0), Some(End::Woken)));
}

#[test]
fn a_request_ends_answered_with_its_status_or_aborted() {
    let mut r = record(&["ok", "slow"], None);
    let (url_1, url_2) = (r.add_text("http://127.0.0.1:8000/api/users/1".into()), r.add_text("http://127.0.0.1:8000/api/users/2".into()));
    parks(&mut r, 1001.0, 0, &[On::Fetch(url_1)], Location::caller());
    parks(&mut r, 1003.0, 1, &[On::Fetch(url_2)], Location::caller());
    r.push(1020.0, 0, Kind::FetchEnd { ok: false, status: 404 });
    r.push(1030.0, 1, Kind::FetchAbort);
    assert_eq!(waits(&r, 0)[0].end, Some(End::Answered(404)));
    assert_eq!((waits(&r, 1)[0].to, waits(&r, 1)[0].end), (Some(30.0), Some(End::Aborted)));
}

#[test]
fn a_wait_whose_future_is_dropped_ends_dropped_and_only_that_one() {
    let mut r = record(&["racer"], None);
    let url = r.add_text("http://127.0.0.1:8000/api/users/3".into());
    let first = parks(&mut r, 1001.0, 0, &[On::Fetch(url), timer(50.0, 1001.0)], Location::caller());
    // The request wins the race: the timer's future is dropped.
    r.push(1020.0, 0, Kind::FetchEnd { ok: true, status: 200 });
    r.push(1021.0, 0, Kind::WaitEnd(first + 1));
    let w = waits(&r, 0);
    assert_eq!(w.iter().map(|w| w.end).collect::<Vec<_>>(), [Some(End::Answered(200)), Some(End::Dropped)]);
    assert_eq!(w[1].to, Some(21.0));
}

#[test]
fn a_yield_ends_at_the_task_s_next_poll() {
    let mut r = record(&["yielder"], None);
    r.push(1001.0, 0, Kind::PollStart);
    let i = r.add_wait(Wait { task: 0, on: On::Yield, site: None }).expect("room");
    r.push(1001.5, 0, Kind::Wake(Cause::SelfWake)); // woken inside its own poll
    r.push(1002.0, 0, Kind::Wait(i));
    r.push(1002.0, 0, Kind::PollEnd { ready: false });
    assert_eq!(waits(&r, 0)[0].end, None, "still queued: not polled yet");
    r.push(1007.0, 0, Kind::PollStart);
    let w = waits(&r, 0);
    assert_eq!((w[0].from, w[0].to, w[0].end), (2.0, Some(7.0), Some(End::Woken)));
}

#[test]
fn the_task_s_outcome_closes_every_wait_still_open() {
    let mut r = record(&["cancelled"], None);
    let url = r.add_text("http://127.0.0.1:8000/api/slow".into());
    parks(&mut r, 1001.0, 0, &[On::Fetch(url), timer(500.0, 1001.0)], Location::caller());
    r.push(1040.0, 0, Kind::Cancelled);
    let tracker = Tracker::up_to(&r, f64::INFINITY);
    let ends: Vec<_> = tracker.waits().all().iter().map(|w| (w.to, w.end)).collect();
    assert_eq!(ends, [(Some(40.0), Some(End::Over)); 2]);
    assert_eq!(tracker.waits().open(0).count(), 0);
    assert_eq!(tracker.waits().all_open().count(), 0);
}

#[test]
fn open_waits_are_those_begun_and_not_yet_ended_at_the_instant() {
    let mut r = record(&["a"], None);
    parks(&mut r, 1001.0, 0, &[timer(100.0, 1001.0)], Location::caller());
    r.push(1101.0, 0, Kind::Wake(Cause::Timer { late_ms: 0.0 }));
    let open_at = |t: f64| Tracker::up_to(&r, t).waits().open(0).count();
    assert_eq!((open_at(1.0), open_at(2.0), open_at(100.0), open_at(101.0)), (0, 1, 1, 0));
}

#[test]
fn a_lock_and_something_else_end_at_the_tasks_next_poll_or_dropped_when_cancelled() {
    // What the Python tracer writes: a task parks on a lock, then on a gather it
    // describes in words; each ends when the task is stepped again.
    let mut r = record(&["main"], None);
    let site = Location::caller();
    parks(&mut r, 1001.0, 0, &[On::Lock], site);
    let text = r.add_text("TaskGroup: its tasks to finish".into());
    parks(&mut r, 1010.0, 0, &[On::Other(text)], site);
    parks(&mut r, 1020.0, 0, &[On::Other(text)], site);
    // Cancelled: the tracer notes the wait's end before the step that delivers it.
    r.push(1030.0, 0, Kind::WaitEnd(2));
    r.push(1030.0, 0, Kind::PollStart);
    let w = waits(&r, 0);
    let ends: Vec<_> = w.iter().map(|w| (w.on.label(), w.from, w.to, w.end)).collect();
    assert_eq!(
        ends,
        vec![
            ("lock", 2.0, Some(10.0), Some(End::Woken)),
            ("other", 11.0, Some(20.0), Some(End::Woken)),
            ("other", 21.0, Some(30.0), Some(End::Dropped)),
        ]
    );
}
