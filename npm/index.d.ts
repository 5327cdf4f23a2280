/**
 * Loop Lab: Rust futures on the browser's own event loop, every poll recorded
 * and drawn as a live timeline — asyncio's lessons, measured in the reader's
 * browser. This package mounts any lesson on any element.
 *
 * @example
 * ```js
 * import { mount } from "looplab";
 * const handle = await mount(document.getElementById("demo"), "sequential-vs-concurrent", {
 *   params: { "alice-ms": 500 },
 *   compact: true,
 * });
 * const summary = await handle.run();
 * console.log(`${summary.total_ms} ms`);
 * ```
 * @packageDocumentation
 */

/** How {@link mount} sets a lesson up. */
export interface MountOptions {
  /**
   * The lesson's parameters, named as in its form (`"alice-ms"`, `"tasks"`,
   * `"fail-ms"`, …). Values are checked by the lesson: a bad one is shown in the
   * form and Run stays disabled. A name the lesson does not take is an error.
   */
  params?: Record<string, string | number>;
  /**
   * Where the fetch lessons find the demo API (`users/{id}`, `stream`), as a URL
   * or a path relative to the page. Default `"api/"`.
   */
  apiBase?: string;
  /** The smaller form: no prose, no Python or Rust code; form, controls, timeline, verdict and table stay. */
  compact?: boolean;
  /** Run the lesson as soon as it is mounted. */
  autoplay?: boolean;
  /**
   * Show "Run the Python too" beside Run: the lesson's Python, run by CPython
   * (Pyodide) in the page and drawn under the Rust run. `run({ language: "python" })`
   * works without it. Needs the optional peer dependency `pyodide`.
   */
  python?: boolean;
  /**
   * Where Pyodide's files are served (`pyodide.mjs`, `pyodide.asm.wasm`,
   * `python_stdlib.zip`, …), as a URL or a path relative to the page. Default:
   * `../pyodide/` beside this package, i.e. `node_modules/pyodide/` when the
   * packages are served as npm installed them. Only the first Python run on the
   * page loads it; later runs share that interpreter.
   */
  pyodideUrl?: string;
}

/** What {@link LessonHandle.run} runs: the lesson's Rust (the default) or its Python. */
export interface RunOptions {
  /** `"rust"`, or `"python"`: the lesson's Python in CPython 3.14 (Pyodide), loaded on first use. */
  language?: "rust" | "python";
}

/** One task of a run. Times are milliseconds since the run began, measured in this run. */
export interface TaskSummary {
  /** The task's name, as the timeline shows it. */
  name: string;
  /** The name of the task that spawned it, or null for a top-level task. */
  parent: string | null;
  /** When the task was created. */
  start_ms: number;
  /** When it finished (or the run ended, for a task that never finished). */
  end_ms: number;
  /** How it ended. */
  outcome: "done" | "failed" | "cancelled" | "created" | "scheduled" | "running" | "waiting";
  /** Its error, for a failed task. */
  error: string | null;
  /** Everything it waited on, in the order it parked. */
  waits: WaitSummary[];
}

/** What a parked task waits on: a timer, a request, another task, a yield, a lock, or something else. */
export type WaitOn = "timer" | "fetch" | "task" | "yield" | "lock" | "other";

/** One wait of a task. Times are ms since the run began; lines are 1-based in the code the page shows. */
export interface WaitSummary {
  /** What kind of thing it waited on (`sleep(0)` counts as a yield). */
  on: WaitOn;
  /** What exactly, in a few words: "sleep 1 s", "GET /api/users/2", "join b". */
  what: string;
  /** When the task parked on it (the end of the poll that returned Pending). */
  from_ms: number;
  /** When the wait ended (the timer fired, the task finished, the answer was read, the future was dropped), or null if it never did. */
  to_ms: number | null;
  /** The line of the Rust shown where the awaited future was made (or the combinator awaiting it), or null if that is not in the code shown. */
  rust_line: number | null;
  /** The matching line of the Python shown, or null. */
  python_line: number | null;
  /** Timers: the delay asked for. */
  delay_ms?: number;
  /** Timers that fired: how late the browser fired them. */
  late_ms?: number;
  /** Requests that were answered: the HTTP status. */
  status?: number;
  /** Requests that were aborted (their future dropped while in flight). */
  aborted?: true;
}

