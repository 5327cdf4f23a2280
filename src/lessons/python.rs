//! The Python a lesson shows, filled with the reader's parameters: one program for the
//! pane and for the run.
//!
//! A lesson's `python:` is a complete asyncio program. Where one of its literals is a
//! lesson parameter, the text holds a *marker* naming it, and [`fill`] writes the
//! value in, so the code a reader sees, and the code Pyodide runs, use the numbers of
//! the form (the Rust run uses the same ones):
//!
//! - `«alice-ms/1000»`: the value divided by 1000, as a Python float: `1.0`, `0.25`;
//! - `«tasks»`: the value itself, as an integer when whole: `3`;
//! - `«api»`: the demo API's base URL, absolute (`http://…/api/`), written inside a
//!   double-quoted Python string (quotes and backslashes in it are escaped);
//! - `«urls|<python>»`: the reader's own URLs (the lesson's URL field), as a Python
//!   list of strings on one line; without any, the Python after the `|` (the demo
//!   API's URLs), so the program fetches what the Rust run fetches.
//!
//! A marker stays on its line, so the line numbers of `awaits` hold once filled.
//! Numbers are printed by [`crate::num::trimmed`] (integer arithmetic), not `core`'s
//! float formatting, which would add ~20 KB of wasm.

use super::{Lesson, Param};
use crate::num::trimmed;

/// The marker's delimiters.
const OPEN: char = '«';
const CLOSE: char = '»';

impl Lesson {
    /// This lesson's Python with its markers filled: `values` by parameter key (a key
    /// missing there takes its default), `urls` the reader's own (empty: the demo
    /// API's), `api` the demo API's base URL.
    pub fn python_with(&self, values: &[(&str, f64)], urls: &[String], api: &str) -> String {
        fill(self.python, self.params, &Given { values, urls, api })
    }
}

/// What the reader gave: the form's numbers, URLs, and the demo API's base URL.
pub struct Given<'a> {
    /// Parameter values by key (a key missing takes its default).
    pub values: &'a [(&'a str, f64)],
    /// The reader's own URLs; empty: the demo API's.
    pub urls: &'a [String],
    /// The demo API's base URL.
    pub api: &'a str,
}

