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

use super::json::{number, string};
use super::num::fixed;
use super::state::{TaskSummary, Tracker};
use super::{Cause, Kind, Record};

const PID: u32 = 1;

/// The whole record as a Chrome Trace Event JSON document.
pub fn export(rec: &Record) -> String {
    let mut out = String::with_capacity(256 + rec.events().len() * 96);
    out.push_str("{\"traceEvents\":[");
    let mut w = Writer { out: &mut out, first: true };
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
    out.push_str("],\"displayTimeUnit\":\"ms\",\"otherData\":{\"dropped_events\":");
    out.push_str(&rec.dropped().to_string());
    out.push_str(",\"cap\":");
    out.push_str(&rec.cap().to_string());
    out.push_str("}}");
    out
}

/// The periods the page was hidden, on a track of their own after the tasks' (only
/// when there were any): numbers measured then are not representative.
fn hidden_track(w: &mut Writer<'_>, rec: &Record) {
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
        Kind::FetchEnd { ok: true } => "fetch answered".into(),
        Kind::FetchEnd { ok: false } => "fetch failed".into(),
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

struct Writer<'a> {
    out: &'a mut String,
    first: bool,
}

impl Writer<'_> {
    fn open(&mut self, ph: &str, tid: u32, name: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push_str("{\"ph\":\"");
        self.out.push_str(ph);
        self.out.push_str("\",\"pid\":");
        self.out.push_str(&PID.to_string());
        self.out.push_str(",\"tid\":");
        self.out.push_str(&tid.to_string());
        self.out.push_str(",\"name\":");
        string(self.out, name);
    }

    fn meta(&mut self, tid: u32, what: &str, key: &str, value: &str) {
        self.open("M", tid, what);
        self.out.push_str(",\"args\":{");
        string(self.out, key);
        self.out.push(':');
        string(self.out, value);
        self.out.push_str("}}");
    }

    fn slice(&mut self, tid: u32, name: &str, cat: &str, start_ms: f64, dur_ms: f64, args: &[(&str, &str)]) {
        self.open("X", tid, name);
        self.out.push_str(",\"cat\":");
        string(self.out, cat);
        self.out.push_str(",\"ts\":");
        number(self.out, start_ms * 1000.0);
        self.out.push_str(",\"dur\":");
        number(self.out, dur_ms.max(0.0) * 1000.0);
        self.out.push_str(",\"args\":{");
        for (i, (k, v)) in args.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            string(self.out, k);
            self.out.push(':');
            string(self.out, v);
        }
        self.out.push_str("}}");
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
        self.out.push_str(",\"s\":\"t\",\"ts\":");
        number(self.out, t_ms * 1000.0);
        self.out.push('}');
    }
}
