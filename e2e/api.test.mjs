// The demo API contract (shared/DESIGN.md, "Contracts"), held by two programs:
// the dev server (xtask/src/api.rs) and, on a static host, the Service Worker
// (www/sw.js). One list of requests (REQUESTS, below) goes to both; every
// answer's status, headers and body must be the same, except `health`, which
// names who answered. A message or status changed on one side fails here.
//
// The worker side runs as on a real static host: a plain server holds www/
// under /docs/looplab/, the page registers sw.js through www/api.js, and the
// page's fetches are answered by the worker. The dev-server side is fetched
// from node. No wasm is involved, so this test needs no `cargo xtask build`.
//
// Time: a delay is checked as a lower bound only (a timer never fires early;
// a busy machine may make it late). The longest delay accepted, a minute, is
// sent too, and both sides must still be silent after WAIT_MS (one past it is
// refused); the longest streams are read for their first lines only.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launchBrowser, openPage, ROOT, startDevServer, startHeaderServer } from "./lib.mjs";

/** The statuses `users/{id}?status=S` accepts (`api::STATUSES`). */
const STATUSES = [200, 201, 400, 401, 403, 404, 408, 409, 418, 429, 500, 502, 503, 504];

/** How long a valid but slow request must stay unanswered on both sides. */
const WAIT_MS = 2000;

/** Timer and clock granularity allowed below a delay: 2 ms, not a tolerance for lateness. */
const EARLY_MS = 2;

/**
 * `method path` → the dev server's status (null: no answer within WAIT_MS).
 * `lines: n` reads only the first n lines of a stream; `minMs` is the delay the
 * whole answer must not beat.
 */
function req(path, status, { method = "GET", ...more } = {}) {
  return { method, path, status, ...more };
}

