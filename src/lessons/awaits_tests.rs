//! The `awaits` tables against the two codes they join.
//!
//! Each page shows a Rust excerpt and the Python it mirrors; `awaits` says which Rust
//! line and which Python line await the same thing, so the inspector can highlight
//! both where a task is parked. A table is a list of hand-counted line numbers, so it
//! is checked here, line by line, against the text it counts in:
//!
//! 1. each pair's Rust line makes a wait (one of the runtime's calls that park a
//!    task), and its Python line awaits something of the same family;
//! 2. each Rust line that makes a wait has a pair, or is in [`UNPAIRED`] with the
//!    reason the Python has no such line;
//! 3. the page's Rust line `n` is the lesson file's line that `excerpt_line` maps to
//!    `n`: a wait recorded there is highlighted where the reader sees it.
//!
//! The checks are textual on purpose: they read what the reader reads. To show they
//! can tell, every table shifted by one line, either way, in either code, must fail.

use super::{all, excerpt_line, playground, About};

/// What a wait-making call waits on, to match with the Python awaiting the same thing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Family {
    /// `sleep`, `yield_now`: a timer or a turn of the loop.
    Timer,
    /// `timeout`: a deadline.
    Deadline,
    /// `get_json`, `get_lines`: a request.
    Fetch,
    /// A task's handle, a gather, a stream's next item.
    Task,
}

/// Rust lines that make a wait but have no Python line awaiting the same thing (each
/// lesson's table says why too).
const UNPAIRED: &[(&str, u32, &str)] = &[("errors", 31, "(b), try_join_all, has no asyncio form")];

/// Every page's words and codes: the lessons, the playground and the proof.
fn abouts() -> Vec<About> {
    let mut v: Vec<About> = all().iter().map(|l| l.about()).collect();
    v.push(playground::ABOUT);
    #[cfg(not(looplab_one))]
    v.push(super::proof::ABOUT);
    v
}

/// A Rust line without its comment; empty for a comment line.
fn rust_code(line: &str) -> &str {
    let code = line.split(" //").next().unwrap_or("");
    if code.trim_start().starts_with("//") {
        ""
    } else {
        code
    }
}

