//! The runtime's timings: sleeping tasks, empty tasks and the clock under them,
//! concurrent requests, painting the timeline, and the size of the record.
//!
//! Each section reads its own part of the report (`timers`, `timers_join`, `spawn`,
//! `clock`, `fetch`, `render`, `record`: written by `bench/bench.js`) and says what
//! the figure means before it shows it.

use super::{count, list, ms, num, ratio, Page};
use serde_json::Value;

/// 10 000 spawned sleeps of 100 ms finish within 1.15× the sleep: the per-task
/// overhead of timing and waking 10 000 tasks stays under 15 ms.
const TEN_THOUSAND_MS: f64 = 115.0;
/// 100 000 spawned sleeps of 100 ms finish within 2.5× the sleep…
const HUNDRED_THOUSAND_MS: f64 = 250.0;
/// …and at least this many times faster than 100 000 `setTimeout`s: the point of
/// one heap of timers behind a single browser timer (`src/runtime/timer.rs`).
const FASTER_THAN_JS: f64 = 4.0;
/// Recording may at most multiply what an empty task costs by this.
const TRACING_OVERHEAD: f64 = 1.5;

/// Writes every timing section, in reading order.
pub(super) fn sections(report: &Value, page: &mut Page) {
    timers(report, page);
    spawn(report, page);
    super::tracing::section(report, page);
    fetch(report, page);
    render(report, page);
    record(report, page);
}

/// `n` sleeps of `delay_ms`: spawned (traced, untraced), plain JS, joined in one task.
fn timers(report: &Value, page: &mut Page) {
    page.heading("Sleeping tasks");
    let spawned = list(report, "/timers");
    timer_targets(spawned, page);
    if spawned.is_empty() {
        return page.missing("The timer benchmark", None);
    }
    let delay = num(report, "/timers/0/delay_ms").unwrap_or(100.0);
    page.para(&format!(
        "N tasks each sleep {delay} ms, all started at once; the figure is the time from \
         before the first spawn to the end of the last task. No scheduler can beat the \
         sleep itself, so {delay} ms is the floor: what lies above it is the cost of \
         starting, timing and waking N tasks. *Spawned* is one task per sleep (one \
         `asyncio.create_task` each); *joined* is the sleeps awaited together inside one \
         task (`gather` over coroutines), which needs no task per sleep. *Untraced* is \
         the same runtime with recording off: the gap between the first two columns is \
         what the timeline costs. *Plain JS, traced* records each sleep's events as \
         Loop Lab does (see [What tracing costs](#what-tracing-costs))."
    ));
    let joined = list(report, "/timers_join");
    let rows: Vec<Vec<String>> = spawned
        .iter()
        .map(|entry| {
            let n = entry["n"].as_f64();
            let join = joined.iter().find(|j| j["n"].as_f64() == n);
            vec![
                count(n),
                ms(entry["looplab_ms"].as_f64()),
                ms(entry["untraced_ms"].as_f64()),
                ms(entry["js_ms"].as_f64()),
                ms(entry["js_traced_ms"].as_f64()),
                ms(join.and_then(|j| j["looplab_ms"].as_f64())),
            ]
        })
        .collect();
    let head = ["sleeps", "spawned, traced", "spawned, untraced"];
    let head = [&head[..], &["plain JS (`Promise.all` of `setTimeout`)", "plain JS, traced", "joined in one task, traced"]].concat();
    page.table(&head, &rows);
}

/// The targets on 10 000 and 100 000 spawned sleeps.
fn timer_targets(spawned: &[Value], page: &mut Page) {
    let of = |n: f64| spawned.iter().find(|e| e["n"].as_f64() == Some(n));
    let traced = |n: f64| of(n).and_then(|e| e["looplab_ms"].as_f64());
    let ten = traced(10_000.0);
    page.target(&format!("10 000 spawned sleeps of 100 ms: ≤ {TEN_THOUSAND_MS} ms"), ms(ten), ten.map(|t| t <= TEN_THOUSAND_MS));
    let hundred = traced(100_000.0);
    page.target(
        &format!("100 000 spawned sleeps of 100 ms: ≤ {HUNDRED_THOUSAND_MS} ms"),
        ms(hundred),
        hundred.map(|t| t <= HUNDRED_THOUSAND_MS),
    );
    let js = of(100_000.0).and_then(|e| e["js_ms"].as_f64());
    let (shown, factor) = ratio(js, hundred);
    page.target(
        &format!("100 000 spawned sleeps: ≥ {FASTER_THAN_JS}× faster than plain JS"),
        format!("{shown} faster"),
        factor.map(|f| f >= FASTER_THAN_JS),
    );
}

