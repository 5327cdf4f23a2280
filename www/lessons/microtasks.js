// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson microtasks: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "microtasks": ["An await that never lets go", "Awaiting yield_now lets no timer fire and no frame paint until the loop ends; sleep(0) does.", 0],
};
