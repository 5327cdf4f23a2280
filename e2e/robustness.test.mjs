// Robustness, as a reader meets it: hostile servers fail one task clearly; text a
// reader types is shown as text; Cancel is safe at any moment; a panic inside Loop
// Lab is told politely, and Reset brings every lesson back on a fresh instance
// (also under a strict CSP, and through the npm package's reset()).
// `__looplabProbe()` (src/runtime/probe.rs) shows what the runtime still holds:
// sleeps waiting, requests in flight, live records.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  addLesson, assertNoErrors, launchBrowser, openPage, openServedPage, ROOT, screenshot, seededRandom, startHeaderServer,
} from "./lib.mjs";


/** Counts requests the page has started and not yet seen finish or fail. */
function trackRequests(page) {
  const pending = new Set();
  page.on("request", (r) => pending.add(r));
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => pending.delete(r));
  return pending;
}

async function networkIdle(pending, withinMs) {
  const deadline = Date.now() + withinMs;
  while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return [...pending].map((r) => r.url());
}

test("hostile servers fail their own task, clearly and in time", { timeout: 120_000 }, async (t) => {
  const { server, page, errors } = await openServedPage(t);
  const pending = trackRequests(page);
  const ok = `${server.origin}/api/users/3?delay_ms=100`;
  // The same server under another name is another origin: only its CORS headers let the page read it.
  const otherOrigin = server.origin.replace("127.0.0.1", "localhost");
  const cases = {
    "http 500": [`${server.origin}/api/hostile/500`, /the server answered HTTP 500/, 5_000],
    "not json": [`${server.origin}/api/hostile/not-json`, /did not send valid JSON/, 5_000],
    "50 MiB announced": [`${server.origin}/api/hostile/huge?mb=50`, /Content-Length is 50 MiB, over the 4 MiB limit/, 5_000],
    "50 MiB chunked": [`${server.origin}/api/hostile/huge?mb=50&length=0`, /passed the 4 MiB limit; the request was aborted/, 10_000],
    "stalled body": [`${server.origin}/api/hostile/stall`, /no bytes arrived for 20000 ms; the request was aborted/, 20_000 + 5_000],
    unreachable: ["http://127.0.0.1:9/unreachable", /no answer from http:\/\/127\.0\.0\.1:9\/unreachable/, 5_000],
    "CORS blocked": [`${otherOrigin}/api/hostile/no-cors`, /no answer from http:\/\/localhost:\d+\/api\/hostile\/no-cors .*CORS/, 5_000],
    "CORS allowed": [`${otherOrigin}/api/users/2?delay_ms=50`, null, 5_000],
  };
  const handles = {};
  for (const [name, [url]] of Object.entries(cases)) {
    handles[name] = await addLesson(page, "gather-fetch", { urls: `${ok} ${url}` });
  }
  const bystander = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "300", "bob-ms": "600" });
  const started = Date.now();
  const runs = Object.entries(handles).map(async ([name, el]) => {
    const summary = await el.evaluate((e) => e.run());
    return [name, summary, Date.now() - started];
  });
  const calm = await bystander.evaluate((e) => e.run());
  const results = await Promise.all(runs);

  for (const [name, summary, ms] of results) {
    const [url, expected, limitMs] = cases[name];
    const first = summary.tasks.find((task) => task.name === "sequential: user 1");
    assert.equal(first.outcome, "done", `${name}: the healthy request before it`);
    const second = summary.tasks.find((task) => task.name === "sequential: user 2");
    if (expected === null) {
      assert.equal(summary.error, null, `${name}: ${summary.error}`);
      assert.equal(second.outcome, "done");
      continue;
    }
    assert.equal(second.outcome, "failed", `${name}: ${JSON.stringify(summary.tasks)}`);
    assert.match(second.error, expected, name);
    assert.ok(second.error.includes(url), `${name}: the error names the URL`);
    assert.match(summary.error, /^The run stopped: /, name);
    assert.ok(ms < limitMs, `${name} took ${ms} ms to fail (limit ${limitMs})`);
    const shown = await handles[name].evaluate((e) => e.shadowRoot.querySelector(".ll-verdict").textContent);
    assert.match(shown, expected, `${name}: the reader sees the reason`);
  }
  assert.equal(calm.error, null, "a lesson beside the hostile ones ran normally");
  assert.ok(calm.figures.concurrent_ms < 0.75 * calm.figures.sequential_ms, JSON.stringify(calm.figures));
  const probe = JSON.parse(await page.evaluate(async () => (await import("/pkg/looplab.js")).__looplabProbe()));
  assert.equal(probe.fetches, 0, "no request is left in flight");
  assert.deepEqual(await networkIdle(pending, 2_000), [], "requests still pending in the browser");
  await screenshot(page, "robustness-hostile");
  // The browser logs each failed load itself; those are the point of this test.
  const expectedLoad = (e) => /hostile|:9\/unreachable|localhost/.test(`${e.url} ${e.text}`);
  assertNoErrors(errors, expectedLoad);
});

