//! Who is running, and who is waking whom.
//!
//! Two thread-local cells. `CURRENT` names the task being polled right now (restored
//! when its poll returns, so nested polls work). `CAUSE` is set for the duration of a
//! `wake()` by whatever knows why it is waking a task: the timer heap, a fetch. A waker
//! that fires with no cause set, while a task is running, was woken by that task.

use crate::trace::{Cause, TaskId};
use std::cell::Cell;

/// A task in a given recorder: (recorder id, task id).
pub type Slot = (u32, TaskId);

thread_local! {
    static CURRENT: Cell<Option<Slot>> = const { Cell::new(None) };
    static CAUSE: Cell<Option<Cause>> = const { Cell::new(None) };
}

/// The task being polled right now, if any.
pub fn current() -> Option<Slot> {
    CURRENT.with(Cell::get)
}

/// Marks `slot` as running and returns what was running before (pass it to [`leave`]).
pub fn enter(slot: Slot) -> Option<Slot> {
    CURRENT.with(|c| c.replace(Some(slot)))
}

/// Restores the task that was running before [`enter`].
pub fn leave(previous: Option<Slot>) {
    CURRENT.with(|c| c.set(previous));
}

/// Runs `wake` with `cause` recorded as the reason for any wake it performs.
pub fn with_cause(cause: Cause, wake: impl FnOnce()) {
    let previous = CAUSE.with(|c| c.replace(Some(cause)));
    wake();
    CAUSE.with(|c| c.set(previous));
}

/// Why `target` is being woken right now.
pub fn cause_of_wake(target: Slot) -> Cause {
    if let Some(cause) = CAUSE.with(Cell::get) {
        return cause;
    }
    match current() {
        Some(running) if running == target => Cause::SelfWake,
        Some((rec, task)) if rec == target.0 => Cause::Task(task),
        _ => Cause::Unknown,
    }
}
