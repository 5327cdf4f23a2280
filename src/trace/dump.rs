//! A record as bytes, and back: how a finished run reaches the inspector's own module.
//!
//! The inspector's replay (`inspect.rs`: the loop's state at an instant, the run in
//! words) is only needed once a reader opens the inspector, so it lives in a second,
//! small WebAssembly module (`pkg/reader/`, built from this crate with the
//! `looplab_reader` cfg, see `src/reader.rs`) that `www/reader.js` loads on first use.
//! The lesson's module writes its last record with [`encode`]; the reader's module
//! reads it with [`decode`]. A source line cannot cross (a [`Site`](super::Site) is a
//! pointer into the lesson's module), so each wait travels with the lines it maps to
//! in the code the page shows, which the lesson's module computes while encoding.
//!
//! The format is little-endian and has no versioning beyond its first four bytes:
//! both ends are built from the same sources, and `www/reader.js` loads the reader
//! module from the build the lesson's module came with.
//!
//! ```text
//! "LLR1" origin:f64 cap:u32 dropped:f64
//! tasks:  n:u32 { name:str parent:u32 (u32::MAX: none) }
//! texts:  n:u32 { str }                      str = len:u32 utf-8
//! waits:  n:u32 { task:u32 on rust:u32 python:u32 }   lines: 0 = unknown
//! hidden: n:u32 { from:f64 to:f64 (NaN: still hidden) }
//! events: n:u32 { t:f64 task:u32 kind }
//! ```

use super::inspect::Lines;
use super::{Cause, Event, Kind, On, Record, TaskInfo, Wait};

const MAGIC: &[u8; 4] = b"LLR1";
const NONE: u32 = u32::MAX;

/// A decoded record and, per wait, its `(rust_line, python_line)`.
#[derive(Debug)]
pub struct Decoded {
    /// The record, its waits without sites.
    pub record: Record,
    /// The lines of wait `i` at index `i`.
    pub lines: Vec<(Option<u32>, Option<u32>)>,
}

/// Writes `rec` with each wait's lines from `lines`.
pub fn encode(rec: &Record, lines: Lines<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + rec.events.len() * 16);
    out.extend_from_slice(MAGIC);
    f64s(&mut out, &[rec.origin]);
    u32s(&mut out, &[rec.cap as u32]);
    f64s(&mut out, &[rec.dropped as f64]);
    u32s(&mut out, &[rec.tasks.len() as u32]);
    for t in &rec.tasks {
        text(&mut out, &t.name);
        u32s(&mut out, &[t.parent.unwrap_or(NONE)]);
    }
    u32s(&mut out, &[rec.texts.len() as u32]);
    for t in &rec.texts {
        text(&mut out, t);
    }
    u32s(&mut out, &[rec.waits.len() as u32]);
    for (i, w) in rec.waits.iter().enumerate() {
        u32s(&mut out, &[w.task]);
        on(&mut out, w.on);
        let (rust, python) = lines(i as u32);
        u32s(&mut out, &[rust.unwrap_or(0), python.unwrap_or(0)]);
    }
    u32s(&mut out, &[rec.hidden.len() as u32]);
    for &(from, to) in &rec.hidden {
        f64s(&mut out, &[from, to.unwrap_or(f64::NAN)]);
    }
    u32s(&mut out, &[rec.events.len() as u32]);
    for e in &rec.events {
        f64s(&mut out, &[e.t]);
        u32s(&mut out, &[e.task]);
        kind(&mut out, e.kind);
    }
    out
}

fn u32s(out: &mut Vec<u8>, values: &[u32]) {
    values.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
}

fn f64s(out: &mut Vec<u8>, values: &[f64]) {
    values.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
}

fn text(out: &mut Vec<u8>, s: &str) {
    u32s(out, &[s.len() as u32]);
    out.extend_from_slice(s.as_bytes());
}

fn on(out: &mut Vec<u8>, on: On) {
    let (tag, index) = match on {
        On::Timer { delay_ms, deadline } => {
            out.push(0);
            return f64s(out, &[delay_ms, deadline]);
        }
        On::Fetch(i) => (1, i),
        On::Task(t) => (2, t),
        On::Yield => return out.push(3),
        On::Lock => return out.push(4),
        On::Other(i) => (5, i),
    };
    out.push(tag);
    u32s(out, &[index]);
}

