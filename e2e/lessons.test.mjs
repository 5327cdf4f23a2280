// Every lesson, run as a reader's embed would run it (a fresh <loop-lab> element
// with small parameters, so the suite stays quick), checked against the claim the
// lesson makes. These are real timers and requests on a machine that may be busy,
// so a claim is checked as what it is: an order (this task started before that one
// ended), a ratio (concurrent well under sequential, both measured in the same run),
// or a lower bound (no wait is shorter than its delay). A bound above is kept only
// where the number is the claim, with its margin said. Each lesson on the page
// itself must also be present and mount. Which lessons there
// are, in what order and under what title, is src/lessons/lessons.json's to say.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { assertNoErrors, openServedPage, screenshot } from "./lib.mjs";

/** The one list of lessons, in page order, the playground last. */
const LIST = JSON.parse(readFileSync(new URL("../src/lessons/lessons.json", import.meta.url), "utf8"));
const LESSONS = LIST.filter((e) => e.kind !== "playground");

/** The task called `name` in summary `s`. */
const task = (s, name) => {
  const found = s.tasks.find((t) => t.name === name);
  assert.ok(found, `no task "${name}" in ${JSON.stringify(s.tasks.map((t) => t.name))}`);
  return found;
};

/** Each of `names` started only once the one before it had ended. */
function oneAfterAnother(s, names) {
  for (let i = 1; i < names.length; i++) {
    const [before, after] = [task(s, names[i - 1]), task(s, names[i])];
    assert.ok(after.start_ms >= before.end_ms, `${names[i]} started at ${after.start_ms} ms, before ${names[i - 1]} ended (${before.end_ms} ms)`);
  }
}

/** All of `names` were alive at once: the last to start started before the first to end ended. */
function allAtOnce(s, names) {
  const tasks = names.map((name) => task(s, name));
  const lastStart = Math.max(...tasks.map((t) => t.start_ms));
  const firstEnd = Math.min(...tasks.map((t) => t.end_ms));
  assert.ok(lastStart < firstEnd, `${names.join(", ")}: one started at ${lastStart} ms, after another ended (${firstEnd} ms)`);
}

