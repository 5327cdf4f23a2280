// The inspector: step through the recording of the last run and see what the loop
// saw at each event — who ran, who was ready and in what order, what each waiting
// task waited on and at which line of the code.
//
//   import("./inspector.js").then((m) => m.toggle(view, handle, button)); // mount.js
//
// Everything it shows was computed in WebAssembly, by replaying the run's record
// (src/trace/inspect.rs) in the inspector's own module (reader.js): a Replay's
// `inspectEvent(i)` and `inspect(t_ms)` give the state, `steps(from, count)` the
// events in words. This file only lays them out as text. It is loaded with `import()` when a
// reader first opens an inspector, so it costs no embed's first load; its styles
// are inspector.css, linked into the lesson's shadow root then (a <link>: a page
// whose policy forbids inline styles still shows them).
//
// Stepping back is cheap and exact: every state is a fresh replay of the record up
// to that event, so going back to an event shows what going forward to it showed.
//
// The Python run of a lesson (python/lesson.js) has an inspector of its own, under
// its box: `toggle(view, pythonHandle, button, place)`, where the handle gives that
// run's record (`dump()`, `stamp`) and cursor (`showAt`), and `place` says where its
// panel goes and whose run state and cursor it follows.
import { codeLines, el, legend, ms, stateRows } from "./marks.js";
import { replayOf } from "./reader.js";

const CSS = new URL("inspector.css", import.meta.url);
/** Steps fetched per `steps()` call, and the most the inspector keeps (a huge run's log is cut there). */
const LOAD = 1000;
const KEEP = 10_000;
/** Log entries on one page. */
const PAGE = 100;

const open = new WeakMap(); // view (or the Python run's section) → its inspector
const wrapped = new WeakMap(); // a lesson's code pair → its lines (codeLines)

/**
 * Opens the inspector of `view` (its lesson `handle`), or closes it if open.
 * `button` is the "Inspect" control: its aria-expanded follows. `place`, for the
 * Python run: `{ root, anchor, title }`: the section whose `data-state` says when it
 * runs and whose timeline's cursor it follows, the element the panel goes after, and
 * the panel's heading.
 */
export async function toggle(view, handle, button, place = null) {
  const key = place?.root ?? view;
  let inspector = open.get(key);
  if (inspector?.handle !== handle) {
    inspector?.drop(); // the lesson was mounted again (a reset): its old panel is gone
    inspector = new Inspector(view, handle, button, place);
    open.set(key, inspector);
    await inspector.styled;
  }
  inspector.button = button; // the Python box makes its button anew with each run
  if (inspector.panel.hidden) inspector.show();
  else inspector.close();
}

class Inspector {
  constructor(view, handle, button, place) {
    Object.assign(this, { view, handle, button, place, steps: [], done: false, cur: -1, page: 0, task: "" });
    this.article = view.box.querySelector("article.ll-lesson");
    this.runs = place?.root ?? this.article; // its data-state says whether the run is over
    const link = el("link");
    link.rel = "stylesheet";
    link.href = String(CSS);
    this.styled = new Promise((resolve) => {
      link.onload = link.onerror = resolve; // unstyled beats never shown
    });
    view.box.before(link);
    this.link = link;
    // The lines are wrapped once per mounted lesson, for both runs' inspectors.
    const pair = view.box.querySelector(".code-pair") ?? view.box;
    if (!wrapped.has(pair)) wrapped.set(pair, codeLines(view.box));
    this.code = wrapped.get(pair);
    this.build();
    // A new run replaces the record: start again from its first event once it is over.
    this.watch = new MutationObserver(() => this.runChanged());
    this.watch.observe(this.runs, { attributes: true, attributeFilter: ["data-state"] });
    // The reader moved the timeline's cursor: show that instant (the Rust run's
    // inspector leaves the Python box's timeline to the Python run's).
    this.onCursor = (event) => {
      if (place || !event.target?.closest?.(".ll-python")) this.cursorAt(event.detail);
    };
    (place?.root ?? view.box).addEventListener("looplab:cursor", this.onCursor);
  }

