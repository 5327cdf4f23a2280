//! The Python verdicts of the lessons about the loop's steps themselves: how late a
//! timer fires while sleep(0)s run, and what a CPU-bound step does to a ticker.

use super::reading::{frames_said, gaps, short, Measures, Tasks};
use super::Verdict;
use crate::num::ms;
use crate::trace::{Cause, Record};

// ---- microtasks

/// The Python's run: the timer task's timer wake says how late it fired; the gaps
/// between the steps of `steps` are its sleep(0)s; and the frames painted meanwhile.
pub fn microtasks(rec: &Record, m: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (timer, steps) = (*t.named("timer").first()?, *t.named("steps").first()?);
    let late = t.wakes(timer).iter().find_map(|w| if let Cause::Timer { late_ms } = w.1 { Some(f64::from(late_ms)) } else { None })?;
    let (yields, sleep0) = gaps(&t.steps(steps));
    let (words, frames) = frames_said(rec, m);
    let mut figures = vec![("macrotask_timer_late_ms", late), ("macrotask_steps", yields as f64), ("sleep0_mean_ms", sleep0)];
    figures.extend(frames);
    Some(Verdict {
        sentence: format!(
            "The 20 ms timer fired {} late, while the loop ran: {yields} sleep(0)s, {} each on average. Pyodide's sleep(0) is no browser timer (no 4 ms floor): its loop posts the step as a message.{words}",
            ms(late),
            short(sleep0)
        ),
        figures,
    })
}

// ---- cpu-bound

/// The Python's run, in main's steps: step 1 computes the whole work (blocking), the
/// steps after it each compute a slice and await sleep(0) (the first slice is in step
/// 1), the last runs the executor's work inline. A tick counts in the phase it was due
/// in: before the blocking step ended, before the executor's step, or after.
pub fn cpu_bound(rec: &Record, m: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, ticker) = (*t.named("main").first()?, *t.named("ticker").first()?);
    let steps = t.steps(main);
    if steps.len() < 3 {
        return None;
    }
    let (block, last) = (steps[1], steps[steps.len() - 1]);
    let timer =
        |w: &(f64, Cause)| if let Cause::Timer { late_ms } = w.1 { Some((w.0 - f64::from(late_ms), f64::from(late_ms))) } else { None };
    let due: Vec<(f64, f64)> = t.wakes(ticker).iter().filter_map(timer).collect();
    let worst = |from: f64, to: f64| due.iter().filter(|d| d.0 >= from && d.0 < to).map(|d| d.1).reduce(f64::max);
    let sliced = &steps[1..];
    let (yields, sleep0) = gaps(sliced);
    let computing: f64 = sliced[1..sliced.len() - 1].iter().map(|s| s.1 - s.0).sum();
    let (blocked, yielded) = (worst(f64::MIN, block.1).unwrap_or(0.0), worst(block.1, last.0).unwrap_or(0.0));
    // main cancels the ticker in the executor's step: a tick due in it never fires.
    let inline = worst(last.0, f64::MAX);
    let (words, frames) = frames_said(rec, m);
    let after = match inline {
        Some(late) => format!("the ticker was {} late again", ms(late)),
        None => "the ticker's next tick came due meanwhile and never fired: main cancelled it first".to_string(),
    };
    let sentence = format!(
        "The ticker was at most {} late while the work blocked (one step of {}); {} late while it yielded ({} sleep(0)s, {} of computing between them). Each sleep(0) took {} on average: Pyodide posts the step as a message, no browser timer and no 4 ms floor. The executor ran its work inline, in one step of {} (a browser has no processes): {after}.{words}",
        ms(blocked), ms(block.1 - block.0), ms(yielded), yields, ms(computing), short(sleep0), ms(last.1 - last.0)
    );
    let mut figures = vec![
        ("blocking_max_lag_ms", blocked),
        ("blocking_ms", block.1 - block.0),
        ("yielding_max_lag_ms", yielded),
        ("yielding_ms", last.0 - block.1),
        ("yielding_computing_ms", computing),
        ("yields", yields as f64),
        ("sleep0_mean_ms", sleep0),
        ("worker_ms", last.1 - last.0),
    ];
    figures.extend(inline.map(|late| ("worker_max_lag_ms", late)));
    figures.extend(frames);
    Some(Verdict { sentence, figures })
}