/** One entry per lesson id: the attributes to set, and what the summary must show. */
export const CLAIMS = {
  "mental-model": {
    attrs: { tasks: "3", steps: "3", "work-ms": "3" },
    check(s) {
      const f = s.figures;
      assert.equal(f.overlaps, 0, "two polls overlapped: there is one thread");
      assert.ok(f.polls >= 3 * 3, `expected at least 9 polls, got ${f.polls}`);
      assert.ok(f.busy_ms >= 3 * 3 * 3 * 0.9, `the workers computed ${f.busy_ms} ms, expected ~27`);
      assert.ok(f.idle_percent > 50, `the thread was idle only ${f.idle_percent}%`);
      assert.equal(s.tasks.length, 3);
    },
  },
  lazy: {
    attrs: {},
    check(s) {
      assert.equal(s.figures.never_awaited_polls, 0, "the unawaited future was polled");
      const lazy = s.tasks.find((t) => t.name === "created, never awaited");
      assert.equal(lazy.outcome, "cancelled", "dropped unrun");
      assert.ok(s.tasks.find((t) => t.name === "spawned").outcome === "done");
      // On the loop's next turn: before the awaited future (a 50 ms sleep) was done,
      // not when the caller came to await the spawned task, after it.
      const delay = s.figures.spawn_to_first_poll_ms;
      const spawned = task(s, "spawned");
      assert.ok(delay >= 0 && spawned.start_ms + delay < task(s, "awaited").end_ms, `first polled ${delay} ms after its spawn`);
    },
  },
  "create-task": {
    attrs: { "request-ms": "300", "work-ms": "200" },
    check(s) {
      const { at_once_ms: once, background_ms: later } = s.figures;
      assert.ok(once >= 500, `awaited at once took ${once} ms, less than request + work`);
      assert.ok(later >= 300, `background took ${later} ms, less than the request`);
      assert.ok(later < 0.8 * once, `starting the task first did not save time: ${later} vs ${once} ms`);
      oneAfterAnother(s, ["at once: request", "at once: other work"]);
      allAtOnce(s, ["background: request", "background: other work"]);
    },
  },
  errors: {
    attrs: { "fail-ms": "100" },
    check(s) {
      const f = s.figures;
      // Surfaced at b's failure (100 ms), before c (300 ms) was done. Both times are
      // from their own start, and c started after the gather did.
      const c = task(s, "gather: c");
      assert.ok(f.gather_error_ms >= 95 && f.gather_error_ms < c.end_ms - c.start_ms, `gather surfaced the error after ${f.gather_error_ms} ms`);
      assert.equal(f.gather_siblings_done, 2, "gather-style: a and c ran on to the end");
      assert.equal(f.try_join_all_cancelled, 2, "try_join_all cancelled a and c");
      assert.ok(f.try_join_all_error_ms < f.collect_all_ms, "try_join_all waited as long as collect-all, for every task");
      assert.equal(f.task_group_cancelled, 2, "the task group cancelled a and c");
      assert.equal(f.collect_all_failed, 1);
      assert.ok(f.collect_all_ms >= 295, `collect-all returned after ${f.collect_all_ms} ms, before the slowest`);
      const outcome = (name) => s.tasks.find((t) => t.name === name).outcome;
      assert.equal(outcome("gather: c"), "done");
      assert.equal(outcome("try_join_all: c"), "cancelled");
      assert.equal(outcome("collect-all: b"), "failed");
      assert.equal(s.tasks.find((t) => t.name === "collect-all: b").error, "b failed");
    },
  },
  "sequential-vs-concurrent": {
    attrs: { "alice-ms": "300", "bob-ms": "600" },
    check(s) {
      const { sequential_ms: seq, concurrent_ms: conc } = s.figures;
      assert.ok(seq >= 900, `sequential took ${seq} ms, less than the two waits added up`);
      assert.ok(conc >= 600, `concurrent took ${conc} ms, less than the longer wait`);
      assert.ok(conc < 0.75 * seq, `concurrent ${conc} ms is not clearly faster than sequential ${seq} ms`);
      oneAfterAnother(s, ["sequential: Alice", "sequential: Bob"]);
      allAtOnce(s, ["concurrent: Alice", "concurrent: Bob"]);
      assert.equal(s.tasks.length, 4);
      assert.ok(s.tasks.every((t) => t.outcome === "done"));
      assert.ok(s.tasks.some((t) => t.name === "sequential: Bob") && s.tasks.some((t) => t.name === "concurrent: Bob"));
    },
  },
  "gather-fetch": {
    attrs: { requests: "3", "delay-ms": "200" },
    check(s) {
      const { sequential_ms: seq, concurrent_ms: conc } = s.figures;
      assert.ok(seq >= 600, `one by one took ${seq} ms, less than three delays`);
      assert.ok(conc >= 200, `together took ${conc} ms, less than one delay`);
      assert.ok(conc < 0.75 * seq, `together ${conc} ms is not clearly faster than one by one ${seq} ms`);
      oneAfterAnother(s, [1, 2, 3].map((i) => `sequential: user ${i}`));
      allAtOnce(s, [1, 2, 3].map((i) => `concurrent: user ${i}`));
      assert.equal(s.tasks.length, 6);
      assert.ok(s.tasks.every((t) => t.outcome === "done"));
    },
  },
  timeout: {
    attrs: { "deadline-ms": "200", "fast-ms": "50", "slow-ms": "1500" },
    check(s) {
      const f = s.figures;
      // In time: answered before the slow one's deadline fired (its outcome, below, says done).
      assert.ok(f.in_time_ms >= 50 && f.in_time_ms < f.timed_out_at_ms, `the fast request took ${f.in_time_ms} ms`);
      // Ended by the 200 ms deadline, not by the answer the server sends after 1 500 ms:
      // that number is the claim, and its margin is 1 300 ms.
      assert.ok(f.timed_out_at_ms >= 195 && f.timed_out_at_ms < 1500, `timed out after ${f.timed_out_at_ms} ms`);
      assert.equal(f.aborted, 1, "the timed-out fetch was aborted");
      assert.equal(f.select_aborted, 1, "the fetch that lost the select was aborted");
      assert.equal(f.timed_out, 2, "the two slow requests timed out");
      assert.equal(f.fetches_aborted, 2, "one fetch aborted per timeout, and no other");
      // As in the Python: the timeout is caught and None returned, so the task ends done;
      // what was cancelled is the request inside it, its fetch aborted.
      for (const variant of ["timeout()", "select"]) {
        const slow = s.tasks.find((t) => t.name.startsWith(`${variant}: slow`));
        assert.equal(slow.outcome, "done", `${variant}: the slow task`);
        assert.equal(slow.error, null);
        assert.equal(s.tasks.find((t) => t.name.startsWith(`${variant}: fast`)).outcome, "done");
      }
      assert.match(s.verdict, /timeout\(\): the fast request answered after [\d.]+ ms; the slow one timed out after [\d.]+ ms and was cancelled, its fetch aborted\./);
      assert.match(s.verdict, /select: the fast one answered after [\d.]+ ms; the slow one timed out after [\d.]+ ms and was cancelled, its fetch aborted\./);
      assert.match(s.verdict, /2 of 4 timed out; each caught the timeout and returned None, so it ended done, as in Python; 2 fetches aborted in all\./);
    },
  },
  stream: {
    attrs: { rows: "4", "interval-ms": "150", "tick-ms": "50" },
    check(s) {
      const f = s.figures;
      assert.equal(f.rows, 4);
      assert.ok(f.first_row_ms >= 140, `the first row came after ${f.first_row_ms} ms, before the server sent it`);
      // The server spends 3 × 150 ms between the first row and the last. Read as they
      // come, the rows spread over about that; a buffered body would hand them over all
      // at once. Half of it fails only if the first row is read 225 ms later than the last.
      const spread = f.last_row_ms - f.first_row_ms;
      assert.ok(spread >= 0.5 * 3 * 150, `rows came within ${spread} ms of each other, not as they were sent`);
      assert.ok(f.ticks >= 6, `the ticker ticked only ${f.ticks} times while rows were awaited`);
      assert.equal(s.tasks.find((t) => t.name === "rows").outcome, "done");
      assert.equal(s.tasks.find((t) => t.name === "ticker").outcome, "cancelled");
    },
  },
  limit: {
    attrs: { requests: "8", k: "3", "delay-ms": "150" },
    check(s) {
      const f = s.figures;
      assert.equal(f.k, 3);
      assert.equal(f.max_in_flight, 3, "at most K (and, with 8 requests, exactly K) were in flight");
      assert.ok(f.total_ms >= 3 * 150, `8 requests, 3 at a time, took ${f.total_ms} ms, less than 3 rounds`);
      // 3 at a time take about a third of the requests' own durations added up (what one
      // at a time would take); 0.6 leaves room for uneven rounds on a busy machine.
      const requests = s.tasks.filter((t) => t.name.startsWith("at most 3:"));
      assert.equal(requests.length, 8);
      const oneAtATime = requests.reduce((sum, t) => sum + (t.end_ms - t.start_ms), 0);
      assert.ok(f.total_ms < 0.6 * oneAtATime, `3 at a time took ${f.total_ms} ms, one at a time would take ${oneAtATime} ms`);
      // The dev server speaks HTTP/1.1: Chromium lets six requests per host out and queues the rest.
      assert.equal(f.unlimited_in_flight, 8, "with no limit of ours, all 8 were started");
      // Two rounds (six, then two): longer than one round, shorter than our three.
      assert.ok(f.unlimited_ms >= 2 * 150 - 5, `no limit took ${f.unlimited_ms} ms: nothing queued`);
      assert.ok(f.unlimited_ms < f.total_ms, `no limit took ${f.unlimited_ms} ms, no less than 3 at a time (${f.total_ms} ms)`);
    },
  },
  "as-completed": {
    attrs: { "first-ms": "250", "second-ms": "50", "third-ms": "150" },
    check(s) {
      const f = s.figures;
      assert.ok(f.gather_first_handled_ms >= 250, `gather handled its first result after ${f.gather_first_handled_ms} ms`);
      const first = f.as_completed_first_handled_ms;
      assert.ok(first >= 50 && first < f.gather_first_handled_ms, `as_completed handled its first answer after ${first} ms`);
      assert.equal(f.as_completed_first_request, 2, "the quickest request was handled first");
      assert.match(s.verdict, /gather handled requests 1 \(250 ms\), 2 \(50 ms\), 3 \(150 ms\), .*as_completed handled 2 \(50 ms\), 3 \(150 ms\), 1 \(250 ms\),/);
    },
  },
  "context-manager": {
    attrs: { "setup-ms": "50", "work-ms": "200", "teardown-ms": "50" },
    check(s) {
      const f = s.figures;
      assert.equal(f.teardowns, 3, "the teardown ran after success, error and cancellation");
      assert.equal(f.success_body_done + f.error_body_failed + f.cancelled_body_cancelled, 3);
      const task = (name) => s.tasks.find((t) => t.name === name);
      assert.equal(task("error").outcome, "failed");
      assert.equal(task("error").error, "query failed");
      assert.equal(task("cancelled").outcome, "cancelled");
      for (const name of ["success: teardown", "error: teardown", "cancelled: teardown (Drop)"]) {
        assert.equal(task(name).outcome, "done", name);
      }
      // Started by the cancel itself: after the body was dropped, before the task
      // around it finished dropping (both in one synchronous drop).
      const late = task("cancelled: teardown (Drop)");
      const [body, outer] = [task("cancelled: body"), task("cancelled")];
      assert.ok(late.start_ms >= body.end_ms && late.start_ms <= outer.end_ms, `the teardown from Drop started at ${late.start_ms} ms, not at the cancel (${body.end_ms}–${outer.end_ms} ms)`);
      assert.ok(f.cancel_to_teardown_ms >= 45, `teardown done ${f.cancel_to_teardown_ms} ms after the cancel, less than its 50 ms`);
    },
  },
  "cpu-bound": {
    attrs: { "work-ms": "200", "slice-ms": "10" },
    check(s) {
      const f = s.figures;
      assert.ok(f.blocking_max_lag_ms >= 100, `blocking 200 ms made the ticker only ${f.blocking_max_lag_ms} ms late`);
      assert.ok(f.yielding_max_lag_ms < 0.5 * f.blocking_max_lag_ms, `yielding: ${f.yielding_max_lag_ms} ms late`);
      assert.ok("worker_max_lag_ms" in f, `the Web Worker did not run: ${s.verdict}`);
      assert.ok(f.worker_max_lag_ms < 0.5 * f.blocking_max_lag_ms, `worker: ${f.worker_max_lag_ms} ms late`);
      assert.ok(f.yielding_ms >= 195, "the sliced work still did all 200 ms of computing");
      // 200 ms in slices of 10 ms, a sleep(0) after each: 20 yields, one poll before each
      // and one after the last. What they cost is the rest of the total, shared out.
      assert.equal(f.yields, 20, "one sleep(0) per slice");
      assert.ok(f.yielding_computing_ms >= 195, `the sliced work's polls computed only ${f.yielding_computing_ms} ms`);
      const shared = (f.yielding_ms - f.yielding_computing_ms) / f.yields;
      assert.ok(Math.abs(f.sleep0_mean_ms - shared) < 1e-6, `mean sleep(0) ${f.sleep0_mean_ms} ms, not the rest shared out (${shared} ms)`);
      // Each sleep(0) is a browser timer set from a timer's callback: once five are nested,
      // the HTML standard holds each to at least 4 ms. Six unclamped ones leave this floor.
      const floor = (4 * (f.yields - 6)) / f.yields;
      assert.ok(f.sleep0_mean_ms >= floor, `one sleep(0) cost ${f.sleep0_mean_ms} ms on average, under the nested-timer floor ${floor} ms`);
      assert.match(s.verdict, /the rest went to its 20 yields: [\d.]+ ms per sleep\(0\) on average/);
      assert.ok(s.warnings.some((w) => /blocking: work/.test(JSON.stringify(w))), "the blocking poll was flagged");
      assert.ok(s.tasks.filter((t) => t.name.endsWith(": work")).every((t) => t.outcome === "done"));
      assert.ok(s.tasks.filter((t) => t.name.endsWith(": ticker")).every((t) => t.outcome === "cancelled"));
    },
  },
  microtasks: {
    attrs: { "loop-ms": "150" },
    check(s) {
      const { microtask_timer_late_ms: micro, macrotask_timer_late_ms: macro } = s.figures;
      assert.ok(micro >= 0.7 * (150 - 20), `with yield_now the 20 ms timer was only ${micro} ms late`);
      assert.ok(macro < 0.5 * micro, `with sleep(0) the timer was ${macro} ms late, with yield_now ${micro} ms`);
      assert.ok(s.figures.microtask_steps >= 20, "the self-waking loop did its steps");
    },
  },
};

