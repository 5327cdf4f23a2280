// Usable by everyone: axe-core finds no violation on any page we ship (light and
// dark, after real runs, inside every <loop-lab>'s open Shadow DOM); every control
// of a lesson is reached with Tab and shows where the focus is; Enter and Space on
// Run start a run; the timeline canvas pans and zooms from the keyboard; and with
// `prefers-reduced-motion: reduce` nothing on the page animates by itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  ROOT, assertNoErrors, launchBrowser, openPage, openServedPage, runProof, startDevServer, waitReady,
} from "./lib.mjs";

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/**
 * Every page a reader can open, checked when its file exists. A new page is one
 * more line here; examples/docs/index.html is picked up as soon as it is written.
 */
const PAGES = [
  { name: "lesson page", file: "index.html", path: "/", lessonPage: true },
  { name: "docs example", file: "examples/docs/index.html", path: "/examples/docs/index.html" },
].filter((p) => existsSync(join(ROOT, p.file)));

/**
 * Lessons that are not on the lesson page but can be embedded: each is mounted
 * into the lesson page and checked, once its source file exists.
 */
const EXTRA_LESSONS = [
  { id: "playground", file: "src/lessons/playground.rs" },
].filter((l) => existsSync(join(ROOT, l.file)));

/** Lessons run before the scan: their failed and cancelled rows must be legible too. */
const RUN_BEFORE_SCAN = ["errors", "timeout"];

