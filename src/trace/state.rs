//! Task state and per-task totals, computed from the record rather than stored twice.
//!
//! A task is *running* while its last poll started after its last poll ended,
//! *scheduled* when it was woken after its last poll ended, *waiting* when its last
//! poll returned `Pending` and nothing has woken it since. Run time is self time: a
//! parent that polls its children inline (a `join_all`) is not charged for their work.

use super::{Cause, Kind, Record, TaskId};

/// Where a task stands at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Created, never polled and not yet scheduled: a lazy future nobody awaits.
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

/// Summarises every task of the record, in task-id order.
pub fn summarize(rec: &Record) -> Vec<TaskSummary> {
    let origin = rec.origin();
    let mut out: Vec<TaskSummary> = (0..rec.tasks().len() as TaskId)
        .map(|id| TaskSummary {
            id,
            created: 0.0,
            first_poll: None,
            end: 0.0,
            polls: 0,
            run_ms: 0.0,
            wait_ms: 0.0,
            longest_poll_ms: 0.0,
            state: State::Created,
            error: None,
        })
        .collect();
    // Open polls, innermost last: (task, start, time spent in nested polls).
    let mut stack: Vec<(TaskId, f64, f64)> = Vec::new();
    for ev in rec.events() {
        let t = ev.t - origin;
        if let Kind::PollEnd { ready } = ev.kind {
            close_poll(&mut out, &mut stack, ev.task, t);
            if let Some(s) = out.get_mut(ev.task as usize) {
                s.end = s.end.max(t);
                if !ready {
                    s.state = State::Waiting;
                }
            }
            continue;
        }
        let Some(s) = out.get_mut(ev.task as usize) else { continue };
        s.end = s.end.max(t);
        match ev.kind {
            Kind::Created => {
                s.created = t;
                s.end = t;
            }
            Kind::PollStart => {
                s.polls += 1;
                s.first_poll.get_or_insert(t);
                s.state = State::Running;
                stack.push((ev.task, t, 0.0));
            }
            Kind::Wake(_) if !s.state.is_final() && s.state != State::Running => {
                s.state = State::Scheduled;
            }
            Kind::Done => s.state = State::Done,
            Kind::Failed(i) => {
                s.state = State::Failed;
                s.error = Some(rec.error(i).to_string());
            }
            Kind::Cancelled => s.state = State::Cancelled,
            _ => {}
        }
    }
    for s in &mut out {
        s.wait_ms = (s.end - s.created - s.run_ms).max(0.0);
    }
    out
}

/// The run's total: from its origin to the last moment any task reached (ms).
pub fn total_ms(tasks: &[TaskSummary]) -> f64 {
    tasks.iter().map(|t| t.end).fold(0.0, f64::max)
}

/// Pops the poll of `task` off the stack and charges its self time.
fn close_poll(out: &mut [TaskSummary], stack: &mut Vec<(TaskId, f64, f64)>, task: TaskId, t: f64) {
    let Some(pos) = stack.iter().rposition(|&(id, _, _)| id == task) else { return };
    let (_, start, nested) = stack.remove(pos);
    let dur = t - start;
    let own = (dur - nested).max(0.0);
    let Some(s) = out.get_mut(task as usize) else { return };
    s.run_ms += own;
    s.longest_poll_ms = s.longest_poll_ms.max(own);
    if let Some(parent) = pos.checked_sub(1).and_then(|p| stack.get_mut(p)) {
        parent.2 += dur;
    }
}

/// The state of `task` at time `t` (ms since the record's origin).
pub fn state_at(rec: &Record, task: TaskId, t: f64) -> State {
    let mut state = State::Created;
    let mut seen = false;
    for ev in rec.events().iter().filter(|e| e.task == task) {
        if ev.t - rec.origin() > t {
            break;
        }
        seen = true;
        state = match ev.kind {
            Kind::PollStart => State::Running,
            Kind::PollEnd { ready: false } => State::Waiting,
            Kind::Wake(_) if state != State::Running => State::Scheduled,
            Kind::Done => State::Done,
            Kind::Failed(_) => State::Failed,
            Kind::Cancelled => State::Cancelled,
            _ => state,
        };
        if state.is_final() {
            break;
        }
    }
    if seen { state } else { State::Created }
}

/// The cause of the most recent wake of `task` before time `t`, if any.
pub fn woken_by(rec: &Record, task: TaskId, t: f64) -> Option<Cause> {
    rec.events()
        .iter()
        .rev()
        .filter(|e| e.task == task && e.t - rec.origin() <= t)
        .find_map(|e| match e.kind {
            Kind::Wake(c) => Some(c),
            _ => None,
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::trace::{TaskInfo, DEFAULT_CAP};

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
}
