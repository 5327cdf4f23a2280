//! Lesson: create_task. Start a background task now, do other work, await it later —
//! instead of awaiting it at once and doing the other work after.

use super::{Ctx, Lesson, Param, Verdict};
use crate::runtime::{get_json, now, sleep, task, Recorder};
use crate::Error;
use futures::future::FutureExt;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "create-task",
    title: super::titles::CREATE_TASK,
    text: &[
        "Awaiting a request at once means the code after it waits too, even when that code does not need the answer yet.",
        "Starting the request as a task first (asyncio.create_task; in Rust, spawn) lets it run in the background while the caller gets on with other work, and the caller awaits the task only where it needs the result. Both shapes run below with the same request and the same other work.",
    ],
    python: r#"import asyncio
import browser_http as aiohttp  # aiohttp's API over the browser's fetch

URL = "«api»users/1?delay_ms=«request-ms»"

async def fetch_user(session):
    async with session.get(URL) as response:
        return await response.json()

async def prepare_page():
    await asyncio.sleep(«work-ms/1000»)  # the other work

async def main():
    async with aiohttp.ClientSession() as s:
        # awaited at once: the other work starts after the request ends
        user = await fetch_user(s)
        await prepare_page()

        # started now, awaited later: the two overlap
        task = asyncio.create_task(fetch_user(s))
        await prepare_page()
        user = await task

asyncio.run(main())"#,
    source: excerpt!("create_task.rs"),
    // (Rust line, Python line) where both await the same thing. On line 15 the request
    // task's fetch and main's wait on its handle share a line; the fetch is the one a
    // run records (main is not a task), so it maps to create_task(fetch_user(s)).
    awaits: &[(3, 11), (8, 16), (9, 17), (15, 20), (16, 21)],
    params: &[
        Param { key: "request-ms", label: "Request takes", default: 400.0, min: 0.0, max: 10_000.0, unit: "ms" },
        Param { key: "work-ms", label: "Other work takes", default: 300.0, min: 0.0, max: 10_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
/// The other work: here, waiting on something else (a timer).
async fn prepare_page(work_ms: f64) {
    sleep(work_ms).await;
}

/// Awaited at once: the other work waits for the request.
async fn at_once(url: String, work_ms: f64) -> Result<(), Error> {
    task("at once: request").spawn(async move { get_json(&url).await }).await?;
    task("at once: other work").wrap(prepare_page(work_ms)).await;
    Ok(())
}

/// Started now, awaited later: the request runs while the other work does.
async fn in_background(url: String, work_ms: f64) -> Result<(), Error> {
    let request = task("background: request").spawn(async move { get_json(&url).await });
    task("background: other work").wrap(prepare_page(work_ms)).await;
    request.await?; // only now do we need the answer
    Ok(())
}
// lesson:end

/// Runs `variant` as the task `name` of `rec`, returning how long it took.
async fn timed(
    rec: &Recorder,
    name: &'static str,
    variant: impl std::future::Future<Output = Result<(), Error>> + 'static,
) -> Result<f64, Error> {
    let t0 = now();
    rec.spawn(name, variant).await?;
    Ok(now() - t0)
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let work = ctx.num("work-ms");
    let url = ctx.api(&format!("users/1?delay_ms={}", ctx.num("request-ms") as u32));
    let once = timed(&ctx.rec, "at once: main", at_once(url.clone(), work)).await?;
    let later = timed(&ctx.rec, "background: main", in_background(url, work)).await?;
    Ok(crate::verdicts::timing::create_task_verdict(once, later))
}
