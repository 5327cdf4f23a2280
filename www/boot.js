// The page's loader: instantiate the wasm module, make sure the demo API answers
// (dev server, or the Service Worker on a static host; the iframe form leaves that
// to its lesson's element, www/embed.js), then hand the page to Rust.
//
// The iframe form, index.html?lesson=ID&embed[&key=value…], shows that one lesson
// alone (frame.js and style.css hide the rest) and posts its height to the parent
// page whenever it changes: {type: "looplab:height", lesson, height}.
//
// The iframe form shows one lesson, so it runs on that lesson's own build, as a
// page with one <loop-lab> does (embed.js): `expectLesson` says so before embed.js
// chooses. The lesson page runs on the full build, which has the proof section.
import { expectLesson, ready } from "./embed.js";

const root = document.documentElement;
root.dataset.looplab = "starting";
const query = new URLSearchParams(location.search);
const embedded = query.has("embed");
// At once, before any lesson element starts: the iframe form keeps only the notices.
if (embedded) {
  for (const node of document.querySelectorAll("main > :not(.notice)")) node.remove();
  expectLesson(query.get("lesson") ?? "");
}

function showApiStatus(api) {
  root.dataset.api = api.mode;
  if (api.mode === "unavailable") {
    const note = document.getElementById("api-status");
    note.textContent = `The demo API is not available here: ${api.reason} ` +
      "The timer demos still run; the fetch demos will report the failed request.";
    note.hidden = false;
  }
}

/**
 * The iframe form's lesson: a <loop-lab> with the lesson's parameters, plus
 * `compact`, `autoplay` and `python`, taken from the query. Only those keys become
 * attributes: a query can never set an event handler or a style.
 */
function mountEmbedded(glue) {
  const id = query.get("lesson") ?? "";
  const element = document.createElement("loop-lab");
  element.className = "ll-embedded";
  element.setAttribute("lesson", id);
  for (const key of [...glue.lessonParams(id), "compact", "autoplay", "python"]) {
    const value = query.get(key);
    if (value !== null) element.setAttribute(key, value);
  }
  document.querySelector("main").append(element);
  postHeight(id);
}

/** Posts the page's height to the parent page now and whenever it changes. */
function postHeight(lesson) {
  if (window.parent === window) return;
  let last = -1;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "looplab:height", lesson, height }, "*");
  }).observe(document.body);
}

async function boot() {
  const glue = await ready;
  if (embedded) {
    // The lesson's element makes sure of the demo API itself, if its lesson calls it.
    mountEmbedded(glue);
  } else {
    const { ensureDemoApi } = await import("./api.js"); // the proof section fetches
    showApiStatus(await ensureDemoApi());
    // Kept so the click handler lives as long as the page.
    window.looplabProof = glue.mountProof(document.getElementById("proof"));
    // After a Reset (see panic.js) the proof moves to the fresh instance: a clean Run
    // button (the old one's listener belongs to the stopped instance) and timeline.
    addEventListener("looplab:reset", async (event) => {
      const proof = document.getElementById("proof");
      const button = proof.querySelector("#proof-run");
      button.replaceWith(button.cloneNode(true));
      proof.querySelector("#proof-timeline").replaceChildren();
      proof.dataset.state = "idle";
      const glue = await import(new URL(`../pkg/looplab.js?instance=${event.detail.instance}`, import.meta.url).href);
      window.looplabProof = glue.mountProof(proof);
    });
  }
  root.dataset.looplab = "ready";
}

boot().catch((err) => {
  root.dataset.looplab = "failed";
  const note = document.getElementById("api-status");
  note.textContent = `Loop Lab could not start: ${err && err.message ? err.message : err}`;
  note.hidden = false;
});
