//! Polls paired up: each `PollStart` with its `PollEnd`, and how deeply it was
//! nested (a future polled inside another's poll, as `join_all` does).

use super::{Kind, Record, TaskId};

/// One poll: the task held the thread from `start` to `end` (ms since origin).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Poll {
    /// The task polled.
    pub task: TaskId,
    /// 1-based poll number within the task.
    pub n: u32,
    /// When it started.
    pub start: f64,
    /// When it returned.
    pub end: f64,
    /// True when it returned `Ready`.
    pub ready: bool,
    /// 0 for a poll made by the loop itself, 1 for a future polled inside it, …
    pub depth: u32,
}

/// Every completed poll of the record, in order of their end.
pub fn polls(rec: &Record) -> Vec<Poll> {
    let mut count = vec![0u32; rec.tasks().len()];
    let mut open: Vec<(TaskId, f64, u32)> = Vec::new();
    let mut out = Vec::new();
    for ev in rec.events() {
        let t = ev.t - rec.origin();
        match ev.kind {
            Kind::PollStart => {
                if let Some(c) = count.get_mut(ev.task as usize) {
                    *c += 1;
                    open.push((ev.task, t, *c));
                }
            }
            Kind::PollEnd { ready } => {
                let Some(pos) = open.iter().rposition(|o| o.0 == ev.task) else { continue };
                let (task, start, n) = open.remove(pos);
                out.push(Poll { task, n, start, end: t, ready, depth: pos as u32 });
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::state::tests::sample;

    #[test]
    fn polls_pair_up_with_depth() {
        let p = polls(&sample());
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], Poll { task: 1, n: 1, start: 3.0, end: 5.0, ready: false, depth: 1 });
        assert_eq!(p[1], Poll { task: 0, n: 1, start: 2.0, end: 6.0, ready: false, depth: 0 });
        assert!(p[3].ready && p[3].task == 0 && p[3].n == 2);
    }
}
