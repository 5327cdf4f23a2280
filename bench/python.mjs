// Pyodide, measured: what "Run the Python too" downloads, how long it takes from the
// click to the first Python step, and what tracing costs per asyncio step.
//
//   node bench/python.mjs http://127.0.0.1:PORT/examples/first-load/python.html
//
// The page is a host page of the static site (`cargo xtask dist`'s layout, with
// Pyodide in pyodide/) holding one <loop-lab python> element. Prints one JSON object
// on stdout (the report's `python`, see xtask/src/bench/python.rs); progress and the
// page's console go to stderr.
//
// The first step. The time is taken in the page: `performance.now()` just before the
// button's click(), and the first Python step from the run's own record. When a run
// ends, its record is published as `performance.measure` entries, one per step,
// stamped on the page's clock (src/view/export.rs, for DevTools' Performance
// panel); the earliest entry after the click is the first task's first step. Cold:
// a fresh browser context (empty cache, no Pyodide), so the click downloads and
// starts Pyodide. Warm: the same button again on the same page (Pyodide loaded).
//
// The steps. Once Pyodide is loaded, the page imports www/python/run.js and runs one
// asyncio program, N tasks each awaiting `asyncio.sleep(0)` M times, traced and
// untraced, alternately; the program times itself (time.monotonic(), which is
// performance.now() in Pyodide). Then one task alone (each step a turn of the
// browser's loop: Pyodide's WebLoop posts a MessageChannel message per callback),
// beside a plain-JavaScript MessageChannel ping-pong.

import { createRequire } from "node:module";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-quic"];
/** Fresh browser contexts (cold runs), and warm runs in each. */
const COLD = 3;
const WARM = 3;
/** Traced and untraced runs of the step program, each. */
const STEP_RUNS = 5;
/** What each step program should last, about. */
const TARGET_MS = 1000;
/** The step program's tasks. */
const TASKS = 100;
/** A Python run (download included) may take this long. */
const RUN_TIMEOUT_MS = 180_000;

const STEP_PROGRAM = `
import asyncio
import time

async def worker(m):
    for _ in range(m):
        await asyncio.sleep(0)

async def main():
    start = time.monotonic()
    await asyncio.gather(*(worker(params["m"]) for _ in range(params["n"])))
    print(f"{(time.monotonic() - start) * 1000:.3f}")

asyncio.run(main())
`;

async function main(url) {
  if (!url) throw new Error("usage: node bench/python.mjs <url of a host page with one <loop-lab python>>");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  try {
    const cold = [];
    const warm = [];
    let first = null;
    for (let i = 0; i < COLD; i++) {
      process.stderr.write(`python: cold run ${i + 1} of ${COLD}\n`);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const opened = await open(context, url);
        cold.push(await firstStep(opened.page));
        const afterCold = opened.requested.length;
        for (let w = 0; w < WARM; w++) warm.push(await firstStep(opened.page));
        if (i === 0) first = { page: await pageFacts(opened, afterCold), steps: await stepCosts(opened.page) };
      } finally {
        await context.close();
      }
    }
    const out = {
      lesson: await lessonOf(url),
      cold: { ...stats(cold.map((r) => r.first_step_ms)), fetched_ms: stats(cold.map((r) => r.fetched_ms)), ready_ms: stats(cold.map((r) => r.ready_ms)) },
      warm: { ...stats(warm.map((r) => r.first_step_ms)), ready_ms: stats(warm.map((r) => r.ready_ms)) },
      fetched: first.page.fetched,
      fetched_before_click: first.page.before,
      ...first.steps,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await browser.close();
  }
}

/** The lesson the host page embeds. */
async function lessonOf(url) {
  const html = await (await fetch(url)).text();
  return /<loop-lab lesson="([^"]+)"/.exec(html)?.[1] ?? null;
}

/**
 * Opens the host page; resolves once its lesson is mounted and the network is idle,
 * to `{page, requested, before}`: the paths requested under /pyodide/ (a live list),
 * and how many of them were requested before any click.
 */
