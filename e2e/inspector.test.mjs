// The inspector (www/inspector.js), driven as a reader drives it: run a lesson, open
// "Inspect step by step", step forward through every event and back again. At known
// events the panel shows the ready queue, what each task waits on and the line it
// is parked at, highlighted in the code — every expectation read from the run's own
// summary and log, never hard-coded timings. Stepping back shows exactly what
// stepping forward showed; `element.inspect(t)` agrees with the panel; the timeline's
// cursor moves the panel; axe-core finds nothing with the inspector open; and a
// lesson mid-step is photographed in light and dark (target/e2e/inspector-*.png).

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, assertNoErrors, launchBrowser, openServedPage, startDevServer, waitReady } from "./lib.mjs";

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Runs lesson `id` with `attrs`, opens its inspector (the page's first); resolves to the run's summary. */
async function runAndInspect(page, id, attrs) {
  const summary = await page.evaluate(async ({ id, attrs }) => {
    const lab = document.querySelector(`loop-lab[lesson="${id}"]`);
    for (const [k, v] of Object.entries(attrs)) lab.setAttribute(k, v);
    lab.scrollIntoView();
    await lab._mount();
    // The parameters are read when the lesson mounts: set the form's fields too.
    for (const [k, v] of Object.entries(attrs)) {
      const input = lab.shadowRoot.querySelector(`input[name="${k}"]`);
      input.value = v;
      input.dispatchEvent(new Event("input"));
    }
    return lab.run();
  }, { id, attrs });
  const root = page.locator(`loop-lab[lesson="${id}"]`);
  assert.equal(await root.locator(".ll-inspect").getAttribute("aria-expanded"), "false");
  // The replay is a module of its own (www/reader.js, pkg/reader/): not loaded until asked for.
  const loaded = () => page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/pkg/reader/")));
  assert.deepEqual(await loaded(), [], "the inspector's module was loaded before the inspector was opened");
  await root.locator(".ll-inspect").click();
  await root.locator(".ll-inspector:not([hidden]) .ll-insp-said").filter({ hasText: / ms — / }).waitFor({ timeout: 10_000 });
  assert.equal(await root.locator(".ll-inspect").getAttribute("aria-expanded"), "true");
  const after = await loaded();
  assert.ok(after.some((n) => n.endsWith("looplab_bg.wasm")), `the inspector's module was not loaded: ${after}`);
  return summary;
}

/** What the panel of lesson `id` shows now: the sentence, the state as text, the marked lines, the log's current entry. */
function panel(page, id) {
  return page.evaluate((id) => {
    const root = document.querySelector(`loop-lab[lesson="${id}"]`).shadowRoot;
    const insp = root.querySelector(".ll-inspector");
    const row = (term) => [...insp.querySelectorAll(".ll-insp-state > div")].find((d) => d.querySelector("dt").textContent === term);
    const items = (term) => [...(row(term)?.querySelectorAll("li") ?? [])].map((li) => li.textContent);
    const marked = (cls) => [...root.querySelectorAll(`.code-pair code.${cls} mark.ll-parked`)].map((m) => Number(m.parentElement.dataset.line));
    return {
      said: insp.querySelector(".ll-insp-said").textContent,
      t: Number(insp.querySelector(".ll-insp-said").dataset.tMs),
      text: insp.querySelector(".ll-insp-state").innerText,
      running: row("Running").querySelector("dd").textContent,
      ready: items("Ready queue"),
      waiting: items("Waiting"),
      rust: marked("language-rust").sort((a, b) => a - b),
      python: marked("language-python").sort((a, b) => a - b),
      current: insp.querySelector(".ll-insp-list [aria-current]")?.textContent ?? null,
      next: insp.querySelector('.ll-insp-bar button[aria-keyshortcuts="ArrowRight"]').getAttribute("aria-disabled") !== "true",
    };
  }, id);
}

/** Clicks a stepping button ("Next event →", "← Previous event", …) of lesson `id`. */
async function press(page, id, name) {
  // A click as the browser gives it, also on a button marked aria-disabled at an end of the run.
  await page.locator(`loop-lab[lesson="${id}"] .ll-insp-bar button`, { hasText: name }).evaluate((b) => b.click());
}

/** Steps from the first event to the last, then back; returns the panels seen going forward. */
async function forwardAndBack(page, id) {
  const forward = [await panel(page, id)];
  while (forward.at(-1).next) {
    assert.ok(forward.length < 500, `${id}: no end to the steps`);
    await press(page, id, "Next event");
    forward.push(await panel(page, id));
  }
  // At the last event "Next event" goes nowhere.
  await press(page, id, "Next event");
  assert.deepEqual(await panel(page, id), forward.at(-1), "Next event past the last event changed the panel");
  assert.ok(forward.length > 10, `only ${forward.length} steps in the run of ${id}`);
  // Back, with the keyboard this time (← on the focused stepping bar), to the first event.
  await page.locator(`loop-lab[lesson="${id}"] .ll-insp-bar button`, { hasText: "Previous event" }).focus();
  for (let n = forward.length - 2; n >= 0; n--) {
    await page.keyboard.press("ArrowLeft");
    assert.deepEqual(await panel(page, id), forward[n], `${id}: step ${n + 1} going back differs from going forward`);
  }
  return forward;
}

/** The panel at the step whose sentence is `said` (it must exist). */
function at(forward, said, what) {
  const found = forward.find((p) => p.said.endsWith(said));
  assert.ok(found, `${what}: no step says "${said}" (${forward.map((p) => p.said).join(" | ")})`);
  return found;
}

/**
 * Asserts that at its parking step, task `task`'s wait `w` (from the run summary) is
 * listed with what it waits on and its line highlighted in both codes. Every wait the
 * two lessons tested here make is at a line with a Python counterpart (their `awaits`
 * tables; src/lessons/awaits_tests.rs checks each pair).
 */
function assertParked(forward, task, w) {
  const p = at(forward, `${task} returns Pending and gives the thread back, waiting on ${w.what}${w.rust_line ? ` (line ${w.rust_line})` : ""}`, task);
  assert.ok(p.waiting.some((item) => item.startsWith(`${task} waits on ${w.what}`)), `${task}: waiting shows ${JSON.stringify(p.waiting)}`);
  assert.ok(w.rust_line, `${task}'s wait on ${w.what} has no Rust line in the summary`);
  assert.ok(p.rust.includes(w.rust_line), `${task}: Rust line ${w.rust_line} not highlighted (${p.rust})`);
  assert.ok(w.python_line, `${task}'s wait on ${w.what} has no Python line in the summary`);
  assert.ok(p.python.includes(w.python_line), `${task}: Python line ${w.python_line} not highlighted (${p.python})`);
  return p;
}

/**
 * `element.inspect(t)` at the instant of step `p` agrees with what the panel lists. Several
 * events can share one instant and inspect(t) gives the state after the last of them, so
 * the panel compared is that of the last step at `p`'s instant.
 */
async function assertInspectAgrees(page, id, forward, p) {
  p = forward.findLast((q) => q.t === p.t);
  const t = p.t;
  const state = await page.evaluate(({ id, t }) => document.querySelector(`loop-lab[lesson="${id}"]`).inspect(t), { id, t });
  assert.deepEqual(p.ready, state.ready, `ready queue at ${t} ms`);
  assert.deepEqual(p.waiting.map((w) => w.split(", since")[0]), state.waiting.map((w) => `${w.task} waits on ${w.what}`), `waits at ${t} ms`);
  if (state.running) assert.equal(p.running, state.running, `running at ${t} ms`);
}

test("sequential-vs-concurrent: every step from the record, the same going back, inspect() agrees", { timeout: 180_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const id = "sequential-vs-concurrent";
  const summary = await runAndInspect(page, id, { "alice-ms": "200", "bob-ms": "400" });
  const forward = await forwardAndBack(page, id);
  t.diagnostic(`${forward.length} steps; first "${forward[0].said}"`);

  // Each greeting parks on its sleep, at the line of the sleep in the code.
  for (const task of summary.tasks.filter((k) => k.waits.some((w) => w.on === "timer"))) {
    const w = task.waits.find((x) => x.on === "timer");
    assert.match(w.what, /^sleep (200|400) ms$/, `${task.name} waits on ${w.what}`);
    const p = assertParked(forward, task.name, w);
    await assertInspectAgrees(page, id, forward, p);
  }
  // Both concurrent greetings are spawned before either is polled: the ready queue holds them, in order.
  const both = at(forward, "concurrent: Bob is spawned and joins the ready queue", "spawn");
  assert.deepEqual(both.ready.slice(-2), ["concurrent: Alice", "concurrent: Bob"]);
  // While both concurrent sleeps run, no task runs and both timers are pending: the loop is idle.
  const idle = forward.find((p) => p.waiting.filter((w) => w.startsWith("concurrent:")).length === 2 && p.ready.length === 0);
  assert.ok(idle, "a step where both concurrent greetings wait");
  assert.match(idle.running, /^idle — the loop waits for a timer, a response or a wake$/);
  assert.match(idle.text, /due at .+ ms, to wake concurrent: Alice/);

  // "Next poll" goes to the next poll's start; the log marks where the panel is.
  await press(page, id, "Next poll");
  const polled = await panel(page, id);
  assert.match(polled.said, / ms — the loop polls /);
  assert.equal(polled.current, polled.said, "the log's current entry is the step shown");

  // The log, filtered by task, lists only that task's events; clicking one goes there.
  const root = page.locator(`loop-lab[lesson="${id}"]`);
  await root.locator(".ll-insp-log select").selectOption("concurrent: Bob");
  const entries = await root.locator(".ll-insp-list button").allTextContents();
  assert.ok(entries.length > 2 && entries.every((e) => e.includes("concurrent: Bob")), entries.join(" | "));
  await root.locator(".ll-insp-list button").nth(1).click();
  const clicked = await panel(page, id);
  assert.equal(clicked.said, entries[1]);
  assert.equal(clicked.current, entries[1]);

  // Moving the cursor on the timeline shows that instant: what inspect(t) says.
  await root.locator("canvas").scrollIntoViewIfNeeded();
  const box = await root.locator("canvas").boundingBox();
  await page.evaluate((id) => {
    const heard = (e) => (window.cursorAt = e.detail);
    document.querySelector(`loop-lab[lesson="${id}"]`).shadowRoot.addEventListener("looplab:cursor", heard);
  }, id);
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 4 });
  await page.waitForFunction(() => window.cursorAt !== undefined, null, { timeout: 10_000 });
  await root.locator(".ll-insp-said", { hasText: "the timeline's cursor" }).waitFor({ timeout: 10_000 });
  const tCursor = await page.evaluate(() => window.cursorAt);
  const there = await panel(page, id);
  const state = await page.evaluate(({ id, t }) => document.querySelector(`loop-lab[lesson="${id}"]`).inspect(t), { id, t: tCursor });
  assert.deepEqual(there.ready, state.ready);
  assert.equal(there.waiting.length, state.waiting.length);

  // Mid-step, photographed in both schemes (looked at by a person: see the report).
  await page.mouse.move(0, 0);
  await root.locator(".ll-insp-log select").selectOption("");
  const mid = forward.indexOf(idle);
  await root.locator(".ll-insp-list button").nth(mid).click();
  await root.locator(".ll-inspector").scrollIntoViewIfNeeded();
  await mkdir(join(ROOT, "target/e2e"), { recursive: true });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await root.screenshot({ path: join(ROOT, `target/e2e/inspector-${scheme}.png`) });
  }
  assertNoErrors(errors);
});

