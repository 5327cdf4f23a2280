// The plain-JavaScript peer of Loop Lab's tracing, so that tracing is compared with
// tracing: the bench's two JS workloads (empty async functions, `setTimeout` sleeps),
// each task recording the events Loop Lab's record holds for it, every one stamped
// with `performance.now()`.
//
// Per task, as in `src/trace/mod.rs`: created, scheduled (Loop Lab's spawn wake),
// poll start, poll end, outcome; a sleep also its wait (the timer it parks on, with
// its delay) and its wake (how late the timer fired), then a second poll. Each event
// reads the clock, except the outcome, which shares its poll end's reading as Loop
// Lab's does (no task code runs between the two), and "scheduled", which shares
// "created"'s (a JS async function has no queue to wait in: it runs when called).
//
// The log is struct-of-arrays typed arrays, not an array of objects: that is what
// Loop Lab's record is (one flat `Vec` of small fixed-size events, no allocation per
// event), and it is what a JS author who cares about the cost would write; an object
// per event would charge the peer for garbage Loop Lab never makes. Like the `Vec`,
// it starts small and doubles when full, up to the same cap (`DEFAULT_CAP`, a million
// events), past which it counts what it drops.

const CAP = 1_000_000;
const UNTRACKED = 0xffffffff;
const [CREATED, SCHEDULED, POLL_START, POLL_END, POLL_END_READY, WAIT, WAKE, DONE] = [0, 1, 2, 3, 4, 5, 6, 7];

class Log {
  constructor(cap = CAP) {
    this.cap = cap;
    this.len = 0;
    this.dropped = 0;
    this.names = [];
    this.resize(1024);
  }

  resize(size) {
    const [t, task, kind, value] = [new Float64Array(size), new Uint32Array(size), new Uint8Array(size), new Float32Array(size)];
    if (this.t) {
      t.set(this.t); task.set(this.task); kind.set(this.kind); value.set(this.value);
    }
    Object.assign(this, { t, task, kind, value });
  }

  /** A new task named `name`: its id, or UNTRACKED once the log is full. */
  spawn(name) {
    if (this.names.length >= this.cap || this.len >= this.cap) {
      this.dropped += 1;
      return UNTRACKED;
    }
    const id = this.names.length;
    this.names.push(name);
    const t = performance.now();
    this.push(t, id, CREATED);
    this.push(t, id, SCHEDULED);
    return id;
  }

  /** Appends one event; `value` is a wait's delay or a wake's lateness, in ms. */
  push(t, task, kind, value = 0) {
    if (task === UNTRACKED || this.len >= this.cap) {
      this.dropped += 1;
      return;
    }
    if (this.len === this.t.length) this.resize(Math.min(2 * this.len, this.cap));
    const i = this.len++;
    this.t[i] = t;
    this.task[i] = task;
    this.kind[i] = kind;
    this.value[i] = value;
  }

  /** The poll that ends the task: poll end (ready) and its outcome share one reading. */
  finish(task) {
    const t = performance.now();
    this.push(t, task, POLL_END_READY);
    this.push(t, task, DONE);
  }
}

/** What the last traced run recorded: `{events, dropped}`. */
export const lastLog = { events: 0, dropped: 0 };

/** `n` empty async functions, traced, all awaited (the peer of `jsSpawn`). */
export async function jsSpawnTraced(n) {
  const t0 = performance.now();
  const log = new Log();
  const noop = async (id) => {
    log.push(performance.now(), id, POLL_START);
    log.finish(id);
  };
  await Promise.all(Array.from({ length: n }, () => noop(log.spawn("noop"))));
  const ms = performance.now() - t0;
  Object.assign(lastLog, { events: log.len, dropped: log.dropped });
  return ms;
}

/** `n` traced sleeps of `delay` ms, one async function each (the peer of `jsTimers`). */
export async function jsTimersTraced(n, delay) {
  const t0 = performance.now();
  const log = new Log();
  const sleeper = async (id) => {
    log.push(performance.now(), id, POLL_START);
    const at = performance.now();
    log.push(at, id, WAIT, delay);
    const slept = new Promise((resolve) => setTimeout(() => {
      const t = performance.now();
      log.push(t, id, WAKE, t - at - delay);
      resolve();
    }, delay));
    log.push(performance.now(), id, POLL_END);
    await slept;
    log.push(performance.now(), id, POLL_START);
    log.finish(id);
  };
  await Promise.all(Array.from({ length: n }, () => sleeper(log.spawn("sleep"))));
  const ms = performance.now() - t0;
  Object.assign(lastLog, { events: log.len, dropped: log.dropped });
  return ms;
}
