//! One-lesson modules: `pkg/one/<id>/`, one per lesson and one for the playground.
//!
//! A page that embeds a single lesson should not download the other twelve. The
//! crate's build.rs builds only the lesson named by `LOOPLAB_LESSON` (and leaves out
//! the lesson page's proof section), which LTO turns into a module about half the
//! size of the full one. `www/embed.js` loads such a module when every `<loop-lab>`
//! on the page shows the same lesson, and moves to the full module (`pkg/`) as soon
//! as an element asks for another.
//!
//! Each build recompiles the crate (the variable changes), so a module is rebuilt
//! only when its inputs changed: `.inputs` in its folder holds a fingerprint of the
//! crate's sources, manifest and lock file, and of the xtask code that makes it.
//! `pkg/one/index.js` lists the modules that match the sources, for embed.js.
//! `cargo xtask serve` and `build --dev` build none (fourteen release builds would
//! slow every start after an edit): they drop
//! the stale ones and list those still up to date, so a page never gets a module
//! older than the full one.

use crate::build::build_into;
use crate::cmd::step;
use crate::{repo_root, Result};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Keeps every one-lesson module that is up to date; with `build`, (re)builds the
/// others, otherwise removes them. Then writes the index of what is left.
pub fn update(build: bool) -> Result<()> {
    let root = repo_root();
    let dir = root.join("pkg/one");
    std::fs::create_dir_all(&dir)?;
    let ids = crate::lessons::ids(&root)?;
    let fingerprint = format!("{:016x}", fingerprint(&root, &["src"], LESSON_INPUTS)?);
    let mut listed = Vec::new();
    for id in &ids {
        let out = dir.join(id);
        let stamp = out.join(".inputs");
        if out.join("looplab_bg.wasm").is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) {
            step("one", &format!("pkg/one/{id}/ is up to date"));
            listed.push(id.clone());
            continue;
        }
        if out.exists() {
            std::fs::remove_dir_all(&out)?;
        }
        if build {
            build_into(false, None, &format!("pkg/one/{id}"), Some(id))?;
            std::fs::write(&stamp, &fingerprint)?;
            listed.push(id.clone());
        }
    }
    if !build && listed.len() < ids.len() {
        step("one", &format!("{} of {} one-lesson modules are up to date; `cargo xtask build` makes the rest", listed.len(), ids.len()));
    }
    // Folders of lessons that no longer exist.
    for entry in std::fs::read_dir(&dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !ids.contains(&name) {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    std::fs::write(dir.join("index.js"), index_js(&listed))?;
    Ok(())
}

/// `cargo xtask build --only <id>`: (re)builds `pkg/one/<id>/` alone, and a copy that
/// keeps its function names for `twiggy` (`target/size/`), to iterate on its size
/// without the fourteen other builds. The index is left as it was: the module is
/// listed once a full `cargo xtask build` has checked them all.
pub fn build_only(id: &str) -> Result<()> {
    let root = repo_root();
    if !crate::lessons::ids(&root)?.iter().any(|known| known == id) {
        return Err(format!("--only {id}: no such lesson in src/lessons/lessons.json").into());
    }
    let out = format!("pkg/one/{id}");
    build_into(false, None, &out, Some(id))?;
    std::fs::write(root.join(&out).join(".inputs"), format!("{:016x}", fingerprint(&root, &["src"], LESSON_INPUTS)?))?;
    let named = crate::build::named_wasm()?;
    step("one", &format!("{} keeps the names, for `twiggy top`", named.display()));
    Ok(())
}

/// `pkg/one/index.js`: the lessons that have a module of their own.
fn index_js(ids: &[String]) -> String {
    let list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!(
        "// Written by `cargo xtask build`: the lessons with a module of their own in pkg/one/<id>/.\nexport const lessons = [{}];\n",
        list.join(", ")
    )
}

/// What a one-lesson build reads besides `src/`: the build script, manifest and lock
/// file, and the xtask code that builds and post-processes a module.
const LESSON_INPUTS: &[&str] = &["build.rs", "Cargo.toml", "Cargo.lock", "xtask/src/build.rs", "xtask/src/names.rs", "xtask/src/one.rs"];

/// The inspector's own module (`pkg/reader/`, the crate's src/reader.rs): it compiles
/// only the trace layer, so an edit above it does not rebuild it.
pub fn update_reader() -> Result<()> {
    let root = repo_root();
    let out = "pkg/reader";
    let inputs = [&["src/lib.rs", "src/reader.rs", "src/num.rs", "src/error.rs"][..], LESSON_INPUTS].concat();
    let fingerprint = format!("{:016x}", fingerprint(&root, &["src/trace"], &inputs)?);
    let stamp = root.join(out).join(".inputs");
    if root.join(out).join("looplab_bg.wasm").is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) {
        step("one", &format!("{out}/ (the inspector's module) is up to date"));
        return Ok(());
    }
    build_into(false, None, out, Some("@reader"))?;
    std::fs::write(stamp, fingerprint)?;
    Ok(())
}

/// A fingerprint of what a wasm build reads: the files under `dirs` and the `files`
/// (paths and contents).
fn fingerprint(root: &Path, dirs: &[&str], names: &[&str]) -> Result<u64> {
    let mut files = Vec::new();
    for dir in dirs {
        collect(&root.join(dir), &mut files)?;
    }
    for name in names {
        files.push(root.join(name));
    }
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in files {
        file.strip_prefix(root).unwrap_or(&file).hash(&mut hasher);
        std::fs::read(&file)?.hash(&mut hasher);
    }
    Ok(hasher.finish())
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_lists_the_modules() {
        assert!(super::index_js(&["a".into(), "b-c".into()]).contains("export const lessons = [\"a\", \"b-c\"];"));
        assert!(super::index_js(&[]).contains("export const lessons = [];"));
    }
}
