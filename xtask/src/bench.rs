//! `cargo xtask bench`: measure Loop Lab in a real browser and write
//! `target/bench/report.json`.
//!
//! The measurements themselves live in `bench/index.html` + `bench/bench.js`,
//! which set `window.benchDone` to a Promise of `{timers, spawn, fetch, …}`.
//! `bench/run.mjs` opens that page in headless Chromium against a dev server
//! started here, and prints the result as JSON. We add what only this side
//! knows — download sizes (`size`) and the machine (`machine`) — because a
//! timing means nothing without the hardware and browser it was taken on.
//! Last, the report becomes `docs/benchmarks.md` ([`crate::bench_doc`]);
//! `cargo xtask bench --from FILE` does only that last step, from a saved report.
//! The report also carries `bench/baseline.json` ([`crate::bench_baseline`]), the
//! tracing ratios this run is held to; `--save-baseline` stores this run's instead.
//! Pyodide's figures (`python`: its download, the time to the first Python step,
//! tracing's cost per step) are measured by [`python`]; `--python` measures only them.

mod python;

use crate::args::Args;
use crate::cmd::{output, step};
use crate::tools::{self, Need, CHROMIUM};
use crate::{bench_baseline, bench_doc, build, repo_root, server, Result};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};

/// `cargo xtask bench [--from FILE] [--python] [--save-baseline]`: measure, or only
/// rewrite the page from `FILE`, or measure only the Python (into the last report);
/// with `--save-baseline`, then store the report's tracing ratios.
pub fn cli(mut args: Args) -> Result<()> {
    let from = args.value("--from")?;
    let only_python = args.flag("--python");
    let save_baseline = args.flag("--save-baseline");
    args.finish()?;
    let root = repo_root();
    let report = match (from, only_python) {
        (Some(_), true) => return Err("--from and --python do not go together".into()),
        (Some(file), false) => bench_doc::from_file(&root, Path::new(&file))?,
        (None, true) => python::only(&root)?,
        (None, false) => run()?,
    };
    step("bench", &format!("{} written", bench_doc::PAGE));
    if save_baseline {
        bench_baseline::save(&root, &report)?;
        step("bench", &format!("{} written from this report", bench_baseline::FILE));
    }
    Ok(())
}

/// Builds, runs the browser benchmarks, writes and prints the report and the page;
/// returns the report.
pub fn run() -> Result<Value> {
    tools::ensure(Need::Browser)?;
    // The page's package is what readers download (measured below); the benchmark
    // page runs its own build, which adds the `bench*` exports.
    let built = build::build(false, true)?;
    let named = build::named_wasm()?;
    build::build_bench()?;
    let root = repo_root();
    let loads = first_loads(&root)?;
    let api = server::start("127.0.0.1", 0, &root)?;
    let url = format!("http://{}/bench/index.html", api.addr);
    step("bench", &format!("running {url} in headless Chromium"));
    let load_before = load_average();
    let out = Command::new("node").arg(root.join("bench/run.mjs")).arg(&url).stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("bench/run.mjs failed ({})", out.status).into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or("");
    let mut report: Value = serde_json::from_str(last).map_err(|e| format!("bench/run.mjs printed no JSON object: {e}"))?;
    let object = report.as_object_mut().ok_or("bench results are not a JSON object")?;
    object.insert("python".into(), python::entry(&root, &loads.site));
    object.insert("size".into(), size_entry(&built.wasm, &built.js, &loads, &named)?);
    object.insert("machine".into(), machine_entry(load_before));
    object.insert("baseline".into(), bench_baseline::read(&root));

    let path = root.join("target/bench/report.json");
    std::fs::create_dir_all(path.parent().unwrap_or(&root))?;
    std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")?;
    print_table(&report);
    step("bench", &format!("report written to {}", path.display()));
    bench_doc::write(&report, &root.join(bench_doc::PAGE))?;
    Ok(report)
}

/// What a page with one `<loop-lab>` element downloads before its lesson is on
/// screen, for every lesson: the static site as `cargo xtask dist` writes it (the
/// files a documentation site would host), in `target/bench/site/`, with one host
/// page per lesson (`examples/first-load/<id>.html`: the dev server serves static
/// files only under its known folders), and for comparison a page with three
/// different lessons (`three.html`, which loads the full build). The same for the
/// iframe form of every lesson (`index.html?lesson=<id>&embed`, named `iframe:<id>`).
struct Loads {
    site: std::path::PathBuf,
    /// (page name, paths on the server).
    pages: Vec<(String, Vec<String>)>,
}

