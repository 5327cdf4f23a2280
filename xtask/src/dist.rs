//! `cargo xtask dist [--out DIR] [--no-build]`: a static site that works from any folder.
//!
//! The output is plain files — `index.html`, `sw.js` and `bridge.html` at the top,
//! `www/` and `pkg/` beside them — referring to each other by relative paths only,
//! so the folder can be copied under any sub-path (`https://host/docs/looplab/`) of
//! any static host. There, no dev server answers `api/…`; the Service Worker
//! (`sw.js`, registered by `www/api.js`) serves the demo API instead, and its
//! scope is the folder it sits in. A page outside that folder reaches it through
//! `bridge.html`, an empty page inside it, loaded in a hidden frame.
//!
//! `api/health` is a static file too, `{"server":"none"}` ([`STATIC_HEALTH`]): what a
//! page asks first to learn whether a server answers the API. On a static host the
//! file says no, so `www/api.js` starts the worker without the host's 404 (which the
//! browser would log as an error on the author's page); once the worker controls a
//! page, it answers `api/health` itself.
//!
//! `examples/docs/` is the example documentation site: a chapter that embeds
//! lessons with `<loop-lab>`, loading `../../www/embed.js` — the same place as in
//! the repository, so the same relative paths work under `cargo xtask serve`.
//! Being inside the Service Worker's scope, it gets the demo API too.
//!
//! `pyodide/` holds the Python interpreter (the npm package `pyodide`, pinned in
//! `e2e/package.json`): the [`PYODIDE_FILES`] its loader fetches at startup, found
//! by `www/python/load.js` at `../../pyodide/`. A lesson loads them only when the
//! reader asks for the Python; they are copied as published, never minified.
//!
//! Every copied `.js` and `.css` file is then minified in place ([`minify`]): the
//! site ships small files, the repository keeps the readable ones.

use crate::args::Args;
use crate::cmd::step;
use crate::{build, minify, repo_root, tools, Result};
use std::path::{Path, PathBuf};

/// The static site's `api/health`: no server answers the demo API here (see `www/api.js`).
pub const STATIC_HEALTH: &str = "{\"server\":\"none\"}\n";

/// What `loadPyodide` fetches with no extra packages: its module, the Emscripten
/// glue, the interpreter, the standard library and the package index.
pub const PYODIDE_FILES: [&str; 5] = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

/// `cargo xtask dist [--out DIR] [--no-build]` (default `target/dist`); `--no-build`
/// writes the site from the `pkg/` already built (as the e2e tests do after `build`).
pub fn cli(mut args: Args) -> Result<()> {
    let out = args.value("--out")?.map(PathBuf::from);
    let no_build = args.flag("--no-build");
    args.finish()?;
    let out = out.unwrap_or_else(|| repo_root().join("target/dist"));
    tools::ensure_minifier()?;
    if no_build {
        if !repo_root().join("pkg/looplab_bg.wasm").is_file() {
            return Err("--no-build: pkg/ has not been built; run `cargo xtask build` first".into());
        }
    } else {
        tools::ensure(tools::Need::Build)?;
        build::build(false, true)?;
    }
    write_site(&repo_root(), &out)?;
    step("dist", &format!("static site written to {}", out.display()));
    Ok(())
}

/// Copies the site from `root` into `out`, replacing only what it writes, and
/// minifies the JavaScript and CSS it wrote (needs node and `e2e/node_modules`).
pub fn write_site(root: &Path, out: &Path) -> Result<()> {
    let written = copy_site(root, out)?;
    minify::minify(&written)?;
    copy_pyodide(&root.join("e2e/node_modules/pyodide"), &out.join("pyodide"))
}

/// Copies [`PYODIDE_FILES`] from the npm package into `to`, after minifying (they stay as published).
fn copy_pyodide(from: &Path, to: &Path) -> Result<()> {
    if to.is_dir() {
        std::fs::remove_dir_all(to)?;
    }
    std::fs::create_dir_all(to)?;
    for name in PYODIDE_FILES {
        let file = from.join(name);
        if !file.is_file() {
            return Err(format!("{} is missing: run `npm ci` in e2e/ (the npm package pyodide)", file.display()).into());
        }
        copy_file(&file, &to.join(name), &mut Vec::new())?;
    }
    Ok(())
}

