// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson as-completed: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "as-completed": ["First come, first served", "Results handled as they arrive, the quickest first, instead of in the order they were asked for.", 1],
};
