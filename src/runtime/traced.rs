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

use super::clock::now;
use super::context::{self, cause_of_wake, Slot};
use super::recorder::Recorder;
use crate::trace::{Kind, TaskId};
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
        rec: Recorder,
        id: TaskId,
        finished: bool,
        // Our waker, wrapping the executor's; reused while the executor's stays the same.
        waker: Option<Arc<TaskWaker>>,
    }

    impl<F> PinnedDrop for Traced<F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if let Some(w) = this.waker {
                w.finished.store(true, Ordering::Relaxed);
            }
            if !*this.finished {
                this.rec.push(*this.id, Kind::Cancelled);
            }
        }
    }
}

impl<F> Traced<F> {
    /// Wraps `inner` as the already-added task `id` of `rec`.
    pub fn new(rec: Recorder, id: TaskId, inner: F) -> Traced<F> {
        Traced { inner, rec, id, finished: false, waker: None }
    }

    /// The task's id in its record.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// The recorder this task writes to.
    pub fn recorder(&self) -> &Recorder {
        &self.rec
    }
}

impl<F: Future> Future for Traced<F>
where
    F::Output: Outcome,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let slot = (this.rec.id(), *this.id);
        let ours = match this.waker {
            Some(w) if w.inner.will_wake(cx.waker()) => w,
            cached => cached.insert(Arc::new(TaskWaker {
                slot,
                inner: cx.waker().clone(),
                finished: AtomicBool::new(false),
            })),
        };
        this.rec.push_at(now(), *this.id, Kind::PollStart);
        let previous = context::enter(slot);
        let result = this.inner.poll(&mut Context::from_waker(&waker_ref(ours)));
        context::leave(previous);
        // One reading for the end of the poll and the outcome: the same instant.
        let t = now();
        match &result {
            Poll::Pending => this.rec.push_at(t, *this.id, Kind::PollEnd { ready: false }),
            Poll::Ready(out) => {
                *this.finished = true;
                ours.finished.store(true, Ordering::Relaxed);
                this.rec.push_at(t, *this.id, Kind::PollEnd { ready: true });
                match out.failure() {
                    Some(message) => this.rec.push_failure_at(t, *this.id, message),
                    None => this.rec.push_at(t, *this.id, Kind::Done),
                }
            }
        }
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
