//! Two jobs.
//!
//! **Excerpts.** Extracts the part of each lesson file that the page shows — the text between
//! `// lesson:start` and `// lesson:end` — into `$OUT_DIR/lessons/<file>`, so the wasm
//! binary carries only what a reader sees, not every lesson's whole source file.
//! Lessons include it with the `excerpt!` macro; it is read from the same file that
//! is compiled, at build time, so the code shown cannot drift from the code that runs.

use std::fs;
use std::path::Path;

fn main() {
    excerpts();
    one_lesson();
}

/// **One-lesson builds.** With `LOOPLAB_LESSON=<id>` set, the crate is built with only
/// that lesson (or only the playground, for `playground`) and without the lesson
/// page's proof section: the module an embed loads when its page shows one lesson
/// (`cargo xtask build` makes one per lesson into `pkg/one/<id>/`). It sets
/// `cfg(looplab_one)` (and `cfg(looplab_playground)` for the playground,
/// `cfg(looplab_worker)` for cpu-bound, whose worker needs the module's worker exports) and writes
/// `$OUT_DIR/one.rs`, the lesson list `lessons::all()` returns. Unset, every lesson
/// is built in.
fn one_lesson() {
    println!("cargo:rerun-if-env-changed=LOOPLAB_LESSON");
    println!("cargo::rustc-check-cfg=cfg(looplab_one)");
    println!("cargo::rustc-check-cfg=cfg(looplab_playground)");
    println!("cargo::rustc-check-cfg=cfg(looplab_worker)");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("one.rs");
    let list = match std::env::var("LOOPLAB_LESSON").ok().filter(|id| !id.is_empty()) {
        None => "&[]".to_string(),
        Some(id) => {
            println!("cargo:rustc-cfg=looplab_one");
            // Only the cpu-bound lesson runs work in a Web Worker (www/worker.js).
            if id == "cpu-bound" {
                println!("cargo:rustc-cfg=looplab_worker");
            }
            if id == "playground" {
                println!("cargo:rustc-cfg=looplab_playground");
                "&[]".to_string()
            } else {
                let module = id.replace('-', "_");
                let ok = module.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    && Path::new(&format!("src/lessons/{module}.rs")).is_file();
                assert!(ok, "LOOPLAB_LESSON={id:?}: no lesson file src/lessons/{module}.rs");
                format!("&[&{module}::LESSON]")
            }
        }
    };
    fs::write(out, list).expect("write one.rs");
}

/// Writes every lesson file's excerpt into `$OUT_DIR/lessons/`.
fn excerpts() {
    let src = Path::new("src/lessons");
    println!("cargo:rerun-if-changed=src/lessons");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons");
    fs::create_dir_all(&out).expect("create OUT_DIR/lessons");
    for entry in fs::read_dir(src).expect("src/lessons exists").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("lesson file is UTF-8");
            println!("cargo:rerun-if-changed={}", path.display());
            let name = path.file_name().expect("a file name");
            fs::write(out.join(name), excerpt(&text)).expect("write excerpt");
        }
    }
}

/// The text between the markers, or the whole file if it has none.
fn excerpt(text: &str) -> &str {
    const START: &str = "// lesson:start\n";
    let start = text.find(START).map_or(0, |i| i + START.len());
    let end = text[start..].find("// lesson:end").map_or(text.len(), |i| start + i);
    text[start..end].trim_end()
}
