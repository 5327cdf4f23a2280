//! The Python verdicts of the lessons that time tasks and sleeps, and the verdict
//! sentences their Rust runs share (each lesson file calls its `*_verdict`).

use super::reading::{frames_said, ratio, Measures, Tasks};
use super::Verdict;
use crate::num::{fixed, ms};
use crate::trace::{Cause, Kind, Record, TaskId};

// ---- sequential-vs-concurrent

/// The Python's run: main's first step to the gather's tasks (made at once), one after
/// another; from there to main's end, together.
pub fn sequential_vs_concurrent(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, greet) = (*t.named("main").first()?, *t.named("greet").first()?);
    let (t0, t1, t2) = (t.first_step(main)?, t.created(greet)?, t.end(main)?);
    Some(sequential_vs_concurrent_verdict(t1 - t0, t2 - t1))
}

/// The verdict on the two spans, sequential and concurrent (both runs).
pub fn sequential_vs_concurrent_verdict(seq: f64, conc: f64) -> Verdict {
    let speedup = ratio(seq, conc);
    Verdict {
        sentence: format!("sequential {}, concurrent {} — {}× faster.", ms(seq), ms(conc), fixed(speedup, 2)),
        figures: vec![("sequential_ms", seq), ("concurrent_ms", conc), ("speedup", speedup)],
    }
}

// ---- mental-model

/// The Python's run: the workers' steps, from main's first step to its end; and the
/// frames the page painted meanwhile.
pub fn mental_model(rec: &Record, m: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, workers) = (*t.named("main").first()?, t.named("worker"));
    if workers.is_empty() {
        return None;
    }
    let total = t.end(main)? - t.first_step(main)?;
    let steps = workers.iter().flat_map(|&w| t.steps(w)).collect();
    let mut v = mental_model_verdict(steps, workers.len() as u32, total);
    let (words, figures) = frames_said(rec, m);
    v.sentence += &words;
    v.figures.extend(figures);
    Some(v)
}

/// The verdict on the workers' steps `(start, end)`: never two at once, and how idle
/// the thread was in `total` ms.
pub fn mental_model_verdict(mut top: Vec<(f64, f64)>, tasks: u32, total: f64) -> Verdict {
    top.sort_by(|a, b| a.0.total_cmp(&b.0));
    let overlaps = top.windows(2).filter(|w| w[1].0 < w[0].1).count();
    let busy: f64 = top.iter().map(|p| p.1 - p.0).sum();
    let idle = if total > 0.0 { 100.0 * (1.0 - busy / total).max(0.0) } else { 0.0 };
    Verdict {
        sentence: format!(
            "{} polls of {} workers in {}: never two at once ({} overlaps); the thread ran {} and sat idle {}% of the time.",
            top.len(),
            tasks,
            ms(total),
            overlaps,
            ms(busy),
            fixed(idle, 0)
        ),
        figures: vec![
            ("polls", top.len() as f64),
            ("overlaps", overlaps as f64),
            ("busy_ms", busy),
            ("total_ms", total),
            ("idle_percent", idle),
        ],
    }
}

// ---- lazy

/// The Python's run: the task create_task made first ran on the loop's next turn; the
/// coroutine never awaited made no task at all, so the record has none for it.
pub fn lazy(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let spawned = *t.named("greet").first()?;
    let delay = t.first_step(spawned)? - t.created(spawned)?;
    let tasks = rec.tasks().len();
    Some(Verdict {
        sentence: format!(
            "The task create_task made first ran {} after it was made, on the loop's next turn; the awaited coroutine ran inside main, and the one never awaited never became a task: the record holds {tasks} tasks, main and the spawned one.",
            ms(delay)
        ),
        figures: vec![("spawn_to_first_poll_ms", delay)],
    })
}

// ---- create-task

/// The Python's run: awaited at once from main's first step to the task create_task
/// makes; in the background from there to main's end.
pub fn create_task(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, request) = (*t.named("main").first()?, *t.named("fetch_user").first()?);
    let made = t.created(request)?;
    Some(create_task_verdict(made - t.first_step(main)?, t.end(main)? - made))
}

