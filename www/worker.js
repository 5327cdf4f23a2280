// The cpu-bound lesson's Web Worker: this same wasm module on a thread of its own.
// It gets a duration in ms, computes for that long (Rust's `busy_work`) and posts
// back how many primes it found — or `{ error }` if the module would not load.
// The page's event loop stays free the whole time.
import init, { busyWork } from "../pkg/looplab.js";

const ready = init({ module_or_path: new URL("../pkg/looplab_bg.wasm", import.meta.url) });

self.onmessage = (event) => {
  ready.then(
    () => self.postMessage(busyWork(Number(event.data))),
    (error) => self.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
};
