//! [`Tracker`]: every task's state, kept up to date one event at a time.
//!
//! Feed it a record with [`Tracker::feed`] (everything new up to an instant) or
//! [`Tracker::step`] (one event, and the [`Change`] it made). It keeps, per task, what
//! the table and the summary show ([`Tracked`]); for the whole loop, the open polls
//! (innermost last: the task running now) and the ready queue in the order tasks
//! joined it; and, when made [`Tracker::with_polls`], every closed poll.

use super::waits::WaitBook;
use super::{State, TaskSummary};
use crate::trace::{Cause, Event, Kind, Record, TaskId};
use std::collections::VecDeque;

/// One poll, paired: the task held the thread from `start` to `end` (ms since origin).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Poll {
    /// The task polled.
    pub task: TaskId,
    /// 1-based poll number within the task.
    pub n: u32,
    /// When it started.
    pub start: f64,
    /// When it returned.
    pub end: f64,
    /// True when it returned `Ready`.
    pub ready: bool,
    /// 0 for a poll made by the loop itself, 1 for a future polled inside it, …
    pub depth: u32,
}

/// The state change one event made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// The task.
    pub task: TaskId,
    /// Its state before the event.
    pub from: State,
    /// Its state after it. Equal to `from` when the event restarts the state: a second
    /// wake while scheduled (a new cause), a poll started while one is open.
    pub to: State,
    /// When (ms since origin).
    pub t: f64,
    /// Entering `Scheduled`: the wake's cause. Entering `Running`: the cause of the
    /// wake that queued this poll, `None` when nothing woke the task since its last
    /// poll (a parent polling it inline). Otherwise `None`.
    pub cause: Option<Cause>,
}

/// What feeding one event did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// The event's time (ms since origin).
    pub t: f64,
    /// The state change it made, if any.
    pub change: Option<Change>,
}

/// What the tracker knows about one task. Times are ms since the record's origin.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tracked {
    /// Where it stands now.
    pub state: State,
    /// When the future was created.
    pub created: f64,
    /// When it was first polled, if ever.
    pub first_poll: Option<f64>,
    /// The time of its latest event: for a finished task, its outcome (the runtime
    /// records nothing of a task after that).
    pub end: f64,
    /// Number of polls started.
    pub polls: u32,
    /// Time spent running its own code (self time), over its closed polls.
    pub run_ms: f64,
    /// Its longest single closed poll (self time).
    pub longest_poll_ms: f64,
    /// The error message, when it failed.
    pub error: Option<String>,
    /// The cause of its most recent wake, whatever its state then.
    pub last_wake: Option<Cause>,
    /// The cause of the wake that queued it, until its next poll takes it.
    queued_by: Option<Cause>,
}

/// A poll not yet closed.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Open {
    task: TaskId,
    n: u32,
    start: f64,
    /// Time spent in polls nested inside this one (not charged to it).
    nested: f64,
}

/// Task state for a whole record, fed incrementally (see the module doc of
/// [`crate::trace::state`] for the rule behind every state).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tracker {
    tasks: Vec<Tracked>,
    open: Vec<Open>,
    ready: VecDeque<TaskId>,
    polls: Option<Vec<Poll>>,
    waits: WaitBook,
    fed: usize,
    total: f64,
}

impl Tracker {
    /// An empty tracker that keeps per-task figures but not every closed poll.
    pub fn new() -> Tracker {
        Tracker::default()
    }

    /// An empty tracker that also keeps every closed poll ([`Tracker::polls`]).
    pub fn with_polls() -> Tracker {
        Tracker { polls: Some(Vec::new()), ..Tracker::default() }
    }

    /// A tracker fed `rec` up to `until` (ms since origin).
    pub fn up_to(rec: &Record, until: f64) -> Tracker {
        let mut tracker = Tracker::new();
        tracker.feed(rec, until);
        tracker
    }

    /// Takes in the events recorded since the last call, up to `until` (ms since
    /// origin); `rec` must be the record this tracker was started on.
    pub fn feed(&mut self, rec: &Record, until: f64) {
        while self.step(rec, until).is_some() {}
    }

    /// Takes in the next event, if it happened at or before `until`: what it changed.
    pub fn step(&mut self, rec: &Record, until: f64) -> Option<Step> {
        let ev = rec.events().get(self.fed)?;
        let t = ev.t - rec.origin();
        if t > until {
            return None;
        }
        self.fed += 1;
        Some(Step { t, change: self.apply(rec, ev, t) })
    }

    /// Every task seen so far; a [`TaskId`] indexes this slice.
    pub fn tasks(&self) -> &[Tracked] {
        &self.tasks
    }

    /// One task, if it was created by now.
    pub fn task(&self, task: TaskId) -> Option<&Tracked> {
        self.tasks.get(task as usize)
    }

    /// The state of `task` now (`Created` for a task not yet seen).
    pub fn state(&self, task: TaskId) -> State {
        self.task(task).map_or(State::Created, |s| s.state)
    }

    /// The task running now: the innermost open poll's.
    pub fn running(&self) -> Option<TaskId> {
        self.open.last().map(|o| o.task)
    }