test("errors: the failure, the waits of its siblings and their lines; axe-core finds nothing with the inspector open", { timeout: 180_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const id = "errors";
  const summary = await runAndInspect(page, id, { "fail-ms": "50" });
  const forward = await forwardAndBack(page, id);
  t.diagnostic(`${forward.length} steps`);
  const failed = summary.tasks.filter((k) => k.outcome === "failed");
  assert.ok(failed.length > 0, "some b failed");
  for (const task of failed) {
    const p = at(forward, `${task.name} fails: ${task.error}`, "failure");
    await assertInspectAgrees(page, id, forward, p);
  }
  // Every job parks on its sleep first, at the sleep's line.
  for (const task of summary.tasks.filter((k) => /: [abc]$/.test(k.name) && k.waits.length)) {
    assertParked(forward, task.name, task.waits[0]);
  }
  // A cancelled sibling is told as such; between its dropped wait and its outcome it
  // is said to be being cancelled, not parked on something unknown.
  const cancelled = summary.tasks.find((k) => k.outcome === "cancelled");
  assert.ok(cancelled, "try_join_all and the task group cancel the siblings of b");
  at(forward, `${cancelled.name} is cancelled: dropped at its await`, "cancel");
  const dropped = at(forward, `${cancelled.name} stops waiting on ${cancelled.waits[0].what}: the future was dropped`, "drop");
  assert.ok(dropped.waiting.some((w) => w.startsWith(`${cancelled.name} waits on nothing: what it awaited was dropped, it is being cancelled`)),
    JSON.stringify(dropped.waiting));
  assert.ok(forward.every((p) => !p.text.includes("does not trace")), "every wait of the errors lesson is traced");

  await page.addScriptTag({ path: AXE_SOURCE });
  const found = {};
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    found[scheme] = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" >>> ")) })));
  }
  assert.deepEqual(found, { light: [], dark: [] }, "axe-core violations with the inspector open");
  assertNoErrors(errors);
});