/** The loop's state at one instant of the last run: what {@link LessonHandle.inspect} returns. */
export interface LoopState {
  /** The instant, in ms since the run began. */
  t_ms: number;
  /** The task holding the thread, or null when the loop is idle. */
  running: string | null;
  /** The tasks woken and waiting for their turn, in the order the loop will poll them. */
  ready: string[];
  /** Every parked task and what it waits on (one entry per thing awaited). */
  waiting: { task: string; on: WaitOn; what: string; since_ms: number; rust_line: number | null; python_line: number | null }[];
  /** Timers not yet fired: whose, and when due (ms since the run began). */
  timers: { task: string; deadline_ms: number }[];
  /** Requests in flight: whose, which, and since when. */
  fetches: { task: string; url: string; since_ms: number }[];
}

/** What a run measured: resolved by {@link LessonHandle.run}, and the `detail` of the `looplab:done` event. */
export interface RunSummary {
  /** The lesson's id. */
  lesson: string;
  /** What ran: the lesson's Rust, or its Python in CPython (Pyodide), `run({ language: "python" })`. */
  language: "rust" | "python";
  /** From the run's start to the last task's end, in ms. */
  total_ms: number;
  /**
   * How long the page was hidden during the run, in ms (0 almost always).
   * Browsers slow the timers of hidden tabs, so a run with hidden time is not
   * representative; the verdict then says so.
   */
  hidden_ms: number;
  /** The lesson's conclusion in one sentence, with the measured figures ("" if the run stopped). */
  verdict: string;
  /** The figures behind the verdict, by name, in ms or counts. */
  figures: Record<string, number>;
  /** Why the run stopped (an error, or a cancel), or null when it completed. */
  error: string | null;
  /** Every task of the run. */
  tasks: TaskSummary[];
  /** What the run did that a learner should notice (long polls, late timers, …). */
  warnings: string[];
}

/** A mounted lesson. */
export interface LessonHandle {
  /** The lesson's id. */
  readonly lesson: string;
  /**
   * Runs the lesson as its Run button does; resolves to what the run measured.
   * Rejects if a run is in progress or a parameter is invalid. With
   * `{ language: "python" }` it runs the lesson's Python instead (the summary's
   * `language` is `"python"`); the playground has no Python and rejects.
   */
  run(options?: RunOptions): Promise<RunSummary>;
  /** Cancels the run in progress, if any: every task is dropped at its await (fetches are aborted). */
  cancel(): void;
  /**
   * The loop's state `t_ms` after the last run began, replayed from its record (by the
   * inspector's own module, `reader/`, loaded on the first call). Rejects if there was
   * no run yet or `t_ms` is not a number.
   */
  inspect(t_ms: number): Promise<LoopState>;
  /** Cancels any run, frees the lesson and empties the element (its shadow root stays). */
  unmount(): void;
}

/**
 * Mounts lesson `lesson` on `element`: attaches an open shadow root to it (the
 * element must not have one already) holding the lesson's styles and the lesson.
 * The WebAssembly module is instantiated on the first call and shared by all.
 * Each finished run also fires a `looplab:done` event on `element` (bubbling, composed)
 * whose `detail` is the {@link RunSummary}.
 *
 * Rejects, and shows the reason in the element, if there is no such lesson or
 * `options.params` names a parameter the lesson does not take.
 *
 * Lesson ids: `mental-model`, `sequential-vs-concurrent`, `lazy`, `gather-fetch`,
 * `create-task`, `errors`, `timeout`, `context-manager`, `stream`, `cpu-bound`,
 * `microtasks`, `limit`, `as-completed`, and `playground` (the reader's own workload).
 */
export function mount(element: Element, lesson: string, options?: MountOptions): Promise<LessonHandle>;

/** Instantiates the WebAssembly module, once; later calls return the same promise. `mount` calls it itself. */
export function ready(): Promise<void>;

/**
 * Starts Loop Lab afresh after it stopped on an internal error. Such an error (a
 * Rust panic) is announced by a `looplab:panic` event on the global object, whose
 * `detail` is `{instance: number, text: string}`; the WebAssembly instance it
 * happened in cannot be used again. `reset()` instantiates the already downloaded
 * module again and mounts every lesson that is still mounted on the new instance,
 * with the same parameters; the handles {@link mount} returned keep working
 * (`run()` waits for the new mount). Resolves once every lesson is mounted again;
 * rejects if no new instance could be made (then reload the page).
 *
 * It imports `looplab.js` again from beside this file (with a query), so it needs
 * the package's files served as they are, not inlined by a bundler.
 */
export function reset(): Promise<void>;

/** The parameter names lesson `lesson` takes, in its form's order (call after `ready()`); empty for an unknown lesson. */
export function lessonParams(lesson: string): string[];
