//! Lesson: async context managers. Setup and teardown that await, with the teardown
//! run on success, on error and on cancellation — and what Rust, which has no async
//! Drop, needs to get there.

use super::{Ctx, Lesson, Param, Verdict};
use crate::num::ms;
use crate::runtime::{now, sleep, task, Recorder};
use crate::trace::state::{summarize, State, TaskSummary};
use crate::Error;
use futures::future::FutureExt;
use std::cell::Cell;

/// The lesson.
pub static LESSON: Lesson = Lesson {
    id: "context-manager",
    title: super::titles::CONTEXT_MANAGER,
    text: &[
        "async with awaits a setup, runs the body, and awaits the teardown whether the body returned, raised or was cancelled. Rust has no async Drop: a cancelled future is dropped at its await, and the only code that still runs is Drop, which cannot await.",
        "So the teardown is written out. with_conn awaits it after the body, on Ok and on Err alike; on cancellation the connection's Drop starts it as a task of its own. Below, the same connection is used three times: the body succeeds, fails, and is cancelled half-way; watch the teardown run each time, the last one on its own lane after the cancel.",
    ],
    python: r#"import asyncio
from contextlib import asynccontextmanager

@asynccontextmanager
async def connection(name):
    await asyncio.sleep(«setup-ms/1000»)  # setup: open
    try:
        yield name
    finally:
        await asyncio.sleep(«teardown-ms/1000»)  # teardown, always

async def query(conn):
    await asyncio.sleep(«work-ms/1000»)

async def bad_query(conn):
    await asyncio.sleep(«work-ms/2000»)
    raise RuntimeError("query failed")

async def use(name, body):
    async with connection(name) as conn:
        await body(conn)

async def main():
    await use("success", query)
    try:
        await use("error", bad_query)
    except RuntimeError:
        pass
    task = asyncio.create_task(use("cancelled", query))
    await asyncio.sleep(«setup-ms/1000» + «work-ms/2000»)  # half-way
    task.cancel()  # finally runs, and may await
    await asyncio.gather(task, return_exceptions=True)

asyncio.run(main())"#,
    source: excerpt!("context_manager.rs"),
    // (Rust line, Python line) where both await the same thing: the setup and the
    // teardown tasks are the two ends of `async with` (line 20).
    awaits: &[(17, 6), (24, 10), (40, 10), (54, 20), (57, 21), (60, 20), (66, 13), (71, 16), (80, 24), (82, 26), (85, 30)],
    params: &[
        Param { key: "setup-ms", label: "Setup", default: 100.0, min: 0.0, max: 2_000.0, unit: "ms" },
        Param { key: "work-ms", label: "Body", default: 300.0, min: 20.0, max: 5_000.0, unit: "ms" },
        Param { key: "teardown-ms", label: "Teardown", default: 100.0, min: 0.0, max: 2_000.0, unit: "ms" },
    ],
    urls: None,
    run: |ctx| run(ctx).boxed_local(),
};

/// How long each step takes, in ms.
#[derive(Clone, Copy)]
struct Times {
    open_ms: f64,
    work_ms: f64,
    close_ms: f64,
}

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
/// A connection. Opening and closing it each take a
/// round trip, so both must await.
struct Conn {
    name: &'static str,
    t: Times,
    closed: Cell<bool>,
    rec: Recorder,
}

impl Conn {
    /// The setup, awaited.
    #[rustfmt::skip]
    async fn open(
        rec: &Recorder,
        name: &'static str,
        t: Times,
    ) -> Result<Conn, Error> {
        sleep(t.open_ms).await;
        let closed = Cell::new(false);
        Ok(Conn { name, t, closed, rec: rec.clone() })
    }

    /// The teardown, awaited: `finally: await close()`.
    async fn close(&self) -> Result<(), Error> {
        sleep(self.t.close_ms).await;
        self.closed.set(true);
        Ok(())
    }
}

/// Drop runs on every path, cancellation included,
/// but it cannot await. So if the connection is still
/// open, it starts the teardown as a task of its own.
impl Drop for Conn {
    fn drop(&mut self) {
        if self.closed.get() {
            return; // closed with an await already
        }
        let (name, ms) = (self.name, self.t.close_ms);
        let lane = format!("{name}: teardown (Drop)");
        let teardown = async move { sleep(ms).await };
        self.rec.spawn(lane, teardown).detach();
    }
}

