//! The layout: lanes in tree order, segments from state changes, labels on waits.

use super::*;
use crate::trace::{Cause, Kind, TaskInfo, DEFAULT_CAP};

fn rec() -> Record {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    let main = r.add_task(0.0, TaskInfo { name: "main".into(), parent: None });
    r.push(0.0, main, Kind::Wake(Cause::Spawn));
    r.push(1.0, main, Kind::PollStart);
    let a = r.add_task(1.5, TaskInfo { name: "a".into(), parent: Some(main) });
    r.push(1.5, a, Kind::Wake(Cause::Spawn));
    let lazy = r.add_task(1.6, TaskInfo { name: "lazy".into(), parent: None });
    r.push(2.0, main, Kind::PollEnd { ready: false });
    r.push(3.0, a, Kind::PollStart);
    r.push(4.0, a, Kind::PollEnd { ready: false });
    r.push(100.0, a, Kind::Wake(Cause::Timer { late_ms: 0.0 }));
    r.push(101.0, a, Kind::PollStart);
    r.push(102.0, a, Kind::PollEnd { ready: true });
    r.push(102.0, a, Kind::Done);
    let _ = lazy;
    r
}

#[test]
fn lanes_follow_the_task_tree() {
    let l = layout(&rec(), 0.0);
    let order: Vec<_> = l.rows.iter().map(|&r| (l.lanes[r as usize].name.as_str(), l.lanes[r as usize].depth)).collect();
    assert_eq!(order, vec![("main", 0), ("a", 1), ("lazy", 0)]);
}

#[test]
fn children_of_different_parents_stay_under_their_own() {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    let p = r.add_task(0.0, TaskInfo { name: "p".into(), parent: None });
    let q = r.add_task(0.0, TaskInfo { name: "q".into(), parent: None });
    r.add_task(0.0, TaskInfo { name: "p1".into(), parent: Some(p) });
    r.add_task(0.0, TaskInfo { name: "q1".into(), parent: Some(q) });
    r.add_task(0.0, TaskInfo { name: "p2".into(), parent: Some(p) });
    let l = layout(&r, 0.0);
    let names: Vec<_> = l.rows.iter().map(|&i| l.lanes[i as usize].name.as_str()).collect();
    assert_eq!(names, vec!["p", "p1", "p2", "q", "q1"]);
}

#[test]
fn feeding_in_pieces_equals_feeding_at_once() {
    let r = rec();
    let whole = layout(&r, 0.0);
    let mut parts = Layout::default();
    for until in [0.5, 1.5, 3.5, 50.0, 101.5, 1000.0] {
        parts.feed(&r, until);
    }
    assert_eq!(parts, whole);
}

#[test]
fn segments_alternate_scheduled_running_waiting() {
    let l = layout(&rec(), 0.0);
    let a = &l.lanes[1];
    let kinds: Vec<_> = a.segs.iter().map(|s| (s.kind, s.start, s.end)).collect();
    assert_eq!(
        kinds,
        vec![
            (SegKind::Scheduled, 1.5, 3.0),
            (SegKind::Running, 3.0, 4.0),
            (SegKind::Waiting, 4.0, 100.0),
            (SegKind::Scheduled, 100.0, 101.0),
            (SegKind::Running, 101.0, 102.0),
        ]
    );
    assert_eq!(a.state, State::Done);
    assert_eq!(a.segs[4].poll, 2);
    assert_eq!(a.segs[1].woken_by, Some(Cause::Spawn));
    assert_eq!(a.segs[4].woken_by, Some(Cause::Timer { late_ms: 0.0 }));
}

#[test]
fn a_never_polled_future_is_idle_until_now() {
    let l = layout(&rec(), 150.0);
    let lazy = &l.lanes[2];
    assert!(lazy.segs.is_empty());
    assert_eq!(lazy.seg_at(120.0, l.span), Some(Seg { start: 1.6, end: 150.0, kind: SegKind::Idle, poll: 0, woken_by: None, label: None }));
    assert_eq!(lazy.state, State::Created);
    assert_eq!(l.span, 150.0);
}

#[test]
fn the_loop_lane_holds_top_level_polls_only() {
    let l = layout(&rec(), 0.0);
    assert_eq!(l.loop_polls, vec![(0, 1.0, 2.0), (1, 3.0, 4.0), (1, 101.0, 102.0)]);
}

/// `a` parks on a 100 ms sleep, twice, and `b` on a request: each waiting segment
/// carries the words of its wait; one label serves both sleeps.
#[test]
fn waiting_segments_carry_what_they_wait_on() {
    use crate::trace::{On, Wait};
    let mut r = Record::new(0.0, DEFAULT_CAP);
    let a = r.add_task(0.0, TaskInfo { name: "a".into(), parent: None });
    let b = r.add_task(0.0, TaskInfo { name: "b".into(), parent: None });
    let url = r.add_text("http://127.0.0.1:8000/api/users/2".into());
    for (task, on, t) in [
        (a, On::Timer { delay_ms: 100.0, deadline: 101.0 }, 1.0),
        (b, On::Fetch(url), 2.0),
        (a, On::Timer { delay_ms: 100.0, deadline: 203.0 }, 103.0),
    ] {
        r.push(t, task, Kind::PollStart);
        let i = r.add_wait(Wait { task, on, site: None }).expect("room");
        r.push(t + 0.5, task, Kind::Wait(i));
        r.push(t + 0.5, task, Kind::PollEnd { ready: false });
        if task == a {
            r.push(t + 100.0, task, Kind::Wake(Cause::Timer { late_ms: 0.5 }));
        }
    }
    let l = layout(&r, 300.0);
    let labels = |task: TaskId| -> Vec<&str> {
        let lane = &l.lanes[task as usize];
        lane.segs.iter().chain(lane.open.iter()).filter_map(|s| s.label).map(|i| l.labels[i as usize].text.as_str()).collect()
    };
    assert_eq!(labels(a), ["sleep 100 ms", "sleep 100 ms"]);
    assert_eq!(labels(b), ["GET /api/users/2"]);
    assert_eq!(l.labels.len(), 2, "one label per text");
    assert!(l.lanes[a as usize].segs.iter().all(|s| (s.kind == SegKind::Waiting) == s.label.is_some()));
    let mut measured = 0;
    for _ in 0..3 {
        l.labels[0].width(|t| {
            measured += 1;
            t.len() as f64
        });
    }
    assert_eq!((measured, l.labels[0].width(|_| 0.0)), (1, 12.0), "measured once");
}
