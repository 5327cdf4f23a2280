//! What a reader's browser pays: the first load of one embed against its budget,
//! Lighthouse on the lesson page, and memory over hundreds of runs.
//!
//! The sizes are `size` in the report (measured by `xtask/src/bench.rs` with
//! `bench/first-load.mjs`); Lighthouse and the leak check are `reliability`
//! (`bench/lighthouse.mjs`, `bench/leak.mjs`).

use super::{budget_kb, count, error, kb, kib_growth, list, num, secs, text, Page};
use serde_json::Value;

/// Writes the size, Lighthouse and leak sections.
pub(super) fn sections(report: &Value, page: &mut Page) {
    first_loads(report, page);
    lighthouse(report, page);
    leak(report, page);
}

/// Every lesson's first load, as `<loop-lab>` and as the iframe form, against the budget.
fn first_loads(report: &Value, page: &mut Page) {
    page.heading("First load of one embed");
    let lessons = list(report, "/size/first_loads");
    let budget = num(report, "/size/budget_gz_bytes");
    load_targets(report, budget, page);
    let Some(budget) = budget.filter(|_| !lessons.is_empty()) else {
        return page.missing("The first-load measurement", None);
    };
    page.para(&format!(
        "What a documentation page showing one lesson downloads before that lesson is on \
         screen. The bench writes the static site as `cargo xtask dist` does (JavaScript \
         and CSS minified), adds one host page per lesson with a single `<loop-lab>`, \
         opens each in a fresh headless Chromium context (an empty cache), lists every \
         file fetched, and gzips (-9) the wasm, JavaScript and CSS among them; the HTML \
         page itself, its icon and the demo API are not counted. The iframe form \
         (`index.html?lesson=ID&embed`) is measured the same way. The budget is {} per \
         embed. The bench's server answers the demo API itself; on a static host a \
         lesson that calls it also loads `www/api.js` and the Service Worker `sw.js` \
         (and, on a page outside Loop Lab's folder, the empty `bridge.html`).",
        budget_kb(Some(budget))
    ));
    let frames = list(report, "/size/iframe_first_loads");
    let frame_of = |id: &str| frames.iter().find(|f| f["lesson"].as_str() == Some(id)).and_then(|f| f["gz_bytes"].as_f64());
    let mut sorted: Vec<&Value> = lessons.iter().collect();
    sorted.sort_by(|a, b| a["gz_bytes"].as_f64().partial_cmp(&b["gz_bytes"].as_f64()).unwrap_or(std::cmp::Ordering::Equal));
    let within = |bytes: Option<f64>| bytes.map(|b| b <= budget);
    let rows: Vec<Vec<String>> = sorted
        .iter()
        .map(|l| {
            let id = l["lesson"].as_str().unwrap_or("?");
            let (element, frame) = (l["gz_bytes"].as_f64(), frame_of(id));
            let ok = within(element).zip(within(frame)).map(|(a, b)| a && b);
            vec![format!("`{id}`"), kb(element), kb(frame), super::yes_no(ok).into()]
        })
        .collect();
    page.table(&["lesson shown alone", "`<loop-lab>`", "iframe form", "both within budget"], &rows);
    load_details(report, lessons, &frame_of, page);
}

/// The two budget targets: the largest first load of each form.
fn load_targets(report: &Value, budget: Option<f64>, page: &mut Page) {
    for (form, key) in [("`<loop-lab>`", "total_gz_bytes"), ("iframe form", "iframe_total_gz_bytes")] {
        let worst = num(report, &format!("/size/{key}"));
        page.target(&format!("largest first load, {form}: ≤ {}", budget_kb(budget)), kb(worst), worst.zip(budget).map(|(w, b)| w <= b));
    }
}

/// The iframe form's extra, the full module, and the largest load file by file.
fn load_details(report: &Value, lessons: &[Value], frame_of: &dyn Fn(&str) -> Option<f64>, page: &mut Page) {
    let extras: Vec<f64> = lessons.iter().filter_map(|l| Some(frame_of(l["lesson"].as_str()?)? - l["gz_bytes"].as_f64()?)).collect();
    if let (Some(low), Some(high)) = (extras.iter().copied().reduce(f64::min), extras.iter().copied().reduce(f64::max)) {
        page.para(&format!(
            "The iframe form runs on the lesson's own module too, and adds the lesson \
             page's `boot.js`, `frame.js` and `style.css`: {} to {} more.",
            kb(Some(low)),
            kb(Some(high))
        ));
    }
    page.para(&format!(
        "A page showing several different lessons loads the full module instead: {} for \
         a page with three (of which the full wasm is {}).",
        kb(num(report, "/size/three_lessons_gz_bytes")),
        kb(num(report, "/size/wasm_gz_bytes"))
    ));
    let files = list(report, "/size/first_load");
    if !files.is_empty() {
        let lesson = text(report, "/size/first_load_lesson").unwrap_or("the largest lesson");
        page.para(&format!("The largest first load, `{lesson}` as `<loop-lab>`, file by file:"));
        let rows: Vec<Vec<String>> =
            files.iter().map(|f| vec![format!("`{}`", f["path"].as_str().unwrap_or("?")), kb(f["gz_bytes"].as_f64())]).collect();
        page.table(&["file", "gzipped"], &rows);
    }
    wasm_top(report, page);
    page.para(KEPT_SMALL);
}

