// Embedding, for documentation authors: the `cargo xtask dist` output served
// under /docs/looplab/ by a host that sends a strict Content-Security-Policy.
//
// - the example book (examples/docs/) embeds three lessons and the playground: one wasm
//   instantiation for all, every lesson runs, `compact` hides the prose, the
//   lessons take the book's theme and follow its dark switch;
// - the lesson page itself works under the policy (proof, and the Web Worker);
// - the iframe form shows one lesson and posts its height, which grows with it;
// - the npm package (pkg/) mounts a lesson on a plain page;
// and no page logs a CSP violation or a console error.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertNoErrors, launchBrowser, ROOT, runProof, screenshot,
  startHeaderServer, waitReady, XTASK,
} from "./lib.mjs";

/** The policy under test: docs/embedding.md's, verified here. Nothing inline, no eval. */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join("; ");

/** The static host's 404 for api/health: how api.js learns to start the Service Worker. */
const healthProbe404 = ({ text, url }) => text.startsWith("Failed to load resource") && url.endsWith("/api/health");

/**
 * Runs in every frame before any page script: records CSP violations and counts
 * WebAssembly instantiations (wasm-bindgen's init calls instantiateStreaming, or
 * instantiate when the wasm is not served as application/wasm).
 */
function instrument() {
  const seen = { violations: [], instantiations: 0 };
  Object.defineProperty(window, "__looplabTest", { value: seen });
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
  }, true);
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      seen.instantiations += 1;
      return original.apply(this, args);
    };
  }
}

/** Fixture pages on the host (same origin as the site, same policy). */
const PAGES = {
  // The iframe form, sized by the host from the height the frame posts.
  "/host/frame.html": html(`<iframe id="frame" title="A Loop Lab lesson"
    src="/docs/looplab/index.html?lesson=mental-model&amp;embed&amp;tasks=5&amp;steps=3"></iframe>
    <iframe id="unknown" title="A lesson that does not exist" src="/docs/looplab/index.html?lesson=no-such-lesson&amp;embed"></iframe>
    <script src="/host/frame.js"></script>`),
  // docs/embedding.md's host-side snippet, plus a log of what arrived.
  "/host/frame.js": js(`window.heights = [];
    for (const frame of document.querySelectorAll("iframe")) Object.assign(frame.style, { width: "100%", border: "0" });
    addEventListener("message", (event) => {
      if (event.data?.type !== "looplab:height") return;
      for (const frame of document.querySelectorAll("iframe")) {
        if (frame.contentWindow === event.source) {
          frame.style.height = event.data.height + "px";
          window.heights.push({ id: frame.id, ...event.data });
        }
      }
    });`),
  // The npm package on a plain page, imported by relative path.
  "/host/plain.html": html(`<div id="one"></div><div id="two"></div><div id="three"></div><div id="bad"></div>
    <script type="module" src="/host/plain.js"></script>`),
  "/host/plain.js": js(`import { mount } from "../npm/looplab/index.js";
    const settle = (p) => p.then((value) => ({ value }), (error) => ({ error: String(error.message) }));
    window.mounted = Promise.all([
      mount(document.getElementById("one"), "sequential-vs-concurrent", { params: { "alice-ms": 100, "bob-ms": 200 }, compact: true }),
      mount(document.getElementById("two"), "mental-model", { params: { tasks: 2 } }),
      settle(mount(document.getElementById("three"), "no-such-lesson")),
      settle(mount(document.getElementById("bad"), "lazy", { params: { "alice_ms": 1 } })),
    ]).then(([one, two, unknown, badParam]) => ({ one, two, unknown, badParam }));`),
  // One lesson on a page: its own build; then another lesson added: the full build.
  "/host/one.html": html(`<loop-lab lesson="cpu-bound"></loop-lab>
    <script type="module" src="/docs/looplab/www/embed.js"></script>`),
  // Elements made by a script: one run before it is appended, one far below the fold.
  "/host/late.html": html(`<div id="top"></div><div id="spacer"></div><div id="bottom"></div>
    <script type="module" src="/docs/looplab/www/embed.js"></script>`),
  // The fixtures name no icon, so the browser asks for this one.
  "/favicon.ico": { type: "image/svg+xml", body: `<svg xmlns="http://www.w3.org/2000/svg"/>` },
  // A page that breaks the policy on purpose: proves the violation listener hears it.
  "/host/inline.html": html(`<p style="color: red">inline style</p>`),
};

