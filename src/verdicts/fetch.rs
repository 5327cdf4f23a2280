//! The Python verdicts of the lessons that fetch: what the program had out at once,
//! what the browser sent, when each answer was handled.

use super::reading::{ratio, requests_said, Measures, Tasks};
use super::Verdict;
use crate::num::{fixed, ms};
use crate::trace::{Cause, Kind, On, Record, TaskId};

// ---- gather-fetch

/// The Python's run: one by one from main's first step to the gather's tasks (made
/// at once), together from there to main's end; and what the page saw of the
/// requests out at once, the program's and the browser's.
pub fn gather_fetch(rec: &Record, m: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, gathered) = (*t.named("main").first()?, t.named("fetch_user"));
    let (t0, t1, t2) = (t.first_step(main)?, t.created(*gathered.first()?)?, t.end(main)?);
    let (seq, conc) = (t1 - t0, t2 - t1);
    let (asked, sent, words) = requests_said(m, t1, t2);
    let speedup = ratio(seq, conc);
    let mut figures = vec![("sequential_ms", seq), ("concurrent_ms", conc), ("ratio", speedup), ("max_in_flight", f64::from(asked))];
    figures.extend(sent.map(|sent| ("max_on_the_wire", f64::from(sent))));
    Some(Verdict {
        sentence: format!(
            "{} requests: one by one {}, together {} — {}× faster.{words}",
            gathered.len(),
            ms(seq),
            ms(conc),
            fixed(speedup, 1)
        ),
        figures,
    })
}

// ---- timeout

/// The Python's run: how long each of its four tasks lived, from creation to its end
/// (each catches TimeoutError and ends done).
pub fn timeout(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let lived = |id: TaskId| Some(t.end(id)? - t.created(id)?);
    let (block, wait_for) = (t.named("with_block"), t.named("with_wait_for"));
    let [fast, slow] = block[..] else { return None };
    let [wait_fast, wait_slow] = wait_for[..] else { return None };
    let (fast, slow, wait_fast, wait_slow) = (lived(fast)?, lived(slow)?, lived(wait_fast)?, lived(wait_slow)?);
    let done = t.count(&[block, wait_for].concat(), Kind::Done);
    Some(Verdict {
        sentence: format!(
            "asyncio.timeout: the fast request answered after {}, the slow one gave up after {}; wait_for: {} and {}. {done} of 4 caught what they raised and ended done.",
            ms(fast), ms(slow), ms(wait_fast), ms(wait_slow)
        ),
        figures: vec![
            ("in_time_ms", fast),
            ("timed_out_at_ms", slow),
            ("wait_for_in_time_ms", wait_fast),
            ("wait_for_timed_out_at_ms", wait_slow),
        ],
    })
}

// ---- stream

/// The Python's run: the ticker's timer wakes while main read the body; main's wakes
/// by the network (the response, then each piece of the body).
pub fn stream(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, ticker) = (*t.named("main").first()?, *t.named("ticker").first()?);
    let ticks = t.wakes(ticker).iter().filter(|w| matches!(w.1, Cause::Timer { .. })).count();
    // browser_http tells the tracer its request is out: a wake from outside is the network.
    let network = t.wakes(main).iter().filter(|w| matches!(w.1, Cause::Fetch | Cause::Unknown)).count();
    let read = t.end(main)? - t.created(ticker)?;
    Some(Verdict {
        sentence: format!(
            "main read the stream for {}, woken by the network {network} times (the response, then each piece of the body); meanwhile the ticker ticked {ticks} time{}.",
            ms(read),
            if ticks == 1 { "" } else { "s" }
        ),
        figures: vec![("ticks", ticks as f64), ("read_ms", read), ("network_wakes", network as f64)],
    })
}

// ---- limit

/// The Python's run: the fetch_limited tasks, then the fetch_user ones, each group
/// from its first task's making to its last one's end; and the requests the page saw
/// out at once in each, the program's and the browser's.
pub fn limit(rec: &Record, m: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let span = |ids: &[TaskId]| -> Option<(f64, f64)> {
        let from = ids.iter().filter_map(|&i| t.created(i)).reduce(f64::min)?;
        Some((from, ids.iter().filter_map(|&i| t.end(i)).reduce(f64::max)?))
    };
    let (limited, open) = (t.named("fetch_limited"), t.named("fetch_user"));
    let ((a, b), (c, d)) = (span(&limited)?, span(&open)?);
    let (most, _, _) = requests_said(m, a, b);
    let (most_open, on_the_wire, words) = requests_said(m, c, d);
    let sentence = format!(
        "{} requests with a semaphore: {}, never more than {most} out at once. No limit of ours: {} with {most_open} out at once.{words}",
        limited.len(),
        ms(b - a),
        ms(d - c)
    );
    let mut figures = vec![
        ("total_ms", b - a),
        ("max_in_flight", f64::from(most)),
        ("unlimited_ms", d - c),
        ("unlimited_in_flight", f64::from(most_open)),
    ];
    figures.extend(on_the_wire.map(|n| ("unlimited_on_the_wire", f64::from(n))));
    Some(Verdict { sentence, figures })
}

// ---- as-completed

/// The Python's run: six fetch_user tasks, three made by gather, three by
/// as_completed; main handles an answer at its first step after the answer is in.
/// as_completed makes its tasks from a set, in no set order: which request a task
/// sent is read off the URL it waited on (the user ids of the three rise with the
/// requests' order in the program).
pub fn as_completed(rec: &Record, _: &Measures) -> Option<Verdict> {
    let t = Tasks::of(rec);
    let (main, requests) = (*t.named("main").first()?, t.named("fetch_user"));
    let [g1, g2, g3, a1, a2, a3] = requests[..] else { return None };
    let handled = |at: f64| t.steps(main).into_iter().map(|s| s.0).find(|&s| s >= at);
    let last_of = |ids: [TaskId; 3]| ids.iter().filter_map(|&i| t.end(i)).fold(f64::MIN, f64::max);
    let gather_first = handled(last_of([g1, g2, g3]))? - t.created(g1)?;
    let made = [a1, a2, a3];
    let answered = made.iter().filter_map(|&id| Some((id, t.end(id)?))).min_by(|a, b| a.1.total_cmp(&b.1))?;
    let mut by_user: Vec<(u64, TaskId)> = made.iter().filter_map(|&id| Some((user_of(rec, id)?, id))).collect();
    by_user.sort_unstable();
    let first = by_user.iter().position(|&(_, id)| id == answered.0)? + 1;
    let completed_first = handled(answered.1)? - made.iter().filter_map(|&i| t.created(i)).fold(f64::MAX, f64::min);
    Some(Verdict {
        sentence: format!(
            "gather handled its first answer after {}, once all three were in; as_completed handled request {first} first, after {}.",
            ms(gather_first),
            ms(completed_first)
        ),
        figures: vec![
            ("gather_first_handled_ms", gather_first),
            ("as_completed_first_handled_ms", completed_first),
            ("as_completed_first_request", first as f64),
        ],
    })
}

/// The user id in the URL task `task` fetched (`…/users/<id>?…`), from its fetch wait.
fn user_of(rec: &Record, task: TaskId) -> Option<u64> {
    let waits = rec.events().iter().filter(|e| e.task == task).filter_map(|e| if let Kind::Wait(i) = e.kind { rec.wait(i) } else { None });
    let url = waits.filter_map(|w| if let On::Fetch(u) = w.on { Some(rec.text(u)) } else { None }).next()?;
    let id = url.split("/users/").nth(1)?;
    id.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}
