// Running one asyncio program in Pyodide, traced on the page's clock.
//
// The program is complete, as a reader writes it for CPython: imports, coroutines,
// and a last line `asyncio.run(main())`. In a browser the page's own event loop is
// already running (Pyodide's WebLoop schedules each callback with `setTimeout`),
// so nothing may block it. Pyodide 314 makes `asyncio.run` work anyway when the
// browser has JavaScript Promise Integration (`WebAssembly.Suspending`): the code
// is run with `runPythonAsync`, and `asyncio.run` suspends that Python stack until
// main's task is done while the page's loop goes on. Where a browser lacks it,
// `asyncio.run` is, for this run only, made to start main as a task and return it
// unfinished; it keeps that task, which we await here (wherever the call was: the
// last line, or under `if __name__ == "__main__":`). Either way main runs as a task on the WebLoop, as every other task does;
// the result says which way it went (`mainStarted`), so a page can show it.
//
// The record (what `runPython` resolves to), mirroring the Rust record
// (src/trace/mod.rs) as plain data:
//
//   {
//     language: "python",
//     origin: 1234.5,                // page ms (performance.now()) when recording began
//     tasks: [{ name, parent }],     // a task's id is its index; parent: the id of
//                                    // the task that created it, or null
//     events: [{ t, task, kind, … }],// t in page ms, in the order they happened
//     waits: [{ task, on, line, … }],// what a task parked on (index: a wait event's
//                                    // `wait`), at `line` of the program (0: unknown):
//                                    // on "timer" { delay_ms, deadline } (page ms),
//                                    // "fetch" { url }, "task" { id }, "yield", "lock",
//                                    // "other" { what }
//     dropped: 0,                    // events past the cap (1 000 000), not kept
//     followMs: 3.2,                 // what painting it live cost the page (onProgress)
//     output: [{ t, text }],         // what the program printed, line by line
//     error: null | "ValueError: …", // the exception the program ended with
//     mainStarted: "asyncio.run" | "task awaited by the page",
//     frames: [1250.1, …],           // when the page ran an animation frame, page ms
//     requests: [{ start, end, url }],// each request browser_http made, asked → over
//     sent: [[start, end]],          // those the browser reported (Resource Timing):
//                                    // requestStart → responseEnd, on the wire
//   }
//
// Event kinds and their extra fields:
//   created                         the task exists (its coroutine has not run yet)
//   poll_start                      the loop runs one step of it (send or throw)
//   poll_end      { ready }         the step ended; ready: the coroutine finished
//   wake          { cause, … }      it was scheduled to run again, because of:
//                   "spawn"          it was just created
//                   "timer"          a sleep's timer fired, { late_ms } after its deadline
//                   "task", { by }   task `by` did it (completed, cancelled it, set a result)
//                   "self"           it asked to run again (`await asyncio.sleep(0)`)
//                   "unknown"        something outside the tracer's view (a JS promise)
//                   "fetch"          the answer of a request it has in flight arrived
//   done | failed { message } | cancelled   its outcome, stamped with its last step's end
//   wait          { wait }          it parked on waits[wait] (stamped with its step's end)
//   wait_end      { wait }          that wait ended without what it awaited happening
//                                   (the task was cancelled, or left a gather early)
//   fetch_start                     a request of browser_http started (by this task)
//   fetch_end     { ok, status }    its answer was read to its end (ok: a 2xx)
//   fetch_abort                     it was aborted (cancelled, released unread)
//
// See trace.py for how the events are caught without changing the program.

/** Python run around the program when the browser cannot suspend (see above). */
const START_MAIN_AS_TASK = `
import asyncio
def _looplab_run(main, **_):
    _looplab_run.task = asyncio.get_event_loop().create_task(main)
    return _looplab_run.task
_looplab_run.original = asyncio.run
asyncio.run = _looplab_run
`;

/** Puts `asyncio.run` back after such a run. */
const RESTORE_RUN = "import asyncio\nasyncio.run = getattr(asyncio.run, 'original', asyncio.run)";

/**
 * Runs `source` (a complete asyncio program) in `pyodide` (from loadPython) and
 * resolves to its record. `params` are given to the program as a dict named
 * `params`. With `trace: false` nothing is recorded (events and tasks stay
 * empty): what the program costs untraced. `onProgress(record)`, if given, is
 * called every `everyMs` while a traced run goes on, with the record so far (the
 * same shape, growing), so a page can paint the run live. Runs on one interpreter
 * are queued, one at a time, since the tracer is one per interpreter.
 */
export function runPython(pyodide, source, { params = {}, trace = true, onProgress = null, everyMs = 100 } = {}) {
  const live = trace && onProgress ? { onProgress, everyMs } : null;
  const run = (queue.get(pyodide) ?? Promise.resolve()).then(() => runNow(pyodide, source, params, trace, live));
  queue.set(pyodide, run.catch(() => {}));
  return run;
}

const queue = new WeakMap();

