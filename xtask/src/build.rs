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
//!    naming features by hand would *disable* any not named. For a one-lesson
//!    module it also shortens the import and export names, in the wasm and in
//!    the glue ([`crate::names`]).
//!
//! Sizes are reported raw and gzipped, since gzip is what a reader downloads.

use crate::cmd::{self, step};
use crate::{names, repo_root, tools, Result};
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

/// Builds the `looplab` crate into `pkg/` and prints its sizes; with `per_lesson`,
/// first one module per lesson into `pkg/one/<id>/` ([`crate::one`]; without, only
/// those still up to date are kept), and the inspector's module into `pkg/reader/`
/// when its sources changed ([`crate::one::update_reader`], dev builds too: the
/// inspector needs it). The full module is built last, so rustc's
/// latest output is the page's (what [`named_wasm`] reads). First, the page's lesson
/// blocks are written from the lesson list ([`crate::lessons`]).
pub fn build(dev: bool, per_lesson: bool) -> Result<Built> {
    crate::lessons::refresh(&repo_root(), false)?;
    crate::one::update(per_lesson)?;
    crate::one::update_reader()?;
    let built = build_into(dev, None, "pkg", None)?;
    crate::npm::package(&repo_root(), &repo_root().join("pkg"))?;
    Ok(built)
}

/// Builds the benchmark package: the crate with its `bench` feature (the `bench*`
/// exports), into `bench/pkg/`, so the page's `pkg/` never carries them.
pub fn build_bench() -> Result<Built> {
    build_into(false, Some("bench"), "bench/pkg", None)
}

/// Builds with `features` (if any) into `out` (relative to the repository root);
/// with `lesson`, only that lesson (`LOOPLAB_LESSON`, see the crate's build.rs).
pub fn build_into(dev: bool, features: Option<&str>, out: &str, lesson: Option<&str>) -> Result<Built> {
    let root = repo_root();
    let profile = if dev { "debug" } else { "release" };
    let mut with = features.map(|f| format!(", features: {f}")).unwrap_or_default();
    if let Some(id) = lesson {
        with.push_str(&format!(", only lesson {id}"));
    }
    step("build", &format!("compiling looplab for wasm32 ({profile}{with})"));
    let mut cargo = Command::new("cargo");
    cargo.current_dir(&root).args(["build", "--lib", "--target", "wasm32-unknown-unknown", "-p", "looplab"]);
    if !dev {
        cargo.arg("--release");
    }
    if let Some(features) = features {
        cargo.args(["--features", features]);
    }
    // Always set, so cargo sees the variable change between one-lesson and full builds.
    cargo.env("LOOPLAB_LESSON", lesson.unwrap_or(""));
    cmd::run(&mut cargo)?;

    let input = root.join(format!("target/wasm32-unknown-unknown/{profile}/looplab.wasm"));
    step("build", &format!("generating JS bindings into {out}/ (wasm-bindgen --target web)"));
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.current_dir(&root).args(["--target", "web", "--out-dir", out]).arg(&input);
    if dev {
        bindgen.arg("--debug");
    }
    // A one-lesson module is only ever loaded by embed.js: no types, short names.
    let one = lesson.is_some();
    if one {
        bindgen.arg("--no-typescript");
    }
    cmd::run(&mut bindgen)?;

    let dir = root.join(out);
    let built = Built { wasm: dir.join("looplab_bg.wasm"), js: dir.join("looplab.js") };
    optimize(&built, dev, one)?;
    print_sizes(&built)?;
    Ok(built)
}

/// The page's wasm, optimized exactly as [`build`] does but keeping function names
/// (`wasm-opt -g`), in `target/size/`: what a size profiler reads. Call it right
/// after [`build`] (it re-binds rustc's latest output).
pub fn named_wasm() -> Result<PathBuf> {
    let root = repo_root();
    let dir = root.join("target/size");
    let input = root.join("target/wasm32-unknown-unknown/release/looplab.wasm");
    cmd::run(Command::new("wasm-bindgen").current_dir(&root).args(["--target", "web", "--out-dir"]).arg(&dir).arg(&input))?;
    let wasm = dir.join("looplab_bg.wasm");
    let (wasm_opt, _) = tools::wasm_opt()?;
    let named = dir.join("looplab_bg.named.wasm");
    cmd::run(Command::new(wasm_opt).args(OPT).arg("-g").arg(&wasm).arg("-o").arg(&named))?;
    Ok(named)
}

