//! Lesson: timeouts. A deadline races the work; when the timer wins, the work is
//! cancelled — and a request in flight is really aborted, not just ignored.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{get_json, sleep, timeout, Recorder};
use crate::trace::state::{summarize, State};
use crate::trace::Kind;
use crate::Error;
use futures::future::{join_all, select, Either, FutureExt};
use wasm_bindgen::JsValue;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "timeout",
    title: super::titles::TIMEOUT,
    text: &[
        "Two requests get the same deadline: one answers in time, the other is too slow. When the deadline passes first, the slow request is cancelled at its await, and its fetch is aborted, so the browser drops the connection instead of waiting for an answer nobody will read.",
        "asyncio.timeout and wait_for are two spellings of one idea: race the work against a timer. In Rust it is timeout(), or the race written out with select. Both run below.",
    ],
    python: r#"async def with_block(session, url, deadline):
    try:
        # asyncio.timeout: Python 3.11+
        async with asyncio.timeout(deadline):
            return await fetch_json(session, url)
    except TimeoutError:
        return None  # the request was cancelled

async def with_wait_for(session, url, deadline):
    try:
        return await asyncio.wait_for(
            fetch_json(session, url), deadline)
    except TimeoutError:
        return None

async def main():
    fast = f"{API}/users/1?delay_ms=100"
    slow = f"{API}/users/2?delay_ms=1000"
    async with aiohttp.ClientSession() as s:
        await asyncio.gather(
            with_block(s, fast, 0.3),
            with_block(s, slow, 0.3),
            with_wait_for(s, fast, 0.3),
            with_wait_for(s, slow, 0.3),
        )"#,
    source: excerpt!("timeout.rs"),
    awaits: &[],
    params: &[
        Param { key: "deadline-ms", label: "Deadline", default: 300.0, min: 0.0, max: 10_000.0, unit: "ms" },
        Param { key: "fast-ms", label: "Fast request", default: 100.0, min: 0.0, max: 10_000.0, unit: "ms" },
        Param { key: "slow-ms", label: "Slow request", default: 1000.0, min: 0.0, max: 10_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// lesson:start
/// asyncio.timeout / wait_for: if the deadline passes first, the request future is
/// dropped, which aborts its fetch, and the answer is Err(Timeout).
async fn with_timeout(url: String, deadline_ms: f64) -> Result<JsValue, Error> {
    timeout(deadline_ms, get_json(&url)).await?
}

/// The same race, written out: whichever finishes first wins; the loser is dropped.
async fn with_select(url: String, deadline_ms: f64) -> Result<JsValue, Error> {
    let request = Box::pin(get_json(&url));
    match select(request, sleep(deadline_ms)).await {
        Either::Left((answer, _timer)) => answer, // the timer is dropped: cleared
        Either::Right(((), request)) => {
            drop(request); // cancelled at its await: the fetch is aborted
            Err(Error::Timeout { after_ms: deadline_ms })
        }
    }
}
// lesson:end

/// Spawns the fast and the slow request of one variant; ids keep the four apart.
fn start(ctx: &Ctx, variant: &'static str, first_id: u32) -> Vec<crate::runtime::JoinHandle<Result<JsValue, Error>>> {
    let deadline = ctx.num("deadline-ms");
    let mut handles = Vec::new();
    for (i, (label, key)) in [("fast", "fast-ms"), ("slow", "slow-ms")].into_iter().enumerate() {
        let url = ctx.api(&format!("users/{}?delay_ms={}", first_id + i as u32, ctx.num(key) as u32));
        let name = format!("{variant}: {label}");
        handles.push(match variant {
            "select" => ctx.rec.spawn(name, with_select(url, deadline)),
            _ => ctx.rec.spawn(name, with_timeout(url, deadline)),
        });
    }
    handles
}

/// What became of one task: (how long it lived, its outcome, whether its fetch was aborted).
fn fate(rec: &Recorder, prefix: &str) -> (f64, State, bool) {
    let record = rec.record();
    let s = summarize(&record);
    let Some(t) = record.tasks().iter().position(|t| t.name.starts_with(prefix)) else {
        return (0.0, State::Created, false);
    };
    let aborted = record.events().iter().any(|e| e.task == t as u32 && e.kind == Kind::FetchAbort);
    (s[t].end - s[t].created, s[t].state, aborted)
}

/// "answered after 104 ms" or "timed out after 301 ms, fetch aborted".
fn words((took, state, aborted): (f64, State, bool)) -> String {
    match (state, aborted) {
        (State::Done, _) => format!("answered after {}", ms(took)),
        (_, true) => format!("timed out after {}, its fetch aborted", ms(took)),
        (_, false) => format!("{} after {}", state.label(), ms(took)),
    }
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let mut handles = start(&ctx, "timeout()", 1);
    handles.extend(start(&ctx, "select", 3));
    join_all(handles).await; // each outcome is in the record; a timeout is not a failed run
    let (fast, slow) = (fate(&ctx.rec, "timeout(): fast"), fate(&ctx.rec, "timeout(): slow"));
    let (sel_fast, sel_slow) = (fate(&ctx.rec, "select: fast"), fate(&ctx.rec, "select: slow"));
    Ok(Verdict {
        sentence: format!(
            "Deadline {}. timeout(): the fast request {}; the slow one {}. select: the fast one {}; the slow one {}.",
            ms(ctx.num("deadline-ms")),
            words(fast),
            words(slow),
            words(sel_fast),
            words(sel_slow)
        ),
        figures: vec![
            ("in_time_ms", fast.0),
            ("timed_out_at_ms", slow.0),
            ("aborted", if slow.2 { 1.0 } else { 0.0 }),
            ("select_aborted", if sel_slow.2 { 1.0 } else { 0.0 }),
        ],
    })
}
