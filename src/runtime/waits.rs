//! What each task waits on, and where in the code: the record's answer to *why*.
//!
//! When asyncio suspends a coroutine, the task's `_fut_waiter` names the future it
//! awaits. Rust keeps no such pointer: a parked future is just a state machine that
//! returned `Pending`. So the futures a task can park on say it themselves. A
//! [`Sleep`](super::Sleep), a request, a [`JoinHandle`](super::JoinHandle) and a yield
//! each call [`begin`] the first time they return `Pending`, with what they wait on
//! ([`On`]) and the source line of the call that made them (`#[track_caller]`), and
//! hold the [`Parked`] it returns until they are ready.
//!
//! 1. [`begin`] adds the wait to the running task's record and notes a
//!    [`Kind::Wait`] event without stamping it.
//! 2. When the task's poll ends, [`Traced`](super::Traced) stamps every noted event
//!    with its own `PollEnd` reading ([`flush`]): the task parks when its poll
//!    returns, and a clock reading costs more than all the rest of a wait's
//!    bookkeeping (see `clock.rs`), so none is taken here.
//! 3. A wait ends when what it waits for happens: the timer's wake, the task's
//!    outcome, the response read. The trace reads those from events it has anyway.
//!    Only a future dropped before that (the loser of a `select`, the timer of a
//!    `timeout` whose work won) notes a [`Kind::WaitEnd`].
//!
//! Combinators that poll many futures for one `.await` ([`join_all`],
//! [`try_join_all`]) move the waits made inside them to their own line: the task is
//! parked *there*, on each of the futures it joins.

use super::context::{self, Slot};
use super::recorder::Recorder;
use crate::trace::{Kind, On, Site, Wait};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

thread_local! {
    /// Events noted since the last poll ended, waiting for its clock reading.
    static NOTED: RefCell<Vec<(Slot, Kind)>> = const { RefCell::new(Vec::new()) };
    /// The line of the outermost combinator being polled, if any.
    static AT: Cell<Option<Site>> = const { Cell::new(None) };
}

/// A wait begun and not yet over. Dropped before [`Parked::over`], it notes a
/// [`Kind::WaitEnd`].
#[derive(Debug)]
#[must_use = "dropping a Parked ends its wait at once"]
pub struct Parked {
    slot: Slot,
    index: u32,
}

/// The running task parks on `on`, awaited at `site` (or at the line of the
/// combinator polling it): adds the wait to its record. `None` outside a traced task
/// or once the record is full.
pub fn begin(on: On, site: Site) -> Option<Parked> {
    begin_with(on, None, site)
}

/// [`begin`] for a request: `url` is kept in the record only if a traced task waits.
pub fn begin_fetch(url: &str, site: Site) -> Option<Parked> {
    begin_with(On::Fetch(0), Some(url), site)
}

/// Not generic, so each kind of future calls the same code (a closure parameter made
/// one copy per caller: 0.6 KB of wasm).
fn begin_with(mut on: On, url: Option<&str>, site: Site) -> Option<Parked> {
    let slot = context::current()?;
    let rec = Recorder::by_id(slot.0)?;
    let site = AT.with(Cell::get).unwrap_or(site);
    if let Some(url) = url {
        on = On::Fetch(rec.add_text(url.to_string()));
    }
    let wait = Wait { task: slot.1, on, site: Some(site) };
    let index = rec.add_wait(wait)?;
    NOTED.with(|n| n.borrow_mut().push((slot, Kind::Wait(index))));
    Some(Parked { slot, index })
}

impl Parked {
    /// The wait is over because what it waited for happened: nothing to note.
    pub fn over(self) {
        std::mem::forget(self);
    }
}

impl Drop for Parked {
    fn drop(&mut self) {
        let _ = NOTED.try_with(|n| n.borrow_mut().push((self.slot, Kind::WaitEnd(self.index))));
    }
}

/// Stamps every noted event at `t`, in the order noted (called at each poll's end
/// and when a task is dropped).
pub fn flush(t: f64) {
    let noted = NOTED.with(|n| std::mem::take(&mut *n.borrow_mut()));
    for ((rec, task), kind) in noted {
        Recorder::push_to_at(rec, t, task, kind);
    }
}

/// A task's poll begins: waits made inside it are at its own lines, not at the line
/// of a combinator of the task polling it inline. Returns that line, for [`leave_task`].
pub fn enter_task() -> Option<Site> {
    AT.with(Cell::take)
}

/// A task's poll ends: the owner's combinator line, if any, is back.
pub fn leave_task(outer: Option<Site>) {
    AT.with(|a| a.set(outer));
}

/// A future whose waits are placed at one line: see [`join_all`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct At<F> {
    inner: Pin<Box<F>>,
    site: Site,
}

impl<F: Future> Future for At<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let outer = AT.with(|a| a.replace(a.get().or(Some(self.site))));
        let out = self.inner.as_mut().poll(cx);
        AT.with(|a| a.set(outer));
        out
    }
}

/// `asyncio.gather(*aws)`: `futures::future::join_all`, with the waits made inside it
/// placed at the line that calls it.
#[track_caller]
pub fn join_all<I>(iter: I) -> At<futures::future::JoinAll<I::Item>>
where
    I: IntoIterator,
    I::Item: Future,
{
    At { inner: Box::pin(futures::future::join_all(iter)), site: Location::caller() }
}

/// `gather` that stops at the first error: `futures::future::try_join_all`, with the
/// waits made inside it placed at the line that calls it.
#[track_caller]
pub fn try_join_all<I>(iter: I) -> At<futures::future::TryJoinAll<I::Item>>
where
    I: IntoIterator,
    I::Item: futures::TryFuture,
{
    At { inner: Box::pin(futures::future::try_join_all(iter)), site: Location::caller() }
}
