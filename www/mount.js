// Mounting a lesson into any element: the code the <loop-lab> element (embed.js)
// and the npm package (index.js) share.
//
//   import * as wasm from "../pkg/looplab.js";
//   const mounter = createMounter(wasm, { glueUrl, wasmUrl, cssUrl, workerUrl, readerUrl });
//   const view = mounter.attach(element);                  // shadow root + styles, at once
//   const handle = await mounter.start(view, "lazy", { param: (key) => …, apiBase: "api/" });
//
// `ready()` fetches and compiles the WebAssembly module the first time it is called,
// instantiates it, and returns the same promise ever after: a page with many
// lessons downloads and instantiates once. The npm package's `mount(element,
// lesson, options)` (npm/index.js) does attach + start in one call.
//
// `reset()` starts over after Loop Lab stopped (a panic aborts the instance and
// leaves it unusable, see src/app/panic.rs): it imports the wasm-bindgen glue
// again under another URL (`looplab.js?instance=N`: the glue keeps its instance in
// module scope, so a new module record is a new, empty glue), instantiates the
// module compiled the first time (no second download), numbers the new instance
// (`setInstance`), and mounts every lesson started so far again, with the same
// parameters. Only one instance is live at a time: the stopped one is never called
// again, and is left to the garbage collector.

/**
 * @param {object} wasm the wasm-bindgen glue module (`default` is its init function)
 * @param {{glueUrl: URL, wasmUrl: URL, cssUrl: URL, workerUrl: URL, readerUrl: URL, setup?: (glue: object) => void}} urls
 *   where the files are (`glueUrl` is the URL `wasm` was imported from; `readerUrl`
 *   the inspector's module's glue, pkg/reader/looplab.js, see reader.js), and
 *   `setup`, called with each instance's glue as it becomes the live one
 */
export function createMounter(wasm, { glueUrl, wasmUrl, cssUrl, workerUrl, readerUrl, setup = () => {} }) {
  let build = { glueUrl, wasmUrl, workerUrl }; // the live instance's files
  let glue = wasm; // the live instance's glue
  let instance = 0; // its number
  let made = 0; // the highest instance number handed out
  let compiled = null;
  let instantiated = null;
  let resetting = null;
  const started = new Set(); // WeakRefs of views a lesson was started in

  /** The compiled module: fetched and compiled once, kept for `reset()`. */
  function compile() {
    compiled ??= compileWasm(build.wasmUrl);
    return compiled;
  }

  /** The one instantiation of the module (until a `reset()`). */
  function ready() {
    instantiated ??= compile().then((module) => live(glue, module, instance));
    return instantiated;
  }

  /** Instantiates `module` with glue `next`, numbers it `n`, and makes it the live one. */
  async function live(next, module, n) {
    await next.default({ module_or_path: module });
    next.setInstance(n);
    // The cpu-bound lesson's Web Worker runs this same module from worker.js (a
    // one-lesson module of another lesson has no worker, nor this export).
    next.setWorkerUrl?.(String(build.workerUrl));
    setup(next);
    glue = next;
    instance = n;
  }

  /**
   * Replaces the live instance by a fresh one, then mounts every started lesson
   * again on it. `onLive(n)` runs as soon as instance `n` is live, before any lesson
   * is mounted on it. Resolves to `n` once every lesson has been mounted again (a
   * lesson that fails to mount shows why in its own box); rejects if no fresh
   * instance could be made, and then the old one stays the live one.
   */
  function reset(onLive = () => {}) {
    return swap(null, onLive);
  }

  /**
   * Moves to another build of the module (`{glueUrl, wasmUrl, workerUrl}`) the way
   * `reset()` moves to a fresh instance: every started lesson is mounted again on
   * it. embed.js uses it to go from a one-lesson module to the full one.
   */
  function upgrade(to) {
    return swap(to);
  }

  function swap(to, onLive = () => {}) {
    resetting ??= (async () => {
      // A number never used before, even after a failed attempt: the browser keeps a
      // failed module import for its URL, so a retry needs a new one.
      const n = (made = Math.max(made, instance) + 1);
      const next = to ?? build;
      const url = new URL(next.glueUrl);
      url.searchParams.set("instance", String(n));
      const before = { instantiated, compiled, build };
      if (to) {
        build = to;
        compiled = null;
      }
      const swapped = Promise.all([compile(), import(url.href)]).then(([module, glue]) => live(glue, module, n));
      instantiated = swapped; // a lesson that starts meanwhile waits for the fresh instance
      try {
        await swapped;
      } catch (error) {
        ({ instantiated, compiled, build } = before); // still the old one
        throw error;
      }
      onLive(n);
      // For whatever else the page drove on the old instance (the lesson page's proof).
      globalThis.dispatchEvent(new CustomEvent("looplab:reset", { detail: { instance: n } }));
      const mounts = [];
      for (const ref of started) {
        const view = ref.deref();
        if (!view) {
          started.delete(ref);
          continue;
        }
        const again = start(view, view.lesson.id, view.lesson.options);
        view.onRestart?.(again);
        mounts.push(again);
      }
      await Promise.allSettled(mounts);
      return n;
    })().finally(() => {
      resetting = null;
    });
    return resetting;
  }

  /** Attaches an open shadow root to `target` holding the styles and an empty lesson box. */
  function attach(target) {
    return attachView(target, cssUrl);
  }

  /**
   * Mounts lesson `id` into a view made by `attach`. `param(key)` gives each
   * parameter's value ("" or null for the default). Resolves to the wasm
   * LessonHandle; on failure shows the reason in the box and rejects with it.
   * The view is remembered: `reset()` mounts it again, and then calls
   * `view.onRestart(promise)` with the new handle's promise.
   */
  function start(view, id, options) {
    if (!view.lesson) started.add(new WeakRef(view));
    const token = {};
    view.lesson = { id, options, token };
    view.readerUrl = readerUrl;
    view.mounted = place(view, token);
    return view.mounted;
  }

  async function place(view, token) {
    const { id, options: { param, apiBase, compact = false } } = view.lesson;
    await Promise.all([ready(), view.styled]);
    if (!view.lesson) throw new Error("Loop Lab: this lesson was unmounted.");
    if (view.lesson.token !== token) return view.mounted; // started again meanwhile (a reset)
    view.box.classList.toggle("ll-compact", Boolean(compact));
    view.box.replaceChildren();
    const values = glue.lessonParams(id).map((key) => String(param(key) ?? ""));
    try {
      const handle = glue.mountLesson(view.box, view.target, id, values, apiBase);
      offer(view, handle);
      return handle;
    } catch (error) {
      const note = document.createElement("p");
      note.className = "notice";
      note.setAttribute("role", "alert");
      note.textContent = error instanceof Error ? error.message : String(error);
      view.box.append(note);
      throw error;
    }
  }

  /** Forgets a view: `reset()` no longer mounts it again. */
  function forget(view) {
    for (const ref of started) {
      if (ref.deref() === view) started.delete(ref);
    }
    view.lesson = null;
  }

  return {
    ready, attach, start, forget, reset, upgrade,
    /** The live instance's number: 0, then one more after each `reset()`. */
    instance: () => instance,
    /** The live instance's wasm-bindgen glue (changes on `reset()`). */
    glue: () => glue,
  };
}

