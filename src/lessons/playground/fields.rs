//! The checks of every field of a workload, shared by the form and the text form: one
//! function per field, each saying exactly what is allowed when the input is not.

use super::workload::{Join, Span, Step, Workload, MAX_BLOCK_MS, MAX_MS, MAX_STEPS, MAX_TASKS, MAX_TIMEOUT_MS};
use crate::lessons::UrlsParam;

/// Which field a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// How many tasks.
    Tasks,
    /// The join mode.
    Join,
    /// The concurrency limit.
    Limit,
    /// The overall timeout.
    Timeout,
    /// The list of steps as a whole (none, or too many).
    Steps,
    /// One field of step `n` (0-based).
    Step(usize, Part),
    /// The text form as a whole (a share link's syntax).
    Text,
}

/// The fields of one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Its kind.
    Kind,
    /// Its duration.
    Ms,
    /// How often a yielding compute yields.
    Every,
    /// The URL to fetch.
    Url,
    /// Which tasks raise an error.
    Nth,
}

/// A field that cannot be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field to mark.
    pub field: Field,
    /// What is wrong and what is allowed, for a reader.
    pub message: String,
}

impl Problem {
    /// A problem with field `part` of step `i`; the message is prefixed "Step i+1: ".
    pub fn step(i: usize, part: Part, message: String) -> Problem {
        Problem { field: Field::Step(i, part), message: format!("Step {}: {message}", i + 1) }
    }
}

/// The raw fields of one step, as typed in the form (only those of its kind are read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepInput {
    /// A kind key: sleep, api, fetch, cpu, cpuy, fail.
    pub kind: String,
    /// Duration in ms, or a range `lo-hi`.
    pub ms: String,
    /// Yield every so many ms (cpuy).
    pub every: String,
    /// The URL (fetch).
    pub url: String,
    /// Every n-th task raises (fail).
    pub nth: String,
}

/// The raw fields of the whole form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormInput {
    /// How many tasks.
    pub tasks: String,
    /// A join key.
    pub join: String,
    /// At most so many at once; empty for no limit.
    pub limit: String,
    /// Timeout in ms; empty for none.
    pub timeout: String,
    /// The steps.
    pub steps: Vec<StepInput>,
}

impl FormInput {
    /// The fields that show `w`.
    pub fn of(w: &Workload) -> FormInput {
        let opt = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
        FormInput {
            tasks: w.tasks.to_string(),
            join: w.join.key().into(),
            limit: opt(w.limit),
            timeout: opt(w.timeout_ms),
            steps: w.steps.iter().map(step_input).collect(),
        }
    }

    /// Checks every field (trimmed); the workload, or one problem per field that has one.
    pub fn check(&self) -> Result<Workload, Vec<Problem>> {
        let mut problems = Vec::new();
        let tasks = tasks(self.tasks.trim()).map_err(|p| problems.push(p)).ok();
        let join = join(self.join.trim()).map_err(|p| problems.push(p)).ok();
        let limit = limit(self.limit.trim()).map_err(|p| problems.push(p)).ok();
        let timeout_ms = timeout(self.timeout.trim()).map_err(|p| problems.push(p)).ok();
        let mut steps = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            let trimmed = StepInput {
                kind: s.kind.trim().into(),
                ms: s.ms.trim().into(),
                every: s.every.trim().into(),
                url: s.url.trim().into(),
                nth: s.nth.trim().into(),
            };
            match step(i, &trimmed) {
                Ok(s) => steps.push(s),
                Err(p) => problems.extend(p),
            }
        }
        match (tasks, join, limit, timeout_ms) {
            (Some(tasks), Some(join), Some(limit), Some(timeout_ms)) if problems.is_empty() => {
                finish(Workload { tasks, steps, join, limit, timeout_ms })
            }
            _ => Err(problems),
        }
    }
}

fn step_input(step: &Step) -> StepInput {
    let mut s = StepInput { kind: step.kind().into(), ..Default::default() };
    match step {
        Step::Sleep(d) | Step::Api(d) | Step::Cpu(d) => s.ms = d.text(),
        Step::CpuYield(d, k) => (s.ms, s.every) = (d.text(), k.to_string()),
        Step::Fetch(url) => s.url = url.clone(),
        Step::Fail(n) => s.nth = n.to_string(),
    }
    s
}

/// The first of `problems` (a problem about the text, should the list be empty).
pub fn first(problems: Vec<Problem>) -> Problem {
    let none = || Problem { field: Field::Text, message: "The workload could not be read.".into() };
    problems.into_iter().next().unwrap_or_else(none)
}

/// `12345` as `12 345` (a thin space every three digits), for messages.
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// At most 40 characters of what a reader gave, for quoting it in a message.
pub fn shown(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        s.push('…');
    }
    s
}

/// A whole number from `lo` to `hi`, or `None`.
fn whole(text: &str, lo: u32, hi: u32) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u32>().ok().filter(|v| (lo..=hi).contains(v))
}

fn range_message(what: &str, lo: u32, hi: u32, unit: &str, got: &str) -> String {
    format!("{what} must be a whole number{unit} from {} to {} (got \"{}\").", int(lo.into()), int(hi.into()), shown(got))
}

/// The number of tasks.
pub fn tasks(text: &str) -> Result<u32, Problem> {
    whole(text, 1, MAX_TASKS).ok_or_else(|| Problem { field: Field::Tasks, message: range_message("Tasks", 1, MAX_TASKS, "", text) })
}

