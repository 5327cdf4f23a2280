// A finished run's trace, taken away: "Download trace" and "Open in Perfetto".
//
//   import("./exports.js").then((m) => m.exportTrace(row, readerUrl, detail, tab)); // mount.js
//
// The lesson's module sends the run as bytes in a `looplab:export` event (see
// src/view/export.rs); the inspector's own module (reader.js, pkg/reader/) writes the
// Chrome Trace Event file from them, so the trace writer is in no embed's first load.
// This file then downloads it, or hands it to Perfetto UI over its postMessage
// protocol: Perfetto answers "PING" with "PONG" once it is ready, then takes
// `{perfetto: {buffer, title}}`. The Perfetto tab is opened by mount.js in the click
// itself (a browser opens tabs only then), before this file has loaded.
import { load } from "./reader.js";

export const PERFETTO = "https://ui.perfetto.dev";

/** Writes what happened in the row's status line; never rejects. */
export async function exportTrace(row, readerUrl, { bytes, action }, tab) {
  const status = row.querySelector(".ll-export-status");
  try {
    const glue = await load(readerUrl);
    const replay = new glue.Replay(bytes);
    let json;
    try {
      json = replay.chromeTrace();
    } finally {
      replay.free();
    }
    status.textContent = action === "perfetto" ? await toPerfetto(tab, json) : download(json);
  } catch (error) {
    tab?.close();
    status.textContent = `The trace could not be made: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Saves `json` as looplab-trace.json; returns the sentence to show. */
function download(json) {
  const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = "looplab-trace.json";
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the browser has read it by then
  return "Trace saved as looplab-trace.json: open it at ui.perfetto.dev or chrome://tracing.";
}

/** Hands `json` to the Perfetto tab; resolves to the sentence to show. */
function toPerfetto(tab, json) {
  if (!tab) return Promise.resolve("The browser blocked the new tab: allow pop-ups for this page, or download the trace.");
  const buffer = new TextEncoder().encode(json).buffer;
  return new Promise((resolve) => {
    let tries = 0;
    const finish = (message) => {
      clearInterval(ping);
      window.removeEventListener("message", onMessage);
      resolve(message);
    };
    const onMessage = (event) => {
      if (event.source !== tab || event.data !== "PONG") return;
      tab.postMessage({ perfetto: { buffer, title: "Loop Lab run", fileName: "looplab-trace.json" } }, PERFETTO);
      finish("Sent to Perfetto, in the new tab.");
    };
    window.addEventListener("message", onMessage);
    // Perfetto needs a moment to load; ask every 250 ms for up to 20 s.
    const ping = setInterval(() => {
      if (tab.closed) return finish("The Perfetto tab was closed before it loaded.");
      if (++tries > 80) return finish("Perfetto did not answer (offline?): download the trace and open it at ui.perfetto.dev.");
      try {
        tab.postMessage("PING", PERFETTO);
      } catch {
        // The tab is still on about:blank or navigating; try again.
      }
    }, 250);
  });
}
