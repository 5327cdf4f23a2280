//! A reader's workload: what it is, its text form, and the checks both the form and a
//! share link go through. Pure Rust, tested natively.
//!
//! The text form is what a share link carries after `#w=`; it is short, URL-safe and
//! readable: `n=5;s=sleep:200,api:300,cpu:50,cpuy:50:10;j=join_all;k=3;t=1000` —
//! 5 tasks, each running those steps in order, gathered with `join_all`, at most 3 at
//! once, cancelled after 1 000 ms. `k` and `t` are left out when there is no limit or
//! no timeout. A duration may be a range (`sleep:100-500`): each task then gets its own
//! duration in that range, the same one every run. Parsing is strict: anything that
//! does not fit is rejected whole, with a message saying what is allowed.

use super::fields::{self, Field, Part, Problem};

/// The most tasks a workload may start.
pub const MAX_TASKS: u32 = 10_000;
/// The most steps in a task.
pub const MAX_STEPS: usize = 20;
/// The longest duration of one step, in ms (the demo API's own limit too).
pub const MAX_MS: u32 = 60_000;
/// The longest overall timeout, in ms.
pub const MAX_TIMEOUT_MS: u32 = 600_000;
/// The longest the page may be held without a break, in ms (see [`Workload::blocking`]).
pub const MAX_BLOCK_MS: u64 = 10_000;
/// The longest text form accepted, in characters.
pub const MAX_TEXT: usize = 60_000;

/// A duration in ms, or a range of them spread over the tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The shortest.
    pub lo: u32,
    /// The longest (equal to `lo` for a plain duration).
    pub hi: u32,
}

impl Span {
    /// The duration of task `i` (0-based): fixed for a plain duration; for a range, a
    /// value in it picked by the task's index, so every run and every share of the link
    /// gives each task the same one.
    pub fn for_task(self, i: u32) -> u32 {
        let mut x = i.wrapping_add(1).wrapping_mul(0x9E37_79B9);
        x ^= x >> 15;
        x = x.wrapping_mul(0x2C1B_3C6D);
        x ^= x >> 12;
        self.lo + x % (self.hi - self.lo + 1)
    }

    /// `200` or `100-500`.
    pub fn text(self) -> String {
        if self.lo == self.hi {
            self.lo.to_string()
        } else {
            format!("{}-{}", self.lo, self.hi)
        }
    }
}

/// One step of a task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// `asyncio.sleep`: wait on a timer.
    Sleep(Span),
    /// A request to the demo API, answered after the delay: `users/{task}?delay_ms=D`.
    Api(Span),
    /// A request to the reader's own URL.
    Fetch(String),
    /// Computing without yielding.
    Cpu(Span),
    /// Computing, yielding to the loop (`sleep(0)`) every so many ms.
    CpuYield(Span, u32),
    /// Raising an error, in every n-th task (n = 1: in all of them).
    Fail(u32),
}

impl Step {
    /// The kinds, by their key in the text form and the form's menu.
    pub const KINDS: [&'static str; 6] = ["sleep", "api", "fetch", "cpu", "cpuy", "fail"];

    /// This step's kind key.
    pub fn kind(&self) -> &'static str {
        let i = match self {
            Step::Sleep(_) => 0,
            Step::Api(_) => 1,
            Step::Fetch(_) => 2,
            Step::Cpu(_) => 3,
            Step::CpuYield(..) => 4,
            Step::Fail(_) => 5,
        };
        Step::KINDS[i]
    }
}

/// How the tasks are awaited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// One after another; the first error ends the loop.
    Sequential,
    /// `asyncio.gather`: the first error is reported, the other tasks run on.
    JoinAll,
    /// `try_join_all`: the first error cancels the others.
    TryJoinAll,
    /// `gather(return_exceptions=True)`: every outcome, errors included.
    CollectAll,
    /// `as_completed`: each result handled as it arrives.
    AsCompleted,
}

