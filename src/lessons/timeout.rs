//! Lesson: timeouts. A deadline races the work; when the timer wins, the work is
//! cancelled — and a request in flight is really aborted, not just ignored. Like the
//! Python beside it, each task catches the timeout and returns `None`, so it ends
//! *done*; the cancelled request shows in the record as its fetch's `FetchAbort`.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{get_json, sleep, timeout, JoinHandle, Recorder};
use crate::trace::state::summarize;
use crate::trace::Kind;
use crate::Error;
use futures::future::{select, Either, FutureExt};
use futures::join;
use wasm_bindgen::JsValue;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "timeout",
    title: super::titles::TIMEOUT,
    text: &[
        "Two requests get the same deadline: one answers in time, the other is too slow. When the deadline passes first, the slow request is cancelled at its await, and its fetch is aborted, so the browser drops the connection instead of waiting for an answer nobody will read.",
        "asyncio.timeout and wait_for are two spellings of one idea: race the work against a timer. In Rust it is timeout(), or the race written out with select. Both run below.",
        "As in the Python, each task catches the timeout and returns None (in Rust, Ok(None)): the slow task ends done, not failed. What was cancelled is the request inside it, and the verdict counts the fetches aborted.",
    ],
    python: r#"import asyncio
import browser_http as aiohttp  # aiohttp's API over the browser's fetch

API = "«api»"

async def fetch_json(session, url):
    async with session.get(url) as response:
        return await response.json()

async def with_block(session, url, deadline):
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
    fast, slow = «fast-ms», «slow-ms»  # the server's delays, ms
    deadline = «deadline-ms/1000»
    async with aiohttp.ClientSession() as s:
        await asyncio.gather(
            with_block(s, f"{API}users/1?delay_ms={fast}", deadline),
            with_block(s, f"{API}users/2?delay_ms={slow}", deadline),
            with_wait_for(s, f"{API}users/3?delay_ms={fast}", deadline),
            with_wait_for(s, f"{API}users/4?delay_ms={slow}", deadline),
        )

asyncio.run(main())"#,
    source: excerpt!("timeout.rs"),
    awaits: &[(8, 14), (22, 21), (23, 20)],
    params: &[
        Param { key: "deadline-ms", label: "Deadline", default: 300.0, min: 0.0, max: 10_000.0, unit: "ms" },
        Param { key: "fast-ms", label: "Fast request", default: 100.0, min: 0.0, max: 10_000.0, unit: "ms" },
        Param { key: "slow-ms", label: "Slow request", default: 1000.0, min: 0.0, max: 10_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
/// asyncio.timeout: if the deadline passes first, the
/// request future is dropped, which aborts its fetch,
/// and timeout() answers Err(Timeout).
#[rustfmt::skip]
async fn with_timeout(
    url: String,
    deadline_ms: f64,
) -> Result<Option<JsValue>, Error> {
    match timeout(deadline_ms, get_json(&url)).await {
        Ok(answer) => Ok(Some(answer?)), // in time
        // except TimeoutError: the request was cancelled
        Err(Error::Timeout { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The same race, written out: whichever finishes
/// first wins; the loser is dropped.
#[rustfmt::skip]
async fn with_select(
    url: String,
    deadline_ms: f64,
) -> Result<Option<JsValue>, Error> {
    let request = Box::pin(get_json(&url));
    match select(request, sleep(deadline_ms)).await {
        // In time: the timer is dropped, so cleared.
        Either::Left((answer, _timer)) => Ok(Some(answer?)),
        // The deadline won: the request is cancelled
        // at its await, and its fetch is aborted.
        Either::Right(((), request)) => {
            drop(request);
            Ok(None)
        }
    }
}
// lesson:end

/// What one task returns: its answer, or None when the deadline passed first.
type Answer = Result<Option<JsValue>, Error>;

/// Spawns the fast and the slow request of one variant; ids keep the four apart.
fn start(ctx: &Ctx, variant: &'static str, first_id: u32) -> [JoinHandle<Answer>; 2] {
    let deadline = ctx.num("deadline-ms");
    [(0, "fast", "fast-ms"), (1, "slow", "slow-ms")].map(|(i, label, key)| {
        let url = ctx.api(&format!("users/{}?delay_ms={}", first_id + i, ctx.num(key) as u32));
        let name = format!("{variant}: {label}");
        match variant {
            "select" => ctx.rec.spawn(name, with_select(url, deadline)),
            _ => ctx.rec.spawn(name, with_timeout(url, deadline)),
        }
    })
}

/// What became of one task.
struct Fate {
    /// How long it lived, from its creation to its outcome.
    took: f64,
    /// What it returned.
    answer: Answer,
    /// How many of its fetches were aborted (the record's `FetchAbort` events).
    aborted: usize,
}

/// The fate of the task whose name starts with `prefix`, given what it returned.
fn fate(rec: &Recorder, prefix: &str, answer: Answer) -> Fate {
    let record = rec.record();
    let Some(t) = record.tasks().iter().position(|t| t.name.starts_with(prefix)) else {
        return Fate { took: 0.0, answer, aborted: 0 };
    };
    let summary = &summarize(&record)[t];
    let aborted = record.events().iter().filter(|e| e.task == t as u32 && e.kind == Kind::FetchAbort).count();
    Fate { took: summary.end - summary.created, answer, aborted }
}

/// "answered after 104 ms" or "timed out after 301 ms and was cancelled, its fetch aborted".
fn words(f: &Fate) -> String {
    match (&f.answer, f.aborted) {
        (Ok(Some(_)), _) => format!("answered after {}", ms(f.took)),
        (Ok(None), 0) => format!("timed out after {} and was cancelled", ms(f.took)),
        (Ok(None), _) => format!("timed out after {} and was cancelled, its fetch aborted", ms(f.took)),
        (Err(e), _) => format!("failed after {}: {e}", ms(f.took)),
    }
}

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let ([fast, slow], [sel_fast, sel_slow]) = (start(&ctx, "timeout()", 1), start(&ctx, "select", 3));
    let answers = join!(fast, slow, sel_fast, sel_slow); // each task catches its own timeout
    let fates = [
        fate(&ctx.rec, "timeout(): fast", answers.0),
        fate(&ctx.rec, "timeout(): slow", answers.1),
        fate(&ctx.rec, "select: fast", answers.2),
        fate(&ctx.rec, "select: slow", answers.3),
    ];
    let [fast, slow, sel_fast, sel_slow] = &fates;
    let timed_out = fates.iter().filter(|f| matches!(f.answer, Ok(None))).count();
    let aborted: usize = fates.iter().map(|f| f.aborted).sum();
    Ok(Verdict {
        sentence: format!(
            "Deadline {}. timeout(): the fast request {}; the slow one {}. select: the fast one {}; the slow one {}. {timed_out} of 4 timed out; each caught the timeout and returned None, so it ended done, as in Python; {aborted} {} aborted in all.",
            ms(ctx.num("deadline-ms")),
            words(fast),
            words(slow),
            words(sel_fast),
            words(sel_slow),
            if aborted == 1 { "fetch" } else { "fetches" }
        ),
        figures: vec![
            ("in_time_ms", fast.took),
            ("timed_out_at_ms", slow.took),
            ("aborted", slow.aborted as f64),
            ("select_aborted", sel_slow.aborted as f64),
            ("timed_out", timed_out as f64),
            ("fetches_aborted", aborted as f64),
        ],
    })
}
