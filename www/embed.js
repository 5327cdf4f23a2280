// <loop-lab lesson="ID"> — one live lesson, anywhere.
//
//   <script type="module" src="…/www/embed.js"></script>
//   <loop-lab lesson="sequential-vs-concurrent" alice-ms="500" compact></loop-lab>
//
// Every element on a page shares one WebAssembly instance (this module is loaded
// once, and instantiates the wasm once). Each renders into its own Shadow DOM,
// starts only when it comes near the viewport, takes the lesson's parameters as
// attributes, and exposes `run()` (a Promise of the run's summary), `cancel()` and
// `inspect(t_ms)` (the loop's state at that instant of the last run);
// every finished run also fires a `looplab:done` event whose `detail` is the summary.
// `compact` hides the prose and the code (lesson.css, `:host([compact])`);
// `autoplay` runs the lesson once mounted; `api-base` points the fetch lessons
// at another demo API. The mounting itself is mount.js, shared with the npm package.
//
// Nothing is an empty box: before the module has loaded, each element shows its
// lesson's title and one line of what it will show (lessons.js, or on a page of one
// lesson its own lessons/ID.js: written from the one list of lessons), and says so
// there if Loop Lab cannot load.
//
// The demo API: by default the fetch lessons call `api/` in Loop Lab's folder (the
// one holding sw.js), from any page of the site. An element whose lesson calls it
// first makes sure it answers (api.js, imported only then), in parallel with the
// module's download: the dev server, or on a static host the Service Worker, reached
// through a hidden frame from a page outside that folder. The wasm runtime fetches
// `api/` with whatever api.js found (`setFetch`).
//
// If Loop Lab stops on an internal error, every element says so and offers Reset,
// which mounts each element's lesson again on a fresh instance (panic.js, mount.js).
//
// Which module: a page whose <loop-lab> elements all show one lesson loads that
// lesson's own build (pkg/one/ID/, made by `cargo xtask build`: about half the size
// of the full one); any other page loads the full build (pkg/). If an element asks
// for another lesson later (a page that adds elements, a single-page app moving to
// another page), every element moves to the full build once, as on a Reset, and
// mounts its lesson again there: still one live instance per page.
import { attachView, createMounter, runPython, track } from "./mount.js";
import { connect, guard, running, stopped } from "./panic.js";

const CSS = new URL("lesson.css", import.meta.url);
/** Loop Lab's folder, where sw.js is, and its demo API there: the default `api-base`. */
const ROOT = new URL("../", import.meta.url);
const DEMO = String(new URL("api/", ROOT));
/** The inspector's own module (reader.js), which every build shares. */
const READER = new URL("../pkg/reader/looplab.js", import.meta.url);

/** The files of the build in folder `dir` (relative to this file). */
function files(dir) {
  const at = (name) => new URL(`${dir}${name}`, import.meta.url);
  return { glueUrl: at("looplab.js"), wasmUrl: at("looplab_bg.wasm"), workerUrl: new URL("worker.js", import.meta.url) };
}

const expected = new Set(); // lessons the page will add (see expectLesson)

/**
 * Tells the build choice that the page will add a <loop-lab lesson="ID"> once Loop
 * Lab is ready: call it as the page's modules load (the iframe form does, boot.js).
 */
export function expectLesson(id) {
  expected.add(String(id));
}

/** The one lesson every <loop-lab> on the page shows, if it has a build of its own. */
function onlyLesson(ownBuilds) {
  const ids = new Set([...document.querySelectorAll("loop-lab")].map((e) => e.getAttribute("lesson") ?? ""));
  for (const id of expected) ids.add(id);
  const [id] = ids;
  return ids.size === 1 && ownBuilds.includes(id) ? id : null;
}

const full = files("../pkg/");
let only = null; // the one-lesson build's lesson while that build is the live one
let mounter = null; // set once the glue is loaded

// Which build to start with (the lessons with a build of their own: none if pkg/one/
// was not deployed), then its glue. The element is defined before this settles
// (below), so a page can call `run()` on its elements at once.
const chosen = import("../pkg/one/index.js").then((m) => m.lessons, () => []).then((own) => (only = onlyLesson(own)));

