//! Two jobs.
//!
//! **Excerpts.** Extracts the part of each lesson file that the page shows — the text between
//! `// lesson:start` and `// lesson:end` — into `$OUT_DIR/lessons/<file>`, so the wasm
//! binary carries only what a reader sees, not every lesson's whole source file.
//! Lessons include it with the `excerpt!` macro; it is read from the same file that
//! is compiled, at build time, so the code shown cannot drift from the code that runs.
//!
//! **The lesson list.** Reads `src/lessons/lessons.json`, the one list of lessons (the
//! page, the e2e tests, the README and xtask read it too), and writes
//! `$OUT_DIR/list.rs`, which `src/lessons/mod.rs` includes: a `titles` module with
//! one constant per entry (`titles::MENTAL_MODEL`, the `title:` of that lesson) and
//! `ALL`, the lessons of this build in page order.

use std::fs;
use std::path::Path;

fn main() {
    let text = fs::read_to_string(LIST).expect("src/lessons/lessons.json is readable UTF-8");
    let list = entries(&text).unwrap_or_else(|e| panic!("{LIST}: {e}"));
    let only = one_lesson(&list);
    excerpts(only.as_deref());
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("list.rs");
    fs::write(out, list_rs(&list, only.as_deref())).expect("write list.rs");
}

/// The one list of lessons, in page order.
const LIST: &str = "src/lessons/lessons.json";

/// **One-lesson builds.** With `LOOPLAB_LESSON=<id>` set, the crate is built with only
/// that lesson (or only the playground, for `playground`) and without the lesson
/// page's proof section: the module an embed loads when its page shows one lesson
/// (`cargo xtask build` makes one per lesson into `pkg/one/<id>/`). It sets
/// `cfg(looplab_one)` (and `cfg(looplab_playground)` for the playground,
/// `cfg(looplab_worker)` for cpu-bound, whose worker needs the module's worker exports)
/// and returns the id, which must be in the list. Unset, every lesson is built in.
///
/// `LOOPLAB_LESSON=@reader` builds the inspector's own module instead
/// (`cfg(looplab_reader)`, see src/reader.rs).
///
/// Two more cfgs say what the app must be able to mount, so that a module leaves out
/// what it can never show: `looplab_with_lessons` (every build but the playground's
/// own: the parameter checks, ~3 KB) and `looplab_with_playground` (the full build and
/// the playground's own: its form and runner, ~20 KB).
fn one_lesson(list: &[Entry]) -> Option<String> {
    println!("cargo:rerun-if-env-changed=LOOPLAB_LESSON");
    for cfg in ["looplab_one", "looplab_playground", "looplab_worker", "looplab_with_lessons", "looplab_with_playground", "looplab_reader"]
    {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    let Some(id) = std::env::var("LOOPLAB_LESSON").ok().filter(|id| !id.is_empty()) else {
        println!("cargo:rustc-cfg=looplab_with_lessons");
        println!("cargo:rustc-cfg=looplab_with_playground");
        return None;
    };
    // The inspector's own module (src/reader.rs): no lesson, no app.
    if id == "@reader" {
        println!("cargo:rustc-cfg=looplab_reader");
        return None;
    }
    let entry = list.iter().find(|e| e.id == id);
    let entry = entry.unwrap_or_else(|| panic!("LOOPLAB_LESSON={id:?} is not in {LIST}"));
    println!("cargo:rustc-cfg=looplab_one");
    // Only the cpu-bound lesson runs work in a Web Worker (www/worker.js).
    if id == "cpu-bound" {
        println!("cargo:rustc-cfg=looplab_worker");
    }
    if entry.playground {
        println!("cargo:rustc-cfg=looplab_playground");
        println!("cargo:rustc-cfg=looplab_with_playground");
    } else {
        println!("cargo:rustc-cfg=looplab_with_lessons");
    }
    Some(id)
}

/// `list.rs`: the titles of every entry, and `ALL`: every lesson (not the playground)
/// of this build — all of them, or only `only`.
fn list_rs(list: &[Entry], only: Option<&str>) -> String {
    let mut rs = format!("// Written by build.rs from {LIST}.\n\n");
    rs.push_str("/// Every entry's title, from `lessons.json`: the `title:` of its `LESSON`.\npub mod titles {\n");
    for e in list {
        let name = e.id.to_uppercase().replace('-', "_");
        rs.push_str(&format!("    /// The title of `{}`.\n    pub const {name}: &str = {:?};\n", e.id, e.title));
    }
    rs.push_str("}\n\n/// Every lesson of this build, in the order of the lesson page.\nstatic ALL: &[&Lesson] = &[\n");
    for e in list.iter().filter(|e| !e.playground && only.is_none_or(|id| id == e.id)) {
        rs.push_str(&format!("    &{}::LESSON,\n", e.id.replace('-', "_")));
    }
    rs.push_str("];\n");
    rs
}

/// What build.rs needs of one entry of the list.
struct Entry {
    id: String,
    title: String,
    /// `"kind": "playground"`: the reader's own workload, not one of `ALL`.
    playground: bool,
}

/// The entries of the list, checked: known keys only, an id of lowercase letters and
/// dashes naming a file `src/lessons/<id with underscores>.rs`, no id twice.
fn entries(text: &str) -> Result<Vec<Entry>, String> {
    let mut list: Vec<Entry> = Vec::new();
    for fields in json::parse_list(text)? {
        let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let id = get("id").ok_or("an entry has no \"id\"")?;
        if let Some((key, _)) = fields.iter().find(|(k, _)| !["id", "title", "blurb", "kind"].contains(&k.as_str())) {
            return Err(format!("{id}: unknown key {key:?}"));
        }
        let kind = get("kind");
        if !matches!(kind.as_deref(), None | Some("lesson" | "playground")) {
            return Err(format!("{id}: \"kind\" is \"lesson\" (the default) or \"playground\""));
        }
        let file = format!("src/lessons/{}.rs", id.replace('-', "_"));
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') || !Path::new(&file).is_file() {
            return Err(format!("{id:?}: no lesson file {file}"));
        }
        if list.iter().any(|e| e.id == id) {
            return Err(format!("{id} is listed twice"));
        }
        let title = get("title").ok_or(format!("{id}: no \"title\""))?;
        get("blurb").ok_or(format!("{id}: no \"blurb\""))?;
        list.push(Entry { id, title, playground: kind.as_deref() == Some("playground") });
    }
    Ok(list)
}

