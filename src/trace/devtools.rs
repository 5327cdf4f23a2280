//! Export to Chrome DevTools' Performance panel: `performance.measure` entries that
//! carry `detail.devtools` track data, so a recording made while Loop Lab runs shows
//! each task on a track of its own, grouped under "Loop Lab", next to the browser's
//! own main-thread activity.
//!
//! This module only computes the entries; publishing them is one browser call each
//! (see `view::export`).

use super::polls::polls;
use super::Record;
use crate::num::{fixed, order_u64};

/// The DevTools track group every entry belongs to.
pub const TRACK_GROUP: &str = "Loop Lab";
/// Entries beyond this many are not published: a Performance recording stays usable.
pub const MAX_ENTRIES: usize = 5_000;

/// One `performance.measure` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// The entry's name, shown on the slice.
    pub name: String,
    /// Start, in page milliseconds (`performance.now()` time).
    pub start: f64,
    /// End, in page milliseconds.
    pub end: f64,
    /// The track (one per task, plus "loop").
    pub track: String,
    /// A DevTools palette colour name.
    pub color: &'static str,
    /// Hover text.
    pub tooltip: String,
}

/// The entries for `rec`: every poll on its task's track and on the loop track.
pub fn measures(rec: &Record) -> Vec<Measure> {
    let origin = rec.origin();
    let mut out = Vec::new();
    for p in polls(rec) {
        if out.len() + 2 > MAX_ENTRIES {
            break;
        }
        let name = rec.tasks().get(p.task as usize).map_or("?", |t| t.name.as_ref());
        let result = if p.ready { "Ready" } else { "Pending" };
        let tooltip = format!("{name}: poll {} → {result} ({} ms)", p.n, fixed(p.end - p.start, 2));
        let (start, end) = (origin + p.start, origin + p.end);
        if p.depth == 0 {
            let color = if p.end - p.start >= super::warnings::LONG_POLL_MS { "error" } else { "primary" };
            out.push(Measure { name: name.to_string(), start, end, track: "loop".into(), color, tooltip: tooltip.clone() });
        }
        out.push(Measure { name: format!("poll {}", p.n), start, end, track: name.to_string(), color: "secondary", tooltip });
    }
    out
}

/// Each entry name of `measures` once (what clearing the entries needs), grouped by
/// a hash of the text so that the crate's one sort does it (see `num::order`). Two
/// names whose hashes collide may interleave and one be listed twice: clearing a
/// name twice is harmless.
pub fn distinct_names(measures: &[Measure]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in order_u64(measures.iter().map(|m| fnv1a(&m.name))) {
        let name = &measures[i].name;
        if out.last() != Some(name) {
            out.push(name.clone());
        }
    }
    out
}

/// The 64-bit FNV-1a hash of `text`.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Kind, TaskInfo, DEFAULT_CAP};

    #[test]
    fn polls_land_on_their_task_track_and_the_loop_track() {
        let mut r = Record::new(1000.0, DEFAULT_CAP);
        let a = r.add_task(1000.0, TaskInfo { name: "a".into(), parent: None });
        r.push(1001.0, a, Kind::PollStart);
        r.push(1061.0, a, Kind::PollEnd { ready: true });
        let m = measures(&r);
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].track.as_str(), m[0].start, m[0].end, m[0].color), ("loop", 1001.0, 1061.0, "error"));
        assert_eq!((m[1].track.as_str(), m[1].name.as_str()), ("a", "poll 1"));
        assert!(m[1].tooltip.contains("Ready"));
    }

    #[test]
    fn entries_are_capped() {
        let mut r = Record::new(0.0, DEFAULT_CAP);
        let a = r.add_task(0.0, TaskInfo { name: "a".into(), parent: None });
        for i in 0..10_000 {
            r.push(i as f64, a, Kind::PollStart);
            r.push(i as f64 + 0.5, a, Kind::PollEnd { ready: false });
        }
        assert!(measures(&r).len() <= MAX_ENTRIES);
    }

    #[test]
    fn each_name_is_listed_once() {
        let mut r = Record::new(0.0, DEFAULT_CAP);
        let a = r.add_task(0.0, TaskInfo { name: "a".into(), parent: None });
        let b = r.add_task(0.0, TaskInfo { name: "b".into(), parent: None });
        for (i, task) in [a, b, a, b, a].into_iter().enumerate() {
            r.push(i as f64, task, Kind::PollStart);
            r.push(i as f64 + 0.5, task, Kind::PollEnd { ready: false });
        }
        let m = measures(&r);
        assert_eq!(m.len(), 10);
        let mut names = distinct_names(&m);
        names.sort();
        assert_eq!(names, ["a", "b", "poll 1", "poll 2", "poll 3"]);
    }
}
