//! The Python runs' verdicts on small records made by hand: the figures each lesson
//! reads off a record, and the page's measures (frames, requests) it counts.

use super::reading::{frames, most_at_once, Measures, Tasks};
use crate::trace::{Cause, Kind, Record, TaskId, TaskInfo, DEFAULT_CAP};

/// A record built step by step, as trace.py would write it.
struct Make(Record);

impl Make {
    fn new() -> Make {
        Make(Record::new(0.0, DEFAULT_CAP))
    }
    fn task(&mut self, t: f64, name: &'static str) -> TaskId {
        let id = self.0.add_task(t, TaskInfo { name: name.into(), parent: None });
        self.0.push(t, id, Kind::Wake(Cause::Spawn));
        id
    }
    /// A step of `id` from `a` to `b`; `last` ends the task with `outcome`.
    fn step(&mut self, id: TaskId, a: f64, b: f64) {
        self.0.push(a, id, Kind::PollStart);
        self.0.push(b, id, Kind::PollEnd { ready: false });
    }
    fn wake(&mut self, id: TaskId, t: f64, cause: Cause) {
        self.0.push(t, id, Kind::Wake(cause));
    }
    fn end(&mut self, id: TaskId, a: f64, b: f64, outcome: Kind) {
        self.0.push(a, id, Kind::PollStart);
        self.0.push(b, id, Kind::PollEnd { ready: true });
        self.0.push(b, id, outcome);
    }
}