async function open(context, url) {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && process.stderr.write(`[page error] ${m.text()}\n`));
  page.on("pageerror", (e) => process.stderr.write(`[page error] ${e.message}\n`));
  page.on("response", (r) => r.status() >= 400 && process.stderr.write(`[page] ${r.url()} answered ${r.status()}\n`));
  const requested = [];
  page.on("request", (r) => new URL(r.url()).pathname.startsWith("/pyodide/") && requested.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector("loop-lab")?.shadowRoot?.querySelector("button.ll-python-run"), null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => performance.setResourceTimingBufferSize(10_000));
  return { page, requested, before: requested.length };
}

/**
 * Clicks "Run the Python too" and waits for the run to end; returns the ms from the
 * click to the first step and to the last byte of Pyodide's files fetched meanwhile.
 */
async function firstStep(page) {
  const run = await page.evaluate(async (timeout) => {
    const root = document.querySelector("loop-lab").shadowRoot;
    let seen = false;
    let ready = null;
    let timer;
    const ended = new Promise((resolve, reject) => {
      const observer = new MutationObserver(() => {
        // lesson.js says so as soon as loadPython() resolves, just before it runs the program.
        if (ready === null && root.querySelector(".ll-python-status")?.textContent.startsWith("Python is running")) ready = performance.now();
        const state = root.querySelector(".ll-python")?.dataset.state;
        seen ||= state === "running";
        if (seen && (state === "done" || state === "error")) {
          observer.disconnect();
          resolve(state === "done" ? null : root.querySelector(".ll-python-status")?.textContent);
        }
      });
      observer.observe(root, { subtree: true, attributes: true, attributeFilter: ["data-state"], childList: true, characterData: true });
      timer = setTimeout(() => reject(new Error(`the Python run did not end within ${timeout} ms`)), timeout);
    });
    const clicked = performance.now();
    root.querySelector("button.ll-python-run").click();
    const error = await ended.finally(() => clearTimeout(timer));
    const steps = performance.getEntriesByType("measure").filter((m) => m.detail?.devtools?.trackGroup === "Loop Lab" && m.startTime >= clicked);
    const files = performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname.startsWith("/pyodide/") && e.startTime >= clicked);
    return {
      error,
      first_step_ms: steps.length ? Math.min(...steps.map((m) => m.startTime)) - clicked : null,
      fetched_ms: files.length ? Math.max(...files.map((e) => e.responseEnd)) - clicked : null,
      ready_ms: ready === null ? null : ready - clicked,
      said: root.querySelector(".ll-python-status")?.textContent,
    };
  }, RUN_TIMEOUT_MS);
  if (run.error) throw new Error(`the Python run failed: ${run.error}`);
  if (run.first_step_ms === null) throw new Error("the Python run published no step after the click");
  process.stderr.write(`python: first step ${run.first_step_ms.toFixed(1)} ms after the click (${run.said})\n`);
  return run;
}

/**
 * What the first cold run fetched under /pyodide/ (Resource Timing), how many requests
 * there were before its click, by it (`afterCold` in all), and by the warm runs after.
 */
async function pageFacts({ page, requested, before }, afterCold) {
  const files = await page.evaluate(() =>
    performance.getEntriesByType("resource")
      .filter((e) => new URL(e.name).pathname.startsWith("/pyodide/"))
      .map((e) => ({ path: new URL(e.name).pathname, bytes: e.decodedBodySize, transferred_bytes: e.transferSize })));
  const sum = (key) => files.reduce((total, f) => total + f[key], 0);
  return {
    before,
    fetched: { requests: afterCold - before, warm_requests: requested.length - afterCold, files, bytes: sum("bytes"), transferred_bytes: sum("transferred_bytes") },
  };
}