impl Join {
    /// Every mode, in the order of the form's menu.
    pub const ALL: [Join; 5] = [Join::Sequential, Join::JoinAll, Join::TryJoinAll, Join::CollectAll, Join::AsCompleted];

    /// The key in the text form.
    pub fn key(self) -> &'static str {
        match self {
            Join::Sequential => "sequential",
            Join::JoinAll => "join_all",
            Join::TryJoinAll => "try_join_all",
            Join::CollectAll => "collect_all",
            Join::AsCompleted => "as_completed",
        }
    }

    /// The mode with this key.
    pub fn from_key(key: &str) -> Option<Join> {
        Join::ALL.into_iter().find(|j| j.key() == key)
    }
}

/// N tasks running the same steps, awaited one way, with an optional limit and timeout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// How many tasks (1 to [`MAX_TASKS`]).
    pub tasks: u32,
    /// What each task does, in order (1 to [`MAX_STEPS`]).
    pub steps: Vec<Step>,
    /// How they are awaited.
    pub join: Join,
    /// At most this many at once (none: all at once).
    pub limit: Option<u32>,
    /// Cancel what is left after this many ms (none: no deadline).
    pub timeout_ms: Option<u32>,
}

impl Default for Workload {
    /// Ten requests of 100–400 ms and a little computing each, four at a time.
    fn default() -> Workload {
        Workload {
            tasks: 10,
            steps: vec![Step::Api(Span { lo: 100, hi: 400 }), Step::Cpu(Span { lo: 5, hi: 5 })],
            join: Join::JoinAll,
            limit: Some(4),
            timeout_ms: None,
        }
    }
}

impl Workload {
    /// The text form (what follows `#w=` in a share link).
    pub fn encode(&self) -> String {
        let steps: Vec<String> = self.steps.iter().map(encode_step).collect();
        let mut out = format!("n={};s={};j={}", self.tasks, steps.join(","), self.join.key());
        if let Some(k) = self.limit {
            out.push_str(&format!(";k={k}"));
        }
        if let Some(t) = self.timeout_ms {
            out.push_str(&format!(";t={t}"));
        }
        out
    }

    /// How many tasks may be polled in one stretch without the browser getting a turn,
    /// and how long each computes in its longest stretch: (tasks, ms).
    ///
    /// A task computes without a break from one yield (a sleep, a request, a yielding
    /// compute's `sleep(0)`) to the next. Tasks woken together are all polled before the
    /// browser gets its turn, so up to as many as run at once compute back to back; and
    /// a task that never yields hands over to the next one in the same stretch. When
    /// tasks wait for a free slot (a limit, or sequential), a finishing task's last
    /// stretch is followed at once by its successor's first: the two count as one.
    pub fn blocking(&self) -> (u32, u64) {
        let (mut stretch, mut longest, mut first, mut yields) = (0u64, 0u64, None, false);
        for step in &self.steps {
            let before_yield = match step {
                Step::Cpu(d) => {
                    stretch += u64::from(d.hi);
                    continue;
                }
                Step::CpuYield(d, k) if d.hi > 0 => stretch + u64::from((*k).min(d.hi)),
                Step::Sleep(_) | Step::Api(_) | Step::Fetch(_) => stretch,
                Step::CpuYield(..) | Step::Fail(_) => continue,
            };
            longest = longest.max(before_yield);
            first.get_or_insert(before_yield);
            (stretch, yields) = (0, true);
        }
        longest = longest.max(stretch);
        let at_once = match self.join {
            Join::Sequential => 1,
            _ => self.limit.unwrap_or(self.tasks).min(self.tasks),
        };
        if yields && at_once < self.tasks {
            longest = longest.max(stretch + first.unwrap_or(0));
        }
        (if yields { at_once } else { self.tasks }, longest)
    }
}

fn encode_step(step: &Step) -> String {
    let kind = step.kind();
    match step {
        Step::Sleep(d) | Step::Api(d) | Step::Cpu(d) => format!("{kind}:{}", d.text()),
        Step::CpuYield(d, k) => format!("{kind}:{}:{k}", d.text()),
        Step::Fail(n) => format!("{kind}:{n}"),
        Step::Fetch(url) => format!("{kind}:{}", escape(url)),
    }
}

