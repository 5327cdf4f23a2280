//! What the timeline draws, computed from a record without touching the browser.
//!
//! Each task becomes a lane of [`Seg`]ments: *running* (a poll: it held the thread),
//! *waiting* (its last poll returned `Pending`; nothing has woken it yet) and
//! *scheduled* (woken, or just spawned, and queued for the loop). Lanes are ordered
//! as a tree, children right under their parent and indented. The loop lane on top
//! holds every top-level poll of every task.
//!
//! The layout keeps no state machine of its own: a [`Tracker`] applies each event and
//! reports the state change it made, and each change ends the lane's open segment and
//! begins the next (an empty waiting or scheduled segment is dropped, a repeat of the
//! same kind merged into the one before).

use crate::trace::state::{Change, State, Tracker};
use crate::trace::{Cause, Record, TaskId};

/// What a task was doing during a segment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SegKind {
    /// Polled: it held the one thread.
    Running,
    /// Waiting for a timer, a fetch or another task.
    Waiting,
    /// Woken or spawned, queued for its next poll.
    Scheduled,
    /// Created but never polled (a future nobody awaits).
    #[default]
    Idle,
}

/// A stretch of one lane, in ms since the record's origin.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Seg {
    /// Start (ms).
    pub start: f64,
    /// End (ms).
    pub end: f64,
    /// What the task was doing.
    pub kind: SegKind,
    /// The poll number, for running segments (1-based), else 0.
    pub poll: u32,
    /// For running segments: what woke the task for this poll, if it was woken.
    pub woken_by: Option<Cause>,
}

/// One task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// The task.
    pub task: TaskId,
    /// Its name.
    pub name: String,
    /// Nesting depth in the task tree (0: top level).
    pub depth: u32,
    /// Its finished segments, in time order.
    pub segs: Vec<Seg>,
    /// The segment still in progress (its end is the layout's span), if any.
    pub open: Option<Seg>,
    /// Its state so far (outcomes are marked at `end`).
    pub state: State,
    /// When it reached its outcome (meaningful once `state` is final).
    pub end: f64,
    /// The error message, for failed tasks.
    pub error: Option<String>,
    parent: Option<TaskId>,
}

impl Lane {
    /// The segment covering time `t`, the open one included (drawn up to `span`).
    pub fn seg_at(&self, t: f64, span: f64) -> Option<Seg> {
        let i = self.segs.partition_point(|g| g.end < t);
        match self.segs.get(i) {
            Some(g) if g.start <= t => Some(*g),
            _ => self.open.filter(|o| o.start <= t && t <= span).map(|o| Seg { end: span, ..o }),
        }
    }
}

/// Everything the painter needs, built incrementally: a live run feeds it only the
/// events recorded since the last frame, so a frame costs what is new, not the whole
/// record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// One lane per task, indexed by task id.
    pub lanes: Vec<Lane>,
    /// Task ids in tree order: the rows, top to bottom.
    pub rows: Vec<TaskId>,
    /// Top-level polls (task, start, end), in time order: the loop lane.
    pub loop_polls: Vec<(TaskId, f64, f64)>,
    /// The latest time covered (ms since origin).
    pub span: f64,
    tracker: Tracker,
}

/// The whole layout of `rec`, open segments drawn up to `now` (ms since origin).
pub fn layout(rec: &Record, now: f64) -> Layout {
    let mut l = Layout::default();
    l.feed(rec, f64::INFINITY);
    l.span = l.span.max(now);
    l
}

impl Layout {
    /// Takes in the events recorded since the last call, up to `until` (ms since
    /// origin); `rec` must be the record this layout was started on.
    pub fn feed(&mut self, rec: &Record, until: f64) {
        let before = self.lanes.len();
        while let Some(step) = self.tracker.step(rec, until) {
            self.span = self.span.max(step.t);
            self.add_lanes(rec);
            if let Some(change) = step.change {
                self.apply(change);
            }
        }
        if self.lanes.len() != before {
            self.rows = tree_order(&self.lanes);
        }
    }

