// "Run the Python too" as a reader meets it (www/python/lesson.js): nothing of Python
// is loaded until asked; one click downloads Pyodide from the site's own folder with
// a progress bar and runs the Python the lesson shows; the run is drawn under the
// Rust run (a timeline, a table with one row per task) and `run({ language:
// "python" })` resolves to its summary, shaped as the Rust one. Bad input is refused
// with a clear message. Screenshots: target/e2e/python-run-{light,dark}.png.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, assertNoErrors, openServedPage } from "./lib.mjs";

/** Resources the page fetched whose URL contains `part`. */
function fetched(page, part) {
  return page.evaluate((part) => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes(part)), part);
}

test("Run the Python too: loaded on the click, drawn under the Rust run, the summary in the same shape", { timeout: 240_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const id = "sequential-vs-concurrent";
  const lab = page.locator(`#lesson-${id}`);
  await lab.scrollIntoViewIfNeeded();
  await page.evaluate((id) => document.getElementById(`lesson-${id}`)._mount(), id);
  assert.deepEqual(await fetched(page, "/pyodide/"), [], "Pyodide was fetched before anyone asked for Python");
  assert.deepEqual(await fetched(page, "/www/python/"), [], "www/python/ was fetched before anyone asked for Python");

  // Small waits, set in the form as a reader would: the Python run takes them too.
  for (const [key, value] of [["alice-ms", "200"], ["bob-ms", "400"]]) await lab.locator(`input[name="${key}"]`).fill(value);
  const rust = await page.evaluate((id) => document.getElementById(`lesson-${id}`).run(), id);
  assert.equal(rust.language, "rust");

  await lab.getByRole("button", { name: "Run the Python too" }).click();
  await lab.locator(".ll-python progress").waitFor({ timeout: 10_000 });
  // Drawn live: the run's timeline is there while the program still runs.
  await lab.locator('.ll-python[data-state="running"] .ll-python-run-box canvas').waitFor({ timeout: 120_000 });
  await lab.locator('.ll-python[data-state="done"]').waitFor({ timeout: 120_000 });
  const shown = await page.evaluate((id) => {
    const box = document.getElementById(`lesson-${id}`).shadowRoot.querySelector(".ll-python");
    return { rows: box.querySelectorAll("tbody tr").length, canvas: box.querySelector("canvas")?.width ?? 0, said: box.querySelector(".ll-python-status").textContent,
      compare: box.querySelector(".ll-python-compare").textContent };
  }, id);
  assert.ok((await fetched(page, "/pyodide/pyodide.asm.wasm")).length === 1, "Pyodide's wasm came from the site's own pyodide/ folder");

  // The same run again through the API: its summary.
  const python = await page.evaluate((id) => document.getElementById(`lesson-${id}`).run({ language: "python" }), id);
  assert.equal(python.language, "python");
  assert.equal(python.error, null, python.error);
  assert.deepEqual(Object.keys(python).sort(), Object.keys(rust).sort(), "the Python summary has the Rust summary's keys");
  assert.deepEqual(Object.keys(python.tasks[0]).sort(), Object.keys(rust.tasks[0]).sort());
  assert.ok(python.tasks.every((task) => task.outcome === "done"), JSON.stringify(python.tasks));
  // One after another (0.2 s + 0.4 s), then together (the longest, 0.4 s): about 1 s.
  assert.ok(python.total_ms > 950 && python.total_ms < 1000 * 1.25 + 150, `the Python run took ${python.total_ms} ms`);
  assert.equal(shown.rows, python.tasks.length, "one table row per Python task");
  assert.ok(shown.canvas > 0, "the Python run has a timeline");
  // The verdict of the Python run, then its figures beside the Rust run's (ms() groups thousands with a thin space).
  const n = "[\\d\u2009.]+";
  assert.match(shown.said, new RegExp(`^CPython: sequential ${n} ms, concurrent ${n} ms — ${n}× faster\\.`));
  assert.match(shown.compare, new RegExp(`^CPython / Rust \\(the last run above, with the parameters it had\\): sequential ${n} ms / ${n} ms; concurrent ${n} ms / ${n} ms; speedup ${n}× / ${n}×\\.$`));
  // Only one download, however many runs.
  assert.equal((await fetched(page, "/pyodide/pyodide.asm.wasm")).length, 1);

  await mkdir(join(ROOT, "target/e2e"), { recursive: true });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await lab.locator(".ll-python").scrollIntoViewIfNeeded();
    await lab.screenshot({ path: join(ROOT, `target/e2e/python-run-${scheme}.png`) });
  }
  assertNoErrors(errors);
});

