//! Polls paired up: each `PollStart` with its `PollEnd`, and how deeply it was
//! nested (a future polled inside another's poll, as `join_all` does). The pairing is
//! the [`Tracker`]'s; this is the whole record's list of them.

pub use super::state::Poll;
use super::state::Tracker;
use super::Record;

/// Every completed poll of the record, in order of their end.
pub fn polls(rec: &Record) -> Vec<Poll> {
    let mut tracker = Tracker::with_polls();
    tracker.feed(rec, f64::INFINITY);
    tracker.into_polls()
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