test("text a reader gives is shown as text, never run as HTML", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const img = `"><img src=x onerror="window.__pwned=1">`;
  const urls = [
    `http://127.0.0.1:9/"><img/src=x/onerror=window.__pwned=1>`,
    "http://127.0.0.1:9/<script>window.__pwned=2</script>",
    "http://127.0.0.1:9/<svg/onload=window.__pwned=3>",
  ];
  const ran = await addLesson(page, "gather-fetch", { urls: urls.join(" ") });
  const summary = await ran.evaluate((e) => e.run());
  assert.match(summary.error, /no answer from http:\/\/127\.0\.0\.1:9\//);
  const refused = await addLesson(page, "gather-fetch", { urls: `javascript:${img}` });
  const refusal = await refused.evaluate((e) => e.run().then(() => "ran", (err) => err.message));
  assert.match(refusal, /is not a web address/);
  const param = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "<img src=x onerror=window.__pwned=4>" });
  const paramRefusal = await param.evaluate((e) => e.run().then(() => "ran", (err) => err.message));
  assert.match(paramRefusal, /must be a whole number/);
  await page.waitForTimeout(300); // an injected <img> would have fired onerror by now
  const found = await page.evaluate(() => {
    const roots = [...document.querySelectorAll("loop-lab")].map((e) => e.shadowRoot).filter(Boolean);
    const injected = roots.flatMap((r) => [...r.querySelectorAll("img, script, svg, iframe, [onerror], [onload]")]);
    return {
      pwned: window.__pwned ?? null,
      injected: injected.map((e) => e.outerHTML),
      text: roots.map((r) => r.textContent).join("\n"),
      fields: roots.flatMap((r) => [...r.querySelectorAll("input")].map((i) => i.value)),
    };
  });
  assert.equal(found.pwned, null, "a script a reader typed ran");
  assert.deepEqual(found.injected, [], "an element a reader typed was created");
  assert.ok(found.text.includes(urls[0]), "the failed URL is shown, as text");
  assert.ok(found.fields.includes(urls.join(" ")), "the URLs stay in their field, as typed");
  assert.ok(found.text.includes("<img src=x onerror=window.__pwned=4>"), "the bad parameter is shown, as text");
  assertNoErrors(errors, (e) => /127\.0\.0\.1:9/.test(`${e.url} ${e.text}`));
});

/** The runtime's own account (src/runtime/probe.rs). */
async function probe(page) {
  return JSON.parse(await page.evaluate(async () => (await import("/pkg/looplab.js")).__looplabProbe()));
}

