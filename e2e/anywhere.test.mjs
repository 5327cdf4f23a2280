// Every lesson from one line, on any page of the site — tried as a documentation
// author would: `cargo xtask dist` copied to /docs/looplab/ of a plain static host
// that sends the strict Content-Security-Policy of docs/embedding.md, and a page
// OUTSIDE that folder (/docs/index.html), which the Service Worker cannot control,
// holding the documented snippets: `<script type="module" src="looplab/www/embed.js">`,
// one `<loop-lab>` per lesson and the playground, and an iframe form sized by the
// host-side script and stylesheet docs/embedding.md gives (read from that page).
//
// Every element runs through `run()`: no HTTP error, no failed request in any summary
// (only the failures a lesson makes on purpose: a task that raises), the
// demo API answered by the Service Worker through the bridge frame, one wasm download
// for the page, no CSP violation, no console error. An element whose `api-base`
// points elsewhere (a dev server on another origin) keeps fetching from there.
//
// A second test holds the module back: every element shows its lesson's title and
// one line meanwhile, and says why if the module cannot load. A third is the most
// common page of all: one lesson, which loads that lesson's own module and words.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoErrors, launchBrowser, ROOT, screenshot, startDevServer, startHeaderServer, XTASK } from "./lib.mjs";

const LIST = JSON.parse(await readFile(join(ROOT, "src/lessons/lessons.json"), "utf8"));

/** docs/embedding.md's policy; `connect-src` also names the other API's origin, as that page says to. */
const csp = (other) => [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self'",
  `connect-src 'self' ${other}`, "worker-src 'self'", "object-src 'none'", "base-uri 'none'",
].join("; ");

/** Small parameters, so the page runs quickly (the lessons' claims are e2e/lessons.test.mjs's). */
const ATTRS = {
  "mental-model": 'tasks="3" steps="3" work-ms="3"',
  "sequential-vs-concurrent": 'alice-ms="200" bob-ms="300"',
  "gather-fetch": 'requests="3" delay-ms="200"',
  "create-task": 'request-ms="200" work-ms="100"',
  errors: 'fail-ms="100"',
  timeout: 'deadline-ms="200" fast-ms="50" slow-ms="1500"',
  "context-manager": 'setup-ms="50" work-ms="100" teardown-ms="50"',
  stream: 'rows="4" interval-ms="100" tick-ms="50"',
  "cpu-bound": 'work-ms="100" slice-ms="10"',
  microtasks: 'loop-ms="100"',
  limit: 'requests="6" k="2" delay-ms="100"',
  "as-completed": 'first-ms="250" second-ms="50" third-ms="150"',
};

/** The failures each lesson makes on purpose: a task's error must match, or there is none. */
const ON_PURPOSE = {
  errors: /^[a-c] failed$/,
  "context-manager": /^query failed$/,
};

/** What a failed request says (src/error.rs): none may appear in any summary. */
const REQUEST_FAILED = /HTTP \d{3}|no answer from|valid JSON|stopped reading/;

/** The fenced blocks of docs/embedding.md's section `heading`, by language. */
async function documented(heading) {
  const page = await readFile(join(ROOT, "docs/embedding.md"), "utf8");
  const section = page.slice(page.indexOf(`## ${heading}`)).split("\n## ")[0];
  const blocks = {};
  for (const [, lang, body] of section.matchAll(/```(\w+)\n([\s\S]*?)```/g)) blocks[lang] ??= body;
  return blocks;
}