/// Percent-encodes every byte of `url` outside a set that is safe in a fragment and
/// never means anything to the text form (`,` `;` `%` `#` are always encoded).
fn escape(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`escape`]; `None` if a `%` is not followed by two hex digits or the bytes
/// are not UTF-8.
fn unescape(text: &str) -> Option<String> {
    let (bytes, mut out, mut i) = (text.as_bytes(), Vec::with_capacity(text.len()), 0);
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok().filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Parses the text form. Anything malformed, unknown, repeated, missing or out of
/// bounds rejects the whole text; the problem says what is allowed.
pub fn parse(text: &str) -> Result<Workload, Problem> {
    let bad = |message: String| Problem { field: Field::Text, message };
    if text.chars().count() > MAX_TEXT {
        return Err(bad(format!("The workload text is too long: at most {} characters.", fields::int(MAX_TEXT as u64))));
    }
    let mut raw: [Option<&str>; 5] = [None; 5];
    const KEYS: [&str; 5] = ["n", "s", "j", "k", "t"];
    for part in text.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            return Err(bad(format!("\"{}\" is not of the form key=value.", fields::shown(part))));
        };
        let Some(slot) = KEYS.iter().position(|k| *k == key) else {
            return Err(bad(format!("Unknown key \"{}\": the keys are n, s, j, k and t.", fields::shown(key))));
        };
        if raw[slot].replace(value).is_some() {
            return Err(bad(format!("The key \"{key}\" is given twice.")));
        }
    }
    let [Some(n), Some(s)] = [raw[0], raw[1]] else {
        return Err(bad("A workload needs at least n= (how many tasks) and s= (their steps).".into()));
    };
    // A loop, not `collect::<Result<Vec<_>, _>>()`: the adapters that collect builds
    // around `parse_step` cost more wasm (−204 bytes gzipped, playground).
    let mut steps = Vec::new();
    for (i, t) in s.split(',').enumerate() {
        steps.push(parse_step(i, t).map_err(fields::first)?);
    }
    let w = Workload {
        tasks: fields::tasks(n)?,
        steps,
        join: fields::join(raw[2].unwrap_or("join_all"))?,
        limit: fields::limit(raw[3].unwrap_or(""))?,
        timeout_ms: fields::timeout(raw[4].unwrap_or(""))?,
    };
    fields::finish(w).map_err(fields::first)
}

/// Parses step `i` of the text form: `kind:args`.
fn parse_step(i: usize, text: &str) -> Result<Step, Vec<Problem>> {
    let (kind, rest) = text.split_once(':').unwrap_or((text, ""));
    let input = if kind == "fetch" {
        let url = unescape(rest).ok_or_else(|| {
            vec![Problem::step(i, Part::Url, "the URL's %-escapes are broken (a % must be followed by two hex digits of UTF-8).".into())]
        })?;
        fields::StepInput { kind: kind.into(), url, ..Default::default() }
    } else {
        let args: Vec<&str> = rest.split(':').collect();
        let want = match kind {
            "cpuy" => 2,
            _ => 1,
        };
        if Step::KINDS.contains(&kind) && args.len() != want {
            let example = ["sleep:200", "api:200", "", "cpu:50", "cpuy:50:10", "fail:3"];
            let e = Step::KINDS.iter().position(|k| *k == kind).map_or("", |p| example[p]);
            return Err(vec![Problem::step(
                i,
                Part::Kind,
                format!("{kind} takes {want} value{}, like {e}.", if want == 1 { "" } else { "s" }),
            )]);
        }
        let arg = |n: usize| args.get(n).map_or(String::new(), |a| a.to_string());
        let (ms, every, nth) = if kind == "fail" { (String::new(), String::new(), arg(0)) } else { (arg(0), arg(1), String::new()) };
        fields::StepInput { kind: kind.into(), ms, every, url: String::new(), nth }
    };
    fields::step(i, &input)
}
