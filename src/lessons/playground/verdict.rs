//! What a playground run measured, in words and figures: every number comes from the
//! run's own record and clock.

use super::workload::{Join, Workload};
use crate::lessons::Verdict;
use crate::num::ms;
use crate::num::order;
use crate::runtime::{now, Recorder};
use crate::trace::state::{summarize, State, TaskSummary};
use crate::Error;

/// What the awaiting caller saw, in the order it saw it.
#[derive(Debug)]
pub struct Log {
    /// When the run began (page ms).
    pub t0: f64,
    /// Each outcome the caller got: task index, when (ms since `t0`), and whether it was an error.
    pub handled: Vec<(u32, f64, bool)>,
    /// The first error the caller got: task index, when (ms since `t0`), message.
    pub first_error: Option<(u32, f64, String)>,
}

impl Log {
    /// An empty log of a run beginning at `t0`.
    pub fn new(t0: f64) -> Log {
        Log { t0, handled: Vec::new(), first_error: None }
    }

    /// Notes the outcome of task `i`, handed to the caller now.
    pub fn note(&mut self, i: u32, result: Result<u32, Error>) {
        let at = now() - self.t0;
        if let (Err(e), None) = (&result, &self.first_error) {
            self.first_error = Some((i, at, e.to_string()));
        }
        self.handled.push((i, at, result.is_err()));
    }
}

/// The most tasks alive at one instant: created and not yet finished.
pub fn max_in_flight(tasks: &[TaskSummary]) -> u32 {
    // Every task's end, then every start: at the same instant an end comes first, so
    // a task handing over to the next is not two at once.
    let ends = tasks.iter().map(|t| t.end);
    let starts = tasks.iter().map(|t| t.created);
    let (mut now, mut most) = (0i32, 0i32);
    for i in order(ends.chain(starts)) {
        now += if i < tasks.len() { -1 } else { 1 };
        most = most.max(now);
    }
    most.max(0) as u32
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn how(w: &Workload) -> String {
    let mode = match w.join {
        Join::Sequential => "one after another",
        Join::JoinAll => "gathered with join_all",
        Join::TryJoinAll => "joined with try_join_all",
        Join::CollectAll => "gathered with every outcome collected",
        Join::AsCompleted => "handled as completed",
    };
    match (w.join, w.limit) {
        (Join::Sequential, _) | (_, None) => mode.into(),
        (_, Some(k)) => format!("{mode}, at most {k} at once"),
    }
}

/// What the caller learned, and when, in the words of the join mode.
fn caller(w: &Workload, log: &Log, timed_out: bool) -> String {
    let error = log.first_error.as_ref().map(|(i, at, m)| format!("task {} failed after {} ({m})", i + 1, ms(*at)));
    let errors = log.handled.iter().filter(|h| h.2).count();
    let last = log.handled.last().map_or(0.0, |h| h.1);
    let said = match (w.join, error) {
        _ if timed_out && log.handled.is_empty() => String::new(),
        (Join::Sequential, Some(e)) => format!("T{}, which ended the loop. ", e.strip_prefix('t').unwrap_or(&e)),
        (Join::TryJoinAll, Some(e)) => format!("The first error returned at once: {e}; the tasks still running were cancelled. "),
        (Join::JoinAll, Some(e)) => {
            format!("The first error reached the caller, as gather raises it: {e}. The other tasks were not cancelled and ran on. ")
        }
        (Join::CollectAll, _) => format!("Every outcome was collected, {}, the last after {}. ", plural(errors, "error"), ms(last)),
        (Join::AsCompleted, _) => match (log.handled.first(), log.handled.last()) {
            (Some(f), Some(l)) => format!(
                "Results were handled as they came: first task {} after {}, last task {} after {}. ",
                f.0 + 1,
                ms(f.1),
                l.0 + 1,
                ms(l.1)
            ),
            _ => String::new(),
        },
        (_, None) => String::new(),
    };
    match (timed_out, w.timeout_ms) {
        (true, Some(t)) => format!("{said}The {} timeout passed and cancelled the work still running. ", ms(t.into())),
        _ => said,
    }
}

/// The verdict of a run of `w` recorded in `rec`, which took `total` ms.
pub fn verdict(w: &Workload, rec: &Recorder, log: &Log, total: f64, timed_out: bool) -> Verdict {
    let record = rec.record();
    let tasks = summarize(&record);
    drop(record);
    let count = |s: State| tasks.iter().filter(|t| t.state == s).count();
    let (done, failed, cancelled) = (count(State::Done), count(State::Failed), count(State::Cancelled));
    let never = (w.tasks as usize).saturating_sub(tasks.len());
    let most = max_in_flight(&tasks);
    let longest = tasks.iter().map(|t| t.longest_poll_ms).fold(0.0, f64::max);
    let mut sentence = format!(
        "{}, {}: {} in all. {done} done, {failed} failed, {cancelled} cancelled{}. ",
        plural(w.tasks as usize, "task"),
        how(w),
        ms(total),
        if never > 0 { format!(", {never} never started") } else { String::new() }
    );
    sentence.push_str(&caller(w, log, timed_out));
    sentence.push_str(&format!(
        "At most {} in flight at once; the longest poll held the thread for {}.",
        plural(most as usize, "task"),
        ms(longest)
    ));
    let mut figures = vec![
        ("total_ms", total),
        ("tasks", f64::from(w.tasks)),
        ("started", tasks.len() as f64),
        ("done", done as f64),
        ("failed", failed as f64),
        ("cancelled", cancelled as f64),
        ("never_started", never as f64),
        ("max_in_flight", f64::from(most)),
        ("longest_poll_ms", longest),
        ("timed_out", if timed_out { 1.0 } else { 0.0 }),
    ];
    if let Some((_, at, _)) = log.first_error {
        figures.push(("first_error_ms", at));
    }
    Verdict { sentence, figures }
}
