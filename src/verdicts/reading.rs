//! Reading figures off a record and the page's [`Measures`]: what the lessons'
//! Python verdicts ([`super::python`]) are made of. Python's tasks are named after
//! their coroutine (`main`, `greet`) and numbered in the order the program made them.
//!
//! The functions here read any record, Rust's or Python's, and know no lesson.

use crate::num::{fixed, ms};
use crate::trace::{Cause, Event, Kind, Record, TaskId};

/// What a lesson's Python run gets besides its record: measured by the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measures {
    /// When the page ran an animation-frame callback during the run (page ms): each
    /// is a frame the browser rendered, between two of its tasks.
    pub frames: Vec<f64>,
    /// Every request the program made through `browser_http`: when it was asked for
    /// and when it was over (answered, read or aborted), in page ms.
    pub asked: Vec<(f64, f64)>,
    /// The same requests as the browser sent them (Resource Timing): from the
    /// request leaving on a connection to the response's end, in page ms.
    pub sent: Vec<(f64, f64)>,
}

/// The events of each task of a record, in order.
pub struct Tasks<'a> {
    rec: &'a Record,
    events: Vec<Vec<&'a Event>>,
}

impl<'a> Tasks<'a> {
    /// Sorts `rec`'s events by task.
    pub fn of(rec: &'a Record) -> Tasks<'a> {
        let mut events = vec![Vec::new(); rec.tasks().len()];
        for e in rec.events() {
            if let Some(list) = events.get_mut(e.task as usize) {
                list.push(e);
            }
        }
        Tasks { rec, events }
    }

    /// The ids of the tasks called `name`, in the order they were made.
    pub fn named(&self, name: &str) -> Vec<TaskId> {
        self.rec.tasks().iter().enumerate().filter(|(_, t)| t.name == name).map(|(i, _)| i as TaskId).collect()
    }

    fn of_task(&self, id: TaskId) -> &[&'a Event] {
        self.events.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// When task `id` was made.
    pub fn created(&self, id: TaskId) -> Option<f64> {
        self.of_task(id).iter().find(|e| e.kind == Kind::Created).map(|e| e.t)
    }

    /// Its steps (polls), as `(start, end)`; a step still running at the record's end
    /// is left out.
    pub fn steps(&self, id: TaskId) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut start = None;
        for e in self.of_task(id) {
            match e.kind {
                Kind::PollStart => start = Some(e.t),
                Kind::PollEnd { .. } => out.extend(start.take().map(|s| (s, e.t))),
                _ => {}
            }
        }
        out
    }

    /// When it first ran.
    pub fn first_step(&self, id: TaskId) -> Option<f64> {
        self.steps(id).first().map(|s| s.0)
    }

    /// Its outcome (done, failed or cancelled) and when.
    pub fn outcome(&self, id: TaskId) -> Option<(f64, Kind)> {
        let last = self.of_task(id).iter().rev().find(|e| matches!(e.kind, Kind::Done | Kind::Failed(_) | Kind::Cancelled));
        last.map(|e| (e.t, e.kind))
    }

    /// When it ended (its outcome's time).
    pub fn end(&self, id: TaskId) -> Option<f64> {
        self.outcome(id).map(|o| o.0)
    }

    /// Its wakes and their causes, in order.
    pub fn wakes(&self, id: TaskId) -> Vec<(f64, Cause)> {
        let wake = |e: &&&Event| if let Kind::Wake(c) = e.kind { Some((e.t, c)) } else { None };
        self.of_task(id).iter().filter_map(|e| wake(&e)).collect()
    }

    /// How many of tasks `ids` ended with an outcome of `kind`'s variant.
    pub fn count(&self, ids: &[TaskId], kind: Kind) -> usize {
        ids.iter().filter(|&&i| self.outcome(i).is_some_and(|o| std::mem::discriminant(&o.1) == std::mem::discriminant(&kind))).count()
    }

    /// Every span in which some task was ready to run, woken, its next step not yet
    /// begun: `(wake, step start)`.
    pub fn ready_spans(&self) -> Vec<(f64, f64)> {
        let mut spans = Vec::new();
        for events in &self.events {
            let mut woken = None;
            for e in events {
                match e.kind {
                    Kind::Wake(_) => woken = woken.or(Some(e.t)),
                    Kind::PollStart => spans.extend(woken.take().map(|w| (w, e.t))),
                    _ => {}
                }
            }
        }
        spans
    }
}

/// The gaps between consecutive `steps`: `(count, mean ms)`.
pub fn gaps(steps: &[(f64, f64)]) -> (usize, f64) {
    let gaps: Vec<f64> = steps.windows(2).map(|w| w[1].0 - w[0].1).collect();
    let mean = if gaps.is_empty() { 0.0 } else { gaps.iter().sum::<f64>() / gaps.len() as f64 };
    (gaps.len(), mean)
}

/// `a / b`, or 1 when `b` is not positive.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        1.0
    }
}

