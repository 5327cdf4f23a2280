//! The lessons: what to run. One file per concept; the code a reader sees on the page
//! is read from these files at build time (`build.rs` extracts it; `excerpt!`
//! includes it), between the markers
//! `// lesson:start` and `// lesson:end`, so it cannot drift from what runs.
//!
//! Each lesson lives in `src/lessons/<id with underscores>.rs`; the page names that
//! file under the Rust it shows.
//!
//! A lesson is data plus one async function: it gets a fresh [`Recorder`] and the
//! reader's parameters, spawns named tasks into the recorder, and returns a
//! [`Verdict`]: the measured figures, in words and as numbers.

/// The part of lesson file `$file` that the page shows, extracted at build time by
/// `build.rs` (the text between the lesson markers): only that goes into the binary.
macro_rules! excerpt {
    ($file:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/lessons/", $file))
    };
}

pub mod as_completed;
pub mod context_manager;
pub mod cpu;
pub mod cpu_bound;
pub mod create_task;
pub mod errors;
pub mod gather_fetch;
pub mod lazy;
pub mod limit;
pub mod mental_model;
pub mod microtasks;
pub mod playground;
#[cfg(not(looplab_one))]
pub mod proof;
pub mod python;
pub mod sequential_vs_concurrent;
pub mod stream;
pub mod timeout;

use crate::runtime::Recorder;
use crate::Error;
use futures::future::LocalBoxFuture;

/// A lesson's run: spawn tasks into the recorder, measure, say what happened.
pub type RunFn = fn(Ctx) -> LocalBoxFuture<'static, Result<Verdict, Error>>;

/// Everything the page needs to show and run one lesson.
pub struct Lesson {
    /// The id used by `<loop-lab lesson="…">` (part of the embed API).
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// Two to five sentences, one paragraph per entry.
    pub text: &'static [&'static str],
    /// The asyncio program a reader would write, whole (imports to `asyncio.run`), its
    /// parameters as markers that [`python::fill`] fills: what the page shows and runs.
    pub python: &'static str,
    /// The code shown: `excerpt!("<file>.rs")`, the marked part of the lesson's file.
    pub source: &'static str,
    /// Where the Rust and the Python await the same thing (see [`About::awaits`]).
    pub awaits: &'static [(u32, u32)],
    /// The parameters a reader may change.
    pub params: &'static [Param],
    /// An optional list of URLs a reader may give instead of the demo API.
    pub urls: Option<UrlsParam>,
    /// The run.
    pub run: RunFn,
}

/// What a page says about a lesson or the playground: the words and the two codes.
#[derive(Clone, Copy, Debug)]
pub struct About {
    /// The id used by `<loop-lab lesson="…">`.
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// Two to five sentences, one paragraph per entry.
    pub text: &'static [&'static str],
    /// The asyncio program it mirrors.
    pub python: &'static str,
    /// The Rust that runs: the marked part of its source file.
    pub source: &'static str,
    /// Where the two codes await the same thing: `(rust_line, python_line)`, 1-based
    /// in the code shown. A wait made at a Rust line listed here is placed at its
    /// Python line too (the inspector highlights both).
    pub awaits: &'static [(u32, u32)],
}

impl About {
    /// The lines of the code shown where a wait made at `site` is: `(rust, python)`.
    pub fn lines(&self, site: crate::trace::Site) -> (Option<u32>, Option<u32>) {
        // Only lesson files are mapped, and a lesson's run calls no other lesson's code.
        let rust = excerpt_line(site.file(), site.line());
        let python = rust.and_then(|r| self.awaits.iter().find(|a| a.0 == r)).map(|a| a.1);
        (rust, python)
    }

    /// The lines of wait `i` of `rec` ([`About::lines`] of its site); unknown when it
    /// has none.
    pub fn wait_lines(&self, rec: &crate::trace::Record, i: u32) -> (Option<u32>, Option<u32>) {
        rec.wait(i).and_then(|w| w.site).map_or((None, None), |s| self.lines(s))
    }

    /// The file the Rust comes from, as the page names it.
    pub fn file(&self) -> String {
        format!("src/lessons/{}.rs", self.id.replace('-', "_"))
    }
}

