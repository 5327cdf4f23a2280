//! Native tests of the page generator, on a fixture report and on small ones.
//!
//! The fixture, `xtask/tests/fixtures/bench-report-2026-11-24.json`, holds the
//! figures the README gave for the bench run of 2026-11-24, in the report's shape;
//! fields the README did not give are absent, as in a report from an older bench.

use super::*;
use serde_json::json;

const FIXTURE: &str = include_str!("../../tests/fixtures/bench-report-2026-11-24.json");

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("the fixture is JSON")
}

/// The row of the targets table whose first cell starts with `what`.
fn target_row<'a>(page: &'a str, what: &str) -> Vec<&'a str> {
    let section = page.split("## Targets at a glance").nth(1).expect("a targets table");
    let line = section.lines().find(|l| l.starts_with(&format!("| {what}"))).unwrap_or_else(|| panic!("no target {what}"));
    line.trim_matches('|').split(" | ").map(str::trim).collect()
}

#[test]
fn the_header_says_which_run_and_on_what() {
    let page = render(&fixture());
    let top: Vec<&str> = page.lines().take(6).collect();
    assert!(top[0].starts_with("<!-- Written by `cargo xtask bench`"), "{top:?}");
    assert!(top.iter().any(|l| l.starts_with("**Which run:** Reconstructed by hand")), "{top:?}");
    assert!(page.contains("Measured 2026-11-24 on AMD EPYC, 2 cores; Chromium 156.0.8078.79"));
    let real = json!({"machine": {"date": "2026-11-30T09:41:07Z", "cpu": "X", "nproc": 4}});
    assert!(render(&real).contains("**Which run:** `cargo xtask bench` of 2026-11-30 09:41 UTC."));
    assert!(!render(&real).contains("load average"), "no load recorded, none said");
    let loaded = json!({"machine": {"load": {"before": [3.98, 2.73, 2.36], "after": [4.5, 3.1, 2.6]}}});
    assert!(render(&loaded).contains("load average (one minute) was 3.98 just before the measurements and 4.50 after them"));
}

#[test]
fn targets_are_judged_from_the_figures() {
    let page = render(&fixture());
    assert_eq!(target_row(&page, "10 000 spawned sleeps")[1..], ["115.9 ms", "no"]);
    assert_eq!(target_row(&page, "100 000 spawned sleeps of 100 ms")[1..], ["182.6 ms", "yes"]);
    // 602.2 / 182.6 = 3.3, short of 4.
    assert_eq!(target_row(&page, "100 000 spawned sleeps: ≥ 4×")[1..], ["3.3× faster", "no"]);
    // 115.3 / 24.6 = 4.7, over 1.5.
    assert_eq!(target_row(&page, "empty tasks")[1..], ["4.7×", "no"]);
    assert_eq!(target_row(&page, "timeline frame, live")[1..], ["2.4 ms", "yes"]);
    assert_eq!(target_row(&page, "largest first load, `<loop-lab>`")[1..], ["97.6 KB", "yes"]);
    assert_eq!(target_row(&page, "largest first load, iframe form")[1..], ["100.3 KB", "no"]);
    assert_eq!(target_row(&page, "Lighthouse performance: ≥ 95")[1..], ["100", "yes"]);
    assert_eq!(target_row(&page, "the record is bounded")[1..], ["10 000 kept of 10 000", "yes"]);

    // The same page from a faster run: the verdict follows the figure.
    let mut faster = fixture();
    faster["timers"][1]["looplab_ms"] = json!(109.4);
    assert_eq!(target_row(&render(&faster), "10 000 spawned sleeps")[1..], ["109.4 ms", "yes"]);
}

