//! What a run comes to, in words and numbers: a [`Verdict`].
//!
//! A lesson's Rust run measures itself as it goes: its `run` returns a [`Verdict`]
//! (`lessons/`). Its Python, run by CPython in the page, cannot: what comes back is the
//! record of every step, wake and outcome of every task (`www/python/trace.py`) and
//! what the page measured around it, the [`Measures`](reading::Measures). [`python`]
//! reads each lesson's figures off those two, under the names of its Rust verdict,
//! so that the two runs compare figure by figure.
//!
//! The Python verdicts are needed only once a reader runs the Python, so they are in
//! the inspector's module (`src/reader.rs`, loaded on demand), not in a lesson's
//! first load: about 4 KB gzipped per lesson. The sentences a Rust run shares with
//! its Python run (`timing::*_verdict`) are here too, and a lesson's module takes
//! only those.

pub mod fetch;
pub mod reading;
pub mod steps;
pub mod timing;

use crate::trace::Record;
use reading::Measures;

/// What a run measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    /// The figures in words: "sequential 3 004 ms, concurrent 2 001 ms — 1.50× faster".
    pub sentence: String,
    /// The same figures as numbers, for `element.run()`'s summary.
    pub figures: Vec<(&'static str, f64)>,
}

/// The verdict of lesson `lesson`'s Python run, read off its record and the page's
/// measures; `None` for a lesson without Python, or a record not of the shape its
/// program makes.
pub fn python(lesson: &str, rec: &Record, m: &Measures) -> Option<Verdict> {
    judge_of(lesson)?(rec, m)
}

/// How a lesson's Python run is judged: its record and measures in, its verdict out.
type Judge = fn(&Record, &Measures) -> Option<Verdict>;

/// The lessons with a judge of their Python run (every lesson but the playground: a
/// test in `lessons` checks).
#[cfg(test)]
pub const LESSONS: [&str; 13] = [
    "mental-model",
    "sequential-vs-concurrent",
    "lazy",
    "create-task",
    "errors",
    "context-manager",
    "microtasks",
    "cpu-bound",
    "gather-fetch",
    "timeout",
    "stream",
    "limit",
    "as-completed",
];

/// Lesson `lesson`'s judge of its Python run, if it has Python.
fn judge_of(lesson: &str) -> Option<Judge> {
    Some(match lesson {
        "mental-model" => timing::mental_model,
        "sequential-vs-concurrent" => timing::sequential_vs_concurrent,
        "lazy" => timing::lazy,
        "create-task" => timing::create_task,
        "errors" => timing::errors,
        "context-manager" => timing::context_manager,
        "microtasks" => steps::microtasks,
        "cpu-bound" => steps::cpu_bound,
        "gather-fetch" => fetch::gather_fetch,
        "timeout" => fetch::timeout,
        "stream" => fetch::stream,
        "limit" => fetch::limit,
        "as-completed" => fetch::as_completed,
        _ => return None,
    })
}

#[cfg(test)]
mod reading_tests;
