//! The Python run (Pyodide): what it downloads, how long the reader waits for its
//! first step, and what tracing costs per asyncio step.
//!
//! The figures are the report's `python`, measured by `xtask/src/bench/python.rs`
//! with `bench/python.mjs` (whose head says how each is taken). Every timing there is
//! a set of runs, `{median, min, max, runs}`; the page shows the median and the range.

use super::{count, error, list, num, text, Page};
use serde_json::Value;

/// Writes the Python section and its target.
pub(super) fn section(report: &Value, page: &mut Page) {
    page.heading("The Python too (Pyodide)");
    let before = num(report, "/python/fetched_before_click");
    page.target(
        "Pyodide fetched before the reader asks for Python: nothing",
        before.map_or("—".into(), |n| format!("{} files", count(Some(n)))),
        before.map(|n| n == 0.0),
    );
    if report.get("python").is_none() || error(report, "/python").is_some() {
        return page.missing("The Python measurement", error(report, "/python"));
    }
    let lesson = text(report, "/python/lesson").unwrap_or("a lesson");
    let mut intro = format!(
        "\"Run the Python too\" runs a lesson's Python in CPython 3.14 compiled to WebAssembly \
         (Pyodide), in the page, traced on the page's clock. Nothing of it loads until the \
         reader asks: before the click, the host page had fetched {} files of Pyodide. \
         Measured on the static site as `cargo xtask dist` writes it, with a host page \
         holding one `<loop-lab lesson=\"{lesson}\" python>` (its two waits shortened to 100 \
         and 200 ms), in headless Chromium (`bench/python.mjs`).",
        count(before)
    );
    let alone = report.pointer("/python/alone").and_then(Value::as_bool).unwrap_or(false);
    if let Some(date) = text(report, "/python/date").filter(|_| alone) {
        intro.push_str(&format!(" These figures were measured on their own (`cargo xtask bench --python`), {}.", super::when(date)));
    }
    let load = |when: &str| num(report, &format!("/python/load/{when}/0"));
    if let (Some(before), Some(after)) = (load("before"), load("after")) {
        intro.push_str(&format!(
            " The machine's load average (one minute) was {before:.2} just before these measurements and {after:.2} after them."
        ));
    }
    page.para(&intro);
    download(report, page);
    first_step(report, page);
    steps(report, page);
}

/// Pyodide's files: what `dist` copies, and what the first click fetched.
fn download(report: &Value, page: &mut Page) {
    let copied = list(report, "/python/dist/files");
    let fetched = list(report, "/python/fetched/files");
    let fetched_of = |path: &str| fetched.iter().find(|f| f["path"].as_str() == Some(path));
    let mut rows: Vec<Vec<String>> = copied
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap_or("?");
            let got = fetched_of(path);
            let at = |v: Option<&Value>, key: &str| size(v.and_then(|v| v[key].as_f64()));
            vec![format!("`{path}`"), at(Some(f), "bytes"), at(Some(f), "gz_bytes"), at(got, "bytes"), at(got, "transferred_bytes")]
        })
        .collect();
    for f in fetched.iter().filter(|f| !copied.iter().any(|c| c["path"] == f["path"])) {
        let at = |key: &str| size(f[key].as_f64());
        rows.push(vec![
            format!("`{}` (not copied by `dist`)", f["path"].as_str().unwrap_or("?")),
            "—".into(),
            "—".into(),
            at("bytes"),
            at("transferred_bytes"),
        ]);
    }
    let at = |pointer: &str| size(num(report, pointer));
    rows.push(vec![
        "**all**".into(),
        at("/python/dist/bytes"),
        at("/python/dist/gz_bytes"),
        at("/python/fetched/bytes"),
        at("/python/fetched/transferred_bytes"),
    ]);
    page.para(
        "**Download.** The files `cargo xtask dist` copies into the site's `pyodide/` folder, \
         raw and gzipped (-9, as every size on this page), and what the first click on \
         \"Run the Python too\" fetched under `/pyodide/`, as the browser's Resource Timing \
         reports it for the first cold run: the bytes after decoding, and the bytes \
         transferred (headers included). The bench's server sends files uncompressed, as \
         many static hosts do for `.wasm` and `.zip`; a host that gzips them would send \
         about the gzip column.",
    );
    page.table(&["file", "copied by `dist`", "gzip -9", "fetched by the first run", "transferred"], &rows);
    let (cold, warm) = (num(report, "/python/fetched/requests"), num(report, "/python/fetched/warm_requests"));
    if let Some(cold) = cold {
        let after = warm.map_or(String::new(), |w| format!("; the warm runs after it on the same page, {}", count(Some(w))));
        page.para(&format!("The first run made {} requests under `/pyodide/`{after}.", count(Some(cold))));
    }
}

/// Click to the first Python step, cold and warm.
fn first_step(report: &Value, page: &mut Page) {
    let runs = |at: &str| list(report, &format!("{at}/runs")).len();
    let row = |what: &str, at: &str| {
        vec![what.to_string(), ms(num(report, &format!("{at}/median"))), range(report, at, ms), runs(at).to_string()]
    };
    page.para(
        "**From the click to the first Python step.** `performance.now()` is read just \
         before the button's `click()`; the first step is the earliest step of the run's \
         own record (each step is published as a `performance.measure` entry on the page's \
         clock when the run ends, for DevTools). *Cold*: a fresh browser context, nothing \
         cached, so the click downloads Pyodide, compiles and starts it, loads the tracer, \
         then runs the lesson's program. *Warm*: the same button again on the same page, \
         the interpreter already there. Also shown, after the same click: when the last \
         byte of Pyodide's files arrived (Resource Timing), and when Python was ready \
         (`loadPython()` resolved: the box's status says the program is running), so the \
         wait splits into download, start-up (compiling the wasm, starting CPython, \
         installing the tracer) and the run up to its first step.",
    );
    let rows = [
        row("cold: click → last byte of Pyodide", "/python/cold/fetched_ms"),
        row("cold: click → Python ready", "/python/cold/ready_ms"),
        row("cold: click → **first Python step**", "/python/cold"),
        row("warm: click → Python ready", "/python/warm/ready_ms"),
        row("warm: click → **first Python step**", "/python/warm"),
    ];
    page.table(&["what", "median", "range", "runs"], &rows);
}

