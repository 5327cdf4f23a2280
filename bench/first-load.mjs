// Lists what a page with one <loop-lab> element downloads before the lesson is
// on screen: every response the browser received, as paths on the server.
//
//   node bench/first-load.mjs http://127.0.0.1:PORT/bench/embed.html
//
// Prints one JSON array of paths (the page itself excluded) on stdout; the
// caller (`cargo xtask bench`) gzips those files to measure the first load.

import { createRequire } from "node:module";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"];

async function main(url) {
  if (!url) throw new Error("usage: node bench/first-load.mjs <url of bench/embed.html>");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const origin = new URL(url).origin;
    const paths = new Set();
    page.on("response", (r) => {
      const u = new URL(r.url());
      if (u.origin === origin && r.status() === 200 && u.href !== url) paths.add(u.pathname);
    });
    await page.goto(url);
    // Mounted: the lesson's Run button exists inside the element's shadow root.
    await page.waitForFunction(() => document.querySelector("loop-lab")?.shadowRoot?.querySelector("button.run"), null, { timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    process.stdout.write(`${JSON.stringify([...paths].sort())}\n`);
  } finally {
    await browser.close();
  }
}

main(process.argv[2]).catch((error) => {
  process.stderr.write(`first-load: ${error.stack ?? error}\n`);
  process.exit(1);
});