test("run({ language }) refuses what it cannot run, and says why", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const said = await page.evaluate(async () => {
    const attempt = (p) => p.then(() => "no error", (e) => e.message);
    return {
      bogus: await attempt(document.getElementById("lesson-lazy").run({ language: "ruby" })),
      playground: await attempt(document.getElementById("lesson-playground").run({ language: "python" })),
    };
  });
  assert.match(said.bogus, /run\(\) runs "rust" or "python", not "ruby"/);
  assert.match(said.playground, /playground/i);
  assert.deepEqual(await fetched(page, "/pyodide/"), [], "a refused run downloads nothing");
  assertNoErrors(errors);
});

test("the npm package runs a lesson's Python: mount({ python: true }), handle.run({ language: \"python\" })", { timeout: 240_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  // The package as npm installs it beside `pyodide`: /pkg/python/load.js finds /pyodide/.
  const result = await page.evaluate(async () => {
    const looplab = await import("/pkg/index.js");
    const target = document.createElement("div");
    document.body.append(target);
    const handle = await looplab.mount(target, "sequential-vs-concurrent", { params: { "alice-ms": 100, "bob-ms": 200 }, python: true });
    const button = target.shadowRoot.querySelector(".ll-python-run")?.textContent ?? null;
    const refused = await handle.run({ language: "perl" }).then(() => "no error", (e) => e.message);
    const summary = await handle.run({ language: "python" });
    const rows = target.shadowRoot.querySelectorAll(".ll-python tbody tr").length;
    return { button, refused, summary, rows };
  });
  assert.equal(result.button, "Run the Python too", "python: true shows the button");
  assert.match(result.refused, /run\(\) runs "rust" or "python", not "perl"/);
  assert.equal(result.summary.language, "python");
  assert.equal(result.summary.error, null, result.summary.error);
  assert.deepEqual(result.summary.tasks.map((task) => task.name), ["main", "greet", "greet"]);
  assert.equal(result.rows, 3, "the Python run is drawn in the mounted lesson");
  // 100 + 200 ms one after the other, then 200 ms together.
  assert.ok(result.summary.total_ms >= 500 && result.summary.total_ms < 500 * 1.25 + 150, `${result.summary.total_ms} ms`);
  assert.ok((await fetched(page, "/pyodide/pyodide.asm.wasm")).length === 1, "Pyodide came from node_modules' layout: ../pyodide/ beside the package");
  assertNoErrors(errors);
});

test("gather-fetch: the reader's own URLs go into the Python shown, and the Python run fetches them", { timeout: 240_000 }, async (t) => {
  const { page, server, errors } = await openServedPage(t);
  const id = "gather-fetch";
  const lab = page.locator(`#lesson-${id}`);
  await lab.scrollIntoViewIfNeeded();
  await page.evaluate((id) => document.getElementById(`lesson-${id}`)._mount(), id);
  const urls = [41, 42].map((n) => `${server.origin}/api/users/${n}?delay_ms=100`);
  await lab.locator('textarea[name="urls"], input[name="urls"]').fill(urls.join(" "));
  const shown = await lab.locator(".language-python").textContent();
  assert.ok(shown.includes(`urls = ${JSON.stringify(urls).replaceAll('","', '", "')}`), `the pane lists the reader's URLs:\n${shown}`);
  const asked = [];
  page.on("request", (r) => asked.push(r.url()));
  const summary = await page.evaluate((id) => document.getElementById(`lesson-${id}`).run({ language: "python" }), id);
  assert.equal(summary.error, null, summary.error);
  assert.deepEqual(summary.tasks.map((task) => task.name), ["main", "fetch_user", "fetch_user"], "awaited one by one, then two gathered tasks");
  for (const url of urls) assert.equal(asked.filter((u) => u === url).length, 2, `${url}: one by one, then together`);
  assert.equal(asked.filter((u) => u.includes("/api/users/") && !urls.includes(u)).length, 0, "no demo URL was fetched");
  assertNoErrors(errors);
});

