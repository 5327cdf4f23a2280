//! The one list of lessons, `src/lessons/lessons.json`, and the parts of other files
//! written from it.
//!
//! The list holds, in page order, each lesson's id, title and one-line blurb, then the
//! playground (`"kind": "playground"`). The crate's `build.rs` makes the Rust list from
//! it (`lessons::all()`, and every lesson's `title:`), the e2e tests read it, and xtask
//! reads it here: for the one-lesson modules and the benchmark ([`ids`]), and to fill
//! the blocks of other files that repeat it, each between `<!-- name -->` and
//! `<!-- /name -->`:
//!
//! | block | what it holds |
//! |---|---|
//! | `lessons:toc` | `index.html`'s table of contents |
//! | `lessons:elements` | `index.html`'s `<loop-lab>` element of every lesson |
//! | `lessons` | the README's table of lessons |
//!
//! and to write `www/lessons.js` and `www/lessons/<id>.js` whole ([`crate::lessons_js`]):
//! the titles and blurbs the `<loop-lab>` element shows before its module has loaded.
//!
//! Every link to a lesson, `<a href="#lesson-<id>">`, gets that lesson's title as its
//! text. `cargo xtask lessons` (and every `cargo xtask build`) rewrites the files;
//! `--check` writes nothing and fails naming those out of date, as a native test does.

use crate::cmd::step;
use crate::Result;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The list, relative to the repository root.
pub const LIST: &str = "src/lessons/lessons.json";

/// The files with blocks filled from the list.
const FILES: [&str; 2] = ["index.html", "README.md"];

/// One entry of the list.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The id of `<loop-lab lesson="…">`; its file is `src/lessons/<id, - as _>.rs`.
    pub id: String,
    /// The heading.
    pub title: String,
    /// What the lesson shows, in one sentence.
    pub blurb: String,
    /// The reader's own workload rather than a lesson.
    pub playground: bool,
}

/// The list, read and checked ([`parse`]), each id naming a lesson file.
pub fn list(root: &Path) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(root.join(LIST))?;
    let list = parse(&text).map_err(|e| format!("{LIST}: {e}"))?;
    for e in &list {
        let file = format!("src/lessons/{}.rs", e.id.replace('-', "_"));
        if !root.join(&file).is_file() {
            return Err(format!("{LIST}: {}: no lesson file {file}", e.id).into());
        }
    }
    Ok(list)
}

/// Every id of the list, in page order, the playground's last.
pub fn ids(root: &Path) -> Result<Vec<String>> {
    Ok(list(root)?.into_iter().map(|e| e.id).collect())
}

/// Parses the list and checks what it promises: known keys only; ids of lowercase
/// letters and dashes, each once; a title; a blurb of one sentence, at most 100
/// characters; the playground once, last.
fn parse(text: &str) -> Result<Vec<Entry>> {
    let objects: Vec<Map<String, Value>> = serde_json::from_str(text)?;
    let mut list: Vec<Entry> = Vec::new();
    for object in &objects {
        let entry = entry(object)?;
        let id = &entry.id;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return Err(format!("{id:?}: an id is lowercase letters and dashes").into());
        }
        if list.iter().any(|e| e.id == *id) {
            return Err(format!("{id} is listed twice").into());
        }
        let blurb = &entry.blurb;
        let one_sentence = blurb.ends_with('.') && !blurb[..blurb.len() - 1].contains(". ");
        if !one_sentence || blurb.chars().count() > 100 || entry.title.is_empty() {
            return Err(format!("{id}: a title, and a blurb of one sentence of at most 100 characters").into());
        }
        list.push(entry);
    }
    if list.iter().position(|e| e.playground) != Some(list.len().saturating_sub(1)) || list.iter().filter(|e| e.playground).count() != 1 {
        return Err("the playground is the last entry, and the only one of its kind".into());
    }
    Ok(list)
}

/// One object of the list as an [`Entry`].
fn entry(object: &Map<String, Value>) -> Result<Entry> {
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
    let id = text("id").ok_or("an entry has no \"id\"")?;
    if let Some(key) = object.keys().find(|k| !["id", "title", "blurb", "kind"].contains(&k.as_str())) {
        return Err(format!("{id}: unknown key {key:?}").into());
    }
    let playground = match object.get("kind") {
        None => false,
        Some(kind) if kind == "lesson" => false,
        Some(kind) if kind == "playground" => true,
        Some(_) => return Err(format!("{id}: \"kind\" is \"lesson\" (the default) or \"playground\"").into()),
    };
    let title = text("title").ok_or(format!("{id}: no \"title\""))?;
    let blurb = text("blurb").ok_or(format!("{id}: no \"blurb\""))?;
    Ok(Entry { id, title, blurb, playground })
}

