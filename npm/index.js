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
// worker.js for the cpu-bound lesson. The WebAssembly module is instantiated once,
// on the first mount (or `ready()`), and shared by every lesson on the page.
import * as wasm from "./looplab.js";
import { createMounter } from "./mount.js";

const mounter = createMounter(wasm, {
  wasmUrl: new URL("./looplab_bg.wasm", import.meta.url),
  cssUrl: new URL("./lesson.css", import.meta.url),
  workerUrl: new URL("./worker.js", import.meta.url),
});

/** Mounts lesson `lesson` in a shadow root on `element`; see index.d.ts. */
export const mount = mounter.mount;

/** Instantiates the WebAssembly module (once); `mount` calls it for you. */
export const ready = mounter.ready;

/** The parameter names lesson `lesson` takes (after `ready()`); empty if there is no such lesson. */
export function lessonParams(lesson) {
  return wasm.lessonParams(String(lesson));
}
