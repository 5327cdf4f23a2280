// <loop-lab lesson="ID"> — one live lesson, anywhere.
//
//   <script type="module" src="…/www/embed.js"></script>
//   <loop-lab lesson="sequential-vs-concurrent" alice-ms="500" compact></loop-lab>
//
// Every element on a page shares one WebAssembly instance (this module is loaded
// once, and instantiates the wasm once). Each renders into its own Shadow DOM,
// starts only when it comes near the viewport, takes the lesson's parameters as
// attributes, and exposes `run()` (a Promise of the run's summary) and `cancel()`;
// every finished run also fires a `looplab:done` event whose `detail` is the summary.
// `compact` hides the prose and the code (lesson.css, `:host([compact])`);
// `autoplay` runs the lesson once mounted; `api-base` points the fetch lessons
// at another demo API. The mounting itself is mount.js, shared with the npm package.
// If Loop Lab stops on an internal error, every element says so and offers Reset,
// which mounts each element's lesson again on a fresh instance (panic.js, mount.js).
//
// Which module: a page whose <loop-lab> elements all show one lesson loads that
// lesson's own build (pkg/one/ID/, made by `cargo xtask build`: about half the size
// of the full one); any other page loads the full build (pkg/). If an element asks
// for another lesson later (a page that adds elements, a single-page app moving to
// another page), every element moves to the full build once, as on a Reset, and
// mounts its lesson again there: still one live instance per page.
import { createMounter } from "./mount.js";
import { connect, guard, running, stopped } from "./panic.js";

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

// Which build to start with and its glue. The element is defined before this
// settles (below), so a page can call `run()` on its elements at once.
const booted = (async () => {
  // The lessons with a build of their own: none if pkg/one/ was not deployed.
  const ownBuilds = await import("../pkg/one/index.js").then((m) => m.lessons, () => []);
  only = onlyLesson(ownBuilds);
  let first = only ? files(`../pkg/one/${only}/`) : full;
  if (only) first.workerUrl.searchParams.set("lesson", only);
  // A site that copied pkg/ without its one/ folder still works, on the full build.
  const glue = await import(first.glueUrl.href).catch((error) => {
    if (first === full) throw error;
    [only, first] = [null, full];
    return import(full.glueUrl.href);
  });
  mounter = createMounter(glue, { ...first, cssUrl: new URL("lesson.css", import.meta.url) });
  connect(mounter);
  return mounter;
})();
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
    if (!mounter) {
      booted
        .then(() => this.isConnected && this.connectedCallback(), (error) => this._cannotLoad(error))
        .catch(reportError); // as if thrown here
      return;
    }
    if (this._view) {
      mounter.track(this._view); // moved: follow the new page's scheme again
      if (!this._mounted) this._observer?.observe(this); // and start once near the viewport
      return;
    }
    this._view = mounter.attach(this);
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

  /** Says in the element that Loop Lab's files could not be loaded. */
  _cannotLoad(error) {
    if (this.shadowRoot) return;
    const note = document.createElement("p");
    note.setAttribute("role", "alert");
    note.textContent = `Loop Lab could not load its files: ${error instanceof Error ? error.message : error}`;
    this.attachShadow({ mode: "open" }).append(note);
  }

  /** Mounts the lesson (once; while Loop Lab is stopped, once it runs again); resolves to its handle. */
  async _mount() {
    await booted;
    // Appended after run() was called, before the module was chosen: connect it now.
    if (!this._view && this.isConnected) this.connectedCallback();
    if (!this._view) throw new Error("Loop Lab: this <loop-lab> element is not in the document.");
    this._observer?.disconnect();
    const lesson = this.getAttribute("lesson") || "";
    this._mounted ??= running()
      .then(() => buildFor(lesson))
      .then(() => mounter.start(this._view, lesson, {
        param: (key) => this.getAttribute(key),
        apiBase: this.getAttribute("api-base") || "api/",
      }))
      .then((handle) => {
        this._handle = handle;
        if (this.hasAttribute("autoplay")) handle.run().catch(() => {});
        return handle;
      });
    return this._mounted;
  }

  /** Runs the lesson as its Run button does. Resolves to the run's summary. */
  run() {
    return guard(() => this._mount().then((handle) => handle.run())); // rejects if Loop Lab stops
  }

  /** Cancels the run in progress, if any. */
  cancel() {
    if (!stopped()) this._handle?.cancel();
  }
}

if (!customElements.get("loop-lab")) customElements.define("loop-lab", LoopLabElement);