/// `python` with every marker replaced (see the module doc). A marker naming no
/// parameter is written as its bare name (no lesson has one: a test checks).
pub fn fill(python: &str, params: &[Param], given: &Given) -> String {
    let mut out = String::with_capacity(python.len() + 64);
    let mut rest = python;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let inner = &rest[start + OPEN.len_utf8()..];
        let Some(end) = inner.find(CLOSE) else {
            rest = inner; // an unclosed marker: its opening mark is dropped
            continue;
        };
        out.push_str(&value_of(&inner[..end], params, given));
        rest = &inner[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The text one marker (what is between `«` and `»`) stands for.
fn value_of(marker: &str, params: &[Param], given: &Given) -> String {
    if marker == "api" {
        return in_quotes(given.api);
    }
    if let Some(demo) = marker.strip_prefix("urls|") {
        if given.urls.is_empty() {
            return demo.to_string();
        }
        let items: Vec<String> = given.urls.iter().map(|u| format!("\"{}\"", in_quotes(u))).collect();
        return format!("[{}]", items.join(", "));
    }
    let values = given.values;
    let (key, divisor) = match marker.split_once('/') {
        Some((key, d)) => (key, d.parse::<u32>().ok().filter(|&d| d > 0)),
        None => (marker, None),
    };
    let given = values.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let Some(value) = given.or_else(|| params.iter().find(|p| p.key == key).map(|p| p.default)) else {
        return key.to_string();
    };
    match divisor {
        Some(d) => float_literal(value / f64::from(d)),
        None => trimmed(value, 6).to_string(),
    }
}

/// `text` as it is written between double quotes in Python, on one line.
fn in_quotes(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\n', '\r'], "")
}

/// `value` as a Python float literal: `1.0`, `0.25`, `0.0005` (six decimals at most).
fn float_literal(value: f64) -> String {
    let mut text = trimmed(value, 6).to_string();
    if !text.contains('.') {
        text.push_str(".0");
    }
    text
}

/// The markers of `python`, in order (what is between `«` and `»`).
#[cfg(test)]
pub fn markers(python: &str) -> Vec<&str> {
    python.split(OPEN).skip(1).filter_map(|s| s.split_once(CLOSE).map(|(m, _)| m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::all;

    const API: &str = "http://127.0.0.1:8000/api/";

    fn param(key: &'static str, default: f64) -> Param {
        Param { key, label: key, default, min: 0.0, max: 10_000.0, unit: "" }
    }

    #[test]
    fn markers_become_python_literals() {
        let params = [param("alice-ms", 1000.0), param("tasks", 3.0)];
        let fill = |text: &str, values: &[(&str, f64)]| fill(text, &params, &Given { values, urls: &[], api: API });
        assert_eq!(fill("sleep(«alice-ms/1000»)", &[]), "sleep(1.0)");
        assert_eq!(fill("sleep(«alice-ms/1000»)", &[("alice-ms", 250.0)]), "sleep(0.25)");
        assert_eq!(fill("sleep(«alice-ms/1000»)", &[("alice-ms", 0.0)]), "sleep(0.0)");
        assert_eq!(fill("sleep(«alice-ms/2000»)", &[("alice-ms", 1.0)]), "sleep(0.0005)");
        assert_eq!(fill("range(«tasks»)", &[("tasks", 12.0)]), "range(12)");
        assert_eq!(fill("a = «tasks», «alice-ms/1000»\nb", &[]), "a = 3, 1.0\nb");
        assert_eq!(fill("API = \"«api»\"", &[]), "API = \"http://127.0.0.1:8000/api/\"");
        assert_eq!(super::fill("\"«api»\"", &[], &Given { values: &[], urls: &[], api: "http://x/a\"b\\" }), "\"http://x/a\\\"b\\\\\"");
        assert_eq!(fill("no markers: «", &[]), "no markers: ");
        assert_eq!(fill("«unknown»", &[]), "unknown");
    }

    #[test]
    fn the_readers_urls_replace_the_demo_ones_as_a_python_list() {
        let text = "urls = «urls|demo(n)»\nrest";
        let with = |urls: &[String]| fill(text, &[], &Given { values: &[], urls, api: API });
        assert_eq!(with(&[]), "urls = demo(n)\nrest");
        let urls = ["https://a.example/x?q=1".to_string(), "http://b.example/\"\\".to_string()];
        assert_eq!(with(&urls), "urls = [\"https://a.example/x?q=1\", \"http://b.example/\\\"\\\\\"]\nrest");
    }

    /// Every marker of every lesson names one of its parameters (or the API), and its
    /// filled Python has no marker left and as many lines as the text with markers.
    #[test]
    fn every_lesson_marker_names_a_parameter_and_fills_on_its_line() {
        for l in all() {
            for m in markers(l.python) {
                if m.starts_with("urls|") {
                    assert!(l.urls.is_some(), "{}: «urls|…» in a lesson without a URL field", l.id);
                    continue;
                }
                let key = m.split('/').next().unwrap_or(m);
                assert!(key == "api" || l.params.iter().any(|p| p.key == key), "{}: marker «{m}» names no parameter", l.id);
            }
            let filled = l.python_with(&[], &[], API);
            assert!(!filled.contains(OPEN) && !filled.contains(CLOSE), "{}: a marker is left:\n{filled}", l.id);
            assert_eq!(filled.lines().count(), l.python.lines().count(), "{}", l.id);
        }
    }

    /// A lesson with parameters names them in its Python: the form applies to both runs.
    #[test]
    fn every_parameter_is_in_the_python() {
        for l in all() {
            let keys: Vec<&str> = markers(l.python).iter().map(|m| m.split('/').next().unwrap_or(m)).collect();
            for p in l.params {
                assert!(keys.contains(&p.key), "{}: parameter {} is not in the Python", l.id, p.key);
            }
        }
    }

    /// Each lesson's Python is a whole program: imports first, `asyncio.run(main())` last
    /// (under `if __name__ == "__main__":` where a process pool imports the file again).
    #[test]
    fn every_lesson_is_a_complete_program() {
        for l in all() {
            let filled = l.python_with(&[], &[], API);
            assert!(filled.starts_with("import ") || filled.starts_with("from "), "{}: imports come first", l.id);
            assert_eq!(filled.lines().last().map(str::trim), Some("asyncio.run(main())"), "{}", l.id);
            assert!(filled.contains("async def main("), "{}", l.id);
        }
    }
}