fn first_loads(root: &Path) -> Result<Loads> {
    let site = root.join("target/bench/site");
    crate::dist::write_site(root, &site)?;
    let pages_dir = site.join("examples/first-load");
    std::fs::create_dir_all(&pages_dir)?;
    let ids = crate::lessons::ids(root)?;
    for id in &ids {
        std::fs::write(pages_dir.join(format!("{id}.html")), host_page(&[id]))?;
    }
    std::fs::write(pages_dir.join("three.html"), host_page(&["sequential-vs-concurrent", "gather-fetch", "timeout"]))?;
    let server = server::start("127.0.0.1", 0, &site)?;
    let at = |path: &str| format!("http://{}/{path}", server.addr);
    // (page name, its URL): each lesson alone, the three-lesson page, and the iframe
    // form of each lesson (the lesson page showing that lesson alone).
    let mut named: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), at(&format!("examples/first-load/{id}.html")))).collect();
    named.push(("three".into(), at("examples/first-load/three.html")));
    named.extend(ids.iter().map(|id| (format!("{IFRAME}{id}"), at(&format!("index.html?lesson={id}&embed")))));
    step("bench", &format!("first load of one embed, {} pages on http://{}/", named.len(), server.addr));
    let out = Command::new("node")
        .arg(root.join("bench/first-load.mjs"))
        .args(named.iter().map(|(_, url)| url))
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!("bench/first-load.mjs failed ({})", out.status).into());
    }
    let lists: Vec<Vec<String>> = serde_json::from_slice(out.stdout.trim_ascii())?;
    let pages: Vec<(String, Vec<String>)> = named.into_iter().map(|(name, _)| name).zip(lists).collect();
    if let Some((name, paths)) = pages.iter().find(|(_, paths)| !paths.iter().any(|p| p.ends_with(".wasm"))) {
        return Err(format!("the embed page {name} loaded no wasm: {paths:?}").into());
    }
    Ok(Loads { site, pages })
}

/// A documentation page embedding `lessons`, one element each.
fn host_page(lessons: &[&str]) -> String {
    let elements: String = lessons.iter().map(|id| format!("  <loop-lab lesson=\"{id}\" api-base=\"../../api/\"></loop-lab>\n")).collect();
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Loop Lab: first load</title>\n  \
         <script type=\"module\" src=\"../../www/embed.js\"></script>\n</head>\n<body>\n{elements}</body>\n</html>\n"
    )
}

/// The budget for the first load of one embed (wasm + JS + CSS, gzipped): 100 KB.
const FIRST_LOAD_BUDGET: usize = 100_000;

/// The prefix of the iframe form's page names in [`Loads`].
const IFRAME: &str = "iframe:";

/// Gzipped (-9) bytes: the full build's wasm and JS glue; the first load of one
/// embed for every lesson (`first_loads`), the largest as `total_gz_bytes` with its
/// files (`first_load`) and the budget; the three-lesson page; the same for the
/// iframe form (`iframe_first_loads`, `iframe_total_gz_bytes`, …); and the full
/// wasm's biggest items by twiggy (from a copy optimized the same way, names kept).
fn size_entry(wasm: &Path, js: &Path, loads: &Loads, named: &Path) -> Result<Value> {
    let gz = |p: &Path| -> Result<usize> { Ok(build::gzip_len(&std::fs::read(p)?)) };
    let mut pages = Vec::new();
    for (name, paths) in &loads.pages {
        let mut files = Vec::new();
        // What the budget counts: wasm, JS and CSS (not the HTML, an icon, the demo API).
        for path in paths.iter().filter(|p| [".wasm", ".js", ".css"].iter().any(|ext| p.ends_with(ext))) {
            let file = loads.site.join(path.trim_start_matches('/'));
            files.push(json!({ "path": path, "gz_bytes": gz(&file).map_err(|e| format!("{path}: {e}"))? }));
        }
        files.sort_by_key(|f| std::cmp::Reverse(f["gz_bytes"].as_u64()));
        let total: u64 = files.iter().filter_map(|f| f["gz_bytes"].as_u64()).sum();
        pages.push((name.clone(), total, files));
    }
    let (three, pages): (Vec<_>, Vec<_>) = pages.into_iter().partition(|(name, _, _)| name == "three");
    let (frames, lessons): (Vec<_>, Vec<_>) = pages.into_iter().partition(|(name, _, _)| name.starts_with(IFRAME));
    let worst = lessons.iter().max_by_key(|(_, total, _)| *total).ok_or("no lesson pages")?;
    let worst_frame = frames.iter().max_by_key(|(_, total, _)| *total).ok_or("no iframe pages")?;
    Ok(json!({
        "wasm_gz_bytes": gz(wasm)?,
        "js_gz_bytes": gz(js)?,
        "total_gz_bytes": worst.1,
        "budget_gz_bytes": FIRST_LOAD_BUDGET,
        "within_budget": worst.1 <= FIRST_LOAD_BUDGET as u64,
        "first_load_lesson": worst.0,
        "first_load": worst.2,
        "first_loads": lessons.iter().map(|(name, total, _)| json!({ "lesson": name, "gz_bytes": total })).collect::<Vec<_>>(),
        "three_lessons_gz_bytes": three.first().map(|t| t.1),
        "iframe_first_loads": frames.iter().map(|(name, total, _)| json!({ "lesson": &name[IFRAME.len()..], "gz_bytes": total })).collect::<Vec<_>>(),
        "iframe_total_gz_bytes": worst_frame.1,
        "iframe_within_budget": worst_frame.1 <= FIRST_LOAD_BUDGET as u64,
        "iframe_first_load": worst_frame.2,
        "wasm_top": wasm_top(named).unwrap_or_else(|e| json!({ "error": e.to_string() })),
    }))
}