/// A reader for the one shape the list has: an array of objects whose values are
/// strings. Hand-written because serde_json as a build-dependency added 7.9 s to a
/// clean build (measured on the 2-core machine; build dependencies compile in a
/// profile of their own, so xtask's copy is not reused). The native test
/// `lessons::tests::the_list_is_the_one_serde_json_reads` reads the same file with
/// serde_json and compares.
mod json {
    /// The objects of the array, each as its (key, value) pairs in file order.
    pub fn parse_list(text: &str) -> Result<Vec<Vec<(String, String)>>, String> {
        let mut p = Reader { text, at: 0 };
        let list = p.items('[', ']', Reader::object).map_err(|e| p.error(e))?;
        match p.next() {
            None => Ok(list),
            Some(_) => Err(p.error("text after the list")),
        }
    }

    struct Reader<'a> {
        text: &'a str,
        at: usize,
    }

    impl Reader<'_> {
        /// The next character that is not JSON white space, consumed.
        fn next(&mut self) -> Option<char> {
            let rest = &self.text[self.at..];
            let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
            self.at += skipped;
            let c = self.text[self.at..].chars().next()?;
            self.at += c.len_utf8();
            Some(c)
        }

        fn expect(&mut self, want: char) -> Result<(), String> {
            match self.next() {
                Some(c) if c == want => Ok(()),
                _ => Err(format!("expected {want:?}")),
            }
        }

        /// `open item, item, … close`, at least one item.
        fn items<T>(&mut self, open: char, close: char, item: fn(&mut Self) -> Result<T, String>) -> Result<Vec<T>, String> {
            self.expect(open)?;
            let mut items = vec![item(self)?];
            loop {
                match self.next() {
                    Some(',') => items.push(item(self)?),
                    Some(c) if c == close => return Ok(items),
                    _ => return Err(format!("expected ',' or {close:?}")),
                }
            }
        }

        fn object(&mut self) -> Result<Vec<(String, String)>, String> {
            self.items('{', '}', |p| {
                let key = p.string()?;
                p.expect(':')?;
                Ok((key, p.string()?))
            })
        }

        /// A string, with JSON's escapes (a `\u` escape must be a whole character: no
        /// surrogate pairs, which the list has no need of).
        fn string(&mut self) -> Result<String, String> {
            self.expect('"')?;
            let mut out = String::new();
            let mut chars = self.text[self.at..].char_indices();
            while let Some((i, c)) = chars.next() {
                let escaped = match c {
                    '"' => {
                        self.at += i + 1;
                        return Ok(out);
                    }
                    '\\' => chars.next().map(|(_, e)| e),
                    c if c < ' ' => return Err("a control character in a string".into()),
                    c => {
                        out.push(c);
                        continue;
                    }
                };
                out.push(match escaped {
                    Some(e @ ('"' | '\\' | '/')) => e,
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some('r') => '\r',
                    Some('b') => '\u{8}',
                    Some('f') => '\u{c}',
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).ok_or("a bad \\u escape")?
                    }
                    _ => return Err("an unknown escape".into()),
                });
            }
            Err("a string that never ends".into())
        }

        fn error(&self, what: impl std::fmt::Display) -> String {
            format!("line {}: {what}", self.text[..self.at].lines().count().max(1))
        }
    }
}

