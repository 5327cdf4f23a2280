// A Python run's record (run.js) as the bytes the lesson's module reads
// (src/trace/dump.rs): one record format for both languages, so the Python run is
// shown by the same timeline, table and summary code as the Rust run.
//
// The layout is dump.rs's, little-endian: "LLR1", origin, cap, dropped; the tasks
// (name, parent); the texts (failure messages, URLs, what an "other" wait is); the
// waits (task, what it waits on, its Rust and Python lines); the hidden periods
// (none); then every event as time, task, kind tag and one 32-bit value.
//
// A wait's Python line is where trace.py found the task suspended; its Rust line is
// left unknown (0): the lesson's module maps it from the lesson's pairs of lines that
// await the same thing (src/app/python.rs), since only it knows them.

const NONE = 0xffffffff;
const CAP = 1_000_000;

/** Kind tags, as dump.rs numbers them. */
const TAG = {
  created: 0, poll_start: 1, poll_end: 2, fetch_start: 9, fetch_end: 10, fetch_abort: 11,
  done: 12, failed: 13, cancelled: 14, wait: 15, wait_end: 16,
};
const WAKE = { spawn: 3, timer: 4, fetch: 5, task: 6, self: 7, unknown: 8 };
/** What a wait is on, as dump.rs tags it (`On`). */
const ON = { timer: 0, fetch: 1, task: 2, yield: 3, lock: 4, other: 5 };

/** Writes `record` (what runPython resolves to); returns a Uint8Array. */
export function encodeRecord(record) {
  const out = new Writer();
  const texts = [];
  out.bytes(new TextEncoder().encode("LLR1"));
  out.f64(record.origin ?? 0);
  out.u32(CAP);
  out.f64(record.dropped ?? 0);
  out.u32(record.tasks.length);
  for (const task of record.tasks) {
    out.text(String(task.name));
    out.u32(task.parent ?? NONE);
  }
  const events = new Writer();
  for (const e of record.events) {
    const [tag, value] = kind(e, texts);
    events.f64(e.t);
    events.u32(e.task);
    events.u8(tag);
    if (tag === WAKE.timer) events.f32(e.late_ms ?? 0);
    else events.u32(value);
  }
  const waits = record.waits ?? [];
  const onWaits = new Writer();
  for (const w of waits) wait(onWaits, w, texts);
  out.u32(texts.length);
  for (const t of texts) out.text(t);
  out.u32(waits.length);
  out.bytes(onWaits.finish());
  out.u32(0); // hidden periods
  out.u32(record.events.length);
  out.bytes(events.finish());
  return out.finish();
}

/** Writes wait `w` (see run.js): task, what it is on, Rust line 0 (unknown), Python line. */
function wait(out, w, texts) {
  const tag = ON[w.on];
  if (tag === undefined) throw new Error(`Loop Lab: the Python tracer recorded a wait of no known kind (${w.on})`);
  out.u32(w.task);
  out.u8(tag);
  if (tag === ON.timer) {
    out.f64(w.delay_ms);
    out.f64(w.deadline);
  } else if (tag === ON.fetch || tag === ON.other) {
    texts.push(String(tag === ON.fetch ? w.url : w.what));
    out.u32(texts.length - 1);
  } else if (tag === ON.task) {
    out.u32(w.id);
  }
  out.u32(0);
  out.u32(w.line ?? 0);
}

/** An event's tag and value; a failure's message goes to `texts`. */
function kind(e, texts) {
  switch (e.kind) {
    case "poll_end":
      return [TAG.poll_end, e.ready ? 1 : 0];
    case "wait":
    case "wait_end":
      return [TAG[e.kind], e.wait];
    case "fetch_end":
      return [TAG.fetch_end, (e.status & 0xffff) | (e.ok ? 0x10000 : 0)];
    case "wake":
      return [WAKE[e.cause] ?? WAKE.unknown, e.cause === "task" ? e.by ?? 0 : 0];
    case "failed":
      texts.push(String(e.message ?? ""));
      return [TAG.failed, texts.length - 1];
    default:
      if (e.kind in TAG) return [TAG[e.kind], 0];
      throw new Error(`Loop Lab: the Python tracer recorded an event of no known kind (${e.kind})`);
  }
}

/** A growing little-endian byte buffer. */
class Writer {
  constructor() {
    this.buf = new Uint8Array(1024);
    this.view = new DataView(this.buf.buffer);
    this.at = 0;
  }

  room(n) {
    if (this.at + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    bigger.set(this.buf);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  u8(v) {
    this.room(1);
    this.view.setUint8(this.at, v);
    this.at += 1;
  }

  u32(v) {
    this.room(4);
    this.view.setUint32(this.at, v, true);
    this.at += 4;
  }

  f32(v) {
    this.room(4);
    this.view.setFloat32(this.at, v, true);
    this.at += 4;
  }

  f64(v) {
    this.room(8);
    this.view.setFloat64(this.at, v, true);
    this.at += 8;
  }

  bytes(b) {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  text(s) {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.bytes(b);
  }

  finish() {
    return this.buf.slice(0, this.at);
  }
}
