// "Run the Python too": the lesson's Python, run by CPython 3.14 (Pyodide) in this
// page and shown under the Rust run, on the same kind of timeline, on the same clock.
//
//   import("./python/lesson.js").then((m) => m.runLessonPython(view, handle)); // mount.js, embed.js
//
// Loaded only when a reader (or `element.run({ language: "python" })`) asks: Pyodide
// is about 6 MB gzipped, and no embed's first load carries any of it. The first run
// downloads it from Loop Lab's own folder (`pyodide/`, never a CDN), with a progress
// bar in bytes; one interpreter then serves every lesson on the page. The program run
// is the Python the lesson shows, as shown. Its record (every step, wake and outcome
// of every task, stamped with performance.now() by trace.py) goes to the lesson's
// module as bytes (record.js), which shows it as it shows the Rust run and returns
// its summary. While the program runs, the record so far goes there every tenth of
// a second (run.js's onProgress), so the timeline grows live, as the Rust run's does.
import { loadPython } from "./load.js";
import { runPython } from "./run.js";
import { encodeRecord } from "./record.js";
import { load } from "../reader.js";

const CSS = new URL("python.css", import.meta.url);
const boxes = new WeakMap(); // view → its Python box

/**
 * Runs the lesson's Python in `view` (its lesson `handle`); resolves to the summary.
 * `indexURL`: where Pyodide's files are, if not at load.js's default.
 */
export async function runLessonPython(view, handle, { indexURL } = {}) {
  if (typeof handle.showPython !== "function" || handle.lesson === "playground") {
    throw new Error("Loop Lab: the playground runs its workload in Rust only; it has no Python run.");
  }
  const box = boxes.get(view)?.handle === handle ? boxes.get(view) : makeBox(view, handle);
  if (box.running) throw new Error("Loop Lab: the lesson's Python is already running; wait for it to finish.");
  box.running = true;
  box.section.dataset.state = "running";
  box.compare.textContent = "";
  for (const b of view.box.querySelectorAll(".ll-python-run")) b.disabled = true;
  try {
    await box.styled;
    const pyodide = await loadPython({ onProgress: (p) => progress(box, p), ...(indexURL ? { indexURL } : {}) });
    box.bar.hidden = true;
    box.status.textContent = "Python is running the program shown above…";
    const source = handle.python ?? view.box.querySelector(".language-python").textContent;
    // Drawn as it runs: the record so far, every tenth of a second, into the same box.
    const live = (soFar) => handle.showPythonLive(box.host, encodeRecord(soFar));
    const record = await runPython(pyodide, source, { onProgress: live });
    box.output.textContent = record.output.map((o) => o.text).join("\n");
    box.output.hidden = record.output.length === 0;
    [box.bytes, box.stamp] = [encodeRecord(record), box.stamp + 1]; // also what its inspector replays
    const summary = await showRun(handle, box.host, record, { bytes: box.bytes, readerUrl: view.readerUrl });
    offerInspector(view, handle, box);
    const rust = handle.lastSummary ? JSON.parse(handle.lastSummary) : null;
    box.status.textContent = said(summary, record);
    box.compare.textContent = compared(summary, rust);
    box.section.dataset.state = summary.error ? "error" : "done";
    return summary;
  } catch (error) {
    box.section.dataset.state = "error";
    box.bar.hidden = true;
    box.status.textContent = `The Python could not run: ${error instanceof Error ? error.message : String(error)}`;
    throw error;
  } finally {
    box.running = false;
    for (const b of view.box.querySelectorAll(".ll-python-run")) b.disabled = false;
  }
}

/** The Python run's section, after the lesson's task table. */
function makeBox(view, handle) {
  boxes.get(view)?.section.remove();
  const article = view.box.querySelector("article.ll-lesson");
  const section = el("section", "ll-python");
  section.setAttribute("aria-label", "The lesson's Python, run by CPython in this page");
  el("h3", "", "The same Python, run by CPython 3.14 in this page", section);
  el("p", "ll-python-note", "Pyodide is CPython compiled to WebAssembly. Its asyncio loop runs on the browser's event loop, " +
    "each ready callback as a browser task of its own, so between two steps of a task the page may paint; " +
    "Rust's executor here runs every woken task in one turn. Both runs are measured with performance.now(), on one clock.", section);
  const bar = el("progress", "", "", section);
  bar.setAttribute("aria-label", "Loading Python");
  const status = el("p", "ll-python-status", "Loading Python…", section);
  status.setAttribute("aria-live", "polite");
  const compare = el("p", "ll-python-compare", "", section);
  const output = el("pre", "ll-python-output", "", section);
  output.hidden = true;
  output.setAttribute("aria-label", "What the program printed");
  const host = el("div", "ll-python-run-box", "", section);
  article.append(section);
  const link = el("link");
  link.rel = "stylesheet";
  link.href = String(CSS);
  const styled = new Promise((resolve) => (link.onload = link.onerror = resolve)); // unstyled beats never shown
  view.box.before(link);
  const box = { handle, section, bar, status, compare, output, host, styled, running: false, bytes: null, stamp: 0 };
  boxes.set(view, box);
  return box;
}