    /// How many polls are open: 0 while the loop itself holds the thread, 1 during a
    /// top-level poll, more while a future is polled inside another's poll.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The scheduled tasks, in the order they joined the ready queue.
    pub fn ready(&self) -> impl ExactSizeIterator<Item = TaskId> + '_ {
        self.ready.iter().copied()
    }

    /// Every wait so far: what each task waited on, from when, and how it ended.
    pub fn waits(&self) -> &WaitBook {
        &self.waits
    }

    /// Every closed poll, in order of their end (empty unless made `with_polls`).
    pub fn polls(&self) -> &[Poll] {
        self.polls.as_deref().unwrap_or(&[])
    }

    /// The closed polls, taken out (empty unless made `with_polls`).
    pub fn into_polls(self) -> Vec<Poll> {
        self.polls.unwrap_or_default()
    }

    /// The run's total so far: ms from the origin to the latest end of any task (its
    /// outcome, or its last event while live); 0 before anything happened.
    pub fn total_ms(&self) -> f64 {
        self.total
    }

    /// What the table says about `task` (all zero for a task not yet seen).
    pub fn summary(&self, task: TaskId) -> TaskSummary {
        let s = self.task(task).cloned().unwrap_or_default();
        TaskSummary {
            id: task,
            created: s.created,
            first_poll: s.first_poll,
            end: s.end,
            polls: s.polls,
            run_ms: s.run_ms,
            wait_ms: (s.end - s.created - s.run_ms).max(0.0),
            longest_poll_ms: s.longest_poll_ms,
            state: s.state,
            error: s.error,
        }
    }

    /// [`Tracker::summary`] of every task seen, in task-id order.
    pub fn summaries(&self) -> Vec<TaskSummary> {
        (0..self.tasks.len() as TaskId).map(|id| self.summary(id)).collect()
    }

    /// Applies one event at `t` (ms since origin); events of unknown tasks are ignored.
    fn apply(&mut self, rec: &Record, ev: &Event, t: f64) -> Option<Change> {
        let i = ev.task as usize;
        if ev.kind == Kind::Created {
            if i == self.tasks.len() {
                self.tasks.push(Tracked { created: t, end: t, ..Tracked::default() });
                self.total = self.total.max(t);
            }
            return None;
        }
        let s = self.tasks.get_mut(i)?;
        s.end = s.end.max(t);
        self.total = self.total.max(t);
        self.waits.apply(rec, ev, t);
        match ev.kind {
            Kind::PollStart => {
                self.open_poll(ev.task, t);
                self.enter(ev.task, State::Running, t)
            }
            Kind::PollEnd { ready } => {
                self.close_poll(ev.task, t, ready);
                self.enter(ev.task, State::Waiting, t)
            }
            Kind::Wake(cause) => self.wake(ev.task, cause, t),
            Kind::Done => self.enter(ev.task, State::Done, t),
            Kind::Failed(e) => {
                let change = self.enter(ev.task, State::Failed, t);
                if let (Some(_), Some(s)) = (change, self.tasks.get_mut(i)) {
                    s.error = Some(rec.error(e).to_string());
                }
                change
            }
            Kind::Cancelled => self.enter(ev.task, State::Cancelled, t),
            _ => None,
        }
    }

    /// Moves a live task to `to`, leaving the ready queue if it was in it.
    fn enter(&mut self, task: TaskId, to: State, t: f64) -> Option<Change> {
        let s = self.tasks.get_mut(task as usize)?;
        let from = s.state;
        if from.is_final() {
            return None;
        }
        s.state = to;
        let cause = if to == State::Running { s.queued_by.take() } else { None };
        if from == State::Scheduled && to != State::Scheduled {
            if let Some(pos) = self.ready.iter().position(|&q| q == task) {
                self.ready.remove(pos);
            }
        }
        Some(Change { task, from, to, t, cause })
    }

    /// A wake: queues a live task that is not running; a queued one keeps its place.
    fn wake(&mut self, task: TaskId, cause: Cause, t: f64) -> Option<Change> {
        let s = self.tasks.get_mut(task as usize)?;
        s.last_wake = Some(cause);
        let from = s.state;
        if from.is_final() || from == State::Running {
            return None;
        }
        s.state = State::Scheduled;
        s.queued_by = Some(cause);
        if from != State::Scheduled {
            self.ready.push_back(task);
        }
        Some(Change { task, from, to: State::Scheduled, t, cause: Some(cause) })
    }

    /// Counts a poll of `task` and opens it, innermost.
    fn open_poll(&mut self, task: TaskId, t: f64) {
        let Some(s) = self.tasks.get_mut(task as usize) else { return };
        s.polls += 1;
        s.first_poll.get_or_insert(t);
        self.open.push(Open { task, n: s.polls, start: t, nested: 0.0 });
    }

    /// Closes the innermost open poll of `task`, charging its self time to it and its
    /// whole time to the poll it was nested in.
    fn close_poll(&mut self, task: TaskId, t: f64, ready: bool) {
        let Some(pos) = self.open.iter().rposition(|o| o.task == task) else { return };
        let open = self.open.remove(pos);
        let dur = t - open.start;
        let own = (dur - open.nested).max(0.0);
        if let Some(s) = self.tasks.get_mut(task as usize) {
            s.run_ms += own;
            s.longest_poll_ms = s.longest_poll_ms.max(own);
        }
        if let Some(outer) = pos.checked_sub(1).and_then(|p| self.open.get_mut(p)) {
            outer.nested += dur;
        }
        if let Some(polls) = &mut self.polls {
            polls.push(Poll { task, n: open.n, start: open.start, end: t, ready, depth: pos as u32 });
        }
    }
}
