// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson mental-model: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "mental-model": ["One thread, taking turns", "Tasks take turns on one thread, each running until its next await; their slices never overlap.", 0],
};
