// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// Every lesson: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "mental-model": ["One thread, taking turns", "Tasks take turns on one thread, each running until its next await; their slices never overlap.", 0],
  "sequential-vs-concurrent": ["One after another, or together", "Two waits awaited one after the other take their sum; started together, only the longer one.", 0],
  "lazy": ["Nothing runs until it is awaited", "Calling an async function only builds a future: nothing runs until it is spawned or awaited.", 0],
  "gather-fetch": ["Requests, gathered", "N requests awaited one by one take N delays; gathered, about one delay.", 1],
  "create-task": ["Start it now, await it later", "A request started as a task runs in the background while the caller gets on with other work.", 1],
  "errors": ["When one task fails", "One of three tasks fails: when four ways of waiting report it, and what becomes of the others.", 0],
  "timeout": ["Deadlines that cancel", "A deadline cancels the slow request at its await and aborts its fetch, not only the wait.", 1],
  "context-manager": ["Cleaning up, whatever happens", "A teardown that runs after success, error and cancellation, though Rust's Drop cannot await.", 0],
  "stream": ["Rows as they arrive", "Rows of a streamed response are handled as they arrive, while a ticker keeps running on time.", 1],
  "cpu-bound": ["Work that never waits", "Computing without an await holds the thread; slices with sleep(0) or a Web Worker free it.", 0],
  "microtasks": ["An await that never lets go", "Awaiting yield_now lets no timer fire and no frame paint until the loop ends; sleep(0) does.", 0],
  "limit": ["At most K at once", "A semaphore keeps at most K requests in flight, beside the browser's own six per host.", 1],
  "as-completed": ["First come, first served", "Results handled as they arrive, the quickest first, instead of in the order they were asked for.", 1],
  "playground": ["Playground: your own workload", "Compose your own workload of tasks and steps, run it, and share the link.", 1],
};