/// `async with`: setup, body, then the teardown,
/// whether the body returned Ok or Err.
#[rustfmt::skip]
async fn with_conn<T>(
    rec: Recorder,
    name: &'static str,
    t: Times,
    body: impl AsyncFnOnce(&Conn) -> Result<T, Error>,
) -> Result<T, Error> {
    let conn = task(format!("{name}: setup"))
        .wrap(Conn::open(&rec, name, t))
        .await?;
    let result = task(format!("{name}: body"))
        .wrap(body(&conn))
        .await; // Ok or Err: the teardown comes next
    task(format!("{name}: teardown"))
        .wrap(conn.close())
        .await?;
    result
}

async fn query(conn: &Conn) -> Result<(), Error> {
    sleep(conn.t.work_ms).await;
    Ok(())
}

async fn bad_query(conn: &Conn) -> Result<(), Error> {
    sleep(conn.t.work_ms / 2.0).await;
    Err(Error::Raised("query failed".into()))
}

/// Success, error, and a cancel half-way through the
/// body, by dropping its handle (`task.cancel()`).
async fn three_ways(rec: &Recorder, t: Times) {
    let r = || rec.clone();
    let ok = with_conn(r(), "success", t, query);
    let _ = rec.spawn("success", ok).await;
    let bad = with_conn(r(), "error", t, bad_query);
    let _ = rec.spawn("error", bad).await;
    let slow = with_conn(r(), "cancelled", t, query);
    let cancelled = rec.spawn("cancelled", slow);
    sleep(t.open_ms + t.work_ms / 2.0).await;
    drop(cancelled); // dropped at its await, Conn too
}
// lesson:end

async fn run(ctx: Ctx) -> Result<Verdict, Error> {
    let rec = &ctx.rec;
    let t = Times { open_ms: ctx.num("setup-ms"), work_ms: ctx.num("work-ms"), close_ms: ctx.num("teardown-ms") };
    three_ways(rec, t).await;
    // The teardown started by Drop is detached: wait (bounded) until it has run.
    let deadline = now() + t.close_ms + 1_000.0;
    while teardowns(rec) < 3 && now() < deadline {
        sleep(10.0).await;
    }
    let n = teardowns(rec);
    let state = |name: &str| task_summary(rec, name).map_or(State::Created, |s| s.state);
    let end = |name: &str| task_summary(rec, name).map(|s| s.end);
    let body = |name: &str| state(&format!("{name}: body"));
    let mut figures = vec![
        ("teardowns", f64::from(n)),
        ("success_body_done", f64::from(u8::from(body("success") == State::Done))),
        ("error_body_failed", f64::from(u8::from(body("error") == State::Failed))),
        ("cancelled_body_cancelled", f64::from(u8::from(body("cancelled") == State::Cancelled))),
    ];
    let mut sentence = format!(
        "{n} of 3 teardowns ran: after the body was {}, after it {}, and after it was {}",
        body("success").label(),
        body("error").label(),
        body("cancelled").label()
    );
    match (end("cancelled: body"), end("cancelled: teardown (Drop)")) {
        (Some(cancel), Some(done)) if n == 3 => {
            sentence += &format!(" — that last one on a lane of its own, done {} after the cancel.", ms(done - cancel));
            figures.push(("cancel_to_teardown_ms", done - cancel));
        }
        _ => sentence += ", but the teardown started by Drop did not finish in time.",
    }
    Ok(Verdict { sentence, figures })
}

/// How many teardown tasks finished.
fn teardowns(rec: &Recorder) -> u32 {
    let record = rec.record();
    let states = summarize(&record);
    let done = record.tasks().iter().zip(&states).filter(|(t, s)| t.name.contains("teardown") && s.state == State::Done);
    done.count() as u32
}

/// The summary of the task called `name`.
fn task_summary(rec: &Recorder, name: &str) -> Option<TaskSummary> {
    let record = rec.record();
    let mut states = summarize(&record);
    let i = record.tasks().iter().position(|t| t.name == name)?;
    Some(states.swap_remove(i))
}
