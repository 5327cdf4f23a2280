// Loop Lab's demo API as a Service Worker, for static hosts with no dev server.
//
// A Service Worker sits between a page and the network: every request the page
// makes inside the worker's *scope* (the folder sw.js was served from) raises a
// `fetch` event here, and `event.respondWith(...)` may answer it without the
// network. We answer only paths in the scope with an `/api/` segment, and let
// everything else pass through untouched.
//
// The contract is the dev server's (xtask/src/api.rs) to the byte: same routes,
// limits, defaults, error messages and headers, and real delays (setTimeout),
// so a lesson measures the same thing on GitHub Pages as under `cargo xtask
// serve`. e2e/api.test.mjs sends one list of requests to both and compares.
//
//   api/users/{id}?delay_ms=D&status=S  {"id":ID,"name":"…"} after D ms, status S
//   api/stream?rows=N&interval_ms=I     NDJSON {"row":i,"of":N}, one every I ms
//   api/health                          {"server":"service-worker"}
//
// Only the lessons' API lives here. The dev server's misbehaving routes for the
// robustness tests (huge bodies, stalls, …) do not: this file ships with every
// site, and `cargo xtask dist`'s test checks that no file of a site names them.

const STATUSES = [200, 201, 400, 401, 403, 404, 408, 409, 418, 429, 500, 502, 503, 504];
const NAMES = ["Ada", "Grace", "Alan", "Barbara", "Edsger", "Margaret", "Donald", "Frances"];
const HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
};

// Take control at once: a new worker need not wait for old tabs to close
// (skipWaiting), and it controls already-open pages without a reload (claim).
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const route = apiRoute(event.request.url);
  if (route === null) return; // not ours: the browser fetches it normally
  event.respondWith(answer(event.request, route));
});

/**
 * The decoded part after the last `/api/` of a URL inside our scope, else null
 * (`api::api_suffix`, then `api::percent_decode`).
 */
function apiRoute(url) {
  const scope = new URL(self.registration.scope);
  const target = new URL(url);
  if (target.origin !== scope.origin || !target.pathname.startsWith(scope.pathname)) return null;
  const at = target.pathname.lastIndexOf("/api/");
  if (at < scope.pathname.length - 1) return null; // no `/api/` inside the scope
  return { path: percentDecode(target.pathname.slice(at + 5)), params: target.searchParams };
}

/** `%XX` escapes decoded byte by byte (malformed ones kept as they are), then
 * UTF-8 with U+FFFD for bad bytes and any BOM kept: what URLSearchParams does
 * to a query, and `api::percent_decode` to a path. */
function percentDecode(text) {
  const bytes = new TextEncoder().encode(text);
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
    if (bytes[i] === 0x25 && /^[0-9a-f]{2}$/i.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(bytes[i]);
    }
  }
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(out));
}

/** Answers one API request; a `HEAD` gets the head alone, as from the dev
 * server (the browser would pass a worker's body through). */
async function answer(request, route) {
  const response = await respond(request, route);
  if (request.method !== "HEAD") return response;
  response.body?.cancel(); // a stream's timers stop
  return new Response(null, response);
}

/** The full answer; never throws (errors become JSON responses). */
async function respond(request, { path, params }) {
  if (request.method === "OPTIONS") return preflight();
  if (request.method !== "GET" && request.method !== "HEAD") {
    return json(405, { error: `method ${request.method} is not allowed; the demo API answers GET` });
  }
  const routed = route(path, params);
  if (routed.error) return json(routed.status, { error: routed.error });
  if (routed.health) return json(200, { server: "service-worker" });
  if (routed.user) {
    const { id, delayMs, status } = routed.user;
    await sleep(delayMs);
    return json(status, { id, name: NAMES[id % NAMES.length] });
  }
  return stream(routed.stream.rows, routed.stream.intervalMs);
}

/** Validates a route and its parameters, mirroring `api::route` in Rust. */
function route(path, params) {
  try {
    if (path === "health") return { health: true };
    if (path === "stream") return { stream: streamParams(params) };
    if (path.startsWith("users/")) {
      const id = intParam("id", path.slice(6), 0, 1_000_000_000, 0);
      const delayMs = intParam("delay_ms", params.get("delay_ms"), 0, 60_000, 0);
      const status = statusParam(params.get("status"));
      return { user: { id, delayMs, status } };
    }
    return { status: 404, error: `no API route ${JSON.stringify(path)}; try users/{id}, stream or health` };
  } catch (refusal) {
    if (refusal instanceof BadParam) return { status: 400, error: refusal.message };
    throw refusal;
  }
}

function streamParams(params) {
  const rows = intParam("rows", params.get("rows"), 1, 1000, 5);
  const intervalMs = intParam("interval_ms", params.get("interval_ms"), 0, 10_000, 200);
  if (rows * intervalMs > 120_000) {
    throw new BadParam(
      `rows * interval_ms must be at most 120000 ms (got ${rows} * ${intervalMs} = ${rows * intervalMs})`,
    );
  }
  return { rows, intervalMs };
}

/** A refused parameter; its message is sent to the learner as-is. */
class BadParam extends Error {}

/** Plain ASCII digits within min..=max; `raw === null` (absent) gives the default. */
function intParam(name, raw, min, max, fallback) {
  if (raw === null) return fallback;
  const value = /^[0-9]{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    throw new BadParam(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

function statusParam(raw) {
  if (raw === null) return 200;
  const status = STATUSES.find((s) => String(s) === raw);
  if (status === undefined) {
    throw new BadParam(`status must be one of ${STATUSES.join(", ")} (got ${JSON.stringify(raw)})`);
  }
  return status;
}

/** NDJSON rows produced by real timers, whether or not the page reads them yet. */
function stream(rows, intervalMs) {
  let timer = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    start(controller) {
      let row = 0;
      const next = () => {
        row += 1;
        controller.enqueue(encoder.encode(`{"row":${row},"of":${rows}}\n`));
        if (row === rows) controller.close();
        else timer = setTimeout(next, intervalMs);
      };
      timer = setTimeout(next, intervalMs);
    },
    // The page cancelled the body (or aborted the fetch): stop the timers.
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(body, { headers: { ...HEADERS, "Content-Type": "application/x-ndjson" } });
}

/** CORS preflight: any origin may `GET`, with any headers. (The dev server
 * echoes Access-Control-Request-Headers, and allows "*" without it; no page
 * may set that header, so here it is always absent.) */
function preflight() {
  return new Response(null, {
    status: 204,
    headers: {
      ...HEADERS,
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "*",
      "Access-Control-Max-Age": "600",
    },
  });
}

/** A JSON response. JSON.stringify keeps insertion order, and every object
 * here is written in contract order: {"id","name"}, {"error"}, {"server"}. */
function json(status, value) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { ...HEADERS, "Content-Type": "application/json" },
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
