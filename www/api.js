// Finds (or starts) the demo API that the fetch lessons call.
//
// Two things can answer `api/…` in Loop Lab's folder (the one holding sw.js):
//   1. the dev server (`cargo xtask serve`), which reports {"server":"looplab-dev"};
//   2. on a static host, the Service Worker in `sw.js`, which reports
//      {"server":"service-worker"} — but only to pages it controls, the pages inside
//      its folder (its *scope*). Until then the site's static file `api/health`
//      answers {"server":"none"} (`cargo xtask dist` writes it): no server here.
//
//   import { ensureDemoApi } from "./www/api.js";
//   const { mode, reason } = await ensureDemoApi(); // mode: server | service-worker | unavailable
//
// `ensureDemoApi(base)` is for a page inside the folder: it asks `api/health` first,
// and only if nothing answers registers the worker, waits until it controls the page,
// and asks again. A page in a sub-folder passes the folder: `ensureDemoApi(new
// URL("../../", document.baseURI))` asks `../../api/health` and registers `../../sw.js`.
//
// `demoFetch(root)` is what the <loop-lab> element uses (www/embed.js), on any page
// of the site. Inside the folder it is `ensureDemoApi(root)`, and the page's own
// `fetch` reaches the API. A page outside the folder can never be controlled by the
// worker, so there the worker gets a *bridge*: a hidden, empty same-origin frame of
// `bridge.html`, beside sw.js (in the repository: www/, as sw.js), which the worker
// controls. A request made with that frame's `fetch` is the frame's request, so the worker answers it; it is still
// the browser's own fetch (in DevTools' network panel, aborted by its signal). The
// element hands that `fetch` to the wasm runtime for URLs under `root/api/`. The frame
// has no script of its own, so a strict Content-Security-Policy allows it.

/** How long `api/health` may take before we treat it as "no answer". */
const HEALTH_TIMEOUT_MS = 2000;
/** How long a freshly registered worker may take to control the page (or the bridge). */
const CONTROL_TIMEOUT_MS = 8000;

const checks = new Map(); // folder URL → the promise of ensureDemoApi's answer

/**
 * Makes sure the demo API answers this page, and says who answers it.
 * Never rejects: problems come back as `{mode: "unavailable", reason}`. Asked twice
 * for one folder, it answers from the first check.
 * @param {string | URL} [base] the folder holding `api/` and `sw.js` (default: the page's)
 * @returns {Promise<{mode: "server" | "service-worker" | "unavailable", reason: string}>}
 */
export function ensureDemoApi(base = document.baseURI) {
  const folder = new URL("./", base).href;
  if (!checks.has(folder)) checks.set(folder, check(folder));
  return checks.get(folder);
}

/**
 * Makes sure the demo API in Loop Lab's folder `root` answers, from any page of the
 * site. Never rejects. `fetch` is the function to fetch `root/api/…` with: null for
 * the page's own, or the bridge frame's.
 * @param {string | URL} folder Loop Lab's folder (where sw.js and bridge.html are)
 * @returns {Promise<{mode: string, reason: string, fetch: null | ((url: string, init: object) => Promise<Response>)}>}
 */
export async function demoFetch(folder) {
  const root = new URL(folder, document.baseURI);
  if (location.href.startsWith(root.href)) return { ...(await ensureDemoApi(root)), fetch: null };
  // Outside the folder: only the worker can serve it here (no server answers a
  // static host; and under `cargo xtask serve` every page is inside the folder).
  const blocked = whyNoServiceWorker();
  if (blocked) return { mode: "unavailable", reason: blocked, fetch: null };
  try {
    const win = await bridge(root);
    const through = (url, init) => win.fetch(url, init);
    if (await health(root, through)) {
      return { mode: "service-worker", reason: `A Service Worker serves the demo API in ${root.pathname}, through a frame.`, fetch: through };
    }
  } catch (error) {
    // A server may still answer the page itself (no sw.js there, or no frames allowed).
    const answer = await health(root);
    if (answer) return { ...found(answer), fetch: null };
    return { mode: "unavailable", reason: `The Service Worker that provides the demo API could not start (${error.message}).`, fetch: null };
  }
  return { mode: "unavailable", reason: "The Service Worker started but api/health did not answer.", fetch: null };
}

