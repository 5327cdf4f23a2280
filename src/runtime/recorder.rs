//! The recorder: a shared handle to one run's [`Record`].
//!
//! Tasks hold the handle itself; wakers cannot (a `Waker` must be `Send`, an `Rc` is
//! not), so each recorder also has a small number, and a thread-local registry maps the
//! number back to the record when a waker fires.

use super::clock::{now, stamp};
use super::context;
use crate::trace::{Kind, Reader, Record, TaskId, TaskInfo, Wait, DEFAULT_CAP};
use std::cell::{Ref, RefCell};
use std::rc::{Rc, Weak};

thread_local! {
    /// Each slot: its generation (bumped when a new recorder takes it) and the record.
    static REGISTRY: RefCell<Vec<(u32, Weak<RefCell<Record>>)>> = const { RefCell::new(Vec::new()) };
}

/// A recorder's number is its registry slot in the low 16 bits and the slot's
/// generation above: a waker left behind by a finished run names a slot that a later
/// run may reuse, and the generation keeps it from writing into that later run.
const SLOT_BITS: u32 = 16;
const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;
/// Given when every slot is taken: such a recorder records, but no waker finds it.
const NO_SLOT: u32 = u32::MAX;

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
            match r.iter().position(|(_, w)| w.strong_count() == 0) {
                Some(i) => {
                    let gen = (r[i].0 + 1) & (u32::MAX >> SLOT_BITS);
                    r[i] = (gen, weak);
                    (gen << SLOT_BITS) | i as u32
                }
                None if r.len() <= SLOT_MASK as usize => {
                    r.push((0, weak));
                    (r.len() - 1) as u32
                }
                None => NO_SLOT,
            }
        });
        super::visibility::watch();
        if super::visibility::hidden() {
            record.borrow_mut().page_hidden(now());
        }
        Recorder { id, record }
    }

    /// The recorder of the task running right now, if any.
    pub fn current() -> Option<Recorder> {
        let (id, _) = context::current()?;
        Recorder::by_id(id)
    }

    /// Looks a recorder up by its number (used by wakers).
    pub fn by_id(id: u32) -> Option<Recorder> {
        let (slot, gen) = (id & SLOT_MASK, id >> SLOT_BITS);
        let record = REGISTRY.with(|r| match r.borrow().get(slot as usize) {
            Some((g, w)) if *g == gen => w.upgrade(),
            _ => None,
        })?;
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

    /// A read-only handle on this record, for the view and the exports.
    pub fn reader(&self) -> Reader {
        Reader::new(&self.record)
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
    #[track_caller]
    pub fn spawn<F>(&self, name: impl Into<std::borrow::Cow<'static, str>>, fut: F) -> super::JoinHandle<F::Output>
    where
        F: std::future::Future + 'static,
        F::Output: super::Outcome + 'static,
    {
        super::task(name).recorder(self).spawn(fut)
    }

    /// Runs `f` on every record alive now (each borrowed in turn, never two at once).
    pub fn for_each_live(mut f: impl FnMut(&mut Record)) {
        let alive: Vec<_> = REGISTRY.with(|r| r.borrow().iter().filter_map(|(_, w)| w.upgrade()).collect());
        for record in alive {
            f(&mut record.borrow_mut());
        }
    }

    /// Every record alive now: (recorder number, events, tasks). For tests and probes.
    pub fn live() -> Vec<(u32, usize, usize)> {
        REGISTRY.with(|r| {
            let r = r.borrow();
            let alive = r.iter().enumerate().filter_map(|(i, (gen, w))| Some(((gen << SLOT_BITS) | i as u32, w.upgrade()?)));
            alive.map(|(id, rec)| (id, rec.borrow().events().len(), rec.borrow().tasks().len())).collect()
        })
    }

    /// Records an event for `task` at `t` in recorder `id`, if it still exists.
    pub fn push_to_at(id: u32, t: f64, task: TaskId, kind: Kind) {
        if let Some(rec) = Recorder::by_id(id) {
            rec.push_at(t, task, kind);
        }
    }

    /// Adds a wait to the record (see `runtime::waits`); `None` once it is full.
    pub fn add_wait(&self, wait: Wait) -> Option<u32> {
        self.record.borrow_mut().add_wait(wait)
    }

    /// Keeps a text (a URL) for a wait to point at.
    pub fn add_text(&self, text: String) -> u32 {
        self.record.borrow_mut().add_text(text)
    }

    /// Stamps an event for `task` in recorder `id`, if that recorder still exists.
    pub fn push_to(id: u32, task: TaskId, kind: Kind) {
        if let Some(rec) = Recorder::by_id(id) {
            rec.push(task, kind);
        }
    }
}
