//! [`Traced`]: a future wrapper that records every poll, every wake and the outcome.
//!
//! This is the whole instrumentation. It does not replace the executor; it sits
//! between the executor and the task's future:
//!
//! 1. before polling the inner future it stamps `PollStart` and marks the task as
//!    current (so wakes it causes are attributed to it);
//! 2. it hands the inner future its own waker, which stamps `Wake` (with the cause, if
//!    known) before passing the wake on to the executor's waker;
//! 3. after the poll it stamps `PollEnd`, and on `Ready` the outcome (`Done` or
//!    `Failed` with the error's message);
//! 4. dropped before `Ready`, it stamps `Cancelled`. In Rust, cancelling *is* dropping.
//!
//! What the task waits on when it parks is noted by the futures it awaits, and
//! stamped here with the poll's end (see [`super::waits`]).

use super::clock::{now, stamp};
use super::context::{self, cause_of_wake, Slot};
use super::recorder::Recorder;
use super::waits::{self, Parked};
use crate::trace::{Kind, On, Site, TaskId};
use futures::task::{waker_ref, ArcWake};
use pin_project_lite::pin_project;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// What a finished task reports: failed with a message, or done.
pub trait Outcome {
    /// The error message if this output is a failure.
    fn failure(&self) -> Option<String>;
}

impl Outcome for () {
    fn failure(&self) -> Option<String> {
        None
    }
}

impl<T, E: Display> Outcome for Result<T, E> {
    fn failure(&self) -> Option<String> {
        self.as_ref().err().map(ToString::to_string)
    }
}

pin_project! {
    /// A future that records its polls, wakes and outcome in a [`Recorder`].
    #[must_use = "futures do nothing unless awaited; dropping a Traced before it is Ready records it as cancelled"]
    pub struct Traced<F> {
        #[pin]
        inner: F,
        core: Core,
    }
}

/// Everything a [`Traced`] does that does not depend on the future's type. Kept out
/// of the generic `poll` so each task type adds a few instructions to the binary,
/// not a copy of the recording code (measured: 36 copies were 27 KB of wasm).
struct Core {
    rec: Recorder,
    id: TaskId,
    finished: bool,
    /// Polled inline by its owner (`wrap`): while it is pending, the owner waits on it
    /// at this line, and `parked` holds that wait.
    inline: Option<Site>,
    parked: Option<Parked>,
    /// The combinator line of the owner's poll, set aside while this task is polled.
    outer_at: Option<Site>,
    // Our waker, wrapping the executor's; reused while the executor's stays the same.
    waker: Option<Arc<TaskWaker>>,
}

impl Core {
    /// Stamps the poll's start, makes our waker current and enters the task.
    #[inline(never)]
    fn begin(&mut self, cx: &Context<'_>) -> Option<Slot> {
        let slot = (self.rec.id(), self.id);
        match &self.waker {
            Some(w) if w.inner.will_wake(cx.waker()) => {}
            _ => self.waker = Some(Arc::new(TaskWaker { slot, inner: cx.waker().clone(), finished: AtomicBool::new(false) })),
        }
        self.rec.push_at(now(), self.id, Kind::PollStart);
        self.outer_at = waits::enter_task();
        context::enter(slot)
    }

    /// Leaves the task and stamps the poll's end; `outcome` is `None` while pending,
    /// else the failure message if the output is one.
    #[inline(never)]
    fn end(&mut self, previous: Option<Slot>, outcome: Option<Option<String>>) {
        context::leave(previous);
        waits::leave_task(self.outer_at.take());
        // One reading for the end of the poll, its waits and the outcome: the same instant.
        let t = now();
        waits::flush(t);
        match outcome {
            None => {
                self.rec.push_at(t, self.id, Kind::PollEnd { ready: false });
                if let (Some(site), None) = (self.inline, &self.parked) {
                    let id = self.id;
                    self.parked = waits::begin(On::Task(id), site);
                }
            }
            Some(failure) => {
                if let Some(parked) = self.parked.take() {
                    parked.over();
                }
                self.finished = true;
                if let Some(w) = &self.waker {
                    w.finished.store(true, Ordering::Relaxed);
                }
                self.rec.push_at(t, self.id, Kind::PollEnd { ready: true });
                match failure {
                    Some(message) => self.rec.push_failure_at(t, self.id, message),
                    None => self.rec.push_at(t, self.id, Kind::Done),
                }
            }
        }
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(w) = &self.waker {
            w.finished.store(true, Ordering::Relaxed);
        }
        if !self.finished {
            // The waits its futures ended as they were dropped, then the outcome.
            let t = stamp();
            waits::flush(t);
            self.rec.push_at(t, self.id, Kind::Cancelled);
        }
    }
}

impl<F> Traced<F> {
    /// Wraps `inner` as the already-added task `id` of `rec`.
    pub fn new(rec: Recorder, id: TaskId, inner: F) -> Traced<F> {
        Traced { inner, core: Core { rec, id, finished: false, inline: None, parked: None, outer_at: None, waker: None } }
    }

    /// Wraps `inner` as task `id`, polled inline by the task that awaits it at `site`.
    pub fn inline(rec: Recorder, id: TaskId, inner: F, site: Site) -> Traced<F> {
        let mut traced = Traced::new(rec, id, inner);
        traced.core.inline = Some(site);
        traced
    }

    /// The task's id in its record.
    pub fn id(&self) -> TaskId {
        self.core.id
    }

    /// The recorder this task writes to.
    pub fn recorder(&self) -> &Recorder {
        &self.core.rec
    }
}

impl<F: Future> Future for Traced<F>
where
    F::Output: Outcome,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let previous = this.core.begin(cx);
        let result = match &this.core.waker {
            Some(ours) => this.inner.poll(&mut Context::from_waker(&waker_ref(ours))),
            None => unreachable!("begin() always leaves a waker"),
        };
        let outcome = match &result {
            Poll::Pending => None,
            Poll::Ready(out) => Some(out.failure()),
        };
        this.core.end(previous, outcome);
        result
    }
}

/// The waker a traced task's future sees: stamps the wake, then passes it on.
///
/// A finished task can still be woken by something it left behind (an aborted fetch's
/// promise settles after the task is gone); such late wakes are not recorded.
struct TaskWaker {
    slot: Slot,
    inner: Waker,
    finished: AtomicBool,
}

impl ArcWake for TaskWaker {
    fn wake_by_ref(arc: &Arc<Self>) {
        if !arc.finished.load(Ordering::Relaxed) {
            let cause = cause_of_wake(arc.slot);
            Recorder::push_to(arc.slot.0, arc.slot.1, Kind::Wake(cause));
        }
        arc.inner.wake_by_ref();
    }
}
