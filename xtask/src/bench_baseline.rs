//! `bench/baseline.json`: the tracing ratios a later run is held to.
//!
//! What recording costs is measured as a ratio inside one run (traced ÷ untraced,
//! see [`crate::bench_doc`]); whether a change made recording dearer needs the ratio
//! of a run before the change. `cargo xtask bench --save-baseline` stores the run's
//! `tracing` figures here with what makes them mean something — the commit of the
//! runtime measured, the date, the machine and its load — and every later run copies
//! the file into its report as `baseline`, so a report says what it was compared with.
//! The file is committed; it changes only when someone saves a new baseline.

use crate::Result;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Where the baseline lives, relative to the repository root.
pub const FILE: &str = "bench/baseline.json";

fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

/// The stored baseline, or `{"error": …}` saying why there is none to compare with.
pub fn read(root: &Path) -> Value {
    let file = path(root);
    let parsed = std::fs::read_to_string(&file)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| format!("not JSON: {e}")));
    match parsed {
        Ok(baseline) if baseline.pointer("/tracing").is_some() => baseline,
        Ok(_) => json!({ "error": format!("{FILE} holds no tracing figures") }),
        Err(e) => json!({ "error": format!("{FILE}: {e}") }),
    }
}

/// Writes the baseline from `report`: its `tracing` figures, with the commit, date,
/// machine and load of the run that measured them.
pub fn save(root: &Path, report: &Value) -> Result<()> {
    let baseline = from_report(report)?;
    std::fs::write(path(root), serde_json::to_string_pretty(&baseline)? + "\n")?;
    Ok(())
}

/// The baseline `report` makes; an error when it has no tracing figures.
fn from_report(report: &Value) -> Result<Value> {
    let tracing =
        report.get("tracing").filter(|t| t.is_object()).ok_or("the report has no `tracing` figures (a bench from before them?)")?;
    let machine = &report["machine"];
    Ok(json!({
        "about": "Traced ÷ untraced for 100 000 empty tasks and 100 000 sleeps, Loop Lab's and a JS recorder's: \
                  what `cargo xtask bench` holds later runs to (within 10%). Saved by `cargo xtask bench --save-baseline`.",
        "src_commit": machine["src_commit"],
        "commit": machine["commit"],
        "dirty": machine["dirty"],
        "date": machine["date"],
        "load": machine["load"],
        "cpu": machine["cpu"],
        "nproc": machine["nproc"],
        "chromium": machine["chromium"],
        "tracing": tracing,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_baseline_is_read_back_with_its_provenance() {
        let dir = std::env::temp_dir().join(format!("xtask-baseline-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("bench")).unwrap();
        let report = json!({
            "tracing": {"empty": {"looplab_ratio": 5.5}},
            "machine": {"src_commit": "ab52c1e", "date": "2026-12-01T03:30:00Z", "load": {"before": [1.5, 1.0, 0.5]}},
        });
        save(&dir, &report).unwrap();
        let back = read(&dir);
        assert_eq!(back["tracing"]["empty"]["looplab_ratio"], 5.5);
        assert_eq!(back["src_commit"], "ab52c1e");
        assert_eq!(back["load"]["before"][0], 1.5);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_baseline_is_an_error_in_the_report_not_a_failure() {
        let missing = read(Path::new("/nonexistent-looplab-root"));
        assert!(missing["error"].as_str().is_some_and(|e| e.starts_with(FILE)), "{missing}");
        assert!(from_report(&json!({"machine": {}})).is_err());
    }
}
