//! Lesson: limiting concurrency. Many requests, at most K in flight — and the
//! browser's own limit of about six connections per host, measured beside ours.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{get_json, now, try_join_all, Recorder};
use crate::trace::Kind;
use crate::Error;
use futures::future::FutureExt;
use futures::stream::{self, StreamExt};
use wasm_bindgen::JsValue;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "limit",
    title: super::titles::LIMIT,
    text: &[
        "Starting every request at once can swamp a server, or a rate limit. A semaphore (in Rust, buffer_unordered) lets at most K requests be out at once: each new one starts when a running one answers, so N requests take about N/K delays.",
        "The browser has a limit of its own: over HTTP/1.1 it opens about six connections per host and queues the rest. The second run sets no limit of ours, and its timeline shows that queue.",
    ],
    python: r#"import asyncio
import browser_http as aiohttp  # aiohttp's API over the browser's fetch

API = "«api»"

async def fetch_user(session, url):
    async with session.get(url) as response:
        return await response.json()

async def fetch_limited(session, sem, url):
    async with sem:  # at most k inside at once
        return await fetch_user(session, url)

def urls(first, n, delay_ms):
    return [f"{API}users/{i}?delay_ms={delay_ms}" for i in range(first, first + n)]

async def main():
    n, k, delay_ms = «requests», «k», «delay-ms»
    sem = asyncio.Semaphore(k)
    async with aiohttp.ClientSession() as s:
        # at most k at once: about n / k delays
        await asyncio.gather(
            *(fetch_limited(s, sem, u) for u in urls(1, n, delay_ms)))
        # no limit of ours: aiohttp would pool up to 100
        # connections; a browser opens about 6 per host
        await asyncio.gather(
            *(fetch_user(s, u) for u in urls(1001, n, delay_ms)))

asyncio.run(main())"#,
    source: excerpt!("limit.rs"),
    // (Rust line, Python line) where both await the same thing. The handles spawned on
    // line 9 are awaited through buffer_unordered, so waits on them are placed there.
    awaits: &[(2, 7), (9, 22), (11, 22), (23, 26)],
    params: &[
        Param { key: "requests", label: "Requests", default: 20.0, min: 1.0, max: 200.0, unit: "" },
        Param { key: "k", label: "At most", default: 3.0, min: 1.0, max: 50.0, unit: "in flight" },
        Param { key: "delay-ms", label: "Server delay", default: 200.0, min: 0.0, max: 3_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
async fn fetch_user(url: String) -> Result<JsValue, Error> {
    get_json(&url).await
}

/// At most `k` in flight: buffer_unordered starts the next request only when one of
/// the `k` running has answered, like `async with asyncio.Semaphore(k)`.
async fn limited(rec: &Recorder, urls: Vec<String>, k: usize) -> Result<(), Error> {
    let mut answers = stream::iter(urls.into_iter().enumerate())
        .map(|(i, url)| rec.spawn(format!("at most {k}: #{}", i + 1), fetch_user(url)))
        .buffer_unordered(k);
    while let Some(answer) = answers.next().await {
        answer?; // an error drops `answers`, cancelling the requests still out
    }
    Ok(())
}

/// No limit of ours: every request at once. The browser still applies its own.
#[rustfmt::skip]
async fn unlimited(rec: &Recorder, urls: Vec<String>) -> Result<(), Error> {
    let all = urls
        .into_iter()
        .enumerate()
        .map(|(i, url)| rec.spawn(format!("no limit: #{}", i + 1), fetch_user(url)));
    try_join_all(all).await?;
    Ok(())
}
// lesson:end

/// The most fetches of tasks named `prefix…` that were out at the same moment: started
/// (FetchStart) and not yet answered or aborted.
fn max_in_flight(rec: &Recorder, prefix: &str) -> u32 {
    let record = rec.record();
    let ours: Vec<bool> = record.tasks().iter().map(|t| t.name.starts_with(prefix)).collect();
    let (mut now, mut max) = (0u32, 0u32);
    for e in record.events().iter().filter(|e| ours.get(e.task as usize) == Some(&true)) {
        match e.kind {
            Kind::FetchStart => now += 1,
            Kind::FetchEnd { .. } | Kind::FetchAbort => now = now.saturating_sub(1),
            _ => {}
        }
        max = max.max(now);
    }
    max
}

/// "about 4 delays": a measured time in units of the server's delay.
fn rounds(took: f64, delay: u32) -> String {
    if delay == 0 {
        return String::new();
    }
    format!(", about {} delays", (took / delay as f64).round() as u32)
}

/// What the unlimited run says about the browser's own limit — measured, not assumed
/// (a Service Worker or HTTP/2 has no six-connection limit).
fn browser_note(n: u32, k: u32, delay: u32, open: f64) -> &'static str {
    if n <= 6 {
        "six or fewer fit the browser's six connections per host, so none had to queue"
    } else if delay > 0 && open > 1.5 * delay as f64 && k > 6 {
        "the browser let about six out per host and queued the rest, so allowing more than six did not help"
    } else if delay > 0 && open > 1.5 * delay as f64 {
        "the browser let about six out per host and queued the rest, even with no limit of ours"
    } else {
        "none queued: this API is not reached over HTTP/1.1 here, so the browser's six-per-host limit does not apply"
    }
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (n, k, delay) = (ctx.num("requests") as u32, ctx.num("k") as u32, ctx.num("delay-ms") as u32);
    let urls = |first: u32| -> Vec<String> { (first..first + n).map(|id| ctx.api(&format!("users/{id}?delay_ms={delay}"))).collect() };
    let t0 = now();
    limited(&ctx.rec, urls(1), k as usize).await?;
    let t1 = now();
    unlimited(&ctx.rec, urls(1001)).await?;
    let (total, open) = (t1 - t0, now() - t1);
    let (most, most_open) = (max_in_flight(&ctx.rec, "at most"), max_in_flight(&ctx.rec, "no limit"));
    let queued = browser_note(n, k, delay, open);
    let sentence = format!(
        "{n} requests of {delay} ms, at most {k} in flight: {}{}, never more than {most} out at once. No limit of ours: {}{} with {most_open} started together — {queued}.",
        ms(total),
        rounds(total, delay),
        ms(open),
        rounds(open, delay)
    );
    let figures = vec![
        ("total_ms", total),
        ("max_in_flight", most as f64),
        ("k", k as f64),
        ("unlimited_ms", open),
        ("unlimited_in_flight", most_open as f64),
    ];
    Ok(Verdict { sentence, figures })
}