    /// A lane for each task the tracker has seen created, idle from its creation.
    fn add_lanes(&mut self, rec: &Record) {
        for i in self.lanes.len()..self.tracker.tasks().len() {
            let created = self.tracker.tasks().get(i).map(|s| s.created);
            let (Some(info), Some(t)) = (rec.tasks().get(i), created) else { return };
            let parent = info.parent.filter(|&p| (p as usize) < i);
            self.lanes.push(Lane {
                task: i as TaskId,
                name: info.name.to_string(),
                depth: parent.and_then(|p| self.lanes.get(p as usize)).map_or(0, |p| p.depth + 1),
                parent,
                segs: Vec::new(),
                open: Some(Seg { start: t, end: t, kind: SegKind::Idle, poll: 0, woken_by: None }),
                state: State::Created,
                end: t,
                error: None,
            });
        }
    }

    /// Turns one state change into segments: the open one ends, the new state's
    /// begins; an outcome ends the lane. A top-level poll also goes on the loop lane.
    fn apply(&mut self, c: Change) {
        let Some(lane) = self.lanes.get_mut(c.task as usize) else { return };
        let task = self.tracker.task(c.task);
        lane.state = c.to;
        let (kind, poll, woken_by) = match c.to {
            State::Running => (SegKind::Running, task.map_or(0, |s| s.polls), c.cause),
            State::Waiting => (SegKind::Waiting, 0, None),
            State::Scheduled => (SegKind::Scheduled, 0, None),
            State::Created => (SegKind::Idle, 0, None),
            State::Done | State::Failed | State::Cancelled => {
                lane.error = task.and_then(|s| s.error.clone());
                lane.end = c.t;
                if let Some(open) = lane.open.take() {
                    close(&mut lane.segs, open, c.t);
                }
                return;
            }
        };
        if let Some(open) = lane.open.take() {
            close(&mut lane.segs, open, c.t);
            lane.open = Some(Seg { start: c.t, end: c.t, kind, poll, woken_by });
        }
        // The tracker has applied the event: one open poll means this one, top level.
        match (c.from, c.to, self.tracker.depth()) {
            (_, State::Running, 1) => self.loop_polls.push((c.task, c.t, c.t)),
            (State::Running, State::Waiting, 0) => {
                if let Some(last) = self.loop_polls.last_mut() {
                    last.2 = c.t;
                }
            }
            _ => {}
        }
    }
}

/// Ends `open` at `t`, dropping empty ones and merging a repeat of the same kind.
fn close(segs: &mut Vec<Seg>, open: Seg, t: f64) {
    if t <= open.start && open.kind != SegKind::Running {
        return;
    }
    if let Some(last) = segs.last_mut() {
        if last.kind == open.kind && open.kind != SegKind::Running && last.end >= open.start {
            last.end = t;
            return;
        }
    }
    segs.push(Seg { end: t.max(open.start), ..open });
}

/// Task ids in depth-first order: children right after their parent.
fn tree_order(lanes: &[Lane]) -> Vec<TaskId> {
    let mut children: Vec<Vec<TaskId>> = vec![Vec::new(); lanes.len()];
    let mut roots = Vec::new();
    for lane in lanes {
        match lane.parent {
            Some(p) => children[p as usize].push(lane.task),
            None => roots.push(lane.task),
        }
    }
    let mut out = Vec::with_capacity(lanes.len());
    let mut stack: Vec<TaskId> = roots.into_iter().rev().collect();
    while let Some(id) = stack.pop() {
        out.push(id);
        stack.extend(children[id as usize].iter().rev());
    }
    out
}

#[cfg(test)]
mod tests {
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
        assert_eq!(lazy.seg_at(120.0, l.span), Some(Seg { start: 1.6, end: 150.0, kind: SegKind::Idle, poll: 0, woken_by: None }));
        assert_eq!(lazy.state, State::Created);
        assert_eq!(l.span, 150.0);
    }

    #[test]
    fn the_loop_lane_holds_top_level_polls_only() {
        let l = layout(&rec(), 0.0);
        assert_eq!(l.loop_polls, vec![(0, 1.0, 2.0), (1, 3.0, 4.0), (1, 101.0, 102.0)]);
    }
}
