//! The npm package `looplab`: wasm-bindgen's output in `pkg/` plus the hand-written
//! entry point (`npm/`), the shared mount code, the lessons' styles, the inspector's
//! files and module, the cpu-bound lesson's worker, and "Run the Python too"
//! (`www/python/`, with Pyodide as an optional peer dependency).

use crate::cmd::step;
use crate::Result;
use std::path::Path;

/// Makes `out` (wasm-bindgen's output) an npm package named `looplab`: copies the
/// hand-written entry point, types and README from `npm/`, the shared mount code
/// and the lesson styles from `www/`, the cpu-bound lesson's worker (its imports
/// pointed at this folder), and writes `package.json` with the crate's version.
pub fn package(root: &Path, out: &Path) -> Result<()> {
    step("package", &format!("npm package \"looplab\" in {}", out.strip_prefix(root).unwrap_or(out).display()));
    let copy = |from: &str, to: &str| -> Result<()> {
        std::fs::copy(root.join(from), out.join(to)).map_err(|e| format!("cannot copy {from}: {e}"))?;
        Ok(())
    };
    copy("npm/index.js", "index.js")?;
    copy("npm/index.d.ts", "index.d.ts")?;
    copy("npm/README.md", "README.md")?;
    copy("www/mount.js", "mount.js")?;
    copy("www/lesson.css", "lesson.css")?;
    // The inspector, which mount.js imports only when a reader opens it.
    for file in INSPECTOR_FILES {
        copy(&format!("www/{file}"), file)?;
    }
    // "Run the Python too", which mount.js imports only when asked: python/load.js finds
    // Pyodide at ../../pyodide/, where npm installs the `pyodide` package beside this one.
    std::fs::create_dir_all(out.join("python"))?;
    for entry in std::fs::read_dir(root.join("www/python"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".js") || name.ends_with(".py") || name.ends_with(".css") {
            copy(&format!("www/python/{name}"), &format!("python/{name}"))?;
        }
    }
    // www/worker.js loads the module from ../pkg/; in the package it sits beside it.
    let worker = std::fs::read_to_string(root.join("www/worker.js"))?;
    if worker.matches("../pkg/").count() < 2 {
        return Err("www/worker.js no longer imports ../pkg/looplab.js and ../pkg/looplab_bg.wasm; update xtask/src/npm.rs".into());
    }
    std::fs::write(out.join("worker.js"), worker.replace("../pkg/", "./"))?;
    let version = crate_version(&std::fs::read_to_string(root.join("Cargo.toml"))?)?;
    let pyodide = pyodide_version(&std::fs::read_to_string(root.join("e2e/package.json"))?)?;
    let mut files: Vec<&str> = NPM_FILES.to_vec();
    files.push("python/");
    if out.join("snippets").is_dir() {
        files.push("snippets/");
    }
    std::fs::write(out.join("package.json"), npm_manifest(&version, &pyodide, &files))?;
    Ok(())
}

/// The Pyodide version e2e/package.json pins (what `cargo xtask dist` ships and the
/// tests run): the npm package asks for the same one.
fn pyodide_version(e2e_manifest: &str) -> Result<String> {
    let manifest: serde_json::Value = serde_json::from_str(e2e_manifest)?;
    let version = manifest["dependencies"]["pyodide"].as_str().ok_or("e2e/package.json pins no pyodide")?;
    Ok(version.to_string())
}

/// package.json, written by hand: key order matters in "exports" ("types" first).
fn npm_manifest(version: &str, pyodide: &str, files: &[&str]) -> String {
    let quoted = |s: &str| serde_json::Value::from(s).to_string();
    let files: Vec<String> = files.iter().map(|f| quoted(f)).collect();
    format!(
        r#"{{
  "name": "looplab",
  "version": {version},
  "description": "Mount Loop Lab's lessons anywhere: Rust futures on the browser's event loop, every poll measured and drawn.",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./index.js",
  "types": "./index.d.ts",
  "exports": {{
    ".": {{ "types": "./index.d.ts", "default": "./index.js" }},
    "./lesson.css": "./lesson.css",
    "./package.json": "./package.json"
  }},
  "files": [{files}],
  "peerDependencies": {{ "pyodide": {pyodide} }},
  "peerDependenciesMeta": {{ "pyodide": {{ "optional": true }} }},
  "sideEffects": false,
  "keywords": ["asyncio", "async", "futures", "event-loop", "webassembly", "teaching"]
}}
"#,
        version = quoted(version),
        pyodide = quoted(pyodide),
        files = files.join(", "),
    )
}