/**
 * "Inspect step by step" for the Python run, in its row of exports (made anew with
 * each run): the inspector (../inspector.js) replays the record's bytes, marks the
 * Python lines its tasks are parked at, and moves the Python timeline's cursor.
 */
function offerInspector(view, handle, box) {
  const row = box.host.querySelector(".ll-exports");
  if (!row || typeof handle.showPythonAt !== "function") return;
  box.replayable ??= { language: "python", get stamp() { return box.stamp; }, dump: () => box.bytes, showAt: (t) => handle.showPythonAt(t) };
  const place = { root: box.section, anchor: box.host, title: "Inspector: what Python's loop saw" };
  const button = el("button", "ll-inspect", "Inspect step by step", row);
  button.type = "button";
  button.setAttribute("aria-expanded", String(box.section.querySelector(".ll-inspector")?.hidden === false));
  button.onclick = () => import("../inspector.js").then((m) => m.toggle(view, box.replayable, button, place))
    .catch((error) => (button.textContent = `Inspect step by step: could not load (${error.message})`));
}

/** Shows download progress `p` ({loaded, total}) in bytes. */
function progress(box, { loaded, total }) {
  const mb = (n) => (n / 1e6).toFixed(1);
  if (total) {
    box.bar.max = total;
    box.bar.value = loaded;
  } else {
    box.bar.removeAttribute("value"); // the host compressed the files: no total to show
  }
  box.status.textContent = total ? `Loading Python: ${mb(loaded)} of ${mb(total)} MB` : `Loading Python: ${mb(loaded)} MB`;
}

/**
 * Shows `record` (from runPython) in `host` with the lesson's `handle`, and resolves
 * to its summary, with the verdict and figures the lesson reads off the record and
 * off what the page measured meanwhile (frames, requests). Those are read by the
 * inspector's module (`readerUrl`: pkg/reader/looplab.js; src/verdicts/), loaded
 * now: no lesson's first load carries the Python verdicts.
 */
export async function showRun(handle, host, record, { bytes = encodeRecord(record), readerUrl }) {
  const summary = JSON.parse(handle.showPython(host, bytes, record.error ?? undefined));
  if (record.error) return summary; // a run that did not complete has no verdict, as in Rust
  const glue = await load(readerUrl);
  const replay = new glue.Replay(bytes);
  try {
    const flat = (pairs) => new Float64Array(pairs.flat());
    const asked = (record.requests ?? []).map((r) => [r.start, r.end]);
    const judged = replay.pythonVerdict(handle.lesson, new Float64Array(record.frames ?? []), flat(asked), flat(record.sent ?? []));
    return Object.assign(summary, JSON.parse(judged));
  } finally {
    replay.free();
  }
}

/** The Python run's verdict, in numbers (the box's table gives the rest). */
function said(python, record) {
  const tasks = (n) => `${n} task${n === 1 ? "" : "s"}`;
  let s = python.verdict ? `CPython: ${python.verdict}` : `CPython: ${ms(python.total_ms)} with ${tasks(python.tasks.length)}.`;
  if (record.error) s += ` The program ended with ${record.error}.`;
  if (record.mainStarted !== "asyncio.run") s += " (This browser cannot suspend asyncio.run, so main ran as a task the page awaited.)";
  return s;
}

/** The figures both runs measured, side by side; or why there is nothing to compare. */
function compared(python, rust) {
  if (!rust) return "Run the Rust above to compare the two runs figure by figure.";
  if (!rust.verdict) return "The last Rust run above did not complete: nothing to compare.";
  const shared = Object.keys(python.figures).filter((k) => k in rust.figures);
  if (shared.length === 0) return "";
  const pairs = shared.map((k) => `${label(k)} ${value(k, python.figures[k])} / ${value(k, rust.figures[k])}`);
  return `CPython / Rust (the last run above, with the parameters it had): ${pairs.join("; ")}.`;
}

const ms = (v) => `${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en")} ms`;
/** A figure's name in words: `sequential_ms` → "sequential". */
const label = (name) => name.replace(/_(ms|percent)$/, "").replaceAll("_", " ");
/** A figure's value, its unit read off its name. */
function value(name, v) {
  if (v === null || v === undefined) return "–";
  if (name.endsWith("_ms")) return ms(v);
  if (name.endsWith("_percent")) return `${Math.round(v)}%`;
  if (name === "speedup" || name === "ratio") return `${v.toFixed(2)}×`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function el(tag, className = "", text = "", parent = null) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  parent?.append(e);
  return e;
}
