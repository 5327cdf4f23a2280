// The Python runs too (issue #16), its foundations: Pyodide loaded from the site's
// own folder under the strict Content-Security-Policy of docs/embedding.md, a lesson's
// asyncio program run on the page's loop, and its trace read back.
//
// - loading: one click, byte progress that adds up to the files' sizes, one interpreter
//   for the page, no CSP violation; a missing file rejects with its name, never hangs;
// - the sequential-vs-concurrent lesson's Python: one after another ≈ the sum of the
//   waits, gathered ≈ the longest, every task created before its first step, steps that
//   alternate start/end, outcomes done;
// - gather's siblings run on after one fails, a TaskGroup's are cancelled;
// - tracing changes nothing the program prints, and its cost per step is measured.
//
// The server mounts www/ at /www/ and the npm package at /pyodide/: the layout of
// `cargo xtask dist`'s output, so www/python/load.js finds Pyodide at ../../pyodide/.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { assertNoErrors, launchBrowser, openPage, ROOT, startHeaderServer } from "./lib.mjs";
import { assertLesson, assertWellFormed, byTask, firefoxSession, lessonProgram, PYODIDE, PYODIDE_FILES } from "./python-lib.mjs";


/** docs/embedding.md's policy, as e2e/embed.test.mjs sends it. */
const CSP = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self'",
  "connect-src 'self'", "worker-src 'self'", "object-src 'none'", "base-uri 'none'",
].join("; ");

/** The test page: a button that loads Python and runs `window.program`. No inline script. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Python</title>
<link rel="icon" href="/www/icon.svg"><script type="module" src="/python/page.js"></script></head>
<body><main><button id="load" type="button">Run the Python</button></main></body></html>`;

const PAGE_JS = `
window.violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective + " " + e.blockedURI));
import { loadPython } from "../www/python/load.js";
import { runPython } from "../www/python/run.js";
const state = { progress: [] };
window.looplab = { state, loadPython, runPython };
document.getElementById("load").addEventListener("click", async () => {
  state.clickAt = performance.now();
  try {
    const pyodide = await loadPython({ onProgress: (p) => state.progress.push(p) });
    state.record = await runPython(pyodide, window.program);
    document.documentElement.dataset.python = "ran";
  } catch (error) {
    state.error = error.message;
    document.documentElement.dataset.python = "failed";
  }
});`;

let tmp, server, browser;

before(async () => {
  // A copy of the Pyodide folder without its .wasm: a host that lost a file.
  tmp = await mkdtemp(join(tmpdir(), "looplab-python-"));
  for (const name of PYODIDE_FILES.filter((n) => !n.endsWith(".wasm"))) await symlink(join(PYODIDE, name), join(tmp, name));
  server = await startHeaderServer({
    mounts: { "/www/": join(ROOT, "www"), "/pyodide/": PYODIDE, "/pyodide-no-wasm/": tmp },
    pages: { "/python/": { type: "text/html; charset=utf-8", body: PAGE }, "/python/page.js": { type: "text/javascript", body: PAGE_JS } },
    headers: { "Content-Security-Policy": CSP },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh page on the test page, watched for CSP violations and errors. */
async function openPythonPage() {
  const { page, errors } = await openPage(browser);
  await page.goto(`${server.origin}/python/`);
  return { page, errors };
}

/** Clicks "Run the Python" with `program` and resolves to the page's state once it ran. */
async function clickAndRun(page, program) {
  await page.evaluate((text) => (window.program = text), program);
  await page.click("#load");
  await page.waitForFunction(() => document.documentElement.dataset.python, null, { timeout: 120000 });
  return page.evaluate(() => ({ ...window.looplab.state, violations: window.violations }));
}

/** Runs `program` on the page's (already loaded) interpreter. */
function run(page, program, options = {}) {
  return page.evaluate(async ({ program, options }) => {
    const { loadPython, runPython } = window.looplab;
    return runPython(await loadPython(), program, options);
  }, { program, options });
}

