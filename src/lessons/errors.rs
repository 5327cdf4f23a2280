//! Lesson: errors among concurrent tasks. Fail-fast or collect-all, and what happens
//! to the siblings of the task that failed.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::fixed;
use crate::num::ms;
use crate::runtime::{join_all, now, sleep, try_join_all, JoinHandle, Recorder};
use crate::trace::state::{summarize, State};
use crate::trace::TaskId;
use crate::verdicts::reading::Tasks;
use crate::Error;
use futures::future::FutureExt;
use futures::stream::{FuturesUnordered, StreamExt};

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "errors",
    title: super::titles::ERRORS,
    text: &[
        "Three tasks run together; b fails part-way. Four ways to wait for them differ in when the error reaches you and in what happens to a and c.",
        "asyncio.gather raises at the first error but does not cancel the others: they run on, unwatched. Rust's try_join_all returns the error at once and drops the other tasks, which cancels them. A TaskGroup cancels them explicitly. Waiting for every outcome (return_exceptions=True, or join_all over Results) reports the error only at the end, next to the results.",
    ],
    python: r#"import asyncio

async def job(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError(f"{name} failed")
    return name

T = «fail-ms/1000»  # b fails after T s; a ends at 2T, c at 3T
jobs = lambda: [job("a", 2 * T), job("b", T, fail=True), job("c", 3 * T)]

async def main():
    try:                                   # (a) fail-fast; a and c keep running
        await asyncio.gather(*jobs())
    except RuntimeError:
        pass
    await asyncio.sleep(3 * T + 0.02)      # … to their end: see them finish
    # (b) has no asyncio form: it is Rust's try_join_all, which drops a and c
    try:                                   # (c) TaskGroup cancels a and c
        async with asyncio.TaskGroup() as tg:
            for j in jobs():
                tg.create_task(j)
    except* RuntimeError:
        pass
    # (d) collect every outcome
    results = await asyncio.gather(*jobs(), return_exceptions=True)

asyncio.run(main())"#,
    source: excerpt!("errors.rs"),
    // (Rust line, Python line) where both await the same thing. Line 31 has none: (b)
    // has no asyncio form, as the Python says. The spawns (lines 12-14) have none either:
    // (a) and (c) await the same handles where the Python has a gather and a TaskGroup.
    awaits: &[(2, 4), (20, 14), (37, 20), (50, 26)],
    params: &[Param { key: "fail-ms", label: "b fails after", default: 100.0, min: 0.0, max: 5_000.0, unit: "ms" }],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
async fn job(name: &'static str, delay_ms: f64, fail: bool) -> Result<&'static str, Error> {
    sleep(delay_ms).await;
    if fail {
        return Err(Error::Raised(format!("{name} failed")));
    }
    Ok(name)
}

/// Spawns a, b (fails) and c, each named after the variant.
fn start(rec: &Recorder, variant: &str, fail_ms: f64) -> Vec<JoinHandle<Result<&'static str, Error>>> {
    vec![
        rec.spawn(format!("{variant}: a"), job("a", 2.0 * fail_ms, false)),
        rec.spawn(format!("{variant}: b"), job("b", fail_ms, true)),
        rec.spawn(format!("{variant}: c"), job("c", 3.0 * fail_ms, false)),
    ]
}

/// (a) Like gather: the first error returns at once; the others run on, detached.
async fn gather_style(mut tasks: FuturesUnordered<JoinHandle<Result<&'static str, Error>>>) -> Result<(), Error> {
    while let Some(result) = tasks.next().await {
        if let Err(e) = result {
            tasks.into_iter().for_each(JoinHandle::detach); // not cancelled
            return Err(e);
        }
    }
    Ok(())
}

/// (b) try_join_all: the first error drops the other handles, cancelling them.
async fn try_join_all_style(tasks: Vec<JoinHandle<Result<&'static str, Error>>>) -> Result<(), Error> {
    try_join_all(tasks).await.map(drop)
}

/// (c) Like a TaskGroup: on the first error, cancel every sibling explicitly.
async fn task_group_style(tasks: Vec<JoinHandle<Result<&'static str, Error>>>) -> Result<(), Error> {
    let mut group: FuturesUnordered<_> = tasks.into_iter().collect();
    while let Some(result) = group.next().await {
        if let Err(e) = result {
            for sibling in group.into_iter() {
                drop(sibling); // cancel: dropped at its current await
            }
            return Err(e);
        }
    }
    Ok(())
}

/// (d) Collect all: every outcome, errors included, at the end.
async fn collect_all(tasks: Vec<JoinHandle<Result<&'static str, Error>>>) -> Vec<Result<&'static str, Error>> {
    join_all(tasks).await
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (rec, fail) = (&ctx.rec, ctx.num("fail-ms"));
    let t = now();
    let _ = gather_style(start(rec, "gather", fail).into_iter().collect()).await;
    let gather_ms = now() - t;
    sleep(3.0 * fail + 20.0).await; // let a and c finish on their own, to show they ran on
    let t = now();
    let _ = try_join_all_style(start(rec, "try_join_all", fail)).await;
    let try_ms = now() - t;
    let t = now();
    let _ = task_group_style(start(rec, "task group", fail)).await;
    let group_ms = now() - t;
    let t = now();
    let failed = collect_all(start(rec, "collect-all", fail)).await.iter().filter(|r| r.is_err()).count();
    let collect_ms = now() - t;
    let count = |variant: &str, state: State| {
        let record = rec.record();
        let s = summarize(&record);
        record.tasks().iter().zip(&s).filter(|(t, s)| t.name.starts_with(variant) && s.state == state).count() as f64
    };
    let (ran_on, cancelled, group_cancelled) =
        (count("gather:", State::Done), count("try_join_all:", State::Cancelled), count("task group:", State::Cancelled));
    let record = rec.record();
    let tasks = Tasks::of(&record);
    let after = |variant: &str| {
        let abc = ["a", "b", "c"].map(|n| tasks.named(&format!("{variant}: {n}")).first().copied().unwrap_or(TaskId::MAX));
        crate::verdicts::timing::siblings(&tasks, abc).map_or(0.0, |s| s.after_ms)
    };
    Ok(Verdict {
        sentence: format!(
            "gather-style: error after {}, {} siblings ran on to the end; try_join_all: error after {}, {} siblings cancelled; task group: error after {}, {} cancelled; collect-all: {failed} error among 3 outcomes, after {}.",
            ms(gather_ms), fixed(ran_on, 0), ms(try_ms), fixed(cancelled, 0), ms(group_ms), fixed(group_cancelled, 0), ms(collect_ms)
        ),
        figures: vec![
            ("gather_error_ms", gather_ms),
            ("gather_siblings_done", ran_on),
            ("gather_siblings_after_ms", after("gather")),
            ("try_join_all_error_ms", try_ms),
            ("try_join_all_cancelled", cancelled),
            ("try_join_all_siblings_after_ms", after("try_join_all")),
            ("task_group_cancelled", group_cancelled),
            ("task_group_siblings_after_ms", after("task group")),
            ("collect_all_ms", collect_ms),
            ("collect_all_failed", failed as f64),
        ],
    })
}
