// The `cargo xtask dist` output on a plain static host, under a sub-path: no
// server answers api/, so the page must register the Service Worker and the
// proof's fetch must be answered by it. The site ships none of the dev server's
// hostile routes (api/hostile/…): no file names one, and the worker answers none.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertNoErrors, assertProofConcurrent, launchBrowser, openPage, runProof, ROOT, screenshot,
  startStaticServer, waitReady, XTASK,
} from "./lib.mjs";

test("dist under /docs/looplab/ on a static host: Service Worker API, concurrent proof, the Python offline", { timeout: 300_000 }, async (t) => {
  const tmp = await mkdtemp(join(tmpdir(), "looplab-dist-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  execFileSync(XTASK, ["dist", "--out", join(tmp, "site/docs/looplab")], { cwd: ROOT, stdio: "inherit" });
  assert.deepEqual(await filesNaming(join(tmp, "site"), "hostile"), [], "files of the site naming a hostile route");

  const server = await startStaticServer(join(tmp, "site"));
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser);
  // Offline but for the host: any request to another origin is refused and noted.
  const elsewhere = [];
  await page.context().route((url) => url.origin !== server.origin, (route) => {
    elsewhere.push(route.request().url());
    return route.abort();
  });

  await page.goto(`${server.origin}/docs/looplab/`);
  await waitReady(page, errors);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.api), "service-worker");

  const proof = await runProof(page);
  await screenshot(page, "dist");
  assertProofConcurrent(proof);
  // Not even the probe of api/health: the site's own static api/health says no
  // server answers there, so the host logs no 404 before the worker starts.
  assertNoErrors(errors);

  // The dev server's hostile routes are unknown here: each is the API's plain 404.
  const answers = await page.evaluate(() => Promise.all(
    ["500", "not-json", "huge?mb=1", "huge?mb=1&length=0", "stall", "no-cors"].map(async (what) => {
      const response = await fetch(`api/hostile/${what}`);
      return { what, status: response.status, body: response.status === 404 ? await response.json() : null };
    }),
  ));
  for (const { what, status, body } of answers) {
    assert.equal(status, 404, `api/hostile/${what}`);
    assert.match(body.error, /^no API route "hostile\//, `api/hostile/${what}`);
  }

  // The Python of a lesson runs from the site alone: Pyodide is in its pyodide/ folder.
  const lab = page.locator("#lesson-sequential-vs-concurrent");
  await lab.scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById("lesson-sequential-vs-concurrent")._mount());
  for (const [key, value] of [["alice-ms", "100"], ["bob-ms", "200"]]) await lab.locator(`input[name="${key}"]`).fill(value);
  const python = await page.evaluate(() => document.getElementById("lesson-sequential-vs-concurrent").run({ language: "python" }));
  assert.equal(python.error, null, python.error);
  assert.equal(python.language, "python");
  assert.ok(python.total_ms >= 480, `the Python run took ${python.total_ms} ms for 100 + 200 ms, then 200 ms together`);
  const pyodide = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/pyodide/")));
  assert.ok(pyodide.includes(`${server.origin}/docs/looplab/pyodide/pyodide.asm.wasm`), pyodide.join(" "));
  assert.deepEqual(elsewhere, [], "requests to other origins");
  assertNoErrors(errors, (e) => e.url.includes("/api/hostile/")); // the 404s asked for above
});

/** Every file under `dir` whose bytes contain `word` (any case), as paths relative to `dir`. */
async function filesNaming(dir, word) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const found = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const text = (await readFile(path)).toString("latin1").toLowerCase();
    if (text.includes(word)) found.push(path.slice(dir.length + 1));
  }
  return found;
}
