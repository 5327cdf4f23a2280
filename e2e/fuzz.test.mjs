// A reader clicking everything: 1 000 random actions spread over every lesson and
// the playground — typing random values (valid, out of range, garbage) into their
// fields, Run, Cancel, rerun, changing a field mid-run, the other buttons — must
// bring no panic, no console error and no unhandled rejection, and every element
// must still run correctly afterwards.
//
// The actions come from a seeded generator; the seed is printed, and
// LOOPLAB_SEED=<seed> replays the same sequence.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, openServedPage, seededRandom } from "./lib.mjs";

const ACTIONS = Number(process.env.LOOPLAB_FUZZ_ACTIONS ?? 1000);

/** Values a reader might type: small valid numbers most of the time, then the rest. */
function randomValue(random, input) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const min = Number(input.min || 0);
  const r = random();
  if (r < 0.55) return String(Math.max(min, Math.floor(random() * 60))); // small and quick
  if (r < 0.65) return String(Math.floor(random() * 2_000_000) - 1_000_000);
  if (r < 0.75) return "";
  return pick([
    "-1", "0", "1e309", "NaN", "12.5", " 7 ", "0x10", "١٢", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    "http://127.0.0.1:9/", "%00", "9".repeat(400), "👩‍💻", "sleep:10", "n=3;s=sleep:5", "\u202e20",
  ]);
}

test("1 000 random actions on every lesson and the playground: no panic, no error", { timeout: 900_000 }, async (t) => {
  const random = seededRandom(t);
  const { seed } = random;
  const { page, errors } = await openServedPage(t);
  // No new tabs (Open in Perfetto), and every unhandled rejection counted.
  await page.evaluate(() => {
    window.open = () => null;
    window.__rejections = [];
    window.addEventListener("unhandledrejection", (e) => window.__rejections.push(String(e.reason?.message ?? e.reason)));
  });

  // A fresh, mounted element per lesson, in a box of its own at the end of the page.
  const ids = await page.evaluate(async () => {
    const ids = [...new Set([...document.querySelectorAll("main loop-lab")].map((e) => e.getAttribute("lesson")))];
    const box = document.createElement("section");
    box.id = "fuzz";
    document.querySelector("main").append(box);
    for (const id of ids) {
      const el = document.createElement("loop-lab");
      el.setAttribute("lesson", id);
      el.dataset.fuzz = id;
      box.append(el);
      el.scrollIntoView();
    }
    await Promise.all([...box.querySelectorAll("loop-lab")].map((el) => el._mount()));
    return ids;
  });
  assert.ok(ids.includes("playground"), "the playground is on the page");

  const counts = {};
  for (let i = 0; i < ACTIONS; i += 1) {
    const id = ids[Math.floor(random() * ids.length)];
    const r = random();
    const kind = r < 0.4 ? "type" : r < 0.6 ? "run" : r < 0.75 ? "cancel" : r < 0.9 ? "click" : "wait";
    counts[kind] = (counts[kind] ?? 0) + 1;
    const arg = { id, kind, pick: random(), value: null, wait: Math.floor(random() * 60) };
    if (kind === "type") arg.value = randomValue(random, { min: 0 });
    await page.evaluate(async ({ id, kind, pick, value, wait }) => {
      const root = document.querySelector(`#fuzz loop-lab[data-fuzz="${id}"]`).shadowRoot;
      const choose = (list) => list[Math.floor(pick * list.length)];
      if (kind === "type") {
        const field = choose([...root.querySelectorAll("input:not([type=checkbox]), textarea")]);
        if (field) {
          field.value = value;
          field.dispatchEvent(new Event("input", { bubbles: true }));
          field.dispatchEvent(new Event("change", { bubbles: true }));
        } else {
          const select = choose([...root.querySelectorAll("select")]);
          if (select && select.options.length) {
            select.selectedIndex = Math.floor(pick * select.options.length);
            select.dispatchEvent(new Event("change", { bubbles: true }));
          }
        }
      } else if (kind === "run") {
        root.querySelector("button.run")?.click();
      } else if (kind === "cancel") {
        root.querySelector("button.cancel")?.click();
      } else if (kind === "click") {
        // Any other control: add/remove steps, replay speeds, share, copy…
        const buttons = [...root.querySelectorAll("button:not(.run):not(.cancel):not(.ll-perfetto), input[type=checkbox]")]
          .filter((b) => !b.disabled && !b.closest("[hidden]"));
        choose(buttons)?.click();
      } else {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }, arg);
  }
  t.diagnostic(`actions: ${JSON.stringify(counts)}`);

  // Stop everything still running, then check each element still works.
  await page.evaluate(() => document.querySelectorAll("#fuzz loop-lab").forEach((el) => el.cancel()));
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => ({
    rejections: window.__rejections,
    panics: [...document.querySelectorAll("#fuzz loop-lab")]
      .filter((el) => /went wrong inside Loop Lab/i.test(el.shadowRoot.textContent))
      .map((el) => el.dataset.fuzz),
  }));
  assert.deepEqual(state.rejections, [], `unhandled rejections (seed ${seed})`);
  assert.deepEqual(state.panics, [], `panic messages shown (seed ${seed})`);
  assertNoErrors(errors, (e) => /127\.0\.0\.1:9\b/.test(e.text + e.url));

  // Afterwards a fresh element of a lesson runs as it should: nothing was left broken.
  const summary = await page.evaluate(async () => {
    const el = document.createElement("loop-lab");
    el.setAttribute("lesson", "sequential-vs-concurrent");
    el.setAttribute("alice-ms", "50");
    el.setAttribute("bob-ms", "100");
    document.querySelector("#fuzz").append(el);
    return el.run();
  });
  assert.equal(summary.error, null);
  assert.ok(summary.figures.concurrent_ms < summary.figures.sequential_ms);
});