/** Creates <loop-lab lesson=id …attrs> at the end of the page and runs it. */
async function runEmbed(page, id, attrs) {
  return page.evaluate(async ({ id, attrs }) => {
    const el = document.createElement("loop-lab");
    el.setAttribute("lesson", id);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.querySelector("main").append(el);
    const done = new Promise((resolve) => el.addEventListener("looplab:done", (e) => resolve(e.detail), { once: true }));
    const summary = await el.run();
    const event = await done;
    return { summary, eventMatches: JSON.stringify(event) === JSON.stringify(summary) };
  }, { id, attrs });
}

test("every lesson runs from its own embed and shows what it claims", { timeout: 300_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);

  // The playground runs the reader's own workload: e2e/playground.test.mjs checks it.
  assert.deepEqual(Object.keys(CLAIMS).sort(), LESSONS.map((e) => e.id).sort(), "a claim for each lesson of the list, and no other");
  const toc = await page.evaluate(() => [...document.querySelectorAll("nav.toc a")].map((a) => [a.getAttribute("href"), a.textContent]));
  assert.deepEqual(toc, LESSONS.map((e) => [`#lesson-${e.id}`, e.title]), "the contents name the list's lessons, in its order");

  for (const [id, claim] of Object.entries(CLAIMS)) {
    await t.test(id, async () => {
      const { summary, eventMatches } = await runEmbed(page, id, claim.attrs);
      assert.equal(summary.lesson, id);
      assert.ok(eventMatches, "looplab:done carried the same summary as run()");
      assert.ok(summary.verdict.length > 0, "the verdict is stated in words");
      claim.check(summary);
    });
  }
  await screenshot(page, "lessons");
  assertNoErrors(errors);
});

