//! Lesson: microtasks and macrotasks. A future that wakes itself is requeued as a
//! microtask, and the browser drains every microtask before it fires a timer or
//! paints: the task "awaits", yet timers and painting starve.

use super::cpu::busy_work;
use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{now, sleep, yield_now, Recorder};
use crate::verdicts::reading::{gaps, short, Tasks};
use crate::Error;
use futures::future::{join, FutureExt, LocalBoxFuture};
use std::cell::Cell;
use std::rc::Rc;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "microtasks",
    title: super::titles::MICROTASKS,
    text: &[
        "The browser's loop has two queues. After each macrotask (a timer firing, a click, a message) it runs every queued microtask, including the ones those queue, and only then fires the next timer or paints a frame. Promise callbacks are microtasks, and so is a Rust task woken by its own waker: yield_now puts the task straight back in that queue.",
        "Below, a 20 ms timer is set, then a loop computes in 2 ms steps and awaits yield_now after each: it does await, yet the timer fires only when the loop is over, and no frame is painted meanwhile. Awaiting sleep(0) instead goes through a browser timer, a macrotask, so the 20 ms timer fires on time; each such yield waits for that browser timer, held to at least 4 ms once timers nest.",
        "asyncio's sleep(0) is like the second, without its cost. CPython's loop has one queue, and sleep(0) is one turn of it: the callbacks already ready run, timers that are due fire and ready sockets are read, then the task goes on. There is no 4 ms floor, and nothing is painted, since CPython has no page.",
    ],
    python: r#"import asyncio, time

def busy(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass

async def timer():
    due = time.perf_counter() + 0.020
    await asyncio.sleep(0.020)
    late = time.perf_counter() - due
    print(f"timer: {late * 1000:.0f} ms late")

async def steps(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        busy(0.002)
        # asyncio has one queue: sleep(0) is one turn
        # of the loop, due timers included, with no
        # 4 ms floor. In a browser, awaiting a resolved
        # Promise (a microtask) lets no timer fire.
        await asyncio.sleep(0)

async def main():
    await asyncio.gather(timer(), steps(«loop-ms/1000»))

asyncio.run(main())"#,
    source: excerpt!("microtasks.rs"),
    awaits: &[(4, 10), (15, 22), (26, 22), (41, 25), (42, 25)],
    params: &[Param { key: "loop-ms", label: "Loop runs for", default: 200.0, min: 20.0, max: 1_000.0, unit: "ms" }],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

const STEP_MS: f64 = 2.0;

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
/// Sleeps 20 ms and keeps how late it woke up.
async fn timer(late: Rc<Cell<f64>>) {
    let due = now() + 20.0;
    sleep(20.0).await;
    late.set(now() - due);
}

/// Computes in 2 ms steps for `ms`, awaiting a
/// microtask yield after each: other ready tasks run
/// in between, but timers and painting never do.
async fn microtask_steps(ms: f64) -> Result<u32, Error> {
    let (end, mut steps) = (now() + ms, 0);
    while now() < end {
        busy_work(STEP_MS);
        yield_now().await; // back of the microtask queue
        steps += 1;
    }
    Ok(steps)
}

/// The same, awaiting a macrotask: a 0 ms timer.
async fn macrotask_steps(ms: f64) -> Result<u32, Error> {
    let (end, mut steps) = (now() + ms, 0);
    while now() < end {
        busy_work(STEP_MS);
        sleep(0.0).await; // timers fire, the page paints
        steps += 1;
    }
    Ok(steps)
}

/// Sets the 20 ms timer, then starts the loop.
/// Returns how late the timer was, and the steps.
#[rustfmt::skip]
async fn race(
    rec: &Recorder,
    variant: &str,
    steps: LocalBoxFuture<'static, Result<u32, Error>>,
) -> (f64, u32) {
    let late = Rc::new(Cell::new(0.0));
    let name = format!("{variant}: timer");
    let t = rec.spawn(name, timer(late.clone()));
    let l = rec.spawn(format!("{variant}: loop"), steps);
    let (_, steps) = join(t, l).await;
    (late.get(), steps.unwrap_or(0))
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (rec, loop_ms) = (&ctx.rec, ctx.num("loop-ms"));
    let (micro_late, micro_steps) = race(rec, "microtask", microtask_steps(loop_ms).boxed_local()).await;
    sleep(100.0).await; // a pause between the two runs, to tell them apart
    let (macro_late, macro_steps) = race(rec, "macrotask", macrotask_steps(loop_ms).boxed_local()).await;
    let record = rec.record();
    let tasks = Tasks::of(&record);
    let sleep0 = tasks.named("macrotask: loop").first().map_or(0.0, |&l| gaps(&tasks.steps(l)).1);
    Ok(Verdict {
        sentence: format!(
            "With yield_now the 20 ms timer fired {} late: only after the {} loop ({micro_steps} steps). With sleep(0) it fired {} late ({macro_steps} steps: each real yield waits for a browser timer, {} per sleep(0) on average).",
            ms(micro_late), ms(loop_ms), ms(macro_late), short(sleep0)
        ),
        figures: vec![
            ("microtask_timer_late_ms", micro_late),
            ("macrotask_timer_late_ms", macro_late),
            ("microtask_steps", f64::from(micro_steps)),
            ("macrotask_steps", f64::from(macro_steps)),
            ("sleep0_mean_ms", sleep0),
        ],
    })
}
