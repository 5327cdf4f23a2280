// Every lesson, run as a reader's embed would run it (a fresh <loop-lab> element
// with small parameters, so the suite stays quick), checked against the claim the
// lesson makes — with honest tolerances, since these are real timers and requests.
// Each lesson on the page itself must also be present and mount.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, launchBrowser, openPage, screenshot, startDevServer, waitReady } from "./lib.mjs";

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
      assert.ok(s.figures.spawn_to_first_poll_ms >= 0 && s.figures.spawn_to_first_poll_ms < 50);
    },
  },
  "create-task": {
    attrs: { "request-ms": "300", "work-ms": "200" },
    check(s) {
      const { at_once_ms: once, background_ms: later } = s.figures;
      assert.ok(once >= 500 && once < 500 + 300, `awaited at once took ${once} ms, expected ~500`);
      assert.ok(later >= 300 && later < 300 + 250, `background took ${later} ms, expected ~300`);
      assert.ok(later < 0.8 * once, "starting the task first did not save time");
    },
  },
  errors: {
    attrs: { "fail-ms": "100" },
    check(s) {
      const f = s.figures;
      assert.ok(f.gather_error_ms >= 95 && f.gather_error_ms < 250, `gather surfaced the error after ${f.gather_error_ms} ms`);
      assert.equal(f.gather_siblings_done, 2, "gather-style: a and c ran on to the end");
      assert.equal(f.try_join_all_cancelled, 2, "try_join_all cancelled a and c");
      assert.ok(f.try_join_all_error_ms < 250);
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
      assert.ok(seq >= 900 && seq < 900 + 400, `sequential took ${seq} ms, expected ~900`);
      assert.ok(conc >= 600 && conc < 600 + 300, `concurrent took ${conc} ms, expected ~600`);
      assert.ok(conc < 0.75 * seq, `concurrent ${conc} ms is not clearly faster than sequential ${seq} ms`);
      assert.equal(s.tasks.length, 4);
      assert.ok(s.tasks.every((t) => t.outcome === "done"));
      assert.ok(s.tasks.some((t) => t.name === "sequential: Bob") && s.tasks.some((t) => t.name === "concurrent: Bob"));
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
  const server = await startDevServer();
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser);
  await page.goto(`${server.origin}/`);
  await waitReady(page, errors);

  const onPage = await page.evaluate(() => [...document.querySelectorAll("main loop-lab")].map((e) => e.getAttribute("lesson")));
  assert.deepEqual([...onPage].sort(), Object.keys(CLAIMS).sort(), "the page and the claims list the same lessons");

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

test("bad parameters get a clear message and never run", { timeout: 60_000 }, async (t) => {
  const server = await startDevServer();
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser);
  await page.goto(`${server.origin}/`);
  await waitReady(page, errors);
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
  assert.equal(result.shown, result.message);
  assert.equal(result.disabled, true, "Run is disabled while a field is invalid");
  assert.match(result.unknown, /There is no lesson "no-such-lesson"/);
  assert.match(String(result.note), /no-such-lesson/, JSON.stringify(result));
  // The unknown lesson's rejection is expected and was caught; nothing else may fail.
  assertNoErrors(errors);
});
