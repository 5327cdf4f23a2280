// Shared by the Python tests (python.test.mjs, python-lessons.test.mjs): where Pyodide
// is, the orders every traced record keeps, tolerances for timers, and Firefox ESR
// driven through geckodriver.
//
// A record is what www/python/run.js's runPython resolves to: tasks (an id is an
// index), events {t, task, kind, …} in the order they happened, on the page's clock.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, ROOT, waitForHttp } from "./lib.mjs";

/** The npm package's folder: what `cargo xtask dist` copies to pyodide/. */
export const PYODIDE = join(ROOT, "e2e/node_modules/pyodide");
/** What `cargo xtask dist` copies (xtask/src/dist.rs, PYODIDE_FILES). */
export const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

/** Per task: its record entry, id, and its events in order. */
export function byTask(record) {
  return record.tasks.map((task, id) => ({ ...task, id, events: record.events.filter((e) => e.task === id) }));
}

/** A task's steps as [start, end] pairs, in order. */
export function steps(task) {
  const out = [];
  for (const e of task.events) {
    if (e.kind === "poll_start") out.push([e.t, null]);
    else if (e.kind === "poll_end") out.at(-1)[1] = e.t;
  }
  return out;
}

/** A task's last event: its outcome (done, failed, cancelled), once well-formed. */
export const outcome = (task) => task.events.at(-1);
/** When a task first ran. */
export const firstStep = (task) => task.events.find((e) => e.kind === "poll_start").t;

/** The orders every task's events keep: created first, steps alternating, one outcome last. */
export function assertWellFormed(record) {
  for (const task of byTask(record)) {
    const kinds = task.events.map((e) => e.kind);
    assert.equal(kinds[0], "created", `${task.name}: first event`);
    const stepKinds = kinds.filter((k) => k === "poll_start" || k === "poll_end");
    assert.ok(stepKinds.length >= 2, `${task.name} ran no step`);
    stepKinds.forEach((k, i) => assert.equal(k, i % 2 ? "poll_end" : "poll_start", `${task.name}: step ${i}`));
    const outcomes = kinds.filter((k) => ["done", "failed", "cancelled"].includes(k));
    assert.equal(outcomes.length, 1, `${task.name}: one outcome`);
    assert.equal(kinds.at(-1), outcomes[0], `${task.name}: the outcome comes last`);
    const times = task.events.map((e) => e.t);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), `${task.name}: times in order`);
  }
}

/** |measured − expected| within 25 % + 50 ms: timers in a busy browser run late, never early. */
export function assertNear(measured, expected, what) {
  assert.ok(Math.abs(measured - expected) <= 0.25 * expected + 50, `${what}: ${measured.toFixed(1)} ms, expected ≈ ${expected} ms`);
}

/**
 * The sequential-vs-concurrent lesson's Python with shorter waits, its markers filled
 * here as src/lessons/python.rs fills them (python-lessons.test.mjs takes the filled
 * text from the mounted lesson itself).
 */
export async function lessonProgram(aliceS, bobS) {
  const rust = await readFile(join(ROOT, "src/lessons/sequential_vs_concurrent.rs"), "utf8");
  const shown = rust.match(/python: r#"([\s\S]*?)"#/)[1];
  return shown.replaceAll("«alice-ms/1000»", String(aliceS)).replaceAll("«bob-ms/1000»", String(bobS));
}

/** What the sequential-vs-concurrent lesson claims (waits 200 and 400 ms), read from its record. */
export function assertLesson(record) {
  assert.equal(record.error, null);
  assertWellFormed(record);
  const tasks = byTask(record);
  assert.deepEqual(tasks.map((t) => [t.name, t.parent]), [["main", null], ["greet", 0], ["greet", 0]]);
  for (const task of tasks) assert.equal(task.events.at(-1).kind, "done", `${task.name} outcome`);
  const [main, alice, bob] = tasks;
  const mainStart = main.events.find((e) => e.kind === "poll_start").t;
  const gathered = alice.events[0].t; // the gather makes both tasks at once
  assertNear(gathered - mainStart, 600, "Alice then Bob");
  assertNear(main.events.at(-1).t - gathered, 400, "Alice and Bob gathered");
  // Each gathered greet woke once, by its timer, after its own wait.
  for (const [task, wait] of [[alice, 200], [bob, 400]]) {
    const wake = task.events.find((e) => e.kind === "wake" && e.cause === "timer");
    assert.ok(wake && wake.t - gathered >= wait - 1, `${task.name} woke by its timer after ${wait} ms`);
  }
  const mainWoke = main.events.filter((e) => e.kind === "wake").at(-1);
  assert.deepEqual([mainWoke.cause, mainWoke.by], ["task", bob.id], "main is woken by the last greet to finish");
}

// ---- Firefox: playwright-core's Firefox needs its own patched build (its BiDi mode
// fails on Firefox ESR: "emulation.setMediaFeaturesOverride: unknown command"), so
// Debian's firefox-esr is driven through geckodriver's plain WebDriver HTTP API.

/** A headless firefox-esr session through geckodriver: `{goto(url), execute(body, ...args), close()}`. */
export async function firefoxSession() {
  const port = await freePort();
  const driver = spawn("geckodriver", ["--port", String(port)], { stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/status`);
  const call = async (method, path, body) => {
    const response = await fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${path}: ${JSON.stringify(value).slice(0, 400)}`);
    return value;
  };
  const options = { binary: "/usr/bin/firefox-esr", args: ["-headless"] };
  const { sessionId } = await call("POST", "/session", { capabilities: { alwaysMatch: { "moz:firefoxOptions": options, timeouts: { script: 180000 } } } });
  const session = `/session/${sessionId}`;
  return {
    goto: (url) => call("POST", `${session}/url`, { url }),
    /** Runs `body` (an async function's text, given `args`) in the page and returns its result. */
    execute: (body, ...args) => call("POST", `${session}/execute/async`, {
      args, script: `const done = arguments[arguments.length - 1]; (async (...args) => { ${body} })(...arguments).then(done, (e) => done({ thrown: String(e) }));`,
    }),
    close: async () => {
      await call("DELETE", session).catch(() => {});
      driver.kill();
    },
  };
}
