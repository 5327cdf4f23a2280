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
  await lab.locator('.ll-python[data-state="done"]').waitFor({ timeout: 120_000 });
  const shown = await page.evaluate((id) => {
    const box = document.getElementById(`lesson-${id}`).shadowRoot.querySelector(".ll-python");
    return { rows: box.querySelectorAll("tbody tr").length, canvas: box.querySelector("canvas")?.width ?? 0, said: box.querySelector(".ll-python-status").textContent };
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
  assert.match(shown.said, /CPython: [\d,]+ ms with \d+ tasks?; Rust, the last run above: [\d,]+ ms with 4 tasks\./);
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