let page, errors;

test("one click loads Python from the site's folder under a strict CSP, with byte progress, and runs the lesson", async (t) => {
  ({ page, errors } = await openPythonPage());
  const state = await clickAndRun(page, await lessonProgram(0.2, 0.4));
  assert.equal(state.error, undefined, "the load and run failed");
  assert.deepEqual(state.violations, [], "CSP violations");
  assertNoErrors(errors);

  const sizes = Object.fromEntries(await Promise.all(["pyodide.asm.wasm", "python_stdlib.zip"].map(async (n) => [n, (await stat(join(PYODIDE, n))).size])));
  const last = state.progress.at(-1);
  assert.deepEqual(last.files, Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, { loaded: s, total: s }])), "every byte counted");
  assert.equal(last.loaded, last.total);
  const loaded = state.progress.map((p) => p.loaded);
  assert.deepEqual(loaded, [...loaded].sort((a, b) => a - b), "progress never goes back");
  assert.ok(state.progress.length > 10, `only ${state.progress.length} progress reports`);

  const firstStep = state.record.events.find((e) => e.kind === "poll_start").t;
  t.diagnostic(`click → first Python task running: ${(firstStep - state.clickAt).toFixed(0)} ms (headless Chromium, localhost)`);
  let raw = 0, gzipped = 0;
  for (const name of PYODIDE_FILES) {
    const bytes = await readFile(join(PYODIDE, name));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  t.diagnostic(`Pyodide's download: ${(raw / 1e6).toFixed(2)} MB raw, ${(gzipped / 1e6).toFixed(2)} MB gzipped (-9), ${PYODIDE_FILES.length} files`);

  const same = await page.evaluate(async () => {
    const { loadPython } = window.looplab;
    return loadPython() === loadPython() && (await loadPython()) === (await loadPython());
  });
  assert.ok(same, "a second loadPython on the page gets the same interpreter");
});

test("the lesson's Python: one after another ≈ the sum, gathered ≈ the longest", async () => {
  const record = await run(page, await lessonProgram(0.2, 0.4));
  assert.equal(record.mainStarted, "asyncio.run");
  assertLesson(record);
});

test("where asyncio.run cannot suspend (no WebAssembly.Suspending), main runs as a task the page awaits", async () => {
  const record = await page.evaluate(async (program) => {
    const { loadPython, runPython } = window.looplab;
    const pyodide = await loadPython();
    const suspending = WebAssembly.Suspending;
    WebAssembly.Suspending = undefined;
    try {
      return await runPython(pyodide, program);
    } finally {
      WebAssembly.Suspending = suspending;
    }
  }, await lessonProgram(0.2, 0.4));
  assert.equal(record.mainStarted, "task awaited by the page");
  assertLesson(record);
});

const SIBLINGS = `import asyncio

async def work(delay):
    await asyncio.sleep(delay)
    return delay

async def fail(delay):
    await asyncio.sleep(delay)
    raise ValueError("boom")

async def main():
    try:
        await asyncio.gather(work(0.3), fail(0.1))
    except ValueError:
        print("gather raised")
    await asyncio.sleep(0.4)  # the gathered work runs on meanwhile
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(work(0.3))
            group.create_task(fail(0.1))
    except* ValueError:
        print("the group raised")

asyncio.run(main())
`;