/// The full wasm's biggest items, by twiggy, when the report has them.
fn wasm_top(report: &Value, page: &mut Page) {
    let items = list(report, "/size/wasm_top");
    if items.is_empty() {
        return;
    }
    page.para(
        "The full wasm's biggest items (`twiggy top`, raw bytes, from a copy optimized \
         the same way with its names kept):",
    );
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| vec![format!("`{}`", i["item"].as_str().unwrap_or("?").replace('|', "\\|")), count(i["bytes"].as_f64())])
        .collect();
    page.table(&["item", "bytes"], &rows);
}

/// What keeps a first load small: the means, without figures (the figures are above).
const KEPT_SMALL: &str = "What keeps a first load small: **one module per lesson** \
    (`cargo xtask build` compiles the crate once more per lesson, into `pkg/one/<id>/`, \
    and `www/embed.js` loads it when every element on the page shows that lesson); \
    **short import and export names** in those modules (`wasm-opt` renames them and \
    `xtask/src/names.rs` makes the same renames in the JavaScript glue, checked); \
    **one sort routine** for every timestamp sort; **no string slicing at run time** \
    (the code a lesson shows is cut from its file by `build.rs`); the **talc** \
    allocator; the Web Worker's exports only in the modules whose lesson has a worker; \
    and a **minified site** (`cargo xtask dist`; the panic notice, `www/notice.js`, is \
    loaded only when Loop Lab stops). A change that adds to the largest lesson shows \
    in `size.within_budget` and `size.iframe_within_budget` of the report.";

/// Lighthouse's scores on the lesson page, against their targets.
fn lighthouse(report: &Value, page: &mut Page) {
    page.heading("Lighthouse");
    let at = "/reliability/lighthouse";
    if report.pointer(&format!("{at}/scores")).is_none() {
        page.target("Lighthouse scores", "—".into(), None);
        return page.missing("Lighthouse", error(report, at));
    }
    page.para(&format!(
        "Lighthouse {} with its defaults — a mid-range phone on a slow 4G connection \
         (form factor `{}`, throttling `{}`) — on the lesson page served by the dev server.",
        text(report, &format!("{at}/lighthouse")).unwrap_or("(version not recorded)"),
        text(report, &format!("{at}/form_factor")).unwrap_or("?"),
        text(report, &format!("{at}/throttling")).unwrap_or("?")
    ));
    let mut rows = Vec::new();
    for (name, key) in [("accessibility", "accessibility"), ("best practices", "best_practices"), ("performance", "performance")] {
        let score = num(report, &format!("{at}/scores/{key}"));
        let target = num(report, &format!("{at}/targets/{key}"));
        let met = score.zip(target).map(|(s, t)| s >= t);
        let shown = |v: Option<f64>| v.map_or("—".into(), |v| format!("{v:.0}"));
        rows.push(vec![name.into(), shown(score), format!("≥ {}", shown(target))]);
        page.target(&format!("Lighthouse {name}: ≥ {}", shown(target)), shown(score), met);
    }
    page.table(&["category", "score", "target"], &rows);
    let metric = |key: &str| num(report, &format!("{at}/metrics/{key}"));
    page.para(&format!(
        "Behind the performance score (simulated phone): first contentful paint {}, \
         largest contentful paint {}, total blocking time {}, speed index {}, cumulative \
         layout shift {}.",
        secs(metric("fcp_ms")),
        secs(metric("lcp_ms")),
        metric("tbt_ms").map_or("—".into(), |t| format!("{t:.0} ms")),
        secs(metric("speed_index_ms")),
        metric("cls").map_or("—".into(), |c| format!("{c:.3}"))
    ));
    let failed: Vec<&str> = list(report, &format!("{at}/failed_audits")).iter().filter_map(Value::as_str).collect();
    if !failed.is_empty() {
        page.para(&format!("Audits without full marks: {}.", failed.join("; ")));
    }
}

/// Memory after run 10 and after the last of many runs of the heaviest lesson.
fn leak(report: &Value, page: &mut Page) {
    page.heading("Memory over many runs");
    let at = "/reliability/leak";
    let Some(runs) = num(report, &format!("{at}/runs")) else {
        return page.missing("The leak check", error(report, at));
    };
    let lesson = text(report, &format!("{at}/lesson")).unwrap_or("?");
    let events =
        list(report, &format!("{at}/candidates")).iter().find(|c| c["id"].as_str() == Some(lesson)).and_then(|c| c["events"].as_f64());
    page.para(&format!(
        "The heaviest lesson — of four candidates, the one whose run records most events \
         (`{lesson}`: {} events per run) — runs {} times in a row in one element. Memory \
         is read after run 10 and after the last, each time after a forced garbage \
         collection. Wasm memory never shrinks, so its growth is what the runs kept.",
        count(events),
        count(Some(runs))
    ));
    let records = |which: &str| count(num(report, &format!("{at}/{which}/live_records")));
    let rows = [vec![
        kib_growth(num(report, &format!("{at}/wasm_growth_bytes"))),
        kib_growth(num(report, &format!("{at}/js_heap_growth_bytes"))),
        format!("{} → {}", records("after_10"), records("after_last")),
        num(report, &format!("{at}/measure_entries_growth")).map_or("—".into(), |g| format!("{g:+.0}")),
    ]];
    page.table(&["wasm memory", "JS heap (after GC)", "live records", "`performance.measure` entries"], &rows);
    page.para(
        "`e2e/leak.test.mjs` repeats this measurement in every `cargo xtask test` and \
         holds it to fixed bounds; see [Reliability](reliability.md).",
    );
}
