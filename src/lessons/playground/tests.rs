//! Native tests of the workload's text form and checks.

use super::fields::{Field, FormInput, Part, StepInput};
use super::workload::{parse, Join, Span, Step, Workload, MAX_BLOCK_MS};

fn w(text: &str) -> Workload {
    parse(text).unwrap_or_else(|p| panic!("{text}: {}", p.message))
}

fn err(text: &str) -> String {
    match parse(text) {
        Ok(w) => panic!("{text} was accepted as {w:?}"),
        Err(p) => p.message,
    }
}

#[test]
fn the_example_of_the_issue_parses() {
    let got = w("n=5;s=sleep:200,api:300,cpu:50,cpuy:50:10;j=join_all;k=3;t=1000");
    let span = |ms| Span { lo: ms, hi: ms };
    assert_eq!(
        got,
        Workload {
            tasks: 5,
            steps: vec![Step::Sleep(span(200)), Step::Api(span(300)), Step::Cpu(span(50)), Step::CpuYield(span(50), 10)],
            join: Join::JoinAll,
            limit: Some(3),
            timeout_ms: Some(1000),
        }
    );
    assert_eq!(got.encode(), "n=5;s=sleep:200,api:300,cpu:50,cpuy:50:10;j=join_all;k=3;t=1000");
}

#[test]
fn encode_then_parse_gives_the_same_workload() {
    let samples = [
        Workload::default(),
        w("n=1;s=fail:1"),
        w("n=10000;s=sleep:0-60000;j=as_completed"),
        w("s=fetch:https://example.com/a%2Cb%3Bc%25d%23e?x=1&y=%C3%A9;n=3;j=try_join_all"),
        w("n=7;s=api:100-400,fail:3,cpuy:200:5;j=collect_all;k=2;t=600000"),
        w("n=2;s=sleep:5;j=sequential"),
    ];
    for sample in samples {
        let text = sample.encode();
        assert_eq!(parse(&text), Ok(sample.clone()), "{text}");
        assert_eq!(FormInput::of(&sample).check(), Ok(sample.clone()), "the form round-trips {text}");
        assert!(text.bytes().all(|b| b.is_ascii_graphic() && !b"#\"<>` ".contains(&b)), "not URL-safe: {text}");
    }
    let url = w("n=1;s=fetch:https://example.com/a%2Cb%3Bc%25d%23e?x=1&y=%C3%A9");
    assert_eq!(url.steps[0], Step::Fetch("https://example.com/a,b;c%d#e?x=1&y=é".into()));
}

#[test]
fn defaults_fill_in_the_optional_keys() {
    let got = w("n=2;s=sleep:1");
    assert_eq!((got.join, got.limit, got.timeout_ms), (Join::JoinAll, None, None));
    assert_eq!(got.encode(), "n=2;s=sleep:1;j=join_all");
}

#[test]
fn a_range_gives_each_task_its_own_duration_within_it() {
    let d = Span { lo: 100, hi: 500 };
    let all: Vec<u32> = (0..1000).map(|i| d.for_task(i)).collect();
    assert!(all.iter().all(|v| (100..=500).contains(v)));
    assert!(all.iter().min() < Some(&120) && all.iter().max() > Some(&480), "spread over the range");
    assert_eq!(d.for_task(7), d.for_task(7), "the same every run");
    assert_eq!(Span { lo: 9, hi: 9 }.for_task(123), 9);
    assert!(Span { lo: 0, hi: 60_000 }.for_task(u32::MAX) <= 60_000);
}