test("every lesson on the page mounts and runs with its defaults", { timeout: 300_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const ids = await page.evaluate(() => [...document.querySelectorAll("main loop-lab")].map((e) => e.getAttribute("lesson")));
  assert.deepEqual(ids, LIST.map((e) => e.id), "the page shows the list's lessons and playground, in its order");
  for (const id of ids) {
    await t.test(id, async () => {
      const element = page.locator(`main loop-lab[lesson="${id}"]`);
      await element.scrollIntoViewIfNeeded();
      // Mounted lazily, as it came near the viewport: its Run button is there.
      await element.locator("button.run").waitFor({ timeout: 10_000 });
      const summary = await element.evaluate((el) => el.run());
      assert.equal(summary.lesson, id);
      assert.equal(summary.error, null, `the run stopped: ${summary.error}`);
      assert.ok(summary.tasks.length > 0 && summary.verdict.length > 0);
      assert.equal(await element.locator("article").getAttribute("data-state"), "done");
      assert.equal(await element.locator("h2").first().textContent(), LIST.find((e) => e.id === id).title, "the list's title");
    });
  }
  await screenshot(page, "lessons-page");
  assertNoErrors(errors);
});

test("bad parameters get a clear message and never run", { timeout: 60_000 }, async (t) => {
  const { server, page, errors } = await openServedPage(t);
  const result = await page.evaluate(async () => {
    const el = document.createElement("loop-lab");
    el.setAttribute("lesson", "sequential-vs-concurrent");
    el.setAttribute("alice-ms", "-5");
    document.querySelector("main").append(el);
    const message = await el.run().then(() => "ran anyway", (e) => e.message);
    const shown = el.shadowRoot.querySelector(".ll-error").textContent;
    const disabled = el.shadowRoot.querySelector("button.run").disabled;
    const missing = document.createElement("loop-lab");
    missing.setAttribute("lesson", "no-such-lesson");
    document.querySelector("main").append(missing);
    const unknown = await missing.run().then(() => "ran anyway", (e) => e.message);
    return { message, shown, disabled, unknown, note: missing.shadowRoot.textContent };
  });
  assert.equal(typeof result.message, "string", JSON.stringify(result));
  assert.match(result.message, /Alice waits must be a whole number from 0 to 10000 ms/);
  const urls = await page.evaluate(async (origin) => {
    const make = (value) => {
      const el = document.createElement("loop-lab");
      el.setAttribute("lesson", "gather-fetch");
      el.setAttribute("urls", value);
      document.querySelector("main").append(el);
      return el;
    };
    const hostile = await make("javascript:alert(1)").run().then(() => "ran anyway", (e) => e.message);
    const unreachable = await make("http://127.0.0.1:9/nothing").run();
    const own = await make(`${origin}/api/users/5?delay_ms=150 ${origin}/api/users/6?delay_ms=150`).run();
    return { hostile, unreachable, own };
  }, server.origin);
  assert.match(urls.hostile, /is not a web address/);
  assert.match(urls.unreachable.error, /no answer from http:\/\/127\.0\.0\.1:9\/nothing/);
  assert.equal(urls.unreachable.tasks[0].outcome, "failed");
  assert.equal(urls.own.error, null);
  assert.ok(urls.own.figures.concurrent_ms < 0.75 * urls.own.figures.sequential_ms, JSON.stringify(urls.own.figures));
  assert.equal(result.shown, result.message);
  assert.equal(result.disabled, true, "Run is disabled while a field is invalid");
  assert.match(result.unknown, /There is no lesson "no-such-lesson"/);
  assert.match(String(result.note), /no-such-lesson/, JSON.stringify(result));
  // The unknown lesson's rejection is expected and was caught; the browser itself logs
  // the refused request to the unreachable URL. Nothing else may fail.
  assertNoErrors(errors, (e) => e.url === "http://127.0.0.1:9/nothing");
});