/// The inspector's files and the trace exports', in www/ and beside mount.js in the
/// package (their module, `reader/`, is built there).
const INSPECTOR_FILES: [&str; 5] = ["inspector.js", "marks.js", "inspector.css", "reader.js", "exports.js"];

/// What the npm package ships (package.json's "files"; README and package.json always go).
const NPM_FILES: [&str; 16] = [
    "inspector.js",
    "exports.js",
    "marks.js",
    "inspector.css",
    "reader.js",
    "reader/looplab.js",
    "reader/looplab_bg.wasm",
    "index.js",
    "index.d.ts",
    "mount.js",
    "worker.js",
    "lesson.css",
    "looplab.js",
    "looplab.d.ts",
    "looplab_bg.wasm",
    "looplab_bg.wasm.d.ts",
];

/// `version = "…"` of the `[package]` table of a Cargo.toml.
fn crate_version(manifest: &str) -> Result<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let Some(rest) = line.strip_prefix("version").filter(|_| in_package) {
            if let Some(v) = rest.trim_start().strip_prefix('=').map(|v| v.trim().trim_matches('"')) {
                return Ok(v.to_string());
            }
        }
    }
    Err("no version in Cargo.toml's [package]".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn crate_version_is_read_from_the_package_table() {
        let toml = "[workspace]\nversion = \"9\"\n[package]\nname = \"looplab\"\nversion = \"0.1.0\"\n[dependencies]\n";
        assert_eq!(super::crate_version(toml).unwrap(), "0.1.0");
        assert!(super::crate_version("[package]\nname = \"x\"\n").is_err());
    }

    #[test]
    fn npm_package_gets_its_files_and_manifest() {
        let base = std::env::temp_dir().join(format!("xtask-npm-{}", std::process::id()));
        let (root, out) = (base.join("root"), base.join("root/pkg"));
        for dir in ["npm", "www/python", "pkg", "e2e"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in ["lesson.js", "trace.py", "python.css", "notes.txt"] {
            std::fs::write(root.join("www/python").join(file), file).unwrap();
        }
        std::fs::write(root.join("e2e/package.json"), r#"{"dependencies": {"pyodide": "314.0.7"}}"#).unwrap();
        for file in ["npm/index.js", "npm/index.d.ts", "npm/README.md", "www/mount.js", "www/lesson.css"] {
            std::fs::write(root.join(file), file).unwrap();
        }
        for file in super::INSPECTOR_FILES {
            std::fs::write(root.join("www").join(file), file).unwrap();
        }
        let worker = "import init from \"../pkg/looplab.js\";\nnew URL(\"../pkg/looplab_bg.wasm\", import.meta.url);\n";
        std::fs::write(root.join("www/worker.js"), worker).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[package]\nname = \"looplab\"\nversion = \"1.2.3\"\n").unwrap();

        super::package(&root, &out).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("package.json")).unwrap()).unwrap();
        assert_eq!(manifest["name"], "looplab");
        assert_eq!(manifest["version"], "1.2.3");
        assert_eq!(manifest["type"], "module");
        assert_eq!(manifest["exports"]["."]["types"], "./index.d.ts");
        let text = std::fs::read_to_string(out.join("package.json")).unwrap();
        assert!(text.find("\"types\": \"./index.d.ts\", \"default\"").is_some(), "types before default: {text}");
        assert!(manifest["files"].as_array().unwrap().iter().any(|f| f == "looplab_bg.wasm"));
        assert!(manifest["files"].as_array().unwrap().iter().any(|f| f == "python/"));
        assert_eq!(manifest["peerDependencies"]["pyodide"], "314.0.7");
        assert_eq!(manifest["peerDependenciesMeta"]["pyodide"]["optional"], true);
        for file in ["lesson.js", "trace.py", "python.css"] {
            assert!(out.join("python").join(file).is_file(), "python/{file} missing");
        }
        assert!(!out.join("python/notes.txt").exists(), "only what a page loads goes in the package");
        let worker = std::fs::read_to_string(out.join("worker.js")).unwrap();
        assert!(worker.contains("\"./looplab.js\"") && worker.contains("\"./looplab_bg.wasm\"") && !worker.contains("../pkg/"));
        for file in ["index.js", "index.d.ts", "README.md", "mount.js", "lesson.css"].iter().chain(&super::INSPECTOR_FILES) {
            assert!(out.join(file).is_file(), "{file} missing");
        }
        std::fs::remove_dir_all(base).unwrap();
    }
}