#[test]
fn each_problem_says_what_is_allowed() {
    let cases: &[(&str, &str)] = &[
        ("n=0;s=sleep:1", "Tasks must be a whole number from 1 to 10\u{2009}000 (got \"0\")."),
        ("n=10001;s=sleep:1", "Tasks must be a whole number from 1 to 10\u{2009}000 (got \"10001\")."),
        ("n=99999999999999;s=sleep:1", "Tasks must be a whole number from 1 to 10\u{2009}000 (got \"99999999999999\")."),
        ("n=-1;s=sleep:1", "Tasks must be a whole number"),
        ("n=2;s=sleep:60001", "Step 1: the duration must be a whole number of ms from 0 to 60\u{2009}000 (got \"60001\"). Or a range such as 100-500."),
        ("n=2;s=sleep:1,sleep:500-100", "Step 2: a range goes from low to high, like 100-500 (got \"500-100\")."),
        ("n=2;s=cpuy:100:0", "Step 1: yield every must be a whole number of ms from 1 to 60\u{2009}000 (got \"0\")."),
        ("n=2;s=cpuy:100", "Step 1: cpuy takes 2 values, like cpuy:50:10."),
        ("n=2;s=sleep:1:2", "Step 1: sleep takes 1 value, like sleep:200."),
        ("n=2;s=fail:0", "Step 1: which tasks raise (every n-th) must be a whole number from 1 to 10\u{2009}000 (got \"0\")."),
        ("n=2;s=nap:5", "Step 1: unknown kind \"nap\": the kinds are sleep, api, fetch, cpu, cpuy and fail."),
        ("n=2;s=fetch:javascript:alert(1)", "Step 1: the URL: \"javascript:alert(1)\" is not a web address"),
        ("n=2;s=fetch:", "Step 1: give the URL to fetch, starting with http:// or https://."),
        ("n=2;s=fetch:https://a.example/%2", "Step 1: the URL's %-escapes are broken"),
        ("n=2;s=fetch:https://a.example/%FF", "Step 1: the URL's %-escapes are broken"),
        ("n=2;s=fetch:https://a.example/%20x", "Step 1: a URL has no spaces or control characters."),
        ("n=2;s=sleep:1;j=gather", "The join mode must be one of sequential, join_all, try_join_all, collect_all, as_completed (got \"gather\")."),
        ("n=2;s=sleep:1;k=0", "At most must be a whole number from 1 to 10\u{2009}000 (got \"0\"). Leave it empty for no limit."),
        ("n=2;s=sleep:1;t=600001", "The timeout must be a whole number of ms from 1 to 600\u{2009}000 (got \"600001\"). Leave it empty for none."),
        ("n=2;s=sleep:1;x=1", "Unknown key \"x\": the keys are n, s, j, k and t."),
        ("n=2;n=3;s=sleep:1", "The key \"n\" is given twice."),
        ("n=2", "A workload needs at least n= (how many tasks) and s= (their steps)."),
        ("", "\"\" is not of the form key=value."),
        ("n=2;s=sleep:1;", "\"\" is not of the form key=value."),
        ("n=2;s=", "Step 1: unknown kind \"\""),
        ("n=1;s=cpu:10001", "Step 1: this would hold the page for about 10\u{2009}001 ms without a break (1 task × 10\u{2009}001 ms of computing between yields); at most 10\u{2009}000 ms."),
        ("n=11;s=cpu:1000", "Step 1: this would hold the page for about 11\u{2009}000 ms without a break (11 tasks × 1\u{2009}000 ms"),
    ];
    for (text, message) in cases {
        let got = err(text);
        assert!(got.starts_with(message), "{text}:\n got  {got}\n want {message}");
    }
    let long = format!("n=1;s={}", ["sleep:1"; 21].join(","));
    assert_eq!(err(&long), "A task has from 1 to 20 steps (it has 21).");
    assert!(err(&"x".repeat(70_000)).starts_with("The workload text is too long: at most 60\u{2009}000 characters."));
}

#[test]
fn the_page_is_held_only_as_long_as_allowed() {
    // Yielding steps break the stretch: only the tasks running at once add up.
    assert!(parse("n=10000;s=sleep:1,cpu:1000;k=10").is_ok(), "10 at once × 1 s = 10 s: allowed");
    assert!(parse("n=10000;s=sleep:1,cpu:1000;k=11").is_err());
    assert!(parse("n=10000;s=sleep:1,cpu:1000;j=sequential").is_ok(), "one at a time");
    // No yield at all: every task runs back to back.
    assert!(parse("n=10000;s=cpu:1;k=1").is_ok());
    assert!(parse("n=10001;s=cpu:1;k=1").is_err(), "too many tasks: the cap is on tasks anyway");
    assert!(parse("n=20;s=cpu:500,fail:2;j=sequential").is_ok());
    assert!(parse("n=21;s=cpu:500;j=sequential").is_err(), "no yield: sequential tasks run back to back");
    // A yielding compute holds the page one slice at a time.
    assert!(parse("n=100;s=cpuy:60000:100").is_ok());
    assert!(parse("n=101;s=cpuy:60000:100").is_err());
    let (at_once, longest) = w("n=50;s=cpu:20,cpuy:100:30,cpu:10,sleep:0,cpu:5;k=4").blocking();
    // 20 + a 30 ms slice, then 10 + a sleep, then 5; and with 4 slots for 50 tasks a
    // finishing task's last 5 ms runs straight into its successor's first 50.
    assert_eq!((at_once, longest), (4, 55));
    let (at_once, longest) = w("n=4;s=cpu:20,sleep:0,cpu:5").blocking();
    assert_eq!((at_once, longest), (4, 20), "all four start at once: no successor");
}

#[test]
fn a_successor_computing_at_once_counts_with_the_task_it_follows() {
    // Sequential: task 1's last 6 s and task 2's first 6 s run in one stretch.
    let refused = parse("n=2;s=cpu:6000,sleep:0,cpu:6000;j=sequential").expect_err("12 s without a break");
    assert!(refused.message.contains("without a break"), "{}", refused.message);
    // Half of each is within the bound: 3 s + 3 s.
    assert_eq!(w("n=2;s=cpu:3000,sleep:0,cpu:3000;j=sequential").blocking(), (1, 6_000));
}