impl Lesson {
    /// What the page says about this lesson.
    pub fn about(&self) -> About {
        About { id: self.id, title: self.title, text: self.text, python: self.python, source: self.source, awaits: self.awaits }
    }
}

/// A number a reader may set: an attribute of the element and a field of the form.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// Attribute and field name, e.g. `delay-ms`.
    pub key: &'static str,
    /// The label shown.
    pub label: &'static str,
    /// The default.
    pub default: f64,
    /// The smallest allowed value.
    pub min: f64,
    /// The largest allowed value.
    pub max: f64,
    /// The unit shown after the field ("ms", "tasks", "").
    pub unit: &'static str,
}

impl Param {
    /// Parses and checks a reader's input; the error says what is allowed.
    pub fn parse(&self, input: &str) -> Result<f64, Error> {
        let text = input.trim();
        let bad = || {
            Error::BadInput(format!(
                "{} must be a whole number from {} to {}{} (got \"{}\")",
                self.label,
                crate::num::fixed(self.min, 0),
                crate::num::fixed(self.max, 0),
                if self.unit.is_empty() { String::new() } else { format!(" {}", self.unit) },
                text.chars().take(40).collect::<String>()
            ))
        };
        // Whole numbers only: parsed as an integer (float parsing would add ~10 KB of
        // wasm for nothing a reader needs).
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let value = text.parse::<i32>().map_err(|_| bad())? as f64;
        if value < self.min || value > self.max {
            return Err(bad());
        }
        Ok(value)
    }
}

/// A reader's own URLs: any http(s) URLs, separated by spaces or new lines.
#[derive(Clone, Copy, Debug)]
pub struct UrlsParam {
    /// Attribute and field name, e.g. `urls`.
    pub key: &'static str,
    /// The label shown.
    pub label: &'static str,
    /// At most this many URLs.
    pub max: usize,
}

impl UrlsParam {
    /// Splits and checks the input; empty input means "use the demo API".
    pub fn parse(&self, input: &str) -> Result<Vec<String>, Error> {
        let urls: Vec<String> = input.split_whitespace().map(str::to_string).collect();
        if urls.len() > self.max {
            return Err(Error::BadInput(format!("{}: at most {} URLs (got {})", self.label, self.max, urls.len())));
        }
        for url in &urls {
            let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
            let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
            if url.len() > 2000 || host.is_none_or(|h| h.is_empty() || h.contains('@')) {
                let shown: String = url.chars().take(60).collect();
                return Err(Error::BadInput(format!(
                    "{}: \"{shown}\" is not a web address; give full http:// or https:// URLs",
                    self.label
                )));
            }
        }
        Ok(urls)
    }
}

/// What a lesson run gets: its recorder and the reader's parameters.
pub struct Ctx {
    /// The run's recorder: spawn every task into it.
    pub rec: Recorder,
    values: Vec<(&'static str, f64)>,
    urls: Vec<String>,
    api_base: String,
}

impl Ctx {
    /// A context with checked parameter values and URLs.
    pub fn new(rec: Recorder, values: Vec<(&'static str, f64)>, urls: Vec<String>, api_base: String) -> Ctx {
        Ctx { rec, values, urls, api_base }
    }

    /// The reader's own URLs (empty: use the demo API).
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// The value of parameter `key` (0 if the lesson has no such parameter).
    pub fn num(&self, key: &str) -> f64 {
        self.values.iter().find(|(k, _)| *k == key).map_or(0.0, |(_, v)| *v)
    }

    /// The URL of a demo-API path such as `users/1?delay_ms=200`.
    pub fn api(&self, path: &str) -> String {
        format!("{}{}", self.api_base, path)
    }
}

pub use crate::verdicts::Verdict;

// `titles` (one constant per entry of `lessons.json`, which each lesson's `title:`
// names) and `ALL`, the lessons of this build in page order: every one, or in a
// one-lesson build just that one (none in the playground's own build). Written by
// `build.rs` from `lessons.json`, the one list of lessons.
include!(concat!(env!("OUT_DIR"), "/list.rs"));
include!(concat!(env!("OUT_DIR"), "/lines.rs"));

/// Every lesson, in the order of the lesson page.
pub fn all() -> &'static [&'static Lesson] {
    ALL
}

/// The lesson with this id.
pub fn find(id: &str) -> Option<&'static Lesson> {
    all().iter().copied().find(|l| l.id == id)
}

