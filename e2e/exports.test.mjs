// What a reader can take away from a run: the trace file (checked as Chrome Trace
// Event JSON, as Perfetto reads it), the trace handed to Perfetto UI over its
// postMessage protocol (a stand-in Perfetto page answers, since tests run offline),
// and the summary copied as JSON — through the clipboard, or shown for copying by
// hand when the browser refuses.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { assertNoErrors, openServedPage } from "./lib.mjs";

/** Adds a small sequential-vs-concurrent embed, runs it, resolves to its summary. */
async function runOne(page) {
  return page.evaluate(async () => {
    const el = document.createElement("loop-lab");
    el.id = "export-under-test";
    el.setAttribute("lesson", "sequential-vs-concurrent");
    el.setAttribute("alice-ms", "100");
    el.setAttribute("bob-ms", "200");
    document.querySelector("main").append(el);
    el.scrollIntoView();
    return el.run();
  });
}

/** A locator inside the embed's shadow root (Playwright pierces open shadow roots). */
const inEmbed = (page, selector) => page.locator(`#export-under-test ${selector}`);

/**
 * Checks `trace` against the rules Perfetto relies on: an object with a
 * `traceEvents` array; every event with a phase, pid, tid and a numeric µs
 * timestamp; complete slices with a non-negative duration; a named thread for the
 * loop and for every task; and on the loop track, slices that never partly overlap
 * (each either ends before the next starts or contains it: one thread).
 */
function checkTrace(trace, summary) {
  assert.ok(Array.isArray(trace.traceEvents), "traceEvents is an array");
  for (const e of trace.traceEvents) {
    assert.equal(typeof e.ph, "string", `event without phase: ${JSON.stringify(e)}`);
    assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), `pid/tid: ${JSON.stringify(e)}`);
    if (e.ph !== "M") assert.ok(Number.isFinite(e.ts) && e.ts >= 0, `ts: ${JSON.stringify(e)}`);
    if (e.ph === "X") assert.ok(Number.isFinite(e.dur) && e.dur >= 0, `dur: ${JSON.stringify(e)}`);
  }
  const names = new Map(
    trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [e.tid, e.args.name]),
  );
  assert.equal(names.get(0), "loop", "thread 0 is the loop");
  for (const task of summary.tasks) {
    assert.ok([...names.values()].includes(task.name), `task "${task.name}" has a named track`);
  }
  const loop = trace.traceEvents.filter((e) => e.ph === "X" && e.tid === 0).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  assert.ok(loop.length >= summary.tasks.length, "every task was polled on the loop track");
  const open = []; // ends of the slices that contain the current one
  for (const s of loop) {
    while (open.length && open.at(-1) <= s.ts) open.pop();
    if (open.length) {
      assert.ok(s.ts + s.dur <= open.at(-1) + 1e-6, `loop slices overlap without nesting at ${s.ts} µs`);
    }
    open.push(s.ts + s.dur);
  }
}

test("a run's trace downloads as valid Chrome Trace Event JSON", { timeout: 120_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const summary = await runOne(page);
  await inEmbed(page, ".ll-exports").waitFor({ state: "visible" });
  const [download] = await Promise.all([page.waitForEvent("download"), inEmbed(page, ".ll-download").click()]);
  assert.equal(download.suggestedFilename(), "looplab-trace.json");
  const trace = JSON.parse(await readFile(await download.path(), "utf8"));
  checkTrace(trace, summary);
  assertNoErrors(errors);
});

test("Open in Perfetto hands the trace over with Perfetto's PING/PONG protocol", { timeout: 120_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  // Offline here: a stand-in for ui.perfetto.dev that speaks its protocol.
  await page.context().route("https://ui.perfetto.dev/**", (route) => route.fulfill({
    contentType: "text/html",
    body: `<!doctype html><title>stand-in Perfetto</title><script>
      window.addEventListener("message", (e) => {
        if (e.data === "PING") e.source.postMessage("PONG", "*");
        else if (e.data && e.data.perfetto) {
          window.received = { title: e.data.perfetto.title, text: new TextDecoder().decode(e.data.perfetto.buffer) };
        }
      });
    </script>`,
  }));
  const summary = await runOne(page);
  await inEmbed(page, ".ll-exports").waitFor({ state: "visible" });
  const [tab] = await Promise.all([page.context().waitForEvent("page"), inEmbed(page, ".ll-perfetto").click()]);
  await tab.waitForFunction(() => window.received !== undefined, null, { timeout: 15_000 });
  const received = await tab.evaluate(() => window.received);
  assert.equal(received.title, "Loop Lab run");
  checkTrace(JSON.parse(received.text), summary);
  await page.waitForFunction(
    () => document.querySelector("#export-under-test").shadowRoot.querySelector(".ll-export-status").textContent.includes("Sent to Perfetto"),
  );
  assertNoErrors(errors);
});

test("Copy summary puts the run's summary JSON on the clipboard, or shows it when refused", { timeout: 120_000 }, async (t) => {
  const { server, page, errors } = await openServedPage(t);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  const summary = await runOne(page);
  await inEmbed(page, ".ll-copy").click();
  await page.waitForFunction(
    () => document.querySelector("#export-under-test").shadowRoot.querySelector(".ll-export-status").textContent.includes("copied"),
  );
  assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())), summary);

  // A browser that refuses: the JSON appears, selected, in a read-only field.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
  });
  await inEmbed(page, ".ll-copy").click();
  const fallback = inEmbed(page, ".ll-copy-fallback");
  await fallback.waitFor({ state: "visible" });
  assert.deepEqual(JSON.parse(await fallback.inputValue()), summary);
  assertNoErrors(errors);
});
