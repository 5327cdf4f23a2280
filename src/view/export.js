// Browser glue for the exports (src/view/export.rs): Perfetto's postMessage
// protocol and the clipboard. Kept in JavaScript because both are a few lines here
// and dozens of bindings in Rust.

const PERFETTO = "https://ui.perfetto.dev";

/**
 * Opens Perfetto UI in a new tab and hands it `json` (a Chrome trace): Perfetto
 * answers "PING" with "PONG" once it is ready, then takes `{perfetto: {buffer, title}}`.
 * Resolves to a sentence for the reader; never rejects.
 */
export function openInPerfetto(json, title) {
  const tab = window.open(`${PERFETTO}/#!/viewer`, "_blank");
  if (!tab) {
    return Promise.resolve("The browser blocked the new tab: allow pop-ups for this page, or download the trace.");
  }
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
      tab.postMessage({ perfetto: { buffer, title, fileName: "looplab-trace.json" } }, PERFETTO);
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

/** Copies `text` to the clipboard; resolves to whether it worked. */
export function copyText(text) {
  if (!navigator.clipboard?.writeText) return Promise.resolve(false);
  return navigator.clipboard.writeText(text).then(() => true, () => false);
}
