//! Task state and per-task totals, computed once, by one [`Tracker`] fed the record's
//! events in order.
//!
//! The tracker is incremental: a live timeline feeds it what was recorded since the
//! last frame; [`summarize`], [`state_at`] and [`woken_by`] feed a fresh one the whole
//! record (or the record up to an instant). Every event it applies reports the state
//! change it made as a [`Change`] `(task, from, to, t)`; the timeline turns those
//! changes into segments without a state machine of its own.
//!
//! # The states, and the events that set them
//!
//! Like async-task documenting each flag of a task's header, every state names the
//! recorded event that enters it and the ones that leave it. "Live" means not yet in
//! one of the three outcomes.
//!
//! - **Created**: entered by `Created`, a task's first event (the future exists and
//!   has done nothing). Left by a wake, a poll or an outcome.
//! - **Scheduled**: entered by `Wake` while `Created`, `Waiting` or `Scheduled`: the
//!   task joins the back of the ready queue; woken again while queued, it keeps its
//!   place and only the cause is new. Left by `PollStart`, or by an outcome (dropped
//!   while queued); either takes it out of the queue.
//! - **Running**: entered by `PollStart` while live: the task holds the one thread.
//!   Left by its `PollEnd`. A wake meanwhile changes nothing, so a future that wakes
//!   itself to yield ends its poll `Waiting` although the executor has queued it (as
//!   tokio-console reads it: running while its last poll started after it last ended).
//! - **Waiting**: entered by `PollEnd` while live, whatever the poll returned: a
//!   `Ready` poll's outcome is stamped at the same instant, so no task is seen
//!   waiting after one. Left by a wake, a poll (a parent polling it inline, as
//!   `join_all` does, without a wake) or an outcome.
//! - **Done**, **Failed**, **Cancelled**: entered by the event of the same name
//!   (`Failed` carries the error message; `Cancelled` means dropped before `Ready`).
//!   Never left: an outcome is final. A wake or a poll recorded after it changes no
//!   state (the poll is still counted and timed: it happened).
//!
//! Run time is self time: a parent that polls its children inline (a `join_all`) is
//! not charged for the time they ran inside its poll. The innermost open poll is the
//! task running now ([`Tracker::running`]).

mod tracker;
pub mod waits;

pub use tracker::{Change, Poll, Step, Tracked, Tracker};
pub use waits::{End, WaitBook, Waited};

use super::{Cause, Record, TaskId};

/// Where a task stands at one instant (see the module doc for what sets each).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum State {
    /// Created, never polled and not yet scheduled: a lazy future nobody awaits.
    #[default]
    Created,
    /// Woken (or just spawned) and waiting for the loop to poll it.
    Scheduled,
    /// Being polled: it holds the one thread.
    Running,
    /// Returned `Pending`; waiting for a timer, a fetch or another task.
    Waiting,
    /// Finished successfully.
    Done,
    /// Finished with an error.
    Failed,
    /// Dropped before it finished.
    Cancelled,
}

impl State {
    /// A lower-case word for the state, as shown to readers and in exports.
    pub fn label(self) -> &'static str {
        match self {
            State::Created => "created",
            State::Scheduled => "scheduled",
            State::Running => "running",
            State::Waiting => "waiting",
            State::Done => "done",
            State::Failed => "failed",
            State::Cancelled => "cancelled",
        }
    }

    /// True for the three outcomes.
    pub fn is_final(self) -> bool {
        matches!(self, State::Done | State::Failed | State::Cancelled)
    }
}

/// Everything the timeline's text table says about one task. Times are ms since the
/// record's origin.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskSummary {
    /// The task's id in the record.
    pub id: TaskId,
    /// When the future was created.
    pub created: f64,
    /// When it was first polled, if ever.
    pub first_poll: Option<f64>,
    /// When it reached its outcome (or its last event, if still live).
    pub end: f64,
    /// Number of polls.
    pub polls: u32,
    /// Time spent running its own code (self time).
    pub run_ms: f64,
    /// Lifetime minus run time: time spent scheduled or waiting.
    pub wait_ms: f64,
    /// Its longest single poll (self time).
    pub longest_poll_ms: f64,
    /// Its state at the end of the record.
    pub state: State,
    /// The error message, when it failed.
    pub error: Option<String>,
}

/// Summarises every task of the record, in task-id order: a [`Tracker`] fed the whole
/// record.
pub fn summarize(rec: &Record) -> Vec<TaskSummary> {
    Tracker::up_to(rec, f64::INFINITY).summaries()
}

/// The run's total: ms from the record's origin to the last outcome (or to the last
/// event of a task still live). See [`Tracker::total_ms`].
pub fn total_ms(rec: &Record) -> f64 {
    Tracker::up_to(rec, f64::INFINITY).total_ms()
}

/// The state of `task` at time `t` (ms since the record's origin): a [`Tracker`] fed
/// the record up to `t`.
pub fn state_at(rec: &Record, task: TaskId, t: f64) -> State {
    Tracker::up_to(rec, t).state(task)
}

/// The cause of the most recent wake of `task` at or before time `t`, if any.
pub fn woken_by(rec: &Record, task: TaskId, t: f64) -> Option<Cause> {
    Tracker::up_to(rec, t).task(task).and_then(|s| s.last_wake)
}

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tracker_tests;
#[cfg(test)]
mod waits_tests;
