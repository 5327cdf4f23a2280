// Every lesson's Python runs, as shown, and keeps what the lesson claims (issue #16).
//
// For each lesson a fresh <loop-lab> is mounted on the lesson page (dev server: the
// demo API, and Pyodide at /pyodide/) with small parameters; the program is
// `handle.python`, which must be the text of the lesson's Python pane, parameters
// filled, not one marker left; it is run by www/python/run.js's runPython, and its
// record (every task's steps, wakes and outcome, on the page's clock) and what it
// printed are checked against the lesson's claim. Orders are exact; durations are
// checked as lower bounds, ratios measured in the same run, or "≈" with the
// tolerance of python-lib.mjs's assertNear (timers in a busy browser run late, never
// early). Requests are watched from outside the page, by the browser's own network
// events: a request the Python aborted is one the browser reports as aborted.
//
// Three lessons also run in Firefox ESR (geckodriver), the same way.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertNoErrors, launchBrowser, openPage, startDevServer, waitReady } from "./lib.mjs";
import { firefoxSession } from "./python-lib.mjs";
import { CLAIMS } from "./python-claims.mjs";

let server, browser, page, errors;
/**
 * The browser's view of every request the page made: `{url, start, end, failure}`,
 * times in ms; `startSeq` and `endSeq` number the events in the order they came.
 */
const requests = [];
let seq = 0;