/// Writes every lesson file's excerpt into `$OUT_DIR/lessons/`.
/// The line map (`lines.rs`) covers only `only`'s file in a one-lesson build: a
/// module never shows another lesson's code.
fn excerpts(only: Option<&str>) {
    let src = Path::new("src/lessons");
    println!("cargo:rerun-if-changed=src/lessons");
    println!("cargo:rerun-if-changed={LIST}");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons");
    fs::create_dir_all(&out).expect("create OUT_DIR/lessons");
    let mut lines = String::from(LINES_DOC);
    lines.push_str(
        "pub fn excerpt_line(file: &str, line: u32) -> Option<u32> {\n    let (first, last, skipped): (u32, u32, &[u32]) = match file {\n",
    );
    let mut files: Vec<_> = fs::read_dir(src).expect("src/lessons exists").flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("lesson file is UTF-8");
            println!("cargo:rerun-if-changed={}", path.display());
            let name = path.file_name().expect("a file name");
            let (shown, kept) = excerpt(&text);
            fs::write(out.join(name), shown).expect("write excerpt");
            let own = only.is_none_or(|id| name.to_string_lossy() == format!("{}.rs", id.replace('-', "_")));
            if !text.contains("// lesson:start") || !own {
                continue;
            }
            let (first, last) = (kept.first().copied().unwrap_or(1), kept.last().copied().unwrap_or(0));
            let skipped: Vec<u32> = (first..last).filter(|n| !kept.contains(n)).collect();
            lines.push_str(&format!("        \"src/lessons/{}\" => ({first}, {last}, &{skipped:?}),\n", name.to_string_lossy()));
        }
    }
    lines.push_str("        _ => return None,\n    };\n    let before = skipped.iter().filter(|&&s| s < line).count() as u32;\n");
    lines.push_str("    (first..=last).contains(&line).then(|| line - first + 1 - before).filter(|_| !skipped.contains(&line))\n}\n");
    fs::write(out.parent().expect("OUT_DIR").join("lines.rs"), lines).expect("write lines.rs");
}

/// The head of `$OUT_DIR/lines.rs`.
const LINES_DOC: &str = "// Written by build.rs from the lesson files.

/// The line of the excerpt a page shows (1-based) that is line `line` of lesson file
/// `file` (as `std::panic::Location` names it), if the excerpt shows that line.
";

/// The text between the markers, or the whole file if it has none.
/// `#[rustfmt::skip]` lines are left out: they keep rustfmt off the hand-wrapped
/// excerpt, and say nothing to a reader.
/// Also returns the file's line number (1-based) of each line shown, in order.
fn excerpt(text: &str) -> (String, Vec<u32>) {
    const START: &str = "// lesson:start\n";
    let start = text.find(START).map_or(0, |i| i + START.len());
    let end = text[start..].find("// lesson:end").map_or(text.len(), |i| start + i);
    let first = text[..start].lines().count() as u32 + 1;
    let numbered = text[start..end].lines().zip(first..);
    let kept: Vec<(&str, u32)> = numbered.filter(|(l, _)| l.trim() != "#[rustfmt::skip]").collect();
    let shown = kept.iter().map(|(l, _)| *l).collect::<Vec<_>>().join("\n").trim_end().to_string();
    let count = shown.lines().count();
    (shown, kept.iter().take(count).map(|(_, n)| *n).collect())
}
