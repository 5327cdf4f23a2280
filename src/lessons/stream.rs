//! Lesson: async iterators. A streamed response read row by row as each row arrives,
//! while another task keeps ticking beside it.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{get_lines, now, sleep};
use crate::Error;
use futures::future::FutureExt;
use futures::StreamExt;
use std::cell::Cell;
use std::rc::Rc;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "stream",
    title: super::titles::STREAM,
    text: &[
        "The demo API sends one JSON row at a time, with a pause between rows, in a single response. An async iterator hands over each row the moment it arrives instead of waiting for the whole body.",
        "Between rows the reading task waits, and the loop is free: a ticker task beside it keeps running on time. In Rust the iterator is a Stream, read with rows.next().await in a while-let loop: Python's async for.",
    ],
    python: r#"import asyncio, json, time
import browser_http as aiohttp  # aiohttp's API over the browser's fetch

async def read_rows(session, url):
    arrived = []
    async with session.get(url) as response:
        # one row as soon as it arrives
        async for line in response.content:
            row = json.loads(line)
            arrived.append(time.perf_counter())
    return arrived

async def ticker(period):
    while True:
        await asyncio.sleep(period)

async def main():
    url = "«api»stream?rows=«rows»&interval_ms=«interval-ms»"
    async with aiohttp.ClientSession() as session:
        tick = asyncio.create_task(ticker(«tick-ms/1000»))
        await read_rows(session, url)
        tick.cancel()

asyncio.run(main())"#,
    source: excerpt!("stream.rs"),
    // (Rust line, Python line) where both await the same thing. Every wait of a
    // get_lines stream, its rows included, is placed at the get_lines line (3): most are
    // rows, so it maps to the `async for`.
    awaits: &[(3, 8), (5, 8), (15, 15)],
    params: &[
        Param { key: "rows", label: "Rows", default: 5.0, min: 1.0, max: 100.0, unit: "" },
        Param { key: "interval-ms", label: "One row every", default: 200.0, min: 0.0, max: 1_000.0, unit: "ms" },
        Param { key: "tick-ms", label: "Ticker period", default: 100.0, min: 10.0, max: 1_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
/// `async for row in rows`: each row is handled as soon as it arrives.
async fn read_rows(url: String) -> Result<Vec<f64>, Error> {
    let mut rows = get_lines(&url); // a Stream over the chunked body
    let mut arrived = Vec::new();
    while let Some(row) = rows.next().await {
        let _row = row?; // e.g. {"row":1,"of":5}; the next is not here yet
        arrived.push(now());
    }
    Ok(arrived)
}

/// Another task beside the reader: it runs whenever the reader waits.
async fn ticker(period_ms: f64, ticks: Rc<Cell<u32>>) {
    loop {
        sleep(period_ms).await;
        ticks.set(ticks.get() + 1);
    }
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let (rows, interval) = (ctx.num("rows") as u32, ctx.num("interval-ms") as u32);
    let url = ctx.api(&format!("stream?rows={rows}&interval_ms={interval}"));
    let ticks = Rc::new(Cell::new(0));
    let ticking = ctx.rec.spawn("ticker", ticker(ctx.num("tick-ms"), ticks.clone()));
    let t0 = now();
    let arrived = ctx.rec.spawn("rows", read_rows(url)).await?;
    drop(ticking); // cancel the ticker: the rows are in
    let (first, last) = match (arrived.first(), arrived.last()) {
        (Some(f), Some(l)) => (f - t0, l - t0),
        _ => (0.0, 0.0),
    };
    let n = arrived.len();
    Ok(Verdict {
        sentence: format!(
            "{n} rows arrived one by one, the first after {}, the last after {}; meanwhile the ticker ticked {} time{}.",
            ms(first),
            ms(last),
            ticks.get(),
            if ticks.get() == 1 { "" } else { "s" }
        ),
        figures: vec![("rows", n as f64), ("first_row_ms", first), ("last_row_ms", last), ("ticks", ticks.get() as f64)],
    })
}
