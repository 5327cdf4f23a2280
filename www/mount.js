// Mounting a lesson into any element: the code the <loop-lab> element (embed.js)
// and the npm package (index.js) share.
//
//   import * as wasm from "../pkg/looplab.js";
//   const { ready, attach, start } = createMounter(wasm, { wasmUrl, cssUrl, workerUrl });
//   const view = attach(element);                  // shadow root + styles, at once
//   const handle = await start(view, "lazy", { param: (key) => …, apiBase: "api/" });
//
// `ready()` instantiates the WebAssembly module the first time it is called and
// returns the same promise ever after: a page with many lessons instantiates once.
// `mount(element, lesson, options)` does attach + start in one call.

/**
 * @param {object} wasm the wasm-bindgen module (`default` is its init function)
 * @param {{wasmUrl: URL, cssUrl: URL, workerUrl: URL}} urls where the files are
 */
export function createMounter(wasm, { wasmUrl, cssUrl, workerUrl }) {
  let instantiated = null;
  /** The one instantiation of the module. */
  function ready() {
    instantiated ??= wasm.default({ module_or_path: wasmUrl }).then(() => {
      // The cpu-bound lesson's Web Worker runs this same module from worker.js.
      wasm.setWorkerUrl(String(workerUrl));
    });
    return instantiated;
  }

  /** Attaches an open shadow root to `target` holding the styles and an empty lesson box. */
  function attach(target) {
    if (!(target instanceof Element)) throw new TypeError("Loop Lab: mount() needs a DOM element to mount into.");
    let shadow;
    try {
      shadow = target.attachShadow({ mode: "open" });
    } catch (error) {
      throw new Error(`Loop Lab: cannot attach a shadow root to this <${target.localName}> ` +
        `(${error.message}); mount into an element of your own, such as an empty <div>.`);
    }
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = String(cssUrl);
    const styled = new Promise((resolve) => {
      link.addEventListener("load", resolve, { once: true });
      link.addEventListener("error", resolve, { once: true }); // unstyled beats never shown
    });
    // Reads the colour scheme the host page gives this element (see trackScheme).
    const probe = document.createElement("span");
    probe.className = "ll-probe";
    probe.hidden = true;
    const box = document.createElement("div");
    box.className = "ll-host";
    shadow.append(link, probe, box);
    const view = { target, box, probe, styled };
    view.untrack = trackScheme(view);
    return view;
  }

  /** Follows the host's colour scheme again (after `view.untrack()`, e.g. an element moved). */
  function track(view) {
    view.untrack?.();
    view.untrack = trackScheme(view);
  }

  /**
   * Mounts lesson `id` into a view made by `attach`. `param(key)` gives each
   * parameter's value ("" or null for the default). Resolves to the wasm
   * LessonHandle; on failure shows the reason in the box and rejects with it.
   */
  async function start(view, id, { param, apiBase, compact = false }) {
    await Promise.all([ready(), view.styled]);
    view.box.classList.toggle("ll-compact", Boolean(compact));
    view.box.replaceChildren();
    const values = wasm.lessonParams(id).map((key) => String(param(key) ?? ""));
    try {
      return wasm.mountLesson(view.box, view.target, id, values, apiBase);
    } catch (error) {
      const note = document.createElement("p");
      note.className = "notice";
      note.setAttribute("role", "alert");
      note.textContent = error instanceof Error ? error.message : String(error);
      view.box.append(note);
      throw error;
    }
  }

  /** `attach` and `start` for the npm package: parameters as an object, checked. */
  async function mount(target, id, options = {}) {
    const { params = {}, apiBase = "api/", compact = false, autoplay = false } = options;
    const view = attach(target);
    const lessonHandle = await start(view, String(id), { param: (key) => params[key], apiBase, compact });
    const known = wasm.lessonParams(String(id));
    const unknown = Object.keys(params).filter((key) => !known.includes(key));
    const handle = makeHandle(view, lessonHandle);
    if (unknown.length > 0) {
      handle.unmount();
      const takes = known.length ? `its parameters are ${known.join(", ")}` : "it takes none";
      const error = new Error(`Lesson "${id}" has no parameter ${unknown.map((k) => `"${k}"`).join(", ")}; ${takes}.`);
      const note = document.createElement("p");
      note.className = "notice";
      note.setAttribute("role", "alert");
      note.textContent = error.message;
      view.box.append(note);
      throw error;
    }
    if (autoplay) handle.run().catch(() => {}); // the lesson shows its own outcome
    return handle;
  }

  return { ready, attach, track, start, mount };
}

/** What `mount` resolves to: the lesson's handle plus `unmount`. */
function makeHandle(view, lessonHandle) {
  let live = lessonHandle;
  return {
    get lesson() {
      return lessonHandle.lesson;
    },
    run() {
      return live ? live.run() : Promise.reject(new Error("Loop Lab: this lesson was unmounted."));
    },
    cancel() {
      live?.cancel();
    },
    unmount() {
      if (!live) return;
      live.cancel();
      live.free();
      live = null;
      view.untrack?.();
      view.box.replaceChildren();
    },
  };
}

// ---- Following the host page's colour scheme ---------------------------------------
//
// lesson.css has light and dark defaults; which one a lesson uses follows the
// colour scheme its host element *uses*: the page's `color-scheme` (a property or
// <meta name="color-scheme">) and, where it allows both, the reader's preference.
// A page that declares none is light, so a lesson is light there too. The probe is
// a hidden span styled `color: CanvasText`, the system text colour of that scheme:
// light text means a dark scheme. It is read again whenever the preference changes
// or the page changes an attribute on <html> or <body> (how theme switches work),
// and the timelines are told to repaint: their canvas reads the colours as it paints.

const tracked = new Set();
let watching = false;

function trackScheme(view) {
  const update = () => {
    const [r, g, b] = (getComputedStyle(view.probe).color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    view.box.classList.toggle("ll-dark", r + g + b > 3 * 128);
    for (const canvas of view.box.querySelectorAll("canvas")) canvas.dispatchEvent(new Event("looplab:repaint"));
  };
  update();
  view.styled.then(update); // the probe's own rule is in lesson.css
  tracked.add(update);
  if (!watching) {
    watching = true;
    const all = () => tracked.forEach((f) => f());
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", all);
    const observer = new MutationObserver(all);
    for (const node of [document.documentElement, document.body]) {
      if (node) observer.observe(node, { attributes: true });
    }
  }
  return () => {
    tracked.delete(update);
  };
}
