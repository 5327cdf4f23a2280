use super::{decode, encode};
use crate::trace::{Cause, Kind, On, Record, TaskInfo, Wait};
use std::panic::Location;

/// A record with every kind of event, wait and text, a parent, and a hidden period
/// still open.
fn every_kind() -> Record {
    let mut r = Record::new(1000.0, 64);
    let main = r.add_task(1000.0, TaskInfo { name: "main".into(), parent: None });
    let child = r.add_task(1000.5, TaskInfo { name: "fetch é".into(), parent: Some(main) });
    let url = r.add_text("http://x/api/users/2?delay_ms=5".into());
    let site = Location::caller();
    let waits = [On::Timer { delay_ms: 300.0, deadline: 1300.25 }, On::Fetch(url), On::Task(child), On::Yield, On::Lock, On::Other(url)];
    for on in waits {
        let i = r.add_wait(Wait { task: main, on, site: Some(site) }).expect("room");
        r.push(1001.0, main, Kind::Wait(i));
    }
    let kinds = [
        Kind::PollStart,
        Kind::PollEnd { ready: false },
        Kind::PollEnd { ready: true },
        Kind::Wake(Cause::Spawn),
        Kind::Wake(Cause::Timer { late_ms: 4.5 }),
        Kind::Wake(Cause::Fetch),
        Kind::Wake(Cause::Task(child)),
        Kind::Wake(Cause::SelfWake),
        Kind::Wake(Cause::Unknown),
        Kind::FetchStart,
        Kind::FetchEnd { ok: false, status: 503 },
        Kind::FetchEnd { ok: true, status: 200 },
        Kind::FetchAbort,
        Kind::Done,
        Kind::Cancelled,
        Kind::WaitEnd(2),
    ];
    for (k, kind) in kinds.into_iter().enumerate() {
        r.push(1002.0 + k as f64 * 0.125, child, kind);
    }
    r.push_failure(1010.0, main, "boom".into());
    r.page_hidden(1005.0);
    r.page_visible(1006.0);
    r.page_hidden(1007.0);
    r
}

#[test]
fn a_record_comes_back_as_it_was_with_the_lines_of_its_waits() {
    let r = every_kind();
    let bytes = encode(&r, &|i| (Some(i + 10), (i % 2 == 0).then_some(i + 20)));
    let back = decode(&bytes).expect("decodes");
    let d = &back.record;
    assert_eq!(d.events(), r.events());
    assert_eq!(d.tasks(), r.tasks());
    assert_eq!((d.origin(), d.cap(), d.dropped()), (r.origin(), r.cap(), r.dropped()));
    assert_eq!(d.hidden(), r.hidden());
    assert_eq!(d.text(0), r.text(0));
    assert_eq!(d.error(1), "boom");
    for i in 0..6 {
        let (a, b) = (d.wait(i).expect("wait"), r.wait(i).expect("wait"));
        assert_eq!((a.task, a.on, a.site), (b.task, b.on, None));
        assert_eq!(back.lines[i as usize], (Some(i + 10), (i % 2 == 0).then_some(i + 20)));
    }
    assert!(d.wait(6).is_none());
}

#[test]
fn bytes_it_did_not_write_are_refused_with_a_reason() {
    let bytes = encode(&every_kind(), &|_| (None, None));
    assert_eq!(decode(&bytes[..3]).unwrap_err(), "the record ends too early");
    for cut in [0, 3, 4, 20, bytes.len() / 2, bytes.len() - 1] {
        assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(decode(&longer).unwrap_err(), "the record has bytes past its end");
    let mut other = bytes.clone();
    other[3] = b'9';
    assert!(decode(&other).unwrap_err().contains("not a Loop Lab record"));
    // A count far beyond the bytes left is refused at once, not looped over.
    let mut huge = b"LLR1".to_vec();
    huge.extend_from_slice(&[0; 20]);
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(decode(&huge).unwrap_err(), "the record ends too early");
}

#[test]
fn an_empty_record_round_trips() {
    let r = Record::new(5.0, 10);
    let d = decode(&encode(&r, &|_| (None, None))).expect("decodes").record;
    assert!(d.events().is_empty() && d.tasks().is_empty());
    assert_eq!(d.origin(), 5.0);
}
