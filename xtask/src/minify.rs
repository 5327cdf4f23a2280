//! Minifying the static site's JavaScript and CSS, in the output folder only.
//!
//! `cargo xtask dist` copies readable files (the repository's `www/`, `pkg/`,
//! `examples/docs/` stay as written) and then hands every copied `.js` and `.css`
//! file to `e2e/minify.mjs` in one `node` run: terser for JavaScript (ES modules
//! keep their import and export names), clean-css for CSS, license comments kept.
//! The npm packages come from `e2e/package.json` like the end-to-end tests' own
//! (`npm ci` in `e2e/`, see [`crate::tools::ensure_minifier`]).
//!
//! Why bother with gzip on top: the first load of one embed has a budget, and the
//! comments that teach in these files are most of their bytes.

use crate::cmd::{describe, step, which};
use crate::{repo_root, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The npm packages `e2e/minify.mjs` imports.
pub const PACKAGES: [&str; 3] = ["terser", "clean-css", "acorn"];

/// Minifies, in place, the `.js` and `.css` files among `files` (others are left
/// alone). Fails with what to install if node or the npm packages are missing.
pub fn minify(files: &[PathBuf]) -> Result<()> {
    let files: Vec<&PathBuf> = files.iter().filter(|f| is_minifiable(f)).collect();
    if files.is_empty() {
        return Ok(());
    }
    let script = script()?;
    let mut command = Command::new("node");
    command.arg(&script).args(&files).stdin(Stdio::null()).stderr(Stdio::inherit());
    let out = command.output().map_err(|e| format!("cannot start `{}`: {e}", describe(&command)))?;
    if !out.status.success() {
        return Err(format!("minifying the site failed ({}): `node {} …`", out.status, script.display()).into());
    }
    step("minify", String::from_utf8_lossy(&out.stdout).trim());
    Ok(())
}

/// The files a browser parses as text: JavaScript and CSS.
pub fn is_minifiable(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("js" | "css"))
}

/// `e2e/minify.mjs`, once node and its packages are known to be there.
fn script() -> Result<PathBuf> {
    let e2e = repo_root().join("e2e");
    if which("node").is_none() {
        return Err("minifying the site needs node, which is not on PATH: install Debian's `nodejs` and `npm`, \
                    then run `npm ci` in e2e/"
            .into());
    }
    let missing: Vec<&str> =
        PACKAGES.into_iter().filter(|name| !e2e.join("node_modules").join(name).join("package.json").is_file()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "minifying the site needs the npm package(s) {} in e2e/node_modules: run `npm ci` in e2e/",
            missing.join(", ")
        )
        .into());
    }
    Ok(e2e.join("minify.mjs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_js_and_css_only() {
        assert!(is_minifiable(Path::new("pkg/one/lazy/looplab.js")));
        assert!(is_minifiable(Path::new("www/lesson.css")));
        assert!(!is_minifiable(Path::new("pkg/looplab_bg.wasm")));
        assert!(!is_minifiable(Path::new("pkg/looplab.d.ts")));
        assert!(!is_minifiable(Path::new("index.html")));
    }

    /// Runs the real minifier where its packages are installed (`cargo xtask test`
    /// runs `npm ci` before the native tests; a bare `cargo test` may not have them).
    #[test]
    fn minifies_modules_scripts_and_css_keeping_names_and_licenses() {
        if script().is_err() {
            eprintln!("skipped: node or e2e/node_modules missing (run `npm ci` in e2e/)");
            return;
        }
        let dir = std::env::temp_dir().join(format!("xtask-minify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let module = dir.join("module.js");
        let script = dir.join("script.js");
        let css = dir.join("style.css");
        let wasm = dir.join("x.wasm");
        std::fs::write(
            &module,
            "/*! (c) someone, MIT */\n// a comment that teaches\n\
            import { helper } from \"./helper.js\";\nfunction unusedHelper() { return 1; }\n\
            export function greetTheReader(name) {\n  const greeting = \"hello, \" + name;\n  return helper(greeting);\n}\n",
        )
        .unwrap();
        std::fs::write(
            &script,
            "// a classic script: its top-level names are global\n\
            function sharedWithOtherScripts() { return 1; }\n",
        )
        .unwrap();
        std::fs::write(&css, "/*! keep me */\n/* drop me */\n.a  {  color : #ff0000 ;  margin : 0px ; }\n").unwrap();
        std::fs::write(&wasm, "not text").unwrap();

        minify(&[module.clone(), script.clone(), css.clone(), wasm.clone()]).unwrap();
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        let m = read(&module);
        assert!(m.contains("(c) someone, MIT"), "{m}");
        assert!(m.contains("export{") || m.contains("export function greetTheReader"), "{m}");
        assert!(m.contains("greetTheReader") && m.contains("helper") && m.contains("./helper.js"), "{m}");
        assert!(!m.contains("unusedHelper") && !m.contains("teaches"), "{m}");
        let s = read(&script);
        assert!(s.contains("sharedWithOtherScripts") && !s.contains("global"), "{s}");
        let c = read(&css);
        assert!(c.contains("keep me") && !c.contains("drop me") && c.contains(".a{color:red;margin:0}"), "{c}");
        assert_eq!(read(&wasm), "not text");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
