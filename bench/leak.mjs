// Does Loop Lab give back what a run takes? Runs one lesson many times in a row on
// the lesson page and reads, after run 10 and after the last run, the wasm memory
// (`__looplabProbe().wasm_bytes`: linear memory only grows, so growth is what a run
// kept) and the JS heap after a forced garbage collection (CDP
// HeapProfiler.collectGarbage + Runtime.getHeapUsage).
//
// Shared by `cargo xtask bench` (bench/run.mjs → report.json `reliability.leak`)
// and the e2e test (e2e/leak.test.mjs), which bounds the growth.

import { addLesson } from "../e2e/lib.mjs";

/** Lessons that make many tasks, polls, timers and fetches, with short delays. */
export const CANDIDATES = [
  ["limit", { requests: "24", k: "6", "delay-ms": "0" }],
  ["mental-model", { tasks: "10", steps: "20", "work-ms": "0" }],
  ["sequential-vs-concurrent", { "alice-ms": "5", "bob-ms": "10" }],
  ["errors", { "fail-ms": "5" }],
];


async function probe(page) {
  return JSON.parse(await page.evaluate(async () => (await import("/pkg/looplab.js")).__looplabProbe()));
}

/** Runs each candidate once; the heaviest is the one whose run recorded most events (of those that run within a second). */
export async function pickHeaviest(page) {
  const measured = [];
  for (const [id, attrs] of CANDIDATES) {
    const el = await addLesson(page, id, attrs);
    const before = new Set((await probe(page)).records.map(([r]) => r));
    const t0 = Date.now();
    const summary = await el.evaluate((e) => e.run());
    const ms = Date.now() - t0;
    const mine = (await probe(page)).records.find(([r]) => !before.has(r));
    measured.push({ id, attrs, events: mine ? mine[1] : 0, tasks: summary.tasks.length, ms });
    await el.evaluate((e) => e.remove());
  }
  measured.sort((a, b) => b.events - a.events);
  // 500 runs must fit the test's ten minutes: a candidate whose one run takes over a
  // second (mental-model's workers sleep up to 165 ms × 20 steps) is passed over while
  // a quicker one is left.
  const quick = measured.filter((m) => m.ms <= 1000);
  return { heaviest: quick[0] ?? measured[0], measured };
}

/** `{run, wasm_bytes, js_heap_bytes, live_records}` now, after a full GC. */
async function sample(page, cdp, run) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  const p = await probe(page);
  // performance.measure entries (DevTools tracks, src/view/export.rs) live outside
  // the V8 heap: counted separately.
  const measures = await page.evaluate(() => performance.getEntriesByType("measure").length);
  return { run, wasm_bytes: p.wasm_bytes, js_heap_bytes: usedSize, live_records: p.records.length, measure_entries: measures };
}

/** Runs lesson `id` `runs` times in one element; samples after run 10 and the last. */
export async function measureLeak(page, { id, attrs }, runs = 500) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.enable");
  const el = await addLesson(page, id, attrs);
  const samples = [];
  const t0 = Date.now();
  for (let i = 1; i <= runs; i++) {
    const error = await el.evaluate((e) => e.run().then((s) => s.error, (err) => err.message));
    if (error) throw new Error(`run ${i} of ${id} failed: ${error}`);
    if (i === 10 || i === runs) samples.push(await sample(page, cdp, i));
  }
  const [early, last] = samples;
  return {
    lesson: id,
    attrs,
    runs,
    ms_per_run: (Date.now() - t0) / runs,
    after_10: early,
    after_last: last,
    wasm_growth_bytes: last.wasm_bytes - early.wasm_bytes,
    js_heap_growth_bytes: last.js_heap_bytes - early.js_heap_bytes,
    measure_entries_growth: last.measure_entries - early.measure_entries,
  };
}
