// What the inspector marks on the page (www/inspector.js loads this with itself):
// the legend of the timeline's marks, and the lines of code tasks are parked at.
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

/** The timeline's marks, as paint.rs draws them: [swatch class, glyph, words]. */
const MARKS = [
  ["ll-sw-loop", "", "loop lane: the one thread is busy polling a task"],
  ["ll-sw-run", "", "running: the task holds the thread, from a poll's start to its next await"],
  ["ll-sw-wait", "", "waiting: parked at an await; the thread is free for others"],
  ["ll-sw-scheduled", "", "scheduled: woken, in the ready queue, not yet polled"],
  ["ll-sw-idle", "", "created: not yet polled (a coroutine nobody awaits yet)"],
  ["ll-sw-done", "✓", "done"],
  ["ll-sw-failed", "✗", "failed, with its error"],
  ["ll-sw-cancelled", "⊘", "cancelled: dropped at its await"],
  ["ll-sw-hidden", "", "shaded: the tab was hidden, the browser throttled timers"],
  ["ll-sw-cursor", "", "the cursor: the instant the inspector shows"],
];

/**
 * The legend: every mark the timeline draws, each with its swatch, under a summary
 * that folds it (folded at first where room is scarce: `open` false).
 */
export function legend(open) {
  const box = el("details", "ll-legend-box");
  box.open = open;
  el("summary", "", "Legend: what the timeline draws", box);
  const list = el("ul", "ll-legend", "", box);
  for (const [swatch, glyph, words] of MARKS) {
    const item = el("li", "", "", list);
    el("span", `ll-swatch ${swatch}`, glyph, item).setAttribute("aria-hidden", "true");
    item.append(words);
  }
  return box;
}
