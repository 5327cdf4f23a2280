//! Lesson: gather over real fetch. N requests awaited one by one take about N times
//! the server's delay; joined, about one delay — until the browser's own limit on
//! connections per host makes the rest queue.

use super::{Ctx, Lesson, Param, UrlsParam, Verdict};
use crate::num::fixed;
use crate::num::ms;
use crate::runtime::{get_json, now, try_join_all, Recorder};
use crate::Error;
use futures::future::FutureExt;
use wasm_bindgen::JsValue;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "gather-fetch",
    title: super::titles::GATHER_FETCH,
    text: &[
        "Each request asks the demo API for a user, who answers after the delay you choose. Awaited one at a time, a request starts only when the previous one has answered, so N requests take about N delays.",
        "Started together and joined, they are all out at once and the loop just waits for the last answer: about one delay. Over HTTP/1.1 a browser opens only about six connections per host, so past six requests the rest queue for a free one (the limit lesson measures this).",
    ],
    python: r#"import asyncio
import browser_http as aiohttp  # aiohttp's API over the browser's fetch

API = "«api»"

async def fetch_user(session, url):
    async with session.get(url) as response:
        return await response.json()

async def main():
    n, delay_ms = «requests», «delay-ms»
    urls = «urls|[f"{API}users/{i}?delay_ms={delay_ms}" for i in range(1, n + 1)]»
    async with aiohttp.ClientSession() as s:
        # one by one: about n delays
        for url in urls:
            await fetch_user(s, url)
        # together: about one delay
        await asyncio.gather(*(fetch_user(s, url) for url in urls))

asyncio.run(main())"#,
    source: excerpt!("gather_fetch.rs"),
    // (Rust line, Python line) where both await the same thing.
    awaits: &[(2, 7), (8, 16), (19, 18)],
    params: &[
        Param { key: "requests", label: "Requests", default: 3.0, min: 1.0, max: 100.0, unit: "" },
        Param { key: "delay-ms", label: "Server delay", default: 200.0, min: 0.0, max: 3_000.0, unit: "ms" },
    ],
    urls: Some(UrlsParam { key: "urls", label: "Your URLs (optional)", max: 20 }),
    run: |ctx| run(ctx).boxed_local(),
};

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
async fn fetch_user(url: String) -> Result<JsValue, Error> {
    get_json(&url).await // a real fetch: the loop runs other tasks until it answers
}

/// One by one: each request starts when the previous one has answered.
async fn one_by_one(rec: &Recorder, urls: Vec<String>) -> Result<(), Error> {
    for (i, url) in urls.into_iter().enumerate() {
        rec.spawn(format!("sequential: user {}", i + 1), fetch_user(url)).await?;
    }
    Ok(())
}

/// Together: every request starts now; try_join_all waits for the last answer.
#[rustfmt::skip]
async fn together(rec: &Recorder, urls: Vec<String>) -> Result<(), Error> {
    let requests = urls
        .into_iter()
        .enumerate()
        .map(|(i, url)| rec.spawn(format!("concurrent: user {}", i + 1), fetch_user(url)));
    try_join_all(requests).await?;
    Ok(())
}
// lesson:end

/// The reader's own URLs if given, else `n` demo-API URLs with distinct ids from
/// `first`, each answering after `delay` ms.
fn urls(ctx: &Ctx, first: u32, n: u32, delay: u32) -> Vec<String> {
    if !ctx.urls().is_empty() {
        return ctx.urls().to_vec();
    }
    (first..first + n).map(|id| ctx.api(&format!("users/{id}?delay_ms={delay}"))).collect()
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    if !ctx.urls().is_empty() {
        return run_own(ctx).await;
    }
    let (n, delay) = (ctx.num("requests") as u32, ctx.num("delay-ms") as u32);
    let t0 = now();
    one_by_one(&ctx.rec, urls(&ctx, 1, n, delay)).await?;
    let t1 = now();
    together(&ctx.rec, urls(&ctx, 101, n, delay)).await?;
    let t2 = now();
    let (seq, conc) = (t1 - t0, t2 - t1);
    let ratio = if conc > 0.0 { seq / conc } else { 1.0 };
    // Measured, not assumed: a Service Worker or HTTP/2 has no six-connection limit.
    let queued = if n > 6 && delay > 0 && conc > 1.5 * delay as f64 {
        " Together took several delays: the browser let about six requests out at a time and queued the rest for a free connection (see the limit lesson)."
    } else {
        ""
    };
    Ok(Verdict {
        sentence: format!(
            "{n} requests of {delay} ms: one by one {}, together {} — {}× faster.{queued}",
            ms(seq),
            ms(conc),
            fixed(ratio, 1)
        ),
        figures: vec![("sequential_ms", seq), ("concurrent_ms", conc), ("ratio", ratio)],
    })
}

/// The same two runs over the reader's own URLs: the server decides the delays.
async fn run_own(ctx: Ctx) -> Result<Verdict, Error> {
    let n = ctx.urls().len();
    let t0 = now();
    one_by_one(&ctx.rec, urls(&ctx, 0, 0, 0)).await?;
    let t1 = now();
    together(&ctx.rec, urls(&ctx, 0, 0, 0)).await?;
    let (seq, conc) = (t1 - t0, now() - t1);
    let ratio = if conc > 0.0 { seq / conc } else { 1.0 };
    Ok(Verdict {
        sentence: format!("{n} requests to your URLs: one by one {}, together {} — {}× faster.", ms(seq), ms(conc), fixed(ratio, 1)),
        figures: vec![("sequential_ms", seq), ("concurrent_ms", conc), ("ratio", ratio)],
    })
}
