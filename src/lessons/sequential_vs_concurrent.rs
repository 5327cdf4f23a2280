//! Lesson: sequential vs concurrent. Awaiting one greeting after another takes the
//! sum of the waits; joining them takes the longest.

use super::{Ctx, Lesson, Param, Verdict};
use crate::runtime::{now, sleep, try_join_all, Recorder};
use crate::Error;
use futures::future::FutureExt;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "sequential-vs-concurrent",
    title: super::titles::SEQUENTIAL_VS_CONCURRENT,
    text: &[
        "Alice's greeting waits 1 second, Bob's 2. Awaited one after the other, the second wait only starts when the first is over: about 3 seconds in all.",
        "Started together and joined, both waits overlap. The loop has nothing to run while they sleep, so the pair takes as long as the longest, about 2 seconds. Both runs are measured below, on one timeline.",
    ],
    python: r#"import asyncio

async def greet(name, delay):
    await asyncio.sleep(delay)
    return f"Hello, {name}"

async def main():
    # one after another: the sum of the waits
    await greet("Alice", «alice-ms/1000»)
    await greet("Bob", «bob-ms/1000»)
    # together: the longest wait
    await asyncio.gather(greet("Alice", «alice-ms/1000»), greet("Bob", «bob-ms/1000»))

asyncio.run(main())"#,
    source: excerpt!("sequential_vs_concurrent.rs"),
    // (Rust line, Python line) where both await the same thing.
    awaits: &[(2, 4), (8, 9), (9, 10), (17, 12)],
    params: &[
        Param { key: "alice-ms", label: "Alice waits", default: 1000.0, min: 0.0, max: 10_000.0, unit: "ms" },
        Param { key: "bob-ms", label: "Bob waits", default: 2000.0, min: 0.0, max: 10_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
async fn greet(name: &str, delay_ms: f64) -> Result<String, Error> {
    sleep(delay_ms).await; // the loop runs other tasks meanwhile
    Ok(format!("Hello, {name}"))
}

/// One after another: Bob's wait starts when Alice's is over.
async fn one_after_another(rec: &Recorder, alice: f64, bob: f64) -> Result<(), Error> {
    rec.spawn("sequential: Alice", greet("Alice", alice)).await?;
    rec.spawn("sequential: Bob", greet("Bob", bob)).await?;
    Ok(())
}

/// Together: both start now; try_join_all waits for the slower one.
async fn together(rec: &Recorder, alice: f64, bob: f64) -> Result<(), Error> {
    let a = rec.spawn("concurrent: Alice", greet("Alice", alice));
    let b = rec.spawn("concurrent: Bob", greet("Bob", bob));
    try_join_all([a, b]).await?;
    Ok(())
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (alice, bob) = (ctx.num("alice-ms"), ctx.num("bob-ms"));
    let t0 = now();
    one_after_another(&ctx.rec, alice, bob).await?;
    let t1 = now();
    together(&ctx.rec, alice, bob).await?;
    Ok(crate::verdicts::timing::sequential_vs_concurrent_verdict(t1 - t0, now() - t1))
}
