// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson lazy: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "lazy": ["Nothing runs until it is awaited", "Calling an async function only builds a future: nothing runs until it is spawned or awaited.", 0],
};
