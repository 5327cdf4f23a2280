//! Extracts the part of each lesson file that the page shows — the text between
//! `// lesson:start` and `// lesson:end` — into `$OUT_DIR/lessons/<file>`, so the wasm
//! binary carries only what a reader sees, not every lesson's whole source file.
//! Lessons include it with the `excerpt!` macro; it is read from the same file that
//! is compiled, at build time, so the code shown cannot drift from the code that runs.

use std::fs;
use std::path::Path;

fn main() {
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