fn figure(figures: &[(&'static str, f64)], name: &str) -> f64 {
    figures.iter().find(|f| f.0 == name).map_or(f64::NAN, |f| f.1)
}

fn python_figures(id: &str, rec: &Record, m: &Measures) -> Vec<(&'static str, f64)> {
    super::python(id, rec, m).expect("a verdict").figures
}

#[test]
fn sequential_vs_concurrent_reads_the_gather_off_its_tasks() {
    let mut r = Make::new();
    let main = r.task(0.0, "main");
    r.step(main, 10.0, 11.0); // greet("Alice") … awaited in main
    r.wake(main, 210.0, Cause::Timer { late_ms: 0.0 });
    r.step(main, 210.0, 211.0);
    r.wake(main, 611.0, Cause::Timer { late_ms: 0.0 });
    r.step(main, 611.0, 612.0); // the gather makes both tasks
    let (a, b) = (r.task(611.5, "greet"), r.task(611.6, "greet"));
    r.step(a, 613.0, 613.5);
    r.step(b, 613.6, 614.0);
    r.end(a, 813.0, 813.2, Kind::Done);
    r.end(b, 1013.0, 1013.2, Kind::Done);
    r.wake(main, 1013.2, Cause::Task(b));
    r.end(main, 1013.5, 1013.6, Kind::Done);
    let f = python_figures("sequential-vs-concurrent", &r.0, &Measures::default());
    assert_eq!(figure(&f, "sequential_ms"), 601.5);
    assert_eq!(figure(&f, "concurrent_ms"), 1013.6 - 611.5);
    assert!((figure(&f, "speedup") - 601.5 / 402.1).abs() < 1e-9);
}

#[test]
fn errors_counts_what_became_of_the_siblings() {
    let mut r = Make::new();
    let main = r.task(0.0, "main");
    r.step(main, 1.0, 2.0);
    let jobs: Vec<TaskId> = (0..9).map(|i| r.task(2.0 + f64::from(i), "job")).collect();
    // gather: b fails at 100, a and c run on to 200 and 300; main hears of it at 101.
    r.push_failed(jobs[1], 100.0);
    r.step(main, 101.0, 101.5);
    r.end(jobs[0], 200.0, 200.1, Kind::Done);
    r.end(jobs[2], 300.0, 300.1, Kind::Done);
    // TaskGroup: b fails at 500, a and c cancelled at 500.4.
    r.push_failed(jobs[4], 500.0);
    r.end(jobs[3], 500.3, 500.4, Kind::Cancelled);
    r.end(jobs[5], 500.3, 500.4, Kind::Cancelled);
    r.step(main, 500.5, 500.6);
    // return_exceptions: all three by 900, main has them at 901.
    r.end(jobs[6], 700.0, 700.1, Kind::Done);
    r.push_failed(jobs[7], 800.0);
    r.end(jobs[8], 900.0, 900.1, Kind::Done);
    r.end(main, 901.0, 901.5, Kind::Done);
    let f = python_figures("errors", &r.0, &Measures::default());
    assert_eq!(figure(&f, "gather_siblings_done"), 2.0);
    assert_eq!(figure(&f, "gather_siblings_after_ms"), 300.1 - 100.1);
    assert_eq!(figure(&f, "gather_error_ms"), 101.0 - 2.0);
    assert_eq!(figure(&f, "task_group_cancelled"), 2.0);
    assert!((figure(&f, "task_group_siblings_after_ms") - 0.3).abs() < 1e-9);
    assert_eq!(figure(&f, "collect_all_failed"), 1.0);
    assert_eq!(figure(&f, "collect_all_ms"), 901.0 - 8.0);
}

impl Make {
    fn push_failed(&mut self, id: TaskId, t: f64) {
        self.0.push(t, id, Kind::PollStart);
        self.0.push(t + 0.1, id, Kind::PollEnd { ready: true });
        self.0.push_failure(t + 0.1, id, "RuntimeError: b failed".into());
    }
}

#[test]
fn microtasks_measures_each_sleep0_and_the_frames_while_a_task_was_ready() {
    let mut r = Make::new();
    let main = r.task(0.0, "main");
    r.step(main, 0.5, 1.0);
    let (timer, steps) = (r.task(1.0, "timer"), r.task(1.0, "steps"));
    r.step(timer, 1.1, 1.2);
    // Three steps of 2 ms, each sleep(0) 0.5 ms: woken at its end, run 0.5 ms later.
    for i in 0..3 {
        let a = 1.5 + 2.5 * f64::from(i);
        r.step(steps, a, a + 2.0);
        r.wake(steps, a + 2.0, Cause::SelfWake);
    }
    r.wake(timer, 21.0, Cause::Timer { late_ms: 0.25 });
    r.end(steps, 9.0, 9.1, Kind::Done);
    r.end(timer, 22.0, 22.1, Kind::Done);
    r.end(main, 23.0, 23.1, Kind::Done);
    // Frames: one in a sleep(0) (3.5 → 4.0), one while nothing was ready, one after the run.
    let m = Measures { frames: vec![3.7, 15.0, 99.0], ..Measures::default() };
    assert_eq!(frames(&r.0, &m), (2, 1));
    let f = python_figures("microtasks", &r.0, &m);
    assert_eq!(figure(&f, "macrotask_steps"), 3.0);
    assert!((figure(&f, "sleep0_mean_ms") - 0.5).abs() < 1e-9);
    assert_eq!(figure(&f, "macrotask_timer_late_ms"), 0.25);
    assert_eq!((figure(&f, "frames"), figure(&f, "frames_while_ready")), (2.0, 1.0));
}

#[test]
fn requests_out_at_once_are_counted_in_their_window() {
    // Eight asked at once; the browser sent six, then two when the first answered.
    let asked: Vec<(f64, f64)> = (0..8).map(|i| (10.0 + f64::from(i) * 0.1, if i < 6 { 160.0 } else { 310.0 })).collect();
    let sent: Vec<(f64, f64)> = (0..8).map(|i| if i < 6 { (11.0, 160.0) } else { (160.0, 310.0) }).collect();
    assert_eq!(most_at_once(&asked, 0.0, 400.0), 8);
    assert_eq!(most_at_once(&sent, 0.0, 400.0), 6, "back to back is not at once");
    assert_eq!(most_at_once(&sent, 200.0, 400.0), 2);
    assert_eq!(most_at_once(&[], 0.0, 1.0), 0);
}

#[test]
fn a_record_of_another_shape_has_no_verdict() {
    let mut r = Make::new();
    let main = r.task(0.0, "main");
    r.end(main, 1.0, 2.0, Kind::Done);
    for id in super::LESSONS {
        assert_eq!(super::python(id, &r.0, &Measures::default()), None, "{id}");
    }
    assert_eq!(Tasks::of(&r.0).steps(main), vec![(1.0, 2.0)]);
}

#[test]
fn every_listed_lesson_has_a_judge() {
    for id in super::LESSONS {
        assert!(super::judge_of(id).is_some(), "{id}");
    }
    assert!(super::judge_of("playground").is_none());
}

/// as_completed makes its tasks from a set: the request each sent is its URL's, not
/// its place in the record.
#[test]
fn as_completed_names_the_request_by_its_url() {
    let mut r = Make::new();
    let main = r.task(0.0, "main");
    r.step(main, 0.0, 1.0);
    let mut made = Vec::new();
    for user in [1, 2, 3, 6, 4, 5] {
        // gather's three in order, then as_completed's in a set's order
        let id = r.task(1.0, "fetch_user");
        let url = r.0.add_text(format!("http://x/api/users/{user}?delay_ms=10"));
        let wait = r.0.add_wait(crate::trace::Wait { task: id, on: crate::trace::On::Fetch(url), site: None }).expect("room");
        r.step(id, 2.0, 3.0);
        r.0.push(3.0, id, Kind::Wait(wait));
        made.push((user, id));
    }
    // gather's end at 300 ms; then user 5 (the second request of as_completed) first, at 400.
    for (user, id) in made {
        let end = match user {
            1..=3 => 300.0,
            5 => 400.0,
            _ => 500.0,
        };
        r.end(id, end, end + 0.5, Kind::Done);
    }
    r.step(main, 301.0, 302.0);
    r.step(main, 401.0, 402.0);
    r.end(main, 501.0, 502.0, Kind::Done);
    let figures = super::python("as-completed", &r.0, &Measures::default()).expect("a verdict").figures;
    assert_eq!(figure(&figures, "as_completed_first_request"), 2.0);
    assert_eq!(figure(&figures, "as_completed_first_handled_ms"), 400.0);
}
