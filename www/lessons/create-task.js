// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson create-task: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "create-task": ["Start it now, await it later", "A request started as a task runs in the background while the caller gets on with other work.", 1],
};
