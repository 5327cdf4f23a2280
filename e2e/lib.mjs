// Shared helpers for the end-to-end tests (run by `node --test`, see
// `cargo xtask test`): start a server on a free port, drive Debian's Chromium
// through playwright-core (no downloaded browsers), collect every console
// error and uncaught page error, take screenshots into target/e2e/.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

/** The repository root (`cargo xtask test` sets LOOPLAB_ROOT). */
export const ROOT = process.env.LOOPLAB_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The xtask binary that `cargo xtask …` built. */
export const XTASK = join(ROOT, "target/debug/xtask");
/** Same flags as webdriver.json, so wasm-pack tests and e2e see the same browser. */
export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run", "--disable-quic",
];

/** A TCP port nobody is listening on right now. */
export async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Polls `url` until it answers 200 (or throws after `timeoutMs`). */
export async function waitForHttp(url, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Spawns a child and returns `{child, stop}`; its output goes to our stderr. */
function spawnServer(command, args) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  child.stdout.on("data", (chunk) => process.stderr.write(chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  return { child, stop };
}

/** `xtask serve --no-build` on a free port; resolves once api/health answers. */
export async function startDevServer(root = ROOT) {
  const port = await freePort();
  const server = spawnServer(XTASK, ["serve", "--no-build", "--port", String(port), "--root", root]);
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/api/health`);
  return { origin, stop: server.stop };
}

/** A plain static server (no API at all), as on GitHub Pages. */
export async function startStaticServer(directory) {
  const port = await freePort();
  const args = ["-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", directory];
  const server = spawnServer("python3", args);
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/`);
  return { origin, stop: server.stop };
}

/** Debian's Chromium, headless, with the shared flags. */
export function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/**
 * A fresh 1280×900 page whose console errors and uncaught exceptions are
 * collected into `errors` (each `{text, url}`), so a test can assert there
 * were none.
 */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push({ text: message.text(), url: message.location().url });
  });
  page.on("pageerror", (error) => errors.push({ text: `uncaught: ${error.message}`, url: "" }));
  return { page, errors };
}

/**
 * Waits until the page says it is ready (`<html data-looplab="ready">`). If it
 * says "failed" instead, or never answers, the error names what the page
 * showed and every console error collected so far.
 */
export async function waitReady(page, errors) {
  const state = () => page.evaluate(() => document.documentElement.dataset.looplab ?? "(unset)");
  try {
    await page.waitForFunction(
      () => ["ready", "failed"].includes(document.documentElement.dataset.looplab),
      null,
      { timeout: 20000 },
    );
  } catch (error) {
    throw new Error(`page never became ready (data-looplab=${await state()}): ${error.message}\n` +
      `errors: ${JSON.stringify(errors, null, 1)}`);
  }
  if ((await state()) !== "ready") {
    const shown = await page.evaluate(() => document.getElementById("api-status")?.textContent ?? "");
    throw new Error(`page reported data-looplab=failed: ${shown}\nerrors: ${JSON.stringify(errors, null, 1)}`);
  }
}