  /** The panel, under the timeline: legend, controls, the state, the log. */
  build() {
    const id = `ll-inspector-${this.article.dataset.lesson}${this.place ? "-python" : ""}`;
    const panel = (this.panel = el("section", "ll-inspector"));
    panel.id = id;
    panel.hidden = true;
    panel.setAttribute("aria-labelledby", `${id}-title`);
    el("h3", "", this.place?.title ?? "Inspector: what the loop saw", panel).id = `${id}-title`;
    panel.append(legend(!this.view.box.classList.contains("ll-compact") && !this.view.target.hasAttribute("compact"), this.handle.language === "python"));
    const bar = el("div", "ll-insp-bar", "", panel);
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Step through the run");
    this.buttons = {};
    const python = this.handle.language === "python"; // a Python run: asyncio's words
    const poll = python ? "step" : "poll";
    for (const [go, label, keys] of [
      ["prev-poll", `⇤ Previous ${poll}`, "Shift+ArrowLeft"], ["prev", "← Previous event", "ArrowLeft"],
      ["next", "Next event →", "ArrowRight"], ["next-poll", `Next ${poll} ⇥`, "Shift+ArrowRight"],
    ]) {
      const b = (this.buttons[go] = el("button", "", label, bar));
      b.type = "button";
      b.setAttribute("aria-keyshortcuts", keys);
      b.onclick = () => this.go(go);
    }
    this.said = el("p", "ll-insp-said", "", panel);
    this.said.setAttribute("aria-live", "polite");
    el("p", "ll-insp-note", "Stepping back replays the recording of this run: nothing runs again. " +
      `Keys: ← and → step one event, Shift with them one ${poll}; moving the timeline's cursor shows that instant. ` +
      (python
        ? "A step is one turn of a task: asyncio's loop runs its coroutine until the next await that must wait, " +
          "where it suspends and hands the thread back (Rust's words for it: a poll that returns Pending)."
        : "In Rust's words, a poll is one turn of a task (asyncio: its coroutine runs until its next await), and " +
          "a task that returns Pending has reached an await that must wait (asyncio: the coroutine yields to the loop)."), panel);
    this.state = el("dl", "ll-insp-state", "", panel);
    this.log = el("section", "ll-insp-log", "", panel);
    this.log.setAttribute("aria-labelledby", `${id}-log`);
    el("h4", "", "Every event of the run, in words", this.log).id = `${id}-log`;
    const tools = el("div", "ll-insp-tools", "", this.log);
    const label = el("label", "", "Task ", tools);
    this.filter = el("select", "", "", label);
    this.filter.onchange = () => this.showLog(this.filter.value, this.cur);
    this.earlier = el("button", "", "Earlier events", tools);
    this.range = el("span", "ll-insp-range", "", tools);
    this.later = el("button", "", "Later events", tools);
    for (const [b, d] of [[this.earlier, -1], [this.later, 1]]) {
      b.type = "button";
      b.onclick = () => this.turn(d);
    }
    this.list = el("ol", "ll-insp-list", "", this.log);
    panel.addEventListener("keydown", (event) => this.key(event));
    (this.place?.anchor ?? this.article.querySelector(".ll-timeline")).after(panel);
  }

  show() {
    this.panel.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.button.setAttribute("aria-controls", this.panel.id);
    this.restart();
  }

  close() {
    this.panel.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
    this.code.mark([]);
  }

  /** Removes the panel, its styles and listeners, and the marks in the code. */
  drop() {
    this.close();
    this.watch.disconnect();
    (this.place?.root ?? this.view.box).removeEventListener("looplab:cursor", this.onCursor);
    this.panel.remove();
    this.link.remove();
  }

