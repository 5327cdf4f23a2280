// What each lesson claims for its Python, checked on the record of one run of the
// Python it shows (python-lessons.test.mjs). One entry per lesson: the element's
// attributes (small values, so the file runs in about a minute) and a check of
// `shown` ({python, record}) given `requests` (the browser's own network events for
// this run, `{url, start, end, failure, startSeq, endSeq}`; null in Firefox, which has no such hook).
//
// Task names are asyncio's: the coroutine's name, in the order the program made them.
//
// `figures(record)`, where given, is what the lesson's Python summary must carry
// (src/lessons/<id>.rs, python_verdict), read off the record here by the test's own
// code: python-lessons.test.mjs checks the two agree.

import assert from "node:assert/strict";
import { assertNear, assertWellFormed, byTask, firstStep, outcome, steps } from "./python-lib.mjs";

/** Says the measured figures (`[name, ms]` pairs) beside the test's result. */
const say = (t, figures) => t.diagnostic(figures.map(([name, ms]) => `${name} ${typeof ms === "number" ? ms.toFixed(0) : ms}`).join(", "));

/** The record's tasks, checked well-formed, their names exactly `names`. */
function tasksOf(record, names) {
  assertWellFormed(record);
  const tasks = byTask(record);
  assert.deepEqual(tasks.map((t) => t.name), names, "the tasks the program made, in order");
  return tasks;
}

