// Loop Lab's demo API as a Service Worker, for static hosts with no dev server.
//
// A Service Worker sits between a page and the network: every request the page
// makes inside the worker's *scope* (the folder sw.js was served from) raises a
// `fetch` event here, and `event.respondWith(...)` may answer it without the
// network. We answer only paths that, relative to the scope, start with `api/`,
// and let everything else pass through untouched.
//
// The contract is the dev server's (xtask/src/api.rs) to the byte: same routes,
// limits, defaults and error messages, and real delays (setTimeout), so a
// lesson measures the same thing on GitHub Pages as under `cargo xtask serve`.
//
//   api/users/{id}?delay_ms=D&status=S  {"id":ID,"name":"…"} after D ms, status S
//   api/stream?rows=N&interval_ms=I     NDJSON {"row":i,"of":N}, one every I ms
//   api/health                          {"server":"service-worker"}
//
// And, as on the dev server (xtask/src/server_hostile.rs), misbehaving answers for
// the robustness tests: api/hostile/500, not-json, huge?mb=N[&length=0], stall.
// (hostile/no-cors has no meaning here: a Service Worker answers its own origin.)

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

/** The part after `api/` if `url` is `<scope>api/…`, else null. */
function apiRoute(url) {
  const scope = new URL(self.registration.scope);
  const target = new URL(url);
  if (target.origin !== scope.origin || !target.pathname.startsWith(scope.pathname)) return null;
  const relative = target.pathname.slice(scope.pathname.length);
  if (!relative.startsWith("api/")) return null;
  return { path: decodeURIComponentSafe(relative.slice(4)), params: target.searchParams };
}

function decodeURIComponentSafe(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Answers one API request; never throws (errors become JSON responses). */
async function answer(request, { path, params }) {
  if (request.method === "OPTIONS") return preflight(request);
  if (request.method !== "GET" && request.method !== "HEAD") {
    return json(405, { error: `method ${request.method} is not allowed; the demo API answers GET` });
  }
  if (path.startsWith("hostile/")) return hostile(path.slice(8), params);
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
  return new Response(body, {
    status: 200,
    headers: { ...HEADERS, "Content-Type": "application/x-ndjson" },
  });
}

/** Misbehaving answers: a crash page, a lie about JSON, a huge body, a stalled one. */
function hostile(what, params) {
  const headers = { ...HEADERS, "Content-Type": "application/json" };
  if (what === "500") {
    const page = "<!doctype html><h1>500 Internal Server Error</h1>";
    return new Response(page, { status: 500, headers: { ...HEADERS, "Content-Type": "text/html; charset=utf-8" } });
  }
  if (what === "not-json") return new Response("<!doctype html><title>Welcome</title><p>This is not JSON.", { headers });
  if (what === "huge") {
    const mb = params.has("mb") ? Number(params.get("mb")) : 50;
    if (!(Number.isInteger(mb) && mb >= 1 && mb <= 200)) return json(400, { error: "mb must be an integer from 1 to 200" });
    const total = mb * 1024 * 1024;
    if (params.get("length") !== "0") headers["Content-Length"] = String(total);
    return new Response(hugeBody(total), { headers });
  }
  if (what === "stall") {
    let timer = 0;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":1,"na'));
        timer = setTimeout(() => controller.close(), 600_000);
      },
      cancel() {
        clearTimeout(timer);
      },
    });
    return new Response(body, { headers });
  }
  return json(404, { error: `no hostile route ${JSON.stringify(what)}; try 500, not-json, huge or stall` });
}

/** `{"pad":"xxx…"}`, `total` bytes, produced 64 KiB at a time as the page reads. */
function hugeBody(total) {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      const n = Math.min(65536, total - sent);
      const chunk = new Uint8Array(n).fill(0x78);
      if (sent === 0) chunk.set(new TextEncoder().encode('{"pad":"'));
      if (sent + n === total) chunk.set(new TextEncoder().encode('"}'), n - 2);
      sent += n;
      controller.enqueue(chunk);
      if (sent >= total) controller.close();
    },
  });
}

function preflight(request) {
  const asked = request.headers.get("Access-Control-Request-Headers") ?? "*";
  return new Response(null, {
    status: 204,
    headers: {
      ...HEADERS,
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": asked,
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
