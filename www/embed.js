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
import * as wasm from "../pkg/looplab.js";
import { createMounter } from "./mount.js";
// Robustness: a Rust panic is shown politely in every element (see panic.js).
import { guard } from "./panic.js";

const mounter = createMounter(wasm, {
  wasmUrl: new URL("../pkg/looplab_bg.wasm", import.meta.url),
  cssUrl: new URL("lesson.css", import.meta.url),
  workerUrl: new URL("worker.js", import.meta.url),
});

/** The one instantiation of the module, shared by every element and the page. */
export const ready = mounter.ready();
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
      mounter.track(this._view); // moved: follow the new page's scheme again
      return;
    }
    this._view = mounter.attach(this);
    // Start only when near the viewport: a long page of lessons costs nothing up front.
    this._observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this._mount().catch(() => {}); // shown in the element
    }, { rootMargin: "300px" });
    this._observer.observe(this);
  }

  disconnectedCallback() {
    this._observer?.disconnect();
    this._view?.untrack();
    this._handle?.cancel();
  }

  /** Mounts the lesson (once); resolves to its handle. */
  _mount() {
    this._observer?.disconnect();
    this._mounted ??= mounter
      .start(this._view, this.getAttribute("lesson") || "", {
        param: (key) => this.getAttribute(key),
        apiBase: this.getAttribute("api-base") || "api/",
      })
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
    this._handle?.cancel();
  }
}

if (!customElements.get("loop-lab")) customElements.define("loop-lab", LoopLabElement);