test("Cancel at any moment leaves nothing behind, 100 times", { timeout: 240_000 }, async (t) => {
  const random = seededRandom(t); // when each cancel comes
  const { page, errors } = await openServedPage(t);
  const pending = trackRequests(page);
  // Lessons with fetches and timers, small enough to cancel at every stage of a run.
  const lessons = [
    ["limit", { requests: "10", k: "3", "delay-ms": "40" }, 2 * 10],
    ["gather-fetch", { requests: "4", "delay-ms": "40" }, 2 * 4],
    ["timeout", { "deadline-ms": "60", "fast-ms": "20", "slow-ms": "400" }, 12],
  ];
  const elements = [];
  for (const [id, attrs] of lessons) elements.push(await addLesson(page, id, attrs));
  const outcomes = { cancelled: 0, done: 0 };
  for (let i = 0; i < 100; i++) {
    const k = i % lessons.length;
    const [id, , maxTasks] = lessons[k];
    const delay = Math.floor(random() * 300);
    const before = new Set((await probe(page)).records.map(([rid]) => rid));
    const summary = await elements[k].evaluate(async (el, delay) => {
      const run = el.run();
      await new Promise((r) => setTimeout(r, delay));
      el.cancel();
      return run;
    }, delay);
    const where = `run ${i} (${id}, cancelled after ${delay} ms, seed ${random.seed})`;
    outcomes[summary.error?.startsWith("Cancelled") ? "cancelled" : "done"] += 1;
    // Every task of the run has an outcome; none is left waiting or running.
    const open = summary.tasks.filter((task) => !["done", "failed", "cancelled"].includes(task.outcome));
    assert.deepEqual(open, [], `${where}: tasks left open`);
    // Only its own tasks: no more than the lesson makes, none from an earlier run.
    assert.ok(summary.tasks.length <= maxTasks, `${where}: ${summary.tasks.length} tasks`);
    assert.ok(summary.tasks.every((task) => task.start_ms >= 0), `${where}: a task older than the run`);
    const after = await probe(page);
    assert.equal(after.timers, 0, `${where}: sleeps still waiting`);
    assert.equal(after.fetches, 0, `${where}: requests still in flight`);
    const mine = after.records.filter(([rid]) => !before.has(rid));
    assert.equal(mine.length, 1, `${where}: expected one new record, got ${JSON.stringify(after.records)}`);
    const [rid, events] = mine[0];
    assert.deepEqual(await networkIdle(pending, 1_000), [], `${where}: requests still pending in the browser`);
    // Nothing of that run fires later: its record gains no event.
    await page.waitForTimeout(i % 10 === 9 ? 450 : 30);
    const later = (await probe(page)).records.find(([r]) => r === rid);
    assert.equal(later?.[1], events, `${where}: its record grew from ${events} to ${later?.[1]} events after the run ended`);
  }
  t.diagnostic(`cancelled ${outcomes.cancelled}, finished before the cancel ${outcomes.done}`);
  assert.ok(outcomes.cancelled >= 50, `only ${outcomes.cancelled} of 100 runs were cancelled mid-way (seed ${random.seed})`);
  assertNoErrors(errors);
});

/** Notes every unhandled rejection the page did not handle itself. */
async function trackRejections(page) {
  const rejections = [];
  await page.exposeFunction("__noteRejection", (text) => rejections.push(text));
  await page.evaluate(() => addEventListener("unhandledrejection", (e) => {
    if (!e.defaultPrevented) window.__noteRejection(String(e.reason));
  }));
  return rejections;
}

/** Makes the live instance panic: `inTask` inside a spawned task, else in the call itself (which then throws). */
function panicNow(page, instance, inTask) {
  return page.evaluate(async ({ instance, inTask }) => {
    // The glue the page loaded first: pkg/looplab.js, or a one-lesson build's pkg/one/<id>/looplab.js.
    const glue = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname)
      .find((path) => path.endsWith("/looplab.js")) ?? "/pkg/looplab.js";
    const m = await import(instance === 0 ? glue : `${glue}?instance=${instance}`);
    try {
      m.__looplabPanicForTest(inTask);
      return "no error";
    } catch (e) {
      return e instanceof WebAssembly.RuntimeError ? "RuntimeError" : String(e);
    }
  }, { instance, inTask });
}

