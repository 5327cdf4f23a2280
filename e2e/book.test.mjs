// The example mdBook, examples/book/: built by `cargo xtask book` with the real
// `mdbook` and this repository's preprocessor (mdbook-looplab), then served from a
// plain static server, as on GitHub Pages. Each page shows the elements its
// ```looplab blocks asked for, loads embed.js once from the right depth, and every
// lesson on it runs through the element's run() to a summary of that lesson, with
// one wasm download per page and no console error.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { assertNoErrors, launchBrowser, openPage, ROOT, screenshot, startStaticServer, XTASK } from "./lib.mjs";

/** Where examples/book/book.toml has mdBook write the book. */
const BOOK = join(ROOT, "target/book");

/**
 * A static host answers no api/: if the page probes api/health before starting the
 * Service Worker, Chromium logs that 404 as "Failed to load resource". Expected.
 */
const healthProbe404 = ({ text, url }) => text.startsWith("Failed to load resource") && url.endsWith("/api/health");

const allDone = (s) => assert.ok(s.tasks.length > 0 && s.tasks.every((t) => t.outcome === "done"), JSON.stringify(s.tasks));

/** Each page, the script it must load, and its lessons: their attributes and what a run must show. */
const PAGES = [
  {
    path: "intro.html",
    script: "www/embed.js",
    lessons: [{
      attrs: { lesson: "sequential-vs-concurrent" },
      check(s) {
        allDone(s);
        // The lesson's defaults, 1000 and 2000 ms: no attribute changed them.
        assert.ok(s.figures.sequential_ms >= 3000, `sequential took ${s.figures.sequential_ms} ms, expected ~3000`);
        assert.ok(s.figures.concurrent_ms >= 2000 && s.figures.concurrent_ms < 0.9 * s.figures.sequential_ms, JSON.stringify(s.figures));
      },
    }],
  },
  {
    path: "failures.html",
    script: "www/embed.js",
    lessons: [{
      attrs: { lesson: "errors", "fail-ms": "200", compact: "" },
      check(s) {
        // fail-ms=200 reached the lesson: gather saw b's error after 200 ms, not the default 100.
        assert.ok(s.figures.gather_error_ms >= 195, `gather surfaced the error after ${s.figures.gather_error_ms} ms`);
        const b = s.tasks.find((t) => t.name === "collect-all: b");
        assert.equal(b?.outcome, "failed", "b fails on purpose");
        assert.equal(b.error, "b failed");
        assert.equal(s.figures.try_join_all_cancelled, 2);
      },
    }],
  },
  {
    path: "network/requests.html",
    script: "../www/embed.js",
    lessons: [{
      attrs: { lesson: "gather-fetch", requests: "4", "delay-ms": "150" },
      check(s) {
        allDone(s); // every request answered: no HTTP error, no failed fetch
        assert.equal(s.tasks.length, 8, "4 requests one by one, then 4 together");
        assert.ok(s.figures.sequential_ms >= 600, `one by one took ${s.figures.sequential_ms} ms, expected ~600`);
        assert.ok(s.figures.concurrent_ms >= 150 && s.figures.concurrent_ms < 0.75 * s.figures.sequential_ms, JSON.stringify(s.figures));
      },
    }],
  },
];

let server;
let browser;

before(async () => {
  // Writes target/dist and target/book (the first run on a machine may install mdBook first).
  execFileSync(XTASK, ["book", "--no-build"], { cwd: ROOT, stdio: "inherit" });
  server = await startStaticServer(BOOK);
  browser = await launchBrowser();
}, { timeout: 900_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The page's <loop-lab> elements (their attributes) and the sources of its module scripts. */
function shown(page) {
  return page.evaluate(() => ({
    lessons: [...document.querySelectorAll("loop-lab")].map((el) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]))),
    scripts: [...document.querySelectorAll('script[type="module"]')].map((s) => s.getAttribute("src")),
  }));
}

for (const { path, script, lessons } of PAGES) {
  // A fetch lesson starts the demo API's Service Worker itself (www/embed.js): nothing
  // else on a book page does.
  test(`book page ${path}: its lessons run from the preprocessor's elements`, { timeout: 120_000 }, async (t) => {
    const { page, errors } = await openPage(browser);
    t.after(() => page.context().close());
    await page.goto(`${server.origin}/${path}`);

    const { lessons: found, scripts } = await shown(page);
    assert.deepEqual(found, lessons.map((l) => l.attrs), "the elements the blocks asked for");
    assert.deepEqual(scripts, [script], "embed.js once, relative to the page's folder");

    const summaries = [];
    for (const { attrs } of lessons) {
      summaries.push(await page.$eval(`loop-lab[lesson="${attrs.lesson}"]`, (el) => {
        el.scrollIntoView();
        return el.run();
      }));
    }
    await screenshot(page, `book-${path.replace(/\W+/g, "-")}`); // after the runs, whatever they showed
    lessons.forEach(({ attrs, check }, i) => {
      const summary = summaries[i];
      assert.equal(summary.lesson, attrs.lesson);
      assert.equal(summary.error, null, `${attrs.lesson}: ${summary.error}`);
      assert.ok(summary.verdict, `${attrs.lesson}: no verdict`);
      check(summary);
    });
    const wasm = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length);
    assert.equal(wasm, 1, "one wasm download for the page");
    assertNoErrors(errors, healthProbe404);
  });
}

test("book page print.html: every chapter's lessons on one page, one embed.js", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openPage(browser);
  t.after(() => page.context().close());
  await page.goto(`${server.origin}/print.html`);
  const { lessons: found } = await shown(page);
  assert.deepEqual(found, PAGES.flatMap((p) => p.lessons.map((l) => l.attrs)));
  // Three script tags, written for three depths, all the same module at the book's root.
  const loaded = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/embed.js")).map((e) => e.name));
  assert.deepEqual(loaded, [`${server.origin}/www/embed.js`]);
  await page.waitForFunction(() => document.querySelector("loop-lab").shadowRoot?.querySelector(".ll-lesson"), null, { timeout: 20_000 });
  assertNoErrors(errors, healthProbe404);
});
