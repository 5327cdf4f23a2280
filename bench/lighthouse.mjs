// Lighthouse over the lesson page: accessibility, best-practices and performance
// scores (0–100) and the metrics behind the performance score, as measured now.
// Used by bench/run.mjs (the `reliability.lighthouse` entry of the report);
// also runs alone:
//
//   node bench/lighthouse.mjs http://127.0.0.1:PORT/
//
// Lighthouse and chrome-launcher come from e2e/node_modules; the browser is
// Debian's Chromium (CHROME_PATH), never a downloaded one. Lighthouse's defaults
// are kept: a mid-range phone on a slow 4G connection, simulated throttling.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);

const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"];
const CATEGORIES = ["performance", "accessibility", "best-practices"];
/** The scores we hold the page to. */
export const TARGETS = { performance: 95, accessibility: 100, best_practices: 100 };
/** Performance metrics reported beside the score (Lighthouse audit ids → our names). */
const METRICS = {
  "first-contentful-paint": "fcp_ms",
  "largest-contentful-paint": "lcp_ms",
  "total-blocking-time": "tbt_ms",
  "speed-index": "speed_index_ms",
  "cumulative-layout-shift": "cls",
};

/**
 * Runs Lighthouse once on `url` and resolves to `{scores, targets, met, metrics,
 * failed_audits, lighthouse, form_factor}`; `failed_audits` names every scored audit
 * of the three categories that did not get full marks, so a lost point is findable.
 */
export async function lighthouseScores(url) {
  const { default: lighthouse } = await load("lighthouse");
  const chromeLauncher = await load("chrome-launcher");
  const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: FLAGS, logLevel: "error" });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const scores = {};
    const failed = [];
    for (const id of CATEGORIES) {
      const category = lhr.categories[id];
      scores[id.replace("-", "_")] = category.score === null ? null : Math.round(category.score * 100);
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) failed.push(`${id}: ${ref.id} (${audit.score})`);
      }
    }
    const metrics = {};
    for (const [audit, name] of Object.entries(METRICS)) {
      const value = lhr.audits[audit]?.numericValue;
      if (typeof value === "number") metrics[name] = name === "cls" ? Number(value.toFixed(3)) : Math.round(value);
    }
    const met = Object.fromEntries(Object.entries(TARGETS).map(([k, min]) => [k, scores[k] !== null && scores[k] >= min]));
    return {
      scores, targets: TARGETS, met, metrics, failed_audits: failed,
      lighthouse: lhr.lighthouseVersion, form_factor: lhr.configSettings.formFactor,
      throttling: lhr.configSettings.throttlingMethod, url,
    };
  } finally {
    await chrome.kill();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.argv[2];
  if (!url) {
    process.stderr.write("usage: node bench/lighthouse.mjs <url of the lesson page>\n");
    process.exit(2);
  }
  lighthouseScores(url).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 1)}\n`),
    (e) => {
      process.stderr.write(`lighthouse: ${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
