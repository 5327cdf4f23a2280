//! [`WaitBook`]: every wait of a run, when it began and how it ended.
//!
//! A wait begins with its [`Kind::Wait`] event (the end of the poll that parked the
//! task). It ends with the first of these, all events the record holds anyway:
//!
//! | waits on  | ends at                                               | as          |
//! |-----------|-------------------------------------------------------|-------------|
//! | a timer   | the task's wake by a timer (the earliest deadline first) | `woken`  |
//! | a task    | the task's wake by that task (its outcome wakes the joiner) | `woken` |
//! | a yield   | the task's next poll                                  | `woken`     |
//! | a lock, something else | the task's next poll      | `woken`     |
//! | a request | `FetchEnd` (with the status) or `FetchAbort`          | `answered` / `aborted` |
//! | anything  | `WaitEnd` (its future dropped first), the task's outcome | `dropped` / `over` |
//!
//! Only the Python tracer (`www/python/trace.py`) records waits on a lock or on
//! something else: an asyncio task parks on one future at a time and is stepped again
//! once it is done, so its next step ends them. (Cancelled first, the tracer notes a
//! `WaitEnd`: they end `dropped`.)

use crate::trace::{Cause, Event, Kind, On, Record, TaskId};

/// How a wait ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum End {
    /// What it waited for happened (the timer fired, the task finished, the yield
    /// came back around).
    Woken,
    /// The request was answered with this HTTP status.
    Answered(u16),
    /// The request was aborted: its future was dropped while it was in flight.
    Aborted,
    /// Its future was dropped before what it waited for happened.
    Dropped,
    /// The task reached its outcome first (done, failed or cancelled).
    Over,
}

/// One wait, followed from its begin to its end. Times are ms since the origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Waited {
    /// The task that waits.
    pub task: TaskId,
    /// On what.
    pub on: On,
    /// Its index in the record ([`Record::wait`]): where its site (or, in a decoded
    /// record, its lines) is found.
    pub wait: u32,
    /// When the task parked on it.
    pub from: f64,
    /// When it ended, once it has.
    pub to: Option<f64>,
    /// How it ended, once it has.
    pub end: Option<End>,
    /// For a timer that fired: how late, in ms.
    pub late_ms: Option<f64>,
}

/// Every wait, in the order they began, and the open ones of each task.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaitBook {
    all: Vec<Waited>,
    /// Per task, the indices (in `all`) of its open waits, oldest first.
    open: Vec<Vec<u32>>,
    /// The record's wait index → the index in `all`.
    by_record: Vec<(u32, u32)>,
}

impl WaitBook {
    /// Takes in one event of `task` at `t` (ms since origin).
    pub fn apply(&mut self, rec: &Record, ev: &Event, t: f64) {
        let task = ev.task;
        match ev.kind {
            Kind::Wait(i) => self.begin(rec, i, t),
            Kind::WaitEnd(i) => {
                if let Ok(pos) = self.by_record.binary_search_by_key(&i, |&(r, _)| r) {
                    let at = self.by_record[pos].1;
                    self.close(task, t, End::Dropped, |_, k| k == at);
                }
            }
            Kind::Wake(Cause::Timer { late_ms }) => {
                let late = f64::from(late_ms);
                if let Some(k) = self.earliest_timer(task) {
                    self.close(task, t, End::Woken, |_, at| at == k);
                    self.all[k as usize].late_ms = Some(late);
                }
            }
            Kind::Wake(Cause::Task(other)) => self.close(task, t, End::Woken, |w, _| w.on == On::Task(other)),
            Kind::PollStart => {
                self.close(task, t, End::Woken, |w, _| w.on == On::Yield);
                let other = |w: &Waited| matches!(w.on, On::Lock | On::Other(_));
                while self.open(task).any(other) {
                    self.close(task, t, End::Woken, |w, _| other(w));
                }
            }
            Kind::FetchEnd { status, .. } => self.close(task, t, End::Answered(status), |w, _| matches!(w.on, On::Fetch(_))),
            Kind::FetchAbort => self.close(task, t, End::Aborted, |w, _| matches!(w.on, On::Fetch(_))),
            Kind::Done | Kind::Failed(_) | Kind::Cancelled => {
                while self.open.get(task as usize).is_some_and(|o| !o.is_empty()) {
                    self.close(task, t, End::Over, |_, _| true);
                }
                // A parent polling it inline is not woken by it: its wait ends here.
                if let Some(parent) = rec.tasks().get(task as usize).and_then(|i| i.parent) {
                    self.close(parent, t, End::Woken, |w, _| w.on == On::Task(task));
                }
            }
            _ => {}
        }
    }

    fn begin(&mut self, rec: &Record, index: u32, t: f64) {
        let Some(w) = rec.wait(index) else { return };
        let at = self.all.len() as u32;
        self.all.push(Waited { task: w.task, on: w.on, wait: index, from: t, to: None, end: None, late_ms: None });
        // Waits of one poll are noted in order; the map stays sorted by record index.
        self.by_record.push((index, at));
        let i = w.task as usize;
        if self.open.len() <= i {
            self.open.resize_with(i + 1, Vec::new);
        }
        self.open[i].push(at);
    }

    /// Closes the oldest open wait of `task` that `pick(wait, index)` accepts.
    fn close(&mut self, task: TaskId, t: f64, end: End, pick: impl Fn(&Waited, u32) -> bool) {
        let Some(open) = self.open.get_mut(task as usize) else { return };
        let Some(pos) = open.iter().position(|&k| pick(&self.all[k as usize], k)) else { return };
        let k = open.remove(pos);
        let w = &mut self.all[k as usize];
        w.to = Some(t);
        w.end = Some(end);
    }

    /// The open timer wait of `task` due first.
    fn earliest_timer(&self, task: TaskId) -> Option<u32> {
        let open = self.open.get(task as usize)?;
        let deadline = |k: &u32| match self.all[*k as usize].on {
            On::Timer { deadline, .. } => Some(deadline),
            _ => None,
        };
        let timers = open.iter().filter_map(|k| Some((*k, deadline(k)?)));
        timers.min_by(|a, b| a.1.total_cmp(&b.1)).map(|(k, _)| k)
    }

    /// Every wait, in the order they began.
    pub fn all(&self) -> &[Waited] {
        &self.all
    }

    /// The open waits of `task`, oldest first.
    pub fn open(&self, task: TaskId) -> impl Iterator<Item = &Waited> + '_ {
        self.open.get(task as usize).into_iter().flatten().map(|&k| &self.all[k as usize])
    }

    /// Every open wait, by task, in task order.
    pub fn all_open(&self) -> impl Iterator<Item = &Waited> + '_ {
        self.open.iter().flatten().map(|&k| &self.all[k as usize])
    }
}