/// The most of `spans` that were open at one moment of `[from, to]`.
pub fn most_at_once(spans: &[(f64, f64)], from: f64, to: f64) -> u32 {
    let mut edges: Vec<(f64, i32)> =
        spans.iter().filter(|s| s.0 <= to && s.1 >= from).flat_map(|&(a, b)| [(a.max(from), 1), (b.min(to), -1)]).collect();
    // At one instant, an end before a start: back to back is not at once.
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most.max(0) as u32
}

/// The frames painted during the run (its first to its last event), and those of them
/// painted while a task was ready to run: woken, its step not yet begun.
pub fn frames(rec: &Record, m: &Measures) -> (usize, usize) {
    let (Some(first), Some(last)) = (rec.events().first(), rec.events().last()) else {
        return (0, 0);
    };
    let during: Vec<f64> = m.frames.iter().copied().filter(|&f| f >= first.t && f <= last.t).collect();
    let ready = Tasks::of(rec).ready_spans();
    let between = during.iter().filter(|&&f| ready.iter().any(|&(w, s)| w < f && f < s)).count();
    (during.len(), between)
}

/// The frames of the run in words and figures (`frames`, `frames_while_ready`).
pub fn frames_said(rec: &Record, m: &Measures) -> (String, [(&'static str, f64); 2]) {
    let (during, between) = frames(rec, m);
    let sentence = format!(
        " The page painted {during} frame{} during the run, {between} of them while a task was ready to run, woken and waiting for its step: Pyodide runs each step as a browser task of its own, where Rust's executor runs every woken task in one turn, with no frame between.",
        if during == 1 { "" } else { "s" }
    );
    (sentence, [("frames", during as f64), ("frames_while_ready", between as f64)])
}

/// What the page saw of the requests of `[from, to]`: the most the program had out
/// at once, and the most the browser had on the wire at once; words when more than
/// six were asked for at once (a browser's connections per host over HTTP/1.1). The
/// browser's count is `None` where it gave no timings (another origin without
/// `Timing-Allow-Origin`): unknown, not zero.
pub fn requests_said(m: &Measures, from: f64, to: f64) -> (u32, Option<u32>, String) {
    let asked = most_at_once(&m.asked, from, to);
    let sent = Some(most_at_once(&m.sent, from, to)).filter(|_| !m.sent.is_empty());
    let words = match sent {
        Some(sent) if asked > 6 => format!(
            " The program had {asked} requests out at once (aiohttp's pool would open up to 100 connections); the browser sent at most {sent} at a time to this host{}.",
            if sent < asked { " and queued the rest" } else { "" }
        ),
        _ => String::new(),
    };
    (asked, sent, words)
}

/// "0.52 ms (520 µs)": a short time, with its microseconds.
pub fn short(v: f64) -> String {
    format!("{} ({} µs)", ms(v), fixed(v * 1000.0, 0))
}
