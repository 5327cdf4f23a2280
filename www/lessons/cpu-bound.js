// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson cpu-bound: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "cpu-bound": ["Work that never waits", "Computing without an await holds the thread; slices with sleep(0) or a Web Worker free it.", 0],
};