test("gather's siblings run on after one fails; a TaskGroup's are cancelled", async () => {
  const record = await run(page, SIBLINGS);
  assert.equal(record.error, null);
  assert.deepEqual(record.output.map((o) => o.text), ["gather raised", "the group raised"]);
  assertWellFormed(record);
  const tasks = byTask(record);
  assert.deepEqual(tasks.map((t) => t.name), ["main", "work", "fail", "work", "fail"]);
  const outcome = (task) => task.events.at(-1);
  const [main, gatheredWork, gatheredFail, groupedWork, groupedFail] = tasks;
  assert.deepEqual(outcome(gatheredFail).message, "ValueError: boom");
  assert.equal(outcome(gatheredWork).kind, "done", "gather's sibling finished its work");
  assert.ok(outcome(gatheredWork).t > outcome(gatheredFail).t, "… after the failure");
  const mainWoke = main.events.find((e) => e.kind === "wake" && e.t >= outcome(gatheredFail).t);
  assert.deepEqual([mainWoke.cause, mainWoke.by], ["task", gatheredFail.id], "main woken by the failure");
  assert.equal(outcome(groupedFail).kind, "failed");
  assert.equal(outcome(groupedWork).kind, "cancelled", "the group's sibling is cancelled");
  assert.ok(outcome(groupedWork).t >= outcome(groupedFail).t);
  assert.ok(outcome(groupedWork).t < outcome(groupedFail).t + 250, "cancelled at the failure, not at the end of its 300 ms wait");
  assert.equal(outcome(main).kind, "done");
});

const BEHAVIOUR = `import asyncio

async def value(n):
    await asyncio.sleep(0)
    return n * 2

async def raises():
    await asyncio.sleep(0)
    raise KeyError("k")

async def catches_cancel():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("cancel seen")
        raise

async def main():
    print(await asyncio.create_task(value(21)), asyncio.current_task() is not None)
    try:
        await asyncio.create_task(raises())
    except KeyError as error:
        print("caught", repr(error))
    task = asyncio.create_task(catches_cancel(), name="sleeper")
    await asyncio.sleep(0.01)
    task.cancel()
    print(await asyncio.gather(task, return_exceptions=True), task.cancelled(), task.get_name())
    print(await asyncio.wait_for(value(5), timeout=1))
    raise RuntimeError("the end")

asyncio.run(main())
`;

test("tracing changes nothing the program does", async () => {
  const traced = await run(page, BEHAVIOUR);
  const untraced = await run(page, BEHAVIOUR, { trace: false });
  const text = (r) => r.output.map((o) => o.text);
  assert.deepEqual(text(traced), text(untraced));
  assert.equal(traced.error, "RuntimeError: the end");
  assert.equal(untraced.error, traced.error);
  assert.equal(untraced.events.length, 0);
  assert.ok(text(traced).includes("cancel seen"), text(traced).join("\n"));
  assertWellFormed(traced);
});

test("followed live, the record grows as the program runs, each time the start of the final record", async (t) => {
  const { record, seen } = await page.evaluate(async (program) => {
    const { loadPython, runPython } = window.looplab;
    const seen = [];
    const onProgress = (r) => seen.push({ at: performance.now(), events: structuredClone(r.events), tasks: r.tasks.length });
    const record = await runPython(await loadPython(), program, { onProgress });
    return { record, seen };
  }, await lessonProgram(0.2, 0.4));
  assertLesson(record);
  // About 1 s at one look per 100 ms: several looks, while it ran, each further on.
  assert.ok(seen.length >= 4, `onProgress was called ${seen.length} times`);
  const end = record.events.at(-1).t;
  assert.ok(seen.filter((s) => s.at < end).length >= 4, "the looks came while the program ran");
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].events.length >= seen[i - 1].events.length, "the record only grows");
  for (const look of seen) assert.deepEqual(look.events, record.events.slice(0, look.events.length), "what was drawn live is what the record says");
  assert.ok(seen.some((s) => s.events.length > 0 && s.events.length < record.events.length), "some look saw the run half-way");
  assert.ok(record.followMs >= 0 && record.followMs < 0.25 * (end - record.origin), `following cost the page ${record.followMs} ms`);
  t.diagnostic(`${seen.length} looks; following cost the page ${record.followMs.toFixed(1)} ms in a ${(end - record.origin).toFixed(0)} ms run`);
});