const REQUESTS = [
  // users/{id}: the id, its edges and its decoding
  req("api/users/7", 200),
  req("api/users/0", 200),
  req("api/users/1000000000", 200),
  req("api/users/000000000007", 200), // 12 digits, the most accepted
  req("api/users/0000000000007", 400),
  req("api/users/1000000001", 400),
  req("api/users/99999999999999999999", 400),
  req("api/users/-1", 400),
  req("api/users/+5", 400),
  req("api/users/x", 400),
  req("api/users/1.5", 400),
  req("api/users/%205", 400),
  req("api/users/", 400),
  req("api/users/5/6", 400),
  req("api/users/%35", 200), // "5", percent-encoded
  req("api/users%2F5", 200),
  req("api/users/%ff", 400), // not UTF-8: U+FFFD in the message
  req("api/users/%EF%BB%BF5", 400), // a BOM is kept
  req("api/users/%zz", 400),
  req("api/users/%+5", 400), // not an escape
  // delay_ms
  req("api/users/7?delay_ms=0", 200),
  req("api/users/7?delay_ms=300", 200, { minMs: 300 }),
  req("api/users/7?delay_ms=60000", null, { waitMs: WAIT_MS }),
  req("api/users/7?delay_ms=60001", 400),
  req("api/users/7?delay_ms=-5", 400),
  req("api/users/7?delay_ms=abc", 400),
  req("api/users/7?delay_ms=", 400),
  req("api/users/7?delay_ms", 400),
  req("api/users/7?delay_ms=1.5", 400),
  req("api/users/7?delay_ms=1e3", 400),
  req("api/users/7?delay_ms=+5", 400), // "+" is a space in a query
  req("api/users/7?delay_ms=%2B5", 400),
  req("api/users/7?delay_ms=%01", 400),
  req("api/users/7?delay_ms=%0A", 400),
  req("api/users/7?delay_ms=%22%5C", 400), // a quote and a backslash, escaped in the message
  req("api/users/7?delay_ms=%D9%A1", 400), // ١, a digit but not ASCII
  req("api/users/7?delay_ms=%ff", 400),
  req("api/users/7?delay_ms=1&delay_ms=abc", 200), // a repeated key: the first counts
  req("api/users/7?delay_ms=abc&delay_ms=1", 400),
  req("api/users/7?delay%5Fms=abc", 400), // keys are decoded too
  req("api/users/7?other=x&delay_ms=5", 200), // unknown keys are ignored
  // status
  ...STATUSES.map((s) => req(`api/users/7?status=${s}`, s)),
  req("api/users/7?status=999", 400),
  req("api/users/7?status=202", 400),
  req("api/users/7?status=0200", 400),
  req("api/users/7?status=", 400),
  req("api/users/7?status=ok", 400),
  req("api/users/7?status=404&status=999", 404),
  req("api/users/7?status=999&status=404", 400),
  req("api/users/3?delay_ms=100&status=503", 503, { minMs: 100 }),
  // stream: rows, interval_ms, their product
  req("api/stream", 200, { minMs: 5 * 200 }),
  req("api/stream?rows=3&interval_ms=100", 200, { minMs: 300 }),
  req("api/stream?rows=1&interval_ms=0", 200),
  req("api/stream?rows=1000&interval_ms=0", 200),
  req("api/stream?rows=1000&interval_ms=120", 200, { lines: 3 }), // rows × interval at its most
  req("api/stream?rows=12&interval_ms=10000", 200, { lines: 0 }), // the same, from the other side
  req("api/stream?rows=1000&interval_ms=121", 400),
  req("api/stream?rows=13&interval_ms=10000", 400),
  req("api/stream?rows=1&interval_ms=10000", 200, { lines: 0 }),
  req("api/stream?rows=1&interval_ms=10001", 400),
  req("api/stream?rows=0", 400),
  req("api/stream?rows=1001&interval_ms=0", 400),
  req("api/stream?rows=-1", 400),
  req("api/stream?rows=abc", 400),
  req("api/stream?rows=", 400),
  req("api/stream?interval_ms=-1", 400),
  req("api/stream?interval_ms=1.5", 400),
  req("api/stream?rows=2&rows=abc&interval_ms=0", 200),
  req("api/stream?interval_ms=0&extra=1&rows=2", 200),
  // health, where the API is found, unknown routes
  req("api/health", 200),
  req("api/health?x=1", 200),
  req("sub/folder/api/health", 200), // a page in a sub-folder finds the API beside it
  req("api/x/api/users/3", 200), // the last /api/ counts
  req("api/", 404),
  req("api/nope", 404),
  req("api/users", 404),
  req("api/USERS/1", 404),
  req("api/health/", 404),
  req("api/stream/", 404),
  req("api/%2e%2e%2Fhealth", 404), // "../health", decoded after routing: not a path
  req("api/%22%5Cquoted", 404),
  // methods
  req("api/users/7", 200, { method: "HEAD" }),
  req("api/users/7?delay_ms=x", 400, { method: "HEAD" }),
  req("api/stream?rows=2&interval_ms=10", 200, { method: "HEAD" }),
  req("api/users/7", 204, { method: "OPTIONS" }),
  req("api/nope", 204, { method: "OPTIONS" }),
  req("api/users/7", 405, { method: "POST" }),
  req("api/nope", 405, { method: "PUT" }),
  req("api/stream", 405, { method: "DELETE" }),
  req("api/health", 405, { method: "PATCH" }),
];

/**
 * Sends every request at once to `base` and resolves to what each answer
 * showed: status, the contract's headers, the body (or a stream's first lines)
 * and when it was complete. It runs in node and, as its source, in the page,
 * so it uses nothing from outside itself.
 */
