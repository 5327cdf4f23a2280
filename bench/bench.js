// The benchmark page: each Loop Lab measurement runs next to its plain-JS baseline,
// in the same page, alternating, so both see the same browser state.
import init, { benchClock, benchRender, benchJoin, benchTimers, benchSpawn, benchFetch, benchRecordSize } from "./pkg/looplab.js";
import { jsSpawnTraced, jsTimersTraced, lastLog } from "./js-trace.js";

const log = (line) => { document.getElementById("log").textContent += line + "\n"; };
const params = new URLSearchParams(location.search);
const REPS = Number(params.get("reps") || 3);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function jsTimers(n, delay) {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => new Promise((r) => setTimeout(r, delay))));
  return performance.now() - t0;
}

async function jsSpawn(n) {
  const t0 = performance.now();
  const noop = async () => {};
  await Promise.all(Array.from({ length: n }, () => noop()));
  return performance.now() - t0;
}

async function jsFetch(n, url) {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => fetch(url(i)).then((r) => r.json())));
  return performance.now() - t0;
}

// A pause between measurements so garbage and timers of one do not land in the next.
const settle = () => new Promise((r) => setTimeout(r, 150));

async function pair(name, looplab, js) {
  const a = [], b = [];
  for (let i = 0; i < REPS; i++) {
    a.push(await looplab()); await settle();
    b.push(await js()); await settle();
  }
  log(`${name}: looplab ${median(a).toFixed(1)} ms, js ${median(b).toFixed(1)} ms`);
  return [median(a), median(b)];
}

/**
 * Runs each of `fns` (name → measurement returning ms) once per round, in turn, with
 * a pause after each, for REPS rounds: every measurement meets the same browser
 * state as its neighbours. Returns name → median.
 */
async function alternate(fns) {
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < REPS; i++) {
    for (const [name, fn] of Object.entries(fns)) {
      samples[name].push(await fn()); await settle();
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

/** What tracing costs in one workload: Loop Lab's traced ÷ untraced, JS traced ÷ plain. */
function tracingOf(n, m) {
  const ratio = (a, b) => (b > 0 ? a / b : null);
  return {
    n, looplab_traced_ms: m.traced, looplab_untraced_ms: m.untraced, js_ms: m.js, js_traced_ms: m.jsTraced,
    looplab_ratio: ratio(m.traced, m.untraced), js_ratio: ratio(m.jsTraced, m.js), js_traced_events: lastLog.events,
  };
}

async function run() {
  await init();
  // `timers`: n spawned tasks (create_task each) that sleep, traced and untraced; plain
  // JS and its traced peer (js-trace.js). `timers_join`: n traced sleeps joined inside
  // one task (gather over coroutines).
  const timers = [], timers_join = [], tracing = {};
  for (const n of [1000, 10000, 100000]) {
    const m = await alternate({
      traced: () => benchTimers(n, 100, true),
      untraced: () => benchTimers(n, 100, false),
      js: () => jsTimers(n, 100),
      jsTraced: () => jsTimersTraced(n, 100),
      joined: () => benchJoin(n, 100, true),
    });
    timers.push({ n, delay_ms: 100, looplab_ms: m.traced, untraced_ms: m.untraced, js_ms: m.js, js_traced_ms: m.jsTraced });
    timers_join.push({ n, delay_ms: 100, looplab_ms: m.joined });
    log(`timers x${n}: looplab ${m.traced.toFixed(1)} ms, untraced ${m.untraced.toFixed(1)} ms, js ${m.js.toFixed(1)} ms, js traced ${m.jsTraced.toFixed(1)} ms (${lastLog.events} events); joined in one task ${m.joined.toFixed(1)} ms`);
    if (n === 100000) tracing.sleeps = { ...tracingOf(n, m), delay_ms: 100 };
  }
  const n = 100000;
  const m = await alternate({
    traced: () => benchSpawn(n, true),
    untraced: () => benchSpawn(n, false),
    js: () => jsSpawn(n),
    jsTraced: () => jsSpawnTraced(n),
  });
  const spawn = { n, traced_ms: m.traced, untraced_ms: m.untraced, js_ms: m.js, js_traced_ms: m.jsTraced };
  tracing.empty = tracingOf(n, m);
  log(`spawn x${n}: traced ${m.traced.toFixed(1)} ms, untraced ${m.untraced.toFixed(1)} ms, js ${m.js.toFixed(1)} ms, js traced ${m.jsTraced.toFixed(1)} ms (${lastLog.events} events)`);
  for (const [name, t] of Object.entries(tracing)) {
    log(`tracing, ${name} x${t.n}: looplab traced ÷ untraced ${t.looplab_ratio.toFixed(2)}, js traced ÷ plain ${t.js_ratio.toFixed(2)}`);
  }
  const fetches = [];
  for (const [count, delay] of [[3, 200], [6, 200], [20, 200]]) {
    // Distinct ids: Chrome would otherwise queue identical URLs behind one cache entry.
    const url = (i) => new URL(`../api/users/${i}?delay_ms=${delay}`, location.href).href;
    const [looplab_ms, js_ms] = await pair(`fetch x${count}`, () => benchFetch(count, url(0).replace(/users\/0/, "users/{i}")), () => jsFetch(count, url));
    fetches.push({ n: count, delay_ms: delay, looplab_ms, js_ms });
  }
  const [events, dropped] = await benchRecordSize(100000, 1000000);
  const [capEvents, capDropped] = await benchRecordSize(100000, 10000);
  const record = { n: 100000, events, dropped, capped: { cap: 10000, events: capEvents, dropped: capDropped } };
  log(`record x100000: ${events} events (${dropped} dropped); cap 10000 keeps ${capEvents}, drops ${capDropped}`);
  const canvas = document.createElement("canvas");
  canvas.width = 1200; canvas.height = 440;
  document.querySelector("main").append(canvas);
  const [live_p50, live_p95, pan_p50, pan_p95, slices] = await benchRender(canvas, 10000, 10, 120);
  const render = { tasks: 10000, slices, live_p50_ms: live_p50, live_p95_ms: live_p95, pan_p50_ms: pan_p50, pan_p95_ms: pan_p95, budget_ms: 16.7 };
  log(`render 10000 tasks / ${slices} slices: live p50 ${live_p50.toFixed(1)} p95 ${live_p95.toFixed(1)} ms; pan p50 ${pan_p50.toFixed(1)} p95 ${pan_p95.toFixed(1)} ms`);
  // What one clock reading costs: the floor under every traced event.
  const clock_ns = median([benchClock(1000000), benchClock(1000000), benchClock(1000000)]) * 1e6 / 1000000;
  log(`clock: performance.now() from wasm costs ${clock_ns.toFixed(0)} ns`);
  return { timers, timers_join, tracing, render, spawn, clock: { ns_per_read: clock_ns }, fetch: fetches, record, user_agent: navigator.userAgent };
}

window.benchDone = run().catch((e) => { log(`failed: ${e}`); throw e; });
