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
        let handles: Vec<_> = (0..n).map(|_| task("sleep").recorder(&rec).spawn(sleep(delay_ms))).collect();
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
    let handles: Vec<_> = (0..n).map(|_| task("sleep").recorder(&rec).spawn(async { sleep(1.0).await })).collect();
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

/// A synthetic record: `tasks` tasks of `polls` polls each, 1 ms apart, interleaved
/// on the loop as a real run would be; each poll but the last parks on a 1 ms sleep,
/// so every waiting stretch has a label to paint.
fn synthetic(tasks: u32, polls: u32) -> crate::trace::Record {
    use crate::trace::{Cause, Kind, On, Record, TaskInfo, Wait};
    let mut r = Record::new(0.0, DEFAULT_CAP);
    for i in 0..tasks {
        r.add_task(0.0, TaskInfo { name: format!("task {i}").into(), parent: None });
    }
    let mut t = 0.0;
    for p in 0..polls {
        for i in 0..tasks {
            r.push(t, i, Kind::PollStart);
            t += 0.01;
            if p + 1 < polls {
                let on = On::Timer { delay_ms: 1.0, deadline: t + 1.0 };
                if let Some(w) = r.add_wait(Wait { task: i, on, site: None }) {
                    r.push(t, i, Kind::Wait(w));
                }
            }
            r.push(t, i, Kind::PollEnd { ready: p + 1 == polls });
            if p + 1 == polls {
                r.push(t, i, Kind::Done);
            }
        }
        for i in 0..tasks {
            r.push(t + 1.0, i, Kind::Wake(Cause::Timer { late_ms: 0.0 }));
        }
        t += 1.0;
    }
    r
}

/// Frame cost of the timeline (ms): `[live p50, live p95, pan p50, pan p95, slices]`.
/// Live frames feed the layout the next slice of the record and repaint everything
/// so far, as during a run; pan frames repaint a zoomed-in view of the whole record
/// moved a little each frame, as while dragging.
#[wasm_bindgen(js_name = benchRender)]
pub async fn bench_render(canvas: web_sys::HtmlCanvasElement, tasks: u32, polls: u32, frames: u32) -> Result<Vec<f64>, JsValue> {
    use crate::view::timeline::{
        layout::Layout,
        paint::{paint, Palette},
        viewport::Viewport,
    };
    use wasm_bindgen::JsCast;
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or("no 2d context")?.dyn_into().map_err(|_| "no 2d context")?;
    let rec = synthetic(tasks, polls);
    let pal = Palette {
        surface: "#fff".into(),
        text: "#1d1f24".into(),
        muted: "#555b66".into(),
        grid: "#d9dbd6".into(),
        run: "#1f5fbf".into(),
        wait: "#c9d8f0".into(),
        done: "#1c7a3a".into(),
        failed: "#b3261e".into(),
        cancelled: "#6b5a00".into(),
        font: "sans-serif".into(),
    };
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let end = rec.events().last().map_or(0.0, |e| e.t - rec.origin());
    let mut l = Layout::default();
    let mut live = Vec::new();
    for f in 1..=frames {
        next_frame().await;
        let t = now();
        l.feed(&rec, end * f64::from(f) / f64::from(frames));
        paint(&ctx, &l, &Viewport::fit(w, h, l.span), &pal, None);
        live.push(now() - t);
    }
    let mut view = Viewport::fit(w, h, l.span);
    view.zoom(8.0, w / 2.0);
    let mut pan = Vec::new();
    for i in 0..frames {
        next_frame().await;
        let t = now();
        view.pan(if i % 40 < 20 { -6.0 } else { 6.0 }, -3.0, l.lanes.len());
        paint(&ctx, &l, &view, &pal, Some(view.t_at(w / 2.0)));
        pan.push(now() - t);
    }
    let slices = l.lanes.iter().map(|x| x.segs.len()).sum::<usize>() as f64;
    Ok(vec![pct(&mut live, 0.5), pct(&mut live, 0.95), pct(&mut pan, 0.5), pct(&mut pan, 0.95), slices])
}

fn pct(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN)
}

/// Resolves at the next animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