#[test]
fn every_lesson_has_one_size_row_smallest_first() {
    let page = render(&fixture());
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| `") && l.ends_with(" |") && l.contains(" KB | ")).collect();
    let lessons: Vec<&str> = rows.iter().filter(|r| r.matches(" KB").count() == 2).copied().collect();
    assert_eq!(lessons.len(), 14, "{lessons:#?}");
    assert_eq!(lessons[0], "| `lazy` | 69.7 KB | 72.5 KB | yes |");
    assert_eq!(lessons[13], "| `playground` | 97.6 KB | 100.3 KB | no |");
    // The iframe form's extra is computed, lesson by lesson: 2.7 to 2.8 KB here.
    assert!(page.contains("`style.css`: 2.7 KB to 2.8 KB more."), "{page}");
}

#[test]
fn every_table_row_is_as_wide_as_its_header() {
    let page = render(&fixture());
    let mut width = None;
    for line in page.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let cells = line.matches(" | ").count();
        assert_eq!(*width.get_or_insert(cells), cells, "a ragged table row: {line}");
    }
}

#[test]
fn a_report_without_figures_says_so_and_invents_none() {
    let page = render(&json!({}));
    for what in ["The timer benchmark", "The spawn benchmark", "The tracing benchmark", "The fetch benchmark", "The rendering benchmark"] {
        assert!(page.contains(&format!("{what}: not measured in this run")), "{what}");
    }
    assert!(page.contains("The first-load measurement: not measured"));
    assert!(!page.contains("NaN") && !page.contains("null") && !page.contains("inf"), "{page}");
    assert!(page.contains("| 10 000 spawned sleeps of 100 ms: ≤ 115 ms | — | — |"));
}

#[test]
fn a_measurement_that_failed_shows_its_error() {
    let report = json!({"reliability": {
        "lighthouse": {"error": "Chrome exited"},
        "leak": {"error": "run 7 of limit failed"},
    }});
    let page = render(&report);
    assert!(page.contains("Lighthouse failed in this run: Chrome exited"));
    assert!(page.contains("The leak check failed in this run: run 7 of limit failed"));
}

#[test]
fn figures_are_formatted_for_reading() {
    assert_eq!(count(Some(289_990.0)), "289 990");
    assert_eq!(count(Some(-1200.0)), "-1 200");
    assert_eq!(count(Some(12.0)), "12");
    assert_eq!(kb(Some(100_300.0)), "100.3 KB");
    assert_eq!(kib_growth(Some(589_824.0)), "+576.0 KiB");
    assert_eq!(kib_growth(Some(-2048.0)), "-2.0 KiB");
    assert_eq!(ratio(Some(1.0), Some(0.0)).0, "—");
    assert_eq!(when("2026-11-24"), "2026-11-24");
}

#[test]
fn write_puts_the_page_where_asked() {
    let dir = std::env::temp_dir().join(format!("xtask-bench-doc-{}", std::process::id()));
    let path = dir.join("docs/benchmarks.md");
    write(&fixture(), &path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), render(&fixture()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A report with tracing figures (traced ÷ untraced of 5.5 and 1.8) and a baseline.
fn with_tracing(empty_ratio: f64, sleeps_ratio: f64) -> Value {
    let mut report = fixture();
    report["tracing"] = json!({
        "empty": {"n": 100000, "looplab_traced_ms": 172.0, "looplab_untraced_ms": 31.0, "looplab_ratio": empty_ratio,
                  "js_ms": 16.0, "js_traced_ms": 40.0, "js_ratio": 2.5, "js_traced_events": 500000},
        "sleeps": {"n": 100000, "looplab_traced_ms": 356.0, "looplab_untraced_ms": 192.0, "looplab_ratio": sleeps_ratio,
                   "js_ms": 972.0, "js_traced_ms": 1100.0, "js_ratio": 1.13, "js_traced_events": 900000},
    });
    report["baseline"] = json!({
        "src_commit": "ab52c1e", "date": "2026-12-01T03:30:00Z", "load": {"before": [3.98, 2.7, 2.3], "after": [4.5, 3.0, 2.5]},
        "tracing": {"empty": {"looplab_ratio": 5.5}, "sleeps": {"looplab_ratio": 1.8}},
    });
    report
}

#[test]
fn tracing_is_held_to_the_baseline_within_ten_percent() {
    let what = "traced ÷ untraced, 100 000 empty tasks / 100 000 sleeps: within 10% of the baseline";
    let same = render(&with_tracing(5.5, 1.8));
    assert_eq!(target_row(&same, what)[1..], ["5.50× (baseline 5.50×) / 1.80× (baseline 1.80×)", "yes"]);
    // 6.05 = 5.5 × 1.1 is the most it may be; cheaper tracing always meets the target.
    assert_eq!(target_row(&render(&with_tracing(6.05, 1.2)), what)[2], "yes");
    // One workload over is a miss for the line.
    assert_eq!(target_row(&render(&with_tracing(5.5, 2.0)), what)[2], "no");
    // No baseline: no verdict, and the section says why.
    let mut none = with_tracing(5.5, 1.8);
    none["baseline"] = json!({"error": "bench/baseline.json: No such file"});
    let page = render(&none);
    assert_eq!(target_row(&page, what)[1..], ["5.50× (baseline —) / 1.80× (baseline —)", "—"]);
    assert!(page.contains("No baseline to compare with: bench/baseline.json: No such file"));
}

#[test]
fn the_tracing_table_shows_all_four_columns_and_both_ratios() {
    let page = render(&with_tracing(5.5, 1.8));
    let section = page.split("## What tracing costs").nth(1).expect("the tracing section");
    assert!(
        section.contains("| 100 000 empty tasks | 172.0 ms | 31.0 ms | 5.50× | 5.50× | 16.0 ms | 40.0 ms | 2.50× | 500 000 |"),
        "{section}"
    );
    assert!(section.contains("| 100 000 sleeps of 100 ms | 356.0 ms | 192.0 ms | 1.80× | 1.80× | 972.0 ms | 1100.0 ms | 1.13× | 900 000 |"));
    assert!(
        section.contains("commit `ab52c1e`") && section.contains("was 3.98 just before the measurements and 4.50 after them"),
        "{section}"
    );
}

/// A set of runs as the bench writes it.
fn runs(values: &[f64]) -> Value {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    json!({"median": sorted[sorted.len() / 2], "min": sorted[0], "max": sorted[sorted.len() - 1], "runs": values})
}

/// A report with the Python figures (`bench/python.mjs`'s shape, plus `dist`).
fn with_python() -> Value {
    let mut report = fixture();
    report["python"] = json!({
        "lesson": "sequential-vs-concurrent", "fetched_before_click": 0,
        "load": {"before": [1.5, 1.0, 1.0], "after": [2.25, 1.0, 1.0]}, "cold": {"median": 4321.0, "min": 4100.0, "max": 5000.0, "runs": [4100.0, 4321.0, 5000.0], "fetched_ms": runs(&[900.0, 950.0, 1000.0])},
        "warm": runs(&[20.0, 25.0, 30.0]),
        "fetched": {"requests": 2, "warm_requests": 0, "bytes": 9_617_130, "transferred_bytes": 9_617_730, "files": [
            {"path": "/pyodide/pyodide.asm.wasm", "bytes": 9_598_218, "transferred_bytes": 9_598_518},
            {"path": "/pyodide/extra.js", "bytes": 18_912, "transferred_bytes": 19_212}]},
        "dist": {"bytes": 9_616_130, "gz_bytes": 3_000_000, "files": [
            {"path": "/pyodide/pyodide.asm.wasm", "bytes": 9_598_218, "gz_bytes": 2_990_000},
            {"path": "/pyodide/pyodide.mjs", "bytes": 17_912, "gz_bytes": 10_000}]},
        "steps": {"tasks": 100, "sleeps": 500, "steps": 50_102, "recorded_steps": 50_102, "ratio": runs(&[1.9, 2.0, 2.1]),
                  "traced": {"us_per_step": runs(&[40.0, 42.0, 44.0]), "call_ms": runs(&[2500.0])},
                  "untraced": {"us_per_step": runs(&[20.0, 21.0, 22.0]), "call_ms": runs(&[1050.0])}},
        "sleep0": {"sleeps": 2000, "us_per_step": runs(&[480.0, 490.0, 500.0]), "traced_us_per_step": runs(&[500.0]), "js_message_us": runs(&[8.0, 9.0, 10.0])},
    });
    report
}

#[test]
fn the_python_section_shows_its_download_wait_and_steps() {
    let page = render(&with_python());
    assert_eq!(target_row(&page, "Pyodide fetched before the reader asks")[1..], ["0 files", "yes"]);
    let section = page.split("## The Python too (Pyodide)").nth(1).expect("the Python section");
    assert!(section.contains("| `/pyodide/pyodide.asm.wasm` | 9.60 MB | 2.99 MB | 9.60 MB | 9.60 MB |"), "{section}");
    assert!(section.contains("| `/pyodide/pyodide.mjs` | 17.9 KB | 10.0 KB | — | — |"), "{section}");
    assert!(section.contains("| `/pyodide/extra.js` (not copied by `dist`) | — | — | 18.9 KB | 19.2 KB |"), "{section}");
    assert!(section.contains("| cold: click → **first Python step** | 4 321 ms | 4 100 ms – 5 000 ms | 3 |"), "{section}");
    assert!(section.contains("| warm: click → **first Python step** | 25.0 ms | 20.0 ms – 30.0 ms | 3 |"), "{section}");
    assert!(section.contains("| 100 tasks × 500 `await asyncio.sleep(0)`, traced | 42.0 µs | 40.0 µs – 44.0 µs | 2 500 ms |"), "{section}");
    assert!(section.contains("| traced ÷ untraced | 2.00× | 1.90× – 2.10× | — |"), "{section}");
    assert!(section.contains("| 1 task × 2 000 `await asyncio.sleep(0)`, untraced | 490.0 µs |"), "{section}");
    assert!(section.contains("| 1 task × 2 000 `await asyncio.sleep(0)`, traced | 500.0 µs | 500.0 µs – 500.0 µs | — |"), "{section}");
    assert!(section.contains("| cold: click → Python ready | — | — | 0 |"), "an absent figure is a dash: {section}");
    assert!(section.contains("The first run made 2 requests under `/pyodide/`; the warm runs after it on the same page, 0."), "{section}");
    assert!(!section.contains("measured on their own"), "same run, no separate date");
    let mut seconds_later = with_python();
    seconds_later["python"]["date"] = json!("2026-11-24T10:00:03Z");
    assert!(!render(&seconds_later).contains("measured on their own"), "a date of its own is not a run of its own");
    assert!(section.contains("was 1.50 just before these measurements and 2.25 after them."), "{section}");

    let mut late = with_python();
    late["python"]["date"] = json!("2026-12-02T10:00:00Z");
    late["python"]["alone"] = json!(true);
    late["python"]["fetched_before_click"] = json!(3);
    let page = render(&late);
    assert!(page.contains("measured on their own (`cargo xtask bench --python`), 2026-12-02 10:00 UTC."));
    assert_eq!(target_row(&page, "Pyodide fetched before the reader asks")[1..], ["3 files", "no"]);
}

#[test]
fn a_python_measurement_that_failed_says_so() {
    let page = render(&json!({"python": {"error": "bench/python.mjs failed (exit status: 1)"}}));
    assert!(page.contains("The Python measurement failed in this run: bench/python.mjs failed (exit status: 1)"));
    assert!(render(&json!({})).contains("The Python measurement: not measured in this run"));
}