/// The join mode, by key.
pub fn join(text: &str) -> Result<Join, Problem> {
    Join::from_key(text).ok_or_else(|| Problem {
        field: Field::Join,
        message: format!(
            "The join mode must be one of sequential, join_all, try_join_all, collect_all, as_completed (got \"{}\").",
            shown(text)
        ),
    })
}

/// The concurrency limit; empty for none.
pub fn limit(text: &str) -> Result<Option<u32>, Problem> {
    if text.is_empty() {
        return Ok(None);
    }
    let message = format!("{} Leave it empty for no limit.", range_message("At most", 1, MAX_TASKS, "", text));
    whole(text, 1, MAX_TASKS).map(Some).ok_or(Problem { field: Field::Limit, message })
}

/// The overall timeout in ms; empty for none.
pub fn timeout(text: &str) -> Result<Option<u32>, Problem> {
    if text.is_empty() {
        return Ok(None);
    }
    let message = format!("{} Leave it empty for none.", range_message("The timeout", 1, MAX_TIMEOUT_MS, " of ms", text));
    whole(text, 1, MAX_TIMEOUT_MS).map(Some).ok_or(Problem { field: Field::Timeout, message })
}

/// A duration or a range of durations, for step `i`.
fn span(i: usize, text: &str) -> Result<Span, Problem> {
    let (lo, hi) = text.split_once('-').unwrap_or((text, text));
    match (whole(lo, 0, MAX_MS), whole(hi, 0, MAX_MS)) {
        (Some(lo), Some(hi)) if lo <= hi => Ok(Span { lo, hi }),
        (Some(_), Some(_)) => {
            Err(Problem::step(i, Part::Ms, format!("a range goes from low to high, like 100-500 (got \"{}\").", shown(text))))
        }
        _ => Err(Problem::step(
            i,
            Part::Ms,
            format!("{} Or a range such as 100-500.", range_message("the duration", 0, MAX_MS, " of ms", text)),
        )),
    }
}

/// Step `i` from its fields; only those its kind uses are read. Each bad field gives
/// its own problem.
pub fn step(i: usize, s: &StepInput) -> Result<Step, Vec<Problem>> {
    let one = |r: Result<Step, Problem>| r.map_err(|p| vec![p]);
    let nth = |t: &str| {
        whole(t, 1, MAX_TASKS)
            .ok_or_else(|| Problem::step(i, Part::Nth, range_message("which tasks raise (every n-th)", 1, MAX_TASKS, "", t)))
    };
    match s.kind.as_str() {
        "sleep" => one(span(i, &s.ms).map(Step::Sleep)),
        "api" => one(span(i, &s.ms).map(Step::Api)),
        "cpu" => one(span(i, &s.ms).map(Step::Cpu)),
        "fail" => one(nth(&s.nth).map(Step::Fail)),
        "fetch" => one(url(i, &s.url).map(Step::Fetch)),
        "cpuy" => {
            let every = whole(&s.every, 1, MAX_MS)
                .ok_or_else(|| Problem::step(i, Part::Every, range_message("yield every", 1, MAX_MS, " of ms", &s.every)));
            match (span(i, &s.ms), every) {
                (Ok(d), Ok(k)) => Ok(Step::CpuYield(d, k)),
                (d, k) => Err(d.err().into_iter().chain(k.err()).collect()),
            }
        }
        other => Err(vec![Problem::step(
            i,
            Part::Kind,
            format!("unknown kind \"{}\": the kinds are sleep, api, fetch, cpu, cpuy and fail.", shown(other)),
        )]),
    }
}

/// A URL to fetch: http(s) only, checked as gather-fetch checks a reader's URLs.
fn url(i: usize, text: &str) -> Result<String, Problem> {
    let bad = |m: String| Problem::step(i, Part::Url, m);
    if text.is_empty() {
        return Err(bad("give the URL to fetch, starting with http:// or https://.".into()));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("a URL has no spaces or control characters.".into()));
    }
    let check = UrlsParam { key: "url", label: "the URL", max: 1 };
    let mut urls = check.parse(text).map_err(|e| bad(format!("{e}.")))?;
    urls.pop().ok_or_else(|| bad("give the URL to fetch.".into()))
}

/// The checks of the workload as a whole: how many steps, and how long it would hold
/// the page without a break.
pub fn finish(w: Workload) -> Result<Workload, Vec<Problem>> {
    if w.steps.is_empty() || w.steps.len() > MAX_STEPS {
        let message = format!("A task has from 1 to {MAX_STEPS} steps (it has {}).", w.steps.len());
        return Err(vec![Problem { field: Field::Steps, message }]);
    }
    let (at_once, longest) = w.blocking();
    let held = u64::from(at_once) * longest;
    if held > MAX_BLOCK_MS {
        let culprit = w.steps.iter().position(|s| matches!(s, Step::Cpu(_))).map(|i| (i, Part::Ms));
        let culprit = culprit.or_else(|| w.steps.iter().position(|s| matches!(s, Step::CpuYield(..))).map(|i| (i, Part::Every)));
        let (i, part) = culprit.unwrap_or((0, Part::Ms));
        let message = format!(
            "this would hold the page for about {} ms without a break ({} task{} × {} ms of computing between yields); at most {} ms. Compute less, run fewer tasks at once, or yield more often.",
            int(held),
            int(at_once.into()),
            if at_once == 1 { "" } else { "s" },
            int(longest),
            int(MAX_BLOCK_MS)
        );
        return Err(vec![Problem::step(i, part, message)]);
    }
    Ok(w)
}
