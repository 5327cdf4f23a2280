//! The record: what happened, in the order it happened.
//!
//! Everything Loop Lab shows is computed from a [`Record`]: a list of timestamped
//! [`Event`]s plus a small table of tasks. The runtime appends to it while tasks run;
//! the view and the exports only read it. Nothing in this module touches the browser,
//! so it is unit-tested natively with `cargo test`.
//!
//! | asyncio                         | Loop Lab record                         |
//! |---------------------------------|-----------------------------------------|
//! | `asyncio.create_task(coro)`     | [`Kind::Created`], then [`Cause::Spawn`] |
//! | the loop resumes a coroutine    | [`Kind::PollStart`] … [`Kind::PollEnd`]  |
//! | a future's callback fires       | [`Kind::Wake`] with its [`Cause`]        |
//! | `task.done()` / `.exception()`  | [`Kind::Done`] / [`Kind::Failed`]        |
//! | `task.cancel()`                 | [`Kind::Cancelled`] (dropped before Ready) |
//! | a coroutine suspends at `await` | [`Kind::Wait`]: on what ([`On`]), and where |
//!
//! Memory is bounded: a record holds at most `cap` events and `cap` tasks. Once full it
//! keeps what it has, counts what it had to drop, and says so ([`Record::dropped`]).

pub mod chrome;
pub mod devtools;
pub mod dump;
pub mod inspect;
pub mod json;
pub mod polls;
pub mod state;
pub mod summary;
pub mod warnings;

use std::borrow::Cow;
use std::cell::{Ref, RefCell};
use std::rc::Rc;

/// A task's index in its record's task table.
pub type TaskId = u32;

/// The id given to tasks that arrive after the record is full; their events are dropped.
pub const UNTRACKED: TaskId = TaskId::MAX;

/// The default cap on events (and on tasks) per record: about 24 MB of events.
pub const DEFAULT_CAP: usize = 1_000_000;

/// At most this many hidden periods are kept per record (a tab flipped back and forth
/// all day must not grow it without bound); later ones are not recorded.
pub const MAX_HIDDEN: usize = 256;

/// What made a task runnable again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cause {
    /// It was just spawned (create_task): it runs on the loop's next turn.
    Spawn,
    /// A timer it slept on fired, `late_ms` after its deadline.
    Timer {
        /// How late the browser fired the timer, in milliseconds.
        late_ms: f32,
    },
    /// A network request it awaited made progress.
    Fetch,
    /// Another task woke it (a join handle completed, a channel received, …).
    Task(TaskId),
    /// It woke itself while running (a yield).
    SelfWake,
    /// Something outside Loop Lab's view woke it.
    Unknown,
}

/// What happened to a task at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// The future was created (it does nothing until polled).
    Created,
    /// The loop started polling the task: from here until `PollEnd` it holds the thread.
    PollStart,
    /// The poll returned; `ready` is false when the task went back to waiting.
    PollEnd {
        /// True when the poll returned `Poll::Ready`.
        ready: bool,
    },
    /// The task was woken and is scheduled to be polled again.
    Wake(Cause),
    /// A fetch started on behalf of the task.
    FetchStart,
    /// A fetch the task made ended: `ok` is false for HTTP errors and bodies refused.
    FetchEnd {
        /// True when the response arrived with a 2xx status and its body was taken.
        ok: bool,
        /// The response's HTTP status.
        status: u16,
    },
    /// A fetch in flight was aborted because the future awaiting it was dropped.
    FetchAbort,
    /// The task finished successfully.
    Done,
    /// The task finished with an error; the index points into [`Record::error`].
    Failed(u32),
    /// The task was dropped before it finished.
    Cancelled,
    /// The task parked on something: [`Record::wait`] says what and where. Stamped
    /// with the end of the poll that parked it (see `runtime::waits`).
    Wait(u32),
    /// A wait ended without the thing it waited on happening: the future awaiting it
    /// was dropped (the loser of a race, a timer whose work finished first).
    WaitEnd(u32),
}

