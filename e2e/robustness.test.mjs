// Robustness, as a reader meets it: hostile servers fail one task clearly; text a
// reader types is shown as text; Cancel is safe at any moment; a panic inside Loop
// Lab is told politely. `__looplabProbe()` (src/runtime/probe.rs) shows what the
// runtime still holds: sleeps waiting, requests in flight, live records.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, openServedPage, screenshot } from "./lib.mjs";

/** Creates a <loop-lab> with `attrs` at the end of <main>; resolves once it is mounted. */
async function addLesson(page, id, attrs) {
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
    const delay = Math.floor(Math.random() * 300);
    const before = new Set((await probe(page)).records.map(([rid]) => rid));
    const summary = await elements[k].evaluate(async (el, delay) => {
      const run = el.run();
      await new Promise((r) => setTimeout(r, delay));
      el.cancel();
      return run;
    }, delay);
    const where = `run ${i} (${id}, cancelled after ${delay} ms)`;
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
  assert.ok(outcomes.cancelled >= 50, `only ${outcomes.cancelled} of 100 runs were cancelled mid-way`);
  assertNoErrors(errors);
});

test("a panic inside Loop Lab is shown politely, with details to copy", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
  const rejections = [];
  await page.exposeFunction("__noteRejection", (text) => rejections.push(text));
  await page.evaluate(() => addEventListener("unhandledrejection", (e) => {
    if (!e.defaultPrevented) window.__noteRejection(String(e.reason));
  }));
  const el = await addLesson(page, "sequential-vs-concurrent", { "alice-ms": "2000", "bob-ms": "3000", id: "panicking" });
  const panel = page.locator("#panicking .ll-panic");
  // A run is under way when the panic happens; its promise must settle, not hang.
  await el.evaluate((e) => { window.__run = e.run().then(() => "resolved", (err) => err.message); });
  await page.waitForTimeout(200);
  await page.evaluate(async () => (await import("/pkg/looplab.js")).__looplabPanicForTest(true));
  await panel.waitFor({ timeout: 5_000 });
  assert.match(await panel.locator("strong").textContent(), /Something went wrong inside Loop Lab/);
  const details = await panel.locator("pre").textContent();
  assert.match(details, /a test asked Loop Lab to panic inside a task/);
  assert.match(details, /src\/view\/panic\.rs:\d+:\d+/, "the location is given");
  assert.match(await page.evaluate(() => window.__run), /Loop Lab stopped after an internal error/);
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector("article").inert), true, "the stopped lesson is inert");
  await panel.getByRole("button", { name: "Copy details" }).click();
  await panel.getByText("Copied.").waitFor({ timeout: 2_000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), details);
  // Every other element on the page says so too, and a new run is refused at once.
  const others = await page.evaluate(() => [...document.querySelectorAll("main loop-lab")]
    .filter((e) => e.shadowRoot?.querySelector("article")).map((e) => Boolean(e.shadowRoot.querySelector(".ll-panic"))));
  assert.ok(others.length > 1 && others.every(Boolean), JSON.stringify(others));
  assert.match(await el.evaluate((e) => e.run().then(() => "ran", (err) => err.message)), /reload the page/);
  await page.locator("#panicking").scrollIntoViewIfNeeded();
  await screenshot(page, "robustness-panic");
  assert.deepEqual(rejections, [], "an unhandled rejection escaped");
  // Only the hook's own console line: no uncaught error reached the page.
  assertNoErrors(errors, (e) => /^Loop Lab stopped: .*a test asked Loop Lab to panic inside a task/s.test(e.text));
});

test("a panic from a direct call is caught the same way", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  await addLesson(page, "lazy", { id: "direct" });
  const thrown = await page.evaluate(async () => {
    const m = await import("/pkg/looplab.js");
    try {
      m.__looplabPanicForTest(false);
      return "no error";
    } catch (e) {
      return e instanceof WebAssembly.RuntimeError ? "RuntimeError" : String(e);
    }
  });
  assert.equal(thrown, "RuntimeError", "the caller gets the trap");
  await page.locator("#direct .ll-panic").waitFor({ timeout: 5_000 });
  assert.match(await page.locator("#direct .ll-panic pre").textContent(), /a test asked Loop Lab to panic\n|a test asked Loop Lab to panic$/m);
  assertNoErrors(errors, (e) => /^Loop Lab stopped: /.test(e.text));
});

/**
 * Headless Chromium never hides a page: Page.setWebLifecycleState, a second tab
 * brought to the front, Target.activateTarget and a minimized window all leave
 * `document.visibilityState` "visible". So the page's side is emulated: `hidden` is
 * overridden on the document and `visibilitychange` dispatched, exactly what the
 * runtime listens to and reads. (The throttling itself is the browser's, not emulated.)
 */
async function setHidden(page, hidden) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    document.dispatchEvent(new Event("visibilitychange"));
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
  await setHidden(page, true);
  await page.waitForTimeout(400);
  await setHidden(page, false);
  const summary = await page.evaluate(() => window.__run);
  assert.ok(summary.hidden_ms >= 300 && summary.hidden_ms < 1_000, `hidden for ${summary.hidden_ms} ms, expected ~400`);
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