/// How wasm-opt optimizes every release module, measured on the playground's own
/// module (gzip -9 of the wasm, short names, 2026-12-01): `-Oz` alone 86 015 bytes;
/// `--converge` runs `-Oz` again until it gains nothing more (−578 bytes, a few
/// seconds per module); `--low-memory-unused` lets it fold pointer arithmetic on the
/// promise that the first 1 KiB of linear memory is never used (−665 bytes). That
/// holds for Rust on wasm32: rust-lld puts the stack first, growing down from 1 MiB
/// towards address 0, so the low 1 KiB is reached only by a stack about to overflow.
/// Together: 84 905 bytes.
///
/// `--one-caller-inline-max-function-size=20`: by default `-Oz` inlines every function
/// that has one caller, however big, into that caller; a few callers grew into
/// functions of 10–15 KB (`mountLesson`, `Player::run`), which gzip compresses worse
/// than the same code kept as separate functions. Inlining only those of at most 20
/// instructions makes the module larger raw (+3.9 KiB) but smaller gzipped: the
/// playground's own module 85 302 → 82 408 bytes (gzip -9, 2026-12-01; 8,
/// 16, 25, 35, 50 and no limit measured too: 16–25 is the flat bottom).
/// `--always-inline-max-function-size=6` (the default is 2): −132 bytes more (measured
/// with the names kept long, 86 227 → 86 095; 3 and 4 gained less). A run of wasm-opt
/// *before* wasm-bindgen as well gained 590 bytes more, but the full module it made
/// trapped in `LessonHandle.run` (the end-to-end tests): not done.
const OPT: [&str; 5] =
    ["-Oz", "--converge", "--low-memory-unused", "--one-caller-inline-max-function-size=20", "--always-inline-max-function-size=6"];

/// Runs `wasm-opt` ([`OPT`]) in place, for release builds when binaryen is usable; with
/// `short_names`, also gives the imports and exports short names, in the wasm and
/// in its glue ([`crate::names`]).
fn optimize(built: &Built, dev: bool, short_names: bool) -> Result<()> {
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
    let wasm = &built.wasm;
    let how = if short_names { format!("{}, short import and export names", OPT.join(" ")) } else { OPT.join(" ") };
    step("wasm-opt", &format!("optimizing {} for size ({how}, {})", wasm.display(), wasm_opt.display()));
    let tmp = wasm.with_extension("opt.wasm");
    if short_names {
        match shorten_names(built, &wasm_opt, &tmp) {
            Ok(()) => return Ok(()),
            Err(Shorten::Unreadable(why)) => step("wasm-opt", &format!("names kept: {why}")),
            Err(Shorten::Failed(error)) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(error);
            }
        }
    }
    cmd::run(Command::new(&wasm_opt).args(OPT).arg(wasm).arg("-o").arg(&tmp))?;
    std::fs::rename(&tmp, wasm)?;
    Ok(())
}

/// Why names could not be shortened: a mapping this build cannot read (an older
/// binaryen printed another format), so the module keeps its names; or an error.
enum Shorten {
    Unreadable(String),
    Failed(Box<dyn std::error::Error>),
}

impl<E: Into<Box<dyn std::error::Error>>> From<E> for Shorten {
    fn from(error: E) -> Self {
        Shorten::Failed(error.into())
    }
}

/// `wasm-opt` ([`OPT`]) into `tmp`, then a second run with only the renaming pass
/// (with `--converge` it would print its mapping once per round); the same renames
/// in the glue, the glue checked against the renamed wasm; then both written in place.
fn shorten_names(built: &Built, wasm_opt: &Path, tmp: &Path) -> std::result::Result<(), Shorten> {
    let optimized = tmp.with_extension("oz.wasm");
    cmd::run(Command::new(wasm_opt).args(OPT).arg(&built.wasm).arg("-o").arg(&optimized))?;
    let mut opt = Command::new(wasm_opt);
    opt.arg(&optimized).arg("-o").arg(tmp);
    // Nothing reads these sections once the module is final: the toolchain's names
    // (`producers`) and the feature list wasm-opt itself works from.
    opt.args(["--strip-producers", "--strip-target-features", "--minify-imports-and-exports-and-modules"]);
    let out = opt.stderr(std::process::Stdio::inherit()).output()?;
    let _ = std::fs::remove_file(&optimized);
    if !out.status.success() {
        return Err(format!("`{}` failed ({})", cmd::describe(&opt), out.status).into());
    }
    let renames = names::parse_renames(&String::from_utf8_lossy(&out.stdout)).map_err(|e| Shorten::Unreadable(e.to_string()))?;
    let wasm = names::interface(&std::fs::read(tmp)?)?;
    let glue = names::rename_glue(&std::fs::read_to_string(&built.js)?, &renames, wasm.module()?)?;
    names::check_glue(&glue, &wasm)?;
    std::fs::write(&built.js, glue)?;
    std::fs::rename(tmp, &built.wasm)?;
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