/// Where in the source a wait was made: the caller of `sleep`, `get_json`, `spawn`, …
/// (`#[track_caller]`).
pub type Site = &'static std::panic::Location<'static>;

/// What a parked task waits on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum On {
    /// A timer: `asyncio.sleep(delay)`. `deadline` is in page ms.
    Timer {
        /// The requested delay.
        delay_ms: f64,
        /// When it is due, on the page's clock.
        deadline: f64,
    },
    /// A request: the index of its URL in the record's texts ([`Record::text`]).
    Fetch(u32),
    /// Another task's outcome (awaiting its handle).
    Task(TaskId),
    /// Nothing: the task handed the thread back and asked to run again (`yield_now`).
    Yield,
    /// A lock, a semaphore or a channel.
    Lock,
    /// Something else: the index of a description in the record's texts.
    Other(u32),
}

impl On {
    /// The kind's name, as the inspector's `on` field gives it.
    pub fn label(&self) -> &'static str {
        match self {
            On::Timer { delay_ms, .. } if *delay_ms <= 0.0 => "yield",
            On::Timer { .. } => "timer",
            On::Fetch(_) => "fetch",
            On::Task(_) => "task",
            On::Yield => "yield",
            On::Lock => "lock",
            On::Other(_) => "other",
        }
    }
}

/// One wait: which task parked, on what, and where in the code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wait {
    /// The task that waits.
    pub task: TaskId,
    /// What it waits on.
    pub on: On,
    /// The call that made the awaited future.
    pub site: Option<Site>,
}

/// One entry in the record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// When, in milliseconds on the page's clock (`performance.now()`).
    pub t: f64,
    /// Which task.
    pub task: TaskId,
    /// What happened.
    pub kind: Kind,
}

/// What the record knows about a task besides its events.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskInfo {
    /// The name given at spawn, shown in the timeline's lane.
    pub name: Cow<'static, str>,
    /// The task that spawned or awaits it, if any.
    pub parent: Option<TaskId>,
}

/// The bounded event log of one run.
#[derive(Debug)]
pub struct Record {
    origin: f64,
    cap: usize,
    tasks: Vec<TaskInfo>,
    events: Vec<Event>,
    /// Error messages, URLs and other texts events point at.
    texts: Vec<String>,
    waits: Vec<Wait>,
    dropped: u64,
    hidden: Vec<(f64, Option<f64>)>,
}

impl Record {
    /// An empty record whose time zero is `origin` (ms), holding at most `cap` events.
    pub fn new(origin: f64, cap: usize) -> Record {
        Record {
            origin,
            cap: cap.max(1),
            tasks: Vec::new(),
            events: Vec::new(),
            texts: Vec::new(),
            waits: Vec::new(),
            dropped: 0,
            hidden: Vec::new(),
        }
    }

    /// Adds a task and its `Created` event; returns [`UNTRACKED`] once the record is full.
    pub fn add_task(&mut self, t: f64, info: TaskInfo) -> TaskId {
        if self.tasks.len() >= self.cap || self.events.len() >= self.cap {
            self.dropped += 1;
            return UNTRACKED;
        }
        let id = self.tasks.len() as TaskId;
        self.tasks.push(info);
        self.events.push(Event { t, task: id, kind: Kind::Created });
        id
    }

    /// Appends an event, or counts it as dropped when the record is full.
    pub fn push(&mut self, t: f64, task: TaskId, kind: Kind) {
        if task == UNTRACKED || self.events.len() >= self.cap {
            self.dropped += 1;
            return;
        }
        self.events.push(Event { t, task, kind });
    }

    /// Appends a `Failed` event carrying `message`.
    pub fn push_failure(&mut self, t: f64, task: TaskId, message: String) {
        if task == UNTRACKED || self.events.len() >= self.cap {
            self.dropped += 1;
            return;
        }
        let index = self.add_text(message);
        self.events.push(Event { t, task, kind: Kind::Failed(index) });
    }