/// The verdict on the two spans, awaited at once and in the background (both runs).
pub fn create_task_verdict(once: f64, later: f64) -> Verdict {
    Verdict {
        sentence: format!(
            "awaited at once {}; started in the background {} — the other work overlapped the request, {} saved.",
            ms(once),
            ms(later),
            ms((once - later).max(0.0))
        ),
        figures: vec![("at_once_ms", once), ("background_ms", later)],
    }
}

// ---- errors

/// The Python's run: its nine jobs, three per variant ((b), try_join_all, has no
/// asyncio form); each error reaches main at its first step after the failure.
pub fn errors(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, jobs) = (*t.named("main").first()?, t.named("job"));
    let [ga, gb, gc, ta, tb, tc, ca, cb, cc] = jobs[..] else { return None };
    let reached = |at: f64| t.steps(main).into_iter().map(|s| s.0).find(|&s| s >= at);
    let gather_ms = reached(t.end(gb)?)? - t.created(ga)?;
    let collect_end = [ca, cb, cc].iter().filter_map(|&j| t.end(j)).fold(f64::MIN, f64::max);
    let collect_ms = reached(collect_end)? - t.created(ca)?;
    let (gather, group) = (siblings(&t, [ga, gb, gc])?, siblings(&t, [ta, tb, tc])?);
    let failed = t.count(&[ca, cb, cc], Kind::Failed(0));
    Some(Verdict {
        sentence: format!(
            "gather: the error reached main after {}, and a and c ran on: {} of 2 done, the last {} after b failed. TaskGroup: {} of 2 cancelled, {} after b failed. return_exceptions=True: {failed} error among 3 outcomes, after {}. (b) has no asyncio form: Rust's try_join_all drops a and c at the failure.",
            ms(gather_ms), gather.done, ms(gather.after_ms), group.cancelled, ms(group.after_ms), ms(collect_ms)
        ),
        figures: vec![
            ("gather_error_ms", gather_ms),
            ("gather_siblings_done", gather.done as f64),
            ("gather_siblings_after_ms", gather.after_ms),
            ("task_group_cancelled", group.cancelled as f64),
            ("task_group_siblings_after_ms", group.after_ms),
            ("collect_all_ms", collect_ms),
            ("collect_all_failed", failed as f64),
        ],
    })
}

/// What became of a and c once b failed.
pub struct Siblings {
    /// How many of the two ended done.
    pub done: usize,
    /// How many were cancelled.
    pub cancelled: usize,
    /// How long after b's failure the later of the two ended.
    pub after_ms: f64,
}

/// The fate of siblings a and c of b, all three tasks of one variant.
pub fn siblings(t: &Tasks, [a, b, c]: [TaskId; 3]) -> Option<Siblings> {
    let failed = t.end(b)?;
    let last = t.end(a)?.max(t.end(c)?);
    Some(Siblings { done: t.count(&[a, c], Kind::Done), cancelled: t.count(&[a, c], Kind::Cancelled), after_ms: last - failed })
}

// ---- context-manager

/// The Python's run: main cancels the task running use("cancelled") (a wake by main);
/// the task ends, cancelled, once its teardown, awaited in `finally`, is over.
pub fn context_manager(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, used) = (*t.named("main").first()?, *t.named("use").first()?);
    let cancel = t.wakes(used).into_iter().find(|w| w.1 == Cause::Task(main))?.0;
    let (end, kind) = t.outcome(used)?;
    let cancelled = kind == Kind::Cancelled;
    Some(Verdict {
        sentence: format!(
            "The task running use(\"cancelled\") was cancelled half-way through its body, ran its teardown (awaited in finally) and ended {} {} after the cancel; the success and the error ran theirs inside main, awaited like any other line.",
            if cancelled { "cancelled" } else { "not cancelled" },
            ms(end - cancel)
        ),
        figures: vec![("cancelled_body_cancelled", f64::from(u8::from(cancelled))), ("cancel_to_teardown_ms", end - cancel)],
    })
}
