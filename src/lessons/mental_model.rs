//! Lesson: the mental model. One thread, many tasks: each runs until its next await,
//! then the loop runs another.

use super::{Ctx, Lesson, Param, Verdict};
use crate::runtime::{join_all, now, sleep, Recorder};
use crate::trace::polls::polls;
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
    Ok(crate::verdicts::timing::mental_model_verdict(top, tasks, total))
}
