// The inspector's replay of a run, in a WebAssembly module of its own.
//
//   const replay = await replayOf(handle, readerUrl); // inspector.js
//   JSON.parse(replay.inspectEvent(12));              // the state after event 12
//   await inspectRun(handle, readerUrl, 250);         // element.inspect(250)
//
// Replaying a record (src/trace/inspect.rs) is only needed once a reader opens the
// inspector, so it is not in the lesson's module: `pkg/reader/` (src/reader.rs) holds
// it, about 20 KB gzipped, and this file loads it on first use, once per page. The
// lesson's module hands over its last record as bytes (`handle.dump()`, with every
// wait's lines in the code shown); a Replay decodes them once per run and answers
// in JSON. `handle.stamp` changes with every new run or event, so a replay is never
// stale. `readerUrl` is pkg/reader/looplab.js wherever the page keeps it (embed.js
// and the npm package's index.js say where).

const modules = new Map(); // glue URL → promise of the initialised glue
const replays = new WeakMap(); // lesson handle → { stamp, replay }

/** The glue of the module at `url`, instantiated once. */
export function load(url) {
  const key = String(url);
  if (!modules.has(key)) {
    const glue = import(key).then(async (m) => {
      await m.default({ module_or_path: new URL("looplab_bg.wasm", key) });
      return m;
    });
    glue.catch(() => modules.delete(key)); // a failed load is tried again next time
    modules.set(key, glue);
  }
  return modules.get(key);
}

/** The Replay of `handle`'s last run; rejects, saying why, before any run. */
export async function replayOf(handle, readerUrl) {
  const glue = await load(readerUrl);
  const stamp = handle.stamp;
  let kept = replays.get(handle);
  if (kept?.stamp !== stamp) {
    const replay = new glue.Replay(handle.dump());
    if (handle.language === "python") replay.speakPython(); // asyncio's words for a Python run
    kept?.replay.free();
    kept = { stamp, replay };
    replays.set(handle, kept);
  }
  return kept.replay;
}

/** The loop's state `t_ms` after `handle`'s last run began: what `element.inspect(t_ms)` resolves to. */
export async function inspectRun(handle, readerUrl, t_ms) {
  const replay = await replayOf(handle, readerUrl);
  return JSON.parse(replay.inspect(Number(t_ms)));
}
