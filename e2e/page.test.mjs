// The lesson page under the dev server: it finds the server's demo API, the
// proof panel shows the code it runs (cut from its source file, as every lesson's)
// and three tasks running concurrently on the event loop.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, assertNoErrors, assertProofConcurrent, openServedPage, runProof, screenshot } from "./lib.mjs";

/** The part of a lesson file between its markers, as build.rs cuts it (without `#[rustfmt::skip]`). */
async function excerpt(file) {
  const text = await readFile(join(ROOT, file), "utf8");
  const start = text.indexOf("// lesson:start\n") + "// lesson:start\n".length;
  const cut = text.slice(start, text.indexOf("// lesson:end", start));
  return cut.split("\n").filter((l) => l.trim() !== "#[rustfmt::skip]").join("\n").trimEnd();
}

test("lesson page under `xtask serve`: server API, concurrent proof, no errors", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.api), "server");

  await page.waitForFunction(() => document.getElementById("proof-rust").textContent.length > 0);
  const shown = await page.evaluate(() => ({
    rust: document.getElementById("proof-rust").textContent,
    python: document.getElementById("proof-python").textContent,
    file: document.getElementById("proof-file").textContent,
  }));
  assert.equal(shown.file, "src/lessons/proof.rs");
  assert.equal(shown.rust, await excerpt("src/lessons/proof.rs"), "the proof shows the Rust it runs");
  assert.match(shown.python, /asyncio\.gather\(/);

  const proof = await runProof(page);
  await screenshot(page, "page");
  assertProofConcurrent(proof);
  assertNoErrors(errors);
});
