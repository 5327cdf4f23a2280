// The lesson page under the dev server: it finds the server's demo API, and
// the proof panel shows three tasks running concurrently on the event loop.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, assertProofConcurrent, openServedPage, runProof, screenshot } from "./lib.mjs";

test("lesson page under `xtask serve`: server API, concurrent proof, no errors", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.api), "server");

  const proof = await runProof(page);
  await screenshot(page, "page");
  assertProofConcurrent(proof);
  assertNoErrors(errors);
});
