//! What recording costs, held against a stored baseline and against JavaScript
//! recording the same events.
//!
//! Tracing's cost is a ratio measured inside one run — the same workload traced ÷
//! untraced — because a ratio survives what a shared machine does to absolute
//! times better than a millisecond figure does. The report's `tracing` (written by
//! `bench/bench.js`) holds the ratio for 100 000 empty tasks and for 100 000 sleeps,
//! with the plain-JavaScript peer's (`bench/js-trace.js`: the same events recorded
//! with `performance.now()` into a typed-array log). The report's `baseline` is
//! `bench/baseline.json`, the ratios of an earlier run stored with its commit, date
//! and load; the target is that recording more never makes a ratio grow by more
//! than [`TOLERANCE`].

use super::{count, ms, num, text, Page};
use serde_json::Value;

/// This run's traced ÷ untraced may exceed the baseline's by at most this fraction
/// (a smaller ratio, cheaper tracing, always meets the target).
pub(super) const TOLERANCE: f64 = 0.10;

/// The two workloads: (key in `tracing`, name in the page).
const WORKLOADS: [(&str, &str); 2] = [("empty", "100 000 empty tasks"), ("sleeps", "100 000 sleeps of 100 ms")];

/// Writes the tracing section and its target.
pub(super) fn section(report: &Value, page: &mut Page) {
    page.heading("What tracing costs");
    target(report, page);
    if WORKLOADS.iter().all(|(key, _)| report.pointer(&format!("/tracing/{key}")).is_none()) {
        return page.missing("The tracing benchmark", None);
    }
    page.para(
        "The same workload with recording on and off, in the same run: Loop Lab traced \
         and untraced, and plain JavaScript without and with a recorder of its own \
         (`bench/js-trace.js`). The JavaScript recorder logs, per task, the events Loop \
         Lab's record holds — created, scheduled, poll start, poll end, outcome; for a \
         sleep also the wait (the timer and its delay) and the wake (how late it fired), \
         then a second poll — each read from `performance.now()`, except that the outcome \
         shares its poll end's reading and *scheduled* shares *created*'s. It logs into \
         typed arrays (time, task, kind, value) that double when full up to the same cap \
         of a million events: no object per event, as Loop Lab's record makes none, so \
         tracing is compared with tracing done carefully.",
    );
    let rows: Vec<Vec<String>> = WORKLOADS.iter().map(|(key, name)| row(report, key, name)).collect();
    let head = ["workload", "Loop Lab traced", "Loop Lab untraced", "traced ÷ untraced", "baseline"];
    let head = [&head[..], &["plain JS", "JS traced", "JS traced ÷ plain", "events the JS recorder logged"]].concat();
    page.table(&head, &rows);
    if let (Some(looplab), Some(js)) = (num(report, "/record/events"), num(report, "/tracing/sleeps/js_traced_events")) {
        page.para(&format!(
            "Loop Lab's record of 100 000 sleeping tasks holds {} events ([The record](#the-record)); \
             the JavaScript recorder's, {}. Where the second is larger, it logs what Loop Lab's \
             record does not (yet) hold.",
            count(Some(looplab)),
            count(Some(js))
        ));
    }
    page.para(&baseline_note(report));
}

/// One workload's line of the table.
fn row(report: &Value, key: &str, name: &str) -> Vec<String> {
    let at = |field: &str| num(report, &format!("/tracing/{key}/{field}"));
    vec![
        name.to_string(),
        ms(at("looplab_traced_ms")),
        ms(at("looplab_untraced_ms")),
        times(at("looplab_ratio")),
        times(baseline_ratio(report, key)),
        ms(at("js_ms")),
        ms(at("js_traced_ms")),
        times(at("js_ratio")),
        count(at("js_traced_events")),
    ]
}

/// The target: both ratios at most [`TOLERANCE`] above the baseline's.
fn target(report: &Value, page: &mut Page) {
    let mut shown = Vec::new();
    let mut met = Some(true);
    for (key, _) in WORKLOADS {
        let now = num(report, &format!("/tracing/{key}/looplab_ratio"));
        let then = baseline_ratio(report, key);
        shown.push(format!("{} (baseline {})", times(now), times(then)));
        met = match (met, within(now, then)) {
            (Some(all), Some(this)) => Some(all && this),
            _ => None,
        };
    }
    let what = format!("traced ÷ untraced, 100 000 empty tasks / 100 000 sleeps: within {:.0}% of the baseline", TOLERANCE * 100.0);
    page.target(&what, shown.join(" / "), met);
}

/// Whether `now` is at most [`TOLERANCE`] above `then`; None when either is absent.
fn within(now: Option<f64>, then: Option<f64>) -> Option<bool> {
    let (now, then) = (now?, then.filter(|t| *t > 0.0)?);
    Some(now <= then * (1.0 + TOLERANCE))
}

/// The baseline's traced ÷ untraced for `key`.
fn baseline_ratio(report: &Value, key: &str) -> Option<f64> {
    num(report, &format!("/baseline/tracing/{key}/looplab_ratio"))
}

/// Where the baseline comes from: its commit, date and load, or why there is none.
fn baseline_note(report: &Value) -> String {
    if let Some(error) = text(report, "/baseline/error") {
        return format!("No baseline to compare with: {error}");
    }
    let Some(date) = text(report, "/baseline/date") else {
        return "No baseline to compare with: the report holds none (`bench/baseline.json`).".into();
    };
    let of = |field: &str| text(report, &format!("/baseline/{field}")).unwrap_or("an unrecorded commit");
    let load = |when: &str| {
        let figures = report.pointer(&format!("/baseline/load/{when}")).and_then(Value::as_array);
        figures.and_then(|l| l.first()).and_then(Value::as_f64).map_or("—".into(), |l| format!("{l:.2}"))
    };
    format!(
        "*Baseline* is `bench/baseline.json`: the ratios of the run of {} (`cargo xtask bench \
         --save-baseline`), of the runtime as of commit `{}`, on a machine whose load \
         average (one minute) was {} just before the measurements and {} after them. The \
         target holds this run's traced ÷ untraced to at most {:.0}% above it; a smaller \
         ratio meets it. Both are ratios of medians of three.",
        super::when(date),
        of("src_commit"),
        load("before"),
        load("after"),
        TOLERANCE * 100.0
    )
}

/// A ratio to two decimals, `1.86×` (a 10% margin needs the second); `—` when absent.
fn times(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.2}×"))
}
