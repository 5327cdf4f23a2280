//! Lesson: results in completion order. gather hands back every result at once, in
//! the order asked; as_completed hands each one over the moment it arrives.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{get_json, join_all, now, JoinHandle};
use crate::Error;
use futures::future::FutureExt;
use futures::stream::{FuturesUnordered, StreamExt};

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "as-completed",
    title: super::titles::AS_COMPLETED,
    text: &[
        "Three requests answer after different delays. gather (join_all) returns their results in the order they were asked for, all together, once the slowest has answered.",
        "as_completed (in Rust, a FuturesUnordered) yields each result as soon as it arrives, so the quickest answer is handled first, while the others are still on their way.",
    ],
    python: r#"import asyncio
import browser_http as aiohttp  # aiohttp's API over the browser's fetch

API = "«api»"

async def fetch_user(session, user_id, delay_ms):
    url = f"{API}users/{user_id}?delay_ms={delay_ms}"
    async with session.get(url) as response:
        return await response.json()

def handle(user):
    print("handled user", user["id"])

async def main():
    delays = [«first-ms», «second-ms», «third-ms»]
    async with aiohttp.ClientSession() as s:
        # gather: input order, once all are in
        users = await asyncio.gather(
            *(fetch_user(s, i, d) for i, d in enumerate(delays, 1)))
        for user in users:
            handle(user)
        # as_completed: each as soon as it arrives
        requests = [fetch_user(s, i, d) for i, d in enumerate(delays, 4)]
        for next_done in asyncio.as_completed(requests):
            handle(await next_done)

asyncio.run(main())"#,
    source: excerpt!("as_completed.rs"),
    // (Rust line, Python line) where both await the same thing.
    awaits: &[(5, 8), (11, 18), (20, 25)],
    params: &[
        Param { key: "first-ms", label: "Request 1", default: 300.0, min: 0.0, max: 5_000.0, unit: "ms" },
        Param { key: "second-ms", label: "Request 2", default: 100.0, min: 0.0, max: 5_000.0, unit: "ms" },
        Param { key: "third-ms", label: "Request 3", default: 200.0, min: 0.0, max: 5_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
type Request = JoinHandle<Result<usize, Error>>;

/// One request; it answers with its own number, to tell the answers apart.
async fn request(number: usize, url: String) -> Result<usize, Error> {
    get_json(&url).await?;
    Ok(number)
}

/// gather / join_all: every answer at once, in the order asked.
async fn in_input_order(requests: Vec<Request>, handled: &mut Vec<(usize, f64)>) -> Result<(), Error> {
    for answer in join_all(requests).await {
        handled.push((answer?, now())); // handle it: here, note which and when
    }
    Ok(())
}

/// as_completed / FuturesUnordered: each answer the moment it arrives.
async fn in_completion_order(requests: Vec<Request>, handled: &mut Vec<(usize, f64)>) -> Result<(), Error> {
    let mut pending: FuturesUnordered<Request> = requests.into_iter().collect();
    while let Some(answer) = pending.next().await {
        handled.push((answer?, now()));
    }
    Ok(())
}
// lesson:end

/// Spawns the three requests of one variant, with ids from `first_id`.
fn start(ctx: &Ctx, variant: &str, first_id: u32) -> Vec<Request> {
    ["first-ms", "second-ms", "third-ms"]
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let delay = ctx.num(key) as u32;
            let url = ctx.api(&format!("users/{}?delay_ms={delay}", first_id + i as u32));
            ctx.rec.spawn(format!("{variant}: {}", i + 1), request(i + 1, url))
        })
        .collect()
}

/// "2 (100 ms), 3 (200 ms), 1 (300 ms) — the first after 104 ms".
fn order(ctx: &Ctx, handled: &[(usize, f64)], t0: f64) -> String {
    let keys = ["first-ms", "second-ms", "third-ms"];
    let numbers: Vec<String> = handled.iter().map(|(n, _)| format!("{n} ({} ms)", ctx.num(keys[n - 1]) as u32)).collect();
    let first = handled.first().map_or(0.0, |(_, t)| t - t0);
    format!("{}, the first after {}", numbers.join(", "), ms(first))
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (mut gathered, mut completed) = (Vec::new(), Vec::new());
    let t0 = now();
    in_input_order(start(&ctx, "gather", 1), &mut gathered).await?;
    let t1 = now();
    in_completion_order(start(&ctx, "as_completed", 4), &mut completed).await?;
    let first = |h: &[(usize, f64)], t: f64| h.first().map_or(0.0, |(_, at)| at - t);
    Ok(Verdict {
        sentence: format!("gather handled requests {}; as_completed handled {}.", order(&ctx, &gathered, t0), order(&ctx, &completed, t1)),
        figures: vec![
            ("gather_first_handled_ms", first(&gathered, t0)),
            ("as_completed_first_handled_ms", first(&completed, t1)),
            ("as_completed_first_request", completed.first().map_or(0.0, |(n, _)| *n as f64)),
        ],
    })
}
