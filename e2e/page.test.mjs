// The lesson page under the dev server: it finds the server's demo API, and
// the proof panel shows three tasks running concurrently on the event loop.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assertNoErrors, assertProofConcurrent, launchBrowser, openPage, runProof, screenshot,
  startDevServer, waitReady,
} from "./lib.mjs";

test("lesson page under `xtask serve`: server API, concurrent proof, no errors", { timeout: 90_000 }, async (t) => {
  const server = await startDevServer();
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser);

  await page.goto(`${server.origin}/`);
  await waitReady(page, errors);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.api), "server");

  const proof = await runProof(page);
  await screenshot(page, "page");
  assertProofConcurrent(proof);
  assertNoErrors(errors);
});