/// The 12 biggest items of the wasm (raw bytes), by `twiggy top`.
fn wasm_top(named: &Path) -> Result<Value> {
    tools::ensure_twiggy()?;
    let out = Command::new("twiggy").args(["top", "-n", "12", "-f", "json"]).arg(named).output()?;
    if !out.status.success() {
        return Err(format!("twiggy failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let items: Value = serde_json::from_slice(&out.stdout)?;
    let items = items.as_array().cloned().unwrap_or_default();
    Ok(Value::Array(
        items
            .into_iter()
            .filter(|i| i["name"].as_str().is_some_and(|n| !n.contains("subsection") && !n.starts_with("custom section")))
            .map(|i| json!({ "item": i["name"], "bytes": i["shallow_size"] }))
            .collect(),
    ))
}

/// The machine's load average over 1, 5 and 15 minutes (`/proc/loadavg`): how busy
/// the shared machine was, which a timing is meaningless without.
fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

/// The machine, the browser, the date, the commit measured, and the load average
/// just before the measurements (the builds done) and after them.
fn machine_entry(load_before: Option<[f64; 3]>) -> Value {
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
        .map(|(_, model)| model.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let chromium = output(CHROMIUM, &["--version"]).unwrap_or_else(|| "unknown".into());
    let root = repo_root();
    let git = |args: &[&str]| output("git", &[&["-C", &root.to_string_lossy()], args].concat());
    let commit = git(&["rev-parse", "--short", "HEAD"]);
    // The last commit that changed the runtime itself (`src/`): what a timing measures.
    let src_commit = git(&["log", "-1", "--format=%h", "--", "src"]);
    let dirty = git(&["status", "--porcelain", "--", "src", "bench"]).is_some_and(|s| !s.is_empty());
    let load = json!({ "before": load_before, "after": load_average() });
    json!({ "nproc": nproc, "cpu": cpu, "chromium": chromium, "date": utc_now(), "commit": commit, "src_commit": src_commit, "dirty": dirty, "load": load })
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`, without a date crate.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm:
/// count in 400-year eras starting on March 1st, so the leap day is last.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year, from March 1st
    let mp = (5 * doy + 2) / 153; // month, March = 0
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Prints every leaf of the report as `path  value` (`fetch[0].js_ms  221`), aligned.
fn print_table(report: &Value) {
    let mut rows = Vec::new();
    flatten("", report, &mut rows);
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    println!("\n{:width$}  value", "measure");
    println!("{:-<width$}  {:-<5}", "", "");
    for (key, value) in rows {
        println!("{key:width$}  {value}");
    }
    println!();
}

fn flatten(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, child, rows);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), child, rows);
            }
        }
        Value::Number(n) => rows.push((prefix.to_string(), format_number(n))),
        Value::String(s) => rows.push((prefix.to_string(), s.clone())),
        other => {
            let text = other.to_string();
            let shown = if text.chars().count() > 60 { format!("{}…", text.chars().take(57).collect::<String>()) } else { text };
            rows.push((prefix.to_string(), shown));
        }
    }
}

fn format_number(n: &serde_json::Number) -> String {
    match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => i.to_string(),
        (None, Some(f)) => format!("{f:.2}"),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_000), (2024, 10, 4));
    }

    #[test]
    fn flattening_names_leaves_by_path() {
        let mut rows = Vec::new();
        flatten("", &json!({"timers": [{"mean_ms": 4.256, "n": 3}], "ok": true}), &mut rows);
        assert_eq!(rows, [("ok".into(), "true".into()), ("timers[0].mean_ms".into(), "4.26".into()), ("timers[0].n".into(), "3".into())]);
    }
}