// What the elements show until their lesson is mounted, {id: [title, blurb, 1 if it
// calls the demo API]}: on a page of one lesson, that lesson's (lessons/ID.js), else
// every lesson's (lessons.js). Both are written by `cargo xtask lessons`.
const all = () => import("./lessons.js").then((m) => m.LESSONS, () => ({}));
const words = chosen.then((id) => (id ? import(`./lessons/${id}.js`).then((m) => m.LESSONS) : all())).catch(all);

/** [title, blurb, 1 if it calls the demo API] of lesson `id`; undefined if there is no such lesson. */
function about(id) {
  return words.then((known) => (id in known ? known[id] : all().then((every) => every[id])));
}

const booted = chosen.then(async () => {
  let first = only ? files(`../pkg/one/${only}/`) : full;
  if (only) first.workerUrl.searchParams.set("lesson", only);
  // A site that copied pkg/ without its one/ folder still works, on the full build.
  const glue = await import(first.glueUrl.href).catch((error) => {
    if (first === full) throw error;
    [only, first] = [null, full];
    return import(full.glueUrl.href);
  });
  mounter = createMounter(glue, { ...first, cssUrl: CSS, readerUrl: READER, setup: (g) => g.setFetch?.(fetchFor) });
  connect(mounter);
  return mounter;
});
let upgraded = null;

/** Resolves once the live build has lesson `id`: the full build, unless `id` is the one-lesson build's. */
function buildFor(id) {
  if (!only || id === only) return Promise.resolve();
  upgraded ??= mounter.upgrade(full).then(() => {
    only = null;
  }, (error) => {
    upgraded = null; // try again on the next mount
    throw error;
  });
  return upgraded;
}

let demo = null; // once a lesson needed it: the promise of how to reach the demo API

/**
 * Makes sure the demo API answers (once per page); resolves to the `fetch` to reach it
 * with. Where a server (or the Service Worker, controlling this page) answers
 * `api/health`, the page's own; else api.js, imported only then, starts the worker.
 */
function demoApi() {
  const warn = (why) => console.warn(`Loop Lab: the fetch lessons cannot reach their demo API. ${why}`);
  demo ??= fetch(`${DEMO}health`, { cache: "no-store", signal: AbortSignal.timeout(2000) })
    .then((r) => r.json())
    .then(({ server }) => server && server !== "none") // "none": the static site's own api/health
    .catch(() => false)
    .then((live) => live ? fetch : import("./api.js").then((api) => api.demoFetch(ROOT)).then((found) => {
      if (found.mode === "unavailable") warn(found.reason);
      return found.fetch ?? fetch;
    }))
    .catch((error) => {
      warn(error.message);
      return fetch;
    });
  return demo;
}

/**
 * What the runtime fetches with: the demo API's URLs as found above (the bridge
 * frame's fetch, on a page outside the folder), every other URL with the page's.
 */
function fetchFor(url, init) {
  return demo && url.startsWith(DEMO) ? demo.then((get) => get(url, init)) : fetch(url, init);
}

/**
 * The first instantiation of the module, shared by every element and the page;
 * resolves to the live instance's wasm-bindgen glue (a one-lesson build's, on a
 * page that shows one lesson).
 */
export const ready = booted.then((m) => m.ready()).then(() => mounter.glue());
// A failed start is shown by each element (and by boot.js on the lesson page).
ready.catch(() => {});

class LoopLabElement extends HTMLElement {
  constructor() {
    super();
    this._mounted = null;
    this._view = null;
  }

