// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson errors: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "errors": ["When one task fails", "One of three tasks fails: when four ways of waiting report it, and what becomes of the others.", 0],
};
