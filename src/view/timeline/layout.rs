//! What the timeline draws, computed from a record without touching the browser.
//!
//! Each task becomes a lane of [`Seg`]ments: *running* (a poll: it held the thread),
//! *waiting* (its last poll returned `Pending`; nothing has woken it yet) and
//! *scheduled* (woken, or just spawned, and queued for the loop). Lanes are ordered
//! as a tree, children right under their parent and indented. The loop lane on top
//! holds every top-level poll of every task.

use crate::trace::state::{summarize, State};
use crate::trace::{Cause, Kind, Record, TaskId};

/// What a task was doing during a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegKind {
    /// Polled: it held the one thread.
    Running,
    /// Waiting for a timer, a fetch or another task.
    Waiting,
    /// Woken or spawned, queued for its next poll.
    Scheduled,
    /// Created but never polled (a future nobody awaits).
    Idle,
}

/// A stretch of one lane, in ms since the record's origin.
#[derive(Clone, Copy, Debug, PartialEq)]
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
    /// Its segments, in time order.
    pub segs: Vec<Seg>,
    /// Its state at the end of the record (outcomes are marked at `end`).
    pub state: State,
    /// When it reached its outcome, or its last event if still live.
    pub end: f64,
    /// The error message, for failed tasks.
    pub error: Option<String>,
}

/// Everything the painter needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// Task lanes, in tree order.
    pub lanes: Vec<Lane>,
    /// Top-level polls (task, start, end), in time order: the loop lane.
    pub loop_polls: Vec<(TaskId, f64, f64)>,
    /// The latest time in the record (ms since origin).
    pub span: f64,
}

/// Builds the layout of `rec`; `now` (ms since origin) closes still-open segments.
pub fn layout(rec: &Record, now: f64) -> Layout {
    layout_until(rec, now, f64::INFINITY)
}

/// The layout of the events up to `until` (ms since origin): a replay's frame.
pub fn layout_until(rec: &Record, now: f64, until: f64) -> Layout {
    let origin = rec.origin();
    let summaries = summarize(rec);
    let mut segs: Vec<Vec<Seg>> = vec![Vec::new(); rec.tasks().len()];
    let mut open: Vec<(f64, SegKind, u32)> = vec![(0.0, SegKind::Idle, 0); rec.tasks().len()];
    let mut polls = vec![0u32; rec.tasks().len()];
    let mut woken: Vec<Option<Cause>> = vec![None; rec.tasks().len()];
    // The cause carried by each task's open running segment.
    let mut pending_cause: Vec<Option<Cause>> = vec![None; rec.tasks().len()];
    let mut depth_stack: Vec<TaskId> = Vec::new();
    let mut loop_polls = Vec::new();
    let mut span: f64 = 0.0;
    for ev in rec.events().iter().take_while(|e| e.t - origin <= until) {
        let i = ev.task as usize;
        if i >= segs.len() {
            continue;
        }
        let t = ev.t - origin;
        span = span.max(t);
        let next = match ev.kind {
            Kind::Created => {
                open[i] = (t, SegKind::Idle, 0);
                None
            }
            Kind::Wake(cause) if open[i].1 != SegKind::Running => {
                woken[i] = Some(cause);
                Some((SegKind::Scheduled, 0))
            }
            Kind::PollStart => {
                polls[i] += 1;
                if depth_stack.is_empty() {
                    loop_polls.push((ev.task, t, t));
                }
                depth_stack.push(ev.task);
                Some((SegKind::Running, polls[i]))
            }
            Kind::PollEnd { .. } => {
                if let Some(pos) = depth_stack.iter().rposition(|&x| x == ev.task) {
                    depth_stack.truncate(pos);
                }
                if depth_stack.is_empty() {
                    if let Some(last) = loop_polls.last_mut() {
                        last.2 = t;
                    }
                }
                Some((SegKind::Waiting, 0))
            }
            Kind::Done | Kind::Failed(_) | Kind::Cancelled => {
                close(&mut segs[i], open[i], pending_cause[i], t);
                open[i] = (t, SegKind::Idle, u32::MAX);
                None
            }
            _ => None,
        };
        if let Some((kind, poll)) = next {
            if open[i].2 != u32::MAX {
                close(&mut segs[i], open[i], pending_cause[i], t);
                open[i] = (t, kind, poll);
            }
        }
        if let (Kind::PollStart, Some(slot)) = (ev.kind, woken.get_mut(i)) {
            pending_cause[i] = slot.take();
        }
    }
    let now = now.max(span);
    for (i, o) in open.iter().enumerate() {
        if o.2 != u32::MAX {
            close(&mut segs[i], *o, pending_cause[i], now);
        }
    }
    // In a replay, tasks not created yet have no lane yet.
    let order: Vec<_> = tree_order(rec)
        .into_iter()
        .filter(|&(task, _)| !segs[task as usize].is_empty() || until.is_infinite())
        .collect();
    let lanes = order
        .into_iter()
        .map(|(task, depth)| {
            let s = &summaries[task as usize];
            Lane {
                task,
                name: rec.tasks()[task as usize].name.to_string(),
                depth,
                segs: std::mem::take(&mut segs[task as usize]),
                state: s.state,
                end: if s.state.is_final() { s.end } else { now },
                error: s.error.clone(),
            }
        })
        .collect();
    Layout { lanes, loop_polls, span: now }
}

/// Ends the open segment at `t`, dropping empty ones (merging a repeat of the same kind).
/// `cause` is what woke the task, kept on running segments.
fn close(segs: &mut Vec<Seg>, (start, kind, poll): (f64, SegKind, u32), cause: Option<Cause>, t: f64) {
    if t <= start && kind != SegKind::Running {
        return;
    }
    if let Some(last) = segs.last_mut() {
        if last.kind == kind && kind != SegKind::Running && last.end >= start {
            last.end = t;
            return;
        }
    }
    let woken_by = if kind == SegKind::Running { cause } else { None };
    segs.push(Seg { start, end: t.max(start), kind, poll, woken_by });
}

/// Tasks in depth-first order with their depth: children right after their parent.
fn tree_order(rec: &Record) -> Vec<(TaskId, u32)> {
    let n = rec.tasks().len();
    let mut children: Vec<Vec<TaskId>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (id, t) in rec.tasks().iter().enumerate() {
        match t.parent.filter(|&p| (p as usize) < id) {
            Some(p) => children[p as usize].push(id as TaskId),
            None => roots.push(id as TaskId),
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut stack: Vec<(TaskId, u32)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    while let Some((id, depth)) = stack.pop() {
        out.push((id, depth));
        for &c in children[id as usize].iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Cause, TaskInfo, DEFAULT_CAP};

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
        let order: Vec<_> = l.lanes.iter().map(|l| (l.name.as_str(), l.depth)).collect();
        assert_eq!(order, vec![("main", 0), ("a", 1), ("lazy", 0)]);
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
        assert_eq!(lazy.segs, vec![Seg { start: 1.6, end: 150.0, kind: SegKind::Idle, poll: 0, woken_by: None }]);
        assert_eq!(lazy.state, State::Created);
        assert_eq!(l.span, 150.0);
    }

    #[test]
    fn the_loop_lane_holds_top_level_polls_only() {
        let l = layout(&rec(), 0.0);
        assert_eq!(l.loop_polls, vec![(0, 1.0, 2.0), (1, 3.0, 4.0), (1, 101.0, 102.0)]);
    }
}