  connectedCallback() {
    if (this._view) {
      track(this._view); // moved: follow the new page's scheme again
      if (!this._mounted) this._observer?.observe(this); // and start once near the viewport
      this._words();
      return;
    }
    this._view = attachView(this, CSS);
    this._view.box.append(placeholder());
    this._words();
    booted.catch((error) => this._cannotLoad(error));
    // After a Reset: the same lesson, mounted on the fresh instance (no autoplay).
    this._view.onRestart = (again) => {
      this._handle = null;
      this._mounted = again.then((handle) => (this._handle = handle));
      this._mounted.catch(() => {}); // shown in the element
    };
    // Start only when near the viewport: a long page of lessons costs nothing up front.
    this._observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this._mount().catch(() => {}); // shown in the element
    }, { rootMargin: "300px" });
    this._observer.observe(this);
  }

  disconnectedCallback() {
    this._observer?.disconnect();
    this._view?.untrack();
    if (!stopped()) this._handle?.cancel();
  }

  /**
   * Fills the placeholder with the lesson's title and one line, once, if the element
   * is still in the document when they arrive (the lesson page's own elements leave
   * it at once in the iframe form: theirs are never loaded).
   */
  _words() {
    const card = this._view.box.querySelector(".ll-placeholder:not([data-words])");
    if (!card) return;
    const id = this.getAttribute("lesson") || "";
    words.then(() => this.isConnected && about(id).then((info) => {
      card.dataset.words = "";
      [card.children[0].textContent, card.children[1].textContent] = info ?? ["Loop Lab", `The lesson "${id}".`];
    }));
  }

  /** Says in the placeholder, while no lesson replaced it, that Loop Lab could not load. */
  _cannotLoad(error) {
    const status = this._view?.box.querySelector(".ll-placeholder .ll-status");
    if (!status) return;
    status.setAttribute("role", "alert");
    status.textContent = `Loop Lab could not load its files: ${error instanceof Error ? error.message : error}`;
    status.closest(".ll-placeholder").removeAttribute("aria-busy");
  }

  /** Mounts the lesson (once; while Loop Lab is stopped, once it runs again); resolves to its handle. */
  async _mount() {
    await booted;
    // Appended after run() was called, before the module was chosen: connect it now.
    if (!this._view && this.isConnected) this.connectedCallback();
    if (!this._view) throw new Error("Loop Lab: this <loop-lab> element is not in the document.");
    this._observer?.disconnect();
    this._mounted ??= running().then(() => this._start()).then((handle) => {
      this._handle = handle;
      if (this.hasAttribute("autoplay")) handle.run().catch(() => {});
      return handle;
    }, (error) => {
      this._cannotLoad(error);
      throw error;
    });
    return this._mounted;
  }

  /** Mounts the lesson on the build that has it, once the demo API answers if the lesson calls it. */
  async _start() {
    const lesson = this.getAttribute("lesson") || "";
    const apiBase = String(new URL(this.getAttribute("api-base") || DEMO, document.baseURI));
    // Only a lesson that calls the demo API there starts it (and its frame, if any).
    const api = (await about(lesson))?.[2] && apiBase.startsWith(DEMO) ? demoApi() : null;
    await Promise.all([buildFor(lesson), api]);
    return mounter.start(this._view, lesson, { param: (key) => this.getAttribute(key), apiBase, python: this.hasAttribute("python") });
  }

  /** Runs the lesson as its Run button does, or its Python (`{ language: "python" }`). Resolves to the run's summary. */
  run(options) {
    const language = options?.language ?? "rust";
    return guard(() => this._mount().then((handle) => { // rejects if Loop Lab stops
      if (language === "python") return runPython(this._view, handle);
      if (language !== "rust") throw new Error(`Loop Lab: run() runs "rust" or "python", not ${JSON.stringify(language)}.`);
      return handle.run();
    }));
  }

  /** Cancels the run in progress, if any. */
  cancel() {
    if (!stopped()) this._handle?.cancel();
  }

  /** The loop's state `t_ms` after the last run began (docs/embedding.md): a promise; rejects before a run. */
  async inspect(t_ms) {
    if (!this._handle || stopped()) throw new Error("Loop Lab: there is no run to inspect yet: run the lesson first.");
    return (await import("./reader.js")).inspectRun(this._handle, READER, t_ms);
  }
}

/** What an element shows until its lesson is mounted: a heading and a line (see `_words`), and "Loading…". */
function placeholder() {
  const card = document.createElement("div");
  card.className = "lesson ll-placeholder";
  card.setAttribute("aria-busy", "true");
  const [, , status] = ["h2", "p", "p"].map((tag) => card.appendChild(document.createElement(tag)));
  status.className = "ll-status";
  status.textContent = "Loading the lesson…";
  return card;
}

if (!customElements.get("loop-lab")) customElements.define("loop-lab", LoopLabElement);
