//! `www/lessons.js`: what the `<loop-lab>` element knows of every lesson before its
//! WebAssembly module has loaded, written from the one list of lessons.
//!
//! `www/embed.js` shows each element's title and one line (the list's `blurb`) at
//! once, so nothing is an empty box while the module downloads, or if it cannot; and
//! it starts the demo API (`www/api.js`) only for the lessons that call it. Whether a
//! lesson calls it is read from its file, not written by hand: a lesson's file that
//! builds a demo-API URL calls `ctx.api(`.
//!
//! The file is committed, like the README's table, so a fresh clone serves it as it
//! is; [`crate::lessons::refresh`] writes it and `--check` compares it.

use crate::lessons::Entry;
use crate::Result;
use std::path::Path;

/// The file, relative to the repository root.
pub const PATH: &str = "www/lessons.js";

/// The text of `www/lessons.js` for `list`, reading each lesson's file under `root`.
pub fn script(root: &Path, list: &[Entry]) -> Result<String> {
    let mut out = String::from(
        "// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.\n\
         // Every lesson's title, its one line, and 1 if it calls the demo API (else 0),\n\
         // for what <loop-lab> shows before the module has loaded (www/embed.js).\n\
         export const LESSONS = {\n",
    );
    for e in list {
        let file = root.join(format!("src/lessons/{}.rs", e.id.replace('-', "_")));
        let source = std::fs::read_to_string(&file).map_err(|err| format!("{}: {err}", file.display()))?;
        let api = u8::from(source.contains("ctx.api("));
        let (id, title, blurb) = (json(&e.id), json(&e.title), json(&e.blurb));
        out.push_str(&format!("  {id}: [{title}, {blurb}, {api}],\n"));
    }
    out.push_str("};\n");
    Ok(out)
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
        let text = script(&root, &list).unwrap();
        assert!(text.contains("  \"mental-model\": [\"One thread, taking turns\", \"Tasks take turns"), "{text}");
        let marked: Vec<&str> = text.lines().filter(|l| l.ends_with(", 1],")).map(|l| l.trim().split('"').nth(1).unwrap()).collect();
        assert_eq!(marked, ["gather-fetch", "create-task", "timeout", "stream", "limit", "as-completed", "playground"]);
        assert_eq!(text.lines().filter(|l| l.ends_with(", 0],")).count(), list.len() - marked.len());
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(json(r#"say "hi" \ bye"#), r#""say \"hi\" \\ bye""#);
    }
}
