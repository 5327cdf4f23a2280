// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson timeout: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "timeout": ["Deadlines that cancel", "A deadline cancels the slow request at its await and aborts its fetch, not only the wait.", 1],
};