before(async () => {
  server = await startDevServer();
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser));
  const byRequest = new Map();
  page.on("request", (r) => byRequest.set(r, requests.push({ url: r.url(), start: Date.now(), startSeq: seq++, end: null, failure: null }) - 1));
  const ended = (r, failure) => {
    const i = byRequest.get(r);
    if (i !== undefined) Object.assign(requests[i], { end: Date.now(), endSeq: seq++, failure });
  };
  page.on("requestfinished", (r) => ended(r, null));
  page.on("requestfailed", (r) => ended(r, r.failure()?.errorText ?? "failed"));
  await page.goto(`${server.origin}/`);
  await waitReady(page, errors);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * In the page: mounts lesson `id` with `attrs`, types `edits` into its form fields,
 * and returns the Python it shows (`handle.python` and the pane's text), then runs
 * that Python and returns its record (with `suspend: false`, as where asyncio.run
 * cannot suspend: run.js starts main as a task). A function's text, so Firefox runs it too.
 */
async function mountAndRun({ id, attrs, edits, suspend = true }) {
  const el = document.createElement("loop-lab");
  el.setAttribute("lesson", id);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.querySelector("main").append(el);
  el.scrollIntoView();
  const handle = await el._mount();
  const before = handle.python;
  for (const [k, v] of Object.entries(edits)) {
    const input = el.shadowRoot.querySelector(`input[name="${k}"]`);
    input.value = v;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const python = handle.python;
  const pane = el.shadowRoot.querySelector("code.language-python").textContent;
  const [{ loadPython }, { runPython }, { showRun }] = await Promise.all(
    ["/www/python/load.js", "/www/python/run.js", "/www/python/lesson.js"].map((m) => import(m)));
  const pyodide = await loadPython();
  const suspending = WebAssembly.Suspending;
  if (!suspend) WebAssembly.Suspending = undefined; // as in a browser without JSPI
  const record = await runPython(pyodide, python).finally(() => (WebAssembly.Suspending = suspending));
  // The summary the lesson's Python box shows: its verdict and figures, read off the record.
  const host = document.createElement("div");
  el.shadowRoot.append(host);
  const summary = await showRun(handle, host, record, { readerUrl: new URL("/pkg/reader/looplab.js", location.href) });
  el.remove();
  return { before, python, pane, record, summary, apiBase: new URL("api/", document.baseURI).href };
}

/**
 * The Python summary's verdict and figures: a sentence, each figure a number, and
 * those the claim reads off the record itself the same (to 0.5 ms and 1 %: the two
 * read the same record, each with its own code).
 */
function assertFigures(id, claim, shown, t) {
  const { verdict, figures } = shown.summary;
  assert.ok(verdict.length > 20, `${id}: the Python summary has no verdict`);
  for (const [name, v] of Object.entries(figures)) assert.ok(Number.isFinite(v), `${id}: figure ${name} is ${v}`);
  for (const [name, v] of Object.entries(claim.figures?.(shown.record) ?? {})) {
    assert.ok(name in figures, `${id}: the summary has no figure ${name}: ${JSON.stringify(figures)}`);
    assert.ok(Math.abs(figures[name] - v) <= 0.5 + 0.01 * Math.abs(v), `${id}: ${name} is ${figures[name]} in the summary, ${v} read off the record`);
  }
  const wire = { "gather-fetch": "max_on_the_wire", limit: "unlimited_on_the_wire" }[id];
  if (wire) {
    // The dev server speaks HTTP/1.1, on the page's origin (so its Resource Timing is
    // known): the browser sends at most six at a time to it.
    assert.ok(figures[wire] >= 1 && figures[wire] <= 6, `${id}: ${wire} ${figures[wire]}, not 1 to the browser's six per host`);
  }
  if ("frames" in figures) assert.ok(figures.frames_while_ready <= figures.frames, "frames while a task was ready are frames of the run");
  t.diagnostic(`verdict: ${verdict}`);
}

/** What every lesson's shown Python must be, before its claim is checked. */
function assertShown(id, shown) {
  assert.equal(shown.python, shown.pane, "handle.python is the pane's text");
  assert.doesNotMatch(shown.python, /[«»]/, "a marker was left in the Python shown");
  const lines = shown.python.split("\n");
  assert.match(lines[0], /^(import|from) /, "the program starts with its imports");
  assert.equal(lines.at(-1).trim(), "asyncio.run(main())", "and ends by running main");
  if (shown.python.includes("browser_http")) {
    assert.match(shown.python, /^import browser_http as aiohttp {2}# /m, "the stand-in for aiohttp is imported visibly");
    assert.ok(shown.python.includes(shown.apiBase), `the Python fetches the element's API base, ${shown.apiBase}`);
  }
  assert.equal(shown.record.error, null, `${id}: the Python failed: ${shown.record.error}\n${shown.python}`);
}

test("every lesson's Python runs as shown and keeps the lesson's claim (Chromium)", { timeout: 300_000 }, async (t) => {
  for (const [id, claim] of Object.entries(CLAIMS)) {
    await t.test(id, async (t) => {
      const from = requests.length;
      const shown = await page.evaluate(mountAndRun, { id, attrs: claim.attrs, edits: claim.edits ?? {} });
      assertShown(id, shown);
      claim.check(shown, { t, requests: requests.slice(from), apiBase: shown.apiBase });
      assertFigures(id, claim, shown, t);
    });
  }
  // An aborted fetch is no error; nothing else may be logged.
  assertNoErrors(errors);
});

test("a lesson's Python follows its form: an edited field is in the Python shown and run", async () => {
  const shown = await page.evaluate(mountAndRun, { id: "sequential-vs-concurrent", attrs: { "alice-ms": "200", "bob-ms": "300" }, edits: { "bob-ms": "250" } });
  assert.match(shown.before, /greet\("Bob", 0\.3\)/, "the attribute's value, as mounted");
  assert.match(shown.python, /await greet\("Bob", 0\.25\)\n/, "the edited value, once typed");
  assert.doesNotMatch(shown.python, /0\.3\b/);
  assert.equal(shown.python, shown.pane);
});

test("where asyncio.run cannot suspend, main under `if __name__ == \"__main__\":` still runs, and is awaited", async (t) => {
  const claim = CLAIMS["cpu-bound"];
  const shown = await page.evaluate(mountAndRun, { id: "cpu-bound", attrs: claim.attrs, edits: {}, suspend: false });
  assertShown("cpu-bound", shown);
  assert.equal(shown.record.mainStarted, "task awaited by the page");
  claim.check(shown, { t, requests: null, apiBase: shown.apiBase });
});

const FIREFOX = ["sequential-vs-concurrent", "errors", "cpu-bound"];

test(`Firefox ESR: ${FIREFOX.join(", ")}: their Python runs as shown and keeps the claim`, { timeout: 300_000 }, async (t) => {
  const firefox = await firefoxSession();
  t.after(firefox.close);
  await firefox.goto(`${server.origin}/`);
  const ready = await firefox.execute(`
    for (let i = 0; i < 400 && !["ready", "failed"].includes(document.documentElement.dataset.looplab); i++) await new Promise((r) => setTimeout(r, 50));
    return document.documentElement.dataset.looplab;`);
  assert.equal(ready, "ready");
  for (const id of FIREFOX) {
    await t.test(id, async (t) => {
      const claim = CLAIMS[id];
      const shown = await firefox.execute(`return (${mountAndRun})(args[0]);`, { id, attrs: claim.attrs, edits: claim.edits ?? {} });
      assert.equal(shown.thrown, undefined, shown.thrown);
      assertShown(id, shown);
      claim.check(shown, { t, requests: null, apiBase: shown.apiBase });
      assertFigures(id, claim, shown, t);
    });
  }
});
