// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson context-manager: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "context-manager": ["Cleaning up, whatever happens", "A teardown that runs after success, error and cancellation, though Rust's Drop cannot await.", 0],
};
