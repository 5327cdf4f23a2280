//! Lesson: coroutines are lazy. Calling an async fn builds a future and runs nothing;
//! Rust futures are lazier still than Python's tasks.

use super::{Ctx, Lesson, Verdict};
use crate::num::ms;
use crate::runtime::{sleep, task, Recorder};
use crate::trace::state::{summarize, TaskSummary};
use crate::Error;
use futures::future::FutureExt;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "lazy",
    title: super::titles::LAZY,
    text: &[
        "Calling an async function runs none of its body: it only builds a future (Python: a coroutine object) describing the work. Something must drive it.",
        "Python's create_task hands the coroutine to the loop, which starts it on its next turn. A Rust future is lazier: it does nothing at all until it is spawned onto the executor or awaited. The first lane below was created and never polled — zero polls, dropped unrun.",
    ],
    python: r#"import asyncio

async def greet(name):
    await asyncio.sleep(0.05)
    return f"Hello, {name}"

async def main():
    coro = greet("lazy")                  # nothing runs
    task = asyncio.create_task(greet("spawned"))  # starts at the next loop turn
    await greet("awaited")                # runs now, inside main
    await task
    await asyncio.sleep(0.05)  # the coroutine is still untouched
    coro.close()  # never awaited: Python would warn "coroutine was never awaited"

asyncio.run(main())"#,
    source: excerpt!("lazy.rs"),
    // (Rust line, Python line) where both await the same thing.
    awaits: &[(2, 4), (10, 9), (12, 10), (14, 12)],
    params: &[],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
async fn greet(name: &'static str) -> Result<&'static str, Error> {
    sleep(50.0).await;
    Ok(name)
}

async fn three_futures(rec: &Recorder) -> Result<(), Error> {
    // 1. Calling greet() builds a future. Nothing runs, now or later.
    let lazy = task("created, never awaited").recorder(rec).wrap(greet("lazy"));
    // 2. Spawning hands it to the executor: it starts on the loop's next turn.
    let spawned = rec.spawn("spawned", greet("spawned"));
    // 3. Awaiting polls it right here, as part of the caller.
    task("awaited").recorder(rec).wrap(greet("awaited")).await?;
    spawned.await?;
    sleep(50.0).await; // the lazy future is still untouched
    drop(lazy); //        dropped without ever being polled
    Ok(())
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    three_futures(&ctx.rec).await?;
    let record = ctx.rec.record();
    let s = summarize(&record);
    let find = |name: &str| -> Option<TaskSummary> {
        let id = record.tasks().iter().position(|t| t.name == name)?;
        s.get(id).cloned()
    };
    let (lazy, spawned) = (find("created, never awaited"), find("spawned"));
    let lazy_polls = lazy.as_ref().map_or(0, |t| t.polls);
    let delay = spawned.as_ref().and_then(|t| t.first_poll.map(|p| p - t.created)).unwrap_or(0.0);
    Ok(Verdict {
        sentence: format!(
            "The spawned task first ran {} after it was spawned, on the loop's next turn; the awaited one ran at once, inside its caller; the unawaited future was polled {} times and dropped unrun.",
            ms(delay), lazy_polls
        ),
        figures: vec![("never_awaited_polls", f64::from(lazy_polls)), ("spawn_to_first_poll_ms", delay)],
    })
}