#[cfg(test)]
mod awaits_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_shows_real_code_and_has_a_unique_id() {
        let mut ids: Vec<_> = all().iter().map(|l| l.id).collect();
        for l in all() {
            assert!(l.source.contains("async"), "{}: no code between the markers", l.id);
            assert!(!l.source.contains("lesson:"), "{}: markers leak", l.id);
            assert!((2..=5).contains(&l.text.len()) || l.text.len() == 1, "{}", l.id);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all().len());
    }

    /// `lessons.json`, read by serde_json, against what build.rs made of it with its own
    /// small reader: the same lessons in the same order, each file's `id` the listed one
    /// and its `title` (a `titles::` constant) the listed one.
    #[test]
    fn the_list_is_the_one_serde_json_reads() {
        let text = include_str!("lessons.json");
        let list: Vec<serde_json::Value> = serde_json::from_str(text).expect("lessons.json is JSON");
        let field = |e: &serde_json::Value, key: &str| e[key].as_str().map(str::to_string);
        let (playground, lessons): (Vec<_>, Vec<_>) = list.iter().partition(|e| field(e, "kind").as_deref() == Some("playground"));
        let listed: Vec<_> = lessons.iter().map(|e| (field(e, "id"), field(e, "title"))).collect();
        let built: Vec<_> = all().iter().map(|l| (Some(l.id.to_string()), Some(l.title.to_string()))).collect();
        assert_eq!(built, listed);
        let [p] = playground[..] else { panic!("one playground entry, got {}", playground.len()) };
        assert_eq!(field(p, "id").as_deref(), Some(playground::ABOUT.id));
        assert_eq!(field(p, "title").as_deref(), Some(playground::ABOUT.title));
    }

    /// The Python beside each lesson, as filled for the page, must be valid Python 3:
    /// CPython's own parser checks it (python3 is on every machine this project builds on).
    #[test]
    fn every_python_example_parses() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let own = ["https://a.example/users/1".to_string(), "http://b.example/x?y=\"z\"".to_string()];
        for (l, urls) in all().iter().flat_map(|l| [(l, &[][..]), (l, &own[..])]) {
            let mut child = Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("python3 is needed to check the lessons' Python examples");
            let filled = l.python_with(&[], urls, "http://127.0.0.1:8000/api/");
            child.stdin.take().expect("stdin").write_all(filled.as_bytes()).expect("write");
            let out = child.wait_with_output().expect("python3 ran");
            assert!(out.status.success(), "{}: {}", l.id, String::from_utf8_lossy(&out.stderr));
        }
    }

    /// Every lesson but the playground has a verdict of its Python run.
    #[test]
    fn every_lesson_with_python_is_judged() {
        let with_python: Vec<&str> = all().iter().map(|l| l.id).filter(|&id| id != "playground").collect();
        let mut judged = crate::verdicts::LESSONS.to_vec();
        judged.sort_unstable();
        let mut expected = with_python.clone();
        expected.sort_unstable();
        assert_eq!(judged, expected);
    }

    #[test]
    fn urls_are_checked_before_anything_runs() {
        let p = UrlsParam { key: "urls", label: "URLs", max: 3 };
        assert_eq!(p.parse("  ").unwrap(), Vec::<String>::new());
        assert_eq!(p.parse("https://a.example/x http://b.example").unwrap().len(), 2);
        for bad in ["javascript:alert(1)", "ftp://x", "https://", "http://user@evil", "a b c d"] {
            assert!(p.parse(bad).is_err(), "{bad} was accepted");
        }
        assert!(p.parse("notaurl").unwrap_err().to_string().contains("is not a web address"));
    }

    #[test]
    fn params_reject_what_they_cannot_use() {
        let p = Param { key: "delay-ms", label: "Delay", default: 200.0, min: 0.0, max: 10_000.0, unit: "ms" };
        assert_eq!(p.parse(" 250 ").unwrap(), 250.0);
        for bad in ["-5", "abc", "1e9", "", "NaN", "2.5", "100001"] {
            let e = p.parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("Delay must be a whole number from 0 to 10000 ms"), "{bad}: {e}");
        }
    }
}