/** Every mounted <loop-lab> on the page: does it show the panic notice? */
function noticesShown(page) {
  return page.evaluate(() => [...document.querySelectorAll("main loop-lab")]
    .filter((e) => e.shadowRoot?.querySelector("article"))
    .map((e) => Boolean(e.shadowRoot.querySelector(".ll-panic"))));
}

/** Presses Reset in element `#id`'s notice; resolves once every notice is gone and the lesson is back. */
async function pressReset(page, id) {
  await page.locator(`#${id} .ll-panic`).getByRole("button", { name: "Reset" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll("loop-lab")]
    .every((e) => !e.shadowRoot?.querySelector(".ll-panic")), null, { timeout: 10_000 });
  await page.locator(`#${id} article`).waitFor({ timeout: 10_000 });
}

/** A run that must complete normally: sequential-vs-concurrent with 50 and 100 ms. */
async function assertRunsNormally(el, where) {
  const summary = await el.evaluate((e) => e.run());
  assert.equal(summary.error, null, `${where}: ${summary.error}`);
  assert.ok(summary.tasks.every((task) => task.outcome === "done"), `${where}: ${JSON.stringify(summary.tasks)}`);
  const { sequential_ms: sequential, concurrent_ms: concurrent } = summary.figures;
  assert.ok(sequential >= 150, `${where}: sequential took ${sequential} ms, less than 50 + 100`);
  assert.ok(concurrent >= 100 && concurrent < sequential, `${where}: ${JSON.stringify(summary.figures)}`);
  return summary;
}

