// When Loop Lab itself breaks, every <loop-lab> element says so politely, and Reset
// brings the lessons back without reloading the page.
//
// The release wasm aborts on a panic (stable Rust cannot unwind on wasm32): the
// panic hook in src/app/panic.rs first dispatches `looplab:panic` on the global
// object, `detail` = `{instance, text}`, and then the wasm call traps with a
// WebAssembly.RuntimeError. Nothing was unwound, so that instance is finished (a
// RefCell may still be borrowed, the task queue stopped half-way). So:
//
// - every element's lesson is made inert at once, pending and later `run()` calls
//   reject with a clear error, and nothing calls into the stopped instance any
//   more; the trap is not left to surface as an uncaught error;
// - every element then shows "Something went wrong inside Loop Lab…", the details,
//   and the buttons *Reset* and *Copy details*. That notice is notice.js, imported
//   only now: a page that never stops never downloads it;
// - *Reset* asks the mounter (mount.js) for a fresh instance of the already compiled
//   module, and every lesson is mounted on it again with its own parameters. Only
//   if that fails does the panel offer *Reload page*.
//
// This file is the part every page loads: the state (running or stopped), the
// listeners that learn of a panic, and what embed.js asks (`connect`, `guard`,
// `running`, `stopped`).
//
// The stopped instance lingers: a timer, a fetch or a listener it registered may
// still enter it after a Reset and panic there again. Each instance is numbered
// (`setInstance`), so a panic from any instance but the live one is ignored, and so
// is the trap that follows it. A RuntimeError that no hook announced (an
// allocation failure aborts without panicking) stops the live instance, with the
// error's own message.

const STOPPED_MESSAGE = "Loop Lab stopped after an internal error; press Reset in the lesson to run it again.";
/** How long after an ignored panic its trap may still arrive (a rejection is reported a task later). */
const TRAP_WINDOW_MS = 2_000;

let mounter = null;
let details = null; // the stop's text; null while Loop Lab runs
const rejects = new Set();
const waiting = new Set(); // resolves of `running()`
const ignoredTraps = []; // deadlines of the traps expected after ignored panics

/** Gives panic.js the mounter whose instance it watches and whose `reset()` Reset calls. */
export function connect(m) {
  mounter = m;
}

/** True while Loop Lab is stopped: calls into the wasm must not be made. */
export function stopped() {
  return details !== null;
}

/** Resolves at once while Loop Lab runs; when it is stopped, once a Reset brought it back. */
export function running() {
  return stopped() ? new Promise((resolve) => waiting.add(resolve)) : Promise.resolve();
}

/**
 * `start()`'s promise, or a rejection as soon as Loop Lab stops (a call that trapped
 * never settles). Once stopped, `start` is not called at all: no more calls into the
 * stopped instance.
 */
export function guard(start) {
  if (stopped()) return Promise.reject(new Error(STOPPED_MESSAGE));
  return new Promise((resolve, reject) => {
    rejects.add(reject);
    start().then(resolve, reject).finally(() => rejects.delete(reject));
  });
}

function stop(text) {
  if (stopped()) return;
  details = text;
  for (const reject of rejects) reject(new Error(STOPPED_MESSAGE));
  rejects.clear();
  setInert(true);
  import("./notice.js").then(
    // Still stopped (nothing but the notice's own Reset revives): show it everywhere.
    (notice) => stopped() && notice.showAll(details, mounter, revive),
    (error) => {
      console.error(`Loop Lab stopped (${text}); its notice could not load: ${error}`);
      // Still say so in every element, or the inert lessons would look frozen.
      for (const element of document.querySelectorAll("loop-lab")) {
        const root = element.shadowRoot;
        if (!root || root.querySelector(".ll-panic")) continue;
        const panel = document.createElement("p");
        panel.className = "ll-panic";
        panel.setAttribute("role", "alert");
        panel.textContent = "Loop Lab stopped after an internal error. Reload the page to start it again.";
        (root.querySelector(".ll-host") ?? root).prepend(panel);
      }
    },
  );
}

/** Makes every element's lesson inert (while stopped) or live again. */
function setInert(inert) {
  for (const element of document.querySelectorAll("loop-lab")) {
    const root = element.shadowRoot;
    for (const article of root?.querySelectorAll("article") ?? []) article.inert = inert;
  }
}

/** The fresh instance is live: the notices go, runs are accepted again. */
function revive() {
  details = null;
  for (const element of document.querySelectorAll("loop-lab")) {
    for (const panel of element.shadowRoot?.querySelectorAll(".ll-panic") ?? []) panel.remove();
  }
  setInert(false);
  for (const resolve of waiting) resolve();
  waiting.clear();
}

globalThis.addEventListener("looplab:panic", (event) => {
  const detail = event.detail;
  const text = typeof detail === "string" ? detail : String(detail?.text);
  const instance = typeof detail === "string" ? undefined : detail?.instance;
  const live = mounter === null || instance === undefined || instance === mounter.instance();
  if (!live || stopped()) {
    // An instance already given up (or stopped) entered again: only its trap is to come.
    ignoredTraps.push(performance.now() + TRAP_WINDOW_MS);
    return;
  }
  stop(text);
});

/** True (and counted) if a trap is the one expected after an ignored panic. */
function ignoredTrap() {
  const now = performance.now();
  while (ignoredTraps.length > 0 && ignoredTraps[0] < now) ignoredTraps.shift();
  return ignoredTraps.shift() !== undefined;
}

// The trap reaches whoever called into the wasm: an event listener or timer
// (`error`) or a promise job of the task queue (`unhandledrejection`).
function onTrap(error, event) {
  if (typeof WebAssembly === "undefined" || !(error instanceof WebAssembly.RuntimeError)) return;
  event.preventDefault();
  if (ignoredTrap()) return;
  stop(`${error.message}\n${error.stack ?? ""}`);
}
globalThis.addEventListener("error", (event) => onTrap(event.error, event));
globalThis.addEventListener("unhandledrejection", (event) => onTrap(event.reason, event));

