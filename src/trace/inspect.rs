//! The loop's state at any instant of a recorded run, and the run told event by event.
//!
//! Both are replays: a fresh [`Tracker`] is fed the record up to the instant asked
//! for, so stepping back shows exactly what stepping forward showed. Nothing here is
//! kept while the run happens; it is all computed from the record when asked.
//!
//! - [`inspect_json`]: what `element.inspect(t_ms)` returns — the running task, the
//!   ready queue in order, each waiting task with what it waits on and since when,
//!   the pending timers and the requests in flight.
//! - [`steps_json`]: every event of the run in words, one sentence each, with its
//!   time and task: the inspector's log and what each step says.
//! - [`wait_json`]: one wait as the run summary gives it.
//!
//! Lines: a wait knows the source line of the call that made what it awaits (its
//! [`Site`](super::Site)); the caller passes [`Lines`], which maps a wait to that
//! line in the Rust the page shows and in the Python beside it (1-based), when the
//! site is in them. (In the inspector's own module the record is decoded from bytes,
//! `dump.rs`, and the lines came with it.)

use super::json::Json;
use super::state::{End, Tracker, Waited};
use super::{Cause, Kind, On, Record, TaskId};
use crate::num::{fixed, ms, trimmed};

/// Maps a wait (its index in the record) to `(rust_line, python_line)` in the code
/// the page shows.
pub type Lines<'a> = &'a dyn Fn(u32) -> (Option<u32>, Option<u32>);

/// A task's name, or `#id` if the record has none for it.
fn name(rec: &Record, task: TaskId) -> &str {
    rec.tasks().get(task as usize).map_or("?", |t| &t.name)
}

/// A delay as a reader says it: "300 ms", "1 s", "1.5 s".
fn delay(d: f64) -> String {
    if d >= 1000.0 {
        trimmed(d / 1000.0, 2).to_string() + " s"
    } else {
        ms(d)
    }
}

/// A URL without its scheme, host, query and fragment: `/api/users/2`.
///
/// Byte search rather than `split_once("://")`: a `&str` pattern brings in the
/// general substring searcher, which with the slicing around it cost 5 KB of the
/// playground module's gzipped wasm (measured).
fn path(url: &str) -> &str {
    let b = url.as_bytes();
    let start = match b.windows(3).position(|w| w == b"://") {
        Some(i) => b.iter().skip(i + 3).position(|&c| c == b'/').map_or(b.len(), |j| i + 3 + j),
        None => 0,
    };
    let end = b.iter().skip(start).position(|&c| c == b'?' || c == b'#').map_or(b.len(), |j| start + j);
    url.get(start..end).unwrap_or(url)
}

/// What a wait waits on, in a few words: "sleep 1 s", "GET /api/users/2", "join b".
pub fn what(rec: &Record, on: On) -> String {
    match on {
        On::Timer { delay_ms, .. } if delay_ms <= 0.0 => "sleep(0): a 0 ms browser timer".into(),
        On::Timer { delay_ms, .. } => fill("sleep @", &[&delay(delay_ms)]),
        On::Fetch(i) => fill("GET @", &[path(rec.text(i))]),
        On::Other(i) => rec.text(i).into(),
        On::Task(t) => fill("join @", &[name(rec, t)]),
        On::Yield => "yield_now: the back of the queue".into(),
        On::Lock => "a lock".into(),
    }
}

/// Writes a wait's lines as `rust_line` and `python_line` (null when unknown).
fn lines(j: &mut Json, wait: Option<u32>, map: Lines<'_>) {
    let (rust, python) = wait.map_or((None, None), map);
    for (k, v) in [("rust_line", rust), ("python_line", python)] {
        match v {
            Some(n) => j.key(k).int(n.into()),
            None => j.key(k).raw("null"),
        };
    }
}

/// One wait of the run summary: `{on, what, from_ms, to_ms, rust_line, python_line}`,
/// timers adding `delay_ms` and `late_ms`, requests `status` or `aborted: true`.
pub fn wait_json(j: &mut Json, rec: &Record, w: &Waited, map: Lines<'_>) {
    j.obj().key("on").str(w.on.label()).key("what").str(&what(rec, w.on));
    j.key("from_ms").num(w.from);
    match w.to {
        Some(to) => j.key("to_ms").num(to),
        None => j.key("to_ms").raw("null"),
    };
    lines(j, Some(w.wait), map);
    if let On::Timer { delay_ms, .. } = w.on {
        j.key("delay_ms").num(delay_ms);
        if let Some(late) = w.late_ms {
            j.key("late_ms").num(late);
        }
    }
    match w.end {
        Some(End::Answered(status)) => j.key("status").int(status.into()),
        Some(End::Aborted) => j.key("aborted").raw("true"),
        _ => j,
    };
    j.end_obj();
}