/** Mounts every <loop-lab> (they start near the viewport) and waits for each lesson. */
async function mountAll(page) {
  await page.evaluate(async () => {
    const labs = [...document.querySelectorAll("loop-lab")];
    for (const lab of labs) {
      lab.scrollIntoView();
      const t0 = performance.now();
      while (!lab.shadowRoot?.querySelector("article.ll-lesson, .notice")) {
        if (performance.now() - t0 > 10_000) throw new Error(`<loop-lab lesson=${lab.getAttribute("lesson")}> never mounted`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    window.scrollTo(0, 0);
  });
}

/** Adds `<loop-lab lesson=id>` to the page's main and waits for it to mount. */
async function addLesson(page, id) {
  await page.evaluate(async (id) => {
    const lab = document.createElement("loop-lab");
    lab.setAttribute("lesson", id);
    document.querySelector("main").append(lab);
    await lab.run().catch(() => {});
  }, id);
}

/** Runs the lessons `ids` on the page, one after another, through their elements. */
async function runLessons(page, ids) {
  await page.evaluate(async (ids) => {
    for (const id of ids) await document.querySelector(`loop-lab[lesson="${id}"]`).run();
  }, ids);
}

/** axe-core over the whole document (open shadow roots included): its violations, summarised. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" >>> "), why: n.failureSummary })),
    }));
  });
  return violations;
}

for (const target of PAGES) {
  test(`axe-core: no violations on the ${target.name}, light and dark, after runs`, { timeout: 180_000 }, async (t) => {
    const server = await startDevServer();
    t.after(server.stop);
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const { page, errors } = await openPage(browser);
    const response = await page.goto(`${server.origin}${target.path}`);
    assert.ok(response?.ok(), `${target.path} answered ${response?.status()}`);
    if (target.lessonPage) await waitReady(page, errors);
    await mountAll(page);
    if (target.lessonPage) {
      await runProof(page);
      await runLessons(page, RUN_BEFORE_SCAN);
      for (const lesson of EXTRA_LESSONS) await addLesson(page, lesson.id);
    } else {
      // Any other page: its first lesson runs once, so the scan sees a finished run.
      await page.evaluate(() => document.querySelector("loop-lab")?.run());
    }
    const scanned = await page.evaluate(() => [...document.querySelectorAll("loop-lab")]
      .filter((l) => l.shadowRoot?.querySelector("article.ll-lesson")).length);
    t.diagnostic(`${scanned} <loop-lab> shadow roots in the scan`);
    const found = {};
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      found[scheme] = await axeViolations(page);
    }
    assert.deepEqual(found, { light: [], dark: [] }, `axe-core violations on the ${target.name}`);
    assertNoErrors(errors);
  });
}

/** How many tab stops lesson `id` has: enabled controls and tabindex=0, on screen. */
function countTabStops(page, id) {
  return page.evaluate((id) => {
    const root = document.querySelector(`loop-lab[lesson="${id}"]`).shadowRoot;
    const stops = root.querySelectorAll("input, select, textarea, button, [tabindex], a[href]");
    return [...stops].filter((el) => !el.disabled && el.tabIndex >= 0 && el.checkVisibility()).length;
  }, id);
}

/**
 * Records, for every element of lesson `id`, the computed styles that can show a
 * focus ring, while none of them has the focus.
 */
function recordUnfocused(page, id) {
  return page.evaluate((id) => {
    const root = document.querySelector(`loop-lab[lesson="${id}"]`).shadowRoot;
    window.unfocusedRing = new Map();
    for (const el of root.querySelectorAll("*")) {
      const s = getComputedStyle(el);
      window.unfocusedRing.set(el, { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow });
    }
  }, id);
}

/**
 * The element that has the focus, looking through shadow roots: which lesson it
 * is in, what it is, and its ring styles now and when it was not focused.
 */
function focusedInfo(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let lesson = null;
    while (el?.shadowRoot?.activeElement) {
      lesson = el.getAttribute("lesson") ?? lesson;
      el = el.shadowRoot.activeElement;
    }
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const ring = { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow };
    const name = el.getAttribute("aria-label") || el.textContent.trim().slice(0, 30) || el.getAttribute("name") || "";
    const box = el.getBoundingClientRect();
    return {
      lesson, tag: el.tagName.toLowerCase(), name, ring, plain: window.unfocusedRing?.get(el) ?? null,
      visible: box.width > 0 && box.height > 0,
    };
  });
}

/** An outline that draws something: a style other than none and a non-zero width. */
function drawsOutline(outline) {
  const [style, width] = outline.split(" ");
  return style !== "none" && parseFloat(width) > 0;
}

/**
 * Tabs through lesson `id` from its first code block to the end, asserting each
 * stop shows a focus ring it did not have unfocused; returns the stops visited.
 */
async function tabThrough(page, id) {
  const expected = await countTabStops(page, id);
  await recordUnfocused(page, id);
  // Into the lesson from the keyboard: the first code block, via Tab and Shift+Tab
  // (so the browser shows focus as it does for keyboard users).
  await page.evaluate((id) => document.querySelector(`loop-lab[lesson="${id}"]`).shadowRoot.querySelector("pre").focus(), id);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Shift+Tab");
  const visited = [];
  for (let i = 0; i < expected + 5; i++) {
    const info = await focusedInfo(page);
    assert.ok(info, `after ${visited.length} stops the focus was lost`);
    if (info.lesson !== id) break;
    const what = `${id}: ${info.tag} "${info.name}"`;
    assert.ok(info.visible, `${what} has the focus but no box on screen`);
    assert.ok(info.plain, `${what} is not an element of the lesson`);
    const { ring, plain } = info;
    const shows = (drawsOutline(ring.outline) && ring.outline !== plain.outline) ||
      (ring.shadow !== "none" && ring.shadow !== plain.shadow);
    assert.ok(shows, `${what}: focused ${JSON.stringify(ring)} looks like unfocused ${JSON.stringify(plain)}`);
    visited.push(`${info.tag}:${info.name}`);
    await page.keyboard.press("Tab");
  }
  assert.equal(visited.length, expected, `${id}: Tab visited ${visited.length} of ${expected} stops: ${visited.join(", ")}`);
  return visited;
}

test("keyboard: Tab reaches every control of a lesson with a visible focus; Enter and Space run", { timeout: 90_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  const id = "sequential-vs-concurrent";
  // Short waits, so a run takes a fraction of a second; one run first, so the
  // download and replay buttons have something to act on.
  await page.evaluate(async (id) => {
    const lab = document.querySelector(`loop-lab[lesson="${id}"]`);
    lab.setAttribute("alice-ms", "100");
    lab.setAttribute("bob-ms", "200");
    lab.scrollIntoView();
    window.looplabDone = 0;
    lab.addEventListener("looplab:done", () => window.looplabDone++);
    await lab.run();
  }, id);
  const visited = await tabThrough(page, id);
  t.diagnostic(`${id}: ${visited.join(" → ")}`);
  for (const wanted of ["pre:", "input:", "button:Run", "canvas:", "button:", "button:Download trace", "button:Run the Python too"]) {
    assert.ok(visited.some((v) => v.startsWith(wanted)), `Tab never reached ${wanted} (${visited.join(", ")})`);
  }

  // Enter, then Space, on the focused Run button each start a run that finishes.
  const state = () => page.evaluate((id) => document.querySelector(`loop-lab[lesson="${id}"]`)
    .shadowRoot.querySelector("article").dataset.state, id);
  for (const key of ["Enter", "Space"]) {
    const before = await page.evaluate(() => window.looplabDone);
    await page.evaluate((id) => document.querySelector(`loop-lab[lesson="${id}"]`).shadowRoot.querySelector("button.run").focus(), id);
    await page.keyboard.press(key);
    assert.equal(await state(), "running", `${key} on Run did not start a run`);
    await page.waitForFunction((n) => window.looplabDone > n, before, { timeout: 15_000 });
    assert.equal(await state(), "done", `the run started with ${key} did not finish`);
  }

  // The playground's form (selects, step rows) is reached the same way, once it is on the page.
  if (await page.evaluate(() => !!document.querySelector('loop-lab[lesson="playground"]'))) {
    await page.evaluate(async () => {
      const lab = document.querySelector('loop-lab[lesson="playground"]');
      lab.scrollIntoView();
      await lab.run().catch(() => {});
    });
    const stops = await tabThrough(page, "playground");
    t.diagnostic(`playground: ${stops.length} stops`);
  }
  assertNoErrors(errors);
});

test("keyboard: the timeline canvas pans and zooms, and 0 fits the run again", { timeout: 60_000 }, async (t) => {
  const { page, errors } = await openServedPage(t);
  await runProof(page);
  const canvas = page.locator("#proof-timeline canvas");
  const readout = page.locator("#proof-timeline .ll-readout");
  await canvas.focus();
  assert.match(await readout.textContent(), /^At .+ms: /, "focusing the canvas says what ran at the cursor");
  await page.keyboard.press("0");
  const atFocus = await readout.textContent();
  await page.keyboard.press("ArrowRight");
  const panned = await readout.textContent();
  assert.notEqual(panned, atFocus, "ArrowRight moved the view (and the cursor's instant)");
  await page.keyboard.press("0");
  assert.equal(await readout.textContent(), atFocus, "0 fits the whole run again");
  const pixels = () => canvas.evaluate((c) => c.toDataURL());
  const fitted = await pixels();
  await page.keyboard.press("+");
  assert.notEqual(await pixels(), fitted, "+ zoomed in (the canvas repainted differently)");
  await page.keyboard.press("-");
  await page.keyboard.press("0");
  assert.equal(await pixels(), fitted, "0 after zooming restores the fitted view");
  // The keys are the canvas's own: Tab still leaves it.
  await page.keyboard.press("Tab");
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), "CANVAS", "Tab left the canvas");
  assertNoErrors(errors);
});