  /** A run started or ended: while one runs there is nothing settled to step through. */
  runChanged() {
    if (!this.panel.hidden) this.restart();
  }

  /** From the first event of the last run (again). */
  async restart() {
    const token = (this.token = {}); // a later restart wins
    Object.assign(this, { steps: [], done: false, cur: -1, page: 0, replay: null });
    if (this.runs.dataset.state === "running") {
      for (const b of Object.values(this.buttons)) b.setAttribute("aria-disabled", "true");
      this.said.textContent = "A run is in progress: the inspector shows it once it is over.";
      this.state.replaceChildren();
      this.list.replaceChildren();
      this.code.mark([]);
      return;
    }
    this.tasks = null;
    try {
      const replay = await replayOf(this.handle, this.view.readerUrl);
      if (token !== this.token) return;
      this.replay = replay;
      this.more();
      this.goTo(0);
    } catch (error) {
      this.said.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  /** Fetches the next steps of the log (up to KEEP); false when there are no more. */
  more() {
    if (this.done || !this.replay) return false;
    const from = this.steps.length ? this.steps[this.steps.length - 1].i + 1 : 0;
    const { events, steps } = JSON.parse(this.replay.steps(from, LOAD));
    this.events = events;
    this.steps.push(...steps);
    this.done = steps.length < LOAD || this.steps.length >= KEEP;
    if (steps.some((s) => !this.tasks?.has(s.task))) this.fillFilter(); // tasks first seen in this part
    return steps.length > 0;
  }

  /** The task select: every task that has an event, in order of first appearance. */
  fillFilter() {
    this.tasks = new Set(this.steps.map((s) => s.task));
    const tasks = [...this.tasks];
    this.filter.replaceChildren(new Option("all tasks", ""), ...tasks.map((t) => new Option(t, t)));
    this.filter.value = tasks.includes(this.task) ? this.task : "";
  }

  /**
   * Marks the stepping buttons that have nowhere to go (aria-disabled, not disabled:
   * a focused button keeps the focus at the first or last event).
   */
  ends() {
    const i = this.cur;
    const polls = (from, to) => this.steps.slice(from, to).some((s) => s.kind === "poll");
    const last = this.done && i >= this.steps.length - 1;
    const off = { prev: i <= 0, "prev-poll": !polls(0, Math.max(i, 0)), next: last, "next-poll": this.done && !polls(i + 1) };
    for (const [go, b] of Object.entries(this.buttons)) b.setAttribute("aria-disabled", String(off[go]));
  }

  /** Moves by one event or to the next/previous poll (loading more of the log if needed). */
  go(how) {
    const poll = how.endsWith("poll");
    const dir = how.startsWith("next") ? 1 : -1;
    let i = this.cur + dir;
    for (;;) {
      while (i >= this.steps.length && this.more());
      if (i < 0 || i >= this.steps.length) return; // nothing further: stay
      if (!poll || this.steps[i].kind === "poll") return this.goTo(i);
      i += dir;
    }
  }

  /** Shows step `i` of the log: the sentence, the state after it, the cursor, the log's place. */
  goTo(i) {
    const step = this.steps[i];
    if (!step) return;
    this.cur = i;
    this.said.textContent = `${ms(step.t_ms)} — ${step.text}`;
    this.said.dataset.tMs = step.t_ms; // the exact instant, for scripts (the text rounds it)
    this.render(JSON.parse(this.replay.inspectEvent(step.i)), `event ${i + 1} of the log`);
    this.handle.showAt(step.t_ms);
    this.showLog(this.task, i);
    this.ends();
  }

  /** The cursor moved to `t`: the state at that instant; the log marks the last event before it. */
  cursorAt(t) {
    if (this.panel.hidden || !this.replay || this.runs.dataset.state === "running" || !Number.isFinite(t)) return;
    cancelAnimationFrame(this.frame); // one replay per frame, however fast the pointer moves
    this.frame = requestAnimationFrame(() => {
      let i = this.steps.findLastIndex((s) => s.t_ms <= t);
      if (i === this.steps.length - 1 && this.more()) i = this.steps.findLastIndex((s) => s.t_ms <= t);
      this.cur = i;
      this.said.textContent = `${ms(t)} — the timeline's cursor`;
      this.said.dataset.tMs = t;
      this.render(JSON.parse(this.replay.inspect(t)), "the cursor's instant");
      this.showLog(this.task, i);
      this.ends();
    });
  }

  /** Writes state `s` (inspect's shape) into the panel and marks its lines in the code. */
  render(s, which) {
    this.state.replaceChildren(...stateRows(s, which, this.code));
    this.code.mark(s.waiting);
  }

  /**
   * Shows the log page holding step `at` (or, with `at` null, the first page) of
   * the steps of `task` ("" for all), marking the current step.
   */
  showLog(task, at) {
    if (task !== this.task) this.page = 0;
    this.task = task;
    this.shown = this.steps.map((s, i) => [s, i]).filter(([s]) => !task || s.task === task);
    const where = this.shown.findLastIndex(([, i]) => i <= (at ?? -1));
    if (at !== null && where >= 0) this.page = Math.floor(where / PAGE);
    this.drawPage();
  }

  /** Another page of the log (`dir` −1 or 1), fetching more steps at the end. */
  turn(dir) {
    this.page += dir;
    if ((this.page + 1) * PAGE > this.shown.length && this.more()) return this.showLog(this.task, null);
    this.drawPage();
  }

  drawPage() {
    const last = Math.max(0, Math.ceil(this.shown.length / PAGE) - 1);
    this.page = Math.min(Math.max(this.page, 0), last);
    const part = this.shown.slice(this.page * PAGE, (this.page + 1) * PAGE);
    this.list.replaceChildren(...part.map(([s, i]) => {
      const li = el("li");
      const b = el("button", "", `${ms(s.t_ms)} — ${s.text}`, li);
      b.type = "button";
      b.tabIndex = i === this.cur ? 0 : -1;
      if (i === this.cur) b.setAttribute("aria-current", "step");
      b.onclick = () => this.goTo(i);
      return li;
    }));
    const cut = this.done && this.steps.length >= KEEP ? ` — the log keeps the first ${KEEP} of the run's ${this.events} events` : "";
    const from = this.page * PAGE + 1;
    this.range.textContent = part.length ? `${from}–${from + part.length - 1} of ${this.shown.length}${this.done ? "" : "+"}${cut}` : "no events";
    this.earlier.disabled = this.page === 0;
    this.later.disabled = (this.page + 1) * PAGE >= this.shown.length && this.done;
    // Keep the current entry in view inside the list, without scrolling the page.
    const current = this.list.querySelector("[aria-current]");
    if (current) this.list.scrollTop = current.offsetTop - this.list.clientHeight / 2;
    else this.list.querySelector("button")?.setAttribute("tabindex", "0"); // the list stays reachable by Tab
  }

  /** ← → step one event, with Shift one poll; ↑ ↓ in the log move along it. */
  key(event) {
    if (event.target.closest("select") || event.altKey || event.ctrlKey || event.metaKey) return;
    const inLog = event.target.closest(".ll-insp-list");
    const moves = { ArrowLeft: "prev", ArrowRight: "next", ...(inLog ? { ArrowUp: "up", ArrowDown: "down" } : {}) };
    const how = moves[event.key];
    if (!how) return;
    event.preventDefault();
    if (how === "up" || how === "down") {
      const item = event.target.closest("li")?.[how === "up" ? "previousElementSibling" : "nextElementSibling"];
      item?.querySelector("button").click();
      this.list.querySelector("[aria-current]")?.focus();
      return;
    }
    this.go(event.shiftKey ? `${how}-poll` : how);
    if (inLog) this.list.querySelector("[aria-current]")?.focus();
  }
}
