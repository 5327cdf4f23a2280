//! The traced runtime: real tasks on the browser's event loop, every step recorded.
//!
//! Nothing here is a simulation. Tasks are spawned on `wasm-bindgen-futures`, the same
//! executor any Rust web app uses: one queue, drained in a microtask. Each task's future
//! is wrapped in a [`Traced`] that stamps every poll and every wake with
//! `performance.now()` into a [`Recorder`].
//!
//! | asyncio                               | Loop Lab                                  |
//! |---------------------------------------|-------------------------------------------|
//! | `asyncio.create_task(coro)`           | [`task`]`("name").spawn(fut)` / [`spawn`]  |
//! | `await task`                          | `handle.await` ([`JoinHandle`])           |
//! | `task.cancel()`                       | `drop(handle)`                            |
//! | `asyncio.sleep(0.1)`                  | [`sleep`]`(100.0).await`                  |
//! | `asyncio.timeout(1)` / `wait_for`     | [`timeout`]`(1000.0, fut).await`          |
//! | `aiohttp` `session.get(url)`          | [`get_json`]`(url).await`                 |
//! | `async for line in resp.content`      | [`get_lines`]`(url)` + `.next().await`    |
//! | `asyncio.gather(*aws)`                | [`join_all`] / [`try_join_all`]           |
//!
//! Timers follow asyncio's design rather than one browser timer per sleep: all sleeps
//! share one heap of deadlines and the browser is asked for a single wake-up, at the
//! earliest deadline (see [`timer`]).

pub mod body;
pub mod clock;
pub mod context;
pub mod fetch;
pub mod join;
pub mod probe;
pub mod recorder;
pub mod spawn;
pub mod stream;
pub mod timer;
pub mod traced;
pub mod visibility;
pub mod waits;

pub use body::Limits;
pub use clock::now;
pub use fetch::{get_json, get_json_with};
pub use join::JoinHandle;
pub use recorder::Recorder;
pub use spawn::{spawn, spawn_untraced, task, TaskBuilder};
pub use stream::{get_lines, get_lines_with, Lines};
pub use timer::{sleep, timeout, yield_now, Sleep};
pub use traced::{Outcome, Traced};
pub use waits::{join_all, try_join_all};
