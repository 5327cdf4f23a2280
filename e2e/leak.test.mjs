// No leak: 500 runs in a row of the heaviest lesson (picked by measurement: the one
// whose run records most events) must not grow the wasm memory or the JS heap beyond
// a generous bound between run 10 and run 500. The measuring is bench/leak.mjs,
// shared with `cargo xtask bench` (report.json `reliability.leak`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, openServedPage } from "./lib.mjs";
import { measureLeak, pickHeaviest } from "../bench/leak.mjs";

const MIB = 1024 * 1024;

test("500 runs of the heaviest lesson leak nothing that grows", { timeout: 600_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const { heaviest, measured } = await pickHeaviest(page);
  t.diagnostic(`events per run: ${measured.map((m) => `${m.id} ${m.events} (${m.ms} ms)`).join(", ")}`);
  const leak = await measureLeak(page, heaviest, 500);
  t.diagnostic(JSON.stringify(leak));
  assert.equal(leak.after_last.live_records, leak.after_10.live_records, "records of finished runs are freed");
  assert.ok(leak.wasm_growth_bytes < 5 * MIB, `wasm memory grew by ${leak.wasm_growth_bytes} bytes`);
  const heapBound = Math.max(5 * MIB, 0.1 * leak.after_10.js_heap_bytes);
  assert.ok(leak.js_heap_growth_bytes < heapBound, `JS heap grew by ${leak.js_heap_growth_bytes} bytes`);
  assertNoErrors(errors);
  await t.test("performance.measure entries do not pile up", () => {
    assert.ok(leak.measure_entries_growth < 1_000, `${leak.measure_entries_growth} entries added between run 10 and run 500`);
  });
});
