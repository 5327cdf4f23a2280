// The notice Loop Lab shows in every <loop-lab> element once it has stopped on an
// internal error: what happened, the panic's own words, and the buttons *Reset*,
// *Copy details* and (only if a Reset fails) *Reload page*. Its look is lesson.css's
// `.ll-panic` rules: nothing is injected, so it works under a strict
// Content-Security-Policy.
//
// panic.js imports this file only when Loop Lab stops, so the first load of a page
// stays small; panic.js keeps the state (running or stopped) and makes the lessons
// inert, and this file only draws and answers the buttons.

let mounter = null; // the mounter whose `reset()` Reset calls (see panic.js `connect`)
let revive = null; // panic.js's: the fresh instance is live, the notices go
let resetting = null;

/**
 * Shows the notice in every <loop-lab> element (once each), with `details` (the
 * stop's text) to read and copy. Reset asks `m.reset(onLive)` for a fresh instance;
 * `onLive` removes the notices once it is live.
 */
export function showAll(details, m, onLive) {
  [mounter, revive] = [m, onLive];
  for (const element of document.querySelectorAll("loop-lab")) show(element, details);
}

/** Reset, from any element's panel: one fresh instance for every element. */
function reset(from) {
  if (resetting || !mounter) return;
  const panels = [...document.querySelectorAll("loop-lab")].flatMap((e) => [...(e.shadowRoot?.querySelectorAll(".ll-panic") ?? [])]);
  for (const panel of panels) {
    panel.querySelector(".ll-panic-reset").disabled = true;
    panel.querySelector("[role=status]").textContent = "Starting Loop Lab again…";
  }
  resetting = mounter.reset(revive).then(
    async () => {
      // The panel that had the focus is gone: give it to the lesson's Run button.
      const run = await from._mounted?.then(() => from.shadowRoot.querySelector("button.run"), () => null);
      run?.focus();
    },
    (error) => {
      for (const panel of panels) {
        panel.querySelector(".ll-panic-reset").disabled = false;
        panel.querySelector(".ll-panic-reload").hidden = false;
        panel.querySelector("[role=status]").textContent =
          `Reset did not work (${error?.message ?? error}). Reloading the page starts Loop Lab again.`;
      }
    },
  ).finally(() => {
    resetting = null;
  });
}

/** The notice inside one element's shadow root (once; panic.js made its lesson inert). */
function show(element, details) {
  const root = element.shadowRoot;
  if (!root || root.querySelector(".ll-panic")) return;
  const box = root.querySelector(".ll-host") ?? root;
  const panel = document.createElement("div");
  panel.className = "ll-panic";
  panel.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = "Something went wrong inside Loop Lab…";
  const text = document.createElement("p");
  text.textContent = "It stopped, and no lesson on this page can run until it starts again. Nothing you " +
    "did caused this. Reset starts Loop Lab afresh, here, without reloading the page; the details " +
    "below tell us where it happened.";
  const pre = document.createElement("pre");
  pre.textContent = details; // the panic's own words, shown as text
  const again = button("Reset", "ll-panic-reset");
  const copy = button("Copy details", "ll-panic-copy");
  const reload = button("Reload page", "ll-panic-reload");
  reload.hidden = true; // only if a Reset fails
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  again.addEventListener("click", () => reset(element));
  copy.addEventListener("click", () => copyDetails(pre, status));
  reload.addEventListener("click", () => location.reload());
  panel.append(title, text, pre, again, copy, reload, status);
  box.prepend(panel);
}

function button(label, className) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  return b;
}

/** Copies the details; where the clipboard is refused, selects them for Ctrl+C. */
async function copyDetails(pre, status) {
  try {
    await navigator.clipboard.writeText(pre.textContent);
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