/// Up to which point of the record to replay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Until {
    /// Every event at or before this time (ms since the origin).
    Time(f64),
    /// The first `n` events: the state right after event `n - 1`, even when later
    /// events share its time (a batch of timer wakes shares one clock reading).
    Events(usize),
}

/// The loop's state at `until`, as `element.inspect(t_ms)` returns it.
pub fn inspect_json(rec: &Record, until: Until, map: Lines<'_>) -> String {
    let (tr, t) = match until {
        // Every time the JSON gives is rounded to the µs (`json::number`): an instant
        // passed back as it was printed (a step's `t_ms`) takes in the events printed at it.
        Until::Time(t) => (Tracker::up_to(rec, t + 0.0005), t),
        Until::Events(n) => {
            let mut tr = Tracker::new();
            let mut t = 0.0;
            for _ in 0..n {
                match tr.step(rec, f64::INFINITY) {
                    Some(step) => t = step.t,
                    None => break,
                }
            }
            (tr, t)
        }
    };
    let mut j = Json::with_capacity(512);
    j.obj().key("t_ms").num(t).key("running").opt_str(tr.running().map(|r| name(rec, r)));
    j.key("ready").arr();
    for task in tr.ready() {
        j.str(name(rec, task));
    }
    j.end_arr().key("waiting").arr();
    for (id, s) in tr.tasks().iter().enumerate() {
        if s.state != super::state::State::Waiting {
            continue;
        }
        let task = id as TaskId;
        let mut open = tr.waits().open(task).peekable();
        if open.peek().is_none() {
            // Its last wait was dropped and it is still parked: it is being cancelled
            // (its outcome comes next). Else it is parked on an untraced future.
            let last = tr.waits().all().iter().rev().find(|w| w.task == task);
            let dropped = last.is_some_and(|w| matches!(w.end, Some(End::Dropped | End::Aborted)));
            let what =
                if dropped { "nothing: what it awaited was dropped, it is being cancelled" } else { "something Loop Lab does not trace" };
            j.obj().key("task").str(name(rec, task)).key("on").str("other").key("what").str(what);
            j.key("since_ms").num(s.end);
            lines(&mut j, None, map);
            j.end_obj();
        }
        for w in open {
            j.obj().key("task").str(name(rec, task)).key("on").str(w.on.label()).key("what").str(&what(rec, w.on));
            j.key("since_ms").num(w.from);
            lines(&mut j, Some(w.wait), map);
            j.end_obj();
        }
    }
    j.end_arr().key("timers").arr();
    for w in tr.waits().all_open() {
        if let On::Timer { deadline, .. } = w.on {
            j.obj().key("task").str(name(rec, w.task)).key("deadline_ms").num(deadline - rec.origin()).end_obj();
        }
    }
    j.end_arr().key("fetches").arr();
    for w in tr.waits().all_open() {
        if let On::Fetch(url) = w.on {
            j.obj().key("task").str(name(rec, w.task)).key("url").str(rec.text(url)).key("since_ms").num(w.from).end_obj();
        }
    }
    j.end_arr().end_obj();
    j.finish()
}

/// The record's events in words, from event `from`, at most `count` of them:
/// `{events, steps: [{i, t_ms, task, kind, text}]}`, where `events` is the record's
/// count and `i` an event's index ([`Until::Events`]`(i + 1)` is the state after it).
/// `kind` is `poll` for a poll's start (where "next poll" stops), else the event's
/// family: `created`, `wake`, `pause`, `wait`, `fetch`, `outcome`. Events that say
/// nothing of their own (a wait begins: its poll's end says it) are left out.
///
/// `python`: the record is a Python run's (`www/python/trace.py`), and the sentences
/// say what asyncio does in asyncio's words (a step, not a poll; it suspends at an
/// await, not returns `Pending`; cancelling raises `CancelledError` there).
pub fn steps_json(rec: &Record, from: usize, count: usize, map: Lines<'_>, python: bool) -> String {
    let mut tr = Tracker::new();
    let events = rec.events();
    let mut j = Json::with_capacity(64 + count.min(events.len()) * 96);
    j.obj().key("events").int(events.len() as u64).key("steps").arr();
    let mut written = 0;
    for (i, ev) in events.iter().enumerate() {
        if i >= from && written < count {
            // The sentence reads the state just after the event (its waits noted).
            tr.step(rec, f64::INFINITY);
            let (kind, text) = sentence(rec, &tr, ev.task, ev.kind, map, python);
            if !text.is_empty() {
                written += 1;
                j.obj().key("i").int(i as u64).key("t_ms").num(ev.t - rec.origin()).key("task").str(name(rec, ev.task));
                j.key("kind").str(kind).key("text").str(&text).end_obj();
            }
        } else {
            tr.step(rec, f64::INFINITY);
        }
    }
    j.end_arr().end_obj();
    j.finish()
}

