//! `cargo xtask build [--dev]`: Rust → `.wasm` → JS bindings → smaller `.wasm`.
//!
//! 1. `cargo build --lib --target wasm32-unknown-unknown -p looplab` compiles the
//!    crate (release unless `--dev`).
//! 2. `wasm-opt -Oz` shrinks rustc's wasm, when binaryen is installed. It must
//!    be told which post-MVP features rustc's output uses, or it refuses to
//!    validate: [`WASM_FEATURES`] lists what current rustc enables by default
//!    (bulk memory for `memcpy`, saturating float→int for `as`, and so on).
//!    It runs *before* wasm-bindgen: Debian's binaryen 108, run on wasm-bindgen's
//!    output, re-points the exported externref table at the function table, and
//!    the module then fails to start ("WebAssembly.Table.set(): Argument 1 is
//!    invalid for table"). rustc's own output has a single table, so it is safe.
//! 3. `wasm-bindgen --target web --out-dir pkg` writes `pkg/looplab.js` (an ES
//!    module exporting `init` and the `#[wasm_bindgen]` items) and
//!    `pkg/looplab_bg.wasm`.
//!
//! Sizes are reported raw and gzipped, since gzip is what a reader downloads.

use crate::cmd::{self, step, which};
use crate::{repo_root, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Features rustc ≥ 1.82 enables for `wasm32-unknown-unknown`; wasm-opt
/// validates against them (checked with binaryen 108 and rustc 1.95).
pub const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The files a build produces.
pub struct Built {
    /// `pkg/looplab_bg.wasm`.
    pub wasm: PathBuf,
    /// `pkg/looplab.js`.
    pub js: PathBuf,
}

/// Builds the `looplab` crate into `pkg/` and prints its sizes.
pub fn build(dev: bool) -> Result<Built> {
    let root = repo_root();
    let profile = if dev { "debug" } else { "release" };
    step("build", &format!("compiling looplab for wasm32 ({profile})"));
    let mut cargo = Command::new("cargo");
    cargo.current_dir(&root).args(["build", "--lib", "--target", "wasm32-unknown-unknown", "-p", "looplab"]);
    if !dev {
        cargo.arg("--release");
    }
    cmd::run(&mut cargo)?;

    let compiled = root.join(format!("target/wasm32-unknown-unknown/{profile}/looplab.wasm"));
    let input = optimize(&compiled, dev)?;
    step("build", "generating JS bindings into pkg/ (wasm-bindgen --target web)");
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.current_dir(&root).args(["--target", "web", "--out-dir", "pkg"]).arg(&input);
    if dev {
        bindgen.arg("--debug");
    }
    cmd::run(&mut bindgen)?;

    let built = Built { wasm: root.join("pkg/looplab_bg.wasm"), js: root.join("pkg/looplab.js") };
    print_sizes(&built)?;
    Ok(built)
}

/// Runs `wasm-opt -Oz` on rustc's output, if binaryen is installed and this is a
/// release build; returns the wasm file to hand to wasm-bindgen.
fn optimize(wasm: &Path, dev: bool) -> Result<PathBuf> {
    if dev {
        step("wasm-opt", "skipped for --dev builds");
        return Ok(wasm.to_path_buf());
    }
    if which("wasm-opt").is_none() {
        step("wasm-opt", "skipped: not installed (Debian package `binaryen`)");
        return Ok(wasm.to_path_buf());
    }
    step("wasm-opt", "optimizing the compiled wasm for size (-Oz)");
    // Same file name in another folder: wasm-bindgen names its output after it.
    let dir = repo_root().join("target/wasm-opt");
    std::fs::create_dir_all(&dir)?;
    let out = dir.join("looplab.wasm");
    cmd::run(Command::new("wasm-opt").arg("-Oz").args(WASM_FEATURES).arg(wasm).arg("-o").arg(&out))?;
    Ok(out)
}

fn print_sizes(built: &Built) -> Result<()> {
    for file in [&built.wasm, &built.js] {
        let bytes = std::fs::read(file)?;
        let name = file.strip_prefix(repo_root()).unwrap_or(file).display().to_string();
        step("size", &format!("{name}: {} raw, {} gzipped", kib(bytes.len()), kib(gzip_len(&bytes))));
    }
    Ok(())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// The size of `bytes` after `gzip -9`.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory").len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn gzip_shrinks_repetition() {
        let data = vec![b'a'; 10_000];
        let len = super::gzip_len(&data);
        assert!(len > 0 && len < 100, "{len}");
    }
}
