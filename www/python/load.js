// Loading Python (Pyodide) into the page: once, on first use, from Loop Lab's own folder.
//
// Pyodide is CPython compiled to WebAssembly. It is big (about 12 MB raw, 6 MB
// gzipped: the interpreter's .wasm and the standard library's .zip), so no lesson
// loads it on its own first load: `loadPython()` is called when a reader asks for
// the Python, and every later call on the page (another lesson) gets the same
// promise, hence the same interpreter.
//
// Where the files are: `<site>/pyodide/`, beside `<site>/www/`, i.e.
// `../../pyodide/` from this file. `cargo xtask dist` copies them there from the
// npm package (e2e/node_modules/pyodide, pinned in e2e/package.json), unminified;
// a server of the repository maps the same URL to that folder (e2e/python.test.mjs
// does). One URL for both layouts, and never a CDN: a static host works offline.
//
// Progress in bytes. Pyodide fetches its files itself (`loadPyodide` takes URLs,
// not bytes), and fetching them first would download them twice wherever the HTTP
// cache says no. So while `loadPyodide` runs, `fetch` is wrapped for the URLs under
// the Pyodide folder only: each response's body is passed through a counting
// stream, which costs no extra copy and keeps the wasm's streaming compile. The
// same wrapper turns the failures Pyodide would only log (a 404 for the .wasm or
// the .zip, after which it waits forever) into a rejection with the file's name.
// A CSP violation during the load rejects too, and so does an interpreter that
// has its bytes but does not start within `stallMs`.

/** Where Pyodide's files are, relative to this module (see above). */
export const PYODIDE_URL = new URL("../../pyodide/", import.meta.url).href;

/** The files whose download is counted, as the progress's `files` keys. */
const COUNTED = ["pyodide.asm.wasm", "python_stdlib.zip"];

let loading = null;

/**
 * The page's one Python interpreter, with Loop Lab's tracer installed.
 *
 * `onProgress({loaded, total, files})` is called as bytes arrive: `loaded` and
 * `total` sum the counted files (`total` is null while a size is unknown, as when
 * a host compresses the response and the header gives the compressed length);
 * `files` maps each file name to its own `{loaded, total}`. Only the first call's
 * options take effect; a later call's `onProgress` is told nothing more.
 *
 * Rejects with an Error whose message says which file or what failed.
 */
export function loadPython({ onProgress = () => {}, indexURL = PYODIDE_URL, stallMs = 60000 } = {}) {
  loading ??= load(indexURL, onProgress, stallMs);
  return loading;
}

async function load(indexURL, onProgress, stallMs) {
  const failure = deferred();
  const progress = countingFetch(indexURL, onProgress, failure.reject);
  const stopWatching = watchPolicy(failure.reject);
  const stall = stallTimer(progress, stallMs, failure.reject);
  try {
    const { loadPyodide } = await Promise.race([import(`${indexURL}pyodide.mjs`), failure.promise]).catch((e) => {
      throw new Error(`Python could not load: ${indexURL}pyodide.mjs did not load (${e.message})`);
    });
    const modules = Promise.all(Object.entries(MODULES).map(([name, file]) => fetch(new URL(file, import.meta.url)).then(textOf).then((text) => [name, text])));
    modules.catch(() => {}); // awaited below, unless the interpreter fails first
    const pyodide = await Promise.race([loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} }), failure.promise]);
    installModules(pyodide, await modules);
    return pyodide;
  } catch (error) {
    loading = null; // a later click may try again (the network may be back)
    throw error.message.startsWith("Python could not load") ? error : new Error(`Python could not load: ${error.message}`);
  } finally {
    stall.stop();
    stopWatching();
    progress.restore();
  }
}

/**
 * Loop Lab's Python modules, by import name: the tracer (run.js imports it, and it
 * its waits) and aiohttp's client over the browser's fetch (the fetch lessons import it).
 */
const MODULES = { looplab_trace: "./trace.py", looplab_waits: "./waits.py", browser_http: "./browser_http.py" };
/** Where they are written in Pyodide's file system (put on `sys.path`). */
const MODULE_DIR = "/home/pyodide/looplab";