    /// Keeps `text` for an event or a wait to point at; returns its index.
    pub fn add_text(&mut self, text: String) -> u32 {
        self.texts.push(text);
        (self.texts.len() - 1) as u32
    }

    /// Adds a wait (its [`Kind::Wait`] event is pushed apart); `None` once the record
    /// is full, counted as dropped.
    pub fn add_wait(&mut self, wait: Wait) -> Option<u32> {
        if wait.task == UNTRACKED || self.waits.len() >= self.cap {
            self.dropped += 1;
            return None;
        }
        self.waits.push(wait);
        Some((self.waits.len() - 1) as u32)
    }

    /// A wait by its index (from a [`Kind::Wait`] or [`Kind::WaitEnd`] event).
    pub fn wait(&self, index: u32) -> Option<&Wait> {
        self.waits.get(index as usize)
    }

    /// Time zero of this record, in page milliseconds.
    pub fn origin(&self) -> f64 {
        self.origin
    }

    /// The cap on events and tasks.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// All events, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// All tasks; a [`TaskId`] indexes this slice.
    pub fn tasks(&self) -> &[TaskInfo] {
        &self.tasks
    }

    /// The error message stored by a [`Kind::Failed`] event.
    pub fn error(&self, index: u32) -> &str {
        self.text(index)
    }

    /// A text kept by [`Record::add_text`] (an error, a URL); empty if unknown.
    pub fn text(&self, index: u32) -> &str {
        self.texts.get(index as usize).map_or("", String::as_str)
    }

    /// How many events (or tasks) were dropped because the record was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The page became hidden at `t` (a background tab: the browser now throttles its
    /// timers, so what is measured from here on is not what a reader would see).
    pub fn page_hidden(&mut self, t: f64) {
        let open = self.hidden.last().is_some_and(|h| h.1.is_none());
        if !open && self.hidden.len() < MAX_HIDDEN {
            self.hidden.push((t, None));
        }
    }

    /// The page became visible again at `t`.
    pub fn page_visible(&mut self, t: f64) {
        if let Some(h) = self.hidden.last_mut().filter(|h| h.1.is_none()) {
            h.1 = Some(t.max(h.0));
        }
    }

    /// The periods the page was hidden, in page ms: `(start, end)`, `end` `None` while
    /// it still is.
    pub fn hidden(&self) -> &[(f64, Option<f64>)] {
        &self.hidden
    }

    /// The hidden periods clipped to `[origin, until]`, in ms since the origin (a
    /// period still open ends at `until`).
    pub fn hidden_spans(&self, until: f64) -> Vec<(f64, f64)> {
        let end = until.max(self.origin);
        self.hidden
            .iter()
            .map(|&(a, b)| (a.max(self.origin), b.unwrap_or(end).min(end)))
            .filter(|(a, b)| b > a)
            .map(|(a, b)| (a - self.origin, b - self.origin))
            .collect()
    }

    /// How long the page was hidden between the origin and `until` (page ms).
    pub fn hidden_ms(&self, until: f64) -> f64 {
        self.hidden_spans(until).iter().map(|(a, b)| b - a).sum()
    }
}

/// A read-only handle on a record that something else writes (the runtime's
/// recorder, while a run happens): what the view paints and the exports read.
/// Cloning it shares the record; it can never add to it.
#[derive(Clone, Debug)]
pub struct Reader(Rc<RefCell<Record>>);

impl Reader {
    /// A reader of `record`.
    pub fn new(record: &Rc<RefCell<Record>>) -> Reader {
        Reader(record.clone())
    }

    /// Reads the record. Do not hold the borrow across an `.await` or a call that
    /// may run tasks: the writer needs it back.
    pub fn read(&self) -> Ref<'_, Record> {
        self.0.borrow()
    }
}
