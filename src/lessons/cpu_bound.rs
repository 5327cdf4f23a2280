//! Lesson: CPU-bound work. A task that computes without awaiting holds the one thread:
//! timers fire late and the page stops painting. Two fixes, measured side by side:
//! yield to the loop every few milliseconds, or compute in a Web Worker.

use super::cpu::{busy_work, busy_work_in_worker};
use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{now, sleep, yield_now, Recorder};
use crate::trace::state::summarize;
use crate::Error;
use futures::future::{FutureExt, LocalBoxFuture};
use std::cell::Cell;
use std::rc::Rc;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "cpu-bound",
    title: super::titles::CPU_BOUND,
    text: &[
        "A ticker wants to run every 50 ms. Beside it, a task computes for 300 ms without a single await: for that whole poll the thread is taken, so the ticker's timer fires hundreds of milliseconds late and the page stops painting (watch the fps and lag meters). Concurrency cannot help here, because there is nothing to wait for.",
        "The first fix cuts the work into slices and yields between them with a real turn of the loop, sleep(0), which goes through a browser timer; yield_now would not do, since it only requeues the task as a microtask and the browser runs every microtask before any timer or paint. The second moves the work to a Web Worker, the browser's process pool: this same wasm module computes on another thread, and the page only awaits its answer.",
        "Each of those browser timers has a price that asyncio does not charge. A timer set from inside a timer's callback, once five are nested, waits at least 4 ms (the HTML standard says so, and Chromium and Firefox do it), and every sleep(0) of the sliced loop is such a timer. So the sliced work takes longer than the work itself: the verdict shares the extra time out over the yields, as measured in this run (a frame painted or a tick run in a yield's turn adds to it). CPython's asyncio.sleep(0) has no such floor: it is one turn of its loop, so the Python's slices cost little more than the work.",
    ],
    python: r#"import asyncio, time
from concurrent.futures import ProcessPoolExecutor

def count_primes(seconds):  # computes, never awaits
    end, n, found = time.perf_counter() + seconds, 2, 0
    while time.perf_counter() < end:
        root = int(n ** 0.5)
        found += all(n % d for d in range(2, root + 1))
        n += 1
    return found

async def ticker():
    while True:
        due = time.perf_counter() + 0.05
        await asyncio.sleep(0.05)
        late = time.perf_counter() - due
        print(f"tick, {late * 1000:.0f} ms late")

async def sliced(seconds, slice):
    for _ in range(round(seconds / slice)):
        count_primes(slice)
        await asyncio.sleep(0)  # one turn of the loop

async def main():
    work, slice = «work-ms/1000», «slice-ms/1000»
    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.1)
    count_primes(work)  # 1. the ticker: late by the work
    await sliced(work, slice)  # 2. the ticker: on time
    loop = asyncio.get_running_loop()
    try:  # 3. elsewhere: in another process
        with ProcessPoolExecutor() as pool:
            await loop.run_in_executor(pool, count_primes, work)
    except NotImplementedError:
        # A browser has no processes: Pyodide cannot start
        # the pool, and its loop runs an executor's work
        # inline, so here the ticker is late again. Under
        # CPython the pool computes elsewhere, on time.
        await loop.run_in_executor(None, count_primes, work)
    tick.cancel()