test("the Python run's waits: on what, at which lines, in its summary and its inspector", { timeout: 240_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const id = "sequential-vs-concurrent";
  const lab = page.locator(`#lesson-${id}`);
  await lab.scrollIntoViewIfNeeded();
  await page.evaluate((id) => document.getElementById(`lesson-${id}`)._mount(), id);
  for (const [key, value] of [["alice-ms", "100"], ["bob-ms", "200"]]) await lab.locator(`input[name="${key}"]`).fill(value);
  const python = await page.evaluate((id) => document.getElementById(`lesson-${id}`).run({ language: "python" }), id);
  assert.equal(python.error, null, python.error);

  // The Python lines as the pane numbers them (4: the sleep in greet; 9 and 10: main
  // awaits each greet; 12: the gather), each with the Rust line that awaits the same
  // thing (the lesson's pairs): 2, 8, 9, 17.
  const lines = (task) => task.waits.map((w) => [w.on, w.python_line, w.rust_line]);
  const [main, ...greets] = python.tasks;
  assert.equal(main.name, "main");
  assert.deepEqual(lines(main), [["timer", 9, 8], ["timer", 10, 9], ["task", 12, 17], ["task", 12, 17]]);
  assert.deepEqual(main.waits.slice(0, 2).map((w) => w.delay_ms), [100, 200], "main sleeps inside greet, Alice's then Bob's delay");
  assert.deepEqual(main.waits.slice(2).map((w) => w.what), ["join greet", "join greet"]);
  assert.deepEqual(greets.map((g) => [g.name, lines(g)]), [["greet", [["timer", 4, 2]]], ["greet", [["timer", 4, 2]]]]);
  assert.deepEqual(greets.map((g) => g.waits[0].delay_ms), [100, 200], "each greet sleeps its parameter");
  for (const task of python.tasks) {
    for (const w of task.waits) assert.ok(w.to_ms !== null && w.to_ms >= w.from_ms, `${task.name}: a wait never ended: ${JSON.stringify(w)}`);
  }
  // Each sleep ends about its delay after it began; a timer fires late, never early.
  // (The timer is set inside the step and the wait begins at the step's end, so the
  // wait may be shorter than the delay by the rest of that step: a few ms at most.)
  for (const w of [...main.waits.slice(0, 2), ...greets.map((g) => g.waits[0])]) {
    assert.ok(w.to_ms - w.from_ms >= w.delay_ms - 5, `a ${w.delay_ms} ms sleep ended after ${w.to_ms - w.from_ms} ms`);
  }

  // The Python run's inspector: every event stepped through, the Python lines marked.
  const box = lab.locator(".ll-python");
  await box.locator(".ll-exports .ll-inspect").click();
  await box.locator(".ll-inspector:not([hidden]) .ll-insp-said").filter({ hasText: / ms — / }).waitFor({ timeout: 20_000 });
  assert.equal(await box.locator(".ll-exports .ll-inspect").getAttribute("aria-expanded"), "true");
  const walk = await page.evaluate((id) => {
    const root = document.getElementById(`lesson-${id}`).shadowRoot;
    const insp = root.querySelector(".ll-python .ll-inspector");
    const next = insp.querySelector('.ll-insp-bar button[aria-keyshortcuts="ArrowRight"]');
    const marked = (cls) => [...root.querySelectorAll(`.code-pair code.${cls} mark.ll-parked`)].map((m) => Number(m.parentElement.dataset.line));
    const seen = [];
    for (let i = 0; i < 500 && next.getAttribute("aria-disabled") !== "true"; i++) {
      next.click();
      seen.push({ said: insp.querySelector(".ll-insp-said").textContent, python: marked("language-python"), rust: marked("language-rust") });
    }
    return { seen, rustPanel: root.querySelectorAll(".ll-inspector").length };
  }, id);
  t.diagnostic(`${walk.seen.length} events stepped through in the Python run's inspector`);
  const first = (line) => walk.seen.findIndex((s) => s.python.includes(line));
  for (const line of [4, 9, 10, 12]) assert.ok(first(line) >= 0, `Python line ${line} was never marked`);
  assert.ok(first(9) < first(10) && first(10) < first(12) && first(12) <= first(4), `lines marked first at ${[9, 10, 12, 4].map(first)}`);
  const gathered = walk.seen.find((s) => s.python.includes(12) && s.python.includes(4));
  assert.ok(gathered, "while main waits at the gather, the greets wait at their sleep");
  assert.ok(walk.seen.every((s) => s.rust.length === 0), "the Python run marks no Rust line");
  // In asyncio's words: a step, suspended at an await (not a poll returning Pending).
  assert.ok(walk.seen.some((s) => /main suspends at an await and gives the thread back, waiting on sleep 100 ms/.test(s.said)), walk.seen.map((s) => s.said).join("\n"));
  assert.ok(walk.seen.every((s) => !/Pending|polls/.test(s.said)), walk.seen.map((s) => s.said).join("\n"));
  const legend = await box.locator(".ll-inspector .ll-legend").textContent();
  assert.match(legend, /running a task's step/);
  assert.doesNotMatch(legend, /poll/, "the Python run's legend speaks of steps");
  await lab.locator(".ll-python").scrollIntoViewIfNeeded();
  await mkdir(join(ROOT, "target/e2e"), { recursive: true });
  await lab.screenshot({ path: join(ROOT, "target/e2e/python-waits.png") });
  assertNoErrors(errors);
});
