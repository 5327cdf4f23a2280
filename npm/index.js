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
import { createMounter } from "./mount.js";

const mounter = createMounter(wasm, {
  glueUrl: new URL("./looplab.js", import.meta.url),
  wasmUrl: new URL("./looplab_bg.wasm", import.meta.url),
  cssUrl: new URL("./lesson.css", import.meta.url),
  workerUrl: new URL("./worker.js", import.meta.url),
});

/** Mounts lesson `lesson` in a shadow root on `element`; see index.d.ts. */
export const mount = mounter.mount;

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
