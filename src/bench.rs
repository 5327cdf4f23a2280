//! Benchmark entry points, called by `bench/bench.js` in the same page and the same
//! run as the plain-JavaScript baselines they are compared with. Each returns the
//! measured wall time in milliseconds, from before the first spawn to after the last
//! task completed.

use crate::runtime::{get_json, now, sleep, spawn_untraced, task, Recorder};
use crate::trace::DEFAULT_CAP;
use crate::Error;
use futures::future::join_all;
use wasm_bindgen::prelude::*;

/// `n` tasks that each sleep `delay_ms`, all joined. Traced unless `traced` is false.
#[wasm_bindgen(js_name = benchTimers)]
pub async fn bench_timers(n: u32, delay_ms: f64, traced: bool) -> f64 {
    let start = now();
    if traced {
        let rec = Recorder::with_cap(DEFAULT_CAP);
        let handles: Vec<_> = (0..n)
            .map(|_| task("sleep").recorder(&rec).spawn(async move { sleep(delay_ms).await }))
            .collect();
        join_all(handles).await;
    } else {
        join_all((0..n).map(|_| spawn_untraced(sleep(delay_ms)))).await;
    }
    now() - start
}

/// `n` sleeps of `delay_ms` joined inside one task, each a traced future of its own
/// (`asyncio.gather` over coroutines; JS `Promise.all` over `setTimeout`).
#[wasm_bindgen(js_name = benchJoin)]
pub async fn bench_join(n: u32, delay_ms: f64, traced: bool) -> f64 {
    let start = now();
    if traced {
        let rec = Recorder::with_cap(DEFAULT_CAP);
        let root = task("gather").recorder(&rec).spawn(async move {
            join_all((0..n).map(|_| task("sleep").wrap(sleep(delay_ms)))).await;
        });
        root.await;
    } else {
        spawn_untraced(join_all((0..n).map(|_| sleep(delay_ms)))).await;
    }
    now() - start
}

/// `n` tasks that finish at their first poll, all joined: the cost of a task itself.
#[wasm_bindgen(js_name = benchSpawn)]
pub async fn bench_spawn(n: u32, traced: bool) -> f64 {
    let start = now();
    if traced {
        let rec = Recorder::with_cap(DEFAULT_CAP);
        let handles: Vec<_> = (0..n).map(|_| task("noop").recorder(&rec).spawn(async {})).collect();
        join_all(handles).await;
    } else {
        join_all((0..n).map(|_| spawn_untraced(async {}))).await;
    }
    now() - start
}

/// `n` concurrent traced fetches of `url`, where `{i}` in the URL becomes the
/// request's index. Rejects with the first error's message.
#[wasm_bindgen(js_name = benchFetch)]
pub async fn bench_fetch(n: u32, url: String) -> Result<f64, JsValue> {
    let start = now();
    let rec = Recorder::new();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let url = url.replace("{i}", &i.to_string());
            task("fetch").recorder(&rec).spawn(async move { get_json(&url).await })
        })
        .collect();
    for result in join_all(handles).await {
        result.map_err(|e: Error| JsValue::from_str(&e.to_string()))?;
    }
    Ok(now() - start)
}

/// How many events a traced timer run of `n` tasks recorded, and how many it dropped:
/// the memory side of the timer benchmark.
#[wasm_bindgen(js_name = benchRecordSize)]
pub async fn bench_record_size(n: u32, cap: u32) -> Vec<f64> {
    let rec = Recorder::with_cap(cap as usize);
    let handles: Vec<_> = (0..n)
        .map(|_| task("sleep").recorder(&rec).spawn(async { sleep(1.0).await }))
        .collect();
    join_all(handles).await;
    let r = rec.record();
    vec![r.events().len() as f64, r.dropped() as f64]
}

/// Reads the clock `n` times: what one timestamp costs.
#[wasm_bindgen(js_name = benchClock)]
pub fn bench_clock(n: u32) -> f64 {
    let start = now();
    let mut acc = 0.0;
    for _ in 0..n {
        acc += now();
    }
    std::hint::black_box(acc);
    now() - start
}
