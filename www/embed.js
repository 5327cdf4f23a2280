// <loop-lab lesson="ID"> — one live lesson, anywhere.
//
//   <script type="module" src="…/www/embed.js"></script>
//   <loop-lab lesson="sequential-vs-concurrent" alice-ms="500"></loop-lab>
//
// Every element on a page shares one WebAssembly instance (this module is loaded
// once). Each renders into its own Shadow DOM, starts only when it comes near the
// viewport, takes the lesson's parameters as attributes, and exposes `run()` (a
// Promise of the run's summary) and `cancel()`; every finished run also fires a
// `looplab:done` event whose `detail` is the summary.
import init, { mountLesson, lessonParams, setWorkerUrl } from "../pkg/looplab.js";

/** The one instantiation of the module, shared by every element and the page. */
export const ready = init({ module_or_path: new URL("../pkg/looplab_bg.wasm", import.meta.url) });
// The cpu-bound lesson's Web Worker lives beside this file (a failed start is boot.js's to report).
ready.then(() => setWorkerUrl(new URL("worker.js", import.meta.url).href), () => {});

const STYLES = new URL("lesson.css", import.meta.url).href;

class LoopLabElement extends HTMLElement {
  constructor() {
    super();
    this._mounted = null;
  }

  connectedCallback() {
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: "open" });
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLES;
    this._host = document.createElement("div");
    this._host.className = "ll-host";
    shadow.append(link, this._host);
    // Start only when near the viewport: a long page of lessons costs nothing up front.
    this._observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this._mount();
    }, { rootMargin: "300px" });
    this._observer.observe(this);
  }

  disconnectedCallback() {
    this._observer?.disconnect();
    this._handle?.cancel();
  }

  /** Mounts the lesson (once); resolves to its handle. */
  _mount() {
    this._observer?.disconnect();
    if (!this._mounted) {
      this._mounted = ready.then(() => {
        const id = this.getAttribute("lesson") || "";
        const values = lessonParams(id).map((key) => this.getAttribute(key) || "");
        const apiBase = this.getAttribute("api-base") || "api/";
        try {
          this._handle = mountLesson(this._host, this, id, values, apiBase);
        } catch (error) {
          const note = document.createElement("p");
          note.className = "notice";
          note.setAttribute("role", "alert");
          note.textContent = error instanceof Error ? error.message : String(error);
          this._host.append(note);
          throw error;
        }
        if (this.hasAttribute("autoplay")) this._handle.run().catch(() => {});
        return this._handle;
      });
    }
    return this._mounted;
  }

  /** Runs the lesson as its Run button does. Resolves to the run's summary. */
  run() {
    return this._mount().then((handle) => handle.run());
  }

  /** Cancels the run in progress, if any. */
  cancel() {
    this._handle?.cancel();
  }
}

if (!customElements.get("loop-lab")) customElements.define("loop-lab", LoopLabElement);
