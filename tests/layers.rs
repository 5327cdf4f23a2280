//! The layers import only downward (docs/architecture.md):
//!
//! ```text
//! app ──▶ lessons ──▶ runtime ──▶ trace
//!  │         └──────▶ verdicts ──▶ trace
//!  └────▶ view ───────────────────▶ trace
//! ```
//!
//! and every layer may use the shared `error` and `num`. This test reads every
//! source file under `src/<layer>/` and fails on a `crate::<layer>` path that the
//! arrows do not allow, and on a `#[wasm_bindgen]` export outside `src/app/`.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// Each layer and the layers it may import (itself and the shared modules aside).
const ALLOWED: [(&str, &[&str]); 6] = [
    ("app", &["lessons", "runtime", "trace", "verdicts", "view"]),
    ("lessons", &["runtime", "trace", "verdicts"]),
    ("runtime", &["trace"]),
    ("trace", &[]),
    ("verdicts", &["trace"]),
    ("view", &["trace"]),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn files_of(layer: &str) -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(layer), &mut paths);
    paths.into_iter().map(|p| (p.clone(), fs::read_to_string(&p).expect("UTF-8 source"))).collect()
}

#[test]
fn every_import_points_down() {
    let layers: Vec<&str> = ALLOWED.iter().map(|(l, _)| *l).collect();
    let mut wrong = Vec::new();
    for (layer, allowed) in ALLOWED {
        for (path, text) in files_of(layer) {
            for (n, line) in text.lines().enumerate() {
                for other in &layers {
                    let used = line.contains(&format!("crate::{other}::")) || line.contains(&format!("crate::{other}}}"));
                    if used && *other != layer && !allowed.contains(other) {
                        wrong.push(format!("{}:{}: {layer} uses {other}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn every_export_lives_in_the_app() {
    let mut wrong = Vec::new();
    for (layer, _) in ALLOWED.iter().filter(|(l, _)| *l != "app") {
        for (path, text) in files_of(layer) {
            for n in exports(&text) {
                wrong.push(format!("{}:{}", path.display(), n + 1));
            }
        }
    }
    assert!(wrong.is_empty(), "#[wasm_bindgen] exports outside src/app/:\n{}", wrong.join("\n"));
    let app: usize = files_of("app").iter().map(|(_, text)| exports(text).len()).sum();
    assert!(app >= 5, "the app's exports were not found ({app}): is this test still reading them right?");
}

/// The lines of `text` with a `wasm_bindgen` attribute that exports (a function, a
/// struct or an impl), as opposed to one on or inside an `extern "C"` block, which
/// imports from JavaScript.
fn exports(text: &str) -> Vec<usize> {
    let mut inside_extern = false;
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("extern \"C\"") {
            inside_extern = true;
        } else if *line == "}" {
            inside_extern = false;
        }
        let attribute = line.trim_start().starts_with("#[") && line.contains("wasm_bindgen");
        let on_extern = lines[n + 1..].iter().map(|l| l.trim_start()).find(|l| !l.starts_with("#[") && !l.starts_with("///"));
        if attribute && !inside_extern && !on_extern.is_some_and(|l| l.starts_with("extern")) {
            out.push(n);
        }
    }
    out
}