/**
 * Attaches an open shadow root to `target` holding the styles (`cssUrl`) and an empty
 * lesson box: `{target, box, probe, styled, untrack}`, the view `start` mounts a
 * lesson into. Needs no WebAssembly: the element attaches it at once and shows what
 * the lesson will be in the box until then (www/embed.js).
 */
export function attachView(target, cssUrl) {
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
export function track(view) {
  view.untrack?.();
  view.untrack = trackScheme(view);
}

/**
 * Puts "Inspect step by step" in the row a finished run shows (so it appears only
 * after a run) and, where the page asks for it (`python`), "Run the Python too"
 * beside Run. What they do loads when first used (inspector.js, python/lesson.js):
 * no embed's first load carries it (docs/architecture.md).
 */
function offer(view, handle) {
  const add = (where, label, name, use) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = name;
    button.textContent = label;
    button.onclick = () => use(button).catch((error) => (button.textContent = `${label}: could not load (${error.message})`));
    view.box.querySelector(where)?.append(button);
    return button;
  };
  add(".ll-exports", "Inspect step by step", "ll-inspect", (b) => import("./inspector.js").then((m) => m.toggle(view, handle, b)))
    .setAttribute("aria-expanded", "false");
  // The trace file and Perfetto (src/view/export.rs sends the run; exports.js writes it).
  // Perfetto's tab must open in the click itself, so here, before anything loads.
  if (!view.exporting) {
    view.exporting = true; // once per view: a remount (reset) comes here again
    view.box.addEventListener("looplab:export", (e) => {
      const [row, tab] = [e.target, e.detail.action === "perfetto" ? open("https://ui.perfetto.dev/#!/viewer", "_blank") : null];
      import("./exports.js").then((m) => m.exportTrace(row, view.readerUrl, e.detail, tab)); // (e.target is null by then)
    });
  }
  if (view.lesson.options.python && handle.showPython) {
    add(".controls", "Run the Python too", "ll-python-run", () => runPython(view, handle).catch(() => {})); // said in its box
  }
}

/** Runs the lesson's Python (python/lesson.js), Pyodide from the mount's `pyodideUrl` if given; resolves to its summary. */
export function runPython(view, handle) {
  return import("./python/lesson.js").then((m) => m.runLessonPython(view, handle, { indexURL: view.lesson.options.pyodideUrl }));
}

/** Fetches and compiles the module: streaming where the server sends application/wasm. */
async function compileWasm(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Loop Lab could not load ${url}: the server answered HTTP ${response.status} ${response.statusText}`.trim());
  }
  const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim();
  if (type === "application/wasm" && typeof WebAssembly.compileStreaming === "function") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
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