/** The step program traced and untraced, and sleep(0) alone; see the file's head. */
async function stepCosts(page) {
  process.stderr.write("python: calibrating the step program\n");
  const m = await calibrate(page, TASKS);
  const traced = [];
  const untraced = [];
  for (let i = 0; i < STEP_RUNS; i++) {
    process.stderr.write(`python: ${TASKS} tasks × ${m} sleep(0), run ${i + 1} of ${STEP_RUNS}\n`);
    untraced.push(await runSteps(page, TASKS, m, false));
    traced.push(await runSteps(page, TASKS, m, true));
  }
  const m1 = await calibrate(page, 1);
  const sleeps = [];
  const tracedSleeps = [];
  for (let i = 0; i < STEP_RUNS; i++) {
    process.stderr.write(`python: 1 task × ${m1} sleep(0), run ${i + 1} of ${STEP_RUNS}\n`);
    sleeps.push(await runSteps(page, 1, m1, false));
    tracedSleeps.push(await runSteps(page, 1, m1, true));
  }
  const pings = [];
  for (let i = 0; i < STEP_RUNS; i++) pings.push(await page.evaluate(messageRoundTrip, m1));
  return {
    steps: {
      tasks: TASKS, sleeps: m, steps: traced[0].steps, recorded_steps: traced[0].recorded,
      traced: { us_per_step: stats(traced.map((r) => r.us_per_step)), call_ms: stats(traced.map((r) => r.call_ms)) },
      untraced: { us_per_step: stats(untraced.map((r) => r.us_per_step)), call_ms: stats(untraced.map((r) => r.call_ms)) },
      ratio: stats(traced.map((r, i) => r.us_per_step / untraced[i].us_per_step)),
    },
    sleep0: {
      sleeps: m1, us_per_step: stats(sleeps.map((r) => r.us_per_step)),
      traced_us_per_step: stats(tracedSleeps.map((r) => r.us_per_step)), js_message_us: stats(pings),
    },
  };
}

/** How many sleeps per task make the step program of `n` tasks last about TARGET_MS, untraced. */
async function calibrate(page, n) {
  let m = 10;
  for (let round = 0; round < 3; round++) {
    const run = await runSteps(page, n, m, false);
    const next = clamp(Math.round((TARGET_MS * 1000) / run.us_per_step / n), 10, 1_000_000);
    process.stderr.write(`python: calibrating ${n} task(s): ${m} sleeps took ${run.us_per_step.toFixed(1)} µs a step\n`);
    if (Math.abs(next - m) < 0.1 * m) break;
    m = next;
  }
  return m;
}

/** One run of the step program: µs per step (by the program's own clock), the whole call's ms. */
async function runSteps(page, n, m, trace) {
  const run = await page.evaluate(async ({ program, n, m, trace }) => {
    const at = (file) => new URL(`/www/python/${file}`, location.href).href; // lesson.js's modules: the same instances
    const [{ loadPython }, { runPython }] = await Promise.all([import(at("load.js")), import(at("run.js"))]);
    const pyodide = await loadPython();
    const start = performance.now();
    const record = await runPython(pyodide, program, { params: { n, m }, trace });
    const call = performance.now() - start;
    const recorded = record.events.filter((e) => e.kind === "poll_start").length;
    return { error: record.error, printed: record.output.at(-1)?.text, call, recorded };
  }, { program: STEP_PROGRAM, n, m, trace });
  if (run.error) throw new Error(`the step program failed: ${run.error}`);
  // Each worker: a first step and one after each sleep; main: a first step and the last.
  const steps = n * (m + 1) + 2;
  return { steps, recorded: trace ? run.recorded : null, us_per_step: (Number(run.printed) * 1000) / steps, call_ms: run.call };
}

/** In the page: µs per round trip of a MessageChannel message, `n` in a row. */
function messageRoundTrip(n) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    let left = n;
    const start = performance.now();
    channel.port1.onmessage = () => {
      if (--left > 0) return channel.port2.postMessage(0);
      channel.port1.close();
      resolve(((performance.now() - start) * 1000) / n);
    };
    channel.port2.postMessage(0);
  });
}

/** Median, minimum and maximum of `values`, and the values. */
function stats(values) {
  const sorted = values.filter((v) => typeof v === "number").sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length === 0 ? null : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0] ?? null, max: sorted.at(-1) ?? null, runs: values };
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

main(process.argv[2]).catch((error) => {
  process.stderr.write(`python: ${error.stack ?? error}\n`);
  process.exit(1);
});
