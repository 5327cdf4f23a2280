//! The recorder: a shared handle to one run's [`Record`].
//!
//! Tasks hold the handle itself; wakers cannot (a `Waker` must be `Send`, an `Rc` is
//! not), so each recorder also has a small number, and a thread-local registry maps the
//! number back to the record when a waker fires.

use super::clock::{now, stamp};
use super::context;
use crate::trace::{Kind, Record, TaskId, TaskInfo, DEFAULT_CAP};
use std::cell::{Ref, RefCell};
use std::rc::{Rc, Weak};

thread_local! {
    static REGISTRY: RefCell<Vec<Weak<RefCell<Record>>>> = const { RefCell::new(Vec::new()) };
}

/// A handle to one run's record. Cloning it shares the record.
#[derive(Clone, Debug)]
pub struct Recorder {
    id: u32,
    record: Rc<RefCell<Record>>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Recorder {
    /// A new, empty record starting now, with the default cap.
    pub fn new() -> Recorder {
        Recorder::with_cap(DEFAULT_CAP)
    }

    /// A new, empty record starting now that keeps at most `cap` events.
    pub fn with_cap(cap: usize) -> Recorder {
        let record = Rc::new(RefCell::new(Record::new(now(), cap)));
        let id = REGISTRY.with(|r| {
            let mut r = r.borrow_mut();
            let weak = Rc::downgrade(&record);
            // Reuse the slot of a recorder that is gone, so the registry stays small.
            match r.iter().position(|w| w.strong_count() == 0) {
                Some(i) => {
                    r[i] = weak;
                    i as u32
                }
                None => {
                    r.push(weak);
                    (r.len() - 1) as u32
                }
            }
        });
        Recorder { id, record }
    }

    /// The recorder of the task running right now, if any.
    pub fn current() -> Option<Recorder> {
        let (id, _) = context::current()?;
        Recorder::by_id(id)
    }

    /// Looks a recorder up by its number (used by wakers).
    pub fn by_id(id: u32) -> Option<Recorder> {
        let record = REGISTRY.with(|r| r.borrow().get(id as usize).and_then(Weak::upgrade))?;
        Some(Recorder { id, record })
    }

    /// This recorder's number in the registry.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Reads the record. Do not hold the borrow across an `.await`.
    pub fn record(&self) -> Ref<'_, Record> {
        self.record.borrow()
    }

    /// Adds a task to the record, its `Created` event stamped at `t`.
    pub fn add_task_at(&self, t: f64, info: TaskInfo) -> TaskId {
        self.record.borrow_mut().add_task(t, info)
    }

    /// Stamps an event for `task` now.
    pub fn push(&self, task: TaskId, kind: Kind) {
        self.push_at(stamp(), task, kind);
    }

    /// Records an event for `task` at `t`, a reading taken for this same instant.
    pub fn push_at(&self, t: f64, task: TaskId, kind: Kind) {
        self.record.borrow_mut().push(t, task, kind);
    }

    /// Records a failure for `task` at `t`.
    pub fn push_failure_at(&self, t: f64, task: TaskId, message: String) {
        self.record.borrow_mut().push_failure(t, task, message);
    }

    /// Spawns `fut` as a top-level task of this recorder called `name`: the short form
    /// of `task(name).recorder(self).spawn(fut)`.
    pub fn spawn<F>(&self, name: impl Into<std::borrow::Cow<'static, str>>, fut: F) -> super::JoinHandle<F::Output>
    where
        F: std::future::Future + 'static,
        F::Output: super::Outcome + 'static,
    {
        super::task(name).recorder(self).spawn(fut)
    }

    /// Stamps an event for `task` in recorder `id`, if that recorder still exists.
    pub fn push_to(id: u32, task: TaskId, kind: Kind) {
        if let Some(rec) = Recorder::by_id(id) {
            rec.push(task, kind);
        }
    }
}
