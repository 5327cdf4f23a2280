// The cpu-bound lesson's Web Worker: this same wasm module on a thread of its own.
// It gets a duration in ms, computes for that long (Rust's `busy_work`) and posts
// back how many primes it found — or `{ error }` if the module would not load.
// The page's event loop stays free the whole time. `?lesson=ID` (set by embed.js
// when the page runs a one-lesson build) loads that build, ../pkg/one/ID/.
const lesson = new URL(import.meta.url).searchParams.get("lesson");
const dir = lesson && /^[a-z][a-z-]{0,40}$/.test(lesson) ? `one/${lesson}/` : "";
const ready = import(new URL(`../pkg/${dir}looplab.js`, import.meta.url).href).then(async (glue) => {
  await glue.default({ module_or_path: new URL(`../pkg/${dir}looplab_bg.wasm`, import.meta.url) });
  return glue;
});

self.onmessage = (event) => {
  ready.then(
    (glue) => self.postMessage(glue.busyWork(Number(event.data))),
    (error) => self.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
};