/** The author's pages, outside the copied folder (all lessons; one lesson), and their script and stylesheet. */
async function authorPages(otherApi) {
  const frame = await documented("The iframe form");
  const element = await documented("The `<loop-lab>` element");
  assert.match(element.html, /<script type="module" src="looplab\/www\/embed\.js"><\/script>/);
  const lessons = LIST.map(({ id, title }) => `<h2>${title}</h2>\n<loop-lab lesson="${id}" ${ATTRS[id] ?? ""}></loop-lab>`);
  const body = [
    '<script type="module" src="looplab/www/embed.js"></script>',
    '<link rel="stylesheet" href="page.css"><script src="page.js" defer></script>',
    "</head><body><main><h1>A documentation page outside Loop Lab's folder</h1>",
    ...lessons,
    `<h2>Elsewhere</h2>\n<loop-lab lesson="gather-fetch" id="elsewhere" requests="2" delay-ms="100" api-base="${otherApi}"></loop-lab>`,
    `<h2>The iframe form</h2>\n${frame.html}`,
    "</main></body></html>",
  ];
  const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs</title>';
  return {
    "/docs/index.html": { type: "text/html; charset=utf-8", body: head + body.join("\n") },
    "/docs/one.html": { type: "text/html; charset=utf-8", body: `${head}<script type="module" src="looplab/www/embed.js"></script>
      </head><body><loop-lab lesson="gather-fetch" ${ATTRS["gather-fetch"]}></loop-lab></body></html>` },
    "/docs/page.js": { type: "text/javascript; charset=utf-8", body: frame.js },
    "/docs/page.css": { type: "text/css; charset=utf-8", body: `${frame.css}\nmain { max-width: 60em; margin: auto; }\nloop-lab { margin: 1.5em 0; }` },
    "/favicon.ico": { type: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
  };
}

/** Runs in every frame first: records CSP violations and counts wasm instantiations. */
function instrument() {
  const seen = { violations: [], instantiations: 0 };
  Object.defineProperty(window, "__looplabTest", { value: seen });
  document.addEventListener("securitypolicyviolation", (e) => seen.violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`), true);
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      seen.instantiations += 1;
      return original.apply(this, args);
    };
  }
}

/** The static host with the site under /docs/looplab/ and the author's pages, plus a browser. */
async function setUp(t) {
  const tmp = await mkdtemp(join(tmpdir(), "looplab-anywhere-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  // pkg/ is built (`cargo xtask test` builds before the e2e tests); write the site from it.
  execFileSync(XTASK, ["dist", "--no-build", "--out", join(tmp, "looplab")], { cwd: ROOT, stdio: "inherit" });
  const dev = await startDevServer();
  t.after(dev.stop);
  const pages = await authorPages(`${dev.origin}/api/`);
  const server = await startHeaderServer({ mounts: { "/docs/looplab/": join(tmp, "looplab") }, pages, headers: { "Content-Security-Policy": csp(dev.origin) } });
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const seen = { errors: [], http: [], failed: [], demo: [], elsewhere: [] };
  page.on("console", (m) => m.type() === "error" && seen.errors.push({ text: m.text(), url: m.location().url }));
  page.on("pageerror", (e) => seen.errors.push({ text: `uncaught: ${e.message}`, url: "" }));
  page.on("requestfailed", (r) => seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) seen.http.push(`${r.status()} ${r.url()}`);
    if (r.url().startsWith(`${server.origin}/docs/looplab/api/`)) seen.demo.push({ url: r.url(), sw: r.fromServiceWorker(), frame: r.frame().url() });
    if (r.url().startsWith(`${dev.origin}/api/`)) seen.elsewhere.push({ sw: r.fromServiceWorker(), frame: r.frame().url() });
  });
  return { server, page, seen };
}

test("a page outside the copied folder runs every lesson and the playground from one line each", { timeout: 300_000 }, async (t) => {
  const { server, page, seen } = await setUp(t);
  await page.goto(`${server.origin}/docs/index.html`);

  const summaries = {};
  for (const { id } of LIST) {
    await t.test(id, async () => {
      const element = page.locator(`main > loop-lab[lesson="${id}"]:not([id])`);
      await element.scrollIntoViewIfNeeded();
      const s = await element.evaluate((el) => el.run());
      summaries[id] = s;
      assert.equal(s.lesson, id);
      assert.equal(s.error, null, `the run stopped: ${s.error}`);
      assert.ok(s.verdict.length > 0 && s.tasks.length > 0);
      for (const task of s.tasks.filter((task) => task.error !== null)) {
        assert.doesNotMatch(task.error, REQUEST_FAILED, `${task.name}: a request failed`);
        assert.match(task.error, ON_PURPOSE[id] ?? /^$/, `${task.name} failed, and this lesson fails none on purpose`);
      }
    });
  }
  // The requests were real and really answered: each fetch lesson's measure holds.
  const g = summaries["gather-fetch"].figures;
  assert.ok(g.sequential_ms >= 600 && g.concurrent_ms >= 200 && g.concurrent_ms < 0.75 * g.sequential_ms, JSON.stringify(g));
  assert.equal(summaries.timeout.figures.aborted, 1, "the timed-out fetch was aborted");
  assert.equal(summaries.stream.figures.rows, 4);
  // Every demo request was answered by the Service Worker: the page's, through the
  // bridge frame; the iframe form's (a page inside the folder), in its own frame. Only
  // the site's static api/health may answer a page the worker does not control yet.
  const unanswered = seen.demo.filter((r) => !r.sw && !r.url.endsWith("/docs/looplab/api/health"));
  assert.deepEqual(unanswered, [], "demo requests the Service Worker did not answer");
  const bridged = seen.demo.filter((r) => r.frame === `${server.origin}/docs/looplab/bridge.html`).length;
  assert.ok(bridged >= 30, `only ${bridged} demo-API requests through the bridge`);
  // The page itself asked api/health only (the static file says no server is there).
  const own = seen.demo.filter((r) => !r.frame.endsWith("/bridge.html") && !r.frame.includes("/docs/looplab/index.html?"));
  assert.deepEqual(own.map((r) => [r.url, r.sw]), [[`${server.origin}/docs/looplab/api/health`, false]]);
  await page.locator(`main > loop-lab[lesson="gather-fetch"]:not([id])`).scrollIntoViewIfNeeded();
  await screenshot(page, "anywhere-after-runs");

  // api-base elsewhere: fetched from that origin by the page itself, not the bridge.
  await page.locator("#elsewhere").scrollIntoViewIfNeeded();
  const elsewhere = await page.locator("#elsewhere").evaluate((el) => el.run());
  assert.equal(elsewhere.error, null, elsewhere.error);
  assert.deepEqual(seen.elsewhere.map((r) => [r.sw, r.frame]), Array(4).fill([false, `${server.origin}/docs/index.html`]));

  // The iframe form, sized by docs/embedding.md's script and stylesheet, once scrolled to.
  const frame = page.locator("main > iframe.looplab");
  await frame.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const el = document.querySelector("iframe.looplab");
    const body = el.contentDocument?.body;
    const mounted = body?.querySelector("loop-lab")?.shadowRoot?.querySelector(".ll-lesson button.run");
    return mounted && Math.abs(el.getBoundingClientRect().height - Math.ceil(body.getBoundingClientRect().height)) < 1;
  }, null, { timeout: 30_000 });
  const height = await frame.evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(height > 300 && height !== 640, `the frame is ${height} px tall: its content's height, not the stylesheet's`);
  await screenshot(page, "anywhere-iframe");

  const wasm = await page.evaluate(() => ({
    instantiations: window.__looplabTest.instantiations,
    downloads: performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).map((e) => new URL(e.name).pathname),
  }));
  assert.equal(wasm.instantiations, 1, "one instantiation on the page");
  assert.deepEqual(wasm.downloads, ["/docs/looplab/pkg/looplab_bg.wasm"], "one wasm download for the page");
  const violations = [];
  for (const f of page.frames()) violations.push(...(await f.evaluate(() => window.__looplabTest?.violations ?? [])));
  assert.deepEqual(violations, [], "CSP violations");
  assert.deepEqual(seen.http, [], "HTTP errors");
  // No request failed but by an abort: a deadline's, a dropped stream's, and (Chromium's
  // protocol reports these too, with the dev server alike) requests whose body had been
  // read to its end. The summaries above say which requests failed: none by accident.
  assert.deepEqual(seen.failed.filter((f) => !f.endsWith(": net::ERR_ABORTED")), [], "failed requests");
  assertNoErrors(seen.errors);
});

test("before the module has loaded, and when it cannot, every element shows its title and one line", { timeout: 120_000 }, async (t) => {
  const { server, page, seen } = await setUp(t);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/looplab_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.origin}/docs/index.html`);
  const first = LIST.slice(0, 2);
  for (const { id, title, blurb } of first) {
    const shown = await page.locator(`loop-lab[lesson="${id}"]:not([id])`).evaluate((el) =>
      [...el.shadowRoot.querySelectorAll(".ll-placeholder h2, .ll-placeholder p")].map((n) => n.textContent));
    assert.deepEqual(shown, [title, blurb, "Loading the lesson…"], id);
  }
  await screenshot(page, "anywhere-placeholders");
  release();
  // Once loaded, the lesson replaces its placeholder.
  await page.locator(`loop-lab[lesson="${first[0].id}"] .ll-lesson button.run`).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(`loop-lab[lesson="${first[0].id}"] .ll-placeholder`).count(), 0);
  assertNoErrors(seen.errors);

  // A host that lost the module: each element keeps its title and says why.
  await page.unroute("**/looplab_bg.wasm");
  await page.route("**/looplab_bg.wasm", (route) => route.fulfill({ status: 404, body: "" }));
  await page.reload();
  const status = page.locator(`loop-lab[lesson="${first[0].id}"] .ll-placeholder [role="alert"]`);
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.textContent(), /^Loop Lab could not load its files: .*HTTP 404/);
  assert.equal(await page.locator(`loop-lab[lesson="${first[0].id}"] .ll-placeholder h2`).textContent(), first[0].title);
});