/** Saves `target/e2e/<name>.png`. */
export async function screenshot(page, name) {
  const dir = join(ROOT, "target/e2e");
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

/** Clicks Run on the proof panel and returns `{total, rows: {name: {outcome, start, end}}}`. */
export async function runProof(page) {
  await page.click("#proof-run");
  await page.waitForSelector('#proof[data-state="done"]', { timeout: 15000 });
  return page.evaluate(() => {
    const rows = {};
    for (const tr of document.querySelectorAll("#proof-table tr[data-task]")) {
      rows[tr.dataset.task] = { outcome: tr.dataset.outcome, start: Number(tr.dataset.startMs), end: Number(tr.dataset.endMs) };
    }
    const total = Number(document.querySelector("#proof").dataset.totalMs);
    return { total, rows };
  });
}

/** The tasks of the proof and how long each should take. */
const PROOF_TASKS = { "sleep 100 ms": 100, "sleep 200 ms": 200, "fetch 150 ms": 150 };

/**
 * Three tasks started together: each lasts at least its own delay; all three were
 * waiting at once (the last started before the first ended — one after another, each
 * would start after the previous one's end); and together they took well under what
 * the same three would take one after another, the sum of their own durations.
 * Orders and a ratio, so a slow machine that stretches every wait still passes, and a
 * sequential run still fails.
 */
export function assertProofConcurrent({ total, rows }) {
  assert.deepEqual(Object.keys(rows).sort(), Object.keys(PROOF_TASKS).sort(), "the three proof tasks");
  for (const [name, delay] of Object.entries(PROOF_TASKS)) {
    const { outcome, start, end } = rows[name];
    assert.equal(outcome, "done", `${name} outcome`);
    // 0.1: the table rounds both times to 0.1 ms.
    assert.ok(end - start >= delay - 0.1, `${name} lasted ${end - start} ms, less than its ${delay} ms delay`);
  }
  const all = Object.values(rows);
  const lastStart = Math.max(...all.map((r) => r.start));
  const firstEnd = Math.min(...all.map((r) => r.end));
  assert.ok(lastStart < firstEnd, `a task started at ${lastStart} ms, after another had ended (${firstEnd} ms): not all at once`);
  const sequential = all.reduce((sum, r) => sum + (r.end - r.start), 0);
  assert.ok(total < 0.8 * sequential, `total ${total} ms: not clearly less than the ${sequential} ms one after another would take`);
}

/**
 * A seeded random generator for a test (mulberry32: small, well mixed, 32-bit), so
 * a failure can be replayed. The seed is LOOPLAB_SEED if set, else `fallback` (by
 * default the time, so each run tries new values); it is printed as a diagnostic of
 * test `t`, with the command line that replays it, and kept as `random.seed` for
 * failure messages.
 */
export function seededRandom(t, fallback = Date.now() % 2 ** 32) {
  const seed = Number(process.env.LOOPLAB_SEED ?? fallback) >>> 0;
  t.diagnostic(`seed ${seed} (replay with LOOPLAB_SEED=${seed})`);
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(random, { seed });
}

/** Fails listing every collected error, except those `allowed(error)` accepts. */
export function assertNoErrors(errors, allowed = () => false) {
  const unexpected = errors.filter((e) => !allowed(e));
  assert.deepEqual(unexpected, [], "console errors / page errors");
}

/**
 * The lesson page as a test starts most of the time: a dev server, a browser and
 * a page loaded and ready, all stopped when test `t` ends.
 * Resolves to `{server, page, errors}`.
 */
export async function openServedPage(t) {
  const server = await startDevServer();
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser);
  await page.goto(`${server.origin}/`);
  await waitReady(page, errors);
  return { server, page, errors };
}

// ---- A static server with response headers (e.g. a Content-Security-Policy) ----

/** Content types the Node static server sends, by file extension. */
const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".json": "application/json",
  ".png": "image/png", ".ts": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
};

/**
 * A static server in this process that sends `headers` with every response, as
 * a host with a strict Content-Security-Policy would. `mounts` maps URL prefixes
 * ("/docs/looplab/") to folders; `pages` maps exact paths to `{type, body}`
 * (fixtures). A folder serves its index.html; anything else is a plain 404.
 * Resolves to `{origin, stop}`.
 */
export async function startHeaderServer({ mounts = {}, pages = {}, headers = {} }) {
  const { createServer: createHttpServer } = await import("node:http");
  const { readFile, stat } = await import("node:fs/promises");
  const { extname, normalize, sep } = await import("node:path");
  const server = createHttpServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    const send = (status, type, body) => {
      response.writeHead(status, { ...headers, "Content-Type": type, "Cache-Control": "no-store" });
      response.end(body);
    };
    if (pages[path]) return send(200, pages[path].type, pages[path].body);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    if (!prefix) return send(404, "text/plain", "not found");
    const base = resolve(mounts[prefix]);
    let file = normalize(join(base, path.slice(prefix.length)));
    if (file !== base && !file.startsWith(base + sep)) return send(404, "text/plain", "not found");
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      send(200, CONTENT_TYPES[extname(file)] ?? "application/octet-stream", await readFile(file));
    } catch {
      send(404, "text/plain", "not found");
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${server.address().port}`;
  const stop = async () => {
    server.closeAllConnections();
    server.close();
  };
  return { origin, stop };
}

/**
 * Creates `<loop-lab lesson=id …attrs>` at the end of `<main>` and resolves, once it
 * is mounted, to a handle on the element.
 */
export async function addLesson(page, id, attrs) {
  return page.evaluateHandle(async ({ id, attrs }) => {
    const el = document.createElement("loop-lab");
    el.setAttribute("lesson", id);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.querySelector("main").append(el);
    el.scrollIntoView();
    await el._mount();
    return el;
  }, { id, attrs });
}