test("a panic inside Loop Lab is shown politely, with details to copy, and Reset brings it back", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
  const rejections = await trackRejections(page);
  const downloads = await page.evaluate(() => {
    window.__instantiations = 0;
    for (const name of ["instantiate", "instantiateStreaming"]) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        window.__instantiations += 1;
        return original.apply(this, args);
      };
    }
    return performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/looplab_bg.wasm")).length;
  });
  assert.equal(downloads, 1, "the page downloaded the wasm once");
  const el = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "2000", "bob-ms": "3000", id: "panicking" });
  const fast = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "50", "bob-ms": "100", id: "fast" });
  const panel = page.locator("#panicking .ll-panic");
  // A run is under way when the panic happens; its promise must settle, not hang.
  await el.evaluate((e) => { window.__run = e.run().then(() => "resolved", (err) => err.message); });
  await page.waitForTimeout(200);
  assert.equal(await panicNow(page, 0, true), "no error", "the panic happens later, in a task");
  await panel.waitFor({ timeout: 5_000 });
  assert.match(await panel.locator("strong").textContent(), /Something went wrong inside Loop Lab/);
  const details = await panel.locator("pre").textContent();
  assert.match(details, /a test asked Loop Lab to panic inside a task/);
  assert.match(details, /src\/view\/panic\.rs:\d+:\d+/, "the location is given");
  assert.match(await page.evaluate(() => window.__run), /Loop Lab stopped after an internal error/);
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector("article").inert), true, "the stopped lesson is inert");
  assert.equal(await panel.getByRole("button", { name: "Reload page" }).isVisible(), false, "no reload while Reset can work");
  await panel.getByRole("button", { name: "Copy details" }).click();
  await panel.getByText("Copied.").waitFor({ timeout: 2_000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), details);
  // Every other element on the page says so too, and a new run is refused at once.
  const others = await noticesShown(page);
  assert.ok(others.length > 2 && others.every(Boolean), JSON.stringify(others));
  assert.match(await fast.evaluate((e) => e.run().then(() => "ran", (err) => err.message)), /press Reset/);
  await page.locator("#panicking").scrollIntoViewIfNeeded();
  await screenshot(page, "robustness-panic");

  // Reset: a fresh instance, every lesson back with its own parameters, nothing downloaded again.
  await pressReset(page, "panicking");
  assert.equal(await page.evaluate(() => window.__instantiations), 1, "Reset instantiated the module once");
  assert.equal(await page.evaluate(() => performance.getEntriesByType("resource")
    .filter((e) => e.name.endsWith("/looplab_bg.wasm")).length), 1, "Reset did not download the wasm again");
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector("article").inert), false);
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector('input[name="alice-ms"]').value), "2000",
    "the lesson came back with its own parameters");
  assert.ok((await noticesShown(page)).length > 2, "every lesson came back");
  assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent), "Run",
    "the focus moved from the gone notice to the lesson's Run button");
  await assertRunsNormally(fast, "after Reset");
  // Run and Cancel through the lesson's own buttons, on the fresh instance.
  await el.evaluate((e) => { window.__run = e.run(); });
  await page.waitForTimeout(100);
  await page.locator("#panicking").getByRole("button", { name: "Cancel" }).click();
  const cancelled = await page.evaluate(() => window.__run);
  assert.match(cancelled.error ?? "", /^Cancelled/, JSON.stringify(cancelled));
  await page.locator("#panicking").scrollIntoViewIfNeeded();
  await screenshot(page, "robustness-panic-reset");

  // The stopped instance entered again by a late timer of its own panics once more,
  // and traps into the page's `error` event: ignored, and no uncaught error.
  const hookLines = () => errors.filter((e) => e.text.startsWith("Loop Lab stopped: ")).length;
  const before = hookLines();
  await page.evaluate(async () => {
    const old = await import("/pkg/looplab.js");
    setTimeout(() => old.__looplabPanicForTest(false), 0);
  });
  await page.waitForTimeout(300);
  assert.equal(hookLines(), before + 1, "the old instance's hook ran");
  assert.deepEqual((await noticesShown(page)).filter(Boolean), [], "a panic of the old instance stopped the new one");
  await assertRunsNormally(fast, "after the old instance panicked again");

  // A second panic, in the live instance: told again, and Reset works again.
  await fast.evaluate((e) => { window.__run = e.run().then(() => "resolved", (err) => err.message); });
  assert.equal(await panicNow(page, 1, false), "RuntimeError", "the caller gets the trap");
  await page.locator("#fast .ll-panic").waitFor({ timeout: 5_000 });
  assert.match(await page.locator("#fast .ll-panic pre").textContent(), /a test asked Loop Lab to panic$/m);
  assert.ok((await noticesShown(page)).every(Boolean), "every element says so again");
  assert.match(await page.evaluate(() => window.__run), /Loop Lab stopped after an internal error/);
  await pressReset(page, "fast");
  const last = await assertRunsNormally(fast, "after the second Reset");
  assert.equal(last.lesson, "sequential-vs-concurrent");
  assert.equal(await page.evaluate(() => window.__instantiations), 2);

  assert.deepEqual(rejections, [], "an unhandled rejection escaped");
  // Only the hook's own console lines: no uncaught error reached the page.
  assertNoErrors(errors, (e) => /^Loop Lab stopped: .*a test asked Loop Lab to panic/s.test(e.text));
});

test("a panic from a direct call is caught the same way, and Reset works", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const rejections = await trackRejections(page);
  const el = await addLesson(page, "lazy", { id: "direct" });
  assert.equal(await panicNow(page, 0, false), "RuntimeError", "the caller gets the trap");
  await page.locator("#direct .ll-panic").waitFor({ timeout: 5_000 });
  assert.match(await page.locator("#direct .ll-panic pre").textContent(), /a test asked Loop Lab to panic$/m);
  await pressReset(page, "direct");
  const summary = await el.evaluate((e) => e.run());
  assert.equal(summary.lesson, "lazy");
  assert.equal(summary.error, null, summary.error);
  // A lesson added after the Reset mounts on the fresh instance too.
  const late = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "50", "bob-ms": "100", id: "late" });
  await assertRunsNormally(late, "a lesson added after Reset");
  // The lesson page's proof section moved to the fresh instance too.
  await page.locator("#proof-run").click();
  await page.waitForFunction(() => document.getElementById("proof").dataset.state === "done", null, { timeout: 10_000 });
  assert.equal(await page.locator("#proof-table tbody tr").count(), 3, "the proof ran its three tasks");
  assert.deepEqual(rejections, [], "an unhandled rejection escaped");
  assertNoErrors(errors, (e) => /^Loop Lab stopped: .*a test asked Loop Lab to panic/s.test(e.text));
});

