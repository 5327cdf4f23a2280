//! Warnings: the moments a reader should look at, as small types.
//!
//! The browser calls a task that holds the main thread for over 50 ms a *long task*;
//! while it runs, nothing else can: no timer, no click, no paint. asyncio's debug mode
//! logs the same thing as "Executing <Task> took 0.3 seconds".

use super::polls::polls;
use super::{Cause, Kind, Record, TaskId};
use crate::num::{fixed, order};

/// A poll at least this long blocked the loop (the browser's long-task threshold).
pub const LONG_POLL_MS: f64 = 50.0;
/// A timer that fires later than this after its deadline is reported.
pub const LATE_TIMER_MS: f64 = 10.0;

/// Something in a run worth pointing out.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// One poll held the thread for `ms`: nothing else ran meanwhile.
    LongPoll {
        /// The task.
        task: TaskId,
        /// Which of its polls (1-based).
        poll: u32,
        /// When the poll started (ms since origin).
        at: f64,
        /// How long it ran.
        ms: f64,
    },
    /// The task finished in a single long poll: it never gave the loop a turn.
    NeverYielded {
        /// The task.
        task: TaskId,
        /// How long that only poll ran.
        ms: f64,
    },
    /// A timer the task slept on fired late, usually because something blocked the loop.
    LateTimer {
        /// The task.
        task: TaskId,
        /// When it fired (ms since origin).
        at: f64,
        /// How late it was.
        late_ms: f64,
    },
}

impl Warning {
    /// A sentence for the reader, naming the task.
    pub fn message(&self, rec: &Record) -> String {
        let name = |t: &TaskId| rec.tasks().get(*t as usize).map_or("?", |i| &i.name).to_string();
        match self {
            Warning::LongPoll { task, poll, ms, .. } => format!(
                "{} blocked the loop for {} ms in poll {} (over {} ms is a long task)",
                name(task),
                fixed(*ms, 0),
                poll,
                fixed(LONG_POLL_MS, 0)
            ),
            Warning::NeverYielded { task, ms } => {
                format!("{} ran {} ms without ever awaiting: nothing else could run", name(task), fixed(*ms, 0))
            }
            Warning::LateTimer { task, late_ms, .. } => {
                format!("{}'s timer fired {} ms late: the loop was busy", name(task), fixed(*late_ms, 0))
            }
        }
    }
}

/// All warnings of a record, in time order.
pub fn warnings(rec: &Record) -> Vec<Warning> {
    let mut out: Vec<Warning> = rec
        .events()
        .iter()
        .filter_map(|ev| match ev.kind {
            Kind::Wake(Cause::Timer { late_ms }) if f64::from(late_ms) > LATE_TIMER_MS => {
                Some(Warning::LateTimer { task: ev.task, at: ev.t - rec.origin(), late_ms: late_ms.into() })
            }
            _ => None,
        })
        .collect();
    for p in polls(rec).into_iter().filter(|p| p.end - p.start >= LONG_POLL_MS) {
        let ms = p.end - p.start;
        out.push(if p.ready && p.n == 1 {
            Warning::NeverYielded { task: p.task, ms }
        } else {
            Warning::LongPoll { task: p.task, poll: p.n, at: p.start, ms }
        });
    }
    // In time order; at the same instant, in the order found above.
    let mut slots: Vec<Option<Warning>> = out.into_iter().map(Some).collect();
    let sorted = order(slots.iter().flatten().map(at));
    sorted.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn at(w: &Warning) -> f64 {
    match w {
        Warning::LongPoll { at, .. } | Warning::LateTimer { at, .. } => *at,
        Warning::NeverYielded { .. } => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{TaskInfo, DEFAULT_CAP};

    fn rec() -> (Record, TaskId, TaskId) {
        let mut r = Record::new(0.0, DEFAULT_CAP);
        let a = r.add_task(0.0, TaskInfo { name: "cpu".into(), parent: None });
        let b = r.add_task(0.0, TaskInfo { name: "ticker".into(), parent: None });
        (r, a, b)
    }

    #[test]
    fn a_single_long_poll_never_yielded() {
        let (mut r, a, _) = rec();
        r.push(1.0, a, Kind::PollStart);
        r.push(301.0, a, Kind::PollEnd { ready: true });
        let w = warnings(&r);
        assert_eq!(w, vec![Warning::NeverYielded { task: a, ms: 300.0 }]);
        assert!(w[0].message(&r).contains("cpu ran 300 ms"));
    }

    #[test]
    fn long_poll_among_several() {
        let (mut r, a, _) = rec();
        r.push(1.0, a, Kind::PollStart);
        r.push(2.0, a, Kind::PollEnd { ready: false });
        r.push(10.0, a, Kind::PollStart);
        r.push(70.0, a, Kind::PollEnd { ready: false });
        r.push(80.0, a, Kind::PollStart);
        r.push(80.5, a, Kind::PollEnd { ready: true });
        assert_eq!(warnings(&r), vec![Warning::LongPoll { task: a, poll: 2, at: 10.0, ms: 60.0 }]);
    }

    #[test]
    fn short_polls_and_punctual_timers_are_quiet() {
        let (mut r, a, b) = rec();
        r.push(1.0, a, Kind::PollStart);
        r.push(49.0, a, Kind::PollEnd { ready: true });
        r.push(50.0, b, Kind::Wake(Cause::Timer { late_ms: 9.5 }));
        assert!(warnings(&r).is_empty());
    }

    #[test]
    fn late_timer_reports_how_late() {
        let (mut r, _, b) = rec();
        r.push(250.0, b, Kind::Wake(Cause::Timer { late_ms: 200.0 }));
        assert_eq!(warnings(&r), vec![Warning::LateTimer { task: b, at: 250.0, late_ms: 200.0 }]);
    }

    #[test]
    fn in_time_order_and_a_tie_in_the_order_found() {
        let (mut r, a, b) = rec();
        r.push(10.0, a, Kind::PollStart);
        r.push(70.0, a, Kind::PollEnd { ready: false });
        r.push(80.0, a, Kind::PollStart);
        r.push(80.5, a, Kind::PollEnd { ready: true });
        r.push(250.0, b, Kind::Wake(Cause::Timer { late_ms: 200.0 }));
        r.push(5.0, b, Kind::Wake(Cause::Timer { late_ms: 100.0 }));
        r.push(10.0, b, Kind::Wake(Cause::Timer { late_ms: 100.0 }));
        assert_eq!(
            warnings(&r),
            vec![
                Warning::LateTimer { task: b, at: 5.0, late_ms: 100.0 },
                Warning::LateTimer { task: b, at: 10.0, late_ms: 100.0 },
                Warning::LongPoll { task: a, poll: 1, at: 10.0, ms: 60.0 },
                Warning::LateTimer { task: b, at: 250.0, late_ms: 200.0 },
            ]
        );
    }
}
