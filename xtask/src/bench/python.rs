//! Pyodide in the bench: the report's `python`.
//!
//! "Run the Python too" downloads CPython compiled to WebAssembly (Pyodide) the first
//! time a reader asks, then runs the lesson's Python traced. Three things are worth
//! knowing about that, and this module measures them, on the static site `cargo
//! xtask dist` writes (`target/bench/site/`, Pyodide in its `pyodide/`):
//!
//! - what it weighs: the bytes of the files `dist` copies into `pyodide/`, raw and
//!   gzipped (-9, as every other size of the bench), measured here (`dist`); and what
//!   the first click actually fetched, as the browser reports it (`fetched`);
//! - how long the reader waits: from the click on "Run the Python too" to the first
//!   Python task's first step, cold (a fresh browser, nothing cached) and warm (the
//!   same page again, Pyodide loaded), median and range of a few runs;
//! - what tracing costs per asyncio step, traced against untraced, and what one
//!   `await asyncio.sleep(0)` costs by itself.
//!
//! The browser side is `bench/python.mjs` (its head says how each figure is taken);
//! this side writes the host page, serves the site, runs the script, and adds `dist`,
//! the date and the machine's load. `cargo xtask bench --python` does only this, and
//! puts the result into the last report (`target/bench/report.json`).

use crate::cmd::step;
use crate::{bench_doc, build, server, tools, Result};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};

/// The lesson whose Python the timing runs: two waits one after the other, then
/// together. Its waits are shortened (100 and 200 ms): the figure is the start.
const LESSON: &str = "sequential-vs-concurrent";

/// The host page, in the site: one `<loop-lab python>` element.
const PAGE: &str = "examples/first-load/python.html";

/// The report's `python`; a failure is recorded as `{error}` (and said on stderr), so
/// the rest of the bench stands.
pub(super) fn entry(root: &Path, site: &Path) -> Value {
    measure(root, site).unwrap_or_else(|error| {
        eprintln!("bench: the Python measurements failed: {error}");
        json!({ "error": error.to_string() })
    })
}

/// `cargo xtask bench --python`: writes the site from the `pkg/` built last, measures
/// the Python only, replaces `python` in `target/bench/report.json` (made if absent)
/// and rewrites the page; returns the report.
pub(super) fn only(root: &Path) -> Result<Value> {
    tools::ensure(tools::Need::Browser)?;
    let site = root.join("target/bench/site");
    crate::dist::write_site(root, &site)
        .map_err(|e| format!("{e} (`--python` uses the pkg/ built last: run `cargo xtask build` first)"))?;
    let path = root.join("target/bench/report.json");
    let mut report: Value = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?,
        Err(_) => json!({}),
    };
    let object = report.as_object_mut().ok_or("the saved report is not a JSON object")?;
    let mut python = measure(root, &site)?;
    // The page says these figures come from a run of their own (the rest from an earlier one).
    python["alone"] = json!(true);
    object.insert("python".into(), python);
    std::fs::create_dir_all(root.join("target/bench"))?;
    std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")?;
    step("bench", &format!("python written into {}", path.display()));
    bench_doc::write(&report, &root.join(bench_doc::PAGE))?;
    Ok(report)
}

fn measure(root: &Path, site: &Path) -> Result<Value> {
    let page = site.join(PAGE);
    std::fs::create_dir_all(page.parent().unwrap_or(site))?;
    std::fs::write(&page, host_page())?;
    let dist = dist_sizes(&site.join("pyodide"))?;
    let server = server::start("127.0.0.1", 0, site)?;
    let url = format!("http://{}/{PAGE}", server.addr);
    step("bench", &format!("Pyodide: download, first step and step costs on {url}"));
    let load_before = super::load_average();
    let out = Command::new("node").arg(root.join("bench/python.mjs")).arg(&url).stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("bench/python.mjs failed ({})", out.status).into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut entry: Value =
        serde_json::from_str(stdout.lines().last().unwrap_or("")).map_err(|e| format!("bench/python.mjs printed no JSON object: {e}"))?;
    let object = entry.as_object_mut().ok_or("bench/python.mjs printed no JSON object")?;
    object.insert("dist".into(), dist);
    object.insert("date".into(), json!(super::utc_now()));
    object.insert("load".into(), json!({ "before": load_before, "after": super::load_average() }));
    Ok(entry)
}

/// The host page: the lesson with its Python button, its waits shortened.
fn host_page() -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Loop Lab: the Python too</title>\n  \
         <link rel=\"icon\" href=\"data:,\">\n  \
         <script type=\"module\" src=\"../../www/embed.js\"></script>\n</head>\n<body>\n  \
         <loop-lab lesson=\"{LESSON}\" python alice-ms=\"100\" bob-ms=\"200\" api-base=\"../../api/\"></loop-lab>\n</body>\n</html>\n"
    )
}

/// The files `dist` copied into `dir` ([`crate::dist::PYODIDE_FILES`]): each one's
/// bytes, raw and gzipped (-9), and the totals.
fn dist_sizes(dir: &Path) -> Result<Value> {
    let mut files = Vec::new();
    for name in crate::dist::PYODIDE_FILES {
        let bytes = std::fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()))?;
        files.push(json!({ "path": format!("/pyodide/{name}"), "bytes": bytes.len(), "gz_bytes": build::gzip_len(&bytes) }));
    }
    let sum = |key: &str| files.iter().filter_map(|f| f[key].as_u64()).sum::<u64>();
    Ok(json!({ "bytes": sum("bytes"), "gz_bytes": sum("gz_bytes"), "files": files }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_page_asks_for_the_python_button() {
        let page = host_page();
        assert!(page.contains(&format!("<loop-lab lesson=\"{LESSON}\" python ")), "{page}");
        assert!(page.contains("src=\"../../www/embed.js\""), "{page}");
    }

    #[test]
    fn dist_sizes_name_every_copied_file() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-python-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in crate::dist::PYODIDE_FILES {
            std::fs::write(dir.join(name), vec![b'a'; 1000]).unwrap();
        }
        let sizes = dist_sizes(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(sizes["files"].as_array().unwrap().len(), crate::dist::PYODIDE_FILES.len());
        assert_eq!(sizes["bytes"], json!(1000 * crate::dist::PYODIDE_FILES.len()));
        let gz = sizes["gz_bytes"].as_u64().unwrap();
        assert!(gz > 0 && gz < 1000 * crate::dist::PYODIDE_FILES.len() as u64, "a run of one byte compresses: {gz}");
    }
}
