// The looplab npm package: mount any Loop Lab lesson on any element.
//
//   import { mount } from "looplab";
//   const handle = await mount(document.querySelector("#demo"), "sequential-vs-concurrent", {
//     params: { "alice-ms": 500 }, compact: true,
//   });
//   const summary = await handle.run();
//
// `cargo xtask build` copies this file into pkg/ beside the wasm-bindgen output
// (looplab.js, looplab_bg.wasm), mount.js and lesson.css from www/, and a
// worker.js for the cpu-bound lesson. The WebAssembly module is downloaded and
// instantiated once, on the first mount (or `ready()`), and shared by every lesson
// on the page. After Loop Lab stopped on an internal error (a `looplab:panic` event
// on the global object), `reset()` instantiates it afresh and mounts every lesson
// again, without a second download.
import * as wasm from "./looplab.js";
import { createMounter, runPython } from "./mount.js";

const mounter = createMounter(wasm, {
  glueUrl: new URL("./looplab.js", import.meta.url),
  wasmUrl: new URL("./looplab_bg.wasm", import.meta.url),
  cssUrl: new URL("./lesson.css", import.meta.url),
  workerUrl: new URL("./worker.js", import.meta.url),
  readerUrl: new URL("./reader/looplab.js", import.meta.url),
});

/** Mounts lesson `id` in a shadow root on `target`: `attach` and `start`, parameters as an object, checked; see index.d.ts. */
export async function mount(target, id, options = {}) {
  const { params = {}, apiBase = "api/", compact = false, autoplay = false, python = false, pyodideUrl } = options;
  const view = mounter.attach(target);
  const pyodide = pyodideUrl === undefined ? undefined : String(new URL(pyodideUrl, document.baseURI)).replace(/\/?$/, "/"); // a folder
  const lessonHandle = await mounter.start(view, String(id), { param: (key) => params[key], apiBase, compact, python: Boolean(python), pyodideUrl: pyodide });
  const known = mounter.glue().lessonParams(String(id));
  const unknown = Object.keys(params).filter((key) => !known.includes(key));
  const handle = makeHandle(view, String(id), lessonHandle, mounter.forget);
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

/** Instantiates the WebAssembly module (once); `mount` calls it for you. */
export const ready = mounter.ready;

/** A fresh instance of the module, every mounted lesson mounted on it again; see index.d.ts. */
export function reset() {
  return mounter.reset().then(() => {});
}

/** The parameter names lesson `lesson` takes (after `ready()`); empty if there is no such lesson. */
export function lessonParams(lesson) {
  return mounter.glue().lessonParams(String(lesson));
}

/** What `mount` resolves to: the lesson's handle plus `unmount`. Follows a `reset()`. */
function makeHandle(view, id, lessonHandle, forget) {
  let live = lessonHandle;
  let unmounted = false;
  view.onRestart = (again) => {
    live = null; // the old handle belongs to the stopped instance: never called again
    again.then((handle) => {
      if (view.mounted === again && !unmounted) live = handle;
    }, () => {});
  };
  return {
    get lesson() {
      return id;
    },
    run(options) {
      if (unmounted) return Promise.reject(new Error("Loop Lab: this lesson was unmounted."));
      const language = options?.language ?? "rust";
      if (language !== "rust" && language !== "python") {
        return Promise.reject(new Error(`Loop Lab: run() runs "rust" or "python", not ${JSON.stringify(language)}.`));
      }
      return view.mounted.then((handle) => (language === "python" ? runPython(view, handle) : handle.run()));
    },
    cancel() {
      live?.cancel();
    },
    async inspect(t_ms) {
      if (!live) throw new Error("Loop Lab: there is no run to inspect yet: run the lesson first.");
      return (await import("./reader.js")).inspectRun(live, new URL("./reader/looplab.js", import.meta.url), t_ms);
    },
    unmount() {
      if (unmounted) return;
      unmounted = true;
      forget(view);
      if (live) {
        live.cancel();
        live.free();
      }
      live = null;
      view.untrack?.();
      view.box.replaceChildren();
    },
  };
}