/// Tracing's cost per step, and what one `sleep(0)` costs.
fn steps(report: &Value, page: &mut Page) {
    let at = |pointer: &str| num(report, &format!("/python{pointer}"));
    let (tasks, sleeps, all) = (at("/steps/tasks"), at("/steps/sleeps"), at("/steps/steps"));
    let program = format!("{} tasks × {} `await asyncio.sleep(0)`", count(tasks), count(sleeps));
    let row = |what: String, pointer: &str, call: Option<&str>| {
        let call = call.map_or("—".into(), |c| ms(at(&format!("{c}/median"))));
        vec![what, us(at(&format!("{pointer}/median"))), range(report, &format!("/python{pointer}"), us), call]
    };
    let alone = at("/sleep0/sleeps");
    let rows = [
        row(format!("{program}, untraced"), "/steps/untraced/us_per_step", Some("/steps/untraced/call_ms")),
        row(format!("{program}, traced"), "/steps/traced/us_per_step", Some("/steps/traced/call_ms")),
        vec!["traced ÷ untraced".into(), times(at("/steps/ratio/median")), range(report, "/python/steps/ratio", times), "—".into()],
        row(format!("1 task × {} `await asyncio.sleep(0)`, untraced", count(alone)), "/sleep0/us_per_step", None),
        row(format!("1 task × {} `await asyncio.sleep(0)`, traced", count(alone)), "/sleep0/traced_us_per_step", None),
        row(format!("plain JavaScript: a MessageChannel message and its answer, × {}", count(alone)), "/sleep0/js_message_us", None),
    ];
    page.para(&format!(
        "**What tracing costs per step.** One asyncio program, {program} under `gather`, run \
         by `runPython` (`www/python/run.js`) untraced then traced, {} times each, on the \
         page whose Pyodide is loaded (the ratio is each traced run's ÷ the untraced run \
         just before it); the number of sleeps is chosen so that a \
         run lasts about a second. A step is one `send` into a task's coroutine: {} in all \
         (each task's first step and one after each sleep, and main's two){}. The time per \
         step is the program's own (it reads `time.monotonic()`, which in Pyodide is \
         `performance.now()`, around the `gather`); *whole call* is `runPython` from call \
         to result, which for a traced run includes turning the record into JavaScript \
         data.",
        list(report, "/python/steps/traced/us_per_step/runs").len(),
        count(all),
        at("/steps/recorded_steps").map_or(String::new(), |r| format!("; the traced run's record holds {}", count(Some(r)))),
    ));
    page.table(&["program", "per step (median)", "range", "whole call (median)"], &rows);
    page.para(
        "**What one `sleep(0)` is.** `await asyncio.sleep(0)` hands the task back to the \
         loop, which schedules its next step with `call_soon`. Pyodide's WebLoop passes \
         every callback to the browser (`scheduleCallback`): a delay of 2 ms or less posts \
         a message on one shared MessageChannel, a longer one is a `setTimeout`. Each \
         message runs every callback queued before it. So with one task, each step costs \
         a turn of the browser's event loop (a message) plus the Python of the step; with \
         many tasks ready together, one message runs all their steps, and the cost per \
         step is mostly Python's. The plain-JavaScript line is the message alone.",
    );
    let (alone, message) = (at("/sleep0/us_per_step/median"), at("/sleep0/js_message_us/median"));
    if let (Some(alone), Some(message)) = (alone, message) {
        page.para(&format!(
            "In this run, then, one `sleep(0)` of a task alone took {} untraced; the message by \
             itself, {}; the other {} are the step: Python resuming the coroutine, asyncio's \
             bookkeeping, and the call from Python into JavaScript that schedules the next one.",
            us(Some(alone)),
            us(Some(message)),
            us(Some(alone - message))
        ));
    }
}

/// Bytes as megabytes (10⁶) from one megabyte up, else as kilobytes (10³).
fn size(bytes: Option<f64>) -> String {
    match bytes {
        Some(b) if b >= 1e6 => format!("{:.2} MB", b / 1e6),
        Some(b) => format!("{:.1} KB", b / 1e3),
        None => "—".into(),
    }
}

/// Milliseconds, no decimals from a second up: `2 345 ms`, `12.3 ms`.
fn ms(value: Option<f64>) -> String {
    match value {
        Some(v) if v >= 1000.0 => format!("{} ms", count(Some(v))),
        other => super::ms(other),
    }
}

/// Microseconds, one decimal: `12.3 µs`.
fn us(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.1} µs"))
}

/// A ratio to two decimals: `1.41×`.
fn times(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.2}×"))
}

/// `min – max` of the set at `at`, each written by `unit` (`ms`, `us`, `times`).
fn range(report: &Value, at: &str, unit: fn(Option<f64>) -> String) -> String {
    let (lo, hi) = (num(report, &format!("{at}/min")), num(report, &format!("{at}/max")));
    if lo.is_none() && hi.is_none() {
        return "—".into();
    }
    format!("{} – {}", unit(lo), unit(hi))
}