function html(body) {
  return { type: "text/html; charset=utf-8", body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head><body>${body}</body></html>` };
}
function js(body) {
  return { type: "text/javascript; charset=utf-8", body };
}

let server;
let browser;
let tmp;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "looplab-embed-"));
  // pkg/ is built (`cargo xtask test` builds before the e2e tests); write the site from it.
  execFileSync(XTASK, ["dist", "--no-build", "--out", join(tmp, "looplab")], { cwd: ROOT, stdio: "inherit" });
  server = await startHeaderServer({
    mounts: { "/docs/looplab/": join(tmp, "looplab"), "/npm/looplab/": join(ROOT, "pkg") },
    pages: PAGES,
    headers: { "Content-Security-Policy": CSP },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A fresh context (its own Service Worker registrations) and page, instrumented. */
async function open(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push({ text: m.text(), url: m.location().url });
  });
  page.on("pageerror", (e) => errors.push({ text: `uncaught: ${e.message}`, url: "" }));
  return { page, errors };
}

/** Violations recorded in every frame of `page`. */
async function violations(page) {
  const all = [];
  for (const frame of page.frames()) all.push(...(await frame.evaluate(() => window.__looplabTest?.violations ?? [])));
  return all;
}

test("the violation listener hears a broken policy (control)", async (t) => {
  const { page } = await open(t);
  await page.goto(`${server.origin}/host/inline.html`);
  await page.waitForFunction(() => window.__looplabTest.violations.length > 0, null, { timeout: 5000 });
  assert.match((await violations(page))[0], /^style-src/);
});

test("example book: three lessons and the playground, one wasm instance, compact, theme", { timeout: 120_000 }, async (t) => {
  const { page, errors } = await open(t);
  await page.goto(`${server.origin}/docs/looplab/examples/docs/`);
  await page.waitForFunction(() => document.documentElement.dataset.api, null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.api), "service-worker");

  const ids = await page.$$eval("loop-lab", (els) => els.map((e) => e.getAttribute("lesson")));
  assert.deepEqual(ids, ["sequential-vs-concurrent", "gather-fetch", "cpu-bound", "playground"]);
  // Scroll to each in turn: they mount lazily, as they come near the viewport.
  for (let i = 0; i < ids.length; i++) {
    await page.locator("loop-lab").nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => {
      const root = document.querySelectorAll("loop-lab")[n].shadowRoot;
      return root?.querySelector(".ll-lesson, .notice");
    }, i, { timeout: 15000 });
  }
  const wasm = await page.evaluate(() => ({
    calls: window.__looplabTest.instantiations,
    fetched: performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/looplab_bg.wasm")).length,
  }));
  assert.deepEqual(wasm, { calls: 1, fetched: 1 }, "four embeds, one instantiation of one download");

  // Every lesson runs to the end, with its attributes as parameters.
  for (const id of ids.slice(0, 3)) {
    const summary = await page.$eval(`loop-lab[lesson="${id}"]`, (el) => el.run());
    assert.equal(summary.error, null, `${id}: ${summary.error}`);
    // Done, or cancelled by the lesson itself (cpu-bound drops its tickers); none failed.
    assert.ok(summary.tasks.some((task) => task.outcome === "done") &&
      summary.tasks.every((task) => ["done", "cancelled"].includes(task.outcome)), `${id}: ${JSON.stringify(summary.tasks)}`);
  }
  const fetched = await page.$eval('loop-lab[lesson="gather-fetch"]', (el) =>
    [...el.shadowRoot.querySelectorAll("input")].map((i) => [i.name, i.value]));
  assert.deepEqual(fetched.slice(0, 2), [["requests", "5"], ["delay-ms", "300"]]);

  // The playground: a lesson once it lands; until then a clear message.
  const playground = await page.$eval('loop-lab[lesson="playground"]', (el) =>
    el.shadowRoot.querySelector(".ll-lesson") ? "mounted" : el.shadowRoot.querySelector(".notice").textContent);
  if (playground === "mounted") {
    const summary = await page.$eval('loop-lab[lesson="playground"]', (el) => el.run());
    assert.equal(summary.error, null, `playground: ${summary.error}`);
    assert.ok(summary.tasks.every((task) => task.outcome !== "failed"), `playground: ${JSON.stringify(summary.tasks)}`);
  } else {
    assert.match(playground, /There is no lesson "playground"/);
  }

  await checkCompact(page);
  await checkSizing(page);
  await checkTheme(page);
  await page.locator('loop-lab[lesson="sequential-vs-concurrent"]').scrollIntoViewIfNeeded();
  await screenshot(page, "embed-docs");
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors, healthProbe404);
});

test("one lesson on a page loads its own build; adding another moves every element to the full one", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await open(t);
  await page.goto(`${server.origin}/host/one.html`);
  const wasm = () => page.evaluate(() => ({
    calls: window.__looplabTest.instantiations,
    fetched: performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")),
  }));
  const first = await page.$eval("loop-lab", (el) => el.run());
  assert.equal(first.error, null, first.error);
  assert.ok(first.tasks.some((task) => task.outcome === "done"), JSON.stringify(first.tasks));
  // The worker ran the same one-lesson build (its module is fetched from the cache or again).
  const one = await wasm();
  assert.equal(one.fetched[0], "/docs/looplab/pkg/one/cpu-bound/looplab_bg.wasm");
  assert.ok(one.fetched.every((p) => p.includes("/pkg/one/cpu-bound/")), JSON.stringify(one.fetched));
  assert.equal(one.calls, 1);

  // A second lesson arrives (a page adding elements, a single-page app's next page).
  await page.evaluate(() => {
    const el = document.createElement("loop-lab");
    el.setAttribute("lesson", "lazy");
    document.body.append(el);
  });
  const lazy = await page.$eval('loop-lab[lesson="lazy"]', (el) => el.run());
  assert.equal(lazy.error, null, lazy.error);
  const after = await wasm();
  assert.deepEqual(after.fetched.filter((p) => !p.includes("/pkg/one/")), ["/docs/looplab/pkg/looplab_bg.wasm"]);
  assert.equal(after.calls, 2, "one instantiation of each build, one live at a time");
  // The first element moved too, and still runs.
  const again = await page.$eval('loop-lab[lesson="cpu-bound"]', (el) => el.run());
  assert.equal(again.error, null, again.error);
  assert.ok(again.tasks.some((task) => task.outcome === "done"), JSON.stringify(again.tasks));
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors, healthProbe404);
});

test("a site deployed without pkg/one/ still runs a one-lesson page, on the full build", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await open(t);
  // Answered late: the element is defined at once, so run() works before the build is chosen.
  await page.route("**/pkg/one/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.fulfill({ status: 404, body: "" });
  });
  await page.goto(`${server.origin}/host/one.html`, { waitUntil: "domcontentloaded" });
  const run = await page.$eval("loop-lab", (el) => el.run());
  assert.equal(run.error, null, run.error);
  assert.ok(run.tasks.some((task) => task.outcome === "done"), JSON.stringify(run.tasks));
  const fetched = await page.evaluate(() => performance.getEntriesByType("resource")
    .map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")));
  assert.deepEqual(fetched, ["/docs/looplab/pkg/looplab_bg.wasm"]);
  assert.deepEqual(await violations(page), [], "CSP violations");
  const missing = (e) => healthProbe404(e) || (e.text.startsWith("Failed to load resource") && e.url.includes("/pkg/one/"));
  assertNoErrors(errors, missing);
});

test("a site missing its wasm-bindgen glue says so in every element", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await open(t);
  await page.route("**/pkg/**/looplab.js", (route) => route.fulfill({ status: 404, body: "" }));
  await page.goto(`${server.origin}/host/one.html`);
  const error = await page.$eval("loop-lab", (el) => el.run().then(() => null, (e) => e.message));
  assert.match(error ?? "", /looplab\.js|module/i);
  const shown = await page.$eval("loop-lab", (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? "");
  assert.match(shown, /^Loop Lab could not load its files: /);
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors, (e) => healthProbe404(e) || e.text.startsWith("Failed to load resource"));
});

test("elements made by a script: run() before append, and a move before the element is near the viewport", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await open(t);
  // The list of one-lesson builds answers late: the module is still being chosen below.
  await page.route("**/pkg/one/index.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  await page.goto(`${server.origin}/host/late.html`, { waitUntil: "domcontentloaded" });
  const early = await page.evaluate(async () => {
    await customElements.whenDefined("loop-lab");
    const el = document.createElement("loop-lab");
    el.setAttribute("lesson", "lazy");
    const run = el.run(); // before the element is in the document
    document.getElementById("top").append(el);
    return run;
  });
  assert.equal(early.error, null, early.error);
  assert.ok(early.tasks.some((task) => task.outcome === "done"), JSON.stringify(early.tasks));

  // An element far below the fold, moved before it ever came near the viewport,
  // still starts when it is scrolled to.
  await page.evaluate(() => {
    document.getElementById("spacer").style.height = "5000px";
    const el = document.createElement("loop-lab");
    el.id = "moved";
    el.setAttribute("lesson", "lazy");
    document.getElementById("bottom").append(el);
  });
  await page.waitForTimeout(300);
  const before = await page.$eval("#moved", (el) => Boolean(el.shadowRoot?.querySelector(".ll-lesson")));
  assert.equal(before, false, "far below the fold, the element waits");
  await page.evaluate(() => {
    const el = document.getElementById("moved");
    const box = document.createElement("section");
    document.getElementById("bottom").append(box);
    box.append(el); // a move: disconnected, then connected again
  });
  await page.locator("#moved").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.getElementById("moved").shadowRoot?.querySelector(".ll-lesson button.run"), null, { timeout: 10_000 });
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors, healthProbe404);
});

/** What is shown in a lesson: true per part if it takes up space. */
function shown(page, id) {
  return page.$eval(`loop-lab[lesson="${id}"]`, (el) => {
    const root = el.shadowRoot;
    const visible = (sel) => [...root.querySelectorAll(sel)].some((n) => n.getBoundingClientRect().height > 0);
    return {
      prose: visible(".ll-lesson > p:not([class])"), code: visible(".code-pair"), form: visible(".ll-params"),
      run: visible("button.run"), timeline: visible("canvas"), verdict: visible(".ll-verdict"),
      height: el.getBoundingClientRect().height,
    };
  });
}

/** `compact` hides the prose and the code and keeps the rest; removing it brings them back. */
async function checkCompact(page) {
  const compact = await shown(page, "sequential-vs-concurrent");
  assert.deepEqual({ ...compact, height: 0 },
    { prose: false, code: false, form: true, run: true, timeline: true, verdict: true, height: 0 });
  await page.$eval('loop-lab[lesson="sequential-vs-concurrent"]', (el) => el.removeAttribute("compact"));
  const full = await shown(page, "sequential-vs-concurrent");
  assert.ok(full.prose && full.code, "without compact the prose and code show");
  assert.ok(full.height > compact.height + 100, `compact ${compact.height}px, full ${full.height}px`);
  await page.$eval('loop-lab[lesson="sequential-vs-concurrent"]', (el) => el.setAttribute("compact", ""));
}

/** The element is exactly as tall as the lesson inside it, and grows with it. */
async function checkSizing(page) {
  const sizes = await page.$eval('loop-lab[lesson="cpu-bound"]', (el) => ({
    host: el.getBoundingClientRect().height,
    lesson: el.shadowRoot.querySelector(".ll-lesson").getBoundingClientRect().height,
  }));
  assert.ok(Math.abs(sizes.host - sizes.lesson) <= 1, JSON.stringify(sizes));
}

/**
 * The book sets --ll-accent on the chapter (an ancestor) and switches its own
 * colour scheme: the lessons take the accent and follow the scheme.
 */
async function checkTheme(page) {
  const colours = () => page.$eval('loop-lab[lesson="gather-fetch"]', (el) => {
    const root = el.shadowRoot;
    return {
      run: getComputedStyle(root.querySelector("button.run")).backgroundColor,
      surface: getComputedStyle(root.querySelector(".ll-lesson")).backgroundColor,
      // What the timeline painted last (its corner is the surface colour).
      canvas: `rgb(${[...root.querySelector("canvas").getContext("2d").getImageData(2, 2, 1, 1).data.slice(0, 3)].join(", ")})`,
    };
  });
  // The book's light theme: its link colour #8a3b12 as the accent, the default white surface.
  await page.evaluate(() => { document.documentElement.dataset.theme = "light"; });
  await page.waitForFunction(() => !document.querySelector('loop-lab[lesson="gather-fetch"]')
    .shadowRoot.querySelector(".ll-host").classList.contains("ll-dark"));
  assert.deepEqual(await colours(), { run: "rgb(138, 59, 18)", surface: "rgb(255, 255, 255)", canvas: "rgb(255, 255, 255)" });
  // Dark: the book's dark link colour #f0a070, and the dark default surface #1e2127.
  await page.click("#theme");
  await page.waitForFunction(() => document.querySelector('loop-lab[lesson="gather-fetch"]')
    .shadowRoot.querySelector(".ll-host").classList.contains("ll-dark"));
  assert.deepEqual(await colours(), { run: "rgb(240, 160, 112)", surface: "rgb(30, 33, 39)", canvas: "rgb(30, 33, 39)" });
  await page.click("#theme");
  await page.waitForFunction(() => !document.querySelector('loop-lab[lesson="gather-fetch"]')
    .shadowRoot.querySelector(".ll-host").classList.contains("ll-dark"));
}

test("lesson page under the policy: proof, a Web Worker lesson", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await open(t);
  await page.goto(`${server.origin}/docs/looplab/`);
  await waitReady(page, errors);
  // Runs under the policy: the timers and the fetch (Service Worker) all complete.
  // (How long they take is dist.test.mjs's and page.test.mjs's to judge.)
  const proof = await runProof(page);
  assert.deepEqual(Object.values(proof.rows).map((r) => r.outcome), ["done", "done", "done"]);
  await page.locator('loop-lab[lesson="cpu-bound"]').scrollIntoViewIfNeeded();
  const summary = await page.$eval('loop-lab[lesson="cpu-bound"]', (el) => el.run());
  assert.equal(summary.error, null);
  const worker = summary.tasks.find((task) => task.name === "worker: work");
  assert.equal(worker?.outcome, "done", JSON.stringify(summary.tasks));
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors, healthProbe404);
});

test("iframe form: one lesson, its height posted and growing; an unknown lesson says so", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await open(t);
  await page.goto(`${server.origin}/host/frame.html`);
  await page.waitForFunction(() => window.heights.some((h) => h.id === "frame"), null, { timeout: 20000 });
  const frame = page.frame({ url: /lesson=mental-model/ });
  await frame.waitForFunction(() => document.querySelector("loop-lab")?.shadowRoot?.querySelector(".ll-lesson"));

  const layout = await frame.evaluate(() => ({
    lessons: [...document.querySelectorAll("loop-lab")].map((e) => e.getAttribute("lesson")),
    proof: document.getElementById("proof") !== null,
    header: getComputedStyle(document.querySelector("header.site")).display,
    inputs: [...document.querySelector("loop-lab").shadowRoot.querySelectorAll("input")].map((i) => i.value),
  }));
  assert.deepEqual(layout, { lessons: ["mental-model"], proof: false, header: "none", inputs: ["5", "3", "2"] });
  // One lesson: the frame runs on that lesson's own build, as a page with one element does.
  const frameWasm = await frame.evaluate(() => performance.getEntriesByType("resource")
    .map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")));
  assert.deepEqual(frameWasm, ["/docs/looplab/pkg/one/mental-model/looplab_bg.wasm"]);

  const lastHeight = () => page.evaluate(() => window.heights.filter((h) => h.id === "frame").at(-1));
  await page.waitForFunction(() => {
    const last = window.heights.filter((h) => h.id === "frame").at(-1);
    return Math.abs(document.getElementById("frame").contentDocument.body.getBoundingClientRect().height - last.height) <= 1;
  }, null, { timeout: 10000 });
  const before = await lastHeight();
  assert.equal(before.lesson, "mental-model");
  assert.ok(before.height > 200, `posted height ${before.height}`);

  // A run fills the table: the frame grows, says so, and the host resizes it.
  const summary = await frame.evaluate(() => document.querySelector("loop-lab").run());
  assert.equal(summary.error, null);
  await page.waitForFunction((h) => window.heights.filter((x) => x.id === "frame").at(-1).height > h, before.height,
    { timeout: 10000 });
  // The run's outcome arrives in several paints (verdict, table, export row): wait for
  // the host to have applied the last height posted.
  await page.waitForFunction(() => {
    const last = window.heights.filter((x) => x.id === "frame").at(-1);
    return document.getElementById("frame").clientHeight === last.height;
  }, null, { timeout: 10000 });
  const grown = await lastHeight();
  assert.ok(grown.height > before.height, `the frame grew from ${before.height} to ${grown.height}`);

  const unknown = page.frame({ url: /no-such-lesson/ });
  await unknown.waitForFunction(() => document.querySelector("loop-lab")?.shadowRoot?.querySelector(".notice"));
  assert.match(await unknown.evaluate(() => document.querySelector("loop-lab").shadowRoot.querySelector(".notice").textContent),
    /There is no lesson "no-such-lesson"/);
  await page.$eval("#frame", (f) => f.scrollIntoView());
  await screenshot(page, "embed-iframe");
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors, healthProbe404);
});

test("npm package: mount() on a plain page, one wasm instance, clear errors", { timeout: 60_000 }, async (t) => {
  const files = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: join(ROOT, "pkg") }))[0];
  const packed = files.files.map((f) => f.path);
  for (const file of ["package.json", "README.md", "index.js", "index.d.ts", "mount.js", "lesson.css", "worker.js", "looplab.js", "looplab_bg.wasm",
    "inspector.js", "reader.js", "reader/looplab.js", "reader/looplab_bg.wasm"]) {
    assert.ok(packed.includes(file), `${file} is in the package (${packed.join(", ")})`);
  }
  assert.equal(files.name, "looplab");

  const { page, errors } = await open(t);
  await page.goto(`${server.origin}/host/plain.html`);
  const result = await page.evaluate(() => window.mounted.then((r) => ({
    one: r.one.lesson, two: r.two.lesson, unknown: r.unknown.error, badParam: r.badParam.error,
  })));
  assert.equal(result.one, "sequential-vs-concurrent");
  assert.equal(result.two, "mental-model");
  assert.match(result.unknown, /There is no lesson "no-such-lesson"/);
  assert.match(result.badParam, /Lesson "lazy" has no parameter "alice_ms"/);

  const summary = await page.evaluate(() => window.mounted.then((r) => r.one.run()));
  assert.equal(summary.lesson, "sequential-vs-concurrent");
  assert.equal(summary.error, null);
  assert.ok(summary.total_ms >= 200, `the 200 ms wait took ${summary.total_ms} ms`);
  const state = await page.evaluate(() => ({
    calls: window.__looplabTest.instantiations,
    prose: document.getElementById("one").shadowRoot.querySelector(".ll-lesson > p:not([class])").getBoundingClientRect().height,
    proseTwo: document.getElementById("two").shadowRoot.querySelector(".ll-lesson > p:not([class])").getBoundingClientRect().height,
    tasks: [...document.getElementById("two").shadowRoot.querySelectorAll("input")][0].value,
  }));
  assert.equal(state.calls, 1, "four mounts, one instantiation");
  assert.equal(state.prose, 0, "compact: no prose");
  assert.ok(state.proseTwo > 0, "not compact: prose");
  assert.equal(state.tasks, "2");
  // The handle's inspect() replays the run in the package's reader/ module: at the end
  // of the run nothing runs, waits or is ready.
  const end = await page.evaluate((t) => window.mounted.then((r) => r.one.inspect(t)), summary.total_ms + 1);
  assert.deepEqual([end.running, end.ready, end.waiting, end.timers], [null, [], [], []], JSON.stringify(end));
  const mid = await page.evaluate(() => window.mounted.then((r) => r.one.inspect(50))); // Alice sleeps 100 ms
  assert.ok(mid.waiting.some((w) => w.on === "timer" && w.rust_line > 0), JSON.stringify(mid));
  assert.equal(await page.evaluate(() => window.__looplabTest.instantiations), 2, "the lessons' module, then the reader's once");

  await page.evaluate(() => window.mounted.then((r) => r.two.unmount()));
  assert.equal(await page.evaluate(() => document.getElementById("two").shadowRoot.querySelector(".ll-lesson")), null);
  assert.deepEqual(await violations(page), [], "CSP violations");
  assertNoErrors(errors);
});
