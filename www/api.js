// Finds (or starts) the demo API that the fetch lessons call.
//
// Two things can answer `api/…` relative to the page:
//   1. the dev server (`cargo xtask serve`), which reports {"server":"looplab-dev"};
//   2. on a static host, the Service Worker in `sw.js` beside index.html, which
//      reports {"server":"service-worker"}.
// We ask `api/health` first; only if nothing answers do we register the worker,
// wait until it controls this page, and ask again.
//
//   import { ensureDemoApi } from "./www/api.js";
//   const { mode, reason } = await ensureDemoApi(); // mode: server | service-worker | unavailable
//
// A page in a sub-folder of the site (the example docs, examples/docs/) passes the
// site's folder as `base`: `ensureDemoApi(new URL("../../", document.baseURI))` asks
// `../../api/health` and registers `../../sw.js`, whose scope covers the sub-folder.

/** How long `api/health` may take before we treat it as "no answer". */
const HEALTH_TIMEOUT_MS = 2000;
/** How long a freshly registered worker may take to control the page. */
const CONTROL_TIMEOUT_MS = 8000;

/**
 * Makes sure the demo API answers, and says who answers it.
 * Never rejects: problems come back as `{mode: "unavailable", reason}`.
 * @param {string | URL} [base] the folder holding `api/` and `sw.js` (default: the page's)
 * @returns {Promise<{mode: "server" | "service-worker" | "unavailable", reason: string}>}
 */
export async function ensureDemoApi(base = document.baseURI) {
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

/** `{"server": …}` from `api/health`, or null if nothing (JSON) answered in time. */
async function health(base) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), HEALTH_TIMEOUT_MS);
  try {
    const response = await fetch(new URL("api/health", base), {
      cache: "no-store",
      signal: abort.signal,
    });
    if (!response.ok) return null;
    const body = await response.json(); // a static host's HTML 404 page throws here
    return typeof body?.server === "string" ? body : null;
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

/**
 * Registers `sw.js` in `base` (beside index.html; its folder becomes the worker's scope)
 * and resolves once it controls this page. The worker calls `clients.claim()`
 * when it activates, which fires `controllerchange` here.
 */
async function registerAndWaitForControl(base) {
  const container = navigator.serviceWorker;
  let timer = 0;
  let onChange = () => {};
  const controlled = new Promise((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`it did not take control within ${CONTROL_TIMEOUT_MS} ms`)),
      CONTROL_TIMEOUT_MS,
    );
    onChange = resolve;
    container.addEventListener("controllerchange", onChange, { once: true });
  });
  controlled.catch(() => {}); // handled below; never an "unhandled rejection"
  try {
    await container.register(new URL("sw.js", base));
    // Already controlled (e.g. after a reload): no controllerchange will come.
    if (!container.controller) await controlled;
  } finally {
    clearTimeout(timer);
    container.removeEventListener("controllerchange", onChange);
  }
}
