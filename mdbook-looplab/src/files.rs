//! Putting Loop Lab's files where the book's output needs them.
//!
//! mdBook's HTML renderer empties its output folder, writes the chapters, then
//! copies every file of the book's source folder that is not Markdown. So the one
//! place a preprocessor can put files that reach the output is the source folder:
//! with `dist = "…"` set, [`sync`] copies the static site of `cargo xtask dist`
//! there — all but its lesson page (`index.html`, which would replace the book's
//! first page) and its `examples/` — and mdBook then copies them into the book.
//!
//! It writes only the files whose bytes differ, so a second build writes nothing
//! and `mdbook serve`, which rebuilds when the source folder changes, settles after
//! one extra build. It removes nothing: the folder may hold the author's own files.
//!
//! At the book's root, `sw.js` (the Service Worker that answers the demo API on a
//! static host) has the whole book in its scope, so the fetch lessons run on every
//! page, in sub-folders too.

use std::path::Path;

/// The entries of the dist folder that stay out of the book.
const LEFT_OUT: [&str; 2] = ["index.html", "examples"];

/// The file every Loop Lab site has, to recognise one.
pub const EMBED: &str = "www/embed.js";

/// Copies the Loop Lab site at `dist` into `into`; returns how many files it wrote.
pub fn sync(dist: &Path, into: &Path) -> Result<usize, String> {
    if !dist.join(EMBED).is_file() {
        return Err(format!(
            "no Loop Lab site at {} ({EMBED} is missing): run `cargo xtask dist` in Loop Lab's repository \
             and point `dist` at its output (target/dist), or at a copy of it",
            dist.display()
        ));
    }
    let mut written = 0;
    for entry in read_dir(dist)? {
        let name = entry.file_name();
        if !LEFT_OUT.iter().any(|n| name == *n) {
            copy(&entry.path(), &into.join(&name), &mut written)?;
        }
    }
    Ok(written)
}

/// Copies a file or a folder (recursively), writing only what differs.
fn copy(from: &Path, to: &Path, written: &mut usize) -> Result<(), String> {
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        for entry in read_dir(from)? {
            copy(&entry.path(), &to.join(entry.file_name()), written)?;
        }
        return Ok(());
    }
    let bytes = std::fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    if std::fs::read(to).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(to, bytes).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    *written += 1;
    Ok(())
}

/// The entries of a folder.
fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    entries.collect::<Result<_, _>>().map_err(|e| format!("cannot read {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mdbook-looplab-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn write(path: PathBuf, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn copies_the_site_but_its_page_and_examples_and_only_what_changed() {
        let base = scratch("sync");
        let (dist, src) = (base.join("dist"), base.join("src"));
        for file in ["index.html", "sw.js", "www/embed.js", "pkg/looplab_bg.wasm", "pkg/one/lazy/looplab.js", "examples/docs/index.html"] {
            write(dist.join(file), file);
        }
        write(src.join("intro.md"), "# Intro");

        assert_eq!(sync(&dist, &src), Ok(4));
        for file in ["sw.js", "www/embed.js", "pkg/looplab_bg.wasm", "pkg/one/lazy/looplab.js", "intro.md"] {
            assert!(src.join(file).is_file(), "{file}");
        }
        assert!(!src.join("index.html").exists() && !src.join("examples").exists());

        assert_eq!(sync(&dist, &src), Ok(0), "a second build writes nothing");
        write(dist.join("www/embed.js"), "changed");
        assert_eq!(sync(&dist, &src), Ok(1));
        assert_eq!(std::fs::read_to_string(src.join("www/embed.js")).unwrap(), "changed");
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn a_folder_without_the_element_is_no_site() {
        let base = scratch("empty");
        std::fs::create_dir_all(&base).unwrap();
        let err = sync(&base, &base.join("src")).unwrap_err();
        assert!(err.contains("www/embed.js is missing"), "{err}");
        std::fs::remove_dir_all(base).unwrap();
    }
}
