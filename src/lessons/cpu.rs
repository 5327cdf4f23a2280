//! The computing behind the CPU-bound lessons, and a Web Worker to move it into.
//!
//! [`busy_work`] is real computation (counting primes) that never awaits: while it
//! runs, the thread it runs on does nothing else. [`busy_work_in_worker`] runs the
//! same function in a Web Worker — the browser's `ProcessPoolExecutor`: a thread of
//! its own with its own event loop, spoken to only by messages. The worker
//! (`www/worker.js`) loads this same wasm module and calls [`busy_work`] there.
//!
//! | asyncio                                      | Loop Lab                         |
//! |----------------------------------------------|----------------------------------|
//! | `count_primes(0.3)` inside a coroutine       | [`busy_work`]`(300.0)`           |
//! | `await loop.run_in_executor(pool, f, 0.3)`   | [`busy_work_in_worker`]`(300.0)` |

use crate::runtime::now;
use crate::Error;
use js_sys::Promise;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Computes for `ms` milliseconds without awaiting: counts primes by trial division
/// until the time is up, and returns how many it found. The app exports it as
/// `busyWork` for `www/worker.js`.
pub fn busy_work(ms: f64) -> f64 {
    let end = now() + if ms.is_finite() { crate::num::clamp(ms, 0.0, 10_000.0) } else { 0.0 };
    let (mut n, mut found) = (2u64, 0u32);
    while now() < end {
        // Check the clock every 32 numbers: reading it costs more than a division.
        for _ in 0..32 {
            found += u32::from(is_prime(n));
            n += 1;
        }
    }
    f64::from(found)
}

fn is_prime(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}

thread_local! {
    static WORKER_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets where `www/worker.js` is (the app's `setWorkerUrl` export passes it on).
pub fn set_worker_url(url: String) {
    WORKER_URL.with(|u| *u.borrow_mut() = Some(url));
}

/// The worker's `message` and `error` handlers.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(Event)>);

/// A started worker. Dropping it terminates the worker (mid-computation, if a run is
/// cancelled) and only then frees the handlers the worker could have called.
struct Job {
    worker: Worker,
    handlers: Option<Handlers>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.terminate();
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
    }
}

/// Runs [`busy_work`]`(ms)` in a new Web Worker and awaits its answer. The worker is
/// started for this one job and terminated when the answer has come or the future is
/// dropped.
pub async fn busy_work_in_worker(ms: f64) -> Result<f64, Error> {
    let url = WORKER_URL
        .with(|u| u.borrow().clone())
        .ok_or_else(|| Error::Browser("the Web Worker's address is unknown: Loop Lab must be loaded through www/embed.js".into()))?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(&url, &options).map_err(Error::from_js)?;
    let mut job = Job { worker, handlers: None };
    // A Promise settled by the worker's first message (or error), awaited as a future.
    let answer = Promise::new(&mut |resolve, reject| {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &e.data());
        });
        let on_error = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from(worker_error(&e)));
        });
        job.worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        job.worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        job.handlers = Some((on_message, on_error));
    });
    job.worker.post_message(&JsValue::from(ms)).map_err(Error::from_js)?;
    let reply = JsFuture::from(answer).await.map_err(Error::from_js)?;
    reply.as_f64().ok_or_else(|| {
        let said = js_sys::Reflect::get(&reply, &JsValue::from_str("error")).ok().and_then(|e| e.as_string());
        Error::Browser(format!("the Web Worker failed: {}", said.unwrap_or_else(|| "no answer".into())))
    })
}

/// What a worker's `error` event says, for a reader.
fn worker_error(e: &Event) -> String {
    match e.dyn_ref::<ErrorEvent>().map(ErrorEvent::message).filter(|m| !m.is_empty()) {
        Some(message) => format!("the Web Worker failed: {message}"),
        None => "the Web Worker could not start (www/worker.js or the wasm module did not load)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes_are_primes() {
        let found: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(found, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    }

    #[test]
    fn busy_work_computes_for_the_time_asked() {
        let t = now();
        let primes = busy_work(5.0);
        assert!(now() - t >= 5.0);
        assert!(primes > 0.0);
        assert_eq!(busy_work(f64::NAN), 0.0, "a bad duration computes nothing");
    }
}