/** Writes each module's text to MODULE_DIR, so a traceback shows its lines. */
function installModules(pyodide, modules) {
  pyodide.FS.mkdirTree(MODULE_DIR);
  for (const [name, text] of modules) pyodide.FS.writeFile(`${MODULE_DIR}/${name}.py`, text);
  pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(MODULE_DIR)})`);
}

/** A response's text, or an error naming its URL and status. */
async function textOf(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return response.text();
}

/** A promise with its reject function outside. */
function deferred() {
  let reject;
  const promise = new Promise((_, r) => (reject = r));
  promise.catch(() => {}); // raced, never awaited alone
  return { promise, reject };
}

/**
 * Wraps `globalThis.fetch` for URLs under `indexURL` until `restore()`: any failed
 * or non-2xx answer rejects the load, and the counted files' bodies report progress.
 * Other URLs pass through untouched (the page's lessons may fetch meanwhile).
 */
function countingFetch(indexURL, onProgress, fail) {
  const original = globalThis.fetch;
  const files = Object.fromEntries(COUNTED.map((name) => [name, { loaded: 0, total: null }]));
  const state = { lastByte: performance.now(), done: false };
  const report = () => {
    const all = Object.values(files);
    const loaded = all.reduce((sum, f) => sum + f.loaded, 0);
    const total = all.every((f) => f.total !== null) ? all.reduce((sum, f) => sum + f.total, 0) : null;
    onProgress({ loaded, total, files: structuredClone(files) });
  };
  const wrapped = async function (input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href).href;
    if (!url.startsWith(indexURL)) return original.call(this, input, init);
    const name = url.slice(indexURL.length).split(/[?#]/)[0];
    let response;
    try {
      response = await original.call(this, input, init);
    } catch (error) {
      fail(new Error(`Python could not load: ${name} could not be fetched (${error.message}; offline, or blocked?)`));
      throw error;
    }
    if (!response.ok) {
      fail(new Error(`Python could not load: ${name} answered HTTP ${response.status}`));
      return response;
    }
    return files[name] ? counted(response, files[name], state, report) : response;
  };
  globalThis.fetch = wrapped;
  return {
    state,
    restore() {
      if (globalThis.fetch === wrapped) globalThis.fetch = original;
    },
  };
}

/** The same response, its body counted into `file` as it streams. */
function counted(response, file, state, report) {
  const length = Number(response.headers.get("Content-Length"));
  // A compressed answer's Content-Length counts the compressed bytes, the stream the plain ones.
  file.total = length > 0 && !response.headers.get("Content-Encoding") ? length : null;
  report();
  const counter = new TransformStream({
    transform(chunk, controller) {
      file.loaded += chunk.byteLength;
      state.lastByte = performance.now();
      report();
      controller.enqueue(chunk);
    },
    flush() {
      file.total ??= file.loaded;
      report();
    },
  });
  const { status, statusText, headers } = response;
  return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
}

/** Rejects the load on a Content-Security-Policy violation while it runs. */
function watchPolicy(fail) {
  const listener = (event) => {
    const what = event.blockedURI === "wasm-eval" ? "WebAssembly compilation" : event.blockedURI || "inline code";
    fail(new Error(`Python could not load: the page's Content-Security-Policy (${event.violatedDirective}) blocked ${what}` +
      ` (Pyodide needs script-src 'self' 'wasm-unsafe-eval')`));
  };
  document.addEventListener("securitypolicyviolation", listener);
  return () => document.removeEventListener("securitypolicyviolation", listener);
}

/**
 * Rejects when no byte has arrived for `stallMs`: Pyodide logs a failed wasm
 * instantiation and waits forever, so a load that stops moving is reported.
 */
function stallTimer(progress, stallMs, fail) {
  const id = setInterval(() => {
    if (performance.now() - progress.state.lastByte > stallMs) {
      fail(new Error(`Python could not load: nothing happened for ${Math.round(stallMs / 1000)} s (see the console)`));
    }
  }, Math.min(1000, stallMs));
  return { stop: () => clearInterval(id) };
}