test("the iframe form, compact and narrow: the inspector fits and steps", { timeout: 120_000 }, async (t) => {
  const server = await startDevServer();
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push({ text: m.text(), url: m.location().url }));
  page.on("pageerror", (e) => errors.push({ text: `uncaught: ${e.message}`, url: "" }));
  const id = "sequential-vs-concurrent";
  await page.goto(`${server.origin}/index.html?lesson=${id}&embed&compact&alice-ms=200&bob-ms=400`);
  await waitReady(page, errors);
  await page.waitForFunction(() => document.querySelector("loop-lab")?.shadowRoot?.querySelector("button.run"));
  await page.evaluate(() => document.querySelector("loop-lab").run());
  const root = page.locator("loop-lab");
  await root.locator(".ll-inspect").click();
  await root.locator(".ll-insp-said").filter({ hasText: / ms — / }).waitFor();
  for (let i = 0; i < 6; i++) await press(page, id, "Next poll");
  const p = await panel(page, id);
  assert.match(p.said, / ms — the loop polls /);
  // Nothing wider than the frame: the page does not scroll sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls ${overflow} px sideways`);
  await mkdir(join(ROOT, "target/e2e"), { recursive: true });
  await root.screenshot({ path: join(ROOT, "target/e2e/inspector-compact-iframe-form.png") });
  assertNoErrors(errors);
});

test("element.inspect() before any run says so clearly", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const message = await page.evaluate(async () => {
    const lab = document.querySelector('loop-lab[lesson="lazy"]');
    lab.scrollIntoView();
    await lab._mount();
    try {
      await lab.inspect(10);
      return "no error";
    } catch (error) {
      return error.message;
    }
  });
  assert.match(message, /no run to inspect yet: run the lesson first/);
  assertNoErrors(errors);
});