fn kind(out: &mut Vec<u8>, kind: Kind) {
    let (tag, value): (u8, u32) = match kind {
        Kind::Created => (0, 0),
        Kind::PollStart => (1, 0),
        Kind::PollEnd { ready } => (2, ready.into()),
        Kind::Wake(Cause::Spawn) => (3, 0),
        Kind::Wake(Cause::Timer { late_ms }) => (4, late_ms.to_bits()),
        Kind::Wake(Cause::Fetch) => (5, 0),
        Kind::Wake(Cause::Task(t)) => (6, t),
        Kind::Wake(Cause::SelfWake) => (7, 0),
        Kind::Wake(Cause::Unknown) => (8, 0),
        Kind::FetchStart => (9, 0),
        Kind::FetchEnd { ok, status } => (10, u32::from(status) | u32::from(ok) << 16),
        Kind::FetchAbort => (11, 0),
        Kind::Done => (12, 0),
        Kind::Failed(i) => (13, i),
        Kind::Cancelled => (14, 0),
        Kind::Wait(i) => (15, i),
        Kind::WaitEnd(i) => (16, i),
    };
    out.push(tag);
    u32s(out, &[value]);
}

/// Reads what [`encode`] wrote; says what is wrong with bytes it did not write.
pub fn decode(bytes: &[u8]) -> Result<Decoded, &'static str> {
    let mut r = Bytes(bytes);
    if r.take(4)? != MAGIC {
        return Err("not a Loop Lab record (or one from another version)");
    }
    let origin = r.f64()?;
    let cap = r.u32()? as usize;
    let dropped = r.f64()? as u64;
    let mut record = Record::new(origin, cap);
    record.dropped = dropped;
    for _ in 0..r.count()? {
        let name = r.text()?;
        let parent = Some(r.u32()?).filter(|&p| p != NONE);
        record.tasks.push(TaskInfo { name: name.into(), parent });
    }
    for _ in 0..r.count()? {
        record.texts.push(r.text()?);
    }
    let mut lines = Vec::new();
    for _ in 0..r.count()? {
        let task = r.u32()?;
        let on = r.on()?;
        let line = |n: u32| Some(n).filter(|&n| n > 0);
        lines.push((line(r.u32()?), line(r.u32()?)));
        record.waits.push(Wait { task, on, site: None });
    }
    for _ in 0..r.count()? {
        let (from, to) = (r.f64()?, r.f64()?);
        record.hidden.push((from, Some(to).filter(|t| !t.is_nan())));
    }
    for _ in 0..r.count()? {
        let (t, task) = (r.f64()?, r.u32()?);
        record.events.push(Event { t, task, kind: r.kind()? });
    }
    if !r.0.is_empty() {
        return Err("the record has bytes past its end");
    }
    Ok(Decoded { record, lines })
}

/// The bytes not read yet.
struct Bytes<'a>(&'a [u8]);

const SHORT: &str = "the record ends too early";

impl Bytes<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], &'static str> {
        if self.0.len() < n {
            return Err(SHORT);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, &'static str> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| SHORT)?))
    }

    fn f64(&mut self) -> Result<f64, &'static str> {
        Ok(f64::from_le_bytes(self.take(8)?.try_into().map_err(|_| SHORT)?))
    }

    /// A count of items that each take at least one byte: never more than are left,
    /// so a hostile count cannot make a loop run long.
    fn count(&mut self) -> Result<usize, &'static str> {
        let n = self.u32()? as usize;
        if n > self.0.len() {
            return Err(SHORT);
        }
        Ok(n)
    }

    fn text(&mut self) -> Result<String, &'static str> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "a text in the record is not UTF-8")
    }

    fn on(&mut self) -> Result<On, &'static str> {
        Ok(match self.take(1)?[0] {
            0 => On::Timer { delay_ms: self.f64()?, deadline: self.f64()? },
            1 => On::Fetch(self.u32()?),
            2 => On::Task(self.u32()?),
            3 => On::Yield,
            4 => On::Lock,
            5 => On::Other(self.u32()?),
            _ => return Err("a wait in the record is of no known kind"),
        })
    }

    fn kind(&mut self) -> Result<Kind, &'static str> {
        let tag = self.take(1)?[0];
        let v = self.u32()?;
        Ok(match tag {
            0 => Kind::Created,
            1 => Kind::PollStart,
            2 => Kind::PollEnd { ready: v != 0 },
            3 => Kind::Wake(Cause::Spawn),
            4 => Kind::Wake(Cause::Timer { late_ms: f32::from_bits(v) }),
            5 => Kind::Wake(Cause::Fetch),
            6 => Kind::Wake(Cause::Task(v)),
            7 => Kind::Wake(Cause::SelfWake),
            8 => Kind::Wake(Cause::Unknown),
            9 => Kind::FetchStart,
            10 => Kind::FetchEnd { ok: v >> 16 != 0, status: v as u16 },
            11 => Kind::FetchAbort,
            12 => Kind::Done,
            13 => Kind::Failed(v),
            14 => Kind::Cancelled,
            15 => Kind::Wait(v),
            16 => Kind::WaitEnd(v),
            _ => return Err("an event in the record is of no known kind"),
        })
    }
}

#[cfg(test)]
#[path = "dump_tests.rs"]
mod tests;