test("a panic when the notice cannot load still says so in every element", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  await page.route("**/www/notice.js", (route) => route.fulfill({ status: 404, body: "" }));
  await addLesson(page, "lazy", { id: "bare" });
  assert.equal(await panicNow(page, 0, false), "RuntimeError", "the caller gets the trap");
  const panel = page.locator("#bare .ll-panic");
  await panel.waitFor({ timeout: 5_000 });
  assert.match(await panel.textContent(), /stopped after an internal error\. Reload the page/);
  assert.ok((await noticesShown(page)).every(Boolean), "every element says so");
  const expected = (e) => /^Loop Lab stopped/s.test(e.text) || (e.text.startsWith("Failed to load resource") && e.url.endsWith("/www/notice.js"));
  assertNoErrors(errors, expected);
});

/** The strict policy docs/embedding.md gives hosts (e2e/embed.test.mjs checks the whole site under it). */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'";

test("under a strict CSP: the notice is styled, Reset works, and so does the npm package's reset()", { timeout: 60_000 }, async (t) => {
  const page = (body) => ({ type: "text/html; charset=utf-8", body: `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<title>host</title></head><body><main>${body}</main></body></html>` });
  const server = await startHeaderServer({
    mounts: { "/www/": join(ROOT, "www"), "/pkg/": join(ROOT, "pkg") },
    pages: {
      "/embed.html": page(`<loop-lab lesson="lazy" id="csp"></loop-lab><script type="module" src="/www/embed.js"></script>`),
      "/favicon.ico": { type: "image/x-icon", body: "" },
      "/npm.html": page(`<div id="npm"></div><script type="module" src="/npm.js"></script>`),
      "/npm.js": { type: "text/javascript; charset=utf-8", body: `import * as looplab from "/pkg/index.js";
        window.panics = [];
        addEventListener("looplab:panic", (e) => window.panics.push(e.detail));
        window.looplab = looplab;
        window.handle = looplab.mount(document.getElementById("npm"), "sequential-vs-concurrent", { params: { "alice-ms": 50, "bob-ms": 100 } });` },
    },
    headers: { "Content-Security-Policy": CSP },
  });
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page: tab, errors } = await openPage(browser);
  await tab.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
  });

  // The element: the notice's rules come from lesson.css, nothing is injected.
  await tab.goto(`${server.origin}/embed.html`);
  await tab.locator("#csp article").waitFor({ timeout: 15_000 });
  assert.equal(await panicNow(tab, 0, false), "RuntimeError");
  const notice = tab.locator("#csp .ll-panic");
  await notice.waitFor({ timeout: 5_000 });
  const look = await notice.evaluate((n) => ({ border: getComputedStyle(n).borderTopWidth, styles: n.getRootNode().querySelectorAll("style").length }));
  assert.deepEqual(look, { border: "2px", styles: 0 }, "styled by lesson.css, no <style> element");
  await notice.getByRole("button", { name: "Reset" }).click();
  await notice.waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(await tab.$eval("#csp", (e) => e.shadowRoot.querySelector("article").inert), false);
  const lazy = await tab.$eval("#csp", (e) => e.run());
  assert.equal(lazy.error, null, lazy.error);
  assert.deepEqual(await tab.evaluate(() => window.__violations), [], "CSP violations");

  // The npm package: a host that hears `looplab:panic` calls reset(); its handle keeps working.
  await tab.goto(`${server.origin}/npm.html`);
  const first = await tab.evaluate(() => window.handle.then((h) => h.run()));
  assert.equal(first.error, null, first.error);
  assert.equal(await panicNow(tab, 0, false), "RuntimeError");
  const told = await tab.evaluate(() => window.panics);
  assert.equal(told.length, 1);
  assert.equal(told[0].instance, 0);
  assert.match(told[0].text, /a test asked Loop Lab to panic/);
  await tab.evaluate(() => window.looplab.reset());
  const after = await tab.evaluate(() => window.handle.then((h) => h.run()));
  assert.equal(after.error, null, after.error);
  assert.ok(after.figures.concurrent_ms < after.figures.sequential_ms, JSON.stringify(after.figures));
  assert.deepEqual(await tab.evaluate(() => window.looplab.lessonParams("sequential-vs-concurrent")), ["alice-ms", "bob-ms"]);
  assert.equal(await tab.evaluate(() => performance.getEntriesByType("resource")
    .filter((e) => e.name.endsWith("/looplab_bg.wasm")).length), 1, "reset() did not download the wasm again");
  assert.deepEqual(await tab.evaluate(() => window.__violations), [], "CSP violations");
  // The npm package has no notice of its own: the direct call's trap reached the test, nothing else.
  assertNoErrors(errors, (e) => /^Loop Lab stopped: .*a test asked Loop Lab to panic/s.test(e.text));
});