async function check(base) {
  const first = await health(base);
  if (first) return found(first);
  const blocked = whyNoServiceWorker();
  if (blocked) return { mode: "unavailable", reason: blocked };
  try {
    await registerAndWaitForControl(base);
  } catch (error) {
    return {
      mode: "unavailable",
      reason:
        `The Service Worker that provides the demo API could not start (${error.message}), ` +
        "so the fetch demos cannot run. Run `cargo xtask serve` and open the page it prints.",
    };
  }
  const second = await health(base);
  if (second) return found(second);
  return {
    mode: "unavailable",
    reason: "The Service Worker started but api/health did not answer, so the fetch demos cannot run.",
  };
}

/** `{"server": …}` from `api/health` (fetched with `get`), or null if nothing (JSON) answered in time. */
async function health(base, get = fetch) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), HEALTH_TIMEOUT_MS);
  try {
    const response = await get(String(new URL("api/health", base)), {
      cache: "no-store",
      signal: abort.signal,
    });
    if (!response.ok) return null;
    const body = await response.json(); // a static host's HTML 404 page throws here
    return typeof body?.server === "string" && body.server !== "none" ? body : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function found({ server }) {
  if (server === "service-worker") {
    return {
      mode: "service-worker",
      reason: "No server answers api/, so a Service Worker in this page's folder serves the demo API.",
    };
  }
  return { mode: "server", reason: `The dev server (${server}) answers the demo API.` };
}

/** Why this page cannot run a Service Worker, in plain English; null if it can. */
function whyNoServiceWorker() {
  const fix = "Serve the folder over http://localhost or https instead, e.g. with `cargo xtask serve`.";
  if (location.protocol === "file:") {
    return `This page was opened as a file (file://). Browsers run no Service Workers there, so the fetch demos cannot run. ${fix}`;
  }
  if (!isSecureContext) {
    return `${location.origin} is not a secure context (plain http on a non-local address), so the browser will not run the Service Worker that provides the demo API and the fetch demos cannot run. ${fix}`;
  }
  if (!("serviceWorker" in navigator)) {
    return `This browser offers no Service Workers here (a private window, or disabled by policy), so the fetch demos cannot run. ${fix}`;
  }
  return null;
}

/** Rejects after `ms` with "`what` within ms", unless `promise` settles first. */
function within(promise, what) {
  let timer = 0;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${CONTROL_TIMEOUT_MS} ms`)), CONTROL_TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Resolves at the next `controllerchange` of `container` (a page's or a frame's). */
function controllerChange(container) {
  return new Promise((resolve) => container.addEventListener("controllerchange", resolve, { once: true }));
}

/**
 * Registers `sw.js` in `base` (its folder becomes the worker's scope) and resolves
 * once it controls this page. The worker calls `clients.claim()` when it activates,
 * which fires `controllerchange` here.
 */
async function registerAndWaitForControl(base) {
  const container = navigator.serviceWorker;
  const changed = controllerChange(container);
  await container.register(new URL("sw.js", base));
  // Already controlled (e.g. after a reload): no controllerchange will come.
  if (!container.controller) await within(changed, "it did not take control");
}

const bridges = new Map(); // folder URL → the promise of its bridge frame's window

/** The window of a hidden frame of `root/bridge.html` that the worker controls (one per folder). */
function bridge(root) {
  if (!bridges.has(root.href)) {
    const made = openBridge(root);
    made.catch(() => bridges.delete(root.href)); // try again next time
    bridges.set(root.href, made);
  }
  return bridges.get(root.href);
}

async function openBridge(root) {
  const registration = await navigator.serviceWorker.register(new URL("sw.js", root));
  await within(activated(registration), "it did not start");
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.style.display = "none"; // through the CSSOM: no style attribute, which a strict CSP forbids
  frame.tabIndex = -1;
  frame.title = "Loop Lab's demo API";
  frame.setAttribute("aria-hidden", "true");
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  frame.src = String(new URL("bridge.html", root));
  document.documentElement.append(frame); // not in <body>, which a page may rewrite
  await within(loaded, "the bridge frame did not load");
  const win = frame.contentWindow;
  const container = win.navigator.serviceWorker;
  // Loaded after the worker activated, so controlled from the start; or claimed now.
  if (!container.controller) await within(controllerChange(container), "it did not take control of the bridge frame");
  return win;
}

/** Resolves once the worker of `registration` is active (its `activate` done: it has claimed its clients). */
function activated(registration) {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  return new Promise((resolve, reject) => {
    const look = () => {
      if (worker.state === "activated") resolve();
      if (worker.state === "redundant") reject(new Error("it was replaced before it started"));
    };
    worker.addEventListener("statechange", look);
    look();
  });
}