const STEPS = 10000;
const STEPPER = `import asyncio
import time

async def main():
    start = time.monotonic()
    for _ in range(${STEPS}):
        await asyncio.sleep(0)
    print((time.monotonic() - start) * 1000)

asyncio.run(main())
`;

test("the tracing's cost per step, measured", async (t) => {
  // The program times its own steps (on Pyodide, time.monotonic() is performance.now()),
  // so the record's conversion to JS after the run is counted apart.
  const samples = { traced: [], untraced: [], export: [] };
  for (let round = 0; round < 7; round++) {
    for (const trace of [true, false]) {
      const [record, total] = await page.evaluate(async ({ program, trace }) => {
        const { loadPython, runPython } = window.looplab;
        const pyodide = await loadPython();
        const start = performance.now();
        const record = await runPython(pyodide, program, { trace });
        return [{ ...record, events: record.events.filter((e) => e.kind === "poll_start") }, performance.now() - start];
      }, { program: STEPPER, trace });
      const steps = Number(record.output[0].text);
      samples[trace ? "traced" : "untraced"].push(steps);
      if (trace) {
        samples.export.push(total - steps);
        assert.equal(record.events.length, STEPS + 1, "one step per sleep(0), and the last");
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [traced, untraced] = [median(samples.traced), median(samples.untraced)];
  // Rounds alternate traced and untraced, so a busy moment of the machine hits a pair.
  const paired = median(samples.traced.map((ms, i) => ms - samples.untraced[i]));
  const perStep = (ms) => ((1000 * ms) / STEPS).toFixed(1);
  t.diagnostic(`${STEPS} sleep(0) steps, medians of 7: untraced ${untraced.toFixed(0)} ms (${perStep(untraced)} µs a step), ` +
    `traced ${traced.toFixed(0)} ms: tracing costs ${perStep(paired)} µs a step (median of paired differences); the run's overhead around the program ` +
    `(compile, record to JS) ${median(samples.export).toFixed(0)} ms`);
  t.diagnostic(`samples: ${JSON.stringify(samples, (k, v) => (typeof v === "number" ? Math.round(v) : v))}`);
  const record = await run(page, STEPPER);
  assert.equal(record.events.filter((e) => e.kind === "wake" && e.cause === "self").length, STEPS, "each sleep(0) wakes its own task");
});

test("a missing file rejects the load with its name, and a later call may try again", async () => {
  const { page: broken } = await openPythonPage();
  const message = await broken.evaluate(async () => {
    const { loadPython } = window.looplab;
    return loadPython({ indexURL: new URL("/pyodide-no-wasm/", location.href).href }).then(() => "loaded", (e) => e.message);
  });
  assert.match(message, /^Python could not load: pyodide\.asm\.wasm answered HTTP 404/);
  const again = await broken.evaluate(async () => {
    const { loadPython } = window.looplab;
    return loadPython({ indexURL: new URL("/nowhere/", location.href).href }).then(() => "loaded", (e) => e.message);
  });
  assert.match(again, /^Python could not load: .*pyodide\.mjs/);
  await broken.close();
});

test("Firefox ESR: the lesson's Python loads under the CSP and keeps its claims", async (t) => {
  const firefox = await firefoxSession();
  t.after(firefox.close);
  await firefox.goto(`${server.origin}/python/`);
  const result = await firefox.execute(`
    const start = performance.now();
    const { loadPython, runPython } = window.looplab;
    const record = await runPython(await loadPython(), args[0]);
    return { record, loadMs: record.events[0].t - start, violations: window.violations };`, await lessonProgram(0.2, 0.4));
  assert.equal(result.thrown, undefined, result.thrown);
  assert.deepEqual(result.violations, [], "CSP violations");
  assert.equal(result.record.mainStarted, "asyncio.run");
  assertLesson(result.record);
  t.diagnostic(`Firefox ESR: load → first Python task created: ${result.loadMs.toFixed(0)} ms`);
});