/// Fills the blocks of `index.html` and `README.md` from the list and writes
/// `www/lessons.js` and `www/lessons/<id>.js`; with `check`, writes nothing and fails
/// naming the files that are out of date.
pub fn refresh(root: &Path, check: bool) -> Result<()> {
    let list = list(root)?;
    let mut wanted: Vec<(PathBuf, String)> = Vec::new();
    for name in FILES {
        let text = std::fs::read_to_string(root.join(name))?;
        wanted.push((name.into(), fill(&text, &list).map_err(|e| format!("{name}: {e}"))?));
    }
    wanted.extend(crate::lessons_js::files(root, &list)?);
    let mut stale = Vec::new();
    for (name, text) in &wanted {
        let path = root.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        stale.push(name.display().to_string());
        if !check {
            std::fs::create_dir_all(path.parent().unwrap_or(root))?;
            std::fs::write(&path, text)?;
            step("lessons", &format!("{}: lessons written from {LIST}", name.display()));
        }
    }
    // A lesson no longer listed leaves no file behind.
    for entry in std::fs::read_dir(root.join(crate::lessons_js::ONE)).into_iter().flatten().flatten() {
        let name = Path::new(crate::lessons_js::ONE).join(entry.file_name());
        if !wanted.iter().any(|(w, _)| *w == name) {
            stale.push(name.display().to_string());
            if !check {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    if stale.is_empty() || !check {
        Ok(())
    } else {
        Err(format!("out of date with {LIST}: {} (`cargo xtask lessons` rewrites them)", stale.join(", ")).into())
    }
}

/// `text` with each lesson block it has filled and each lesson link's text set.
fn fill(text: &str, list: &[Entry]) -> Result<String> {
    let lessons: Vec<&Entry> = list.iter().filter(|e| !e.playground).collect();
    let toc = lessons.iter().map(|e| format!("<li><a href=\"#lesson-{}\">{}</a></li>", e.id, html(&e.title)));
    // `python`: the page offers each lesson's Python too (www/python/, loaded on first use).
    let elements = lessons.iter().map(|e| format!("<loop-lab lesson=\"{0}\" id=\"lesson-{0}\" python></loop-lab>", e.id));
    let mut table = vec![String::new(), "| Lesson | id | What it shows |".into(), "|---|---|---|".into()];
    table.extend(list.iter().map(|e| format!("| {} | `{}` | {} |", markdown(&e.title), e.id, markdown(&e.blurb))));
    table.push(String::new());
    let mut text = block(text, "lessons:toc", &toc.collect::<Vec<_>>())?;
    text = block(&text, "lessons:elements", &elements.collect::<Vec<_>>())?;
    text = block(&text, "lessons", &table)?;
    links(&text, list)
}

/// Replaces what lies between `<!-- name -->` and the line of `<!-- /name -->` with
/// `lines`, each indented like the opening marker; `text` as it is without the marker.
fn block(text: &str, name: &str, lines: &[String]) -> Result<String> {
    let (open, close) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let Some(start) = text.find(&open) else {
        if text.contains(&close) {
            return Err(format!("{close} without {open}").into());
        }
        return Ok(text.to_string());
    };
    let body = start + open.len();
    let end = text[body..].find(&close).map(|i| body + i).ok_or(format!("{open} without {close}"))?;
    if text[end..].contains(&open) {
        return Err(format!("{open} appears twice").into());
    }
    let indent = &text[text[..start].rfind('\n').map_or(0, |i| i + 1)..start];
    let before_close = &text[text[..end].rfind('\n').map_or(0, |i| i + 1)..end];
    if !indent.trim().is_empty() || !before_close.trim().is_empty() || !text[body..end].contains('\n') {
        return Err(format!("{open} and {close} each start a line of their own").into());
    }
    let mut out = format!("{}\n", &text[..body]);
    for line in lines {
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str(&text[end..]);
    Ok(out)
}

/// Sets the text of every `<a href="#lesson-<id>">…</a>` to the title of `<id>`.
fn links(text: &str, list: &[Entry]) -> Result<String> {
    const HREF: &str = "<a href=\"#lesson-";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(HREF) {
        let after = &rest[i + HREF.len()..];
        let id = &after[..after.find('"').ok_or("a lesson link never ends")?];
        let entry = list.iter().find(|e| e.id == id).ok_or(format!("a link to #lesson-{id}, which is not in the list"))?;
        let text_at = after.find('>').ok_or("a lesson link never ends")? + 1;
        let close = after[text_at..].find("</a>").ok_or(format!("the link to #lesson-{id} has no </a>"))?;
        out.push_str(&rest[..i + HREF.len() + text_at]);
        out.push_str(&html(&entry.title));
        rest = &after[text_at + close..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Text as HTML.
fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Text as a Markdown table cell.
fn markdown(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
#[path = "lessons_tests.rs"]
mod tests;
