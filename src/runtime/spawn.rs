//! Spawning named tasks: `asyncio.create_task`, traced.
//!
//! A spawned task starts on the loop's next turn (like `create_task`), runs on
//! `wasm-bindgen-futures`, and is owned by its [`JoinHandle`]: awaiting the handle
//! gives its output, dropping the handle cancels it (the Rust way: the future is
//! dropped at its current `.await`), and [`JoinHandle::detach`] lets it run on alone.
//!
//! ```no_run
//! # async fn demo() {
//! use looplab::runtime::{sleep, task, Recorder};
//! let rec = Recorder::new();
//! let handle = task("greet Bob").recorder(&rec).spawn(async {
//!     sleep(200.0).await;
//!     Ok::<_, looplab::Error>("hi Bob")
//! });
//! let greeting = handle.await;
//! # }
//! ```

use super::clock::now;
use super::context;
use super::join::{self, JoinHandle};
use super::recorder::Recorder;
use super::traced::{Outcome, Traced};
use crate::trace::{Cause, Kind, TaskId, TaskInfo};
use std::borrow::Cow;
use std::future::Future;

/// Describes a task before it is spawned or wrapped: its name, parent and recorder.
#[derive(Debug)]
#[must_use = "a TaskBuilder does nothing until `spawn` or `wrap` is called"]
pub struct TaskBuilder {
    name: Cow<'static, str>,
    parent: Option<Option<TaskId>>,
    rec: Option<Recorder>,
}

/// Starts describing a task called `name`. By default it is recorded in the running
/// task's recorder, as that task's child.
pub fn task(name: impl Into<Cow<'static, str>>) -> TaskBuilder {
    TaskBuilder { name: name.into(), parent: None, rec: None }
}

/// Spawns `fut` as a task called `name` (shorthand for `task(name).spawn(fut)`).
#[track_caller]
pub fn spawn<F>(name: impl Into<Cow<'static, str>>, fut: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: Outcome + 'static,
{
    task(name).spawn(fut)
}

impl TaskBuilder {
    /// Records the task under `parent` instead of the running task (`None`: top level).
    pub fn parent(mut self, parent: Option<TaskId>) -> Self {
        self.parent = Some(parent);
        self
    }

    /// Records the task in `rec` instead of the running task's recorder.
    pub fn recorder(mut self, rec: &Recorder) -> Self {
        self.rec = Some(rec.clone());
        self
    }

    /// Wraps `fut` without spawning it: it runs when, and only while, its owner polls
    /// it (inside a `join_all`, a `select`, or a plain `.await`). While it waits, its
    /// owner waits on it, at the caller's line.
    #[track_caller]
    pub fn wrap<F: Future>(self, fut: F) -> Traced<F> {
        let (rec, id) = self.add(now());
        Traced::inline(rec, id, fut, std::panic::Location::caller())
    }

    /// Adds the task to its recorder, `Created` at `t`. Not generic: the code that
    /// depends on the future's type stays as small as it can be.
    #[inline(never)]
    fn add(self, t: f64) -> (Recorder, TaskId) {
        let current = context::current();
        let rec = self.rec.or_else(Recorder::current).unwrap_or_else(ambient);
        let parent = self.parent.unwrap_or_else(|| current.filter(|(r, _)| *r == rec.id()).map(|(_, task)| task));
        let id = rec.add_task_at(t, TaskInfo { name: self.name, parent });
        (rec, id)
    }

    /// [`add`](Self::add) for a spawned task: created and scheduled in the same
    /// instant, so one clock reading serves both events.
    #[inline(never)]
    fn add_spawned(self) -> (Recorder, TaskId) {
        let t = now();
        let (rec, id) = self.add(t);
        rec.push_at(t, id, Kind::Wake(Cause::Spawn));
        (rec, id)
    }

    /// Spawns `fut` on the browser's event loop; it is first polled on the next turn.
    /// Awaiting the handle is a wait on this task, placed at the caller's line.
    #[track_caller]
    pub fn spawn<F>(self, fut: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: Outcome + 'static,
    {
        let (rec, id) = self.add_spawned();
        let running = Some((rec.id(), id));
        join::spawn(Traced::new(rec, id, fut), id, running, std::panic::Location::caller())
    }
}

/// Spawns `fut` with no recording at all: the baseline the benchmarks compare against.
#[track_caller]
pub fn spawn_untraced<F>(fut: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    join::spawn(fut, crate::trace::UNTRACKED, None, std::panic::Location::caller())
}

thread_local! {
    static AMBIENT: Recorder = Recorder::with_cap(10_000);
}

/// The recorder used when a task is spawned outside any run (kept small).
fn ambient() -> Recorder {
    AMBIENT.with(Recorder::clone)
}
