//! `cargo xtask build [--dev]`: Rust → `.wasm` → JS bindings → smaller `.wasm`.
//!
//! 1. `cargo build --lib --target wasm32-unknown-unknown -p looplab` compiles the
//!    crate (release unless `--dev`).
//! 2. `wasm-bindgen --target web --out-dir pkg` writes `pkg/looplab.js` (an ES
//!    module exporting `init` and the `#[wasm_bindgen]` items) and
//!    `pkg/looplab_bg.wasm`.
//! 3. `wasm-opt -Oz` shrinks that wasm in place, when a recent enough binaryen
//!    is found ([`tools::wasm_opt`]; Debian 12's binaryen 108 corrupts
//!    wasm-bindgen's output, so npm's `binaryen` from `e2e/` is the fallback).
//!    It runs *after* wasm-bindgen so the glue wasm-bindgen adds is optimized
//!    too (measured: 61 KB gzipped, against 79 KB when optimizing rustc's
//!    output before wasm-bindgen). No `--enable-*` flags are passed: wasm-opt
//!    reads the post-MVP features rustc used (bulk memory, reference types, …)
//!    from the module's `target_features` section, which wasm-bindgen keeps;
//!    naming features by hand would *disable* any not named.
//!
//! Sizes are reported raw and gzipped, since gzip is what a reader downloads.

use crate::cmd::{self, step};
use crate::{repo_root, tools, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

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

    let input = root.join(format!("target/wasm32-unknown-unknown/{profile}/looplab.wasm"));
    step("build", "generating JS bindings into pkg/ (wasm-bindgen --target web)");
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.current_dir(&root).args(["--target", "web", "--out-dir", "pkg"]).arg(&input);
    if dev {
        bindgen.arg("--debug");
    }
    cmd::run(&mut bindgen)?;

    let built = Built { wasm: root.join("pkg/looplab_bg.wasm"), js: root.join("pkg/looplab.js") };
    optimize(&built.wasm, dev)?;
    print_sizes(&built)?;
    Ok(built)
}

/// Runs `wasm-opt -Oz` in place, for release builds when binaryen is usable.
fn optimize(wasm: &Path, dev: bool) -> Result<()> {
    if dev {
        step("wasm-opt", "skipped for --dev builds");
        return Ok(());
    }
    let wasm_opt = match tools::wasm_opt() {
        Ok((path, _)) => path,
        Err(why) => {
            step("wasm-opt", &format!("skipped: {why}"));
            return Ok(());
        }
    };
    step("wasm-opt", &format!("optimizing pkg/looplab_bg.wasm for size (-Oz, {})", wasm_opt.display()));
    let tmp = wasm.with_extension("opt.wasm");
    cmd::run(Command::new(wasm_opt).arg("-Oz").arg(wasm).arg("-o").arg(&tmp))?;
    std::fs::rename(&tmp, wasm)?;
    Ok(())
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
