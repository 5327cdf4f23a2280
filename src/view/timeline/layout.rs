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
//!
//! A waiting segment carries a label: what the task waits on, in the inspector's
//! words ("sleep 1 s", "GET /api/users/2", "join b"), read from the tracker's open
//! waits when the segment begins. Labels are kept once each ([`Layout::labels`]):
//! 100 000 sleeps of 1 s share one, and its width is measured once.

use crate::trace::inspect::what;
use crate::trace::state::{Change, State, Tracker};
use crate::trace::{Cause, Record, TaskId};
use std::cell::Cell;

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
    /// For waiting segments: what it waits on, an index into [`Layout::labels`].
    pub label: Option<u32>,
}

/// The words on a waiting segment, and their width once the painter has measured it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Label {
    /// "sleep 1 s", "GET /api/users/2", "join b"; several waits joined by ", ".
    pub text: String,
    /// Width in CSS px in the painter's label font; NaN until measured.
    width: Cell<f64>,
}

impl Label {
    /// The width of the text, measured by `measure` the first time it is asked for.
    pub fn width(&self, measure: impl FnOnce(&str) -> f64) -> f64 {
        if self.width.get().is_nan() {
            self.width.set(measure(&self.text));
        }
        self.width.get()
    }
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
    /// Every distinct label of a waiting segment, each once.
    pub labels: Vec<Label>,
    /// The labels' texts, sorted, with their index in `labels`. A sorted list rather
    /// than a `HashMap`: hashing added 1 KB gzipped to every module (measured), and
    /// the list stays short ([`MAX_LABELS`]).
    label_ids: Vec<(String, u32)>,
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
                self.apply(rec, change);
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
                open: Some(Seg { start: t, end: t, kind: SegKind::Idle, ..Seg::default() }),
                state: State::Created,
                end: t,
                error: None,
            });
        }
    }

    /// Turns one state change into segments: the open one ends, the new state's
    /// begins; an outcome ends the lane. A top-level poll also goes on the loop lane.
    fn apply(&mut self, rec: &Record, c: Change) {
        let label = if c.to == State::Waiting { self.label(rec, c.task) } else { None };
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
            lane.open = Some(Seg { start: c.t, end: c.t, kind, poll, woken_by, label });
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

/// At most this many different labels per run: beyond, waiting stretches go
/// unlabelled (a run of thousands of different requests has no room to show them).
const MAX_LABELS: usize = 1024;

impl Layout {
    /// The label of what `task` waits on now (its open waits), kept once per text.
    fn label(&mut self, rec: &Record, task: TaskId) -> Option<u32> {
        let mut text = String::new();
        let count = self.tracker.waits().open(task).count();
        // A join of many: the first two, then how many more.
        for w in self.tracker.waits().open(task).take(2) {
            if !text.is_empty() {
                text.push_str(", ");
            }
            text.push_str(&what(rec, w.on));
        }
        if count > 2 {
            text.push_str(&format!(", +{} more", count - 2));
        }
        if text.is_empty() {
            return None;
        }
        let at = match self.label_ids.binary_search_by(|(t, _)| t.as_str().cmp(&text)) {
            Ok(i) => return Some(self.label_ids[i].1),
            Err(_) if self.labels.len() >= MAX_LABELS => return None,
            Err(at) => at,
        };
        let id = self.labels.len() as u32;
        self.labels.push(Label { text: text.clone(), width: Cell::new(f64::NAN) });
        self.label_ids.insert(at, (text, id));
        Some(id)
    }
}

/// Ends `open` at `t`, dropping empty ones and merging a repeat of the same kind.
fn close(segs: &mut Vec<Seg>, open: Seg, t: f64) {
    if t <= open.start && open.kind != SegKind::Running {
        return;
    }
    if let Some(last) = segs.last_mut() {
        if last.kind == open.kind && open.kind != SegKind::Running && last.label == open.label && last.end >= open.start {
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
#[path = "layout_tests.rs"]
mod tests;
