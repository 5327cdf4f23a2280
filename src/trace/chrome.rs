//! Export to the Chrome Trace Event format, which Perfetto (ui.perfetto.dev) and
//! `chrome://tracing` open.
//!
//! One process, "Loop Lab". Thread 0 is the *loop*: every poll of every task lands on
//! it, so a reader sees the slices never overlap (a poll made inside another poll, as
//! `join_all` does, nests inside it). Each task gets its own thread, named after it,
//! holding one slice for its whole life with its polls nested inside, and instant
//! events for wakes and fetches. Periods when the page was hidden (the browser
//! throttled its timers) get a last track, "page hidden". Timestamps are microseconds
//! since the run began.

use super::json::Json;
use super::state::{TaskSummary, Tracker};
use super::{Cause, Kind, Record};
use crate::num::fixed;

const PID: u32 = 1;

/// The whole record as a Chrome Trace Event JSON document.
pub fn export(rec: &Record) -> String {
    let mut w = Writer { json: Json::with_capacity(256 + rec.events().len() * 96) };
    w.json.obj().key("traceEvents").arr();
    w.meta(0, "process_name", "name", "Loop Lab");
    w.meta(0, "thread_name", "name", "loop");
    let mut tracker = Tracker::with_polls();
    tracker.feed(rec, f64::INFINITY);
    for (task, s) in rec.tasks().iter().zip(tracker.summaries()) {
        let tid = s.id + 1;
        w.meta(tid, "thread_name", "name", &task.name);
        w.lifetime(tid, &task.name, &s);
    }
    for p in tracker.polls() {
        let name = rec.tasks().get(p.task as usize).map_or("?", |t| &t.name);
        let result = if p.ready { "ready" } else { "pending" };
        w.slice(0, name, "poll", p.start, p.end - p.start, &[("task", name), ("result", result)]);
        let label = format!("poll {}", p.n);
        w.slice(p.task + 1, &label, "poll", p.start, p.end - p.start, &[("result", result)]);
    }
    for ev in rec.events() {
        if let Some(name) = instant_name(ev.kind) {
            w.instant(ev.task + 1, &name, ev.t - rec.origin());
        }
    }
    hidden_track(&mut w, rec);
    let j = &mut w.json;
    j.end_arr().key("displayTimeUnit").str("ms");
    j.key("otherData").obj().key("dropped_events").int(rec.dropped()).key("cap").int(rec.cap() as u64);
    j.end_obj().end_obj();
    w.json.finish()
}

/// The periods the page was hidden, on a track of their own after the tasks' (only
/// when there were any): numbers measured then are not representative.
fn hidden_track(w: &mut Writer, rec: &Record) {
    let end = rec.events().last().map_or(rec.origin(), |e| e.t);
    let spans = rec.hidden_spans(end);
    if spans.is_empty() {
        return;
    }
    let tid = rec.tasks().len() as u32 + 1;
    w.meta(tid, "thread_name", "name", "page hidden (timers throttled)");
    for (start, stop) in spans {
        w.slice(tid, "page hidden", "visibility", start, stop - start, &[]);
    }
}

/// The name of the instant event shown for `kind`, if it gets one.
fn instant_name(kind: Kind) -> Option<String> {
    Some(match kind {
        Kind::Wake(c) => format!("woken by {}", cause_label(c)),
        Kind::FetchStart => "fetch started".into(),
        Kind::FetchEnd { ok: true, .. } => "fetch answered".into(),
        Kind::FetchEnd { ok: false, .. } => "fetch failed".into(),
        Kind::FetchAbort => "fetch aborted".into(),
        _ => return None,
    })
}

/// A short phrase for what woke a task.
pub fn cause_label(c: Cause) -> String {
    match c {
        Cause::Spawn => "spawn".into(),
        Cause::Timer { late_ms } => format!("timer ({} ms late)", fixed(f64::from(late_ms), 1)),
        Cause::Fetch => "fetch".into(),
        Cause::Task(t) => format!("task #{t}"),
        Cause::SelfWake => "itself".into(),
        Cause::Unknown => "unknown".into(),
    }
}

struct Writer {
    json: Json,
}

impl Writer {
    fn open(&mut self, ph: &str, tid: u32, name: &str) {
        self.json.obj().key("ph").str(ph).key("pid").int(PID.into()).key("tid").int(tid.into()).key("name").str(name);
    }

    fn meta(&mut self, tid: u32, what: &str, key: &str, value: &str) {
        self.open("M", tid, what);
        self.json.key("args").obj().key(key).str(value).end_obj().end_obj();
    }

    fn slice(&mut self, tid: u32, name: &str, cat: &str, start_ms: f64, dur_ms: f64, args: &[(&str, &str)]) {
        self.open("X", tid, name);
        let j = &mut self.json;
        j.key("cat").str(cat).key("ts").num(start_ms * 1000.0).key("dur").num(dur_ms.max(0.0) * 1000.0);
        j.key("args").obj();
        for (k, v) in args {
            j.key(k).str(v);
        }
        j.end_obj().end_obj();
    }

    fn lifetime(&mut self, tid: u32, name: &str, s: &TaskSummary) {
        let run = fixed(s.run_ms, 3).to_string();
        let polls = s.polls.to_string();
        let mut args = vec![("outcome", s.state.label()), ("polls", &polls), ("run_ms", &run)];
        if let Some(e) = &s.error {
            args.push(("error", e));
        }
        self.slice(tid, name, "task", s.created, s.end - s.created, &args);
    }

    fn instant(&mut self, tid: u32, name: &str, t_ms: f64) {
        self.open("i", tid, name);
        self.json.key("s").str("t").key("ts").num(t_ms * 1000.0).end_obj();
    }
}
