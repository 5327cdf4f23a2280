// The page's loader: instantiate the wasm module, make sure the demo API answers
// (dev server, or the Service Worker on a static host), then hand the page to Rust.
import { mountProof } from "../pkg/looplab.js";
import { ready } from "./embed.js";
import { ensureDemoApi } from "./api.js";

const root = document.documentElement;
root.dataset.looplab = "starting";

function showApiStatus(api) {
  root.dataset.api = api.mode;
  if (api.mode === "unavailable") {
    const note = document.getElementById("api-status");
    note.textContent = `The demo API is not available here: ${api.reason} ` +
      "The timer demos still run; the fetch demos will report the failed request.";
    note.hidden = false;
  }
}

async function boot() {
  await ready;
  showApiStatus(await ensureDemoApi());
  // Kept so the click handler lives as long as the page.
  window.looplabProof = mountProof(document.getElementById("proof"));
  root.dataset.looplab = "ready";
}

boot().catch((err) => {
  root.dataset.looplab = "failed";
  const note = document.getElementById("api-status");
  note.textContent = `Loop Lab could not start: ${err && err.message ? err.message : err}`;
  note.hidden = false;
});
