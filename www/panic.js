// When Loop Lab itself breaks, every <loop-lab> element says so, politely.
//
// A Rust panic in the wasm (see src/view/panic.rs) first runs a hook that dispatches
// `looplab:panic` on the global object, with the panic's message and location as
// `detail`; then the release build aborts: the wasm call traps and JavaScript gets a
// WebAssembly.RuntimeError. An abort unwinds nothing, so the instance cannot be
// trusted afterwards (a RefCell may be left borrowed, the task queue mid-run), and
// stable Rust cannot unwind on wasm32. So after a panic:
//
// - every element shows "Something went wrong inside Loop Lab…", the details, a
//   *Copy details* button and a *Reload page* button, and its lesson is made inert
//   (no more calls into the stopped instance);
// - every pending or later `run()` rejects with a clear error instead of hanging;
// - the trap's RuntimeError is not left to surface as an uncaught page error.
//
// A RuntimeError from the wasm that no hook announced (an allocation failure aborts
// without panicking) is treated the same way, with the error's own message.

const STOPPED_MESSAGE = "Loop Lab stopped after an internal error; reload the page to run it again.";
let details = null;
const rejects = new Set();

/** True once Loop Lab has stopped; calls into the wasm must not be made. */
export function stopped() {
  return details !== null;
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
  for (const element of document.querySelectorAll("loop-lab")) show(element);
}

globalThis.addEventListener("looplab:panic", (event) => stop(String(event.detail)));

// The trap that follows the hook reaches whoever called into the wasm: an event
// listener (`error`) or a promise job of the task queue (`unhandledrejection`).
function isTrap(error) {
  return typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError;
}
globalThis.addEventListener("error", (event) => {
  if (!isTrap(event.error)) return;
  stop(`${event.error.message}\n${event.error.stack ?? ""}`);
  event.preventDefault();
});
globalThis.addEventListener("unhandledrejection", (event) => {
  if (!isTrap(event.reason)) return;
  stop(`${event.reason.message}\n${event.reason.stack ?? ""}`);
  event.preventDefault();
});

const STYLE = `
.ll-panic { margin: 0 0 12px; padding: 14px 16px; border: 2px solid var(--ll-failed, #b3261e);
  border-radius: var(--ll-radius, 8px); background: var(--ll-surface, #fff); color: var(--ll-text, #1d1f24);
  font: 15px/1.5 var(--ll-font, system-ui, sans-serif); }
.ll-panic strong { display: block; font-size: 1.05rem; margin-bottom: 4px; }
.ll-panic p { margin: 0 0 8px; }
.ll-panic pre { margin: 0 0 10px; padding: 8px 10px; max-height: 9em; overflow: auto; white-space: pre-wrap;
  background: var(--ll-code-bg, #f4f5f2); border-radius: 4px; font: 12px/1.4 var(--ll-mono, ui-monospace, monospace); }
.ll-panic button { font: inherit; margin-right: 8px; padding: 4px 12px; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--ll-border, #d9dbd6); background: var(--ll-surface, #fff); color: var(--ll-text, #1d1f24); }
.ll-panic button:first-of-type { background: var(--ll-accent, #1f5fbf); color: var(--ll-accent-text, #fff); border-color: transparent; }
.ll-panic [role="status"] { margin-left: 4px; color: var(--ll-muted, #555b66); font-size: 0.9rem; }`;

/** The notice inside one element's shadow root (once), its lesson made inert. */
function show(element) {
  const root = element.shadowRoot;
  if (!root || root.querySelector(".ll-panic")) return;
  const box = root.querySelector(".ll-host") ?? root;
  for (const article of box.querySelectorAll("article")) article.inert = true;
  const style = document.createElement("style");
  style.textContent = STYLE;
  const panel = document.createElement("div");
  panel.className = "ll-panic";
  panel.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = "Something went wrong inside Loop Lab…";
  const text = document.createElement("p");
  text.textContent = "It stopped, and the lessons on this page cannot run again until the page is " +
    "reloaded. Nothing you did caused this. The details below tell us where it happened.";
  const pre = document.createElement("pre");
  pre.textContent = details; // the panic's own words, shown as text
  const copy = button("Copy details");
  const reload = button("Reload page");
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  copy.addEventListener("click", () => copyDetails(pre, status));
  reload.addEventListener("click", () => location.reload());
  panel.append(title, text, pre, copy, reload, status);
  box.prepend(style, panel);
}

function button(label) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  return b;
}

/** Copies the details; where the clipboard is refused, selects them for Ctrl+C. */
async function copyDetails(pre, status) {
  try {
    await navigator.clipboard.writeText(details);
    status.textContent = "Copied.";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
  }
}
