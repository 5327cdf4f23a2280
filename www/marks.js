// What the inspector shows besides its controls (www/inspector.js loads this with
// itself): the loop's state at an instant as text, the lines of code tasks are
// parked at, and the legend of the timeline's marks. All of it from what the wasm
// computed; nothing here works out a state.
//
// The legend draws each mark as the timeline paints it (src/view/timeline/paint.rs),
// in the same colours: the painter reads the lesson's CSS custom properties
// (--ll-run, --ll-wait, --ll-muted, --ll-border, --ll-done, --ll-failed,
// --ll-cancelled, --ll-text) and inspector.css gives each swatch the same one, so a
// page that themes the lesson themes both alike.

/** An element `tag` with class `cls` and text `text`, appended to `parent` if given. */
export function el(tag, cls = "", text = "", parent = null) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  parent?.append(node);
  return node;
}

/** "1 204.5 ms": one decimal (events a fraction of a ms apart stay apart), thin-space grouped. */
export function ms(t) {
  const [whole, frac] = Math.abs(t).toFixed(1).split(".");
  return `${t < 0 ? "−" : ""}${whole.replace(/\B(?=(\d{3})+$)/g, "\u2009")}.${frac} ms`;
}

const IDLE = "idle — the loop waits for a timer, a response or a wake";

/**
 * The rows of the state list for state `s` (what `inspect` returns), as <dl> groups:
 * the instant (`which` says whose), the running task, the ready queue in order, each
 * waiting task with its lines quoted from `code` (see codeLines), timers, requests.
 */
export function stateRows(s, which, code) {
  const rows = [["Instant", [`${ms(s.t_ms)} after the run began (${which})`]]];
  rows.push(["Running", [s.running ?? (s.ready.length ? "nobody — between polls: the loop takes the first ready task next" : IDLE)]]);
  rows.push(["Ready queue", s.ready, "ol", "empty: no task is waiting for its turn"]);
  rows.push(["Waiting", s.waiting.map((w) => waitItem(w, code)), "ul", "no task is parked"]);
  rows.push(["Timers pending", s.timers.map((t) => `due at ${ms(t.deadline_ms)}, to wake ${t.task}`), "ul", "none"]);
  rows.push(["Requests in flight", s.fetches.map((f) => `${f.url}, sent at ${ms(f.since_ms)} by ${f.task}`), "ul", "none"]);
  return rows.map(([term, items, list, none]) => {
    const row = el("div");
    el("dt", "", term, row);
    const dd = el("dd", "", "", row);
    if (!list) dd.append(...items);
    else if (items.length === 0) dd.textContent = none;
    else el(list, "", "", dd).append(...items.map((item) => {
      const li = el("li");
      li.append(item);
      return li;
    }));
    return row;
  });
}

/** One waiting task: what it waits on, since when, and its line in each code with the line's text. */
function waitItem(w, code) {
  const item = document.createDocumentFragment();
  item.append(`${w.task} waits on ${w.what}, since ${ms(w.since_ms)}`);
  for (const [lang, line] of [["Python", w.python_line], ["Rust", w.rust_line]]) {
    const text = line && code.text(lang, line);
    if (!text) continue;
    item.append(`; ${lang} line ${line}: `);
    el("code", "", text, item);
  }
  return item;
}

/**
 * The lesson's two code blocks, each line wrapped in a span once (the text stays the
 * same, so copying it still works): `text(lang, n)` gives line n (1-based), and
 * `mark(waiting)` highlights the lines those waits are parked at.
 */
export function codeLines(box) {
  const blocks = {};
  for (const [lang, cls] of [["Python", "language-python"], ["Rust", "language-rust"]]) {
    const code = box.querySelector(`.code-pair code.${cls}`);
    if (!code) continue;
    const text = code.textContent.split("\n");
    code.replaceChildren(...text.map((line, n) => {
      const span = el("span", "ll-line", line);
      span.dataset.line = String(n + 1);
      return [span, n < text.length - 1 ? "\n" : ""];
    }).flat());
    blocks[lang] = { code, text };
  }
  let marked = [];
  return {
    // Without its trailing comment: the quote says where, the code above says why.
    text: (lang, n) => blocks[lang]?.text[n - 1]?.trim().replace(/\s+(\/\/|#).*$/, "") ?? "",
    mark(waiting) {
      for (const span of marked) span.textContent = span.textContent; // drops the <mark>
      marked = [];
      for (const [lang, key] of [["Python", "python_line"], ["Rust", "rust_line"]]) {
        for (const w of waiting) {
          const span = w[key] && blocks[lang]?.code.querySelector(`[data-line="${w[key]}"]`);
          if (!span) continue;
          // A <mark>: highlighted for screen readers too; its title names who waits there.
          const mark = span.querySelector("mark") ?? el("mark", "ll-parked", span.textContent);
          mark.title = [mark.title, `${w.task} is parked here, waiting on ${w.what}`].filter(Boolean).join("; ");
          span.replaceChildren(mark);
          marked.push(span);
          // Into view inside its code block, never by scrolling the page: the reader is
          // at the inspector's controls, and the focus stays there.
          span.closest("pre").scrollLeft = 0;
        }
      }
    },
  };
}

/**
 * The timeline's marks, as paint.rs draws them: [swatch class, glyph, words], and
 * where a Python run's words differ (asyncio runs a task in steps, not polls).
 */
const MARKS = [
  ["ll-sw-loop", "", "loop lane: the one thread is busy polling a task", "loop lane: the one thread is busy running a task's step"],
  ["ll-sw-run", "", "running: the task holds the thread, from a poll's start to its next await", "running: the task holds the thread, from a step's start to its next await"],
  ["ll-sw-wait", "", "waiting: parked at an await; the thread is free for others"],
  ["ll-sw-scheduled", "", "scheduled: woken, in the ready queue, not yet polled", "scheduled: woken, in the ready queue, its next step not run yet"],
  ["ll-sw-idle", "", "created: not yet polled (a coroutine nobody awaits yet)", "created: its coroutine not started yet"],
  ["ll-sw-done", "✓", "done"],
  ["ll-sw-failed", "✗", "failed, with its error"],
  ["ll-sw-cancelled", "⊘", "cancelled: dropped at its await", "cancelled: CancelledError raised at its await"],
  ["ll-sw-hidden", "", "shaded: the tab was hidden, the browser throttled timers"],
  ["ll-sw-cursor", "", "the cursor: the instant the inspector shows"],
];

/**
 * The legend: every mark the timeline draws, each with its swatch, under a summary
 * that folds it (folded at first where room is scarce: `open` false); in asyncio's
 * words for a Python run (`python`).
 */
export function legend(open, python = false) {
  const box = el("details", "ll-legend-box");
  box.open = open;
  el("summary", "", "Legend: what the timeline draws", box);
  const list = el("ul", "ll-legend", "", box);
  for (const [swatch, glyph, words, asyncio] of MARKS) {
    const item = el("li", "", "", list);
    el("span", `ll-swatch ${swatch}`, glyph, item).setAttribute("aria-hidden", "true");
    item.append(python && asyncio ? asyncio : words);
  }
  return box;
}