test("a page of one lesson outside the folder loads that lesson's module and words, and fetches through the bridge", { timeout: 120_000 }, async (t) => {
  const { server, page, seen } = await setUp(t);
  const loaded = [];
  page.on("response", (r) => r.url().startsWith(`${server.origin}/docs/looplab/`) && loaded.push(new URL(r.url()).pathname));
  await page.goto(`${server.origin}/docs/one.html`);
  const summary = await page.locator("loop-lab").evaluate((el) => el.run());
  assert.equal(summary.error, null, summary.error);
  assert.ok(summary.figures.concurrent_ms < 0.75 * summary.figures.sequential_ms, JSON.stringify(summary.figures));
  assert.ok(loaded.includes("/docs/looplab/pkg/one/gather-fetch/looplab_bg.wasm"), JSON.stringify(loaded));
  assert.ok(loaded.includes("/docs/looplab/www/lessons/gather-fetch.js") && !loaded.includes("/docs/looplab/www/lessons.js"), JSON.stringify(loaded));
  assert.ok(seen.demo.filter((r) => r.sw && r.frame.endsWith("/bridge.html")).length >= 6, JSON.stringify(seen.demo));
  assert.deepEqual(seen.http, [], "HTTP errors");
  assertNoErrors(seen.errors);
});
