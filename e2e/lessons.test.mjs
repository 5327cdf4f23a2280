// Every lesson, run as a reader's embed would run it (a fresh <loop-lab> element
// with small parameters, so the suite stays quick), checked against the claim the
// lesson makes — with honest tolerances, since these are real timers and requests.
// Each lesson on the page itself must also be present and mount.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, launchBrowser, openPage, screenshot, startDevServer, waitReady } from "./lib.mjs";

/** One entry per lesson id: the attributes to set, and what the summary must show. */
export const CLAIMS = {
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
