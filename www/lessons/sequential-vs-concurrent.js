// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson sequential-vs-concurrent: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "sequential-vs-concurrent": ["One after another, or together", "Two waits awaited one after the other take their sum; started together, only the longer one.", 0],
};