async function runNow(pyodide, source, params, trace, live) {
  const canSuspend = typeof WebAssembly.Suspending === "function";
  const output = [];
  pyodide.setStdout({ batched: (text) => output.push({ t: performance.now(), text }) });
  const globals = pyodide.toPy({ params, __name__: "__main__" });
  const tracer = pyodide.pyimport("looplab_trace");
  let error = null;
  let record = null;
  let watched = null;
  let following = null;
  try {
    if (!canSuspend) pyodide.runPython(START_MAIN_AS_TASK);
    pyodide.runPython(HTTP_REQUESTS + "\nif _m: _m.requests.clear()");
    watched = watch();
    if (trace) tracer.start();
    if (live) following = follow(tracer, live);
    await pyodide.runPythonAsync(source, { globals, filename: "main.py" });
    const main = canSuspend ? null : pyodide.runPython("import asyncio\ngetattr(asyncio.run, 'task', None)");
    if (main?.then) await main;
  } catch (e) {
    error = pythonMessage(e);
  } finally {
    const followMs = following?.stop() ?? 0;
    record = { ...recordOf(tracer.stop(), trace), followMs };
    Object.assign(record, watched?.stop(requestsMade(pyodide)));
    if (!canSuspend) pyodide.runPython(RESTORE_RUN);
    globals.destroy();
    tracer.destroy();
    pyodide.setStdout({});
  }
  return { ...record, output, error, mainStarted: canSuspend ? "asyncio.run" : "task awaited by the page" };
}

/** Python that finds browser_http, if the program imported it, as `_m`. */
const HTTP_REQUESTS = "import sys\n_m = sys.modules.get('browser_http')";

/** The requests browser_http made in the run: [{start, end, url}]. */
function requestsMade(pyodide) {
  let list = null;
  try {
    list = pyodide.runPython(HTTP_REQUESTS + "\n[list(r) for r in _m.requests] if _m else []");
    return list.toJs().map(([start, end, url]) => ({ start, end, url }));
  } catch {
    return []; // what was measured is lost, not the record
  } finally {
    list?.destroy();
  }
}

/**
 * Watches the page while a run goes on: every animation frame (when it ran, page ms),
 * and every request's Resource Timing entry. `stop(requests)` ends it and returns
 * `{frames, requests, sent}`: `sent` holds, for each of `requests` the browser
 * reported, when it left on a connection and when its response ended.
 */
function watch() {
  const frames = [];
  let on = true;
  const frame = () => {
    if (!on) return;
    frames.push(performance.now());
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const entries = [];
  const canObserve = typeof PerformanceObserver === "function" && PerformanceObserver.supportedEntryTypes?.includes("resource");
  const observer = canObserve ? new PerformanceObserver((list) => entries.push(...list.getEntries())) : null;
  observer?.observe({ type: "resource" });
  return {
    stop(requests) {
      on = false;
      entries.push(...(observer?.takeRecords() ?? []));
      observer?.disconnect();
      const urls = new Set(requests.map((r) => r.url));
      // requestStart is 0 where the server does not allow its timing to be read.
      const sent = entries.filter((e) => urls.has(e.name) && e.requestStart > 0).map((e) => [e.requestStart, e.responseEnd]);
      return { frames, requests, sent };
    },
  };
}

/**
 * Hands `onProgress` the record so far every `everyMs`: each time only what was
 * recorded since the last (`looplab_trace.progress`), appended to a record kept
 * here. A page timer of its own, so it runs between the loop's steps, never inside
 * one. `stop()` ends it and returns what it cost the page's thread in all, in ms
 * (reading the tracer and `onProgress`, i.e. the painting).
 */
function follow(tracer, { onProgress, everyMs }) {
  const record = { language: "python", origin: null, tasks: [], events: [], waits: [], dropped: 0, followMs: 0 };
  const poll = () => {
    const started = performance.now();
    const delta = recordOf(tracer.progress(record.events.length, record.waits.length), true);
    if (delta.origin !== null) {
      Object.assign(record, { origin: delta.origin, tasks: delta.tasks, dropped: delta.dropped });
      record.events.push(...delta.events);
      record.waits.push(...delta.waits);
      try {
        onProgress(record);
      } catch {
        // painting live is a courtesy: the run and its final record go on without it
      }
    }
    record.followMs += performance.now() - started;
  };
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return record.followMs;
    },
  };
}

/** The tracer's record as plain JS data (an empty one when untraced). */
function recordOf(proxy, traced) {
  if (!traced || !proxy) {
    proxy?.destroy?.();
    return { language: "python", origin: null, tasks: [], events: [], waits: [], dropped: 0 };
  }
  try {
    const record = proxy.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
    // None arrives as undefined; the record says null, as JSON does.
    for (const task of record.tasks) task.parent ??= null;
    return record;
  } finally {
    proxy.destroy();
  }
}

/** A Python exception's last line ("ValueError: …"), as the traceback ends. */
function pythonMessage(error) {
  const lines = String(error?.message ?? error).trim().split("\n");
  return lines[lines.length - 1];
}
