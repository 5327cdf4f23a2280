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