/// The copying half of [`write_site`]: returns every file it wrote.
fn copy_site(root: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out)?;
    // Remove only our own entries: `--out` may point at a folder holding other things.
    for entry in ["index.html", "sw.js", "bridge.html", "api/health", "www", "pkg", "examples"] {
        let path = out.join(entry);
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else if path.exists() {
            std::fs::remove_file(&path)?;
        }
    }
    let mut written = Vec::new();
    copy_file(&root.join("index.html"), &out.join("index.html"), &mut written)?;
    copy_file(&root.join("www/sw.js"), &out.join("sw.js"), &mut written)?;
    copy_file(&root.join("www/bridge.html"), &out.join("bridge.html"), &mut written)?;
    copy_tree(&root.join("www"), &out.join("www"), &|_| true, &mut written)?;
    copy_tree(&root.join("pkg"), &out.join("pkg"), &is_runtime_file, &mut written)?;
    copy_tree(&root.join("examples/docs"), &out.join("examples/docs"), &|_| true, &mut written)?;
    std::fs::create_dir_all(out.join("api"))?;
    std::fs::write(out.join("api/health"), STATIC_HEALTH)?;
    written.push(out.join("api/health"));
    Ok(written)
}

/// The parts of `pkg/` a browser loads (or an editor reads): JS, wasm, CSS, types.
fn is_runtime_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [".js", ".wasm", ".css", ".d.ts"].iter().any(|ext| name.ends_with(ext))
}

/// Copies one file, adding `to` to `written`.
fn copy_file(from: &Path, to: &Path, written: &mut Vec<PathBuf>) -> Result<()> {
    std::fs::copy(from, to).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    written.push(to.to_path_buf());
    Ok(())
}

/// Recursively copies the files under `from` that pass `keep`.
/// (wasm-bindgen puts inline JS under `pkg/snippets/…`, hence recursion.)
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool, written: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target, keep, written)?;
        } else if keep(&path) {
            std::fs::create_dir_all(to)?;
            copy_file(&path, &target, written)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_runtime_files_and_keeps_foreign_ones() {
        let base = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
        let (root, out) = (base.join("root"), base.join("out"));
        for dir in ["www", "pkg/snippets/x", "examples/docs"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "index.html",
            "www/sw.js",
            "www/bridge.html",
            "www/api.js",
            "pkg/looplab.js",
            "pkg/looplab_bg.wasm",
            "pkg/looplab.d.ts",
            "pkg/package.json",
            "pkg/snippets/x/inline0.js",
            "examples/docs/index.html",
        ] {
            std::fs::write(root.join(file), "x").unwrap();
        }
        std::fs::create_dir_all(out.join("pkg")).unwrap();
        std::fs::write(out.join("pkg/stale.js"), "old").unwrap();
        std::fs::write(out.join("keep.txt"), "theirs").unwrap();

        // The copying only: minifying needs node (minify.rs tests it on its own).
        let written = copy_site(&root, &out).unwrap();
        assert_eq!(written.len(), 12, "{written:?}");
        assert_eq!(std::fs::read_to_string(out.join("api/health")).unwrap(), STATIC_HEALTH);
        for file in [
            "index.html",
            "sw.js",
            "bridge.html",
            "api/health",
            "www/api.js",
            "pkg/looplab.js",
            "pkg/looplab_bg.wasm",
            "pkg/looplab.d.ts",
            "pkg/snippets/x/inline0.js",
            "examples/docs/index.html",
            "keep.txt",
        ] {
            assert!(out.join(file).is_file(), "{file} missing");
        }
        assert!(!out.join("pkg/package.json").exists());
        assert!(!out.join("pkg/stale.js").exists());
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn copies_pyodide_unminified_and_names_what_is_missing() {
        let base = std::env::temp_dir().join(format!("xtask-dist-pyodide-{}", std::process::id()));
        let (from, to) = (base.join("pyodide-npm"), base.join("out/pyodide"));
        std::fs::create_dir_all(&from).unwrap();
        for name in PYODIDE_FILES {
            std::fs::write(from.join(name), format!("// {name}\n")).unwrap();
        }
        copy_pyodide(&from, &to).unwrap();
        for name in PYODIDE_FILES {
            assert_eq!(std::fs::read_to_string(to.join(name)).unwrap(), format!("// {name}\n"), "{name} changed");
        }
        std::fs::remove_file(from.join("pyodide.asm.wasm")).unwrap();
        let error = copy_pyodide(&from, &to).unwrap_err().to_string();
        assert!(error.contains("pyodide.asm.wasm") && error.contains("npm ci"), "{error}");
        std::fs::remove_dir_all(base).unwrap();
    }

    /// Every file under `dir`, recursively.
    fn files_under(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path, files);
            } else {
                files.push(path);
            }
        }
    }

    /// The dev server's `api/hostile/…` routes attack the page on purpose; a site
    /// ships none. This reads the sources `copy_site` copies, pkg/ aside (that needs
    /// a build; e2e/dist.test.mjs reads the whole written site).
    #[test]
    fn no_source_of_the_site_names_a_hostile_route() {
        let root = repo_root();
        let mut files = vec![root.join("index.html")];
        files_under(&root.join("www"), &mut files);
        files_under(&root.join("examples/docs"), &mut files);
        for file in files {
            let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).to_lowercase();
            assert!(!text.contains("hostile"), "{} names a hostile route", file.display());
        }
    }
}
