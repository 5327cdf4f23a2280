// Lists what each host page downloads before its <loop-lab> lessons are on
// screen: every response the browser received, as paths on the server.
//
//   node bench/first-load.mjs http://127.0.0.1:PORT/embed/timeout.html [more pages…]
//
// Each page gets a fresh browser context (an empty cache). Prints one JSON array
// (one array of paths per page, the page itself excluded) on stdout; the caller
// (`cargo xtask bench`) gzips those files to measure the first load.

import { createRequire } from "node:module";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"];

async function main(urls) {
  if (urls.length === 0) throw new Error("usage: node bench/first-load.mjs <url of a host page>…");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  try {
    const lists = [];
    for (const url of urls) lists.push(await load(browser, url));
    process.stdout.write(`${JSON.stringify(lists)}\n`);
  } finally {
    await browser.close();
  }
}

async function load(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const origin = new URL(url).origin;
    const paths = new Set();
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("response", (r) => {
      const u = new URL(r.url());
      if (u.origin === origin && r.status() === 200 && u.href !== url) paths.add(u.pathname);
    });
    await page.goto(url);
    // Mounted: the first element's Run button exists inside its shadow root.
    await page.waitForFunction(() => document.querySelector("loop-lab")?.shadowRoot?.querySelector("button.run"), null, { timeout: 30_000 })
      .catch((error) => {
        throw new Error(`${url}: no lesson on screen (${error.message}); the page said: ${errors.join(" | ") || "nothing"}`);
      });
    await page.waitForLoadState("networkidle");
    return [...paths].sort();
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`first-load: ${error.stack ?? error}\n`);
  process.exit(1);
});
