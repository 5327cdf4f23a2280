// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson stream: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "stream": ["Rows as they arrive", "Rows of a streamed response are handled as they arrive, while a ticker keeps running on time.", 1],
};