for (const target of PAGES) {
  test(`reduced motion on the ${target.name}: no CSS animation or transition, no frame loop once a run is over`, { timeout: 60_000 }, async (t) => {
    const server = await startDevServer();
    t.after(server.stop);
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const { page, errors } = await openPage(browser);
    await page.emulateMedia({ reducedMotion: "reduce" });
    // Count animation frames requested by anyone on the page.
    await page.addInitScript(() => {
      window.framesAsked = 0;
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => { window.framesAsked++; return raf(cb); };
    });
    await page.goto(`${server.origin}${target.path}`);
    if (target.lessonPage) await waitReady(page, errors);
    assert.equal(await page.evaluate(() => matchMedia("(prefers-reduced-motion: reduce)").matches), true);
    await mountAll(page);
    if (target.lessonPage) await runProof(page);
    await page.evaluate(() => document.querySelector("loop-lab")?.run());
    const moving = await page.evaluate(() => {
      const found = [];
      const visit = (root) => {
        for (const el of root.querySelectorAll("*")) {
          const s = getComputedStyle(el);
          const durations = `${s.transitionDuration},${s.animationDuration}`.split(",").map(parseFloat);
          const animated = s.animationName !== "none" && el.checkVisibility();
          if (animated || durations.some((d) => d > 0)) found.push(`${el.tagName} ${el.className} ${s.animationName} ${s.transitionDuration}`);
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      };
      visit(document);
      return { found, running: document.getAnimations().map((a) => a.animationName ?? a.constructor.name) };
    });
    assert.deepEqual(moving.found, [], "elements with a transition or animation under reduced motion");
    assert.deepEqual(moving.running, [], "animations running under reduced motion");
    // The live timeline is a measurement and paints while a run lasts; afterwards nothing
    // may keep drawing by itself (replay is only ever started by the reader).
    const before = await page.evaluate(() => window.framesAsked);
    await page.waitForTimeout(600);
    const after = await page.evaluate(() => window.framesAsked);
    assert.equal(after - before, 0, `${after - before} animation frames requested while the page sat idle`);
    assertNoErrors(errors);
  });
}
