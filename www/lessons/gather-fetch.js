// Written by `cargo xtask lessons` from src/lessons/lessons.json (xtask/src/lessons_js.rs): do not edit.
// The lesson gather-fetch: its title, one line, and 1 if it calls the demo API (else 0), for
// what <loop-lab> shows before the module has loaded (www/embed.js).
export const LESSONS = {
  "gather-fetch": ["Requests, gathered", "N requests awaited one by one take N delays; gathered, about one delay.", 1],
};