/// `n` tasks that finish at their first poll, and the clock read under every event.
fn spawn(report: &Value, page: &mut Page) {
    page.heading("Empty tasks, and the clock");
    let [traced, untraced, js, js_traced] =
        ["traced_ms", "untraced_ms", "js_ms", "js_traced_ms"].map(|k| num(report, &format!("/spawn/{k}")));
    let (shown, factor) = ratio(traced, untraced);
    page.target(&format!("empty tasks: traced ≤ {TRACING_OVERHEAD}× untraced"), shown, factor.map(|f| f <= TRACING_OVERHEAD));
    let Some(n) = num(report, "/spawn/n") else {
        return page.missing("The spawn benchmark", None);
    };
    page.para(&format!(
        "{} tasks that return at once, spawned and awaited: what a task itself costs, \
         with nothing to wait for.",
        count(Some(n))
    ));
    let per_task = |total: Option<f64>| total.map_or("—".into(), |t| format!("{} ns", count(Some(t * 1e6 / n))));
    let rows = [
        vec!["all tasks".into(), ms(traced), ms(untraced), ms(js), ms(js_traced)],
        vec!["per task".into(), per_task(traced), per_task(untraced), per_task(js), per_task(js_traced)],
    ];
    page.table(&["", "traced", "untraced", "plain JS (async functions)", "plain JS, traced"], &rows);
    let clock = num(report, "/clock/ns_per_read");
    let clock_text = clock.map_or("—".into(), |c| format!("{c:.0} ns"));
    page.para(&format!(
        "Where the tracing cost comes from: every recorded event needs a timestamp, and \
         one `performance.now()` read from wasm costs **{clock_text}** on this machine \
         (the median of three batches of a million reads). A spawned empty task needs \
         three readings — created, poll start, poll end — about {} per task, against {} \
         for the whole untraced task. Readings are already shared where no task code can \
         run between two events (a poll's end and its outcome; the wakes of one timer \
         batch).",
        clock.map_or("—".into(), |c| format!("{:.0} ns", 3.0 * c)),
        per_task(untraced)
    ));
}

/// `n` concurrent requests to the demo API, Loop Lab against `Promise.all` of `fetch`.
fn fetch(report: &Value, page: &mut Page) {
    page.heading("Concurrent requests");
    let entries = list(report, "/fetch");
    if entries.is_empty() {
        return page.missing("The fetch benchmark", None);
    }
    page.para(
        "N requests to the demo API of the dev server on the same machine, each answered \
         after a fixed delay, all started at once: Loop Lab's traced fetches against \
         `Promise.all` of `fetch`. The two columns should match; the runtime adds nothing \
         a request would notice.",
    );
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let delay = e["delay_ms"].as_f64().map_or("—".into(), |d| format!("{d} ms"));
            vec![count(e["n"].as_f64()), delay, ms(e["looplab_ms"].as_f64()), ms(e["js_ms"].as_f64())]
        })
        .collect();
    page.table(&["requests", "each answers after", "Loop Lab", "plain JS"], &rows);
    let largest = entries.iter().filter_map(|e| Some((e["n"].as_f64()?, e["delay_ms"].as_f64()?))).max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((n, delay)) = largest.filter(|(n, _)| *n > 6.0) {
        let rounds = (n / 6.0).ceil();
        page.para(&format!(
            "Beyond six requests the browser's own limit shows: over HTTP/1.1 Chromium \
             opens at most six connections per host, so {} requests go in {rounds} rounds \
             of at most six, about {:.0} ms, for Loop Lab and plain JS alike. The \
             `gather-fetch` and `limit` lessons show this to readers.",
            count(Some(n)),
            rounds * delay
        ));
    }
}

/// Frame cost of the timeline: live (as during a run) and panning.
fn render(report: &Value, page: &mut Page) {
    page.heading("Painting the timeline");
    let budget = num(report, "/render/budget_ms");
    let mut rows = Vec::new();
    for (name, key) in [("live", "live"), ("panning", "pan")] {
        let p95 = num(report, &format!("/render/{key}_p95_ms"));
        let met = p95.zip(budget).map(|(p, b)| p <= b);
        rows.push(vec![name.into(), ms(num(report, &format!("/render/{key}_p50_ms"))), ms(p95), ms(budget)]);
        page.target(&format!("timeline frame, {name}: p95 within one 60 Hz frame"), ms(p95), met);
    }
    let Some(tasks) = num(report, "/render/tasks") else {
        return page.missing("The rendering benchmark", None);
    };
    page.para(&format!(
        "A recorded run of {} tasks ({} poll slices) painted on a canvas frame by frame: \
         *live* frames add the next part of the record and repaint all of it, as during a \
         run; *panning* frames repaint a zoomed-in view moved a little each frame, as \
         while dragging. The budget is one frame at 60 Hz.",
        count(Some(tasks)),
        count(num(report, "/render/slices"))
    ));
    page.table(&["frames", "p50", "p95", "budget"], &rows);
}

/// How many events a run records, and that a cap bounds them.
fn record(report: &Value, page: &mut Page) {
    page.heading("The record");
    let cap = num(report, "/record/capped/cap");
    let kept = num(report, "/record/capped/events");
    let met = kept.zip(cap).map(|(k, c)| k <= c);
    page.target("the record is bounded by its cap", format!("{} kept of {}", count(kept), count(cap)), met);
    let Some(n) = num(report, "/record/n") else {
        return page.missing("The record-size measurement", None);
    };
    page.para(&format!(
        "A traced run of {} sleeping tasks recorded {} events ({} dropped). With a cap of \
         {} events the same run kept {} and dropped {}: a record's memory is bounded \
         however long a run lasts, and the page says how much was dropped.",
        count(Some(n)),
        count(num(report, "/record/events")),
        count(num(report, "/record/dropped")),
        count(cap),
        count(kept),
        count(num(report, "/record/capped/dropped"))
    ));
}
