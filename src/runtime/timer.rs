//! Timers: every sleep shares one heap of deadlines and one browser timer.
//!
//! asyncio's loop keeps its timers in a heap and asks the OS for a single wake-up, at
//! the earliest deadline. Loop Lab does the same in the browser: a [`Sleep`] pushes its
//! deadline on a thread-local min-heap, and one `setTimeout` (a `gloo_timers` handle,
//! cleared on drop) is kept armed for the earliest one. When it fires, every sleep that
//! is due is woken in one batch, each stamped with how late it fired, and the timer is
//! armed again for the next deadline. 100 000 sleeps cost one browser timer, not
//! 100 000.
//!
//! Dropping a [`Sleep`] cancels it: its slot is freed and its heap entry, now stale,
//! is skipped when it comes up.

use super::clock::{batch, now};
use super::context::with_cause;
use super::waits::{self, Parked};
use crate::trace::{Cause, On, Site};
use crate::Error;
use futures::future::{select, Either};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::future::Future;
use std::panic::Location;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

/// Sleeps for `ms` milliseconds on a real browser timer: `asyncio.sleep(ms / 1000)`.
/// The deadline is fixed when the `Sleep` is created, as tokio's `sleep` and a JS
/// `setTimeout` promise do; `sleep(ms).await` creates and awaits it in one go.
/// The task awaiting it waits on a timer at the caller's line (see [`super::waits`]).
#[track_caller]
pub fn sleep(ms: f64) -> Sleep {
    let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
    Sleep { delay: ms, deadline: now() + ms, state: State::New, site: Some(Location::caller()), parked: None }
}

/// A [`sleep`] that no task is said to wait on: a guard raced against the real wait
/// (a request's stall limit), which would otherwise show beside it in the inspector.
pub(super) fn guard(ms: f64) -> Sleep {
    let mut timer = sleep(ms);
    timer.site = None;
    timer
}

/// Runs `fut` under a deadline: `asyncio.wait_for(fut, ms / 1000)`. When the deadline
/// passes first, `fut` is dropped — cancelled at its current `.await`, its fetches
/// aborted — and the result is [`Error::Timeout`]. The deadline is set by this call.
#[track_caller]
pub fn timeout<F: Future>(ms: f64, fut: F) -> impl Future<Output = Result<F::Output, Error>> {
    let timer = sleep(ms);
    async move {
        match select(pin!(fut), timer).await {
            Either::Left((out, _)) => Ok(out),
            Either::Right(_) => Err(Error::Timeout { after_ms: ms }),
        }
    }
}