/// The family and the sentence of one event, read against the state just after it.
///
/// Each sentence is a template whose `@` marks are filled in order by [`fill`]:
/// twenty `format!` calls cost about 1 KB of every module's gzipped wasm (measured
/// on the playground's), one filler a tenth of that.
fn sentence(rec: &Record, after: &Tracker, task: TaskId, kind: Kind, map: Lines<'_>, python: bool) -> (&'static str, String) {
    let who = name(rec, task);
    let waits = || {
        let mut on = String::new();
        for w in after.waits().open(task) {
            if !on.is_empty() {
                on.push_str(", ");
            }
            on.push_str(&what(rec, w.on));
            if let Some(l) = map(w.wait).0 {
                on.push_str(" (line ");
                on.push_str(&fixed(l.into(), 0).to_string());
                on.push(')');
            }
        }
        on
    };
    // Where asyncio's words differ from Rust's: (Rust's template, Python's).
    let say = |rust: &'static str, py: &'static str| if python { py } else { rust };
    let (family, template, extra): (_, &str, String) = match kind {
        Kind::Created => (
            "created",
            say("@ is created: a future that does nothing until it is polled", "@ is created: a task whose coroutine has not started yet"),
            String::new(),
        ),
        Kind::Wake(Cause::Spawn) => (
            "wake",
            say("@ is spawned and joins the ready queue", "@ is scheduled by create_task and joins the ready queue"),
            String::new(),
        ),
        Kind::Wake(Cause::Timer { late_ms }) => {
            let fired = after.waits().all().iter().rev().find(|w| w.task == task && w.to.is_some() && w.late_ms.is_some());
            let delay_ms = match fired.map(|w| w.on) {
                Some(On::Timer { delay_ms, .. }) => delay(delay_ms),
                _ => "due".into(),
            };
            return ("wake", fill("the @ timer fires @ late and wakes @", &[&delay_ms, &ms(f64::from(late_ms)), who]));
        }
        Kind::Wake(Cause::Fetch) => ("wake", "the network answers @: @", waits()),
        Kind::Wake(Cause::Task(other)) => return ("wake", fill("@ wakes @", &[name(rec, other), who])),
        Kind::Wake(Cause::SelfWake) => (
            "wake",
            say("@ wakes itself: it goes to the back of the ready queue", "@ yields (sleep(0)): it goes to the back of the ready queue"),
            String::new(),
        ),
        Kind::Wake(Cause::Unknown) => ("wake", "@ is woken", String::new()),
        Kind::PollStart => (
            "poll",
            say("the loop polls @: it runs until its next await", "the loop runs a step of @: until its next await"),
            String::new(),
        ),
        Kind::PollEnd { ready: false } => match waits() {
            on if on.is_empty() => {
                ("pause", say("@ returns Pending and gives the thread back", "@ suspends at an await and gives the thread back"), on)
            }
            on => (
                "pause",
                say(
                    "@ returns Pending and gives the thread back, waiting on @",
                    "@ suspends at an await and gives the thread back, waiting on @",
                ),
                on,
            ),
        },
        // Said by the end of the poll that parked the task (or by its outcome).
        Kind::Wait(_) | Kind::PollEnd { ready: true } => return ("wait", String::new()),
        Kind::WaitEnd(i) => (
            "wait",
            say("@ stops waiting on @: the future was dropped", "@ stops waiting on @: that await was left"),
            rec.wait(i).map_or(String::new(), |w| what(rec, w.on)),
        ),
        Kind::FetchStart => ("fetch", "@ sends a request", String::new()),
        Kind::FetchEnd { status, .. } => ("fetch", "the answer to @'s request is read: HTTP @", fixed(status.into(), 0).to_string()),
        Kind::FetchAbort => ("fetch", "@'s request is aborted: the browser drops the connection", String::new()),
        Kind::Done => ("outcome", "@ is done", String::new()),
        Kind::Failed(e) => ("outcome", "@ fails: @", rec.error(e).to_string()),
        Kind::Cancelled => (
            "outcome",
            say("@ is cancelled: dropped at its await", "@ is cancelled: CancelledError was raised at its await"),
            String::new(),
        ),
    };
    (family, fill(template, &[who, &extra]))
}

/// `template` with each `@` replaced by the next of `args` (an `@` past the last
/// argument is dropped).
fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut args = args.iter();
    for (k, part) in template.split('@').enumerate() {
        if k > 0 {
            out.push_str(args.next().copied().unwrap_or(""));
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod path_tests {
    use super::path;

    #[test]
    fn a_request_is_named_by_its_path() {
        assert_eq!(path("http://127.0.0.1:8000/api/users/2?delay_ms=200"), "/api/users/2");
        assert_eq!(path("api/users/1?delay_ms=150#x"), "api/users/1");
        assert_eq!(path("https://example.org"), "");
        assert_eq!(path("/api/stream"), "/api/stream");
    }
}

#[cfg(test)]
#[path = "inspect_tests.rs"]
mod tests;