if __name__ == "__main__":  # the pool's processes import this file
    asyncio.run(main())"#,
    source: excerpt!("cpu_bound.rs"),
    // Line 40 awaits the worker: the runtime records no wait for it (an `other`).
    awaits: &[(5, 15), (31, 22)],
    params: &[
        Param { key: "work-ms", label: "Work", default: 300.0, min: 20.0, max: 1_000.0, unit: "ms" },
        Param { key: "slice-ms", label: "Yield every", default: 10.0, min: 1.0, max: 50.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

const TICK_MS: f64 = 50.0;

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
/// Ticks every 50 ms, keeping its worst lateness.
async fn ticker(worst: Rc<Cell<f64>>) {
    loop {
        let due = now() + TICK_MS;
        sleep(TICK_MS).await;
        worst.set(worst.get().max(now() - due));
    }
}

/// (1) Blocking: all the work in one poll. Nothing
/// else runs until it returns.
async fn blocking(ms: f64) -> Result<f64, Error> {
    Ok(busy_work(ms)) // counts primes; never awaits
}

/// (2) Yielding: a slice of work, then a real turn of
/// the event loop.
#[rustfmt::skip]
async fn yielding(
    ms: f64,
    slice_ms: f64,
) -> Result<f64, Error> {
    let (mut done, mut primes) = (0.0, 0.0);
    while done < ms {
        primes += busy_work(slice_ms.min(ms - done));
        done += slice_ms;
        // A browser timer: due timers fire and the page
        // paints before we go on (at least 4 ms, once
        // timers nest). yield_now() would not do: it
        // requeues this task as a microtask, and the
        // browser runs every microtask first.
        sleep(0.0).await;
    }
    Ok(primes)
}

/// (3) In a Web Worker: this same wasm on another
/// thread. Here we only await its answer.
async fn in_worker(ms: f64) -> Result<f64, Error> {
    // Dropped (cancelled), it terminates the worker.
    busy_work_in_worker(ms).await
}
// lesson:end

/// What one variant measured.
struct Measured {
    worst_lag: f64,
    work_ms: f64,
    result: Result<f64, Error>,
}

/// Runs `work` as task "`variant`: work" beside a ticker, with quiet ticks before and after.
/// (`work` is boxed so that the three variants share one copy of this code.)
async fn beside_ticker(rec: &Recorder, variant: &str, work: LocalBoxFuture<'static, Result<f64, Error>>) -> Measured {
    let worst = Rc::new(Cell::new(0.0));
    let tick = rec.spawn(format!("{variant}: ticker"), ticker(worst.clone()));
    sleep(2.0 * TICK_MS + 20.0).await; // two ticks on time first, to compare
    let t = now();
    let result = rec.spawn(format!("{variant}: work"), work).await;
    let work_ms = now() - t;
    sleep(2.0 * TICK_MS).await;
    drop(tick); // cancelled: the ticker's job is done
    yield_now().await; // the cancel is recorded on the executor's next turn
    Measured { worst_lag: worst.get(), work_ms, result }
}

/// What the sliced work's yields cost, read from the record.
struct YieldCost {
    /// How many times it awaited sleep(0): one per poll but the last.
    yields: u32,
    /// The time its polls ran: the computing itself.
    computing_ms: f64,
    /// The rest of its total, shared out over the yields.
    mean_ms: f64,
}

/// The cost of the yields of task "yielding: work", whose work took `total_ms` in all.
fn yield_cost(rec: &Recorder, total_ms: f64) -> YieldCost {
    let record = rec.record();
    let Some(t) = record.tasks().iter().position(|t| t.name == "yielding: work") else {
        return YieldCost { yields: 0, computing_ms: 0.0, mean_ms: 0.0 };
    };
    let task = &summarize(&record)[t];
    let yields = task.polls.saturating_sub(1);
    let mean_ms = if yields == 0 { 0.0 } else { (total_ms - task.run_ms) / f64::from(yields) };
    YieldCost { yields, computing_ms: task.run_ms, mean_ms }
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (rec, work, slice) = (&ctx.rec, ctx.num("work-ms"), ctx.num("slice-ms"));
    let b = beside_ticker(rec, "blocking", blocking(work).boxed_local()).await;
    let y = beside_ticker(rec, "yielding", yielding(work, slice).boxed_local()).await;
    let w = beside_ticker(rec, "worker", in_worker(work).boxed_local()).await;
    let cost = yield_cost(rec, y.work_ms);
    let mut sentence = format!(
        "The ticker was at most {} late while the work blocked (one poll of {}); {} late while it yielded every {}. Yielding has a price: the sliced work took {} in all, {} of it computing; the rest went to its {} yields: {} per sleep(0) on average, each a browser timer and whatever ran or painted in that turn.",
        ms(b.worst_lag), ms(b.work_ms), ms(y.worst_lag), ms(slice), ms(y.work_ms), ms(cost.computing_ms), cost.yields, ms(cost.mean_ms)
    );
    let mut figures = vec![
        ("blocking_max_lag_ms", b.worst_lag),
        ("blocking_ms", b.work_ms),
        ("yielding_max_lag_ms", y.worst_lag),
        ("yielding_ms", y.work_ms),
        ("yielding_computing_ms", cost.computing_ms),
        ("yields", f64::from(cost.yields)),
        ("sleep0_mean_ms", cost.mean_ms),
    ];
    match w.result {
        Ok(_) => {
            sentence += &format!(" In a Web Worker: {} late (the answer came after {}).", ms(w.worst_lag), ms(w.work_ms));
            figures.extend([("worker_max_lag_ms", w.worst_lag), ("worker_ms", w.work_ms)]);
        }
        Err(e) => sentence += &format!(" The Web Worker did not run: {e}."),
    }
    Ok(Verdict { sentence, figures })
}
