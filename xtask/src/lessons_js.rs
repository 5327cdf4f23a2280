//! `www/lessons.js` and `www/lessons/<id>.js`: what the `<loop-lab>` element knows of
//! the lessons before its WebAssembly module has loaded, written from the one list.
//!
//! `www/embed.js` shows each element's title and one line (the list's `blurb`) at
//! once, so nothing is an empty box while the module downloads, or if it cannot; and
//! it starts the demo API (`www/api.js`) only for the lessons that call it. A page
//! showing one lesson loads that lesson's file (a few hundred bytes), any other page
//! the file of every lesson. Whether a lesson calls the demo API is read from its
//! file, not written by hand: a lesson's file that builds a demo-API URL calls `ctx.api(`.
//!
//! The files are committed, like the README's table, so a fresh clone serves them as
//! they are; [`crate::lessons::refresh`] writes them and `--check` compares them.

use crate::lessons::Entry;
use crate::Result;
use std::path::{Path, PathBuf};

/// The file of every lesson, relative to the repository root.
pub const ALL: &str = "www/lessons.js";
/// The folder of one file per lesson, relative to the repository root.
pub const ONE: &str = "www/lessons";

/// Every file to write for `list` — `www/lessons.js`, then `www/lessons/<id>.js` per
/// entry — as (path relative to `root`, text), reading each lesson's file under `root`.
pub fn files(root: &Path, list: &[Entry]) -> Result<Vec<(PathBuf, String)>> {
    let mut lines = Vec::new();
    for e in list {
        let file = root.join(format!("src/lessons/{}.rs", e.id.replace('-', "_")));
        let source = std::fs::read_to_string(&file).map_err(|err| format!("{}: {err}", file.display()))?;
        let api = u8::from(source.contains("ctx.api("));
        lines.push(format!("  {}: [{}, {}, {api}],\n", json(&e.id), json(&e.title), json(&e.blurb)));
    }
    let mut out = vec![(PathBuf::from(ALL), module("Every lesson", &lines.concat()))];
    for (e, line) in list.iter().zip(&lines) {
        out.push((Path::new(ONE).join(format!("{}.js", e.id)), module(&format!("The lesson {}", e.id), line)));
    }
    Ok(out)
}

/// A module exporting `LESSONS`, an object of the given entries.
fn module(whose: &str, entries: &str) -> String {
    format!(
        "// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.\n\
         // {whose}: its title, one line, and 1 if it calls the demo API (else 0), for\n\
         // what <loop-lab> shows before the module has loaded (www/embed.js).\n\
         export const LESSONS = {{\n{entries}}};\n"
    )
}

/// A JSON (and so JavaScript) string literal.
fn json(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo_root;

    #[test]
    fn every_lesson_has_its_words_and_the_fetch_lessons_are_marked() {
        let root = repo_root();
        let list = crate::lessons::list(&root).unwrap();
        let files = files(&root, &list).unwrap();
        assert_eq!(files.len(), 1 + list.len());
        let (path, text) = &files[0];
        assert_eq!(path, Path::new(ALL));
        assert!(text.contains("  \"mental-model\": [\"One thread, taking turns\", \"Tasks take turns"), "{text}");
        let marked: Vec<&str> = text.lines().filter(|l| l.ends_with(", 1],")).map(|l| l.trim().split('"').nth(1).unwrap()).collect();
        assert_eq!(marked, ["gather-fetch", "create-task", "timeout", "stream", "limit", "as-completed", "playground"]);
        assert_eq!(text.lines().filter(|l| l.ends_with(", 0],")).count(), list.len() - marked.len());
        // Each lesson's own file holds its line of the whole, and nothing else.
        for ((path, one), e) in files[1..].iter().zip(&list) {
            assert_eq!(path, &Path::new(ONE).join(format!("{}.js", e.id)));
            let line = text.lines().find(|l| l.starts_with(&format!("  \"{}\":", e.id))).unwrap();
            assert_eq!(one.lines().filter(|l| l.starts_with("  ")).collect::<Vec<_>>(), [line], "{one}");
        }
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(json(r#"say "hi" \ bye"#), r#""say \"hi\" \\ bye""#);
    }
}
