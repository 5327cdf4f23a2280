//! Lesson: the mental model. One thread, many tasks: each runs until its next await,
//! then the loop runs another.

use super::reading::{frames_said, Measures, Tasks};
use super::{Ctx, Lesson, Param, Verdict};
use crate::num::fixed;
use crate::num::ms;
use crate::runtime::{join_all, now, sleep, Recorder};
use crate::trace::polls::polls;
use crate::trace::Record;
use futures::future::FutureExt;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "mental-model",
    title: super::titles::MENTAL_MODEL,
    text: &[
        "There is one thread. A task runs until it reaches an await on something not ready yet; then it hands the thread back to the event loop, which runs whichever task is ready next.",
        "Here each worker computes for a moment, then sleeps. Watch the loop lane at the top: the slices of different workers take turns and never overlap, and between them the thread sits idle while everyone waits.",
    ],
    python: r#"import asyncio, time

def busy(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass  # holds the thread: no other task runs

async def worker(steps, work, wait):
    for _ in range(steps):
        busy(work)                  # runs
        await asyncio.sleep(wait)   # hands the thread back

async def main():
    # worker i waits 30 ms, 45 ms, 60 ms…
    await asyncio.gather(*(
        worker(«steps», «work-ms/1000», 0.030 + 0.015 * i)
        for i in range(«tasks»)
    ))

asyncio.run(main())"#,
    source: excerpt!("mental_model.rs"),
    // (Rust line, Python line) where both await the same thing.
    awaits: &[(11, 11), (21, 15)],
    params: &[
        Param { key: "tasks", label: "Workers", default: 3.0, min: 1.0, max: 10.0, unit: "" },
        Param { key: "steps", label: "Steps each", default: 4.0, min: 1.0, max: 20.0, unit: "" },
        Param { key: "work-ms", label: "Work per step", default: 2.0, min: 0.0, max: 20.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
    python_verdict: Some(python_verdict),
};

// lesson:start
/// Computes for `ms` without awaiting: while this runs, nothing else can.
fn busy(ms: f64) {
    let end = now() + ms;
    while now() < end {}
}

/// Works a little, then awaits, `steps` times.
async fn worker(steps: u32, work_ms: f64, wait_ms: f64) {
    for _ in 0..steps {
        busy(work_ms); //           runs: holds the one thread
        sleep(wait_ms).await; //    awaits: hands the thread back to the loop
    }
}

/// Spawns the workers with different waits, so their turns interleave.
async fn take_turns(rec: &Recorder, tasks: u32, steps: u32, work_ms: f64) {
    let workers = (0..tasks).map(|i| {
        let wait_ms = 30.0 + 15.0 * f64::from(i);
        rec.spawn(format!("worker {}", char::from(b'A' + i as u8)), worker(steps, work_ms, wait_ms))
    });
    join_all(workers).await;
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, crate::Error> {
    let (tasks, steps) = (ctx.num("tasks") as u32, ctx.num("steps") as u32);
    let t0 = now();
    take_turns(&ctx.rec, tasks, steps, ctx.num("work-ms")).await;
    let total = now() - t0;
    let record = ctx.rec.record();
    let top = polls(&record).into_iter().filter(|p| p.depth == 0).map(|p| (p.start, p.end)).collect();
    Ok(verdict(top, tasks, total))
}

/// The Python's run: the workers' steps, from main's first step to its end; and the
/// frames the page painted meanwhile.
fn python_verdict(rec: &Record, m: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, workers) = (*t.named("main").first()?, t.named("worker"));
    if workers.is_empty() {
        return None;
    }
    let total = t.end(main)? - t.first_step(main)?;
    let steps = workers.iter().flat_map(|&w| t.steps(w)).collect();
    let mut v = verdict(steps, workers.len() as u32, total);
    let (words, figures) = frames_said(rec, m);
    v.sentence += &words;
    v.figures.extend(figures);
    Some(v)
}

/// The verdict on the workers' steps `(start, end)`: never two at once, and how idle
/// the thread was in `total` ms.
fn verdict(mut top: Vec<(f64, f64)>, tasks: u32, total: f64) -> Verdict {
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
