// MkDocs, tried for real: a two-page site written the way docs/embedding.md tells an
// author to (Loop Lab's files in docs/, the script from mkdocs.yml's extra_javascript,
// each element wrapped in a <div>), built by MkDocs itself and served from a plain
// static server. The built pages must carry the element untouched and the module
// script at each page's depth, and every lesson on them must run through run().
//
// MkDocs comes from PyPI, pinned, into a virtual environment under target/mkdocs/
// (about 25 s the first time, then reused). Without pip, the test is skipped and
// says why.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { assertNoErrors, launchBrowser, openPage, ROOT, screenshot, startStaticServer, XTASK } from "./lib.mjs";

const MKDOCS = "mkdocs==1.6.1";
const VENV = join(ROOT, "target/mkdocs");
const PYTHON = join(VENV, "bin/python");

/** The site's pages: their Markdown, the script MkDocs must write, and the lesson to run. */
const PAGES = [
  {
    source: "index.md",
    url: "",
    markdown: "# Errors\n\nOne of three tasks fails.\n\n<div class=\"lesson\"><loop-lab lesson=\"errors\" fail-ms=\"200\" compact></loop-lab></div>\n\nThe end.\n",
    element: '<div class="lesson"><loop-lab lesson="errors" fail-ms="200" compact></loop-lab></div>',
    script: '<script src="www/embed.js" type="module"></script>',
    check(s) {
      assert.ok(s.figures.gather_error_ms >= 195, `fail-ms=200 did not reach the lesson: ${s.figures.gather_error_ms} ms`);
      assert.equal(s.tasks.find((t) => t.name === "collect-all: b")?.outcome, "failed", "b fails on purpose");
    },
  },
  {
    source: "guide/lazy.md",
    url: "guide/lazy/",
    markdown: "# Lazy\n\nIn a sub-folder.\n\n<div class=\"lesson\"><loop-lab lesson=\"lazy\"></loop-lab></div>\n",
    element: '<div class="lesson"><loop-lab lesson="lazy"></loop-lab></div>',
    script: '<script src="../../www/embed.js" type="module"></script>',
    check(s) {
      assert.equal(s.tasks.find((t) => t.name === "created, never awaited")?.outcome, "cancelled", "dropped unrun");
      assert.equal(s.tasks.find((t) => t.name === "spawned")?.outcome, "done");
    },
  },
];

// The built-in theme's highlight.js comes from a CDN, unreachable here: turned off.
const MKDOCS_YML = `site_name: Loop Lab in MkDocs
theme:
  name: mkdocs
  highlightjs: false
extra_javascript:
  - path: www/embed.js
    type: module
`;

/** Why MkDocs cannot be installed here, or null once it is (in target/mkdocs/). */
function installMkdocs() {
  const version = spawnSync(PYTHON, ["-m", "mkdocs", "--version"], { encoding: "utf8" });
  if (version.status === 0 && version.stdout.includes(MKDOCS.split("==")[1])) return null;
  const pip = spawnSync("python3", ["-m", "pip", "--version"], { encoding: "utf8" });
  if (pip.status !== 0) return `pip is not available (python3 -m pip: ${(pip.stderr || pip.error?.message || "").trim()})`;
  execFileSync("python3", ["-m", "venv", "--clear", "--without-pip", VENV], { stdio: "inherit" });
  const quiet = ["--quiet", "--disable-pip-version-check", "--no-input", "--root-user-action=ignore"];
  execFileSync("python3", ["-m", "pip", "--python", PYTHON, "install", ...quiet, MKDOCS], { stdio: "inherit" });
  return null;
}

let unavailable = null;
let tmp;
let server;
let browser;

before(async () => {
  unavailable = installMkdocs();
  if (unavailable) return;
  tmp = await mkdtemp(join(tmpdir(), "looplab-mkdocs-"));
  execFileSync(XTASK, ["dist", "--no-build", "--out", join(tmp, "dist")], { cwd: ROOT, stdio: "inherit" });
  const docs = join(tmp, "site-src/docs");
  for (const entry of ["sw.js", "www", "pkg"]) await cp(join(tmp, "dist", entry), join(docs, entry), { recursive: true });
  for (const { source, markdown } of PAGES) {
    await mkdir(dirname(join(docs, source)), { recursive: true });
    await writeFile(join(docs, source), markdown);
  }
  await writeFile(join(tmp, "site-src/mkdocs.yml"), MKDOCS_YML);
  execFileSync(PYTHON, ["-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", join(tmp, "site")], {
    cwd: join(tmp, "site-src"),
    stdio: "inherit",
  });
  server = await startStaticServer(join(tmp, "site"));
  browser = await launchBrowser();
}, { timeout: 300_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

for (const page of PAGES) {
  test(`MkDocs page ${page.source}: the element as written, the module script, the lesson runs`, { timeout: 60_000 }, async (t) => {
    if (unavailable) return t.skip(`MkDocs cannot be installed: ${unavailable}`);
    const html = await readFile(join(tmp, "site", page.url, "index.html"), "utf8");
    assert.ok(html.includes(page.element), `the element, unwrapped from any <p>:\n${html.match(/.*loop-lab.*/g)}`);
    assert.ok(html.includes(page.script), `the script at the page's depth:\n${html.match(/.*embed\.js.*/g)}`);

    const { page: tab, errors } = await openPage(browser);
    t.after(() => tab.context().close());
    await tab.goto(`${server.origin}/${page.url}`);
    const summary = await tab.$eval("loop-lab", (el) => {
      el.scrollIntoView();
      return el.run();
    });
    assert.equal(summary.error, null, summary.error);
    page.check(summary);
    await screenshot(tab, `mkdocs-${page.source.replace(/\W+/g, "-")}`);
    assertNoErrors(errors);
  });
}
