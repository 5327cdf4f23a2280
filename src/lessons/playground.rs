//! The playground: a reader composes a workload — N tasks, each running the same
//! steps (sleep, request, compute, raise), awaited one of five ways, optionally at most
//! K at once and under a timeout — and runs it on the traced runtime. The run is
//! recorded and shown like any lesson's; the verdict gives the figures of that run.
//!
//! The playground is not a [`Lesson`](super::Lesson): it has no fixed run and no
//! numeric parameters. It is [`ABOUT`] (what the page says and shows) plus [`run`],
//! which runs whatever workload the reader composed. Its form, the share link and
//! the Copy-link button live in the app (`app/playground/`), which builds them on the
//! view's DOM helpers.
//!
//! - [`workload`] and [`fields`]: the model, its text form (`#w=` share links), the
//!   checks; pure Rust, tested natively.
//! - [`verdict`]: the measured figures, in words.

pub mod fields;
#[cfg(test)]
mod tests;
pub mod verdict;
pub mod workload;

use super::cpu::busy_work;
use super::{About, Ctx, Verdict};
use crate::runtime::{get_json, now, sleep, timeout, Recorder};
use crate::Error;
use futures::future::FutureExt;
use futures::stream::{self, Stream, StreamExt};
use std::rc::Rc;
use verdict::{verdict, Log};
use workload::{Join, Step, Workload};

/// The playground, as the page shows it (it is not one of the numbered lessons).
pub static ABOUT: About = About {
    id: "playground",
    title: super::titles::PLAYGROUND,
    text: &[
        "Compose a workload and run it: how many tasks, the steps each one takes, how they are awaited, how many may run at once and how long they get. A duration can be a range such as 100-500, which gives each task its own. Share the link to show someone the same workload.",
    ],
    python: PYTHON,
    source: excerpt!("playground.rs"),
    // (Rust line, Python line) where both await the same thing. The handles spawned on
    // line 45 are awaited through buffer_unordered, so waits on them are placed there.
    awaits: &[(6, 11), (9, 15), (11, 15), (32, 23), (45, 42), (54, 42)],
};

const PYTHON: &str = r#"import asyncio, time

def busy(seconds):  # computing that never awaits
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass

async def one_task(i, session, steps):
    for kind, *args in steps:
        if kind == "sleep":
            await asyncio.sleep(args[0] / 1000)
        elif kind in ("api", "fetch"):
            url = (f"{API}/users/{i + 1}?delay_ms={args[0]}"
                   if kind == "api" else args[0])
            async with session.get(url) as response:
                await response.json()
        elif kind == "cpu":
            busy(args[0] / 1000)
        elif kind == "cpuy":
            end = time.perf_counter() + args[0] / 1000
            while time.perf_counter() < end:
                busy(args[1] / 1000)
                await asyncio.sleep(0)  # a turn of the loop
        elif kind == "fail" and (i + 1) % args[0] == 0:
            raise RuntimeError(f"task {i + 1} raised an error")
    return i

async def main(session, n, steps, k=None, deadline=None):
    sem = asyncio.Semaphore(k or n)  # at most k at once

    async def limited(i):
        async with sem:
            return await one_task(i, session, steps)

    async with asyncio.timeout(deadline):  # None: no deadline
        jobs = [limited(i) for i in range(n)]
        # join_all:     await asyncio.gather(*jobs)
        # collect_all:  await asyncio.gather(*jobs, return_exceptions=True)
        # try_join_all: a TaskGroup, which cancels the rest at an error
        # as_completed: for job in asyncio.as_completed(jobs): await job
        # sequential:   for i in range(n): await one_task(i, session, steps)
        await asyncio.gather(*jobs)"#;

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
/// One task: the workload's steps, in order. Task `i` asks
/// the demo API for user i + 1.
#[rustfmt::skip]
async fn one_task(i: u32, w: Rc<Workload>, api: Rc<str>) -> Result<u32, Error> {
    for step in &w.steps {
        match step {
            Step::Sleep(d) => sleep(d.for_task(i).into()).await,
            Step::Api(d) => {
                let ms = d.for_task(i);
                get_json(&format!("{api}users/{}?delay_ms={ms}", i + 1)).await?;
            }
            Step::Fetch(url) => drop(get_json(url).await?),
            Step::Cpu(d) => drop(busy_work(d.for_task(i).into())), // holds the thread
            Step::CpuYield(d, every) => {
                compute_yielding(d.for_task(i).into(), (*every).into()).await
            }
            Step::Fail(n) if (i + 1) % n == 0 => {
                return Err(Error::Raised(format!("task {} raised an error", i + 1)))
            }
            Step::Fail(_) => {}
        }
    }
    Ok(i)
}

/// Computes for `ms`, giving the loop a real turn every `every` ms:
/// sleep(0) is a browser timer, so other timers fire and the page
/// paints (yield_now would not let them).
async fn compute_yielding(ms: f64, every: f64) {
    let end = now() + ms;
    while now() < end {
        busy_work(every.min(end - now()));
        sleep(0.0).await;
    }
}

type Outcome = (u32, Result<u32, Error>);

/// Starts the tasks, at most `at_once` running (as a semaphore would
/// allow), and yields each outcome as it arrives. Dropping the stream
/// cancels every task still running; the rest never start.
fn start(rec: Recorder, w: Rc<Workload>, api: Rc<str>, at_once: usize) -> impl Stream<Item = Outcome> {
    stream::iter(0..w.tasks)
        .map(move |i| {
            let task = one_task(i, w.clone(), api.clone());
            rec.spawn(format!("task {}", i + 1), task).map(move |r| (i, r))
        })
        .buffer_unordered(at_once)
}

/// Awaits the outcomes as the join mode says, noting each one as the
/// caller gets it.
async fn await_all(mode: Join, outcomes: impl Stream<Item = Outcome>, log: &mut Log) {
    let mut outcomes = std::pin::pin!(outcomes);
    while let Some((i, result)) = outcomes.next().await {
        let failed = result.is_err();
        log.note(i, result);
        if failed && matches!(mode, Join::Sequential | Join::TryJoinAll) {
            // `?` in a loop, or try_join_all: returning drops
            // `outcomes`, which cancels the tasks still running.
            return;
        }
        // join_all (gather) raises at the first error too, but the
        // other tasks run on: keep watching them. collect_all and
        // as_completed want every outcome anyway.
    }
}
// lesson:end

/// Runs workload `w` into the context's recorder; the verdict gives what was measured.
pub async fn run(ctx: Ctx, w: Workload) -> Result<Verdict, Error> {
    let at_once = match w.join {
        Join::Sequential => 1,
        _ => w.limit.unwrap_or(w.tasks).max(1) as usize,
    };
    let (w, api) = (Rc::new(w), Rc::<str>::from(ctx.api("")));
    let mut log = Log::new(now());
    let outcomes = start(ctx.rec.clone(), w.clone(), api, at_once);
    let timed_out = match w.timeout_ms {
        Some(t) => timeout(f64::from(t), await_all(w.join, outcomes, &mut log)).await.is_err(),
        None => {
            await_all(w.join, outcomes, &mut log).await;
            false
        }
    };
    let total = now() - log.t0;
    Ok(verdict(&w, &ctx.rec, &log, total, timed_out))
}
