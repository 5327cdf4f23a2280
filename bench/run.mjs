// Runs bench/index.html in headless Chromium and prints its results as JSON.
//
//   node bench/run.mjs http://127.0.0.1:PORT/bench/index.html
//
// The page sets `window.benchDone`, a Promise that resolves to a JSON-ready
// object ({timers, spawn, fetch, …}). We wait for it and write exactly that
// object to stdout; everything else (page console, progress) goes to stderr,
// so `cargo xtask bench` can parse stdout. playwright-core comes from
// e2e/node_modules (installed by `npm ci` there); the browser is Debian's.

import { createRequire } from "node:module";
import { lighthouseScores } from "./lighthouse.mjs";
import { measureLeak, pickHeaviest } from "./leak.mjs";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run", "--disable-quic",
];
/** A whole benchmark run may take this long before we give up. */
const TIMEOUT_MS = 10 * 60 * 1000;

async function main(url) {
  if (!url) throw new Error("usage: node bench/run.mjs <url of bench/index.html>");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => process.stderr.write(`[page ${m.type()}] ${m.text()}\n`));
    page.on("pageerror", (e) => process.stderr.write(`[page error] ${e.message}\n`));
    process.stderr.write(`bench: opening ${url}\n`);
    await page.goto(url);
    await page.waitForFunction(() => window.benchDone !== undefined, null, { timeout: 30_000 });
    // evaluate() awaits the Promise inside the page and returns its value as
    // JSON; it has no timeout of its own, so race it against one.
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`benchDone not settled after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    const results = await Promise.race([page.evaluate(() => window.benchDone), timeout]);
    clearTimeout(timer);
    await browser.close();
    await addLighthouse(results, url);
    await addLeak(results, url);
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } finally {
    await browser.close();
  }
}

/**
 * Lighthouse over the lesson page of the same server, once the benchmark's own
 * browser is closed (so the two never share the CPU): `reliability.lighthouse`.
 * A failed run is recorded as `{error}` and said on stderr; the other figures stand.
 */
async function addLighthouse(results, benchUrl) {
  const page = new URL("../", benchUrl).href;
  process.stderr.write(`bench: Lighthouse on ${page}\n`);
  let entry;
  try {
    entry = await lighthouseScores(page);
  } catch (error) {
    process.stderr.write(`bench: Lighthouse failed: ${error.stack ?? error}\n`);
    entry = { error: String(error.message ?? error) };
  }
  results.reliability = { ...results.reliability, lighthouse: entry };
}

/**
 * 500 runs in a row of the heaviest lesson on the lesson page, in a browser of its
 * own: wasm memory and JS heap after run 10 and run 500 (`reliability.leak`, see
 * leak.mjs). A failure is recorded as `{error}`; the other figures stand.
 */
async function addLeak(results, benchUrl) {
  const pageUrl = new URL("../", benchUrl).href;
  process.stderr.write(`bench: 500 runs for the leak check on ${pageUrl}\n`);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  let entry;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pageUrl);
    await page.waitForFunction(() => document.documentElement.dataset.looplab === "ready", null, { timeout: 30_000 });
    const { heaviest, measured } = await pickHeaviest(page);
    entry = { ...(await measureLeak(page, heaviest, 500)), candidates: measured };
  } catch (error) {
    process.stderr.write(`bench: leak check failed: ${error.stack ?? error}\n`);
    entry = { error: String(error.message ?? error) };
  } finally {
    await browser.close();
  }
  results.reliability = { ...results.reliability, leak: entry };
}

main(process.argv[2]).catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exit(1);
});