async function probeAll({ base, requests }) {
  const HEADERS = [
    "content-type", "access-control-allow-origin", "access-control-allow-methods",
    "access-control-allow-headers", "access-control-max-age", "cache-control", "x-content-type-options",
  ];
  async function readLines(response, lines) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (text.split("\n").length - 1 < lines) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    return text.split("\n").slice(0, lines).join("\n");
  }
  async function probe({ method, path, lines, waitMs }) {
    const abort = new AbortController();
    const timer = waitMs === undefined ? 0 : setTimeout(() => abort.abort(), waitMs);
    const started = performance.now();
    try {
      const response = await fetch(new URL(path, base), { method, signal: abort.signal });
      const headers = Object.fromEntries(HEADERS.map((h) => [h, response.headers.get(h)]));
      const body = lines === undefined ? await response.text() : await readLines(response, lines);
      return { status: response.status, headers, body, ms: performance.now() - started };
    } catch (error) {
      if (abort.signal.aborted) return { status: null, pending: `no answer within ${waitMs} ms` };
      return { status: null, error: String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
  return Promise.all(requests.map(probe));
}

/** A page on a plain static host that starts the demo API the way the site does. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>api contract</title>
<script type="module">
  import { ensureDemoApi } from "./api.js";
  const { mode, reason } = await ensureDemoApi();
  Object.assign(document.documentElement.dataset, { api: mode, reason });
</script></head><body></body></html>`;

/** The dev server's answers (fetched from node) and the worker's (from the page), in REQUESTS order. */
async function askBoth(t) {
  const dev = await startDevServer();
  t.after(dev.stop);
  // www/ is the site's folder here, so sw.js is at /docs/looplab/sw.js and its scope is /docs/looplab/.
  const host = await startHeaderServer({
    mounts: { "/docs/looplab/": join(ROOT, "www") },
    pages: { "/docs/looplab/": { type: "text/html; charset=utf-8", body: PAGE } },
  });
  t.after(host.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page } = await openPage(browser);
  await page.goto(`${host.origin}/docs/looplab/`);
  await page.waitForFunction(() => document.documentElement.dataset.api, null, { timeout: 20_000 });
  const { api, reason } = await page.evaluate(() => ({ ...document.documentElement.dataset }));
  assert.equal(api, "service-worker", `the page's demo API: ${reason}`);

  const [fromServer, fromWorker] = await Promise.all([
    probeAll({ base: `${dev.origin}/`, requests: REQUESTS }),
    page.evaluate(probeAll, { base: `${host.origin}/docs/looplab/`, requests: REQUESTS }),
  ]);
  return { fromServer, fromWorker };
}

/** An answer without what may differ: the time, and the name `health` reports. */
function comparable({ ms, ...answer }) {
  const body = answer.body?.replace(/^\{"server":"(looplab-dev|service-worker)"\}$/, '{"server":"…"}');
  return { ...answer, body };
}

test("the dev server and the Service Worker answer the same requests the same way", { timeout: 120_000 }, async (t) => {
  const { fromServer, fromWorker } = await askBoth(t);
  const differences = [];
  for (const [i, { method, path, status, minMs }] of REQUESTS.entries()) {
    const label = `${method} ${path}`;
    const [server, worker] = [fromServer[i], fromWorker[i]];
    if (server.status !== status) differences.push({ label, expected: status, server });
    try {
      assert.deepEqual(comparable(worker), comparable(server));
    } catch {
      differences.push({ label, server, worker });
    }
    for (const [side, answer] of [["server", server], ["worker", worker]]) {
      if (minMs !== undefined && !(answer.ms >= minMs - EARLY_MS)) {
        differences.push({ label, [side]: `complete after ${answer.ms} ms, under its ${minMs} ms` });
      }
    }
  }
  assert.deepEqual(differences, [], `${differences.length} of ${REQUESTS.length} requests`);

  // Who answered: each side names itself, so neither list came from the other.
  const health = REQUESTS.findIndex((r) => r.method === "GET" && r.path === "api/health");
  assert.equal(fromServer[health].body, '{"server":"looplab-dev"}');
  assert.equal(fromWorker[health].body, '{"server":"service-worker"}');
  // A stream read whole is every row, in order, one per line.
  const stream = REQUESTS.findIndex((r) => r.path === "api/stream?rows=3&interval_ms=100");
  assert.equal(fromWorker[stream].body, '{"row":1,"of":3}\n{"row":2,"of":3}\n{"row":3,"of":3}\n');
});