/// Whether `code` calls `name(` as a function of its own (not `busy_sleep(`).
fn calls(code: &str, name: &str) -> bool {
    code.match_indices(&format!("{name}(")).any(|(i, _)| !code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// The families of the wait-making calls on a line: every spawn and wrap counts here
/// (a pair may name one whose handle is awaited through a stream).
fn families(code: &str) -> Vec<Family> {
    let mut f = Vec::new();
    if calls(code, "sleep") || calls(code, "yield_now") {
        f.push(Family::Timer);
    }
    // A race written out against a sleep is a deadline too (`wait_for`).
    if calls(code, "timeout") || (calls(code, "select") && calls(code, "sleep")) {
        f.push(Family::Deadline);
    }
    if ["get_json", "get_json_with", "get_lines", "get_lines_with"].iter().any(|n| calls(code, n)) {
        f.push(Family::Fetch);
    }
    if code.contains("join_all(") || code.contains("spawn(") || code.contains(".wrap(") || code.contains(".next().await") {
        f.push(Family::Task);
    }
    f
}

/// Whether line `i` (0-based) of `lines` surely makes a wait: a call that parks, or a
/// spawn or wrap awaited in the same statement, or bound by `let name` and awaited as
/// `name.await`. (A handle collected into a join_all waits at the join_all's line.)
fn makes_wait(lines: &[&str], i: usize) -> bool {
    let code = rust_code(lines[i]);
    let f = families(code);
    let spawns = code.contains("spawn(") || code.contains(".wrap(");
    let direct = f.iter().any(|&x| x != Family::Task) || code.contains("join_all(") || code.contains(".next().await");
    if direct || !spawns {
        return direct;
    }
    let rest = lines[i + 1..].iter().map(|l| rust_code(l)).take_while(|c| c.trim_start().starts_with('.'));
    let statement: String = std::iter::once(code).chain(rest).collect();
    let bound = code.trim_start().strip_prefix("let ").and_then(|s| s.split(" =").next()).map(|name| format!("{}.await", name.trim()));
    statement.contains(".await") || bound.is_some_and(|b| lines.iter().any(|l| rust_code(l).contains(&b)))
}

/// What a Python line awaiting something contains.
const PY_AWAITS: &[&str] =
    &["await", "async with", "async for", "gather", "create_task", "TaskGroup", "wait_for", "timeout", "as_completed"];

/// A Python line without its comment; empty for a comment line.
fn python_code(line: &str) -> &str {
    let code = line.split(" #").next().unwrap_or("");
    if code.trim_start().starts_with('#') {
        ""
    } else {
        code
    }
}

/// Whether Python line `i` (0-based) is inside the parentheses of an awaiting call
/// begun on an earlier line: an argument of `await asyncio.gather(`.
fn in_awaited_call(python: &[&str], i: usize) -> bool {
    let (mut depth, mut awaited) = (0i32, false);
    for code in python[..i].iter().map(|l| python_code(l)) {
        if depth == 0 {
            awaited = PY_AWAITS.iter().any(|w| code.contains(w));
        }
        depth = (depth + code.matches('(').count() as i32 - code.matches(')').count() as i32).max(0);
    }
    depth > 0 && awaited
}

/// Whether Python line `i` (0-based) awaits something of one of `families`. A timer
/// or a request may be an argument of a gather begun above; a join is the gather.
fn python_awaits(python: &[&str], i: usize, families: &[Family]) -> bool {
    let Some(code) = python.get(i).map(|l| python_code(l)) else { return false };
    let has = |words: &[&str]| words.iter().any(|w| code.contains(w));
    let awaits = has(PY_AWAITS);
    let argument = in_awaited_call(python, i);
    families.iter().any(|f| match f {
        Family::Timer => (awaits || argument) && has(&["sleep"]),
        Family::Deadline => awaits && has(&["timeout", "wait_for"]),
        Family::Fetch => (awaits || argument) && has(&["get(", "fetch", ".json()", "async for", ".content"]),
        Family::Task => awaits,
    })
}

/// Everything wrong with `awaits` as the table of `about`, one sentence each.
fn problems(about: &About, awaits: &[(u32, u32)]) -> Vec<String> {
    let rust: Vec<&str> = about.source.lines().collect();
    let python: Vec<&str> = about.python.lines().collect();
    let line = |v: &[&'static str], n: u32| n.checked_sub(1).and_then(|i| v.get(i as usize).copied());
    let mut out = Vec::new();
    for (k, &(r, p)) in awaits.iter().enumerate() {
        let fam = line(&rust, r).map(|l| families(rust_code(l))).unwrap_or_default();
        if fam.is_empty() {
            out.push(format!("Rust line {r} makes no wait: {:?}", line(&rust, r)));
        } else if !p.checked_sub(1).is_some_and(|i| python_awaits(&python, i as usize, &fam)) {
            out.push(format!("Python line {p} does not await what Rust line {r} does: {:?}", line(&python, p)));
        }
        if awaits[..k].iter().any(|a| a.0 == r) {
            out.push(format!("Rust line {r} is paired twice"));
        }
    }
    let unpaired: Vec<u32> = UNPAIRED.iter().filter(|u| u.0 == about.id).map(|u| u.1).collect();
    for i in (0..rust.len()).filter(|&i| makes_wait(&rust, i)) {
        let n = i as u32 + 1;
        if !awaits.iter().any(|a| a.0 == n) && !unpaired.contains(&n) {
            out.push(format!("Rust line {n} makes a wait and has no pair: {:?}", rust[i].trim()));
        }
    }
    for n in unpaired {
        if awaits.iter().any(|a| a.0 == n) || line(&rust, n).is_none() || !makes_wait(&rust, n as usize - 1) {
            out.push(format!("UNPAIRED names Rust line {n}, which is paired or makes no wait"));
        }
    }
    out
}

fn checked() -> impl Iterator<Item = About> {
    abouts().into_iter()
}

#[test]
fn every_wait_is_paired_with_the_python_that_awaits_the_same_thing() {
    for about in checked() {
        let p = problems(&about, about.awaits);
        assert!(p.is_empty(), "{}:\n  {}", about.id, p.join("\n  "));
    }
}

/// A whole table shifted by one line in either code fails, and so does any one pair
/// moved by one Rust line. (One pair moved by one Python line can land on a line that
/// awaits the same kind of thing, `await greet("Bob")` under `await greet("Alice")`:
/// 23 of the 100 such moves pass, which only a copy of the table could catch.)
#[test]
fn a_table_off_by_one_line_fails() {
    let shift = |n: u32, d: i64| u32::try_from(i64::from(n) + d).unwrap_or(0);
    for about in checked().filter(|a| !a.awaits.is_empty()) {
        for (dr, dp) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
            let moved: Vec<(u32, u32)> = about.awaits.iter().map(|&(r, p)| (shift(r, dr), shift(p, dp))).collect();
            assert!(!problems(&about, &moved).is_empty(), "{}: shifted by ({dr}, {dp}) and still passes", about.id);
        }
        for k in 0..about.awaits.len() {
            for dr in [1, -1] {
                let mut moved = about.awaits.to_vec();
                moved[k].0 = shift(moved[k].0, dr);
                assert!(!problems(&about, &moved).is_empty(), "{}: pair {:?} moved by {dr} and still passes", about.id, about.awaits[k]);
            }
        }
    }
}

/// The Rust line a page shows is the lesson file's line `excerpt_line` maps to it.
#[test]
fn each_paired_line_is_the_file_line_a_wait_is_recorded_at() {
    for about in checked() {
        let file = about.file();
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let shown: Vec<&str> = about.source.lines().collect();
        for &(r, _) in about.awaits {
            let at = text.lines().zip(1..).find(|&(_, n)| excerpt_line(&file, n) == Some(r));
            let (line, n) = at.unwrap_or_else(|| panic!("{file}: no line shown as {r}"));
            assert_eq!(line, shown[r as usize - 1], "{file}:{n} is shown as line {r}");
        }
    }
}