/**
 * Headless Chromium never hides a page: Page.setWebLifecycleState, a second tab
 * brought to the front, Target.activateTarget and a minimized window all leave
 * `document.visibilityState` "visible". So the page's side is emulated: `hidden` is
 * overridden on the document and `visibilitychange` dispatched, exactly what the
 * runtime listens to and reads. (The throttling itself is the browser's, not emulated.)
 */
async function setHidden(page, hidden) {
  return page.evaluate((hidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    const before = performance.now();
    document.dispatchEvent(new Event("visibilitychange")); // listeners run inside this call
    return { before, after: performance.now() };
  }, hidden);
}

test("a run that overlapped a hidden tab says its numbers are not representative", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const el = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "300", "bob-ms": "600", id: "hidden-run" });
  const plain = await el.evaluate((e) => e.run());
  assert.equal(plain.hidden_ms, 0);
  assert.doesNotMatch(plain.verdict, /hidden/);

  await el.evaluate((e) => { window.__run = e.run(); });
  await page.waitForTimeout(250);
  const hide = await setHidden(page, true);
  await page.waitForTimeout(400);
  const show = await setHidden(page, false);
  const summary = await page.evaluate(() => window.__run);
  // At least most of the 400 ms waited; at most the time the page really was hidden,
  // read on the page's clock around the two events (not a guess at the test's pace;
  // 0.001: the summary rounds to a microsecond).
  const hiddenAtMost = show.after - hide.before + 0.001;
  assert.ok(summary.hidden_ms >= 300 && summary.hidden_ms <= hiddenAtMost, `hidden for ${summary.hidden_ms} ms, in truth at most ${hiddenAtMost} ms`);
  assert.match(summary.verdict, /The page was hidden for .* these numbers are not representative\./);
  const shown = await page.locator("#hidden-run .ll-verdict").textContent();
  assert.match(shown, /not representative/);
  await page.locator("#hidden-run canvas").scrollIntoViewIfNeeded();
  await screenshot(page, "robustness-hidden");

  // Hidden from the start (a background tab running autoplay): hidden from its origin.
  await setHidden(page, true);
  const background = await el.evaluate((e) => e.run());
  await setHidden(page, false);
  assert.ok(background.hidden_ms >= 0.9 * background.total_ms, `${background.hidden_ms} of ${background.total_ms} ms`);
  assertNoErrors(errors);
});