/** Every step of every task, in order of start: [start, end, task name]. */
const allSteps = (tasks) => tasks.flatMap((t) => steps(t).map(([s, e]) => [s, e, t.name])).sort((a, b) => a[0] - b[0]);
/** The wake events of `task`, of one `cause` if given. */
const wakes = (task, cause) => task.events.filter((e) => e.kind === "wake" && (!cause || e.cause === cause));
/** `tasks` were alive at once: the last created before the first ended. */
function allAtOnce(tasks, what) {
  const lastCreated = Math.max(...tasks.map((t) => t.events[0].t));
  const firstEnded = Math.min(...tasks.map((t) => outcome(t).t));
  assert.ok(lastCreated < firstEnded, `${what}: not all alive at once`);
}
/** The mean gap between consecutive `steps` ([start, end] pairs): `[count, mean]`. */
function gaps(steps) {
  const gaps = steps.slice(1).map(([s], i) => s - steps[i][1]);
  return [gaps.length, gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length)];
}
/** The most requests out at once among `requests`, from the order of the browser's start and end events. */
function mostInFlight(requests) {
  const edges = requests.flatMap((r) => [[r.startSeq, 1], [r.endSeq, -1]]).sort((a, b) => a[0] - b[0]);
  let now = 0, most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

export const CLAIMS = {
  "mental-model": {
    attrs: { tasks: "3", steps: "3", "work-ms": "3" },
    figures(record) {
      const [main, ...workers] = byTask(record);
      const all = allSteps(workers);
      return { polls: all.length, overlaps: 0, busy_ms: all.reduce((s, [a, b]) => s + b - a, 0), total_ms: outcome(main).t - firstStep(main) };
    },
    check({ record }, { t }) {
      const tasks = tasksOf(record, ["main", "worker", "worker", "worker"]);
      const all = allSteps(tasks);
      for (let i = 1; i < all.length; i++) assert.ok(all[i][0] >= all[i - 1][1], `two steps overlapped: one thread runs one at a time`);
      const workers = tasks.slice(1);
      for (const w of workers) assert.equal(steps(w).length, 3 + 1, "each worker: a step per sleep, and the last");
      // Taking turns: the order of their steps is not one worker's, then the next one's.
      const turns = allSteps(workers.map((w, i) => ({ ...w, name: "ABC"[i] }))).map((s) => s[2]).join("");
      const changes = [...turns].filter((c, i) => i > 0 && c !== turns[i - 1]).length;
      assert.ok(changes > workers.length - 1, `the workers take turns: ${turns}`);
      const busy = workers.reduce((sum, w) => sum + steps(w).reduce((s, [a, b]) => s + b - a, 0), 0);
      assert.ok(busy >= 3 * 3 * 3 * 0.9, `the workers computed ${busy.toFixed(1)} ms, expected ≥ 27`);
      say(t, [["steps", all.length], ["overlaps", 0], ["workers busy ms", busy], ["turns", turns]]);
    },
  },
  "sequential-vs-concurrent": {
    attrs: { "alice-ms": "200", "bob-ms": "400" },
    figures(record) {
      const [main, alice] = byTask(record);
      const gathered = alice.events[0].t;
      return { sequential_ms: gathered - firstStep(main), concurrent_ms: outcome(main).t - gathered };
    },
    check({ record }, { t }) {
      const [main, alice, bob] = tasksOf(record, ["main", "greet", "greet"]);
      const gathered = alice.events[0].t; // the gather makes both tasks at once
      assertNear(gathered - firstStep(main), 600, "one after another: the sum");
      assertNear(outcome(main).t - gathered, 400, "together: the longest");
      say(t, [["sequential ms", gathered - firstStep(main)], ["concurrent ms", outcome(main).t - gathered]]);
      const woke = wakes(main).at(-1);
      assert.deepEqual([woke.cause, woke.by], ["task", bob.id], "main is woken by the slower greet");
    },
  },
  lazy: {
    attrs: {},
    figures(record) {
      const spawned = byTask(record)[1];
      return { spawn_to_first_poll_ms: firstStep(spawned) - spawned.events[0].t };
    },
    check({ record }, { t }) {
      // The coroutine never awaited is no task, and never ran; the awaited one ran inside main.
      const [main, spawned] = tasksOf(record, ["main", "greet"]);
      const firstMainStep = steps(main)[0];
      const awaitedDone = wakes(main, "timer")[0].t; // the awaited greet's sleep is over
      assert.ok(firstStep(spawned) >= firstMainStep[1], "the spawned task starts after main's step: on the loop's next turn");
      assert.ok(firstStep(spawned) < awaitedDone, "… before the awaited greet is over, not when main awaits the task");
      say(t, [["tasks", record.tasks.length], ["spawn → first step ms", firstStep(spawned) - spawned.events[0].t]]);
    },
  },
  "gather-fetch": {
    // More than six: the browser's connections per host, measured beside the program's.
    attrs: { requests: "8", "delay-ms": "200" },
    figures(record) {
      const [main, first] = byTask(record);
      return { sequential_ms: first.events[0].t - firstStep(main), concurrent_ms: outcome(main).t - first.events[0].t, max_in_flight: 8 };
    },
    check({ record, python }, { t, requests }) {
      const [main, ...gathered] = tasksOf(record, ["main", ...Array(8).fill("fetch_user")]);
      const sequential = gathered[0].events[0].t - firstStep(main);
      const together = outcome(main).t - gathered[0].events[0].t;
      assert.ok(sequential >= 8 * 200, `one by one took ${sequential.toFixed(0)} ms, less than 8 delays`);
      assert.ok(together >= 200 && together < 0.6 * sequential, `together ${together.toFixed(0)} ms vs one by one ${sequential.toFixed(0)} ms`);
      allAtOnce(gathered, "the gathered requests");
      say(t, [["one by one ms", sequential], ["together ms", together]]);
      if (requests) assert.equal(requests.filter((r) => r.url.includes("/api/users/") && !r.failure).length, 16, "sixteen requests answered");
      assert.match(python, /n, delay_ms = 8, 200/);
    },
  },
  "create-task": {
    attrs: { "request-ms": "300", "work-ms": "200" },
    figures(record) {
      const [main, request] = byTask(record);
      return { at_once_ms: request.events[0].t - firstStep(main), background_ms: outcome(main).t - request.events[0].t };
    },
    check({ record }, { t }) {
      const [main, request] = tasksOf(record, ["main", "fetch_user"]);
      const atOnce = request.events[0].t - firstStep(main);
      const background = outcome(main).t - request.events[0].t;
      assert.ok(atOnce >= 500, `awaited at once: ${atOnce.toFixed(0)} ms, less than request + work`);
      assert.ok(background >= 300 && background < 0.8 * atOnce, `in the background: ${background.toFixed(0)} ms vs ${atOnce.toFixed(0)} ms`);
      // The other work was done (main woken by its timer) while the request was still out.
      const workDone = wakes(main, "timer").find((w) => w.t > request.events[0].t);
      assert.ok(workDone && workDone.t < outcome(request).t, "the other work ended while the request ran");
      say(t, [["awaited at once ms", atOnce], ["in the background ms", background]]);
    },
  },
  errors: {
    attrs: { "fail-ms": "100" },
    figures(record) {
      const jobs = byTask(record).slice(1);
      const after = ([a, b, c]) => Math.max(outcome(a).t, outcome(c).t) - outcome(b).t;
      return { gather_siblings_done: 2, gather_siblings_after_ms: after(jobs.slice(0, 3)), task_group_cancelled: 2,
        task_group_siblings_after_ms: after(jobs.slice(3, 6)), collect_all_failed: 1 };
    },
    check({ record }, { t }) {
      const tasks = tasksOf(record, ["main", ...Array(9).fill("job")]);
      const [gather, group, collect] = [tasks.slice(1, 4), tasks.slice(4, 7), tasks.slice(7, 10)];
      const kinds = (three) => three.map((t) => outcome(t).kind);
      assert.deepEqual(kinds(gather), ["done", "failed", "done"], "gather: a and c run on to their end");
      assert.equal(outcome(gather[1]).message, "RuntimeError: b failed");
      for (const sibling of [gather[0], gather[2]]) assert.ok(outcome(sibling).t > outcome(gather[1]).t, "… after b failed");
      assert.deepEqual(kinds(group), ["cancelled", "failed", "cancelled"], "a TaskGroup cancels a and c");
      for (const sibling of [group[0], group[2]]) {
        assert.ok(outcome(sibling).t - outcome(group[1]).t < 100, "cancelled at b's failure, not at their own end (100 ms later at the earliest)");
      }
      assert.deepEqual(kinds(collect), ["done", "failed", "done"], "return_exceptions: every outcome");
      assert.ok(outcome(tasks[0]).t >= outcome(collect[2]).t, "main has them all at the end");
      const after = (task, b) => outcome(task).t - outcome(b).t;
      say(t, [["gather: a, c done after b failed by ms", `${after(gather[0], gather[1]).toFixed(0)}, ${after(gather[2], gather[1]).toFixed(0)}`],
        ["TaskGroup: a, c cancelled after b by ms", `${after(group[0], group[1]).toFixed(1)}, ${after(group[2], group[1]).toFixed(1)}`]]);
    },
  },
  timeout: {
    attrs: { "deadline-ms": "300", "fast-ms": "100", "slow-ms": "1500" },
    figures(record) {
      const [, ...four] = byTask(record);
      const [a, b, c, d] = four.map((t) => outcome(t).t - t.events[0].t);
      return { in_time_ms: a, timed_out_at_ms: b, wait_for_in_time_ms: c, wait_for_timed_out_at_ms: d };
    },
    check({ record }, { t, requests, apiBase }) {
      const [, blockFast, blockSlow, waitFast, waitSlow] = tasksOf(record, ["main", "with_block", "with_block", "with_wait_for", "with_wait_for"]);
      const lived = (t) => outcome(t).t - t.events[0].t;
      for (const task of [blockFast, blockSlow, waitFast, waitSlow]) assert.equal(outcome(task).kind, "done", "each catches TimeoutError: done");
      for (const fast of [blockFast, waitFast]) assertNear(lived(fast), 100, `${fast.name}, fast: answered`);
      for (const slow of [blockSlow, waitSlow]) {
        assertNear(lived(slow), 300, `${slow.name}, slow: gave up at the deadline`);
        assert.ok(lived(slow) < 1500, "not at the slow answer");
      }
      say(t, [blockFast, blockSlow, waitFast, waitSlow].map((task, i) => [`${task.name} ${i % 2 ? "slow" : "fast"} ms`, lived(task)]));
      if (!requests) return;
      const fate = (n) => requests.find((r) => r.url.startsWith(`${apiBase}users/${n}?`));
      assert.deepEqual([1, 2, 3, 4].map((n) => fate(n)?.failure), [null, "net::ERR_ABORTED", null, "net::ERR_ABORTED"],
        "the browser answered the fast requests and aborted the slow ones");
      for (const n of [2, 4]) assert.ok(fate(n).end - fate(n).start < 1500, "aborted before the server answered");
    },
  },
  "context-manager": {
    attrs: { "setup-ms": "50", "work-ms": "100", "teardown-ms": "50" },
    figures(record) {
      const [main, used] = byTask(record);
      const cancel = wakes(used).find((w) => w.cause === "task" && w.by === main.id);
      return { cancelled_body_cancelled: 1, cancel_to_teardown_ms: outcome(used).t - cancel.t };
    },
    check({ record }, { t }) {
      const [main, cancelled] = tasksOf(record, ["main", "use"]);
      // success s+w+t, error s+w/2+t, cancelled s+w/2, then its teardown t: 3s + 2w + 3t.
      assertNear(outcome(main).t - firstStep(main), 500, "three setups, the bodies and three teardowns, each awaited");
      assert.equal(outcome(cancelled).kind, "cancelled");
      const cancel = wakes(cancelled).find((w) => w.cause === "task" && w.by === main.id);
      assertNear(cancel.t - cancelled.events[0].t, 100, "cancelled half-way through its body");
      assert.ok(outcome(cancelled).t - cancel.t >= 50 - 1, "the teardown, awaited in finally, ran after the cancel");
      assert.ok(wakes(cancelled, "timer").some((w) => w.t > cancel.t), "… its timer woke the cancelled task once more");
      say(t, [["main ms", outcome(main).t - firstStep(main)], ["cancel → cancelled (teardown) ms", outcome(cancelled).t - cancel.t]]);
    },
  },
  stream: {
    attrs: { rows: "4", "interval-ms": "150", "tick-ms": "40" },
    figures(record) {
      return { ticks: wakes(byTask(record)[1], "timer").length };
    },
    check({ record }, { t, requests }) {
      const [main, ticker] = tasksOf(record, ["main", "ticker"]);
      // The rows: main woken by the network (its read of the response's body, a JS
      // promise, while browser_http has the request out), one wake per row at least.
      const rows = wakes(main, "fetch").filter((w, i, all) => i === 0 || w.t - all[i - 1].t >= 75);
      assert.ok(rows.length >= 4, `main woken ${rows.length} times ≥ 75 ms apart by the network, expected one per row`);
      const tickerSteps = steps(ticker).map(([s]) => s);
      for (let i = 1; i < rows.length; i++) {
        assert.ok(tickerSteps.some((s) => s > rows[i - 1].t && s < rows[i].t), `the ticker ran between rows ${i} and ${i + 1}`);
      }
      assert.equal(outcome(ticker).kind, "cancelled");
      say(t, [["rows at ms", rows.map((r) => (r.t - rows[0].t).toFixed(0)).join(" ")], ["ticker steps", tickerSteps.length]]);
      // One response, open while the rows came. (Chromium reports a body read through
      // its stream as "net::ERR_ABORTED" once read to its end, aborted or not.)
      const stream = requests?.filter((r) => r.url.includes("/api/stream?")) ?? [];
      if (requests) assert.ok(stream.length === 1 && stream[0].end - stream[0].start >= 3 * 150 * 0.9, JSON.stringify(stream));
    },
  },
  "cpu-bound": {
    attrs: { "work-ms": "200", "slice-ms": "10" },
    figures(record) {
      const mainSteps = steps(byTask(record)[0]);
      const [[a, b], [c, d]] = [mainSteps[1], mainSteps.at(-1)];
      const [yields, mean] = gaps(mainSteps.slice(1));
      return { blocking_ms: b - a, worker_ms: d - c, yielding_ms: c - b, yields, sleep0_mean_ms: mean };
    },
    check({ record, python }, { t }) {
      const [main, ticker] = tasksOf(record, ["main", "ticker"]);
      const mainSteps = steps(main);
      const [blockStart, blockEnd] = mainSteps[1]; // after the first sleep(0.1): count_primes(work)
      assert.ok(blockEnd - blockStart >= 200, "one step holds the thread for the whole work");
      const late = (from, to) => Math.max(0, ...wakes(ticker, "timer").filter((w) => w.t >= from && w.t <= to).map((w) => w.late_ms));
      const blocked = late(blockEnd, blockEnd + 50);
      assert.ok(blocked >= 200 - 50 - 1, `the ticker woke ${blocked.toFixed(0)} ms late after the blocking step (work 200 ms, ticks every 50)`);
      const [lastStart, lastEnd] = mainSteps.at(-1);
      assert.ok(mainSteps.length >= 200 / 10, "the sliced work yielded each slice");
      // Sliced, the ticker runs between slices: besides its overdue tick right after the
      // blocking step, it steps again before the work is over. How late it is then is
      // measured, not asserted: in Chromium, Pyodide's sleep(0) is not a clamped browser
      // timer, and a ticker's timer may wait through several slices (said below).
      const sliceTicks = steps(ticker).filter(([s]) => s > blockEnd && s < lastStart);
      assert.ok(sliceTicks.length >= 2, `the ticker ran ${sliceTicks.length} times from the blocking step's end to the sliced work's end`);
      const sliced = late(blockEnd + 50, lastStart);
      // No process pool in a browser: the work ran inline, in main's last step.
      assert.ok(lastEnd - lastStart >= 200, "the executor's work ran inline, on the one thread");
      say(t, [["ticker late: blocked ms", blocked], ["sliced: ticks", sliceTicks.length - 1], ["at most ms late", sliced], ["blocking step ms", blockEnd - blockStart], ["inline executor step ms", lastEnd - lastStart]]);
      assert.match(python, /except NotImplementedError:/);
    },
  },
  microtasks: {
    attrs: { "loop-ms": "200" },
    figures(record) {
      const [, timer, loop] = byTask(record);
      const [yields, mean] = gaps(steps(loop));
      return { macrotask_steps: yields, sleep0_mean_ms: mean, macrotask_timer_late_ms: wakes(timer, "timer")[0].late_ms };
    },
    check({ record }, { t }) {
      const [, timer, loop] = tasksOf(record, ["main", "timer", "steps"]);
      assert.ok(outcome(timer).t < outcome(loop).t - 50, "the 20 ms timer fired while the loop was still running: sleep(0) is a turn of the loop");
      const yields = steps(loop).length - 1;
      const spent = outcome(loop).t - firstStep(loop);
      const late = wakes(timer, "timer")[0].late_ms;
      t.diagnostic(`Pyodide: ${yields} sleep(0) in ${spent.toFixed(0)} ms of 2 ms steps: ${((spent - 2 * yields) / yields).toFixed(2)} ms per sleep(0); the timer ${late.toFixed(1)} ms late`);
    },
  },
  limit: {
    attrs: { requests: "6", k: "2", "delay-ms": "150" },
    figures(record) {
      const tasks = byTask(record);
      const span = (ts) => Math.max(...ts.map((t) => outcome(t).t)) - Math.min(...ts.map((t) => t.events[0].t));
      return { total_ms: span(tasks.slice(1, 7)), unlimited_ms: span(tasks.slice(7)), max_in_flight: 2, unlimited_in_flight: 6 };
    },
    check({ record }, { t, requests, apiBase }) {
      const tasks = tasksOf(record, ["main", ...Array(6).fill("fetch_limited"), ...Array(6).fill("fetch_user")]);
      const [limited, open] = [tasks.slice(1, 7), tasks.slice(7)];
      const ids = (from) => requests.filter((r) => [...Array(6).keys()].some((i) => r.url.startsWith(`${apiBase}users/${from + i}?`)));
      const span = (ts) => Math.max(...ts.map((t) => outcome(t).t)) - Math.min(...ts.map((t) => t.events[0].t));
      assert.ok(span(limited) >= 3 * 150, `at most 2 at once: ${span(limited).toFixed(0)} ms, less than 6 / 2 delays`);
      assert.ok(span(open) < 0.6 * span(limited), `no limit: ${span(open).toFixed(0)} ms vs ${span(limited).toFixed(0)} ms`);
      say(t, [["at most 2 ms", span(limited)], ["no limit ms", span(open)], ["most out at once", requests ? `${mostInFlight(ids(1))}, ${mostInFlight(ids(1001))}` : "n/a"]]);
      if (!requests) return;
      assert.equal(mostInFlight(ids(1)), 2, "the browser never had more than k requests out");
      assert.equal(mostInFlight(ids(1001)), 6, "without the semaphore, all six at once");
    },
  },
  "as-completed": {
    attrs: { "first-ms": "300", "second-ms": "100", "third-ms": "200" },
    figures() {
      return { as_completed_first_request: 2 };
    },
    check({ record }, { t }) {
      // gather and as_completed each wrap the three coroutines in tasks.
      const [main] = tasksOf(record, ["main", ...Array(6).fill("fetch_user")]);
      const handled = record.output.map((o) => [o.text, o.t]);
      assert.deepEqual(handled.map((h) => h[0]), [1, 2, 3, 5, 6, 4].map((id) => `handled user ${id}`),
        "gather: the order asked; as_completed: the order answered (100, 200, 300 ms)");
      assert.ok(handled[0][1] - firstStep(main) >= 300, "gather handles nothing before the slowest answers");
      assertNear(handled[3][1] - handled[2][1], 100, "as_completed hands over the quickest after its own delay");
      say(t, [["handled at ms", handled.map(([text, at]) => `${text.slice(-1)}@${(at - firstStep(main)).toFixed(0)}`).join(" ")]]);
    },
  },
};