/// A future that is ready after a delay. Dropping it clears its timer.
#[derive(Debug)]
#[must_use = "a Sleep does nothing unless awaited; dropping it cancels the timer"]
pub struct Sleep {
    delay: f64,
    deadline: f64,
    state: State,
    /// Where it was made; `None` for a [`guard`], which records no wait.
    site: Option<Site>,
    parked: Option<Parked>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    New,
    Waiting { slot: u32, gen: u32 },
    Fired,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.state {
            State::New => {
                let (slot, gen) = insert(self.deadline, cx.waker().clone());
                self.state = State::Waiting { slot, gen };
                let (delay_ms, deadline) = (self.delay, self.deadline);
                if let Some(site) = self.site {
                    self.parked = waits::begin(On::Timer { delay_ms, deadline }, site);
                }
                Poll::Pending
            }
            State::Waiting { slot, gen } => {
                if TIMERS.with(|t| t.borrow_mut().take_fired(slot, gen, cx.waker())) {
                    self.state = State::Fired;
                    if let Some(parked) = self.parked.take() {
                        parked.over();
                    }
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            State::Fired => Poll::Ready(()),
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let State::Waiting { slot, gen } = self.state {
            // The thread-local may already be gone when a thread exits (native tests).
            let _ = TIMERS.try_with(|t| t.borrow_mut().cancel(slot, gen));
        }
    }
}

/// Yields once to the loop's next microtask turn: the task wakes itself and goes to
/// the back of the executor's queue. Timers and painting do NOT get a turn (see the
/// microtasks lesson); use `sleep(0.0)` to yield to them.
#[track_caller]
pub fn yield_now() -> impl Future<Output = ()> {
    let site = Location::caller();
    let mut parked: Option<Option<Parked>> = None;
    futures::future::poll_fn(move |cx| {
        if let Some(p) = parked.take() {
            if let Some(p) = p {
                p.over();
            }
            return Poll::Ready(());
        }
        parked = Some(waits::begin(On::Yield, site));
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}

thread_local! {
    static TIMERS: RefCell<Timers> = RefCell::new(Timers::default());
}

#[derive(Default)]
struct Timers {
    heap: BinaryHeap<Entry>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    seq: u64,
    armed: Option<(f64, Timeout)>,
}

#[derive(Default)]
struct Slot {
    gen: u32,
    waker: Option<Waker>,
    fired: bool,
}

/// A heap entry, ordered so the earliest deadline (then the oldest) is on top.
struct Entry {
    deadline: f64,
    seq: u64,
    slot: u32,
    gen: u32,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.deadline.total_cmp(&self.deadline).then(other.seq.cmp(&self.seq))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// Registers a deadline and arms the browser timer if it is now the earliest.
fn insert(deadline: f64, waker: Waker) -> (u32, u32) {
    let (slot, gen, rearm) = TIMERS.with(|t| t.borrow_mut().insert(deadline, waker));
    if rearm {
        arm(deadline);
    }
    (slot, gen)
}

impl Timers {
    fn insert(&mut self, deadline: f64, waker: Waker) -> (u32, u32, bool) {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            (self.slots.len() - 1) as u32
        });
        let s = &mut self.slots[slot as usize];
        s.waker = Some(waker);
        s.fired = false;
        let gen = s.gen;
        self.seq += 1;
        self.heap.push(Entry { deadline, seq: self.seq, slot, gen });
        let rearm = self.armed.as_ref().is_none_or(|(at, _)| deadline < *at);
        (slot, gen, rearm)
    }

    /// True (and the slot freed) if the sleep fired; else keeps its waker current.
    fn take_fired(&mut self, slot: u32, gen: u32, waker: &Waker) -> bool {
        let s = &mut self.slots[slot as usize];
        if s.gen != gen {
            return true;
        }
        if s.fired {
            self.release(slot);
            return true;
        }
        match &s.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => s.waker = Some(waker.clone()),
        }
        false
    }

    fn cancel(&mut self, slot: u32, gen: u32) {
        if self.slots.get(slot as usize).is_some_and(|s| s.gen == gen) {
            self.release(slot);
        }
    }

    fn release(&mut self, slot: u32) {
        let s = &mut self.slots[slot as usize];
        s.gen = s.gen.wrapping_add(1);
        s.waker = None;
        s.fired = false;
        self.free.push(slot);
    }

    /// Pops every due entry; returns their wakers with lateness, and the next deadline.
    fn due(&mut self, now: f64) -> (Vec<(Waker, f32)>, Option<f64>) {
        let mut woken = Vec::new();
        while let Some(top) = self.heap.peek() {
            let live = self.slots[top.slot as usize].gen == top.gen;
            if live && top.deadline > now {
                return (woken, Some(top.deadline));
            }
            let e = self.heap.pop().expect("peeked");
            let s = &mut self.slots[e.slot as usize];
            if live && !s.fired {
                s.fired = true;
                if let Some(w) = s.waker.take() {
                    woken.push((w, (now - e.deadline) as f32));
                }
            }
        }
        (woken, None)
    }
}

/// Keeps one browser timer armed for `deadline`, replacing (and clearing) any other.
fn arm(deadline: f64) {
    let delay = crate::num::clamp((deadline - now()).ceil(), 0.0, f64::from(i32::MAX)) as u32;
    let timer = Timeout::new(delay, fire);
    let previous = TIMERS.with(|t| t.borrow_mut().armed.replace((deadline, timer)));
    drop(previous);
}

/// The browser timer fired: wake everything due, then re-arm for what is left.
fn fire() {
    let t = now();
    let (woken, next, spent) = TIMERS.with(|timers| {
        let mut timers = timers.borrow_mut();
        let spent = timers.armed.take();
        let (woken, next) = timers.due(t);
        (woken, next, spent)
    });
    // `spent` is this very timer: dropping it after the borrow ends is harmless.
    drop(spent);
    if let Some(deadline) = next {
        arm(deadline);
    }
    // Waking runs no task code (it only queues the tasks), so the wakes of one batch
    // may share clock readings.
    batch(|| {
        for (waker, late_ms) in woken {
            with_cause(Cause::Timer { late_ms: late_ms.max(0.0) }, || waker.wake());
        }
    });
}

/// How many sleeps are waiting right now (not yet fired, not dropped): zero once
/// every task of a cancelled run is gone. For tests and probes.
pub fn pending() -> usize {
    TIMERS.with(|t| {
        let t = t.borrow();
        t.slots.len() - t.free.len() - t.slots.iter().filter(|s| s.fired).count()
    })
}
