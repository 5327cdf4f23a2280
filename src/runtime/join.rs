//! [`JoinHandle`]: owns a spawned task; dropping it cancels the task *at once*.
//!
//! `futures`' `remote_handle` would do most of this, but its cancellation is deferred:
//! dropping the handle only asks the task to stop, and the task's future is dropped
//! the next time the executor polls it. For a teaching tool that is the wrong
//! picture — the reader presses Cancel and, for one more turn of the loop, every task
//! still looks alive and its requests still in flight. Here the future lives in a slot
//! shared by the handle and the spawned driver, and dropping the handle drops the
//! future right there: its `Traced` wrapper records `Cancelled`, its fetches abort,
//! its timers are cleared, and so on recursively for the handles it held.
//!
//! The one exception is a handle dropped while its own task is being polled (the task
//! is busy, its slot borrowed): then the request is noted and the future is dropped as
//! soon as that poll returns.

use super::context::{self, Slot as Running};
use super::waits::{self, Parked};
use crate::trace::{On, Site};
use pin_project_lite::pin_project;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A spawned future and, once it is ready, its output, in one allocation. Behind
/// `dyn Task` the driver and the cancelling code exist once in the binary, not once
/// per task type; only the handle, which knows the output's type, downcasts it.
trait Task {
    fn poll_task(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()>;
    /// The `Option<Output>` slot, as `Any`.
    fn output(self: Pin<&mut Self>) -> &mut dyn Any;
}

pin_project! {
    struct Store<F: Future> {
        #[pin]
        future: F,
        output: Option<F::Output>,
    }
}

impl<F: Future> Task for Store<F>
where
    F::Output: 'static,
{
    fn poll_task(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        match this.future.poll(cx) {
            Poll::Ready(out) => {
                *this.output = Some(out);
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn output(self: Pin<&mut Self>) -> &mut dyn Any {
        self.project().output
    }
}

/// The state a spawned task shares between its driver and its handle.
struct Shared {
    /// The task; kept after it is done until the handle takes the output.
    task: RefCell<Option<Pin<Box<dyn Task>>>>,
    done: Cell<bool>,
    joiner: RefCell<Option<Waker>>,
    cancel_requested: Cell<bool>,
    running: Option<Running>,
}

impl Shared {
    /// Whether the task has finished; if not, `cx` is woken when it does.
    fn poll_done(&self, cx: &Context<'_>) -> bool {
        if self.done.get() {
            return true;
        }
        *self.joiner.borrow_mut() = Some(cx.waker().clone());
        false
    }

    /// Drops the task's future now, or as soon as its current poll returns.
    fn cancel(&self) {
        match self.task.try_borrow_mut() {
            Ok(mut slot) => {
                let task = slot.take();
                drop(slot);
                drop(task); // if unfinished: records Cancelled, aborts fetches, clears timers
            }
            Err(_) => self.cancel_requested.set(true),
        }
    }
}

/// The future handed to the executor: polls the task's future while it is in its slot.
struct Driver(Rc<Shared>);

impl Future for Driver {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let shared = &self.0;
        let previous = shared.running.map(context::enter);
        let result = {
            let mut slot = shared.task.borrow_mut();
            match slot.as_mut().map(|t| t.as_mut().poll_task(cx)) {
                None => Poll::Ready(false),
                Some(Poll::Pending) => Poll::Pending,
                Some(Poll::Ready(())) => Poll::Ready(true),
            }
        };
        let result = match result {
            Poll::Ready(true) => {
                shared.done.set(true);
                let joiner = shared.joiner.borrow_mut().take();
                // Still marked as running: the wake is attributed to this task.
                if let Some(w) = joiner {
                    w.wake();
                }
                Poll::Ready(())
            }
            Poll::Ready(false) => Poll::Ready(()),
            Poll::Pending if shared.cancel_requested.get() => {
                shared.cancel();
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        };
        if let Some(previous) = previous {
            context::leave(previous);
        }
        result
    }
}

/// Spawns `future` on wasm-bindgen-futures; `running` names the traced task, if any,
/// so wakes sent while it runs (its completion waking the joiner) are attributed to it.
/// `site` is where the handle was made: a task awaiting it waits there.
pub(super) fn spawn<F>(future: F, id: crate::trace::TaskId, running: Option<Running>, site: Site) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let task = spawn_erased(Box::pin(Store { future, output: None }), running);
    JoinHandle { id, task: Some(task), site, parked: None, _output: PhantomData }
}

fn spawn_erased(task: Pin<Box<dyn Task>>, running: Option<Running>) -> Rc<Shared> {
    let shared = Rc::new(Shared {
        task: RefCell::new(Some(task)),
        done: Cell::new(false),
        joiner: RefCell::new(None),
        cancel_requested: Cell::new(false),
        running,
    });
    wasm_bindgen_futures::spawn_local(Driver(shared.clone()));
    shared
}

/// The owner of a spawned task: await it for the output, drop it to cancel the task.
#[must_use = "dropping a JoinHandle cancels its task at once; call `detach()` to let it run on"]
pub struct JoinHandle<T> {
    id: crate::trace::TaskId,
    task: Option<Rc<Shared>>,
    site: Site,
    /// The awaiting task's wait on this one, while it lasts.
    parked: Option<Parked>,
    _output: PhantomData<T>,
}

impl<T> std::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinHandle").field("id", &self.id).finish_non_exhaustive()
    }
}

impl<T> JoinHandle<T> {
    /// The task's id in its record.
    pub fn id(&self) -> crate::trace::TaskId {
        self.id
    }

    /// Lets the task run to completion on its own; its output is discarded.
    pub fn detach(mut self) {
        self.task = None;
    }
}

// Nothing in a handle is pinned: the task lives behind its `Rc`.
impl<T> Unpin for JoinHandle<T> {}

impl<T: 'static> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        // Still running; or detached (`detach` consumes the handle, so never seen).
        let Some(shared) = this.task.as_ref().filter(|t| t.poll_done(cx)) else {
            park(&mut this.parked, this.id, this.site);
            return Poll::Pending;
        };
        if let Some(parked) = this.parked.take() {
            parked.over();
        }
        let Ok(mut slot) = shared.task.try_borrow_mut() else { return Poll::Pending };
        let out = slot.as_mut().and_then(|t| t.as_mut().output().downcast_mut::<Option<T>>()).and_then(Option::take);
        // The finished future is no longer needed.
        *slot = None;
        // None: polled again after it gave its output; like a fused future, never again.
        out.map_or(Poll::Pending, Poll::Ready)
    }
}

/// The first time a handle is found pending, its awaiting task parks on its task.
fn park(parked: &mut Option<Parked>, id: crate::trace::TaskId, site: Site) {
    if parked.is_none() && id != crate::trace::UNTRACKED {
        *parked = waits::begin(On::Task(id), site);
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.cancel();
        }
    }
}