#[test]
fn the_form_marks_every_bad_field() {
    let step = |kind: &str, ms: &str| StepInput { kind: kind.into(), ms: ms.into(), every: "x".into(), ..Default::default() };
    let input = FormInput {
        tasks: " 0 ".into(),
        join: "join_all".into(),
        limit: "".into(),
        timeout: "abc".into(),
        steps: vec![step("sleep", " 100 "), step("cpuy", "5"), step("fetch", "")],
    };
    let problems = input.check().unwrap_err();
    let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::Tasks, Field::Timeout, Field::Step(1, Part::Every), Field::Step(2, Part::Url)]);
    let ok = FormInput { tasks: "3".into(), timeout: "".into(), steps: vec![step("sleep", " 100 ")], ..input };
    assert_eq!(ok.check().map(|w| w.encode()), Ok("n=3;s=sleep:100;j=join_all".into()));
    let none = FormInput { steps: vec![], ..ok };
    assert_eq!(none.check().unwrap_err()[0].field, Field::Steps);
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Whatever the text, parsing returns: a workload that survives its own round trip and
/// obeys every bound, or a non-empty message.
fn holds(text: &str) {
    match parse(text) {
        Ok(w) => {
            assert_eq!(parse(&w.encode()).as_ref(), Ok(&w), "{text:?}");
            assert!((1..=10_000).contains(&w.tasks) && (1..=20).contains(&w.steps.len()), "{text:?}");
            let (at_once, longest) = w.blocking();
            assert!(u64::from(at_once) * longest <= MAX_BLOCK_MS, "{text:?}");
        }
        Err(p) => assert!(!p.message.trim().is_empty(), "{text:?}"),
    }
}

#[test]
fn random_and_mutated_text_never_panics() {
    // A fixed seed, or LOOPLAB_SEED to try others; printed (cargo shows it on failure).
    let seed = std::env::var("LOOPLAB_SEED").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0x5EED_1234_ABCD_0001_u64);
    println!("seed {seed} (replay with LOOPLAB_SEED={seed})");
    let mut rng = Rng(seed.max(1)); // xorshift stays at 0 forever
    let seeds = [
        "n=5;s=sleep:200,api:300,cpu:50,cpuy:50:10;j=join_all;k=3;t=1000",
        "n=3;s=fetch:https://example.com/x%2Cy,fail:2;j=try_join_all",
        "n=10000;s=sleep:0-60000;j=as_completed;k=10000;t=600000",
    ];
    let alphabet: Vec<char> = "n=s;j:k,t-0123456789%ACFafz sleepapifetchcpuyfail_:/?#&é\u{0}\u{202e}🙂".chars().collect();
    let (mut accepted, mut total) = (0, 0);
    for round in 0..6000 {
        let mut text: Vec<char> = seeds[round % seeds.len()].chars().collect();
        for _ in 0..=rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(6) {
                0 if at < text.len() => drop(text.remove(at)),
                1 => text.insert(at, alphabet[rng.below(alphabet.len())]),
                2 if at < text.len() => text[at] = alphabet[rng.below(alphabet.len())],
                3 => text.truncate(at),
                4 => text.splice(at..at, "99999999999".chars()).for_each(drop),
                _ => {
                    let from = rng.below(text.len() + 1);
                    let piece: Vec<char> = text[from.min(at)..from.max(at)].to_vec();
                    text.splice(at..at, piece).for_each(drop);
                }
            }
        }
        let text: String = text.into_iter().collect();
        accepted += usize::from(parse(&text).is_ok());
        total += 1;
        holds(&text);
    }
    for _ in 0..3000 {
        let len = rng.below(80);
        let text: String = (0..len).map(|_| char::from_u32(rng.below(0x250) as u32).unwrap_or('?')).collect();
        holds(&text);
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        holds(&String::from_utf8_lossy(&bytes));
    }
    assert!(accepted > 100 && accepted < total, "the mutations should both keep and break workloads ({accepted} of {total} accepted)");
}

#[test]
fn max_in_flight_counts_overlaps_and_not_a_hand_over() {
    use super::verdict::max_in_flight;
    use crate::trace::state::{State, TaskSummary};
    let task = |created: f64, end: f64| TaskSummary {
        id: 0,
        created,
        first_poll: Some(created),
        end,
        polls: 1,
        run_ms: 0.0,
        wait_ms: 0.0,
        longest_poll_ms: 0.0,
        state: State::Done,
        error: None,
    };
    // One after another, each starting as the previous ends: one at a time.
    assert_eq!(max_in_flight(&[task(0.0, 10.0), task(10.0, 20.0), task(20.0, 30.0)]), 1);
    // Three overlapping, listed out of order, and a fourth after them.
    assert_eq!(max_in_flight(&[task(5.0, 9.0), task(0.0, 10.0), task(2.0, 6.0), task(10.0, 11.0)]), 3);
    assert_eq!(max_in_flight(&[]), 0);
}
