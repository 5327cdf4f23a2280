// A Python run's record (run.js) as the bytes the lesson's module reads
// (src/trace/dump.rs): one record format for both languages, so the Python run is
// shown by the same timeline, table and summary code as the Rust run.
//
// The layout is dump.rs's, little-endian: "LLR1", origin, cap, dropped; the tasks
// (name, parent); the texts (here: failure messages); the waits (none yet: the
// Python tracer does not record what a task waits on); the hidden periods (none);
// then every event as time, task, kind tag and one 32-bit value.

const NONE = 0xffffffff;
const CAP = 1_000_000;

/** Kind tags, as dump.rs numbers them. */
const TAG = { created: 0, poll_start: 1, poll_end: 2, done: 12, failed: 13, cancelled: 14 };
const WAKE = { spawn: 3, timer: 4, fetch: 5, task: 6, self: 7, unknown: 8 };

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
  out.u32(texts.length);
  for (const t of texts) out.text(t);
  out.u32(0); // waits
  out.u32(0); // hidden periods
  out.u32(record.events.length);
  out.bytes(events.finish());
  return out.finish();
}

/** An event's tag and value; a failure's message goes to `texts`. */
function kind(e, texts) {
  switch (e.kind) {
    case "poll_end":
      return [TAG.poll_end, e.ready ? 1 : 0];
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
